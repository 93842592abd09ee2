"""Laws of the dissector on one frame, over bytes from nlwire.strategies.

Any bytes in a frame give exactly one frame tree and no exception; every node's
offset/length lies inside the frame; bytes nlwire's strict decoder refuses show up as
at least one problem; valid datagrams show no error; the renderings work; work is linear
in the number of attributes.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlwire.strategies as nls
from dissect.netlink import Dissector, Record, json_line, text_tree
from nlwire.codec import decode
from nlwire.consts import NETLINK
from nlwire.errors import DecodeError
from nlwire.wire.registry import GenlIds
from tests.workcount import assert_linear

slow = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROTOCOLS = [NETLINK.ROUTE, NETLINK.GENERIC, NETLINK.NETFILTER]


def cooked(protocol: int, datagram: bytes, pkttype: int = 4) -> bytes:
    """The 16-byte big-endian nlmon header (LINKTYPE_NETLINK) in front of a datagram."""
    return struct.pack(">HH10xH", pkttype, 824, protocol) + datagram


def dissect(frame: bytes, linktype: int = 253) -> dict[str, Any]:
    frames = list(Dissector(genl=GenlIds()).frames([Record(linktype, 0.0, frame, len(frame))]))
    assert len(frames) == 1
    return frames[0]


def nodes(frame: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    todo = [n for n in (frame.get("link"), frame.get("padding"), *frame["messages"]) if n]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(node.get("children") or [])
    return out


def check_frame(frame_bytes: bytes, protocol: int, linktype: int = 253) -> dict[str, Any]:
    frame = dissect(frame_bytes, linktype)
    size = len(frame_bytes)
    problems = bool(frame["problems"])
    for node in nodes(frame):
        off, ln = node["offset"], node["length"]
        assert isinstance(off, int) and isinstance(ln, int), node["name"]
        assert off >= 0 and ln >= 0 and off + ln <= size, (node["name"], off, ln, size)
        problems = problems or bool(node.get("problems"))
    if linktype == 253:
        try:
            decode(frame_bytes[16:], protocol, genl=GenlIds(), strict=True)
        except DecodeError as exc:
            assert problems, f"strict decode: {exc}; the frame tree has no problem"
    json.loads(json_line(frame))
    assert isinstance(text_tree(frame, 0.0), str)
    frame["_has_problems"] = problems
    return frame


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: NETLINK(p).name)
def test_any_bytes_give_one_frame_inside_its_bounds(protocol: int) -> None:
    @slow
    @given(nls.hostile(protocol))
    def law(data: bytes) -> None:
        check_frame(cooked(protocol, data), protocol)

    law()


@slow
@given(st.binary(max_size=80), st.sampled_from([253, 113, 276]))
def test_any_record_of_any_supported_link_type(data: bytes, linktype: int) -> None:
    check_frame(data, 0, linktype)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: NETLINK(p).name)
def test_valid_datagrams_have_no_error_problems(protocol: int) -> None:
    """Warnings stay possible on valid bytes (an ext-ack offset outside a request the
    capture does not hold); errors mean malformed bytes."""

    @slow
    @given(nls.datagrams(protocol))
    def law(data: bytes) -> None:
        frame = check_frame(cooked(protocol, data), protocol)
        errors = [p for n in nodes(frame) for p in n.get("problems") or [] if p["severity"] == "error"]
        errors += [p for p in frame["problems"] if p["severity"] == "error"]
        assert not errors
        assert len(frame["messages"]) == len(decode(data, protocol, genl=GenlIds()))

    law()


@settings(slow, max_examples=min(settings.default.max_examples, 20))
@given(nls.nested_deeply(NETLINK.ROUTE))
def test_deep_nesting_is_a_problem_not_a_crash(data: bytes) -> None:
    frame = check_frame(cooked(NETLINK.ROUTE, data), NETLINK.ROUTE)
    assert frame["_has_problems"]


def test_many_tiny_attributes_dissect_in_linear_time() -> None:
    def frame_with(n: int) -> bytes:
        body = bytes(16) + struct.pack("=HH", 4, 0x3000) * n  # ifinfomsg + empty unknown attributes
        return cooked(NETLINK.ROUTE, struct.pack("=IHHII", 16 + len(body), 16, 2, 1, 0) + body)

    assert_linear(frame_with, dissect, 1000)
