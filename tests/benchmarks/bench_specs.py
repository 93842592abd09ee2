"""Spec-loaded families: what loading the kernel's YAML specs costs, and how their dumps
decode beside rtnetlink's link dump, per message, in a markdown table.

    python3 tests/benchmarks/bench_specs.py [--pairs N] [--repeat N]

Issue 14's targets: loading all installed specs <= 0.5 s; a spec-loaded family's dump
decodes through the same compiled paths as rtnetlink's, within 1.5x of the links decode
per message. Needs root (a private namespace with ``--pairs`` veth pairs is made and
removed) and the specs (Debian: linux-doc-6.12). Each dump is read once with a raw socket
in the namespace; every decoder then gets the same datagrams; times are the best of
``--repeat`` runs. bench_decode.py's hand loop (nlmsghdr, fixed header, top-level
attributes as bytes) is the floor each decode is held to.
"""

from __future__ import annotations

import argparse
import gc
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import record_dumps
from bench_decode import hand_loop

from nlwire.codec import decode, encode
from nlwire.consts import NETLINK, NLM_F
from nlwire.genl import SpecGenl
from nlwire.netns import temporary_netns, with_netns
from nlwire.wire.registry import GenlIds

GENL_DUMPS = [("netdev", "dev-get"), ("ethtool", "linkinfo-get"), ("ethtool", "linkmodes-get"),
              ("ethtool", "features-get")]
"""(family, operation) dumped from the namespace, each as a dump of every device."""


def _read_dump(proto: int, mtype: int, body: bytes) -> list[bytes]:
    """The datagrams of a dump of ``mtype`` with ``body`` on a fresh socket of ``proto``, in
    the caller's namespace (record_dumps' reader, the one bench_decode's dumps are read by)."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        sock.bind((0, 0))
        return record_dumps._dump(sock, mtype, body, 1)


def record(pairs: int) -> tuple[dict[str, tuple[int, int, list[bytes]]], GenlIds]:
    """Per dump: (protocol, fixed header size, datagrams), and the family ids they use."""
    out: dict[str, tuple[int, int, list[bytes]]] = {}
    ids = GenlIds()
    with temporary_netns("nlwire-bench-") as ns:
        batch = "".join(f"link add va{i} type veth peer name vb{i}\n" for i in range(pairs))
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True)
        for family, op in GENL_DUMPS:
            with SpecGenl(family, ns) as g:
                msg = g.message(op, {"header": {}} if family == "ethtool" else None, mode="dump",
                                flags=NLM_F.REQUEST | NLM_F.DUMP)
                fam = g.info
                ids.learn(fam.id, fam.name, g.genl_spec)
                grams = with_netns(ns, _read_dump, NETLINK.GENERIC, fam.id, encode(msg)[16:])
                out[f"{family} {op}"] = (NETLINK.GENERIC, 4, grams)
        mtype, body = record_dumps.DUMPS["links"]
        out["rtnetlink links"] = (NETLINK.ROUTE, 16, with_netns(ns, _read_dump, NETLINK.ROUTE, mtype, body))
    return out, ids


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        del result
    return min(times)


def load_time(repeat: int) -> tuple[float, int]:
    """Seconds to load every installed spec in a fresh process (best of ``repeat``), and
    how many there are."""
    code = ("import time; t = time.perf_counter(); from nlwire.wire.specs import load_spec, spec_names; "
            "names = spec_names(); [load_spec(n, register=False) for n in names]; "
            "print(time.perf_counter() - t, len(names))")
    runs = [subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
            for _ in range(repeat)]
    return min(float(r[0]) for r in runs), int(runs[0][1])


def main() -> None:
    ap = argparse.ArgumentParser(description="spec loading and spec-family decode benchmark")
    ap.add_argument("--pairs", type=int, default=300, help="veth pairs in the namespace (default 300)")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    seconds, count = load_time(3)
    print(f"Loading all {count} installed specs, fresh process: {seconds:.3f} s (target <= 0.5 s)\n")

    dumps, ids = record(args.pairs)
    per_message: dict[str, tuple[int, float, float, float]] = {}
    for name, (proto, fixed, grams) in dumps.items():
        sizes = {struct.unpack_from("=H", grams[0], 4)[0]: fixed}  # (the dump's one message type)
        messages = len(hand_loop(grams, sizes))
        for _ in range(3):  # learn and compile the layouts first, as a long dump would
            for g in grams:
                decode(g, proto, genl=ids, strict=True)
                decode(g, proto, genl=ids)
        hand = best(lambda: hand_loop(grams, sizes), args.repeat)  # noqa: B023
        strict = best(lambda: [m for g in grams for m in decode(g, proto, genl=ids, strict=True)],  # noqa: B023
                      args.repeat)
        lazy = best(lambda: [m for g in grams for m in decode(g, proto, genl=ids)], args.repeat)  # noqa: B023
        per_message[name] = (messages, hand / messages, strict / messages, lazy / messages)
    links = per_message["rtnetlink links"]
    print("| dump | messages | bytes/msg | hand loop us/msg | strict us/msg (x hand, x links) | "
          "lazy us/msg (x hand, x links) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (messages, hand, strict, lazy) in per_message.items():
        size = sum(len(g) for g in dumps[name][2]) / messages
        print(f"| {name} | {messages} | {size:.0f} | {hand * 1e6:.2f} | {strict * 1e6:.2f} ({strict / hand:.2f}, "
              f"{strict / links[2]:.2f}) | {lazy * 1e6:.2f} ({lazy / hand:.2f}, {lazy / links[3]:.2f}) |")


if __name__ == "__main__":
    main()
