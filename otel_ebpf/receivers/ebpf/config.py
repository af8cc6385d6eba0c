"""Configuration of the ``ebpf`` receiver (``receivers: ebpf:``): its schema, with the defaults."""

from __future__ import annotations

from otel_ebpf.config.checks import check_header_name, check_not_empty
from otel_ebpf.config.schema import Bool, Duration, Int, List, Number, Section, Str
from otel_ebpf.telemetry.secrets import DEFAULT_KEY_FRAGMENTS, normalize_fragment

# receivers.ebpf.capture_path's values (capture_path.py chooses among them; named here so that
# validating a configuration loads no implementation).
CAPTURE_PATHS = ("auto", "sock_tracepoints", "syscall_tracepoints")

COMM_LEN = 15  # TASK_COMM_LEN - 1: /proc/PID/comm holds at most 15 characters

# The keys that configure the kernel program, which every ebpf receiver of the agent shares.
KERNEL_KEYS = (
    "capture_bytes",
    "ring_buffer_size",
    "max_connections",
    "drain_interval",
    "max_cpu",
    "read_chunks",
    "max_spans_per_second",
    "shed_ring_fill",
    "capture_path",
)


# Executable names of OpenTelemetry Collector distributions and other telemetry agents, whose
# traffic the receiver leaves alone by default (see telemetry_exclusion.py).
TELEMETRY_EXECUTABLES = (
    # OpenTelemetry Collector distributions and builds
    "otelcol",
    "otelcol-contrib",
    "otelcol-k8s",
    "otelcol-otlp",
    "otelcorecol",
    "otelcontribcol",
    "aws-otel-collector",
    "splunk-otel-collector",
    "otelcol-sumo",
    "dynatrace-otel-collector",
    "ebpf-instrument",  # OpenTelemetry eBPF Instrumentation (OBI)
    # other collectors and agents that receive or ship telemetry
    "rotel",
    "rotel-agent",
    "beyla",
    "alloy",
    "grafana-agent",
    "datadog-agent",
    "trace-agent",
    "process-agent",
    "system-probe",
    "fluent-bit",
    "td-agent-bit",
    "fluentd",
    "vector",
    "telegraf",
    "promtail",
    "vmagent",
    "elastic-agent",
    "filebeat",
    "metricbeat",
    "newrelic-infra",
    "jaeger",
    "jaeger-collector",
    "jaeger-agent",
    "odigos-odiglet",
)
# OTLP's default ports (gRPC, HTTP): what collectors and agents listen on.
TELEMETRY_PORTS = (4317, 4318)


def _check_power_of_two(value: int) -> str | None:
    if value & (value - 1):
        return f"must be a power of two (e.g. {1 << (value.bit_length() - 1)} or {1 << value.bit_length()})"
    return None


def _check_comm(value: str) -> str | None:
    if "/" in value:
        return f"{value!r} is a path; give the process name as in /proc/PID/comm (e.g. {value.rsplit('/', 1)[-1]!r})"
    if len(value) > COMM_LEN:
        return (
            f"{value!r} has {len(value)} characters; process names in /proc/PID/comm have at most {COMM_LEN}"
            f" (use {value[:COMM_LEN]!r})"
        )
    if not value:
        return "must not be empty"
    return None


def _check_route(value: str) -> str | None:
    return None if value.startswith("/") else f"{value!r} must start with '/' (e.g. /users/{{id}})"


def _check_fragment(value: str) -> str | None:
    return None if normalize_fragment(value) else f"{value!r} has no letter or digit to match"


def _check_builtin_fragment(value: str) -> str | None:
    if normalize_fragment(value) in DEFAULT_KEY_FRAGMENTS:
        return None
    return f"{value!r} is not a built-in fragment (built-in: {', '.join(DEFAULT_KEY_FRAGMENTS)})"


