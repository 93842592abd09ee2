"""nlwire.genl against the kernel, in a private namespace, with iproute2's ``genl ctrl list``
as the oracle; a family registered in one declaration (netdev) encodes and decodes by name."""

from __future__ import annotations

import enum
import errno
import re
import shutil
import subprocess
import time
from typing import Any

import pytest

from nlwire.consts import CTRL_ATTR, CTRL_CMD, NETLINK
from nlwire.errors import NetlinkError, NotFound
from nlwire.genl import Genl, GenlFamily
from nlwire.wire.attrs import AttrSet
from nlwire.wire.genetlink import GENL_FAMILIES, GenlFamilySpec, register_genl_family
from nlwire.wire.kinds import u32, u64
from tests.netns_fixtures import ip_json, needs_root

pytestmark = [needs_root, pytest.mark.skipif(shutil.which("genl") is None, reason="iproute2 genl not installed")]


class NETDEV_A_DEV(enum.IntEnum):  # include/uapi/linux/netdev.h
    IFINDEX = 1
    PAD = 2
    XDP_FEATURES = 3
    XDP_ZC_MAX_SEGS = 4
    XDP_RX_METADATA_FEATURES = 5
    XSK_FEATURES = 6


class NETDEV_CMD(enum.IntEnum):  # include/uapi/linux/netdev.h
    DEV_GET = 1
    DEV_ADD_NTF = 2
    DEV_DEL_NTF = 3
    DEV_CHANGE_NTF = 4


NETDEV_DEV_ATTRS = AttrSet(
    NETDEV_A_DEV,
    {
        NETDEV_A_DEV.IFINDEX: u32,
        NETDEV_A_DEV.XDP_FEATURES: u64,
        NETDEV_A_DEV.XDP_ZC_MAX_SEGS: u32,
        NETDEV_A_DEV.XDP_RX_METADATA_FEATURES: u64,
        NETDEV_A_DEV.XSK_FEATURES: u64,
    },
)


@pytest.fixture
def netdev_family() -> Any:
    """The one declaration that makes netdev messages encode and decode by name."""
    previous = GENL_FAMILIES.get("netdev")
    spec = register_genl_family(GenlFamilySpec("netdev", NETDEV_DEV_ATTRS, NETDEV_CMD))
    yield spec
    if previous is None:
        GENL_FAMILIES.pop("netdev", None)
    else:
        GENL_FAMILIES["netdev"] = previous


def _genl_ctrl_list(ns: str) -> dict[str, dict[str, Any]]:
    """``genl ctrl list`` run inside the namespace, parsed."""
    out = subprocess.run(["ip", "netns", "exec", ns, "genl", "ctrl", "list"], capture_output=True, text=True,
                         check=True).stdout
    fams: dict[str, dict[str, Any]] = {}
    cur: dict[str, Any] = {}
    section = ""
    for line in out.splitlines():
        if m := re.match(r"Name: (\S+)", line):
            cur = {"ops": [], "groups": {}}
            fams[m.group(1)] = cur
        elif m := re.search(r"ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)",
                            line):
            cur.update(id=int(m.group(1), 16), version=int(m.group(2), 16), hdrsize=int(m.group(3)),
                       maxattr=int(m.group(4)))
        elif "commands supported" in line:
            section = "ops"
        elif "multicast groups" in line:
            section = "groups"
        elif m := re.match(r"\s+#\d+:\s+ID-(0x[0-9a-f]+)\s+name: (\S+)", line):
            cur["groups"][m.group(2)] = int(m.group(1), 16)
        elif (m := re.match(r"\s+#\d+:\s+ID-(0x[0-9a-f]+)", line)) and section == "ops":
            cur["ops"].append([int(m.group(1), 16), None])
        elif (m := re.search(r"Capabilities \((0x[0-9a-f]+)\)", line)) and cur["ops"]:
            cur["ops"][-1][1] = int(m.group(1), 16)
    return fams


def _same(fam: GenlFamily, oracle: dict[str, Any]) -> None:
    assert (fam.id, fam.version, fam.hdrsize, fam.maxattr) == (
        oracle["id"], oracle["version"], oracle["hdrsize"], oracle["maxattr"])
    assert [op.id for op in fam.ops] == [op_id for op_id, _ in oracle["ops"]]
    # genl prints "Capabilities" only for some families (not for split-ops ones such as netdev)
    assert [op.flags for op, (_, caps) in zip(fam.ops, oracle["ops"], strict=True) if caps is not None] == [
        caps for _, caps in oracle["ops"] if caps is not None]
    assert dict(fam.mcast_groups) == oracle["groups"]


def test_family_nlctrl_equals_genl_ctrl(netns: str) -> None:
    oracle = _genl_ctrl_list(netns)
    with Genl(netns=netns) as g:
        fam = g.family("nlctrl")
        _same(fam, oracle["nlctrl"])
        assert fam.id == 16 and fam.mcast_groups == {"notify": 16}
        assert {op.name for op in fam.ops} >= {"GETFAMILY"}


