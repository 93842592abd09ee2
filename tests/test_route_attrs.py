"""Route attributes beyond the basics, against the kernel in a private namespace with
``ip -j -d`` as the oracle: lightweight-tunnel encapsulation (RTA_ENCAP / NHA_ENCAP, read
by their ENCAP_TYPE sibling) and next hops in the other address family (RTA_VIA). What the
kernel dumps decodes to what iproute2 prints, what nlwire encodes the kernel accepts and
iproute2 reads back, and the dissector shows the attributes (tshark prints RTA_ENCAP as
one opaque blob)."""

from __future__ import annotations

import ipaddress
import json
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dissect.netlink import Dissector, Style, read_records
from nlwire.consts import AF, LWTUNNEL_ENCAP, LWTUNNEL_IP, LWTUNNEL_IP6, NHA, NLM_F, RT_SCOPE, RTA, RTM, RTN, RTPROT
from nlwire.errors import DecodeError, EncodeError
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import NHMSG, ROUTE_ATTRS, RTMSG
from nlwire.wire.scalars import Via
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.test_dissect_render import fast_path, node_path

pytestmark = [needs_root, needs_ip]

_SETUP = (
    "link add t0 type veth peer name t1", "link set t0 up", "link set t1 up", "addr add 10.0.0.1/24 dev t0",
    "route add 10.9.0.0/24 encap ip id 5 dst 1.2.3.4 ttl 9 tos 4 dev t0",
    "route add 10.8.0.0/24 encap ip6 id 7 dst fd00::9 hoplimit 3 tc 2 dev t0",
    "nexthop add id 3 encap ip id 11 dst 5.6.7.8 ttl 2 dev t0",
)

_FIELDS = {
    LWTUNNEL_ENCAP.IP: ("ID", "DST", "SRC", "TTL", "TOS"),
    LWTUNNEL_ENCAP.IP6: ("ID", "DST", "SRC", "HOPLIMIT", "TC"),
}
"""The tunnel fields iproute2 prints (lower-cased), per encapsulation."""


def ip_pairs(ns: str, *args: str) -> list[list[tuple[str, Any]]]:
    """``ip -j`` output with every key kept in order: a route with an encapsulation has
    two "dst" (its own, then the tunnel's) and a nexthop two "id"."""
    out = subprocess.run(["ip", "-n", ns, "-j", *args], check=True, capture_output=True, text=True).stdout
    entries: list[list[tuple[str, Any]]] = json.loads(out, object_pairs_hook=list)
    return entries


def _encap_of_ip(pairs: list[tuple[str, Any]]) -> tuple[str, dict[str, Any]]:
    """(the route's dst or the nexthop's id, the encap fields iproute2 prints after
    ``encap``, under nlwire's names)."""
    keys = [k for k, _ in pairs]
    at = keys.index("encap")
    after = dict(pairs[at + 1:])
    kind = LWTUNNEL_ENCAP.IP if pairs[at][1] == "ip" else LWTUNNEL_ENCAP.IP6
    before = dict(pairs[:at])
    own = before["id"] if keys[0] == "id" else before["dst"]
    return str(own), {"type": kind, **{f: after[f.lower()] for f in _FIELDS[kind]}}


def _encap_of_ours(attrs: Attrs, encap: int, encap_type: int) -> dict[str, Any]:
    kind = attrs.get(encap_type)
    names = LWTUNNEL_IP if kind == LWTUNNEL_ENCAP.IP else LWTUNNEL_IP6
    nest = attrs.get(encap)
    out: dict[str, Any] = {"type": kind}
    for name in _FIELDS[kind]:
        value = nest.get(names[name])
        out[name] = str(value) if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else value
    return out


