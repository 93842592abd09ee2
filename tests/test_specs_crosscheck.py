"""The hand declarations of nlwire/wire/rtnetlink.py held against the kernel's own specs
(rt_link, rt_addr, rt_route, tc: netlink-raw, their attribute sets loaded by
nlwire.wire.specs): every attribute both describe agrees on its number, its name and a
compatible kind, walking nests and the nests a sibling selects (IFLA_INFO_DATA by kind)
on both sides together. Each disagreement is printed; the deliberate ones are listed
below with their reason, anything else fails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nlwire.wire import rtnetlink as hand
from nlwire.wire.attrs import AttrSet, Kind
from nlwire.wire.kinds import Deferred
from nlwire.wire.specs import Spec, c_name, load_spec
from tests.spec_marks import HINT, INSTALLED

ROOTS = [("rt_link", "link-attrs", hand.LINK_ATTRS), ("rt_addr", "addr-attrs", hand.ADDR_ATTRS),
         ("rt_route", "route-attrs", hand.ROUTE_ATTRS), ("tc", "tc-attrs", hand.TCA_ATTRS)]

DELIBERATE = {
    # ip6_gre.c reads it with nla_get_u8 and iproute2 sends one byte (test_link_kinds compares
    # nlwire's request with iproute2's); the rt_link spec's linkinfo-gre6-attrs say u32
    ("kind", "IFLA_GRE_ENCAP_LIMIT"): (
        "the kernel reads a u8 (ip6gre_netlink_parms: nla_get_u8); the spec's u32 is wrong"
    ),
    # uapi if_link.h: #define IFLA_TARGET_NETNSID IFLA_IF_NETNSID; nlwire keeps the older name
    ("name", "IFLA_IF_NETNSID"): "an alias in the uapi header (IFLA_TARGET_NETNSID == IFLA_IF_NETNSID)",
    # no ifla_policy entry and nothing in the kernel writes them; the spec guesses string
    ("kind", "IFLA_COST"): "unused by the kernel (no ifla_policy entry); the spec's string is a guess",
    ("kind", "IFLA_PRIORITY"): "unused by the kernel (no ifla_policy entry); the spec's string is a guess",
    # rtnl_fill_ifinfo: af_ops->fill_link_af / bridge nests per family; the spec says string
    ("kind", "IFLA_PROTINFO"): "nested per address family (br_port_fill_attrs, inet6_fill_ifla6_attrs), "
                               "chosen by ifinfomsg.family; the spec's string is wrong",
    # rtnl_fill_proto_down: nla_nest_start(IFLA_PROTO_DOWN_REASON) with _MASK and _VALUE
    ("kind", "IFLA_PROTO_DOWN_REASON"): "a nest of IFLA_PROTO_DOWN_REASON_MASK/VALUE (rtnl_fill_proto_down)",
    # uapi if_link.h spells them so; the spec's attribute names give another C spelling
    ("name", "IFLA_BR_NF_CALL_IP6TABLES"): "the uapi's name (the spec's nf-call-ip6-tables reads IP6_TABLES)",
    ("name", "IFLA_VLAN_FLAGS"): "the uapi's name (the spec calls it flag)",
    # uapi if_link.h: struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; }, the bridge id as
    # the bridge keeps it (network order); the spec reads prio as a host-order u16
    **{("kind", f"IFLA_{n}"): "ifla_bridge_id.prio is 2 bytes in network order (uapi __u8 prio[2]), "
                               "the spec's u16 is host order"
       for n in ("BR_ROOT_ID", "BR_BRIDGE_ID", "BRPORT_ROOT_ID", "BRPORT_BRIDGE_ID")},
    # uapi rtnetlink.h: struct rta_cacheinfo has 8 u32 (rta_id, rta_ts, rta_tsage too)
    ("kind", "RTA_CACHEINFO"): "the spec's rta-cacheinfo lists 5 of struct rta_cacheinfo's 8 fields "
                               "(the kernel sends 32 bytes; a struct kind keeps the rest as extra bytes)",
}
"""(category, kernel name) -> why nlwire differs from the installed spec."""


def _compatible(ours: Kind, theirs: Kind) -> bool:
    """Same payload shape: raw bytes on either side fit anything (a spec's untyped binary,
    or nlwire not decoding it further); integers of one width (or a variable-width one);
    text; nests of any form; structs of the same fields (nlwire keeps a C struct's tail
    padding as extra bytes where the spec's C layout counts it: gnet_stats_basic)."""
    a, b = ours.render, theirs.render
    if "bytes" in (a, b):
        return True
    ints = ("int", "varint")
    if a in ints and b in ints:
        return a != b or getattr(ours, "size", None) == getattr(theirs, "size", None)
    if {a, b} <= {"text", "cstring"}:
        return True
    nests = ("nest", "entries", "by_sibling", "by_header", "struct_attrs")
    if a in nests and b in nests:
        return True
    if a == b == "struct":  # the same fields (their names aside) whatever the trailing padding
        return bool(ours.fixed.formats == theirs.fixed.formats)  # type: ignore[attr-defined]
    return a == b


def _pairs(ours: Kind, theirs: Kind) -> Iterator[tuple[AttrSet, AttrSet]]:
    """The attribute sets inside both kinds, side by side: one nest each, or the nests a
    sibling's value selects on both sides."""
    mine = [s for _k, s in ours.inner() if s is not None]
    others = [s for _k, s in theirs.inner() if s is not None]
    if len(mine) == 1 and len(others) == 1:
        yield mine[0], others[0]
    a, b = ours.sibling_selector(), theirs.sibling_selector()
    if a is not None and b is not None:
        for value, kind in a.choices.items():
            if value in b.choices:
                yield from _pairs(kind, b.choices[value])


def _disagreements(
    spec: Spec, root: AttrSet, spec_root: AttrSet, compared: list[str] | None = None, taken: list[str] | None = None
) -> list[tuple[str, str, str]]:
    """(category, kernel name, detail) for every attribute both sides describe (their
    names appended to ``compared``; those whose kind nlwire takes from the spec itself
    also to ``taken``, not walked further)."""
    out: list[tuple[str, str, str]] = []
    compared = [] if compared is None else compared
    taken = [] if taken is None else taken
    seen: set[tuple[int, int]] = set()
    # (by enum: a set a sibling's value varies, as TCA_STATS2 by TCA_KIND, is a copy with its enum)
    unprefixed = {s.enum for key, s in spec.attr_sets.items() if s.enum.__name__ == c_name(key)}

    def walk(ours: AttrSet, theirs: AttrSet, where: str) -> None:
        if (id(ours), id(theirs)) in seen:
            return
        seen.add((id(ours), id(theirs)))
        for atype, kind in ours.kinds.items():
            name = ours.name_of(atype, "kernel")
            try:
                member = theirs.enum(atype).name
            except ValueError:
                out.append(("absent", name, f"{where}: not in the {spec.name} spec (newer than it)"))
                continue
            compared.append(name)
            spec_name = theirs.name_of(atype, "kernel")
            if spec_name != name and not (theirs.enum in unprefixed and name.endswith("_" + member)):
                out.append(("name", name, f"{where}: number {atype} is {spec_name} in the spec"))
            other = theirs.kinds.get(atype)
            if other is None:
                continue
            if isinstance(kind, Deferred) and kind.kind is other:
                # a hand declaration that takes its kind from the spec (TCA_OPTIONS): the spec's own
                taken.append(name)
                continue
            if not _compatible(kind, other):
                out.append(("kind", name, f"{where}: nlwire {kind.name} ({kind.render}), "
                                          f"spec {other.name} ({other.render})"))
                continue
            for a, b in _pairs(kind, other):
                walk(a, b, f"{where}/{name}")

    walk(root, spec_root, spec.name)
    return out


@pytest.mark.parametrize(("family", "set_name", "declared"), ROOTS, ids=[r[0] for r in ROOTS])
def test_hand_declarations_agree_with_the_kernel_spec(family: str, set_name: str, declared: AttrSet) -> None:
    if family not in INSTALLED:
        pytest.skip(f"the {family} spec is not installed ({HINT})")
    spec = load_spec(family, register=False)
    compared: list[str] = []
    taken: list[str] = []
    found = _disagreements(spec, declared, spec.attr_sets[set_name], compared, taken)
    print(f"{family}: {len(compared)} attributes compared, {len(found)} differences; the spec's kind taken by "
          f"{', '.join(taken) or 'none'}")
    errors = []
    for category, name, detail in found:
        reason = DELIBERATE.get((category, name))
        verdict = f"deliberate: {reason}" if reason else ("newer than the spec" if category == "absent" else "ERROR")
        print(f"{category:7} {name:32} {detail} -- {verdict}")
        if verdict == "ERROR":
            errors.append(f"{category} {name}: {detail}")
    assert len(compared) > 10
    assert not errors, "\n".join(errors)


def test_every_deliberate_difference_is_met() -> None:
    """No stale entry in DELIBERATE: each is a difference the installed specs show."""
    if not all(family in INSTALLED for family, _s, _d in ROOTS):
        pytest.skip("the rt_link, rt_addr, rt_route and tc specs are not all installed")
    met = set()
    for family, set_name, declared in ROOTS:
        spec = load_spec(family, register=False)
        met |= {(c, n) for c, n, _d in _disagreements(spec, declared, spec.attr_sets[set_name])}
    assert set(DELIBERATE) <= met, sorted(set(DELIBERATE) - met)


def test_the_check_finds_a_disagreement() -> None:
    """The walk itself: a declared set whose number, name or width differs is reported."""
    if "rt_addr" not in INSTALLED:
        pytest.skip(f"the rt_addr spec is not installed ({HINT})")
    import enum

    from nlwire.wire.kinds import string, u16

    class IFA(enum.IntEnum):
        LABEL = 3
        LOCALX = 2
        FLAGS = 8

    spec = load_spec("rt_addr", register=False)
    broken = AttrSet(IFA, {IFA.LABEL: string, IFA.LOCALX: string, IFA.FLAGS: u16})
    found = {(c, n) for c, n, _d in _disagreements(spec, broken, spec.attr_sets["addr-attrs"])}
    assert ("name", "IFA_LOCALX") in found and ("kind", "IFA_FLAGS") in found
    assert not any(n == "IFA_LABEL" for _c, n in found)
