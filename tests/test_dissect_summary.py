"""The summary's strict check (dissect.netlink.summary): whether a message's attributes
decode in full, told without building them, and exactly as the eager decode tells it."""

from __future__ import annotations

import random
import re
import socket
import struct
from pathlib import Path
from typing import Any

import pytest

from dissect.netlink import Dissector, Record, Style, read_records, summary
from nlwire.wire import walks
from nlwire.wire.attrs import Attrs, AttrSet, Kind
from nlwire.wire.compiler import CHECK
from nlwire.wire.genetlink import GENL_FAMILIES
from nlwire.wire.registry import PROTOCOL_TYPES, GenlIds, lookup
from tests.test_dissect_render import ALL_CAPTURES, fast_path, mutations, node_path

_GENL = GenlIds()
MONITOR = Path(__file__).resolve().parent.parent / "captures" / "monitor.pcap"


def _attr_sets() -> list[AttrSet]:
    """Every attribute set the dissector's schemas reach (through every kind's ``inner``)."""
    todo = [s.attrs for _, schemas in PROTOCOL_TYPES.values() for s in schemas.values() if s.attrs is not None]
    todo += [f.attrs for f in GENL_FAMILIES.values() if f.attrs is not None]
    seen: dict[int, AttrSet] = {}
    kinds: list[Kind] = []
    while todo or kinds:
        if kinds:
            kind = kinds.pop()
            for inner, aset in kind.inner():
                if aset is not None:
                    todo.append(aset)
                elif inner is not kind:
                    kinds.append(inner)
            continue
        aset = todo.pop()
        if id(aset) not in seen:
            seen[id(aset)] = aset
            kinds += aset.kinds.values()
    return list(seen.values())


_Body = tuple[AttrSet, Any, bytes, int, int, int, Any]


def _bodies(records: list[Record]) -> list[_Body]:
    """(attribute set, fixed header, record bytes, the body's start (after the nlmsghdr),
    attributes' start and end, header record)
    of the messages of ``records`` with a known schema (of generic netlink: nlctrl's)."""
    out = []
    for rec in records:
        data = rec.data
        off = 16
        fam = struct.unpack_from(">H", data, 14)[0]
        while off + 16 <= len(data):
            ln, mtype = struct.unpack_from("=IH", data, off)
            if ln < 16 or off + ln > len(data):
                break
            cmd = data[off + 16] if ln > 16 else None
            schema = lookup(fam, mtype, _GENL, cmd) if mtype >= 16 else None
            if schema is not None and schema.attrs is not None:
                fixed = schema.header
                size = fixed.size if fixed is not None else 0
                if ln - 16 >= size:
                    header = fixed.unpack(data, off + 16) if fixed is not None else None
                    start = off + 16 + ((size + 3) & ~3)
                    out.append((schema.attrs, fixed, data, off + 16, min(start, off + ln), off + ln, header))
            off += (ln + 3) & ~3
    return out


def _retyped(bodies: list[_Body]) -> list[_Body]:
    """Copies of ``bodies`` with one nlattr header changed, at any depth: its type (so
    its payload meets another kind) or its length (the framing breaks or shifts)."""
    rng = random.Random("retyped")
    out = []
    for aset, fixed, data, body, start, end, header in bodies:
        heads = []  # offsets of nlattr headers, nests included
        todo = [(start, end)]
        while todo:
            off, stop = todo.pop()
            while off + 4 <= stop:
                ln, _t = struct.unpack_from("=HH", data, off)
                if ln < 4 or off + ln > stop:
                    break
                heads.append(off)
                if ln >= 8:
                    todo.append((off + 4, off + ln))  # read as attributes, whatever its kind
                off += (ln + 3) & ~3
        for _ in range(3):
            if not heads:
                break
            b = bytearray(data)
            at = rng.choice(heads)
            if rng.random() < 0.6:
                struct.pack_into("=H", b, at + 2, rng.randrange(1, 64) | (rng.random() < 0.2) << 15)
            else:
                struct.pack_into("=H", b, at, max(0, struct.unpack_from("=H", b, at)[0] + rng.randint(-6, 6)))
            out.append((aset, fixed, bytes(b), body, start, end, header))
    return out


