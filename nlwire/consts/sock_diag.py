"""Mirrors the message types of include/uapi/linux/sock_diag.h and inet_diag.h (Linux 6.1).

NETLINK_SOCK_DIAG messages are named here; their bodies (``inet_diag_req_v2``,
``inet_diag_msg``, ``unix_diag_*``...) depend on the first body byte and on the direction,
and are not declared yet: they stay bytes.
"""

from enum import IntEnum


class SOCK_DIAG(IntEnum):
    """NETLINK_SOCK_DIAG message types (#defines in the headers)."""

    TCPDIAG_GETSOCK = 18  # inet_diag.h, the old inet_diag_req interface
    DCCPDIAG_GETSOCK = 19  # inet_diag.h
    BY_FAMILY = 20  # sock_diag.h: SOCK_DIAG_BY_FAMILY
    DESTROY = 21  # sock_diag.h: SOCK_DESTROY
