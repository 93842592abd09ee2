"""The everyday rtnetlink jobs beyond links, addresses and routes (neighbours, the bridge
FDB, rules, route lookup, flushes), each against the kernel in a private namespace, with
iproute2 (``ip -j``, ``bridge -j``) as the oracle."""

from __future__ import annotations

import errno
import json
import queue
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from nlwire import rtnl_jobs as jobs
from nlwire.client import Overrun
from nlwire.codec import encode
from nlwire.consts import AF, FR_ACT, IFLA_INFO, NTF, NUD, RTAX, RTM
from nlwire.errors import EncodeError, Exists, NetlinkError, NotFound
from nlwire.netns import with_netns
from nlwire.rtnl import Address, Event, Link, Neighbour, Route, Rtnl, Rule
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import LINKINFO_ATTRS
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

pytestmark = [needs_root, needs_ip]

needs_bridge = pytest.mark.skipif(shutil.which("bridge") is None, reason="iproute2's bridge not installed")


def _names(ns: str) -> dict[int, str]:
    return {link["ifindex"]: link["ifname"] for link in ip_json(ns, "link", "show")}


def _veths(ns: str) -> None:
    ip(ns, "link", "add", "n0", "type", "veth", "peer", "name", "n1")
    for dev in ("n0", "n1"):
        ip(ns, "link", "set", dev, "up")
    ip(ns, "addr", "add", "10.7.0.1/24", "dev", "n0")


def _agree(ours: Callable[[], Any], theirs: Callable[[], Any]) -> Any:
    """``ours() == theirs()`` once iproute2 shows the same thing before and after nlwire's
    read: the kernel adds entries of its own meanwhile (IPv6 multicast neighbours, learnt
    FDB entries) when links come up. Returns what both show."""
    for _ in range(20):
        before, mine, after = theirs(), ours(), theirs()
        if before == after:
            assert mine == before
            return mine
        time.sleep(0.1)
    raise AssertionError("iproute2's view did not settle")


# ------------------------------------------------------------------ neighbours


def _neigh_rows(ns: str, neighbours: list[Neighbour], one_dev: bool = False) -> list[Any]:
    """nlwire's neighbours as ``ip -j neigh`` shows them (the keys it prints; no ``dev``
    when it shows ``one_dev``)."""
    names = _names(ns)
    rows = []
    for n in neighbours:
        row: dict[str, Any] = {"dst": str(n.dst)} if one_dev else {"dst": str(n.dst), "dev": names[n.ifindex]}
        if n.lladdr is not None:
            row["lladdr"] = n.lladdr
        if n.router:
            row["router"] = None
        row["state"] = list(n.states)
        rows.append(row)
    return sorted(rows, key=repr)


def _ip_neigh(ns: str, *args: str, family: str | None = None) -> list[Any]:
    keys = ("dst", "dev", "lladdr", "router", "state")
    shown = ip_json(ns, *([family] if family else []), "neigh", "show", "nud", "all", *args)
    return sorted(({k: r[k] for k in keys if k in r} for r in shown), key=repr)


def test_neighbours_equal_ip_neigh(netns: str) -> None:
    """Entries in several states, of both families, made the iproute2 way, listed by nlwire
    with their state names as ``ip -j neigh show nud all`` lists them."""
    _veths(netns)
    ip(netns, "neigh", "add", "10.7.0.2", "lladdr", "02:00:00:00:00:02", "dev", "n0", "nud", "permanent")
    ip(netns, "neigh", "add", "10.7.0.3", "lladdr", "02:00:00:00:00:03", "dev", "n0", "nud", "stale")
    ip(netns, "neigh", "add", "10.7.0.4", "lladdr", "02:00:00:00:00:04", "dev", "n1", "nud", "noarp")
    ip(netns, "neigh", "add", "fe80::5", "lladdr", "02:00:00:00:00:05", "dev", "n0", "router")
    with Rtnl(netns=netns) as rt:
        _agree(lambda: _neigh_rows(netns, rt.neighbours()), lambda: _ip_neigh(netns))
        assert _agree(lambda: _neigh_rows(netns, rt.neighbours(AF.INET6)), lambda: _ip_neigh(netns, family="-6"))
        assert _agree(lambda: _neigh_rows(netns, rt.neighbours(dev="n1"), True), lambda: _ip_neigh(netns, "dev", "n1"))
        every = rt.neighbours()
    assert all(isinstance(n, Neighbour) for n in every)
    [stale] = [n for n in every if str(n.dst) == "10.7.0.3"]
    assert (stale.state, stale.states, stale.family) == (NUD.STALE, ("STALE",), AF.INET)


