"""The fast output path: text-tree lines and JSON fragments written straight from
the bytes of messages that decode strictly, without building node dicts first.

:class:`Emitter` writes the nodes :class:`~dissect.netlink.nodes.Nodes` describes (it
*is* a :class:`~dissect.netlink.nodes.Nodes`, with the same tables): as text lines, and
for both text and JSON in one pass over the attributes' bytes (the walks, no
:class:`~nlwire.wire.attrs.Attrs` objects) for the kinds whose forms it knows. An area
holding a kind that needs its siblings (or its decoded value) is decoded strictly, that
area alone, and written from its values: walked again with them at hand (text), or by
:meth:`~dissect.netlink.nodes.Nodes.attrs_json` (JSON). What does not decode strictly
raises :class:`~dissect.netlink.nodes.Unwalkable`; the caller then takes the node path
(:mod:`dissect.netlink.tree`).

Callers give this module only messages that decoded strictly (every value at
every depth decoded without a :class:`~nlwire.errors.DecodeError`); anything
else goes through the node path whole.
"""

from __future__ import annotations

import json
import struct
from itertools import chain
from json.encoder import encode_basestring as _jstr
from operator import add
from typing import Any

from dissect.netlink.nodes import (
    _DUMPS,
    _IND,
    _M_ARRAY,
    _M_BIN,
    _M_ENUM,
    _M_FLAG,
    _M_FSTRUCT,
    _M_INT,
    _M_IP,
    _M_NEST,
    _M_OTHER,
    _M_PICK,
    _M_REPR,
    _M_STR,
    _M_STRUCT,
    Nodes,
    Unwalkable,
    _ext_node,
    _names_key,
    _Spec,
)
from dissect.netlink.render import Style, _node_lines
from nlwire.consts import NLA_TYPE_MASK
from nlwire.wire.attrs import Attrs, AttrSet
from nlwire.wire.compound import ArrayKind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nla import MAX_DEPTH, counted
from nlwire.wire.scalars import show_enum

__all__ = ["Emitter", "info_ranks"]

_NLA = struct.Struct("=HH").unpack_from

_WalkEntry = tuple[int, int, Any, str, Any, _Spec]


