"""Mirrors include/uapi/linux/rtnetlink.h (Linux 6.1).

rtnetlink message types, route attributes and flags, multicast groups
and traffic-control top-level attributes.
"""

from enum import IntEnum, IntFlag


class RTM(IntEnum):
    """RTM_* rtnetlink message types (nlmsg_type)."""

    NEWLINK = 16
    DELLINK = 17
    GETLINK = 18
    SETLINK = 19
    NEWADDR = 20
    DELADDR = 21
    GETADDR = 22
    NEWROUTE = 24
    DELROUTE = 25
    GETROUTE = 26
    NEWNEIGH = 28
    DELNEIGH = 29
    GETNEIGH = 30
    NEWRULE = 32
    DELRULE = 33
    GETRULE = 34
    NEWQDISC = 36
    DELQDISC = 37
    GETQDISC = 38
    NEWTCLASS = 40
    DELTCLASS = 41
    GETTCLASS = 42
    NEWTFILTER = 44
    DELTFILTER = 45
    GETTFILTER = 46
    NEWACTION = 48
    DELACTION = 49
    GETACTION = 50
    NEWPREFIX = 52
    NEWMULTICAST = 56  # added in Linux 6.13
    DELMULTICAST = 57  # added in Linux 6.13
    GETMULTICAST = 58
    NEWANYCAST = 60  # added in Linux 6.14
    DELANYCAST = 61  # added in Linux 6.14
    GETANYCAST = 62
    NEWNEIGHTBL = 64
    GETNEIGHTBL = 66
    SETNEIGHTBL = 67
    NEWNDUSEROPT = 68
    NEWADDRLABEL = 72
    DELADDRLABEL = 73
    GETADDRLABEL = 74
    GETDCB = 78
    SETDCB = 79
    NEWNETCONF = 80
    DELNETCONF = 81
    GETNETCONF = 82
    NEWMDB = 84
    DELMDB = 85
    GETMDB = 86
    NEWNSID = 88
    DELNSID = 89
    GETNSID = 90
    NEWSTATS = 92
    GETSTATS = 94
    SETSTATS = 95
    NEWCACHEREPORT = 96
    NEWCHAIN = 100
    DELCHAIN = 101
    GETCHAIN = 102
    NEWNEXTHOP = 104
    DELNEXTHOP = 105
    GETNEXTHOP = 106
    NEWLINKPROP = 108
    DELLINKPROP = 109
    GETLINKPROP = 110
    NEWVLAN = 112
    DELVLAN = 113
    GETVLAN = 114
    NEWNEXTHOPBUCKET = 116
    DELNEXTHOPBUCKET = 117
    GETNEXTHOPBUCKET = 118
    NEWTUNNEL = 120
    DELTUNNEL = 121
    GETTUNNEL = 122


class RTNL_FAMILY(IntEnum):
    """RTNL_FAMILY_* pseudo address families for multicast routing tables."""

    IPMR = 128
    IP6MR = 129


class RTN(IntEnum):
    """RTN_* route types (rtmsg.rtm_type)."""

    UNSPEC = 0
    UNICAST = 1
    LOCAL = 2
    BROADCAST = 3
    ANYCAST = 4
    MULTICAST = 5
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8
    THROW = 9
    NAT = 10
    XRESOLVE = 11


class RTPROT(IntEnum):
    """RTPROT_* route origin protocols (rtmsg.rtm_protocol)."""

    UNSPEC = 0
    REDIRECT = 1
    KERNEL = 2
    BOOT = 3
    STATIC = 4
    GATED = 8
    RA = 9
    MRT = 10
    ZEBRA = 11
    BIRD = 12
    DNROUTED = 13
    XORP = 14
    NTK = 15
    DHCP = 16
    MROUTED = 17
    KEEPALIVED = 18
    BABEL = 42
    OPENR = 99
    BGP = 186
    ISIS = 187
    OSPF = 188
    RIP = 189
    EIGRP = 192


class RT_SCOPE(IntEnum):
    """enum rt_scope_t: route scopes (rtmsg.rtm_scope)."""

    UNIVERSE = 0
    SITE = 200
    LINK = 253
    HOST = 254
    NOWHERE = 255


class RTM_F(IntFlag):
    """RTM_F_* route flags (rtmsg.rtm_flags)."""

    NOTIFY = 0x100
    CLONED = 0x200
    EQUALIZE = 0x400
    PREFIX = 0x800
    LOOKUP_TABLE = 0x1000
    FIB_MATCH = 0x2000
    OFFLOAD = 0x4000
    TRAP = 0x8000
    OFFLOAD_FAILED = 0x20000000


class RT_TABLE(IntEnum):
    """enum rt_class_t: reserved routing table ids."""

    UNSPEC = 0
    COMPAT = 252
    DEFAULT = 253
    MAIN = 254
    LOCAL = 255
    MAX = 0xFFFFFFFF


