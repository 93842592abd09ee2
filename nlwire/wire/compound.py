"""Compound attribute kinds: fixed structs, arrays, nests, nested arrays, length-prefixed
lists, and kinds chosen by a sibling attribute or a header field."""

from __future__ import annotations

import enum
import struct
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from nlwire.consts.netlink import NLA_TYPE_MASK
from nlwire.errors import DecodeError, EncodeError, TruncatedError
from nlwire.wire.attrs import (
    _INDEX_SET,
    Attrs,
    AttrSet,
    Binary,
    CodeWriter,
    HeaderAndAttrs,
    Kind,
    ValueGen,
    WireList,
    indent,
)
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.nla import NLA_F_NESTED, _align, _pack_attr, attr_name, counted
from nlwire.wire.scalars import Int

__all__ = [
    "ArrayKind",
    "Bitfield32",
    "BitfieldKind",
    "ByHeader",
    "BySibling",
    "IndexedMap",
    "LengthPrefixedList",
    "Nested",
    "NestedArray",
    "StructArray",
    "StructKind",
    "StructThenAttrs",
]

class Bitfield32(NamedTuple):
    """struct nla_bitfield32 { __u32 value; __u32 selector; };"""

    value: int
    selector: int


class StructKind(Kind):
    """An attribute whose payload is one fixed struct (``IFLA_STATS64``, ``IFA_CACHEINFO``).

    A payload longer than the struct (a newer kernel grew it, or the C struct's tail
    padding, as in ``gnet_stats_basic``) decodes the known prefix; the value is then a
    record that also carries the extra bytes as ``.extra``, equal to the plain record and
    re-encoded with them. A shorter payload is a DecodeError.
    """

    render = "struct"

    def __init__(self, fixed: FixedStruct) -> None:
        self.fixed = fixed
        self.name = fixed.name
        self._grown: type | None = None

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Record:
        size = self.fixed.size
        if end - start < size:
            raise TruncatedError(f"{self.name} needs {size} bytes, got {end - start}", start, owner.here)
        record = self.fixed.unpack(buf, start)
        if end - start > size:
            return self._with_extra(record, buf[start + size : end])
        return record

    def decode_code(self, c: CodeWriter) -> list[str]:
        fixed = self.fixed
        if fixed.struct is None:
            return c.call_decode(self)
        if c.size is not None:  # known now
            if c.size != fixed.size:
                return c.call_decode(self)
            return c.assign(f"new_t({c.const(fixed.record)}, {c.read(fixed.struct.format)})")
        value = c.assign(f"new_t({c.const(fixed.record)}, {c.read(fixed.struct.format)})")
        return [f"if nxt - s == {fixed.size}:", *indent(value), "else:", *indent(c.call_decode(self))]

    def _with_extra(self, record: Record, extra: bytes) -> Record:
        grown = self._grown
        if grown is None:
            # the record's class plus an instance __dict__ for ``extra``: same name, fields,
            # equality and repr as the record itself
            base = self.fixed.record
            grown = self._grown = type(base.__name__, (base,), {"__module__": base.__module__})
        made: Any = tuple.__new__(grown, record)
        made.extra = extra
        return made

    def encode(self, value: Any, owner: Attrs) -> bytes:
        return self.fixed.pack(value) + getattr(value, "extra", b"")

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, dict):
            return self.fixed.new(**value)
        return value

    def to_json(self, value: Any) -> Any:
        return {k: (v.hex() if isinstance(v, bytes) else v) for k, v in self.fixed.as_dict(value).items()}

    def show(self, value: Any) -> str:
        return ", ".join(f"{k}={v.hex() if isinstance(v, bytes) else v}" for k, v in self.fixed.as_dict(value).items())

    def draw_value(self, gen: ValueGen) -> Any:
        return gen.draw(gen.records(self.fixed))


class BitfieldKind(StructKind):
    name = "bitfield32"


