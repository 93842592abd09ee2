"""Fixed-size kernel structs: a construct ``Struct`` is the declaration, the
fast path (a precompiled :class:`struct.Struct` and a named-tuple record type)
is derived from it.

Only fields made of construct ``FormatField`` (``Int32un``, ``Int16ub``, ...),
``Bytes(n)`` and ``Padding(n)`` are allowed: exactly the shapes uapi structs
use. Padding is written as zeros and ignored when read.
"""

from __future__ import annotations

import enum
import keyword
import struct
from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any

import construct as cs

from nlwire.errors import EncodeError, TruncatedError

__all__ = ["FixedStruct", "Record"]

Record = Any
"""A decoded fixed struct: a named tuple whose fields carry the kernel's names."""


def _derive(con: cs.Struct) -> tuple[str, list[str], list[Any]]:
    fmt = ""
    names: list[str] = []
    defaults: list[Any] = []
    for sub in con.subcons:
        name = getattr(sub, "name", None)
        inner = sub.subcon if isinstance(sub, cs.Renamed) else sub
        if isinstance(inner, cs.Padded) and isinstance(inner.subcon, cs.Pass.__class__):
            fmt += f"{inner.length}x"
            continue
        if name is None:
            raise TypeError(f"unnamed field {sub!r} in fixed struct")
        if isinstance(inner, cs.FormatField):
            code = inner.fmtstr
            order, letter = code[0], code[1:]
            if order == ">":
                # per-field byte order: mark with a sentinel, resolved below
                fmt += f"!{letter}"
            else:
                fmt += letter
            defaults.append(0)
        elif isinstance(inner, cs.Bytes) and isinstance(inner.length, int):
            fmt += f"{inner.length}s"
            defaults.append(bytes(inner.length))
        else:
            raise TypeError(f"field {name!r}: {type(inner).__name__} is not a fixed-size scalar")
        names.append(name)
    return fmt, names, defaults


