"""nlwire: a synchronous Linux netlink toolkit.

Declarative schemas (:mod:`nlwire.wire`), a codec (:func:`decode`,
:func:`encode`), typed messages, the exception hierarchy, and the blocking
client: :class:`Socket`, :class:`Rtnl`, :class:`Genl`, :class:`SockDiag`, :func:`with_netns`; generic
families from the kernel's YAML specs: :class:`SpecGenl`, :func:`load_spec`.
Every name loads on first use, so ``import nlwire`` stays cheap.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlwire.client import Overrun, Socket
    from nlwire.codec import attr_path_at, decode, decode_message, encode, encode_many, iter_decode
    from nlwire.errors import (
        CheckError,
        DecodeError,
        DumpInterrupted,
        EncodeError,
        Exists,
        NetlinkError,
        NetlinkPermissionError,
        NetlinkTimeout,
        NlwireError,
        NotFound,
        ProtocolError,
        SpecNotFound,
        TruncatedError,
    )
    from nlwire.genl import Genl, GenlFamily, GenlOp, SpecClient, SpecGenl
    from nlwire.messages import ExtAck, Message
    from nlwire.netns import NetnsFd, with_netns
    from nlwire.rtnl import Address, Event, Link, Neighbour, Nexthop, Route, Rtnl, Rule
    from nlwire.sock_diag import NetlinkSock, Sock, SockDiag, UnixSock
    from nlwire.wire import Attrs, AttrSet, GenlIds
    from nlwire.wire.specs import load_spec

__version__ = "0.1.0"

_LAZY = {
    **dict.fromkeys(
        ("attr_path_at", "decode", "decode_message", "encode", "encode_many", "iter_decode"), "nlwire.codec"
    ),
    **dict.fromkeys(
        (
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
        ),
        "nlwire.errors",
    ),
    **dict.fromkeys(("ExtAck", "Message"), "nlwire.messages"),
    **dict.fromkeys(("Attrs", "AttrSet", "GenlIds"), "nlwire.wire"),
    **dict.fromkeys(("Address", "Event", "Link", "Neighbour", "Nexthop", "Route", "Rtnl", "Rule"), "nlwire.rtnl"),
    **dict.fromkeys(("Genl", "GenlFamily", "GenlOp", "SpecClient", "SpecGenl"), "nlwire.genl"),
    "load_spec": "nlwire.wire.specs",
    **dict.fromkeys(("NetnsFd", "with_netns"), "nlwire.netns"),
    **dict.fromkeys(("Overrun", "Socket"), "nlwire.client"),
    **dict.fromkeys(("NetlinkSock", "Sock", "SockDiag", "UnixSock"), "nlwire.sock_diag"),
}
"""Where each public name lives: every name loads on first use (a module ``__getattr__``), so
``import nlwire`` costs nothing and a command (``nlwire dissect``) imports only the modules
it uses."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nlwire' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Address",
    "AttrSet",
    "Attrs",
    "CheckError",
    "DecodeError",
    "DumpInterrupted",
    "EncodeError",
    "Event",
    "Exists",
    "ExtAck",
    "Genl",
    "GenlFamily",
    "GenlIds",
    "GenlOp",
    "Link",
    "Message",
    "Neighbour",
    "NetlinkError",
    "NetlinkPermissionError",
    "NetlinkTimeout",
    "NetlinkSock",
    "NetnsFd",
    "Nexthop",
    "NlwireError",
    "NotFound",
    "Overrun",
    "ProtocolError",
    "Route",
    "Rtnl",
    "Rule",
    "Sock",
    "SockDiag",
    "Socket",
    "SpecClient",
    "SpecGenl",
    "SpecNotFound",
    "TruncatedError",
    "UnixSock",
    "__version__",
    "attr_path_at",
    "decode",
    "decode_message",
    "encode",
    "encode_many",
    "iter_decode",
    "load_spec",
    "with_netns",
]
