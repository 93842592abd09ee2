"""Error vectors: NLMSG_ERROR capped and uncapped, every extended-ACK TLV, NLMSG_DONE with an error.

Sources (values are read off the bytes by hand and checked against
include/uapi/linux/netlink.h and the captures' README / tshark JSON, never
taken from nlwire's output):

* nlmon captures (Linux 6.1, iproute2 6.1), ../shared/captures/;
* two replies dumped live from this machine's kernel (6.18.44) in a private network
  namespace with a raw socket (``ip netns add E; ip netns exec E python3 ...``):
  - NETLINK_ROUTE with NETLINK_EXT_ACK and NETLINK_CAP_ACK set, request
    RTM_NEWADDR dev lo (ifindex 1) 10.9.9.9/32 label "lo:this-label-is-far-too-long";
  - NETLINK_GENERIC with NETLINK_EXT_ACK, request NETDEV_CMD_DEV_GET (cmd 1) to the
    ``netdev`` family (id 20 on that boot) without NETDEV_A_DEV_IFINDEX;
* hand-built bytes where no kernel answer was at hand (COOKIE, MISS_NEST, DONE with error).
"""

from __future__ import annotations

import errno
import struct
from ipaddress import IPv4Address
from typing import Any

import pytest
from nlcaptures import message

from nlwire.codec import attr_path_at, decode, encode
from nlwire.consts import (
    IFA,
    IFLA,
    IFLA_INFO,
    IFLA_VXLAN,
    NETLINK,
    NL_ATTR_TYPE,
    NL_POLICY_TYPE_ATTR,
    NLM_F,
    NLMSG,
    NLMSGERR_ATTR,
    RTM,
    VETH_INFO,
)
from nlwire.errors import EncodeError, NetlinkError
from nlwire.messages import ExtAck, Message
from nlwire.wire import NLMSGERR_ATTRS, POLICY_ATTRS, Attrs
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.nfnetlink import NFGENMSG
from nlwire.wire.registry import GenlIds
from nlwire.wire.rtnetlink import IFINFOMSG, LINK_ATTRS, RTMSG


def hx(s: str) -> bytes:
    return bytes.fromhex("".join(s.split()))


def one(data: bytes, protocol: int = NETLINK.ROUTE, genl: GenlIds | None = None) -> Message:
    msgs = decode(data, protocol, genl=genl, strict=True)
    assert len(msgs) == 1
    assert encode(msgs[0]) == data  # bytes -> value -> bytes
    return msgs[0]


# ---------------------------------------------------------------------------- capped ACK / uncapped error

# veth-create.pcap frame 4, message 0: the ACK of `ip link add lan0 type veth peer name lan1`
ACK_CAPPED = hx("24000000 0200 0001 c0a1066b 81010000  00000000  5c000000 1000 0506 c0a1066b 00000000")

# veth-create.pcap frame 2, message 0: ENODEV answer to iproute2's empty RTM_NEWLINK probe,
# echoing the whole 32-byte request (no NLM_F_CAPPED)
ENODEV_UNCAPPED = hx("34000000 0200 0000 00000000 81010000  edffffff"
                     "20000000 1000 0500 00000000 00000000  00000000 00000000 00000000 00000000")


def test_capped_ack() -> None:
    m = one(ACK_CAPPED)
    assert (m.type, m.flags, m.seq, m.pid, m.error) == (NLMSG.ERROR, NLM_F.CAPPED, 0x6B06A1C0, 385, 0)
    assert m.is_ack and not m.is_error and m.ext_ack is None
    # the echo is only the request's nlmsghdr: len 92, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
    assert (m.echo.len, m.echo.type, m.echo.flags, m.echo.seq, m.echo.pid) == (92, RTM.NEWLINK, 0x605, 0x6B06A1C0, 0)
    assert m.echo.attrs is None


