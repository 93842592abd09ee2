"""The names the dissector imports from the former layout compiler; the compiled walks
are :mod:`nlwire.wire.compiler`'s (per attribute set, whatever the byte layout)."""

from nlwire.wire.compiler import MIN_SIZE, Picker, fits_plain

__all__ = ["MIN_SIZE", "Picker", "fits_plain"]
