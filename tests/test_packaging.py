"""nlwire as a user's type checker sees it once installed (PEP 561).

mypy analyses an installed package only if it carries a ``py.typed`` marker; without
one, ``from dissect.netlink import Dissector`` fails ``mypy --strict`` in the user's
code ("module is installed, but missing library stubs or py.typed marker"). The test
lays out the wheel's packages (``[tool.hatch.build.targets.wheel] packages``: hatch puts
every file under them in the wheel, py.typed included) in the site-packages of a fresh
venv and runs ``mypy --strict`` on a user's script against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

USER_SCRIPT = """\
from dissect.netlink import Dissector
from nlwire import Rtnl

dissector: Dissector = Dissector()
rtnl: type[Rtnl] = Rtnl
"""


def _wheel_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages: list[str] = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    return packages


def _install_like_the_wheel(site: Path) -> None:
    """Each wheel package linked into ``site``; a PEP 420 namespace directory (dissect/)
    is made as a directory and its packages linked inside it."""
    for name in _wheel_packages():
        src = ROOT / name
        if (src / "__init__.py").exists():
            (site / name).symlink_to(src)
            continue
        (site / name).mkdir()
        for sub in src.iterdir():
            if (sub / "__init__.py").exists():
                (site / name / sub.name).symlink_to(sub)


def test_an_installed_nlwire_passes_a_users_strict_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    assert purelib != sysconfig.get_paths()["purelib"]
    _install_like_the_wheel(Path(purelib))
    (tmp_path / "user.py").write_text(USER_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python),
         "--cache-dir", str(tmp_path / "mypy-cache"), "user.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
