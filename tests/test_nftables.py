"""nftables over NETLINK_NETFILTER, checked against nft itself.

A ruleset is loaded with ``nft -f`` into a private namespace; nlwire dumps it from the
kernel (NFT_MSG_GET*) and what it decodes is compared with two independent readings:
``nft -j list ruleset`` (tables, chains, hooks, priorities, policies, rule handles, sets)
and ``nft --debug=netlink list ruleset``, libnftnl's own rendering of every rule's
expressions (``[ payload load 4b @ network header + 12 => reg 1 ]``). The bundled capture
``nft-ruleset.pcap`` is checked against the commands that produced it.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import struct
import subprocess
from typing import Any

import pytest
from nlcaptures import message, require

from dissect.netlink import Dissector, read_records
from nlwire.client import Socket
from nlwire.codec import decode, encode
from nlwire.consts import (
    NETLINK,
    NF_INET_HOOKS,
    NFNL_SUBSYS,
    NFPROTO,
    NFT_CMP,
    NFT_LIMIT,
    NFT_META,
    NFT_MSG,
    NFT_PAYLOAD,
    NFT_QUOTA_F,
    NFT_REGISTERS,
    NFT_SET_F,
    NFT_VERDICT,
    NFTA_CHAIN,
    NFTA_CMP,
    NFTA_COUNTER,
    NFTA_CT_EXPECT,
    NFTA_CT_HELPER,
    NFTA_DATA,
    NFTA_EXPR,
    NFTA_GEN,
    NFTA_HOOK,
    NFTA_IMMEDIATE,
    NFTA_LIMIT,
    NFTA_LIST,
    NFTA_LOOKUP,
    NFTA_META,
    NFTA_OBJ,
    NFTA_PAYLOAD,
    NFTA_QUOTA,
    NFTA_RULE,
    NFTA_SET,
    NFTA_SET_ELEM,
    NFTA_SET_ELEM_LIST,
    NFTA_SYNPROXY,
    NFTA_TABLE,
    NFTA_VERDICT,
    NLM_F,
    NLMSG,
)
from nlwire.errors import NotFound
from nlwire.messages import Message
from nlwire.wire.attrs import Attrs
from nlwire.wire.nfnetlink import (
    CHAIN_ATTRS,
    EXPR_LIST_ATTRS,
    NFGENMSG,
    RULE_ATTRS,
    SET_ELEM_LIST_ATTRS,
    TABLE_ATTRS,
)
from tests.netns_fixtures import needs_root

needs_nft = pytest.mark.skipif(shutil.which("nft") is None, reason="nftables (nft) not installed")

RULESET = """
table inet fw {
    set blocklist {
        type ipv4_addr
        flags interval
        elements = { 198.51.100.0/28, 203.0.113.9 }
    }
    chain transit {
        type filter hook forward priority 10; policy drop;
        ip saddr @blocklist counter drop
        ct state established,related accept
        udp dport { 53, 123, 161 } accept
        ip daddr 192.168.50.0/24 limit rate 10/second accept
        tcp dport 1000-2000 drop
        meta mark 0x2a jump side
    }
    chain side {
        ip6 daddr ::1 return
    }
}
table ip natv {
    chain post {
        type nat hook postrouting priority -100; policy accept;
        oifname "dm9" masquerade
    }
}
"""

# nft's names of the inet hooks (its CLI vocabulary), by enum nf_inet_hooks
NFT_HOOK_NAMES = {
    NF_INET_HOOKS.PRE_ROUTING: "prerouting", NF_INET_HOOKS.LOCAL_IN: "input", NF_INET_HOOKS.FORWARD: "forward",
    NF_INET_HOOKS.LOCAL_OUT: "output", NF_INET_HOOKS.POST_ROUTING: "postrouting",
}
FAMILIES = {1: "inet", 2: "ip", 5: "netdev", 10: "ip6"}  # NFPROTO_*


def _nft(ns: str, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(["ip", "netns", "exec", ns, "nft", *args], input=stdin, check=True, capture_output=True,
                          text=True).stdout


def _dump(sock: Socket, msg: NFT_MSG, attrs: Attrs | None = None, family: int = 0) -> list[Message]:
    mtype = int(NFNL_SUBSYS.NFTABLES) << 8 | int(msg)
    return list(sock.dump(Message(mtype, header=NFGENMSG.new(family=family), attrs=attrs)))


def _expressions(rule: Message) -> list[tuple[str, Attrs]]:
    assert rule.attrs is not None
    exprs = rule.attrs.get(NFTA_RULE.EXPRESSIONS)
    return [(e.get(NFTA_EXPR.NAME), e.get(NFTA_EXPR.DATA)) for e in exprs.getall(NFTA_LIST.ELEM)]


def _words(data: bytes) -> list[str]:
    """How libnftnl prints register data: 32-bit words of host order, zero-filled."""
    data = data + bytes(-len(data) % 4)
    return [f"0x{w:08x}" for (w,) in struct.iter_unpack("=I", data)]


def _debug_rules(text: str) -> dict[tuple[str, str, str, int], list[str]]:
    """``nft --debug=netlink list ruleset``: per rule (family, table, chain, handle), the
    expression lines between ``[ ]``. A rule's first line may also give the handle of the
    rule before it; set listings (``inet fw @blocklist``) are skipped."""
    rules: dict[tuple[str, str, str, int], list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        head = re.fullmatch(r"(\w+) (\S+) (\S+) (\d+)(?: \d+)?", line)
        if head:
            current = rules.setdefault((head[1], head[2], head[3], int(head[4])), [])
        elif current is not None and (m := re.fullmatch(r"\s+\[ (.*) \]", line)):
            current.append(m[1])
        else:
            current = None
    return rules


def _check_expression(name: str, data: Attrs, line: str) -> None:
    """One expression against libnftnl's line for it (the fields it prints)."""
    assert line.split()[0] == name, (name, line)
    if name == "payload" and (m := re.fullmatch(r"payload load (\d+)b @ (\w+) header \+ (\d+) => reg (\d+)", line)):
        assert (data.get(NFTA_PAYLOAD.LEN), data.get(NFTA_PAYLOAD.OFFSET), data.get(NFTA_PAYLOAD.DREG)) == (
            int(m[1]), int(m[3]), int(m[4]))
        assert NFT_PAYLOAD(data.get(NFTA_PAYLOAD.BASE)).name.lower() == f"{m[2]}_header"
    elif name == "cmp":
        m = re.fullmatch(r"cmp (\w+) reg (\d+) (.*)", line)
        assert m, line
        assert NFT_CMP(data.get(NFTA_CMP.OP)).name.lower() == m[1] and data.get(NFTA_CMP.SREG) == int(m[2])
        assert _words(data.get(NFTA_CMP.DATA).get(NFTA_DATA.VALUE)) == m[3].split()
    elif name == "meta" and (m := re.fullmatch(r"meta load (\w+) => reg (\d+)", line)):
        assert NFT_META(data.get(NFTA_META.KEY)).name.lower() == m[1] and data.get(NFTA_META.DREG) == int(m[2])
    elif name == "immediate" and (m := re.fullmatch(r"immediate reg 0 (\w+)(?: -> (\S+))?", line)):
        verdict = data.get(NFTA_IMMEDIATE.DATA).get(NFTA_DATA.VERDICT)
        assert NFT_VERDICT(verdict.get(NFTA_VERDICT.CODE)).name.lower() == m[1]
        assert verdict.get(NFTA_VERDICT.CHAIN) == m[2]
    elif name == "lookup":
        m = re.fullmatch(r"lookup reg (\d+) set (\S+).*", line)
        assert m, line
        assert data.get(NFTA_LOOKUP.SREG) == int(m[1])
        assert data.get(NFTA_LOOKUP.SET) == m[2]  # an anonymous set by the name the kernel gave it (__set0)
    elif name == "limit":
        m = re.fullmatch(r"limit rate (\d+)/(\w+) burst (\d+) type (\w+) flags 0x(\w+)", line)
        assert m, line
        units = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
        assert (data.get(NFTA_LIMIT.RATE), data.get(NFTA_LIMIT.UNIT), data.get(NFTA_LIMIT.BURST)) == (
            int(m[1]), units[m[2]], int(m[3]))
        assert NFT_LIMIT(data.get(NFTA_LIMIT.TYPE)).name.lower() == {"packets": "pkts", "bytes": "pkt_bytes"}[m[4]]


