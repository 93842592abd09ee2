"""nlwire.wire.specs: the kernel's YAML netlink specs installed on this machine load into
nlwire's own objects (attribute sets, structs, enums, kinds), which then encode, decode and
draw like the hand declarations. Facts checked against the uapi headers; the specs
themselves are read from where the system installed them (none is copied into the repo)."""

from __future__ import annotations

import contextlib
import enum
import gzip
import json
import pickle
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import nlwire.strategies as nls
from nlwire.codec import decode, decode_message, encode
from nlwire.consts import NETLINK
from nlwire.errors import CheckError, DecodeError, EncodeError, SpecNotFound
from nlwire.messages import Message
from nlwire.wire.attrs import Attrs, AttrSet
from nlwire.wire.genetlink import CTRL_ATTRS
from nlwire.wire.registry import GenlIds, MessageSchema
from nlwire.wire.specs import SPEC_PACKAGE_HINT, find_spec, load_spec, spec_dirs
from tests.spec_marks import INSTALLED, genl_ids, installed_specs, needs_spec

needs_specs = needs_spec()
GENERIC = ("genetlink", "genetlink-c", "genetlink-legacy")


_all = installed_specs


@needs_specs
def test_every_installed_spec_loads() -> None:
    """Every spec found loads; each generic one becomes a family declaration with one
    operation per spec operation, and every nest names a set the spec has."""
    specs = _all()
    generic = [s for s in specs if s.protocol in GENERIC]
    assert generic, "no generic netlink spec installed"
    for spec in specs:
        assert spec.attr_sets, spec.name
        for attr_set in spec.attr_sets.values():
            for kind in attr_set.kinds.values():
                for _inner, nested in kind.inner():
                    assert nested is None or isinstance(nested, AttrSet)
    for spec in generic:
        assert spec.genl is not None and spec.genl.name == spec.name
        assert len(spec.genl.ops) == len(spec.ops)


@needs_specs
def test_uapi_facts() -> None:
    """Numbers as the uapi headers have them (include/uapi/linux/ethtool_netlink.h:
    ETHTOOL_A_HEADER_DEV_NAME = 2, ETHTOOL_MSG_LINKINFO_GET = 2 and its reply
    ETHTOOL_MSG_LINKINFO_GET_REPLY = 2, ETHTOOL_MSG_LINKMODES_GET = 4 whose reply is 4,
    ETHTOOL_MSG_LINKINFO_NTF = 3 (kernel to user); netdev.h: NETDEV_CMD_DEV_GET = 1,
    NETDEV_A_DEV_XDP_FEATURES = 3, NETDEV_XDP_ACT_REDIRECT = 2, NETDEV_XDP_ACT_NDO_XMIT = 4)."""
    if "ethtool" not in INSTALLED or "netdev" not in INSTALLED:
        pytest.skip("the ethtool and netdev specs are not installed")
    ethtool = load_spec("ethtool", register=False)
    header = ethtool.attr_sets["header"]
    assert header.type_of("dev-name") == 2 and header.name_of(2, "kernel") == "ETHTOOL_A_HEADER_DEV_NAME"
    assert header.spec_name(2) == "dev-name"
    fam = ethtool.genl
    assert fam is not None
    linkinfo = fam.op_named("linkinfo-get")
    assert (linkinfo.cmd, linkinfo.reply_cmd) == (2, 2)
    assert linkinfo.const == "ETHTOOL_MSG_LINKINFO_GET" and linkinfo.reply_const == "ETHTOOL_MSG_LINKINFO_GET_REPLY"
    assert (fam.op_named("linkmodes-get").cmd, fam.op_named("linkmodes-get").reply_cmd) == (4, 4)
    assert fam.op(3, reply=True) is fam.op_named("linkinfo-ntf")
    assert fam.op(3) is fam.op_named("linkinfo-set")
    netdev = load_spec("netdev", register=False)
    assert netdev.genl is not None and netdev.genl.op_named("dev-get").cmd == 1
    dev = netdev.attr_sets["dev"]
    assert dev.type_of("xdp-features") == 3
    xdp_act = netdev.enums["xdp-act"]
    assert issubclass(xdp_act, enum.IntFlag) and (int(xdp_act["REDIRECT"]), int(xdp_act["NDO_XMIT"])) == (2, 4)


