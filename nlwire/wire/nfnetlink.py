"""netfilter netlink schemas (include/uapi/linux/netfilter/nfnetlink.h, nf_tables.h):
``nfgenmsg``, batch bounds and the nftables messages with their attribute sets.

Multi-byte nftables integer attributes are big-endian (``be16``, ``be32``, ``be64``; a
hook priority and a verdict code are signed: ``sbe32``), all but one: a ct expectation's
timeout is in host order (``nft_ct.c``). A rule's expressions are a list of
``NFTA_LIST_ELEM`` nests, each naming its expression (``NFTA_EXPR_NAME``) and carrying that
expression's attributes (``NFTA_EXPR_DATA``, chosen by the name); a stateful object's data
is chosen by its type the same way. Expressions and object types not declared here stay
raw bytes.
"""

from __future__ import annotations

import construct as cs

from nlwire.consts.nf_tables import (
    NFT_BITWISE,
    NFT_BYTEORDER,
    NFT_CHAIN_F,
    NFT_CMP,
    NFT_CONNLIMIT_F,
    NFT_CT,
    NFT_DYNSET_F,
    NFT_DYNSET_OP,
    NFT_EXTHDR_OP,
    NFT_HASH,
    NFT_LIMIT,
    NFT_LIMIT_F,
    NFT_LOOKUP_F,
    NFT_META,
    NFT_NAT,
    NFT_NG,
    NFT_OBJECT,
    NFT_PAYLOAD,
    NFT_QUOTA_F,
    NFT_RANGE,
    NFT_REGISTERS,
    NFT_REJECT,
    NFT_RT,
    NFT_SET_ELEM_F,
    NFT_SET_F,
    NFT_SET_POL,
    NFT_SOCKET,
    NFT_TABLE_F,
    NFT_TRACETYPE,
    NFT_VERDICT,
    NFT_XFRM_KEY,
    NFTA_BITWISE,
    NFTA_BYTEORDER,
    NFTA_CHAIN,
    NFTA_CMP,
    NFTA_CONNLIMIT,
    NFTA_COUNTER,
    NFTA_CT,
    NFTA_CT_EXPECT,
    NFTA_CT_HELPER,
    NFTA_DATA,
    NFTA_DEVICE,
    NFTA_DUP,
    NFTA_DYNSET,
    NFTA_EXPR,
    NFTA_EXTHDR,
    NFTA_FIB,
    NFTA_FLOW,
    NFTA_FLOWTABLE,
    NFTA_FLOWTABLE_HOOK,
    NFTA_FWD,
    NFTA_GEN,
    NFTA_HASH,
    NFTA_HOOK,
    NFTA_IMMEDIATE,
    NFTA_LAST,
    NFTA_LIMIT,
    NFTA_LIST,
    NFTA_LOG,
    NFTA_LOOKUP,
    NFTA_MASQ,
    NFTA_META,
    NFTA_NAT,
    NFTA_NG,
    NFTA_OBJ,
    NFTA_OBJREF,
    NFTA_OSF,
    NFTA_PAYLOAD,
    NFTA_QUEUE,
    NFTA_QUOTA,
    NFTA_RANGE,
    NFTA_REDIR,
    NFTA_REJECT,
    NFTA_RT,
    NFTA_RULE,
    NFTA_RULE_COMPAT,
    NFTA_SECMARK,
    NFTA_SET,
    NFTA_SET_DESC,
    NFTA_SET_ELEM,
    NFTA_SET_ELEM_LIST,
    NFTA_SET_FIELD,
    NFTA_SOCKET,
    NFTA_SYNPROXY,
    NFTA_TABLE,
    NFTA_TPROXY,
    NFTA_TRACE,
    NFTA_VERDICT,
    NFTA_XFRM,
)
from nlwire.consts.nfnetlink import NF_INET_HOOKS, NFNL_BATCH, NFNL_SUBSYS, NFPROTO
from nlwire.wire.attrs import AttrSet, Kind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.kinds import (
    be16,
    be32,
    be64,
    binary,
    by_header,
    by_sibling,
    nested,
    nested_array,
    sbe32,
    string,
    u8,
    u32,
)

