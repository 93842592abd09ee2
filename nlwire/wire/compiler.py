"""One compiler from the declarations to Python: an attribute set becomes a walk.

For an :class:`~nlwire.wire.attrs.AttrSet` and a *target* (what to do with each
attribute) :func:`compiled` generates one Python function that loops over the
``struct nlattr`` of an area, checks its framing, and dispatches on the type to
the code each kind contributes through ``Kind.decode_code`` (a kind without code
of its own falls back to calling its ``decode``). The code is per *schema*, not
per byte layout: every message of the set runs it, whatever attributes it
carries, in whatever order and size.

The walk skeleton (framing, bounds checks, type dispatch) is :func:`_skeleton`;
what happens to each attribute is the target's: :class:`Decode` builds the
:class:`~nlwire.wire.attrs.Attrs` of a strict decode, :class:`Check` says whether
a strict decode would succeed (``fits_plain``), :class:`Pick` reads chosen values
without building anything (``Picker``), :class:`Frame` checks the framing alone (the lazy
decode); :mod:`nlwire.wire.walks` puts them to use. A
new target (the dissector's renderers, say) is one more subclass of :class:`Target`;
a new kind is one class with its own ``decode_code``.

The same kinds' code is also unrolled for one *layout* (:func:`_unrolled`: the exact
``nla_len``/``nla_type`` sequence of an area, checked by one struct comparison, every
fixed-size value read by one unpack): :mod:`nlwire.wire.walks` puts such walks on top
of the loop for layouts a dump repeats.

Generated source is registered with :mod:`linecache` (a traceback shows the
generated line) and is printable: ``print(source(ROUTE_ATTRS))``.
"""

from __future__ import annotations

import itertools
import linecache
import re
import struct
import sys
from collections.abc import Callable
from typing import Any

from nlwire.consts.netlink import NLA_HDRLEN, NLA_TYPE_MASK
from nlwire.errors import DecodeError, TruncatedError
from nlwire.wire.attrs import _UNSET, Attrs, AttrSet, Binary, Kind, indent, writable
from nlwire.wire.nla import MAX_DEPTH, _bad_attr

__all__ = [
    "Check", "Code", "Decode", "Frame", "Head", "Pick", "Target", "Unit", "compiled", "run_source", "source", "unit",
]


# ------------------------------------------------------------------------------ code


class Code:
    """What a kind's ``decode_code(c)`` writes its code with: it returns statement lines
    (indented relative to each other) that produce the attribute's value with
    :meth:`assign`, or reject the payload with :meth:`invalid`. In those lines ``buf`` is
    the buffer, ``s`` and ``nxt`` the payload's start and end, ``tt`` the attribute type
    and ``header`` the message's fixed header record (None without one).
    """

    def __init__(self, unit: Unit, atype: int, at: tuple[int, int] | None = None) -> None:
        self.unit = unit
        self.target = unit.target
        self.type = atype
        """The attribute type being compiled (several types may share the code made)."""
        self.at = at
        self._slot: int | None = None
        self.size = None if at is None else at[1] - at[0]
        """The payload's size where the walk knows it (a layout-specialised walk), else None:
        a kind may then choose its code now instead of checking the size at run time."""

    @property
    def learns(self) -> bool:
        """A layout walk's nest that may have layout walks of its own (:mod:`nlwire.wire.walks`
        learns them for areas of ``MIN_SIZE`` bytes or more): tried through them. Any other
        nest is walked by its set's loop, called straight away."""
        return self.size is not None and bool(_GLOBALS["learns"](self.size))

    @property
    def slot(self) -> int:
        """The attribute's place among the values a layout-specialised walk makes."""
        if self._slot is None:
            self._slot = self.unit.slots
            self.unit.slots += 1
        return self._slot

    def read(self, fmt: str) -> str:
        """An expression for the tuple of values the :mod:`struct` format ``fmt`` reads at the
        payload's start (in a layout-specialised walk, a slice of one unpack of them all)."""
        return self.unit.read(self, fmt, False)

    def read1(self, fmt: str) -> str:
        """An expression for the one value ``fmt`` reads at the payload's start."""
        return self.unit.read(self, fmt, True)

    def payload(self) -> str:
        """An expression for the payload's bytes."""
        if self.size is None:
            return "buf[s:nxt]"
        return self.read1(f"{self.size}s") if self.size else "b''"

    def const(self, value: Any) -> str:
        """A name for ``value`` in the generated code."""
        return self.unit.const(value)

    def assign(self, expr: str) -> list[str]:
        """Lines making ``expr`` the attribute's value."""
        return self.target.assign(self, expr) or ["pass"]

    def invalid(self) -> list[str]:
        """Lines for a payload the kind rejects (the strict decode raises the kind's own error)."""
        return self.target.invalid(self)

    def call_decode(self, kind: Kind) -> list[str]:
        """Lines taking the value from ``kind.decode`` (where the target has no
        :class:`~nlwire.wire.attrs.Attrs` to pass it as the owner, the target's refusal:
        :class:`Check` says "not known", :class:`Pick` "cannot answer")."""
        return self.target.call_decode(self, kind)

    def nested(self, attr_set: AttrSet) -> list[str]:
        """Lines for a payload that is itself attributes of ``attr_set`` (its own compiled walk)."""
        return self.target.nested(self, attr_set)

    def later(self) -> list[str]:
        """Lines for a value that needs its siblings (decoded after the walk)."""
        return self.target.later(self)

    def header_field(self, name: str) -> str:
        """An expression reading field ``name`` of the fixed header (None without one)."""
        self.unit.uses_header = True
        return f"getattr(header, {name!r}, None)"

    def code_of(self, kind: Kind) -> list[str]:
        """``kind``'s lines (for kinds that choose between kinds)."""
        return kind.decode_code(self)


# ------------------------------------------------------------------------------ targets


class Target:
    """What a compiled walk does with each attribute; the skeleton is shared."""

    name = "walk"
    args = "buf, start, end, header"
    layout_args = property(lambda self: self.args)
    """A layout-specialised walk's parameters (its area's size is its own)."""
    values = True
    """The target uses values (a check does not: :meth:`Code.read` then reads nothing)."""

    def key(self) -> Any:
        """What tells two units of the same set apart (a picker's keys)."""
        return self.name

    def prologue(self, u: Unit) -> list[str]:
        return []

    def bad(self) -> list[str]:
        """Malformed framing (``ln``, ``off``: the attribute; ``end``: the area's end)."""
        return ["return None"]

    def trailing(self) -> list[str]:
        return ["return None"]

    def epilogue(self, u: Unit) -> list[str]:
        return ["return True"]

    def unknown(self, c: Code) -> list[str]:
        """A type the set does not declare."""
        return c.assign(c.payload())

    def wanted(self, u: Unit) -> dict[int, Any] | None:
        """The types the walk dispatches on (None: all the set declares)."""
        return None

    def case(self, c: Code, kind: Kind) -> list[str]:
        return c.code_of(kind)

    def assign(self, c: Code, expr: str) -> list[str]:
        return []

    def invalid(self, c: Code) -> list[str]:
        return ["return None"]

    def refuse(self, c: Code) -> list[str]:
        return ["return None"]

    def call_decode(self, c: Code, kind: Kind) -> list[str]:
        return self.refuse(c)

    def nested(self, c: Code, attr_set: AttrSet) -> list[str]:
        return self.refuse(c)

    def later(self, c: Code) -> list[str]:
        return self.refuse(c)

    def inline(self, u: Unit, blocks: list[list[str]]) -> list[bool]:
        """Which of a layout walk's attribute blocks are left out, their values inline in the
        target's epilogue (recorded in ``u.inline``)."""
        return [False] * len(blocks)


