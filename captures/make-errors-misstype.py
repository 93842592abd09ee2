"""Records captures/errors-misstype.pcap: requests that lack a required attribute, which this
kernel (6.18) answers with NLMSGERR_ATTR_MISS_TYPE (and MISS_NEST), each datagram written by
the socket that sent or received it (nlwire's ``capture=``), in a private network namespace.

Run as root from the repository: ``PYTHONPATH=. python captures/make-errors-misstype.py``
(needs the netdev and ethtool specs, and ``mergecap`` from Wireshark to merge the route and
generic sockets' files by time). See captures/README.md.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from nlwire.client import Socket
from nlwire.errors import NetlinkError
from nlwire.genl import SpecGenl
from nlwire.netns import temporary_netns

OUT = Path(__file__).resolve().parent / "errors-misstype.pcap"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, temporary_netns() as ns:
        route, genl = os.path.join(tmp, "route.pcap"), os.path.join(tmp, "genl.pcap")
        # rtnetlink: RTM_GETNEIGH (a get, not a dump) of AF_INET on lo without NDA_DST: MISS_TYPE 1
        # (neigh_valid_get_req); once with NETLINK_CAP_ACK (the echo is the header only), once without
        with Socket("route", ns, capture=route) as capped, Socket("route", ns, cap_ack=False, capture=route + "2") as full:
            for seq, sock in ((1, capped), (2, full)):
                body = struct.pack("=BBHiHBB", 2, 0, 0, 1, 0, 0, 0)  # struct ndmsg: AF_INET, ifindex 1
                sock.send_bytes(struct.pack("=IHHII", 16 + len(body), 30, 5, seq, 0) + body, time.monotonic() + 5)
                sock.recv_datagram(time.monotonic() + 5)
                time.sleep(0.01)
        # generic netlink: netdev dev-get without ifindex (MISS_TYPE NETDEV_A_DEV_IFINDEX), capped and
        # not; ethtool strset-get with a stringset nest without its id (MISS_TYPE in MISS_NEST)
        for i, cap in enumerate((True, False)):
            with SpecGenl("netdev", ns, capture=f"{genl}{i}", cap_ack=cap) as netdev, \
                    contextlib.suppress(NetlinkError):
                netdev.do("dev-get", {})
            time.sleep(0.01)
        with SpecGenl("ethtool", ns, capture=f"{genl}2", cap_ack=False) as ethtool, contextlib.suppress(NetlinkError):
            ethtool.do("strset-get", {"header": {"dev-name": "lo"}, "stringsets": {"stringset": [{}]}})
        parts = [route, route + "2", f"{genl}0", f"{genl}1", f"{genl}2"]
        subprocess.run(["mergecap", "-F", "pcap", "-w", str(OUT), *parts], check=True)


if __name__ == "__main__":
    main()
