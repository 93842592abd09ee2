"""Declared link kinds (issue 15, "link properties and kinds"): bond and its ports, gre and its
relatives, ipip, sit, ip6tnl, geneve, macsec, xfrm, tun, vrf, ipvlan, and the kinds with no
IFLA_INFO_DATA (dummy, wireguard).

This machine's kernel has none of their modules, so each request nlwire's ``Rtnl.add_link``
builds is held, attribute by attribute, to the one iproute2 sends for the same command (read
with strace; the kernel then refuses both alike), and iproute2's bytes must decode with every
attribute named. The constants are checked against the installed uapi headers.
"""

from __future__ import annotations

import enum
import errno
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from nlwire.codec import decode, encode
from nlwire.consts import (
    BOND_LINK,
    BOND_MODE,
    BOND_STATE,
    BOND_XMIT_POLICY,
    GENEVE_DF,
    GRE,
    IFLA,
    IFLA_BOND,
    IFLA_BOND_AD_INFO,
    IFLA_BOND_SLAVE,
    IFLA_GENEVE,
    IFLA_GRE,
    IFLA_INFO,
    IFLA_IPTUN,
    IFLA_MACSEC,
    IFLA_TUN,
    IFLA_XFRM,
    IP6_TNL_F,
    IPVLAN_F,
    IPVLAN_MODE,
    LACP_STATE,
    MACSEC_CIPHER_ID,
    MACSEC_OFFLOAD,
    MACSEC_VALIDATE,
    NLM_F,
    RTM,
    SIT,
    TUN_TYPE,
    TUNNEL_ENCAP,
    TUNNEL_ENCAP_FLAG,
)
from nlwire.errors import NetlinkError
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import LINK_ATTRS
from tests.netns_fixtures import ip
from tests.test_decoding_gaps import _header_enum, _json_nodes, _outputs, _records
from tests.test_rtnl import _iproute2_request, _link_leaves, _requests

needs_strace = pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")

_TUNNEL_DEFAULTS = {"encap_type": TUNNEL_ENCAP.NONE, "encap_flags": 0, "encap_sport": 0, "encap_dport": 0}
"""What iproute2 adds to every ip/gre tunnel request it sends (no ``encap`` given)."""

_GRE4 = {"pmtudisc": 1, "tos": 0, "fwmark": 0, **_TUNNEL_DEFAULTS}
_GRE6 = {"fwmark": 0, "flags": 0, "erspan_ver": 1, **_TUNNEL_DEFAULTS, "encap_flags": TUNNEL_ENCAP_FLAG.CSUM6}