class Emitter(Nodes):
    """Text lines / JSON fragments of strictly decoded messages, in one style."""

    def __init__(self, style: Style) -> None:
        super().__init__(style)
        # per (attribute set, depth): type -> (mode, nla_len of an Int, unpack, indented label, enum cache, spec);
        # depth -1: the JSON walk's table (the label slot holds the node's tail)
        self._wtab: dict[tuple[AttrSet, int], dict[int, _WalkEntry]] = {}

    def _alabels(self, depth: int, n: int, kind: ArrayKind) -> list[str]:
        """The label of each of an array's first ``n`` elements at ``depth`` (``[0]: ``, or the
        kind's element names)."""
        key = (depth, _names_key(kind))
        lab = self._array_labels.get(key)
        if lab is None or len(lab) < n:
            ind = _IND[depth] if depth < len(_IND) else "    " * depth
            name = kind.entry_name
            lab = self._array_labels[key] = [
                f"{ind}{self.pre}{name(i)}{self.post}: " for i in range(max(n, 2 * len(lab or ()), 64))
            ]
        return lab

    def _atpl(self, depth: int, n: int, kind: ArrayKind) -> str:
        """The lines of an n-item integer array at ``depth``, as a %-template."""
        key = (depth, n, _names_key(kind))
        tpl = self._array_tpl.get(key)
        if tpl is None:
            tpl = "\n".join(x.replace("%", "%%") + "%d" for x in self._alabels(depth, n, kind)[:n])
            if len(self._array_tpl) < 1024:
                self._array_tpl[key] = tpl
        return tpl

    # ------------------------------------------------------------------ text

    def struct_text(self, fixed: FixedStruct, record: Any, depth: int, out: list[str], name: str | None = None) -> None:
        """A fixed struct node (``ifinfomsg``) and its fields; ``name``: the header line instead."""
        sp = self.struct_plan(fixed)
        ind = _IND[depth]
        out.append(name if name is not None else ind + sp.plain)
        if sp.simple:
            if sp.fields:
                out.append(sp.text_tpl(depth + 1) % record)
            return
        enums = sp.enum_fields
        if enums is not None:
            # integer fields, some with enum shows: the shows replace those values (%s)
            evals: list[Any] = list(record)
            for i, cache in enums:
                v = evals[i]
                hit = cache.get(v)
                evals[i] = hit[0] if hit is not None else sp.show(i, v)[0]
            tpl = sp.etpls.get(depth)
            if tpl is None:
                tpl = sp.etpls[depth] = "\n".join(
                    x.replace("%", "%%") + ("%s" if f[4] is not None else "%d")
                    for x, f in zip(sp.labels_at(depth + 1), sp.fields, strict=True)
                )
            out.append(tpl % tuple(evals))
            return
        # enum and bytes fields as %s from their show, the rest as %d: one template per depth
        vals: list[Any] = []
        for i, f in enumerate(sp.fields):
            v = record[f[3]]
            cls = f[4]
            if cls is not None and type(v) is int:
                hit = f[5].get(v)
                vals.append(hit[0] if hit is not None else sp.show(i, v)[0])
            elif type(v) is int:
                vals.append(v)
            else:
                vals.append(sp.show(i, v)[0])
        out.append(sp.mixed_tpl(depth + 1, vals) % tuple(vals))

    def _array_text(self, sp: _Spec, v: tuple[int, ...], depth: int, out: list[str]) -> None:
        """A packed array attribute: its line, then one line per element."""
        kind: Any = sp.kind
        ind = _IND[depth]
        show = kind.show(v)
        out.append(ind + sp.label + show if show != sp.name else ind + sp.plain)
        item = kind.item
        n = len(v)
        if n:
            if item.enum is None:
                out.append(self._atpl(depth + 1, n, kind) % tuple(v))
            else:
                labels = self._alabels(depth + 1, n, kind)
                out.extend(map(add, labels, (show_enum(item.enum, x) for x in v)))

    def _scalar_text(self, sp: _Spec, mode: int, v: Any, ind: str, out: list[str]) -> None:
        """A binary, string, address or flag attribute's line."""
        if type(v) is bytes:
            show = v.hex(" ") if v else "(empty)"
        elif mode == _M_IP:
            show = self.ip_str(v)
        else:
            show = str(v)
        out.append(ind + sp.label + show if show != sp.name else ind + sp.plain)

    def _struct_attr_text(self, sp: _Spec, v: Any, buf: bytes, s: int, e: int, depth: int, out: list[str]) -> None:
        kind: Any = sp.kind
        fixed = kind.fixed
        show = kind.show(v) if len(v) <= 4 else fixed.name
        ind = _IND[depth]
        self.struct_text(fixed, v, depth, out, ind + sp.label + show if show != sp.name else ind + sp.plain)
        if e - s > fixed.size:
            ext = _ext_node(fixed, buf, s, e)
            _node_lines(ext, depth + 1, out.append, self.style)

    # ------------------------------------------------------------------ text, straight from bytes

    def _wentry(self, aset: AttrSet, t: int, depth: int) -> _WalkEntry:
        """The text walk's table entry of one attribute type at ``depth``: an all-integer
        struct of more than 4 fields (whose show is the struct name) gets its own mode."""
        sp = self.spec(aset, t)
        ind = _IND[depth]
        kind: Any = sp.kind
        if sp.mode == _M_STRUCT:
            fixed = kind.fixed
            plan = self.struct_plan(fixed)
            if fixed.struct is not None and plan.simple and len(plan.fields) > 4:
                line = ind + sp.label + fixed.name if fixed.name != sp.name else ind + sp.plain
                # header line, then the fields' lines from one unpack (the lines struct_text writes)
                return (_M_FSTRUCT, fixed.size + 4, fixed.struct.unpack_from, line, plan.text_tpl(depth + 1), sp)
        return (sp.mode, sp.size + 4, sp.unpack, ind + sp.label, sp.cache, sp)

    def _wtab_entry(self, aset: AttrSet, t: int, depth: int) -> _WalkEntry:
        """The walk table entry of ``t`` in ``aset`` at ``depth`` (-1: the JSON walk's)."""
        tkey = (aset, depth)
        tab = self._wtab.get(tkey)
        if tab is None:
            tab = self._wtab[tkey] = {}
        w = tab.get(t)
        if w is None:
            w = tab[t] = self._wentry_json(aset, t) if depth < 0 else self._wentry(aset, t, depth)
        return w

    def walk_text(
        self,
        aset: AttrSet,
        buf: bytes,
        start: int,
        end: int,
        header: Any,
        depth: int,
        out: list[str],
        owner: Attrs | None = None,
    ) -> int:
        """The lines of the attributes in ``buf[start:end]``, decoded and written in one pass
        (no :class:`Attrs` objects); returns how many there are. ``owner``: the same
        attributes decoded strictly, whose values are then used; without it, an area with a
        kind that needs its siblings is decoded strictly when met (that area alone). Raises
        :class:`Unwalkable` when the bytes would not decode strictly: the caller then takes
        the node path."""
        return self._walk_text(aset, buf, start, end, header, depth, out, 0, owner)

    def _walk_text(
        self,
        aset: AttrSet,
        buf: bytes,
        start: int,
        end: int,
        header: Any,
        depth: int,
        out: list[str],
        level: int,
        owner: Attrs | None,
    ) -> int:
        if level > MAX_DEPTH:
            raise Unwalkable
        values = owner._values if owner is not None else None
        mark = len(out)
        tkey = (aset, depth)
        tab = self._wtab.get(tkey)
        if tab is None:
            tab = self._wtab[tkey] = {}
        ind = _IND[depth]
        app = out.append
        off = start
        last = end - 4
        mask = NLA_TYPE_MASK
        count = 0
        while off <= last:
            ln, t = _NLA(buf, off)
            nxt = off + ln
            if ln < 4 or nxt > end:
                raise Unwalkable
            t &= mask
            s = off + 4
            off += (ln + 3) & ~3
            count += 1
            w = tab.get(t)
            if w is None:
                w = tab[t] = self._wentry(aset, t, depth)
            mode, size, unpack, lab, cache, sp = w
            if mode == _M_INT:
                if ln != size:
                    raise Unwalkable
                app(lab + int.__repr__(unpack(buf, s)[0]))
                continue
            if mode == _M_ENUM:
                if ln != size:
                    raise Unwalkable
                v = unpack(buf, s)[0]
                hit = cache.get(v)
                app(lab + (hit[0] if hit is not None else sp.enum_show(v)[0]))
                continue
            if mode == _M_FSTRUCT:
                if ln < size:
                    raise Unwalkable
                app(lab)
                app(cache % unpack(buf, s))
                if ln > size:
                    _node_lines(_ext_node(sp.kind.fixed, buf, s, nxt), depth + 1, app, self.style)  # type: ignore[attr-defined]
                continue
            kind: Any = sp.kind
            if mode in (_M_NEST, _M_PICK, _M_OTHER):
                v = values[count - 1] if values is not None else None
                inner = kind.attr_set if mode == _M_NEST else _inner_set(mode, kind, header, v)
                if inner is None:  # not a nest: the value's node (needs the decoded value)
                    if v is None:
                        if owner is not None:
                            raise Unwalkable
                        # a kind that needs its siblings: this area decoded strictly (not the
                        # whole message), then walked again with its values at hand
                        del out[mark:]
                        decoded = _strict_area(aset, buf, start, end, header)
                        return self._walk_text(aset, buf, start, end, header, depth, out, level, decoded)
                    node = json.loads(self.value_json(sp.name, kind, v, buf, s - 4, ln, owner))
                    _node_lines(node, depth, app, self.style)
                    continue
                at = len(out)
                app("")
                n = self._walk_text(inner, buf, s, nxt, header, depth + 1, out, level + 1, v)
                out[at] = f"{ind}{sp.label}{counted(n, 'attribute')}"
                continue
            try:
                v = kind.decode(buf, s, nxt, None)
            except Exception:
                raise Unwalkable from None
            if mode == _M_REPR:
                show = sp.show(v)
                app(ind + sp.label + show if show != sp.name else ind + sp.plain)
            elif mode == _M_STRUCT:
                self._struct_attr_text(sp, v, buf, s, nxt, depth, out)
            elif mode == _M_ARRAY:
                self._array_text(sp, v, depth, out)
            else:
                self._scalar_text(sp, mode, v, ind, out)
        if off < end:
            raise Unwalkable
        return count

    def _wentry_json(self, aset: AttrSet, t: int) -> _WalkEntry:
        """The JSON walk's table entry of one attribute type (see :meth:`_wentry`); the label
        slot holds the node's tail after the offset, or for an integer struct its head."""
        sp = self.spec(aset, t)
        kind: Any = sp.kind
        if sp.mode == _M_STRUCT:
            fixed = kind.fixed
            plan = self.struct_plan(fixed)
            if fixed.struct is not None and plan.simple and len(plan.fields) > 4:
                head = f'{sp.jhead}null,"show":{_jstr(fixed.name)},"offset":'
                return (_M_FSTRUCT, fixed.size + 4, fixed.struct.unpack_from, head, (plan.jtpl, plan.rels), sp)
        return (sp.mode, sp.size + 4, sp.unpack, sp.jtail, sp.cache, sp)

    def walk_json(self, aset: AttrSet, buf: bytes, start: int, end: int, header: Any) -> str:
        """The JSON nodes of the attributes in ``buf[start:end]``, decoded and written in one
        pass (see :meth:`walk_text`); raises :class:`Unwalkable` likewise."""
        return self._walk_json(aset, buf, start, end, header, 0)[0]

    def _walk_json(self, aset: AttrSet, buf: bytes, start: int, end: int, header: Any, level: int) -> tuple[str, int]:
        if level > MAX_DEPTH:
            raise Unwalkable
        tab = self._wtab.get((aset, -1))
        if tab is None:
            tab = self._wtab[(aset, -1)] = {}
        parts: list[str] = []
        app = parts.append
        off = start
        last = end - 4
        mask = NLA_TYPE_MASK
        while off <= last:
            ln, t = _NLA(buf, off)
            nxt = off + ln
            if ln < 4 or nxt > end:
                raise Unwalkable
            t &= mask
            s = off + 4
            o = off
            off += (ln + 3) & ~3
            w = tab.get(t)
            if w is None:
                w = tab[t] = self._wentry_json(aset, t)
            mode, size, unpack, jtail, cache, sp = w
            if mode == _M_FSTRUCT:
                if ln < size:
                    raise Unwalkable
                vals = unpack(buf, s)
                ch = cache[0] % tuple(chain.from_iterable(zip(vals, vals, [s + r for r in cache[1]], strict=True)))
                if ln > size:
                    ch += "," + _DUMPS(_ext_node(sp.kind.fixed, buf, s, nxt))  # type: ignore[attr-defined]
                app(f'{jtail}{o},"length":{ln},"children":[{ch}],"problems":[]}}')
                continue
            if mode == _M_INT:
                if ln != size:
                    raise Unwalkable
                sv = int.__repr__(unpack(buf, s)[0])
                app(f'{sp.jhead}{sv},"show":"{sv}","offset":{o}{jtail}')
                continue
            if mode == _M_ENUM:
                if ln != size:
                    raise Unwalkable
                v = unpack(buf, s)[0]
                hit = cache.get(v)
                app(f'{sp.jhead}{v},"show":{hit[1] if hit is not None else sp.enum_show(v)[1]},"offset":{o}{jtail}')
                continue
            kind: Any = sp.kind
            if mode == _M_PICK:
                kind = kind.for_header(header)
                if kind.render != "nest":
                    mode = _M_OTHER
            if mode == _M_OTHER:
                # a kind that needs its siblings or its decoded value: this area decoded
                # strictly (not the whole message), its nodes written from the values
                attrs = _strict_area(aset, buf, start, end, header)
                return self.attrs_json(attrs), len(attrs)
            if mode in (_M_NEST, _M_PICK):
                ch, n = self._walk_json(kind.attr_set, buf, s, nxt, header, level + 1)
                app(
                    f'{sp.jhead}null,"show":"{counted(n, "attribute")}","offset":{o},"length":{ln},'
                    f'"children":[{ch}],"problems":[]}}'
                )
                continue
            try:
                v = kind.decode(buf, s, nxt, None)
            except Exception:
                raise Unwalkable from None
            app(self._jnode(sp, mode, v, buf, s, nxt, None))
        if off < end:
            raise Unwalkable
        return ",".join(parts), len(parts)

    # ------------------------------------------------------------------ summary

    def info_show(self, sp: _Spec, v: Any) -> str | None:
        """The node ``show`` of a simple scalar value of ``sp``'s type, None when the node path must decide."""
        mode = sp.mode
        if mode == _M_IP and type(v) is not bytes:
            return self.ip_str(v)
        if mode == _M_INT:
            return str(v)
        if mode == _M_ENUM:
            return sp.enum_show(v)[0]
        if mode == _M_REPR:
            return sp.show(v)
        if mode in (_M_STR, _M_IP, _M_BIN, _M_FLAG):
            return (v.hex(" ") if v else "(empty)") if type(v) is bytes else str(v)
        return None



