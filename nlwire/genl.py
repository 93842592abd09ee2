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
:class:`SpecGenl` drives a family by the kernel's YAML spec of it instead
(:mod:`nlwire.wire.specs`): operations, attributes and groups by their spec names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from nlwire.client import _UNSET, DEFAULT_TIMEOUT, Overrun, Socket, SocketJobs
from nlwire.consts import CTRL_ATTR, CTRL_ATTR_MCAST_GRP, CTRL_ATTR_OP, CTRL_CMD, GENL_ID, NETLINK, NLMSG
from nlwire.errors import EncodeError, NotFound
from nlwire.messages import Message
from nlwire.netns import NetnsTarget
from nlwire.wire.attrs import Attrs
from nlwire.wire.genetlink import CTRL_ATTRS, GENL_FAMILIES, GENLMSGHDR, GenlFamilySpec
from nlwire.wire.registry import lookup
from nlwire.wire.specs import load_spec

__all__ = ["Genl", "GenlFamily", "GenlOp", "SpecGenl"]


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

    PROTOCOL = NETLINK.GENERIC

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


class SpecGenl(Genl):
    """A generic family driven by the kernel's YAML spec of it (:mod:`nlwire.wire.specs`):
    ``SpecGenl(family, netns=None, *, spec_path=None, timeout=10.0, capture=None, sock=None, **socket_options)``.

    >>> with SpecGenl("ethtool", netns="blue") as ethtool:               # doctest: +SKIP
    ...     ethtool.do("linkinfo-get", {"header": {"dev-name": "veth0"}})
    {'header': {'dev-index': 2, 'dev-name': 'veth0'}, 'port': 239, ...}

    Operations, attributes and multicast groups are called by their spec names; values go
    in and come out as dicts keyed by them (:meth:`~nlwire.wire.attrs.Attrs.to_dict`). The
    family id is resolved through nlctrl on first use. Errors are the socket's
    (:class:`~nlwire.errors.NetlinkError` naming the offending attribute's path and a
    missing attribute); a spec not installed raises :class:`~nlwire.errors.SpecNotFound`
    before any socket opens.
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
        if self.spec.genl is None:
            raise ValueError(f"{family}: a {self.spec.protocol} spec, not a generic netlink family")
        self.genl_spec: GenlFamilySpec = self.spec.genl
        super().__init__(netns, timeout=timeout, capture=capture, sock=sock, **socket_options)

    def _learn(self, fam: GenlFamily) -> GenlFamily:
        self._families[fam.name] = fam
        if self.socket.genl is not None:
            # this socket's messages of the family decode by the spec, whatever is registered
            self.socket.genl.learn(fam.id, fam.name, self.genl_spec if fam.name == self.genl_spec.name else None)
        return fam

    @property
    def info(self) -> GenlFamily:
        """The family as the kernel describes it (id, version, groups); resolved once."""
        return self.family(self.genl_spec.name)

    def message(  # type: ignore[override]
        self, op: str, attrs: Mapping[str, Any] | None = None, *, mode: str = "do",
        header: Mapping[str, Any] | None = None, flags: int = 0,
    ) -> Message:
        """The request of operation ``op`` (``mode``: ``do`` or ``dump``) with ``attrs`` keyed
        by spec names; ``header``: the fields of the family's fixed header, if it has one.
        EncodeError for an attribute the operation's request does not take."""
        spec_op = self.genl_spec.op_named(op)
        allowed = spec_op.subsets.get(f"{mode}-request")
        if f"{mode}-request" not in spec_op.subsets and f"{mode}-reply" not in spec_op.subsets:
            modes = sorted({k.split("-")[0] for k in spec_op.subsets if k != "event"})
            raise ValueError(f"{self.genl_spec.name} {op}: no {mode} (has {', '.join(modes) or 'none'})")
        fam = self.info
        fixed = spec_op.header or self.genl_spec.header
        hdr = fixed.new(cmd=spec_op.cmd, version=fam.version, **dict(header or {}))
        body = None
        if attrs is not None or spec_op.attrs is not None:
            if spec_op.attrs is None:
                raise EncodeError(f"{self.genl_spec.name} {op}: takes no attributes")
            body = Attrs(spec_op.attrs, attrs or {}, header=hdr)
            for atype in dict.fromkeys(item[0] for item in body._items):
                if allowed is not None and atype not in allowed:
                    names = ", ".join(spec_op.attrs.spec_name(t) for t in sorted(allowed)) or "none"
                    where = f"attrs[{spec_op.attrs.name_of(atype)}]"
                    raise EncodeError(
                        f"{where}: {spec_op.attrs.spec_name(atype)!r} is not in the {mode} request of "
                        f"{self.genl_spec.name} {op} (it takes: {names})", field=where)
        schema = lookup(NETLINK.GENERIC, fam.id, self.socket.genl, spec_op.cmd, True)
        return Message(fam.id, flags, header=hdr, attrs=body, schema=schema)

    def result(self, msg: Message) -> dict[str, Any]:
        """A reply or notification as a dict keyed by spec names: its attributes, and the
        fields of the family's fixed header after ``genlmsghdr`` when it has one."""
        out: dict[str, Any] = {}
        header = msg.header
        if header is not None and hasattr(header, "_asdict"):
            out.update((k, v) for k, v in header._asdict().items() if k not in ("cmd", "version"))
        out.update(msg.attrs.to_dict() if msg.attrs is not None else {})
        return out

    def do(
        self, op: str, attrs: Mapping[str, Any] | None = None, *, header: Mapping[str, Any] | None = None,
        flags: int = 0, timeout: float | None = _UNSET,
    ) -> dict[str, Any] | None:
        """Run operation ``op`` as a do: its reply as a dict (:meth:`result`), or None when
        the kernel only acknowledged it."""
        reply = self.socket.request(self.message(op, attrs, header=header, flags=flags), timeout=timeout)
        if reply.type == NLMSG.ERROR:
            return None
        return self.result(reply)

    def dump(  # type: ignore[override]
        self, op: str, attrs: Mapping[str, Any] | None = None, *, header: Mapping[str, Any] | None = None,
        timeout: float | None = _UNSET,
    ) -> Iterator[dict[str, Any]]:
        """Run operation ``op`` as a dump: each reply as a dict (:meth:`result`)."""
        msg = self.message(op, attrs, mode="dump", header=header)
        return (self.result(m) for m in self.socket.dump(msg, timeout=timeout))

    def subscribe(self, *groups: str) -> None:
        """Join the family's multicast groups by their spec names."""
        super().subscribe(self.genl_spec.name, *groups)

    def ops(self) -> list[str]:
        """The spec's operations, in its order."""
        return [op.name for op in self.genl_spec.ops]
