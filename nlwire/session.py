"""Sans-IO netlink protocol state: sequence numbers, reply matching, multipart
replies, ACK / ERROR / DONE, NLM_F_DUMP_INTR and notifications.

No sockets here. :class:`Session` turns a request into bytes (``send``) and
received datagrams into :mod:`events <nlwire.session>` (``receive``); the I/O
loop lives in :mod:`nlwire.client`::

    seq, data = session.send(msg, dump=True)
    sock.send(data)
    while not session.idle:
        for event in session.receive(sock.recv(...), sender_pid, group):
            ...

Rules (one test vector each in ``tests/test_session.py``):

* sequence numbers start at 1 and skip 0 on wrap-around (0 marks unsolicited
  kernel messages);
* a reply belongs to the current request when its ``seq`` is the request's and
  its ``pid`` is this socket's port id; anything else from the kernel's unicast
  path is stale (an abandoned earlier request) and skipped;
* a datagram whose sender port id is not 0 did not come from the kernel and is
  dropped whole;
* multicast deliveries (group ≠ 0) and messages with ``seq == 0`` are
  notifications; one from a peer namespace (NETLINK_LISTEN_ALL_NSID) carries
  that namespace's id as ``Message.nsid``;
* requests outstanding together on one socket have a session each
  (:meth:`Session.fork`, one sequence count): a unicast datagram from the kernel
  belongs to the request named by its first message's seq (:func:`addressee`);
* a dump ends with NLMSG_DONE (its error code, if any, raises) or NLMSG_ERROR;
  a dump that carried NLM_F_DUMP_INTR ends with :class:`DumpInterrupted`;
* an nfnetlink batch (``send_batch``: NFNL_MSG_BATCH_BEGIN, the messages, BATCH_END
  in one datagram) is one request: each message asks for an ACK, and the batch
  completes when all are answered or fails with the first error (the kernel applies
  all of it or none).
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nlwire.codec import attr_path_at, decode_message, encode, missing_attr_name
from nlwire.consts import NETLINK, NFNL_MSG, NFNL_SUBSYS, NLM_F, NLMSG
from nlwire.errors import DecodeError, DumpInterrupted, NetlinkError, ProtocolError, netlink_error_class
from nlwire.messages import Message
from nlwire.wire.nfnetlink import NFGENMSG_BATCH
from nlwire.wire.registry import GenlIds, first_byte, lookup, type_name

__all__ = [
    "Build",
    "Built",
    "Complete",
    "Event",
    "Failed",
    "Notification",
    "Reply",
    "Session",
    "Skipped",
    "Undecodable",
    "addressee",
    "error_from",
]

# plain ints for per-message tests (IntFlag's & runs Python code)
_DUMP_INTR = int(NLM_F.DUMP_INTR)
_MULTI = int(NLM_F.MULTI)
_MIN_TYPE = int(NLMSG.MIN_TYPE)

_HDR = struct.Struct("=IHHII")
_SEQ = struct.Struct("=I")
_HDRLEN = 16

# ------------------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class Reply:
    """A data message answering the current request (one dump entry, or the reply to a get)."""

    message: Message


@dataclass(frozen=True, slots=True)
class Built:
    """Data messages of a dump sent with ``build=``: the objects the build function
    made from their bytes (the messages themselves were not decoded), in order; one
    event holds the consecutive ones of a datagram."""

    values: list[Any]


@dataclass(frozen=True, slots=True)
class Complete:
    """The current request is finished: ``message`` is the ACK, the NLMSG_DONE, or the
    last reply of a request sent without NLM_F_ACK."""

    message: Message


@dataclass(frozen=True, slots=True)
class Failed:
    """The current request is finished with an error (the kernel's, or DUMP_INTR)."""

    error: NetlinkError | ProtocolError


@dataclass(frozen=True, slots=True)
class Notification:
    """An unsolicited message: multicast delivery or ``seq == 0``."""

    message: Message
    group: int = 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """Bytes that were not for us: a stale reply, a spoofed sender, a stray ACK."""

    reason: str
    message: Message | None = None


@dataclass(frozen=True, slots=True)
class Undecodable:
    """A message of the current exchange that failed to decode; ``seq``/``type`` from its header."""

    error: DecodeError
    seq: int = 0
    type: int = 0


Event = Reply | Built | Complete | Failed | Notification | Skipped | Undecodable

Build = Callable[[bytes, int], Any]
"""``build(datagram, offset)`` → an object made from the data message at ``offset``,
or None to leave it out; it may raise :class:`~nlwire.errors.DecodeError`."""


# ------------------------------------------------------------------------------ errors


def error_from(
    msg: Message, request: bytes | None, protocol: int, genl: GenlIds | None = None
) -> NetlinkError:
    """The typed exception for an NLMSG_ERROR (or DONE) carrying a negative code.

    ``request`` is the request as sent: the ext-ack offset is resolved against
    it (``attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]``), and a missing
    attribute is named in the attribute set of the nest that lacked it.
    """
    code = -(msg.error or 0)
    ext = msg.ext_ack
    name = ""
    attr_path = None
    req = None
    if request is not None and len(request) >= _HDRLEN:
        name = _request_name(request, protocol, genl)
        with contextlib.suppress(DecodeError):  # a request that does not decode: bytes only
            req = decode_message(request, 0, protocol, genl=genl)
        if ext is not None:
            if ext.offset is not None:
                attr_path = attr_path_at(request, ext.offset, protocol, genl=genl)
            if ext.miss_type is not None and req is not None:
                miss = missing_attr_name(request, int(ext.miss_type), ext.miss_nest, protocol, genl=genl)
                ext = replace(ext, missing_name=miss)
    elif msg.echo is not None:
        name = msg.echo.name if msg.echo.schema is not None else type_name(protocol, msg.echo.type, genl)
    return netlink_error_class(code)(code, request_name=name, ext_ack=ext, request=req, request_bytes=request,
                                     attr_path=attr_path)


def _request_name(request: bytes, protocol: int, genl: GenlIds | None) -> str:
    mtype = _HDR.unpack_from(request, 0)[1]
    cmd = request[_HDRLEN] if protocol == NETLINK.GENERIC and len(request) > _HDRLEN else None
    schema = lookup(protocol, mtype, genl, cmd, True) if mtype >= NLMSG.MIN_TYPE else None
    return schema.name if schema is not None else type_name(protocol, mtype, genl)


# ------------------------------------------------------------------------------ routing


def addressee(data: bytes, sender_pid: int = 0, group: int = 0) -> int:
    """The sequence number of the request a received datagram answers; 0 for none.

    The kernel answers each request in datagrams of its own (the reply to a get, an
    ACK, each part of a dump), so the seq of a unicast datagram's first message names
    the request. A multicast delivery, a datagram not sent by the kernel, and seq 0
    answer no request.
    """
    if sender_pid or group or len(data) < _HDRLEN:
        return 0
    seq: int = _SEQ.unpack_from(data, 8)[0]
    return seq


# ------------------------------------------------------------------------------ session


class Session:
    """Protocol state of one netlink socket (one outstanding request at a time).

    ``port_id`` is the socket's bound nl_pid (the client sets it after bind).
    Requests outstanding at the same time on one socket each have a session of
    their own, made by :meth:`fork`, and :func:`addressee` tells which one a
    received datagram is for.
    """

    def __init__(self, protocol: int = NETLINK.ROUTE, *, port_id: int = 0, genl: GenlIds | None = None) -> None:
        self.protocol = int(protocol)
        self.port_id = port_id
        self.genl = genl if genl is not None else (GenlIds() if protocol == NETLINK.GENERIC else None)
        self._last_seq = 0
        self._root = self
        """The session whose ``_last_seq`` numbers the requests (this one, or the one forked from)."""
        self.seq: int | None = None
        """Sequence number of the outstanding request, None when idle."""
        self.request: bytes | None = None
        """The outstanding request as sent."""
        self.dump = False
        self.acked = False
        self.interrupted = False
        self.received = 0
        """Data messages delivered for the outstanding request."""
        self.build: Build | None = None
        """The outstanding dump's build function, if it was sent with one."""
        self.batch: dict[int, bytes] | None = None
        """An outstanding nfnetlink batch: the sequence number of each message still
        unanswered (and of BATCH_BEGIN, which errors about the batch itself answer) ->
        that message as sent."""
        self._batch_begin = 0
        """The outstanding batch's BATCH_BEGIN sequence number (it asks for no ACK)."""

    # -- sending ---------------------------------------------------------------------------

    def next_seq(self) -> int:
        """1, 2, ... wrapping to 1 after 2**32 - 1 (0 is never used); one sequence for a
        session and every session forked from it."""
        root = self._root
        seq = root._last_seq + 1
        if seq > 0xFFFFFFFF:
            seq = 1
        root._last_seq = seq
        return seq

    def fork(self) -> Session:
        """An idle session of the same socket (protocol, port id, generic family ids) for a
        request outstanding at the same time as this one's; its sequence numbers come from
        the same count, so no two requests of the socket share one."""
        other = Session(self.protocol, port_id=self.port_id, genl=self.genl)
        other._root = self._root
        return other

    @property
    def idle(self) -> bool:
        return self.seq is None and self.batch is None

    def send(
        self, msg: Message, *, dump: bool = False, ack: bool = True, build: Build | None = None
    ) -> tuple[int, bytes]:
        """Start a request: returns ``(seq, bytes to send)``.

        Sets NLM_F_REQUEST, NLM_F_DUMP for a dump, NLM_F_ACK unless ``ack`` is
        false (dumps never ask for an ACK). A request still outstanding is
        abandoned: its late replies will be skipped as stale. A dump's data
        messages become :class:`Built` events through ``build`` instead of being
        decoded; control messages (DONE, ERROR) are decoded as always.
        """
        if build is not None and not dump:
            raise ValueError("build= applies to dumps only")
        seq = self.next_seq()
        flags = int(msg.flags) | NLM_F.REQUEST
        if dump:
            flags |= NLM_F.DUMP
        elif ack:
            flags |= NLM_F.ACK
        schema = msg.schema
        if schema is None and msg.type >= NLMSG.MIN_TYPE:
            schema = lookup(self.protocol, msg.type, self.genl, first_byte(msg.header), True)
        out = msg.replace(flags=flags, seq=seq, pid=0, protocol=self.protocol, schema=schema)
        data = encode(out)
        self.batch = None
        self.seq = seq
        self.request = data
        self.dump = dump
        self.acked = ack and not dump
        self.interrupted = False
        self.received = 0
        self.build = build
        return seq, data

    def send_batch(self, msgs: Sequence[Message], subsystem: int = NFNL_SUBSYS.NFTABLES) -> tuple[list[int], bytes]:
        """Start an nfnetlink batch on a NETLINK_NETFILTER session: returns the sequence
        numbers of ``msgs`` and one datagram holding NFNL_MSG_BATCH_BEGIN (``res_id`` =
        ``subsystem``), ``msgs`` (each with NLM_F_REQUEST | NLM_F_ACK) and BATCH_END.

        The batch is the outstanding request (a request still outstanding is abandoned):
        every ACK is a :class:`Reply`, the last one also :class:`Complete`; the first
        error is :class:`Failed`, its ext-ack resolved against the message it answers.
        """
        if self.protocol != NETLINK.NETFILTER:
            raise ValueError("a batch is a netfilter netlink (NETLINK_NETFILTER) request")
        if not msgs:
            raise ValueError("an empty batch asks nothing of the kernel")
        self.abandon()
        nf = int(NETLINK.NETFILTER)
        bound = NFGENMSG_BATCH.new(res_id=int(subsystem))
        begin = self.next_seq()
        framed = [encode(Message(NFNL_MSG.BATCH_BEGIN, NLM_F.REQUEST, begin, header=bound, protocol=nf))]
        pending = {begin: framed[0]}
        seqs = []
        for msg in msgs:
            seq = self.next_seq()
            schema = msg.schema if msg.schema is not None else lookup(nf, msg.type)
            data = encode(msg.replace(flags=int(msg.flags) | NLM_F.REQUEST | NLM_F.ACK, seq=seq, pid=0,
                                      protocol=nf, schema=schema))
            framed.append(data)
            pending[seq] = data
            seqs.append(seq)
        framed.append(encode(Message(NFNL_MSG.BATCH_END, NLM_F.REQUEST, self.next_seq(), header=bound, protocol=nf)))
        self.batch = pending
        self._batch_begin = begin
        return seqs, b"".join(m + bytes(-len(m) % 4) for m in framed)

    def abandon(self) -> None:
        """Forget the outstanding request; its remaining replies become stale."""
        self.seq = None
        self.request = None
        self.build = None
        self.batch = None

    # -- receiving -------------------------------------------------------------------------

    def receive(self, data: bytes, sender_pid: int = 0, group: int = 0, nsid: int | None = None) -> list[Event]:
        """Turn one received datagram into events.

        ``sender_pid`` is the nl_pid of the source address (0 for the kernel);
        ``group`` the multicast group it was delivered to (0 for unicast); ``nsid``
        the peer namespace it came from (the NETLINK_LISTEN_ALL_NSID control
        message), set on its notifications' messages.
        """
        if sender_pid != 0:
            return [Skipped(f"sender port id {sender_pid} is not the kernel")]
        events: list[Event] = []
        off = 0
        end = len(data)
        index = 0
        # the build path runs once per dump entry: its state is kept in locals
        build, current, port = self.build, self.seq, self.port_id
        built: list[Any] | None = None  # the values of the Built event that is last in events
        n_built = 0
        while off < end:
            if end - off < _HDRLEN:
                if any(data[off:]):
                    events.append(Undecodable(DecodeError(f"{end - off} stray bytes after the last message", off)))
                break
            ln, mtype, _flags, seq, pid = _HDR.unpack_from(data, off)
            if ln < _HDRLEN or off + ln > end:
                if ln == 0 and not any(data[off:]):
                    break
                err = DecodeError(f"nlmsg_len {ln} does not fit the datagram", off, f"msg[{index}]")
                events.append(self._undecodable(err, seq, mtype, group))
                break
            ours = seq == current and pid == port and group == 0 and seq != 0
            if ours and build is not None and mtype >= _MIN_TYPE:
                # a dump entry made straight from the bytes by the caller's function
                if _flags & _DUMP_INTR:
                    self.interrupted = True
                n_built += 1
                try:
                    value = build(data, off)
                except DecodeError as exc:
                    events.append(Undecodable(exc, seq, mtype))
                    built = None
                else:
                    if value is not None:
                        if built is None:
                            built = [value]
                            events.append(Built(built))
                        else:
                            built.append(value)
            elif group != 0 or seq == 0 or ours:
                built = None
                self.received += n_built  # DONE reports the count
                n_built = 0
                try:
                    msg = decode_message(data, off, self.protocol, genl=self.genl, path=f"msg[{index}]")
                except DecodeError as exc:
                    events.append(self._undecodable(exc, seq, mtype, group))
                else:
                    if group != 0 or seq == 0:
                        events.append(Notification(msg if nsid is None else msg._replace(nsid=nsid), group))
                    else:
                        events.extend(self._on_reply(msg))
                        build, current, port = self.build, self.seq, self.port_id  # DONE or an error ends it
            elif self.batch is not None and seq in self.batch and pid == port and group == 0:
                built = None
                try:
                    msg = decode_message(data, off, self.protocol, path=f"msg[{index}]")
                except DecodeError as exc:
                    events.append(Undecodable(exc, seq, mtype))
                else:
                    events.extend(self._on_batch_reply(msg))
            else:
                built = None
                events.append(Skipped(f"stale reply seq {seq} pid {pid}", None))
            off += (ln + 3) & ~3
            index += 1
        self.received += n_built
        return events

    def _undecodable(self, err: DecodeError, seq: int, mtype: int, group: int) -> Event:
        if group == 0 and seq != 0 and seq != self.seq:
            return Skipped(f"undecodable stale reply seq {seq}: {err}")
        return Undecodable(err, seq, mtype)

    def _on_reply(self, msg: Message) -> list[Event]:
        mtype = msg.type
        if msg.flags & _DUMP_INTR:
            self.interrupted = True
        if mtype == NLMSG.ERROR:
            if msg.error:
                return [self._finish_error(msg)]
            if self.dump:
                return [Skipped("ACK during a dump", msg)]
            self.abandon()
            return [Complete(msg)]
        if mtype == NLMSG.DONE:
            if msg.error:
                return [self._finish_error(msg)]
            if self.interrupted:
                n = self.received
                self.abandon()
                return [Failed(DumpInterrupted(
                    f"dump interrupted (NLM_F_DUMP_INTR) after {n} messages; the data changed, retry", messages=n
                ))]
            self.abandon()
            return [Complete(msg)]
        if mtype == NLMSG.NOOP:
            return [Skipped("NLMSG_NOOP", msg)]
        if mtype == NLMSG.OVERRUN:
            self.abandon()
            return [Failed(ProtocolError("NLMSG_OVERRUN: the kernel lost part of the reply"))]
        self.received += 1
        if not self.dump and not self.acked and not (msg.flags & _MULTI):
            self.abandon()
            return [Reply(msg), Complete(msg)]
        return [Reply(msg)]

    def _on_batch_reply(self, msg: Message) -> list[Event]:
        batch = self.batch
        assert batch is not None
        if msg.type != NLMSG.ERROR:
            return [Skipped(f"{msg.name} in answer to a batch message", msg)]
        request = batch.pop(msg.seq)
        if msg.error:
            self.abandon()
            return [Failed(error_from(msg, request, self.protocol, self.genl))]
        begin = self._batch_begin
        if msg.seq == begin:
            return [Skipped("ACK of BATCH_BEGIN, which asked for none", msg)]
        if len(batch) > (begin in batch):  # messages still unanswered
            return [Reply(msg)]
        self.abandon()
        return [Reply(msg), Complete(msg)]

    def _finish_error(self, msg: Message) -> Failed:
        err = error_from(msg, self.request, self.protocol, self.genl)
        self.abandon()
        return Failed(err)


def describe(event: Any) -> str:
    """A one-line description of an event (for logs and test failures)."""
    if isinstance(event, (Reply, Complete, Notification)):
        return f"{type(event).__name__}({event.message.name} seq={event.message.seq})"
    return repr(event)
