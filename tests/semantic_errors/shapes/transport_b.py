"""Transport, second round: failure envelopes from other frameworks under the wrong media type
(a Python dict repr as text/html, PHP ``json_encode`` with ``\\u`` escapes, Go and Django
defaults), JSONP callbacks (plain and Express's ``/**/ typeof cb === 'function' && cb(...)``),
other anti-hijacking wrappers (``)]}'`` on another envelope, ``&&&START&&&``, ``/* ... */``),
UTF-16 bodies with a BOM (JSON and XML), legacy charsets (Latin-1, Windows-1252, Shift_JIS, GBK,
Big5, EUC-JP, KOI8-R) plain, gzip or deflate, with and without a charset parameter, SSE streams
(``event: error`` with a plain-text data line, a final ``{"type":"error"}`` record), NDJSON
failure records versus NDJSON logs and partial imports, chunked framing whose chunk boundaries
fall inside multibyte characters, and bodies cut at 1 KiB with the failure signal before the cut.
"""

import json
import zlib

from tests.semantic_errors.shapes import CAPTURE, Part, chunked, dumps, gz, response

PART = Part("transport")

JSON_CALL = {"Accept": "application/json"}


def deflate(data: bytes) -> bytes:
    """``Content-Encoding: deflate`` as servers send it (zlib-wrapped)."""
    return zlib.compress(data)


def cuts_inside_char(body: bytes, sizes: list[int], encoding: str) -> bool:
    """True if at least one chunk boundary falls inside a multibyte character."""
    pos = 0
    for size in sizes:
        pos += size
        try:
            body[:pos].decode(encoding)
        except UnicodeDecodeError:
            return True
    return False


# --- JSON-ish failures under the wrong media type, from other frameworks -------------------------

PART.add(
    "b-flask-dict-repr-texthtml-invalid-token",
    200,
    "{'ok': False, 'error': 'invalid_token', 'message': 'Token signature verification failed'}",
    "auth_failure",
    "Flask view returned str(dict): a Python repr (single quotes, False) as text/html; ok False, invalid token",
    content_type="text/html; charset=utf-8",
    headers={"Server": "Werkzeug/3.0.1 Python/3.11.6"},
    request={"method": "GET", "path": "/api/me", "headers": JSON_CALL},
)
PART.add(
    "b-php-json-encode-escaped-texthtml-param",
    200,
    json.dumps({"code": -1, "msg": "参数错误：mobile不能为空", "data": []}, separators=(",", ":")),
    "validation",
    "PHP json_encode (\\u-escaped Chinese) without a header, so text/html: code -1, parameter error, mobile must not be empty",
    content_type="text/html; charset=UTF-8",
    headers={"X-Powered-By": "PHP/7.4.33"},
    request={"method": "POST", "path": "/index.php?s=/api/sms/send"},
)
PART.add(
    "b-go-octet-stream-insufficient-funds",
    200,
    b'{"error":"insufficient_funds","message":"wallet balance 3.10 USD is below the transfer amount 25.00 USD","transfer_id":null}\n',
    "payment",
    "Go handler without Content-Type detection: octet-stream JSON, insufficient_funds for a transfer",
    content_type="application/octet-stream",
    request={"method": "POST", "path": "/v1/transfers"},
)
PART.add(
    "b-django-httpresponse-texthtml-not-found",
    200,
    '{"status": "error", "detail": "Shipment with tracking code 1Z999AA10123456784 does not exist."}',
    "not_found",
    "Django HttpResponse(json.dumps(...)) keeps the text/html default: status error, shipment does not exist",
    content_type="text/html; charset=utf-8",
    request={"method": "GET", "path": "/api/shipments/1Z999AA10123456784/", "headers": JSON_CALL},
    holdout=True,
)
PART.add(
    "b-octet-stream-502-upstream",
    502,
    b'{"message":"upstream request timeout","upstream":"inventory-svc:8080"}',
    "server_error",
    "502 with an octet-stream JSON body",
    content_type="application/octet-stream",
)

# --- JSONP ---------------------------------------------------------------------------------------