def test_capped_ack_from_values() -> None:
    echo = Message(RTM.NEWLINK, 0x605, 0x6B06A1C0, 0, len=92)
    assert encode(Message(NLMSG.ERROR, NLM_F.CAPPED, 0x6B06A1C0, 385, error=0, echo=echo)) == ACK_CAPPED


def test_uncapped_error_echoes_the_whole_request() -> None:
    m = one(ENODEV_UNCAPPED)
    assert (m.error, m.errno_name, m.flags) == (-errno.ENODEV, "ENODEV", 0)
    assert (m.echo.type, m.echo.flags, m.echo.len) == (RTM.NEWLINK, NLM_F.REQUEST | NLM_F.ACK, 32)
    assert tuple(m.echo.header) == (0, 0, 0, 0, 0)
    assert len(m.echo.attrs) == 0


def test_uncapped_error_from_values() -> None:
    from nlwire.wire import IFINFOMSG, LINK_ATTRS

    probe = Message(RTM.NEWLINK, NLM_F.REQUEST | NLM_F.ACK, 0, 0, header=IFINFOMSG.new(), attrs=Attrs(LINK_ATTRS, {}))
    assert encode(Message(NLMSG.ERROR, 0, 0, 385, error=-19, echo=probe)) == ENODEV_UNCAPPED


# ---------------------------------------------------------------------------- MSG, OFFS, POLICY

# errors-extack.pcap frame 36, message 0: `ip addr add 10.44.0.6/20 dev dm1 label
# dm1:this-label-is-far-too-long`; -ERANGE, MSG + OFFS 32 + POLICY {MAX_LENGTH 15, TYPE 11}
LABEL_TOO_LONG = hx(
    "a4000000 0200 0002 cfa1066b 40020000  deffffff"
    "4c000000 1400 0506 cfa1066b 00000000  02 14 00 00 31000000"
    "0800 0200 0a2c0006"
    "2300 0300 646d313a746869732d6c6162656c2d69732d6661722d746f6f2d6c6f6e67 00 00"
    "0800 0100 0a2c0006"
    "2700 0100 417474726962757465206661696c656420706f6c6963792076616c69646174696f6e 00 00"
    "0800 0200 20000000"
    "1400 0480 0800 0700 0f000000 0800 0100 0b000000")


def test_uncapped_error_with_msg_offs_policy() -> None:
    m = one(LABEL_TOO_LONG)
    assert (m.error, m.flags) == (-errno.ERANGE, NLM_F.ACK_TLVS)
    echo = m.echo
    assert (echo.type, echo.len, echo.flags) == (RTM.NEWADDR, 76, 0x605)
    assert (echo.header.family, echo.header.prefixlen, echo.header.index) == (2, 20, 49)
    assert echo.attrs[IFA.LOCAL] == IPv4Address("10.44.0.6")
    assert echo.attrs[IFA.LABEL] == "dm1:this-label-is-far-too-long"
    ext = m.ext_ack
    assert ext.msg == "Attribute failed policy validation"
    assert ext.offset == 32
    assert ext.policy[NL_POLICY_TYPE_ATTR.TYPE] == NL_ATTR_TYPE.STRING == 11
    assert ext.policy[NL_POLICY_TYPE_ATTR.MAX_LENGTH] == 15
    # POLICY arrives as a nest (type 0x8004): NLA_F_NESTED kept for the round trip
    assert ext.attrs.nla_flags == [0, 0, 0x8000]
    assert (ext.cookie, ext.miss_type, ext.miss_nest) == (None, None, None)


def test_offs_names_the_offending_attribute() -> None:
    # OFFS 32 = nlmsghdr 16 + ifaddrmsg 8 + IFA_LOCAL 8: the IFA_LABEL attribute
    request = LABEL_TOO_LONG[20 : 20 + 76]
    assert attr_path_at(request, 32) == "attrs[IFA.LABEL]"
    assert attr_path_at(one(LABEL_TOO_LONG).echo, 32) == "attrs[IFA.LABEL]"
    assert attr_path_at(request, 24) == "attrs[IFA.LOCAL]"
    assert attr_path_at(request, 20) == "ifaddrmsg.index"
    assert attr_path_at(request, 17) == "ifaddrmsg.prefixlen"
    assert attr_path_at(request, 3) == "nlmsghdr"
    assert attr_path_at(request, 76) is None