def test_neighbour_add_replace_delete_flush(netns: str) -> None:
    _veths(netns)
    ip(netns, "neigh", "add", "10.7.0.9", "lladdr", "02:00:00:00:00:09", "dev", "n1", "nud", "stale")
    with Rtnl(netns=netns) as rt:
        rt.add_neighbour("n0", "10.7.0.2", "02:00:00:00:00:02")
        rt.add_neighbour("n0", "10.7.0.3", "02:00:00:00:00:03", state=NUD.STALE)
        rt.add_neighbour("n0", "fe80::5", "02:00:00:00:00:05", router=True)
        _agree(lambda: _neigh_rows(netns, rt.neighbours(dev="n0"), True), lambda: _ip_neigh(netns, "dev", "n0"))
        [row] = ip_json(netns, "neigh", "show", "to", "fe80::5", "dev", "n0")
        assert (row["lladdr"], row["state"], "router" in row) == ("02:00:00:00:00:05", ["PERMANENT"], True)
        with pytest.raises(Exists):
            rt.add_neighbour("n0", "10.7.0.2", "02:00:00:00:00:22")
        rt.add_neighbour("n0", "10.7.0.2", "02:00:00:00:00:22", replace=True)
        [row] = ip_json(netns, "neigh", "show", "to", "10.7.0.2", "dev", "n0")
        assert row["lladdr"] == "02:00:00:00:00:22"
        assert rt.delete_neighbour("n0", "10.7.0.2") is True
        assert ip_json(netns, "neigh", "show", "to", "10.7.0.2", "dev", "n0") == []
        with pytest.raises(NotFound):
            rt.delete_neighbour("n0", "10.7.0.2")
        assert rt.delete_neighbour("n0", "10.7.0.2", missing_ok=True) is False
        with pytest.raises(NotFound, match="nosuch0"):
            rt.add_neighbour("nosuch0", "10.7.0.2", "02:00:00:00:00:02")
        # ip neigh flush dev n0: the stale entry goes, the permanent one stays; n1's is untouched
        gone = rt.flush_neighbours("n0")
        assert [str(n.dst) for n in gone] == ["10.7.0.3"]
        left = _ip_neigh(netns, "dev", "n0")
        assert "10.7.0.3" not in {r["dst"] for r in left} and "fe80::5" in {r["dst"] for r in left}
        rt.flush_neighbours("n0", permanent=True)
        # (the kernel may add a NOARP entry for an IPv6 multicast address of n0 at any time, as
        # MLD runs: one appeared after the flush in one full run; it is not one of these)
        left = ip_json(netns, "neigh", "show", "nud", "all", "dev", "n0")
        assert [r for r in left if not (r["dst"].startswith("ff") and r.get("state") == ["NOARP"])] == []
        assert [r["dst"] for r in ip_json(netns, "neigh", "show", "dev", "n1")] == ["10.7.0.9"]


# ------------------------------------------------------------------ the bridge FDB


def _fdb_rows(ns: str, entries: list[Neighbour], one_dev: bool = False) -> list[Any]:
    """nlwire's FDB entries as ``bridge -j fdb show`` shows them (its state names:
    permanent, static (NOARP), stale, else none; no ``ifname`` when it shows ``one_dev``)."""
    names = _names(ns)
    rows = []
    for n in entries:
        row: dict[str, Any] = {"mac": n.lladdr} if one_dev else {"mac": n.lladdr, "ifname": names[n.ifindex]}
        row["flags"] = ["self"] if n.flags & NTF.SELF else []
        if n.master is not None:
            row["master"] = names[n.master]
        state = next((name for bit, name in ((NUD.PERMANENT, "permanent"), (NUD.NOARP, "static"),
                                             (NUD.STALE, "stale")) if n.state & bit), None)
        if state:
            row["state"] = state
        rows.append(row)
    return sorted(rows, key=repr)