PART.add(
    "b-jsonp-callback-success-false-invalid-key",
    200,
    'callback({"success":false,"message":"Invalid API key"});',
    "auth_failure",
    "JSONP callback(...) wrapping success=false, invalid API key",
    content_type="application/javascript",
    request={"method": "GET", "path": "/api/quote?symbol=ACME&callback=callback&key=demo"},
)
PART.add(
    "b-jsonp-express-typeof-rate-limited",
    200,
    "/**/ typeof jQuery35103817_1717490000123 === 'function' && jQuery35103817_1717490000123("
    '{"error":{"code":"RATE_LIMITED","message":"Too many requests. Limit is 60 per minute."}});',
    "rate_limit",
    "Express res.jsonp output (/**/ typeof cb === 'function' && cb(...)) carrying a RATE_LIMITED error",
    content_type="text/javascript; charset=utf-8",
    request={"method": "GET", "path": "/widgets/feed?callback=jQuery35103817_1717490000123&_=1717490000124"},
    holdout=True,
)
PART.add(
    "b-jsonp-success-empty-errors-warning",
    200,
    'handleStats({"success":true,"errors":[],"warnings":["parameter \'fmt\' is deprecated, use \'format\'"],'
    '"data":{"visits":18233,"bounce_rate":0.41,"failed_logins":12}});',
    None,
    "JSONP success with an empty errors list, a deprecation warning and a failed_logins metric",
    content_type="application/javascript; charset=utf-8",
    trap=True,
)

# --- other anti-hijacking wrappers ---------------------------------------------------------------

PART.add(
    "b-xssi-ok-false-branch-exists",
    200,
    ")]}'\n"
    + dumps({"ok": False, "errors": [{"code": "ref_exists", "detail": "Branch 'release/2.4' already exists"}]}),
    "conflict",
    ")]}' prefix before an ok=false envelope: the branch already exists",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/repos/web/branches"},
)
PART.add(
    "b-ampersand-start-end-guard-validation",
    200,
    '&&&START&&&{"success":false,"errorCode":"INVALID_INPUT","errorMessage":"Close date cannot be in the past","fieldName":"closeDate"}&&&END&&&',
    "validation",
    "&&&START&&& ... &&&END&&& guard around success=false INVALID_INPUT on closeDate",
    content_type="application/json;charset=UTF-8",
)
PART.add(
    "b-comment-filtered-no-record",
    200,
    '/*{"success":false,"message":"No record with id 98813","data":null}*/',
    "not_found",
    "Dojo-style comment-filtered JSON (/* ... */): success false, no record with that id",
    content_type="text/json-comment-filtered",
    holdout=True,
)

# --- UTF-16 with a BOM ---------------------------------------------------------------------------

PART.add(
    "b-utf16le-bom-record-exists",
    200,
    '\ufeff{"Status":"Failed","Message":"A record with ExternalId \'EXT-4471\' already exists."}'.encode("utf-16-le"),
    "conflict",
    "UTF-16LE with BOM (.NET Encoding.Unicode): Status Failed, record already exists",
    content_type="application/json; charset=utf-16",
    request={"method": "POST", "path": "/api/Contacts"},
)
PART.add(
    "b-utf16be-bom-xml-access-denied-403",
    403,
    '\ufeff<?xml version="1.0" encoding="UTF-16"?>\n<Result><Success>false</Success>'
    "<Error>Access denied: API user lacks the Reports.Read permission</Error></Result>".encode("utf-16-be"),
    "auth_failure",
    "403 with a UTF-16BE XML body (BOM, encoding in the declaration only)",
    content_type="text/xml",
    holdout=True,
)

# --- legacy charsets, plain / gzip / deflate -----------------------------------------------------

