"""What the rtnl jobs say when a request cannot be made or the kernel refuses it.

Ranges come from the uapi structs (``unsigned char rtm_scope``, ``int ifi_index``) and
``RTA_TABLE``'s u32; the kernel's answers are live, in a namespace each test creates;
``ip`` (iproute2) says the same things in its own words, and its ``-j`` output names
the enum values the results' ``repr()`` names.
"""

from __future__ import annotations

import errno
import inspect
import io
import ipaddress
import json
import os
import pickle
import subprocess
import sys
from typing import Any

import pytest

import nlwire
from nlwire import consts
from nlwire.codec import decode_message
from nlwire.consts import IFA, RT_TABLE, RTM
from nlwire.errors import EncodeError, Exists, NetlinkError, NetlinkPermissionError, NotFound
from nlwire.messages import Message
from nlwire.rtnl import Address, Link, Nexthop, Route, Rtnl
from nlwire.wire.rtnetlink import IFADDRMSG, RTMSG
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root

pytestmark = [needs_root, needs_ip]


# ------------------------------------------------------------------ 13: out-of-range header fields


@pytest.mark.parametrize("table", [-1, 2**32])
def test_route_table_out_of_range_names_rta_table(netns: str, table: int) -> None:
    tap = io.BytesIO()
    with Rtnl(netns=netns, capture=tap) as rt:
        before = len(tap.getvalue())
        with pytest.raises(EncodeError) as err:
            rt.add_route("10.9.0.0/16", dev=1, table=table)  # lo by index: no lookup is sent either
        assert len(tap.getvalue()) == before  # refused before sending
    # a table is RTA_TABLE's u32 (rtm_table holds only tables below 256): that range, not 0..255
    assert str(err.value) == f"RTM_NEWROUTE: attrs[RTA.TABLE]: u32: {table} out of range 0..4294967295"
    assert err.value.field == "attrs[RTA.TABLE]"
    assert isinstance(err.value, ValueError)


def test_route_scope_out_of_range_names_rtmsg_scope(netns: str) -> None:
    with Rtnl(netns=netns) as rt, pytest.raises(EncodeError) as err:
        rt.add_route("10.9.0.0/16", dev="lo", scope=999)
    # unsigned char rtm_scope; a value out of range is not a sign of the wrong protocol
    assert str(err.value) == "RTM_NEWROUTE: rtmsg.scope: 999 out of range 0..255"
    assert err.value.field == "rtmsg.scope"


def test_link_index_out_of_range_names_ifinfomsg_index(netns: str) -> None:
    with Rtnl(netns=netns) as rt, pytest.raises(EncodeError) as err:
        rt.link(2**40)
    # int ifi_index
    assert str(err.value) == "RTM_GETLINK: ifinfomsg.index: 1099511627776 out of range -2147483648..2147483647"


def test_route_in_table_1000(netns: str) -> None:
    # a table above 255 travels in RTA_TABLE, rtm_table RT_TABLE_UNSPEC (as `ip route add` sends it);
    # the kernel reports it back with rtm_table RT_TABLE_COMPAT and RTA_TABLE 1000
    ip(netns, "link", "set", "lo", "up")
    tap = io.BytesIO()
    with Rtnl(netns=netns, capture=tap) as rt:
        rt.add_route("10.9.0.0/16", dev="lo", table=1000)
        (route,) = rt.routes(table=1000)
        dump = rt.socket.dump_all(Message(RTM.GETROUTE, header=RTMSG.new(family=consts.AF.INET)))
    assert route.table == 1000 and str(route.dst) == "10.9.0.0/16"
    assert [(r["dst"], r["dev"]) for r in ip_json(netns, "route", "show", "table", "1000")] == [("10.9.0.0/16", "lo")]
    (entry,) = [m for m in dump if m.attrs is not None and m.attrs.get(consts.RTA.TABLE) == 1000]
    assert entry.header.table == RT_TABLE.COMPAT


# ------------------------------------------------------------------ 14: missing objects


