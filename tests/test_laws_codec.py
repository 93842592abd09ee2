"""Laws of the codec, stated with the schema-derived strategies of nlwire.strategies.

* round trip: ``decode(encode(m)) == [m]`` and ``encode_many(decode(b)) == b`` for valid bytes;
* totality: any bytes give messages or DecodeError -- never another exception, never a
  RecursionError however deep the nesting -- for every decode entry point;
* limits: no allocation driven by an untrusted length, memory a small multiple of the
  input, work linear in the number of attributes and messages.
"""

from __future__ import annotations

import contextlib
import struct
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlwire.strategies as nls
import nlwire.wire.genetlink
import nlwire.wire.netlink
import nlwire.wire.nfnetlink
import nlwire.wire.rtnetlink
from nlwire.codec import attr_path_at, decode, decode_message, encode, encode_many, iter_decode
from nlwire.consts import NETLINK, RTM
from nlwire.errors import DecodeError
from nlwire.messages import Message
from nlwire.wire import MAX_DEPTH, Attrs, AttrSet, FixedStruct
from nlwire.wire.registry import GenlIds, lookup
from nlwire.wire.rtnetlink import IFINFOMSG, LINK_ATTRS
from tests.workcount import assert_linear

PROTOCOLS = [NETLINK.ROUTE, NETLINK.GENERIC, NETLINK.NETFILTER, NETLINK.SOCK_DIAG]
SETS = sorted(
    {id(v): v for m in (nlwire.wire.netlink, nlwire.wire.rtnetlink, nlwire.wire.genetlink, nlwire.wire.nfnetlink)
     for v in vars(m).values() if isinstance(v, AttrSet)}.values(),
    key=lambda s: s.name,
)
FIXED = sorted(
    {id(v): v for m in (nlwire.wire.netlink, nlwire.wire.rtnetlink, nlwire.wire.genetlink, nlwire.wire.nfnetlink)
     for v in vars(m).values() if isinstance(v, FixedStruct)}.values(),
    key=lambda f: f.name,
)
slow = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: NETLINK(p).name)
def test_decode_encode_of_a_message_is_the_message(protocol: int) -> None:
    @slow
    @given(nls.messages(protocol))
    def law(msg: Message) -> None:
        assert decode(encode(msg), protocol, genl=GenlIds(), strict=True) == [msg]

    law()


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: NETLINK(p).name)
def test_encode_decode_of_valid_bytes_is_the_bytes(protocol: int) -> None:
    @slow
    @given(nls.datagrams(protocol))
    def law(data: bytes) -> None:
        msgs = decode(data, protocol, genl=GenlIds(), strict=True)
        assert encode_many(msgs) == data
        assert [m.offset for m in msgs] == sorted(m.offset for m in msgs)

    law()


@slow
@given(nls.datagrams(NETLINK.ROUTE, max_messages=3))
def test_iter_decode_and_decode_agree(data: bytes) -> None:
    assert list(iter_decode(data, NETLINK.ROUTE, strict=True)) == decode(data, NETLINK.ROUTE, strict=True)


@slow
@given(nls.datagrams(NETLINK.ROUTE, max_messages=3), st.integers(1, 64))
def test_iter_decode_yields_the_messages_before_a_bad_one_then_raises(data: bytes, cut: int) -> None:
    """A datagram cut short: iter_decode gives what decode would have given up to the
    message that no longer fits, then raises decode's error there (decode raises it)."""
    cut_data = data[: max(0, len(data) - cut)]
    got: list[Message] = []
    try:
        for m in iter_decode(cut_data, NETLINK.ROUTE, strict=True):
            got.append(m)
    except DecodeError as exc:
        with pytest.raises(DecodeError) as whole:
            decode(cut_data, NETLINK.ROUTE, strict=True)
        assert (whole.value.offset, whole.value.path, str(whole.value)) == (exc.offset, exc.path, str(exc))
        assert all(m.offset + m.len <= exc.offset for m in got)
        assert got == decode(cut_data[: exc.offset], NETLINK.ROUTE, strict=True)[: len(got)]
    else:
        assert got == decode(cut_data, NETLINK.ROUTE, strict=True)


@slow
@given(nls.datagrams(NETLINK.ROUTE, control=False), st.integers(0, 3))
def test_trailing_zero_bytes_are_padding(data: bytes, words: int) -> None:
    """iproute2 sends its whole zeroed buffer; trailing zeros are not a message."""
    assert decode(data + bytes(4 * words), NETLINK.ROUTE, strict=True) == decode(data, NETLINK.ROUTE, strict=True)


# ------------------------------------------------------------------------------ totality


def _only_decode_error(fn: Callable[[], Any]) -> None:
    with contextlib.suppress(DecodeError):
        fn()


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: NETLINK(p).name)
def test_decode_strict_is_total(protocol: int) -> None:
    @slow
    @given(nls.hostile(protocol))
    def law(data: bytes) -> None:
        _only_decode_error(lambda: decode(data, protocol, genl=GenlIds(), strict=True))

    law()


@slow
@given(nls.hostile(NETLINK.ROUTE), st.sampled_from(PROTOCOLS))
def test_decode_message_is_total(data: bytes, protocol: int) -> None:
    _only_decode_error(lambda: decode_message(data, 0, protocol, genl=GenlIds()))