class RTA(IntEnum):
    """enum rtattr_type_t: route message attributes (RTA_*)."""

    UNSPEC = 0
    DST = 1
    SRC = 2
    IIF = 3
    OIF = 4
    GATEWAY = 5
    PRIORITY = 6
    PREFSRC = 7
    METRICS = 8
    MULTIPATH = 9
    PROTOINFO = 10
    FLOW = 11
    CACHEINFO = 12
    SESSION = 13
    MP_ALGO = 14
    TABLE = 15
    MARK = 16
    MFC_STATS = 17
    VIA = 18
    NEWDST = 19
    PREF = 20
    ENCAP_TYPE = 21
    ENCAP = 22
    EXPIRES = 23
    PAD = 24
    UID = 25
    TTL_PROPAGATE = 26
    IP_PROTO = 27
    SPORT = 28
    DPORT = 29
    NH_ID = 30
    FLOWLABEL = 31  # added in Linux 6.12


class RTNH_F(IntFlag):
    """RTNH_F_* next-hop flags (rtnexthop.rtnh_flags)."""

    DEAD = 0x1
    PERVASIVE = 0x2
    ONLINK = 0x4
    OFFLOAD = 0x8
    LINKDOWN = 0x10
    UNRESOLVED = 0x20
    TRAP = 0x40


class RTAX(IntEnum):
    """RTAX_* route metrics nested in RTA_METRICS."""

    UNSPEC = 0
    LOCK = 1
    MTU = 2
    WINDOW = 3
    RTT = 4
    RTTVAR = 5
    SSTHRESH = 6
    CWND = 7
    ADVMSS = 8
    REORDERING = 9
    HOPLIMIT = 10
    INITCWND = 11
    FEATURES = 12
    RTO_MIN = 13
    INITRWND = 14
    QUICKACK = 15
    CC_ALGO = 16
    FASTOPEN_NO_COOKIE = 17


class RTAX_FEATURE(IntFlag):
    """RTAX_FEATURE_* bits of the RTAX_FEATURES metric."""

    ECN = 0x1
    SACK = 0x2
    TIMESTAMP = 0x4
    ALLFRAG = 0x8


class TCA(IntEnum):
    """TCA_* traffic-control message attributes (qdisc/class/filter)."""

    UNSPEC = 0
    KIND = 1
    OPTIONS = 2
    STATS = 3
    XSTATS = 4
    RATE = 5
    FCNT = 6
    STATS2 = 7
    STAB = 8
    PAD = 9
    DUMP_INVISIBLE = 10
    CHAIN = 11
    HW_OFFLOAD = 12
    INGRESS_BLOCK = 13
    EGRESS_BLOCK = 14
    DUMP_FLAGS = 15
    EXT_WARN_MSG = 16


class TCA_ROOT(IntEnum):
    """TCA_ROOT_* attributes of tc action messages."""

    UNSPEC = 0
    TAB = 1
    FLAGS = 2
    COUNT = 3
    TIME_DELTA = 4
    EXT_WARN_MSG = 5


class RTMGRP(IntFlag):
    """RTMGRP_* legacy multicast group bit masks (sockaddr_nl.nl_groups)."""

    LINK = 0x1
    NOTIFY = 0x2
    NEIGH = 0x4
    TC = 0x8
    IPV4_IFADDR = 0x10
    IPV4_MROUTE = 0x20
    IPV4_ROUTE = 0x40
    IPV4_RULE = 0x80
    IPV6_IFADDR = 0x100
    IPV6_MROUTE = 0x200
    IPV6_ROUTE = 0x400
    IPV6_IFINFO = 0x800
    DECnet_IFADDR = 0x1000
    DECnet_ROUTE = 0x4000
    IPV6_PREFIX = 0x20000


class RTNLGRP(IntEnum):
    """enum rtnetlink_groups: multicast group numbers (NETLINK_ADD_MEMBERSHIP)."""

    NONE = 0
    LINK = 1
    NOTIFY = 2
    NEIGH = 3
    TC = 4
    IPV4_IFADDR = 5
    IPV4_MROUTE = 6
    IPV4_ROUTE = 7
    IPV4_RULE = 8
    IPV6_IFADDR = 9
    IPV6_MROUTE = 10
    IPV6_ROUTE = 11
    IPV6_IFINFO = 12
    DECnet_IFADDR = 13
    NOP2 = 14
    DECnet_ROUTE = 15
    DECnet_RULE = 16
    NOP4 = 17
    IPV6_PREFIX = 18
    IPV6_RULE = 19
    ND_USEROPT = 20
    PHONET_IFADDR = 21
    PHONET_ROUTE = 22
    DCB = 23
    IPV4_NETCONF = 24
    IPV6_NETCONF = 25
    MDB = 26
    MPLS_ROUTE = 27
    NSID = 28
    MPLS_NETCONF = 29
    IPV4_MROUTE_R = 30
    IPV6_MROUTE_R = 31
    NEXTHOP = 32
    BRVLAN = 33
    MCTP_IFADDR = 34
    TUNNEL = 35
    STATS = 36
    IPV4_MCADDR = 37  # added in Linux 6.13
    IPV6_MCADDR = 38  # added in Linux 6.13
    IPV6_ACADDR = 39  # added in Linux 6.14


class RTEXT_FILTER(IntFlag):
    """RTEXT_FILTER_* bits for the IFLA_EXT_MASK attribute."""

    VF = 0x1
    BRVLAN = 0x2
    BRVLAN_COMPRESSED = 0x4
    SKIP_STATS = 0x8
    MRP = 0x10
    CFM_CONFIG = 0x20
    CFM_STATUS = 0x40
    MST = 0x80