class StructArray(Kind):
    """Back-to-back records of one fixed struct (``NHA_GROUP``: ``struct nexthop_grp``
    per member). The value is a tuple of records; any iterable of records (or of dicts
    of their fields) encodes. A payload that is not a whole number of records is a
    DecodeError."""

    def __init__(self, fixed: FixedStruct) -> None:
        self.fixed = fixed
        self.name = f"{fixed.name}[]"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> tuple[Record, ...]:
        size = self.fixed.size
        rest = (end - start) % size
        if rest:
            raise DecodeError(f"{end - start} bytes is not a whole number of {self.fixed.name}", start, owner.here)
        return self._records(buf, start, end)

    def decode_code(self, c: CodeWriter) -> list[str]:
        return [f"if (nxt - s) % {self.fixed.size}:", *indent(c.invalid()), "else:",
                *indent(c.assign(f"{c.const(self._records)}(buf, s, nxt)"))]

    def _records(self, buf: bytes, start: int, end: int) -> tuple[Record, ...]:
        size = self.fixed.size
        unpack = self.fixed.unpack
        return tuple(unpack(buf, off) for off in range(start, end, size))

    def encode(self, value: Any, owner: Attrs) -> bytes:
        return b"".join(self.fixed.pack(v) for v in value)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return tuple(self.fixed.new(**v) if isinstance(v, dict) else v for v in value)

    def to_json(self, value: Any) -> Any:
        return [{k: (v.hex() if isinstance(v, bytes) else v) for k, v in self.fixed.as_dict(r).items()} for r in value]

    def show(self, value: Any) -> str:
        as_dict = self.fixed.as_dict
        return "; ".join(", ".join(f"{k}={v.hex() if isinstance(v, bytes) else v}" for k, v in as_dict(r).items())
                         for r in value) or "(none)"

    def draw_value(self, gen: ValueGen) -> Any:
        return tuple(gen.draw(gen.st.lists(gen.records(self.fixed), max_size=4)))


class ArrayKind(Kind):
    """A packed array of one fixed-width integer (``IFLA_INET_CONF``: u32 per devconf).

    The value is a tuple of ints (immutable like the rest of a decoded message; a tuple
    of plain ints also drops out of the cyclic GC's sight); any iterable encodes.
    """

    render = "array"

    def __init__(self, item: Int, index: type[enum.IntEnum] | None = None, first: int = 0) -> None:
        self.item = item
        self.index = index
        """The enum naming the elements (``IPV4_DEVCONF``): element ``i`` is member ``i + first``."""
        self.first = first
        self.name = f"{item.name}[]"
        self._code = item.construct.fmtstr[0] + "%d" + item.construct.fmtstr[-1]
        self._by_count: dict[int, Callable[..., tuple[int, ...]]] = {}

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> tuple[int, ...]:
        if (end - start) % self.item.size:
            raise DecodeError(f"{end - start} bytes is not a whole number of {self.item.name}", start, owner.here)
        return self._items(buf, start, end)

    def decode_code(self, c: CodeWriter) -> list[str]:
        if c.size is not None:  # known now
            if c.size % self.item.size:
                return c.invalid()
            fmt = self.item.construct.fmtstr
            return c.assign(c.read(f"{fmt[0]}{c.size // self.item.size}{fmt[1:]}") if c.size else "()")
        return [f"if (nxt - s) % {self.item.size}:", *indent(c.invalid()), "else:",
                *indent(c.assign(f"{c.const(self._items)}(buf, s, nxt)"))]

    def _items(self, buf: bytes, start: int, end: int) -> tuple[int, ...]:
        n = (end - start) // self.item.size
        unpack = self._by_count.get(n)
        if unpack is None:
            if len(self._by_count) > 64:
                self._by_count.clear()
            unpack = self._by_count[n] = struct.Struct(self._code % n).unpack_from
        return unpack(buf, start)

    def encode(self, value: Any, owner: Attrs) -> bytes:
        return b"".join(self.item.encode(v, owner) for v in value)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return tuple(value)

    def to_json(self, value: Any) -> Any:
        return list(value)

    def show(self, value: Any) -> str:
        return str(list(value))

    def entry_name(self, i: int) -> str:
        """Element ``i``'s name: ``[i]``, or with an index enum the kernel's constant
        (``IPV4_DEVCONF_FORWARDING``; ``IPV4_DEVCONF_40`` past the known members)."""
        if self.index is None:
            return f"[{i}]"
        return attr_name(self.index, i + self.first, "kernel")

    def draw_value(self, gen: ValueGen) -> Any:
        return gen.draw(gen.st.lists(gen.st.integers(self.item.min, self.item.max), max_size=8))


