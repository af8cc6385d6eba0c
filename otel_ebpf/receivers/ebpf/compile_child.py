"""Runs in a short-lived child process: compile and attach the BPF program with bcc, hand over the fds.

    python -m otel_ebpf.receivers.ebpf.compile_child SOCKET_FD OPTIONS_JSON

bcc (and the LLVM inside it) never enters the long-running agent: this process
compiles bpf/http_capture.c, lets bcc attach every RAW_TRACEPOINT_PROBE, fills the
filter maps, then sends the agent over a unix socket (SCM_RIGHTS) the fds of the maps it uses
(ring buffer, counters, shed counts, shed configuration, walk programs, HTTP/2 marks) and the raw
tracepoint link fds that hold the attachments.  The probes stay attached as long as the agent keeps
those fds open; closing them detaches.
It leaves with os._exit so that bcc's atexit clean-up does not detach them first.
"""

from __future__ import annotations

import json
import sys

from otel_ebpf.kernel.handoff import serve


def build(options_json: str) -> tuple[dict, list[int]]:
    from otel_ebpf.receivers.ebpf.loader import CaptureOptions, compile_and_attach  # noqa: PLC0415

    options = CaptureOptions(**json.loads(options_json))
    bpf = compile_and_attach(options)
    maps = (b"events", b"stats", b"shed_counts", b"shed_config", b"walk_programs", b"h2_marks")
    fds = [bpf[name].map_fd for name in maps]
    # The fds that hold the attachments: perf events for tracepoints, links for raw tracepoints.
    attached = {**bpf.tracepoint_fds, **bpf.raw_tracepoint_fds}
    fds += list(attached.values())
    # The programs themselves, for the kernel's count of runs it skipped.
    programs = {name.decode(): fn.fd for name, fn in bpf.funcs.items()}
    fds += list(programs.values())
    reply = {"tracepoints": [name.decode() for name in attached], "programs": list(programs)}
    reply["tls_error"] = bpf.otel_tls_error
    reply["capture_path"] = [bpf.otel_capture_path.name, bpf.otel_capture_path.reason]
    return reply, fds


def main(sock_fd: int, options_json: str) -> None:
    serve(sock_fd, lambda: build(options_json), lambda exc: exc.__class__.__name__ == "LoadError")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
