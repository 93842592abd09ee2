"""Mirrors include/uapi/linux/sock_diag.h, inet_diag.h, unix_diag.h, netlink_diag.h and
packet_diag.h (Linux 6.1), with the TCP states and timers those messages carry.

A NETLINK_SOCK_DIAG body depends on its first byte (``sdiag_family``) and on the
direction (request or reply): :mod:`nlwire.wire.sock_diag` declares each.
"""

from enum import IntEnum, IntFlag


class SOCK_DIAG(IntEnum):
    """NETLINK_SOCK_DIAG message types (#defines in the headers)."""

    TCPDIAG_GETSOCK = 18  # inet_diag.h, the old inet_diag_req interface
    DCCPDIAG_GETSOCK = 19  # inet_diag.h
    BY_FAMILY = 20  # sock_diag.h: SOCK_DIAG_BY_FAMILY
    DESTROY = 21  # sock_diag.h: SOCK_DESTROY


class SK_MEMINFO(IntEnum):
    """sock_diag.h: the slots of INET_DIAG_SKMEMINFO / *_DIAG_MEMINFO (``__u32[SK_MEMINFO_VARS]``)."""

    RMEM_ALLOC = 0
    RCVBUF = 1
    WMEM_ALLOC = 2
    SNDBUF = 3
    FWD_ALLOC = 4
    WMEM_QUEUED = 5
    OPTMEM = 6
    BACKLOG = 7
    DROPS = 8


class SKNLGRP(IntEnum):
    """sock_diag.h: enum sknetlink_groups (multicast groups of NETLINK_SOCK_DIAG)."""

    NONE = 0
    INET_TCP_DESTROY = 1
    INET_UDP_DESTROY = 2
    INET6_TCP_DESTROY = 3
    INET6_UDP_DESTROY = 4


class TCP_STATE(IntEnum):
    """The socket states of ``idiag_state`` / ``tcpi_state`` (include/net/tcp_states.h, not
    exported to uapi; ``ss`` prints them): TCP_ESTABLISHED = 1 ... TCP_BOUND_INACTIVE = 13."""

    ESTABLISHED = 1
    SYN_SENT = 2
    SYN_RECV = 3
    FIN_WAIT1 = 4
    FIN_WAIT2 = 5
    TIME_WAIT = 6
    CLOSE = 7
    CLOSE_WAIT = 8
    LAST_ACK = 9
    LISTEN = 10
    CLOSING = 11
    NEW_SYN_RECV = 12
    BOUND_INACTIVE = 13


TCPF_ALL = (1 << 14) - 2
"""Every state of :class:`TCP_STATE` as an ``idiag_states`` bitmask (bit N: state N)."""


class INET_DIAG_TIMER(IntEnum):
    """``idiag_timer`` (net/ipv4/inet_diag.c, named as ``ss`` names them): 1 retransmit,
    2 keepalive, 3 TIME_WAIT, 4 zero-window probe."""

    OFF = 0
    ON = 1
    KEEPALIVE = 2
    TIMEWAIT = 3
    PERSIST = 4


class INET_DIAG_REQ(IntEnum):
    """inet_diag.h: attributes of an inet_diag_req_v2 request."""

    NONE = 0
    BYTECODE = 1
    SK_BPF_STORAGES = 2
    PROTOCOL = 3


class INET_DIAG_BC(IntEnum):
    """inet_diag.h: the opcodes of INET_DIAG_REQ_BYTECODE (``inet_diag_bc_op.code``)."""

    NOP = 0
    JMP = 1
    S_GE = 2
    S_LE = 3
    D_GE = 4
    D_LE = 5
    AUTO = 6
    S_COND = 7
    D_COND = 8
    DEV_COND = 9
    MARK_COND = 10
    S_EQ = 11
    D_EQ = 12
    CGROUP_COND = 13


class INET_DIAG(IntEnum):
    """inet_diag.h: attributes of an inet_diag_msg reply; a request's ``idiag_ext`` asks
    for MEMINFO..SKMEMINFO by bit ``1 << (member - 1)``."""

    NONE = 0
    MEMINFO = 1
    INFO = 2
    VEGASINFO = 3
    CONG = 4
    TOS = 5
    TCLASS = 6
    SKMEMINFO = 7
    SHUTDOWN = 8
    DCTCPINFO = 9
    PROTOCOL = 10
    SKV6ONLY = 11
    LOCALS = 12
    PEERS = 13
    PAD = 14
    MARK = 15
    BBRINFO = 16
    CLASS_ID = 17
    MD5SIG = 18
    ULP_INFO = 19
    SK_BPF_STORAGES = 20
    CGROUP_ID = 21
    SOCKOPT = 22


