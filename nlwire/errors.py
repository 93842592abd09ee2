"""The nlwire exception hierarchy.

::

    NlwireError
    ├── DecodeError(ValueError)      .offset (absolute), .path
    │   └── TruncatedError
    ├── EncodeError(ValueError)
    │   └── CheckError               a value the declaration's checks refuse (a spec's min, max-len, ...)
    ├── SpecNotFound(FileNotFoundError)  no kernel YAML spec of that name where nlwire looked
    ├── ProtocolError                unexpected seq, DONE without dump, MSG_TRUNC, spoofed sender
    │   └── DumpInterrupted          NLM_F_DUMP_INTR seen; the caller may retry
    ├── NetlinkError(OSError)        the kernel said no (errno, ext-ack, request)
    │   ├── NotFound                 ENODEV / ENOENT / ESRCH / EADDRNOTAVAIL
    │   ├── Exists                   EEXIST
    │   └── NetlinkPermissionError   EPERM / EACCES (also a PermissionError)
    └── NetlinkTimeout(TimeoutError)
"""

from __future__ import annotations

import errno as _errno
import os
from typing import Any

__all__ = [
    "CheckError",
    "DecodeError",
    "DumpInterrupted",
    "EncodeError",
    "Exists",
    "NetlinkError",
    "NetlinkPermissionError",
    "NetlinkTimeout",
    "NlwireError",
    "NotFound",
    "ProtocolError",
    "SpecNotFound",
    "TruncatedError",
    "errno_name",
    "netlink_error_class",
]


# Where Linux gives one number two names, the one the kernel and iproute2 use.
_PREFERRED = {_errno.EOPNOTSUPP: "EOPNOTSUPP", _errno.EAGAIN: "EAGAIN", _errno.EDEADLK: "EDEADLK"}


def errno_name(code: int) -> str:
    """``errno_name(22) == "EINVAL"``; unknown numbers come back as ``"E<n>"``."""
    code = abs(code)
    return _PREFERRED.get(code) or _errno.errorcode.get(code, f"E{code}")


def _strerror(code: int) -> str:
    try:
        return os.strerror(code)
    except (ValueError, OverflowError):
        return f"Unknown error {code}"


class NlwireError(Exception):
    """Base class of every exception nlwire raises on purpose."""


class DecodeError(NlwireError, ValueError):
    """Bytes that do not follow the netlink wire rules.

    ``offset`` is absolute (from the first byte of the buffer handed to the
    decoder); ``path`` names the element being decoded, e.g.
    ``msg[2].attrs[IFLA.LINKINFO]``.
    """

    def __init__(self, reason: str, offset: int = 0, path: str = "") -> None:
        self.reason = reason
        self.offset = offset
        self.path = path
        where = f" at {path}" if path else ""
        super().__init__(f"{reason}{where} (offset {offset})")


class TruncatedError(DecodeError):
    """The bytes end before the element they describe."""


