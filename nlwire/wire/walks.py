"""The compiled walks in use: the strict decode (:func:`strict`, what an eager
:meth:`~nlwire.wire.attrs.Attrs.from_bytes` runs), the lazy one's framing (:func:`frame`,
what a lazy one runs), :func:`fits_plain` and :class:`Picker`, each a
:mod:`nlwire.wire.compiler` walk of the attribute set with layout-specialised walks on top
(:class:`Fast`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlwire.wire.attrs import Attrs, AttrSet, install_compiled_decoder
from nlwire.wire.compiler import _GLOBALS, _WHOLE, CHECK, DECODE, FRAME, Head, Pick, Target, Unit, compiled, unit
from nlwire.wire.fixed import Record
from nlwire.wire.nla import scan_attrs

__all__ = ["MIN_SIZE", "Fast", "Picker", "fast", "fits_plain", "forget_layouts", "frame", "strict"]

Key = int | tuple[int, ...]


class Fast:
    """A target's walk of one set with layout-specialised walks on top.

    The loop serves every message. Where a dump repeats one *layout* (the same sequence of
    ``nla_len``/``nla_type``), an unrolled walk of it skips the loop's framing and dispatch:
    per area size, up to :data:`PER_SIZE` of them, each compiled once the loop has answered
    :data:`COMPILE_AFTER` times for that size, tried first (each checks its layout's framing
    in one struct comparison and returns None when the bytes differ).

    With a ``head`` the layout walks are *message walks* (:class:`~nlwire.wire.compiler.Head`),
    keyed by the message's size, learned from ``missed(buf, off, end)`` of a message the
    caller has decoded the ordinary way (the set's walks, :attr:`loop` among them)."""

    def __init__(self, attr_set: AttrSet, target: Target, head: Head | None = None) -> None:
        self.attr_set = attr_set
        self.target = target
        self.head = head
        self.loop: Callable[..., Any] = compiled(attr_set, target)
        self.sizes: dict[int, list[Callable[..., Any]]] = {}
        self.misses: dict[int, int] = {}
        self.turnover: dict[int, int] = {}
        """Per area size, how often a kept layout walk was dropped for a newer one."""
        self.compiled = 0
        """Layout walks compiled so far (for tests: work counted, not timed)."""
        self.hots: list[dict[int, Callable[..., Any]]] = []
        """Per area size, the layout walk compiled last (the :attr:`Picker.hot` of Pickers)."""

    def missed(self, buf: bytes, start: int, end: int) -> None:
        """The loop answered for ``buf[start:end]`` (well framed): learn its layout in time."""
        size = end - start
        area = start if self.head is None else start + self.head.attrs_at
        n = self.misses.get(size, 0) + 1
        if n < (COMPILE_AFTER if self.target.values else CHECK_AFTER) or end - area < MIN_SIZE:
            if len(self.misses) > 4096:
                self.misses.clear()
            self.misses[size] = n
            return
        items = scan_attrs(buf, area, end)
        if len(items) > MAX_ATTRS:
            self.misses[size] = -1000  # too large to unroll: rarely asked again
            return
        self.misses.pop(size, None)
        fn = Unit(self.attr_set, self.target, [(t, f, s - area, e - area) for t, f, s, e in items], self.head).fn
        self.compiled += 1
        _account(self)
        cands = self.sizes.get(size)
        if cands is None:
            if len(self.sizes) >= MAX_SIZES:
                self.sizes.clear()
            cands = self.sizes[size] = []
        if len(cands) >= PER_SIZE:
            # a walk is dropped for a new one: a size of more layouts than are kept (ethtool's
            # bitset bits: names of every length) would compile a layout every other message;
            # after PER_SIZE such turnovers its areas are left to the loop
            turned = self.turnover[size] = self.turnover.get(size, 0) + 1
            if turned > PER_SIZE:
                self.misses[size] = -1000
        cands.insert(0, fn)
        del cands[PER_SIZE:]
        for hot in self.hots:
            if len(hot) >= MAX_SIZES:
                hot.clear()
            hot[size] = fn


CHECK_AFTER = 32
"""For a target that reads no values (:func:`fits_plain`, :func:`frame`): its loop checks
about as fast as a layout walk is told from the bytes, so a layout is compiled (about a
thousand walks' worth of CPU) only for one a capture repeats this often."""
COMPILE_AFTER = 2
"""The loop answers this many times for an area size before a layout of it is compiled."""
PER_SIZE = 4
"""Layout walks kept per area size (most recently compiled first)."""
MAX_SIZES = 256
"""Area sizes with layout walks kept per set and target; beyond that they start over."""
MIN_SIZE = 16
"""Areas smaller than this have no layout walks (too few attributes to pay)."""
MAX_ATTRS = 600
"""Layouts with more attributes than this are not unrolled."""
MAX_LAYOUTS = 2048
"""All layout walks together; past it every set's start over (memory stays bounded)."""

_FASTS: list[Fast] = []


def _account(fast: Fast) -> None:
    if fast not in _FASTS:
        _FASTS.append(fast)
    if sum(f.compiled for f in _FASTS) > MAX_LAYOUTS:
        forget_layouts()


def forget_layouts() -> None:
    """Drop every layout-specialised walk and what was learned of area sizes (the loops
    stay): what a test compares them with."""
    for f in _FASTS:
        f.sizes.clear()
        f.misses.clear()
        f.turnover.clear()
        f.compiled = 0
        for hot in f.hots:
            hot.clear()
    _FASTS.clear()


def fast(attr_set: AttrSet, target: Target | None = None) -> Fast:
    """The :class:`Fast` walks of ``attr_set`` for ``target`` (the strict decode by default)."""
    target = target or DECODE
    key = ("fast", target.key())
    got: Fast | None = attr_set.compiled.get(key)
    if got is None:
        got = attr_set.compiled[key] = Fast(attr_set, target)
    return got


def strict(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, path: str, depth: int) -> Attrs:
    """The strict decode of ``buf[start:end]`` as ``attr_set`` (``depth``: of its nest)."""
    f: Fast | None = attr_set.compiled.get(_STRICT)
    if f is None:
        f = fast(attr_set, DECODE)
    cands = f.sizes.get(end - start)
    if cands is not None:
        for fn in cands:
            built: Attrs | None = fn(buf, start, end, header, path, depth)
            if built is not None:
                return built
    built = f.loop(buf, start, end, header, path, depth)
    f.missed(buf, start, end)
    assert built is not None
    return built


def frame(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, path: str) -> Attrs:
    """The lazy decode of ``buf[start:end]`` as ``attr_set``: its framing checked, values
    decoded on access (a top level: a nest is framed when read)."""
    f: Fast | None = attr_set.compiled.get(_FRAME)
    if f is None:
        f = fast(attr_set, FRAME)
    cands = f.sizes.get(end - start)
    if cands is not None:
        for fn in cands:
            built: Attrs | None = fn(buf, start, end, header, path)
            if built is not None:
                return built
    built = f.loop(buf, start, end, header, path)
    f.missed(buf, start, end)
    assert built is not None
    return built


install_compiled_decoder(strict, frame)
_GLOBALS["strict"] = strict


def fits_plain(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None = None) -> bool:
    """A strict decode of ``buf[start:end]`` as ``attr_set`` cannot fail. False means it
    would, or, rarely, that is not known (a kind chosen by a sibling whose choice another
    sibling makes): decode them to find out. For a caller that
    must know a message decodes but reads little of it (the dissector's one-line summary).
    Areas under :data:`MIN_SIZE` bytes are not checked (False): the dissector memoises its
    verdicts on those by their bytes."""
    return end - start >= MIN_SIZE and _fits(attr_set, buf, start, end, header, 0)


def _fits(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, depth: int) -> bool:
    f: Fast | None = attr_set.compiled.get(_FITS)
    if f is None:
        f = fast(attr_set, CHECK)
    cands = f.sizes.get(end - start)
    if cands is not None:
        for fn in cands:
            ok: bool | None = fn(buf, start, end, header, depth)
            if ok is not None:
                return ok
    ok = f.loop(buf, start, end, header, depth)
    if ok:
        f.missed(buf, start, end)
    return bool(ok)


_GLOBALS["fits"] = _fits
_GLOBALS["layouts_of"] = lambda attr_set: fast(attr_set, DECODE).sizes
_GLOBALS["learns"] = lambda size: size >= MIN_SIZE  # (the layout walks' nests tried through theirs)


def _pick_in(attr_set: AttrSet, target: Pick, buf: bytes, start: int, end: int, header: Record | None) -> Any:
    """A nest's values for a Picker (``target``: the keys inside it), through its own layout walks."""
    f: Fast | None = target.__dict__.get("fast")
    if f is None:
        f = target.__dict__["fast"] = fast(attr_set, target)
    cands = f.sizes.get(end - start)
    if cands is not None:
        for fn in cands:
            got = fn(buf, start, header)
            if got is not None:
                return got
    got = f.loop(buf, start, end, header)
    if got is not None:
        f.missed(buf, start, end)
    return got


_GLOBALS["pick_in"] = _pick_in
_STRICT = ("fast", DECODE.key())
_FITS = ("fast", CHECK.key())
_FRAME = ("fast", FRAME.key())


class Picker:
    """Chosen attribute values read straight from the bytes, without building
    :class:`~nlwire.wire.attrs.Attrs`: what a caller that needs a handful of
    values per message (a route's destination, gateway, table...) wants.

    >>> pick = Picker(ROUTE_ATTRS, (RTA.DST, RTA.OIF))          # doctest: +SKIP
    >>> pick(buf, start, end, header)                           # doctest: +SKIP
    [IPv4Address('10.0.0.0'), 2]

    A key is an attribute type or a path of types into nests
    (``(IFLA.LINKINFO, IFLA_INFO.KIND)``); the value is that of the first
    occurrence, None when absent, exactly as ``Attrs.pick`` gives. ``raw`` keys
    give the payload bytes as they are (``RTA_DST`` as 4 bytes, not an address).
    The call returns None when it cannot answer (bad framing, a bad chosen
    value, or one only its kind's ``decode`` makes, such as a whole nest): the
    caller then decodes the message the ordinary way.
    """

    def __init__(self, attr_set: AttrSet, keys: tuple[Key, ...], *, raw: tuple[Key, ...] = ()) -> None:
        self.attr_set = attr_set
        self.keys: tuple[tuple[int, ...], ...] = tuple(_path(k) for k in keys)
        self.raw: frozenset[tuple[int, ...]] = frozenset(_path(k) for k in raw)
        tree: dict[int, Any] = {}
        slot: dict[tuple[int, ...], int] = {}
        for path in self.keys:
            if path in slot:
                continue
            node = tree
            for t in path[:-1]:
                sub = node.get(t)
                if not isinstance(sub, dict):
                    sub = node[t] = {} if sub is None else {_WHOLE: sub}
                node = sub
            last = node.get(path[-1])
            slot[path] = len(slot)
            if isinstance(last, dict):
                last[_WHOLE] = slot[path]
            else:
                node[path[-1]] = slot[path]
        target = Pick(tree, self.raw, order=tuple(slot[p] for p in self.keys))
        made = unit(attr_set, target)
        self._fast = fast(attr_set, target)
        self.header_free = not _reads_header(made)
        """The compiled code never reads the fixed header (no chosen value's kind is chosen
        by a header field): the ``header`` argument may then be anything, such as the
        header's plain tuple instead of its record."""
        self.hot: dict[int, Callable[..., list[Any] | None]] = {}
        """Per attribute-area size, the layout walk compiled last for it, ``fn(buf, start, header,
        None)``: the values, or None when the bytes are not of its layout (then :meth:`search`).
        A caller on a hot path may try it itself; treat it as read-only."""
        self._fast.hots.append(self.hot)

    def __call__(self, buf: bytes, start: int, end: int, header: Record | None = None) -> list[Any] | None:
        f = self._fast
        cands = f.sizes.get(end - start)
        if cands is not None:
            for fn in cands:
                values: list[Any] | None = fn(buf, start, header)
                if values is not None:
                    return values
        values = f.loop(buf, start, end, header)
        if values is not None:
            f.missed(buf, start, end)
        return values

    def search(
        self, buf: bytes, start: int, end: int, header: Record | None = None, tried: Callable[..., Any] | None = None
    ) -> list[Any] | None:
        """The call, for a caller that has tried a :attr:`hot` function (``tried``) itself."""
        return self(buf, start, end, header)


def _reads_header(u: Unit, seen: set[int] | None = None) -> bool:
    """The unit's code, or that of a walk it calls, reads the fixed header."""
    seen = set() if seen is None else seen
    if id(u) in seen:
        return False
    seen.add(id(u))
    return u.uses_header or any(_reads_header(unit(s, t), seen) for s, t in u.children)


def _path(key: Key) -> tuple[int, ...]:
    return tuple(int(t) for t in key) if isinstance(key, tuple) else (int(key),)
