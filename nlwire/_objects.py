"""Fast constructors for the objects a dump makes by the ten thousand.

Turning a 22,000-route dump into :class:`~nlwire.rtnl.Route` results, the decoding is the
smaller part of the cost; most of it is in two standard constructors:

* a frozen, slotted dataclass's ``__init__`` sets each field through
  ``object.__setattr__`` (about 100 ns a field, 1.5 µs for a route);
* an :mod:`ipaddress` network's constructor splits and range-checks its argument and
  builds its address (about 1 µs).

:func:`maker` makes the *same* instance for a fifth of that, :func:`network` the same
network for a third to a half. Neither relies on anything it has not checked: each compares what it makes with what the
public constructor makes, once, before it is first used, and falls back to the public
constructor wherever the two differ. On a Python whose classes keep other state, the
results stay right and only the speed is lost.

:func:`named_repr` gives the same results a ``repr()`` that names enum values as their
kernel struct's declaration does. The generated constructors run through
:func:`nlwire.wire.compiler.run_source`, so tracebacks and :mod:`inspect` show their lines.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import types
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from nlwire.wire.compiler import run_source

if TYPE_CHECKING:
    from nlwire.wire.fixed import FixedStruct

__all__ = ["maker", "named_repr", "network"]

T = TypeVar("T")

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# ------------------------------------------------------------------------ dataclasses


def maker(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for the frozen, slotted dataclass ``cls``: every field in
    declaration order, no defaults, nothing validated (there is no ``__post_init__`` to
    run). It makes the instance ``cls(...)`` makes, with the statements of
    :func:`constructor`."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    lines, env = constructor(cls, names)
    source = f"def make_{cls.__name__}({', '.join(names)}):\n" + "".join(f"    {line}\n" for line in lines)
    run_source(source, f"objects.maker {cls.__name__}", env)
    make: Callable[..., T] = env[f"make_{cls.__name__}"]
    if not _fast(cls):
        make.__name__ += "_slow"
    return make


def constructor(cls: type, exprs: list[str], into: str = "self") -> tuple[list[str], dict[str, Any]]:
    """Python statements (and the names they use) that make an instance of the frozen,
    slotted dataclass ``cls`` from ``exprs``, one expression per field in declaration order,
    into the local ``into``, and return it: code generators paste them where the values are.

    The instance is made as one of a twin class with the same slots and no frozen
    ``__setattr__``, so each field is a plain slot store, and is then given its class
    (``__class__`` assignment between classes of the same layout). If that assignment is
    refused, or a sample made this way differs from one ``cls(...)`` makes, the statements
    set each slot through its descriptor instead (what the dataclass ``__init__`` does
    through ``object.__setattr__`` per field, at half the cost)."""
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only plain fields can be set directly")
    names = [f.name for f in fields]
    if len(exprs) != len(names):
        raise TypeError(f"{cls.__name__} has {len(names)} fields, not {len(exprs)}")
    env: dict[str, Any] = {"_new_": object.__new__, f"_cls_{cls.__name__}": cls}
    if _fast(cls):
        env[f"_twin_{cls.__name__}"] = _TWINS[cls]
        lines = [f"{into} = _new_(_twin_{cls.__name__})"]
        lines += [f"{into}.{name} = {expr}" for name, expr in zip(names, exprs, strict=True)]
        lines.append(f"{into}.__class__ = _cls_{cls.__name__}")
    else:
        lines = [f"{into} = _new_(_cls_{cls.__name__})"]
        for name, expr in zip(names, exprs, strict=True):
            env[f"_set_{cls.__name__}_{name}"] = cls.__dict__[name].__set__
            lines.append(f"_set_{cls.__name__}_{name}({into}, {expr})")
    return [*lines, f"return {into}"], env


_TWINS: weakref.WeakKeyDictionary[type, type | None] = weakref.WeakKeyDictionary()
"""Per class: its checked twin (see :func:`constructor`), or None where the twin makes no
instance equal to the class's own."""


def _fast(cls: type) -> bool:
    """``cls``'s instances may be made as its twin's (checked once per class)."""
    if cls not in _TWINS:
        names = [f.name for f in dataclasses.fields(cls)]
        for name in names:
            if not isinstance(cls.__dict__.get(name), types.MemberDescriptorType):
                raise TypeError(f"{cls.__name__}.{name} is not a slot")
        twin = type(f"_{cls.__name__}Twin", (), {"__slots__": tuple(names), "__module__": __name__})
        sample = [object() for _ in names]  # one distinct object per field
        made: Any = object.__new__(twin)
        for name, value in zip(names, sample, strict=True):
            setattr(made, name, value)
        try:
            made.__class__ = cls
        except TypeError:  # __class__ assignment refused: the layouts differ
            made = None
        ref = cls(*sample)
        same = type(made) is cls and all(getattr(made, n) is getattr(ref, n) for n in names)
        _TWINS[cls] = twin if same else None
    return _TWINS[cls] is not None


def named_repr(fixed: FixedStruct) -> Callable[[Any], str]:
    """A dataclass ``__repr__`` (set it in the class body, where ``@dataclass`` keeps it) that
    shows each field whose name is a field of the kernel struct ``fixed`` the way that
    struct's record does, with the enum its declaration attaches:
    ``Route(family=AF.INET, ..., table=RT_TABLE.MAIN, ...)``; other fields as ``repr()``."""

    def __repr__(self: Any) -> str:
        body = ", ".join(
            f"{f.name}={fixed.value_repr(f.name, getattr(self, f.name))}"
            for f in dataclasses.fields(self)
            if f.repr
        )
        return f"{type(self).__qualname__}({body})"

    return __repr__


