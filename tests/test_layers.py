"""DESIGN.md's import arrows, checked on the source with ast: what each layer may import,
the layer order of nlwire's modules, and no import cycle among nlwire/ and dissect/ modules."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for d in ("nlwire", "dissect") for p in (REPO / d).rglob("*.py"))
# the schema layer and the codec (issue 12: dissect -> wire/codec only); what needs a socket
# (live genl family lookup, `nlwire monitor`) is done by nlwire/cli.py and handed in
DISSECT_MAY_USE = {"nlwire.wire", "nlwire.consts", "nlwire.errors", "nlwire.codec"}


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


# ------------------------------------------------------------------ the module graph


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in SOURCES}


def resolve(name: str) -> str | None:
    """The project module ``name`` (a module, or a name in one) is, else None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def edges(path: Path) -> set[str]:
    """The project modules ``path`` imports, wherever the import statement is (module level,
    in a function, under ``if TYPE_CHECKING``): ``from pkg import mod`` is an edge to
    ``pkg.mod`` only, ``from pkg import name`` one to ``pkg``."""
    me = module_name(path)
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [resolve(a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            targets = [s if s in MODULES else resolve(node.module) for s in subs]
        else:
            continue
        out.update(t for t in targets if t is not None and t != me)
    return out


GRAPH = {name: edges(path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, each sorted (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycle_path(graph: dict[str, set[str]], comp: list[str]) -> str:
    """One cycle through ``comp``'s first module, as ``a -> b -> a``."""
    members = set(comp)
    start = comp[0]
    prev: dict[str, str] = {}
    todo = [start]
    while todo:  # breadth-first back to start inside the component
        v = todo.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(prev[path[-1]])
                return " -> ".join([*reversed(path), start])
            if w not in prev:
                prev[w] = v
                todo.append(w)
    return " <-> ".join(comp)


def test_no_import_cycle() -> None:
    found = cycles(GRAPH)
    assert not found, "import cycles: " + "; ".join(cycle_path(GRAPH, c) for c in found)


def test_cycle_check_sees_cycles() -> None:
    """The checker itself: a function-level import closing a loop is a cycle, reported as one."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycle_path(graph, ["a", "b", "c"]) == "a -> b -> c -> a"
    src = "def f():\n    from dissect.netlink.dissector import Dissector\n"
    tree_edges = {n.module for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
    assert tree_edges == {"dissect.netlink.dissector"}


# the layer order of DESIGN.md: consts -> wire -> codec -> session -> client -> rtnl/genl; a module
# may import its own layer and the layers before it, never a later one
LAYERS = [
    ("nlwire.consts", "nlwire.errors"),
    ("nlwire.wire", "nlwire._objects"),
    ("nlwire.messages", "nlwire.codec"),
    ("nlwire.recipe", "nlwire.rtnl_jobs", "nlwire.sock_diag_jobs"),  # the jobs' requests and results: no I/O
    ("nlwire.session", "nlwire.netns", "nlwire.pcapwriter"),
    ("nlwire.client",),
    ("nlwire.rtnl", "nlwire.genl", "nlwire.sock_diag"),
    ("nlwire.strategies", "nlwire.cli", "nlwire.__main__", "nlwire"),
]


def layer(name: str) -> int | None:
    for i, tops in enumerate(LAYERS):
        if any(name == t if t == "nlwire" else under(name, t) for t in tops):
            return i
    return None


@pytest.mark.parametrize("name", sorted(n for n in MODULES if under(n, "nlwire")))
def test_layer_order(name: str) -> None:
    mine = layer(name)
    assert mine is not None, f"{name} is in no layer of LAYERS"
    later = sorted(t for t in GRAPH[name] if under(t, "nlwire") and (layer(t) or 0) > mine)
    assert not later, f"{name} (layer {LAYERS[mine]}) imports the later {later}"


def reach(name: str) -> set[str]:
    """The project modules ``name`` imports, directly or through others (itself included)."""
    seen = {name}
    todo = [name]
    while todo:
        for dep in GRAPH[todo.pop()] - seen:
            seen.add(dep)
            todo.append(dep)
    return seen


IO_MODULES = ("socket", "selectors", "asyncio", "nlwire.session", "nlwire.client", "nlwire.netns")


@pytest.mark.parametrize("name", ["nlwire.recipe", "nlwire.rtnl_jobs", "nlwire.sock_diag_jobs"])
def test_job_declarations_do_no_io(name: str) -> None:
    """The requests and result recipes of the jobs are socket-free, so that another front end
    (an asyncio one) can use them unchanged: nothing they reach imports a socket, a selector,
    the session, the client or namespace switching."""
    reached = reach(name)
    bad = sorted(f"{mod} imports {n}" for mod in reached for n in imports(MODULES[mod])
                 if any(under(n, top) for top in IO_MODULES))
    assert not bad, bad
    assert "nlwire.wire.walks" in reached  # the check follows imports through the wire layer


def test_io_check_sees_io() -> None:
    """The check itself: the blocking jobs reach the client's socket."""
    assert {"nlwire.client", "nlwire.rtnl_jobs"} <= reach("nlwire.rtnl")
    assert "socket" in imports(MODULES["nlwire.client"])


@pytest.mark.parametrize("path", [p for p in SOURCES if not under(module_name(p), "nlwire.consts")],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_nla_masks_spelled_once(path: Path) -> None:
    """The nla_type masks live in nlwire.consts (NLA_TYPE_MASK, NLA_F): no other module spells
    0x3FFF or 0xC000 (whatever the base), nor ANDs with 0x8000 / 0x4000."""
    tree = ast.parse(path.read_text(), str(path))
    bad = {n.lineno for n in ast.walk(tree)
           if isinstance(n, ast.Constant) and type(n.value) is int and n.value in (0x3FFF, 0xC000)}
    bad |= {n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitAnd)
            and any(isinstance(o, ast.Constant) and o.value in (0x8000, 0x4000) for o in (n.left, n.right))}
    assert not bad, f"{path.relative_to(REPO)} spells an nla_type mask on lines {sorted(bad)}: use nlwire.consts"
