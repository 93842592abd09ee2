"""The dissector's look-ahead window and its annotations, in every output mode: a late capture
error loses no earlier frame, one huge record costs no memory per message, duplicate
notifications are nlmon's back-to-back copies only, and filters choose what is printed, not
what is learned."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import nlcaptures
import pytest

from dissect.netlink import CaptureError, Dissector, Filter, Record, read_records
from dissect.netlink.cooked import UnsupportedLinkType
from dissect.netlink.render import Style, json_line, summary_lines, text_tree
from nlwire.client import Socket
from nlwire.consts import NETLINK
from nlwire.pcapwriter import PcapWriter
from nlwire.wire.registry import GenlIds
from tests.netns_fixtures import ip, needs_ip, needs_root
from tests.spec_marks import needs_spec

ROOT = Path(__file__).resolve().parent.parent
MODES = ("text", "summary", "json")


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nlwire", "dissect", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def frame_numbers(mode: str, out: str) -> list[int]:
    """The frame numbers ``nlwire dissect`` printed in ``mode``."""
    if mode == "json":
        return [json.loads(x)["frame"] for x in out.splitlines()]
    if mode == "summary":
        return sorted({int(x.split()[0]) for x in out.splitlines()})
    return [int(x.split()[1].rstrip(":")) for x in out.splitlines() if x.startswith("Frame ")]


def tshark_frames(path: Path) -> int | None:
    """How many frames tshark reads from ``path`` (None without tshark)."""
    if shutil.which("tshark") is None:
        return None
    r = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "frame.number"],
                       capture_output=True, timeout=300)
    return len(r.stdout.split())


UAPI = Path("/usr/include/linux")


def uapi_member(header: str, first: str, value: int) -> str:
    """The member numbered ``value`` of the enum of uapi ``header`` whose first member is
    ``first``, counted as C counts (from 0, or from an ``= N`` given): the oracle for names."""
    text = re.sub(r"/\*.*?\*/", "", (UAPI / header).read_text(), flags=re.S)
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, flags=re.S):
        members = [m.strip() for m in body.split(",") if m.strip() and not m.strip().startswith("#")]
        if not members or members[0].split("=")[0].strip() != first:
            continue
        n = -1
        for m in members:
            name, _, given = m.partition("=")
            n = int(given.strip(), 0) if given.strip().isdigit() else n + 1
            if n == value:
                return name.strip()
    raise LookupError(f"{header}: no enum starting {first} with a member {value}")


needs_ethtool_spec = needs_spec("ethtool")
needs_uapi_ethtool = pytest.mark.skipif(
    not (UAPI / "ethtool_netlink.h").exists(), reason="no uapi header ethtool_netlink.h (Debian: linux-libc-dev)"
)


# ------------------------------------------------------------------ item 3: a late error


def getlink(seq: int) -> bytes:
    """RTM_GETLINK request (ifinfomsg, no attributes) with sequence number ``seq``."""
    return struct.pack("=IHHII", 32, 18, 0x1, seq, 0) + bytes(16)


@pytest.fixture(scope="module")
def truncated_pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 good records, then a record whose header promises more bytes than the file has."""
    path = tmp_path_factory.mktemp("window") / "truncated.pcap"
    with PcapWriter(str(path), NETLINK.ROUTE) as w:
        for seq in range(1, 5001):
            w.write(getlink(seq), 1_700_000_000 + seq / 1000)
    with open(path, "ab") as f:
        f.write(struct.pack("<IIII", 1_700_000_006, 0, 48, 48) + bytes(20))
    return path


@pytest.mark.parametrize("mode", MODES)
def test_late_capture_error_prints_every_earlier_frame(truncated_pcap: Path, mode: str) -> None:
    flag = {"text": [], "summary": ["--summary"], "json": ["--json"]}[mode]
    r = run(*flag, str(truncated_pcap))
    assert r.returncode != 0 and b"last record truncated" in r.stderr, r.stderr
    expected = tshark_frames(truncated_pcap) or 5000
    assert expected == 5000
    assert frame_numbers(mode, r.stdout.decode()) == list(range(1, 5001))


