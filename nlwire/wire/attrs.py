"""Netlink attributes: ``struct nlattr`` framing, attribute *kinds*, attribute
sets and the lazily decoded :class:`Attrs` collection.

An :class:`AttrSet` is the one declaration of an attribute space: a table keyed
by explicit enum members mapping to a :class:`Kind`. Encoding, decoding, the
dissector tree, JSON output and the fuzz strategies all read that table.

Framing is strict: an attribute whose ``nla_len`` is below 4 or runs past its
parent raises :class:`~nlwire.errors.DecodeError` with the absolute offset and
the attribute path; a missing final pad is accepted as the kernel's
``nla_ok()`` does. Attributes of unknown type are kept as raw bytes so a
decode/encode round trip is byte-exact.
"""

from __future__ import annotations

import enum
import ipaddress
import operator
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import construct as cs

from nlwire.consts.netlink import NLA_F, NLA_HDRLEN, NLA_TYPE_MASK
from nlwire.consts.socket import AF
from nlwire.errors import DecodeError, EncodeError, TruncatedError
from nlwire.wire.fixed import FixedStruct, Record

__all__ = [
    "MAX_DEPTH",
    "NLA_F_NESTED",
    "NLA_F_NET_BYTEORDER",
    "NLA_TYPE_MASK",
    "AttrSet",
    "Attrs",
    "Bitfield32",
    "Entry",
    "Kind",
    "Unterminated",
    "ValueGen",
    "WireList",
    "attr_name",
    "counted",
    "nlattr",
    "scan_attrs",
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
        return f"{prefix}_{member.name}" if member is not None else f"{prefix}_{atype}"
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

    def sibling_selector(self) -> BySibling | None:
        """The :class:`BySibling` this kind is when a sibling attribute selects its kind."""
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


class RawString(Kind):
    """Text without a terminating NUL."""

    name = "raw_string"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return buf[start:end].decode("utf-8", "surrogateescape")

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if not isinstance(value, str):
            raise EncodeError(f"{self.name}: expected str, got {type(value).__name__}")
        return value.encode("utf-8", "surrogateescape")

    def show(self, value: Any) -> str:
        return repr(value)[1:-1] if isinstance(value, str) else str(value)

    def draw_value(self, gen: ValueGen) -> Any:
        # text the wire keeps as it is: no surrogates (they would pair up differently after
        # a surrogateescape round trip), or arbitrary bytes decoded the way decode does
        st = gen.st
        return gen.draw(st.one_of(_text(st), st.binary(max_size=16).map(_unescape)))


class Unterminated(str):
    """A string attribute that arrived without its terminating NUL (iproute2 sends
    ``IFLA_INFO_KIND`` that way). It equals the plain ``str``; it re-encodes without
    the NUL, so round trips stay byte-exact."""

    __slots__ = ()


def _text(st: Any) -> Any:
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=16)


