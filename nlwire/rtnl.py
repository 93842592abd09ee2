"""rtnetlink jobs: links, addresses, routes, veth, bridges, namespace moves.

>>> with Rtnl(netns="blue") as ip:                                 # doctest: +SKIP
...     ip.add_veth("veth0", "eth0", peer_netns="red")
...     ip.set_link("veth0", up=True, mtu=1400)
...     ip.add_address("veth0", "10.0.0.1/24")
...     ip.add_route("default", gateway="10.0.0.254")
...     print([link.name for link in ip.links()])

Results are small frozen dataclasses built from the decoded values: they keep
no reference to the datagram they came from. Errors are typed:
:class:`~nlwire.errors.NotFound` (ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL),
:class:`~nlwire.errors.Exists` (EEXIST),
:class:`~nlwire.errors.NetlinkPermissionError` (EPERM, EACCES), otherwise
:class:`~nlwire.errors.NetlinkError`, all carrying the kernel's ext-ack. A missing
object raises ``NotFound``; the delete jobs return False instead when called with
``missing_ok=True``. A result's ``repr()`` names enum values as its kernel struct's
declaration does (``family=AF.INET, table=RT_TABLE.MAIN``).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from nlwire._objects import maker, named_repr, network
from nlwire.client import SocketJobs
from nlwire.codec import decode_message
from nlwire.consts import (
    AF,
    IF_OPER,
    IFA,
    IFF,
    IFLA,
    IFLA_BR,
    IFLA_INFO,
    NETLINK,
    NLM_F,
    RT_SCOPE,
    RT_TABLE,
    RTA,
    RTM,
    RTM_F,
    RTN,
    RTPROT,
    VETH_INFO,
)
from nlwire.errors import DumpInterrupted, EncodeError, NotFound
from nlwire.messages import Message
from nlwire.netns import NetnsTarget, netns_pid, open_netns
from nlwire.wire.attrs import Attrs
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.layout import Picker
from nlwire.wire.netlink import NLMSG_HDRLEN, NLMSGHDR
from nlwire.wire.rtnetlink import (
    ADDR_ATTRS,
    IFADDRMSG,
    IFINFOMSG,
    LINK_ATTRS,
    ROUTE_ATTRS,
    RTMSG,
    RTNEXTHOP,
)

__all__ = ["Address", "Link", "Nexthop", "Route", "Rtnl"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

T = TypeVar("T")
_CREATE = NLM_F.CREATE | NLM_F.EXCL
_CLONED = int(RTM_F.CLONED)  # a plain int: IntFlag's & runs Python code, per route
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

    __repr__ = named_repr(RTMSG)

    @property
    def is_default(self) -> bool:
        return self.dst.prefixlen == 0


# Building results. A dump makes tens of thousands of these, so the per-message work is
# kept small: the fixed header is unpacked in one go, the attributes come from one
# layout Picker (or one Attrs.pick for a message no layout answers for, see _from_bytes
# below), and instances and networks are made by nlwire._objects' checked constructors,
# for a fifth (instances) and a third to a half (networks) of the public ones' cost.
# Nothing is cached between messages.


_make_link = maker(Link)
_make_address = maker(Address)
_make_nexthop = maker(Nexthop)
_make_route = maker(Route)

_LINK_KEYS = tuple(
    int(t)
    for t in (
        IFLA.IFNAME, IFLA.MTU, IFLA.ADDRESS, IFLA.BROADCAST, IFLA.OPERSTATE, IFLA.MASTER, IFLA.LINK,
        IFLA.LINK_NETNSID, IFLA.TXQLEN, IFLA.QDISC, IFLA.GROUP, IFLA.IFALIAS, IFLA.MIN_MTU, IFLA.MAX_MTU,
        IFLA.LINKINFO,
    )
)
_INFO_KEYS = (int(IFLA_INFO.KIND), int(IFLA_INFO.SLAVE_KIND))
_OPER_NAMES = {int(m): m.name for m in IF_OPER}


def _link(msg: Message) -> Link:
    h = msg.header
    a = msg.attrs
    assert h is not None and a is not None
    values = a.pick(_LINK_KEYS)
    info = values.pop()
    values += info.pick(_INFO_KEYS) if info is not None else (None, None)
    return _link_from(h, values)


def _link_from(h: Any, values: list[Any]) -> Link:
    _family, itype, index, flags, _change = h
    (name, mtu, address, broadcast, oper, master, link, netnsid, txqlen, qdisc, group, alias, min_mtu, max_mtu,
     kind, slave_kind) = values
    if kind is not None:
        kind = str(kind)
    if slave_kind is not None:
        slave_kind = str(slave_kind)
    return _make_link(
        index, name if type(name) is str else str(name), flags, mtu or 0, kind, itype, address, broadcast,
        "UNKNOWN" if oper is None else _OPER_NAMES.get(oper) or str(oper),
        master, link, netnsid, txqlen, qdisc, group or 0, alias, slave_kind, min_mtu, max_mtu,
    )


_ADDR_KEYS = tuple(int(t) for t in (IFA.LOCAL, IFA.ADDRESS, IFA.CACHEINFO, IFA.FLAGS, IFA.BROADCAST, IFA.LABEL))


def _address(msg: Message) -> Address:
    assert msg.header is not None and msg.attrs is not None
    return _address_from(msg.header, msg.attrs.pick(_ADDR_KEYS))


def _address_from(h: Any, values: list[Any]) -> Address:
    family, prefixlen, hflags, scope, index = h
    local, addr, ci, flags, broadcast, label = values
    peer = None
    if local is None:
        local = addr
    elif addr is not None and addr != local:
        peer = addr
    valid = preferred = None
    if ci is not None:
        valid = None if ci.valid == _FOREVER else ci.valid
        preferred = None if ci.prefered == _FOREVER else ci.prefered
    return _make_address(
        index, family, local, prefixlen, scope, hflags if flags is None else int(flags), peer, broadcast, label,
        valid, preferred,
    )


_ROUTE_KEYS = tuple(
    int(t)
    for t in (
        RTA.DST, RTA.SRC, RTA.MULTIPATH, RTA.TABLE, RTA.OIF, RTA.GATEWAY, RTA.PREFSRC, RTA.PRIORITY, RTA.NH_ID, RTA.VIA,
    )
)
_ANY = {int(AF.INET): ipaddress.ip_network("0.0.0.0/0"), int(AF.INET6): ipaddress.ip_network("::/0")}
_ANY4 = _ANY[int(AF.INET)]
_V4, _V6 = ipaddress.IPv4Address, ipaddress.IPv6Address
_GATEWAY = int(RTA.GATEWAY)
_VIA = int(RTA.VIA)
_TABLE = int(RTA.TABLE)
_NEWLINK, _NEWADDR, _NEWROUTE = int(RTM.NEWLINK), int(RTM.NEWADDR), int(RTM.NEWROUTE)


def _prefix(value: Any, prefixlen: int) -> Any:
    """RTA_DST / RTA_SRC as a network, from its payload bytes (a Picker's raw key) or its
    address object (the Message path); anything else (a payload that is no address)
    stays as it is. Host bits, if ever set (the kernel keeps prefixes masked), are
    cleared as ``strict=False`` does."""
    if type(value) is bytes:
        return network(value, prefixlen)
    if isinstance(value, (_V4, _V6)):
        return network(value.packed, prefixlen)
    return value


def _via_address(via: Any) -> IPAddress | None:
    """The next hop's address of an RTA_VIA (None for one that is no IP address)."""
    address = getattr(via, "address", None)
    return address if isinstance(address, (_V4, _V6)) else None


def _route(msg: Message) -> Route:
    assert msg.header is not None and msg.attrs is not None
    return _route_from(msg.header, msg.attrs.pick(_ROUTE_KEYS))


def _route_from(h: Any, values: list[Any]) -> Route:
    family, dst_len, src_len, tos, htable, protocol, scope, rtype, flags = h
    dst, src, mp, table, oif, gateway, prefsrc, priority, nhid, via = values
    dst = (_ANY.get(family) or _ANY4) if dst is None else _prefix(dst, dst_len)
    if src is not None:
        src = _prefix(src, src_len)
    if via is not None and gateway is None:
        gateway = _via_address(via)
    multipath: tuple[Nexthop, ...] = ()
    if mp:
        multipath = tuple(
            _make_nexthop(
                hop.header.ifindex, hop.attrs.get(_GATEWAY) or _via_address(hop.attrs.get(_VIA)), hop.header.hops + 1,
                hop.header.flags,
            )
            for hop in mp
        )
    return _make_route(
        family, dst, htable if table is None else table, protocol, scope, rtype, oif, gateway, prefsrc, priority,
        flags, tos, src, multipath, nhid,
    )


# Dump entries built straight from their bytes (Socket.dump(build=...)): the fixed header
# is unpacked, the values the result needs are read through a compiled layout
# (nlwire.wire.layout.Picker); a message no layout answers for yet is decoded the
# ordinary way (which teaches the layouts) and built from its Message.

_LEN_TYPE = struct.Struct(NLMSGHDR.struct.format[:3]).unpack_from  # type: ignore[union-attr]  # nlmsg_len, type
_LINK_PICK = Picker(LINK_ATTRS, (*_LINK_KEYS[:-1], *((int(IFLA.LINKINFO), k) for k in _INFO_KEYS)))
_ADDR_PICK = Picker(ADDR_ATTRS, _ADDR_KEYS)
_ROUTE_PICK = Picker(ROUTE_ATTRS, _ROUTE_KEYS, raw=(RTA.DST, RTA.SRC))


def _from_bytes(
    wanted: int,
    fixed: FixedStruct,
    pick: Picker,
    make: Callable[[Any, list[Any]], T],
    slow: Callable[[Message], T],
    skip_flags: int = 0,
) -> Callable[[bytes, int], T | None]:
    """A dump build function: messages of type ``wanted`` (others: None) made into results;
    ``skip_flags``: header ``flags`` bits that leave a message out (cloned routes)."""
    # the header as a record only where a layout may check a field of it by name
    record = None if pick.header_free else fixed.record
    unpack = fixed.struct.unpack_from  # type: ignore[union-attr]
    size = fixed.size
    least = NLMSG_HDRLEN + size
    body = NLMSG_HDRLEN + ((size + 3) & ~3)
    flags_at = fixed.fields.index("flags") if skip_flags else 0
    hot, search = pick.hot.get, pick.search
    new = tuple.__new__

    def build(data: bytes, off: int) -> T | None:
        ln, mtype = _LEN_TYPE(data, off)
        if mtype != wanted:
            return None
        if ln < least:
            return slow(decode_message(data, off))  # raises the DecodeError the dump records
        h: Any = unpack(data, off + NLMSG_HDRLEN)
        if skip_flags and h[flags_at] & skip_flags:
            return None
        if record is not None:
            h = new(record, h)
        start = off + (body if ln >= body else ln)
        fn = hot(ln - (start - off))  # the compiled picker that answered last for this size
        values = fn(data, start, h, None) if fn is not None else None
        if values is None:
            values = search(data, start, off + ln, h, fn)  # the other layouts of this size
            if values is None:
                return slow(decode_message(data, off))
        return make(h, values)

    return build


_link_at = _from_bytes(_NEWLINK, IFINFOMSG, _LINK_PICK, _link_from, _link)
_address_at = _from_bytes(_NEWADDR, IFADDRMSG, _ADDR_PICK, _address_from, _address)
_route_at = _from_bytes(_NEWROUTE, RTMSG, _ROUTE_PICK, _route_from, _route, _CLONED)


# ------------------------------------------------------------------------------ helpers


_DEFAULT_SPELLINGS = {"default": None, "0.0.0.0/0": AF.INET, "::/0": AF.INET6, "any": None, "all": None}


def _family_of(value: IPAddress | IPNetwork | IPInterface) -> int:
    return int(AF.INET) if value.version == 4 else int(AF.INET6)


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


def _ip(value: str | IPAddress) -> IPAddress:
    return value if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else ipaddress.ip_address(value)


def _retry(make: Callable[[], Iterator[T]], attempts: int = 3) -> list[T]:
    """The whole dump as a list; a dump interrupted by concurrent changes is redone."""
    for attempt in range(attempts):
        try:
            return list(make())
        except DumpInterrupted:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------------ the client


class Rtnl(SocketJobs):
    """An rtnetlink client: ``Rtnl(netns=None, *, timeout=10.0, capture=None, **socket_options)``.

    Every call is blocking and bounded by ``timeout``. Pass ``sock=`` to share an
    existing :class:`~nlwire.client.Socket` (it is then not closed by :meth:`close`).
    Threads may share one Rtnl: each call gets its own answers (see
    :class:`~nlwire.client.Socket`).
    """

    PROTOCOL = NETLINK.ROUTE

    # -- low level ----------------------------------------------------------------------------

    def _request(self, mtype: int, header: Any, attrs: Mapping[Any, Any] | list[tuple[Any, Any]], flags: int = 0,
                 attr_set: Any = None) -> Message:
        msg = Message(mtype, flags, header=header, attrs=Attrs(attr_set, attrs, header=header))
        return self.socket.request(msg)

    # -- links --------------------------------------------------------------------------------

    def iter_links(self) -> Iterator[Link]:
        """Stream every link as its datagram arrives (memory: one datagram)."""
        req = Message(RTM.GETLINK, header=IFINFOMSG.new(family=AF.UNSPEC))
        yield from self.socket.dump(req, build=_link_at)

    def links(self) -> list[Link]:
        """Every link of the namespace (the dump is retried if it was interrupted)."""
        return _retry(self.iter_links)

    def link(self, name_or_index: str | int) -> Link:
        """One link by name or index; :class:`~nlwire.errors.NotFound` naming it if absent
        (``nosuch0: No such device (ENODEV)``, also when another job looks up its ``dev``)."""
        if isinstance(name_or_index, int):
            header = IFINFOMSG.new(index=name_or_index)
            attrs: dict[Any, Any] = {}
            subject = f"ifindex {name_or_index}"
        else:
            header = IFINFOMSG.new()
            attrs = {IFLA.IFNAME: name_or_index}
            subject = name_or_index
        try:
            reply = self._request(RTM.GETLINK, header, attrs, attr_set=LINK_ATTRS)
        except NotFound as exc:
            raise exc.about(subject) from None
        if reply.type != RTM.NEWLINK:
            raise NotFound(errno.ENODEV, request_name="RTM_GETLINK", subject=subject)
        return _link(reply)

    def index_of(self, name_or_index: str | int) -> int:
        """The interface index of a name (an int is returned as is)."""
        if isinstance(name_or_index, int):
            return name_or_index
        return self.link(name_or_index).index

    def _new_link(self, name: str, kind: str, data: Mapping[Any, Any] | None, *, link: str | int | None = None,
                  mtu: int | None = None, address: str | None = None, up: bool = False,
                  extra: Mapping[Any, Any] | None = None) -> Link:
        attrs: dict[Any, Any] = {IFLA.IFNAME: name}
        if mtu is not None:
            attrs[IFLA.MTU] = mtu
        if address is not None:
            attrs[IFLA.ADDRESS] = address
        if link is not None:
            attrs[IFLA.LINK] = self.index_of(link)
        if extra:
            attrs.update(extra)
        info: dict[Any, Any] = {IFLA_INFO.KIND: kind}
        if data:
            info[IFLA_INFO.DATA] = dict(data)
        attrs[IFLA.LINKINFO] = info
        header = IFINFOMSG.new(flags=IFF.UP if up else 0, change=IFF.UP if up else 0)
        self._request(RTM.NEWLINK, header, attrs, _CREATE, attr_set=LINK_ATTRS)
        return self.link(name)

    def add_veth(self, name: str, peer: str, peer_netns: NetnsTarget = None, *, mtu: int | None = None,
                 up: bool = False) -> Link:
        """``ip link add NAME type veth peer name PEER [netns NS]`` in one request; returns NAME's Link."""
        peer_attrs: dict[Any, Any] = {IFLA.IFNAME: peer}
        if mtu is not None:
            peer_attrs[IFLA.MTU] = mtu
        fd = _put_netns(peer_attrs, peer_netns)
        try:
            data = {VETH_INFO.PEER: (IFINFOMSG.new(), peer_attrs)}
            return self._new_link(name, "veth", data, mtu=mtu, up=up)
        finally:
            if fd is not None:
                os.close(fd)

    def add_bridge(self, name: str, stp: bool = False, *, mtu: int | None = None, up: bool = False,
                   **options: Any) -> Link:
        """A bridge; ``stp`` sets IFLA_BR_STP_STATE; more IFLA_BR_* by name (``vlan_filtering=1``)."""
        data: dict[Any, Any] = {IFLA_BR.STP_STATE: 1 if stp else 0}
        data.update(options)
        return self._new_link(name, "bridge", data, mtu=mtu, up=up)

    def add_link(self, name: str, kind: str, *, link: str | int | None = None, mtu: int | None = None,
                 address: str | None = None, up: bool = False, data: Mapping[Any, Any] | None = None,
                 **options: Any) -> Link:
        """Any link kind; kind-specific IFLA_INFO_DATA attributes by name, e.g.
        ``add_link("vx0", "vxlan", id=42, port=4789)``, ``add_link("mv0", "macvlan", link="eth0", mode=4)``,
        ``add_link("vl5", "vlan", link="eth0", id=5)``. ``link`` is the parent (IFLA_LINK)."""
        merged: dict[Any, Any] = dict(data or {})
        merged.update(options)
        return self._new_link(name, kind, merged or None, link=link, mtu=mtu, address=address, up=up)

    def delete_link(self, name_or_index: str | int, *, missing_ok: bool = False) -> bool:
        """``ip link del DEV``; :class:`~nlwire.errors.NotFound` if absent, or False with ``missing_ok``."""
        if isinstance(name_or_index, int):
            header, attrs = IFINFOMSG.new(index=name_or_index), {}
        else:
            header, attrs = IFINFOMSG.new(), {IFLA.IFNAME: name_or_index}
        try:
            self._request(RTM.DELLINK, header, attrs, attr_set=LINK_ATTRS)
        except NotFound:
            if missing_ok:
                return False
            raise
        return True

    def set_link(
        self,
        name_or_index: str | int,
        *,
        up: bool | None = None,
        mtu: int | None = None,
        master: str | int | None = None,
        nomaster: bool = False,
        netns: NetnsTarget = None,
        new_name: str | None = None,
        address: str | None = None,
        txqlen: int | None = None,
        alias: str | None = None,
    ) -> None:
        """Change a link in ONE RTM_NEWLINK: state, mtu, master, address, name and namespace.

        With ``netns`` and ``new_name`` together the move and the rename happen
        atomically (IFLA_NET_NS_FD + IFLA_IFNAME in the same request), so the
        name never clashes in the target namespace.
        """
        if master is not None and nomaster:
            raise ValueError("master= and nomaster=True contradict each other")
        index = self.index_of(name_or_index)
        flags = change = 0
        if up is not None:
            change = IFF.UP
            flags = IFF.UP if up else 0
        attrs: dict[Any, Any] = {}
        if mtu is not None:
            attrs[IFLA.MTU] = mtu
        if master is not None:
            attrs[IFLA.MASTER] = self.index_of(master)
        if nomaster:
            attrs[IFLA.MASTER] = 0
        if address is not None:
            attrs[IFLA.ADDRESS] = address
        if txqlen is not None:
            attrs[IFLA.TXQLEN] = txqlen
        if alias is not None:
            attrs[IFLA.IFALIAS] = alias
        if new_name is not None:
            attrs[IFLA.IFNAME] = new_name
        fd = _put_netns(attrs, netns)
        try:
            header = IFINFOMSG.new(index=index, flags=flags, change=change)
            self._request(RTM.NEWLINK, header, attrs, attr_set=LINK_ATTRS)
        finally:
            if fd is not None:
                os.close(fd)

    # -- addresses ----------------------------------------------------------------------------

    def iter_addresses(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> Iterator[Address]:
        """Stream addresses (optionally of one family / one interface)."""
        index = self.index_of(dev) if dev is not None else 0
        req = Message(RTM.GETADDR, header=IFADDRMSG.new(family=family, index=index))
        for addr in self.socket.dump(req, build=_address_at):
            if not index or addr.index == index:
                yield addr

    def addresses(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> list[Address]:
        """Every address (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_addresses(family, dev))

    def _addr_message(self, dev: str | int, address: str | IPInterface, peer: str | IPAddress | None,
                      broadcast: str | IPAddress | bool | None, label: str | None,
                      scope: int | None) -> tuple[Any, dict[Any, Any]]:
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
        header = IFADDRMSG.new(family=family, prefixlen=iface.network.prefixlen, scope=scope or 0,
                               index=self.index_of(dev))
        return header, attrs

    def add_address(self, dev: str | int, address: str | IPInterface, *, peer: str | IPAddress | None = None,
                    broadcast: str | IPAddress | bool | None = None, label: str | None = None,
                    scope: int | None = None, replace: bool = False) -> None:
        """``ip addr add 10.0.0.2/24 dev DEV`` (``broadcast=True`` computes it as ``brd +``)."""
        header, attrs = self._addr_message(dev, address, peer, broadcast, label, scope)
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self._request(RTM.NEWADDR, header, attrs, flags, attr_set=ADDR_ATTRS)

    def delete_address(self, dev: str | int, address: str | IPInterface, *, missing_ok: bool = False) -> bool:
        """``ip addr del ADDRESS dev DEV``; :class:`~nlwire.errors.NotFound` if the address is
        absent, or False with ``missing_ok`` (a missing DEV raises either way)."""
        header, attrs = self._addr_message(dev, address, None, None, None, None)
        try:
            self._request(RTM.DELADDR, header, attrs, attr_set=ADDR_ATTRS)
        except NotFound:
            if missing_ok:
                return False
            raise
        return True

    # -- routes -------------------------------------------------------------------------------

    def iter_routes(self, family: int = AF.UNSPEC, table: int | None = RT_TABLE.MAIN) -> Iterator[Route]:
        """Stream routes of ``table`` (None: every table) like ``ip route show [table T]``.
        Cloned (cache) routes are left out."""
        attrs: dict[Any, Any] = {}
        if table is not None:
            attrs[RTA.TABLE] = table
        header = RTMSG.new(family=family)
        req = Message(RTM.GETROUTE, header=header, attrs=Attrs(ROUTE_ATTRS, attrs, header=header))
        try:
            if table is None:
                yield from self.socket.dump(req, build=_route_at)
            else:
                for route in self.socket.dump(req, build=_route_at):
                    if route.table == table:
                        yield route
        except NotFound:
            # a strict dump filtered by a table the namespace has not created yet:
            # "FIB table does not exist" means no routes, as `ip route show` prints
            if table is None:
                raise

    def routes(self, family: int = AF.UNSPEC, table: int | None = RT_TABLE.MAIN) -> list[Route]:
        """Every route of ``table`` (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_routes(family, table))

    def _route_message(
        self, dest: str | IPNetwork | IPAddress, dev: str | int | None, gateway: str | IPAddress | None,
        src: str | IPAddress | None, table: int | None, metric: int | None, *, delete: bool,
        protocol: int | None, scope: int | None, type: int,
    ) -> tuple[Any, dict[Any, Any]]:
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
        if family is None:
            family = int(AF.INET)
        attrs: dict[Any, Any] = {}
        if net is not None:
            attrs[RTA.DST] = net.network_address
        if gw is not None:
            attrs[RTA.GATEWAY] = gw
        if prefsrc is not None:
            attrs[RTA.PREFSRC] = prefsrc
        if dev is not None:
            attrs[RTA.OIF] = self.index_of(dev)
        if metric is not None:
            attrs[RTA.PRIORITY] = metric
        tbl = RT_TABLE.MAIN if table is None else table
        attrs[RTA.TABLE] = tbl
        if delete:
            rt_scope = RT_SCOPE.NOWHERE if scope is None else scope
            proto = 0 if protocol is None else protocol
        else:
            if scope is not None:
                rt_scope = scope
            elif gw is None and dev is not None:
                rt_scope = RT_SCOPE.LINK
            else:
                rt_scope = RT_SCOPE.UNIVERSE
            proto = RTPROT.BOOT if protocol is None else protocol
        header = RTMSG.new(
            family=family, dst_len=0 if net is None else net.prefixlen,
            table=tbl if 0 <= tbl < 256 else RT_TABLE.UNSPEC,  # RTA_TABLE carries it (and range-checks it)
            protocol=proto, scope=rt_scope, type=type,
        )
        return header, attrs

    def add_route(
        self,
        dest: str | IPNetwork | IPAddress,
        *,
        dev: str | int | None = None,
        gateway: str | IPAddress | None = None,
        src: str | IPAddress | None = None,
        table: int | None = None,
        metric: int | None = None,
        protocol: int | None = None,
        scope: int | None = None,
        type: int = RTN.UNICAST,
        replace: bool = False,
    ) -> None:
        """``ip route add|replace DEST [via GW] [dev DEV] [src SRC] [table T] [metric M]``.

        ``dest`` may be ``default``, ``0.0.0.0/0`` or ``::/0`` for a default route.
        Only a device and no gateway gives a link-scope route. ``replace`` sends
        NLM_F_REPLACE|NLM_F_CREATE, else NLM_F_CREATE|NLM_F_EXCL. A gateway or
        source of another family than ``dest`` raises EncodeError before sending.
        """
        header, attrs = self._route_message(dest, dev, gateway, src, table, metric, delete=False,
                                            protocol=protocol, scope=scope, type=type)
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self._request(RTM.NEWROUTE, header, attrs, flags, attr_set=ROUTE_ATTRS)

    def delete_route(
        self,
        dest: str | IPNetwork | IPAddress,
        *,
        dev: str | int | None = None,
        gateway: str | IPAddress | None = None,
        table: int | None = None,
        metric: int | None = None,
        missing_ok: bool = False,
    ) -> bool:
        """``ip route del DEST [via GW] [dev DEV] [table T]``; :class:`~nlwire.errors.NotFound` if
        the route is absent, or False with ``missing_ok`` (a missing DEV raises either way)."""
        header, attrs = self._route_message(dest, dev, gateway, None, table, metric, delete=True,
                                            protocol=None, scope=None, type=RTN.UNICAST)
        try:
            self._request(RTM.DELROUTE, header, attrs, attr_set=ROUTE_ATTRS)
        except NotFound:
            if missing_ok:
                return False
            raise
        return True


def _put_netns(attrs: dict[Any, Any], target: NetnsTarget) -> int | None:
    """Say in a link's ``attrs`` which namespace it goes to: IFLA_NET_NS_PID for a process
    id, IFLA_NET_NS_FD for anything else (a name, a path, an fd), checked as every
    ``netns=`` is. Returns the fd opened for it (the caller closes it) or None."""
    if target is None:
        return None
    pid = netns_pid(target)
    if pid is not None:
        attrs[IFLA.NET_NS_PID] = pid
        return None
    fd = open_netns(target)
    attrs[IFLA.NET_NS_FD] = fd
    return fd
