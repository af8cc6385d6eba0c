"""Configuration: YAML in the Collector's shape, variables, merging, validation messages."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from otel_ebpf import CONFIG_DIR
from otel_ebpf.component import PROCESSORS, TRACES, Factory
from otel_ebpf.components import load_config, registry
from otel_ebpf.config import ConfigError, Registry, parse_duration
from otel_ebpf.config.expand import expand
from otel_ebpf.config.loader import EMBEDDED_DEFAULT, parse_yaml
from otel_ebpf.config.registry import deep_merge
from otel_ebpf.config.service import validate

REGISTRY = registry(with_plugins=False)

MINIMAL = """
receivers:
  ebpf: {}
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [ebpf]
      exporters: [debug]
"""


@pytest.fixture
def write(tmp_path):
    """Writes a YAML text (dedented) to a file and returns its path."""
    counter = iter(range(1000))

    def _write(text: str, name: str | None = None) -> str:
        path = tmp_path / (name or f"config{next(counter)}.yaml")
        path.write_text(textwrap.dedent(text))
        return str(path)

    return _write


def errors_of(paths, environ=None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(paths, environ or {})
    return info.value.errors


# --- the embedded default ---


def test_embedded_default_loads_with_two_pipelines_and_no_warnings():
    config = load_config(None, {})
    assert config.source == EMBEDDED_DEFAULT
    assert set(config.pipelines) == {"traces", "metrics"}
    for pipeline in config.pipelines.values():
        assert pipeline.receivers == ("ebpf",)
        assert pipeline.exporters == ("debug",)
    assert config.pipelines["traces"].processors == ("semantic_errors", "batch")
    assert config.pipelines["metrics"].processors == ("semantic_errors", "health_score", "batch")
    assert config.exporters["debug"]["verbosity"] == "normal"  # spelled out: the component's default is basic
    assert config.warnings == []
    assert config.log_level == "info"
    assert (CONFIG_DIR / "default.yaml").is_file()


def test_embedded_default_spells_out_the_registry_defaults():
    # The YAML documents the defaults: it must not drift from the schema.
    config = load_config(None, {})
    assert config.receivers["ebpf"] == REGISTRY.get("receivers", "ebpf").default_config()
    assert config.processors["batch"] == REGISTRY.get("processors", "batch").default_config()


def test_embedded_default_comment_explains_otlp():
    text = (CONFIG_DIR / "default.yaml").read_text()
    header = text.split("receivers:")[0]
    assert (
        "OTEL_EXPORTER_OTLP_ENDPOINT" in header and "OTEL_EXPORTER_OTLP_PROTOCOL" in header and "otlp_http:" in header
    )


def test_otlp_endpoint_env_adds_the_http_exporter_to_both_default_pipelines():
    # The specification's default protocol is http/protobuf.
    config = load_config(None, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert config.pipelines["traces"].exporters == ("debug", "otlp_http")
    assert config.pipelines["metrics"].exporters == ("debug", "otlp_http")
    # The exporter reads the endpoint itself: the YAML-side endpoint stays unset.
    assert config.exporters["otlp_http"]["endpoint"] is None
    assert config.exporters["otlp_http"]["compression"] is None  # the exporter applies env, then gzip


@pytest.mark.parametrize(
    ("environ", "traces", "metrics"),
    [
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "otlp", "otlp"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, "otlp_http", "otlp_http"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/protobuf"}, "otlp",
         "otlp_http"),
        ({"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "GRPC"}, "otlp", "otlp_http"),
    ],
)  # fmt: skip
def test_otlp_protocol_env_chooses_the_exporter_per_signal(environ, traces, metrics):
    config = load_config(None, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", **environ})
    assert config.pipelines["traces"].exporters == ("debug", traces)
    assert config.pipelines["metrics"].exporters == ("debug", metrics)


def test_unknown_otlp_protocol_env_is_an_error_naming_the_variable():
    errors = errors_of(None, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "thrift"})
    assert errors[0].startswith("OTEL_EXPORTER_OTLP_PROTOCOL='thrift' is not a protocol an exporter serves (known: ")
    assert "grpc" in errors[0] and "http/protobuf" in errors[0]
    assert len(errors) == 1  # said once, though both pipelines of the default would get it


def test_signal_endpoint_env_adds_otlp_to_that_signal_only():
    traces_only = load_config(None, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"})
    assert traces_only.pipelines["traces"].exporters == ("debug", "otlp_http")
    assert traces_only.pipelines["metrics"].exporters == ("debug",)
    metrics_only = load_config(None, {"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://c:4318/v1/metrics"})
    assert metrics_only.pipelines["metrics"].exporters == ("debug", "otlp_http")
    assert metrics_only.pipelines["traces"].exporters == ("debug",)


def test_empty_endpoint_env_adds_nothing():
    config = load_config(None, {"OTEL_EXPORTER_OTLP_ENDPOINT": "  "})
    assert "otlp" not in config.exporters and "otlp_http" not in config.exporters


def test_endpoint_env_does_not_change_a_config_file(write):
    config = load_config([write(MINIMAL)], {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"})
    assert "otlp" not in config.exporters and "otlp_http" not in config.exporters
    assert config.pipelines["traces"].exporters == ("debug",)


# --- the messages of the brief, all at once ---


def test_all_errors_reported_at_once_with_their_paths(write):
    path = write(
        """
        receivers:
          ebpf:
            capture_bytes: 10
        processors:
          foo: {}
        exporters:
          debug: {}
          file:
            path: /tmp/out.jsonl
          otlp/backend:
            tls:
              insecure: yes please
        service:
          pipelines:
            traces:
              receivers: [ebpf]
              exporters: [otlp/x]
        """
    )
    errors = errors_of([path])
    assert "exporters.otlp/backend.tls.insecure: expected a boolean, got 'yes please'" in errors
    assert "receivers.ebpf.capture_bytes: must be between 64 and 8192" in errors
    assert "service.pipelines.traces.exporters: 'otlp/x' is not configured (configured: debug, file, otlp/backend)" in (
        errors
    )
    assert (
        "processors: unknown type 'foo' (known: batch, cause_attribution, circuit_breaker, health_score, "
        "memory_limiter, probabilistic_sampler, "
        "semantic_errors, slo)" in errors
    )
    assert len(errors) == 4


def test_not_configured_lists_what_is_configured(write):
    path = write(
        """
        receivers: {ebpf: {}}
        exporters:
          debug: {}
          file: {path: /tmp/x}
        service:
          pipelines:
            traces: {receivers: [ebpf], exporters: [otlp/x, debug, file]}
        """
    )
    assert errors_of([path]) == [
        "service.pipelines.traces.exporters: 'otlp/x' is not configured (configured: debug, file)"
    ]


def test_unknown_key_names_full_path_allowed_keys_and_nearest(write):
    path = write(MINIMAL + "\nprocessors:\n  batch:\n    send_batch_sise: 10\n")
    path2 = write(MINIMAL.replace("ebpf: {}", "ebpf:\n    filter:\n      comm: [nginx]"))
    assert errors_of([path]) == [
        "processors.batch.send_batch_sise: unknown key (did you mean 'send_batch_size'? "
        "allowed: send_batch_max_size, send_batch_size, send_batch_size_mib, timeout)"
    ]
    assert errors_of([path2]) == [
        "receivers.ebpf.filter.comm: unknown key "
        "(allowed: exclude_telemetry, executables, pids, ports, telemetry_executables, telemetry_ports)"
    ]


def test_unknown_type_with_name_and_unknown_top_level_key(write):
    path = write(MINIMAL.replace("debug: {}", "debug: {}\n  otpl/x: {}") + "connectors: {}\n")
    known = ", ".join(REGISTRY.known_names("exporters"))  # every type name and alias
    assert sorted(errors_of([path])) == [
        "connectors: unknown key (allowed: exporters, extensions, processors, receivers, service)",
        f"exporters: unknown type 'otpl' in 'otpl/x' (did you mean 'otlp'? known: {known})",
    ]


# --- pipelines ---


@pytest.mark.parametrize(
    ("pipelines", "expected"),
    [
        ("traces: {exporters: [debug]}", "service.pipelines.traces.receivers: at least one receiver is required"),
        ("traces: {receivers: [ebpf]}", "service.pipelines.traces.exporters: at least one exporter is required"),
        (
            "traces: {receivers: [ebpf], exporters: [debug, debug]}",
            "service.pipelines.traces.exporters: 'debug' is listed more than once",
        ),
        (
            "logs: {receivers: [ebpf], exporters: [debug]}",
            "service.pipelines.logs.receivers: 'ebpf' does not support logs (it handles: traces, metrics)",
        ),
        (
            "spans: {receivers: [ebpf], exporters: [debug]}",
            "service.pipelines.spans: unknown signal 'spans' (known: traces, metrics, logs)",
        ),
        (
            "traces: {receivers: ebpf, exporters: [debug]}",
            "service.pipelines.traces.receivers: expected a list of receivers ids, got 'ebpf'",
        ),
        (
            "traces: {receivers: [ebpf], exporters: [debug], exporter: [debug]}",
            "service.pipelines.traces.exporter: unknown key (did you mean 'exporters'? "
            "allowed: exporters, processors, receivers)",
        ),
    ],
)
def test_pipeline_errors(write, pipelines, expected):
    text = f"""
