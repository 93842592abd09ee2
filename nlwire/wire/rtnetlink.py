"""rtnetlink schemas (include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h,
neighbour.h, if_bridge.h, veth.h, fib_rules.h, nexthop.h, netconf.h): the fixed
headers and the attribute sets they carry."""

from __future__ import annotations

import enum

import construct as cs

from nlwire.consts import (
    AF,
    ARPHRD,
    BOND_LINK,
    BOND_MODE,
    BOND_STATE,
    BOND_XMIT_POLICY,
    BR_STATE,
    BRIDGE_FLAGS,
    BRIDGE_MODE,
    BRIDGE_VLAN_INFO,
    BRIDGE_VLANDB,
    BRIDGE_VLANDB_DUMP,
    BRIDGE_VLANDB_DUMPF,
    BRIDGE_VLANDB_ENTRY,
    BRIDGE_VLANDB_STATS,
    BRIDGE_VLANDB_TINFO,
    DEVCONF,
    FR_ACT,
    FRA,
    GENEVE_DF,
    GRE,
    IF_LINK_MODE,
    IF_OPER,
    IFA,
    IFA_F,
    IFF,
    IFLA,
    IFLA_BOND,
    IFLA_BOND_AD_INFO,
    IFLA_BOND_SLAVE,
    IFLA_BR,
    IFLA_BRIDGE,
    IFLA_BRPORT,
    IFLA_EVENT,
    IFLA_GENEVE,
    IFLA_GRE,
    IFLA_INET,
    IFLA_INET6,
    IFLA_INFO,
    IFLA_IPTUN,
    IFLA_IPVLAN,
    IFLA_MACSEC,
    IFLA_MACVLAN,
    IFLA_PROTO_DOWN_REASON,
    IFLA_STATS,
    IFLA_TUN,
    IFLA_VLAN,
    IFLA_VLAN_QOS,
    IFLA_VRF,
    IFLA_VRF_PORT,
    IFLA_VXLAN,
    IFLA_XDP,
    IFLA_XFRM,
    IN6_ADDR_GEN_MODE,
    IP6_TNL_F,
    IPPROTO,
    IPV4_DEVCONF,
    IPVLAN_F,
    IPVLAN_MODE,
    LACP_STATE,
    LWTUNNEL_ENCAP,
    LWTUNNEL_IP,
    LWTUNNEL_IP6,
    MACSEC_CIPHER_ID,
    MACSEC_OFFLOAD,
    MACSEC_VALIDATE,
    MACVLAN_MODE,
    NDA,
    NETCONFA,
    NETNSA,
    NEXTHOP_GRP_TYPE,
    NHA,
    NHA_RES_BUCKET,
    NHA_RES_GROUP,
    NTF,
    NTF_EXT,
    NUD,
    RT_SCOPE,
    RT_TABLE,
    RTA,
    RTAX,
    RTEXT_FILTER,
    RTM_F,
    RTN,
    RTNH_F,
    RTPROT,
    SIT,
    TCA,
    TCA_STATS,
    TUN_TYPE,
    TUNNEL_ENCAP,
    TUNNEL_ENCAP_FLAG,
    VETH_INFO,
)
from nlwire.wire.attrs import AttrSet, Kind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.kinds import (
    be16,
    be32,
    be64,
    binary,
    bitfield32,
    by_header,
    by_sibling,
    flag,
    hwaddr,
    ipaddr,
    length_prefixed_list,
    nested,
    nested_array,
    nested_choosing,
    packed_array,
    rtvia,
    s32,
    string,
    struct,
    struct_array,
    struct_then_attrs,
    u8,
    u16,
    u32,
    u64,
    uint,
)
from nlwire.wire.spec_kinds import from_spec

__all__ = [
    "ADDR_ATTRS", "AF_SPEC_ATTRS", "BRIDGE_AF_ATTRS", "BRPORT_ATTRS", "BR_ATTRS", "IFADDRMSG",
    "IFINFOMSG", "IF_STATS_MSG", "LINKINFO_ATTRS", "LINK_ATTRS", "LWTUNNEL_IP6_ATTRS", "LWTUNNEL_IP_ATTRS",
    "METRICS_ATTRS", "NDMSG",
    "NEIGH_ATTRS", "NETCONFMSG", "NETCONF_ATTRS", "NEXTHOP_ATTRS", "NEXTHOP_GRP", "NHA_RES_BUCKET_ATTRS",
    "NHA_RES_GROUP_ATTRS", "NHMSG", "NSID_ATTRS", "ROUTE_ATTRS", "RTGENMSG",
    "RTMSG", "RTNEXTHOP", "RULE_ATTRS", "FIB_RULE_HDR", "STATS_ATTRS", "TCA_ATTRS", "TCA_STATS2_ATTRS", "TCMSG",
    "VETH_ATTRS", "VLANDB_ATTRS", "VLANDB_DUMP_ATTRS", "VLANDB_ENTRY_ATTRS", "VLAN_ATTRS", "VXLAN_ATTRS",
    "MACVLAN_ATTRS", "BR_VLAN_MSG",
    "ifinfomsg", "ifaddrmsg", "rtmsg", "ndmsg", "tcmsg", "rtgenmsg", "rtnexthop", "nhmsg",
    "fib_rule_hdr", "netconfmsg", "if_stats_msg", "br_vlan_msg",
]

# ---------------------------------------------------------------------------- fixed headers

ifinfomsg = cs.Struct(
    "family" / cs.Int8un, cs.Padding(1), "type" / cs.Int16un,
    "index" / cs.Int32sn, "flags" / cs.Int32un, "change" / cs.Int32un,
)
"""struct ifinfomsg { unsigned char ifi_family; unsigned char __ifi_pad;
   unsigned short ifi_type; int ifi_index; unsigned ifi_flags; unsigned ifi_change; };"""

ifaddrmsg = cs.Struct(
    "family" / cs.Int8un, "prefixlen" / cs.Int8un, "flags" / cs.Int8un,
    "scope" / cs.Int8un, "index" / cs.Int32un,
)
"""struct ifaddrmsg { __u8 ifa_family; __u8 ifa_prefixlen; __u8 ifa_flags;
   __u8 ifa_scope; __u32 ifa_index; };"""

rtmsg = cs.Struct(
    "family" / cs.Int8un, "dst_len" / cs.Int8un, "src_len" / cs.Int8un, "tos" / cs.Int8un,
    "table" / cs.Int8un, "protocol" / cs.Int8un, "scope" / cs.Int8un, "type" / cs.Int8un,
    "flags" / cs.Int32un,
)
"""struct rtmsg { unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos,
   rtm_table, rtm_protocol, rtm_scope, rtm_type; unsigned rtm_flags; };"""

ndmsg = cs.Struct(
    "family" / cs.Int8un, cs.Padding(3), "ifindex" / cs.Int32sn,
    "state" / cs.Int16un, "flags" / cs.Int8un, "type" / cs.Int8un,
)
"""struct ndmsg { __u8 ndm_family; __u8 ndm_pad1; __u16 ndm_pad2; __s32 ndm_ifindex;
   __u16 ndm_state; __u8 ndm_flags; __u8 ndm_type; };"""

tcmsg = cs.Struct(
    "family" / cs.Int8un, cs.Padding(3), "ifindex" / cs.Int32sn,
    "handle" / cs.Int32un, "parent" / cs.Int32un, "info" / cs.Int32un,
)
"""struct tcmsg { unsigned char tcm_family; unsigned char tcm__pad1; unsigned short tcm__pad2;
   int tcm_ifindex; __u32 tcm_handle; __u32 tcm_parent; __u32 tcm_info; };"""

rtgenmsg = cs.Struct("family" / cs.Int8un)
"""struct rtgenmsg { unsigned char rtgen_family; };"""

netconfmsg = cs.Struct("family" / cs.Int8un)
"""struct netconfmsg { __u8 ncm_family; };"""

fib_rule_hdr = cs.Struct(
    "family" / cs.Int8un, "dst_len" / cs.Int8un, "src_len" / cs.Int8un, "tos" / cs.Int8un,
    "table" / cs.Int8un, cs.Padding(2), "action" / cs.Int8un, "flags" / cs.Int32un,
)
"""struct fib_rule_hdr { __u8 family, dst_len, src_len, tos, table, res1, res2, action;
   __u32 flags; };"""

