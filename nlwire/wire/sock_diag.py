"""NETLINK_SOCK_DIAG schemas (include/uapi/linux/sock_diag.h, inet_diag.h, unix_diag.h,
netlink_diag.h, packet_diag.h, tcp.h): the requests and replies of each socket family.

A SOCK_DIAG_BY_FAMILY body is chosen by its first byte (``sdiag_family``) and by the
direction (a request, NLM_F_REQUEST set, or a reply): :data:`BODIES` maps
``(family, request)`` to the fixed header and attribute set, and the registry's
:func:`~nlwire.wire.registry.lookup` reads it for every caller.

``struct inet_diag_sockid`` is spelled out in the structs that hold it (``sport``,
``dport``, ``src``, ``dst``, ``if``, ``cookie``): ports are big-endian, the 16-byte
addresses show as the address of the header's family (an AF_INET socket's is in the first
4 bytes, the rest zero), and ``idiag_cookie[2]`` is read as one host-endian u64 (cookie[0]
is the low half, as the kernel's ``sock_diag_save_cookie`` stores it on a little-endian host).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import construct as cs

from nlwire.consts import (
    AF,
    INET_DIAG,
    INET_DIAG_REQ,
    INET_DIAG_SOCKOPT,
    INET_DIAG_TIMER,
    INET_ULP_INFO,
    IPPROTO,
    NDIAG_FLAG,
    NDIAG_SHOW,
    NETLINK,
    NETLINK_DIAG,
    PACKET_DIAG,
    PACKET_SHOW,
    PDI,
    SK_MEMINFO,
    SOCK,
    SOCK_DIAG,
    TCP_CA,
    TCP_STATE,
    TCPF,
    TCPI_OPT,
    UDIAG_SHOW,
    UNIX_DIAG,
)
from nlwire.wire.attrs import AttrSet
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.kinds import (
    binary,
    nested,
    packed_array,
    raw_string,
    string,
    struct,
    struct_array,
    u8,
    u16,
    u32,
    u64,
)

__all__ = [
    "BODIES",
    "INET_DIAG_ATTRS",
    "INET_DIAG_MSG",
    "INET_DIAG_REQ_ATTRS",
    "INET_DIAG_REQ_V2",
    "INET_DIAG_REQ_V1",
    "NETLINK_DIAG_ATTRS",
    "NETLINK_DIAG_MSG",
    "NETLINK_DIAG_REQ",
    "PACKET_DIAG_ATTRS",
    "PACKET_DIAG_MSG",
    "PACKET_DIAG_REQ",
    "TCP_INFO",
    "UNIX_DIAG_ATTRS",
    "UNIX_DIAG_MSG",
    "UNIX_DIAG_REQ",
    "address",
    "endpoint",
    "inet_diag_msg",
    "inet_diag_req",
    "inet_diag_req_v2",
    "netlink_diag_msg",
    "netlink_diag_req",
    "packet_diag_msg",
    "packet_diag_req",
    "tcp_info",
    "unix_diag_msg",
    "unix_diag_req",
]

# ---------------------------------------------------------------------------- addresses


def address(family: int, raw: bytes) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a 16-byte ``idiag_src``/``idiag_dst`` holds for ``family`` (AF_INET:
    the first 4 bytes); None for another family."""
    if family == AF.INET:
        return ipaddress.IPv4Address(raw[:4])
    if family == AF.INET6:
        return ipaddress.IPv6Address(raw)
    return None


def endpoint(family: int, raw: bytes, port: int) -> str:
    """``127.0.0.1:22``, ``[::1]:22`` (as ``ss`` writes them)."""
    addr = address(family, raw)
    if addr is None:
        return f"{raw.hex()}:{port}"
    return f"[{addr}]:{port}" if family == AF.INET6 else f"{addr}:{port}"


def _addr_show(family: int) -> Callable[[Any], str]:
    def show(raw: Any) -> str:
        if family == AF.INET and any(raw[4:]):
            return str(raw.hex(" "))  # not an AF_INET address: the bytes
        return str(address(family, raw))

    return show


def _hex(value: Any) -> str:
    return f"{value:#018x}"


def _inet_shows(family: int) -> dict[str, Callable[[Any], str]]:
    return {"src": _addr_show(family), "dst": _addr_show(family), "cookie": _hex}


