"""Results from declarations: a *recipe* says where each field of a result comes from.

A result (``Route``, ``Link``...) is a frozen, slotted dataclass; its recipe names, per
field, one source:

* :func:`header` -- a field of the message's fixed header (``rtmsg.dst_len``);
* :func:`attr` -- an attribute, by type or by a path of types into nests
  (``attr(IFLA.LINKINFO, IFLA_INFO.KIND)``), the decoded value of its first occurrence,
  or with ``raw=True`` its payload bytes; absent, it is ``None`` or its ``default``;
* :func:`call` -- a function of other sources, not called when an attribute among its
  arguments (one without a default of its own) is absent: the value is then the call's
  ``default``;
* anything else is a constant.

>>> Recipe(Route, RTMSG, ROUTE_ATTRS, {                        # doctest: +SKIP
...     "family": header("family"),
...     "dst": call(network, attr(RTA.DST, raw=True), header("dst_len"),
...                 default=call(any_network, header("family"))),
...     "table": attr(RTA.TABLE, default=header("table")),
...     ...
... }, message=RTM.NEWROUTE)

One compiler (:class:`Recipe`) turns a recipe into Python source, registered with
:mod:`linecache` (a traceback shows the generated line) and kept in
:attr:`Recipe.source` for reading. It defines two functions that share the field
expressions:

* ``from_parts(header, attrs)``: the result of a decoded message's header record and
  :class:`~nlwire.wire.attrs.Attrs` (a reply, or an entry of a nest such as an
  ``rtnexthop``);
* ``at(data, offset)``, for a recipe with a ``message`` type: a dump entry made straight
  from the bytes of a datagram (``Socket.dump(build=...)``) -- the fixed header unpacked
  in one call, the attributes read through one :class:`~nlwire.wire.walks.Picker`, the
  result made by :func:`~nlwire._objects.maker`'s constructor, all in one function. A
  message the picker's compiled layouts cannot answer for is decoded the ordinary way
  (which teaches the layouts) and made by ``from_parts``; another message type gives
  None, as does a message with a ``skip_flags`` bit in its header's ``flags``.

Nothing here does I/O; results keep no reference to the datagram they came from.
"""

from __future__ import annotations

import dataclasses
import keyword
import struct
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from nlwire._objects import constructor
from nlwire.codec import decode_message
from nlwire.messages import Message
from nlwire.wire.attrs import Attrs, AttrSet
from nlwire.wire.compiler import run_source
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.netlink import NLMSG_HDRLEN, NLMSGHDR
from nlwire.wire.walks import Picker

__all__ = ["Attr", "Call", "Header", "Recipe", "attr", "call", "header"]

T = TypeVar("T")

_LEN_TYPE = struct.Struct(NLMSGHDR.struct.format[:3]).unpack_from  # type: ignore[union-attr]  # nlmsg_len, type


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
"""An attribute without a default: absent, it is None, and a :func:`call` taking it is not made."""


@dataclasses.dataclass(frozen=True)
class Header:
    """A field of the fixed header (see :func:`header`)."""

    field: str


@dataclasses.dataclass(frozen=True)
class Attr:
    """An attribute's value (see :func:`attr`)."""

    path: tuple[int, ...]
    raw: bool = False
    default: Any = NO_DEFAULT


@dataclasses.dataclass(frozen=True)
class Call:
    """A function of other sources (see :func:`call`)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    default: Any = None


def header(field: str) -> Header:
    """The fixed header's ``field`` (``header("dst_len")``)."""
    return Header(field)


def attr(*path: int, raw: bool = False, default: Any = NO_DEFAULT) -> Attr:
    """The attribute at ``path`` (a type, or types into nests): its decoded value, or with
    ``raw`` its payload bytes; when absent, ``default`` (a constant or another source),
    else None."""
    if not path:
        raise TypeError("attr() needs an attribute type")
    return Attr(tuple(int(t) for t in path), raw, default)


def call(fn: Callable[..., Any], *args: Any, default: Any = None) -> Call:
    """``fn(*args)`` of the sources ``args``; ``default`` (a constant or a source) when an
    attribute among ``args`` that has no default of its own is absent."""
    return Call(fn, args, default)


# ------------------------------------------------------------------------------ compiler

_LITERALS = (type(None), bool, int, str)  # exact types: an IntEnum member is a named constant
_RESERVED = frozenset({"data", "off", "ln", "mtype", "h", "v", "a", "start", "fn", "make", "hot", "search",
                       "unpack", "slow", "short", "error", "values", "keys", "record", "new", "self"})


def _free_name(name: str) -> bool:
    """``name`` may name a constant of generated code: no keyword, no name the code uses
    itself, and not of the shape of its locals (``h_FIELD``, ``aN``, ``cN``)."""
    return (name.isidentifier() and not keyword.iskeyword(name) and name not in _RESERVED
            and not name.startswith("h_") and not (name[0] in "ac" and name[1:].isdigit()))