def _unescape(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _cstring(raw: bytes) -> str:
    """A NUL-terminated string's text (what :class:`String` decodes to): up to the first
    NUL; without one, the whole payload as :class:`Unterminated`."""
    text, nul, _ = raw.partition(b"\0")
    if nul:
        return text.decode("utf-8", "surrogateescape")
    return Unterminated(raw.decode("utf-8", "surrogateescape"))


class String(RawString):
    """A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as the kernel sends it).

    Bytes after the first NUL are ignored; a missing NUL is accepted (the kernel's
    NLA_STRING does too) and remembered as :class:`Unterminated`.
    """

    name = "string"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return _cstring(buf[start:end])

    def encode(self, value: Any, owner: Attrs) -> bytes:
        data = super().encode(value, owner)
        if b"\0" in data:
            raise EncodeError(f"{self.name}: NUL inside {value!r}")
        return data if isinstance(value, Unterminated) else data + b"\0"

    def draw_value(self, gen: ValueGen) -> Any:
        st = gen.st
        text = gen.draw(st.one_of(
            _text(st).map(lambda s: s.replace("\0", "")),
            st.binary(max_size=16).map(lambda b: _unescape(b.replace(b"\0", b""))),
        ))
        # iproute2 sends some strings without their NUL; nlwire keeps them byte-exact
        return Unterminated(text) if gen.draw(st.integers(0, 7)) == 0 else text


class Int(Kind):
    """A fixed-width integer declared by a construct ``FormatField``."""

    def __init__(
        self, name: str, con: cs.FormatField, enum_cls: type[enum.IntEnum] | type[enum.IntFlag] | None = None
    ) -> None:
        self.name = name
        self.construct = con
        self.struct = struct.Struct(con.fmtstr)
        self.size = self.struct.size
        self.unpack_from = self.struct.unpack_from
        letter = con.fmtstr[-1]
        bits = self.size * 8
        if letter.islower():
            self.min, self.max = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            self.min, self.max = 0, (1 << bits) - 1
        self.enum = enum_cls

    def __call__(self, enum_cls: type[enum.IntEnum] | type[enum.IntFlag]) -> Int:
        """``u8(IF_OPER)``: the same integer, shown with enum or flag names."""
        return Int(self.name, self.construct, enum_cls)

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> int:
        if end - start != self.size:
            raise DecodeError(f"{self.name} needs {self.size} bytes, got {end - start}", start, owner.here)
        value: int = self.unpack_from(buf, start)[0]
        return value

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EncodeError(f"{self.name}: expected int, got {value!r}")
        if not self.min <= value <= self.max:
            raise EncodeError(f"{self.name}: {value} out of range {self.min}..{self.max}")
        return self.struct.pack(value)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return int(value) if isinstance(value, (enum.IntEnum, enum.IntFlag)) else value

    def show(self, value: Any) -> str:
        return show_enum(self.enum, value)

    def draw_value(self, gen: ValueGen) -> Any:
        plain = gen.st.integers(self.min, self.max)
        if self.enum is not None and not issubclass(self.enum, enum.IntFlag):
            members = sorted({int(m) for m in self.enum if self.min <= int(m) <= self.max})
            if members:
                return gen.draw(gen.st.one_of(gen.st.sampled_from(members), plain))
        return gen.draw(plain)


def show_enum(enum_cls: type[enum.Enum] | None, value: int) -> str:
    """``UP (6)`` for an enum, ``UP|LOWER_UP (0x10001)`` for flags, plain ``6`` otherwise."""
    if enum_cls is None:
        return str(value)
    if issubclass(enum_cls, enum.IntFlag):
        names = []
        rest = value
        for member in enum_cls:
            v = int(member)
            if v and v & (v - 1) == 0 and value & v:
                names.append(member.name or str(v))
                rest &= ~v
        if rest:
            names.append(hex(rest))
        return f"{'|'.join(names) or '0'} ({value:#x})"
    try:
        return f"{enum_cls(value).name} ({value})"
    except ValueError:
        return str(value)


class VarUint(Kind):
    """The kernel's variable-width NLA_UINT / NLA_SINT: 4 or 8 bytes (1 and 2 accepted when reading)."""

    def __init__(self, signed: bool) -> None:
        self.signed = signed
        self.name = "sint" if signed else "uint"
        c = "bhiq" if signed else "BHIQ"
        self._by_len = {n: struct.Struct("=" + ch) for n, ch in zip((1, 2, 4, 8), c, strict=True)}

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> int:
        s = self._by_len.get(end - start)
        if s is None:
            raise DecodeError(f"{self.name} of {end - start} bytes", start, owner.here)
        value: int = s.unpack_from(buf, start)[0]
        return value

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EncodeError(f"{self.name}: expected int, got {value!r}")
        small = -(1 << 31) <= value < (1 << 31) if self.signed else 0 <= value < (1 << 32)
        try:
            return self._by_len[4 if small else 8].pack(value)
        except struct.error as exc:
            raise EncodeError(f"{self.name}: {exc}") from None

    def draw_value(self, gen: ValueGen) -> Any:
        if self.signed:
            return gen.draw(gen.st.integers(-(1 << 63), (1 << 63) - 1))
        return gen.draw(gen.st.integers(0, (1 << 64) - 1))


class Flag(Kind):
    """NLA_FLAG: present means True; the payload is empty."""

    name = "flag"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> bool:
        if end != start:
            raise DecodeError(f"flag with {end - start} payload bytes", start, owner.here)
        return True

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if value is not True:
            raise EncodeError("flag: only True can be encoded (omit the attribute for False)")
        return b""

    def draw_value(self, gen: ValueGen) -> Any:
        return True


class HwAddr(Kind):
    """A link-layer address shown ``aa:bb:cc:dd:ee:ff`` (any length: IPoIB uses 20 bytes)."""

    name = "hwaddr"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return buf[start:end].hex(":")

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        if not isinstance(value, str):
            raise EncodeError(f"hwaddr: expected 'aa:bb:..' or bytes, got {value!r}")
        try:
            return bytes.fromhex(value.replace(":", "").replace("-", ""))
        except ValueError:
            raise EncodeError(f"hwaddr: bad address {value!r}") from None

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex(":")
        return value.lower() if isinstance(value, str) else value

    def draw_value(self, gen: ValueGen) -> Any:
        st = gen.st
        raw: bytes = gen.draw(st.one_of(st.binary(min_size=6, max_size=6), st.binary(max_size=20)))
        return raw.hex(":")


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


_IP_CACHE: dict[bytes, Any] = {}
"""Recently decoded addresses: building an ipaddress object costs microseconds, and
dumps repeat the same few addresses (gateways, tokens, prefixes) many times."""


def _address(raw: bytes) -> Any:
    """The IPv4Address (4 bytes) or IPv6Address (16 bytes) of ``raw``. Address objects
    are immutable, so up to 4,096 of them are shared, keyed by their bytes."""
    addr = _IP_CACHE.get(raw)
    if addr is None:
        addr = ipaddress.IPv4Address(raw) if len(raw) == 4 else ipaddress.IPv6Address(raw)
        if len(_IP_CACHE) >= 4096:
            _IP_CACHE.clear()
        _IP_CACHE[raw] = addr
    return addr


class IPAddr(Kind):
    """An IP address: 4 bytes → IPv4Address, 16 → IPv6Address; other lengths stay bytes."""

    name = "ipaddr"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        raw = buf[start:end]
        return _address(raw) if end - start in (4, 16) else raw

    def encode(self, value: Any, owner: Attrs) -> bytes:
        value = self.coerce(value, owner)
        if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return value.packed
        if isinstance(value, bytes):
            return value
        raise EncodeError(f"ipaddr: expected an address, got {value!r}")

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, str):
            try:
                return ipaddress.ip_address(value)
            except ValueError:
                raise EncodeError(f"ipaddr: bad address {value!r}") from None
        return value

    def to_json(self, value: Any) -> Any:
        return value.hex() if isinstance(value, bytes) else str(value)

    def draw_value(self, gen: ValueGen) -> Any:
        st = gen.st
        if gen.family == AF.INET:
            return gen.draw(st.ip_addresses(v=4))
        if gen.family == AF.INET6:
            return gen.draw(st.ip_addresses(v=6))
        return gen.draw(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)))

    def header_hints(self) -> dict[str, set[int]]:
        return {"family": {int(AF.INET), int(AF.INET6)}}


