"""What a member's value and an object's shape say, before any rule: a flag's truth, an empty
error member, an entity, a count of successes, a card, the one object among scalars, and the text
of a value for keyword typing.  Pure functions over JSON-like trees (dicts, lists, strings, numbers)."""

from __future__ import annotations

import json
import re

from otel_ebpf.processors.semantic_errors.rules import norm

# Values of an error member that mean "no error".
_EMPTY_WORDS = frozenset({"", "0", "false", "null", "none", "ok", "success", "nil", "no_error", "noerror", "no error"})
_FLAG_FALSE = frozenset({"false", "0", "no", "n", "f", "ko", "ng", "nein", "non", "нет", "否"})
_FLAG_TRUE = frozenset({"true", "1", "yes", "y", "t", "ok", "si", "sim", "oui", "ja", "да", "是"})
# Success "flags" that may be counts ({"succeeded": 3, "failed": 0}): only booleans and words count.
_COUNT_LIKE = frozenset({"succeeded", "successful"})


def flag_value(value: object, name: str) -> bool | None:
    """A success flag's value: False, True, or None when it is not a flag."""
    if value is True or value is False:
        return value
    cls = value.__class__
    if cls is int:
        if name in _COUNT_LIKE:
            return None
        return True if value == 1 else False if value == 0 else None
    if cls is str and len(value) <= 8:
        word = value.strip().lower()
        if word in _FLAG_FALSE:
            return False
        if word in _FLAG_TRUE:
            return True
    return None


_ID_MEMBERS = ("id", "sid", "uuid", "guid", "_id", "object")


def is_entity(obj: dict) -> bool:
    """An object that names itself (an id, Stripe's `object`): a resource, not an envelope (JSON-RPC aside)."""
    if "jsonrpc" in obj:
        return False
    for key in _ID_MEMBERS:
        value = obj.get(key)
        if value is not None and value != "":
            return True
    return False


INTEGER = re.compile(r"-?[0-9]{1,11}")


def is_number(value: object) -> bool:
    return value.__class__ is str and INTEGER.fullmatch(value.strip()) is not None


