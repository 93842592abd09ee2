"""The compiler (nlwire/wire/compiler.py, used by walks.py): one generated walk per attribute set serves
messages of any byte layout; the layout-specialised walks on top must be invisible:
every message decodes to exactly what the set's loop gives (values, framing, paths,
NLA flags, laziness) and raises exactly the same errors, for real captures and for
valid and almost-valid generated datagrams. A message whose bytes differ from a
compiled layout anywhere that matters must fall back.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nlcaptures import all_pcaps, records

import nlwire.strategies as nls
from nlwire.codec import decode
from nlwire.consts import IFLA, NETLINK, RTM
from nlwire.errors import DecodeError
from nlwire.wire import compiler, walks
from nlwire.wire.attrs import Attrs, HeaderAndAttrs, Kind
from nlwire.wire.registry import GenlIds
from nlwire.wire.rtnetlink import LINK_ATTRS, ROUTE_ATTRS

PCAPS = all_pcaps()


@contextmanager
def generic_only() -> Iterator[None]:
    """Attrs.from_bytes never takes a layout-specialised walk (only the set's loop)."""
    saved = walks.MIN_SIZE
    walks.MIN_SIZE = 1 << 30
    walks.forget_layouts()
    try:
        yield
    finally:
        walks.MIN_SIZE = saved


@pytest.fixture(autouse=True)
def compile_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile a layout the first time a size is seen, so every message is tested."""
    monkeypatch.setattr(walks, "COMPILE_AFTER", 1)
    monkeypatch.setattr(walks, "CHECK_AFTER", 1)


def snap(value: Any) -> Any:
    """Everything observable about a decoded value, recursively."""
    if isinstance(value, Attrs):
        return (
            "Attrs",
            value.attr_set.name,
            value.path,
            list(value._items),
            value.nla_flags,
            [(int(k), snap(v)) for k, v in value.items()],
            value.header,
        )
    if isinstance(value, HeaderAndAttrs):
        return ("HeaderAndAttrs", value.header, snap(value.attrs))
    if isinstance(value, list):
        return [snap(v) for v in value]
    if isinstance(value, dict):
        return {k: snap(v) for k, v in value.items()}
    return (type(value).__name__, value)


def outcome(data: bytes, protocol: int, genl: GenlIds | None, strict: bool) -> Any:
    """The decoded messages, fully observed, or the error raised."""
    try:
        msgs = decode(data, protocol, genl=genl, strict=strict)
        # every lazily decoded part observed here, so that a value failing on first access
        # is part of the outcome (Message equality below decodes them too)
        return [
            (
                m,
                snap(m.attrs),
                snap(m.echo.attrs) if m.echo is not None else None,
                snap(m.ext_ack.attrs) if m.ext_ack is not None else None,
            )
            for m in msgs
        ]
    except DecodeError as exc:
        return ("error", type(exc).__name__, str(exc), exc.offset, exc.path)


def lazy_state(data: bytes, protocol: int) -> list[Any]:
    """Which values are still undecoded right after a lazy decode (before any access)."""
    out = []
    for m in decode(data, protocol):
        if m.attrs is not None:
            values = m.attrs._values
            out.append(None if values is None else [v is not None and type(v).__name__ == "object" for v in values])
    return out


def check_same(data: bytes, protocol: int = NETLINK.ROUTE, genl: GenlIds | None = None) -> None:
    for strict in (True, False):
        with generic_only():
            want = outcome(data, protocol, genl, strict)
        first = outcome(data, protocol, genl, strict)  # compiles layouts
        again = outcome(data, protocol, genl, strict)  # uses them
        assert first == want
        assert again == want


# ------------------------------------------------------------------------- captures


@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
@pytest.mark.parametrize("name", PCAPS)
def test_every_capture_decodes_the_same_through_layouts(name: str) -> None:
    genl = GenlIds()
    for protocol, data in records(name):
        check_same(data, protocol, genl)
        if protocol == NETLINK.GENERIC:
            for m in decode(data, protocol, genl=genl):
                if m.attrs is not None and m.type == 16 and m.header is not None and m.header.cmd == 1:
                    fid, fname = m.attrs.get("family_id"), m.attrs.get("family_name")
                    if fid is not None and fname is not None:
                        genl.learn(fid, fname)


def test_layouts_are_compiled_and_reused_for_a_link_dump() -> None:
    data = records("ip-link-show.pcap")
    walks.forget_layouts()
    dumps = [d for p, d in data if p == NETLINK.ROUTE]
    for _ in range(2):  # the top level's layouts, then (from their walks) the nests'
        for d in dumps:
            decode(d, strict=True)
    f = walks.fast(LINK_ATTRS)
    assert f.compiled, "a link dump compiled no layout"
    made = compiler.units_made
    for d in dumps:
        decode(d, strict=True)
    assert compiler.units_made == made  # the third pass reuses them all
    # a built value is really read from the message: the names of the links differ
    names = [m.attrs.ifname for d in dumps for m in decode(d, strict=True) if m.type == RTM.NEWLINK]
    assert len(names) == len(set(names)) >= 2


def test_a_link_layout_walk_calls_small_nests_loops_straight_away() -> None:
    """Work counted per decoded link message once its layouts are learned: a nest too small
    for layout walks of its own (IFLA_XDP, a veth's IFLA_LINKINFO: under walks.MIN_SIZE) is
    walked by its set's loop, called by the layout walk itself, not through another
    strict() and its bookkeeping (Fast.missed) that can never find a layout walk for it."""
    import sys

    data = records("ip-link-show.pcap")
    walks.forget_layouts()
    dumps = [d for p, d in data if p == NETLINK.ROUTE]
    for _ in range(3):
        for d in dumps:
            decode(d, strict=True)
    links = [m for d in dumps for m in decode(d, strict=True) if m.type == RTM.NEWLINK]
    xdp = [a[IFLA.XDP] for m in links if (a := m.attrs) is not None and IFLA.XDP in a]
    assert xdp and all(n._end - n._start < walks.MIN_SIZE for n in xdp)
    loops: list[str] = []
    detours: list[tuple[str, int]] = []  # calls into walks.py a layout walk made for a small nest

    def count(frame: Any, event: str, arg: Any) -> None:
        if event != "call":
            return
        code, caller = frame.f_code, frame.f_back.f_code
        if code.co_name == "decode_IFLA_XDP":
            loops.append(caller.co_name)
        if code.co_filename == walks.__file__ and caller.co_filename.startswith("<nlwire.wire.compiler"):
            size = frame.f_locals["end"] - frame.f_locals["start"]
            if size < walks.MIN_SIZE:
                detours.append((code.co_name, size))

    sys.setprofile(count)
    try:
        for d in dumps:
            decode(d, strict=True)
    finally:
        sys.setprofile(None)
    assert len(loops) == len(xdp) and all(c.startswith("decode_IFLA_") for c in loops)  # from the layout walks
    assert detours == []


def test_varied_layouts_run_the_same_compiled_code() -> None:
    """Routes whose attributes differ in order, number and size: one function per set
    serves them all (compilations counted), and each decodes to what it encodes."""
    import ipaddress

    from nlwire.consts import RTA

    compiler.unit(ROUTE_ATTRS)  # compiled before counting
    made = compiler.units_made
    with generic_only():
        for i in range(60):
            items: dict[Any, Any] = {RTA.TABLE: 254, RTA.OIF: i}
            if i % 2:
                items = dict(reversed(items.items()))
            if i % 3:
                items[RTA.DST] = ipaddress.ip_address("10.0.0.0" if i % 2 else "2001:db8::")
            if i % 5 == 0:
                items[RTA.PRIORITY] = i
            body = Attrs(ROUTE_ATTRS, items).encode()
            got = Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body), eager=True)
            assert dict(got.items()) == items
    assert compiler.units_made == made


# ------------------------------------------------------------------------- generated


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nls.datagrams(NETLINK.ROUTE, max_depth=3))
def test_valid_datagrams_decode_the_same(data: bytes) -> None:
    check_same(data)


# found by hypothesis: an NLMSG_ERROR whose ext-ack POLICY nest has an attribute running one
# byte past it decodes lazily and fails on first access (comparing Messages raised it)
_LAZY_EXT_ACK_FAILURE = bytes.fromhex(
    "90000000020000020000000000000000000000001000000017000000000000000000000004000000"
    "11000100303030c280c280c280f0908080000000080002000000000004000300080005000000000008"
    "0006000000000038000480040000000c00020000000000000000000c00030000000000000000000c00"
    "040000000000000000000d0005000000000000000000"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nls.mutated(protocol=NETLINK.ROUTE))
@example(_LAZY_EXT_ACK_FAILURE)
def test_almost_valid_datagrams_decode_or_fail_the_same(data: bytes) -> None:
    check_same(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nls.datagrams(NETLINK.ROUTE, types=[RTM.NEWLINK, RTM.NEWROUTE, RTM.NEWADDR], max_depth=3), st.data())
def test_a_changed_byte_never_passes_for_the_compiled_layout(data: bytes, draw: st.DataObject) -> None:
    """Compile the layouts of a valid datagram, then change one byte (same size,
    so the same layouts are tried first): the result must be the generic walk's."""
    decode(data, strict=True)
    pos = draw.draw(st.integers(0, len(data) - 1))
    byte = draw.draw(st.integers(0, 255).filter(lambda b: b != data[pos]))
    changed = data[:pos] + bytes([byte]) + data[pos + 1 :]
    for strict in (True, False):
        with generic_only():
            want = outcome(changed, NETLINK.ROUTE, None, strict)
        assert outcome(changed, NETLINK.ROUTE, None, strict) == want


def test_lazy_decode_through_a_layout_leaves_kind_decoded_values_for_later() -> None:
    # integers and strings come straight from the layout's tuple; a value only a
    # kind's decode can make (here an IFLA_MTU u32 with 3 payload bytes) waits for
    # first access, and raises there exactly as the generic walk does
    body = Attrs(LINK_ATTRS, {IFLA.IFNAME: "eth0", IFLA.TXQLEN: 1000}).encode()
    bad = body + bytes([7, 0, int(IFLA.MTU), 0, 1, 2, 3, 0])  # MTU with 3 payload bytes
    for _ in range(3):
        a = Attrs.from_bytes(LINK_ATTRS, bad, 0, len(bad))
    assert a.ifname == "eth0"
    assert a.txqlen == 1000
    with pytest.raises(DecodeError) as exc:
        _ = a.mtu
    assert exc.value.path == "attrs[IFLA.MTU]"
    assert exc.value.offset == len(body) + 4
    with pytest.raises(DecodeError) as strict_exc:
        Attrs.from_bytes(LINK_ATTRS, bad, 0, len(bad), eager=True)
    assert (strict_exc.value.offset, strict_exc.value.path) == (exc.value.offset, exc.value.path)


def test_a_layout_is_not_used_for_a_different_header_family() -> None:
    """IFLA_AF_SPEC's kind depends on ifinfomsg.family: the layout records it."""
    from nlwire.wire.rtnetlink import IFINFOMSG

    af = Attrs(LINK_ATTRS, {IFLA.IFNAME: "x", IFLA.AF_SPEC: {2: {1: list(range(4))}}}).encode()
    seen = []
    for family in (0, 0, 7, 7, 0):
        header = IFINFOMSG.new(family=family)
        a = Attrs.from_bytes(LINK_ATTRS, af, 0, len(af), header=header, eager=True)
        with generic_only():
            ref = Attrs.from_bytes(LINK_ATTRS, af, 0, len(af), header=header, eager=True)
        assert snap(a) == snap(ref)
        seen.append(a[IFLA.AF_SPEC].attr_set.name)
    assert seen[0] != seen[2]


def test_no_layout_is_learned_from_malformed_areas() -> None:
    good = Attrs(ROUTE_ATTRS, {"table": 254, "oif": 2, "priority": 3}).encode()
    short = bytes([3, 0]) + good[2:]  # nla_len 3 < 4
    walks.forget_layouts()
    f = walks.fast(ROUTE_ATTRS)
    for bad in (good + b"\x01", short):  # a trailing byte; nla_len 3
        for _ in range(3):
            with pytest.raises(DecodeError):
                Attrs.from_bytes(ROUTE_ATTRS, bad, 0, len(bad), eager=True)
    assert f.compiled == 0
    Attrs.from_bytes(ROUTE_ATTRS, good, 0, len(good), eager=True)
    assert f.compiled == 1


# ------------------------------------------------------------------------- Picker


def _area(m: Any) -> tuple[int, int]:
    fixed = m.schema.header
    start = m.offset + 16 + ((fixed.size + 3) & ~3 if fixed is not None else 0)
    return min(start, m.offset + m.len), m.offset + m.len


def _first(attrs: Attrs, path: tuple[int, ...]) -> Any:
    value: Any = attrs
    for t in path:
        if not isinstance(value, Attrs):
            return None
        value = value.get(t)
        if value is None:
            return None
    return value


_SHARED: dict[Any, walks.Picker] = {}
"""Pickers kept across calls (and hypothesis examples), so their hot pickers meet
other layouts of the same size."""


def _picker(attr_set: Any, paths: tuple[tuple[int, ...], ...], shared: bool) -> walks.Picker:
    if not shared:
        return walks.Picker(attr_set, paths)
    key = (attr_set.name, paths)
    if key not in _SHARED:
        if len(_SHARED) > 2000:
            _SHARED.clear()
        _SHARED[key] = walks.Picker(attr_set, paths)
    return _SHARED[key]


def check_picks(data: bytes, protocol: int = NETLINK.ROUTE, genl: GenlIds | None = None, shared: bool = False) -> int:
    """Every Picker answer equals the first occurrence the generic walk finds; returns
    how many answers there were. ``shared``: the Pickers outlive the call."""
    answered = 0
    decode(data, protocol, genl=genl)  # teaches the layouts
    with generic_only():
        try:
            msgs = decode(data, protocol, genl=genl, strict=True)
        except DecodeError:
            return 0
    for m in msgs:
        if m.attrs is None or m.schema is None or not len(m.attrs):
            continue
        paths: list[tuple[int, ...]] = []
        for t, value in m.attrs.items():
            paths.append((int(t),))
            if isinstance(value, Attrs):
                paths += [(int(t), int(t2)) for t2 in value]
        paths.append((0x3FFF,))  # absent
        start, end = _area(m)
        together = _picker(m.attrs.attr_set, tuple(paths), shared)(data, start, end, m.header)
        if together is not None:
            assert together == [_first(m.attrs, p) for p in paths]
            answered += 1
        for p in paths:
            got = _picker(m.attrs.attr_set, (p,), shared)(data, start, end, m.header)
            if got is not None:
                assert got == [_first(m.attrs, p)], p
                answered += 1
    return answered


@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
def test_picker_answers_equal_the_generic_walk_on_every_capture() -> None:
    answered = 0
    for name in PCAPS:
        genl = GenlIds()
        for protocol, data in records(name):
            if protocol == NETLINK.ROUTE:
                answered += check_picks(data, protocol, genl)
    assert answered > 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nls.datagrams(NETLINK.ROUTE, types=[RTM.NEWLINK, RTM.NEWROUTE, RTM.NEWADDR, RTM.NEWNEIGH], max_depth=3))
def test_picker_answers_equal_the_generic_walk(data: bytes) -> None:
    check_picks(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nls.datagrams(NETLINK.ROUTE, types=[RTM.NEWROUTE, RTM.NEWADDR], max_depth=2))
def test_long_lived_pickers_answer_right_whatever_their_hot_picker_last_saw(data: bytes) -> None:
    check_picks(data, shared=True)


@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
def test_long_lived_pickers_on_every_capture() -> None:
    answered = 0
    for name in PCAPS:
        for protocol, data in records(name):
            if protocol == NETLINK.ROUTE:
                answered += check_picks(data, protocol, GenlIds(), shared=True)
    assert answered > 1000


def test_picker_answers_at_once_and_declines_what_only_a_kind_makes() -> None:
    from nlwire.consts import IFLA_INFO

    walks.forget_layouts()
    body = Attrs(LINK_ATTRS, {IFLA.IFNAME: "br0", IFLA.LINKINFO: {IFLA_INFO.KIND: "bridge"}}).encode()
    pick = walks.Picker(LINK_ATTRS, ((IFLA.LINKINFO, IFLA_INFO.KIND), IFLA.IFNAME))
    for _ in range(3):  # the loop, then the layout learned from it
        assert pick(body, 0, len(body)) == ["bridge", "br0"]
    assert walks.Picker(LINK_ATTRS, (IFLA.LINKINFO,))(body, 0, len(body)) is None  # a whole nest
    whole_and_inside = walks.Picker(LINK_ATTRS, (IFLA.LINKINFO, (IFLA.LINKINFO, IFLA_INFO.KIND)))
    assert whole_and_inside(body, 0, len(body)) is None
    other = body[:12] + b"\x0b\x00\x02\x00" + body[16:]  # IFLA_INFO_DATA where KIND was
    want = Attrs.from_bytes(LINK_ATTRS, other, 0, len(other))
    assert pick(other, 0, len(other)) == [want.linkinfo.get(IFLA_INFO.KIND), "br0"] == [None, "br0"]


def test_all_compiled_layouts_together_stay_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    walks.forget_layouts()
    monkeypatch.setattr(walks, "MAX_LAYOUTS", 2)
    routes = [Attrs(ROUTE_ATTRS, {"table": 254, "oif": 1, "priority": 1}).encode(),
              Attrs(ROUTE_ATTRS, {"oif": 1, "priority": 1, "table": 254}).encode()]
    link = Attrs(LINK_ATTRS, {"ifname": "eth0", "mtu": 1500, "txqlen": 1000}).encode()
    for body in routes:
        Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body), eager=True)
    assert walks.fast(ROUTE_ATTRS).compiled == 2
    Attrs.from_bytes(LINK_ATTRS, link, 0, len(link), eager=True)  # 3 > 2: everything starts over
    assert walks.fast(ROUTE_ATTRS).compiled == 0 and not walks.fast(ROUTE_ATTRS).sizes
    assert walks.fast(LINK_ATTRS).compiled == 0


