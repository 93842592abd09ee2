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


def installed_specs() -> tuple[Any, ...]:
    """The kernel's YAML specs installed on this machine, loaded (none when absent: the
    harnesses then aim at the hand declarations only). tests/spec_marks.py is imported when
    called, as nlwire is here: after the harness has begun instrumenting nlwire's modules."""
    from tests.spec_marks import installed_specs as loaded

    return loaded()


def genl_ids() -> Any:
    """A fresh GenlIds knowing every installed generic spec's family (tests/spec_marks.py)."""
    from tests.spec_marks import genl_ids as fresh

    return fresh()


def spec_family_seeds(per_family: int = 3) -> list[bytes]:
    """A few messages of each installed generic spec's family, drawn by nlwire.strategies
    and encoded (family id as :func:`genl_ids` numbers it): the captures hold few."""
    import warnings

    from hypothesis.errors import NonInteractiveExampleWarning

    import nlwire.strategies as nls
    from nlwire.codec import encode
    from tests.spec_marks import SPEC_ID_BASE

    ids = genl_ids()
    out: list[bytes] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for fid in sorted(ids.by_id):
            if fid >= SPEC_ID_BASE:
                strategy = nls.messages(16, [fid], genl=ids, control=False)
                out += [encode(strategy.example()) for _ in range(per_family)]
    return out


def schema_objects() -> tuple[list[Any], list[Any]]:
    """Every AttrSet and FixedStruct declared in nlwire.wire, then those of the installed
    specs, in a stable order."""
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
    for spec in installed_specs():
        for name, attr_set in sorted(spec.attr_sets.items()):
            sets.setdefault(f"spec {spec.name}.{name}", attr_set)
        for name, struct in sorted(spec.structs.items()):
            fixed.setdefault(f"spec {spec.name}.{name}", struct)
    return [sets[k] for k in sorted(sets)], [fixed[k] for k in sorted(fixed)]


def protocol_byte(family: int) -> int:
    """A selector byte whose low 3 bits pick ``family`` in PROTOCOLS."""
    return PROTOCOLS.index(family) if family in PROTOCOLS else 0