class Nested(Kind):
    """A nested attribute set."""

    nested = True
    render = "nest"

    def __init__(self, attr_set: AttrSet | Callable[[], AttrSet]) -> None:
        self._set = attr_set

    @property
    def attr_set(self) -> AttrSet:
        if not isinstance(self._set, AttrSet):
            self._set = self._set()
        return self._set

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"nested({self.attr_set.name})"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Attrs:
        return Attrs._child(self.attr_set, buf, start, end, owner, owner._cur)

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.nested(self.attr_set)

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if not isinstance(value, Attrs):
            value = Attrs(self.attr_set, value)
        encoded: bytes = value.encode()
        return encoded

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, Attrs):
            return value
        return Attrs(self.attr_set, value, header=owner.header)

    def to_json(self, value: Any) -> Any:
        return value.to_json()

    def show(self, value: Any) -> str:
        return counted(len(value), "attribute")

    def draw_value(self, gen: ValueGen) -> Any:
        return gen.attrs(self.attr_set)

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return [(self, self.attr_set)]

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        return b"", inner, NLA_F_NESTED


class NestedArray(Kind):
    """A nest of entries holding ``item`` each (``CTRL_ATTR_OPS``, nftables set elements).

    Every entry is read whatever its type, as the kernel's ``nla_for_each_nested()`` does;
    a new array is written with types ``first``, ``first + 1``, ... and a decoded one (a
    :class:`WireList`, its length unchanged) with the types it came with."""

    nested = True
    render = "entries"

    def __init__(self, item: Kind, first: int = 1) -> None:
        self.item = item
        self.first = first
        self.name = f"array({item.name})"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> list[Any]:
        holder = Attrs._child(_INDEX_SET, buf, start, end, owner, owner._cur)
        out = []
        for t, _f, s, e in holder._items:
            holder._cur = t
            out.append(self.item.decode(buf, s, e, holder))
        return WireList(out, tuple(t | f for t, f, _s, _e in holder._items))

    def encode(self, value: Any, owner: Attrs) -> bytes:
        wire = getattr(value, "wire", None)
        if wire is None or len(wire) != len(value):
            # entries carry no NLA_F_NESTED, as the kernel's nla_nest_start_noflag() writes them
            wire = range(self.first, self.first + len(value))
        parts = []
        for w, v in zip(wire, value, strict=True):
            parts.append(_pack_attr(w & NLA_TYPE_MASK, w & ~NLA_TYPE_MASK, self.item.encode(v, owner)))
        return b"".join(parts)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        items = [self.item.coerce(v, owner) for v in value]
        wire = getattr(value, "wire", None)
        return WireList(items, wire) if wire is not None and len(wire) == len(items) else items

    def to_json(self, value: Any) -> Any:
        return [self.item.to_json(v) for v in value]

    def show(self, value: Any) -> str:
        return counted(len(value), "entry")

    def draw_value(self, gen: ValueGen) -> Any:
        if gen.at_limit:
            return []
        n = gen.draw(gen.st.integers(0, 3))
        deeper = gen.deeper()
        return [self.item.draw_value(deeper) for _ in range(n)]

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return [(self.item, None)]

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        # one entry, index 1 (an IndexedMap's too)
        _, payload, flags = rest[0].nest_payload(rest[1:], inner, owner_set)
        return b"", _pack_attr(1, flags, payload), NLA_F_NESTED