def test_picker_raw_keys_give_the_payload_bytes() -> None:
    import ipaddress

    from nlwire.consts import RTA

    body = Attrs(ROUTE_ATTRS, {"dst": ipaddress.ip_address("10.1.2.0"), "oif": 7, "table": 254}).encode()
    for _ in range(2):
        Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body))
    assert walks.Picker(ROUTE_ATTRS, (RTA.DST, RTA.OIF), raw=(RTA.DST,))(body, 0, len(body)) == [
        bytes([10, 1, 2, 0]),
        7,
    ]
    assert walks.Picker(ROUTE_ATTRS, (RTA.DST,))(body, 0, len(body)) == [ipaddress.ip_address("10.1.2.0")]
    # raw is the payload whatever the kind (the former layouts declined where a value was no bytes)
    assert walks.Picker(ROUTE_ATTRS, (RTA.OIF,), raw=(RTA.OIF,))(body, 0, len(body)) == [bytes([7, 0, 0, 0])]


def test_one_picker_across_layouts_of_the_same_size_answers_each_right() -> None:
    from nlwire.consts import RTA

    # the same area size, three layouts: the attributes in other orders
    orders = [("table", "oif", "priority"), ("oif", "priority", "table"), ("priority", "table", "oif")]
    values = {"table": 254, "oif": 7, "priority": 9}
    bodies = [Attrs(ROUTE_ATTRS, {k: values[k] for k in order}).encode() for order in orders]
    assert len({len(b) for b in bodies}) == 1
    for body in bodies:
        for _ in range(2):
            Attrs.from_bytes(ROUTE_ATTRS, body, 0, len(body))
    pick = walks.Picker(ROUTE_ATTRS, (RTA.OIF, RTA.TABLE, RTA.PRIORITY))
    for body in bodies * 3 + bodies[::-1]:  # the hot picker changes with every message
        assert pick(body, 0, len(body)) == [7, 254, 9]
    other = Attrs(ROUTE_ATTRS, {"table": 1, "oif": 2, "mark": 3}).encode()  # same size, no layout: the loop
    assert len(other) == len(bodies[0]) and pick(other, 0, len(other)) == [2, 1, None]