def _bridge_fdb(ns: str, *args: str) -> list[Any]:
    out = subprocess.run(["bridge", "-n", ns, "-j", "fdb", "show", *args], check=True, capture_output=True,
                         text=True).stdout
    keys = ("mac", "ifname", "flags", "master", "state")
    return sorted(({k: r[k] for k in keys if k in r} for r in json.loads(out)), key=repr)


@needs_bridge
def test_fdb_equals_bridge_fdb(netns: str) -> None:
    ip(netns, "link", "add", "br0", "type", "bridge")
    _veths(netns)
    ip(netns, "link", "set", "n1", "master", "br0")
    subprocess.run(["bridge", "-n", netns, "fdb", "add", "02:00:00:00:00:aa", "dev", "n1", "master", "static"],
                   check=True)
    with Rtnl(netns=netns) as rt:
        _agree(lambda: _fdb_rows(netns, rt.fdb()), lambda: _bridge_fdb(netns))
        rt.add_fdb("02:00:00:00:00:bb", "n1")
        rt.add_fdb("02:00:00:00:00:cc", "n1", static=True)
        with pytest.raises(Exists):
            rt.add_fdb("02:00:00:00:00:cc", "n1", static=True)
        theirs = _agree(lambda: _fdb_rows(netns, rt.fdb("n1"), True), lambda: _bridge_fdb(netns, "dev", "n1"))
        mine = {(r["mac"], r.get("state")) for r in theirs if r.get("master") == "br0"}
        assert {("02:00:00:00:00:bb", "permanent"), ("02:00:00:00:00:cc", "static")} <= mine
        assert rt.delete_fdb("02:00:00:00:00:cc", "n1") is True
        assert rt.delete_fdb("02:00:00:00:00:cc", "n1", missing_ok=True) is False
        with pytest.raises(NotFound):
            rt.delete_fdb("02:00:00:00:00:cc", "n1")
        assert "02:00:00:00:00:cc" not in {r["mac"] for r in _bridge_fdb(netns, "dev", "n1")}
        # the request a flush sends for a listed entry deletes it
        [entry] = [n for n in rt.fdb("n1") if n.lladdr == "02:00:00:00:00:bb"]
        rt.socket.request(jobs.deleting(entry))
        assert "02:00:00:00:00:bb" not in {r["mac"] for r in _bridge_fdb(netns, "dev", "n1")}


# ------------------------------------------------------------------ rules

_TABLE_NAMES = {255: "local", 254: "main", 253: "default"}
_ACTION_NAMES = {FR_ACT.NOP: "nop", FR_ACT.BLACKHOLE: "blackhole", FR_ACT.UNREACHABLE: "unreachable",
                 FR_ACT.PROHIBIT: "prohibit"}


def _rule_rows(rules: list[Rule]) -> list[Any]:
    """nlwire's rules as ``ip -j rule`` shows them (iproute2's ip/iprule.c: a selector's
    length only when it is no host's, the mark in hex, a mask only when not all ones)."""
    rows = []
    for r in rules:
        row: dict[str, Any] = {"priority": r.priority}
        for key, net in (("src", r.src), ("dst", r.dst)):
            if net is None:
                if key == "src":
                    row["src"] = "all"
                continue
            row[key] = str(net.network_address)
            if net.prefixlen != net.max_prefixlen:
                row[f"{key}len"] = net.prefixlen
        if r.fwmark is not None:
            row["fwmark"] = hex(r.fwmark)
        if r.fwmask is not None and r.fwmask != 0xFFFFFFFF:
            row["fwmask"] = hex(r.fwmask)
        if r.iif is not None:
            row["iif"] = r.iif
        if r.oif is not None:
            row["oif"] = r.oif
        if r.table:
            row["table"] = _TABLE_NAMES.get(r.table, str(r.table))
        if r.action == FR_ACT.GOTO:
            row["goto"] = r.goto
        elif r.action in _ACTION_NAMES:
            row["action"] = _ACTION_NAMES[FR_ACT(r.action)]
        rows.append(row)
    return rows


