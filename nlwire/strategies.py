"""Hypothesis strategies derived from nlwire's schemas, for fuzzing netlink code.

Install with ``pip install nlwire[test]`` (this module needs hypothesis; importing it
without hypothesis raises :class:`ImportError`). ``import nlwire`` never imports it.

Every strategy here is *derived* from the declarations in :mod:`nlwire.wire`: the
kinds of an :class:`~nlwire.wire.attrs.AttrSet`, the construct fields of a
:class:`~nlwire.wire.fixed.FixedStruct`, and the (protocol, type) → schema registry.
Adding an attribute to a set makes these strategies generate it with no other edit.

Valid values
    :func:`values` (one attribute kind), :func:`attrs` (an attribute set),
    :func:`header` (a fixed struct record), :func:`messages` (whole
    :class:`~nlwire.messages.Message` values, control messages included) and
    :func:`datagrams` (their bytes, several messages per datagram).

Almost valid bytes
    :func:`mutated` breaks valid datagrams the way real parsers get broken:
    ``nlmsg_len``/``nla_len`` off by a few bytes, lengths past the parent, huge or
    unaligned lengths, truncation, flipped header bits, random attribute types,
    inserted garbage, many tiny attributes. :func:`nested_deeply` builds messages
    nested deeper than :data:`nlwire.wire.MAX_DEPTH` along a recursive path of the
    schema (``IFLA_LINKINFO``/veth peer, ``RTA_MULTIPATH``, ...). :func:`hostile`
    mixes all of these with random bytes.

Fuzzing your own function::

    from hypothesis import given
    import nlwire
    import nlwire.strategies as nls
    from nlwire.consts import NETLINK, RTM
    from nlwire.wire.rtnetlink import LINK_ATTRS

    @given(nls.datagrams(NETLINK.ROUTE, types=[RTM.NEWLINK, RTM.NEWADDR]))
    def test_my_parser_reads_what_the_kernel_could_send(data: bytes) -> None:
        my_parser(data)                      # must not raise on valid input

    @given(nls.hostile(NETLINK.ROUTE))
    def test_my_parser_rejects_garbage_cleanly(data: bytes) -> None:
        try:
            my_parser(data)
        except MyParseError:
            pass                             # anything else is a bug

    @given(nls.messages(NETLINK.ROUTE, types=[RTM.NEWROUTE]))
    def test_my_route_handler(msg: nlwire.Message) -> None:
        handle(msg)                          # msg.header, msg.attrs are populated

    @given(nls.mutated(attr_set=LINK_ATTRS))  # almost valid IFLA_* attribute lists
    def test_my_attribute_walker(data: bytes) -> None:
        walk_attributes(data)

Each kind draws its own values (:meth:`~nlwire.wire.scalars.Kind.draw_value`) and says how
it nests (:meth:`~nlwire.wire.scalars.Kind.inner`, ...); this module only asks it. So your own
:class:`~nlwire.wire.scalars.Kind` subclass is fuzzed once it defines ``draw_value``::

    class Percent(Kind):
        ...
        def draw_value(self, gen: ValueGen) -> int:
            return gen.draw(gen.st.integers(0, 100))
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

try:
    from hypothesis import strategies as st
    from hypothesis.strategies import DrawFn, SearchStrategy
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError(
        "nlwire.strategies needs hypothesis; install it with `pip install nlwire[test]`"
    ) from exc


from nlwire.codec import encode_many
from nlwire.consts import NETLINK, NLM_F, NLMSG
from nlwire.messages import ExtAck, Message
from nlwire.wire.attrs import Attrs, AttrSet, Kind, Selector
from nlwire.wire.fixed import FixedStruct, Record
from nlwire.wire.netlink import NLMSGERR_ATTRS
from nlwire.wire.nla import MAX_DEPTH, NLA_F_NESTED, NLA_TYPE_MASK
from nlwire.wire.registry import PROTOCOL_TYPES, GenlIds, MessageSchema, lookup

__all__ = [
    "attrs",
    "datagrams",
    "header",
    "hostile",
    "messages",
    "mutated",
    "nested_deeply",
    "register_kind",
    "values",
]

NLA_TYPE_MAX = NLA_TYPE_MASK
"""The largest attribute type (the top two bits of nla_type are flags)."""

# --------------------------------------------------------------------------------------
# fixed structs


def _field_strategies(fixed: FixedStruct) -> list[tuple[str, SearchStrategy[Any]]]:
    """One strategy per named field, from the struct code derived from its construct
    declaration (``FixedStruct.formats``: ``"=I"``, ``">H"``, ``"=6s"``)."""
    out: list[tuple[str, SearchStrategy[Any]]] = []
    for name, code in zip(fixed.fields, fixed.formats, strict=True):
        letter = code[-1]
        if letter == "s":
            size = int(code[1:-1] or 1)
            out.append((name, st.binary(min_size=size, max_size=size)))
            continue
        bits = struct.calcsize("=" + letter) * 8
        if letter.islower():
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            lo, hi = 0, (1 << bits) - 1
        out.append((name, st.integers(lo, hi)))
    return out


def header(fixed: FixedStruct, hints: Mapping[str, Sequence[int]] | None = None) -> SearchStrategy[Record]:
    """Records of ``fixed`` (``IFINFOMSG`` → ``IfInfoMsg(family, type, ...)``), every
    field within the range of its construct ``FormatField``.

    ``hints`` maps a field name to values worth trying often (``{"family": [AF.INET]}``);
    :func:`messages` derives them from the attribute set the header goes with.
    """
    parts = []
    for name, strategy in _field_strategies(fixed):
        favoured = (hints or {}).get(name)
        if favoured:
            strategy = st.one_of(st.sampled_from(sorted({int(v) for v in favoured})), strategy)
        parts.append(strategy)
    return st.tuples(*parts).map(lambda vals: fixed.record(*vals))


# --------------------------------------------------------------------------------------
# attribute values


@dataclass(frozen=True)
class Gen:
    """The :class:`~nlwire.wire.scalars.ValueGen` a kind's ``draw_value`` draws with:
    hypothesis's ``draw`` and where the value goes (header, depth, limits)."""

    draw_fn: DrawFn
    header_record: Record | None
    family: int | None
    depth: int
    max_depth: int
    unknown: bool
    max_attrs: int

    @property
    def st(self) -> Any:
        return st

    @property
    def at_limit(self) -> bool:
        return self.depth >= self.max_depth

    def draw(self, strategy: SearchStrategy[Any]) -> Any:
        return self.draw_fn(strategy)

    def header_field(self, name: str) -> Any:
        return getattr(self.header_record, name, None) if self.header_record is not None else None

    def records(self, fixed: FixedStruct, attr_set: AttrSet | None = None) -> SearchStrategy[Record]:
        return header(fixed, _hints(attr_set))

    def attrs(self, attr_set: AttrSet, header: Record | None = None) -> Attrs:
        return _draw_attrs(self.deeper(header), attr_set)

    def deeper(self, header: Record | None = None) -> Gen:
        if header is None:
            return replace(self, depth=self.depth + 1)
        fam = getattr(header, "family", None)
        family = fam if isinstance(fam, int) else self.family
        return replace(self, header_record=header, family=family, depth=self.depth + 1)


