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
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from dissect.netlink.emit import Emitter, info_ranks
from dissect.netlink.frames import CHUNK, Pre, Source, message_node
from dissect.netlink.render import (
    _INFO_NAMES,
    PREFIXES,
    Frame,
    header_words,
    hexdump,
    is_dump_request,
    name_column,
    prefix_info,
    request_header,
    summary_lines,
)
from dissect.netlink.tree import _error_text, error_layout, message_schema, schema_name
from nlwire.consts import NETLINK, NLA_TYPE_MASK, NLM_F, NLMSG
from nlwire.wire.attrs import AttrSet
from nlwire.wire.compiler import compiled
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.registry import MessageSchema, lookup, type_name
from nlwire.wire.walks import MIN_SIZE, fits_plain

__all__ = ["SummaryWriter"]

_U32 = struct.Struct("<I").unpack_from
_NLA = struct.Struct("=HH").unpack_from
_HDR5 = struct.Struct("=IHHII").unpack_from
_GENERIC = int(NETLINK.GENERIC)
_ERROR = int(NLMSG.ERROR)
_DONE = int(NLMSG.DONE)
_REQUEST = int(NLM_F.REQUEST)
_ACK_TLVS = int(NLM_F.ACK_TLVS)
_SHOWN = frozenset({"int", "text", "cstring", "varint", "flag", "hwaddr", "ip", "bytes"})
"""The :attr:`~nlwire.wire.attrs.Kind.render` forms whose values the info column shows
straight from the payload (a leaf kind's ``decode``, no owner needed); any other: the node path."""
_UNSEEN: Any = object()
_MAX_BODIES = 4096
_MAX_HELD = 4 << 20
"""Message bodies :class:`SummaryWriter` keeps the columns of: at most ``_MAX_BODIES`` of
them (of the genl family or of the others) and ``_MAX_HELD`` bytes of them all (4 MiB), so
that memory does not grow with a capture's distinct messages."""
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



