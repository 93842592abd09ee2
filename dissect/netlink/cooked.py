"""Link-layer headers that carry netlink: nlmon's cooked header (LINKTYPE_NETLINK),
Linux SLL and SLL2 with ARPHRD_NETLINK.

All three are big-endian; the netlink data after them is in the capturing
host's byte order.
"""

from __future__ import annotations

from typing import Any

from nlwire.consts import ARPHRD

__all__ = [
    "LINKTYPES",
    "LINKTYPE_LINUX_SLL",
    "LINKTYPE_LINUX_SLL2",
    "LINKTYPE_NETLINK",
    "Link",
    "UnsupportedLinkType",
    "check_linktype",
    "parse_link",
]

LINKTYPE_NETLINK = 253
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
LINKTYPES = {
    LINKTYPE_NETLINK: "LINKTYPE_NETLINK",
    LINKTYPE_LINUX_SLL: "LINKTYPE_LINUX_SLL",
    LINKTYPE_LINUX_SLL2: "LINKTYPE_LINUX_SLL2",
}
_ARPHRD_NETLINK = int(ARPHRD.NETLINK)
_PKTTYPE = {0: "host", 1: "broadcast", 2: "multicast", 3: "otherhost", 4: "outgoing"}


class UnsupportedLinkType(ValueError):
    """The capture's link type does not carry netlink."""

    def __init__(self, linktype: int) -> None:
        super().__init__(
            f"unsupported link type {linktype}: nlwire dissect reads LINKTYPE_NETLINK (253, nlmon), "
            f"LINKTYPE_LINUX_SLL (113) and LINKTYPE_LINUX_SLL2 (276) captures of netlink"
        )
        self.linktype = linktype


class Link:
    """What the link-layer header says: netlink family, where the netlink data starts, a node."""

    __slots__ = ("family", "node", "problem", "start")

    def __init__(self, family: int, start: int, node: dict[str, Any], problem: str | None = None) -> None:
        self.family = family
        self.start = start
        self.node = node
        self.problem = problem


def _field(name: str, value: int, show: str, offset: int, length: int) -> dict[str, Any]:
    return {
        "name": name,
        "value": value,
        "show": show,
        "offset": offset,
        "length": length,
        "children": [],
        "problems": [],
    }


def _u16(data: bytes, off: int) -> int:
    return (data[off] << 8) | data[off + 1]


def _pkttype(v: int) -> str:
    name = _PKTTYPE.get(v)
    return f"{name} ({v})" if name else str(v)


def _hatype(v: int) -> str:
    return f"ARPHRD_NETLINK ({v})" if v == _ARPHRD_NETLINK else str(v)


def check_linktype(linktype: int) -> None:
    """Raise :class:`UnsupportedLinkType` unless ``linktype`` can carry netlink."""
    if linktype not in LINKTYPES:
        raise UnsupportedLinkType(linktype)


def parse_link(linktype: int, data: bytes) -> Link:
    """Parse the link-layer header of one record (never raises on bad bytes)."""
    name = LINKTYPES.get(linktype)
    if name is None:
        raise UnsupportedLinkType(linktype)
    size = 20 if linktype == LINKTYPE_LINUX_SLL2 else 16
    node: dict[str, Any] = {
        "name": name,
        "value": None,
        "show": name,
        "offset": 0,
        "length": min(size, len(data)),
        "children": [],
        "problems": [],
    }
    if len(data) < size:
        msg = f"{len(data)} bytes, the {name} header needs {size}"
        node["problems"].append({"severity": "error", "text": msg})
        return Link(-1, len(data), node, msg)
    ch: list[dict[str, Any]] = node["children"]
    if linktype == LINKTYPE_LINUX_SLL2:
        family = _u16(data, 0)
        hatype = _u16(data, 8)
        pkttype = data[10]
        ch.append(_field("protocol", family, str(family), 0, 2))
        ch.append(_field("ifindex", int.from_bytes(data[4:8], "big"), str(int.from_bytes(data[4:8], "big")), 4, 4))
        ch.append(_field("hatype", hatype, _hatype(hatype), 8, 2))
        ch.append(_field("pkttype", pkttype, _pkttype(pkttype), 10, 1))
    else:
        pkttype = _u16(data, 0)
        hatype = _u16(data, 2)
        family = _u16(data, 14)
        ch.append(_field("pkttype", pkttype, _pkttype(pkttype), 0, 2))
        ch.append(_field("hatype", hatype, _hatype(hatype), 2, 2))
        ch.append(_field("protocol", family, str(family), 14, 2))
    if hatype != _ARPHRD_NETLINK:
        msg = f"not netlink: ARPHRD {hatype} (netlink is {_ARPHRD_NETLINK})"
        node["problems"].append({"severity": "error", "text": msg})
        return Link(-1, size, node, msg)
    return Link(family, size, node)