def test_late_capture_error_frames_api(truncated_pcap: Path) -> None:
    seen = []
    with pytest.raises(CaptureError):
        for frame in Dissector().frames(read_records(str(truncated_pcap))):
            seen.append(frame["frame"])
    assert seen == list(range(1, 5001))
    for mode in MODES:
        got = []
        with pytest.raises(CaptureError):
            for text in Dissector().render(read_records(str(truncated_pcap)), mode):
                got.append(text)
        assert frame_numbers(mode, "".join(got)) == list(range(1, 5001)), mode


def test_unsupported_link_type_part_way_prints_every_earlier_frame() -> None:
    # a record of a link type that cannot carry netlink (1, Ethernet) after 3,000 good ones,
    # as a pcapng with a second interface gives them: the 3,000 frames, then the error
    head = b"\x00\x04\x03\x38" + bytes(10) + b"\x00\x00"
    records = [Record(253, float(i), head + getlink(i), 48) for i in range(1, 3001)]
    records.append(Record(1, 3001.0, bytes(60), 60))
    seen = []
    with pytest.raises(UnsupportedLinkType):
        for frame in Dissector().frames(records):
            seen.append(frame["frame"])
    assert seen == list(range(1, 3001))
    for mode in MODES:
        got = []
        with pytest.raises(UnsupportedLinkType):
            for text in Dissector().render(records, mode):
                got.append(text)
        assert frame_numbers(mode, "".join(got)) == list(range(1, 3001)), mode


# ------------------------------------------------------------------ item 7: filters print, all frames teach


def by_frame(dis: Dissector, name: str, mode: str) -> dict[int, str]:
    """Each output frame's text (one chunk per frame), keyed by its frame number."""
    out = {}
    for chunk in dis.render(read_records(str(nlcaptures.require(name))), mode):
        (number,) = frame_numbers(mode, chunk)
        out[number] = chunk
    return out


@needs_ethtool_spec
@needs_uapi_ethtool
@pytest.mark.parametrize("mode", MODES)
def test_frames_filter_decodes_as_the_full_run(mode: str) -> None:
    # ethtool-genl.pcap: frame 2 is the CTRL_CMD_NEWFAMILY reply naming family 20 "ethtool";
    # frames 4-5 are an ethtool request (cmd 4) and its EOPNOTSUPP error, named by the
    # installed spec by default: request 4 is ETHTOOL_MSG_LINKMODES_GET (uapi ethtool_netlink.h)
    name = uapi_member("ethtool_netlink.h", "ETHTOOL_MSG_USER_NONE", 4)
    full = by_frame(Dissector(), "ethtool-genl.pcap", mode)
    assert f"{name} " in full[4] or f"{name}:" in full[4] or f'"{name}"' in full[4]
    assert f"for {name} " in full[5] or f'"{name}"' in full[5] or f"msg: {name} " in full[5]
    assert "ethtool cmd" not in full[4] + full[5]
    part = by_frame(Dissector(flt=Filter(frames=(4, 5))), "ethtool-genl.pcap", mode)
    assert part == {4: full[4], 5: full[5]}
    flag = {"text": [], "summary": ["--summary"], "json": ["--json"]}[mode]
    r = run(*flag, "--frames", "4-5", str(nlcaptures.require("ethtool-genl.pcap")))
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == full[4] + full[5]
    # --no-specs: the family's commands by number, as a Dissector without specs writes them
    bare = by_frame(Dissector(genl=GenlIds(), flt=Filter(frames=(4, 5))), "ethtool-genl.pcap", mode)
    assert "ethtool cmd 4" in bare[4] and "ethtool cmd 4" in bare[5]
    r = run(*flag, "--no-specs", "--frames", "4-5", str(nlcaptures.require("ethtool-genl.pcap")))
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == bare[4] + bare[5]


