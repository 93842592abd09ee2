"""The summary's strict check (dissect.netlink.summary): whether a message's attributes
decode in full, told without building them, and exactly as the eager decode tells it."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest

from dissect.netlink import Dissector, Record, Style, read_records, summary
from nlwire.wire import layout, walks
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


def test_leaf_kinds_accept_a_payload_by_its_length_alone() -> None:
    """What the check's verdict memo (by type and nla_len) rests on: every leaf kind the
    schemas use (no attributes inside, no sibling or header choosing it) decodes all
    payloads of a length, or none (zeros, ones, random bytes, lengths 0..40)."""
    rng = random.Random(12)
    leaves = {
        id(k): k
        for aset in _attr_sets()
        for k in aset.kinds.values()
        if summary._verdict(k, b"\0" * 8, 0, 8) in (True, False)
    }
    assert len(leaves) > 50
    for kind in leaves.values():
        for n in range(41):
            payloads = [b"\0" * n, b"\xff" * n, *(rng.randbytes(n) for _ in range(6))]
            verdicts = set()
            for p in payloads:
                try:
                    kind.decode(p, 0, n, None)  # type: ignore[arg-type]
                    verdicts.add(True)
                except Exception:
                    verdicts.add(False)
            assert len(verdicts) == 1, (kind, n)


_Body = tuple[AttrSet, Any, bytes, int, int, Any]


def _bodies(records: list[Record]) -> list[_Body]:
    """(attribute set, fixed header, record bytes, attributes' start and end, header record)
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
                    out.append((schema.attrs, fixed, data, min(start, off + ln), off + ln, header))
            off += (ln + 3) & ~3
    return out


def _retyped(bodies: list[_Body]) -> list[_Body]:
    """Copies of ``bodies`` with one nlattr header changed, at any depth: its type (so
    its payload meets another kind) or its length (the framing breaks or shifts)."""
    rng = random.Random("retyped")
    out = []
    for aset, fixed, data, start, end, header in bodies:
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
            out.append((aset, fixed, bytes(b), start, end, header))
    return out


def test_the_check_agrees_with_the_eager_decode() -> None:
    """On every message of every capture and on bit-flipped and cut copies, the check
    says 'decodes' exactly when Attrs.from_bytes(eager=True) raises nothing, or leaves
    the message to it (None) -- which it does for few of them."""
    records = [r for p in ALL_CAPTURES for r in read_records(str(p))]
    bodies = _bodies(records + mutations(records, "check") + mutations(records[::-1], "check2"))
    bodies += _retyped(bodies)
    told = undecided = bad = 0
    for aset, _fixed, data, start, end, header in bodies:
        verdict = summary._check(aset, data, start, end, 0, header)
        if verdict is None:
            undecided += 1
            continue
        try:
            Attrs.from_bytes(aset, data, start, end, header=header, eager=True)
            decodes = True
        except Exception:
            decodes = False
        assert verdict == decodes, (aset, data[start:end].hex())
        told += 1
        bad += not decodes
    assert told > 5000 and bad > 1000 and undecided < told // 10


def test_a_layout_seen_a_few_times_is_checked_without_compiling_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A route message whose attribute layout comes three times is checked by the walk:
    no layout is compiled for it (the eager decode the check used to fall back on compiled
    one on its second sighting, ~1 ms of CPU, for a layout that may never come again);
    the lines are the node path's."""
    records = [r for r in read_records(str(MONITOR)) if struct.unpack_from("=H", r.data, 20)[0] == 24]  # RTM_NEWROUTE
    assert records
    rec = max(records, key=lambda r: len(r.data))
    assert len(rec.data) - 16 - 16 - 12 >= layout.MIN_SIZE  # an area a layout would be compiled for
    monkeypatch.setattr(summary, "_MISSES", {})
    aset = lookup(0, 24).attrs  # type: ignore[union-attr]
    walks.forget_layouts()
    for f in (walks.fast(aset), walks.fast(aset, CHECK)):
        monkeypatch.setattr(f, "misses", {})
    recs = [Record(rec.linktype, float(i), rec.data, rec.wirelen) for i in range(3)]
    out = "".join(Dissector().render(recs, "summary"))
    assert walks.fast(aset).compiled == walks.fast(aset, CHECK).compiled == 0  # (layout walks compiled)
    assert out == node_path(recs, "summary", Style(False), hex_dump=False)


def test_a_summary_learns_each_verdict_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted work: the check asks a kind for its verdict on an attribute type and length
    once (then reads it from its table); repeating the capture adds no verdict, and each
    further pass asks only the kinds a header field or sibling chooses, of the messages
    that do not fit a compiled layout."""
    records = list(read_records(str(MONITOR)))
    calls: list[int] = []
    real = summary._verdict

    def counting(*a: Any) -> Any:
        calls.append(1)
        return real(*a)

    monkeypatch.setattr(summary, "_verdict", counting)
    monkeypatch.setattr(summary, "_VERDICTS", {})
    monkeypatch.setattr(summary, "_MISSES", {})
    dis = Dissector()
    passes = []
    for _ in range(3):
        calls.clear()
        for _text in dis.render(records, "summary"):
            pass
        passes.append((len(calls), sum(map(len, summary._VERDICTS.values()))))
    assert passes[0][0] > passes[1][0] >= passes[2][0]
    assert passes[0][1] == passes[1][1] == passes[2][1] > 0
    assert fast_path(records * 3, "summary", Style(False)) == node_path(records * 3, "summary", Style(False))
