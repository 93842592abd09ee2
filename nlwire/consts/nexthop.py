"""Mirrors include/uapi/linux/nexthop.h (Linux 6.1).

Next-hop object (RTM_*NEXTHOP) attributes.
"""

from enum import IntEnum


class NEXTHOP_GRP_TYPE(IntEnum):
    """NEXTHOP_GRP_TYPE_* next-hop group types (NHA_GROUP_TYPE)."""

    MPATH = 0
    RES = 1


class NHA(IntEnum):
    """NHA_* next-hop attributes (nhmsg payload)."""

    UNSPEC = 0
    ID = 1
    GROUP = 2
    GROUP_TYPE = 3
    BLACKHOLE = 4
    OIF = 5
    GATEWAY = 6
    ENCAP_TYPE = 7
    ENCAP = 8
    GROUPS = 9
    MASTER = 10
    FDB = 11
    RES_GROUP = 12
    RES_BUCKET = 13


class NHA_RES_GROUP(IntEnum):
    """NHA_RES_GROUP_* attributes nested in NHA_RES_GROUP."""

    UNSPEC = 0
    PAD = 0
    BUCKETS = 1
    IDLE_TIMER = 2
    UNBALANCED_TIMER = 3
    UNBALANCED_TIME = 4


class NHA_RES_BUCKET(IntEnum):
    """NHA_RES_BUCKET_* attributes nested in NHA_RES_BUCKET."""

    UNSPEC = 0
    PAD = 0
    INDEX = 1
    IDLE_TIME = 2
    NH_ID = 3