__all__ = [
    "BATCH_ATTRS",
    "CHAIN_ATTRS",
    "DATA_ATTRS",
    "EXPRESSIONS",
    "EXPR_ATTRS",
    "FLOWTABLE_ATTRS",
    "GEN_ATTRS",
    "NFGENMSG",
    "NFGENMSG_BATCH",
    "OBJECTS",
    "OBJ_ATTRS",
    "RULE_ATTRS",
    "SET_ATTRS",
    "SET_ELEM_LIST_ATTRS",
    "TABLE_ATTRS",
    "TRACE_ATTRS",
    "nfgenmsg",
]

nfgenmsg = cs.Struct("family" / cs.Int8un, "version" / cs.Int8un, "res_id" / cs.Int16ub)
"""struct nfgenmsg { __u8 nfgen_family; __u8 version; __be16 res_id; };"""

NFGENMSG = FixedStruct("nfgenmsg", nfgenmsg, "NfGenMsg", {"family": NFPROTO})
"""``res_id``: 0 or a resource id (an nfqueue's queue number, for one)."""

NFGENMSG_BATCH = FixedStruct("nfgenmsg", nfgenmsg, "NfGenMsg", {"family": NFPROTO, "res_id": NFNL_SUBSYS})
"""The same struct on a batch's bounds, whose ``res_id`` is the subsystem the batch is for."""

# ------------------------------------------------------------------------------ shared pieces

VERDICT_ATTRS = AttrSet(
    NFTA_VERDICT, {NFTA_VERDICT.CODE: sbe32(NFT_VERDICT), NFTA_VERDICT.CHAIN: string, NFTA_VERDICT.CHAIN_ID: be32}
)
"""A verdict (NFTA_DATA_VERDICT): accept, drop, jump to a chain..."""

DATA_ATTRS = AttrSet(NFTA_DATA, {NFTA_DATA.VALUE: binary, NFTA_DATA.VERDICT: nested(VERDICT_ATTRS)})
"""A register value (enum nft_data_attributes): bytes as the expression reads them, or a verdict."""

_REG = be32(NFT_REGISTERS)

DEVICE_ATTRS = AttrSet(NFTA_DEVICE, {NFTA_DEVICE.NAME: string})
"""NFTA_HOOK_DEVS / NFTA_FLOWTABLE_HOOK_DEVS: one NFTA_DEVICE_NAME per device."""

COUNTER_ATTRS = AttrSet(
    NFTA_COUNTER, {NFTA_COUNTER.BYTES: be64, NFTA_COUNTER.PACKETS: be64, NFTA_COUNTER.PAD: binary}
)

# ------------------------------------------------------------------------------ expressions