# ------------------------------------------------------------------------ networks


def _public(net: type[IPNetwork], number: int, prefixlen: int) -> IPNetwork:
    try:
        return net((number, prefixlen))
    except ValueError:  # host bits set: cleared, as the kernel would have
        return net((number, prefixlen), strict=False)


def _state(obj: object) -> tuple[Any, ...]:
    """What an ipaddress object holds: its slots (all classes) and its ``__dict__``; a
    bound ``hosts`` stands in as what it returns."""
    missing = "<unset>"
    out: list[Any] = [type(obj)]
    for klass in type(obj).__mro__:
        for name in klass.__dict__.get("__slots__", ()):
            if name not in ("__dict__", "__weakref__"):
                value = getattr(obj, name, missing)
                out.append((name, _state(value) if isinstance(value, ipaddress._IPAddressBase) else value))
    for name, value in sorted(getattr(obj, "__dict__", {}).items()):
        if name == "hosts":
            value = ("hosts", list(value()))
        elif isinstance(value, ipaddress._IPAddressBase):
            value = _state(value)
        out.append((name, value))
    return tuple(out)


class _Networks:
    """Networks of one family from ``(number, prefixlen)``, made directly for the prefix
    lengths where a made network has been checked equal, in every piece of its state, to
    the one the public constructor makes. The other lengths, and numbers with host bits
    set, go through the public constructor."""

    def __init__(self, net: Any) -> None:  # IPv4Network or IPv6Network (or a subclass); private parts untyped
        self.net = net
        bits = net._max_prefixlen
        # per prefix length: (mask as an int, the netmask object every network shares), or
        # None where the shortcut is not taken
        self.masks: list[tuple[int, Any] | None] = []
        for plen in range(bits + 1):
            netmask, _ = net._make_netmask(plen)
            self.masks.append((int(netmask), netmask))
        size = bits // 8
        self.table = (net, net._address_class, self.masks, bits, net._version == 6)
        """What :func:`_from_bytes` makes this family's networks with."""
        self.from_bytes = _from_bytes({size: self.table})
        # each prefix length, checked with a sample number (the top bits of 0xa5a5..., masked)
        all_ones = (1 << bits) - 1
        sample = int.from_bytes(bytes([0xA5]) * size, "big")
        for plen in range(bits + 1):
            number = sample & (all_ones ^ (all_ones >> plen))
            try:
                made = self.from_bytes(number.to_bytes(size, "big"), plen)
                ok = _state(made) == _state(net((number, plen)))
            except Exception:
                ok = False
            if not ok:
                self.masks[plen] = None


Table = tuple[Any, Any, list[tuple[int, Any] | None], int, bool]


def _from_bytes(tables: dict[int, Table], more: Callable[[int], Table | None] | None = None
                ) -> Callable[[bytes, int], IPNetwork | bytes]:
    """:func:`network` for the families of ``tables`` (by address length; ``more`` gives the
    table of a length not there yet, or None). The network's state is set as Python 3.11's
    ``__init__`` leaves it: the address, the shared netmask, the prefix length, and for
    the last two prefix lengths the ``hosts`` the constructor puts on the instance.
    Whether that holds on the running Python is what :class:`_Networks` checks, per
    prefix length (a length that fails has no mask: the public constructor makes it).
    One function for both families: a dump pays one call per network."""
    new, public, to_int, lookup = object.__new__, _public, int.from_bytes, tables.get

    def from_bytes(raw: bytes, plen: int) -> IPNetwork | bytes:
        table = lookup(len(raw))
        if table is None:
            table = more(len(raw)) if more is not None else None
            if table is None:
                return raw
        net, addr, masks, last, v6 = table
        number = to_int(raw, "big")
        if not 0 <= plen <= last:
            return raw
        mask = masks[plen]
        if mask is None or number & mask[0] != number:
            return public(net, number, plen)
        address = new(addr)
        address._ip = number
        if v6:
            address._scope_id = None
        made: Any = new(net)
        made.network_address = address
        made.netmask = mask[1]
        made._prefixlen = plen
        if plen >= last - 1:
            made.hosts = [address].copy if plen == last else made.__iter__
        return made  # type: ignore[no-any-return]  # (typing.cast would cost a call per network)

    return from_bytes


_TABLES: dict[int, Table] = {}


def _family(size: int) -> Table | None:
    """The table of the IP family whose addresses are ``size`` bytes, made on first use."""
    if size not in (4, 16):
        return None
    table = _TABLES[size] = _Networks(ipaddress.IPv4Network if size == 4 else ipaddress.IPv6Network).table
    return table


network = _from_bytes(_TABLES, _family)
network.__name__ = network.__qualname__ = "network"
network.__doc__ = """``network(raw, prefixlen)``: the network ``raw/prefixlen`` (``raw``: a 4- or 16-byte
address in network order), equal in type and every piece of state to
``ipaddress.ip_network((int, prefixlen))``; host bits are cleared as ``strict=False`` clears
them. ``raw`` of any other length, or a prefix length out of range, comes back as ``raw``
itself."""
