"""Preflight checks, against fake /sys and /proc trees and against this machine."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otel_ebpf import PROJECT_ROOT, preflight
from otel_ebpf.preflight import (
    CAP_BPF,
    CAP_PERFMON,
    CAP_SYS_ADMIN,
    CAPTURE_PATH_TRACEPOINTS,
    CAPTURE_TRACEPOINTS,
    TCP_FLOW_TRACEPOINTS,
    Check,
    Host,
    Status,
    can_run,
    missing_capabilities,
    parse_capabilities,
    render,
    run_checks,
)
from tests.harness import AS_NOBODY, IN_CI, ambient_as_nobody, require_nobody_may_run_the_agent

RELEASE = "6.18.44-test"
ALL_CAPS = 0x000001FFFEFFFFFF  # this project's machines: everything but CAP_SYS_RESOURCE
CAP_MASK_DROPPED = ALL_CAPS & ~((1 << CAP_BPF) | (1 << CAP_PERFMON) | (1 << CAP_SYS_ADMIN))

STATUS_TEMPLATE = """Name:\tpython3
Umask:\t0022
State:\tR (running)
CapInh:\t0000000000000000
CapPrm:\t{cap:016x}
CapEff:\t{cap:016x}
CapBnd:\t{cap:016x}
CapAmb:\t0000000000000000
"""


def _no_bcc():
    raise ImportError("No module named 'bcc'")


class FakeBcc:
    __version__ = "0.26.0"


def make_host(
    root: Path,
    *,
    caps: int | None = ALL_CAPS,
    release: str = RELEASE,
    tracefs: str | None = "/sys/kernel/tracing",
    missing_tracepoints: tuple[str, ...] = (),
    kprobe_events: bool = False,
    btf: bool = True,
    headers: str | None = "lib",
    kallsyms: str | None = "ffffffff81527990 T bpf_ringbuf_reserve\nffffffff81527a00 T bpf_ringbuf_submit\n",
    lockdown: str | None = None,
    bcc_ok: bool = True,
    environ: dict | None = None,
) -> Host:
    """Builds a fake machine under ``root`` with the given features."""

    def put(absolute: str, text: str = "") -> Path:
        path = root / absolute.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    if caps is not None:
        put("/proc/self/status", STATUS_TEMPLATE.format(cap=caps))
    (root / "sys/kernel/tracing").mkdir(parents=True, exist_ok=True)
    if tracefs is not None:
        events = root / tracefs.lstrip("/") / "events"
        tcp_flows = [(preflight._group(t), t) for t, _ in TCP_FLOW_TRACEPOINTS.values()]
        every = {*CAPTURE_TRACEPOINTS, *[tp for tps in CAPTURE_PATH_TRACEPOINTS.values() for tp in tps], *tcp_flows}
        for group, name in every:
            if name not in missing_tracepoints:
                (events / group / name).mkdir(parents=True, exist_ok=True)
        if kprobe_events:
            put(f"{tracefs}/kprobe_events")
    if btf:
        put("/sys/kernel/btf/vmlinux", "BTF")
    if headers == "lib":
        (root / f"lib/modules/{release}/build/include").mkdir(parents=True)
    elif headers == "usr":
        for suffix in ("amd64", "common"):
            (root / f"usr/src/linux-headers-6.1.0-56-{suffix}").mkdir(parents=True)
    if kallsyms is not None:
        put("/proc/kallsyms", kallsyms)
    if lockdown is not None:
        put("/sys/kernel/security/lockdown", lockdown)
    return Host(
        root=root,
        kernel_release=release,
        environ=environ or {},
        import_bcc=(lambda: FakeBcc) if bcc_ok else _no_bcc,
        memlock=lambda: (8 << 20, 8 << 20),
    )


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def failed(checks: list[Check]) -> list[str]:
    return [c.name for c in checks if c.status is Status.FAIL]


# --- capabilities ---


def test_parse_capabilities_reads_capeff_not_capprm():
    text = STATUS_TEMPLATE.format(cap=ALL_CAPS).replace(f"CapEff:\t{ALL_CAPS:016x}", "CapEff:\t0000000000200000")
    assert parse_capabilities(text) == 1 << CAP_SYS_ADMIN
    assert parse_capabilities("Name:\tx\n") is None


@pytest.mark.parametrize(
    ("caps", "kernel", "missing"),
    [
        (ALL_CAPS, (6, 18), []),
        (1 << CAP_SYS_ADMIN, (6, 18), []),
        ((1 << CAP_BPF) | (1 << CAP_PERFMON), (6, 18), []),
        (1 << CAP_BPF, (6, 18), ["CAP_PERFMON", "CAP_SYS_ADMIN"]),
        (CAP_MASK_DROPPED, (6, 18), ["CAP_BPF", "CAP_PERFMON", "CAP_SYS_ADMIN"]),
        ((1 << CAP_BPF) | (1 << CAP_PERFMON), (5, 4), ["CAP_SYS_ADMIN"]),  # no CAP_BPF before 5.8
    ],
)
def test_missing_capabilities(caps, kernel, missing):
    assert missing_capabilities(caps, kernel) == missing


def test_dropped_capabilities_fail_and_are_named(tmp_path):
    checks = by_name(run_checks(make_host(tmp_path, caps=CAP_MASK_DROPPED)))
    privileges = checks["privileges"]
    assert privileges.status is Status.FAIL
    assert "missing CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)" in privileges.detail
    # What works (ambient capabilities), not setcap, which the kernel ignores on a script.
    assert "root" in privileges.fix and "CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH" in privileges.fix
    assert "AmbientCapabilities=" in privileges.fix and "setcap" not in privileges.fix


def test_missing_sys_ptrace_only_warns_with_what_is_lost(tmp_path):
    from otel_ebpf.preflight import CAP_SYS_PTRACE

    checks = by_name(run_checks(make_host(tmp_path, caps=ALL_CAPS & ~(1 << CAP_SYS_PTRACE))))
    access = checks["other users' /proc"]
    assert access.status is Status.WARN
    assert "process.executable.path" in access.detail and "CAP_SYS_PTRACE" in access.fix
    assert by_name(run_checks(make_host(tmp_path / "all")))["other users' /proc"].status is Status.OK


def test_cap_bpf_and_perfmon_without_sys_admin_is_enough(tmp_path):
    caps = CAP_MASK_DROPPED | (1 << CAP_BPF) | (1 << CAP_PERFMON)
    privileges = by_name(run_checks(make_host(tmp_path, caps=caps)))["privileges"]
    assert privileges.status is Status.OK
    assert privileges.detail == "effective: CAP_BPF, CAP_PERFMON"


def test_unreadable_status_warns(tmp_path):
    assert by_name(run_checks(make_host(tmp_path, caps=None)))["privileges"].status is Status.WARN


# --- a healthy fake machine, then one problem at a time ---


def test_healthy_fake_machine_passes(tmp_path):
    checks = run_checks(make_host(tmp_path))
    assert failed(checks) == []
    assert can_run(checks)
    names = [c.name for c in checks]
    for expected in ("privileges", "kernel", "BTF", "tracefs", "kernel headers", "bcc", "kprobes", "BPF ring buffer"):
        assert expected in names
    assert {f"{group}:{name}" for group, name in CAPTURE_TRACEPOINTS} <= set(names)
    assert not [n for n in names if n.startswith(("syscalls:", "raw_syscalls:"))]  # the sock path attaches none
    assert by_name(checks)["bcc"].detail == "importable 0.26.0"
    assert preflight.main(make_host(tmp_path / "again"), io.StringIO()) == 0


def test_tracefs_under_debugfs_is_found(tmp_path):
    checks = by_name(run_checks(make_host(tmp_path, tracefs="/sys/kernel/debug/tracing")))
    assert checks["tracefs"].status is Status.OK
    assert checks["tracefs"].detail == "mounted at /sys/kernel/debug/tracing"
    assert checks["sock:sock_send_length"].status is Status.OK
    assert checks["tcp:tcp_destroy_sock"].status is Status.OK


def test_tracefs_not_mounted_and_no_sys_admin_fails_with_mount_command(tmp_path):
    caps = CAP_MASK_DROPPED | (1 << CAP_BPF) | (1 << CAP_PERFMON)
    checks = by_name(run_checks(make_host(tmp_path, tracefs=None, caps=caps)))
    assert checks["tracefs"].status is Status.FAIL
    assert checks["tracefs"].fix == "mount -t tracefs nodev /sys/kernel/tracing"
    assert checks["tracepoints"].status is Status.WARN  # cannot be checked: one row, not thirty
    assert "sock:sock_recv_length" not in checks


def test_tracefs_not_mounted_with_sys_admin_only_warns(tmp_path):
    # The agent mounts tracefs itself when it may.
    checks = by_name(run_checks(make_host(tmp_path, tracefs=None)))
    assert checks["tracefs"].status is Status.WARN
    assert "mount -t tracefs" in checks["tracefs"].fix


def test_missing_tcp_tracepoint_fails_by_name(tmp_path):
    checks = run_checks(make_host(tmp_path, missing_tracepoints=("tcp_destroy_sock",)))
    assert failed(checks) == ["tcp:tcp_destroy_sock"]
    assert by_name(checks)["tcp:tcp_destroy_sock"].detail == "missing: required for HTTP capture"


def test_missing_inet_sock_set_state_fails(tmp_path):
    checks = run_checks(make_host(tmp_path, missing_tracepoints=("inet_sock_set_state",)))
    assert failed(checks) == ["sock:inet_sock_set_state"]
    assert "required for HTTP capture" in by_name(checks)["sock:inet_sock_set_state"].detail


def test_the_sock_path_is_chosen_where_its_tracepoints_are(tmp_path):
    checks = by_name(run_checks(make_host(tmp_path)))
    assert checks["capture path"].status is Status.OK
    assert checks["capture path"].detail.startswith("sock_tracepoints: ")
    assert "raw_syscalls:sys_exit" not in checks  # listed only when used


def test_without_sock_length_the_syscall_path_is_chosen_and_said_why(tmp_path):
    """Linux 5.8-6.2: no sock:sock_*_length.  The agent runs, on the syscall path, and says so."""
    checks = run_checks(make_host(tmp_path, missing_tracepoints=("sock_send_length", "sock_recv_length")))
    assert failed(checks) == []
    rows = by_name(checks)
    assert rows["capture path"].detail.startswith("syscall_tracepoints: no sock:sock_*_length (Linux < 6.3)")
    assert rows["sock:sock_send_length"].status is Status.INFO
    assert rows["raw_syscalls:sys_exit"].status is Status.OK
    # TCP flows: the bytes come from the socket's counters there; said, not a warning.
    assert rows["TCP flow signals"].status is Status.OK
    assert "tcp_sock.bytes_sent - bytes_retrans" in rows["TCP flow signals"].detail


def test_no_capture_path_at_all_fails(tmp_path):
    missing = ("sock_send_length", "sock_recv_length", "sys_exit")
    checks = run_checks(make_host(tmp_path, missing_tracepoints=missing))
    assert "capture path" in failed(checks)


def test_the_environment_forces_a_capture_path(tmp_path):
    host = make_host(tmp_path, environ={"OTEL_EBPF_CAPTURE_PATH": "syscall_tracepoints"})
    rows = by_name(run_checks(host))
    assert rows["capture path"].detail == "syscall_tracepoints: forced by OTEL_EBPF_CAPTURE_PATH"
    assert rows["raw_syscalls:sys_exit"].status is Status.OK
    forced = {"OTEL_EBPF_CAPTURE_PATH": "sock_tracepoints"}
    forced_missing = make_host(tmp_path / "b", environ=forced, missing_tracepoints=("sock_recv_length",))
    assert failed(run_checks(forced_missing)) == ["sock:sock_recv_length", "capture path"]
    bogus = by_name(run_checks(make_host(tmp_path / "c", environ={"OTEL_EBPF_CAPTURE_PATH": "kprobes"})))
    assert bogus["capture path"].status is Status.FAIL


def test_a_missing_tcp_flow_tracepoint_is_a_warning_naming_its_signal(tmp_path):
    rows = by_name(run_checks(make_host(tmp_path, missing_tracepoints=("tcp_probe",))))
    assert rows["TCP flow signals"].status is Status.WARN
    assert "smoothed RTT and segments (no tcp:tcp_probe)" in rows["TCP flow signals"].detail


def test_headers_from_usr_src_are_accepted(tmp_path):
    headers = by_name(run_checks(make_host(tmp_path, headers="usr")))["kernel headers"]
    assert headers.status is Status.OK
    assert "/usr/src/linux-headers-6.1.0-56-amd64" in headers.detail


def test_no_headers_fails_with_setup_script(tmp_path):
    headers = by_name(run_checks(make_host(tmp_path, headers=None)))["kernel headers"]
    assert headers.status is Status.FAIL
    assert headers.fix == "sh scripts/setup.sh"
    assert f"/lib/modules/{RELEASE}/build/include" in headers.detail


def test_bcc_kernel_source_env_counts_as_headers(tmp_path):
    host = make_host(tmp_path, headers=None, environ={"BCC_KERNEL_SOURCE": "/opt/headers"})
    assert by_name(run_checks(host))["kernel headers"].status is Status.OK


def test_bcc_not_importable_fails_and_names_the_package(tmp_path):
    bcc = by_name(run_checks(make_host(tmp_path, bcc_ok=False)))["bcc"]
    assert bcc.status is Status.FAIL
    assert "python3-bpfcc" in bcc.detail
    assert "scripts/setup.sh" in bcc.fix


def test_no_btf_fails(tmp_path):
    checks = run_checks(make_host(tmp_path, btf=False))
    assert by_name(checks)["BTF"].status is Status.FAIL
    assert not can_run(checks)


def test_kprobes_are_information_only(tmp_path):
    absent = by_name(run_checks(make_host(tmp_path / "a")))["kprobes"]
    present = by_name(run_checks(make_host(tmp_path / "b", kprobe_events=True)))["kprobes"]
    assert absent.status is present.status is Status.INFO
    assert absent.detail.startswith("not available") and present.detail.startswith("available")


def test_ring_buffer_probed_from_kernel_symbols(tmp_path):
    no_symbol = run_checks(make_host(tmp_path / "a", kallsyms="ffffffff81000000 T _stext\n"))
    assert by_name(no_symbol)["BPF ring buffer"].status is Status.FAIL
    old_kernel = run_checks(make_host(tmp_path / "b", kallsyms=None, release="5.4.0-150-generic"))
    assert by_name(old_kernel)["BPF ring buffer"].status is Status.FAIL
    new_kernel = run_checks(make_host(tmp_path / "c", kallsyms=None))
    assert by_name(new_kernel)["BPF ring buffer"].status is Status.INFO


def test_old_kernel_and_unparsable_release(tmp_path):
    assert by_name(run_checks(make_host(tmp_path / "a", release="4.9.0")))["kernel"].status is Status.FAIL
    assert by_name(run_checks(make_host(tmp_path / "b", release="weird")))["kernel"].status is Status.WARN


def test_memlock_matters_only_before_memcg_accounting(tmp_path):
    new = by_name(run_checks(make_host(tmp_path / "a")))["memlock"]
    assert new.status is Status.INFO and "8 MiB" in new.detail
    old = by_name(run_checks(make_host(tmp_path / "b", release="5.10.0", kallsyms=None)))["memlock"]
    assert old.status is Status.WARN and old.fix == "ulimit -l unlimited"


def test_lockdown_confidentiality_fails(tmp_path):
    integrity = by_name(run_checks(make_host(tmp_path / "a", lockdown="none [integrity] confidentiality\n")))
    assert integrity["lockdown"].status is Status.INFO and integrity["lockdown"].detail == "integrity"
    strict = by_name(run_checks(make_host(tmp_path / "b", lockdown="none integrity [confidentiality]\n")))
    assert strict["lockdown"].status is Status.FAIL
    assert "lockdown" not in by_name(run_checks(make_host(tmp_path / "c")))


# --- rendering and exit code ---


def test_render_fits_100_columns_and_lists_every_check(tmp_path):
    checks = run_checks(
        make_host(
            tmp_path, caps=CAP_MASK_DROPPED, headers=None, bcc_ok=False, missing_tracepoints=("tcp_destroy_sock",)
        )
    )
    out = io.StringIO()
    render(checks, out)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].split() == ["status", "check", "detail", "how", "to", "fix"]
    body = out.getvalue()
    for check in checks:
        assert check.name in body
    assert "FAIL" in body and "ok" in body
    assert lines[-1].startswith(
        "the agent cannot run: 4 failed (privileges, kernel headers, bcc, tcp:tcp_destroy_sock)"
    )


def test_main_exit_code(tmp_path):
    out = io.StringIO()
    assert preflight.main(make_host(tmp_path, bcc_ok=False), out) == 1
    assert "the agent cannot run" in out.getvalue()


# --- the real machine ---

_root = os.geteuid() == 0


@pytest.mark.bpf
@pytest.mark.skipif(not _root and not IN_CI, reason="needs root (never skipped under CI)")
def test_real_machine_passes():
    checks = run_checks()
    assert failed(checks) == [], [c for c in checks if c.status is Status.FAIL]
    out = io.StringIO()
    render(checks, out)
    assert max(len(line) for line in out.getvalue().splitlines()) <= 100


@pytest.mark.bpf
@pytest.mark.skipif(shutil.which("capsh") is None and not IN_CI, reason="capsh (libcap2-bin) is not installed")
@pytest.mark.skipif(not _root and not IN_CI, reason="needs root to drop capabilities from (never skipped under CI)")
def test_check_without_bpf_capabilities_exits_non_zero_naming_them():
    # cap_dac_read_search too: root keeps cap_dac_override, so tracefs stays readable.
    command = f"{sys.executable} -m otel_ebpf check"
    result = subprocess.run(
        ["capsh", "--drop=cap_bpf,cap_perfmon,cap_sys_admin,cap_dac_read_search", "--", "-c", command],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, result.stdout
    assert "CAP_BPF" in result.stdout and "CAP_PERFMON" in result.stdout
    assert "the agent cannot run: 1 failed (privileges)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# As an ordinary user: /sys/kernel/tracing is mode 0700 here (as on most distributions), so it is
# mounted but unreadable, which must not read as "not mounted" (nor crash on EACCES).
_TRACEFS_PRIVATE = os.path.isdir("/sys/kernel/tracing/events") and not os.stat("/sys/kernel/tracing").st_mode & 0o005


def _check_as(prefix: list[str]) -> subprocess.CompletedProcess:
    if prefix is AS_NOBODY:
        require_nobody_may_run_the_agent()
    command = [*prefix, f"{sys.executable} -m otel_ebpf check"]
    if prefix is AS_NOBODY:
        command = [*prefix, sys.executable, "-m", "otel_ebpf", "check"]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


_needs_root_tools = [
    pytest.mark.skipif(not _root and not IN_CI, reason="needs root to change user (never skipped under CI)"),
    pytest.mark.skipif(shutil.which("capsh") is None and not IN_CI, reason="capsh (libcap2-bin) is not installed"),
]


@_needs_root_tools[0]
@_needs_root_tools[1]
def test_check_as_nobody_reports_privileges_and_unreadable_tracefs_without_traceback():
    assert _TRACEFS_PRIVATE or IN_CI, "this test expects tracefs at /sys/kernel/tracing, mode 0700"
    result = _check_as(AS_NOBODY)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # The first line of each row (the table wraps its cells).
    rows = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith(("FAIL", "ok", "warn"))}
    assert rows["privileges"].startswith("FAIL") and "missing CAP_BPF and" in rows["privileges"]
    assert rows["tracefs"].startswith("FAIL") and "/sys/kernel/tracing:" in rows["tracefs"]
    assert "permission denied" in " ".join(result.stdout.split())
    assert "not mounted" not in rows["tracefs"]
    assert "the agent cannot run: 2 failed (privileges, tracefs)" in result.stdout


@_needs_root_tools[0]
@_needs_root_tools[1]
def test_check_with_bpf_capabilities_but_not_dac_read_search_names_it():
    result = _check_as(ambient_as_nobody("cap_bpf,cap_perfmon,cap_sys_ptrace"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "the agent cannot run: 1 failed (tracefs)" in result.stdout
    assert "CAP_DAC_READ_SEARCH" in result.stdout


@_needs_root_tools[0]
@_needs_root_tools[1]
def test_check_passes_for_nobody_with_the_documented_ambient_capabilities():
    result = _check_as(ambient_as_nobody("cap_bpf,cap_perfmon,cap_dac_read_search,cap_sys_ptrace"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the agent can run" in result.stdout
    # Without CAP_SYS_PTRACE it still runs, with a warning saying what is lost.
    result = _check_as(ambient_as_nobody("cap_bpf,cap_perfmon,cap_dac_read_search"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no CAP_SYS_PTRACE" in result.stdout
