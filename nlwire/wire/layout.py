"""The names the dissector imports from the former layout compiler; the compiled walks
are :mod:`nlwire.wire.compiler`'s, used by :mod:`nlwire.wire.walks`."""

from nlwire.wire.walks import MIN_SIZE, Picker, fits_plain

__all__ = ["MIN_SIZE", "Picker", "fits_plain"]
