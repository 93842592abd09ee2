"""nlwire.rtnl against the kernel, in a private namespace per test, with iproute2
(``ip -n NS -j ...``) as the oracle."""

from __future__ import annotations

import errno
import io
import shutil
import struct
import subprocess
import sys
from typing import Any

import pytest
from nlcaptures import pcap_records

from nlwire.codec import decode, encode
from nlwire.consts import (
    AF,
    BR_STATE,
    BRIDGE_VLAN_INFO,
    BRIDGE_VLANDB,
    BRIDGE_VLANDB_ENTRY,
    IFA,
    IFLA,
    IFLA_INFO,
    IFLA_VLAN,
    NLM_F,
    RT_SCOPE,
    RTM,
    RTN,
)
from nlwire.errors import EncodeError, Exists, NetlinkError, NotFound
from nlwire.messages import Message
from nlwire.netns import temporary_netns
from nlwire.rtnl import Link, Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.nla import scan_attrs
from nlwire.wire.rtnetlink import ADDR_ATTRS, IFADDRMSG, VLANDB_ATTRS
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

pytestmark = [needs_root, needs_ip]

_PROTO = {"kernel": 2, "boot": 3, "static": 4}
_SCOPE = {"global": 0, "universe": 0, "link": 253, "host": 254}


def _requests(capture: bytes) -> list[Message]:
    """Every request (NLM_F_REQUEST) recorded by the capture tap."""
    return [m for _protocol, datagram in pcap_records(capture, "tap") for m in decode(datagram)
            if m.flags & NLM_F.REQUEST]


def _setup(ns: str) -> None:
    """Some state made the iproute2 way, for the listing oracles."""
    for cmd in (
        "link add o0 type veth peer name o1",
        "link add obr type bridge",
        "link set o0 master obr",
        "link set o0 up", "link set o1 up", "link set obr up", "link set lo up",
        "link set o1 mtu 1400",
        "addr add 10.20.0.1/24 dev o1",
        "addr add 10.20.0.7/24 dev o1 label o1:x",
        "addr add 10.30.0.1 peer 10.30.0.2/32 dev obr",
        "addr add fd00:20::1/64 dev o1 nodad",
        "route add 10.40.0.0/16 via 10.20.0.254",
        "route add 10.41.0.0/16 dev o1 metric 7",
        "route add default via 10.20.0.253",
        "-6 route add fd00:99::/64 via fd00:20::fe",
    ):
        ip(ns, *cmd.split())


def test_links_equal_ip_link(netns: str) -> None:
    _setup(netns)
    with Rtnl(netns=netns) as rt:
        ours = {link.name: link for link in rt.links()}
        streamed = [link.name for link in rt.iter_links()]
    oracle = ip_json(netns, "-d", "link", "show")
    assert sorted(ours) == sorted(streamed) == sorted(o["ifname"] for o in oracle)
    by_index = {link.index: link.name for link in ours.values()}
    for o in oracle:
        link = ours[o["ifname"]]
        assert link.index == o["ifindex"]
        assert link.mtu == o["mtu"]
        assert link.up == ("UP" in o["flags"])
        assert link.operstate == o["operstate"]
        assert link.address == o.get("address")
        assert link.txqlen == o.get("txqlen")
        assert link.kind == o.get("linkinfo", {}).get("info_kind")
        assert link.slave_kind == o.get("linkinfo", {}).get("info_slave_kind")
        assert (by_index.get(link.master) if link.master else None) == o.get("master")
        if o.get("link"):
            assert by_index[link.link] == o["link"]  # type: ignore[index]


def test_addresses_equal_ip_addr(netns: str) -> None:
    _setup(netns)
    with Rtnl(netns=netns) as rt:
        ours = {(a.index, str(a.address), a.prefixlen, a.label, a.scope, str(a.peer) if a.peer else None)
                for a in rt.addresses()}
        only_v4 = rt.addresses(AF.INET, dev="o1")
    oracle = set()
    for link in ip_json(netns, "addr", "show"):
        for a in link["addr_info"]:
            oracle.add((link["ifindex"], a["local"], a["prefixlen"], a.get("label"), _SCOPE[a["scope"]],
                        a.get("address")))
    assert ours == oracle
    assert sorted(str(a.interface) for a in only_v4) == ["10.20.0.1/24", "10.20.0.7/24"]


