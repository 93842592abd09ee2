"""Annotated trees of netlink messages, built by walking nlwire's schemas.

Nothing here knows a netlink fact of its own: message types come from
:func:`nlwire.wire.registry.lookup`, fixed headers from their
:class:`~nlwire.wire.fixed.FixedStruct`, attributes from
:meth:`nlwire.wire.attrs.Attrs.entries`. Nor does it spell a node: every node of
a decoded value, a fixed struct, the nlmsghdr, an error code is the JSON
:mod:`dissect.netlink.nodes` writes (the fast output path writes the same), loaded.
The happy path decodes with :func:`nlwire.codec.decode_message`; when that raises,
the same schemas are walked tolerantly so the valid prefix still shows and the bad
bytes become a *problem* on the node that covers them (this module's own nodes:
``malformed``, ``payload``, ``padding`` and the like).

A node is a plain dict (it *is* the JSON form)::

    {"name", "value", "show", "offset", "length", "children", "problems"}

Offsets are absolute in the buffer handed in (the whole frame, link-layer
header included), so they count like tshark's ``pos``.
"""

from __future__ import annotations

import json
import struct
from json.encoder import encode_basestring as _jstr
from typing import Any

from dissect.netlink.nodes import ECHO_HOW, Nodes, error_json, error_text, hdr_json
from dissect.netlink.render import Node, Style
from nlwire.codec import decode_message
from nlwire.consts import CTRL_ATTR, CTRL_CMD, GENL_ID, NETLINK, NLM_F, NLMSG, NLMSGERR_ATTR
from nlwire.errors import DecodeError
from nlwire.wire.attrs import Attrs, AttrSet, Kind
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.genetlink import GENLMSGHDR
from nlwire.wire.netlink import NLMSG_HDRLEN, NLMSGERR_ATTRS, NLMSGERR_CODE, NLMSGHDR
from nlwire.wire.nla import NLA_F_NESTED, scan_attrs_tolerant
from nlwire.wire.registry import GenlIds, MessageSchema, lookup, message_class, type_name

__all__ = [
    "ErrorLayout",
    "Node",
    "build_message",
    "error_layout",
    "family_name",
    "find_deepest",
    "flags_show",
    "learn_family",
    "message_direction",
    "problem",
]

_HDR = NLMSGHDR.struct.unpack_from  # type: ignore[union-attr]
_TYPE_FLAGS = struct.Struct("=HH").unpack_from
_ERRNO = NLMSGERR_ATTRS  # the ext-ack TLVs' attribute set


def problem(severity: str, text: str) -> dict[str, str]:
    """A problem entry: ``severity`` is ``error``, ``warning`` or ``note``."""
    return {"severity": severity, "text": text}


def _node(name: str, value: Any, show: str, offset: int, length: int, children: list[Node] | None = None) -> Node:
    return {
        "name": name,
        "value": value,
        "show": show,
        "offset": offset,
        "length": length,
        "children": children if children is not None else [],
        "problems": [],
    }


def family_name(protocol: int) -> str:
    """``route``, ``generic``, ``netfilter``, ``sock_diag`` ... (the NETLINK_* name, lower case)."""
    try:
        return NETLINK(protocol).name.lower()
    except ValueError:
        return str(protocol)


# ------------------------------------------------------------------------------ nlmsghdr flags

# Which NLM_F_* members each message class (nlwire.wire.registry.message_class) gives the
# high byte. The values come from the NLM_F enum; only the grouping is stated here.
_CLASS_FLAGS: dict[str, tuple[str, ...]] = {
    "get": ("ROOT", "MATCH", "ATOMIC"),
    "new": ("REPLACE", "EXCL", "CREATE", "APPEND"),
    "del": ("NONREC", "BULK"),
    "ack": ("CAPPED", "ACK_TLVS"),
}
_BASE_FLAGS = ("REQUEST", "MULTI", "ACK", "ECHO", "DUMP_INTR", "DUMP_FILTERED")
_FLAG_CACHE: dict[tuple[str, int], str] = {}


