"""``python -m nlwire dissect`` as a user runs it: each output mode, the filters, bad input."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import nlcaptures
import pytest

from nlwire import Rtnl
from nlwire.consts import AF
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

ROOT = Path(__file__).resolve().parent.parent
CAP = ROOT / "captures"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nlwire", "dissect", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def test_text_tree() -> None:
    r = run(str(CAP / "ip-link-show.pcap"))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.startswith("Frame 1: 48 bytes")
    assert "IFLA_IFNAME: lo" in out and "\x1b[" not in out  # piped: no colour
    assert "NLMSG_ERROR: error, -19 ENODEV (No such device), request in frame 1" in out


def test_json_lines() -> None:
    r = run("--json", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 13  # 13 packets (shared README)
    frames = [json.loads(x) for x in lines]
    assert {"frame", "time", "linktype", "family", "length", "messages", "problems"} <= frames[0].keys()
    node = frames[0]["messages"][0]
    assert set(node) >= {"name", "value", "show", "offset", "length", "children", "problems"}
    assert sum(len(f["messages"]) for f in frames) == 41


def test_summary_and_filters() -> None:
    r = run("--summary", "--type", "RTM_NEWADDR", str(CAP / "ip-addr-show.pcap"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines and all("RTM_NEWADDR" in x for x in lines)
    r = run("--summary", "--errors-only", str(CAP / "errors-extack.pcap"))
    lines = r.stdout.decode().splitlines()
    assert lines and all("NLMSG_ERROR" in x for x in lines)
    assert any('"Attribute failed policy validation"' in x and "at IFA_LABEL" in x for x in lines)
    r = run("--summary", "--frames", "3-4", str(CAP / "ip-link-show.pcap"))
    frames = {int(x.split()[0]) for x in r.stdout.decode().splitlines()}
    assert frames == {3, 4}
    r = run("--json", "--family", "generic", str(CAP / "errors-extack.pcap"))
    fams = {json.loads(x)["family"] for x in r.stdout.decode().splitlines()}
    assert fams == {"generic"}


def _count_type(capture: str, mtype: int) -> int:
    """How many messages of type ``mtype`` the capture holds, walking the raw records."""
    count = 0
    for _protocol, data in nlcaptures.records(capture):
        off = 0
        while off + 16 <= len(data):
            ln, t = struct.unpack_from("=IH", data, off)
            if ln < 16:
                break
            count += t == mtype
            off += (ln + 3) & ~3
    return count


def test_type_filter_by_generic_family_name() -> None:
    """``--type nlctrl`` keeps the messages of that generic family, in any case, like
    ``--type ethtool`` does; counted from the raw capture: every message whose nlmsg_type
    is GENL_ID_CTRL (0x10), the nlctrl family's fixed id."""
    expected = _count_type("genl-ctrl.pcap", 0x10)
    assert expected > 0
    for spelling in ("nlctrl", "NLCTRL"):
        r = run("--summary", "--type", spelling, str(CAP / "genl-ctrl.pcap"))
        assert r.returncode == 0, r.stderr
        lines = r.stdout.decode().splitlines()
        assert len(lines) == expected, spelling
        assert all(" CTRL_CMD_" in x for x in lines)


def test_type_filter_that_matches_nothing_says_so() -> None:
    r = run("--summary", "--type", "RTM_NEWLIN", str(CAP / "ip-link-show.pcap"))  # a typo
    assert r.returncode == 0 and r.stdout == b""
    note = r.stderr.decode()
    assert "--type RTM_NEWLIN: no such message" in note and "RTM_NEWLINK" in note  # what was there
    r = run("--summary", "--type", "RTM_NEWLINK", str(CAP / "ip-link-show.pcap"))
    assert r.returncode == 0 and r.stdout and r.stderr == b""


def test_hex_dump_and_stdin() -> None:
    data = (CAP / "genl-ctrl.pcap").read_bytes()
    r = run("-x", "--frames", "1", "-", stdin=data)
    assert r.returncode == 0, r.stderr
    assert "0000  00 04 03 38" in r.stdout.decode()


@pytest.mark.skipif(shutil.which("editcap") is None, reason="editcap (wireshark) not installed")
def test_pcapng_reads_like_pcap(tmp_path: Path) -> None:
    ng = tmp_path / "x.pcapng"
    subprocess.run(["editcap", "-F", "pcapng", str(CAP / "netns-move.pcap"), str(ng)], check=True, capture_output=True)
    a = [json.loads(x) for x in run("--json", str(CAP / "netns-move.pcap")).stdout.decode().splitlines()]
    b = [json.loads(x) for x in run("--json", str(ng)).stdout.decode().splitlines()]
    assert len(a) == len(b) == 53
    for x, y in zip(a, b, strict=True):
        assert x["messages"] == y["messages"] and abs(x["time"] - y["time"]) < 1e-5


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "No such file"),
        (b"", "empty"),
        (b"hello world, not a capture", "not a pcap"),
        (
            b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(8) + b"\x00\x00\x04\x00\x01\x00\x00\x00",
            "unsupported link type 1",
        ),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, content: bytes | None, needle: str) -> None:
    p = tmp_path / "bad.pcap"
    if content is not None:
        p.write_bytes(content)
    r = run(str(p))
    err = r.stderr.decode()
    assert r.returncode == 2 and needle in err and "Traceback" not in err, err


