"""Decoding gaps and wrong names found by the outside audit (issue 13, items 16-18 and 21).

Each expected value comes from the uapi headers, a real tool's output (tshark, nft) or bytes
the running kernel wrote; every dissector check runs through all three of its output paths
(node tree + renderers, the compiled text/JSON/summary writer) so they cannot drift apart.
"""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from nlcaptures import capture_path, frame, require

from dissect.netlink import Dissector, Record, Style, json_line, read_records, text_tree
from nlwire.client import Socket
from nlwire.codec import decode, encode
from nlwire.consts import (
    ARPHRD,
    DEVCONF,
    IFLA,
    IFLA_INFO,
    IPV4_DEVCONF,
    NFT_SET_ELEM_F,
    NFTA_DATA,
    NFTA_SET_ELEM,
    NFTA_SET_ELEM_LIST,
    NLM_F,
    RTM,
)
from nlwire.messages import Message
from nlwire.pcapwriter import LINKTYPE_NETLINK, cooked_header
from nlwire.wire.attrs import Attrs
from nlwire.wire.nfnetlink import SET_ELEM_LIST_ATTRS
from nlwire.wire.rtnetlink import IFINFOMSG
from tests.netns_fixtures import needs_root


def _records(family: int, *datagrams: bytes) -> list[Record]:
    """Datagrams as the records tcpdump on nlmon0 writes (LINKTYPE_NETLINK, cooked header)."""
    return [
        Record(LINKTYPE_NETLINK, 1_700_000_000.0 + i, cooked_header(family) + d, 16 + len(d))
        for i, d in enumerate(datagrams)
    ]


def _outputs(records: list[Record], mode: str) -> str:
    """One output mode, after checking the node path and the compiled writer agree."""
    dis = Dissector()
    frames = list(dis.frames(records))
    assert dis.first_time is not None
    if mode == "json":
        slow = "".join(json_line(f) + "\n" for f in frames)
    else:
        slow = "".join(text_tree(f, dis.first_time, Style(False)) + "\n" for f in frames)
    fast = "".join(Dissector().render(records, mode, Style(False)))
    assert fast == slow
    return fast


def _json_nodes(records: list[Record]) -> list[dict[str, Any]]:
    """Every node of every message, from the JSON Lines output."""
    out: list[dict[str, Any]] = []

    def walk(n: dict[str, Any]) -> None:
        out.append(n)
        for c in n["children"]:
            walk(c)

    for line in _outputs(records, "json").splitlines():
        for m in json.loads(line)["messages"]:
            walk(m)
    return out


# ------------------------------------------------------------------------------ item 16

# The running kernel's (6.18) answer to an RTM_GETLINK dump whose ifinfomsg has ifi_type 1,
# sent on a socket with NETLINK_EXT_ACK and NETLINK_GET_STRICT_CHK: NLMSG_DONE, flags
# MULTI|ACK_TLVS (0x202), error -EINVAL, then NLMSGERR_ATTR_MSG (netlink_dump_done() sets
# NLM_F_ACK_TLVS when it appends the ext-ack message).
DONE_WITH_EXTACK = bytes.fromhex(
    "48000000030002020100000062 3d0000eaffffff33000100496e76616c69642076616c75657320696e"
    "2068656164657220666f72206c696e6b2064756d7020726571756573740000".replace(" ", "")
)


def test_done_flags_name_ack_tlvs() -> None:
    # include/uapi/linux/netlink.h: "Flags for ACK message": NLM_F_CAPPED 0x100, NLM_F_ACK_TLVS 0x200;
    # an NLMSG_DONE carrying ext-ack TLVs has the same flags as an NLMSG_ERROR
    recs = _records(0, DONE_WITH_EXTACK)
    text = _outputs(recs, "text")
    assert "flags: MULTI|ACK_TLVS (0x202)" in text
    assert "0x200 (" not in text and "|0x200" not in text
    flags = [n for n in _json_nodes(recs) if n["name"] == "flags"]
    assert [n["show"] for n in flags] == ["MULTI|ACK_TLVS (0x202)"]
    assert "Invalid values in header for link dump request" in text


# ------------------------------------------------------------------------------ item 18: counts