def flags_show(flags: int, cls: str) -> str:
    """``REQUEST|ACK|DUMP (0x305)``: NLM_F_* names for the message class."""
    key = (cls, flags)
    cached = _FLAG_CACHE.get(key)
    if cached is not None:
        return cached
    names = []
    rest = flags
    for n in _BASE_FLAGS:
        v = int(NLM_F[n])
        if flags & v:
            names.append(n)
            rest &= ~v
    high = _CLASS_FLAGS.get(cls)
    if high is None and flags & NLM_F.REQUEST and flags & NLM_F.DUMP == NLM_F.DUMP:
        high = _CLASS_FLAGS["get"]  # genl and other families: the kernel reads DUMP everywhere
    if high is not None:
        if high[0] == "ROOT" and flags & NLM_F.DUMP == NLM_F.DUMP:
            names.append("DUMP")
            rest &= ~int(NLM_F.DUMP)
        for n in high:
            v = int(NLM_F[n])
            if rest & v:
                names.append(n)
                rest &= ~v
    if rest:
        names.append(hex(rest))
    text = f"{'|'.join(names) or '0'} ({flags:#x})"
    if len(_FLAG_CACHE) < 4096:
        _FLAG_CACHE[key] = text
    return text


def message_direction(mtype: int, flags: int) -> str:
    """``to-kernel`` for requests (NLM_F_REQUEST), else ``to-user``."""
    return "to-kernel" if flags & NLM_F.REQUEST and mtype not in (NLMSG.ERROR, NLMSG.DONE) else "to-user"


# ------------------------------------------------------------------------------ values


def _malformed_attr(
    name: str, kind: Kind, err: DecodeError, buf: bytes, off: int, length: int, owner: Attrs | None
) -> Node:
    """The node of an attribute (nlattr header at ``off``, nla_len ``length``) whose value
    did not decode: a nest or a struct + attributes shows what it can of its inside."""
    node = _node(name, None, "malformed", off, length)
    node["problems"].append(problem("error", f"{kind.name}: {err.reason}"))
    start = off + 4
    end = off + length
    k: Any = kind.resolve(owner)
    if k.render == "nest":
        node["children"] = _tolerant_attrs(k.attr_set, buf, start, end, owner.header if owner else None, node)
    elif k.render == "struct_attrs" and end - start >= k.fixed.size:
        node["children"] = [struct_node(k.fixed, k.fixed.unpack(buf, start), start)]
        node["children"] += _tolerant_attrs(k.attr_set, buf, start + ((k.fixed.size + 3) & ~3), end, None, node)
    return node


_NODES = Nodes(Style(False), on_error=_malformed_attr)
"""Writes the nodes of decoded values (the one description of them, shared with the
fast output path), attributes that did not decode included."""


def struct_node(fixed: FixedStruct, record: Any, offset: int) -> Node:
    """A node for a fixed struct with one child per named field."""
    node: Node = json.loads(_NODES.struct_node_json(fixed, record, offset))
    return node


def attrs_nodes(attrs: Attrs) -> list[Node]:
    """One node per attribute of ``attrs`` (offsets absolute in its buffer)."""
    if not len(attrs):
        return []
    nodes: list[Node] = json.loads(f"[{_NODES.attrs_json(attrs)}]")
    return nodes


def _tolerant_attrs(attr_set: AttrSet, buf: bytes, start: int, end: int, header: Any, holder: Node) -> list[Node]:
    """Attributes of ``buf[start:end]`` up to the first framing error; the error becomes a problem."""
    items, err = scan_attrs_tolerant(buf, start, end)
    good_end = start
    if items:
        last_end = items[-1][3]
        good_end = min((last_end + 3) & ~3, end)
    children: list[Node] = []
    if items:
        try:
            children = attrs_nodes(Attrs.from_bytes(attr_set, buf, start, good_end, header=header))
        except DecodeError:  # cannot happen for a prefix scan_attrs accepted, but never raise
            children = []
    if err is not None:
        bad = _node("malformed", buf[err.offset : end].hex(), f"{end - err.offset} bytes", err.offset, end - err.offset)
        bad["problems"].append(problem("error", err.reason))
        children.append(bad)
        holder["problems"].append(problem("error", f"malformed attribute at offset {err.offset}: {err.reason}"))
    return children


# ------------------------------------------------------------------------------ messages


def hdr_shows(protocol: int, mtype: int, flags: int, genl: GenlIds | None) -> tuple[str, str]:
    """The shows of an nlmsghdr's type (``RTM_NEWLINK (0x10)``) and flags."""
    tname = type_name(protocol, mtype, genl)
    tshow = f"{tname} ({mtype:#x})" if tname != str(mtype) else str(mtype)
    return tshow, flags_show(flags, message_class(protocol, mtype, flags))


