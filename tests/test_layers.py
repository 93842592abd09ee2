"""DESIGN.md's import arrows, checked on the source with ast."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for d in ("nlwire", "dissect") for p in (REPO / d).rglob("*.py"))
# the schema layer, plus nlwire.genl / nlwire.client for live genl family lookup and `nlwire monitor`
DISSECT_MAY_USE = {"nlwire.wire", "nlwire.consts", "nlwire.errors", "nlwire.codec", "nlwire.messages",
                   "nlwire.genl", "nlwire.client"}


def imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def under(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_import_arrows(path: Path) -> None:
    rel = path.relative_to(REPO).as_posix()
    names = imports(path)
    rules = [
        ("construct", rel.startswith("nlwire/wire/")),
        ("socket", rel == "nlwire/client.py"),
        ("selectors", rel == "nlwire/client.py"),
        ("scapy", rel == "dissect/netlink/pcap.py"),
        ("dissect", rel == "nlwire/cli.py" or rel.startswith("dissect/")),
    ]
    for top, allowed in rules:
        bad = sorted(n for n in names if under(n, top))
        assert allowed or not bad, f"{rel} imports {bad}"
    if rel.startswith("dissect/"):
        bad = sorted(n for n in names if under(n, "nlwire") and n != "nlwire"
                     and not any(under(n, ok) for ok in DISSECT_MAY_USE))
        assert not bad, f"{rel} imports {bad}: dissect may use only {sorted(DISSECT_MAY_USE)}"


def test_sources_found() -> None:
    assert any(p.as_posix().endswith("nlwire/wire/attrs.py") for p in SOURCES)