class _Source:
    """The generated expressions of one recipe: header fields as locals ``h_NAME``,
    picked attributes as locals ``aN``, everything else as named constants."""

    def __init__(self, fixed: FixedStruct) -> None:
        self.fixed = fixed
        self.keys: list[tuple[tuple[int, ...], bool]] = []
        """The attributes read, ``(path, raw)``, in the order the values are picked."""
        self.env: dict[str, Any] = {}
        self._names: dict[int, str] = {}
        self.fields_used: set[str] = set()

    def const(self, value: Any) -> str:
        if type(value) in _LITERALS or (type(value) is tuple and value == ()):
            return repr(value)
        name = self._names.get(id(value))
        if name is None:
            # a function by its own name where that is free (the source reads better)
            name = getattr(value, "__name__", "").lstrip("_")
            if not _free_name(name) or name in self.env:
                name = f"c{len(self.env)}"
            self._names[id(value)] = name
            self.env[name] = value
        return name

    def key(self, src: Attr) -> str:
        want = (src.path, src.raw)
        if want not in self.keys:
            if (src.path, not src.raw) in self.keys:
                raise TypeError(f"attribute {src.path} is wanted both raw and decoded")
            self.keys.append(want)
        return f"a{self.keys.index(want)}"

    def expr(self, src: Any) -> str:
        if isinstance(src, Header):
            if src.field not in self.fixed.fields:
                raise TypeError(f"{self.fixed.name} has no field {src.field!r} (it has {self.fixed.fields})")
            self.fields_used.add(src.field)
            return f"h_{src.field}"
        if isinstance(src, Attr):
            name = self.key(src)
            if src.default is NO_DEFAULT or src.default is None:  # None: the value as it is, not absent
                return name
            return f"({name} if {name} is not None else {self.expr(src.default)})"
        if isinstance(src, Call):
            made = f"{self.const(src.fn)}({', '.join(self.expr(a) for a in src.args)})"
            guards = dict.fromkeys(self.key(a) for a in src.args if isinstance(a, Attr) and a.default is NO_DEFAULT)
            if not guards:
                return made
            absent = " or ".join(f"{g} is None" for g in guards)
            return f"({self.expr(src.default)} if {absent} else {made})"
        return self.const(src)

    def header_names(self, every: bool = False, also: str = "") -> list[str]:
        """The locals the fixed header's fields unpack to (``_`` for one not used, unless
        ``every``, or it is the field ``also``)."""
        return [f"h_{f}" if every or f in self.fields_used or f == also else "_" for f in self.fixed.fields]

    def unpack_values(self) -> str:
        return f"{', '.join(f'a{i}' for i in range(len(self.keys)))}, = v"


def message_values(attrs: Attrs | None, keys: tuple[tuple[tuple[int, ...], bool], ...]) -> list[Any]:
    """The values of ``keys`` (``(path, raw)``) in decoded ``attrs``, as a
    :class:`~nlwire.wire.walks.Picker` gives them from the bytes: the first occurrence,
    None when absent (or when a step of the path is no nest); a raw one as its payload
    bytes, which its kind's ``encode`` gives back byte for byte."""
    out: list[Any] = []
    for path, raw in keys:
        holder: Any = attrs
        value = None
        last = len(path) - 1
        for depth, t in enumerate(path):
            if not isinstance(holder, Attrs):
                value = None
                break
            value = holder.get(t)
            if value is None:
                break
            if raw and depth == last:
                value = holder.attr_set.kind(t).encode(value, holder)
            holder = value
        out.append(value)
    return out