PART.add(
    "b-gz-latin1-nocharset-plz",
    200,
    gz(dumps({"status": "fehler", "meldung": "Ungültige Postleitzahl für Österreich: 1O10"}).encode("latin-1")),
    "validation",
    "gzip, ISO-8859-1 bytes with no charset parameter: status fehler, invalid postal code",
    content_type="application/json",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "b-deflate-cp1252-api-key-revoked",
    200,
    deflate(dumps({"succès": False, "erreur": "La clé d’API a été révoquée le 02/06/2024"}).encode("cp1252")),
    "auth_failure",
    "deflate, Windows-1252 (curly apostrophe): succès false, the API key has been revoked",
    content_type="application/json; charset=windows-1252",
    headers={"Content-Encoding": "deflate"},
    holdout=True,
)
PART.add(
    "b-sjis-plain-nocharset-order-not-found",
    200,
    '{"status":"error","message":"注文番号 R-20240604-118 が見つかりません"}'.encode("shift_jis"),
    "not_found",
    "Shift_JIS bytes, no compression, no charset parameter: order number not found",
    content_type="application/json",
    holdout=True,
)
PART.add(
    "b-deflate-gbk-balance",
    200,
    deflate('{"code":"40003","msg":"账户余额不足，请充值后重试","data":null}'.encode("gbk")),
    "payment",
    "deflate, GBK with charset: account balance insufficient, top up and retry",
    content_type="application/json;charset=GBK",
    headers={"Content-Encoding": "deflate"},
    request={"method": "POST", "path": "/api/v2/sms/batch"},
)
PART.add(
    "b-big5-plain-duplicate-order-no",
    200,
    '{"RtnCode":10300028,"RtnMsg":"訂單編號重複，請更換 MerchantTradeNo"}'.encode("big5"),
    "conflict",
    "Big5 body (payment-gateway RtnCode/RtnMsg, 1 would be success): merchant order number duplicated",
    content_type="application/json; charset=big5",
    request={"method": "POST", "path": "/Cashier/AioCheckOut/V5"},
)
PART.add(
    "b-gz-eucjp-email-format",
    200,
    gz('{"result":"NG","errors":["メールアドレスの形式が正しくありません"]}'.encode("euc_jp")),
    "validation",
    "gzip, EUC-JP with charset: result NG, e-mail address format invalid",
    content_type="application/json; charset=EUC-JP",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "b-koi8r-nocharset-429",
    429,
    '{"status":"error","message":"Превышен лимит запросов, повторите через минуту"}'.encode("koi8_r"),
    "rate_limit",
    "429 with a KOI8-R body and no charset",
    content_type="application/json",
)
PART.add(
    "b-gz-sjis-check-no-errors",
    200,
    gz(
        dumps({"status": "OK", "message": "検証結果：エラーはありません", "checked": 3, "errors": 0}).encode(
            "shift_jis"
        )
    ),
    None,
    "gzip, Shift_JIS: status OK, 'validation result: there are no errors', errors 0",
    content_type="application/json; charset=Shift_JIS",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/api/address/validate"},
    trap=True,
    holdout=True,
)

# --- Server-Sent Events --------------------------------------------------------------------------

PART.add(
    "b-sse-event-error-plain-text-data",
    200,
    ": connected\n\nid: 1\nevent: error\ndata: Rate limit exceeded. Retry in 20 seconds.\n\n",
    "rate_limit",
    "SSE stream whose only event is event: error with a plain-text data line: rate limit exceeded",
    content_type="text/event-stream",
    request={"method": "GET", "path": "/v1/stream/prices?symbols=BTC-USD", "headers": {"Accept": "text/event-stream"}},
)
PART.add(
    "b-sse-final-type-error-context-length",
    200,
    'data: {"type":"stream_start","id":"gen_8812","model":"chat-large-2"}\n\n'
    'data: {"type":"error","error":{"code":"context_length_exceeded","message":"This model\'s maximum context length is 32768 tokens; '
    'your messages resulted in 40211 tokens. Please reduce the length of the messages."}}\n\n',
    "validation",
    "data-only SSE: a stream_start record then a final type=error record, the input is too long",
    content_type="text/event-stream; charset=utf-8",
    request={"method": "POST", "path": "/v1/chat"},
    holdout=True,
)
PART.add(
    "b-sse-alert-feed-error-severity",
    200,
    "retry: 5000\n\n"
    "id: 8812\nevent: alert\n"
    'data: {"severity":"error","host":"db-2","message":"disk usage 97% on /var/lib/postgresql"}\n\n'
    "id: 8813\nevent: alert\n"
    'data: {"severity":"critical","host":"api-4","message":"5xx rate above 5% for 10 minutes"}\n\n',
    None,
    "a subscription to monitoring alerts: error/critical alerts are the stream's data",
    content_type="text/event-stream",
    request={"method": "GET", "path": "/api/alerts/stream", "headers": {"Accept": "text/event-stream"}},
    trap=True,
)