# (the ``ip`` command, the kind, add_link's IFLA_INFO_DATA by name; "p0" is a veth)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("link add gre1 type gre remote 10.0.0.2 local 10.0.0.1 ttl 64 key 5", "gre",
     {"remote": "10.0.0.2", "local": "10.0.0.1", "ttl": 64, "ikey": 5, "okey": 5, "iflags": GRE.KEY,
      "oflags": GRE.KEY, **_GRE4}),
    ("link add gt1 type gretap remote 10.0.0.2 local 10.0.0.1 ttl 64 ikey 7 okey 9 csum", "gretap",
     {"remote": "10.0.0.2", "local": "10.0.0.1", "ttl": 64, "ikey": 7, "okey": 9, "iflags": GRE.KEY | GRE.CSUM,
      "oflags": GRE.KEY | GRE.CSUM, **_GRE4}),
    ("link add g61 type ip6gre remote fd00::2 local fd00::1 hoplimit 10 key 5 encaplimit 4 flowlabel 0x1234",
     "ip6gre",
     {"remote": "fd00::2", "local": "fd00::1", "ttl": 10, "ikey": 5, "okey": 5, "iflags": GRE.KEY,
      "oflags": GRE.KEY, "encap_limit": 4, "flowinfo": 0x1234, **_GRE6}),
    ("link add g62 type ip6gretap remote fd00::2 local fd00::1 hoplimit 10 encaplimit none", "ip6gretap",
     {"remote": "fd00::2", "local": "fd00::1", "ttl": 10, "ikey": 0, "okey": 0, "iflags": 0, "oflags": 0,
      "encap_limit": 4, "flowinfo": 0, **_GRE6, "flags": IP6_TNL_F.IGN_ENCAP_LIMIT}),
    ("link add ipi1 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 encap fou encap-sport 5555 encap-dport 6666",
     "ipip",
     {"remote": "10.0.0.2", "local": "10.0.0.1", "ttl": 64, "proto": 0, "pmtudisc": 1, "tos": 0, "link": 0,
      "fwmark": 0, **_TUNNEL_DEFAULTS, "encap_type": TUNNEL_ENCAP.FOU, "encap_sport": 5555, "encap_dport": 6666}),
    ("link add sit1 type sit remote 10.0.0.2 local 10.0.0.1 ttl 64 mode ip6ip isatap", "sit",
     {"remote": "10.0.0.2", "local": "10.0.0.1", "ttl": 64, "proto": 41, "pmtudisc": 1, "tos": 0, "link": 0,
      "fwmark": 0, "flags": SIT.ISATAP, **_TUNNEL_DEFAULTS}),
    # a 6rd prefix: constants that start with a digit, IFLA_IPTUN_6RD_* ("_6RD_PREFIX" in Python)
    ("link add sit2 type sit remote 10.0.0.2 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8", "sit",
     {"remote": "10.0.0.2", "ttl": 0, "proto": 0, "pmtudisc": 1, "tos": 0, "link": 0, "fwmark": 0, "flags": 0,
      "6rd_prefix": "2001:db8::", "6rd_prefixlen": 32, "IFLA_IPTUN_6RD_RELAY_PREFIX": "10.0.0.0",
      "6rd_relay_prefixlen": 8, **_TUNNEL_DEFAULTS}),
    ("link add t61 type ip6tnl remote fd00::2 local fd00::1 mode ip6ip6 hoplimit 32 tclass 0x10", "ip6tnl",
     {"remote": "fd00::2", "local": "fd00::1", "ttl": 32, "proto": 41, "encap_limit": 4, "flowinfo": 0x01000000,
      "flags": 0, "link": 0, "fwmark": 0, **_TUNNEL_DEFAULTS, "encap_flags": TUNNEL_ENCAP_FLAG.CSUM6}),
    ("link add gen1 type geneve id 10 remote 10.0.0.2 ttl 64 dstport 6081 df inherit", "geneve",
     {"id": 10, "remote": "10.0.0.2", "ttl": 64, "tos": 0, "label": 0, "port": 6081, "df": GENEVE_DF.INHERIT}),
    ("link add gen2 type geneve id 11 remote fd00::2 udp6zerocsumrx", "geneve",
     {"id": 11, "remote6": "fd00::2", "ttl": 0, "tos": 0, "label": 0, "udp_zero_csum6_rx": 1}),
    ("link add bond1 type bond mode active-backup miimon 100 arp_ip_target 10.0.0.1,10.0.0.2 "
     "xmit_hash_policy layer3+4 ad_actor_system 00:11:22:33:44:55 min_links 2 lacp_rate fast", "bond",
     {"mode": BOND_MODE.ACTIVEBACKUP, "miimon": 100, "arp_ip_target": ["10.0.0.1", "10.0.0.2"],
      "xmit_hash_policy": BOND_XMIT_POLICY.LAYER34, "ad_actor_system": "00:11:22:33:44:55", "min_links": 2,
      "ad_lacp_rate": 1}),
    ("link add bond2 type bond ns_ip6_target fd00::1,fd00::2", "bond", {"ns_ip6_target": ["fd00::1", "fd00::2"]}),
    ("link add vrf1 type vrf table 10", "vrf", {"table": 10}),
    ("link add link p0 name ipv1 type ipvlan mode l3 private", "ipvlan",
     {"mode": IPVLAN_MODE.L3, "flags": IPVLAN_F.PRIVATE}),
    ("link add link p0 name ms1 type macsec port 11 encrypt on cipher gcm-aes-256 validate strict replay on "
     "window 32 icvlen 16 encodingsa 1 offload off", "macsec",
     {"port": 11, "encrypt": 1, "cipher_suite": MACSEC_CIPHER_ID.GCM_AES_256, "icv_len": 16,
      "validation": MACSEC_VALIDATE.STRICT, "replay_protect": 1, "window": 32, "encoding_sa": 1,
      "offload": MACSEC_OFFLOAD.OFF}),
    ("link add xf1 type xfrm dev p0 if_id 5", "xfrm", {"if_id": 5, "link": "p0"}),
    ("link add dm1 type dummy", "dummy", {}),
    ("link add wg1 type wireguard", "wireguard", {}),
    ("link add tun1 type tun", "tun", {}),
]