PAYLOAD_ATTRS = AttrSet(NFTA_PAYLOAD, {
    NFTA_PAYLOAD.DREG: _REG, NFTA_PAYLOAD.BASE: be32(NFT_PAYLOAD), NFTA_PAYLOAD.OFFSET: be32,
    NFTA_PAYLOAD.LEN: be32, NFTA_PAYLOAD.SREG: _REG, NFTA_PAYLOAD.CSUM_TYPE: be32,
    NFTA_PAYLOAD.CSUM_OFFSET: be32, NFTA_PAYLOAD.CSUM_FLAGS: be32,
})
CMP_ATTRS = AttrSet(NFTA_CMP, {
    NFTA_CMP.SREG: _REG, NFTA_CMP.OP: be32(NFT_CMP), NFTA_CMP.DATA: nested(DATA_ATTRS),
})
IMMEDIATE_ATTRS = AttrSet(NFTA_IMMEDIATE, {NFTA_IMMEDIATE.DREG: _REG, NFTA_IMMEDIATE.DATA: nested(DATA_ATTRS)})
BITWISE_ATTRS = AttrSet(NFTA_BITWISE, {
    NFTA_BITWISE.SREG: _REG, NFTA_BITWISE.DREG: _REG, NFTA_BITWISE.LEN: be32,
    NFTA_BITWISE.MASK: nested(DATA_ATTRS), NFTA_BITWISE.XOR: nested(DATA_ATTRS), NFTA_BITWISE.OP: be32(NFT_BITWISE),
    NFTA_BITWISE.DATA: nested(DATA_ATTRS),
})
BYTEORDER_ATTRS = AttrSet(NFTA_BYTEORDER, {
    NFTA_BYTEORDER.SREG: _REG, NFTA_BYTEORDER.DREG: _REG, NFTA_BYTEORDER.OP: be32(NFT_BYTEORDER),
    NFTA_BYTEORDER.LEN: be32, NFTA_BYTEORDER.SIZE: be32,
})
RANGE_ATTRS = AttrSet(NFTA_RANGE, {
    NFTA_RANGE.SREG: _REG, NFTA_RANGE.OP: be32(NFT_RANGE), NFTA_RANGE.FROM_DATA: nested(DATA_ATTRS),
    NFTA_RANGE.TO_DATA: nested(DATA_ATTRS),
})
LOOKUP_ATTRS = AttrSet(NFTA_LOOKUP, {
    NFTA_LOOKUP.SET: string, NFTA_LOOKUP.SREG: _REG, NFTA_LOOKUP.DREG: _REG, NFTA_LOOKUP.SET_ID: be32,
    NFTA_LOOKUP.FLAGS: be32(NFT_LOOKUP_F),
})
META_ATTRS = AttrSet(NFTA_META, {NFTA_META.DREG: _REG, NFTA_META.KEY: be32(NFT_META), NFTA_META.SREG: _REG})
RT_ATTRS = AttrSet(NFTA_RT, {NFTA_RT.DREG: _REG, NFTA_RT.KEY: be32(NFT_RT)})
CT_ATTRS = AttrSet(NFTA_CT, {
    NFTA_CT.DREG: _REG, NFTA_CT.KEY: be32(NFT_CT), NFTA_CT.DIRECTION: u8, NFTA_CT.SREG: _REG,
})
LIMIT_ATTRS = AttrSet(NFTA_LIMIT, {
    NFTA_LIMIT.RATE: be64, NFTA_LIMIT.UNIT: be64, NFTA_LIMIT.BURST: be32, NFTA_LIMIT.TYPE: be32(NFT_LIMIT),
    NFTA_LIMIT.FLAGS: be32(NFT_LIMIT_F), NFTA_LIMIT.PAD: binary,
})
LOG_ATTRS = AttrSet(NFTA_LOG, {
    NFTA_LOG.GROUP: be16, NFTA_LOG.PREFIX: string, NFTA_LOG.SNAPLEN: be32, NFTA_LOG.QTHRESHOLD: be16,
    NFTA_LOG.LEVEL: be32, NFTA_LOG.FLAGS: be32,
})
REJECT_ATTRS = AttrSet(NFTA_REJECT, {NFTA_REJECT.TYPE: be32(NFT_REJECT), NFTA_REJECT.ICMP_CODE: u8})
NAT_ATTRS = AttrSet(NFTA_NAT, {
    NFTA_NAT.TYPE: be32(NFT_NAT), NFTA_NAT.FAMILY: be32(NFPROTO), NFTA_NAT.REG_ADDR_MIN: _REG,
    NFTA_NAT.REG_ADDR_MAX: _REG, NFTA_NAT.REG_PROTO_MIN: _REG, NFTA_NAT.REG_PROTO_MAX: _REG, NFTA_NAT.FLAGS: be32,
})
MASQ_ATTRS = AttrSet(NFTA_MASQ, {
    NFTA_MASQ.FLAGS: be32, NFTA_MASQ.REG_PROTO_MIN: _REG, NFTA_MASQ.REG_PROTO_MAX: _REG,
})
REDIR_ATTRS = AttrSet(NFTA_REDIR, {
    NFTA_REDIR.REG_PROTO_MIN: _REG, NFTA_REDIR.REG_PROTO_MAX: _REG, NFTA_REDIR.FLAGS: be32,
})
QUEUE_ATTRS = AttrSet(NFTA_QUEUE, {
    NFTA_QUEUE.NUM: be16, NFTA_QUEUE.TOTAL: be16, NFTA_QUEUE.FLAGS: be16, NFTA_QUEUE.SREG_QNUM: _REG,
})
QUOTA_ATTRS = AttrSet(NFTA_QUOTA, {
    NFTA_QUOTA.BYTES: be64, NFTA_QUOTA.FLAGS: be32(NFT_QUOTA_F), NFTA_QUOTA.PAD: binary, NFTA_QUOTA.CONSUMED: be64,
})
FIB_ATTRS = AttrSet(NFTA_FIB, {NFTA_FIB.DREG: _REG, NFTA_FIB.RESULT: be32, NFTA_FIB.FLAGS: be32})
OBJREF_ATTRS = AttrSet(NFTA_OBJREF, {
    NFTA_OBJREF.IMM_TYPE: be32(NFT_OBJECT), NFTA_OBJREF.IMM_NAME: string, NFTA_OBJREF.SET_SREG: _REG,
    NFTA_OBJREF.SET_NAME: string, NFTA_OBJREF.SET_ID: be32,
})
HASH_ATTRS = AttrSet(NFTA_HASH, {
    NFTA_HASH.SREG: _REG, NFTA_HASH.DREG: _REG, NFTA_HASH.LEN: be32, NFTA_HASH.MODULUS: be32, NFTA_HASH.SEED: be32,
    NFTA_HASH.OFFSET: be32, NFTA_HASH.TYPE: be32(NFT_HASH), NFTA_HASH.SET_NAME: string, NFTA_HASH.SET_ID: be32,
})
NUMGEN_ATTRS = AttrSet(NFTA_NG, {
    NFTA_NG.DREG: _REG, NFTA_NG.MODULUS: be32, NFTA_NG.TYPE: be32(NFT_NG), NFTA_NG.OFFSET: be32,
    NFTA_NG.SET_NAME: string, NFTA_NG.SET_ID: be32,
})
SOCKET_ATTRS = AttrSet(NFTA_SOCKET, {
    NFTA_SOCKET.KEY: be32(NFT_SOCKET), NFTA_SOCKET.DREG: _REG, NFTA_SOCKET.LEVEL: be32,
})
TPROXY_ATTRS = AttrSet(NFTA_TPROXY, {
    NFTA_TPROXY.FAMILY: be32(NFPROTO), NFTA_TPROXY.REG_ADDR: _REG, NFTA_TPROXY.REG_PORT: _REG,
})
SYNPROXY_ATTRS = AttrSet(NFTA_SYNPROXY, {
    NFTA_SYNPROXY.MSS: be16, NFTA_SYNPROXY.WSCALE: u8, NFTA_SYNPROXY.FLAGS: be32,
})
OSF_ATTRS = AttrSet(NFTA_OSF, {NFTA_OSF.DREG: _REG, NFTA_OSF.TTL: u8, NFTA_OSF.FLAGS: be32})
XFRM_ATTRS = AttrSet(NFTA_XFRM, {
    NFTA_XFRM.DREG: _REG, NFTA_XFRM.KEY: be32(NFT_XFRM_KEY), NFTA_XFRM.DIR: u8, NFTA_XFRM.SPNUM: be32,
})
CONNLIMIT_ATTRS = AttrSet(NFTA_CONNLIMIT, {
    NFTA_CONNLIMIT.COUNT: be32, NFTA_CONNLIMIT.FLAGS: be32(NFT_CONNLIMIT_F),
})
LAST_ATTRS = AttrSet(NFTA_LAST, {NFTA_LAST.SET: be32, NFTA_LAST.MSECS: be64, NFTA_LAST.PAD: binary})
DUP_ATTRS = AttrSet(NFTA_DUP, {NFTA_DUP.SREG_ADDR: _REG, NFTA_DUP.SREG_DEV: _REG})
FWD_ATTRS = AttrSet(NFTA_FWD, {NFTA_FWD.SREG_DEV: _REG, NFTA_FWD.SREG_ADDR: _REG, NFTA_FWD.NFPROTO: be32(NFPROTO)})
FLOW_OFFLOAD_ATTRS = AttrSet(NFTA_FLOW, {NFTA_FLOW.TABLE_NAME: string})
SECMARK_ATTRS = AttrSet(NFTA_SECMARK, {NFTA_SECMARK.CTX: string})
CT_HELPER_ATTRS = AttrSet(NFTA_CT_HELPER, {
    NFTA_CT_HELPER.NAME: string, NFTA_CT_HELPER.L3PROTO: be16, NFTA_CT_HELPER.L4PROTO: u8,
})
CT_EXPECT_ATTRS = AttrSet(NFTA_CT_EXPECT, {
    # the timeout is the one host-order integer here (nft_ct.c: nla_get_u32 / nla_put_u32)
    NFTA_CT_EXPECT.L3PROTO: be16, NFTA_CT_EXPECT.L4PROTO: u8, NFTA_CT_EXPECT.DPORT: be16,
    NFTA_CT_EXPECT.TIMEOUT: u32, NFTA_CT_EXPECT.SIZE: u8,
})
EXTHDR_ATTRS = AttrSet(NFTA_EXTHDR, {
    NFTA_EXTHDR.DREG: _REG, NFTA_EXTHDR.TYPE: u8, NFTA_EXTHDR.OFFSET: be32, NFTA_EXTHDR.LEN: be32,
    NFTA_EXTHDR.FLAGS: be32, NFTA_EXTHDR.OP: be32(NFT_EXTHDR_OP), NFTA_EXTHDR.SREG: _REG,
})


