"""``nlwire spec`` (also ``nlwire genl``) run as a subprocess, in a private namespace:
netlink-raw families driven from the command line, trees of results, --subscribe printing
a group's notifications as ``nlwire monitor`` does, and clear refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.test_genl_specs import needs

pytestmark = [needs_root, needs_ip]


def nlwire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nlwire", *args], capture_output=True, text=True, timeout=120)


@needs("rt_link", "rt_addr")
def test_cli_drives_netlink_raw_families(netns: str, tmp_path: Path) -> None:
    """The listing names the rtnetlink specs by their protocol; ``genl rt_link --dump
    getlink`` prints one JSON line per link ``ip -j link`` shows, and -w keeps the exchange
    (``nlwire dissect``: the dump request, one RTM_NEWLINK per link, DONE); ``spec rt_addr --do
    newaddr --create --excl`` adds the address ``ip -j addr`` then shows, and a tree of the
    getaddr dump shows it indented under the reply."""
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    listed = nlwire("spec", "--netns", netns)
    assert listed.returncode == 0, listed.stderr
    assert any(line.split() == ["rt_link", "NETLINK_ROUTE", "spec"] for line in listed.stdout.splitlines())
    pcap = tmp_path / "getlink.pcap"
    dumped = nlwire("genl", "rt_link", "--netns", netns, "--dump", "getlink", "-w", str(pcap))
    assert dumped.returncode == 0, dumped.stderr
    links = [json.loads(line) for line in dumped.stdout.splitlines()]
    assert {(x["ifi-index"], x["ifname"]) for x in links} == {
        (x["ifindex"], x["ifname"]) for x in ip_json(netns, "link", "show")}
    summary = nlwire("dissect", "--summary", str(pcap)).stdout.splitlines()
    assert [line.split()[4] for line in summary] == ["RTM_GETLINK"] + ["RTM_NEWLINK"] * len(links) + ["NLMSG_DONE"]
    index = next(x["ifi-index"] for x in links if x["ifname"] == "veth1")
    request = {"ifa-family": 2, "ifa-prefixlen": 24, "ifa-index": index, "ifa-local": "10.6.0.1"}
    added = nlwire("spec", "rt_addr", "--netns", netns, "--do", "newaddr", "--create", "--excl",
                   "--json", json.dumps(request))
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {}
    assert [(i["local"], i["prefixlen"]) for x in ip_json(netns, "-4", "addr", "show", "dev", "veth1")
            for i in x["addr_info"]] == [("10.6.0.1", 24)]
    again = nlwire("spec", "rt_addr", "--netns", netns, "--do", "newaddr", "--create", "--excl",
                   "--json", json.dumps(request))
    assert again.returncode == 1 and "RTM_NEWADDR: " in again.stderr and "(EEXIST)" in again.stderr
    tree = nlwire("spec", "rt_addr", "--netns", netns, "--dump", "getaddr", "--output", "tree")
    assert tree.returncode == 0, tree.stderr
    lines = tree.stdout.splitlines()
    at = lines.index("    ifa-local: 10.6.0.1")  # four spaces a level, as dissect's text tree
    assert lines[:at].count("getaddr: reply") >= 1 and "    ifa-prefixlen: 24" in lines
    assert "    ifa-cacheinfo" in lines and "        cstamp: " in "\n".join(lines)


def _subscribe(netns: str, family: str, group: str, pcap: Path, count: int) -> subprocess.Popen[str]:
    """``nlwire spec FAMILY --subscribe GROUP`` started, returned once it listens."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlwire", "spec", family, "--netns", netns, "--subscribe", group,
         "--count", str(count), "--timeout", "20", "-w", str(pcap)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert "listening on" in line, line + proc.stderr.read()
    return proc


@needs("rt_link")
def test_cli_subscribe_prints_rtnetlink_events_as_monitor_does(netns: str, tmp_path: Path) -> None:
    """``--subscribe rtnlgrp-link``: a veth pair made in the namespace arrives as two
    RTM_NEWLINK notifications, printed as ``nlwire monitor`` prints them (its tree, the
    IFLA_IFNAME of each link ``ip -j link`` shows); -w keeps them for ``nlwire dissect``."""
    pcap = tmp_path / "links.pcap"
    proc = _subscribe(netns, "rt_link", "rtnlgrp-link", pcap, 2)
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.count("RTM_NEWLINK: notification") == 2, out
    for name in ("veth0", "veth1"):
        assert f"IFLA_IFNAME: {name}" in out or f'IFLA_IFNAME: "{name}"' in out, out
    dissected = nlwire("dissect", str(pcap))
    assert dissected.stdout.count("RTM_NEWLINK: notification") == 2


@needs("netdev")
def test_cli_subscribe_a_generic_group_by_spec_name(netns: str, tmp_path: Path) -> None:
    """``--subscribe mgmt`` of netdev: a new veth pair arrives as NETDEV_CMD_DEV_ADD_NTF
    notifications naming each new link's ifindex (as ``ip -j link`` numbers it)."""
    proc = _subscribe(netns, "netdev", "mgmt", tmp_path / "netdev.pcap", 2)
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.count("NETDEV_CMD_DEV_ADD_NTF: notification") == 2, out
    for link in ip_json(netns, "link", "show"):
        if link["ifname"].startswith("veth"):
            assert f"NETDEV_A_DEV_IFINDEX: {link['ifindex']}\n" in out
    dissected = nlwire("dissect", "--specs", str(tmp_path / "netdev.pcap"))
    assert dissected.stdout.count("NETDEV_CMD_DEV_ADD_NTF: notification") == 2


@needs("team")
def test_cli_a_family_the_kernel_lacks(netns: str) -> None:
    """team's spec is installed, this kernel has no team family: exit 1, nlctrl's ENOENT."""
    r = nlwire("spec", "team", "--netns", netns, "--do", "noop")
    assert r.returncode == 1
    assert r.stderr == "nlwire spec: generic netlink family 'team': No such file or directory (ENOENT)\n"


@needs("rt_link")
@pytest.mark.parametrize(("args", "says"), [
    (["--dump", "getlink", "--json", "{nope"], "--json: Expecting property name"),
    (["--dump", "getlink", "--json", "[1]"], "--json: give an object of attributes"),
    (["--dump", "nosuchop"], "rt-link has no operation 'nosuchop' (has newlink, dellink, getlink"),
    (["--subscribe", "nosuchgroup"], "rt-link has no multicast group 'nosuchgroup'"),
    (["--do", "getlink", "--json", '{"nosuchattr": 1}'], "IFLA has no attribute 'nosuchattr'"),
])
def test_cli_refuses_bad_requests_clearly(netns: str, args: list[str], says: str) -> None:
    """Bad JSON, an unknown operation, group or attribute: exit 2 and one line saying so."""
    r = nlwire("spec", "rt_link", "--netns", netns, *args)
    assert r.returncode == 2, r
    assert r.stderr.startswith("nlwire spec: error: ") and says in r.stderr, r.stderr
    assert r.stdout == ""
