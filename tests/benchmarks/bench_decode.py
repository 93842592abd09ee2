"""Decode real kernel dumps several ways, side by side, and print a markdown table.

    python3 tests/benchmarks/bench_decode.py [--repeat N]

The dumps (1,000 veth pairs = 2,001 links, an IPv4 /32 and an IPv6 /128 per
link, 10,000 IPv4 /24 routes) are recorded once by ``record_dumps.py`` into
``tests/benchmarks/data/dumps.bin`` (re-recorded when missing; needs root).
Every decoder gets the same list of datagrams; times are the best of
``--repeat`` runs. Ratios are against the hand-written ``struct`` loop.
Targets (issue 3): nlwire full decode <= 2x the hand loop, and >= 15x faster
than pyroute2 on the link dump.
"""

from __future__ import annotations

import argparse
import gc
import struct
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import record_dumps  # noqa: E402

from nlwire.codec import decode  # noqa: E402

_HDR = struct.Struct("=IHHII")
_NLA = struct.Struct("=HH")
# fixed header sizes by rtnetlink message type (ifinfomsg 16, ifaddrmsg 8, rtmsg 12)
_FIXED = {16: 16, 17: 16, 20: 8, 21: 8, 24: 12, 25: 12}


# ------------------------------------------------------------------------- decoders


def walk_headers(grams: list[bytes]) -> int:
    """nlmsghdr only: the Python floor."""
    n = 0
    unpack = _HDR.unpack_from
    for g in grams:
        off, end = 0, len(g)
        while end - off >= 16:
            ln = unpack(g, off)[0]
            if ln < 16:
                break
            n += 1
            off += (ln + 3) & ~3
    return n


def hand_loop(grams: list[bytes]) -> list[tuple[tuple[int, ...], dict[int, bytes]]]:
    """A hand-written struct loop: header tuple + {type: raw bytes} of every top-level attribute."""
    out = []
    hdr_unpack = _HDR.unpack_from
    nla_unpack = _NLA.unpack_from
    fixed = _FIXED
    for g in grams:
        off, end = 0, len(g)
        while end - off >= 16:
            hdr = hdr_unpack(g, off)
            ln = hdr[0]
            if ln < 16:
                break
            mend = off + ln
            a = off + 16 + fixed.get(hdr[1], 0)
            attrs: dict[int, bytes] = {}
            while mend - a >= 4:
                alen, atype = nla_unpack(g, a)
                if alen < 4:
                    break
                attrs[atype & 0x3FFF] = g[a + 4 : a + alen]
                a += (alen + 3) & ~3
            out.append((hdr, attrs))
            off += (ln + 3) & ~3
    return out


def nlwire_lazy(grams: list[bytes]) -> list[Any]:
    """nlwire framing + fixed headers; attribute values decode on access."""
    out: list[Any] = []
    for g in grams:
        out += decode(g)
    return out


def nlwire_full(grams: list[bytes]) -> list[Any]:
    """nlwire with strict=True: every attribute value (nested included) decoded."""
    out: list[Any] = []
    for g in grams:
        out += decode(g, strict=True)
    return out


def _pyroute2() -> tuple[Callable[[list[bytes]], list[Any]], Callable[[list[bytes]], list[Any]]] | None:
    try:
        from pyroute2.netlink.rtnl.marshal import MarshalRtnl
    except ImportError:
        return None

    def parse(grams: list[bytes]) -> list[Any]:
        m = MarshalRtnl()
        out: list[Any] = []
        for g in grams:
            out += m.parse(g)
        return out

    def parse_dump(grams: list[bytes]) -> list[Any]:
        return [msg.dump() for msg in parse(grams)]

    return parse, parse_dump


