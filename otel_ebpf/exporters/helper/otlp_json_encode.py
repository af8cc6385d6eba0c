"""OTLP/JSON encoding of protobuf requests without ``json_format``: the text, written directly.

protobuf's ``json_format.MessageToDict`` decides how to write every field of every message
by reflection, in Python, then ``json.dumps`` walks the dicts it made: ~75 µs per typical HTTP
span (~1.1 KB of JSON).  Here the decision is made once per field descriptor (a plan: the
``"jsonName":`` prefix and a converter to JSON text), the set fields come from ``ListFields``
(C), strings are escaped by ``json``'s C escaper, and an attribute (``KeyValue``) is written
once per distinct key and value (a bounded memo keyed by its protobuf bytes: most attributes
repeat from span to span).
The text is the same, byte for byte, as ``json.dumps(MessageToDict(request,
use_integers_for_enums=True))`` with hex ids, compact
(:func:`otel_ebpf.exporters.helper.otlp_json.to_otlp_json_reference`), which
tests/exporters/test_otlp_json.py checks on every field of OTLP; bench/bench_file_exporter.py
measures both.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.internal.type_checkers import ToShortestFloat
from google.protobuf.message import Message
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

__all__ = ["encode_otlp_json"]

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
_KEY_VALUE = KeyValue.DESCRIPTOR.full_name
# The attribute memo: a KeyValue's protobuf bytes -> its JSON text.  Cleared when full (a cache:
# nothing is lost, the next spans write their attributes again); < 1 MB.
MAX_MEMO = 4096

Converter = Callable[[Any], str]
# Per field descriptor: the '"jsonName":' prefix and the converter of the value ListFields gives.
_plans: dict[FieldDescriptor, tuple[str, Converter]] = {}
_memo: dict[bytes, str] = {}


def _double(value: float) -> str:
    if math.isfinite(value):
        return repr(value)
    if math.isnan(value):
        return '"NaN"'
    return '"Infinity"' if value > 0 else '"-Infinity"'


def _float(value: float) -> str:
    return repr(ToShortestFloat(value)) if math.isfinite(value) else _double(value)


def _int64(value: int) -> str:
    return f'"{value}"'


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _b64(value: bytes) -> str:
    return '"' + base64.b64encode(value).decode("ascii") + '"'


def _hex(value: bytes) -> str:
    return '"' + value.hex() + '"'


# How each scalar member of AnyValue is written, after '{"key":...,"value":{'.
_ANY_SCALARS: dict[str, tuple[str, Converter]] = {
    "string_value": ('"stringValue":', encode_basestring),
    "int_value": ('"intValue":', _int64),
    "bool_value": ('"boolValue":', _bool),
    "double_value": ('"doubleValue":', _double),
    "bytes_value": ('"bytesValue":', _b64),
}


def _key_value(kv: Message) -> str:
    v = kv.value  # each access of a field makes a new wrapper: once each
    kind = v.WhichOneof("value")
    key = kv.key
    plan = _ANY_SCALARS.get(kind)  # type: ignore[arg-type]
    if plan is None or not key or kv.key_strindex:  # lists, maps, no value, profiles: the general way
        return message_to_otlp_json(kv)
    prefix, convert = plan
    return '{"key":' + encode_basestring(key) + ',"value":{' + prefix + convert(getattr(v, kind)) + "}}"  # type: ignore[arg-type]


def _key_values(values) -> str:
    memo = _memo
    parts = []
    for kv in values:
        # Serializing is C (~0.15 µs), reading the fields is not (~0.3 µs): the bytes, which say
        # exactly what the attribute is, are the memo's key.
        wire = kv.SerializeToString()
        text = memo.get(wire)
        if text is None:
            text = _key_value(kv)
            if len(memo) >= MAX_MEMO:
                memo.clear()
            memo[wire] = text
        parts.append(text)
    return "[" + ",".join(parts) + "]"


def _messages(values) -> str:
    return "[" + ",".join([message_to_otlp_json(m) for m in values]) + "]"


def _repeated(one: Converter) -> Converter:
    return lambda values: "[" + ",".join([one(v) for v in values]) + "]"


# The hand-written KeyValue writer knows these fields; a newer opentelemetry-proto with more
# makes it step aside for the general way (tests/exporters/test_otlp_json.py fills every field).
_HAND_WRITTEN = {f.name for f in KeyValue.DESCRIPTOR.fields} == {"key", "value", "key_strindex"} and all(
    f.containing_oneof is not None and f.containing_oneof.name == "value" for f in AnyValue.DESCRIPTOR.fields
)


def _plan(fd: FieldDescriptor) -> tuple[str, Converter]:
    prefix = '"' + fd.json_name + '":'
    conv: Converter
    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        if fd.message_type.GetOptions().map_entry:  # OTLP has no maps; refuse rather than guess
            raise TypeError(f"map field {fd.full_name} is not supported")
        if fd.message_type.full_name == _KEY_VALUE and _HAND_WRITTEN:
            conv = _key_values if fd.is_repeated else _key_value
        else:
            conv = _messages if fd.is_repeated else message_to_otlp_json
        return prefix, conv
    if fd.type in _INT64_TYPES:
        conv = _int64
    elif fd.type == FieldDescriptor.TYPE_BYTES:
        conv = _hex if fd.name in _HEX_FIELDS else _b64
    elif fd.type == FieldDescriptor.TYPE_DOUBLE:
        conv = _double
    elif fd.type == FieldDescriptor.TYPE_FLOAT:
        conv = _float
    elif fd.type == FieldDescriptor.TYPE_STRING:
        conv = encode_basestring
    elif fd.type == FieldDescriptor.TYPE_BOOL:
        conv = _bool
    else:  # 32-bit integers, enums (as integers)
        conv = str
    return prefix, _repeated(conv) if fd.is_repeated else conv


def message_to_otlp_json(message: Message) -> str:
    """The OTLP/JSON text of a message: its set fields, camelCase, int64 as strings, hex ids."""
    parts = []
    plans = _plans
    for fd, value in message.ListFields():
        plan = plans.get(fd)
        if plan is None:
            plan = plans[fd] = _plan(fd)
        parts.append(plan[0] + plan[1](value))
    return "{" + ",".join(parts) + "}"


def encode_otlp_json(request: Message) -> str:
    """One compact OTLP/JSON line (without the newline)."""
    return message_to_otlp_json(request)