def test_netlink_error_text_names_request_and_attribute() -> None:
    m = one(LABEL_TOO_LONG)
    err = NetlinkError(m.error, request_name=m.echo.name, ext_ack=m.ext_ack,
                       attr_path=attr_path_at(m.echo, m.ext_ack.offset))
    assert err.errno == errno.ERANGE
    assert str(err) == "RTM_NEWADDR: Attribute failed policy validation (ERANGE) at attrs[IFA.LABEL]"


def test_ext_ack_from_values() -> None:
    policy = Attrs(POLICY_ATTRS, [(NL_POLICY_TYPE_ATTR.MAX_LENGTH, 15), (NL_POLICY_TYPE_ATTR.TYPE, 11)])
    ext = Attrs(NLMSGERR_ATTRS, [(NLMSGERR_ATTR.MSG, "Attribute failed policy validation"),
                                 (NLMSGERR_ATTR.OFFS, 32), (NLMSGERR_ATTR.POLICY, policy)])
    echo = one(LABEL_TOO_LONG).echo
    built = Message(NLMSG.ERROR, NLM_F.ACK_TLVS, 0x6B06A1CF, 0x240, error=-34, echo=echo, ext_ack=ExtAck(ext))
    assert encode(built) == LABEL_TOO_LONG


# the same error, live from kernel 6.18 with NETLINK_CAP_ACK: CAPPED|ACK_TLVS, echo = header only
LABEL_TOO_LONG_CAPPED = hx(
    "68000000 0200 0003 07000000 6b420000  deffffff"
    "44000000 1400 0506 07000000 00000000"
    "2700 0100 417474726962757465206661696c656420706f6c6963792076616c69646174696f6e 00 00"
    "0800 0200 20000000"
    "1400 0480 0800 0700 0f000000 0800 0100 0b000000")
LABEL_REQUEST_6_18 = hx(
    "44000000 1400 0506 07000000 00000000  02 20 00 00 01000000"
    "0800 0200 0a090909"
    "2200 0300 6c6f3a746869732d6c6162656c2d69732d6661722d746f6f2d6c6f6e67 00 0000")


def test_capped_error_with_tlvs() -> None:
    m = one(LABEL_TOO_LONG_CAPPED)
    assert (m.error, m.flags) == (-errno.ERANGE, NLM_F.CAPPED | NLM_F.ACK_TLVS)
    assert (m.echo.len, m.echo.type, m.echo.seq) == (0x44, RTM.NEWADDR, 7)
    assert m.echo.attrs is None
    assert (m.ext_ack.msg, m.ext_ack.offset) == ("Attribute failed policy validation", 32)
    assert (m.ext_ack.policy.type, m.ext_ack.policy.max_length) == (11, 15)
    # the client keeps the request; the offset names its label
    assert attr_path_at(LABEL_REQUEST_6_18, m.ext_ack.offset) == "attrs[IFA.LABEL]"


# errors-extack.pcap frame 12, message 0: `ip link add y0 type no-such-kind`, MSG only
UNKNOWN_KIND = hx(
    "68000000 0200 0002 cfa1066b 37020000  a1ffffff"
    "3c000000 1000 0506 cfa1066b 00000000  00000000 00000000 00000000 00000000"
    "0700 0300 793000 00"
    "1400 1200 1000 0100 6e6f2d737563682d6b696e64"
    "1800 0100 556e6b6e6f776e20646576696365207479706500")


