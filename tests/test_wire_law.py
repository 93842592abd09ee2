"""A first law: decode(encode(m)) == m for generated link, address and route messages.

Deliberately small strategies (a separate module will derive full ones from the
schemas); what is generated must round-trip exactly, and the bytes must be
stable under a second encode.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from hypothesis import given, settings
from hypothesis import strategies as st

from nlwire.codec import decode, encode
from nlwire.consts import AF, IFA, IFLA, IFLA_INFO, IFLA_VLAN, NETLINK, NLM_F, RTA, RTAX, RTM
from nlwire.messages import Message
from nlwire.wire import ADDR_ATTRS, IFADDRMSG, IFINFOMSG, LINK_ATTRS, ROUTE_ATTRS, RTMSG, Attrs

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
s32 = st.integers(-(1 << 31), (1 << 31) - 1)
name = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=15)
mac = st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":"))
v4 = st.integers(0, (1 << 32) - 1).map(IPv4Address)
v6 = st.integers(0, (1 << 128) - 1).map(IPv6Address)
nlhdr = st.tuples(st.sampled_from([0, NLM_F.REQUEST | NLM_F.ACK, NLM_F.MULTI, 0x605]), u32, u32)


def pairs(options: dict[int, st.SearchStrategy[object]]) -> st.SearchStrategy[list[tuple[int, object]]]:
    keys = st.lists(st.sampled_from(sorted(options)), unique=True, max_size=len(options))
    return keys.flatmap(lambda ks: st.tuples(*(options[k] for k in ks)).map(lambda vs: list(zip(ks, vs, strict=True))))


linkinfo = st.one_of(
    st.just([(IFLA_INFO.KIND, "veth")]),
    st.tuples(st.integers(0, 4094), st.sampled_from([0x8100, 0x88A8])).map(
        lambda t: [(IFLA_INFO.KIND, "vlan"), (IFLA_INFO.DATA, [(IFLA_VLAN.ID, t[0]), (IFLA_VLAN.PROTOCOL, t[1])])]),
)
link_attrs = pairs({
    IFLA.IFNAME: name, IFLA.MTU: u32, IFLA.ADDRESS: mac, IFLA.OPERSTATE: u8, IFLA.TXQLEN: u32,
    IFLA.LINK_NETNSID: s32, IFLA.IFALIAS: name, IFLA.LINKINFO: linkinfo, IFLA.CARRIER: u8,
    IFLA.PROP_LIST: st.lists(name, min_size=1, max_size=3).map(lambda ns: [(IFLA.ALT_IFNAME, n) for n in ns]),
})


@st.composite
def link_msg(draw: st.DrawFn) -> Message:
    flags, seq, pid = draw(nlhdr)
    hdr = IFINFOMSG.new(family=draw(st.sampled_from([0, AF.INET, AF.INET6])), type=draw(u16),
                        index=draw(s32), flags=draw(u32), change=draw(u32))
    mtype = draw(st.sampled_from([RTM.NEWLINK, RTM.DELLINK, RTM.GETLINK, RTM.SETLINK]))
    return Message(mtype, flags, seq, pid, header=hdr, attrs=Attrs(LINK_ATTRS, draw(link_attrs), header=hdr),
                   protocol=NETLINK.ROUTE)


@st.composite
def addr_msg(draw: st.DrawFn) -> Message:
    flags, seq, pid = draw(nlhdr)
    six = draw(st.booleans())
    ip = v6 if six else v4
    hdr = IFADDRMSG.new(family=AF.INET6 if six else AF.INET, prefixlen=draw(st.integers(0, 128 if six else 32)),
                        flags=draw(u8), scope=draw(u8), index=draw(u32))
    attrs = draw(pairs({IFA.ADDRESS: ip, IFA.LOCAL: ip, IFA.LABEL: name, IFA.FLAGS: u32, IFA.BROADCAST: ip}))
    return Message(draw(st.sampled_from([RTM.NEWADDR, RTM.DELADDR])), flags, seq, pid, header=hdr,
                   attrs=Attrs(ADDR_ATTRS, attrs, header=hdr), protocol=NETLINK.ROUTE)


@st.composite
def route_msg(draw: st.DrawFn) -> Message:
    flags, seq, pid = draw(nlhdr)
    six = draw(st.booleans())
    ip = v6 if six else v4
    hdr = RTMSG.new(family=AF.INET6 if six else AF.INET, dst_len=draw(st.integers(0, 128 if six else 32)),
                    table=draw(u8), protocol=draw(u8), scope=draw(u8), type=draw(u8), flags=draw(u32))
    metrics = pairs({RTAX.MTU: u32, RTAX.ADVMSS: u32, RTAX.HOPLIMIT: u32})
    # rtnh_len = sizeof(struct rtnexthop) 8 + RTA_GATEWAY (4 + 4 or 4 + 16)
    hop_len = 8 + (20 if six else 8)
    multipath = st.lists(st.tuples(u8, st.integers(0, (1 << 31) - 1), ip), min_size=1, max_size=3).map(
        lambda hs: [({"len": hop_len, "hops": h, "ifindex": i}, {RTA.GATEWAY: g}) for h, i, g in hs])
    attrs = draw(pairs({RTA.DST: ip, RTA.GATEWAY: ip, RTA.OIF: u32, RTA.PRIORITY: u32, RTA.TABLE: u32,
                        RTA.PREF: u8, RTA.METRICS: metrics, RTA.MULTIPATH: multipath, RTA.PREFSRC: ip}))
    return Message(RTM.NEWROUTE, flags, seq, pid, header=hdr, attrs=Attrs(ROUTE_ATTRS, attrs, header=hdr),
                   protocol=NETLINK.ROUTE)


@settings(max_examples=300, deadline=None)
@given(st.one_of(link_msg(), addr_msg(), route_msg()))
def test_decode_encode_law(m: Message) -> None:
    raw = encode(m)
    (back,) = decode(raw, NETLINK.ROUTE, strict=True)
    assert back == m
    assert encode(back) == raw


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(link_msg(), addr_msg(), route_msg()), min_size=1, max_size=5))
def test_datagram_of_several_messages(ms: list[Message]) -> None:
    from nlwire.codec import encode_many

    assert decode(encode_many(ms), NETLINK.ROUTE, strict=True) == ms


def test_multipath_len_is_computed_not_compared() -> None:
    hdr = RTMSG.new(family=AF.INET, dst_len=24)
    m = Message(RTM.NEWROUTE, 0, 1, 0, header=hdr, protocol=NETLINK.ROUTE, attrs=Attrs(ROUTE_ATTRS, [
        (RTA.MULTIPATH, [({"ifindex": 3}, {RTA.GATEWAY: "10.0.0.1"})])], header=hdr))
    (back,) = decode(encode(m), NETLINK.ROUTE, strict=True)
    assert back == m
