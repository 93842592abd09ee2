"""nlwire.pcapwriter: records as tcpdump writes them on nlmon0, compared byte for byte
with the real captures in /work/shared/captures (Debian 6.1, tcpdump 4.99.3)."""

from __future__ import annotations

import glob
import io
import os
import struct

import pytest

from nlwire.codec import decode
from nlwire.consts import NETLINK
from nlwire.pcapwriter import LINKTYPE_NETLINK, PcapWriter, cooked_header

CAPTURES = os.environ.get("NLWIRE_CAPTURES", "/work/shared/captures")
PCAPS = sorted(glob.glob(os.path.join(CAPTURES, "*.pcap")))
needs_captures = pytest.mark.skipif(not PCAPS, reason="real nlmon captures not available")


def _records(data: bytes) -> list[tuple[bytes, bytes]]:
    """(16-byte cooked header, netlink datagram) of each record of a little-endian pcap."""
    out = []
    off = 24
    while off < len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        rec = data[off + 16 : off + 16 + incl]
        out.append((rec[:16], rec[16:]))
        off += 16 + incl
    return out


@needs_captures
def test_global_header_matches_tcpdump() -> None:
    buf = io.BytesIO()
    PcapWriter(buf, NETLINK.ROUTE).close()
    for path in PCAPS:
        with open(path, "rb") as f:
            assert f.read(24) == buf.getvalue()[:24], path


@needs_captures
def test_cooked_header_matches_every_record_of_the_real_captures() -> None:
    seen = set()
    for path in PCAPS:
        with open(path, "rb") as f:
            for head, datagram in _records(f.read()):
                family = struct.unpack(">H", head[14:16])[0]
                assert head == cooked_header(family), path
                seen.add(family)
                assert datagram
    assert {int(NETLINK.ROUTE), int(NETLINK.GENERIC)} <= seen


def test_cooked_header_layout() -> None:
    # pkttype 4 (outgoing, as tcpdump on nlmon0 writes for every record), ARPHRD_NETLINK 824, family last
    assert cooked_header(16) == bytes.fromhex("0004 0338 00000000000000000000 0010")
    assert LINKTYPE_NETLINK == 253


def test_records_round_trip_datagrams() -> None:
    datagram = bytes.fromhex("1400000003000200030000005f71000000000000")  # NLMSG_DONE (see test_session.py)
    buf = io.BytesIO()
    w = PcapWriter(buf, NETLINK.GENERIC)
    w.write(datagram, timestamp=1700000000.25)
    w.write(datagram + datagram, timestamp=1700000001.0)
    w.close()
    assert w.records == 2
    assert not buf.closed  # a file passed in stays open
    recs = _records(buf.getvalue())
    assert [d for _, d in recs] == [datagram, datagram + datagram]
    assert all(h == cooked_header(16) for h, _ in recs)
    sec, usec, incl, orig = struct.unpack_from("<IIII", buf.getvalue(), 24)
    assert (sec, usec, incl, orig) == (1700000000, 250000, 36, 36)
    assert len(decode(recs[1][1])) == 2


def test_path_target_is_opened_and_closed(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(os.fspath(tmp_path), "t.pcap")
    with PcapWriter(path, 0) as w:
        w.write(b"\x14" + bytes(19))
    with open(path, "rb") as f:
        assert len(f.read()) == 24 + 16 + 16 + 20
