"""The blocking netlink client: the only module that imports ``socket`` and ``selectors``.

>>> with Socket("route") as s:                                   # doctest: +SKIP
...     for msg in s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new())):
...         print(msg.attrs.ifname)

Every blocking call waits through a selector with a deadline and raises
:class:`~nlwire.errors.NetlinkTimeout` when it passes. The protocol rules
(sequence numbers, reply matching, multipart, DUMP_INTR, notifications) live in
:mod:`nlwire.session`; this module only moves bytes.

A :class:`Socket` may be shared between threads. Each request in flight has a
session of its own; one thread at a time receives, and a datagram it reads for
another thread's request is handed to that request (by sequence number,
:func:`~nlwire.session.addressee`), a notification is queued for
:meth:`Socket.events`. Dumps take turns (the kernel runs one dump at a time on a
socket); other requests go out while a dump streams.
"""

from __future__ import annotations

import collections
import errno as _errno
import os
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Self, TypeVar, overload

from nlwire.consts import (
    CTRL_ATTR,
    CTRL_ATTR_MCAST_GRP,
    CTRL_CMD,
    GENL_ID,
    NETLINK,
    NETLINK_OPT,
    NFNL_SUBSYS,
    NFNLGRP,
    RTNLGRP,
    SOL_NETLINK,
)
from nlwire.errors import DecodeError, DumpInterrupted, NetlinkTimeout, NlwireError, ProtocolError
from nlwire.messages import Message
from nlwire.netns import NetnsTarget, with_netns
from nlwire.pcapwriter import PcapWriter
from nlwire.session import (
    Build,
    Built,
    Complete,
    Event,
    Failed,
    Notification,
    Reply,
    Session,
    Skipped,
    Undecodable,
    addressee,
)
from nlwire.wire.attrs import Attrs
from nlwire.wire.genetlink import CTRL_ATTRS, GENLMSGHDR
from nlwire.wire.registry import GenlIds

__all__ = ["DEFAULT_TIMEOUT", "BufferOverrun", "Overrun", "Socket", "SocketJobs", "protocol_number"]

T = TypeVar("T")

SO_RCVBUFFORCE = 33
DEFAULT_TIMEOUT = 10.0
"""Seconds a blocking call waits unless told otherwise (``timeout=None`` waits forever)."""

_BUFSIZE = 65536
_CMSG_SPACE = 2 * socket.CMSG_SPACE(4)
"""Room for NETLINK_PKTINFO's group and NETLINK_LISTEN_ALL_NSID's nsid (an int each)."""
_PEEK_TRUNC = int(socket.MSG_PEEK | socket.MSG_TRUNC)
_U32 = struct.Struct("=I")
_S32 = struct.Struct("=i")
_NOTIFY_QUEUE = 65536
_UNSET: Any = object()
_GROUP_NAMES: dict[int, tuple[Any, str]] = {
    int(NETLINK.ROUTE): (RTNLGRP, "RTNLGRP_"),
    int(NETLINK.NETFILTER): (NFNLGRP, "NFNLGRP_"),
}
"""Protocols whose multicast groups have names: their enum and the kernel prefix."""


@dataclass(frozen=True, slots=True)
class Overrun:
    """Yielded by :meth:`Socket.events` when the kernel dropped notifications
    (ENOBUFS: the receive buffer overflowed). State derived from events is now
    stale: re-read it with a dump."""

    reason: str = "ENOBUFS: receive buffer overrun, notifications were lost"


_Datagram = tuple[bytes, int, int, int | None]
"""A received datagram: its bytes, sender port id, multicast group (0: unicast) and the
peer namespace's nsid (None: the socket's own namespace)."""


class _Flight:
    """A request in flight on a :class:`Socket`: its session, the sequence numbers that
    name it, the thread that sent it, and the datagrams another thread received for it.
    ``done``: finished (its sequence numbers name it no more, its session is free again);
    ``abandoned``: a newer dump of the same thread ended it early."""

    __slots__ = ("abandoned", "done", "inbox", "seqs", "session", "thread")

    def __init__(self, session: Session, seqs: list[int], thread: int) -> None:
        self.session = session
        self.seqs = seqs
        self.thread = thread
        self.inbox: collections.deque[_Datagram] = collections.deque()
        self.done = False
        self.abandoned = False


