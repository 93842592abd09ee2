"""The dissector's one-line summary (``nlwire dissect --summary``), written from the
scanned records' bytes: the headers, and the one attribute the info column shows, of
messages whose attributes decode in full, strictly (the rest of a message is checked,
not shown); ACKs, DONE and errors without ext-ack TLVs directly. Everything else --
malformed, truncated or unknown bodies -- is built as nodes by
:mod:`dissect.netlink.tree` and written by :func:`~dissect.netlink.render.summary_lines`,
exactly as for :meth:`~dissect.netlink.dissector.Dissector.frames`, so it is marked
``[malformed]`` there.

Used through :class:`~dissect.netlink.fastframe.FrameWriter` in summary mode.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from dissect.netlink.emit import Emitter, info_ranks
from dissect.netlink.frames import MsgHead, Pre, Source, batches, message_node
from dissect.netlink.render import _INFO_NAMES, PREFIXES, hexdump, is_dump_request, prefix_info, summary_lines
from dissect.netlink.tree import _error_text, error_layout
from nlwire.consts import NETLINK, NLA_TYPE_MASK, NLM_F, NLMSG
from nlwire.wire.attrs import Attrs, AttrSet, Binary, Kind
from nlwire.wire.compound import ByHeader, BySibling, IndexedMap, Nested, NestedArray
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.layout import COMPILE_AFTER, MIN_SIZE, PER_SIZE, fits_plain
from nlwire.wire.nla import MAX_DEPTH
from nlwire.wire.registry import MessageSchema, lookup, type_name
from nlwire.wire.scalars import Flag, HwAddr, Int, IPAddr, RawString, String, VarUint

__all__ = ["SummaryWriter"]

_U32 = struct.Struct("<I").unpack_from
_NLA = struct.Struct("=HH").unpack_from
_HDR5 = struct.Struct("=IHHII").unpack_from
_GENERIC = int(NETLINK.GENERIC)
_ERROR = int(NLMSG.ERROR)
_DONE = int(NLMSG.DONE)
_ACK_TLVS = int(NLM_F.ACK_TLVS)
_SIMPLE = (Int, String, RawString, IPAddr, HwAddr, VarUint, Binary, Flag)
_HEAD = "%6d %10.6f "  # a summary line's frame and time columns (%-formatting: the fastest here)


class Writer(Protocol):
    """What :class:`SummaryWriter` reads of the
    :class:`~dissect.netlink.fastframe.FrameWriter` it writes for (its shared state)."""

    dis: Source
    em: Emitter
    hex_dump: bool
    _picky: bool
    _selective: bool

    def _skip(self, data: bytes, off: int, end: int, mtype: int, fam: int) -> bool: ...
    def _decode(self, data: bytes, off: int, end: int, mtype: int, fam: int) -> Any: ...
    def _name(self, schema: MessageSchema, data: bytes, off: int, end: int) -> str: ...
    def _hdr_shows(self, fam: int, mtype: int, flags: int) -> tuple[str, str]: ...
    def _family(self, fam: int) -> str | None: ...
    def _encoded(self, text: str) -> str | bytes: ...


class SummaryWriter:
    """The summary mode of a :class:`~dissect.netlink.fastframe.FrameWriter` (``w``): its
    dissector, emitter and filters, and the header names it memoises."""

    def __init__(self, w: Writer) -> None:
        self.dis = w.dis
        self.em = w.em
        self.hex_dump = w.hex_dump
        self._picky = w._picky
        self._selective = w._selective
        self._skip = w._skip
        self._decode = w._decode
        self._name = w._name
        self._hdr_shows = w._hdr_shows
        self._family = w._family
        self._encoded = w._encoded
        self._fwords: dict[tuple[int, int, int], str] = {}
        self._splans: dict[tuple[int, int], _SPlan | None] = {}
        self._famcols: dict[int, tuple[str | None, str]] = {}
        self._mids: dict[int, dict[int, tuple[str | None, _InfoFn | None]]] = {}
        """Per family, by ``nlmsg_type << 16 | nlmsg_flags``: :meth:`_mid`'s answer."""

    @property
    def t0(self) -> float:
        t = self.dis.first_time
        return t if t is not None else 0.0

    def frame(self, pre: Pre) -> str | None:
        """The summary lines of ``pre`` (None: the frame is filtered out)."""
        if self._picky and not self.dis.filter.wants_frame(pre.number, pre.link.family):
            return None
        lines: list[str] = []
        seen = self._summary_body(pre, zip(pre.messages(), pre.anns, strict=True), lines)
        if self._selective and not seen:
            return None
        rec = pre.record
        if pre.problems or rec.wirelen > len(rec.data):
            lines += self._summary_tail(pre)
        if not lines:
            text = ""
        else:
            lines.append("")
            text = "\n".join(lines)
        if self.hex_dump:
            text += hexdump(pre.record.data) + "\n"
        return text

    def chunks(self, pre: Pre) -> Iterator[str | bytes]:
        """:meth:`frame` of a frame of many messages, in pieces of at most ``CHUNK`` messages."""
        for batch in batches(pre):
            lines: list[str] = []
            self._summary_body(pre, batch, lines)
            if lines:
                text = "".join(x + "\n" for x in lines)
                yield self._encoded(text)
        text = "".join(x + "\n" for x in self._summary_tail(pre))
        if self.hex_dump:
            text += hexdump(pre.record.data) + "\n"
        yield self._encoded(text)

    def _summary_tail(self, pre: Pre) -> list[str]:
        """A frame's problem lines."""
        rec = pre.record
        if not pre.problems and rec.wirelen <= len(rec.data):
            return []
        t0 = self.dis.first_time
        dt = rec.time - (t0 if t0 is not None else 0.0)
        return [f"{pre.number:>6} {dt:10.6f} [{p['severity']}] {p['text']}" for p in pre.problems_shown()]

    def _summary_body(self, pre: Pre, items: Iterable[tuple[MsgHead, dict[str, Any]]], lines: list[str]) -> bool:
        """The summary lines of ``items`` (messages of ``pre`` and their annotations), added
        to ``lines``; whether any was output."""
        dis = self.dis
        number = pre.number
        fam = pre.link.family
        rec = pre.record
        data = rec.data
        selective = self._selective
        fc = self._famcols.get(fam)
        if fc is None:
            family = self._family(fam)
            fc = self._famcols[fam] = (family, f"{family or '?':<9} ")
        family, famcol = fc
        t0 = dis.first_time
        dt = rec.time - (t0 if t0 is not None else 0.0)
        seen = False
        head = _HEAD % (number, dt)
        mids = self._mids.get(fam)
        if mids is None:
            mids = self._mids[fam] = {}
        for (off, end, mtype, flags, seq, pid), ann in items:
            if selective and self._skip(data, off, end, mtype, fam):
                continue
            seen = True
            info: str | None = None
            mid = None
            if fam != _GENERIC and _U32(data, off)[0] == end - off:
                key = mtype << 16 | flags
                got = mids.get(key)
                if got is None:
                    got = self._mid(fam, mtype, flags, famcol)
                    if len(mids) < 8192:
                        mids[key] = got
                mid, infofn = got
                if mid is not None:
                    if infofn is None:  # NLMSG_ERROR / NLMSG_DONE
                        ctl = _control_info(data, off + 16, end, mtype, flags, fam, dis.genl, self._decode)
                        info = None if ctl is None else ctl[1]
                    else:
                        info = infofn(data, off + 16, end)
            if info is None:
                got2 = self._summary_fast(data, off, end, mtype, flags, fam)
                if got2 is None:
                    node = message_node(data, off, end, mtype, fam, ann, dis.genl)
                    frame = {"frame": number, "time": rec.time, "family": family, "messages": [node], "problems": []}
                    lines += summary_lines(frame, self.t0)
                    continue
                name, info = got2
                mid = self._mid_text(fam, mtype, flags, famcol, name)
            req_in = ann.get("request_in")
            dup = ann.get("duplicate_of")
            d = "U→K " if ann["direction"] == "to-kernel" else "K→U "
            if req_in or dup:
                extra = f" [req {req_in}]" if req_in else ""
                if dup:
                    extra += f" [dup of {dup}]"
                lines.append(f"{head}{d}{mid}{seq} pid={pid}{extra}{' ' + info if info else ''}")
            elif info:
                lines.append(f"{head}{d}{mid}{seq} pid={pid} {info}")
            else:
                lines.append(f"{head}{d}{mid}{seq} pid={pid}")
        return seen

    def _mid_text(self, fam: int, mtype: int, flags: int, famcol: str, name: str) -> str:
        """The line's family, type and flags columns and ``seq=``."""
        fword = self._fwords.get((fam, mtype, flags))
        if fword is None:
            fword = self._fwords[(fam, mtype, flags)] = self._hdr_shows(fam, mtype, flags)[1].split(" ", 1)[0]
        return f"{famcol}{name:<20} {fword:<16} seq="

    def _mid(self, fam: int, mtype: int, flags: int, famcol: str) -> tuple[str | None, _InfoFn | None]:
        """A route-family (not genl) message type's summary columns and its info function
        (None: an NLMSG_ERROR / NLMSG_DONE, see ``_control_info``); (None, None): not a fixed
        name, take :meth:`_summary_fast`."""
        if mtype < 16:
            if mtype not in (_ERROR, _DONE):
                return None, None
            return self._mid_text(fam, mtype, flags, famcol, "NLMSG_ERROR" if mtype == _ERROR else "NLMSG_DONE"), None
        plan = self._summary_plan(lookup(fam, mtype))
        if plan is None or plan[0] is None:
            return None, None
        mid = self._mid_text(fam, mtype, flags, famcol, plan[0])
        return mid, self._info_fn(plan, is_dump_request(self._fwords[(fam, mtype, flags)]))

    def _info_fn(self, plan: _SPlan, dump: bool) -> _InfoFn:
        """The info column of a message's body (from after the nlmsghdr), None: take
        :meth:`_summary_fast`; specialised to the message type's plan and whether the
        message is a dump request (no ``default`` for its filter's empty prefix)."""
        _name, hsize, hadv, aset, ranks, best, fixed, prefix = plan
        strict = _strict
        if aset is None or not ranks:

            def empty(data: bytes, body: int, end: int) -> str | None:
                if end - body < hsize:
                    return None
                if aset is not None and not strict(aset, fixed, data, body, hadv, end):
                    return None
                return ""

            return empty
        shows: dict[int, Any] = {}
        em = self.em
        kinds = aset.kinds
        for t in ranks:
            kind = kinds.get(t)
            if kind is None or type(kind) not in _SIMPLE:
                shows[t] = None
                continue
            sp = em.spec(aset, t)
            shows[t] = (kind.decode, sp, f"{sp.name}=")
        info_show = em.info_show
        nla = _NLA
        rget = ranks.get
        ptype, pfield = prefix if prefix is not None else (-1, "")
        # the fixed header's record made as FixedStruct.unpack makes it (its length is checked)
        hstruct = fixed.struct if fixed is not None else None
        new = tuple.__new__
        record: Any = fixed.record if fixed is not None else None
        fits = fits_plain
        unfit_ok = _unfit_ok

        def info(data: bytes, body: int, end: int) -> str | None:
            if end - body < hsize:
                return None
            header: Any
            if hstruct is not None:
                header = new(record, hstruct.unpack_from(data, body))
            else:
                header = fixed.unpack(data, body) if fixed is not None else None
            pos = body + hadv
            if pos >= end:
                pos = end
            elif (end - pos < MIN_SIZE or not fits(aset, data, pos, end, header)) and not unfit_ok(
                aset, data, body, pos, end, header
            ):
                return None
            last = end - 4
            found = -1
            rank = 1 << 30
            s = e = 0
            mask = NLA_TYPE_MASK
            while pos <= last:
                alen, at = nla(data, pos)
                if alen < 4 or pos + alen > end:
                    break
                at &= mask
                r = rget(at)
                if r is not None and r < rank:
                    rank, found, s, e = r, at, pos + 4, pos + alen
                    if r == best:
                        break
                pos += (alen + 3) & ~3
            if found < 0:
                if ptype >= 0 and not dump:
                    return prefix_info(None, 0, getattr(header, pfield))
                return ""
            how = shows[found]
            if how is None:
                return None
            try:
                value = how[0](data, s, e, None)
            except Exception:
                return None
            show = info_show(how[1], value)
            if show is None:
                return None
            if found == ptype:
                show = prefix_info(show, e - s, getattr(header, pfield))
            label: str = how[2]
            return label + show

        return info

    @staticmethod
    def _summary_plan(schema: MessageSchema | None) -> _SPlan | None:
        """What the summary needs of a message type: name (None: add ``cmd N``), header
        size and aligned size, attribute set, info ranks and the best rank, the fixed
        header, and the prefix attribute's type and its length field (render.PREFIXES)."""
        if schema is None:
            return None
        name: str | None = schema.name
        if schema.family is not None and schema.family.commands is None:
            name = None
        fixed = schema.header
        hsize = fixed.size if fixed is not None else 0
        aset = schema.attrs
        ranks = info_ranks(aset, _INFO_NAMES) if aset is not None else {}
        prefix = None
        if aset is not None and fixed is not None:
            for member in aset.enum:
                pre = PREFIXES.get(aset.name_of(int(member), "kernel"))
                if pre is not None and pre[0] == fixed.name and int(member) in ranks:
                    prefix = (int(member), pre[1])
                    break
        best = min(ranks.values()) if ranks else 0
        return name, hsize, (hsize + 3) & ~3, aset, ranks, best, fixed, prefix

    def _summary_fast(
        self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int
    ) -> tuple[str, str] | None:
        """(name, info) of a message from its headers and the one info attribute; None: use the node path."""
        if _U32(data, off)[0] != end - off:
            return None
        genl = self.dis.genl
        body = off + 16
        if mtype < 16:
            return _control_info(data, body, end, mtype, flags, fam, genl, self._decode)
        if fam == _GENERIC:
            schema = lookup(fam, mtype, genl, data[body] if end > body else None)
            plan = self._summary_plan(schema)
            if plan is None or schema is None:
                return None
            gname = self._name(schema, data, off, end)
        else:
            gname = None
            key = (fam, mtype)
            if key in self._splans:
                plan = self._splans[key]
            else:
                plan = self._splans[key] = self._summary_plan(lookup(fam, mtype))
        if plan is None:
            return None
        name, hsize, hadv, aset, ranks, best, fixed, prefix = plan
        if gname is not None:
            name = gname
        elif name is None:
            return None  # a per-command genl family outside the generic protocol: not expected
        if end - body < hsize:
            return None
        header = None if aset is None else _strict(aset, fixed, data, body, hadv, end)
        if header is False:
            return None
        body += hadv
        if aset is None or not ranks:
            return name, ""
        found = -1
        rank = 1 << 30
        s = e = 0
        pos = min(body, end)
        last = end - 4
        mask = NLA_TYPE_MASK
        while pos <= last:
            alen, at = _NLA(data, pos)
            if alen < 4 or pos + alen > end:
                break
            at &= mask
            r = ranks.get(at)
            if r is not None and r < rank:
                rank, found, s, e = r, at, pos + 4, pos + alen
                if r == best:
                    break
            pos += (alen + 3) & ~3
        if found < 0:
            if prefix is not None and not is_dump_request(self._hdr_shows(fam, mtype, flags)[1].split(" ", 1)[0]):
                return name, prefix_info(None, 0, getattr(header, prefix[1]))
            return name, ""
        kind = aset.kinds.get(found)
        if kind is None or type(kind) not in _SIMPLE:
            return None
        try:
            value = kind.decode(data, s, e, None)  # type: ignore[arg-type]
        except Exception:
            return None
        sp = self.em.spec(aset, found)
        show = self.em.info_show(sp, value)
        if show is None:
            return None
        if prefix is not None and found == prefix[0]:
            show = prefix_info(show, e - s, getattr(header, prefix[1]))
        return name, f"{sp.name}={show}"