class FixedStruct:
    """A fixed-size struct derived from its construct declaration.

    >>> hdr = FixedStruct("nlmsghdr", nlmsghdr_construct)   # doctest: +SKIP
    >>> hdr.unpack(data, 0).len                               # doctest: +SKIP
    """

    def __init__(
        self,
        name: str,
        con: cs.Struct,
        record_name: str | None = None,
        enums: Mapping[str, type[enum.IntEnum] | type[enum.IntFlag]] | None = None,
        request_enums: Mapping[str, type[enum.IntEnum] | type[enum.IntFlag]] | None = None,
        shows: Mapping[str, Callable[[Any], str]] | None = None,
        summary: Callable[[Record], str] | None = None,
        reply_summary: Callable[[Record, Record], str] | None = None,
    ) -> None:
        self.name = name
        self.construct = con
        self.shows: dict[str, Callable[[Any], str]] = dict(shows or {})
        """Per field, its text where neither the number nor the hex of its bytes says it:
        ``inet_diag_msg.src`` (16 bytes) as the address it holds, a cookie in hex."""
        self.summary = summary
        """The words the dissector's summary line gives a message with this header when no
        attribute is shown (``inet_diag_msg``: the socket, ``127.0.0.1:22 -> ... ESTABLISHED``);
        None: the header adds none."""
        self.reply_summary = reply_summary
        """The words of a reply with this header, given the fixed header of the request it
        answers, where the request tells what the reply does not (``inet_diag_msg`` has no
        protocol field: ``TCP 127.0.0.1:22 -> ... ESTABLISHED`` from the request's
        ``sdiag_protocol``); None, or no request known: :attr:`summary`."""
        self.enums: dict[str, type[enum.IntEnum] | type[enum.IntFlag]] = dict(enums or {})
        """Per field, the enum or flag class its values are named by (``family``: ``AF``)."""
        self.request_enums: dict[str, type[enum.IntEnum] | type[enum.IntFlag]] = dict(request_enums or {})
        """Per field, the names its values take in a request where they differ from ``enums``
        (``ifinfomsg.type``: 0 there is unset, not ARPHRD_NETROM)."""
        self._in_request: FixedStruct | None = None
        fmt, names, defaults = _derive(con)
        self.fields: tuple[str, ...] = tuple(names)
        self.formats: tuple[str, ...] = tuple(_field_formats(fmt))
        """Per field, its :mod:`struct` code with byte order: ``"=I"``, ``">H"``, ``"=6s"``."""
        if "!" in fmt:
            # struct.Struct has one byte order per format: split into segments.
            self._segments = _segments(fmt)
            self.size = sum(s.size for _, s in self._segments)
            self.struct: struct.Struct | None = None
        else:
            self.struct = struct.Struct("=" + fmt)
            self.size = self.struct.size
            self._segments = []
        if self.size != con.sizeof():
            raise TypeError(f"{name}: derived size {self.size} != construct size {con.sizeof()}")
        # Python keywords (``from`` in ifla_vlan_qos_mapping) get a trailing underscore
        # as attribute names; ``fields`` keeps the kernel's spelling for output.
        attr_names = [f"{n}_" if keyword.iskeyword(n) else n for n in names]
        self.record: type = namedtuple(record_name or name, attr_names, defaults=defaults)  # type: ignore[misc]
        self.record.__doc__ = (con.__doc__ or "") if con.__doc__ != cs.Struct.__doc__ else ""
        if self.enums:
            self.record.__repr__ = _record_repr(self)  # type: ignore[method-assign]
        self._make = self.record._make  # type: ignore[attr-defined]
        # the derived struct yields exactly one value per field: skip _make's length check
        self._new = tuple.__new__

    @property
    def in_request(self) -> FixedStruct:
        """The struct as a request's values are named (``request_enums`` over ``enums``);
        itself when no field differs. Same layout, fields and record type."""
        if not self.request_enums:
            return self
        if self._in_request is None:
            shown = FixedStruct(
                self.name, self.construct, enums={**self.enums, **self.request_enums}, shows=self.shows,
                summary=self.summary, reply_summary=self.reply_summary,
            )
            shown.record, shown._make = self.record, self._make
            self._in_request = shown
        return self._in_request

    def unpack(self, buf: bytes | memoryview, offset: int = 0) -> Record:
        """Decode ``size`` bytes at ``offset``; raises :class:`TruncatedError` if short."""
        if len(buf) - offset < self.size:
            raise TruncatedError(f"{self.name} needs {self.size} bytes, {len(buf) - offset} left", offset)
        if self.struct is not None:
            return self._new(self.record, self.struct.unpack_from(buf, offset))
        values: list[Any] = []
        for _, seg in self._segments:
            values.extend(seg.unpack_from(buf, offset))
            offset += seg.size
        return self._make(values)

    def pack(self, record: Any) -> bytes:
        """Encode a record (or a mapping of field names) to bytes."""
        if isinstance(record, dict):
            try:
                record = self.record(**record)
            except TypeError as exc:
                raise EncodeError(f"{self.name}: {exc}") from None
        elif not isinstance(record, self.record):
            if isinstance(record, tuple) and hasattr(record, "_asdict"):
                try:
                    record = self.record(**record._asdict())
                except TypeError:
                    fields = ", ".join(record._asdict())
                    raise EncodeError(
                        f"{self.name}: got a {type(record).__name__} record ({fields}), not {self.record.__name__}"
                    ) from None
            elif isinstance(record, (tuple, list)) and len(record) == len(self.fields):
                record = self.record(*record)
            else:
                raise EncodeError(f"{self.name}: expected a {self.record.__name__} record, got {record!r}")
        try:
            if self.struct is not None:
                return self.struct.pack(*record)
            out = b""
            values = list(record)
            for count, seg in self._segments:
                out += seg.pack(*values[:count])
                values = values[count:]
            return out
        except struct.error as exc:
            raise self._value_error(record, exc) from None

    def _value_error(self, record: Any, exc: struct.error) -> EncodeError:
        """The EncodeError for the field whose value ``struct`` refused: its name and range,
        ``rtmsg.table: -1 out of range 0..255``."""
        for field, code, value in zip(self.fields, self.formats, record, strict=True):
            try:
                struct.pack(code, value)
            except struct.error as one:
                where = f"{self.name}.{field}"
                letter = code[-1]
                if letter in "bBhHiIlLqQ" and isinstance(value, int):
                    bits = 8 * struct.calcsize(code)
                    low = 0 if letter.isupper() else -(1 << (bits - 1))
                    high = (1 << bits) - 1 + low
                    return EncodeError(f"{where}: {value!r} out of range {low}..{high}", field=where)
                return EncodeError(f"{where}: {one}", field=where)
        return EncodeError(f"{self.name}: {exc}")

    def value_repr(self, field: str, value: Any) -> str:
        """``repr()`` of one field's value, named by the field's enum: ``AF.INET``,
        ``RT_TABLE.MAIN``, ``IFF.UP|IFF.LOWER_UP`` (bits no flag names in hex:
        ``RTM_F.LOOKUP_TABLE|0x80000000``); a value the enum has no name for, and a
        field without an enum, as ``repr(value)``. A record's ``repr()`` is made of these."""
        enum_cls = self.enums.get(field)
        if enum_cls is None or not isinstance(value, int) or isinstance(value, bool):
            return repr(value)
        prefix = enum_cls.__name__
        if issubclass(enum_cls, enum.IntFlag):
            names, rest = _flag_names(enum_cls, value)
            if not value:
                return "0"
            return "|".join([f"{prefix}.{n}" for n in names] + ([hex(rest)] if rest else []))
        try:
            return f"{prefix}.{enum_cls(value).name}"
        except ValueError:
            return repr(int(value))

    def show(self, field: str, value: Any) -> str:
        """Human text for one field: ``AF_INET (2)``, ``UP|LOWER_UP (0x10001)``, ``7``, or the
        field's own (:attr:`shows`)."""
        own = self.shows.get(field)
        if own is not None:
            return own(value)
        enum_cls = self.enums.get(field)
        if enum_cls is None or not isinstance(value, int):
            return value.hex() if isinstance(value, bytes) else str(value)
        if issubclass(enum_cls, enum.IntFlag):
            names, rest = _flag_names(enum_cls, value)
            if rest:
                names.append(hex(rest))
            return f"{'|'.join(names) or '0'} ({value:#x})"
        try:
            return f"{enum_cls.__name__}_{enum_cls(value).name} ({value})"
        except ValueError:
            return str(value)

    def field_at(self, rel: int) -> str:
        """``ifinfomsg.index``: the field byte ``rel`` of the struct falls in (the
        struct's name for padding or past the end)."""
        pos = 0
        for sub in self.construct.subcons:
            size = sub.sizeof()
            name = getattr(sub, "name", None)
            if pos <= rel < pos + size and name:
                return f"{self.name}.{name}"
            pos += size
        return self.name

    def as_dict(self, record: Any) -> dict[str, Any]:
        """``{kernel field name: value}`` for a record."""
        return dict(zip(self.fields, record, strict=True))

    def new(self, **fields: Any) -> Record:
        """A record with the given fields and zeros elsewhere."""
        try:
            return self.record(**fields)
        except TypeError as exc:
            raise EncodeError(f"{self.name}: {exc}") from None

    def __repr__(self) -> str:
        return f"<FixedStruct {self.name} {self.size} bytes>"


