"""A tiny declarative schema for component configurations.

A schema is a nested dict of key -> field (or key -> nested dict for a sub-section)::

    {
        "capture_bytes": Int(1024, min=64, max=16384),
        "filter": {"ports": List(Int(min=1, max=65535))},
    }

:func:`resolve` checks a raw mapping (as read from YAML) against it and returns the value
with defaults filled in, plus every error found (never just the first), each naming the
full path of the offending key: ``receivers.ebpf.filter.ports[1]: must be between 1 and 65535``.

Conventions:
    * A key that is absent or null takes its default; ``required=True`` makes it mandatory.
    * Unknown keys are errors that list the allowed keys (and the nearest one, for typos).
    * Strings are accepted for typed fields (``"2048"``, ``"true"``): values substituted
      from environment variables are always strings, as in the Collector.
    * Durations resolve to float seconds: ``"200ms"`` -> 0.2, ``"1m30s"`` -> 90.0, ``5`` -> 5.0.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "[REDACTED]"

_INT_TEXT = re.compile(r"[+-]?\d+\Z")
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_TRUE = frozenset(("true", "yes", "on"))
_FALSE = frozenset(("false", "no", "off"))


def describe(value: Any) -> str:
    """Short description of a bad value for an error message."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_duration(value: Any) -> float | None:
    """Seconds from a duration: a number of seconds or a Go-style string ("5s", "200ms", "1h2m").

    ``d`` (24h) is accepted too, beyond Go's units, because SLO windows are written "30d".

    Returns:
        The duration in seconds, or None when the value is not a valid non-negative duration.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) and value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)  # a bare number of seconds, e.g. from an environment variable
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    total = 0.0
    pos = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) else None


def format_duration(seconds: float) -> str:
    """The shortest readable form of a duration for messages: 0.001 -> "1ms", 90 -> "90s"."""
    if seconds and seconds < 1:
        millis = seconds * 1000
        return f"{millis:g}ms"
    return f"{seconds:g}s"


def _range_message(low: Any, high: Any, fmt: Callable[[Any], str] = str) -> str:
    if low is not None and high is not None:
        return f"must be between {fmt(low)} and {fmt(high)}"
    if low is not None:
        return f"must be at least {fmt(low)}"
    return f"must be at most {fmt(high)}"


class Field:
    """A leaf of a schema: one value with a type, a default and constraints.

    Args:
        default: Value used when the key is absent or null (copied, never shared).
        required: The key must be given (the default is ignored).
        doc: What the value is, appended to the "required" message.
        secret: The value is redacted by :func:`redact` (e.g. in ``print-config``).
    """

    expected = "a value"

    def __init__(self, default: Any = None, *, required: bool = False, doc: str = "", secret: bool = False):
        self.default = default
        self.required = required
        self.doc = doc
        self.secret = secret

    def default_value(self) -> Any:
        return copy.deepcopy(self.default)

    def resolve(self, value: Any, path: str, errors: list[str]) -> Any:
        """The checked (and normalised) value; appends to errors and returns the default when bad."""
        if value is None:
            if self.required:
                errors.append(f"{path}: a value is required" + (f" ({self.doc})" if self.doc else ""))
            return self.default_value()
        result = self.convert(value, path, errors)
        return self.default_value() if result is _INVALID else result

    def convert(self, value: Any, path: str, errors: list[str]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _bad_type(self, value: Any, path: str, errors: list[str]) -> object:
        errors.append(f"{path}: expected {self.expected}, got {describe(value)}")
        return _INVALID


_INVALID = object()


class Bool(Field):
    """A boolean; also accepts the strings true/false/yes/no/on/off (any case)."""

    expected = "a boolean"

    def convert(self, value, path, errors):
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        return self._bad_type(value, path, errors)


class _Ranged(Field):
    def __init__(self, default=None, *, min=None, max=None, check=None, **kwargs):
        super().__init__(default, **kwargs)
        self.min = min
        self.max = max
        # check(value) -> error message or None: constraints a range cannot express.
        self.check = check

    def _constrain(self, number, path, errors, fmt=str):
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            errors.append(f"{path}: {_range_message(self.min, self.max, fmt)}")
            return _INVALID
        if self.check is not None:
            message = self.check(number)
            if message:
                errors.append(f"{path}: {message}")
                return _INVALID
        return number


class Int(_Ranged):
    """An integer within an optional [min, max] range."""

    expected = "an integer"

    def convert(self, value, path, errors):
        if isinstance(value, str) and _INT_TEXT.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            return self._bad_type(value, path, errors)
        return self._constrain(value, path, errors)


class Number(_Ranged):
    """A finite number (int or float) within an optional [min, max] range."""

    expected = "a number"

    def convert(self, value, path, errors):
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                return self._bad_type(value, path, errors)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return self._bad_type(value, path, errors)
        return self._constrain(value, path, errors)


class Duration(_Ranged):
    """A duration: "5s", "200ms", "1m30s" or a number of seconds; resolves to float seconds."""

    expected = "a duration such as '5s' or '200ms', or a number of seconds"

    def default_value(self):
        return None if self.default is None else parse_duration(self.default)

    def convert(self, value, path, errors):
        seconds = parse_duration(value)
        if seconds is None:
            return self._bad_type(value, path, errors)
        return self._constrain(seconds, path, errors, format_duration)


class Str(Field):
    """A string, optionally one of ``choices``; ``normalize`` (e.g. str.lower) is applied first.

    An empty string counts as absent (the default applies) unless the field is required,
    so ``endpoint: ${env:UNSET}`` falls back to the default instead of an empty endpoint;
    with ``allow_empty`` an empty string is a value of its own (e.g. "off").
    """

    expected = "a string"

    def __init__(
        self, default=None, *, choices=None, max_len=None, normalize=None, check=None, allow_empty=False, **kwargs
    ):
        super().__init__(default, **kwargs)
        self.allow_empty = allow_empty
        self.choices = tuple(choices) if choices else None
        self.max_len = max_len
        self.normalize = normalize
        self.check = check

    def convert(self, value, path, errors):
        if not isinstance(value, str):
            hint = " (quote it)" if isinstance(value, int | float) and not isinstance(value, bool) else ""
            errors.append(f"{path}: expected {self.expected}, got {describe(value)}{hint}")
            return _INVALID
        if self.normalize is not None:
            value = self.normalize(value)
        if value == "":
            if self.allow_empty:
                return value
            if self.required:
                errors.append(f"{path}: must not be empty" + (f" ({self.doc})" if self.doc else ""))
                return _INVALID
            return self.default_value()
        if self.choices is not None and value not in self.choices:
            errors.append(f"{path}: {value!r} is not allowed (allowed: {', '.join(self.choices)})")
            return _INVALID
        if self.max_len is not None and len(value) > self.max_len:
            errors.append(f"{path}: {value!r} is longer than {self.max_len} characters")
            return _INVALID
        if self.check is not None:
            message = self.check(value)
            if message:
                errors.append(f"{path}: {message}")
                return _INVALID
        return value


class List(Field):
    """A list of items of one field type.

    A string is read as a comma-separated list, so ``ports: ${env:PORTS}`` works with
    ``PORTS=80,8080``; an empty string is an empty list.
    """

    expected = "a list"

    def __init__(self, item: Field, default=(), **kwargs):
        super().__init__(list(default), **kwargs)
        self.item = item

    def convert(self, value, path, errors):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple):
            return self._bad_type(value, path, errors)
        before = len(errors)
        items = [self.item.resolve(v, f"{path}[{i}]", errors) for i, v in enumerate(value)]
        return _INVALID if len(errors) > before else items


class Map(Field):
    """A mapping of free-form string keys to values of one field type (e.g. headers).

    Args:
        value: The field every value is checked with.
        key_check: ``key -> error message or None``, for keys that must have a form (header names).
    """

    expected = "a mapping"

    def __init__(self, value: Field, default=None, *, key_check=None, **kwargs):
        super().__init__(dict(default or {}), **kwargs)
        self.value = value
        self.key_check = key_check

    def convert(self, value, path, errors):
        if not isinstance(value, Mapping):
            return self._bad_type(value, path, errors)
        result = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                errors.append(f"{path}: keys must be non-empty strings, got {describe(key)}")
                continue
            message = self.key_check(key) if self.key_check is not None else None
            if message:
                errors.append(f"{path}.{key}: {message}")
                continue
            result[key] = self.value.resolve(item, f"{path}.{key}", errors)
        return result


class Section(Field):
    """A mapping with a fixed set of keys, each with its own field (the nested-dict form).

    Args:
        fields: key -> Field, or key -> dict for a nested section.
        check: Cross-field validation on the resolved section: returns (key, message) pairs.
    """

    expected = "a mapping"

    def __init__(self, fields: Mapping[str, Field | Mapping], *, check=None, **kwargs):
        super().__init__(None, **kwargs)
        self.fields = {key: as_field(field) for key, field in fields.items()}
        self.check = check

    def default_value(self):
        return {key: field.default_value() for key, field in self.fields.items()}

    def resolve(self, value, path, errors):
        # An absent or null section is an empty one: its keys take their defaults.
        return self.convert({} if value is None else value, path, errors)

    def convert(self, value, path, errors):
        if not isinstance(value, Mapping):
            return self._bad_type(value, path, errors)
        for key in value:
            if key not in self.fields:
                errors.append(f"{_join(path, str(key))}: {unknown_message('key', key, self.fields)}")
        before = len(errors)
        result = {key: field.resolve(value.get(key), _join(path, key), errors) for key, field in self.fields.items()}
        if self.check is not None and len(errors) == before:
            for key, message in self.check(result):
                errors.append(f"{_join(path, key)}: {message}")
        return result


def as_field(spec: Field | Mapping) -> Field:
    """A field from a schema node: nested dicts become sections."""
    return spec if isinstance(spec, Field) else Section(spec)


def unknown_message(what: str, name: Any, allowed: Any) -> str:
    """``unknown key (did you mean 'x'? allowed: a, b)``: the nearest allowed name helps with typos.

    Keys are named by the path in front of the message; other things (types) are quoted
    and listed as "known".
    """
    names = sorted(str(n) for n in allowed)
    close = difflib.get_close_matches(str(name), names, n=1) if isinstance(name, str) else []
    hint = f"did you mean {close[0]!r}? " if close else ""
    if what == "key":
        return f"unknown key ({hint}allowed: {', '.join(names) or 'none'})"
    return f"unknown {what} {name!r} ({hint}known: {', '.join(names) or 'none'})"


def resolve(schema: Field | Mapping, value: Any, path: str) -> tuple[Any, list[str]]:
    """Checks a raw value against a schema.

    Returns:
        (resolved value with defaults filled in, list of error messages).
    """
    errors: list[str] = []
    result = as_field(schema).resolve(value, path, errors)
    return result, errors


def defaults(schema: Field | Mapping) -> Any:
    """The value a schema resolves to when nothing is configured."""
    return as_field(schema).default_value()


def redact(schema: Field | Mapping, value: Any) -> Any:
    """A copy of a resolved value with the fields marked ``secret`` replaced by "[REDACTED]"."""
    field = as_field(schema)
    if value is None:
        return None
    if field.secret:
        if isinstance(field, Map) and isinstance(value, Mapping):
            return dict.fromkeys(value, REDACTED)
        return REDACTED
    if isinstance(field, Section) and isinstance(value, Mapping):
        return {k: redact(field.fields[k], v) if k in field.fields else v for k, v in value.items()}
    return copy.deepcopy(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
