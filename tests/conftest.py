"""Shared pytest configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# --- hypothesis profiles (property tests: tests/test_laws_*.py, tests/test_strategies.py) ---------
# ``ci``: derandomized and bounded so CI is fast and reproducible; loaded when $CI is set.
# ``dev``: random, more examples; the default elsewhere. $HYPOTHESIS_PROFILE overrides both.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a test extra; tests that need it import it themselves
    pass
else:
    settings.register_profile(
        "ci",
        derandomize=True,
        max_examples=60,
        deadline=None,
        stateful_step_count=15,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    settings.register_profile(
        "dev",
        max_examples=200,
        deadline=None,
        stateful_step_count=25,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# --- private network namespaces for kernel tests (tests/netns_fixtures.py) -------------------------
from tests.netns_fixtures import KERNEL_FIXTURES, NOT_ROOT, module_netns, netns  # noqa: F401


# --- generic families registered by a test (loading a generic spec registers its family) ---------
@pytest.fixture(autouse=True)
def restore_genl_families() -> Iterator[None]:
    """Leave nlwire's registry of generic families as each test found it."""
    from nlwire.wire.genetlink import GENL_FAMILIES

    before = dict(GENL_FAMILIES)
    yield
    GENL_FAMILIES.clear()
    GENL_FAMILIES.update(before)


# --- the ``kernel`` marker, by mechanism ----------------------------------------------------------
# Every test that uses a netns fixture is a kernel test, whether or not its module says so; a test
# that needs root some other way carries ``needs_root`` (= pytest.mark.kernel). Unprivileged, kernel
# tests are skipped with a reason rather than erroring in their fixtures. ``tryfirst``: the markers
# must be on the items before pytest's own hook deselects by ``-m``.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unprivileged = os.geteuid() != 0
    for item in items:
        if KERNEL_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.kernel)
        if unprivileged and item.get_closest_marker("kernel") is not None:
            item.add_marker(pytest.mark.skip(reason=NOT_ROOT))