def _expr_attrs() -> AttrSet:
    return EXPR_ATTRS


def _expr_list() -> AttrSet:
    return EXPR_LIST_ATTRS


DYNSET_ATTRS = AttrSet(NFTA_DYNSET, {
    NFTA_DYNSET.SET_NAME: string, NFTA_DYNSET.SET_ID: be32, NFTA_DYNSET.OP: be32(NFT_DYNSET_OP),
    NFTA_DYNSET.SREG_KEY: _REG, NFTA_DYNSET.SREG_DATA: _REG, NFTA_DYNSET.TIMEOUT: be64,
    NFTA_DYNSET.EXPR: nested(_expr_attrs), NFTA_DYNSET.PAD: binary, NFTA_DYNSET.FLAGS: be32(NFT_DYNSET_F),
    NFTA_DYNSET.EXPRESSIONS: nested(_expr_list),
})

EXPRESSIONS: dict[str, Kind] = {
    "bitwise": nested(BITWISE_ATTRS),
    "byteorder": nested(BYTEORDER_ATTRS),
    "cmp": nested(CMP_ATTRS),
    "connlimit": nested(CONNLIMIT_ATTRS),
    "counter": nested(COUNTER_ATTRS),
    "ct": nested(CT_ATTRS),
    "dup": nested(DUP_ATTRS),
    "dynset": nested(DYNSET_ATTRS),
    "exthdr": nested(EXTHDR_ATTRS),
    "fib": nested(FIB_ATTRS),
    "flow_offload": nested(FLOW_OFFLOAD_ATTRS),
    "fwd": nested(FWD_ATTRS),
    "hash": nested(HASH_ATTRS),
    "immediate": nested(IMMEDIATE_ATTRS),
    "last": nested(LAST_ATTRS),
    "limit": nested(LIMIT_ATTRS),
    "log": nested(LOG_ATTRS),
    "lookup": nested(LOOKUP_ATTRS),
    "masq": nested(MASQ_ATTRS),
    "meta": nested(META_ATTRS),
    "nat": nested(NAT_ATTRS),
    "numgen": nested(NUMGEN_ATTRS),
    "objref": nested(OBJREF_ATTRS),
    "osf": nested(OSF_ATTRS),
    "payload": nested(PAYLOAD_ATTRS),
    "queue": nested(QUEUE_ATTRS),
    "quota": nested(QUOTA_ATTRS),
    "range": nested(RANGE_ATTRS),
    "redir": nested(REDIR_ATTRS),
    "reject": nested(REJECT_ATTRS),
    "rt": nested(RT_ATTRS),
    "socket": nested(SOCKET_ATTRS),
    "synproxy": nested(SYNPROXY_ATTRS),
    "tproxy": nested(TPROXY_ATTRS),
    "xfrm": nested(XFRM_ATTRS),
}
"""NFTA_EXPR_DATA by NFTA_EXPR_NAME: the expression types (the kernel's ``nft_expr_type``
names) whose attributes are declared; any other name's data stays bytes."""

