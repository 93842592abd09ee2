"""The fast output path: text-tree lines and JSON fragments written straight from
decoded attributes, without building node dicts first.

Everything here is *derived* from the schemas, once per attribute set / fixed
struct / kind and cached on side tables keyed by those objects: for each
(attribute set, type) the kernel name, its JSON prefix and text label, and how
its kind renders (enum ``show`` tables for integer kinds, direct formatting for
strings, addresses and bytes); for each fixed struct its field layout with
per-depth labels and JSON prefixes. Nothing is keyed by capture bytes.

The output is, byte for byte, what :mod:`dissect.netlink.render` prints for the
node tree :mod:`dissect.netlink.tree` builds for the same message (a test holds
the two paths equal on every bundled capture and on mutated copies). Whatever
this module does not render itself -- malformed values, rare kinds -- it
renders through that node path, so the two can never disagree on meaning.

Callers give this module only messages that decoded strictly (every value at
every depth decoded without a :class:`~nlwire.errors.DecodeError`); anything
else goes through the node path whole.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import struct
from itertools import chain
from json.encoder import encode_basestring as _jstr
from operator import add
from typing import Any

from dissect.netlink.render import Style, _node_lines
from dissect.netlink.tree import Node, _attr_node, _layout
from nlwire.consts import NLA_TYPE_MASK
from nlwire.wire.attrs import Attrs, AttrSet, Binary, Kind
from nlwire.wire.compound import ArrayKind, BitfieldKind, ByHeader, Nested, StructKind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nla import MAX_DEPTH, counted
from nlwire.wire.scalars import Flag, HwAddr, Int, IPAddr, RawString, String, VarUint, show_enum

__all__ = ["Emitter", "Unwalkable", "jdump", "jvalue"]


class Unwalkable(Exception):
    """The one-pass walk cannot write these attributes: use the decoded or the node path."""


_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
_IPS = (ipaddress.IPv4Address, ipaddress.IPv6Address)


def jdump(obj: Any) -> str:
    """The JSON text ``json_line`` writes for ``obj`` (same encoder settings)."""
    return _DUMPS(obj)


def jvalue(v: Any) -> str:
    """JSON of one value, fast for the common types."""
    t = type(v)
    if t is int:
        return int.__repr__(v)
    if t is str:
        return _jstr(v)
    if v is None:
        return "null"
    return _DUMPS(v)


# mode of an attribute type: how its decoded value renders
_M_INT = 0  # Int without enum: show = str(v)
_M_ENUM = 1  # Int with an enum/flag class: show from a table
_M_REPR = 2  # String / RawString: show = repr(v)[1:-1]
_M_STR = 3  # HwAddr (str value), VarUint (int): show = str(v)
_M_IP = 4  # IPAddr: address object (or bytes for odd lengths)
_M_BIN = 5  # Binary / unknown type: bytes
_M_FLAG = 6
_M_NEST = 7
_M_STRUCT = 8
_M_ARRAY = 9
_M_OTHER = 10  # anything else: the kind's own show/to_json, or the node path
_M_FSTRUCT = 11  # (walk tables only) a struct of integers only, more than 4 fields

_SHOW_CACHE_MAX = 4096
_INT_CODES = frozenset("bBhHiIlLqQnN")
_NLA = struct.Struct("=HH").unpack_from


class _Spec:
    """How one (attribute set, type) renders, for one text style."""

    __slots__ = ("cache", "enum", "jhead", "jtail", "kind", "label", "mode", "name", "owner", "plain", "size", "unpack")

    def __init__(self, aset: AttrSet, t: int, pre: str, post: str) -> None:
        kind = aset.kind(t)
        self.kind: Kind = kind
        self.name = aset.name_of(t, "kernel")
        self.owner = aset
        self.plain = f"{pre}{self.name}{post}"
        self.label = self.plain + ": "
        self.jhead = '{"name":' + _jstr(self.name) + ',"value":'
        self.enum: Any = None
        self.cache: dict[Any, tuple[str, str]] = {}
        tk = type(kind)
        self.jtail = ""
        self.unpack: Any = None
        self.size = -1
        if tk is Int:
            self.unpack = kind.unpack_from  # type: ignore[attr-defined]
            self.size = kind.size  # type: ignore[attr-defined]
            self.enum = kind.enum  # type: ignore[attr-defined]
            # an Int value decodes only from exactly ``size`` bytes: nla_len is size + 4
            self.jtail = f',"length":{kind.size + 4},"children":[],"problems":[]}}'  # type: ignore[attr-defined]
            self.mode = _M_ENUM if self.enum is not None else _M_INT
        elif tk is String or tk is RawString:
            self.mode = _M_REPR
        elif tk is HwAddr or tk is VarUint:
            self.mode = _M_STR
        elif tk is IPAddr:
            self.mode = _M_IP
        elif tk is Binary:
            self.mode = _M_BIN
        elif tk is Flag:
            self.mode = _M_FLAG
        elif tk is Nested:
            self.mode = _M_NEST
        elif tk is StructKind or tk is BitfieldKind:
            self.mode = _M_STRUCT
        elif tk is ArrayKind:
            self.mode = _M_ARRAY
        else:
            self.mode = _M_OTHER

    def enum_show(self, v: int) -> tuple[str, str]:
        hit = self.cache.get(v)
        if hit is None:
            s = show_enum(self.enum, v)
            hit = (s, _jstr(s))
            if len(self.cache) < _SHOW_CACHE_MAX:
                self.cache[v] = hit
        return hit


class _StructPlan:
    """A fixed struct's fields with their labels and JSON prefixes, for one text style."""

    __slots__ = (
        "_pp",
        "ejtpl",
        "enum_fields",
        "etpls",
        "fields",
        "fixed",
        "jpre",
        "jsuf",
        "jtpl",
        "labels",
        "mixed",
        "name",
        "plain",
        "rels",
        "simple",
        "tpls",
    )

    def __init__(self, fixed: FixedStruct, pre: str, post: str) -> None:
        self.fixed = fixed
        self.name = fixed.name
        self.plain = f"{pre}{fixed.name}{post}"
        enums = getattr(fixed, "enums", None) or {}
        lay = _layout(fixed)
        fields: list[tuple[str, int, int, int, Any, dict[Any, tuple[str, str]]]] = []
        simple = [idx for idx in range(len(lay))] == [x[3] for x in lay]
        for fname, rel, size, idx in lay:
            cls = enums.get(fname)
            if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
                cls = None
            else:
                simple = False
            fields.append((fname, rel, size, idx, cls, {}))
        for fmt in fixed.formats:
            if fmt[-1] not in _INT_CODES:
                simple = False
        self.simple = simple
        self.fields = fields
        # all fields integers in record order, some with an enum: (index, show cache) of those
        ints = [idx for idx in range(len(lay))] == [x[3] for x in lay] and all(
            fmt[-1] in _INT_CODES for fmt in fixed.formats
        )
        self.enum_fields: list[tuple[int, dict[Any, tuple[str, str]]]] | None = (
            [(f[3], f[5]) for f in fields if f[4] is not None] if ints and not simple else None
        )
        self.etpls: dict[int, str] = {}
        self.labels: dict[int, list[str]] = {}
        self.jpre = ['{"name":' + _jstr(f[0]) + ',"value":' for f in fields]
        self.jsuf = [f',"length":{f[2]},"children":[],"problems":[]}}' for f in fields]
        self._pp = (pre, post)
        self.rels = [f[1] for f in fields]
        self.tpls: dict[int, str] = {}
        self.mixed: dict[tuple[int, tuple[bool, ...]], str] = {}
        # all-integer structs: one %-template for the field lines / the field nodes
        self.jtpl = ",".join(
            f'{jp.replace("%", "%%")}%d,"show":"%d","offset":%d{js}'
            for jp, js in zip(self.jpre, self.jsuf, strict=True)
        )
        self.ejtpl = ",".join(
            f'{jp.replace("%", "%%")}%d,"show":{"%s" if f[4] is not None else chr(34) + "%d" + chr(34)},"offset":%d{js}'
            for jp, js, f in zip(self.jpre, self.jsuf, fields, strict=True)
        )

    def text_tpl(self, depth: int) -> str:
        tpl = self.tpls.get(depth)
        if tpl is None:
            tpl = self.tpls[depth] = "\n".join(x.replace("%", "%%") + "%d" for x in self.labels_at(depth))
        return tpl

    def labels_at(self, depth: int) -> list[str]:
        lab = self.labels.get(depth)
        if lab is None:
            pre, post = self._pp
            ind = "    " * depth
            lab = self.labels[depth] = [f"{ind}{pre}{f[0]}{post}: " for f in self.fields]
        return lab

    def mixed_tpl(self, depth: int, vals: list[Any]) -> str:
        """The field lines at ``depth`` as a template: ``%d`` for int values, ``%s`` for shows."""
        kinds = tuple(type(v) is int for v in vals)
        key = (depth, kinds)
        tpl = self.mixed.get(key)
        if tpl is None:
            tpl = "\n".join(
                x.replace("%", "%%") + ("%d" if k else "%s") for x, k in zip(self.labels_at(depth), kinds, strict=True)
            )
            if len(self.mixed) < 64:
                self.mixed[key] = tpl
        return tpl

    def show(self, i: int, v: Any) -> tuple[str, str]:
        """(show, JSON of show) of field ``i`` holding ``v``."""
        if type(v) is bytes:
            s = v.hex(" ") if v else "(empty)"
            return s, _jstr(s)
        f = self.fields[i]
        cls = f[4]
        if cls is None:
            s = str(v)
            return s, _jstr(s)
        cache = f[5]
        hit = cache.get(v)
        if hit is None:
            s = show_enum(cls, v)
            hit = (s, _jstr(s))
            if len(cache) < _SHOW_CACHE_MAX:
                cache[v] = hit
        return hit


