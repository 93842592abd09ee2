"""Mirrors include/uapi/linux/if_arp.h (Linux 6.1).

ARP hardware types (ifinfomsg.ifi_type) and ARP opcodes.
"""

from enum import IntEnum


class ARPHRD(IntEnum):
    """ARPHRD_* ARP hardware / link-layer types."""

    NETROM = 0
    ETHER = 1
    EETHER = 2
    AX25 = 3
    PRONET = 4
    CHAOS = 5
    IEEE802 = 6
    ARCNET = 7
    APPLETLK = 8
    DLCI = 15
    ATM = 19
    METRICOM = 23
    IEEE1394 = 24
    EUI64 = 27
    INFINIBAND = 32
    SLIP = 256
    CSLIP = 257
    SLIP6 = 258
    CSLIP6 = 259
    RSRVD = 260
    ADAPT = 264
    ROSE = 270
    X25 = 271
    HWX25 = 272
    CAN = 280
    MCTP = 290
    PPP = 512
    CISCO = 513
    HDLC = 513
    LAPB = 516
    DDCMP = 517
    RAWHDLC = 518
    RAWIP = 519
    TUNNEL = 768
    TUNNEL6 = 769
    FRAD = 770
    SKIP = 771
    LOOPBACK = 772
    LOCALTLK = 773
    FDDI = 774
    BIF = 775
    SIT = 776
    IPDDP = 777
    IPGRE = 778
    PIMREG = 779
    HIPPI = 780
    ASH = 781
    ECONET = 782
    IRDA = 783
    FCPP = 784
    FCAL = 785
    FCPL = 786
    FCFABRIC = 787
    IEEE802_TR = 800
    IEEE80211 = 801
    IEEE80211_PRISM = 802
    IEEE80211_RADIOTAP = 803
    IEEE802154 = 804
    IEEE802154_MONITOR = 805
    PHONET = 820
    PHONET_PIPE = 821
    CAIF = 822
    IP6GRE = 823
    NETLINK = 824
    _6LOWPAN = 825
    VSOCKMON = 826
    VOID = 0xFFFF
    NONE = 0xFFFE


class ARPOP(IntEnum):
    """ARPOP_* ARP protocol opcodes."""

    REQUEST = 1
    REPLY = 2
    RREQUEST = 3
    RREPLY = 4
    InREQUEST = 8
    InREPLY = 9
    NAK = 10