def _hdr_node(data: bytes, off: int, protocol: int, genl: GenlIds | None) -> Node:
    ln, mtype, flags, seq, pid = _HDR(data, off)
    tshow, fshow = hdr_shows(protocol, mtype, flags, genl)
    node: Node = json.loads(hdr_json(off, ln, mtype, flags, seq, pid, _jstr(tshow), _jstr(fshow)))
    return node


_error_text = error_text  # (the fast paths import it from here)


def build_message(
    data: bytes,
    off: int,
    end: int,
    protocol: int,
    genl: GenlIds | None,
    *,
    echo: bool = False,
    header_only: bool = False,
) -> Node:
    """The node of the message whose nlmsghdr starts at ``off`` and which ends at ``end``
    (its nlmsg_len, clipped to the data). Never raises on bad bytes. ``header_only``:
    just the nlmsghdr (a capped echo)."""
    ln, mtype, flags, _seq, _pid = _HDR(data, off)
    hdr = _hdr_node(data, off, protocol, genl)
    node = _node("", mtype, "", off, end - off, [hdr])
    if header_only:
        node["name"] = node["show"] = type_name(protocol, mtype, genl)
        return node
    problems = node["problems"]
    if off + ln > end:
        hdr["children"][0]["problems"].append(
            problem("error", f"nlmsg_len {ln} runs {off + ln - end} bytes past the data (truncated)")
        )
        problems.append(problem("error", "truncated message"))
    if mtype == NLMSG.ERROR or mtype == NLMSG.DONE:
        _error_body(node, data, off, end, mtype, flags, protocol, genl)
        name = "NLMSG_ERROR" if mtype == NLMSG.ERROR else "NLMSG_DONE"
        node["name"] = name
        node["show"] = name
        return node
    if mtype < NLMSG.MIN_TYPE:
        name = type_name(protocol, mtype, genl)
        node["name"] = name
        node["show"] = name
        if end > off + 16:
            node["children"].append(
                _node("payload", data[off + 16 : end].hex(), f"{end - off - 16} bytes", off + 16, end - off - 16)
            )
        return node
    msg = None
    if off + ln <= end and ln >= 16:
        try:
            msg = decode_message(data, off, protocol, genl=genl)
        except DecodeError:
            msg = None
    schema = message_schema(data, off, end, protocol, genl)
    name = schema_name(schema, data, off, end) if schema is not None else type_name(protocol, mtype, genl)
    node["name"] = name
    node["show"] = name
    if msg is not None and schema is not None:
        if msg.header is not None and schema.header is not None:
            node["children"].append(struct_node(schema.header, msg.header, off + 16))
        if msg.attrs is not None:
            node["children"] += attrs_nodes(msg.attrs)
        elif msg.payload:
            body = off + 16 + (((schema.header.size + 3) & ~3) if schema.header else 0)
            if protocol == NETLINK.GENERIC:
                _raw_payload(node, data, body, end, protocol, genl_raw=True)
            else:
                node["children"].append(
                    _node(
                        "payload",
                        data[body:end].hex(),
                        f"{end - body} bytes (no {'attribute set' if schema.header else 'body'} declared for {name})",
                        body,
                        end - body,
                    )
                )
        if not echo and protocol == NETLINK.GENERIC and genl is not None and mtype == GENL_ID.CTRL:
            _learn(msg.header, msg.attrs, genl)
        return node
    _tolerant_body(node, data, off, end, protocol, schema)
    return node


def message_schema(data: bytes, off: int, end: int, protocol: int, genl: GenlIds | None) -> MessageSchema | None:
    """The schema the message at ``off`` (ending at ``end``) is read with: its type's (and for
    generic netlink, its command's; for sock_diag, its family's and direction's), as a request
    means it when NLM_F_REQUEST is set."""
    mtype, flags = _TYPE_FLAGS(data, off + 4)
    first = data[off + 16] if end > off + 16 else None
    schema = lookup(protocol, mtype, genl, first, bool(flags & NLM_F.REQUEST))
    if schema is not None and flags & NLM_F.REQUEST:
        schema = schema.in_request  # a request's header values are named as a request means them
    return schema


def schema_name(schema: MessageSchema, data: bytes, off: int, end: int) -> str:
    """The name of the message at ``off`` (ending at ``end``) read with ``schema``: the
    schema's, or for a generic family whose commands nlwire does not know, the family's and
    the command number (``ethtool cmd 5``)."""
    if schema.family is not None and schema.family.commands is None and end > off + 16:
        return f"{schema.name} cmd {data[off + 16]}"
    return schema.name