def _socket_summary(record: Record) -> str:
    """``127.0.0.1:9191 -> 127.0.0.1:40810 ESTABLISHED`` (a reply's socket)."""
    fam = record.family
    try:
        state = TCP_STATE(record.state).name
    except ValueError:
        state = f"state {record.state}"
    return f"{endpoint(fam, record.src, record.sport)} -> {endpoint(fam, record.dst, record.dport)} {state}"


def _protocol(number: int) -> str:
    """``TCP``: an IPPROTO_* number by name, else ``protocol N``."""
    try:
        return IPPROTO(number).name
    except ValueError:
        return f"protocol {number}"


def _reply_summary(record: Record, request: Record) -> str:
    """``TCP 127.0.0.1:9191 -> 127.0.0.1:40810 ESTABLISHED``: a reply's socket with the protocol
    its request asked for (inet_diag_msg has no protocol field; the old inet_diag_req has
    none either, its message type names it: then the socket alone)."""
    number = getattr(request, "protocol", None)
    words = _socket_summary(record)
    return words if number is None else f"{_protocol(number)} {words}"


def _request_summary(record: Record) -> str:
    """``TCP`` (an inet request: the protocol it asks for; a socket it names, when it names one)."""
    proto = _protocol(record.protocol)
    if record.sport or record.dport or any(record.src) or any(record.dst):
        fam = record.family
        return f"{proto} {endpoint(fam, record.src, record.sport)} -> {endpoint(fam, record.dst, record.dport)}"
    return proto


def _named_summary(fixed: FixedStruct, fields: tuple[str, ...]) -> None:
    """Sets ``fixed``'s summary: a few fields named (``type=STREAM state=LISTEN ino=11432``)."""

    def summary(record: Record) -> str:
        return " ".join(f"{f}={_bare(fixed, f, getattr(record, f))}" for f in fields)

    fixed.summary = summary


def _bare(fixed: FixedStruct, field: str, value: Any) -> str:
    """A field's value by its enum member's name alone (``STREAM``), else as shown."""
    enum_cls = fixed.enums.get(field)
    if enum_cls is not None:
        try:
            return str(enum_cls(value).name)
        except ValueError:
            pass
    return fixed.show(field, value)


# ---------------------------------------------------------------------------- fixed headers

_SOCKID = (
    "sport" / cs.Int16ub, "dport" / cs.Int16ub, "src" / cs.Bytes(16), "dst" / cs.Bytes(16),
    "if" / cs.Int32un, "cookie" / cs.Int64un,
)

inet_diag_req_v2 = cs.Struct(
    "family" / cs.Int8un, "protocol" / cs.Int8un, "ext" / cs.Int8un, "raw_protocol" / cs.Int8un,
    "states" / cs.Int32un, *_SOCKID,
)
"""struct inet_diag_req_v2 { __u8 sdiag_family; __u8 sdiag_protocol; __u8 idiag_ext; __u8 pad;
   __u32 idiag_states; struct inet_diag_sockid id; };  (``pad`` is ``sdiag_raw_protocol`` in
   struct inet_diag_req_raw, the request for IPPROTO_RAW sockets: kept as ``raw_protocol``)"""

inet_diag_req = cs.Struct(
    "family" / cs.Int8un, "src_len" / cs.Int8un, "dst_len" / cs.Int8un, "ext" / cs.Int8un,
    *_SOCKID, "states" / cs.Int32un, "dbs" / cs.Int32un,
)
"""struct inet_diag_req { __u8 idiag_family; __u8 idiag_src_len; __u8 idiag_dst_len;
   __u8 idiag_ext; struct inet_diag_sockid id; __u32 idiag_states; __u32 idiag_dbs; };
   (TCPDIAG_GETSOCK / DCCPDIAG_GETSOCK, the interface before SOCK_DIAG_BY_FAMILY)"""