def test_families_equal_genl_ctrl_list(netns: str) -> None:
    oracle = _genl_ctrl_list(netns)
    with Genl(netns=netns) as g:
        fams = {f.name: f for f in g.families()}
    assert sorted(fams) == sorted(oracle)
    for name, fam in fams.items():
        _same(fam, oracle[name])


def test_family_is_cached_per_socket(netns: str) -> None:
    with Genl(netns=netns) as g:
        first = g.family("netdev")
        seq = g.socket.session._last_seq
        assert g.family("netdev") is first
        assert g.socket.session._last_seq == seq  # nothing sent
        assert g.socket.genl is not None and g.socket.genl.name(first.id) == "netdev"
        assert g.family("netdev", refresh=True) == first


def test_unknown_family_is_not_found(netns: str) -> None:
    with Genl(netns=netns) as g, pytest.raises(NotFound) as info:
        g.family("nosuchfamily")
    assert info.value.errno == errno.ENOENT
    # the error names the family asked for (the request it failed in stays on the error)
    assert str(info.value).startswith("generic netlink family 'nosuchfamily': No such file or directory (ENOENT)")
    assert info.value.request_name == "CTRL_CMD_GETFAMILY"


def test_registered_family_dumps_and_requests_by_name(netns: str, netdev_family: Any) -> None:
    with Genl(netns=netns) as g:
        devs = list(g.dump("netdev", NETDEV_CMD.DEV_GET))
        assert all(m.name == "NETDEV_CMD_DEV_GET" for m in devs)
        indexes = sorted(m.attrs.ifindex for m in devs if m.attrs is not None)
        one = g.request("netdev", NETDEV_CMD.DEV_GET, {"ifindex": 1})
        assert one.attrs is not None and one.attrs[NETDEV_A_DEV.IFINDEX] == 1
        assert "XDP_FEATURES" in str(one.attrs) or NETDEV_A_DEV.XDP_FEATURES in one.attrs
    assert indexes == sorted(link["ifindex"] for link in ip_json(netns, "link", "show"))


def test_missing_required_attribute_is_named(netns: str, netdev_family: Any) -> None:
    with Genl(netns=netns) as g, pytest.raises(NetlinkError) as info:
        g.request("netdev", NETDEV_CMD.DEV_GET, {})
    err = info.value
    assert err.errno == errno.EINVAL
    assert err.ext_ack.miss_type == NETDEV_A_DEV.IFINDEX
    assert str(err) == "NETDEV_CMD_DEV_GET: Invalid argument (EINVAL), missing NETDEV_A_DEV.IFINDEX"


def test_unregistered_family_attributes_are_refused(netns: str) -> None:
    with Genl(netns=netns) as g, pytest.raises(ValueError):
        g.message("tcp_metrics", 1, {"x": 1})


def test_subscribe_to_a_family_group(netns: str) -> None:
    with Genl(netns=netns) as g:
        g.subscribe("nlctrl", "notify")
        assert g.socket.groups == {16}
        with pytest.raises(ValueError):
            g.subscribe("nlctrl", "nope")
        assert g.socket.protocol == NETLINK.GENERIC


def test_policy_violation_names_the_genl_attribute(netns: str) -> None:
    with Genl(netns=netns) as g, pytest.raises(NetlinkError) as info:
        g.family("no-such-genl-family")  # longer than GENL_NAMSIZ - 1
    assert info.value.attr_path == "attrs[CTRL_ATTR.FAMILY_NAME]"
    assert str(info.value) == (
        "CTRL_CMD_GETFAMILY: Attribute failed policy validation (EINVAL) at attrs[CTRL_ATTR.FAMILY_NAME]"
    )


def test_calls_wait_as_long_as_the_socket_timeout_says(netns: str, monkeypatch: Any) -> None:
    """Genl(timeout=0.3): request, dump and events each wait at most 0.3 s for the kernel
    (they passed 10 s down before); an explicit timeout still wins. Counted, not timed: the
    deadline each wait is given, as seconds from the moment it is set."""
    with Genl(netns=netns, timeout=0.3) as g:
        g.family("nlctrl")
        granted: list[float | None] = []
        set_deadline = g.socket._deadline

        def deadline(timeout: float | None) -> float | None:
            at = set_deadline(timeout)
            granted.append(None if at is None else at - time.monotonic())
            return at

        monkeypatch.setattr(g.socket, "_deadline", deadline)
        asked = {CTRL_ATTR.FAMILY_NAME: "nlctrl"}
        assert g.request("nlctrl", CTRL_CMD.GETFAMILY, asked).attrs[CTRL_ATTR.FAMILY_NAME] == "nlctrl"
        assert len(list(g.dump("nlctrl", CTRL_CMD.GETFAMILY))) > 1
        assert list(g.events()) == []  # nothing subscribed: the wait ends at the socket's deadline
        defaults = list(granted)
        g.request("nlctrl", CTRL_CMD.GETFAMILY, asked, timeout=None)
    assert len(defaults) >= 3 and all(t is not None and 0 < t <= 0.3 for t in defaults), defaults
    assert granted[len(defaults):] == [None]
