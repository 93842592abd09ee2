"""Traffic-control statistics (TCA_STATS2 with the gen_stats.h structs, and the legacy
TCA_STATS) against the kernel: a qdisc that has sent packets, in a private namespace,
read by nlwire and by ``tc -s -j qdisc show``; and a struct payload longer than its struct
(``gnet_stats_basic``'s tail padding) keeps its extra bytes."""

from __future__ import annotations

import io
import json
import shutil
import socket
import struct
import subprocess

import pytest
from nlcaptures import pcap_records

from nlwire.codec import decode, encode
from nlwire.consts import AF, IFA, RTM, TCA, TCA_STATS
from nlwire.messages import Message
from nlwire.netns import temporary_netns, with_netns
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import ADDR_ATTRS, TCMSG
from tests.netns_fixtures import ip, needs_ip, needs_root


def _send_udp(count: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _ in range(count):
            s.sendto(b"x" * 100, ("10.0.0.2", 9))


@needs_root
@needs_ip
@pytest.mark.skipif(shutil.which("tc") is None, reason="tc (iproute2) not installed")
def test_qdisc_statistics_equal_tc(netns: str) -> None:
    with temporary_netns("nlwire-test-") as peer:
        ip(netns, "link", "add", "p0", "type", "veth", "peer", "name", "p1", "netns", peer)
        # no IPv6 on p0: its router solicitations and MLD reports would go through the
        # qdisc at times of the kernel's choosing, between our dump and tc's
        with_netns(netns, _disable_ipv6, "p0")
        ip(netns, "addr", "add", "10.0.0.1/24", "dev", "p0")
        ip(peer, "addr", "add", "10.0.0.2/24", "dev", "p1")
        ip(netns, "link", "set", "p0", "up")
        ip(peer, "link", "set", "p1", "up")
        subprocess.run(["ip", "netns", "exec", netns, "tc", "qdisc", "add", "dev", "p0", "root", "tbf", "rate",
                        "1mbit", "burst", "32kbit", "latency", "400ms"], check=True)
        with_netns(netns, _send_udp, 5)
        for _ in range(5):  # the counters read by tc before and after ours must agree
            before = _tc(netns)
            tap = io.BytesIO()
            with Rtnl(netns=netns, capture=tap) as rt:
                index = rt.link("p0").index
                [qdisc] = [m for m in rt.socket.dump(Message(RTM.GETQDISC, header=TCMSG.new(family=AF.UNSPEC)))
                           if m.header is not None and m.header.ifindex == index]
            theirs = _tc(netns)
            if theirs == before:
                break
    assert qdisc.attrs is not None and qdisc.attrs[TCA.KIND] == theirs["kind"] == "tbf"
    stats = qdisc.attrs[TCA.STATS2]
    basic, queue = stats[TCA_STATS.BASIC], stats[TCA_STATS.QUEUE]
    assert theirs["packets"] >= 5  # the UDP datagrams (and ARP) went through it
    assert (basic.bytes, basic.packets) == (theirs["bytes"], theirs["packets"])
    assert (queue.qlen, queue.backlog, queue.drops, queue.requeues, queue.overlimits) == (
        theirs["qlen"], theirs["backlog"], theirs["drops"], theirs["requeues"], theirs["overlimits"])
    legacy = qdisc.attrs[TCA.STATS]
    assert (legacy.bytes, legacy.packets, legacy.drops) == (theirs["bytes"], theirs["packets"], theirs["drops"])
    # the message as the kernel sent it re-encodes to the same bytes, tail padding included
    raw = _received(tap.getvalue(), qdisc.offset, qdisc.len, RTM.NEWQDISC, index)
    assert encode(decode(raw, strict=True)[0]) == raw


def _disable_ipv6(dev: str) -> None:
    with open(f"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "w") as f:
        f.write("1")


def _tc(ns: str) -> dict[str, object]:
    out = subprocess.run(["ip", "netns", "exec", ns, "tc", "-s", "-j", "qdisc", "show", "dev", "p0"],
                         check=True, capture_output=True, text=True).stdout
    [qdisc] = json.loads(out)
    stats: dict[str, object] = qdisc
    return stats


def _received(pcap: bytes, offset: int, length: int, mtype: int, ifindex: int) -> bytes:
    """The ``mtype`` message about ``ifindex`` at ``offset`` of a datagram in a tap capture."""
    found = [
        datagram[offset : offset + length]
        for _protocol, datagram in pcap_records(pcap, "tap")
        if len(datagram) >= offset + length and struct.unpack_from("=H", datagram, offset + 4)[0] == mtype
        and struct.unpack_from("=i", datagram, offset + 20)[0] == ifindex
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("eager", [True, False])
def test_a_struct_longer_than_declared_keeps_its_extra_bytes(eager: bool) -> None:
    payload = struct.pack("=IIII", 1, 2, 3, 4) + b"\x01\x02\x03\x04"  # ifa_cacheinfo + 4 bytes from the future
    body = struct.pack("=HH", 4 + len(payload), IFA.CACHEINFO) + payload
    attrs = Attrs.from_bytes(ADDR_ATTRS, body, 0, len(body), eager=eager)
    value = attrs[IFA.CACHEINFO]
    assert value == (1, 2, 3, 4) and value.extra == b"\x01\x02\x03\x04"
    assert repr(value) == "IfaCacheinfo(prefered=1, valid=2, cstamp=3, tstamp=4)"
    assert attrs.encode() == body
    exact = struct.pack("=HH", 20, IFA.CACHEINFO) + payload[:16]
    plain = Attrs.from_bytes(ADDR_ATTRS, exact, 0, len(exact), eager=eager)[IFA.CACHEINFO]
    assert plain == value and not hasattr(plain, "extra")
