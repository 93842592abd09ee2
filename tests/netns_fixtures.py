"""Private network namespaces for kernel tests (import the fixtures you need).

Every namespace is created by the test that uses it and deleted at teardown;
no test touches the host's interfaces.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from nlwire.netns import temporary_netns

KERNEL_FIXTURES = frozenset({"netns", "module_netns"})
"""The fixtures that make a test a kernel test: tests/conftest.py marks every test using one ``kernel``."""

needs_root = pytest.mark.kernel
"""A test that needs root or network namespaces without using a netns fixture: marked ``kernel``,
which ``-m 'not kernel'`` deselects and tests/conftest.py skips, with a reason, when not root."""

NOT_ROOT = "kernel test: needs root (network namespaces, netlink changes)"
needs_ip = pytest.mark.skipif(shutil.which("ip") is None, reason="iproute2 (ip) not installed")


def ip_json(ns: str, *args: str) -> Any:
    """``ip -n NS -j ARGS...`` parsed: iproute2 as the oracle."""
    out = subprocess.run(["ip", "-n", ns, "-j", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def ip(ns: str, *args: str) -> str:
    """Run ``ip -n NS ARGS...`` (setting up state the oracle way); returns stdout."""
    return subprocess.run(["ip", "-n", ns, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def netns() -> Iterator[str]:
    """A fresh, empty namespace per test (name under /run/netns), deleted afterwards."""
    with temporary_netns("nlwire-test-") as name:
        yield name


@pytest.fixture(scope="module")
def module_netns() -> Iterator[str]:
    """One namespace shared by the tests of a module, deleted afterwards."""
    with temporary_netns("nlwire-test-") as name:
        yield name