def register_kind(kind_type: type[Kind], factory: Callable[[Kind], SearchStrategy[Any]]) -> None:
    """Teach the strategies a :class:`~nlwire.wire.scalars.Kind` subclass of your own:
    ``factory(kind)`` returns a strategy of values ``kind.encode`` accepts and
    ``kind.decode`` gives back equal. (Defining ``draw_value`` on the class says the same
    in the class itself; this sets it.)"""

    def draw_value(self: Kind, gen: Any) -> Any:
        return gen.draw(factory(self))

    kind_type.draw_value = draw_value  # type: ignore[method-assign]


def _selectors(kind: Kind) -> list[Selector]:
    """The by_sibling kinds ``kind`` is, or falls back to through its defaults."""
    out: list[Selector] = []
    sel = kind.sibling_selector()
    while sel is not None:
        out.append(sel)
        sel = sel.default.sibling_selector()
    return out


def _draw_attrs(gen: Gen, attr_set: AttrSet) -> Attrs:
    draw = gen.draw_fn
    kinds = attr_set.kinds
    # at the depth limit only attributes that cannot nest further
    pool = sorted(t for t, k in kinds.items() if not (gen.at_limit and k.inner()))
    chosen: list[int] = draw(st.lists(st.sampled_from(pool), unique=True, max_size=gen.max_attrs)) if pool else []
    # an attribute a sibling selects mostly brings that sibling along (tc's TCA_OPTIONS its
    # TCA_KIND), so the kinds it chooses are drawn, not only its default
    for selector in [k for t in chosen for k in _selectors(kinds[t])]:
        if selector.key in pool and selector.key not in chosen and draw(st.integers(0, 3)):
            chosen.append(selector.key)
    # a by_sibling attribute's kind follows its sibling (or, through its default, another
    # sibling: IFLA_INFO_SLAVE_DATA by SLAVE_KIND, else by KIND): put siblings first
    siblings = [k for t in chosen for k in _selectors(kinds[t])]
    keys = {k.key for k in siblings}
    chosen.sort(key=lambda t: 0 if t in keys else 1)
    pairs: list[tuple[int, Any]] = []
    picked: dict[int, Any] = {}
    for t in chosen:
        kind = kinds[t]
        sel = kind.sibling_selector()
        if sel is not None:
            selected: Kind = kind
            while sel is not None:
                key = sel.key
                selected = sel.choices.get(picked[key], sel.default) if key in picked else sel.default
                sel = selected.sibling_selector()
            value = selected.draw_value(gen)
        elif t in keys and draw(st.integers(0, 3)):
            # this attribute selects the kind of a sibling: mostly one of the declared choices
            choices = sorted({c for k in siblings if k.key == t for c in k.choices}, key=repr)
            value = draw(st.sampled_from(choices)) if choices else kind.draw_value(gen)
        else:
            value = kind.draw_value(gen)
        picked[t] = value
        pairs.append((t, value))
    if gen.unknown and draw(st.integers(0, 3)) == 0:
        for _ in range(draw(st.integers(1, 2))):
            t = draw(st.integers(0, NLA_TYPE_MAX).filter(lambda x: x not in kinds and x not in picked))
            picked[t] = None
            pos = draw(st.integers(0, len(pairs)))
            pairs.insert(pos, (t, draw(st.binary(max_size=12))))
    return Attrs(attr_set, pairs, header=gen.header_record)


