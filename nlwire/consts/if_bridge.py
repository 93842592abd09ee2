"""Mirrors include/uapi/linux/if_bridge.h (Linux 6.1).

Bridge AF_BRIDGE attributes (IFLA_AF_SPEC), VLAN info flags and port
states.
"""

from enum import IntEnum, IntFlag


class BR_STATE(IntEnum):
    """BR_STATE_* STP port states (IFLA_BRPORT_STATE, IFLA_PROTINFO)."""

    DISABLED = 0
    LISTENING = 1
    LEARNING = 2
    FORWARDING = 3
    BLOCKING = 4


class BRIDGE_FLAGS(IntFlag):
    """BRIDGE_FLAGS_* values of IFLA_BRIDGE_FLAGS."""

    MASTER = 0x1
    SELF = 0x2


class BRIDGE_MODE(IntEnum):
    """BRIDGE_MODE_* values of IFLA_BRIDGE_MODE."""

    VEB = 0
    VEPA = 1
    UNDEF = 0xFFFF


class IFLA_BRIDGE(IntEnum):
    """IFLA_BRIDGE_* attributes nested in IFLA_AF_SPEC for AF_BRIDGE."""

    FLAGS = 0
    MODE = 1
    VLAN_INFO = 2
    VLAN_TUNNEL_INFO = 3
    MRP = 4
    CFM = 5
    MST = 6


class BRIDGE_VLAN_INFO(IntFlag):
    """BRIDGE_VLAN_INFO_* flags of struct bridge_vlan_info."""

    MASTER = 0x1
    PVID = 0x2
    UNTAGGED = 0x4
    RANGE_BEGIN = 0x8
    RANGE_END = 0x10
    BRENTRY = 0x20
    ONLY_OPTS = 0x40


class IFLA_BRIDGE_VLAN_TUNNEL(IntEnum):
    """IFLA_BRIDGE_VLAN_TUNNEL_* attributes nested in IFLA_BRIDGE_VLAN_TUNNEL_INFO."""

    UNSPEC = 0
    ID = 1
    VID = 2
    FLAGS = 3