# --- NDJSON --------------------------------------------------------------------------------------

PART.add(
    "b-ndjson-docker-push-denied",
    200,
    '{"status":"The push refers to repository [registry.example.com/acme/api]"}\r\n'
    '{"status":"Preparing","progressDetail":{},"id":"5f70bf18a086"}\r\n'
    '{"status":"Preparing","progressDetail":{},"id":"a3ed95caeb02"}\r\n'
    '{"errorDetail":{"message":"denied: requested access to the resource is denied"},'
    '"error":"denied: requested access to the resource is denied"}\r\n',
    "auth_failure",
    "Docker image push stream ending with errorDetail 'requested access to the resource is denied'",
    content_type="application/json",
    request={"method": "POST", "path": "/v1.43/images/registry.example.com/acme/api/push?tag=2.4.0"},
    holdout=True,
)
PART.add(
    "b-ndjson-import-all-rows-duplicate",
    200,
    '{"line":1,"status":"error","code":"duplicate_key","message":"sku \'TS-RED-M\' already exists"}\n'
    '{"line":2,"status":"error","code":"duplicate_key","message":"sku \'TS-RED-L\' already exists"}\n'
    '{"line":3,"status":"error","code":"duplicate_key","message":"sku \'TS-RED-XL\' already exists"}\n'
    '{"summary":{"processed":3,"imported":0,"failed":3}}\n',
    "conflict",
    "NDJSON import results: every row failed as a duplicate, summary imported 0",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/products/import"},
)
PART.add(
    "b-ndjson-import-partial",
    200,
    '{"line":1,"status":"ok","id":"prod_7781"}\n'
    '{"line":2,"status":"error","code":"invalid_price","message":"price must be > 0"}\n'
    '{"line":3,"status":"ok","id":"prod_7782"}\n'
    '{"line":4,"status":"ok","id":"prod_7783"}\n'
    '{"summary":{"processed":4,"imported":3,"failed":1}}\n',
    None,
    "NDJSON import where one row of four failed: a partial batch, not a failed call",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/products/import"},
    trap=True,
)
PART.add(
    "b-ndjson-journald-export-failed-unit",
    200,
    '{"__REALTIME_TIMESTAMP":"1717489201123456","_HOSTNAME":"web-3","PRIORITY":"3","SYSLOG_IDENTIFIER":"systemd",'
    '"MESSAGE":"Failed to start nginx.service - A high performance web server."}\n'
    '{"__REALTIME_TIMESTAMP":"1717489201123990","_HOSTNAME":"web-3","PRIORITY":"4","SYSLOG_IDENTIFIER":"systemd",'
    '"MESSAGE":"nginx.service: Failed with result \'exit-code\'."}\n'
    '{"__REALTIME_TIMESTAMP":"1717489215002144","_HOSTNAME":"web-3","PRIORITY":"6","SYSLOG_IDENTIFIER":"systemd",'
    '"MESSAGE":"Started nginx.service - A high performance web server."}\n',
    None,
    "journal gateway export (one JSON entry per line): 'Failed to start' entries are the requested logs",
    content_type="application/json",
    request={
        "method": "GET",
        "path": "/entries?_SYSTEMD_UNIT=nginx.service",
        "headers": {"Accept": "application/json"},
    },
    trap=True,
    holdout=True,
)

# --- chunk boundaries inside multibyte characters ------------------------------------------------

_zh = '{"code":1,"message":"用户不存在","data":null}'.encode()
_zh_sizes = [22, 4, 5]
assert cuts_inside_char(_zh, _zh_sizes, "utf-8")
PART.add_raw(
    "b-chunked-utf8-split-hanzi-user-not-found",
    response(
        "200 OK",
        [("Content-Type", "application/json;charset=UTF-8"), ("Transfer-Encoding", "chunked")],
        chunked(_zh, _zh_sizes),
    ),
    "not_found",
    "chunk boundaries fall inside 3-byte UTF-8 characters of '用户不存在' (user does not exist)",
)

