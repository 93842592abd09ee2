"""Coverage-guided fuzzing of the codec's decode entry points.

    python3 tests/fuzz/fuzz_codec.py -max_total_time=600 [corpus_dir]

The first input byte selects the entry point and the netlink family:
bits 0-2 the family (see ``common.PROTOCOLS``), bits 3-4 the entry point:

0. ``nlwire.codec.decode(data, strict=True)``; when it succeeds the messages must
   encode again without an exception (but :class:`nlwire.errors.CheckError`: a decode
   reads what the kernel sent, a spec's checks refuse what nlwire would send); with
   ``NLWIRE_FUZZ_REENCODE=1`` they must also decode to equal messages
   (``decode(encode(decode(b))) == decode(b)``, a stronger law than the round trip
   on valid bytes: malformed-but-accepted inputs may normalise);
1. ``decode_message(data, 0)`` and ``attr_path_at(data, off)`` (second byte: ``off``);
2. ``Attrs.from_bytes(SET, data).materialize()`` then ``entries()`` and ``to_json()``
   (second byte picks the attribute set among all sets nlwire declares);
3. ``FixedStruct.unpack`` (second byte picks the struct) and ``scan_attrs_tolerant``.

Anything but :class:`nlwire.errors.DecodeError` escaping a decoder is a finding.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import atheris
import common

with atheris.instrument_imports(include=["nlwire"]):
    from nlwire.codec import attr_path_at, decode, decode_message, encode_many
    from nlwire.errors import CheckError, DecodeError
    from nlwire.wire.attrs import Attrs
    from nlwire.wire.nla import scan_attrs_tolerant
    from nlwire.wire.registry import lookup

SETS, FIXED = common.schema_objects()
REENCODE = os.environ.get("NLWIRE_FUZZ_REENCODE") == "1"


def check(data: bytes) -> None:
    if len(data) < 2:
        return
    sel, arg, body = data[0], data[1], data[2:]
    protocol = common.PROTOCOLS[sel & 7]
    mode = (sel >> 3) & 3
    if mode == 0:
        try:
            msgs = decode(body, protocol, genl=common.genl_ids(), strict=True)
        except DecodeError:
            return
        try:
            raw = encode_many(msgs)  # whatever decodes must encode again,
        except CheckError:
            return  # unless a declared check refuses a value (checks are for what is sent)
        if REENCODE and not any(_header_only_echo(m) for m in msgs):
            again = decode(raw, protocol, genl=common.genl_ids(), strict=True)
            if again != msgs:
                raise AssertionError(f"re-encode changed the messages:\n{msgs!r}\n{again!r}")
    elif mode == 1:
        with contextlib.suppress(DecodeError):
            decode_message(body, 0, protocol, genl=common.genl_ids())
        attr_path_at(body, arg, protocol)
    elif mode == 2:
        attr_set = SETS[arg % len(SETS)]
        try:
            attrs = Attrs.from_bytes(attr_set, body)
        except DecodeError:
            return
        attrs.entries()
        try:
            attrs.materialize()
        except DecodeError:
            return
        attrs.to_json()
    else:
        fixed = FIXED[arg % len(FIXED)]
        with contextlib.suppress(DecodeError):
            fixed.unpack(body, 0)
        scan_attrs_tolerant(body, 0, len(body))


def _header_only_echo(msg: Any) -> bool:
    """An NLMSG_ERROR without an echo, or an uncapped one whose echoed nlmsghdr does not
    describe what follows (its length is not 16 or does not fit, or it is itself an
    NLMSG_ERROR/DONE): decoded as
    a header-only echo, re-encoded as a whole request (an ERROR echo even grows an
    error code). A known normalisation of malformed input, kept out of the law."""
    echo = msg.echo
    if msg.type == 2 and (echo is None or echo.type in (2, 3)):
        # no echo (a 20-byte NLMSG_ERROR: re-encoded with a zero header), or an echo that is
        # itself NLMSG_ERROR/DONE (re-encoded as one, with an error code it never had)
        return True
    return (
        msg.type == 2 and echo is not None and not msg.flags & 0x100
        and echo.header is None and echo.attrs is None and not echo.payload
        and (echo.len != 16 or echo.type in (2, 3))
    )


def seeds() -> list[bytes]:
    import corpus

    out: list[bytes] = []
    set_index = {id(s): i for i, s in enumerate(SETS)}
    for family, dgram in corpus.datagrams():
        p = common.protocol_byte(family)
        out.append(bytes([p, 0]) + dgram)
        out.append(bytes([p | 8, 20]) + dgram)
        if len(dgram) >= 20:
            ln, mtype = int.from_bytes(dgram[0:4], "little"), int.from_bytes(dgram[4:6], "little")
            schema = lookup(family, mtype, common.genl_ids(), dgram[16], dgram[6] & 1 == 1)  # (NLM_F_REQUEST)
            if schema is not None and schema.attrs is not None and id(schema.attrs) in set_index:
                start = 16 + ((schema.header.size + 3) & ~3 if schema.header is not None else 0)
                out.append(bytes([p | 16, set_index[id(schema.attrs)]]) + dgram[start:ln])
            out.append(bytes([p | 24, 0]) + dgram[16:ln])
    out += [bytes([common.protocol_byte(16), 0]) + dgram for dgram in common.spec_family_seeds()]
    return out


def main() -> None:
    import corpus

    argv = corpus.corpus_dir("codec", sys.argv)
    if argv is not sys.argv:
        print(f"seeded {corpus.write_corpus(argv[-1], iter(seeds()))} inputs into {argv[-1]}", file=sys.stderr)
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
