"""Golden output of ``nlwire dissect`` on bundled captures.

How the golden files were reviewed (by eye, against independent sources, before committing):

* ``errors-extack-35-36.txt``: the failing ``ip addr add 10.44.0.6/20 dev dm1 label
  dm1:this-label-is-far-too-long`` (errors-extack.commands.txt). Checked against the shared
  README (packet 36: -ERANGE, MSG "Attribute failed policy validation", OFFS 32, POLICY TYPE=11
  MAX_LENGTH=15) and tshark's JSON (ifa_family 2, prefixlen 20, index 49). OFFS 32 = 16 (nlmsghdr)
  + 8 (ifaddrmsg) + 8 (IFA_LOCAL), so it is IFA_LABEL, as the tree marks.
* ``ip-addr-show-14-15.txt``: ``ip -4 addr show dev dm1``. The request is iproute2's 24-byte
  filtered dump in a 152-byte buffer (168-byte record = 16 + 24 + 128 zero bytes, reported as
  padding); the three replies match the setup commands (10.44.0.1/20, 10.44.0.9/20 secondary,
  203.0.113.77/25 brd 203.0.113.127 label dm1:pub) and dm1's index 24 in the transcript.
* ``monitor-1-12.summary.txt`` and ``netns-move.summary.txt``: seq/pid/flags compared with tshark's
  JSON for the same frames; the ENODEV answers to iproute2's seq-0 RTM_NEWLINK probe, the ACKs
  (NLM_F_CAPPED) and the EEXIST with "Peer netns already has a nsid assigned" / OFFS 20 are the ones
  the shared README lists. OFFS 20 of that EEXIST = 16 (nlmsghdr) + 4 (rtgenmsg, aligned): the
  first attribute, NETNSA_FD, as the summary says.

Regenerate with the command in ``CASES`` only after reviewing the diff.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "errors-extack-35-36.txt": ["--no-link", "captures/errors-extack.pcap", "--frames", "35-36"],
    "ip-addr-show-14-15.txt": ["--no-link", "captures/ip-addr-show.pcap", "--frames", "14-15"],
    "monitor-1-12.summary.txt": ["--summary", "captures/monitor.pcap", "--frames", "1-12"],
    "netns-move.summary.txt": ["--summary", "captures/netns-move.pcap"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nlwire", "dissect", *CASES[name]],
        cwd=ROOT,
        capture_output=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    ).stdout.decode()
    assert out == (ROOT / "tests" / "golden" / name).read_text()
