"""rtnetlink jobs: links, addresses, routes, rules, neighbours and the bridge FDB, flushes, events,
veth, bridges, namespace moves.

>>> with Rtnl(netns="blue") as ip:                                 # doctest: +SKIP
...     ip.add_veth("veth0", "eth0", peer_netns="red")
...     ip.set_link("veth0", up=True, mtu=1400)
...     ip.add_address("veth0", "10.0.0.1/24")
...     ip.add_route("default", gateway="10.0.0.254")
...     print([link.name for link in ip.links()])

This module does the I/O: it sends the requests :mod:`nlwire.rtnl_jobs` builds and
makes the results with that module's recipes (:mod:`nlwire.recipe`), small frozen
dataclasses that keep no reference to the datagram they came from. Errors are typed:
:class:`~nlwire.errors.NotFound` (ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL),
:class:`~nlwire.errors.Exists` (EEXIST),
:class:`~nlwire.errors.NetlinkPermissionError` (EPERM, EACCES), otherwise
:class:`~nlwire.errors.NetlinkError`, all carrying the kernel's ext-ack. A missing
object raises ``NotFound``; the delete jobs return False instead when called with
``missing_ok=True``. A result's ``repr()`` names enum values as its kernel struct's
declaration does (``family=AF.INET, table=RT_TABLE.MAIN``).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from nlwire import rtnl_jobs as jobs
from nlwire.client import Overrun, SocketJobs
from nlwire.consts import AF, NETLINK, NLM_F, NTF, NUD, RT_TABLE, RTM, RTN
from nlwire.errors import DumpInterrupted, NotFound
from nlwire.messages import Message
from nlwire.netns import NetnsTarget, netns_pid, open_netns
from nlwire.rtnl_jobs import (
    ADDRESS,
    LINK,
    LINK_STATS,
    NEIGHBOUR,
    ROUTE,
    RULE,
    Address,
    Event,
    IPAddress,
    IPInterface,
    IPNetwork,
    Link,
    Neighbour,
    Nexthop,
    Route,
    Rule,
)

__all__ = ["Address", "Event", "Link", "Neighbour", "Nexthop", "Route", "Rtnl", "Rule"]

T = TypeVar("T")
_CREATE = NLM_F.CREATE | NLM_F.EXCL
_FLUSHED_NUD = ~(NUD.PERMANENT | NUD.NOARP) & 0xFFFF
"""The states ``ip neigh flush`` deletes: all but permanent and static (NOARP) entries."""

# the compiled recipes' parts under the names the tests have always reached them by
_link, _address, _route = LINK.from_message, ADDRESS.from_message, ROUTE.from_message
_link_at, _address_at, _route_at = LINK.at, ADDRESS.at, ROUTE.at
_LINK_PICK, _ADDR_PICK, _ROUTE_PICK = LINK.picker, ADDRESS.picker, ROUTE.picker


def _retry(make: Callable[[], Iterator[T]], attempts: int = 3) -> list[T]:
    """The whole dump as a list; a dump interrupted by concurrent changes is redone."""
    for attempt in range(attempts):
        try:
            return list(make())
        except DumpInterrupted:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _in_table(routes: Iterator[Route], table: int) -> Iterator[Route]:
    """The routes of ``table`` from a dump filtered by it."""
    try:
        for route in routes:
            if route.table == table:
                yield route
    except NotFound:
        # a strict dump filtered by a table the namespace has not created yet:
        # "FIB table does not exist" means no routes, as `ip route show` prints
        pass


@contextmanager
def _netns_ref(target: NetnsTarget) -> Iterator[tuple[int | None, int | None]]:
    """``(pid, fd)`` naming the namespace a link goes to: a process id as IFLA_NET_NS_PID
    wants it, else an fd opened for IFLA_NET_NS_FD (checked as every ``netns=`` is) and
    closed on leaving; ``(None, None)`` for no target."""
    pid = netns_pid(target) if target is not None else None
    fd = open_netns(target) if pid is None else None
    try:
        yield pid, fd
    finally:
        if fd is not None:
            os.close(fd)


# ------------------------------------------------------------------------------ the client


class Rtnl(SocketJobs):
    """An rtnetlink client: ``Rtnl(netns=None, *, timeout=10.0, capture=None, **socket_options)``.

    Every call is blocking and bounded by ``timeout``. Pass ``sock=`` to share an
    existing :class:`~nlwire.client.Socket` (it is then not closed by :meth:`close`).
    Threads may share one Rtnl: each call gets its own answers (see
    :class:`~nlwire.client.Socket`). The requests and the recipes of the results are
    in :mod:`nlwire.rtnl_jobs`; this class only sends and receives.
    """

    PROTOCOL = NETLINK.ROUTE

    def _index(self, dev: str | int | None) -> int | None:
        return None if dev is None else self.index_of(dev)

    def _delete(self, msg: Message, missing_ok: bool) -> bool:
        try:
            self.socket.request(msg)
        except NotFound:
            if missing_ok:
                return False
            raise
        return True

    # -- links --------------------------------------------------------------------------------

    def iter_links(self, *, stats: bool = False) -> Iterator[Link]:
        """Stream every link as its datagram arrives (memory: one datagram); with ``stats``,
        each with its counters (``Link.stats``, IFLA_STATS64)."""
        build = (LINK_STATS if stats else LINK).at
        return self.socket.dump(jobs.dump_links(), build=build)  # the request is sent on the first next()

    def links(self, *, stats: bool = False) -> list[Link]:
        """Every link of the namespace (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_links(stats=stats))

    def link(self, name_or_index: str | int, *, stats: bool = False) -> Link:
        """One link by name or index (``stats``: with its counters); :class:`~nlwire.errors.NotFound`
        naming it if absent (``nosuch0: No such device (ENODEV)``, also when another job looks
        up its ``dev``)."""
        subject = f"ifindex {name_or_index}" if isinstance(name_or_index, int) else name_or_index
        try:
            reply = self.socket.request(jobs.get_link(name_or_index))
        except NotFound as exc:
            raise exc.about(subject) from None
        if reply.type != RTM.NEWLINK:
            raise NotFound(errno.ENODEV, request_name="RTM_GETLINK", subject=subject)
        return (LINK_STATS if stats else LINK).from_message(reply)

    def index_of(self, name_or_index: str | int) -> int:
        """The interface index of a name (an int is returned as is)."""
        if isinstance(name_or_index, int):
            return name_or_index
        return self.link(name_or_index).index

    def _new_link(self, msg: Message, name: str) -> Link:
        self.socket.request(msg)
        return self.link(name)

    def add_veth(self, name: str, peer: str, peer_netns: NetnsTarget = None, *, mtu: int | None = None,
                 up: bool = False) -> Link:
        """``ip link add NAME type veth peer name PEER [netns NS]`` in one request; returns NAME's Link."""
        with _netns_ref(peer_netns) as (pid, fd):
            return self._new_link(jobs.new_veth(name, peer, mtu=mtu, up=up, peer_netns_pid=pid, peer_netns_fd=fd),
                                  name)

    def add_bridge(self, name: str, stp: bool = False, *, mtu: int | None = None, up: bool = False,
                   **options: Any) -> Link:
        """A bridge; ``stp`` sets IFLA_BR_STP_STATE; more IFLA_BR_* by name (``vlan_filtering=1``)."""
        return self._new_link(jobs.new_bridge(name, stp, mtu=mtu, up=up, options=options), name)

    def add_link(self, name: str, kind: str, *, link: str | int | None = None, mtu: int | None = None,
                 address: str | None = None, up: bool = False, data: Mapping[Any, Any] | None = None,
                 **options: Any) -> Link:
        """Any link kind; kind-specific IFLA_INFO_DATA attributes by name, e.g.
        ``add_link("vx0", "vxlan", id=42, port=4789)``, ``add_link("mv0", "macvlan", link="eth0", mode=4)``,
        ``add_link("vl5", "vlan", link="eth0", id=5)``. ``link`` is the parent (IFLA_LINK).
        Data for a kind whose IFLA_INFO_DATA nlwire does not declare raises EncodeError
        (``IFLA_INFO_KIND 'bond' is not declared (declared: bridge, ...)``) before sending."""
        merged: dict[Any, Any] = dict(data or {})
        merged.update(options)
        msg = jobs.new_link(name, kind, merged or None, link=self._index(link), mtu=mtu, address=address, up=up)
        return self._new_link(msg, name)

    def delete_link(self, name_or_index: str | int, *, missing_ok: bool = False) -> bool:
        """``ip link del DEV``; :class:`~nlwire.errors.NotFound` if absent, or False with ``missing_ok``."""
        return self._delete(jobs.delete_link(name_or_index), missing_ok)

    def set_link(
        self,
        name_or_index: str | int,
        *,
        up: bool | None = None,
        mtu: int | None = None,
        master: str | int | None = None,
        nomaster: bool = False,
        netns: NetnsTarget = None,
        new_name: str | None = None,
        address: str | None = None,
        txqlen: int | None = None,
        alias: str | None = None,
        group: int | None = None,
    ) -> None:
        """Change a link in ONE RTM_NEWLINK: state, mtu, master, address, txqlen, alias, group,
        name and namespace.

        With ``netns`` and ``new_name`` together the move and the rename happen
        atomically (IFLA_NET_NS_FD + IFLA_IFNAME in the same request), so the
        name never clashes in the target namespace.
        """
        if master is not None and nomaster:
            raise ValueError("master= and nomaster=True contradict each other")
        index = self.index_of(name_or_index)
        master_index = 0 if nomaster else self._index(master)
        with _netns_ref(netns) as (pid, fd):
            self.socket.request(jobs.set_link(index, up=up, mtu=mtu, master=master_index, new_name=new_name,
                                              address=address, txqlen=txqlen, alias=alias, group=group, netns_pid=pid,
                                              netns_fd=fd))

    # -- addresses ----------------------------------------------------------------------------

    def iter_addresses(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> Iterator[Address]:
        """Stream addresses (optionally of one family / one interface)."""
        index = self.index_of(dev) if dev is not None else 0
        for addr in self.socket.dump(jobs.dump_addresses(family, index), build=ADDRESS.at):
            if not index or addr.index == index:
                yield addr

    def addresses(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> list[Address]:
        """Every address (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_addresses(family, dev))

    def add_address(self, dev: str | int, address: str | IPInterface, *, peer: str | IPAddress | None = None,
                    broadcast: str | IPAddress | bool | None = None, label: str | None = None,
                    scope: int | None = None, replace: bool = False) -> None:
        """``ip addr add 10.0.0.2/24 dev DEV`` (``broadcast=True`` computes it as ``brd +``)."""
        target = jobs.address_target(address, peer, broadcast, label)
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self.socket.request(jobs.address_message(RTM.NEWADDR, target, self.index_of(dev), scope=scope, flags=flags))

    def delete_address(self, dev: str | int, address: str | IPInterface, *, missing_ok: bool = False) -> bool:
        """``ip addr del ADDRESS dev DEV``; :class:`~nlwire.errors.NotFound` if the address is
        absent, or False with ``missing_ok`` (a missing DEV raises either way)."""
        target = jobs.address_target(address)
        return self._delete(jobs.address_message(RTM.DELADDR, target, self.index_of(dev)), missing_ok)

    def flush_addresses(self, dev: str | int, family: int = AF.UNSPEC) -> list[Address]:
        """``ip addr flush dev DEV``: delete every address of the device (of one family), in one
        call. Returns the addresses deleted; secondaries go before their primary, so each is
        deleted by its own request (one that went away meanwhile is not among them)."""
        return self._flush(reversed(self.addresses(family, dev)))

    def _flush(self, listed: Iterable[Address | Route | Neighbour]) -> list[Any]:
        """Delete each of ``listed``; the ones deleted (not those already gone)."""
        return [item for item in listed if self._delete(jobs.deleting(item), missing_ok=True)]

    # -- routes -------------------------------------------------------------------------------

    def iter_routes(self, family: int = AF.UNSPEC, table: int | None = RT_TABLE.MAIN) -> Iterator[Route]:
        """Stream routes of ``table`` (None: every table) like ``ip route show [table T]``.
        Cloned (cache) routes are left out."""
        dump = self.socket.dump(jobs.dump_routes(family, table), build=ROUTE.at)  # sent on the first next()
        return dump if table is None else _in_table(dump, table)

    def routes(self, family: int = AF.UNSPEC, table: int | None = RT_TABLE.MAIN) -> list[Route]:
        """Every route of ``table`` (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_routes(family, table))

    def add_route(
        self,
        dest: str | IPNetwork | IPAddress,
        *,
        dev: str | int | None = None,
        gateway: str | IPAddress | None = None,
        src: str | IPAddress | None = None,
        table: int | None = None,
        metric: int | None = None,
        protocol: int | None = None,
        scope: int | None = None,
        type: int = RTN.UNICAST,
        replace: bool = False,
        metrics: Mapping[str | int, int | str] | None = None,
    ) -> None:
        """``ip route add|replace DEST [via GW] [dev DEV] [src SRC] [table T] [metric M]``, with
        ``metrics`` by RTAX_* name (``{"mtu": 1400, "advmss": 1360}``, as ``Route.metrics``).

        ``dest`` may be ``default``, ``0.0.0.0/0`` or ``::/0`` for a default route.
        Only a device and no gateway gives a link-scope route. ``replace`` sends
        NLM_F_REPLACE|NLM_F_CREATE, else NLM_F_CREATE|NLM_F_EXCL. A gateway or
        source of another family than ``dest`` raises EncodeError before sending.
        """
        target = jobs.route_target(dest, gateway, src)
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self.socket.request(jobs.route_message(RTM.NEWROUTE, target, oif=self._index(dev), table=table, metric=metric,
                                               protocol=protocol, scope=scope, type=type, flags=flags,
                                               metrics=metrics))

    def delete_route(
        self,
        dest: str | IPNetwork | IPAddress,
        *,
        dev: str | int | None = None,
        gateway: str | IPAddress | None = None,
        table: int | None = None,
        metric: int | None = None,
        missing_ok: bool = False,
    ) -> bool:
        """``ip route del DEST [via GW] [dev DEV] [table T]``; :class:`~nlwire.errors.NotFound` if
        the route is absent, or False with ``missing_ok`` (a missing DEV raises either way)."""
        target = jobs.route_target(dest, gateway)
        msg = jobs.route_message(RTM.DELROUTE, target, oif=self._index(dev), table=table, metric=metric)
        return self._delete(msg, missing_ok)

    def flush_routes(self, *, table: int | None = RT_TABLE.MAIN, dev: str | int | None = None,
                     family: int = AF.UNSPEC) -> list[Route]:
        """``ip route flush [table T] [dev DEV]``: delete every route of ``table`` (None: of
        every table) through ``dev`` (a multipath route when a path does), in one call.
        Returns the routes deleted (one that went away meanwhile is not among them)."""
        index = self._index(dev)
        return self._flush(r for r in self.routes(family, table)
                           if index is None or r.oif == index or any(h.oif == index for h in r.multipath))

    def route_get(self, dst: str | IPAddress, *, src: str | IPAddress | None = None,
                  iif: str | int | None = None, oif: str | int | None = None, mark: int | None = None,
                  uid: int | None = None) -> Route:
        """``ip route get DST [from SRC] [iif DEV] [oif DEV] [mark M] [uid U]``: the route the
        kernel would use, as a host route ``Route`` with its output device (``oif``),
        ``gateway``, preferred source (``prefsrc``), table and metrics;
        :class:`~nlwire.errors.NetlinkError` (ENETUNREACH...) when there is none."""
        reply = self.socket.request(jobs.get_route(dst, src=src, iif=self._index(iif), oif=self._index(oif),
                                                   mark=mark, uid=uid))
        return ROUTE.from_message(reply)

    # -- neighbours ---------------------------------------------------------------------------

    def iter_neighbours(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> Iterator[Neighbour]:
        """Stream the neighbour cache (of one family, of one device) like ``ip neigh show nud all``;
        ``family=AF.BRIDGE`` streams the bridge forwarding database, like ``bridge fdb show``."""
        index = self.index_of(dev) if dev is not None else 0
        for neigh in self.socket.dump(jobs.dump_neighbours(family, index), build=NEIGHBOUR.at):
            if not index or neigh.ifindex == index:
                yield neigh

    def neighbours(self, family: int = AF.UNSPEC, dev: str | int | None = None) -> list[Neighbour]:
        """Every neighbour entry (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_neighbours(family, dev))

    def add_neighbour(self, dev: str | int, dst: str | IPAddress, lladdr: str | None = None, *,
                      state: int = NUD.PERMANENT, router: bool = False, replace: bool = False) -> None:
        """``ip neigh add|replace DST lladdr LLADDR dev DEV [nud STATE] [router]`` (``state``:
        NUD_* bits, permanent as ``ip`` defaults to)."""
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self.socket.request(jobs.neighbour_message(RTM.NEWNEIGH, self.index_of(dev), dst, lladdr, state=state,
                                                   flags=NTF.ROUTER if router else 0, nlm_flags=flags))

    def delete_neighbour(self, dev: str | int, dst: str | IPAddress, *, missing_ok: bool = False) -> bool:
        """``ip neigh del DST dev DEV``; :class:`~nlwire.errors.NotFound` if the entry is absent,
        or False with ``missing_ok`` (a missing DEV raises either way)."""
        return self._delete(jobs.neighbour_message(RTM.DELNEIGH, self.index_of(dev), dst), missing_ok)

    def flush_neighbours(self, dev: str | int, family: int = AF.UNSPEC, *, permanent: bool = False
                         ) -> list[Neighbour]:
        """``ip neigh flush dev DEV``: delete the device's entries but permanent and static
        (NOARP) ones -- every entry with ``permanent=True`` (``nud all``). Returns the
        entries deleted (one that went away meanwhile is not among them)."""
        index = self.index_of(dev)
        wanted = 0xFFFF if permanent else _FLUSHED_NUD
        return self._flush(n for n in self.neighbours(family, index)
                           if n.dst is not None and (not n.state or n.state & wanted))

    # -- the bridge forwarding database -------------------------------------------------------

    def fdb(self, dev: str | int | None = None) -> list[Neighbour]:
        """``bridge fdb show [dev DEV]``: the FDB entries (``family=AF.BRIDGE``) of every device
        or of one (a bridge port's, or a device's own, ``NTF.SELF``)."""
        return self.neighbours(AF.BRIDGE, dev)

    def _fdb_message(self, mtype: int, lladdr: str, dev: str | int, master: bool, static: bool,
                     nlm_flags: int = 0) -> Message:
        # as `bridge fdb` sends it: NUD_NOARP, and NUD_PERMANENT (a local address) unless static
        state = NUD.NOARP | (NUD.REACHABLE if static else NUD.PERMANENT)
        return jobs.neighbour_message(mtype, self.index_of(dev), None, lladdr, family=AF.BRIDGE, state=state,
                                      flags=NTF.MASTER if master else NTF.SELF, nlm_flags=nlm_flags)

    def add_fdb(self, lladdr: str, dev: str | int, *, master: bool = True, static: bool = False,
                replace: bool = False) -> None:
        """``bridge fdb add|replace LLADDR dev DEV master [static]``: an entry of the bridge
        DEV is a port of (``master=False``: of DEV's own table, ``self``); without
        ``static`` it is ``permanent`` (local), as ``bridge`` defaults to."""
        flags = NLM_F.CREATE | NLM_F.REPLACE if replace else _CREATE
        self.socket.request(self._fdb_message(RTM.NEWNEIGH, lladdr, dev, master, static, flags))

    def delete_fdb(self, lladdr: str, dev: str | int, *, master: bool = True, missing_ok: bool = False) -> bool:
        """``bridge fdb del LLADDR dev DEV master``; :class:`~nlwire.errors.NotFound` if absent,
        or False with ``missing_ok``."""
        return self._delete(self._fdb_message(RTM.DELNEIGH, lladdr, dev, master, False), missing_ok)

    # -- rules --------------------------------------------------------------------------------

    def iter_rules(self, family: int = AF.UNSPEC) -> Iterator[Rule]:
        """Stream the policy routing rules (of one family: ``ip -4 rule``, ``ip -6 rule``)."""
        return self.socket.dump(jobs.dump_rules(family), build=RULE.at)  # sent on the first next()

    def rules(self, family: int = AF.UNSPEC) -> list[Rule]:
        """Every rule (the dump is retried if it was interrupted)."""
        return _retry(lambda: self.iter_rules(family))

    def add_rule(self, *, priority: int | None = None, src: str | IPNetwork | IPAddress | None = None,
                 dst: str | IPNetwork | IPAddress | None = None, iif: str | None = None, oif: str | None = None,
                 fwmark: int | None = None, fwmask: int | None = None, table: int | None = None,
                 action: int | None = None, goto: int | None = None, family: int | None = None) -> None:
        """``ip rule add [priority P] [from SRC] [to DST] [iif IIF] [oif OIF] [fwmark M/MASK]
        [table T | goto G]``, or an ``action`` (``FR_ACT.BLACKHOLE``...); a lookup of the main
        table by default. ``family`` is that of ``src``/``dst``, else AF_INET."""
        self.socket.request(jobs.rule_message(
            RTM.NEWRULE, family=family, priority=priority, src=src, dst=dst, iif=iif, oif=oif, fwmark=fwmark,
            fwmask=fwmask, table=table, action=action, goto=goto, nlm_flags=_CREATE))

    def delete_rule(self, *, priority: int | None = None, src: str | IPNetwork | IPAddress | None = None,
                    dst: str | IPNetwork | IPAddress | None = None, iif: str | None = None, oif: str | None = None,
                    fwmark: int | None = None, fwmask: int | None = None, table: int | None = None,
                    action: int | None = None, goto: int | None = None, family: int | None = None,
                    missing_ok: bool = False) -> bool:
        """``ip rule del SELECTORS``: the first rule of ``family`` (that of ``src``/``dst``, else
        AF_INET) that matches every selector given; :class:`~nlwire.errors.NotFound` if none
        does, or False with ``missing_ok``."""
        msg = jobs.rule_message(RTM.DELRULE, family=family, priority=priority, src=src, dst=dst, iif=iif, oif=oif,
                                fwmark=fwmark, fwmask=fwmask, table=table, action=action, goto=goto)
        return self._delete(msg, missing_ok)

    # -- notifications ------------------------------------------------------------------------

    def watch(self, *what: str, timeout: float | None = None) -> Iterator[Event | Overrun]:
        """Follow changes as ``ip monitor`` does: ``what`` names ``links``, ``addresses``,
        ``routes``, ``neighbours``, ``rules`` (none: the first four). The groups are joined
        on this call, so nothing made after it is missed; the iterator yields a typed
        :class:`~nlwire.rtnl_jobs.Event` per notification, and
        :class:`~nlwire.client.Overrun` where the kernel dropped some (re-read the state
        with a dump then), until ``timeout`` seconds pass without one (None: forever).
        Closing it leaves the groups. Watch on an Rtnl of its own: this socket's
        notifications are all the watch's."""
        unknown = [w for w in what if w not in jobs.WATCHED]
        if unknown:
            raise ValueError(f"cannot watch {unknown}: choose among {sorted(jobs.WATCHED)}")
        groups = [g for w in (what or ("links", "addresses", "routes", "neighbours")) for g in jobs.WATCHED[w]]
        self.socket.subscribe(*groups)
        return self._watching(groups, timeout)

    def _watching(self, groups: list[int], timeout: float | None) -> Iterator[Event | Overrun]:
        try:
            for item in self.socket.events(timeout=timeout):
                if isinstance(item, Overrun):
                    yield item
                elif (event := jobs.event_of(item)) is not None:
                    yield event
        finally:
            if not self.socket.closed:
                self.socket.unsubscribe(*groups)