def _ip_rule(ns: str, family: str) -> list[Any]:
    keys = ("priority", "src", "srclen", "dst", "dstlen", "fwmark", "fwmask", "iif", "oif", "table", "goto", "action")
    return [{k: r[k] for k in keys if k in r} for r in ip_json(ns, family, "rule", "show")]


def test_rules_equal_ip_rule(netns: str) -> None:
    """Rules made the iproute2 way, listed by nlwire as ``ip -j rule`` lists them (in its order)."""
    for cmd in ("from 10.1.0.0/16 to 10.2.0.0/16 iif v0 fwmark 0x10/0xff table 100 prio 1000",
                "prio 1001 oif v1 blackhole", "prio 1002 from 10.9.9.9 goto 32766", "prio 1003 fwmark 7 lookup 300",
                "prio 1004 to 192.168.0.0/24 prohibit"):
        ip(netns, "rule", "add", *cmd.split())
    ip(netns, "-6", "rule", "add", "prio", "2001", "to", "fd00::/8", "unreachable")
    with Rtnl(netns=netns) as rt:
        v4, v6 = rt.rules(AF.INET), rt.rules(AF.INET6)
        assert rt.rules() == v4 + v6
    assert _rule_rows(v4) == _ip_rule(netns, "-4")
    assert _rule_rows(v6) == _ip_rule(netns, "-6")
    [lookup] = [r for r in v4 if r.priority == 1000]
    assert (lookup.table, lookup.action, lookup.fwmark, lookup.fwmask, lookup.iif) == (100, FR_ACT.TO_TBL, 0x10, 0xFF,
                                                                                        "v0")
    assert lookup.suppress_prefixlen is None


