"""Mirrors include/uapi/linux/netfilter/nf_tables.h (Linux 6.1).

nftables messages (NFNL_SUBSYS_NFTABLES) and their attributes. Multi-byte integer
attributes of nftables are in network byte order (the kernel reads them with
ntohs/ntohl/be64_to_cpu), whatever the header's "NLA_U32" says; the one exception is
NFTA_CT_EXPECT_TIMEOUT (host order). NFT_MSG omits the
header's NFT_MSG_MAX (a count, not a message); NFT_VERDICT also holds the NF_* verdicts
of linux/netfilter.h.
"""

from enum import IntEnum, IntFlag


class NFT_REGISTERS(IntEnum):
    """enum nft_registers."""

    REG_VERDICT = 0
    REG_1 = 1
    REG_2 = 2
    REG_3 = 3
    REG_4 = 4
    REG32_00 = 8
    REG32_01 = 9
    REG32_02 = 10
    REG32_03 = 11
    REG32_04 = 12
    REG32_05 = 13
    REG32_06 = 14
    REG32_07 = 15
    REG32_08 = 16
    REG32_09 = 17
    REG32_10 = 18
    REG32_11 = 19
    REG32_12 = 20
    REG32_13 = 21
    REG32_14 = 22
    REG32_15 = 23


class NFT_VERDICT(IntEnum):
    """Values of NFTA_VERDICT_CODE: the NF_* verdicts of linux/netfilter.h (NF_DROP = 0 ...
    NF_STOP = 5) and enum nft_verdicts (NFT_CONTINUE = -1 ... NFT_RETURN = -5), carried as
    a big-endian 32-bit signed value."""

    DROP = 0
    ACCEPT = 1
    STOLEN = 2
    QUEUE = 3
    REPEAT = 4
    STOP = 5
    CONTINUE = -1
    BREAK = -2
    JUMP = -3
    GOTO = -4
    RETURN = -5


class NFT_MSG(IntEnum):
    """enum nf_tables_msg_types."""

    NEWTABLE = 0
    GETTABLE = 1
    DELTABLE = 2
    NEWCHAIN = 3
    GETCHAIN = 4
    DELCHAIN = 5
    NEWRULE = 6
    GETRULE = 7
    DELRULE = 8
    NEWSET = 9
    GETSET = 10
    DELSET = 11
    NEWSETELEM = 12
    GETSETELEM = 13
    DELSETELEM = 14
    NEWGEN = 15
    GETGEN = 16
    TRACE = 17
    NEWOBJ = 18
    GETOBJ = 19
    DELOBJ = 20
    GETOBJ_RESET = 21
    NEWFLOWTABLE = 22
    GETFLOWTABLE = 23
    DELFLOWTABLE = 24


class NFTA_LIST(IntEnum):
    """enum nft_list_attributes."""

    UNSPEC = 0
    ELEM = 1


class NFTA_HOOK(IntEnum):
    """enum nft_hook_attributes."""

    UNSPEC = 0
    HOOKNUM = 1
    PRIORITY = 2
    DEV = 3
    DEVS = 4


class NFT_TABLE_F(IntFlag):
    """enum nft_table_flags."""

    DORMANT = 0x1
    OWNER = 0x2


class NFTA_TABLE(IntEnum):
    """enum nft_table_attributes."""

    UNSPEC = 0
    NAME = 1
    FLAGS = 2
    USE = 3
    HANDLE = 4
    PAD = 5
    USERDATA = 6
    OWNER = 7


class NFT_CHAIN_F(IntFlag):
    """enum nft_chain_flags."""

    BASE = 0x1
    HW_OFFLOAD = 0x2
    BINDING = 0x4


class NFTA_CHAIN(IntEnum):
    """enum nft_chain_attributes."""

    UNSPEC = 0
    TABLE = 1
    HANDLE = 2
    NAME = 3
    HOOK = 4
    POLICY = 5
    USE = 6
    TYPE = 7
    COUNTERS = 8
    PAD = 9
    FLAGS = 10
    ID = 11
    USERDATA = 12


