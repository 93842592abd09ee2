"""``struct nlattr`` framing: the attribute header, its alignment, the strict and the
tolerant walk over an attribute area, and attribute names.

Framing is strict: an attribute whose ``nla_len`` is below 4 or runs past its
parent raises :class:`~nlwire.errors.DecodeError` with the absolute offset and
the attribute path; a missing final pad is accepted as the kernel's
``nla_ok()`` does.
"""

from __future__ import annotations

import enum
from typing import Any

import construct as cs

from nlwire.consts.netlink import NLA_F, NLA_HDRLEN, NLA_TYPE_MASK
from nlwire.errors import DecodeError, EncodeError, TruncatedError
from nlwire.wire.fixed import FixedStruct

__all__ = [
    "MAX_DEPTH",
    "NLA_F_NESTED",
    "NLA_F_NET_BYTEORDER",
    "NLA_TYPE_MASK",
    "attr_name",
    "counted",
    "nlattr",
    "scan_attrs",
    "scan_attrs_tolerant",
]

NLA_F_NESTED = int(NLA_F.NESTED)
NLA_F_NET_BYTEORDER = int(NLA_F.NET_BYTEORDER)
_NLA_FLAGS = NLA_F_NESTED | NLA_F_NET_BYTEORDER
MAX_DEPTH = 32
"""Nesting deeper than this is a DecodeError (the kernel's own limit is 16)."""

def counted(n: int, noun: str) -> str:
    """``1 attribute``, ``2 attributes``, ``1 entry``, ``0 entries``: how a kind or the
    dissector shows a count."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


nlattr = cs.Struct("len" / cs.Int16un, "type" / cs.Int16un)
"""struct nlattr { __u16 nla_len; __u16 nla_type; };  (type carries NLA_F_NESTED
and NLA_F_NET_BYTEORDER in its top two bits)"""

_NLA = FixedStruct("nlattr", nlattr)
_NLA_UNPACK = _NLA.struct.unpack_from  # type: ignore[union-attr]
_NLA_PACK = _NLA.struct.pack  # type: ignore[union-attr]


def _align(n: int) -> int:
    return (n + 3) & ~3


def attr_name(enum_cls: type[enum.IntEnum] | None, atype: int, style: str = "dotted") -> str:
    """``IFLA.IFNAME`` (dotted), ``IFLA_IFNAME`` (kernel), unknown: ``IFLA(99)`` / ``IFLA_99``."""
    prefix = enum_cls.__name__ if enum_cls is not None else "attr"
    member = None
    if enum_cls is not None:
        try:
            member = enum_cls(atype)
        except ValueError:
            member = None
    if style == "kernel":
        # a member named for a constant that starts with a digit has a leading "_" only to be
        # an identifier: IFLA_IPTUN._6RD_PREFIX is IFLA_IPTUN_6RD_PREFIX
        return f"{prefix}_{member.name.lstrip('_')}" if member is not None else f"{prefix}_{atype}"
    return f"{prefix}.{member.name}" if member is not None else f"{prefix}({atype})"


# --------------------------------------------------------------------------------------
# framing


def scan_attrs(buf: bytes, start: int, end: int, path: Any = "attrs") -> list[tuple[int, int, int, int]]:
    """Split ``buf[start:end]`` into ``(type, flags, value_start, value_end)``.

    Raises DecodeError (absolute offset, ``path``) on a malformed attribute;
    ``path`` is a string or an object whose ``.path`` names the location (read
    only when an error is raised).
    """
    items: list[tuple[int, int, int, int]] = []
    append = items.append
    off = start
    unpack = _NLA_UNPACK
    last = end - NLA_HDRLEN
    while off <= last:
        ln, t = unpack(buf, off)
        nxt = off + ln
        if ln < NLA_HDRLEN or nxt > end:
            _bad_attr(ln, off, end, path)
        append((t & NLA_TYPE_MASK, t & _NLA_FLAGS, off + NLA_HDRLEN, nxt))
        off += (ln + 3) & ~3
    if off < end:
        raise TruncatedError(f"{end - off} trailing bytes after the last attribute", off, _path_of(path))
    return items


def _path_of(path: Any) -> str:
    return path if isinstance(path, str) else str(path.path)


def _bad_attr(ln: int, off: int, end: int, path: Any) -> None:
    if ln < NLA_HDRLEN:
        raise DecodeError(f"nla_len {ln} < 4", off, _path_of(path))
    raise TruncatedError(f"nla_len {ln} runs {off + ln - end} bytes past its parent", off, _path_of(path))


def scan_attrs_tolerant(
    buf: bytes, start: int, end: int, path: str = "attrs"
) -> tuple[list[tuple[int, int, int, int]], DecodeError | None]:
    """Like :func:`scan_attrs` but returns the well-formed prefix and the error."""
    try:
        return scan_attrs(buf, start, end, path), None
    except DecodeError as exc:
        good: list[tuple[int, int, int, int]] = []
        off = start
        while off < exc.offset:
            ln, t = _NLA_UNPACK(buf, off)
            good.append((t & NLA_TYPE_MASK, t & _NLA_FLAGS, off + NLA_HDRLEN, off + ln))
            off += _align(ln)
        return good, exc


# --------------------------------------------------------------------------------------
# kinds


def _pack_attr(atype: int, flags: int, body: bytes) -> bytes:
    ln = NLA_HDRLEN + len(body)
    if ln > 0xFFFF:
        raise EncodeError(f"attribute type {atype}: {ln} bytes do not fit nla_len")
    return _NLA_PACK(ln, atype | flags) + body + bytes(_align(ln) - ln)