def test_rule_add_delete(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_rule(priority=1000, src="10.1.0.0/16", dst="10.2.0.0/16", iif="v0", fwmark=0x10, fwmask=0xFF,
                    table=100)
        rt.add_rule(priority=1001, oif="v1", action=FR_ACT.BLACKHOLE)
        rt.add_rule(priority=1002, src="10.9.9.9", goto=32766)
        rt.add_rule(priority=1003, fwmark=7, table=300)
        rt.add_rule(priority=1005, table=1000)  # a table id that does not fit the header's byte
        rt.add_rule(priority=2001, dst="fd00::/8", action=FR_ACT.UNREACHABLE)
        with pytest.raises(Exists):
            rt.add_rule(priority=1003, fwmark=7, table=300)
        with pytest.raises(EncodeError):
            rt.add_rule(src="10.0.0.0/8", dst="fd00::/8")
        assert _rule_rows(rt.rules(AF.INET)) == _ip_rule(netns, "-4")
        assert _rule_rows(rt.rules(AF.INET6)) == _ip_rule(netns, "-6")
        assert [r["priority"] for r in _ip_rule(netns, "-4")] == [0, 1000, 1001, 1002, 1003, 1005, 32766, 32767]
        assert rt.delete_rule(priority=1003) is True
        assert rt.delete_rule(src="10.1.0.0/16", table=100) is True
        assert rt.delete_rule(dst="fd00::/8") is True
        with pytest.raises(NotFound):
            rt.delete_rule(priority=1003)
        assert rt.delete_rule(priority=1003, missing_ok=True) is False
        assert [r["priority"] for r in _ip_rule(netns, "-4")] == [0, 1001, 1002, 1005, 32766, 32767]
        assert [r["priority"] for r in _ip_rule(netns, "-6")] == [0, 32766]
        assert _rule_rows(rt.rules(AF.INET)) == _ip_rule(netns, "-4")


# ------------------------------------------------------------------ route lookup and metrics


def _route_row(ns: str, route: Route) -> dict[str, Any]:
    """What ``ip -j route get`` says of a lookup (its keys that a Route holds)."""
    names = _names(ns)
    row: dict[str, Any] = {"dst": str(route.dst.network_address), "dev": names[route.oif or 0]}
    if route.gateway is not None:
        row["gateway"] = str(route.gateway)
    if route.prefsrc is not None:
        row["prefsrc"] = str(route.prefsrc)
    if route.src is not None:
        row["from"] = str(route.src.network_address)
    row["table"] = {254: "main", 255: "local"}.get(route.table, str(route.table))
    return row


def _ip_route_get(ns: str, *args: str) -> dict[str, Any]:
    [row] = ip_json(ns, "-d", "route", "get", *args)
    return {k: row[k] for k in ("dst", "dev", "gateway", "prefsrc", "from", "table") if k in row}


_METRIC_NAMES = {"cc_algo": "congestion"}  # ip's name of RTAX_CC_ALGO; the others are the kernel's


def _ip_metrics(route: Route) -> dict[str, Any]:
    """Route.metrics as ``ip -j`` shows them (RTAX_LOCK is shown as a "lock" list there)."""
    return {_METRIC_NAMES.get(k, k): v for k, v in (route.metrics or {}).items() if k != "lock"}


def test_route_get_equals_ip_route_get(netns: str) -> None:
    _veths(netns)
    ip(netns, "route", "add", "10.60.0.0/16", "via", "10.7.0.2")
    ip(netns, "route", "add", "10.70.0.0/16", "via", "10.7.0.3", "table", "100")
    ip(netns, "rule", "add", "fwmark", "5", "table", "100")
    ip(netns, "route", "add", "10.50.0.0/16", "dev", "n0", "mtu", "lock", "1400", "advmss", "1300", "hoplimit", "5",
       "congctl", "cubic")
    with Rtnl(netns=netns) as rt:
        cases: list[tuple[tuple[str, ...], Route]] = [
            (("10.7.0.9",), rt.route_get("10.7.0.9")),
            (("10.60.1.1",), rt.route_get("10.60.1.1")),
            (("10.60.1.1", "from", "10.7.0.1"), rt.route_get("10.60.1.1", src="10.7.0.1")),
            (("10.70.1.1", "mark", "5"), rt.route_get("10.70.1.1", mark=5)),
            (("10.50.1.1",), rt.route_get("10.50.1.1")),
            (("fe80::5", "oif", "n0"), rt.route_get("fe80::5", oif="n0")),
        ]
        for args, route in cases:
            assert _route_row(netns, route) == _ip_route_get(netns, *args), args
        assert cases[3][1].table == 100 and str(cases[3][1].gateway) == "10.7.0.3"
        [theirs] = ip_json(netns, "route", "get", "10.50.1.1")
        assert _ip_metrics(cases[4][1]) == theirs["metrics"][0] and cases[4][1].metrics["lock"] == 1 << RTAX.MTU
        with pytest.raises(NetlinkError) as caught:
            rt.route_get("192.0.2.1")
        assert caught.value.errno == errno.ENETUNREACH
        with pytest.raises(NotFound, match="nosuch0"):
            rt.route_get("10.7.0.9", oif="nosuch0")


def test_route_metrics_equal_ip_route(netns: str) -> None:
    """Metrics read from a dump (routes made by ip) and written by add_route (read by ip)."""
    _veths(netns)
    ip(netns, "route", "add", "10.50.0.0/16", "dev", "n0", "mtu", "1400", "advmss", "1300", "window", "65535",
       "initcwnd", "10", "congctl", "cubic")
    with Rtnl(netns=netns) as rt:
        rt.add_route("10.51.0.0/16", dev="n0", metrics={"mtu": 1300, "hoplimit": 9, "rto_min": 200})
        ours = {str(r.dst): r for r in rt.routes()}
    theirs = {r["dst"]: r for r in ip_json(netns, "route", "show")}
    for dst in ("10.50.0.0/16", "10.51.0.0/16"):
        assert _ip_metrics(ours[dst]) == theirs[dst]["metrics"][0], dst
    assert theirs["10.51.0.0/16"]["metrics"][0] == {"mtu": 1300, "hoplimit": 9, "rto_min": 200}
    assert ours["10.7.0.0/24"].metrics is None
    with pytest.raises(TypeError):
        ours["10.50.0.0/16"].metrics["mtu"] = 1  # type: ignore[index]


# ------------------------------------------------------------------ flushes


def test_flush_addresses_of_a_device(netns: str) -> None:
    """Primaries, a secondary, a peer address and IPv6 ones (made by ip) go in one call;
    the other device's stay."""
    _veths(netns)
    for args in (("10.7.0.2/24",), ("10.8.0.1/24",), ("10.9.0.1", "peer", "10.9.0.2/32"), ("fd00::1/64",)):
        ip(netns, "addr", "add", *args, "dev", "n0")
    ip(netns, "addr", "add", "10.6.0.1/24", "dev", "n1")
    [before] = ip_json(netns, "addr", "show", "dev", "n0")
    with Rtnl(netns=netns) as rt:
        gone = rt.flush_addresses("n0")
        assert rt.flush_addresses("n0") == []
    shown = {(a["local"], a["prefixlen"]) for a in before["addr_info"]}
    assert {(str(a.address), a.prefixlen) for a in gone} == shown
    assert {"10.7.0.1", "10.7.0.2", "10.9.0.1", "fd00::1"} <= {str(a.address) for a in gone}
    [after] = ip_json(netns, "addr", "show", "dev", "n0")
    assert after["addr_info"] == []
    [other] = ip_json(netns, "addr", "show", "dev", "n1")
    assert [a["local"] for a in other["addr_info"] if a["family"] == "inet"] == ["10.6.0.1"]


def test_flush_routes_of_a_table_and_of_a_device(netns: str) -> None:
    _veths(netns)
    ip(netns, "addr", "add", "10.6.0.1/24", "dev", "n1")
    for args in (("10.60.0.0/16", "via", "10.7.0.2"), ("10.61.0.0/16", "dev", "n1"), ("default", "via", "10.6.0.9"),
                 ("10.62.0.0/16", "dev", "n0", "table", "100"), ("10.63.0.0/16", "via", "10.6.0.2", "table", "100"),
                 ("10.64.0.0/16", "dev", "n0", "metric", "7"), ("10.65.0.0/16", "tos", "0x10", "dev", "n0")):
        ip(netns, "route", "add", *args)
    with Rtnl(netns=netns) as rt:
        # ip route flush table 100
        gone = rt.flush_routes(table=100)
        assert sorted(str(r.dst) for r in gone) == ["10.62.0.0/16", "10.63.0.0/16"]
        assert ip_json(netns, "route", "show", "table", "100") == []
        # ip route flush dev n0 (table main): n1's routes and the default route via n1 stay
        main = {r["dst"] for r in ip_json(netns, "route", "show")}
        gone = rt.flush_routes(dev="n0", family=AF.INET)
        through_n0 = {"10.60.0.0/16", "10.64.0.0/16", "10.65.0.0/16", "10.7.0.0/24"}
        assert {str(r.dst) for r in gone} == through_n0
        left = {r["dst"] for r in ip_json(netns, "route", "show")}
        assert left == main - through_n0 == {"default", "10.61.0.0/16", "10.6.0.0/24"}
        assert [r["dst"] for r in ip_json(netns, "-6", "route", "show", "dev", "n0")]  # IPv6's untouched
        gone = rt.flush_routes(table=None, family=AF.INET6, dev="n1")
        assert gone and ip_json(netns, "-6", "route", "show", "table", "all", "dev", "n1") == []


# ------------------------------------------------------------------ an undeclared link kind


def test_undeclared_link_kind_is_named(netns: str) -> None:
    """IFLA_INFO_DATA of a kind nlwire declares no attributes for can only be bytes; data
    given by name says the kind is not declared (it said ``binary: expected bytes, got
    dict``), before anything is sent. Bytes still go as they are."""
    with Rtnl(netns=netns) as rt:
        # wireguard has no IFLA_INFO_DATA (it is configured over generic netlink)
        with pytest.raises(EncodeError, match=r"IFLA_INFO_KIND 'wireguard' is not declared \(declared: bond, .*xfrm\)"):
            rt.add_link("wg0", "wireguard", mode=1)
        assert [link.name for link in rt.links()] == ["lo"]
    with pytest.raises(EncodeError, match="IFLA_INFO_KIND 'dummy' is not declared"):
        encode(jobs.new_link("d0", "dummy", {1: 5}))
    raw = b"\x08\x00\x01\x00\x05\x00\x00\x00"
    info = Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "dummy", IFLA_INFO.DATA: raw})
    assert info.encode().endswith(b"\x0c\x00\x02\x00" + raw)