def test_header_free_says_whether_the_picker_reads_the_fixed_header() -> None:
    from nlwire.consts import IFA, RTA
    from nlwire.wire.attrs import AttrSet
    from nlwire.wire.kinds import by_header, nested, u32
    from nlwire.wire.rtnetlink import ADDR_ATTRS

    assert walks.Picker(ROUTE_ATTRS, (RTA.OIF,)).header_free
    assert walks.Picker(ADDR_ATTRS, (IFA.LABEL,)).header_free
    assert walks.Picker(LINK_ATTRS, (IFLA.MTU,)).header_free  # IFLA_AF_SPEC is not picked
    assert not walks.Picker(LINK_ATTRS, (IFLA.AF_SPEC,)).header_free  # by ifinfomsg.family
    inner = AttrSet(RTA, {RTA.OIF: by_header("family", {2: u32}, u32)}, name="inner")
    outer = AttrSet(RTA, {RTA.TABLE: u32, RTA.METRICS: nested(inner)}, name="outer")
    assert walks.Picker(outer, (RTA.TABLE,)).header_free
    assert not walks.Picker(outer, ((RTA.METRICS, RTA.OIF),)).header_free  # found one nest down
    looped = AttrSet(RTA, {RTA.TABLE: u32}, name="looped")
    looped.kinds[int(RTA.METRICS)] = nested(looped)
    assert walks.Picker(looped, ((RTA.METRICS, RTA.METRICS, RTA.TABLE),)).header_free