def learn_family(data: bytes, off: int, genl: GenlIds) -> None:
    """Learn a generic family's id and name from the nlctrl message at ``off`` when it is a
    CTRL_CMD_NEWFAMILY that decodes (the dissector's scan calls it for every nlctrl message,
    so a family is known whatever the filters print)."""
    try:
        msg = decode_message(data, off, NETLINK.GENERIC, genl=genl)
    except DecodeError:
        return
    _learn(msg.header, msg.attrs, genl)


def _learn(header: Any, attrs: Attrs | None, genl: GenlIds) -> None:
    """CTRL_CMD_NEWFAMILY carries a family's id and name: label later messages of it."""
    if header is None or attrs is None or getattr(header, "cmd", None) != CTRL_CMD.NEWFAMILY:
        return
    try:
        fid = attrs.get(CTRL_ATTR.FAMILY_ID)
        fname = attrs.get(CTRL_ATTR.FAMILY_NAME)
    except DecodeError:
        return
    if isinstance(fid, int) and isinstance(fname, str) and fid != GENL_ID.CTRL and genl.name(fid) != fname:
        genl.learn(fid, str(fname))


def _tolerant_body(node: Node, data: bytes, off: int, end: int, protocol: int, schema: MessageSchema | None) -> None:
    body = off + 16
    if schema is None:
        _raw_payload(node, data, body, end, protocol, genl_raw=protocol == NETLINK.GENERIC)
        return
    header = None
    fixed = schema.header
    if fixed is not None:
        if end - body < fixed.size:
            bad = _node(fixed.name, data[body:end].hex(), f"{end - body} of {fixed.size} bytes", body, end - body)
            bad["problems"].append(problem("error", f"{fixed.name} needs {fixed.size} bytes, {end - body} left"))
            node["children"].append(bad)
            return
        header = fixed.unpack(data, body)
        node["children"].append(struct_node(fixed, header, body))
        body += (fixed.size + 3) & ~3
    if schema.attrs is not None and body < end:
        node["children"] += _tolerant_attrs(schema.attrs, data, body, end, header, node)
    elif body < end:
        node["children"].append(_node("payload", data[body:end].hex(), f"{end - body} bytes", body, end - body))


def _raw_payload(node: Node, data: bytes, body: int, end: int, protocol: int, genl_raw: bool) -> None:
    """A body nlwire has no schema for: genl attributes framed by number, else raw bytes."""
    if body >= end:
        return
    if genl_raw:
        start = body
        if (not node["children"] or node["children"][-1]["name"] != "genlmsghdr") and end - body >= GENLMSGHDR.size:
            node["children"].append(struct_node(GENLMSGHDR, GENLMSGHDR.unpack(data, body), body))
            start = body + GENLMSGHDR.size
        items, err = scan_attrs_tolerant(data, start, end)
        if err is None:
            for t, f, s, e in items:
                nested = " nested" if f & NLA_F_NESTED else ""
                node["children"].append(
                    _node(
                        f"attr_{t}", data[s:e].hex(), f"type {t}{nested}, {e - s} bytes (no schema)", s - 4, e - s + 4
                    )
                )
            node["show"] += " (attributes not decoded: no schema for this family)"
            return
        body = start
    label = f"{end - body} bytes (nlwire has no schema for {family_name(protocol)} messages)"
    node["children"].append(_node("payload", data[body:end].hex(), label, body, end - body))


ErrorLayout = tuple[int | None, str, int, int, int]
"""Where the parts of an NLMSG_ERROR / NLMSG_DONE payload are (:func:`error_layout`)."""


_CODE = NLMSGERR_CODE.struct.unpack_from  # type: ignore[union-attr]
_CODE_LEN = NLMSGERR_CODE.size
_ERROR = int(NLMSG.ERROR)
_CAPPED = int(NLM_F.CAPPED)  # (plain ints: IntFlag arithmetic is slow on the fast paths)