nhmsg = cs.Struct(
    "family" / cs.Int8un, "scope" / cs.Int8un, "protocol" / cs.Int8un, cs.Padding(1),
    "flags" / cs.Int32un,
)
"""struct nhmsg { unsigned char nh_family, nh_scope, nh_protocol, resvd; unsigned int nh_flags; };"""

if_stats_msg = cs.Struct(
    "family" / cs.Int8un, cs.Padding(3), "ifindex" / cs.Int32un, "filter_mask" / cs.Int32un,
)
"""struct if_stats_msg { __u8 family; __u8 pad1; __u16 pad2; __u32 ifindex; __u32 filter_mask; };"""

br_vlan_msg = cs.Struct("family" / cs.Int8un, cs.Padding(3), "ifindex" / cs.Int32un)
"""struct br_vlan_msg { __u8 family; __u8 reserved1; __u16 reserved2; __u32 ifindex; };"""

rtnexthop = cs.Struct(
    "len" / cs.Int16un, "flags" / cs.Int8un, "hops" / cs.Int8un, "ifindex" / cs.Int32sn,
)
"""struct rtnexthop { unsigned short rtnh_len; unsigned char rtnh_flags;
   unsigned char rtnh_hops; int rtnh_ifindex; };"""

_ARPHRD_SET = enum.IntEnum("ARPHRD", {m.name: int(m) for m in ARPHRD if m})  # type: ignore[misc]
"""ARPHRD_* less NETROM (0): a request's ifi_type 0 is unset (RTM_NEWLINK ignores the field, a
strict RTM_GETLINK dump refuses anything else), not a NET/ROM device."""

IFINFOMSG = FixedStruct(
    "ifinfomsg", ifinfomsg, "IfInfoMsg", {"family": AF, "type": ARPHRD, "flags": IFF, "change": IFF},
    request_enums={"type": _ARPHRD_SET},
)
IFADDRMSG = FixedStruct("ifaddrmsg", ifaddrmsg, "IfAddrMsg", {"family": AF, "flags": IFA_F, "scope": RT_SCOPE})
RTMSG = FixedStruct(
    "rtmsg",
    rtmsg,
    "RtMsg",
    {"family": AF, "table": RT_TABLE, "protocol": RTPROT, "scope": RT_SCOPE, "type": RTN, "flags": RTM_F},
)
NDMSG = FixedStruct("ndmsg", ndmsg, "NdMsg", {"family": AF, "state": NUD, "flags": NTF})
TCMSG = FixedStruct("tcmsg", tcmsg, "TcMsg", {"family": AF})
RTGENMSG = FixedStruct("rtgenmsg", rtgenmsg, "RtGenMsg", {"family": AF})
NETCONFMSG = FixedStruct("netconfmsg", netconfmsg, "NetconfMsg", {"family": AF})
FIB_RULE_HDR = FixedStruct(
    "fib_rule_hdr", fib_rule_hdr, "FibRuleHdr", {"family": AF, "table": RT_TABLE, "action": FR_ACT}
)
NHMSG = FixedStruct("nhmsg", nhmsg, "NhMsg", {"family": AF, "scope": RT_SCOPE, "protocol": RTPROT})
IF_STATS_MSG = FixedStruct("if_stats_msg", if_stats_msg, "IfStatsMsg", {"family": AF})
BR_VLAN_MSG = FixedStruct("br_vlan_msg", br_vlan_msg, "BrVlanMsg", {"family": AF})
RTNEXTHOP = FixedStruct("rtnexthop", rtnexthop, "RtNexthop", {"flags": RTNH_F})

# ---------------------------------------------------------------------------- value structs

_STATS_FIELDS = (
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
    "rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
    "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
    "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
    "rx_nohandler",
)
rtnl_link_stats = cs.Struct(*(name / cs.Int32un for name in _STATS_FIELDS))
"""struct rtnl_link_stats { __u32 rx_packets; ... __u32 rx_nohandler; };  (24 counters;
rx_otherhost_dropped, added in 5.19, is read as an extension)"""
rtnl_link_stats64 = cs.Struct(*(name / cs.Int64un for name in (*_STATS_FIELDS, "rx_otherhost_dropped")))
"""struct rtnl_link_stats64 { __u64 rx_packets; ... __u64 rx_nohandler; __u64 rx_otherhost_dropped; };"""

rtnl_link_ifmap = cs.Struct(
    "mem_start" / cs.Int64un, "mem_end" / cs.Int64un, "base_addr" / cs.Int64un,
    "irq" / cs.Int16un, "dma" / cs.Int8un, "port" / cs.Int8un, cs.Padding(4),
)
"""struct rtnl_link_ifmap { __u64 mem_start; __u64 mem_end; __u64 base_addr; __u16 irq;
   __u8 dma; __u8 port; };  (sizeof 32: 4 bytes of tail padding)"""

ifla_cacheinfo = cs.Struct(
    "max_reasm_len" / cs.Int32un, "tstamp" / cs.Int32un,
    "reachable_time" / cs.Int32un, "retrans_time" / cs.Int32un,
)
"""struct ifla_cacheinfo { __u32 max_reasm_len; __u32 tstamp; __u32 reachable_time;
   __u32 retrans_time; };"""

ifa_cacheinfo = cs.Struct(
    "prefered" / cs.Int32un, "valid" / cs.Int32un, "cstamp" / cs.Int32un, "tstamp" / cs.Int32un,
)
"""struct ifa_cacheinfo { __u32 ifa_prefered; __u32 ifa_valid; __u32 cstamp; __u32 tstamp; };"""

rta_cacheinfo = cs.Struct(
    "clntref" / cs.Int32un, "lastuse" / cs.Int32un, "expires" / cs.Int32sn, "error" / cs.Int32un,
    "used" / cs.Int32un, "id" / cs.Int32un, "ts" / cs.Int32un, "tsage" / cs.Int32un,
)
"""struct rta_cacheinfo { __u32 rta_clntref; __u32 rta_lastuse; __s32 rta_expires;
   __u32 rta_error; __u32 rta_used; __u32 rta_id; __u32 rta_ts; __u32 rta_tsage; };"""

nda_cacheinfo = cs.Struct(
    "confirmed" / cs.Int32un, "used" / cs.Int32un, "updated" / cs.Int32un, "refcnt" / cs.Int32un,
)
"""struct nda_cacheinfo { __u32 ndm_confirmed; __u32 ndm_used; __u32 ndm_updated; __u32 ndm_refcnt; };"""

ifla_bridge_id = cs.Struct("prio" / cs.Int16ub, "addr" / cs.Bytes(6))
"""struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; };  (prio in network byte order)"""

ifla_vlan_flags = cs.Struct("flags" / cs.Int32un, "mask" / cs.Int32un)
"""struct ifla_vlan_flags { __u32 flags; __u32 mask; };"""

ifla_vlan_qos_mapping = cs.Struct("from" / cs.Int32un, "to" / cs.Int32un)
"""struct ifla_vlan_qos_mapping { __u32 from; __u32 to; };"""

ifla_vxlan_port_range = cs.Struct("low" / cs.Int16ub, "high" / cs.Int16ub)
"""struct ifla_vxlan_port_range { __be16 low; __be16 high; };"""

bridge_vlan_info = cs.Struct("flags" / cs.Int16un, "vid" / cs.Int16un)
"""struct bridge_vlan_info { __u16 flags; __u16 vid; };"""

BRIDGE_VLAN_INFO_STRUCT = FixedStruct(
    "bridge_vlan_info", bridge_vlan_info, "BridgeVlanInfo", {"flags": BRIDGE_VLAN_INFO}
)

fib_rule_uid_range = cs.Struct("start" / cs.Int32un, "end" / cs.Int32un)
"""struct fib_rule_uid_range { __u32 start; __u32 end; };"""

fib_rule_port_range = cs.Struct("start" / cs.Int16un, "end" / cs.Int16un)
"""struct fib_rule_port_range { __u16 start; __u16 end; };"""

_BRIDGE_ID = struct(FixedStruct("ifla_bridge_id", ifla_bridge_id, "IflaBridgeId"))

# ---------------------------------------------------------------------------- link

