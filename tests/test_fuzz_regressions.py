"""Inputs found by the atheris harnesses in tests/fuzz/, kept as regression vectors.

Each test names the harness and the finding. Findings in modules the fuzzing work
does not own are marked ``xfail(strict=True)`` until their owner fixes them; the
strictness makes the fix visible (the test then passes and the xfail must go).
"""

from __future__ import annotations

from nlwire.consts import NETLINK, RTM
from nlwire.errors import NetlinkError
from nlwire.messages import Message
from nlwire.session import Failed, Session
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import IFINFOMSG, LINKINFO_ATTRS
from tests.workcount import steady_calls

# fuzz_session, finding 1: an NLMSG_ERROR whose error code is INT_MIN (0x80000000).
# Session.receive -> error_from -> NetlinkError(2**31) -> os.strerror(2**31) raised
# OverflowError ("Python int too large to convert to C int") out of receive().
INT_MIN_ERROR = bytes.fromhex(
    "24000000" "0200" "0001" "03000000" "16030000"  # nlmsghdr: len 36, NLMSG_ERROR, seq 3, pid 790
    "00000080"                                      # error = -2**31
    "24000000" "1400" "0500" "03000000" "00000000"  # echoed nlmsghdr (capped)
)


def test_netlink_error_with_out_of_range_code() -> None:
    err = NetlinkError(-(2**31))
    assert err.errno == 2**31
    assert "2147483648" in str(err) or "Unknown error" in str(err)


def test_session_error_code_int_min_fails_the_request() -> None:
    session = Session(NETLINK.ROUTE, port_id=790)
    for _ in range(3):
        seq, _data = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()))
    assert seq == 3
    events = session.receive(INT_MIN_ERROR)
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert isinstance(events[0].error, NetlinkError)
    assert session.idle


def test_vectors_are_well_formed() -> None:
    assert len(INT_MIN_ERROR) == int.from_bytes(INT_MIN_ERROR[:4], "little")


# hypothesis (tests/test_strategies.py), finding 2: building Attrs from Python values where
# a by_sibling kind is coerced (IFLA_INFO_DATA by IFLA_INFO_KIND) calls owner.get(KIND)
# mid-construction; that builds and caches the type index of the attributes added so
# far, and attributes added afterwards (DATA itself, and anything after it) are then
# invisible to [], get(), `in` and getattr -- though items() and encode() still see them.
def test_attrs_built_with_a_sibling_find_later_items() -> None:
    a = Attrs(LINKINFO_ATTRS, {"kind": "veth", "data": {}})
    assert len(a) == 2
    assert "data" in a
    assert a["data"] == Attrs.from_bytes(LINKINFO_ATTRS, a.encode())["data"]


# fuzz_session, finding 3: an NLMSG_ERROR whose ext-ack NLMSGERR_ATTR_OFFS has a 1-byte
# payload. The message frames fine (values decode lazily), then error_from() reads
# ext.offset and the DecodeError ("u32 needs 4 bytes, got 1 at
# msg[0].ext_ack[NLMSGERR_ATTR.OFFS] (offset 40)") escapes Session.receive() instead of
# becoming an event (Failed without the bad TLV, or Undecodable).
BAD_OFFS_ERROR = bytes.fromhex(
    "2c000000" "0200" "0003" "01000000" "00000000"  # nlmsghdr: len 44, NLMSG_ERROR, CAPPED|ACK_TLVS, seq 1
    "eaffffff"                                      # error = -EINVAL
    "20000000" "1200" "0500" "01000000" "00000000"  # echoed nlmsghdr of the RTM_GETLINK request
    "0500" "0200" "07000000"                        # NLMSGERR_ATTR_OFFS, nla_len 5: one byte of payload
)


def test_session_error_with_malformed_ext_ack_does_not_raise() -> None:
    session = Session(NETLINK.ROUTE, port_id=0)
    seq, _data = session.send(Message(RTM.GETLINK, header=IFINFOMSG.new()))
    assert seq == 1
    events = session.receive(BAD_OFFS_ERROR)
    assert len(events) == 1
    assert session.idle


# hypothesis (nlwire.strategies.nested_deeply hung building its input), finding 4: since
# RTA_MULTIPATH's rtnh_len is computed, LengthPrefixedList.encode() calls coerce(), which
# encodes every entry's attributes to compute the length, and then encodes them again;
# entries that nest another RTA_MULTIPATH double the work per level: building and
# encoding d nested levels costs ~2**d (d=14: 50 ms, d=20: ~3 s, d=30: ~an hour).
def _nested_multipath(depth: int) -> Attrs:
    from nlwire.wire.rtnetlink import ROUTE_ATTRS, RTNEXTHOP

    inner = Attrs(ROUTE_ATTRS, {})
    for _ in range(depth):
        inner = Attrs(ROUTE_ATTRS, {"multipath": [(RTNEXTHOP.new(), inner)]})
    return inner


def test_nested_multipath_encodes_in_linear_time() -> None:
    def cost(depth: int) -> int:
        return steady_calls(lambda: _nested_multipath(depth).encode())

    # linear would be ~1.5x from 8 to 12 levels; 2**d is ~16x
    assert cost(12) / cost(8) < 3, (cost(8), cost(12))
