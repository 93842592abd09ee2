"""Layout-specialised attribute decoding, derived from the attribute sets.

Dumps and notifications repeat the same *layout* over and over: the same
sequence of ``nla_len``/``nla_type`` at the same relative offsets (2,000 veth
links, 10,000 routes). For a layout seen more than once, :func:`compile_layout`
derives from the :class:`~nlwire.wire.attrs.AttrSet` tables (no second table of
facts) a :class:`Layout`:

* one :class:`struct.Struct` that unpacks every attribute header and every
  fixed-size value of the whole attribute area in one call;
* the positions of the headers in the unpacked tuple and their expected
  values. A message *has* the layout only if every unpacked ``nla_len`` and
  ``nla_type`` equals the expected one (and any header field a kind depends on,
  such as ``ifinfomsg.family`` for ``IFLA_AF_SPEC``), so framing is verified
  for every message; anything else falls back to the generic walk;
* generated builders that turn the unpacked tuple into the same
  :class:`~nlwire.wire.attrs.Attrs` tree the generic walk builds. Values of
  simple kinds (integers, strings, addresses, arrays, structs, raw bytes) come
  straight from the tuple; everything else goes through its kind's ``decode``
  exactly as in the generic walk.

Nothing is cached by content: every message's values are read from its own
bytes; only the layout, keyed by the area's size and checked per message, is
reused. :func:`decode_attrs` is what :meth:`Attrs.from_bytes` calls.
"""

from __future__ import annotations

import contextlib
import ipaddress
import operator
import struct
import sys
from collections.abc import Callable
from typing import Any

from nlwire.wire.attrs import (
    _IP_CACHE,
    _UNSET,
    MAX_DEPTH,
    NLA_HDRLEN,
    ArrayKind,
    Attrs,
    AttrSet,
    Binary,
    ByHeader,
    Flag,
    HwAddr,
    Int,
    IPAddr,
    Kind,
    Nested,
    RawString,
    String,
    StructKind,
    Unterminated,
    VarUint,
)
from nlwire.wire.fixed import Record

__all__ = ["Layout", "compile_layout", "decode_attrs"]

COMPILE_AFTER = 2
"""A size must miss this many times before a layout is compiled for it."""
PER_SIZE = 4
"""Layouts kept per attribute-area size (most recently used first)."""
MAX_SIZES = 256
"""Sizes with layouts kept per attribute set; beyond that the cache starts over."""
MAX_ATTRS = 600
"""Layouts with more attributes than this are not compiled (generic walk instead)."""
MIN_SIZE = 16
"""Areas smaller than this are walked generically (too few attributes to pay)."""

_NATIVE = ("=", "<") if sys.byteorder == "little" else ("=", ">")
_VARUINT = {1: "B", 2: "H", 4: "I", 8: "Q"}
_VARSINT = {1: "b", 2: "h", 4: "i", 8: "q"}

Build = Callable[[bytes, int, Any, str], Attrs | None]


class Layout:
    """One compiled attribute layout (see the module docstring)."""

    __slots__ = ("attrs", "build_eager", "build_lazy", "size", "source", "struct")

    def __init__(self, size: int, st: struct.Struct, attrs: int, source: str, eager: Build, lazy: Build) -> None:
        self.size = size
        self.struct = st
        self.attrs = attrs
        """Number of attributes (all depths) the layout covers."""
        self.source = source
        """The generated builder source (for debugging and tests)."""
        self.build_eager = eager
        self.build_lazy = lazy

    def __repr__(self) -> str:
        return f"<Layout {self.size} bytes, {self.attrs} attributes, {len(self.struct.format)} format chars>"


# ------------------------------------------------------------------------------ values


def _cstr(raw: bytes) -> str:
    nul = raw.find(0)
    if nul >= 0:
        return raw[:nul].decode("utf-8", "surrogateescape")
    return Unterminated(raw.decode("utf-8", "surrogateescape"))