_ru = dumps({"ok": False, "error": "Недействительный токен доступа"}).encode("utf-8")
_ru_sizes = [27, 7, 9, 13]
assert cuts_inside_char(_ru, _ru_sizes, "utf-8")
PART.add_raw(
    "b-chunked-utf8-split-cyrillic-token-invalid",
    response(
        "200 OK",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Transfer-Encoding", "chunked"),
            ("Cache-Control", "no-store"),
        ],
        chunked(_ru, _ru_sizes),
    ),
    "auth_failure",
    "chunks split 2-byte Cyrillic characters; ok false, invalid access token",
    holdout=True,
)

_sj = '{"result":"NG","message":"在庫が不足しているため注文を確定できませんでした"}'.encode("shift_jis")
_sj_sizes = [28, 9, 15]
assert cuts_inside_char(_sj, _sj_sizes, "shift_jis")
PART.add_raw(
    "b-chunked-sjis-split-out-of-stock",
    response(
        "200 OK",
        [("Content-Type", "application/json; charset=Shift_JIS"), ("Transfer-Encoding", "chunked")],
        chunked(_sj, _sj_sizes),
    ),
    "generic_business_error",
    "Shift_JIS body chunked inside double-byte characters: result NG, order not confirmed (out of stock)",
    request={"method": "POST", "path": "/api/order/commit"},
)

# --- bodies cut at 1 KiB, the failure before the cut ---------------------------------------------

_fault = (
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soap:Body><soap:Fault><faultcode>soap:Client</faultcode>"
    "<faultstring>Daily quota of 500 requests exceeded for partner ACME-0042; retry after 00:00 UTC</faultstring>"
    "<detail><stackTrace>"
    + "".join(
        f"\tat com.example.partner.ws.QuotaInterceptor.handleMessage(QuotaInterceptor.java:{60 + i})\n"
        for i in range(40)
    )
    + "</stackTrace></detail></soap:Fault></soap:Body></soap:Envelope>"
).encode()
assert len(_fault) > 2 * CAPTURE and _fault.index(b"quota") < 400
PART.add_raw(
    "b-cut-soap-fault-quota-stacktrace",
    response("200 OK", [("Content-Type", "text/xml;charset=UTF-8"), ("Content-Length", str(len(_fault)))], _fault),
    "rate_limit",
    "SOAP fault (daily quota exceeded) followed by a long stack trace; the body is cut at 1 KiB after the faultstring",
    request={"method": "POST", "path": "/partner/ws/OrderService"},
)

_panic = (
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b1f2a]\n\n"
    "goroutine 4187 [running]:\n"
    + "".join(
        f"github.com/acme/ledger/internal/api.(*Handler).step{i}(0xc0001b2{i:03x}0, 0xc0004a8{i:03x}0)\n"
        f"\t/src/internal/api/handler.go:{140 + i} +0x{i * 17 + 0x2A:x}\n"
        for i in range(25)
    )
).encode()
assert len(_panic) > 2 * CAPTURE
PART.add_raw(
    "b-cut-go-panic-trace-200",
    response(
        "200 OK",
        [("Content-Type", "text/plain; charset=utf-8"), ("Transfer-Encoding", "chunked")],
        chunked(_panic, [512, 512]),
    ),
    "generic_business_error",
    "a Go panic trace written into a 200 answer to a JSON call (chunked, cut at 1 KiB)",
    request={"method": "POST", "path": "/api/ledger/entries", "headers": JSON_CALL},
    holdout=True,
)

_jobs = dumps(
    {
        "total_count": 40,
        "jobs": [
            {
                "id": 90211 + i,
                "name": f"test ({['ubuntu', 'macos', 'windows'][i % 3]}, node {18 + 2 * (i % 3)})",
                "status": "completed",
                "conclusion": "failure" if i % 4 == 0 else "success",
                "started_at": f"2024-06-04T08:{i:02d}:00Z",
            }
            for i in range(40)
        ],
    }
).encode()
assert len(_jobs) > 2 * CAPTURE
PART.add_raw(
    "b-cut-ci-jobs-list-conclusion-failure",
    response(
        "200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(_jobs)))], _jobs
    ),
    None,
    "a long list of CI jobs (some with conclusion failure) cut at 1 KiB: a list of entities, the call succeeded",
    request={"method": "GET", "path": "/repos/acme/web/actions/runs/9021/jobs?per_page=100", "headers": JSON_CALL},
    trap=True,
)
