"""sock_diag without a socket: the SOCK_DIAG_BY_FAMILY / SOCK_DESTROY requests
:class:`~nlwire.sock_diag.SockDiag` sends, and the recipes that make its results
(:class:`Sock`, :class:`UnixSock`) from the replies.

Nothing here does I/O (``tests/test_layers.py`` checks it), as in :mod:`nlwire.rtnl_jobs`.
A reply does not say its protocol (``inet_diag_msg`` has no such field: the request chose
it), so :func:`sock_recipe` makes one recipe per protocol, the protocol a constant of it.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from typing import Any

from nlwire.consts import (
    AF,
    INET_DIAG,
    INET_DIAG_BC,
    INET_DIAG_REQ,
    IPPROTO,
    NDIAG_PROTO_ALL,
    NDIAG_SHOW,
    NETLINK,
    NETLINK_DIAG,
    NLM_F,
    SK_MEMINFO,
    SOCK,
    SOCK_DIAG,
    TCP_STATE,
    TCPF_ALL,
    UDIAG_SHOW,
    UNIX_DIAG,
)
from nlwire.errors import EncodeError
from nlwire.messages import Message
from nlwire.recipe import Recipe, attr, call, header
from nlwire.wire.attrs import Attrs
from nlwire.wire.registry import MessageSchema, lookup
from nlwire.wire.sock_diag import (
    INET_DIAG_ATTRS,
    INET_DIAG_MSG,
    NETLINK_DIAG_ATTRS,
    NETLINK_DIAG_MSG,
    UNIX_DIAG_ATTRS,
    UNIX_DIAG_MSG,
    address,
)

__all__ = [
    "NETLINK_SOCK", "UNIX_SOCK", "NetlinkSock", "Sock", "UnixSock", "bytecode", "destroy_inet", "dump_inet",
    "dump_netlink", "dump_unix", "sock_recipe",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class Sock:
    """One AF_INET/AF_INET6 socket, as ``ss -tuwane`` lists it (inet_diag_msg)."""

    family: int
    """AF.INET or AF.INET6."""
    protocol: int
    """IPPROTO.TCP, .UDP, .RAW...: the one the request asked for."""
    state: int
    """A TCP_STATE (LISTEN, ESTABLISHED, CLOSE for an unconnected UDP socket...)."""
    local: IPAddress
    local_port: int
    remote: IPAddress
    remote_port: int
    ifindex: int
    """The interface the socket is bound to (0: none)."""
    uid: int
    inode: int
    rqueue: int
    """Bytes waiting to be read (a listener: connections waiting to be accepted)."""
    wqueue: int
    """Bytes not yet acknowledged (a listener: its backlog)."""
    cookie: int
    """The kernel's socket cookie (``ss -e``'s ``sk:``, in hex there)."""
    timer: int
    """INET_DIAG_TIMER: OFF, ON (retransmit), KEEPALIVE, TIMEWAIT, PERSIST."""
    expires: int
    """Milliseconds until the timer fires."""
    retrans: int
    tcp_info: Any = None
    """The ``tcp_info`` record (INET_DIAG_INFO) when asked for: TCP sockets only."""
    congestion: str | None = None
    """The congestion control algorithm (INET_DIAG_CONG), sent with ``tcp_info``."""

    @property
    def state_name(self) -> str:
        """``ESTABLISHED``, ``LISTEN``... (the number for a state nlwire has no name for)."""
        try:
            return TCP_STATE(self.state).name
        except ValueError:
            return str(self.state)


@dataclass(frozen=True, slots=True)
class UnixSock:
    """One AF_UNIX socket, as ``ss -xa`` lists it (unix_diag_msg)."""

    type: int
    """SOCK.STREAM, SOCK.DGRAM or SOCK.SEQPACKET."""
    state: int
    """A TCP_STATE: LISTEN, ESTABLISHED, CLOSE..."""
    inode: int
    name: str | None
    """The bound path (``@...`` for an abstract name, as ``ss`` writes it); None unbound."""
    peer: int | None
    """The inode of the connected peer."""
    rqueue: int | None
    wqueue: int | None
    uid: int | None
    cookie: int


def _named(enum_cls: type[IntEnum]) -> Callable[[int], int]:
    """``enum_cls(value)``, or the plain value where the enum has no member for it."""

    def name(value: int) -> int:
        return enum_cls(value) if value in enum_cls._value2member_map_ else value

    return name


_TCP_STATE, _AF, _SOCK, _NETLINK = _named(TCP_STATE), _named(AF), _named(SOCK), _named(NETLINK)


@dataclass(frozen=True, slots=True)
class NetlinkSock:
    """One AF_NETLINK socket, as ``ss -A netlink -a`` lists it (netlink_diag_msg)."""

    protocol: int
    """NETLINK.ROUTE, .GENERIC, .SOCK_DIAG... (the socket's netlink family)."""
    portid: int
    """Its port id (0: the kernel's socket)."""
    dst_portid: int
    dst_group: int
    state: int
    """As a socket state: TCP_STATE.CLOSE unconnected (``ss``'s UNCONN), ESTABLISHED connected."""
    inode: int
    cookie: int
    rqueue: int | None
    """Receive memory in use (SK_MEMINFO_RMEM_ALLOC: ``ss``'s Recv-Q)."""
    wqueue: int | None
    """Send memory in use (SK_MEMINFO_WMEM_ALLOC: ``ss``'s Send-Q)."""
    flags: int | None
    """NDIAG_FLAG bits (CB_RUNNING: a dump in progress, PKTINFO, NO_ENOBUFS, CAP_ACK...)."""


def _address(family: int, raw: bytes) -> IPAddress:
    addr = address(family, raw)
    assert addr is not None  # (a reply to an AF_INET/AF_INET6 request)
    return addr


def _unix_name(raw: bytes) -> str:
    """sun_path as ``ss`` prints it: an abstract name's leading NUL as ``@``, the trailing NUL
    of a path bound with it counted dropped."""
    if raw[:1] == b"\0":
        return "@" + raw[1:].decode("utf-8", "surrogateescape")
    return raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


@cache
def sock_recipe(protocol: int) -> Recipe[Sock]:
    """The recipe of a :class:`Sock` replied to a request for ``protocol`` sockets."""
    return Recipe(Sock, INET_DIAG_MSG[AF.INET], INET_DIAG_ATTRS, {
        "family": call(_AF, header("family")),
        "protocol": _named(IPPROTO)(protocol),
        "state": call(_TCP_STATE, header("state")),
        "local": call(_address, header("family"), header("src")),
        "local_port": header("sport"),
        "remote": call(_address, header("family"), header("dst")),
        "remote_port": header("dport"),
        "ifindex": header("if"),
        "uid": header("uid"),
        "inode": header("inode"),
        "rqueue": header("rqueue"),
        "wqueue": header("wqueue"),
        "cookie": header("cookie"),
        "timer": header("timer"),
        "expires": header("expires"),
        "retrans": header("retrans"),
        "tcp_info": attr(INET_DIAG.INFO),
        "congestion": attr(INET_DIAG.CONG),
    })


def _rqueue(rqlen: Any) -> int:
    return int(rqlen.rqueue)


def _wqueue(rqlen: Any) -> int:
    return int(rqlen.wqueue)


def _rmem(meminfo: tuple[int, ...]) -> int:
    return meminfo[SK_MEMINFO.RMEM_ALLOC]


def _wmem(meminfo: tuple[int, ...]) -> int:
    return meminfo[SK_MEMINFO.WMEM_ALLOC]


NETLINK_SOCK = Recipe(NetlinkSock, NETLINK_DIAG_MSG, NETLINK_DIAG_ATTRS, {
    "protocol": call(_NETLINK, header("protocol")),
    "portid": header("portid"),
    "dst_portid": header("dst_portid"),
    "dst_group": header("dst_group"),
    "state": call(_TCP_STATE, header("state")),
    "inode": header("ino"),
    "cookie": header("cookie"),
    "rqueue": call(_rmem, attr(NETLINK_DIAG.MEMINFO)),
    "wqueue": call(_wmem, attr(NETLINK_DIAG.MEMINFO)),
    "flags": attr(NETLINK_DIAG.FLAGS),
})

UNIX_SOCK = Recipe(UnixSock, UNIX_DIAG_MSG, UNIX_DIAG_ATTRS, {
    "type": call(_SOCK, header("type")),
    "state": call(_TCP_STATE, header("state")),
    "inode": header("ino"),
    "name": call(_unix_name, attr(UNIX_DIAG.NAME, raw=True)),
    "peer": attr(UNIX_DIAG.PEER),
    "rqueue": call(_rqueue, attr(UNIX_DIAG.RQLEN)),
    "wqueue": call(_wqueue, attr(UNIX_DIAG.RQLEN)),
    "uid": attr(UNIX_DIAG.UID),
    "cookie": header("cookie"),
})


# ------------------------------------------------------------------------------ requests


def _schema(mtype: int, family: int) -> MessageSchema:
    schema = lookup(NETLINK.SOCK_DIAG, mtype, None, int(family), True)
    if schema is None or schema.header is None:
        raise EncodeError(f"no sock_diag request declared for family {family}")
    return schema


_OP = struct.Struct("=BBH")
"""struct inet_diag_bc_op { unsigned char code; unsigned char yes; unsigned short no; };"""
_HOSTCOND = struct.Struct("=BBxxi")
"""struct inet_diag_hostcond { __u8 family; __u8 prefix_len; int port; __be32 addr[]; }."""

Host = str | ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network | ipaddress.IPv6Network
"""An address or a network (``"10.0.0.1"``, ``"10.0.0.0/24"``, ``"::1"``): a socket filter's end."""


def _port(port: int) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 0xFFFF:
        raise EncodeError(f"port {port!r} out of range 0..65535")
    return port


def _hostcond(host: Host, port: int | None) -> bytes:
    """An ``inet_diag_hostcond`` with its address: sockets whose address is in ``host``'s
    network (a prefix of its length), and whose port is ``port`` (None: any, the kernel's -1)."""
    try:
        net = ipaddress.ip_network(host, strict=False)
    except ValueError:
        raise EncodeError(f"not an address or network: {host!r}") from None
    family = AF.INET if net.version == 4 else AF.INET6
    return _HOSTCOND.pack(int(family), net.prefixlen, -1 if port is None else _port(port)) + net.network_address.packed


def bytecode(sport: int | None = None, dport: int | None = None, *, src: Host | None = None,
             dst: Host | None = None) -> bytes:
    """An INET_DIAG_REQ_BYTECODE program keeping the sockets whose local port is ``sport``,
    remote port ``dport``, local address in ``src`` and remote address in ``dst`` (those
    given; an address or a network). Each end is one op: ``INET_DIAG_BC_S_EQ`` / ``D_EQ``
    with the port in the ``no`` of an op after it, or, with an address, ``S_COND`` /
    ``D_COND`` with an ``inet_diag_hostcond`` (port -1: any). A condition that fails jumps
    past the end (``no`` = the bytes left + 4: reject); one that holds goes on to the next
    (``yes`` = its length), and running off the end accepts (net/ipv4/inet_diag.c)."""
    conds: list[tuple[int, bytes]] = []
    for eq, cond, host, port in ((INET_DIAG_BC.S_EQ, INET_DIAG_BC.S_COND, src, sport),
                                 (INET_DIAG_BC.D_EQ, INET_DIAG_BC.D_COND, dst, dport)):
        if host is not None:
            conds.append((int(cond), _hostcond(host, port)))
        elif port is not None:
            conds.append((int(eq), _OP.pack(0, 0, _port(port))))
    out = b""
    left = sum(_OP.size + len(body) for _, body in conds)
    for code, body in conds:
        size = _OP.size + len(body)
        out += _OP.pack(code, size, left + 4) + body
        left -= size
    return out


def dump_inet(family: int, protocol: int, states: int = TCPF_ALL, *, info: bool = False,
              sport: int | None = None, dport: int | None = None, src: Host | None = None,
              dst: Host | None = None) -> Message:
    """SOCK_DIAG_BY_FAMILY dump of ``family``'s ``protocol`` sockets in ``states`` (a
    :class:`~nlwire.consts.TCPF` bitmask), with a port and address filter the kernel runs
    (:func:`bytecode`); ``info``: with tcp_info and the congestion algorithm."""
    schema = _schema(SOCK_DIAG.BY_FAMILY, family)
    assert schema.header is not None and schema.attrs is not None
    ext = (1 << (INET_DIAG.INFO - 1) | 1 << (INET_DIAG.CONG - 1)) if info else 0
    header_ = schema.header.new(family=int(family), protocol=int(protocol), ext=ext, states=int(states),
                                src=bytes(16), dst=bytes(16))
    attrs = None
    program = bytecode(sport, dport, src=src, dst=dst)
    if program:
        attrs = Attrs(schema.attrs, {INET_DIAG_REQ.BYTECODE: program}, header=header_)
    return Message(SOCK_DIAG.BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, header=header_, attrs=attrs,
                   protocol=NETLINK.SOCK_DIAG, schema=schema)


def dump_unix(states: int = TCPF_ALL) -> Message:
    """SOCK_DIAG_BY_FAMILY dump of the AF_UNIX sockets in ``states``, with name, peer,
    queues and uid."""
    schema = _schema(SOCK_DIAG.BY_FAMILY, AF.UNIX)
    assert schema.header is not None
    show = UDIAG_SHOW.NAME | UDIAG_SHOW.PEER | UDIAG_SHOW.RQLEN | UDIAG_SHOW.UID
    header_ = schema.header.new(family=int(AF.UNIX), states=int(states), show=int(show))
    return Message(SOCK_DIAG.BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, header=header_, protocol=NETLINK.SOCK_DIAG,
                   schema=schema)


def dump_netlink(protocol: int = NDIAG_PROTO_ALL) -> Message:
    """SOCK_DIAG_BY_FAMILY dump of the AF_NETLINK sockets of ``protocol`` (every one by
    default: NDIAG_PROTO_ALL), with memory and flags."""
    schema = _schema(SOCK_DIAG.BY_FAMILY, AF.NETLINK)
    assert schema.header is not None
    header_ = schema.header.new(family=int(AF.NETLINK), protocol=int(protocol),
                                show=int(NDIAG_SHOW.MEMINFO | NDIAG_SHOW.FLAGS))
    return Message(SOCK_DIAG.BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, header=header_, protocol=NETLINK.SOCK_DIAG,
                   schema=schema)


def destroy_inet(sock: Sock) -> Message:
    """SOCK_DESTROY of one socket, named by its addresses, ports and cookie as listed."""
    schema = _schema(SOCK_DIAG.DESTROY, sock.family)
    assert schema.header is not None
    header_ = schema.header.new(
        family=int(sock.family), protocol=int(sock.protocol), states=TCPF_ALL,
        sport=sock.local_port, dport=sock.remote_port, src=sock.local.packed.ljust(16, b"\0"),
        dst=sock.remote.packed.ljust(16, b"\0"), if_=sock.ifindex, cookie=sock.cookie,
    )
    return Message(SOCK_DIAG.DESTROY, NLM_F.REQUEST, header=header_, protocol=NETLINK.SOCK_DIAG, schema=schema)