class NFTA_RULE(IntEnum):
    """enum nft_rule_attributes."""

    UNSPEC = 0
    TABLE = 1
    CHAIN = 2
    HANDLE = 3
    EXPRESSIONS = 4
    COMPAT = 5
    POSITION = 6
    USERDATA = 7
    PAD = 8
    ID = 9
    POSITION_ID = 10
    CHAIN_ID = 11


class NFTA_RULE_COMPAT(IntEnum):
    """enum nft_rule_compat_attributes."""

    UNSPEC = 0
    PROTO = 1
    FLAGS = 2


class NFT_SET_F(IntFlag):
    """enum nft_set_flags."""

    ANONYMOUS = 0x1
    CONSTANT = 0x2
    INTERVAL = 0x4
    MAP = 0x8
    TIMEOUT = 0x10
    EVAL = 0x20
    OBJECT = 0x40
    CONCAT = 0x80
    EXPR = 0x100


class NFT_SET_POL(IntEnum):
    """enum nft_set_policies."""

    PERFORMANCE = 0
    MEMORY = 1


class NFTA_SET_DESC(IntEnum):
    """enum nft_set_desc_attributes."""

    UNSPEC = 0
    SIZE = 1
    CONCAT = 2


class NFTA_SET_FIELD(IntEnum):
    """enum nft_set_field_attributes."""

    UNSPEC = 0
    LEN = 1


class NFTA_SET(IntEnum):
    """enum nft_set_attributes."""

    UNSPEC = 0
    TABLE = 1
    NAME = 2
    FLAGS = 3
    KEY_TYPE = 4
    KEY_LEN = 5
    DATA_TYPE = 6
    DATA_LEN = 7
    POLICY = 8
    DESC = 9
    ID = 10
    TIMEOUT = 11
    GC_INTERVAL = 12
    USERDATA = 13
    PAD = 14
    OBJ_TYPE = 15
    HANDLE = 16
    EXPR = 17
    EXPRESSIONS = 18


class NFT_SET_ELEM_F(IntFlag):
    """enum nft_set_elem_flags."""

    INTERVAL_END = 0x1
    CATCHALL = 0x2


class NFTA_SET_ELEM(IntEnum):
    """enum nft_set_elem_attributes."""

    UNSPEC = 0
    KEY = 1
    DATA = 2
    FLAGS = 3
    TIMEOUT = 4
    EXPIRATION = 5
    USERDATA = 6
    EXPR = 7
    PAD = 8
    OBJREF = 9
    KEY_END = 10
    EXPRESSIONS = 11


class NFTA_SET_ELEM_LIST(IntEnum):
    """enum nft_set_elem_list_attributes."""

    UNSPEC = 0
    TABLE = 1
    SET = 2
    ELEMENTS = 3
    SET_ID = 4


class NFT_DATA(IntEnum):
    """enum nft_data_types."""

    VALUE = 0
    VERDICT = 4294967040


class NFTA_DATA(IntEnum):
    """enum nft_data_attributes."""

    UNSPEC = 0
    VALUE = 1
    VERDICT = 2


class NFTA_VERDICT(IntEnum):
    """enum nft_verdict_attributes."""

    UNSPEC = 0
    CODE = 1
    CHAIN = 2
    CHAIN_ID = 3


class NFTA_EXPR(IntEnum):
    """enum nft_expr_attributes."""

    UNSPEC = 0
    NAME = 1
    DATA = 2


class NFTA_IMMEDIATE(IntEnum):
    """enum nft_immediate_attributes."""

    UNSPEC = 0
    DREG = 1
    DATA = 2


class NFT_BITWISE(IntEnum):
    """enum nft_bitwise_ops."""

    MASK_XOR = 0
    LSHIFT = 1
    RSHIFT = 2