@needs_root
@needs_nft
def test_ruleset_from_the_kernel_matches_nft(netns: str) -> None:
    _nft(netns, "-f", "-", stdin=RULESET)
    listing = json.loads(_nft(netns, "-j", "list", "ruleset"))["nftables"]
    debug = _debug_rules(_nft(netns, "--debug=netlink", "list", "ruleset"))
    with Socket("netfilter", netns=netns) as sock:
        tables = _dump(sock, NFT_MSG.GETTABLE)
        chains = _dump(sock, NFT_MSG.GETCHAIN)
        rules = _dump(sock, NFT_MSG.GETRULE)
        sets = _dump(sock, NFT_MSG.GETSET)
        elems = _dump(sock, NFT_MSG.GETSETELEM, Attrs(SET_ELEM_LIST_ATTRS, {
            NFTA_SET_ELEM_LIST.TABLE: "fw", NFTA_SET_ELEM_LIST.SET: "blocklist"}), family=NFPROTO.INET)
        assert not sock.decode_errors
    for msg in tables + chains + rules + sets + elems:
        assert msg.attrs is not None
        msg.attrs.materialize()  # every value decodes

    want_tables = {(t["table"]["family"], t["table"]["name"], t["table"]["handle"]) for t in listing if "table" in t}
    got_tables = {(FAMILIES[m.header.family], m.attrs.get(NFTA_TABLE.NAME), m.attrs.get(NFTA_TABLE.HANDLE))
                  for m in tables}
    assert got_tables == want_tables and len(got_tables) == 2

    want_chains = {}
    for item in listing:
        if "chain" in item:
            c = item["chain"]
            want_chains[(c["table"], c["name"])] = (c["handle"], c.get("type"), c.get("hook"), c.get("prio"),
                                                    c.get("policy"))
    got_chains = {}
    for m in chains:
        hook = m.attrs.get(NFTA_CHAIN.HOOK)
        policy = m.attrs.get(NFTA_CHAIN.POLICY)
        got_chains[(m.attrs.get(NFTA_CHAIN.TABLE), m.attrs.get(NFTA_CHAIN.NAME))] = (
            m.attrs.get(NFTA_CHAIN.HANDLE), m.attrs.get(NFTA_CHAIN.TYPE),
            None if hook is None else NFT_HOOK_NAMES[hook.get(NFTA_HOOK.HOOKNUM)],
            None if hook is None else hook.get(NFTA_HOOK.PRIORITY),
            None if policy is None else NFT_VERDICT(policy).name.lower(),
        )
    assert got_chains == want_chains and len(got_chains) == 3

    # every rule: its handle, and each expression against libnftnl's rendering of it
    assert len(rules) == len(debug) == 8
    for m in rules:
        key = (FAMILIES[m.header.family], m.attrs.get(NFTA_RULE.TABLE), m.attrs.get(NFTA_RULE.CHAIN),
               m.attrs.get(NFTA_RULE.HANDLE))
        lines = debug[key]
        exprs = _expressions(m)
        assert [name for name, _ in exprs] == [line.split()[0] for line in lines], key
        for (name, data), line in zip(exprs, lines, strict=True):
            _check_expression(name, data, line)

    # the named set, and its elements as written in RULESET
    named = [m for m in sets if m.attrs.get(NFTA_SET.NAME) == "blocklist"]
    assert len(named) == 1 and named[0].attrs.get(NFTA_SET.FLAGS) & NFT_SET_F.INTERVAL
    assert named[0].attrs.get(NFTA_SET.KEY_LEN) == 4
    keys = {e.get(NFTA_SET_ELEM.KEY).get(NFTA_DATA.VALUE)
            for m in elems for e in m.attrs.get(NFTA_SET_ELEM_LIST.ELEMENTS)}
    assert {bytes([198, 51, 100, 0]), bytes([203, 0, 113, 9])} <= keys


