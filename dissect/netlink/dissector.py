"""From capture records to annotated frames, streaming, with request/reply correlation.

Two passes over a *bounded window* of frames:

1. **scan** (as a record enters the window): walk only the nlmsghdrs (a few
   struct unpacks per message), infer each message's direction and role, and
   link replies, ACKs, errors and notifications to the request they answer
   (matched by netlink family, ``nlmsg_seq`` and the replier's port id), and
   note the CTRL_CMD_NEWFAMILY messages (the generic family ids they name are learned
   as their record leaves the window: each frame is named as of its place). A request's reply list is
   shared with later frames, so it fills in while the request still sits in the
   window. Every record read is scanned, whatever the filters: they choose what
   is output, not what is known.
2. **output** (as a frame leaves the window): build the full tree
   (:meth:`Dissector.frames`), or write the frame's text / summary / JSON line
   straight from its bytes (:meth:`Dissector.render`, what ``nlwire dissect``
   and ``nlwire monitor`` use; byte-identical to rendering the tree).

So a frame is printed knowing every reply that arrived within the next
``window`` frames (default 1000, at most ``window_bytes`` of raw records), and
memory stays bounded however long the capture is: the window holds raw
records only, the table of recent requests is LRU-bounded, and duplicate
detection keeps one record.

nlmon records one copy of a multicast notification per listening socket, back to
back: a record whose netlink bytes equal those of the record just before it (same
family and netlink bytes), where that record holds a multicast message,
has its multicast messages marked ``duplicate_of`` the first record of that run of
copies. The same event repeated later (``ip addr add``, ``del``, ``add``) is not a
copy: another record came between. So a record is compared with the one just before
only (whose bytes are kept: one record, whatever the run's length), lengths first.
"""

from __future__ import annotations

import struct
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dissect.netlink.cooked import LINKTYPE_LINUX_SLL2, Link, parse_link
from dissect.netlink.fastframe import FrameWriter
from dissect.netlink.frames import Filter, Frame, Pre, Req, message_node
from dissect.netlink.pcap import Record
from dissect.netlink.render import Style
from dissect.netlink.tree import Node, family_name, learn_family, problem
from nlwire.consts import CTRL_CMD, GENL_ID, NETLINK, NLM_F, NLMSG
from nlwire.wire.genetlink import GenlFamilySpec
from nlwire.wire.registry import GenlIds, message_class

__all__ = ["Dissector", "Filter", "Frame", "installed_spec"]

_LE = struct.Struct("<IHHII").unpack_from
_BE32 = struct.Struct(">I").unpack_from
_I32 = struct.Struct("<i").unpack_from
_MAX_PENDING = 1024
_MAX_KEPT_REQUEST = 16384
_MAX_SHARED = 4096
_REQUEST = int(NLM_F.REQUEST)
_MULTI = int(NLM_F.MULTI)
_ECHO = int(NLM_F.ECHO)
_ERROR = int(NLMSG.ERROR)
_DONE = int(NLMSG.DONE)
_GENERIC = int(NETLINK.GENERIC)
_CTRL = int(GENL_ID.CTRL)
_NEWFAMILY = int(CTRL_CMD.NEWFAMILY)


def installed_spec(name: str) -> GenlFamilySpec | None:
    """The generic family ``name`` as the kernel's YAML spec installed here declares it, None
    without one (:func:`nlwire.wire.specs.installed_family`): the default
    :class:`~nlwire.wire.registry.GenlIds` resolver of a :class:`Dissector`. The spec loader
    (and the YAML parser) is imported on the first call, so a capture without a generic
    family nlwire does not declare by hand loads neither."""
    from nlwire.wire.specs import installed_family

    return installed_family(name)


