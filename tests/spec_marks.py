"""Which of the kernel's YAML netlink specs this machine has installed, and the mark that
skips a test needing some that are absent (with what installs them)."""

from __future__ import annotations

import pytest

from nlwire.wire.specs import spec_names

INSTALLED = spec_names()
"""The spec names found where nlwire looks (``NLWIRE_SPEC_PATH``, then the standard places)."""

HINT = "Debian: apt-get install linux-doc-6.12, or set NLWIRE_SPEC_PATH"


def needs_spec(*names: str) -> pytest.MarkDecorator:
    """Skip unless every spec in ``names`` is installed (none given: unless any is)."""
    missing = [n for n in names if n not in INSTALLED] if names else ([] if INSTALLED else ["any"])
    return pytest.mark.skipif(bool(missing), reason=f"kernel netlink spec(s) {', '.join(missing)} not installed "
                                                    f"({HINT})")
