"""Output formats: the indented text tree, one-line summaries, JSON Lines, hex dumps."""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from typing import Any

from nlwire.consts import NETLINK
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.registry import lookup

__all__ = ["Frame", "Node", "Style", "hexdump", "json_line", "summary_lines", "text_tree"]

Node = dict[str, Any]
"""A node of the dissector's tree: a plain dict, the JSON form (see :mod:`dissect.netlink.nodes`)."""


class Frame(dict[str, Any]):
    """A frame of :meth:`Dissector.frames <dissect.netlink.dissector.Dissector.frames>`: the
    dict of the JSON Lines format, which also holds, outside its items (so out of its JSON
    and its equality), the requests its replies answer: what a reply's summary line may use
    (:func:`summary_lines`). A plain dict in its place is a frame whose requests are unknown."""

    __slots__ = ("requests",)

    def __init__(self, items: dict[str, Any], requests: dict[int, bytes] | None = None) -> None:
        super().__init__(items)
        self.requests: dict[int, bytes] = requests if requests is not None else {}
        """The request messages' bytes (nlmsghdr first) by the frame number each is in."""


class Style:
    """ANSI colours (or none)."""

    def __init__(self, colour: bool) -> None:
        on = colour
        self.bold = "\033[1m" if on else ""
        self.dim = "\033[2m" if on else ""
        self.name = "\033[36m" if on else ""
        self.error = "\033[31m" if on else ""
        self.warning = "\033[33m" if on else ""
        self.note = "\033[32m" if on else ""
        self.reset = "\033[0m" if on else ""

    def sev(self, severity: str) -> str:
        return getattr(self, severity, "") if severity in ("error", "warning", "note") else ""


_U16 = struct.Struct("=H").unpack_from
_PLAIN = Style(False)
_DIR = {"to-kernel": "user→kernel", "to-user": "kernel→user", "mixed": "both directions", "": ""}


def _frames_text(frames: list[int]) -> str:
    if len(frames) == 1:
        return f"reply in frame {frames[0]}"
    return f"replies in frames {frames[0]}..{frames[-1]} ({len(frames)} frames)"


def title(
    name: str, role: str | None, error: str | None, request_in: Any, replies: Any, duplicate_of: Any
) -> str:
    """A message's title line: ``RTM_NEWLINK: dump reply, request in frame 3`` (``error``:
    the error code's show of a failed request's error, else None)."""
    parts = [role] if role else []
    if error is not None:
        parts.append(error)
    if request_in is not None:
        parts.append(f"request in frame {request_in}")
    if replies:
        parts.append(_frames_text(replies))
    elif role == "request":
        parts.append("no reply in the capture window")
    if duplicate_of:
        parts.append(f"duplicate of frame {duplicate_of} (nlmon copies a multicast message per listening socket)")
    return f"{name}: {', '.join(parts)}" if parts else name


def message_title(node: Node) -> str:
    """The title line of a message node (:func:`title`)."""
    err = next((c["show"] for c in node["children"] if c["name"] == "error"), "") if node.get("error") else None
    return title(
        node["name"], node.get("role"), err, node.get("request_in"), node.get("replies_in"), node.get("duplicate_of")
    )


def frame_title(
    number: int, length: int, time: float, t0: float, linktype: int, family: str | None, direction: str
) -> str:
    """A frame's title line: ``Frame 3: 52 bytes, time ... (+0.001 s), linktype 253, netlink route, user→kernel``."""
    d = _DIR.get(direction, "")
    return (
        f"Frame {number}: {length} bytes, time {time:.6f} (+{time - t0:.6f} s), "
        f"linktype {linktype}, netlink {family if family is not None else '?'}{', ' + d if d else ''}"
    )


def _frame_head(frame: dict[str, Any], t0: float) -> str:
    return frame_title(
        frame["frame"], frame["length"], frame["time"], t0, frame["linktype"], frame["family"],
        frame.get("direction", ""),
    )  # fmt: skip


