"""Semantic error detection: business failures hidden in HTTP responses.

Every response gets a *kind* (``none``, ``business``, ``system``), a *type* and a
*severity*:

* no response (reset, timeout) → system ``connection_reset`` / ``timeout``; 5xx → system
  ``server_error``;
* 4xx → business, typed from the status (429 ``rate_limit``, 401/403 ``auth_failure``,
  402 ``payment``, 404/410 ``not_found``, 409 ``conflict``, 400/422 ``validation``, others
  ``generic_business_error``) unless the body names a more specific failure;
* 2xx → business when the body says the operation failed, in whatever format and language
  the API answers (:mod:`.readers` reads the body as what it is, whatever its Content-Type
  says: JSON, also as text or HTML, behind an anti-XSSI prefix or a BOM; XML and SOAP; HTML;
  plain text; form-encoded and name-value pairs; SSE and NDJSON streams; a Python dict printed
  as the body; XML-RPC structs as objects; a document carried as text inside an XML element;
  gzip/deflate and chunked framing undone; the charset declared or sniffed).

The 2xx rules, each with an id (``otel_ebpf.error.rule`` on the span, ``rule`` in
``otel-ebpf classify``; ``disabled_rules`` turns them off, globally or per route):

* tree formats (``json``, ``xml``, ``form``, ``stream`` records), ``<format>.<signal>``:
  ``success_flag`` (a success flag that is false, 0, "no"), ``status_word`` (a status member
  with a failure word in any language: ``error``, ``échec``, ``失败``, ``NG``),
  ``entity_state`` (the answer's own state: ``declined``, ``rejected``,
  ``requires_payment_method``), ``error_member`` (a non-empty error member and no payload:
  GraphQL partial data is a success), ``error_code`` (an envelope code that is not 0, 200,
  ``SUCCESS``/``OK`` or a configured success code, next to a message; not when a sibling says
  success; another 2xx, a code named by what it reports such as ``status_code`` or
  ``ReplyCode``, a numeric or code-like status such as ``302`` or ``LIB10003``, only beside a
  message that names a failure; an HTTP status as text, ``407 Download limit reached``),
  ``vendor_error`` (AWS ``__type``, PayPal ``name`` with a ``debug_id``), ``fault``
  (SOAP and XML-RPC faults), ``batch`` (every item of a batch failed; some failed is not a
  failure of the call and is counted on the span as ``otel_ebpf.error.failed_items`` of
  ``otel_ebpf.error.items``; an item's own HTTP status counts, ``429`` or ``"404 Not Found"``;
  a list of what failed beside an empty list of the same things, ``{"parcels": [],
  "failed_parcels": [...]}``, is every item failed too; a positive count of successes beside
  one failed result makes it partial), ``problem`` (``application/problem+json``).  A flag
  naming the action done (``sent``, ``committed``, ``processed``, ...) that is false beside a
  message naming a failure is a ``success_flag`` failure (not on an entity: a charge's
  ``refunded: false`` is data).  The rules apply at the top and inside the members that wrap
  the answer (``data``, ``result``, ``Response``, ``*_response``, a lone member, in an answer
  to anything but a GET or HEAD the only object among scalars unless it is a verdict on the
  data, ``verifications``, or names another thing, ``previous_*``, ``last*``, ``retry_of``, ...)
  up to a bounded depth.  An entity that a GET or HEAD
  reads (an object with an ``id``) is data: a pipeline read in its ``failed`` state is a
  successful read.  Standards that answer errors their own way are read too: a FHIR
  ``OperationOutcome`` with an issue of severity error (``vendor_error``), an ISO 20022 status
  report (``GrpSts``/``TxSts`` ``RJCT``), batch items carrying an HTTP status of their own (Azure's
  ``$batch``), flags that say failure when true (``is_declined``);
* ``html.error_page``: a page whose title or first heading is an error page's (``500 Internal
  Server Error``, ``Oops! Something went wrong``, ``Seite nicht gefunden``), not a page about
  errors; ``html.login_page``: a login form answering a request that asked for data (an
  ``Accept`` of JSON/XML, an ``/api/`` path);
* ``text.error_line``: a plain-text body that starts with an error marker (``ERROR: ...``,
  ``FAIL``, ``-ERR``, ``NG``, ``エラー：``), a short message that names a failure, or an HL7 v2
  acknowledgement ``MSA|AE`` / ``MSA|AR``;
* streams (SSE, NDJSON): an ``error`` event, a last record that reports a failure (its status
  word counts: ``{"event": "error"}``), or every record an error.

The type of a business error comes from the error text (codes, messages, fault strings, the
failing object's words, then the whole document's) by keyword in any of the lexicon's
languages (:mod:`.lexicon` and :mod:`.phrases`: English, Spanish, Portuguese, French, German,
Italian, Dutch, Polish, Turkish, Russian, Ukrainian, Japanese, Chinese, Korean, Vietnamese,
Indonesian/Malay, Thai), most specific first: payment, rate_limit, auth_failure, not_found,
conflict, validation, else ``generic_business_error``; a 4xx number in an envelope code types
it like that status when that is more specific; a card transaction refused
(``entity_state`` on an object that names a card, its CVV or AVS check) is a payment failure.
A 2xx failure whose body names no type (``DENIED``) takes the type
its route or path names, when it does so unambiguously (payment: ``/charges``, ``/payments``,
``/checkout``, ...; auth_failure: ``/login``, ``/session``, ``/token``, ...); an error page does
not.  Words are compared normalised: case, accents and separators ignored.

Configuration (``processors: semantic_errors:``); every key is optional.  Names and words
compare case-insensitively with separators ignored (``rate limit`` = ``RATE_LIMIT``).
List keys *add* to the built-in lists shown in brackets.

``enabled`` (default ``true``)
    False turns the processor into a pass-through.
``max_series`` (default ``10000``)
    Cap on metric series; counts beyond it go to one series with ``otel.metric.overflow=true``.
The built-in lists below are in :mod:`.lexicon` (every language); each list key *adds* to them.

``success_fields`` (default ``[]``; built in: success, ok, succeeded, is_success, erfolg, sucesso, 成功, ...)
    Success flags: false, 0, "false", "no" mark a failure; true, 1, "yes" a success.
``status_fields`` (default ``[]``; built in: status, state, result, outcome, ack, estado, statut, 状态, ...)
    Status-like fields read for ``status_words``, ``entity_state_words`` and ``success_words``.
``status_words`` (default ``[]``; built in: error, fail, failed, failure, ko, ng, échec, fehler, 失败, ошибка, ...)
    Values of a status field that mark a failure.
``entity_state_words`` (default ``[]``; built in: declined, refused, rejected, denied, requires_payment_method, ...)
    Values of a status field that are the answer's own state and mark a failure (rule ``entity_state``).
``success_words`` (default ``[]``; built in: success, ok, completed, 成功, успешно, ...)
    Values meaning success where a code or a status could be read either way.
``error_fields`` (default ``[]``; built in: error, errors, error_code, errcode, user_errors, fault, erreur, 错误, ...)
    Members whose non-empty value (not null/false/""/0) marks a failure when no payload is present.
``code_fields`` (default ``[]``; built in: code, errcode, error_code, ret, retcode, errno, rc, result_code, ...)
    Envelope codes: a number not 0 and outside 200-299 next to a message field or a null
    ``data``, or an error-like string (see ``error_code_words``); not when a sibling says success.
``message_fields`` (default ``[]``; built in: msg, message, errmsg, error_message, info, description, mensaje, ...)
    Fields that make a numeric envelope code an error code.
``payload_fields`` (default ``[]``; built in: data, result, results, items, payload, records, ...)
    Members whose presence (not null) means an error member is a partial success; lists of
    results in them are read as batches.
``type_fields`` (default ``[]``; built in: code, message, type, detail, title, reason, faultstring, ...)
    Fields whose text is scanned for the type keywords (with the error members).
``wrapper_fields`` (default ``[]``; built in: data, result, response, body, payload, return, meta, header, status, ...)
    Members that wrap the answer: the rules apply inside them too (besides a lone member and
    names ending in response/result/reply).
``error_code_words`` (default ``[]``; built in: error, fail, invalid, denied, insufficient, ...)
    Substrings that make a string code error-like (a status word makes it so as one of the
    code's words: ``RESULT_NG``, not ``PROCESSING``).
``ignore_fields`` (default ``[]``)
    Fields never read as a signal (e.g. ``status`` where "failed" is data).
``data_answer_fields`` (default ``[]``; built in: valid, is_valid, dry_run, preview, ...)
    Members that make the object a verdict on something else (a validator's answer, a dry run):
    its error members are data, not a failure of the call.
``disabled_rules`` (default ``[]``)
    Rule ids (or globs: ``html.*``) that never fire, e.g. ``[json.entity_state]`` on a route
    whose answers are entities in any state.
``success_codes`` (default ``[]``)
    Envelope codes that mean success besides 0 and 200-299 (e.g. ``10000``).
``keywords`` (default ``{}``)
    ``type: [keywords]``; adds to a built-in type's keywords (any language), or defines a new
    type that is checked before the built-in ones.
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
          - {match: "/payments/*", methods: [POST], disabled_rules: [json.entity_state]}
          - {match: "/health*", enabled: false}
          - {match: "/legacy/*", classifier: legacy_soap}
"""
