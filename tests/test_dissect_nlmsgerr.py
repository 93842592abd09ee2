"""dissect.netlink.tree.error_layout: the one reading of struct nlmsgerr / NLMSG_DONE's payload
that the node path and the fast paths share (issue 12), checked on bytes laid out by hand
from include/uapi/linux/netlink.h: ``struct nlmsgerr { int error; struct nlmsghdr msg; }``,
then the rest of the echoed request unless NLM_F_CAPPED (0x100), then the ext-ack TLVs at
NLMSG_ALIGN when NLM_F_ACK_TLVS (0x200); NLMSG_DONE (3) carries an int and TLVs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from dissect.netlink import fastframe, summary, tree
from dissect.netlink.tree import error_layout
from tests.spec_marks import needs_spec

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


# ------------------------------------------------------------------ MISS_TYPE / MISS_NEST by name

MISSTYPE = Path(__file__).resolve().parent.parent / "captures" / "errors-misstype.pcap"
# The missing attribute of each error in errors-misstype.pcap (see captures/README.md), by the uapi
# headers: neighbour.h NDA_DST = 1 (RTM_GETNEIGH without it); netdev.h NETDEV_A_DEV_IFINDEX = 1
# (netdev dev-get without it; the header is not installed here: the enum's first member after
# NETDEV_A_DEV_UNSPEC... is spelled out); ethtool_netlink.h ETHTOOL_A_STRINGSET_ID = 1 in the nest
# ETHTOOL_A_STRSET_STRINGSETS (2) . ETHTOOL_A_STRINGSETS_STRINGSET (1). Where the name is looked
# for: the request frame (NETLINK_CAP_ACK: the echo is the header only) or the echo.
ERRORS = {
    2: ("NDA_DST", None, "in the request in frame 1"),
    4: ("NDA_DST", None, "in the echoed request"),
    9: ("NETDEV_A_DEV_IFINDEX", None, "in the request in frame 8"),
    14: ("NETDEV_A_DEV_IFINDEX", None, "in the echoed request"),
    19: ("ETHTOOL_A_STRINGSET_ID", "ETHTOOL_A_STRSET_STRINGSETS.ETHTOOL_A_STRINGSETS_STRINGSET",
         "in the echoed request"),
}


def _uapi_checked() -> None:
    """The names above, where the uapi header is installed, are its members of those numbers."""
    from tests.test_dissect_window import UAPI, uapi_member

    if (UAPI / "neighbour.h").exists():
        assert uapi_member("neighbour.h", "NDA_UNSPEC", 1) == "NDA_DST"
    if (UAPI / "ethtool_netlink.h").exists():
        assert uapi_member("ethtool_netlink.h", "ETHTOOL_A_STRINGSET_UNSPEC", 1) == "ETHTOOL_A_STRINGSET_ID"
        assert uapi_member("ethtool_netlink.h", "ETHTOOL_A_STRSET_UNSPEC", 2) == "ETHTOOL_A_STRSET_STRINGSETS"
        assert uapi_member("ethtool_netlink.h", "ETHTOOL_A_STRINGSETS_UNSPEC", 1) == "ETHTOOL_A_STRINGSETS_STRINGSET"


@needs_spec("netdev", "ethtool")
def test_miss_type_is_named_in_every_mode() -> None:
    """NLMSGERR_ATTR_MISS_TYPE (and MISS_NEST) name the missing attribute in the request's set
    (rtnetlink's, a spec-loaded generic family's, a nest's), found in the echo or in the
    correlated request, in text, JSON and summary (this kernel's answers, 6.18)."""
    _uapi_checked()
    from dissect.netlink import Dissector, Filter, read_records

    records = list(read_records(str(MISSTYPE)))
    for number in ERRORS:  # the kernel's MISS_TYPE is 1 in each (the numbers the names are checked for)
        data = records[number - 1].data
        assert data.find(struct.pack("=HHI", 8, 5, 1)) > 0
    frames = {f["frame"]: f for f in Dissector().frames(records)}
    text = {f: "".join(Dissector(flt=Filter(frames=(f, f))).render(records, "text")) for f in ERRORS}
    summ = {int(x.split()[0]): x for x in "".join(Dissector().render(records, "summary")).splitlines()}
    jsn = {f: "".join(Dissector(flt=Filter(frames=(f, f))).render(records, "json")) for f in ERRORS}
    for number, (name, nest, where) in ERRORS.items():
        msg = frames[number]["messages"][0]
        tlv = {c["name"]: c for c in msg["children"]}
        assert tlv["NLMSGERR_ATTR_MISS_TYPE"]["target"] == name
        assert f"NLMSGERR_ATTR_MISS_TYPE: 1 → {name} ({where})" in text[number]
        assert f'"target":"{name}"' in jsn[number]
        assert summ[number].endswith(f" missing {name}" + (f" in {nest}" if nest else ""))
        if nest is not None:
            assert tlv["NLMSGERR_ATTR_MISS_NEST"]["target"] == nest
            assert f"NLMSGERR_ATTR_MISS_NEST: 36 → {nest} ({where})" in text[number]


def test_miss_type_frames_agree_with_tshark() -> None:
    """What tshark 4 decodes of those errors (it does not decode ext-ack TLVs): the error code
    and the echoed nlmsghdr, as nlwire's JSON has them."""
    import json
    import shutil
    import subprocess

    if shutil.which("tshark") is None:
        pytest.skip("tshark not installed")
    from dissect.netlink import Dissector, read_records

    out = subprocess.run(["tshark", "-r", str(MISSTYPE), "-T", "json", "--no-duplicate-keys"], capture_output=True,
                         check=True, timeout=300).stdout
    theirs = {int(p["_source"]["layers"]["frame"]["frame.number"]): p["_source"]["layers"].get("Netlink message")
              for p in json.loads(out)}
    ours = {f["frame"]: f["messages"][0] for f in Dissector().frames(read_records(str(MISSTYPE)))}
    for number in ERRORS:
        t, o = theirs[number], ours[number]
        assert int(t["netlink.error"]) == o["error"]
        echo_t = next(v for k, v in t.items() if k.startswith("Netlink message header (type: 0x"))
        echo_o = next(c for c in o["children"] if c["name"] == "msg")["children"][0]
        fields = {c["name"]: c["value"] for c in echo_o["children"]}
        assert int(echo_t["netlink.hdr_type"], 16) == fields["type"]
        assert int(echo_t["netlink.hdr_flags"], 16) == fields["flags"]
        assert (int(echo_t["netlink.hdr_seq"]), int(echo_t["netlink.hdr_len"])) == (fields["seq"], fields["len"])
