"""nlwire._objects: the fast constructors must make exactly what the public ones make.

``network(raw, prefixlen)`` against ``ipaddress.ip_network((int, prefixlen), strict=False)``
for every prefix length of both families and for hypothesis-drawn addresses; both
shortcuts' fallbacks are taken when their self-check fails (a subclass keeping other
state, a dataclass whose layout no twin can share).
"""

from __future__ import annotations

import copy
import dataclasses
import ipaddress
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlwire._objects import _Networks, maker, network
from nlwire.rtnl import Address, Link, Nexthop, Route


def reference(raw: bytes, plen: int) -> Any:
    net = ipaddress.IPv4Network if len(raw) == 4 else ipaddress.IPv6Network
    return net((int.from_bytes(raw, "big"), plen), strict=False)


def assert_same_network(ours: Any, ref: Any) -> None:
    assert type(ours) is type(ref)
    assert ours == ref and hash(ours) == hash(ref)
    assert (str(ours), repr(ours)) == (str(ref), repr(ref))
    assert sorted(vars(ours)) == sorted(vars(ref))  # the same instance state, hosts included
    for name in ("network_address", "netmask", "broadcast_address", "hostmask"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert type(a) is type(b) and a == b and hash(a) == hash(b), name
    assert ours.network_address.packed == ref.network_address.packed
    for name in ("prefixlen", "num_addresses", "with_netmask"):
        assert getattr(ours, name) == getattr(ref, name), name
    if ours.version == 6:
        assert ours.network_address.scope_id == ref.network_address.scope_id
    if ref.prefixlen >= ref.max_prefixlen - 1:  # the constructor's per-instance hosts
        assert list(ours.hosts()) == list(ref.hosts())
        assert list(ours.hosts()) is not list(ours.hosts())
    else:
        first = next(iter(ours.hosts()))
        assert first == next(iter(ref.hosts()))
    if ref.prefixlen:
        assert ours.supernet() == ref.supernet()
    assert ours.overlaps(ref) and ref.subnet_of(ours) and ours.subnet_of(ref)
    assert pickle.loads(pickle.dumps(ours)) == ref
    assert copy.deepcopy(ours) == ref


@pytest.mark.parametrize("width", [4, 16])
def test_every_prefix_length_is_the_public_constructors_network(width: int) -> None:
    for base in (b"\x00" * width, b"\xff" * width, bytes(range(1, width + 1)), b"\xa5" * width):
        for plen in range(width * 8 + 1):
            masked = reference(base, plen).network_address.packed
            for raw in (masked, base):  # a network address, then (mostly) host bits set
                assert_same_network(network(raw, plen), reference(raw, plen))


@given(st.one_of(st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16)), st.data())
def test_drawn_networks_are_the_public_constructors(raw: bytes, data: st.DataObject) -> None:
    plen = data.draw(st.integers(0, len(raw) * 8))
    if data.draw(st.booleans()):
        raw = reference(raw, plen).network_address.packed
    assert_same_network(network(raw, plen), reference(raw, plen))


@pytest.mark.parametrize(("raw", "plen"), [(b"", 0), (b"\x0a\x00", 8), (b"\x0a" * 5, 8), (b"\x0a" * 4, 33),
                                           (b"\x0a" * 4, -1), (b"\x00" * 16, 129)])
def test_what_is_no_network_comes_back_as_it_is(raw: bytes, plen: int) -> None:
    assert network(raw, plen) is raw


def test_a_network_class_keeping_other_state_is_made_by_its_constructor() -> None:
    class Tagged(ipaddress.IPv4Network):
        def __init__(self, address: Any, strict: bool = True) -> None:
            super().__init__(address, strict)
            self.tag = "made by __init__"

    make = _Networks(Tagged).from_bytes
    for plen in (0, 8, 24, 31, 32):
        made = make(b"\x0a\x00\x00\x00", plen)
        assert type(made) is Tagged and made.tag == "made by __init__"
        assert made == ipaddress.ip_network(f"10.0.0.0/{plen}", strict=False)


# ------------------------------------------------------------------ maker


def test_result_classes_take_the_fast_constructor() -> None:
    for cls in (Link, Address, Nexthop, Route):
        make = maker(cls)
        assert not make.__name__.endswith("_slow"), cls


def test_a_layout_no_twin_shares_falls_back_to_the_slot_setters() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, weakref_slot=True)
    class Weak:
        a: int
        b: str = "x"

    make = maker(Weak)
    assert make.__name__.endswith("_slow")  # the twin has no __weakref__: __class__ assignment refused
    made = make(1, "y")
    assert type(made) is Weak and made == Weak(1, "y") and hash(made) == hash(Weak(1, "y"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = 2  # type: ignore[misc]


def test_maker_sets_every_field_in_order() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Many:
        z: int
        a: int
        m: int
        b: int = 0

    values = [object() for _ in range(4)]
    made = maker(Many)(*values)
    assert [made.z, made.a, made.m, made.b] == values
    assert repr(made) == repr(Many(*values))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        maker(Many)(1, 2, 3)  # positional, every field, no defaults
