"""Named test vectors for the schemas, each checked in both directions.

Bytes come from the nlmon captures in ../shared/captures/ (Linux 6.1, iproute2
6.1; frame numbers as tshark counts them, message index 0-based) unless a
comment says they are hand-computed. Expected values come from the commands
that produced the capture (NAME.commands.txt: setup and ``ip`` output), from
tshark's JSON, from the uapi headers, or from reading the bytes by hand --
never from nlwire's own output.
"""

from __future__ import annotations

import struct
from ipaddress import IPv4Address, IPv6Address

import pytest
from nlcaptures import message

from nlwire.codec import decode, encode
from nlwire.consts import (
    AF,
    CTRL_ATTR,
    IFA,
    IFLA,
    IFLA_BR,
    IFLA_BRPORT,
    IFLA_INFO,
    IFLA_MACVLAN,
    IFLA_VLAN,
    IFLA_VXLAN,
    INET_DIAG,
    NDA,
    NETLINK,
    NLM_F,
    RTA,
    RTAX,
    RTM,
    SOCK_DIAG,
    UNIX_DIAG,
    VETH_INFO,
)
from nlwire.messages import Message
from nlwire.wire import (
    ADDR_ATTRS,
    CTRL_ATTRS,
    GENLMSGHDR,
    IFADDRMSG,
    IFINFOMSG,
    LINK_ATTRS,
    LINKINFO_ATTRS,
    NDMSG,
    NEIGH_ATTRS,
    NLMSGHDR,
    ROUTE_ATTRS,
    RTMSG,
    Attrs,
    AttrSet,
)
from nlwire.wire import kinds as k
from nlwire.wire.registry import lookup
from nlwire.wire.scalars import Via


def hx(s: str) -> bytes:
    return bytes.fromhex("".join(s.split()))


def one(data: bytes, protocol: int = NETLINK.ROUTE) -> Message:
    (m,) = decode(data, protocol, strict=True)
    assert encode(m) == data
    return m


# ---------------------------------------------------------------------------- nlmsghdr

# veth-create.pcap frame 29, message 0: `ip link set lan0 mtu 1420` (lan0 is ifindex 32: `ip link show lan0`)
SET_MTU = hx("28000000 1000 0500 c0a1066b 00000000  00 00 0000 20000000 00000000 00000000  0800 0400 8c050000")


def test_nlmsghdr_both_ways() -> None:
    hdr = NLMSGHDR.unpack(SET_MTU, 0)
    # tshark: hdr_len 40, nltype 16, flags 0x0005 (request, ack), seq 1795596736, pid 0
    assert tuple(hdr) == (40, 16, 5, 1795596736, 0)
    assert NLMSGHDR.pack(NLMSGHDR.new(len=40, type=16, flags=5, seq=1795596736, pid=0)) == SET_MTU[:16]
    assert NLMSGHDR.fields == ("len", "type", "flags", "seq", "pid") and NLMSGHDR.size == 16


def test_set_mtu_both_ways() -> None:
    m = one(SET_MTU)
    assert (m.type, m.flags, m.seq, m.pid) == (RTM.NEWLINK, NLM_F.REQUEST | NLM_F.ACK, 1795596736, 0)
    assert tuple(m.header) == (0, 0, 32, 0, 0)
    assert m.attrs[IFLA.MTU] == m.attrs.mtu == m.attrs["IFLA_MTU"] == 1420
    built = Message(RTM.NEWLINK, NLM_F.REQUEST | NLM_F.ACK, 1795596736, 0, header=IFINFOMSG.new(index=32),
                    attrs=Attrs(LINK_ATTRS, {IFLA.MTU: 1420}))
    assert encode(built) == SET_MTU


def test_capture_bytes_are_what_the_literals_say() -> None:
    assert message("veth-create.pcap", 29) == SET_MTU
    assert message("veth-create.pcap", 3) == VETH_ADD
    assert message("veth-create.pcap", 33) == ADDR4_ADD
    assert message("veth-create.pcap", 37) == ADDR6_ADD
    assert message("ip-route-show.pcap", 18, 1) == ROUTE_METRICS
    assert message("ip-route-show.pcap", 9, 3) == ROUTE6_PREF
    assert message("ip6-route-multipath.pcap", 5) == ROUTE6_MULTIPATH
    assert message("monitor.pcap", 58) == NEIGH_ADD
    assert message("genl-ctrl.pcap", 2) == NLCTRL_FAMILY
    assert message("genl-ctrl.pcap", 12, 3) == FOU_POLICY_1


# ---------------------------------------------------------------------------- nlattr framing