def test_bad_options() -> None:
    r = run("--frames", "9-2", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()
    r = run("--family", "nosuch", str(CAP / "genl-ctrl.pcap"))
    assert r.returncode == 2 and "unknown netlink family" in r.stderr.decode()


def test_undecodable_name_does_not_crash_a_strict_utf8_stdout(tmp_path: Path) -> None:
    # frame 4 of ip-link-show.pcap carries IFLA_IFNAME "lo" at record offset 52; make its first
    # byte 0xff (not UTF-8). The name decodes with surrogateescape; the output must stay valid
    # UTF-8 even when stdout is strict (PYTHONIOENCODING=utf-8, as under an en_US.UTF-8 locale).
    data = bytearray((CAP / "ip-link-show.pcap").read_bytes())
    recs = []  # locate frame 4's data in the file: 24-byte file header, 16-byte record headers
    off = 24
    while off < len(data):
        caplen = int.from_bytes(data[off + 8 : off + 12], "little")
        recs.append(off + 16)
        off += 16 + caplen
    assert data[recs[3] + 52 : recs[3] + 55] == b"lo\0"
    data[recs[3] + 52] = 0xFF
    bad = tmp_path / "bad-name.pcap"
    bad.write_bytes(bytes(data))
    for mode in ("--json", "--summary", "--color=never"):
        r = subprocess.run(
            [sys.executable, "-m", "nlwire", "dissect", mode, "--frames", "4", str(bad)],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
        )
        assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr.decode()
        out = r.stdout.decode("utf-8")  # strict: valid UTF-8
        if mode == "--json":
            names = [
                c["value"] for m in json.loads(out)["messages"] for c in m["children"] if c["name"] == "IFLA_IFNAME"
            ]
            assert "\udcffo" in names  # the escape reads back as the same (surrogate-escaped) string
        else:
            assert "\\udcffo" in out or "\\xffo" in out


def test_sock_diag_messages_are_named() -> None:
    """NETLINK_SOCK_DIAG type 20 is SOCK_DIAG_BY_FAMILY (uapi sock_diag.h), as tshark names
    it; its body is read by its family byte and direction (inet_diag_req_v2 for frame 1's
    AF_INET request: family 2, protocol TCP, as tshark decodes it). Counted from the raw capture."""
    expected = _count_type("ss-sock-diag.pcap", 20)
    r = run("--summary", "--type", "SOCK_DIAG_BY_FAMILY", str(CAP / "ss-sock-diag.pcap"))
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    lines = r.stdout.decode().splitlines()
    assert expected > 0 and len(lines) == expected and all(" sock_diag SOCK_DIAG_BY_FAMILY " in x for x in lines)
    tree = run("--frames", "1", "--no-link", str(CAP / "ss-sock-diag.pcap")).stdout.decode()
    assert "no body declared" not in tree
    assert "inet_diag_req_v2\n" in tree and "family: INET (2)" in tree and "protocol: TCP (6)" in tree


def _summary_infos(lines: list[str], name: str) -> list[str]:
    """The info column (after ``pid=N`` and any ``[req N]``) of the summary lines of ``name`` messages."""
    out = []
    for line in lines:
        if f" {name} " in line:
            info = re.split(r" pid=\d+(?: \[req \d+\])?(?: \[dup of \d+\])? ?", line, maxsplit=1)[1]
            out.append(info)
    return out


def test_summary_shows_route_prefixes_as_ip_route_does() -> None:
    """ip-route-show.pcap, frame 2 (``ip route show``) and frame 30/31 (``ip route get
    10.70.3.4``): destinations as ``ip route`` prints them -- ``10.44.0.0/20`` with rtm_dst_len,
    ``default`` for the default route, a host bare. Expected from the capture's setup commands
    (captures/README.md): the /20 of ``ip addr add 10.44.0.1/20``, the routes added with their
    prefixes, ``ip route add default via 10.44.15.254``. The dump request (frame 1) is a filter:
    no ``default``."""
    r = run("--summary", "--frames", "1-2", str(CAP / "ip-route-show.pcap"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert _summary_infos(lines, "RTM_GETROUTE") == [""]
    assert _summary_infos(lines, "RTM_NEWROUTE") == [
        "default",
        "RTA_DST=10.44.0.0/20",
        "RTA_DST=10.70.0.0/15",
        "RTA_DST=10.80.0.0/16",
        "RTA_DST=192.0.2.128/25",
        "RTA_DST=192.168.77.0/24",
        "RTA_DST=198.18.0.0/15",
    ]
    r = run("--summary", "--frames", "30-31", str(CAP / "ip-route-show.pcap"))
    lines = r.stdout.decode().splitlines()
    assert _summary_infos(lines, "RTM_GETROUTE") == _summary_infos(lines, "RTM_NEWROUTE") == ["RTA_DST=10.70.3.4"]


@needs_root
@needs_ip
def test_summary_destinations_equal_ip_route_show_table_all(netns: str, tmp_path: Path) -> None:
    """A live IPv4 route dump (every table) captured by nlwire's tap, summarised by
    ``nlwire dissect -s``: the info column is ``ip -j route show table all``'s ``dst``."""
    for line in (
        "link add v0 type veth peer name v1",
        "link set v0 up",
        "link set v1 up",
        "addr add 10.44.0.1/20 dev v0",
        "route add 10.70.0.0/15 via 10.44.0.254",
        "route add 10.70.3.4 via 10.44.0.253",
        "route add default via 10.44.15.254",
        "route add prohibit 198.18.0.0/15",
        "route add unreachable 192.0.2.128/25",
        "route add 203.0.113.0/24 via 10.44.0.254 table 200",
    ):
        ip(netns, *line.split())
    pcap = tmp_path / "tap.pcap"
    with Rtnl(netns=netns, capture=str(pcap)) as rt:
        rt.routes(AF.INET, table=None)
    r = run("--summary", str(pcap))
    assert r.returncode == 0, r.stderr
    ours = [x.removeprefix("RTA_DST=") for x in _summary_infos(r.stdout.decode().splitlines(), "RTM_NEWROUTE")]
    theirs = [route["dst"] for route in ip_json(netns, "-4", "route", "show", "table", "all")]
    assert "default" in theirs and "10.70.3.4" in theirs and "10.44.0.0/20" in theirs
    assert sorted(ours) == sorted(theirs)


def test_summary_marks_a_malformed_message(tmp_path: Path) -> None:
    """One RTA_DST of frame 2 given nla_len 2, which the kernel's nla_ok() rejects (below
    sizeof(struct nlattr)): that message's line, and only it, ends in [malformed], where the
    tree reports the error; the real captures have none (nor does tshark mark any)."""
    data = bytearray((CAP / "ip-route-show.pcap").read_bytes())
    off = 24 + 16 + struct.unpack_from("<I", data, 24 + 8)[0]  # frame 2's record header
    msg = off + 16 + 16  # past the record header and nlmon's cooked header: frame 2's first message
    msg += struct.unpack_from("<I", data, msg)[0]  # its second message (10.44.0.0/20)
    attr = msg + 16 + 12  # past nlmsghdr and rtmsg
    while struct.unpack_from("<H", data, attr + 2)[0] != 1:  # RTA_DST
        attr += (struct.unpack_from("<H", data, attr)[0] + 3) & ~3
    struct.pack_into("<H", data, attr, 2)
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(bytes(data))
    lines = run("--summary", "--frames", "2", str(bad)).stdout.decode().splitlines()
    tree = run("--frames", "2", "--no-link", str(bad)).stdout.decode()
    assert [x.endswith(" [malformed]") for x in lines] == [False, True, False, False, False, False, False]
    assert "[error] nla_len 2 < 4" in tree
    for capture in ("ip-route-show.pcap", "errors-extack.pcap", "errors-missattr.pcap"):
        out = run("--summary", str(CAP / capture)).stdout.decode()  # errors are not malformed
        assert out and "[malformed]" not in out, capture


def _modules_after_dissect(capture: Path, *flags: str) -> set[str]:
    """The modules ``nlwire dissect FLAGS capture`` holds when it is done (a fresh interpreter)."""
    code = (
        "import runpy, sys\n"
        "sys.argv = ['nlwire', 'dissect', *sys.argv[2:], sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('nlwire', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(capture), *flags], capture_output=True, text=True,
                       check=True, cwd=ROOT)
    return set(r.stderr.split())


def test_specs_load_only_for_a_capture_with_an_undeclared_generic_family() -> None:
    """Specs serve by default, loaded on first need: a route capture, and one of nlctrl alone,
    import neither the spec loader nor the YAML parser; an ethtool capture loads both (when
    the ethtool spec is installed); ``--no-specs`` never does."""
    from tests.spec_marks import INSTALLED

    for capture in (CAP / "monitor.pcap", CAP / "ip-link-show.pcap"):
        loaded = _modules_after_dissect(capture, "--summary")
        assert not {"yaml", "nlwire.wire.specs"} & loaded, capture.name
    assert not {"yaml", "nlwire.wire.specs"} & _modules_after_dissect(CAP / "ethtool-genl.pcap", "--no-specs")
    if "ethtool" in INSTALLED:
        assert {"yaml", "nlwire.wire.specs"} <= _modules_after_dissect(CAP / "ethtool-genl.pcap", "--summary")
