"""Reading capture files: classic pcap and pcapng, plain or gzip-compressed.

Both formats are read here with :mod:`struct`, record by record (one record in
memory at a time): that keeps ``nlwire dissect`` starting fast and costs
nothing per record, and it lets one mechanism report a damaged file the same
way in both formats: every record before the damage is yielded, then
:class:`CaptureError` names the damage and where it is. A file whose first
bytes are gzip's magic (1f 8b) is decompressed as it is read, without seeking,
so ``-`` (standard input) works for every format.
"""

from __future__ import annotations

import gzip
import io
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, Literal, NamedTuple, cast

__all__ = ["CaptureError", "Record", "read_records"]

_PCAP_MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_RECORD = 1 << 26  # a record (pcap) or block (pcapng) longer than this is taken for damage

# pcapng (draft-ietf-opsawg-pcapng): every block is type(4) total_length(4) body total_length(4)
_SHB = 0x0A0D0D0A  # Section Header Block: a palindrome, read the same in either byte order
_IDB = 1  # Interface Description Block
_PB = 2  # Packet Block (obsolete)
_SPB = 3  # Simple Packet Block
_EPB = 6  # Enhanced Packet Block
_BLOCK_NAMES = {
    _SHB: "section header",
    _IDB: "interface description",
    _PB: "packet",
    _SPB: "simple packet",
    4: "name resolution",
    5: "interface statistics",
    _EPB: "enhanced packet",
}
_BYTE_ORDER = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}
_IF_TSRESOL = 9
_IF_TSOFFSET = 14


class CaptureError(Exception):
    """The file is not a readable pcap/pcapng capture, or is damaged past some record."""


class Record(NamedTuple):
    """One captured packet."""

    linktype: int
    time: float
    data: bytes
    wirelen: int
    number: int = 0
    """Its frame number in the file, counting the records of every interface as tshark
    does (a pcapng may hold records of interfaces that are not read); 0: the reader of
    the records counts them."""


