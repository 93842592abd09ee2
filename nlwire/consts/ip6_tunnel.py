"""Mirrors include/uapi/linux/ip6_tunnel.h (Linux 6.1)."""

from enum import IntFlag


class IP6_TNL_F(IntFlag):
    """IP6_TNL_F_*: bits of IFLA_IPTUN_FLAGS ("ip6tnl") and IFLA_GRE_FLAGS ("ip6gre", "ip6gretap")."""

    IGN_ENCAP_LIMIT = 0x1
    USE_ORIG_TCLASS = 0x2
    USE_ORIG_FLOWLABEL = 0x4
    MIP6_DEV = 0x8
    RCV_DSCP_COPY = 0x10
    USE_ORIG_FWMARK = 0x20
    ALLOW_LOCAL_REMOTE = 0x40