def text_tree(
    frame: dict[str, Any],
    t0: float,
    style: Style = _PLAIN,
    *,
    hexdump_bytes: bytes | None = None,
    show_link: bool = True,
) -> str:
    """The frame as an indented tree (like ``tshark -V``)."""
    out: list[str] = [f"{style.bold}{_frame_head(frame, t0)}{style.reset}"]
    add = out.append
    for p in frame["problems"]:
        add(f"    {style.sev(p['severity'])}[{p['severity']}] {p['text']}{style.reset}")
    if show_link:
        _node_lines(frame["link"], 1, add, style)
    for msg in frame["messages"]:
        add(f"    {style.bold}{message_title(msg)}{style.reset}")
        for p in msg["problems"]:
            add(f"        {style.sev(p['severity'])}[{p['severity']}] {p['text']}{style.reset}")
        for child in msg["children"]:
            _node_lines(child, 2, add, style)
    if frame.get("padding") is not None:
        _node_lines(frame["padding"], 1, add, style)
    if hexdump_bytes is not None:
        add(hexdump(hexdump_bytes))
    add("")
    return "\n".join(out)


def _node_lines(node: Node, depth: int, add: Callable[[str], None], style: Style) -> None:
    ind = "    " * depth
    name = node["name"]
    show = node["show"]
    if style is _PLAIN:
        add(f"{ind}{name}: {show}" if show != name else f"{ind}{name}")
    else:
        add(
            f"{ind}{style.name}{name}{style.reset}: {show}" if show != name else f"{ind}{style.name}{name}{style.reset}"
        )
    probs = node["problems"]
    if probs:
        for p in probs:
            add(f"{ind}    {style.sev(p['severity'])}[{p['severity']}] {p['text']}{style.reset}")
    children = node["children"]
    if children:
        d = depth + 1
        for c in children:
            _node_lines(c, d, add, style)


def json_line(frame: dict[str, Any]) -> str:
    """One JSON object per frame (the JSON Lines format documented in the README)."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"), default=str)


_INFO_NAMES = (
    "IFLA_IFNAME",
    "IFA_LABEL",
    "IFA_LOCAL",
    "IFA_ADDRESS",
    "RTA_DST",
    "NDA_DST",
    "TCA_KIND",
    "CTRL_ATTR_FAMILY_NAME",
    "NHA_ID",
    "NETCONFA_IFINDEX",
    "NFTA_TABLE_NAME",
    "NFTA_CHAIN_NAME",
    "NFTA_RULE_CHAIN",
    "NFTA_SET_NAME",
    "NFTA_SET_ELEM_LIST_SET",
    "NFTA_OBJ_NAME",
    "NFTA_FLOWTABLE_NAME",
    "NFTA_GEN_ID",
)
"""Attributes that make a good one-line summary, in order of preference (presentation only)."""

PREFIXES = {"RTA_DST": ("rtmsg", "dst_len")}
"""Info attributes that are the address of a prefix, with the fixed header and its field
holding the prefix length: shown as ``ip route`` shows a destination (:func:`prefix_info`)."""


def prefix_info(show: str | None, nbytes: int, plen: int) -> str:
    """``ip route``'s wording of a prefix: ``10.44.0.0/20``; a host (the prefix as long as
    the address) bare; with no address (``show`` None), ``default`` for length 0, else
    ``0/N``. A value that is not an IPv4/IPv6 address (``nbytes`` bytes) is left as it is."""
    if show is None:
        return "default" if plen == 0 else f"0/{plen}"
    if nbytes not in (4, 16) or plen == 8 * nbytes:
        return show
    return f"{show}/{plen}"


def is_dump_request(flags: str) -> bool:
    """The summary's flag words (``REQUEST|DUMP``) are a dump request's: its fixed header is
    a filter, with no route (or other object) to describe."""
    return "DUMP" in flags.split("|")


MALFORMED = "[malformed]"
"""The summary's mark of a message that did not decode fully (an error problem in its
tree, as ``malformed`` nodes carry; tshark's Info says ``[Malformed Packet]``)."""


