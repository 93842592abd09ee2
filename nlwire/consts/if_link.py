"""Mirrors include/uapi/linux/if_link.h (Linux 6.1).

Link (RTM_*LINK) attributes and the nested attribute spaces of common
link kinds.
"""

from enum import IntEnum, IntFlag


class IFLA(IntEnum):
    """IFLA_* link attributes (ifinfomsg payload)."""

    UNSPEC = 0
    ADDRESS = 1
    BROADCAST = 2
    IFNAME = 3
    MTU = 4
    LINK = 5
    QDISC = 6
    STATS = 7
    COST = 8
    PRIORITY = 9
    MASTER = 10
    WIRELESS = 11
    PROTINFO = 12
    TXQLEN = 13
    MAP = 14
    WEIGHT = 15
    OPERSTATE = 16
    LINKMODE = 17
    LINKINFO = 18
    NET_NS_PID = 19
    IFALIAS = 20
    NUM_VF = 21
    VFINFO_LIST = 22
    STATS64 = 23
    VF_PORTS = 24
    PORT_SELF = 25
    AF_SPEC = 26
    GROUP = 27
    NET_NS_FD = 28
    EXT_MASK = 29
    PROMISCUITY = 30
    NUM_TX_QUEUES = 31
    NUM_RX_QUEUES = 32
    CARRIER = 33
    PHYS_PORT_ID = 34
    CARRIER_CHANGES = 35
    PHYS_SWITCH_ID = 36
    LINK_NETNSID = 37
    PHYS_PORT_NAME = 38
    PROTO_DOWN = 39
    GSO_MAX_SEGS = 40
    GSO_MAX_SIZE = 41
    PAD = 42
    XDP = 43
    EVENT = 44
    NEW_NETNSID = 45
    IF_NETNSID = 46
    TARGET_NETNSID = 46
    CARRIER_UP_COUNT = 47
    CARRIER_DOWN_COUNT = 48
    NEW_IFINDEX = 49
    MIN_MTU = 50
    MAX_MTU = 51
    PROP_LIST = 52
    ALT_IFNAME = 53
    PERM_ADDRESS = 54
    PROTO_DOWN_REASON = 55
    PARENT_DEV_NAME = 56
    PARENT_DEV_BUS_NAME = 57
    GRO_MAX_SIZE = 58
    TSO_MAX_SIZE = 59
    TSO_MAX_SEGS = 60
    ALLMULTI = 61
    DEVLINK_PORT = 62  # added in Linux 6.2
    GSO_IPV4_MAX_SIZE = 63  # added in Linux 6.3
    GRO_IPV4_MAX_SIZE = 64  # added in Linux 6.3
    DPLL_PIN = 65  # added in Linux 6.7
    MAX_PACING_OFFLOAD_HORIZON = 66  # added in Linux 6.13
    NETNS_IMMUTABLE = 67  # added in Linux 6.13
    HEADROOM = 68  # added after Linux 6.13 (present in 6.18)
    TAILROOM = 69  # added after Linux 6.13 (present in 6.18)


class IFLA_PROTO_DOWN_REASON(IntEnum):
    """IFLA_PROTO_DOWN_REASON_* attributes nested in IFLA_PROTO_DOWN_REASON."""

    UNSPEC = 0
    MASK = 1
    VALUE = 2


class IFLA_INET(IntEnum):
    """IFLA_INET_* attributes nested in IFLA_AF_SPEC for AF_INET."""

    UNSPEC = 0
    CONF = 1


class IFLA_INET6(IntEnum):
    """IFLA_INET6_* attributes nested in IFLA_AF_SPEC for AF_INET6."""

    UNSPEC = 0
    FLAGS = 1
    CONF = 2
    STATS = 3
    MCAST = 4
    CACHEINFO = 5
    ICMP6STATS = 6
    TOKEN = 7
    ADDR_GEN_MODE = 8
    RA_MTU = 9


class IN6_ADDR_GEN_MODE(IntEnum):
    """enum in6_addr_gen_mode: values of IFLA_INET6_ADDR_GEN_MODE."""

    EUI64 = 0
    NONE = 1
    STABLE_PRIVACY = 2
    RANDOM = 3