class Dissector:
    """Turns capture records into frame dicts (see the module docstring)."""

    def __init__(
        self,
        *,
        genl: GenlIds | None = None,
        window: int = 1000,
        window_bytes: int = 16 << 20,
        flt: Filter | None = None,
        keep_raw: bool = False,
        nlmon_copies: bool = True,
    ) -> None:
        """``genl``: generic family ids and their declarations; by default, ids learned from
        the capture (CTRL_CMD_NEWFAMILY) of a family nlwire does not declare by hand are read
        with the kernel's YAML spec of it installed on this machine (loaded on first need:
        :func:`installed_spec`); pass ``GenlIds()`` to decode without specs.

        ``nlmon_copies``: the records come from nlmon, which records a notification once
        per listening socket, so back-to-back equal records are marked as copies; False
        for records received on one socket (``nlwire monitor``), where each is an event."""
        self.keep_raw = keep_raw
        self.nlmon_copies = nlmon_copies
        self.genl = genl if genl is not None else GenlIds(installed_spec)
        self.window = max(window, 0)
        self.window_bytes = window_bytes
        self.filter = flt or Filter()
        self._pending: OrderedDict[tuple[int, int], Req] = OrderedDict()
        # the run of nlmon copies the last record with a multicast message belongs to:
        # (family, its record's bytes, where its netlink bytes start, first record's number,
        # last record's): the last record is the only one a copy is compared with
        self._copies: tuple[int, bytes, int, int, int] | None = None
        self._shared: dict[tuple[str, Req | None, int | None], dict[str, Any]] = {}
        self.first_time: float | None = None
        self._links: dict[tuple[int, bytes], Link] = {}
        self._last_head: bytes | None = None  # the last record's link-layer header, its type and Link
        self._last_type = -1
        self._last_link: Link | None = None
        self._classes: dict[tuple[int, int, int], str] = {}

    # -------------------------------------------------------------------- driver

    def frames(self, records: Iterable[Record], progress: Callable[[int], None] | None = None) -> Iterator[Frame]:
        """Frames in capture order; filtered frames are skipped (but still correlated)."""
        for pre in self._leaving(records, progress):
            frame = self._output(pre)
            if frame is not None:
                yield frame

    def render(
        self,
        records: Iterable[Record],
        mode: str = "text",
        style: Style | None = None,
        *,
        show_link: bool = True,
        hex_dump: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[str]:
        """Each output frame as the text ``nlwire dissect`` writes for it, separators included
        (a frame of more than 1,024 messages in several pieces, so that the text held at once
        does not grow with the number of messages in a record).

        ``mode``: ``text`` (the tree), ``summary`` (one line per message) or ``json`` (one
        JSON line). The result is, byte for byte, :func:`~dissect.netlink.render.text_tree`
        (+ ``hexdump`` with ``hex_dump``), :func:`~dissect.netlink.render.summary_lines` or
        :func:`~dissect.netlink.render.json_line` of :meth:`frames`' output, each followed
        by a newline; it is written straight from the decoded messages (see
        :mod:`dissect.netlink.emit`) instead of through node dicts.
        """
        writer = FrameWriter(self, mode, style if style is not None else Style(False), show_link, hex_dump)
        yield from self._render(writer, records, mode, progress)

    def render_bytes(
        self,
        records: Iterable[Record],
        mode: str = "text",
        style: Style | None = None,
        *,
        show_link: bool = True,
        hex_dump: bool = False,
        progress: Callable[[int], None] | None = None,
        encoding: str = "utf-8",
        errors: str = "strict",
    ) -> Iterator[bytes]:
        """:meth:`render`'s text, encoded (``encoding``, ``errors`` as :meth:`str.encode`).

        The same bytes as encoding :meth:`render`'s strings, cheaper: a text frame's title line
        (``user→kernel``) is encoded apart from its other lines, which are mostly ASCII and so
        never widened to a wide string for one non-ASCII character."""
        st = style if style is not None else Style(False)
        writer = FrameWriter(self, mode, st, show_link, hex_dump, (encoding, errors))
        yield from self._render(writer, records, mode, progress)

    def _render(
        self, writer: Any, records: Iterable[Record], mode: str, progress: Callable[[int], None] | None
    ) -> Iterator[Any]:
        if self.filter.errors_only:  # decided on the built tree (any problem counts)
            for pre in self._leaving(records, progress):
                frame = self._output(pre)
                if frame is not None:
                    yield writer.from_frame(frame) if writer.encoding is None else writer.from_frame(
                        frame
                    ).encode(*writer.encoding)
            return
        chunks = writer.chunks
        if mode == "summary":
            # a summary line shows only what the scan knows when the frame enters the window
            # (request_in, duplicate_of: earlier frames), never replies_in: no look-ahead needed
            flt_stop = self.filter.frames[1] if self.filter.frames is not None else None
            scan = self._scan
            for count, rec in enumerate(records, 1):
                number = rec.number or count  # the file's frame number where records were skipped
                if flt_stop is not None and number > flt_stop:
                    break
                if self.first_time is None:
                    self.first_time = rec.time
                if progress is not None:
                    progress(len(rec.data) + 16)
                pre = scan(number, rec)
                if pre.learns is not None:  # (output as it is scanned: what it teaches holds from now)
                    self._learn(pre)
                yield from chunks(pre)
            return
        for pre in self._leaving(records, progress):
            yield from chunks(pre)

    def _leaving(self, records: Iterable[Record], progress: Callable[[int], None] | None) -> Iterator[Pre]:
        """The scanned records, as they leave the look-ahead window.

        When reading or scanning a record raises (a damaged capture, a link type that
        cannot carry netlink), every record before it still leaves the window, then the
        error propagates: the good frames are output first."""
        win: deque[Pre] = deque()
        held = 0
        flt = self.filter
        stop = flt.frames[1] + self.window if flt.frames is not None else None
        window = self.window
        limit = self.window_bytes
        scan = self._scan
        try:
            for count, rec in enumerate(records, 1):
                number = rec.number or count  # the file's frame number where records were skipped
                if stop is not None and number > stop:
                    break
                if self.first_time is None:
                    self.first_time = rec.time
                pre = scan(number, rec)
                win.append(pre)
                held += len(rec.data)
                if progress is not None:
                    progress(len(rec.data) + 16)
                while len(win) > window or (held > limit and win):
                    old = win.popleft()
                    held -= len(old.record.data)
                    if old.learns is not None:
                        self._learn(old)
                    yield old
        except Exception:  # (the consumer's own errors never arrive here: it runs between yields)
            while win:
                old = win.popleft()
                if old.learns is not None:
                    self._learn(old)
                yield old
            raise
        while win:
            old = win.popleft()
            if old.learns is not None:
                self._learn(old)
            yield old

    def _learn(self, pre: Pre) -> None:
        """Learn the generic family ids ``pre``'s CTRL_CMD_NEWFAMILY messages name: done as the
        record leaves the window (or, in a summary, as it is scanned), so that every frame
        is named as of its place in the capture, whatever an id means later (a family
        unloaded and its id given to another; captures of several boots joined), in every
        output mode and path."""
        data = pre.record.data
        for off in pre.learns or ():
            learn_family(data, off, self.genl)

    # -------------------------------------------------------------------- pass 1

    def _scan(self, number: int, rec: Record) -> Pre:
        """Scan a record: its link header, its messages' headers, each message annotated and
        linked to its request (requests through :meth:`_request`), nlmon's copies marked."""
        data = rec.data
        linktype = rec.linktype
        # a Link depends only on the link type and the link-layer header's bytes: shared by
        # the records with the same header (the header alone is the key, never the payload);
        # the last one is tried first (a capture's records mostly share one)
        head = data[: 20 if linktype == LINKTYPE_LINUX_SLL2 else 16]
        link = self._last_link
        if link is None or head != self._last_head or linktype != self._last_type:
            link = self._link(linktype, head)
        pre = Pre(number, rec, link)
        if link.problem is not None:
            pre.problems.append(problem("error", link.problem))
            return pre
        fam = link.family
        off = link.start
        end = len(data)
        offsets = pre.offsets
        anns = pre.anns
        pending = self._pending
        shared = self._shared
        while off < end:
            if end - off < 16:
                pre.padding = (off, end - off)
                break
            ln, mtype, flags, seq, pid = _LE(data, off)
            nxt = off + ln
            if ln < 16 or nxt > end:
                if ln == 0 and not any(data[off:end]):
                    pre.padding = (off, end - off)
                    break
                if not offsets:
                    be = _BE32(data, off)[0]
                    if 16 <= be <= end - off:
                        pre.problems.append(
                            problem(
                                "error",
                                f"big-endian netlink data (nlmsg_len reads {be} big-endian, {ln} little-endian): "
                                "the capture was taken on a big-endian host; not decoded",
                            )
                        )
                        return pre
                if ln < 16:
                    pre.problems.append(
                        problem("error", f"nlmsg_len {ln} < 16 at offset {off}: rest of the record not decoded")
                    )
                    pre.padding = (off, end - off)
                    break
                nxt = end  # the last message, cut by the record's end: annotated up to it
            offsets.append(off)
            # -- annotate the message and link it to its request
            if mtype == _CTRL and fam == _GENERIC and nxt - off > 16 and data[off + 16] == _NEWFAMILY:
                # learned from every frame, whatever the filters print, as it leaves the window (_learn)
                if pre.learns is None:
                    pre.learns = []
                pre.learns.append(off)
            if flags & _REQUEST and mtype != _ERROR and mtype != _DONE:
                self._request(number, fam, data, off, nxt, mtype, flags, seq, anns)
            else:
                req = pending.get((fam, seq)) if pid != 0 else None
                if req is not None and req.pid is not None and req.pid != pid:
                    req = None
                if req is not None:
                    req.pid = pid
                    if mtype == _ERROR:
                        code = _I32(data, off + 16)[0] if nxt - off >= 20 else None
                        role = "ack" if code == 0 else "error"
                    elif mtype == _DONE:
                        role = "done"
                    elif flags & _MULTI:
                        role = "dump reply"
                    elif req.cls in ("new", "del") and not req.flags & _ECHO:
                        role = "notification"
                    else:
                        role = "reply"
                    if role != "notification" and (not req.replies or req.replies[-1] != number):
                        req.replies.append(number)
                elif mtype == _ERROR:
                    role = "error"
                elif mtype == _DONE:
                    role = "done"
                elif flags & _MULTI:
                    role = "dump reply"
                elif pid == 0:
                    role = "notification"
                else:
                    role = "reply"
                ann = shared.get((role, req, None))
                anns.append(ann if ann is not None else self._share(role, req, None))
            if nxt == end:
                break
            off += (ln + 3) & ~3
        if self.nlmon_copies:
            for ann in anns:
                if "multicast" in ann:
                    self._mark_copies(pre)
                    break
        return pre

    def _link(self, linktype: int, head: bytes) -> Link:
        """The link-layer header ``head``'s :class:`Link` (parsed once per distinct header)."""
        lkey = (linktype, head)
        link = self._links.get(lkey)
        if link is None:
            link = parse_link(linktype, head)  # the header's bytes only: no record kept alive
            if len(self._links) < 256:  # (a short record's key is all of it: its length is in the key)
                self._links[lkey] = link
        self._last_head = head
        self._last_type = linktype
        self._last_link = link
        return link

    def _request(
        self,
        number: int,
        fam: int,
        data: bytes,
        off: int,
        end: int,
        mtype: int,
        flags: int,
        seq: int,
        anns: list[dict[str, Any]],
    ) -> None:
        """Annotate a request (appended to ``anns``) and wait for its replies."""
        pending = self._pending
        ckey = (fam, mtype, flags)
        cls = self._classes.get(ckey)
        if cls is None:
            cls = message_class(fam, mtype, flags)
            if cls == "" and fam == _GENERIC:
                cls = "get"
            if len(self._classes) < 8192:
                self._classes[ckey] = cls
        new = Req(number, mtype, flags, data[off:end] if end - off <= _MAX_KEPT_REQUEST else None, cls)
        new.anns = anns
        new.index = len(anns)
        anns.append({"direction": "to-kernel", "role": "request", "_req": new})
        key = (fam, seq)
        old = pending.pop(key, None)
        if old is not None:
            _answered(old)
        pending[key] = new
        if len(pending) > _MAX_PENDING:
            _answered(pending.popitem(last=False)[1])

    def _share(self, role: str, req: Req | None, duplicate_of: int | None) -> dict[str, Any]:
        """The one dict of annotations of a message to user space with this ``role``, request
        and ``duplicate_of``, shared by every such message (never changed once shared)."""
        key = (role, req, duplicate_of)
        shared = self._shared
        got = shared.get(key)
        if got is None:
            got = {"direction": "to-user"}
            if req is not None:
                got["request_in"] = req.frame
                got["_req"] = req
            got["role"] = role
            if role == "notification":
                got["multicast"] = True
            if duplicate_of is not None:
                got["duplicate_of"] = duplicate_of
            if len(shared) >= _MAX_SHARED:
                shared.clear()
            shared[key] = got
        return got

    def _mark_copies(self, pre: Pre) -> None:
        """Mark ``pre``'s multicast messages as duplicates when its record is nlmon's next
        copy of the record before it (see the module docstring); else start a new run."""
        data = pre.record.data
        start = pre.link.start
        fam = pre.link.family
        run = self._copies
        number = pre.number
        if (
            run is not None
            and run[4] == number - 1
            and run[0] == fam
            and len(run[1]) - run[2] == len(data) - start  # lengths first: most records differ there
            and run[1][run[2] :] == data[start:]
        ):
            anns = pre.anns
            for i, ann in enumerate(anns):
                if "multicast" in ann:
                    anns[i] = self._share(ann["role"], ann.get("_req"), run[3])
            self._copies = (*run[:4], number)
        else:
            self._copies = (fam, data, start, number, number)

    # -------------------------------------------------------------------- pass 2

    def _output(self, pre: Pre) -> Frame | None:
        if not self._frame_wanted(pre):
            return None
        fam = pre.link.family
        rec = pre.record
        data = rec.data
        flt = self.filter
        messages: list[Node] = []
        requests: dict[int, bytes] = {}
        selective = flt.on_messages
        for (off, end, mtype, _flags, _seq, _pid), ann in zip(pre.messages(), pre.anns, strict=True):
            if selective and not flt.wants_message(data, off, end, mtype, fam, self.genl):
                continue
            node = message_node(data, off, end, mtype, fam, ann, self.genl)
            if flt.errors_only and not (node.get("error") or _has_problems(node)):
                continue
            messages.append(node)
            if "request_in" in ann:
                req = ann["_req"]
                if req.data is not None:
                    requests[req.frame] = req.data
        if selective and not messages:
            return None
        dirs = {m["direction"] for m in messages}
        frame = Frame({
            "frame": pre.number,
            "time": rec.time,
            "linktype": rec.linktype,
            "family": family_name(fam) if fam >= 0 else None,
            "length": len(data),
            "direction": dirs.pop() if len(dirs) == 1 else ("mixed" if dirs else ""),
            "link": pre.link.node,
            "messages": messages,
            "padding": pre.padding_node(),
            "problems": pre.problems_shown(),
        }, requests)
        if self.keep_raw:
            frame["_raw"] = data
        return frame

    def _frame_wanted(self, pre: Pre) -> bool:
        return self.filter.wants_frame(pre.number, pre.link.family)

_UNANSWERED: dict[str, Any] = {"direction": "to-kernel", "role": "request", "_req": Req(0, 0, 0, None, "")}
"""The annotation of every request that left the pending table without a reply."""


def _answered(req: Req) -> None:
    """``req`` can get no more replies: an unanswered one shares :data:`_UNANSWERED`, so a
    record of many requests does not keep one ``Req`` (and a copy of its bytes) for each."""
    anns = req.anns
    req.anns = None
    if anns is not None and not req.replies:
        anns[req.index] = _UNANSWERED


def _has_problems(node: Node) -> bool:
    if node["problems"]:
        return any(p["severity"] != "note" for p in node["problems"]) or any(_has_problems(c) for c in node["children"])
    return any(_has_problems(c) for c in node["children"])
