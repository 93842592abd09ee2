"""nlwire.recipe: results compiled from declarations (a field <- a header field, an attribute,
a nested attribute, or a function of them with a default).

Recipes written here, not the library's own, are compiled and run on live dumps of a
private namespace, through both paths (straight from the bytes with the picker's layouts,
and from decoded messages), and every field is held against ``ip -j``. The compiler's
refusals, its generated source (linecache, tracebacks) and the work a dump entry costs
(counted calls, not time) are checked on their own.
"""

from __future__ import annotations

import dataclasses
import inspect
import ipaddress
import linecache
import traceback
from typing import Any

import pytest

from nlwire import codec, rtnl_jobs
from nlwire.consts import AF, IFLA, IFLA_INFO, RTA, RTM
from nlwire.messages import Message
from nlwire.recipe import Recipe, attr, call, header
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import IFINFOMSG, LINK_ATTRS, ROUTE_ATTRS, RTMSG
from tests.netns_fixtures import ip, ip_json, needs_ip
from tests.workcount import calls


@dataclasses.dataclass(frozen=True, slots=True)
class LinkRow:
    ifindex: int
    ifname: str
    mtu: int
    info_kind: str | None
    ifalias: str


LINK_ROW = Recipe(LinkRow, IFINFOMSG, LINK_ATTRS, {
    "ifindex": header("index"),  # a header field
    "ifname": attr(IFLA.IFNAME),  # an attribute
    "mtu": attr(IFLA.MTU),
    "info_kind": attr(IFLA.LINKINFO, IFLA_INFO.KIND),  # a nested attribute
    "ifalias": call(str.strip, attr(IFLA.IFALIAS), default=""),  # a function, with a default
}, message=RTM.NEWLINK)


def host_or_prefix(raw: bytes, plen: int) -> str:
    """``ip route``'s spelling of a destination: a host route without its /32."""
    net = ipaddress.ip_network((raw, plen))
    return str(net.network_address) if plen == net.max_prefixlen else str(net)


@dataclasses.dataclass(frozen=True, slots=True)
class RouteRow:
    dst: str
    table: int
    gateway: str | None
    type: int


ROUTE_ROW = Recipe(RouteRow, RTMSG, ROUTE_ATTRS, {
    # a function of a raw attribute and a header field; absent (the default route): a constant
    "dst": call(host_or_prefix, attr(RTA.DST, raw=True), header("dst_len"), default="default"),
    "table": attr(RTA.TABLE, default=header("table")),  # absent: another source
    "gateway": call(str, attr(RTA.GATEWAY)),  # absent: None, str not called
    "type": header("type"),
}, message=RTM.NEWROUTE)

_SETUP = (
    "link add r0 type veth peer name r1", "link add br0 type bridge", "link set r1 master br0",
    "link set r0 mtu 1400", "link set r0 alias uplink", "link set lo up", "link set r0 up", "link set r1 up",
    "addr add 10.9.0.1/24 dev r0", "route add 10.20.0.0/16 via 10.9.0.2", "route add 10.21.0.5 dev r0",
    "route add default via 10.9.0.254", "route add 10.22.0.0/24 via 10.9.0.3 table 100",
    "route add blackhole 10.23.0.0/16",
)
_TABLES = {"main": 254, "local": 255, "default": 253}
_TYPES = {"unicast": 1, "local": 2, "broadcast": 3, "blackhole": 6}


def _both_paths(rt: Rtnl, req: Message, recipe: Recipe[Any]) -> list[Any]:
    """The dump made by ``recipe.at`` from the bytes (the third time: the layouts are
    compiled by then), checked equal to ``recipe.from_message`` of the decoded dump."""
    for _ in range(2):
        list(rt.socket.dump(req, build=recipe.at))
    from_bytes = list(rt.socket.dump(req, build=recipe.at))
    from_messages = [recipe.from_message(m) for m in rt.socket.dump(req)]
    assert from_bytes == from_messages
    assert recipe.picker.hot, "no dump entry was made through a compiled layout"
    return from_bytes


@needs_ip
def test_recipe_fields_equal_iproute2(netns: str) -> None:
    for line in _SETUP:
        ip(netns, *line.split())
    with Rtnl(netns=netns) as rt:
        links = _both_paths(rt, rtnl_jobs.dump_links(), LINK_ROW)
        routes = _both_paths(rt, Message(RTM.GETROUTE, header=RTMSG.new(family=AF.INET)), ROUTE_ROW)

    theirs = [LinkRow(o["ifindex"], o["ifname"], o["mtu"], o.get("linkinfo", {}).get("info_kind"),
                      o.get("ifalias", "")) for o in ip_json(netns, "-d", "link", "show")]
    assert sorted(links, key=repr) == sorted(theirs, key=repr)
    assert {(r.ifname, r.info_kind, r.ifalias) for r in links} >= {("lo", None, ""), ("r0", "veth", "uplink"),
                                                                    ("br0", "bridge", "")}

    theirs_routes = [
        RouteRow(o["dst"], _TABLES.get(o.get("table", "main")) or int(o["table"]), o.get("gateway"),
                 _TYPES[o.get("type", "unicast")])
        for o in ip_json(netns, "-4", "route", "show", "table", "all")
    ]
    assert sorted(routes, key=repr) == sorted(theirs_routes, key=repr)
    assert {"default", "10.21.0.5", "10.20.0.0/16"} <= {r.dst for r in routes}
    assert any(r.table == 100 for r in routes) and any(r.gateway is None for r in routes)