def test_msg_only() -> None:
    m = one(UNKNOWN_KIND)
    assert (m.error, m.ext_ack.msg, m.ext_ack.offset) == (-errno.EOPNOTSUPP, "Unknown device type", None)
    assert m.echo.attrs[IFLA.IFNAME] == "y0"
    assert m.echo.attrs[IFLA.LINKINFO]["kind"] == "no-such-kind"  # sent without its NUL


def test_capture_bytes_are_what_the_literals_say() -> None:
    assert message("veth-create.pcap", 4) == ACK_CAPPED
    assert message("veth-create.pcap", 2) == ENODEV_UNCAPPED
    assert message("errors-extack.pcap", 36) == LABEL_TOO_LONG
    assert message("errors-extack.pcap", 12) == UNKNOWN_KIND
    assert message("netns-move.pcap", 14) == NSID_EXISTS
    assert message("errors-extack.pcap", 93) == ETHTOOL_CHANNELS


# netns-move.pcap frame 14, message 0: `ip netns set blue 23`, -EEXIST, MSG + OFFS 20
NSID_EXISTS = hx(
    "6c000000 0200 0002 cca1066b 13020000  efffffff"
    "24000000 5800 0500 cca1066b 00000000  00000000 0800 0300 06000000 0800 0100 17000000"
    "2b00 0100 50656572206e65746e7320616c7265616479206861732061206e7369642061737369676e656400 00"
    "0800 0200 14000000")


def test_msg_and_offs_on_rtm_newnsid() -> None:
    m = one(NSID_EXISTS)
    assert (m.error, m.echo.type) == (-errno.EEXIST, RTM.NEWNSID)
    assert (m.ext_ack.msg, m.ext_ack.offset) == ("Peer netns already has a nsid assigned", 20)


def test_offs_on_rtm_newnsid_names_netnsa_fd() -> None:
    request = NSID_EXISTS[20 : 20 + 36]
    # rtgenmsg is 1 byte, NLMSG_ALIGNed to 4: attributes start at 20 with type 3 = NETNSA_FD
    assert attr_path_at(request, 20) == "attrs[NETNSA.FD]"


# errors-extack.pcap frame 93, message 0: `ethtool -L lan0 rx 9` (generic, ethtool id 0x14), OFFS 36
ETHTOOL_CHANNELS = hx(
    "74000000 0200 0002 02000000 4e020000  eaffffff"
    "2c000000 1400 0500 02000000 00000000  12 01 0000"
    "1000 0180 0900 0200 6c616e3000 000000"
    "0800 0600 09000000"
    "2c00 0100 726571756573746564206368616e6e656c20636f756e742065786365656473206d6178696d756d 00"
    "0800 0200 24000000")


def test_generic_error_with_offs() -> None:
    genl = GenlIds()
    genl.learn(0x14, "ethtool")
    m = one(ETHTOOL_CHANNELS, NETLINK.GENERIC, genl)
    assert (m.error, m.ext_ack.msg, m.ext_ack.offset) == (-22, "requested channel count exceeds maximum", 36)
    assert (m.echo.type, m.echo.len) == (0x14, 44)
    # the echo's genlmsghdr: cmd 0x12 (ETHTOOL_MSG_CHANNELS_SET), version 1
    assert (m.echo.header.cmd, m.echo.header.version) == (0x12, 1)
    request = ETHTOOL_CHANNELS[20:64]
    assert attr_path_at(request, 16, NETLINK.GENERIC, genl=genl) == "genlmsghdr.cmd"
    assert attr_path_at(request, 17, NETLINK.GENERIC, genl=genl) == "genlmsghdr.version"


# ---------------------------------------------------------------------------- MISS_TYPE, MISS_NEST, COOKIE

# live, kernel 6.18: NETDEV_CMD_DEV_GET without NETDEV_A_DEV_IFINDEX -> -EINVAL, MISS_TYPE 1
NETDEV_MISS_TYPE = hx(
    "30000000 0200 0002 02000000 19430000  eaffffff"
    "14000000 1400 0500 02000000 00000000  01 01 0000"
    "0800 0500 01000000")