class StructThenAttrs(Kind):
    """Payload = fixed struct + attribute set (veth peer: ``ifinfomsg`` + IFLA attributes)."""

    nested = False
    render = "struct_attrs"

    def __init__(self, fixed: FixedStruct, attr_set: AttrSet | Callable[[], AttrSet]) -> None:
        self.fixed = fixed
        self._nested = Nested(attr_set)
        self.name = f"{fixed.name}+attrs"

    @property
    def attr_set(self) -> AttrSet:
        return self._nested.attr_set

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> HeaderAndAttrs:
        if end - start < self.fixed.size:
            raise TruncatedError(f"{self.fixed.name} needs {self.fixed.size} bytes", start, owner.here)
        header = self.fixed.unpack(buf, start)
        attrs = Attrs._child(self.attr_set, buf, start + _align(self.fixed.size), end, owner, owner._cur, header=header)
        return HeaderAndAttrs(header, attrs)

    def encode(self, value: Any, owner: Attrs) -> bytes:
        value = self.coerce(value, owner)
        head = self.fixed.pack(value.header)
        head += bytes(_align(len(head)) - len(head))
        tail: bytes = value.attrs.encode()
        return head + tail

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, HeaderAndAttrs):
            return value
        header, attrs = value
        if isinstance(header, dict):
            header = self.fixed.new(**header)
        if not isinstance(attrs, Attrs):
            attrs = Attrs(self.attr_set, attrs, header=header)
        return HeaderAndAttrs(header, attrs)

    def to_json(self, value: Any) -> Any:
        return {self.fixed.name: self.fixed.as_dict(value.header), "attrs": value.attrs.to_json()}

    def show(self, value: Any) -> str:
        return f"{self.fixed.name} + {counted(len(value.attrs), 'attribute')}"

    def draw_value(self, gen: ValueGen) -> Any:
        rec = gen.draw(gen.records(self.fixed, self.attr_set))
        return HeaderAndAttrs(rec, gen.attrs(self.attr_set, rec))

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return [(self, self.attr_set)]

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        return b"", bytes(_align(self.fixed.size)) + inner, 0


class LengthPrefixedList(Kind):
    """A packed list of ``struct + attrs`` records whose first field is their total
    length (``RTA_MULTIPATH``: ``struct rtnexthop`` + RTA attributes)."""

    render = "records"

    def __init__(self, fixed: FixedStruct, attr_set: AttrSet | Callable[[], AttrSet], len_field: str = "len") -> None:
        self.entry = StructThenAttrs(fixed, attr_set)
        self.fixed = fixed
        self.len_field = len_field
        self.name = f"list({fixed.name})"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> list[HeaderAndAttrs]:
        out: list[HeaderAndAttrs] = []
        off = start
        size = self.fixed.size
        while off < end:
            if end - off < size:
                raise TruncatedError(f"{end - off} bytes left, {self.fixed.name} needs {size}", off, owner.here)
            ln = getattr(self.fixed.unpack(buf, off), self.len_field)
            if ln < size or off + ln > end:
                raise DecodeError(f"{self.fixed.name} length {ln} invalid", off, owner.here)
            out.append(self.entry.decode(buf, off, off + ln, owner._element(len(out))))
            off += _align(ln)
        return out

    def encode(self, value: Any, owner: Attrs) -> bytes:
        parts = []
        for item in value:
            # entry.coerce, not self.coerce: computing the length field here again would
            # encode every nested level twice per level (exponential in the depth)
            v = self.entry.coerce(item, owner)
            attrs = v.attrs.encode()
            head = self.fixed.pack(v.header._replace(**{self.len_field: _align(self.fixed.size) + len(attrs)}))
            parts.append(head + bytes(_align(len(head)) - len(head)) + attrs)
        return b"".join(parts)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        out = []
        for v in value:
            entry = self.entry.coerce(v, owner)
            ln = _align(self.fixed.size) + len(entry.attrs.encode())
            if getattr(entry.header, self.len_field) != ln:
                # the length field is computed, as the kernel computes it: a built entry
                # equals its decoded copy
                entry = HeaderAndAttrs(entry.header._replace(**{self.len_field: ln}), entry.attrs)
            out.append(entry)
        return out

    def to_json(self, value: Any) -> Any:
        return [self.entry.to_json(v) for v in value]

    def show(self, value: Any) -> str:
        return counted(len(value), "entry")

    levels = 2
    """The entry and its attributes."""

    def draw_value(self, gen: ValueGen) -> Any:
        if gen.at_limit:
            return []
        out = []
        fixed = self.fixed
        attr_set = self.entry.attr_set
        for _ in range(gen.draw(gen.st.integers(0, 2))):
            rec = gen.draw(gen.records(fixed))
            body = gen.attrs(attr_set, rec)
            # the length field is what the encoder writes: struct (aligned) + attributes
            rec = rec._replace(**{self.len_field: _align(fixed.size) + len(body.encode())})
            out.append(HeaderAndAttrs(rec, Attrs(attr_set, body.items(), header=rec)))
        return out

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return [(self, self.entry.attr_set)]

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        head_len = _align(self.fixed.size)
        head = self.fixed.pack(self.fixed.new(**{self.len_field: head_len + len(inner)}))
        return b"", head + bytes(head_len - len(head)) + inner, 0