# ------------------------------------------------------------------ the compiler on its own


@dataclasses.dataclass(frozen=True, slots=True)
class Pair:
    mtu: int
    name: str


def test_call_waits_for_its_attributes_and_takes_its_default() -> None:
    seen: list[Any] = []

    def twice(value: int) -> int:
        seen.append(value)
        return 2 * value

    recipe = Recipe(Pair, IFINFOMSG, LINK_ATTRS, {
        "mtu": call(twice, attr(IFLA.MTU), default=attr(IFLA.MIN_MTU, default=-1)),
        "name": call(str.upper, attr(IFLA.IFNAME, default="none")),  # its own default: always called
    })
    header_ = IFINFOMSG.new(index=3)
    with_mtu = Attrs(LINK_ATTRS, {IFLA.MTU: 1500, IFLA.IFNAME: "eth0"}, header=header_)
    assert recipe.from_parts(header_, with_mtu) == Pair(3000, "ETH0")
    assert seen == [1500]
    assert recipe.from_parts(header_, Attrs(LINK_ATTRS, {IFLA.MIN_MTU: 68}, header=header_)) == Pair(68, "NONE")
    assert recipe.from_parts(header_, Attrs(LINK_ATTRS, {}, header=header_)) == Pair(-1, "NONE")
    assert seen == [1500]  # not called without IFLA_MTU


def test_declarations_the_compiler_refuses() -> None:
    with pytest.raises(TypeError, match=r"no source for \['name'\]"):
        Recipe(Pair, IFINFOMSG, LINK_ATTRS, {"mtu": attr(IFLA.MTU)})
    with pytest.raises(TypeError, match="ifinfomsg has no field 'mtu'"):
        Recipe(Pair, IFINFOMSG, LINK_ATTRS, {"mtu": header("mtu"), "name": attr(IFLA.IFNAME)})
    with pytest.raises(TypeError, match="not an attribute of IFLA at that depth"):  # IFLA_MTU is no nest
        Recipe(Pair, IFINFOMSG, LINK_ATTRS, {"mtu": attr(IFLA.MTU, 1), "name": attr(IFLA.IFNAME)})
    with pytest.raises(TypeError, match="both raw and decoded"):
        Recipe(Pair, IFINFOMSG, LINK_ATTRS, {"mtu": attr(IFLA.MTU), "name": attr(IFLA.MTU, raw=True)})


def _route_bytes(n: int) -> tuple[bytes, list[int]]:
    """A datagram of ``n`` RTM_NEWROUTE of one layout (as a dump sends them) and their offsets."""
    msgs = []
    for i in range(n):
        h = RTMSG.new(family=AF.INET, dst_len=24, table=254, protocol=4, type=1)
        values = {RTA.TABLE: 254, RTA.DST: f"10.{i}.0.0", RTA.GATEWAY: "10.255.0.1", RTA.OIF: 2}
        msgs.append(Message(RTM.NEWROUTE, 2, seq=1, header=h, attrs=Attrs(ROUTE_ATTRS, values, header=h)))
    data = b"".join(codec.encode(m) for m in msgs)
    return data, [m.offset for m in codec.decode(data, 0)]


def test_generated_source_is_readable_and_in_tracebacks() -> None:
    def refuse(value: int) -> int:
        raise RuntimeError("no")

    recipe = Recipe(Pair, IFINFOMSG, LINK_ATTRS, {"mtu": call(refuse, attr(IFLA.MTU)), "name": attr(IFLA.IFNAME)})
    assert "self.mtu = (None if a0 is None else refuse(a0))" in recipe.source
    assert inspect.getsource(recipe.from_parts) in recipe.source
    header_ = IFINFOMSG.new()
    with pytest.raises(RuntimeError) as err:
        recipe.from_parts(header_, Attrs(LINK_ATTRS, {IFLA.MTU: 1}, header=header_))
    shown = "".join(traceback.format_tb(err.value.__traceback__))
    assert "<nlwire.recipe Pair #" in shown and "self.mtu = (None if a0 is None else refuse(a0))" in shown
    frame = err.value.__traceback__.tb_next  # type: ignore[union-attr]
    assert frame is not None and linecache.getline(frame.tb_frame.f_code.co_filename, frame.tb_lineno).strip()


def test_route_dump_entry_work_is_counted() -> None:
    """Work per route made from the bytes, in calls (Python and C) once the layout is
    compiled: 20 through the hand-written builder this replaced, 15 now (the nlmsghdr and
    rtmsg in one unpack, no builder call in between, the route made in place, one call per
    network)."""
    data, offsets = _route_bytes(50)

    def dump() -> list[Any]:
        return [rtnl_jobs.ROUTE.at(data, off) for off in offsets]

    first = dump()
    assert first == [rtnl_jobs.ROUTE.from_message(m) for m in codec.decode(data, 0)]
    dump()
    assert calls(dump) <= 15 * len(offsets) + 5  # + the list comprehension itself
