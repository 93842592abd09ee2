"""The ``kernel`` marker of tests/conftest.py, seen from an unprivileged run.

A test that uses a netns fixture, or carries ``needs_root``, is a ``kernel`` test:
``-m 'not kernel'`` deselects it, and without root it is skipped with a reason
instead of erroring in its fixture. The run is a pytest of its own, with this
project's conftest as a plugin and ``os.geteuid`` answering 1000.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.netns_fixtures import NOT_ROOT

ROOT = Path(__file__).resolve().parent.parent

TESTS = """\
from tests.netns_fixtures import needs_root


def test_uses_netns(netns: str) -> None:
    raise AssertionError("ran")


def test_uses_module_netns(module_netns: str) -> None:
    raise AssertionError("ran")


@needs_root
def test_needs_root() -> None:
    raise AssertionError("ran")


def test_plain() -> None:
    pass
"""

UNPRIVILEGED_PYTEST = """\
import os, sys
os.geteuid = lambda: 1000
import pytest
raise SystemExit(pytest.main(sys.argv[1:]))
"""


def _unprivileged_pytest(tmp_path: Path, *args: str) -> str:
    (tmp_path / "test_kernel_marks.py").write_text(TESTS)
    out = subprocess.run(
        [sys.executable, "-c", UNPRIVILEGED_PYTEST, "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-c", os.devnull, "--rootdir", str(tmp_path), "-o", "markers=kernel: needs root", "-q", "-rs",
         *args, str(tmp_path / "test_kernel_marks.py")],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_kernel_tests_are_skipped_with_a_reason_when_not_root(tmp_path: Path) -> None:
    out = _unprivileged_pytest(tmp_path)
    assert "1 passed, 3 skipped in" in out, out
    skips = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert skips and all(line.endswith(NOT_ROOT) for line in skips), out


def test_not_kernel_deselects_every_kernel_test(tmp_path: Path) -> None:
    out = _unprivileged_pytest(tmp_path, "-m", "not kernel")
    assert "1 passed, 3 deselected in" in out, out