inet_diag_msg = cs.Struct(
    "family" / cs.Int8un, "state" / cs.Int8un, "timer" / cs.Int8un, "retrans" / cs.Int8un,
    *_SOCKID,
    "expires" / cs.Int32un, "rqueue" / cs.Int32un, "wqueue" / cs.Int32un, "uid" / cs.Int32un,
    "inode" / cs.Int32un,
)
"""struct inet_diag_msg { __u8 idiag_family; __u8 idiag_state; __u8 idiag_timer; __u8 idiag_retrans;
   struct inet_diag_sockid id; __u32 idiag_expires; __u32 idiag_rqueue; __u32 idiag_wqueue;
   __u32 idiag_uid; __u32 idiag_inode; };"""

unix_diag_req = cs.Struct(
    "family" / cs.Int8un, "protocol" / cs.Int8un, cs.Padding(2), "states" / cs.Int32un,
    "ino" / cs.Int32un, "show" / cs.Int32un, "cookie" / cs.Int64un,
)
"""struct unix_diag_req { __u8 sdiag_family; __u8 sdiag_protocol; __u16 pad; __u32 udiag_states;
   __u32 udiag_ino; __u32 udiag_show; __u32 udiag_cookie[2]; };"""

unix_diag_msg = cs.Struct(
    "family" / cs.Int8un, "type" / cs.Int8un, "state" / cs.Int8un, cs.Padding(1),
    "ino" / cs.Int32un, "cookie" / cs.Int64un,
)
"""struct unix_diag_msg { __u8 udiag_family; __u8 udiag_type; __u8 udiag_state; __u8 pad;
   __u32 udiag_ino; __u32 udiag_cookie[2]; };"""

netlink_diag_req = cs.Struct(
    "family" / cs.Int8un, "protocol" / cs.Int8un, cs.Padding(2), "ino" / cs.Int32un,
    "show" / cs.Int32un, "cookie" / cs.Int64un,
)
"""struct netlink_diag_req { __u8 sdiag_family; __u8 sdiag_protocol; __u16 pad; __u32 ndiag_ino;
   __u32 ndiag_show; __u32 ndiag_cookie[2]; };  (protocol 255, NDIAG_PROTO_ALL: every protocol)"""

netlink_diag_msg = cs.Struct(
    "family" / cs.Int8un, "type" / cs.Int8un, "protocol" / cs.Int8un, "state" / cs.Int8un,
    "portid" / cs.Int32un, "dst_portid" / cs.Int32un, "dst_group" / cs.Int32un, "ino" / cs.Int32un,
    "cookie" / cs.Int64un,
)
"""struct netlink_diag_msg { __u8 ndiag_family; __u8 ndiag_type; __u8 ndiag_protocol;
   __u8 ndiag_state; __u32 ndiag_portid; __u32 ndiag_dst_portid; __u32 ndiag_dst_group;
   __u32 ndiag_ino; __u32 ndiag_cookie[2]; };"""

packet_diag_req = cs.Struct(
    "family" / cs.Int8un, "protocol" / cs.Int8un, cs.Padding(2), "ino" / cs.Int32un,
    "show" / cs.Int32un, "cookie" / cs.Int64un,
)
"""struct packet_diag_req { __u8 sdiag_family; __u8 sdiag_protocol; __u16 pad; __u32 pdiag_ino;
   __u32 pdiag_show; __u32 pdiag_cookie[2]; };"""

packet_diag_msg = cs.Struct(
    "family" / cs.Int8un, "type" / cs.Int8un, "num" / cs.Int16un, "ino" / cs.Int32un,
    "cookie" / cs.Int64un,
)
"""struct packet_diag_msg { __u8 pdiag_family; __u8 pdiag_type; __u16 pdiag_num; __u32 pdiag_ino;
   __u32 pdiag_cookie[2]; };  (``num``: the bound protocol, ntohs(po->num))"""


def _inet(name: str, con: cs.Struct, record: str, family: int, enums: dict[str, Any],
          summary: Callable[[Record], str],
          reply_summary: Callable[[Record, Record], str] | None = None) -> FixedStruct:
    return FixedStruct(name, con, record, {"family": AF, **enums}, shows=_inet_shows(family), summary=summary,
                       reply_summary=reply_summary)


_REQ_ENUMS: dict[str, Any] = {"protocol": IPPROTO, "states": TCPF}
_MSG_ENUMS: dict[str, Any] = {"state": TCP_STATE, "timer": INET_DIAG_TIMER}

