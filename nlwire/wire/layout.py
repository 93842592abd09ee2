"""The names the dissector and the result recipes import from the former layout compiler;
the compiled walks are :mod:`nlwire.wire.compiler`'s, used by :mod:`nlwire.wire.walks`."""

from nlwire.wire.walks import COMPILE_AFTER, MIN_SIZE, PER_SIZE, Picker, fits_plain

__all__ = ["COMPILE_AFTER", "MIN_SIZE", "PER_SIZE", "Picker", "fits_plain"]
