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

    ``fields`` (``(name, value, show, offset, length)`` of each header field) and the node
    dict are built on first use: ``--summary`` needs neither."""

    __slots__ = ("_data", "_fields", "_node", "family", "length", "linktype", "name", "problem", "start")

    @property
    def key(self) -> tuple[int, ...]:
        """The values of the header's fields (linktype first): equal keys, equal ``fields``."""
        d = self._data
        if self.linktype == LINKTYPE_LINUX_SLL2:
            return (self.linktype, _u16(d, 0), int.from_bytes(d[4:8], "big"), _u16(d, 8), d[10])
        return (self.linktype, _u16(d, 0), _u16(d, 2), _u16(d, 14))

    def __init__(
        self, linktype: int, data: bytes, family: int, start: int, length: int, problem: str | None = None
    ) -> None:
        self.linktype = linktype
        self.name = LINKTYPES[linktype]
        self._data = data
        self.family = family
        self.start = start
        self.length = length
        self.problem = problem
        self._fields: list[tuple[str, int, str, int, int]] | None = None
        self._node: dict[str, Any] | None = None

    @property
    def fields(self) -> list[tuple[str, int, str, int, int]]:
        fields = self._fields
        if fields is None:
            size = 20 if self.linktype == LINKTYPE_LINUX_SLL2 else 16
            fields = self._fields = _fields(self.linktype, self._data) if len(self._data) >= size else []
        return fields

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
    if linktype == LINKTYPE_NETLINK:
        size = 16
    elif linktype in LINKTYPES:
        size = 20 if linktype == LINKTYPE_LINUX_SLL2 else 16
    else:
        raise UnsupportedLinkType(linktype)
    if len(data) < size:
        name = LINKTYPES[linktype]
        return Link(linktype, data, -1, len(data), len(data), f"{len(data)} bytes, the {name} header needs {size}")
    if linktype == LINKTYPE_LINUX_SLL2:
        family = _u16(data, 0)
        hatype = _u16(data, 8)
    else:
        family = (data[14] << 8) | data[15]
        hatype = (data[2] << 8) | data[3]
    if hatype != _ARPHRD_NETLINK:
        return Link(linktype, data, -1, size, size, f"not netlink: ARPHRD {hatype} (netlink is {_ARPHRD_NETLINK})")
    return Link(linktype, data, family, size, size)


def _fields(linktype: int, data: bytes) -> list[tuple[str, int, str, int, int]]:
    if linktype == LINKTYPE_LINUX_SLL2:
        family = _u16(data, 0)
        hatype = _u16(data, 8)
        pkttype = data[10]
        ifindex = int.from_bytes(data[4:8], "big")
        return [
            ("protocol", family, str(family), 0, 2),
            ("ifindex", ifindex, str(ifindex), 4, 4),
            ("hatype", hatype, _hatype(hatype), 8, 2),
            ("pkttype", pkttype, _pkttype(pkttype), 10, 1),
        ]
    pkttype = _u16(data, 0)
    hatype = _u16(data, 2)
    family = _u16(data, 14)
    return [
        ("pkttype", pkttype, _pkttype(pkttype), 0, 2),
        ("hatype", hatype, _hatype(hatype), 2, 2),
        ("protocol", family, str(family), 14, 2),
    ]
