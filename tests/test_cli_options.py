"""``nlwire`` option parsing and the progress bar, run as a user runs them: usage errors
(exit 2, the subcommand's usage, no traceback), ``--version``, and the progress bar on a
terminal (a pty) only while stdout goes elsewhere."""

from __future__ import annotations

import importlib.metadata
import os
import pty
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAP = ROOT / "captures"
ENV = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}


def nlwire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlwire", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=ENV
    )


def _max_links() -> int:
    """MAX_LINKS from the uapi header when it is installed (32 since Linux 2.6)."""
    header = Path("/usr/include/linux/netlink.h")
    if header.exists():
        m = re.search(r"#define\s+MAX_LINKS\s+(\d+)", header.read_text())
        assert m is not None
        return int(m.group(1))
    return 32


def test_version_is_the_package_metadata() -> None:
    r = nlwire("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"nlwire {importlib.metadata.version('nlwire')}\n"


@pytest.mark.parametrize(
    ("option", "named"),
    [("--frames=--", "bad frame range '--'"), ("--window=--", "'--'"), ("--family=--", "'--'")],
)
def test_option_value_dashdash_is_a_usage_error(option: str, named: str) -> None:
    """argparse (3.11) drops an option's value ``--``: it used to reach the dissector as ``[]``
    (an IndexError traceback for --frames)."""
    r = nlwire("dissect", option, str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("usage: nlwire dissect") and named in r.stderr


@pytest.mark.parametrize("command", ["dissect", "monitor"])
def test_bad_option_after_a_subcommand_prints_its_usage(command: str) -> None:
    r = nlwire(command, "--bogus", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"usage: nlwire {command} ")
    assert f"nlwire {command}: error: unrecognized arguments: --bogus" in r.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["dissect", "--window", "0"], "--window"),
        (["dissect", "--window", "-5"], "--window"),
        (["dissect", "--family", "99999"], "--family"),
        (["dissect", "--family", "-1"], "--family"),
        (["dissect", "--family", str(_max_links())], "--family"),
        (["monitor", "--timeout", "-1"], "--timeout"),
        (["monitor", "--timeout", "nan"], "--timeout"),
        (["monitor", "--family", str(_max_links())], "--family"),
    ],
)
def test_numeric_options_out_of_range_are_usage_errors(args: list[str], named: str) -> None:
    extra = [str(CAP / "genl-ctrl.pcap")] if args[0] == "dissect" else []
    r = nlwire(*args, *extra)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith(f"usage: nlwire {args[0]}") and f"argument {named}: " in r.stderr
    assert repr(args[2]) in r.stderr  # the bad value is named


def test_numeric_options_at_their_limits_are_accepted() -> None:
    """The highest netlink protocol number (MAX_LINKS - 1) and a window of 1 frame."""
    r = nlwire("dissect", "-s", "--family", str(_max_links() - 1), "--window", "1", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 0 and r.stdout == "", r.stderr  # no message of that family in the capture
    r = nlwire("dissect", "-s", "--family", "netlink_generic", "--window", "1", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 0 and r.stdout.count("\n") > 0, r.stderr


# ------------------------------------------------------------------------------ progress bar


def _big_capture(path: Path) -> int:
    """A capture over the 8 MiB the progress bar needs: monitor.pcap's records repeated.
    Returns its record count."""
    data = (CAP / "monitor.pcap").read_bytes()
    head, body = data[:24], data[24:]
    recs = []
    off = 0
    while off + 16 <= len(body):
        caplen = struct.unpack_from("<I", body, off + 8)[0]
        recs.append(body[off : off + 16 + caplen])
        off += 16 + caplen
    n = 0
    size = 24
    with path.open("wb") as f:
        f.write(head)
        while size <= (9 << 20):
            rec = recs[n % len(recs)]
            f.write(rec)
            size += len(rec)
            n += 1
    return n


def _run_on_pty(args: list[str], stdout_to_pty: bool, out: Path) -> str:
    """Run ``nlwire`` with stderr on a pty (and stdout too, or into ``out``); what the
    terminal received."""
    master, slave = pty.openpty()
    try:
        with out.open("wb") as f:
            proc = subprocess.Popen(
                [sys.executable, "-m", "nlwire", *args],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=slave if stdout_to_pty else f,
                stderr=slave,
                env=ENV,
            )
            os.close(slave)
            slave = -1
            got = bytearray()
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                got += chunk
            assert proc.wait(timeout=120) == 0, got.decode(errors="replace")
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    return got.decode()


def test_progress_bar_reaches_100_and_is_cleared_with_frames(tmp_path: Path) -> None:
    """stdout to a file, stderr a terminal: the bar is drawn; with --frames the reading
    stops early, yet the bar ends at 100% and is then wiped (it used to stop at 0%)."""
    cap = tmp_path / "big.pcap"
    _big_capture(cap)
    out = tmp_path / "out.txt"
    term = _run_on_pty(["dissect", "-s", "--frames", "1-5", str(cap)], False, out)
    assert "\r[" in term  # the bar was drawn
    draws = re.findall(r"\r\[[# ]{25}\] +(\d+)%", term)
    assert draws and draws[-1] == "100"
    assert term.endswith("\r" + " " * 40 + "\r")  # and wiped at the end
    lines = out.read_text().splitlines()
    assert {int(x.split()[0]) for x in lines} == {1, 2, 3, 4, 5}


def test_no_progress_bar_when_stdout_is_the_terminal(tmp_path: Path) -> None:
    """stdout and stderr the same terminal: no bar among the output lines."""
    cap = tmp_path / "big.pcap"
    _big_capture(cap)
    term = _run_on_pty(["dissect", "-s", "--frames", "1-5", str(cap)], True, tmp_path / "unused")
    assert "%" not in term and "\r[" not in term
    lines = [x for x in term.replace("\r\n", "\n").split("\n") if x]
    assert {int(x.split()[0]) for x in lines} == {1, 2, 3, 4, 5}
