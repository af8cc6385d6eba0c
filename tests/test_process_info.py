"""pid -> ProcessInfo from /proc (receivers/ebpf/process_info.py over kernel/procfs.py), with real child processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from otel_ebpf import __version__
from otel_ebpf.kernel import procfs
from otel_ebpf.kernel.procfs import container_id_from_cgroup, pod_uid_from_cgroup
from otel_ebpf.receivers.helper.processes import ProcessResolver
from otel_ebpf.telemetry.resource import parse_resource_attributes

SLEEP = shutil.which("sleep") or "/bin/sleep"
CID = "3f9a2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"


@pytest.fixture
def spawn() -> Iterator:
    children: list[subprocess.Popen] = []

    def start(env: dict[str, str], argv: list[str] | None = None) -> subprocess.Popen:
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        child = subprocess.Popen(argv or [SLEEP, "30"], env={**base, **env})
        children.append(child)
        # Popen returns once execve has begun; the new environment is mapped a moment later.
        deadline = time.monotonic() + 5
        while not Path(f"/proc/{child.pid}/environ").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.001)
        return child

    yield start
    for child in children:
        child.kill()
        child.wait()


def test_real_process_with_otel_environment(spawn):
    child = spawn(
        {"OTEL_SERVICE_NAME": "checkout", "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,team=a%2Cb"}
    )
    info = ProcessResolver(host_name="node-1").get(child.pid)
    attrs = info.resource_attributes
    assert info.pid == child.pid
    assert info.service_name == "checkout"
    assert info.executable_name == "sleep"
    assert attrs["service.name"] == "checkout"
    assert attrs["deployment.environment"] == "prod"
    assert attrs["team"] == "a,b"
    assert attrs["process.pid"] == child.pid
    assert attrs["process.parent_pid"] == os.getpid()
    assert attrs["process.executable.name"] == "sleep"
    assert attrs["process.executable.path"] == os.path.realpath(SLEEP)
    assert attrs["process.command"] == SLEEP
    assert attrs["host.name"] == "node-1"
    assert attrs["telemetry.distro.name"] == "otel-ebpf"
    assert attrs["telemetry.distro.version"] == __version__
    assert "telemetry.sdk.language" not in attrs
    assert "container.id" not in attrs  # this VM runs us outside any container runtime
    assert info.key == tuple(sorted((k, str(v)) for k, v in attrs.items()))


def test_service_name_precedence(spawn):
    resolver = ProcessResolver(host_name="h")
    both = spawn({"OTEL_SERVICE_NAME": "from-env", "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs"})
    attrs_only = spawn({"OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs"})
    nothing = spawn({})
    assert resolver.get(both.pid).service_name == "from-env"
    assert resolver.get(attrs_only.pid).service_name == "from-attrs"
    assert resolver.get(nothing.pid).service_name == "sleep"


def test_the_agents_own_otel_environment_does_not_rename_observed_services(spawn, monkeypatch):
    monkeypatch.setenv("OTEL_SERVICE_NAME", "the-agent")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=the-agent,team=agents")
    child = spawn({})
    attrs = ProcessResolver().get(child.pid).resource_attributes
    assert attrs["service.name"] == "sleep"
    assert "team" not in attrs


def test_a_process_cannot_fake_what_the_agent_reads_from_the_kernel(spawn):
    child = spawn({"OTEL_RESOURCE_ATTRIBUTES": "process.pid=1,telemetry.distro.name=x,host.name=pretend"})
    attrs = ProcessResolver(host_name="real").get(child.pid).resource_attributes
    assert attrs["process.pid"] == child.pid
    assert attrs["telemetry.distro.name"] == "otel-ebpf"
    assert attrs["host.name"] == "pretend"  # not a kernel fact: the process may say where it runs


def test_instance_id_is_stable_per_process_and_differs_between_processes(spawn):
    a, b = spawn({}), spawn({})
    first = ProcessResolver(host_name="h").get(a.pid).resource_attributes["service.instance.id"]
    again = ProcessResolver(host_name="h").get(a.pid).resource_attributes["service.instance.id"]
    other = ProcessResolver(host_name="h").get(b.pid).resource_attributes["service.instance.id"]
    assert first == again != other


def test_cache_forget_and_bound(spawn):
    resolver = ProcessResolver(max_entries=2)
    children = [spawn({}) for _ in range(3)]
    first = resolver.get(children[0].pid)
    assert resolver.get(children[0].pid) is first
    resolver.forget(children[0].pid)
    assert resolver.get(children[0].pid) is not first
    for child in children:
        resolver.get(child.pid)
    assert len(resolver) == 2


def test_vanished_process_gets_a_minimal_info():
    child = subprocess.Popen([SLEEP, "0"])
    child.wait()
    info = ProcessResolver(host_name="h").get(child.pid)
    assert info.pid == child.pid
    assert info.executable_name == "unknown"
    assert info.resource_attributes["service.name"] == "unknown_service"
    assert info.resource_attributes["process.pid"] == child.pid


def _fake_proc(root: Path, pid: int, *, start: int, comm: str = "app", cgroup: str = "0::/\n") -> None:
    d = root / str(pid)
    d.mkdir(parents=True, exist_ok=True)
    fields = ["S"] + ["0"] * 18 + [str(start)] + ["0"] * 20
    (d / "stat").write_text(f"{pid} ({comm} (x)) " + " ".join(fields) + "\n")
    (d / "comm").write_text(comm + "\n")
    (d / "cmdline").write_bytes(b"/srv/" + comm.encode() + b"\0--password=hunter2\0")
    (d / "environ").write_bytes(b"HOME=/\0OTEL_SERVICE_NAME=fake-" + comm.encode() + b"\0")
    (d / "status").write_text("Name:\tapp\nPPid:\t1\n")
    (d / "cgroup").write_text(cgroup)


def test_recycled_pid_is_noticed_by_start_time(tmp_path):
    _fake_proc(tmp_path, 500, start=100, comm="old")
    resolver = ProcessResolver(host_name="h", proc_root=str(tmp_path), revalidate_after_s=0.0)
    old = resolver.get(500)
    assert old.service_name == "fake-old"
    assert old.executable_name == "old"  # no exe link: comm
    assert old.resource_attributes["process.command"] == "/srv/old"  # argv[0] only, never the arguments
    assert resolver.get(500) is old
    _fake_proc(tmp_path, 500, start=200, comm="new")
    assert resolver.get(500).service_name == "fake-new"


def test_a_process_caught_mid_exec_is_read_again(tmp_path):
    _fake_proc(tmp_path, 700, start=5, comm="web")
    (tmp_path / "700" / "environ").write_bytes(b"")  # what /proc shows inside execve
    resolver = ProcessResolver(host_name="h", proc_root=str(tmp_path), provisional_retry_s=0.0)
    assert resolver.get(700).service_name == "web"
    (tmp_path / "700" / "environ").write_bytes(b"OTEL_SERVICE_NAME=storefront\0")
    assert resolver.get(700).service_name == "storefront"
    # A process whose environment really is empty is not re-read forever.
    _fake_proc(tmp_path, 701, start=5, comm="bare")
    (tmp_path / "701" / "environ").write_bytes(b"")
    first = resolver.get(701)
    second = resolver.get(701)
    assert second is not first
    assert resolver.get(701) is second


def test_container_and_pod_from_cgroup_files(tmp_path):
    cgroup = "12:memory:/kubepods/burstable/pod0a1b2c3d-1111-2222-3333-444455556666/" + CID + "\n0::/\n"
    _fake_proc(tmp_path, 600, start=1, cgroup=cgroup)
    attrs = ProcessResolver(host_name="h", proc_root=str(tmp_path)).get(600).resource_attributes
    assert attrs["container.id"] == CID
    assert attrs["k8s.pod.uid"] == "0a1b2c3d-1111-2222-3333-444455556666"


@pytest.mark.parametrize(
    "text",
    [
        f"0::/system.slice/docker-{CID}.scope\n",
        f"12:pids:/docker/{CID}\n",
        f"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/cri-containerd-{CID}.scope\n",
        f"0::/kubepods.slice/kubepods-burstable.slice/crio-{CID}.scope\n",
        f"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{CID}.scope/container\n",
        f"0::/machine.slice/libpod-{CID}.scope\n",
    ],
)
def test_container_id_runtimes(text):
    assert container_id_from_cgroup(text) == CID


@pytest.mark.parametrize(
    "text",
    [
        "0::/\n",
        "0::/user.slice/user-1000.slice/session-3.scope\n",
        "4:memory:/process_api/ee4cc41d34bb4756284528f555e78ac2\n",
    ],
)
def test_no_container_id(text):
    assert container_id_from_cgroup(text) is None


def test_pod_uid_systemd_driver():
    text = (
        "0::/kubepods.slice/kubepods-burstable.slice/"
        "kubepods-burstable-pod0a1b2c3d_1111_2222_3333_444455556666.slice/x\n"
    )
    assert pod_uid_from_cgroup(text) == "0a1b2c3d-1111-2222-3333-444455556666"
    assert pod_uid_from_cgroup("0::/system.slice/pod0a1b2c3d_1111_2222_3333_444455556666\n") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a=1,b=2", {"a": "1", "b": "2"}),
        (" a = x%20y , b=c=d", {"a": "x y", "b": "c=d"}),
        ("broken,a=1,=v", {"a": "1"}),
        ("", {}),
        (None, {}),
        ("a=1,a=2", {"a": "2"}),
    ],
)
def test_parse_resource_attributes_like_the_sdk(value, expected):
    assert parse_resource_attributes(value) == expected


def test_listener_owners_names_the_process_of_each_listening_port():
    """What the tcp_flows receiver seeds its kernel map of listeners with, at start."""
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener.bind(("::", 0))
    listener.listen()
    connected = socket.create_connection(("127.0.0.1", listener.getsockname()[1]))  # not listening: not listed
    try:
        owners = procfs.listener_owners()
        assert owners[listener.getsockname()[1]] == os.getpid()
        assert connected.getsockname()[1] not in owners
    finally:
        connected.close()
        listener.close()
