"""The scalar attribute kinds: strings, integers, flags, hardware and IP addresses,
``RTA_VIA``.

A kind (:class:`~nlwire.wire.attrs.Kind`) maps one attribute's payload to a Python value and back, and owns
everything about those values (how they show, their JSON, their hypothesis
strategy). Compound kinds (structs, arrays, nests, selectors) are in
:mod:`nlwire.wire.compound`.
"""

from __future__ import annotations

import enum
import ipaddress
import struct
from typing import Any, NamedTuple

import construct as cs

from nlwire.consts.socket import AF
from nlwire.errors import CheckError, DecodeError, EncodeError, TruncatedError
from nlwire.wire.attrs import Attrs, CodeWriter, Kind, ValueGen, check_length, indent

__all__ = [
    "Flag",
    "HwAddr",
    "Int",
    "IPAddr",
    "RawString",
    "RtVia",
    "String",
    "Unterminated",
    "VarUint",
    "Via",
    "show_enum",
]

class RawString(Kind):
    """Text without a terminating NUL."""

    name = "raw_string"
    render = "text"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return buf[start:end].decode("utf-8", "surrogateescape")

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.assign(f"{c.payload()}.decode('utf-8', 'surrogateescape')")

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


def _out_of_range(name: str, value: int, low: int, high: int, type_range: tuple[int, int]) -> EncodeError:
    """The error for an integer outside ``low..high``: a CheckError when only the checks
    refuse it (it fits the type's ``type_range``)."""
    cls = CheckError if type_range[0] <= value <= type_range[1] else EncodeError
    return cls(f"{name}: {value} out of range {low}..{high}")


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
    render = "cstring"

    def __init__(self, min_len: int = 0, max_len: int | None = None) -> None:
        self.min_len = min_len
        """Bounds of the text's length in bytes, NUL excluded (a spec's checks)."""
        self.max_len = max_len

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return _cstring(buf[start:end])

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.assign(f"{c.const(_cstring)}({c.payload()})")

    def encode(self, value: Any, owner: Attrs) -> bytes:
        data = super().encode(value, owner)
        if b"\0" in data:
            raise EncodeError(f"{self.name}: NUL inside {value!r}")
        check_length(self.name, len(data), self.min_len, self.max_len)
        return data if isinstance(value, Unterminated) else data + b"\0"

    def draw_value(self, gen: ValueGen) -> Any:
        st = gen.st
        text = gen.draw(st.one_of(
            _text(st).map(lambda s: s.replace("\0", "")),
            st.binary(max_size=16).map(lambda b: _unescape(b.replace(b"\0", b""))),
        ).filter(self._fits))
        # iproute2 sends some strings without their NUL; nlwire keeps them byte-exact
        return Unterminated(text) if gen.draw(st.integers(0, 7)) == 0 else text


    def _fits(self, text: str) -> bool:
        size = len(text.encode("utf-8", "surrogateescape"))
        return self.min_len <= size and (self.max_len is None or size <= self.max_len)