_SPlan = tuple[
    str | None, int, int, "AttrSet | None", dict[int, int], int, "FixedStruct | None", "tuple[int, str] | None"
]
_InfoFn = Callable[[bytes, int, int], "str | None"]


def _strict(aset: AttrSet, fixed: FixedStruct | None, data: bytes, body: int, hadv: int, end: int) -> Any:
    """The fixed header (None without one) of a message body whose attributes decode in
    full, strictly; False when they do not: the node path then writes the line, marked
    malformed (a summary reads one attribute, but must know that the rest decodes).

    A body whose framing is a compiled layout's (:func:`~nlwire.wire.layout.fits_plain`:
    one unpack) decodes; any other is told by :func:`_unfit_ok`."""
    header = fixed.unpack(data, body) if fixed is not None else None
    start = min(body + hadv, end)
    if (
        start == end  # (no attributes: nothing to fail)
        or (end - start >= MIN_SIZE and fits_plain(aset, data, start, end, header))
        or _unfit_ok(aset, data, body, start, end, header)
    ):
        return header
    return False


def _unfit_ok(aset: AttrSet, data: bytes, body: int, start: int, end: int, header: Any) -> bool:
    """Whether the attributes ``data[start:end]`` (of the body at ``body``), which fit no
    compiled layout, decode in full: told by :func:`_check`'s walk (a few hundred ns an
    attribute, no compile), or where it meets a kind it leaves to the decoder, by an eager
    decode. When an attribute-area size has missed the compiled layouts more than
    ``_TEACH`` times, the next :data:`~nlwire.wire.layout.COMPILE_AFTER` are decoded
    eagerly, which compiles their layout (at most :data:`~nlwire.wire.layout.PER_SIZE`
    times a size): a layout that repeats is soon checked in one unpack, one seen a few
    times never pays a compile (about a thousand walks' worth)."""
    size = end - start
    ok: bool | None
    if size < MIN_SIZE:  # (too small for a compiled layout)
        ok = _check(aset, data, start, end, 0, header)
    else:
        key = (aset, size)
        miss = _MISSES.get(key)
        if miss is None:
            if len(_MISSES) >= 16384:
                _MISSES.clear()
            miss = _MISSES[key] = [0, 0]
        miss[0] += 1
        if miss[0] > _TEACH and miss[1] < PER_SIZE:
            ok = None
            if miss[0] >= _TEACH + COMPILE_AFTER:
                miss[0] = 0
                miss[1] += 1
        else:
            ok = _check(aset, data, start, end, 0, header)
    if ok is None:
        return _decodes(aset, data, body, start, end, header)
    return ok


