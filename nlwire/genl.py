"""Generic netlink: family resolution through nlctrl, and messages of registered families.

>>> with Genl() as g:                                             # doctest: +SKIP
...     fam = g.family("nlctrl")
...     fam.id, fam.version, fam.mcast_groups
(16, 2, {'notify': 16})

A family's messages encode and decode through its attribute set once it is
declared with :func:`nlwire.wire.genetlink.register_genl_family` (one
declaration: name, attribute set, command enum); nlctrl is declared already.
Family ids are learned into the socket's :class:`~nlwire.wire.registry.GenlIds`
when resolved, so replies and notifications of that family decode by name.
:class:`SpecGenl` (also :data:`SpecClient`) drives a family by the kernel's YAML spec
of it instead (:mod:`nlwire.wire.specs`): operations, attributes and groups by their spec
names, generic families and the netlink-raw ones (rt_link, rt_addr, rt_route, tc) alike.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from nlwire.client import _UNSET, DEFAULT_TIMEOUT, Overrun, Socket, SocketJobs
from nlwire.codec import attr_path_at, decode_message, encode, missing_attr_name, spec_path
from nlwire.consts import CTRL_ATTR, CTRL_ATTR_MCAST_GRP, CTRL_ATTR_OP, CTRL_CMD, GENL_ID, NETLINK, NLMSG
from nlwire.errors import EncodeError, NetlinkError, NotFound
from nlwire.messages import Message
from nlwire.netns import NetnsTarget
from nlwire.wire.attrs import Attrs, AttrSet
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.genetlink import CTRL_ATTRS, GENL_FAMILIES, GENLMSGHDR, GenlFamilySpec
from nlwire.wire.registry import MessageSchema, lookup, type_name
from nlwire.wire.specs import SpecOp, load_spec

__all__ = ["Genl", "GenlFamily", "GenlOp", "SpecClient", "SpecGenl"]


@dataclass(frozen=True, slots=True)
class GenlOp:
    """One operation of a family (CTRL_ATTR_OPS entry): command id and GENL_* flags."""

    id: int
    flags: int
    name: str | None = None
    """The command's name when the family is registered with a command enum."""


@dataclass(frozen=True, slots=True)
class GenlFamily:
    """A generic netlink family as nlctrl describes it."""

    name: str
    id: int
    version: int
    hdrsize: int
    maxattr: int
    ops: tuple[GenlOp, ...] = ()
    mcast_groups: Mapping[str, int] = field(default_factory=dict)
    """Multicast group name → group id."""

    @property
    def spec(self) -> GenlFamilySpec | None:
        """The registered declaration (attribute set, commands), if any."""
        return GENL_FAMILIES.get(self.name)

    def op(self, cmd: int) -> GenlOp | None:
        return next((o for o in self.ops if o.id == cmd), None)


def family_from(msg: Message) -> GenlFamily:
    """A :class:`GenlFamily` from a CTRL_CMD_NEWFAMILY message."""
    a = msg.attrs
    if a is None:
        raise ValueError("CTRL_CMD_NEWFAMILY without attributes")
    name = str(a.get(CTRL_ATTR.FAMILY_NAME))
    spec = GENL_FAMILIES.get(name)
    ops = []
    for op in a.get(CTRL_ATTR.OPS) or []:
        cmd = int(op.get(CTRL_ATTR_OP.ID, 0))
        op_name = None
        if spec is not None and spec.commands is not None:
            try:
                op_name = spec.commands(cmd).name
            except ValueError:
                op_name = None
        ops.append(GenlOp(cmd, int(op.get(CTRL_ATTR_OP.FLAGS, 0)), op_name))
    groups = {
        str(g.get(CTRL_ATTR_MCAST_GRP.NAME)): int(g.get(CTRL_ATTR_MCAST_GRP.ID))
        for g in a.get(CTRL_ATTR.MCAST_GROUPS) or []
    }
    return GenlFamily(
        name=name,
        id=int(a.get(CTRL_ATTR.FAMILY_ID)),
        version=int(a.get(CTRL_ATTR.VERSION, 0)),
        hdrsize=int(a.get(CTRL_ATTR.HDRSIZE, 0)),
        maxattr=int(a.get(CTRL_ATTR.MAXATTR, 0)),
        ops=tuple(ops),
        mcast_groups=groups,
    )