def _gen(draw: DrawFn, header_: Record | None, unknown: bool, max_depth: int, max_attrs: int) -> Gen:
    fam = getattr(header_, "family", None) if header_ is not None else None
    return Gen(draw, header_, fam if isinstance(fam, int) else None, 0, max_depth, unknown, max_attrs)


def values(
    kind: Kind, *, header: Record | None = None, max_depth: int = 3, unknown: bool = True
) -> SearchStrategy[Any]:
    """Values of one attribute kind: what ``kind.decode`` returns for valid bytes and
    ``kind.encode`` accepts. ``header`` is the fixed header the attribute travels with
    (it selects ``by_header`` kinds and the IP version of addresses)."""

    @st.composite
    def one(draw: DrawFn) -> Any:
        return kind.draw_value(_gen(draw, header, unknown, max_depth, 6))

    return one()


def attrs(
    attr_set: AttrSet,
    *,
    header: Record | None = None,
    unknown: bool = True,
    max_depth: int = 3,
    max_attrs: int = 8,
) -> SearchStrategy[Attrs]:
    """:class:`~nlwire.wire.attrs.Attrs` of ``attr_set``: any subset of its declared
    attributes (each at most once, siblings before the attributes they select), values
    from each kind, nested sets down to ``max_depth`` and, with ``unknown``, raw TLVs of
    undeclared types."""

    @st.composite
    def build(draw: DrawFn) -> Attrs:
        return _draw_attrs(_gen(draw, header, unknown, max_depth, max_attrs), attr_set)

    return build()


# --------------------------------------------------------------------------------------
# messages


def _reachable_kinds(attr_set: AttrSet) -> list[Kind]:
    seen: set[int] = set()
    out: list[Kind] = []
    todo = [attr_set]
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen.add(id(s))
        stack = list(s.kinds.values())
        while stack:
            k = stack.pop()
            out.append(k)
            for child, child_set in k.inner():
                if child_set is not None:
                    todo.append(child_set)
                elif child is not k:
                    stack.append(child)
    return out


_HINTS: dict[int, dict[str, list[int]]] = {}


def _hints(attr_set: AttrSet | None) -> dict[str, list[int]]:
    """Header field values the set's ``by_header`` kinds (and addresses) care about."""
    if attr_set is None:
        return {}
    cached = _HINTS.get(id(attr_set))
    if cached is not None:
        return cached
    hints: dict[str, set[int]] = {}
    for k in _reachable_kinds(attr_set):
        for field, wanted in k.header_hints().items():
            hints.setdefault(field, set()).update(wanted)
    out = {f: sorted(v) for f, v in hints.items()}
    _HINTS[id(attr_set)] = out
    return out


