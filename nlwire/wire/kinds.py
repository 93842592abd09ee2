"""The attribute kinds attribute sets are declared with.

``u32`` is an :class:`~nlwire.wire.scalars.Int` built from construct's
``Int32un``; ``u8(IF_OPER)`` is the same kind shown with enum names;
``nested(SET)``, ``array(KIND)``, ``struct(FIXED)`` and the selectors build
compound kinds. :class:`Deferred` is a kind made on first use (what
:func:`nlwire.wire.spec_kinds.from_spec` gives: a member's kind as the kernel's installed YAML
spec declares it, tc's options by qdisc kind).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping
from typing import Any

import construct as cs

from nlwire.wire.attrs import AttrSet, Binary, CodeWriter, Kind, Selector, ValueGen
from nlwire.wire.compound import (
    ArrayKind,
    BitfieldKind,
    ByHeader,
    BySibling,
    LengthPrefixedList,
    Nested,
    NestedArray,
    StructArray,
    StructKind,
    StructThenAttrs,
)
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.scalars import Flag, HwAddr, Int, IPAddr, RawString, RtVia, String, VarUint

__all__ = [
    "be16",
    "be32",
    "be64",
    "binary",
    "bitfield32",
    "by_header",
    "by_sibling",
    "Deferred",
    "flag",
    "hwaddr",
    "ipaddr",
    "nested",
    "nested_array",
    "nested_choosing",
    "packed_array",
    "raw_string",
    "rtvia",
    "s8",
    "sbe32",
    "s16",
    "s32",
    "s64",
    "sint",
    "string",
    "struct",
    "struct_array",
    "struct_then_attrs",
    "length_prefixed_list",
    "u8",
    "u16",
    "u32",
    "u64",
    "uint",
]

u8 = Int("u8", cs.Int8un)
u16 = Int("u16", cs.Int16un)
u32 = Int("u32", cs.Int32un)
u64 = Int("u64", cs.Int64un)
s8 = Int("s8", cs.Int8sn)
s16 = Int("s16", cs.Int16sn)
s32 = Int("s32", cs.Int32sn)
s64 = Int("s64", cs.Int64sn)
be16 = Int("be16", cs.Int16ub)
be32 = Int("be32", cs.Int32ub)
be64 = Int("be64", cs.Int64ub)
sbe32 = Int("sbe32", cs.Int32sb)
uint = VarUint(signed=False)
sint = VarUint(signed=True)
string = String()
raw_string = RawString()
rtvia = RtVia()
binary = Binary()
flag = Flag()
hwaddr = HwAddr()
ipaddr = IPAddr()

nla_bitfield32 = cs.Struct("value" / cs.Int32un, "selector" / cs.Int32un)
"""struct nla_bitfield32 { __u32 value; __u32 selector; };"""
bitfield32 = BitfieldKind(FixedStruct("nla_bitfield32", nla_bitfield32))


def nested(attr_set: AttrSet | Callable[[], AttrSet]) -> Nested:
    """A nested attribute set (a callable defers the lookup, for recursive sets)."""
    return Nested(attr_set)


def nested_array(item: Kind, first: int = 1) -> NestedArray:
    """A nest of entries indexed ``first``, ``first + 1``, ... each holding ``item``."""
    return NestedArray(item, first)


def packed_array(item: Int, index: type[enum.IntEnum] | None = None, first: int = 0) -> ArrayKind:
    """Back-to-back integers of one width (``IFLA_INET6_CONF``); decoded as a tuple of ints.

    ``index`` names the elements: element ``i`` is its member ``i + first``
    (``IFLA_INET_CONF``: ``packed_array(u32, IPV4_DEVCONF, 1)``)."""
    return ArrayKind(item, index, first)


def struct(fixed: FixedStruct) -> StructKind:
    """An attribute whose payload is one fixed struct."""
    return StructKind(fixed)


def struct_array(fixed: FixedStruct) -> StructArray:
    """Back-to-back records of one fixed struct (``NHA_GROUP``); decoded as a tuple of records."""
    return StructArray(fixed)


def struct_then_attrs(fixed: FixedStruct, attr_set: AttrSet | Callable[[], AttrSet]) -> StructThenAttrs:
    """A fixed struct followed by attributes (``VETH_INFO_PEER``)."""
    return StructThenAttrs(fixed, attr_set)


def length_prefixed_list(fixed: FixedStruct, attr_set: AttrSet | Callable[[], AttrSet]) -> LengthPrefixedList:
    """Records of a length-carrying struct plus attributes (``RTA_MULTIPATH``)."""
    return LengthPrefixedList(fixed, attr_set)


def by_sibling(key: int, choices: Mapping[Any, Kind], default: Kind | None = None) -> BySibling:
    """The kind depends on a sibling's value (``IFLA_INFO_DATA`` by ``IFLA_INFO_KIND``)."""
    return BySibling(key, choices, default)