def _unnamed(attrs: Attrs, path: str = "") -> list[str]:
    """Every attribute of ``attrs`` (nests opened) whose type its set does not name, or whose
    payload stayed bytes."""
    out: list[str] = []
    for key, value in attrs.items():
        where = f"{path}/{attrs.attr_set.name_of(int(key), 'kernel')}"
        if not isinstance(key, enum.Enum) or isinstance(value, bytes):
            out.append(where)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Attrs):
                out += _unnamed(item, where)
    return out


@pytest.fixture(scope="module")
def ns(module_netns: str) -> str:
    ip(module_netns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
    return module_netns


@needs_strace
@pytest.mark.parametrize(("command", "kind", "data"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_link_kind_request_is_what_iproute2_sends(ns: str, tmp_path: Path, command: str, kind: str,
                                                  data: dict[str, Any]) -> None:
    """``add_link(NAME, KIND, **data)`` sends the attributes ``ip link add ... type KIND ...``
    sends (whatever the kernel then answers: without the module it is "Unknown device type"),
    and nlwire names every attribute of iproute2's request, in the codec and in the dissector."""
    args = command.split()
    name = args[args.index("name") + 1] if "name" in args else args[2]
    theirs = _iproute2_request(ns, tmp_path, *args)
    [msg] = decode(theirs, strict=True)
    info = msg.attrs[IFLA.LINKINFO]
    assert info[IFLA_INFO.KIND] == kind
    assert _unnamed(msg.attrs) == []
    names = [n["name"] for n in _json_nodes(_records(0, theirs))]
    assert not [n for n in names if re.search(r"_\d+$|^attr|__", n)], names
    tap = io.BytesIO()
    with Rtnl(netns=ns, capture=tap) as rt:
        options = dict(data)
        if kind == "xfrm":  # "dev p0": IFLA_XFRM_LINK, not add_link's IFLA_LINK
            options["link"] = rt.index_of("p0")
        try:
            rt.add_link(name, kind, link="p0" if args[2] == "link" else None, data=options)
        except NetlinkError as exc:  # "Unknown device type", "tun/tap creation via rtnetlink is not supported"
            assert exc.errno == errno.EOPNOTSUPP
    [ours] = [m for m in _requests(tap.getvalue()) if m.type == RTM.NEWLINK]
    assert _link_leaves(encode(ours)) == _link_leaves(theirs)
    assert (IFLA_INFO.DATA in info) == bool(data)


@needs_strace
def test_bond_port_options_are_what_iproute2_sends(ns: str, tmp_path: Path) -> None:
    """``ip link set dev p0 type bond_slave queue_id 3 prio -2`` sends IFLA_INFO_KIND
    "bond_slave" and IFLA_INFO_SLAVE_DATA read with bond's port policy: named, and the same
    attributes as nlwire encodes for them."""
    theirs = _iproute2_request(ns, tmp_path, "link", "set", "dev", "p0", "type", "bond_slave", "queue_id", "3",
                               "prio", "-2")
    [msg] = decode(theirs, strict=True)
    assert _unnamed(msg.attrs) == []
    port = msg.attrs[IFLA.LINKINFO][IFLA_INFO.SLAVE_DATA]
    assert (port[IFLA_BOND_SLAVE.QUEUE_ID], port[IFLA_BOND_SLAVE.PRIO]) == (3, -2)
    ours = Message(RTM.NEWLINK, flags=NLM_F.REQUEST | NLM_F.ACK, header=msg.header, attrs=Attrs(LINK_ATTRS, {
        IFLA.LINKINFO: {IFLA_INFO.KIND: "bond_slave", IFLA_INFO.SLAVE_DATA: {"queue_id": 3, "prio": -2}}}))
    assert _link_leaves(encode(ours)) == _link_leaves(theirs)


@needs_strace
def test_gre_request_renders_names_in_the_dissector(tmp_path: Path, ns: str) -> None:
    """The dissector shows a gre request (iproute2's) with the IFLA_GRE_* names and values."""
    theirs = _iproute2_request(ns, tmp_path, *CASES[0][0].split())
    text = _outputs(_records(0, theirs), "text")
    for line in ("IFLA_INFO_KIND: gre", "IFLA_GRE_REMOTE: 10.0.0.2", "IFLA_GRE_LOCAL: 10.0.0.1",
                 "IFLA_GRE_TTL: 64", "IFLA_GRE_IKEY: 5"):
        assert line in text, text
    assert re.search(r"IFLA_GRE_IFLAGS: .*KEY", text), text


@needs_strace
def test_tunnel_protocol_is_named_by_ipproto(tmp_path: Path, ns: str) -> None:
    """IFLA_IPTUN_PROTO holds an IPPROTO_* number (ip6tnl mode ip6ip6: IPPROTO_IPV6, 41, as
    iproute2 sends it): shown by its name, not as a bare number."""
    from nlwire.consts import IFLA_IPTUN

    theirs = _iproute2_request(ns, tmp_path, *CASES[[c[1] for c in CASES].index("ip6tnl")][0].split())
    [msg] = decode(theirs, strict=True)
    proto = msg.attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_IPTUN.PROTO]
    assert proto == 41
    text = _outputs(_records(0, theirs), "text")
    assert re.search(r"IFLA_IPTUN_PROTO: IPV6\b", text), text


def _dump_linkinfo(kind: str, data_type: int, data: bytes, slave: tuple[str, bytes] | None = None) -> bytes:
    """An RTM_NEWLINK as a dump carries it: ifinfomsg, IFLA_IFNAME, IFLA_LINKINFO {KIND, DATA
    [, SLAVE_KIND, SLAVE_DATA]}; attributes laid out by hand from the header numbers."""
    def nla(atype: int, payload: bytes) -> bytes:
        return (len(payload) + 4).to_bytes(2, "little") + atype.to_bytes(2, "little") + payload + \
            b"\0" * (-len(payload) % 4)
    info = nla(1, kind.encode() + b"\0") + nla(data_type, data)  # IFLA_INFO_KIND, IFLA_INFO_DATA
    if slave is not None:
        info += nla(4, slave[0].encode() + b"\0") + nla(5, slave[1])  # IFLA_INFO_SLAVE_KIND / _DATA
    body = bytes(16) + nla(3, b"x0\0") + nla(18 | 0x8000, info)  # IFLA_IFNAME, IFLA_LINKINFO
    return (len(body) + 16).to_bytes(4, "little") + (16).to_bytes(2, "little") + bytes(10) + body


def test_dump_only_attributes_decode_by_name() -> None:
    """What only a dump carries: a tun device's IFLA_TUN_* (tun_fill_info), a bond's
    IFLA_BOND_AD_INFO nest and a bond port's state (bond_fill_slave_info), laid out from
    if_link.h / if_tun.h / if_bonding.h numbers."""
    def nla(atype: int, payload: bytes) -> bytes:
        return (len(payload) + 4).to_bytes(2, "little") + atype.to_bytes(2, "little") + payload + \
            b"\0" * (-len(payload) % 4)
    # IFLA_TUN_TYPE (3) u8 IFF_TAP (2); IFLA_TUN_OWNER (1) u32 1000; IFLA_TUN_NUM_QUEUES (8) u32 1
    tun = nla(3, b"\x02") + nla(1, (1000).to_bytes(4, "little")) + nla(8, (1).to_bytes(4, "little"))
    [msg] = decode(_dump_linkinfo("tun", 2 | 0x8000, tun), strict=True)
    data = msg.attrs[IFLA.LINKINFO][IFLA_INFO.DATA]
    assert (data[IFLA_TUN.TYPE], data[IFLA_TUN.OWNER], data[IFLA_TUN.NUM_QUEUES]) == (TUN_TYPE.TAP, 1000, 1)
    # IFLA_BOND_AD_INFO (23) { AGGREGATOR (1) u16 2, PARTNER_MAC (5) 6 bytes }; IFLA_BOND_MODE (1) u8 4
    ad = nla(1, (2).to_bytes(2, "little")) + nla(5, bytes.fromhex("020000000001"))
    bond = nla(1, b"\x04") + nla(23 | 0x8000, ad)
    # port: IFLA_BOND_SLAVE_STATE (1) u8 BACKUP (1), MII_STATUS (2) u8 DOWN (2),
    # AD_ACTOR_OPER_PORT_STATE (7) u8 0x3d, AD_PARTNER_OPER_PORT_STATE (8) u16 0x01
    port = nla(1, b"\x01") + nla(2, b"\x02") + nla(7, b"\x3d") + nla(8, (1).to_bytes(2, "little"))
    [msg] = decode(_dump_linkinfo("bond", 2 | 0x8000, bond, ("bond", port)), strict=True)
    assert _unnamed(msg.attrs) == []
    info = msg.attrs[IFLA.LINKINFO]
    assert info[IFLA_INFO.DATA][IFLA_BOND.MODE] == BOND_MODE._8023AD
    assert info[IFLA_INFO.DATA][IFLA_BOND.AD_INFO][IFLA_BOND_AD_INFO.PARTNER_MAC] == "02:00:00:00:00:01"
    slave = info[IFLA_INFO.SLAVE_DATA]
    assert (slave[IFLA_BOND_SLAVE.STATE], slave[IFLA_BOND_SLAVE.MII_STATUS]) == (BOND_STATE.BACKUP, BOND_LINK.DOWN)
    state = LACP_STATE(slave[IFLA_BOND_SLAVE.AD_ACTOR_OPER_PORT_STATE])
    assert state == (LACP_STATE.LACP_ACTIVITY | LACP_STATE.AGGREGATION | LACP_STATE.SYNCHRONIZATION
                     | LACP_STATE.COLLECTING | LACP_STATE.DISTRIBUTING)
    names = {n["name"] for n in _json_nodes(_records(0, _dump_linkinfo("bond", 2 | 0x8000, bond, ("bond", port))))}
    assert {"IFLA_BOND_AD_INFO_PARTNER_MAC", "IFLA_BOND_SLAVE_MII_STATUS"} <= names


# ------------------------------------------------------------------ the constants, from the headers

_ENUMS: list[tuple[type[enum.IntEnum], str, str, str]] = [
    (IFLA_BOND, "if_link.h", "IFLA_BOND_UNSPEC", "__IFLA_BOND_MAX"),
    (IFLA_BOND_AD_INFO, "if_link.h", "IFLA_BOND_AD_INFO_UNSPEC", "__IFLA_BOND_AD_INFO_MAX"),
    (IFLA_BOND_SLAVE, "if_link.h", "IFLA_BOND_SLAVE_UNSPEC", "__IFLA_BOND_SLAVE_MAX"),
    (IFLA_GENEVE, "if_link.h", "IFLA_GENEVE_UNSPEC", "__IFLA_GENEVE_MAX"),
    (GENEVE_DF, "if_link.h", "GENEVE_DF_UNSET", "__GENEVE_DF_END"),
    (IFLA_MACSEC, "if_link.h", "IFLA_MACSEC_UNSPEC", "__IFLA_MACSEC_MAX"),
    (MACSEC_VALIDATE, "if_link.h", "MACSEC_VALIDATE_DISABLED", "__MACSEC_VALIDATE_END"),
    (MACSEC_OFFLOAD, "if_link.h", "MACSEC_OFFLOAD_OFF", "__MACSEC_OFFLOAD_END"),
    (IFLA_TUN, "if_link.h", "IFLA_TUN_UNSPEC", "__IFLA_TUN_MAX"),
    (IFLA_XFRM, "if_link.h", "IFLA_XFRM_UNSPEC", "__IFLA_XFRM_MAX"),
    (IFLA_IPTUN, "if_tunnel.h", "IFLA_IPTUN_UNSPEC", "__IFLA_IPTUN_MAX"),
    (IFLA_GRE, "if_tunnel.h", "IFLA_GRE_UNSPEC", "__IFLA_GRE_MAX"),
    (TUNNEL_ENCAP, "if_tunnel.h", "TUNNEL_ENCAP_NONE", "#define TUNNEL_ENCAP_FLAG_CSUM"),
]


@pytest.mark.parametrize(("cls", "header", "first", "end"), _ENUMS, ids=[e[0].__name__ for e in _ENUMS])
def test_link_kind_enums_mirror_the_headers(cls: type[enum.IntEnum], header: str, first: str, end: str) -> None:
    names = _header_enum(header, first, end)
    assert [f"{cls.__name__}_{m.name.lstrip('_')}" for m in cls] == names
    assert [int(m) for m in cls] == list(range(len(names)))


_DEFINES: list[tuple[type[enum.IntEnum], str, str]] = [
    (BOND_MODE, "if_bonding.h", "BOND_MODE_"),
    (BOND_LINK, "if_bonding.h", "BOND_LINK_"),
    (BOND_STATE, "if_bonding.h", "BOND_STATE_"),
    (BOND_XMIT_POLICY, "if_bonding.h", "BOND_XMIT_POLICY_"),
    (LACP_STATE, "if_bonding.h", "LACP_STATE_"),
    (GRE, "if_tunnel.h", "GRE_"),  # and GRE_PROTO_PPP, a protocol number, not a flag
    (TUNNEL_ENCAP_FLAG, "if_tunnel.h", "TUNNEL_ENCAP_FLAG_"),
    (SIT, "if_tunnel.h", "SIT_"),
    (IP6_TNL_F, "ip6_tunnel.h", "IP6_TNL_F_"),
    (MACSEC_CIPHER_ID, "if_macsec.h", "MACSEC_CIPHER_ID_"),
    (IPVLAN_F, "if_link.h", "IPVLAN_F_"),
]


def _defines(header: str, prefix: str) -> dict[str, int]:
    """``#define PREFIX_NAME value`` of a uapi header as {NAME: value}, for the values that are
    a number, ``(1<<n)`` or ``__cpu_to_be16(number)`` (the flags as a be16 reads them)."""
    path = Path("/usr/include/linux") / header
    if not path.exists():
        pytest.skip(f"{path} not installed (linux-libc-dev)")
    out = {}
    for name, value in re.findall(rf"^#define\s+{prefix}(\w+)\s+(.+?)\s*(?:/\*.*)?$", path.read_text(), re.M):
        value = re.sub(r"^__cpu_to_be16\((.*)\)$", r"\1", value)
        if shift := re.fullmatch(r"\(\s*1\s*<<\s*(\d+)\s*\)", value):
            out[name] = 1 << int(shift[1])
        elif re.fullmatch(r"(0x[\dA-Fa-f]+|\d+)(ULL)?", value):
            out[name] = int(value.removesuffix("ULL"), 0)
    return out


@pytest.mark.parametrize(("cls", "header", "prefix"), _DEFINES, ids=[d[0].__name__ for d in _DEFINES])
def test_link_kind_defines_mirror_the_headers(cls: type[enum.IntEnum], header: str, prefix: str) -> None:
    defines = _defines(header, prefix)
    defines.pop("PROTO_PPP" if cls is GRE else "", None)
    ours = {name.lstrip("_"): int(m) for name, m in cls.__members__.items() if name != "DEFAULT"}
    assert ours == defines
    assert cls is not MACSEC_CIPHER_ID or _defines(header, "MACSEC_DEFAULT_CIPHER_")["ID"] == MACSEC_CIPHER_ID.DEFAULT
