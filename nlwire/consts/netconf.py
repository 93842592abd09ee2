"""Mirrors include/uapi/linux/netconf.h (Linux 6.1).

Per-device configuration (RTM_*NETCONF) attributes.
"""

from enum import IntEnum

NETCONFA_IFINDEX_ALL = -1
"""NETCONFA_IFINDEX value selecting the "all" configuration."""

NETCONFA_IFINDEX_DEFAULT = -2
"""NETCONFA_IFINDEX value selecting the "default" configuration."""


class NETCONFA(IntEnum):
    """NETCONFA_* netconf attributes (netconfmsg payload)."""

    UNSPEC = 0
    IFINDEX = 1
    FORWARDING = 2
    RP_FILTER = 3
    MC_FORWARDING = 4
    PROXY_NEIGH = 5
    IGNORE_ROUTES_WITH_LINKDOWN = 6
    INPUT = 7
    BC_FORWARDING = 8
