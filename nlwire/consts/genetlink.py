"""Mirrors include/uapi/linux/genetlink.h (Linux 6.1).

Generic netlink reserved ids, operation flags and the nlctrl family.
"""

from enum import IntEnum, IntFlag

GENL_NAMSIZ = 16
"""Size of a family name buffer, including the trailing NUL (GENL_NAMSIZ)."""

GENL_HDRLEN = 4
"""Aligned size of struct genlmsghdr (GENL_HDRLEN)."""

GENL_MIN_ID = 16
"""Lowest generic netlink family id (GENL_MIN_ID)."""

GENL_MAX_ID = 1023
"""Highest generic netlink family id (GENL_MAX_ID)."""


class GENL_ID(IntEnum):
    """GENL_ID_* statically reserved generic netlink family ids."""

    CTRL = 16
    VFS_DQUOT = 17
    PMCRAID = 18


class GENL(IntFlag):
    """GENL_* operation flags (CTRL_ATTR_OP_FLAGS)."""

    ADMIN_PERM = 0x1
    CMD_CAP_DO = 0x2
    CMD_CAP_DUMP = 0x4
    CMD_CAP_HASPOL = 0x8
    UNS_ADMIN_PERM = 0x10


class CTRL_CMD(IntEnum):
    """CTRL_CMD_* nlctrl commands (genlmsghdr.cmd)."""

    UNSPEC = 0
    NEWFAMILY = 1
    DELFAMILY = 2
    GETFAMILY = 3
    NEWOPS = 4
    DELOPS = 5
    GETOPS = 6
    NEWMCAST_GRP = 7
    DELMCAST_GRP = 8
    GETMCAST_GRP = 9
    GETPOLICY = 10


class CTRL_ATTR(IntEnum):
    """CTRL_ATTR_* nlctrl attributes."""

    UNSPEC = 0
    FAMILY_ID = 1
    FAMILY_NAME = 2
    VERSION = 3
    HDRSIZE = 4
    MAXATTR = 5
    OPS = 6
    MCAST_GROUPS = 7
    POLICY = 8
    OP_POLICY = 9
    OP = 10


class CTRL_ATTR_OP(IntEnum):
    """CTRL_ATTR_OP_* attributes of one entry of CTRL_ATTR_OPS."""

    UNSPEC = 0
    ID = 1
    FLAGS = 2


class CTRL_ATTR_MCAST_GRP(IntEnum):
    """CTRL_ATTR_MCAST_GRP_* attributes of one entry of CTRL_ATTR_MCAST_GROUPS."""

    UNSPEC = 0
    NAME = 1
    ID = 2


class CTRL_ATTR_POLICY(IntEnum):
    """CTRL_ATTR_POLICY_* attributes nested in CTRL_ATTR_OP_POLICY."""

    UNSPEC = 0
    DO = 1
    DUMP = 2
    DUMP_MAX = 2
