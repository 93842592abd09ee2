"""Layout-specialised attribute decoding, derived from the attribute sets.

Dumps and notifications repeat the same *layout* over and over: the same
sequence of ``nla_len``/``nla_type`` at the same relative offsets (2,000 veth
links, 10,000 routes). For a layout seen more than once, :func:`compile_layout`
derives from the :class:`~nlwire.wire.attrs.AttrSet` tables (no second table of
facts) a :class:`Layout`:

* two :class:`struct.Struct` over the whole attribute area: one reads every
  ``nla_len``/``nla_type``, compared in one go with the expected tuple (and any
  fixed-header field a kind is chosen by, such as ``ifinfomsg.family`` for
  ``IFLA_AF_SPEC``), so a message *has* the layout only if its framing is
  exactly the layout's -- anything else falls back to the generic walk; the
  other reads every fixed-size value in one call;
* generated builders that turn the values into the same
  :class:`~nlwire.wire.attrs.Attrs` tree the generic walk builds (a slot-less
  subclass per nesting level holds what every message of the layout shares).
  Values of simple kinds (integers, strings, addresses, arrays, structs, raw
  bytes) come straight from the tuple; everything else goes through its kind's
  ``decode`` exactly as in the generic walk (lazily, in a lazy decode).

:class:`Picker` reads chosen values through the same layouts without building
``Attrs`` at all (what :mod:`nlwire.rtnl` builds its results from). A layout is
compiled for an area size after :data:`COMPILE_AFTER` misses; the caches are
bounded (:data:`PER_SIZE`, :data:`MAX_SIZES`, :data:`MAX_TOTAL_ATTRS`).

Nothing is cached by message content: every message's values are read from its
own bytes; only the layout, keyed by the area's size and checked per message,
is reused. (The one value cache is the one ``IPAddr.decode`` already has: up to
4,096 immutable address objects keyed by their 4 or 16 bytes.)
:func:`decode_attrs` is what :meth:`Attrs.from_bytes` calls.
"""

from __future__ import annotations

import contextlib
import re
import struct
import sys
from collections.abc import Callable
from typing import Any

from nlwire.consts.netlink import NLA_HDRLEN, NLA_TYPE_MASK
from nlwire.wire.attrs import _UNSET, Attrs, AttrSet, Binary, Kind, install_compiled_decoder
from nlwire.wire.compound import ArrayKind, ByHeader, Nested, StructKind
from nlwire.wire.fixed import Record
from nlwire.wire.nla import _NLA_FLAGS, MAX_DEPTH
from nlwire.wire.scalars import Flag, HwAddr, Int, IPAddr, RawString, String, VarUint, _address, _cstring

__all__ = ["Layout", "Picker", "compile_layout", "decode_attrs", "fits_plain"]

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
MAX_TOTAL_ATTRS = 16384
"""All compiled layouts together cover at most this many attributes (about 1 KB of
code and tables each); past it every cache starts over."""

_total_attrs = 0
_cached_sets: list[AttrSet] = []

_NATIVE = ("=", "<") if sys.byteorder == "little" else ("=", ">")
_VARUINT = {1: "B", 2: "H", 4: "I", 8: "Q"}
_VARSINT = {1: "b", 2: "h", 4: "i", 8: "q"}

Build = Callable[[bytes, int, Any, str], Attrs | None]


class Layout:
    """One compiled attribute layout (see the module docstring)."""

    __slots__ = (
        "attrs",
        "build_eager",
        "build_lazy",
        "framing",
        "pickers",
        "plain",
        "size",
        "source",
        "struct",
        "walk",
    )

    def __init__(self, size: int, st: struct.Struct, attrs: int, source: str, eager: Build, lazy: Build) -> None:
        self.size = size
        self.struct = st
        self.attrs = attrs
        """Number of attributes (all depths) the layout covers."""
        self.source = source
        """The generated builder source (for debugging and tests)."""
        self.build_eager = eager
        self.build_lazy = lazy
        self.walk: Any = None
        """The walk it was compiled from (for :class:`Picker`)."""
        self.pickers: dict[tuple[Any, ...], Any] = {}
        """Per :class:`Picker` keys: the generated function reading just those values."""
        self.plain = False
        """Every value comes out of :attr:`struct` (no kind's ``decode`` runs): bytes with
        this framing decode without error (see :func:`fits_plain`)."""
        self.framing: Any = None
        """:func:`fits_plain`'s check of this layout: its no-value picker, False when the
        layout is not :attr:`plain` or has none, None until first asked."""

    def __repr__(self) -> str:
        return f"<Layout {self.size} bytes, {self.attrs} attributes, {len(self.struct.format)} format chars>"