_U16 = st.integers(0, 0xFFFF)
_U32 = st.integers(0, 0xFFFFFFFF)


def _schemas(protocol: int, genl: GenlIds | None) -> dict[int, Any]:
    if protocol == NETLINK.GENERIC:
        ids = genl if genl is not None else GenlIds()
        return {fid: spec for fid, spec in sorted(ids.by_id.items())}
    entry = PROTOCOL_TYPES.get(protocol)
    return dict(sorted(entry[1].items())) if entry is not None else {}


def _request(
    protocol: int, types: Sequence[int] | None, genl: GenlIds | None, unknown: bool, max_depth: int, max_attrs: int
) -> SearchStrategy[Message]:
    table = _schemas(protocol, genl)
    wanted = [int(t) for t in types] if types is not None else list(table)
    if types is None and (unknown or not wanted):
        # a type nlwire has no schema for: its body stays raw bytes
        spare = st.integers(NLMSG.MIN_TYPE, 0xFFFF).filter(lambda t: t not in table)
    else:
        spare = st.nothing()
    known = st.sampled_from(wanted) if wanted else st.nothing()
    if unknown and types is None:
        # mostly types with a schema; one in eight without
        type_choice = st.integers(0, 7).flatmap(lambda i: spare if i == 0 else known)
    else:
        type_choice = known

    @st.composite
    def build(draw: DrawFn) -> Message:
        mtype = draw(type_choice)
        flags, seq, pid = draw(_U16), draw(_U32), draw(_U32)
        entry = table.get(mtype)
        schema: MessageSchema | None
        if entry is None:
            return Message(mtype, flags, seq, pid, payload=draw(st.binary(max_size=32)), protocol=protocol)
        if protocol == NETLINK.GENERIC:
            spec = entry
            rec = draw(header(spec.header, _hints(spec.attrs)))
            if spec.commands is not None and draw(st.booleans()):
                rec = rec._replace(cmd=draw(st.sampled_from(sorted(int(c) for c in spec.commands))))
            ids = genl if genl is not None else GenlIds()
            # a family may number its replies apart from its requests: the flags say which
            schema = lookup(protocol, mtype, ids, rec.cmd, bool(flags & NLM_F.REQUEST))
        else:
            schema = entry
            if entry.bodies:  # the body its first byte and the direction choose (sock_diag's family)
                first, request = draw(st.sampled_from(sorted(entry.bodies)))
                schema = entry.bodies[(first, request)]
                flags = flags | NLM_F.REQUEST if request else flags & ~NLM_F.REQUEST
            rec = draw(header(schema.header, _hints(schema.attrs))) if schema.header is not None else None
            if entry.bodies and rec is not None:
                rec = rec._replace(**{rec._fields[0]: first})
        assert schema is not None
        attrs_ = None
        payload = b""
        if schema.attrs is not None:
            attrs_ = _draw_attrs(_gen(draw, rec, unknown, max_depth, max_attrs), schema.attrs)
        else:
            payload = draw(st.binary(max_size=32))
        return Message(mtype, flags, seq, pid, rec, attrs_, payload, protocol=protocol, schema=schema)

    return build()


