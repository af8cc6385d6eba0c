"""``GET <path>`` on ``endpoint``: 200 while every pipeline runs, 503 otherwise, with the reasons.

The body has the Collector's ``status``, ``upSince`` and ``uptime`` and, beyond it, every
pipeline with its components' status, so that whoever reads a 503 learns which component
failed and why::

    {"status": "Server not available", "upSince": "...", "uptime": "12.5s",
     "pipelines": {"traces": {"running": false, "components": {
         "exporter otlp_http": {"status": "permanent_error", "error": "cannot read ..."}, ...}}}}

A pipeline runs when every component of it started and none failed for good; an exporter
whose backend is down for now (a recoverable error) does not make the agent unhealthy.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from otel_ebpf.component import AgentStatus, Component, CreateSettings, Host
from otel_ebpf.component.listener import HttpListener, Request, Response

log = logging.getLogger(__name__)


class HealthCheck(Component):
    """Args:
    settings: Its id.
    config: The resolved ``health_check`` config.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any]) -> None:
        self.id = settings.id
        self.path = config["path"]
        self.listener = HttpListener(config["endpoint"], self._answer, name=f"health-check-{self.id}", log=log)
        self._host: Host | None = None
        self.checks = 0
        settings.report_stats("otel_ebpf.extension", lambda: {"health_check.requests": self.checks})

    @property
    def port(self) -> int | None:
        return self.listener.port

    def start(self, host: Host | None = None) -> None:
        self._host = host
        self.listener.start()
        log.info("extension %s: health on http://%s%s", self.id, self.listener.endpoint, self.path)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        self.listener.stop(timeout_s)

    def _answer(self, request: Request) -> Response:
        if request.path != self.path:
            return Response(404, f"not found: the health check is at {self.path}\n".encode())
        self.checks += 1
        status = self._host.status() if self._host is not None else AgentStatus(0)
        running = status.running
        body = {
            "status": "Server available" if running else "Server not available",
            "upSince": _iso(status.up_since_ns),
            "uptime": f"{(time.time_ns() - status.up_since_ns) / 1e9:.3f}s" if status.up_since_ns else "",
            "pipelines": {
                name: {
                    "running": status.pipeline_running(name),
                    "components": {label: _status(s) for label, s in components.items()},
                }
                for name, components in status.pipelines.items()
            },
            "extensions": {name: _status(s) for name, s in status.extensions.items()},
        }
        return Response(200 if running else 503, json.dumps(body, indent=1).encode(), "application/json")


def _status(s) -> dict:
    out = {"status": s.status.value}
    if s.error:
        out["error"] = s.error
    return out


def _iso(ns: int) -> str:
    if not ns:
        return "0001-01-01T00:00:00Z"
    return (
        datetime.datetime.fromtimestamp(ns / 1e9, datetime.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )
