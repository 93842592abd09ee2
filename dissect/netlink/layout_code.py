"""The code of one compiled layout renderer (:mod:`dissect.netlink.layouts` decides what
to compile and walks the message; this is what it writes with).

:class:`_Gen` collects a renderer's pieces as the walk finds them: the header words the
layout depends on (checked by one struct comparison), the value slots (read by one more
unpack), statements, and the output as literal text and code parts; :meth:`_Gen.build`
turns them into one function ``render(data, off, seq, pid)`` returning one f-string, run
through :func:`nlwire.wire.compiler.run_source`. :func:`_framed` frames the compiling
message's attributes as the walk would, registering each header as a check.
"""

from __future__ import annotations

import operator
import re
import struct
import sys
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring as _jstr
from typing import Any

from nlwire.consts import NLA_TYPE_MASK
from nlwire.wire.compiler import run_source
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nla import MAX_DEPTH

__all__ = ["Renderer"]

_NLA = struct.Struct("=HH").unpack_from
_LITTLE = sys.byteorder == "little"


class _Decimal(dict[int, str]):
    """``str(n)`` of an integer: from a table for the small ones (most counters, ids and
    flags; ``str()`` costs ~70 ns an int here, a lookup ~20), computed for the rest."""

    def __missing__(self, n: int) -> str:
        return str(n)


_DECIMAL = _Decimal((n, str(n)) for n in range(-256, 10000))


class _Pair(dict[int, str]):
    """``N,"show":"N``: a JSON node's value and show of a plain integer, as one string
    (one piece of the output instead of three); the small ones are kept as they are met."""

    def __missing__(self, n: int) -> str:
        text = f'{n},"show":"{n}'
        if -256 <= n < 10000:
            self[n] = text
        return text


_PAIR = _Pair()
_PAIR_FORMAT = '{0},"show":"{0}'.format  # _PAIR's text of any integer, in C

Renderer = Callable[[bytes, int, int, int], "str | None"]
"""``fn(data, off, seq, pid)``: the message's output, or None when its layout differs."""


class _Decline(Exception):
    """This layout is not compiled (the generic walk writes it, or hands it on)."""


class _Gen:
    """The pieces of one generated function: header checks, value slots, output parts."""

    def __init__(self, data: bytes, base: int, fixed: FixedStruct | None = None) -> None:
        self.data = data
        self.base = base  # the compiling message's offset in its frame (JSON offsets)
        self.fixed = fixed  # the message's fixed header (a by_header kind reads a field of it)
        self.relative = False  # JSON: node offsets written relative to the message's
        self.checks: list[tuple[int, str, Any]] = []  # (pos rel. to the message, code, expected)
        self.slots: list[tuple[int, str, str]] = []  # (pos, code, variable)
        self.pre: list[str] = []  # statements before the return
        self.parts: list[tuple[bool, str]] = []  # (is code, text)
        self.consts: dict[str, Any] = {}
        self._read: dict[tuple[int, str], str] = {}
        self._slot_vars: set[str] = set()
        self._strs: dict[str, str] = {}  # slot variable -> variable of its str()
        self._pairs: dict[str, str] = {}  # slot variable -> variable of its _PAIR text
        self._joins: dict[str, list[str]] = {}  # marker -> integer variables joined there
        self._n = 0

    def name(self, prefix: str = "v") -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def const(self, obj: Any) -> str:
        n = self.name("_k")
        self.consts[n] = obj
        return n

    def check(self, pos: int, code: str, expected: Any) -> None:
        if (pos, code, expected) not in self.checks:
            self.checks.append((pos, code, expected))

    def value(self, pos: int, code: str) -> str:
        """A variable holding the value of ``code`` (``=I``, ``<H``, ``>I``, ``6s``) at ``pos``."""
        known = self._read.get((pos, code))
        if known is not None:
            return known  # the same bytes read twice (a struct's show and its fields)
        order, letter = (code[0], code[1:]) if code[0] in "<>=!@" else ("=", code)
        var = self._read[(pos, code)] = self.name()
        if order == "=" or (order == "<" and _LITTLE) or (order in ">!" and not _LITTLE):
            self.slots.append((pos, letter, var))
            self._slot_vars.add(var)
        else:
            fn = self.const(struct.Struct(order + letter).unpack_from)
            self.pre.append(f"{var} = {fn}(data, off + {pos})[0]")
        return var

    @staticmethod
    def _converted(var: str, table: dict[str, str], prefix: str) -> str:
        """The variable holding a value slot's text form (``table``: slot -> that variable;
        the conversions are emitted by :meth:`build`, in C where they can be)."""
        text = table.get(var)
        if text is None:
            text = table[var] = prefix + var[1:]
        return text

    def num(self, var: str) -> None:
        """The decimal text of an integer variable (a value slot's is made once, in C, by ``map(str)``)."""
        self.parts.append((True, self._converted(var, self._strs, "s") if var in self._slot_vars else var))

    def pair(self, var: str) -> None:
        """``N,"show":"N`` of an integer variable (a JSON node's value and show)."""
        if var in self._slot_vars:
            self.parts.append((True, self._converted(var, self._pairs, "p")))
        else:
            self.num(var)
            self.lit(',"show":"')
            self.num(var)

    def joined(self, names: list[str]) -> None:
        """``a, b, c``: the decimal texts of integer variables joined (an array's show)."""
        mark = f"_joined{len(self._joins)}"
        self._joins[mark] = names
        self.parts.append((True, mark))

    def lit(self, text: str) -> None:
        self.parts.append((False, text))

    def marked(self, text: str) -> None:
        """``text`` with each :func:`_var` mark replaced by its variable's decimal text
        (``N,"show":"N`` pairs as :meth:`pair`): a node written by the emitter's own
        function, with variables where the values go."""
        pieces = text.split(_MARK)
        i = 0
        while i < len(pieces):
            if i % 2 == 0:
                self.lit(pieces[i])
            elif i + 2 < len(pieces) and pieces[i + 1] == ',"show":"' and pieces[i + 2] == pieces[i]:
                self.pair(pieces[i])
                i += 2
            else:
                self.num(pieces[i])
            i += 1

    def expr(self, code: str) -> None:
        self.parts.append((True, code))

    def mark(self) -> int:
        self.parts.append((False, ""))
        return len(self.parts) - 1

    def patch(self, at: int, text: str) -> None:
        self.parts[at] = (False, text)

    def build(self) -> Renderer:
        checks = sorted(self.checks)
        hfmt, expected = _packed(checks)
        slots = sorted(self.slots)
        vfmt, _ = _packed([(p, c, None) for p, c, _v in slots])
        g = dict(self.consts)
        g.update(_colon=":", _sp=" ", _empty="(empty)")
        g["_hs"] = struct.Struct(hfmt).unpack_from
        g["_exp"] = tuple(expected)
        body = ["def render(data, off, seq, pid):", "    if _hs(data, off) != _exp:", "        return None"]
        if slots:
            g["_vs"] = struct.Struct(vfmt).unpack_from
            body.append("    t = _vs(data, off)")
            body.append(f"    ({', '.join(v for _p, _c, v in slots)},) = t")
            index = {v: i for i, (_p, _c, v) in enumerate(slots)}
            # values outside the tables' range in the compiling message (counters, mostly)
            # are converted by a C function rather than by the tables' __missing__
            sample = g["_vs"](self.data, self.base)
            convs = (
                ("_dec", self._strs, _DECIMAL.__getitem__, str),
                ("_pair", self._pairs, _PAIR.__getitem__, _PAIR_FORMAT),
            )
            for name, table, small, big in convs:
                made = sorted(table, key=index.__getitem__)
                wide = [v for v in made if not -256 <= sample[index[v]] < 10000]
                narrow = [v for v in made if v not in wide]
                for conv, to_text, some in ((name, small, narrow), (name + "_w", big, wide)):
                    g[conv] = to_text
                    if len(some) == 1:
                        body.append(f"    {table[some[0]]} = {conv}(t[{index[some[0]]}])")
                    elif some:
                        g[conv + "_pick"] = operator.itemgetter(*(index[v] for v in some))
                        body.append(f"    ({', '.join(table[v] for v in some)},) = map({conv}, {conv}_pick(t))")
        body += ["    " + s for s in self.pre]
        g["_djoin"] = ", ".join
        g["_dmap"] = _DECIMAL.__getitem__
        slot_at = {v: i for i, (_p, _c, v) in enumerate(slots)}
        joins = {}
        for mark, names in self._joins.items():
            first = slot_at.get(names[0])
            if first is not None and all(slot_at.get(v) == first + i for i, v in enumerate(names)):
                joins[mark] = f"_djoin(map(_dmap, t[{first}:{first + len(names)}]))"  # a run of the values
            else:
                joins[mark] = f"_djoin(map(_dmap, ({', '.join(names)},)))"
        out: list[str] = []
        lit: list[str] = []

        def literal() -> None:
            # a JSON node's offset counts from the frame's first byte: written from the
            # message's own offset, so the layout serves a message at any offset
            pieces = _OFFSET.split("".join(lit)) if self.relative else ["".join(lit)]
            for i, piece in enumerate(pieces):
                if i % 2:
                    rel = int(piece) - self.base
                    out.append("f'{off" + (f" + {rel}" if rel else "") + "}'")
                elif piece:
                    out.append(repr(piece))
            lit.clear()

        for is_code, text in self.parts:
            if is_code:
                if lit:
                    literal()
                out.append("f'{" + joins.get(text, text) + "}'")
            elif text:
                lit.append(text)
        if lit:
            literal()
        body.append("    return (" + ("\n        ".join(out) or "''") + ")")
        run_source("\n".join(body) + "\n", "dissect.layouts render", g)  # the code generated above
        fn: Renderer = g["render"]
        return fn


_MARK = "\x00"
_OFFSET = re.compile(r'(?<="offset":)(\d+)')


def _var(var: str | int) -> str | int:
    """A variable's mark in text :meth:`_Gen.marked` compiles (an int stays a constant)."""
    return f"{_MARK}{var}{_MARK}" if isinstance(var, str) else var


def _packed(items: list[tuple[int, str, Any]]) -> tuple[str, list[Any]]:
    """A native-order struct format reading ``code`` at each ``pos`` (sorted, not overlapping)."""
    fmt = ["="]
    at = 0
    vals = []
    for pos, code, v in items:
        if pos < at:
            raise _Decline  # overlapping reads: not a layout this module understands
        if pos > at:
            fmt.append(f"{pos - at}x")
        fmt.append(code)
        at = pos + struct.calcsize("=" + code)
        vals.append(v)
    return "".join(fmt), vals


def _safe_json(text: str) -> bool:
    """True when ``text`` is its own JSON string body (no escaping needed)."""
    return _jstr(text) == f'"{text}"'


def _framed(g: _Gen, start: int, end: int, level: int) -> Iterator[tuple[int, int, int, int, int]]:
    """The attributes of the compiling message's ``[start, end)``, as the walk frames them:
    ``(header position, nla_len, type, value start, value end)``, each header registered
    as a check of the layout. Anything the walk would report as a problem declines."""
    if level > MAX_DEPTH:
        raise _Decline
    data = g.data
    base = g.base
    pos = start
    last = end - 4
    while pos <= last:
        ln, t = _NLA(data, base + pos)
        nxt = pos + ln
        if ln < 4 or nxt > end:
            raise _Decline
        g.check(pos, "H", ln)
        g.check(pos + 2, "H", t)
        yield pos, ln, t & NLA_TYPE_MASK, pos + 4, nxt
        pos += (ln + 3) & ~3
    if pos < end:
        raise _Decline
