"""The typed rtnetlink results (Link, Address, Route, Nexthop, Neighbour, Rule) as ``nlwire.rtnl`` builds them.

``nlwire.rtnl`` makes results and their networks with the fast constructors of
``nlwire._objects`` (tested on their own in ``test_objects.py``). Here every
RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE / RTM_NEWNEIGH / RTM_NEWRULE of the nlmon captures (and of the recorded
benchmark dumps when they are on disk) is built both ways: by ``nlwire.rtnl`` and by a
plain reference written below (keyword constructors, ``Attrs.get``, networks parsed
from their text), and every field must agree, with the same types.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nlcaptures
import pytest

from nlwire import codec, rtnl
from nlwire._objects import maker
from nlwire.consts import AF, FRA, IF_OPER, IFA, IFLA, IFLA_INFO, NDA, RTA, RTAX, RTM, RTN, RTPROT
from nlwire.messages import Message
from nlwire.rtnl import Address, Link, Neighbour, Nexthop, Route, Rtnl, Rule
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

BENCH = Path(__file__).resolve().parent / "benchmarks"

# ------------------------------------------------------------------ the reference


def ref_link(msg: Message) -> Link:
    h, a = msg.header, msg.attrs
    assert h is not None and a is not None
    info = a.get(IFLA.LINKINFO)
    kind = info.get(IFLA_INFO.KIND) if info is not None else None
    slave_kind = info.get(IFLA_INFO.SLAVE_KIND) if info is not None else None
    oper = a.get(IFLA.OPERSTATE)
    if oper is None:
        oper_name = "UNKNOWN"
    else:
        try:
            oper_name = IF_OPER(oper).name
        except ValueError:
            oper_name = str(oper)
    return Link(
        index=h.index, name=str(a.get(IFLA.IFNAME)), flags=h.flags, mtu=a.get(IFLA.MTU) or 0,
        kind=None if kind is None else str(kind), type=h.type, address=a.get(IFLA.ADDRESS),
        broadcast=a.get(IFLA.BROADCAST), operstate=oper_name, master=a.get(IFLA.MASTER), link=a.get(IFLA.LINK),
        link_netnsid=a.get(IFLA.LINK_NETNSID), txqlen=a.get(IFLA.TXQLEN), qdisc=a.get(IFLA.QDISC),
        group=a.get(IFLA.GROUP) or 0, alias=a.get(IFLA.IFALIAS),
        slave_kind=None if slave_kind is None else str(slave_kind),
        min_mtu=a.get(IFLA.MIN_MTU), max_mtu=a.get(IFLA.MAX_MTU),
    )


def ref_address(msg: Message) -> Address:
    h, a = msg.header, msg.attrs
    assert h is not None and a is not None
    local, addr = a.get(IFA.LOCAL), a.get(IFA.ADDRESS)
    ci = a.get(IFA.CACHEINFO)
    forever = 0xFFFFFFFF
    flags = a.get(IFA.FLAGS)
    return Address(
        index=h.index, family=h.family, address=local if local is not None else addr, prefixlen=h.prefixlen,
        scope=h.scope, flags=h.flags if flags is None else int(flags),
        peer=addr if local is not None and addr is not None and addr != local else None,
        broadcast=a.get(IFA.BROADCAST), label=a.get(IFA.LABEL),
        valid_lft=None if ci is None or ci.valid == forever else ci.valid,
        preferred_lft=None if ci is None or ci.prefered == forever else ci.prefered,
    )


def _ref_net(addr: Any, plen: int) -> Any:
    if isinstance(addr, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return ipaddress.ip_network(f"{addr}/{plen}", strict=False)
    return addr


def ref_route(msg: Message) -> Route:
    h, a = msg.header, msg.attrs
    assert h is not None and a is not None
    dst = a.get(RTA.DST)
    if dst is None:
        dst = ipaddress.ip_network("::/0" if h.family == 10 else "0.0.0.0/0")
    src = a.get(RTA.SRC)
    def gateway_of(attrs: Any) -> Any:
        via = attrs.get(RTA.VIA)
        if attrs.get(RTA.GATEWAY) is None and via is not None and not isinstance(via.address, bytes):
            return via.address
        return attrs.get(RTA.GATEWAY)

    hops = tuple(
        Nexthop(oif=hop.header.ifindex, gateway=gateway_of(hop.attrs), weight=hop.header.hops + 1,
                flags=hop.header.flags)
        for hop in a.get(RTA.MULTIPATH) or ()
    )
    table = a.get(RTA.TABLE)
    metrics = a.get(RTA.METRICS)
    if metrics is not None:  # by RTAX_* name in lower case, read-only
        metrics = types.MappingProxyType({RTAX(t).name.lower(): v for t, v in metrics.items()})
    return Route(
        family=h.family, dst=_ref_net(dst, h.dst_len), table=h.table if table is None else table,
        protocol=h.protocol, scope=h.scope, type=h.type, oif=a.get(RTA.OIF), gateway=gateway_of(a),
        prefsrc=a.get(RTA.PREFSRC), priority=a.get(RTA.PRIORITY), flags=h.flags, tos=h.tos,
        src=None if src is None else _ref_net(src, h.src_len), multipath=hops, nhid=a.get(RTA.NH_ID),
        metrics=metrics,
    )


def ref_neighbour(msg: Message) -> Neighbour:
    h, a = msg.header, msg.attrs
    assert h is not None and a is not None
    return Neighbour(
        family=h.family, ifindex=h.ifindex, dst=a.get(NDA.DST), lladdr=a.get(NDA.LLADDR), state=h.state,
        flags=h.flags, type=h.type, probes=a.get(NDA.PROBES), vlan=a.get(NDA.VLAN), master=a.get(NDA.MASTER),
        protocol=a.get(NDA.PROTOCOL),
    )


def ref_rule(msg: Message) -> Rule:
    h, a = msg.header, msg.attrs
    assert h is not None and a is not None
    src, dst, table = a.get(FRA.SRC), a.get(FRA.DST), a.get(FRA.TABLE)
    unset = 0xFFFFFFFF  # the kernel's -1 for a suppressor not set
    prefixlen, ifgroup = a.get(FRA.SUPPRESS_PREFIXLEN), a.get(FRA.SUPPRESS_IFGROUP)
    return Rule(
        family=h.family, priority=a.get(FRA.PRIORITY) or 0, table=h.table if table is None else table,
        action=h.action, src=None if src is None else _ref_net(src, h.src_len),
        dst=None if dst is None else _ref_net(dst, h.dst_len), iif=a.get(FRA.IIFNAME), oif=a.get(FRA.OIFNAME),
        fwmark=a.get(FRA.FWMARK), fwmask=a.get(FRA.FWMASK), goto=a.get(FRA.GOTO), flags=h.flags, tos=h.tos,
        protocol=a.get(FRA.PROTOCOL), suppress_prefixlen=None if prefixlen == unset else prefixlen,
        suppress_ifgroup=None if ifgroup == unset else ifgroup,
    )


BUILDERS = {int(RTM.NEWLINK): (rtnl._link, ref_link), int(RTM.NEWADDR): (rtnl._address, ref_address),
            int(RTM.NEWROUTE): (rtnl._route, ref_route),
            int(RTM.NEWNEIGH): (rtnl.NEIGHBOUR.from_message, ref_neighbour),
            int(RTM.NEWRULE): (rtnl.RULE.from_message, ref_rule)}


def assert_same(ours: Any, ref: Any) -> None:
    """Equal field by field, with the same types (an int is not an IntEnum, a str not a str subclass)."""
    assert type(ours) is type(ref)
    for f in dataclasses.fields(ref):
        a, b = getattr(ours, f.name), getattr(ref, f.name)
        assert a == b, f.name
        assert type(a) is type(b), f.name
        if isinstance(b, tuple) and b and dataclasses.is_dataclass(b[0]):  # not a record of numbers
            for x, y in zip(a, b, strict=True):
                assert_same(x, y)
        if isinstance(b, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            assert (a.network_address, a.prefixlen, a.netmask) == (b.network_address, b.prefixlen, b.netmask)
            assert list(a.hosts())[:2] == list(b.hosts())[:2] if b.prefixlen >= b.max_prefixlen - 1 else True
    assert ours == ref
    assert hash(ours) == hash(ref)
    assert repr(ours) == repr(ref)


# ------------------------------------------------------------------ the messages


def _rtnl_messages(datagrams: Iterator[bytes]) -> Iterator[Message]:
    for g in datagrams:
        for m in codec.decode(g, 0):
            if m.type in BUILDERS and m.header is not None and m.attrs is not None:
                yield m


def _capture_datagrams() -> Iterator[bytes]:
    for name in nlcaptures.all_pcaps():
        for proto, g in nlcaptures.records(name):
            if proto == 0:
                yield g


def test_capture_messages_build_like_the_reference() -> None:
    seen = {t: 0 for t in BUILDERS}
    multipath = src = 0
    for m in _rtnl_messages(_capture_datagrams()):
        fast, ref = BUILDERS[m.type]
        ours = fast(m)
        assert_same(ours, ref(m))
        seen[m.type] += 1
        if isinstance(ours, Route):
            multipath += bool(ours.multipath)
            src += ours.src is not None
    assert all(seen.values()), seen
    if nlcaptures.capture_path("ip6-route-multipath.pcap") is not None:
        assert multipath and src  # that capture has both


def _dumps() -> dict[str, list[bytes]]:
    sys.path.insert(0, str(BENCH))
    try:
        import record_dumps
    finally:
        sys.path.remove(str(BENCH))
    if not record_dumps.DATA.exists() and (os.geteuid() != 0 or shutil.which("ip") is None):
        pytest.skip("no recorded dumps and not root with iproute2 to record them")
    return record_dumps.load(record_dumps.ensure())


def test_recorded_dumps_build_like_the_reference() -> None:
    dumps = _dumps()
    n = 0
    for kind in ("links", "addrs", "routes"):
        for m in _rtnl_messages(iter(dumps[kind])):
            fast, ref = BUILDERS[m.type]
            assert_same(fast(m), ref(m))
            n += 1
    assert n > 20_000


AT = {int(RTM.NEWLINK): rtnl._link_at, int(RTM.NEWADDR): rtnl._address_at, int(RTM.NEWROUTE): rtnl._route_at,
      int(RTM.NEWNEIGH): rtnl.NEIGHBOUR.at, int(RTM.NEWRULE): rtnl.RULE.at}
_CLONED = 0x200  # RTM_F_CLONED: left out of route listings


def _check_built_from_bytes(datagrams: Iterator[bytes]) -> int:
    """What Rtnl's dumps yield (built from the bytes through the layouts' Pickers, or
    through the Message when no layout answers) equals the reference, message by message.
    Each datagram goes three times: the first ones teach the layouts, the last is picked."""
    n = 0
    for g in datagrams:
        for _ in range(3):
            built = []
            for m in codec.decode(g, 0):
                build = AT.get(m.type)
                if build is not None:
                    built.append((m, build(g, m.offset)))
            for m, ours in built:
                if m.type == RTM.NEWROUTE and m.header.flags & _CLONED:
                    assert ours is None
                    continue
                assert_same(ours, BUILDERS[m.type][1](m))
                n += 1
    return n


def test_capture_messages_built_from_bytes_like_the_reference() -> None:
    assert _check_built_from_bytes(_capture_datagrams()) > 0


def test_recorded_dumps_built_from_bytes_like_the_reference() -> None:
    dumps = _dumps()
    picked = total = 0
    for kind, picker in (("links", rtnl._LINK_PICK), ("addrs", rtnl._ADDR_PICK), ("routes", rtnl._ROUTE_PICK)):
        assert _check_built_from_bytes(iter(dumps[kind])) > 0
        for g in dumps[kind]:
            for m in codec.decode(g, 0):
                if m.type not in AT:
                    continue
                start = m.offset + 16 + ((m.schema.header.size + 3) & ~3)
                picked += picker(g, start, m.offset + m.len, m.header) is not None
                total += 1
    assert picked > 0.99 * total > 20_000  # the layouts, not the fallback, answered


# ------------------------------------------------------------------ the constructors

SAMPLES: list[tuple[type, dict[str, Any]]] = [
    (Link, {"index": 3, "name": "veth0", "flags": 0x1043, "mtu": 1500}),
    (Link, {"index": 7, "name": "br0", "flags": 0, "mtu": 9000, "kind": "bridge", "type": 1,
            "address": "02:00:00:00:00:01", "broadcast": "ff:ff:ff:ff:ff:ff", "operstate": "UP", "master": 2,
            "link": 4, "link_netnsid": 0, "txqlen": 1000, "qdisc": "noqueue", "group": 5, "alias": "a",
            "slave_kind": "bridge", "min_mtu": 68, "max_mtu": 65535}),
    (Address, {"index": 2, "family": 2, "address": ipaddress.IPv4Address("10.0.0.2"), "prefixlen": 24}),
    (Address, {"index": 2, "family": 10, "address": ipaddress.IPv6Address("fd00::2"), "prefixlen": 64, "scope": 0,
               "flags": 0x80, "peer": ipaddress.IPv6Address("fd00::1"), "label": "x", "valid_lft": 30,
               "preferred_lft": 20}),
    (Nexthop, {"oif": 4}),
    (Nexthop, {"oif": 4, "gateway": ipaddress.IPv6Address("fe80::1"), "weight": 3, "flags": 1}),
    (Route, {"family": 2, "dst": ipaddress.ip_network("10.1.0.0/16"), "table": 254, "protocol": 3, "scope": 0,
             "type": 1}),
    (Route, {"family": 10, "dst": ipaddress.ip_network("::/0"), "table": 100, "protocol": 4, "scope": 0,
             "type": 1, "oif": 3, "gateway": ipaddress.IPv6Address("fe80::1"),
             "prefsrc": ipaddress.IPv6Address("fd00::2"), "priority": 1024, "flags": 0, "tos": 0,
             "src": ipaddress.ip_network("fd00::/64"), "multipath": (Nexthop(oif=3), Nexthop(oif=4, weight=2))}),
]


@pytest.mark.parametrize(("cls", "kwargs"), SAMPLES)
def test_positional_maker_equals_the_dataclass_constructor(cls: type, kwargs: dict[str, Any]) -> None:
    make = maker(cls)
    full = {f.name: kwargs.get(f.name, f.default) for f in dataclasses.fields(cls)}
    ours, ref = make(*full.values()), cls(**kwargs)
    assert type(ours) is cls
    assert_same(ours, ref)
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(ours, first, 9)
    assert dataclasses.asdict(ours) == dataclasses.asdict(ref)
    assert dataclasses.replace(ours) == ref
    assert not hasattr(ours, "__dict__")


def test_maker_refuses_what_it_cannot_build_directly() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, PostInit):
        with pytest.raises(TypeError):
            maker(cls)



# ------------------------------------------------------------------ against iproute2, live

_SETUP = (
    "link add m0 type veth peer name m1", "link add m2 type veth peer name m3",
    "link set lo up", "link set m0 up", "link set m1 up", "link set m2 up", "link set m3 up",
    "link set m2 alias uplink", "link set m3 group 7",
    "addr add 10.50.0.1/24 dev m0", "addr add 10.51.0.1/24 dev m2", "addr add 10.53.0.1 peer 10.53.0.2/32 dev m3",
    "addr add fd00:50::1/64 dev m0 nodad", "addr add fd00:51::1/64 dev m2 nodad",
    "addr add 10.52.0.1/24 brd + dev m1 label m1:lt valid_lft 300 preferred_lft 100",
    "route add 10.60.0.0/16 nexthop via 10.50.0.2 dev m0 weight 2 nexthop via 10.51.0.2 dev m2",
    "-6 route add fd00:60::/64 nexthop via fd00:50::2 dev m0 nexthop via fd00:51::2 dev m2 weight 3",
    "-6 route add fd00:61::/64 from fd00:50::/64 via fd00:50::fe dev m0",
    "route add blackhole 10.70.0.0/16", "route add unreachable 10.71.0.0/16 table 100",
    "route add 10.72.0.0/16 dev m0 tos 0x10 metric 9", "route add default via 10.50.0.254 src 10.50.0.1",
    # nexthop objects: one used alone, and a group (the kernel adds their paths, compat mode)
    "nexthop add id 20 via 10.50.0.3 dev m0", "nexthop add id 21 via 10.51.0.3 dev m2",
    "nexthop add id 22 group 20/21,4", "route add 10.80.0.0/16 nhid 20", "route add 10.81.0.0/16 nhid 22",
    # IPv4 routes via an IPv6 next hop (RTA_VIA), alone and in a multipath route
    "route add 10.82.0.0/16 via inet6 fe80::9 dev m0",
    "route add 10.83.0.0/16 nexthop via inet6 fe80::7 dev m0 nexthop via 10.51.0.7 dev m2",
)
_TABLES = {"main": 254, "local": 255, "default": 253}
_SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}


def _ip_route_key(r: dict[str, Any], index: dict[str, int]) -> tuple[Any, ...]:
    """A route as ``ip -j -d route show table all`` prints it, in nlwire's terms."""
    def name_or_number(enum: Any, value: Any) -> int:
        return int(value) if str(value).isdigit() else int(enum[str(value).upper()])

    dst = r["dst"]
    def gateway(entry: dict[str, Any]) -> Any:
        return entry.get("gateway") or entry.get("via", {}).get("host")

    hops = tuple(sorted((index[h["dev"]], gateway(h), h.get("weight", 1)) for h in r.get("nexthops", ())))
    return (
        name_or_number(RTN, r.get("type", "unicast")),
        None if dst == "default" else str(ipaddress.ip_network(dst)),
        _TABLES.get(r["table"]) or int(r["table"]),
        name_or_number(RTPROT, r.get("protocol", "boot")),
        _SCOPES[r.get("scope", "global")],
        int(r.get("tos", "0"), 16),
        r.get("metric"),
        index.get(r.get("dev", "")),
        gateway(r),
        r.get("prefsrc"),
        r.get("from"),
        hops,
        r.get("nhid"),
    )