def test_nla_flags_split_from_the_type() -> None:
    # hand-computed: NLA_F_NESTED (0x8000) nest holding a NLA_F_NET_BYTEORDER (0x4000) be16
    raw = hx("0c00 1280  0600 0f40 2118 0000")
    outer = Attrs.from_bytes(LINK_ATTRS, raw, 0, len(raw))
    ((entry, _),) = outer.entries()
    assert (entry.type, entry.flags, entry.offset, entry.length) == (IFLA.LINKINFO, 0x8000, 0, 12)
    inner = Attrs.from_bytes(LINKINFO_ATTRS, raw, 4, 12)
    ((entry, value),) = inner.entries()
    assert (entry.type, entry.flags, entry.offset, entry.length, value) == (15, 0x4000, 4, 6, b"\x21\x18")
    assert outer.encode() == raw  # flags kept for the round trip


def test_built_nests_carry_nla_f_nested() -> None:
    # nla_nest_start() semantics for nests nlwire builds: IFLA_LINKINFO = 0x12 | 0x8000
    a = Attrs(LINK_ATTRS, {IFLA.LINKINFO: {IFLA_INFO.KIND: "vlan"}})
    assert a.encode() == hx("1000 1280  0900 0100 766c616e 00 000000")


def test_unknown_attribute_kept_raw() -> None:
    raw = hx("0800 ff00 01020304  0600 fe00 aabb 0000")  # types 255 and 254: unknown to IFLA
    a = Attrs.from_bytes(LINK_ATTRS, raw, 0, len(raw))
    assert (a.get(255), a.get(254)) == (hx("01020304"), hx("aabb"))
    assert a.encode() == raw


# ---------------------------------------------------------------------------- kinds

OWNER = Attrs(LINK_ATTRS, {})


@pytest.mark.parametrize(("kind", "raw", "value"), [
    (k.u8, "ff", 255), (k.u16, "3412", 0x1234), (k.u32, "78563412", 0x12345678),
    (k.u64, "0807060504030201", 0x0102030405060708),
    (k.s8, "ff", -1), (k.s16, "feff", -2), (k.s32, "fdffffff", -3), (k.s64, "fcffffffffffffff", -4),
    (k.be16, "2118", 8472), (k.be32, "00000064", 100),
    (k.uint, "2a000000", 42), (k.uint, "0000000001000000", 1 << 32),
    (k.sint, "ffffffff", -1), (k.sint, "00000000ffffffff", -(1 << 32)),
    (k.string, "6c6f00", "lo"), (k.raw_string, "6c6f", "lo"), (k.binary, "0001", b"\x00\x01"),
    (k.flag, "", True), (k.hwaddr, "02005e100001", "02:00:5e:10:00:01"),
    (k.ipaddr, "0a7b0001", IPv4Address("10.123.0.1")),
    (k.ipaddr, "20010db8007b00000000000000000001", IPv6Address("2001:db8:7b::1")),
])
def test_kind_both_ways(kind: k.Kind, raw: str, value: object) -> None:
    data = bytes.fromhex(raw)
    assert kind.decode(data, 0, len(data), OWNER) == value
    assert kind.encode(value, OWNER) == data


def test_bitfield32_both_ways() -> None:
    # sw0's IFLA_BR_MULTI_BOOLOPT, ip-link-show.pcap frame 4 message 5: value 0, selector 7 (3 boolopts in 6.1)
    raw = hx("00000000 07000000")
    v = k.bitfield32.decode(raw, 0, 8, OWNER)
    assert (v.value, v.selector) == (0, 7)
    assert k.bitfield32.encode(k.bitfield32.fixed.new(value=0, selector=7), OWNER) == raw


def test_uint_sint_accept_short_widths_when_reading() -> None:
    assert k.uint.decode(b"\x05", 0, 1, OWNER) == 5
    assert k.sint.decode(b"\xfe\xff", 0, 2, OWNER) == -2


def test_struct_valued_stats64() -> None:
    # hand-computed rtnl_link_stats64: 25 u64 counters, counter i = i + 1 (204 bytes incl. header)
    payload = b"".join(struct.pack("=Q", i + 1) for i in range(25))
    raw = struct.pack("=HH", 204, IFLA.STATS64) + payload
    a = Attrs.from_bytes(LINK_ATTRS, raw, 0, len(raw))
    s = a[IFLA.STATS64]
    assert (s.rx_packets, s.tx_packets, s.rx_bytes, s.rx_nohandler, s.rx_otherhost_dropped) == (1, 2, 3, 24, 25)
    assert Attrs(LINK_ATTRS, {IFLA.STATS64: s}).encode() == raw


# ---------------------------------------------------------------------------- links

