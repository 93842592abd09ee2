"""nlwire.session: the sans-IO protocol rules, checked with byte literals.

Unless noted, the datagrams were recorded from Linux 6.18 by nlwire's capture
tap, in a fresh namespace, on a socket bound to port id 29023 (0x715f) with
NETLINK_EXT_ACK and NETLINK_CAP_ACK on. Variants (DUMP_INTR, stale, spoofed)
change one header field of a recorded datagram with ``_patch``.
"""

from __future__ import annotations

import errno
import struct

import pytest

from nlwire.codec import decode_message
from nlwire.consts import NETLINK, NFPROTO, NFTA_CHAIN, NFTA_TABLE, NLM_F, NLMSG, RTM
from nlwire.errors import DecodeError, DumpInterrupted, Exists, NetlinkError, NetlinkPermissionError, NotFound
from nlwire.messages import Message
from nlwire.session import Built, Complete, Failed, Notification, Reply, Session, Skipped, Undecodable, addressee
from nlwire.wire.attrs import Attrs
from nlwire.wire.nfnetlink import CHAIN_ATTRS, NFGENMSG, TABLE_ATTRS
from nlwire.wire.rtnetlink import IFADDRMSG, IFINFOMSG

PORT = 29023

# RTM_NEWLINK index 1 flags IFF_UP change IFF_UP, seq 1 (sent by nlwire; ACK requested)
SET_LO_UP = bytes.fromhex("2000000010000500010000000000000000000000010000000100000001000000")
# its ACK: NLMSG_ERROR, flags NLM_F_CAPPED, error 0, echoed nlmsghdr only
ACK_SEQ1 = bytes.fromhex("2400000002000001010000005f7100000000000020000000100005000100000000000000")

# RTM_NEWLINK vx0 type vxlan id 1<<25, seq 2, NLM_F_CREATE|EXCL|REQUEST|ACK
VXLAN_BAD_ID = bytes.fromhex(
    "440000001000050602000000000000000000000000000000000000000000000008000300767830001c0012800a00010076786c"
    "616e0000000c0002000800010000000002"
)
# the kernel's answer: ERANGE, CAPPED|ACK_TLVS, NLMSGERR_ATTR_MSG + NLMSGERR_ATTR_OFFS = 60
VXLAN_BAD_ID_ERROR = bytes.fromhex(
    "5800000002000003020000005f710000deffffff440000001000050602000000000000002900010056584c414e204944206d75"
    "7374206265206c6f776572207468616e20313637373732313600000000080002003c000000"
)

# RTM_GETADDR dump (AF_INET), seq 3
GETADDR_DUMP = bytes.fromhex("180000001600010303000000000000000200000000000000")
# one RTM_NEWADDR (127.0.0.1/8 on lo), NLM_F_MULTI
NEWADDR_LO = bytes.fromhex(
    "4c00000014000200030000005f710000020880fe01000000080001007f000001080002007f000001070003006c6f00000800"
    "08008000000014000600ffffffffffffffff8cb402008cb40200"
)
# NLMSG_DONE, NLM_F_MULTI, error 0
DONE_SEQ3 = bytes.fromhex("1400000003000200030000005f71000000000000")

_HDR = struct.Struct("=IHHII")


def _patch(msg: bytes, *, flags: int | None = None, seq: int | None = None, pid: int | None = None) -> bytes:
    ln, mtype, f, s, p = _HDR.unpack_from(msg)
    head = _HDR.pack(ln, mtype, f if flags is None else flags, s if seq is None else seq, p if pid is None else pid)
    return head + msg[16:]


def _nlmsg(mtype: int, flags: int, seq: int, pid: int, payload: bytes) -> bytes:
    """A message built by hand (for shapes the kernel does not produce on demand)."""
    return _HDR.pack(16 + len(payload), mtype, flags, seq, pid) + payload


