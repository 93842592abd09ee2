"""Generic netlink schemas (include/uapi/linux/genetlink.h): ``genlmsghdr``, the
nlctrl attribute sets, and the registry of generic families by name."""

from __future__ import annotations

import enum
from collections.abc import Mapping
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
    "GenlOpSpec",
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
class GenlOpSpec:
    """One operation of a generic family: its command, the attribute set its messages
    carry, and which of those attributes each of its requests and replies may hold."""

    name: str
    """The spec's name (``linkinfo-get``)."""
    cmd: int
    """The command a request carries (replies: :attr:`reply_cmd`)."""
    attrs: AttrSet | None
    const: str = ""
    """The kernel's constant for the command (``ETHTOOL_MSG_LINKINFO_GET``)."""
    reply_cmd: int | None = None
    """The command of its replies and notifications (None: it has none)."""
    reply_const: str = ""
    header: FixedStruct | None = None
    """Its ``genlmsghdr`` plus the family's fixed header, when the operation has its own."""
    subsets: Mapping[str, frozenset[int]] = field(default_factory=dict)
    """The attribute types allowed in ``do-request``, ``do-reply``, ``dump-request``,
    ``dump-reply`` (a key absent: the operation has no such message)."""
    mcgrp: str | None = None
    """The multicast group its notifications go to."""


@dataclass(frozen=True)
class GenlFamilySpec:
    """What nlwire knows of a generic netlink family, by name: its attribute
    set and command enum, and its operations when each has its own attribute set.
    The numeric id is learned at run time."""

    name: str
    attrs: AttrSet | None
    """The family's attribute set (None: each operation names its own)."""
    commands: type[enum.IntEnum] | None = None
    header: FixedStruct = field(default=GENLMSGHDR)
    """The family's ``genlmsghdr``; with ``commands``, its ``cmd`` field is named by them."""
    ops: tuple[GenlOpSpec, ...] = ()
    """Operations with their own attribute sets (a family loaded from a spec)."""
    mcast_groups: tuple[str, ...] = ()
    """The multicast groups a spec names (their ids are learned at run time)."""

    def __post_init__(self) -> None:
        if self.commands is not None and self.header is GENLMSGHDR:
            # the same struct, its cmd named by the family's commands (CTRL_CMD_GETFAMILY)
            named = FixedStruct("genlmsghdr", genlmsghdr, "GenlMsgHdr", {"cmd": self.commands})
            object.__setattr__(self, "header", named)
        requests = {op.cmd: op for op in reversed(self.ops)}
        replies = {op.reply_cmd: op for op in reversed(self.ops) if op.reply_cmd is not None}
        object.__setattr__(self, "_requests", requests)
        object.__setattr__(self, "_replies", replies)

    def op(self, cmd: int, reply: bool = False) -> GenlOpSpec | None:
        """The operation a message of command ``cmd`` belongs to (``reply``: a message
        from the kernel, whose commands may be numbered apart from the requests')."""
        table: dict[int, GenlOpSpec] = self.__dict__["_replies" if reply else "_requests"]
        found = table.get(cmd)
        if found is None:  # a request's command in a reply (an echo), or the other way round
            found = self.__dict__["_requests" if reply else "_replies"].get(cmd)
        return found

    def op_named(self, name: str) -> GenlOpSpec:
        """The operation called ``name`` in the spec; KeyError naming the ones there are."""
        for op in self.ops:
            if op.name == name:
                return op
        raise KeyError(f"{self.name} has no operation {name!r} (has {', '.join(o.name for o in self.ops)})")


GENL_FAMILIES: dict[str, GenlFamilySpec] = {}
"""Known generic families by name. :func:`register_genl_family` adds one."""


def register_genl_family(spec: GenlFamilySpec) -> GenlFamilySpec:
    """Declare a generic family: its messages then decode and encode by name."""
    GENL_FAMILIES[spec.name] = spec
    return spec


NLCTRL = register_genl_family(GenlFamilySpec("nlctrl", CTRL_ATTRS, CTRL_CMD))
