"""Per-node identity of the metrics the agent computes (health_score, slo, cause_attribution).

An agent per node sends the same series names for the same service: the resource says which
node speaks (``host.name``) and, for Prometheus, which target (``service.instance.id``).  The end
to end test runs two real agents that name their nodes ``node-a`` and ``node-b`` through
``OTEL_RESOURCE_ATTRIBUTES``, observing the same real server and exporting to one real OTLP
receiver (rotel): each node's health and SLO series arrive apart.
"""

from __future__ import annotations

import http.client
import uuid

from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.resource import INSTANCE_ID_NAMESPACE
from otel_ebpf.telemetry.service_resources import ServiceResources
from tests.conftest_rotel import rotel, rotel_factory  # noqa: F401 - fixtures
from tests.harness import AgentProcess, Server, require_bpf

T0 = 1_700_000_000 * 10**9


def _instance(host: str, service: str) -> str:
    return str(uuid.uuid5(INSTANCE_ID_NAMESPACE, f"{host}/{service}"))


def received(service: str, **attrs) -> ProcessInfo:
    return ProcessInfo(0, service, "", {"service.name": service, **attrs})


def test_the_node_names_the_resource_and_the_agents_environment_can_rename_it():
    r = ServiceResources({"OTEL_RESOURCE_ATTRIBUTES": "host.name=node-a,service.name=ignored-here"})
    info = r.info("shop")
    assert info.resource_attributes == {
        "service.name": "shop",
        "host.name": "node-a",
        "service.instance.id": _instance("node-a", "shop"),
    }
    assert r.info("shop") is info  # one object: the exporters group by it
    other = ServiceResources({"OTEL_RESOURCE_ATTRIBUTES": "host.name=node-b"}).info("shop")
    assert other.key != info.key


def test_a_sidecar_takes_the_identity_its_senders_agree_on():
    r = ServiceResources({"OTEL_RESOURCE_ATTRIBUTES": "host.name=sidecar-host"})
    r.observe_received(received("shop", **{"host.name": "pod-7", "service.instance.id": "shop-7"}))
    r.observe_received(received("shop", **{"host.name": "pod-7", "service.instance.id": "shop-7"}))
    assert r.info("shop").resource_attributes == {
        "service.name": "shop",
        "host.name": "pod-7",
        "service.instance.id": "shop-7",
    }
    # A second instance of the same service on the same host: the host stands, the instance is derived.
    r.observe_received(received("shop", **{"host.name": "pod-7", "service.instance.id": "shop-8"}))
    assert r.info("shop").resource_attributes == {
        "service.name": "shop",
        "host.name": "pod-7",
        "service.instance.id": _instance("pod-7", "shop"),
    }
    # A sender that names no host: the agent's node.
    r.observe_received(received("cart"))
    assert r.info("cart").resource_attributes["host.name"] == "sidecar-host"


def test_prometheus_keeps_the_nodes_apart(monkeypatch):
    """Through the Prometheus exporter: one instance per node, host.name on target_info."""
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
    from prometheus_client.exposition import choose_encoder

    from otel_ebpf.component import CreateSettings
    from otel_ebpf.exporters.prometheus.factory import factory as prometheus_factory
    from otel_ebpf.processors.health_score.processor import HealthScoreProcessor
    from tests.decisions.helpers import SHOP, batch

    config, errors = prometheus_factory.resolve({"endpoint": "127.0.0.1:0"}, "exporters.prometheus")
    assert not errors
    exporter = prometheus_factory.create(CreateSettings(id="prometheus", kind="exporters"), config)
    try:
        for node in ("node-a", "node-b"):
            monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", f"host.name={node}")
            health = HealthScoreProcessor({"interval": "1s", "window": "1s", "endpoint": ""})
            health.process(batch(30))
            health.evaluate()
            exporter.export_metrics(ExportMetricsServiceRequest(resource_metrics=health.produce_metrics(T0)))
        encoder, _ = choose_encoder("")
        out = encoder(exporter.collector()).decode()
    finally:
        exporter.shutdown(2.0)
    for node in ("node-a", "node-b"):
        instance = _instance(node, SHOP.service_name)
        assert f'target_info{{host_name="{node}",instance="{instance}",job="shop"}} 1.0' in out, out
        assert (
            f'otel_ebpf_health_score_ratio{{http_request_method="POST",http_route="/checkout",instance="{instance}"'
            in out
        ), out


CONFIG = """
receivers:
  ebpf:
    filter: {{ports: [{port}]}}
processors:
  health_score: {{interval: 1s, window: 2s, endpoint: ""}}
  slo:
    endpoint: ""
    state_file: ""
    objectives: [{{name: items, service: "*", route: "/items/*", target: 99.0}}]
exporters:
  otlp:
    endpoint: {endpoint}
    tls: {{insecure: true}}
service:
  pipelines:
    metrics: {{receivers: [ebpf], processors: [health_score, slo], exporters: [otlp]}}
"""


def test_two_nodes_send_distinct_health_and_slo_series(tmp_path, rotel):  # noqa: F811 - fixture
    require_bpf()
    server = Server("python", tmp_path)
    agents = []
    try:
        for node in ("node-a", "node-b"):
            config = CONFIG.format(port=server.port, endpoint=rotel.endpoint)
            env = {"OTEL_RESOURCE_ATTRIBUTES": f"host.name={node}"}
            agents.append(AgentProcess(tmp_path, config, env=env, name=node))
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        for i in range(30):
            conn.request("GET", f"/items/{i}")
            conn.getresponse().read()
        conn.close()

        def series(r) -> dict[tuple[str, str], set]:
            out: dict[tuple[str, str], set] = {}
            for m in r.metrics():
                if m.name in ("otel_ebpf.health.score", "otel_ebpf.slo.events.total"):
                    host = str(m.resource.get("host.name"))
                    out.setdefault((m.name, host), set()).add(
                        (m.resource.get("service.name"), m.resource.get("service.instance.id"))
                    )
            return out

        assert rotel.wait_until(lambda r: len(series(r)) == 4, timeout_s=20), series(rotel)
        found = series(rotel)
    finally:
        codes = [agent.stop() for agent in agents]
        server.stop()
    print(f"\nseries by (metric, host.name): {found}")
    assert codes == [0, 0], [a.log() for a in agents]
    service = server.exe
    for name in ("otel_ebpf.health.score", "otel_ebpf.slo.events.total"):
        a, b = found[(name, "node-a")], found[(name, "node-b")]
        # health_score names the observed service; an SLO objective with a glob names the agent.
        assert len(a) == len(b) == 1 and a != b, (a, b)
        (sa, ia), (sb, ib) = *a, *b
        assert sa == sb and ia != ib
        assert ia == _instance("node-a", sa) and ib == _instance("node-b", sb)
    assert {s for s, _ in found[("otel_ebpf.health.score", "node-a")]} == {service}
