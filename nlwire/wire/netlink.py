"""Core netlink schemas (include/uapi/linux/netlink.h): the message header, the
error message and its extended-ACK attributes."""

from __future__ import annotations

import construct as cs

from nlwire.consts import NL_ATTR_TYPE, NL_POLICY_TYPE_ATTR, NLMSG_HDRLEN, NLMSGERR_ATTR
from nlwire.wire.attrs import AttrSet
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.kinds import binary, nested, s64, string, u32, u64

__all__ = [
    "NLMSGERR_ATTRS",
    "NLMSGHDR",
    "NLMSGERR_CODE",
    "NLMSG_HDRLEN",
    "POLICY_ATTRS",
    "nlmsgerr",
    "nlmsghdr",
    "nlmsg_align",
]

nlmsghdr = cs.Struct(
    "len" / cs.Int32un,
    "type" / cs.Int16un,
    "flags" / cs.Int16un,
    "seq" / cs.Int32un,
    "pid" / cs.Int32un,
)
"""struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags;
   __u32 nlmsg_seq; __u32 nlmsg_pid; };"""

nlmsgerr = cs.Struct("error" / cs.Int32sn, "msg" / nlmsghdr)
"""struct nlmsgerr { int error; struct nlmsghdr msg; };  -- followed by the rest of
the request unless NLM_F_CAPPED, then ext-ack TLVs if NLM_F_ACK_TLVS."""

nlmsgerr_code = cs.Struct("error" / cs.Int32sn)
"""The ``int error`` that starts struct nlmsgerr and the payload of NLMSG_DONE."""

NLMSGHDR = FixedStruct("nlmsghdr", nlmsghdr, "NlMsgHdr")
NLMSGERR_CODE = FixedStruct("nlmsgerr_code", nlmsgerr_code)


def nlmsg_align(n: int) -> int:
    """NLMSG_ALIGN: round up to 4."""
    return (n + 3) & ~3


POLICY_ATTRS = AttrSet(
    NL_POLICY_TYPE_ATTR,
    {
        NL_POLICY_TYPE_ATTR.TYPE: u32(NL_ATTR_TYPE),
        NL_POLICY_TYPE_ATTR.MIN_VALUE_S: s64,
        NL_POLICY_TYPE_ATTR.MAX_VALUE_S: s64,
        NL_POLICY_TYPE_ATTR.MIN_VALUE_U: u64,
        NL_POLICY_TYPE_ATTR.MAX_VALUE_U: u64,
        NL_POLICY_TYPE_ATTR.MIN_LENGTH: u32,
        NL_POLICY_TYPE_ATTR.MAX_LENGTH: u32,
        NL_POLICY_TYPE_ATTR.POLICY_IDX: u32,
        NL_POLICY_TYPE_ATTR.POLICY_MAXTYPE: u32,
        NL_POLICY_TYPE_ATTR.BITFIELD32_MASK: u32,
        NL_POLICY_TYPE_ATTR.PAD: binary,
        NL_POLICY_TYPE_ATTR.MASK: u64,
    },
)
"""Attribute policy description (NL_POLICY_TYPE_ATTR_*), in ext-ack and CTRL_CMD_GETPOLICY."""

NLMSGERR_ATTRS = AttrSet(
    NLMSGERR_ATTR,
    {
        NLMSGERR_ATTR.MSG: string,
        NLMSGERR_ATTR.OFFS: u32,
        NLMSGERR_ATTR.COOKIE: binary,
        NLMSGERR_ATTR.POLICY: nested(POLICY_ATTRS),
        NLMSGERR_ATTR.MISS_TYPE: u32,
        NLMSGERR_ATTR.MISS_NEST: u32,
    },
)
"""Extended-ACK TLVs after struct nlmsgerr (or NLMSG_DONE's error code)."""
