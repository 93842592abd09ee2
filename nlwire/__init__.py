"""nlwire: a synchronous Linux netlink toolkit.

Declarative schemas (:mod:`nlwire.wire`), a codec (:func:`decode`,
:func:`encode`), typed messages, and the exception hierarchy.
"""

from nlwire.codec import attr_path_at, decode, decode_message, encode, encode_many, iter_decode
from nlwire.errors import (
    DecodeError,
    DumpInterrupted,
    EncodeError,
    Exists,
    NetlinkError,
    NetlinkTimeout,
    NlwireError,
    NotFound,
    ProtocolError,
    TruncatedError,
)
from nlwire.messages import ExtAck, Message
from nlwire.wire import Attrs, AttrSet, GenlIds

__version__ = "0.1.0"

__all__ = [
    "AttrSet",
    "Attrs",
    "DecodeError",
    "DumpInterrupted",
    "EncodeError",
    "Exists",
    "ExtAck",
    "GenlIds",
    "Message",
    "NetlinkError",
    "NetlinkTimeout",
    "NlwireError",
    "NotFound",
    "ProtocolError",
    "TruncatedError",
    "__version__",
    "attr_path_at",
    "decode",
    "decode_message",
    "encode",
    "encode_many",
    "iter_decode",
]
