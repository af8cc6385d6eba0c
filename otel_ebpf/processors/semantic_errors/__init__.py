"""Semantic error detection: business failures hidden in HTTP responses.

Every response gets a *kind* (``none``, ``business``, ``system``), a *type* and a
*severity*:

* no response (reset, timeout) → system ``connection_reset`` / ``timeout``; 5xx → system
  ``server_error``;
* 4xx → business, typed from the status (429 ``rate_limit``, 401/403 ``auth_failure``,
  402 ``payment``, 404/410 ``not_found``, 409 ``conflict``, 400/422 ``validation``, others
  ``generic_business_error``) unless the body names a more specific failure;
* 2xx → business only when the top-level members of a JSON object body say the operation
  failed: a false success flag, an error word in a status field, a non-empty error member
  with no payload (GraphQL partial success is not a failure), an envelope error code next
  to a message or a null ``data``, an error-like code string, a problem+json body.
  Objects nested in arrays, top-level arrays, and HTML/plain/CSV/JS/empty bodies are data.

The type of a business error comes from the error code/message/type fields by keyword,
most specific first: payment, rate_limit, auth_failure, not_found, conflict, validation,
else ``generic_business_error``.  Chunked framing and gzip/deflate are undone on the
captured prefix; a cut document is scanned member by member up to the cut.

Configuration (``processors: semantic_errors:``); every key is optional.  Names and words
compare case-insensitively with separators ignored (``rate limit`` = ``RATE_LIMIT``).
List keys *add* to the built-in lists shown in brackets.

``enabled`` (default ``true``)
    False turns the processor into a pass-through.
``max_series`` (default ``10000``)
    Cap on metric series; counts beyond it go to one series with ``otel.metric.overflow=true``.
``success_fields`` (default ``[]``; built in: success, ok, succeeded, successful, is_success)
    Success flags: false (or "false") marks a failure, true marks a success.
``status_fields`` (default ``[]``; built in: status, state, result, outcome, ack)
    Status-like fields read for ``status_words``.
``status_words`` (default ``[]``; built in: error, fail, failed, failure, errored)
    Values of a status field that mark a failure.
``error_fields`` (default ``[]``; built in: error, errors, error_code, errcode)
    Members whose non-empty value (not null/false/""/0) marks a failure when no payload is present.
``code_fields`` (default ``[]``; built in: code, errcode, error_code, ret, retcode)
    Envelope codes: a number not 0 and outside 200-299 next to a message field or a null
    ``data``, or an error-like string (see ``error_code_words``).
``message_fields`` (default ``[]``; built in: msg, message, errmsg, error_message, error_msg)
    Fields that make a numeric envelope code an error code.
``payload_fields`` (default ``[]``; built in: data, result, results, items, payload)
    Members whose presence (not null) means an error member is a partial success.
``type_fields`` (default ``[]``; built in: code, message, type, detail, title, reason, ...)
    Fields whose text is scanned for the type keywords (with the error members).
``error_code_words`` (default ``[]``; built in: error, fail, invalid, denied, insufficient, ...)
    Substrings that make a string code error-like.
``ignore_fields`` (default ``[]``)
    Fields never read as a signal (e.g. ``status`` where "failed" is data).
``success_codes`` (default ``[]``)
    Envelope codes that mean success besides 0 and 200-299 (e.g. ``10000``).
``keywords`` (default ``{}``)
    ``type: [keywords]``; adds to a built-in type's keywords, or defines a new type that is
    checked before the built-in ones.
``severities`` (default: payment critical; auth_failure, rate_limit, server_error, timeout,
connection_reset high; validation, conflict, generic_business_error medium; not_found low)
    ``type: critical|high|medium|low``; unknown types are medium.
``status_types`` (default ``{}``)
    ``4xx status: type`` overriding the built-in status → type map.
``routes`` (default ``[]``)
    Per-route overrides, first match wins, matched against ``http.route`` (or the path
    when no route is known): ``match`` (glob, ``*`` spans ``/``; required), ``methods``
    (list; default all), ``enabled`` (false disables detection for the route),
    ``classifier`` (an entry point name in group ``otel_ebpf.classifiers``, called as
    ``fn(status, headers, body_bytes, truncated) -> dict | None`` with the decoded body;
    None falls through to the rules), and any rule key above, which extends the global
    rules for that route.

Example::

    processors:
      semantic_errors:
        success_codes: [10000]
        keywords: {inventory: [out of stock, sold out]}
        severities: {not_found: medium}
        routes:
          - {match: "/jobs/*", ignore_fields: [status]}
          - {match: "/health*", enabled: false}
          - {match: "/legacy/*", classifier: legacy_soap}
"""
