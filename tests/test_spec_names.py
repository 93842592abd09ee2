"""How a spec-driven request names attributes (no kernel needed): :func:`nlwire.codec.spec_path`
and :func:`nlwire.codec.missing_attr_name` with ``style="spec"``, on the installed rt_link
and ethtool specs."""

from __future__ import annotations

import struct

import pytest

from nlwire.codec import missing_attr_name, spec_path
from nlwire.errors import EncodeError
from nlwire.wire.attrs import Attrs
from nlwire.wire.registry import MessageSchema
from nlwire.wire.specs import load_spec
from tests.spec_marks import needs_spec as needs


@needs("ethtool")
def test_a_path_is_named_by_the_spec() -> None:
    """ethtool's header nest: ``header.dev-name``; a fixed header's field by its member."""
    linkinfo = load_spec("ethtool").attr_sets["linkinfo"]
    assert spec_path("attrs[ETHTOOL_A_LINKINFO.HEADER][ETHTOOL_A_HEADER.DEV_NAME]", linkinfo) == "header.dev-name"
    assert spec_path("ifaddrmsg.ifa_prefixlen", linkinfo) == "ifa-prefixlen"
    assert spec_path("nlmsghdr", linkinfo) == "nlmsghdr"
    assert spec_path("attrs[NO_SUCH.SET]", linkinfo) == "attrs[NO_SUCH.SET]"  # left as it is


@needs("rt_link")
def test_an_encode_error_inside_a_sub_message_is_named_by_the_spec() -> None:
    """A vlan id out of u16 range sits in linkinfo's data, chosen by its kind: the path
    runs through the sub-message to ``linkinfo.data.id``."""
    links = load_spec("rt_link").attr_sets["link-attrs"]
    with pytest.raises(EncodeError) as err:
        Attrs(links, {"linkinfo": {"kind": "vlan", "data": {"id": 70000}}}).encode()
    assert err.value.field is not None
    assert spec_path(err.value.field, links) == "linkinfo.data.id"


@needs("rt_link")
def test_a_missing_attribute_is_named_by_the_spec() -> None:
    """RTM_NEWLINK (16) with IFLA_IFNAME (3) "v0" and an empty IFLA_LINKINFO (18) nest at
    byte 40 (uapi if_link.h; NLA_F_NESTED = 0x8000): MISS_TYPE 1 in that nest is
    IFLA_INFO_KIND, ``kind`` of linkinfo-attrs; MISS_TYPE 3 at the top, ``ifname``."""
    spec = load_spec("rt_link")
    newlink = spec.ops["newlink"]
    schema = MessageSchema("RTM_NEWLINK", newlink.header, newlink.attr_set, "new")
    ifinfomsg = bytes(16)
    body = ifinfomsg + struct.pack("=HH", 7, 3) + b"v0\0\0" + struct.pack("=HH", 4, 0x8000 | 18)
    request = struct.pack("=IHHII", 16 + len(body), 16, 0, 0, 0) + body
    assert missing_attr_name(request, 1, 40, 0) == "IFLA_INFO.KIND in attrs[IFLA.LINKINFO]"
    assert missing_attr_name(request, 1, 40, 0, schema=schema, style="spec") == \
        "kind (in set linkinfo-attrs) in linkinfo"
    assert missing_attr_name(request, 3, None, 0, schema=schema, style="spec") == "ifname (in set link-attrs)"