_TEACH = 32
""":func:`_unfit_ok` lets the layouts learn an attribute-area size after this many misses."""
_MISSES: dict[tuple[AttrSet, int], list[int]] = {}
""":func:`_unfit_ok`'s [misses since the last lesson, lessons] per attribute set and size."""


def _decodes(aset: AttrSet, data: bytes, body: int, start: int, end: int, header: Any) -> bool:
    """Whether ``data[start:end]`` decodes eagerly as ``aset`` without error."""
    small = end - start < MIN_SIZE
    if small:  # no layout is compiled for so few attributes: the verdict is memoised by bytes
        key = (aset, data[body:end])
        ok = _STRICT_SMALL.get(key)
        if ok is not None:
            return ok
    try:
        Attrs.from_bytes(aset, data, start, end, header=header, eager=True)
        ok = True
    except Exception:
        ok = False
    if small:
        if len(_STRICT_SMALL) >= 4096:
            _STRICT_SMALL.clear()
        _STRICT_SMALL[key] = ok
    return ok


_STRICT_SMALL: dict[tuple[AttrSet, bytes], bool] = {}
""":func:`_decodes`' verdicts on bodies (fixed header and attributes) whose attributes are
too few for a compiled layout (``layout.MIN_SIZE``): a dump request's filter and the like,
repeated verbatim; the eager decode is a function of these bytes."""