INET_DIAG_REQ_V2 = {
    fam: _inet("inet_diag_req_v2", inet_diag_req_v2, "InetDiagReqV2", fam, _REQ_ENUMS, _request_summary)
    for fam in (AF.INET, AF.INET6)
}
"""Per family (AF_INET, AF_INET6): struct inet_diag_req_v2, its addresses shown as that family's."""
INET_DIAG_REQ_V1 = {
    fam: FixedStruct("inet_diag_req", inet_diag_req, "InetDiagReq", {"family": AF, "states": TCPF},
                     shows=_inet_shows(fam))
    for fam in (AF.INET, AF.INET6)
}
"""Per family: struct inet_diag_req (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK)."""
INET_DIAG_MSG = {
    fam: _inet("inet_diag_msg", inet_diag_msg, "InetDiagMsg", fam, _MSG_ENUMS, _socket_summary, _reply_summary)
    for fam in (AF.INET, AF.INET6)
}
"""Per family (AF_INET, AF_INET6): struct inet_diag_msg."""

UNIX_DIAG_REQ = FixedStruct(
    "unix_diag_req", unix_diag_req, "UnixDiagReq", {"family": AF, "states": TCPF, "show": UDIAG_SHOW},
    shows={"cookie": _hex},
)
UNIX_DIAG_MSG = FixedStruct(
    "unix_diag_msg", unix_diag_msg, "UnixDiagMsg", {"family": AF, "type": SOCK, "state": TCP_STATE},
    shows={"cookie": _hex},
)
_named_summary(UNIX_DIAG_MSG, ("type", "state", "ino"))
NETLINK_DIAG_REQ = FixedStruct(
    "netlink_diag_req", netlink_diag_req, "NetlinkDiagReq",
    {"family": AF, "protocol": NETLINK, "show": NDIAG_SHOW}, shows={"cookie": _hex},
)
NETLINK_DIAG_MSG = FixedStruct(
    "netlink_diag_msg", netlink_diag_msg, "NetlinkDiagMsg", {"family": AF, "type": SOCK, "protocol": NETLINK},
    shows={"cookie": _hex},
)
_named_summary(NETLINK_DIAG_MSG, ("protocol", "portid", "ino"))
PACKET_DIAG_REQ = FixedStruct(
    "packet_diag_req", packet_diag_req, "PacketDiagReq", {"family": AF, "show": PACKET_SHOW},
    shows={"cookie": _hex},
)
PACKET_DIAG_MSG = FixedStruct(
    "packet_diag_msg", packet_diag_msg, "PacketDiagMsg", {"family": AF, "type": SOCK},
    shows={"cookie": _hex, "num": lambda v: f"{v:#06x}"},
)
_named_summary(PACKET_DIAG_MSG, ("type", "num", "ino"))

# ---------------------------------------------------------------------------- value structs

tcp_info = cs.Struct(
    "state" / cs.Int8un, "ca_state" / cs.Int8un, "retransmits" / cs.Int8un, "probes" / cs.Int8un,
    "backoff" / cs.Int8un, "options" / cs.Int8un, "wscale" / cs.Int8un, "app_limited" / cs.Int8un,
    "rto" / cs.Int32un, "ato" / cs.Int32un, "snd_mss" / cs.Int32un, "rcv_mss" / cs.Int32un,
    "unacked" / cs.Int32un, "sacked" / cs.Int32un, "lost" / cs.Int32un, "retrans" / cs.Int32un,
    "fackets" / cs.Int32un, "last_data_sent" / cs.Int32un, "last_ack_sent" / cs.Int32un,
    "last_data_recv" / cs.Int32un, "last_ack_recv" / cs.Int32un, "pmtu" / cs.Int32un,
    "rcv_ssthresh" / cs.Int32un, "rtt" / cs.Int32un, "rttvar" / cs.Int32un, "snd_ssthresh" / cs.Int32un,
    "snd_cwnd" / cs.Int32un, "advmss" / cs.Int32un, "reordering" / cs.Int32un, "rcv_rtt" / cs.Int32un,
    "rcv_space" / cs.Int32un, "total_retrans" / cs.Int32un, "pacing_rate" / cs.Int64un,
    "max_pacing_rate" / cs.Int64un, "bytes_acked" / cs.Int64un, "bytes_received" / cs.Int64un,
    "segs_out" / cs.Int32un, "segs_in" / cs.Int32un, "notsent_bytes" / cs.Int32un, "min_rtt" / cs.Int32un,
    "data_segs_in" / cs.Int32un, "data_segs_out" / cs.Int32un, "delivery_rate" / cs.Int64un,
    "busy_time" / cs.Int64un, "rwnd_limited" / cs.Int64un, "sndbuf_limited" / cs.Int64un,
    "delivered" / cs.Int32un, "delivered_ce" / cs.Int32un, "bytes_sent" / cs.Int64un,
    "bytes_retrans" / cs.Int64un, "dsack_dups" / cs.Int32un, "reord_seen" / cs.Int32un,
    "rcv_ooopack" / cs.Int32un, "snd_wnd" / cs.Int32un,
)
"""struct tcp_info (include/uapi/linux/tcp.h, as this machine's header has it: state ...
   snd_wnd). The two bitfield bytes are whole fields: ``wscale`` holds tcpi_snd_wscale:4 (low
   nibble) and tcpi_rcv_wscale:4, ``app_limited`` tcpi_delivery_rate_app_limited:1 and
   tcpi_fastopen_client_fail:2. A newer kernel's longer struct decodes this prefix and keeps
   the rest as the record's ``extra``."""