SCHEMA = Section(
    {
        # How the kernel sees payloads (receivers/ebpf/capture_path.py): `auto` probes the kernel,
        # sock_tracepoints (Linux 6.3+, cheapest), syscall_tracepoints (5.8+).  The environment
        # variable OTEL_EBPF_CAPTURE_PATH overrides it.
        "capture_path": Str("auto", choices=CAPTURE_PATHS),
        # Bytes of each read/write shipped from the kernel: enough for the request line and headers.
        "capture_bytes": Int(1024, min=64, max=8192),
        # The kernel's ring buffer in bytes: bpf ring buffers are a power-of-two number of pages.
        "ring_buffer_size": Int(8 * 1024 * 1024, min=4096 * 8, max=1 << 30, check=_check_power_of_two),
        "max_connections": Int(65536, min=1, max=1 << 24),
        # 50ms: batches big enough to amortise a cycle; measured 20% less agent CPU than 10ms at 4.5k req/s.
        "drain_interval": Duration("50ms", min=0.001, max=1.0),
        # CPU the agent may use, in cores (0 = no limit): the kernel's span rate is steered from the
        # agent process's CPU once a second (cpu_budget.py), shed exchanges still counted in the
        # metrics.  The capture thread is held to it too: past it, the thread drains less often and
        # the kernel drops what no longer fits in the ring buffer and counts it
        # (otel_ebpf.ebpf.dropped{reason=ringbuf_full}), so an overloaded agent never takes the
        # workload's CPU and never loses data silently.
        "max_cpu": Number(0, min=0, max=64),
        # Pieces of CAPTURE_BYTES shipped for one large read (pipelined requests, big headers).
        "read_chunks": Int(4, min=1, max=16),
        # Exchanges per second the kernel sends to the agent (0 = no limit); past it, and whenever
        # the ring buffer is half full, it sheds whole exchanges before copying a byte: no span, but
        # still counted in the HTTP duration metrics (otel_ebpf.ebpf.shed_exchanges{reason}).
        # With max_cpu, lowered to what that budget allows (and steered below this, never above).
        "max_spans_per_second": Int(10000, min=0, max=10_000_000),
        # Shed new exchanges while this fraction of the ring buffer waits to be read (the agent is
        # behind): otel_ebpf.ebpf.shed_exchanges{reason=ring_pressure}.  1 = never: events are lost
        # when the ring is full instead (otel_ebpf.ebpf.dropped{reason=ringbuf_full}).
        "shed_ring_fill": Number(0.5, min=0.05, max=1),
        # Which traffic this receiver takes (every list given must match; empty lists: everything).
        "filter": {
            "pids": List(Int(min=1)),
            "executables": List(Str(check=_check_comm)),
            "ports": List(Int(min=1, max=65535)),
            # Leave telemetry alone: the agent and its children, the processes of
            # `telemetry_executables`, and connections on `telemetry_ports` or on the ports of the
            # agent's own otlp/otlp_http exporters.  A collector receiving the agent's export in
            # cleartext would otherwise loop (each export becomes spans, which are exported...).
            "exclude_telemetry": Bool(True),
            # Matched with the executable's file name and the thread's name (its first 15 characters).
            "telemetry_executables": List(Str(check=check_not_empty), default=TELEMETRY_EXECUTABLES),
            "telemetry_ports": List(Int(min=1, max=65535), default=TELEMETRY_PORTS),
        },
        # HTTPS: the plaintext of TLS libraries, read by uprobes (receivers/ebpf/tls.py).  The first
        # ebpf receiver's settings apply to the agent's one kernel program.
        "tls": {
            "enabled": Bool(True),
            # OpenSSL and its forks: libssl.so* files, and executables that export SSL_read/SSL_write.
            "openssl": Bool(True),
            # Go's crypto/tls in Go executables (Go >= 1.18, with their symbol table).
            "go": Bool(True),
            # More library files to attach to (besides the system's and those processes map).
            "libraries": List(Str(check=check_not_empty)),
            # Files attached at most (each costs 8 uprobes); past it counted, not attached.
            "max_attachments": Int(256, min=1, max=4096),
            # How often /proc is scanned for processes and libraries that appeared.
            "rescan_interval": Duration("1s", min=0.1, max=60.0),
        },
        "http": {
            "routes": {
                "patterns": List(Str(check=_check_route)),
                "heuristic": Bool(True),
                "max_per_service": Int(1000, min=1),
            },
            # Names are lower-cased here once, so the hot path compares with the parser's lower-case names.
            "capture_headers": {
                "request": List(Str(normalize=str.lower, check=check_header_name)),
                "response": List(Str(normalize=str.lower, check=check_header_name)),
            },
            "capture_body": Bool(False),
            # Query parameters redacted in url.full / url.query, on top of the built-in list.
            "sensitive_query_params": List(Str(check=check_not_empty)),
            # Fragments added to the one key matcher (header names, query keys, form fields,
            # JSON keys, key=value in text): telemetry/secrets.py.
            "sensitive_keys": List(Str(check=_check_fragment)),
            # Built-in fragments no longer matched (each logged at start): release with care.
            "unredacted_keys": List(Str(check=_check_builtin_fragment)),
            # E-mail addresses in exported free text (status messages, bodies, header values).
            "redact_emails": Bool(True),
        },
    }
)
