"""Malformed input: each case is a DecodeError with the right absolute offset and path.

Bytes are built by hand with ``struct`` (host order, as netlink is), starting from
a real request: veth-create.pcap frame 29 (``ip link set lan0 mtu 1420``), an
RTM_NEWLINK of 40 bytes: nlmsghdr, ifinfomsg(index 32), IFLA_MTU 1420.
"""

from __future__ import annotations

import random
import struct

import pytest

from nlwire.codec import decode, decode_message
from nlwire.consts import IFLA, NETLINK, RTM
from nlwire.errors import DecodeError, TruncatedError
from nlwire.wire import LINK_ATTRS, MAX_DEPTH, Attrs

# veth-create.pcap frame 29, message 0 (ip link set lan0 mtu 1420)
SET_MTU = bytes.fromhex(
    "2800000010000500c0a1066b00000000"  # nlmsghdr len 40, RTM_NEWLINK, REQUEST|ACK, seq 0x6b06a1c0
    "00000000200000000000000000000000"  # ifinfomsg index 32
    "080004008c050000"  # IFLA_MTU (4) = 1420
)


def nlmsg(body: bytes, mtype: int = RTM.NEWLINK, flags: int = 5, seq: int = 1, length: int | None = None) -> bytes:
    ln = 16 + len(body) if length is None else length
    return struct.pack("=IHHII", ln, mtype, flags, seq, 0) + body


def nla(atype: int, payload: bytes, length: int | None = None, pad: bool = True) -> bytes:
    ln = 4 + len(payload) if length is None else length
    raw = struct.pack("=HH", ln, atype) + payload
    return raw + bytes(-len(raw) % 4) if pad else raw


IFINFO = struct.pack("=BxHiII", 0, 0, 32, 0, 0)


def decode_error(data: bytes, strict: bool = True) -> DecodeError:
    with pytest.raises(DecodeError) as info:
        decode(data, NETLINK.ROUTE, strict=strict)
    return info.value


def test_base_vector_is_valid() -> None:
    (m,) = decode(SET_MTU, strict=True)
    assert (m.type, m.len, m.header.index, m.attrs[IFLA.MTU]) == (RTM.NEWLINK, 40, 32, 1420)


# ---------------------------------------------------------------------------- nlmsghdr


@pytest.mark.parametrize("size", [1, 4, 15])
def test_short_header(size: int) -> None:
    err = decode_error(b"\x01" * size)
    assert isinstance(err, TruncatedError)
    assert (err.offset, err.path) == (0, "msg[0]")


def test_short_header_after_a_message() -> None:
    err = decode_error(SET_MTU + b"\x07" * 8)
    assert (err.offset, err.path) == (40, "msg[1]")


@pytest.mark.parametrize("ln", [1, 8, 15])
def test_nlmsg_len_below_16(ln: int) -> None:
    err = decode_error(SET_MTU + struct.pack("=IHHII", ln, RTM.NEWLINK, 5, 2, 0))
    assert (err.offset, err.path) == (40, "msg[1]")


def test_zero_nlmsg_len_with_data_after_it_is_an_error() -> None:
    err = decode_error(SET_MTU + struct.pack("=IHHII", 0, RTM.NEWLINK, 5, 2, 0))
    assert (err.offset, err.path) == (40, "msg[1]")


def test_nlmsg_len_past_the_buffer() -> None:
    err = decode_error(SET_MTU[:-4])  # nlmsg_len still says 40
    assert isinstance(err, TruncatedError)
    assert (err.offset, err.path) == (0, "msg[0]")
    err = decode_error(SET_MTU + nlmsg(IFINFO, length=200))
    assert (err.offset, err.path) == (40, "msg[1]")


def test_fixed_header_short() -> None:
    err = decode_error(nlmsg(IFINFO[:8]))
    assert isinstance(err, TruncatedError)
    assert (err.offset, err.path) == (16, "msg[0].ifinfomsg")


def test_error_message_without_its_code() -> None:
    err = decode_error(nlmsg(b"\xff\xff", mtype=2, flags=0))
    assert (err.offset, err.path) == (16, "msg[0].nlmsgerr")


@pytest.mark.parametrize("tail", [1, 3, 16, 256])
def test_trailing_zero_padding_is_accepted(tail: int) -> None:
    msgs = decode(SET_MTU + bytes(tail), strict=True)
    assert len(msgs) == 1 and msgs[0].attrs[IFLA.MTU] == 1420


def test_nonzero_bytes_after_zero_padding_are_not() -> None:
    err = decode_error(SET_MTU + bytes(20) + b"\x01")
    assert err.offset == 40


# ---------------------------------------------------------------------------- nlattr


def test_nla_len_below_4() -> None:
    data = nlmsg(IFINFO + nla(IFLA.MTU, struct.pack("=I", 1420)) + struct.pack("=HH", 2, IFLA.IFNAME) + b"ab\0\0")
    err = decode_error(data, strict=False)  # framing errors surface even without strict
    assert (err.offset, err.path) == (40, "msg[0].attrs")


