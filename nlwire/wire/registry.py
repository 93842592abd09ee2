"""From (netlink protocol, message type) to the schema of the message body, so
the client and the dissector find a schema from bytes alone."""

from __future__ import annotations

import enum
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from nlwire.consts import GENL_ID, NETLINK, NFNL_MSG, NFNL_SUBSYS, NLMSG, RTM, SOCK_DIAG
from nlwire.wire.attrs import AttrSet
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.genetlink import GENL_FAMILIES, GenlFamilySpec
from nlwire.wire.netlink import NLMSG_HDRLEN, NLMSGHDR
from nlwire.wire.rtnetlink import (
    ADDR_ATTRS,
    BR_VLAN_MSG,
    FIB_RULE_HDR,
    IF_STATS_MSG,
    IFADDRMSG,
    IFINFOMSG,
    LINK_ATTRS,
    NDMSG,
    NEIGH_ATTRS,
    NETCONF_ATTRS,
    NETCONFMSG,
    NEXTHOP_ATTRS,
    NHMSG,
    NSID_ATTRS,
    ROUTE_ATTRS,
    RTGENMSG,
    RTMSG,
    RULE_ATTRS,
    STATS_ATTRS,
    TCA_ATTRS,
    TCMSG,
    VLANDB_ATTRS,
    VLANDB_DUMP_ATTRS,
)
from nlwire.wire.sock_diag import BODIES as SOCK_DIAG_BODIES

__all__ = [
    "GenlIds", "MessageSchema", "PROTOCOL_TYPES", "first_byte", "lookup", "message_class", "plain_types", "type_name",
]


@dataclass(frozen=True)
class MessageSchema:
    """The body of one message type: fixed header and attribute set (either may be None)."""

    name: str
    """The kernel's constant, e.g. ``RTM_NEWLINK`` or ``CTRL_CMD_NEWFAMILY`` for genl."""
    header: FixedStruct | None
    attrs: AttrSet | None
    op: str = ""
    """``new``, ``del``, ``get`` or ``set``: selects the meaning of the NLM_F_* high bits."""
    family: GenlFamilySpec | None = None
    bodies: Mapping[tuple[int, bool], MessageSchema] | None = field(default=None, compare=False, repr=False)
    """Where the type alone does not say the body (NETLINK_SOCK_DIAG): per (first body byte,
    whether the message is a request), the schema; :func:`lookup` chooses. This schema
    itself (header and attributes None) reads a body no entry matches as bytes."""

    @cached_property
    def in_request(self) -> MessageSchema:
        """The schema as a request (NLM_F_REQUEST) is shown: its header's
        :attr:`~nlwire.wire.fixed.FixedStruct.in_request`; itself when that is the same."""
        header = self.header
        if header is None or header.in_request is header:
            return self
        return replace(self, header=header.in_request)

    @cached_property
    def plain(self) -> tuple[struct.Struct, type, int, int, AttrSet, dict[Any, Any]] | None:
        """What a decode of a message of this schema reads with: ``(both, record, min_len,
        attrs_at, attrs, walks)``. ``both`` reads the nlmsghdr's five fields and the fixed
        header's at once, ``record`` is the fixed header's record type, ``min_len`` the
        least ``nlmsg_len`` that holds both, ``attrs_at`` where the attributes start (after
        the header's pad), ``walks`` the decoder's own (its message walks). None when the
        schema has no fixed header or no attributes, or its header mixes byte orders."""
        header = self.header
        if header is None or header.struct is None or self.attrs is None:
            return None
        both = struct.Struct(NLMSGHDR.struct.format + header.struct.format.lstrip("="))  # type: ignore[union-attr]
        size = NLMSG_HDRLEN + header.size
        return both, header.record, size, NLMSG_HDRLEN + ((header.size + 3) & ~3), self.attrs, {}