# ------------------------------------------------------------------------------ values


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
        return f"{n}s", 1, "r[{0}].decode('utf-8', 'surrogateescape')"
    if tk is VarUint:
        letter = (_VARSINT if kind.signed else _VARUINT).get(n)  # type: ignore[attr-defined]
        return (letter, 1, "r[{0}]") if letter else None
    if tk is IPAddr:
        return (f"{n}s", 1, "ip(r[{0}])") if n in (4, 16) else (f"{n}s", 1, "r[{0}]")
    if tk is HwAddr:
        return f"{n}s", 1, "r[{0}].hex(':')"
    if tk is Flag:
        return ("", 0, "True") if n == 0 else None
    if tk is ArrayKind:
        item: Int = kind.item  # type: ignore[attr-defined]
        code = item.construct.fmtstr
        if code[0] not in _NATIVE or n % item.size:
            return None
        count = n // item.size
        return (f"{count}{code[1:]}", count, f"r[{{0}}:{{0}} + {count}]") if count else ("", 0, "()")
    if tk is StructKind:
        fixed = kind.fixed  # type: ignore[attr-defined]
        if fixed.struct is None or n != fixed.size:
            return None
        count = len(fixed.fields)
        return fixed.struct.format[1:], count, f"new({{1}}, r[{{0}}:{{0}} + {count}])"
    return None


# ------------------------------------------------------------------------------ compile


class _Level:
    """One attribute list of a layout (the top level or a nest), as walked."""

    __slots__ = ("attr_set", "children", "depth", "entries", "index", "items", "later", "name", "parent", "ptype")

    def __init__(self, name: str, attr_set: AttrSet, depth: int, parent: _Level | None, ptype: int) -> None:
        self.name = name
        self.attr_set = attr_set
        self.depth = depth
        self.parent = parent
        self.ptype = ptype
        self.items: list[tuple[int, int, int, int]] = []
        """``(type, flags, start, end)`` relative to the area's start, as Attrs._items."""
        self.index: dict[int, int] = {}
        self.entries: list[tuple[Any, ...]] = []
        """Per position: ``("inline", template, piece, record)``, ``("nested", level)`` or
        ``("kind", kind)`` (a value only the kind's decode makes)."""
        self.children: list[tuple[int, _Level]] = []
        self.later: list[tuple[int, int, int, int, Kind]] = []


