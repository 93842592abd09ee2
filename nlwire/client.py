"""The blocking netlink client: the only module that imports ``socket`` and ``selectors``.

>>> with Socket("route") as s:                                   # doctest: +SKIP
...     for msg in s.dump(Message(RTM.GETLINK, header=IFINFOMSG.new())):
...         print(msg.attrs.ifname)

Every blocking call waits through a selector with a deadline and raises
:class:`~nlwire.errors.NetlinkTimeout` when it passes. The protocol rules
(sequence numbers, reply matching, multipart, DUMP_INTR, notifications) live in
:mod:`nlwire.session`; this module only moves bytes.
"""

from __future__ import annotations

import collections
import errno as _errno
import os
import selectors
import socket
import struct
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
_CMSG_SPACE = socket.CMSG_SPACE(4)
_U32 = struct.Struct("=I")
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
        self._check_open()
        while True:
            try:
                self._sock.sendto(data, (0, 0))
                break
            except InterruptedError:
                continue
            except BlockingIOError:
                self._wait(deadline, selectors.EVENT_WRITE)
        if self._capture is not None:
            self._capture.write(data)

    def recv_datagram(self, deadline: float | None = None) -> tuple[bytes, int, int]:
        """One whole datagram: ``(data, sender port id, multicast group or 0)``.

        The datagram is first peeked with MSG_PEEK|MSG_TRUNC so its full size is
        known, and the buffer grows when needed: nothing is ever truncated.
        Raises :class:`BufferOverrun` when the kernel reports an overrun.
        """
        self._check_open()
        sock = self._sock
        while True:
            try:
                n, anc, _flags, addr = sock.recvmsg_into([self._buf], _CMSG_SPACE, socket.MSG_PEEK | socket.MSG_TRUNC)
            except InterruptedError:
                continue
            except BlockingIOError:
                self._wait(deadline)
                continue
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
            for level, ctype, cdata in anc:
                if level == SOL_NETLINK and ctype == NETLINK_OPT.PKTINFO and len(cdata) >= 4:
                    group = _U32.unpack_from(cdata)[0]
            pid = int(addr[0]) if isinstance(addr, tuple) and addr else 0
            if group == 0 and isinstance(addr, tuple) and len(addr) > 1 and addr[1]:
                group = _first_group(int(addr[1]))
            if self._capture is not None:
                self._capture.write(data)
            return data, pid, group

    # -- requests ----------------------------------------------------------------------------

    def _exchange(
        self, msg: Message, *, dump: bool, ack: bool, timeout: float | None, idle: bool, build: Build | None = None
    ) -> Iterator[Any]:
        """Send ``msg`` and yield its replies until the kernel says it is done."""
        self._check_open()
        session = self.session
        seq, data = session.send(msg, dump=dump, ack=ack, build=build)
        deadline = self._deadline(timeout)
        self.send_bytes(data, deadline)
        finished = False
        try:
            while not finished:
                if session.seq != seq:
                    raise ProtocolError(f"request seq {seq} was abandoned by a newer request on this socket")
                if idle:
                    deadline = self._deadline(timeout)
                try:
                    datagram, pid, group = self.recv_datagram(deadline)
                except BufferOverrun:
                    self._note_overrun()
                    continue
                except NetlinkTimeout:
                    if session.seq == seq:
                        session.abandon()
                    raise
                replies: list[Any] = []
                error: BaseException | None = None
                for event in session.receive(datagram, pid, group):
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
                        self._aside(event)
                yield from replies
                if error is not None:
                    raise error
        finally:
            if not finished and session.seq == seq:
                self._drain(seq)

    def _drain(self, seq: int) -> None:
        """Read and drop the rest of an abandoned exchange so the kernel can finish its dump."""
        deadline = time.monotonic() + (self.timeout if self.timeout is not None else DEFAULT_TIMEOUT)
        session = self.session
        try:
            while session.seq == seq and self._sock is not None:
                try:
                    datagram, pid, group = self.recv_datagram(deadline)
                except BufferOverrun:
                    self._note_overrun()
                    continue
                for event in session.receive(datagram, pid, group):
                    if isinstance(event, Notification):
                        self._queue(event.message)
        except (NlwireError, OSError):
            pass
        if session.seq == seq:
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
        self._check_open()
        session = self.session
        _seqs, data = session.send_batch(msgs, subsystem)
        deadline = self._deadline(timeout)
        self.send_bytes(data, deadline)
        acks: list[Message] = []
        while session.batch is not None:
            try:
                datagram, pid, group = self.recv_datagram(deadline)
            except BufferOverrun:
                self._note_overrun()
                continue
            except NetlinkTimeout:
                session.abandon()
                raise
            for event in session.receive(datagram, pid, group):
                if isinstance(event, Reply):
                    acks.append(event.message)
                elif isinstance(event, Failed):
                    raise event.error
                else:
                    self._aside(event)  # (the Complete after the last ACK needs nothing)
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
        if not self._pktinfo:
            self._pktinfo = self._setopt(NETLINK_OPT.PKTINFO, 1, optional=True)
        for n in numbers:
            self._setopt(NETLINK_OPT.ADD_MEMBERSHIP, n)
            self._groups.add(n)

    def unsubscribe(self, *groups: int | str) -> None:
        """Leave multicast groups (NETLINK_DROP_MEMBERSHIP)."""
        for g in groups:
            n = self.group_number(g)
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
        arrived during a request are delivered first.
        """
        deadline = self._deadline(timeout)
        while True:
            while self._notifications:
                yield self._notifications.popleft()
            if self._sock is None:
                return
            try:
                datagram, pid, group = self.recv_datagram(deadline)
            except NetlinkTimeout:
                return
            except BufferOverrun:
                self._note_overrun()
                continue
            for event in self.session.receive(datagram, pid, group):
                if not self._aside(event):
                    self.skipped += 1  # an answer to no outstanding request

    def _aside(self, event: Event) -> bool:
        """Record an event that answers no request: a notification (queued for
        :meth:`events`), an undecodable message, a skipped one. False for any other."""
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
    (which :meth:`close` then leaves open)."""

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

