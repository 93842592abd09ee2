"""Dump and decode live, side by side: nlwire's client vs pyroute2 vs ``ip -j`` vs a raw socket.

    python3 tests/benchmarks/bench_client.py [--repeat N]

Builds a private network namespace with 1,000 veth pairs (2,001 links), 4,000
addresses and 10,000 IPv4 routes (the same ``ip -batch`` lines as
``record_dumps.py``), then, in one run:

* raw socket floor: dump the bytes, decode nothing;
* nlwire ``Rtnl.links()`` / ``Rtnl.routes(table=None)`` (typed results);
* pyroute2 ``IPRoute.get_links()`` / ``get_routes()`` (every table; ``table=0``
  would select nothing);
* ``ip -n NS -j link show`` / ``ip -n NS -j route show table all`` as whole processes;

and the memory kept by the route list (tracemalloc) and the peak while
streaming ``iter_routes``. Two diagnostic rows show where the routes' time goes:
the same 22,004 ``Route`` results made again from values already parsed (nlwire's
own constructors; no I/O, no parsing), and ``routes()`` with the cyclic GC paused
(which nlwire does not do). ``ip -j`` time less the raw socket floor less the
results alone is the budget left for framing, checks and parsing. Needs root, iproute2 and pyroute2. Times are the
best of ``--repeat`` runs. Targets (issue 4): nlwire no slower than ``ip -j``
as a process, >= 10x faster than pyroute2, <= 16 MB kept for the routes.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import record_dumps  # noqa: E402

from nlwire._objects import maker, network  # noqa: E402
from nlwire.netns import with_netns  # noqa: E402
from nlwire.rtnl import Route, Rtnl  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out * 1000


def raw_dump(mtype: int, body: bytes) -> int:
    """Bytes of a dump through a plain socket (runs inside the namespace)."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind((0, 0))
    try:
        return sum(len(g) for g in record_dumps._dump(sock, mtype, body, 1))
    finally:
        sock.close()


def ip_rounds(ns: str, ip: Rtnl, rounds: int) -> dict[str, list[float]]:
    """``ip -j`` time / nlwire time, per round, the two measured back to back: on a shared
    machine the load moves within a run, and a single pair of figures hides how much."""
    spread: dict[str, list[float]] = {"links": [], "routes": []}
    commands = {"links": ["link", "show"], "routes": ["route", "show", "table", "all"]}
    ours: dict[str, Callable[[], Any]] = {"links": ip.links, "routes": lambda: ip.routes(table=None)}
    for _ in range(rounds):
        for what, argv in commands.items():
            cmd = ["ip", "-n", ns, "-j", *argv]
            theirs = best(functools.partial(subprocess.run, cmd, stdout=subprocess.DEVNULL, check=True), 3)
            spread[what].append(theirs / best(ours[what], 3))
    return spread if rounds else {}


def results_alone(routes: list[Route], repeat: int) -> float:
    """ms to make ``routes`` again from values already parsed, with the constructors a
    dump's build uses (the twin maker, networks from their raw bytes): the part of a
    route dump no parser can avoid while the API promises a frozen ``Route`` holding
    ``ipaddress`` networks. Equality with the originals is checked."""
    make = maker(Route)
    names = [f.name for f in dataclasses.fields(Route)]
    rows = []
    for r in routes:
        values: dict[str, Any] = {n: getattr(r, n) for n in names}
        values["dst"] = (r.dst.network_address.packed, r.dst.prefixlen)
        values["src"] = None if r.src is None else (r.src.network_address.packed, r.src.prefixlen)
        rows.append(tuple(values[n] for n in names))

    def again() -> list[Route]:
        return [
            make(f, network(*d), t, p, sc, ty, oif, gw, ps, pr, fl, tos, None if s is None else network(*s), mp, nh, m)
            for f, d, t, p, sc, ty, oif, gw, ps, pr, fl, tos, s, mp, nh, m in rows
        ]

    if names != ["family", "dst", "table", "protocol", "scope", "type", "oif", "gateway", "prefsrc", "priority",
                 "flags", "tos", "src", "multipath", "nhid", "metrics"]:
        raise SystemExit(f"Route's fields changed ({names}): update results_alone()")
    if again() != routes:
        raise SystemExit("results_alone() does not make the same routes")
    return best(again, repeat)