def test_counts_are_singular_for_one() -> None:
    # genl-ctrl.pcap: "genl ctrl list"; the nests with one member must read "1 attribute" /
    # "1 entry", in the tree, the JSON and the compiled writer alike
    recs = list(read_records(str(require("genl-ctrl.pcap"))))
    text = _outputs(recs, "text")
    shows = [n["show"] for n in _json_nodes(recs)]
    for out in (text, "\n".join(shows)):
        assert not re.search(r"(?<![0-9])1 (attributes|entries)", out)
    assert any(s == "1 attribute" for s in shows) and any(s == "1 entry" for s in shows)
    assert any(s == "2 attributes" for s in shows) and any(s.endswith("entries") for s in shows)


# ------------------------------------------------------------------------------ item 18: genl cmd


def _tshark_verbose(path: Path) -> str:
    if shutil.which("tshark") is None:
        pytest.skip("tshark not installed")
    out = subprocess.run(["tshark", "-r", str(path), "-V"], capture_output=True, check=True, timeout=300)
    return out.stdout.decode()


@pytest.mark.oracle
def test_genl_cmd_is_named_like_tshark() -> None:
    # genl-ctrl.pcap: tshark -V prints "Command: CTRL_CMD_GETFAMILY (3)" for each genlmsghdr;
    # nlwire names the value the way it names every enum field (prefix dropped: GETFAMILY (3))
    path = require("genl-ctrl.pcap")
    theirs = re.findall(r"^\s+Command: CTRL_CMD_(\w+ \(\d+\))$", _tshark_verbose(path), re.M)
    recs = list(read_records(str(path)))
    ours = [n["show"] for n in _json_nodes(recs) if n["name"] == "cmd"]
    assert len(theirs) == 37 and ours == theirs
    assert "cmd: GETFAMILY (3)" in _outputs(recs, "text")


# ------------------------------------------------------------------------------ item 18: bridge_slave


def test_bridge_slave_request_data_is_a_port_set() -> None:
    # errors-extack.pcap frame 53: "ip link set dev dm1 type bridge_slave cost 9"
    # (errors-extack.commands.txt). iproute2 sends IFLA_INFO_KIND "bridge_slave" and the port
    # options in IFLA_INFO_SLAVE_DATA (no SLAVE_KIND); the kernel reads them with the master
    # bridge's policy: IFLA_BRPORT_COST (3, include/uapi/linux/if_link.h) = 9
    protocol, data = frame("errors-extack.pcap", 53)
    (msg,) = [m for m in decode(data, protocol, strict=True) if m.type == RTM.SETLINK or m.type == RTM.NEWLINK]
    info = msg.attrs[IFLA.LINKINFO]
    assert info[IFLA_INFO.KIND] == "bridge_slave" and IFLA_INFO.SLAVE_KIND not in info
    assert info[IFLA_INFO.SLAVE_DATA].to_json() == {"IFLA_BRPORT_COST": 9}
    assert encode(msg) == data[msg.offset : msg.offset + msg.len]
    recs = list(read_records(str(require("errors-extack.pcap"))))[52:53]
    text = _outputs(recs, "text")
    assert "IFLA_INFO_SLAVE_DATA: 1 attribute\n" in text and "IFLA_BRPORT_COST: 9\n" in text
    # a dump names the master's kind in SLAVE_KIND, as before
    dump = list(read_records(str(require("ip-link-show.pcap"))))
    assert "IFLA_INFO_SLAVE_KIND: bridge\n            IFLA_INFO_SLAVE_DATA: 35 attributes\n" in _outputs(dump, "text")


# ------------------------------------------------------------------------------ item 18: devconf names


def _header_enum(path: str, first: str, end: str) -> list[str]:
    """The member names of a uapi enum, in order, read from the installed header."""
    p = Path("/usr/include/linux") / path
    if not p.exists():
        pytest.skip(f"{p} not installed (linux-libc-dev)")
    text = p.read_text()
    return re.findall(r"\b(\w+)\s*(?:=\s*\d+\s*)?,", text[text.index(first) : text.index(end)])


def test_devconf_enums_mirror_the_headers() -> None:
    # IPV4_DEVCONF_FORWARDING = 1, ... (ip.h); DEVCONF_FORWARDING = 0, ... (ipv6.h)
    v4 = _header_enum("ip.h", "IPV4_DEVCONF_FORWARDING", "__IPV4_DEVCONF_MAX")
    assert [f"IPV4_DEVCONF_{m.name}" for m in IPV4_DEVCONF] == v4 and IPV4_DEVCONF.FORWARDING == 1
    v6 = _header_enum("ipv6.h", "DEVCONF_FORWARDING", "DEVCONF_MAX\n")
    assert [f"DEVCONF_{m.name}" for m in DEVCONF] == v6 and [int(m) for m in DEVCONF] == list(range(len(v6)))