# ------------------------------------------------------------------------- fits_plain


def _areas(data: bytes, protocol: int = NETLINK.ROUTE) -> Iterator[tuple[Any, bytes, int, int, Any]]:
    """(attribute set, bytes, start, end, fixed header) of each message's attribute area."""
    import struct

    from nlwire.wire.registry import lookup

    off = 0
    while off + 16 <= len(data):
        ln, mtype = struct.unpack_from("=IH", data, off)
        if ln < 16 or off + ln > len(data):
            return
        schema = lookup(protocol, mtype) if mtype >= 16 else None
        if schema is not None and schema.attrs is not None:
            body = off + 16
            fixed = schema.header
            if fixed is None or ln - 16 >= fixed.size:
                header = fixed.unpack(data, body) if fixed is not None else None
                start = min(body + (((fixed.size + 3) & ~3) if fixed is not None else 0), off + ln)
                yield schema.attrs, data, start, off + ln, header
        off += (ln + 3) & ~3


def _eager_ok(aset: Any, data: bytes, start: int, end: int, header: Any) -> bool:
    with generic_only():
        try:
            Attrs.from_bytes(aset, data, start, end, header=header, eager=True)
        except DecodeError:
            return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nls.datagrams(NETLINK.ROUTE, types=[RTM.NEWLINK, RTM.NEWROUTE, RTM.NEWADDR], max_depth=3), st.data())