# veth-create.pcap frame 3, message 0: `ip link add lan0 type veth peer name lan1`
VETH_ADD = hx(
    "5c000000 1000 0506 c0a1066b 00000000  00 00 0000 00000000 00000000 00000000"
    "0900 0300 6c616e30 00 000000"             # IFLA_IFNAME "lan0"
    "3000 1200"                                 # IFLA_LINKINFO (iproute2: no NLA_F_NESTED)
    "  0800 0100 76657468"                      # IFLA_INFO_KIND "veth" (no NUL)
    "  2400 0200"                               # IFLA_INFO_DATA
    "    2000 0100 00 00 0000 00000000 00000000 00000000"  # VETH_INFO_PEER: ifinfomsg
    "    0900 0300 6c616e31 00 000000")         # + IFLA_IFNAME "lan1"


def test_veth_peer_both_ways() -> None:
    m = one(VETH_ADD)
    assert m.flags == NLM_F.REQUEST | NLM_F.ACK | NLM_F.EXCL | NLM_F.CREATE
    assert m.attrs.ifname == "lan0"
    info = m.attrs[IFLA.LINKINFO]
    assert info[IFLA_INFO.KIND] == "veth"
    peer = info[IFLA_INFO.DATA][VETH_INFO.PEER]
    assert tuple(peer.header) == (0, 0, 0, 0, 0)
    assert peer.attrs[IFLA.IFNAME] == "lan1"
    built = Message(RTM.NEWLINK, 0x605, 0x6B06A1C0, 0, header=IFINFOMSG.new(), attrs=Attrs(LINK_ATTRS, {
        IFLA.IFNAME: "lan0",
        IFLA.LINKINFO: {IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {VETH_INFO.PEER: ({}, {IFLA.IFNAME: "lan1"})}},
    }))
    # nlwire writes NLA_F_NESTED on the nest it builds and a NUL after "veth"; otherwise the same bytes
    expected = bytearray(VETH_ADD)
    expected[46:48] = struct.pack("=H", 0x8012)
    expected = expected[:48] + hx("0900 0100 76657468 00 000000") + expected[56:]
    expected[0:4] = struct.pack("=I", len(expected))
    expected[44:46] = struct.pack("=H", 4 + 12 + 36)  # IFLA_LINKINFO grows by the NUL and its pad
    assert encode(built) == bytes(expected)


# ip-link-show.pcap frame 4, message 6 (dm1.200), IFLA_LINKINFO; setup: `ip link add link dm1 name dm1.200
# type vlan id 200` -> 802.1Q (0x8100), REORDER_HDR on by default (flags 1, mask all ones)
VLAN_LINKINFO = hx(
    "3000 1200  0900 0100 766c616e 00 000000"
    "2000 0200  0600 0500 8100 0000  0600 0100 c800 0000  0c00 0200 01000000 ffffffff")


def test_vlan_linkinfo_both_ways() -> None:
    a = Attrs.from_bytes(LINK_ATTRS, VLAN_LINKINFO, 0, len(VLAN_LINKINFO))
    data = a[IFLA.LINKINFO][IFLA_INFO.DATA]
    assert a[IFLA.LINKINFO].kind == "vlan"
    assert (data[IFLA_VLAN.PROTOCOL], data[IFLA_VLAN.ID]) == (0x8100, 200)
    assert (data[IFLA_VLAN.FLAGS].flags, data[IFLA_VLAN.FLAGS].mask) == (1, 0xFFFFFFFF)
    assert a.encode() == VLAN_LINKINFO
    built = Attrs(LINKINFO_ATTRS, [(IFLA_INFO.KIND, "vlan"), (IFLA_INFO.DATA, [
        (IFLA_VLAN.PROTOCOL, 0x8100), (IFLA_VLAN.ID, 200), (IFLA_VLAN.FLAGS, {"flags": 1, "mask": 0xFFFFFFFF})])])
    assert built.encode() == VLAN_LINKINFO[4:]


# ip-link-show.pcap frame 4, message 8 (mvl0): `ip link add mvl0 link dm1 type macvlan mode private`
MACVLAN_LINKINFO = hx(
    "3c00 1200  0c00 0100 6d6163766c616e00"
    "2c00 0200  0800 0100 01000000  0600 0200 0000 0000  0800 0600 00000000"
    "0800 0700 e8030000  0800 0800 e8030000")


def test_macvlan_linkinfo_both_ways() -> None:
    a = Attrs.from_bytes(LINK_ATTRS, MACVLAN_LINKINFO, 0, len(MACVLAN_LINKINFO))
    data = a.linkinfo.data
    assert a.linkinfo.kind == "macvlan"
    assert data[IFLA_MACVLAN.MODE] == 1  # MACVLAN_MODE_PRIVATE (if_link.h)
    assert (data[IFLA_MACVLAN.MACADDR_COUNT], data[IFLA_MACVLAN.BC_QUEUE_LEN]) == (0, 1000)
    assert a.encode() == MACVLAN_LINKINFO