def test_miss_type_live() -> None:
    genl = GenlIds()
    genl.learn(20, "netdev")
    m = one(NETDEV_MISS_TYPE, NETLINK.GENERIC, genl)
    assert (m.error, m.flags) == (-errno.EINVAL, NLM_F.ACK_TLVS)
    assert (m.echo.len, m.echo.header.cmd) == (20, 1)
    assert (m.ext_ack.miss_type, m.ext_ack.miss_nest, m.ext_ack.msg) == (1, None, None)
    assert m.ext_ack.missing_name is not None and "1" in m.ext_ack.missing_name


def _veth_request() -> bytes:
    # veth-create.pcap frame 3: `ip link add lan0 type veth peer name lan1` (IFLA_LINKINFO at 44)
    return hx("5c000000 1000 0506 c0a1066b 00000000  00000000 00000000 00000000 00000000"
              "0900 0300 6c616e30 00 000000"
              "3000 1200 0800 0100 76657468 2400 0200 2000 0100 00000000 00000000 00000000 00000000"
              "0900 0300 6c616e31 00 000000")


def _error(echo: bytes, tlvs: bytes, flags: int = NLM_F.ACK_TLVS, code: int = -22) -> bytes:
    body = struct.pack("=i", code) + echo + tlvs
    return struct.pack("=IHHII", 16 + len(body), NLMSG.ERROR, flags, 9, 4242) + body


def test_miss_type_and_miss_nest_hand_built() -> None:
    # MISS_TYPE 1 inside the nest at offset 44 (IFLA_LINKINFO): IFLA_INFO_KIND is missing
    tlvs = hx("0800 0500 01000000  0800 0600 2c000000")
    m = one(_error(_veth_request(), tlvs))
    assert (m.ext_ack.miss_type, m.ext_ack.miss_nest) == (1, 44)
    assert attr_path_at(m.echo, m.ext_ack.miss_nest) == "attrs[IFLA.LINKINFO]"
    # MISS_TYPE alone (top level): type 3 of IFLA_* = IFLA_IFNAME
    m = one(_error(_veth_request(), hx("0800 0500 03000000")))
    assert m.ext_ack.missing_name == "IFLA.IFNAME"


def test_missing_name_uses_the_nest() -> None:
    # the nest at offset 44 is the request's IFLA_LINKINFO (attr_path_at above): its set names type 1
    m = one(_error(_veth_request(), hx("0800 0500 01000000  0800 0600 2c000000")))
    assert m.ext_ack.missing_name == "IFLA_INFO.KIND in attrs[IFLA.LINKINFO]"


def test_decoded_and_raised_errors_name_a_missing_attribute_alike() -> None:
    """One resolver: the ext-ack of a decoded NLMSG_ERROR and the NetlinkError the session
    raises for the same answer name the missing attribute with the same words (the codec
    used to say ``IFLA_INFO.KIND`` where the session said ``IFLA_INFO.KIND in attrs[...]``)."""
    from nlwire.session import error_from

    for tlvs in (hx("0800 0500 01000000  0800 0600 2c000000"), hx("0800 0500 03000000")):
        raw = _error(_veth_request(), tlvs)
        decoded = one(raw)
        raised = error_from(decoded, _veth_request(), 0)
        assert raised.ext_ack is not None and decoded.ext_ack is not None
        assert raised.ext_ack.missing_name == decoded.ext_ack.missing_name
        assert f"missing {decoded.ext_ack.missing_name}" in str(raised)


def test_cookie_hand_built() -> None:
    # capped error, MSG + COOKIE (8 opaque bytes, as e.g. a driver's extack cookie)
    echo = _veth_request()[:16]
    tlvs = hx("0700 0100 6e6f00 00  0c00 0300 0102030405060708")
    m = one(_error(echo, tlvs, NLM_F.CAPPED | NLM_F.ACK_TLVS, -95))
    assert (m.ext_ack.msg, m.ext_ack.cookie) == ("no", bytes(range(1, 9)))
    assert (m.echo.len, m.echo.type) == (0x5C, RTM.NEWLINK)


