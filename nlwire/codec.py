"""bytes ⇄ :class:`~nlwire.messages.Message`, through the schemas in :mod:`nlwire.wire`.

>>> from nlwire.codec import decode
>>> [m.name for m in decode(datagram, NETLINK.ROUTE)]          # doctest: +SKIP
['RTM_NEWLINK', 'RTM_NEWLINK', 'NLMSG_DONE']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from nlwire.consts import NETLINK, NLM_F, NLMSG, NLMSGERR_ATTR
from nlwire.errors import DecodeError, EncodeError, TruncatedError
from nlwire.messages import ExtAck, Message
from nlwire.wire.attrs import Attrs, AttrSet, HeaderAndAttrs, Kind
from nlwire.wire.compiler import DECODE, FRAME, Head
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.netlink import NLMSG_HDRLEN, NLMSGERR_ATTRS, NLMSGERR_CODE, NLMSGHDR
from nlwire.wire.registry import GenlIds, MessageSchema, first_byte, lookup, plain_types, type_name
from nlwire.wire.walks import Fast
from nlwire.wire.walks import frame as _frame
from nlwire.wire.walks import strict as _strict

__all__ = [
    "attr_path_at",
    "decode",
    "decode_message",
    "encode",
    "encode_many",
    "iter_decode",
    "missing_attr_name",
    "spec_path",
]

_HDR_UNPACK = NLMSGHDR.struct.unpack_from  # type: ignore[union-attr]
_HDR_PACK = NLMSGHDR.struct.pack  # type: ignore[union-attr]
_ERR = NLMSGERR_CODE.struct.unpack_from  # type: ignore[union-attr]
_new_message = tuple.__new__
_MIN_TYPE = int(NLMSG.MIN_TYPE)  # (an enum member costs an attribute lookup and a comparison slot)


_GENERIC = int(NETLINK.GENERIC)
_REQUEST = int(NLM_F.REQUEST)  # (an int: IntFlag arithmetic is slow on the decode path)

def _align(n: int) -> int:
    return (n + 3) & ~3


def iter_decode(
    data: bytes, protocol: int = NETLINK.ROUTE, *, genl: GenlIds | None = None, strict: bool = False
) -> Iterator[Message]:
    """Decode each message of a datagram, stepping by NLMSG_ALIGN(nlmsg_len).

    Zero bytes after the last message (a sender's fixed-size buffer) are
    ignored. Values of attributes decode lazily on access; with ``strict``
    every value is decoded at once, so any DecodeError is raised here. The
    datagram is decoded on the first ``next()``: the messages before a bad one
    are yielded, then its DecodeError is raised.
    """
    msgs, error = _decode_all(data, protocol, genl, strict)
    yield from msgs
    if error is not None:
        raise error


def _decode_all(
    data: bytes, protocol: int, genl: GenlIds | None, strict: bool
) -> tuple[list[Message], DecodeError | None]:
    """The messages of a datagram up to the first that does not decode, and its error (None
    when all do): :func:`decode` and :func:`iter_decode`, in one loop that is not a
    generator (resuming one for each message costs as much as a small message's decode)."""
    if not isinstance(data, bytes):
        data = bytes(data)
    off = 0
    end = len(data)
    index = 0
    out: list[Message] = []
    put = out.append
    table = plain_types(protocol)  # the common case (a dump's messages) without decode_message's dispatch
    ids = genl if protocol == _GENERIC else None
    try:
        while off < end:
            if end - off < NLMSG_HDRLEN:
                if not any(data[off:]):
                    break
                raise TruncatedError(f"{end - off} bytes left, nlmsghdr needs 16", off, f"msg[{index}]")
            ln = _HDR_UNPACK(data, off)[0]
            if ln < NLMSG_HDRLEN:
                if ln == 0 and not any(data[off:]):
                    break
                raise DecodeError(f"nlmsg_len {ln} < 16", off, f"msg[{index}]")
            if off + ln > end:
                raise TruncatedError(
                    f"nlmsg_len {ln} runs {off + ln - end} bytes past the datagram", off, f"msg[{index}]"
                )
            mtype = data[off + 4] | data[off + 5] << 8
            if mtype < _MIN_TYPE:
                schema = None
            elif table is not None:
                schema = table.get(mtype)
            elif ids is not None and ln > NLMSG_HDRLEN:
                # a generic family's message, by its command: the same compiled walks as rtnetlink's
                schema = lookup(_GENERIC, mtype, ids, data[off + 16], data[off + 6] & _REQUEST == _REQUEST)
            else:
                schema = None
            if schema is not None and schema.bodies is not None and ln > NLMSG_HDRLEN:
                # a body chosen by its first byte, with NLM_F_REQUEST (sock_diag's family)
                schema = schema.bodies.get((data[off + 16], data[off + 6] & _REQUEST == _REQUEST), schema)
            if schema is not None:
                if index >= len(_PATHS):
                    _more_paths(index)
                put(_decode_plain(data, off, ln, protocol, schema, _PATHS[index], _APATHS[index], strict))
            else:
                put(decode_message(data, off, protocol, genl=genl, path=f"msg[{index}]", strict=strict))
            off += (ln + 3) & ~3
            index += 1
    except DecodeError as exc:
        return out, exc
    return out, None


_PATHS: list[str] = []
_APATHS: list[str] = []
"""``msg[i]`` and ``msg[i].attrs`` by index, made once (a 32 KiB dump datagram holds up to
about 600 routes, 2,048 messages at most)."""


def _more_paths(index: int) -> None:
    for i in range(len(_PATHS), max(index + 1, 2 * len(_PATHS), 64)):
        _PATHS.append(f"msg[{i}]")
        _APATHS.append(f"msg[{i}].attrs")


def _decode_plain(
    data: bytes, off: int, ln: int, protocol: int, schema: MessageSchema, path: str, apath: str, strict: bool
) -> Message:
    """decode_message for a framed message of a known, non-generic type (``apath``: its
    attributes' path). A message of a size the schema's messages have had often enough is
    tried first by the message walks learned for it (:func:`_message_walks`)."""
    plain = schema.plain
    if plain is None or ln < plain[2]:
        mtype, flags, seq, pid = _HDR_UNPACK(data, off)[1:]
        return _decode_body(data, off, off + ln, mtype, flags, seq, pid, protocol, schema, path, strict)
    learn = plain[5].get(strict)
    if learn is not None and type(data) is bytes:
        # (only a message whose header and its pad fit has walks: they are learned from those)
        cands = learn.sizes.get(ln)
        if cands is not None:
            for fn in cands:
                msg: Message | None = fn(data, off, off + ln, apath, protocol, schema)
                if msg is not None:
                    return msg
    both, record, _, attrs_at, attr_set, walks = plain
    end = off + ln
    start = off + attrs_at
    if start > end or type(data) is not bytes:
        learn = None
    elif learn is None:
        learn = walks[strict] = _message_walks(plain, strict)
    r = both.unpack_from(data, off)
    header: Any = _new_message(record, r[5:])
    if start > end:
        start = end
    if learn is None:  # a buffer decode_message was given (Attrs holds it as it is), or a header short of its pad
        attrs = Attrs.from_bytes(attr_set, data, start, end, header=header, path=apath, eager=strict)
    elif strict:
        attrs = _strict(attr_set, data, start, end, header, apath, 0)
    else:
        attrs = _frame(attr_set, data, start, end, header, apath)
    msg = _new_message(Message, (r[1], r[2], r[3], r[4], header, attrs, b"", None, None, None, protocol, schema, off,
                                 ln, None))
    if learn is not None:
        learn.missed(data, off, end)
    return msg


def _message_walks(plain: tuple[Any, ...], strict: bool) -> Fast:
    """The walks of whole messages of a schema (``plain``: its :attr:`MessageSchema.plain`),
    for the strict or the lazy decode: each made for one layout of the message (its size
    and attribute framing), its header, attributes and Message made in one function,
    exactly as :func:`_decode_plain` makes them the ordinary way."""
    both, record, _, attrs_at, attr_set, _ = plain
    head = Head(
        both.format.lstrip("="),
        5,
        record,
        attrs_at,
        "new_t(Message, (r[1], r[2], r[3], r[4], header, a, b'', None, None, None, protocol, schema, off, end - off,"
        " None))",
        {"Message": Message},
    )
    return Fast(attr_set, DECODE if strict else FRAME, head)


def decode(
    data: bytes, protocol: int = NETLINK.ROUTE, *, genl: GenlIds | None = None, strict: bool = False
) -> list[Message]:
    """All messages of a datagram (see :func:`iter_decode`)."""
    msgs, error = _decode_all(data, protocol, genl, strict)
    if error is not None:
        raise error
    return msgs


def _materialize(msg: Message) -> None:
    if msg.attrs is not None:
        msg.attrs.materialize()
    if msg.echo is not None:
        _materialize(msg.echo)
    if msg.ext_ack is not None:
        msg.ext_ack.attrs.materialize()


def decode_message(
    data: bytes,
    offset: int = 0,
    protocol: int = NETLINK.ROUTE,
    *,
    genl: GenlIds | None = None,
    path: str = "msg",
    strict: bool = False,
    schema: MessageSchema | None = None,
) -> Message:
    """Decode the one message whose nlmsghdr starts at ``offset``.

    With ``strict`` every attribute value is decoded now (DecodeError raised
    here); otherwise values decode on first access. ``schema``: read the body of a
    message of a data type by this schema rather than the one its type has (a spec's).
    """
    if len(data) - offset < NLMSG_HDRLEN:
        raise TruncatedError("nlmsghdr needs 16 bytes", offset, path)
    ln, mtype, flags, seq, pid = _HDR_UNPACK(data, offset)
    if ln < NLMSG_HDRLEN or offset + ln > len(data):
        raise TruncatedError(f"nlmsg_len {ln} does not fit", offset, path)
    end = offset + ln
    body = offset + NLMSG_HDRLEN
    if schema is not None and mtype >= NLMSG.MIN_TYPE:
        return _decode_body(data, offset, end, mtype, flags, seq, pid, protocol, schema, path, strict)
    if mtype >= NLMSG.MIN_TYPE and protocol != NETLINK.GENERIC:
        schema = lookup(protocol, mtype, None, data[body] if end > body else None, flags & _REQUEST == _REQUEST)
        if schema is not None:
            return _decode_plain(data, offset, ln, protocol, schema, path, f"{path}.attrs", strict)
    if mtype == NLMSG.ERROR:
        return _decode_error(data, offset, end, mtype, flags, seq, pid, protocol, genl, path, strict)
    if mtype == NLMSG.DONE:
        error = None
        ext = None
        if end - body >= 4:
            error = _ERR(data, body)[0]
            if flags & NLM_F.ACK_TLVS and end > body + 4:
                ext = ExtAck(
                    Attrs.from_bytes(NLMSGERR_ATTRS, data, body + 4, end, path=f"{path}.ext_ack", eager=strict)
                )
        elif end != body:
            raise TruncatedError(f"NLMSG_DONE payload of {end - body} bytes", body, path)
        return Message(mtype, flags, seq, pid, error=error, ext_ack=ext, protocol=protocol, offset=offset, len=ln)
    if mtype < NLMSG.MIN_TYPE:
        return Message(mtype, flags, seq, pid, payload=data[body:end], protocol=protocol, offset=offset, len=ln)
    cmd = data[body] if protocol == NETLINK.GENERIC and end > body else None
    schema = lookup(protocol, mtype, genl, cmd, bool(flags & NLM_F.REQUEST))
    return _decode_body(data, offset, end, mtype, flags, seq, pid, protocol, schema, path, strict)


def _decode_body(
    data: bytes,
    offset: int,
    end: int,
    mtype: int,
    flags: int,
    seq: int,
    pid: int,
    protocol: int,
    schema: MessageSchema | None,
    path: str,
    strict: bool = False,
) -> Message:
    body = offset + NLMSG_HDRLEN
    if schema is None:
        return Message(
            mtype, flags, seq, pid, payload=data[body:end], protocol=protocol, offset=offset, len=end - offset
        )
    header = None
    fixed = schema.header
    if fixed is not None:
        if end - body < fixed.size:
            raise TruncatedError(
                f"{fixed.name} needs {fixed.size} bytes, {end - body} left", body, f"{path}.{fixed.name}"
            )
        header = fixed.unpack(data, body)
        body += _align(fixed.size)
    attrs = None
    payload = b""
    if schema.attrs is not None:
        attrs = Attrs.from_bytes(
            schema.attrs, data, min(body, end), end, header=header, path=f"{path}.attrs", eager=strict
        )
    elif body < end:
        payload = data[body:end]
    # every field given, in order: tuple.__new__ skips the named tuple's keyword handling
    fields = (mtype, flags, seq, pid, header, attrs, payload, None, None, None, protocol, schema, offset, end - offset,
              None)
    return _new_message(Message, fields)


def _decode_error(
    data: bytes,
    offset: int,
    end: int,
    mtype: int,
    flags: int,
    seq: int,
    pid: int,
    protocol: int,
    genl: GenlIds | None,
    path: str,
    strict: bool = False,
) -> Message:
    body = offset + NLMSG_HDRLEN
    if end - body < 4:
        raise TruncatedError("nlmsgerr needs 4 bytes for the error code", body, f"{path}.nlmsgerr")
    error = _ERR(data, body)[0]
    echo = None
    tlv_start = end
    ehdr = body + 4
    if end - ehdr >= NLMSG_HDRLEN:
        eln, etype, eflags, eseq, epid = _HDR_UNPACK(data, ehdr)
        full = (
            not (flags & NLM_F.CAPPED)
            and eln >= NLMSG_HDRLEN
            and ehdr + eln <= end
            and (eln > NLMSG_HDRLEN or not (flags & NLM_F.ACK_TLVS))
        )
        if full and eln > NLMSG_HDRLEN:
            try:
                echo = decode_message(data, ehdr, protocol, genl=genl, path=f"{path}.echo", strict=strict)
            except DecodeError:
                echo = Message(
                    etype,
                    eflags,
                    eseq,
                    epid,
                    payload=data[ehdr + NLMSG_HDRLEN : ehdr + eln],
                    protocol=protocol,
                    offset=ehdr,
                    len=eln,
                )
            tlv_start = ehdr + _align(eln)
        else:
            cmd = (
                data[ehdr + NLMSG_HDRLEN]
                if protocol == NETLINK.GENERIC and end > ehdr + NLMSG_HDRLEN and full
                else None
            )  # (no body echoed: a socket family cannot choose one)
            request = bool(eflags & NLM_F.REQUEST)
            schema = lookup(protocol, etype, genl, cmd, request) if etype >= NLMSG.MIN_TYPE else None
            echo = Message(etype, eflags, eseq, epid, protocol=protocol, schema=schema, offset=ehdr, len=eln)
            tlv_start = ehdr + NLMSG_HDRLEN
    elif end != ehdr:
        raise TruncatedError(f"nlmsgerr echo of {end - ehdr} bytes", ehdr, f"{path}.nlmsgerr")
    ext = None
    if flags & NLM_F.ACK_TLVS and tlv_start < end:
        ext_attrs = Attrs.from_bytes(NLMSGERR_ATTRS, data, tlv_start, end, path=f"{path}.ext_ack", eager=strict)
        echo_bytes = (
            data[ehdr : ehdr + echo.len]
            if echo is not None and echo.offset == ehdr and tlv_start > ehdr + NLMSG_HDRLEN
            else None
        )
        ext = ExtAck(ext_attrs, _missing_name(ext_attrs, echo, echo_bytes, protocol, genl))
    return Message(
        mtype, flags, seq, pid, error=error, echo=echo, ext_ack=ext, protocol=protocol, offset=offset, len=end - offset
    )


def _missing_name(
    ext: Attrs, echo: Message | None, echo_bytes: bytes | None, protocol: int, genl: GenlIds | None
) -> str | None:
    try:
        miss = ext.get(NLMSGERR_ATTR.MISS_TYPE)
        nest = ext.get(NLMSGERR_ATTR.MISS_NEST)
    except DecodeError:
        return None  # a malformed TLV: ExtAck reads it as absent
    if miss is None:
        return None
    if echo_bytes is not None:
        return missing_attr_name(echo_bytes, miss, nest, protocol, genl=genl)
    schema = echo.schema if echo is not None else None
    if nest is None and schema is not None and schema.attrs is not None:
        return schema.attrs.name_of(miss)
    return f"attribute type {miss}" + (f" in the nest at offset {nest}" if nest is not None else "")


def missing_attr_name(
    request: bytes | Message,
    miss_type: int,
    miss_nest: int | None = None,
    protocol: int = NETLINK.ROUTE,
    *,
    genl: GenlIds | None = None,
    schema: MessageSchema | None = None,
    style: str = "dotted",
) -> str:
    """Name NLMSGERR_ATTR_MISS_TYPE in the attribute set it belongs to.

    Without ``miss_nest`` that is the request's top-level set (``IFLA.IFNAME``); with
    it, the set of the nest whose nlattr header starts ``miss_nest`` bytes into the
    request, followed by that nest's path (``IFLA_INFO.KIND in attrs[IFLA.LINKINFO]``).
    What cannot be resolved is named by number (``attribute type 3``). The one resolver
    of missing attributes: decoded errors (:func:`decode`), raised ones
    (:class:`~nlwire.errors.NetlinkError`) and the dissector all name them here.
    ``schema``: the request is read by it (a spec's operation). ``style``: ``"dotted"`` as
    above; ``"spec"`` by the spec's names, with the set's (``ifindex (in set dev)``,
    ``kind (in set linkinfo-attrs) in linkinfo``); ``"kernel"`` the attribute's kernel
    name alone (``IFLA_INFO_KIND``; the dissector names the nest from its own tree, as it
    names NLMSGERR_ATTR_OFFS).
    """
    data = encode(request) if isinstance(request, Message) else request
    fallback = f"attribute type {miss_type}"
    try:
        msg = decode_message(data, 0, protocol, genl=genl, schema=schema)
    except DecodeError:
        return fallback
    if msg.attrs is None:
        return fallback
    if miss_nest is None:
        return _member_name(msg.attrs.attr_set, miss_type, style)
    found = _nest_at(msg.attrs, miss_nest)
    if found is None:
        return fallback if style == "kernel" else f"{fallback} in the nest at offset {miss_nest}"
    name = _member_name(found.attr_set, miss_type, style)
    if style == "kernel":
        return name
    where = _strip(found.path)
    return f"{name} in {spec_path(where, msg.attrs.attr_set) if style == 'spec' else where}"


def _member_name(attr_set: AttrSet, atype: int, style: str) -> str:
    """An attribute of ``attr_set`` named in ``style`` (see :func:`missing_attr_name`); by
    spec name with its set's: ``ifindex (in set dev)``."""
    if style != "spec":
        return attr_set.name_of(atype, style)
    name = attr_set.spec_name(atype)
    return f"{name} (in set {attr_set.spec_set})" if attr_set.spec_set else name


_STEP = re.compile(r"\[([^\]]*)\]")


def spec_path(path: str, attr_set: AttrSet) -> str:
    """A path of :func:`attr_path_at` or :attr:`~nlwire.errors.EncodeError.field` as a
    spec names it, starting in ``attr_set``: ``attrs[ETHTOOL_A_LINKINFO.HEADER]
    [ETHTOOL_A_HEADER.DEV_NAME]`` is ``header.dev-name``, an entry of a list
    ``addrs[0].id``, a fixed header's field ``ifaddrmsg.prefixlen`` its member's name
    (``ifa-prefixlen`` where the spec names it so). The one rule by which spec-driven
    requests name attributes (the spec client's errors, :func:`missing_attr_name`);
    a step it cannot resolve leaves ``path`` as it is."""
    if not path.startswith("attrs["):
        struct_name, dot, member = path.partition(".")
        return member.replace("_", "-") if dot and struct_name != "nlmsghdr" else path
    sets = [attr_set]
    out = ""
    for token in _STEP.findall(path):
        if token.isdigit():
            out += f"[{token}]"
            continue
        prefix, dot, member = token.rpartition(".")
        if not dot:
            return path
        found = next((s for s in sets if s.enum.__name__ == prefix), sets[0] if sets else None)
        if found is None:
            return path
        try:
            atype = found.type_of(member)
        except KeyError:
            return path
        out += ("." if out else "") + found.spec_name(atype)
        sets = _sets_in(found.kind(atype))
    return out


def _sets_in(kind: Kind, depth: int = 0) -> list[AttrSet]:
    """The attribute sets directly inside a kind's values (through arrays and choices)."""
    out: list[AttrSet] = []
    for inner, attr_set in kind.inner():
        if attr_set is not None:
            out.append(attr_set)
        elif inner is not kind and depth < 8:
            out += _sets_in(inner, depth + 1)
    return out


def _nest_at(attrs: Attrs, offset: int) -> Attrs | None:
    for entry, value in attrs.entries():
        if not entry.offset <= offset < entry.offset + _align(entry.length):
            continue
        children = _children(value)
        if entry.offset == offset:
            return children[0] if isinstance(value, (Attrs, HeaderAndAttrs)) else None
        for child in children:
            found = _nest_at(child, offset)
            if found is not None:
                return found
        return None
    return None


# ------------------------------------------------------------------------------ encoding


def encode(msg: Message) -> bytes:
    """The message as bytes; ``nlmsg_len`` is computed."""
    if msg.type == NLMSG.ERROR or msg.type == NLMSG.DONE:
        body = _encode_error_body(msg)
    else:
        body = b""
        if msg.header is not None:
            fixed = _fixed_for(msg)
            try:
                head = fixed.pack(msg.header)
            except EncodeError as exc:
                if exc.field is not None:  # a value out of range: the struct is the right one
                    raise type(exc)(f"{type_name(msg.protocol, msg.type)}: {exc}", field=exc.field) from None
                # a record of another struct: most often a message built for another protocol,
                # whose type means something else here
                raise EncodeError(
                    f"{type_name(msg.protocol, msg.type)} (type {msg.type:#x} on protocol {msg.protocol}): {exc}; "
                    "is Message.protocol right?"
                ) from None
            body = head + bytes(_align(len(head)) - len(head))
        if msg.attrs is not None:
            try:
                body += msg.attrs.encode()
            except EncodeError as exc:
                raise type(exc)(f"{type_name(msg.protocol, msg.type)}: {exc}", field=exc.field) from None
        body += msg.payload
    ln = NLMSG_HDRLEN + len(body)
    if ln > 0xFFFFFFFF:
        raise EncodeError("message too long")
    return _HDR_PACK(ln, msg.type, msg.flags, msg.seq, msg.pid) + body


def _fixed_for(msg: Message) -> FixedStruct:
    if msg.schema is not None and msg.schema.header is not None:
        return msg.schema.header
    schema = lookup(msg.protocol, msg.type, None, first_byte(msg.header), bool(msg.flags & NLM_F.REQUEST))
    if schema is not None and schema.header is not None:
        return schema.header
    fixed = getattr(type(msg.header), "_fixed", None)
    if isinstance(fixed, FixedStruct):
        return fixed
    raise EncodeError(f"no fixed header known for message type {msg.type}; set Message.schema")


def _encode_error_body(msg: Message) -> bytes:
    code = msg.error or 0
    out = NLMSGERR_CODE.pack((code,)) if msg.error is not None or msg.type == NLMSG.ERROR else b""
    if msg.type == NLMSG.ERROR:
        echo = msg.echo if msg.echo is not None else Message(0)
        raw = encode(echo)
        if msg.flags & NLM_F.CAPPED:
            raw = _HDR_PACK(echo.len or len(raw), echo.type, echo.flags, echo.seq, echo.pid)
        out += raw + bytes(_align(len(raw)) - len(raw))
    if msg.ext_ack is not None:
        out += msg.ext_ack.attrs.encode()
    out += msg.payload
    return out


def encode_many(msgs: list[Message]) -> bytes:
    """Several messages in one datagram, each padded to 4 bytes."""
    parts = []
    for m in msgs:
        raw = encode(m)
        parts.append(raw + bytes(_align(len(raw)) - len(raw)))
    return b"".join(parts)


# ------------------------------------------------------------------------------ ext-ack offsets


def attr_path_at(
    request: bytes | Message, offset: int, protocol: int = NETLINK.ROUTE, *, genl: GenlIds | None = None,
    schema: MessageSchema | None = None,
) -> str | None:
    """Name the element of ``request`` that byte ``offset`` falls in.

    ``offset`` counts from the request's nlmsghdr (as NLMSGERR_ATTR_OFFS does).
    Returns e.g. ``attrs[IFLA.LINKINFO][IFLA_INFO.DATA][IFLA_VXLAN.ID]``,
    ``ifinfomsg.index`` for a fixed-header field, ``nlmsghdr`` or None; ``schema``: the
    request is read by it (:func:`spec_path` names the result by a spec's names).
    """
    data = encode(request) if isinstance(request, Message) else request
    if offset < 0 or offset >= len(data):
        return None
    if offset < NLMSG_HDRLEN:
        return "nlmsghdr"
    try:
        msg = decode_message(data, 0, protocol, genl=genl, schema=schema)
    except DecodeError:
        return None
    if msg.schema is not None and msg.schema.header is not None:
        fixed = msg.schema.header
        if offset < NLMSG_HDRLEN + _align(fixed.size):
            return fixed.field_at(offset - NLMSG_HDRLEN)
    if msg.attrs is None:
        return None
    return _walk(msg.attrs, offset)


def _children(value: Any) -> list[Attrs]:
    """The attribute lists inside one decoded value (nests, the veth peer, multipath entries)."""
    if isinstance(value, Attrs):
        return [value]
    if isinstance(value, HeaderAndAttrs):
        return [value.attrs]
    if isinstance(value, list):
        return [a for v in value for a in _children(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _children(v)]
    return []


def _walk(attrs: Attrs, offset: int) -> str | None:
    for entry, value in attrs.entries():
        if entry.offset <= offset < entry.offset + _align(entry.length):
            for child in _children(value):
                found = _walk(child, offset)
                if found is not None:
                    return found
            return _strip(f"{attrs.path}[{attrs.attr_set.name_of(entry.type)}]")
    return None


def _strip(path: str) -> str:
    return path.replace("msg.attrs", "attrs", 1)
