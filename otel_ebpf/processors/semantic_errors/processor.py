"""The ``semantic_errors`` processor: classifies every exchange, annotates it, counts it.

For each :class:`~otel_ebpf.model.HttpExchange` (server and client alike) it picks the
rules of the first matching ``routes`` entry (or the global ones), classifies the
response, and

* sets ``otel_ebpf.error.kind``, ``otel_ebpf.error.type``, ``otel_ebpf.error.severity`` and
  ``otel_ebpf.error.rule`` (the rule that found it) on ``exchange.attributes`` when the kind
  is not ``none``; for a batch answer where only some items failed, ``otel_ebpf.error.failed_items``
  and ``otel_ebpf.error.items``;
* tells the classifier what it needs of the request: did it ask for data (a login page in
  answer is a failure), does it only read (an entity it reads in a failed state is data);
  a 2xx failure whose body names no type takes the type its route names, when unambiguous;
* for a failure the HTTP status does not show (a "silent" 2xx), also sets ``error.type``
  and forces the span status to Error with a short message; 4xx/5xx and missing
  responses keep the span builder's semantic-convention status;
* counts the verdict in ``otel_ebpf.http.business_errors``, exported through
  :meth:`SemanticErrorsProcessor.collect_metrics` (in a metrics pipeline).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from opentelemetry.proto.metrics.v1.metrics_pb2 import (
    AGGREGATION_TEMPORALITY_CUMULATIVE,
    Metric,
    NumberDataPoint,
)

from otel_ebpf.component import Consumer, ExchangeProcessor, MetricsProducer
from otel_ebpf.model import STATUS_ERROR, HttpExchange, ProcessInfo
from otel_ebpf.processors.semantic_errors.body import decode_body
from otel_ebpf.processors.semantic_errors.classifier import NONE, Classification, Classifier, expects_data
from otel_ebpf.processors.semantic_errors.rules import (
    ENTRY_POINT_GROUP,
    GENERIC_TYPE,
    KINDS,
    RULE_KEYS,
    SEVERITIES,
    RuleSet,
    compile_glob,
    default_config,
    merge_rules,
    validate_config,
)
from otel_ebpf.telemetry.points import group_by_resource
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.rpc import effective_status
from otel_ebpf.telemetry.secrets import DEFAULT_SCRUBBER

log = logging.getLogger(__name__)

METRIC_NAME = "otel_ebpf.http.business_errors"
METRIC_UNIT = "{error}"
METRIC_DESCRIPTION = "HTTP exchanges classified as errors (business or system), counted before sampling."

ATTR_KIND = "otel_ebpf.error.kind"
ATTR_TYPE = "otel_ebpf.error.type"
ATTR_SEVERITY = "otel_ebpf.error.severity"
ATTR_ERROR_TYPE = "error.type"
# Which rule found the failure (`json.success_flag`, `xml.fault`, `html.login_page`, ...).
ATTR_RULE = "otel_ebpf.error.rule"
# A batch answer where some items failed: not a failure of the call, but said on the span.
ATTR_FAILED_ITEMS = "otel_ebpf.error.failed_items"
ATTR_ITEMS = "otel_ebpf.error.items"


# Requests that read: an entity they read in a failed state is data (see Classifier.classify).
_READS = frozenset({"GET", "HEAD"})


_TEXT = {"content-type": "text/plain; charset=utf-8"}
_NO_HEADERS: dict[str, str] = {}


def _rpc_answer(x: HttpExchange) -> tuple[int | None, Mapping[str, str], bytes, bool]:
    """What the classifier judges of a gRPC call: ``(status, headers, body, truncated)``.

    Its status is the HTTP equivalent of its gRPC status (NOT_FOUND: 404, RESOURCE_EXHAUSTED:
    429, ...: typed as those are), and the body it is judged by is its ``grpc-message``, the one
    text a gRPC answer carries (``FAILED_PRECONDITION: card declined`` is a payment failure).
    The messages themselves are length-prefixed protobuf, not text: never read as a body.
    """
    status = effective_status(x)
    if x.rpc_status:
        message = x.response_headers.get("grpc-message")
        if message:
            text = unquote(message, errors="replace") if "%" in message else message
            return status, _TEXT, text.encode("utf-8", "replace"), False
    return status, _NO_HEADERS, b"", False


def _expects_data(x: HttpExchange) -> bool:
    """Did the request ask for data?  Only an HTML answer needs to know (a login page), so only then asked."""
    content_type = x.response_headers.get("content-type")
    if content_type is not None:
        if "json" in content_type:
            return False  # the hot path: a JSON answer is no page
        lowered = content_type.lower()
        if "html" not in lowered and "text/plain" not in lowered:
            return False
    return expects_data(x.request_headers, x.path or "")


def _annotate_partial(x: HttpExchange, verdict: Classification) -> None:
    x.attributes[ATTR_FAILED_ITEMS] = verdict.failed_items
    x.attributes[ATTR_ITEMS] = verdict.items


# Semantic conventions: methods outside this set are reported as _OTHER (bounded cardinality).
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"})
_ROUTE_CACHE_MAX = 10000
# Words of a path that name the type of what is called, for a failure whose body names none.
PATH_TYPES = (
    ("payment", frozenset({"pay", "payment", "payments", "charge", "charges", "checkout", "billing", "purchase",
                           "refund", "refunds", "payout", "payouts", "card", "cards"})),
    ("auth_failure", frozenset({"login", "signin", "logon", "auth", "oauth", "oauth2", "token", "tokens",
                                "session", "sessions", "password", "otp", "mfa", "sso"})),
)  # fmt: skip
_PATH_WORDS = re.compile(r"[a-z0-9]+")
_UNKNOWN_PROCESS = ProcessInfo(0, "unknown_service", "", {"service.name": "unknown_service"})
# The key of the series that absorbs counts beyond max_series (attribute otel.metric.overflow=true).
_OVERFLOW = "__overflow__"

CustomClassifier = Callable[[Any, dict, bytes, bool], "Mapping[str, Any] | None"]


class _Route:
    """One compiled ``routes`` entry."""

    __slots__ = ("index", "pattern", "methods", "enabled", "classifier", "custom", "custom_name")

    def __init__(self, index: int, entry: Mapping, base_config: Mapping, base_classifier: Classifier):
        self.index = index
        self.pattern = compile_glob(entry["match"])
        methods = entry.get("methods")
        self.methods = frozenset(m.upper() for m in methods) if methods else None
        self.enabled = entry.get("enabled", True)
        has_rules = any(key in entry for key in RULE_KEYS)
        self.classifier = shared_classifier(merge_rules(base_config, entry)) if has_rules else base_classifier
        self.custom_name = entry.get("classifier")
        self.custom: CustomClassifier | None = None

    def matches(self, method: str, route: str | None, path: str) -> bool:
        if self.methods is not None and method.upper() not in self.methods:
            return False
        if route is not None and self.pattern.match(route):
            return True
        return bool(path) and path != route and self.pattern.match(path) is not None


_SHARED_MAX = 64
_shared: dict[str, Classifier] = {}
_shared_lock = threading.Lock()


def shared_classifier(config: Mapping) -> Classifier:
    """One :class:`Classifier` per distinct rule configuration in the process.

    The default configuration lists ``semantic_errors`` in both pipelines: each pipeline gets
    its own processor (its own counts), but the two share the classifier, so the fork of an
    exchange is judged from the verdict cache the first pipeline filled (same body object:
    its hash is already computed).
    """
    key = json.dumps(config, sort_keys=True, default=repr)
    with _shared_lock:
        classifier = _shared.get(key)
        if classifier is None:
            if len(_shared) >= _SHARED_MAX:
                _shared.clear()  # configurations are few; a test suite may make many
            classifier = _shared[key] = Classifier(RuleSet(config))
        return classifier


def _load_entry_point(name: str) -> CustomClassifier:
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            fn = ep.load()
            if not callable(fn):
                raise ValueError(f"entry point {name!r} in group {ENTRY_POINT_GROUP} is not callable")
            return fn
    raise ValueError(f"no entry point {name!r} in group {ENTRY_POINT_GROUP}")


class SemanticErrorsProcessor(ExchangeProcessor, MetricsProducer):
    """Annotates exchanges with their error classification and counts errors.

    Args:
        config: The ``processors: semantic_errors:`` mapping; missing keys take their
            defaults. Raises ValueError listing every problem when it is invalid.
        next_consumer: The next stage of the pipeline.
    """

    def __init__(self, config: Mapping | None = None, next_consumer: Consumer | None = None):
        super().__init__(next_consumer)
        merged = default_config()
        for key, value in (config or {}).items():
            merged[key] = (
                {**merged[key], **value} if isinstance(merged.get(key), dict) and isinstance(value, Mapping) else value
            )
        errors = validate_config(merged)
        if errors:
            raise ValueError("invalid semantic_errors config: " + "; ".join(errors))
        self.config = merged
        self.enabled: bool = merged["enabled"]
        self.max_series: int = merged["max_series"]
        self.classifier = shared_classifier(merged)
        self.rules = self.classifier.rules
        self._routes = [_Route(i, entry, merged, self.classifier) for i, entry in enumerate(merged["routes"] or [])]
        for route in self._routes:
            if route.custom_name:
                route.custom = _load_entry_point(route.custom_name)
        self._route_cache: dict[tuple[str, str | None, str], _Route | None] = {}
        self._path_types: dict[str, str | None] = {}  # route or path -> the type its words name

        self._lock = threading.Lock()  # counts are written by the receiver thread, read by the exporter
        self._counts: dict[tuple, int] = {}
        self._processes: dict[object, ProcessInfo] = {}
        self._start_ns = time.time_ns()
        # Own counters (for the agent's self-metrics).
        self.exchanges = 0
        self.classify_errors = 0  # a bug or an unforeseen input in the classifier: counted, exchange left as is
        self.custom_errors = 0  # a custom classifier raised or returned something unusable
        self.series_overflow = 0
        self._shutdown = False

    # ------------------------------------------------------------ pipeline

    def process(self, batch: list[HttpExchange]) -> list[HttpExchange]:
        """Classifies and annotates each exchange in place; returns the batch."""
        if not self.enabled or self._shutdown:
            return batch
        routes = self._routes
        classifier = self.classifier
        found: list[tuple[HttpExchange, Classification]] = []
        for x in batch:
            try:
                verdict = self.classify(x) if routes else self._verdict(classifier, x)
                if verdict is NONE:
                    continue
                if verdict.kind == "none":
                    if verdict.failed_items:
                        _annotate_partial(x, verdict)
                    continue
                self._annotate(x, verdict)
            except Exception:
                self.classify_errors += 1
                if self.classify_errors <= 10:
                    log.exception("semantic_errors: cannot classify %r", x)
                continue
            found.append((x, verdict))
        # Counting under the lock, classification outside it: the exporter's collect never waits long.
        with self._lock:
            self.exchanges += len(batch)
            counts = self._counts
            for x, verdict in found:
                process = x.process
                resource_key = process.key if process is not None else None
                method = x.method if x.method in _KNOWN_METHODS else "_OTHER"
                key = (resource_key, x.route, method, verdict.type, verdict.severity, verdict.kind)
                count = counts.get(key)
                if count is None:
                    if resource_key not in self._processes:
                        self._processes[resource_key] = process or _UNKNOWN_PROCESS
                    if len(counts) >= self.max_series:
                        self.series_overflow += 1
                        key = (resource_key, _OVERFLOW)
                    count = counts.get(key, 0)
                counts[key] = count + 1
        return batch

    def _annotate(self, x: HttpExchange, verdict: Classification) -> None:
        attributes = x.attributes
        attributes[ATTR_KIND] = verdict.kind
        attributes[ATTR_TYPE] = verdict.type
        attributes[ATTR_SEVERITY] = verdict.severity
        if verdict.rule:
            attributes[ATTR_RULE] = verdict.rule
        status = effective_status(x)  # a gRPC call's status as its HTTP equivalent
        if status is not None and status < 400:
            # A failure the status code hides: the span must say so itself.
            attributes[ATTR_ERROR_TYPE] = verdict.type
            x.status_override = STATUS_ERROR
            x.status_message = status_message(verdict, x.source.redactor if x.source is not None else None)

    def _route_for(self, x: HttpExchange) -> _Route | None:
        key = (x.method, x.route, x.path)
        cache = self._route_cache
        if key in cache:
            return cache[key]
        found = None
        for route in self._routes:
            if route.matches(x.method, x.route, x.path):
                found = route
                break
        if len(cache) >= _ROUTE_CACHE_MAX:
            cache.clear()  # raw paths (no route) can be many: bound the memo
        cache[key] = found
        return found

    def classify(self, x: HttpExchange) -> Classification:
        """The verdict on one exchange under the route's rules (no annotation, no counting)."""
        route = self._route_for(x) if self._routes else None
        if route is None:
            classifier = self.classifier
        else:
            if not route.enabled:
                return NONE
            classifier = route.classifier
            if route.custom is not None:
                verdict = self._run_custom(route, classifier, x)
                if verdict is not None:
                    return verdict
        return self._verdict(classifier, x)

    def _verdict(self, classifier: Classifier, x: HttpExchange) -> Classification:
        """The classifier's verdict on an exchange, typed by its path when its body names no type."""
        if x.rpc_system:
            verdict = classifier.classify(*_rpc_answer(x), x.error_type, False, False)
        else:
            verdict = classifier.classify(
                x.status_code,
                x.response_headers,
                x.response_body,
                x.response_body_truncated,
                x.error_type,
                _expects_data(x),
                x.method in _READS,
            )
        if verdict.type == GENERIC_TYPE and verdict.kind == "business":
            verdict = self._typed_by_path(x, verdict)
        return verdict

    def _typed_by_path(self, x: HttpExchange, verdict: Classification) -> Classification:
        """A 2xx failure whose body names no type takes the type of what was called, when the path
        says it unambiguously: `DENIED` answering POST /v1/charges is a payment failure, `EXPIRED`
        answering /auth/session/refresh an authentication failure."""
        status = effective_status(x)
        if status is None or status >= 300 or verdict.rule.startswith("html."):
            return verdict  # an error page says the service failed, not what was refused
        path = x.route or x.path or ""
        type_name = self._path_types.get(path, "")
        if type_name == "":
            # The words of the path's segments; a dotted one (`sale.advance.payment.inv`, a file) names
            # a model or a file, not the resource called.
            words = {
                w
                for segment in path.lower().split("?", 1)[0].split("/")
                if "." not in segment
                for w in _PATH_WORDS.findall(segment)
            }
            type_name = next((t for t, marks in PATH_TYPES if not marks.isdisjoint(words)), None)
            if len(self._path_types) >= _ROUTE_CACHE_MAX:
                self._path_types.clear()
            self._path_types[path] = type_name
        if type_name is None:
            return verdict
        return verdict._replace(type=type_name, severity=self.rules.severity(type_name))

    def _run_custom(self, route: _Route, classifier: Classifier, x: HttpExchange) -> Classification | None:
        """Calls a user classifier with the decoded body; None falls through to the rules."""
        body, truncated = x.response_body, x.response_body_truncated
        decoded = decode_body(x.response_headers, body) if body else None
        if decoded is not None:
            body, cut = decoded
            truncated = truncated or cut
        try:
            result = route.custom(x.status_code, x.response_headers, body, truncated)
        except Exception:
            self.custom_errors += 1
            if self.custom_errors <= 10:
                log.exception("semantic_errors: classifier %r raised", route.custom_name)
            return None
        if result is None:
            return None
        verdict = to_classification(result, classifier.rules)
        if verdict is None:
            self.custom_errors += 1
            return None
        return verdict if verdict.kind == "none" else verdict._replace(rule=f"classifier {route.custom_name}")

    # ------------------------------------------------------------ metrics

    def collect_metrics(self, now_ns: int) -> list[tuple[ProcessInfo, Metric]]:
        """The cumulative counter, one Metric per resource (monotonic Sum of int points)."""
        with self._lock:
            counts = list(self._counts.items())
            processes = dict(self._processes)
        by_resource: dict[object, Metric] = {}
        for key, value in counts:
            resource_key = key[0]
            metric = by_resource.get(resource_key)
            if metric is None:
                metric = Metric(name=METRIC_NAME, unit=METRIC_UNIT, description=METRIC_DESCRIPTION)
                metric.sum.aggregation_temporality = AGGREGATION_TEMPORALITY_CUMULATIVE
                metric.sum.is_monotonic = True
                by_resource[resource_key] = metric
            point: NumberDataPoint = metric.sum.data_points.add()
            point.start_time_unix_nano = self._start_ns
            point.time_unix_nano = now_ns
            point.as_int = value
            if key[1] == _OVERFLOW:
                attr = point.attributes.add(key="otel.metric.overflow")
                attr.value.bool_value = True
                continue
            _, route, method, type_name, severity, kind = key
            if route is not None:
                point.attributes.add(key="http.route").value.string_value = route
            point.attributes.add(key="http.request.method").value.string_value = method
            point.attributes.add(key=ATTR_TYPE).value.string_value = type_name or ""
            point.attributes.add(key=ATTR_SEVERITY).value.string_value = severity or ""
            point.attributes.add(key=ATTR_KIND).value.string_value = kind
        return [(processes.get(rk) or _UNKNOWN_PROCESS, metric) for rk, metric in by_resource.items()]

    def produce_metrics(self, now_ns: int) -> list:
        return group_by_resource(self.collect_metrics(now_ns))

    @property
    def counts(self) -> dict[tuple, int]:
        """A copy of the counts: ``(resource_key, route, method, type, severity, kind) -> n``."""
        with self._lock:
            return dict(self._counts)

    def stats(self) -> dict[str, int]:
        """The processor's own counters, for the agent's self-metrics."""
        return {
            "exchanges": self.exchanges,
            "classify_errors": self.classify_errors,
            "custom_classifier_errors": self.custom_errors,
            "series_overflow": self.series_overflow,
            # Shared by the processors with the same rules (see shared_classifier).
            "verdict_cache_evicted": self.classifier.verdicts_evicted,
        }

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Stops annotating; counts stay readable for a final export. Safe to call twice or without use."""
        self._shutdown = True


def to_classification(result: object, rules: RuleSet) -> Classification | None:
    """Turns a custom classifier's dict into a Classification; None when it is unusable.

    Accepted keys: ``kind`` (none/business/system; default business when a ``type`` is
    given), ``type``, ``severity`` (default: the configured severity of the type) and
    ``message`` or ``detail`` (a short reason for the span status).
    """
    if not isinstance(result, Mapping):
        return None
    type_name = result.get("type")
    if type_name is not None and not isinstance(type_name, str):
        return None
    kind = result.get("kind", "business" if type_name else "none")
    if kind not in KINDS:
        return None
    if kind == "none":
        return NONE
    if not type_name:
        type_name = GENERIC_TYPE if kind == "business" else "server_error"
    else:
        # A name by contract, but the classifier may have read it from the body: it becomes a
        # span attribute and a metric label, so it goes through the value detectors.
        type_name = DEFAULT_SCRUBBER.memoized(type_name[:64])
    severity = result.get("severity")
    if severity not in SEVERITIES:
        severity = rules.severity(type_name)
    # The message is the body's words (the classifier read it there): it is a detail, exported
    # only with capture_body (see status_message).
    detail = result.get("message") or result.get("detail") or ""
    return Classification(kind, type_name, severity, str(detail)[:64])


def status_message(verdict: Classification, redactor: Redactor | None) -> str:
    """The span status message of a silent failure: the kind, the type and the rule that found it.

    ``business error: payment (rule: json.success_flag)``.  The body's own words (the verdict's
    ``detail``: an error code, a message) are added only when the receiver exports bodies
    (``capture_body``), and then through the value detectors:
    ``business error: payment (rule: json.success_flag, detail: card_declined)``.
    """
    message = f"{verdict.kind} error: {verdict.type}"
    inner = [f"rule: {verdict.rule}"] if verdict.rule else []
    if verdict.detail and redactor is not None and redactor.capture_body:
        inner.append(f"detail: {redactor.scrub_text(verdict.detail)}")
    return f"{message} ({', '.join(inner)})" if inner else message


__all__ = [
    "ATTR_KIND",
    "ATTR_SEVERITY",
    "ATTR_TYPE",
    "METRIC_NAME",
    "SemanticErrorsProcessor",
    "default_config",
    "status_message",
    "to_classification",
    "validate_config",
]
