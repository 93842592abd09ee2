"""A generic family's dump decodes through the same compiled paths as rtnetlink's: its
messages share one schema (looked up once per family, command and direction), so the
message walks learned for the first layouts serve the rest, as for a link dump."""

from __future__ import annotations

import io
from typing import Any

import pytest
from nlcaptures import pcap_records

import nlwire.codec as codec
from nlwire.consts import NETLINK, NLMSG
from nlwire.genl import SpecGenl
from nlwire.wire import compiler, walks
from nlwire.wire.registry import GenlIds, lookup
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.spec_marks import needs_spec


@needs_root
@needs_ip
@needs_spec("ethtool")
def test_a_generic_dump_shares_one_schema_and_its_compiled_walks(netns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(6):
        ip(netns, "link", "add", f"a{i}", "type", "veth", "peer", "name", f"b{i}")
    pcap = io.BytesIO()
    with SpecGenl("ethtool", netns, capture=pcap) as eth:
        listed = list(eth.dump("linkinfo-get", {"header": {}}))
        ids = eth.socket.genl
    assert len(listed) == 12  # the twelve veths (lo has no link info)
    fid = ids.id_of("ethtool")
    replies = [d for _, d in pcap_records(pcap.getvalue())
               if int.from_bytes(d[4:6], "little") == fid and not int.from_bytes(d[6:8], "little") & 1]
    assert replies, "the capture holds no reply datagram"

    slow: list[Any] = []
    plain_decode_message = codec.decode_message

    def counted(*args: Any, **kwargs: Any) -> Any:
        slow.append(args[1])
        return plain_decode_message(*args, **kwargs)

    monkeypatch.setattr(codec, "decode_message", counted)
    walks.forget_layouts()
    for _ in range(2):  # the layouts are learned, then compiled
        msgs = [m for d in replies for m in codec.decode(d, NETLINK.GENERIC, genl=ids, strict=True)]
    made = compiler.units_made
    msgs = [m for d in replies for m in codec.decode(d, NETLINK.GENERIC, genl=ids, strict=True)]
    assert compiler.units_made == made  # the third pass reuses what the first two made
    replies_only = [m for m in msgs if m.type == fid]
    assert len(replies_only) == 12 and not [m for m in msgs if m.type not in (fid, NLMSG.DONE)]
    assert len({id(m.schema) for m in replies_only}) == 1
    assert replies_only[0].schema is not None and replies_only[0].schema.name == "ETHTOOL_MSG_LINKINFO_GET_REPLY"
    assert walks.fast(replies_only[0].schema.attrs).compiled, "the dump compiled no message walk"
    # only the control messages (NLMSG_DONE) leave the compiled path
    assert all(int.from_bytes(d[o + 4:o + 6], "little") == NLMSG.DONE for d in replies for o in slow)
    # the values are the kernel's: every veth, named as ip names it
    assert sorted(m.attrs.to_dict()["header"]["dev-name"] for m in replies_only) == sorted(
        link["ifname"] for link in ip_json(netns, "link", "show", "type", "veth"))


def test_the_schema_memo_keeps_only_known_families() -> None:
    """Messages of family ids nobody learned (a capture's stray or hostile types) are not
    kept in GenlIds.schemas, so the memo stays bounded by the families known (a command
    byte and a direction each)."""
    ids = GenlIds()
    for mtype in range(0x100, 0x1100):
        for first in (0, 7, 255):
            assert lookup(NETLINK.GENERIC, mtype, ids, first, True) is None
    assert ids.schemas == {}
    for first in range(256):
        lookup(NETLINK.GENERIC, 0x10, ids, first, False)  # nlctrl, always known
    assert len(ids.schemas) == 256