def _conf_values(ns: str, version: int, dev: str) -> dict[str, int]:
    """/proc/sys/net/ipv{4,6}/conf/DEV/* of the namespace: sysctl's view of the same values."""
    out = subprocess.run(
        ["ip", "netns", "exec", ns, "sh", "-c", f"cd /proc/sys/net/ipv{version}/conf/{dev} && grep -s . *"],
        capture_output=True, text=True,
    ).stdout
    values = {}
    for line in out.splitlines():
        name, _, value = line.partition(":")
        if re.fullmatch(r"-?\d+", value):
            values[name] = int(value)
    return values


@needs_root
def test_inet_conf_elements_are_named_as_sysctl_reads_them(netns: str) -> None:
    # the kernel's RTM_NEWLINK for lo in a fresh namespace, dissected; every element whose
    # IPV4_DEVCONF_* / DEVCONF_* name (lower case) is a sysctl file must hold that file's value
    with Socket("route", netns=netns) as sock:
        reply = sock.request(Message(RTM.GETLINK, header=IFINFOMSG.new(index=1)))
    nodes = _json_nodes(_records(0, encode(reply)))
    for version, prefix, parent in ((4, "IPV4_DEVCONF_", "IFLA_INET_CONF"), (6, "DEVCONF_", "IFLA_INET6_CONF")):
        (conf,) = [n for n in nodes if n["name"] == parent]
        named = {c["name"].removeprefix(prefix).lower(): c["value"] for c in conf["children"]}
        assert not any(k.startswith("[") for k in named)
        sysctl = _conf_values(netns, version, "lo")
        both = sorted(set(named) & set(sysctl))
        assert len(both) >= 20, both
        # (IFLA_INET6_CONF is __s32; sysctl prints ioam6_id_wide as the u32 it is)
        assert {k: named[k] & 0xFFFFFFFF for k in both} == {k: sysctl[k] & 0xFFFFFFFF for k in both}
    assert named["hoplimit"] == sysctl["hop_limit"] and named["mtu6"] == sysctl["mtu"]


# ------------------------------------------------------------------------------ item 17: set elements


def _listed(pattern: str) -> list[str]:
    """What ``nft list ruleset`` printed in the capture (nft-ruleset.commands.txt), by regex."""
    path = capture_path("nft-ruleset.commands.txt")
    if path is None:
        pytest.skip("nft-ruleset.commands.txt not in ../shared/captures/")
    listing = path.read_text().split("+ nft list ruleset", 1)[1]
    found = re.search(pattern, listing)
    assert found is not None
    return [x.strip() for x in found.group(1).split(",")]


def _elements(number: int) -> list[Any]:
    protocol, data = frame("nft-ruleset.pcap", number)
    (msg,) = [m for m in decode(data, protocol, strict=True) if m.name == "NFT_MSG_NEWSETELEM"]
    return list(msg.attrs[NFTA_SET_ELEM_LIST.ELEMENTS])


def test_every_set_element_of_a_request_decodes() -> None:
    # frame 39: "nft add element inet fw blocklist { 198.51.100.0/28, 203.0.113.9 }"; libnftnl
    # numbers the nests 1..5 and the kernel reads each (nla_for_each_nested). An interval set
    # holds each range as its start and an INTERVAL_END element one past its end.
    starts, ends = [], []
    for e in _elements(39):
        key = ipaddress.IPv4Address(e[NFTA_SET_ELEM.KEY][NFTA_DATA.VALUE])
        (ends if (e.get(NFTA_SET_ELEM.FLAGS) or 0) & NFT_SET_ELEM_F.INTERVAL_END else starts).append(key)
    ranges = [ipaddress.summarize_address_range(a, b - 1) for a, b in zip(starts, sorted(ends)[1:], strict=True)]
    got = [str(n) if n.prefixlen < 32 else str(n.network_address) for r in ranges for n in r]
    assert got == _listed(r"elements = \{ ([^}]*) \}")  # ['198.51.100.0/28', '203.0.113.9']
    # frame 93: the anonymous set of "udp dport { 53, 123, 161 }", all three ports
    ports = [int.from_bytes(e[NFTA_SET_ELEM.KEY][NFTA_DATA.VALUE], "big") for e in _elements(93)]
    assert [str(p) for p in ports] == _listed(r"udp dport \{ ([^}]*) \}")


