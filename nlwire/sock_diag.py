"""Socket diagnostics (NETLINK_SOCK_DIAG): list sockets as ``ss`` does, destroy one.

The requests and the recipes of the results are in :mod:`nlwire.sock_diag_jobs`; this
module only sends and receives.
"""

from __future__ import annotations

from nlwire import sock_diag_jobs as jobs
from nlwire.client import SocketJobs
from nlwire.consts import NDIAG_PROTO_ALL, NETLINK, SOCK_DIAG, TCPF_ALL
from nlwire.sock_diag_jobs import NetlinkSock, Sock, UnixSock

__all__ = ["NetlinkSock", "Sock", "SockDiag", "UnixSock"]


class SockDiag(SocketJobs):
    """A NETLINK_SOCK_DIAG client: ``SockDiag(netns=None, *, timeout=10.0, capture=None, **socket_options)``.

    Every call is blocking and bounded by ``timeout``; ``netns`` lists the sockets of that
    namespace. Pass ``sock=`` to share an existing :class:`~nlwire.client.Socket`.
    """

    PROTOCOL = NETLINK.SOCK_DIAG

    def sockets(
        self,
        family: int,
        protocol: int,
        states: int = TCPF_ALL,
        *,
        info: bool = False,
        sport: int | None = None,
        dport: int | None = None,
        src: jobs.Host | None = None,
        dst: jobs.Host | None = None,
    ) -> list[Sock]:
        """The ``family`` (AF_INET, AF_INET6) sockets of ``protocol`` (IPPROTO_TCP, _UDP,
        _RAW...) whose state is in ``states`` (a :class:`~nlwire.consts.TCPF` bitmask),
        whose local / remote port is ``sport`` / ``dport`` and whose local / remote address
        is in ``src`` / ``dst`` (an address or a network: ``"10.0.0.0/8"``), as ``ss``'s
        ``sport = :N``, ``src ADDR/PREFIX`` filters; the kernel filters (the states bitmask
        and a bytecode program). An IPv4 ``src`` or ``dst`` in an AF_INET6 dump matches
        IPv4-mapped addresses, as the kernel has it. ``info``: with ``tcp_info`` and
        ``congestion`` (TCP)."""
        recipe = jobs.sock_recipe(int(protocol))
        request = jobs.dump_inet(family, protocol, states, info=info, sport=sport, dport=dport, src=src, dst=dst)
        return [
            recipe.from_message(m)
            for m in self.socket.dump(request)
            if m.type == SOCK_DIAG.BY_FAMILY and m.header is not None
        ]

    def unix_sockets(self, states: int = TCPF_ALL) -> list[UnixSock]:
        """The AF_UNIX sockets whose state is in ``states``, with name, peer, queues and uid."""
        return [
            jobs.UNIX_SOCK.from_message(m)
            for m in self.socket.dump(jobs.dump_unix(states))
            if m.type == SOCK_DIAG.BY_FAMILY and m.header is not None
        ]

    def netlink_sockets(self, protocol: int = NDIAG_PROTO_ALL) -> list[NetlinkSock]:
        """The AF_NETLINK sockets of ``protocol`` (all by default), with memory and flags."""
        return [
            jobs.NETLINK_SOCK.from_message(m)
            for m in self.socket.dump(jobs.dump_netlink(protocol))
            if m.type == SOCK_DIAG.BY_FAMILY and m.header is not None
        ]

    def destroy(self, sock: Sock) -> None:
        """Close ``sock`` (as listed by :meth:`sockets`) from outside its owner: SOCK_DESTROY.
        The kernel refuses (EOPNOTSUPP) without CONFIG_INET_DIAG_DESTROY."""
        self.socket.request(jobs.destroy_inet(sock))