_HARD: Any = object()
"""A :func:`_check` verdict: the kind is left to the decoder (a struct and attributes, a
length-prefixed list, a choice among those, or a kind outside :mod:`nlwire.wire`'s own)."""


def _check(aset: AttrSet, data: bytes, start: int, end: int, depth: int, header: Any) -> bool | None:
    """Whether ``data[start:end]`` decodes as ``aset`` (at nesting ``depth``, under the
    fixed header ``header``) without error, as :meth:`Attrs.from_bytes` with ``eager``
    decodes it (the same framing checks, the same kinds' ``decode``), without building
    anything; None when a kind present is left to the decoder (see :data:`_HARD`).

    The verdicts on an attribute are kept by type and ``nla_len`` (:data:`_VERDICTS`): a
    leaf kind's ``decode`` (one that holds no attributes and reads no sibling) accepts or
    refuses a payload by its length alone (tests/test_dissect_summary.py checks it of
    every leaf kind the schemas use), so each is called once per length."""
    if depth > MAX_DEPTH:
        return False
    verdicts = _VERDICTS.get(aset)
    if verdicts is None:
        verdicts = _VERDICTS[aset] = {}
    vget = verdicts.get
    nla = _NLA
    off = start
    last = end - 4
    while off <= last:
        ln, t = nla(data, off)
        nxt = off + ln
        if ln < 4 or nxt > end:
            return False
        key = (t & NLA_TYPE_MASK) << 16 | ln
        s = off + 4
        off += (ln + 3) & ~3
        v = vget(key)
        if v is True:
            continue
        if v is None:
            v = _verdict(aset.kinds.get(t & NLA_TYPE_MASK), data, s, nxt)
            if len(verdicts) >= 4096:
                verdicts.clear()
            verdicts[key] = v
            if v is True:
                continue
        if v is False:
            return False
        if v is _HARD:
            return None
        if type(v) is AttrSet:
            ok = _check(v, data, s, nxt, depth + 1, header)
        elif type(v) is _Entries:
            ok = _entries_ok(v.item, data, s, nxt, depth + 1, header)
        else:  # chosen by the header or a sibling
            try:
                kind = v.pick(_Owner(aset, data, start, end, header))
            except _Undecided:
                return None
            ok = _kind_ok(kind, data, s, nxt, depth, header)
        if not ok:
            return ok
    return off >= end