class IFLA_BR(IntEnum):
    """IFLA_BR_* bridge device attributes (IFLA_INFO_DATA of kind "bridge")."""

    UNSPEC = 0
    FORWARD_DELAY = 1
    HELLO_TIME = 2
    MAX_AGE = 3
    AGEING_TIME = 4
    STP_STATE = 5
    PRIORITY = 6
    VLAN_FILTERING = 7
    VLAN_PROTOCOL = 8
    GROUP_FWD_MASK = 9
    ROOT_ID = 10
    BRIDGE_ID = 11
    ROOT_PORT = 12
    ROOT_PATH_COST = 13
    TOPOLOGY_CHANGE = 14
    TOPOLOGY_CHANGE_DETECTED = 15
    HELLO_TIMER = 16
    TCN_TIMER = 17
    TOPOLOGY_CHANGE_TIMER = 18
    GC_TIMER = 19
    GROUP_ADDR = 20
    FDB_FLUSH = 21
    MCAST_ROUTER = 22
    MCAST_SNOOPING = 23
    MCAST_QUERY_USE_IFADDR = 24
    MCAST_QUERIER = 25
    MCAST_HASH_ELASTICITY = 26
    MCAST_HASH_MAX = 27
    MCAST_LAST_MEMBER_CNT = 28
    MCAST_STARTUP_QUERY_CNT = 29
    MCAST_LAST_MEMBER_INTVL = 30
    MCAST_MEMBERSHIP_INTVL = 31
    MCAST_QUERIER_INTVL = 32
    MCAST_QUERY_INTVL = 33
    MCAST_QUERY_RESPONSE_INTVL = 34
    MCAST_STARTUP_QUERY_INTVL = 35
    NF_CALL_IPTABLES = 36
    NF_CALL_IP6TABLES = 37
    NF_CALL_ARPTABLES = 38
    VLAN_DEFAULT_PVID = 39
    PAD = 40
    VLAN_STATS_ENABLED = 41
    MCAST_STATS_ENABLED = 42
    MCAST_IGMP_VERSION = 43
    MCAST_MLD_VERSION = 44
    VLAN_STATS_PER_PORT = 45
    MULTI_BOOLOPT = 46
    MCAST_QUERIER_STATE = 47
    FDB_N_LEARNED = 48  # added in Linux 6.7
    FDB_MAX_LEARNED = 49  # added in Linux 6.7


class IFLA_BRPORT(IntEnum):
    """IFLA_BRPORT_* bridge port attributes (IFLA_INFO_SLAVE_DATA / IFLA_PROTINFO)."""

    UNSPEC = 0
    STATE = 1
    PRIORITY = 2
    COST = 3
    MODE = 4
    GUARD = 5
    PROTECT = 6
    FAST_LEAVE = 7
    LEARNING = 8
    UNICAST_FLOOD = 9
    PROXYARP = 10
    LEARNING_SYNC = 11
    PROXYARP_WIFI = 12
    ROOT_ID = 13
    BRIDGE_ID = 14
    DESIGNATED_PORT = 15
    DESIGNATED_COST = 16
    ID = 17
    NO = 18
    TOPOLOGY_CHANGE_ACK = 19
    CONFIG_PENDING = 20
    MESSAGE_AGE_TIMER = 21
    FORWARD_DELAY_TIMER = 22
    HOLD_TIMER = 23
    FLUSH = 24
    MULTICAST_ROUTER = 25
    PAD = 26
    MCAST_FLOOD = 27
    MCAST_TO_UCAST = 28
    VLAN_TUNNEL = 29
    BCAST_FLOOD = 30
    GROUP_FWD_MASK = 31
    NEIGH_SUPPRESS = 32
    ISOLATED = 33
    BACKUP_PORT = 34
    MRP_RING_OPEN = 35
    MRP_IN_OPEN = 36
    MCAST_EHT_HOSTS_LIMIT = 37
    MCAST_EHT_HOSTS_CNT = 38
    LOCKED = 39
    MAB = 40  # added in Linux 6.2
    MCAST_N_GROUPS = 41  # added in Linux 6.3
    MCAST_MAX_GROUPS = 42  # added in Linux 6.3
    NEIGH_VLAN_SUPPRESS = 43  # added in Linux 6.5
    BACKUP_NHID = 44  # added in Linux 6.6


class IFLA_INFO(IntEnum):
    """IFLA_INFO_* attributes nested in IFLA_LINKINFO."""

    UNSPEC = 0
    KIND = 1
    DATA = 2
    XSTATS = 3
    SLAVE_KIND = 4
    SLAVE_DATA = 5


class IFLA_VLAN(IntEnum):
    """IFLA_VLAN_* VLAN device attributes (kind "vlan")."""

    UNSPEC = 0
    ID = 1
    FLAGS = 2
    EGRESS_QOS = 3
    INGRESS_QOS = 4
    PROTOCOL = 5


class IFLA_VLAN_QOS(IntEnum):
    """IFLA_VLAN_QOS_* attributes nested in IFLA_VLAN_{EGRESS,INGRESS}_QOS."""

    UNSPEC = 0
    MAPPING = 1


class IFLA_MACVLAN(IntEnum):
    """IFLA_MACVLAN_* macvlan/macvtap device attributes."""

    UNSPEC = 0
    MODE = 1
    FLAGS = 2
    MACADDR_MODE = 3
    MACADDR = 4
    MACADDR_DATA = 5
    MACADDR_COUNT = 6
    BC_QUEUE_LEN = 7
    BC_QUEUE_LEN_USED = 8