def json_in_string(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def client_status(value: object) -> int | None:
    """A 4xx status given as a number or a string of digits, else None."""
    if value.__class__ is str and value.isdecimal() and value.isascii() and len(value) < 12:
        value = int(value)
    return value if value.__class__ is int and 400 <= value <= 499 else None


def some_succeeded(obj: dict) -> bool:
    """A non-empty list of successes beside the errors (`success_list`, `successful_receiver_uuids`):
    a partial success."""
    for key, value in obj.items():
        if value.__class__ is list and value and key.__class__ is str and key.lower().startswith("success"):
            return True
    return False


def counts_successes(obj: dict, depth: int = 0) -> bool:
    """A positive count of successes among the members or a summary's (`MessagesSuccessful: 24`)."""
    for key, value in obj.items():
        if value.__class__ is dict and key.__class__ is str and "summary" in key.lower():
            if depth == 0 and counts_successes(value, 1):
                return True
        elif value.__class__ is int and value > 0 and key.__class__ is str:
            name = key.lower()
            if "successful" in name or "succeeded" in name or name.startswith("success"):
                return True
        elif value.__class__ is str and value.isdecimal() and value != "0" and key.__class__ is str:
            name = key.lower()
            if "successful" in name or "succeeded" in name:
                return True
    return False


# The words of a card transaction's member names: a card, its checks, its authorisation.  (An amount
# alone does not make one: a transfer or a withdrawal refused is not a card declined.)
_CARD_WORDS = frozenset({"card", "cards", "cvv", "cvc", "cv2", "avs", "avscv2", "authcode", "ccauth", "pan"})
_NAME_WORDS = re.compile(r"[A-Z][A-Z0-9]*(?![a-z])|[A-Z]?[a-z0-9]+")


def holds_card(obj: dict, depth: int = 0) -> bool:
    """Does the object (or one it holds, two levels down) have a member named for a card or its
    checks (`card`, `cardNumber`, `cvv_result`, `ccAuthReply`; not `discarded_at`, `scorecard`)?"""
    for key, value in obj.items():
        if key.__class__ is str and len(key) <= 32:
            words = [w.lower() for w in _NAME_WORDS.findall(key)]
            if not _CARD_WORDS.isdisjoint(words) or "".join(words[:2]) == "ccauth":
                return True
        if value.__class__ is dict and depth < 2 and holds_card(value, depth + 1):
            return True
    return False


# Members that hold verdicts on the answer's data (EasyPost's address `verifications`): a failed
# check there is the data's, not the call's.
_VERDICT_MEMBERS = frozenset({"verifications", "verification", "checks", "validation", "validations"})


# ... and members that name another thing than the answer: `previous_deployment`, `lastBuild`, `retry_of`.
OTHER_THING_PREFIXES = ("previous", "last", "prior", "parent", "original", "retry", "source", "related")


def one_object(obj: dict) -> bool:
    """Exactly one member is an object, and none is a list; that object is not a verdict on the
    data or a reference to another thing."""
    found = None
    for key, value in obj.items():
        cls = value.__class__
        if cls is dict:
            if found is not None:
                return False
            found = key, value
        elif cls is list:
            return False
    if found is None:
        return False
    key, value = found
    if key.__class__ is not str:
        return False
    name = key.lower()
    return name not in _VERDICT_MEMBERS and not name.startswith(OTHER_THING_PREFIXES)


def has_text(value: object) -> bool:
    return value.__class__ is str and bool(value.strip())


def all_null(value: object) -> bool:
    """A GraphQL `data` whose every root field is null: no payload at all."""
    return value.__class__ is dict and bool(value) and all(v is None for v in value.values())


def all_empty_items(value: object) -> bool:
    """`"results": [{}, {}]` (Google Ads with partial failure on): a result per operation, none done."""
    return value.__class__ is list and all(item == {} for item in value)


def is_empty(value: object, depth: int = 0) -> bool:
    """An error member that is null, false, empty, zero or a no-error word; a dict of only such values."""
    if value is None or value is False:
        return True
    cls = value.__class__
    if cls is str:
        return len(value) < 12 and value.strip().lower() in _EMPTY_WORDS
    if cls is int or cls is float:
        return value == 0
    if cls is list:
        return not value
    if cls is dict:
        return not value or (depth == 0 and all(is_empty(v, 1) for v in value.values()))
    return False


MAX_TEXT = 768  # characters of error text scanned for type keywords (its first words say what failed)


def typing_text(parts: list[str]) -> str:
    """The texts collected by :func:`add_text`, as the type keywords are matched against: joined, cut
    to MAX_TEXT characters, normalised."""
    return norm(" ".join(parts)[:MAX_TEXT])


def add_text(value: object, parts: list[str], depth: int = 0, max_depth: int = 4) -> None:
    """Collects the strings of a member (nested a few levels) for keyword typing."""
    cls = value.__class__
    if cls is str:
        if value.startswith(("http://", "https://")):
            # Only the last segment of a URL names something (problem+json `type`, `doc_url`).
            value = value.rstrip("/").rsplit("/", 1)[-1]
        parts.append(value[:256])
    elif depth < max_depth:
        if cls is dict:
            for item in value.values():
                add_text(item, parts, depth + 1, max_depth)
        elif cls is list:
            for item in value[:5]:
                add_text(item, parts, depth + 1, max_depth)


def short_code(value: object) -> str:
    """A short printable form of a code-like value, or ""."""
    if value.__class__ is str:
        value = value.strip()
        if not 0 < len(value) <= 64:
            return ""
        # A lone surrogate (`"\ud800"` in the JSON) cannot be encoded into a span: replaced.
        return value if value.isascii() else value.encode("utf-8", "replace").decode("utf-8")
    if value.__class__ is int:
        return str(value)
    return ""