_VERDICTS: dict[AttrSet, dict[int, Any]] = {}
""":func:`_check`'s verdicts per attribute set, by ``type << 16 | nla_len``: True or False
for a leaf kind (or an unknown type, decoded as raw bytes), the attribute set of a plain
nest, the :class:`_Entries` of an array of entries (both checked in turn), a kind chosen
by the header or a sibling (its choice checked per message), or :data:`_HARD`."""


class _Entries:
    """A :func:`_check` verdict: a nest of entries of ``item`` (``NestedArray``, ``IndexedMap``)."""

    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        self.item = item


def _verdict(kind: Kind | None, data: bytes, start: int, end: int) -> Any:
    """:func:`_check`'s verdict on an attribute of ``kind`` with this payload."""
    if kind is None:
        return True
    tk = type(kind)
    if tk is Nested:
        return kind.attr_set  # type: ignore[attr-defined]
    if tk is NestedArray or tk is IndexedMap:
        return _Entries(kind.item)  # type: ignore[attr-defined]
    if tk is ByHeader or tk is BySibling:
        return kind
    if kind.sibling_dependent or kind.inner():
        return _HARD
    try:
        kind.decode(data, start, end, None)  # type: ignore[arg-type]  # (the owner only names an error's place)
    except Exception:
        return False
    return True


