"""Nexthop objects (RTM_*NEXTHOP, RTM_*NEXTHOPBUCKET): NHA_GROUP as records of ``struct
nexthop_grp``, NHA_RES_GROUP and NHA_RES_BUCKET as attributes, against the kernel in a
private namespace with ``ip -j nexthop`` as the oracle, both ways; and the
``struct_array`` kind on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from dissect.netlink import Dissector, Style, read_records
from nlwire.consts import AF, NEXTHOP_GRP_TYPE, NHA, NHA_RES_BUCKET, NHA_RES_GROUP, NLM_F, RTM
from nlwire.errors import DecodeError
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from nlwire.wire.attrs import Attrs
from nlwire.wire.rtnetlink import NEXTHOP_ATTRS, NEXTHOP_GRP, NHMSG
from tests.netns_fixtures import ip, ip_json, needs_ip, needs_root
from tests.test_dissect_render import fast_path, node_path

_SETUP = (
    "link add n0 type veth peer name n1", "link set n0 up", "link set n1 up", "addr add 10.0.0.1/24 dev n0",
    "nexthop add id 1 via 10.0.0.2 dev n0", "nexthop add id 2 via 10.0.0.3 dev n0",
    "nexthop add id 3 via 10.0.0.4 dev n0",
    "nexthop add id 10 group 1/2,3/3,200",
    "nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 60",
)


def _groups(hops: list[Message]) -> dict[int, list[dict[str, int]]]:
    """Our NHA_GROUPs in ``ip -j``'s terms: ``[{"id": 2, "weight": 3}]`` (the weight only when not 1)."""
    out = {}
    for m in hops:
        group = m.attrs.get(NHA.GROUP) if m.attrs is not None else None
        if group is not None:
            out[m.attrs.get(NHA.ID)] = [
                {"id": g.id, **({"weight": g.weight + 1} if g.weight else {})} for g in group
            ]
    return out


@needs_root
@needs_ip
def test_groups_decode_as_iproute2_prints_them(netns: str, tmp_path: Path) -> None:
    for line in _SETUP:
        ip(netns, *line.split())
    pcap = tmp_path / "tap.pcap"
    with Rtnl(netns=netns, capture=str(pcap)) as rt:
        hops = list(rt.socket.dump(Message(RTM.GETNEXTHOP, header=NHMSG.new(family=AF.UNSPEC))))
        buckets = list(rt.socket.dump(Message(RTM.GETNEXTHOPBUCKET, header=NHMSG.new(family=AF.UNSPEC))))
    assert [(m.attrs.get(NHA.ID), m.attrs.get(NHA.RES_BUCKET).get(NHA_RES_BUCKET.INDEX),
             m.attrs.get(NHA.RES_BUCKET).get(NHA_RES_BUCKET.NH_ID)) for m in buckets] == [
        (b["id"], b["bucket"]["index"], b["bucket"]["nhid"]) for b in ip_json(netns, "nexthop", "bucket", "show")]
    assert len(buckets) == 8
    oracle = {h["id"]: h["group"] for h in ip_json(netns, "nexthop", "show") if "group" in h}
    assert _groups(hops) == oracle == {10: [{"id": 1}, {"id": 2, "weight": 3}, {"id": 3, "weight": 200}],
                                       11: [{"id": 1}, {"id": 2}]}
    [res] = [m for m in hops if m.attrs.get(NHA.ID) == 11]
    assert res.attrs.get(NHA.GROUP_TYPE) == NEXTHOP_GRP_TYPE.RES
    assert res.attrs.get(NHA.RES_GROUP).get(NHA_RES_GROUP.BUCKETS) == 8
    records = list(read_records(str(pcap)))
    for mode in ("text", "json", "summary"):  # the fast renderers agree with the node tree here too
        assert fast_path(records * 12, mode, Style(False)) == node_path(records * 12, mode, Style(False))
    text = "".join(Dissector().render(list(read_records(str(pcap))), "text"))
    assert "NHA_GROUP: id=1, weight=0, resvd1=0, resvd2=0; id=2, weight=2, resvd1=0, resvd2=0; id=3, weight=199" in text
    assert "NHA_RES_GROUP_BUCKETS: 8" in text and "NHA_GROUP_TYPE: RES (1)" in text


@needs_root
@needs_ip
def test_a_group_nlwire_encodes_is_what_the_kernel_installs(netns: str) -> None:
    for line in _SETUP[:7]:
        ip(netns, *line.split())
    header = NHMSG.new(family=AF.UNSPEC)
    members = [{"id": 3, "weight": 4}, NEXTHOP_GRP.new(id=1, weight=0)]  # a dict or a record
    attrs = Attrs(NEXTHOP_ATTRS, {NHA.ID: 30, NHA.GROUP: members}, header=header)
    with Rtnl(netns=netns) as rt:
        rt.socket.request(Message(RTM.NEWNEXTHOP, flags=NLM_F.CREATE | NLM_F.EXCL, header=header, attrs=attrs))
    [got] = ip_json(netns, "nexthop", "show", "id", "30")
    assert got["group"] == [{"id": 3, "weight": 5}, {"id": 1}]


def test_struct_array_values_and_errors() -> None:
    body = Attrs(NEXTHOP_ATTRS, {NHA.ID: 9, NHA.GROUP: [{"id": 7, "weight": 1}, {"id": 8, "weight": 0}]}).encode()
    attrs = Attrs.from_bytes(NEXTHOP_ATTRS, body, 0, len(body))
    group = attrs.get(NHA.GROUP)
    assert type(group) is tuple and [(g.id, g.weight) for g in group] == [(7, 1), (8, 0)]
    assert attrs.to_json()["NHA_GROUP"] == [{"id": 7, "weight": 1, "resvd1": 0, "resvd2": 0},
                                            {"id": 8, "weight": 0, "resvd1": 0, "resvd2": 0}]
    empty = Attrs(NEXTHOP_ATTRS, {NHA.GROUP: []}).encode()
    assert Attrs.from_bytes(NEXTHOP_ATTRS, empty, 0, len(empty)).get(NHA.GROUP) == ()
    # 12 bytes: one record and a half
    bad = bytearray(Attrs(NEXTHOP_ATTRS, {NHA.GROUP: [{"id": 1}, {"id": 2}]}).encode())
    bad[0:2] = (4 + 12).to_bytes(2, "little")
    with pytest.raises(DecodeError, match="not a whole number of nexthop_grp"):
        Attrs.from_bytes(NEXTHOP_ATTRS, bytes(bad[:16]), 0, 16, eager=True)