def _route_key(r: Route) -> tuple[Any, ...]:
    def text(v: Any) -> str | None:
        return None if v is None else str(v)

    return (
        r.type, None if r.is_default else str(r.dst), r.table, r.protocol, r.scope, r.tos, r.priority, r.oif,
        text(r.gateway), text(r.prefsrc), text(r.src),
        tuple(sorted((h.oif, text(h.gateway), h.weight) for h in r.multipath)),
        r.nhid,
    )


@needs_root
@needs_ip
def test_every_field_equals_iproute2(netns: str) -> None:
    for cmd in _SETUP:
        ip(netns, *cmd.split())
    with Rtnl(netns=netns) as rt:
        links, addrs = rt.links(), rt.addresses()
        v4, v6 = rt.routes(AF.INET, table=None), rt.routes(AF.INET6, table=None)
    index = {link.name: link.index for link in links}

    for fam, ours, flag in ((AF.INET, v4, "-4"), (AF.INET6, v6, "-6")):
        theirs = [_ip_route_key(r, index) for r in ip_json(netns, flag, "-d", "route", "show", "table", "all")]
        assert sorted(map(_route_key, ours), key=repr) == sorted(theirs, key=repr), fam
    assert any(r.multipath for r in v4) and any(r.multipath for r in v6) and any(r.src for r in v6)

    oracle_links = {o["ifname"]: o for o in ip_json(netns, "-d", "link", "show")}
    assert sorted(oracle_links) == sorted(index)
    for link in links:
        o = oracle_links[link.name]
        assert (link.index, link.mtu, link.flags & 1, link.broadcast, link.qdisc, link.alias) == (
            o["ifindex"], o["mtu"], int("UP" in o["flags"]), o.get("broadcast"), o.get("qdisc"), o.get("ifalias"))
        assert (link.min_mtu, link.max_mtu) == (o.get("min_mtu"), o.get("max_mtu"))
        assert link.group == (0 if o.get("group") == "default" else int(o["group"]))

    forever = 0xFFFFFFFF
    oracle_addrs = {}
    for o in ip_json(netns, "addr", "show"):
        for a in o["addr_info"]:
            oracle_addrs[(o["ifindex"], a["local"])] = a
    assert sorted(oracle_addrs) == sorted((a.index, str(a.address)) for a in addrs)
    for a in addrs:
        o = oracle_addrs[(a.index, str(a.address))]
        assert (a.prefixlen, _SCOPES[o["scope"]], a.label) == (o["prefixlen"], a.scope, o.get("label"))
        assert (str(a.peer) if a.peer else None) == o.get("address")
        assert (str(a.broadcast) if a.broadcast else None) == o.get("broadcast")
        for ours_lft, key in ((a.valid_lft, "valid_life_time"), (a.preferred_lft, "preferred_life_time")):
            if o[key] == forever:
                assert ours_lft is None
            else:  # counts down in seconds between the two dumps
                assert ours_lft is not None and 0 <= ours_lft - o[key] <= 2
    assert any(a.valid_lft == 300 or a.valid_lft == 299 for a in addrs)