class NFTA_BITWISE(IntEnum):
    """enum nft_bitwise_attributes."""

    UNSPEC = 0
    SREG = 1
    DREG = 2
    LEN = 3
    MASK = 4
    XOR = 5
    OP = 6
    DATA = 7


class NFT_BYTEORDER(IntEnum):
    """enum nft_byteorder_ops."""

    NTOH = 0
    HTON = 1


class NFTA_BYTEORDER(IntEnum):
    """enum nft_byteorder_attributes."""

    UNSPEC = 0
    SREG = 1
    DREG = 2
    OP = 3
    LEN = 4
    SIZE = 5


class NFT_CMP(IntEnum):
    """enum nft_cmp_ops."""

    EQ = 0
    NEQ = 1
    LT = 2
    LTE = 3
    GT = 4
    GTE = 5


class NFTA_CMP(IntEnum):
    """enum nft_cmp_attributes."""

    UNSPEC = 0
    SREG = 1
    OP = 2
    DATA = 3


class NFT_RANGE(IntEnum):
    """enum nft_range_ops."""

    EQ = 0
    NEQ = 1


class NFTA_RANGE(IntEnum):
    """enum nft_range_attributes."""

    UNSPEC = 0
    SREG = 1
    OP = 2
    FROM_DATA = 3
    TO_DATA = 4


class NFT_LOOKUP_F(IntFlag):
    """enum nft_lookup_flags."""

    INV = 0x1


class NFTA_LOOKUP(IntEnum):
    """enum nft_lookup_attributes."""

    UNSPEC = 0
    SET = 1
    SREG = 2
    DREG = 3
    SET_ID = 4
    FLAGS = 5


class NFT_DYNSET_OP(IntEnum):
    """enum nft_dynset_ops."""

    ADD = 0
    UPDATE = 1
    DELETE = 2


class NFT_DYNSET_F(IntFlag):
    """enum nft_dynset_flags."""

    INV = 0x1
    EXPR = 0x2


class NFTA_DYNSET(IntEnum):
    """enum nft_dynset_attributes."""

    UNSPEC = 0
    SET_NAME = 1
    SET_ID = 2
    OP = 3
    SREG_KEY = 4
    SREG_DATA = 5
    TIMEOUT = 6
    EXPR = 7
    PAD = 8
    FLAGS = 9
    EXPRESSIONS = 10


class NFT_PAYLOAD(IntEnum):
    """enum nft_payload_bases."""

    LL_HEADER = 0
    NETWORK_HEADER = 1
    TRANSPORT_HEADER = 2
    INNER_HEADER = 3


class NFTA_PAYLOAD(IntEnum):
    """enum nft_payload_attributes."""

    UNSPEC = 0
    DREG = 1
    BASE = 2
    OFFSET = 3
    LEN = 4
    SREG = 5
    CSUM_TYPE = 6
    CSUM_OFFSET = 7
    CSUM_FLAGS = 8


class NFT_EXTHDR_OP(IntEnum):
    """enum nft_exthdr_op."""

    IPV6 = 0
    TCPOPT = 1
    IPV4 = 2
    SCTP = 3
    DCCP = 4


class NFTA_EXTHDR(IntEnum):
    """enum nft_exthdr_attributes."""

    UNSPEC = 0
    DREG = 1
    TYPE = 2
    OFFSET = 3
    LEN = 4
    FLAGS = 5
    OP = 6
    SREG = 7


