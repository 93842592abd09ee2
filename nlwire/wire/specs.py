"""The kernel's YAML netlink specs (Documentation/netlink/specs, the source of its YNL
tools), loaded at run time into the objects nlwire's hand declarations are made of:
:class:`~nlwire.wire.attrs.AttrSet` tables of the kinds in :mod:`nlwire.wire.kinds`,
:class:`~nlwire.wire.fixed.FixedStruct` structs, ``IntEnum``/``IntFlag`` classes and, for
a generic family, a :class:`~nlwire.wire.genetlink.GenlFamilySpec` with one
:class:`~nlwire.wire.genetlink.GenlOpSpec` per operation. The codec, the client, the
dissector and the strategies serve a loaded family as they serve a declared one.

>>> ethtool = load_spec("ethtool")                                 # doctest: +SKIP
>>> ethtool.attr_sets["header"].type_of("dev-name")                # doctest: +SKIP
2

Specs are found (:func:`find_spec`) by an explicit path, then in the directories of
``NLWIRE_SPEC_PATH`` (``:``-separated), then where distributions install them (Debian's
``linux-doc-*`` package, kernel sources under ``/usr/src``); plain ``.yaml`` or ``.yaml.gz``.
The spec files are the kernel's text: nlwire ships none. This module sits in
:mod:`nlwire.wire` because it builds construct structs (the only layer that may).
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import construct as cs

from nlwire.errors import SpecNotFound
from nlwire.wire.attrs import Attrs, AttrSet, Binary, Kind
from nlwire.wire.compound import (
    ArrayKind,
    BySibling,
    IndexedMap,
    Nested,
    NestedArray,
    StructKind,
    StructThenAttrs,
)
from nlwire.wire.fixed import FixedStruct
from nlwire.wire.genetlink import GENL_FAMILIES, GenlFamilySpec, GenlOpSpec, genlmsghdr
from nlwire.wire.kinds import bitfield32, flag, hwaddr, ipaddr, nested_choosing
from nlwire.wire.scalars import Int, String, VarUint

__all__ = [
    "SPEC_PACKAGE_HINT",
    "Spec",
    "SpecOp",
    "find_spec",
    "installed_family",
    "load_spec",
    "spec_dirs",
    "spec_names",
]

SPEC_PACKAGE_HINT = (
    "the kernel's netlink specs come with its documentation: on Debian/Ubuntu install linux-doc-<version> "
    "(apt-get install linux-doc-6.12), elsewhere the kernel's doc or source package "
    "(Documentation/netlink/specs); or point NLWIRE_SPEC_PATH at a directory of *.yaml"
)
"""What :class:`~nlwire.errors.SpecNotFound` suggests."""

STANDARD_PLACES = (
    "/usr/share/doc/linux-doc-*/Documentation/netlink/specs",
    "/usr/src/linux*/Documentation/netlink/specs",
    "/usr/share/doc/kernel-doc-*/Documentation/netlink/specs",
)
"""Where distributions install the specs (globs; the newest version first)."""


def _version_key(path: str) -> list[Any]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", path)]


def spec_dirs() -> list[str]:
    """The directories searched, in order: ``NLWIRE_SPEC_PATH``'s, then the standard places
    that exist (of several installed versions, the newest first)."""
    import glob

    out = [d for d in os.environ.get("NLWIRE_SPEC_PATH", "").split(os.pathsep) if d]
    for pattern in STANDARD_PLACES:
        out += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    return out


def find_spec(name: str, path: str | os.PathLike[str] | None = None) -> Path:
    """The file of spec ``name`` (``ethtool``; ``rt-link`` and ``rt_link`` alike), or
    ``path`` itself when given; :class:`~nlwire.errors.SpecNotFound` says where it looked."""
    if path is not None:
        p = Path(path)
        if p.is_file():
            return p
        raise SpecNotFound(name, [str(p)], SPEC_PACKAGE_HINT)
    searched = spec_dirs()
    stems = dict.fromkeys([name, name.replace("-", "_"), name.replace("_", "-")])
    for d in searched:
        for stem in stems:
            for suffix in (".yaml", ".yaml.gz"):
                candidate = Path(d, stem + suffix)
                if candidate.is_file():
                    return candidate
    raise SpecNotFound(name, searched, SPEC_PACKAGE_HINT)


def spec_names() -> list[str]:
    """The names of the specs found in :func:`spec_dirs` (each once)."""
    out: dict[str, None] = {}
    for d in spec_dirs():
        for p in sorted(Path(d).glob("*.yaml*")):
            if p.name.endswith((".yaml", ".yaml.gz")):
                out.setdefault(p.name.removesuffix(".gz").removesuffix(".yaml"), None)
    return list(out)


def _read(path: Path) -> dict[str, Any]:
    import gzip

    import yaml  # the YAML parser is loaded with the first spec, not with nlwire

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    opener: Callable[..., Any] = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = yaml.load(f, Loader=loader)
    if not isinstance(data, dict) or "name" not in data:
        raise ValueError(f"{path}: not a netlink spec")
    return data


# ------------------------------------------------------------------------------ names


def c_name(text: str) -> str:
    """A spec name as the kernel's C constant spells it: ``dev-name`` -> ``DEV_NAME``."""
    return text.upper().replace("-", "_").replace(".", "_")