# ip-link-show.pcap frame 4, message 7 (vxl7), first attributes of IFLA_INFO_DATA; setup: `ip link add vxl7
# type vxlan id 7000 dstport 8472 local 172.20.0.1 dev dm1 ttl 16` (dm1 is ifindex 4)
VXLAN_DATA = hx(
    "0800 0100 581b0000  0800 0300 04000000  0800 0400 ac140001  0500 0500 10 000000"
    "0600 0f00 2118 0000")


def test_vxlan_data_both_ways() -> None:
    from nlwire.wire.rtnetlink import VXLAN_ATTRS

    a = Attrs.from_bytes(VXLAN_ATTRS, VXLAN_DATA, 0, len(VXLAN_DATA))
    assert (a[IFLA_VXLAN.ID], a[IFLA_VXLAN.LINK], a[IFLA_VXLAN.TTL]) == (7000, 4, 16)
    assert a[IFLA_VXLAN.LOCAL] == IPv4Address("172.20.0.1")
    assert a[IFLA_VXLAN.PORT] == 8472  # __be16
    built = Attrs(VXLAN_ATTRS, [(IFLA_VXLAN.ID, 7000), (IFLA_VXLAN.LINK, 4), (IFLA_VXLAN.LOCAL, "172.20.0.1"),
                                (IFLA_VXLAN.TTL, 16), (IFLA_VXLAN.PORT, 8472)])
    assert built.encode() == VXLAN_DATA


def test_vxlan_and_bridge_in_the_real_dump() -> None:
    (m,) = decode(message("ip-link-show.pcap", 4, 7), strict=True)
    assert m.attrs.ifname == "vxl7" and m.attrs.linkinfo.data.id == 7000
    (m,) = decode(message("ip-link-show.pcap", 4, 5), strict=True)
    br = m.attrs.linkinfo.data
    # setup: `ip link add sw0 type bridge stp_state 0 forward_delay 500`; `ip link show`: sw0 is 72:5f:a5:25:99:12
    assert (m.attrs.ifname, m.attrs.linkinfo.kind) == ("sw0", "bridge")
    assert (br[IFLA_BR.STP_STATE], br[IFLA_BR.FORWARD_DELAY], br[IFLA_BR.VLAN_PROTOCOL]) == (0, 500, 0x8100)
    assert br[IFLA_BR.PRIORITY] == 32768
    assert (br[IFLA_BR.ROOT_ID].prio, br[IFLA_BR.ROOT_ID].addr) == (0x8000, hx("725fa5259912"))
    assert br[IFLA_BR.GROUP_ADDR] == "01:80:c2:00:00:00"
    assert encode(m) == message("ip-link-show.pcap", 4, 5)


def test_bridge_port_slave_data() -> None:
    # ip-link-show.pcap frame 4, message 3: lan1 (`ip link set lan1 master sw0`; sw0 is ifindex 7)
    (m,) = decode(message("ip-link-show.pcap", 4, 3), strict=True)
    assert (m.attrs.ifname, m.attrs.master) == ("lan1", 7)
    info = m.attrs.linkinfo
    assert (info.kind, info.slave_kind) == ("veth", "bridge")
    port = info.slave_data
    assert port[IFLA_BRPORT.STATE] == 3  # BR_STATE_FORWARDING: stp off, port up
    assert port[IFLA_BRPORT.ROOT_ID].addr == hx("725fa5259912")  # the bridge's MAC
    built = Attrs(LINKINFO_ATTRS, [(IFLA_INFO.SLAVE_KIND, "bridge"),
                                   (IFLA_INFO.SLAVE_DATA, [(IFLA_BRPORT.STATE, 3), (IFLA_BRPORT.COST, 17)])])
    assert built.encode() == hx("0b00 0400 627269646765 00 00  1400 0500  0500 0100 03 000000  0800 0300 11000000")


def test_af_spec_and_ifinfomsg_of_lo() -> None:
    # ip-link-show.pcap frame 4, message 0: lo, ARPHRD_LOOPBACK (772), mtu 65536, qdisc noqueue, qlen 1000
    (m,) = decode(message("ip-link-show.pcap", 4, 0), strict=True)
    assert (m.header.type, m.header.index) == (772, 1)
    assert (m.attrs.ifname, m.attrs.mtu, m.attrs.qdisc, m.attrs.txqlen) == ("lo", 65536, "noqueue", 1000)
    spec = m.attrs[IFLA.AF_SPEC]
    assert set(spec) == {AF.INET, AF.INET6}
    assert spec[AF.INET6].cacheinfo.max_reasm_len == 65535
    assert m.attrs.stats64.rx_packets == 0 and m.attrs.map.irq == 0