class MACVLAN_MODE(IntFlag):
    """enum macvlan_mode: values of IFLA_MACVLAN_MODE."""

    PRIVATE = 0x1
    VEPA = 0x2
    BRIDGE = 0x4
    PASSTHRU = 0x8
    SOURCE = 0x10


class MACVLAN_MACADDR(IntEnum):
    """enum macvlan_macaddr_mode: values of IFLA_MACVLAN_MACADDR_MODE."""

    ADD = 0
    DEL = 1
    FLUSH = 2
    SET = 3


class IFLA_VRF(IntEnum):
    """IFLA_VRF_* VRF device attributes (kind "vrf")."""

    UNSPEC = 0
    TABLE = 1


class IFLA_VRF_PORT(IntEnum):
    """IFLA_VRF_PORT_* VRF port attributes (IFLA_INFO_SLAVE_DATA)."""

    UNSPEC = 0
    TABLE = 1


class IFLA_MACSEC(IntEnum):
    """IFLA_MACSEC_* MACsec device attributes (kind "macsec")."""

    UNSPEC = 0
    SCI = 1
    PORT = 2
    ICV_LEN = 3
    CIPHER_SUITE = 4
    WINDOW = 5
    ENCODING_SA = 6
    ENCRYPT = 7
    PROTECT = 8
    INC_SCI = 9
    ES = 10
    SCB = 11
    REPLAY_PROTECT = 12
    VALIDATION = 13
    PAD = 14
    OFFLOAD = 15


class IFLA_IPVLAN(IntEnum):
    """IFLA_IPVLAN_* ipvlan device attributes (kind "ipvlan")."""

    UNSPEC = 0
    MODE = 1
    FLAGS = 2


class IPVLAN_MODE(IntEnum):
    """enum ipvlan_mode: values of IFLA_IPVLAN_MODE."""

    L2 = 0
    L3 = 1
    L3S = 2


class IPVLAN_F(IntFlag):
    """IPVLAN_F_*: bits of IFLA_IPVLAN_FLAGS."""

    PRIVATE = 0x01
    VEPA = 0x02


class IFLA_VXLAN(IntEnum):
    """IFLA_VXLAN_* VXLAN device attributes (kind "vxlan")."""

    UNSPEC = 0
    ID = 1
    GROUP = 2
    LINK = 3
    LOCAL = 4
    TTL = 5
    TOS = 6
    LEARNING = 7
    AGEING = 8
    LIMIT = 9
    PORT_RANGE = 10
    PROXY = 11
    RSC = 12
    L2MISS = 13
    L3MISS = 14
    PORT = 15
    GROUP6 = 16
    LOCAL6 = 17
    UDP_CSUM = 18
    UDP_ZERO_CSUM6_TX = 19
    UDP_ZERO_CSUM6_RX = 20
    REMCSUM_TX = 21
    REMCSUM_RX = 22
    GBP = 23
    REMCSUM_NOPARTIAL = 24
    COLLECT_METADATA = 25
    LABEL = 26
    GPE = 27
    TTL_INHERIT = 28
    DF = 29
    VNIFILTER = 30
    LOCALBYPASS = 31  # added in Linux 6.6
    LABEL_POLICY = 32  # added in Linux 6.8
    RESERVED_BITS = 33  # added in Linux 6.14


class IFLA_STATS(IntEnum):
    """IFLA_STATS_* attributes of RTM_NEWSTATS/RTM_GETSTATS messages."""

    UNSPEC = 0
    LINK_64 = 1
    LINK_XSTATS = 2
    LINK_XSTATS_SLAVE = 3
    LINK_OFFLOAD_XSTATS = 4
    AF_SPEC = 5


class IFLA_XDP(IntEnum):
    """IFLA_XDP_* attributes nested in IFLA_XDP."""

    UNSPEC = 0
    FD = 1
    ATTACHED = 2
    FLAGS = 3
    PROG_ID = 4
    DRV_PROG_ID = 5
    SKB_PROG_ID = 6
    HW_PROG_ID = 7
    EXPECTED_FD = 8


class XDP_ATTACHED(IntEnum):
    """XDP_ATTACHED_* values of IFLA_XDP_ATTACHED."""

    NONE = 0
    DRV = 1
    SKB = 2
    HW = 3
    MULTI = 4


class XDP_FLAGS(IntFlag):
    """XDP_FLAGS_* bits of IFLA_XDP_FLAGS."""

    UPDATE_IF_NOEXIST = 0x1
    SKB_MODE = 0x2
    DRV_MODE = 0x4
    HW_MODE = 0x8
    REPLACE = 0x10