def test_fits_plain_is_said_only_of_bytes_that_decode(data: bytes, draw: st.DataObject) -> None:
    """Layouts compiled from a valid datagram, then one byte changed: whatever fits_plain
    says yes to, before and after the change, decodes eagerly on the generic walk."""
    decode(data, strict=True)
    for area in _areas(data):
        if walks.fits_plain(*area):
            assert _eager_ok(*area)
    pos = draw.draw(st.integers(0, len(data) - 1))
    byte = draw.draw(st.integers(0, 255).filter(lambda b: b != data[pos]))
    changed = data[:pos] + bytes([byte]) + data[pos + 1 :]
    for area in _areas(changed):
        if walks.fits_plain(*area):
            assert _eager_ok(*area)


@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
def test_fits_plain_on_every_capture() -> None:
    said = 0
    for name in PCAPS:
        for protocol, data in records(name):
            if protocol != NETLINK.ROUTE:
                continue
            decode(data, strict=True)  # learn the layouts
            for area in _areas(data):
                if walks.fits_plain(*area):
                    said += 1
                    assert _eager_ok(*area)
    assert said > 1000


def test_fits_plain_checks_values_a_sibling_chooses() -> None:
    """IFLA_INFO_DATA is chosen by its sibling IFLA_INFO_KIND: the compiled check looks the
    choice up after its walk and checks the payload by the chosen kind's own code, so it
    vouches for bridge data that decodes and not for bridge data with a 3-byte u32, as the
    strict decode says (it declined both before); a route's plain values, at once."""
    from nlwire.consts import IFLA_BR, IFLA_INFO, RTA

    info = {IFLA_INFO.KIND: "bridge", IFLA_INFO.DATA: {IFLA_BR.FORWARD_DELAY: 1500}}
    link = Attrs(LINK_ATTRS, {IFLA.IFNAME: "br0", IFLA.LINKINFO: info}).encode()
    at = link.find(struct.pack("=HH", 8, IFLA_BR.FORWARD_DELAY))
    bad_link = link[:at] + struct.pack("=H", 7) + link[at + 2 :]  # FORWARD_DELAY's nla_len 7
    with pytest.raises(DecodeError):
        Attrs.from_bytes(LINK_ATTRS, bad_link, 0, len(bad_link), eager=True)
    route = Attrs(ROUTE_ATTRS, {RTA.TABLE: 254, RTA.OIF: 2}).encode()
    walks.forget_layouts()
    for _ in range(3):  # the loop, then the layout learned from it
        assert walks.fits_plain(LINK_ATTRS, link, 0, len(link))
        assert not walks.fits_plain(LINK_ATTRS, bad_link, 0, len(bad_link))
        assert walks.fits_plain(ROUTE_ATTRS, route, 0, len(route))
    assert walks.fits_plain(ROUTE_ATTRS, route, 0, len(route))
    bad = b"\x07" + route[1:]  # RTA_TABLE's nla_len 7: a u32 of 3 bytes
    assert not walks.fits_plain(ROUTE_ATTRS, bad, 0, len(bad))