def _member(text: str) -> str:
    """An enum member's name for a spec name: a leading digit gets the ``_`` that makes it
    an identifier, as the hand-declared constants' do (``6rd-prefix``: ``_6RD_PREFIX``,
    which :func:`~nlwire.wire.nla.attr_name` shows as ``IFLA_IPTUN_6RD_PREFIX``)."""
    name = c_name(text)
    if name[:1].isdigit():
        return "_" + name
    if not name or name.startswith("_"):
        return "V" + name
    return name


_BUILTIN_CONSTS = {
    "u8-max": 0xFF, "u16-max": 0xFFFF, "u32-max": 0xFFFFFFFF, "u64-max": (1 << 64) - 1,
    "s8-max": 0x7F, "s16-max": 0x7FFF, "s32-max": 0x7FFFFFFF, "s64-max": (1 << 63) - 1,
    "s8-min": -0x80, "s16-min": -0x8000, "s32-min": -(1 << 31), "s64-min": -(1 << 63),
}
"""The limits a spec's checks may name (the YNL spec schema's pattern)."""

_KERNEL_CONSTS = {"max-errno": 4095}
"""Constants a spec declares with ``scope: kernel`` and no value: include/linux/err.h MAX_ERRNO."""

_MEMBER_FIXES: dict[tuple[str, str], dict[str, str]] = {
    # include/uapi/linux/pkt_sched.h: struct tc_ratespec { unsigned char cell_log; __u8 linklayer;
    # unsigned short overhead; short cell_align; unsigned short mpu; __u32 rate; }; the tc spec
    # (6.12) says u8 for the middle three, which puts cell_align's and mpu's bytes in padding
    ("tc", "tc-ratespec"): {"overhead": "u16", "cell-align": "s16", "mpu": "u16"},
}
"""(family, struct) -> {member: type}: where a spec's struct member type is wrong, the uapi header's."""

_INT_CONS: dict[tuple[str, bool], Any] = {
    ("u8", False): cs.Int8un, ("u16", False): cs.Int16un, ("u32", False): cs.Int32un, ("u64", False): cs.Int64un,
    ("s8", False): cs.Int8sn, ("s16", False): cs.Int16sn, ("s32", False): cs.Int32sn, ("s64", False): cs.Int64sn,
    ("u8", True): cs.Int8ub, ("u16", True): cs.Int16ub, ("u32", True): cs.Int32ub, ("u64", True): cs.Int64ub,
    ("s8", True): cs.Int8sb, ("s16", True): cs.Int16sb, ("s32", True): cs.Int32sb, ("s64", True): cs.Int64sb,
}
"""The fixed-width integer types, by (type, big-endian)."""