class Decode(Target):
    """The strict decode: an :class:`~nlwire.wire.attrs.Attrs` with every value decoded,
    at every depth; the DecodeError the kind raises for a bad value (its offset and
    path), or the framing's, for bad bytes."""

    name = "decode"
    args = "buf, start, end, header, path, depth"

    def prologue(self, u: Unit) -> list[str]:
        return [
            "if depth > MAX_DEPTH:",
            "    too_deep(start, path)",
            f"a = new({u.const(u.attrs_class())})",
            "a.header = header",
            "a._buf = buf",
            "a._path = path",
            "a._depth = depth",
            "a._start = start",
            "a._end = end",
            # a layout's values are made into locals (or straight into the list, below)
            *(["values = a._values = []", "put = values.append"] if u.layout is None else []),
            *(["pend = False"] if u.pending else []),
        ]

    def bad(self) -> list[str]:
        return ["bad(ln, off, end, path)"]

    def trailing(self) -> list[str]:
        return ["trailing(off, end, path)"]

    def epilogue(self, u: Unit) -> list[str]:
        out = []
        if u.layout is not None:
            # a tuple where no value waits for its siblings: nothing is stored into it later, and
            # a tuple of plain values drops out of the cyclic GC's sight
            inline = u.inline or {}
            values = "".join(f"{inline.get(i, f'v{i}')}, " for i in range(u.slots))
            out.append(f"a._values = [{values}]" if u.pending else f"a._values = ({values})")
        return [*out, *(["if pend:", "    settle(a)"] if u.pending else []), "return a"]

    def assign(self, c: Code, expr: str) -> list[str]:
        return [f"put({expr})" if c.at is None else f"v{c.slot} = {expr}"]

    def invalid(self, c: Code) -> list[str]:
        return self.assign(c, "slow(a, tt, s, nxt)")

    refuse = invalid

    def call_decode(self, c: Code, kind: Kind) -> list[str]:
        return self.assign(c, "slow(a, tt, s, nxt)")

    def nested(self, c: Code, attr_set: AttrSet) -> list[str]:
        suffix = c.const(f"[{c.unit.attr_set.name_of(c.type)}]")
        if c.learns:  # a layout walk's nest: the nest's own layout walks, learned in turn
            args = f"buf, s, nxt, header, path + {suffix}, depth + 1"
            sizes = c.const(_GLOBALS["layouts_of"](attr_set))  # (their walks of this size tried here)
            return [
                f"for fn in {sizes}.get({c.size}, ()):",
                f"    v{c.slot} = fn({args})",
                f"    if v{c.slot} is not None:",
                "        break",
                "else:",
                *indent(self.assign(c, f"strict({c.const(attr_set)}, {args})")),
            ]
        child = c.unit.call(attr_set, self)
        return self.assign(c, f"{child}(buf, s, nxt, header, path + {suffix}, depth + 1)")

    def later(self, c: Code) -> list[str]:
        c.unit.pending = True
        return [*self.assign(c, "U"), "pend = True"]

    def inline(self, u: Unit, blocks: list[list[str]]) -> list[bool]:
        """An attribute that is one assignment of a value read from the unpack (no call that
        can raise, no ``s``/``nxt``/``tt``) goes straight into the values, no local."""
        u.inline = {}
        out = []
        for b in blocks:
            m = _ASSIGNED.fullmatch(b[0]) if len(b) == 1 else None
            if m is not None and not _NAMES.search(m.group(2)) and not _CALLS.search(m.group(2)):
                u.inline[int(m.group(1))] = m.group(2)
            out.append(u.inline.get(int(m.group(1))) is not None if m is not None else False)
        return out


_ASSIGNED = re.compile(r"v(\d+) = (.*)")
_CALLS = re.compile(r"\b(slow|strict|fits|w\w+)\(")
"""The calls in generated code that may raise: their lines stay in wire order."""


class Check(Target):
    """True when a strict decode of the area cannot fail, False when it would or when that
    is not known (what :func:`fits_plain` answers).

    An attribute whose kind has no code of its own, or whose kind a sibling chooses
    (:meth:`~nlwire.wire.attrs.Kind.sibling_selector`), is told after the walk, as the
    strict decode tells it (:func:`_pending_fit`): the chosen kind by its own check code,
    a kind without code by its ``decode``."""

    name = "check"
    args = "buf, start, end, header, depth"
    values = False

    def prologue(self, u: Unit) -> list[str]:
        return ["if depth > MAX_DEPTH:", "    return False", *(["pend = []"] if u.pending else [])]

    def epilogue(self, u: Unit) -> list[str]:
        if not u.pending:
            return ["return True"]
        told = f"{u.const(_pending_fit)}({u.const(u.attr_set)}, buf, start, end, header, depth, pend)"
        return [f"return not pend or {told}"]

    def bad(self) -> list[str]:
        return ["return False"]

    def trailing(self) -> list[str]:
        return ["return False"]

    def refuse(self, c: Code) -> list[str]:
        return ["return False"]

    def invalid(self, c: Code) -> list[str]:
        return ["return False"]

    def unknown(self, c: Code) -> list[str]:
        return []

    def call_decode(self, c: Code, kind: Kind) -> list[str]:
        return self.later(c)

    def later(self, c: Code) -> list[str]:
        c.unit.pending = True
        return ["pend.append((tt, s, nxt))"]

    def nested(self, c: Code, attr_set: AttrSet) -> list[str]:
        if c.learns:  # a layout walk's nest: the nest's own layout walks, learned in turn
            return [f"if not fits({c.const(attr_set)}, buf, s, nxt, header, depth + 1):", "    return False"]
        return [f"if not {c.unit.call(attr_set, self)}(buf, s, nxt, header, depth + 1):", "    return False"]


