"""Shared pytest configuration."""

from __future__ import annotations

import os

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
from tests.netns_fixtures import module_netns, netns  # noqa: F401