def test_set_elements_keep_their_wire_numbering() -> None:
    # a request's elements (libnftnl: 1, 2, 3 with NLA_F_NESTED) and a dump's (the kernel's
    # nla_nest_start_noflag(NFTA_LIST_ELEM): 1, 1, 1) both re-encode byte for byte; a list
    # built by hand is numbered 1, 2, 3
    for number in (93, 159):
        protocol, data = frame("nft-ruleset.pcap", number)
        for m in decode(data, protocol, strict=True):
            if m.name == "NFT_MSG_NEWSETELEM":
                wire = m.attrs[NFTA_SET_ELEM_LIST.ELEMENTS].wire
                assert set(wire) == ({0x8001, 0x8002, 0x8003} if number == 93 else {0x1})
                assert encode(m) == data[m.offset : m.offset + m.len]
    port = {NFTA_SET_ELEM.KEY: {NFTA_DATA.VALUE: b"\0\x35"}}
    items = Attrs(SET_ELEM_LIST_ATTRS, {NFTA_SET_ELEM_LIST.ELEMENTS: [port, port]})
    raw = items.encode()
    assert raw[4:8] == bytes.fromhex("10000100") and raw[20:24] == bytes.fromhex("10000200")


def test_set_element_dissection_names_entries_by_wire_type() -> None:
    recs = list(read_records(str(require("nft-ruleset.pcap"))))[38:39]
    text = _outputs(recs, "text")
    assert "NFTA_LIST_2" not in text and "NFTA_SET_ELEM_LIST_ELEMENTS: 5 entries\n" in text
    assert text.count("NFTA_DATA_VALUE: ") == 5 and "            [5]: 2 attributes\n" in text


# ------------------------------------------------------------------------------ item 18: ifi_type


def _ifi_types(nodes: list[dict[str, Any]]) -> list[tuple[bool, bool, int, str]]:
    """(echoed?, request?, value, show) of every ifinfomsg.type of messages and echoed requests."""
    out = []
    for n in nodes:
        kids = {c["name"]: c for c in n["children"]}
        if "nlmsghdr" in kids and "ifinfomsg" in kids:
            flags = next(c["value"] for c in kids["nlmsghdr"]["children"] if c["name"] == "flags")
            t = next(c for c in kids["ifinfomsg"]["children"] if c["name"] == "type")
            out.append((n["name"] == "msg", bool(flags & NLM_F.REQUEST), t["value"], t["show"]))
    return out


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["errors-extack.pcap", "veth-create.pcap", "ip-link-show.pcap"])
def test_request_ifi_type_zero_is_unset(name: str) -> None:
    # a request's ifi_type is no device type: RTM_NEWLINK/SETLINK ignore it and a strict dump
    # refuses anything but 0 (the DONE above: "Invalid values in header for link dump
    # request"), so 0 there shows as 0, not ARPHRD_NETROM. Replies keep the ARPHRD names, and
    # the values are tshark's (tshark -V prints "Device type: NET/ROM pseudo (0)" for both).
    path = require(name)
    types = _ifi_types(_json_nodes(list(read_records(str(path)))))
    # (tshark leaves the ifinfomsg of a request echoed in an NLMSG_ERROR undissected)
    theirs = sorted(int(v) for v in re.findall(r"^\s+Device type: .* \((\d+)\)$", _tshark_verbose(path), re.M))
    assert sorted(v for echo, _r, v, _s in types if not echo) == theirs
    assert any(r and v == 0 for _e, r, v, _s in types)
    for _echo, request, value, show in types:
        if request and value == 0:
            assert show == "0"
        else:
            assert show == f"{ARPHRD(value).name} ({value})"


def test_veth_peer_ifinfomsg_is_a_requests() -> None:
    # veth-create.pcap: "ip link add ... type veth peer name ..."; VETH_INFO_PEER travels only
    # to the kernel (veth has no fill_info), so its ifinfomsg's type 0 is unset too
    nodes = _json_nodes(list(read_records(str(require("veth-create.pcap")))))
    peers = [n for n in nodes if n["name"] == "VETH_INFO_PEER"]
    shows = [t["show"] for p in peers for c in p["children"] if c["name"] == "ifinfomsg"
             for t in c["children"] if t["name"] == "type"]
    assert shows and set(shows) == {"0"}
