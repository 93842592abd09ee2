"""The declarative wire schemas: the only package that imports construct.

Fixed structs are construct ``Struct`` declarations named as in
``include/uapi``; attribute sets are :class:`AttrSet` tables keyed by enum
members. Fast decoders are derived from them: precompiled structs per fixed
struct, and per attribute set the walks :mod:`nlwire.wire.compiler` generates
from the code each kind contributes (the strict decode, :class:`Picker` to read
chosen values straight from the bytes, the check ``fits_plain``).
"""

from typing import TYPE_CHECKING, Any

from nlwire.wire.attrs import Attrs, AttrSet, Entry, HeaderAndAttrs, Kind
from nlwire.wire.compound import Bitfield32
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.genetlink import (
    CTRL_ATTRS,
    GENL_FAMILIES,
    GENLMSGHDR,
    GenlFamilySpec,
    genlmsghdr,
    register_genl_family,
)
from nlwire.wire.netlink import NLMSGERR_ATTRS, NLMSGHDR, POLICY_ATTRS, nlmsg_align, nlmsgerr, nlmsghdr
from nlwire.wire.nla import MAX_DEPTH, attr_name, nlattr, scan_attrs, scan_attrs_tolerant
from nlwire.wire.registry import PROTOCOL_TYPES, GenlIds, MessageSchema, lookup, message_class, type_name
from nlwire.wire.rtnetlink import (
    ADDR_ATTRS,
    IFADDRMSG,
    IFINFOMSG,
    LINK_ATTRS,
    LINKINFO_ATTRS,
    NDMSG,
    NEIGH_ATTRS,
    ROUTE_ATTRS,
    RTMSG,
    ifaddrmsg,
    ifinfomsg,
    ndmsg,
    rtmsg,
)
from nlwire.wire.scalars import Via
from nlwire.wire.walks import Picker

if TYPE_CHECKING:
    from nlwire.wire.nfnetlink import NFGENMSG, nfgenmsg


def __getattr__(name: str) -> Any:
    """nftables' schemas (:mod:`nlwire.wire.nfnetlink`) load on first use, with the
    constants they name (see :data:`~nlwire.wire.registry.PROTOCOL_TYPES`)."""
    if name not in ("NFGENMSG", "nfgenmsg"):
        raise AttributeError(f"module 'nlwire.wire' has no attribute {name!r}")
    from nlwire.wire import nfnetlink

    value = getattr(nfnetlink, name)
    globals()[name] = value
    return value

__all__ = [
    "ADDR_ATTRS", "CTRL_ATTRS", "GENLMSGHDR", "GENL_FAMILIES", "IFADDRMSG", "IFINFOMSG",
    "LINKINFO_ATTRS", "LINK_ATTRS", "MAX_DEPTH", "NDMSG", "NEIGH_ATTRS", "NLMSGERR_ATTRS",
    "NLMSGHDR", "NFGENMSG", "POLICY_ATTRS", "PROTOCOL_TYPES", "ROUTE_ATTRS", "RTMSG", "AttrSet", "Attrs",
    "Bitfield32", "Entry", "FixedStruct", "GenlFamilySpec", "GenlIds", "HeaderAndAttrs", "Kind",
    "MessageSchema", "Picker", "Record", "attr_name", "genlmsghdr", "ifaddrmsg", "ifinfomsg", "lookup",
    "message_class", "ndmsg", "nfgenmsg", "nlattr", "nlmsg_align", "nlmsgerr", "nlmsghdr", "register_genl_family",
    "rtmsg", "scan_attrs", "scan_attrs_tolerant", "type_name", "Via",
]