def _control(protocol: int, requests: SearchStrategy[Message], unknown: bool) -> SearchStrategy[Message]:
    ext_attrs = attrs(NLMSGERR_ATTRS, unknown=unknown, max_depth=2).filter(lambda a: len(a) > 0)

    @st.composite
    def error(draw: DrawFn) -> Message:
        flags, seq, pid = draw(_U16), draw(_U32), draw(_U32)
        code = draw(st.one_of(st.just(0), st.integers(-4095, -1), st.integers(-(1 << 31), (1 << 31) - 1)))
        req = draw(requests)
        if flags & NLM_F.CAPPED:
            echo = Message(req.type, req.flags, req.seq, req.pid, protocol=protocol, schema=req.schema)
        else:
            echo = req
        ext = ExtAck(draw(ext_attrs)) if flags & NLM_F.ACK_TLVS and draw(st.booleans()) else None
        return Message(NLMSG.ERROR, flags, seq, pid, error=code, echo=echo, ext_ack=ext, protocol=protocol)

    @st.composite
    def done(draw: DrawFn) -> Message:
        flags, seq, pid = draw(_U16), draw(_U32), draw(_U32)
        if draw(st.booleans()):
            return Message(NLMSG.DONE, flags & ~int(NLM_F.ACK_TLVS), seq, pid, protocol=protocol)
        code = draw(st.one_of(st.just(0), st.integers(-(1 << 31), (1 << 31) - 1)))
        ext = ExtAck(draw(ext_attrs)) if flags & NLM_F.ACK_TLVS and draw(st.booleans()) else None
        return Message(NLMSG.DONE, flags, seq, pid, error=code, ext_ack=ext, protocol=protocol)

    other = st.builds(
        lambda t, f, s, p, b: Message(t, f, s, p, payload=b, protocol=protocol),
        st.sampled_from([t for t in range(NLMSG.MIN_TYPE) if t not in (NLMSG.ERROR, NLMSG.DONE)]),
        _U16, _U32, _U32, st.binary(max_size=16),
    )
    return st.one_of(error(), done(), other)


def messages(
    protocol: int = NETLINK.ROUTE,
    types: Iterable[int] | None = None,
    *,
    genl: GenlIds | None = None,
    control: bool = True,
    unknown: bool = True,
    max_depth: int = 2,
    max_attrs: int = 6,
) -> SearchStrategy[Message]:
    """Valid :class:`~nlwire.messages.Message` values of ``protocol``.

    ``types`` limits the message types (default: every type the registry knows, plus,
    with ``unknown``, types it does not, whose body is raw ``payload``). For
    ``NETLINK.GENERIC`` the types are the family ids of ``genl`` (nlctrl by default).
    With ``control`` (and no ``types``) NLMSG_ERROR (ACK or error, echoed request whole
    or capped, extended-ACK TLVs), NLMSG_DONE, NLMSG_NOOP/OVERRUN are generated too.
    ``nlwire.codec.encode`` accepts every value and decoding its bytes gives an equal
    message.
    """
    wanted = list(types) if types is not None else None
    requests = _request(protocol, wanted, genl, unknown, max_depth, max_attrs)
    if control and wanted is None:
        ctl = _control(protocol, requests, unknown)
        # about one message in four is a control message (ACK, error, DONE, ...)
        return st.integers(0, 3).flatmap(lambda i: ctl if i == 0 else requests)
    return requests


def datagrams(
    protocol: int = NETLINK.ROUTE,
    types: Iterable[int] | None = None,
    *,
    genl: GenlIds | None = None,
    min_messages: int = 1,
    max_messages: int = 4,
    control: bool = True,
    unknown: bool = True,
    max_depth: int = 2,
) -> SearchStrategy[bytes]:
    """Bytes of valid datagrams: ``min_messages``..``max_messages`` messages of
    :func:`messages`, each aligned to 4 bytes as the kernel sends them."""
    return st.lists(
        messages(protocol, types, genl=genl, control=control, unknown=unknown, max_depth=max_depth),
        min_size=min_messages,
        max_size=max_messages,
    ).map(encode_many)


# --------------------------------------------------------------------------------------
# almost valid bytes


@dataclass(frozen=True)
class _Mark:
    """A length field found in a datagram: a nlmsghdr (``msg``) or an nlattr (``attr``)."""

    what: str
    offset: int
    parent_end: int
    ancestors: tuple[tuple[str, int], ...]