def test_nla_len_zero() -> None:
    err = decode_error(nlmsg(IFINFO + bytes(8)))
    assert (err.offset, err.path) == (32, "msg[0].attrs")


def test_nla_len_past_the_message_into_the_next_one() -> None:
    # IFLA_IFNAME claims 40 bytes: it would run through the end of message 0 into message 1
    first = nlmsg(IFINFO + nla(IFLA.IFNAME, b"lan0\0", length=40))
    err = decode_error(first + SET_MTU)
    assert isinstance(err, TruncatedError)
    assert (err.offset, err.path) == (32, "msg[0].attrs")


def test_nla_len_past_its_nest() -> None:
    # IFLA_LINKINFO (len 16) holds IFLA_INFO_KIND claiming 20 bytes
    inner = nla(1, b"veth", length=20)
    data = nlmsg(IFINFO + nla(IFLA.LINKINFO, inner) + nla(IFLA.MTU, struct.pack("=I", 1500)))
    err = decode_error(data)
    assert (err.offset, err.path) == (36, "msg[0].attrs[IFLA.LINKINFO]")
    # without strict the message frames; the nest fails when it is opened
    (m,) = decode(data)
    assert m.attrs[IFLA.MTU] == 1500
    with pytest.raises(DecodeError) as info:
        m.attrs[IFLA.LINKINFO]
    assert (info.value.offset, info.value.path) == (36, "msg[0].attrs[IFLA.LINKINFO]")


def test_nla_len_below_4_inside_a_nest_inside_a_nest() -> None:
    # LINKINFO { KIND "vlan", DATA { IFLA_VLAN_ID len 3 } }
    data_nest = struct.pack("=HH", 3, 1) + b"\0\0\0\0"
    linkinfo = nla(1, b"vlan\0") + nla(2, data_nest)
    data = nlmsg(IFINFO + nla(IFLA.LINKINFO, linkinfo))
    err = decode_error(data)
    # nlmsghdr 16 + ifinfomsg 16 + LINKINFO hdr 4 + KIND 12 + DATA hdr 4 = 52
    assert (err.offset, err.path) == (52, "msg[0].attrs[IFLA.LINKINFO][IFLA_INFO.DATA]")


def test_trailing_bytes_shorter_than_an_attribute_header() -> None:
    data = nlmsg(IFINFO + nla(IFLA.MTU, struct.pack("=I", 1500)) + b"\x01\x02")
    err = decode_error(data)
    assert (err.offset, err.path) == (40, "msg[0].attrs")


def test_value_error_path_names_the_attribute() -> None:
    data = nlmsg(IFINFO + nla(IFLA.MTU, b"\x01\x02"))
    err = decode_error(data)
    assert (err.offset, err.path) == (36, "msg[0].attrs[IFLA.MTU]")


def test_value_of_the_wrong_size() -> None:
    data = nlmsg(IFINFO + nla(IFLA.MTU, b"\x01\x02"))  # u32 with 2 bytes
    (m,) = decode(data)  # lazy: frames fine
    with pytest.raises(DecodeError) as info:
        m.attrs[IFLA.MTU]
    assert info.value.offset in (32, 36)  # the attribute (header or payload)
    assert info.value.path.startswith("msg[0].attrs")
    err = decode_error(data)
    assert err.offset in (32, 36) and err.path.startswith("msg[0].attrs")


# ---------------------------------------------------------------------------- alignment


def test_unaligned_message_length_does_not_swallow_the_next_message() -> None:
    # message 0: IFLA_IFNAME "lan0\0" (5 bytes, nla_len 9) unpadded, so nlmsg_len = 16+16+9 = 41;
    # message 1 starts at NLMSG_ALIGN(41) = 44
    first = nlmsg(IFINFO + nla(IFLA.IFNAME, b"lan0\0", pad=False))
    assert len(first) == 41
    data = first + b"\0\0\0" + SET_MTU
    m0, m1 = decode(data, strict=True)
    assert (m0.len, m0.attrs[IFLA.IFNAME]) == (41, "lan0")
    assert (m1.offset, m1.len, m1.attrs[IFLA.MTU]) == (44, 40, 1420)


def test_unaligned_attribute_length_steps_by_nla_align() -> None:
    body = IFINFO + nla(IFLA.IFNAME, b"lan0\0") + nla(IFLA.OPERSTATE, b"\x06") + nla(IFLA.MTU, struct.pack("=I", 9000))
    (m,) = decode(nlmsg(body), strict=True)
    assert [(e.type, e.offset, e.length) for e, _ in m.attrs.entries()] == [
        (IFLA.IFNAME, 32, 9), (IFLA.OPERSTATE, 44, 5), (IFLA.MTU, 52, 8)]
    assert (m.attrs.ifname, m.attrs.operstate, m.attrs.mtu) == ("lan0", 6, 9000)


