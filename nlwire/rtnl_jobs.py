"""rtnetlink without a socket: the requests :class:`~nlwire.rtnl.Rtnl` sends and the recipes
that make its results (``Link``, ``Address``, ``Route``, ``Nexthop``, ``Neighbour``, ``Rule``)
from the replies.

Nothing here does I/O (``tests/test_layers.py`` checks that this module reaches no
socket, session or namespace code), so another front end -- an asyncio one -- sends the
same messages and makes the same results: it resolves interface names to indexes and
namespace targets to a pid or an fd itself, builds a request here, and passes
``RECIPE.at`` to its dump, or ``RECIPE.from_message`` the reply.

Each result field is one line of its recipe (:mod:`nlwire.recipe`): a header field, an
attribute, or a function of them.
"""

from __future__ import annotations

import ipaddress
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from nlwire._objects import named_repr, network
from nlwire.consts import (
    AF,
    FR_ACT,
    FRA,
    IF_OPER,
    IFA,
    IFF,
    IFLA,
    IFLA_BR,
    IFLA_INFO,
    NDA,
    NLM_F,
    NTF,
    NUD,
    RT_SCOPE,
    RT_TABLE,
    RTA,
    RTM,
    RTM_F,
    RTN,
    RTNLGRP,
    RTPROT,
    VETH_INFO,
)
from nlwire.errors import EncodeError
from nlwire.messages import Message
from nlwire.recipe import Recipe, attr, call, header
from nlwire.wire.attrs import Attrs, AttrSet
from nlwire.wire.rtnetlink import (
    ADDR_ATTRS,
    FIB_RULE_HDR,
    IFADDRMSG,
    IFINFOMSG,
    LINK_ATTRS,
    NDMSG,
    NEIGH_ATTRS,
    ROUTE_ATTRS,
    RTMSG,
    RTNEXTHOP,
    RULE_ATTRS,
)