def error_layout(data: bytes, body: int, end: int, mtype: int, flags: int) -> ErrorLayout:
    """Frame the payload ``data[body:end]`` of an NLMSG_ERROR (struct nlmsgerr: code, echoed
    request, ext-ack TLVs) or NLMSG_DONE (code, ext-ack TLVs) without judging it: the one
    reading of nlmsgerr the tree and the fast paths share. Never raises on capture bytes.

    Returns ``(code, echo, ehdr, eln, tlv)``: the error code (None when fewer than 4 bytes
    follow the nlmsghdr); the echoed request (NLMSG_ERROR), ``"none"`` (DONE, or nothing after
    the code), ``"header"`` (its nlmsghdr only: NLM_F_CAPPED, or nlmsg_len 16 or less),
    ``"full"`` (the whole request), ``"overflow"`` (its nlmsghdr, whose nlmsg_len runs past
    the message: shown as a header) or ``"truncated"`` (fewer than 16 bytes after the code);
    where the echoed nlmsghdr starts (the byte after the code); the echoed nlmsg_len (0
    without an echoed header); where the ext-ack TLVs, or bytes after the error without
    NLM_F_ACK_TLVS, start."""
    if end - body < _CODE_LEN:
        return None, "none", body, 0, end
    code = _CODE(data, body)[0]
    ehdr = body + _CODE_LEN
    if mtype != _ERROR:
        return code, "none", ehdr, 0, ehdr
    if end - ehdr < NLMSG_HDRLEN:
        return code, "none" if end == ehdr else "truncated", ehdr, 0, ehdr
    eln = _HDR(data, ehdr)[0]
    if flags & _CAPPED or eln <= NLMSG_HDRLEN:
        return code, "header", ehdr, eln, ehdr + NLMSG_HDRLEN
    if ehdr + eln > end:
        return code, "overflow", ehdr, eln, ehdr + NLMSG_HDRLEN
    return code, "full", ehdr, eln, ehdr + ((eln + 3) & ~3)


def _error_body(
    node: Node, data: bytes, off: int, end: int, mtype: int, flags: int, protocol: int, genl: GenlIds | None
) -> None:
    body = off + NLMSG_HDRLEN
    children = node["children"]
    code, echo, ehdr, eln, tlv = error_layout(data, body, end, mtype, flags)
    if code is None:
        if mtype == NLMSG.DONE and end == body:
            return
        bad = _node("error", None, "truncated", body, max(end - body, 0))
        bad["problems"].append(problem("error", f"nlmsgerr needs 4 bytes for the error code, {end - body} left"))
        children.append(bad)
        node["problems"].append(problem("error", "truncated error message"))
        return
    children.append(json.loads(error_json(code, body)))
    node["error"] = code
    if echo == "truncated":
        bad = _node("msg", data[ehdr:end].hex(), f"{end - ehdr} bytes", ehdr, end - ehdr)
        bad["problems"].append(problem("error", "echoed nlmsghdr truncated"))
        children.append(bad)
        return
    if echo != "none":
        capped = bool(flags & NLM_F.CAPPED)
        if echo == "full":
            msg = build_message(data, ehdr, ehdr + eln, protocol, genl, echo=True)
        else:
            msg = build_message(data, ehdr, ehdr + NLMSG_HDRLEN, protocol, genl, echo=True, header_only=True)
            if echo == "overflow":
                msg["problems"].append(
                    problem("warning", f"echoed request of {eln} bytes does not fit the error message")
                )
        msg["value"] = msg["name"]
        msg["show"] = f"{msg['name']} ({ECHO_HOW[capped]})"
        msg["name"] = "msg"
        children.append(msg)
    if tlv < end:
        if flags & NLM_F.ACK_TLVS:
            children += _tolerant_attrs(_ERRNO, data, tlv, end, None, node)
        else:
            pad = _node("padding", data[tlv:end].hex(), f"{end - tlv} bytes", tlv, end - tlv)
            if any(data[tlv:end]):
                pad["problems"].append(problem("warning", "bytes after the error without NLM_F_ACK_TLVS"))
            children.append(pad)


def find_deepest(node: Node, pos: int, path: list[str]) -> Node | None:
    """The deepest descendant of ``node`` covering byte ``pos``; ``path`` collects the names."""
    for child in node["children"]:
        o = child["offset"]
        if o <= pos < o + max(child["length"], 1):
            path.append(child["name"])
            deeper = find_deepest(child, pos, path)
            return deeper if deeper is not None else child
    return None


def ext_ack_offs(node: Node) -> int | None:
    """The NLMSGERR_ATTR_OFFS value of an error node, if any."""
    for child in node["children"]:
        if child["name"] == _OFFS_NAME and isinstance(child["value"], int):
            return int(child["value"])
    return None


_OFFS_NAME = NLMSGERR_ATTRS.name_of(NLMSGERR_ATTR.OFFS, "kernel")
