"""SockDiag against ``ss``, live in a private namespace: TCP (listening and connected, v4 and
v6), UDP (v4 and v6) and unix sockets opened there by a helper process, listed by nlwire
and by ``ss`` run in the same namespace, compared field by field."""

from __future__ import annotations

import errno
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from netns_fixtures import netns  # noqa: F401

from nlwire.consts import AF, IPPROTO, NETLINK, SOCK, TCP_STATE, TCPF
from nlwire.errors import EncodeError, NetlinkError
from nlwire.sock_diag import SockDiag

pytestmark = pytest.mark.skipif(shutil.which("ss") is None, reason="ss (iproute2) not installed")

_OPENER = """
import socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 2222)); s.listen()
c = socket.create_connection(('127.0.0.1', 2222)); a = s.accept()
c.send(b'x' * 100)  # unread: 100 bytes in the accepted socket's receive queue
s6 = socket.socket(socket.AF_INET6); s6.bind(('::1', 2223)); s6.listen(7)
c6 = socket.create_connection(('::1', 2223)); a6 = s6.accept()
s2 = socket.socket(); s2.bind(('127.0.0.2', 2224)); s2.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 5353))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1', 5354)); u6.connect(('::1', 5353))
x = socket.socket(socket.AF_UNIX); x.bind('\\0nlwire-test'); x.listen()
xc = socket.socket(socket.AF_UNIX); xc.connect('\\0nlwire-test'); xa = x.accept()
xd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); xd.bind('\\0nlwire-dgram')
print('ready', flush=True)
sys.stdin.read()
"""
_SS_STATE = {"ESTAB": "ESTABLISHED", "UNCONN": "CLOSE", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
             "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT", "FIN-WAIT-1": "FIN_WAIT1",
             "FIN-WAIT-2": "FIN_WAIT2", "LAST-ACK": "LAST_ACK"}
_SS_UNIX = {"u_str": SOCK.STREAM, "u_dgr": SOCK.DGRAM, "u_seq": SOCK.SEQPACKET}