class NFT_META(IntEnum):
    """enum nft_meta_keys."""

    LEN = 0
    PROTOCOL = 1
    PRIORITY = 2
    MARK = 3
    IIF = 4
    OIF = 5
    IIFNAME = 6
    OIFNAME = 7
    IFTYPE = 8
    OIFTYPE = 9
    SKUID = 10
    SKGID = 11
    NFTRACE = 12
    RTCLASSID = 13
    SECMARK = 14
    NFPROTO = 15
    L4PROTO = 16
    BRI_IIFNAME = 17
    BRI_OIFNAME = 18
    PKTTYPE = 19
    CPU = 20
    IIFGROUP = 21
    OIFGROUP = 22
    CGROUP = 23
    PRANDOM = 24
    SECPATH = 25
    IIFKIND = 26
    OIFKIND = 27
    BRI_IIFPVID = 28
    BRI_IIFVPROTO = 29
    TIME_NS = 30
    TIME_DAY = 31
    TIME_HOUR = 32
    SDIF = 33
    SDIFNAME = 34


class NFTA_META(IntEnum):
    """enum nft_meta_attributes."""

    UNSPEC = 0
    DREG = 1
    KEY = 2
    SREG = 3


class NFT_RT(IntEnum):
    """enum nft_rt_keys."""

    CLASSID = 0
    NEXTHOP4 = 1
    NEXTHOP6 = 2
    TCPMSS = 3
    XFRM = 4


class NFTA_RT(IntEnum):
    """enum nft_rt_attributes."""

    UNSPEC = 0
    DREG = 1
    KEY = 2


class NFT_CT(IntEnum):
    """enum nft_ct_keys."""

    STATE = 0
    DIRECTION = 1
    STATUS = 2
    MARK = 3
    SECMARK = 4
    EXPIRATION = 5
    HELPER = 6
    L3PROTOCOL = 7
    SRC = 8
    DST = 9
    PROTOCOL = 10
    PROTO_SRC = 11
    PROTO_DST = 12
    LABELS = 13
    PKTS = 14
    BYTES = 15
    AVGPKT = 16
    ZONE = 17
    EVENTMASK = 18
    SRC_IP = 19
    DST_IP = 20
    SRC_IP6 = 21
    DST_IP6 = 22
    ID = 23


class NFTA_CT(IntEnum):
    """enum nft_ct_attributes."""

    UNSPEC = 0
    DREG = 1
    KEY = 2
    DIRECTION = 3
    SREG = 4


class NFT_LIMIT(IntEnum):
    """enum nft_limit_type."""

    PKTS = 0
    PKT_BYTES = 1


class NFT_LIMIT_F(IntFlag):
    """enum nft_limit_flags."""

    INV = 0x1


class NFTA_LIMIT(IntEnum):
    """enum nft_limit_attributes."""

    UNSPEC = 0
    RATE = 1
    UNIT = 2
    BURST = 3
    TYPE = 4
    FLAGS = 5
    PAD = 6


class NFTA_COUNTER(IntEnum):
    """enum nft_counter_attributes."""

    UNSPEC = 0
    BYTES = 1
    PACKETS = 2
    PAD = 3


class NFTA_LOG(IntEnum):
    """enum nft_log_attributes."""

    UNSPEC = 0
    GROUP = 1
    PREFIX = 2
    SNAPLEN = 3
    QTHRESHOLD = 4
    LEVEL = 5
    FLAGS = 6


class NFTA_REJECT(IntEnum):
    """enum nft_reject_attributes."""

    UNSPEC = 0
    TYPE = 1
    ICMP_CODE = 2


class NFT_NAT(IntEnum):
    """enum nft_nat_types."""

    SNAT = 0
    DNAT = 1


class NFTA_NAT(IntEnum):
    """enum nft_nat_attributes."""

    UNSPEC = 0
    TYPE = 1
    FAMILY = 2
    REG_ADDR_MIN = 3
    REG_ADDR_MAX = 4
    REG_PROTO_MIN = 5
    REG_PROTO_MAX = 6
    FLAGS = 7


class NFTA_MASQ(IntEnum):
    """enum nft_masq_attributes."""

    UNSPEC = 0
    FLAGS = 1
    REG_PROTO_MIN = 2
    REG_PROTO_MAX = 3


