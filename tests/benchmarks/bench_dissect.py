"""Benchmark: ``nlwire dissect`` side by side with tshark, in one run (not a test).

Builds a capture of N packets (default 100,000) by repeating the real records of a bundled
capture (default ``captures/monitor.pcap``: requests, replies, ACK/ERRORs and notifications,
one message per record mostly), then times, for each output mode, nlwire and tshark writing
to /dev/null, with peak RSS from ``/usr/bin/time``; plus start-up on a 1-packet capture.

Repeating one small capture repeats its message *layouts*, so nlwire's layout-compiled
renderers (``dissect/netlink/layouts.py``) hit on nearly every message after the first
pass. A second table therefore times a *varied* capture: the records of every capture in
``captures/`` and ``../shared/captures/`` concatenated (thousands of layouts, dump
datagrams of hundreds of messages, genl, errors with ext-ack), repeated to ``--varied-n``
packets (default 20,000: its output is ~20x larger per packet).

    python3 tests/benchmarks/bench_dissect.py [-n 100000] [--source captures/monitor.pcap] [--varied-n 20000]
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


def build(source: Path | list[Path], n: int, out: Path) -> None:
    """``n`` records of ``source`` (one capture, or several with one pcap header) repeated."""
    header = b""
    recs = []
    for path in [source] if isinstance(source, Path) else source:
        data = path.read_bytes()
        head, body = data[:24], data[24:]
        if header and head != header:
            continue  # another link type or byte order: not concatenated
        header = head
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


def table(nl: list[str], big: Path, one: Path | None) -> None:
    tshark = shutil.which("tshark")
    rows = [
        ("text tree", [*nl, str(big)], ["-V", "-r", str(big)]),
        ("JSON", [*nl, "--json", str(big)], ["-T", "json", "-r", str(big)]),
        ("summary", [*nl, "--summary", str(big)], ["-r", str(big)]),
    ]
    if one is not None:
        rows.append(("start-up, 1 packet (best of 5)", [*nl, str(one)], ["-V", "-r", str(one)]))
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--source", type=Path, default=ROOT / "captures" / "monitor.pcap")
    ap.add_argument("--varied-n", type=int, default=20_000, help="packets of the varied capture (0: skip)")
    args = ap.parse_args()
    nl = [sys.executable, "-m", "nlwire", "dissect"]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.pcap"
        one = Path(tmp) / "one.pcap"
        build(args.source, args.n, big)
        build(args.source, 1, one)
        print(f"capture: {args.n} packets from {args.source.name} repeated, {big.stat().st_size / 1e6:.1f} MB")
        table(nl, big, one)
        if args.varied_n:
            shared = ROOT.parent / "shared" / "captures"
            sources = sorted((ROOT / "captures").glob("*.pcap"))
            names = {p.name for p in sources}
            sources += sorted(p for p in shared.glob("*.pcap") if p.name not in names)
            varied = Path(tmp) / "varied.pcap"
            build(sources, args.varied_n, varied)
            print(
                f"\nvaried capture: {args.varied_n} packets, the records of {len(sources)} captures "
                f"(captures/ and ../shared/captures/) concatenated and repeated, {varied.stat().st_size / 1e6:.1f} MB"
            )
            table(nl, varied, None)
    print("ratio = tshark time / nlwire time (above 1: nlwire faster); cpu = user + sys seconds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
