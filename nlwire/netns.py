"""Network namespaces without forking and without moving the caller's thread.

A namespace *target* is one of:

* ``None`` — the current namespace;
* a name (``"blue"``, no ``/``) — ``/run/netns/blue`` as ``ip netns`` creates it;
* a path (``"/run/netns/blue"``, ``"/proc/1234/ns/net"``, a :class:`os.PathLike`);
* an ``int`` — a process id (``/proc/PID/ns/net``);
* an object with ``fileno()`` (an open namespace file), or :class:`NetnsFd` — an open fd.

Anything else is a :class:`TypeError` (``True`` is not a pid), and a file that is not
a network namespace (``/etc/hostname``, ``/proc/self/ns/mnt``) a :class:`ValueError`
naming it, found with the NS_GET_NSTYPE ioctl before it is used.

Work that must happen inside a namespace (creating a netlink socket, or any
callable through :func:`with_netns`) runs on a short-lived thread that calls
``setns(2)`` and exits: a namespace is a per-thread property, so the calling
thread never changes namespace, and no process is forked. Python 3.11 has no
``os.setns``, so libc's is called through ctypes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = [
    "CLONE_NEWNET",
    "NETNS_RUN_DIR",
    "NetnsFd",
    "NetnsTarget",
    "create_netns",
    "delete_netns",
    "netns_path",
    "netns_pid",
    "open_netns",
    "setns",
    "temporary_netns",
    "with_netns",
]

CLONE_NEWNET = 0x40000000
NS_GET_NSTYPE = 0xB703
"""``_IO(0xb7, 0x3)`` (linux/nsfs.h): the CLONE_NEW* type of the namespace an fd refers to."""
_NS_TYPES = {0x00000080: "time", 0x00020000: "mount", 0x02000000: "cgroup", 0x04000000: "uts",
             0x08000000: "ipc", 0x10000000: "user", 0x20000000: "pid", CLONE_NEWNET: "network"}
"""CLONE_NEW* (linux/sched.h) -> the namespace's name, for error messages."""
NETNS_RUN_DIR = "/run/netns"
_MS_BIND = 0x1000
_MS_SHARED = 1 << 20
_MNT_DETACH = 2

T = TypeVar("T")


@runtime_checkable
class _HasFileno(Protocol):
    def fileno(self) -> int: ...


class NetnsFd(int):
    """An open namespace file descriptor (``netns=NetnsFd(fd)``); a plain int means a pid."""


NetnsTarget = str | os.PathLike[str] | int | _HasFileno | None
"""What ``netns=`` accepts: None, a name, a path, a pid, an open fd or file."""

_libc: Any = None


def _lib() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def setns(fd: int, nstype: int = CLONE_NEWNET) -> None:
    """``setns(2)`` for the calling thread."""
    _check(_lib().setns(int(fd), int(nstype)), "setns")


def _wrong_type(target: object) -> TypeError:
    return TypeError(
        f"netns={target!r} ({type(target).__name__}): expected None, a name, a path, a pid (int),"
        " NetnsFd or an open namespace file"
    )


def netns_path(target: str | os.PathLike[str] | int) -> str:
    """The file naming a namespace given by name, path or pid."""
    if isinstance(target, NetnsFd):
        return f"/proc/self/fd/{int(target)}"
    if isinstance(target, bool) or not isinstance(target, (str, os.PathLike, int)):
        raise _wrong_type(target)
    if isinstance(target, int):
        if target <= 0:
            raise ValueError(f"netns={target!r}: a process id is a positive number")
        return f"/proc/{target}/ns/net"
    path = os.fspath(target)
    if not isinstance(path, str):
        raise _wrong_type(target)
    if "/" not in path:
        if not path or path in (".", ".."):
            raise ValueError(f"bad namespace name {path!r}")
        return os.path.join(NETNS_RUN_DIR, path)
    return path


def netns_pid(target: NetnsTarget) -> int | None:
    """The process id when ``target`` names a namespace by pid (checked as :func:`netns_path`
    checks it: ``True`` is no pid, nor is 0); None for any other target."""
    if isinstance(target, int) and not isinstance(target, (bool, NetnsFd)):
        netns_path(target)  # the one check of a pid
        return target
    return None


