"""Laws of the sans-IO session, over datagrams from nlwire.strategies.

* any sequence of datagrams gives events (only ProtocolError may escape receive);
* matching by seq never crosses requests: Reply/Complete only carry messages whose
  seq is the request outstanding when the datagram arrived and whose pid is ours;
* replies to an abandoned or finished request are skipped, never delivered to the next;
* a well-formed reply stream is delivered whole and in order, then completes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlwire.strategies as nls
from nlwire.codec import decode, encode_many
from nlwire.consts import NETLINK, NFTA_TABLE, NLM_F, NLMSG, RTM
from nlwire.errors import NetlinkError, ProtocolError
from nlwire.messages import Message
from nlwire.session import Built, Complete, Failed, Notification, Reply, Session, Skipped, Undecodable
from nlwire.wire.attrs import Attrs
from nlwire.wire.nfnetlink import NFGENMSG, TABLE_ATTRS
from nlwire.wire.rtnetlink import IFINFOMSG

EVENTS = (Reply, Complete, Failed, Notification, Skipped, Undecodable)
PORT = 4242
slow = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _patch(data: bytes, seq: int, pid: int) -> bytes:
    """Set every nlmsghdr's seq/pid (walking nlmsg_len, tolerant of garbage)."""
    out = bytearray(data)
    off = 0
    while len(out) - off >= 16:
        ln = int.from_bytes(out[off : off + 4], "little")
        struct.pack_into("=II", out, off + 8, seq, pid)
        if ln < 16:
            break
        off += (ln + 3) & ~3
    return bytes(out)


@dataclass(frozen=True)
class Send:
    dump: bool
    ack: bool


@dataclass(frozen=True)
class Recv:
    data: bytes
    patch: bool
    group: int
    sender: int


@dataclass(frozen=True)
class Abandon:
    pass


steps = st.lists(
    st.one_of(
        st.builds(Send, st.booleans(), st.booleans()),
        st.builds(
            Recv,
            nls.hostile(NETLINK.ROUTE),
            st.booleans(),
            st.sampled_from([0, 0, 0, 1]),
            st.sampled_from([0, 0, 0, 9]),
        ),
        st.builds(Recv, nls.datagrams(NETLINK.ROUTE), st.just(True), st.just(0), st.just(0)),
        st.just(Abandon()),
    ),
    max_size=8,
)


@slow
@given(steps)
def test_any_datagrams_give_events_and_matching_never_crosses_requests(program: list[object]) -> None:
    session = Session(NETLINK.ROUTE, port_id=PORT)
    last = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=True)[0]
    for step in program:
        if isinstance(step, Send):
            last = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=step.dump, ack=step.ack)[0]
            continue
        if isinstance(step, Abandon):
            session.abandon()
            continue
        assert isinstance(step, Recv)
        data = _patch(step.data, last, PORT) if step.patch else step.data
        current = session.seq
        try:
            events = session.receive(data, step.sender, step.group)
        except ProtocolError:
            continue
        finished = False
        for ev in events:
            assert isinstance(ev, EVENTS)
            if step.sender:
                assert isinstance(ev, Skipped)
            if isinstance(ev, (Reply, Complete)):
                assert current is not None and ev.message.seq == current and ev.message.pid == PORT
                assert step.group == 0
                assert not (finished and isinstance(ev, Reply))
            if isinstance(ev, Notification):
                assert ev.group or ev.message.seq == 0
            if isinstance(ev, Failed):
                assert isinstance(ev.error, (NetlinkError, ProtocolError))
            if isinstance(ev, (Complete, Failed)):
                assert not finished
                finished = True
        if finished:
            assert session.idle


replies = st.lists(nls.messages(NETLINK.ROUTE, types=[RTM.NEWLINK, RTM.NEWADDR, RTM.NEWROUTE]), min_size=0, max_size=5)


