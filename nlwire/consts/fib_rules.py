"""Mirrors include/uapi/linux/fib_rules.h (Linux 6.1).

Policy routing rule (RTM_*RULE) attributes, actions and flags.
"""

from enum import IntEnum, IntFlag


class FIB_RULE(IntFlag):
    """FIB_RULE_* rule flags (fib_rule_hdr.flags)."""

    PERMANENT = 0x1
    INVERT = 0x2
    UNRESOLVED = 0x4
    IIF_DETACHED = 0x8
    DEV_DETACHED = 0x8
    OIF_DETACHED = 0x10
    FIND_SADDR = 0x10000


class FRA(IntEnum):
    """FRA_* rule attributes (fib_rule_hdr payload)."""

    UNSPEC = 0
    DST = 1
    SRC = 2
    IIFNAME = 3
    GOTO = 4
    UNUSED2 = 5
    PRIORITY = 6
    UNUSED3 = 7
    UNUSED4 = 8
    UNUSED5 = 9
    FWMARK = 10
    FLOW = 11
    TUN_ID = 12
    SUPPRESS_IFGROUP = 13
    SUPPRESS_PREFIXLEN = 14
    TABLE = 15
    FWMASK = 16
    OIFNAME = 17
    PAD = 18
    L3MDEV = 19
    UID_RANGE = 20
    PROTOCOL = 21
    IP_PROTO = 22
    SPORT_RANGE = 23
    DPORT_RANGE = 24
    IFNAME = 3


class FR_ACT(IntEnum):
    """FR_ACT_* rule actions (fib_rule_hdr.action)."""

    UNSPEC = 0
    TO_TBL = 1
    GOTO = 2
    NOP = 3
    RES3 = 4
    RES4 = 5
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8
