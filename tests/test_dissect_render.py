"""The fast output path (``Dissector.render``: text, summary and JSON written straight from
decoded messages) equals the node path (``Dissector.frames`` rendered by ``text_tree``,
``summary_lines`` and ``json_line``) byte for byte: on every bundled capture, on truncated
and bit-flipped copies, with SLL wrapping, filters and colour."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest

from dissect.netlink import Dissector, Filter, Record, Style, hexdump, json_line, read_records, summary_lines, text_tree

CAPTURES = sorted((Path(__file__).resolve().parent.parent / "captures").glob("*.pcap"))


def node_path(records: list[Record], mode: str, style: Style, hex_dump: bool = True, **kw: Any) -> str:
    dis = Dissector(keep_raw=True, **kw)
    out = []
    for frame in dis.frames(records):
        t0 = dis.first_time
        assert t0 is not None
        if mode == "json":
            del frame["_raw"]
            out.append(json_line(frame) + "\n")
            continue
        if mode == "summary":
            out.append("".join(x + "\n" for x in summary_lines(frame, t0)))
        else:
            out.append(text_tree(frame, t0, style) + "\n")
        if hex_dump:
            out.append(hexdump(frame["_raw"]) + "\n")
    return "".join(out)


def fast_path(records: list[Record], mode: str, style: Style, **kw: Any) -> str:
    return "".join(Dissector(**kw).render(records, mode, style, hex_dump=True))


def mutations(records: list[Record], seed: str) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for rec in records[:40]:
        step = max(1, len(rec.data) // 12)
        out += [Record(rec.linktype, rec.time, rec.data[:n], rec.wirelen) for n in range(16, len(rec.data), step)]
        for _ in range(4):
            b = bytearray(rec.data)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(16, len(b))
                b[i] ^= 1 << rng.randrange(8)
            out.append(Record(rec.linktype, rec.time, bytes(b), rec.wirelen))
    return out


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("mode", ["text", "summary", "json"])
def test_fast_path_equals_node_path(path: Path, mode: str) -> None:
    records = list(read_records(str(path)))
    sll = [Record(113, r.time, struct.pack(">HHH8sH", 4, 824, 0, b"", 0) + r.data[16:], r.wirelen) for r in records]
    for recs in (records, mutations(records, path.name), sll):
        for style in (Style(False), Style(True)):
            assert fast_path(recs, mode, style) == node_path(recs, mode, style)


@pytest.mark.parametrize("mode", ["text", "summary", "json"])
def test_fast_path_equals_node_path_with_filters(mode: str) -> None:
    records = [r for p in CAPTURES for r in read_records(str(p))]
    for flt in (
        Filter(types=["RTM_NEWLINK", "NLMSG_ERROR", "CTRL_CMD_NEWFAMILY"]),
        Filter(family=16),
        Filter(frames=(5, 40)),
    ):
        assert fast_path(records, mode, Style(False), flt=flt) == node_path(records, mode, Style(False), flt=flt)


@pytest.mark.parametrize("mode", ["text", "summary", "json"])
def test_render_bytes_equals_encoded_render(mode: str) -> None:
    """render_bytes is render's text encoded as the CLI's stdout would (backslashreplace:
    mutated names decode to lone surrogates), with filters, the tree path and hex dumps."""
    records = [r for p in CAPTURES for r in read_records(str(p))]
    recs = records + mutations(records, "bytes")
    for kw in ({}, {"flt": Filter(errors_only=True)}, {"flt": Filter(frames=(3, 30))}):
        for hex_dump in (False, True):
            text = "".join(Dissector(**kw).render(recs, mode, Style(True), hex_dump=hex_dump))
            raw = b"".join(
                Dissector(**kw).render_bytes(recs, mode, Style(True), hex_dump=hex_dump, errors="backslashreplace")
            )
            assert raw == text.encode("utf-8", "backslashreplace")
            assert mode == "json" or "→" in text  # the non-ASCII title/direction text is there


SHARED = Path("/work/shared/captures")
ALL_CAPTURES = CAPTURES + sorted(p for p in SHARED.glob("*.pcap") if p.name not in {c.name for c in CAPTURES})


@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("mode", ["text", "json"])
def test_compiled_layouts_equal_node_path(path: Path, mode: str) -> None:
    """Layout-compiled renderers (dissect.netlink.layouts) against the node path: each capture
    twice (the second copy is written by the compiled functions), then value-mutated and
    header-mutated copies (same layouts with other values; broken layouts that must fall
    back), in both styles."""
    from dissect.netlink.fastframe import FrameWriter

    records = list(read_records(str(path)))[:400]
    recs = records + records + mutations(records, "layouts") + records
    for style in (Style(False), Style(True)):
        dis = Dissector()
        writer = FrameWriter(dis, mode, style, True, False)
        assert writer.layouts is not None
        writer.layouts.compile_after = 1  # compile on the second sighting
        fast = "".join(t for t in map(writer.frame, dis._leaving(recs, None)) if t)
        if path.name == "monitor.pcap":
            assert writer.layouts.table, "no layout was compiled"
        assert fast.split("\n") == node_path(recs, mode, style, hex_dump=False).split("\n")


def test_compiled_renderers_show_their_source() -> None:
    """The dissector's compiled renderers run through nlwire.wire.compiler.run_source, as the
    wire's walks and the result recipes do: their lines are in linecache, so a traceback or
    inspect shows the generated code (before, they were exec'd as "<nlwire layout>", no source)."""
    import inspect
    import linecache

    from dissect.netlink.fastframe import FrameWriter

    records = list(read_records(str(next(p for p in CAPTURES if p.name == "monitor.pcap"))))[:60]
    dis = Dissector()
    writer = FrameWriter(dis, "text", Style(False), True, False)
    assert writer.layouts is not None
    writer.layouts.compile_after = 1
    for pre in dis._leaving(records + records, None):
        writer.frame(pre)
    fns = [fn for entry in writer.layouts.table.values() for fn in entry if callable(fn)]
    assert fns, "no renderer was compiled"
    for fn in fns:
        name = fn.__code__.co_filename
        assert name.startswith("<nlwire.dissect.layouts render #"), name
        assert linecache.getlines(name), name
        assert inspect.getsource(fn).startswith("def render(")


def test_compiled_acks_check_what_chooses_their_text() -> None:
    """A compiled NLMSG_ERROR / DONE renderer returns None for a message whose type, flags,
    error code or echoed type/flags differ from its layout's (they choose the shows), and
    writes other seq/pid/echoed seq values from the message's own bytes."""
    from dissect.netlink.fastframe import FrameWriter

    records = [
        r for p in ALL_CAPTURES if p.name in ("monitor.pcap", "errors-missattr.pcap") for r in read_records(str(p))
    ]
    dis = Dissector()
    writer = FrameWriter(dis, "json", Style(False), True, False)
    assert writer.layouts is not None
    writer.layouts.compile_after = 1
    pres = list(dis._leaving(records + records + records, None))
    for pre in pres:
        writer.frame(pre)
    table = writer.layouts.table
    checked = 0
    for pre in pres:
        data = pre.record.data
        for off, end, mtype, *_ in pre.messages():
            if mtype >= 16:
                continue
            fns = [fn for key, entry in table.items() if key[1] == mtype and key[4] == off for fn in entry[1:]]
            for fn in fns:
                seq, pid = struct.unpack_from("=II", data, off + 8)
                good = fn(data, off, seq, pid)
                if good is None:
                    continue
                checked += 1
                chosen = [4, 5, 6, 7, 16, 17, 18, 19, 24, 25, 26, 27] if end - off >= 36 else [4, 5, 6, 7]
                for i in chosen:
                    if off + i >= end:
                        continue
                    bad = bytearray(data)
                    bad[off + i] ^= 0x40
                    assert fn(bytes(bad), off, seq, pid) is None, (off, i)
                if end - off >= 36:  # the echoed seq is a value, not a check
                    other = bytearray(data)
                    other[off + 28] ^= 0x01
                    text = fn(bytes(other), off, seq, pid)
                    assert text is not None and text != good
    assert checked > 0


def test_plain_string_json_equals_the_kinds_show() -> None:
    """The compiled renderers' plain-ASCII shortcut for string attributes writes what the
    kinds' own decode + show + JSON escaping write, for any bytes (quotes, backslashes,
    control and non-ASCII bytes, missing or early NULs)."""
    from dissect.netlink.layouts import _raw_str_json, _repr_json, _str_json
    from nlwire.wire.scalars import RawString, String

    rng = random.Random("strings")
    alphabet = b"aZ09 -_.:~'\"\\\t\x7f\x00\xc3\xa9\xff"
    cases = [b"eth0\0", b"eth0", b"", b"\0", b'a"b\0', b"a'b\0", b"a\\b\0"]
    cases += [bytes(rng.choice(alphabet) for _ in range(rng.randrange(12))) for _ in range(3000)]
    for raw in cases:
        buf = b"xx" + raw + b"yy"
        for kind, fast in ((String(), _str_json), (RawString(), _raw_str_json)):
            assert fast(kind, buf, 2, 2 + len(raw)) == _repr_json(kind, buf, 2, 2 + len(raw)), raw


@pytest.mark.parametrize("mode", ["text", "json"])
def test_compiled_renderers_read_by_header_kinds_per_message(mode: str) -> None:
    """IFLA_AF_SPEC is read by ``ifinfomsg.family``: the same attribute bytes under
    AF_BRIDGE and AF_UNSPEC, each repeated until its layout compiles, render as the walk
    renders each (a renderer compiled for one family must not serve the other)."""
    from nlwire.pcapwriter import cooked_header

    inner = struct.pack("=HHH2x", 6, 1, 0x0101)  # IFLA_BRIDGE_MODE under AF_BRIDGE; raw type 1 otherwise
    af_spec = struct.pack("=HH", 4 + len(inner), 26 | 0x8000) + inner  # IFLA_AF_SPEC, NLA_F_NESTED
    name = struct.pack("=HH", 8, 3) + b"br0\0"  # IFLA_IFNAME

    def newlink(family: int) -> Record:
        body = struct.pack("=BxHiII", family, 1, 5, 0x1043, 0) + name + af_spec
        msg = struct.pack("=IHHII", 16 + len(body), 16, 2, 1, 0) + body
        data = cooked_header(0, 4) + msg
        return Record(253, 0.0, data, len(data))

    records = [newlink(7)] * 20 + [newlink(0)] * 20 + [newlink(7), newlink(0)] * 10
    fast = fast_path(records, mode, Style(False))
    assert fast == node_path(records, mode, Style(False))
    assert fast.count("IFLA_BRIDGE_MODE") == 30  # the AF_BRIDGE messages, and only they


def test_summary_strict_check_of_a_repeated_small_body_decodes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary's strict check (summary._strict) of attribute areas too small for a
    compiled layout (dump requests' filters) decodes each distinct body at most once,
    however often it repeats (since summary._check walks them: never); the verdict stays
    exact: a small area made malformed (nla_len 2) is marked ``[malformed]`` on every
    copy, as the node path marks it."""
    import sys

    from dissect.netlink import summary
    from nlwire.wire.attrs import Attrs

    records = list(read_records(str(CAPTURES[0].parent / "monitor.pcap")))
    small = []  # (record, offset of an nla_len) of route messages with a 4..15-byte attribute area
    for rec in records:
        msg = 16
        while msg + 16 <= len(rec.data):
            ln, mtype = struct.unpack_from("=IH", rec.data, msg)
            if ln < 16 or msg + ln > len(rec.data):
                break
            if mtype == 18 and ln == 16 + 16 + 8:  # RTM_GETLINK, ifinfomsg, one 8-byte attribute
                small.append((rec, msg + 32))
            msg += (ln + 3) & ~3
    assert small, "monitor.pcap has no link dump request with one attribute"
    rec, nla = small[0]
    bad = bytearray(rec.data)
    struct.pack_into("=H", bad, nla, 2)
    broken = Record(rec.linktype, rec.time, bytes(bad), rec.wirelen)

    calls = 0
    real = Attrs.from_bytes.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Attrs], *a: Any, **kw: Any) -> Attrs:
        nonlocal calls
        if sys._getframe(1).f_code.co_name in ("_strict", "_decodes") and a[3] - a[2] < 16:  # (set, buf, start, end)
            calls += 1
        return real(cls, *a, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Attrs, "from_bytes", classmethod(counting))
    summary._STRICT_SMALL.clear()
    once = fast_path(records, "summary", Style(False))
    first = calls
    assert first == 0  # (the eager decode's memo, summary._STRICT_SMALL, no longer needed for them)
    summary._STRICT_SMALL.clear()
    calls = 0
    assert fast_path(records * 3, "summary", Style(False)) == node_path(records * 3, "summary", Style(False))
    assert calls == first and once
    recs = [broken, rec, broken, broken]
    out = fast_path(recs, "summary", Style(False))
    assert out == node_path(recs, "summary", Style(False))
    assert [" [malformed]" in x for x in out.splitlines() if "RTM_GETLINK" in x] == [True, False, True, True]


def _eager_decodes(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts strict (eager) decodes of attribute areas by attribute set name."""
    from nlwire.wire.attrs import Attrs

    counts: dict[str, int] = {}
    real = Attrs.from_bytes.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Attrs], attr_set: Any, *args: Any, **kw: Any) -> Attrs:
        if kw.get("eager"):
            counts[attr_set.name] = counts.get(attr_set.name, 0) + 1
        result: Attrs = real(cls, attr_set, *args, **kw)
        return result

    monkeypatch.setattr(Attrs, "from_bytes", classmethod(counted))
    return counts