VLAN_QOS_ATTRS = AttrSet(
    IFLA_VLAN_QOS,
    {IFLA_VLAN_QOS.MAPPING: struct(FixedStruct("ifla_vlan_qos_mapping", ifla_vlan_qos_mapping, "IflaVlanQosMapping"))},
)

VLAN_ATTRS = AttrSet(
    IFLA_VLAN,
    {
        IFLA_VLAN.ID: u16,
        IFLA_VLAN.FLAGS: struct(FixedStruct("ifla_vlan_flags", ifla_vlan_flags, "IflaVlanFlags")),
        IFLA_VLAN.EGRESS_QOS: nested(VLAN_QOS_ATTRS),
        IFLA_VLAN.INGRESS_QOS: nested(VLAN_QOS_ATTRS),
        IFLA_VLAN.PROTOCOL: be16,
    },
)

VXLAN_ATTRS = AttrSet(
    IFLA_VXLAN,
    {
        IFLA_VXLAN.ID: u32, IFLA_VXLAN.GROUP: ipaddr, IFLA_VXLAN.LINK: u32, IFLA_VXLAN.LOCAL: ipaddr,
        IFLA_VXLAN.TTL: u8, IFLA_VXLAN.TOS: u8, IFLA_VXLAN.LEARNING: u8, IFLA_VXLAN.AGEING: u32,
        IFLA_VXLAN.LIMIT: u32,
        IFLA_VXLAN.PORT_RANGE: struct(
            FixedStruct("ifla_vxlan_port_range", ifla_vxlan_port_range, "IflaVxlanPortRange")
        ),
        IFLA_VXLAN.PROXY: u8, IFLA_VXLAN.RSC: u8, IFLA_VXLAN.L2MISS: u8, IFLA_VXLAN.L3MISS: u8,
        IFLA_VXLAN.PORT: be16, IFLA_VXLAN.GROUP6: ipaddr, IFLA_VXLAN.LOCAL6: ipaddr,
        IFLA_VXLAN.UDP_CSUM: u8, IFLA_VXLAN.UDP_ZERO_CSUM6_TX: u8, IFLA_VXLAN.UDP_ZERO_CSUM6_RX: u8,
        IFLA_VXLAN.REMCSUM_TX: u8, IFLA_VXLAN.REMCSUM_RX: u8, IFLA_VXLAN.GBP: flag,
        IFLA_VXLAN.REMCSUM_NOPARTIAL: flag, IFLA_VXLAN.COLLECT_METADATA: u8, IFLA_VXLAN.LABEL: be32,
        IFLA_VXLAN.GPE: flag,
        # the policy says NLA_FLAG, but vxlan_fill_info() sends a u8: decode what the kernel sends
        IFLA_VXLAN.TTL_INHERIT: u8, IFLA_VXLAN.DF: u8,
        IFLA_VXLAN.VNIFILTER: u8, IFLA_VXLAN.LOCALBYPASS: u8, IFLA_VXLAN.LABEL_POLICY: u32,
        IFLA_VXLAN.RESERVED_BITS: binary,
    },
)

MACVLAN_ATTRS: AttrSet = AttrSet(
    IFLA_MACVLAN,
    {
        IFLA_MACVLAN.MODE: u32(MACVLAN_MODE), IFLA_MACVLAN.FLAGS: u16, IFLA_MACVLAN.MACADDR_MODE: u32,
        IFLA_MACVLAN.MACADDR: hwaddr, IFLA_MACVLAN.MACADDR_DATA: nested(lambda: MACVLAN_ATTRS),
        IFLA_MACVLAN.MACADDR_COUNT: u32, IFLA_MACVLAN.BC_QUEUE_LEN: u32,
        IFLA_MACVLAN.BC_QUEUE_LEN_USED: u32,
    },
)

VRF_ATTRS = AttrSet(IFLA_VRF, {IFLA_VRF.TABLE: u32})
VRF_PORT_ATTRS = AttrSet(IFLA_VRF_PORT, {IFLA_VRF_PORT.TABLE: u32})
IPVLAN_ATTRS = AttrSet(IFLA_IPVLAN, {IFLA_IPVLAN.MODE: u16(IPVLAN_MODE), IFLA_IPVLAN.FLAGS: u16(IPVLAN_F)})

BOND_AD_INFO_ATTRS = AttrSet(
    IFLA_BOND_AD_INFO,
    {
        IFLA_BOND_AD_INFO.AGGREGATOR: u16, IFLA_BOND_AD_INFO.NUM_PORTS: u16, IFLA_BOND_AD_INFO.ACTOR_KEY: u16,
        IFLA_BOND_AD_INFO.PARTNER_KEY: u16, IFLA_BOND_AD_INFO.PARTNER_MAC: hwaddr,
    },
)
BOND_ATTRS = AttrSet(
    IFLA_BOND,
    {
        # ARP_VALIDATE, PRIMARY_RESELECT, FAIL_OVER_MAC, AD_LACP_RATE and AD_SELECT take values
        # the uapi headers do not name (include/net/bonding.h): plain numbers
        IFLA_BOND.MODE: u8(BOND_MODE), IFLA_BOND.ACTIVE_SLAVE: u32, IFLA_BOND.MIIMON: u32,
        IFLA_BOND.UPDELAY: u32, IFLA_BOND.DOWNDELAY: u32, IFLA_BOND.USE_CARRIER: u8,
        IFLA_BOND.ARP_INTERVAL: u32,
        # nests of addresses numbered 0, 1, ... (bond_changelink's nla_for_each_nested)
        IFLA_BOND.ARP_IP_TARGET: nested_array(ipaddr, 0), IFLA_BOND.ARP_VALIDATE: u32,
        IFLA_BOND.ARP_ALL_TARGETS: u32, IFLA_BOND.PRIMARY: u32, IFLA_BOND.PRIMARY_RESELECT: u8,
        IFLA_BOND.FAIL_OVER_MAC: u8, IFLA_BOND.XMIT_HASH_POLICY: u8(BOND_XMIT_POLICY),
        IFLA_BOND.RESEND_IGMP: u32, IFLA_BOND.NUM_PEER_NOTIF: u8, IFLA_BOND.ALL_SLAVES_ACTIVE: u8,
        IFLA_BOND.MIN_LINKS: u32, IFLA_BOND.LP_INTERVAL: u32, IFLA_BOND.PACKETS_PER_SLAVE: u32,
        IFLA_BOND.AD_LACP_RATE: u8, IFLA_BOND.AD_SELECT: u8, IFLA_BOND.AD_INFO: nested(BOND_AD_INFO_ATTRS),
        IFLA_BOND.AD_ACTOR_SYS_PRIO: u16, IFLA_BOND.AD_USER_PORT_KEY: u16, IFLA_BOND.AD_ACTOR_SYSTEM: hwaddr,
        IFLA_BOND.TLB_DYNAMIC_LB: u8, IFLA_BOND.PEER_NOTIF_DELAY: u32, IFLA_BOND.AD_LACP_ACTIVE: u8,
        IFLA_BOND.MISSED_MAX: u8, IFLA_BOND.NS_IP6_TARGET: nested_array(ipaddr, 0),
        IFLA_BOND.COUPLED_CONTROL: u8,
    },
)
BOND_PORT_ATTRS = AttrSet(
    IFLA_BOND_SLAVE,
    {
        IFLA_BOND_SLAVE.STATE: u8(BOND_STATE), IFLA_BOND_SLAVE.MII_STATUS: u8(BOND_LINK),
        IFLA_BOND_SLAVE.LINK_FAILURE_COUNT: u32, IFLA_BOND_SLAVE.PERM_HWADDR: hwaddr,
        IFLA_BOND_SLAVE.QUEUE_ID: u16, IFLA_BOND_SLAVE.AD_AGGREGATOR_ID: u16,
        # the actor's state is a u8, the partner's a u16 (bond_fill_slave_info)
        IFLA_BOND_SLAVE.AD_ACTOR_OPER_PORT_STATE: u8(LACP_STATE),
        IFLA_BOND_SLAVE.AD_PARTNER_OPER_PORT_STATE: u16(LACP_STATE), IFLA_BOND_SLAVE.PRIO: s32,
        IFLA_BOND_SLAVE.ACTOR_PORT_PRIO: u16, IFLA_BOND_SLAVE.AD_CHURN_ACTOR_STATE: u8,
        IFLA_BOND_SLAVE.AD_CHURN_PARTNER_STATE: u8,
    },
)