def _pending_fit(
    attr_set: AttrSet, buf: bytes, start: int, end: int, header: Any, depth: int, pend: list[tuple[int, int, int]]
) -> bool:
    """:class:`Check`'s verdict on the attributes at ``pend`` (type, payload start and end)
    of the well-framed area ``buf[start:end]`` of ``attr_set``, as the strict decode gives
    it: a kind a sibling chooses is looked up by the sibling's value and checked by its own
    code (compiled once per type and choice); a kind without code is decoded, with the
    area's attributes as its owner, eagerly, as :func:`_slow` decodes it there."""
    owner = writable(Attrs.from_bytes(attr_set, buf, start, end, header=header))
    owner._eager = True  # (its children decode strictly, in full, as the strict decode's do)
    owner._depth = depth
    for tt, s, nxt in pend:
        kind = attr_set.kinds[tt]
        selector = kind.sibling_selector()
        try:
            if selector is None:
                _slow(owner, tt, s, nxt)
                continue
            chosen = selector.choices.get(owner.get(selector.key), selector.default)
        except Exception:
            return False
        if chosen.sibling_selector() is not None:
            return False  # (a choice of a choice: the decode decides)
        key = ("check choice", tt, id(chosen))
        fn = attr_set.compiled.get(key)
        if fn is None:
            alone = AttrSet(attr_set.enum, {attr_set.enum(tt): chosen}, name=f"{attr_set.name}_{tt}_choice")
            fn = attr_set.compiled[key] = compiled(alone, CHECK)
        if not fn(buf, s - NLA_HDRLEN, nxt, header, depth):  # (the attribute alone, framed as it is)
            return False
    return True


class Frame(Target):
    """The lazy decode: the area's framing checked (the strict decode's DecodeError for bad
    framing), no value decoded. The :class:`~nlwire.wire.attrs.Attrs` made keeps the area;
    its ``(type, flags, start, end)`` items are scanned when first asked for, each value
    decoded on first access. Only the top level is framed: a nest is framed when read."""

    name = "frame"
    args = "buf, start, end, header, path"
    values = False

    def wanted(self, u: Unit) -> dict[int, Any]:
        return {}

    def bad(self) -> list[str]:
        return ["bad(ln, off, end, path)"]

    def trailing(self) -> list[str]:
        return ["trailing(off, end, path)"]

    def epilogue(self, u: Unit) -> list[str]:
        cls = u.attrs_class("lazy", _eager=False, _depth=0)
        return [f"a = new({u.const(cls)})", "a.header = header", "a._buf = buf", "a._path = path",
                "a._start = start", "a._end = end", "return a"]


