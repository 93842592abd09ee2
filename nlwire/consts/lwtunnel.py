"""Mirrors include/uapi/linux/lwtunnel.h (Linux 6.1).

Lightweight tunnel encapsulation types (RTA_ENCAP_TYPE) and the IP
encapsulation attributes (RTA_ENCAP).
"""

from enum import IntEnum


class LWTUNNEL_ENCAP(IntEnum):
    """enum lwtunnel_encap_types: values of RTA_ENCAP_TYPE / NHA_ENCAP_TYPE."""

    NONE = 0
    MPLS = 1
    IP = 2
    ILA = 3
    IP6 = 4
    SEG6 = 5
    BPF = 6
    SEG6_LOCAL = 7
    RPL = 8
    IOAM6 = 9
    XFRM = 10


class LWTUNNEL_IP(IntEnum):
    """enum lwtunnel_ip_t: attributes of LWTUNNEL_ENCAP_IP."""

    UNSPEC = 0
    ID = 1
    DST = 2
    SRC = 3
    TTL = 4
    TOS = 5
    FLAGS = 6
    PAD = 7
    OPTS = 8


class LWTUNNEL_IP6(IntEnum):
    """enum lwtunnel_ip6_t: attributes of LWTUNNEL_ENCAP_IP6."""

    UNSPEC = 0
    ID = 1
    DST = 2
    SRC = 3
    HOPLIMIT = 4
    TC = 5
    FLAGS = 6
    PAD = 7
    OPTS = 8