def test_compiled_decoder_is_installed_whatever_is_imported_first() -> None:
    """attrs.py does not import the compiler (no import cycle); the compiler installs its
    strict decode when imported, and any import of nlwire.wire.* imports the package, which
    imports it: a fresh interpreter importing only nlwire.wire.attrs decodes through it."""
    import subprocess
    import sys

    code = "import nlwire.wire.attrs as a, nlwire.wire.walks as w; print(a._strict is w.strict)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


# ------------------------------------------------------------------------- the compiler itself


class _Decicelsius(Kind):
    """A kind written for this test only: a little-endian s16 of tenths of a degree, as a
    float. Its code is its own (decode_code); the compiler is not told about it."""

    name = "decicelsius"

    def decode(self, buf: bytes, start: int, end: int, owner: Attrs) -> float:
        if end - start != 2:
            raise DecodeError(f"decicelsius needs 2 bytes, got {end - start}", start, owner.here)
        return int.from_bytes(buf[start:end], "little", signed=True) / 10

    def decode_code(self, c: Any) -> list[str]:
        value = c.assign(f"{c.read1('<h')} / 10")
        if c.size is not None:
            return value if c.size == 2 else c.invalid()
        bad = c.invalid()
        return ["if nxt - s == 2:", *["    " + line for line in value], "else:", *["    " + line for line in bad]]