class _Compiler:
    """Walks one well-formed attribute area into levels and struct pieces."""

    def __init__(self, buf: bytes, base: int, header: Record | None) -> None:
        self.buf = buf
        self.base = base
        self.header = header
        self.pieces: list[tuple[str, int, int]] = []
        """``(format, values, bytes)`` in wire order; headers are ``("HH", 2, 4)``."""
        self.headers: list[int] = []
        """Piece numbers of the nlattr headers."""
        self.expect: list[int] = []
        self.guards: list[tuple[str, Any]] = []
        self.levels: list[_Level] = []
        self.attrs = 0

    def walk(
        self, attr_set: AttrSet, start: int, end: int, depth: int, parent: _Level | None, ptype: int
    ) -> _Level | None:
        """Walk ``buf[start:end]`` as ``attr_set``; None if the area is not well formed."""
        if depth > MAX_DEPTH:
            return None
        lv = _Level(f"a{len(self.levels)}", attr_set, depth, parent, ptype)
        self.levels.append(lv)
        buf = self.buf
        pieces = self.pieces
        off = start
        while off <= end - NLA_HDRLEN:
            ln, t = struct.unpack_from("=HH", buf, off)
            nxt = off + ln
            if ln < NLA_HDRLEN or nxt > end:
                return None
            self.attrs += 1
            if self.attrs > MAX_ATTRS:
                return None
            tt = t & NLA_TYPE_MASK
            s = off + NLA_HDRLEN
            pos = len(lv.items)
            lv.items.append((tt, t & _NLA_FLAGS, s - self.base, nxt - self.base))
            lv.index.setdefault(tt, pos)
            self.headers.append(len(pieces))
            pieces.append(("HH", 2, NLA_HDRLEN))
            self.expect += (ln, t)
            kind = attr_set.kinds.get(tt)
            if type(kind) is ByHeader and not kind.sibling_dependent:
                # resolved now from the header; every message must carry the same field value
                value = getattr(self.header, kind.field, None) if self.header is not None else None
                self.guards.append((kind.field, value))
                kind = kind.choices.get(value, kind.default)
            if type(kind) is Nested:
                child = self.walk(kind.attr_set, s, nxt, depth + 1, lv, tt)
                if child is None:
                    return None
                lv.children.append((pos, child))
                lv.entries.append(("nested", child))
            else:
                inline = _inline(kind, nxt - s)
                if inline is None:
                    assert kind is not None
                    pieces.append((f"{nxt - s}x", 0, nxt - s))
                    lv.later.append((pos, tt, s - self.base, nxt - self.base, kind))
                    lv.entries.append(("kind", kind))
                else:
                    fmt, count, expr = inline
                    rec = kind.fixed.record if type(kind) is StructKind else None
                    lv.entries.append(("inline", expr, len(pieces), rec))
                    pieces.append((fmt, count, nxt - s))
            pad = min((ln + 3) & ~3, end - off) - ln
            if pad:
                pieces.append((f"{pad}x", 0, pad))
            off += (ln + 3) & ~3
        if off < end:
            return None
        return lv


class _Code:
    """Generated source for one struct layout: constants and field numbering."""

    def __init__(self, c: _Compiler, keep: set[int] | None = None) -> None:
        # Two structs over the same bytes: one reads only the nlattr headers (compared
        # with the expected tuple in one C-level comparison), one only the values
        # (``keep``: the value pieces wanted, None for all; the rest is skipped).
        hfmt = []
        vfmt = []
        self.field: dict[int, int] = {}
        n = 0
        heads = set(c.headers)
        for i, (code, count, size) in enumerate(c.pieces):
            if i in heads:
                hfmt.append(code)
                vfmt.append(f"{size}x")
                continue
            hfmt.append(f"{size}x")
            if count and keep is not None and i not in keep:
                vfmt.append(f"{size}x")
                continue
            self.field[i] = n
            vfmt.append(code)
            n += count
        self.struct = struct.Struct("=" + "".join(vfmt))
        self.headers = struct.Struct("=" + "".join(hfmt))
        self.consts: dict[str, Any] = {}
        self.ids: dict[int, str] = {}
        self.ns: dict[str, Any] = {
            "unpack": self.struct.unpack_from,
            "headers": self.headers.unpack_from,
            "expect": tuple(c.expect),
            "new": tuple.__new__,
            "anew": object.__new__,
            "Attrs": Attrs,
            "U": _UNSET,
            "cstr": _cstring,
            "ip": _address,
        }
        self.prologue = ["if headers(buf, start) != expect:", "    return None"]
        for field, value in c.guards:
            # getattr(None, field, None) is None: a missing header is just another value
            self.prologue += [f"if getattr(header, {field!r}, None) != {self.const(value)}:", "    return None"]
        if n:
            self.prologue.append("r = unpack(buf, start)")

    def const(self, value: Any) -> str:
        name = self.ids.get(id(value))
        if name is None:
            name = self.ids[id(value)] = f"C{len(self.consts)}"
            self.consts[name] = value
        return name

    def expr(self, entry: tuple[Any, ...]) -> str:
        _, template, piece, rec = entry
        return str(template).format(self.field[piece], self.const(rec) if rec is not None else "")

    def function(self, name: str, body: list[str], result: str) -> str:
        lines = [f"def {name}(buf, start, header, path):"]
        lines += [f"    {stmt}" for stmt in self.prologue + body]
        lines.append(f"    return {result}")
        return "\n".join(lines) + "\n"

    def run(self, source: str, what: str) -> dict[str, Any]:
        ns = dict(self.ns)
        ns.update(self.consts)
        exec(compile(source, what, "exec"), ns)
        return ns


