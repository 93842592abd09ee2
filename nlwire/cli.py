"""The ``nlwire`` command (the only module of nlwire that imports ``dissect``).

``nlwire dissect capture.pcap`` prints nlmon captures as annotated trees,
one-line summaries (``--summary``) or JSON Lines (``--json``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from typing import IO, Any

__all__ = ["main"]

_FAMILIES = {
    "route": 0,
    "sock_diag": 4,
    "inet_diag": 4,
    "netfilter": 12,
    "generic": 16,
    "genl": 16,
    "audit": 9,
    "xfrm": 6,
    "kobject_uevent": 15,
    "connector": 11,
    "selinux": 7,
    "rdma": 20,
    "crypto": 21,
}


class _Usage(Exception):
    pass


def _family(text: str) -> int:
    from nlwire.consts import NETLINK
    from nlwire.consts.netlink import MAX_LINKS

    t = text.lower().removeprefix("netlink_")
    try:
        number = int(t)
    except ValueError:
        pass
    else:
        if not 0 <= number < MAX_LINKS:
            raise argparse.ArgumentTypeError(f"netlink family {text!r} out of range: 0 to {MAX_LINKS - 1} (MAX_LINKS)")
        return number

    member = NETLINK.__members__.get(t.upper())
    if member is not None:
        return int(member)
    if t in _FAMILIES:
        return _FAMILIES[t]
    raise argparse.ArgumentTypeError(
        f"unknown netlink family {text!r} (route, generic, netfilter, sock_diag, or a number)"
    )


def _frames(text: str) -> tuple[int, int]:
    lo, sep, hi = text.partition("-")
    try:
        a = int(lo) if lo else 1
        b = int(hi) if sep and hi else (a if not sep else 1 << 62)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad frame range {text!r}: use N, N-M, N- or -M") from None
    if a < 1 or b < a:
        raise argparse.ArgumentTypeError(f"bad frame range {text!r}")
    return a, b


class _Parser(argparse.ArgumentParser):
    """argparse, with an option's value ``--`` handed to the option's type like any other value:
    Python 3.11's argparse drops it (``--frames=--`` stored ``[]`` and failed later), so the type
    now rejects it as a usage error naming the value."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)


