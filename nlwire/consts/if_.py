"""Mirrors include/uapi/linux/if.h (Linux 6.1).

The module is named ``if_`` because ``if`` is a Python keyword.
"""

from enum import IntEnum, IntFlag

IFNAMSIZ = 16
"""Size of an interface name buffer, including the trailing NUL (IFNAMSIZ)."""

IFALIASZ = 256
"""Maximum length of an interface alias (IFALIASZ)."""

ALTIFNAMSIZ = 128
"""Size of an alternative interface name buffer (ALTIFNAMSIZ)."""


class IFF(IntFlag):
    """enum net_device_flags: IFF_* interface flags (ifinfomsg.ifi_flags)."""

    UP = 0x1
    BROADCAST = 0x2
    DEBUG = 0x4
    LOOPBACK = 0x8
    POINTOPOINT = 0x10
    NOTRAILERS = 0x20
    RUNNING = 0x40
    NOARP = 0x80
    PROMISC = 0x100
    ALLMULTI = 0x200
    MASTER = 0x400
    SLAVE = 0x800
    MULTICAST = 0x1000
    PORTSEL = 0x2000
    AUTOMEDIA = 0x4000
    DYNAMIC = 0x8000
    LOWER_UP = 0x10000
    DORMANT = 0x20000
    ECHO = 0x40000


class IF_OPER(IntEnum):
    """IF_OPER_* RFC 2863 operational states (IFLA_OPERSTATE)."""

    UNKNOWN = 0
    NOTPRESENT = 1
    DOWN = 2
    LOWERLAYERDOWN = 3
    TESTING = 4
    DORMANT = 5
    UP = 6


class IF_LINK_MODE(IntEnum):
    """IF_LINK_MODE_* link modes (IFLA_LINKMODE)."""

    DEFAULT = 0
    DORMANT = 1
    TESTING = 2