inet_diag_meminfo = cs.Struct("rmem" / cs.Int32un, "wmem" / cs.Int32un, "fmem" / cs.Int32un, "tmem" / cs.Int32un)
"""struct inet_diag_meminfo { __u32 idiag_rmem; __u32 idiag_wmem; __u32 idiag_fmem; __u32 idiag_tmem; };"""

tcpvegas_info = cs.Struct("enabled" / cs.Int32un, "rttcnt" / cs.Int32un, "rtt" / cs.Int32un, "minrtt" / cs.Int32un)
"""struct tcpvegas_info { __u32 tcpv_enabled; __u32 tcpv_rttcnt; __u32 tcpv_rtt; __u32 tcpv_minrtt; };"""

tcp_dctcp_info = cs.Struct(
    "enabled" / cs.Int16un, "ce_state" / cs.Int16un, "alpha" / cs.Int32un, "ab_ecn" / cs.Int32un,
    "ab_tot" / cs.Int32un,
)
"""struct tcp_dctcp_info { __u16 dctcp_enabled; __u16 dctcp_ce_state; __u32 dctcp_alpha;
   __u32 dctcp_ab_ecn; __u32 dctcp_ab_tot; };"""

tcp_bbr_info = cs.Struct(
    "bw_lo" / cs.Int32un, "bw_hi" / cs.Int32un, "min_rtt" / cs.Int32un, "pacing_gain" / cs.Int32un,
    "cwnd_gain" / cs.Int32un,
)
"""struct tcp_bbr_info { __u32 bbr_bw_lo; __u32 bbr_bw_hi; __u32 bbr_min_rtt; __u32 bbr_pacing_gain;
   __u32 bbr_cwnd_gain; };"""

unix_diag_vfs = cs.Struct("ino" / cs.Int32un, "dev" / cs.Int32un)
"""struct unix_diag_vfs { __u32 udiag_vfs_ino; __u32 udiag_vfs_dev; };"""

unix_diag_rqlen = cs.Struct("rqueue" / cs.Int32un, "wqueue" / cs.Int32un)
"""struct unix_diag_rqlen { __u32 udiag_rqueue; __u32 udiag_wqueue; };"""

netlink_diag_ring = cs.Struct(
    "block_size" / cs.Int32un, "block_nr" / cs.Int32un, "frame_size" / cs.Int32un, "frame_nr" / cs.Int32un,
)
"""struct netlink_diag_ring { __u32 ndr_block_size; __u32 ndr_block_nr; __u32 ndr_frame_size;
   __u32 ndr_frame_nr; };"""

packet_diag_info = cs.Struct(
    "index" / cs.Int32un, "version" / cs.Int32un, "reserve" / cs.Int32un, "copy_thresh" / cs.Int32un,
    "tstamp" / cs.Int32un, "flags" / cs.Int32un,
)
"""struct packet_diag_info { __u32 pdi_index; __u32 pdi_version; __u32 pdi_reserve;
   __u32 pdi_copy_thresh; __u32 pdi_tstamp; __u32 pdi_flags; };"""

