"""The dissector's nodes, described once.

A node is ``{"name", "value", "show", "offset", "length", "children", "problems"}``.
Everything a node says is derived here from the schemas, once per attribute set /
fixed struct / kind and cached on side tables keyed by those objects: for each
(attribute set, type) its kernel name, JSON prefix and text label and how its kind
renders (:attr:`Kind.render <nlwire.wire.attrs.Kind.render>`: enum ``show`` tables for
integer kinds, direct formatting for strings, addresses and bytes); for each fixed
struct its fields with their labels and JSON prefixes; the nodes of the nlmsghdr, the
message, an error code and an echoed request. Nothing is keyed by capture bytes.

:class:`Nodes` writes the JSON of a decoded value's node (:meth:`Nodes.value_json`,
:meth:`Nodes.attrs_json`); :mod:`dissect.netlink.tree` loads it, and the fast writers
(:mod:`dissect.netlink.emit`, :mod:`dissect.netlink.layouts`) write the same nodes, or
their text lines, from the same tables.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import json
import os
from collections.abc import Callable
from itertools import chain
from json.encoder import encode_basestring as _jstr
from typing import Any

from dissect.netlink.render import Node, Style
from nlwire.errors import DecodeError, errno_name
from nlwire.wire.attrs import Attrs, AttrSet, HeaderAndAttrs, Kind
from nlwire.wire.compound import ArrayKind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nla import counted, scan_attrs_tolerant
from nlwire.wire.scalars import show_enum

__all__ = [
    "ECHO_HOW",
    "HDR_FIELDS",
    "Nodes",
    "Unwalkable",
    "echo_head",
    "error_json",
    "error_text",
    "hdr_json",
    "hdr_labels",
    "jdump",
    "jvalue",
    "message_head",
    "struct_fields",
    "struct_head",
]

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


@functools.lru_cache(maxsize=1024)
def error_text(code: int) -> str:
    """The show of an nlmsgerr error code: ``0 (success: ACK)``, ``-19 ENODEV (No such device)``."""
    if code == 0:
        return "0 (success: ACK)"
    try:
        text = os.strerror(abs(code))
    except (ValueError, OverflowError):
        text = "unknown error"
    return f"{code} {errno_name(code)} ({text})"


_FIELDS: dict[int, list[tuple[str, int, int, int]]] = {}


def struct_fields(fixed: FixedStruct) -> list[tuple[str, int, int, int]]:
    """(kernel field name, offset in struct, size, index in record) of each named field,
    derived from the construct declaration."""
    lay = _FIELDS.get(id(fixed))
    if lay is None:
        lay = []
        pos = 0
        idx = 0
        for sub in fixed.construct.subcons:
            size = sub.sizeof()
            name = getattr(sub, "name", None)
            if name:
                lay.append((name, pos, size, idx))
                idx += 1
            pos += size
        _FIELDS[id(fixed)] = lay
    return lay


# ------------------------------------------------------------------ message-level nodes

HDR_FIELDS = (("len", 0, 4), ("type", 4, 2), ("flags", 6, 2), ("seq", 8, 4), ("pid", 12, 4))
"""struct nlmsghdr's fields: (name, offset, size)."""

_HDR_JSON = (
    '{"name":"nlmsghdr","value":null,"show":"nlmsghdr","offset":%d,"length":16,"children":['
    + ",".join(
        f'{{"name":"{n}","value":%s,"show":%s,"offset":%d,"length":{size},"children":[],"problems":[]}}'
        for n, _o, size in HDR_FIELDS
    )
    + '],"problems":[]}'
)


def hdr_json(off: int, ln: Any, mtype: Any, flags: Any, seq: Any, pid: Any, tshow: str, fshow: str) -> str:
    """The nlmsghdr node at ``off`` (``tshow``, ``fshow``: the type's and the flags' shows,
    as JSON strings; the values may be any text that stands for a number)."""
    return _HDR_JSON % (
        off, ln, f'"{ln}"', off, mtype, tshow, off + 4, flags, fshow, off + 6, seq, f'"{seq}"', off + 8,
        pid, f'"{pid}"', off + 12,
    )  # fmt: skip


def hdr_labels(style: Style, depth: int) -> tuple[str, ...]:
    """The text of an nlmsghdr node at ``depth``: its own line, then each field's label."""
    ind = "    " * depth
    p, q = style.name, style.reset
    return (f"{ind}{p}nlmsghdr{q}", *(f"{ind}    {p}{n}{q}: " for n, _o, _s in HDR_FIELDS))


def message_head(jname: str, mtype: int, off: int, ln: int) -> str:
    """A message node up to its children (``jname``: its name as a JSON string)."""
    return f'{{"name":{jname},"value":{mtype},"show":{jname},"offset":{off},"length":{ln},"children":['


