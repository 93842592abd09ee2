"""Coverage-guided fuzzing of the sans-IO session (``nlwire.session.Session``).

    python3 tests/fuzz/fuzz_session.py -max_total_time=600 [corpus_dir]

Input format: byte 0 configures the session (bit 0: the request is a dump, bit 1: it
asks for an ACK, bit 2: generic netlink instead of rtnetlink, bits 3-4: the socket's
port id, bit 5: a netfilter session whose request is a two-message nfnetlink batch);
then chunks ``[ctl][len lo][len hi][datagram]``. ``ctl`` bit 0 rewrites every
nlmsghdr's seq/pid to the outstanding request's (for a batch: bit 5 picks which of its
messages), so the fuzzer reaches reply handling; bit 1 delivers on a multicast group,
bit 2 comes from a non-kernel port, bit 3 starts a new request first, bit 4 abandons the
outstanding one first.

Laws: ``receive`` returns events (only ProtocolError may escape); Reply/Complete only
carry messages whose seq is the request outstanding when the datagram arrived and
whose pid is the socket's; nothing is matched after the request completed; a
datagram from a non-kernel sender is skipped whole; notifications are multicast or
seq 0; failures are NetlinkError or ProtocolError.
"""

from __future__ import annotations

import struct
import sys

import atheris
import common

with atheris.instrument_imports(include=["nlwire"]):
    from nlwire.consts import NETLINK, RTM
    from nlwire.errors import NetlinkError, ProtocolError
    from nlwire.messages import Message
    from nlwire.session import Complete, Failed, Notification, Reply, Session, Skipped, Undecodable
    from nlwire.wire.attrs import Attrs
    from nlwire.wire.genetlink import GENLMSGHDR
    from nlwire.wire.nfnetlink import NFGENMSG, TABLE_ATTRS
    from nlwire.wire.rtnetlink import IFINFOMSG

PORTS = (0, 4242, 0xFFFFFFFF, 77)
EVENTS = (Reply, Complete, Failed, Notification, Skipped, Undecodable)


def request(generic: bool) -> Message:
    if generic:
        return Message(16, header=GENLMSGHDR.new(cmd=3, version=1))
    return Message(RTM.GETLINK, header=IFINFOMSG.new())


def batch() -> list[Message]:
    """Two NFT_MSG_NEWTABLE (0x0a00) messages."""
    return [Message(0x0A00, header=NFGENMSG.new(family=1), attrs=Attrs(TABLE_ATTRS, {1: name})) for name in "ab"]


def patch(data: bytes, seq: int, pid: int) -> bytes:
    out = bytearray(data)
    off = 0
    while len(out) - off >= 16:
        ln = int.from_bytes(out[off : off + 4], "little")
        struct.pack_into("=II", out, off + 8, seq, pid)
        if ln < 16:
            break
        off += (ln + 3) & ~3
    return bytes(out)


def chunks(data: bytes) -> list[tuple[int, bytes]]:
    out = []
    off = 0
    while off + 3 <= len(data) and len(out) < 64:
        ctl, n = data[off], int.from_bytes(data[off + 1 : off + 3], "little")
        out.append((ctl, data[off + 3 : off + 3 + n]))
        off += 3 + n
    return out


def check(data: bytes) -> None:
    if not data:
        return
    cfg = data[0]
    generic = bool(cfg & 4)
    netfilter = bool(cfg & 32)
    port = PORTS[(cfg >> 3) & 3]
    protocol = NETLINK.NETFILTER if netfilter else NETLINK.GENERIC if generic else NETLINK.ROUTE
    session = Session(protocol, port_id=port)
    seqs: list[int] = []
    if netfilter:
        seqs, _ = session.send_batch(batch())
    else:
        session.send(request(generic), dump=bool(cfg & 1), ack=bool(cfg & 2))
    last_seq = session.seq or 0
    for ctl, dgram in chunks(data[1:]):
        if ctl & 16:
            session.abandon()
        if ctl & 8:
            if netfilter:
                seqs, _ = session.send_batch(batch())
            else:
                last_seq, _ = session.send(request(generic), dump=bool(ctl & 32), ack=bool(ctl & 64))
        if ctl & 1:
            dgram = patch(dgram, seqs[(ctl >> 5) & 1] if netfilter else last_seq, port)
        group = 1 if ctl & 2 else 0
        sender = 99 if ctl & 4 else 0
        current = session.seq
        pending = set(session.batch or ())
        try:
            events = session.receive(dgram, sender, group)
        except ProtocolError:
            continue
        finished = False
        for ev in events:
            if not isinstance(ev, EVENTS):
                raise AssertionError(f"not an event: {ev!r}")
            if sender and not isinstance(ev, Skipped):
                raise AssertionError(f"{ev!r} from a non-kernel sender")
            if isinstance(ev, (Reply, Complete)):
                m = ev.message
                ours = m.seq in pending if netfilter else current is not None and m.seq == current
                if not ours or m.pid != port or group:
                    raise AssertionError(f"{ev!r} matched to request seq {current} port {port} group {group}")
                if finished and isinstance(ev, Reply):
                    raise AssertionError(f"{ev!r} after the request finished")
            if isinstance(ev, Notification) and not (ev.group or ev.message.seq == 0):
                raise AssertionError(f"{ev!r} is neither multicast nor seq 0")
            if isinstance(ev, Failed) and not isinstance(ev.error, (NetlinkError, ProtocolError)):
                raise AssertionError(f"{ev!r}")
            if isinstance(ev, (Complete, Failed)):
                if finished:
                    raise AssertionError(f"request finished twice: {events!r}")
                finished = True
        if finished and not session.idle:
            raise AssertionError("request finished but the session is not idle")


def seeds() -> list[bytes]:
    import corpus

    out: list[bytes] = []
    run: list[bytes] = []
    for family, dgram in corpus.datagrams():
        if family not in (NETLINK.ROUTE, NETLINK.GENERIC, NETLINK.NETFILTER) or len(dgram) < 16:
            continue
        flags = int.from_bytes(dgram[6:8], "little")
        if flags & 1:  # NLM_F_REQUEST: a request, starts a new exchange
            if run:
                if family == NETLINK.NETFILTER:
                    cfg = 32  # the answers of nft's exchanges, fed to a batch
                else:
                    cfg = (4 if family == NETLINK.GENERIC else 0) | (1 if flags & 0x300 else 2)
                out.append(bytes([cfg]) + b"".join(bytes([1]) + len(d).to_bytes(2, "little") + d for d in run[:6]))
                out.extend(bytes([cfg, 1]) + len(d).to_bytes(2, "little") + d for d in run[:2])
            run = []
        else:
            run.append(dgram[:0xFFFF])
    return out


def main() -> None:
    import corpus

    argv = corpus.corpus_dir("session", sys.argv)
    if argv is not sys.argv:
        print(f"seeded {corpus.write_corpus(argv[-1], iter(seeds()))} inputs into {argv[-1]}", file=sys.stderr)
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    common.PROTOCOLS  # noqa: B018  (common put the repo on sys.path)
    main()