def _landmarks(data: bytes, protocol: int | None) -> list[_Mark]:
    """Where the nlmsghdrs and nlattrs of ``data`` are (a tolerant, schema-guided walk
    that stops at the first bad length; it only aims the mutations). With ``protocol``
    None, ``data`` is a bare attribute list."""
    marks: list[_Mark] = []
    ids = GenlIds()

    def walk_attrs(start: int, end: int, anc: tuple[tuple[str, int], ...], depth: int) -> None:
        off = start
        while end - off >= 4 and len(marks) < 4096:
            ln = int.from_bytes(data[off : off + 2], "little")
            marks.append(_Mark("attr", off, end, anc))
            if ln < 4 or off + ln > end:
                return
            if ln >= 8 and depth < 40 and _looks_like_attrs(off + 4, off + ln):
                walk_attrs(off + 4, off + ln, (*anc, ("attr", off)), depth + 1)
            off += (ln + 3) & ~3

    def _looks_like_attrs(start: int, end: int) -> bool:
        off = start
        while end - off >= 4:
            ln = int.from_bytes(data[off : off + 2], "little")
            if ln < 4 or off + ln > end:
                return False
            off += (ln + 3) & ~3
        return off >= end

    if protocol is None:
        walk_attrs(0, len(data), (), 0)
        return marks
    off = 0
    while len(data) - off >= 16:
        ln = int.from_bytes(data[off : off + 4], "little")
        mtype = int.from_bytes(data[off + 4 : off + 6], "little")
        marks.append(_Mark("msg", off, len(data), ()))
        if ln < 16 or off + ln > len(data):
            break
        body = off + 16
        if mtype >= NLMSG.MIN_TYPE:
            first = data[body] if ln > 16 else None
            flags = int.from_bytes(data[off + 6 : off + 8], "little")
            schema = lookup(protocol, mtype, ids, first, bool(flags & NLM_F.REQUEST))
            if schema is not None and schema.attrs is not None:
                skip = ((schema.header.size + 3) & ~3) if schema.header is not None else 0
                walk_attrs(body + skip, off + ln, (("msg", off),), 0)
        off += (ln + 3) & ~3
    return marks


def _put(data: bytearray, off: int, fmt: str, value: int) -> None:
    size = struct.calcsize(fmt)
    if off + size <= len(data):
        struct.pack_into(fmt, data, off, value & ((1 << (8 * size)) - 1))


def _insert(data: bytearray, mark: _Mark, pos: int, blob: bytes) -> bytearray:
    """Insert ``blob`` at ``pos`` and grow the lengths of every container around it."""
    out = bytearray(data[:pos] + blob + data[pos:])
    for what, off in mark.ancestors:
        if what == "msg":
            ln = int.from_bytes(out[off : off + 4], "little")
            _put(out, off, "=I", ln + len(blob))
        else:
            ln = int.from_bytes(out[off : off + 2], "little")
            if ln + len(blob) > 0xFFFF:
                return bytearray(data)
            _put(out, off, "=H", ln + len(blob))
    return out


_MUTATIONS = (
    "len_delta", "len_huge", "len_small", "len_past_parent", "len_unaligned", "flip_header_bit",
    "flip_bit", "truncate", "insert_garbage", "attr_type", "nest_chain", "tiny_attrs", "repeat_message",
)