def _parser() -> argparse.ArgumentParser:
    from nlwire import __version__

    parser = _Parser(prog="nlwire", description="Linux netlink toolkit")
    parser.add_argument("--version", action="version", version=f"nlwire {__version__}")
    sub = parser.add_subparsers(dest="command")
    d = sub.add_parser(
        "dissect",
        help="print an nlmon capture (pcap/pcapng) as annotated netlink trees",
        description="Dissect netlink captures (LINKTYPE_NETLINK from nlmon, or Linux SLL/SLL2).",
    )
    d.set_defaults(parser=d)
    d.add_argument("file", help="capture file (pcap or pcapng); - reads standard input")
    mode = d.add_mutually_exclusive_group()
    mode.add_argument("--summary", "-s", action="store_true", help="one line per message")
    mode.add_argument("--json", "-j", action="store_true", help="JSON Lines: one object per frame")
    d.add_argument("-x", "--hex", action="store_true", help="hex dump of each frame after its tree")
    d.add_argument("--family", type=_family, help="only this netlink family (route, generic, netfilter, sock_diag, N)")
    d.add_argument(
        "--type",
        action="append",
        default=[],
        metavar="TYPE",
        help="only messages of this type, e.g. RTM_NEWLINK, NLMSG_ERROR, CTRL_CMD_NEWFAMILY (repeatable)",
    )
    d.add_argument("--frames", type=_frames, metavar="N-M", help="only frames N to M (1-based, inclusive)")
    d.add_argument(
        "--errors-only", action="store_true", help="only errors (NLMSG_ERROR/DONE with an errno) and malformed messages"
    )
    d.add_argument(
        "--color",
        "--colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text tree (auto: on a terminal unless NO_COLOR is set)",
    )
    d.add_argument("--no-link", action="store_true", help="leave the link-layer header out of the text tree")
    d.add_argument(
        "--window",
        type=_positive,
        default=1000,
        metavar="FRAMES",
        help="frames looked ahead to link requests to replies (memory bound; default 1000)",
    )
    d.add_argument(
        "--genl-from-kernel", action="store_true", help="also learn generic netlink family ids from the running kernel"
    )
    specs = d.add_mutually_exclusive_group()
    specs.add_argument(
        "--no-specs", action="store_true",
        help="do not read generic families nlwire does not declare (ethtool, netdev, ...) with the kernel's "
             "YAML netlink specs installed on this machine, as it does by default, loading a spec when a "
             "capture has its family (Debian: linux-doc-<version>; other directories: NLWIRE_SPEC_PATH); "
             "their messages then show as FAMILY cmd N with numbered attributes",
    )
    specs.add_argument("--specs", action="store_true", help="the default (kept for scripts that pass it)")
    d.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (drawn on stderr for files over 8 MiB when stderr is a terminal and stdout is not)",
    )

    m = sub.add_parser(
        "monitor",
        help="print live kernel notifications as annotated netlink trees",
        description=(
            "Subscribe to netlink multicast groups and print each notification the kernel sends, "
            "as the same tree / summary / JSON Lines `nlwire dissect` prints."
        ),
    )
    m.set_defaults(parser=m)
    m.add_argument(
        "groups",
        nargs="*",
        metavar="GROUP",
        help=(
            "multicast groups: rtnetlink names (link, ipv4-ifaddr, ipv6-route, RTNLGRP_NEIGH, ...), "
            "netfilter names (nftables, conntrack-new, ...), numbers, or family/group for generic "
            "netlink (nlctrl/notify); "
            f"route default: {' '.join(_DEFAULT_ROUTE_GROUPS)}"
        ),
    )
    m.add_argument(
        "--family",
        type=_family,
        default=0,
        help="netlink family of the socket (route, generic, netfilter, N; default route)",
    )
    m.add_argument("--netns", metavar="NAME", help="listen inside this network namespace (name or path)")
    mmode = m.add_mutually_exclusive_group()
    mmode.add_argument("--summary", "-s", action="store_true", help="one line per message")
    mmode.add_argument("--json", "-j", action="store_true", help="JSON Lines: one object per datagram")
    m.add_argument("-x", "--hex", action="store_true", help="hex dump of each datagram after its tree")
    m.add_argument("-w", "--write", metavar="FILE", help="also write every datagram to FILE (pcap, LINKTYPE_NETLINK)")
    m.add_argument("--count", "-c", type=_positive, metavar="N", help="exit after N datagrams")
    m.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="exit after SECONDS")
    m.add_argument(
        "--color",
        "--colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text tree (auto: on a terminal unless NO_COLOR is set)",
    )
    m.add_argument("--no-link", action="store_true", help="leave the link-layer header out of the text tree")
    g = sub.add_parser(
        "spec",
        aliases=["genl"],
        help="netlink families by the kernel's YAML specs: list, show, --do, --dump, --subscribe",
        description=(
            "Without FAMILY: the families of the installed specs, and which the running kernel has "
            "(generic ones by their nlctrl id; netlink-raw ones by their protocol). With FAMILY: its "
            "operations and multicast groups, or run one (--do/--dump) with attributes given as JSON "
            "keyed by the spec's names, or print the notifications of its groups (--subscribe). "
            "Generic families (ethtool, netdev, ...) and netlink-raw ones (rt_link, rt_addr, rt_route, tc) "
            "alike. `nlwire genl` is the same command."
        ),
    )
    g.set_defaults(parser=g, hex=False, no_link=False)
    g.add_argument("family", nargs="?", help="a family with an installed spec (ethtool, netdev, rt_link, tc, ...)")
    op = g.add_mutually_exclusive_group()
    op.add_argument("--do", metavar="OP", help="run operation OP as a do (one reply, or an ACK)")
    op.add_argument("--dump", metavar="OP", help="run operation OP as a dump")
    op.add_argument("--subscribe", metavar="GROUP", action="append",
                    help="print the notifications of multicast group GROUP as `nlwire monitor` does (repeatable)")
    g.add_argument("--json", metavar="JSON", default=None,
                   help='the request\'s attributes, e.g. \'{"header": {"dev-name": "lo"}}\'')
    g.add_argument("--output", "-o", choices=("json", "tree"),
                   help="replies as JSON Lines (the default for --do/--dump) or an indented tree "
                        "(the default for --subscribe)")
    for flag in ("create", "excl", "replace", "append"):
        g.add_argument(f"--{flag}", action="store_true", help=f"set NLM_F_{flag.upper()} on the request")
    g.add_argument("--spec", metavar="FILE", help="read the family's spec from FILE (.yaml or .yaml.gz)")
    g.add_argument("--netns", metavar="NAME", help="talk to the kernel inside this network namespace")
    g.add_argument("-w", "--write", metavar="FILE", help="also write the exchange to FILE (pcap, LINKTYPE_NETLINK)")
    g.add_argument("--count", "-c", type=_positive, metavar="N", help="--subscribe: exit after N datagrams")
    g.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="--subscribe: exit after SECONDS")
    g.add_argument("--color", "--colour", choices=("auto", "always", "never"), default="auto",
                   help="--subscribe: colour the tree (auto: on a terminal unless NO_COLOR is set)")
    return parser