@slow
@given(nls.hostile(NETLINK.ROUTE), st.integers(-2, 300))
def test_attr_path_at_never_raises(data: bytes, offset: int) -> None:
    path = attr_path_at(data, offset, NETLINK.ROUTE)
    assert path is None or isinstance(path, str)


@pytest.mark.parametrize("attr_set", SETS, ids=lambda s: s.name)
def test_attrs_from_bytes_materialize_is_total(attr_set: AttrSet) -> None:
    @settings(slow, max_examples=min(settings.default.max_examples, 30))
    @given(st.one_of(nls.mutated(attr_set=attr_set), st.binary(max_size=64)))
    def law(data: bytes) -> None:
        try:
            attrs = Attrs.from_bytes(attr_set, data)
        except DecodeError:
            return
        for _entry, value in attrs.entries():  # never raises: bad values come back as DecodeError
            assert not isinstance(value, Exception) or isinstance(value, DecodeError)
        _only_decode_error(attrs.materialize)

    law()


@pytest.mark.parametrize("fixed", FIXED, ids=lambda f: f.name)
def test_fixed_struct_unpack_is_total(fixed: FixedStruct) -> None:
    @settings(max_examples=min(settings.default.max_examples, 20))
    @given(st.binary(max_size=2 * fixed.size + 4), st.integers(0, 8))
    def law(data: bytes, offset: int) -> None:
        try:
            rec = fixed.unpack(data, offset)
        except DecodeError:
            assert len(data) - offset < fixed.size
            return
        assert fixed.pack(rec) == fixed.pack(fixed.unpack(fixed.pack(rec)))

    law()


@settings(slow, max_examples=min(settings.default.max_examples, 30))
@given(nls.nested_deeply(NETLINK.ROUTE, depth=4 * MAX_DEPTH))
def test_deep_nesting_is_a_decode_error_not_a_recursion_error(data: bytes) -> None:
    with pytest.raises(DecodeError, match="deeper"):
        decode(data, NETLINK.ROUTE, strict=True)


# ------------------------------------------------------------------------------ limits


HUGE_LENGTHS = [
    struct.pack("=IHHII", 0xFFFFFFFF, RTM.NEWLINK, 0, 1, 0) + bytes(16),
    struct.pack("=IHHII", 48, RTM.NEWLINK, 0, 1, 0) + bytes(16) + struct.pack("=HH", 0xFFFF, 3) + bytes(12),
    struct.pack("=IHHII", 0x7FFFFFF0, 2, 0x100, 1, 0) + struct.pack("=i", -22)
    + struct.pack("=IHHII", 0xFFFFFFFF, 16, 0, 1, 0),
]


@pytest.mark.parametrize("data", HUGE_LENGTHS, ids=["nlmsg_len", "nla_len", "echo_len"])
def test_no_allocation_driven_by_an_untrusted_length(data: bytes) -> None:
    tracemalloc.start()
    try:
        _only_decode_error(lambda: decode(data, NETLINK.ROUTE, strict=True))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024


@settings(slow, max_examples=min(settings.default.max_examples, 25))
@given(nls.hostile(NETLINK.ROUTE))
def test_memory_is_a_small_multiple_of_the_input(data: bytes) -> None:
    # warm up first: compiling a layout walk (nlwire.wire.walks) costs a bounded, one-off
    # few hundred KB that does not grow with the input; measured is the decode itself
    for _ in range(3):
        _only_decode_error(lambda: decode(data, NETLINK.ROUTE, strict=True))
    tracemalloc.start()
    try:
        _only_decode_error(lambda: decode(data, NETLINK.ROUTE, strict=True))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a Python object per 4-byte attribute is ~100 bytes: allow generous headroom
    assert peak < 300 * len(data) + 256 * 1024


def _tiny_attrs_message(n: int) -> bytes:
    attrs = struct.pack("=HH", 4, 0x3000) * n  # zero-length attributes of an unknown type
    schema = lookup(NETLINK.ROUTE, RTM.NEWLINK)
    return encode(Message(RTM.NEWLINK, 0, 1, 0, IFINFOMSG.new(), None, attrs, schema=schema))


def _many_messages(n: int) -> bytes:
    one = encode(Message(RTM.NEWLINK, 2, 1, 0, IFINFOMSG.new(), Attrs(LINK_ATTRS, {"mtu": 1500}),
                         schema=lookup(NETLINK.ROUTE, RTM.NEWLINK)))
    return one * n


def _decode_all(data: bytes) -> None:
    for msg in decode(data, NETLINK.ROUTE, strict=True):
        if msg.attrs is not None:
            msg.attrs.entries()
            msg.attrs.to_json()


def test_many_tiny_attributes_decode_in_linear_time() -> None:
    assert_linear(_tiny_attrs_message, _decode_all, 2000)


def test_many_messages_per_datagram_decode_in_linear_time() -> None:
    assert_linear(_many_messages, _decode_all, 500)


def test_attribute_lookups_stay_linear() -> None:
    def lookups(data: bytes) -> None:
        msg = decode(data, NETLINK.ROUTE)[0]
        assert msg.attrs is not None
        for _ in range(200):
            msg.attrs.get(RTM.NEWLINK)

    assert_linear(_tiny_attrs_message, lookups, 2000)


def test_attr_path_at_is_linear_in_attributes() -> None:
    def walk(data: bytes) -> None:
        assert attr_path_at(data, len(data) - 2, NETLINK.ROUTE) is not None

    assert_linear(_tiny_attrs_message, walk, 2000)