class BySibling(Kind):
    """The payload's kind depends on a sibling attribute's value
    (``IFLA_INFO_DATA`` by ``IFLA_INFO_KIND``)."""

    render = "by_sibling"

    def __init__(self, key: int, choices: Mapping[Any, Kind], default: Kind | None = None) -> None:
        self.key = key
        self.choices = dict(choices)
        self.default = default or Binary()
        self.name = "by_sibling"
        self.sibling_dependent = True

    def pick(self, owner: Attrs) -> Kind:
        kind: Kind = self.choices.get(owner.get(self.key), self.default)
        return kind

    def resolve(self, owner: Attrs | None) -> Kind:
        if owner is None:
            return self
        try:
            return self.pick(owner).resolve(owner)
        except DecodeError:
            return self

    @property
    def nested(self) -> bool:  # type: ignore[override]
        return False

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        return self.pick(owner).decode(buf, start, end, owner)

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.later()

    def encode(self, value: Any, owner: Attrs) -> bytes:
        kind = self.pick(owner)
        try:
            return kind.encode(value, owner)
        except EncodeError as exc:
            raise self._undeclared(kind, owner, exc) from None

    def coerce(self, value: Any, owner: Attrs) -> Any:
        kind = self.pick(owner)
        try:
            return kind.coerce(value, owner)
        except EncodeError as exc:
            raise self._undeclared(kind, owner, exc) from None

    def chooser(self, owner: Attrs) -> str:
        """What chose the payload's kind, for a message: ``IFLA_INFO_KIND 'dummy'``."""
        return f"{owner.attr_set.name_of(int(self.key), 'kernel')} {owner.get(self.key)!r}"

    def _undeclared(self, kind: Kind, owner: Attrs, exc: EncodeError) -> EncodeError:
        """``exc``, raised by the default kind for a value no choice declares: said as such
        (an undeclared link kind, not "binary: expected bytes, got dict")."""
        if kind is not self.default or not self.choices:
            return exc
        declared = ", ".join(sorted(str(c) for c in self.choices))
        return EncodeError(f"{self.chooser(owner)} is not declared (declared: {declared}): {exc}")

    def to_json(self, value: Any) -> Any:
        if isinstance(value, Attrs):
            return value.to_json()
        return Kind.to_json(self, value)

    def show(self, value: Any) -> str:
        if isinstance(value, Attrs):
            return counted(len(value), "attribute")
        return Kind.show(self, value)

    levels = 0

    def draw_value(self, gen: ValueGen) -> Any:
        # drawn alone, the sibling is absent: the decoder then uses the default
        return self.default.draw_value(gen)

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return [(k, None) for k in [*self.choices.values(), self.default]]

    def sibling_selector(self) -> BySibling | None:
        return self

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        sibling = b""
        choices = [c for c, k in self.choices.items() if k is rest[0]]
        if choices:  # else the target is the default: the sibling stays absent
            key_kind = owner_set.kind(int(self.key))
            sibling = _pack_attr(int(self.key), 0, key_kind.encode(choices[0], Attrs(owner_set, [])))
        more, payload, flags = rest[0].nest_payload(rest[1:], inner, owner_set)
        return sibling + more, payload, flags