def _info_attr(
    data: bytes, pos: int, end: int, rank_of: Callable[[int], int | None], best: int
) -> tuple[int, int, int]:
    """The attribute the info column shows among those in ``data[pos:end]``: ``(type,
    payload start, payload end)`` of the best-ranked one (``rank_of``: a type's rank, None
    for a type never shown; the walk stops at a type of rank ``best`` or at bad framing),
    ``(-1, 0, 0)`` when there is none."""
    found = -1
    rank = 1 << 30
    s = e = 0
    last = end - 4
    mask = NLA_TYPE_MASK
    while pos <= last:
        alen, at = _NLA(data, pos)
        if alen < 4 or pos + alen > end:
            break
        at &= mask
        r = rank_of(at)
        if r is not None and r < rank:
            rank, found, s, e = r, at, pos + 4, pos + alen
            if r == best:
                break
        pos += (alen + 3) & ~3
    return found, s, e

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
        self._splans: dict[tuple[int, int, int | None, bool], _SPlan | None] = {}
        self._famcols: dict[int, tuple[str | None, str]] = {}
        self._mids: dict[int, dict[int, tuple[str | None, _InfoFn | None]]] = {}
        """Per family, by ``nlmsg_type << 16 | nlmsg_flags``: :meth:`_mid`'s answer."""
        self._bodies: dict[tuple[int, bytes], tuple[str, str] | None] = {}
        """:meth:`_columns` of the whole messages seen, by ``family << 32 | nlmsg_type <<
        16 | nlmsg_flags`` and body bytes (bounded, with :attr:`_genl_bodies`, by
        :data:`_MAX_HELD`: then forgotten and learned again)."""
        self._genl_bodies: dict[tuple[int, bytes], tuple[str, str] | None] = {}
        """:attr:`_bodies` of the generic family, for the ``generation`` of the dissector's
        :class:`~nlwire.wire.registry.GenlIds` they were named under."""
        self._generation = self.dis.genl.generation
        self._held = 0
        self._asking: dict[int, bool] = {}
        """Per ``family << 16 | nlmsg_type``: :meth:`_asks`' answer."""

    @property
    def t0(self) -> float:
        t = self.dis.first_time
        return t if t is not None else 0.0

    def frame(self, pre: Pre) -> str | None:
        """The summary lines of ``pre`` (None: the frame is filtered out)."""
        if self._picky and not self.dis.filter.wants_frame(pre.number, pre.link.family):
            return None
        lines: list[str] = []
        seen = self._summary_body(pre, 0, len(pre.offsets), lines)
        if self._selective and not seen:
            return None
        rec = pre.record
        if pre.problems or rec.wirelen > len(rec.data):
            lines += self._summary_tail(pre)
        if len(lines) == 1:
            text = lines[0] + "\n"
        elif not lines:
            text = ""
        else:
            lines.append("")
            text = "\n".join(lines)
        if self.hex_dump:
            text += hexdump(pre.record.data) + "\n"
        return text

    def chunks(self, pre: Pre) -> Iterator[str | bytes]:
        """:meth:`frame` of a frame of many messages, in pieces of at most ``CHUNK`` messages."""
        for lo in range(0, len(pre.offsets), CHUNK):
            lines: list[str] = []
            self._summary_body(pre, lo, lo + CHUNK, lines)
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

    def _summary_body(self, pre: Pre, lo: int, hi: int, lines: list[str]) -> bool:
        """The summary lines of ``pre``'s messages ``lo`` to ``hi`` (by position), added to
        ``lines``; whether any was output."""
        dis = self.dis
        number = pre.number
        fam = pre.link.family
        rec = pre.record
        data = rec.data
        size = len(data)
        selective = self._selective
        fc = self._famcols.get(fam)
        if fc is None:
            family = self._family(fam)
            fc = self._famcols[fam] = (family, f"{family or '?':<9} ")
        family, famcol = fc
        t0 = dis.first_time
        seen = False
        head = _HEAD % (number, rec.time - (t0 if t0 is not None else 0.0))
        if fam == _GENERIC:
            bodies = self._genl_bodies
            if self._generation != dis.genl.generation:  # genl names learned since
                bodies.clear()
                self._generation = dis.genl.generation
        else:
            bodies = self._bodies
        anns = pre.anns
        offsets = pre.offsets
        asking = self._asking
        for i in range(lo, min(hi, len(offsets))):
            off = offsets[i]
            ln, mtype, flags, seq, pid = _HDR5(data, off)
            end = off + ln
            if selective and self._skip(data, off, end if end <= size else size, mtype, fam):
                continue
            seen = True
            ann = anns[i]
            # the request a reply answers, where the reply's words may use it (reply_summary)
            request = None
            if "request_in" in ann:
                ask = asking.get(fam << 16 | mtype)
                if ask is None:
                    ask = self._asks(fam, mtype)
                if ask:
                    request = ann["_req"].data
            if end <= size:
                # the columns of a whole message are a function of its family, type, flags
                # and body (and, in genl, of the families learned; and of the request's body
                # where the words use it): worked out once per distinct body (dumps and
                # notifications repeat them), whatever its seq and pid
                bkey: tuple[Any, ...] = (fam << 32 | mtype << 16 | flags, data[off + 16 : end])
                if request is not None:
                    bkey = (*bkey, request[16:])
                got = bodies.get(bkey, _UNSEEN)
                if got is _UNSEEN:
                    got = self._columns(data, off, end, mtype, flags, fam, famcol, request)
                    self._held += ln + (len(request) if request is not None else 0)
                    if self._held > _MAX_HELD or len(bodies) >= _MAX_BODIES:
                        self._bodies.clear()
                        self._genl_bodies.clear()
                        self._held = ln
                    bodies[bkey] = got
            else:  # cut by the record's end: the node path reports it
                end = size
                got = None
            if got is None:
                node = message_node(data, off, end, mtype, fam, ann, dis.genl)
                frame = Frame(
                    {"frame": number, "time": rec.time, "family": family, "messages": [node], "problems": []},
                    {ann["request_in"]: ann["_req"].data} if "request_in" in ann and ann["_req"].data else None,
                )
                lines += summary_lines(frame, self.t0)
                continue
            mid, info = got
            d = "U→K " if ann["direction"] == "to-kernel" else "K→U "
            if "request_in" in ann or "duplicate_of" in ann:
                req_in = ann.get("request_in")
                dup = ann.get("duplicate_of")
                extra = f" [req {req_in}]" if req_in else ""
                if dup:
                    extra += f" [dup of {dup}]"
                lines.append(f"{head}{d}{mid}{seq} pid={pid}{extra}{' ' + info if info else ''}")
            elif info:
                lines.append(f"{head}{d}{mid}{seq} pid={pid} {info}")
            else:
                lines.append(f"{head}{d}{mid}{seq} pid={pid}")
        return seen

    def _asks(self, fam: int, mtype: int) -> bool:
        """Whether a reply of this type may word its summary with its request (a fixed header
        of the type's with a :attr:`~nlwire.wire.fixed.FixedStruct.reply_summary`); memoised
        in :attr:`_asking`."""
        ask = False
        if fam != _GENERIC and mtype >= 16:  # (genl: no fixed header asks today)
            base = lookup(fam, mtype)
            if base is not None:
                heads = [base.header, *(b.header for b in (base.bodies or {}).values())]
                ask = any(h is not None and h.reply_summary is not None for h in heads)
        self._asking[fam << 16 | mtype] = ask
        return ask

    def _columns(
        self,
        data: bytes,
        off: int,
        end: int,
        mtype: int,
        flags: int,
        fam: int,
        famcol: str,
        request: bytes | None = None,
    ) -> tuple[str, str] | None:
        """A whole message's family, type and flags columns with ``seq=`` (see
        :meth:`_mid_text`), and its info column; None: the node path writes its line.
        ``request``: the bytes of the request a reply answers, where its words may use it."""
        if fam != _GENERIC:  # (a genl message's columns are not fixed by its type)
            mids = self._mids.get(fam)
            if mids is None:
                mids = self._mids[fam] = {}
            key = mtype << 16 | flags
            got = mids.get(key)
            if got is None:
                got = self._mid(fam, mtype, flags, famcol)
                if len(mids) < 8192:
                    mids[key] = got
            mid, infofn = got
            if mid is not None:
                if infofn is None:  # NLMSG_ERROR / NLMSG_DONE
                    ctl = _control_info(data, off + 16, end, mtype, flags, fam, self.dis.genl, self._decode)
                    if ctl is not None:
                        return mid, ctl[1]
                else:
                    info = infofn(data, off + 16, end)
                    if info is not None:
                        return mid, info
        got2 = self._summary_fast(data, off, end, mtype, flags, fam, request)
        if got2 is None:
            return None
        name, info = got2
        return self._mid_text(fam, mtype, flags, famcol, name), info

    def _mid_text(self, fam: int, mtype: int, flags: int, famcol: str, name: str) -> str:
        """The line's family, type and flags columns and ``seq=``."""
        fword = self._fwords.get((fam, mtype, flags))
        if fword is None:
            fword = self._fwords[(fam, mtype, flags)] = self._hdr_shows(fam, mtype, flags)[1].split(" ", 1)[0]
        return f"{famcol}{name_column(name)} {fword:<16} seq="

    def _mid(self, fam: int, mtype: int, flags: int, famcol: str) -> tuple[str | None, _InfoFn | None]:
        """A route-family (not genl) message type's summary columns and its info function
        (None: an NLMSG_ERROR / NLMSG_DONE, see ``_control_info``); (None, None): not a fixed
        name, take :meth:`_summary_fast`."""
        if mtype < 16:
            if mtype not in (_ERROR, _DONE):
                return None, None
            return self._mid_text(fam, mtype, flags, famcol, "NLMSG_ERROR" if mtype == _ERROR else "NLMSG_DONE"), None
        schema = lookup(fam, mtype)
        if schema is not None and schema.bodies is not None:
            return None, None  # the body is chosen by its first byte: per message (_summary_fast)
        plan = self._summary_plan(schema)
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
            if kind is None or kind.render not in _SHOWN:
                shows[t] = None
                continue
            sp = em.spec(aset, t)
            shows[t] = (kind.decode, sp, f"{sp.name}=")
        info_show = em.info_show
        info_attr = _info_attr
        rget = ranks.get
        ptype, pfield = prefix if prefix is not None else (-1, "")
        # the fixed header's record made as FixedStruct.unpack makes it (its length is checked)
        hstruct = fixed.struct if fixed is not None else None
        new = tuple.__new__
        record: Any = fixed.record if fixed is not None else None
        fits = fits_plain
        decodes = _decodes

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
            elif not fits(aset, data, pos, end, header) and not decodes(aset, data, body, pos, end, header):
                return None
            found, s, e = info_attr(data, pos, end, rget, best)
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
        self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int, asked: bytes | None = None
    ) -> tuple[str, str] | None:
        """(name, info) of a message from its headers and the one info attribute (``asked``:
        the bytes of the request a reply answers, for its header's words); None: use the node path."""
        if _U32(data, off)[0] != end - off:
            return None
        genl = self.dis.genl
        body = off + 16
        if mtype < 16:
            return _control_info(data, body, end, mtype, flags, fam, genl, self._decode)
        if fam == _GENERIC:  # (named as the tree names it: by command and direction)
            schema = message_schema(data, off, end, fam, genl)
            plan = self._summary_plan(schema)
            if plan is None or schema is None:
                return None
            gname = self._name(schema, data, off, end)
        else:
            gname = None
            first = data[body] if end > body else None
            request = flags & _REQUEST == _REQUEST
            key = (fam, mtype, first, request)
            if key in self._splans:
                plan = self._splans[key]
            else:
                plan = self._splans[key] = self._summary_plan(lookup(fam, mtype, None, first, request))
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
        words = ""  # the header's own words (render.header_words: the socket a sock_diag reply names)
        if fixed is not None and fixed.summary is not None:
            try:
                record = header if header is not None else fixed.unpack(data, body)
                words = header_words(fixed, record, request_header(fam, asked))
            except Exception:
                return None
        body += hadv
        if aset is None or not ranks:
            return name, words
        found, s, e = _info_attr(data, min(body, end), end, ranks.get, best)
        if found < 0:
            if prefix is not None and not is_dump_request(self._hdr_shows(fam, mtype, flags)[1].split(" ", 1)[0]):
                return name, prefix_info(None, 0, getattr(header, prefix[1]))
            return name, words
        kind = aset.kinds.get(found)
        if kind is None or kind.render not in _SHOWN:
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

    Told by the compiled check of the attribute set (:func:`~nlwire.wire.walks.fits_plain`);
    where it says no -- the attributes would not decode, or, rarely, it cannot tell (a
    choice made by a choice, an area under :data:`~nlwire.wire.walks.MIN_SIZE`) -- by the
    eager decode itself (:func:`_decodes`)."""
    header = fixed.unpack(data, body) if fixed is not None else None
    start = min(body + hadv, end)
    if (
        start == end  # (no attributes: nothing to fail)
        or fits_plain(aset, data, start, end, header)
        or _decodes(aset, data, body, start, end, header)
    ):
        return header
    return False


def _decodes(aset: AttrSet, data: bytes, body: int, start: int, end: int, header: Any) -> bool:
    """Whether ``data[start:end]`` (of the body at ``body``) decodes eagerly as ``aset``
    without error: what the compiled check left undecided, told by the strict decode's
    per-set walk (:func:`~nlwire.wire.compiler.compiled`): what an eager
    :meth:`~nlwire.wire.attrs.Attrs.from_bytes` runs where no layout walk answers, the same
    verdicts. Called directly, it compiles no layout walk (one costs about a thousand
    walks) for bodies the compiled check will leave here again."""
    small = end - start < MIN_SIZE
    if small:  # the compiled check does not look at so few attributes: the verdict is memoised by bytes
        key = (aset, data[body:end])
        ok = _STRICT_SMALL.get(key)
        if ok is not None:
            return ok
    try:
        compiled(aset)(data, start, end, header, "attrs", 0)
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
too few for the compiled check (``walks.MIN_SIZE``): a dump request's filter and the like,
repeated verbatim; the eager decode is a function of these bytes."""


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
    schema = message_schema(data, off, end, fam, genl)
    return type_name(fam, mtype, genl) if schema is None else schema_name(schema, data, off, end)
