"""Every code block of README.md runs, so the documentation cannot drift from the code.

* ``python`` blocks run each in a fresh interpreter, ``sh`` blocks each in ``bash``, inside a
  private network namespace *and* a private mount namespace whose ``/run/netns`` is an empty
  tmpfs: the named namespaces a block uses (``Rtnl(netns="blue")``) are created there, never
  on the host. The working directory mirrors the repository (a link to each top-level entry),
  so ``captures/...`` resolves as from the repository while files a block writes
  (``capture="trace.pcap"``) land in a temporary directory. ``nlwire`` is this checkout's.
* A block followed by "prints ... `TEXT`" must print TEXT; one followed by "raises `TEXT`"
  must fail with TEXT in its traceback. A one-line expression whose comment starts with a
  Python literal (``back.attrs.ifname  # 'br0'``) states its value: the line runs as an
  ``assert`` of it (a literal holding ``...``, an elision, is not checked).
* Markers (an HTML comment right before the block): ``<!-- test-command -->`` is the test
  suite's command, which .ci/run runs (here it would recurse); ``<!-- not-run: reason -->``
  a deliberately illustrative block; ``<!-- excerpt: PATH -->`` a block whose assignments
  are the declarations of PATH (a dict in the block may list a subset of the source's items,
  a call a subset of its keyword arguments), checked here without privileges.
* In ``sh`` blocks, ``pip install`` commands (the set-up) are left out.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.netns_fixtures import needs_ip, needs_root

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)
MARKER = re.compile(r"<!--\s*(?P<name>[\w-]+)(?::\s*(?P<arg>.*?))?\s*-->\s*\Z", re.S)
OUTCOME = re.compile(r"\A(?P<verb>prints|raises)\b[^`]*`(?P<text>[^`]+)`")
NETNS_NAMES = re.compile(r"""netns=["'](?P<a>[\w.-]+)["']|--netns\s+(?P<b>[\w.-]+)""")
RUNNABLE = ("python", "sh")


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    code: str
    marker: str | None
    marker_arg: str | None
    after: str

    @property
    def id(self) -> str:
        return f"README.md:{self.line}:{self.lang}"


def readme_blocks() -> list[Block]:
    text = README.read_text()
    blocks = []
    previous_end = 0
    matches = list(FENCE.finditer(text))
    for i, m in enumerate(matches):
        before = text[previous_end:m.start()]
        marker = MARKER.search(before)
        following = text[m.end():matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        blocks.append(Block(
            line=text.count("\n", 0, m.start()) + 1,
            lang=m["lang"],
            code=m["code"],
            marker=marker["name"] if marker else None,
            marker_arg=marker["arg"] if marker else None,
            after=following.lstrip("\n").split("\n\n", 1)[0],
        ))
        previous_end = m.end()
    return blocks


BLOCKS = readme_blocks()
TO_RUN = [b for b in BLOCKS if b.lang in RUNNABLE and b.marker not in ("test-command", "not-run")]


def test_no_merge_conflict_is_left_in_the_docs() -> None:
    """A conflict resolved by committing both sides' markers once reached the README's layout."""
    for doc in [README, *sorted((ROOT / "captures").glob("*.md"))]:
        marks = [n for n, line in enumerate(doc.read_text().splitlines(), 1)
                 if re.match(r"(<{7}|>{7})( |$)|={7}$", line)]
        assert not marks, f"{doc.name}: conflict markers at lines {marks}"


def test_the_readme_has_code_to_run() -> None:
    assert len(TO_RUN) >= 6
    assert {m["verb"] for b in TO_RUN if (m := OUTCOME.match(b.after))} == {"prints", "raises"}
    assert all(b.marker_arg for b in BLOCKS if b.marker == "not-run"), "a not-run block says why"


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "python"], ids=lambda b: b.id)
def test_python_block_is_valid_python(block: Block) -> None:
    compile(block.code, block.id, "exec")


# --- excerpts: a block that shows declarations shows the real ones ------------------------------

def _same(shown: ast.AST, real: ast.AST) -> bool:
    """``shown`` equals ``real``, except that a dict may hold a subset of ``real``'s items
    and a call a subset of its keyword arguments (an excerpt cuts, it does not change)."""
    if isinstance(shown, ast.Dict) and isinstance(real, ast.Dict):
        items = {ast.dump(k): v for k, v in zip(real.keys, real.values, strict=True) if k is not None}
        return all(k is not None and ast.dump(k) in items and _same(v, items[ast.dump(k)])
                   for k, v in zip(shown.keys, shown.values, strict=True))
    if isinstance(shown, ast.Call) and isinstance(real, ast.Call):
        keywords = {k.arg: k.value for k in real.keywords}
        return (_same(shown.func, real.func) and len(shown.args) == len(real.args)
                and all(_same(a, b) for a, b in zip(shown.args, real.args, strict=True))
                and all(k.arg in keywords and _same(k.value, keywords[k.arg]) for k in shown.keywords))
    if type(shown) is not type(real):
        return False
    for field, value in ast.iter_fields(shown):
        other = getattr(real, field)
        if isinstance(value, list):
            if len(value) != len(other) or not all(
                    _same(a, b) if isinstance(a, ast.AST) else a == b for a, b in zip(value, other, strict=True)):
                return False
        elif isinstance(value, ast.AST):
            if not _same(value, other):
                return False
        elif field != "ctx" and value != other:
            return False
    return True


def _assignments(tree: ast.Module) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out[node.target.id] = node.value
    return out


EXCERPTS = [b for b in BLOCKS if b.marker == "excerpt"]


