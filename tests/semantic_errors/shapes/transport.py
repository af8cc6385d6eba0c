"""Transport: the usual JSON failure envelopes (and a few successes that mention errors) delivered
awkwardly -- JSON sent as text/plain, text/html, text/javascript, octet-stream or without any
Content-Type; anti-XSSI prefixes (``)]}'``, ``while(1);``, ``for (;;);``); UTF-8 BOMs and
leading whitespace; SSE and NDJSON streams whose only or final event is an error; gzip bodies in
Shift_JIS, GB2312/GBK/GB18030, EUC-KR, ISO-8859-1 and Windows-1252 (some without a charset
parameter, some declared only in an XML declaration or an HTML meta tag); chunked framing; and a
long body cut at the 1 KiB capture limit with the failure member near its start."""

from tests.semantic_errors.shapes import Part, chunked, dumps, gz, response

PART = Part("transport")

JSON_REQ = {"headers": {"Accept": "application/json"}}

# --- JSON sent with the wrong Content-Type, or with none -----------------------------------------

PART.add(
    "textplain-success-false-token-expired",
    200,
    '{"success":false,"error":{"code":"TOKEN_EXPIRED","message":"The access token expired at 2024-05-02T10:14:07Z"}}',
    "auth_failure",
    "JSON envelope served as text/plain: success=false, code TOKEN_EXPIRED",
    content_type="text/plain; charset=utf-8",
)
PART.add(
    "texthtml-status-error-order-not-found",
    200,
    '{"status": "error", "message": "Order #88123 not found"}',
    "not_found",
    "JSON answer to a JSON request labelled text/html: status error, order not found",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/orders/88123", "headers": {"Accept": "application/json"}},
    holdout=True,
)
PART.add(
    "textjavascript-code-msg-frequency",
    200,
    '{"code":1001,"msg":"request frequency exceeds the limit, please try again later","data":null}',
    "rate_limit",
    "code/msg envelope sent as text/javascript; msg says request frequency limit exceeded",
    content_type="text/javascript; charset=utf-8",
)
PART.add(
    "octet-stream-invalid-arguments",
    200,
    '{\n  "ok": false,\n  "error": "invalid_arguments",\n  "detail": "\'start_date\' must be formatted as YYYY-MM-DD"\n}',
    "validation",
    "JSON sent as application/octet-stream: ok=false, invalid_arguments for start_date format",
    content_type="application/octet-stream",
)
PART.add(
    "no-content-type-duplicate-email",
    200,
    '{"result":"error","errorCode":"DUPLICATE_EMAIL","errorMessage":"A user with the email jane@example.com already exists."}',
    "conflict",
    "no Content-Type at all; result error, DUPLICATE_EMAIL already exists",
    content_type=None,
    request={"method": "POST", "path": "/v2/users"},
    holdout=True,
)
PART.add(
    "textplain-success-true-data",
    200,
    '{"success":true,"data":{"id":"usr_91","email":"li.wei@example.com","plan":"pro","seats":12}}',
    None,
    "ordinary success envelope, only the Content-Type (text/plain) is wrong",
    content_type="text/plain",
)

# --- anti-XSSI prefixes --------------------------------------------------------------------------

PART.add(
    "xssi-google-permission-denied",
    200,
    ')]}\'\n{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}',
    "auth_failure",
    ")]}' prefix, then a Google-style error envelope PERMISSION_DENIED",
    content_type="application/json; charset=UTF-8",
)
PART.add(
    "xssi-comma-invalid-date-range",
    200,
    ")]}',\n"
    + dumps({"status": "error", "message": "Invalid date range: 'to' (2024-03-01) is before 'from' (2024-03-15)"}),
    "validation",
    ")]}', prefix, status error with an invalid date range message",
    content_type="application/json",
    holdout=True,
)
PART.add(
    "forloop-facebook-not-logged-in",
    200,
    'for (;;);{"__ar":1,"error":1357001,"errorSummary":"Not Logged In","errorDescription":"You must log in to continue.","payload":null,"bootloadable":{}}',
    "auth_failure",
    "for (;;); prefix (Facebook async endpoint), error 1357001 Not Logged In",
    content_type="application/x-javascript; charset=utf-8",
    holdout=True,
)
PART.add(
    "xssi-gerrit-change-info",
    200,
    ")]}'\n"
    + dumps(
        {
            "id": "platform%2Fbuild~main~I8473b95934b5732ac55d26311a706c9c0bde9ed1",
            "project": "platform/build",
            "branch": "main",
            "change_id": "I8473b95934b5732ac55d26311a706c9c0bde9ed1",
            "subject": "Use ninja for host tools",
            "status": "NEW",
            "created": "2024-04-11 09:12:51.000000000",
            "insertions": 34,
            "deletions": 101,
            "_number": 3965,
            "owner": {"_account_id": 1000096},
        }
    ),
    None,
    "Gerrit ChangeInfo after the )]}' prefix: ordinary data",
    content_type="application/json; charset=UTF-8",
)
PART.add(
    "while1-errors-empty-items",
    200,
    'while(1);{"errors":[],"failed":0,"items":[{"id":4411,"name":"Q2 roadmap","owner":"mkato"},{"id":4412,"name":"Hiring plan","owner":"aduarte"}]}',
    None,
    "while(1); prefix, then data with an empty errors list and failed=0",
    content_type="application/json",
    trap=True,
)

