"""Every message of every nlmon capture decodes (strict) and re-encodes to its own bytes,
except the pad bytes after an attribute, which nlwire writes as zeros (README, "Decoding and
encoding": the guarantee this module checks).

The captures are real (Linux 6.1, iproute2/ethtool/nft/ss driven; see
../shared/captures/README.md). Besides the round trip, each message's nlmsghdr
is checked against tshark's JSON of the same file (an independent dissector),
and the messages must tile the datagram with at most a zero tail after them.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from nlcaptures import all_pcaps, records, tshark

from nlwire.codec import decode, encode
from nlwire.consts import NETLINK, NLM_F, NLMSG
from nlwire.wire.registry import GenlIds

PCAPS = all_pcaps()


def _learn(genl: GenlIds, msgs: list[Any]) -> None:
    """Teach the genl id map from CTRL_CMD_NEWFAMILY replies, as a client would."""
    for m in msgs:
        if m.attrs is not None and m.type == 16 and m.header is not None and m.header.cmd == 1:
            fid, name = m.attrs.get("family_id"), m.attrs.get("family_name")
            if fid is not None and name is not None:
                genl.learn(fid, name)


def _zero_padding(raw: bytes, start: int, end: int) -> bytes:
    """``raw`` with the pad after each attribute of ``raw[start:end]`` zeroed, in nests
    too (those flagged NLA_F_NESTED, as libnftnl flags every nest)."""
    out = bytearray(raw)
    off = start
    while off + 4 <= end:
        ln, t = struct.unpack_from("=HH", raw, off)
        if ln < 4 or off + ln > end:
            break
        if t & 0x8000:
            out[off + 4 : off + ln] = _zero_padding(raw, off + 4, off + ln)[off + 4 : off + ln]
        nxt = min(off + ((ln + 3) & ~3), end)
        out[off + ln : nxt] = bytes(nxt - off - ln)
        off = nxt
    return bytes(out)


def test_zero_padding_helper() -> None:
    # two attributes, "fw\0" with a garbage pad byte, then a nest (NLA_F_NESTED) whose u8
    # member has three garbage pad bytes
    raw = bytes.fromhex("07000100 66770099" "0c000280 05000100 07aabbcc")
    assert _zero_padding(raw, 0, len(raw)) == bytes.fromhex("07000100 66770000" "0c000280 05000100 07000000")


@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
@pytest.mark.parametrize("name", PCAPS)
def test_roundtrip_strict(name: str) -> None:
    genl = GenlIds()
    count = 0
    padded = 0
    for number, (protocol, data) in enumerate(records(name), 1):
        msgs = decode(data, protocol, genl=genl, strict=True)
        assert msgs, f"frame {number}: no messages"
        off = 0
        for m in msgs:
            assert m.offset == off, f"frame {number}: message at {m.offset}, expected {off}"
            raw = data[m.offset : m.offset + m.len]
            again = encode(m)
            if again != raw:
                # a sender may leave old bytes in the pad after an attribute (libnftnl does); the
                # pad is no part of it (nla_len excludes it) and nlwire writes zeros there, as
                # the kernel's nla_put() does. Attributes start after nlmsghdr and the fixed
                # header (struct nfgenmsg, genlmsghdr, ifinfomsg...), aligned to 4.
                fixed = m.schema.header if m.schema is not None else None
                raw = _zero_padding(raw, 16 + (((fixed.size + 3) & ~3) if fixed is not None else 0), len(raw))
                padded += 1
            assert again == raw, f"frame {number}, message at {m.offset} ({m.name}) re-encodes differently"
            off += (m.len + 3) & ~3
            count += 1
        assert not any(data[off:]), f"frame {number}: non-zero bytes after the last message"
        if protocol == NETLINK.GENERIC:
            _learn(genl, msgs)
    assert count > 0
    # nft's requests whose pad bytes were not zero (counted from the bytes); every other
    # message of every capture re-encodes to exactly its bytes
    assert padded == (13 if name == "nft-ruleset.pcap" else 0)


def _tshark_headers(layers: dict[str, Any]) -> list[tuple[int, int, int, int, int]]:
    """(len, type, flags, seq, pid) of each top-level message tshark found in one packet."""
    out = []
    for key, value in layers.items():
        if key in ("frame", "netlink", "data"):  # "data": bytes tshark did not dissect
            continue
        for msg in value if isinstance(value, list) else [value]:
            if key.startswith("Netlink message header"):
                hdr = msg  # tshark's header-only entry: the zero tail after the last message
                if int(hdr["netlink.hdr_len"]) == 0:
                    continue
            else:
                hdr = msg[next(k for k in msg if k.startswith("Netlink message header"))]
            if isinstance(hdr, list):  # two headers with the same label: the first is the message's
                hdr = hdr[0]
            flags = hdr["netlink.hdr_flags"]
            flags = flags[0] if isinstance(flags, list) else flags
            if "netlink.hdr_type" in hdr:
                mtype = int(hdr["netlink.hdr_type"], 16)
            else:  # netlink-route.nltype (decimal), genl.family_id (hex)
                mtype = int(next(v for k, v in hdr.items() if k.endswith((".nltype", ".family_id"))), 0)
            out.append((int(hdr["netlink.hdr_len"]), mtype, int(flags, 16), int(hdr["netlink.hdr_seq"]),
                        int(hdr["netlink.hdr_pid"])))
    return out


@pytest.mark.oracle
@pytest.mark.skipif(not PCAPS, reason="no captures in captures/ or ../shared/captures/")
@pytest.mark.parametrize("name", PCAPS)
def test_headers_match_tshark(name: str) -> None:
    packets = tshark(name)
    recs = records(name)
    assert len(packets) == len(recs)
    for number, ((protocol, data), pkt) in enumerate(zip(recs, packets, strict=True), 1):
        layers = pkt["_source"]["layers"]
        ours = sorted((m.len, m.type, m.flags, m.seq, m.pid) for m in decode(data, protocol))
        theirs = sorted(_tshark_headers(layers))
        if "data" in layers:  # tshark left a message undissected: what it did dissect must agree
            assert set(theirs) <= set(ours), f"frame {number}"
        else:
            assert ours == theirs, f"frame {number}"


@pytest.mark.skipif(not PCAPS, reason="no captures")
def test_error_echoes_follow_capped_flag() -> None:
    """An ACK (error 0) carries NLM_F_CAPPED and echoes 16 bytes; a real error echoes the whole
    request (README: 'Errors echo the complete request, because none of the tools sets
    NETLINK_CAP_ACK')."""
    seen_ack = seen_err = 0
    for name in PCAPS:
        if name == "errors-misstype.pcap":  # recorded by nlwire's sockets, which set NETLINK_CAP_ACK
            continue
        for protocol, data in records(name):
            for m in decode(data, protocol):
                if m.type != NLMSG.ERROR:
                    continue
                (echo_len,) = struct.unpack_from("=I", data, m.offset + 20)
                assert m.echo is not None and m.echo.len == echo_len
                if m.error == 0:
                    seen_ack += 1
                    assert m.flags & NLM_F.CAPPED
                else:
                    seen_err += 1
                    assert not m.flags & NLM_F.CAPPED
                    assert m.echo.header is not None or m.echo.payload or m.echo.len == 16
    assert seen_ack and seen_err
