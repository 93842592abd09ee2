"""The capture reader on inputs tshark reads: gzip-compressed captures (from a file and from
standard input), pcapng files damaged at one block, and pcapng files with an interface that
carries no netlink.

tshark, run live (``tshark -r FILE -T json -x``), is the oracle for which frames a file holds
and their bytes; pcapng inputs are made from the bundled captures with ``editcap``/``mergecap``
(Wireshark's own writers), damaged here with :mod:`struct` at block offsets this file finds by
walking the pcapng framing itself.
"""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import subprocess
import tracemalloc
from pathlib import Path
from typing import Any

import nlcaptures
import pytest
from test_dissect_cli import run

from dissect.netlink import CaptureError, read_records
from dissect.netlink.cooked import check_linktype

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(
        shutil.which("tshark") is None or shutil.which("editcap") is None or shutil.which("mergecap") is None,
        reason="tshark/editcap/mergecap (wireshark) not installed",
    ),
]

NAME = "ip-link-show.pcap"  # 6 records: as pcapng, blocks 1 (SHB), 2 (IDB), 3-8 (EPB)


def tshark_frames(path: Path) -> list[tuple[int, float, bytes]]:
    """``(interface id, time, bytes)`` of each frame tshark reads (a damaged file exits 2)."""
    r = subprocess.run(["tshark", "-r", str(path), "-T", "json", "-x"], capture_output=True, timeout=300)
    assert r.returncode in (0, 2), r.stderr.decode()
    out = []
    for pkt in json.loads(r.stdout or b"[]"):
        layers = pkt["_source"]["layers"]
        frame = layers["frame"]
        out.append(
            (
                int(frame.get("frame.interface_id", 0)),
                float(frame["frame.time_epoch"]),
                bytes.fromhex(layers["frame_raw"][0]),
            )
        )
    return out


def pcapng(src: Path, dst: Path) -> Path:
    subprocess.run(["editcap", "-F", "pcapng", str(src), str(dst)], check=True, capture_output=True)
    return dst


def blocks(data: bytes) -> list[tuple[int, int]]:
    """``(offset, total length)`` of each block of a little-endian pcapng."""
    out = []
    off = 0
    while off < len(data):
        length = struct.unpack_from("<I", data, off + 4)[0]
        out.append((off, length))
        off += length
    return out


def read_until_error(path: Path) -> tuple[list[bytes], str | None]:
    """The records ``read_records`` yields, and the message of the error it ends with."""
    got: list[bytes] = []
    try:
        for rec in read_records(str(path)):
            got.append(rec.data)
    except CaptureError as exc:
        return got, str(exc)
    return got, None


# ---------------------------------------------------------------------------------- gzip


@pytest.mark.parametrize("fmt", ["pcap", "pcapng"])
def test_gzip_capture_reads_like_the_plain_one(tmp_path: Path, fmt: str) -> None:
    """Issue 13 item 1: a gzip'd capture (detected by its magic 1f 8b, not its name) reads from a
    file and from standard input (not seekable) as tshark reads it, and as the plain file."""
    plain = nlcaptures.require(NAME)
    if fmt == "pcapng":
        plain = pcapng(plain, tmp_path / "plain.pcapng")
    packed = gzip.compress(plain.read_bytes())
    gz = tmp_path / "capture.bin"  # no .gz: detected by the magic
    gz.write_bytes(packed)
    frames = tshark_frames(gz)
    assert len(frames) == 6
    assert [r.data for r in read_records(str(gz))] == [f[2] for f in frames]
    expected = run("--json", str(plain))
    assert expected.returncode == 0, expected.stderr
    for r in (run("--json", str(gz)), run("--json", "-", stdin=packed)):
        assert r.returncode == 0 and r.stderr == b"", r.stderr.decode()
        assert r.stdout == expected.stdout
        lines = [json.loads(x) for x in r.stdout.splitlines()]
        assert [(x["length"], round(x["time"], 6)) for x in lines] == [(len(f[2]), round(f[1], 6)) for f in frames]


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    """A gzip stream cut short: the records decompressed before the cut, then one error line."""
    packed = gzip.compress(nlcaptures.require(NAME).read_bytes())
    gz = tmp_path / "cut.gz"
    gz.write_bytes(packed[: len(packed) - 40])  # the deflate end and the CRC trailer gone
    frames = tshark_frames(gz)
    got, err = read_until_error(gz)
    assert got == [f[2] for f in frames] and len(got) >= 1 and err is not None and "gzip" in err
    r = run("--summary", "-", stdin=gz.read_bytes())
    lines = r.stderr.decode().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "gzip" in lines[0], lines