def _kind_ok(kind: Kind, data: bytes, start: int, end: int, depth: int, header: Any) -> bool | None:
    """Whether a payload of ``kind`` in an attribute list at nesting ``depth`` decodes (a
    kind chosen by a sibling or the header, an array's entry: no verdict kept)."""
    v = _verdict(kind, data, start, end)
    if v is True or v is False:
        return v
    if type(v) is AttrSet:
        return _check(v, data, start, end, depth + 1, header)
    if type(v) is _Entries:
        return _entries_ok(v.item, data, start, end, depth + 1, header)
    return None


def _entries_ok(item: Kind, data: bytes, start: int, end: int, depth: int, header: Any) -> bool | None:
    """Whether an array's entries in ``data[start:end]`` (their holder at nesting ``depth``)
    are framed and each decodes as ``item``, as ``NestedArray.decode`` reads them."""
    if depth > MAX_DEPTH:
        return False
    off = start
    last = end - 4
    while off <= last:
        ln, _t = _NLA(data, off)
        nxt = off + ln
        if ln < 4 or nxt > end:
            return False
        ok = _kind_ok(item, data, off + 4, nxt, depth, header)
        if not ok:
            return ok
        off += (ln + 3) & ~3
    return off >= end


class _Owner:
    """What a :class:`~nlwire.wire.compound.BySibling` (``get``) or
    :class:`~nlwire.wire.compound.ByHeader` (``header``) reads of the attributes it sits in
    to pick its kind, read from the bytes of that attribute list."""

    __slots__ = ("aset", "data", "end", "header", "start")

    def __init__(self, aset: AttrSet, data: bytes, start: int, end: int, header: Any) -> None:
        self.aset = aset
        self.data = data
        self.start = start
        self.end = end
        self.header = header

    def get(self, key: int, default: Any = None) -> Any:
        """The value of the first attribute of type ``key`` (as :meth:`Attrs.get`)."""
        data = self.data
        off = self.start
        last = self.end - 4
        while off <= last:
            ln, t = _NLA(data, off)
            if ln < 4 or off + ln > self.end:
                raise _Undecided
            if t & NLA_TYPE_MASK == key:
                kind = self.aset.kinds.get(key)
                if kind is None:
                    return data[off + 4 : off + ln]
                if _verdict(kind, data, off + 4, off + ln) is not True:
                    raise _Undecided  # (its own check fails, or is left to the decoder)
                return kind.decode(data, off + 4, off + ln, None)  # type: ignore[arg-type]
            off += (ln + 3) & ~3
        return default