class Recipe(Generic[T]):
    """A result type, its fixed header, its attribute set and where each field comes from,
    compiled (see the module docstring).

    ``fields`` names every field of the dataclass ``result``, in any order. With
    ``message`` (the netlink message type), :attr:`at` builds dump entries from bytes;
    ``skip_flags`` are header ``flags`` bits that leave a message out there (cloned routes)."""

    def __init__(
        self,
        result: type[T],
        fixed: FixedStruct,
        attr_set: AttrSet,
        fields: Mapping[str, Any],
        *,
        message: int | None = None,
        skip_flags: int = 0,
    ) -> None:
        names = [f.name for f in dataclasses.fields(result)]  # type: ignore[arg-type]
        missing, extra = set(names) - set(fields), set(fields) - set(names)
        if missing or extra:
            raise TypeError(f"recipe of {result.__name__}: no source for {sorted(missing)}, "
                            f"no field {sorted(extra)}")
        self.result = result
        self.fixed = fixed
        self.attr_set = attr_set
        self.fields = dict(fields)
        self.message = message
        src = _Source(fixed)
        exprs = [(name, src.expr(fields[name])) for name in names]
        for path, _raw in src.keys:
            _check_path(attr_set, path)
        self.keys: tuple[tuple[tuple[int, ...], bool], ...] = tuple(src.keys)
        """The attributes the recipe reads, ``(path, raw)``, in the order they are picked."""
        self.picker = Picker(attr_set, tuple(p for p, _ in self.keys), raw=tuple(p for p, r in self.keys if r))
        """The :class:`~nlwire.wire.walks.Picker` :attr:`at` reads them with."""

        make, env = constructor(result, [e for _, e in exprs])
        env.update(src.env, values=message_values, keys=self.keys)
        # both functions end the same: the picked values unpacked, the result made of them
        tail = [f"    {line}" for line in ([src.unpack_values()] if self.keys else []) + make]
        lines = ["def from_parts(h, a):"]
        if self.keys:
            lines.append("    v = values(a, keys)")
        if src.fields_used:
            lines.append(f"    {', '.join(src.header_names())} = h")
        lines += tail
        if message is not None:
            lines += ["", "", *self._at_lines(int(message), int(skip_flags), src, env), *tail]
        self.source = "\n".join(lines) + "\n"
        """The generated source (print it to read what a result is made of)."""
        run_source(self.source, f"recipe {result.__name__}", env)
        self.from_parts: Callable[[Any, Attrs | None], T] = env["from_parts"]
        """The result of a decoded message's (or nest entry's) header record and attributes."""
        self.at: Callable[[bytes, int], T | None] = env.get("at") or _no_message
        """A dump build function: the result of the message at ``data[offset:]`` (None for
        another type or a skipped one); a message that does not decode raises DecodeError."""

    def from_message(self, msg: Message) -> T:
        """The result of one decoded message."""
        if msg.header is None:
            raise TypeError(f"{self.result.__name__} needs a {self.fixed.name} header")
        return self.from_parts(msg.header, msg.attrs)

    def _at_lines(self, wanted: int, skip: int, src: _Source, env: dict[str, Any]) -> list[str]:
        fixed, pick = self.fixed, self.picker
        if fixed.struct is None or fixed.struct.format[0] != "=" or NLMSGHDR.struct.format[0] != "=":  # type: ignore[union-attr]
            raise TypeError(f"{fixed.name}: no single native-order struct to unpack it with")
        body = NLMSG_HDRLEN + ((fixed.size + 3) & ~3)
        # nlmsghdr and the fixed header in one unpack ('=': no alignment, so the second
        # starts at byte 16); a message too short for both has its type read alone
        both = struct.Struct(NLMSGHDR.struct.format + fixed.struct.format[1:])  # type: ignore[union-attr]
        if skip and "flags" not in fixed.fields:
            raise TypeError(f"skip_flags: {fixed.name} has no field 'flags'")
        env.update(unpack=both.unpack_from, error=struct.error, short=self._short, hot=pick.hot.get,
                   search=pick.search, slow=self._slow, record=fixed.record, new=tuple.__new__)
        names = src.header_names(every=not pick.header_free, also="flags" if skip else "")
        lines = [
            "def at(data, off):",
            "    try:",
            f"        ln, mtype, _, _, _, {', '.join(names)} = unpack(data, off)",
            "    except error:",
            "        return short(data, off)",
            f"    if mtype != {wanted}:",
            "        return None",
            f"    if ln < {body}:",
            "        return slow(data, off)  # a header cut short: raises the DecodeError",
        ]
        if skip:
            lines += [f"    if h_flags & {skip}:", "        return None"]
        if self.keys:
            # a layout of a set whose kinds may be chosen by a header field checks the
            # header record; for any other set the header argument is not looked at
            h = "None" if pick.header_free else "h"
            if not pick.header_free:
                lines.append(f"    h = new(record, ({', '.join(names)},))")
            lines += [
                f"    start = off + {body}",
                f"    fn = hot(ln - {body})  # the compiled picker that answered last for this size",
                f"    if fn is None or (v := fn(data, start, {h}, None)) is None:",
                f"        v = search(data, start, off + ln, {h}, fn)  # the other layouts of this size",
                "        if v is None:",
                "            return slow(data, off)",
            ]
        return lines

    def _short(self, data: bytes, off: int) -> T | None:
        """A message too short for both headers: another type's is left out; this type's
        cannot decode."""
        _ln, mtype = _LEN_TYPE(data, off)
        return self._slow(data, off) if mtype == self.message else None

    def _slow(self, data: bytes, off: int) -> T:
        msg = decode_message(data, off)
        return self.from_parts(msg.header, msg.attrs)


def _no_message(data: bytes, off: int) -> Any:
    raise TypeError("a recipe without a message type builds no dump entries")


def _check_path(attr_set: AttrSet, path: tuple[int, ...]) -> None:
    """Each type of ``path`` is one of its set's, and each but the last a nest."""
    current: AttrSet | None = attr_set
    for t in path:
        if current is None or t not in current.kinds:
            raise TypeError(f"attribute path {path}: {t} is not an attribute of {attr_set.name} at that depth")
        current = getattr(current.kinds[t], "attr_set", None)