class NFTA_REDIR(IntEnum):
    """enum nft_redir_attributes."""

    UNSPEC = 0
    REG_PROTO_MIN = 1
    REG_PROTO_MAX = 2
    FLAGS = 3


class NFTA_QUEUE(IntEnum):
    """enum nft_queue_attributes."""

    UNSPEC = 0
    NUM = 1
    TOTAL = 2
    FLAGS = 3
    SREG_QNUM = 4


class NFTA_QUOTA(IntEnum):
    """enum nft_quota_attributes."""

    UNSPEC = 0
    BYTES = 1
    FLAGS = 2
    PAD = 3
    CONSUMED = 4


class NFTA_FIB(IntEnum):
    """enum nft_fib_attributes."""

    UNSPEC = 0
    DREG = 1
    RESULT = 2
    FLAGS = 3


class NFTA_OBJREF(IntEnum):
    """enum nft_objref_attributes."""

    UNSPEC = 0
    IMM_TYPE = 1
    IMM_NAME = 2
    SET_SREG = 3
    SET_NAME = 4
    SET_ID = 5


class NFTA_GEN(IntEnum):
    """enum nft_gen_attributes."""

    UNSPEC = 0
    ID = 1
    PROC_PID = 2
    PROC_NAME = 3


class NFTA_OBJ(IntEnum):
    """enum nft_object_attributes."""

    UNSPEC = 0
    TABLE = 1
    NAME = 2
    TYPE = 3
    DATA = 4
    USE = 5
    HANDLE = 6
    PAD = 7
    USERDATA = 8


class NFTA_FLOWTABLE(IntEnum):
    """enum nft_flowtable_attributes."""

    UNSPEC = 0
    TABLE = 1
    NAME = 2
    HOOK = 3
    USE = 4
    HANDLE = 5
    PAD = 6
    FLAGS = 7


class NFTA_FLOWTABLE_HOOK(IntEnum):
    """enum nft_flowtable_hook_attributes."""

    UNSPEC = 0
    NUM = 1
    PRIORITY = 2
    DEVS = 3


class NFTA_TRACE(IntEnum):
    """enum nft_trace_attributes."""

    UNSPEC = 0
    TABLE = 1
    CHAIN = 2
    RULE_HANDLE = 3
    TYPE = 4
    VERDICT = 5
    ID = 6
    LL_HEADER = 7
    NETWORK_HEADER = 8
    TRANSPORT_HEADER = 9
    IIF = 10
    IIFTYPE = 11
    OIF = 12
    OIFTYPE = 13
    MARK = 14
    NFPROTO = 15
    POLICY = 16
    PAD = 17


class NFT_TRACETYPE(IntEnum):
    """enum nft_trace_types."""

    UNSPEC = 0
    POLICY = 1
    RETURN = 2
    RULE = 3


class NFTA_DEVICE(IntEnum):
    """enum nft_devices_attributes."""

    UNSPEC = 0
    NAME = 1


class NFT_HASH(IntEnum):
    """enum nft_hash_types."""

    JENKINS = 0
    SYM = 1


class NFTA_HASH(IntEnum):
    """enum nft_hash_attributes."""

    UNSPEC = 0
    SREG = 1
    DREG = 2
    LEN = 3
    MODULUS = 4
    SEED = 5
    OFFSET = 6
    TYPE = 7
    SET_NAME = 8
    SET_ID = 9


class NFTA_SOCKET(IntEnum):
    """enum nft_socket_attributes."""

    UNSPEC = 0
    KEY = 1
    DREG = 2
    LEVEL = 3


class NFT_SOCKET(IntEnum):
    """enum nft_socket_keys."""

    TRANSPARENT = 0
    MARK = 1
    WILDCARD = 2
    CGROUPV2 = 3


class NFTA_FLOW(IntEnum):
    """enum nft_offload_attributes."""

    UNSPEC = 0
    TABLE_NAME = 1


