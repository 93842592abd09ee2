"""The dissector on the bundled real captures: no problems on good bytes, never a raise on bad
bytes, every node inside its frame, correlation, genl learning, link types, byte order."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest

from dissect.netlink import Dissector, Record, read_records
from dissect.netlink.cooked import UnsupportedLinkType
from nlwire.wire.registry import GenlIds

CAPTURES = sorted((Path(__file__).resolve().parent.parent / "captures").glob("*.pcap"))
assert CAPTURES, "bundled captures missing"


def frames_of(records: list[Record], **kw: Any) -> list[dict[str, Any]]:
    return list(Dissector(**kw).frames(records))


def walk(node: dict[str, Any]) -> Any:
    yield node
    for c in node["children"]:
        yield from walk(c)


def all_nodes(frame: dict[str, Any]) -> Any:
    yield from walk(frame["link"])
    for m in frame["messages"]:
        yield from walk(m)
    if frame["padding"] is not None:
        yield frame["padding"]


def check_inside(frame: dict[str, Any]) -> None:
    n = frame["length"]
    for node in all_nodes(frame):
        assert not any("internal dissector error" in p["text"] for p in node["problems"]), node["problems"]
        assert node["offset"] >= 0 and node["length"] >= 0, node["name"]
        assert node["offset"] + node["length"] <= n, (frame["frame"], node["name"], node["offset"], node["length"], n)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_every_message_decodes_without_problems(path: Path) -> None:
    records = list(read_records(str(path)))
    frames = frames_of(records)
    assert len(frames) == len(records)
    types = set()
    for f in frames:
        assert f["problems"] == []
        check_inside(f)
        for m in f["messages"]:
            types.add(m["name"])
            bad = [(n["name"], p) for n in walk(m) for p in n["problems"] if p["severity"] != "note"]
            assert bad == [], (f["frame"], m["name"], bad)
    assert types


def test_message_counts_match_the_capture_readme() -> None:
    # counts from ../shared/captures/README.md (walking nlmsg_len, agreed with tshark)
    expected = {
        "ip-link-show.pcap": 16,
        "ip-addr-show.pcap": 59,
        "errors-extack.pcap": 117,
        "genl-ctrl.pcap": 41,
        "monitor.pcap": 133,
        "nft-ruleset.pcap": 303,
        "ss-sock-diag.pcap": 55,
    }
    for name, count in expected.items():
        frames = frames_of(list(read_records(str(CAPTURES[0].parent / name))))
        assert sum(len(f["messages"]) for f in frames) == count, name


def test_zero_tails_are_padding_not_messages() -> None:
    # README: ip-addr-show.pcap has 4 packets whose record runs past the last message into zeros
    frames = frames_of(list(read_records(str(CAPTURES[0].parent / "ip-addr-show.pcap"))))
    padded = [f for f in frames if f["padding"] is not None]
    assert len(padded) == 4
    for f in padded:
        assert f["padding"]["problems"] == [] and f["padding"]["value"] is None


def test_request_reply_links_and_probe_error() -> None:
    frames = frames_of(list(read_records(str(CAPTURES[0].parent / "ip-link-show.pcap"))))
    # frame 1: iproute2's empty RTM_NEWLINK probe (seq 0); frame 2: the kernel's ENODEV echoing it
    probe, err = frames[0]["messages"][0], frames[1]["messages"][0]
    assert probe["name"] == "RTM_NEWLINK" and probe["role"] == "request" and probe["replies_in"] == [2]
    assert err["name"] == "NLMSG_ERROR" and err["error"] == -19 and err["request_in"] == 1
    assert frames[0]["direction"] == "to-kernel" and frames[1]["direction"] == "to-user"
    echo = next(c for c in err["children"] if c["name"] == "msg")
    assert echo["value"] == "RTM_NEWLINK" and [c["name"] for c in echo["children"]] == ["nlmsghdr", "ifinfomsg"]
    # frame 3: the RTM_GETLINK dump; 4..6 replies (the last holds NLMSG_DONE)
    dump = frames[2]["messages"][0]
    assert dump["replies_in"] == [4, 5, 6]
    assert all(m["request_in"] == 3 for f in frames[3:] for m in f["messages"])
    assert frames[5]["messages"][-1]["name"] == "NLMSG_DONE"


def test_ext_ack_offs_resolves_to_the_attribute() -> None:
    # shared README: errors-extack packet 36, -ERANGE, MSG "Attribute failed policy validation", OFFS 32, POLICY
    frames = frames_of(list(read_records(str(CAPTURES[0].parent / "errors-extack.pcap"))), flt=None)
    err = frames[35]["messages"][0]
    names = {c["name"]: c for c in err["children"]}
    assert err["error"] == -34
    assert names["NLMSGERR_ATTR_MSG"]["value"] == "Attribute failed policy validation"
    assert names["NLMSGERR_ATTR_OFFS"]["value"] == 32
    assert names["NLMSGERR_ATTR_OFFS"]["target"] == "IFA_LABEL"
    pol = {c["name"]: c["value"] for c in names["NLMSGERR_ATTR_POLICY"]["children"]}
    assert pol == {"NL_POLICY_TYPE_ATTR_TYPE": 11, "NL_POLICY_TYPE_ATTR_MAX_LENGTH": 15}
    # ethtool over genl, packet 93: OFFS 36 inside the echoed channels-set request (no ethtool schema)
    err93 = frames[92]["messages"][0]
    offs = next(c for c in err93["children"] if c["name"] == "NLMSGERR_ATTR_OFFS")
    assert offs["value"] == 36 and "target" in offs


def test_genl_family_ids_learned_from_newfamily() -> None:
    # without specs, a learned family's messages are named by it ("ethtool cmd 4")
    frames = frames_of(list(read_records(str(CAPTURES[0].parent / "ethtool-genl.pcap"))), genl=GenlIds())
    names = {m["name"].split(" ")[0] for f in frames for m in f["messages"]}
    assert "ethtool" in names  # id 0x14, learned from the CTRL_CMD_NEWFAMILY reply earlier in the capture
    first = next(f for f in frames if any(m["name"].startswith("ethtool") for m in f["messages"]))
    assert any(m["name"] == "CTRL_CMD_NEWFAMILY" for f in frames[: first["frame"]] for m in f["messages"])


def test_multicast_duplicates_flagged() -> None:
    frames = frames_of(list(read_records(str(CAPTURES[0].parent / "monitor.pcap"))))
    notes = [m for f in frames for m in f["messages"] if m.get("multicast")]
    assert notes
    dups = [(f["frame"], m) for f in frames for m in f["messages"] if "duplicate_of" in m]
    for frame_no, m in dups:
        first = frames[m["duplicate_of"] - 1]
        assert m["duplicate_of"] < frame_no
        assert any(x["length"] == m["length"] and x["name"] == m["name"] for x in first["messages"])


def test_duplicate_multicast_copies_flagged_positive() -> None:
    # nlmon records one copy of a multicast notification per listening socket: a synthetic
    # capture of monitor.pcap's frame 30 (RTM_NEWADDR, pid 0) recorded twice, 1 ms apart, then
    # frame 45 (another RTM_NEWADDR notification, pid 0) once, and frame 30 again much later:
    # that one is the same event again, not a copy (another record came between).
    recs = list(read_records(str(CAPTURES[0].parent / "monitor.pcap")))
    note, other = recs[29], recs[44]
    assert note.data != other.data
    copies = [
        note,
        Record(note.linktype, note.time + 0.001, note.data, note.wirelen),
        other,
        Record(note.linktype, note.time + 5.0, note.data, note.wirelen),
    ]
    frames = frames_of(copies)
    msgs = [f["messages"][0] for f in frames]
    assert all(m["name"] == "RTM_NEWADDR" and m["multicast"] and m["role"] == "notification" for m in msgs)
    assert "duplicate_of" not in msgs[0] and "duplicate_of" not in msgs[2] and "duplicate_of" not in msgs[3]
    assert msgs[1]["duplicate_of"] == 1
    # the outputs say so too
    dis = Dissector()
    text = "".join(dis.render(copies, "text"))
    assert text.count("duplicate of frame 1 (nlmon copies a multicast message per listening socket)") == 1
    summary = "".join(Dissector().render(copies, "summary")).splitlines()
    assert ["[dup of 1]" in line for line in summary] == [False, True, False, False]


def _cut(rec: Record, n: int) -> Record:
    return Record(rec.linktype, rec.time, rec.data[:n], rec.wirelen)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_truncated_records_never_raise(path: Path) -> None:
    records = list(read_records(str(path)))[:40]
    cuts = []
    for rec in records:
        step = max(1, len(rec.data) // 24)
        cuts += [_cut(rec, n) for n in range(0, len(rec.data), step)]
    for f in Dissector().frames(cuts):
        check_inside(f)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_bit_flips_never_raise(path: Path) -> None:
    rng = random.Random(path.name)
    records = list(read_records(str(path)))[:60]
    mutated = []
    for rec in records:
        for _ in range(6):
            b = bytearray(rec.data)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
            mutated.append(Record(rec.linktype, rec.time, bytes(b), rec.wirelen))
    for f in Dissector().frames(mutated):
        check_inside(f)


def test_sll_and_sll2_carry_netlink() -> None:
    rec = next(read_records(str(CAPTURES[0].parent / "ip-link-show.pcap")))
    body = rec.data[16:]
    sll = struct.pack(">HHH8sH", 4, 824, 0, b"", 0) + body
    sll2 = struct.pack(">HHIHBB8s", 0, 0, 7, 824, 4, 0, b"") + body
    f1, f2 = frames_of([Record(113, 0.0, sll, len(sll)), Record(276, 0.0, sll2, len(sll2))])
    for f in (f1, f2):
        assert f["messages"][0]["name"] == "RTM_NEWLINK" and f["family"] == "route"
        check_inside(f)
    assert f2["messages"][0]["offset"] == 20
    other = struct.pack(">HHH8sH", 4, 1, 6, b"", 0x800) + body
    (f3,) = frames_of([Record(113, 0.0, other, len(other))])
    assert f3["messages"] == [] and "not netlink" in f3["problems"][0]["text"]


def test_unsupported_linktype_is_an_error() -> None:
    with pytest.raises(UnsupportedLinkType, match="link type 1"):
        frames_of([Record(1, 0.0, b"\0" * 40, 40)])


def test_big_endian_capture_detected() -> None:
    rec = next(read_records(str(CAPTURES[0].parent / "ip-link-show.pcap")))
    ln, t, fl, seq, pid = struct.unpack_from("<IHHII", rec.data, 16)
    swapped = rec.data[:16] + struct.pack(">IHHII", ln, t, fl, seq, pid) + rec.data[32:]
    (f,) = frames_of([Record(253, 0.0, swapped, len(swapped))])
    assert f["messages"] == [] and "big-endian" in f["problems"][0]["text"]


def test_window_bounds_lookahead() -> None:
    records = list(read_records(str(CAPTURES[0].parent / "ip-link-show.pcap")))
    frames = frames_of(records, window=0)
    assert frames[0]["messages"][0]["replies_in"] == []  # no look-ahead: replies unknown when frame 1 is printed
    assert frames[1]["messages"][0]["request_in"] == 1  # backward links need no look-ahead
