"""The attribute kinds attribute sets are declared with.

``u32`` is an :class:`~nlwire.wire.scalars.Int` built from construct's
``Int32un``; ``u8(IF_OPER)`` is the same kind shown with enum names;
``nested(SET)``, ``array(KIND)``, ``struct(FIXED)`` and the selectors build
compound kinds.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any

import construct as cs

from nlwire.wire.attrs import AttrSet, Binary, Kind
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
    "flag",
    "hwaddr",
    "ipaddr",
    "nested",
    "nested_array",
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
