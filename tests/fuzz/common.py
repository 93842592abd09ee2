"""Shared bits of the atheris harnesses: the schema objects to aim at and the run loop."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

# netlink families a selector byte maps to: rtnetlink and genl most often, plus
# families nlwire has no schema for (their messages must decode as raw payloads)
PROTOCOLS = (0, 0, 0, 16, 16, 12, 4, 9)


def schema_objects() -> tuple[list[Any], list[Any]]:
    """Every AttrSet and FixedStruct declared in nlwire.wire, in a stable order."""
    import nlwire.wire.genetlink
    import nlwire.wire.netlink
    import nlwire.wire.nfnetlink
    import nlwire.wire.rtnetlink
    import nlwire.wire.sock_diag
    from nlwire.wire.attrs import AttrSet
    from nlwire.wire.fixed import FixedStruct

    sets: dict[str, Any] = {}
    fixed: dict[str, Any] = {}
    mods = (nlwire.wire.netlink, nlwire.wire.rtnetlink, nlwire.wire.genetlink, nlwire.wire.nfnetlink,
            nlwire.wire.sock_diag)
    for mod in mods:
        for name, value in sorted(vars(mod).items()):
            if isinstance(value, AttrSet):
                sets.setdefault(f"{mod.__name__}.{name}", value)
            elif isinstance(value, FixedStruct):
                fixed.setdefault(f"{mod.__name__}.{name}", value)
    return [sets[k] for k in sorted(sets)], [fixed[k] for k in sorted(fixed)]


def protocol_byte(family: int) -> int:
    """A selector byte whose low 3 bits pick ``family`` in PROTOCOLS."""
    return PROTOCOLS.index(family) if family in PROTOCOLS else 0
