"""Work counted, not timed: linearity checks that a loaded machine cannot make flaky.

Wall-clock ratios flake when the machine is shared (a 10x-input check measured 44-55x
against its bound of 35 on a busy 2-core host). The number of function calls a piece of
code makes is the same on any machine and under any load, and a quadratic (or
exponential) algorithm in Python shows in it as surely as in the time it takes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any


def calls(fn: Callable[[], Any]) -> int:
    """How many function calls (Python functions and resumed generators, and C
    functions called from Python) ``fn()`` makes, counted with ``sys.setprofile``."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(previous)
    return count


def steady_calls(fn: Callable[[], Any]) -> int:
    """:func:`calls` of ``fn()`` once its one-off work is done: nlwire compiles a layout
    the second time it sees one (nlwire.wire.walks), so ``fn`` runs twice first."""
    fn()
    fn()
    return calls(fn)


def assert_linear(make: Callable[[int], Any], work: Callable[[Any], Any], n: int) -> None:
    """``work`` on an input ten times bigger (``make(10 * n)`` against ``make(n)``) makes
    at most about ten times the calls: linear is ~10x, quadratic ~100x."""
    small, big = make(n), make(10 * n)
    c_small = steady_calls(lambda: work(small))
    c_big = steady_calls(lambda: work(big))
    assert c_big <= 12 * c_small, (n, c_small, c_big, c_big / c_small)