class Genl(SocketJobs):
    """A generic netlink client: ``Genl(netns=None, *, timeout=10.0, capture=None, sock=None, **socket_options)``.

    Family lookups are cached per socket (:meth:`family`); :meth:`request` and
    :meth:`dump` build messages of a family by name. Threads may share one Genl: each
    call gets its own answers (see :class:`~nlwire.client.Socket`).
    """

    PROTOCOL: int = NETLINK.GENERIC

    def __init__(
        self,
        netns: NetnsTarget = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        capture: str | os.PathLike[str] | BinaryIO | None = None,
        sock: Socket | None = None,
        **socket_options: Any,
    ) -> None:
        super().__init__(netns, timeout=timeout, capture=capture, sock=sock, **socket_options)
        self._families: dict[str, GenlFamily] = {}

    def _learn(self, fam: GenlFamily) -> GenlFamily:
        self._families[fam.name] = fam
        if self.socket.genl is not None:
            self.socket.genl.learn(fam.id, fam.name)
        return fam

    def family(self, name: str, *, refresh: bool = False) -> GenlFamily:
        """Resolve a family by name (CTRL_CMD_GETFAMILY), cached; NotFound when the kernel has none."""
        if not refresh and name in self._families:
            return self._families[name]
        req = Message(
            GENL_ID.CTRL,
            header=GENLMSGHDR.new(cmd=CTRL_CMD.GETFAMILY, version=1),
            attrs=Attrs(CTRL_ATTRS, {CTRL_ATTR.FAMILY_NAME: name}),
        )
        subject = f"generic netlink family {name!r}"
        try:
            reply = self.socket.request(req)
        except NotFound as err:  # ENOENT: the kernel has no such family (or its module is not loaded)
            raise err.about(subject) from None
        if reply.attrs is None or CTRL_ATTR.FAMILY_ID not in reply.attrs:
            raise NotFound(2, request_name="CTRL_CMD_GETFAMILY", subject=subject)
        return self._learn(family_from(reply))

    def families(self) -> list[GenlFamily]:
        """Every family the kernel has (a CTRL_CMD_GETFAMILY dump); all are cached."""
        req = Message(GENL_ID.CTRL, header=GENLMSGHDR.new(cmd=CTRL_CMD.GETFAMILY, version=1))
        out = []
        for msg in self.socket.dump(req):
            if msg.attrs is not None and CTRL_ATTR.FAMILY_ID in msg.attrs:
                out.append(self._learn(family_from(msg)))
        return out

    def message(
        self, family: str, cmd: int, attrs: Mapping[Any, Any] | list[tuple[Any, Any]] | None = None, *,
        flags: int = 0, version: int | None = None,
    ) -> Message:
        """A message of ``family``: genlmsghdr(cmd, version) + attributes of its registered set."""
        fam = self.family(family)
        spec = GENL_FAMILIES.get(family)
        header = GENLMSGHDR.new(cmd=int(cmd), version=fam.version if version is None else version)
        body = None
        if attrs is not None:
            op = spec.op(int(cmd)) if spec is not None else None
            attr_set = op.attrs if op is not None else (spec.attrs if spec is not None else None)
            if attr_set is None:
                raise ValueError(f"generic family {family!r} has no registered attribute set (register_genl_family)")
            body = Attrs(attr_set, attrs, header=header)
        schema = lookup(NETLINK.GENERIC, fam.id, self.socket.genl, int(cmd), True)
        return Message(fam.id, flags, header=header, attrs=body, schema=schema)

    def request(
        self, family: str, cmd: int, attrs: Mapping[Any, Any] | list[tuple[Any, Any]] | None = None, *,
        flags: int = 0, timeout: float | None = _UNSET,
    ) -> Message:
        """Send a command and return its reply (or the ACK); ``timeout`` defaults to the socket's."""
        return self.socket.request(self.message(family, cmd, attrs, flags=flags), timeout=timeout)

    def dump(
        self, family: str, cmd: int, attrs: Mapping[Any, Any] | list[tuple[Any, Any]] | None = None, *,
        timeout: float | None = _UNSET,
    ) -> Iterator[Message]:
        """Stream the replies of a dump command; ``timeout`` (each wait) defaults to the socket's."""
        return self.socket.dump(self.message(family, cmd, attrs), timeout=timeout)

    def subscribe(self, family: str, *groups: str) -> None:
        """Join multicast groups of a family by name."""
        fam = self.family(family)
        ids = []
        for g in groups:
            if g not in fam.mcast_groups:
                raise ValueError(f"{family} has no multicast group {g!r} (has {sorted(fam.mcast_groups)})")
            ids.append(fam.mcast_groups[g])
        self.socket.subscribe(*ids)

    def events(self, timeout: float | None = _UNSET) -> Iterator[Message | Overrun]:
        """The socket's notifications (:meth:`Socket.events`); ``timeout`` defaults to the socket's."""
        return self.socket.events(timeout)