def test_the_check_agrees_with_the_eager_decode() -> None:
    """On every message of every capture and on bit-flipped and cut copies, the summary
    says 'decodes' exactly when Attrs.from_bytes(eager=True) raises nothing. The compiled
    check of the attribute set (fits_plain) says so only of bodies that decode, and of
    nearly all of them, kinds chosen by a sibling and arrays of entries included: about
    one in a thousand is left to the decoder (a choice made by a choice; areas too small
    for the check are not counted)."""
    records = [r for p in ALL_CAPTURES for r in read_records(str(p))]
    bodies = _bodies(records + mutations(records, "check") + mutations(records[::-1], "check2"))
    bodies += _retyped(bodies)
    fits = left = bad = 0
    for aset, fixed, data, body, start, end, header in bodies:
        try:
            Attrs.from_bytes(aset, data, start, end, header=header, eager=True)
            decodes = True
        except Exception:
            decodes = False
        told = summary._strict(aset, fixed, data, body, start - body, end)
        assert (told is not False) == decodes, (aset, data[start:end].hex())
        if walks.fits_plain(aset, data, start, end, header):
            assert decodes, (aset, data[start:end].hex())
            fits += 1
        elif decodes and end - start >= walks.MIN_SIZE:  # (smaller areas: memoised by their bytes)
            left += 1
        bad += not decodes
    assert fits > 5000 and bad > 1000 and left < fits // 500  # (1,690 of 8,475 before the choices were checked)