class ByHeader(BySibling):
    """The payload's kind depends on a field of the message's fixed header
    (``IFLA_AF_SPEC`` by ``ifinfomsg.family``)."""

    render = "by_header"

    def __init__(self, field: str, choices: Mapping[Any, Kind], default: Kind | None = None) -> None:
        super().__init__(0, choices, default)
        self.field = field
        self.name = "by_header"
        self.sibling_dependent = False

    def pick(self, owner: Attrs) -> Kind:
        return self.for_header(owner.header)

    def chooser(self, owner: Attrs) -> str:
        key = getattr(owner.header, self.field, None) if owner.header is not None else None
        return f"header field {self.field} {key!r}"

    def for_header(self, header: Any) -> Kind:
        """The kind chosen by the fixed header record ``header`` (None: the default)."""
        key = getattr(header, self.field, None) if header is not None else None
        kind: Kind = self.choices.get(key, self.default)
        return kind

    def decode_code(self, c: CodeWriter) -> list[str]:
        out = [f"h = {c.header_field(self.field)}"]
        for value, kind in self.choices.items():
            out += [f"{'el' if len(out) > 1 else ''}if h == {c.const(value)}:", *indent(c.code_of(kind))]
        return [*out, "else:", *indent(c.code_of(self.default))]

    def draw_value(self, gen: ValueGen) -> Any:
        return self.choices.get(gen.header_field(self.field), self.default).draw_value(gen)

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return super().inner() if by_header else []

    def sibling_selector(self) -> BySibling | None:
        return None

    def header_hints(self) -> dict[str, set[int]]:
        return {self.field: {int(c) for c in self.choices if isinstance(c, int)}}


# --------------------------------------------------------------------------------------
# attribute sets


class IndexedMap(NestedArray):
    """A nest whose children's types are sparse indices (policy dumps): ``{index: value}``."""

    def __init__(self, item: Kind) -> None:
        super().__init__(item, 0)
        self.name = f"map({item.name})"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> dict[int, Any]:  # type: ignore[override]
        holder = Attrs._child(_INDEX_SET, buf, start, end, owner, owner._cur)
        out: dict[int, Any] = {}
        for t, _f, s, e in holder._items:
            holder._cur = t
            out[t] = self.item.decode(buf, s, e, holder)
        return out

    def encode(self, value: Any, owner: Attrs) -> bytes:
        # policy dumps nest with nla_nest_start(): NLA_F_NESTED on each entry
        flags = NLA_F_NESTED if self.item.nested or isinstance(self.item, IndexedMap) else 0
        return b"".join(_pack_attr(int(k), flags, self.item.encode(v, owner)) for k, v in value.items())

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return {int(k): self.item.coerce(v, owner) for k, v in dict(value).items()}

    def to_json(self, value: Any) -> Any:
        return {str(k): self.item.to_json(v) for k, v in value.items()}

    def draw_value(self, gen: ValueGen) -> Any:
        if gen.at_limit:
            return {}
        keys = gen.draw(gen.st.lists(gen.st.integers(0, NLA_TYPE_MASK), max_size=3, unique=True))
        deeper = gen.deeper()
        return {k: self.item.draw_value(deeper) for k in keys}
