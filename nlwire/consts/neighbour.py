"""Mirrors include/uapi/linux/neighbour.h (Linux 6.1).

Neighbour (RTM_*NEIGH) and neighbour table (RTM_*NEIGHTBL) constants.
"""

from enum import IntEnum, IntFlag


class NDA(IntEnum):
    """NDA_* neighbour attributes (ndmsg payload)."""

    UNSPEC = 0
    DST = 1
    LLADDR = 2
    CACHEINFO = 3
    PROBES = 4
    VLAN = 5
    PORT = 6
    VNI = 7
    IFINDEX = 8
    MASTER = 9
    LINK_NETNSID = 10
    SRC_VNI = 11
    PROTOCOL = 12
    NH_ID = 13
    FDB_EXT_ATTRS = 14
    FLAGS_EXT = 15
    NDM_STATE_MASK = 16
    NDM_FLAGS_MASK = 17


class NTF(IntFlag):
    """NTF_* neighbour flags (ndmsg.ndm_flags)."""

    USE = 0x1
    SELF = 0x2
    MASTER = 0x4
    PROXY = 0x8
    EXT_LEARNED = 0x10
    OFFLOADED = 0x20
    STICKY = 0x40
    ROUTER = 0x80


class NTF_EXT(IntFlag):
    """NTF_EXT_* extended neighbour flags (NDA_FLAGS_EXT)."""

    MANAGED = 0x1
    LOCKED = 0x2  # added in Linux 6.2


class NUD(IntFlag):
    """NUD_* neighbour cache states (ndmsg.ndm_state)."""

    INCOMPLETE = 0x1
    REACHABLE = 0x2
    STALE = 0x4
    DELAY = 0x8
    PROBE = 0x10
    FAILED = 0x20
    NOARP = 0x40
    PERMANENT = 0x80
    NONE = 0x0


class NDTA(IntEnum):
    """NDTA_* neighbour table attributes."""

    UNSPEC = 0
    NAME = 1
    THRESH1 = 2
    THRESH2 = 3
    THRESH3 = 4
    CONFIG = 5
    PARMS = 6
    STATS = 7
    GC_INTERVAL = 8
    PAD = 9


class NDTPA(IntEnum):
    """NDTPA_* neighbour table parameter attributes (nested in NDTA_PARMS)."""

    UNSPEC = 0
    IFINDEX = 1
    REFCNT = 2
    REACHABLE_TIME = 3
    BASE_REACHABLE_TIME = 4
    RETRANS_TIME = 5
    GC_STALETIME = 6
    DELAY_PROBE_TIME = 7
    QUEUE_LEN = 8
    APP_PROBES = 9
    UCAST_PROBES = 10
    MCAST_PROBES = 11
    ANYCAST_DELAY = 12
    PROXY_DELAY = 13
    PROXY_QLEN = 14
    LOCKTIME = 15
    QUEUE_LENBYTES = 16
    MCAST_REPROBES = 17
    PAD = 18
    INTERVAL_PROBE_TIME_MS = 19
