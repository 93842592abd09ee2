"""The attribute :class:`Kind` protocol, attribute sets and the lazily decoded
:class:`Attrs` collection.

An :class:`AttrSet` is the one declaration of an attribute space: a table keyed
by explicit enum members mapping to a :class:`Kind`. Encoding,
decoding, the dissector tree, JSON output and the fuzz strategies all read that table.
Attributes of unknown type are kept as raw bytes so a decode/encode round trip is
byte-exact. Framing is :mod:`nlwire.wire.nla`; the kinds are
:mod:`nlwire.wire.scalars` and :mod:`nlwire.wire.compound`.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from nlwire.consts.netlink import NLA_HDRLEN, NLA_TYPE_MASK
from nlwire.errors import DecodeError, EncodeError, TruncatedError
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.nla import (
    _NLA_FLAGS,
    _NLA_UNPACK,
    MAX_DEPTH,
    NLA_F_NESTED,
    _bad_attr,
    _pack_attr,
    attr_name,
    scan_attrs,
)

__all__ = [
    "AttrSet",
    "Attrs",
    "Binary",
    "Entry",
    "HeaderAndAttrs",
    "Kind",
    "Selector",
    "ValueGen",
    "WireList",
    "install_compiled_decoder",
]

class ValueGen(Protocol):
    """What :meth:`Kind.draw_value` draws with (``nlwire.strategies`` passes one in, so this
    module never imports hypothesis): ``st`` is ``hypothesis.strategies``, ``draw`` draws
    from a strategy, and the rest says where the value goes."""

    @property
    def st(self) -> Any: ...
    @property
    def family(self) -> int | None:
        """The address family of the message header, if it has one."""
    @property
    def at_limit(self) -> bool:
        """True at the depth limit: kinds that nest draw no entries."""
    def draw(self, strategy: Any) -> Any: ...
    def header_field(self, name: str) -> Any:
        """A field of the fixed header the attribute travels with (None without one)."""
    def records(self, fixed: FixedStruct, attr_set: AttrSet | None = None) -> Any:
        """A strategy of ``fixed`` records, favouring the field values ``attr_set`` selects on."""
    def attrs(self, attr_set: AttrSet, header: Record | None = None) -> Attrs:
        """Draws the attributes of ``attr_set`` one level deeper (``header``: a new fixed header)."""
    def deeper(self) -> ValueGen:
        """The same, one level deeper."""


class Kind:
    """How one attribute's payload maps to a Python value.

    Subclasses implement :meth:`decode` and :meth:`encode`; :meth:`coerce`
    normalises a user-supplied value (``"10.0.0.1"`` → ``IPv4Address``);
    :meth:`to_json` / :meth:`show` render a decoded value; :meth:`draw_value` draws
    one for the hypothesis strategies (:mod:`nlwire.strategies`), which ask the kind how
    it nests (:meth:`inner`, :meth:`sibling_selector`, :meth:`nest_payload`, ...).
    """

    name = "binary"
    nested = False
    """True when the payload is itself attributes (encoded with NLA_F_NESTED)."""
    sibling_dependent = False
    """True when decoding needs the other attributes of the same list (decoded last)."""
    fast_int: tuple[Callable[..., tuple[Any, ...]], int] | None = None
    """``(unpack_from, size)`` when the payload is one fixed-width integer read as is: the
    attribute set's fast path reads it with one call, not through :meth:`decode`."""

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        return buf[start:end]

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        raise EncodeError(f"{self.name}: expected bytes, got {type(value).__name__}")

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return value

    def to_json(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex()
        return value

    def show(self, value: Any) -> str:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex(" ") if value else "(empty)"
        return str(value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # What nlwire.strategies asks of a kind: a value, and how the kind nests.

    levels = 1
    """How many nesting levels the kind adds around the attributes inside it."""

    def draw_value(self, gen: ValueGen) -> Any:
        """A value :meth:`encode` accepts and :meth:`decode` gives back equal."""
        return gen.draw(gen.st.binary(max_size=24))

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        """What is directly inside the kind's values: ``(self, set)`` when its payload holds
        attributes of ``set``, ``(kind, None)`` when it holds, or is decoded as, ``kind``.
        Empty for a kind that does not nest. ``by_header=False`` leaves out the kinds a
        field of the fixed header selects."""
        return []

    def sibling_selector(self) -> Selector | None:
        """The :class:`~nlwire.wire.compound.BySibling` this kind is when a sibling attribute selects its kind."""
        return None

    def header_hints(self) -> dict[str, set[int]]:
        """Header field values this kind reads (``{"family": {AF.INET, AF.INET6}}``)."""
        return {}

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        """``(sibling TLVs, payload, NLA flags)`` of an attribute of this kind holding the
        attribute bytes ``inner``, reached through the kinds ``rest`` (see :meth:`inner`).
        Built byte by byte, not with the encoder, so building stays linear in the depth."""
        raise TypeError(f"{self!r} does not nest")


class Binary(Kind):
    name = "binary"


class Selector(Protocol):
    """What a kind chosen by a sibling attribute says about the choice (see
    :meth:`Kind.sibling_selector`; :class:`~nlwire.wire.compound.BySibling` is one)."""

    @property
    def key(self) -> int:
        """The sibling attribute whose value chooses."""
    @property
    def choices(self) -> Mapping[Any, Kind]:
        """The kind for each value of the sibling."""
    @property
    def default(self) -> Kind:
        """The kind when the sibling is absent or holds another value."""


class WireList(list):  # type: ignore[type-arg]
    """A nested array's entries as decoded: a list that also keeps each entry's ``nla_type``
    (NLA_F_* bits included) in ``wire``, so an array re-encodes with the numbering its sender
    chose (the kernel numbers nftables set elements 1, 1, 1...; libnftnl 1, 2, 3...)."""

    __slots__ = ("wire",)

    def __init__(self, items: Iterable[Any], wire: tuple[int, ...]) -> None:
        super().__init__(items)
        self.wire = wire


class HeaderAndAttrs(NamedTuple):
    """A nested value made of a fixed struct followed by attributes (``VETH_INFO_PEER``)."""

    header: Record
    attrs: Attrs


class AttrSet:
    """One attribute space: ``AttrSet(IFLA, {IFLA.IFNAME: string, IFLA.MTU: u32, ...})``.

    ``enum`` names the types; ``kinds`` maps each known type to its kind.
    Types missing from ``kinds`` decode to raw bytes.
    """

    def __init__(self, enum_cls: type[enum.IntEnum], kinds: Mapping[int, Kind], name: str | None = None) -> None:
        for key in kinds:
            if not isinstance(key, enum.Enum):
                raise TypeError(f"{name or enum_cls.__name__}: key {key!r} must be an enum member")
        self.enum = enum_cls
        self.name = name or enum_cls.__name__
        self.kinds: dict[int, Kind] = {int(k): v for k, v in kinds.items()}
        # derived fast path: fixed-width integers decode with one unpack_from, no call into the kind
        self.fast_ints: dict[int, tuple[Callable[..., tuple[Any, ...]], int]] = {
            t: k.fast_int for t, k in self.kinds.items() if k.fast_int is not None
        }
        self.layouts: dict[int, list[Any]] = {}
        """Compiled layouts by attribute-area size (see :mod:`nlwire.wire.layout`)."""
        self.layout_misses: dict[int, int] = {}
        self._by_name: dict[str, int] = {}
        for member in enum_cls:
            self._by_name.setdefault(member.name.lower(), int(member))
            self._by_name.setdefault(f"{enum_cls.__name__}_{member.name}".lower(), int(member))

    def kind(self, atype: int) -> Kind:
        return self.kinds.get(atype, _BINARY)

    def type_of(self, key: int | str) -> int:
        """The attribute type for ``IFLA.MTU``, ``4``, ``"mtu"`` or ``"IFLA_MTU"``."""
        if isinstance(key, int):
            return int(key)
        try:
            return self._by_name[key.lower()]
        except KeyError:
            raise KeyError(f"{self.name} has no attribute {key!r}") from None

    def key(self, atype: int) -> int:
        """The enum member for ``atype`` if known, else the plain int."""
        try:
            return self.enum(atype)
        except ValueError:
            return atype

    def name_of(self, atype: int, style: str = "dotted") -> str:
        return attr_name(self.enum, atype, style)

    def __repr__(self) -> str:
        return f"<AttrSet {self.name} {len(self.kinds)} kinds>"


class _IndexEnum(enum.IntEnum):
    """Indices of a nested array."""


_INDEX_SET = AttrSet(_IndexEnum, {}, name="index")
_FIRST = operator.itemgetter(0)
_BINARY = Binary()
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Entry:
    """One attribute as found on the wire, for tools that show bytes (the dissector)."""

    type: int
    flags: int
    offset: int
    """Absolute offset of the ``struct nlattr`` header in the decoded buffer."""
    length: int
    """``nla_len``: header plus payload, without the pad."""
    name: str
    kind: Kind


class Attrs:
    """An ordered, lazily decoded collection of attributes of one :class:`AttrSet`.

    ``attrs[IFLA.MTU]``, ``attrs["mtu"]``, ``attrs.mtu`` (``None`` when absent),
    ``attrs.get(...)``, ``attrs.getall(...)`` for repeated types, ``items()`` in
    wire order. Values decode on first access and are cached.
    """

    __slots__ = (
        "_buf",
        "_cur",
        "_depth",
        "_eager",
        "_index",
        "_items",
        "_lay",
        "_lbase",
        "_parent",
        "_path",
        "_ptype",
        "_values",
        "attr_set",
        "header",
    )

    def __init__(
        self,
        attr_set: AttrSet,
        items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        *,
        header: Record | None = None,
    ) -> None:
        self.attr_set = attr_set
        self.header = header
        self._buf = b""
        self._parent: Attrs | None = None
        self._ptype: Any = None
        self._depth = 0
        self._eager = False
        self._path: str | None = "attrs"
        self._index: dict[int, int] | None = None
        self._cur: Any = None
        pairs = items.items() if isinstance(items, Mapping) else items
        built: list[tuple[int, int, int, int]] = []
        values: list[Any] = []
        for key, value in pairs:
            atype = attr_set.type_of(key)
            kind = attr_set.kind(atype)
            self._cur = atype
            self._items = built
            self._values = values
            self._index = None  # a selector's coerce may look up siblings added so far
            value = kind.coerce(value, self)
            if isinstance(value, (Attrs, HeaderAndAttrs)):  # its path is under this one
                child = value if isinstance(value, Attrs) else value.attrs
                child._parent, child._ptype, child._path = self, atype, None
            built.append((atype, NLA_F_NESTED if kind.nested else 0, -1, -1))
            values.append(value)
        self._items = built
        self._values = values
        self._index = None
        self._cur = None

    # -- construction from bytes ------------------------------------------------------

    @classmethod
    def from_bytes(
        cls,
        attr_set: AttrSet,
        buf: bytes,
        start: int = 0,
        end: int | None = None,
        *,
        header: Record | None = None,
        path: str = "attrs",
        eager: bool = False,
    ) -> Attrs:
        """Frame the attributes in ``buf[start:end]``.

        Values decode lazily on access; with ``eager`` every value, at every
        depth, is decoded now, in the same pass as the framing. An area whose
        layout was compiled (:mod:`nlwire.wire.layout`) is read in one unpack:
        its simple values (integers, strings, addresses) are then present at
        once, and the result is otherwise the same.
        """
        end = len(buf) if end is None else end
        compiled = _compiled_decoder
        if compiled is not None and end - start >= compiled[0] and type(buf) is bytes:
            built = compiled[1](attr_set, buf, start, end, header, path, eager)
            if built is not None:
                return built
        self = cls.__new__(cls)
        self.attr_set = attr_set
        self.header = header
        self._buf = buf
        self._values = None  # type: ignore[assignment]
        self._index = None
        self._parent = None
        self._ptype = None
        self._depth = 0
        self._path = path
        self._cur = None
        self._eager = eager
        if eager:
            self._scan_decode(buf, start, end)
        else:
            self._items = scan_attrs(buf, start, end, path)
        return self

    @classmethod
    def _child(
        cls,
        attr_set: AttrSet,
        buf: bytes,
        start: int,
        end: int,
        parent: Attrs,
        ptype: Any,
        *,
        header: Record | None = None,
    ) -> Attrs:
        self = cls.__new__(cls)
        self.attr_set = attr_set
        self.header = header if header is not None else parent.header
        self._buf = buf
        self._parent = parent
        self._ptype = ptype
        self._depth = parent._depth + 1
        self._path = None
        self._cur = None
        self._values = None  # type: ignore[assignment]
        self._index = None
        self._eager = parent._eager
        if self._depth > MAX_DEPTH:
            raise DecodeError(f"attributes nested deeper than {MAX_DEPTH}", start, self.path)
        if self._eager:
            self._scan_decode(buf, start, end)
        else:
            self._items = scan_attrs(buf, start, end, self)
        return self

    def _scan_decode(self, buf: bytes, start: int, end: int) -> None:
        """Framing and value decoding in one pass (the eager fast path).

        Values whose kind depends on a sibling are decoded after the pass, when
        every sibling is known.
        """
        items: list[tuple[int, int, int, int]] = []
        values: list[Any] = []
        self._items = items
        self._values = values
        append = items.append
        vappend = values.append
        attr_set = self.attr_set
        ints = attr_set.fast_ints
        kinds = attr_set.kinds
        deferred = False
        unpack = _NLA_UNPACK
        off = start
        last = end - NLA_HDRLEN
        try:
            while off <= last:
                ln, t = unpack(buf, off)
                nxt = off + ln
                if ln < NLA_HDRLEN or nxt > end:
                    _bad_attr(ln, off, end, self)
                tt = t & NLA_TYPE_MASK
                s = off + NLA_HDRLEN
                append((tt, t & _NLA_FLAGS, s, nxt))
                off += (ln + 3) & ~3
                fast = ints.get(tt)
                if fast is not None and nxt - s == fast[1]:
                    vappend(fast[0](buf, s)[0])
                    continue
                kind = kinds.get(tt)
                if kind is None:
                    vappend(buf[s:nxt])
                elif kind.sibling_dependent:
                    vappend(_UNSET)
                    deferred = True
                else:
                    self._cur = tt
                    vappend(kind.decode(buf, s, nxt, self))
        finally:
            self._cur = None
        if off < end:
            raise TruncatedError(f"{end - off} trailing bytes after the last attribute", off, self.path)
        if deferred:
            for pos, v in enumerate(values):
                if v is _UNSET:
                    self._value_at(pos)

    def _element(self, pos: int) -> Attrs:
        """A stand-in owner for element ``pos`` of a list-valued attribute (for paths)."""
        el = Attrs.__new__(Attrs)
        el.attr_set = self.attr_set
        el.header = self.header
        el._buf = self._buf
        el._items = []
        el._values = []
        el._index = None
        el._parent = self
        el._ptype = ("index", pos)
        el._depth = self._depth + 1
        el._eager = self._eager
        el._path = None
        el._cur = None
        return el

    @property
    def path(self) -> str:
        """Where these attributes sit, e.g. ``attrs[IFLA.LINKINFO][IFLA_INFO.DATA]``."""
        if self._path is None:
            p = self._parent
            assert p is not None
            pt = self._ptype
            if isinstance(pt, tuple):
                self._path = f"{p.path}[{pt[1]}]"
            elif pt is None:
                self._path = p.path
            elif p.attr_set is _INDEX_SET:
                self._path = f"{p.path}[{pt}]"
            else:
                self._path = f"{p.path}[{p.attr_set.name_of(pt)}]"
        return self._path

    @property
    def here(self) -> str:
        """The path of the attribute being decoded or encoded, e.g. ``attrs[IFLA.MTU]``."""
        if self._cur is None:
            return self.path
        if self.attr_set is _INDEX_SET:
            return f"{self.path}[{self._cur}]"
        return f"{self.path}[{self.attr_set.name_of(self._cur)}]"

    # -- value access -------------------------------------------------------------------

    def _value_at(self, pos: int) -> Any:
        values = self._values
        if values is None:
            values = self._values = [_UNSET] * len(self._items)
        v = values[pos]
        if v is _UNSET:
            t, _f, s, e = self._items[pos]
            fast = self.attr_set.fast_ints.get(t)
            if fast is not None and e - s == fast[1]:
                v = values[pos] = fast[0](self._buf, s)[0]
                return v
            kind = self.attr_set.kinds.get(t)
            if kind is None:
                v = self._buf[s:e]
            else:
                prev = self._cur
                self._cur = t
                try:
                    v = kind.decode(self._buf, s, e, self)
                finally:
                    self._cur = prev
            values[pos] = v
        return v

    def _build_index(self) -> dict[int, int]:
        # type -> position of its first occurrence; built in C (reversed, so the
        # first occurrence is written last and wins)
        items = self._items
        index = dict(zip(map(_FIRST, reversed(items)), range(len(items) - 1, -1, -1), strict=True))
        self._index = index
        return index

    def _find(self, atype: int) -> int:
        index = self._index
        if index is None:
            index = self._build_index()
        return index.get(atype, -1)

    def __getitem__(self, key: int | str) -> Any:
        pos = self._find(self.attr_set.type_of(key))
        if pos < 0:
            raise KeyError(self.attr_set.name_of(self.attr_set.type_of(key)))
        return self._value_at(pos)

    def get(self, key: int | str, default: Any = None) -> Any:
        index = self._index
        if index is None:
            index = self._build_index()
        if isinstance(key, str):
            try:
                key = self.attr_set.type_of(key)
            except KeyError:
                return default
        pos = index.get(key)
        if pos is None:
            return default
        values = self._values
        if values is not None:
            v = values[pos]
            if v is not _UNSET:
                return v
        return self._value_at(pos)

    def pick(self, keys: Iterable[int]) -> list[Any]:
        """The values of several attribute types at once (None where absent): the
        fast way to read many attributes of one message."""
        index = self._index
        if index is None:
            index = self._build_index()
        get = index.get
        value_at = self._value_at
        return [None if (pos := get(k)) is None else value_at(pos) for k in keys]

    def getall(self, key: int | str) -> list[Any]:
        atype = self.attr_set.type_of(key)
        return [self._value_at(i) for i, item in enumerate(self._items) if item[0] == atype]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            if name == "_items":
                # built from a compiled layout: the framing is the layout's, moved to this message
                base = self._lbase
                items = [(t, f, s + base, e + base) for t, f, s, e in self._lay]
                self._items = items
                return items
            raise AttributeError(name)
        try:
            atype = self.attr_set.type_of(name)
        except KeyError:
            raise AttributeError(f"{self.attr_set.name} has no attribute {name!r}") from None
        pos = self._find(atype)
        return None if pos < 0 else self._value_at(pos)

    def __contains__(self, key: object) -> bool:
        try:
            return self._find(self.attr_set.type_of(key)) >= 0  # type: ignore[arg-type]
        except KeyError:
            return False

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[int]:
        return (self.attr_set.key(item[0]) for item in self._items)

    def keys(self) -> list[int]:
        return list(self)

    def items(self) -> list[tuple[int, Any]]:
        """``(type, value)`` pairs in wire order; known types as enum members."""
        key = self.attr_set.key
        return [(key(item[0]), self._value_at(i)) for i, item in enumerate(self._items)]

    def entries(self) -> list[tuple[Entry, Any]]:
        """``(Entry, value-or-DecodeError)`` for each attribute; never raises on bad values."""
        out: list[tuple[Entry, Any]] = []
        for i, (t, f, s, e) in enumerate(self._items):
            entry = Entry(
                t, f, s - NLA_HDRLEN, e - s + NLA_HDRLEN, self.attr_set.name_of(t, "kernel"), self.attr_set.kind(t)
            )
            try:
                value = self._value_at(i)
            except DecodeError as exc:
                value = exc
            out.append((entry, value))
        return out

    @property
    def nla_flags(self) -> list[int]:
        """The NLA_F_* bits of each attribute, in wire order (not named ``flags``:
        ``attrs.flags`` is the FLAGS attribute of sets that have one, e.g. IFA_FLAGS)."""
        return [item[1] for item in self._items]

    def materialize(self) -> Attrs:
        """Decode every value, recursively; raises DecodeError on the first bad one."""
        values = self._values
        if values is None:
            values = self._decode_all()
        elif _UNSET in values:
            values = [self._value_at(i) for i in range(len(values))]
        for v in values:
            tv = type(v)
            if isinstance(v, Attrs):
                v.materialize()
            elif tv is HeaderAndAttrs or tv is dict or ((tv is list or tv is WireList) and v and type(v[0]) is not int):
                _materialize(v)
        return self

    def _decode_all(self) -> list[Any]:
        """Decode every value of this level in one pass (the fast path of :meth:`materialize`)."""
        buf = self._buf
        kinds = self.attr_set.kinds
        ints = self.attr_set.fast_ints
        values: list[Any] = []
        append = values.append
        prev = self._cur
        try:
            for t, _f, s, e in self._items:
                fast = ints.get(t)
                if fast is not None and e - s == fast[1]:
                    append(fast[0](buf, s)[0])
                    continue
                kind = kinds.get(t)
                if kind is None:
                    append(buf[s:e])
                else:
                    self._cur = t
                    append(kind.decode(buf, s, e, self))
        finally:
            self._cur = prev
        self._values = values
        return values

    # -- output -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """``{"IFLA_IFNAME": "lo", ...}``; repeated types become lists."""
        out: dict[str, Any] = {}
        for i, (t, _f, _s, _e) in enumerate(self._items):
            name = self.attr_set.name_of(t, "kernel")
            value = self.attr_set.kind(t).to_json(self._value_at(i))
            if name in out:
                prev = out[name]
                if isinstance(prev, _Repeated):
                    prev.append(value)
                else:
                    out[name] = _Repeated([prev, value])
            else:
                out[name] = value
        return out

    def encode(self) -> bytes:
        """The attributes as bytes (each padded to 4)."""
        parts = []
        kinds = self.attr_set.kinds
        for i, (t, f, _s, _e) in enumerate(self._items):
            kind = kinds.get(t, _BINARY)
            value = self._value_at(i)
            prev = self._cur
            self._cur = t
            try:
                body = kind.encode(value, self)
            except EncodeError as exc:
                if exc.field is not None and exc.field.startswith("attrs"):  # named by a nest inside
                    raise
                where = self.here  # the attribute (a struct's field names only itself: ifinfomsg.index)
                raise EncodeError(f"{where}: {exc}", field=where) from None
            finally:
                self._cur = prev
            parts.append(_pack_attr(t, f, body))
        return b"".join(parts)

    def with_(self, **changes: Any) -> Attrs:
        """A copy with attributes replaced or added by name (``attrs.with_(mtu=1400)``)."""
        items = dict(self.items())
        for name, value in changes.items():
            items[self.attr_set.key(self.attr_set.type_of(name))] = value
        return Attrs(self.attr_set, items, header=self.header)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attrs):
            return NotImplemented
        return self.attr_set is other.attr_set and self.items() == other.items()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        body = ", ".join(f"{self.attr_set.name_of(int(k))}: {v!r}" for k, v in self.items())
        return f"Attrs({self.attr_set.name}, {{{body}}})"


class _Repeated(list):  # type: ignore[type-arg]
    """Marks a JSON list made from repeated attributes."""


def _materialize(value: Any) -> None:
    if isinstance(value, Attrs):
        value.materialize()
    elif isinstance(value, HeaderAndAttrs):
        value.attrs.materialize()
    elif isinstance(value, list):
        for v in value:
            if type(v) is not int:
                _materialize(v)
    elif isinstance(value, dict):
        for v in value.values():
            _materialize(v)


_compiled_decoder: tuple[int, Callable[..., Attrs | None]] | None = None
"""The compiled-layout decoder (:func:`nlwire.wire.layout.decode_attrs`) and the smallest
area it is tried on; :mod:`nlwire.wire.layout`, which is built on this module, installs it
when imported (``nlwire.wire`` imports it), so this module never imports it back."""


def install_compiled_decoder(min_size: int, decode: Callable[..., Attrs | None]) -> None:
    """Let :meth:`Attrs.from_bytes` try ``decode`` first on areas of ``min_size`` bytes or more
    (it returns None where no compiled layout answers)."""
    global _compiled_decoder
    _compiled_decoder = (min_size, decode)