def _construct() -> Callable[[list[bytes]], list[Any]] | None:
    try:
        import construct as cs
    except ImportError:
        return None
    nlattr = cs.Struct(
        "len" / cs.Int16un,
        "type" / cs.Int16un,
        "value" / cs.Bytes(cs.this.len - 4),
        cs.Padding(-cs.this.len % 4),
    )
    message = cs.Struct(
        "len" / cs.Int32un,
        "type" / cs.Int16un,
        "flags" / cs.Int16un,
        "seq" / cs.Int32un,
        "pid" / cs.Int32un,
        "body" / cs.Bytes(cs.this.len - 16),
        cs.Padding(-cs.this.len % 4),
    )
    attrs = cs.GreedyRange(nlattr)

    def parse(grams: list[bytes]) -> list[Any]:
        out = []
        for g in grams:
            for m in cs.GreedyRange(message).parse(g):
                skip = _FIXED.get(m.type, 0)
                out.append((m, {a.type & 0x3FFF: a.value for a in attrs.parse(m.body[skip:])}))
        return out

    return parse


# ------------------------------------------------------------------------- measuring


def best(fn: Callable[[list[bytes]], Any], grams: list[bytes], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn(grams)
        times.append(time.perf_counter() - t)
    return min(times)


def kept(fn: Callable[[list[bytes]], Any], grams: list[bytes]) -> int:
    """Bytes still allocated while the decoded result is held (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = fn(grams)
    gc.collect()
    size = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del result
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description="decode benchmark")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--slow-repeat", type=int, default=2, help="repeats for pyroute2 and construct")
    args = ap.parse_args()
    dumps = record_dumps.load(record_dumps.ensure())
    names = ["links", "addrs", "routes"]

    rows: list[tuple[str, Callable[[list[bytes]], Any], int]] = [
        ("walk nlmsghdr only", walk_headers, args.repeat),
        ("hand `struct` loop, every attribute to raw bytes in a dict", hand_loop, args.repeat),
        ("nlwire `decode()` (lazy: framing + headers)", nlwire_lazy, args.repeat),
        ("nlwire `decode(strict=True)` (every value materialized)", nlwire_full, args.repeat),
    ]
    p2 = _pyroute2()
    if p2 is not None:
        rows += [
            ("pyroute2 `MarshalRtnl().parse()`", p2[0], args.slow_repeat),
            ("pyroute2 parse + `.dump()` of every message", p2[1], args.slow_repeat),
        ]
    con = _construct()
    if con is not None:
        rows.append(("plain construct (GreedyRange, raw attribute bytes)", con, args.slow_repeat))

    print("| dump | messages | bytes | datagrams |\n|---|---:|---:|---:|")
    for n in names:
        print(f"| {n} | {walk_headers(dumps[n]):,} | {sum(map(len, dumps[n])):,} | {len(dumps[n])} |")
    print()

    results: dict[str, dict[str, float]] = {}
    for label, fn, rep in rows:
        results[label] = {n: best(fn, dumps[n], rep) for n in names}
        print(f"  measured: {label}", file=sys.stderr)
    hand = results[rows[1][0]]
    print("| decoder | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for label, _, _ in rows:
        cells = [f"{results[label][n] * 1e3:.1f} ms ({results[label][n] / hand[n]:.2f}x)" for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    full = results[rows[3][0]]["links"]
    print(f"nlwire full decode vs hand loop, links: {full / hand['links']:.2f}x (target ≤ 2x)")
    if p2 is not None:
        p2t = results["pyroute2 `MarshalRtnl().parse()`"]["links"]
        p2d = results["pyroute2 parse + `.dump()` of every message"]["links"]
        print(f"pyroute2 parse / nlwire full decode, links: {p2t / full:.1f}x (target ≥ 15x); "
              f"with .dump(): {p2d / full:.1f}x")
    print()

    routes = dumps["routes"]
    n_routes = walk_headers(routes)
    mem_rows: list[tuple[str, Callable[[list[bytes]], Any]]] = [
        ("raw datagrams (for scale)", lambda g: [bytes(memoryview(x)) for x in g]),
        ("hand `struct` loop dicts", hand_loop),
        ("nlwire lazy", nlwire_lazy),
        ("nlwire strict (materialized)", nlwire_full),
    ]
    if p2 is not None:
        mem_rows.append(("pyroute2 parse", p2[0]))
    print(f"| memory kept after the route dump ({n_routes:,} messages) | MB | bytes/message |\n|---|---:|---:|")
    for label, fn in mem_rows:
        size = kept(fn, routes)
        print(f"| {label} | {size / 1e6:.1f} | {size / n_routes:,.0f} |")


if __name__ == "__main__":
    main()
