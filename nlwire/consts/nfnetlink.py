"""Mirrors include/uapi/linux/netfilter/nfnetlink.h and the protocol and hook numbers of
include/uapi/linux/netfilter.h (Linux 6.1).

A NETLINK_NETFILTER message type is split in two: the subsystem in the high byte
(NFNL_SUBSYS_ID), the subsystem's message in the low byte (NFNL_MSG_TYPE). Every
message starts with ``struct nfgenmsg``, whose ``res_id`` is big-endian.
"""

from enum import IntEnum

NFNETLINK_V0 = 0
"""nfgenmsg.version."""


class NFNL_SUBSYS(IntEnum):
    """NFNL_SUBSYS_*: the high byte of a netfilter message type."""

    NONE = 0
    CTNETLINK = 1
    CTNETLINK_EXP = 2
    QUEUE = 3
    ULOG = 4
    OSF = 5
    IPSET = 6
    ACCT = 7
    CTNETLINK_TIMEOUT = 8
    CTHELPER = 9
    NFTABLES = 10
    NFT_COMPAT = 11
    HOOK = 12


class NFNL_MSG(IntEnum):
    """The reserved control messages of subsystem NFNL_SUBSYS_NONE (a batch's bounds;
    their nfgenmsg.res_id names the subsystem the batch is for)."""

    BATCH_BEGIN = 16  # NLMSG_MIN_TYPE
    BATCH_END = 17


class NFNL_BATCH(IntEnum):
    """enum nfnl_batch_attributes."""

    UNSPEC = 0
    GENID = 1


class NFNLGRP(IntEnum):
    """enum nfnetlink_groups: multicast groups of NETLINK_NETFILTER."""

    NONE = 0
    CONNTRACK_NEW = 1
    CONNTRACK_UPDATE = 2
    CONNTRACK_DESTROY = 3
    CONNTRACK_EXP_NEW = 4
    CONNTRACK_EXP_UPDATE = 5
    CONNTRACK_EXP_DESTROY = 6
    NFTABLES = 7
    ACCT_QUOTA = 8
    NFTRACE = 9


class NFPROTO(IntEnum):
    """NFPROTO_*: nfgenmsg.nfgen_family (linux/netfilter.h)."""

    UNSPEC = 0
    INET = 1
    IPV4 = 2
    ARP = 3
    NETDEV = 5
    BRIDGE = 7
    IPV6 = 10
    DECNET = 12


class NF_INET_HOOKS(IntEnum):
    """enum nf_inet_hooks: NFTA_HOOK_HOOKNUM of an ip, ip6, inet or bridge chain
    (linux/netfilter.h; a netdev chain's INGRESS is 0, and NF_INET_INGRESS is 5)."""

    PRE_ROUTING = 0
    LOCAL_IN = 1
    FORWARD = 2
    LOCAL_OUT = 3
    POST_ROUTING = 4
    INGRESS = 5
