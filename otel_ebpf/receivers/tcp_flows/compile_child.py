"""Runs in a short-lived child process: compile bpf/tcp_flows.c with bcc, attach, pin, hand over fds.

    python -m otel_ebpf.receivers.tcp_flows.compile_child SOCKET_FD REQUEST_JSON

As for the HTTP capture (otel_ebpf/receivers/ebpf/compile_child.py), bcc and LLVM never
enter the agent.  Unlike it, attachments are raw tracepoint links (pinnable; bpf/tcp_flows.c
says why raw).  Order matters: the overflow flow and the fingerprint are written before
anything is attached or pinned, and the `meta` map (which marks a complete pin set) last.
"""

from __future__ import annotations

import json
import os
import sys
import time

from otel_ebpf.kernel.handoff import serve


def build(request_json: str) -> tuple[dict, list[int]]:
    """Compiles, attaches and pins; returns the reply and the fds to hand over."""
    # The imports stay here: bcc and the loader's helpers are only ever loaded in this process.
    from otel_ebpf.kernel.bpf import link_raw_tracepoint, map_update, obj_pin, require_bpf_permission  # noqa: PLC0415
    from otel_ebpf.kernel.toolchain import ensure_kernel_headers, import_bcc  # noqa: PLC0415
    from otel_ebpf.receivers.tcp_flows import layout  # noqa: PLC0415
    from otel_ebpf.receivers.tcp_flows.loader import MAPS, SOURCE_FILE, TcpFlowOptions, attached_programs  # noqa: PLC0415

    request = json.loads(request_json)
    options = TcpFlowOptions(**request["options"])
    require_bpf_permission()
    ensure_kernel_headers()
    bcc = import_bcc()
    # `meta` holds the fingerprint that lets the next agent reuse the pinned program.
    source = SOURCE_FILE.read_text() + "\nBPF_ARRAY(meta, __u64, 2);\n"
    try:
        bpf = bcc.BPF(text=source.encode(), cflags=options.cflags())
    except Exception as exc:  # bcc raises plain Exception with the compiler/verifier output
        raise RuntimeError(f"loading {SOURCE_FILE.name} failed: {exc}") from exc
    maps = {name: bpf[name.encode()].map_fd for name in (*MAPS, "meta")}
    # The overflow flow's start time: bpf_ktime_get_ns() is CLOCK_MONOTONIC.
    overflow = time.monotonic_ns().to_bytes(8, "little") + bytes(layout.FLOW_STATS.size - 8)
    map_update(maps["flows"], layout.overflow_key(), overflow)
    map_update(maps["meta"], b"\0\0\0\0", request["fingerprint"].to_bytes(8, "little"))
    # meta[1]: wall-clock time of monotonic zero, fixed once so that every agent reusing these
    # maps derives the same series start times from the kernel's first_ns.
    boot_wall_ns = time.time_ns() - time.monotonic_ns()
    map_update(maps["meta"], b"\1\0\0\0", boot_wall_ns.to_bytes(8, "little"))
    links = []
    for prog, (tracepoint, _args) in attached_programs().items():  # those this kernel has
        fn = bpf.load_func(prog.encode(), bcc.BPF.RAW_TRACEPOINT)
        links.append((prog, link_raw_tracepoint(fn.fd, tracepoint)))
    if options.pin_path:
        os.makedirs(options.pin_path, exist_ok=True)
        for prog, fd in links:
            obj_pin(fd, os.path.join(options.pin_path, "link_" + prog))
        for name in (*MAPS, "meta"):
            obj_pin(maps[name], os.path.join(options.pin_path, name))
    names = list(maps)
    return {"maps": names}, [maps[n] for n in names] + [f for _, f in links]


def main(sock_fd: int, request_json: str) -> None:
    serve(sock_fd, lambda: build(request_json), lambda exc: isinstance(exc, (RuntimeError, OSError)))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