# ------------------------------------------------------------------ link properties and counters


def test_set_link_address_alias_txqlen_group(netns: str) -> None:
    _veths(netns)
    with Rtnl(netns=netns) as rt:
        rt.set_link("n0", address="02:00:00:00:aa:01", alias="uplink", txqlen=77, group=5)
        link = rt.link("n0")
    [shown] = ip_json(netns, "-d", "link", "show", "n0")
    assert (shown["address"], shown["ifalias"], shown["txqlen"], shown["group"]) == ("02:00:00:00:aa:01", "uplink",
                                                                                      77, "5")
    assert (link.address, link.alias, link.txqlen, link.group) == ("02:00:00:00:aa:01", "uplink", 77, 5)
    [other] = ip_json(netns, "link", "show", "n1")
    assert other["group"] == "default"


_STATS_KEYS = {"rx": ("bytes", "packets", "errors", "dropped", "over_errors", "multicast"),
               "tx": ("bytes", "packets", "errors", "dropped", "carrier_errors", "collisions")}


def _stats_as_ip(stats: Any) -> dict[str, Any]:
    """Link.stats as ``ip -j -s link`` shows IFLA_STATS64 (``rx``/``tx`` counters by
    iproute2's names: over_errors, carrier_errors, collisions without a prefix)."""
    def field(way: str, key: str) -> int:
        name = key if key in ("multicast", "collisions") else f"{way}_{key}"
        return int(getattr(stats, name))

    return {way: {key: field(way, key) for key in keys} for way, keys in _STATS_KEYS.items()}


