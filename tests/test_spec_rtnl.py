"""The spec client on NETLINK_ROUTE: the kernel's netlink-raw specs (rt_link, rt_addr,
rt_route, tc) drive rtnetlink by their operations' names, in a private namespace, each
held against the tool that already speaks it (``ip -j``, ``tc -j``)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from nlwire.consts import NLM_F
from nlwire.errors import EncodeError, Exists
from nlwire.genl import SpecClient, SpecGenl
from nlwire.messages import Message
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.spec_marks import needs_spec as needs

pytestmark = [needs_root, needs_ip]


@pytest.fixture
def veth(netns: str) -> str:
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    ip(netns, "link", "set", "veth0", "up")
    ip(netns, "link", "set", "veth1", "up")
    ip(netns, "addr", "add", "10.7.0.1/24", "dev", "veth0")
    ip(netns, "addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
    ip(netns, "route", "add", "10.9.0.0/16", "via", "10.7.0.2", "dev", "veth0", "metric", "7")
    return netns


def ifindex(ns: str, name: str) -> int:
    return int(next(link["ifindex"] for link in ip_json(ns, "link", "show") if link["ifname"] == name))


def test_spec_client_is_spec_genl() -> None:
    """One class serves both protocols, by either name."""
    assert SpecClient is SpecGenl


@needs("rt_link")
def test_rt_link_getlink_dump_as_ip_shows_it(veth: str) -> None:
    """getlink's dump: one entry per link of ``ip -j link``, with its name, MTU, address,
    flags and (for the veths) the peer's index, keyed by the spec's names (the ifinfomsg
    fields among them: ``ifi-index``)."""
    with SpecClient("rt_link", veth) as rt:
        links = list(rt.dump("getlink"))
        one = rt.do("getlink", {"ifname": "veth0"})
    shown = {link["ifindex"]: link for link in ip_json(veth, "link", "show")}
    assert sorted(link["ifi-index"] for link in links) == sorted(shown)
    for link in links:
        oracle = shown[link["ifi-index"]]
        assert link["ifname"] == oracle["ifname"]
        assert link["mtu"] == oracle["mtu"]
        assert link["address"] == oracle["address"]
        assert link["txqlen"] == oracle["txqlen"]
        assert ("UP" in oracle["flags"]) == bool(link["ifi-flags"] & 1)  # IFF_UP
        if "link_index" in oracle or oracle["ifname"].startswith("veth"):
            assert link["link"] == ifindex(veth, "veth1" if oracle["ifname"] == "veth0" else "veth0")
    assert one is not None and one["ifname"] == "veth0" and one["ifi-index"] == ifindex(veth, "veth0")
    assert one["linkinfo"]["kind"] == "veth"


@needs("rt_addr")
def test_rt_addr_getaddr_as_ip_shows_it(veth: str) -> None:
    """getaddr's dump has the addresses ``ip -j addr`` lists: (index, local, prefix length),
    and their lifetimes, in the ``ifa-cacheinfo`` struct whose members come by their spec names
    (rt_addr's ifa-cacheinfo: ifa-prefered, ifa-valid, cstamp, tstamp)."""
    with SpecClient("rt_addr", veth) as rt:
        listed = list(rt.dump("getaddr"))
    got = {(a["ifa-index"], a.get("ifa-local") or a["ifa-address"], a["ifa-prefixlen"]) for a in listed}
    shown = {(link["ifindex"], info["local"], info["prefixlen"])
             for link in ip_json(veth, "addr", "show") for info in link["addr_info"]}
    assert got == shown
    assert (ifindex(veth, "veth0"), "2001:db8::1", 64) in got
    lifetimes = {(a.get("ifa-local") or a["ifa-address"]): a["ifa-cacheinfo"] for a in listed}
    for link in ip_json(veth, "addr", "show"):
        for info in link["addr_info"]:
            cache = lifetimes[info["local"]]
            assert sorted(cache) == ["cstamp", "ifa-prefered", "ifa-valid", "tstamp"]
            assert (cache["ifa-valid"], cache["ifa-prefered"]) == (info["valid_life_time"],
                                                                   info["preferred_life_time"])


@needs("rt_addr")
def test_rt_addr_newaddr_and_deladdr_through_the_spec(veth: str) -> None:
    """newaddr (with NLM_F_CREATE | NLM_F_EXCL: again is EEXIST) adds the address ``ip -j
    addr`` then shows, label included; deladdr removes it. The ifaddrmsg fields are given by
    their spec names among the attributes, as the spec's operation lists them."""
    index = ifindex(veth, "veth1")
    new = {"ifa-family": 2, "ifa-prefixlen": 28, "ifa-index": index, "ifa-local": "10.8.0.5",
           "ifa-address": "10.8.0.5", "ifa-label": "veth1:spec"}
    with SpecClient("rt_addr", veth) as rt:
        assert rt.do("newaddr", new, flags=NLM_F.CREATE | NLM_F.EXCL) is None
        with pytest.raises(Exists):
            rt.do("newaddr", new, flags=NLM_F.CREATE | NLM_F.EXCL)
        added = [i for link in ip_json(veth, "-4", "addr", "show", "dev", "veth1") for i in link["addr_info"]]
        assert [(i["family"], i["local"], i["prefixlen"], i["label"]) for i in added] == [
            ("inet", "10.8.0.5", 28, "veth1:spec")]
        assert rt.do("deladdr", {"ifa-family": 2, "ifa-prefixlen": 28, "ifa-index": index,
                                 "ifa-local": "10.8.0.5"}) is None
    assert [i for link in ip_json(veth, "-4", "addr", "show", "dev", "veth1") for i in link["addr_info"]] == []


@needs("rt_addr")
def test_an_attribute_outside_the_request_is_refused(veth: str) -> None:
    """getaddr's dump request takes no attribute, only ifaddrmsg's ifa-index: ifa-label is
    refused before sending."""
    with SpecClient("rt_addr", veth) as rt, pytest.raises(EncodeError) as err:
        rt.message("getaddr", {"ifa-label": "veth0"}, mode="dump")
    assert err.value.field == "ifa-label"
    assert "'ifa-label' is not in the dump request of rt-addr getaddr (it takes: none; ifaddrmsg fields: ifa-index)" \
        in str(err.value)


@needs("rt_route")
def test_rt_route_getroute_as_ip_shows_it(veth: str) -> None:
    """getroute's IPv4 dump, main table: the routes ``ip -j route`` shows (destination,
    gateway, device, metric)."""
    names = {link["ifindex"]: link["ifname"] for link in ip_json(veth, "link", "show")}
    with SpecClient("rt_route", veth) as rt:
        routes = [r for r in rt.dump("getroute", {"rtm-family": 2}) if r["rtm-table"] == 254]
    got = {(f"{r['rta-dst']}/{r['rtm-dst-len']}" if "rta-dst" in r else "default", r.get("rta-gateway"),
            names[r["rta-oif"]], r.get("rta-priority")) for r in routes}
    shown = {(route["dst"] if route["dst"] == "default" or "/" in route["dst"] else route["dst"] + "/32",
              route.get("gateway"), route["dev"], route.get("metric")) for route in ip_json(veth, "route", "show")}
    assert got == shown
    assert ("10.9.0.0/16", "10.7.0.2", "veth0", 7) in got


def _tc_handle(value: int) -> str:
    return f"{value >> 16:x}:" + (f"{value & 0xFFFF:x}" if value & 0xFFFF else "")


@needs("tc")
@pytest.mark.skipif(shutil.which("tc") is None, reason="iproute2's tc not installed")
def test_tc_getqdisc_dump_as_tc_shows_it(veth: str) -> None:
    """getqdisc dumped (the 6.12 spec gives it a do only; rtnetlink dumps it): each qdisc
    of ``tc -j qdisc`` by device, kind, handle and parent (uapi pkt_sched.h TC_H_ROOT =
    0xFFFFFFFF, TC_H_INGRESS = 0xFFFFFFF1)."""
    ip(veth, "link", "set", "veth1", "up")
    for args in (["root", "handle", "1:", "htb"], ["ingress"]):
        subprocess.run(["tc", "-n", veth, "qdisc", "add", "dev", "veth0", *args], check=True)
    names = {link["ifindex"]: link["ifname"] for link in ip_json(veth, "link", "show")}
    with SpecClient("tc", veth) as tc:
        got = {(names[q["ifindex"]], q["kind"], _tc_handle(q["handle"]),
                "root" if q["parent"] == 0xFFFFFFFF else _tc_handle(q["parent"])) for q in tc.dump("getqdisc")}
    shown = json.loads(subprocess.run(["tc", "-n", veth, "-j", "qdisc", "show"], check=True, capture_output=True,
                                      text=True).stdout)
    expected = {(q["dev"], q["kind"], q["handle"], "root" if q.get("root") else q["parent"]) for q in shown}
    assert got == expected
    assert ("veth0", "htb", "1:", "root") in got and ("veth0", "ingress", "ffff:", "ffff:fff1") in got


@needs("rt_link")
def test_rt_link_group_events_by_spec_name(netns: str) -> None:
    """Subscribed to rt_link's ``rtnlgrp-link``, a new veth pair arrives as RTM_NEWLINK
    notifications that :meth:`result` names by the spec (``ifname``, ``ifi-index``)."""
    with SpecClient("rt_link", netns) as rt:
        rt.subscribe("rtnlgrp-link")
        ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
        seen = {}
        for event in rt.events(timeout=2):
            assert isinstance(event, Message)
            got = rt.result(event)
            seen[got["ifname"]] = got["ifi-index"]
            if len(seen) == 2:
                break
    assert seen == {"veth0": ifindex(netns, "veth0"), "veth1": ifindex(netns, "veth1")}


@needs("nftables")
@pytest.mark.skipif(shutil.which("nft") is None, reason="nft not installed")
def test_nftables_gettable_dump_as_nft_lists_it(netns: str) -> None:
    """netlink-raw on another protocol: the nftables spec (NETLINK_NETFILTER, message types
    subsystem << 8 | message) dumps the tables ``nft -j list tables`` lists (uapi
    netfilter.h: NFPROTO_INET = 1, NFPROTO_IPV4 = 2)."""
    for family, name in (("inet", "t1"), ("ip", "t2")):
        subprocess.run(["ip", "netns", "exec", netns, "nft", "add", "table", family, name], check=True)
    with SpecClient("nftables", netns) as nft:
        got = {({1: "inet", 2: "ip"}[t["nfgen-family"]], t["name"], t["handle"]) for t in nft.dump("gettable")}
    listed = json.loads(subprocess.run(["ip", "netns", "exec", netns, "nft", "-j", "list", "tables"], check=True,
                                       capture_output=True, text=True).stdout)["nftables"]
    assert got == {(t["table"]["family"], t["table"]["name"], t["table"]["handle"]) for t in listed if "table" in t}
    assert len(got) == 2