def _mutate_once(draw: DrawFn, data: bytearray, protocol: int | None) -> bytearray:
    op = draw(st.sampled_from(_MUTATIONS))
    marks = _landmarks(bytes(data), protocol)
    if not data or op in ("flip_bit", "truncate") or not marks:
        if not data:
            return bytearray(draw(st.binary(max_size=64)))
        if op == "truncate" or not marks:
            return data[: draw(st.integers(0, len(data) - 1))]
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] ^= 1 << draw(st.integers(0, 7))
        return data
    mark = draw(st.sampled_from(marks))
    fmt = "=I" if mark.what == "msg" else "=H"
    width = 4 if mark.what == "msg" else 2
    cur = int.from_bytes(data[mark.offset : mark.offset + width], "little")
    hdr = 16 if mark.what == "msg" else 4
    if op == "len_delta":
        _put(data, mark.offset, fmt, cur + draw(st.sampled_from([-8, -4, -3, -2, -1, 1, 2, 3, 4, 8])))
    elif op == "len_huge":
        _put(data, mark.offset, fmt, draw(st.sampled_from([0xFFFFFFFF, 0x7FFFFFFF, 0xFFFF, 0x8000, len(data) + 1])))
    elif op == "len_small":
        _put(data, mark.offset, fmt, draw(st.integers(0, hdr - 1)))
    elif op == "len_past_parent":
        _put(data, mark.offset, fmt, mark.parent_end - mark.offset + draw(st.integers(1, 8)))
    elif op == "len_unaligned":
        _put(data, mark.offset, fmt, cur + draw(st.integers(1, 3)) if cur % 4 == 0 else cur | 1)
    elif op == "flip_header_bit":
        pos = mark.offset + draw(st.integers(0, hdr - 1))
        if pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
    elif op == "insert_garbage":
        pos = draw(st.integers(mark.offset, min(len(data), mark.parent_end)))
        return _insert(data, mark, pos, draw(st.binary(min_size=1, max_size=16)))
    elif op == "attr_type" and mark.what == "attr":
        any_type = st.one_of(st.integers(0, 0xFFFF), st.just(NLA_F_NESTED | NLA_TYPE_MASK))
        _put(data, mark.offset + 2, "=H", draw(any_type))
    elif op == "nest_chain" and mark.what == "attr":
        # wrap this attribute in a chain of NLA_F_NESTED attributes of its own type
        depth = draw(st.sampled_from([2, MAX_DEPTH, MAX_DEPTH + 1, 4 * MAX_DEPTH]))
        end = min(mark.offset + max(cur, 4), mark.parent_end, len(data))
        inner = bytes(data[mark.offset : end])
        inner += bytes(-len(inner) % 4)
        atype = int.from_bytes(data[mark.offset + 2 : mark.offset + 4], "little") | NLA_F_NESTED
        if 4 * depth + len(inner) > 0xFFFF:
            return data
        for _ in range(depth):
            inner = struct.pack("=HH", 4 + len(inner), atype) + inner
        grown = _Mark(mark.what, mark.offset, mark.parent_end, mark.ancestors)
        out = _insert(bytearray(data[: mark.offset] + data[end:]), grown, mark.offset, inner)
        # _insert grew the ancestors by the whole chain; the original attribute was removed
        for what, off in mark.ancestors:
            w = 4 if what == "msg" else 2
            ln = int.from_bytes(out[off : off + w], "little")
            _put(out, off, "=I" if what == "msg" else "=H", ln - (end - mark.offset))
        return out
    elif op == "tiny_attrs":
        count = draw(st.sampled_from([64, 1000]))
        if mark.what == "attr":
            pos, where = mark.offset, mark
        else:
            pos = min(mark.offset + 16, len(data))
            where = _Mark("attr", pos, mark.parent_end, (("msg", mark.offset),))
        return _insert(data, where, pos, struct.pack("=HH", 4, draw(st.integers(0, 40))) * count)
    elif op == "repeat_message" and mark.what == "msg":
        ln = int.from_bytes(data[mark.offset : mark.offset + 4], "little")
        if 16 <= ln <= len(data) - mark.offset:
            one = bytes(data[mark.offset : mark.offset + ln]) + bytes(-ln % 4)
            return data + one * draw(st.sampled_from([2, 100]))
    return data


def mutated(
    datagrams_: SearchStrategy[bytes] | None = None,
    *,
    protocol: int = NETLINK.ROUTE,
    attr_set: AttrSet | None = None,
    max_mutations: int = 3,
) -> SearchStrategy[bytes]:
    """Almost valid bytes: each example of ``datagrams_`` (default :func:`datagrams`)
    with 1..``max_mutations`` of: a length off by a few bytes, huge, below the header
    size, past its parent or unaligned; a flipped header bit or any bit; truncation;
    inserted garbage (enclosing lengths fixed up); a random attribute type; the
    attribute wrapped in a chain of NLA_F_NESTED attributes (up to 4 * MAX_DEPTH); a run
    of many zero-length attributes; a message repeated many times. The length fields are
    found by walking the bytes with the protocol's schemas.

    With ``attr_set``, the examples are bare attribute lists of that set (default
    ``attrs(attr_set)`` encoded) rather than datagrams::

        mutated(attr_set=LINK_ATTRS)     # almost valid IFLA_* attribute lists
    """
    walk: int | None = protocol
    if attr_set is not None:
        walk = None
        source = datagrams_ if datagrams_ is not None else attrs(attr_set).map(lambda a: a.encode())
    else:
        source = datagrams_ if datagrams_ is not None else datagrams(protocol)

    @st.composite
    def build(draw: DrawFn) -> bytes:
        data = bytearray(draw(source))
        for _ in range(draw(st.integers(1, max_mutations))):
            data = _mutate_once(draw, data, walk)
        return bytes(data)

    return build()