class _Prefixed(io.RawIOBase):
    """A stream with some bytes already read put back in front (no seeking: stdin, a pipe)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        n = len(data)
        b[:n] = data
        return n


def read_records(
    path: str,
    check_linktype: Callable[[int], object] | None = None,
    on_skip: Callable[[int, int, int], object] | None = None,
) -> Iterator[Record]:
    """The records of the capture at ``path`` (``-``: standard input), in file order.

    ``check_linktype`` is called with each link type the file declares, before any
    record of it is read, and raises :class:`ValueError` to refuse it: a classic pcap
    file is then refused (the error propagates); a pcapng interface's records are
    skipped, and ``on_skip(interface, linktype, count)`` is called once per interface
    with skipped records (``interface`` counts the file's interfaces from 0, as
    Wireshark's ``frame.interface_id``) when the read ends, at the end of the file or
    at damage. A pcapng file none of whose interfaces is accepted is refused like a
    classic one. A damaged file yields every record before the damage, then raises
    :class:`CaptureError`."""
    if path == "-":
        f: IO[bytes] = sys.stdin.buffer
    else:
        try:
            f = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise CaptureError(f"{path}: {exc.strerror or exc}") from None
    src: IO[bytes] = f
    gz = False
    try:
        magic = src.read(4)
        if magic[:2] == _GZIP_MAGIC:
            gz = True
            src = cast(IO[bytes], gzip.GzipFile(fileobj=io.BufferedReader(_Prefixed(magic, f)), mode="rb"))
            magic = src.read(4)
        if magic in _PCAP_MAGIC:
            yield from _read_pcap(src, magic, path, check_linktype)
        elif magic == _SHB.to_bytes(4, "little"):
            where = " of the decompressed data" if gz else ""
            yield from _PcapngReader(src, path, check_linktype, on_skip, where).records()
        elif len(magic) < 4:
            raise CaptureError(f"{path}: empty or not a capture file ({len(magic)} bytes)")
        else:
            raise CaptureError(f"{path}: not a pcap or pcapng file (starts with {magic.hex(' ')})")
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # from the decompressor only
        if not gz:
            raise
        raise CaptureError(f"{path}: gzip data damaged or truncated after the records read ({exc})") from None
    except OSError as exc:
        raise CaptureError(f"{path}: read error: {exc.strerror or exc}") from None
    finally:
        if src is not f:
            src.close()
        if f is not sys.stdin.buffer:
            f.close()


def _read_pcap(f: IO[bytes], magic: bytes, path: str, check: Callable[[int], object] | None) -> Iterator[Record]:
    endian, scale = _PCAP_MAGIC[magic]
    head = f.read(20)
    if len(head) < 20:
        raise CaptureError(f"{path}: pcap file header truncated")
    _vmaj, _vmin, _tz, _sig, _snap, linktype = struct.unpack(endian + "HHiIII", head)
    linktype &= 0x0FFFFFFF  # the upper bits carry FCS information
    if check is not None:
        check(linktype)
    rec = struct.Struct(endian + "IIII")
    unpack = rec.unpack
    read = f.read
    new = tuple.__new__  # Record(...) without the Python-level __new__ of a named tuple
    while True:
        hdr = read(16)
        if len(hdr) < 16:
            if hdr:
                raise CaptureError(f"{path}: truncated record header at the end of the file")
            return
        sec, frac, caplen, wirelen = unpack(hdr)
        if caplen > _MAX_RECORD:
            raise CaptureError(f"{path}: record of {caplen} bytes: corrupt file")
        data = read(caplen)
        if len(data) < caplen:
            raise CaptureError(f"{path}: last record truncated ({len(data)} of {caplen} bytes)")
        yield new(Record, (linktype, sec + frac * scale, data, wirelen, 0))


class _Interface:
    """One interface of a pcapng section: its link type, timestamp unit, and whether it is read."""

    __slots__ = ("index", "linktype", "offset", "read", "resol", "skipped", "snaplen")

    def __init__(self, index: int, linktype: int, snaplen: int, read: bool) -> None:
        self.index = index  # among all the file's interfaces, from 0
        self.linktype = linktype
        self.snaplen = snaplen
        self.read = read
        self.resol = 1_000_000  # if_tsresol: units per second (default microseconds)
        self.offset = 0  # if_tsoffset: seconds added to every timestamp
        self.skipped = 0


class _PcapngReader:
    """pcapng block by block: each block's framing is checked before its body is used."""

    def __init__(
        self,
        f: IO[bytes],
        path: str,
        check: Callable[[int], object] | None,
        on_skip: Callable[[int, int, int], object] | None,
        where: str = "",
    ) -> None:
        self._read = f.read
        self._path = path
        self._where = where
        self._check = check
        self._on_skip = on_skip
        self._order = "<"  # the section's byte order, for struct
        self._byteorder: Literal["little", "big"] = "little"  # the same, for int.from_bytes
        self._section: list[_Interface] = []  # the interfaces of the current section
        self._all: list[_Interface] = []  # of the whole file
        self._refused: ValueError | None = None
        self._pos = 0  # offset of the current block in the (decompressed) capture
        self._number = 0  # the current block's number, from 1
        self._packets = 0  # packet records so far, of every interface: tshark's frame number
        self._type: int | None = _SHB  # the current block's type (None: not read)

    def _damage(self, what: str) -> CaptureError:
        self._report_skipped()
        t = self._type
        name = "" if t is None else f" ({_BLOCK_NAMES.get(t, f'type 0x{t:08x}')})"
        return CaptureError(
            f"{self._path}: pcapng block {self._number}{name} at offset {self._pos}{self._where}: {what}"
        )

    def _report_skipped(self) -> None:
        if self._on_skip is not None:
            for i in self._all:
                if i.skipped:
                    self._on_skip(i.index, i.linktype, i.skipped)

    def records(self) -> Iterator[Record]:
        read = self._read
        hdr = _SHB.to_bytes(4, "little")  # the magic, already read
        while True:
            hdr += read(8 - len(hdr))
            if len(hdr) < 8:
                if hdr:
                    self._number += 1
                    self._type = None
                    raise self._damage(f"the file ends {len(hdr)} bytes into the block's header")
                break
            self._number += 1
            btype = int.from_bytes(hdr[:4], self._byteorder)
            self._type = btype
            if btype == _SHB:
                bom = read(4)
                if len(bom) < 4:
                    raise self._damage(f"the file ends {8 + len(bom)} bytes into the block")
                order = _BYTE_ORDER.get(bom)
                if order is None:
                    raise self._damage(f"byte-order magic {bom.hex(' ')} is neither 1a2b3c4d nor 4d3c2b1a")
                self._order = order
                self._byteorder = "little" if order == "<" else "big"
                self._section = []
                head = hdr + bom
            else:
                head = hdr
            length = int.from_bytes(hdr[4:8], self._byteorder)
            minimum = 28 if btype == _SHB else 12
            if length < minimum or length % 4:
                raise self._damage(f"block length {length}: a block is a multiple of 4 bytes, at least {minimum}")
            if length > _MAX_RECORD:
                raise self._damage(f"block length {length} > {_MAX_RECORD}: corrupt file")
            rest = read(length - len(head))
            if len(rest) < length - len(head):
                raise self._damage(f"the file ends {len(head) + len(rest)} bytes into a block of {length}")
            trailer = int.from_bytes(rest[-4:], self._byteorder)
            if trailer != length:
                raise self._damage(f"trailing block length {trailer} differs from the leading {length}")
            body = rest[:-4]  # after type and length (and a section header's byte-order magic)
            if btype in (_EPB, _PB, _SPB):
                rec = self._packet(btype, body)
                if rec is not None:
                    yield rec
            elif btype == _IDB:
                self._interface(body)
            elif btype == _SHB:
                major, minor = struct.unpack_from(self._order + "HH", body)
                if major != 1:
                    raise self._damage(f"pcapng version {major}.{minor}: only 1.x is defined")
            self._pos += length
            hdr = b""
        if self._refused is not None and not any(i.read for i in self._all):
            raise self._refused
        self._report_skipped()

    def _interface(self, body: bytes) -> None:
        if len(body) < 8:
            raise self._damage(f"{len(body)} bytes of body, an interface description needs 8")
        linktype, _reserved, snaplen = struct.unpack_from(self._order + "HHI", body)
        accepted = True
        if self._check is not None:
            try:
                self._check(linktype)
            except ValueError as exc:
                accepted = False
                if self._refused is None:
                    self._refused = exc
        iface = _Interface(len(self._all), linktype, snaplen, accepted)
        off = 8
        while off + 4 <= len(body):
            code, size = struct.unpack_from(self._order + "HH", body, off)
            if code == 0:  # opt_endofopt
                break
            value = body[off + 4 : off + 4 + size]
            if len(value) < size:
                raise self._damage(f"option {code} of {size} bytes at block offset {off + 8} runs past the block")
            if code == _IF_TSRESOL and size >= 1:
                v = value[0]
                iface.resol = 2 ** (v & 0x7F) if v & 0x80 else 10**v
            elif code == _IF_TSOFFSET and size >= 8:
                iface.offset = struct.unpack_from(self._order + "q", value)[0]
            off += 4 + ((size + 3) & ~3)
        self._section.append(iface)
        self._all.append(iface)

    def _packet(self, btype: int, body: bytes) -> Record | None:
        order = self._order
        if btype == _SPB:
            fixed = 4
            if len(body) < fixed:
                raise self._damage(f"{len(body)} bytes of body, the block needs {fixed}")
            ifid, hi, lo = 0, 0, 0
            (wirelen,) = struct.unpack_from(order + "I", body)
            caplen = min(wirelen, len(body) - fixed)
        else:
            fixed = 20
            if len(body) < fixed:
                raise self._damage(f"{len(body)} bytes of body, the block needs {fixed}")
            if btype == _EPB:
                ifid, hi, lo, caplen, wirelen = struct.unpack_from(order + "IIIII", body)
            else:
                ifid, _drops, hi, lo, caplen, wirelen = struct.unpack_from(order + "HHIIII", body)
            if caplen > len(body) - fixed:
                raise self._damage(f"captured length {caplen} runs past the block ({len(body) - fixed} bytes)")
        section = self._section
        if ifid >= len(section):
            raise self._damage(f"interface {ifid} not declared (the section declares {len(section)})")
        iface = section[ifid]
        self._packets += 1
        if btype == _SPB and iface.snaplen:
            caplen = min(caplen, iface.snaplen)
        if not iface.read:
            iface.skipped += 1
            return None
        ts = ((hi << 32) | lo) / iface.resol + iface.offset
        return Record(iface.linktype, ts, body[fixed : fixed + caplen], wirelen, self._packets)