def error_json(code: int, off: int) -> str:
    """The node of an nlmsgerr error code at ``off``."""
    return (
        f'{{"name":"error","value":{code},"show":{_jstr(error_text(code))},"offset":{off},'
        '"length":4,"children":[],"problems":[]}'
    )


def struct_head(fixed: FixedStruct, offset: int) -> str:
    """The node of a fixed struct at ``offset`` up to its fields' nodes."""
    name = _jstr(fixed.name)
    return f'{{"name":{name},"value":null,"show":{name},"offset":{offset},"length":{fixed.size},"children":['


ECHO_HOW = ("echoed request", "header only: NLM_F_CAPPED")
"""How an error echoes its request (index: NLM_F_CAPPED set), in the echo node's show."""


def echo_head(ename: str, capped: Any, ehdr: int, eln: int) -> str:
    """The node of an error's echoed request (``ename``: the request's name) up to its children."""
    return (
        f'{{"name":"msg","value":{_jstr(ename)},"show":{_jstr(f"{ename} ({ECHO_HOW[bool(capped)]})")},'
        f'"offset":{ehdr},"length":{eln},"children":['
    )


OnError = Callable[[str, Kind, DecodeError, bytes, int, int, "Attrs | None"], Node]
"""Makes the node of an attribute whose value did not decode (the tree's tolerant walk)."""


# mode of an attribute type: how its decoded value renders
_M_INT = 0  # Int without enum: show = str(v)
_M_ENUM = 1  # Int with an enum/flag class: show from a table
_M_REPR = 2  # String / RawString: the kind's show (repr(v)[1:-1]), the name alone when equal
_M_STR = 3  # HwAddr (str value), VarUint (int): show = str(v)
_M_IP = 4  # IPAddr: address object (or bytes for odd lengths)
_M_BIN = 5  # Binary / unknown type: bytes
_M_FLAG = 6
_M_NEST = 7
_M_STRUCT = 8
_M_ARRAY = 9
_M_OTHER = 10  # anything else: the kind's own show/to_json, or the node path
_M_FSTRUCT = 11  # (walk tables only) a struct of integers only, more than 4 fields
_M_PICK = 12  # a kind a field of the fixed header chooses (a nest, for the walks)

_MODES = {
    "int": _M_INT,
    "text": _M_REPR,
    "cstring": _M_REPR,
    "hwaddr": _M_STR,
    "varint": _M_STR,
    "ip": _M_IP,
    "bytes": _M_BIN,
    "flag": _M_FLAG,
    "nest": _M_NEST,
    "struct": _M_STRUCT,
    "array": _M_ARRAY,
    "by_header": _M_PICK,
}
"""The fast form of each :attr:`Kind.render <nlwire.wire.attrs.Kind.render>`."""

_SHOW_CACHE_MAX = 4096
_INT_CODES = frozenset("bBhHiIlLqQnN")
class _Spec:
    """How one (attribute set, type) renders, for one text style."""

    __slots__ = (
        "cache", "enum", "jhead", "jtail", "kind", "label", "mode", "name", "owner", "plain", "show", "size", "unpack",
    )  # fmt: skip

    def __init__(self, aset: AttrSet, t: int, pre: str, post: str) -> None:
        kind = aset.kind(t)
        self.kind: Kind = kind
        self.show = kind.show
        self.name = aset.name_of(t, "kernel")
        self.owner = aset
        self.plain = f"{pre}{self.name}{post}"
        self.label = self.plain + ": "
        self.jhead = '{"name":' + _jstr(self.name) + ',"value":'
        self.enum: Any = None
        self.cache: dict[Any, tuple[str, str]] = {}
        self.jtail = ""
        self.unpack: Any = None
        self.size = -1
        self.mode = _MODES.get(kind.render, _M_OTHER)
        if self.mode == _M_INT:
            self.unpack = kind.unpack_from  # type: ignore[attr-defined]
            self.size = kind.size  # type: ignore[attr-defined]
            self.enum = kind.enum  # type: ignore[attr-defined]
            # an Int value decodes only from exactly ``size`` bytes: nla_len is size + 4
            self.jtail = f',"length":{kind.size + 4},"children":[],"problems":[]}}'  # type: ignore[attr-defined]
            if self.enum is not None:
                self.mode = _M_ENUM

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
        lay = struct_fields(fixed)
        fields: list[tuple[str, int, int, int, Any, dict[Any, tuple[str, str]]]] = []
        simple = [idx for idx in range(len(lay))] == [x[3] for x in lay]
        shows = getattr(fixed, "shows", None) or {}
        for fname, rel, size, idx in lay:
            cls = enums.get(fname)
            if fname in shows:
                cls = shows[fname]  # the field's own show (FixedStruct.shows): a function
                simple = False
            elif not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
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
        f = self.fields[i]
        cls = f[4]
        if type(v) is bytes and (cls is None or isinstance(cls, type)):
            s = v.hex(" ") if v else "(empty)"
            return s, _jstr(s)
        if cls is None:
            s = str(v)
            return s, _jstr(s)
        cache = f[5]
        hit = cache.get(v)
        if hit is None:
            s = show_enum(cls, v) if isinstance(cls, type) else cls(v)
            hit = (s, _jstr(s))
            if len(cache) < _SHOW_CACHE_MAX:
                cache[v] = hit
        return hit