def _malformed(node: Node) -> bool:
    """An error problem anywhere in the node's tree."""
    return any(p["severity"] == "error" for p in node["problems"]) or any(_malformed(c) for c in node["children"])


def _header_field(node: Node, struct: str, field: str) -> int | None:
    """The value of ``field`` of the message's fixed header named ``struct``, if decoded."""
    children = node["children"]
    if len(children) > 1 and children[1]["name"] == struct:
        for c in children[1]["children"]:
            if c["name"] == field and isinstance(c["value"], int):
                return c["value"]
    return None


def _info(node: Node, flags: str = "") -> str:
    if "error" in node:
        err = node["error"]
        parts = []
        if err:
            parts.append(next((c["show"] for c in node["children"] if c["name"] == "error"), str(err)))
        elif node["name"] == "NLMSG_ERROR":
            parts.append("ACK")
        echo = next((c for c in node["children"] if c["name"] == "msg"), None)
        if echo is not None:
            parts.append(f"for {echo['value']}")
        missing = nest = None
        for c in node["children"]:
            if c["name"] == "NLMSGERR_ATTR_MSG":
                parts.append(f'"{c["show"]}"')
            elif c["name"] == "NLMSGERR_ATTR_OFFS":
                parts.append(f"at {c.get('target', c['show'])}")
            elif c["name"] == "NLMSGERR_ATTR_MISS_TYPE":
                missing = c.get("target", f"attribute type {c['value']}")
            elif c["name"] == "NLMSGERR_ATTR_MISS_NEST":
                nest = c.get("target", f"the nest at offset {c['value']}")
        if missing is not None:
            parts.append(f"missing {missing}" + (f" in {nest}" if nest is not None else ""))
        return " ".join(parts) or ("end of dump" if node["name"] == "NLMSG_DONE" else "ACK")
    found: dict[str, Node] = {}
    for c in node["children"]:
        if c["name"] in _INFO_NAMES and c["name"] not in found:
            found[c["name"]] = c
    for n in _INFO_NAMES:
        if n in found:
            c = found[n]
            pre = PREFIXES.get(n)
            plen = None if pre is None else _header_field(node, *pre)
            if plen is not None:
                return f"{n}={prefix_info(c['show'], c['length'] - 4, plen)}"
            return f"{n}={c['show']}"
    if not is_dump_request(flags):
        for struct, field in PREFIXES.values():
            plen = _header_field(node, struct, field)
            if plen is not None:
                return prefix_info(None, 0, plen)
    return ""


def request_header(protocol: int, request: bytes | None) -> Any:
    """The fixed header of the request message ``request`` (its bytes, nlmsghdr first) of
    netlink family ``protocol``; None without one (or without the request)."""
    if request is None or len(request) <= 16:
        return None
    mtype = _U16(request, 4)[0]
    schema = lookup(protocol, mtype, None, request[16], True)
    fixed = schema.header if schema is not None and mtype >= 16 else None
    if fixed is None or len(request) - 16 < fixed.size:
        return None
    return fixed.unpack(request, 16)


def header_words(fixed: FixedStruct, record: Any, request: Any) -> str:
    """The words a message's fixed header gives its summary line: a reply's, with the fixed
    header of the request it answers (``request``, None when unknown), where the header
    declares them (:attr:`~nlwire.wire.fixed.FixedStruct.reply_summary`), else its own
    (:attr:`~nlwire.wire.fixed.FixedStruct.summary`); "" without either. The one rule of
    both summary paths."""
    if request is not None and fixed.reply_summary is not None:
        return fixed.reply_summary(record, request)
    return fixed.summary(record) if fixed.summary is not None else ""


