"""Generic netlink schemas (include/uapi/linux/genetlink.h): ``genlmsghdr``, the
nlctrl attribute sets, and the registry of generic families by name."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import construct as cs

from nlwire.consts import CTRL_ATTR, CTRL_ATTR_MCAST_GRP, CTRL_ATTR_OP, CTRL_ATTR_POLICY, CTRL_CMD, GENL
from nlwire.wire.attrs import AttrSet
from nlwire.wire.compound import IndexedMap
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.kinds import nested, nested_array, string, u16, u32
from nlwire.wire.netlink import POLICY_ATTRS

__all__ = [
    "CTRL_ATTRS",
    "GENLMSGHDR",
    "GENL_FAMILIES",
    "GenlFamilySpec",
    "MCAST_GRP_ATTRS",
    "OP_ATTRS",
    "genlmsghdr",
    "register_genl_family",
]

genlmsghdr = cs.Struct("cmd" / cs.Int8un, "version" / cs.Int8un, cs.Padding(2))
"""struct genlmsghdr { __u8 cmd; __u8 version; __u16 reserved; };"""

GENLMSGHDR = FixedStruct("genlmsghdr", genlmsghdr, "GenlMsgHdr")

OP_ATTRS = AttrSet(CTRL_ATTR_OP, {CTRL_ATTR_OP.ID: u32(CTRL_CMD), CTRL_ATTR_OP.FLAGS: u32(GENL)})
"""One entry of CTRL_ATTR_OPS."""

MCAST_GRP_ATTRS = AttrSet(CTRL_ATTR_MCAST_GRP, {CTRL_ATTR_MCAST_GRP.NAME: string, CTRL_ATTR_MCAST_GRP.ID: u32})
"""One entry of CTRL_ATTR_MCAST_GROUPS."""

OP_POLICY_ATTRS = AttrSet(CTRL_ATTR_POLICY, {CTRL_ATTR_POLICY.DO: u32, CTRL_ATTR_POLICY.DUMP: u32})
"""The policy indices of one operation (CTRL_ATTR_OP_POLICY entries)."""

CTRL_ATTRS = AttrSet(
    CTRL_ATTR,
    {
        CTRL_ATTR.FAMILY_ID: u16,
        CTRL_ATTR.FAMILY_NAME: string,
        CTRL_ATTR.VERSION: u32,
        CTRL_ATTR.HDRSIZE: u32,
        CTRL_ATTR.MAXATTR: u32,
        CTRL_ATTR.OPS: nested_array(nested(OP_ATTRS)),
        CTRL_ATTR.MCAST_GROUPS: nested_array(nested(MCAST_GRP_ATTRS)),
        # policy index -> attribute type -> NL_POLICY_TYPE_ATTR_*
        CTRL_ATTR.POLICY: IndexedMap(IndexedMap(nested(POLICY_ATTRS))),
        # op id -> CTRL_ATTR_POLICY_{DO,DUMP}
        CTRL_ATTR.OP_POLICY: IndexedMap(nested(OP_POLICY_ATTRS)),
        CTRL_ATTR.OP: u32(CTRL_CMD),
    },
)
"""The nlctrl (GENL_ID_CTRL) attribute set."""


@dataclass(frozen=True)
class GenlFamilySpec:
    """What nlwire knows of a generic netlink family, by name: its attribute
    set and command enum. The numeric id is learned at run time."""

    name: str
    attrs: AttrSet | None
    commands: type[enum.IntEnum] | None = None
    header: FixedStruct = field(default=GENLMSGHDR)
    """The family's ``genlmsghdr``; with ``commands``, its ``cmd`` field is named by them."""

    def __post_init__(self) -> None:
        if self.commands is not None and self.header is GENLMSGHDR:
            # the same struct, its cmd named by the family's commands (CTRL_CMD_GETFAMILY)
            named = FixedStruct("genlmsghdr", genlmsghdr, "GenlMsgHdr", {"cmd": self.commands})
            object.__setattr__(self, "header", named)


GENL_FAMILIES: dict[str, GenlFamilySpec] = {}
"""Known generic families by name. :func:`register_genl_family` adds one."""


def register_genl_family(spec: GenlFamilySpec) -> GenlFamilySpec:
    """Declare a generic family: its messages then decode and encode by name."""
    GENL_FAMILIES[spec.name] = spec
    return spec


NLCTRL = register_genl_family(GenlFamilySpec("nlctrl", CTRL_ATTRS, CTRL_CMD))