EXPR_ATTRS = AttrSet(NFTA_EXPR, {NFTA_EXPR.NAME: string, NFTA_EXPR.DATA: by_sibling(NFTA_EXPR.NAME, EXPRESSIONS)})
"""One expression: its name and its own attributes."""

EXPR_LIST_ATTRS = AttrSet(NFTA_LIST, {NFTA_LIST.ELEM: nested(EXPR_ATTRS)}, name="NFTA_LIST(expressions)")
"""A rule's (or set's) expressions: one NFTA_LIST_ELEM per expression, in order."""

# ------------------------------------------------------------------------------ objects

HOOK_ATTRS = AttrSet(NFTA_HOOK, {
    # a netdev chain's hook number counts enum nf_dev_hooks (INGRESS = 0), not nf_inet_hooks
    NFTA_HOOK.HOOKNUM: by_header("family", {NFPROTO.NETDEV: be32}, be32(NF_INET_HOOKS)),
    NFTA_HOOK.PRIORITY: sbe32, NFTA_HOOK.DEV: string, NFTA_HOOK.DEVS: nested(DEVICE_ATTRS),
})

TABLE_ATTRS = AttrSet(NFTA_TABLE, {
    NFTA_TABLE.NAME: string, NFTA_TABLE.FLAGS: be32(NFT_TABLE_F), NFTA_TABLE.USE: be32, NFTA_TABLE.HANDLE: be64,
    NFTA_TABLE.PAD: binary, NFTA_TABLE.USERDATA: binary, NFTA_TABLE.OWNER: be32,
})

