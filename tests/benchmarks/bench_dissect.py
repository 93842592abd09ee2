"""Benchmark: ``nlwire dissect`` side by side with tshark, in one run (not a test).

Builds a capture of N packets (default 100,000) by repeating the real records of a bundled
capture (default ``captures/monitor.pcap``: requests, replies, ACK/ERRORs and notifications,
one message per record mostly), then times, for each output mode, nlwire and tshark writing
to /dev/null, with peak RSS from ``/usr/bin/time``; plus start-up on a 1-packet capture.

    python3 tests/benchmarks/bench_dissect.py [-n 100000] [--source captures/monitor.pcap]
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(source: Path, n: int, out: Path) -> None:
    data = source.read_bytes()
    header, body = data[:24], data[24:]
    recs = []
    off = 0
    while off + 16 <= len(body):
        caplen = struct.unpack_from("<I", body, off + 8)[0]
        recs.append(body[off : off + 16 + caplen])
        off += 16 + caplen
    with out.open("wb") as f:
        f.write(header)
        for i in range(n):
            f.write(recs[i % len(recs)])


def timed(cmd: list[str], runs: int = 1) -> tuple[float, float, int]:
    """Best wall time (s), CPU time (user + sys, s) of that run, and peak RSS (KiB) of
    ``runs`` runs, via /usr/bin/time. CPU time is the steadier figure on a loaded machine."""
    best = (float("inf"), 0.0)
    rss = 0
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r") as t:
            subprocess.run(
                ["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name, *cmd],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            wall, user, sys_, kb = t.read().split()[-4:]
        if float(wall) < best[0]:
            best = (float(wall), float(user) + float(sys_))
        rss = max(rss, int(kb))
    return best[0], best[1], rss


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--source", type=Path, default=ROOT / "captures" / "monitor.pcap")
    args = ap.parse_args()
    tshark = shutil.which("tshark")
    nl = [sys.executable, "-m", "nlwire", "dissect"]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.pcap"
        one = Path(tmp) / "one.pcap"
        build(args.source, args.n, big)
        build(args.source, 1, one)
        print(f"capture: {args.n} packets from {args.source.name}, {big.stat().st_size / 1e6:.1f} MB")
        rows = [
            ("text tree", [*nl, str(big)], ["-V", "-r", str(big)]),
            ("JSON", [*nl, "--json", str(big)], ["-T", "json", "-r", str(big)]),
            ("summary", [*nl, "--summary", str(big)], ["-r", str(big)]),
            ("start-up, 1 packet (best of 5)", [*nl, str(one)], ["-V", "-r", str(one)]),
        ]
        print(
            f"{'mode':<32} {'nlwire s':>9} {'cpu s':>7} {'RSS MB':>7} {'tshark s':>9} {'cpu s':>7} {'RSS MB':>7}"
            f" {'ratio':>7} {'cpu ratio':>9}"
        )
        for name, ours, theirs in rows:
            runs = 5 if "start-up" in name else 1
            t1, c1, r1 = timed(ours, runs)
            if tshark:
                t2, c2, r2 = timed([tshark, *theirs], runs)
                print(
                    f"{name:<32} {t1:9.3f} {c1:7.2f} {r1 / 1024:7.1f} {t2:9.3f} {c2:7.2f} {r2 / 1024:7.1f}"
                    f" {t2 / t1 if t1 else 0:6.2f}x {c2 / c1 if c1 else 0:8.2f}x"
                )
            else:
                print(f"{name:<32} {t1:9.3f} {c1:7.2f} {r1 / 1024:7.1f} {'-':>9} {'-':>7} {'-':>7}")
    print("ratio = tshark time / nlwire time (above 1: nlwire faster); cpu = user + sys seconds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