def _route_key(r: Any, names: dict[int, str]) -> tuple[Any, ...]:
    dst = "default" if r.dst.prefixlen == 0 else (
        str(r.dst.network_address) if r.dst.prefixlen == r.dst.max_prefixlen else str(r.dst))
    return (dst, names.get(r.oif), str(r.gateway) if r.gateway else None, str(r.prefsrc) if r.prefsrc else None,
            r.priority, r.protocol, r.scope)


def _oracle_routes(ns: str, *args: str) -> set[tuple[Any, ...]]:
    out = set()
    for r in ip_json(ns, *args, "route", "show"):
        out.add((r["dst"], r.get("dev"), r.get("gateway"), r.get("prefsrc"), r.get("metric"),
                 _PROTO.get(r.get("protocol", "boot"), r.get("protocol")), _SCOPE[r.get("scope", "global")]))
    return out


def test_routes_equal_ip_route(netns: str) -> None:
    _setup(netns)
    with Rtnl(netns=netns) as rt:
        names = {link.index: link.name for link in rt.links()}
        v4 = {_route_key(r, names) for r in rt.routes(AF.INET)}
        v6 = {_route_key(r, names) for r in rt.routes(AF.INET6)}
        everything = rt.routes(table=None)
    assert v4 == _oracle_routes(netns)
    assert v6 == _oracle_routes(netns, "-6")
    assert {r.table for r in everything} >= {254, 255}  # main and local