def _rstr(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _ip(raw: bytes) -> Any:
    # the same per-value cache as IPAddr.decode: immutable address objects
    addr = _IP_CACHE.get(raw)
    if addr is None:
        addr = ipaddress.IPv4Address(raw) if len(raw) == 4 else ipaddress.IPv6Address(raw)
        if len(_IP_CACHE) >= 4096:
            _IP_CACHE.clear()
        _IP_CACHE[raw] = addr
    return addr


def _hex(raw: bytes) -> str:
    return raw.hex(":")


def _inline(kind: Kind | None, n: int) -> tuple[str, int, str] | None:
    """How a payload of ``n`` bytes of ``kind`` comes out of the big struct:
    ``(format, values, expression)`` where the expression reads ``{0}`` (the
    first value's index), or None when the kind's own ``decode`` must run."""
    if kind is None or type(kind) is Binary:
        return f"{n}s", 1, "r[{0}]"
    tk = type(kind)
    if tk is Int:
        code = kind.construct.fmtstr  # type: ignore[attr-defined]
        if n == kind.size and code[0] in _NATIVE:  # type: ignore[attr-defined]
            return code[1:], 1, "r[{0}]"
        return None
    if tk is String:
        return f"{n}s", 1, "cstr(r[{0}])"
    if tk is RawString:
        return f"{n}s", 1, "rstr(r[{0}])"
    if tk is VarUint:
        letter = (_VARSINT if kind.signed else _VARUINT).get(n)  # type: ignore[attr-defined]
        return (letter, 1, "r[{0}]") if letter else None
    if tk is IPAddr:
        return (f"{n}s", 1, "ip(r[{0}])") if n in (4, 16) else (f"{n}s", 1, "r[{0}]")
    if tk is HwAddr:
        return f"{n}s", 1, "hexc(r[{0}])"
    if tk is Flag:
        return ("", 0, "True") if n == 0 else None
    if tk is ArrayKind:
        item: Int = kind.item  # type: ignore[attr-defined]
        code = item.construct.fmtstr
        if code[0] not in _NATIVE or n % item.size:
            return None
        count = n // item.size
        return (f"{count}{code[1:]}", count, f"list(r[{{0}}:{{0}} + {count}])") if count else ("", 0, "[]")
    if tk is StructKind:
        fixed = kind.fixed  # type: ignore[attr-defined]
        if fixed.struct is None or n != fixed.size:
            return None
        count = len(fixed.fields)
        return fixed.struct.format[1:], count, f"new({{1}}, r[{{0}}:{{0}} + {count}])"
    return None


# ------------------------------------------------------------------------------ compile


class _Compiler:
    def __init__(self, buf: bytes, base: int, header: Record | None) -> None:
        self.buf = buf
        self.base = base
        self.header = header
        self.fmt: list[str] = []
        self.nfields = 0
        self.checks: list[int] = []
        self.expect: list[int] = []
        self.guards: list[tuple[str, Any]] = []
        self.consts: dict[str, Any] = {}
        self.eager: list[str] = []
        self.lazy: list[str] = []
        self.levels = 0
        self.attrs = 0

    def const(self, prefix: str, value: Any) -> str:
        for name, v in self.consts.items():
            if v is value and name.startswith(prefix):
                return name
        name = f"{prefix}{len(self.consts)}"
        self.consts[name] = value
        return name

    def level(self, attr_set: AttrSet, start: int, end: int, depth: int, parent: str | None, ptype: int) -> str | None:
        """Walk ``buf[start:end]`` as ``attr_set``; emit the code building its Attrs.
        Returns the Python name of that Attrs, or None if the area is not well formed."""
        if depth > MAX_DEPTH:
            return None
        me = f"a{self.levels}"
        self.levels += 1
        buf = self.buf
        items: list[tuple[int, int, int, int]] = []
        exprs: list[str] = []
        later: list[tuple[int, int, int, int, Kind]] = []  # position, type, start, end, kind
        children: list[tuple[int, list[str], list[str], str]] = []
        off = start
        while off <= end - NLA_HDRLEN:
            ln, t = struct.unpack_from("=HH", buf, off)
            nxt = off + ln
            if ln < NLA_HDRLEN or nxt > end:
                return None
            self.attrs += 1
            if self.attrs > MAX_ATTRS:
                return None
            tt = t & 0x3FFF
            s = off + NLA_HDRLEN
            pos = len(items)
            items.append((tt, t & 0xC000, s - self.base, nxt - self.base))
            self.fmt.append("HH")
            self.checks += (self.nfields, self.nfields + 1)
            self.expect += (ln, t)
            self.nfields += 2
            kind = attr_set.kinds.get(tt)
            if type(kind) is ByHeader and not kind.sibling_dependent:
                # resolved now from the header; every message must carry the same field value
                value = getattr(self.header, kind.field, None) if self.header is not None else None
                self.guards.append((kind.field, value))
                kind = kind.choices.get(value, kind.default)
            if type(kind) is Nested:
                # the child's own statements run before this level's list is complete
                saved_e, saved_l = self.eager, self.lazy
                self.eager, self.lazy = [], []
                child = self.level(kind.attr_set, s, nxt, depth + 1, me, tt)
                if child is None:
                    return None
                children.append((pos, self.eager, self.lazy, child))
                self.eager, self.lazy = saved_e, saved_l
                exprs.append("U")
            else:
                inline = _inline(kind, nxt - s)
                if inline is None:
                    assert kind is not None
                    self.fmt.append(f"{nxt - s}x")
                    later.append((pos, tt, s - self.base, nxt - self.base, kind))
                    exprs.append("U")
                else:
                    fmt, count, expr = inline
                    self.fmt.append(fmt)
                    rec = self.const("REC", kind.fixed.record) if type(kind) is StructKind else ""
                    exprs.append(expr.format(self.nfields, rec))
                    self.nfields += count
            pad = min((ln + 3) & ~3, end - off) - ln
            if pad:
                self.fmt.append(f"{pad}x")
            off += (ln + 3) & ~3
        if off < end:
            return None
        index: dict[int, int] = {}
        for pos, item in enumerate(items):
            index.setdefault(item[0], pos)
        sset = self.const("S", attr_set)
        sidx = self.const("X", index)
        slay = self.const("L", tuple(items))
        head = [
            f"{me} = anew(Attrs)",
            f"{me}.attr_set = {sset}",
            f"{me}.header = header",
            f"{me}._buf = buf",
            f"{me}._parent = {parent}",
            f"{me}._ptype = {ptype if parent is not None else None}",
            f"{me}._depth = {depth}",
            f"{me}._path = {'path' if parent is None else None}",
            f"{me}._cur = None",
            f"{me}._index = {sidx}",
            f"{me}._lay = {slay}",
            f"{me}._lbase = start",
            f"v{me} = {me}._values = [{', '.join(exprs)}]",
        ]
        for mode, out in (("eager", self.eager), ("lazy", self.lazy)):
            out += head
            out.append(f"{me}._eager = {mode == 'eager'}")
        for pos, ceager, clazy, child in children:
            self.eager += ceager
            self.eager.append(f"v{me}[{pos}] = {child}")
            self.lazy += clazy
            self.lazy.append(f"v{me}[{pos}] = {child}")
        # the values only a kind's decode can make: in wire order, sibling-dependent last
        # (as the generic eager walk does); lazily they wait for first access
        later.sort(key=lambda e: e[4].sibling_dependent)
        for pos, tt, s, e, kind in later:
            k = self.const("K", kind)
            self.eager.append(f"{me}._cur = {tt}")
            self.eager.append(f"v{me}[{pos}] = {k}.decode(buf, start + {s}, start + {e}, {me})")
        if later:
            self.eager.append(f"{me}._cur = None")
        return me


def compile_layout(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None = None) -> Layout | None:
    """The layout of ``buf[start:end]`` as ``attr_set``, compiled; None if the area
    is malformed, too large, or has no attribute (the generic walk then decides)."""
    c = _Compiler(buf, start, header)
    top = c.level(attr_set, start, end, 0, None, 0)
    if top is None or not c.attrs:
        return None
    st = struct.Struct("=" + "".join(c.fmt))
    if st.size != end - start:  # pragma: no cover - the walk covers every byte
        return None
    ns: dict[str, Any] = dict(c.consts)
    ns.update(
        unpack=st.unpack_from,
        check=operator.itemgetter(*c.checks),
        expect=tuple(c.expect),
        new=tuple.__new__,
        Attrs=Attrs,
        anew=object.__new__,
        U=_UNSET,
        cstr=_cstr,
        rstr=_rstr,
        ip=_ip,
        hexc=_hex,
    )
    guards = []
    for i, (field, value) in enumerate(c.guards):
        ns[f"G{i}"] = value
        # getattr(None, field, None) is None: a missing header is just another value
        guards.append(f"    if getattr(header, {field!r}, None) != G{i}:\n        return None")
    lines = []
    for mode, body in (("eager", c.eager), ("lazy", c.lazy)):
        lines.append(f"def build_{mode}(buf, start, header, path):")
        lines.append("    r = unpack(buf, start)")
        lines.append("    if check(r) != expect:")
        lines.append("        return None")
        lines += guards
        lines += [f"    {stmt}" for stmt in body]
        lines.append(f"    return {top}")
        lines.append("")
    source = "\n".join(lines)
    exec(compile(source, f"<nlwire layout {attr_set.name} {end - start}>", "exec"), ns)
    return Layout(end - start, st, c.attrs, source, ns["build_eager"], ns["build_lazy"])


# ------------------------------------------------------------------------------ cache


def decode_attrs(
    attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, path: str, eager: bool
) -> Attrs | None:
    """``Attrs`` for ``buf[start:end]`` through a compiled layout, or None when no
    layout applies (the caller then walks generically)."""
    size = end - start
    layouts = attr_set.layouts
    cands: list[Layout] | None = layouts.get(size)
    if cands is not None:
        for i, lay in enumerate(cands):
            built = (lay.build_eager if eager else lay.build_lazy)(buf, start, header, path)
            if built is not None:
                if i:  # most recently used first (by identity: safe if threads race here)
                    with contextlib.suppress(ValueError):
                        cands.remove(lay)
                    cands.insert(0, lay)
                return built
    misses = attr_set.layout_misses
    n = misses.get(size, 0) + 1
    if n < COMPILE_AFTER:
        if len(misses) > 4096:
            misses.clear()
        misses[size] = n
        return None
    new = compile_layout(attr_set, buf, start, end, header)
    if new is None:
        # malformed or too large: try again only after a few more misses
        misses[size] = 1 - COMPILE_AFTER * 4
        return None
    misses.pop(size, None)
    if cands is None:
        if len(layouts) >= MAX_SIZES:
            layouts.clear()
        cands = layouts[size] = []
    cands.insert(0, new)
    del cands[PER_SIZE:]
    return (new.build_eager if eager else new.build_lazy)(buf, start, header, path)