def open_netns(target: NetnsTarget) -> int | None:
    """A new O_CLOEXEC fd for the target namespace (the caller closes it); None for None.

    TypeError for a target of another type; ValueError, naming the file, when it is not
    a network namespace.
    """
    if target is None:
        return None
    if isinstance(target, NetnsFd):
        fd, what = os.dup(int(target)), f"fd {int(target)}"
    elif isinstance(target, _HasFileno) and not isinstance(target, (str, int)):
        fd = os.dup(target.fileno())
        what = str(getattr(target, "name", None) or f"{target!r} (fd {target.fileno()})")
    else:
        what = netns_path(target)
        fd = os.open(what, os.O_RDONLY | os.O_CLOEXEC)
    try:
        kind = fcntl.ioctl(fd, NS_GET_NSTYPE)
    except OSError as exc:
        os.close(fd)
        raise ValueError(f"netns={target!r}: {what} is not a namespace file ({exc.strerror})") from None
    if kind != CLONE_NEWNET:
        os.close(fd)
        name = _NS_TYPES.get(kind, hex(kind))
        raise ValueError(f"netns={target!r}: {what} is a {name} namespace, not a network namespace")
    return fd


def with_netns(target: NetnsTarget, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn(*args, **kwargs)`` inside ``target`` on a dedicated thread; return its result.

    Exceptions propagate. With ``target=None`` ``fn`` runs on a thread as well,
    in the namespace of the calling thread's process (the initial namespace of
    new threads is the creating thread's).
    """
    fd = open_netns(target)
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            if fd is not None:
                setns(fd)
            result.append(fn(*args, **kwargs))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    try:
        thread = threading.Thread(target=run, name="nlwire-netns", daemon=True)
        thread.start()
        thread.join()
    finally:
        if fd is not None:
            os.close(fd)
    if failure:
        raise failure[0]
    value: T = result[0]
    return value


# ------------------------------------------------------------------------------ named namespaces


def _is_mount_point(path: str) -> bool:
    """True when ``path`` is a mount point (os.path.ismount misses bind mounts of the same filesystem)."""
    real = os.path.realpath(path)
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
        return any(line.split(" ", 5)[4] == real for line in f)


def _ensure_run_dir() -> None:
    """Make /run/netns exist and be a shared mount point, as ``ip netns add`` does (at most once)."""
    os.makedirs(NETNS_RUN_DIR, mode=0o755, exist_ok=True)
    if _is_mount_point(NETNS_RUN_DIR):
        return
    # bind it onto itself, NOT recursively (a recursive bind would copy every namespace mount under it)
    libc = _lib()
    d = NETNS_RUN_DIR.encode()
    _check(libc.mount(d, d, b"none", ctypes.c_ulong(_MS_BIND), None), "mount --bind /run/netns /run/netns")
    _check(libc.mount(b"none", d, None, ctypes.c_ulong(_MS_SHARED), None), "mount --make-shared /run/netns")


def create_netns(name: str) -> str:
    """Create a named namespace like ``ip netns add NAME``; returns its path.

    A short-lived thread ``unshare(CLONE_NEWNET)``-s and its namespace is bind
    mounted on ``/run/netns/NAME``. Raises FileExistsError if the name is taken.
    """
    path = netns_path(name)
    _ensure_run_dir()
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0)
    os.close(fd)

    def bind() -> None:
        libc = _lib()
        _check(libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
        src = f"/proc/self/task/{threading.get_native_id()}/ns/net".encode()
        _check(libc.mount(src, path.encode(), b"none", ctypes.c_ulong(_MS_BIND), None), f"bind mount {path}")

    try:
        with_netns(None, bind)
    except BaseException:
        os.unlink(path)
        raise
    return path


def delete_netns(name: str, *, missing_ok: bool = True) -> None:
    """Remove a named namespace like ``ip netns delete NAME``.

    The namespace (and every interface in it) goes away once no process,
    socket or mount holds it any more.
    """
    path = netns_path(name)
    if not os.path.exists(path):
        if missing_ok:
            return
        raise FileNotFoundError(path)
    ret = _lib().umount2(path.encode(), _MNT_DETACH)
    if ret != 0 and ctypes.get_errno() != 22:  # EINVAL: not a mount point
        _check(ret, f"umount {path}")
    os.unlink(path)


@contextmanager
def temporary_netns(prefix: str = "nlwire-") -> Iterator[str]:
    """A fresh named namespace for the duration of a ``with`` block; yields its name."""
    name = f"{prefix}{secrets.token_hex(4)}"
    create_netns(name)
    try:
        yield name
    finally:
        delete_netns(name)
