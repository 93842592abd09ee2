"""tc's TCA_OPTIONS, TCA_XSTATS and TCA_STATS2's TCA_STATS_APP decoded by the message's
TCA_KIND, with the kinds the kernel's installed tc spec gives them (``from_spec``), against
iproute2's ``tc`` in a private namespace: htb (qdisc and classes), tbf, ingress, pfifo and
a u32 filter, read by nlwire's dump, by the dissector (text and JSON) and written by
nlwire (an htb qdisc and class from dicts). iproute2 6.1 prints htb classes as text even
with ``-j``; their values are read from that text.

Kernel facts used (include/uapi/linux/pkt_sched.h, net/core/gen_stats.c): struct
tc_ratespec { unsigned char cell_log; __u8 linklayer; unsigned short overhead; short
cell_align; unsigned short mpu; __u32 rate; } (the 6.12 spec's u8 overhead, cell_align and
mpu are wrong: the loader takes the header's types); struct tc_u32_key {
__be32 mask; __be32 val; int off; int offmask; }, ``nkeys`` of them after struct
tc_u32_sel (the spec declares one: the rest are the struct's extra bytes); struct
tc_red_xstats { __u32 early, pdrop, other, marked; }; gnet_stats_copy_app() writes a
qdisc's or class's xstats both as TCA_STATS_APP and as TCA_XSTATS. iproute2's tc_core.c
turns a buffer in scheduler ticks into bytes with /proc/net/psched's factors."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nlwire.strategies as nls
from dissect.netlink import Dissector, Style, read_records
from nlwire.codec import decode, encode
from nlwire.consts import AF, NETLINK, NLM_F, RTM, TCA, TCA_STATS
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import TCA_ATTRS, TCMSG
from nlwire.wire.specs import load_spec
from tests.netns_fixtures import ip
from tests.spec_marks import HINT, INSTALLED, needs_spec
from tests.test_dissect_render import fast_path, node_path

HAVE_SPEC = "tc" in INSTALLED
needs_tc_spec = needs_spec("tc")
needs_tc = pytest.mark.skipif(shutil.which("tc") is None, reason="tc (iproute2) not installed")
TC_H_ROOT = 0xFFFFFFFF


def tc(ns: str, *args: str) -> str:
    return subprocess.run(["ip", "netns", "exec", ns, "tc", *args], check=True, capture_output=True,
                          text=True).stdout


def tc_json(ns: str, *args: str) -> list[dict[str, Any]]:
    """``tc -j ARGS`` parsed; a key tc writes twice (u32's ``match``) holds the list of its values."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            out.setdefault(k, []).append(v)
        return {k: v[0] if len(v) == 1 and k != "match" else v for k, v in out.items()}

    out = tc(ns, "-j", *args)
    return json.loads(out, object_pairs_hook=pairs) if out.strip() else []


def _psched() -> tuple[float, float]:
    """iproute2's tc_core_init(): (ticks per microsecond, clock factor), from /proc/net/psched."""
    t2us, us2t, clock_res, _hz = (int(x, 16) for x in Path("/proc/net/psched").read_text().split())
    factor = clock_res / 1_000_000 if clock_res != 1_000_000_000 else 1000.0
    return t2us / us2t * factor, factor


def burst_of(rate: int, ticks: int) -> int:
    """tc_calc_xmitsize(rate, ticks): the bytes a buffer of ``ticks`` holds at ``rate`` bytes/s
    (tc_core_tick2time's microseconds and the size both truncated to unsigned ints)."""
    tick_in_usec, _ = _psched()
    return int(rate * int(ticks / tick_in_usec) / 1_000_000)


def size_of(text: str) -> int:
    """tc's sprint_size() text as bytes: ``15Kb`` 15360, ``1600b``, ``4Kb/1`` (the cell ignored)."""
    m = re.fullmatch(r"([\d.]+)(b|Kb|Mb|Gb)(/\d+)?", text)
    assert m, text
    return round(float(m.group(1)) * 1024 ** ("b", "Kb", "Mb", "Gb").index(m.group(2)))


def same_size(ours: int, text: str) -> bool:
    """Whether tc's sprint_size() prints ``ours`` as ``text``: bytes exactly, a size within 16
    bytes of a whole number of Kb as that many Kb (within 1024 of Mb, as Mb)."""
    slack = 1024 if "Mb" in text or "Gb" in text else 16 if "Kb" in text else 1
    return abs(ours - size_of(text)) < slack


def rate_of(text: str) -> int:
    """tc's rate text as bytes per second: ``1Mbit`` 125000."""
    m = re.fullmatch(r"([\d.]+)(bit|Kbit|Mbit|Gbit)", text)
    assert m, text
    return round(float(m.group(1)) * 1000 ** ("bit", "Kbit", "Mbit", "Gbit").index(m.group(2)) / 8)


def htb_classes(ns: str, dev: str) -> dict[int, dict[str, Any]]:
    """``tc -s -d class show``'s htb classes (text: iproute2 6.1 has no JSON for them), by classid."""
    out: dict[int, dict[str, Any]] = {}
    for block in tc(ns, "-s", "-d", "class", "show", "dev", dev).split("\n\n"):
        m = re.match(r"class htb (\w+):(\w+) ", block)
        if not m:
            continue
        words = block.split()
        after = {w: words[i + 1] for i, w in enumerate(words[:-1])}
        out[int(m.group(1), 16) << 16 | int(m.group(2), 16)] = {
            "rate": rate_of(after["rate"]), "ceil": rate_of(after["ceil"]),
            "burst": after["burst"], "cburst": after["cburst"],
            "level": int(after["level"]),
            # (a leaf's: tc prints them for level 0 alone)
            **{k: int(after[k]) for k in ("quantum", "prio") if k in after},
            **{k.rstrip(":"): int(after[k]) for k in ("lended:", "borrowed:", "giants:", "tokens:", "ctokens:")},
        }
    return out


def _dump(rt: Rtnl, mtype: int, **header: int) -> list[Message]:
    return list(rt.socket.dump(Message(mtype, header=TCMSG.new(family=AF.UNSPEC, **header))))


class Shaped:
    """What the module's namespace holds, as tc made it and nlwire dumped it."""

    ns: str
    index: int
    qdiscs: list[Message]
    classes: list[Message]
    filters: list[Message]
    pcap: Path


@pytest.fixture(scope="module")
def shaped(module_netns: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shaped]:
    if not HAVE_SPEC:
        pytest.skip(f"the tc spec is not installed ({HINT})")
    if shutil.which("tc") is None:
        pytest.skip("tc (iproute2) not installed")
    ns = module_netns
    ip(ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
    for line in (
        "qdisc add dev p0 root handle 1: htb r2q 7 default 20",
        "class add dev p0 parent 1: classid 1:1 htb rate 10mbit burst 15k",
        "class add dev p0 parent 1:1 classid 1:10 htb rate 1mbit ceil 2mbit burst 15k cburst 3k prio 2",
        "class add dev p0 parent 1:1 classid 1:20 htb rate 3mbit ceil 10mbit quantum 3000",
        "qdisc add dev p0 ingress",
        "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.2/32 match ip dport 80 0xffff "
        "flowid 1:10",
        "qdisc add dev p1 root handle 2: tbf rate 1mbit burst 32kbit latency 400ms mpu 64 overhead 10",
        "qdisc add dev p1 parent 2:1 handle 3: pfifo limit 33",
    ):
        tc(ns, *line.split())
    s = Shaped()
    s.ns = ns
    s.pcap = tmp_path_factory.mktemp("tc") / "tc.pcap"
    with Rtnl(netns=ns, capture=str(s.pcap)) as rt:
        s.index = rt.link("p0").index
        s.qdiscs = _dump(rt, RTM.GETQDISC)
        s.classes = _dump(rt, RTM.GETTCLASS, ifindex=s.index)
        s.filters = _dump(rt, RTM.GETTFILTER, ifindex=s.index, parent=0x10000)
    yield s


def _kind(msgs: list[Message], kind: str, **header: int) -> list[Message]:
    return [m for m in msgs if m.attrs is not None and m.attrs.get(TCA.KIND) == kind
            and all(getattr(m.header, k) == v for k, v in header.items())]


def _handle(text: str) -> int:
    major, _, minor = text.partition(":")
    return int(major or "0", 16) << 16 | int(minor or "0", 16)


@needs_tc_spec
@needs_tc
def test_qdisc_options_equal_tc(shaped: Shaped) -> None:
    theirs = {(q["kind"], _handle(q["handle"])): q for q in tc_json(shaped.ns, "-s", "-d", "qdisc", "show")}
    [htb] = _kind(shaped.qdiscs, "htb")
    options = htb.attrs[TCA.OPTIONS]
    init = options["init"]
    oracle = theirs["htb", htb.header.handle]["options"]
    assert (init.rate2quantum, init.defcls, init.direct_pkts) == (
        oracle["r2q"], int(oracle["default"], 16), oracle["direct_packets_stat"])
    assert (oracle["r2q"], oracle["default"]) == (7, "0x20")
    assert options["direct-qlen"] == oracle["direct_qlen"]
    assert init.version == 3 << 16 | 0x11  # HTB_VER (pkt_sched.h: 0x30011)

    [tbf] = _kind(shaped.qdiscs, "tbf")
    parms = tbf.attrs[TCA.OPTIONS]["parms"]
    oracle = theirs["tbf", tbf.header.handle]["options"]
    assert parms.rate_rate == oracle["rate"] == 125000
    assert same_size(burst_of(parms.rate_rate, parms.buffer), oracle["burst"]) and oracle["burst"] == "4Kb/1"
    # tc prints the limit as the latency it allows: limit/rate seconds, less the burst's time
    tick_in_usec, _ = _psched()
    assert round(1_000_000 * parms.limit / parms.rate_rate - parms.buffer / tick_in_usec) == oracle["lat"]
    assert parms.rate_linklayer == 1 and oracle["linklayer"] == "ethernet"  # TC_LINKLAYER_ETHERNET
    assert (parms.rate_mpu, parms.rate_overhead) == (oracle["mpu"], oracle["overhead"]) == (64, 10)

    [pfifo] = _kind(shaped.qdiscs, "pfifo")
    assert pfifo.attrs[TCA.OPTIONS].limit == theirs["pfifo", pfifo.header.handle]["options"]["limit"] == 33

    [ingress] = _kind(shaped.qdiscs, "ingress")
    assert ingress.attrs[TCA.OPTIONS] == b"" and theirs["ingress", 0xFFFF0000]["options"] == {}
    # no qdisc here has xstats the spec declares: TCA_STATS_APP and TCA_XSTATS are absent
    assert all(TCA.XSTATS not in q.attrs and TCA_STATS.APP not in q.attrs[TCA.STATS2] for q in shaped.qdiscs)


@needs_tc_spec
@needs_tc
def test_htb_class_options_and_xstats_equal_tc(shaped: Shaped) -> None:
    theirs = htb_classes(shaped.ns, "p0")
    ours = {m.header.handle: m for m in _kind(shaped.classes, "htb")}
    assert set(ours) == set(theirs) == {0x10001, 0x10010, 0x10020}
    for handle, oracle in theirs.items():
        attrs = ours[handle].attrs
        p = attrs[TCA.OPTIONS]["parms"]
        assert (p.rate_rate, p.ceil_rate, p.level) == (oracle["rate"], oracle["ceil"], oracle["level"])
        if p.level == 0:
            assert (p.quantum, p.prio) == (oracle["quantum"], oracle["prio"])
        assert same_size(burst_of(p.rate_rate, p.buffer), oracle["burst"])
        assert same_size(burst_of(p.ceil_rate, p.cbuffer), oracle["cburst"])
        xstats = attrs[TCA.XSTATS]
        assert (xstats.lends, xstats.borrows, xstats.giants, xstats.tokens, xstats.ctokens) == (
            oracle["lended"], oracle["borrowed"], oracle["giants"], oracle["tokens"], oracle["ctokens"])
        assert attrs[TCA.STATS2][TCA_STATS.APP] == xstats  # the same struct, written twice
    assert theirs[0x10010]["prio"] == 2 and theirs[0x10020]["quantum"] == 3000
    assert (theirs[0x10010]["burst"], theirs[0x10010]["cburst"]) == ("15Kb/1", "3Kb/1")


@needs_tc_spec
@needs_tc
def test_u32_filter_options_equal_tc(shaped: Shaped) -> None:
    theirs = [f for f in tc_json(shaped.ns, "filter", "show", "dev", "p0", "parent", "1:") if "options" in f]
    [hnode] = [f["options"] for f in theirs if "ht_divisor" in f["options"]]
    [knode] = [f["options"] for f in theirs if "match" in f["options"]]
    by_handle = {m.header.handle: m.attrs[TCA.OPTIONS] for m in _kind(shaped.filters, "u32") if TCA.OPTIONS in m.attrs}
    assert by_handle[_u32_handle(hnode["fh"])]["divisor"] == hnode["ht_divisor"] == 1
    options = by_handle[_u32_handle(knode["fh"])]
    assert options["classid"] == _handle(knode["flowid"]) == 0x10010
    sel = options["sel"]
    assert sel.nkeys == len(knode["match"]) == 2
    # the first key is the struct's (the spec declares one), the next ones its extra bytes
    keys = [(sel.keys_mask, sel.keys_val, sel.keys_off)]
    for i in range(sel.nkeys - 1):
        mask, val = struct.unpack_from(">II", sel.extra, 16 * i)
        (off,) = struct.unpack_from("=i", sel.extra, 16 * i + 8)
        keys.append((mask, val, off))
    assert keys == [(int(k["mask"], 16), int(k["value"], 16), k["off"]) for k in knode["match"]]
    assert keys[0] == (0xFFFFFFFF, 0x0A000002, 16)  # ip dst 10.0.0.2/32: at 16 in the IP header


def _u32_handle(fh: str) -> int:
    """u32's ``fh`` text (``800:``, ``800::800``): htid:hash:node as the filter handle."""
    htid, _, rest = fh.partition(":")
    bucket, _, node = rest.partition(":")
    return int(htid, 16) << 20 | int(bucket or "0", 16) << 12 | int(node or "0", 16)


@needs_tc_spec
@needs_tc
def test_dissector_shows_options_by_name(shaped: Shaped) -> None:
    records = list(read_records(str(shaped.pcap)))
    text = "".join(Dissector().render(records, "text", Style(False)))
    theirs = htb_classes(shaped.ns, "p0")[0x10010]
    qdisc = {q["kind"]: q["options"] for q in tc_json(shaped.ns, "qdisc", "show", "dev", "p0")}
    assert "TCA_OPTIONS: 2 attributes\n            TC_HTB_ATTRS_INIT: tc_htb_glob\n" in text
    assert f"                rate2quantum: {qdisc['htb']['r2q']}\n" in text
    assert f"                defcls: {int(qdisc['htb']['default'], 16)}\n" in text
    assert f"            TC_HTB_ATTRS_DIRECT_QLEN: {qdisc['htb']['direct_qlen']}\n" in text
    assert "            TC_HTB_ATTRS_PARMS: tc_htb_opt\n" in text
    assert f"                rate_rate: {theirs['rate']}\n" in text
    assert f"                ceil_rate: {theirs['ceil']}\n" in text
    assert f"        TCA_XSTATS: tc_htb_xstats\n            lends: {theirs['lended']}\n" in text
    assert f"            tokens: {theirs['tokens']}\n            ctokens: {theirs['ctokens']}\n" in text
    assert "            TCA_STATS_APP: tc_htb_xstats\n" in text
    assert "            TC_U32_ATTRS_SEL: tc_u32_sel\n" in text and "                keys_val: 167772162\n" in text

    frames = [json.loads(line) for line in Dissector().render(records, "json", Style(False))]
    nodes = list(_nodes(frames))
    glob = [n for n in nodes if n["name"] == "TC_HTB_ATTRS_INIT"]
    assert glob and all({c["name"]: c["value"] for c in n["children"]}["rate2quantum"] == qdisc["htb"]["r2q"]
                        for n in glob)
    parms = {n["offset"]: {c["name"]: c["value"] for c in n["children"]} for n in nodes
             if n["name"] == "TC_HTB_ATTRS_PARMS"}
    assert sorted((p["rate_rate"], p["ceil_rate"], p["level"]) for p in parms.values()) == sorted(
        (c["rate"], c["ceil"], c["level"]) for c in htb_classes(shaped.ns, "p0").values())
    xstats = [{c["name"]: c["value"] for c in n["children"]} for n in nodes if n["name"] == "TCA_XSTATS"]
    assert sorted(x["tokens"] for x in xstats) == sorted(c["tokens"] for c in htb_classes(shaped.ns, "p0").values())
    for mode in ("text", "json", "summary"):  # the fast renderers agree with the node tree
        assert fast_path(records, mode, Style(False)) == node_path(records, mode, Style(False))


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "name" in value and "children" in value:
            yield value
        for v in value.values():
            yield from _nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _nodes(v)


@needs_tc_spec
@needs_tc
def test_an_htb_qdisc_and_class_nlwire_encodes_are_what_tc_shows(netns: str) -> None:
    ip(netns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
    with Rtnl(netns=netns) as rt:
        index = rt.link("p0").index
        create = NLM_F.CREATE | NLM_F.EXCL
        qdisc = TCMSG.new(family=AF.UNSPEC, ifindex=index, handle=0x50000, parent=TC_H_ROOT)
        rt.socket.request(Message(RTM.NEWQDISC, create, header=qdisc, attrs=Attrs(TCA_ATTRS, {
            "kind": "htb", "options": {"init": {"version": 3, "rate2quantum": 9, "defcls": 0x42}}})))
        klass = TCMSG.new(family=AF.UNSPEC, ifindex=index, handle=0x50030, parent=0x50000)
        rt.socket.request(Message(RTM.NEWTCLASS, create, header=klass, attrs=Attrs(TCA_ATTRS, {
            TCA.KIND: "htb",
            TCA.OPTIONS: {"parms": {"rate_rate": 250000, "ceil_rate": 500000, "buffer": 100000, "cbuffer": 200000,
                                    "quantum": 3000, "prio": 3}}})))
    [q] = tc_json(netns, "qdisc", "show", "dev", "p0")
    assert (q["kind"], q["handle"], q["options"]["r2q"], q["options"]["default"]) == ("htb", "5:", 9, "0x42")
    c = htb_classes(netns, "p0")[0x50030]
    assert (c["rate"], c["ceil"], c["quantum"], c["prio"]) == (250000, 500000, 3000, 3)
    assert same_size(burst_of(250000, 100000), c["burst"]) and same_size(burst_of(500000, 200000), c["cburst"])


def test_options_a_spec_declares_encode_and_decode_by_kind() -> None:
    """Without a kernel: red's xstats (a struct the spec declares) as TCA_XSTATS and, in
    TCA_STATS2, as TCA_STATS_APP; an undeclared kind's options stay bytes."""
    if not HAVE_SPEC:
        pytest.skip(f"the tc spec is not installed ({HINT})")
    red = struct.pack("=4I", 1, 2, 3, 4)  # struct tc_red_xstats { early, pdrop, other, marked }
    body = b"".join(struct.pack("=HH", 4 + len(p), t) + p + bytes(-len(p) % 4) for t, p in [
        (TCA.KIND, b"red\0"), (TCA.XSTATS, red), (TCA.STATS2, struct.pack("=HH", 4 + len(red), TCA_STATS.APP) + red)])
    for eager in (True, False):
        attrs = Attrs.from_bytes(TCA_ATTRS, body, 0, len(body), eager=eager)
        want = {"early": 1, "pdrop": 2, "other": 3, "marked": 4}
        assert attrs.to_json()["TCA_XSTATS"] == want == attrs.to_json()["TCA_STATS2"]["TCA_STATS_APP"]
        assert attrs[TCA.XSTATS].marked == 4 and attrs.encode() == body
    # the spec's own tc-attrs: stats2's app chosen by the enclosing set's kind, as YNL looks it up
    spec_set = load_spec("tc", register=False).attr_sets["tc-attrs"]
    spec_attrs = Attrs.from_bytes(spec_set, body, 0, len(body), eager=True)
    assert spec_attrs.to_json()["TC_ATTRS_STATS2"]["TCA_STATS_ATTRS_APP"] == want
    # a struct inside a struct spelled out: struct tc_htb_opt { struct tc_ratespec rate, ceil;
    # __u32 buffer, cbuffer, quantum, level, prio; }, 44 bytes, rate.rate at 8, ceil.rate at 20
    htb_opt = load_spec("tc", register=False).structs["tc-htb-opt"]
    raw = struct.pack("=8xI8xI5I", 125000, 250000, 1, 2, 3, 4, 5)
    assert htb_opt.size == 44 and htb_opt.unpack(raw)[5:] == (125000, 0, 0, 0, 0, 0, 250000, 1, 2, 3, 4, 5)
    assert htb_opt.fields[5] == "rate_rate" and htb_opt.fields[11] == "ceil_rate"
    other = Attrs(TCA_ATTRS, {"kind": "nosuch", "options": b"\x01\x02", "xstats": b"\x03"})
    back = Attrs.from_bytes(TCA_ATTRS, other.encode(), eager=True)
    assert (back[TCA.OPTIONS], back[TCA.XSTATS]) == (b"\x01\x02", b"\x03")


@needs_tc_spec
def test_drawn_qdisc_messages_round_trip_with_options_by_kind() -> None:
    from hypothesis import HealthCheck, given, settings

    drawn = {"all": 0, "with options": 0, "by kind": 0}

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(nls.messages(NETLINK.ROUTE, [RTM.NEWQDISC, RTM.NEWTCLASS]))
    def law(msg: Message) -> None:
        assert decode(encode(msg), strict=True) == [msg]
        drawn["all"] += 1
        if msg.attrs is not None and TCA.OPTIONS in msg.attrs:
            drawn["with options"] += 1
            if TCA_ATTRS.kind(TCA.OPTIONS).resolve(msg.attrs).render != "bytes":
                drawn["by kind"] += 1  # (a kind the spec declares for the drawn TCA_KIND)

    law()
    print(drawn)
    # TCA_OPTIONS of a kind the spec declares are drawn (some 10 to 30 in 300: the KIND is
    # drawn from the choices of TCA_OPTIONS, TCA_XSTATS and TCA_STATS2 together)
    assert drawn["by kind"] >= 3, drawn


_WITHOUT_SPEC = """
import os, sys, json
import nlwire.wire.specs as specs
specs.STANDARD_PLACES = ()
from nlwire.codec import decode, encode
from nlwire.consts import TCA, TCA_STATS
from nlwire.wire.kinds import binary
from nlwire.wire.rtnetlink import TCA_ATTRS, TCA_STATS2_ATTRS
data = bytes.fromhex(sys.stdin.read())
msgs = decode(data, strict=True)
out = []
for m in msgs:
    a = m.attrs
    out.append([a.get(TCA.KIND), a.get(TCA.OPTIONS).hex(), (a.get(TCA.XSTATS) or b"").hex(),
                (a[TCA.STATS2].get(TCA_STATS.APP) or b"").hex()])
assert TCA_ATTRS.kind(TCA.OPTIONS).kind is binary and TCA_ATTRS.kind(TCA.XSTATS).kind is binary
assert TCA_ATTRS.kind(TCA.STATS2).kind.attr_set is TCA_STATS2_ATTRS
assert b"".join(encode(m) for m in msgs) == data
print(json.dumps(out))
print("yaml" in sys.modules, len(specs._LOADED))
"""


@needs_tc_spec
@needs_tc
def test_without_the_spec_options_stay_bytes(shaped: Shaped, tmp_path: Path) -> None:
    """No tc spec where nlwire looks: TCA_OPTIONS, TCA_XSTATS and TCA_STATS_APP are the bytes
    the kernel sent, as before; no error."""
    [klass] = [m for m in shaped.classes if m.header.handle == 0x10010]
    [htb] = _kind(shaped.qdiscs, "htb")
    data = encode(htb) + encode(klass)
    env = {**os.environ, "NLWIRE_SPEC_PATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", _WITHOUT_SPEC], input=data.hex(), capture_output=True, text=True,
                         env=env, check=True)
    rows, loaded = run.stdout.splitlines()
    assert loaded == "False 0"
    q, c = json.loads(rows)
    raw_q, raw_c = _tlvs(encode(htb), 16 + 20), _tlvs(encode(klass), 16 + 20)  # after nlmsghdr and tcmsg
    assert q == ["htb", raw_q[TCA.OPTIONS].hex(), "", ""]
    app = _tlvs(raw_c[TCA.STATS2], 0)[TCA_STATS.APP]
    assert c == ["htb", raw_c[TCA.OPTIONS].hex(), raw_c[TCA.XSTATS].hex(), app.hex()]
    assert len(app) == 20 and app == raw_c[TCA.XSTATS]  # struct tc_htb_xstats, twice


def _tlvs(data: bytes, start: int) -> dict[int, bytes]:
    """The payloads of the attributes in ``data[start:]``, by type (read here with struct)."""
    out = {}
    while start + 4 <= len(data):
        ln, atype = struct.unpack_from("=HH", data, start)
        out[atype & 0x3FFF] = data[start + 4 : start + ln]
        start += (ln + 3) & ~3
    return out


def test_startup_loads_no_spec() -> None:
    """``import nlwire`` and ``nlwire dissect`` of a capture without tc load neither a spec
    nor the YAML parser (tc's kinds are made when a tc message is first decoded)."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['nlwire', 'dissect', {str(Path(__file__).parent.parent / 'captures' / 'monitor.pcap')!r}]\n"
        "try:\n"
        "    runpy.run_module('nlwire', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import nlwire.wire.specs as specs\n"
        "print('yaml' in sys.modules, len(specs._LOADED), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "RTM_" in run.stdout
    assert run.stderr.split()[-2:] == ["False", "0"]