@slow
@given(replies, st.integers(1, 3))
def test_a_dump_is_delivered_whole_then_completes(msgs: list[Message], datagrams: int) -> None:
    session = Session(NETLINK.ROUTE, port_id=PORT)
    seq, _ = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=True)
    parts = [m.replace(seq=seq, pid=PORT, flags=NLM_F.MULTI) for m in msgs]
    done = Message(NLMSG.DONE, NLM_F.MULTI, seq, PORT, error=0, protocol=NETLINK.ROUTE)
    # the replies in wire order, split over `datagrams` datagrams, DONE in the last
    size = max(1, -(-len(parts) // datagrams))
    chunks = [parts[i : i + size] for i in range(0, len(parts), size)] or [[]]
    chunks[-1] = [*chunks[-1], done]
    got: list[Message] = []
    completed = 0
    for chunk in chunks:
        for ev in session.receive(encode_many(chunk)):
            if isinstance(ev, Reply):
                got.append(ev.message)
            elif isinstance(ev, Complete):
                completed += 1
            else:
                raise AssertionError(ev)
    assert got == decode(encode_many(parts), NETLINK.ROUTE)
    assert completed == 1 and session.idle


@slow
@given(replies.filter(bool))
def test_replies_to_an_abandoned_request_are_stale(msgs: list[Message]) -> None:
    session = Session(NETLINK.ROUTE, port_id=PORT)
    old, _ = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=True)
    new, _ = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=True)
    assert old != new
    late = encode_many([m.replace(seq=old, pid=PORT, flags=NLM_F.MULTI) for m in msgs])
    events = session.receive(late)
    assert events and all(isinstance(ev, Skipped) for ev in events)
    assert session.seq == new


@slow
@given(nls.datagrams(NETLINK.ROUTE), st.integers(1, 0xFFFFFFFF))
def test_a_foreign_sender_is_dropped_whole(data: bytes, sender: int) -> None:
    session = Session(NETLINK.ROUTE, port_id=PORT)
    seq, _ = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()), dump=True)
    events = session.receive(_patch(data, seq, PORT), sender)
    assert len(events) == 1 and isinstance(events[0], Skipped)
    assert session.seq == seq


def _raw(data: bytes, off: int) -> tuple[int, bytes]:
    """A build function: the message's offset and bytes."""
    return off, data[off : off + int.from_bytes(data[off : off + 4], "little")]


def _as_built(data: bytes, events: list[object]) -> list[object]:
    """A decoded dump's events as the build path gives them: each run of data-message
    Replies becomes one Built of ``_raw``'s values; errors compare by type and text."""
    out: list[object] = []
    for ev in events:
        if isinstance(ev, Reply) and ev.message.type >= NLMSG.MIN_TYPE:
            value = _raw(data, ev.message.offset)
            if out and isinstance(out[-1], Built):
                out[-1].values.append(value)
            else:
                out.append(Built([value]))
        else:
            out.append(ev)
    return [(type(ev.error).__name__, str(ev.error)) if isinstance(ev, Failed) else ev for ev in out]


@slow
@given(replies, st.integers(1, 3), st.integers(-1, 5), st.lists(nls.messages(NETLINK.ROUTE, types=[RTM.NEWLINK]),
                                                                 max_size=2), st.booleans(), st.randoms())