def gc_paused(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def kept(fn: Callable[[], Any]) -> tuple[float, float]:
    """(MB kept by fn's result, MB peak while fn ran)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = fn()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return (current - base) / 1e6, (peak - base) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10,
                        help="interleaved nlwire / ip -j rounds for the ratio spread (0: none)")
    args = parser.parse_args()
    if importlib.util.find_spec("pyroute2") is None:
        print("pyroute2 is not installed (pip install pyroute2)", file=sys.stderr)
        return 2
    ns = f"nlwbenchc{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".batch") as batch:
            batch.write("\n".join(record_dumps.batch_lines()) + "\n")
            batch.flush()
            subprocess.run(["ip", "-n", ns, "-batch", batch.name], check=True)
        return run(ns, args.repeat, args.rounds)
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


def run(ns: str, repeat: int, rounds: int) -> int:
    links_req = record_dumps.DUMPS["links"]
    routes_req = record_dumps.DUMPS["routes"]
    rows: list[tuple[str, float, float]] = []
    # nlwire is measured before pyroute2 is imported, so that neither library's
    # collector walks the other's objects (pyroute2's import alone doubles the number of
    # objects the cyclic GC tracks, which costs nlwire ~20 ms on the routes).
    with Rtnl(netns=ns) as ip:
        n_links = len(ip.links())
        # Right after the batch the kernel is still adding IPv6 routes (link-local,
        # multicast) and an IPv6 FIB dump taken while the tree changes can repeat routes
        # (no NLM_F_DUMP_INTR): wait until two dumps agree.
        n_routes, previous = len(ip.routes(table=None)), -1
        while n_routes != previous:
            time.sleep(0.5)
            previous, n_routes = n_routes, len(ip.routes(table=None))
        rows.append((
            "raw socket, bytes only (floor)",
            best(lambda: with_netns(ns, raw_dump, *links_req), repeat),
            best(lambda: with_netns(ns, raw_dump, *routes_req), repeat),
        ))
        rows.append(("nlwire Rtnl.links() / routes(table=None)",
                     best(ip.links, repeat), best(lambda: ip.routes(table=None), repeat)))
        diagnostics = (
            results_alone(ip.routes(table=None), repeat),
            best(gc_paused(lambda: ip.routes(table=None)), repeat),
        )
        spread = ip_rounds(ns, ip, rounds)
        mem_nl, peak_nl = kept(lambda: ip.routes(table=None))
        _, stream_peak = kept(lambda: sum(1 for _ in ip.iter_routes(table=None)))
        _, stream_peak_links = kept(lambda: sum(1 for _ in ip.iter_links()))
    from pyroute2 import IPRoute

    with IPRoute(netns=ns) as pr:
        n_pr = len(list(pr.get_routes()))
        if n_pr != n_routes:  # compare the same work: every table, every family
            print(f"warning: pyroute2 lists {n_pr} routes, nlwire {n_routes}", file=sys.stderr)
        rows.append(("pyroute2 get_links() / get_routes()",
                     best(lambda: list(pr.get_links()), repeat),
                     best(lambda: list(pr.get_routes()), repeat)))
        mem_pr, peak_pr = kept(lambda: list(pr.get_routes()))
    rows.append((
        "ip -j link show / route show table all (process)",
        best(lambda: subprocess.run(["ip", "-n", ns, "-j", "link", "show"], stdout=subprocess.DEVNULL,
                                    check=True), repeat),
        best(lambda: subprocess.run(["ip", "-n", ns, "-j", "route", "show", "table", "all"],
                                    stdout=subprocess.DEVNULL, check=True), repeat),
    ))

    print(f"namespace: {n_links} links, {n_routes} routes (all tables); best of {repeat}\n")
    print("| dump + decode | links (ms) | routes (ms) |")
    print("|---|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {a:.1f} | {b:.1f} |")
    nl = rows[1]
    for label, row in (("pyroute2", rows[2]), ("ip -j", rows[3])):
        print(f"\n{label} / nlwire: links {row[1] / nl[1]:.1f}x, routes {row[2] / nl[2]:.1f}x", end="")
    alone, paused = diagnostics
    budget = rows[3][2] - rows[0][2] - alone
    print(f"\n\nwhere the routes' time goes (diagnostics, ms):"
          f"\n  the {n_routes} Route results alone, made from parsed values: {alone:.1f}"
          f"\n  nlwire routes() with the cyclic GC paused (nlwire does not do this): {paused:.1f}"
          f"\n  ip -j - raw socket floor - results alone: {budget:.1f}"
          f" ({budget / n_routes * 1e6:.0f} ns a route left for framing, checks and parsing)", end="")
    if spread:
        print(f"\n\nip -j / nlwire over {rounds} interleaved rounds (best of 3 each; min / median / max):", end="")
        for what, ratios in spread.items():
            print(f"\n  {what}: {min(ratios):.2f}x / {statistics.median(ratios):.2f}x / {max(ratios):.2f}x", end="")
    print("\n\n| memory | kept (MB) | peak (MB) |")
    print("|---|---:|---:|")
    print(f"| nlwire routes() list | {mem_nl:.1f} | {peak_nl:.1f} |")
    print(f"| pyroute2 get_routes() list | {mem_pr:.1f} | {peak_pr:.1f} |")
    print(f"| nlwire iter_routes(), streamed | 0 | {stream_peak:.1f} |")
    print(f"| nlwire iter_links(), streamed | 0 | {stream_peak_links:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