def test_capture_rule_is_what_the_command_asked() -> None:
    """nft-ruleset.pcap's first NEWRULE is ``nft add rule inet fw transit ip saddr
    @blocklist counter drop`` (captures/README.md): in an inet table, nft first matches
    the IPv4 protocol, then loads the source address (network header offset 12, 4
    bytes), looks it up in the set, counts and drops."""
    dis = Dissector()
    for frame in dis.frames(read_records(str(require("nft-ruleset.pcap")))):
        rules = [m for m in frame["messages"] if m["name"] == "NFT_MSG_NEWRULE"]
        if rules:
            break
    tree = rules[0]
    expected = {"NFTA_RULE_TABLE": "fw", "NFTA_RULE_CHAIN": "transit"}
    assert {c["name"]: c["value"] for c in tree["children"] if c["name"] in expected} == expected
    exprs = next(c for c in tree["children"] if c["name"] == "NFTA_RULE_EXPRESSIONS")["children"]

    def fields(elem: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        name = next(c["value"] for c in elem["children"] if c["name"] == "NFTA_EXPR_NAME")
        data = next(c for c in elem["children"] if c["name"] == "NFTA_EXPR_DATA")
        return name, {c["name"]: c["value"] for c in data["children"]}

    got = [fields(e) for e in exprs]
    assert [name for name, _ in got] == ["meta", "cmp", "payload", "lookup", "counter", "immediate"]
    assert got[0][1]["NFTA_META_KEY"] == 15  # NFT_META_NFPROTO
    assert got[2][1] == {"NFTA_PAYLOAD_DREG": 1, "NFTA_PAYLOAD_BASE": 1, "NFTA_PAYLOAD_OFFSET": 12,
                         "NFTA_PAYLOAD_LEN": 4}  # NFT_PAYLOAD_NETWORK_HEADER = 1
    assert got[3][1]["NFTA_LOOKUP_SET"] == "blocklist"
    assert problems_free(tree)


def problems_free(node: dict[str, Any]) -> bool:
    return not node.get("problems") and all(problems_free(c) for c in node.get("children", []))


@needs_root
@needs_nft
def test_ruleset_changes_arrive_as_notifications(netns: str) -> None:
    """NFNLGRP_NFTABLES by name: the kernel announces each change nft makes, then the new
    generation with the process that made it."""
    names = {
        "NFT_MSG_NEWTABLE": NFTA_TABLE.NAME, "NFT_MSG_NEWCHAIN": NFTA_CHAIN.NAME, "NFT_MSG_NEWGEN": NFTA_GEN.PROC_NAME,
    }
    with Socket("netfilter", netns=netns) as sock:
        sock.subscribe("nftables")
        _nft(netns, "add", "table", "inet", "watched")
        _nft(netns, "add", "chain", "inet", "watched", "c")
        seen: list[tuple[str, Any]] = []
        for event in sock.events(timeout=5):
            assert isinstance(event, Message) and event.attrs is not None
            event.attrs.materialize()
            seen.append((event.name, event.attrs.get(names[event.name]) if event.name in names else None))
            if len(seen) == 4:
                break
        assert not sock.decode_errors
    assert seen == [("NFT_MSG_NEWTABLE", "watched"), ("NFT_MSG_NEWGEN", "nft"),
                    ("NFT_MSG_NEWCHAIN", "c"), ("NFT_MSG_NEWGEN", "nft")]
    with Socket("netfilter") as sock, pytest.raises(ValueError, match="unknown NFNLGRP group 'nftabels'"):
        sock.subscribe("nftabels")


def _nft_message(msg: NFT_MSG, flags: int, family: int, attrs: Attrs) -> Message:
    return Message(int(NFNL_SUBSYS.NFTABLES) << 8 | int(msg), NLM_F.REQUEST | NLM_F.ACK | flags,
                   header=NFGENMSG.new(family=family), attrs=attrs, protocol=int(NETLINK.NETFILTER))


@needs_root
@needs_nft
def test_changes_encoded_by_nlwire_are_applied_by_the_kernel(netns: str) -> None:
    """The encoding direction, through ``Socket.batch``: a table, a base chain (negative
    priority, drop policy) and a rule built with nlwire's schemas are applied and read back
    by nft as intended; a chain in a missing table is refused, and the error names the
    attribute the kernel's extended ACK points at."""
    inet = int(NFPROTO.INET)
    expressions = Attrs(EXPR_LIST_ATTRS, [
        (NFTA_LIST.ELEM, {NFTA_EXPR.NAME: "meta",
                          NFTA_EXPR.DATA: {NFTA_META.KEY: NFT_META.L4PROTO, NFTA_META.DREG: NFT_REGISTERS.REG_1}}),
        (NFTA_LIST.ELEM, {NFTA_EXPR.NAME: "cmp",
                          NFTA_EXPR.DATA: {NFTA_CMP.SREG: NFT_REGISTERS.REG_1, NFTA_CMP.OP: NFT_CMP.EQ,
                                           NFTA_CMP.DATA: {NFTA_DATA.VALUE: bytes([6])}}}),  # IPPROTO_TCP
        (NFTA_LIST.ELEM, {NFTA_EXPR.NAME: "immediate",
                          NFTA_EXPR.DATA: {NFTA_IMMEDIATE.DREG: NFT_REGISTERS.REG_VERDICT,
                                           NFTA_IMMEDIATE.DATA: {NFTA_DATA.VERDICT: {
                                               NFTA_VERDICT.CODE: NFT_VERDICT.ACCEPT}}}}),
    ])
    changes = [
        _nft_message(NFT_MSG.NEWTABLE, NLM_F.CREATE, inet, Attrs(TABLE_ATTRS, {NFTA_TABLE.NAME: "made"})),
        _nft_message(NFT_MSG.NEWCHAIN, NLM_F.CREATE, inet, Attrs(CHAIN_ATTRS, {
            NFTA_CHAIN.TABLE: "made", NFTA_CHAIN.NAME: "in", NFTA_CHAIN.TYPE: "filter",
            NFTA_CHAIN.POLICY: NFT_VERDICT.DROP,
            NFTA_CHAIN.HOOK: {NFTA_HOOK.HOOKNUM: NF_INET_HOOKS.LOCAL_IN, NFTA_HOOK.PRIORITY: -5}})),
        _nft_message(NFT_MSG.NEWRULE, NLM_F.CREATE | NLM_F.APPEND, inet, Attrs(RULE_ATTRS, {
            NFTA_RULE.TABLE: "made", NFTA_RULE.CHAIN: "in", NFTA_RULE.EXPRESSIONS: expressions})),
    ]
    with Socket("netfilter", netns=netns) as sock:
        acks = sock.batch(changes)  # one datagram: BATCH_BEGIN, the three, BATCH_END
        assert [(a.type, a.error) for a in acks] == [(NLMSG.ERROR, 0)] * 3
        refused = _nft_message(NFT_MSG.NEWCHAIN, NLM_F.CREATE, inet, Attrs(CHAIN_ATTRS, {
            NFTA_CHAIN.TABLE: "absent", NFTA_CHAIN.NAME: "c"}))
        with pytest.raises(NotFound) as info:
            sock.batch([refused])
    assert info.value.errno == errno.ENOENT
    assert str(info.value) == "NFT_MSG_NEWCHAIN: No such file or directory (ENOENT) at attrs[NFTA_CHAIN.TABLE]"

    listing = json.loads(_nft(netns, "-j", "list", "ruleset"))["nftables"]
    (chain,) = [x["chain"] for x in listing if "chain" in x]
    assert (chain["table"], chain["name"], chain["type"], chain["hook"], chain["prio"], chain["policy"]) == (
        "made", "in", "filter", "input", -5, "drop")
    (rule,) = [x["rule"] for x in listing if "rule" in x]
    assert rule["expr"] == [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}},
                            {"accept": None}]


