"""The dissector's writers ask the kinds (issue 12, items 1 and 3): how a value renders is
the kind's own ``render`` / ``resolve``, never a switch on kind classes in dissect/."""

from __future__ import annotations

import ast
from pathlib import Path

from nlwire.consts import AF, IFLA, IFLA_INFO
from nlwire.wire.attrs import Attrs, Kind
from nlwire.wire.rtnetlink import IFINFOMSG, LINK_ATTRS, LINKINFO_ATTRS

ROOT = Path(__file__).resolve().parent.parent
DISSECT = ROOT / "dissect" / "netlink"
# the kinds themselves (and the declaration helpers that build them) may know their classes
KIND_MODULES = {"attrs.py", "scalars.py", "compound.py", "kinds.py"}
OUTSIDE_THE_KINDS = sorted(
    [*DISSECT.glob("*.py"), *(p for p in (ROOT / "nlwire").rglob("*.py")
                              if not (p.parent.name == "wire" and p.name in KIND_MODULES))]
)
_MEMBERSHIP = (ast.Is, ast.IsNot, ast.In, ast.NotIn)


def _kind_classes() -> set[str]:
    out: set[str] = set()
    todo: list[type] = [Kind]
    while todo:
        cls = todo.pop()
        out.add(cls.__name__)
        todo += cls.__subclasses__()
    return out


def _names(node: ast.expr) -> list[str]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return [n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else "" for n in items]


def test_nothing_outside_the_kinds_switches_on_kind_classes() -> None:
    """No ``isinstance(x, Nested)``, ``type(kind) is Int``, ``tk in (StructKind, ...)`` or
    tuple of kind classes to test against (``_SIMPLE = (Int, String, ...)``) outside the kind
    modules: in the dissector's writers (38 such switches in emit, layouts and tree before,
    6 in summary), the compiler and walks (6 in layout.py before), the codec, the client, the
    jobs and the strategies (12 before)."""
    kinds = _kind_classes()
    assert {"Int", "String", "Nested", "ByHeader", "IndexedMap"} <= kinds
    found = []
    for path in OUTSIDE_THE_KINDS:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            hits: list[str] = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("isinstance", "issubclass"):
                    hits = [n for n in _names(node.args[1]) if n in kinds]
            elif isinstance(node, ast.Compare) and any(isinstance(op, _MEMBERSHIP) for op in node.ops):
                hits = [n for c in node.comparators for n in _names(c) if n in kinds]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Tuple, ast.Set)):
                hits = [n for n in _names(node.value) if n in kinds]  # a table of classes to test against
            if hits:
                found += [f"{path.name}:{getattr(node, 'lineno', 0)} {n}" for n in hits]
    assert not found, found


def test_a_kind_resolves_as_it_decodes() -> None:
    """``Kind.resolve(owner)`` is the kind that reads the payload among ``owner``'s
    attributes: a sibling's choice (through a chain of them: IFLA_INFO_SLAVE_DATA falls back
    on IFLA_INFO_KIND "<master>_slave"), a header field's, or the kind itself."""
    data = LINKINFO_ATTRS.kind(IFLA_INFO.DATA)
    slave = LINKINFO_ATTRS.kind(IFLA_INFO.SLAVE_DATA)
    veth = Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "veth"})
    port = Attrs(LINKINFO_ATTRS, {IFLA_INFO.KIND: "bridge_slave"})
    assert data.resolve(veth).render == "nest"
    assert data.resolve(veth).attr_set.name_of(1, "kernel") == "VETH_INFO_PEER"  # type: ignore[attr-defined]
    assert slave.resolve(port).attr_set.name_of(1, "kernel") == "IFLA_BRPORT_STATE"  # type: ignore[attr-defined]
    assert data.resolve(None) is data and data.render == "by_sibling"
    assert data.resolve(Attrs(LINKINFO_ATTRS, {})).render == "bytes"  # no kind: the default, raw bytes
    assert LINKINFO_ATTRS.kind(IFLA_INFO.KIND).resolve(veth).render == "cstring"
    af_spec = LINK_ATTRS.kind(IFLA.AF_SPEC)
    bridge = IFINFOMSG.new(family=int(AF.BRIDGE))
    assert af_spec.render == "by_header"
    assert af_spec.for_header(bridge) is af_spec.resolve(Attrs(LINK_ATTRS, {}, header=bridge))  # type: ignore[attr-defined]
    assert af_spec.for_header(None) is af_spec.default  # type: ignore[attr-defined]