class NFT_CONNLIMIT_F(IntFlag):
    """enum nft_connlimit_flags."""

    INV = 0x1


class NFTA_CONNLIMIT(IntEnum):
    """enum nft_connlimit_attributes."""

    UNSPEC = 0
    COUNT = 1
    FLAGS = 2


class NFTA_LAST(IntEnum):
    """enum nft_last_attributes."""

    UNSPEC = 0
    SET = 1
    MSECS = 2
    PAD = 3


class NFT_QUOTA_F(IntFlag):
    """enum nft_quota_flags."""

    INV = 0x1
    DEPLETED = 0x2


class NFTA_SECMARK(IntEnum):
    """enum nft_secmark_attributes."""

    UNSPEC = 0
    CTX = 1


class NFT_REJECT(IntEnum):
    """enum nft_reject_types."""

    ICMP_UNREACH = 0
    TCP_RST = 1
    ICMPX_UNREACH = 2


class NFTA_TPROXY(IntEnum):
    """enum nft_tproxy_attributes."""

    UNSPEC = 0
    FAMILY = 1
    REG_ADDR = 2
    REG_PORT = 3


class NFTA_DUP(IntEnum):
    """enum nft_dup_attributes."""

    UNSPEC = 0
    SREG_ADDR = 1
    SREG_DEV = 2


class NFTA_FWD(IntEnum):
    """enum nft_fwd_attributes."""

    UNSPEC = 0
    SREG_DEV = 1
    SREG_ADDR = 2
    NFPROTO = 3


class NFTA_CT_HELPER(IntEnum):
    """enum nft_ct_helper_attributes."""

    UNSPEC = 0
    NAME = 1
    L3PROTO = 2
    L4PROTO = 3


class NFTA_CT_EXPECT(IntEnum):
    """enum nft_ct_expectation_attributes."""

    UNSPEC = 0
    L3PROTO = 1
    L4PROTO = 2
    DPORT = 3
    TIMEOUT = 4
    SIZE = 5


class NFTA_OSF(IntEnum):
    """enum nft_osf_attributes."""

    UNSPEC = 0
    DREG = 1
    TTL = 2
    FLAGS = 3


class NFTA_SYNPROXY(IntEnum):
    """enum nft_synproxy_attributes."""

    UNSPEC = 0
    MSS = 1
    WSCALE = 2
    FLAGS = 3


class NFTA_XFRM(IntEnum):
    """enum nft_xfrm_attributes."""

    UNSPEC = 0
    DREG = 1
    KEY = 2
    DIR = 3
    SPNUM = 4


class NFT_XFRM_KEY(IntEnum):
    """enum nft_xfrm_keys."""

    UNSPEC = 0
    DADDR_IP4 = 1
    DADDR_IP6 = 2
    SADDR_IP4 = 3
    SADDR_IP6 = 4
    REQID = 5
    SPI = 6


class NFTA_NG(IntEnum):
    """enum nft_ng_attributes."""

    UNSPEC = 0
    DREG = 1
    MODULUS = 2
    TYPE = 3
    OFFSET = 4
    SET_NAME = 5
    SET_ID = 6


class NFT_NG(IntEnum):
    """enum nft_ng_types."""

    INCREMENTAL = 0
    RANDOM = 1


class NFT_OBJECT(IntEnum):
    """NFT_OBJECT_*: the type of a stateful object (NFTA_OBJ_TYPE, NFTA_OBJREF_IMM_TYPE,
    NFTA_SET_OBJ_TYPE); #defines in the header, not an enum."""

    UNSPEC = 0
    COUNTER = 1
    QUOTA = 2
    CT_HELPER = 3
    LIMIT = 4
    CONNLIMIT = 5
    TUNNEL = 6
    CT_TIMEOUT = 7
    SECMARK = 8
    CT_EXPECT = 9
    SYNPROXY = 10