# IFLA_GRE_LOCAL/REMOTE hold 4 bytes for gre/gretap/erspan and 16 for ip6gre/ip6gretap/ip6erspan;
# keys, flow info and encapsulation ports are big-endian; FLAGS (IP6_TNL_F_*) is read by the
# IPv6 kinds only
GRE_ATTRS = AttrSet(
    IFLA_GRE,
    {
        IFLA_GRE.LINK: u32, IFLA_GRE.IFLAGS: be16(GRE), IFLA_GRE.OFLAGS: be16(GRE), IFLA_GRE.IKEY: be32,
        IFLA_GRE.OKEY: be32, IFLA_GRE.LOCAL: ipaddr, IFLA_GRE.REMOTE: ipaddr, IFLA_GRE.TTL: u8,
        IFLA_GRE.TOS: u8, IFLA_GRE.PMTUDISC: u8, IFLA_GRE.ENCAP_LIMIT: u8, IFLA_GRE.FLOWINFO: be32,
        IFLA_GRE.FLAGS: u32(IP6_TNL_F), IFLA_GRE.ENCAP_TYPE: u16(TUNNEL_ENCAP),
        IFLA_GRE.ENCAP_FLAGS: u16(TUNNEL_ENCAP_FLAG), IFLA_GRE.ENCAP_SPORT: be16, IFLA_GRE.ENCAP_DPORT: be16,
        IFLA_GRE.COLLECT_METADATA: flag, IFLA_GRE.IGNORE_DF: u8, IFLA_GRE.FWMARK: u32,
        IFLA_GRE.ERSPAN_INDEX: u32, IFLA_GRE.ERSPAN_VER: u8, IFLA_GRE.ERSPAN_DIR: u8,
        IFLA_GRE.ERSPAN_HWID: u16,
    },
)

_IPTUN: dict[int, Kind] = {
    IFLA_IPTUN.LINK: u32, IFLA_IPTUN.LOCAL: ipaddr, IFLA_IPTUN.REMOTE: ipaddr, IFLA_IPTUN.TTL: u8,
    IFLA_IPTUN.TOS: u8, IFLA_IPTUN.ENCAP_LIMIT: u8, IFLA_IPTUN.FLOWINFO: be32, IFLA_IPTUN.PROTO: u8(IPPROTO),
    IFLA_IPTUN.PMTUDISC: u8, IFLA_IPTUN._6RD_PREFIX: ipaddr, IFLA_IPTUN._6RD_RELAY_PREFIX: ipaddr,
    IFLA_IPTUN._6RD_PREFIXLEN: u16, IFLA_IPTUN._6RD_RELAY_PREFIXLEN: u16,
    IFLA_IPTUN.ENCAP_TYPE: u16(TUNNEL_ENCAP), IFLA_IPTUN.ENCAP_FLAGS: u16(TUNNEL_ENCAP_FLAG),
    IFLA_IPTUN.ENCAP_SPORT: be16, IFLA_IPTUN.ENCAP_DPORT: be16, IFLA_IPTUN.COLLECT_METADATA: flag,
    IFLA_IPTUN.FWMARK: u32,
}
# the one difference between the kinds: IFLA_IPTUN_FLAGS is sit's u16 (SIT_ISATAP; ipip has
# none) and ip6tnl's u32 (IP6_TNL_F_*)
IPTUN_ATTRS = AttrSet(IFLA_IPTUN, {**_IPTUN, IFLA_IPTUN.FLAGS: u16(SIT)})
IP6TNL_ATTRS = AttrSet(IFLA_IPTUN, {**_IPTUN, IFLA_IPTUN.FLAGS: u32(IP6_TNL_F)})

GENEVE_ATTRS = AttrSet(
    IFLA_GENEVE,
    {
        IFLA_GENEVE.ID: u32, IFLA_GENEVE.REMOTE: ipaddr, IFLA_GENEVE.TTL: u8, IFLA_GENEVE.TOS: u8,
        IFLA_GENEVE.PORT: be16, IFLA_GENEVE.COLLECT_METADATA: flag, IFLA_GENEVE.REMOTE6: ipaddr,
        IFLA_GENEVE.UDP_CSUM: u8, IFLA_GENEVE.UDP_ZERO_CSUM6_TX: u8, IFLA_GENEVE.UDP_ZERO_CSUM6_RX: u8,
        IFLA_GENEVE.LABEL: be32, IFLA_GENEVE.TTL_INHERIT: u8, IFLA_GENEVE.DF: u8(GENEVE_DF),
        IFLA_GENEVE.INNER_PROTO_INHERIT: flag,
    },
)

MACSEC_ATTRS = AttrSet(
    IFLA_MACSEC,
    {
        # the SCI and the port are in network order (sci_t, __be16)
        IFLA_MACSEC.SCI: be64, IFLA_MACSEC.PORT: be16, IFLA_MACSEC.ICV_LEN: u8,
        IFLA_MACSEC.CIPHER_SUITE: u64(MACSEC_CIPHER_ID), IFLA_MACSEC.WINDOW: u32,
        IFLA_MACSEC.ENCODING_SA: u8, IFLA_MACSEC.ENCRYPT: u8, IFLA_MACSEC.PROTECT: u8,
        IFLA_MACSEC.INC_SCI: u8, IFLA_MACSEC.ES: u8, IFLA_MACSEC.SCB: u8, IFLA_MACSEC.REPLAY_PROTECT: u8,
        IFLA_MACSEC.VALIDATION: u8(MACSEC_VALIDATE), IFLA_MACSEC.PAD: binary,
        IFLA_MACSEC.OFFLOAD: u8(MACSEC_OFFLOAD),
    },
)

TUN_ATTRS = AttrSet(
    IFLA_TUN,
    {
        IFLA_TUN.OWNER: u32, IFLA_TUN.GROUP: u32, IFLA_TUN.TYPE: u8(TUN_TYPE), IFLA_TUN.PI: u8,
        IFLA_TUN.VNET_HDR: u8, IFLA_TUN.PERSIST: u8, IFLA_TUN.MULTI_QUEUE: u8, IFLA_TUN.NUM_QUEUES: u32,
        IFLA_TUN.NUM_DISABLED_QUEUES: u32,
    },
)

XFRM_ATTRS = AttrSet(
    IFLA_XFRM, {IFLA_XFRM.LINK: u32, IFLA_XFRM.IF_ID: u32, IFLA_XFRM.COLLECT_METADATA: flag}
)

_MCAST_INTVL = (
    IFLA_BR.MCAST_LAST_MEMBER_INTVL, IFLA_BR.MCAST_MEMBERSHIP_INTVL, IFLA_BR.MCAST_QUERIER_INTVL,
    IFLA_BR.MCAST_QUERY_INTVL, IFLA_BR.MCAST_QUERY_RESPONSE_INTVL, IFLA_BR.MCAST_STARTUP_QUERY_INTVL,
)
BR_ATTRS = AttrSet(
    IFLA_BR,
    {
        IFLA_BR.FORWARD_DELAY: u32, IFLA_BR.HELLO_TIME: u32, IFLA_BR.MAX_AGE: u32,
        IFLA_BR.AGEING_TIME: u32, IFLA_BR.STP_STATE: u32, IFLA_BR.PRIORITY: u16,
        IFLA_BR.VLAN_FILTERING: u8, IFLA_BR.VLAN_PROTOCOL: be16, IFLA_BR.GROUP_FWD_MASK: u16,
        IFLA_BR.ROOT_ID: _BRIDGE_ID, IFLA_BR.BRIDGE_ID: _BRIDGE_ID, IFLA_BR.ROOT_PORT: u16,
        IFLA_BR.ROOT_PATH_COST: u32, IFLA_BR.TOPOLOGY_CHANGE: u8,
        IFLA_BR.TOPOLOGY_CHANGE_DETECTED: u8, IFLA_BR.HELLO_TIMER: u64, IFLA_BR.TCN_TIMER: u64,
        IFLA_BR.TOPOLOGY_CHANGE_TIMER: u64, IFLA_BR.GC_TIMER: u64, IFLA_BR.GROUP_ADDR: hwaddr,
        IFLA_BR.FDB_FLUSH: flag, IFLA_BR.MCAST_ROUTER: u8, IFLA_BR.MCAST_SNOOPING: u8,
        IFLA_BR.MCAST_QUERY_USE_IFADDR: u8, IFLA_BR.MCAST_QUERIER: u8,
        IFLA_BR.MCAST_HASH_ELASTICITY: u32, IFLA_BR.MCAST_HASH_MAX: u32,
        IFLA_BR.MCAST_LAST_MEMBER_CNT: u32, IFLA_BR.MCAST_STARTUP_QUERY_CNT: u32,
        **{k: u64 for k in _MCAST_INTVL},
        IFLA_BR.NF_CALL_IPTABLES: u8, IFLA_BR.NF_CALL_IP6TABLES: u8, IFLA_BR.NF_CALL_ARPTABLES: u8,
        IFLA_BR.VLAN_DEFAULT_PVID: u16, IFLA_BR.PAD: binary, IFLA_BR.VLAN_STATS_ENABLED: u8,
        IFLA_BR.MCAST_STATS_ENABLED: u8, IFLA_BR.MCAST_IGMP_VERSION: u8,
        IFLA_BR.MCAST_MLD_VERSION: u8, IFLA_BR.VLAN_STATS_PER_PORT: u8,
        IFLA_BR.MULTI_BOOLOPT: bitfield32, IFLA_BR.MCAST_QUERIER_STATE: binary,
        IFLA_BR.FDB_N_LEARNED: u32, IFLA_BR.FDB_MAX_LEARNED: u32,
    },
)

