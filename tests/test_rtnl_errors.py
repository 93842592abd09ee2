"""What the rtnl jobs say when a request cannot be made or the kernel refuses it.

Ranges come from the uapi structs (``unsigned char rtm_scope``, ``int ifi_index``) and
``RTA_TABLE``'s u32; the kernel's answers are live, in a namespace each test creates;
``ip`` (iproute2) says the same things in its own words, and its ``-j`` output names
the enum values the results' ``repr()`` names.
"""

from __future__ import annotations

import io

import pytest

from nlwire import consts
from nlwire.consts import RT_TABLE, RTM
from nlwire.errors import EncodeError
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from nlwire.wire.rtnetlink import RTMSG
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