# ------------------------------------------------------------------- damaged pcapng blocks


def _trailer(data: bytearray, at: list[tuple[int, int]]) -> tuple[int, str]:
    off, length = at[4]
    struct.pack_into("<I", data, off + length - 4, length + 4)
    return 5, "trailing block length"


def _length8(data: bytearray, at: list[tuple[int, int]]) -> tuple[int, str]:
    struct.pack_into("<I", data, at[4][0] + 4, 8)
    return 5, "block length 8"


def _four_gb(data: bytearray, at: list[tuple[int, int]]) -> tuple[int, str]:
    struct.pack_into("<I", data, at[4][0] + 4, 0xFFFFFFFC)
    return 5, "block length 4294967292"


def _truncated(data: bytearray, at: list[tuple[int, int]]) -> tuple[int, str]:
    del data[-10:]
    return len(at), "the file ends"


def _undeclared_interface(data: bytearray, at: list[tuple[int, int]]) -> tuple[int, str]:
    struct.pack_into("<I", data, at[4][0] + 8, 3)  # the EPB's interface id; the file declares one
    return 5, "interface 3 not declared"


@pytest.mark.parametrize("damage", [_trailer, _length8, _four_gb, _truncated, _undeclared_interface])
def test_damaged_pcapng_block_is_reported_after_the_good_frames(tmp_path: Path, damage: Any) -> None:
    """Issue 13 item 2: every frame before the damaged block (as many as tshark reads), then one
    line naming the block and its offset, exit 2: the reader no longer takes the damage for the
    end of the file, prints no scapy WARNING, and a 4 GB block length allocates nothing."""
    good = pcapng(nlcaptures.require(NAME), tmp_path / "good.pcapng")
    data = bytearray(good.read_bytes())
    at = blocks(bytes(data))
    assert len(at) == 8
    number, what = damage(data, at)
    bad = tmp_path / "bad.pcapng"
    bad.write_bytes(bytes(data))
    frames = [f[2] for f in tshark_frames(bad)]
    assert len(frames) == number - 3  # the EPBs before block `number`
    tracemalloc.start()
    try:
        got, err = read_until_error(bad)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got == frames
    assert peak < (4 << 20), peak  # the file is 18 KB; no buffer sized by a corrupt length
    assert err is not None and f"pcapng block {number} " in err and f"at offset {at[number - 1][0]}:" in err
    assert what in err, err
    for r in (run("--summary", str(bad)), run("--summary", "-", stdin=gzip.compress(bytes(data)))):
        lines = r.stderr.decode().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and what in lines[0], lines
        assert "WARNING" not in lines[0] and "Traceback" not in lines[0]
        numbers = sorted({int(x.split()[0]) for x in r.stdout.decode().splitlines()})
        assert numbers == list(range(1, len(frames) + 1))


# ---------------------------------------------------------------- non-netlink interfaces


def _ethernet_pcap(path: Path, near: Path, count: int) -> None:
    """A classic Ethernet pcap of ``count`` ARP frames, timed among ``near``'s first records."""
    sec, usec = struct.unpack_from("<II", near.read_bytes(), 24)
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)  # LINKTYPE_ETHERNET
    frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x06" + bytes(46)
    for i in range(count):
        out += struct.pack("<IIII", sec, usec + 100 + 300 * i, len(frame), len(frame)) + frame
    path.write_bytes(out)


