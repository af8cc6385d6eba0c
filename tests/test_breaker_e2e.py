"""The circuit breaker end to end: the real agent, a real backend, the proxy or a real nginx.

The backend (tests/apps/breaker_backend.py, ``service.name`` shop) starts answering 60% silent
``200`` failures on ``POST /checkout`` when told to; ``GET /items/{id}`` stays healthy.  Load
runs through the front (the ``otel-ebpf breaker`` proxy, or nginx with ``auth_request`` to the
agent's ``GET /breaker/check``) at a steady rate, and every answer is recorded with its time.

The agent scores every second over two seconds (``health_score`` interval 1 s, window 2 s,
hysteresis period 10 s); the breakers stay open 2 s, then 4 s at most.  Bounds are the issue's:

* first ``503`` with ``Retry-After`` within 3 evaluation intervals + 1 s of the switch;
* while open, the backend receives only the probes: at most 25% of what was sent meanwhile;
* the healthy route is never refused;
* after the backend recovers, forwarding is back to normal within the hysteresis period + the
  open interval + 5 s;
* a flapping backend (failing every other second) trips the breaker at most once per
  hysteresis period;
* with the agent stopped, every request is forwarded (fail open).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.harness import (
    APPS,
    AS_NOBODY,
    ROOT,
    AgentProcess,
    free_port,
    require_bpf,
    require_nobody_may_run_the_agent,
    stop_process,
    wait_port,
    wait_until,
)

pytestmark = pytest.mark.bpf

INTERVAL_S = 1.0  # health_score's evaluation interval
HYSTERESIS_S = 10.0  # health_score's hysteresis period, and the breaker's
OPEN_INTERVAL_S = 2.0
MAX_OPEN_INTERVAL_S = 4.0
CHECKOUT_RATE = 40  # requests per second
ITEMS_RATE = 15

AGENT = """
receivers:
  ebpf:
    filter:
      ports: [{backend}]
processors:
  semantic_errors: {{}}
  health_score:
    interval: 1s
    window: 2s
    min_requests: 5
    hysteresis:
      period: 10s
    endpoint: 127.0.0.1:{status}
  circuit_breaker:
    open_interval: 2s
    max_open_interval: 4s
    hysteresis: 10s
    endpoint: 127.0.0.1:{status}
  batch:
    timeout: 100ms
exporters:
  nop: {{}}
service:
  pipelines:
    traces:
      receivers: [ebpf]
      processors: [batch]
      exporters: [nop]
    metrics:
      receivers: [ebpf]
      processors: [semantic_errors, health_score, circuit_breaker, batch]
      exporters: [nop]