CHAIN_ATTRS = AttrSet(NFTA_CHAIN, {
    NFTA_CHAIN.TABLE: string, NFTA_CHAIN.HANDLE: be64, NFTA_CHAIN.NAME: string, NFTA_CHAIN.HOOK: nested(HOOK_ATTRS),
    NFTA_CHAIN.POLICY: be32(NFT_VERDICT), NFTA_CHAIN.USE: be32, NFTA_CHAIN.TYPE: string,
    NFTA_CHAIN.COUNTERS: nested(COUNTER_ATTRS), NFTA_CHAIN.PAD: binary, NFTA_CHAIN.FLAGS: be32(NFT_CHAIN_F),
    NFTA_CHAIN.ID: be32, NFTA_CHAIN.USERDATA: binary,
})

RULE_COMPAT_ATTRS = AttrSet(NFTA_RULE_COMPAT, {NFTA_RULE_COMPAT.PROTO: be32, NFTA_RULE_COMPAT.FLAGS: be32})

RULE_ATTRS = AttrSet(NFTA_RULE, {
    NFTA_RULE.TABLE: string, NFTA_RULE.CHAIN: string, NFTA_RULE.HANDLE: be64,
    NFTA_RULE.EXPRESSIONS: nested(EXPR_LIST_ATTRS), NFTA_RULE.COMPAT: nested(RULE_COMPAT_ATTRS),
    NFTA_RULE.POSITION: be64, NFTA_RULE.USERDATA: binary, NFTA_RULE.PAD: binary, NFTA_RULE.ID: be32,
    NFTA_RULE.POSITION_ID: be32, NFTA_RULE.CHAIN_ID: be32,
})