def _builder_body(code: _Code, lv: _Level, eager: bool, suffix: str = "") -> list[str]:
    """Statements building level ``lv``'s Attrs: its nests first, then the level itself."""
    me = lv.name
    out: list[str] = []
    child_of = {}
    for pos, child in lv.children:
        # A nest gets its path string (the message's path + a constant suffix), not a
        # reference to its parent: no parent <-> child cycle, so a decoded message is freed
        # by reference counting; and the parent can be made last, its values complete.
        child_suffix = f"{suffix}[{lv.attr_set.name_of(child.ptype)}]"
        out += _builder_body(code, child, eager, child_suffix)
        child_of[pos] = child.name
    values = _runs(
        [
            code.expr(e) if e[0] == "inline" else child_of[pos] if e[0] == "nested" else "U"
            for pos, e in enumerate(lv.entries)
        ]
    )
    path = f"path + {code.const(suffix)}" if suffix else "path"
    # What every message of this layout shares lives on a subclass made for the level (no
    # slots of its own: its class attributes stand in for the base's never-rewritten slots),
    # so each message sets only its own state.
    shared = type(
        "Attrs",
        (Attrs,),
        {
            "__slots__": (),
            "__module__": Attrs.__module__,
            "__qualname__": Attrs.__qualname__,
            "attr_set": lv.attr_set,
            "_parent": None,
            "_ptype": lv.ptype if lv.parent is not None else None,
            "_depth": lv.depth,
            "_index": lv.index,
            "_lay": tuple(lv.items),
            "_eager": eager,
        },
    )
    out += [
        f"{me} = anew({code.const(shared)})",
        f"{me}.header = header",
        f"{me}._buf = buf",
        f"{me}._path = {path}",
        f"{me}._cur = None",
        f"{me}._lbase = start",
        # a level whose values are all made here keeps them in a tuple: nothing is ever
        # stored into it later, and a tuple of plain values drops out of the cyclic GC's sight
        f"v{me} = {me}._values = ({', '.join(values)},)"
        if lv.entries and not lv.later
        else f"v{me} = {me}._values = [{', '.join(values)}]",
    ]
    if eager and lv.later:
        # values only a kind's decode makes: in wire order, sibling-dependent last (as
        # the generic eager walk does); lazily they wait for first access
        for pos, tt, s, e, kind in sorted(lv.later, key=lambda x: x[4].sibling_dependent):
            out.append(f"{me}._cur = {tt}")
            out.append(f"v{me}[{pos}] = {code.const(kind)}.decode(buf, start + {s}, start + {e}, {me})")
        out.append(f"{me}._cur = None")
    return out


def _runs(exprs: list[str]) -> list[str]:
    """``r[3], r[4], r[5]`` becomes ``*r[3:6]``: consecutive plain values are copied
    out of the unpacked tuple by one slice instead of one subscript each."""
    out: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if len(run) > 2:
            out.append(f"*r[{run[0]}:{run[-1] + 1}]")
        else:
            out.extend(f"r[{i}]" for i in run)
        run.clear()

    for e in exprs:
        m = _PLAIN.fullmatch(e)
        if m is not None and (not run or int(m.group(1)) == run[-1] + 1):
            run.append(int(m.group(1)))
            continue
        flush()
        if m is not None:
            run.append(int(m.group(1)))
        else:
            out.append(e)
    flush()
    return out


_PLAIN = re.compile(r"r\[(\d+)\]")


def _walk(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None) -> _Compiler | None:
    c = _Compiler(buf, start, header)
    ok = c.walk(attr_set, start, end, 0, None, 0) is not None and c.attrs > 0
    c.buf = b""  # a layout must not keep the datagram it was learned from alive
    return c if ok else None