def test_prop_list_alt_ifname_and_net_ns_fd() -> None:
    # hand-computed: RTM_NEWLINKPROP body attrs: IFLA_PROP_LIST { IFLA_ALT_IFNAME "uplink-alt" },
    # then IFLA_NET_NS_FD 5 (as `ip link set X netns NAME` sends it)
    raw = hx("1400 3480  0f00 3500 75706c696e6b2d616c7400 00  0800 1c00 05000000")
    a = Attrs.from_bytes(LINK_ATTRS, raw, 0, len(raw))
    assert a[IFLA.PROP_LIST].getall(IFLA.ALT_IFNAME) == ["uplink-alt"]
    assert a[IFLA.NET_NS_FD] == 5
    assert Attrs(LINK_ATTRS, {IFLA.PROP_LIST: {IFLA.ALT_IFNAME: "uplink-alt"}, IFLA.NET_NS_FD: 5}).encode() == raw


def test_net_ns_fd_in_a_real_request() -> None:
    # netns-move.pcap: `ip link set lan1 netns blue name uplink0` carries IFLA_NET_NS_FD and the new name
    from nlcaptures import records

    found = []
    for protocol, data in records("netns-move.pcap"):
        for m in decode(data, protocol, strict=True):
            if m.type == RTM.NEWLINK and m.attrs is not None and IFLA.NET_NS_FD in m.attrs:
                found.append(m)
    assert len(found) == 1
    assert found[0].attrs.ifname == "uplink0"


# ---------------------------------------------------------------------------- addresses

# veth-create.pcap frame 33: `ip addr add 10.123.0.1/25 dev lan0` (ifindex 32)
ADDR4_ADD = hx("28000000 1400 0506 c0a1066b 00000000  02 19 00 00 20000000"
               "0800 0200 0a7b0001  0800 0100 0a7b0001")
# veth-create.pcap frame 37: `ip -6 addr add 2001:db8:7b::1/64 dev lan0`
ADDR6_ADD = hx("40000000 1400 0506 c0a1066b 00000000  0a 40 00 00 20000000"
               "1400 0200 20010db8007b0000 0000000000000001  1400 0100 20010db8007b0000 0000000000000001")


@pytest.mark.parametrize(("raw", "family", "plen", "addr"), [
    (ADDR4_ADD, AF.INET, 25, IPv4Address("10.123.0.1")),
    (ADDR6_ADD, AF.INET6, 64, IPv6Address("2001:db8:7b::1")),
])
def test_ifaddrmsg_both_ways(raw: bytes, family: int, plen: int, addr: object) -> None:
    m = one(raw)
    assert (m.header.family, m.header.prefixlen, m.header.index) == (family, plen, 32)
    assert m.attrs[IFA.LOCAL] == m.attrs[IFA.ADDRESS] == addr
    built = Message(RTM.NEWADDR, 0x605, 0x6B06A1C0, 0, header=IFADDRMSG.new(family=family, prefixlen=plen, index=32),
                    attrs=Attrs(ADDR_ATTRS, [(IFA.LOCAL, str(addr)), (IFA.ADDRESS, addr)]))
    assert encode(built) == raw


def test_ifa_cacheinfo() -> None:
    # hand-computed struct ifa_cacheinfo { prefered 100, valid 200, cstamp 3, tstamp 4 }
    raw = hx("1400 0600 64000000 c8000000 03000000 04000000")
    a = Attrs.from_bytes(ADDR_ATTRS, raw, 0, len(raw))
    assert tuple(a.cacheinfo) == (100, 200, 3, 4)
    assert Attrs(ADDR_ATTRS, {IFA.CACHEINFO: {"prefered": 100, "valid": 200, "cstamp": 3, "tstamp": 4}}).encode() == raw


# ---------------------------------------------------------------------------- routes

# ip-route-show.pcap frame 18, message 1: `100.64.0.0/10 via 10.44.0.252 table 201 mtu 1400 advmss 1360`
ROUTE_METRICS = hx(
    "50000000 1800 2200 b9a1066b 3e010000  02 0a 00 00 c9 03 00 01 00000000"
    "0800 0f00 c9000000  0800 0100 64400000"
    "1400 0800  0800 0200 78050000  0800 0800 50050000"
    "0800 0500 0a2c00fc  0800 0400 1b000000")