def test_a_kind_a_sibling_chooses_is_checked_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A link message whose IFLA_LINKINFO data a sibling (IFLA_INFO_KIND "vrf") chooses is
    told by the compiled check (the chosen kind's own check code), not by the eager decode
    of the whole body; the summary decodes none of its copies and compiles no layout walk
    of the strict decode for them; the lines are the node path's."""
    aset = lookup(0, 16).attrs  # RTM_NEWLINK
    assert aset is not None
    chosen = [
        rec
        for rec in read_records(str(MONITOR.with_name("ip-link-show.pcap")))
        for _a, _f, data, _b, start, end, header in _bodies([rec])
        if _a is aset and b"vrf\0" in data[start:end]
    ]
    assert chosen
    for _a, _f, data, _b, start, end, header in _bodies(chosen):
        if _a is aset:
            assert walks.fits_plain(aset, data, start, end, header)
    decoded = 0
    real = summary._decodes

    def counting(*a: Any) -> bool:
        nonlocal decoded
        decoded += 1
        return real(*a)

    monkeypatch.setattr(summary, "_decodes", counting)
    rec = chosen[0]
    walks.forget_layouts()
    before = walks.fast(aset).compiled
    recs = [Record(rec.linktype, float(i), rec.data, rec.wirelen) for i in range(40)]
    out = "".join(Dissector().render(recs, "summary"))
    assert walks.fast(aset).compiled == before and decoded == 0
    assert "IFLA_IFNAME=" in out and "[malformed]" not in out
    assert out == node_path(recs, "summary", Style(False), hex_dump=False)


def test_a_layout_seen_a_few_times_is_checked_without_compiling_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A route message whose attribute layout comes three times is checked by the compiled
    check's per-set walk: no layout walk is compiled for it, of the check or of the strict
    decode (an eager decode used to compile one on its second sighting, ~1 ms of CPU, for
    a layout that may never come again); the lines are the node path's."""
    records = [r for r in read_records(str(MONITOR)) if struct.unpack_from("=H", r.data, 20)[0] == 24]  # RTM_NEWROUTE
    assert records
    rec = max(records, key=lambda r: len(r.data))
    assert len(rec.data) - 16 - 16 - 12 >= walks.MIN_SIZE  # an area a layout would be compiled for
    aset = lookup(0, 24).attrs  # type: ignore[union-attr]
    walks.forget_layouts()
    for f in (walks.fast(aset), walks.fast(aset, CHECK)):
        monkeypatch.setattr(f, "misses", {})
    recs = [Record(rec.linktype, float(i), rec.data, rec.wirelen) for i in range(3)]
    out = "".join(Dissector().render(recs, "summary"))
    assert walks.fast(aset).compiled == walks.fast(aset, CHECK).compiled == 0  # (layout walks compiled)
    assert out == node_path(recs, "summary", Style(False), hex_dump=False)


def test_a_summary_compiles_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted work: the layout walks are learned in the first passes (here the check's,
    like the strict decode's, once the per-set walk has answered twice for a size); a
    third pass over the capture compiles none, and the lines are the node path's."""
    records = list(read_records(str(MONITOR)))
    monkeypatch.setattr(walks, "CHECK_AFTER", walks.COMPILE_AFTER)
    walks.forget_layouts()
    dis = Dissector()
    passes = []
    for _ in range(3):
        for _text in dis.render(records, "summary"):
            pass
        passes.append(sum(f.compiled for f in walks._FASTS))
    assert 0 < passes[0] <= passes[1] == passes[2]
    assert fast_path(records * 3, "summary", Style(False)) == node_path(records * 3, "summary", Style(False))


def renumbered(rec: Record) -> Record:
    """``rec`` (LINKTYPE_NETLINK) with each message's seq and non-zero pid changed alike."""
    data = bytearray(rec.data)
    off = 16
    while off + 16 <= len(data):
        ln, _t, _f, seq, pid = struct.unpack_from("=IHHII", data, off)
        struct.pack_into("=II", data, off + 8, seq ^ 0x5A5A, pid + 7 if pid else 0)
        if ln < 16:
            break
        off += (ln + 3) & ~3
    return Record(rec.linktype, rec.time, bytes(data), rec.wirelen)


def test_a_repeated_body_is_summarised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted work: the columns of a whole message are worked out once per distinct body
    (family, type, flags and the bytes after the nlmsghdr), however often it comes again
    with another seq or pid: three copies of route, genl, netfilter and sock_diag captures
    cost no more of that work than one; the lines stay the node path's."""
    names = ("monitor.pcap", "ethtool-genl.pcap", "nft-ruleset.pcap", "ss-sock-diag.pcap")
    records = [r for n in names for r in read_records(str(MONITOR.with_name(n)))]
    calls = 0
    real = summary.SummaryWriter._columns

    def counting(self: summary.SummaryWriter, *a: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(self, *a)

    monkeypatch.setattr(summary.SummaryWriter, "_columns", counting)
    once = fast_path(records, "summary", Style(False))
    first = calls
    calls = 0
    # the same bodies again, every message under another seq and pid (port 0 kept: a
    # message from port 0 answers no request), so replies still answer their requests
    again = [renumbered(r) for r in records]
    thrice = records + again + records
    out = fast_path(thrice, "summary", Style(False))
    assert calls == first and once.count("\n") > 400
    assert out == node_path(thrice, "summary", Style(False))


def test_a_genl_body_is_named_again_once_its_family_is_learned() -> None:
    """The same body of a generic family's message under each name its id is given by a
    CTRL_CMD_NEWFAMILY (an id freed and given to another family): the memo of bodies keys
    on the families learned; each line is what a summary of the records up to it writes."""
    recs = list(read_records(str(MONITOR.with_name("ethtool-genl.pcap"))))
    newfamily, ethtool = recs[1], recs[3]  # ethtool's id 20 learned; an ethtool request
    other = Record(newfamily.linktype, newfamily.time, newfamily.data.replace(b"ethtool\0", b"nl80211\0"),
                   newfamily.wirelen)
    order = [newfamily, ethtool, other, ethtool]

    def summary_of(recs: list[Record]) -> list[str]:  # the columns after frame number and time
        return [x[18:] for x in "".join(Dissector(genl=GenlIds()).render(recs, "summary")).splitlines()]

    # (without specs: an ethtool command is named by its number)
    lines = summary_of(order)
    assert lines[1] == summary_of(order[:2])[-1] and "ethtool cmd 4" in lines[1]
    assert lines[3] == summary_of(order[2:])[-1] and "nl80211" in lines[3]


# ------------------------------------------------------------------ a reply's words may use its request

SS_SOCKETS = {
    # ss-sock-diag.commands.txt: what `ss -tan`, `ss -uan` and `ss -wan` listed (local, peer;
    # ss writes a peer's port 0 as "*"), each command's dump answered in its own frames
    socket.IPPROTO_TCP: [("127.0.0.1:9191", "0.0.0.0:*"), ("127.0.0.1:40810", "127.0.0.1:9191"),
                         ("127.0.0.1:9191", "127.0.0.1:40810"), ("[::1]:56010", "[::1]:9090"),
                         ("[::1]:9090", "[::1]:56010")],
    socket.IPPROTO_UDP: [("127.0.0.1:40241", "127.0.0.1:5060"), ("[::1]:35945", "[::1]:5061")],
    socket.IPPROTO_RAW: [("0.0.0.0:1", "0.0.0.0:*")],
}
IPPROTO_WORD = {socket.IPPROTO_TCP: "TCP", socket.IPPROTO_UDP: "UDP", socket.IPPROTO_RAW: "RAW"}
_REPLY = re.compile(r"\[req (\d+)\] (\S+) (\S+) -> (\S+) \S+$")


def both_summaries(records: list[Record]) -> str:
    """The summary of ``records``, checked equal on both paths (fast, and summary_lines of frames)."""
    out = fast_path(records, "summary", Style(False))
    assert out == node_path(records, "summary", Style(False))
    return out


def test_a_sock_diag_reply_names_the_protocol_its_request_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """inet_diag_msg has no protocol field: a reply's summary takes it from the correlated
    request's sdiag_protocol (TCP, UDP, RAW), as ``ss -tan``/``-uan``/``-wan`` listed them;
    the fast path words them itself (no message is built as nodes)."""
    records = list(read_records(str(MONITOR.with_name("ss-sock-diag.pcap"))))[:17]
    built: list[int] = []
    real = summary.message_node

    def counted(*args: Any) -> Any:
        built.append(1)
        return real(*args)

    monkeypatch.setattr(summary, "message_node", counted)
    assert "TCP 127.0.0.1:9191" in "".join(Dissector().render(records, "summary"))
    assert not built
    monkeypatch.undo()
    got: dict[int, list[tuple[str, str]]] = {}
    for line in both_summaries(records).splitlines():
        m = _REPLY.search(line)
        if m is None or "SOCK_DIAG_BY_FAMILY" not in line:
            continue
        request = records[int(m.group(1)) - 1].data
        proto = request[16 + 16 + 1]  # the request's sdiag_protocol (after cooked and nlmsg headers, family)
        assert m.group(2) == IPPROTO_WORD[proto], line
        got.setdefault(proto, []).append((m.group(3), m.group(4).replace(":0", ":*") if m.group(4).endswith(":0")
                                          else m.group(4)))
    assert got == SS_SOCKETS


def test_a_reply_body_is_worded_per_request() -> None:
    """The memo of summarised bodies keys on the request where the words use it: the same
    reply body answering a TCP request, then a UDP one, is a TCP socket, then a UDP one."""
    records = list(read_records(str(MONITOR.with_name("ss-sock-diag.pcap"))))
    request, reply = records[0], records[1]
    as_udp = bytearray(request.data)
    as_udp[16 + 16 + 1] = socket.IPPROTO_UDP
    udp = Record(request.linktype, request.time, bytes(as_udp), request.wirelen)
    lines = both_summaries([request, reply, udp, reply]).splitlines()
    words = [m.group(2) for m in map(_REPLY.search, lines) if m is not None]
    assert words == ["TCP"] * 3 + ["UDP"] * 3
