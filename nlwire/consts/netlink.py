"""Mirrors include/uapi/linux/netlink.h (Linux 6.1).

NETLINK_* protocol numbers, nlmsghdr types and flags, netlink socket
options, extended-ACK attributes and policy-dump attribute enums.
"""

from enum import IntEnum, IntFlag

NLMSG_ALIGNTO = 4
"""Alignment of netlink messages (NLMSG_ALIGNTO)."""

NLMSG_HDRLEN = 16
"""Aligned size of struct nlmsghdr (NLMSG_HDRLEN)."""

NLA_ALIGNTO = 4
"""Alignment of netlink attributes (NLA_ALIGNTO)."""

NLA_HDRLEN = 4
"""Aligned size of struct nlattr (NLA_HDRLEN)."""

NLA_TYPE_MASK = 0x3FFF
"""Mask selecting the attribute type from nla_type (NLA_TYPE_MASK, as a u16)."""

MAX_LINKS = 32
"""Number of netlink protocol numbers: a NETLINK_* protocol is below this (MAX_LINKS)."""


class NETLINK(IntEnum):
    """NETLINK_* netlink protocol families (socket protocol argument)."""

    ROUTE = 0
    UNUSED = 1
    USERSOCK = 2
    FIREWALL = 3
    SOCK_DIAG = 4
    NFLOG = 5
    XFRM = 6
    SELINUX = 7
    ISCSI = 8
    AUDIT = 9
    FIB_LOOKUP = 10
    CONNECTOR = 11
    NETFILTER = 12
    IP6_FW = 13
    DNRTMSG = 14
    KOBJECT_UEVENT = 15
    GENERIC = 16
    SCSITRANSPORT = 18
    ECRYPTFS = 19
    RDMA = 20
    CRYPTO = 21
    SMC = 22
    INET_DIAG = 4


class NETLINK_OPT(IntEnum):
    """NETLINK_* socket options for level SOL_NETLINK."""

    ADD_MEMBERSHIP = 1
    DROP_MEMBERSHIP = 2
    PKTINFO = 3
    BROADCAST_ERROR = 4
    NO_ENOBUFS = 5
    RX_RING = 6
    TX_RING = 7
    LISTEN_ALL_NSID = 8
    LIST_MEMBERSHIPS = 9
    CAP_ACK = 10
    EXT_ACK = 11
    GET_STRICT_CHK = 12


class NLMSG(IntEnum):
    """NLMSG_* reserved control message types (nlmsg_type)."""

    NOOP = 1
    ERROR = 2
    DONE = 3
    OVERRUN = 4
    MIN_TYPE = 16


class NLM_F(IntFlag):
    """NLM_F_* nlmsghdr flags (nlmsg_flags); GET/NEW/DELETE/ACK modifiers share bits."""

    REQUEST = 0x1
    MULTI = 0x2
    ACK = 0x4
    ECHO = 0x8
    DUMP_INTR = 0x10
    DUMP_FILTERED = 0x20
    ROOT = 0x100
    MATCH = 0x200
    ATOMIC = 0x400
    DUMP = 0x300
    REPLACE = 0x100
    EXCL = 0x200
    CREATE = 0x400
    APPEND = 0x800
    NONREC = 0x100
    BULK = 0x200
    CAPPED = 0x100
    ACK_TLVS = 0x200


class NLMSGERR_ATTR(IntEnum):
    """enum nlmsgerr_attrs: extended-ACK TLVs following struct nlmsgerr."""

    UNUSED = 0
    MSG = 1
    OFFS = 2
    COOKIE = 3
    POLICY = 4
    MISS_TYPE = 5
    MISS_NEST = 6


class NLA_F(IntFlag):
    """NLA_F_* flag bits carried in nlattr.nla_type."""

    NESTED = 0x8000
    NET_BYTEORDER = 0x4000


class NL_ATTR_TYPE(IntEnum):
    """enum netlink_attribute_type: attribute types reported by policy dumps."""

    INVALID = 0
    FLAG = 1
    U8 = 2
    U16 = 3
    U32 = 4
    U64 = 5
    S8 = 6
    S16 = 7
    S32 = 8
    S64 = 9
    BINARY = 10
    STRING = 11
    NUL_STRING = 12
    NESTED = 13
    NESTED_ARRAY = 14
    BITFIELD32 = 15
    SINT = 16  # added in Linux 6.7
    UINT = 17  # added in Linux 6.7


class NL_POLICY_TYPE_ATTR(IntEnum):
    """enum netlink_policy_type_attr: attributes describing one policy entry."""

    UNSPEC = 0
    TYPE = 1
    MIN_VALUE_S = 2
    MAX_VALUE_S = 3
    MIN_VALUE_U = 4
    MAX_VALUE_U = 5
    MIN_LENGTH = 6
    MAX_LENGTH = 7
    POLICY_IDX = 8
    POLICY_MAXTYPE = 9
    BITFIELD32_MASK = 10
    PAD = 11
    MASK = 12