SET_FIELD_ATTRS = AttrSet(NFTA_SET_FIELD, {NFTA_SET_FIELD.LEN: be32})
SET_FIELD_LIST_ATTRS = AttrSet(NFTA_LIST, {NFTA_LIST.ELEM: nested(SET_FIELD_ATTRS)}, name="NFTA_LIST(fields)")
SET_DESC_ATTRS = AttrSet(NFTA_SET_DESC, {
    NFTA_SET_DESC.SIZE: be32, NFTA_SET_DESC.CONCAT: nested(SET_FIELD_LIST_ATTRS),
})

SET_ATTRS = AttrSet(NFTA_SET, {
    NFTA_SET.TABLE: string, NFTA_SET.NAME: string, NFTA_SET.FLAGS: be32(NFT_SET_F), NFTA_SET.KEY_TYPE: be32,
    NFTA_SET.KEY_LEN: be32, NFTA_SET.DATA_TYPE: be32, NFTA_SET.DATA_LEN: be32, NFTA_SET.POLICY: be32(NFT_SET_POL),
    NFTA_SET.DESC: nested(SET_DESC_ATTRS), NFTA_SET.ID: be32, NFTA_SET.TIMEOUT: be64, NFTA_SET.GC_INTERVAL: be32,
    NFTA_SET.USERDATA: binary, NFTA_SET.PAD: binary, NFTA_SET.OBJ_TYPE: be32(NFT_OBJECT), NFTA_SET.HANDLE: be64,
    NFTA_SET.EXPR: nested(EXPR_ATTRS), NFTA_SET.EXPRESSIONS: nested(EXPR_LIST_ATTRS),
})

SET_ELEM_ATTRS = AttrSet(NFTA_SET_ELEM, {
    NFTA_SET_ELEM.KEY: nested(DATA_ATTRS), NFTA_SET_ELEM.DATA: nested(DATA_ATTRS),
    NFTA_SET_ELEM.FLAGS: be32(NFT_SET_ELEM_F), NFTA_SET_ELEM.TIMEOUT: be64, NFTA_SET_ELEM.EXPIRATION: be64,
    NFTA_SET_ELEM.USERDATA: binary, NFTA_SET_ELEM.EXPR: nested(EXPR_ATTRS), NFTA_SET_ELEM.PAD: binary,
    NFTA_SET_ELEM.OBJREF: string, NFTA_SET_ELEM.KEY_END: nested(DATA_ATTRS),
    NFTA_SET_ELEM.EXPRESSIONS: nested(EXPR_LIST_ATTRS),
})
SET_ELEM_LIST_ATTRS = AttrSet(NFTA_SET_ELEM_LIST, {
    NFTA_SET_ELEM_LIST.TABLE: string, NFTA_SET_ELEM_LIST.SET: string,
    # the kernel reads every nest in ELEMENTS whatever its type (nla_for_each_nested in
    # nf_tables_newsetelem) and dumps each as NFTA_LIST_ELEM; libnftnl numbers them 1, 2, 3...
    NFTA_SET_ELEM_LIST.ELEMENTS: nested_array(nested(SET_ELEM_ATTRS)), NFTA_SET_ELEM_LIST.SET_ID: be32,
})
"""The body of NFT_MSG_{NEW,GET,DEL}SETELEM: the set and its elements (a list)."""