def by_header(field: str, choices: Mapping[Any, Kind], default: Kind | None = None) -> ByHeader:
    """The kind depends on a fixed-header field (``IFLA_AF_SPEC`` by ``family``)."""
    return ByHeader(field, choices, default)


_MAKING = threading.RLock()
"""Held while a :class:`Deferred` kind is made (re-entrant: making one may make another)."""


class Deferred(Kind):
    """A kind made on first use by ``make()`` and then standing for it: every question
    put to this kind (decode, encode, its compiled code, strategies, the dissector's
    render...) is the made kind's. What ``make`` reads (an installed spec) is read then,
    not when the declaration is imported."""

    def __init__(self, make: Callable[[], Kind], label: str) -> None:
        self._make: Callable[[], Kind] | None = make
        self._kind: Kind | None = None
        self.label = label
        """What the kind will be, for ``repr`` before it is made."""

    @property
    def kind(self) -> Kind:
        """The kind made (made now, the first time: once, whichever thread asks first)."""
        kind = self._kind
        if kind is None:
            with _MAKING:
                kind = self._kind
                if kind is None:
                    assert self._make is not None
                    kind = self._kind = self._make()
                    self._make = None
        return kind

    def __getattr__(self, attr: str) -> Any:
        # what a particular kind carries (a selector's key and choices, a struct's fixed...)
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.kind, attr)

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.kind.name

    @property
    def nested(self) -> bool:  # type: ignore[override]
        return self.kind.nested

    @property
    def sibling_dependent(self) -> bool:  # type: ignore[override]
        return self.kind.sibling_dependent

    @property
    def render(self) -> str:  # type: ignore[override]
        return self.kind.render

    @property
    def levels(self) -> int:  # type: ignore[override]
        return self.kind.levels

    def decode(self, buf: bytes, start: int, end: int, owner: Any) -> Any:
        return self.kind.decode(buf, start, end, owner)

    def decode_code(self, c: CodeWriter) -> list[str]:
        return self.kind.decode_code(c)

    def encode(self, value: Any, owner: Any) -> bytes:
        return self.kind.encode(value, owner)

    def coerce(self, value: Any, owner: Any) -> Any:
        return self.kind.coerce(value, owner)

    def to_json(self, value: Any) -> Any:
        return self.kind.to_json(value)

    def show(self, value: Any) -> str:
        return self.kind.show(value)

    def draw_value(self, gen: ValueGen) -> Any:
        return self.kind.draw_value(gen)

    def inner(self, by_header: bool = True) -> list[tuple[Kind, AttrSet | None]]:
        return self.kind.inner(by_header)

    def resolve(self, owner: Any) -> Kind:
        return self.kind.resolve(owner)

    def sibling_selector(self) -> Selector | None:
        return self.kind.sibling_selector()

    def header_hints(self) -> dict[str, set[int]]:
        return self.kind.header_hints()

    def nest_payload(self, rest: list[Kind], inner: bytes, owner_set: AttrSet) -> tuple[bytes, bytes, int]:
        return self.kind.nest_payload(rest, inner, owner_set)

    def __repr__(self) -> str:
        if self._kind is None:
            return f"<Deferred {self.label}>"
        return f"<Deferred {self.label}: {self._kind!r}>"


def nested_choosing(attr_set: AttrSet | Callable[[], AttrSet], member: int, chooser: Kind) -> Deferred:
    """A nest of ``attr_set`` whose attribute ``member`` takes its kind from ``chooser``,
    a kind chosen by a sibling of the *nest* (one level up: ``TCA_STATS_APP`` inside
    ``TCA_STATS2`` by the message's ``TCA_KIND``). The nest is then chosen by that
    sibling, one copy of ``attr_set`` per choice with ``member`` of the chosen kind, and
    ``attr_set`` itself otherwise; a ``chooser`` no sibling chooses leaves the plain nest."""

    def make() -> Kind:
        plain = Nested(attr_set)
        selector = chooser.sibling_selector()
        if selector is None:
            return plain
        base = plain.attr_set
        kinds = {base.key(t): k for t, k in base.kinds.items()}
        variants: dict[Any, Kind] = {}
        for value, kind in selector.choices.items():
            chosen = AttrSet(base.enum, {**kinds, base.key(member): kind}, name=base.name,
                             spec_names=base.spec_names, multi=base.multi)
            variants[value] = Nested(chosen)
        return BySibling(selector.key, variants, plain)

    return Deferred(make, f"nest with attribute {member} by {chooser!r}")