"""

PROXY = """
service: shop
open_interval: 2s
max_open_interval: 4s
hysteresis: 10s
stale_after: 3s
"""


class Backend:
    def __init__(self) -> None:
        self.port, self.control = free_port(), free_port()
        env = {"OTEL_SERVICE_NAME": "shop", "PATH": "/usr/bin:/bin"}
        args = [sys.executable, str(APPS / "breaker_backend.py"), str(self.port), str(self.control)]
        self.proc = subprocess.Popen(args, env=env)
        wait_port(self.port)
        wait_port(self.control)

    def _get(self, path: str) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.control, timeout=5)
        try:
            conn.request("GET", path)
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def mode(self, mode: str) -> float:
        self._get(f"/mode/{mode}")
        return time.monotonic()

    def received(self) -> dict:
        return self._get("/stats")

    def stop(self) -> None:
        stop_process(self.proc)


class Load:
    """Steady requests through the front, on keep-alive connections; every answer kept with its time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.answers: list[tuple[float, str, int, str | None, bytes]] = []  # (t, route, status, Retry-After, body)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=("POST", "/checkout", CHECKOUT_RATE), daemon=True),
            threading.Thread(target=self._run, args=("GET", "/items/{}", ITEMS_RATE), daemon=True),
        ]

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)

    def _run(self, method: str, path: str, rate: int) -> None:
        conn = None
        n = 0
        next_at = time.monotonic()
        route = path.replace("{}", "{id}")
        while not self._stop.is_set():
            n += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                body = b'{"cart": 1}' if method == "POST" else None
                conn.request(method, path.format(n), body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                answer = (time.monotonic(), route, response.status, response.getheader("Retry-After"), response.read())
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                answer = (time.monotonic(), route, 0, None, b"")
                if conn is not None:
                    conn.close()
                conn = None
            with self._lock:
                self.answers.append(answer)
            next_at += 1.0 / rate
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def of(self, route: str, start: float = 0.0, end: float = float("inf")) -> list[tuple]:
        with self._lock:
            return [a for a in self.answers if a[1] == route and start <= a[0] < end]

    def first_refusal(self, after: float) -> tuple | None:
        return next((a for a in self.of("/checkout", after) if a[2] == 503), None)


def _agent(tmp: Path, backend: Backend, status: int) -> AgentProcess:
    return AgentProcess(tmp, AGENT.format(backend=backend.port, status=status), name="agent")


def _normal_from(answers: list[tuple]) -> float | None:
    """The time from which every answer came from the backend (no refusal after it)."""
    last_refusal = None
    for t, _, status, _, _ in answers:
        if status != 200:
            last_refusal = t
    later = [a[0] for a in answers if last_refusal is None or a[0] > last_refusal]
    return later[0] if later else None


def _checkouts(port: int, count: int) -> list[int]:
    """The statuses of ``count`` checkouts, one after the other on one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    statuses = []
    for _ in range(count):
        conn.request("POST", "/checkout", body=b"{}")
        response = conn.getresponse()
        statuses.append(response.status)
        response.read()
    conn.close()
    return statuses


def _timeline(answers: list[tuple], start: float) -> str:
    seconds: dict[int, list[int]] = {}
    for t, _, status, _, _ in answers:
        counts = seconds.setdefault(int(t - start), [0, 0])
        counts[status == 200] += 1
    return " ".join(f"{refused}/{forwarded}" for _, (refused, forwarded) in sorted(seconds.items()))


def _trip_times(log: str) -> list[float]:
    times = []
    for line in log.splitlines():
        if "breaker transition" in line and "from=closed to=open" in line and 'route="/checkout"' in line:
            stamp = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})", line).group(1)
            times.append(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp())
    return times


def _assert_opens_sheds_and_recovers(load: Load, backend: Backend, switched: float, label: str) -> float:
    """The first refusal in time, only probes while open, then the recovery; returns when it recovered."""
    opened = wait_until(lambda: load.first_refusal(switched) is not None, 3 * INTERVAL_S + 1 + 5)
    assert opened, f"{label}: never opened"
    first = load.first_refusal(switched)
    delay = first[0] - switched
    print(f"{label}: first 503 {delay:.2f} s after the switch, Retry-After {first[3]}")
    assert delay <= 3 * INTERVAL_S + 1, delay
    assert first[3] is not None and int(first[3]) >= 1
    refusal = json.loads(first[4])
    assert refusal["error"] == "circuit breaker open"
    assert refusal.get("http.route", "/checkout") == "/checkout"  # nginx's own body does not say
    before = backend.received()["/checkout"]
    opened_at = time.monotonic()
    time.sleep(8)  # not a whole number of open intervals: the recovery lands inside one
    # While failing: the backend saw only the probes.
    reached = backend.received()["/checkout"] - before
    sent = len(load.of("/checkout", opened_at, time.monotonic()))
    print(f"{label}: while open {reached} of {sent} checkout requests reached the backend ({reached / sent:.1%})")
    assert sent > 150 and reached <= 0.25 * sent
    recovered = backend.mode("ok")
    bound = HYSTERESIS_S + MAX_OPEN_INTERVAL_S + 5
    time.sleep(bound + 3)
    timeline = _timeline(load.of("/checkout", switched), switched)
    print(f"{label}: refused/forwarded checkout requests per second from the switch: {timeline}")
    normal = _normal_from(load.of("/checkout", recovered))
    assert normal is not None, f"{label}: still refusing {bound + 3:.0f} s after the recovery"
    print(f"{label}: forwarding normally {normal - recovered:.2f} s after the recovery (bound {bound:.0f} s)")
    assert normal - recovered <= bound
    items = load.of("/items/{id}")
    assert items and all(a[2] == 200 for a in items), [a[2] for a in items if a[2] != 200][:5]
    return recovered


def test_the_proxy_sheds_a_failing_endpoint_and_fails_open(tmp_path):
    """The proxy runs as user nobody, without a capability: it needs no privilege."""
    require_bpf()
    require_nobody_may_run_the_agent()
    backend = Backend()
    status, front, metrics = free_port(), free_port(), free_port()
    agent = proxy = load = None
    # Where user nobody can read it (pytest's tmp_path is root's alone).
    fd, name = tempfile.mkstemp(prefix="otel-ebpf-breaker-", suffix=".yaml")
    os.close(fd)
    settings = Path(name)
    settings.write_text(PROXY + f"metrics_endpoint: 127.0.0.1:{metrics}\n")
    settings.chmod(0o644)
    proxy_log = open(tmp_path / "proxy.log", "wb")  # noqa: SIM115 - closed below
    try:
        agent = _agent(tmp_path, backend, status)
        proxy = subprocess.Popen(
            [*AS_NOBODY, sys.executable, "-m", "otel_ebpf", "breaker", "--backend", f"http://127.0.0.1:{backend.port}"]
            + ["--listen", f"127.0.0.1:{front}", "--status-url", f"http://127.0.0.1:{status}"]
            + ["--config", str(settings)],
            stdout=proxy_log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        wait_port(front)
        load = Load(front).start()
        time.sleep(5)  # healthy: the agent scores /checkout
        assert all(a[2] == 200 for a in load.answers), "refused while healthy"

        switched = backend.mode("fail")
        _assert_opens_sheds_and_recovers(load, backend, switched, "proxy")

        flapping = backend.mode("flap?period=1")
        time.sleep(32)
        backend.mode("ok")
        trips = [t for t in _trip_times((tmp_path / "proxy.log").read_text()) if t >= time.time() - 32.5]
        gaps = [round(b - a, 2) for a, b in zip(trips, trips[1:], strict=False)]
        print(f"flapping for 32 s: {len(trips)} trips, {gaps} s apart")
        assert trips, "a flapping backend never tripped it"
        assert all(gap >= HYSTERESIS_S - 0.05 for gap in gaps), gaps
        del flapping

        # Fail open: the agent stops while the checkout fails and the breaker is open.
        backend.mode("fail")
        assert wait_until(lambda: load.first_refusal(time.monotonic() - 0.5) is not None, 10)
        agent.stop()
        agent = None
        time.sleep(3 + 2 * INTERVAL_S)  # stale_after, and one poll
        load.stop()
        before = backend.received()["/checkout"]
        statuses = _checkouts(front, 100)
        reached = backend.received()["/checkout"] - before
        print(f"agent stopped: {statuses.count(200)} of 100 forwarded, {reached} reached the backend")
        assert statuses == [200] * 100 and reached == 100
        scrape = http.client.HTTPConnection("127.0.0.1", metrics, timeout=5)
        scrape.request("GET", "/metrics")
        text = scrape.getresponse().read().decode()
        assert "otel_ebpf_breaker_health_stale 1.0" in text, text
        assert 'otel_ebpf_breaker_requests_total{http_request_method="POST",http_route="/checkout"' in text
        assert "failing open" in (tmp_path / "proxy.log").read_text()
    finally:
        if load is not None:
            load.stop()
        if proxy is not None:
            stop_process(proxy)
        proxy_log.close()
        if agent is not None:
            agent.stop()
        backend.stop()
        settings.unlink()
        print((tmp_path / "proxy.log").read_text()[-3000:])


NGINX = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
"""


def test_nginx_enforces_the_agents_breakers_with_auth_request(tmp_path):
    require_bpf()
    nginx_bin = "/usr/sbin/nginx"
    backend = Backend()
    status, front = free_port(), free_port()
    agent = nginx = load = None
    example = (ROOT / "examples" / "breaker-nginx" / "nginx.conf").read_text()
    conf = (
        example.replace("127.0.0.1:8000", f"127.0.0.1:{backend.port}")
        .replace("127.0.0.1:13134", f"127.0.0.1:{status}")
        .replace("127.0.0.1:8080", f"127.0.0.1:{front}")
        .replace("pid /tmp/otel-ebpf-breaker-nginx.pid;", "")
        .replace("worker_processes 1;", NGINX.format(tmp=tmp_path))
        .replace("http {", f"http {{\n    client_body_temp_path {tmp_path}/b;\n    proxy_temp_path {tmp_path}/p;", 1)
    )
    (tmp_path / "nginx.conf").write_text(conf)
    try:
        agent = _agent(tmp_path, backend, status)
        nginx = subprocess.Popen([nginx_bin, "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.PIPE)
        wait_port(front)
        load = Load(front).start()
        time.sleep(5)
        assert all(a[2] == 200 for a in load.answers), "refused while healthy"
        switched = backend.mode("fail")
        _assert_opens_sheds_and_recovers(load, backend, switched, "nginx")

        # nginx fails open too: with the agent gone (while the breaker is open), the check fails
        # and error_page forwards.
        backend.mode("fail")
        assert wait_until(lambda: load.first_refusal(time.monotonic() - 0.5) is not None, 10)
        load.stop()
        agent.stop()
        agent = None
        before = backend.received()["/checkout"]
        statuses = _checkouts(front, 20)
        print(f"nginx, agent stopped: {statuses.count(200)} of 20 forwarded")
        assert statuses == [200] * 20 and backend.received()["/checkout"] - before == 20
    finally:
        if load is not None:
            load.stop()
        if nginx is not None:
            stop_process(nginx, signal.SIGQUIT)
        if agent is not None:
            agent.stop()
        backend.stop()
