"""The otel-ebpf command line: subcommands, exit codes, output."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
import urllib.request
from pathlib import Path

import pytest
import yaml

from otel_ebpf import PROJECT_ROOT, __version__, cli
from tests.harness import AS_NOBODY, IN_CI, ambient_as_nobody, require_nobody_may_run_the_agent

GOOD = """
receivers:
  ebpf: {capture_bytes: 2048}
processors:
  batch: {}
exporters:
  otlp:
    endpoint: collector:4317
    headers: {authorization: "Bearer s3cr3t"}
  debug: {}
service:
  pipelines:
    traces: {receivers: [ebpf], processors: [batch], exporters: [otlp]}
    metrics: {receivers: [ebpf], exporters: [otlp]}
"""

BAD = """
receivers:
  ebpf: {capture_bytes: 10}
exporters:
  debug: {verbosity: loud}
service:
  pipelines:
    traces: {receivers: [ebpf], exporters: [otlp/x]}
"""


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    return str(path)


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    return str(path)


@pytest.fixture(autouse=True)
def _no_otlp_env(monkeypatch):
    # The embedded default reacts to these: keep the developer's environment out of the tests.
    for name in list(os.environ):
        if name.startswith("OTEL_"):
            monkeypatch.delenv(name)


def run_module(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "otel_ebpf", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


def test_version():
    result = run_module("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"otel-ebpf {__version__}"


def test_validate_ok_prints_pipelines(good, capsys):
    assert cli.main(["validate", "--config", good]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"config OK: 2 pipelines ({good})",
        "  traces: ebpf -> batch -> otlp",
        "  metrics: ebpf -> otlp",
    ]
    assert "otel-ebpf: warning: exporters.debug: configured but not used in any pipeline" in out.err


def test_validate_embedded_default(capsys):
    assert cli.main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("config OK: 2 pipelines (<embedded default>)")


def test_validate_bad_config_lists_every_error_and_exits_2(bad, capsys):
    assert cli.main(["validate", "--config", bad]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [
        f"otel-ebpf: invalid configuration ({bad}):",
        "  receivers.ebpf.capture_bytes: must be between 64 and 8192",
        "  exporters.debug.verbosity: 'loud' is not allowed (allowed: basic, normal, detailed)",
        "  service.pipelines.traces.exporters: 'otlp/x' is not configured (configured: debug)",
        # Warnings found on the way follow: they often explain an error.
        "otel-ebpf: warning: exporters.debug: configured but not used in any pipeline",
    ]


def test_validate_merges_several_files(good, tmp_path, capsys):
    override = tmp_path / "override.yaml"
    override.write_text("service:\n  pipelines:\n    traces: {exporters: [debug]}\n")
    assert cli.main(["validate", "--config", good, "--config", str(override)]) == 0
    assert "  traces: ebpf -> batch -> debug" in capsys.readouterr().out.splitlines()


def test_run_with_bad_config_exits_2_with_errors_on_stderr(bad, capsys):
    assert cli.main(["run", "--config", bad]) == 2
    err = capsys.readouterr().err
    assert "receivers.ebpf.capture_bytes: must be between 64 and 8192" in err
    assert "'otlp/x' is not configured" in err


def test_run_with_missing_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert cli.main(["run", "--config", str(missing)]) == 2
    assert f"{missing}: cannot read the configuration" in capsys.readouterr().err


_root_tools = pytest.mark.skipif(
    (os.geteuid() != 0 or shutil.which("capsh") is None) and not IN_CI,
    reason="needs root and capsh to drop capabilities or change user (never skipped under CI)",
)


def _run_as(prefix: list[str], *args: str) -> subprocess.CompletedProcess:
    if prefix is AS_NOBODY:
        require_nobody_may_run_the_agent()
    command = " ".join([sys.executable, "-m", "otel_ebpf", *args])
    argv = [*prefix, *command.split()] if prefix is AS_NOBODY else [*prefix, command]
    return subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.bpf
@_root_tools
def test_run_without_bpf_capabilities_exits_1_naming_them():
    # Fails fast with the reason, before anything is loaded into the kernel.
    result = _run_as(["capsh", "--drop=cap_bpf,cap_perfmon,cap_sys_admin,cap_dac_read_search", "--", "-c"], "run")
    assert result.returncode == 1, result.stderr
    assert "otel-ebpf: cannot capture: privileges: missing CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)" in result.stderr
    assert "AmbientCapabilities=" in result.stderr and "setcap" not in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.bpf
@_root_tools
def test_run_as_nobody_exits_1_naming_privileges_and_tracefs_access():
    result = _run_as(AS_NOBODY, "run")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("otel-ebpf: cannot capture: privileges: missing CAP_BPF and CAP_PERFMON")
    # Mounted but mode 0700: permission denied, not "not mounted".
    assert "otel-ebpf: cannot capture: tracefs: /sys/kernel/tracing: permission denied" in result.stderr
    assert "not mounted" not in result.stderr


@pytest.mark.bpf
@_root_tools
def test_run_as_nobody_without_dac_read_search_names_it():
    result = _run_as(ambient_as_nobody("cap_bpf,cap_perfmon,cap_sys_ptrace"), "run")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == (
        "otel-ebpf: cannot capture: tracefs: /sys/kernel/tracing: permission denied"
        " (bcc reads the tracepoint formats there)"
    )
    assert "CAP_DAC_READ_SEARCH" in result.stderr


@pytest.mark.bpf
@_root_tools
def test_ensure_tracefs_tells_unreadable_from_unmounted():
    # The receivers' own check, behind the CLI's: as nobody, tracefs is there but not readable.
    code = "from otel_ebpf.kernel.mounts import ensure_tracefs; ensure_tracefs()"
    require_nobody_may_run_the_agent()
    result = subprocess.run(
        [*AS_NOBODY, sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "LoadError: tracefs is mounted but /sys/kernel/tracing is not readable (permission denied)" in result.stderr


def _capture_as_nobody(caps: str, tmp_path) -> list[dict]:
    """The spans of one request to a root-owned server, captured by the agent running as ``nobody``
    with ``caps`` ambient (docs/reference.md §5.3)."""
    from tests.harness import Server, flatten_spans, stop_process  # noqa: PLC0415

    shared = Path(tempfile.mkdtemp(prefix="otel-ebpf-nobody-"))  # pytest's tmp_path is root's alone
    shared.chmod(0o777)
    server = Server("python", tmp_path, env={"OTEL_SERVICE_NAME": "probe-svc"})
    log = open(shared / "agent.log", "wb")  # noqa: SIM115 - closed below
    agent = None
    try:
        config = shared / "agent.yaml"
        config.write_text(
            f"receivers: {{ebpf: {{filter: {{ports: [{server.port}]}}}}}}\n"
            f"exporters: {{file: {{path: {shared / 'out.jsonl'}}}}}\n"
            "service: {pipelines: {traces: {receivers: [ebpf], exporters: [file]}}}\n"
        )
        config.chmod(0o644)
        command = f"exec {sys.executable} -m otel_ebpf run --config {config}"
        agent = subprocess.Popen([*ambient_as_nobody(caps), command], cwd=PROJECT_ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while " running (config" not in (shared / "agent.log").read_text() and agent.poll() is None:
            assert time.monotonic() < deadline, (shared / "agent.log").read_text()
            time.sleep(0.1)
        assert agent.poll() is None, (shared / "agent.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/items/7", timeout=10) as response:
            assert response.status == 200
        spans: list[dict] = []
        deadline = time.monotonic() + 15
        while not any(s["kind"] == "SERVER" for s in spans) and time.monotonic() < deadline:
            time.sleep(0.2)
            out = shared / "out.jsonl"
            lines = out.read_text().split("\n")[:-1] if out.exists() else []
            spans = flatten_spans([json.loads(line) for line in lines])
        agent.send_signal(signal.SIGINT)
        assert agent.wait(timeout=30) == 0, (shared / "agent.log").read_text()
        assert "Traceback" not in (shared / "agent.log").read_text()
        return [s for s in spans if s["kind"] == "SERVER"]
    finally:
        if agent is not None and agent.poll() is None:
            stop_process(agent)
        log.close()
        server.stop()
        shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.bpf
@_root_tools
def test_run_as_nobody_with_the_documented_ambient_capabilities_captures(tmp_path):
    # docs/reference.md §5.3: no root, no setcap; the compile child inherits the ambient set.
    [span] = _capture_as_nobody("cap_bpf,cap_perfmon,cap_dac_read_search,cap_sys_ptrace", tmp_path)
    assert span["attributes"]["url.path"] == "/items/7"
    assert span["resource"]["service.name"] == "probe-svc"
    assert span["resource"]["process.executable.path"] == str(Path(sys.executable).resolve())


@pytest.mark.bpf
@_root_tools
def test_without_sys_ptrace_a_root_process_keeps_its_service_name_but_not_its_executable_path(tmp_path):
    # What the reference's capability table says of CAP_SYS_PTRACE: environ stays readable with
    # CAP_DAC_READ_SEARCH, the exe link does not.
    [span] = _capture_as_nobody("cap_bpf,cap_perfmon,cap_dac_read_search", tmp_path)
    assert span["attributes"]["url.path"] == "/items/7"
    assert span["resource"]["service.name"] == "probe-svc"
    assert "process.executable.path" not in span["resource"]


def test_an_unexpected_failure_is_one_line_and_exit_1_with_the_traceback_under_verbose(monkeypatch, capsys):
    def broken(args):
        raise PermissionError(13, "Permission denied", "/sys/kernel/somewhere")

    monkeypatch.setitem(cli.COMMANDS, "components", broken)
    assert cli.main(["components"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "otel-ebpf: components failed: PermissionError: /sys/kernel/somewhere: Permission denied",
        "  (otel-ebpf -v shows the traceback)",
    ]
    assert cli.main(["-v", "components"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "raise PermissionError" in err


@pytest.mark.parametrize("command", ["validate", "run", "print-config"])
def test_a_config_path_that_cannot_be_read_exits_2_naming_it(command, tmp_path, capsys):
    for path, reason in ((tmp_path / "missing.yaml", "No such file or directory"), (tmp_path, "Is a directory")):
        assert cli.main([command, "--config", str(path)]) == 2
        out = capsys.readouterr()
        assert out.err.splitlines() == [
            f"otel-ebpf: invalid configuration ({path}):",
            f"  {path}: cannot read the configuration: {reason}",
        ]
        assert out.out == ""


@_root_tools
def test_a_config_only_root_may_read_is_an_error_for_nobody_not_a_traceback(tmp_path):
    path = tmp_path / "agent.yaml"
    path.write_text(GOOD)
    path.chmod(0o600)
    for command in ("validate", "run"):
        result = _run_as(AS_NOBODY, command, "--config", str(path))
        assert result.returncode == 2, result.stderr
        assert f"{path}: cannot read the configuration: Permission denied" in result.stderr
        assert "Traceback" not in result.stderr


def test_otlp_exporter_without_endpoint_fails_validate_and_run_naming_the_key(tmp_path):
    path = tmp_path / "agent.yaml"
    path.write_text(GOOD.replace("endpoint: collector:4317", "endpoint: ${env:COLLECTOR}"))
    for command in ("validate", "run"):
        result = run_module(command, "--config", str(path))
        assert result.returncode == 2, result.stderr
        assert "exporters.otlp.endpoint: is empty (an unset or empty ${env:...}?)" in result.stderr
        # The warning that explains it comes with it.
        assert "warning: exporters.otlp.endpoint: environment variable COLLECTOR is not set" in result.stderr
    # Set, it is what it says.
    result = run_module("validate", "--config", str(path), env={**os.environ, "COLLECTOR": "collector:4317"})
    assert result.returncode == 0, result.stderr


def test_the_readme_first_run_needs_no_backend():
    # `otel-ebpf run` with the embedded default and no OTEL_EXPORTER_OTLP_ENDPOINT: debug output only.
    result = run_module("validate", env={k: v for k, v in os.environ.items() if not k.startswith("OTEL_")})
    assert result.returncode == 0, result.stderr
    assert "traces: ebpf -> semantic_errors, batch -> debug" in result.stdout


def test_print_config_is_a_valid_config_with_secrets_redacted(good, tmp_path, capsys):
    assert cli.main(["print-config", "--config", good]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# otel-ebpf resolved configuration from {good} (secrets redacted)\n")
    assert "s3cr3t" not in out
    printed = yaml.safe_load(out)
    assert printed["exporters"]["otlp"]["headers"] == {"authorization": "[REDACTED]"}
    assert printed["exporters"]["otlp"]["sending_queue"]["queue_size"] == 1000  # defaults filled in
    assert printed["receivers"]["ebpf"]["capture_bytes"] == 2048
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(out)
    assert cli.main(["validate", "--config", str(resolved)]) == 0


def test_print_config_unredacted(good, capsys):
    assert cli.main(["print-config", "--config", good, "--unredacted"]) == 0
    assert "Bearer s3cr3t" in capsys.readouterr().out


def test_print_config_into_a_closed_pipe_is_quiet():
    result = subprocess.run(
        f"{sys.executable} -m otel_ebpf print-config | head -1",
        shell=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("# otel-ebpf resolved configuration")
    assert "Traceback" not in result.stderr


def test_components_lists_every_kind_and_type(capsys):
    assert cli.main(["components"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert [line for line in lines if not line.startswith(" ")] == [
        "receivers:",
        "processors:",
        "exporters:",
        "extensions:",
    ]
    types = {line.split()[0] for line in lines if line.startswith("  ")}
    assert types == {
        "ebpf",
        "otlp",
        "tcp_flows",
        "memory_limiter",
        "batch",
        "health_score",
        "slo",
        "cause_attribution",
        "circuit_breaker",
        "probabilistic_sampler",
        "semantic_errors",
        "debug",
        "file",
        "otlp_http",
        "nop",
        "prometheus",
        "health_check",
    }
    assert "  ebpf                   traces, metrics" in out
    # Aliases are shown with the type they stand for.
    assert "(also: otlp_grpc)" in out and "(also: otlphttp)" in out


def test_check_subcommand_runs_preflight():
    result = run_module("check")
    assert result.returncode in (0, 1)
    assert result.stdout.splitlines()[0].split()[:2] == ["status", "check"]
    assert ("the agent can run" in result.stdout) == (result.returncode == 0)


@pytest.mark.parametrize("command", ["run", "validate", "print-config", "components", "check", "classify"])
def test_every_subcommand_has_worked_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([command, "-h"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert f"otel-ebpf {command}" in out


def test_verbose_sets_debug_logging_before_or_after_the_command(capsys):
    root = logging.getLogger()
    previous = root.level
    try:
        root.setLevel(logging.WARNING)
        assert cli.main(["-v", "components"]) == 0
        assert root.level == logging.DEBUG
        root.setLevel(logging.WARNING)
        assert cli.main(["components", "--verbose"]) == 0
        assert root.level == logging.DEBUG
        root.setLevel(logging.WARNING)
        assert cli.main(["components"]) == 0
        assert root.level == logging.WARNING
    finally:
        root.setLevel(previous)


def test_usage_errors_exit_2(capsys):
    for argv in ([], ["frobnicate"], ["components", "--bogus"], ["validate", "--config"]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 2, argv


def test_classify_passes_its_arguments_through_verbatim():
    assert cli._own_argv(["-v", "classify", "--format", "json", "in.txt"], "classify") == ["--format", "json", "in.txt"]
    assert cli._own_argv(["classify"], "classify") == []


def test_classify_calls_classify_main_with_args_and_streams(monkeypatch):
    # A stand-in classifier module: the wiring is under test here, not the classifier.
    calls = []
    module = types.ModuleType("otel_ebpf.classify_cli")

    def classify_main(argv, stdin, stdout):
        calls.append((argv, stdin, stdout))
        stdout.write("classified\n")
        return 3

    module.classify_main = classify_main
    monkeypatch.setitem(sys.modules, "otel_ebpf.classify_cli", module)
    assert cli.main(["classify", "in.txt", "--json"]) == 3
    assert calls == [(["in.txt", "--json"], sys.stdin, sys.stdout)]


def test_run_with_otel_sdk_disabled_exits_0_without_attaching(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, OTEL_SDK_DISABLED="true")
    result = subprocess.run(
        [sys.executable, "-m", "otel_ebpf", "run"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "OTEL_SDK_DISABLED=true" in result.stderr
    assert "capturing HTTP" not in result.stderr