class _Boom(Kind):
    """A kind whose contributed code raises (to see the generated line in a traceback)."""

    name = "boom"

    def decode_code(self, c: Any) -> list[str]:
        return c.assign(f"{c.const(_explode)}({c.payload()})")


def _explode(raw: bytes) -> Any:
    raise RuntimeError(f"boom on {raw!r}")


def _test_set() -> Any:
    from nlwire.consts import RTA
    from nlwire.wire.attrs import AttrSet
    from nlwire.wire.kinds import u32

    return AttrSet(RTA, {RTA.TABLE: u32, RTA.PRIORITY: _Decicelsius(), RTA.MARK: _Boom()}, name="testset")


def test_a_new_kind_contributes_its_code_without_touching_the_compiler() -> None:
    from nlwire.consts import RTA

    aset = _test_set()
    body = b"\x08\x00\x0f\x00\xfe\x00\x00\x00" + b"\x06\x00\x06\x00\x19\xff\x00\x00"  # TABLE 254, PRIORITY -23
    assert "/ 10" in compiler.source(aset)  # its code is in the generated walk
    for _ in range(3):  # the loop, then the layout-specialised walk learned from it
        got = Attrs.from_bytes(aset, body, 0, len(body), eager=True)
        assert dict(got.items()) == {RTA.TABLE: 254, RTA.PRIORITY: -23.1 + 0.0}
        assert walks.Picker(aset, (RTA.PRIORITY,))(body, 0, len(body)) == [-23.1]
    assert walks.fast(aset).compiled == 1
    short = b"\x05\x00\x06\x00\x19\x00\x00\x00"  # a 1-byte payload: the kind's own error
    with pytest.raises(DecodeError) as exc:
        Attrs.from_bytes(aset, short, 0, len(short), eager=True)
    assert (exc.value.offset, exc.value.path) == (4, "attrs[RTA.PRIORITY]")
    assert str(exc.value).startswith("decicelsius needs 2 bytes, got 1")


def test_a_traceback_shows_the_generated_line() -> None:
    import traceback

    aset = _test_set()
    body = b"\x08\x00\x10\x00abcd"  # RTA_MARK: the _Boom kind
    with pytest.raises(RuntimeError) as exc:
        Attrs.from_bytes(aset, body, 0, len(body), eager=True)
    tb = traceback.extract_tb(exc.value.__traceback__)
    frames = [f for f in tb if f.filename.startswith("<nlwire.wire.compiler")]
    assert frames, "no frame in generated code"
    assert frames[-1].name == "decode_testset"
    assert frames[-1].line is not None and "(buf[s:nxt])" in frames[-1].line  # the source line, from linecache
    text = "".join(traceback.format_exception(exc.value))
    assert frames[-1].line in text


def test_source_prints_the_generated_walk() -> None:
    text = compiler.source(ROUTE_ATTRS)
    assert text.startswith("def decode_RTA(buf, start, end, header, path, depth):")
    assert "while off <= last:" in text
    compile(text, "<test>", "exec")  # it is the source that runs
    assert compiler.source(ROUTE_ATTRS, "check").startswith("def check_RTA(")
    assert compiler.source(ROUTE_ATTRS, "frame").startswith("def frame_RTA(buf, start, end, header, path):")


# ------------------------------------------------------------------------- message walks


def _route_dump(n: int) -> bytes:
    """A dump datagram of ``n`` IPv4 /24 routes of one layout (table, dst, oif), as a
    kernel's RTM_GETROUTE dump sends them (each dst differs)."""
    import ipaddress

    from nlwire.codec import encode_many
    from nlwire.consts import NLM_F
    from nlwire.messages import Message
    from nlwire.wire.rtnetlink import RTMSG

    return encode_many([
        Message(RTM.NEWROUTE, NLM_F.MULTI, 1, 0, RTMSG.new(family=2, dst_len=24, table=254),
                Attrs(ROUTE_ATTRS, {"table": 254, "dst": ipaddress.IPv4Address(0x0A000000 + (i << 8)), "oif": 2}))
        for i in range(n)
    ])


def test_a_route_dump_decodes_in_few_calls_a_message_and_lazily_in_fewer() -> None:
    """Routes are small messages: the work per message is what counts. A strict decode
    of a layout seen before is one message walk (header, attributes, Message made in one
    function); a lazy one does less (framing checked, no value made) and never more (it
    did the same 21 calls a message as the strict one when it built an item tuple per
    attribute)."""
    from tests.workcount import steady_calls

    n = 200
    dump = _route_dump(n)
    strict = steady_calls(lambda: decode(dump, strict=True))
    lazy = steady_calls(lambda: decode(dump))
    assert strict <= 16 * n, strict / n
    assert lazy < strict, (lazy / n, strict / n)