def compile_layout(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None = None) -> Layout | None:
    """The layout of ``buf[start:end]`` as ``attr_set``, compiled; None if the area
    is malformed, too large, or has no attribute (the generic walk then decides)."""
    c = _walk(attr_set, buf, start, end, header)
    if c is None:
        return None
    code = _Code(c)
    if code.struct.size != end - start:  # pragma: no cover - the walk covers every byte
        return None
    top = c.levels[0]
    source = code.function("build_eager", _builder_body(code, top, True), top.name)
    source += "\n" + code.function("build_lazy", _builder_body(code, top, False), top.name)
    ns = code.run(source, f"<nlwire layout {attr_set.name} {end - start}>")
    lay = Layout(end - start, code.struct, c.attrs, source, ns["build_eager"], ns["build_lazy"])
    lay.walk = c
    lay.plain = not any(lv.later for lv in c.levels)
    return lay


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
    _account(attr_set, new.attrs)
    cands = layouts.get(size)
    if cands is None:
        if len(layouts) >= MAX_SIZES:
            layouts.clear()
        cands = layouts[size] = []
    cands.insert(0, new)
    del cands[PER_SIZE:]
    return (new.build_eager if eager else new.build_lazy)(buf, start, header, path)


def _account(attr_set: AttrSet, attrs: int) -> None:
    """Keep the memory of all compiled layouts bounded (a rough count: attributes)."""
    global _total_attrs
    if _total_attrs + attrs > MAX_TOTAL_ATTRS:
        for cached in _cached_sets:
            cached.layouts.clear()
        _cached_sets.clear()
        _total_attrs = 0
    if attr_set not in _cached_sets:
        _cached_sets.append(attr_set)
    _total_attrs += attrs


# ------------------------------------------------------------------------------ picking


Key = int | tuple[int, ...]


class Picker:
    """Chosen attribute values read straight from the bytes, without building
    :class:`~nlwire.wire.attrs.Attrs`: what a caller that needs a handful of
    values per message (a route's destination, gateway, table...) wants.

    >>> pick = Picker(ROUTE_ATTRS, (RTA.DST, RTA.OIF))          # doctest: +SKIP
    >>> pick(buf, start, end, header)                           # doctest: +SKIP
    [IPv4Address('10.0.0.0'), 2]

    A key is an attribute type or a path of types into nests
    (``(IFLA.LINKINFO, IFLA_INFO.KIND)``); the value is that of the first
    occurrence, None when absent, exactly as ``Attrs.pick`` gives. The call
    returns None when it cannot answer from a compiled layout (no layout for
    this message yet, or a chosen value needs its kind's ``decode``): the caller
    then decodes the message the ordinary way, which also teaches the layouts.
    """

    def __init__(self, attr_set: AttrSet, keys: tuple[Key, ...], *, raw: tuple[Key, ...] = ()) -> None:
        self.attr_set = attr_set
        self.keys: tuple[tuple[int, ...], ...] = tuple(_path(k) for k in keys)
        self.raw: frozenset[tuple[int, ...]] = frozenset(_path(k) for k in raw)
        """Keys whose payload bytes are wanted as they are (``RTA_DST`` as 4 bytes, not an
        address object); a layout where such a value is not a plain byte string declines."""
        self._id = (self.keys, self.raw)
        self.hot: dict[int, Callable[..., list[Any] | None]] = {}
        """Per attribute-area size, the compiled picker that answered last, tried first:
        ``fn(buf, start, header, None)`` gives the values, or None when the bytes do not
        fit its layout (it checks them, as every compiled layout does). A caller on a hot
        path may try it itself, then :meth:`search` the others; treat it as read-only."""
        self.header_free = _header_free(attr_set, set())
        """No layout of this set can depend on the fixed header (no ``by_header`` kind
        reachable through its nests): the ``header`` argument may then be anything,
        such as the header's plain tuple instead of its record."""

    def __call__(self, buf: bytes, start: int, end: int, header: Record | None = None) -> list[Any] | None:
        hot = self.hot.get(end - start)
        if hot is not None:
            values: list[Any] | None = hot(buf, start, header, None)
            if values is not None:
                return values
        return self.search(buf, start, end, header, hot)

    def search(
        self, buf: bytes, start: int, end: int, header: Record | None = None, tried: Callable[..., Any] | None = None
    ) -> list[Any] | None:
        """The call without trying the hot picker first: every compiled layout of this
        size (but ``tried``, a picker that has just declined) is asked, and the one that
        answers becomes the hot one. For a caller that tries :attr:`hot` itself."""
        size = end - start
        cands = self.attr_set.layouts.get(size)
        if cands is None:
            return None
        key = self._id
        for lay in cands:
            fn = lay.pickers.get(key)
            if fn is None:
                if len(lay.pickers) >= 64:  # bounded however many Pickers a program makes
                    lay.pickers.clear()
                fn = lay.pickers[key] = _compile_picker(lay, self.keys, self.raw) or False
            if fn is not False and fn is not tried:
                values: list[Any] | None = fn(buf, start, header, None)
                if values is not None:
                    if size not in self.hot and len(self.hot) >= MAX_SIZES:
                        self.hot.clear()
                    self.hot[size] = fn
                    return values
        return None