# --- BOM and leading whitespace ------------------------------------------------------------------

PART.add(
    "bom-dotnet-invalid-sku",
    200,
    "\ufeff".encode("utf-8")
    + b'{"Success":false,"ErrorCode":"E_INVALID_SKU","ErrorMessage":"The SKU \'AB-12\' is not a valid product code.","Data":null}',
    "validation",
    "UTF-8 BOM before a .NET-style envelope: Success=false, invalid SKU",
    content_type="application/json; charset=utf-8",
)
PART.add(
    "leading-newlines-php-session-expired",
    200,
    '\n\n\r\n  {"status":"error","message":"Your session has expired. Please log in again.","redirect":"/login.php"}',
    "auth_failure",
    "stray newlines (PHP includes) before JSON served as text/html: session expired, log in again",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/ajax/cart_update.php", "headers": {"X-Requested-With": "XMLHttpRequest"}},
    holdout=True,
)
PART.add(
    "bom-dotnet-errorcode-zero",
    200,
    "\ufeff".encode("utf-8")
    + b'{"Success":true,"ErrorCode":0,"ErrorMessage":"","Data":{"OrderId":88213,"Total":149.90,"Currency":"EUR"}}',
    None,
    "BOM + .NET envelope with Success=true, ErrorCode 0 and an empty ErrorMessage",
    content_type="application/json; charset=utf-8",
    trap=True,
)

# --- Server-Sent Events --------------------------------------------------------------------------

PART.add(
    "sse-openai-rate-limit",
    200,
    'data: {"error": {"message": "Rate limit reached for gpt-4o in organization org-3fKq on tokens per min (TPM): '
    'Limit 30000, Used 29412, Requested 1650. Please try again in 2.124s.", "type": "tokens", "param": null, '
    '"code": "rate_limit_exceeded"}}\n\ndata: [DONE]\n\n',
    "rate_limit",
    "the stream's only data event is an OpenAI-style rate_limit_exceeded error",
    content_type="text/event-stream; charset=utf-8",
    request={"method": "POST", "path": "/v1/chat/completions"},
)
PART.add(
    "sse-anthropic-midstream-api-error",
    200,
    "event: message_start\n"
    'data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",'
    '"content":[],"model":"claude-3-5-sonnet-20241022","stop_reason":null,"usage":{"input_tokens":412,"output_tokens":1}}}\n\n'
    "event: content_block_start\n"
    'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'
    "event: content_block_delta\n"
    'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Sure, here is"}}\n\n'
    "event: error\n"
    'data: {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}\n\n',
    "generic_business_error",
    "stream starts then ends with event: error (api_error); the completion failed, served under 200 so a business-level failure",
    content_type="text/event-stream",
    request={"method": "POST", "path": "/v1/messages"},
    holdout=True,
)
PART.add(
    "sse-event-error-max-tokens",
    200,
    ": ping\n\nretry: 3000\n\nevent: error\n"
    'data: {"error":{"type":"invalid_request_error","message":"max_tokens: 200000 > 8192, which is the maximum allowed number of output tokens for this model"}}\n\n',
    "validation",
    "after a comment and a retry field, event: error with invalid_request_error on max_tokens",
    content_type="text/event-stream; charset=utf-8",
    holdout=True,
)
PART.add(
    "sse-openai-chunks-normal",
    200,
    "".join(
        "data: " + dumps(c) + "\n\n"
        for c in [
            {
                "id": "chatcmpl-9Q1",
                "object": "chat.completion.chunk",
                "created": 1715600000,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}],
            },
            {
                "id": "chatcmpl-9Q1",
                "object": "chat.completion.chunk",
                "created": 1715600000,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "delta": {"content": "Paris is the capital"}, "finish_reason": None}],
            },
            {
                "id": "chatcmpl-9Q1",
                "object": "chat.completion.chunk",
                "created": 1715600000,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "delta": {"content": " of France."}, "finish_reason": None}],
            },
            {
                "id": "chatcmpl-9Q1",
                "object": "chat.completion.chunk",
                "created": 1715600000,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            },
        ]
    )
    + "data: [DONE]\n\n",
    None,
    "ordinary chat completion chunks ending in [DONE]",
    content_type="text/event-stream",
)
PART.add(
    "sse-content-mentions-error",
    200,
    "".join(
        "data: " + dumps(c) + "\n\n"
        for c in [
            {
                "id": "chatcmpl-7Zx",
                "object": "chat.completion.chunk",
                "model": "gpt-4o",
                "choices": [
                    {
                        "index": 0,
                        "delta": {"content": "The error is on line 3: `TypeError: undefined is not a function`."},
                        "finish_reason": None,
                    }
                ],
            },
            {
                "id": "chatcmpl-7Zx",
                "object": "chat.completion.chunk",
                "model": "gpt-4o",
                "choices": [
                    {
                        "index": 0,
                        "delta": {"content": " The request failed because `fetchUser` is imported as default."},
                        "finish_reason": None,
                    }
                ],
            },
            {
                "id": "chatcmpl-7Zx",
                "object": "chat.completion.chunk",
                "model": "gpt-4o",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            },
        ]
    )
    + "data: [DONE]\n\n",
    None,
    "a normal completion stream whose generated text explains an error",
    content_type="text/event-stream; charset=utf-8",
    trap=True,
)

