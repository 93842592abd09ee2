"""Shared helpers for tests that read the nlmon captures.

A capture ``NAME.pcap`` is taken from the repository's ``captures/`` when a
copy is there, else from ``../shared/captures/`` beside the clone (where CI
has it); tests that need a capture that is in neither place are skipped.

The pcap reader is written out here (24-byte global header, 16-byte record
headers, LINKTYPE_NETLINK's 16-byte big-endian cooked header) so the tests do
not depend on the dissector or scapy.
"""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEARCH = (REPO / "captures", REPO.parent / "shared" / "captures")
LINKTYPE_NETLINK = 253


def capture_path(name: str) -> Path | None:
    """``captures/NAME`` if it exists, else ``../shared/captures/NAME``, else None."""
    for d in SEARCH:
        p = d / name
        if p.exists():
            return p
    return None


def require(name: str) -> Path:
    p = capture_path(name)
    if p is None:
        pytest.skip(f"capture {name} is neither in captures/ nor in ../shared/captures/")
    return p


def all_pcaps() -> list[str]:
    """Names of every pcap in either place (the repo copy wins)."""
    names: set[str] = set()
    for d in SEARCH:
        if d.is_dir():
            names.update(p.name for p in d.glob("*.pcap"))
    return sorted(names)


@cache
def records(name: str) -> list[tuple[int, bytes]]:
    """``(netlink protocol, datagram)`` for every record of ``NAME.pcap``."""
    return pcap_records(require(name).read_bytes(), name)


def pcap_records(raw: bytes, name: str = "capture") -> list[tuple[int, bytes]]:
    """``(netlink protocol, datagram)`` for every record of a LINKTYPE_NETLINK pcap's
    bytes (a capture file's, or what a ``capture=`` tap wrote)."""
    if raw[:4] != b"\xd4\xc3\xb2\xa1":
        raise ValueError(f"{name}: not a little-endian microsecond pcap")
    (linktype,) = struct.unpack_from("<I", raw, 20)
    if linktype != LINKTYPE_NETLINK:
        raise ValueError(f"{name}: linktype {linktype}, expected {LINKTYPE_NETLINK}")
    out = []
    off = 24
    while off < len(raw):
        _sec, _usec, incl, _orig = struct.unpack_from("<IIII", raw, off)
        rec = raw[off + 16 : off + 16 + incl]
        off += 16 + incl
        (protocol,) = struct.unpack_from(">H", rec, 14)
        out.append((protocol, rec[16:]))
    return out


def frame(name: str, number: int) -> tuple[int, bytes]:
    """Frame ``number`` (1-based, as tshark counts) of ``NAME.pcap``."""
    return records(name)[number - 1]


def message(name: str, number: int, index: int = 0) -> bytes:
    """The ``index``-th netlink message (0-based, nlmsg_len bytes) of frame ``number``."""
    _, data = frame(name, number)
    off = 0
    for _ in range(index):
        (ln,) = struct.unpack_from("=I", data, off)
        off += (ln + 3) & ~3
    (ln,) = struct.unpack_from("=I", data, off)
    return data[off : off + ln]


@cache
def tshark(name: str) -> list[dict[str, Any]]:
    """tshark's ``-T json --no-duplicate-keys`` output for ``NAME.pcap``: the recorded
    ``NAME.tshark.nodup.json`` beside the capture, else tshark run on it now (skips when
    there is neither)."""
    stem = name.removesuffix(".pcap")
    for fn in (f"{stem}.tshark.nodup.json", f"{stem}.tshark.nodup.json.gz"):
        p = capture_path(fn)
        if p is not None:
            opener = gzip.open if fn.endswith(".gz") else open
            with opener(p, "rt") as f:
                return json.load(f)  # type: ignore[no-any-return]
    pcap = capture_path(f"{stem}.pcap")
    if pcap is None or shutil.which("tshark") is None:
        pytest.skip(f"no tshark JSON for {name}, and no tshark to make it")
    out = subprocess.run(["tshark", "-r", str(pcap), "-T", "json", "--no-duplicate-keys"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]