@needs_specs
def test_nlctrl_spec_agrees_with_the_declared_set() -> None:
    """The nlctrl spec's ctrl-attrs and nlwire's hand-declared CTRL_ATTRS give every
    attribute the same number and the same kernel name."""
    if "nlctrl" not in INSTALLED:
        pytest.skip("the nlctrl spec is not installed")
    loaded = load_spec("nlctrl", register=False).attr_sets["ctrl-attrs"]
    for atype in CTRL_ATTRS.kinds:
        assert loaded.name_of(atype, "kernel") == CTRL_ATTRS.name_of(atype, "kernel")


def _sets() -> list[tuple[str, str, AttrSet]]:
    return [(s.name, name, a) for s in _all() for name, a in s.attr_sets.items()]


@needs_specs
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_spec_sets_round_trip(data: st.DataObject) -> None:
    """Law: attributes drawn from any set of any installed spec decode back equal
    (``decode(encode(m)) == m``), eagerly (the compiled walk) and lazily."""
    family, name, attr_set = data.draw(st.sampled_from(_SETS), label="set")
    m = data.draw(nls.attrs(attr_set), label=f"{family}.{name}")
    raw = m.encode()
    assert Attrs.from_bytes(attr_set, raw, eager=True) == m
    assert Attrs.from_bytes(attr_set, raw).materialize() == m


@needs_specs
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_spec_sets_take_any_bytes(data: st.DataObject) -> None:
    """Law: any bytes either decode as attributes of a spec-loaded set or raise DecodeError."""
    _family, _name, attr_set = data.draw(st.sampled_from(_SETS), label="set")
    raw = data.draw(st.binary(max_size=64) | nls.attrs(attr_set).map(lambda a: a.encode()[:-1]))
    with contextlib.suppress(DecodeError):
        Attrs.from_bytes(attr_set, raw, eager=True)


_SETS = _sets() if INSTALLED else []


@needs_specs
def test_checks_are_enforced_when_encoding() -> None:
    """A spec's checks refuse a value at encode time, naming the attribute: netdev's
    dev.ifindex has ``min: 1``, mptcp_pm's address.addr6 ``exact-len: 16``."""
    if "netdev" not in INSTALLED or "mptcp_pm" not in INSTALLED:
        pytest.skip("the netdev and mptcp_pm specs are not installed")
    netdev = load_spec("netdev", register=False)
    with pytest.raises(EncodeError) as err:
        netdev.attrs("dev", {"ifindex": 0}).encode()
    assert err.value.field == "attrs[NETDEV_A_DEV.IFINDEX]" and "out of range 1.." in str(err.value)
    assert netdev.attrs("dev", {"ifindex": 1}).encode() == bytes.fromhex("0800 0100 01000000")
    mptcp = load_spec("mptcp_pm", register=False)
    with pytest.raises(EncodeError) as err:
        mptcp.attrs("attr", {"addr": {"addr6": b"\0" * 15}}).encode()
    assert err.value.field == "attrs[MPTCP_PM_ATTR.ADDR][MPTCP_PM_ADDR_ATTR.ADDR6]"
    assert "15 bytes, must be 16..16" in str(err.value)
    assert isinstance(err.value, CheckError)
    # a value the type itself cannot hold is no check's doing
    with pytest.raises(EncodeError) as wide:
        netdev.attrs("dev", {"ifindex": 1 << 32}).encode()
    assert not isinstance(wide.value, CheckError)


@needs_specs
def test_a_received_value_the_checks_refuse_decodes_and_says_so_on_re_encode() -> None:
    """Found by fuzz_codec once it aimed at the installed specs: checks bind what is sent,
    not what is read. A fou message with FOU_ATTR_IPPROTO 0 (the spec: ``min: 1``) decodes;
    encoding it again raises CheckError (an EncodeError) naming the attribute, where a
    plain EncodeError would say nlwire cannot write what it read."""
    if "fou" not in INSTALLED:
        pytest.skip("the fou spec is not installed")
    ids = GenlIds()
    ids.learn(0x103, "fou", load_spec("fou", register=False).genl)
    # nlmsghdr (len 28, fou, REQUEST), genlmsghdr (cmd 1 FOU_CMD_ADD, version 1), then
    # FOU_ATTR_IPPROTO (type 3, uapi fou.h) as u8 0, padded
    raw = bytes.fromhex("1c000000 0301 0100 00000000 00000000 01010000 05000300 00000000")
    (msg,) = decode(raw, NETLINK.GENERIC, genl=ids, strict=True)
    assert msg.attrs is not None and msg.attrs.to_dict() == {"ipproto": 0}
    with pytest.raises(CheckError) as err:
        encode(msg)
    assert err.value.field == "msg[0].attrs[FOU_ATTR.IPPROTO]" and "0 out of range 1..255" in str(err.value)


