"""Layout-specialised message renderers: the text lines or the JSON node of a message,
from one compiled function per attribute *layout*.

Dumps and notifications repeat the same layout again and again: the same sequence of
``nla_len``/``nla_type`` at the same relative offsets. When a message key (netlink
family, type, flags, length) has been seen before, :class:`Layouts`
walks that message once with the same tables :class:`~dissect.netlink.emit.Emitter`
walks (the :class:`~nlwire.wire.attrs.AttrSet` kinds, the fixed structs' fields: no
second table of facts) and generates a Python function that

* unpacks every header the layout depends on (``nlmsg_len``, each ``nla_len`` and
  ``nla_type``, and any fixed-header field a kind is chosen by, such as
  ``ifinfomsg.family`` for ``IFLA_AF_SPEC``) with one :class:`struct.Struct` and
  compares them with the expected tuple: a message with any other layout gets
  ``None`` and takes the generic walk;
* unpacks every fixed-size value with one more :class:`struct.Struct`;
* returns one f-string: the static text (labels, names, node keys) baked
  in, each value formatted from the message's own bytes -- integers directly,
  enum names through the same show caches the walk uses, strings, addresses and
  odd kinds through small helpers that call the kinds' own ``decode``.

JSON node offsets count from the frame's first byte: a key met at one offset only is
compiled with them baked in (and looked up with that offset); a key met at several
offsets (the messages of dumps) with them added to the message's offset at run time, so
one function serves it wherever it is.

In JSON, NLMSG_ERROR / NLMSG_DONE messages whose echo is a header only (ACKs, most
errors) are compiled the same way (:meth:`Layouts.compile_control`; their key also holds
the error code and the echoed type and flags, which are checked again per message), and a
decoded echoed request is written by the layout compiled for a message like it at its
offset.

Nothing is cached by content: every message's values are read from its own bytes.
Only code is cached, keyed by layout and verified per message, in bounded tables.
A layout the walk could not write (a value that would not decode, an extension
past a struct, a kind outside the simple set) is never compiled; the caller keeps
the generic path for it. The output equals the walk's byte for byte
(``tests/test_dissect_render.py`` holds every path equal to the node tree).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from json.encoder import encode_basestring as _jstr
from typing import Any

from dissect.netlink.emit import Emitter
from dissect.netlink.layout_code import Renderer, _Decline, _framed, _Gen, _safe_json, _var
from dissect.netlink.nodes import (
    _IND,
    _M_ARRAY,
    _M_BIN,
    _M_ENUM,
    _M_FLAG,
    _M_FSTRUCT,
    _M_INT,
    _M_IP,
    _M_NEST,
    _M_PICK,
    _M_REPR,
    _M_STR,
    _M_STRUCT,
    _Spec,
    echo_head,
    error_json,
    hdr_json,
    hdr_labels,
    jvalue,
    message_head,
    struct_fields,
    struct_head,
)
from nlwire.consts import NLM_F, NLMSG
from nlwire.wire.attrs import AttrSet
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nla import counted

__all__ = ["Layouts"]

_U32 = struct.Struct("=I").unpack_from
_LITTLE = sys.byteorder == "little"
_NLMSG_ERROR = int(NLMSG.ERROR)
_CAPPED_FLAG = int(NLM_F.CAPPED)
_MAX_VARIANTS = 4  # layouts compiled per message key
_MAX_FUNCS = 1024  # compiled functions per Layouts (each holds its template text)
_MAX_KEYS = 16384  # message keys counted
_VAR_CODES = {(False, 1): "B", (False, 2): "H", (False, 4): "I", (False, 8): "Q"}
_VAR_CODES.update({(True, 1): "b", (True, 2): "h", (True, 4): "i", (True, 8): "q"})



class Layouts:
    """Compiled renderers of one output mode (``text`` or ``json``) for an :class:`Emitter`.

    :attr:`table` holds the renderers compiled for a message key; :meth:`seen` is
    told of each message the generic walk wrote, and compiles its layout the second
    time its key comes by. Bounded: at most ``_MAX_VARIANTS`` layouts per key,
    ``_MAX_FUNCS`` functions in all (then no more are compiled), ``_MAX_KEYS`` keys
    counted (then the counts start over).
    """

    def __init__(self, em: Emitter, mode: str, compile_after: int = 8) -> None:
        if mode not in ("text", "json"):
            raise ValueError(mode)
        self.em = em
        self.json = mode == "json"
        self.hdr_text = hdr_labels(em.style, 2)
        self.table: dict[tuple[int, ...], list[Any]] = {}
        """message key → [node name, renderers...]"""
        self._counts: dict[tuple[int, ...], int] = {}
        self._at: dict[tuple[int, ...], int] = {}
        """The offset every sighting of a key so far was at (-1: more than one)."""
        self.compile_after = compile_after
        """Generic writes of a key before its layout is compiled: compiling a layout costs
        about as much as writing its message 20 to 40 times the generic way (mostly
        Python's ``compile``), so a layout seen only a few times is not worth it."""
        self._funcs = 0

    def seen(
        self,
        key: tuple[int, ...],
        data: bytes,
        off: int,
        end: int,
        name: str,
        head: tuple[str, str],
        fixed: FixedStruct | None,
        start: int,
        aset: AttrSet,
    ) -> None:
        """The generic walk wrote this message (``name``: its node name; ``head``: its
        nlmsghdr type and flags shows); compiles its layout once the generic walk has
        written its key :attr:`compile_after` times."""
        if self._due(key, off):
            jname = _jstr(name)

            def make(rel: bool) -> Renderer:
                return self.compile_message(data, off, end, head, jname, fixed, start, aset, rel)

            self._add(key, off, name, make)

    def seen_control(
        self,
        key: tuple[int, ...],
        data: bytes,
        off: int,
        end: int,
        code: int | None,
        ehdr: int | None,
        head: tuple[str, str],
        echo: tuple[str, bool, str, str] | None,
    ) -> None:
        """(JSON) The generic path wrote this NLMSG_ERROR / NLMSG_DONE without TLVs, whose
        echoed request (if any) is a header only; compiles its layout once due (arguments:
        see :meth:`compile_control`)."""
        if self.json and self._due(key, off):
            name = "NLMSG_ERROR" if _U32(data, off + 4)[0] & 0xFFFF == _NLMSG_ERROR else "NLMSG_DONE"
            self._add(key, off, name, lambda rel: self.compile_control(data, off, end, code, ehdr, head, echo, rel))

    def _due(self, key: tuple[int, ...], off: int) -> bool:
        """Counts a generic write of ``key`` at offset ``off``: True when its layout is to be
        compiled now."""
        counts = self._counts
        n = counts.get(key, 0)
        if n < 0:
            return False
        if n < self.compile_after:
            if n == 0:
                if len(counts) >= _MAX_KEYS:
                    counts.clear()
                    self._at.clear()
                self._at[key] = off
            elif self._at.get(key) != off:
                self._at[key] = -1
            counts[key] = n + 1
            return False
        entry = self.table.get(key)
        if self._funcs >= _MAX_FUNCS or (entry is not None and len(entry) > _MAX_VARIANTS):
            counts[key] = -1
            return False
        return True

    def _add(self, key: tuple[int, ...], off: int, name: str, make: Callable[[bool], Renderer]) -> None:
        """Compile ``key``'s layout. In JSON, a key met at one offset only is compiled with
        its node offsets written in (kept under ``key + (off,)``); a key met at several,
        with them counted from the message's offset (kept under ``key``), which costs a
        little per node but serves the message wherever it is."""
        counts = self._counts
        relative = self.json and self._at.get(key) != off
        try:
            fn = make(relative)
        except _Decline:
            counts[key] = -1
            return
        counts[key] = 0
        self._funcs += 1
        if self.json and not relative:
            key = (*key, off)
        entry = self.table.get(key)
        if entry is None:
            self.table[key] = [name, fn]
        else:
            entry.append(fn)

    def compile_control(
        self,
        data: bytes,
        off: int,
        end: int,
        code: int | None,
        ehdr: int | None,
        head: tuple[str, str],
        echo: tuple[str, bool, str, str] | None,
        relative: bool = False,
    ) -> Renderer:
        """(JSON) The node ``FrameWriter._control_json`` writes for an NLMSG_ERROR / DONE
        without TLVs and without a decoded echo (``code``: its error code or None; ``ehdr``:
        where its echoed header is, or None; ``head``: its type and flags shows; ``echo``:
        the echoed header's type name, whether it is capped, type show and flags show).
        Its error code, its type and flags and
        the echoed header's type and flags are checked per message (they choose the
        shows), its lengths too (unless the echo is capped, the echoed length chooses
        between a header and a decoded request); seq, pid and the echoed header's len,
        seq and pid are values."""
        if not self.json:
            raise _Decline
        g = _Gen(data, off)
        g.relative = relative
        ln = end - off
        mtype, flags = struct.unpack_from("=HH", data, off + 4)
        g.check(0, "I", ln)
        g.check(4, "H", mtype)
        g.check(6, "H", flags)
        name = "NLMSG_ERROR" if mtype == _NLMSG_ERROR else "NLMSG_DONE"
        g.lit(message_head(f'"{name}"', mtype, off, ln))
        self._hdr_json(g, 0, ln, head)
        if code is not None:
            g.check(16, "i", code)
            g.lit("," + error_json(code, off + 16))
        if ehdr is not None:
            if echo is None or ehdr != off + 20:
                raise _Decline
            ename, capped, etshow, efshow = echo
            rel = ehdr - off
            etype, eflags = struct.unpack_from("=HH", data, ehdr + 4)
            g.check(rel + 4, "H", etype)
            g.check(rel + 6, "H", eflags)
            if not flags & _CAPPED_FLAG:
                g.check(rel, "I", _U32(data, ehdr)[0])  # (a longer echo would be decoded)
            g.lit("," + echo_head(ename, capped, ehdr, 16))
            self._hdr_json(g, rel, None, (etshow, efshow))
            g.lit('],"problems":[]}')
        g.lit('],"problems":[]' + ("" if code is None else f',"error":{code}'))
        return g.build()

    def _hdr_json(self, g: _Gen, rel: int, ln: int | None, shows: tuple[str, str]) -> None:
        """The nlmsghdr node :func:`~dissect.netlink.nodes.hdr_json` writes, at ``rel``: ``ln``
        a checked length, None a value (an echoed header); type and flags checked by the
        caller; seq and pid the renderer's arguments (the message's own header) or values."""
        o = g.base + rel
        mtype, flags = struct.unpack_from("=HH", g.data, o + 4)
        length = g.value(rel, "I") if ln is None else ln
        seq, pid = ("seq", "pid") if rel == 0 else (g.value(rel + 8, "I"), g.value(rel + 12, "I"))
        g.marked(hdr_json(o, _var(length), mtype, flags, _var(seq), _var(pid), _jstr(shows[0]), _jstr(shows[1])))

    # ------------------------------------------------------------------ compile

    def compile_message(
        self,
        data: bytes,
        off: int,
        end: int,
        head: tuple[str, str],
        jname: str,
        fixed: FixedStruct | None,
        start: int,
        aset: AttrSet,
        relative: bool = False,
    ) -> Renderer:
        """Compile the layout of the message at ``data[off:end]`` (raises :class:`_Decline`);
        ``relative``: JSON node offsets counted from the message's, not written in."""
        g = _Gen(data, off, fixed)
        g.relative = relative
        ln = end - off
        g.check(0, "I", ln)
        header = fixed.unpack(data, off + 16) if fixed is not None else None
        tshow, fshow = head
        if self.json:
            g.lit(message_head(jname, _U32(data, off + 4)[0] & 0xFFFF, off, ln))
            self._hdr_json(g, 0, ln, head)
            if fixed is not None:
                g.lit("," + struct_head(fixed, off + 16))
                self._struct_json(g, fixed, 16)
                g.lit('],"problems":[]}')
            at = g.mark()
            n = self._attrs_json(g, aset, start - off, ln, header, 0)
            if n:
                g.patch(at, ",")
            g.lit('],"problems":[]')
        else:
            h = self.hdr_text
            g.lit(f"{h[0]}\n{h[1]}{ln}\n{h[2]}{tshow}\n{h[3]}{fshow}\n{h[4]}")
            g.expr("seq")
            g.lit(f"\n{h[5]}")
            g.expr("pid")
            if fixed is not None:
                g.lit("\n" + _IND[2] + self.em.struct_plan(fixed).plain)
                self._struct_text(g, fixed, 16, 3)
            self._attrs_text(g, aset, start - off, ln, header, 2, 0)
        return g.build()

    def _kind_at(self, g: _Gen, kind: Any, header: Any, fixed_hdr: FixedStruct | None) -> Any:
        """The nested kind a header-chosen kind picks, with its header field checked per message."""
        if kind.render != "by_header":
            return kind
        key = None
        if header is not None and fixed_hdr is not None:
            key = getattr(header, kind.field, None)
            for fname, rel, _size, idx in struct_fields(fixed_hdr):
                if fname == kind.field or f"{fname}_" == kind.field:
                    code = fixed_hdr.formats[idx]
                    if code[0] not in "=<" or not _LITTLE:
                        raise _Decline
                    g.check(16 + rel, code[1:], key)
                    break
            else:
                raise _Decline
        picked = kind.for_header(header if fixed_hdr is not None else None)
        if picked.render != "nest":
            raise _Decline
        return picked

    # ------------------------------------------------------------------ text

    def _struct_text(self, g: _Gen, fixed: FixedStruct, rel: int, depth: int) -> None:
        """The field lines ``Emitter.struct_text`` writes (after its header line)."""
        plan = self.em.struct_plan(fixed)
        labels = plan.labels_at(depth)
        for i, (_fname, frel, _size, idx, cls, cache) in enumerate(plan.fields):
            code = fixed.formats[idx]
            var = g.value(rel + frel, code)
            g.lit("\n" + labels[i])
            if code.endswith("s") and (cls is None or isinstance(cls, type)):
                g.expr(f"({var}.hex(_sp) if {var} else _empty)")
            elif cls is not None:
                c, s = g.const(cache), g.const(plan.show)
                g.expr(f"({c}.get({var}) or {s}({i}, {var}))[0]")
            else:
                g.num(var)

    def _attrs_text(self, g: _Gen, aset: AttrSet, start: int, end: int, header: Any, depth: int, level: int) -> int:
        """Mirror of ``Emitter._walk_text`` over the compiling message (positions relative to it)."""
        em = self.em
        ind = _IND[depth]
        count = 0
        fixed_hdr = g.fixed
        for _pos, ln, t, s, nxt in _framed(g, start, end, level):
            count += 1
            w = em._wtab_entry(aset, t, depth)
            mode, size, _unpack, lab, _tpl, sp = w
            if mode in (_M_INT, _M_ENUM):
                if ln != size:
                    raise _Decline
                var = g.value(s, sp.kind.struct.format)  # type: ignore[attr-defined]
                g.lit("\n" + lab)
                if mode == _M_INT:
                    g.num(var)
                else:
                    g.expr(f"({g.const(sp.cache)}.get({var}) or {g.const(sp.enum_show)}({var}))[0]")
                continue
            if mode == _M_FSTRUCT:  # an all-integer struct of more than 4 fields
                if ln != size:
                    raise _Decline
                g.lit("\n" + lab)
                self._struct_text(g, sp.kind.fixed, s, depth + 1)  # type: ignore[attr-defined]
                continue
            kind: Any = sp.kind
            if mode in (_M_NEST, _M_PICK):
                kind = self._kind_at(g, kind, header, fixed_hdr)
                at = g.mark()
                n = self._attrs_text(g, kind.attr_set, s, nxt, header, depth + 1, level + 1)
                g.patch(at, f"\n{ind}{sp.label}{counted(n, 'attribute')}")
                continue
            g.lit("\n")
            self._value_text(g, sp, mode, s, nxt, depth)
        return count

    def _value_text(self, g: _Gen, sp: _Spec, mode: int, s: int, e: int, depth: int) -> None:
        """One attribute's line(s) other than an integer, an integer struct or a nest."""
        kind: Any = sp.kind
        ind = _IND[depth]
        n = e - s
        name = sp.name
        try:
            v = kind.decode(g.data, g.base + s, g.base + e, None)
        except Exception:
            raise _Decline from None
        if mode == _M_REPR:
            g.expr(f"{g.const(_repr_line(kind, ind + sp.label, ind + sp.plain, name))}(data, off + {s}, off + {e})")
            return
        if mode == _M_STR:
            if kind.render == "hwaddr":
                if _maybe(name, "0123456789abcdef:"):
                    raise _Decline
                g.lit(ind + sp.label)
                g.expr(f"data[off + {s}:off + {e}].hex(_colon)")
                return
            if kind.render == "varint":
                code = _VAR_CODES.get((kind.signed, n))
                if code is None or _maybe(name, "-0123456789"):
                    raise _Decline
                g.lit(ind + sp.label)
                g.num(g.value(s, code))
                return
            raise _Decline
        if mode == _M_BIN or (mode == _M_IP and type(v) is bytes):
            if n == 0:
                if name == "(empty)":
                    raise _Decline
                g.lit(ind + sp.label + "(empty)")
                return
            if _maybe(name, "0123456789abcdef "):
                raise _Decline
            g.lit(ind + sp.label)
            g.expr(f"data[off + {s}:off + {e}].hex(_sp)")
            return
        if mode == _M_IP:
            if _maybe(name, "0123456789abcdef:."):
                raise _Decline
            g.lit(ind + sp.label)
            g.expr(f"{g.const(_ip_show(kind, self.em))}(data, off + {s}, off + {e})")
            return
        if mode == _M_FLAG:
            if v is not True or name == "True":
                raise _Decline
            g.lit(ind + sp.label + "True")
            return
        if mode == _M_ARRAY and type(v) is tuple:
            item = kind.item
            if item.enum is not None or name.startswith("["):
                raise _Decline
            code = item.struct.format
            names = [g.value(s + i * item.size, code) for i in range(len(v))]
            g.lit(ind + sp.label + "[")
            for i, var in enumerate(names):
                if i:
                    g.lit(", ")
                g.num(var)
            g.lit("]")
            labels = self.em._alabels(depth + 1, len(v), kind)
            for i, var in enumerate(names):
                g.lit("\n" + labels[i])
                g.num(var)
            return
        if mode == _M_STRUCT and isinstance(v, tuple):
            fixed = kind.fixed
            if n != fixed.size:
                raise _Decline  # an extension past the struct: the walk writes it
            plan = self.em.struct_plan(fixed)
            if len(v) <= 4:
                if "=" in name:
                    raise _Decline
                g.lit(ind + sp.label)
                for i, (fname, frel, _size, idx, _cls, _cache) in enumerate(plan.fields):
                    code = fixed.formats[idx]
                    var = g.value(s + frel, code)
                    g.lit((", " if i else "") + f"{fname}=")
                    g.expr(f"{var}.hex()" if code.endswith("s") else var)
                if len(plan.fields) != len(v):
                    raise _Decline
                # the field lines read the same bytes again (values are cheap; order is kept)
            else:
                g.lit(ind + sp.label + fixed.name if fixed.name != name else ind + sp.plain)
            self._struct_text(g, fixed, s, depth + 1)
            return
        raise _Decline

    # ------------------------------------------------------------------ JSON

    def _struct_json(self, g: _Gen, fixed: FixedStruct, rel: int) -> None:
        """The field nodes ``Emitter.struct_json`` writes (comma-joined)."""
        plan = self.em.struct_plan(fixed)
        base = g.base
        for i, (_fname, frel, _size, idx, cls, cache) in enumerate(plan.fields):
            code = fixed.formats[idx]
            var = g.value(rel + frel, code)
            g.lit(("," if i else "") + plan.jpre[i])
            tail = f',"offset":{base + rel + frel}{plan.jsuf[i]}'
            if code.endswith("s") and cls is not None and not isinstance(cls, type):  # FixedStruct.shows
                g.lit('"')
                g.expr(f"{var}.hex()")
                g.lit('","show":')
                g.expr(f"({g.const(cache)}.get({var}) or {g.const(plan.show)}({i}, {var}))[1]")
                g.lit(tail)
            elif code.endswith("s"):
                g.lit('"')
                g.expr(f"{var}.hex()")
                g.lit('","show":"')
                g.expr(f"({var}.hex(_sp) if {var} else _empty)")
                g.lit('"' + tail)
            elif cls is not None:
                g.num(var)
                g.lit(',"show":')
                g.expr(f"({g.const(cache)}.get({var}) or {g.const(plan.show)}({i}, {var}))[1]")
                g.lit(tail)
            else:
                g.pair(var)
                g.lit('"' + tail)

    def _attrs_json(self, g: _Gen, aset: AttrSet, start: int, end: int, header: Any, level: int) -> int:
        """Mirror of ``Emitter._walk_json`` over the compiling message."""
        em = self.em
        base = g.base
        count = 0
        fixed_hdr = g.fixed
        for pos, ln, t, s, nxt in _framed(g, start, end, level):
            o = base + pos
            if count:
                g.lit(",")
            count += 1
            w = em._wtab_entry(aset, t, -1)
            mode, size, _unpack, jtail, _cache, sp = w
            if mode == _M_FSTRUCT:
                if ln != size:
                    raise _Decline
                g.lit(f'{jtail}{o},"length":{ln},"children":[')
                self._struct_json(g, sp.kind.fixed, s)  # type: ignore[attr-defined]
                g.lit('],"problems":[]}')
                continue
            if mode in (_M_INT, _M_ENUM):
                if ln != size:
                    raise _Decline
                var = g.value(s, sp.kind.struct.format)  # type: ignore[attr-defined]
                g.lit(sp.jhead)
                if mode == _M_INT:
                    g.pair(var)
                    g.lit(f'","offset":{o}{jtail}')
                else:
                    g.num(var)
                    g.lit(',"show":')
                    g.expr(f"({g.const(sp.cache)}.get({var}) or {g.const(sp.enum_show)}({var}))[1]")
                    g.lit(f',"offset":{o}{jtail}')
                continue
            kind: Any = sp.kind
            if mode in (_M_NEST, _M_PICK):
                kind = self._kind_at(g, kind, header, fixed_hdr)
                at = g.mark()
                n = self._attrs_json(g, kind.attr_set, s, nxt, header, level + 1)
                shown = counted(n, "attribute")
                g.patch(at, f'{sp.jhead}null,"show":"{shown}","offset":{o},"length":{ln},"children":[')
                g.lit('],"problems":[]}')
                continue
            self._value_json(g, sp, mode, s, nxt)
        return count

    def _value_json(self, g: _Gen, sp: _Spec, mode: int, s: int, e: int) -> None:
        """Mirror of ``Emitter._jnode`` for one attribute's node."""
        kind: Any = sp.kind
        n = e - s
        o = g.base + s - 4
        tail = f',"offset":{o},"length":{n + 4},"children":[],"problems":[]}}'
        try:
            v = kind.decode(g.data, g.base + s, g.base + e, None)
        except Exception:
            raise _Decline from None
        if mode == _M_REPR:
            g.lit(sp.jhead)
            fn = _str_json if kind.render == "cstring" else _raw_str_json
            g.expr(f"{g.const(fn)}({g.const(kind)}, data, off + {s}, off + {e})")
            g.lit(tail)
            return
        if mode == _M_STR:
            if kind.render == "hwaddr":
                var = g.name("w")
                g.pre.append(f"{var} = data[off + {s}:off + {e}].hex(_colon)")
                g.lit(sp.jhead + '"')
                g.num(var)
                g.lit('","show":"')
                g.num(var)
                g.lit('"' + tail)
                return
            if kind.render == "varint":
                code = _VAR_CODES.get((kind.signed, n))
                if code is None:
                    raise _Decline
                var = g.value(s, code)
                g.lit(sp.jhead)
                g.pair(var)
                g.lit('"' + tail)
                return
            raise _Decline
        if mode in (_M_BIN, _M_IP) and type(v) is bytes:
            g.lit(sp.jhead + '"')
            if n:
                g.expr(f"data[off + {s}:off + {e}].hex()")
                g.lit('","show":"')
                g.expr(f"data[off + {s}:off + {e}].hex(_sp)")
                g.lit('"' + tail)
            else:
                g.lit('","show":"(empty)"' + tail)
            return
        if mode == _M_IP:
            var = g.name("w")
            g.pre.append(f"{var} = {g.const(_ip_json(kind, self.em))}(data, off + {s}, off + {e})")
            g.lit(sp.jhead)
            g.num(var)
            g.lit(',"show":')
            g.num(var)
            g.lit(tail)
            return
        if mode == _M_FLAG:
            if v is not True:
                raise _Decline
            g.lit(sp.jhead + 'true,"show":"True"' + tail)
            return
        if mode == _M_ARRAY and type(v) is tuple:
            item = kind.item
            if item.enum is not None:
                raise _Decline
            size = item.size
            code = item.struct.format
            names = [g.value(s + i * size, code) for i in range(len(v))]
            g.lit(sp.jhead + 'null,"show":"[')
            if names:
                g.joined(names)
            g.lit(f']","offset":{o},"length":{n + 4},"children":[')
            starts = self.em._ajpre(len(v), kind)
            for i, var in enumerate(names):
                g.lit(("," if i else "") + starts[i])
                g.pair(var)
                g.lit(f'","offset":{g.base + s + i * size},"length":{size},"children":[],"problems":[]}}')
            g.lit('],"problems":[]}')
            return
        if mode == _M_STRUCT and isinstance(v, tuple):
            fixed = kind.fixed
            if n != fixed.size:
                raise _Decline
            plan = self.em.struct_plan(fixed)
            g.lit(sp.jhead + 'null,"show":"')
            if len(v) <= 4:
                if len(plan.fields) != len(v):
                    raise _Decline
                for i, (fname, frel, _size, idx, _cls, _cache) in enumerate(plan.fields):
                    if not _safe_json(fname):
                        raise _Decline
                    code = fixed.formats[idx]
                    var = g.value(s + frel, code)
                    g.lit((", " if i else "") + f"{fname}=")
                    g.expr(f"{var}.hex()" if code.endswith("s") else var)
                g.lit('"')
            else:
                g.lit(_jstr(fixed.name)[1:])
            g.lit(f',"offset":{o},"length":{n + 4},"children":[')
            self._struct_json(g, fixed, s)
            g.lit('],"problems":[]}')
            return
        raise _Decline


def _maybe(name: str, chars: str) -> bool:
    """True when a value shown with ``chars`` only could equal the attribute's name (the
    walk then writes the name alone): such a layout is left to the walk."""
    return all(c in chars for c in name)


def _repr_line(kind: Any, lab: str, plain: str, name: str) -> Callable[[bytes, int, int], str]:
    dec = kind.decode
    show = kind.show

    def line(data: bytes, s: int, e: int) -> str:
        text = show(dec(data, s, e, None))
        return lab + text if text != name else plain

    return line


def _repr_json(kind: Any, data: bytes, s: int, e: int) -> str:
    """A text attribute's JSON value and show: the kind's decode and show."""
    v = kind.decode(data, s, e, None)
    return f'{jvalue(v)},"show":{_jstr(kind.show(v))}'


_PLAIN = bytes(c for c in range(0x20, 0x7F) if c not in b"\"'\\")
"""Bytes that stand for themselves in both a JSON string and a ``repr`` (printable ASCII
but the quotes and the backslash)."""


def _str_json(kind: Any, data: bytes, s: int, e: int) -> str:
    """``_repr_json`` of a :class:`String`: the text as it is when it is plain printable ASCII."""
    raw = data[s:e]
    nul = raw.find(0)
    if nul >= 0:
        raw = raw[:nul]
        if not raw.translate(None, _PLAIN):
            return f'"{raw.decode()}","show":"{raw.decode()}"'
    return _repr_json(kind, data, s, e)


def _raw_str_json(kind: Any, data: bytes, s: int, e: int) -> str:
    """``_repr_json`` of a :class:`RawString` (no NUL), plain printable ASCII as it is."""
    raw = data[s:e]
    if not raw.translate(None, _PLAIN):
        return f'"{raw.decode()}","show":"{raw.decode()}"'
    return _repr_json(kind, data, s, e)


def _ip_show(kind: Any, em: Emitter) -> Callable[[bytes, int, int], str]:
    dec = kind.decode
    ip_str = em.ip_str

    def show(data: bytes, s: int, e: int) -> str:
        return ip_str(dec(data, s, e, None))

    return show


def _ip_json(kind: Any, em: Emitter) -> Callable[[bytes, int, int], str]:
    dec = kind.decode
    ip_str = em.ip_str

    def show(data: bytes, s: int, e: int) -> str:
        return _jstr(ip_str(dec(data, s, e, None)))

    return show