def _header_words(node: Node, family: str | None, flags: str, request: bytes | None) -> str:
    """The words of a message's fixed header (:func:`header_words`: the socket a sock_diag
    reply names), from the header's node and the bytes of the request it answers (None: not
    known, or a request); "" without them."""
    children = node["children"]
    if len(children) < 2 or not children[1]["children"] or not isinstance(node["value"], int):
        return ""
    try:
        protocol = NETLINK[(family or "").upper()]
    except KeyError:
        return ""
    fields = children[1]["children"]
    first = fields[0]["value"]
    schema = lookup(protocol, node["value"], None, first if isinstance(first, int) else None, "REQUEST" in flags)
    fixed = schema.header if schema is not None else None
    if fixed is None or fixed.summary is None or fixed.name != children[1]["name"] or len(fields) != len(fixed.fields):
        return ""
    try:
        values = [
            bytes.fromhex(c["value"]) if fmt.endswith("s") else c["value"]
            for c, fmt in zip(fields, fixed.formats, strict=True)
        ]
        return header_words(fixed, fixed.record(*values), request_header(protocol, request))
    except (TypeError, ValueError):
        return ""


def summary_lines(frame: dict[str, Any], t0: float) -> list[str]:
    """One line per message: frame, time, direction, family, type, flags, seq, pid, info
    (and :data:`MALFORMED` when the message did not decode fully). A reply's info may use
    the request it answers, where ``frame`` is a :class:`Frame` that holds it."""
    lines = []
    requests = getattr(frame, "requests", None)
    for msg in frame["messages"]:
        hdr = msg["children"][0]["children"]
        flags = hdr[2]["show"].split(" ", 1)[0]
        req_in = msg.get("request_in")
        request = requests.get(req_in) if requests and req_in is not None else None
        info = _info(msg, flags) or _header_words(msg, frame["family"], flags, request)
        if _malformed(msg):
            info = f"{info} {MALFORMED}" if info else MALFORMED
        lines.append(
            summary_line(
                frame["frame"],
                frame["time"] - t0,
                frame["family"],
                msg.get("direction"),
                msg["name"],
                flags,
                hdr[3]["value"],
                hdr[4]["value"],
                msg.get("request_in"),
                msg.get("duplicate_of"),
                info,
            )
        )
    for p in frame["problems"]:
        lines.append(f"{frame['frame']:>6} {frame['time'] - t0:10.6f} [{p['severity']}] {p['text']}")
    return lines


def name_column(name: str) -> str:
    """A summary line's message-name column: 20 wide, or 36 for a longer name (a spec-loaded
    family's, ``ETHTOOL_MSG_MODULE_EEPROM_GET_REPLY``), so that long names align among
    themselves without widening every line; a name longer still runs on."""
    return f"{name:<20}" if len(name) <= 20 else f"{name:<36}"


def summary_line(
    number: int,
    dt: float,
    family: str | None,
    direction: str | None,
    name: str,
    flags: str,
    seq: int,
    pid: int,
    request_in: int | None,
    duplicate_of: int | None,
    info: str,
) -> str:
    """One summary line (``flags``: the NLM_F_* names without the number)."""
    d = "U→K" if direction == "to-kernel" else "K→U"
    extra = []
    if request_in:
        extra.append(f"[req {request_in}]")
    if duplicate_of:
        extra.append(f"[dup of {duplicate_of}]")
    return (
        f"{number:>6} {dt:10.6f} {d} {family or '?':<9} "
        f"{name_column(name)} {flags:<16} seq={seq} pid={pid}"
        f"{' ' + ' '.join(extra) if extra else ''}{' ' + info if info else ''}"
    )


def hexdump(data: bytes) -> str:
    """``tshark -x`` style: offset, 16 hex bytes, printable ASCII."""
    lines = []
    for i in range(0, len(data), 16):
        chunk = data[i : i + 16]
        hexpart = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{i:04x}  {hexpart:<47}  {text}")
    return "\n".join(lines) + "\n"


def want_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