class Pick(Target):
    """Chosen values, as ``Attrs.pick`` gives them (the first occurrence, None when absent),
    read straight from the bytes; None when the walk cannot answer (bad framing, a bad
    chosen value, a value only its kind's ``decode`` makes): the caller then decodes."""

    name = "pick"
    args = "buf, start, end, header=None"
    layout_args = "buf, start, header=None, _=None"  # (what Picker.hot's functions take)

    def __init__(
        self,
        tree: dict[int, Any],
        raw: frozenset[tuple[int, ...]],
        prefix: tuple[int, ...] = (),
        order: tuple[int, ...] | None = None,
    ) -> None:
        self.tree = tree
        """type -> its value's slot (a leaf) or a subtree (a path into a nest)."""
        self.raw = raw
        self.prefix = prefix
        self.slots = sorted(_leaves(tree))
        self.order = order
        """The top level's answer: a list of these slots (a nest's is a tuple of its slots)."""

    def key(self) -> Any:
        return ("pick", _frozen(self.tree), self.raw, self.prefix, self.order)

    def prologue(self, u: Unit) -> list[str]:
        names = [f"p{i}" for i in self.slots] + [f"f{t}" for t, v in self.wanted(u).items() if isinstance(v, dict)]
        return [f"{' = '.join(names)} = None"] if names and u.inline is None else []

    def epilogue(self, u: Unit) -> list[str]:
        inline = u.inline

        def got(i: int) -> str:
            return f"p{i}" if inline is None else inline.get(i, "None")

        if self.order is not None:
            return [f"return [{', '.join(got(i) for i in self.order)}]"]
        return [f"return ({''.join(f'{got(i)}, ' for i in self.slots)})"]

    def inline(self, u: Unit, blocks: list[list[str]]) -> list[bool]:
        """A layout whose chosen values are each one expression: they go straight into the
        answer (the layout says which are present); else none does."""
        found = [_PICKED.fullmatch(b[0]) if len(b) == 1 else None for b in blocks]
        if not all(m is not None and not _NAMES.search(m.group(2)) for m in found):
            return [False] * len(blocks)
        u.inline = {int(m.group(1)): m.group(2) for m in found if m is not None}
        return [True] * len(blocks)

    def wanted(self, u: Unit) -> dict[int, Any]:
        return {t: v for t, v in self.tree.items() if t != _WHOLE}

    def case(self, c: Code, kind: Kind) -> list[str]:
        want = self.tree[c.type]
        if isinstance(want, dict) and _WHOLE in want:
            return self.refuse(c)  # a whole nest, and values inside it
        if c.at is not None:  # a layout walk: the first occurrence is known now
            if c.type in c.unit.seen:
                return []
            c.unit.seen.add(c.type)
            lines = c.code_of(kind) if (*self.prefix, c.type) not in self.raw else [f"p{want} = {c.payload()}"]
            return lines
        if isinstance(want, dict):
            guard = f"f{c.type}"
            return [f"if {guard} is None:", f"    {guard} = True", *indent(c.code_of(kind))]
        if (*self.prefix, c.type) in self.raw:
            return [f"if p{want} is None:", f"    p{want} = buf[s:nxt]"]
        return [f"if p{want} is None:", *indent(c.code_of(kind))]

    def assign(self, c: Code, expr: str) -> list[str]:
        want = self.tree[c.type]
        if isinstance(want, dict):
            return self.refuse(c)  # a value where a path into a nest is wanted
        return [f"p{want} = {expr}"]

    def nested(self, c: Code, attr_set: AttrSet) -> list[str]:
        want = self.tree[c.type]
        if not isinstance(want, dict):
            return self.refuse(c)  # a whole nest
        sub = Pick(want, self.raw, (*self.prefix, c.type))
        got = ", ".join(f"p{i}" for i in sub.slots)
        # a layout walk's nest: the nest's own layout walks, learned in turn
        call = f"pick_in({c.const(attr_set)}, {c.const(sub)}, " if c.learns else f"{c.unit.call(attr_set, sub)}("
        return [
            f"got = {call}buf, s, nxt, header)",
            "if got is None:",
            "    return None",
            f"{got}, = got" if got else "pass",
        ]


_PICKED = re.compile(r"p(\d+) = (.*)")
_WHOLE = -1
"""In a picker's tree, the slot of a nest wanted whole as well as values inside it."""


def _leaves(tree: dict[int, Any]) -> list[int]:
    out: list[int] = []
    for v in tree.values():
        out += _leaves(v) if isinstance(v, dict) else [v]
    return out


def _frozen(tree: dict[int, Any]) -> Any:
    return tuple(sorted((t, _frozen(v) if isinstance(v, dict) else v) for t, v in tree.items()))


class Head:
    """What a *message walk* reads before its attributes and makes after them: a layout
    walk (:func:`_unrolled`) of a whole message, its one unpack reading the message's
    start (``fmt``: the nlmsghdr and the fixed header) with its attributes' values. The
    walk takes ``(buf, off, end, path, protocol, schema)`` for the message at
    ``buf[off:end]``, its attributes at ``off + attrs_at``; the values ``first`` to
    ``fields`` of the start make the ``record`` named ``header``; where the target's walk
    returns its attributes ``a``, a message walk returns ``make``, an expression over ``r``
    (the unpacked values), ``header``, ``a``, the arguments and the names in ``consts``.
    The caller (:mod:`nlwire.codec`) says what a message is made of."""

    def __init__(
        self, fmt: str, first: int, record: type, attrs_at: int, make: str, consts: dict[str, Any]
    ) -> None:
        self.fmt = fmt
        self.size = struct.calcsize("=" + fmt)
        self.fields = len(struct.unpack("=" + fmt, bytes(self.size)))
        self.first = first
        self.record = record
        self.attrs_at = attrs_at
        self.make = make
        self.consts = consts