class INET_ULP_INFO(IntEnum):
    """inet_diag.h: attributes of INET_DIAG_ULP_INFO."""

    UNSPEC = 0
    NAME = 1
    TLS = 2
    MPTCP = 3


class SK_DIAG_BPF_STORAGE(IntEnum):
    """sock_diag.h: attributes of one INET_DIAG_SK_BPF_STORAGES entry."""

    NONE = 0
    PAD = 1
    MAP_ID = 2
    MAP_VALUE = 3


class UNIX_DIAG(IntEnum):
    """unix_diag.h: attributes of a unix_diag_msg reply."""

    NAME = 0
    VFS = 1
    PEER = 2
    ICONS = 3
    RQLEN = 4
    MEMINFO = 5
    SHUTDOWN = 6
    UID = 7


class UDIAG_SHOW(IntFlag):
    """unix_diag.h: ``udiag_show``, what a reply is to carry."""

    NAME = 0x01
    VFS = 0x02
    PEER = 0x04
    ICONS = 0x08
    RQLEN = 0x10
    MEMINFO = 0x20
    UID = 0x40


class NETLINK_DIAG(IntEnum):
    """netlink_diag.h: attributes of a netlink_diag_msg reply."""

    MEMINFO = 0
    GROUPS = 1
    RX_RING = 2
    TX_RING = 3
    FLAGS = 4


NDIAG_PROTO_ALL = 255
"""netlink_diag.h: ``sdiag_protocol`` asking for the sockets of every netlink protocol."""


class NDIAG_SHOW(IntFlag):
    """netlink_diag.h: ``ndiag_show``."""

    MEMINFO = 0x1
    GROUPS = 0x2
    RING_CFG = 0x4
    FLAGS = 0x8


class NDIAG_FLAG(IntFlag):
    """netlink_diag.h: NETLINK_DIAG_FLAGS bits."""

    CB_RUNNING = 0x01
    PKTINFO = 0x02
    BROADCAST_ERROR = 0x04
    NO_ENOBUFS = 0x08
    LISTEN_ALL_NSID = 0x10
    CAP_ACK = 0x20


class PACKET_DIAG(IntEnum):
    """packet_diag.h: attributes of a packet_diag_msg reply."""

    INFO = 0
    MCLIST = 1
    RX_RING = 2
    TX_RING = 3
    FANOUT = 4
    UID = 5
    MEMINFO = 6
    FILTER = 7


class PACKET_SHOW(IntFlag):
    """packet_diag.h: ``pdiag_show``."""

    INFO = 0x01
    MCLIST = 0x02
    RING_CFG = 0x04
    FANOUT = 0x08
    MEMINFO = 0x10
    FILTER = 0x20


class PDI(IntFlag):
    """packet_diag.h: ``packet_diag_info.pdi_flags``."""

    RUNNING = 0x1
    AUXDATA = 0x2
    ORIGDEV = 0x4
    VNETHDR = 0x8
    LOSS = 0x10


class TCPI_OPT(IntFlag):
    """tcp.h: ``tcpi_options``."""

    TIMESTAMPS = 1
    SACK = 2
    WSCALE = 4
    ECN = 8
    ECN_SEEN = 16
    SYN_DATA = 32


class TCP_CA(IntEnum):
    """tcp.h: ``tcpi_ca_state``."""

    Open = 0
    Disorder = 1
    CWR = 2
    Recovery = 3
    Loss = 4


class TCPF(IntFlag):
    """``idiag_states`` / ``udiag_states``: a bitmask of :class:`TCP_STATE` (bit N: state N)."""

    ESTABLISHED = 1 << 1
    SYN_SENT = 1 << 2
    SYN_RECV = 1 << 3
    FIN_WAIT1 = 1 << 4
    FIN_WAIT2 = 1 << 5
    TIME_WAIT = 1 << 6
    CLOSE = 1 << 7
    CLOSE_WAIT = 1 << 8
    LAST_ACK = 1 << 9
    LISTEN = 1 << 10
    CLOSING = 1 << 11
    NEW_SYN_RECV = 1 << 12
    BOUND_INACTIVE = 1 << 13


class INET_DIAG_SOCKOPT(IntFlag):
    """inet_diag.h: struct inet_diag_sockopt's bitfields (INET_DIAG_SOCKOPT, two bytes, the
    first field in the lowest bit as a little-endian compiler packs them)."""

    RECVERR = 1 << 0
    IS_ICSK = 1 << 1
    FREEBIND = 1 << 2
    HDRINCL = 1 << 3
    MC_LOOP = 1 << 4
    TRANSPARENT = 1 << 5
    MC_ALL = 1 << 6
    NODEFRAG = 1 << 7
    BIND_ADDRESS_NO_PORT = 1 << 8
    RECVERR_RFC4884 = 1 << 9
    DEFER_CONNECT = 1 << 10