class Via(NamedTuple):
    """RTA_VIA's ``struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; }``:
    the address family of the next hop and its address (an address object for AF_INET and
    AF_INET6 of the right length, else the bytes)."""

    family: int
    address: Any


_VIA_FAMILIES = {2: ("inet", 4), 10: ("inet6", 16)}  # AF_INET, AF_INET6: name, address length
_VIA_FAMILY = struct.Struct("=H")


class RtVia(Kind):
    """A next hop in another address family than the route's (``RTA_VIA``: an IPv4 route
    via an IPv6 router). A plain address (or its text) encodes with its own family."""

    name = "rtvia"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Via:
        if end - start < 2:
            raise TruncatedError(f"rtvia needs 2 bytes for its family, got {end - start}", start, owner.here)
        family = _VIA_FAMILY.unpack_from(buf, start)[0]
        raw = buf[start + 2 : end]
        known = _VIA_FAMILIES.get(family)
        return Via(family, _address(raw) if known is not None and known[1] == len(raw) else raw)

    def encode(self, value: Any, owner: Attrs) -> bytes:
        family, address = self.coerce(value, owner)
        if isinstance(address, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            address = address.packed
        if not isinstance(address, bytes):
            raise EncodeError(f"rtvia: expected an address, got {address!r}")
        return _VIA_FAMILY.pack(family) + address

    def coerce(self, value: Any, owner: Attrs) -> Any:
        if isinstance(value, str):
            try:
                value = ipaddress.ip_address(value)
            except ValueError:
                raise EncodeError(f"rtvia: bad address {value!r}") from None
        if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return Via(2 if value.version == 4 else 10, value)
        if isinstance(value, tuple) and len(value) == 2:
            family, address = value
            family = int(family)
            if isinstance(address, str):
                address = IPAddr().coerce(address, owner)
            elif isinstance(address, bytes):
                # an AF_INET / AF_INET6 address of its length is held as the address
                # object, as decode makes it: equal values encode to equal bytes and back
                known = _VIA_FAMILIES.get(family)
                if known is not None and known[1] == len(address):
                    address = _address(address)
            return Via(family, address)
        raise EncodeError(f"rtvia: expected an address or (family, address), got {value!r}")

    def to_json(self, value: Any) -> Any:
        address = value.address.hex() if isinstance(value.address, bytes) else str(value.address)
        return {"family": value.family, "address": address}

    def show(self, value: Any) -> str:
        known = _VIA_FAMILIES.get(value.family)
        address = value.address.hex(":") if isinstance(value.address, bytes) else str(value.address)
        return f"{known[0] if known else f'family {value.family}'} {address}"

    def draw_value(self, gen: ValueGen) -> Any:
        st = gen.st
        return gen.draw(st.one_of(st.ip_addresses(), st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=16))))


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
        n, rest = divmod(end - start, size)
        if rest:
            raise DecodeError(f"{end - start} bytes is not a whole number of {self.fixed.name}", start, owner.here)
        unpack = self.fixed.unpack
        return tuple(unpack(buf, start + i * size) for i in range(n))

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

    def __init__(self, item: Int, index: type[enum.IntEnum] | None = None, first: int = 0) -> None:
        self.item = item
        self.index = index
        """The enum naming the elements (``IPV4_DEVCONF``): element ``i`` is member ``i + first``."""
        self.first = first
        self.name = f"{item.name}[]"
        self._code = item.construct.fmtstr[0] + "%d" + item.construct.fmtstr[-1]
        self._by_count: dict[int, Callable[..., tuple[int, ...]]] = {}

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> tuple[int, ...]:
        n, rest = divmod(end - start, self.item.size)
        if rest:
            raise DecodeError(f"{end - start} bytes is not a whole number of {self.item.name}", start, owner.here)
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


