"""The agent's lifecycle with the real kernel: it holds its probes alone, and SIGTERM under load
flushes, exits within the deadline, and leaves nothing attached."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from otel_ebpf.kernel.bpf import map_exists, prog_exists
from tests.harness import Agent, Server, require_bpf
from tests.workload import timed_get

pytestmark = pytest.mark.bpf


def _ids_held_by(pid: int) -> tuple[set[int], set[int]]:
    """Program and map ids behind the process's BPF fds (links show their program, maps their id)."""
    progs, maps = set(), set()
    for fdinfo in Path(f"/proc/{pid}/fdinfo").iterdir():
        try:
            text = fdinfo.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key == "prog_id":
                progs.add(int(value))
            elif key == "map_id":
                maps.add(int(value))
    return progs, maps


def test_sigterm_under_load_flushes_and_detaches_everything(tmp_path):
    require_bpf()
    server = Server("python", tmp_path)
    agent = Agent(tmp_path, ports=[server.port])
    try:
        progs, maps = _ids_held_by(agent.proc.pid)
        # The raw tracepoint links and the ring buffer/counter maps are held by the agent itself:
        # the compile child that created them is gone.
        assert progs and len(maps) >= 2, (progs, maps)

        stop = threading.Event()
        sent = []

        def load():
            while not stop.is_set():
                timed_get(server.port, f"/items/{len(sent) + 1}")
                sent.append(1)

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(2)
        completed_before_signal = len(sent)
        started = time.monotonic()
        agent.proc.send_signal(signal.SIGTERM)
        code = agent.proc.wait(timeout=15)
        took = time.monotonic() - started
        stop.set()
        loader.join()
    finally:
        if agent.proc.poll() is None:
            agent.stop()
        server.stop()
    assert code == 0, agent.log()
    assert took < 7.0, took  # the shutdown deadline is 5 s, plus interpreter exit
    assert "otel-ebpf stopped" in agent.log()
    # Every request completed before the signal was drained from the ring and flushed (one may
    # still have been in flight when the counter was read).
    spans = [s for s in agent.spans() if s["kind"] == "SERVER"]
    assert len(spans) >= completed_before_signal - 1 > 0, (len(spans), completed_before_signal)
    # Nothing stays attached or allocated once the agent is gone.
    assert not [p for p in progs if prog_exists(p)]
    assert not [m for m in maps if map_exists(m)]