def _flag_names(flags: type[enum.IntFlag], value: int) -> tuple[list[str], int]:
    """The names of ``value``'s single-bit members of ``flags``, and the bits none names."""
    names = []
    rest = value
    for member in flags:
        v = int(member)
        if v and v & (v - 1) == 0 and value & v and member.name:
            names.append(member.name)
            rest &= ~v
    return names, rest


def _record_repr(fixed: FixedStruct) -> Any:
    """A record class's ``__repr__``: the named tuple's, with enum-named values."""
    attr_names: tuple[str, ...] = fixed.record._fields  # type: ignore[attr-defined]

    def __repr__(self: Any) -> str:
        body = ", ".join(
            f"{attr}={fixed.value_repr(field, value)}"
            for attr, field, value in zip(attr_names, fixed.fields, self, strict=True)
        )
        return f"{type(self).__name__}({body})"

    return __repr__


def _field_formats(fmt: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(fmt):
        order = "="
        if fmt[i] == "!":
            order, i = ">", i + 1
        j = i
        while fmt[j].isdigit():
            j += 1
        if fmt[j] != "x":
            out.append(order + fmt[i : j + 1])
        i = j + 1
    return out


def _segments(fmt: str) -> list[tuple[int, struct.Struct]]:
    """Split a format with ``!``-marked big-endian fields into same-order runs."""
    tokens: list[tuple[bool, str]] = []
    i = 0
    while i < len(fmt):
        big = fmt[i] == "!"
        if big:
            i += 1
        j = i
        while fmt[j].isdigit():
            j += 1
        tokens.append((big, fmt[i : j + 1]))
        i = j + 1
    runs: list[tuple[int, struct.Struct]] = []
    cur_big: bool | None = None
    cur = ""
    count = 0
    for big, tok in tokens:
        if cur_big is not None and big != cur_big:
            runs.append((count, struct.Struct((">" if cur_big else "=") + cur)))
            cur, count = "", 0
        cur_big = big
        cur += tok
        if not tok.endswith("x"):
            count += 1
    if cur:
        runs.append((count, struct.Struct((">" if cur_big else "=") + cur)))
    return runs