@needs_specs
def test_spec_names_in_and_out() -> None:
    """Values keyed by spec names go in (nests as dicts, a multi-attr as a list) and come out
    the same way from the decoded bytes."""
    if "ethtool" not in INSTALLED:
        pytest.skip("the ethtool spec is not installed")
    ethtool = load_spec("ethtool", register=False)
    value = {"header": {"dev-name": "veth0", "flags": 1}}
    built = ethtool.attrs("linkinfo", value)
    decoded = Attrs.from_bytes(built.attr_set, built.encode(), eager=True)
    assert decoded.to_dict() == value
    strset = ethtool.attr_sets["strings"]
    multi = next(strset.spec_name(t) for t in sorted(strset.multi))
    strings = ethtool.attrs("strings", {multi: [{"index": 1, "value": "a"}, {"index": 2, "value": "b"}]})
    assert len(strings) == 2
    assert Attrs.from_bytes(strset, strings.encode()).to_dict() == strings.to_dict()


def test_missing_spec_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec found nowhere is one SpecNotFound naming each directory searched and the
    package that provides the specs."""
    monkeypatch.setenv("NLWIRE_SPEC_PATH", str(tmp_path))
    with pytest.raises(SpecNotFound) as err:
        load_spec("no-such-family")
    text = str(err.value)
    assert err.value.searched == spec_dirs() and err.value.searched[0] == str(tmp_path)
    for d in err.value.searched:
        assert d in text
    assert "'no-such-family'" in text and "linux-doc" in text and SPEC_PACKAGE_HINT in text
    assert isinstance(err.value, FileNotFoundError)
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == text and again.searched == err.value.searched


@needs_specs
def test_spec_path_and_plain_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NLWIRE_SPEC_PATH comes first and a plain .yaml loads like a .yaml.gz; an explicit
    path wins over both."""
    name = INSTALLED[0]
    packed = find_spec(name)
    plain = tmp_path / f"{name}.yaml"
    opener = gzip.open if packed.name.endswith(".gz") else open
    with opener(packed, "rb") as src, plain.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    monkeypatch.setenv("NLWIRE_SPEC_PATH", str(tmp_path))
    assert find_spec(name) == plain
    assert find_spec(name, packed) == packed
    assert load_spec(name, register=False).path == plain.resolve()
    from_packed = load_spec(name, packed, register=False)
    assert sorted(load_spec(name, register=False).attr_sets) == sorted(from_packed.attr_sets)


@needs_specs
def test_dissect_names_spec_loaded_families() -> None:
    """``nlwire dissect``: a generic family learned from the capture (ethtool, id 20 in
    ethtool-genl.pcap) is read with its installed spec by default: commands by name in
    both directions (uapi ethtool_netlink.h: request 4 is ETHTOOL_MSG_LINKMODES_GET,
    reply 4 ETHTOOL_MSG_LINKMODES_GET_REPLY), attributes by name, nests walked, in text,
    JSON and summary (which names the request as a request), genlmsghdr's cmd too;
    ``--specs`` is the default
    spelled out, ``--no-specs`` the numbers (``ethtool cmd 4``)."""
    if "ethtool" not in INSTALLED:
        pytest.skip("the ethtool spec is not installed")
    from tests.test_dissect_window import needs_uapi_ethtool, uapi_member

    if needs_uapi_ethtool.args[0]:
        pytest.skip(needs_uapi_ethtool.kwargs["reason"])
    request = uapi_member("ethtool_netlink.h", "ETHTOOL_MSG_USER_NONE", 4)
    reply = uapi_member("ethtool_netlink.h", "ETHTOOL_MSG_KERNEL_NONE", 4)
    capture = str(Path(__file__).resolve().parent.parent / "captures" / "ethtool-genl.pcap")

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "nlwire", "dissect", *args, capture], check=True,
                              capture_output=True, text=True).stdout

    text = run("--frames", "18-19")
    assert f"{request}: request, replies in frames 19..20" in text
    assert f"{reply}: reply, request in frame 18" in text
    assert re.search(r"ETHTOOL_A_LINKMODES_HEADER: 2 attributes\n +ETHTOOL_A_HEADER_DEV_INDEX: \d+\n"
                     r" +ETHTOOL_A_HEADER_DEV_NAME: \w+", text)
    assert "ETHTOOL_A_LINKMODES_SPEED: " in text and "(no schema)" not in text
    assert run("--specs", "--frames", "18-19") == text
    frames = [json.loads(line) for line in run("--json", "--frames", "18-19").splitlines()]
    assert [m["name"] for f in frames for m in f["messages"]][:2] == [request, reply]
    # genlmsghdr's cmd is named in each direction's enum (the reply's is not the request's)
    cmds = [c["show"] for f in frames for m in f["messages"] for h in m["children"] if h["name"] == "genlmsghdr"
            for c in h["children"] if c["name"] == "cmd"]
    assert cmds[:2] == [f"{request.removeprefix('ETHTOOL_MSG_')} (4)", f"{reply.removeprefix('ETHTOOL_MSG_')} (4)"]
    summary = run("--summary", "--frames", "18-19").splitlines()
    assert [line.split()[4] for line in summary] == [request, reply]
    assert "ethtool cmd 4" in run("--no-specs", "--frames", "18-19")
    assert "ethtool cmd 4" in run("--no-specs", "--summary", "--frames", "18-19")