def test_route_with_metrics_both_ways() -> None:
    m = one(ROUTE_METRICS)
    assert m.flags == NLM_F.MULTI | 0x20  # NLM_F_DUMP_FILTERED (0x20): ip asked for a table
    h = m.header
    assert (h.family, h.dst_len, h.table, h.protocol, h.type) == (AF.INET, 10, 201, 3, 1)  # RTPROT_BOOT, RTN_UNICAST
    a = m.attrs
    assert (a[RTA.TABLE], a[RTA.DST], a[RTA.GATEWAY]) == (201, IPv4Address("100.64.0.0"), IPv4Address("10.44.0.252"))
    assert (a[RTA.METRICS][RTAX.MTU], a[RTA.METRICS][RTAX.ADVMSS]) == (1400, 1360)
    built = Attrs(ROUTE_ATTRS, [(RTA.TABLE, 201), (RTA.DST, "100.64.0.0"),
                                (RTA.METRICS, [(RTAX.MTU, 1400), (RTAX.ADVMSS, 1360)]),
                                (RTA.GATEWAY, "10.44.0.252"), (RTA.OIF, 27)])
    expected = bytearray(ROUTE_METRICS[28:])
    expected[18:20] = struct.pack("=H", RTA.METRICS | 0x8000)  # nlwire's nests carry NLA_F_NESTED
    assert built.encode() == bytes(expected)
    assert RTMSG.pack(h) == ROUTE_METRICS[16:28]


# ip-route-show.pcap frame 9, message 3: `2001:db8:c00::/44 dev dm1 metric 2048 pref high`
ROUTE6_PREF = hx(
    "74000000 1800 2200 b9a1066b 3d010000  0a 2c 00 00 fe 03 00 01 00000000"
    "0800 0f00 fe000000  1400 0100 20010db80c0000000000000000000000"
    "0800 0600 00080000  0800 0400 1b000000"
    "2400 0c00 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000"
    "0500 1400 01 000000")


def test_route6_pref_and_cacheinfo() -> None:
    m = one(ROUTE6_PREF)
    a = m.attrs
    assert (a.dst, a.priority, a.oif) == (IPv6Address("2001:db8:c00::"), 2048, 27)
    assert a[RTA.PREF] == 1  # ICMPV6_ROUTER_PREF_HIGH (include/uapi/linux/icmpv6.h)
    assert tuple(a[RTA.CACHEINFO]) == (0,) * 8
    assert Attrs(ROUTE_ATTRS, {RTA.PREF: 1}).encode() == hx("0500 1400 01 000000")


# ip6-route-multipath.pcap frame 5: `ip -6 route add 2001:db8:f00::/48 nexthop via 2001:db8:1:1::fe dev dm1
# weight 1 nexthop via 2001:db8:1:2::fe dev dm2 weight 3` (rtnh_hops = weight - 1)
ROUTE6_MULTIPATH = hx(
    "6c000000 1800 0506 bda1066b 00000000  0a 30 00 00 fe 03 00 01 00000000"
    "1400 0100 20010db80f0000000000000000000000"
    "3c00 0900"
    "  1c00 00 00 1d000000  1400 0500 20010db8000100010000000000 0000fe"
    "  1c00 00 02 1e000000  1400 0500 20010db8000100020000000000 0000fe")


def test_route6_multipath_both_ways() -> None:
    m = one(ROUTE6_MULTIPATH)
    hops = m.attrs[RTA.MULTIPATH]
    assert [(h.header.hops, h.header.ifindex) for h in hops] == [(0, 29), (2, 30)]
    assert [h.attrs[RTA.GATEWAY] for h in hops] == [IPv6Address("2001:db8:1:1::fe"), IPv6Address("2001:db8:1:2::fe")]
    built = Attrs(ROUTE_ATTRS, [(RTA.DST, "2001:db8:f00::"), (RTA.MULTIPATH, [
        ({"hops": 0, "ifindex": 29}, {RTA.GATEWAY: "2001:db8:1:1::fe"}),
        ({"hops": 2, "ifindex": 30}, {RTA.GATEWAY: "2001:db8:1:2::fe"})])])
    assert built.encode() == ROUTE6_MULTIPATH[28:]


def test_rta_via() -> None:
    # hand-computed: IPv4 route via an IPv6 nexthop: struct rtvia { __kernel_sa_family_t family (u16); addr }
    raw = hx("1600 1200 0a00 fe800000000000000000000000000001 0000")
    a = Attrs.from_bytes(ROUTE_ATTRS, raw, 0, len(raw))
    assert a[RTA.VIA] == Via(10, IPv6Address("fe80::1"))
    assert Attrs(ROUTE_ATTRS, {RTA.VIA: a[RTA.VIA]}).encode() == raw


# ---------------------------------------------------------------------------- neighbours

# monitor.pcap frame 58: `ip neigh add 10.91.3.9 lladdr 02:aa:bb:cc:dd:09 dev ... ` (NUD_PERMANENT 0x80)
NEIGH_ADD = hx("30000000 1c00 0506 daa1066b 00000000  02 000000 39000000 8000 00 00"
               "0800 0100 0a5b0309  0a00 0200 02aabbccdd09 0000")