def test_dumped_encapsulations_decode_as_iproute2_prints_them(netns: str, tmp_path: Path) -> None:
    for line in _SETUP:
        ip(netns, *line.split())
    pcap = tmp_path / "tap.pcap"
    with Rtnl(netns=netns, capture=str(pcap)) as rt:
        routes = [m for m in rt.socket.dump(Message(RTM.GETROUTE, header=RTMSG.new(family=AF.INET)))
                  if m.attrs is not None and RTA.ENCAP in m.attrs]
        hops = list(rt.socket.dump(Message(RTM.GETNEXTHOP, header=NHMSG.new(family=AF.UNSPEC))))
    oracle = dict(_encap_of_ip(r) for r in ip_pairs(netns, "-d", "route", "show") if ("encap", "ip") in r
                  or ("encap", "ip6") in r)
    assert len(oracle) == 2
    ours = {f"{m.attrs.get(RTA.DST)}/{m.header.dst_len}": _encap_of_ours(m.attrs, RTA.ENCAP, RTA.ENCAP_TYPE)
            for m in routes}
    assert ours == oracle
    [hop] = [m for m in hops if m.attrs.get(NHA.ID) == 3]
    [nh] = ip_pairs(netns, "-d", "nexthop", "show", "id", "3")
    assert {"3": _encap_of_ours(hop.attrs, NHA.ENCAP, NHA.ENCAP_TYPE)} == dict([_encap_of_ip(nh)])
    # the dissector names every tunnel attribute, in text and in JSON
    dis = Dissector()
    text = "".join(dis.render(list(read_records(str(pcap))), "text"))
    for line in ("LWTUNNEL_IP_DST: 1.2.3.4", "LWTUNNEL_IP_TTL: 9", "LWTUNNEL_IP6_DST: fd00::9",
                 "LWTUNNEL_IP6_HOPLIMIT: 3", "RTA_ENCAP_TYPE: IP6 (4)", "LWTUNNEL_IP_DST: 5.6.7.8"):
        assert line in text, line
    records = list(read_records(str(pcap)))
    for mode in ("text", "json", "summary"):  # the fast renderers agree with the node tree here too
        assert fast_path(records * 12, mode, Style(False)) == node_path(records * 12, mode, Style(False))
    json_text = "".join(Dissector().render(list(read_records(str(pcap))), "json"))
    assert '"name":"LWTUNNEL_IP6_DST","value":"fd00::9"' in json_text.replace(" ", "")


def test_an_encapsulation_nlwire_encodes_is_what_the_kernel_installs(netns: str) -> None:
    ip(netns, "link", "add", "t0", "type", "veth", "peer", "name", "t1")
    ip(netns, "link", "set", "t0", "up")
    with Rtnl(netns=netns) as rt:
        index = rt.link("t0").index
        for dst, encap_type, encap in (
            ("10.5.0.0", LWTUNNEL_ENCAP.IP, {LWTUNNEL_IP.ID: 42, LWTUNNEL_IP.DST: ipaddress.ip_address("9.9.9.9"),
                                             LWTUNNEL_IP.TTL: 7, LWTUNNEL_IP.TOS: 8}),
            ("10.4.0.0", LWTUNNEL_ENCAP.IP6, {LWTUNNEL_IP6.ID: 1 << 40,
                                              LWTUNNEL_IP6.DST: ipaddress.ip_address("fd00::42"),
                                              LWTUNNEL_IP6.HOPLIMIT: 5, LWTUNNEL_IP6.TC: 1}),
        ):
            header = RTMSG.new(family=AF.INET, dst_len=24, table=254, protocol=RTPROT.STATIC,
                               scope=RT_SCOPE.LINK, type=RTN.UNICAST)
            attrs = Attrs(ROUTE_ATTRS, {RTA.DST: ipaddress.ip_address(dst), RTA.OIF: index,
                                        RTA.ENCAP_TYPE: encap_type, RTA.ENCAP: encap}, header=header)
            rt.socket.request(Message(RTM.NEWROUTE, flags=NLM_F.CREATE | NLM_F.EXCL, header=header, attrs=attrs))
    got = dict(_encap_of_ip(r) for r in ip_pairs(netns, "-d", "route", "show") if ("encap", "ip") in r
               or ("encap", "ip6") in r)
    assert got == {
        "10.5.0.0/24": {"type": LWTUNNEL_ENCAP.IP, "ID": 42, "DST": "9.9.9.9", "SRC": "0.0.0.0", "TTL": 7, "TOS": 8},
        "10.4.0.0/24": {"type": LWTUNNEL_ENCAP.IP6, "ID": 1 << 40, "DST": "fd00::42", "SRC": "::", "HOPLIMIT": 5,
                        "TC": 1},
    }