_U8_PORT_FLAGS = (
    IFLA_BRPORT.MODE, IFLA_BRPORT.GUARD, IFLA_BRPORT.PROTECT, IFLA_BRPORT.FAST_LEAVE,
    IFLA_BRPORT.LEARNING, IFLA_BRPORT.UNICAST_FLOOD, IFLA_BRPORT.PROXYARP,
    IFLA_BRPORT.LEARNING_SYNC, IFLA_BRPORT.PROXYARP_WIFI, IFLA_BRPORT.TOPOLOGY_CHANGE_ACK,
    IFLA_BRPORT.CONFIG_PENDING, IFLA_BRPORT.MULTICAST_ROUTER, IFLA_BRPORT.MCAST_FLOOD,
    IFLA_BRPORT.MCAST_TO_UCAST, IFLA_BRPORT.VLAN_TUNNEL, IFLA_BRPORT.BCAST_FLOOD,
    IFLA_BRPORT.NEIGH_SUPPRESS, IFLA_BRPORT.ISOLATED, IFLA_BRPORT.MRP_RING_OPEN,
    IFLA_BRPORT.MRP_IN_OPEN, IFLA_BRPORT.LOCKED, IFLA_BRPORT.MAB, IFLA_BRPORT.NEIGH_VLAN_SUPPRESS,
)
BRPORT_ATTRS = AttrSet(
    IFLA_BRPORT,
    {
        IFLA_BRPORT.STATE: u8(BR_STATE), IFLA_BRPORT.PRIORITY: u16, IFLA_BRPORT.COST: u32,
        **{k: u8 for k in _U8_PORT_FLAGS},
        IFLA_BRPORT.ROOT_ID: _BRIDGE_ID, IFLA_BRPORT.BRIDGE_ID: _BRIDGE_ID,
        IFLA_BRPORT.DESIGNATED_PORT: u16, IFLA_BRPORT.DESIGNATED_COST: u16, IFLA_BRPORT.ID: u16,
        IFLA_BRPORT.NO: u16, IFLA_BRPORT.MESSAGE_AGE_TIMER: u64,
        IFLA_BRPORT.FORWARD_DELAY_TIMER: u64, IFLA_BRPORT.HOLD_TIMER: u64, IFLA_BRPORT.FLUSH: flag,
        IFLA_BRPORT.PAD: binary, IFLA_BRPORT.GROUP_FWD_MASK: u16, IFLA_BRPORT.BACKUP_PORT: u32,
        IFLA_BRPORT.MCAST_EHT_HOSTS_LIMIT: u32, IFLA_BRPORT.MCAST_EHT_HOSTS_CNT: u32,
        IFLA_BRPORT.MCAST_N_GROUPS: u32, IFLA_BRPORT.MCAST_MAX_GROUPS: u32,
        IFLA_BRPORT.BACKUP_NHID: u32,
    },
)

VETH_ATTRS = AttrSet(
    VETH_INFO,
    # only ever in a request (veth has no fill_info: dumps carry no IFLA_INFO_DATA), so its
    # ifinfomsg is named as a request's
    {VETH_INFO.PEER: struct_then_attrs(IFINFOMSG.in_request, lambda: LINK_ATTRS)},
)

_INFO_DATA = {
    "veth": nested(VETH_ATTRS),
    "bridge": nested(BR_ATTRS),
    "vlan": nested(VLAN_ATTRS),
    "vxlan": nested(VXLAN_ATTRS),
    "macvlan": nested(MACVLAN_ATTRS),
    "macvtap": nested(MACVLAN_ATTRS),
    "vrf": nested(VRF_ATTRS),
    "ipvlan": nested(IPVLAN_ATTRS),
    "ipvtap": nested(IPVLAN_ATTRS),
    "bond": nested(BOND_ATTRS),
    "gre": nested(GRE_ATTRS),
    "gretap": nested(GRE_ATTRS),
    "erspan": nested(GRE_ATTRS),
    "ip6gre": nested(GRE_ATTRS),
    "ip6gretap": nested(GRE_ATTRS),
    "ip6erspan": nested(GRE_ATTRS),
    "ipip": nested(IPTUN_ATTRS),
    "sit": nested(IPTUN_ATTRS),
    "ip6tnl": nested(IP6TNL_ATTRS),
    "geneve": nested(GENEVE_ATTRS),
    "macsec": nested(MACSEC_ATTRS),
    "tun": nested(TUN_ATTRS),
    "xfrm": nested(XFRM_ATTRS),
    # "dummy" and "wireguard" have no IFLA_INFO_DATA: their rtnl_link_ops declare no attributes
    # (a WireGuard device is configured over generic netlink), so they have no entry here
}
_INFO_SLAVE_DATA = {"bridge": nested(BRPORT_ATTRS), "vrf": nested(VRF_PORT_ATTRS), "bond": nested(BOND_PORT_ATTRS)}

LINKINFO_ATTRS = AttrSet(
    IFLA_INFO,
    {
        IFLA_INFO.KIND: string,
        IFLA_INFO.DATA: by_sibling(IFLA_INFO.KIND, _INFO_DATA),
        IFLA_INFO.XSTATS: binary,
        IFLA_INFO.SLAVE_KIND: string,
        # the kernel reads SLAVE_DATA with the master's rtnl_link_ops: a dump names the master's
        # kind in SLAVE_KIND; a request (ip link set DEV type bridge_slave cost 9) sends only
        # IFLA_INFO_KIND "<master kind>_slave"
        IFLA_INFO.SLAVE_DATA: by_sibling(
            IFLA_INFO.SLAVE_KIND, _INFO_SLAVE_DATA,
            by_sibling(IFLA_INFO.KIND, {f"{kind}_slave": data for kind, data in _INFO_SLAVE_DATA.items()}),
        ),
    },
)
"""IFLA_LINKINFO: IFLA_INFO_KIND selects the set of IFLA_INFO_DATA; SLAVE_KIND (else a
``*_slave`` IFLA_INFO_KIND) that of SLAVE_DATA."""

# element i of IFLA_INET_CONF is IPV4_DEVCONF i + 1 (inet_fill_conf writes devconf[0..MAX-1])
INET_ATTRS = AttrSet(IFLA_INET, {IFLA_INET.CONF: packed_array(u32, IPV4_DEVCONF, 1)})
INET6_ATTRS = AttrSet(
    IFLA_INET6,
    {
        IFLA_INET6.FLAGS: u32,
        IFLA_INET6.CONF: packed_array(s32, DEVCONF),  # element i is DEVCONF i (ipv6.h)
        IFLA_INET6.STATS: packed_array(u64),
        IFLA_INET6.MCAST: binary,
        IFLA_INET6.CACHEINFO: struct(FixedStruct("ifla_cacheinfo", ifla_cacheinfo, "IflaCacheinfo")),
        IFLA_INET6.ICMP6STATS: packed_array(u64),
        IFLA_INET6.TOKEN: ipaddr,
        IFLA_INET6.ADDR_GEN_MODE: u8(IN6_ADDR_GEN_MODE),
        IFLA_INET6.RA_MTU: u32,
    },
)