def test_ndmsg_both_ways() -> None:
    m = one(NEIGH_ADD)
    assert (m.header.family, m.header.ifindex, m.header.state) == (AF.INET, 57, 0x80)
    assert (m.attrs[NDA.DST], m.attrs[NDA.LLADDR]) == (IPv4Address("10.91.3.9"), "02:aa:bb:cc:dd:09")
    built = Message(RTM.NEWNEIGH, 0x605, m.seq, 0, header=NDMSG.new(family=2, ifindex=57, state=0x80),
                    attrs=Attrs(NEIGH_ATTRS, {NDA.DST: "10.91.3.9", NDA.LLADDR: "02:AA:BB:CC:DD:09"}))
    assert encode(built) == NEIGH_ADD


# ---------------------------------------------------------------------------- generic netlink

# genl-ctrl.pcap frame 2, message 0: CTRL_CMD_NEWFAMILY for nlctrl; `genl ctrl list` printed: ID 0x10,
# Version 0x2, header size 0, max attribs 0, ops 0x3 (caps 0xe) and 0xa (caps 0xc), group 0x10 "notify"
NLCTRL_FAMILY = hx(
    "88000000 1000 0200 d6a1066b 9d020000  01 02 0000"
    "0b00 0200 6e6c6374726c00 00  0600 0100 1000 0000  0800 0300 02000000"
    "0800 0400 00000000  0800 0500 00000000"
    "2c00 0600  1400 0100 0800 0100 03000000 0800 0200 0e000000"
    "           1400 0200 0800 0100 0a000000 0800 0200 0c000000"
    "1c00 0700  1800 0100 0800 0200 10000000 0b00 0100 6e6f7469667900 00")


def test_nlctrl_family_both_ways() -> None:
    m = one(NLCTRL_FAMILY, NETLINK.GENERIC)
    assert (m.header.cmd, m.header.version) == (1, 2)  # CTRL_CMD_NEWFAMILY
    a = m.attrs
    assert (a.family_name, a.family_id, a.version, a.hdrsize, a.maxattr) == ("nlctrl", 0x10, 2, 0, 0)
    assert [(op.id, op.flags) for op in a.ops] == [(3, 0xE), (0xA, 0xC)]
    assert [(g.id, g.name) for g in a.mcast_groups] == [(0x10, "notify")]
    built = Message(0x10, NLM_F.MULTI, m.seq, m.pid, header=GENLMSGHDR.new(cmd=1, version=2),
                    schema=lookup(NETLINK.GENERIC, 0x10, None, 1),
                    attrs=Attrs(CTRL_ATTRS, [
                        (CTRL_ATTR.FAMILY_NAME, "nlctrl"), (CTRL_ATTR.FAMILY_ID, 0x10), (CTRL_ATTR.VERSION, 2),
                        (CTRL_ATTR.HDRSIZE, 0), (CTRL_ATTR.MAXATTR, 0),
                        (CTRL_ATTR.OPS, [{"id": 3, "flags": 0xE}, {"id": 0xA, "flags": 0xC}]),
                        (CTRL_ATTR.MCAST_GROUPS, [[("id", 0x10), ("name", "notify")]])]))
    expected = bytearray(NLCTRL_FAMILY)
    # nlwire's own nests carry NLA_F_NESTED: OPS at offset 64, MCAST_GROUPS at 108
    expected[66:68] = struct.pack("=H", CTRL_ATTR.OPS | 0x8000)
    expected[110:112] = struct.pack("=H", CTRL_ATTR.MCAST_GROUPS | 0x8000)
    assert encode(built) == bytes(expected)


# genl-ctrl.pcap frame 12, message 3: CTRL_CMD_GETPOLICY dump reply for fou (id 0x23), policy 0 attr 1:
# NL_ATTR_TYPE_U16 (3), MIN_VALUE_U 0, MAX_VALUE_U 65535
FOU_POLICY_1 = hx(
    "48000000 1000 0200 d6a1066b a0020000  0a 02 0000"
    "0600 0100 2300 0000"
    "2c00 0880  2800 0080  2400 0180  0c00 0400 0000000000000000  0c00 0500 ffff000000000000"
    "0800 0100 03000000")


def test_policy_dump_both_ways() -> None:
    m = one(FOU_POLICY_1, NETLINK.GENERIC)
    assert m.header.cmd == 10 and m.attrs.family_id == 0x23
    pol = m.attrs[CTRL_ATTR.POLICY][0][1]
    assert (pol.type, pol.min_value_u, pol.max_value_u) == (3, 0, 65535)
    built = Attrs(CTRL_ATTRS, [(CTRL_ATTR.FAMILY_ID, 0x23), (CTRL_ATTR.POLICY, {0: {1: [
        ("min_value_u", 0), ("max_value_u", 65535), ("type", 3)]}})])
    assert built.encode() == FOU_POLICY_1[20:]