def test_every_tlv_from_values() -> None:
    policy = Attrs(POLICY_ATTRS, [(NL_POLICY_TYPE_ATTR.TYPE, 3), (NL_POLICY_TYPE_ATTR.MAX_VALUE_U, 4094)])
    ext = Attrs(NLMSGERR_ATTRS, [
        (NLMSGERR_ATTR.MSG, "x"), (NLMSGERR_ATTR.OFFS, 48), (NLMSGERR_ATTR.COOKIE, b"\xaa\xbb"),
        (NLMSGERR_ATTR.POLICY, policy), (NLMSGERR_ATTR.MISS_TYPE, 2), (NLMSGERR_ATTR.MISS_NEST, 44)])
    echo = Message(RTM.NEWLINK, 0x605, 0x6B06A1C0, 0, len=92)
    raw = encode(Message(NLMSG.ERROR, NLM_F.CAPPED | NLM_F.ACK_TLVS, 9, 4242, error=-22, echo=echo,
                         ext_ack=ExtAck(ext)))
    expected = _error(hx("5c000000 1000 0506 c0a1066b 00000000"), hx(
        "0600 0100 7800 0000"                       # MSG "x\0"
        "0800 0200 30000000"                        # OFFS 48
        "0600 0300 aabb 0000"                       # COOKIE
        "1800 0480 0800 0100 03000000 0c00 0500 fe0f000000000000"  # POLICY {TYPE u16, MAX_VALUE_U}
        "0800 0500 02000000"                        # MISS_TYPE
        "0800 0600 2c000000"),                      # MISS_NEST
        NLM_F.CAPPED | NLM_F.ACK_TLVS)
    assert raw == expected
    back = one(raw)
    assert (back.ext_ack.msg, back.ext_ack.offset, back.ext_ack.cookie) == ("x", 48, b"\xaa\xbb")
    assert (back.ext_ack.policy.type, back.ext_ack.policy.max_value_u) == (3, 4094)
    assert (back.ext_ack.miss_type, back.ext_ack.miss_nest) == (2, 44)


# ---------------------------------------------------------------------------- NLMSG_DONE


def test_done_plain() -> None:
    # ip-link-show.pcap frame 6, message 0: the dump's end, error 0
    m = one(message("ip-link-show.pcap", 6, 0))
    assert (m.type, m.error, m.flags & NLM_F.MULTI, m.len) == (NLMSG.DONE, 0, NLM_F.MULTI, 20)


def test_done_with_error_and_tlvs() -> None:
    # netlink_dump_done(): NLMSG_DONE, NLM_F_MULTI|NLM_F_ACK_TLVS, int error, then the TLVs
    raw = hx("24000000 0300 0202 05000000 0a000000  eaffffff  0f00 0100 626164206669 6c74657200 00")
    m = one(raw)
    assert (m.type, m.error, m.errno_name, m.is_error) == (NLMSG.DONE, -22, "EINVAL", True)
    assert m.ext_ack.msg == "bad filter"
    built = Message(NLMSG.DONE, NLM_F.MULTI | NLM_F.ACK_TLVS, 5, 10, error=-22,
                    ext_ack=ExtAck(Attrs(NLMSGERR_ATTRS, {NLMSGERR_ATTR.MSG: "bad filter"})))
    assert encode(built) == raw


def test_done_with_error_no_tlvs() -> None:
    raw = hx("14000000 0300 0200 05000000 0a000000  fcffffff")  # -EINTR
    m = one(raw)
    assert (m.error, m.ext_ack) == (-errno.EINTR, None)
    assert encode(Message(NLMSG.DONE, NLM_F.MULTI, 5, 10, error=-4)) == raw


