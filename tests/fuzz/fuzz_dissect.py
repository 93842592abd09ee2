"""Coverage-guided fuzzing of the dissector on one frame.

    python3 tests/fuzz/fuzz_dissect.py -max_total_time=600 [corpus_dir]

The input is one capture record: byte 0 picks the link type (LINKTYPE_NETLINK,
LINUX_SLL or LINUX_SLL2; other link types are refused per capture file), the rest is the record's bytes. The laws:
the dissector yields exactly one frame and never raises; every node's
``offset``/``length`` lies inside the frame; a record whose netlink payload nlwire's
strict decoder refuses carries at least one problem; the text and JSON renderings
work (on inputs whose byte 0 has bit 7 set: rendering is slow).
"""

from __future__ import annotations

import json
import sys

import atheris
import common

with atheris.instrument_imports(include=["nlwire", "dissect"]):
    from dissect.netlink import Dissector, Record, json_line, text_tree
    from nlwire.codec import decode
    from nlwire.errors import DecodeError

LINKTYPES = (253, 253, 113, 276)


def nodes(node: dict, path: str = "") -> list[tuple[str, dict]]:
    out = [(f"{path}/{node.get('name')}", node)]
    for child in node.get("children") or []:
        out.extend(nodes(child, out[0][0]))
    return out


def all_nodes(frame: dict) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for key in ("link", "padding"):
        if frame.get(key):
            out.extend(nodes(frame[key]))
    for msg in frame["messages"]:
        out.extend(nodes(msg))
    return out


def check(data: bytes) -> None:
    if not data:
        return
    linktype = LINKTYPES[data[0] & 3]
    rec = data[1:]
    frames = list(Dissector(genl=common.genl_ids()).frames([Record(linktype, 0.0, rec, len(rec))]))
    if len(frames) != 1:
        raise AssertionError(f"{len(frames)} frames for one record")
    frame = frames[0]
    problems = bool(frame["problems"])
    for where, node in all_nodes(frame):
        off, ln = node["offset"], node["length"]
        if not (isinstance(off, int) and isinstance(ln, int) and off >= 0 and ln >= 0 and off + ln <= len(rec)):
            raise AssertionError(f"node {where} at {off}+{ln} outside the {len(rec)}-byte frame")
        problems = problems or bool(node.get("problems"))
    if linktype == 253 and len(rec) >= 16 and int.from_bytes(rec[2:4], "big") == 824:
        family = int.from_bytes(rec[14:16], "big")
        try:
            decode(rec[16:], family, genl=common.genl_ids(), strict=True)
        except DecodeError as exc:
            if not problems:
                raise AssertionError(f"strict decode says {exc} but the frame has no problem") from None
    if data[0] & 0x80:  # rendering is slow: on inputs whose selector byte has bit 7 set
        json.loads(json_line(frame))
        text_tree(frame, 0.0)


def seeds() -> list[bytes]:
    import corpus

    out = []
    for _name, frame in corpus.frames():
        out.append(bytes([len(out) & 0x80]) + frame)
    # generic families of the installed specs, as nlmon records them (cooked header:
    # pkttype, ARPHRD_NETLINK, then the netlink family, big-endian; LINKTYPE_NETLINK)
    cooked = (4).to_bytes(2, "big") + (824).to_bytes(2, "big") + bytes(10) + (16).to_bytes(2, "big")
    out += [bytes([len(out) & 0x80]) + cooked + dgram for dgram in common.spec_family_seeds()]
    return out


def main() -> None:
    import corpus

    argv = corpus.corpus_dir("dissect", sys.argv)
    if argv is not sys.argv:
        print(f"seeded {corpus.write_corpus(argv[-1], iter(seeds()))} inputs into {argv[-1]}", file=sys.stderr)
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    common.PROTOCOLS  # noqa: B018  (common put the repo on sys.path)
    main()