def test_genlmsghdr_both_ways() -> None:
    assert tuple(GENLMSGHDR.unpack(hx("0a020000"), 0)) == (10, 2)
    assert GENLMSGHDR.pack(GENLMSGHDR.new(cmd=3, version=1)) == hx("03010000")


def test_attr_set_names() -> None:
    assert LINK_ATTRS.type_of("mtu") == LINK_ATTRS.type_of("IFLA_MTU") == IFLA.MTU == 4
    assert (LINK_ATTRS.name_of(4), LINK_ATTRS.name_of(4, "kernel")) == ("IFLA.MTU", "IFLA_MTU")
    assert isinstance(LINK_ATTRS, AttrSet)


# ---------------------------------------------------------------------------- sock_diag

# ss-sock-diag.pcap (ss 6.1 on a Debian 6.1 kernel; values as tshark 4.0 reads them):
# frame 1, `ss -tan`'s request; frame 2, the first reply (busybox httpd listening on 127.0.0.1:9191);
# frame 19, /dev/log's unix_diag_msg; frame 22, a packet socket's packet_diag_msg
SD_INET_REQ = bytes.fromhex(
    "480000001400010340e201000000000002060000ff0f0000" + "00" * 48
)
SD_INET_MSG = bytes.fromhex(
    "7c0000001400020040e2010047030000020a000023e700007f000001000000000000000000000000000000000000000000000000"
    "0000000000000000010000000000000000000000000000000900000000000000a82c0000050008000000000008000f00000000000c00150001000000000000000600160052000000"
)
SD_UNIX_MSG = bytes.fromhex(
    "440000001400020040e201004e03000001020700ac2c000009000000000000000d0000002f6465762f6c6f67000000000c00040000"
    "000000000000000500060000000000"
)
SD_PACKET_REQ = bytes.fromhex("240000001400010340e201000000000011000000000000003d0000000000000000000000")


def test_sock_diag_capture_bytes_are_what_the_literals_say() -> None:
    assert message("ss-sock-diag.pcap", 1) == SD_INET_REQ
    assert message("ss-sock-diag.pcap", 2) == SD_INET_MSG
    assert message("ss-sock-diag.pcap", 19) == SD_UNIX_MSG
    assert message("ss-sock-diag.pcap", 21) == SD_PACKET_REQ


def test_sock_diag_body_is_chosen_by_family_and_direction() -> None:
    """One SOCK_DIAG_BY_FAMILY type, four bodies: the first body byte (sdiag_family) and
    NLM_F_REQUEST choose them (uapi inet_diag.h, unix_diag.h, packet_diag.h), when decoding
    and when encoding a message built without a schema."""
    (req,) = decode(SD_INET_REQ, NETLINK.SOCK_DIAG)
    assert req.schema is not None and req.schema.header is not None
    assert req.schema.header.name == "inet_diag_req_v2"
    assert (req.header.family, req.header.protocol, req.header.states) == (AF.INET, 6, 0xFFF)
    (reply,) = decode(SD_INET_MSG, NETLINK.SOCK_DIAG)
    h = reply.header
    assert reply.schema is not None and reply.schema.header is not None
    assert reply.schema.header.name == "inet_diag_msg"
    assert (h.state, h.sport, h.dport, h.cookie, h.wqueue, h.inode) == (10, 9191, 0, 1, 9, 11432)
    assert reply.schema.header.show("src", h.src) == "127.0.0.1"
    assert (reply.attrs[INET_DIAG.SHUTDOWN], reply.attrs[INET_DIAG.CGROUP_ID], reply.attrs[INET_DIAG.SOCKOPT]) == (
        0, 1, 0x52)
    (unix,) = decode(SD_UNIX_MSG, NETLINK.SOCK_DIAG)
    assert unix.schema is not None and unix.schema.header is not None
    assert unix.schema.header.name == "unix_diag_msg" and unix.header.ino == 11436
    assert unix.attrs[UNIX_DIAG.NAME] == "/dev/log\0"
    (pkt,) = decode(SD_PACKET_REQ, NETLINK.SOCK_DIAG)
    assert pkt.schema is not None and pkt.schema.header is not None
    assert pkt.schema.header.name == "packet_diag_req" and pkt.header.show == 0x3D
    for msg, raw in ((req, SD_INET_REQ), (reply, SD_INET_MSG), (unix, SD_UNIX_MSG), (pkt, SD_PACKET_REQ)):
        assert encode(msg) == raw
        # built anew, without a schema: the header's family and the flags choose the struct again
        assert encode(msg.replace(schema=None)) == raw
    assert lookup(NETLINK.SOCK_DIAG, SOCK_DIAG.BY_FAMILY).header is None  # the type alone: no body