# ------------------------------------------------------------------------------ units


class Unit:
    """One generated function: an attribute set walked for a target."""

    def __init__(
        self,
        attr_set: AttrSet,
        target: Target,
        layout: list[tuple[int, int, int, int]] | None = None,
        head: Head | None = None,
    ) -> None:
        self.attr_set = attr_set
        self.target = target
        self.layout = layout
        """For a layout-specialised walk, the ``(type, flags, start, end)`` of each attribute
        relative to the area's start: the code is then unrolled for exactly these."""
        self.head = head
        """For a message walk (with a layout), what it reads before the attributes and makes."""
        self.ns: dict[str, Any] = dict(_GLOBALS, **(head.consts if head is not None else {}))
        self._ids: dict[int, str] = {}
        self.uses_header = False
        self.pending = False
        self.children: list[tuple[AttrSet, Target]] = []
        self.pieces: list[tuple[int, str]] = []
        """A layout-specialised walk's values read by one unpack: ``(offset, format)``."""
        self.count = 0 if head is None else head.fields
        self.read_to = 0
        self.slots = 0
        self.inline: dict[int, str] | None = None
        """A layout walk's values as expressions in its epilogue (None: in locals)."""
        self.seen: set[int] = set()
        global units_made
        units_made += 1
        self.fname = f"{target.name}_{_ident(attr_set.name)}" + (f"_{layout[-1][3]}" if layout else "")
        if head is not None:
            self.fname += "_message"
        self.source = self._generate()
        run_source(self.source, f"wire.compiler {self.fname}", self.ns)
        self.fn: Callable[..., Any] = self.ns[self.fname]

    def attrs_class(self, name: str = "class", **shared: Any) -> type[Attrs]:
        """What every Attrs a decode makes of this set shares, on a class of its own (no slots
        of its own: its class attributes stand in for the base's slots never rewritten; a
        strict decode's by default, ``shared`` gives other values)."""
        cls: type[Attrs] | None = self.attr_set.compiled.get(name)
        if cls is None:
            cls = self.attr_set.compiled[name] = type(
                "Attrs",
                (Attrs,),
                {"__slots__": (), "__module__": Attrs.__module__, "__qualname__": Attrs.__qualname__,
                 "attr_set": self.attr_set, "_parent": None, "_ptype": None, "_eager": True, **shared},
            )
        return cls

    def const(self, value: Any) -> str:
        name = self._ids.get(id(value))
        if name is None:
            name = self._ids[id(value)] = f"C{len(self._ids)}"
            self.ns[name] = value
        return name

    def unpacker(self, fmt: str) -> str:
        order = {"<": "le", ">": "be", "!": "be"}.get(fmt[0], "")
        name = f"u{order}_{fmt.lstrip('=<>!@')}"
        if name not in self.ns:
            self.ns[name] = struct.Struct(fmt).unpack_from
        return name

    def read(self, c: Code, fmt: str, one: bool) -> str:
        if not self.target.values:
            return "None"
        native = fmt[0] not in "<>!@" or fmt[0] == _NATIVE
        if c.at is None or not native or c.at[0] < self.read_to:
            return f"{self.unpacker(fmt)}(buf, s)" + ("[0]" if one else "")
        body = fmt.lstrip("=<>!@")
        n = len(struct.unpack("=" + body, bytes(struct.calcsize("=" + body))))
        first = self.count
        self.pieces.append((c.at[0], body))
        self.count += n
        self.read_to = c.at[0] + struct.calcsize("=" + body)
        return f"r[{first}]" if one and n == 1 else f"r[{first}:{first + n}]" + ("[0]" if one else "")

    def call(self, attr_set: AttrSet, target: Target) -> str:
        """The name under which this unit's code calls ``attr_set``'s walk for ``target``
        (compiled on its first call, so sets that nest themselves compile once)."""
        name = f"w{self.const(attr_set)}_{self.const(target.key())}"
        if name not in self.ns:
            ns = self.ns
            self.children.append((attr_set, target))

            def first(*args: Any) -> Any:
                fn = ns[name] = compiled(attr_set, target)
                return fn(*args)

            ns[name] = first
        return name

    def _block(self, atype: int, at: tuple[int, int] | None = None) -> list[str] | None:
        """The lines for attributes of type ``atype`` (None: the target does not want them)."""
        t = self.target
        wanted = t.wanted(self)
        if wanted is not None and atype not in wanted:
            return None
        kind = self.attr_set.kinds.get(atype)
        c = Code(self, atype, at)
        lines = t.unknown(c) if kind is None and wanted is None else t.case(c, _RAW if kind is None else kind)
        return [] if all(line.strip() == "pass" for line in lines) else lines

    def _generate(self) -> str:
        t = self.target
        if self.layout is not None:
            check, walk = _unrolled(self)
            body = check + t.prologue(self) + walk + t.epilogue(self)
        else:
            wanted = t.wanted(self)
            blocks: list[list[str]] = [[]]
            if wanted is None:
                blocks[0] = self._block(-1) or []
            index = {tuple(blocks[0]): 0}
            case: dict[int, int] = {}
            for atype in sorted(self.attr_set.kinds if wanted is None else wanted):
                lines = self._block(atype)
                if lines is None:
                    continue
                n = index.setdefault(tuple(lines), len(blocks))
                if n == len(blocks):
                    blocks.append(lines)
                if n:
                    case[atype] = n
            self.ns["case"] = case.get
            dispatch = _tree(blocks, 0, len(blocks)) if len(blocks) > 1 or blocks[0] else []
            body = t.prologue(self) + _skeleton(t, dispatch) + t.epilogue(self)
        args = t.layout_args if self.layout is not None else t.args
        if self.head is not None:
            assert body[-1] == "return a", "a message walk's target makes Attrs"
            body[-1] = f"return {self.head.make}"
            args = "buf, off, end, path, protocol, schema"
        return f"def {self.fname}({args}):\n" + "".join(f"    {line}\n" for line in body)