def test_link_stats_equal_ip_s_link(netns: str) -> None:
    """Datagrams sent out of n0 (to a permanent neighbour, so without ARP) are counted on
    n0's tx and n1's rx, as ``ip -j -s link`` shows them."""
    _veths(netns)
    ip(netns, "neigh", "add", "10.7.0.99", "lladdr", "02:00:00:00:00:99", "dev", "n0")

    def send(count: int) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for _ in range(count):
                sock.sendto(b"x" * 100, ("10.7.0.99", 9))

    with Rtnl(netns=netns) as rt:
        before = rt.link("n0", stats=True).stats
        with_netns(netns, send, 5)
        for dev in ("n0", "n1"):
            def theirs(dev: str = dev) -> Any:
                return ip_json(netns, "-s", "link", "show", dev)[0]["stats64"]

            def ours(dev: str = dev) -> Any:
                return _stats_as_ip(rt.link(dev, stats=True).stats)

            _agree(ours, theirs)
        after = rt.link("n0", stats=True)
        with_netns(netns, send, 1)
        again = rt.link("n0", stats=True)
        listed = {link.name: link for link in rt.links(stats=True)}
        plain = rt.link("n0")
    assert after.stats.tx_packets - before.tx_packets >= 5 and after.stats.tx_bytes - before.tx_bytes >= 5 * 128
    # the counters moved, the link is the same: stats are no part of equality or hash
    assert again.stats != after.stats and again == after and hash(again) == hash(after)
    assert listed["n0"].stats.tx_packets >= again.stats.tx_packets and listed["n1"].stats.rx_packets >= 6
    assert plain.stats is None and plain == again  # without stats=True the counters are not read


# ------------------------------------------------------------------ typed events


class _Monitor:
    """``ip -n NS monitor label link address route neigh`` running alongside, its lines read
    by a thread."""

    def __init__(self, ns: str) -> None:
        self.proc = subprocess.Popen(["ip", "-n", ns, "monitor", "label", "link", "address", "route", "neigh"],
                                     stdout=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str, timeout: float = 10) -> list[str]:
        """The lines up to the first (included) holding ``text``."""
        out = []
        deadline = time.monotonic() + timeout
        while not out or text not in out[-1]:
            out.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
        return out

    def started(self, ns: str) -> None:
        """Once ``ip monitor`` has joined its groups: lo's mtu is changed until it shows."""
        for attempt in range(50):
            ip(ns, "link", "set", "lo", "mtu", str(60000 + attempt))
            try:
                self.until(f"mtu {60000 + attempt} ", timeout=0.2)
                return
            except queue.Empty:
                continue
        raise AssertionError("ip monitor shows nothing")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        self.reader.join()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


_TYPE_WORDS = {"local", "broadcast", "multicast", "unicast", "anycast", "unreachable", "blackhole", "prohibit"}