__all__ = [
    "ADDRESS", "Address", "AddressTarget", "Event", "LINK", "LINK_STATS", "Link", "NEIGHBOUR", "NEXTHOP", "Neighbour",
    "Nexthop", "ROUTE", "RULE", "Route", "RouteTarget", "Rule", "WATCHED", "address_message", "address_target",
    "delete_link", "deleting", "dump_addresses", "dump_links", "dump_neighbours", "dump_routes", "dump_rules",
    "event_of", "get_link", "get_route", "neighbour_message", "new_bridge", "new_link", "new_veth", "route_message",
    "route_target", "rule_message", "set_link",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

_CREATE = NLM_F.CREATE | NLM_F.EXCL
_FOREVER = 0xFFFFFFFF


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class Link:
    """One network interface (RTM_NEWLINK)."""

    index: int
    name: str
    flags: int
    """IFF_* bits (``Link.up`` tests IFF_UP)."""
    mtu: int
    kind: str | None = None
    """IFLA_INFO_KIND: ``veth``, ``bridge``, ``vxlan`` ... (None for physical devices and lo)."""
    type: int = 0
    """ARPHRD_* hardware type."""
    address: str | None = None
    broadcast: str | None = None
    operstate: str = "UNKNOWN"
    master: int | None = None
    link: int | None = None
    """IFLA_LINK: parent or peer interface index (in ``link_netnsid``'s namespace when set)."""
    link_netnsid: int | None = None
    txqlen: int | None = None
    qdisc: str | None = None
    group: int = 0
    alias: str | None = None
    slave_kind: str | None = None
    min_mtu: int | None = None
    max_mtu: int | None = None
    stats: Any = field(default=None, repr=False, compare=False)
    """IFLA_STATS64: the counters (``stats.rx_bytes``, ``stats.tx_packets``... the fields of
    ``struct rtnl_link_stats64``), as a read-only record, when asked for (``Rtnl.links(stats=True)``,
    the recipe :data:`LINK_STATS`); else None. A measurement, not part of the link's
    identity: left out of equality, hash and repr."""

    __repr__ = named_repr(IFINFOMSG)

    @property
    def up(self) -> bool:
        return bool(self.flags & IFF.UP)

    @property
    def lower_up(self) -> bool:
        return bool(self.flags & IFF.LOWER_UP)


@dataclass(frozen=True, slots=True)
class Address:
    """One interface address (RTM_NEWADDR)."""

    index: int
    family: int
    address: IPAddress
    """IFA_LOCAL (IFA_ADDRESS when there is no IFA_LOCAL, as for IPv6)."""
    prefixlen: int
    scope: int = 0
    flags: int = 0
    """IFA_F_* bits (IFA_FLAGS when present, else ifa_flags)."""
    peer: IPAddress | None = None
    """IFA_ADDRESS when it differs from IFA_LOCAL (point-to-point)."""
    broadcast: IPAddress | None = None
    label: str | None = None
    valid_lft: int | None = None
    """Seconds; None for forever."""
    preferred_lft: int | None = None

    __repr__ = named_repr(IFADDRMSG)

    @property
    def interface(self) -> IPInterface:
        """``10.0.0.2/24`` as an :mod:`ipaddress` interface."""
        return ipaddress.ip_interface(f"{self.address}/{self.prefixlen}")


@dataclass(frozen=True, slots=True)
class Nexthop:
    """One path of a multipath route (RTA_MULTIPATH)."""

    oif: int
    gateway: IPAddress | None = None
    """RTA_GATEWAY, or the address of RTA_VIA (a next hop in the other family)."""
    weight: int = 1
    flags: int = 0

    __repr__ = named_repr(RTNEXTHOP)


@dataclass(frozen=True, slots=True)
class Route:
    """One route (RTM_NEWROUTE)."""

    family: int
    dst: IPNetwork
    """The destination; ``0.0.0.0/0`` or ``::/0`` for the default route."""
    table: int
    protocol: int
    scope: int
    type: int
    oif: int | None = None
    gateway: IPAddress | None = None
    """RTA_GATEWAY, or the address of RTA_VIA: an IPv4 route's IPv6 next hop
    (``ip route add 10.1.0.0/16 via inet6 fe80::1 dev eth0``)."""
    prefsrc: IPAddress | None = None
    priority: int | None = None
    """The metric (RTA_PRIORITY)."""
    flags: int = 0
    tos: int = 0
    src: IPNetwork | None = None
    multipath: tuple[Nexthop, ...] = ()
    nhid: int | None = None
    """RTA_NH_ID: the nexthop object (``ip nexthop``) the route uses. The kernel also fills
    in its device and gateway, or ``multipath`` for a group, while the sysctl
    ``net.ipv4.nexthop_compat_mode`` is on (the default)."""
    metrics: Mapping[str, int | str] | None = field(default=None, hash=False)
    """RTA_METRICS, read-only, by RTAX_* name in lower case (``{"mtu": 1400, "lock": 4,
    "cc_algo": "cubic"}``); None when the route has none. Left out of the hash."""

    __repr__ = named_repr(RTMSG)

    @property
    def is_default(self) -> bool:
        return self.dst.prefixlen == 0


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One neighbour cache entry (ARP, NDP) or bridge forwarding database entry
    (``family=AF.BRIDGE``), from RTM_NEWNEIGH."""

    family: int
    ifindex: int
    """The device (for an FDB entry: the bridge port, or the device itself)."""
    dst: IPAddress | None = None
    """NDA_DST: the neighbour's IP address (of an FDB entry: a VXLAN remote)."""
    lladdr: str | None = None
    """NDA_LLADDR: ``aa:bb:cc:dd:ee:ff`` (of an FDB entry: the MAC address it forwards)."""
    state: int = 0
    """NUD_* bits (:attr:`states` names them)."""
    flags: int = 0
    """NTF_* bits (``NTF.ROUTER``, ``NTF.PROXY``; of an FDB entry ``NTF.SELF``/``NTF.MASTER``)."""
    type: int = 0
    probes: int | None = None
    vlan: int | None = None
    """NDA_VLAN (an FDB entry's VLAN id)."""
    master: int | None = None
    """NDA_MASTER: the bridge of an FDB entry."""
    protocol: int | None = None

    __repr__ = named_repr(NDMSG)

    @property
    def states(self) -> tuple[str, ...]:
        """The NUD_* state names, lowest bit first, as ``ip -j neigh`` lists them (``('STALE',)``)."""
        return tuple(m.name for m in NUD if m & self.state and m.name)

    @property
    def router(self) -> bool:
        """NTF_ROUTER: an IPv6 neighbour that is a router."""
        return bool(self.flags & NTF.ROUTER)


@dataclass(frozen=True, slots=True)
class Rule:
    """One policy routing rule (RTM_NEWRULE), as ``ip rule`` shows it."""

    family: int
    priority: int
    """FRA_PRIORITY (0 when absent, as for the rule of the local table)."""
    table: int
    """FRA_TABLE, else the header's table (RT_TABLE.UNSPEC for a rule that is no lookup)."""
    action: int
    """FR_ACT_*: TO_TBL (a lookup), GOTO, NOP, BLACKHOLE, UNREACHABLE, PROHIBIT."""
    src: IPNetwork | None = None
    """``from``: None for all."""
    dst: IPNetwork | None = None
    """``to``: None for all."""
    iif: str | None = None
    """FRA_IIFNAME (the name, which may not exist yet)."""
    oif: str | None = None
    fwmark: int | None = None
    fwmask: int | None = None
    goto: int | None = None
    """FRA_GOTO: the priority a GOTO rule goes on at."""
    flags: int = 0
    """FIB_RULE_* bits (``FIB_RULE.INVERT``: ``not``)."""
    tos: int = 0
    protocol: int | None = None
    suppress_prefixlen: int | None = None
    """``suppress_prefixlength``: None when not set (the kernel's -1)."""
    suppress_ifgroup: int | None = None

    __repr__ = named_repr(FIB_RULE_HDR)


@dataclass(frozen=True, slots=True)
class Event:
    """One rtnetlink notification, typed (what ``ip monitor`` prints a line for).

    ``value`` is the :class:`Link`, :class:`Address`, :class:`Route`, :class:`Neighbour` or
    :class:`Rule` the kernel announced; ``deleted`` is True for RTM_DEL*, False for
    RTM_NEW*, which the kernel sends both for a new object and for a changed one (a new
    link comes with ``ifi_change`` all ones: :attr:`added` tells it). ``nsid``: the peer
    namespace of a socket with ``listen_all_nsid=True`` (None: the socket's own)."""

    deleted: bool
    value: Link | Address | Route | Neighbour | Rule
    type: int = 0
    """The message type (``RTM.NEWLINK``...)."""
    nsid: int | None = None
    added: bool = False
    """An RTM_NEWLINK of a link just registered (``ifi_change == ~0``); False for every
    other event, which does not say whether it adds or changes."""


# ------------------------------------------------------------------------------ recipes
# A dump makes tens of thousands of results: the compiled recipes read the header in one
# unpack and the attributes through one Picker, and make results and networks with
# nlwire._objects' checked constructors. A function below runs only where its
# attributes are present.

_OPER_NAMES = {int(m): m.name for m in IF_OPER}


def _operstate(value: int) -> str:
    """IFLA_OPERSTATE by its IF_OPER name (the number as text when it has none)."""
    return _OPER_NAMES.get(value) or str(value)


def _peer(local: IPAddress, address: IPAddress) -> IPAddress | None:
    """IFA_ADDRESS where it differs from IFA_LOCAL: a point-to-point peer."""
    return address if address != local else None


def _lifetime(seconds: int) -> int | None:
    """An ifa_cacheinfo lifetime; None for forever."""
    return None if seconds == _FOREVER else seconds


def _valid_lft(cacheinfo: Any) -> int | None:
    return _lifetime(cacheinfo.valid)


def _preferred_lft(cacheinfo: Any) -> int | None:
    return _lifetime(cacheinfo.prefered)


_ANY = {int(AF.INET): ipaddress.ip_network("0.0.0.0/0"), int(AF.INET6): ipaddress.ip_network("::/0")}


def _any_network(family: int) -> IPNetwork:
    """The destination of a route without RTA_DST: the whole address space of its family."""
    return _ANY.get(family) or _ANY[int(AF.INET)]


def _via_address(via: Any) -> IPAddress | None:
    """The next hop's address of an RTA_VIA (None for one that is no IP address)."""
    address = getattr(via, "address", None)
    return address if isinstance(address, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else None


def _weight(hops: int) -> int:
    """A path's weight: rtnh_hops is the weight less one."""
    return hops + 1


def _metrics(metrics: Attrs) -> Mapping[str, int | str]:
    """RTA_METRICS by RTAX_* name (an unknown type by its number), read-only."""
    key = metrics.attr_set.key
    return types.MappingProxyType({getattr(key(t), "name", str(t)).lower(): v for t, v in metrics.items()})


def _nexthops(multipath: Any) -> tuple[Nexthop, ...]:
    """RTA_MULTIPATH's ``rtnexthop`` entries as :class:`Nexthop` results."""
    make = NEXTHOP.from_parts
    return tuple(make(hop.header, hop.attrs) for hop in multipath)


def _unless_unset(value: int) -> int | None:
    """A rule's u32 that the kernel sends as -1 when it is not set: None then."""
    return None if value == 0xFFFFFFFF else value


_GATEWAY = attr(RTA.GATEWAY, default=call(_via_address, attr(RTA.VIA)))

_LINK_FIELDS = {
    "index": header("index"),
    "name": call(str, attr(IFLA.IFNAME, default=None)),  # absent: "None", as str() of it has always said
    "flags": header("flags"),
    "mtu": attr(IFLA.MTU, default=0),
    "kind": call(str, attr(IFLA.LINKINFO, IFLA_INFO.KIND)),
    "type": header("type"),
    "address": attr(IFLA.ADDRESS),
    "broadcast": attr(IFLA.BROADCAST),
    "operstate": call(_operstate, attr(IFLA.OPERSTATE), default="UNKNOWN"),
    "master": attr(IFLA.MASTER),
    "link": attr(IFLA.LINK),
    "link_netnsid": attr(IFLA.LINK_NETNSID),
    "txqlen": attr(IFLA.TXQLEN),
    "qdisc": attr(IFLA.QDISC),
    "group": attr(IFLA.GROUP, default=0),
    "alias": attr(IFLA.IFALIAS),
    "slave_kind": call(str, attr(IFLA.LINKINFO, IFLA_INFO.SLAVE_KIND)),
    "min_mtu": attr(IFLA.MIN_MTU),
    "max_mtu": attr(IFLA.MAX_MTU),
}
LINK = Recipe(Link, IFINFOMSG, LINK_ATTRS, {**_LINK_FIELDS, "stats": None}, message=RTM.NEWLINK)
LINK_STATS = Recipe(Link, IFINFOMSG, LINK_ATTRS, {**_LINK_FIELDS, "stats": attr(IFLA.STATS64)}, message=RTM.NEWLINK)
"""Links with their counters: reading the 200 bytes of IFLA_STATS64 into a record costs a
third more per link, so :data:`LINK` leaves them out (``stats`` is None)."""

ADDRESS = Recipe(Address, IFADDRMSG, ADDR_ATTRS, {
    "index": header("index"),
    "family": header("family"),
    "address": attr(IFA.LOCAL, default=attr(IFA.ADDRESS)),
    "prefixlen": header("prefixlen"),
    "scope": header("scope"),
    "flags": call(int, attr(IFA.FLAGS), default=header("flags")),
    "peer": call(_peer, attr(IFA.LOCAL), attr(IFA.ADDRESS)),
    "broadcast": attr(IFA.BROADCAST),
    "label": attr(IFA.LABEL),
    "valid_lft": call(_valid_lft, attr(IFA.CACHEINFO)),
    "preferred_lft": call(_preferred_lft, attr(IFA.CACHEINFO)),
}, message=RTM.NEWADDR)

NEXTHOP = Recipe(Nexthop, RTNEXTHOP, ROUTE_ATTRS, {
    "oif": header("ifindex"),
    "gateway": _GATEWAY,
    "weight": call(_weight, header("hops")),
    "flags": header("flags"),
})

ROUTE = Recipe(Route, RTMSG, ROUTE_ATTRS, {
    "family": header("family"),
    "dst": call(network, attr(RTA.DST, raw=True), header("dst_len"), default=call(_any_network, header("family"))),
    "table": attr(RTA.TABLE, default=header("table")),
    "protocol": header("protocol"),
    "scope": header("scope"),
    "type": header("type"),
    "oif": attr(RTA.OIF),
    "gateway": _GATEWAY,
    "prefsrc": attr(RTA.PREFSRC),
    "priority": attr(RTA.PRIORITY),
    "flags": header("flags"),
    "tos": header("tos"),
    "src": call(network, attr(RTA.SRC, raw=True), header("src_len")),
    "multipath": call(_nexthops, attr(RTA.MULTIPATH), default=()),
    "nhid": attr(RTA.NH_ID),
    "metrics": call(_metrics, attr(RTA.METRICS)),
}, message=RTM.NEWROUTE, skip_flags=RTM_F.CLONED)  # cloned (cache) routes are left out of dumps

RULE = Recipe(Rule, FIB_RULE_HDR, RULE_ATTRS, {
    "family": header("family"),
    "priority": attr(FRA.PRIORITY, default=0),
    "table": attr(FRA.TABLE, default=header("table")),
    "action": header("action"),
    "src": call(network, attr(FRA.SRC, raw=True), header("src_len")),
    "dst": call(network, attr(FRA.DST, raw=True), header("dst_len")),
    "iif": attr(FRA.IIFNAME),
    "oif": attr(FRA.OIFNAME),
    "fwmark": attr(FRA.FWMARK),
    "fwmask": attr(FRA.FWMASK),
    "goto": attr(FRA.GOTO),
    "flags": header("flags"),
    "tos": header("tos"),
    "protocol": attr(FRA.PROTOCOL),
    "suppress_prefixlen": call(_unless_unset, attr(FRA.SUPPRESS_PREFIXLEN)),
    "suppress_ifgroup": call(_unless_unset, attr(FRA.SUPPRESS_IFGROUP)),
}, message=RTM.NEWRULE)

NEIGHBOUR = Recipe(Neighbour, NDMSG, NEIGH_ATTRS, {
    "family": header("family"),
    "ifindex": header("ifindex"),
    "dst": attr(NDA.DST),
    "lladdr": attr(NDA.LLADDR),
    "state": header("state"),
    "flags": header("flags"),
    "type": header("type"),
    "probes": attr(NDA.PROBES),
    "vlan": attr(NDA.VLAN),
    "master": attr(NDA.MASTER),
    "protocol": attr(NDA.PROTOCOL),
}, message=RTM.NEWNEIGH)


# ------------------------------------------------------------------------------ requests
# Each takes interface indexes (a front end resolves names with get_link first) and
# returns the Message to send; bad arguments raise EncodeError or ValueError here,
# before anything is sent.


def _message(mtype: int, header: Any, attrs: Mapping[Any, Any], attr_set: AttrSet, flags: int = 0) -> Message:
    return Message(mtype, flags, header=header, attrs=Attrs(attr_set, attrs, header=header))


def _netns(attrs: dict[Any, Any], pid: int | None, fd: int | None) -> dict[Any, Any]:
    """The target namespace of a link: IFLA_NET_NS_PID of a process, or IFLA_NET_NS_FD."""
    if pid is not None:
        attrs[IFLA.NET_NS_PID] = pid
    elif fd is not None:
        attrs[IFLA.NET_NS_FD] = fd
    return attrs


def get_link(name_or_index: str | int) -> Message:
    """RTM_GETLINK of one link, by index or by IFLA_IFNAME."""
    if isinstance(name_or_index, int):
        return _message(RTM.GETLINK, IFINFOMSG.new(index=name_or_index), {}, LINK_ATTRS)
    return _message(RTM.GETLINK, IFINFOMSG.new(), {IFLA.IFNAME: name_or_index}, LINK_ATTRS)


def dump_links() -> Message:
    """RTM_GETLINK of every link (``ip link show``)."""
    return Message(RTM.GETLINK, header=IFINFOMSG.new(family=AF.UNSPEC))


def new_link(name: str, kind: str, data: Mapping[Any, Any] | None = None, *, link: int | None = None,
             mtu: int | None = None, address: str | None = None, up: bool = False,
             extra: Mapping[Any, Any] | None = None) -> Message:
    """RTM_NEWLINK creating ``name`` of ``kind`` (IFLA_INFO_DATA: ``data``; ``link``: the
    parent's index, IFLA_LINK; ``extra``: more IFLA_* attributes)."""
    attrs: dict[Any, Any] = {IFLA.IFNAME: name}
    if mtu is not None:
        attrs[IFLA.MTU] = mtu
    if address is not None:
        attrs[IFLA.ADDRESS] = address
    if link is not None:
        attrs[IFLA.LINK] = link
    if extra:
        attrs.update(extra)
    info: dict[Any, Any] = {IFLA_INFO.KIND: kind}
    if data:
        info[IFLA_INFO.DATA] = dict(data)
    attrs[IFLA.LINKINFO] = info
    header = IFINFOMSG.new(flags=IFF.UP if up else 0, change=IFF.UP if up else 0)
    return _message(RTM.NEWLINK, header, attrs, LINK_ATTRS, _CREATE)


def new_veth(name: str, peer: str, *, mtu: int | None = None, up: bool = False,
             peer_netns_pid: int | None = None, peer_netns_fd: int | None = None) -> Message:
    """``ip link add NAME type veth peer name PEER [netns NS]`` as one RTM_NEWLINK."""
    peer_attrs: dict[Any, Any] = {IFLA.IFNAME: peer}
    if mtu is not None:
        peer_attrs[IFLA.MTU] = mtu
    _netns(peer_attrs, peer_netns_pid, peer_netns_fd)
    return new_link(name, "veth", {VETH_INFO.PEER: (IFINFOMSG.new(), peer_attrs)}, mtu=mtu, up=up)


def new_bridge(name: str, stp: bool = False, *, mtu: int | None = None, up: bool = False,
               options: Mapping[Any, Any] | None = None) -> Message:
    """A bridge; ``stp`` sets IFLA_BR_STP_STATE; ``options`` more IFLA_BR_* (by name or type)."""
    data: dict[Any, Any] = {IFLA_BR.STP_STATE: 1 if stp else 0}
    data.update(options or {})
    return new_link(name, "bridge", data, mtu=mtu, up=up)


def delete_link(name_or_index: str | int) -> Message:
    """RTM_DELLINK of one link, by index or by IFLA_IFNAME."""
    if isinstance(name_or_index, int):
        return _message(RTM.DELLINK, IFINFOMSG.new(index=name_or_index), {}, LINK_ATTRS)
    return _message(RTM.DELLINK, IFINFOMSG.new(), {IFLA.IFNAME: name_or_index}, LINK_ATTRS)


def set_link(index: int, *, up: bool | None = None, mtu: int | None = None, master: int | None = None,
             new_name: str | None = None, address: str | None = None, txqlen: int | None = None,
             alias: str | None = None, group: int | None = None, netns_pid: int | None = None,
             netns_fd: int | None = None) -> Message:
    """One RTM_NEWLINK changing link ``index``: state, mtu, ``master`` (0: none), address,
    txqlen, alias, group, name and namespace (a move and a rename together are atomic)."""
    flags = change = 0
    if up is not None:
        change = IFF.UP
        flags = IFF.UP if up else 0
    attrs: dict[Any, Any] = {}
    if mtu is not None:
        attrs[IFLA.MTU] = mtu
    if master is not None:
        attrs[IFLA.MASTER] = master
    if address is not None:
        attrs[IFLA.ADDRESS] = address
    if txqlen is not None:
        attrs[IFLA.TXQLEN] = txqlen
    if alias is not None:
        attrs[IFLA.IFALIAS] = alias
    if group is not None:
        attrs[IFLA.GROUP] = group
    if new_name is not None:
        attrs[IFLA.IFNAME] = new_name
    _netns(attrs, netns_pid, netns_fd)
    return _message(RTM.NEWLINK, IFINFOMSG.new(index=index, flags=flags, change=change), attrs, LINK_ATTRS)


# -- addresses


def dump_addresses(family: int = AF.UNSPEC, index: int = 0) -> Message:
    """RTM_GETADDR of every address (of one family; ``index``: a hint, the kernel may ignore it)."""
    return Message(RTM.GETADDR, header=IFADDRMSG.new(family=family, index=index))


def _family_of(value: IPAddress | IPNetwork | IPInterface) -> int:
    return int(AF.INET) if value.version == 4 else int(AF.INET6)


def _ip(value: str | IPAddress) -> IPAddress:
    return value if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else ipaddress.ip_address(value)


class AddressTarget(NamedTuple):
    """An address request's interface (``10.0.0.2/24``) and its IFA_* attributes, checked."""

    interface: IPInterface
    attrs: dict[Any, Any]


def address_target(address: str | IPInterface, peer: str | IPAddress | None = None,
                   broadcast: str | IPAddress | bool | None = None, label: str | None = None) -> AddressTarget:
    """The address ``address`` (with ``peer``, ``broadcast`` -- ``True``: computed, as
    ``brd +`` -- and ``label``); a peer or broadcast of another family raises EncodeError."""
    iface = ipaddress.ip_interface(address) if isinstance(address, str) else address
    family = _family_of(iface)
    attrs: dict[Any, Any] = {IFA.LOCAL: iface.ip}
    if peer is not None:
        p = _ip(peer)
        if _family_of(p) != family:
            raise EncodeError(f"peer {p} is not of the family of {iface}")
        attrs[IFA.ADDRESS] = p
    else:
        attrs[IFA.ADDRESS] = iface.ip
    if broadcast is True and family == AF.INET:
        attrs[IFA.BROADCAST] = iface.network.broadcast_address
    elif broadcast not in (None, False, True):
        b = _ip(broadcast)  # type: ignore[arg-type]
        if _family_of(b) != family:
            raise EncodeError(f"broadcast {b} is not of the family of {iface}")
        attrs[IFA.BROADCAST] = b
    if label is not None:
        attrs[IFA.LABEL] = label
    return AddressTarget(iface, attrs)


def address_message(mtype: int, target: AddressTarget, index: int, *, scope: int | None = None,
                    flags: int = 0) -> Message:
    """RTM_NEWADDR / RTM_DELADDR of an :func:`address_target` on link ``index``."""
    iface, attrs = target
    header = IFADDRMSG.new(family=_family_of(iface), prefixlen=iface.network.prefixlen, scope=scope or 0,
                           index=index)
    return _message(mtype, header, attrs, ADDR_ATTRS, flags)


# -- routes


def dump_routes(family: int = AF.UNSPEC, table: int | None = RT_TABLE.MAIN) -> Message:
    """RTM_GETROUTE of every route (of one family; of ``table`` as RTA_TABLE, which a strict
    dump filters by; None: every table)."""
    header = RTMSG.new(family=family)
    return _message(RTM.GETROUTE, header, {} if table is None else {RTA.TABLE: table}, ROUTE_ATTRS)


_DEFAULT_SPELLINGS = {"default": None, "0.0.0.0/0": AF.INET, "::/0": AF.INET6, "any": None, "all": None}


def _parse_dest(dest: str | IPNetwork | IPAddress) -> tuple[IPNetwork | None, int | None]:
    """``(network or None for default, family or None if the spelling does not say)``."""
    if isinstance(dest, str):
        key = dest.strip().lower()
        if key in _DEFAULT_SPELLINGS:
            fam = _DEFAULT_SPELLINGS[key]
            return None, (int(fam) if fam is not None else None)
        net = ipaddress.ip_network(dest, strict=True)
    elif isinstance(dest, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        net = ipaddress.ip_network(dest)
    else:
        net = dest
    if net.prefixlen == 0:
        return None, _family_of(net)
    return net, _family_of(net)


class RouteTarget(NamedTuple):
    """A route's destination (None: default), family, gateway and preferred source, checked."""

    dst: IPNetwork | None
    family: int
    gateway: IPAddress | None
    prefsrc: IPAddress | None


def route_target(dest: str | IPNetwork | IPAddress, gateway: str | IPAddress | None = None,
                 src: str | IPAddress | None = None) -> RouteTarget:
    """``dest`` may be ``default``, ``0.0.0.0/0`` or ``::/0``; a gateway or source of another
    family than ``dest`` raises EncodeError."""
    net, family = _parse_dest(dest)
    gw = _ip(gateway) if gateway is not None else None
    prefsrc = _ip(src) if src is not None else None
    for what, value in (("gateway", gw), ("src", prefsrc)):
        if value is None:
            continue
        fam = _family_of(value)
        if family is None:
            family = fam
        elif fam != family:
            raise EncodeError(f"{what} {value} does not match the address family of destination {dest}")
    return RouteTarget(net, int(AF.INET) if family is None else family, gw, prefsrc)


def route_message(mtype: int, target: RouteTarget, *, oif: int | None = None, table: int | None = None,
                  metric: int | None = None, protocol: int | None = None, scope: int | None = None,
                  type: int = RTN.UNICAST, flags: int = 0, metrics: Mapping[Any, Any] | None = None,
                  tos: int = 0) -> Message:
    """RTM_NEWROUTE / RTM_DELROUTE of ``target`` (``oif``: the device's index; ``metrics``:
    RTA_METRICS by RTAX_* name or type, ``{"mtu": 1400}``). A new route with a device and
    no gateway is link-scope and, like ``ip route``, of protocol boot; a deletion matches
    any scope and protocol unless given."""
    delete = mtype == RTM.DELROUTE
    attrs: dict[Any, Any] = {}
    if target.dst is not None:
        attrs[RTA.DST] = target.dst.network_address
    if target.gateway is not None:
        attrs[RTA.GATEWAY] = target.gateway
    if target.prefsrc is not None:
        attrs[RTA.PREFSRC] = target.prefsrc
    if oif is not None:
        attrs[RTA.OIF] = oif
    if metric is not None:
        attrs[RTA.PRIORITY] = metric
    if metrics:
        attrs[RTA.METRICS] = dict(metrics)
    tbl = RT_TABLE.MAIN if table is None else table
    attrs[RTA.TABLE] = tbl
    if delete:
        rt_scope = RT_SCOPE.NOWHERE if scope is None else scope
        proto = 0 if protocol is None else protocol
    else:
        if scope is not None:
            rt_scope = scope
        elif target.gateway is None and oif is not None:
            rt_scope = RT_SCOPE.LINK
        else:
            rt_scope = RT_SCOPE.UNIVERSE
        proto = RTPROT.BOOT if protocol is None else protocol
    header = RTMSG.new(
        family=target.family, dst_len=0 if target.dst is None else target.dst.prefixlen,
        table=tbl if 0 <= tbl < 256 else RT_TABLE.UNSPEC,  # RTA_TABLE carries it (and range-checks it)
        protocol=proto, scope=rt_scope, type=type, tos=tos,
    )
    return _message(mtype, header, attrs, ROUTE_ATTRS, flags)


def get_route(dst: str | IPAddress, *, src: str | IPAddress | None = None, iif: int | None = None,
              oif: int | None = None, mark: int | None = None, uid: int | None = None) -> Message:
    """RTM_GETROUTE asking the kernel which route it would use for ``dst`` (``ip route get
    DST [from SRC] [iif IIF] [oif OIF] [mark M] [uid U]``; ``iif``, ``oif``: indexes). The
    answer is an RTM_NEWROUTE of the host route, with the table it was found in."""
    target = route_target(ipaddress.ip_network(_ip(dst)), None, src)
    assert target.dst is not None
    attrs: dict[Any, Any] = {RTA.DST: target.dst.network_address}
    if target.prefsrc is not None:
        attrs[RTA.SRC] = target.prefsrc
    if iif is not None:
        attrs[RTA.IIF] = iif
    if oif is not None:
        attrs[RTA.OIF] = oif
    if mark is not None:
        attrs[RTA.MARK] = mark
    if uid is not None:
        attrs[RTA.UID] = uid
    # RTM_F_LOOKUP_TABLE (IPv4's; IPv6 refuses it and names the table anyway), as ip sends
    # it: the answer names the table the route was found in, not main
    header = RTMSG.new(family=target.family, dst_len=target.dst.prefixlen,
                       src_len=0 if target.prefsrc is None else target.dst.prefixlen,
                       flags=RTM_F.LOOKUP_TABLE if target.family == AF.INET else 0)
    return _message(RTM.GETROUTE, header, attrs, ROUTE_ATTRS)


# -- neighbours


def dump_neighbours(family: int = AF.UNSPEC, index: int = 0, master: int = 0) -> Message:
    """RTM_GETNEIGH of every neighbour of ``family`` (AF_BRIDGE: the bridge FDB), of one
    device (``index``, NDA_IFINDEX) or bridge (``master``, NDA_MASTER) when given; a strict
    dump filters by them."""
    attrs: dict[Any, Any] = {}
    if index:
        attrs[NDA.IFINDEX] = index
    if master:
        attrs[NDA.MASTER] = master
    return _message(RTM.GETNEIGH, NDMSG.new(family=family), attrs, NEIGH_ATTRS)


def neighbour_message(mtype: int, index: int, dst: str | IPAddress | None, lladdr: str | None = None, *,
                      family: int | None = None, state: int = 0, flags: int = 0, vlan: int | None = None,
                      master: int | None = None, nlm_flags: int = 0) -> Message:
    """RTM_NEWNEIGH / RTM_DELNEIGH of the entry ``dst`` (an IP address, or None for an FDB
    entry of ``lladdr``) on link ``index``; ``family`` is ``dst``'s unless given (AF_BRIDGE
    for the FDB). ``state``: NUD_* bits; ``flags``: NTF_* bits; ``nlm_flags``: NLM_F_*."""
    attrs: dict[Any, Any] = {}
    fam = family
    if dst is not None:
        address = _ip(dst)
        attrs[NDA.DST] = address
        if fam is None:
            fam = _family_of(address)
        elif fam in (AF.INET, AF.INET6) and fam != _family_of(address):
            raise EncodeError(f"neighbour {address} is not of family {AF(fam).name}")
    if fam is None:
        raise EncodeError("a neighbour needs an IP address (dst) or a family")
    if lladdr is not None:
        attrs[NDA.LLADDR] = lladdr
    if vlan is not None:
        attrs[NDA.VLAN] = vlan
    if master is not None:
        attrs[NDA.MASTER] = master
    header = NDMSG.new(family=fam, ifindex=index, state=state, flags=flags)
    return _message(mtype, header, attrs, NEIGH_ATTRS, nlm_flags)


# -- rules


def dump_rules(family: int = AF.UNSPEC) -> Message:
    """RTM_GETRULE of every rule (of one family)."""
    return _message(RTM.GETRULE, FIB_RULE_HDR.new(family=family), {}, RULE_ATTRS)


def _selector(value: str | IPNetwork | IPAddress | None) -> IPNetwork | None:
    if value is None or isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return value
    if isinstance(value, str) and value.strip().lower() in ("all", "any", "default"):
        return None
    return ipaddress.ip_network(value)


def rule_message(mtype: int, *, family: int | None = None, priority: int | None = None,
                 src: str | IPNetwork | IPAddress | None = None, dst: str | IPNetwork | IPAddress | None = None,
                 iif: str | None = None, oif: str | None = None, fwmark: int | None = None,
                 fwmask: int | None = None, table: int | None = None, action: int | None = None,
                 goto: int | None = None, tos: int = 0, flags: int = 0, nlm_flags: int = 0) -> Message:
    """RTM_NEWRULE / RTM_DELRULE: ``ip rule add|del [priority P] [from SRC] [to DST] [iif IIF]
    [oif OIF] [fwmark M[/MASK]] [table T | goto G | ACTION]``. ``family`` is that of ``src``
    and ``dst`` (which must agree), else AF_INET as ``ip rule``'s. A new rule without
    ``action`` is a lookup (FR_ACT_TO_TBL) of ``table``, main by default, or FR_ACT_GOTO with
    ``goto``; a deletion matches what is given and nothing else."""
    source, dest = _selector(src), _selector(dst)
    for net in (source, dest):
        if net is None:
            continue
        if family is None:
            family = _family_of(net)
        elif _family_of(net) != family:
            raise EncodeError(f"rule selector {net} is not of family {AF(family).name}")
    attrs: dict[Any, Any] = {}
    if priority is not None:
        attrs[FRA.PRIORITY] = priority
    if source is not None:
        attrs[FRA.SRC] = source.network_address
    if dest is not None:
        attrs[FRA.DST] = dest.network_address
    if iif is not None:
        attrs[FRA.IIFNAME] = iif
    if oif is not None:
        attrs[FRA.OIFNAME] = oif
    if fwmark is not None:
        attrs[FRA.FWMARK] = fwmark
    if fwmask is not None:
        attrs[FRA.FWMASK] = fwmask
    if goto is not None:
        attrs[FRA.GOTO] = goto
    if mtype == RTM.NEWRULE and action is None:
        action = FR_ACT.GOTO if goto is not None else FR_ACT.TO_TBL
        if action == FR_ACT.TO_TBL and table is None:
            table = RT_TABLE.MAIN
    if table is not None:
        attrs[FRA.TABLE] = table
    header = FIB_RULE_HDR.new(
        family=AF.INET if family is None else family,
        dst_len=0 if dest is None else dest.prefixlen, src_len=0 if source is None else source.prefixlen,
        tos=tos, table=table if table is not None and 0 <= table < 256 else RT_TABLE.UNSPEC,
        action=action or FR_ACT.UNSPEC, flags=flags,
    )
    return _message(mtype, header, attrs, RULE_ATTRS, nlm_flags)


# -- deleting what a dump listed (the flushes)


def deleting(result: Address | Route | Neighbour) -> Message:
    """The RTM_DEL* request that deletes the object a dump gave as ``result`` (what ``ip addr
    flush``, ``ip route flush`` and ``ip neigh flush`` send for each entry they list)."""
    if isinstance(result, Address):
        target = address_target(result.interface, peer=result.peer)
        return address_message(RTM.DELADDR, target, result.index)
    if isinstance(result, Route):
        dst = None if result.dst.prefixlen == 0 else result.dst
        # a gateway of the other family (RTA_VIA) is left out: the route matches without it
        gateway = result.gateway if result.gateway is not None and result.gateway.version == result.dst.version \
            else None
        return route_message(RTM.DELROUTE, RouteTarget(dst, result.family, gateway, None), oif=result.oif,
                             table=result.table, metric=result.priority, protocol=result.protocol, type=result.type,
                             tos=result.tos)
    return neighbour_message(RTM.DELNEIGH, result.ifindex, result.dst,
                             None if result.dst is not None else result.lladdr, family=result.family,
                             flags=result.flags if result.family == AF.BRIDGE else 0)


# -- notifications

WATCHED: dict[str, tuple[int, ...]] = {
    "links": (RTNLGRP.LINK,),
    "addresses": (RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR),
    "routes": (RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE),
    "neighbours": (RTNLGRP.NEIGH,),
    "rules": (RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE),
}
"""The multicast groups of each kind of object a watch follows (``ip monitor link address
route neigh rule``)."""

_EVENT_RECIPES: dict[int, tuple[bool, Recipe[Any]]] = {
    int(RTM.NEWLINK): (False, LINK), int(RTM.DELLINK): (True, LINK),
    int(RTM.NEWADDR): (False, ADDRESS), int(RTM.DELADDR): (True, ADDRESS),
    int(RTM.NEWROUTE): (False, ROUTE), int(RTM.DELROUTE): (True, ROUTE),
    int(RTM.NEWNEIGH): (False, NEIGHBOUR), int(RTM.DELNEIGH): (True, NEIGHBOUR),
    int(RTM.NEWRULE): (False, RULE), int(RTM.DELRULE): (True, RULE),
}
_ALL_CHANGED = 0xFFFFFFFF


def event_of(msg: Message) -> Event | None:
    """The typed :class:`Event` of a notification, by its recipe; None for a message of
    another type (RTM_NEWNETCONF, ...) or without its fixed header."""
    known = _EVENT_RECIPES.get(msg.type)
    if known is None or msg.header is None:
        return None
    deleted, recipe = known
    added = msg.type == RTM.NEWLINK and getattr(msg.header, "change", 0) == _ALL_CHANGED
    return Event(deleted, recipe.from_message(msg), msg.type, msg.nsid, added)
