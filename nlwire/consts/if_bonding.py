"""Mirrors include/uapi/linux/if_bonding.h (Linux 6.1): the values of the bonding
attributes (IFLA_BOND_* and IFLA_BOND_SLAVE_* are in if_link.py)."""

from enum import IntEnum, IntFlag


class BOND_MODE(IntEnum):
    """BOND_MODE_*: values of IFLA_BOND_MODE."""

    ROUNDROBIN = 0
    ACTIVEBACKUP = 1
    XOR = 2
    BROADCAST = 3
    _8023AD = 4
    TLB = 5
    ALB = 6


class BOND_LINK(IntEnum):
    """BOND_LINK_*: a port's link state, values of IFLA_BOND_SLAVE_MII_STATUS."""

    UP = 0
    FAIL = 1
    DOWN = 2
    BACK = 3


class BOND_STATE(IntEnum):
    """BOND_STATE_*: values of IFLA_BOND_SLAVE_STATE."""

    ACTIVE = 0
    BACKUP = 1


class BOND_XMIT_POLICY(IntEnum):
    """BOND_XMIT_POLICY_*: hashing types, values of IFLA_BOND_XMIT_HASH_POLICY."""

    LAYER2 = 0
    LAYER34 = 1
    LAYER23 = 2
    ENCAP23 = 3
    ENCAP34 = 4
    VLAN_SRCMAC = 5


class LACP_STATE(IntFlag):
    """LACP_STATE_*: 802.3ad port state bits (IFLA_BOND_SLAVE_AD_*_OPER_PORT_STATE)."""

    LACP_ACTIVITY = 0x1
    LACP_TIMEOUT = 0x2
    AGGREGATION = 0x4
    SYNCHRONIZATION = 0x8
    COLLECTING = 0x10
    DISTRIBUTING = 0x20
    DEFAULTED = 0x40
    EXPIRED = 0x80