@dataclass(frozen=True)
class SpecOp:
    """One operation of a spec: its commands and what its messages carry."""

    name: str
    value: int | None
    """The request's command or message type (None: the operation has no request)."""
    reply_value: int | None
    attr_set: AttrSet | None
    header: FixedStruct | None
    """The fixed header after ``genlmsghdr`` (or the netlink-raw family's header), if any."""
    attributes: Mapping[str, tuple[str, ...]]
    """``do-request``, ``do-reply``, ``dump-request``, ``dump-reply``: attribute names."""
    mcgrp: str | None = None
    notify: bool = False
    """True for a notification or event (messages from the kernel only)."""


@dataclass
class Spec:
    """A loaded spec: what it defines, by spec name."""

    name: str
    protocol: str
    path: Path
    doc: str = ""
    consts: dict[str, int] = field(default_factory=dict)
    enums: dict[str, type[enum.IntEnum] | type[enum.IntFlag]] = field(default_factory=dict)
    structs: dict[str, FixedStruct] = field(default_factory=dict)
    attr_sets: dict[str, AttrSet] = field(default_factory=dict)
    ops: dict[str, SpecOp] = field(default_factory=dict)
    mcast_groups: dict[str, int | None] = field(default_factory=dict)
    """Group name -> its number where the spec gives one (netlink-raw), else None."""
    header: FixedStruct | None = None
    """The family-wide fixed header (``ifinfomsg``, ``ovs_header``), if any."""
    field_names: dict[str, str] = field(default_factory=dict)
    """A struct member's spec name by its field's name (``ifi_index``: ``ifi-index``)."""
    genl: GenlFamilySpec | None = None
    """For a generic family: its declaration (registered, so ids learned for it decode)."""
    protonum: int | None = None
    """A netlink-raw family's netlink protocol (``0``: NETLINK_ROUTE)."""

    def attrs(self, set_name: str, values: Mapping[str, Any] | None = None, *, header: Any = None) -> Attrs:
        """Attributes of the set ``set_name`` from a dict keyed by spec names (nests as
        dicts, a ``multi-attr`` attribute as a list of its values): the form
        :meth:`~nlwire.wire.attrs.Attrs.to_dict` gives back."""
        return Attrs(self.attr_sets[set_name], values or {}, header=header)


def _int_enum(name: str, members: list[tuple[str, int]]) -> type[enum.IntEnum]:
    made: type[enum.IntEnum] = enum.IntEnum(name, members)  # type: ignore[misc]
    return made


def _int_flag(name: str, members: list[tuple[str, int]]) -> type[enum.IntFlag]:
    made: type[enum.IntFlag] = enum.IntFlag(name, members, boundary=enum.KEEP)  # type: ignore[misc]
    return made


# ------------------------------------------------------------------------------ loading

_LOADED: dict[Path, Spec] = {}


def load_spec(name: str, path: str | os.PathLike[str] | None = None, *, register: bool = True) -> Spec:
    """Load the spec ``name`` (found by :func:`find_spec`, or read from ``path``), once per
    process. A generic family's declaration is registered
    (:func:`~nlwire.wire.genetlink.register_genl_family`) unless ``register`` is false
    or nlwire declares that family by hand already (nlctrl)."""
    where = find_spec(name, path).resolve()
    spec = _LOADED.get(where)
    if spec is None:
        spec = _LOADED[where] = _Builder(_read(where), where).build()
    if register and spec.genl is not None and spec.genl.name not in GENL_FAMILIES:
        GENL_FAMILIES[spec.genl.name] = spec.genl
    return spec


def installed_family(name: str) -> GenlFamilySpec | None:
    """The generic family ``name`` as its installed spec declares it (loaded once, not
    registered), or None when no spec of that name is installed or it is not generic:
    a :class:`~nlwire.wire.registry.GenlIds` resolver."""
    try:
        return load_spec(name, register=False).genl
    except SpecNotFound:
        return None