def _strict_area(aset: AttrSet, buf: bytes, start: int, end: int, header: Any) -> Attrs:
    """The strict decode of one area (:class:`Unwalkable` when it does not decode)."""
    try:
        return Attrs.from_bytes(aset, buf, start, end, header=header, path="msg.attrs", eager=True)
    except Exception:
        raise Unwalkable from None


def _inner_set(mode: int, kind: Any, header: Any, value: Any) -> AttrSet | None:
    """The attribute set inside a nest (``_M_NEST``), a nest a header field chooses
    (``_M_PICK``) or a nest a sibling chose (``_M_OTHER``, seen in its decoded ``value``);
    None when the attribute is not a nest."""
    if mode == _M_NEST:
        inner: AttrSet = kind.attr_set
        return inner
    if mode == _M_PICK:
        kind = kind.for_header(header)
        return kind.attr_set if kind.render == "nest" else None
    return value.attr_set if isinstance(value, Attrs) else None


InfoRank = dict[int, int]
_INFO_RANKS: dict[AttrSet, tuple[tuple[str, ...], InfoRank]] = {}


def info_ranks(aset: AttrSet, names: tuple[str, ...]) -> InfoRank:
    """type → preference rank of the attributes of ``aset`` named in ``names`` (derived by name)."""
    hit = _INFO_RANKS.get(aset)
    if hit is not None and hit[0] is names:
        return hit[1]
    r: InfoRank = {}
    for member in aset.enum:
        n = aset.name_of(int(member), "kernel")
        if n in names:
            r.setdefault(int(member), names.index(n))
    _INFO_RANKS[aset] = (names, r)
    return r
