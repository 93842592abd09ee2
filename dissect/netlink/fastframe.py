"""Whole frames written as output text (tree, summary, JSON line) from the
dissector's scanned records, without building node dicts for messages that
decode strictly (see :mod:`dissect.netlink.emit`): route-family messages are
decoded and written in one pass over their bytes; genl messages and attribute
lists with sibling-dependent kinds are decoded into :class:`Attrs` first; ACKs,
DONE and errors without ext-ack TLVs are written directly. Everything else --
ext-ack errors (OFFS is resolved on the tree), malformed, truncated or unknown
bodies, ``--errors-only`` -- is built as nodes by :mod:`dissect.netlink.tree`
and rendered by :mod:`dissect.netlink.render`, exactly as
:meth:`Dissector.frames` does. Summaries read only the headers and the one
attribute the info column shows.

Used through :meth:`dissect.netlink.dissector.Dissector.render`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring as _jstr
from typing import Any

from dissect.netlink.emit import Emitter
from dissect.netlink.frames import CHUNK, MsgHead, Pre, Source, batches, message_node
from dissect.netlink.nodes import (
    ECHO_HOW,
    Unwalkable,
    echo_head,
    error_json,
    hdr_json,
    hdr_labels,
    jdump,
    message_head,
)
from dissect.netlink.render import (
    Style,
    _node_lines,
    frame_title,
    hexdump,
    json_line,
    message_title,
    summary_lines,
    text_tree,
    title,
)
from dissect.netlink.summary import SummaryWriter, _for_name
from dissect.netlink.tree import _error_text, error_layout, family_name, hdr_shows, message_schema, schema_name
from nlwire.consts import NETLINK, NLM_F, NLMSG
from nlwire.wire.attrs import Attrs
from nlwire.wire.registry import MessageSchema, lookup, type_name

__all__ = ["FrameWriter"]

_Decoded = tuple[MessageSchema, Any, Attrs | None]
_Control = tuple[int | None, int | None, "_Decoded | None"]

_U32 = struct.Struct("<I").unpack_from
_HDR5 = struct.Struct("=IHHII").unpack_from
_GENERIC = int(NETLINK.GENERIC)
_ERROR = int(NLMSG.ERROR)
_DONE = int(NLMSG.DONE)
_REQUEST = int(NLM_F.REQUEST)
_CAPPED = int(NLM_F.CAPPED)
_DIRS_J = {"to-kernel": '"to-kernel"', "to-user": '"to-user"', "mixed": '"mixed"', "": '""'}
_NODE_END = '],"problems":[]'  # a compiled message node's end (its correlation keys follow)
_FRAME_END = '],"padding":null,"problems":[]}\n'


def _fixed_head(schema: MessageSchema, data: bytes, body: int, end: int) -> tuple[Any, int] | None:
    """(the fixed header record or None, where the attributes start); None when the
    message is too short for its fixed header (the node path reports that)."""
    fixed = schema.header
    if fixed is None:
        return None, body
    if end - body < fixed.size:
        return None
    return fixed.unpack(data, body), body + ((fixed.size + 3) & ~3)


class FrameWriter:
    """Formats scanned records (:class:`~dissect.netlink.frames.Pre`) of one dissector (``dis``) in one output mode."""

    def __init__(
        self,
        dis: Source,
        mode: str,
        style: Style,
        show_link: bool,
        hex_dump: bool,
        encoding: tuple[str, str] | None = None,
    ) -> None:
        if mode not in ("text", "json", "summary"):
            raise ValueError(f"unknown output mode {mode!r}: text, json or summary")
        self.dis = dis
        self.mode = mode
        self.style = style
        self.show_link = show_link
        self.hex_dump = hex_dump and mode != "json"
        self.em = Emitter(style)
        # (encoding, errors): ``frame`` returns bytes (see Dissector.render_bytes)
        self.encoding = encoding
        self._hdr: dict[tuple[int, int, int], tuple[str, str]] = {}
        self._schemas: dict[tuple[int, int, int, int], MessageSchema | None] = {}
        self._chosen: dict[tuple[int, int], bool] = {}
        self._hdr_j: dict[tuple[int, int, int], tuple[str, str]] = {}
        self._link_text: dict[tuple[int, ...], str] = {}
        self._link_by_obj: dict[Any, str] = {}
        self._link_json: dict[tuple[int, ...], str] = {}
        self._fam: dict[int, str | None] = {}
        flt = dis.filter
        self._picky = flt.frames is not None or flt.family is not None
        self._selective = flt.on_messages
        self.summary = SummaryWriter(self) if mode == "summary" else None
        plain: Callable[[Pre], str | None] = self._json if self.summary is None else self.summary.frame
        self.frame: Callable[[Pre], Any] = self._text if mode == "text" else plain
        if mode != "text" and encoding is not None:

            def frame(pre: Pre) -> Any:
                text = plain(pre)
                return text.encode(*encoding) if text else text

            self.frame = frame
        self._hdr_text = hdr_labels(style, 2)
        self._hdr_tpl = "\n".join(x.replace("%", "%%") + ("%s" if i else "") for i, x in enumerate(self._hdr_text))
        if mode != "summary":  # (a summary compiles no layout: it does not import them)
            from dissect.netlink.layouts import Layouts

        # JSON layouts cost more to compile (offsets baked in where a key keeps to one): a higher bar
        bar = 8 if mode == "text" else 32
        self.layouts = None if mode == "summary" else Layouts(self.em, mode, bar)
        self._ltable: dict[tuple[int, ...], list[Any]] = {} if self.layouts is None else self.layouts.table
        self._famj: dict[int, str] = {}
        self._echo_j: dict[tuple[int, int, int], str] = {}
        self._link_obj_json: dict[Any, str] = {}
        self._hdr_text3 = hdr_labels(style, 3)

    # ------------------------------------------------------------------ shared

    @property
    def t0(self) -> float:
        t = self.dis.first_time
        return t if t is not None else 0.0

    def chunks(self, pre: Pre) -> Iterable[str | bytes]:
        """:attr:`frame`'s text of ``pre``, in pieces: a frame of more than ``CHUNK``
        messages is written ``CHUNK`` messages at a time, so the output held at once does
        not grow with the number of messages in a record. A smaller frame's text is one
        piece, returned in a tuple (no generator per frame)."""
        if len(pre.offsets) <= CHUNK:
            text = self.frame(pre)
            return (text,) if text else ()
        return self._pieces(pre)

    def _pieces(self, pre: Pre) -> Iterator[str | bytes]:
        """:meth:`chunks` of a frame of more than ``CHUNK`` messages."""
        dis = self.dis
        if not dis.filter.wants_frame(pre.number, pre.link.family):
            return
        dirs = self._directions(pre)
        if self._selective and not dirs:
            return
        if self.mode == "text":
            yield from self._text_chunks(pre, dirs)
        elif self.mode == "json":
            yield from self._json_chunks(pre, dirs)
        else:
            yield from self.summary.chunks(pre)  # type: ignore[union-attr]

    def _encoded(self, text: str) -> str | bytes:
        """A piece of a chunked frame as the output takes it (bytes when writing encoded)."""
        enc = self.encoding
        return text.encode(*enc) if enc is not None else text

    def _directions(self, pre: Pre) -> set[str]:
        """The directions of ``pre``'s messages that are output (the title shows them first)."""
        if not self._selective:
            return {ann["direction"] for ann in pre.anns}
        data = pre.record.data
        fam = pre.link.family
        skip = self._skip
        return {
            ann["direction"]
            for (off, end, mtype, *_), ann in zip(pre.messages(), pre.anns, strict=True)
            if not skip(data, off, end, mtype, fam)
        }

    def from_frame(self, frame: dict[str, Any]) -> str:
        """A frame dict (the node path) as the same text."""
        if self.mode == "json":
            return json_line(frame) + "\n"
        if self.mode == "summary":
            lines = summary_lines(frame, self.t0)
            text = "".join(x + "\n" for x in lines)
        else:
            text = text_tree(frame, self.t0, self.style, show_link=self.show_link) + "\n"
        raw = frame.get("_raw")
        if self.hex_dump and isinstance(raw, bytes):
            text += hexdump(raw) + "\n"
        return text

    def _family(self, fam: int) -> str | None:
        name = self._fam.get(fam, "")
        if name == "":
            name = self._fam[fam] = family_name(fam) if fam >= 0 else None
        return name

    def _hdr_shows(self, fam: int, mtype: int, flags: int) -> tuple[str, str]:
        """(type show, flags show) of an nlmsghdr (:func:`~dissect.netlink.tree.hdr_shows`, memoised)."""
        key = (fam, mtype, flags)
        hit = self._hdr.get(key)
        if hit is not None:
            return hit
        hit = hdr_shows(fam, mtype, flags, self.dis.genl)
        if fam != _GENERIC and len(self._hdr) < 8192:  # genl type names change as families are learned
            self._hdr[key] = hit
        return hit

    def _schema(self, fam: int, mtype: int, data: bytes, body: int, end: int) -> MessageSchema | None:
        """:func:`~dissect.netlink.tree.message_schema`, memoised outside generic netlink."""
        if fam == _GENERIC:
            return message_schema(data, body - 16, end, fam, self.dis.genl)
        # what chooses the schema: the type, NLM_F_REQUEST and the first body byte (sock_diag's family)
        key = (fam, mtype, _U32(data, body - 12)[0] >> 16 & _REQUEST, data[body] if end > body else -1)
        schemas = self._schemas
        if key in schemas:
            return schemas[key]
        schema = schemas[key] = message_schema(data, body - 16, end, fam, None)
        return schema

    def _lkey(self, fam: int, mtype: int, flags: int, data: bytes, off: int, end: int) -> tuple[int, ...]:
        """The key of a message's compiled layout: family, type, flags and length, and where the
        first body byte chooses the schema (:attr:`MessageSchema.bodies`), that byte too."""
        chosen = self._chosen.get((fam, mtype))
        if chosen is None:
            base = lookup(fam, mtype) if fam != _GENERIC else None
            chosen = self._chosen[(fam, mtype)] = base is not None and base.bodies is not None
        if chosen:
            return (fam, mtype, flags, end - off, data[off + 16] if end > off + 16 else -1)
        return (fam, mtype, flags, end - off)

    def _head(self, data: bytes, off: int, end: int, mtype: int, fam: int) -> tuple[MessageSchema, Any, int] | None:
        """(schema, fixed header, where the attributes start) of a route-family message the
        one-pass walk may write; None: take :meth:`_decode`."""
        if _U32(data, off)[0] != end - off:
            return None
        body = off + 16
        schema = self._schema(fam, mtype, data, body, end)
        if schema is None or schema.attrs is None:
            return None
        head = _fixed_head(schema, data, body, end)
        if head is None:
            return None
        return schema, head[0], min(head[1], end)

    def _decode(self, data: bytes, off: int, end: int, mtype: int, fam: int) -> _Decoded | None:
        """(schema, header, attrs) of a message decoded strictly, as ``decode_message(strict=True)``
        would, when the fast path can write it; else None (the node path decides)."""
        if mtype < 16 or _U32(data, off)[0] != end - off:
            return None
        body = off + 16
        schema = self._schema(fam, mtype, data, body, end)
        if schema is None:
            return None
        head = _fixed_head(schema, data, body, end)
        if head is None:
            return None
        header, body = head
        aset = schema.attrs
        if aset is None:
            return None if body < end else (schema, header, None)
        try:
            attrs = Attrs.from_bytes(aset, data, min(body, end), end, header=header, path="msg.attrs", eager=True)
        except Exception:
            return None
        return schema, header, attrs

    @staticmethod
    def _name(schema: MessageSchema, data: bytes, off: int, end: int) -> str:
        return schema_name(schema, data, off, end)

    def _control(self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int) -> _Control | None:
        """NLMSG_ERROR and NLMSG_DONE without TLVs or trailing bytes, whose echoed request (if
        any) is a header or decodes strictly: (error code or None, echo nlmsghdr offset or
        None, the decoded echo or None); else None (the node path)."""
        if (mtype != _ERROR and mtype != _DONE) or _U32(data, off)[0] != end - off:
            return None
        code, echo, ehdr, eln, tlv = error_layout(data, off + 16, end, mtype, flags)
        if code is None:
            return (None, None, None) if mtype == _DONE and end == off + 16 else None
        if tlv < end:  # ext-ack TLVs or bytes after the error
            return None
        if echo == "full":
            dec = self._decode(data, ehdr, ehdr + eln, _HDR5(data, ehdr)[1], fam)
            return None if dec is None else (code, ehdr, dec)
        if echo == "header":
            return code, ehdr, None
        return (code, None, None) if mtype == _DONE else None  # (no echoed header, or a broken one)

    def _control_text(
        self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int, ctl: _Control, ann: dict[str, Any]
    ) -> list[str]:
        code, ehdr, dec = ctl
        p, q = self.style.name, self.style.reset
        name = "NLMSG_ERROR" if mtype == _ERROR else "NLMSG_DONE"
        lines = [f"    {self.style.bold}{_title(name, ann, _error_text(code) if code else None)}{self.style.reset}"]
        lines += self._hdr_lines(data, off, fam, 2)
        if code is not None:
            lines.append(f"        {p}error{q}: {_error_text(code)}")
        if ehdr is not None:
            etype, _eflags = _HDR5(data, ehdr)[1:3]
            if dec is None:
                ename = _for_name(fam, etype, self.dis.genl)[4:]  # (memoised outside genl)
                lines.append(f"        {p}msg{q}: {ename} ({ECHO_HOW[bool(flags & _CAPPED)]})")
                lines += self._hdr_lines(data, ehdr, fam, 3)
            else:
                eend = ehdr + _U32(data, ehdr)[0]
                lines.append(f"        {p}msg{q}: {self._name(dec[0], data, ehdr, eend)} ({ECHO_HOW[0]})")
                echoed = self._body_text(data, ehdr, fam, dec, 3)
                if not echoed:
                    raise Unwalkable
                lines += echoed
        return lines

    def _control_json(
        self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int, ctl: _Control, ann: dict[str, Any]
    ) -> str:
        code, ehdr, dec = ctl
        name = "NLMSG_ERROR" if mtype == _ERROR else "NLMSG_DONE"
        children = self._hdr_json(data, off, fam)
        if code is not None:
            children += "," + error_json(code, off + 16)
        if ehdr is not None:
            etype = _HDR5(data, ehdr)[1]
            if dec is None:
                capped = flags & _CAPPED
                mkey = (fam, etype, capped)
                ename = self._echo_j.get(mkey)
                if ename is None:
                    ename = type_name(fam, etype, self.dis.genl)
                    if fam != _GENERIC and len(self._echo_j) < 4096:  # genl names are learned
                        self._echo_j[mkey] = ename
                children += f',{echo_head(ename, capped, ehdr, 16)}{self._hdr_json(data, ehdr, fam)}],"problems":[]}}'
            else:
                eln = _U32(data, ehdr)[0]
                ename = self._name(dec[0], data, ehdr, ehdr + eln)
                body = self._echo_body_json(data, ehdr, eln, fam, dec)
                children += f',{echo_head(ename, 0, ehdr, eln)}{body}],"problems":[]}}'
        err = "" if code is None else f',"error":{code}'
        return f'{message_head(_jstr(name), mtype, off, end - off)}{children}],"problems":[]{err}{_ann_json(ann)}}}'


    def _echo_body_json(self, data: bytes, ehdr: int, eln: int, fam: int, dec: _Decoded) -> str:
        """The children of a decoded echoed request's node: from the layout compiled for a
        message like it at its offset (its node's children), or as :meth:`_body_json`
        (counted towards compiling that layout)."""
        if fam == _GENERIC:
            return self._body_json(data, ehdr, fam, dec)
        _ln, etype, eflags, eseq, epid = _HDR5(data, ehdr)
        key = self._lkey(fam, etype, eflags, data, ehdr, ehdr + eln)
        entry = self._ltable.get((*key, ehdr)) or self._ltable.get(key)
        if entry is not None:
            for fn in entry[1:]:
                txt: str | None = fn(data, ehdr, eseq, epid)
                if txt is not None:
                    node = message_head(_jstr(entry[0]), etype, ehdr, eln)
                    if txt.startswith(node) and txt.endswith(_NODE_END):
                        return txt[len(node) : -len(_NODE_END)]
                    break
        else:
            head = self._head(data, ehdr, ehdr + eln, etype, fam)
            if head is not None:
                schema, _header, start = head
                layouts = self.layouts
                assert layouts is not None
                name = self._name(schema, data, ehdr, ehdr + eln)
                shows = self._hdr_shows(fam, etype, eflags)
                layouts.seen(key, data, ehdr, ehdr + eln, name, shows, schema.header, start, schema.attrs)  # type: ignore[arg-type]
        return self._body_json(data, ehdr, fam, dec)

    def _struct_json(self, schema: MessageSchema, header: Any, off: int) -> str:
        """``,`` + the fixed header's node of the message at ``off``."""
        assert schema.header is not None
        return "," + self.em.struct_node_json(schema.header, header, off + 16)

    def _body_json(self, data: bytes, off: int, fam: int, dec: _Decoded) -> str:
        """The children of a decoded message's node: nlmsghdr, fixed header, attributes."""
        schema, header, attrs = dec
        children = self._hdr_json(data, off, fam)
        if header is not None:
            children += self._struct_json(schema, header, off)
        if attrs is not None and len(attrs):
            children += "," + self.em.attrs_json(attrs)
        return children

    def _hdr_lines(self, data: bytes, off: int, fam: int, depth: int) -> list[str]:
        ln, mtype, flags, seq, pid = _HDR5(data, off)
        tshow, fshow = self._hdr_shows(fam, mtype, flags)
        h = self._hdr_text if depth == 2 else self._hdr_text3
        return [h[0], f"{h[1]}{ln}", h[2] + tshow, h[3] + fshow, f"{h[4]}{seq}", f"{h[5]}{pid}"]

    def _hdr_json(self, data: bytes, off: int, fam: int) -> str:
        ln, mtype, flags, seq, pid = _HDR5(data, off)
        key = (fam, mtype, flags)
        hit = self._hdr_j.get(key)
        if hit is None:
            tshow, fshow = self._hdr_shows(fam, mtype, flags)
            hit = (_jstr(tshow), _jstr(fshow))
            if fam != _GENERIC and len(self._hdr_j) < 8192:
                self._hdr_j[key] = hit
        return hdr_json(off, ln, mtype, flags, seq, pid, *hit)

    def _skip(self, data: bytes, off: int, end: int, mtype: int, fam: int) -> bool:
        return not self.dis.filter.wants_message(data, off, end, mtype, fam, self.dis.genl)

    @staticmethod
    def _direction(dirs: set[str]) -> str:
        return dirs.pop() if len(dirs) == 1 else ("mixed" if dirs else "")

    def _link_lines(self, link: Any) -> str:
        """The text lines of a link-layer header without a problem (cached by its field values)."""
        key = link.key
        lines = self._link_text.get(key)
        if lines is None:
            out: list[str] = []
            _node_lines(link.node, 1, out.append, self.style)
            lines = "\n".join(out)
            if len(self._link_text) < 256:
                self._link_text[key] = lines
        return lines

    # ------------------------------------------------------------------ text

    def _text(self, pre: Pre) -> str | bytes | None:
        if not self.dis.filter.wants_frame(pre.number, pre.link.family):
            return None
        body: list[str] = []
        dirs: set[str] = set()
        self._text_body(pre, zip(pre.messages(), pre.anns, strict=True), body, dirs)
        if self._selective and not dirs:
            return None
        out = self._text_head(pre, dirs)
        out += body
        if pre.padding is not None:
            out += self._text_tail(pre)
        out.append("")
        out.append("")
        data = pre.record.data
        enc = self.encoding
        if enc is not None:
            # the title line apart: the rest stays a compact (mostly ASCII) string
            title = out[0]
            out[0] = ""
            raw = title.encode(*enc) + "\n".join(out).encode(*enc)
            return raw + hexdump(data).encode(*enc) + b"\n" if self.hex_dump else raw
        text = "\n".join(out)
        if self.hex_dump:
            text += hexdump(data) + "\n"
        return text

    def _text_chunks(self, pre: Pre, dirs: set[str]) -> Iterator[str | bytes]:
        """:meth:`_text` of a frame of many messages, in pieces of at most ``CHUNK`` messages."""
        head = self._text_head(pre, dirs)
        text = "".join(x + "\n" for x in head)
        yield self._encoded(text)
        for batch in batches(pre):
            body: list[str] = []
            self._text_body(pre, batch, body, set())
            if body:
                text = "".join(x + "\n" for x in body)
                yield self._encoded(text)
        text = "".join(x + "\n" for x in self._text_tail(pre)) + "\n"
        if self.hex_dump:
            text += hexdump(pre.record.data) + "\n"
        yield self._encoded(text)

    def _text_head(self, pre: Pre, dirs: set[str]) -> list[str]:
        """A frame's title, problems and link-layer lines."""
        dis = self.dis
        style = self.style
        bold, reset = style.bold, style.reset
        rec = pre.record
        data = rec.data
        link = pre.link
        fam = link.family
        direction = self._direction(dirs)
        t0 = dis.first_time
        family = self._fam.get(fam, "")
        if family == "":
            family = self._family(fam)
        t0 = 0.0 if t0 is None else t0
        out = [f"{bold}{frame_title(pre.number, len(data), rec.time, t0, rec.linktype, family, direction)}{reset}"]
        if pre.problems or rec.wirelen > len(data):
            for p in pre.problems_shown():
                out.append(f"    {style.sev(p['severity'])}[{p['severity']}] {p['text']}{reset}")
        if self.show_link:
            if link.problem is None:
                lines = self._link_by_obj.get(link)  # Links are shared by records with equal headers
                if lines is None:
                    lines = self._link_lines(link)
                    if len(self._link_by_obj) < 256:
                        self._link_by_obj[link] = lines
                out.append(lines)
            else:
                _node_lines(link.node, 1, out.append, style)
        return out

    def _text_tail(self, pre: Pre) -> list[str]:
        """A frame's padding lines."""
        out: list[str] = []
        if pre.padding is not None:
            pad = pre.padding_node()
            assert pad is not None
            _node_lines(pad, 1, out.append, self.style)
        return out

    def _text_body(
        self, pre: Pre, items: Iterable[tuple[MsgHead, dict[str, Any]]], body: list[str], dirs: set[str]
    ) -> None:
        """The text lines of ``items`` (messages of ``pre`` and their annotations), added to
        ``body``; the directions of those output added to ``dirs``."""
        dis = self.dis
        fam = pre.link.family
        style = self.style
        em = self.em
        data = pre.record.data
        selective = self._selective
        bold, reset = style.bold, style.reset
        add = body.append
        hdr_tpl = self._hdr_tpl
        hdr_shows = self._hdr
        layouts = self.layouts
        assert layouts is not None
        compiled = layouts.table
        seen = layouts.seen
        for (off, end, mtype, flags, seq, pid), ann in items:
            if selective and self._skip(data, off, end, mtype, fam):
                continue
            dirs.add(ann["direction"])
            if mtype < 16:
                ctl = self._control(data, off, end, mtype, flags, fam)
                if ctl is not None:
                    try:
                        body += self._control_text(data, off, end, mtype, flags, fam, ctl, ann)
                        continue
                    except Unwalkable:
                        pass
            else:
                if fam != _GENERIC:
                    lkey = self._lkey(fam, mtype, flags, data, off, end)
                    entry = compiled.get(lkey)
                    if entry is not None:
                        for fn in entry[1:]:
                            txt = fn(data, off, seq, pid)
                            if txt is not None:
                                add(f"    {bold}{_title(entry[0], ann)}{reset}")
                                add(txt)
                                break
                        else:
                            txt = None
                        if txt is not None:
                            continue
                head = self._head(data, off, end, mtype, fam)
                mark = len(body)
                if head is not None:
                    schema, header, start = head
                    name = self._name(schema, data, off, end)
                    add(f"    {bold}{_title(name, ann)}{reset}")
                    shows = hdr_shows.get((fam, mtype, flags))
                    if shows is None:
                        shows = self._hdr_shows(fam, mtype, flags)
                    add(hdr_tpl % (end - off, shows[0], shows[1], seq, pid))
                    if header is not None:
                        em.struct_text(schema.header, header, 2, body)  # type: ignore[arg-type]
                    try:
                        em.walk_text(schema.attrs, data, start, end, header, 2, body)  # type: ignore[arg-type]
                    except Unwalkable:
                        del body[mark:]
                    else:
                        if fam != _GENERIC:  # (genl ids are learned: no layout of theirs is kept)
                            seen(lkey, data, off, end, name, shows, schema.header, start, schema.attrs)  # type: ignore[arg-type]
                        continue
                dec = self._decode(data, off, end, mtype, fam)
                if dec is not None:
                    add(f"    {bold}{_title(self._name(dec[0], data, off, end), ann)}{reset}")
                    body += self._body_text(data, off, fam, dec, 2)
                    if len(body) > mark + 1:
                        continue
                    del body[mark:]
            node = message_node(data, off, end, mtype, fam, ann, dis.genl)
            add(f"    {bold}{message_title(node)}{reset}")
            for p in node["problems"]:
                add(f"        {style.sev(p['severity'])}[{p['severity']}] {p['text']}{reset}")
            for child in node["children"]:
                _node_lines(child, 2, add, style)

    def _body_text(self, data: bytes, off: int, fam: int, dec: _Decoded, depth: int) -> list[str]:
        """The lines of a strictly decoded message's nlmsghdr, fixed header and attributes at
        ``depth`` (the attributes walked with their decoded values at hand); empty when the
        walk cannot write them."""
        schema, header, attrs = dec
        lines = self._hdr_lines(data, off, fam, depth)
        if header is not None:
            self.em.struct_text(schema.header, header, depth, lines)  # type: ignore[arg-type]
        if attrs is not None:
            start = _fixed_head(schema, data, off + 16, off + _U32(data, off)[0])
            assert start is not None
            try:
                self.em.walk_text(attrs.attr_set, data, start[1], off + _U32(data, off)[0], header, depth, lines, attrs)
            except Unwalkable:
                return []
        return lines

    # ------------------------------------------------------------------ JSON

    def _json(self, pre: Pre) -> str | None:
        if self._picky and not self.dis.filter.wants_frame(pre.number, pre.link.family):
            return None
        # the frame's text in pieces, joined once: each message is followed by ","
        parts: list[str] = []
        dirs: set[str] = set()
        self._json_body(pre, zip(pre.messages(), pre.anns, strict=True), parts, dirs)
        if self._selective and not dirs:
            return None
        if parts:
            parts[-1] = parts[-1][:-1]  # the last message's "," (or "},")
        parts.insert(0, self._json_head(pre, dirs))
        parts.append(self._json_tail(pre))
        return "".join(parts)

    def _json_chunks(self, pre: Pre, dirs: set[str]) -> Iterator[str | bytes]:
        """:meth:`_json` of a frame of many messages, in pieces of at most ``CHUNK`` messages."""
        text = self._json_head(pre, dirs)
        yield self._encoded(text)
        sep = ""
        for batch in batches(pre):
            parts: list[str] = [sep]
            self._json_body(pre, batch, parts, set())
            if len(parts) > 1:
                parts[-1] = parts[-1][:-1]
                sep = ","
                text = "".join(parts)
                yield self._encoded(text)
        text = self._json_tail(pre)
        yield self._encoded(text)

    def _json_head(self, pre: Pre, dirs: set[str]) -> str:
        """A frame's JSON object up to its first message."""
        link = pre.link
        fam = link.family
        rec = pre.record
        famj = self._famj.get(fam)
        if famj is None:
            family = self._family(fam)
            famj = self._famj[fam] = "null" if family is None else _jstr(family)
        direction = self._direction(dirs)
        if link.problem is None:
            link_json = self._link_obj_json.get(link)  # Links are shared by records with equal headers
            if link_json is None:
                link_json = self._link_json_text(link)
                if len(self._link_obj_json) < 256:
                    self._link_obj_json[link] = link_json
        else:
            link_json = jdump(link.node)
        t = rec.time
        return (
            f'{{"frame":{pre.number},"time":{float.__repr__(t) if type(t) is float and t - t == 0.0 else jdump(t)},'
            f'"linktype":{rec.linktype},"family":{famj},"length":{len(rec.data)},'
            f'"direction":{_DIRS_J.get(direction) or _jstr(direction)},"link":{link_json},"messages":['
        )

    def _json_tail(self, pre: Pre) -> str:
        """A frame's JSON object after its last message, and the newline."""
        rec = pre.record
        if pre.padding is None and not pre.problems and rec.wirelen <= len(rec.data):
            return _FRAME_END
        pad = pre.padding_node() if pre.padding is not None else None
        problems = pre.problems_shown() if pre.problems or rec.wirelen > len(rec.data) else None
        return (
            f'],"padding":{"null" if pad is None else jdump(pad)},'
            f'"problems":{jdump(problems) if problems else "[]"}}}\n'
        )

    def _json_body(
        self, pre: Pre, items: Iterable[tuple[MsgHead, dict[str, Any]]], parts: list[str], dirs: set[str]
    ) -> None:
        """The JSON of ``items`` (messages of ``pre`` and their annotations), each followed by
        ``,``, added to ``parts``; the directions of those output added to ``dirs``."""
        fam = pre.link.family
        data = pre.record.data
        selective = self._selective
        add = parts.append
        compiled = self._ltable
        slow = self._msg_json
        route = fam != _GENERIC
        for (off, end, mtype, flags, seq, pid), ann in items:
            if selective and self._skip(data, off, end, mtype, fam):
                continue
            dirs.add(ann["direction"])
            if route:
                key = (
                    self._lkey(fam, mtype, flags, data, off, end)
                    if mtype >= 16
                    else _ctl_key(data, off, end, fam, mtype, flags)
                )
                # a layout compiled at this offset (its node offsets written in), else one for any offset
                entry = compiled.get((*key, off)) or compiled.get(key)
                if entry is not None:
                    txt = entry[1](data, off, seq, pid)
                    if txt is None and len(entry) > 2:
                        for fn in entry[2:]:
                            txt = fn(data, off, seq, pid)
                            if txt is not None:
                                break
                    if txt is not None:
                        add(txt)
                        add(_ann_json(ann))
                        add("},")
                        continue
            add(slow(data, off, end, mtype, flags, fam, ann))
            add(",")

    def _link_json_text(self, link: Any) -> str:
        """The JSON node of a link-layer header without a problem."""
        key = link.key
        link_json = self._link_json.get(key)
        if link_json is None:
            link_json = jdump(link.node)
            if len(self._link_json) < 256:
                self._link_json[key] = link_json
        return link_json

    def _msg_json(self, data: bytes, off: int, end: int, mtype: int, flags: int, fam: int, ann: dict[str, Any]) -> str:
        """One message's JSON node, the ways other than a compiled layout."""
        if mtype < 16:
            ctl = self._control(data, off, end, mtype, flags, fam)
            if ctl is not None:
                text = self._control_json(data, off, end, mtype, flags, fam, ctl, ann)
                code, ehdr, edec = ctl
                if edec is None and fam != _GENERIC:  # (genl type names are learned)
                    echo = None
                    if ehdr is not None:
                        etype, eflags = _HDR5(data, ehdr)[1:3]
                        capped = bool(flags & _CAPPED)
                        echo = (type_name(fam, etype, self.dis.genl), capped, *self._hdr_shows(fam, etype, eflags))
                    layouts = self.layouts
                    assert layouts is not None
                    layouts.seen_control(
                        _ctl_key(data, off, end, fam, mtype, flags),
                        data,
                        off,
                        end,
                        code,
                        ehdr,
                        self._hdr_shows(fam, mtype, flags),
                        echo,
                    )
                return text
            dec = None
        else:
            head = self._head(data, off, end, mtype, fam)
            if head is not None:
                schema, header, start = head
                try:
                    attrs_json = self.em.walk_json(schema.attrs, data, start, end, header)  # type: ignore[arg-type]
                except Unwalkable:
                    pass
                else:
                    name = self._name(schema, data, off, end)
                    shows = self._hdr_shows(fam, mtype, flags)
                    layouts = self.layouts
                    assert layouts is not None
                    if fam != _GENERIC:  # (genl ids are learned: no layout of theirs is kept)
                        lkey = self._lkey(fam, mtype, flags, data, off, end)
                        layouts.seen(lkey, data, off, end, name, shows, schema.header, start, schema.attrs)  # type: ignore[arg-type]
                    children = self._hdr_json(data, off, fam)
                    if header is not None:
                        children += self._struct_json(schema, header, off)
                    if attrs_json:
                        children += "," + attrs_json
                    node = message_head(_jstr(name), mtype, off, end - off)
                    return f'{node}{children}],"problems":[]{_ann_json(ann)}}}'
            dec = self._decode(data, off, end, mtype, fam)
        if dec is None:
            return jdump(message_node(data, off, end, mtype, fam, ann, self.dis.genl))
        schema = dec[0]
        name = self._name(schema, data, off, end)
        children = self._body_json(data, off, fam, dec)
        return f'{message_head(_jstr(name), mtype, off, end - off)}{children}],"problems":[]{_ann_json(ann)}}}'