class Int(Kind):
    """A fixed-width integer declared by a construct ``FormatField``."""

    render = "int"

    def __init__(
        self,
        name: str,
        con: cs.FormatField,
        enum_cls: type[enum.IntEnum] | type[enum.IntFlag] | None = None,
        *,
        low: int | None = None,
        high: int | None = None,
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
        self.type_range = (self.min, self.max)
        # a spec's checks (min, max) narrow the range encode accepts and draw_value draws
        self.min = self.min if low is None else max(self.min, low)
        self.max = self.max if high is None else min(self.max, high)
        self.enum = enum_cls

    def __call__(self, enum_cls: type[enum.IntEnum] | type[enum.IntFlag]) -> Int:
        """``u8(IF_OPER)``: the same integer, shown with enum or flag names."""
        return Int(self.name, self.construct, enum_cls)

    def checked(self, low: int | None = None, high: int | None = None) -> Int:
        """The same integer, encoding only values in ``low..high`` (a spec's ``checks``)."""
        return Int(self.name, self.construct, self.enum, low=low, high=high)

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> int:
        if end - start != self.size:
            raise DecodeError(f"{self.name} needs {self.size} bytes, got {end - start}", start, owner.here)
        value: int = self.unpack_from(buf, start)[0]
        return value

    def decode_code(self, c: CodeWriter) -> list[str]:
        if c.size is not None:  # known now
            return c.assign(c.read1(self.construct.fmtstr)) if c.size == self.size else c.invalid()
        value = c.assign(c.read1(self.construct.fmtstr))
        return [f"if nxt - s == {self.size}:", *indent(value), "else:", *indent(c.invalid())]

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EncodeError(f"{self.name}: expected int, got {value!r}")
        if not self.min <= value <= self.max:
            raise _out_of_range(self.name, value, self.min, self.max, self.type_range)
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

    render = "varint"

    def __init__(self, signed: bool, low: int | None = None, high: int | None = None) -> None:
        self.signed = signed
        self.name = "sint" if signed else "uint"
        c = "bhiq" if signed else "BHIQ"
        self._by_len = {n: struct.Struct("=" + ch) for n, ch in zip((1, 2, 4, 8), c, strict=True)}
        self.min = -(1 << 63) if signed else 0
        self.max = (1 << 63) - 1 if signed else (1 << 64) - 1
        self.type_range = (self.min, self.max)
        # a spec's checks (min, max) narrow the range encode accepts and draw_value draws
        self.min = self.min if low is None else max(self.min, low)
        self.max = self.max if high is None else min(self.max, high)

    def checked(self, low: int | None = None, high: int | None = None) -> VarUint:
        """The same kind, encoding only values in ``low..high`` (a spec's ``checks``)."""
        return VarUint(self.signed, low, high)

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> int:
        s = self._by_len.get(end - start)
        if s is None:
            raise DecodeError(f"{self.name} of {end - start} bytes", start, owner.here)
        value: int = s.unpack_from(buf, start)[0]
        return value

    def decode_code(self, c: CodeWriter) -> list[str]:
        if c.size is not None:  # known now
            st = self._by_len.get(c.size)
            return c.invalid() if st is None else c.assign(c.read1(st.format))
        out: list[str] = []
        for n, st in sorted(self._by_len.items(), key=lambda item: -item[0]):  # 8 and 4 first
            out += [f"{'el' if out else ''}if nxt - s == {n}:", *indent(c.assign(c.read1(st.format)))]
        return [*out, "else:", *indent(c.invalid())]

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EncodeError(f"{self.name}: expected int, got {value!r}")
        if not self.min <= value <= self.max:
            raise _out_of_range(self.name, value, self.min, self.max, self.type_range)
        small = -(1 << 31) <= value < (1 << 31) if self.signed else 0 <= value < (1 << 32)
        try:
            return self._by_len[4 if small else 8].pack(value)
        except struct.error as exc:
            raise EncodeError(f"{self.name}: {exc}") from None

    def draw_value(self, gen: ValueGen) -> Any:
        return gen.draw(gen.st.integers(self.min, self.max))


class Flag(Kind):
    """NLA_FLAG: present means True; the payload is empty."""

    name = "flag"
    render = "flag"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> bool:
        if end != start:
            raise DecodeError(f"flag with {end - start} payload bytes", start, owner.here)
        return True

    def decode_code(self, c: CodeWriter) -> list[str]:
        if c.size is not None:  # known now
            return c.assign("True") if c.size == 0 else c.invalid()
        return ["if nxt == s:", *indent(c.assign("True")), "else:", *indent(c.invalid())]

    def encode(self, value: Any, owner: Attrs) -> bytes:
        if value is not True:
            raise EncodeError("flag: only True can be encoded (omit the attribute for False)")
        return b""

    def draw_value(self, gen: ValueGen) -> Any:
        return True


class HwAddr(Kind):
    """A link-layer address shown ``aa:bb:cc:dd:ee:ff`` (any length: IPoIB uses 20 bytes)."""

    name = "hwaddr"
    render = "hwaddr"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> str:
        return buf[start:end].hex(":")

    def decode_code(self, c: CodeWriter) -> list[str]:
        return c.assign(f"{c.payload()}.hex(':')")

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


def _state(obj: object) -> list[Any]:
    """What an address object holds: its class and every slot of its classes."""
    names = [n for k in type(obj).__mro__ for n in k.__dict__.get("__slots__", ()) if n != "__weakref__"]
    return [type(obj), *(getattr(obj, n, "<unset>") for n in names), getattr(obj, "__dict__", None)]


def _made(v4: type, v6: type) -> Any:
    """:func:`_address`: an address of 4 or 16 bytes made as its class's constructor makes
    it (its integer in ``_ip``, IPv6's ``_scope_id`` None) at a third of the cost, the
    public constructor wherever a sample made so differs from the constructor's (another
    Python's classes); behind the cache of shared address objects."""
    new, from_bytes = object.__new__, int.from_bytes

    def make(raw: bytes) -> Any:
        addr: Any
        if len(raw) == 4:
            addr = new(v4)
            addr._ip = from_bytes(raw, "big")
        else:
            addr = new(v6)
            addr._ip = from_bytes(raw, "big")
            addr._scope_id = None
        return addr

    try:
        samples = ((v4, bytes(range(1, 5))), (v6, bytes(range(1, 17))))
        same = all(_state(make(raw)) == _state(cls(raw)) for cls, raw in samples)
    except (AttributeError, TypeError):
        same = False
    if not same:
        make = lambda raw: v4(raw) if len(raw) == 4 else v6(raw)  # noqa: E731
    cache = _IP_CACHE
    get = cache.get

    def _address(raw: bytes) -> Any:
        """The IPv4Address (4 bytes) or IPv6Address (16 bytes) of ``raw``. Address objects
        are immutable, so up to 4,096 of them are shared, keyed by their bytes."""
        addr: Any = get(raw)
        if addr is None:
            if same and len(raw) == 4:  # (the most frequent miss in a dump: made here, one call less)
                addr = new(v4)
                addr._ip = from_bytes(raw, "big")
            else:
                addr = make(raw)
            if len(cache) >= 4096:
                cache.clear()
            cache[raw] = addr
        return addr

    return _address


_address = _made(ipaddress.IPv4Address, ipaddress.IPv6Address)


class IPAddr(Kind):
    """An IP address: 4 bytes → IPv4Address, 16 → IPv6Address; other lengths stay bytes."""

    name = "ipaddr"
    render = "ip"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Any:
        raw = buf[start:end]
        return _address(raw) if end - start in (4, 16) else raw

    def decode_code(self, c: CodeWriter) -> list[str]:
        if c.size is not None:  # known now
            return c.assign(f"{c.const(_address)}({c.payload()})" if c.size in (4, 16) else c.payload())
        return c.assign(f"{c.const(_address)}(buf[s:nxt]) if nxt - s == 4 or nxt - s == 16 else buf[s:nxt]")

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


def _via(buf: bytes, start: int, end: int) -> Via:
    """The :class:`Via` of an ``rtvia`` of at least 2 bytes."""
    family = _VIA_FAMILY.unpack_from(buf, start)[0]
    raw = buf[start + 2 : end]
    known = _VIA_FAMILIES.get(family)
    return Via(family, _address(raw) if known is not None and known[1] == len(raw) else raw)


class RtVia(Kind):
    """A next hop in another address family than the route's (``RTA_VIA``: an IPv4 route
    via an IPv6 router). A plain address (or its text) encodes with its own family."""

    name = "rtvia"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> Via:
        if end - start < 2:
            raise TruncatedError(f"rtvia needs 2 bytes for its family, got {end - start}", start, owner.here)
        return _via(buf, start, end)

    def decode_code(self, c: CodeWriter) -> list[str]:
        return ["if nxt - s >= 2:", *indent(c.assign(f"{c.const(_via)}(buf, s, nxt)")), "else:", *indent(c.invalid())]

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
