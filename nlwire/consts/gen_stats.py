"""Mirrors include/uapi/linux/gen_stats.h (Linux 6.1).

The generic statistics nested in TCA_STATS2 of traffic-control messages.
"""

from enum import IntEnum


class TCA_STATS(IntEnum):
    """TCA_STATS_* attributes nested in TCA_STATS2."""

    UNSPEC = 0
    BASIC = 1
    RATE_EST = 2
    QUEUE = 3
    APP = 4
    RATE_EST64 = 5
    PAD = 6
    BASIC_HW = 7
    PKT64 = 8