# --- NDJSON and other multi-document streams -----------------------------------------------------

PART.add(
    "ndjson-ollama-only-record-not-found",
    200,
    '{"error":"model \\"llama3.1:405b\\" not found, try pulling it first"}\n',
    "not_found",
    "NDJSON stream whose only record is an Ollama-style model-not-found error",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/generate"},
)
PART.add(
    "ndjson-ollama-pull-final-error",
    200,
    '{"status":"pulling manifest"}\n{"error":"pull model manifest: file does not exist"}\n',
    "not_found",
    "pull progress stream whose final record says the model manifest does not exist",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/pull"},
    holdout=True,
)
PART.add(
    "ndjson-ollama-generate-normal",
    200,
    '{"model":"llama3","created_at":"2024-05-13T08:01:22.1Z","response":"Why","done":false}\n'
    '{"model":"llama3","created_at":"2024-05-13T08:01:22.2Z","response":" is the sky blue?","done":false}\n'
    '{"model":"llama3","created_at":"2024-05-13T08:01:22.3Z","response":"","done":true,"done_reason":"stop",'
    '"total_duration":512334000,"eval_count":9,"eval_duration":201000000}\n',
    None,
    "ordinary generate stream ending with done=true",
    content_type="application/x-ndjson",
)
PART.add(
    "ndjson-log-tail-level-error",
    200,
    '{"ts":"2024-05-13T08:02:11.381Z","level":"info","service":"checkout","msg":"GET /cart 200 12ms"}\n'
    '{"ts":"2024-05-13T08:02:11.904Z","level":"error","service":"checkout","msg":"upstream connect error or disconnect/reset before headers","upstream":"payments:8443"}\n'
    '{"ts":"2024-05-13T08:02:12.017Z","level":"warn","service":"checkout","msg":"retrying payment authorization (attempt 2)"}\n',
    None,
    "log tail stream: records with level error are the data asked for",
    content_type="application/x-ndjson",
    request={"method": "GET", "path": "/api/v1/logs/tail?service=checkout"},
    trap=True,
)
PART.add(
    "docker-build-stream-error",
    200,
    '{"stream":"Step 1/6 : FROM node:20-alpine"}\r\n{"stream":"\\n"}\r\n{"stream":" ---\\u003e 1c2a3b4d5e6f\\n"}\r\n'
    '{"stream":"Step 4/6 : RUN npm ci"}\r\n{"stream":"\\n"}\r\n'
    '{"stream":"npm ERR! code ERESOLVE\\n"}\r\n'
    '{"errorDetail":{"code":1,"message":"The command \'/bin/sh -c npm ci\' returned a non-zero code: 1"},'
    '"error":"The command \'/bin/sh -c npm ci\' returned a non-zero code: 1"}\r\n',
    "generic_business_error",
    "Docker build stream (JSON documents back to back) ends with errorDetail: the build failed",
    content_type="application/json",
    request={"method": "POST", "path": "/v1.43/build?t=web:latest"},
    holdout=True,
)
PART.add(
    "gemini-json-array-stream-quota",
    200,
    '[{\n  "candidates": [\n    {\n      "content": {\n        "parts": [\n          {\n            "text": "Once upon a"\n'
    '          }\n        ],\n        "role": "model"\n      },\n      "index": 0\n    }\n  ]\n}\n,\r\n'
    '{\n  "error": {\n    "code": 429,\n    "message": "Resource has been exhausted (e.g. check quota).",\n'
    '    "status": "RESOURCE_EXHAUSTED"\n  }\n}\n]',
    "rate_limit",
    "streamGenerateContent JSON-array stream: one partial chunk then a final RESOURCE_EXHAUSTED error; the generation did not complete",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/v1beta/models/gemini-1.5-pro:streamGenerateContent"},
)