class IFLA_EVENT(IntEnum):
    """IFLA_EVENT_* values of the IFLA_EVENT attribute."""

    NONE = 0
    REBOOT = 1
    FEATURES = 2
    BONDING_FAILOVER = 3
    NOTIFY_PEERS = 4
    IGMP_RESEND = 5
    BONDING_OPTIONS = 6


class IFLA_BOND(IntEnum):
    """IFLA_BOND_* bonding device attributes (kind "bond")."""

    UNSPEC = 0
    MODE = 1
    ACTIVE_SLAVE = 2
    MIIMON = 3
    UPDELAY = 4
    DOWNDELAY = 5
    USE_CARRIER = 6
    ARP_INTERVAL = 7
    ARP_IP_TARGET = 8
    ARP_VALIDATE = 9
    ARP_ALL_TARGETS = 10
    PRIMARY = 11
    PRIMARY_RESELECT = 12
    FAIL_OVER_MAC = 13
    XMIT_HASH_POLICY = 14
    RESEND_IGMP = 15
    NUM_PEER_NOTIF = 16
    ALL_SLAVES_ACTIVE = 17
    MIN_LINKS = 18
    LP_INTERVAL = 19
    PACKETS_PER_SLAVE = 20
    AD_LACP_RATE = 21
    AD_SELECT = 22
    AD_INFO = 23
    AD_ACTOR_SYS_PRIO = 24
    AD_USER_PORT_KEY = 25
    AD_ACTOR_SYSTEM = 26
    TLB_DYNAMIC_LB = 27
    PEER_NOTIF_DELAY = 28
    AD_LACP_ACTIVE = 29
    MISSED_MAX = 30
    NS_IP6_TARGET = 31
    COUPLED_CONTROL = 32


class IFLA_BOND_AD_INFO(IntEnum):
    """IFLA_BOND_AD_INFO_* 802.3ad aggregator attributes (nested in IFLA_BOND_AD_INFO)."""

    UNSPEC = 0
    AGGREGATOR = 1
    NUM_PORTS = 2
    ACTOR_KEY = 3
    PARTNER_KEY = 4
    PARTNER_MAC = 5


class IFLA_BOND_SLAVE(IntEnum):
    """IFLA_BOND_SLAVE_* bond port attributes (IFLA_INFO_SLAVE_DATA of a bond port)."""

    UNSPEC = 0
    STATE = 1
    MII_STATUS = 2
    LINK_FAILURE_COUNT = 3
    PERM_HWADDR = 4
    QUEUE_ID = 5
    AD_AGGREGATOR_ID = 6
    AD_ACTOR_OPER_PORT_STATE = 7
    AD_PARTNER_OPER_PORT_STATE = 8
    PRIO = 9
    ACTOR_PORT_PRIO = 10
    AD_CHURN_ACTOR_STATE = 11
    AD_CHURN_PARTNER_STATE = 12


class MACSEC_VALIDATE(IntEnum):
    """enum macsec_validation_type: values of IFLA_MACSEC_VALIDATION."""

    DISABLED = 0
    CHECK = 1
    STRICT = 2


class MACSEC_OFFLOAD(IntEnum):
    """enum macsec_offload: values of IFLA_MACSEC_OFFLOAD."""

    OFF = 0
    PHY = 1
    MAC = 2


class IFLA_XFRM(IntEnum):
    """IFLA_XFRM_* xfrm interface attributes (kind "xfrm")."""

    UNSPEC = 0
    LINK = 1
    IF_ID = 2
    COLLECT_METADATA = 3


class IFLA_GENEVE(IntEnum):
    """IFLA_GENEVE_* GENEVE device attributes (kind "geneve")."""

    UNSPEC = 0
    ID = 1
    REMOTE = 2
    TTL = 3
    TOS = 4
    PORT = 5
    COLLECT_METADATA = 6
    REMOTE6 = 7
    UDP_CSUM = 8
    UDP_ZERO_CSUM6_TX = 9
    UDP_ZERO_CSUM6_RX = 10
    LABEL = 11
    TTL_INHERIT = 12
    DF = 13
    INNER_PROTO_INHERIT = 14


class GENEVE_DF(IntEnum):
    """enum ifla_geneve_df: values of IFLA_GENEVE_DF."""

    UNSET = 0
    SET = 1
    INHERIT = 2


class IFLA_TUN(IntEnum):
    """IFLA_TUN_* tun/tap device attributes (kind "tun"; the kernel creates tun devices with the
    TUNSETIFF ioctl and refuses RTM_NEWLINK for them, so these come in dumps)."""

    UNSPEC = 0
    OWNER = 1
    GROUP = 2
    TYPE = 3
    PI = 4
    VNET_HDR = 5
    PERSIST = 6
    MULTI_QUEUE = 7
    NUM_QUEUES = 8
    NUM_DISABLED_QUEUES = 9
