"""nlwire's netlink dissector: nlmon captures (pcap/pcapng) to annotated trees.

>>> from dissect.netlink import Dissector, read_records        # doctest: +SKIP
>>> for frame in Dissector().frames(read_records("captures/ip-link-show.pcap")):
...     print(frame["frame"], [m["name"] for m in frame["messages"]])

Frames and nodes are plain dicts in the JSON Lines format documented in the
README. This package is a PEP 420 namespace member (``dissect/`` has no
``__init__.py``) so it never shadows other ``dissect.*`` distributions.
"""

from dissect.netlink.cooked import UnsupportedLinkType
from dissect.netlink.dissector import Dissector, Filter, Frame
from dissect.netlink.pcap import CaptureError, Record, read_records
from dissect.netlink.render import Style, hexdump, json_line, summary_lines, text_tree, want_colour
from dissect.netlink.tree import Node, build_message

__all__ = [
    "CaptureError",
    "Dissector",
    "Filter",
    "Frame",
    "Node",
    "Record",
    "Style",
    "UnsupportedLinkType",
    "build_message",
    "hexdump",
    "json_line",
    "read_records",
    "summary_lines",
    "text_tree",
    "want_colour",
]