def _ctl_key(data: bytes, off: int, end: int, fam: int, mtype: int, flags: int) -> tuple[int, ...]:
    """The layout key of an NLMSG_ERROR / DONE: with its error code and the echoed header's
    type and flags (ACKs of every request share their length and offset)."""
    ln = end - off
    if ln >= 28:
        return (fam, mtype, flags, ln, *_CTL(data, off + 16))
    return (fam, mtype, flags, ln)


_CTL = struct.Struct("=i4xI").unpack_from  # error code; the echoed header's type and flags (one word)




def _title(name: str, ann: dict[str, Any], error: str | None = None) -> str:
    """The title line of a message (:func:`~dissect.netlink.render.title`), from its annotation."""
    role = ann.get("role", "")
    req = ann.get("_req")
    replies = req.replies if role == "request" and req is not None else None
    return title(name, role, error, ann.get("request_in"), replies, ann.get("duplicate_of"))


_ANN_HEAD: dict[tuple[Any, Any], str] = {}


def _ann_json(ann: dict[str, Any]) -> str:
    """The correlation keys :func:`~dissect.netlink.frames.message_node` adds, as JSON (same order)."""
    role = ann.get("role", "")
    key = (ann["direction"], role)
    out = _ANN_HEAD.get(key)
    if out is None:
        out = f',"direction":{jdump(key[0])},"role":{jdump(role)}'
        if len(_ANN_HEAD) < 64:
            _ANN_HEAD[key] = out
    if role == "request":
        req = ann.get("_req")
        if req is not None:
            out += f',"replies_in":[{",".join(map(str, req.replies))}]'
    if "request_in" in ann:
        n = ann["request_in"]
        out += ',"request_in":' + (int.__repr__(n) if type(n) is int else jdump(n))
    if ann.get("multicast"):
        out += ',"multicast":true'
    if "duplicate_of" in ann:
        n = ann["duplicate_of"]
        out += ',"duplicate_of":' + (int.__repr__(n) if type(n) is int else jdump(n))
    return out