_IND = ["    " * d for d in range(80)]


def _names_key(kind: ArrayKind) -> Any:
    """What an array's element names depend on (None: ``[0]``, ``[1]``... for every array)."""
    return None if kind.index is None else (kind.index, kind.first)

class Nodes:
    """The JSON nodes of decoded values, in one text style (the labels :class:`_Spec` and
    :class:`_StructPlan` hold for the text writers are in that style).

    The JSON node of a value (:meth:`value_json`, with the fast forms of the common kinds
    in :meth:`attrs_json`) is the one description of the dissector's nodes:
    :mod:`dissect.netlink.tree` loads it for every value that decoded. ``on_error``: how
    a value that did not decode becomes a node (without it, only strictly decoded values
    are written)."""

    def __init__(self, style: Style, on_error: OnError | None = None) -> None:
        self.style = style
        self.on_error = on_error
        self.pre = style.name
        self.post = style.reset
        self._specs: dict[AttrSet, dict[int, _Spec]] = {}
        self._structs: dict[FixedStruct, _StructPlan] = {}
        # per (depth or JSON, the kind's element names): labels and templates of packed arrays
        self._array_labels: dict[tuple[int, Any], list[str]] = {}
        self._array_jpre: dict[Any, list[str]] = {}
        self._array_tpl: dict[tuple[int, int, Any], str] = {}
        self._ip_str: dict[Any, str] = {}

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
            show = sp.show(v) if mode == _M_REPR else str(v)
            return (
                f'{sp.jhead}{jvalue(v)},"show":{_jstr(show)},"offset":{o},"length":{ln},"children":[],"problems":[]}}'
            )
        if mode == _M_STRUCT and isinstance(v, tuple):
            return self._struct_value_json(sp.jhead, sp.kind, v, buf, s, e)
        if mode == _M_ARRAY and type(v) is tuple:
            kind: Any = sp.kind
            return (
                f'{sp.jhead}null,"show":{_jstr(kind.show(v))},"offset":{o},"length":{ln},'
                f'"children":[{self._array_items_json(kind, v, s)}],"problems":[]}}'
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
        return self.value_json(sp.name, sp.kind, v, buf, o, ln, owner)

    def value_json(self, name: str, kind: Kind, v: Any, buf: bytes, o: int, ln: int, owner: Attrs | None) -> str:
        """The JSON node named ``name`` of an attribute of ``kind`` holding ``v`` (``o``: its
        nlattr header, ``ln``: its nla_len), whatever the kind: containers, sibling-chosen
        kinds and kinds with their own show included (the forms above are the fast ones of
        the same nodes). A :class:`DecodeError` value becomes :attr:`on_error`'s node."""
        s = o + 4
        e = o + ln
        head = '{"name":' + _jstr(name) + ',"value":'
        pos = f',"offset":{o},"length":{ln},"children":['
        if isinstance(v, DecodeError):
            if self.on_error is None:
                raise Unwalkable
            return _DUMPS(self.on_error(name, kind, v, buf, o, ln, owner))
        if isinstance(v, Attrs):
            return f'{head}null,"show":"{counted(len(v), "attribute")}"{pos}{self.attrs_json(v)}],"problems":[]}}'
        k: Any = kind.resolve(owner)
        if isinstance(v, HeaderAndAttrs):
            fixed = k.fixed if k.render == "struct_attrs" else None
            children = [self.struct_node_json(fixed, v.header, s)] if fixed is not None else []
            if len(v.attrs):
                children.append(self.attrs_json(v.attrs))
            show = f"{fixed.name if fixed else 'header'} + {counted(len(v.attrs), 'attribute')}"
            return f'{head}null,"show":{_jstr(show)}{pos}{",".join(children)}],"problems":[]}}'
        if isinstance(v, tuple) and k.render == "struct":
            return self._struct_value_json(head, k, v, buf, s, e)
        if isinstance(v, (list, dict, tuple)):
            show = k.show(v) if not isinstance(v, dict) else counted(len(v), "entry")
            return f'{head}null,"show":{_jstr(show)}{pos}{self._items_json(k, v, buf, s, e)}],"problems":[]}}'
        try:
            show = kind.show(v)
            jv = kind.to_json(v)
        except Exception as exc:  # a kind that cannot render its own value: never fatal
            return _DUMPS(
                {
                    "name": name,
                    "value": None,
                    "show": repr(v),
                    "offset": o,
                    "length": ln,
                    "children": [],
                    "problems": [{"severity": "warning", "text": f"cannot render value: {exc}"}],
                }
            )
        return f'{head}{jvalue(jv)},"show":{_jstr(show)}{pos}],"problems":[]}}'

    def _items_json(self, kind: Any, v: Any, buf: bytes, s: int, e: int) -> str:
        """The child nodes of a container value: entries framed as attributes, records
        with their own length field, or a packed array's elements."""
        render = kind.render
        if render == "entries":
            items, _err = scan_attrs_tolerant(buf, s, e)
            vals = list(v.values()) if isinstance(v, dict) else list(v)
            item = kind.item
            return ",".join(
                self.value_json(f"[{t}]", item, x, buf, s2 - 4, e2 - s2 + 4, None)
                for (t, _f, s2, e2), x in zip(items, vals, strict=False)
            )
        if render == "records":
            parts = []
            off = s
            fixed = kind.fixed
            for i, x in enumerate(v):
                n = getattr(x.header, kind.len_field)
                children = self.struct_node_json(fixed, x.header, off)
                if len(x.attrs):
                    children += "," + self.attrs_json(x.attrs)
                show = _jstr(f"{fixed.name} + {counted(len(x.attrs), 'attribute')}")
                parts.append(
                    f'{{"name":"[{i}]","value":null,"show":{show},"offset":{off},"length":{n},'
                    f'"children":[{children}],"problems":[]}}'
                )
                off += (n + 3) & ~3
            return ",".join(parts)
        if render == "array":
            return self._array_items_json(kind, v, s)
        return ""

    def struct_node_json(self, fixed: FixedStruct, record: Any, offset: int) -> str:
        """The node of a fixed struct (``ifinfomsg``) at ``offset``, one child per field."""
        return f'{struct_head(fixed, offset)}{self.struct_json(fixed, record, offset)}],"problems":[]}}'

    def _struct_value_json(self, head: str, kind: Any, v: Any, buf: bytes, s: int, e: int) -> str:
        """The node of a struct attribute (its show: the fields, or the struct's name when
        it has more than 4), with an ``extension`` child for bytes past the struct."""
        fixed = kind.fixed
        show = kind.show(v) if len(v) <= 4 else fixed.name
        children = self.struct_json(fixed, v, s)
        if e - s > fixed.size:
            children += "," + _DUMPS(_ext_node(fixed, buf, s, e))
        return (
            f'{head}null,"show":{_jstr(show)},"offset":{s - 4},"length":{e - s + 4},'
            f'"children":[{children}],"problems":[]}}'
        )

    def _array_items_json(self, kind: Any, v: tuple[int, ...], s: int) -> str:
        """The element nodes of a packed integer array starting at ``s``."""
        item = kind.item
        size = item.size
        n = len(v)
        if item.enum is None:
            return self._ajtpl(n, size, kind) % tuple(
                chain.from_iterable(zip(v, v, range(s, s + n * size, size), strict=True))
            )
        jp = self._ajpre(n, kind)
        return ",".join(
            [
                f'{p}{x},"show":{_jstr(show_enum(item.enum, x))},"offset":{off},"length":{size},'
                '"children":[],"problems":[]}'
                for p, x, off in zip(jp, v, range(s, s + n * size, size), strict=False)
            ]
        )

    def attrs_json(self, attrs: Attrs) -> str:
        """The JSON nodes of every attribute of ``attrs`` (strictly decoded), comma-joined."""
        aset = attrs.attr_set
        plan = self._specs.get(aset)
        if plan is None:
            plan = self.plan(aset)
        parts: list[str] = []
        app = parts.append
        tolerant = self.on_error is not None
        values = [v for _e, v in attrs.entries()] if tolerant else attrs._values
        for (t, _f, s, e), v in zip(attrs._items, values, strict=True):
            sp = plan.get(t)
            if sp is None:
                sp = self.spec(aset, t)
            mode = sp.mode
            o = s - 4
            ln = e - o
            if tolerant and isinstance(v, DecodeError):
                app(self.value_json(sp.name, sp.kind, v, attrs._buf, o, ln, attrs))
            elif mode == _M_INT:
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