AF_SPEC_ATTRS = AttrSet(
    AF,
    {AF.INET: nested(INET_ATTRS), AF.INET6: nested(INET6_ATTRS)},
    name="IFLA_AF_SPEC",
)
"""IFLA_AF_SPEC of AF_UNSPEC link messages: one nest per address family."""

BRIDGE_AF_ATTRS = AttrSet(
    IFLA_BRIDGE,
    {
        IFLA_BRIDGE.FLAGS: u16(BRIDGE_FLAGS),
        IFLA_BRIDGE.MODE: u16(BRIDGE_MODE),
        IFLA_BRIDGE.VLAN_INFO: struct(BRIDGE_VLAN_INFO_STRUCT),
        IFLA_BRIDGE.VLAN_TUNNEL_INFO: binary,
        IFLA_BRIDGE.MRP: binary,
        IFLA_BRIDGE.CFM: binary,
        IFLA_BRIDGE.MST: binary,
    },
)
"""IFLA_AF_SPEC of AF_BRIDGE link messages (``bridge vlan``)."""

PROP_LIST_ATTRS = AttrSet(IFLA, {IFLA.ALT_IFNAME: string}, name="IFLA_PROP_LIST")
PROTO_DOWN_REASON_ATTRS = AttrSet(
    IFLA_PROTO_DOWN_REASON,
    {IFLA_PROTO_DOWN_REASON.MASK: u32, IFLA_PROTO_DOWN_REASON.VALUE: u32},
)
XDP_ATTRS = AttrSet(
    IFLA_XDP,
    {
        IFLA_XDP.FD: s32, IFLA_XDP.ATTACHED: u8, IFLA_XDP.FLAGS: u32, IFLA_XDP.PROG_ID: u32,
        IFLA_XDP.DRV_PROG_ID: u32, IFLA_XDP.SKB_PROG_ID: u32, IFLA_XDP.HW_PROG_ID: u32,
        IFLA_XDP.EXPECTED_FD: s32,
    },
)

LINK_ATTRS: AttrSet = AttrSet(
    IFLA,
    {
        IFLA.ADDRESS: hwaddr,
        IFLA.BROADCAST: hwaddr,
        IFLA.IFNAME: string,
        IFLA.MTU: u32,
        IFLA.LINK: u32,
        IFLA.QDISC: string,
        IFLA.STATS: struct(FixedStruct("rtnl_link_stats", rtnl_link_stats, "RtnlLinkStats")),
        IFLA.COST: u32,
        IFLA.PRIORITY: u32,
        IFLA.MASTER: u32,
        IFLA.WIRELESS: binary,
        IFLA.PROTINFO: by_header("family", {AF.BRIDGE: nested(BRPORT_ATTRS), AF.INET6: nested(INET6_ATTRS)}),
        IFLA.TXQLEN: u32,
        IFLA.MAP: struct(FixedStruct("rtnl_link_ifmap", rtnl_link_ifmap, "RtnlLinkIfmap")),
        IFLA.WEIGHT: u32,
        IFLA.OPERSTATE: u8(IF_OPER),
        IFLA.LINKMODE: u8(IF_LINK_MODE),
        IFLA.LINKINFO: nested(LINKINFO_ATTRS),
        IFLA.NET_NS_PID: u32,
        IFLA.IFALIAS: string,
        IFLA.NUM_VF: u32,
        IFLA.VFINFO_LIST: binary,
        IFLA.STATS64: struct(FixedStruct("rtnl_link_stats64", rtnl_link_stats64, "RtnlLinkStats64")),
        IFLA.VF_PORTS: binary,
        IFLA.PORT_SELF: binary,
        IFLA.AF_SPEC: by_header("family", {AF.BRIDGE: nested(BRIDGE_AF_ATTRS)}, nested(AF_SPEC_ATTRS)),
        IFLA.GROUP: u32,
        IFLA.NET_NS_FD: u32,
        IFLA.EXT_MASK: u32(RTEXT_FILTER),
        IFLA.PROMISCUITY: u32,
        IFLA.NUM_TX_QUEUES: u32,
        IFLA.NUM_RX_QUEUES: u32,
        IFLA.CARRIER: u8,
        IFLA.PHYS_PORT_ID: binary,
        IFLA.CARRIER_CHANGES: u32,
        IFLA.PHYS_SWITCH_ID: binary,
        IFLA.LINK_NETNSID: s32,
        IFLA.PHYS_PORT_NAME: string,
        IFLA.PROTO_DOWN: u8,
        IFLA.GSO_MAX_SEGS: u32,
        IFLA.GSO_MAX_SIZE: u32,
        IFLA.PAD: binary,
        IFLA.XDP: nested(XDP_ATTRS),
        IFLA.EVENT: u32(IFLA_EVENT),
        IFLA.NEW_NETNSID: s32,
        IFLA.IF_NETNSID: s32,
        IFLA.CARRIER_UP_COUNT: u32,
        IFLA.CARRIER_DOWN_COUNT: u32,
        IFLA.NEW_IFINDEX: s32,
        IFLA.MIN_MTU: u32,
        IFLA.MAX_MTU: u32,
        IFLA.PROP_LIST: nested(PROP_LIST_ATTRS),
        IFLA.ALT_IFNAME: string,
        IFLA.PERM_ADDRESS: hwaddr,
        IFLA.PROTO_DOWN_REASON: nested(PROTO_DOWN_REASON_ATTRS),
        IFLA.PARENT_DEV_NAME: string,
        IFLA.PARENT_DEV_BUS_NAME: string,
        IFLA.GRO_MAX_SIZE: u32,
        IFLA.TSO_MAX_SIZE: u32,
        IFLA.TSO_MAX_SEGS: u32,
        IFLA.ALLMULTI: u32,
        IFLA.DEVLINK_PORT: binary,
        IFLA.GSO_IPV4_MAX_SIZE: u32,
        IFLA.GRO_IPV4_MAX_SIZE: u32,
        IFLA.DPLL_PIN: binary,
        IFLA.MAX_PACING_OFFLOAD_HORIZON: uint,
        IFLA.NETNS_IMMUTABLE: u8,
        IFLA.HEADROOM: u16,
        IFLA.TAILROOM: u16,
    },
)
"""Link attributes (IFLA_*) of RTM_{NEW,DEL,GET,SET}LINK after struct ifinfomsg."""

STATS_ATTRS = AttrSet(
    IFLA_STATS,
    {IFLA_STATS.LINK_64: struct(FixedStruct("rtnl_link_stats64", rtnl_link_stats64, "RtnlLinkStats64"))},
)

# ---------------------------------------------------------------------------- addresses

ADDR_ATTRS = AttrSet(
    IFA,
    {
        IFA.ADDRESS: ipaddr,
        IFA.LOCAL: ipaddr,
        IFA.LABEL: string,
        IFA.BROADCAST: ipaddr,
        IFA.ANYCAST: ipaddr,
        IFA.CACHEINFO: struct(FixedStruct("ifa_cacheinfo", ifa_cacheinfo, "IfaCacheinfo")),
        IFA.MULTICAST: ipaddr,
        IFA.FLAGS: u32(IFA_F),
        IFA.RT_PRIORITY: u32,
        IFA.TARGET_NETNSID: s32,
        IFA.PROTO: u8,
    },
)
"""Address attributes (IFA_*) after struct ifaddrmsg."""

# ---------------------------------------------------------------------------- routes

METRICS_ATTRS = AttrSet(
    RTAX,
    {**{m: u32 for m in RTAX if m not in (RTAX.UNSPEC, RTAX.CC_ALGO)}, RTAX.CC_ALGO: string},
)
"""RTA_METRICS: one u32 per RTAX_* metric (RTAX_CC_ALGO is a string)."""