def test_missing_final_attribute_pad_inside_a_nest() -> None:
    # LINKINFO's last child unpadded; LINKINFO's own nla_len covers it exactly (kernel nla_ok())
    inner = nla(1, b"vlan", pad=False)  # IFLA_INFO_KIND, 8 bytes, aligned anyway
    inner += nla(4, b"br", pad=False)  # IFLA_INFO_SLAVE_KIND unterminated, nla_len 6
    body = IFINFO + nla(IFLA.LINKINFO, inner)
    (m,) = decode(nlmsg(body), strict=True)
    assert m.attrs[IFLA.LINKINFO]["slave_kind"] == "br"


# ---------------------------------------------------------------------------- nesting depth


def _macvlan_chain(levels: int) -> bytes:
    """IFLA_LINKINFO { KIND "macvlan", DATA { MACADDR_DATA { MACADDR_DATA { ... } } } }."""
    inner = b""
    for _ in range(levels):
        inner = nla(5, inner)  # IFLA_MACVLAN_MACADDR_DATA, nested(MACVLAN_ATTRS)
    return nla(IFLA.LINKINFO, nla(1, b"macvlan\0") + nla(2, inner))


def _depth_of(levels: int) -> int:
    # depth of the innermost MACADDR_DATA payload: LINKINFO 1, DATA 2, each MACADDR_DATA +1
    return 2 + levels


def test_nesting_up_to_the_bound_decodes() -> None:
    levels = MAX_DEPTH - 2
    (m,) = decode(nlmsg(IFINFO + _macvlan_chain(levels)), strict=True)
    node = m.attrs[IFLA.LINKINFO]["data"]
    for _ in range(levels):
        node = node["macaddr_data"]
    assert len(node) == 0


def test_nesting_deeper_than_the_bound() -> None:
    levels = MAX_DEPTH - 1
    assert _depth_of(levels) == MAX_DEPTH + 1
    data = nlmsg(IFINFO + _macvlan_chain(levels))
    err = decode_error(data)
    # the innermost (too deep) MACADDR_DATA attribute: nlmsghdr 16 + ifinfomsg 16 + LINKINFO 4
    # + KIND 12 + DATA 4, then 4 bytes per enclosing MACADDR_DATA header
    innermost = 16 + 16 + 4 + 12 + 4 + 4 * (levels - 1)
    assert err.offset == innermost + 4  # where its (too deep) attributes start
    assert err.path == "msg[0].attrs[IFLA.LINKINFO][IFLA_INFO.DATA]" + "[IFLA_MACVLAN.MACADDR_DATA]" * levels
    # the lazy path reports the same place
    (m,) = decode(data)
    with pytest.raises(DecodeError) as info:
        m.attrs.to_json()
    assert (info.value.offset, info.value.path) == (err.offset, err.path)


# ---------------------------------------------------------------------------- nothing else escapes


def _corpus() -> list[bytes]:
    ack_tlvs = nlmsg(struct.pack("=i", -22) + SET_MTU + nla(1, b"bad\0") + nla(2, struct.pack("=I", 32)),
                     mtype=2, flags=0x200)
    veth = bytes.fromhex(  # veth-create.pcap frame 3 (ip link add lan0 type veth peer name lan1)
        "5c00000010000506c0a1066b0000000000000000000000000000000000000000090003006c616e30000000003000"
        "12000800010076657468240002002000010000000000000000000000000000000000090003006c616e3100000000")
    return [SET_MTU, ack_tlvs, veth, nlmsg(IFINFO + _macvlan_chain(5))]


@pytest.mark.parametrize("seed", range(4))
def test_mutations_raise_only_decode_error(seed: int) -> None:
    rng = random.Random(seed)
    for base in _corpus():
        for _ in range(400):
            data = bytearray(base)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            cut = rng.choice([len(data), rng.randrange(len(data) + 1)])
            try:
                for m in decode(bytes(data[:cut]), NETLINK.ROUTE, strict=True):
                    if m.attrs is not None:
                        m.attrs.to_json()
            except DecodeError as exc:
                assert 0 <= exc.offset <= len(data) and exc.path.startswith("msg[")


def test_every_truncation_of_a_real_message() -> None:
    veth = _corpus()[2]
    for cut in range(len(veth)):
        try:
            decode(veth[:cut], strict=True)
        except DecodeError as exc:
            assert exc.offset <= cut
        # a cut inside the zero tail of an attribute may still decode; nothing else may escape


def test_attrs_from_bytes_reports_absolute_offsets() -> None:
    buf = bytes(100) + nla(IFLA.MTU, struct.pack("=I", 1)) + struct.pack("=HH", 1, 3)
    with pytest.raises(DecodeError) as info:
        Attrs.from_bytes(LINK_ATTRS, buf, 100, len(buf), path="x")
    assert (info.value.offset, info.value.path) == (108, "x")


def test_decode_message_at_an_offset() -> None:
    data = SET_MTU + SET_MTU
    m = decode_message(data, 40, NETLINK.ROUTE)
    assert (m.offset, m.attrs[IFLA.MTU]) == (40, 1420)
    with pytest.raises(DecodeError) as info:
        decode_message(data[:60], 40, NETLINK.ROUTE)
    assert info.value.offset == 40