def _unrolled(u: Unit) -> tuple[list[str], list[str]]:
    """The walk for one layout: ``(check, walk)``. The check reads every ``nla_len`` and
    ``nla_type`` by one struct and compares them with the layout's at once (None when they
    differ: the loop then decides); the walk is each attribute's code, its bounds constants,
    its fixed-size values read by one more unpack."""
    assert u.layout is not None
    fmt = ["="]
    expect: list[int] = []
    at = 0
    out: list[str] = []
    placed = []
    for atype, flags, s, e in u.layout:
        fmt += [f"{s - NLA_HDRLEN - at}x", "HH"]
        at = s
        expect += [e - s + NLA_HDRLEN, atype | flags]
        block = u._block(atype, (s, e))
        if block:
            placed.append((atype, s, e, block))
    dropped = u.target.inline(u, [block for *_, block in placed])
    for (atype, s, e, block), drop in zip(placed, dropped, strict=True):
        if not drop:
            used = set(_NAMES.findall("\n".join(block)))
            bounds = (("s", f"start + {s}"), ("nxt", f"start + {e}"), ("tt", str(atype)))
            out += [f"{name} = {value}" for name, value in bounds if name in used]
            out += block
    heads = u.const(struct.Struct("".join(fmt)).unpack_from)
    check = [f"if {heads}(buf, start) != {u.const(tuple(expect))}:", "    return None"]
    h = u.head
    if h is not None:  # a message walk: the values unpack starts at the message's start
        check.insert(0, f"start = off + {h.attrs_at}")
    if u.pieces or h is not None:
        vfmt = ["="] if h is None else ["=", h.fmt, f"{h.attrs_at - h.size}x"]
        at = 0
        for off, body in u.pieces:
            vfmt += [f"{off - at}x", body]
            at = off + struct.calcsize("=" + body)
        check.append(f"r = {u.const(struct.Struct(''.join(vfmt)).unpack_from)}(buf, {'start' if h is None else 'off'})")
    if h is not None:
        check += [f"header = new_t({u.const(h.record)}, r[{h.first}:{h.fields}])", "depth = 0"]
    return check, out


