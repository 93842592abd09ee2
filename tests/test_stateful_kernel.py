"""Stateful test of the rtnetlink client against the real kernel, in a private namespace.

A hypothesis ``RuleBasedStateMachine`` adds, deletes and changes veth pairs, bridges,
IPv4 addresses and routes with :class:`nlwire.rtnl.Rtnl`, keeps a model of what should
exist, and after every step compares nlwire's own dumps with the model and with
``ip -n NS -j ...`` (iproute2 as the oracle). Invalid steps are part of the game: adding
what exists must raise :class:`~nlwire.errors.Exists`, deleting what does not must
report it. Each example runs in a fresh namespace that is deleted afterwards.
Bounded by the hypothesis profile (``ci``: 10 examples x 15 steps).
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from nlwire.consts import AF
from nlwire.errors import Exists, NetlinkError, NotFound

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.oracle,
    pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root and iproute2"),
]

PAIRS = [("va0", "vb0"), ("va1", "vb1"), ("va2", "vb2")]
VETHS = [n for pair in PAIRS for n in pair]
BRIDGES = ["br0", "br1"]
NAMES = VETHS + BRIDGES
RTPROT_KERNEL = 2


def ip_json(ns: str, *args: str) -> Any:
    out = subprocess.run(["ip", "-n", ns, "-j", *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")


class Link:
    def __init__(self, kind: str, peer: str | None = None) -> None:
        self.kind = kind
        self.peer = peer
        self.mtu = 1500
        self.up = False
        self.master: str | None = None


class KernelMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        from nlwire.rtnl import Rtnl

        self.ns = f"nlwire-sm-{secrets.token_hex(4)}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.rtnl = Rtnl(f"/run/netns/{self.ns}")
        self.links: dict[str, Link] = {}
        self.addrs: set[tuple[str, str]] = set()
        self.routes: set[tuple[str, str]] = set()

    def teardown(self) -> None:
        self.rtnl.close()
        subprocess.run(["ip", "netns", "del", self.ns], check=False)

    # -- model helpers ---------------------------------------------------------------

    def _forget(self, name: str) -> None:
        self.links.pop(name, None)
        self.addrs = {a for a in self.addrs if a[0] != name}
        self.routes = {r for r in self.routes if r[1] != name}
        for link in self.links.values():
            if link.master == name:
                link.master = None

    # -- rules -----------------------------------------------------------------------

    @rule(pair=st.sampled_from(PAIRS))
    def add_veth(self, pair: tuple[str, str]) -> None:
        a, b = pair
        if a in self.links or b in self.links:
            with pytest.raises(Exists):
                self.rtnl.add_veth(a, b)
            return
        link = self.rtnl.add_veth(a, b)
        assert link.name == a and link.kind == "veth"
        self.links[a], self.links[b] = Link("veth", b), Link("veth", a)

    @rule(name=st.sampled_from(BRIDGES))
    def add_bridge(self, name: str) -> None:
        if name in self.links:
            with pytest.raises(Exists):
                self.rtnl.add_bridge(name)
            return
        assert self.rtnl.add_bridge(name).kind == "bridge"
        self.links[name] = Link("bridge")

    @rule(name=st.sampled_from(NAMES))
    def delete_link(self, name: str) -> None:
        existed = name in self.links
        assert self.rtnl.delete_link(name, missing_ok=True) is existed
        if existed:
            peer = self.links[name].peer
            self._forget(name)
            if peer is not None:
                self._forget(peer)

    @rule(name=st.sampled_from(NAMES), up=st.booleans())
    def set_up(self, name: str, up: bool) -> None:
        if name not in self.links:
            with pytest.raises(NotFound):
                self.rtnl.set_link(name, up=up)
            return
        self.rtnl.set_link(name, up=up)
        self.links[name].up = up
        if not up:  # IPv4 routes through a device that goes down are flushed
            self.routes = {r for r in self.routes if r[1] != name}

    @rule(name=st.sampled_from(VETHS), mtu=st.integers(1280, 9000))
    def set_mtu(self, name: str, mtu: int) -> None:
        link = self.links.get(name)
        if link is None or link.master is not None:
            return  # a port's MTU also moves its bridge's: out of this model
        self.rtnl.set_link(name, mtu=mtu)
        link.mtu = mtu

    @rule(port=st.sampled_from(VETHS), bridge=st.sampled_from([*BRIDGES, None]))
    def set_master(self, port: str, bridge: str | None) -> None:
        if port not in self.links or (bridge is not None and bridge not in self.links):
            return
        if bridge is None:
            self.rtnl.set_link(port, nomaster=True)
        else:
            self.rtnl.set_link(port, master=bridge)
        self.links[port].master = bridge

    @rule(name=st.sampled_from(NAMES), net=st.integers(0, 3), host=st.integers(1, 3))
    def add_address(self, name: str, net: int, host: int) -> None:
        if name not in self.links:
            return
        iface = f"10.{NAMES.index(name)}.{net}.{host}/24"
        if (name, iface) in self.addrs:
            with pytest.raises(Exists):
                self.rtnl.add_address(name, iface)
            return
        self.rtnl.add_address(name, iface)
        self.addrs.add((name, iface))

    @rule(name=st.sampled_from(NAMES), net=st.integers(0, 3), host=st.integers(1, 3))
    def delete_address(self, name: str, net: int, host: int) -> None:
        if name not in self.links:
            return
        iface = f"10.{NAMES.index(name)}.{net}.{host}/24"
        existed = (name, iface) in self.addrs
        assert self.rtnl.delete_address(name, iface, missing_ok=True) is existed
        self.addrs.discard((name, iface))

    @rule(name=st.sampled_from(NAMES), net=st.integers(0, 3))
    def add_route(self, name: str, net: int) -> None:
        if name not in self.links:
            return
        dst = f"192.168.{net}.0/24"
        if not self.links[name].up:
            with pytest.raises(NetlinkError):  # ENETDOWN
                self.rtnl.add_route(dst, dev=name)
            return
        if any(r[0] == dst for r in self.routes):
            with pytest.raises(Exists):
                self.rtnl.add_route(dst, dev=name)
            return
        self.rtnl.add_route(dst, dev=name)
        self.routes.add((dst, name))

    @rule(net=st.integers(0, 3))
    def delete_route(self, net: int) -> None:
        dst = f"192.168.{net}.0/24"
        existed = any(r[0] == dst for r in self.routes)
        assert self.rtnl.delete_route(dst, missing_ok=True) is existed
        self.routes = {r for r in self.routes if r[0] != dst}

    # -- the comparison after every step ----------------------------------------------

    @invariant()
    def nlwire_agrees_with_the_model_and_with_iproute2(self) -> None:
        links = {link.name: link for link in self.rtnl.links() if link.name != "lo"}
        by_index = {link.index: link.name for link in links.values()}
        mine = {
            name: (link.kind, link.up, by_index.get(link.master) if link.master else None)
            for name, link in links.items()
        }
        model = {name: (m.kind, m.up, m.master) for name, m in self.links.items()}
        assert mine == model
        for name, m in self.links.items():
            if m.kind == "veth":
                assert links[name].mtu == m.mtu, name

        oracle = {
            j["ifname"]: (
                j.get("linkinfo", {}).get("info_kind"),
                "UP" in j.get("flags", []),
                j.get("master"),
            )
            for j in ip_json(self.ns, "-d", "link", "show")
            if j["ifname"] != "lo"
        }
        assert {n.split("@")[0]: v for n, v in oracle.items()} == mine
        ip_mtu = {j["ifname"]: j["mtu"] for j in ip_json(self.ns, "link", "show")}
        assert all(ip_mtu[name] == link.mtu for name, link in links.items())

        addrs = {(by_index[a.index], str(a.interface)) for a in self.rtnl.addresses(AF.INET) if a.index in by_index}
        assert addrs == self.addrs
        ip_addrs = {
            (j["ifname"], f"{a['local']}/{a['prefixlen']}")
            for j in ip_json(self.ns, "-4", "addr", "show")
            if j["ifname"] != "lo"
            for a in j.get("addr_info", [])
        }
        assert ip_addrs == addrs

        routes = {
            (str(r.dst), by_index.get(r.oif or 0, "?"))
            for r in self.rtnl.routes(AF.INET)
            if r.protocol != RTPROT_KERNEL
        }
        assert routes == self.routes
        ip_routes = {
            (str(ipaddress.ip_network(j["dst"])), j.get("dev", "?"))
            for j in ip_json(self.ns, "-4", "route", "show")
            if j.get("protocol") != "kernel"
        }
        assert ip_routes == routes


def test_routes_of_a_namespace_without_a_main_table_is_empty() -> None:
    """Found by the state machine: ``ip route show`` prints nothing in a fresh namespace,
    Rtnl.routes() raised NotFound("RTM_GETROUTE: ipv4: FIB table does not exist")."""
    from nlwire.rtnl import Rtnl

    ns = f"nlwire-sm-{secrets.token_hex(4)}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        with Rtnl(f"/run/netns/{ns}") as rtnl:
            assert ip_json(ns, "-4", "route", "show") == []
            assert rtnl.routes(AF.INET) == []
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


KernelMachine.TestCase.settings = settings(
    settings.default,
    max_examples=min(settings.default.max_examples, 10),
    stateful_step_count=min(settings.default.stateful_step_count, 15),
    deadline=None,
)
TestKernel = KernelMachine.TestCase
