"""A hand declaration's member whose kind the kernel's installed YAML spec gives
(:func:`from_spec`), made on first use: importing a declaration that uses it loads neither
the spec loader (:mod:`nlwire.wire.specs`) nor YAML; only decoding, encoding or drawing
such a member does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nlwire.wire.attrs import Kind
from nlwire.wire.compound import BySibling
from nlwire.wire.kinds import Deferred, binary

__all__ = ["from_spec"]


def from_spec(
    family: str, set_name: str, member: str, fallback: Kind | None = None, more: Mapping[Any, Kind] | None = None
) -> Deferred:
    """The kind of attribute ``member`` of set ``set_name`` in the kernel's installed spec
    ``family`` (:func:`~nlwire.wire.specs.load_spec`), or ``fallback`` (:data:`~nlwire.wire.kinds.binary`)
    when that spec is not installed: ``from_spec("tc", "tc-attrs", "options")`` is tc's
    options chosen by the sibling ``kind`` (htb's attributes, tbf's...). ``more`` adds
    choices the spec's sub-message lacks to a kind a sibling chooses (the spec's own win).
    The spec is loaded when the kind is first used, not when the declaration is imported."""

    def make() -> Kind:
        from nlwire.errors import SpecNotFound
        from nlwire.wire.specs import load_spec

        try:
            attr_set = load_spec(family, register=False).attr_sets[set_name]
        except SpecNotFound:
            return fallback or binary
        kind = attr_set.kind(attr_set.type_of(member))
        selector = kind.sibling_selector()
        if more and selector is not None:
            return BySibling(selector.key, {**more, **selector.choices}, selector.default)
        return kind

    return Deferred(make, f"{family} {set_name} {member}")
