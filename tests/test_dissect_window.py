"""The dissector's look-ahead window and its annotations, in every output mode: a late capture
error loses no earlier frame, one huge record costs no memory per message, duplicate
notifications are nlmon's back-to-back copies only, and filters choose what is printed, not
what is learned."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import nlcaptures
import pytest

from dissect.netlink import CaptureError, Dissector, Filter, read_records
from nlwire.consts import NETLINK
from nlwire.pcapwriter import PcapWriter

ROOT = Path(__file__).resolve().parent.parent
MODES = ("text", "summary", "json")


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nlwire", "dissect", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def frame_numbers(mode: str, out: str) -> list[int]:
    """The frame numbers ``nlwire dissect`` printed in ``mode``."""
    if mode == "json":
        return [json.loads(x)["frame"] for x in out.splitlines()]
    if mode == "summary":
        return sorted({int(x.split()[0]) for x in out.splitlines()})
    return [int(x.split()[1].rstrip(":")) for x in out.splitlines() if x.startswith("Frame ")]


def tshark_frames(path: Path) -> int | None:
    """How many frames tshark reads from ``path`` (None without tshark)."""
    if shutil.which("tshark") is None:
        return None
    r = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "frame.number"],
                       capture_output=True, timeout=300)
    return len(r.stdout.split())


# ------------------------------------------------------------------ item 3: a late error


def getlink(seq: int) -> bytes:
    """RTM_GETLINK request (ifinfomsg, no attributes) with sequence number ``seq``."""
    return struct.pack("=IHHII", 32, 18, 0x1, seq, 0) + bytes(16)


@pytest.fixture(scope="module")
def truncated_pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 good records, then a record whose header promises more bytes than the file has."""
    path = tmp_path_factory.mktemp("window") / "truncated.pcap"
    with PcapWriter(str(path), NETLINK.ROUTE) as w:
        for seq in range(1, 5001):
            w.write(getlink(seq), 1_700_000_000 + seq / 1000)
    with open(path, "ab") as f:
        f.write(struct.pack("<IIII", 1_700_000_006, 0, 48, 48) + bytes(20))
    return path


@pytest.mark.parametrize("mode", MODES)
def test_late_capture_error_prints_every_earlier_frame(truncated_pcap: Path, mode: str) -> None:
    flag = {"text": [], "summary": ["--summary"], "json": ["--json"]}[mode]
    r = run(*flag, str(truncated_pcap))
    assert r.returncode != 0 and b"last record truncated" in r.stderr, r.stderr
    expected = tshark_frames(truncated_pcap) or 5000
    assert expected == 5000
    assert frame_numbers(mode, r.stdout.decode()) == list(range(1, 5001))


def test_late_capture_error_frames_api(truncated_pcap: Path) -> None:
    seen = []
    with pytest.raises(CaptureError):
        for frame in Dissector().frames(read_records(str(truncated_pcap))):
            seen.append(frame["frame"])
    assert seen == list(range(1, 5001))
    for mode in MODES:
        got = []
        with pytest.raises(CaptureError):
            for text in Dissector().render(read_records(str(truncated_pcap)), mode):
                got.append(text)
        assert frame_numbers(mode, "".join(got)) == list(range(1, 5001)), mode


# ------------------------------------------------------------------ item 7: filters print, all frames teach


def by_frame(dis: Dissector, name: str, mode: str) -> dict[int, str]:
    """Each output frame's text (one chunk per frame), keyed by its frame number."""
    out = {}
    for chunk in dis.render(read_records(str(nlcaptures.require(name))), mode):
        (number,) = frame_numbers(mode, chunk)
        out[number] = chunk
    return out


@pytest.mark.parametrize("mode", MODES)
def test_frames_filter_decodes_as_the_full_run(mode: str) -> None:
    # ethtool-genl.pcap: frame 2 is the CTRL_CMD_NEWFAMILY reply naming family 20 "ethtool";
    # frames 4-5 are an ethtool request (cmd 4) and its EOPNOTSUPP error
    full = by_frame(Dissector(), "ethtool-genl.pcap", mode)
    assert "ethtool cmd 4" in full[4] and "ethtool cmd 4" in full[5]
    part = by_frame(Dissector(flt=Filter(frames=(4, 5))), "ethtool-genl.pcap", mode)
    assert part == {4: full[4], 5: full[5]}
    flag = {"text": [], "summary": ["--summary"], "json": ["--json"]}[mode]
    r = run(*flag, "--frames", "4-5", str(nlcaptures.require("ethtool-genl.pcap")))
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == full[4] + full[5]


def test_frames_filter_frames_api() -> None:
    records = list(read_records(str(nlcaptures.require("ethtool-genl.pcap"))))
    full = {f["frame"]: f for f in Dissector().frames(records)}
    part = list(Dissector(flt=Filter(frames=(4, 5))).frames(records))
    assert part == [full[4], full[5]]
    assert part[0]["messages"][0]["name"] == "ethtool cmd 4"


@pytest.mark.parametrize("mode", MODES)
def test_type_filter_decodes_as_the_full_run(mode: str) -> None:
    # the errors answering ethtool requests name them as the full run does, although the
    # nlctrl reply that names the family is filtered out
    full = by_frame(Dissector(), "ethtool-genl.pcap", mode)
    part = by_frame(Dissector(flt=Filter(types=["NLMSG_ERROR"], frames=(5, 9))), "ethtool-genl.pcap", mode)
    assert sorted(part) == [5, 7, 9]
    for number, text in part.items():
        assert text == full[number]