_NAMES = re.compile(r"\b(s|nxt|tt)\b")
_NATIVE = "<" if sys.byteorder == "little" else ">"


def _skeleton(t: Target, dispatch: list[str]) -> list[str]:
    """The walk every target shares: framing, bounds checks, then the type's case."""
    return [
        "off = start",
        f"last = end - {NLA_HDRLEN}",
        "while off <= last:",
        "    ln, t = nla(buf, off)",
        "    nxt = off + ln",
        f"    if ln < {NLA_HDRLEN} or nxt > end:",
        *indent(indent(t.bad())),
        *([f"    tt = t & {NLA_TYPE_MASK}", f"    s = off + {NLA_HDRLEN}"] if dispatch else []),
        "    off += (ln + 3) & -4",
        *(["    k = case(tt, 0)", *indent(dispatch)] if dispatch else []),
        "if off < end:",
        *indent(t.trailing()),
    ]


def _tree(blocks: list[list[str]], lo: int, hi: int) -> list[str]:
    """Case numbers ``lo <= k < hi`` found by halving: a few comparisons per attribute."""
    if hi - lo == 1:
        return blocks[lo] or ["pass"]
    mid = (lo + hi) // 2
    return [f"if k < {mid}:", *indent(_tree(blocks, lo, mid)), "else:", *indent(_tree(blocks, mid, hi))]


def _ident(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


_SERIAL = itertools.count(1)


def run_source(source: str, label: str, env: dict[str, Any]) -> dict[str, Any]:
    """Execute generated ``source`` in ``env`` (which it fills and returns) under the file
    name ``<nlwire.LABEL #N>``, whose lines are registered with :mod:`linecache`: a
    traceback through the generated code shows the line that failed, and
    ``inspect.getsource`` finds each generated function. Every generator of nlwire runs
    its code through here (the compiler's walks, result recipes, the dissector's renderers)."""
    filename = f"<nlwire.{label} #{next(_SERIAL)}>"
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)  # no mtime: never checked against a file
    exec(compile(source, filename, "exec"), env)
    return env
units_made = 0
"""Functions generated so far (for tests: compilations counted, not timed)."""
_RAW = Binary()


def _too_deep(start: int, path: str) -> None:
    raise DecodeError(f"attributes nested deeper than {MAX_DEPTH}", start, path)


def _trailing(off: int, end: int, path: str) -> None:
    raise TruncatedError(f"{end - off} trailing bytes after the last attribute", off, path)


def _slow(a: Attrs, t: int, s: int, e: int) -> Any:
    """The value of attribute ``t`` at ``s..e`` of ``a`` from its kind's ``decode``."""
    a._cur = t
    try:
        return a.attr_set.kinds[t].decode(a._buf, s, e, a)
    finally:
        a._cur = None


def _settle(a: Attrs) -> None:
    """Decode the values that waited for their siblings (in wire order)."""
    for pos, v in enumerate(a._values):
        if v is _UNSET:
            a._value_at(pos)


_GLOBALS: dict[str, Any] = {
    "nla": struct.Struct("=HH").unpack_from,
    "new": object.__new__,
    "new_t": tuple.__new__,
    "U": _UNSET,
    "MAX_DEPTH": MAX_DEPTH,
    "too_deep": _too_deep,
    "bad": _bad_attr,
    "trailing": _trailing,
    "slow": _slow,
    "settle": _settle,
}


def unit(attr_set: AttrSet, target: Target | None = None) -> Unit:
    """The compiled unit of ``attr_set`` for ``target`` (the strict decode by default)."""
    target = target or DECODE
    units = attr_set.compiled
    key = target.key()
    got = units.get(key)
    if got is None:
        got = units[key] = Unit(attr_set, target)
    return got


def compiled(attr_set: AttrSet, target: Target | None = None) -> Callable[..., Any]:
    """The generated function of ``attr_set`` for ``target``."""
    return unit(attr_set, target).fn


def source(attr_set: AttrSet, target: Target | str = "decode") -> str:
    """The generated source of ``attr_set``'s walk for ``target`` ("decode", "check" or "frame"), to read."""
    if isinstance(target, str):
        target = {"decode": DECODE, "check": CHECK, "frame": FRAME}[target]
    return unit(attr_set, target).source


DECODE = Decode()
CHECK = Check()
FRAME = Frame()