def protocol_number(protocol: int | str) -> int:
    """``0``, ``NETLINK.ROUTE``, ``"route"``, ``"NETLINK_GENERIC"``, ``"sock_diag"`` → the number."""
    if isinstance(protocol, int):
        return int(protocol)
    key = protocol.upper()
    if key.startswith("NETLINK_"):
        key = key[len("NETLINK_"):]
    try:
        return int(NETLINK[key])
    except KeyError:
        raise ValueError(f"unknown netlink protocol {protocol!r}") from None


class Socket:
    """One bound netlink socket.

    ``Socket(protocol, netns=None, *, rcvbuf=None, no_enobufs=False,
    listen_all_nsid=False, ext_ack=True, cap_ack=True, strict_check=True,
    capture=None, timeout=DEFAULT_TIMEOUT, genl=None)``

    * ``protocol``: number, :class:`~nlwire.consts.NETLINK` member or name (``"route"``).
    * ``netns``: see :mod:`nlwire.netns`; the socket is created there and keeps that
      namespace for life, while the calling thread stays where it is.
    * NETLINK_EXT_ACK, NETLINK_CAP_ACK and NETLINK_GET_STRICT_CHK are switched on
      unless disabled (kernels that do not know one answer ENOPROTOOPT; ignored).
    * ``rcvbuf``: SO_RCVBUFFORCE when privileged, else SO_RCVBUF.
    * ``capture``: a path or binary file; every datagram sent and received is
      written as a pcap record (LINKTYPE_NETLINK, as tcpdump on nlmon0).
    * ``listen_all_nsid``: notifications of peer namespaces that have an nsid here
      arrive too, each message's ``nsid`` telling which.

    Threads may share one socket: requests, dumps and :meth:`events` from several
    threads each get their own answers. One thread receives at a time and hands
    what it reads for another thread's request to that request; dumps take turns
    (while one streams, another thread's dump waits, within its timeout; a newer
    dump of the same thread ends the older one, which then raises ProtocolError);
    notifications go to whichever thread reads :meth:`events`. Close the socket
    once no thread uses it any more. :attr:`session` is the session a request uses
    when no other is in flight; requests sent while it is busy get sessions of their
    own (:meth:`~nlwire.session.Session.fork`).
    """

    def __init__(
        self,
        protocol: int | str = NETLINK.ROUTE,
        netns: NetnsTarget = None,
        *,
        rcvbuf: int | None = None,
        sndbuf: int | None = None,
        no_enobufs: bool = False,
        listen_all_nsid: bool = False,
        ext_ack: bool = True,
        cap_ack: bool = True,
        strict_check: bool = True,
        capture: str | os.PathLike[str] | BinaryIO | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        genl: GenlIds | None = None,
        _sock: Any = None,
    ) -> None:
        self.protocol = protocol_number(protocol)
        self.netns = netns
        self.timeout = timeout
        self._sock: Any = None
        self._selector: selectors.BaseSelector | None = None
        self._capture: PcapWriter | None = None
        if _sock is not None:  # tests inject a fake socket
            sock = _sock
        else:
            kind = socket.SOCK_RAW | socket.SOCK_CLOEXEC
            sock = with_netns(netns, socket.socket, socket.AF_NETLINK, kind, self.protocol)
        self._sock = sock
        try:
            sock.setblocking(False)
            if _sock is None:
                sock.bind((0, 0))
            self.port_id: int = int(sock.getsockname()[0])
            self.session = Session(self.protocol, port_id=self.port_id, genl=genl)
            self.genl: GenlIds | None = self.session.genl
            self.options: dict[str, bool] = {}
            for name, opt, on in (
                ("ext_ack", NETLINK_OPT.EXT_ACK, ext_ack),
                ("cap_ack", NETLINK_OPT.CAP_ACK, cap_ack),
                ("strict_check", NETLINK_OPT.GET_STRICT_CHK, strict_check),
            ):
                if on:
                    self.options[name] = self._setopt(opt, 1, optional=True)
            if rcvbuf is not None:
                self.set_rcvbuf(rcvbuf)
            if sndbuf is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, int(sndbuf))
            if no_enobufs:
                self.set_no_enobufs(True)
            if listen_all_nsid:
                self.set_listen_all_nsid(True)
            self._selector = selectors.DefaultSelector()
            self._selector.register(sock, selectors.EVENT_READ)
            if capture is not None:
                self._capture = PcapWriter(capture, self.protocol)
        except BaseException:
            self.close()
            raise
        self._buf = bytearray(_BUFSIZE)
        self._tiny = bytearray(1)
        self._lock = threading.Lock()
        """Guards what threads share: the flights, the free sessions, the receiver's turn,
        the notification queue and the counters."""
        self._cond = threading.Condition(self._lock)
        self._waiters = 0
        self._receiving = False
        """A thread waits for the socket to become readable, or decodes a datagram that
        answers no request (one at a time, so notifications stay in order)."""
        self._flights: dict[int, _Flight] = {}
        """Sequence number -> the request in flight it names."""
        self._spare: list[Session] = [self.session]
        """Free sessions (the last freed is used first: one thread keeps using ``session``)."""
        self._dumping: _Flight | None = None
        self._listener = self.session.fork()
        """An idle session that decodes what answers no request (notifications, stale replies)."""
        self._groups: set[int] = set()
        self._pktinfo = False
        self._notifications: collections.deque[Message | Overrun] = collections.deque()
        self._overrun_pending = False
        self.decode_errors: collections.deque[DecodeError] = collections.deque(maxlen=64)
        """The last DecodeErrors of messages that could not be decoded (the exchange went on)."""
        self.skipped = 0
        """How many stale, stray or spoofed messages were dropped."""
        self.overruns = 0
        """How many times the kernel reported ENOBUFS."""

    # -- lifecycle ---------------------------------------------------------------------------

    def fileno(self) -> int:
        fd: int = self._sock.fileno()
        return fd

    @property
    def closed(self) -> bool:
        return self._sock is None

    def close(self) -> None:
        """Close the socket, its selector and the capture (idempotent)."""
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if self._capture is not None:
            self._capture.close()
            self._capture = None
        if self._sock is not None:
            sock, self._sock = self._sock, None
            sock.close()

    def __enter__(self) -> Socket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"port {self.port_id}"
        return f"<nlwire.Socket protocol={self.protocol} {state}>"

    # -- options -----------------------------------------------------------------------------

    def _setopt(self, opt: int, value: int, *, optional: bool = False) -> bool:
        try:
            self._sock.setsockopt(SOL_NETLINK, int(opt), int(value))
        except OSError as exc:
            if optional and exc.errno in (_errno.ENOPROTOOPT, _errno.EINVAL, _errno.EOPNOTSUPP):
                return False
            raise
        return True

    def set_rcvbuf(self, size: int) -> int:
        """Set the receive buffer (SO_RCVBUFFORCE if allowed, else SO_RCVBUF); returns the kernel's value."""
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, int(size))
        except PermissionError:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(size))
        got: int = self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        return got

    def set_no_enobufs(self, on: bool = True) -> None:
        """NETLINK_NO_ENOBUFS: the kernel stops reporting overruns (events may then be lost silently)."""
        self._setopt(NETLINK_OPT.NO_ENOBUFS, int(on))

    def set_listen_all_nsid(self, on: bool = True) -> None:
        """NETLINK_LISTEN_ALL_NSID: receive notifications of every peer namespace with an nsid."""
        self._setopt(NETLINK_OPT.LISTEN_ALL_NSID, int(on))

    # -- raw I/O -----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._sock is None:
            raise ValueError("I/O on a closed nlwire.Socket")

    def _deadline(self, timeout: float | None) -> float | None:
        if timeout is _UNSET:
            timeout = self.timeout
        return None if timeout is None else time.monotonic() + timeout

    def _wait(self, deadline: float | None, events: int = selectors.EVENT_READ) -> None:
        assert self._selector is not None
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise NetlinkTimeout("no answer from the kernel before the deadline")
            if events == selectors.EVENT_READ:
                ready = self._selector.select(remaining)
            else:
                with selectors.DefaultSelector() as sel:
                    sel.register(self._sock, events)
                    ready = sel.select(remaining)
            if ready:
                return

    def send_bytes(self, data: bytes, deadline: float | None = None) -> None:
        """Send one datagram to the kernel (recorded by the capture)."""
        while True:
            with self._lock:
                if self._write(data):
                    return
            self._wait(deadline, selectors.EVENT_WRITE)

    def _write(self, data: bytes) -> bool:
        """Send ``data`` now; False if the socket cannot take it yet. The caller holds
        ``_lock``: the kernel makes the next part of a running dump inside sendmsg and
        recvmsg, and two parts made at once can be queued out of order, or make the next
        recvmsg fail with EINVAL, so this socket's system calls take turns."""
        self._check_open()
        sock = self._sock
        while True:
            try:
                sock.sendto(data, (0, 0))
                break
            except InterruptedError:
                continue
            except BlockingIOError:
                return False
        if self._capture is not None:
            self._capture.write(data)
        return True

    def recv_datagram(self, deadline: float | None = None) -> tuple[bytes, int, int]:
        """One whole datagram: ``(data, sender port id, multicast group or 0)``.

        The datagram is first peeked with MSG_PEEK|MSG_TRUNC so its full size is
        known, and the buffer grows when needed: nothing is ever truncated.
        Raises :class:`BufferOverrun` when the kernel reports an overrun. This is
        the raw layer, for one thread: it reads whatever comes next, whichever
        request it answers.
        """
        while True:
            with self._lock:
                got = self._read()
            if got is not None:
                return got[0], got[1], got[2]
            self._wait(deadline)

    def _read(self) -> _Datagram | None:
        """The next datagram, with its sender's nsid (None: no NETLINK_LISTEN_ALL_NSID
        control message, the socket's own namespace), or None when none is queued.
        The caller holds ``_lock`` (see :meth:`_write`)."""
        self._check_open()
        sock = self._sock
        while True:
            try:
                n, anc, _flags, addr = sock.recvmsg_into([self._buf], _CMSG_SPACE, _PEEK_TRUNC)
            except InterruptedError:
                continue
            except BlockingIOError:
                return None
            except OSError as exc:
                if exc.errno == _errno.ENOBUFS:
                    self.overruns += 1
                    raise BufferOverrun() from None
                raise
            if n > len(self._buf):
                self._buf = bytearray((n + 4095) & ~4095)
                continue
            while True:
                try:
                    # dequeue the datagram we peeked at (CPython's recv(0) makes no syscall)
                    sock.recv_into(self._tiny, 1)
                    break
                except InterruptedError:
                    continue
            data = bytes(memoryview(self._buf)[:n])
            group = 0
            nsid = None
            for level, ctype, cdata in anc:
                if level == SOL_NETLINK and len(cdata) >= 4:
                    if ctype == NETLINK_OPT.PKTINFO:
                        group = _U32.unpack_from(cdata)[0]
                    elif ctype == NETLINK_OPT.LISTEN_ALL_NSID:
                        nsid = _S32.unpack_from(cdata)[0]
            pid = int(addr[0]) if isinstance(addr, tuple) and addr else 0
            if group == 0 and isinstance(addr, tuple) and len(addr) > 1 and addr[1]:
                group = _first_group(int(addr[1]))
            if self._capture is not None:
                self._capture.write(data)
            return data, pid, group, nsid

    # -- sharing between threads -------------------------------------------------------------

    def _wait_turn(self, deadline: float | None) -> None:
        """Wait (holding ``_lock``) until another thread wakes us, or raise at the deadline."""
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise NetlinkTimeout("no answer from the kernel before the deadline")
        self._waiters += 1
        try:
            self._cond.wait(remaining)
        finally:
            self._waiters -= 1

    def _wake(self) -> None:
        """Wake the threads waiting for a turn, a datagram or a notification (``_lock`` held)."""
        if self._waiters:
            self._cond.notify_all()

    def _start(self, send: Callable[[Session], tuple[list[int], bytes]], *, dump: bool,
               deadline: float | None) -> _Flight:
        """Put a request in flight: ``send(session)`` (on a free session) gives its
        sequence numbers and bytes; they are registered, then sent. A dump first waits for
        another thread's dump to end, or ends an older dump of this thread."""
        me = threading.get_ident()
        while True:
            with self._lock:
                self._check_open()
                older = self._dumping if dump else None
                if older is None:
                    spare = self._spare
                    session = spare.pop() if spare else self.session.fork()
                    try:
                        seqs, data = send(session)
                    except BaseException:
                        spare.append(session)
                        raise
                    flight = _Flight(session, seqs, me)
                    try:
                        for seq in seqs:
                            self._flights[seq] = flight
                        if dump:
                            self._dumping = flight
                        sent = self._write(data)
                    except BaseException:
                        self._release(flight)
                        raise
                    break
                if older.thread != me:
                    self._wait_turn(deadline)
                    continue
            # the kernel runs one dump at a time: a newer dump of the thread ends its older one
            older.abandoned = True
            self._drain(older)
            self._finish(older)
        if not sent:
            try:
                self.send_bytes(data, deadline)
            except BaseException:
                self._finish(flight)
                raise
        return flight

    def _finish(self, flight: _Flight) -> None:
        """The request is over: its sequence numbers name nothing now, its session is free."""
        with self._lock:
            self._release(flight)

    def _release(self, flight: _Flight) -> None:
        """:meth:`_finish` with ``_lock`` held."""
        if flight.done:
            return
        flight.done = True
        flights = self._flights
        for seq in flight.seqs:
            if flights.get(seq) is flight:
                del flights[seq]
        if self._dumping is flight:
            self._dumping = None
        session = flight.session
        if not session.idle:
            session.abandon()
        flight.inbox.clear()
        self._spare.append(session)
        if self._waiters:
            self._cond.notify_all()

    def _next(self, flight: _Flight | None, deadline: float | None) -> list[Event]:
        """The next events of ``flight``'s request: from a datagram another thread received
        for it, or from one this thread receives (what it reads for another request is
        handed to that request, notifications are queued). One thread at a time waits for
        the socket to become readable. With ``flight`` None (:meth:`events`): ``[]`` once
        a notification is queued."""
        lock = self._lock
        while True:
            with lock:
                if flight is not None and flight.inbox:
                    got: _Datagram | None = flight.inbox.popleft()
                    owner = flight
                elif flight is None and self._notifications:
                    return []
                elif self._receiving:
                    self._wait_turn(deadline)
                    continue
                else:
                    try:
                        got = self._read()
                    except BufferOverrun:
                        self._note_overrun()
                        self._wake()
                        continue
                    if got is None:  # nothing queued: this thread waits for the socket
                        owner = None
                        self._receiving = True
                    else:
                        owner = self._flights.get(addressee(got[0], got[1], got[2]))
                        if owner is None:  # decoded below, in order, before anyone reads on
                            self._receiving = True
                        elif owner is not flight:
                            owner.inbox.append(got)
                            self._wake()
                            continue
            if got is None:
                try:
                    self._wait(deadline)
                finally:
                    with lock:
                        self._receiving = False
                        self._wake()
                continue
            if owner is None:  # answers no request in flight: notifications, stale replies
                events: list[Event] = []
                try:
                    events = self._listener.receive(*got)
                finally:
                    with lock:
                        for event in events:
                            self._aside(event)
                        self._receiving = False
                        self._wake()
                if flight is None:
                    return []
                continue
            return owner.session.receive(*got)

    def _set_aside(self, events: list[Event]) -> None:
        with self._lock:
            for event in events:
                self._aside(event)

    # -- requests ----------------------------------------------------------------------------

    def _exchange(
        self, msg: Message, *, dump: bool, ack: bool, timeout: float | None, idle: bool, build: Build | None = None
    ) -> Iterator[Any]:
        """Send ``msg`` and yield its replies until the kernel says it is done."""
        deadline = self._deadline(timeout)

        def send(session: Session) -> tuple[list[int], bytes]:
            seq, data = session.send(msg, dump=dump, ack=ack, build=build)
            return [seq], data

        flight = self._start(send, dump=dump, deadline=deadline)
        session = flight.session
        finished = False
        try:
            while not finished:
                if flight.abandoned:
                    raise ProtocolError(f"request seq {flight.seqs[0]} was abandoned by a newer request on this socket")
                if idle:
                    deadline = self._deadline(timeout)
                try:
                    events = self._next(flight, deadline)
                except NetlinkTimeout:
                    session.abandon()
                    raise
                replies: list[Any] = []
                aside: list[Event] = []
                error: BaseException | None = None
                for event in events:
                    if isinstance(event, Built):
                        replies += event.values
                    elif isinstance(event, Reply):
                        replies.append(event.message)
                    elif isinstance(event, Complete):
                        finished = True
                        if not replies and not dump:
                            replies.append(event.message)
                    elif isinstance(event, Failed):
                        finished = True
                        error = event.error
                    else:
                        aside.append(event)
                if aside:
                    self._set_aside(aside)
                if finished:
                    self._finish(flight)  # free for other requests before the caller sees the last replies
                yield from replies
                if error is not None:
                    raise error
        finally:
            if not flight.done:
                if not session.idle:
                    self._drain(flight)
                self._finish(flight)

    def _drain(self, flight: _Flight) -> None:
        """Read and drop the rest of an abandoned exchange so the kernel can finish its dump."""
        deadline = time.monotonic() + (self.timeout if self.timeout is not None else DEFAULT_TIMEOUT)
        session = flight.session
        try:
            while not session.idle and self._sock is not None:
                self._next(flight, deadline)
        except (NlwireError, OSError, ValueError):
            pass
        session.abandon()

    def request(self, msg: Message, *, timeout: float | None = _UNSET, ack: bool = True) -> Message:
        """Send ``msg`` (NLM_F_REQUEST, NLM_F_ACK unless ``ack=False``) and wait for the answer.

        Returns the first reply message if the kernel sent one (a get), else the
        ACK. Raises :class:`~nlwire.errors.NetlinkError` (``NotFound``, ``Exists``)
        with the kernel's ext-ack, or :class:`~nlwire.errors.NetlinkTimeout`.
        """
        replies = self.transact(msg, timeout=timeout, ack=ack)
        return replies[0]

    def transact(self, msg: Message, *, timeout: float | None = _UNSET, ack: bool = True) -> list[Message]:
        """Like :meth:`request` but returns every reply (or ``[ack]`` when there was none)."""
        return list(self._exchange(msg, dump=False, ack=ack, timeout=timeout, idle=False))

    @overload
    def dump(self, msg: Message, *, timeout: float | None = ..., build: None = None) -> Iterator[Message]: ...

    @overload
    def dump(
        self, msg: Message, *, timeout: float | None = ..., build: Callable[[bytes, int], T | None]
    ) -> Iterator[T]: ...

    def dump(self, msg: Message, *, timeout: float | None = _UNSET, build: Build | None = None) -> Iterator[Any]:
        """Send ``msg`` with NLM_F_DUMP and yield the messages as their datagrams arrive.

        Memory stays bounded by one datagram. ``timeout`` bounds each wait for the
        next datagram. Ends at NLMSG_DONE; an error in DONE or an NLMSG_ERROR is
        raised; a dump that carried NLM_F_DUMP_INTR raises
        :class:`~nlwire.errors.DumpInterrupted` after its last message. Messages
        that fail to decode are recorded in :attr:`decode_errors` and skipped.
        Closing the generator early drains the rest of the dump.

        With ``build``, each data message is not decoded to a :class:`Message`:
        ``build(datagram, offset)`` makes the object to yield straight from its
        bytes (None: skip it; a DecodeError is recorded as above). This is how
        :mod:`nlwire.rtnl` builds its results.
        """
        return self._exchange(msg, dump=True, ack=False, timeout=timeout, idle=True, build=build)

    def batch(
        self, msgs: Sequence[Message], *, subsystem: int = NFNL_SUBSYS.NFTABLES, timeout: float | None = _UNSET
    ) -> list[Message]:
        """Send ``msgs`` as one nfnetlink batch and wait for the kernel's answer to each.

        NETLINK_NETFILTER only: nftables changes its ruleset through batches, which
        the kernel applies whole or not at all. The messages go out in one datagram
        between NFNL_MSG_BATCH_BEGIN and BATCH_END (``res_id`` = ``subsystem``), each
        with NLM_F_ACK. Returns the ACKs in order, or raises the first error as a
        :class:`~nlwire.errors.NetlinkError` naming the message and, from the
        extended ACK, its offending attribute (``NFT_MSG_NEWCHAIN: No such file or
        directory (ENOENT) at attrs[NFTA_CHAIN.TABLE]``).
        """
        deadline = self._deadline(timeout)

        def send(session: Session) -> tuple[list[int], bytes]:
            _seqs, data = session.send_batch(msgs, subsystem)
            return list(session.batch or ()), data

        flight = self._start(send, dump=False, deadline=deadline)
        session = flight.session
        acks: list[Message] = []
        try:
            while not session.idle:
                try:
                    events = self._next(flight, deadline)
                except NetlinkTimeout:
                    session.abandon()
                    raise
                for event in events:
                    if isinstance(event, Reply):
                        acks.append(event.message)
                    elif isinstance(event, Failed):
                        raise event.error
                    elif not isinstance(event, Complete):  # (the Complete after the last ACK needs nothing)
                        self._set_aside([event])
        finally:
            self._finish(flight)
        return acks

    def dump_all(self, msg: Message, *, timeout: float | None = _UNSET, retries: int = 3) -> list[Message]:
        """The whole dump as a list, retried up to ``retries`` times when it was interrupted."""
        attempt = 0
        while True:
            try:
                return list(self.dump(msg, timeout=timeout))
            except DumpInterrupted:
                attempt += 1
                if attempt > retries:
                    raise

    # -- multicast ---------------------------------------------------------------------------

    def group_number(self, group: int | str) -> int:
        """A multicast group by number, by name (route: RTNLGRP, ``"link"``,
        ``"RTNLGRP_IPV4_IFADDR"``; netfilter: NFNLGRP, ``"nftables"``) or, on a generic
        socket, as ``"family/group"`` (``"nlctrl/notify"``)."""
        if isinstance(group, int):
            return int(group)
        named = _GROUP_NAMES.get(self.protocol)
        if named is not None:
            enum_cls, prefix = named
            key = group.upper().replace("-", "_")
            if key.startswith(prefix):
                key = key[len(prefix):]
            try:
                return int(enum_cls[key])
            except KeyError:
                raise ValueError(f"unknown {prefix.rstrip('_')} group {group!r}") from None
        if self.protocol == NETLINK.GENERIC and "/" in group:
            family, _, name = group.partition("/")
            groups = self._genl_groups(family)
            if name not in groups:
                raise ValueError(f"generic family {family!r} has no multicast group {name!r} (has {sorted(groups)})")
            return groups[name]
        raise ValueError(f"cannot resolve multicast group {group!r} for netlink protocol {self.protocol}")

    def _genl_groups(self, family: str) -> dict[str, int]:
        req = Message(
            GENL_ID.CTRL,
            header=GENLMSGHDR.new(cmd=CTRL_CMD.GETFAMILY, version=1),
            attrs=Attrs(CTRL_ATTRS, {CTRL_ATTR.FAMILY_NAME: family}),
        )
        reply = self.request(req)
        groups: dict[str, int] = {}
        if reply.attrs is not None:
            for grp in reply.attrs.get(CTRL_ATTR.MCAST_GROUPS) or []:
                groups[grp.get(CTRL_ATTR_MCAST_GRP.NAME)] = int(grp.get(CTRL_ATTR_MCAST_GRP.ID))
        return groups

    def subscribe(self, *groups: int | str) -> None:
        """Join multicast groups (NETLINK_ADD_MEMBERSHIP); see :meth:`group_number`."""
        numbers = [self.group_number(g) for g in groups]
        with self._lock:
            if not self._pktinfo:
                self._pktinfo = self._setopt(NETLINK_OPT.PKTINFO, 1, optional=True)
            for n in numbers:
                self._setopt(NETLINK_OPT.ADD_MEMBERSHIP, n)
                self._groups.add(n)

    def unsubscribe(self, *groups: int | str) -> None:
        """Leave multicast groups (NETLINK_DROP_MEMBERSHIP)."""
        numbers = [self.group_number(g) for g in groups]
        with self._lock:
            for n in numbers:
                self._setopt(NETLINK_OPT.DROP_MEMBERSHIP, n)
                self._groups.discard(n)

    @property
    def groups(self) -> frozenset[int]:
        return frozenset(self._groups)

    def _queue(self, msg: Message) -> None:
        if len(self._notifications) >= _NOTIFY_QUEUE:
            self._notifications.clear()
            self._note_overrun()
        self._notifications.append(msg)

    def _note_overrun(self) -> None:
        if not self._notifications or not isinstance(self._notifications[-1], Overrun):
            self._notifications.append(Overrun())

    def events(self, timeout: float | None = _UNSET) -> Iterator[Message | Overrun]:
        """Yield notifications (multicast, or ``seq == 0``) until ``timeout`` seconds have passed.

        ``timeout=None`` waits forever. When the kernel reports ENOBUFS an
        :class:`Overrun` is yielded in the stream at the point of the loss, so the
        caller knows to resynchronise; nothing is lost silently. Notifications that
        arrived during a request are delivered first. With several threads reading
        events, each notification goes to one of them.
        """
        deadline = self._deadline(timeout)
        lock = self._lock
        while True:
            while True:
                with lock:
                    if not self._notifications:
                        break
                    item = self._notifications.popleft()
                yield item
            if self._sock is None:
                return
            try:
                self._next(None, deadline)
            except NetlinkTimeout:
                return

    def _aside(self, event: Event) -> bool:
        """Record an event that answers no request: a notification (queued for
        :meth:`events`), an undecodable message, a skipped one. False for any other.
        The caller holds ``_lock``."""
        if isinstance(event, Notification):
            self._queue(event.message)
        elif isinstance(event, Undecodable):
            self.decode_errors.append(event.error)
        elif isinstance(event, Skipped):
            self.skipped += 1
        else:
            return False
        return True

    def __del__(self) -> None:
        if getattr(self, "_sock", None) is not None:
            import warnings

            warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=1)
            self.close()