def _spec_keys(value: Any, names: Mapping[str, str]) -> Any:
    """``value`` of :meth:`~nlwire.wire.attrs.Attrs.to_dict` with the members of its structs
    (dicts keyed by field names) keyed by their spec names (``names``: by field name)."""
    if isinstance(value, dict):
        return {names.get(k, k): _spec_keys(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_spec_keys(v, names) for v in value]
    return value


class SpecGenl(Genl):
    """A netlink family driven by the kernel's YAML spec of it (:mod:`nlwire.wire.specs`):
    ``SpecGenl(family, netns=None, *, spec_path=None, timeout=10.0, capture=None, sock=None, **socket_options)``;
    :data:`SpecClient` is the same class.

    >>> with SpecGenl("ethtool", netns="blue") as ethtool:               # doctest: +SKIP
    ...     ethtool.do("linkinfo-get", {"header": {"dev-name": "veth0"}})
    {'header': {'dev-index': 2, 'dev-name': 'veth0'}, 'port': 239, ...}
    >>> with SpecClient("rt_addr", netns="blue") as rt:                  # doctest: +SKIP
    ...     [a["ifa-label"] for a in rt.dump("getaddr")]
    ['lo']

    A generic family (a ``genetlink*`` spec) is reached on NETLINK_GENERIC, its id
    resolved through nlctrl on first use; a ``netlink-raw`` family (rt_link, rt_addr,
    rt_route, tc) on its own protocol (NETLINK_ROUTE), each operation's messages numbered
    as the spec numbers them. Operations, attributes and multicast groups are called by
    their spec names; values go in and come out as dicts keyed by them
    (:meth:`~nlwire.wire.attrs.Attrs.to_dict`), the fields of a fixed header among them
    (``ifa-index``: a key that names a field of the operation's fixed header and no
    attribute of its set goes to the header, as the kernel's YNL tools read them).
    What the spec forbids fails before anything is sent: an attribute outside the
    operation's request, a check (``min``, ``max-len``, ...) -- an
    :class:`~nlwire.errors.EncodeError` whose ``field`` is the attribute's spec path
    (``header.dev-name``). The kernel's errors are the socket's
    :class:`~nlwire.errors.NetlinkError`, with the offending attribute and a missing one
    also named by the spec (``spec_path``, ``missing_spec``, and in its message). A spec
    not installed raises :class:`~nlwire.errors.SpecNotFound` before any socket opens.
    rtnetlink's get operations dump even where the spec gives only their do (tc's
    ``getqdisc``).
    """

    def __init__(
        self,
        family: str,
        netns: NetnsTarget = None,
        *,
        spec_path: str | os.PathLike[str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        capture: str | os.PathLike[str] | BinaryIO | None = None,
        sock: Socket | None = None,
        **socket_options: Any,
    ) -> None:
        self.spec = load_spec(family, spec_path)
        self.genl_spec: GenlFamilySpec | None = self.spec.genl
        """The generic family's declaration (None: a netlink-raw family)."""
        if self.genl_spec is None:
            if self.spec.protonum is None:
                raise ValueError(f"{family}: a {self.spec.protocol} spec, not one nlwire can drive")
            self.PROTOCOL = self.spec.protonum
        self._by_type: dict[int, MessageSchema] = {}
        if self.genl_spec is None:
            for op in self.spec.ops.values():
                for mtype in (op.reply_value, op.value):
                    if mtype is not None and mtype not in self._by_type:
                        self._by_type[mtype] = self._raw_schema(mtype, op)
        super().__init__(netns, timeout=timeout, capture=capture, sock=sock, **socket_options)

    def _raw_schema(self, mtype: int, op: SpecOp) -> MessageSchema:
        """A netlink-raw message of type ``mtype`` as operation ``op`` lays it out (named
        and given its NLM_F meaning as nlwire's declaration of that type is)."""
        declared = lookup(self.PROTOCOL, mtype, None, None, True)
        return MessageSchema(type_name(self.PROTOCOL, mtype), op.header, op.attr_set,
                             declared.op if declared is not None else "")

    def _learn(self, fam: GenlFamily) -> GenlFamily:
        self._families[fam.name] = fam
        spec = self.genl_spec
        if self.socket.genl is not None:
            # this socket's messages of the family decode by the spec, whatever is registered
            self.socket.genl.learn(fam.id, fam.name, spec if spec is not None and fam.name == spec.name else None)
        return fam

    @property
    def info(self) -> GenlFamily:
        """The generic family as the kernel describes it (id, version, groups); resolved once."""
        if self.genl_spec is None:
            raise ValueError(f"{self.spec.name}: a {self.spec.protocol} family, not a generic one")
        return self.family(self.genl_spec.name)

    def _op(self, op: str) -> SpecOp:
        found = self.spec.ops.get(op)
        if found is None:
            raise KeyError(f"{self.spec.name} has no operation {op!r} (has {', '.join(self.spec.ops)})")
        return found

    def modes(self, op: str) -> list[str]:
        """How operation ``op`` runs: ``do``, ``dump`` (both, one, or none: a notification)."""
        parts = self._op(op).attributes
        modes = [m for m in ("do", "dump") if f"{m}-request" in parts or f"{m}-reply" in parts]
        if self.genl_spec is None and "do-reply" in parts and "dump" not in modes:
            modes.append("dump")  # rtnetlink's get handlers dump (the 6.12 tc spec gives getqdisc a do only)
        return modes

    def request_names(self, op: str, mode: str = "do") -> tuple[str, ...] | None:
        """What operation ``op``'s ``mode`` request may carry, by spec name (attributes and
        fixed-header fields); None when the spec does not say (no check)."""
        parts = self._op(op).attributes
        if mode == "dump" and self.genl_spec is None and "dump-request" not in parts and "dump-reply" not in parts:
            mode = "do"  # a get operation dumped with its do's request (see modes)
        return parts.get(f"{mode}-request")

    def message(  # type: ignore[override]
        self, op: str, attrs: Mapping[str, Any] | None = None, *, mode: str = "do",
        header: Mapping[str, Any] | None = None, flags: int = 0,
    ) -> Message:
        """The request of operation ``op`` (``mode``: ``do`` or ``dump``) with ``attrs`` keyed
        by spec names; ``header``: fields of the operation's fixed header (also taken from
        ``attrs``, see the class). EncodeError for an attribute the operation's request
        does not take, or a value its checks refuse."""
        spec_op = self._op(op)
        modes = self.modes(op)
        if mode not in modes:
            raise ValueError(f"{self.spec.name} {op}: no {mode} (has {', '.join(sorted(modes)) or 'none'})")
        attr_set = spec_op.attr_set
        values = dict(attrs or {})
        fields = {str(k).replace("-", "_"): v for k, v in (header or {}).items()}
        schema: MessageSchema | None
        if self.genl_spec is not None:
            genl_op = self.genl_spec.op_named(op)
            fam = self.info
            fixed: FixedStruct | None = genl_op.header or self.genl_spec.header
            mtype, base = fam.id, {"cmd": genl_op.cmd, "version": fam.version}
            schema = lookup(NETLINK.GENERIC, fam.id, self.socket.genl, genl_op.cmd, True)
        else:
            fixed = spec_op.header
            assert spec_op.value is not None  # (a notification has no do or dump)
            mtype, base, schema = spec_op.value, {}, self._by_type.get(spec_op.value)
        if fixed is not None:
            taken = set(attr_set.spec_names.values()) if attr_set is not None else set()
            members = set(getattr(fixed.record, "_fields", ())) - set(base)
            for key in list(values):
                if str(key).replace("-", "_") in members and key not in taken:
                    fields.setdefault(str(key).replace("-", "_"), values.pop(key))
        hdr = fixed.new(**base, **fields) if fixed is not None else None
        body = None
        if values or attr_set is not None:
            if attr_set is None:
                raise EncodeError(f"{self.spec.name} {op}: takes no attributes")
            with self._spec_errors(op, None, attr_set):
                body = Attrs(attr_set, values, header=hdr)
            names = self.request_names(op, mode)
            allowed = {attr_set.type_of(n) for n in names if n in attr_set.spec_names.values()} if names else set()
            for atype in dict.fromkeys(item[0] for item in body._items):
                if names is not None and atype not in allowed:
                    taken_names = ", ".join(attr_set.spec_name(t) for t in sorted(allowed)) or "none"
                    fixed_names = [n for n in names or () if n not in attr_set.spec_names.values()]
                    if fixed_names and fixed is not None:
                        taken_names += f"; {fixed.name} fields: {', '.join(fixed_names)}"
                    where = attr_set.spec_name(atype)
                    raise EncodeError(
                        f"{where}: {where!r} is not in the {mode} request of {self.spec.name} {op} "
                        f"(it takes: {taken_names})", field=where)
        return Message(mtype, flags, header=hdr, attrs=body, schema=schema, protocol=self.PROTOCOL)

    @contextlib.contextmanager
    def _spec_errors(self, op: str, schema: MessageSchema | None, attr_set: AttrSet | None) -> Iterator[None]:
        """Errors of a spec-driven request named by the spec's names as well
        (:func:`~nlwire.codec.spec_path`, :func:`~nlwire.codec.missing_attr_name`)."""
        try:
            yield
        except NetlinkError as err:
            raise self._spec_named(err, schema) from None
        except EncodeError as err:
            if err.field is None or attr_set is None or err.field not in str(err):
                raise
            named = spec_path(err.field, attr_set)
            why = str(err).split(err.field, 1)[1]
            raise EncodeError(f"{self.spec.name} {op}: {named}{why}", field=named) from None

    def _spec_named(self, err: NetlinkError, schema: MessageSchema | None) -> NetlinkError:
        raw, ext = err.request_bytes, err.ext_ack
        if raw is None or ext is None or schema is None or schema.attrs is None:
            return err
        genl = self.socket.genl
        path = None
        if ext.offset is not None:
            found = attr_path_at(raw, ext.offset, self.PROTOCOL, genl=genl, schema=schema)
            path = spec_path(found, schema.attrs) if found is not None else None
        missing = None
        if ext.miss_type is not None:
            missing = missing_attr_name(raw, int(ext.miss_type), ext.miss_nest, self.PROTOCOL, genl=genl,
                                        schema=schema, style="spec")
        if path is None and missing is None:
            return err
        return err.spec_named(path, missing)

    def result(self, msg: Message) -> dict[str, Any]:
        """A reply or notification as a dict keyed by spec names: the fields of its fixed
        header (after ``genlmsghdr`` for a generic family) and its attributes (an
        attribute named as a header field wins: rt_addr's 32-bit ``ifa-flags``); the
        members of a struct inside an attribute by their spec names too (rt_addr's
        ``ifa-cacheinfo``: ``ifa-prefered``, ``ifa-valid``, ``cstamp``, ``tstamp``)."""
        if self.genl_spec is None:
            schema = self._by_type.get(msg.type)
            if schema is not None and msg.schema is not schema:
                msg = decode_message(encode(msg), 0, self.PROTOCOL, schema=schema)
        out: dict[str, Any] = {}
        names = self.spec.field_names
        header = msg.header
        if header is not None and hasattr(header, "_asdict"):
            skip = ("cmd", "version") if self.genl_spec is not None else ()
            out.update((names.get(k, k), v) for k, v in header._asdict().items() if k not in skip)
        if msg.attrs is not None:
            out.update((k, _spec_keys(v, names)) for k, v in msg.attrs.to_dict().items())
        return out

    def do(
        self, op: str, attrs: Mapping[str, Any] | None = None, *, header: Mapping[str, Any] | None = None,
        flags: int = 0, timeout: float | None = _UNSET,
    ) -> dict[str, Any] | None:
        """Run operation ``op`` as a do: its reply as a dict (:meth:`result`), or None when
        the kernel only acknowledged it. ``flags``: NLM_F_* to add (``NLM_F.CREATE``)."""
        msg = self.message(op, attrs, header=header, flags=flags)
        with self._spec_errors(op, msg.schema, msg.attrs.attr_set if msg.attrs is not None else None):
            reply = self.socket.request(msg, timeout=timeout)
        if reply.type == NLMSG.ERROR:
            return None
        return self.result(reply)

    def dump(  # type: ignore[override]
        self, op: str, attrs: Mapping[str, Any] | None = None, *, header: Mapping[str, Any] | None = None,
        timeout: float | None = _UNSET,
    ) -> Iterator[dict[str, Any]]:
        """Run operation ``op`` as a dump: each reply as a dict (:meth:`result`)."""
        msg = self.message(op, attrs, mode="dump", header=header)
        return self._dumped(msg, self._op(op), timeout)

    def _dumped(self, msg: Message, spec_op: SpecOp, timeout: float | None) -> Iterator[dict[str, Any]]:
        with self._spec_errors(spec_op.name, msg.schema, msg.attrs.attr_set if msg.attrs is not None else None):
            reply_type = spec_op.reply_value
            schema = self._by_type.get(reply_type) if reply_type is not None else None
            if self.genl_spec is None and schema is not None:
                protocol, known = self.PROTOCOL, schema

                def build(data: bytes, offset: int) -> dict[str, Any]:
                    return self.result(decode_message(data, offset, protocol, schema=known))

                yield from self.socket.dump(msg, timeout=timeout, build=build)
            else:
                for m in self.socket.dump(msg, timeout=timeout):
                    yield self.result(m)

    def subscribe(self, *groups: str) -> None:
        """Join the family's multicast groups by their spec names."""
        if self.genl_spec is not None:
            super().subscribe(self.genl_spec.name, *groups)
            return
        ids = []
        for g in groups:
            number = self.spec.mcast_groups.get(g)
            if number is None:
                has = sorted(self.spec.mcast_groups)
                raise ValueError(f"{self.spec.name} has no multicast group {g!r} (has {has})")
            ids.append(number)
        self.socket.subscribe(*ids)

    def ops(self) -> list[str]:
        """The spec's operations, in its order."""
        return list(self.spec.ops)


SpecClient = SpecGenl
"""The spec client by the name that says it serves every spec (generic and netlink-raw)."""