@needs_ethtool_spec
@needs_uapi_ethtool
def test_frames_filter_frames_api() -> None:
    records = list(read_records(str(nlcaptures.require("ethtool-genl.pcap"))))
    full = {f["frame"]: f for f in Dissector().frames(records)}
    part = list(Dissector(flt=Filter(frames=(4, 5))).frames(records))
    assert part == [full[4], full[5]]
    assert part[0]["messages"][0]["name"] == uapi_member("ethtool_netlink.h", "ETHTOOL_MSG_USER_NONE", 4)


@pytest.mark.parametrize("mode", MODES)
def test_type_filter_decodes_as_the_full_run(mode: str) -> None:
    # the errors answering ethtool requests name them as the full run does, although the
    # nlctrl reply that names the family is filtered out
    full = by_frame(Dissector(), "ethtool-genl.pcap", mode)
    part = by_frame(Dissector(flt=Filter(types=["NLMSG_ERROR"], frames=(5, 9))), "ethtool-genl.pcap", mode)
    assert sorted(part) == [5, 7, 9]
    for number, text in part.items():
        assert text == full[number]


# ------------------------------------------------------------------ item 5: nlmon's copies, not repeats


def add_del_add(ns: str) -> list[bytes]:
    """What one listener of RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV4_ROUTE receives for ``ip addr
    add``, ``del``, ``add`` of one address (real kernel datagrams)."""
    ip(ns, "link", "add", "dup0", "type", "veth", "peer", "name", "dup1")
    script = b"".join(b"addr %s 192.0.2.9/24 dev dup0\n" % verb for verb in (b"add", b"del", b"add"))
    with Socket(NETLINK.ROUTE, netns=ns, timeout=10) as sock:
        sock.subscribe("ipv4_ifaddr", "ipv4_route")
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=script, check=True)
        got = [sock.recv_datagram(time.monotonic() + 10)[0] for _ in range(6)]
    # RTM_NEWADDR + RTM_NEWROUTE (the local route), RTM_DELADDR + RTM_DELROUTE, then again
    assert [struct.unpack_from("=H", d, 4)[0] for d in got] == [20, 24, 21, 25, 20, 24]
    assert got[1] == got[5]  # the second local route's notification is byte for byte the first's
    return got


def capture(path: Path, datagrams: list[bytes]) -> Path:
    with PcapWriter(str(path), NETLINK.ROUTE) as w:
        for i, d in enumerate(datagrams):
            w.write(d, 1_700_000_000 + i / 1000)
    return path


def dups(path: Path) -> dict[str, list[int | None]]:
    """Each output mode's duplicate marks, one per frame (None: not marked), from the CLI's output."""
    out: dict[str, list[int | None]] = {}
    for mode, flag in (("text", []), ("summary", ["--summary"]), ("json", ["--json"])):
        r = run(*flag, str(path))
        assert r.returncode == 0, r.stderr
        chunks = r.stdout.decode().split("\nFrame ") if mode == "text" else r.stdout.decode().splitlines()
        marks: list[int | None] = []
        for chunk in chunks:
            if mode == "json":
                m = json.loads(chunk)["messages"][0]
                marks.append(m.get("duplicate_of"))
            else:
                word = "duplicate of frame " if mode == "text" else "[dup of "
                marks.append(int(chunk.split(word)[1].split()[0].rstrip("]")) if word in chunk else None)
        out[mode] = marks
    api = [f["messages"][0].get("duplicate_of") for f in Dissector().frames(read_records(str(path)))]
    out["frames()"] = api
    return out