def test_message_walks_are_learned_and_make_what_the_ordinary_decode_makes() -> None:
    from nlwire.wire.registry import lookup

    dump = _route_dump(20)
    with generic_only():
        want = [outcome(dump, NETLINK.ROUTE, None, strict) for strict in (True, False)]
    walks.forget_layouts()
    made = compiler.units_made
    for strict in (True, False):
        decode(dump, strict=strict)
    schema = lookup(NETLINK.ROUTE, RTM.NEWROUTE)
    assert schema is not None and schema.plain is not None
    learned = schema.plain[5]
    assert learned[True].compiled == learned[False].compiled == 1
    assert compiler.units_made > made
    made = compiler.units_made
    assert [outcome(dump, NETLINK.ROUTE, None, strict) for strict in (True, False)] == want
    assert compiler.units_made == made  # the message walks answered, nothing new compiled
    walks.forget_layouts()  # the budget's reset reaches them too
    assert not learned[True].sizes and not learned[False].sizes


def test_a_decoded_nest_or_top_level_can_be_put_in_new_attributes() -> None:
    """A compiled walk's Attrs (their class stands in for the slots it never writes) can
    become a nest of attributes built in Python: that sets its parent, which raised
    "'Attrs' object attribute '_parent' is read-only" for a strict decode's nests."""
    from nlwire.codec import encode
    from nlwire.consts import IFLA_INFO, VETH_INFO
    from nlwire.messages import Message
    from nlwire.wire.attrs import HeaderAndAttrs
    from nlwire.wire.rtnetlink import IFINFOMSG, LINKINFO_ATTRS

    info = Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {VETH_INFO.PEER: HeaderAndAttrs(
        IFINFOMSG.new(), Attrs(LINK_ATTRS, {IFLA.IFNAME: "peer0", IFLA.MTU: 1400, IFLA.TXQLEN: 1000}))}})
    attrs = Attrs(LINK_ATTRS, {IFLA.IFNAME: "v0", IFLA.LINKINFO: info})
    link = Message(RTM.NEWLINK, 0, 1, 0, IFINFOMSG.new(index=5), attrs)
    raw = encode(link)
    for strict in (True, False):
        for _ in range(3):  # the loop, then the layout walks
            got = decode(raw, strict=strict)[0]
        nest = got.attrs[IFLA.LINKINFO]
        again = Attrs(LINK_ATTRS, {IFLA.IFNAME: "v1", IFLA.LINKINFO: nest})
        assert again[IFLA.LINKINFO][IFLA_INFO.KIND] == "veth"
        assert nest.path == "attrs[IFLA.LINKINFO]"
        assert again.encode() == Attrs(LINK_ATTRS, {IFLA.IFNAME: "v1", IFLA.LINKINFO: info}).encode()
        top = got.attrs  # a message's own attributes, made as a peer's
        peer = Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {VETH_INFO.PEER: HeaderAndAttrs(
            got.header, top)}})
        assert peer.encode() == Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "veth", IFLA_INFO.DATA: {
            VETH_INFO.PEER: HeaderAndAttrs(link.header, link.attrs)}}).encode()




def test_a_size_of_many_layouts_stops_compiling() -> None:
    """Areas of one size in more layouts than are kept per size (ethtool's bitset bits: an
    index, a name of any length, a flag) no longer compile a layout walk every other
    message: after PER_SIZE turnovers the size is left to the loop (work counted: layout
    walks compiled over 100 rounds of 8 layouts of 28 bytes: 267 before, 9 now)."""
    import enum

    from nlwire.wire.attrs import AttrSet
    from nlwire.wire.kinds import string, u32

    class BIT(enum.IntEnum):
        INDEX = 1
        NAME = 2

    bit_set = AttrSet(BIT, {BIT.INDEX: u32, BIT.NAME: string})
    areas = []
    for n in range(12, 16):  # names of 13..16 bytes with their NUL: nla_len 17..20, 20 on the wire
        for order in ((BIT.INDEX, BIT.NAME), (BIT.NAME, BIT.INDEX)):
            values = {BIT.INDEX: n, BIT.NAME: "x" * n}
            areas.append(Attrs(bit_set, [(k, values[k]) for k in order]).encode())
    assert {len(a) for a in areas} == {28} and len(set(map(bytes, (a[:4] + a[8 + 12:12 + 12] for a in areas)))) > 4
    walks.forget_layouts()
    f = walks.fast(bit_set)
    for _ in range(100):
        for area in areas:
            got = Attrs.from_bytes(bit_set, area, 0, len(area), eager=True)
            assert got[BIT.NAME] == "x" * got[BIT.INDEX]
    assert f.compiled <= 2 * walks.PER_SIZE + 1, f.compiled
