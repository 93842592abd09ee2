"""Mirrors include/uapi/linux/net_namespace.h (Linux 6.1): RTM_*NSID attributes."""

from enum import IntEnum


class NETNSA(IntEnum):
    """NETNSA_* attributes of RTM_{NEW,DEL,GET}NSID (after struct rtgenmsg)."""

    NONE = 0
    NSID = 1
    PID = 2
    FD = 3
    TARGET_NSID = 4
    CURRENT_NSID = 5


NETNSA_NSID_NOT_ASSIGNED = -1