class _Undecided(Exception):
    """:meth:`_Owner.get` cannot tell the sibling's value from its bytes alone."""


def _control_info(
    data: bytes, body: int, end: int, mtype: int, flags: int, fam: int, genl: Any, decode: Callable[..., Any]
) -> tuple[str, str] | None:
    """(name, info) of an NLMSG_ERROR ACK / error with a header-only echo or an echoed
    request that ``decode`` (:meth:`FrameWriter._decode`) decodes strictly, or NLMSG_DONE."""
    if mtype != _ERROR and mtype != _DONE:
        return None
    code, echo, ehdr, eln, tlv = error_layout(data, body, end, mtype, flags)
    if tlv < end and flags & _ACK_TLVS:
        return None
    if mtype == _DONE:
        if code is None:
            return ("NLMSG_DONE", "") if end == body else None
        return "NLMSG_DONE", _error_text(code) if code else "end of dump"
    if code is None or echo == "truncated" or echo == "overflow":
        return None  # (the node path reports the problem)
    what = _error_text(code) if code else "ACK"
    if echo == "full":
        etype = _HDR5(data, ehdr)[1]
        if decode(data, ehdr, ehdr + eln, etype, fam) is None:
            return None  # (malformed or not decoded strictly: the node path decides)
        # a full echoed request: only its name is needed (as tree.build_message names it)
        return "NLMSG_ERROR", f"{what} for {_message_name(data, ehdr, ehdr + eln, etype, fam, genl)}"
    if echo == "header":
        return "NLMSG_ERROR", f"{what} {_for_name(fam, _HDR5(data, ehdr)[1], genl)}"
    return "NLMSG_ERROR", what


_FOR_NAME: dict[tuple[int, int], str] = {}


def _for_name(fam: int, etype: int, genl: Any) -> str:
    """``for`` + the type name of an echoed header (memoised outside genl, whose names are learned)."""
    if fam == _GENERIC:
        return f"for {type_name(fam, etype, genl)}"
    key = (fam, etype)
    text = _FOR_NAME.get(key)
    if text is None:
        text = f"for {type_name(fam, etype, genl)}"
        if len(_FOR_NAME) < 4096:
            _FOR_NAME[key] = text
    return text


def _message_name(data: bytes, off: int, end: int, mtype: int, fam: int, genl: Any) -> str:
    """The node name :func:`~dissect.netlink.tree.build_message` gives the message at ``off``."""
    if mtype == _ERROR:
        return "NLMSG_ERROR"
    if mtype == _DONE:
        return "NLMSG_DONE"
    if mtype < 16:
        return type_name(fam, mtype, genl)
    cmd = data[off + 16] if fam == _GENERIC and end > off + 16 else None
    schema = lookup(fam, mtype, genl, cmd)
    if schema is None:
        return type_name(fam, mtype, genl)
    if schema.family is not None and schema.family.commands is None and end > off + 16:
        return f"{schema.name} cmd {data[off + 16]}"
    return schema.name
