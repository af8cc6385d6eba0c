"""The agent's health score, read over HTTP (``GET /health`` on its status endpoint) for the proxy.

A thread fetches the document every evaluation interval (the agent says which: ``interval_s``)
and hands the evaluations to a callback.  When there is no current data it hands ``None``
instead, which makes the breakers fail open:

* the agent does not answer, or answers something that is not its health document, for longer
  than ``stale_after``;
* the agent answers, but its last evaluation is older than ``stale_after`` (its health score
  is stuck, or was never evaluated).

Every failed fetch is counted (``fetch_errors``) and the first of a run is logged.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from otel_ebpf.model import EndpointHealth

log = logging.getLogger("otel_ebpf.breaker")

DEFAULT_INTERVAL_S = 10.0  # the health score's default, until the agent says otherwise
_MAX_DOCUMENT = 32 << 20  # bytes: a health document larger than this is refused


class HealthDocumentError(ValueError):
    """The answer is not a health document."""


def parse_health(document: object) -> tuple[list[EndpointHealth], int, float]:
    """``(evaluations, evaluated_at_ns, interval_s)`` of a ``GET /health`` document.

    Raises:
        HealthDocumentError: It is not one (a field missing or of the wrong type).
    """
    try:
        evaluated = int(document["evaluated_at_unix_nano"])
        interval = float(document["interval_s"])
        window = float(document["window_s"])
        degraded = float(document["thresholds"]["degraded"])
        critical = float(document["thresholds"]["critical"])
        out = []
        for e in document["endpoints"]:
            score = e.get("score")
            out.append(
                EndpointHealth(
                    str(e["service.name"]),
                    str(e["http.route"]),
                    str(e["http.request.method"]),
                    str(e["state"]),
                    None if score is None else float(score),
                    int(e.get("state_since_unix_nano") or 0),
                    evaluated,
                    window,
                    degraded,
                    critical,
                    int(e.get("requests") or 0),
                )
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise HealthDocumentError(f"not a health document: {type(exc).__name__}: {exc}") from None
    return out, evaluated, interval


class HealthSource:
    """Polls ``{status_url}/health`` and feeds ``sink(evaluations or None)``.

    Args:
        status_url: The agent's status endpoint, e.g. ``http://127.0.0.1:13134``.
        sink: Called on the polling thread with each new evaluation, or None when stale.
        stale_after_s: No current data for this long: stale (None: three evaluation intervals).
        refresh_s: Poll period (None: the agent's evaluation interval).
    """

    def __init__(
        self,
        status_url: str,
        sink: Callable[[list[EndpointHealth] | None], None],
        *,
        stale_after_s: float | None = None,
        refresh_s: float | None = None,
        timeout_s: float = 2.0,
        wall_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.url = status_url.rstrip("/") + "/health"
        self._sink = sink
        self._stale_after_s = stale_after_s
        self._refresh_s = refresh_s
        self._timeout_s = timeout_s
        self._wall_ns = wall_ns
        self.interval_s = refresh_s or DEFAULT_INTERVAL_S
        self.fetches = 0
        self.fetch_errors = 0
        self.stale = True  # until the first current evaluation
        self._last_evaluated_ns = -1
        self._last_good = time.monotonic()
        self._failing = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def stale_after_s(self) -> float:
        return self._stale_after_s if self._stale_after_s is not None else max(3 * self.interval_s, 3.0)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="breaker-health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # a bug here or in the sink must not end the polling: fail open is the poll's
                self.fetch_errors += 1
                log.exception("breaker: reading the agent's health failed")
            # Poll twice per interval: an evaluation is seen at most half an interval late.
            self._stop.wait(max(0.05, (self._refresh_s or self.interval_s) / 2))

    def poll(self) -> None:
        """One fetch; feeds the sink with new data, or None once the data is stale."""
        self.fetches += 1
        try:
            with urllib.request.urlopen(self.url, timeout=self._timeout_s) as response:
                document = json.loads(response.read(_MAX_DOCUMENT + 1))
            evaluations, evaluated_ns, interval = parse_health(document)
        except (OSError, urllib.error.URLError, ValueError, http.client.HTTPException) as exc:
            # refused, timeout, an HTTP error status, bad JSON, something that is not HTTP
            self.fetch_errors += 1
            if not self._failing:
                self._failing = True
                log.warning("breaker: cannot read the agent's health at %s: %s", self.url, exc)
            self._maybe_stale()
            return
        if self._failing:
            self._failing = False
            log.info("breaker: reading the agent's health at %s again", self.url)
        if interval > 0:
            self.interval_s = interval
        age_s = (self._wall_ns() - evaluated_ns) / 1e9
        if not evaluated_ns or age_s > self.stale_after_s:
            self._maybe_stale(now_stale=True)  # it answers, but its score is not current
            return
        self._last_good = time.monotonic()
        if evaluated_ns == self._last_evaluated_ns and not self.stale:
            return  # acted on already
        self._last_evaluated_ns = evaluated_ns
        self.stale = False
        self._sink(evaluations)

    def _maybe_stale(self, now_stale: bool = False) -> None:
        if self.stale and self._last_evaluated_ns >= 0:
            return  # said so already
        if now_stale or self._last_evaluated_ns < 0 or time.monotonic() - self._last_good >= self.stale_after_s:
            self.stale = True
            self._last_evaluated_ns = 0
            self._sink(None)