# --- gzip bodies in non-UTF-8 charsets -----------------------------------------------------------

PART.add(
    "gz-sjis-token-expired",
    200,
    gz(
        dumps(
            {
                "result": "NG",
                "error": {
                    "code": "E401",
                    "message": "認証トークンの有効期限が切れています。再度ログインしてください。",
                },
            }
        ).encode("shift_jis")
    ),
    "auth_failure",
    "gzip, Shift_JIS: result NG, the auth token has expired, log in again",
    content_type="application/json; charset=Shift_JIS",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "gz-gb2312-too-frequent",
    200,
    gz('{"code": 40029, "msg": "请求过于频繁，请稍后再试", "data": {}}'.encode("gb2312")),
    "rate_limit",
    "gzip, GB2312: msg says requests too frequent, try later",
    content_type="application/json;charset=GB2312",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "gz-gb18030-nocharset-phone-format",
    200,
    gz('{"errcode":10011,"errmsg":"参数错误：手机号格式不正确","request_id":"7f3a9c2e"}'.encode("gb18030")),
    "validation",
    "gzip, GB18030 with no charset parameter: parameter error, phone number format invalid",
    content_type="application/json",
    headers={"Content-Encoding": "gzip"},
    holdout=True,
)
PART.add(
    "gz-euckr-insufficient-balance",
    200,
    gz(dumps({"resultCode": "F", "resultMsg": "잔액이 부족합니다", "tid": "T20240513000912"}).encode("euc-kr")),
    "payment",
    "gzip, EUC-KR: resultCode F, insufficient balance",
    content_type="application/json; charset=EUC-KR",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/v1/payments/approve"},
)
PART.add(
    "gz-cp1252-nocharset-username-taken",
    200,
    gz(dumps({"erfolg": False, "fehler": "Der Benutzername „müller“ ist bereits vergeben."}).encode("cp1252")),
    "conflict",
    "gzip, Windows-1252 without charset (curly quotes need cp1252): username already taken",
    content_type="application/json",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/api/konto/registrieren"},
    holdout=True,
)
PART.add(
    "gz-xml-sjis-declaration-product-not-found",
    200,
    gz(
        '<?xml version="1.0" encoding="Shift_JIS"?>\n<Response>\n  <Status>NG</Status>\n  <ErrorCode>E2004</ErrorCode>\n'
        "  <ErrorMessage>指定された商品コード（A-7781）は存在しません。</ErrorMessage>\n</Response>\n".encode(
            "shift_jis"
        )
    ),
    "not_found",
    "gzip XML whose declaration says Shift_JIS: status NG, the product code does not exist",
    content_type="application/xml",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "gz-html-meta-gbk-internal-error",
    200,
    gz(
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="gbk">\n<title>系统错误</title>\n</head>\n<body>\n'
        "<h1>服务器内部错误</h1>\n<p>抱歉，系统处理您的请求时发生错误，请稍后再试。</p>\n</body>\n</html>\n".encode(
            "gbk"
        )
    ),
    "generic_business_error",
    "gzip HTML declaring gbk in a meta tag: a system error page served with 200",
    content_type="text/html",
    headers={"Content-Encoding": "gzip"},
    holdout=True,
)
PART.add(
    "gz-sjis-customer-ok",
    200,
    gz(
        dumps(
            {
                "result": "OK",
                "data": {"customer_id": "C-10293", "name": "山田 太郎", "prefecture": "東京都", "points": 1200},
            }
        ).encode("shift_jis")
    ),
    None,
    "gzip, Shift_JIS: result OK with customer data",
    content_type="application/json; charset=Shift_JIS",
    headers={"Content-Encoding": "gzip"},
)
PART.add(
    "gz-gbk-faq-titles-payment-failed",
    200,
    gz(
        dumps(
            {
                "code": 0,
                "msg": "成功",
                "data": {
                    "list": [
                        {"id": 311, "title": "支付失败的常见原因及解决办法", "views": 10234},
                        {"id": 312, "title": "退款失败怎么办？", "views": 5120},
                    ],
                    "total": 2,
                },
            }
        ).encode("gbk")
    ),
    None,
    "gzip, GBK: code 0 / 成功; help-centre articles titled 'payment failed' are data",
    content_type="application/json; charset=GBK",
    headers={"Content-Encoding": "gzip"},
    request={"method": "GET", "path": "/api/help/articles?keyword=失败"},
    trap=True,
)

