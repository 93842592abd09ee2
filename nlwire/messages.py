"""Netlink messages as Python values: what :mod:`nlwire.codec` decodes to and
encodes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from nlwire.consts import NLM_F, NLMSG, NLMSGERR_ATTR
from nlwire.errors import DecodeError, errno_name
from nlwire.wire.attrs import Attrs
from nlwire.wire.fixed import Record
from nlwire.wire.registry import MessageSchema

__all__ = ["ExtAck", "Message"]


@dataclass(frozen=True, slots=True)
class ExtAck:
    """The extended ACK TLVs of an NLMSG_ERROR or NLMSG_DONE (NLMSGERR_ATTR_*)."""

    attrs: Attrs

    def _get(self, atype: int) -> Any:
        # Error reporting must not fail on a malformed TLV: a value that does not
        # decode reads as absent (it stays visible, raw, through ``attrs``).
        try:
            return self.attrs.get(atype)
        except DecodeError:
            return None

    @property
    def msg(self) -> str | None:
        """NLMSGERR_ATTR_MSG: the kernel's human-readable text."""
        value: str | None = self._get(NLMSGERR_ATTR.MSG)
        return value

    @property
    def offset(self) -> int | None:
        """NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request."""
        value: int | None = self._get(NLMSGERR_ATTR.OFFS)
        return value

    @property
    def cookie(self) -> bytes | None:
        value: bytes | None = self._get(NLMSGERR_ATTR.COOKIE)
        return value

    @property
    def policy(self) -> Attrs | None:
        """NLMSGERR_ATTR_POLICY: the violated policy (NL_POLICY_TYPE_ATTR_*)."""
        value: Attrs | None = self._get(NLMSGERR_ATTR.POLICY)
        return value

    @property
    def miss_type(self) -> int | None:
        """NLMSGERR_ATTR_MISS_TYPE: the type of a required attribute that was missing."""
        value: int | None = self._get(NLMSGERR_ATTR.MISS_TYPE)
        return value

    @property
    def miss_nest(self) -> int | None:
        """NLMSGERR_ATTR_MISS_NEST: offset of the nest that lacked it."""
        value: int | None = self._get(NLMSGERR_ATTR.MISS_NEST)
        return value

    missing_name: str | None = field(default=None, compare=False)
    """The missing attribute's name, when the request's schema knows it."""

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its TLVs' bytes (an AttrSet is not picklable): a NetlinkError that
        # crosses a process keeps the kernel's message, offset and missing attribute
        return (_rebuild_ext_ack, (self.attrs.encode(), self.missing_name))


def _rebuild_ext_ack(raw: bytes, missing_name: str | None) -> ExtAck:
    from nlwire.wire.netlink import NLMSGERR_ATTRS

    return ExtAck(Attrs.from_bytes(NLMSGERR_ATTRS, raw, path="ext_ack"), missing_name)


class Message(NamedTuple):
    """One netlink message (immutable).

    ``type``/``flags``/``seq``/``pid`` are the nlmsghdr fields; ``header`` the
    fixed header record (``ifinfomsg`` ...); ``attrs`` the attributes;
    ``payload`` bytes nlwire has no schema for. NLMSG_ERROR and NLMSG_DONE
    carry ``error`` (0 or a negative errno), ``echo`` (the request the kernel
    echoed: whole, or only its nlmsghdr when NLM_F_CAPPED) and ``ext_ack``.

    Equality compares the message, not where it was decoded from: ``schema``,
    ``offset`` and ``len`` are left out. (A named tuple rather than a frozen
    dataclass: building one costs a tenth as much, and decoding builds many.)
    ``repr()`` shows the header as its record does, with the values of fields its
    declaration gives an enum named: ``IfAddrMsg(family=AF.INET, ..., scope=RT_SCOPE.HOST, ...)``.
    """

    type: int
    flags: int = 0
    seq: int = 0
    pid: int = 0
    header: Record | None = None
    attrs: Attrs | None = None
    payload: bytes = b""
    error: int | None = None
    echo: Message | None = None
    ext_ack: ExtAck | None = None
    protocol: int = 0
    schema: MessageSchema | None = None
    offset: int = 0
    """Offset of the nlmsghdr in the datagram it was decoded from."""
    len: int = 0
    """nlmsg_len as received (0 for messages built in Python)."""
    nsid: int | None = None
    """For a notification from a peer namespace (a socket with NETLINK_LISTEN_ALL_NSID):
    the id that namespace has in the socket's (``ip netns set``); None for the socket's own
    namespace, as ``ip monitor all-nsid`` prints ``[nsid current]``. Not compared."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self[:_COMPARED] == other[:_COMPARED]

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self[:_COMPARED] != other[:_COMPARED]

    def __hash__(self) -> int:
        return hash(self[:_COMPARED])

    def __repr__(self) -> str:
        body = ", ".join(
            f"{name}={value!r}"
            for name, value, default in zip(self._fields[:_COMPARED], self, _DEFAULTS, strict=False)
            if name == "type" or value != default
        )
        return f"Message({body}, len={self.len})"

    @property
    def name(self) -> str:
        """``RTM_NEWLINK``, ``NLMSG_ERROR``, ``CTRL_CMD_NEWFAMILY``..."""
        if self.schema is not None:
            return self.schema.name
        if self.type < NLMSG.MIN_TYPE:
            try:
                return f"NLMSG_{NLMSG(self.type).name}"
            except ValueError:
                pass
        return str(self.type)

    @property
    def is_error(self) -> bool:
        """An NLMSG_ERROR with a non-zero code, or an NLMSG_DONE carrying one."""
        return bool(self.error)

    @property
    def is_ack(self) -> bool:
        return self.type == NLMSG.ERROR and self.error == 0

    @property
    def errno_name(self) -> str | None:
        return errno_name(self.error) if self.error else None

    @property
    def multi(self) -> bool:
        return bool(self.flags & NLM_F.MULTI)

    def replace(self, **changes: Any) -> Message:
        """A copy with some fields changed (``msg.replace(seq=7)``)."""
        return self._replace(**changes)


_COMPARED = Message._fields.index("schema")
_DEFAULTS = (None, 0, 0, 0, None, None, b"", None, None, None, 0)