receivers: {{ebpf: {{}}}}
exporters: {{debug: {{}}}}
service:
  pipelines:
    {pipelines}
"""
    errors = errors_of([write(text)])
    assert expected in errors


def test_named_pipelines_and_processor_order(write):
    path = write(
        """
        receivers: {ebpf: {}}
        processors: {batch: {}, probabilistic_sampler: {sampling_percentage: 10}}
        exporters: {debug: {}, file/a: {path: /tmp/a}}
        service:
          pipelines:
            traces/sampled:
              receivers: [ebpf]
              processors: [probabilistic_sampler, batch]
              exporters: [file/a]
            metrics:
              receivers: [ebpf]
              exporters: [debug]
        """
    )
    config = load_config([path], {})
    assert config.pipelines["traces/sampled"].processors == ("probabilistic_sampler", "batch")
    assert config.processors["probabilistic_sampler"] == {"sampling_percentage": 10}
    assert config.summary().splitlines() == [
        "traces/sampled: ebpf -> probabilistic_sampler, batch -> file/a",
        "metrics: ebpf -> debug",
    ]


def test_no_service_or_no_pipelines_is_an_error(write):
    assert errors_of([write("receivers: {ebpf: {}}\n")]) == [
        "service: missing (a configuration needs at least one pipeline under service.pipelines)"
    ]
    assert errors_of([write("service: {pipelines: {}}\n")])[0].startswith(
        "service.pipelines: at least one pipeline is required"
    )


def test_unused_components_warn_but_load(write):
    path = write(MINIMAL.replace("debug: {}", "debug: {}\n  file: {path: /tmp/x}") + "processors: {batch: {}}\n")
    config = load_config([path], {})
    assert config.warnings == [
        "processors.batch: configured but not used in any pipeline",
        "exporters.file: configured but not used in any pipeline",
    ]
    assert config.exporters["file"]["path"] == "/tmp/x"


def test_extensions_empty_absent_or_unknown(write):
    assert load_config([write(MINIMAL + "extensions: {}\n")], {}).extensions == {}
    assert load_config([write(MINIMAL + "extensions:\n")], {}).extensions == {}
    errors = errors_of([write(MINIMAL + "extensions: {zpages: {}}\n")])
    assert "extensions: unknown type 'zpages' (known: health_check)" in errors
    errors = errors_of([write(MINIMAL.replace("service:\n", "service:\n  extensions: [zpages]\n"))])
    assert "service.extensions: 'zpages' is not configured (configured: none)" in errors


def test_telemetry_log_level(write):
    path = write(MINIMAL.replace("service:\n", "service:\n  telemetry: {logs: {level: DEBUG}}\n"))
    assert load_config([path], {}).log_level == "debug"
    bad = write(MINIMAL.replace("service:\n", "service:\n  telemetry: {logs: {level: loud}}\n"))
    assert errors_of([bad]) == [
        "service.telemetry.logs.level: 'loud' is not allowed (allowed: debug, info, warn, error)"
    ]


# --- component schemas ---


def _ebpf(write, body: str):
    return write(MINIMAL.replace("ebpf: {}", "ebpf:\n" + textwrap.indent(textwrap.dedent(body), "    ")))


def test_ebpf_defaults_and_normalisation(write):
    config = load_config(
        [
            _ebpf(
                write,
                """
                drain_interval: 50ms
                filter: {pids: [1, 42], executables: [nginx], ports: [80, 8080]}
                http:
                  capture_headers: {request: [User-Agent, X-Request-ID]}
                """,
            )
        ],
        {},
    )
    ebpf = config.receivers["ebpf"]
    assert ebpf["capture_bytes"] == 1024 and ebpf["ring_buffer_size"] == 8388608 and ebpf["max_connections"] == 65536
    assert ebpf["drain_interval"] == pytest.approx(0.05)
    assert {k: ebpf["filter"][k] for k in ("pids", "executables", "ports")} == {
        "pids": [1, 42],
        "executables": ["nginx"],
        "ports": [80, 8080],
    }
    assert ebpf["filter"]["exclude_telemetry"] is True and ebpf["filter"]["telemetry_ports"] == [4317, 4318]
    # Lower-cased once here so that the hot path compares with the parser's lower-case names.
    assert ebpf["http"]["capture_headers"] == {"request": ["user-agent", "x-request-id"], "response": []}
    assert ebpf["http"]["routes"] == {"patterns": [], "heuristic": True, "max_per_service": 1000}
    assert ebpf["http"]["capture_body"] is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ring_buffer_size: 40000", "receivers.ebpf.ring_buffer_size: must be a power of two (e.g. 32768 or 65536)"),
        ("ring_buffer_size: 16384", "receivers.ebpf.ring_buffer_size: must be between 32768 and 1073741824"),
        ("capture_bytes: 20000", "receivers.ebpf.capture_bytes: must be between 64 and 8192"),
        ("capture_bytes: 1k", "receivers.ebpf.capture_bytes: expected an integer, got '1k'"),
        ("capture_bytes: true", "receivers.ebpf.capture_bytes: expected an integer, got True"),
        (
            "drain_interval: 5 parsecs",
            "receivers.ebpf.drain_interval: expected a duration such as '5s' or '200ms', "
            "or a number of seconds, got '5 parsecs'",
        ),
        ("drain_interval: 2s", "receivers.ebpf.drain_interval: must be between 1ms and 1s"),
        ("filter: {ports: [80, 70000]}", "receivers.ebpf.filter.ports[1]: must be between 1 and 65535"),
        ("filter: {pids: [0]}", "receivers.ebpf.filter.pids[0]: must be at least 1"),
        (
            "filter: {executables: [a-very-long-process-name]}",
            "receivers.ebpf.filter.executables[0]: 'a-very-long-process-name' has 24 characters; process names in "
            "/proc/PID/comm have at most 15 (use 'a-very-long-pro')",
        ),
        (
            "filter: {executables: [/usr/sbin/nginx]}",
            "receivers.ebpf.filter.executables[0]: '/usr/sbin/nginx' is a path; give the process name as in "
            "/proc/PID/comm (e.g. 'nginx')",
        ),
        ("filter: {pids: {a: 1}}", "receivers.ebpf.filter.pids: expected a list, got a mapping"),
        ("filter: 3", "receivers.ebpf.filter: expected a mapping, got 3"),
        (
            "http: {routes: {patterns: ['users/{id}']}}",
            "receivers.ebpf.http.routes.patterns[0]: 'users/{id}' must start with '/' (e.g. /users/{id})",
        ),
        (
            "http: {capture_headers: {request: ['x y']}}",
            "receivers.ebpf.http.capture_headers.request[0]: 'x y' is not an HTTP header name",
        ),
    ],
)
def test_ebpf_validation_messages(write, body, expected):
    assert errors_of([_ebpf(write, body)]) == [expected]


def test_yaml_1_2_scalars_no_is_a_string_and_0755_is_decimal(write):
    # YAML 1.1 (PyYAML's default) would read `no` as False and 0755 as octal 493.
    config = load_config([_ebpf(write, "filter: {executables: [no, on], ports: [0755]}")], {})
    assert config.receivers["ebpf"]["filter"]["executables"] == ["no", "on"]
    assert config.receivers["ebpf"]["filter"]["ports"] == [755]


OTLP = """
receivers: {ebpf: {}}
exporters:
  otlp:
%s
service:
  pipelines:
    traces: {receivers: [ebpf], exporters: [otlp]}
"""


def _otlp(write, body: str) -> str:
    return write(OTLP % textwrap.indent(textwrap.dedent(body).strip() or "{}", "    "))


def test_otlp_exporter_defaults(write):
    # Without an endpoint in the file, the environment must give one (see the tests below).
    config = load_config([write(OTLP % "    {}")], {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"})
    assert config.exporters["otlp"] == {
        "endpoint": None,
        # None: not set in the file, so the exporter applies OTEL_EXPORTER_OTLP_* and then its defaults
        "tls": {"insecure": None, "ca_file": None, "cert_file": None, "key_file": None, "insecure_skip_verify": False},
        "headers": {},
        "compression": None,
        "timeout": None,
        "sending_queue": {"enabled": True, "queue_size": 1000, "queue_size_mib": 16, "num_consumers": 1},
        "retry_on_failure": {
            "enabled": True,
            "initial_interval": 5.0,
            "max_interval": 30.0,
            "max_elapsed_time": 300.0,
            "multiplier": 1.5,
            "randomization_factor": 0.5,
        },
    }


def test_otlp_grpc_shares_the_otlp_schema(write):
    path = write((OTLP % "    {endpoint: 'c:4317', timeout: 1m30s}").replace("otlp", "otlp_grpc"))
    assert load_config([path], {}).exporters["otlp_grpc"]["timeout"] == 90.0


@pytest.mark.parametrize("endpoint", ["collector:4317", "http://collector:4317", "https://c.example.com", "[::1]:4317"])
def test_valid_endpoints(write, endpoint):
    assert load_config([_otlp(write, f"endpoint: '{endpoint}'")], {}).exporters["otlp"]["endpoint"] == endpoint


@pytest.mark.parametrize("endpoint", ["collector", "http://c:99999", "ftp://c:21", "c:4317 x"])
def test_invalid_endpoints(write, endpoint):
    errors = errors_of([_otlp(write, f"endpoint: '{endpoint}'")])
    assert errors == [
        f"exporters.otlp.endpoint: {endpoint!r} is not an endpoint (expected host:port or http(s)://host[:port])"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("compression: zstd", "exporters.otlp.compression: 'zstd' is not allowed (allowed: gzip, none)"),
        ("headers: {x-n: 5}", "exporters.otlp.headers.x-n: expected a string, got 5 (quote it)"),
        ("headers: [a]", "exporters.otlp.headers: expected a mapping, got a list"),
        (
            "tls: {cert_file: /c.pem}",
            "exporters.otlp.tls.key_file: cert_file and key_file go together (client certificate for mTLS)",
        ),
        (
            "retry_on_failure: {initial_interval: 1m}",
            "exporters.otlp.retry_on_failure.initial_interval: must not exceed max_interval",
        ),
        (
            "retry_on_failure: {randomization_factor: 2}",
            "exporters.otlp.retry_on_failure.randomization_factor: must be between 0 and 1",
        ),
        ("sending_queue: {queue_size: 0}", "exporters.otlp.sending_queue.queue_size: must be at least 1"),
        (
            "timeout: -1",
            "exporters.otlp.timeout: expected a duration such as '5s' or '200ms', or a number of seconds, got -1",
        ),
    ],
)
def test_otlp_exporter_messages(write, body, expected):
    assert errors_of([_otlp(write, body)]) == [expected]


def test_file_debug_batch_sampler(write):
    base = MINIMAL.replace("debug: {}", "debug: {verbosity: loud}\n  file: {}")
    base = base.replace("exporters: [debug]", "exporters: [debug, file]")
    base += "processors:\n  batch: {send_batch_size: 100, send_batch_max_size: 10}\n"
    base += "  probabilistic_sampler: {sampling_percentage: 101}\n"
    errors = errors_of([write(base)])
    assert sorted(errors) == sorted(
        [
            "exporters.debug.verbosity: 'loud' is not allowed (allowed: basic, normal, detailed)",
            "exporters.file.path: a value is required (the file to append requests to)",
            "processors.batch.send_batch_max_size: must be 0 (no limit) or at least send_batch_size (100)",
            "processors.probabilistic_sampler.sampling_percentage: must be between 0 and 100",
        ]
    )


def test_otlp_receiver_is_accepted_and_validated(write):
    text = MINIMAL.replace("ebpf: {}", "ebpf: {}\n  otlp: {protocols: {grpc: {endpoint: '0.0.0.0:4318'}}}")
    config = load_config([write(text)], {})
    assert config.receivers["otlp"] == {
        "protocols": {"grpc": {"endpoint": "0.0.0.0:4318", "max_recv_msg_size_mib": 4, "max_concurrent_streams": 0}},
        "http_requests_from": ["spans"],
    }
    bad = MINIMAL.replace("ebpf: {}", "ebpf: {}\n  otlp: {protocols: {http: {}}}")
    assert errors_of([write(bad)]) == ["receivers.otlp.protocols.http: unknown key (allowed: grpc)"]


# --- environment variables ---


def test_env_references_are_substituted_and_typed(write):
    path = _otlp(
        write,
        """
        endpoint: ${env:EP}
        tls: {insecure: "${INSECURE}"}
        headers: {authorization: "Bearer ${env:TOKEN}", x-price: "$$5", x-literal: "$${env:TOKEN}"}
        timeout: ${env:TIMEOUT:-7s}
        sending_queue: {queue_size: "${env:QUEUE}"}
        """,
    )
    env = {"EP": "collector:4317", "INSECURE": "true", "TOKEN": "s3cr3t", "QUEUE": "42"}
    otlp = load_config([path], env).exporters["otlp"]
    assert otlp["endpoint"] == "collector:4317"
    assert otlp["tls"]["insecure"] is True
    assert otlp["headers"] == {"authorization": "Bearer s3cr3t", "x-price": "$5", "x-literal": "${env:TOKEN}"}
    assert otlp["timeout"] == 7.0
    assert otlp["sending_queue"]["queue_size"] == 42


def test_env_default_applies_only_when_unset_and_unset_warns(write):
    path = _otlp(write, "endpoint: ${env:EP:-fallback:4317}\nheaders: {a: '${env:MISSING}x'}")
    assert load_config([path], {}).exporters["otlp"]["endpoint"] == "fallback:4317"
    # Set but empty stays empty, as in the Collector, whose exporter then refuses it.
    assert errors_of([path], {"EP": ""})[0].startswith("exporters.otlp.endpoint: is empty")
    config = load_config([path], {})
    assert config.exporters["otlp"]["headers"] == {"a": "x"}
    assert "exporters.otlp.headers.a: environment variable MISSING is not set (using an empty value)" in (
        config.warnings
    )


def test_unset_optional_value_falls_back_to_default(write):
    config = load_config([_otlp(write, "endpoint: c:4317\ncompression: ${env:NOPE}")], {})
    assert config.exporters["otlp"]["compression"] is None  # the exporter applies env, then gzip


# --- what validate checks beyond the schema: endpoints from the environment, files ---

ENDPOINT_HELP = "(the Collector's exporter requires one too; without, data would silently go to {default})"


@pytest.mark.parametrize("exporter", ["otlp", "otlp_http"])
@pytest.mark.parametrize("endpoint", ["${env:NOPE}", "${env:EMPTY}", "''", "'  '"])
def test_an_empty_or_unset_env_endpoint_is_an_error_naming_the_key(write, exporter, endpoint):
    path = write(
        (OTLP % f"    endpoint: {endpoint}").replace("otlp:", f"{exporter}:").replace("[otlp]", f"[{exporter}]")
    )
    # Even with the variable set: the file names an endpoint, and it is empty.
    errors = errors_of([path], {"EMPTY": "", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"})
    assert errors == [
        f"exporters.{exporter}.endpoint: is empty (an unset or empty ${{env:...}}?): give an address, or remove"
        " the key to take it from OTEL_EXPORTER_OTLP_ENDPOINT"
    ]


def test_otlp_without_endpoint_anywhere_is_an_error_naming_key_and_variables(write):
    both = OTLP.replace(
        "traces: {receivers: [ebpf], exporters: [otlp]}",
        "traces: {receivers: [ebpf], exporters: [otlp]}\n    metrics: {receivers: [ebpf], exporters: [otlp]}",
    )
    path = write(both % "    {tls: {insecure: true}}")
    assert errors_of([path], {}) == [
        "exporters.otlp.endpoint: required: no endpoint in the config and OTEL_EXPORTER_OTLP_ENDPOINT (or"
        " OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) unset "
        + ENDPOINT_HELP.format(default="localhost:4317")
    ]
    # One signal's variable leaves the other one's missing.
    errors = errors_of([path], {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4317"})
    assert "(or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) unset" in errors[0]
    # The generic variable serves both; so does the file.
    assert load_config([path], {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"}).exporters["otlp"]["endpoint"] is None
    assert load_config([write(both % "    {endpoint: 'c:4317'}")], {}).exporters["otlp"]["endpoint"] == "c:4317"


def test_otlp_http_needs_an_endpoint_per_signal(write):
    text = OTLP.replace("otlp:", "otlp_http:").replace("[otlp]", "[otlp_http]")
    assert errors_of([write(text % "    {}")], {}) == [
        "exporters.otlp_http.endpoint: required: no endpoint in the config and OTEL_EXPORTER_OTLP_ENDPOINT (or"
        " OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) unset " + ENDPOINT_HELP.format(default="http://localhost:4318")
    ]
    # A signal's own URL is enough for a traces-only exporter.
    config = load_config([write(text % "    {traces_endpoint: 'http://c:4318/v1/traces'}")], {})
    assert config.exporters["otlp_http"]["traces_endpoint"] == "http://c:4318/v1/traces"


def test_tls_files_must_be_readable_from_the_file_or_the_environment(write, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    good = _otlp(write, f"endpoint: c:4317\ntls: {{ca_file: {ca}}}")
    assert load_config([good], {}).exporters["otlp"]["tls"]["ca_file"] == str(ca)
    missing = tmp_path / "nope" / "client.pem"
    bad = _otlp(write, f"endpoint: c:4317\ntls: {{cert_file: {missing}, key_file: {tmp_path}}}")
    assert errors_of([bad]) == [
        f"exporters.otlp.tls.cert_file: cannot read {str(missing)!r}: No such file or directory",
        f"exporters.otlp.tls.key_file: cannot read {str(tmp_path)!r}: Is a directory",
    ]
    from_env = _otlp(write, "endpoint: c:4317")
    assert errors_of([from_env], {"OTEL_EXPORTER_OTLP_CERTIFICATE": str(missing)}) == [
        f"exporters.otlp.tls.ca_file (from OTEL_EXPORTER_OTLP_CERTIFICATE): cannot read {str(missing)!r}:"
        " No such file or directory"
    ]


def test_file_exporter_directory_must_exist(write, tmp_path):
    def config(path):
        return write(MINIMAL.replace("debug: {}", f"file: {{path: '{path}'}}").replace("[debug]", "[file]"))

    assert load_config([config(tmp_path / "out.jsonl")], {}).exporters["file"]["path"] == str(tmp_path / "out.jsonl")
    assert errors_of([config(tmp_path / "no" / "out.jsonl")]) == [
        f"exporters.file.path: directory {str(tmp_path / 'no')!r} does not exist"
    ]
    assert errors_of([config(tmp_path)]) == [f"exporters.file.path: {str(tmp_path)!r} is a directory"]


def test_slo_state_file_needs_a_directory_it_can_create(write, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")

    text = MINIMAL.replace("traces:", "metrics:").replace(
        "exporters: [debug]", "processors: [slo]\n      exporters: [debug]"
    )
    text += "processors:\n  slo:\n    state_file: 'STATE'\n    objectives: [{name: avail, target: 99.9}]\n"
    # Missing directories are created at run time: fine.
    assert load_config([write(text.replace("STATE", str(tmp_path / "new" / "state.json")))], {}).processors["slo"]
    assert errors_of([write(text.replace("STATE", str(blocker / "state.json")))]) == [
        f"processors.slo.state_file: {str(blocker)!r} is not a directory"
    ]


def test_env_list_from_comma_separated_value(write):
    config = load_config(
        [_ebpf(write, "filter: {ports: '${env:PORTS}', executables: '${env:APPS:-}'}")], {"PORTS": "80, 8080"}
    )
    assert config.receivers["ebpf"]["filter"]["ports"] == [80, 8080]
    assert config.receivers["ebpf"]["filter"]["executables"] == []


def test_bad_references_are_errors(write):
    path = _otlp(write, "endpoint: ${file:/etc/endpoint}\nheaders: {a: '${env:1BAD}'}")
    errors = errors_of([path])
    assert errors[0].startswith("exporters.otlp.endpoint: unsupported reference '${file:/etc/endpoint}'")
    assert "exporters.otlp.headers.a: '${env:1BAD}' does not name an environment variable" in errors


def test_typed_value_from_env_is_still_validated(write):
    errors = errors_of([_ebpf(write, "capture_bytes: ${env:CB}")], {"CB": "lots"})
    assert errors == ["receivers.ebpf.capture_bytes: expected an integer, got 'lots'"]


def test_keys_are_not_expanded():
    assert expand({"${env:A}": "${env:A}"}, {"A": "x"}, "", [], []) == {"${env:A}": "x"}


@given(st.text())
def test_dollar_escape_round_trips_any_text(text):
    errors: list[str] = []
    assert expand(text.replace("$", "$$"), {}, "k", errors, []) == text
    assert errors == []


@given(st.text(), st.dictionaries(st.from_regex(r"[A-Z_][A-Z0-9_]{0,5}", fullmatch=True), st.text()))
def test_expand_never_raises(text, environ):
    result = expand({"a": [text, {"b": text}], "n": 5}, environ, "", [], [])
    assert result["n"] == 5
    assert isinstance(result["a"][0], str)
    if "$" not in text:
        assert result["a"][0] == text


def test_metric_export_interval_and_sdk_disabled_from_env():
    config = load_config(None, {})
    assert (config.metric_export_interval_s, config.metric_export_timeout_s, config.sdk_disabled) == (60.0, 30.0, False)
    config = load_config(None, {"OTEL_METRIC_EXPORT_INTERVAL": "15000", "OTEL_SDK_DISABLED": "TRUE"})
    assert config.metric_export_interval_s == 15.0 and config.sdk_disabled is True
    config = load_config(None, {"OTEL_METRIC_EXPORT_INTERVAL": "soon", "OTEL_METRIC_EXPORT_TIMEOUT": "-5"})
    assert (config.metric_export_interval_s, config.metric_export_timeout_s) == (60.0, 30.0)
    assert "OTEL_METRIC_EXPORT_INTERVAL='soon' is not a positive number of milliseconds; using 60000" in config.warnings
    assert any(w.startswith("OTEL_METRIC_EXPORT_TIMEOUT='-5'") for w in config.warnings)


# --- files and merging ---


def test_multiple_files_merge_deeply_later_wins_lists_replaced(write):
    base = write(
        """
        receivers:
          ebpf: {capture_bytes: 2048, filter: {ports: [80, 443]}}
        exporters:
          debug: {verbosity: basic}
        service:
          pipelines:
            traces: {receivers: [ebpf], exporters: [debug]}
        """
    )
    override = write(
        """
        receivers:
          ebpf: {filter: {ports: [8080]}}
        exporters:
          otlp: {endpoint: "c:4317"}
        service:
          pipelines:
            traces: {exporters: [otlp]}
        """
    )
    config = load_config([base, override], {})
    assert config.receivers["ebpf"]["capture_bytes"] == 2048  # kept from the first file
    assert config.receivers["ebpf"]["filter"]["ports"] == [8080]  # replaced, not appended
    assert config.pipelines["traces"].exporters == ("otlp",)
    assert config.pipelines["traces"].receivers == ("ebpf",)
    assert config.sources == (base, override) and config.source == f"{base}, {override}"
    assert "exporters.debug: configured but not used in any pipeline" in config.warnings


def test_deep_merge_does_not_alias_its_inputs():
    base = {"a": {"b": [1]}}
    merged = deep_merge(base, {"a": {"c": 2}})
    merged["a"]["b"].append(9)
    assert base == {"a": {"b": [1]}} and merged == {"a": {"b": [1, 9], "c": 2}}


def test_file_problems_are_reported_with_file_and_line(write, tmp_path):
    missing = str(tmp_path / "nope.yaml")
    assert errors_of([missing]) == [f"{missing}: cannot read the configuration: No such file or directory"]
    broken = write("receivers:\n  ebpf: {\n")
    assert errors_of([broken])[0].startswith(f"{broken}:")
    assert "invalid YAML" in errors_of([broken])[0]
    duplicate = write(MINIMAL + "receivers:\n  ebpf: {}\n")
    assert errors_of([duplicate]) == [f"{duplicate}: line 11: duplicate key 'receivers'"]
    listing = write("- receivers\n")
    assert errors_of([listing]) == [
        f"{listing}: the top level must be a mapping (receivers:, exporters:, service:, ...)"
    ]


def test_empty_file_merges_as_nothing(write):
    assert load_config([write(MINIMAL), write("")], {}).pipelines["traces"].exporters == ("debug",)


def test_parse_yaml_keeps_merge_keys_working():
    errors: list[str] = []
    data = parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "t", errors)
    assert errors == [] and data["other"] == {"x": 1, "y": 2}


# --- durations ---


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5s", 5.0),
        ("200ms", 0.2),
        ("1m", 60.0),
        ("1h2m3.5s", 3723.5),
        ("10us", 1e-5),
        ("3", 3.0),
        (2, 2.0),
        (0.5, 0.5),
        ("0", 0.0),
        ("30d", 2592000.0),  # days: beyond Go, for SLO windows
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "s", "5 s", "-1s", "1w", "5sms", "1s-", True, None, -1, float("inf"), [1]])
def test_parse_duration_rejects(text):
    assert parse_duration(text) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_duration_millis(n):
    assert parse_duration(f"{n}ms") == pytest.approx(n / 1000)


# --- print-config round trip and redaction ---


def test_to_dict_round_trips_and_redacts(write, tmp_path):
    path = _otlp(
        write, "endpoint: 'c:4317'\nheaders: {authorization: 'Bearer ${env:TOKEN}', x-cost: '$$5'}\ntimeout: 250ms"
    )
    environ = {"TOKEN": "s3cr3t:-${env:HOME}$$"}  # a value that looks like references
    config = load_config([path], environ)
    shown = config.to_dict()
    assert shown["exporters"]["otlp"]["headers"] == {"authorization": "[REDACTED]", "x-cost": "[REDACTED]"}
    assert "s3cr3t" not in config.to_yaml()
    assert config.exporters["otlp"]["headers"] == {"authorization": "Bearer s3cr3t:-${env:HOME}$$", "x-cost": "$5"}
    full = tmp_path / "full.yaml"
    full.write_text(config.to_yaml(redact=False))  # what print-config --unredacted writes
    again = load_config([str(full)], {})
    assert again.exporters == config.exporters
    assert again.receivers == config.receivers
    assert again.pipelines == config.pipelines


def test_default_print_round_trip(tmp_path):
    config = load_config(None, {})
    out = tmp_path / "default-resolved.yaml"
    out.write_text(yaml.safe_dump(config.to_dict()))
    again = load_config([str(out)], {})
    assert again.to_dict() == config.to_dict()


# --- factories that validate their config themselves (semantic_errors) ---


def _default_config():
    return {"rules": [], "max_body": 256}


def _validate_config(config):
    errors = []
    if not isinstance(config.get("max_body"), int):
        errors.append("max_body: expected an integer")
    if config.get("explode"):
        raise RuntimeError("boom")
    if config.get("plain"):
        errors.append("something is off")
    return errors


EXTERNAL = Factory(
    PROCESSORS,
    "ext_test",
    (TRACES,),
    "test",
    lambda settings, config, next_consumer: None,
    default_config=_default_config,
    validate_config=_validate_config,
)


def test_external_validator_defaults_and_prefixed_messages():
    assert EXTERNAL.default_config() == {"rules": [], "max_body": 256}
    config, errors = EXTERNAL.resolve({"rules": ["x"]}, "processors.ext_test")
    assert errors == [] and config == {"rules": ["x"], "max_body": 256}
    _, errors = EXTERNAL.resolve({"max_body": "big", "plain": True}, "processors.ext_test")
    assert errors == ["processors.ext_test.max_body: expected an integer", "processors.ext_test: something is off"]
    _, errors = EXTERNAL.resolve({"explode": True}, "processors.ext_test")
    assert errors == ["processors.ext_test: validation failed: RuntimeError: boom"]
    _, errors = EXTERNAL.resolve([1], "processors.ext_test")
    assert errors == ["processors.ext_test: expected a mapping, got a list"]


def test_a_plugin_type_is_validated_and_cannot_shadow_a_builtin(write):
    reg = Registry([*REGISTRY.types("receivers"), *REGISTRY.types("exporters"), EXTERNAL])
    path = write(
        MINIMAL.replace(
            "exporters:\n  debug: {}", "processors:\n  ext_test: {max_body: 1}\nexporters:\n  debug: {}"
        ).replace("      exporters: [debug]", "      processors: [ext_test]\n      exporters: [debug]")
    )
    config = load_config([path], {}, reg)
    assert config.processors["ext_test"] == {"rules": [], "max_body": 1}
    shadow = Factory(PROCESSORS, "ext_test", (TRACES,), "x", lambda *a: None, default_config=dict, validate_config=list)
    assert not reg.add(shadow) and reg.shadowed == [shadow]


def test_semantic_errors_is_validated_by_its_module(write):
    config = load_config(None, {})
    assert config.processors["semantic_errors"] == REGISTRY.get("processors", "semantic_errors").default_config()
    path = write(MINIMAL + "processors:\n  semantic_errors: {enabled: maybe}\n")
    errors = errors_of([path])
    assert len(errors) == 1 and errors[0].startswith("processors.semantic_errors.enabled: ")


# --- never crash on bad input ---

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8))
_keys = st.sampled_from(
    [
        "receivers",
        "processors",
        "exporters",
        "extensions",
        "service",
        "pipelines",
        "traces",
        "ebpf",
        "otlp",
        "batch",
        "debug",
        "file",
        "endpoint",
        "tls",
        "filter",
        "ports",
        "receivers",
        "exporters",
        "x",
        "file/a",
    ]
)
_trees = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _trees, max_size=6))
def test_validation_never_raises_on_arbitrary_structures(raw):
    errors: list[str] = []
    warnings: list[str] = []
    validate(raw, REGISTRY, errors, warnings)
    assert all(isinstance(e, str) for e in errors)
