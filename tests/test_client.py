"""nlwire.client.Socket: against the real kernel in a private namespace, and with a fake
peer (a socketpair) only for faults the kernel does not produce on demand (MSG_TRUNC
sizes, EINTR, a forged ACK from a foreign sender, ENOBUFS at a chosen moment)."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
from typing import Any

import pytest
from nlcaptures import pcap_records

from nlwire.client import Overrun, Socket, protocol_number
from nlwire.codec import decode, decode_message, encode
from nlwire.consts import AF, IFA, NETLINK, NETLINK_OPT, NLM_F, RTM, RTNLGRP
from nlwire.errors import DumpInterrupted, NetlinkTimeout
from nlwire.messages import Message
from nlwire.netns import NetnsFd
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import ADDR_ATTRS, IFADDRMSG, IFINFOMSG
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

SOL_NETLINK = 270
PORT = 29023
# recorded datagrams, see tests/test_session.py
ACK_SEQ1 = bytes.fromhex("2400000002000001010000005f7100000000000020000000100005000100000000000000")
NEWADDR_LO = bytes.fromhex(
    "4c00000014000200030000005f710000020880fe01000000080001007f000001080002007f000001070003006c6f00000800"
    "08008000000014000600ffffffffffffffff8cb402008cb40200"
)
DONE_SEQ3 = bytes.fromhex("1400000003000200030000005f71000000000000")
_HDR = struct.Struct("=IHHII")


def _with_seq(msg: bytes, seq: int, flags: int | None = None) -> bytes:
    ln, t, f, _s, p = _HDR.unpack_from(msg)
    return _HDR.pack(ln, t, f if flags is None else flags, seq, p) + msg[16:]


def _thread_netns() -> str:
    return os.readlink(f"/proc/self/task/{threading.get_native_id()}/ns/net")


# ------------------------------------------------------------------------------ fake peer


class FakePeer:
    """A netlink-like socket over a unix datagram socketpair: what the client reads is
    what the test ``feed``s; ``sender`` is the source port id reported by recvmsg."""

    def __init__(self) -> None:
        self.a, self.b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.b.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self.a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sent: list[bytes] = []
        self.sender = 0
        self.interrupts = 0
        self.enobufs = 0
        self.peeks = 0

    def setblocking(self, flag: bool) -> None:
        self.a.setblocking(flag)

    def getsockname(self) -> tuple[int, int]:
        return (PORT, 0)

    def setsockopt(self, *args: Any) -> None:
        pass

    def fileno(self) -> int:
        return self.a.fileno()

    def close(self) -> None:
        self.a.close()
        self.b.close()

    def sendto(self, data: bytes, addr: Any) -> int:
        self.sent.append(bytes(data))
        return len(data)

    def recvmsg_into(self, bufs: list[bytearray], ancsize: int, flags: int) -> tuple[int, list[Any], int, Any]:
        if self.interrupts:
            self.interrupts -= 1
            raise InterruptedError(errno.EINTR, "interrupted")
        if self.enobufs:
            self.enobufs -= 1
            raise OSError(errno.ENOBUFS, "No buffer space available")
        self.peeks += 1
        n, anc, fl, _ = self.a.recvmsg_into(bufs, ancsize, flags)
        return n, anc, fl, (self.sender, 0)

    def recv_into(self, buf: bytearray, n: int) -> int:
        return self.a.recv_into(buf, n)

    def feed(self, data: bytes) -> None:
        self.b.send(data)


@pytest.fixture
def fake() -> Any:
    peer = FakePeer()
    sock = Socket(NETLINK.ROUTE, _sock=peer, timeout=2.0)
    yield sock, peer
    sock.close()


def _dump_req() -> Message:
    return Message(RTM.GETADDR, header=IFADDRMSG.new(family=AF.INET))


def test_big_datagram_is_sized_with_msg_peek_trunc_and_never_truncated(fake: Any) -> None:
    sock, peer = fake
    sock.session._last_seq = 2  # the dump will be seq 3, as in the recorded datagrams
    big = NEWADDR_LO * 1200  # 91,200 bytes: more than the initial 64 KiB buffer
    peer.feed(big)
    peer.feed(DONE_SEQ3)
    got = list(sock.dump(_dump_req()))
    assert len(got) == 1200
    assert len(sock._buf) >= len(big)
    assert peer.peeks == 3  # first peek saw MSG_TRUNC's full length, second read it, third the DONE


def test_eintr_is_retried(fake: Any) -> None:
    sock, peer = fake
    peer.interrupts = 3
    peer.feed(ACK_SEQ1)
    assert sock.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1))).is_ack


def test_forged_ack_from_foreign_sender_is_dropped(fake: Any) -> None:
    sock, peer = fake
    peer.sender = 4242
    peer.feed(ACK_SEQ1)
    with pytest.raises(NetlinkTimeout):
        sock.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1)), timeout=0.3)
    assert sock.skipped == 1


def test_timeout_then_late_reply_is_stale(fake: Any) -> None:
    sock, peer = fake
    t0 = time.monotonic()
    with pytest.raises(NetlinkTimeout):
        sock.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1)), timeout=0.2)
    assert time.monotonic() - t0 >= 0.15  # it waited (about) the timeout; no upper bound: a loaded machine is slow
    peer.feed(ACK_SEQ1)  # the late ACK of seq 1
    peer.feed(_with_seq(ACK_SEQ1, 2))
    assert sock.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1))).seq == 2
    assert sock.skipped == 1


def test_enobufs_surfaces_as_overrun_in_events(fake: Any) -> None:
    sock, peer = fake
    peer.enobufs = 1
    peer.feed(_with_seq(NEWADDR_LO, 0, flags=0))
    got = list(sock.events(timeout=0.3))
    assert isinstance(got[0], Overrun)
    assert isinstance(got[1], Message) and got[1].type == RTM.NEWADDR
    assert sock.overruns == 1


def test_dump_interrupted_raised_after_last_message(fake: Any) -> None:
    sock, peer = fake
    sock.session._last_seq = 2
    peer.feed(NEWADDR_LO + _with_seq(NEWADDR_LO, 3, flags=NLM_F.MULTI | NLM_F.DUMP_INTR))
    peer.feed(DONE_SEQ3)
    got = []
    with pytest.raises(DumpInterrupted) as info:
        for m in sock.dump(_dump_req()):
            got.append(m)
    assert len(got) == 2 and info.value.messages == 2


def test_unclosed_socket_warns() -> None:
    peer = FakePeer()
    s = Socket(NETLINK.ROUTE, _sock=peer)
    with pytest.warns(ResourceWarning):
        s.__del__()
    assert s.closed


def test_protocol_names() -> None:
    assert protocol_number("route") == 0
    assert protocol_number("NETLINK_GENERIC") == 16
    assert protocol_number(NETLINK.SOCK_DIAG) == 4
    assert protocol_number("netfilter") == 12
    with pytest.raises(ValueError):
        protocol_number("nope")


# ------------------------------------------------------------------------------ real kernel

kernel = [needs_root, needs_ip]


@pytest.mark.parametrize("proto", ["route", NETLINK.GENERIC, 4, "NETLINK_NETFILTER", "xfrm", "audit"])
@needs_root
def test_open_any_protocol_bind_close(netns: str, proto: int | str) -> None:
    with Socket(proto, netns=netns) as s:
        assert s.port_id != 0
        assert isinstance(s.fileno(), int) and s.fileno() >= 0
        assert s.protocol == protocol_number(proto)
    assert s.closed
    s.close()  # idempotent


@needs_root
def test_default_options_are_on(netns: str) -> None:
    with Socket("route", netns=netns) as s:
        for opt in (NETLINK_OPT.EXT_ACK, NETLINK_OPT.CAP_ACK, NETLINK_OPT.GET_STRICT_CHK):
            assert s._sock.getsockopt(SOL_NETLINK, opt) == 1
        s.set_no_enobufs(True)
        assert s._sock.getsockopt(SOL_NETLINK, NETLINK_OPT.NO_ENOBUFS) == 1
        s.set_listen_all_nsid(True)
        assert s._sock.getsockopt(SOL_NETLINK, NETLINK_OPT.LISTEN_ALL_NSID) == 1
        assert s.set_rcvbuf(4 << 20) >= 4 << 20  # SO_RCVBUFFORCE as root, above rmem_max


@needs_root
@needs_ip
def test_namespace_targets_and_caller_thread_stays(netns: str) -> None:
    before = _thread_netns()
    ip(netns, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1")
    threads = threading.active_count()
    path = f"/run/netns/{netns}"
    fd = os.open(path, os.O_RDONLY)
    try:
        with open(path, "rb") as f:
            targets: list[Any] = [netns, path, NetnsFd(fd), f]
            for target in targets:
                with Rtnl(netns=target) as rt:
                    assert {link.name for link in rt.links()} == {"lo", "probe0", "probe1"}
    finally:
        os.close(fd)
    with Rtnl(netns=os.getpid()) as rt:  # a pid: this process's namespace
        assert "probe0" not in {link.name for link in rt.links()}
    assert _thread_netns() == before
    assert threading.active_count() == threads


@needs_root
def test_request_and_dump_against_kernel(netns: str) -> None:
    with Socket("route", netns=netns) as s:
        ack = s.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
        assert ack.is_ack and ack.seq == 1 and ack.pid == s.port_id
        reply = s.request(Message(RTM.GETLINK, header=IFINFOMSG.new(index=1)))
        assert reply.type == RTM.NEWLINK and reply.attrs is not None and reply.attrs.ifname == "lo"
        addrs = list(s.dump(_dump_req()))
        assert [(m.attrs.local, m.header.prefixlen) for m in addrs if m.attrs] == [
            (__import__("ipaddress").ip_address("127.0.0.1"), 8)
        ]


@needs_root
@needs_ip
def test_dump_streams_and_early_close_drains(netns: str) -> None:
    batch = "".join(f"link add s{i} type veth peer name t{i}\n" for i in range(150))
    subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True)
    with Socket("route", netns=netns) as s:
        gen = s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new()))
        first = next(gen)
        assert first.type == RTM.NEWLINK
        assert not s.session.idle  # the rest of the dump has not been read yet: it streams
        gen.close()  # abandon: the rest is drained so the kernel's dump ends
        assert s.session.idle
        assert len(list(s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new())))) == 301


@needs_root
@needs_ip
def test_dump_with_build_yields_objects_made_from_the_bytes(netns: str) -> None:
    batch = "".join(f"link add b{i} type veth peer name c{i}\n" for i in range(40))
    subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True)
    with Socket("route", netns=netns) as s:
        req = Message(RTM.GETLINK, header=IFINFOMSG.new())
        offsets: set[int] = set()

        def name(data: bytes, off: int) -> str | None:
            offsets.add(off)
            msg = decode_message(data, off)
            return None if msg.attrs is None or msg.attrs.ifname == "lo" else str(msg.attrs.ifname)

        names = list(s.dump(req, build=name))
        assert sorted(names) == sorted([f"b{i}" for i in range(40)] + [f"c{i}" for i in range(40)])
        assert len(offsets) > 1  # several messages per datagram, each at its own offset
        assert s.session.idle
        assert [m.attrs.ifname for m in s.dump(req)][1:] == names  # same order, same socket


@needs_root
def test_events_timeout_and_notifications(netns: str) -> None:
    with Socket("route", netns=netns) as s, Rtnl(netns=netns) as rt:
        s.subscribe("link", RTNLGRP.IPV4_IFADDR)
        assert s.groups == {int(RTNLGRP.LINK), int(RTNLGRP.IPV4_IFADDR)}
        t0 = time.monotonic()
        assert list(s.events(timeout=0.2)) == []
        assert time.monotonic() - t0 >= 0.19
        rt.add_veth("ev0", "ev1")
        rt.add_address("ev0", "10.3.0.1/24")
        got = [m for m in s.events(timeout=0.5) if isinstance(m, Message)]
        names = {m.attrs.ifname for m in got if m.type == RTM.NEWLINK and m.attrs is not None}
        assert {"ev0", "ev1"} <= names
        assert any(m.type == RTM.NEWADDR for m in got)
        s.unsubscribe("RTNLGRP_LINK")
        rt.delete_link("ev0")
        assert not [m for m in s.events(timeout=0.3) if isinstance(m, Message) and m.type == RTM.DELLINK]


@needs_root
def test_genl_group_by_name(netns: str) -> None:
    with Socket("generic", netns=netns) as s:
        assert s.group_number("nlctrl/notify") == 16
        with pytest.raises(ValueError):
            s.group_number("nlctrl/nope")


@needs_root
def test_notifications_during_a_request_are_kept_for_events(netns: str) -> None:
    with Socket("route", netns=netns) as s:
        s.subscribe("ipv4_ifaddr")
        header = IFADDRMSG.new(family=AF.INET, prefixlen=8, index=1)
        addr = __import__("ipaddress").ip_address("127.0.0.9")
        ack = s.request(Message(RTM.NEWADDR, NLM_F.CREATE | NLM_F.EXCL, header=header,
                                attrs=Attrs(ADDR_ATTRS, {IFA.LOCAL: addr, IFA.ADDRESS: addr})))
        assert ack.is_ack
        got = [m for m in s.events(timeout=0.3) if isinstance(m, Message)]
        # our own change is multicast back to us with our seq and port id: a notification, not a reply
        assert [(m.type, m.seq, m.pid) for m in got] == [(RTM.NEWADDR, 1, s.port_id)]


@needs_root
def test_foreign_sender_is_ignored(netns: str) -> None:
    with Socket("route", netns=netns) as s, Socket("route", netns=netns) as other:
        forged = _with_seq(NEWADDR_LO, 0, flags=0)
        other._sock.sendto(forged, (s.port_id, 0))
        assert list(s.events(timeout=0.3)) == []
        assert s.skipped == 1


@needs_root
def test_tiny_rcvbuf_and_burst_yield_overrun(netns: str) -> None:
    with Socket("route", netns=netns) as s, Rtnl(netns=netns) as rt:
        s.set_rcvbuf(1)  # the kernel rounds up to its minimum
        s.subscribe("link")
        for i in range(40):
            rt.add_veth(f"b{i}", f"c{i}")
        got = list(s.events(timeout=0.3))
        assert any(isinstance(e, Overrun) for e in got)
        assert s.overruns >= 1


@needs_root
def test_dump_during_concurrent_changes_can_be_interrupted(netns: str) -> None:
    # link dumps carry NLM_F_DUMP_INTR on 6.18 when links come and go (address and route dumps did not)
    batch = "".join(f"link add x{i} type veth peer name y{i}\n" for i in range(150))
    subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True)
    stop = threading.Event()

    def churn() -> None:
        with Rtnl(netns=netns) as w:
            while not stop.is_set():
                w.add_veth("z0", "z1")
                w.delete_link("z0")

    worker = threading.Thread(target=churn)
    worker.start()
    interrupted = None
    try:
        with Socket("route", netns=netns) as s:
            for _ in range(300):
                try:
                    n = sum(1 for _ in s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new())))
                    assert n >= 301
                except DumpInterrupted as exc:
                    interrupted = exc
                    break
    finally:
        stop.set()
        worker.join()
    if interrupted is None:
        pytest.skip("the kernel never interrupted a dump in 300 tries")
    assert interrupted.messages >= 301  # every message was delivered before the exception


@needs_root
@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark not installed")
def test_capture_opens_in_tshark_with_same_message_count(netns: str, tmp_path: Any) -> None:
    path = os.path.join(os.fspath(tmp_path), "tap.pcap")
    with Socket("route", netns=netns, capture=path) as s:
        s.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
        list(s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new())))
        with pytest.raises(Exception):  # noqa: B017  (an error reply is recorded too)
            header = IFADDRMSG.new(family=AF.INET6, prefixlen=64, index=1)
            bad = Attrs(ADDR_ATTRS, {IFA.LOCAL: b"\x01\x02"})
            s.request(Message(RTM.NEWADDR, NLM_F.CREATE, header=header, attrs=bad))
    with open(path, "rb") as f:
        data = f.read()
    datagrams = [datagram for _protocol, datagram in pcap_records(data, path)]
    records = len(datagrams)
    # tshark also reports the nlmsghdr echoed inside each NLMSG_ERROR
    ours = sum(1 + (m.echo is not None) for datagram in datagrams for m in decode(datagram))
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "netlink.hdr_len"],
                         capture_output=True, text=True, check=True).stdout
    lines = [ln for ln in out.splitlines()]
    assert len(lines) == records
    assert sum(len(ln.split(",")) for ln in lines if ln) == ours


def test_memory_io_capture() -> None:
    buf = io.BytesIO()
    peer = FakePeer()
    with Socket(NETLINK.ROUTE, _sock=peer, capture=buf) as s:
        peer.feed(ACK_SEQ1)
        s.request(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1)))
    assert buf.getvalue().count(ACK_SEQ1) == 1
    assert peer.sent[0] in buf.getvalue()


def test_ip_json_helper_is_importable() -> None:
    assert callable(ip_json)


def _mount_count() -> int:
    with open("/proc/self/mountinfo") as f:
        return sum(1 for _ in f)


@needs_root
def test_namespace_create_delete_leaves_mount_table_unchanged() -> None:
    # regression: a recursive bind of /run/netns on every create doubled the mounts under it
    from nlwire.netns import temporary_netns

    before = _mount_count()
    for _ in range(3):
        with temporary_netns("nlwire-test-") as name:
            assert os.path.exists(f"/run/netns/{name}")
            assert _mount_count() == before + 1
        assert not os.path.exists(f"/run/netns/{name}")
    assert _mount_count() == before


# ------------------------------------------------------------------------------ threads (issue 13, item 9)


def test_two_threads_get_their_own_replies_whichever_comes_first(fake: Any) -> None:
    """Two threads ask at once; the kernel's answers come back in the other order. Each
    thread gets the reply to its own request, whichever thread read it."""
    sock, peer = fake
    got: dict[int, Any] = {}

    def ask(index: int) -> None:
        try:
            got[index] = sock.request(Message(RTM.GETLINK, header=IFINFOMSG.new(index=index)))
        except Exception as exc:  # reported below
            got[index] = exc

    threads = [threading.Thread(target=ask, args=(index,)) for index in (1, 2)]
    for t in threads:
        t.start()
    for _ in range(500):  # both requests sent (each thread then waits up to the fake's 2 s)
        if len(peer.sent) == 2:
            break
        time.sleep(0.002)
    asked = {decode_message(data).header.index: decode_message(data).seq for data in peer.sent}
    for index in (2, 1):  # the second request is answered first: its reply, then its ACK
        seq = asked[index]
        peer.feed(encode(Message(RTM.NEWLINK, 0, seq, PORT, header=IFINFOMSG.new(index=index))))
        peer.feed(_with_seq(ACK_SEQ1, seq))
    for t in threads:
        t.join()
    assert {i: (m.type, m.header.index, m.seq) for i, m in got.items() if isinstance(m, Message)} == {
        i: (RTM.NEWLINK, i, asked[i]) for i in (1, 2)
    }, got
    assert sock.skipped == 0


# ------------------------------------------------------------------------------ netns= (issue 13, item 12)


@pytest.mark.parametrize("bad", [1.5, b"x", [], True, False])
def test_netns_of_another_type_is_a_type_error_naming_the_value(bad: Any) -> None:
    # a TypeError, not an assertion (gone under python -O); True and False are not pids
    with pytest.raises(TypeError, match=re.escape(f"netns={bad!r}")):
        Socket("route", netns=bad)


@needs_root
def test_netns_file_that_is_no_network_namespace_is_a_value_error_naming_it(tmp_path: Any) -> None:
    plain = tmp_path / "hostname"
    plain.write_text("box\n")
    with pytest.raises(ValueError, match=re.escape(f"{plain} is not a namespace file")):
        Socket("route", netns=plain)
    with pytest.raises(ValueError, match=re.escape("/proc/self/ns/mnt is a mount namespace, not a network")):
        Socket("route", netns="/proc/self/ns/mnt")
    with open("/proc/self/ns/uts") as f, pytest.raises(ValueError, match="/proc/self/ns/uts is a uts namespace"):
        Socket("route", netns=f)
    with pytest.raises(ValueError, match=re.escape("netns=0: a process id is a positive number")):
        Socket("route", netns=0)


@needs_root
@needs_ip
def test_a_link_moved_by_pid_is_checked_as_every_netns_is(netns: str) -> None:
    """``add_veth(peer_netns=...)`` and ``set_link(netns=...)`` take the same targets as
    ``Socket(netns=...)`` and check them the same way: True used to be sent as
    IFLA_NET_NS_PID 1 (the peer moved to pid 1's namespace, the host's), 0 as pid 0."""
    with Rtnl(netns=netns) as rt:
        rt.add_veth("pv0", "pv1")
        with pytest.raises(TypeError, match=re.escape("netns=True")):
            rt.add_veth("pv2", "pv3", peer_netns=True)
        with pytest.raises(ValueError, match=re.escape("netns=0: a process id is a positive number")):
            rt.set_link("pv0", netns=0)
        with pytest.raises(TypeError, match=re.escape("netns=1.5")):
            rt.set_link("pv0", netns=1.5)  # type: ignore[arg-type]
    # a real pid still moves the link: a process sleeping in a second private namespace
    from nlwire.netns import temporary_netns

    with temporary_netns("nlwire-test-") as other:
        sleeper = subprocess.Popen(["ip", "netns", "exec", other, "sleep", "30"])
        try:
            inode = os.stat(f"/run/netns/{other}").st_ino
            for _ in range(250):  # until ip has entered the namespace (never move a link to the host's)
                if os.stat(f"/proc/{sleeper.pid}/ns/net").st_ino == inode:
                    break
                time.sleep(0.02)
            else:
                pytest.fail("ip netns exec did not enter the namespace in 5 s")
            with Rtnl(netns=netns) as rt:
                rt.set_link("pv1", netns=sleeper.pid)
            assert [link["ifname"] for link in ip_json(other, "link", "show", "type", "veth")] == ["pv1"]
        finally:
            sleeper.kill()
            sleeper.wait()
    assert [link["ifname"] for link in ip_json(netns, "link", "show", "type", "veth")] == ["pv0"]


# ------------------------------------------------------------------------------ listen_all_nsid (issue 13, item 11)


@needs_root
@needs_ip
def test_listen_all_nsid_events_carry_the_peer_namespace_id_as_ip_monitor_prints_it(netns: str) -> None:
    """A link made in a peer namespace that has nsid 7 here (``ip netns set``) is notified
    with nsid 7, one made here with none: the same as ``ip monitor all-nsid`` prints."""
    import queue

    from nlwire.netns import temporary_netns

    line = re.compile(r"^\[nsid (\w+)\](?:Deleted )?\d+: ([^:@\s]+)")
    with temporary_netns("nlwire-test-") as peer:
        ip(netns, "netns", "set", peer, "7")
        monitor = subprocess.Popen(["ip", "-n", netns, "monitor", "link", "all-nsid"], stdout=subprocess.PIPE,
                                   text=True)
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(x) for x in monitor.stdout or ()], daemon=True)
        reader.start()
        printed: set[tuple[str, str]] = set()

        def await_link(name: str) -> bool:
            while True:
                try:
                    found = line.match(lines.get(timeout=2.0))
                except queue.Empty:
                    return False
                if found:
                    printed.add((found[1], found[2]))
                    if found[2] == name:
                        return True

        try:
            with Socket("route", netns=netns, listen_all_nsid=True) as s:
                s.subscribe("link")
                for n in range(10):  # until ip monitor is listening too
                    ready = f"h{n}"
                    ip(netns, "link", "add", ready, "type", "veth", "peer", "name", f"g{n}")
                    if await_link(ready):
                        break
                ip(peer, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
                ip(peer, "link", "add", "end0", "type", "veth", "peer", "name", "end1")
                assert await_link("end0")
                ours = set()
                for m in s.events(timeout=2.0):
                    if isinstance(m, Message) and m.type == RTM.NEWLINK and m.attrs is not None:
                        ours.add(("current" if m.nsid is None else str(m.nsid), str(m.attrs.ifname)))
                    if ("7", "end0") in ours:
                        break
        finally:
            monitor.terminate()
            monitor.wait()
            reader.join()
            if monitor.stdout is not None:
                monitor.stdout.close()
    assert {("7", "v0"), ("7", "v1"), ("7", "end0"), ("current", ready)} <= printed  # ip's view: the oracle
    wanted = {"v0", "v1", "end0", ready}  # made while both listened
    assert {x for x in ours if x[1] in wanted} == {x for x in printed if x[1] in wanted}