def _rtnl() -> dict[int, MessageSchema]:
    table: dict[int, MessageSchema] = {}
    groups: list[tuple[str, FixedStruct, AttrSet | None]] = [
        ("LINK", IFINFOMSG, LINK_ATTRS),
        ("ADDR", IFADDRMSG, ADDR_ATTRS),
        ("ROUTE", RTMSG, ROUTE_ATTRS),
        ("NEIGH", NDMSG, NEIGH_ATTRS),
        ("RULE", FIB_RULE_HDR, RULE_ATTRS),
        ("QDISC", TCMSG, TCA_ATTRS),
        ("TCLASS", TCMSG, TCA_ATTRS),
        ("TFILTER", TCMSG, TCA_ATTRS),
        ("MULTICAST", IFADDRMSG, ADDR_ATTRS),
        ("ANYCAST", IFADDRMSG, ADDR_ATTRS),
        ("NETCONF", NETCONFMSG, NETCONF_ATTRS),
        ("NSID", RTGENMSG, NSID_ATTRS),
        ("STATS", IF_STATS_MSG, STATS_ATTRS),
        ("CHAIN", TCMSG, TCA_ATTRS),
        ("NEXTHOP", NHMSG, NEXTHOP_ATTRS),
        ("NEXTHOPBUCKET", NHMSG, NEXTHOP_ATTRS),  # NHA_ID, NHA_RES_BUCKET
        ("LINKPROP", IFINFOMSG, LINK_ATTRS),
        ("VLAN", BR_VLAN_MSG, VLANDB_ATTRS),
    ]
    for base, header, attrs in groups:
        for op in ("new", "del", "get", "set"):
            member = RTM.__members__.get(f"{op.upper()}{base}")
            if member is not None:
                table[int(member)] = MessageSchema(f"RTM_{member.name}", header, attrs, op)
    # a VLAN dump request carries its own attributes (BRIDGE_VLANDB_DUMP_*), not entries
    table[int(RTM.GETVLAN)] = MessageSchema("RTM_GETVLAN", BR_VLAN_MSG, VLANDB_DUMP_ATTRS, "get")
    return table


def _nfnetlink() -> dict[int, MessageSchema]:
    """NETLINK_NETFILTER: type = subsystem << 8 | message; nftables and the batch bounds."""
    from nlwire.consts import NFT_MSG
    from nlwire.wire import nfnetlink as nft

    table: dict[int, MessageSchema] = {}
    for bound in NFNL_MSG:
        table[int(bound)] = MessageSchema(f"NFNL_MSG_{bound.name}", nft.NFGENMSG_BATCH, nft.BATCH_ATTRS)
    objects = {
        "SETELEM": nft.SET_ELEM_LIST_ATTRS, "FLOWTABLE": nft.FLOWTABLE_ATTRS, "TABLE": nft.TABLE_ATTRS,
        "CHAIN": nft.CHAIN_ATTRS, "RULE": nft.RULE_ATTRS, "SET": nft.SET_ATTRS, "GEN": nft.GEN_ATTRS,
        "OBJ": nft.OBJ_ATTRS,
    }
    base = int(NFNL_SUBSYS.NFTABLES) << 8
    for member in NFT_MSG:
        name = member.name
        if name == "TRACE":
            op, attrs = "", nft.TRACE_ATTRS
        else:
            verb = next(v for v in ("NEW", "GET", "DEL", "DESTROY") if name.startswith(v))
            attrs = objects[name[len(verb):].removesuffix("_RESET")]
            op = {"NEW": "new", "GET": "get"}.get(verb, "del")
        table[base | int(member)] = MessageSchema(f"NFT_MSG_{name}", nft.NFGENMSG, attrs, op)
    return table


_SOCK_DIAG_NAMES = {
    SOCK_DIAG.TCPDIAG_GETSOCK: "TCPDIAG_GETSOCK", SOCK_DIAG.DCCPDIAG_GETSOCK: "DCCPDIAG_GETSOCK",
    SOCK_DIAG.BY_FAMILY: "SOCK_DIAG_BY_FAMILY", SOCK_DIAG.DESTROY: "SOCK_DESTROY",
}


def _sock_diag() -> dict[int, MessageSchema]:
    """NETLINK_SOCK_DIAG: the body depends on the first body byte (``sdiag_family``) and the
    direction: each type's schema carries the choices (:data:`nlwire.wire.sock_diag.BODIES`)."""
    table = {}
    for t, name in _SOCK_DIAG_NAMES.items():
        op = "del" if t == SOCK_DIAG.DESTROY else "get"
        bodies = {
            key: MessageSchema(name, header, attrs, op) for key, (header, attrs) in SOCK_DIAG_BODIES[int(t)].items()
        }
        table[int(t)] = MessageSchema(name, None, None, op, bodies=bodies)
    return table


