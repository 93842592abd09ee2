"""Mirrors include/uapi/linux/if_tunnel.h (Linux 6.1).

IP tunnel link attributes: IFLA_IPTUN_* (kinds "ipip", "sit", "ip6tnl") and IFLA_GRE_*
(kinds "gre", "gretap", "ip6gre", "ip6gretap", "erspan", "ip6erspan").
"""

from enum import IntEnum, IntFlag


class IFLA_IPTUN(IntEnum):
    """IFLA_IPTUN_* IP-in-IP tunnel attributes (kinds "ipip", "sit", "ip6tnl")."""

    UNSPEC = 0
    LINK = 1
    LOCAL = 2
    REMOTE = 3
    TTL = 4
    TOS = 5
    ENCAP_LIMIT = 6
    FLOWINFO = 7
    FLAGS = 8
    PROTO = 9
    PMTUDISC = 10
    _6RD_PREFIX = 11
    _6RD_RELAY_PREFIX = 12
    _6RD_PREFIXLEN = 13
    _6RD_RELAY_PREFIXLEN = 14
    ENCAP_TYPE = 15
    ENCAP_FLAGS = 16
    ENCAP_SPORT = 17
    ENCAP_DPORT = 18
    COLLECT_METADATA = 19
    FWMARK = 20


class TUNNEL_ENCAP(IntEnum):
    """enum tunnel_encap_types: values of IFLA_IPTUN_ENCAP_TYPE and IFLA_GRE_ENCAP_TYPE."""

    NONE = 0
    FOU = 1
    GUE = 2
    MPLS = 3


class TUNNEL_ENCAP_FLAG(IntFlag):
    """TUNNEL_ENCAP_FLAG_*: bits of IFLA_IPTUN_ENCAP_FLAGS and IFLA_GRE_ENCAP_FLAGS."""

    CSUM = 1 << 0
    CSUM6 = 1 << 1
    REMCSUM = 1 << 2


class SIT(IntFlag):
    """SIT-mode i_flags: bits of IFLA_IPTUN_FLAGS of kind "sit"."""

    ISATAP = 0x0001


class GRE(IntFlag):
    """GRE_* header flags (``__cpu_to_be16``): bits of IFLA_GRE_IFLAGS / IFLA_GRE_OFLAGS,
    which are big-endian on the wire (read as be16, GRE_CSUM is 0x8000)."""

    CSUM = 0x8000
    ROUTING = 0x4000
    KEY = 0x2000
    SEQ = 0x1000
    STRICT = 0x0800
    REC = 0x0700
    ACK = 0x0080
    FLAGS = 0x0078
    VERSION = 0x0007
    VERSION_0 = 0x0000
    VERSION_1 = 0x0001


class IFLA_GRE(IntEnum):
    """IFLA_GRE_* GRE tunnel attributes (kinds "gre", "gretap", "ip6gre", "ip6gretap", "erspan")."""

    UNSPEC = 0
    LINK = 1
    IFLAGS = 2
    OFLAGS = 3
    IKEY = 4
    OKEY = 5
    LOCAL = 6
    REMOTE = 7
    TTL = 8
    TOS = 9
    PMTUDISC = 10
    ENCAP_LIMIT = 11
    FLOWINFO = 12
    FLAGS = 13
    ENCAP_TYPE = 14
    ENCAP_FLAGS = 15
    ENCAP_SPORT = 16
    ENCAP_DPORT = 17
    COLLECT_METADATA = 18
    IGNORE_DF = 19
    FWMARK = 20
    ERSPAN_INDEX = 21
    ERSPAN_VER = 22
    ERSPAN_DIR = 23
    ERSPAN_HWID = 24
