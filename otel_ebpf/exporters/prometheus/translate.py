"""OTLP names, units and attributes as Prometheus metric names and label names and values.

The rules are the OpenTelemetry "Prometheus and OpenMetrics Compatibility" specification
(``specification/compatibility/prometheus_and_openmetrics.md``, "OTLP Metric points to
Prometheus") as the Collector's ``prometheusexporter`` applies them through
``github.com/prometheus/otlptranslator`` (which replaced ``pkg/translator/prometheus`` of
opentelemetry-collector-contrib): ``metric_namer.go`` (names, suffixes), ``unit_namer.go``
(units), ``label_namer.go`` + ``strconv.go`` (labels), with the translation strategy
``UnderscoreEscapingWithSuffixes`` (``add_metric_suffixes: true``, the default) or
``UnderscoreEscapingWithoutSuffixes`` (``add_metric_suffixes: false``).

Everything here is a pure function of its arguments; :class:`Namer` memoises the results.
"""

from __future__ import annotations

import base64
import json
import math
import re

from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from otel_ebpf.exporters.prometheus.store import COUNTER, GAUGE, HISTOGRAM, SUMMARY

__all__ = [
    "COUNTER",
    "GAUGE",
    "HISTOGRAM",
    "SUMMARY",
    "TARGET_INFO",
    "UPDOWN",
    "Namer",
    "attribute_value",
    "clean_namespace",
    "job_and_instance",
    "label_name",
    "metric_name",
    "unit_name",
]

# How a metric is named (otlptranslator's MetricType): the exposed types (a counter is a
# monotonic sum), and a non-monotonic sum, exposed as a gauge but not a gauge for naming (no
# ``_ratio``): MetricTypeNonMonotonicCounter.
UPDOWN = "updown"

# otlptranslator constants.go TargetInfoMetricName; the spec's "Resource Attributes" section.
TARGET_INFO = "target_info"

# otlptranslator metric_namer.go unitMap: UCUM units -> Prometheus unit words.  ("1" -> "":
# dimensionless counts get no unit suffix; gauges get ``_ratio`` instead, see metric_name.)
UNIT_MAP = {
    "d": "days",
    "h": "hours",
    "min": "minutes",
    "s": "seconds",
    "ms": "milliseconds",
    "us": "microseconds",
    "ns": "nanoseconds",
    "By": "bytes",
    "KiBy": "kibibytes",
    "MiBy": "mebibytes",
    "GiBy": "gibibytes",
    "TiBy": "tibibytes",
    "KBy": "kilobytes",
    "MBy": "megabytes",
    "GBy": "gigabytes",
    "TBy": "terabytes",
    "m": "meters",
    "V": "volts",
    "A": "amperes",
    "J": "joules",
    "W": "watts",
    "g": "grams",
    "Cel": "celsius",
    "Hz": "hertz",
    "1": "",
    "%": "percent",
}

# otlptranslator metric_namer.go perUnitMap: the unit after "/" ("By/s" -> bytes_per_second).
PER_UNIT_MAP = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year"}

# Legacy (non-UTF-8) Prometheus character sets: metric names [a-zA-Z0-9:] plus "_", label names
# [a-zA-Z0-9] plus "_" (otlptranslator isValidCompliantMetricChar / isValidCompliantLabelChar).
_NOT_METRIC_CHARS = re.compile(r"[^a-zA-Z0-9:]+")
_NOT_METRIC_CHARS_NOR_UNDERSCORE = re.compile(r"[^a-zA-Z0-9:_]+")
_NOT_LABEL_CHARS = re.compile(r"[^a-zA-Z0-9]+")


def _unit_suffixes(unit: str) -> tuple[str, str]:
    """(main, per) unit words of a UCUM unit: otlptranslator unit_namer.go buildUnitSuffixes.

    The spec: portions within braces ({packet}) MUST be dropped; rates over time ("m/s") become
    words ("meters_per_second").  A unit absent from the map is kept as written (then cleaned).
    """
    main_otel, slash, per_otel = unit.partition("/")
    main_otel = main_otel.strip()
    main = ""
    if main_otel and "{" not in main_otel and "}" not in main_otel:
        main = UNIT_MAP.get(main_otel, main_otel)
    per = ""
    if slash and per_otel:
        per_otel = per_otel.strip()
        if per_otel and "{" not in per_otel and "}" not in per_otel:
            per = PER_UNIT_MAP.get(per_otel, per_otel)
        if per:
            per = "per_" + per
    return main, per