_FLUSH_BYTES = 1 << 20
"""``dissect`` writes its output in batches of at most about this many bytes."""

_DEFAULT_ROUTE_GROUPS = ("link", "ipv4-ifaddr", "ipv6-ifaddr", "ipv4-route", "ipv6-route", "neigh")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return n


def _seconds(text: str) -> float:
    try:
        t = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(t) and t >= 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 or more: {text!r}")
    return t


def _escape_undecodable(stream: Any) -> None:
    """Write text that cannot be encoded (names with invalid UTF-8 arrive as lone surrogates)
    as backslash escapes instead of dying with UnicodeEncodeError: JSON readers take
    ``\\udcff`` back as the same string."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a stream that cannot switch stays as it is
            reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # the subcommand's own usage names its options (the top-level one only lists commands)
        command: argparse.ArgumentParser = getattr(args, "parser", parser)
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    _escape_undecodable(sys.stdout)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "dissect":
            return _dissect(args)
        if args.command == "monitor":
            return _monitor(args)
        if args.command in ("spec", "genl"):
            return _spec(args)
    except BrokenPipeError:
        # the reader went away (| head): not an error; keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except _Usage as exc:
        print(f"nlwire {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 2


class _Progress:
    """A progress bar on stderr, redrawn at most every 1%; :meth:`finish` draws 100% (a
    ``--frames`` range or the pcap headers leave the byte count short of the file size)."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.shown = -1
        self.stream = stream

    def __call__(self, n: int) -> None:
        self.done += n
        pct = min(100, self.done * 100 // self.total)
        if pct != self.shown:
            self._draw(pct)

    def _draw(self, pct: int) -> None:
        self.shown = pct
        bar = "#" * (pct // 4)
        self.stream.write(f"\r[{bar:<25}] {pct:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        if 0 <= self.shown < 100:
            self._draw(100)

    def close(self) -> None:
        if self.shown >= 0:
            self.stream.write("\r" + " " * 40 + "\r")
            self.stream.flush()


def _learn_from_kernel(genl: Any) -> None:
    from nlwire.client import Socket
    from nlwire.consts import CTRL_ATTR, CTRL_CMD, GENL_ID, NETLINK
    from nlwire.messages import Message
    from nlwire.wire.attrs import Attrs
    from nlwire.wire.genetlink import CTRL_ATTRS, GENLMSGHDR
    from nlwire.wire.registry import lookup

    req = Message(
        int(GENL_ID.CTRL),
        header=GENLMSGHDR.new(cmd=int(CTRL_CMD.GETFAMILY), version=1),
        attrs=Attrs(CTRL_ATTRS),
        protocol=int(NETLINK.GENERIC),
        schema=lookup(NETLINK.GENERIC, GENL_ID.CTRL, None, CTRL_CMD.GETFAMILY),
    )
    with Socket("generic") as s:
        for msg in s.dump(req):
            if msg.attrs is not None:
                fid = msg.attrs.get(CTRL_ATTR.FAMILY_ID)
                name = msg.attrs.get(CTRL_ATTR.FAMILY_NAME)
                if isinstance(fid, int) and isinstance(name, str):
                    genl.learn(fid, name)


def _dissect(args: argparse.Namespace) -> int:
    import gc

    from dissect.netlink import (
        CaptureError,
        Dissector,
        Filter,
        Style,
        UnsupportedLinkType,
        read_records,
        want_colour,
    )

    # what start-up made (schemas, constants, the compiler) lives as long as the run: frozen, it
    # is not walked again by each full collection of the records' short-lived objects
    gc.freeze()
    out = sys.stdout
    flt = Filter(family=args.family, types=args.type, frames=args.frames, errors_only=args.errors_only)
    genl = None  # the Dissector's default: installed specs, loaded on first need
    if args.no_specs:
        from nlwire.wire.registry import GenlIds

        genl = GenlIds()
    dis = Dissector(genl=genl, window=args.window, flt=flt, keep_raw=args.hex and not args.json)
    if args.genl_from_kernel:
        try:
            _learn_from_kernel(dis.genl)
        except Exception as exc:  # the kernel query is best-effort; the capture still dissects
            print(f"nlwire dissect: warning: cannot read genl families from the kernel: {exc}", file=sys.stderr)
    colour = args.color == "always" or (args.color == "auto" and want_colour(out))
    style = Style(colour)
    progress = None
    # on stderr only while stdout goes elsewhere: a bar drawn into the terminal of the output
    # lines would be torn by them
    if args.file != "-" and not args.no_progress and sys.stderr.isatty() and not out.isatty():
        try:
            size = os.path.getsize(args.file)
        except OSError:
            size = 0
        if size > (8 << 20):
            progress = _Progress(size, sys.stderr)
    mode = "json" if args.json else ("summary" if args.summary else "text")
    buf: list[Any] = []
    pending = 0
    write: Any = out.write
    join: Any = "".join
    render: Any = dis.render
    kw: dict[str, Any] = {}
    raw = getattr(out, "buffer", None)
    if mode in ("text", "json") and raw is not None and getattr(out, "encoding", None):
        # bytes straight to the binary stream: a frame's mostly-ASCII lines are never widened
        # to a wide string for its one non-ASCII title, and big JSON lines skip the text
        # layer's encode-and-copy (~2 s of 100k frames); same bytes as writing the text
        out.flush()
        write, join, render = raw.write, b"".join, dis.render_bytes
        kw = {"encoding": out.encoding, "errors": out.errors or "strict"}
    skipped: list[str] = []  # a pcapng's interfaces that carry no netlink, noted after the output

    def skip(interface: int, linktype: int, count: int) -> None:
        skipped.append(
            f"nlwire dissect: note: skipped {count} record{'s' * (count != 1)} of interface "
            f"{interface} (link type {linktype}, not netlink)"
        )

    try:
        from dissect.netlink.cooked import check_linktype

        records = read_records(args.file, check_linktype, skip)
        for chunk in render(
            records,
            mode,
            style,
            show_link=not args.no_link,
            hex_dump=args.hex and not args.json,
            progress=progress,
            **kw,
        ):
            buf.append(chunk)
            pending += len(chunk)
            # written in batches (fewer write calls), bounded by size: one dump frame's
            # JSON can be hundreds of KB, so 256 of them must not pile up in memory
            if pending >= _FLUSH_BYTES or len(buf) >= 256:
                write(join(buf))
                buf.clear()
                pending = 0
        write(join(buf))
        out.flush()
        if progress is not None:
            progress.finish()
    except (CaptureError, UnsupportedLinkType) as exc:
        write(join(buf))
        out.flush()
        raise _Usage(str(exc)) from None
    finally:
        if progress is not None:
            progress.close()
        for note in skipped:
            print(note, file=sys.stderr)
    missing = flt.unmatched()
    if missing:
        seen = ", ".join(sorted(flt.seen)) or "none"
        print(f"nlwire dissect: note: --type {', '.join(missing)}: no such message among those read; "
              f"their types: {seen}", file=sys.stderr)
    return 0


def _group_arg(text: str) -> int | str:
    """``5``, ``link``, ``ipv4-route``, ``RTNLGRP_IPV4_ROUTE``, ``nlctrl/notify`` as the client takes them."""
    if text.isdigit():
        return int(text)
    return text if "/" in text else text.replace("-", "_")


def _monitor(args: argparse.Namespace) -> int:
    from nlwire.client import Socket
    from nlwire.pcapwriter import PcapWriter

    groups = [_group_arg(g) for g in args.groups]
    if not groups:
        if args.family != 0:
            raise _Usage("name the multicast groups to join (no default outside rtnetlink)")
        groups = [_group_arg(g) for g in _DEFAULT_ROUTE_GROUPS]
    mode = "json" if args.json else ("summary" if args.summary else "text")
    try:
        sock = Socket(args.family, netns=args.netns, timeout=None)
    except (OSError, ValueError) as exc:
        where = f" in network namespace {args.netns!r}" if args.netns else ""
        raise _Usage(f"cannot open a netlink socket{where}: {exc}") from None
    writer = None
    try:
        try:
            sock.subscribe(*groups)
        except (OSError, ValueError) as exc:
            raise _Usage(f"cannot join {' '.join(map(str, args.groups or _DEFAULT_ROUTE_GROUPS))}: {exc}") from None
        if args.write:
            try:
                writer = PcapWriter(args.write, args.family)
            except OSError as exc:
                raise _Usage(f"{args.write}: {exc.strerror or exc}") from None
        names = " ".join(str(g) for g in (args.groups or _DEFAULT_ROUTE_GROUPS))
        print(f"nlwire monitor: listening on {names} (groups {sorted(sock.groups)})", file=sys.stderr, flush=True)
        _show_events(sock, args, mode, writer)
    finally:
        if writer is not None:
            writer.close()
        sock.close()
    return 0


def _show_events(sock: Any, args: argparse.Namespace, mode: str, writer: Any = None) -> None:
    """Print the notifications ``sock`` receives as the trees / summaries / JSON Lines of
    ``nlwire dissect`` (``mode``: text, summary, json), until ``args.count`` datagrams or
    ``args.timeout`` seconds; ``writer`` also records each datagram."""
    import time

    from dissect.netlink import Dissector, Record, Style, want_colour
    from nlwire.client import BufferOverrun
    from nlwire.errors import NetlinkTimeout
    from nlwire.pcapwriter import LINKTYPE_NETLINK, cooked_header

    out = sys.stdout
    colour = args.color == "always" or (args.color == "auto" and want_colour(out))
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    head = cooked_header(sock.protocol)

    def records() -> Any:
        n = 0
        while args.count is None or n < args.count:
            try:
                data, _pid, _group = sock.recv_datagram(deadline)
            except NetlinkTimeout:
                return
            except BufferOverrun:
                print(f"nlwire {args.command}: warning: receive buffer overrun, notifications were lost",
                      file=sys.stderr)
                continue
            now = time.time()
            if writer is not None:
                writer.write(data, now)
            n += 1
            frame = head + data
            yield Record(LINKTYPE_NETLINK, now, frame, len(frame))

    # one socket's events, not nlmon's per-listener copies: equal events in a row are events
    hex_dump = args.hex and mode != "json"
    dis = Dissector(window=0, genl=sock.genl, keep_raw=hex_dump, nlmon_copies=False)
    for chunk in dis.render(records(), mode, Style(colour), show_link=not args.no_link, hex_dump=hex_dump):
        out.write(chunk)
        out.flush()


def _spec(args: argparse.Namespace) -> int:
    import json

    from nlwire.consts import NLM_F
    from nlwire.errors import NetlinkError, NlwireError, SpecNotFound
    from nlwire.genl import SpecClient

    out = sys.stdout
    if args.family is None:
        if args.do or args.dump or args.subscribe:
            raise _Usage("--do, --dump and --subscribe need a FAMILY")
        _spec_list(args, out)
        return 0
    try:
        values = json.loads(args.json) if args.json is not None else None
    except ValueError as exc:
        raise _Usage(f"--json: {exc}") from None
    if values is not None and not isinstance(values, dict):
        raise _Usage("--json: give an object of attributes")
    flags = 0
    for flag in ("create", "excl", "replace", "append"):
        if getattr(args, flag):
            flags |= NLM_F[flag.upper()]
    try:
        fam = SpecClient(args.family, args.netns, spec_path=args.spec, capture=args.write)
    except SpecNotFound as exc:
        raise _Usage(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise _Usage(f"{args.family}: {exc}") from None
    tree = args.output == "tree"
    with fam:
        try:
            if args.subscribe:
                fam.subscribe(*args.subscribe)
                print(f"nlwire {args.command}: listening on {fam.spec.name} {' '.join(args.subscribe)} "
                      f"(groups {sorted(fam.socket.groups)})", file=sys.stderr, flush=True)
                _show_events(fam.socket, args, "json" if args.output == "json" else "text")
            elif args.do:
                reply = fam.do(args.do, values, flags=flags)
                if tree:
                    _tree(out, f"{args.do}: reply" if reply is not None else f"{args.do}: acknowledged", reply or {})
                else:
                    out.write(json.dumps(reply if reply is not None else {}, default=_json_value) + "\n")
            elif args.dump:
                for reply in fam.dump(args.dump, values):
                    if tree:
                        _tree(out, f"{args.dump}: reply", reply)
                    else:
                        out.write(json.dumps(reply, default=_json_value) + "\n")
            else:
                _spec_show(fam, out)
        except NetlinkError as exc:
            print(f"nlwire {args.command}: {exc}", file=sys.stderr)
            return 1
        except (NlwireError, KeyError, ValueError) as exc:
            raise _Usage(str(exc).strip('"')) from None
    return 0


def _json_value(value: Any) -> Any:
    """A value ``json`` cannot write: bytes as hex, anything else as its text."""
    return value.hex() if isinstance(value, (bytes, bytearray)) else str(value)


def _tree(out: IO[str], title: str, value: Any, depth: int = 0) -> None:
    """A decoded result as an indented tree (four spaces a level, as ``nlwire dissect``'s
    text indents): a nest's members under its name, a list's entries as ``name[i]``."""
    pad = "    " * depth
    if isinstance(value, dict):
        out.write(f"{pad}{title}\n")
        for key, item in value.items():
            _tree(out, str(key), item, depth + 1)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, item in enumerate(value):
            _tree(out, f"{title}[{i}]", item, depth)
    elif isinstance(value, list):
        out.write(f"{pad}{title}: [{', '.join(_json_value(v) for v in value)}]\n")
    else:
        out.write(f"{pad}{title}: {_json_value(value)}\n")


def _spec_list(args: argparse.Namespace, out: IO[str]) -> None:
    """The families of the installed specs and of the kernel: a generic one by its id
    (nlctrl) or "not in this kernel", a netlink-raw one by its protocol."""
    from nlwire.consts import NETLINK
    from nlwire.errors import NlwireError
    from nlwire.genl import Genl
    from nlwire.wire.specs import load_spec, spec_names

    rows: dict[str, tuple[str, str]] = {}
    generic: set[str] = set()
    for name in spec_names():
        with contextlib.suppress(NlwireError, ValueError, KeyError):
            spec = load_spec(name, register=False)
            if spec.genl is not None:
                generic.add(spec.genl.name)
            elif spec.protonum is not None:
                try:
                    proto = f"NETLINK_{NETLINK(spec.protonum).name}"
                except ValueError:
                    proto = f"protocol {spec.protonum}"
                rows[name] = (proto, "spec")
    try:
        with Genl(args.netns) as g:
            kernel = {f.name: f.id for f in g.families()}
    except OSError as exc:
        print(f"nlwire {args.command}: warning: cannot list the kernel's families: {exc}", file=sys.stderr)
        kernel = {}
    for name in generic | set(kernel):
        rows[name] = (f"id {kernel[name]}" if name in kernel else "not in this kernel",
                      "spec" if name in generic else "no spec")
    for name in sorted(rows):
        where, origin = rows[name]
        out.write(f"{name:16} {where:18} {origin}\n")


def _spec_show(fam: Any, out: IO[str]) -> None:
    """A family's operations (their modes and what their requests take) and groups."""
    spec = fam.spec
    out.write(f"{spec.name}: {len(spec.ops)} operations\n")
    for name, op in spec.ops.items():
        modes = fam.modes(name) or (["notify"] if op.notify else [])
        takes = sorted({n for m in modes if m != "notify" for n in (fam.request_names(name, m) or ())})
        out.write(f"  {name:28} {'/'.join(modes) or '-':10} {', '.join(takes)}".rstrip() + "\n")
    if spec.mcast_groups:
        out.write(f"multicast groups: {', '.join(spec.mcast_groups)}\n")
