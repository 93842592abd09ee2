"""What the dissector's two output paths share: a scanned record (:class:`Pre`), its
requests (:class:`Req`), the output filter (:class:`Filter`), and the nodes both paths
build alike (:func:`message_node`: a message's node with its request/reply links, where the
fast paths fall back to the tree; :meth:`Pre.padding_node`; :meth:`Pre.problems_shown`).

:class:`~dissect.netlink.dissector.Dissector` scans records into :class:`Pre` and builds
frame dicts from them; :class:`~dissect.netlink.fastframe.FrameWriter` writes the same
frames as text from them, reading the dissector through :class:`Source` only.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

from dissect.netlink.cooked import Link
from dissect.netlink.pcap import Record
from dissect.netlink.render import Frame
from dissect.netlink.tree import Node, build_message, find_deepest, problem
from nlwire.codec import missing_attr_name
from nlwire.consts import NETLINK, NLMSG
from nlwire.wire.registry import GenlIds, lookup, type_name

__all__ = ["CHUNK", "Filter", "Frame", "MsgHead", "Pre", "Req", "Source", "batches", "message_node"]

CHUNK = 1024
"""Messages a frame's text is written in pieces of (see :meth:`FrameWriter.chunks
<dissect.netlink.fastframe.FrameWriter.chunks>`)."""
_LE = struct.Struct("<IHHII").unpack_from


class Req:
    """A request seen in the capture, waiting for its replies."""

    __slots__ = ("anns", "cls", "data", "flags", "frame", "index", "mtype", "pid", "replies")

    def __init__(self, frame: int, mtype: int, flags: int, data: bytes | None, cls: str) -> None:
        self.frame = frame
        self.mtype = mtype
        self.flags = flags
        self.pid: int | None = None
        self.replies: list[int] = []
        self.data = data
        self.cls = cls
        # where its annotation is (its record's ``Pre.anns``, index): swapped for the
        # shared one of an unanswered request when it can no longer be answered
        self.anns: list[dict[str, Any]] | None = None
        self.index = 0


MsgHead = tuple[int, int, int, int, int, int]
"""A message's (offset, end, nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid) in its record."""


class Pre:
    """A record in the window: raw bytes plus the results of the header scan.

    Its cost per message is two machine words, whatever the number of messages: the
    messages' offsets (an ``array``; :meth:`messages` reads their headers again) and one
    reference per message to its annotation, a dict shared by every message annotated
    alike (the dump replies of one request, the notifications, the unanswered requests)."""

    __slots__ = ("anns", "learns", "link", "number", "offsets", "padding", "problems", "record")

    def __init__(self, number: int, record: Record, link: Link) -> None:
        self.number = number
        self.record = record
        self.link = link
        self.offsets = array("I")
        self.anns: list[dict[str, Any]] = []
        self.padding: tuple[int, int] | None = None
        self.problems: list[dict[str, str]] = []
        self.learns: list[int] | None = None
        """Where its CTRL_CMD_NEWFAMILY messages start (None: it has none): the generic family
        ids they name are learned as the record leaves the window."""

    def messages(self) -> Iterable[MsgHead]:
        """Each message's header fields, as the scan found them (the last one may run past
        the record's end: its ``end`` is the record's). Read as they are iterated, so a
        record of many messages never holds them all; a record of one message (most) gets
        a 1-tuple, without a generator."""
        offsets = self.offsets
        if len(offsets) == 1:
            data = self.record.data
            off = offsets[0]
            ln, mtype, flags, seq, pid = _LE(data, off)
            end = off + ln
            return ((off, end if end <= len(data) else len(data), mtype, flags, seq, pid),)
        return self._read_messages()

    def _read_messages(self) -> Iterator[MsgHead]:
        """:meth:`messages` of a record of any number of messages."""
        data = self.record.data
        size = len(data)
        for off in self.offsets:
            ln, mtype, flags, seq, pid = _LE(data, off)
            end = off + ln
            yield off, end if end <= size else size, mtype, flags, seq, pid

    def problems_shown(self) -> list[dict[str, str]]:
        """The frame's problems: the scan's, and a record cut by the snap length."""
        rec = self.record
        if rec.wirelen > len(rec.data):
            return [
                *self.problems,
                problem("warning", f"record truncated by the snap length: {len(rec.data)} of {rec.wirelen} bytes"),
            ]
        return self.problems

    def padding_node(self) -> Node | None:
        """The node of the bytes after the last message, if any."""
        if self.padding is None:
            return None
        data = self.record.data
        po, pl = self.padding
        zero = not any(data[po : po + pl])
        return {
            "name": "padding",
            "value": None if zero else data[po : po + pl].hex(),
            "show": f"{pl} {'zero ' if zero else ''}bytes after the last message",
            "offset": po,
            "length": pl,
            "children": [],
            "problems": [] if zero else [problem("error", "undecodable bytes after the last message")],
        }


def batches(pre: Pre) -> Iterator[list[tuple[MsgHead, dict[str, Any]]]]:
    """``pre``'s messages and their annotations, ``CHUNK`` at a time."""
    items = zip(pre.messages(), pre.anns, strict=True)
    while True:
        batch = list(islice(items, CHUNK))
        if not batch:
            return
        yield batch


class Filter:
    """Which frames and messages to output."""

    def __init__(
        self,
        *,
        family: int | None = None,
        types: Iterable[str] = (),
        frames: tuple[int, int] | None = None,
        errors_only: bool = False,
    ) -> None:
        self.family = family
        self.types = {t.upper() for t in types}
        self.frames = frames
        self.errors_only = errors_only
        self.matched: set[str] = set()
        """The ``types`` some message had (a name no message had is likely a typo)."""
        self.seen: set[str] = set()
        """Type names of the messages the ``types`` filter looked at (at most 256)."""

    def unmatched(self) -> list[str]:
        """The ``types`` no message had, sorted."""
        return sorted(self.types - self.matched)

    @property
    def on_messages(self) -> bool:
        return bool(self.types) or self.errors_only

    def wants_frame(self, number: int, family: int | None) -> bool:
        """The frame-level filters: ``--frames`` and ``--family``."""
        frames = self.frames
        if frames is not None and not frames[0] <= number <= frames[1]:
            return False
        return self.family is None or family == self.family

    def wants_message(self, data: bytes, off: int, end: int, mtype: int, fam: int, genl: GenlIds) -> bool:
        """The message-level filter ``types`` (``--errors-only`` is decided on the built node)."""
        if self.types:
            # the filter's names are upper-cased; a generic family's name is not (nlctrl)
            name = type_name(fam, mtype, genl).upper()
            seen = self.seen
            if len(seen) < 256:
                seen.add(name)
            if name in self.types:
                self.matched.add(name)
            else:
                cmd = data[off + 16] if fam == NETLINK.GENERIC and end > off + 16 else None
                schema = lookup(fam, mtype, genl, cmd) if mtype >= 16 else None
                if schema is None:
                    return False
                name = schema.name.upper()
                if len(seen) < 256:
                    seen.add(name)
                if name not in self.types:
                    return False
                self.matched.add(name)
        return True  # errors_only: a malformed message counts as an error, so decided after building


class Source(Protocol):
    """What :class:`~dissect.netlink.fastframe.FrameWriter` reads of the dissector whose
    records it writes (a :class:`~dissect.netlink.dissector.Dissector`)."""

    genl: GenlIds
    filter: Filter
    first_time: float | None


def message_node(data: bytes, off: int, end: int, mtype: int, fam: int, ann: dict[str, Any], genl: GenlIds) -> Node:
    """The annotated node of one message (the node path)."""
    try:
        node = build_message(data, off, end, fam, genl)
    except Exception as exc:  # a dissector bug must not end the run: report it on the message
        node = {
            "name": "malformed",
            "value": mtype,
            "show": "not dissected",
            "offset": off,
            "length": end - off,
            "children": [],
            "problems": [problem("error", f"internal dissector error: {exc!r}")],
        }
    node["direction"] = ann["direction"]
    node["role"] = ann.get("role", "")
    req: Req | None = ann.get("_req")
    if node["role"] == "request" and req is not None:
        node["replies_in"] = list(req.replies)
    if "request_in" in ann:
        node["request_in"] = ann["request_in"]
    if ann.get("multicast"):
        node["multicast"] = True
    if "duplicate_of" in ann:
        node["duplicate_of"] = ann["duplicate_of"]
    if mtype == NLMSG.ERROR or mtype == NLMSG.DONE:
        _resolve_offs(node, data, req, fam, genl)
    return node


_OFFSETS = ("NLMSGERR_ATTR_OFFS", "NLMSGERR_ATTR_MISS_NEST")
"""The ext-ack TLVs that hold an offset into the request (an attribute, a nest)."""
_MISS_TYPE = "NLMSGERR_ATTR_MISS_TYPE"


def _resolve_offs(node: Node, data: bytes, req: Req | None, fam: int, genl: GenlIds) -> None:
    """Name what the ext-ack TLVs point at in the request: the attribute NLMSGERR_ATTR_OFFS
    and the nest NLMSGERR_ATTR_MISS_NEST are at (in the echo, else in the request frame),
    and the attribute NLMSGERR_ATTR_MISS_TYPE says is missing, in the set of that nest or
    of the request (:func:`nlwire.codec.missing_attr_name`)."""
    echo = next((c for c in node["children"] if c["name"] == "msg"), None)
    orig: Node | None = None
    for tlv in node["children"]:
        if tlv["name"] not in _OFFSETS or not isinstance(tlv["value"], int):
            continue
        offs = tlv["value"]
        where = None
        target: Node | None = None
        path: list[str] = []
        if echo is not None and offs < echo["length"] and echo["length"] > 16:
            target = find_deepest(echo, echo["offset"] + offs, path)
            where = "in the echoed request"
        elif req is not None and req.data is not None and offs < len(req.data):
            if orig is None:
                orig = build_message(req.data, 0, len(req.data), fam, genl, echo=True)
            target = find_deepest(orig, offs, path)
            where = f"in the request in frame {req.frame}"
        if target is None or where is None:
            tlv["problems"].append(problem("warning", f"offset {offs} is outside the request"))
            continue
        named = ".".join(path)
        tlv["show"] = f"{offs} → {named} ({where})"
        tlv["target"] = named
        if where == "in the echoed request" and tlv["name"] == _OFFS_NAME:
            target["problems"].append(problem("note", "the kernel points here (NLMSGERR_ATTR_OFFS)"))
    miss = next((c for c in node["children"] if c["name"] == _MISS_TYPE and isinstance(c["value"], int)), None)
    if miss is None:
        return
    nest = next((c["value"] for c in node["children"] if c["name"] == _OFFSETS[1]), None)
    if echo is not None and echo["length"] > 16:
        request, where = data[echo["offset"] : echo["offset"] + echo["length"]], "in the echoed request"
    elif req is not None and req.data is not None:
        request, where = req.data, f"in the request in frame {req.frame}"
    else:
        return
    named = missing_attr_name(request, miss["value"], nest if isinstance(nest, int) else None, fam, genl=genl,
                              style="kernel")
    miss["show"] = f"{miss['value']} → {named} ({where})"
    miss["target"] = named


_OFFS_NAME = _OFFSETS[0]
