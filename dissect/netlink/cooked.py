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
    """What the link-layer header says: netlink family, where the netlink data starts, a node.

    The node dict is built on first use (``--summary`` never needs it); ``fields`` holds
    ``(name, value, show, offset, length)`` of each header field."""

    __slots__ = ("_node", "family", "fields", "length", "name", "problem", "start")

    def __init__(
        self,
        family: int,
        start: int,
        name: str,
        length: int,
        fields: list[tuple[str, int, str, int, int]],
        problem: str | None = None,
    ) -> None:
        self.family = family
        self.start = start
        self.name = name
        self.length = length
        self.fields = fields
        self.problem = problem
        self._node: dict[str, Any] | None = None

    @property
    def node(self) -> dict[str, Any]:
        node = self._node
        if node is None:
            node = self._node = {
                "name": self.name,
                "value": None,
                "show": self.name,
                "offset": 0,
                "length": self.length,
                "children": [_field(*f) for f in self.fields],
                "problems": [] if self.problem is None else [{"severity": "error", "text": self.problem}],
            }
        return node


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
    if len(data) < size:
        return Link(-1, len(data), name, len(data), [], f"{len(data)} bytes, the {name} header needs {size}")
    if linktype == LINKTYPE_LINUX_SLL2:
        family = _u16(data, 0)
        hatype = _u16(data, 8)
        pkttype = data[10]
        ifindex = int.from_bytes(data[4:8], "big")
        fields = [
            ("protocol", family, str(family), 0, 2),
            ("ifindex", ifindex, str(ifindex), 4, 4),
            ("hatype", hatype, _hatype(hatype), 8, 2),
            ("pkttype", pkttype, _pkttype(pkttype), 10, 1),
        ]
    else:
        pkttype = _u16(data, 0)
        hatype = _u16(data, 2)
        family = _u16(data, 14)
        fields = [
            ("pkttype", pkttype, _pkttype(pkttype), 0, 2),
            ("hatype", hatype, _hatype(hatype), 2, 2),
            ("protocol", family, str(family), 14, 2),
        ]
    if hatype != _ARPHRD_NETLINK:
        return Link(-1, size, name, size, fields, f"not netlink: ARPHRD {hatype} (netlink is {_ARPHRD_NETLINK})")
    return Link(family, size, name, size, fields)
