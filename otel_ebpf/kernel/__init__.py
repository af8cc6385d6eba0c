"""What every BPF receiver shares with the kernel, below any OpenTelemetry notion.

One module per job, each importing only the standard library (and each other):

* :mod:`~otel_ebpf.kernel.bpf`: the bpf() syscall (numbered per architecture) and the map,
  program, link and pin operations the agent makes without bcc.
* :mod:`~otel_ebpf.kernel.ringbuf`: reading a BPF ring buffer from its memory mapping.
* :mod:`~otel_ebpf.kernel.handoff`: compiling with bcc in a short-lived child and taking its fds over.
* :mod:`~otel_ebpf.kernel.toolchain`: what that child needs (the bcc module, kernel headers).
* :mod:`~otel_ebpf.kernel.mounts`: tracefs and bpffs, mounted when missing.
* :mod:`~otel_ebpf.kernel.btf`: BTF (the kernel's, or any blob): struct layouts, tracepoint arities, enums.
* :mod:`~otel_ebpf.kernel.records`: the Python view of each C record in bpf/*.h and its constants.
* :mod:`~otel_ebpf.kernel.procfs`: what /proc says about a process and its sockets.
* :mod:`~otel_ebpf.kernel.errors`: :class:`~otel_ebpf.kernel.errors.LoadError`.

Receivers import from here; nothing here imports a receiver, telemetry or configuration.
"""