packet_diag_mclist = cs.Struct(
    "index" / cs.Int32un, "count" / cs.Int32un, "type" / cs.Int16un, "alen" / cs.Int16un, "addr" / cs.Bytes(32),
)
"""struct packet_diag_mclist { __u32 pdmc_index; __u32 pdmc_count; __u16 pdmc_type; __u16 pdmc_alen;
   __u8 pdmc_addr[32]; };"""

packet_diag_ring = cs.Struct(
    "block_size" / cs.Int32un, "block_nr" / cs.Int32un, "frame_size" / cs.Int32un, "frame_nr" / cs.Int32un,
    "retire_tmo" / cs.Int32un, "sizeof_priv" / cs.Int32un, "features" / cs.Int32un,
)
"""struct packet_diag_ring { __u32 pdr_block_size; __u32 pdr_block_nr; __u32 pdr_frame_size;
   __u32 pdr_frame_nr; __u32 pdr_retire_tmo; __u32 pdr_sizeof_priv; __u32 pdr_features; };"""

TCP_INFO = FixedStruct(
    "tcp_info", tcp_info, "TcpInfo", {"state": TCP_STATE, "ca_state": TCP_CA, "options": TCPI_OPT}
)
_MEMINFO = packed_array(u32, SK_MEMINFO)

# ---------------------------------------------------------------------------- attribute sets

INET_DIAG_REQ_ATTRS = AttrSet(
    INET_DIAG_REQ,
    {
        INET_DIAG_REQ.BYTECODE: binary,  # inet_diag_bc_op programs
        INET_DIAG_REQ.SK_BPF_STORAGES: binary,
        INET_DIAG_REQ.PROTOCOL: u32,  # the protocol when sdiag_protocol cannot hold it (IPPROTO_MPTCP)
    },
)

ULP_INFO_ATTRS = AttrSet(
    INET_ULP_INFO, {INET_ULP_INFO.NAME: string, INET_ULP_INFO.TLS: binary, INET_ULP_INFO.MPTCP: binary}
)

INET_DIAG_ATTRS = AttrSet(
    INET_DIAG,
    {
        INET_DIAG.MEMINFO: struct(FixedStruct("inet_diag_meminfo", inet_diag_meminfo, "InetDiagMeminfo")),
        INET_DIAG.INFO: struct(TCP_INFO),  # TCP's; UDP and raw sockets send none
        INET_DIAG.VEGASINFO: struct(FixedStruct("tcpvegas_info", tcpvegas_info, "TcpvegasInfo")),
        INET_DIAG.CONG: string,
        INET_DIAG.TOS: u8,
        INET_DIAG.TCLASS: u8,
        INET_DIAG.SKMEMINFO: _MEMINFO,
        INET_DIAG.SHUTDOWN: u8,
        INET_DIAG.DCTCPINFO: struct(FixedStruct("tcp_dctcp_info", tcp_dctcp_info, "TcpDctcpInfo")),
        INET_DIAG.PROTOCOL: u8(IPPROTO),
        INET_DIAG.SKV6ONLY: u8,
        INET_DIAG.LOCALS: binary,  # SCTP: sockaddr_storage records
        INET_DIAG.PEERS: binary,
        INET_DIAG.PAD: binary,
        INET_DIAG.MARK: u32,
        INET_DIAG.BBRINFO: struct(FixedStruct("tcp_bbr_info", tcp_bbr_info, "TcpBbrInfo")),
        INET_DIAG.CLASS_ID: u32,
        INET_DIAG.MD5SIG: binary,
        INET_DIAG.ULP_INFO: nested(ULP_INFO_ATTRS),
        INET_DIAG.SK_BPF_STORAGES: binary,
        INET_DIAG.CGROUP_ID: u64,
        INET_DIAG.SOCKOPT: u16(INET_DIAG_SOCKOPT),
    },
)