# --- non-UTF-8 bodies without gzip --------------------------------------------------------------

PART.add(
    "latin1-spanish-invalid-date",
    200,
    dumps({"estado": "error", "mensaje": "El parámetro «fecha_desde» no es válido: use el formato AAAA-MM-DD"}).encode(
        "iso-8859-1"
    ),
    "validation",
    "ISO-8859-1 body: estado error, the fecha_desde parameter is not valid",
    content_type="application/json; charset=ISO-8859-1",
)
PART.add(
    "windows31j-login-required",
    200,
    '{"status":"NG","message":"セッションがタイムアウトしました。ログインしてください。"}'.encode("cp932"),
    "auth_failure",
    "Windows-31J body: status NG, session timed out, please log in",
    content_type="application/json; charset=Windows-31J",
    holdout=True,
)

# --- chunked framing and cut bodies -------------------------------------------------------------

_chunk_body = b'{"success":false,"errors":[{"field":"quantity","message":"must be between 1 and 99"}]}'
PART.add_raw(
    "chunked-split-success-false",
    response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
            ("Date", "Mon, 13 May 2024 08:10:00 GMT"),
        ],
        chunked(_chunk_body, [5, 9, 17]),
    ),
    "validation",
    "chunked framing splits the keys; success=false with a quantity range error",
)
PART.add_raw(
    "chunked-gzip-quota-exceeded",
    response(
        "200 OK",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("Vary", "Accept-Encoding"),
        ],
        chunked(gz(b'{"status":"fail","data":null,"message":"Daily API quota of 10000 requests exceeded"}'), [10, 32]),
    ),
    "rate_limit",
    "gzip body inside chunked framing: status fail, daily quota exceeded",
    holdout=True,
)
PART.add_raw(
    "chunked-error-null-split",
    response(
        "200 OK",
        [("Content-Type", "application/json; charset=utf-8"), ("Transfer-Encoding", "chunked")],
        chunked(b'{"id":"ord_5521","status":"confirmed","error":null,"payment_error":null,"total":"42.00"}', [39, 4]),
    ),
    None,
    "chunked success whose error and payment_error members are null",
    trap=True,
)

_long = dumps(
    {
        "status": "error",
        "error": {"code": "RESOURCE_NOT_FOUND", "message": "Invoice inv_8812 was not found"},
        "request": {"id": "req_2f7e41c9a0", "method": "GET", "path": "/v3/invoices/inv_8812"},
        "debug": {
            "trace": [
                f"at com.acme.billing.InvoiceService.lookup(InvoiceService.java:{100 + i}) in shard billing-{i:02d}"
                for i in range(30)
            ]
        },
    }
).encode()
assert len(_long) > 2048
PART.add_raw(
    "cut-long-body-invoice-not-found",
    response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(_long)))], _long),
    "not_found",
    "body far longer than 1 KiB, cut at the capture limit; status error / RESOURCE_NOT_FOUND come first",
)

# --- a few 4xx/5xx bodies in awkward transports -------------------------------------------------

PART.add(
    "textplain-429-json",
    429,
    '{"status":"error","message":"Too many requests, retry in 30 seconds"}',
    "rate_limit",
    "429 with a JSON body labelled text/plain",
    content_type="text/plain; charset=utf-8",
    headers={"Retry-After": "30"},
)
PART.add(
    "gz-gbk-503",
    503,
    gz('{"code":503,"msg":"服务暂时不可用，请稍后重试"}'.encode("gbk")),
    "server_error",
    "503 with a gzip GBK body: service temporarily unavailable",
    content_type="application/json; charset=GBK",
    headers={"Content-Encoding": "gzip"},
)
