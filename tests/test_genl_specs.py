"""nlwire.genl.SpecGenl against the kernel, in a private namespace: generic families driven
by the kernel's YAML specs (ethtool, netdev, mptcp_pm), each held against the tool that
already speaks it (``ethtool``, ``ip -j link``, ``ip -j mptcp endpoint``)."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlwire.errors import EncodeError, NetlinkError, NotFound
from nlwire.genl import Genl, SpecGenl
from nlwire.messages import Message
from nlwire.wire.specs import load_spec
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.spec_marks import needs_spec as needs

pytestmark = [needs_root, needs_ip]
needs_ethtool = pytest.mark.skipif(shutil.which("ethtool") is None, reason="ethtool not installed")


@pytest.fixture
def veth(netns: str) -> str:
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    return netns


def ethtool(ns: str, *args: str) -> str:
    """``ethtool ARGS...`` run in the namespace: the oracle."""
    return subprocess.run(["ip", "netns", "exec", ns, "ethtool", *args], check=True, capture_output=True,
                          text=True).stdout


def _field(text: str, label: str) -> str:
    m = re.search(rf"^\s*{re.escape(label)}:\s*(.+?)\s*$", text, re.M)
    assert m is not None, f"ethtool printed no {label!r}"
    return m.group(1)


@needs("ethtool")
@needs_ethtool
def test_ethtool_link_settings_as_ethtool_shows_them(veth: str) -> None:
    """linkinfo-get, linkmodes-get and linkstate-get on a veth give what ``ethtool veth0``
    prints (uapi ethtool.h: PORT_TP = 0, XCVR_INTERNAL = 0, DUPLEX_FULL = 1, AUTONEG_DISABLE = 0)."""
    shown = ethtool(veth, "veth0")
    header = {"header": {"dev-name": "veth0"}}
    with SpecGenl("ethtool", veth) as eth:
        info = eth.do("linkinfo-get", header)
        modes = eth.do("linkmodes-get", header)
        state = eth.do("linkstate-get", header)
    assert info is not None and modes is not None and state is not None
    ifindex = next(link["ifindex"] for link in ip_json(veth, "link", "show") if link["ifname"] == "veth0")
    assert info["header"] == {"dev-index": ifindex, "dev-name": "veth0"}
    assert _field(shown, "Port") == {0: "Twisted Pair"}[info["port"]]
    assert int(_field(shown, "PHYAD")) == info["phyaddr"]
    assert _field(shown, "Transceiver") == {0: "internal", 1: "external"}[info["transceiver"]]
    assert _field(shown, "Speed") == f"{modes['speed']}Mb/s"
    assert _field(shown, "Duplex") == {0: "Half", 1: "Full"}[modes["duplex"]]
    assert _field(shown, "Auto-negotiation") == {0: "off", 1: "on"}[modes["autoneg"]]
    assert _field(shown, "Link detected") == {0: "no", 1: "yes"}[state["link"]]


@needs("ethtool")
@needs_ethtool
def test_ethtool_features_as_ethtool_json_shows_them(veth: str) -> None:
    """features-get's active bitset (a nest of multi-attr bits named by the kernel) holds
    exactly the features ``ethtool --json -k`` reports active."""
    oracle = json.loads(ethtool(veth, "--json", "-k", "veth0"))[0]
    with SpecGenl("ethtool", veth) as eth:
        features = eth.do("features-get", {"header": {"dev-name": "veth0"}})
    assert features is not None
    active = {b["name"] for b in features["active"]["bits"]["bit"]}
    compared = [name for name in (b["name"] for b in features["hw"]["bits"]["bit"]) if name in oracle]
    assert len(compared) >= 20, compared
    for name in compared:
        assert (name in active) == oracle[name]["active"], name


@needs("ethtool")
@needs_ethtool
def test_ethtool_channels_as_ethtool_shows_them(veth: str) -> None:
    """channels-get gives the maximums and counts ``ethtool -l veth0`` prints."""
    shown = ethtool(veth, "-l", "veth0")
    maximums, current = shown.split("Current hardware settings:")
    with SpecGenl("ethtool", veth) as eth:
        channels = eth.do("channels-get", {"header": {"dev-name": "veth0"}})
    assert channels is not None
    assert int(_field(maximums, "RX")) == channels["rx-max"] and int(_field(maximums, "TX")) == channels["tx-max"]
    assert int(_field(current, "RX")) == channels["rx-count"] and int(_field(current, "TX")) == channels["tx-count"]


@needs("ethtool")
@needs_ethtool
def test_ethtool_statistics_names_and_rings_as_ethtool_sees_them(veth: str) -> None:
    """strset-get of the ETH_SS_STATS string set (uapi ethtool.h: enum ethtool_stringset,
    ETH_SS_STATS = 1) names the veth driver's statistics in the order ``ethtool -S``
    prints them; rings-get is refused as ``ethtool -g`` is (veth has no ring parameters:
    EOPNOTSUPP)."""
    printed = [line.split(":")[0].strip() for line in ethtool(veth, "-S", "veth0").splitlines()[1:]]
    with SpecGenl("ethtool", veth) as eth:
        got = eth.do("strset-get", {"header": {"dev-name": "veth0"}, "stringsets": {"stringset": [{"id": 1}]}})
        with pytest.raises(NetlinkError) as refused:
            eth.do("rings-get", {"header": {"dev-name": "veth0"}})
    assert got is not None
    (stats,) = got["stringsets"]["stringset"]
    strings = [s for block in stats["strings"] for s in block["string"]]  # (strings is multi-attr)
    names = [s["value"] for s in sorted(strings, key=lambda s: s["index"])]
    assert len(printed) >= 5 and names == printed and stats["count"] == len(printed)
    assert refused.value.errno == errno.EOPNOTSUPP
    ring = subprocess.run(["ip", "netns", "exec", veth, "ethtool", "-g", "veth0"], capture_output=True, text=True)
    assert ring.returncode != 0 and "Operation not supported" in ring.stdout + ring.stderr


_METRICS_TRAFFIC = """
import socket
server = socket.create_server(("127.0.0.1", 3333))
client = socket.create_connection(("127.0.0.1", 3333))
peer, _ = server.accept()
for _ in range(50):
    client.send(b"x" * 1000)
    peer.recv(100000)