def test_named_vector_newrule_from_the_capture() -> None:
    """nft-ruleset.pcap frame 57, message 2: ``nft add rule inet fw transit ip saddr
    @blocklist counter drop`` as libnftnl sent it. Every integer is big-endian (the
    cmp's family byte 02 is bytes, not an integer); each nest carries NLA_F_NESTED."""
    raw = bytes.fromhex(
        "28010000" "060a" "010c" "01000000" "00000000"  # nlmsghdr: len 296, NFT_MSG_NEWRULE, REQUEST|CREATE|APPEND
        "01000000"  # nfgenmsg: NFPROTO_INET, version 0, res_id 0
        "07000100 66770000"  # NFTA_RULE_TABLE "fw"
        "0c000200 7472616e73697400"  # NFTA_RULE_CHAIN "transit"
        "00010480"  # NFTA_RULE_EXPRESSIONS, 256 bytes, nested (0x8004)
        "24000180 09000100 6d657461 00000000 14000280 08000200 0000000f 08000100 00000001"  # meta nfproto -> reg 1
        "2c000180 08000100 636d7000 20000280 08000100 00000001 08000200 00000000"  # cmp eq reg 1
        "0c000380 05000100 02000000"  # ... NFTA_DATA_VALUE 02 (NFPROTO_IPV4)
        "34000180 0c000100 7061796c 6f616400 24000280 08000100 00000001 08000200 00000001"  # payload: reg 1, network
        "08000300 0000000c 08000400 00000004"  # ... offset 12, len 4 (the IPv4 source address)
        "34000180 0b000100 6c6f6f6b 75700000 24000280 08000200 00000001"  # lookup reg 1
        "0e000100 626c6f63 6b6c6973 74000000 08000400 00000001"  # ... set "blocklist", set id 1
        "14000180 0c000100 636f756e 74657200 04000280"  # counter (no attributes)
        "30000180 0e000100 696d6d65 64696174 65000000 1c000280 08000100 00000000"  # immediate reg 0 (verdict)
        "10000280 0c000280 08000100 00000000"  # ... NFTA_DATA_VERDICT: NFTA_VERDICT_CODE NF_DROP
    )
    assert raw == message("nft-ruleset.pcap", 57, 1)
    (msg,) = decode(raw, NETLINK.NETFILTER, strict=True)
    assert msg.name == "NFT_MSG_NEWRULE" and msg.header.family == NFPROTO.INET
    assert (msg.attrs.get(NFTA_RULE.TABLE), msg.attrs.get(NFTA_RULE.CHAIN)) == ("fw", "transit")
    exprs = _expressions(msg)
    assert [name for name, _ in exprs] == ["meta", "cmp", "payload", "lookup", "counter", "immediate"]
    assert exprs[0][1].get(NFTA_META.KEY) == NFT_META.NFPROTO and exprs[0][1].get(NFTA_META.DREG) == 1
    assert exprs[1][1].get(NFTA_CMP.DATA).get(NFTA_DATA.VALUE) == bytes([NFPROTO.IPV4])
    assert [exprs[2][1].get(a) for a in (NFTA_PAYLOAD.BASE, NFTA_PAYLOAD.OFFSET, NFTA_PAYLOAD.LEN)] == [
        NFT_PAYLOAD.NETWORK_HEADER, 12, 4]
    assert exprs[3][1].get(NFTA_LOOKUP.SET) == "blocklist" and len(exprs[4][1]) == 0
    verdict = exprs[5][1].get(NFTA_IMMEDIATE.DATA).get(NFTA_DATA.VERDICT)
    assert verdict.get(NFTA_VERDICT.CODE) == NFT_VERDICT.DROP
    assert encode(msg) == raw