class _Later(Mapping[int, MessageSchema]):
    """A protocol's table of :data:`PROTOCOL_TYPES`, built by ``build`` on first use (then
    put in its place there): nftables' schemas and the constants they name are loaded only
    by a program that meets a netfilter message."""

    def __init__(self, protocol: int, build: Callable[[], dict[int, MessageSchema]]) -> None:
        self._protocol = protocol
        self._build = build
        self._table: dict[int, MessageSchema] | None = None

    def _built(self) -> dict[int, MessageSchema]:
        if self._table is None:
            self._table = self._build()
            PROTOCOL_TYPES[self._protocol] = (PROTOCOL_TYPES[self._protocol][0], self._table)
        return self._table

    def __getitem__(self, mtype: int) -> MessageSchema:
        return self._built()[mtype]

    def get(self, mtype: int, default: MessageSchema | None = None) -> MessageSchema | None:  # type: ignore[override]
        return self._built().get(mtype, default)

    def __iter__(self) -> Iterator[int]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


PROTOCOL_TYPES: dict[int, tuple[type[enum.IntEnum] | None, Mapping[int, MessageSchema]]] = {
    NETLINK.ROUTE: (RTM, _rtnl()),
    NETLINK.GENERIC: (None, {}),
    NETLINK.NETFILTER: (None, _Later(NETLINK.NETFILTER, _nfnetlink)),
    NETLINK.SOCK_DIAG: (None, _sock_diag()),
}
"""Per protocol: the enum of its message types (None: the schemas name them) and the
schema of each."""


class GenlIds:
    """The run-time map from generic netlink family id to family spec.

    nlctrl is always id 16; other ids are learned from CTRL_CMD_NEWFAMILY
    messages (``learn``) or from the kernel.
    """

    def __init__(self, resolve: Callable[[str], GenlFamilySpec | None] | None = None) -> None:
        self.by_id: dict[int, GenlFamilySpec] = {int(GENL_ID.CTRL): GENL_FAMILIES["nlctrl"]}
        self.names: dict[int, str] = {int(GENL_ID.CTRL): "nlctrl"}
        self.resolve = resolve
        """Declares a family nothing registered, by name, when one is learned
        (:func:`nlwire.wire.specs.installed_family`: from its installed YAML spec)."""
        self.generation = 0
        """Counts the changes :meth:`learn` made: what was named under an older generation
        may be named otherwise now (a memo of names keys on it)."""
        self.schemas: dict[tuple[int, int | None, bool], MessageSchema | None] = {}
        """:func:`lookup`'s answers for the known families by (family id, command, request),
        made once each (so a dump's messages share one schema, and with it its compiled
        message walks; at most 514 a family); emptied by a :meth:`learn` that changes a family."""

    def learn(self, family_id: int, name: str, spec: GenlFamilySpec | None = None) -> None:
        """``family_id`` is the family ``name``: declared by ``spec``, else by the
        registered declaration of that name, else by :attr:`resolve` (none: messages
        named, bodies bytes)."""
        spec = spec or GENL_FAMILIES.get(name) or (self.resolve(name) if self.resolve is not None else None)
        spec = spec or GenlFamilySpec(name, None)
        if self.names.get(family_id) != name or self.by_id.get(family_id) != spec:
            self.generation += 1
            self.schemas.clear()
        self.names[family_id] = name
        self.by_id[family_id] = spec

    def name(self, family_id: int) -> str | None:
        return self.names.get(family_id)

    def id_of(self, name: str) -> int | None:
        for fid, n in self.names.items():
            if n == name:
                return fid
        return None


_CONTROL = {int(m): f"NLMSG_{m.name}" for m in NLMSG if int(m) < 16}


def plain_types(protocol: int) -> Mapping[int, MessageSchema] | None:
    """The schemas of ``protocol`` by message type (None for generic netlink, whose family
    ids are learned, and unknown protocols). A schema with :attr:`MessageSchema.bodies`
    still chooses its body by the first body byte and NLM_F_REQUEST (:func:`lookup`)."""
    if protocol == NETLINK.GENERIC:
        return None
    entry = PROTOCOL_TYPES.get(protocol)
    return None if entry is None else entry[1]