def test_a_dump_built_from_bytes_gives_the_events_of_a_decoded_one(
    msgs: list[Message], datagrams: int, intr_at: int, notes: list[Message], trailing: bool, rnd: Any
) -> None:
    """The same datagrams, to a session whose dump was sent with ``build=`` and to one
    without: the same events, the data messages as Built values instead of Replies.
    Notifications and stale replies land between data messages, DUMP_INTR may be set on
    one, and a data message may follow DONE in its datagram."""
    plain, built = Session(NETLINK.ROUTE, port_id=PORT), Session(NETLINK.ROUTE, port_id=PORT)
    request = Message(RTM.GETLINK, header=IFINFOMSG.new())
    seq, _ = plain.send(request, dump=True)
    assert built.send(request, dump=True, build=_raw)[0] == seq
    parts = [m.replace(seq=seq, pid=PORT, flags=NLM_F.MULTI | (NLM_F.DUMP_INTR if i == intr_at else 0))
             for i, m in enumerate(msgs)]
    size = max(1, -(-len(parts) // datagrams))
    chunks = [parts[i : i + size] for i in range(0, len(parts), size)] or [[]]
    chunks[-1] = [*chunks[-1], Message(NLMSG.DONE, NLM_F.MULTI, seq, PORT, error=0, protocol=NETLINK.ROUTE)]
    if trailing and msgs:
        chunks[-1].append(parts[0])
    for chunk in chunks:
        extra = [n.replace(seq=0, pid=0) for n in notes] + [m.replace(seq=seq + 7) for m in msgs[:1]]  # stale
        for m in extra:
            chunk.insert(rnd.randint(0, len(chunk)), m)
        data = encode_many(chunk)
        expected = _as_built(data, plain.receive(data))
        events = built.receive(data)
        ends = [i for i, ev in enumerate(events) if isinstance(ev, (Complete, Failed))]
        assert not ends or not any(isinstance(ev, Built) for ev in events[ends[0]:])  # nothing after the end
        got = [(type(ev.error).__name__, str(ev.error)) if isinstance(ev, Failed) else ev for ev in events]
        assert got == expected
    assert plain.idle and built.idle and plain.received == built.received


def _nft_answer(seq: int, error: int) -> Message:
    """The kernel's answer to one batch message: NLMSG_ERROR, capped (the echo is the
    request's nlmsghdr), error 0 for an ACK."""
    echo = Message(0x0A00, NLM_F.REQUEST | NLM_F.ACK, seq, 0, protocol=NETLINK.NETFILTER, len=36)
    return Message(NLMSG.ERROR, NLM_F.CAPPED, seq, PORT, error=error, echo=echo, protocol=NETLINK.NETFILTER)


@slow
@given(st.integers(1, 4), st.integers(-1, 3), st.lists(st.sampled_from(["stale", "note", "again"]), max_size=4),
       st.randoms(use_true_random=False), st.integers(1, 3))
def test_a_batch_ends_once_every_message_is_answered_or_at_its_first_error(
    n: int, fail_at: int, noise: list[str], rnd: Any, datagrams: int
) -> None:
    """However the answers are ordered and split, with stale replies, notifications and
    repeated answers among them: each message is acknowledged once, the batch completes only
    when all are, an error fails it at once, and nothing of it is delivered afterwards."""
    session = Session(NETLINK.NETFILTER, port_id=PORT)
    msgs = [Message(0x0A00, header=NFGENMSG.new(family=1), attrs=Attrs(TABLE_ATTRS, {NFTA_TABLE.NAME: f"t{i}"}))
            for i in range(n)]
    seqs, _ = session.send_batch(msgs)
    failing = seqs[fail_at] if 0 <= fail_at < n else None
    answers = [_nft_answer(seq, -2 if seq == failing else 0) for seq in seqs]
    first = answers[0]
    for kind in noise:
        if kind == "stale":
            answers.append(_nft_answer(seqs[-1] + 100, 0))
        elif kind == "note":
            answers.append(Message(0x0A00, 0, 0, 0, header=NFGENMSG.new(), protocol=NETLINK.NETFILTER))
        else:
            answers.append(first)  # the same answer twice
    rnd.shuffle(answers)
    size = -(-len(answers) // datagrams)
    events = []
    for i in range(0, len(answers), size):
        chunk = answers[i : i + size]
        group = 7 if all(m.seq == 0 for m in chunk) else 0
        events += session.receive(encode_many(chunk), 0, group)
    acked = [ev.message.seq for ev in events if isinstance(ev, Reply)]
    ends = [i for i, ev in enumerate(events) if isinstance(ev, (Complete, Failed))]
    assert len(acked) == len(set(acked)) and set(acked) <= set(seqs) - {failing}
    assert len(ends) <= 1 and not any(isinstance(ev, Reply) for ev in events[ends[0] + 1 :] if ends)
    if failing is not None:
        assert [type(ev) for ev in events if isinstance(ev, (Complete, Failed))] == [Failed]
        failed = next(ev for ev in events if isinstance(ev, Failed))
        assert isinstance(failed.error, NetlinkError) and failed.error.errno == 2
    else:
        assert [type(ev) for ev in events if isinstance(ev, (Complete, Failed))] == [Complete]
        assert sorted(acked) == seqs
    assert session.idle