def test_a_next_hop_in_the_other_family_both_ways(netns: str) -> None:
    ip(netns, "link", "add", "t0", "type", "veth", "peer", "name", "t1")
    ip(netns, "link", "set", "t0", "up")
    ip(netns, "route", "add", "10.3.0.0/24", "via", "inet6", "fe80::1", "dev", "t0")
    with Rtnl(netns=netns) as rt:
        index = rt.link("t0").index
        header = RTMSG.new(family=AF.INET, dst_len=24, table=254, protocol=RTPROT.STATIC, type=RTN.UNICAST)
        attrs = Attrs(ROUTE_ATTRS, {RTA.DST: ipaddress.ip_address("10.4.0.0"), RTA.OIF: index,
                                    RTA.VIA: "fe80::2"}, header=header)
        rt.socket.request(Message(RTM.NEWROUTE, flags=NLM_F.CREATE | NLM_F.EXCL, header=header, attrs=attrs))
        dumped = {str(m.attrs.get(RTA.DST)): m.attrs.get(RTA.VIA)
                  for m in rt.socket.dump(Message(RTM.GETROUTE, header=RTMSG.new(family=AF.INET)))}
        routes = {str(r.dst): r for r in rt.routes(AF.INET)}
    oracle = {r["dst"]: r["via"] for r in ip_json(netns, "route", "show")}  # no key twice here
    assert oracle == {"10.3.0.0/24": {"family": "inet6", "host": "fe80::1"},
                      "10.4.0.0/24": {"family": "inet6", "host": "fe80::2"}}
    assert dumped == {"10.3.0.0": Via(10, ipaddress.ip_address("fe80::1")),
                      "10.4.0.0": Via(10, ipaddress.ip_address("fe80::2"))}
    # the typed result carries it as the gateway
    assert routes["10.3.0.0/24"].gateway == ipaddress.ip_address("fe80::1")
    assert routes["10.4.0.0/24"].gateway == ipaddress.ip_address("fe80::2") and routes["10.4.0.0/24"].oif == index


def test_rtvia_values() -> None:
    kind = ROUTE_ATTRS.kind(RTA.VIA)
    for value, wire, shown in (
        ("fe80::1", struct.pack("=H", 10) + ipaddress.ip_address("fe80::1").packed, "inet6 fe80::1"),
        (ipaddress.ip_address("10.0.0.1"), struct.pack("=H", 2) + bytes([10, 0, 0, 1]), "inet 10.0.0.1"),
        ((28, b"\x00\x01\x41\x00"), struct.pack("=H", 28) + b"\x00\x01\x41\x00", "family 28 00:01:41:00"),
        ((10, b"\x01\x02"), struct.pack("=H", 10) + b"\x01\x02", "inet6 01:02"),  # a short address stays bytes
    ):
        body = Attrs(ROUTE_ATTRS, {RTA.VIA: value}).encode()
        assert body[4:4 + len(wire)] == wire
        got = Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body)).get(RTA.VIA)
        assert kind.show(got) == shown
        assert Attrs(ROUTE_ATTRS, {RTA.VIA: got}).encode() == body  # what decodes, encodes back
    with pytest.raises(EncodeError):
        Attrs(ROUTE_ATTRS, {RTA.VIA: "not an address"}).encode()
    # (family, bytes) of an AF_INET / AF_INET6 address: held as the address, as decode
    # gives it (hypothesis found Via(2, b"\0\0\0\0") decoding to Via(2, IPv4Address("0.0.0.0")))
    for family, raw, address in ((2, bytes(4), "0.0.0.0"), (10, ipaddress.ip_address("fe80::9").packed, "fe80::9")):
        attrs = Attrs(ROUTE_ATTRS, {RTA.VIA: (family, raw)})
        assert attrs.get(RTA.VIA) == Via(family, ipaddress.ip_address(address))
        body = attrs.encode()
        assert body[4 : 6 + len(raw)] == struct.pack("=H", family) + raw
        assert Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body)).materialize() == attrs
    short = struct.pack("=HH", 5, RTA.VIA) + b"\x0a\x00\x00\x00"
    with pytest.raises(DecodeError, match="rtvia needs 2 bytes"):
        Attrs.from_bytes(ROUTE_ATTRS, short, 0, len(short), eager=True)