LWTUNNEL_IP_ATTRS = AttrSet(
    LWTUNNEL_IP,
    {
        LWTUNNEL_IP.ID: be64, LWTUNNEL_IP.DST: ipaddr, LWTUNNEL_IP.SRC: ipaddr, LWTUNNEL_IP.TTL: u8,
        LWTUNNEL_IP.TOS: u8, LWTUNNEL_IP.FLAGS: be16, LWTUNNEL_IP.PAD: binary, LWTUNNEL_IP.OPTS: binary,
    },
)
"""RTA_ENCAP / NHA_ENCAP of LWTUNNEL_ENCAP_IP (net/ipv4/ip_tunnel_core.c: the tunnel id is
a be64, the flags a be16)."""

LWTUNNEL_IP6_ATTRS = AttrSet(
    LWTUNNEL_IP6,
    {
        LWTUNNEL_IP6.ID: be64, LWTUNNEL_IP6.DST: ipaddr, LWTUNNEL_IP6.SRC: ipaddr, LWTUNNEL_IP6.HOPLIMIT: u8,
        LWTUNNEL_IP6.TC: u8, LWTUNNEL_IP6.FLAGS: be16, LWTUNNEL_IP6.PAD: binary, LWTUNNEL_IP6.OPTS: binary,
    },
)
"""RTA_ENCAP / NHA_ENCAP of LWTUNNEL_ENCAP_IP6."""

_ENCAP = {LWTUNNEL_ENCAP.IP: nested(LWTUNNEL_IP_ATTRS), LWTUNNEL_ENCAP.IP6: nested(LWTUNNEL_IP6_ATTRS)}
"""Encapsulations by their type; the others (MPLS, SEG6, BPF, ...) stay raw bytes."""

ROUTE_ATTRS: AttrSet = AttrSet(
    RTA,
    {
        RTA.DST: ipaddr,
        RTA.SRC: ipaddr,
        RTA.IIF: u32,
        RTA.OIF: u32,
        RTA.GATEWAY: ipaddr,
        RTA.PRIORITY: u32,
        RTA.PREFSRC: ipaddr,
        RTA.METRICS: nested(METRICS_ATTRS),
        RTA.MULTIPATH: length_prefixed_list(RTNEXTHOP, lambda: ROUTE_ATTRS),
        RTA.PROTOINFO: binary,
        RTA.FLOW: u32,
        RTA.CACHEINFO: struct(FixedStruct("rta_cacheinfo", rta_cacheinfo, "RtaCacheinfo")),
        RTA.SESSION: binary,
        RTA.MP_ALGO: u32,
        RTA.TABLE: u32,
        RTA.MARK: u32,
        RTA.MFC_STATS: binary,
        RTA.VIA: rtvia,
        RTA.NEWDST: binary,
        RTA.PREF: u8,
        RTA.ENCAP_TYPE: u16(LWTUNNEL_ENCAP),
        RTA.ENCAP: by_sibling(RTA.ENCAP_TYPE, _ENCAP),
        RTA.EXPIRES: u32,
        RTA.PAD: binary,
        RTA.UID: u32,
        RTA.TTL_PROPAGATE: u8,
        RTA.IP_PROTO: u8,
        RTA.SPORT: be16,
        RTA.DPORT: be16,
        RTA.NH_ID: u32,
        RTA.FLOWLABEL: be32,
    },
)
"""Route attributes (RTA_*) after struct rtmsg; RTA_MULTIPATH holds rtnexthop + RTA_* records."""

# ---------------------------------------------------------------------------- the bridge VLAN database

VLANDB_TINFO_ATTRS = AttrSet(BRIDGE_VLANDB_TINFO, {BRIDGE_VLANDB_TINFO.ID: u32, BRIDGE_VLANDB_TINFO.CMD: u32})
"""BRIDGE_VLANDB_ENTRY_TUNNEL_INFO: the tunnel id mapped to the VLAN."""

VLANDB_STATS_ATTRS = AttrSet(
    BRIDGE_VLANDB_STATS,
    {
        BRIDGE_VLANDB_STATS.RX_BYTES: u64, BRIDGE_VLANDB_STATS.RX_PACKETS: u64, BRIDGE_VLANDB_STATS.TX_BYTES: u64,
        BRIDGE_VLANDB_STATS.TX_PACKETS: u64, BRIDGE_VLANDB_STATS.PAD: binary,
    },
)
"""BRIDGE_VLANDB_ENTRY_STATS (dumped with BRIDGE_VLANDB_DUMPF_STATS)."""

VLANDB_ENTRY_ATTRS = AttrSet(
    BRIDGE_VLANDB_ENTRY,
    {
        BRIDGE_VLANDB_ENTRY.INFO: struct(BRIDGE_VLAN_INFO_STRUCT),  # as IFLA_BRIDGE_VLAN_INFO
        BRIDGE_VLANDB_ENTRY.RANGE: u16,
        BRIDGE_VLANDB_ENTRY.STATE: u8(BR_STATE),
        BRIDGE_VLANDB_ENTRY.TUNNEL_INFO: nested(VLANDB_TINFO_ATTRS),
        BRIDGE_VLANDB_ENTRY.STATS: nested(VLANDB_STATS_ATTRS),
        BRIDGE_VLANDB_ENTRY.MCAST_ROUTER: u8,
        BRIDGE_VLANDB_ENTRY.MCAST_N_GROUPS: u32,
        BRIDGE_VLANDB_ENTRY.MCAST_MAX_GROUPS: u32,
        BRIDGE_VLANDB_ENTRY.NEIGH_SUPPRESS: u8,
    },
)
"""One VLAN (or range, up to BRIDGE_VLANDB_ENTRY_RANGE) of a bridge or port (net/bridge/br_vlan.c)."""

VLANDB_ATTRS = AttrSet(
    BRIDGE_VLANDB,
    {BRIDGE_VLANDB.ENTRY: nested(VLANDB_ENTRY_ATTRS), BRIDGE_VLANDB.GLOBAL_OPTIONS: binary},
)
"""RTM_NEWVLAN / RTM_DELVLAN attributes after struct br_vlan_msg (the global options stay bytes)."""

VLANDB_DUMP_ATTRS = AttrSet(BRIDGE_VLANDB_DUMP, {BRIDGE_VLANDB_DUMP.FLAGS: u32(BRIDGE_VLANDB_DUMPF)})
"""RTM_GETVLAN dump request attributes."""

# ---------------------------------------------------------------------------- neighbours, rules, nexthops, netconf, tc

NEIGH_ATTRS = AttrSet(
    NDA,
    {
        NDA.DST: ipaddr,
        NDA.LLADDR: hwaddr,
        NDA.CACHEINFO: struct(FixedStruct("nda_cacheinfo", nda_cacheinfo, "NdaCacheinfo")),
        NDA.PROBES: u32,
        NDA.VLAN: u16,
        NDA.PORT: be16,
        NDA.VNI: u32,
        NDA.IFINDEX: u32,
        NDA.MASTER: u32,
        NDA.LINK_NETNSID: s32,
        NDA.SRC_VNI: u32,
        NDA.PROTOCOL: u8,
        NDA.NH_ID: u32,
        NDA.FDB_EXT_ATTRS: binary,
        NDA.FLAGS_EXT: u32(NTF_EXT),
        NDA.NDM_STATE_MASK: u16,
        NDA.NDM_FLAGS_MASK: u8,
    },
)
"""Neighbour attributes (NDA_*) after struct ndmsg."""

RULE_ATTRS = AttrSet(
    FRA,
    {
        FRA.DST: ipaddr, FRA.SRC: ipaddr, FRA.IIFNAME: string, FRA.GOTO: u32, FRA.PRIORITY: u32,
        FRA.FWMARK: u32, FRA.FLOW: u32, FRA.TUN_ID: be64, FRA.SUPPRESS_IFGROUP: u32,
        FRA.SUPPRESS_PREFIXLEN: u32, FRA.TABLE: u32, FRA.FWMASK: u32, FRA.OIFNAME: string,
        FRA.PAD: binary, FRA.L3MDEV: u8,
        FRA.UID_RANGE: struct(FixedStruct("fib_rule_uid_range", fib_rule_uid_range, "FibRuleUidRange")),
        FRA.PROTOCOL: u8, FRA.IP_PROTO: u8,
        FRA.SPORT_RANGE: struct(FixedStruct("fib_rule_port_range", fib_rule_port_range, "FibRulePortRange")),
        FRA.DPORT_RANGE: struct(FixedStruct("fib_rule_port_range", fib_rule_port_range, "FibRulePortRange")),
    },
)
"""Policy-routing rule attributes (FRA_*) after struct fib_rule_hdr."""