class EncodeError(NlwireError, ValueError):
    """A value that cannot be put on the wire (wrong type, out of range).

    ``field`` names the value that did not fit, when one did: a fixed header's field
    (``rtmsg.table``) or an attribute (``attrs[RTA.TABLE]``); ``None`` for an error of
    the message's shape (a record of the wrong struct, unknown field names).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_encode_error, (type(self), str(self), self.field))


def _rebuild_encode_error(cls: type[EncodeError], message: str, field: str | None) -> EncodeError:
    return cls(message, field=field)


class CheckError(EncodeError):
    """A value of the right type that its declaration's checks refuse: a spec's ``min``,
    ``max``, ``min-len``, ``max-len`` or ``exact-len`` (what the kernel's policy takes),
    or a hand declaration's length bound (IFNAMSIZ). Checks apply to what is sent: a
    decode reads whatever the kernel sent, so a received message whose values the checks
    refuse decodes, and its re-encode raises this."""


class SpecNotFound(NlwireError, FileNotFoundError):
    """No YAML netlink spec of that name in the places searched (``searched``: the
    directories, in order); the message says which package provides the specs."""

    def __init__(self, name: str, searched: list[str], hint: str) -> None:
        self.name = name
        self.searched = searched
        where = ", ".join(searched) if searched else "(no spec directory exists)"
        super().__init__(f"no netlink spec {name!r} (searched: {where}); {hint}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_spec_not_found, (self.name, self.searched, str(self)))


def _rebuild_spec_not_found(name: str, searched: list[str], message: str) -> SpecNotFound:
    err = SpecNotFound.__new__(SpecNotFound)
    err.name, err.searched = name, searched
    Exception.__init__(err, message)
    return err


class ProtocolError(NlwireError):
    """The peer broke the netlink protocol (bad sequence, MSG_TRUNC, ...)."""


class DumpInterrupted(ProtocolError):
    """A dump reply carried NLM_F_DUMP_INTR: the data changed during the dump.

    ``messages`` holds how many messages the interrupted dump delivered.
    """

    def __init__(self, message: str = "dump interrupted (NLM_F_DUMP_INTR)", messages: int = 0) -> None:
        self.messages = messages
        super().__init__(message)


class NetlinkError(NlwireError, OSError):
    """The kernel answered a request with a negative error code.

    ``errno`` is positive (``errno.EINVAL``); ``ext_ack`` is the decoded
    extended ACK (:class:`nlwire.messages.ExtAck` or ``None``); ``request`` is
    the message that was sent, decoded (:class:`nlwire.messages.Message`), and
    ``request_bytes`` the same request as sent, when known; ``attr_path`` names
    the offending attribute of the request when the kernel reported an offset;
    ``subject`` names the object the caller asked about (``nosuch0``), and then
    the message names it rather than the request: ``nosuch0: No such device (ENODEV)``.
    A request made by the kernel's YAML spec of its family (:class:`~nlwire.genl.SpecGenl`)
    also names the offending attribute and a missing one by the spec's names,
    ``spec_path`` (``header.dev-name``) and ``missing_spec`` (``ifindex (in set dev)``),
    and its message uses them.
    """

    def __init__(
        self,
        code: int,
        *,
        request_name: str = "",
        ext_ack: Any = None,
        request: Any = None,
        request_bytes: bytes | None = None,
        attr_path: str | None = None,
        subject: str = "",
        spec_path: str | None = None,
        missing_spec: str | None = None,
    ) -> None:
        code = abs(code)
        self.spec_path = spec_path
        self.missing_spec = missing_spec
        self.ext_ack = ext_ack
        self.request = request
        self.request_bytes = request_bytes
        self.request_name = request_name
        self.attr_path = attr_path
        self.subject = subject
        kernel_msg = getattr(ext_ack, "msg", None)
        text = kernel_msg or _strerror(code)
        about = subject or request_name
        parts = f"{about}: " if about else ""
        parts += f"{text} ({errno_name(code)})"
        if spec_path or attr_path:
            parts += f" at {spec_path or attr_path}"
        else:
            missing = missing_spec or getattr(ext_ack, "missing_name", None)
            if missing:
                parts += f", missing {missing}"
        super().__init__(code, parts)

    def __str__(self) -> str:
        return str(self.strerror)

    def about(self, subject: str) -> NetlinkError:
        """The same error (class, errno, ext-ack, request), told about ``subject``:
        what a job raises when its own lookup of the caller's object fails."""
        return self._again(subject, self.spec_path, self.missing_spec)

    def spec_named(self, spec_path: str | None, missing_spec: str | None) -> NetlinkError:
        """The same error, its attributes also named by a spec's names (see the class)."""
        return self._again(self.subject, spec_path, missing_spec)

    def _again(self, subject: str, spec_path: str | None, missing_spec: str | None) -> NetlinkError:
        return type(self)(
            self.errno or 0, request_name=self.request_name, ext_ack=self.ext_ack, request=self.request,
            request_bytes=self.request_bytes, attr_path=self.attr_path, subject=subject, spec_path=spec_path,
            missing_spec=missing_spec,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # the decoded request stays behind (its schema is not picklable): request_bytes has it
        ext_ack = self.ext_ack
        if ext_ack is not None:
            try:
                ext_ack.attrs.encode()  # (how an ExtAck pickles)
            except NlwireError:  # a TLV that does not encode again: the text below keeps its words
                ext_ack = None
        return (
            _rebuild_netlink_error,
            (type(self), self.errno, self.request_name, self.attr_path, self.request_bytes, self.subject, ext_ack,
             self.strerror, self.spec_path, self.missing_spec),
        )


def _rebuild_netlink_error(
    cls: type[NetlinkError],
    code: int,
    name: str,
    path: str | None,
    raw: bytes | None = None,
    subject: str = "",
    ext_ack: Any = None,
    text: str | None = None,
    spec_path: str | None = None,
    missing_spec: str | None = None,
) -> NetlinkError:
    err = cls(code, request_name=name, attr_path=path, request_bytes=raw, subject=subject, ext_ack=ext_ack,
              spec_path=spec_path, missing_spec=missing_spec)
    if text is not None:
        err.strerror = text
    return err


class NotFound(NetlinkError):
    """The object asked for does not exist (ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL)."""


class Exists(NetlinkError):
    """The object to create exists already (EEXIST)."""


class NetlinkPermissionError(NetlinkError, PermissionError):
    """The caller may not do this (EPERM, EACCES): no CAP_NET_ADMIN in the socket's
    network namespace, most often. Also a :class:`PermissionError`."""


NOT_FOUND_ERRNOS = frozenset({_errno.ENODEV, _errno.ENOENT, _errno.ESRCH, _errno.EADDRNOTAVAIL})
"""Error codes that mean "no such object" and raise :class:`NotFound`."""

_CLASS_OF: dict[int, type[NetlinkError]] = {
    **dict.fromkeys(NOT_FOUND_ERRNOS, NotFound),
    _errno.EEXIST: Exists,
    _errno.EPERM: NetlinkPermissionError,
    _errno.EACCES: NetlinkPermissionError,
}


def netlink_error_class(code: int) -> type[NetlinkError]:
    """The :class:`NetlinkError` subclass the kernel's error ``code`` (either sign) raises."""
    return _CLASS_OF.get(abs(code), NetlinkError)


class NetlinkTimeout(NlwireError, TimeoutError):
    """No complete answer arrived before the deadline."""
