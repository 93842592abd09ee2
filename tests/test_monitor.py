"""``nlwire monitor`` against the real kernel, inside a private network namespace.

The monitor runs as a subprocess listening in the namespace the test created; the
test waits for its "listening" line, creates a veth pair there with iproute2, and
checks that the notifications printed (and written with ``-w``) name both ends.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dissect.netlink import Dissector, read_records
from tests.netns_fixtures import ip, needs_ip, needs_root

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [needs_root, needs_ip]


def start_monitor(ns: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlwire", "monitor", "--netns", ns, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PYTHONPATH": str(ROOT)},
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # printed once the socket has joined its groups
    assert "listening on" in line, line + proc.stderr.read()
    return proc


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return out


def test_link_notifications_as_text_tree(netns: str, tmp_path: Path) -> None:
    pcap = tmp_path / "live.pcap"
    proc = start_monitor(netns, "link", "--count", "2", "--timeout", "20", "-w", str(pcap))
    ip(netns, "link", "add", "mon0", "type", "veth", "peer", "name", "mon1")
    out = finish(proc)
    # one RTM_NEWLINK per veth end, multicast from the kernel (pid 0), as `dissect` prints them
    assert out.count("RTM_NEWLINK: notification") == 2
    assert "IFLA_IFNAME: mon0" in out and "IFLA_IFNAME: mon1" in out
    assert "kernel→user" in out and "LINKTYPE_NETLINK" in out
    # -w wrote the same datagrams as an nlmon-style capture that `dissect` reads back
    frames = list(Dissector().frames(read_records(str(pcap))))
    assert len(frames) == 2
    names = {c["value"] for f in frames for m in f["messages"] for c in m["children"] if c["name"] == "IFLA_IFNAME"}
    assert names == {"mon0", "mon1"}


def test_json_and_group_number(netns: str) -> None:
    # RTNLGRP_LINK is 1 (uapi rtnetlink.h); the JSON lines are the dissector's format
    proc = start_monitor(netns, "1", "--json", "--count", "1", "--timeout", "20")
    ip(netns, "link", "add", "mon2", "type", "veth", "peer", "name", "mon3")
    (line,) = finish(proc).splitlines()
    frame = json.loads(line)
    assert frame["family"] == "route" and frame["linktype"] == 253
    (msg,) = frame["messages"]
    assert msg["name"] == "RTM_NEWLINK" and msg["multicast"] is True
    assert any(c["name"] == "IFLA_IFNAME" and c["value"] in ("mon2", "mon3") for c in msg["children"])


def test_summary_names_the_deleted_address(netns: str) -> None:
    ip(netns, "link", "add", "mon4", "type", "veth", "peer", "name", "mon5")
    proc = start_monitor(netns, "ipv4-ifaddr", "--summary", "--count", "2", "--timeout", "20")
    ip(netns, "addr", "add", "192.0.2.7/24", "dev", "mon4")
    ip(netns, "addr", "del", "192.0.2.7/24", "dev", "mon4")
    lines = finish(proc).splitlines()
    assert [x.split()[4] for x in lines] == ["RTM_NEWADDR", "RTM_DELADDR"]
    assert all("IFA_LABEL=mon4" in x for x in lines)


@pytest.mark.skipif(shutil.which("nft") is None, reason="nftables (nft) not installed")
def test_nftables_changes_by_group_name(netns: str) -> None:
    # NFNLGRP_NFTABLES by name on a netfilter socket: a table, then the new generation
    proc = start_monitor(netns, "--family", "netfilter", "nftables", "--summary", "--count", "2", "--timeout", "20")
    subprocess.run(["ip", "netns", "exec", netns, "nft", "add", "table", "inet", "mon"], check=True)
    lines = finish(proc).splitlines()
    assert [x.split()[4] for x in lines] == ["NFT_MSG_NEWTABLE", "NFT_MSG_NEWGEN"]
    assert lines[0].endswith("NFTA_TABLE_NAME=mon") and all(" netfilter " in x for x in lines)


def test_timeout_without_events_exits_cleanly(netns: str) -> None:
    proc = start_monitor(netns, "ipv6-route", "--timeout", "0.5")
    assert finish(proc) == ""


@pytest.mark.parametrize(
    ("args", "needle"), [(["nosuchgroup"], "cannot join"), (["--netns", "nlwire-absent-ns"], "namespace")]
)
def test_bad_group_or_namespace_is_a_clear_error(args: list[str], needle: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "nlwire", "monitor", "--timeout", "1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_equal_events_in_a_row_on_one_socket_are_not_marked_copies() -> None:
    """nlmon records a notification once per listening socket, back to back, and the
    dissector marks those copies; ``nlwire monitor`` reads one socket, where two equal
    notifications in a row are two events (``Dissector(nlmon_copies=False)``)."""
    from tests.nlcaptures import require

    records = list(read_records(str(require("monitor.pcap"))))
    multicast = next(
        r for r, f in zip(records, Dissector().frames(records), strict=True) if f["messages"][0].get("multicast")
    )
    as_nlmon = list(Dissector().frames([multicast, multicast]))
    assert as_nlmon[1]["messages"][0].get("duplicate_of") == 1
    one_socket = list(Dissector(nlmon_copies=False).frames([multicast, multicast]))
    assert all("duplicate_of" not in m for f in one_socket for m in f["messages"])
