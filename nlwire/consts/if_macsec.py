"""Mirrors include/uapi/linux/if_macsec.h (Linux 6.1): the cipher suites (IFLA_MACSEC_*
and its value enums are in if_link.py)."""

from enum import IntEnum


class MACSEC_CIPHER_ID(IntEnum):
    """MACSEC_CIPHER_ID_* (and MACSEC_DEFAULT_CIPHER_ID): values of IFLA_MACSEC_CIPHER_SUITE."""

    GCM_AES_128 = 0x0080C20001000001
    GCM_AES_256 = 0x0080C20001000002
    GCM_AES_XPN_128 = 0x0080C20001000003
    GCM_AES_XPN_256 = 0x0080C20001000004
    DEFAULT = 0x0080020001000001  # MACSEC_DEFAULT_CIPHER_ID, "deprecated cipher ID for GCM-AES-128"