def test_missing_device_is_named(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        with pytest.raises(NotFound) as by_name:
            rt.add_address("nosuch0", "10.0.0.1/24")
        with pytest.raises(NotFound) as by_index:
            rt.link(99)
        with pytest.raises(NotFound) as route_dev:
            rt.add_route("10.9.0.0/16", dev="nosuch0")
    assert str(by_name.value) == "nosuch0: No such device (ENODEV)"
    assert by_name.value.errno == errno.ENODEV and by_name.value.subject == "nosuch0"
    assert str(by_index.value) == "ifindex 99: No such device (ENODEV)"
    assert str(route_dev.value) == "nosuch0: No such device (ENODEV)"
    # iproute2 names the device too
    said = subprocess.run(["ip", "-n", netns, "addr", "add", "10.0.0.1/24", "dev", "nosuch0"],
                          capture_output=True, text=True)
    assert said.returncode != 0 and '"nosuch0"' in said.stderr


@pytest.mark.parametrize("job", sorted(n for n in dir(Rtnl) if n.startswith("delete_")))
def test_missing_ok_is_one_keyword_only_rule(job: str) -> None:
    param = inspect.signature(getattr(Rtnl, job)).parameters["missing_ok"]
    assert (param.kind, param.default) == (inspect.Parameter.KEYWORD_ONLY, False)


def test_delete_of_a_missing_object_raises_unless_asked(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        with pytest.raises(NotFound):
            rt.delete_link("nosuch0")
        with pytest.raises(NotFound):
            rt.delete_address("lo", "10.0.0.1/24")
        with pytest.raises(NotFound):
            rt.delete_route("10.77.0.0/16")
        assert rt.delete_link("nosuch0", missing_ok=True) is False
        assert rt.delete_address("lo", "10.0.0.1/24", missing_ok=True) is False
        assert rt.delete_route("10.77.0.0/16", missing_ok=True) is False


# ------------------------------------------------------------------ 15: the error's request, EPERM, reprs


def test_error_request_is_the_decoded_message(netns: str) -> None:
    with Rtnl(netns=netns) as rt:
        rt.add_address("lo", "10.3.0.1/24")
        with pytest.raises(Exists) as err:
            rt.add_address("lo", "10.3.0.1/24")
    req = err.value.request
    assert isinstance(req, Message) and req.type == RTM.NEWADDR
    assert req.header.index == 1 and req.header.prefixlen == 24
    assert req.attrs is not None and req.attrs[IFA.LOCAL] == ipaddress.IPv4Address("10.3.0.1")
    raw = err.value.request_bytes
    assert isinstance(raw, bytes) and decode_message(raw) == req
    again = pickle.loads(pickle.dumps(err.value))
    assert (type(again), again.errno, again.request_bytes) == (Exists, errno.EEXIST, raw)


_NO_NET_ADMIN = ["setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin"]

_CHILD = """
import json, sys
from nlwire import NetlinkError, NetlinkPermissionError, Rtnl
with Rtnl(netns=sys.argv[1]) as rt:
    try:
        rt.add_bridge("br9")
    except NetlinkError as exc:
        print(json.dumps([type(exc).__name__, isinstance(exc, PermissionError),
                          isinstance(exc, NetlinkPermissionError), exc.errno, str(exc)]))
"""


def test_eperm_is_a_permission_error(netns: str) -> None:
    # the kernel's own EPERM: a child without CAP_NET_ADMIN asks for a bridge
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([*_NO_NET_ADMIN, sys.executable, "-c", _CHILD, netns], capture_output=True, text=True,
                         env=env, check=True)
    assert json.loads(out.stdout) == [
        "NetlinkPermissionError", True, True, errno.EPERM, "RTM_NEWLINK: Operation not permitted (EPERM)"]
    said = subprocess.run([*_NO_NET_ADMIN, "ip", "-n", netns, "link", "add", "br9", "type", "bridge"],
                          capture_output=True, text=True)
    assert "Operation not permitted" in said.stderr
    assert "NetlinkPermissionError" in nlwire.__all__
    assert issubclass(NetlinkPermissionError, NetlinkError) and issubclass(NetlinkPermissionError, PermissionError)


_EVAL_NAMES: dict[str, Any] = {
    **{name: getattr(consts, name) for name in consts.__all__},
    **{cls.__name__: cls for cls in (Link, Address, Route, Nexthop)},
    **{name: getattr(ipaddress, name) for name in ("IPv4Address", "IPv6Address", "IPv4Network", "IPv6Network")},
}


def _ip_name(value: str) -> str:
    return value.upper().replace("-", "_")


def test_result_reprs_name_enum_values_as_ip_does(netns: str) -> None:
    ip(netns, "link", "set", "lo", "up")
    ip(netns, "route", "add", "10.9.0.0/16", "dev", "lo")
    with Rtnl(netns=netns) as rt:
        (lo,) = rt.links()
        addr = next(a for a in rt.addresses() if a.family == consts.AF.INET)
        (route,) = [r for r in rt.routes() if str(r.dst) == "10.9.0.0/16"]
    (ip_lo,) = ip_json(netns, "link", "show")
    (ip_addr,) = [a for a in ip_json(netns, "addr", "show", "lo")[0]["addr_info"] if a["family"] == "inet"]
    (ip_route,) = [r for r in ip_json(netns, "-d", "route", "show") if r["dst"] == "10.9.0.0/16"]
    assert f"type=ARPHRD.{_ip_name(ip_lo['link_type'])}" in repr(lo)
    assert all(f"IFF.{flag}" in repr(lo) for flag in ip_lo["flags"])  # LOOPBACK, UP, LOWER_UP
    assert f"family=AF.{_ip_name(ip_addr['family'])}" in repr(addr)  # inet
    assert f"scope=RT_SCOPE.{_ip_name(ip_addr['scope'])}" in repr(addr)  # host
    assert "family=AF.INET, " in repr(route) and "table=RT_TABLE.MAIN, " in repr(route)
    assert f"scope=RT_SCOPE.{_ip_name(ip_route['scope'])}, " in repr(route)  # link
    assert f"protocol=RTPROT.{_ip_name(ip_route['protocol'])}, " in repr(route)  # boot
    assert f"type=RTN.{_ip_name(ip_route['type'])}, " in repr(route)  # unicast
    for result in (lo, addr, route):
        assert eval(repr(result), _EVAL_NAMES) == result


def test_repr_of_values_no_enum_names() -> None:
    route = Route(family=2, dst=ipaddress.ip_network("10.0.0.0/8"), table=1000, protocol=200, scope=0, type=1,
                  flags=0x80000000, multipath=(Nexthop(oif=3, flags=0x10),))
    text = repr(route)
    # table 1000 and protocol 200 have no RT_TABLE / RTPROT name; an unnamed flag bit stays hex
    assert "table=1000, protocol=200, scope=RT_SCOPE.UNIVERSE, type=RTN.UNICAST" in text
    assert "flags=0x80000000" in text and "Nexthop(oif=3, gateway=None, weight=1, flags=RTNH_F.LINKDOWN)" in text
    assert eval(text, _EVAL_NAMES) == route


def test_message_repr_names_header_fields(netns: str) -> None:
    ip(netns, "link", "set", "lo", "up")  # 127.0.0.1/8, host scope, permanent
    with Rtnl(netns=netns) as rt:
        dump = rt.socket.dump_all(Message(RTM.GETADDR, header=IFADDRMSG.new(family=consts.AF.INET)))
    (msg,) = [m for m in dump if m.type == RTM.NEWADDR]
    want = "header=IfAddrMsg(family=AF.INET, prefixlen=8, flags=IFA_F.PERMANENT, scope=RT_SCOPE.HOST, index=1)"
    assert want in repr(msg)


def test_netlink_error_is_still_an_oserror() -> None:
    err = NotFound(errno.ENODEV, request_name="RTM_GETLINK").about("nosuch0")
    assert isinstance(err, OSError) and err.errno == errno.ENODEV and err.request_name == "RTM_GETLINK"
    assert str(err) == "nosuch0: No such device (ENODEV)"
