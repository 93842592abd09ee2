"""Mirrors the AF_* address families of include/linux/socket.h (Linux 6.1).

The values are the ones exported to userspace through <sys/socket.h>.
"""

from enum import IntEnum

SOL_NETLINK = 270
"""Socket option level for NETLINK_* options (SOL_NETLINK)."""


class AF(IntEnum):
    """AF_* address families (also used as rtnetlink message families)."""

    UNSPEC = 0
    UNIX = 1
    LOCAL = 1
    INET = 2
    AX25 = 3
    IPX = 4
    APPLETALK = 5
    NETROM = 6
    BRIDGE = 7
    ATMPVC = 8
    X25 = 9
    INET6 = 10
    ROSE = 11
    DECnet = 12
    NETBEUI = 13
    SECURITY = 14
    KEY = 15
    NETLINK = 16
    ROUTE = 16
    PACKET = 17
    ASH = 18
    ECONET = 19
    ATMSVC = 20
    RDS = 21
    SNA = 22
    IRDA = 23
    PPPOX = 24
    WANPIPE = 25
    LLC = 26
    IB = 27
    MPLS = 28
    CAN = 29
    TIPC = 30
    BLUETOOTH = 31
    IUCV = 32
    RXRPC = 33
    ISDN = 34
    PHONET = 35
    IEEE802154 = 36
    CAIF = 37
    ALG = 38
    NFC = 39
    VSOCK = 40
    KCM = 41
    QIPCRTR = 42
    SMC = 43
    XDP = 44
    MCTP = 45


class SOCK(IntEnum):
    """SOCK_* socket types (include/linux/net.h, enum sock_type): ``udiag_type``, ``ndiag_type``."""

    STREAM = 1
    DGRAM = 2
    RAW = 3
    RDM = 4
    SEQPACKET = 5
    DCCP = 6
    PACKET = 10