def test_veth_bridge_master_and_stp(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        veth = rt.add_veth("va", "vb", mtu=1400)
        assert isinstance(veth, Link) and veth.kind == "veth" and veth.mtu == 1400
        br = rt.add_bridge("br0", stp=True)
        rt.add_bridge("br1")
        rt.set_link("va", master="br0", up=True)
        rt.set_link("br0", up=True, mtu=1300)
        assert rt.link("va").master == br.index
    links = {o["ifname"]: o for o in ip_json(netns, "-d", "link", "show")}
    assert links["va"]["master"] == "br0"
    assert links["vb"]["link"] == "va" and links["vb"]["mtu"] == 1400
    assert links["br0"]["linkinfo"]["info_data"]["stp_state"] == 1
    assert links["br1"]["linkinfo"]["info_data"]["stp_state"] == 0
    assert "UP" in links["br0"]["flags"] and links["br0"]["mtu"] == 1300
    with Rtnl(netns=netns) as rt:
        rt.set_link("va", nomaster=True)
        assert rt.link("va").master is None
    assert "master" not in ip_json(netns, "link", "show", "va")[0]


def test_vxlan_and_macvlan(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("p0", "p1")
        rt.add_link("vx0", "vxlan", id=42, port=4789)
        rt.add_link("mv0", "macvlan", link="p0", mode=4)  # MACVLAN_MODE_BRIDGE
        assert rt.link("mv0").link == rt.link("p0").index
    links = {o["ifname"]: o for o in ip_json(netns, "-d", "link", "show")}
    assert links["vx0"]["linkinfo"]["info_data"]["id"] == 42
    assert links["vx0"]["linkinfo"]["info_data"]["port"] == 4789
    assert links["mv0"]["linkinfo"]["info_data"]["mode"] == "bridge"
    assert links["mv0"]["link"] == "p0"


def test_netns_move_and_rename_in_one_request(netns: str) -> None:
    tap = io.BytesIO()
    with temporary_netns("nlwire-test-") as other:
        with Rtnl(netns=netns, capture=tap) as rt:
            rt.add_veth("mv-a", "mv-b")
            rt.set_link("mv-a", netns=other, new_name="eth0")
            rt.add_veth("pa", "pb", peer_netns=other)
            names = {link.name for link in rt.links()}
        assert "mv-a" not in names and "eth0" not in names and "pa" in names and "pb" not in names
        there = {o["ifname"]: o for o in ip_json(other, "link", "show")}
        assert "eth0" in there and "pb" in there
        moves = [m for m in _requests(tap.getvalue()) if m.type == RTM.NEWLINK and m.attrs is not None
                 and IFLA.NET_NS_FD in m.attrs]
        assert len(moves) == 1
        assert moves[0].attrs is not None and moves[0].attrs[IFLA.IFNAME] == "eth0"


def test_delete_link(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("d0", "d1")
        assert rt.delete_link("d0") is True
        assert rt.delete_link("d0", missing_ok=True) is False  # ENODEV is success when missing_ok
        with pytest.raises(NotFound):
            rt.delete_link("d0")
    assert [o["ifname"] for o in ip_json(netns, "link", "show")] == ["lo"]


def test_addresses_add_delete(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("a0", "a1")
        rt.add_address("a0", "10.5.0.2/24", broadcast=True, label="a0:lbl")
        rt.add_address("a0", "fd00:5::2/64")
        with pytest.raises(Exists):
            rt.add_address("a0", "10.5.0.2/24")
        rt.add_address("a0", "10.5.0.2/24", replace=True)
        got = ip_json(netns, "addr", "show", "a0")[0]["addr_info"]
        v4 = [a for a in got if a["family"] == "inet"]
        assert [(a["local"], a["prefixlen"], a["broadcast"], a["label"]) for a in v4] == [
            ("10.5.0.2", 24, "10.5.0.255", "a0:lbl")]
        assert any(a["local"] == "fd00:5::2" for a in got)
        assert rt.delete_address("a0", "10.5.0.2/24")
        assert rt.delete_address("a0", "10.5.0.2/24", missing_ok=True) is False
        with pytest.raises(NotFound):
            rt.delete_address("a0", "10.5.0.2/24")
    assert not [a for a in ip_json(netns, "addr", "show", "a0")[0]["addr_info"] if a["family"] == "inet"]


def test_route_jobs(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("r0", "r1")
        rt.set_link("r0", up=True)
        rt.set_link("r1", up=True)
        rt.add_address("r0", "10.6.0.1/24")
        rt.add_address("r0", "fd00:6::1/64")
        rt.add_route("10.7.0.0/16", dev="r0")  # only a device: link scope
        rt.add_route("default", gateway="10.6.0.254")
        rt.add_route("::/0", gateway="fd00:6::fe", dev="r0")
        rt.add_route("10.8.0.0/16", gateway="10.6.0.250", src="10.6.0.1", metric=50, table=100)
        with pytest.raises(Exists):
            rt.add_route("10.7.0.0/16", dev="r0")
        rt.add_route("10.7.0.0/16", dev="r1", replace=True)  # NLM_F_REPLACE|CREATE
        v4 = {r["dst"]: r for r in ip_json(netns, "route", "show")}
        assert v4["10.7.0.0/16"]["dev"] == "r1" and v4["10.7.0.0/16"]["scope"] == "link"
        assert v4["default"]["gateway"] == "10.6.0.254"
        v6 = {r["dst"]: r for r in ip_json(netns, "-6", "route", "show")}
        assert v6["default"]["gateway"] == "fd00:6::fe"
        t100 = ip_json(netns, "route", "show", "table", "100")
        assert [(r["dst"], r["gateway"], r["prefsrc"], r["metric"]) for r in t100] == [
            ("10.8.0.0/16", "10.6.0.250", "10.6.0.1", 50)]
        ours = {str(r.dst): r for r in rt.routes(table=100)}
        assert ours["10.8.0.0/16"].priority == 50 and ours["10.8.0.0/16"].table == 100
        ours_main = {str(r.dst): r for r in rt.routes(AF.INET)}
        assert ours_main["10.7.0.0/16"].scope == RT_SCOPE.LINK and ours_main["10.7.0.0/16"].type == RTN.UNICAST
        assert ours_main["0.0.0.0/0"].is_default
        rt.delete_route("0.0.0.0/0")
        rt.delete_route("10.8.0.0/16", table=100)
        assert rt.delete_route("10.8.0.0/16", table=100, missing_ok=True) is False
        with pytest.raises(NotFound):
            rt.delete_route("10.9.0.0/16")
    assert "default" not in {r["dst"] for r in ip_json(netns, "route", "show")}
    assert ip_json(netns, "route", "show", "table", "100") == []


def test_family_mismatch_rejected_before_sending(netns: str) -> None:
    tap = io.BytesIO()
    with Rtnl(netns=netns, capture=tap) as rt:
        before = len(tap.getvalue())
        with pytest.raises(EncodeError):
            rt.add_route("10.1.0.0/16", src="fd00::1")
        with pytest.raises(EncodeError):
            rt.add_route("fd00:1::/64", gateway="10.0.0.1")
        with pytest.raises(EncodeError):
            rt.add_route("::/0", gateway="10.0.0.1")
        assert len(tap.getvalue()) == before  # nothing was sent


def test_errors_are_typed_and_carry_the_kernel_text(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("e0", "e1")
        with pytest.raises(Exists) as dup:
            rt.add_veth("e0", "e9")
        assert dup.value.errno == errno.EEXIST and str(dup.value).startswith("RTM_NEWLINK: ")
        with pytest.raises(NotFound) as missing:
            rt.link("no-such-dev")
        assert missing.value.errno == errno.ENODEV
        with pytest.raises(NotFound):
            rt.set_link("no-such-dev", up=True)
        with pytest.raises(NetlinkError) as kind:
            rt.add_link("y0", "no-such-kind")
        assert kind.value.errno == errno.EOPNOTSUPP
        # errno 95 has two names on Linux; iproute2 and the kernel say EOPNOTSUPP
        assert str(kind.value) == "RTM_NEWLINK: Unknown device type (EOPNOTSUPP)"
        with pytest.raises(NetlinkError) as vx:
            rt.add_link("vx9", "vxlan", id=1 << 25)
        assert str(vx.value) == (
            "RTM_NEWLINK: VXLAN ID must be lower than 16777216 (ERANGE)"
            " at attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]"
        )
        with pytest.raises(NetlinkError) as label:
            rt.add_address("e0", "10.9.0.1/24", label="e0:this-label-is-far-too-long")
        assert label.value.attr_path == "attrs[IFA.LABEL]"
        assert label.value.ext_ack.policy is not None  # NLMSGERR_ATTR_POLICY: the violated bound
        # a bad prefix (an IPv6 IFA_LOCAL of 2 bytes) names the attribute in the request
        header = IFADDRMSG.new(family=AF.INET6, prefixlen=64, index=rt.index_of("e0"))
        bad = Message(RTM.NEWADDR, NLM_F.CREATE | NLM_F.EXCL, header=header,
                      attrs=Attrs(ADDR_ATTRS, {IFA.LOCAL: b"\x01\x02"}))
        with pytest.raises(NetlinkError) as prefix:
            rt.socket.request(bad)
        assert prefix.value.attr_path == "attrs[IFA.LOCAL]"
        assert str(prefix.value) == "RTM_NEWADDR: Attribute failed policy validation (ERANGE) at attrs[IFA.LOCAL]"


def test_kept_links_do_not_hold_datagrams(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_veth("m0", "m1")
        links = rt.links()
    for link in links:
        for name in Link.__slots__:  # type: ignore[attr-defined]
            value = getattr(link, name)
            if isinstance(value, tuple):  # a record of numbers (stats: struct rtnl_link_stats64)
                assert all(type(v) is int for v in value), name
                continue
            assert value is None or isinstance(value, (int, str)), (name, type(value))
    assert not hasattr(links[0], "__dict__")
    # a Link is a slotted record of small values: well under 1 KiB, and its counters (the
    # 25 u64 of struct rtnl_link_stats64, as one tuple) a third of that
    slots = [n for n in Link.__slots__ if n != "stats"]  # type: ignore[attr-defined]
    size = sys.getsizeof(links[0]) + sum(sys.getsizeof(getattr(links[0], n)) for n in slots)
    assert size < 1024
    assert sys.getsizeof(links[0].stats) < 1024 // 3


def test_link_by_index_and_name_agree(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        lo = rt.link("lo")
        assert rt.link(lo.index) == lo
        assert rt.index_of("lo") == 1 == lo.index
        assert lo.address == "00:00:00:00:00:00"


def _iproute2_request(ns: str, tmp: Any, *args: str, tool: str = "ip", mtype: int = RTM.NEWLINK) -> bytes:
    """The ``mtype`` request ``TOOL -n NS ARGS...`` sends, read from strace's dump of what
    it writes (the kernel may refuse it: this is iproute2's encoding, not the result)."""
    log = tmp / "strace.txt"
    subprocess.run(["strace", "-f", "-e", "trace=sendmsg", "-e", "write=all", "-o", str(log), tool, "-n", ns, *args],
                   capture_output=True, check=False)
    sent: list[bytearray] = []
    for line in log.read_text().splitlines():
        if "sendmsg(" in line:
            sent.append(bytearray())
        elif sent and line.lstrip().startswith("| 0"):
            sent[-1] += bytes.fromhex(line.split("|")[1][8:57].replace(" ", ""))
    [request] = [bytes(b) for b in sent if len(b) >= 16 and struct.unpack_from("=H", b, 4)[0] == mtype]
    return request


def _leaves(buf: bytes, start: int, end: int, nests: dict[int, Any], path: tuple[int, ...] = ()) -> list[Any]:
    """Every attribute that is not one of ``nests`` (a tree of nest types), as (path, payload)."""
    out: list[Any] = []
    for t, _flags, s, e in scan_attrs(buf, start, end):
        if t in nests:
            out += _leaves(buf, s, e, nests[t], (*path, t))
        else:
            out.append(((*path, t), buf[s:e]))
    return sorted(out)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
def test_vlan_request_is_what_iproute2_sends(netns: str, tmp_path: Any) -> None:
    """A VLAN cannot be created on a kernel without 8021q (like this project's machines), but
    its request can be held against iproute2's, attribute by attribute, whatever the kernel
    then answers; where 8021q exists the link is also checked with ``ip -j``."""
    ip(netns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
    theirs = _iproute2_request(netns, tmp_path, "link", "add", "link", "p0", "name", "vl5", "type", "vlan",
                               "id", "5", "protocol", "802.1ad")
    tap = io.BytesIO()
    with Rtnl(netns=netns, capture=tap) as rt:
        try:
            rt.add_link("vl5", "vlan", link="p0", id=5, protocol=0x88A8)
            created = True
        except NetlinkError as exc:  # EOPNOTSUPP: "Unknown device type." (no 8021q)
            assert "Unknown device type" in str(exc)
            created = False
    [ours] = [m for m in _requests(tap.getvalue()) if m.type == RTM.NEWLINK]
    raw = encode(ours)
    tree = {int(IFLA.LINKINFO): {int(IFLA_INFO.DATA): {}}}

    def normal(leaves: list[Any]) -> list[Any]:
        # iproute2 sends IFLA_INFO_KIND without its NUL ("vlan", nla_len 8), nlwire with it
        # ("vlan\0"): the kernel's policy for it is NLA_STRING, which takes either
        kind = (int(IFLA.LINKINFO), int(IFLA_INFO.KIND))
        return [(p, v.rstrip(b"\0") if p == kind else v) for p, v in leaves]

    assert normal(_leaves(raw, 32, len(raw), tree)) == normal(_leaves(theirs, 32, len(theirs), tree))
    assert ours.attrs is not None and ours.attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VLAN.PROTOCOL] == 0x88A8
    if created:
        [vl] = ip_json(netns, "-d", "link", "show", "vl5")
        assert vl["linkinfo"]["info_data"]["id"] == 5 and vl["linkinfo"]["info_data"]["protocol"] == "802.1ad"



@pytest.mark.skipif(shutil.which("strace") is None or shutil.which("bridge") is None, reason="strace or bridge missing")
def test_vlan_database_entry_reads_as_bridge_writes_it(netns: str, tmp_path: Any) -> None:
    """``bridge vlan set`` sends RTM_NEWVLAN with a BRIDGE_VLANDB_ENTRY (this kernel has no
    VLAN filtering, so it is refused; the request is what is checked): nlwire reads every
    attribute of it, and encodes the same entry to the same attributes."""
    ip(netns, "link", "add", "br0", "type", "bridge")
    ip(netns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
    ip(netns, "link", "set", "p0", "master", "br0")
    theirs = _iproute2_request(netns, tmp_path, "vlan", "set", "vid", "20", "dev", "p0", "state", "blocking",
                               "mcast_router", "2", tool="bridge", mtype=RTM.NEWVLAN)
    [msg] = decode(theirs, strict=True)
    with Rtnl(netns=netns) as rt:
        index = rt.link("p0").index
    assert msg.header is not None and (msg.header.family, msg.header.ifindex) == (AF.BRIDGE, index)
    entry = msg.attrs[BRIDGE_VLANDB.ENTRY]
    info = entry[BRIDGE_VLANDB_ENTRY.INFO]
    assert (info.vid, info.flags) == (20, BRIDGE_VLAN_INFO.ONLY_OPTS)
    assert entry[BRIDGE_VLANDB_ENTRY.STATE] == BR_STATE.BLOCKING and entry[BRIDGE_VLANDB_ENTRY.MCAST_ROUTER] == 2
    ours = encode(Message(RTM.NEWVLAN, flags=NLM_F.ACK, header=msg.header, attrs=Attrs(VLANDB_ATTRS, {
        BRIDGE_VLANDB.ENTRY: {BRIDGE_VLANDB_ENTRY.INFO: {"flags": BRIDGE_VLAN_INFO.ONLY_OPTS, "vid": 20},
                              BRIDGE_VLANDB_ENTRY.STATE: BR_STATE.BLOCKING, BRIDGE_VLANDB_ENTRY.MCAST_ROUTER: 2}})))
    tree = {int(BRIDGE_VLANDB.ENTRY): {}}
    assert _leaves(ours, 24, len(ours), tree) == _leaves(theirs, 24, len(theirs), tree)