class WireList(list):  # type: ignore[type-arg]
    """A nested array's entries as decoded: a list that also keeps each entry's ``nla_type``
    (NLA_F_* bits included) in ``wire``, so an array re-encodes with the numbering its sender
    chose (the kernel numbers nftables set elements 1, 1, 1...; libnftnl 1, 2, 3...)."""

    __slots__ = ("wire",)

    def __init__(self, items: Iterable[Any], wire: tuple[int, ...]) -> None:
        super().__init__(items)
        self.wire = wire


class NestedArray(Kind):
    """A nest of entries holding ``item`` each (``CTRL_ATTR_OPS``, nftables set elements).

    Every entry is read whatever its type, as the kernel's ``nla_for_each_nested()`` does;
    a new array is written with types ``first``, ``first + 1``, ... and a decoded one (a
    :class:`WireList`, its length unchanged) with the types it came with."""

    nested = True

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


class HeaderAndAttrs(NamedTuple):
    """A nested value made of a fixed struct followed by attributes (``VETH_INFO_PEER``)."""

    header: Record
    attrs: Attrs


class StructThenAttrs(Kind):
    """Payload = fixed struct + attribute set (veth peer: ``ifinfomsg`` + IFLA attributes)."""

    nested = False

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

    def __init__(self, key: int, choices: Mapping[Any, Kind], default: Kind | None = None) -> None:
        self.key = key
        self.choices = dict(choices)
        self.default = default or Binary()
        self.name = "by_sibling"
        self.sibling_dependent = True

    def pick(self, owner: Attrs) -> Kind:
        kind: Kind = self.choices.get(owner.get(self.key), self.default)
        return kind

    @property
    def nested(self) -> bool:  # type: ignore[override]
        return False

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        return self.pick(owner).decode(buf, start, end, owner)

    def encode(self, value: Any, owner: Attrs) -> bytes:
        return self.pick(owner).encode(value, owner)

    def coerce(self, value: Any, owner: Attrs) -> Any:
        return self.pick(owner).coerce(value, owner)

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

    def __init__(self, field: str, choices: Mapping[Any, Kind], default: Kind | None = None) -> None:
        super().__init__(0, choices, default)
        self.field = field
        self.name = "by_header"
        self.sibling_dependent = False

    def pick(self, owner: Attrs) -> Kind:
        header = owner.header
        key = getattr(header, self.field, None) if header is not None else None
        kind: Kind = self.choices.get(key, self.default)
        return kind

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
            t: (k.unpack_from, k.size) for t, k in self.kinds.items() if type(k) is Int
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


def _pack_attr(atype: int, flags: int, body: bytes) -> bytes:
    ln = NLA_HDRLEN + len(body)
    if ln > 0xFFFF:
        raise EncodeError(f"attribute type {atype}: {ln} bytes do not fit nla_len")
    return _NLA_PACK(ln, atype | flags) + body + bytes(_align(ln) - ln)


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


_compiled_decoder: tuple[int, Callable[..., Attrs | None]] | None = None
"""The compiled-layout decoder (:func:`nlwire.wire.layout.decode_attrs`) and the smallest
area it is tried on; :mod:`nlwire.wire.layout`, which is built on this module, installs it
when imported (``nlwire.wire`` imports it), so this module never imports it back."""


def install_compiled_decoder(min_size: int, decode: Callable[..., Attrs | None]) -> None:
    """Let :meth:`Attrs.from_bytes` try ``decode`` first on areas of ``min_size`` bytes or more
    (it returns None where no compiled layout answers)."""
    global _compiled_decoder
    _compiled_decoder = (min_size, decode)
