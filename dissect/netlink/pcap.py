"""Reading capture files: the only module of nlwire that imports scapy.

Classic pcap (the format tcpdump writes on nlmon0) is read here with
:mod:`struct`, record by record: that keeps ``nlwire dissect`` starting fast
(importing scapy costs ~90 ms, more than half of tshark's whole start-up) and
costs nothing per record. Everything else (pcapng, gzip-compressed files) goes
to scapy's ``RawPcapReader``, imported only then. Both stream: one record in
memory at a time. ``-`` reads standard input.
"""

from __future__ import annotations

import io
import struct
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

__all__ = ["CaptureError", "Record", "read_records"]

_PCAP_MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
_MAX_RECORD = 1 << 26


class CaptureError(Exception):
    """The file is not a readable pcap/pcapng capture."""


class Record(NamedTuple):
    """One captured packet."""

    linktype: int
    time: float
    data: bytes
    wirelen: int


class _Prefixed(io.RawIOBase):
    """A stream with some bytes already read put back in front (for stdin)."""

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


def read_records(path: str, check_linktype: Callable[[int], object] | None = None) -> Iterator[Record]:
    """The records of the capture at ``path`` (``-``: standard input), in file order.

    ``check_linktype`` is called with a classic pcap file's link type before any
    record is read (it may raise to refuse the file)."""
    if path == "-":
        f: IO[bytes] = sys.stdin.buffer
    else:
        try:
            f = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise CaptureError(f"{path}: {exc.strerror or exc}") from None
    try:
        magic = f.read(4)
        if magic in _PCAP_MAGIC:
            yield from _read_pcap(f, magic, path, check_linktype)
        elif len(magic) < 4:
            raise CaptureError(f"{path}: empty or not a capture file ({len(magic)} bytes)")
        else:
            yield from _read_scapy(f, magic, path)
    finally:
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
        yield new(Record, (linktype, sec + frac * scale, data, wirelen))


def _read_scapy(f: IO[bytes], magic: bytes, path: str) -> Iterator[Record]:
    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader, RawPcapReader

    stream = io.BufferedReader(_Prefixed(magic, f))
    try:
        reader: Any = RawPcapReader(stream)  # type: ignore[arg-type]
    except Scapy_Exception as exc:
        raise CaptureError(f"{path}: not a pcap or pcapng file ({exc})") from None
    ng = isinstance(reader, RawPcapNgReader)
    while True:
        try:
            pkt, meta = reader._read_packet(size=_MAX_RECORD)
        except EOFError:
            return
        except Exception as exc:  # scapy raises assorted exceptions on corrupt files
            raise CaptureError(f"{path}: corrupt capture ({exc})") from None
        if pkt is None:
            return
        if ng:
            ts = ((meta.tshigh << 32) | meta.tslow) / float(meta.tsresol)
            yield Record(int(meta.linktype), ts, bytes(pkt), int(meta.wirelen or len(pkt)))
        else:
            yield Record(
                int(reader.linktype),
                meta.sec + meta.usec * (1e-9 if reader.nano else 1e-6),
                bytes(pkt),
                int(meta.wirelen),
            )