def _monitor_events(lines: list[str]) -> list[tuple[str, bool, str]]:
    """``(label, deleted, what)`` of each event ``ip monitor label`` printed: a link's
    name, an address with its prefix, a route's or a neighbour's destination."""
    out = []
    for line in lines:
        m = re.match(r"\[(LINK|ADDR|ROUTE|NEIGH)\](Deleted )?(.*)", line)
        if not m:
            continue  # a continuation line
        label, rest = m[1], m[3]
        if label == "LINK":
            what = re.match(r"\d+: ([^@:]+)", rest)[1]  # type: ignore[index]
        elif label == "ADDR":
            what = re.search(r"inet6? (\S+)", rest)[1]  # type: ignore[index]
        else:
            words = rest.split()
            what = words[1] if label == "ROUTE" and words[0] in _TYPE_WORDS else words[0]
        out.append((label, m[2] is not None, what))
    return out


def _as_monitor(event: Event) -> tuple[str, bool, str]:
    v = event.value
    if isinstance(v, Link):
        return "LINK", event.deleted, v.name
    if isinstance(v, Address):
        return "ADDR", event.deleted, f"{v.address}/{v.prefixlen}"
    if isinstance(v, Route):
        dst = str(v.dst.network_address) if v.dst.prefixlen == v.dst.max_prefixlen else str(v.dst)
        return "ROUTE", event.deleted, "default" if v.dst.prefixlen == 0 else dst
    assert isinstance(v, Neighbour)
    return "NEIGH", event.deleted, str(v.dst)


def test_watch_yields_what_ip_monitor_shows(netns: str) -> None:
    """Links, addresses, routes and neighbours made and deleted by ip, watched by nlwire and by
    ``ip monitor`` at once: the same events, in the same order, between two changes of lo's
    mtu that mark the start and the end."""
    ip(netns, "link", "set", "lo", "up")  # a change of a link that is down is not announced
    monitor = _Monitor(netns)
    try:
        monitor.started(netns)
        with Rtnl(netns=netns) as rt:
            watch = rt.watch(timeout=10)
            for cmd in ("link add w0 type veth peer name w1", "addr add 10.33.0.1/24 dev w0", "link set w0 up",
                        "link set w1 up", "route add 10.34.0.0/16 dev w0", "neigh add 10.33.0.5 lladdr "
                        "02:00:00:00:00:05 dev w0", "route del 10.34.0.0/16", "addr del 10.33.0.1/24 dev w0",
                        "link del w0", "link set lo mtu 61234"):
                ip(netns, *cmd.split())
            theirs = _monitor_events(monitor.until("mtu 61234 "))
            ours: list[Event] = []
            for event in watch:
                assert isinstance(event, Event)
                ours.append(event)
                if isinstance(event.value, Link) and event.value.mtu == 61234:
                    break
    finally:
        monitor.close()
    assert [_as_monitor(e) for e in ours] == theirs
    assert {"LINK", "ADDR", "ROUTE", "NEIGH"} <= {label for label, _, _ in theirs}
    assert any(deleted for _, deleted, _ in theirs)
    new_links = [e.value.name for e in ours if e.added and isinstance(e.value, Link)]
    assert new_links == ["w1", "w0"]
    assert all(e.type in (RTM.NEWLINK, RTM.DELLINK) for e in ours if isinstance(e.value, Link))


def test_watch_says_overrun_when_events_were_lost(netns: str) -> None:
    """With a receive buffer far too small for 300 address events, the watch yields
    Overrun where the kernel dropped some, and goes on with the events after it."""
    _veths(netns)
    with Rtnl(netns=netns, rcvbuf=4096) as rt:
        watch = rt.watch("addresses", timeout=2)
        batch = "".join(f"addr add 10.40.{i // 250}.{i % 250 + 1}/32 dev n0\n" for i in range(300))
        subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True)
        items = list(watch)
    assert any(isinstance(i, Overrun) for i in items)
    events = [i for i in items if isinstance(i, Event)]
    assert events and len(events) < 300 and all(isinstance(e.value, Address) for e in events)
    with pytest.raises(ValueError, match="cannot watch"):
        rt.watch("tc")