def test_pcapng_skips_an_interface_that_is_not_netlink(tmp_path: Path) -> None:
    """Issue 13 item 6: the netlink interface's records are all dissected (tshark's netlink
    frames, same messages as the plain capture), the Ethernet interface's records are skipped
    with one note giving their count, and the exit status is 0."""
    nl = nlcaptures.require(NAME)
    eth = tmp_path / "eth.pcap"
    _ethernet_pcap(eth, nl, 3)
    mixed = tmp_path / "mixed.pcapng"
    subprocess.run(["mergecap", "-F", "pcapng", "-w", str(mixed), str(eth), str(nl)], check=True, capture_output=True)
    frames = tshark_frames(mixed)
    ifaces = [f[0] for f in frames]
    assert ifaces.count(0) == 3 and ifaces.count(1) == 6 and ifaces[1] == 0  # eth is interface 0, interleaved
    r = run("--json", str(mixed))
    notes = r.stderr.decode().splitlines()
    assert r.returncode == 0 and len(notes) == 1, notes
    assert "skipped 3 records of interface 0 (link type 1" in notes[0]
    plain = [json.loads(x) for x in run("--json", str(nl)).stdout.splitlines()]
    ours = [json.loads(x) for x in r.stdout.splitlines()]
    # the frames keep the file's numbers (tshark's: every interface's records counted), and
    # so do the links between them (request_in, replies_in); the messages are the same
    assert [x["frame"] for x in ours] == [n for n, f in enumerate(frames, 1) if f[0] == 1]
    renumber = {x["frame"]: y["frame"] for x, y in zip(ours, plain, strict=True)}
    for m in (m for x in ours for m in x["messages"]):
        for key in ("request_in", "duplicate_of"):
            if key in m:
                m[key] = renumber[m[key]]
        if "replies_in" in m:
            m["replies_in"] = [renumber[n] for n in m["replies_in"]]
    assert [x["messages"] for x in ours] == [x["messages"] for x in plain]
    skipped: list[tuple[int, int, int]] = []
    recs = list(read_records(str(mixed), check_linktype, lambda *a: skipped.append(a)))
    assert [r.data for r in recs] == [f[2] for f in frames if f[0] == 1]
    assert skipped == [(0, 1, 3)]


def test_pcapng_without_a_netlink_interface_is_refused_like_a_pcap(tmp_path: Path) -> None:
    """No interface carries netlink: the same one-line error as a classic pcap of that link type."""
    eth = tmp_path / "eth.pcap"
    _ethernet_pcap(eth, nlcaptures.require(NAME), 2)
    for path in (eth, pcapng(eth, tmp_path / "eth.pcapng")):
        r = run("--summary", str(path))
        lines = r.stderr.decode().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and "unsupported link type 1" in lines[0], lines


# ------------------------------------------------------------------ pcapng written by hand


def _classic_records(path: Path) -> list[tuple[int, int, bytes]]:
    """``(seconds, microseconds, bytes)`` of a little-endian microsecond classic pcap."""
    raw = path.read_bytes()
    out = []
    off = 24
    while off < len(raw):
        sec, usec, caplen, _wirelen = struct.unpack_from("<IIII", raw, off)
        out.append((sec, usec, raw[off + 16 : off + 16 + caplen]))
        off += 16 + caplen
    return out


def _block(order: str, btype: int, body: bytes) -> bytes:
    body += bytes(-len(body) % 4)
    return struct.pack(order + "II", btype, len(body) + 12) + body + struct.pack(order + "I", len(body) + 12)


def _section(order: str, recs: list[tuple[int, int, bytes]]) -> bytes:
    """One section in byte order ``order``: an interface with nanosecond timestamps (if_tsresol
    9) and if_tsoffset 0, then one enhanced packet block per record."""
    shb = _block(order, 0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    opts = struct.pack(order + "HH", 9, 1) + b"\x09\0\0\0" + struct.pack(order + "HHq", 14, 8, 0) + bytes(4)
    idb = _block(order, 1, struct.pack(order + "HHI", 253, 0, 262144) + opts)
    epbs = b""
    for sec, usec, data in recs:
        ns = sec * 10**9 + usec * 1000
        epbs += _block(
            order, 6, struct.pack(order + "IIIII", 0, ns >> 32, ns & 0xFFFFFFFF, len(data), len(data)) + data
        )
    return shb + idb + epbs


def test_pcapng_sections_in_either_byte_order(tmp_path: Path) -> None:
    """A big-endian section then a little-endian one, nanosecond timestamps: the records and
    times tshark reads."""
    recs = _classic_records(nlcaptures.require(NAME))
    path = tmp_path / "two-sections.pcapng"
    path.write_bytes(_section(">", recs[:3]) + _section("<", recs[3:]))
    frames = tshark_frames(path)
    assert [f[2] for f in frames] == [r[2] for r in recs]
    got = list(read_records(str(path)))
    assert [r.data for r in got] == [f[2] for f in frames]
    assert [round(r.time, 6) for r in got] == [round(f[1], 6) for f in frames]
