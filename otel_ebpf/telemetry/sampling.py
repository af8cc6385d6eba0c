"""Head sampling of exchanges, configured like the SDKs by ``OTEL_TRACES_SAMPLER(_ARG)``.

Samplers: ``always_on``, ``always_off``, ``traceidratio``, ``parentbased_always_on`` (the
default, as the specification says), ``parentbased_always_off``, ``parentbased_traceidratio``.

* ``traceidratio`` is deterministic by trace id, exactly as the Python SDK's
  ``TraceIdRatioBased``: sampled when the lower 64 bits of the trace id (big-endian) are
  below ``round(ratio * 2**64)``, so every agent and SDK on a trace agrees.
* ``parentbased_*`` follow the remote parent's sampled flag when the exchange carries one
  (``exchange.parent_span_id`` non-empty, flag in ``exchange.sampled``) and use the named
  root sampler otherwise.
* Unknown names fall back to ``parentbased_always_on`` and a bad or out-of-range ratio to
  1.0, with a warning (the SDK's behaviour).

Like the SDKs, the agent follows an upstream's decision by default: a request whose
``traceparent`` says "not sampled" gives no span (its failures still do: the traces
pipelines keep every failure and every exchange a processor marked ``keep``).  Set
``OTEL_TRACES_SAMPLER=always_on`` to export every span whatever the callers decided.

Metrics are recorded before sampling; only spans are sampled.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Mapping

from otel_ebpf.model import HttpExchange

__all__ = ["KNOWN_SAMPLERS", "Sampler"]

logger = logging.getLogger(__name__)

OTEL_TRACES_SAMPLER = "OTEL_TRACES_SAMPLER"
OTEL_TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG"
DEFAULT_SAMPLER = "parentbased_always_on"
KNOWN_SAMPLERS = (
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
)
_LOW64 = (1 << 64) - 1


def ratio_bound(ratio: float) -> int:
    """The trace-id bound of a ratio: opentelemetry.sdk.trace.sampling.TraceIdRatioBased.get_bound_for_rate."""
    return round(ratio * (_LOW64 + 1))


def trace_id_below(trace_id: bytes, bound: int) -> bool:
    """TraceIdRatioBased's decision for a 16-byte id: its lower 64 bits are below ``bound``, so
    every agent, SDK and Collector applying the same ratio keeps the same traces whole."""
    return int.from_bytes(trace_id[8:], "big") < bound


class Sampler:
    """Decide which exchanges become spans.

    Args:
        name: One of :data:`KNOWN_SAMPLERS`.
        ratio: Sampling probability for the ``*traceidratio`` samplers, in [0, 1].
    """

    def __init__(self, name: str = DEFAULT_SAMPLER, ratio: float = 1.0) -> None:
        if name not in KNOWN_SAMPLERS:
            raise ValueError(f"unknown sampler {name!r}; expected one of {', '.join(KNOWN_SAMPLERS)}")
        if not 0.0 <= ratio <= 1.0:
            raise ValueError(f"sampling ratio must be in [0.0, 1.0], got {ratio}")
        self.name = name
        self.ratio = ratio
        self.parent_based = name.startswith("parentbased_")
        root = name.removeprefix("parentbased_")
        self._root_on = root == "always_on"
        self._root_off = root == "always_off"
        self.bound = ratio_bound(ratio) if root == "traceidratio" else 0
        self.sampled_out = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Sampler:
        """Build from ``OTEL_TRACES_SAMPLER`` / ``OTEL_TRACES_SAMPLER_ARG`` (never raises)."""
        raw = environ.get(OTEL_TRACES_SAMPLER, "").strip().lower()
        name = raw or DEFAULT_SAMPLER
        if name not in KNOWN_SAMPLERS:
            logger.warning("Couldn't recognize sampler %s; using parentbased_always_on.", raw)
            name = "parentbased_always_on"
        ratio = 1.0
        if name.endswith("traceidratio"):
            arg = environ.get(OTEL_TRACES_SAMPLER_ARG, "")
            try:
                ratio = float(arg)
                if not 0.0 <= ratio <= 1.0:  # also rejects NaN
                    raise ValueError(arg)
            except ValueError:
                logger.warning("Invalid OTEL_TRACES_SAMPLER_ARG %r for %s; using 1.0.", arg, name)
                ratio = 1.0
        return cls(name, ratio)

    @property
    def description(self) -> str:
        """A human description, as the SDK's ``get_description`` would print it."""
        if self.name.endswith("traceidratio"):
            return f"{self.name}{{{self.ratio}}}"
        return self.name

    def should_sample(self, exchange: HttpExchange) -> bool:
        """True when the exchange should be exported as a span."""
        if self.parent_based and exchange.parent_span_id:
            return bool(exchange.sampled)
        if self._root_on:
            return True
        if self._root_off:
            return False
        trace_id = exchange.trace_id
        if len(trace_id) != 16:
            # No trace id yet (one is generated when the span is built): any coin will do.
            return random.random() < self.ratio
        return trace_id_below(trace_id, self.bound)

    def sample(self, exchanges: Iterable[HttpExchange]) -> list[HttpExchange]:
        """The sampled subset of ``exchanges`` (count of the others in ``sampled_out``)."""
        batch = list(exchanges)
        if self.name == "always_on":
            return batch
        out = [ex for ex in batch if self.should_sample(ex)]
        self.sampled_out += len(batch) - len(out)
        return out

    def __repr__(self) -> str:
        return f"Sampler({self.description})"
