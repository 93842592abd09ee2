"""Write netlink datagrams as a pcap file that tshark and ``nlwire dissect`` read.

The records look exactly like those tcpdump writes on an nlmon device:
LINKTYPE_NETLINK (253), and before each datagram the 16-byte big-endian cooked
header ``pkttype(2)=4, ARPHRD_NETLINK(2)=824, 10 zero bytes, netlink family(2)``.
tcpdump on nlmon0 records pkttype 4 (outgoing) for *every* record, so this
writer does too. The global header matches tcpdump's (microsecond pcap,
little-endian magic, snaplen 262144).
"""

from __future__ import annotations

import os
import struct
import time
from typing import BinaryIO

__all__ = ["ARPHRD_NETLINK", "COOKED_HEADER", "LINKTYPE_NETLINK", "PcapWriter", "cooked_header"]

LINKTYPE_NETLINK = 253
ARPHRD_NETLINK = 824
PKTTYPE_OUTGOING = 4
SNAPLEN = 262144

COOKED_HEADER = struct.Struct(">HH10xH")
"""pkttype, ARPHRD type, 10 unused bytes, netlink protocol (family)."""

_GLOBAL = struct.Struct("<IHHiIII")
_RECORD = struct.Struct("<IIII")


def cooked_header(family: int, pkttype: int = PKTTYPE_OUTGOING) -> bytes:
    """The 16-byte nlmon cooked header for one record."""
    return COOKED_HEADER.pack(pkttype, ARPHRD_NETLINK, family)


class PcapWriter:
    """``PcapWriter(path_or_binary_file, family)``; ``write(datagram)`` adds one record.

    A path is opened (and closed by :meth:`close`); a file object passed in is
    flushed but left open. Each record is flushed so a crash keeps what was written.
    """

    def __init__(self, target: str | os.PathLike[str] | BinaryIO, family: int) -> None:
        self.family = int(family)
        self._owned = isinstance(target, (str, os.PathLike))
        self._file: BinaryIO = open(target, "wb") if isinstance(target, (str, os.PathLike)) else target  # noqa: SIM115
        self._file.write(_GLOBAL.pack(0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_NETLINK))
        self._head = cooked_header(self.family)
        self.records = 0

    def write(self, datagram: bytes | bytearray | memoryview, timestamp: float | None = None) -> None:
        ts = time.time() if timestamp is None else timestamp
        sec = int(ts)
        usec = round((ts - sec) * 1_000_000)
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        size = len(self._head) + len(datagram)
        self._file.write(_RECORD.pack(sec, usec, size, size) + self._head)
        self._file.write(datagram)
        self._file.flush()
        self.records += 1

    def close(self) -> None:
        if self._owned:
            self._file.close()
        else:
            self._file.flush()

    def __enter__(self) -> PcapWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
