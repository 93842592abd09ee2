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
kernel struct's declaration does. :func:`run_source` runs generated source so that tracebacks
and :mod:`inspect` show its lines.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
import linecache
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from nlwire.wire.fixed import FixedStruct

__all__ = ["maker", "named_repr", "network", "run_source"]

T = TypeVar("T")

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# ------------------------------------------------------------------------ generated code

_SERIAL = itertools.count(1)


def run_source(source: str, label: str, env: dict[str, Any]) -> dict[str, Any]:
    """Execute generated ``source`` in ``env`` (which it fills and returns) under the file
    name ``<nlwire LABEL #N>``, whose lines are registered with :mod:`linecache`: a
    traceback through the generated code shows the line that failed, and
    ``inspect.getsource`` finds each generated function."""
    filename = f"<nlwire {label} #{next(_SERIAL)}>"
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)  # no mtime: never checked against a file
    exec(compile(source, filename, "exec"), env)
    return env


# ------------------------------------------------------------------------ dataclasses


def maker(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for the frozen, slotted dataclass ``cls``: every field in
    declaration order, no defaults, nothing validated (there is no ``__post_init__`` to
    run). It makes the instance ``cls(...)`` makes.

    The instance is made as one of a twin class with the same slots and no frozen
    ``__setattr__``, so each field is a plain slot store, and is then given its class
    (``__class__`` assignment between classes of the same layout). If that assignment is
    refused, or a sample made this way differs from one ``cls(...)`` makes, the
    constructor sets each slot through its descriptor instead."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only plain fields can be set directly")
    names = [f.name for f in fields]
    for name in names:
        if not isinstance(cls.__dict__.get(name), types.MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{name} is not a slot")
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": tuple(names), "__module__": __name__})
    args = ", ".join(names)
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_twin": twin}
    fast = [f"def make_{cls.__name__}({args}):", "    self = _new(_twin)"]
    fast += [f"    self.{name} = {name}" for name in names]
    fast += ["    self.__class__ = _cls", "    return self"]
    # the fallback: object.__new__ plus each slot's setter (what the dataclass __init__
    # does through object.__setattr__ per field, at half the cost)
    slow = [f"def make_{cls.__name__}_slow({args}):", "    self = _new(_cls)"]
    for name in names:
        env[f"_set_{name}"] = cls.__dict__[name].__set__
        slow.append(f"    _set_{name}(self, {name})")
    slow.append("    return self")
    # generated from the field names, as dataclasses generates __init__
    run_source("\n".join(fast) + "\n\n" + "\n".join(slow) + "\n", f"maker {cls.__name__}", env)
    make: Callable[..., T] = env[f"make_{cls.__name__}"]
    sample = [object() for _ in names]  # one distinct object per field
    try:
        made = make(*sample)
    except TypeError:  # __class__ assignment refused: the layouts differ
        made = None
    ref = cls(*sample)
    if type(made) is not cls or any(getattr(made, n) is not getattr(ref, n) for n in names):
        make = env[f"make_{cls.__name__}_slow"]
    return make


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
        self.from_bytes = self._compile(net)
        # each prefix length, checked with a sample number (the top bits of 0xa5a5..., masked)
        all_ones = (1 << bits) - 1
        sample = int.from_bytes(bytes([0xA5]) * (bits // 8), "big")
        for plen in range(bits + 1):
            number = sample & (all_ones ^ (all_ones >> plen))
            try:
                made = self.from_bytes(number.to_bytes(bits // 8, "big"), plen)
                ok = _state(made) == _state(net((number, plen)))
            except Exception:
                ok = False
            if not ok:
                self.masks[plen] = None

    def _compile(self, net: Any) -> Callable[[bytes, int], IPNetwork | bytes]:
        """:func:`network` for this family's address length. The network's state is set
        as Python 3.11's ``__init__`` leaves it: the address, the shared netmask, the
        prefix length, and for the last two prefix lengths the ``hosts`` the constructor
        puts on the instance. Whether that holds on the running Python is what
        ``__init__`` checks, per prefix length."""
        new, addr, masks, public, to_int = object.__new__, net._address_class, self.masks, _public, int.from_bytes
        last = net._max_prefixlen
        v6 = net._version == 6

        def from_bytes(raw: bytes, plen: int) -> IPNetwork | bytes:
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


_BY_LENGTH: dict[int, Callable[[bytes, int], IPNetwork | bytes]] = {}


def network(raw: bytes, prefixlen: int) -> IPNetwork | bytes:
    """The network ``raw/prefixlen`` (``raw``: a 4- or 16-byte address in network order),
    equal in type and every piece of state to ``ipaddress.ip_network((int, prefixlen))``;
    host bits are cleared as ``strict=False`` clears them. ``raw`` of any other length, or
    a prefix length out of range, comes back as ``raw`` itself."""
    make = _BY_LENGTH.get(len(raw))
    if make is None:
        if len(raw) not in (4, 16):
            return raw
        net = ipaddress.IPv4Network if len(raw) == 4 else ipaddress.IPv6Network
        make = _BY_LENGTH[len(raw)] = _Networks(net).from_bytes
    return make(raw, prefixlen)