GEN_ATTRS = AttrSet(NFTA_GEN, {NFTA_GEN.ID: be32, NFTA_GEN.PROC_PID: be32, NFTA_GEN.PROC_NAME: string})
"""NFT_MSG_NEWGEN: the ruleset generation, and who changed it."""

OBJECTS: dict[NFT_OBJECT, Kind] = {
    NFT_OBJECT.COUNTER: nested(COUNTER_ATTRS),
    NFT_OBJECT.QUOTA: nested(QUOTA_ATTRS),
    NFT_OBJECT.CT_HELPER: nested(CT_HELPER_ATTRS),
    NFT_OBJECT.LIMIT: nested(LIMIT_ATTRS),
    NFT_OBJECT.CONNLIMIT: nested(CONNLIMIT_ATTRS),
    NFT_OBJECT.SECMARK: nested(SECMARK_ATTRS),
    NFT_OBJECT.CT_EXPECT: nested(CT_EXPECT_ATTRS),
    NFT_OBJECT.SYNPROXY: nested(SYNPROXY_ATTRS),
}
"""NFTA_OBJ_DATA by NFTA_OBJ_TYPE (tunnels and conntrack timeouts stay bytes)."""

OBJ_ATTRS = AttrSet(NFTA_OBJ, {
    NFTA_OBJ.TABLE: string, NFTA_OBJ.NAME: string, NFTA_OBJ.TYPE: be32(NFT_OBJECT),
    NFTA_OBJ.DATA: by_sibling(NFTA_OBJ.TYPE, OBJECTS), NFTA_OBJ.USE: be32, NFTA_OBJ.HANDLE: be64,
    NFTA_OBJ.PAD: binary, NFTA_OBJ.USERDATA: binary,
})
"""A stateful object (a named counter, quota, limit...), its data chosen by its type."""

FLOWTABLE_HOOK_ATTRS = AttrSet(NFTA_FLOWTABLE_HOOK, {
    NFTA_FLOWTABLE_HOOK.NUM: be32, NFTA_FLOWTABLE_HOOK.PRIORITY: sbe32,
    NFTA_FLOWTABLE_HOOK.DEVS: nested(DEVICE_ATTRS),
})
FLOWTABLE_ATTRS = AttrSet(NFTA_FLOWTABLE, {
    NFTA_FLOWTABLE.TABLE: string, NFTA_FLOWTABLE.NAME: string, NFTA_FLOWTABLE.HOOK: nested(FLOWTABLE_HOOK_ATTRS),
    NFTA_FLOWTABLE.USE: be32, NFTA_FLOWTABLE.HANDLE: be64, NFTA_FLOWTABLE.PAD: binary, NFTA_FLOWTABLE.FLAGS: be32,
})

TRACE_ATTRS = AttrSet(NFTA_TRACE, {
    NFTA_TRACE.TABLE: string, NFTA_TRACE.CHAIN: string, NFTA_TRACE.RULE_HANDLE: be64,
    NFTA_TRACE.TYPE: be32(NFT_TRACETYPE), NFTA_TRACE.VERDICT: nested(VERDICT_ATTRS), NFTA_TRACE.ID: be32,
    NFTA_TRACE.LL_HEADER: binary, NFTA_TRACE.NETWORK_HEADER: binary, NFTA_TRACE.TRANSPORT_HEADER: binary,
    NFTA_TRACE.IIF: be32, NFTA_TRACE.IIFTYPE: be16, NFTA_TRACE.OIF: be32, NFTA_TRACE.OIFTYPE: be16,
    NFTA_TRACE.MARK: be32, NFTA_TRACE.NFPROTO: be32(NFPROTO), NFTA_TRACE.POLICY: be32, NFTA_TRACE.PAD: binary,
})
"""NFT_MSG_TRACE: one packet's path through the ruleset (``nft monitor trace``)."""

BATCH_ATTRS = AttrSet(NFNL_BATCH, {NFNL_BATCH.GENID: be32})
"""NFNL_MSG_BATCH_BEGIN: the generation the batch expects (nfnetlink.c checks it)."""