def _clean_unit(word: str) -> str:
    """unit_namer.go cleanUpUnit: invalid characters -> "_", runs of "_" collapsed, no leading "_"."""
    return _NOT_METRIC_CHARS.sub("_", word).removeprefix("_")  # "_" is outside the set: runs collapse


def unit_name(unit: str) -> str:
    """The Prometheus unit word of a UCUM unit ("s" -> "seconds", "By/s" -> "bytes_per_second",
    "{event}" and "1" -> ""): otlptranslator unit_namer.go UnitNamer.Build; the OpenMetrics UNIT."""
    main, per = _unit_suffixes(unit)
    main, per = _clean_unit(main), _clean_unit(per)
    word = f"{main}_{per}" if main and per else main or per
    return word.strip("_") if word else ""


def clean_namespace(namespace: str) -> str:
    """The configured ``namespace`` with characters outside [a-zA-Z0-9_:] replaced by "_".

    The Collector cleans it too (``CleanUpString(config.Namespace)`` in older releases); the
    current otlptranslator prefixes it unchanged, which makes ``test-space`` an invalid name.
    """
    return "_".join(part for part in _NOT_METRIC_CHARS_NOR_UNDERSCORE.split(namespace) if part)


def metric_name(name: str, unit: str, kind: str, namespace: str = "", add_suffixes: bool = True) -> str | None:
    """The Prometheus metric (family) name of an OTLP metric, or None when nothing valid is left.

    With suffixes (otlptranslator metric_namer.go normalizeName): the name is split into tokens
    at every character outside [a-zA-Z0-9:] (so "." and runs of "_" become one "_"), the unit
    word and the "per" unit are appended unless already a token, ``total`` is moved to the end
    of monotonic sums, ``ratio`` to the end of gauges with unit "1", the namespace goes first,
    and a leading digit gets a "_" in front.  Without suffixes (buildCompliantMetricName's
    simple case) only the characters outside [a-zA-Z0-9:_] are replaced.  A metric without a
    name is invalid OTLP: None (otlptranslator would name it after its unit).
    """
    if not name:
        return None
    if add_suffixes:
        tokens = [t for t in _NOT_METRIC_CHARS.split(name) if t]
        main, per = _unit_suffixes(unit)
        main, per = _clean_unit(main), _clean_unit(per)
        # addUnitTokens: no unit twice ("request.duration.seconds" with unit s stays as is).
        if main in tokens:
            main = ""
        if per == "per_":
            per = ""
        else:
            per = per.removesuffix("_")
            if per in tokens:
                per = ""
        if per:
            main = main.removesuffix("_")
        if main:
            tokens.append(main)
        if per:
            tokens.append(per)
        if kind == COUNTER:
            tokens = [t for t in tokens if t != "total"] + ["total"]
        if unit == "1" and kind == GAUGE:
            tokens = [t for t in tokens if t != "ratio"] + ["ratio"]
        if namespace:
            tokens.insert(0, namespace)
        result = "_".join(tokens)
        if result[:1].isdigit():
            result = "_" + result
    else:
        result = "_".join(t for t in _NOT_METRIC_CHARS_NOR_UNDERSCORE.split(name) if t)
        if namespace:
            result = f"{namespace}_{result}" if result else ""
        elif result[:1].isdigit():
            result = "_" + result
    # buildCompliantMetricName: an empty name, or one made of underscores only, is an error.
    if not result or (result != name and not result.strip("_")):
        return None
    return result


