"""Mirrors include/uapi/linux/veth.h (Linux 6.1)."""

from enum import IntEnum


class VETH_INFO(IntEnum):
    """VETH_INFO_* veth device attributes (IFLA_INFO_DATA of kind "veth")."""

    UNSPEC = 0
    PEER = 1