client.close()
peer.close()
"""


@needs("tcp_metrics")
def test_tcp_metrics_get_and_del_as_ip_sees_them(netns: str) -> None:
    """A closed TCP connection leaves metrics for its destination: tcp_metrics ``get``
    (dump) lists what ``ip -j tcp_metrics`` lists. iproute2 shows rtt and rttvar in
    seconds from the kernel's TCP_METRIC_RTT_US / RTTVAR_US, which hold srtt << 3 and
    rttvar << 2 in microseconds (net/ipv4/tcp_metrics.c keeps tcp_sock's scaled values);
    ``del`` removes the entry."""
    ip(netns, "link", "set", "lo", "up")
    subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-c", _METRICS_TRAFFIC], check=True, timeout=60)
    (theirs,) = ip_json(netns, "tcp_metrics", "show")
    with SpecGenl("tcp_metrics", netns) as metrics:
        (ours,) = list(metrics.dump("get"))
        assert (ours["addr-ipv4"], ours["saddr-ipv4"]) == (theirs["dst"], theirs["source"]) == ("127.0.0.1",) * 2
        vals = ours["vals"]
        assert vals["cwnd"] == theirs["cwnd"]
        assert vals["rtt-us"] >> 3 == round(theirs["rtt"] * 1e6)
        assert vals["rttvar-us"] >> 2 == round(theirs["rttvar"] * 1e6)
        metrics.do("del", {"addr-ipv4": "127.0.0.1"})
        assert list(metrics.dump("get")) == []
    assert ip_json(netns, "tcp_metrics", "show") == []


@needs("netdev")
def test_netdev_dev_get_dump_lists_the_links(veth: str) -> None:
    """netdev's dev-get dump has one entry per link ``ip -j link`` shows, by ifindex."""
    with SpecGenl("netdev", veth) as netdev:
        devs = list(netdev.dump("dev-get"))
        one = netdev.do("dev-get", {"ifindex": devs[-1]["ifindex"]})
    assert sorted(d["ifindex"] for d in devs) == sorted(link["ifindex"] for link in ip_json(veth, "link", "show"))
    assert one == devs[-1]


@needs("mptcp_pm")
def test_mptcp_endpoints_added_read_and_removed(netns: str) -> None:
    """An endpoint added with add-addr is the one ``ip -j mptcp endpoint`` shows; one added
    by ip is read back by get-addr; del-addr removes it."""
    with SpecGenl("mptcp_pm", netns) as pm:
        assert pm.do("add-addr", {"addr": {"family": 2, "addr4": 0x0A000002, "id": 7, "flags": 1}}) is None
        assert ip_json(netns, "mptcp", "endpoint", "show") == [{"address": "10.0.0.2", "id": 7, "signal": True}]
        ip(netns, "mptcp", "endpoint", "add", "10.0.0.9", "id", "9", "subflow")
        got = pm.do("get-addr", {"addr": {"id": 9}})
        assert got is not None and got["addr"]["addr4"] == 0x0A000009 and got["addr"]["id"] == 9
        assert sorted(a["addr"]["id"] for a in pm.dump("get-addr")) == [7, 9]
        pm.do("del-addr", {"addr": {"id": 7}})
    assert [e["id"] for e in ip_json(netns, "mptcp", "endpoint", "show")] == [9]


@needs("ethtool", "netdev")
def test_errors_name_attributes_by_the_spec(veth: str) -> None:
    """The kernel's complaint names the offending attribute's path (ENODEV at the header's
    dev-name), a missing attribute by name (netdev dev-get without ifindex: MISS_TYPE), and
    what the spec forbids fails before anything is sent: a check (ifindex ``min: 1``) and an
    attribute outside the operation's request (linkinfo-get takes only its header). A spec
    client's errors name them by the spec's names (the message, ``spec_path``,
    ``missing_spec``, ``EncodeError.field``); ``attr_path`` and ``missing_name`` keep the
    kernel's constants."""
    with SpecGenl("ethtool", veth) as eth:
        with pytest.raises(NotFound) as err:
            eth.do("linkinfo-get", {"header": {"dev-name": "nosuchdev"}})
        assert err.value.attr_path == "attrs[ETHTOOL_A_LINKINFO.HEADER][ETHTOOL_A_HEADER.DEV_NAME]"
        assert err.value.spec_path == "header.dev-name"
        assert str(err.value).startswith("ETHTOOL_MSG_LINKINFO_GET: ")
        assert str(err.value).endswith("(ENODEV) at header.dev-name")
        with pytest.raises(EncodeError) as bad:
            eth.message("linkinfo-get", {"header": {"dev-name": "veth0"}, "port": 1})
        assert "'port' is not in the do request of ethtool linkinfo-get (it takes: header)" in str(bad.value)
        assert bad.value.field == "port"
    with SpecGenl("netdev", veth) as netdev:
        with pytest.raises(NetlinkError) as missing:
            netdev.do("dev-get", {})
        assert missing.value.ext_ack is not None and missing.value.ext_ack.missing_name == "NETDEV_A_DEV.IFINDEX"
        assert missing.value.missing_spec == "ifindex (in set dev)"
        assert str(missing.value).endswith("(EINVAL), missing ifindex (in set dev)")
        with pytest.raises(EncodeError) as check:
            netdev.do("dev-get", {"ifindex": 0})
        assert check.value.field == "ifindex"
        assert str(check.value).startswith("netdev dev-get: ifindex: ")


@needs("mptcp_pm")
def test_encode_errors_name_the_nested_attribute_by_spec_path(netns: str) -> None:
    """A value its kind refuses inside a nest (mptcp_pm's ``addr.id`` is a u8) is named by
    its spec path, before anything is sent."""
    with SpecGenl("mptcp_pm", netns) as pm, pytest.raises(EncodeError) as err:
        pm.do("add-addr", {"addr": {"family": 2, "id": 300}})
    assert err.value.field == "addr.id"
    assert str(err.value).startswith("mptcp_pm add-addr: addr.id: ")
    assert ip_json(netns, "mptcp", "endpoint", "show") == []


@needs("team")
def test_a_family_the_kernel_lacks_is_not_found(netns: str) -> None:
    """The team spec is installed but this kernel has no team family: NotFound names it."""
    with SpecGenl("team", netns) as team, pytest.raises(NotFound, match="generic netlink family 'team'"):
        team.do("noop")


@needs("ethtool")
def test_plain_genl_uses_a_loaded_spec(veth: str) -> None:
    """Once a spec is loaded, plain Genl requests of that family encode with the attribute
    set of the operation their command belongs to and replies decode with the reply's
    (ethtool has one set per operation, no family-wide one)."""
    load_spec("ethtool")
    with Genl(veth) as g:
        reply = g.request("ethtool", 2, {"header": {"dev-name": "veth0"}})  # ETHTOOL_MSG_LINKINFO_GET
    assert reply.name == "ETHTOOL_MSG_LINKINFO_GET_REPLY"
    assert reply.attrs is not None and reply.attrs.to_dict()["header"]["dev-name"] == "veth0"


def nlwire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nlwire", *args], capture_output=True, text=True, timeout=120)


@needs("ethtool", "netdev")
def test_cli_lists_shows_and_runs(veth: str, tmp_path: Path) -> None:
    """``nlwire genl``: the families of the specs and of the kernel (ids as nlctrl gives
    them); a family's operations; --dump and --do as JSON Lines (netdev's dev-get against
    ``ip -j link``); a refused request on stderr, exit 1; -w writes the exchange, which
    ``nlwire dissect --specs`` names."""
    listed = nlwire("genl", "--netns", veth)
    assert listed.returncode == 0, listed.stderr
    with Genl(veth) as g:
        ethtool_id = g.family("ethtool").id
    assert re.search(rf"^ethtool +id {ethtool_id} +spec$", listed.stdout, re.M)
    shown = nlwire("genl", "netdev")
    assert re.search(r"^  dev-get +do/dump +ifindex$", shown.stdout, re.M), shown.stdout
    dumped = nlwire("genl", "netdev", "--netns", veth, "--dump", "dev-get")
    assert dumped.returncode == 0, dumped.stderr
    ifindexes = [json.loads(line)["ifindex"] for line in dumped.stdout.splitlines()]
    assert sorted(ifindexes) == sorted(link["ifindex"] for link in ip_json(veth, "link", "show"))
    pcap = tmp_path / "linkinfo.pcap"
    done = nlwire("genl", "ethtool", "--netns", veth, "-w", str(pcap), "--do", "linkinfo-get",
                  "--json", '{"header": {"dev-name": "veth0"}}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["header"]["dev-name"] == "veth0"
    refused = nlwire("genl", "ethtool", "--netns", veth, "--do", "linkinfo-get", "--json",
                     '{"header": {"dev-name": "nosuchdev"}}')
    assert refused.returncode == 1
    assert "no device matches name (ENODEV) at header.dev-name" in refused.stderr
    dissected = nlwire("dissect", "--specs", str(pcap))
    assert "ETHTOOL_MSG_LINKINFO_GET: request" in dissected.stdout
    assert "ETHTOOL_MSG_LINKINFO_GET_REPLY: reply" in dissected.stdout


def test_cli_names_the_missing_spec(tmp_path: Path) -> None:
    """A family without a spec: exit 2, the directories searched and the package named."""
    r = subprocess.run([sys.executable, "-m", "nlwire", "genl", "no-such-family", "--dump", "x"],
                       capture_output=True, text=True, env={**os.environ, "NLWIRE_SPEC_PATH": str(tmp_path)})
    assert r.returncode == 2 and "no netlink spec 'no-such-family'" in r.stderr
    assert str(tmp_path) in r.stderr and "linux-doc" in r.stderr


@needs("netdev")
def test_multicast_groups_by_spec_name(netns: str) -> None:
    """Subscribed to netdev's ``mgmt`` group by its spec name, a new veth pair arrives as
    NETDEV_CMD_DEV_ADD_NTF notifications (numbered as replies: uapi netdev.h
    NETDEV_CMD_DEV_ADD_NTF = 2) for the ifindexes ``ip -j link`` shows."""
    with SpecGenl("netdev", netns) as netdev:
        netdev.subscribe("mgmt")
        ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
        added = set()
        for event in netdev.events(timeout=2):
            assert isinstance(event, Message)
            if event.name == "NETDEV_CMD_DEV_ADD_NTF":
                assert event.header.cmd == 2
                added.add(netdev.result(event)["ifindex"])
            if len(added) == 2:
                break
    veths = {link["ifindex"] for link in ip_json(netns, "link", "show") if link["ifname"] in ("veth0", "veth1")}
    assert added == veths
