"""What a command imports, counted in a fresh interpreter (sys.modules), never timed:
``import nlwire`` loads nothing of the package until a name is used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CAPTURES = Path(__file__).resolve().parent.parent / "captures"


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


def test_a_summary_imports_only_what_it_uses(tmp_path: Path) -> None:
    """``nlwire dissect --summary`` of a route capture loads neither the client side
    (sockets, jobs), nor nftables' schemas and constants (loaded on first use, by a
    netfilter message), nor the compiled text/JSON layouts; a netfilter capture loads
    nftables' on the way. What start-up made is frozen out of the collector's way."""
    code = (
        "import runpy, sys\n"
        "sys.argv = ['nlwire', 'dissect', '--summary', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('nlwire', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import gc\n"
        "print(gc.get_freeze_count(), ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )

    def loaded(capture: Path) -> set[str]:
        run = subprocess.run([sys.executable, "-c", code, str(capture)], capture_output=True, text=True, check=True)
        assert "RTM_" in run.stdout or "NFT_MSG_" in run.stdout
        frozen, *names = run.stderr.split()
        # start-up's objects frozen (gc.freeze): a full collection does not walk them again
        assert int(frozen) > 10000
        return set(names)

    route = loaded(CAPTURES / "monitor.pcap")
    assert "dissect.netlink.summary" in route
    unused = {"nlwire.client", "nlwire.session", "nlwire.rtnl", "nlwire.genl", "dissect.netlink.layouts",
              "nlwire.consts.nf_tables", "nlwire.wire.nfnetlink"}
    assert not route & unused, sorted(route & unused)
    nft = loaded(CAPTURES / "nft-ruleset.pcap")
    assert {"nlwire.consts.nf_tables", "nlwire.wire.nfnetlink"} <= nft