def _nla(atype: int, payload: bytes) -> bytes:
    return struct.pack("=HH", 4 + len(payload), atype) + payload + b"\0" * (-len(payload) % 4)


def _record(family: int, mtype: int, flags: int, body: bytes) -> Record:
    from nlwire.pcapwriter import cooked_header

    data = cooked_header(family, 4) + struct.pack("=IHHII", 16 + len(body), mtype, flags, 1, 0) + body
    return Record(253, 0.0, data, len(data))


@pytest.mark.parametrize("mode", ["text", "json"])
def test_a_kind_chosen_by_a_sibling_decodes_its_own_area_only(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """IFLA_INFO_DATA is chosen by its sibling IFLA_INFO_KIND: the one-pass walk decodes
    the IFLA_LINKINFO area strictly to write it, not the whole message again (before, the
    walk gave up on the message, which was then decoded whole and walked a second time)."""
    info = _nla(1, b"vlan\0") + _nla(2 | 0x8000, _nla(1, struct.pack("=H", 7)))  # INFO_KIND, INFO_DATA{VLAN_ID 7}
    body = struct.pack("=BxHiII", 0, 1, 5, 0x1043, 0) + _nla(3, b"v7\0") + _nla(4, struct.pack("=I", 1500))
    body += _nla(18 | 0x8000, info)  # IFLA_LINKINFO
    records = [_record(0, 16, 0, body)] * 3  # RTM_NEWLINK
    counts = _eager_decodes(monkeypatch)
    fast = fast_path(records, mode, Style(False))
    assert counts == {"IFLA_INFO": 3}
    assert "IFLA_VLAN_ID" in fast
    assert fast == node_path(records, mode, Style(False))


@pytest.mark.parametrize("mode", ["text", "json"])
def test_generic_netlink_messages_are_walked_in_one_pass(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generic netlink message whose attributes need no sibling is written by the one-pass
    walk, with no strict decode (before, every genl message was decoded whole first)."""
    body = struct.pack("=BBH", 3, 1, 0) + _nla(2, b"ethtool\0")  # CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME
    records = [_record(16, 16, 0x5, body)] * 3  # GENL_ID_CTRL, NLM_F_REQUEST|NLM_F_ACK
    counts = _eager_decodes(monkeypatch)
    fast = fast_path(records, mode, Style(False))
    assert counts == {}
    assert "CTRL_ATTR_FAMILY_NAME" in fast
    assert fast == node_path(records, mode, Style(False))


def test_json_layouts_serve_a_message_at_any_offset() -> None:
    """JSON node offsets count from the frame's first byte. A layout met at several offsets
    (the same message at three places of a datagram) is compiled once, its offsets counted
    from the message's own (before: one compiled function per offset); a layout met at one
    offset only keeps its offsets written in. Both write what the node path writes."""
    from dissect.netlink.fastframe import FrameWriter

    body = struct.pack("=BBBBI", 2, 24, 0x80, 0, 3) + _nla(1, bytes([10, 0, 0, 1])) + _nla(3, b"eth0\0")
    msg = struct.pack("=IHHII", 16 + len(body), 20, 2, 1, 0) + body  # RTM_NEWADDR, NLM_F_MULTI
    from nlwire.pcapwriter import cooked_header

    three = cooked_header(0, 4) + msg * 3
    one = cooked_header(0, 4) + msg
    records = [Record(253, 0.0, three, len(three))] * 4 + [Record(253, 0.0, one, len(one))] * 4
    dis = Dissector()
    writer = FrameWriter(dis, "json", Style(False), True, False)
    assert writer.layouts is not None
    writer.layouts.compile_after = 1
    fast = "".join(t for t in map(writer.frame, dis._leaving(records, None)) if t)
    assert writer.layouts._funcs == 1
    assert fast.split("\n") == node_path(records, "json", Style(False), hex_dump=False).split("\n")
