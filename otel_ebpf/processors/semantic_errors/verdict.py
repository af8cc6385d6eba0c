"""The verdict on one response: what the semantic error rules return (kind, type, severity, rule)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["NONE", "Classification"]


class Classification(NamedTuple):
    """The verdict on one response.

    Attributes:
        kind: ``none``, ``business`` or ``system``.
        type: The error type (``payment``, ``server_error``, ...), None when kind is none.
        severity: ``critical``, ``high``, ``medium`` or ``low``; None when kind is none.
        detail: A short identifier of what was found (an error code, a status word), or "".
            Read from the body: it may carry the body's words, so it leaves the host only
            when bodies do (``capture_body``), through the value detectors.
        rule: Which rule found a 2xx failure (an id of :data:`rules.RULE_IDS`, such as
            ``json.success_flag`` or ``xml.fault``), never the body's words.
        failed_items, items: For a batch answer where some items failed (not a failure of the
            call), how many of how many; 0 otherwise.
    """

    kind: str
    type: str | None
    severity: str | None
    detail: str = ""
    rule: str = ""
    failed_items: int = 0
    items: int = 0


NONE = Classification("none", None, None, "")
