"""What a command imports, counted in a fresh interpreter (sys.modules), never timed:
``import nlwire`` loads nothing of the package until a name is used."""

from __future__ import annotations

import subprocess
import sys


def _modules(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_import_nlwire_loads_no_submodule() -> None:
    """``import nlwire`` (every command's first import, ``nlwire dissect`` too) loads none
    of the package's modules and not construct; each public name loads on first use."""
    loaded = _modules("import nlwire")
    assert not {m for m in loaded if m.startswith("nlwire.") or m.startswith("construct")}
    names = _modules(
        "import nlwire\nfor n in nlwire.__all__: getattr(nlwire, n)\nfrom nlwire import *\nassert Socket and decode"
    )
    assert {"nlwire.codec", "nlwire.client", "nlwire.rtnl", "nlwire.genl", "nlwire.netns"} <= names
