"""OTLP/JSON encoding of protobuf requests without ``json_format``: plain dicts, then ``json.dumps``.

protobuf's ``json_format.MessageToDict`` decides how to write every field of every message
by reflection, in Python: ~75 µs per span of a typical HTTP server span (~1.1 KB of JSON).
Here the decision is made once per field descriptor (a plan: JSON name and converter) and the
set fields come from ``ListFields`` (C); the common messages of OTLP (``KeyValue``,
``AnyValue``) have hand-written converters.  The output is the same document as
``json_format.MessageToDict(request, use_integers_for_enums=True)`` with hex ids
(:func:`otel_ebpf.exporters.helper.otlp_json.to_otlp_json_reference`), which the tests check
field for field; bench/bench_file_exporter.py measures both.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.internal.type_checkers import ToShortestFloat
from google.protobuf.message import Message
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

__all__ = ["encode_otlp_json", "message_to_otlp_dict"]

# Bytes fields written as hex, as the OTLP specification requires (everywhere else: base64).
_HEX_FIELDS = frozenset({"trace_id", "span_id", "parent_span_id"})
_INT64_TYPES = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)
_KEY_VALUE = "opentelemetry.proto.common.v1.KeyValue"

Converter = Callable[[Any], Any] | None
# Per field descriptor: (JSON name, converter of the value ListFields gives, None: as it is).
_plans: dict[FieldDescriptor, tuple[str, Converter]] = {}


def _double(value: float) -> float | str:
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _float(value: float) -> float | str:
    return _double(value) if not math.isfinite(value) else ToShortestFloat(value)


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _hex(value: bytes) -> str:
    return value.hex()


def _any_value(v: Message) -> dict[str, Any]:
    kind = v.WhichOneof("value")
    if kind == "string_value":
        return {"stringValue": v.string_value}
    if kind == "int_value":
        return {"intValue": str(v.int_value)}
    if kind == "bool_value":
        return {"boolValue": v.bool_value}
    if kind == "double_value":
        return {"doubleValue": _double(v.double_value)}
    if kind is None:
        return {}
    return message_to_otlp_dict(v)  # arrays, kvlists, bytes: rare, the general way


def _key_value(kv: Message) -> dict[str, Any]:
    key = kv.key
    out: dict[str, Any] = {"key": key} if key else {}
    if kv.HasField("value"):
        out["value"] = _any_value(kv.value)
    key_strindex = kv.key_strindex  # profiles' dictionary index, 0 elsewhere
    if key_strindex:
        out["keyStrindex"] = key_strindex
    return out


# The hand-written converters know these fields; a newer opentelemetry-proto with more fields
# makes them step aside for the general way (tests/exporters/test_otlp_json.py fills every field).
_HAND_WRITTEN = {f.name for f in KeyValue.DESCRIPTOR.fields} == {"key", "value", "key_strindex"} and all(
    f.containing_oneof is not None and f.containing_oneof.name == "value" for f in AnyValue.DESCRIPTOR.fields
)


def _key_values(values) -> list[dict[str, Any]]:
    return [_key_value(kv) for kv in values]


def _messages(values) -> list[dict[str, Any]]:
    return [message_to_otlp_dict(m) for m in values]


def _plan(fd: FieldDescriptor) -> tuple[str, Converter]:
    conv: Converter
    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        if fd.message_type.GetOptions().map_entry:  # OTLP has no maps; refuse rather than guess
            raise TypeError(f"map field {fd.full_name} is not supported")
        if fd.message_type.full_name == _KEY_VALUE and _HAND_WRITTEN:
            conv = _key_values if fd.is_repeated else _key_value
        else:
            conv = _messages if fd.is_repeated else message_to_otlp_dict
        return fd.json_name, conv
    if fd.type in _INT64_TYPES:
        conv = str
    elif fd.type == FieldDescriptor.TYPE_BYTES:
        conv = _hex if fd.name in _HEX_FIELDS else _b64
    elif fd.type == FieldDescriptor.TYPE_DOUBLE:
        conv = _double
    elif fd.type == FieldDescriptor.TYPE_FLOAT:
        conv = _float
    else:  # strings, bools, 32-bit integers, enums (as integers): as they are
        conv = None
    if fd.is_repeated:
        conv = list if conv is None else (lambda values, one=conv: [one(v) for v in values])
    return fd.json_name, conv


def message_to_otlp_dict(message: Message) -> dict[str, Any]:
    """The OTLP/JSON document of a message: its set fields, camelCase, int64 as strings, hex ids."""
    out: dict[str, Any] = {}
    plans = _plans
    for fd, value in message.ListFields():
        plan = plans.get(fd)
        if plan is None:
            plan = plans[fd] = _plan(fd)
        name, conv = plan
        out[name] = value if conv is None else conv(value)
    return out


def encode_otlp_json(request: Message) -> str:
    """One compact OTLP/JSON line (without the newline)."""
    return json.dumps(message_to_otlp_dict(request), separators=(",", ":"), ensure_ascii=False)
