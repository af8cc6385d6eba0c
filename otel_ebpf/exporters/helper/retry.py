"""Retry with exponential backoff and jitter, as the Collector's ``retry_on_failure``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RetrySettings:
    """``retry_on_failure`` (resolved: durations in seconds), with the Collector's defaults."""

    enabled: bool = True
    initial_interval: float = 5.0
    max_interval: float = 30.0
    max_elapsed_time: float = 300.0  # 0 = retry until shutdown
    multiplier: float = 1.5
    randomization_factor: float = 0.5

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetrySettings:
        """From the resolved ``retry_on_failure`` section (the schema already checked it)."""
        return cls(**config)


class Backoff:
    """Exponential backoff with jitter for one request (cenkalti/backoff, as in the Collector).

    Each delay is the current interval randomised by ±`randomization_factor`; the
    interval grows by `multiplier` up to `max_interval`.
    """

    __slots__ = ("_settings", "_interval", "_random")

    def __init__(self, settings: RetrySettings, rng: random.Random | None = None):
        self._settings = settings
        self._interval = settings.initial_interval
        self._random = rng or random

    def next_delay(self) -> float:
        s = self._settings
        delta = s.randomization_factor * self._interval
        delay = self._interval - delta + self._random.random() * 2 * delta
        self._interval = min(self._interval * s.multiplier, s.max_interval)
        return delay