def label_name(key: str) -> str | None:
    """The Prometheus label name of an attribute key, or None when nothing valid is left.

    otlptranslator label_namer.go LabelNamer.Build (UTF-8 not allowed, the spec's default): runs
    of characters outside [a-zA-Z0-9] (underscores included) become one "_" (the spec: "Multiple
    consecutive _ characters SHOULD be replaced with a single _"), a leading digit gets "key_",
    and reserved ``__name__``-style keys keep their double underscores.
    """
    if not key:
        return None
    reserved = len(key) >= 4 and key.startswith("__") and key.endswith("__")
    inner = key[2:-2] if reserved else key
    result = _NOT_LABEL_CHARS.sub("_", inner)
    if reserved:
        result = f"__{result}__"
    if result[0].isdigit():
        result = "key_" + result
    if not result.strip("_"):
        return None
    return result


def _json_element(value: AnyValue) -> object:
    """An AnyValue inside an array or map (the spec's common/README.md "Arrays" rules)."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "int_value":
        return value.int_value
    if kind == "double_value":
        d = value.double_value
        if math.isnan(d):
            return "NaN"
        if math.isinf(d):
            return "Infinity" if d > 0 else "-Infinity"
        return d
    if kind == "bytes_value":
        return base64.b64encode(value.bytes_value).decode("ascii")
    if kind == "array_value":
        return [_json_element(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: _json_element(kv.value) for kv in value.kvlist_value.values}
    return None


def attribute_value(value: AnyValue) -> str:
    """An attribute value as a label value: the spec's "AnyValue representation for non-OTLP
    protocols" (common/README.md): strings as-is, booleans and numbers as JSON, NaN/Infinity
    spelled out, bytes in base64, arrays and maps as JSON, an empty value as ""."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return "true" if value.bool_value else "false"
    if kind == "int_value":
        return str(value.int_value)
    element = _json_element(value)  # NaN/Infinity and base64 bytes come back as text
    if element is None:
        return ""
    return element if isinstance(element, str) else json.dumps(element, ensure_ascii=False, separators=(",", ":"))


def job_and_instance(resource: dict[str, str]) -> tuple[str | None, str | None]:
    """``job`` and ``instance`` of a resource (the spec's "Resource Attributes" section and the
    Collector's utils.go extractJob/extractInstance): job is ``service.namespace/service.name``
    or ``service.name``; instance is ``service.instance.id``; None when absent."""
    job = resource.get("service.name")
    if job is not None:
        namespace = resource.get("service.namespace")
        if namespace is not None:
            job = f"{namespace}/{job}"
    return job, resource.get("service.instance.id")


class Namer:
    """Memoised :func:`metric_name` and :func:`label_name` for one exporter's settings.

    The agent sends the same few hundred names every interval; the memo tables are cleared when
    they reach ``max_entries`` (a sender with unbounded attribute keys cannot grow them).
    """

    def __init__(self, namespace: str = "", add_suffixes: bool = True, max_entries: int = 4096) -> None:
        self.namespace = clean_namespace(namespace)
        self.add_suffixes = add_suffixes
        self.target_info = f"{self.namespace}_{TARGET_INFO}" if self.namespace else TARGET_INFO
        self._max = max_entries
        self._metrics: dict[tuple[str, str, str], str | None] = {}
        self._labels: dict[str, str | None] = {}
        self._units: dict[tuple[str, str], str] = {}

    def metric(self, name: str, unit: str, kind: str) -> str | None:
        key = (name, unit, kind)
        try:
            return self._metrics[key]
        except KeyError:
            pass
        if len(self._metrics) >= self._max:
            self._metrics.clear()
        result = self._metrics[key] = metric_name(name, unit, kind, self.namespace, self.add_suffixes)
        return result

    def label(self, key: str) -> str | None:
        try:
            return self._labels[key]
        except KeyError:
            pass
        if len(self._labels) >= self._max:
            self._labels.clear()
        result = self._labels[key] = label_name(key)
        return result

    def unit(self, family: str, unit: str) -> str:
        """The OpenMetrics UNIT of a family: its unit word when the name ends with it, else ""
        (a name that already held the unit elsewhere gets no suffix, and OpenMetrics requires
        the UNIT to be a suffix of the family name)."""
        if not self.add_suffixes:
            return ""
        key = (family, unit)
        try:
            return self._units[key]
        except KeyError:
            pass
        if len(self._units) >= self._max:
            self._units.clear()
        word = unit_name(unit)
        result = self._units[key] = word if word and family.endswith("_" + word) else ""
        return result