def lookup(
    protocol: int,
    mtype: int,
    genl: GenlIds | None = None,
    first: int | None = None,
    request: bool = False,
) -> MessageSchema | None:
    """The schema for a message type, or None when nlwire does not know it.

    ``first``: the message's first body byte (None: it has none, or the caller does not
    know it), with ``request`` (NLM_F_REQUEST set): what chooses the body where the type
    alone does not: generic netlink's command (a family may number the messages from the
    kernel apart from its requests), NETLINK_SOCK_DIAG's socket family."""
    if protocol == NETLINK.GENERIC:
        if genl is None:
            return _genl_schema(GENL_FAMILIES["nlctrl"] if mtype == GENL_ID.CTRL else None, first, request)
        key = (mtype, first, request)
        try:
            return genl.schemas[key]
        except KeyError:
            spec = genl.by_id.get(mtype)
            if spec is None and mtype == GENL_ID.CTRL:
                spec = GENL_FAMILIES["nlctrl"]
            if spec is None:
                return None  # (not kept: a capture's stray types would grow the memo without bound)
            found = genl.schemas[key] = _genl_schema(spec, first, request)
            return found
    entry = PROTOCOL_TYPES.get(protocol)
    if entry is None:
        return None
    schema = entry[1].get(mtype)
    if schema is None or schema.bodies is None or first is None:
        return schema
    return schema.bodies.get((first, request), schema)


def _genl_schema(spec: GenlFamilySpec | None, first: int | None, request: bool) -> MessageSchema | None:
    """:func:`lookup` of a generic family's message (``first``: its command)."""
    if spec is None:
        return None
    name = spec.name
    op = spec.op(first, not request) if spec.ops and first is not None else None
    if op is not None:
        const = op.reply_const if not request and op.reply_const and op.reply_cmd == first else op.const
        return MessageSchema(const or op.name, op.header or spec.header, op.attrs, "", spec)
    if spec.commands is not None and first is not None:
        try:
            name = f"{spec.commands.__name__}_{spec.commands(first).name}"
        except ValueError:
            name = f"{spec.name} cmd {first}"
    return MessageSchema(name, spec.header, spec.attrs, "", spec)


def first_byte(header: object) -> int | None:
    """The first body byte a fixed-header record was made from (its first field: genl's
    ``cmd``, sock_diag's ``family``), for :func:`lookup` when a message is built rather than
    read; None without a header."""
    if isinstance(header, tuple) and header and isinstance(header[0], int):
        return header[0]
    return None


def type_name(protocol: int, mtype: int, genl: GenlIds | None = None) -> str:
    """``NLMSG_ERROR``, ``RTM_NEWLINK``, ``nlctrl`` (genl: the family), else the number."""
    if mtype in _CONTROL:
        return _CONTROL[mtype]
    if protocol == NETLINK.GENERIC:
        name = genl.name(mtype) if genl is not None else ("nlctrl" if mtype == GENL_ID.CTRL else None)
        return name or str(mtype)
    entry = PROTOCOL_TYPES.get(protocol)
    if entry is not None:
        if entry[0] is None:
            schema = entry[1].get(mtype)
            return schema.name if schema is not None else str(mtype)
        try:
            return f"RTM_{entry[0](mtype).name}" if entry[0] is RTM else entry[0](mtype).name
        except ValueError:
            pass
    return str(mtype)


def message_class(protocol: int, mtype: int, flags: int) -> str:
    """Which NLM_F_* high-bit meanings apply: ``get``, ``new``, ``del``, ``ack`` or ``""``.

    ``ack``: NLMSG_ERROR and NLMSG_DONE, whose 0x100 and 0x200 are NLM_F_CAPPED and
    NLM_F_ACK_TLVS (include/uapi/linux/netlink.h; the kernel sets ACK_TLVS on a DONE
    that carries an ext-ack message)."""
    if mtype in (NLMSG.ERROR, NLMSG.DONE):
        return "ack"
    if mtype < 16:
        return ""
    schema: Mapping[int, MessageSchema] = PROTOCOL_TYPES.get(protocol, (None, {}))[1]
    s = schema.get(mtype)
    if s is not None and s.op:
        return "get" if s.op == "get" else ("del" if s.op == "del" else "new")
    return ""
