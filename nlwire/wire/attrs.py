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
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from nlwire.consts.netlink import NLA_HDRLEN
from nlwire.errors import CheckError, DecodeError, EncodeError
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.nla import (
    MAX_DEPTH,
    NLA_F_NESTED,
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
    render = "other"
    """How the dissector writes the kind's values (``dissect.netlink.nodes`` keys its fast
    forms by it): ``int``, ``text``, ``cstring``, ``varint``, ``flag``, ``hwaddr``, ``ip``,
    ``bytes``, ``struct``, ``array``, ``nest``, ``entries``, ``records``, ``struct_attrs``,
    ``by_sibling``, ``by_header``; ``other``: through :meth:`show` and :meth:`to_json` only."""

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        return buf[start:end]

    def decode_code(self, c: CodeWriter) -> list[str]:
        """The lines the compiled walks (:mod:`nlwire.wire.compiler`) run for a payload of
        this kind: the value made with ``c.assign(expr)``, a payload the kind rejects handed
        to ``c.invalid()``. This default calls :meth:`decode`."""
        return c.call_decode(self)

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

    def resolve(self, owner: Attrs | None) -> Kind:
        """The kind that reads this kind's payload among the attributes ``owner``: itself,
        unless a sibling attribute or a header field chooses (then the chosen one, or
        itself when the choice cannot be read)."""
        return self

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
    """Bytes as they are; ``min_len``/``max_len`` (a spec's checks) bound what encodes."""

    name = "binary"
    render = "bytes"

    def __init__(self, min_len: int = 0, max_len: int | None = None) -> None:
        self.min_len = min_len
        self.max_len = max_len

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.assign(c.payload())

    def encode(self, value: Any, owner: Attrs) -> bytes:
        data = super().encode(value, owner)
        check_length(self.name, len(data), self.min_len, self.max_len)
        return data

    def draw_value(self, gen: ValueGen) -> Any:
        high = 24 if self.max_len is None else self.max_len
        return gen.draw(gen.st.binary(min_size=self.min_len, max_size=max(high, self.min_len)))


def check_length(name: str, size: int, min_len: int, max_len: int | None) -> None:
    """EncodeError unless ``min_len <= size <= max_len`` (bytes; ``max_len`` None: no bound)."""
    if size < min_len or (max_len is not None and size > max_len):
        bound = f"{min_len}..{max_len}" if max_len is not None else f"at least {min_len}"
        raise CheckError(f"{name}: {size} bytes, must be {bound}")


class CodeWriter(Protocol):
    """What a kind writes its compiled code with (:class:`nlwire.wire.compiler.Code` is
    it). In the lines, ``buf`` is the buffer, ``s`` and ``nxt`` the payload's start and
    end, ``header`` the fixed header record (None without one)."""

    def const(self, value: Any) -> str:
        """A name for ``value`` in the generated code."""
    @property
    def size(self) -> int | None:
        """The payload's size where the walk knows it (a layout-specialised walk), else None."""
    def read(self, fmt: str) -> str:
        """An expression for the values the :mod:`struct` format ``fmt`` reads at the payload's start."""
    def read1(self, fmt: str) -> str:
        """An expression for the one value ``fmt`` reads at the payload's start."""
    def payload(self) -> str:
        """An expression for the payload's bytes."""
    def assign(self, expr: str) -> list[str]:
        """Lines making ``expr`` the attribute's value."""
    def invalid(self) -> list[str]:
        """Lines for a payload the kind rejects (a strict decode raises the kind's error)."""
    def call_decode(self, kind: Kind) -> list[str]:
        """Lines taking the value from ``kind.decode``."""
    def nested(self, attr_set: AttrSet) -> list[str]:
        """Lines for a payload of attributes of ``attr_set`` (its own compiled walk)."""
    def later(self) -> list[str]:
        """Lines for a value that needs its sibling attributes (decoded after the walk)."""
    def header_field(self, name: str) -> str:
        """An expression reading a field of the fixed header (None without one)."""
    def code_of(self, kind: Kind) -> list[str]:
        """``kind``'s lines (for a kind that chooses between kinds)."""


def indent(lines: list[str]) -> list[str]:
    """Generated lines one level deeper."""
    return ["    " + line for line in lines]


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

    def __init__(
        self,
        enum_cls: type[enum.IntEnum],
        kinds: Mapping[int, Kind],
        name: str | None = None,
        spec_names: Mapping[int, str] | None = None,
        multi: Iterable[int] = (),
        spec_set: str = "",
    ) -> None:
        for key in kinds:
            if not isinstance(key, enum.Enum):
                raise TypeError(f"{name or enum_cls.__name__}: key {key!r} must be an enum member")
        self.enum = enum_cls
        self.name = name or enum_cls.__name__
        self.kinds: dict[int, Kind] = {int(k): v for k, v in kinds.items()}
        self.compiled: dict[Any, Any] = {}
        """The walks :mod:`nlwire.wire.compiler` generated for this set, by target."""
        self.spec_names: dict[int, str] = dict(spec_names or {})
        """The attributes' names in the kernel's YAML spec (``dev-name``), for a set loaded
        from one (:mod:`nlwire.wire.specs`); empty for a declared set."""
        self.spec_set = spec_set
        """The set's name in the kernel's YAML spec (``dev``), for a set loaded from one."""
        self.multi: frozenset[int] = frozenset(int(t) for t in multi)
        """Attributes that may repeat (a spec's ``multi-attr``): in a mapping given to
        :class:`Attrs`, a list for one of them is its values, one attribute each."""
        self._by_name: dict[str, int] = {}
        for member in enum_cls:
            self._by_name.setdefault(member.name.lower(), int(member))
            self._by_name.setdefault(member.name.lower().lstrip("_"), int(member))  # "6rd_prefix"
            self._by_name.setdefault(attr_name(enum_cls, int(member), "kernel").lower(), int(member))
        for atype, spec_name in self.spec_names.items():
            self._by_name.setdefault(spec_name.lower(), atype)

    def kind(self, atype: int) -> Kind:
        return self.kinds.get(atype, _BINARY)

    def type_of(self, key: int | str) -> int:
        """The attribute type for ``IFLA.MTU``, ``4``, ``"mtu"`` or ``"IFLA_MTU"`` (a set
        loaded from a spec: also its spec name, ``"dev-name"``)."""
        if isinstance(key, int):
            return int(key)
        try:
            return self._by_name[key.lower()]
        except KeyError:
            found = self._by_name.get(key.lower().replace("-", "_"))
            if found is None:
                raise KeyError(f"{self.name} has no attribute {key!r}") from None
            return found

    def spec_name(self, atype: int) -> str:
        """The attribute's name as a spec writes it: its spec name, else the enum
        member's name in lower case with dashes (``IFLA.IFNAME``: ``ifname``)."""
        name = self.spec_names.get(atype)
        if name is not None:
            return name
        try:
            return self.enum(atype).name.lower().replace("_", "-")
        except ValueError:
            return str(atype)

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
        "_end",
        "_index",
        "_items",
        "_parent",
        "_path",
        "_ptype",
        "_start",
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
        if attr_set.multi and isinstance(items, Mapping):
            pairs = _spread(attr_set, pairs)
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
                child = writable(value if isinstance(value, Attrs) else value.attrs)
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
        depth, is decoded now, in the same pass as the framing, by the set's
        compiled walk (:mod:`nlwire.wire.compiler`).
        """
        end = len(buf) if end is None else end
        if eager:
            return _strict(attr_set, buf if type(buf) is bytes else bytes(buf), start, end, header, path, 0)
        if cls is Attrs and type(buf) is bytes:
            return _frame(attr_set, buf, start, end, header, path)
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
        self._eager = False
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
        header = header if header is not None else parent.header
        if parent._eager:
            return _strict(attr_set, buf, start, end, header, parent._path_of(ptype), parent._depth + 1)
        self = cls.__new__(cls)
        self.attr_set = attr_set
        self.header = header
        self._buf = buf
        self._parent = parent
        self._ptype = ptype
        self._depth = parent._depth + 1
        self._path = None
        self._cur = None
        self._values = None  # type: ignore[assignment]
        self._index = None
        self._eager = False
        if self._depth > MAX_DEPTH:
            raise DecodeError(f"attributes nested deeper than {MAX_DEPTH}", start, self.path)
        self._items = scan_attrs(buf, start, end, self)
        return self

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
            self._path = p._path_of(self._ptype)
        return self._path

    def _path_of(self, ptype: Any) -> str:
        """The path of a child made of the attribute ``ptype`` (an element: ``("index", i)``)."""
        if isinstance(ptype, tuple):
            return f"{self.path}[{ptype[1]}]"
        if ptype is None:
            return self.path
        if self.attr_set is _INDEX_SET:
            return f"{self.path}[{ptype}]"
        return f"{self.path}[{self.attr_set.name_of(ptype)}]"

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
                # made by a compiled walk, which keeps the area (its framing already checked)
                items = self._items = scan_attrs(self._buf, self._start, self._end)
                return items
            if name == "_cur" or name == "_index" or name == "_values":  # not set by a compiled walk until needed
                return None
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
        if values is None or _UNSET in values:
            values = [self._value_at(i) for i in range(len(self._items))]
        for v in values:
            tv = type(v)
            if isinstance(v, Attrs):
                v.materialize()
            elif tv is HeaderAndAttrs or tv is dict or ((tv is list or tv is WireList) and v and type(v[0]) is not int):
                _materialize(v)
        return self

    # -- output -------------------------------------------------------------------------

    def _by_name(
        self, name_of: Callable[[int], str], value_of: Callable[[Kind, Any], Any], multi: Container[int] = ()
    ) -> dict[str, Any]:
        """The values (``value_of(kind, value)``) keyed by ``name_of(type)``; a name met more
        than once, or of a type in ``multi``, holds the list of its values (a ``_Repeated``).
        ``kind`` is the one that read the value (a sibling's choice: tc's TCA_XSTATS by kind)."""
        out: dict[str, Any] = {}
        kind = self.attr_set.kind
        for i, (t, _f, _s, _e) in enumerate(self._items):
            name = name_of(t)
            v = self._value_at(i)
            value = value_of(kind(t).resolve(self), v)
            if name in out:
                prev = out[name]
                if isinstance(prev, _Repeated):
                    prev.append(value)
                else:
                    out[name] = _Repeated([prev, value])
            else:
                out[name] = _Repeated([value]) if t in multi else value
        return out

    def to_json(self) -> dict[str, Any]:
        """``{"IFLA_IFNAME": "lo", ...}``; repeated types become lists."""
        return self._by_name(lambda t: self.attr_set.name_of(t, "kernel"), lambda kind, v: kind.to_json(v))

    def to_dict(self) -> dict[str, Any]:
        """``{"dev-name": "veth0", "header": {...}}``: keyed by the names a spec gives the
        attributes (:meth:`AttrSet.spec_name`), nests as dicts, a repeating attribute
        (or one that repeats here) as the list of its values; the form
        :class:`Attrs` accepts back for a set loaded from a spec."""
        out = self._by_name(self.attr_set.spec_name, _spec_value, self.attr_set.multi)
        return {k: list(v) if isinstance(v, _Repeated) else v for k, v in out.items()}

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
                raise type(exc)(f"{where}: {exc}", field=where) from None
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


def _spread(attr_set: AttrSet, pairs: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """``(key, value)`` pairs with a list given for a repeating attribute made one pair each."""
    out: list[tuple[Any, Any]] = []
    for key, value in pairs:
        if isinstance(value, list) and attr_set.type_of(key) in attr_set.multi:
            out += [(key, v) for v in value]
        else:
            out.append((key, value))
    return out


def _spec_value(kind: Kind, value: Any) -> Any:
    """A value for :meth:`Attrs.to_dict`: attributes inside it as dicts keyed by spec
    names, the rest as its kind writes JSON."""
    if isinstance(value, Attrs):
        return value.to_dict()
    if isinstance(value, HeaderAndAttrs):
        fields = {k: (v.hex() if isinstance(v, bytes) else v) for k, v in value.header._asdict().items()}
        return {**fields, "attrs": value.attrs.to_dict()}
    if isinstance(value, list) and any(isinstance(v, (Attrs, HeaderAndAttrs)) for v in value):
        return [_spec_value(_BINARY, v) for v in value]
    if isinstance(value, dict) and any(isinstance(v, (Attrs, HeaderAndAttrs, dict)) for v in value.values()):
        return {k: _spec_value(_BINARY, v) for k, v in value.items()}
    return kind.to_json(value)


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


def _strict(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, path: str, depth: int) -> Attrs:
    """The strict decode's compiled walk (:func:`nlwire.wire.walks.strict`): what an eager
    :meth:`Attrs.from_bytes` and a nest of an eager decode run. :mod:`nlwire.wire.walks`,
    which is built on this module, installs it when imported (``nlwire.wire`` imports it)."""
    raise RuntimeError("nlwire.wire.walks is not imported")


def _frame(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Record | None, path: str) -> Attrs:
    """The lazy decode's compiled framing (:func:`nlwire.wire.walks.frame`), installed with :func:`_strict`."""
    raise RuntimeError("nlwire.wire.walks is not imported")


def writable(a: Attrs) -> Attrs:
    """``a`` with every slot writable: an Attrs made by a compiled walk has a class of its
    own whose class attributes stand in for the slots it never rewrites (``_parent``,
    ``_eager``...); it moves to the plain class, those slots set (in place)."""
    cls = type(a)
    if cls is not Attrs and "_parent" in cls.__dict__:
        shared = [(n, getattr(a, n)) for n in cls.__dict__ if n in Attrs.__slots__]
        a.__class__ = Attrs
        for n, v in shared:
            setattr(a, n, v)
    return a


def install_compiled_decoder(
    decode: Callable[[AttrSet, bytes, int, int, Record | None, str, int], Attrs],
    frame: Callable[[AttrSet, bytes, int, int, Record | None, str], Attrs],
) -> None:
    """Let an eager :meth:`Attrs.from_bytes` run ``decode(attr_set, buf, start, end, header, path, depth)``
    and a lazy one ``frame(attr_set, buf, start, end, header, path)``."""
    global _strict, _frame
    _strict = decode  # type: ignore[assignment]
    _frame = frame  # type: ignore[assignment]
