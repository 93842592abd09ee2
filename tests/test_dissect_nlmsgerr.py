"""dissect.netlink.tree.error_layout: the one reading of struct nlmsgerr / NLMSG_DONE's payload
that the node path and the fast paths share (issue 12), checked on bytes laid out by hand
from include/uapi/linux/netlink.h: ``struct nlmsgerr { int error; struct nlmsghdr msg; }``,
then the rest of the echoed request unless NLM_F_CAPPED (0x100), then the ext-ack TLVs at
NLMSG_ALIGN when NLM_F_ACK_TLVS (0x200); NLMSG_DONE (3) carries an int and TLVs."""

from __future__ import annotations

import struct

import pytest

from dissect.netlink import fastframe, summary, tree
from dissect.netlink.tree import error_layout

ERROR, DONE = 2, 3
CAPPED, ACK_TLVS = 0x100, 0x200
BODY = 16  # the payload starts after the outer nlmsghdr


def hdr(ln: int, mtype: int = 18, flags: int = 0x5, seq: int = 7, pid: int = 0) -> bytes:
    return struct.pack("=IHHII", ln, mtype, flags, seq, pid)


def msg(mtype: int, flags: int, payload: bytes) -> bytes:
    return hdr(16 + len(payload), mtype, flags, 1, 99) + payload


TLV = struct.pack("=HH", 8, 2) + struct.pack("=I", 20)  # NLMSGERR_ATTR_OFFS = 20
REQ = hdr(21) + b"\x11\x00\x00\x00\x05"  # a 21-byte echoed request (padded to 24)


@pytest.mark.parametrize(
    ("data", "mtype", "flags", "want"),
    [
        # ACK: code 0, a capped echo (the header only), no TLVs
        (msg(ERROR, CAPPED, struct.pack("=i", 0) + hdr(36)), ERROR, CAPPED, (0, "header", 20, 36, 36)),
        # error with the full echoed request (not capped): TLVs after its aligned length
        (msg(ERROR, ACK_TLVS, struct.pack("=i", -22) + REQ + b"\0" * 3 + TLV), ERROR, ACK_TLVS,
         (-22, "full", 20, 21, 44)),
        # capped echo + TLVs right after the 16-byte header, whatever its nlmsg_len says
        (msg(ERROR, CAPPED | ACK_TLVS, struct.pack("=i", -1) + hdr(400) + TLV), ERROR, CAPPED | ACK_TLVS,
         (-1, "header", 20, 400, 36)),
        # not capped, but the echoed nlmsg_len runs past the message: a header
        (msg(ERROR, 0, struct.pack("=i", -1) + hdr(400)), ERROR, 0, (-1, "overflow", 20, 400, 36)),
        # an echoed nlmsg_len of 16 or less is a header
        (msg(ERROR, 0, struct.pack("=i", -1) + hdr(16)), ERROR, 0, (-1, "header", 20, 16, 36)),
        # fewer than 16 bytes after the code: a truncated echo
        (msg(ERROR, 0, struct.pack("=i", -1) + b"\1" * 7), ERROR, 0, (-1, "truncated", 20, 0, 20)),
        # the code only
        (msg(ERROR, 0, struct.pack("=i", -95)), ERROR, 0, (-95, "none", 20, 0, 20)),
        # fewer than 4 bytes: no code
        (msg(ERROR, 0, b"\1\2"), ERROR, 0, (None, "none", 16, 0, 18)),
        # NLMSG_DONE: no payload; a code; a code and TLVs
        (msg(DONE, 2, b""), DONE, 2, (None, "none", 16, 0, 16)),
        (msg(DONE, 2, struct.pack("=i", 0)), DONE, 2, (0, "none", 20, 0, 20)),
        (msg(DONE, 2 | ACK_TLVS, struct.pack("=i", -90) + TLV), DONE, 2 | ACK_TLVS, (-90, "none", 20, 0, 20)),
    ],
)
def test_error_layout(data: bytes, mtype: int, flags: int, want: tuple[object, ...]) -> None:
    assert tuple(error_layout(data, BODY, len(data), mtype, flags)) == want


def test_error_layout_never_raises_on_cut_messages() -> None:
    """Every cut of an error message frames without raising, inside the bytes it was given
    (a full echo's TLVs start at most 3 alignment bytes past the end)."""
    full = msg(ERROR, ACK_TLVS, struct.pack("=i", -22) + REQ + b"\0" * 3 + TLV)
    for end in range(BODY, len(full) + 1):
        for flags in (0, CAPPED, ACK_TLVS, CAPPED | ACK_TLVS):
            for mtype in (ERROR, DONE):
                code, echo, ehdr, eln, tlv = error_layout(full[:end], BODY, end, mtype, flags)
                assert BODY <= ehdr <= max(end, BODY + 4)
                assert tlv <= end + 3
                assert (code is None) == (end - BODY < 4)
                assert echo != "full" or ehdr + eln <= end


def test_fast_paths_and_tree_read_nlmsgerr_through_error_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary fast path, the text fast path and the node path each frame an NLMSG_ERROR
    by calling error_layout (one parser), counted on one capped ACK."""
    from dissect.netlink import Dissector, Record

    calls: list[int] = []

    def counting(*args: object) -> tree.ErrorLayout:
        calls.append(1)
        return error_layout(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(tree, "error_layout", counting)
    monkeypatch.setattr(fastframe, "error_layout", counting)
    monkeypatch.setattr(summary, "error_layout", counting)
    ack = msg(ERROR, CAPPED, struct.pack("=i", 0) + hdr(36))
    sll = struct.pack(">HHHQH", 4, 0x338, 0, 0, 0)  # LINUX_SLL, ARPHRD_NETLINK, NETLINK_ROUTE
    rec = Record(time=0.0, linktype=113, data=sll + ack, wirelen=len(sll) + len(ack))
    for mode in ("summary", "text"):
        calls.clear()
        out = "".join(Dissector().render([rec], mode))
        assert "NLMSG_ERROR" in out and calls, mode
    calls.clear()
    frames = list(Dissector().frames([rec]))
    assert frames[0]["messages"][0]["error"] == 0 and calls