@pytest.fixture
def sockets(netns: str) -> Iterator[str]:  # noqa: F811
    """``netns`` with the helper's sockets open in it."""
    subprocess.run(["ip", "-n", netns, "link", "set", "lo", "up"], check=True)
    with subprocess.Popen(["ip", "netns", "exec", netns, sys.executable, "-c", _OPENER],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
            yield netns
        finally:
            proc.kill()


def ss(ns: str, *args: str) -> list[str]:
    return subprocess.run(["ip", "netns", "exec", ns, "ss", "-H", *args], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _endpoint(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host.strip("[]").replace("*", "0.0.0.0"), 0 if port == "*" else int(port)


def ss_inet(ns: str, *args: str) -> set[tuple[object, ...]]:
    """``ss -tuanHe`` lines as (protocol, state, local, port, remote, port, recv-q, send-q, inode, cookie)."""
    out = set()
    for line in ss(ns, "-tuane", *args):
        f = line.split()
        if f[1].isdigit():  # a "state X" filter: ss leaves the State column out
            f.insert(1, {"listening": "LISTEN", "established": "ESTAB"}[args[1]])
        ino = re.search(r"ino:(\d+)", line)
        sk = re.search(r"sk:([0-9a-f]+)", line)
        assert ino is not None and sk is not None, line
        out.add((f[0].upper(), _SS_STATE.get(f[1], f[1]), *_endpoint(f[4]), *_endpoint(f[5]), int(f[2]), int(f[3]),
                 int(ino.group(1)), int(sk.group(1), 16)))
    return out


def nlwire_inet(ns: str, **kw: object) -> set[tuple[object, ...]]:
    out = set()
    with SockDiag(netns=ns) as sd:
        for fam in (AF.INET, AF.INET6):
            for proto in (IPPROTO.TCP, IPPROTO.UDP):
                for s in sd.sockets(fam, proto, **kw):  # type: ignore[arg-type]
                    remote = str(s.remote) if fam == AF.INET or str(s.remote) != "::" else "::"
                    out.add((IPPROTO(s.protocol).name, s.state_name, str(s.local), s.local_port, remote,
                             s.remote_port, s.rqueue, s.wqueue, s.inode, s.cookie))
    return out


def test_inet_sockets_equal_ss(sockets: str) -> None:
    theirs = ss_inet(sockets)
    assert len(theirs) == 9  # 3 listeners, 4 connected TCP ends, 2 UDP sockets
    assert nlwire_inet(sockets) == theirs
    recvq = {t[8]: t[6] for t in theirs}
    assert 100 in recvq.values()  # the unread bytes, as both count them


def test_state_and_port_filters_run_in_the_kernel(sockets: str) -> None:
    """The states bitmask and the port bytecode go to the kernel: what comes back is what
    ``ss`` lists for the same filter (``ss state listening``, ``ss sport = :2222``)."""
    assert nlwire_inet(sockets, states=TCPF.LISTEN) == ss_inet(sockets, "state", "listening")
    assert nlwire_inet(sockets, sport=2222) == ss_inet(sockets, "sport", "=", ":2222")
    assert nlwire_inet(sockets, dport=2223) == ss_inet(sockets, "dport", "=", ":2223")
    with SockDiag(netns=sockets) as sd:
        assert [s.remote_port for s in sd.sockets(AF.INET, IPPROTO.TCP, sport=2222, dport=0)] == [0]


def test_address_filters_run_in_the_kernel(sockets: str) -> None:
    """Local and remote address filters, alone, as networks and with a port, go to the
    kernel as INET_DIAG_BC_S_COND / D_COND: the same sockets as ``ss`` lists for the same
    filter expression."""
    cases: list[tuple[dict[str, object], tuple[str, ...]]] = [
        ({"src": "127.0.0.2"}, ("src", "127.0.0.2")),
        ({"src": "127.0.0.0/8"}, ("src", "127.0.0.0/8")),
        ({"dst": "127.0.0.1"}, ("dst", "127.0.0.1")),
        ({"src": "::1"}, ("src", "[::1]")),
        ({"src": "127.0.0.1", "sport": 2222}, ("src", "127.0.0.1:2222")),
        ({"dst": "::1", "dport": 2223}, ("dst", "[::1]:2223")),
    ]
    for kw, expression in cases:
        theirs = ss_inet(sockets, *expression)
        assert theirs, f"ss lists nothing for {expression}: the case tests nothing"
        assert nlwire_inet(sockets, **kw) == theirs, kw
    assert len(ss_inet(sockets, "src", "127.0.0.2")) == 1  # the one listener bound there
    with SockDiag(netns=sockets) as sd, pytest.raises(EncodeError, match="not an address or network"):
        sd.sockets(AF.INET, IPPROTO.TCP, src="nowhere")


def test_tcp_info_when_asked(sockets: str) -> None:
    """tcp_info and the congestion algorithm of each TCP socket equal ``ss -ti``'s
    (``cubic``/``bbr``, ``mss:``, ``cwnd:``, ``rcv_space:``), for the sockets ss shows them for."""
    lines = ss(sockets, "-tin", "state", "established")
    theirs = {}
    for head, info in zip(lines[::2], lines[1::2], strict=True):
        local = _endpoint(head.split()[2])
        fields = dict(re.findall(r"(\w+):(\d+)", info))
        theirs[local] = (info.split()[0], int(fields["mss"]), int(fields["cwnd"]), int(fields["rcv_space"]))
    with SockDiag(netns=sockets) as sd:
        ours = {
            (str(s.local), s.local_port): (s.congestion, s.tcp_info.snd_mss, s.tcp_info.snd_cwnd, s.tcp_info.rcv_space)
            for fam in (AF.INET, AF.INET6)
            for s in sd.sockets(fam, IPPROTO.TCP, TCPF.ESTABLISHED, info=True)
        }
        assert all(s.tcp_info is None for s in sd.sockets(AF.INET, IPPROTO.TCP))  # not asked: not sent
    assert len(theirs) == 4 and ours == theirs


def test_unix_sockets_equal_ss(sockets: str) -> None:
    theirs = set()
    for line in ss(sockets, "-xa"):
        f = line.split()
        peer = None if f[7] in ("*", "0") else int(f[7])
        theirs.add((_SS_UNIX[f[0]], _SS_STATE.get(f[1], f[1]), int(f[2]), int(f[3]),
                    None if f[4] == "*" else f[4], int(f[5]), peer))
    with SockDiag(netns=sockets) as sd:
        ours = {(u.type, TCP_STATE(u.state).name, u.rqueue, u.wqueue, u.name, u.inode, u.peer)
                for u in sd.unix_sockets()}
    assert len(theirs) == 4 and ours == theirs


def test_netlink_sockets_equal_ss(sockets: str) -> None:
    """``ss -A netlink -an``'s (state, protocol:portid) of every netlink socket but the
    NETLINK_SOCK_DIAG ones (each tool lists its own socket there, and their queues move as
    the dump runs): the kernel's own sockets of each protocol, in the namespace."""
    theirs = set()
    for line in ss(sockets, "-A", "netlink", "-an"):
        f = line.split()
        proto, portid = (int(x) for x in f[3].split(":"))
        if proto != NETLINK.SOCK_DIAG:
            theirs.add((_SS_STATE.get(f[0], f[0]), proto, portid, int(f[1]), int(f[2])))
    with SockDiag(netns=sockets) as sd:
        ours = {(TCP_STATE(n.state).name, int(n.protocol), n.portid, n.rqueue, n.wqueue)
                for n in sd.netlink_sockets() if n.protocol != NETLINK.SOCK_DIAG}
        route = sd.netlink_sockets(NETLINK.ROUTE)
    assert len(theirs) >= 5 and ours == theirs
    assert {int(n.protocol) for n in route} == {int(NETLINK.ROUTE)}  # the protocol filter runs in the kernel


def test_destroy_closes_the_socket(sockets: str) -> None:
    """SOCK_DESTROY of the IPv6 client end: ss no longer lists it (its peer, reset, leaves
    ESTABLISHED too). Skipped where the kernel lacks CONFIG_INET_DIAG_DESTROY."""
    with SockDiag(netns=sockets) as sd:
        (client,) = sd.sockets(AF.INET6, IPPROTO.TCP, TCPF.ESTABLISHED, dport=2223)
        try:
            sd.destroy(client)
        except NetlinkError as exc:
            if exc.errno == errno.EOPNOTSUPP:
                pytest.skip("kernel without CONFIG_INET_DIAG_DESTROY")
            raise
    left = ss_inet(sockets, "state", "established")
    assert client.inode not in {t[8] for t in left}
    assert not any(t[3] == 2223 or t[5] == 2223 for t in left)
