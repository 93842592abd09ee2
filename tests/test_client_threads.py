"""One Socket (and the Rtnl / Genl jobs on it) shared by threads, against the real kernel in a
private namespace: every answer is the answer to the call that asked, with ``ip -j`` as the
oracle for what the answers hold, and a thread reading the socket's events sees every
notification of the changes the workers made (issue 13, item 9)."""

from __future__ import annotations

import subprocess
import threading
from collections import Counter
from typing import Any

from nlwire.client import Overrun
from nlwire.consts import RTM
from nlwire.genl import Genl
from nlwire.messages import Message
from nlwire.rtnl import Rtnl
from tests.netns_fixtures import ip_json, needs_ip, needs_root

pytestmark = [needs_root, needs_ip]

THREADS = 4
CALLS = 500  # per thread


def _address(worker: int, call: int) -> str:
    return f"10.{worker}.{call // 256}.{call % 256}"


def test_four_threads_share_one_rtnl_and_every_answer_is_the_right_one(netns: str) -> None:
    batch = "".join(f"link add t{i} type veth peer name p{i}\n" for i in range(THREADS))
    subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True)
    oracle = ip_json(netns, "link", "show")
    links = [(link["ifindex"], link["ifname"], link["mtu"], link.get("address")) for link in oracle]
    index = {link["ifname"]: link["ifindex"] for link in oracle}
    wrong: list[str] = []
    answered = Counter[int]()
    notes: list[Message | Overrun] = []
    done = threading.Event()

    with Rtnl(netns=netns, rcvbuf=1 << 22) as rt:
        rt.socket.subscribe("ipv4_ifaddr")

        def work(i: int) -> None:
            for k in range(CALLS):
                try:
                    step = k % 5
                    if step == 0:  # a get by name
                        got = rt.link(f"t{i}")
                        ok = (got.name, got.index) == (f"t{i}", index[f"t{i}"])
                    elif step == 1:  # a get by index
                        got = rt.link(index[f"p{i}"])
                        ok = (got.name, got.index) == (f"p{i}", index[f"p{i}"])
                    elif step == 2:  # a dump
                        got = [(ln.index, ln.name, ln.mtu, ln.address) for ln in rt.links()]
                        ok = got == links
                    elif step == 3:  # a change answered by an ACK
                        got = rt.add_address(f"t{i}", f"{_address(i, k)}/32")
                        ok = got is None
                    else:  # the address of the step before, deleted: an ACK again
                        got = rt.delete_address(f"t{i}", f"{_address(i, k - 1)}/32")
                        ok = got is True
                    if not ok:
                        wrong.append(f"thread {i} call {k}: wrong answer {got}")
                    else:
                        answered[i] += 1
                except Exception as exc:  # every failure is a wrong answer
                    wrong.append(f"thread {i} call {k}: {exc!r}")

        def listen() -> None:
            try:
                while not done.is_set():
                    notes.extend(rt.socket.events(timeout=0.2))
                notes.extend(rt.socket.events(timeout=1.0))  # what the last changes still owe
            except Exception as exc:
                wrong.append(f"events: {exc!r}")

        listener = threading.Thread(target=listen)
        workers = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        listener.start()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        done.set()
        listener.join()
        skipped, decode_errors = rt.socket.skipped, list(rt.socket.decode_errors)

    assert wrong == []
    assert answered == {i: CALLS for i in range(THREADS)}
    assert skipped == 0 and decode_errors == []  # no reply went astray or was dropped as stale
    # every change made by the workers was notified once, to the thread reading events
    assert not [n for n in notes if isinstance(n, Overrun)]
    seen = Counter((m.type, str(m.attrs.local)) for m in notes if isinstance(m, Message) and m.attrs is not None)
    made = Counter[Any]()
    for i in range(THREADS):
        for k in range(CALLS):
            if k % 5 == 3:
                made[(RTM.NEWADDR, _address(i, k))] += 1
                made[(RTM.DELADDR, _address(i, k))] += 1
    assert seen == made
    assert all(not link["addr_info"] for link in ip_json(netns, "-4", "addr", "show"))  # all deleted again


def test_four_threads_share_one_genl(netns: str) -> None:
    with Genl(netns=netns) as g:
        families = {f.name: f for f in g.families()}
        names = sorted(families)
        wrong: list[str] = []

        def work(i: int) -> None:
            for k in range(100):
                name = names[(i + k) % len(names)]
                try:
                    if k % 4 == 3:
                        got = {f.name: f.id for f in g.families()}
                        if got != {n: f.id for n, f in families.items()}:
                            wrong.append(f"thread {i} call {k}: families {got}")
                    else:
                        fam = g.family(name, refresh=True)
                        if fam != families[name]:
                            wrong.append(f"thread {i} call {k}: asked {name}, got {fam}")
                except Exception as exc:
                    wrong.append(f"thread {i} call {k}: {exc!r}")

        workers = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    assert wrong == []