@pytest.mark.parametrize("block", EXCERPTS, ids=lambda b: b.id)
def test_excerpt_shows_the_real_declarations(block: Block) -> None:
    assert block.marker_arg
    real = _assignments(ast.parse((ROOT / block.marker_arg).read_text()))
    shown = _assignments(ast.parse(block.code))
    assert shown
    for name, value in shown.items():
        assert name in real, f"{name} is not declared in {block.marker_arg}"
        assert _same(value, real[name]), f"{name} differs from its declaration in {block.marker_arg}"


def test_excerpt_check_notices_a_difference() -> None:
    real = _assignments(ast.parse('S = AttrSet(IFLA, {IFLA.IFNAME: string, IFLA.MTU: u32})'))["S"]
    assert _same(_assignments(ast.parse('S = AttrSet(IFLA, {IFLA.MTU: u32})'))["S"], real)
    assert not _same(_assignments(ast.parse('S = AttrSet(IFLA, {IFLA.MTU: u16})'))["S"], real)
    assert not _same(_assignments(ast.parse('S = AttrSet(IFLA, {IFLA.TXQLEN: u32})'))["S"], real)
    assert not _same(_assignments(ast.parse('S = AttrSet(IFLA)'))["S"], real)
    assert not _same(_assignments(ast.parse('S = AttrSet(IFLA, {IFLA.MTU: u32}, name="x")'))["S"], real)
    named = _assignments(ast.parse('S = AttrSet(IFLA, {IFLA.MTU: u32}, name="x")'))["S"]
    assert _same(_assignments(ast.parse('S = AttrSet(IFLA, {IFLA.MTU: u32})'))["S"], named)


# --- running the blocks -----------------------------------------------------------------------

def _stated_value(comment: str) -> str | None:
    """The longest start of ``comment`` that is a Python literal, unless it elides (``...``)."""
    for end in range(len(comment), 0, -1):
        head = comment[:end].strip()
        if end < len(comment) and not comment[end].isspace():
            continue
        try:
            value = ast.literal_eval(head)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        return None if "..." in head or value is Ellipsis else head
    return None


def _with_stated_values_asserted(code: str) -> str:
    """``EXPR  # LITERAL ...`` lines of ``code`` become ``assert (EXPR) == LITERAL``, in place."""
    lines = code.splitlines()
    for node in ast.parse(code).body:
        if not isinstance(node, ast.Expr) or node.lineno != node.end_lineno or node.end_col_offset is None:
            continue
        line = lines[node.lineno - 1]
        expr, rest = line[node.col_offset:node.end_col_offset], line[node.end_col_offset:].strip()
        if rest.startswith("#") and (value := _stated_value(rest[1:])) is not None:
            lines[node.lineno - 1] = f"assert ({expr}) == {value}, ({expr})"
    return "\n".join(lines) + "\n"


def test_stated_values_become_asserts() -> None:
    code = "x = 1\nx  # 1\nx + 1  # 2   (more text)\nprint(x)  # prints it\n{'a': x}  # {'a': ...}\n"
    assert _with_stated_values_asserted(code).splitlines() == [
        "x = 1", "assert (x) == 1, (x)", "assert (x + 1) == 2, (x + 1)", "print(x)  # prints it",
        "{'a': x}  # {'a': ...}",
    ]


def test_readme_states_values() -> None:
    stated = [b for b in TO_RUN if b.lang == "python" and _with_stated_values_asserted(b.code) != b.code]
    assert stated, "no README block states a value any more: is the comment convention still read?"


SANDBOX = """\
set -e
mkdir -p /run/netns
mount -t tmpfs nlwire-readme /run/netns
mount -t sysfs none /sys
for ns in "$@"; do ip netns add "$ns"; done
cd "$WORKDIR"
exec "$RUNNER" "$BLOCK"
"""


def _shell_commands(code: str) -> str:
    """The block's commands, less the ``pip install`` set-up (in a line or an ``&&`` chain)."""
    lines = []
    for line in code.splitlines():
        kept = [c.strip() for c in line.split("&&") if not c.strip().startswith("pip install")]
        if any(kept):
            lines.append(" && ".join(kept))
    return "\n".join(lines) + "\n"


def _run_in_own_group(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as a process group of its own, all of which is killed if it outlives ``timeout``."""
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)


@needs_ip
@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) not installed")
@pytest.mark.parametrize("block", TO_RUN, ids=lambda b: b.id)
def test_readme_block_runs(block: Block, tmp_path: Path) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".git", "__pycache__"):
            (work / entry.name).symlink_to(entry)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "nlwire"  # the `nlwire` command of this checkout, whatever is installed
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m nlwire "$@"\n')
    shim.chmod(0o755)
    if block.lang == "python":
        script, runner = _with_stated_values_asserted(block.code), sys.executable
    else:
        script, runner = _shell_commands(block.code), shutil.which("bash") or "/bin/bash"
    path = tmp_path / f"README-{block.line}.{'py' if block.lang == 'python' else 'sh'}"
    path.write_text(script)
    names = sorted({m["a"] or m["b"] for m in NETNS_NAMES.finditer(block.code)})
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=f"{bin_dir}:{os.environ.get('PATH', '')}",
               WORKDIR=str(work), RUNNER=runner, BLOCK=str(path), NO_COLOR="1")
    out = _run_in_own_group(
        ["unshare", "--mount", "--net", "--propagation", "private", "bash", "-c", SANDBOX, "sandbox", *names], env
    )
    outcome = OUTCOME.match(block.after)
    if outcome and outcome["verb"] == "raises":
        assert out.returncode != 0, f"{block.id} should raise {outcome['text']!r}:\n{out.stdout}"
        assert outcome["text"] in out.stderr, out.stderr
        return
    assert out.returncode == 0, f"{block.id} failed:\n{out.stdout}\n{out.stderr}"
    if outcome:
        assert outcome["text"] in out.stdout, out.stdout
