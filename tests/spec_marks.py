"""Which of the kernel's YAML netlink specs this machine has installed, the mark that
skips a test needing some that are absent (with what installs them), and the installed
specs loaded, their generic families given ids (for the laws and the fuzz harnesses)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from nlwire.wire.registry import GenlIds
from nlwire.wire.specs import Spec, load_spec, spec_names

if TYPE_CHECKING:
    import pytest

INSTALLED = spec_names()
"""The spec names found where nlwire looks (``NLWIRE_SPEC_PATH``, then the standard places)."""

HINT = "Debian: apt-get install linux-doc-6.12, or set NLWIRE_SPEC_PATH"


def needs_spec(*names: str) -> pytest.MarkDecorator:
    """Skip unless every spec in ``names`` is installed (none given: unless any is)."""
    import pytest  # (imported here: the fuzz harnesses use this module without pytest's marks)

    missing = [n for n in names if n not in INSTALLED] if names else ([] if INSTALLED else ["any"])
    return pytest.mark.skipif(bool(missing), reason=f"kernel netlink spec(s) {', '.join(missing)} not installed "
                                                    f"({HINT})")


@cache
def installed_specs() -> tuple[Spec, ...]:
    """Every installed spec, loaded (not registered), in the order of their names."""
    return tuple(load_spec(name, register=False) for name in INSTALLED)


SPEC_ID_BASE = 0x100
"""The installed generic specs' families are given ids from here, in the order of their names."""


def genl_ids() -> GenlIds:
    """A fresh GenlIds knowing nlctrl and every installed generic spec's family (ids from
    :data:`SPEC_ID_BASE`), so messages of those families decode by their specs."""
    ids = GenlIds()
    families = [s.genl for s in installed_specs() if s.genl is not None and s.name != "nlctrl"]
    for number, family in enumerate(families):
        ids.learn(SPEC_ID_BASE + number, family.name, family)
    return ids
