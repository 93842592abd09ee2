"""Mirrors include/uapi/linux/if_tun.h (Linux 6.1): the device types of IFLA_TUN_TYPE."""

from enum import IntEnum


class TUN_TYPE(IntEnum):
    """IFF_TUN / IFF_TAP (TUN_TUN_DEV / TUN_TAP_DEV): values of IFLA_TUN_TYPE."""

    TUN = 0x0001
    TAP = 0x0002