@needs_specs
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_spec_family_messages_round_trip(data: st.DataObject) -> None:
    """Law: whole messages of every installed generic family (requests and replies, each
    command's own attribute set and fixed header) decode back equal."""
    family = data.draw(st.sampled_from(sorted(_IDS.by_id)), label="family id")
    msg = data.draw(nls.messages(NETLINK.GENERIC, [family], genl=_IDS, control=False))
    assert decode(encode(msg), NETLINK.GENERIC, genl=_IDS) == [msg]


_IDS = genl_ids()


def _raw_ops() -> list[tuple[str, str, int, Any, Any]]:
    """(family, operation, message type, fixed header, attribute set) of each message of every
    installed netlink-raw spec (rt_link, rt_addr, rt_route, tc, nftables) that has both."""
    out = []
    for spec in _all():
        if spec.protocol != "netlink-raw":
            continue
        for op in spec.ops.values():
            for mtype in {op.value, op.reply_value} - {None}:
                if op.header is not None and op.attr_set is not None:
                    out.append((spec.name, op.name, mtype, op.header, op.attr_set))
    return out


_RAW_OPS = _raw_ops() if INSTALLED else []


@needs_specs
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_netlink_raw_operations_round_trip(data: st.DataObject) -> None:
    """Law: a message of any operation of an installed netlink-raw spec (its fixed header,
    then its attribute set; values drawn from their kinds) decodes back equal when read by
    that operation's layout, and its bytes cut short (nlmsg_len saying so) decode or raise
    DecodeError."""
    if not _RAW_OPS:
        pytest.skip("no netlink-raw spec installed")
    family, op, mtype, fixed, attr_set = data.draw(st.sampled_from(_RAW_OPS), label="operation")
    hdr = data.draw(nls.header(fixed), label=f"{family} {op} header")
    body = data.draw(nls.attrs(attr_set, header=hdr), label=f"{family} {op} attributes")
    schema = MessageSchema(f"{family} {op}", fixed, attr_set)
    msg = Message(mtype, data.draw(st.sampled_from([0, 1, 2, 0x300]), label="flags"), header=hdr, attrs=body,
                  schema=schema)
    raw = encode(msg)
    again = decode_message(raw, 0, schema=schema, strict=True)
    assert (again.type, again.flags, again.header, again.attrs) == (mtype, msg.flags, hdr, body)
    cut = data.draw(st.integers(16, len(raw)), label="cut at")  # nlmsg_len says the cut
    with contextlib.suppress(DecodeError):
        decode_message(struct.pack("=I", cut) + raw[4:cut], 0, schema=schema, strict=True)


@needs_specs
def test_strategies_draw_replies_with_the_reply_attribute_set() -> None:
    """ethtool numbers its replies apart from its requests (uapi: request 36 is
    ETHTOOL_MSG_PSE_GET, reply 36 ETHTOOL_MSG_MODULE_NTF): a drawn message without
    NLM_F_REQUEST carries the reply's attributes, so it decodes back equal."""
    if "ethtool" not in INSTALLED:
        pytest.skip("the ethtool spec is not installed")
    fid = next(i for i, spec in _IDS.by_id.items() if spec.name == "ethtool")

    def reply_36(m: Any) -> bool:
        return m.header.cmd == 36 and not m.flags & 1 and m.attrs is not None and len(m.attrs) > 0

    msg = find(nls.messages(NETLINK.GENERIC, [fid], genl=_IDS, control=False, unknown=False), reply_36,
               settings=settings(max_examples=5000, database=None, derandomize=True))
    assert msg.name == "ETHTOOL_MSG_MODULE_NTF"
    assert decode(encode(msg), NETLINK.GENERIC, genl=_IDS) == [msg]