class SocketJobs:
    """Base of the job objects (:class:`~nlwire.rtnl.Rtnl`, :class:`~nlwire.genl.Genl`):
    they open a :class:`Socket` of ``PROTOCOL`` or share one passed as ``sock=``
    (which :meth:`close` then leaves open). Like the socket, a job object may be shared
    between threads."""

    PROTOCOL: int = NETLINK.ROUTE

    def __init__(
        self,
        netns: NetnsTarget = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        capture: str | os.PathLike[str] | BinaryIO | None = None,
        sock: Socket | None = None,
        **socket_options: Any,
    ) -> None:
        self._own = sock is None
        self.socket = sock if sock is not None else Socket(
            self.PROTOCOL, netns, timeout=timeout, capture=capture, **socket_options
        )
        if self.socket.protocol != self.PROTOCOL:
            raise ValueError(f"{type(self).__name__} needs a netlink protocol {self.PROTOCOL} socket")

    def close(self) -> None:
        if self._own:
            self.socket.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BufferOverrun(NlwireError):
    """Raised by :meth:`Socket.recv_datagram` when the kernel reports ENOBUFS: its
    receive buffer overflowed and notifications were lost (re-read state with a dump).
    :meth:`Socket.events` turns it into an :class:`Overrun` item instead."""


def _first_group(mask: int) -> int:
    """nl_groups of a multicast source address holds ``1 << (group - 1)`` for groups ≤ 32."""
    return (mask & -mask).bit_length() if mask else 0

