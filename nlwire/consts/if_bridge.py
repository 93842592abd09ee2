"""Mirrors include/uapi/linux/if_bridge.h (Linux 6.1; the VLAN database entry
attributes as of 6.8, which added MCAST_N_GROUPS, MCAST_MAX_GROUPS and NEIGH_SUPPRESS).

Bridge AF_BRIDGE attributes (IFLA_AF_SPEC), VLAN info flags, port states and the
VLAN database (RTM_*VLAN).
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


class BRIDGE_VLANDB_DUMP(IntEnum):
    """BRIDGE_VLANDB_DUMP_* attributes of an RTM_GETVLAN dump request."""

    UNSPEC = 0
    FLAGS = 1


class BRIDGE_VLANDB_DUMPF(IntFlag):
    """BRIDGE_VLANDB_DUMPF_* bits of BRIDGE_VLANDB_DUMP_FLAGS."""

    STATS = 1 << 0
    GLOBAL = 1 << 1


class BRIDGE_VLANDB(IntEnum):
    """BRIDGE_VLANDB_* attributes of RTM_NEWVLAN / RTM_DELVLAN (after struct br_vlan_msg)."""

    UNSPEC = 0
    ENTRY = 1
    GLOBAL_OPTIONS = 2


class BRIDGE_VLANDB_ENTRY(IntEnum):
    """BRIDGE_VLANDB_ENTRY_* attributes nested in BRIDGE_VLANDB_ENTRY."""

    UNSPEC = 0
    INFO = 1
    RANGE = 2
    STATE = 3
    TUNNEL_INFO = 4
    STATS = 5
    MCAST_ROUTER = 6
    MCAST_N_GROUPS = 7
    MCAST_MAX_GROUPS = 8
    NEIGH_SUPPRESS = 9


class BRIDGE_VLANDB_TINFO(IntEnum):
    """BRIDGE_VLANDB_TINFO_* attributes nested in BRIDGE_VLANDB_ENTRY_TUNNEL_INFO."""

    UNSPEC = 0
    ID = 1
    CMD = 2


class BRIDGE_VLANDB_STATS(IntEnum):
    """BRIDGE_VLANDB_STATS_* attributes nested in BRIDGE_VLANDB_ENTRY_STATS."""

    UNSPEC = 0
    RX_BYTES = 1
    RX_PACKETS = 2
    TX_BYTES = 3
    TX_PACKETS = 4
    PAD = 5