def _cycles(top: AttrSet) -> list[list[tuple[AttrSet, int, list[Kind]]]]:
    """Paths from ``top`` that come back to a set already on the path.

    Each step is ``(set, attribute type, [kind, inner kind, ...])``: the chain of kinds
    from the attribute to the next set."""
    found: list[list[tuple[AttrSet, int, list[Kind]]]] = []

    def inner_sets(kind: Kind, chain: list[Kind], seen: set[int]) -> list[tuple[list[Kind], AttrSet]]:
        out: list[tuple[list[Kind], AttrSet]] = []
        if id(kind) in seen:
            return out
        seen = seen | {id(kind)}
        # not through kinds a header field selects: nested_deeply writes a zeroed header
        for child, child_set in kind.inner(by_header=False):
            if child_set is not None:
                out.append(([*chain, kind], child_set))
            else:
                out.extend(inner_sets(child, [*chain, kind], seen))
        return out

    def dfs(s: AttrSet, path: list[tuple[AttrSet, int, list[Kind]]], on_path: list[int]) -> None:
        if len(found) >= 8 or len(path) > 6:
            return
        for t, kind in sorted(s.kinds.items()):
            for chain, child in inner_sets(kind, [], set()):
                step = (s, t, chain)
                if id(child) in on_path:
                    found.append([*path, step])
                else:
                    dfs(child, [*path, step], [*on_path, id(child)])

    dfs(top, [], [id(top)])
    return found


def _tlv(atype: int, flags: int, body: bytes) -> bytes:
    ln = 4 + len(body)
    if ln > 0xFFFF:
        raise OverflowError("nest too large for nla_len")
    return struct.pack("=HH", ln, atype | flags) + body + bytes(-ln % 4)


def nested_deeply(
    protocol: int = NETLINK.ROUTE, depth: int = MAX_DEPTH + 4, *, genl: GenlIds | None = None
) -> SearchStrategy[bytes]:
    """Datagrams of one message whose attributes nest ``depth`` levels deep along a
    recursive path of the schema (veth peer → IFLA_LINKINFO → ..., RTA_MULTIPATH →
    ...): bytes a strict decoder must refuse with a DecodeError, never a
    RecursionError. Empty strategy when the protocol's schemas are not recursive."""
    options: list[tuple[int, MessageSchema, list[tuple[AttrSet, int, list[Kind]]]]] = []
    seen_sets: set[int] = set()
    for mtype, schema in _schemas(protocol, genl).items():
        if protocol == NETLINK.GENERIC:
            schema = lookup(protocol, mtype, genl or GenlIds(), None)
        if schema is None or schema.attrs is None or id(schema.attrs) in seen_sets:
            continue
        seen_sets.add(id(schema.attrs))
        for path in _cycles(schema.attrs):
            options.append((mtype, schema, path))
    if not options:
        return st.nothing()

    def build(choice: tuple[int, MessageSchema, list[tuple[AttrSet, int, list[Kind]]]]) -> bytes:
        mtype, schema, path = choice
        start = next(i for i, step in enumerate(path) if step[0] is _target(path))
        steps = list(path)
        levels = sum(_levels(chain) for _, _, chain in steps)
        while levels < depth:
            steps.extend(path[start:])
            levels += sum(_levels(chain) for _, _, chain in path[start:])
        body = b""
        for s, t, chain in reversed(steps):
            sibling, payload, flags = chain[0].nest_payload(chain[1:], body, s)
            body = sibling + _tlv(t, flags, payload)
        head = bytes((schema.header.size + 3) & ~3) if schema.header is not None else b""
        if protocol == NETLINK.GENERIC and head:
            head = bytes([1]) + head[1:]
        return struct.pack("=IHHII", 16 + len(head) + len(body), mtype, NLM_F.REQUEST, 1, 0) + head + body

    return st.sampled_from(options).map(build)


def _levels(chain: list[Kind]) -> int:
    """How many nesting levels one step adds (a length-prefixed list entry counts twice)."""
    return sum(k.levels for k in chain)


def _target(path: list[tuple[AttrSet, int, list[Kind]]]) -> AttrSet:
    """The set the last step of a cycle leads back to."""
    last_kinds = path[-1][2]
    for _child, child_set in last_kinds[-1].inner():
        if child_set is not None and any(child_set is s for s, _, _ in path):
            return child_set
    return path[0][0]  # pragma: no cover


def hostile(protocol: int = NETLINK.ROUTE, *, genl: GenlIds | None = None) -> SearchStrategy[bytes]:
    """Bytes to throw at a netlink parser: mutated datagrams, deep nesting, random bytes
    and valid datagrams, mixed."""
    valid = datagrams(protocol, genl=genl)
    return st.one_of(
        mutated(valid, protocol=protocol),
        mutated(valid, protocol=protocol),
        nested_deeply(protocol, genl=genl),
        st.binary(max_size=256),
        valid,
    )
