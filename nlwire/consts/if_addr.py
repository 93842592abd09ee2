"""Mirrors include/uapi/linux/if_addr.h (Linux 6.1).

Address (RTM_*ADDR) attributes and flags.
"""

from enum import IntEnum, IntFlag


class IFA(IntEnum):
    """IFA_* address attributes (ifaddrmsg payload)."""

    UNSPEC = 0
    ADDRESS = 1
    LOCAL = 2
    LABEL = 3
    BROADCAST = 4
    ANYCAST = 5
    CACHEINFO = 6
    MULTICAST = 7
    FLAGS = 8
    RT_PRIORITY = 9
    TARGET_NETNSID = 10
    PROTO = 11


class IFA_F(IntFlag):
    """IFA_F_* address flags (ifaddrmsg.ifa_flags and IFA_FLAGS)."""

    SECONDARY = 0x1
    TEMPORARY = 0x1
    NODAD = 0x2
    OPTIMISTIC = 0x4
    DADFAILED = 0x8
    HOMEADDRESS = 0x10
    DEPRECATED = 0x20
    TENTATIVE = 0x40
    PERMANENT = 0x80
    MANAGETEMPADDR = 0x100
    NOPREFIXROUTE = 0x200
    MCAUTOJOIN = 0x400
    STABLE_PRIVACY = 0x800


class IFAPROT(IntEnum):
    """IFAPROT_* address origin protocols (IFA_PROTO)."""

    UNSPEC = 0
    KERNEL_LO = 1
    KERNEL_RA = 2
    KERNEL_LL = 3