nexthop_grp = cs.Struct("id" / cs.Int32un, "weight" / cs.Int8un, "resvd1" / cs.Int8un, "resvd2" / cs.Int16un)
"""struct nexthop_grp { __u32 id; __u8 weight; __u8 resvd1; __u16 resvd2; };  (one member of
a group: ``weight`` is the weight ``ip nexthop`` shows, minus one)"""

NEXTHOP_GRP = FixedStruct("nexthop_grp", nexthop_grp, "NexthopGrp")

NHA_RES_GROUP_ATTRS = AttrSet(
    NHA_RES_GROUP,
    {
        NHA_RES_GROUP.PAD: binary, NHA_RES_GROUP.BUCKETS: u16, NHA_RES_GROUP.IDLE_TIMER: u32,
        NHA_RES_GROUP.UNBALANCED_TIMER: u32, NHA_RES_GROUP.UNBALANCED_TIME: u64,
    },
)
"""NHA_RES_GROUP: a resilient group's bucket count and timers (clock_t)."""

NHA_RES_BUCKET_ATTRS = AttrSet(
    NHA_RES_BUCKET,
    {
        NHA_RES_BUCKET.PAD: binary, NHA_RES_BUCKET.INDEX: u16, NHA_RES_BUCKET.IDLE_TIME: u64,
        NHA_RES_BUCKET.NH_ID: u32,
    },
)
"""NHA_RES_BUCKET: one bucket of a resilient group (RTM_NEWNEXTHOPBUCKET)."""

NEXTHOP_ATTRS = AttrSet(
    NHA,
    {
        NHA.ID: u32, NHA.GROUP: struct_array(NEXTHOP_GRP), NHA.GROUP_TYPE: u16(NEXTHOP_GRP_TYPE),
        NHA.BLACKHOLE: flag, NHA.OIF: u32,
        NHA.GATEWAY: ipaddr, NHA.ENCAP_TYPE: u16(LWTUNNEL_ENCAP),
        NHA.ENCAP: by_sibling(NHA.ENCAP_TYPE, _ENCAP),
        NHA.GROUPS: flag, NHA.MASTER: u32, NHA.FDB: flag, NHA.RES_GROUP: nested(NHA_RES_GROUP_ATTRS),
        NHA.RES_BUCKET: nested(NHA_RES_BUCKET_ATTRS),
    },
)
"""Nexthop object attributes (NHA_*) after struct nhmsg."""

NETCONF_ATTRS = AttrSet(
    NETCONFA,
    {m: s32 for m in NETCONFA if m != NETCONFA.UNSPEC},
)
"""NETCONFA_* after struct netconfmsg (every value is a signed int)."""

gnet_stats_basic = cs.Struct("bytes" / cs.Int64un, "packets" / cs.Int32un)
"""struct gnet_stats_basic { __u64 bytes; __u32 packets; };  (the kernel sends sizeof, 16
bytes on 64-bit machines: the 4 bytes of padding are kept as the struct's extra bytes)"""
gnet_stats_rate_est = cs.Struct("bps" / cs.Int32un, "pps" / cs.Int32un)
"""struct gnet_stats_rate_est { __u32 bps; __u32 pps; };"""
gnet_stats_rate_est64 = cs.Struct("bps" / cs.Int64un, "pps" / cs.Int64un)
"""struct gnet_stats_rate_est64 { __u64 bps; __u64 pps; };"""
gnet_stats_queue = cs.Struct(
    "qlen" / cs.Int32un, "backlog" / cs.Int32un, "drops" / cs.Int32un, "requeues" / cs.Int32un,
    "overlimits" / cs.Int32un,
)
"""struct gnet_stats_queue { __u32 qlen, backlog, drops, requeues, overlimits; };"""
tc_stats = cs.Struct(
    "bytes" / cs.Int64un, "packets" / cs.Int32un, "drops" / cs.Int32un, "overlimits" / cs.Int32un,
    "bps" / cs.Int32un, "pps" / cs.Int32un, "qlen" / cs.Int32un, "backlog" / cs.Int32un,
)
"""struct tc_stats (pkt_sched.h), the legacy TCA_STATS: bytes, packets, drops, overlimits,
bps, pps, qlen, backlog."""

GNET_STATS_BASIC = FixedStruct("gnet_stats_basic", gnet_stats_basic, "GnetStatsBasic")

TCA_STATS2_ATTRS = AttrSet(
    TCA_STATS,
    {
        TCA_STATS.BASIC: struct(GNET_STATS_BASIC),
        TCA_STATS.RATE_EST: struct(FixedStruct("gnet_stats_rate_est", gnet_stats_rate_est, "GnetStatsRateEst")),
        TCA_STATS.QUEUE: struct(FixedStruct("gnet_stats_queue", gnet_stats_queue, "GnetStatsQueue")),
        TCA_STATS.APP: binary,
        TCA_STATS.RATE_EST64: struct(
            FixedStruct("gnet_stats_rate_est64", gnet_stats_rate_est64, "GnetStatsRateEst64")
        ),
        TCA_STATS.PAD: binary,
        TCA_STATS.BASIC_HW: struct(GNET_STATS_BASIC),
        TCA_STATS.PKT64: u64,
    },
)
"""TCA_STATS2: the generic statistics of a qdisc, class, filter or action (gen_stats.h).
TCA_STATS_APP, the qdisc's own, is bytes here: TCA_ATTRS's TCA_STATS2 gives it its kind
by the message's TCA_KIND."""

tc_htb_xstats = cs.Struct(
    "lends" / cs.Int32un, "borrows" / cs.Int32un, "giants" / cs.Int32un, "tokens" / cs.Int32sn,
    "ctokens" / cs.Int32sn,
)
"""struct tc_htb_xstats { __u32 lends; __u32 borrows; __u32 giants; __s32 tokens; __s32 ctokens; };
(pkt_sched.h: an htb class's own statistics, which the tc spec's tca-stats-app-msg lacks)"""

_TC_XSTATS = from_spec(
    "tc", "tc-attrs", "xstats", more={"htb": struct(FixedStruct("tc_htb_xstats", tc_htb_xstats, "TcHtbXstats"))}
)
"""A qdisc's or class's own statistics (``struct tc_fq_codel_xstats``...), chosen by
``TCA_KIND`` as the installed tc spec declares them, and htb's, which it does not (bytes
without the spec)."""

TCA_ATTRS = AttrSet(
    TCA,
    {
        TCA.KIND: string, TCA.OPTIONS: from_spec("tc", "tc-attrs", "options"),
        TCA.STATS: struct(FixedStruct("tc_stats", tc_stats, "TcStats")),
        TCA.XSTATS: _TC_XSTATS, TCA.RATE: binary, TCA.FCNT: u32,
        # gnet_stats_copy_app() writes the qdisc's xstats both as TCA_STATS_APP and as TCA_XSTATS
        TCA.STATS2: nested_choosing(TCA_STATS2_ATTRS, TCA_STATS.APP, _TC_XSTATS),
        TCA.STAB: binary, TCA.PAD: binary,
        TCA.DUMP_INVISIBLE: flag, TCA.CHAIN: u32, TCA.HW_OFFLOAD: u8, TCA.INGRESS_BLOCK: u32,
        TCA.EGRESS_BLOCK: u32, TCA.DUMP_FLAGS: bitfield32, TCA.EXT_WARN_MSG: string,
    },
)
"""Traffic-control attributes (TCA_*) after struct tcmsg. TCA_OPTIONS, TCA_XSTATS and
TCA_STATS2's TCA_STATS_APP take the kind the installed tc spec gives them for the message's
TCA_KIND (htb's TCA_OPTIONS: its attributes, tc_htb_opt field by field); without the spec
(:func:`~nlwire.wire.spec_kinds.from_spec`) they are bytes."""

NSID_ATTRS = AttrSet(
    NETNSA,
    {
        NETNSA.NSID: s32,
        NETNSA.PID: u32,
        NETNSA.FD: u32,
        NETNSA.TARGET_NSID: s32,
        NETNSA.CURRENT_NSID: s32,
    },
)
"""Network namespace id attributes (NETNSA_*) after struct rtgenmsg (RTM_*NSID)."""
