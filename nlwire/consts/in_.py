"""Mirrors the IPPROTO_* protocol numbers of include/uapi/linux/in.h (Linux 6.1)."""

from enum import IntEnum


class IPPROTO(IntEnum):
    """IPPROTO_*: the protocol of an AF_INET/AF_INET6 socket (``sdiag_protocol``)."""

    IP = 0
    ICMP = 1
    IGMP = 2
    IPIP = 4
    TCP = 6
    EGP = 8
    PUP = 12
    UDP = 17
    IDP = 22
    TP = 29
    DCCP = 33
    IPV6 = 41
    RSVP = 46
    GRE = 47
    ESP = 50
    AH = 51
    ICMPV6 = 58  # include/uapi/linux/in6.h
    MTP = 92
    BEETPH = 94
    ENCAP = 98
    PIM = 103
    COMP = 108
    L2TP = 115
    SCTP = 132
    UDPLITE = 136
    MPLS = 137
    ETHERNET = 143
    RAW = 255
    MPTCP = 262