class _Builder:
    """Turns a spec's parsed YAML into a :class:`Spec`."""

    def __init__(self, raw: dict[str, Any], path: Path) -> None:
        self.raw = raw
        self.family: str = raw["name"]
        self.protocol: str = raw.get("protocol", "genetlink")
        self.spec = Spec(self.family, self.protocol, path, str(raw.get("doc", "")).strip())
        if self.protocol == "netlink-raw":
            self.spec.protonum = int(raw.get("protonum", 0))
        self.set_yaml = {s["name"]: s for s in raw.get("attribute-sets", [])}
        self.sub_messages = {s["name"]: s for s in raw.get("sub-messages", [])}

    def build(self) -> Spec:
        definitions = self.raw.get("definitions", [])
        self.struct_yaml = {d["name"]: d for d in definitions if d["type"] == "struct"}
        self.struct_align: dict[str, int] = {}
        for d in definitions:
            self._definition(d)
        for name in self.set_yaml:
            self._attr_set(name)
        self._operations()
        return self.spec

    # -- definitions

    def _const(self, value: Any) -> int:
        if isinstance(value, int):
            return value
        text = str(value)
        for table in (self.spec.consts, _BUILTIN_CONSTS, _KERNEL_CONSTS):
            if text in table:
                return table[text]
        raise ValueError(f"{self.family}: unknown constant {text!r}")

    def _definition(self, d: dict[str, Any]) -> None:
        kind = d["type"]
        name = d["name"]
        if kind == "const":
            if isinstance(d.get("value"), int):
                self.spec.consts[name] = d["value"]
            elif name in _KERNEL_CONSTS:
                self.spec.consts[name] = _KERNEL_CONSTS[name]
        elif kind in ("enum", "flags"):
            self.spec.enums[name] = self._enum(d, kind == "flags")
        elif kind == "struct":
            self._struct(name)

    def _prefix(self, d: dict[str, Any], default: str) -> str:
        if d.get("enum-name"):
            return c_name(d["enum-name"])
        return c_name(d.get("name-prefix", default)).rstrip("_")

    def _enum(self, d: dict[str, Any], flags: bool) -> type[enum.IntEnum] | type[enum.IntFlag]:
        members: list[tuple[str, int]] = []
        value = int(d.get("value-start", 0))
        seen: set[str] = set()
        for entry in d.get("entries", []):
            ename = entry if isinstance(entry, str) else entry["name"]
            if isinstance(entry, dict) and "value" in entry:
                value = self._const(entry["value"])
            member = _member(ename)
            if member not in seen:
                seen.add(member)
                members.append((member, (1 << value) if flags else value))
            value += 1
        cls_name = self._prefix(d, f"{self.family}-{d['name']}-")
        if flags:
            return _int_flag(cls_name, members)
        return _int_enum(cls_name, members)

    def _struct(self, name: str) -> FixedStruct:
        """The struct ``name``, made once (a struct may hold one defined after it), laid out
        as C lays it out: each integer at a multiple of its size, the whole a multiple of
        its widest member (``rtnl_link_ifmap``: 28 bytes of members, sizeof 32)."""
        made = self.spec.structs.get(name)
        if made is not None:
            return made
        d = self.struct_yaml[name]
        fixes = _MEMBER_FIXES.get((self.family, name), {})
        fields: list[Any] = []
        enums: dict[str, Any] = {}
        offset = 0
        widest = 1

        def align(to: int) -> None:
            nonlocal offset
            if offset % to:
                fields.append(cs.Padding(to - offset % to))
                offset += to - offset % to

        for m in d.get("members", []):
            mtype = fixes.get(m["name"], m["type"])
            fname = m["name"].replace("-", "_")
            self.spec.field_names[fname] = m["name"]
            if mtype == "pad":
                size = int(m["len"])
                fields.append(cs.Padding(size))
            elif mtype == "binary" and "struct" in m:
                # a struct inside: its fields spelled out, named after the member
                # (tc_htb_opt's rate: rate_cell_log ... rate_rate), as hand declarations do
                inner = self._struct(m["struct"])
                to = self.struct_align[m["struct"]]
                align(to)
                widest = max(widest, to)
                size = inner.size
                for sub in inner.construct.subcons:
                    if sub.name is None:
                        fields.append(sub)
                    else:
                        fields.append(f"{fname}_{sub.name}" / sub.subcon)
                enums.update({f"{fname}_{k}": v for k, v in inner.enums.items()})
            elif mtype == "binary":
                size = self._const(m["len"])
                fields.append(fname / cs.Bytes(size))
            else:
                con = _INT_CONS[(mtype, m.get("byte-order") == "big-endian")]
                size = con.sizeof()
                align(size)
                widest = max(widest, size)
                fields.append(fname / con)
                if "enum" in m and m["enum"] in self.spec.enums:
                    enums[fname] = self.spec.enums[m["enum"]]
            offset += size
        align(widest)
        fixed = FixedStruct(name.replace("-", "_"), cs.Struct(*fields), c_name(name).lower(), enums)
        self.spec.structs[name] = fixed
        self.struct_align[name] = widest
        return fixed

    # -- attribute sets

    def _attr_set(self, name: str) -> AttrSet:
        made = self.spec.attr_sets.get(name)
        if made is not None:
            return made
        y = self.set_yaml[name]
        parent = self.set_yaml.get(y["subset-of"]) if "subset-of" in y else None
        root = parent if parent is not None else y
        prefix = self._prefix(root, self._default_prefix(root))
        # numbering (and the enum) is the full set's: a subset names some of its attributes
        numbers: dict[str, int] = {}
        full: dict[str, dict[str, Any]] = {}
        value = 1
        for a in root["attributes"]:
            if "value" in a:
                value = int(a["value"])
            numbers[a["name"]] = value
            full[a["name"]] = a
            value += 1
        enum_cls: type[enum.IntEnum]
        if parent is not None:
            enum_cls = self._attr_set(y["subset-of"]).enum
        else:
            # attribute 0 is the kernel's <PREFIX>_UNSPEC (it names an empty set's enum too)
            members, seen = ([], set()) if 0 in numbers.values() else ([("UNSPEC", 0)], {"UNSPEC"})
            strip = len(prefix) + 1 if "name-prefix" not in root else 0  # IFA_ADDRESS: IFA.ADDRESS
            for aname, num in numbers.items():
                member = _member(c_name(aname)[strip:] if c_name(aname).startswith(prefix + "_") else aname)
                if member not in seen:
                    seen.add(member)
                    members.append((member, num))
            enum_cls = _int_enum(prefix, members)
        kinds: dict[Any, Kind] = {}
        names: dict[int, str] = {}
        multi: set[int] = set()
        for a in y["attributes"]:
            merged = {**full.get(a["name"], {}), **a}
            num = numbers[a["name"]]
            names[num] = a["name"]
            if merged.get("multi-attr"):
                multi.add(num)
            kind = self._kind(name, merged)
            if kind is not None:
                kinds[enum_cls(num)] = kind
        set_label = prefix if parent is None else f"{prefix}({name})"
        attr_set = AttrSet(enum_cls, kinds, name=set_label, spec_names=names, multi=multi, spec_set=name)
        self.spec.attr_sets[name] = attr_set
        return attr_set

    def _default_prefix(self, root: dict[str, Any]) -> str:
        """The C prefix of a set that names none: generic netlink's ``<family>-a-<set>-``; a
        netlink-raw set's attributes carry theirs (``ifa-address``: IFA), else the set's name."""
        if self.protocol != "netlink-raw":
            return f"{self.family}-a-{root['name']}-"
        names = [a["name"] for a in root["attributes"]]
        first = names[0].split("-")[0] + "-" if names else ""
        if first != "-" and all(n.startswith(first) and len(n) > len(first) for n in names):
            return first
        return f"{root['name']}-"

    def _lazy(self, name: str) -> Callable[[], AttrSet]:
        return lambda: self._attr_set(name)

    def _int(self, a: dict[str, Any], atype: str) -> Kind:
        big = a.get("byte-order") == "big-endian"
        checks = a.get("checks", {})
        low = self._const(checks["min"]) if "min" in checks else None
        high = self._const(checks["max"]) if "max" in checks else None
        if atype in ("uint", "sint"):
            var = VarUint(atype == "sint")
            return var.checked(low, high) if low is not None or high is not None else var
        enum_cls = self.spec.enums.get(a["enum"]) if "enum" in a else None
        kind = Int(("be" if big and atype != "u8" else "") + atype, _INT_CONS[(atype, big)], enum_cls)
        if low is not None or high is not None:
            kind = kind.checked(low, high)
        return kind

    def _kind(self, set_name: str, a: dict[str, Any]) -> Kind | None:
        atype = a.get("type")
        checks = a.get("checks", {})
        if atype is None or atype == "unused":
            return None
        if atype == "u32" and a.get("display-hint") == "ipv4" and a.get("byte-order") == "big-endian":
            return ipaddr  # an IPv4 address in network order (mptcp_pm's addr4)
        if atype in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "sint"):
            return self._int(a, atype)
        if atype == "string":
            low = self._const(checks.get("min-len", 0))
            high = self._const(checks["max-len"]) if "max-len" in checks else None
            return String(low, high) if low or high is not None else String()
        if atype == "flag":
            return flag
        if atype == "pad":
            return Binary()
        if atype == "bitfield32":
            return bitfield32
        if atype == "binary":
            return self._binary(a, checks)
        if atype == "nest":
            if "nested-attributes" not in a:
                return Binary()
            return self._nest(set_name, a)
        if atype == "nest-type-value":
            inner: Kind = Nested(self._lazy(a["nested-attributes"]))
            for _ in a.get("type-value", ["index"]):
                inner = IndexedMap(inner)
            return inner
        if atype == "indexed-array":
            sub = a.get("sub-type", "binary")
            if sub == "nest":
                item: Kind | None = Nested(self._lazy(a["nested-attributes"]))
            else:
                item = self._kind(set_name, {**a, "type": sub, "multi-attr": False})
            return NestedArray(item or Binary(), 1)
        if atype == "sub-message":
            return self._sub_message(set_name, a)
        raise ValueError(f"{self.family}: attribute {a['name']!r} has unknown type {atype!r}")

    def _binary(self, a: dict[str, Any], checks: Mapping[str, Any]) -> Kind:
        if "struct" in a:
            return StructKind(self._struct(a["struct"]))
        sub = a.get("sub-type")
        if sub in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"):
            item = Int(sub, _INT_CONS[(sub, a.get("byte-order") == "big-endian")])
            return ArrayKind(item)
        hint = a.get("display-hint")
        if hint == "mac":
            return hwaddr
        if hint in ("ipv4", "ipv6", "ipv4-or-v6"):
            return ipaddr
        if "exact-len" in checks:
            n = self._const(checks["exact-len"])
            return Binary(n, n)
        low = self._const(checks.get("min-len", 0))
        high = self._const(checks["max-len"]) if "max-len" in checks else None
        return Binary(low, high) if low or high is not None else Binary()

    def _sub_message(self, set_name: str, a: dict[str, Any]) -> Kind:
        sub = self.sub_messages[a["sub-message"]]
        choices: dict[Any, Kind] = {}
        for fmt in sub.get("formats", []):
            fixed = self._struct(fmt["fixed-header"]) if "fixed-header" in fmt else None
            if "attribute-set" in fmt:
                nested = self._lazy(fmt["attribute-set"])
                choices[fmt["value"]] = StructThenAttrs(fixed, nested) if fixed is not None else Nested(nested)
            elif fixed is not None:
                choices[fmt["value"]] = StructKind(fixed)
            else:
                choices[fmt["value"]] = Binary()
        found = self._sibling(set_name, a["selector"])
        if found is None:
            # the selector is an enclosing set's (tc's stats2 app by the message's kind): the
            # nest holding this set is chosen by it (see _kind's "nest"); alone, bytes
            return Binary()
        number, other = found
        # a selector of enum values (nftables' object type) chooses by their numbers
        enum_cls = self.spec.enums.get(other.get("enum", ""))
        if enum_cls is not None:
            by_name = {m.name: int(m) for m in enum_cls}
            choices = {by_name.get(_member(str(v)), v): k for v, k in choices.items()}
        return BySibling(number, choices, Binary())

    def _sibling(self, set_name: str, name: str) -> tuple[int, dict[str, Any]] | None:
        """The number and YAML of attribute ``name`` of set ``set_name`` (None: it has none)."""
        owner = self.set_yaml[set_name]
        root = self.set_yaml.get(owner.get("subset-of", ""), owner)
        number = 1
        for other in root["attributes"]:
            number = int(other.get("value", number))
            if other["name"] == name:
                return number, other
            number += 1
        return None

    def _nest(self, set_name: str, a: dict[str, Any]) -> Kind:
        """A nest; one whose set has a sub-message chosen by an attribute of *this* set (YNL's
        selector looked up in the enclosing set) is chosen by it, the member of the chosen kind."""
        inner = a["nested-attributes"]
        for m in self.set_yaml[inner]["attributes"]:
            if m.get("type") != "sub-message" or self._sibling(inner, m["selector"]) is not None:
                continue
            if self._sibling(set_name, m["selector"]) is not None:
                found = self._sibling(inner, m["name"])
                assert found is not None
                return nested_choosing(self._lazy(inner), found[0], self._sub_message(set_name, m))
        return Nested(self._lazy(inner))

    # -- operations

    def _header(self, name: str | None) -> FixedStruct | None:
        if name is None:
            return None
        fixed = self._struct(name)
        if self.protocol == "netlink-raw":
            return fixed
        # generic netlink: genlmsghdr, then the family's header
        return FixedStruct("genlmsghdr", cs.Struct(*genlmsghdr.subcons, *fixed.construct.subcons),
                           f"GenlMsgHdr_{fixed.name}", fixed.enums)

    def _operations(self) -> None:
        ops_yaml = self.raw.get("operations", {})
        directional = ops_yaml.get("enum-model") == "directional"
        family_header = ops_yaml.get("fixed-header")
        op_prefix = c_name(ops_yaml.get("name-prefix", f"{self.family}-cmd-")).rstrip("_")
        req = rsp = 1
        by_name: dict[str, dict[str, Any]] = {}
        for op in ops_yaml.get("list", []):
            by_name[op["name"]] = op
            value, reply_value, notify = self._numbers(op, directional, req, rsp)
            if directional:
                if value is not None:
                    req = value + 1
                if reply_value is not None:
                    rsp = reply_value + 1
            else:
                req = rsp = (value if value is not None else req) + 1
            set_name = op.get("attribute-set")
            if set_name is None and "notify" in op:
                set_name = by_name.get(op["notify"], {}).get("attribute-set")
            attributes: dict[str, tuple[str, ...]] = {}
            for mode in ("do", "dump"):
                body = op.get(mode)
                if not isinstance(body, dict):
                    continue
                for part in ("request", "reply"):
                    if isinstance(body.get(part), dict):
                        attributes[f"{mode}-{part}"] = tuple(body[part].get("attributes", []))
            if "event" in op:
                attributes["event"] = tuple(op["event"].get("attributes", []))
            if "notify" in op:
                src = by_name.get(op["notify"], {})
                for mode in ("do", "dump"):
                    reply = (src.get(mode) or {}).get("reply") if isinstance(src.get(mode), dict) else None
                    if isinstance(reply, dict):
                        attributes.setdefault("event", tuple(reply.get("attributes", [])))
            header_name = op.get("fixed-header", family_header)
            self.spec.ops[op["name"]] = SpecOp(
                op["name"], value, reply_value,
                self._attr_set(set_name) if set_name in self.set_yaml else None,
                self._header(header_name), attributes, op.get("mcgrp"), notify,
            )
        self.spec.header = self._header(family_header)
        for g in self.raw.get("mcast-groups", {}).get("list", []):
            self.spec.mcast_groups[g["name"]] = g.get("value")
        if self.protocol.startswith("genetlink"):
            self.spec.genl = self._genl(op_prefix, directional)

    def _numbers(
        self, op: dict[str, Any], directional: bool, req: int, rsp: int
    ) -> tuple[int | None, int | None, bool]:
        """(request command, reply command, is a notification) of an operation."""
        notify = "notify" in op or "event" in op
        if not directional:
            value = int(op.get("value", req))
            has_reply = notify or any(
                isinstance(op.get(m), dict) and "reply" in op[m] for m in ("do", "dump"))
            return (None if notify else value), (value if has_reply else None), notify
        if notify:
            return None, int(op.get("value", rsp)), True
        request: int | None = None
        reply: int | None = None
        for mode in ("do", "dump"):
            body = op.get(mode)
            if not isinstance(body, dict):
                continue
            if isinstance(body.get("request"), dict):
                request = int(body["request"].get("value", request if request is not None else req))
            if isinstance(body.get("reply"), dict):
                reply = int(body["reply"].get("value", reply if reply is not None else rsp))
        return (req if request is None else request), reply, False

    def _genl(self, op_prefix: str, directional: bool) -> GenlFamilySpec:
        ops: list[GenlOpSpec] = []
        commands: dict[str, int] = {}
        replies: dict[str, int] = {}
        for op in self.spec.ops.values():
            const = f"{op_prefix}_{c_name(op.name)}"
            subsets = {}
            if op.attr_set is not None:
                for key, names in op.attributes.items():
                    subsets[key] = frozenset(op.attr_set.type_of(n) for n in names)
            reply_const = f"{const}_REPLY" if directional and not op.notify and op.reply_value is not None else const
            ops.append(GenlOpSpec(
                op.name, op.value if op.value is not None else -1, op.attr_set, const, op.reply_value,
                reply_const, op.header, subsets, op.mcgrp,
            ))
            if op.value is not None:
                commands.setdefault(_member(op.name), op.value)
            if op.reply_value is not None:
                replies.setdefault(reply_const.removeprefix(f"{op_prefix}_"), op.reply_value)
        sets = {id(o.attrs): o.attrs for o in ops if o.attrs is not None}
        family_set = next(iter(sets.values())) if len(sets) == 1 else None
        cmd_enum = _int_enum(op_prefix, list(commands.items())) if commands else None
        header = self.spec.header
        if header is None and directional and cmd_enum is not None and replies:
            # the kernel numbers its messages apart from the requests: a reply's cmd is named
            # by the replies' names (ETHTOOL_MSG_LINKMODES_GET_REPLY), a request's by the requests'
            reply_enum = _int_enum(op_prefix, list(replies.items()))
            header = FixedStruct("genlmsghdr", genlmsghdr, "GenlMsgHdr", {"cmd": reply_enum},
                                 request_enums={"cmd": cmd_enum})
        if header is None:
            return GenlFamilySpec(self.family, family_set, cmd_enum, ops=tuple(ops),
                                  mcast_groups=tuple(self.spec.mcast_groups))
        return GenlFamilySpec(self.family, family_set, cmd_enum, header, tuple(ops), tuple(self.spec.mcast_groups))