def _session_at(seq: int, *, dump: bool = False) -> Session:
    """A session whose outstanding request has sequence number ``seq``."""
    s = Session(port_id=PORT)
    s._last_seq = seq - 1
    if dump:
        s.send(Message(RTM.GETADDR, header=IFADDRMSG.new(family=2)), dump=True)
    else:
        s.send(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
    assert s.seq == seq
    return s


# ------------------------------------------------------------------------------ sending


def test_sequence_numbers_start_at_1_and_skip_0_on_wrap() -> None:
    s = Session()
    assert [s.next_seq() for _ in range(3)] == [1, 2, 3]
    s._last_seq = 0xFFFFFFFE
    assert s.next_seq() == 0xFFFFFFFF
    assert s.next_seq() == 1


def test_send_request_encodes_the_recorded_bytes() -> None:
    s = Session(port_id=PORT)
    seq, data = s.send(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
    assert seq == 1
    assert data == SET_LO_UP  # NLM_F_REQUEST|NLM_F_ACK added, pid 0


def test_send_dump_sets_dump_flags_without_ack() -> None:
    s = Session(port_id=PORT)
    s._last_seq = 2
    seq, data = s.send(Message(RTM.GETADDR, header=IFADDRMSG.new(family=2)), dump=True)
    assert seq == 3
    assert data == GETADDR_DUMP
    assert _HDR.unpack_from(data)[2] == NLM_F.REQUEST | NLM_F.DUMP


# ------------------------------------------------------------------------------ ACK / ERROR


def test_ack_completes_request() -> None:
    s = _session_at(1)
    events = s.receive(ACK_SEQ1)
    assert len(events) == 1 and isinstance(events[0], Complete)
    assert events[0].message.is_ack
    assert s.idle


def test_error_carries_ext_ack_and_attribute_path_of_the_request() -> None:
    s = Session(port_id=PORT)
    s._last_seq = 1
    s.seq, s.request, s.acked = 2, VXLAN_BAD_ID, True
    (event,) = s.receive(VXLAN_BAD_ID_ERROR)
    assert isinstance(event, Failed)
    err = event.error
    assert isinstance(err, NetlinkError) and not isinstance(err, (NotFound, Exists))
    assert err.errno == errno.ERANGE
    assert err.ext_ack.msg == "VXLAN ID must be lower than 16777216"
    assert err.ext_ack.offset == 60
    assert err.attr_path == "attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]"
    assert str(err) == (
        "RTM_NEWLINK: VXLAN ID must be lower than 16777216 (ERANGE)"
        " at attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]"
    )
    assert err.request_bytes == VXLAN_BAD_ID
    assert err.request == decode_message(VXLAN_BAD_ID)  # the request, decoded
    assert s.idle


@pytest.mark.parametrize(
    ("code", "cls"),
    [(errno.ENODEV, NotFound), (errno.ENOENT, NotFound), (errno.ESRCH, NotFound), (errno.EEXIST, Exists),
     (errno.EPERM, NetlinkPermissionError), (errno.EACCES, NetlinkPermissionError), (errno.EBUSY, NetlinkError)],
)
def test_error_codes_map_to_typed_exceptions(code: int, cls: type[NetlinkError]) -> None:
    s = _session_at(1)
    # a capped NLMSG_ERROR without TLVs (shape of the kernel's answer with CAP_ACK, EXT_ACK unused)
    err = _nlmsg(NLMSG.ERROR, NLM_F.CAPPED, 1, PORT, struct.pack("=i", -code) + SET_LO_UP[:16])
    (event,) = s.receive(err)
    assert isinstance(event, Failed) and type(event.error) is cls
    assert event.error.errno == code
    assert str(event.error).startswith("RTM_NEWLINK: ")


def test_missing_attribute_is_named_in_the_nest_that_lacked_it() -> None:
    s = Session(port_id=PORT)
    s.seq, s.request, s.acked = 2, VXLAN_BAD_ID, True
    # MISS_TYPE 1 (IFLA_VXLAN_ID) in the nest at offset 56 (IFLA_INFO_DATA of the request); hand-built TLVs
    tlvs = struct.pack("=HHI", 8, 5, 1) + struct.pack("=HHI", 8, 6, 56)
    payload = struct.pack("=i", -errno.EINVAL) + VXLAN_BAD_ID[:16] + tlvs
    err = _nlmsg(NLMSG.ERROR, NLM_F.CAPPED | NLM_F.ACK_TLVS, 2, PORT, payload)
    (event,) = s.receive(err)
    assert isinstance(event, Failed)
    assert event.error.ext_ack.missing_name == "IFLA_VXLAN.ID in attrs[IFLA.LINKINFO][IFLA_INFO.DATA]"
    assert str(event.error) == (
        "RTM_NEWLINK: Invalid argument (EINVAL), missing IFLA_VXLAN.ID in attrs[IFLA.LINKINFO][IFLA_INFO.DATA]"
    )


# ------------------------------------------------------------------------------ dumps


def test_dump_yields_replies_then_completes_on_done() -> None:
    s = _session_at(3, dump=True)
    events = s.receive(NEWADDR_LO + DONE_SEQ3)
    assert [type(e) for e in events] == [Reply, Complete]
    assert events[0].message.attrs.label == "lo"
    assert events[1].message.type == NLMSG.DONE
    assert s.idle


def test_dump_across_datagrams() -> None:
    s = _session_at(3, dump=True)
    assert [type(e) for e in s.receive(NEWADDR_LO + NEWADDR_LO)] == [Reply, Reply]
    assert not s.idle
    assert [type(e) for e in s.receive(DONE_SEQ3)] == [Complete]


def test_dump_intr_raises_dump_interrupted_at_the_end() -> None:
    s = _session_at(3, dump=True)
    intr = _patch(NEWADDR_LO, flags=NLM_F.MULTI | NLM_F.DUMP_INTR)
    events = s.receive(NEWADDR_LO + intr)
    assert [type(e) for e in events] == [Reply, Reply]  # every message is still delivered
    (last,) = s.receive(_patch(DONE_SEQ3, flags=NLM_F.MULTI | NLM_F.DUMP_INTR))
    assert isinstance(last, Failed) and isinstance(last.error, DumpInterrupted)
    assert last.error.messages == 2
    assert s.idle


def test_done_with_error_raises() -> None:
    s = _session_at(3, dump=True)
    msg_tlv = struct.pack("=HH", 4 + 12, 1) + b"dump failed\0"
    done = _nlmsg(NLMSG.DONE, NLM_F.MULTI | NLM_F.ACK_TLVS, 3, PORT, struct.pack("=i", -errno.EMSGSIZE) + msg_tlv)
    (event,) = s.receive(done)
    assert isinstance(event, Failed) and isinstance(event.error, NetlinkError)
    assert event.error.errno == errno.EMSGSIZE
    assert str(event.error) == "RTM_GETADDR: dump failed (EMSGSIZE)"


def test_error_ends_dump() -> None:
    s = _session_at(3, dump=True)
    err = _nlmsg(NLMSG.ERROR, NLM_F.CAPPED, 3, PORT, struct.pack("=i", -errno.EINVAL) + GETADDR_DUMP[:16])
    events = s.receive(NEWADDR_LO + err)
    assert [type(e) for e in events] == [Reply, Failed]
    assert s.idle


def test_spurious_ack_during_dump_is_skipped() -> None:
    s = _session_at(3, dump=True)
    ack = _nlmsg(NLMSG.ERROR, NLM_F.CAPPED, 3, PORT, struct.pack("=i", 0) + GETADDR_DUMP[:16])
    assert [type(e) for e in s.receive(ack + DONE_SEQ3)] == [Skipped, Complete]


def test_undecodable_message_does_not_end_the_dump() -> None:
    s = _session_at(3, dump=True)
    # NEWADDR whose first attribute claims nla_len 200 (runs past the message)
    bad = bytearray(NEWADDR_LO)
    struct.pack_into("=H", bad, 24, 200)
    events = s.receive(bytes(bad) + NEWADDR_LO + DONE_SEQ3)
    assert [type(e) for e in events] == [Undecodable, Reply, Complete]
    assert events[0].seq == 3


def _built_session(build: object) -> Session:
    s = Session(port_id=PORT)
    s._last_seq = 2
    s.send(Message(RTM.GETADDR, header=IFADDRMSG.new(family=2)), dump=True, build=build)  # type: ignore[arg-type]
    return s


def test_dump_with_build_yields_what_build_made_from_the_bytes() -> None:
    seen: list[int] = []

    def label(data: bytes, off: int) -> str:
        seen.append(off)
        return str(decode_message(data, off).attrs.label)

    s = _built_session(label)
    events = s.receive(NEWADDR_LO + NEWADDR_LO + DONE_SEQ3)
    assert [type(e) for e in events] == [Built, Complete]
    assert events[0].values == ["lo", "lo"]
    assert seen == [0, len(NEWADDR_LO)]  # offsets of the data messages, not DONE
    assert events[1].message.type == NLMSG.DONE  # control messages decode as always
    assert s.idle and s.build is None


def test_dump_with_build_skips_none_records_decode_errors_and_sees_dump_intr() -> None:
    calls = iter([None, DecodeError("bad", 24, "msg[1]"), "third"])

    def build(data: bytes, off: int) -> object:
        result = next(calls)
        if isinstance(result, DecodeError):
            raise result
        return result

    s = _built_session(build)
    intr = _patch(NEWADDR_LO, flags=NLM_F.MULTI | NLM_F.DUMP_INTR)
    events = s.receive(NEWADDR_LO + NEWADDR_LO + intr)
    assert [type(e) for e in events] == [Undecodable, Built]
    assert events[0].seq == 3 and events[0].error.path == "msg[1]"
    assert events[1].values == ["third"]
    (last,) = s.receive(DONE_SEQ3)
    assert isinstance(last, Failed) and isinstance(last.error, DumpInterrupted)
    assert last.error.messages == 3


def test_build_is_for_dumps_only_and_stale_replies_never_reach_it() -> None:
    s = Session(port_id=PORT)
    with pytest.raises(ValueError, match="dumps only"):
        s.send(Message(RTM.GETADDR, header=IFADDRMSG.new(family=2)), build=lambda d, o: d)
    s = _built_session(lambda d, o: pytest.fail("build called for a stale reply"))
    assert [type(e) for e in s.receive(_patch(NEWADDR_LO, seq=2))] == [Skipped]


# ------------------------------------------------------------------------------ matching


def test_stale_reply_of_abandoned_request_is_skipped() -> None:
    s = _session_at(3, dump=True)
    stale = _patch(NEWADDR_LO, seq=2)  # seq of an earlier, abandoned request
    events = s.receive(stale + _patch(DONE_SEQ3, seq=2) + NEWADDR_LO)
    assert [type(e) for e in events] == [Skipped, Skipped, Reply]
    assert not s.idle


def test_reply_for_another_port_is_skipped() -> None:
    s = _session_at(1)
    assert [type(e) for e in s.receive(_patch(ACK_SEQ1, pid=PORT + 1))] == [Skipped]
    assert not s.idle


def test_spoofed_sender_is_dropped_whole() -> None:
    s = _session_at(1)
    events = s.receive(ACK_SEQ1, sender_pid=4242)
    assert len(events) == 1 and isinstance(events[0], Skipped)
    assert "4242" in events[0].reason
    assert not s.idle  # the forged ACK did not complete the request
    assert isinstance(s.receive(ACK_SEQ1)[0], Complete)


def test_seq_zero_is_a_notification() -> None:
    s = _session_at(3, dump=True)
    note = _patch(NEWADDR_LO, seq=0, pid=0, flags=0)
    events = s.receive(note)
    assert [type(e) for e in events] == [Notification]
    assert not s.idle


def test_multicast_delivery_is_a_notification_even_with_our_seq() -> None:
    # the kernel copies the requester's seq/pid into the notification it multicasts
    s = _session_at(3, dump=True)
    events = s.receive(_patch(NEWADDR_LO, flags=0), group=5)
    assert len(events) == 1 and isinstance(events[0], Notification) and events[0].group == 5
    assert not s.idle


def test_reply_without_ack_completes_on_first_single_part_reply() -> None:
    s = Session(port_id=PORT)
    s.send(Message(RTM.GETLINK, header=IFINFOMSG.new(index=1)), ack=False)
    reply = _patch(NEWADDR_LO, seq=1, flags=0)
    assert [type(e) for e in s.receive(reply)] == [Reply, Complete]


def test_multipart_reply_to_request_runs_until_ack() -> None:
    s = _session_at(1)
    part = _patch(NEWADDR_LO, seq=1)
    assert [type(e) for e in s.receive(part + part)] == [Reply, Reply]
    assert [type(e) for e in s.receive(ACK_SEQ1)] == [Complete]


def test_trailing_zero_padding_is_ignored() -> None:
    s = _session_at(1)
    assert [type(e) for e in s.receive(ACK_SEQ1 + bytes(64))] == [Complete]


# ------------------------------------------------------------------------------ nfnetlink batches

# Recorded live (Linux 6.18, a private namespace, port id 24470 = 0x5f96) answering the
# batch NFT_MSG_NEWTABLE inet "t" (seq 2) + NFT_MSG_NEWCHAIN "c" in "t" (seq 3), one ACK
# per datagram: NLMSG_ERROR, NLM_F_CAPPED, error 0, the echoed nlmsghdr
NFT_PORT = 24470
NFT_ACK_SEQ2 = bytes.fromhex("240000000200000102000000965f0000000000001c000000000a05040200000000000000")
NFT_ACK_SEQ3 = bytes.fromhex("240000000200000103000000965f00000000000024000000030a05040300000000000000")
# ... and a later batch with NEWCHAIN "c" in the missing table "absent" (seq 6): ENOENT,
# CAPPED|ACK_TLVS, NLMSGERR_ATTR_OFFS = 20 (the request's first attribute, NFTA_CHAIN_TABLE)
NFT_ENOENT_SEQ6 = bytes.fromhex(
    "2c0000000200000306000000965f0000feffffff28000000030a050406000000000000000800020014000000"
)


def _nft_batch_session() -> Session:
    return Session(NETLINK.NETFILTER, port_id=NFT_PORT)


def _table(name: str) -> Message:
    """NFT_MSG_NEWTABLE (0x0a00), inet."""
    attrs = Attrs(TABLE_ATTRS, {NFTA_TABLE.NAME: name})
    return Message(0x0A00, NLM_F.CREATE, header=NFGENMSG.new(family=NFPROTO.INET), attrs=attrs)


def _chain(table: str, name: str) -> Message:
    """NFT_MSG_NEWCHAIN (0x0a03), inet."""
    attrs = Attrs(CHAIN_ATTRS, {NFTA_CHAIN.TABLE: table, NFTA_CHAIN.NAME: name})
    return Message(0x0A03, NLM_F.CREATE, header=NFGENMSG.new(family=NFPROTO.INET), attrs=attrs)


def test_batch_frames_the_messages_between_begin_and_end() -> None:
    s = _nft_batch_session()
    seqs, data = s.send_batch([_table("t"), _chain("t", "c")])
    assert seqs == [2, 3] and not s.idle
    heads, off = [], 0
    while off < len(data):
        ln, mtype, flags, seq, pid = _HDR.unpack_from(data, off)
        heads.append((mtype, flags, seq, pid, data[off + 16 : off + 20]))
        off += (ln + 3) & ~3
    # nfgenmsg: family, version, res_id (big-endian; NFNL_SUBSYS_NFTABLES = 10 on the bounds)
    assert heads == [
        (0x10, NLM_F.REQUEST, 1, 0, bytes([0, 0, 0, 10])),  # NFNL_MSG_BATCH_BEGIN
        (0x0A00, NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE, 2, 0, bytes([1, 0, 0, 0])),  # NFT_MSG_NEWTABLE, inet
        (0x0A03, NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE, 3, 0, bytes([1, 0, 0, 0])),  # NFT_MSG_NEWCHAIN
        (0x11, NLM_F.REQUEST, 4, 0, bytes([0, 0, 0, 10])),  # NFNL_MSG_BATCH_END
    ]


def test_batch_completes_when_every_message_is_acked() -> None:
    s = _nft_batch_session()
    s.send_batch([_table("t"), _chain("t", "c")])
    first = s.receive(NFT_ACK_SEQ2)
    assert [type(e) for e in first] == [Reply] and first[0].message.seq == 2 and not s.idle
    # a stale reply and a notification between the ACKs change nothing
    between = s.receive(_patch(NFT_ACK_SEQ2, seq=99)) + s.receive(_patch(NFT_ACK_SEQ2, seq=0), 0, 7)
    assert [type(e) for e in between] == [Skipped, Notification] and not s.idle
    last = s.receive(NFT_ACK_SEQ3)
    assert [type(e) for e in last] == [Reply, Complete] and last[0].message.seq == 3 and s.idle
    assert [type(e) for e in s.receive(NFT_ACK_SEQ3)] == [Skipped]  # a late duplicate is stale


def test_batch_fails_with_the_kernels_error_naming_the_attribute() -> None:
    s = _nft_batch_session()
    s._last_seq = 4  # the batch above took 1..4
    seqs, _ = s.send_batch([_chain("absent", "c")])
    assert seqs == [6]
    (event,) = s.receive(NFT_ENOENT_SEQ6)
    assert isinstance(event, Failed) and isinstance(event.error, NotFound) and s.idle
    assert str(event.error) == "NFT_MSG_NEWCHAIN: No such file or directory (ENOENT) at attrs[NFTA_CHAIN.TABLE]"


def test_batch_is_netfilter_only_and_never_empty_and_a_request_replaces_it() -> None:
    with pytest.raises(ValueError, match="NETLINK_NETFILTER"):
        Session(port_id=PORT).send_batch([_table("t")])
    with pytest.raises(ValueError, match="empty batch"):
        _nft_batch_session().send_batch([])
    s = _nft_batch_session()
    s.send_batch([_table("t")])
    s.send(_table("u"))  # abandons the batch: its ACK is stale now
    assert s.batch is None and [type(e) for e in s.receive(NFT_ACK_SEQ2)] == [Skipped]


# ------------------------------------------------------------------------------ requests in flight together


def test_addressee_is_the_seq_of_the_first_message_of_a_unicast_kernel_datagram() -> None:
    assert addressee(NEWADDR_LO + DONE_SEQ3) == 3
    assert addressee(ACK_SEQ1) == 1
    assert addressee(NEWADDR_LO, 0, 5) == 0  # a multicast delivery answers no request
    assert addressee(NEWADDR_LO, 4242) == 0  # nor does a datagram from another socket
    assert addressee(_patch(NEWADDR_LO, seq=0)) == 0
    assert addressee(NEWADDR_LO[:12]) == 0


def test_forked_sessions_share_one_sequence_and_each_matches_its_own_replies() -> None:
    s = Session(port_id=PORT)
    f = s.fork()
    assert f.port_id == PORT and f.idle and f.genl is s.genl
    first, _ = s.send(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
    second, _ = f.send(Message(RTM.NEWLINK, header=IFINFOMSG.new(index=1, flags=1, change=1)))
    assert (first, second, s.next_seq()) == (1, 2, 3)
    assert isinstance(s.receive(_patch(ACK_SEQ1, seq=2))[0], Skipped)  # the other's ACK: not ours
    assert not s.idle
    assert isinstance(f.receive(_patch(ACK_SEQ1, seq=2))[0], Complete) and f.idle
    assert isinstance(s.receive(ACK_SEQ1)[0], Complete) and s.idle


def test_a_notification_from_a_peer_namespace_carries_its_nsid() -> None:
    note = _patch(NEWADDR_LO, flags=0, seq=0, pid=0)
    s = Session(port_id=PORT)
    (peer,) = s.receive(note, 0, 5, nsid=7)  # NETLINK_LISTEN_ALL_NSID's control message said 7
    (own,) = s.receive(note, 0, 5)
    assert isinstance(peer, Notification) and isinstance(own, Notification)
    assert (peer.message.nsid, own.message.nsid) == (7, None)
    assert peer.message == own.message  # where it came from is not part of the message


def test_a_pickled_error_keeps_the_kernels_words() -> None:
    """A NetlinkError that crosses a process (multiprocessing, concurrent.futures) keeps its
    ext-ack: the kernel's message, the offset, the missing attribute's name and so its
    text (before, the ext-ack was dropped: str() fell back to strerror)."""
    import pickle

    s = Session(port_id=PORT)
    s._last_seq = 1
    s.seq, s.request, s.acked = 2, VXLAN_BAD_ID, True
    (event,) = s.receive(VXLAN_BAD_ID_ERROR)
    err = event.error
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.errno == errno.ERANGE
    assert str(again) == str(err) == (
        "RTM_NEWLINK: VXLAN ID must be lower than 16777216 (ERANGE)"
        " at attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]"
    )
    assert (again.ext_ack.msg, again.ext_ack.offset) == ("VXLAN ID must be lower than 16777216", 60)
    assert again.request_bytes == VXLAN_BAD_ID

    s = Session(port_id=PORT)
    s.seq, s.request, s.acked = 2, VXLAN_BAD_ID, True
    tlvs = struct.pack("=HHI", 8, 5, 1) + struct.pack("=HHI", 8, 6, 56)  # MISS_TYPE 1 in the nest at 56
    payload = struct.pack("=i", -errno.EINVAL) + VXLAN_BAD_ID[:16] + tlvs
    (event,) = s.receive(_nlmsg(NLMSG.ERROR, NLM_F.CAPPED | NLM_F.ACK_TLVS, 2, PORT, payload))
    again = pickle.loads(pickle.dumps(event.error))
    assert again.ext_ack.miss_type == 1
    assert again.ext_ack.missing_name == "IFLA_VXLAN.ID in attrs[IFLA.LINKINFO][IFLA_INFO.DATA]"
    assert str(again) == str(event.error)