def test_header_of_another_protocol_is_an_encode_error() -> None:
    # type 0x10 is NFNL_MSG_BATCH_BEGIN on NETLINK_NETFILTER but RTM_NEWLINK on NETLINK_ROUTE
    # (Message's default protocol): an nfgenmsg header cannot be an ifinfomsg
    from nlwire.wire.nfnetlink import NFGENMSG

    msg = Message(0x10, header=NFGENMSG.new())
    with pytest.raises(EncodeError, match=r"RTM_NEWLINK .*ifinfomsg: got a NfGenMsg record .* Message.protocol"):
        encode(msg)
    assert encode(msg._replace(protocol=NETLINK.NETFILTER)) == hx("14000000 1000 0000 00000000 00000000  00000000")


# ---------------------------------------------------------------------------- values that do not fit
# Ranges from the uapi declarations: unsigned char rtm_table, unsigned short ifi_type,
# int ifi_index, __be16 res_id (nfgenmsg), IFLA_MTU / IFLA_VXLAN_ID u32.


@pytest.mark.parametrize(
    ("fixed", "fields", "text"),
    [
        (RTMSG, {"table": -1}, "rtmsg.table: -1 out of range 0..255"),
        (RTMSG, {"scope": 256}, "rtmsg.scope: 256 out of range 0..255"),
        (IFINFOMSG, {"type": 70000}, "ifinfomsg.type: 70000 out of range 0..65535"),
        (IFINFOMSG, {"index": 2**31}, "ifinfomsg.index: 2147483648 out of range -2147483648..2147483647"),
        (NFGENMSG, {"res_id": 1 << 16}, "nfgenmsg.res_id: 65536 out of range 0..65535"),  # the big-endian path
        (RTMSG, {"tos": "x"}, "rtmsg.tos: required argument is not an integer"),
    ],
)
def test_fixed_field_out_of_range_is_named(fixed: FixedStruct, fields: dict[str, Any], text: str) -> None:
    with pytest.raises(EncodeError) as err:
        fixed.pack(fixed.new(**fields))
    assert str(err.value) == text
    assert err.value.field == text.split(":")[0]


def test_header_value_out_of_range_names_the_message_not_the_protocol() -> None:
    with pytest.raises(EncodeError) as err:
        encode(Message(RTM.NEWROUTE, header=RTMSG.new(family=2, scope=999)))
    assert str(err.value) == "RTM_NEWROUTE: rtmsg.scope: 999 out of range 0..255"  # no "is Message.protocol right?"


def _link_with(info: dict[Any, Any]) -> Message:
    header = IFINFOMSG.new()
    return Message(RTM.NEWLINK, header=header,
                   attrs=Attrs(LINK_ATTRS, {IFLA.IFNAME: "x0", IFLA.LINKINFO: info}, header=header))


@pytest.mark.parametrize(
    ("info", "text"),
    [
        ({IFLA_INFO.KIND: "vxlan", IFLA_INFO.DATA: {IFLA_VXLAN.ID: 1 << 32}},
         "RTM_NEWLINK: attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]: u32: 4294967296"
         " out of range 0..4294967295"),
        ({IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {VETH_INFO.PEER: (IFINFOMSG.new(), {IFLA.MTU: -5})}},
         "RTM_NEWLINK: attrs[IFLA.LINKINFO][IFLA_INFO.DATA][VETH_INFO.PEER][IFLA.MTU]: u32: -5"
         " out of range 0..4294967295"),
        ({IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {VETH_INFO.PEER: (IFINFOMSG.new(index=1 << 31), {})}},
         "RTM_NEWLINK: attrs[IFLA.LINKINFO][IFLA_INFO.DATA][VETH_INFO.PEER]: ifinfomsg.index: 2147483648"
         " out of range -2147483648..2147483647"),
    ],
)
def test_attribute_out_of_range_is_named_by_its_path(info: dict[Any, Any], text: str) -> None:
    with pytest.raises(EncodeError) as err:
        encode(_link_with(info))
    assert str(err.value) == text