OBJECTS_RULESET = """
table inet x {
    counter cnt { packets 5 bytes 300 }
    quota q { over 100 mbytes used 10 mbytes }
    limit lim { rate 10/minute burst 3 packets }
    ct helper ftph { type "ftp" protocol tcp; l3proto ip; }
    ct expectation ex { protocol tcp; dport 2121; timeout 10m; size 8; l3proto ip; }
    synproxy sp { mss 1460; wscale 7; timestamp sack-perm; }
    chain c {
        type filter hook prerouting priority 0;
        counter name "cnt"
        meta mark set numgen inc mod 2
        meta mark set jhash ip saddr mod 4
        socket transparent 1 accept
        tcp dport 80 ct count over 5 drop
    }
}
table netdev n {
    chain ing {
        type filter hook ingress device lo priority 0;
        ip daddr 127.0.0.2 dup to "lo"
        ip daddr 127.0.0.3 fwd to "lo"
    }
}
"""


@needs_root
@needs_nft
def test_objects_and_more_expressions_match_nft(netns: str) -> None:
    """Stateful objects, each decoded by its type, equal ``nft -j``'s; the rules' objref,
    numgen, hash, socket, connlimit, dup and fwd expressions are those libnftnl renders."""
    _nft(netns, "-f", "-", stdin=OBJECTS_RULESET)
    listing = json.loads(_nft(netns, "-j", "list", "ruleset"))["nftables"]
    debug = _debug_rules(_nft(netns, "--debug=netlink", "list", "ruleset"))
    with Socket("netfilter", netns=netns) as sock:
        objects = {m.attrs.get(NFTA_OBJ.NAME): m for m in _dump(sock, NFT_MSG.GETOBJ)}
        rules = _dump(sock, NFT_MSG.GETRULE)
        assert not sock.decode_errors
    skip = ("metainfo", "table", "chain", "rule")
    nft = {item[k]["name"]: item[k] for item in listing for k in item if k not in skip}
    assert set(objects) == set(nft) == {"cnt", "q", "lim", "ftph", "ex", "sp"}

    def data(name: str) -> Attrs:
        value: Attrs = objects[name].attrs.get(NFTA_OBJ.DATA)
        assert isinstance(value, Attrs), name  # decoded by NFTA_OBJ_TYPE, not left as bytes
        return value

    assert (data("cnt").get(NFTA_COUNTER.PACKETS), data("cnt").get(NFTA_COUNTER.BYTES)) == (
        nft["cnt"]["packets"], nft["cnt"]["bytes"])
    quota = data("q")
    assert (quota.get(NFTA_QUOTA.BYTES), quota.get(NFTA_QUOTA.CONSUMED)) == (nft["q"]["bytes"], nft["q"]["used"])
    assert bool(quota.get(NFTA_QUOTA.FLAGS) & NFT_QUOTA_F.INV) == nft["q"]["inv"]
    limit = data("lim")
    assert (limit.get(NFTA_LIMIT.RATE), limit.get(NFTA_LIMIT.UNIT), limit.get(NFTA_LIMIT.BURST)) == (
        nft["lim"]["rate"], {"minute": 60}[nft["lim"]["per"]], nft["lim"]["burst"])
    helper = data("ftph")
    assert [helper.get(a) for a in (NFTA_CT_HELPER.NAME, NFTA_CT_HELPER.L4PROTO, NFTA_CT_HELPER.L3PROTO)] == [
        nft["ftph"]["type"], 6, 2]  # IPPROTO_TCP, NFPROTO_IPV4 ("tcp", "ip")
    expect = data("ex")
    assert (expect.get(NFTA_CT_EXPECT.DPORT), expect.get(NFTA_CT_EXPECT.TIMEOUT), expect.get(NFTA_CT_EXPECT.SIZE)) == (
        nft["ex"]["dport"], nft["ex"]["timeout"], nft["ex"]["size"])  # the timeout in ms, host order
    proxy = data("sp")
    assert (proxy.get(NFTA_SYNPROXY.MSS), proxy.get(NFTA_SYNPROXY.WSCALE)) == (nft["sp"]["mss"], nft["sp"]["wscale"])

    assert len(rules) == len(debug) == 7
    seen = set()
    for m in rules:
        key = (FAMILIES[m.header.family], m.attrs.get(NFTA_RULE.TABLE), m.attrs.get(NFTA_RULE.CHAIN),
               m.attrs.get(NFTA_RULE.HANDLE))
        exprs = _expressions(m)
        assert [name for name, _ in exprs] == [line.split()[0] for line in debug[key]], key
        for name, value in exprs:
            assert isinstance(value, Attrs), name  # every expression here is declared
            seen.add(name)
    assert {"objref", "numgen", "hash", "socket", "connlimit", "dup", "fwd"} <= seen