_FRAMING: tuple[tuple[tuple[int, ...], ...], frozenset[tuple[int, ...]]] = ((), frozenset())
"""The picker key of no values: its function only checks that the bytes fit the layout."""


def fits_plain(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None = None) -> bool:
    """``buf[start:end]`` has the framing (every ``nla_len``/``nla_type``, at every depth,
    and the header fields kinds are chosen by) of a compiled layout of ``attr_set`` whose
    values all come out of its struct: an eager decode of these bytes cannot fail. False
    means not known -- decode them to find out (which also teaches the layouts); a check
    that costs one unpack and one comparison, for a caller that must know a message
    decodes but reads little of it (the dissector's one-line summary)."""
    cands = attr_set.layouts.get(end - start)
    if not cands:
        return False
    for lay in cands:
        fn = lay.framing
        if fn is None:
            fn = lay.framing = (lay.plain and _compile_picker(lay, *_FRAMING)) or False
        if fn is not False and fn(buf, start, header, None) is not None:
            return True
    return False


def _header_free(attr_set: AttrSet, seen: set[int]) -> bool:
    """No ``by_header`` kind is reachable from ``attr_set`` the way the layout walk goes
    (through ``Nested``), so no compiled layout of it has a header guard."""
    if id(attr_set) in seen:
        return True
    seen.add(id(attr_set))
    for kind in attr_set.kinds.values():
        if type(kind) is ByHeader:
            return False
        if type(kind) is Nested and not _header_free(kind.attr_set, seen):
            return False
    return True


def _path(key: Key) -> tuple[int, ...]:
    return tuple(int(t) for t in key) if isinstance(key, tuple) else (int(key),)


def _compile_picker(
    lay: Layout, keys: tuple[tuple[int, ...], ...], raw: frozenset[tuple[int, ...]]
) -> Callable[..., list[Any] | None] | None:
    c: _Compiler = lay.walk
    chosen: list[tuple[Any, ...] | None] = []
    for path in keys:
        lv = c.levels[0]
        entry: tuple[Any, ...] | None = None
        for i, t in enumerate(path):
            pos = lv.index.get(t)
            if pos is None:
                entry = None
                break
            entry = lv.entries[pos]
            if i < len(path) - 1:
                if entry[0] != "nested":
                    return None
                lv = entry[1]
        if entry is not None and entry[0] != "inline":
            return None  # a whole nest, or a value only its kind's decode makes
        if entry is not None and path in raw:
            if not c.pieces[entry[2]][0].endswith("s"):
                return None
            entry = ("inline", "r[{0}]", entry[2], None)  # the payload bytes themselves
        chosen.append(entry)
    code = _Code(c, {e[2] for e in chosen if e is not None})
    result = "[" + ", ".join("None" if e is None else code.expr(e) for e in chosen) + "]"
    source = code.function("pick", [], result)
    fn: Callable[..., list[Any] | None] = code.run(source, f"<nlwire picker {lay.size}>")["pick"]
    return fn


install_compiled_decoder(MIN_SIZE, decode_attrs)
