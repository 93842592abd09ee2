"""Record real kernel dumps for ``bench_decode.py``.

Builds a private network namespace with 1,000 veth pairs (2,001 links with
``lo``), one IPv4 /32 and one IPv6 /128 per link and 10,000 IPv4 /24 routes
(``ip -n NS -batch FILE``), dumps RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE
(all tables) through a raw netlink socket opened inside the namespace, saves
the datagrams exactly as received to ``data/dumps.bin`` and deletes the
namespace.  Needs root and iproute2.

    python3 tests/benchmarks/record_dumps.py            # records if missing
    python3 tests/benchmarks/record_dumps.py --force    # records again

File format (all little-endian): the magic ``NLWDUMP1``, then records of
``u8 name length, name, u32 datagram length, datagram``.
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "dumps.bin"
MAGIC = b"NLWDUMP1"
PAIRS = 1000
ROUTES = 10_000

# uapi numbers, written out so this script stands alone (include/uapi/linux/rtnetlink.h, netlink.h)
NETLINK_ROUTE = 0
RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE = 18, 22, 26
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11

DUMPS = {
    "links": (RTM_GETLINK, struct.pack("=BxHiII", 0, 0, 0, 0, 0)),  # struct ifinfomsg
    "addrs": (RTM_GETADDR, struct.pack("=BBBBI", 0, 0, 0, 0, 0)),  # struct ifaddrmsg
    "routes": (RTM_GETROUTE, struct.pack("=BBBBBBBBI", 0, 0, 0, 0, 0, 0, 0, 0, 0)),  # struct rtmsg
}


def load(path: Path = DATA) -> dict[str, list[bytes]]:
    """``{"links": [datagram, ...], "addrs": [...], "routes": [...]}``."""
    raw = path.read_bytes()
    if raw[:8] != MAGIC:
        raise ValueError(f"{path}: not a dump file")
    out: dict[str, list[bytes]] = {}
    off = 8
    while off < len(raw):
        n = raw[off]
        name = raw[off + 1 : off + 1 + n].decode()
        off += 1 + n
        (ln,) = struct.unpack_from("<I", raw, off)
        off += 4
        out.setdefault(name, []).append(raw[off : off + ln])
        off += ln
    return out


def _dump(sock: socket.socket, mtype: int, body: bytes, seq: int) -> list[bytes]:
    req = struct.pack("=IHHII", 16 + len(body), mtype, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + body
    sock.send(req)
    grams: list[bytes] = []
    while True:
        data = sock.recv(1 << 20)
        grams.append(data)
        off = 0
        while off + 16 <= len(data):
            ln, t = struct.unpack_from("=IH", data, off)
            if t == NLMSG_ERROR:
                (err,) = struct.unpack_from("=i", data, off + 16)
                raise OSError(-err, f"dump {mtype} failed")
            if t == NLMSG_DONE:
                return grams
            if ln < 16:
                break
            off += (ln + 3) & ~3


def inner(out: Path) -> None:
    """Run inside the namespace: dump and write the file."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind((0, 0))
    parts = [MAGIC]
    for seq, (name, (mtype, body)) in enumerate(DUMPS.items(), 1):
        for g in _dump(sock, mtype, body, seq):
            parts += [bytes([len(name)]), name.encode(), struct.pack("<I", len(g)), g]
    sock.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(b"".join(parts))
    tmp.rename(out)


def batch_lines() -> list[str]:
    lines = ["link set lo up"]
    for i in range(PAIRS):
        lines.append(f"link add va{i} type veth peer name vb{i}")
    for i in range(PAIRS):
        lines += [f"link set va{i} up", f"link set vb{i} up"]
    for i in range(PAIRS):
        for j, name in enumerate((f"va{i}", f"vb{i}")):
            n = 2 * i + j
            lines.append(f"addr add 10.{200 + n // 65536}.{(n // 256) % 256}.{n % 256}/32 dev {name}")
            lines.append(f"addr add 2001:db8:{n // 65536:x}:{n % 65536:x}::1/128 dev {name} nodad")
    for r in range(ROUTES):
        lines.append(f"route add 11.{r // 256}.{r % 256}.0/24 dev va{r % PAIRS}")
    return lines


def record(out: Path = DATA) -> None:
    ns = f"nlwbench{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".batch", delete=False) as f:
            f.write("\n".join(batch_lines()) + "\n")
            batch = f.name
        try:
            subprocess.run(["ip", "-n", ns, "-batch", batch], check=True)
        finally:
            os.unlink(batch)
        subprocess.run(["ip", "netns", "exec", ns, sys.executable, __file__, "--inner", str(out)], check=True)
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


def ensure(out: Path = DATA) -> Path:
    """Record the dumps unless the file exists."""
    if not out.exists():
        record(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="record again even if the file exists")
    ap.add_argument("--inner", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(Path(args.inner))
        return
    if args.force or not DATA.exists():
        record(DATA)
    dumps = load(DATA)
    for name, grams in dumps.items():
        print(f"{name}: {len(grams)} datagrams, {sum(map(len, grams))} bytes")


if __name__ == "__main__":
    main()