_IND = ["    " * d for d in range(80)]


def _names_key(kind: ArrayKind) -> Any:
    """What an array's element names depend on (None: ``[0]``, ``[1]``... for every array)."""
    return None if kind.index is None else (kind.index, kind.first)
_WalkEntry = tuple[int, int, Any, str, Any, _Spec]


class Emitter:
    """Text lines / JSON fragments for strictly decoded messages, in one style."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.pre = style.name
        self.post = style.reset
        self._specs: dict[AttrSet, dict[int, _Spec]] = {}
        self._structs: dict[FixedStruct, _StructPlan] = {}
        # per (depth or JSON, the kind's element names): labels and templates of packed arrays
        self._array_labels: dict[tuple[int, Any], list[str]] = {}
        self._array_jpre: dict[Any, list[str]] = {}
        self._array_tpl: dict[tuple[int, int, Any], str] = {}
        self._ip_str: dict[Any, str] = {}
        # per (attribute set, depth): type -> (mode, nla_len of an Int, unpack, indented label, enum cache, spec);
        # depth -1: the JSON walk's table (the label slot holds the node's tail)
        self._wtab: dict[tuple[AttrSet, int], dict[int, _WalkEntry]] = {}

    # ------------------------------------------------------------------ plans

    def plan(self, aset: AttrSet) -> dict[int, _Spec]:
        p = self._specs.get(aset)
        if p is None:
            p = self._specs[aset] = {}
        return p

    def spec(self, aset: AttrSet, t: int) -> _Spec:
        p = self.plan(aset)
        sp = p.get(t)
        if sp is None:
            sp = p[t] = _Spec(aset, t, self.pre, self.post)
        return sp

    def struct_plan(self, fixed: FixedStruct) -> _StructPlan:
        sp = self._structs.get(fixed)
        if sp is None:
            sp = self._structs[fixed] = _StructPlan(fixed, self.pre, self.post)
        return sp

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

    def _ajtpl(self, n: int, size: int, kind: ArrayKind) -> str:
        """The nodes of an n-item integer array, as a %-template (value, show, offset per item)."""
        key = (-size, n, _names_key(kind))
        tpl = self._array_tpl.get(key)
        if tpl is None:
            tpl = ",".join(
                f'{p}%d,"show":"%d","offset":%d,"length":{size},"children":[],"problems":[]}}'
                for p in self._ajpre(n, kind)[:n]
            )
            if len(self._array_tpl) < 1024:
                self._array_tpl[key] = tpl
        return tpl

    def _ajpre(self, n: int, kind: ArrayKind) -> list[str]:
        """The start of each of an array's first ``n`` element nodes in JSON, up to its value."""
        key = _names_key(kind)
        jp = self._array_jpre.get(key)
        if jp is None:
            jp = self._array_jpre[key] = []
        if len(jp) < n:
            name = kind.entry_name
            jp.extend(f'{{"name":{_jstr(name(i))},"value":' for i in range(len(jp), max(n, 2 * len(jp), 64)))
        return jp

    def ip_str(self, addr: Any) -> str:
        """``str()`` of an address object, from a bounded table (IPv6 formatting is slow)."""
        table = self._ip_str
        text = table.get(addr)
        if text is None:
            text = str(addr)
            if len(table) >= _SHOW_CACHE_MAX:
                table.clear()
            table[addr] = text
        return text

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

    def attrs_text(self, attrs: Attrs, depth: int, out: list[str]) -> None:
        """The lines of every attribute of ``attrs`` (strictly decoded) at ``depth``."""
        aset = attrs.attr_set
        plan = self._specs.get(aset)
        if plan is None:
            plan = self.plan(aset)
        ind = _IND[depth]
        app = out.append
        values = attrs._values
        for (t, _f, s, e), v in zip(attrs._items, values, strict=True):
            sp = plan.get(t)
            if sp is None:
                sp = self.spec(aset, t)
            mode = sp.mode
            if mode == _M_INT:
                app(f"{ind}{sp.label}{v}")
            elif mode == _M_ENUM:
                app(ind + sp.label + sp.enum_show(v)[0])
            elif mode == _M_REPR:
                show = repr(v)[1:-1] if isinstance(v, str) else str(v)
                app(ind + sp.label + show if show != sp.name else ind + sp.plain)
            elif mode == _M_NEST and isinstance(v, Attrs):
                app(f"{ind}{sp.label}{counted(len(v), 'attribute')}")
                self.attrs_text(v, depth + 1, out)
            elif mode == _M_STRUCT and isinstance(v, tuple):
                self._struct_attr_text(sp, v, attrs._buf, s, e, depth, out)
            elif mode == _M_ARRAY and type(v) is tuple:
                self._array_text(sp, v, depth, out)
            elif mode in (_M_BIN, _M_STR, _M_IP, _M_FLAG):
                self._scalar_text(sp, mode, v, ind, out)
            else:
                self._other_text(sp, v, attrs, s, e, depth, out)

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

    def _other_text(self, sp: _Spec, v: Any, attrs: Attrs, s: int, e: int, depth: int, out: list[str]) -> None:
        if isinstance(v, Attrs):
            out.append(f"{_IND[depth]}{sp.label}{counted(len(v), 'attribute')}")
            self.attrs_text(v, depth + 1, out)
            return
        node = _attr_node(sp.name, sp.kind, v, attrs._buf, s - 4, e - s + 4, attrs)
        _node_lines(node, depth, out.append, self.style)

    # ------------------------------------------------------------------ text, straight from bytes

    def _wentry(self, aset: AttrSet, t: int, depth: int) -> _WalkEntry:
        """The text walk's table entry of one attribute type at ``depth``: an all-integer
        struct of more than 4 fields (whose show is the struct name) gets its own mode."""
        sp = self.spec(aset, t)
        ind = _IND[depth]
        kind: Any = sp.kind
        if sp.mode == _M_STRUCT and type(kind) is StructKind:
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
        self, aset: AttrSet, buf: bytes, start: int, end: int, header: Any, depth: int, out: list[str]
    ) -> int:
        """The lines of the attributes in ``buf[start:end]``, decoded and written in one pass
        (no :class:`Attrs` objects); returns how many there are. Raises :class:`Unwalkable`
        when the bytes would not decode strictly or a kind needs its siblings: the caller
        then takes the decoded path (:meth:`attrs_text`) or the node path."""
        return self._walk_text(aset, buf, start, end, header, depth, out, 0)

    def _walk_text(
        self, aset: AttrSet, buf: bytes, start: int, end: int, header: Any, depth: int, out: list[str], level: int
    ) -> int:
        if level > MAX_DEPTH:
            raise Unwalkable
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
            if mode == _M_NEST or (mode == _M_OTHER and type(kind) is ByHeader):
                if mode == _M_OTHER:
                    kind = kind.choices.get(
                        getattr(header, kind.field, None) if header is not None else None, kind.default
                    )
                    if type(kind) is not Nested:
                        raise Unwalkable
                at = len(out)
                app("")
                n = self._walk_text(kind.attr_set, buf, s, nxt, header, depth + 1, out, level + 1)
                out[at] = f"{ind}{sp.label}{counted(n, 'attribute')}"
                continue
            if mode == _M_OTHER:
                raise Unwalkable
            try:
                v = kind.decode(buf, s, nxt, None)
            except Exception:
                raise Unwalkable from None
            if mode == _M_REPR:
                show = repr(v)[1:-1] if isinstance(v, str) else str(v)
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

    # ------------------------------------------------------------------ JSON

    def struct_json(self, fixed: FixedStruct, record: Any, offset: int) -> str:
        """The JSON of a struct node's children (without brackets)."""
        sp = self.struct_plan(fixed)
        if sp.simple:
            return sp.jtpl % tuple(chain.from_iterable(zip(record, record, [offset + r for r in sp.rels], strict=True)))
        enums = sp.enum_fields
        if enums is not None:
            # integer fields, some with enum shows: one template, the shows' JSON in their slots
            args = list(chain.from_iterable(zip(record, record, [offset + r for r in sp.rels], strict=True)))
            for i, cache in enums:
                v = record[i]
                hit = cache.get(v)
                args[3 * i + 1] = hit[1] if hit is not None else sp.show(i, v)[1]
            return sp.ejtpl % tuple(args)
        jpre = sp.jpre
        jsuf = sp.jsuf
        parts = []
        show = sp.show
        for i, f in enumerate(sp.fields):
            v = record[f[3]]
            if type(v) is int and f[4] is None:
                parts.append(f'{jpre[i]}{v},"show":"{v}","offset":{offset + f[1]}{jsuf[i]}')
            else:
                jv = _jstr(v.hex()) if type(v) is bytes else jvalue(v)
                parts.append(f'{jpre[i]}{jv},"show":{show(i, v)[1]},"offset":{offset + f[1]}{jsuf[i]}')
        return ",".join(parts)

    def _jnode(self, sp: _Spec, mode: int, v: Any, buf: bytes, s: int, e: int, owner: Attrs | None) -> str:
        """The JSON node of one attribute value that is not an integer or a nest."""
        o = s - 4
        ln = e - o
        if mode in (_M_REPR, _M_STR):
            if type(v) is int:
                return f'{sp.jhead}{v},"show":"{v}","offset":{o},"length":{ln},"children":[],"problems":[]}}'
            show = repr(v)[1:-1] if mode == _M_REPR and isinstance(v, str) else str(v)
            return (
                f'{sp.jhead}{jvalue(v)},"show":{_jstr(show)},"offset":{o},"length":{ln},"children":[],"problems":[]}}'
            )
        if mode == _M_STRUCT and isinstance(v, tuple):
            kind: Any = sp.kind
            fixed = kind.fixed
            show = kind.show(v) if len(v) <= 4 else fixed.name
            children = self.struct_json(fixed, v, s)
            if e - s > fixed.size:
                children += "," + _DUMPS(_ext_node(fixed, buf, s, e))
            return (
                f'{sp.jhead}null,"show":{_jstr(show)},"offset":{o},"length":{ln},'
                f'"children":[{children}],"problems":[]}}'
            )
        if mode == _M_ARRAY and type(v) is tuple:
            kind = sp.kind
            item = kind.item
            size = item.size
            n = len(v)
            if item.enum is None:
                ch = self._ajtpl(n, size, kind) % tuple(
                    chain.from_iterable(zip(v, v, range(s, s + n * size, size), strict=True))
                )
            else:
                jp = self._ajpre(n, kind)
                ch = ",".join(
                    [
                        f'{p}{x},"show":{_jstr(show_enum(item.enum, x))},"offset":{off},"length":{size},'
                        '"children":[],"problems":[]}'
                        for p, x, off in zip(jp, v, range(s, s + n * size, size), strict=False)
                    ]
                )
            return (
                f'{sp.jhead}null,"show":{_jstr(kind.show(v))},"offset":{o},"length":{ln},'
                f'"children":[{ch}],"problems":[]}}'
            )
        if mode in (_M_BIN, _M_IP) and (type(v) is bytes or isinstance(v, _IPS)):
            if type(v) is bytes:
                jv = _jstr(v.hex())
                show = v.hex(" ") if v else "(empty)"
            else:
                show = self.ip_str(v)
                jv = _jstr(show)
            return f'{sp.jhead}{jv},"show":{_jstr(show)},"offset":{o},"length":{ln},"children":[],"problems":[]}}'
        if mode == _M_FLAG and v is True:
            return f'{sp.jhead}true,"show":"True","offset":{o},"length":{ln},"children":[],"problems":[]}}'
        if owner is None:
            raise Unwalkable
        return _DUMPS(_attr_node(sp.name, sp.kind, v, buf, o, ln, owner))

    def _wentry_json(self, aset: AttrSet, t: int) -> _WalkEntry:
        """The JSON walk's table entry of one attribute type (see :meth:`_wentry`); the label
        slot holds the node's tail after the offset, or for an integer struct its head."""
        sp = self.spec(aset, t)
        kind: Any = sp.kind
        if sp.mode == _M_STRUCT and type(kind) is StructKind:
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
            if mode == _M_NEST or (mode == _M_OTHER and type(kind) is ByHeader):
                if mode == _M_OTHER:
                    key = getattr(header, kind.field, None) if header is not None else None
                    kind = kind.choices.get(key, kind.default)
                    if type(kind) is not Nested:
                        raise Unwalkable
                ch, n = self._walk_json(kind.attr_set, buf, s, nxt, header, level + 1)
                app(
                    f'{sp.jhead}null,"show":"{counted(n, "attribute")}","offset":{o},"length":{ln},'
                    f'"children":[{ch}],"problems":[]}}'
                )
                continue
            if mode == _M_OTHER:
                raise Unwalkable
            try:
                v = kind.decode(buf, s, nxt, None)
            except Exception:
                raise Unwalkable from None
            app(self._jnode(sp, mode, v, buf, s, nxt, None))
        if off < end:
            raise Unwalkable
        return ",".join(parts), len(parts)

    def attrs_json(self, attrs: Attrs) -> str:
        """The JSON nodes of every attribute of ``attrs`` (strictly decoded), comma-joined."""
        aset = attrs.attr_set
        plan = self._specs.get(aset)
        if plan is None:
            plan = self.plan(aset)
        parts: list[str] = []
        app = parts.append
        for (t, _f, s, e), v in zip(attrs._items, attrs._values, strict=True):
            sp = plan.get(t)
            if sp is None:
                sp = self.spec(aset, t)
            mode = sp.mode
            o = s - 4
            ln = e - o
            if mode == _M_INT:
                sv = str(v)
                app(f'{sp.jhead}{sv},"show":"{sv}","offset":{o}{sp.jtail}')
            elif mode == _M_ENUM:
                app(
                    f'{sp.jhead}{v},"show":{sp.enum_show(v)[1]},"offset":{o},"length":{ln},"children":[],"problems":[]}}'
                )
            elif isinstance(v, Attrs):
                app(
                    f'{sp.jhead}null,"show":"{counted(len(v), "attribute")}","offset":{o},"length":{ln},'
                    f'"children":[{self.attrs_json(v)}],"problems":[]}}'
                )
            else:
                app(self._jnode(sp, mode, v, attrs._buf, s, e, attrs))
        return ",".join(parts)

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
            return repr(v)[1:-1] if isinstance(v, str) else str(v)
        if mode in (_M_STR, _M_IP, _M_BIN, _M_FLAG):
            return (v.hex(" ") if v else "(empty)") if type(v) is bytes else str(v)
        return None


def _ext_node(fixed: FixedStruct, buf: bytes, s: int, e: int) -> Node:
    return {
        "name": "extension",
        "value": buf[s + fixed.size : e].hex(),
        "show": f"{e - s - fixed.size} bytes past {fixed.name}",
        "offset": s + fixed.size,
        "length": e - s - fixed.size,
        "children": [],
        "problems": [],
    }


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
