"""Seed corpora for the atheris harnesses, built at run time from the nlmon captures.

The captures are classic pcap files with LINKTYPE_NETLINK (253): each record is a
16-byte big-endian cooked header (pkttype, ARPHRD_NETLINK, 10 unused bytes, netlink
family) followed by one netlink datagram. This reader is deliberately independent of
the dissector so that the seeds do not depend on the code under test.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CAPTURE_DIRS = [ROOT / "captures", ROOT.parent / "shared" / "captures"]
LINKTYPE_NETLINK = 253


def capture_files() -> list[Path]:
    """The bundled captures (repo ``captures/``, else the shared copy)."""
    for d in CAPTURE_DIRS:
        files = sorted(d.glob("*.pcap"))
        if files:
            return files
    return []


def pcap_records(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(linktype, record bytes)`` for each record of a classic pcap file."""
    data = path.read_bytes()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        return
    linktype = struct.unpack_from(end + "I", data, 20)[0]
    off = 24
    while off + 16 <= len(data):
        _sec, _frac, incl, _orig = struct.unpack_from(end + "IIII", data, off)
        off += 16
        yield linktype, data[off : off + incl]
        off += incl


def frames() -> Iterator[tuple[str, bytes]]:
    """``(capture name, whole frame)`` for every record of every capture."""
    for path in capture_files():
        for _lt, rec in pcap_records(path):
            yield path.stem, rec


def datagrams() -> Iterator[tuple[int, bytes]]:
    """``(netlink family, datagram)`` for every netlink record of every capture."""
    for path in capture_files():
        for lt, rec in pcap_records(path):
            if lt == LINKTYPE_NETLINK and len(rec) >= 16:
                yield struct.unpack_from(">H", rec, 14)[0], rec[16:]


def write_corpus(directory: str | os.PathLike[str], seeds: Iterator[bytes], limit: int = 4000) -> int:
    """Write up to ``limit`` distinct seeds into ``directory`` (named by hash); returns the count."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    seen: set[bytes] = set()
    for seed in seeds:
        if seed in seen:
            continue
        seen.add(seed)
        (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        n += 1
        if n >= limit:
            break
    return n


def corpus_dir(name: str, argv: list[str]) -> list[str]:
    """If ``argv`` names no corpus directory, add ``$NLWIRE_FUZZ_CORPUS/name`` (default
    ``/tmp/nlwire-fuzz/name``); returns argv and the directory to seed as its last item."""
    if any(not a.startswith("-") for a in argv[1:]):
        return argv
    base = os.environ.get("NLWIRE_FUZZ_CORPUS", "/tmp/nlwire-fuzz")
    return [*argv, str(Path(base) / name)]