@needs_root
@needs_ip
def test_same_event_again_is_not_a_duplicate(netns: str, tmp_path: Path) -> None:
    got = add_del_add(netns)
    # one listener: the capture holds each event once; nothing is a copy
    one = dups(capture(tmp_path / "one.pcap", got))
    assert one == dict.fromkeys(("text", "summary", "json", "frames()"), [None] * 6)
    # three listeners: nlmon records each notification three times back to back; the second
    # and third copies are duplicates of the first copy of *that* event, never of frame 4
    three = dups(capture(tmp_path / "three.pcap", [d for d in got for _ in range(3)]))
    # (the address notifications carry ip's port id and, their request being absent from this
    # capture, are read as replies: only the route notifications, pid 0, are multicast here)
    pids = [struct.unpack_from("=I", d, 12)[0] for d in got]
    assert pids[1::2] == [0, 0, 0] and 0 not in pids[::2]
    expected = [x for i in range(6) for x in (None, *[3 * i + 1 if pids[i] == 0 else None] * 2)]
    assert three == dict.fromkeys(("text", "summary", "json", "frames()"), expected)


def notification(i: int, size: int) -> bytes:
    """An RTM_NEWLINK notification (pid 0, seq 0) carrying ``size`` bytes of IFLA_IFALIAS,
    made distinct by ``i``."""
    alias = (b"%08d" % i) * (size // 8)
    attr = struct.pack("=HH", 4 + len(alias), 20) + alias  # IFLA_IFALIAS = 20
    body = bytes(16) + attr
    return struct.pack("=IHHII", 16 + len(body), 16, 0, 0, 0) + body


def history_bytes(count: int) -> int:
    """Bytes still allocated by the dissector after ``count`` distinct 60 KB notifications."""
    head = b"\x00\x04\x03\x38" + bytes(10) + b"\x00\x00"
    dis = Dissector(window=0)
    recs = (Record(253, float(i), head + notification(i, 60000), 16 + 60032) for i in range(count))
    tracemalloc.start()
    try:
        for _ in dis.frames(recs):
            pass
        return tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def test_duplicate_history_does_not_keep_messages() -> None:
    # the old history kept up to 1,024 whole messages: ~60 KB more per distinct notification
    small, large = history_bytes(8), history_bytes(40)
    assert large - small < 256 * 1024, (small, large)


def scan_calls(records: list[Record]) -> int:
    """Python and C function calls made while ``records`` are scanned (no output)."""
    dis = Dissector()
    calls = 0

    def prof(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(prof)
    try:
        for _ in dis._leaving(records, None):
            pass
    finally:
        sys.setprofile(None)
    return calls


def test_scan_work_per_record() -> None:
    # one-message records alternating between a dump reply to one request and a pid-0
    # RTM_NEWLINK notification, each notification of another length than the one before:
    # the copy check compares lengths (no digest of each multicast record) and an annotation
    # is found by (role, request) with no dict built per message; a reply or notification is
    # annotated inside the scan's loop (no call per message) and the last record's Link is
    # tried first. 18.5 calls a record, then 15.5, 13.5 now; what is counted is work, not time
    head = b"\x00\x04\x03\x38" + bytes(10) + b"\x00\x00"
    hdr = struct.Struct("=IHHII").pack
    req = hdr(32, 18, 0x301, 7, 4242) + bytes(16)
    reply = hdr(32, 16, 0x2, 7, 4242) + bytes(16)
    datas = [head + req]
    for i in range(1, 201):
        pad = 4 * (i % 3)
        datas.append(head + (hdr(32 + pad, 16, 0, 0, 0) + bytes(16 + pad) if i % 2 else reply))
    records = [Record(253, float(i), d, len(d)) for i, d in enumerate(datas)]
    per_record = (scan_calls(records) - scan_calls(records[:101])) / 100
    assert per_record <= 14, per_record


# ------------------------------------------------------------------ item 4: one record of many messages

_COOKED = b"\x00\x04\x03\x38" + bytes(10) + b"\x00\x00"  # nlmon's header, NETLINK_ROUTE


def big_record(kind: str, n: int) -> list[Record]:
    """A capture whose second record holds ``n`` 32-byte messages: RTM_NEWLINK dump replies
    to the RTM_GETLINK dump of the first record, RTM_GETLINK requests, or RTM_NEWLINK
    notifications (pid 0); each message names a different ifindex."""
    first = struct.pack("=IHHII", 32, 18, 0x301, 7, 0) + bytes(16)
    hdr, ifinfomsg = struct.Struct("=IHHII").pack, struct.Struct("=BxHiII").pack
    if kind == "dump":
        msgs = (hdr(32, 16, 0x2, 7, 99) + ifinfomsg(0, 1, i, 0, 0) for i in range(n))
    elif kind == "requests":
        msgs = (hdr(32, 18, 0x1, 100 + i, 0) + ifinfomsg(0, 0, i, 0, 0) for i in range(n))
    else:
        msgs = (hdr(32, 16, 0, 0, 0) + ifinfomsg(0, 1, i, 0, 0) for i in range(n))
    big = _COOKED + b"".join(msgs)
    return [Record(253, 1.0, _COOKED + first, 48), Record(253, 2.0, big, len(big))]


def peak(kind: str, n: int, mode: str) -> int:
    """tracemalloc's peak while ``nlwire dissect`` writes the capture (records made before)."""
    records = big_record(kind, n)
    tracemalloc.start()
    try:
        for _ in Dissector().render_bytes(records, mode):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["dump", "requests", "notifications"])
@pytest.mark.parametrize("mode", MODES)
def test_memory_does_not_grow_with_messages_in_a_record(kind: str, mode: str) -> None:
    # 12,288 more messages (393 KB more record): the old code held ~0.5 KB (scan) plus the
    # frame's whole output (~0.3 KB text, ~1.4 KB JSON) per message; now a record costs two
    # words per message and the output is written 1,024 messages at a time. (Both sizes are
    # past the 16,384 message shapes the JSON layouts count, a bounded cache.)
    small, large = peak(kind, 20000, mode), peak(kind, 32288, mode)
    assert large - small < 12288 * 64, (small, large)


@pytest.mark.parametrize("kind", ["dump", "requests", "notifications"])
@pytest.mark.parametrize("mode", MODES)
def test_record_of_many_messages_written_as_the_node_path(kind: str, mode: str) -> None:
    # a frame written in pieces is, joined, the text the node tree renders
    records = big_record(kind, 1500)
    dis = Dissector()
    fast = "".join(dis.render(records, mode))
    tree = Dissector()
    want = []
    for frame in tree.frames(records):
        assert tree.first_time is not None
        if mode == "json":
            want.append(json_line(frame) + "\n")
        elif mode == "summary":
            want.append("".join(x + "\n" for x in summary_lines(frame, tree.first_time)))
        else:
            want.append(text_tree(frame, tree.first_time, Style(False)) + "\n")
    assert fast == "".join(want)
    assert len(list(Dissector().render(records, mode))) > 3  # in pieces


@pytest.mark.parametrize("mode", MODES)
def test_a_family_id_given_again_names_each_frame_as_of_its_place(mode: str) -> None:
    """Generic family ids are learned as their CTRL_CMD_NEWFAMILY leaves the window, so a frame
    is named by what its id meant at its place, not by a later frame in the look-ahead: in
    errors-misstype.pcap (kernel 6.18) id 0x14 is netdev; ethtool-genl.pcap (6.1), read after
    it, gives 0x14 to ethtool. The first file's frames read as they do alone, on both paths."""
    first = list(read_records(str(ROOT / "captures" / "errors-misstype.pcap")))
    joined = first + list(read_records(str(nlcaptures.require("ethtool-genl.pcap"))))
    alone = "".join(Dissector().render(first, mode))
    assert "netdev" in alone and "ethtool (0x14)" not in alone
    head = "".join(Dissector(flt=Filter(frames=(1, len(first)))).render(joined, mode))
    assert head == alone
    if mode != "summary":  # (the node path, frames(): names as of each frame's place too)
        tree = Dissector()
        frames = [f for f in tree.frames(joined) if f["frame"] <= len(first)]
        names = [m["name"] for f in frames for m in f["messages"]]
        assert "NETDEV_CMD_DEV_GET" in names or "netdev cmd 1" in names
        assert not any(n.startswith(("ethtool", "ETHTOOL_MSG_DEBUG")) for n in names)