UNIX_DIAG_ATTRS = AttrSet(
    UNIX_DIAG,
    {
        UNIX_DIAG.NAME: raw_string,  # sun_path as bound; an abstract name starts with a NUL
        UNIX_DIAG.VFS: struct(FixedStruct("unix_diag_vfs", unix_diag_vfs, "UnixDiagVfs")),
        UNIX_DIAG.PEER: u32,
        UNIX_DIAG.ICONS: packed_array(u32),
        UNIX_DIAG.RQLEN: struct(FixedStruct("unix_diag_rqlen", unix_diag_rqlen, "UnixDiagRqlen")),
        UNIX_DIAG.MEMINFO: _MEMINFO,
        UNIX_DIAG.SHUTDOWN: u8,
        UNIX_DIAG.UID: u32,
    },
)

_NETLINK_RING = struct(FixedStruct("netlink_diag_ring", netlink_diag_ring, "NetlinkDiagRing"))
NETLINK_DIAG_ATTRS = AttrSet(
    NETLINK_DIAG,
    {
        NETLINK_DIAG.MEMINFO: _MEMINFO,
        NETLINK_DIAG.GROUPS: binary,  # a bitmap of unsigned longs
        NETLINK_DIAG.RX_RING: _NETLINK_RING,
        NETLINK_DIAG.TX_RING: _NETLINK_RING,
        NETLINK_DIAG.FLAGS: u32(NDIAG_FLAG),
    },
)

_PACKET_RING = struct(FixedStruct("packet_diag_ring", packet_diag_ring, "PacketDiagRing"))
PACKET_DIAG_ATTRS = AttrSet(
    PACKET_DIAG,
    {
        PACKET_DIAG.INFO: struct(FixedStruct("packet_diag_info", packet_diag_info, "PacketDiagInfo", {"flags": PDI})),
        PACKET_DIAG.MCLIST: struct_array(FixedStruct("packet_diag_mclist", packet_diag_mclist, "PacketDiagMclist")),
        PACKET_DIAG.RX_RING: _PACKET_RING,
        PACKET_DIAG.TX_RING: _PACKET_RING,
        PACKET_DIAG.FANOUT: u32,
        PACKET_DIAG.UID: u32,
        PACKET_DIAG.MEMINFO: _MEMINFO,
        PACKET_DIAG.FILTER: binary,  # struct sock_filter[]
    },
)

# ---------------------------------------------------------------------------- bodies

Body = tuple[FixedStruct, "AttrSet | None"]

BODIES: dict[int, dict[tuple[int, bool], Body]] = {
    int(SOCK_DIAG.BY_FAMILY): {  # SOCK_DESTROY's requests are the same
        **{(int(f), True): (INET_DIAG_REQ_V2[f], INET_DIAG_REQ_ATTRS) for f in (AF.INET, AF.INET6)},
        **{(int(f), False): (INET_DIAG_MSG[f], INET_DIAG_ATTRS) for f in (AF.INET, AF.INET6)},
        (int(AF.UNIX), True): (UNIX_DIAG_REQ, None),
        (int(AF.UNIX), False): (UNIX_DIAG_MSG, UNIX_DIAG_ATTRS),
        (int(AF.NETLINK), True): (NETLINK_DIAG_REQ, None),
        (int(AF.NETLINK), False): (NETLINK_DIAG_MSG, NETLINK_DIAG_ATTRS),
        (int(AF.PACKET), True): (PACKET_DIAG_REQ, None),
        (int(AF.PACKET), False): (PACKET_DIAG_MSG, PACKET_DIAG_ATTRS),
    },
    int(SOCK_DIAG.TCPDIAG_GETSOCK): {  # (and DCCPDIAG_GETSOCK): the old inet_diag_req, replied with inet_diag_msg
        **{(int(f), True): (INET_DIAG_REQ_V1[f], INET_DIAG_REQ_ATTRS) for f in (AF.INET, AF.INET6)},
        **{(int(f), False): (INET_DIAG_MSG[f], INET_DIAG_ATTRS) for f in (AF.INET, AF.INET6)},
    },
}
"""Per NETLINK_SOCK_DIAG message type, per (first body byte: the socket family, whether the
message is a request): the body's fixed header and attribute set."""
BODIES[int(SOCK_DIAG.DCCPDIAG_GETSOCK)] = BODIES[int(SOCK_DIAG.TCPDIAG_GETSOCK)]
BODIES[int(SOCK_DIAG.DESTROY)] = {key: body for key, body in BODIES[int(SOCK_DIAG.BY_FAMILY)].items() if key[1]}

