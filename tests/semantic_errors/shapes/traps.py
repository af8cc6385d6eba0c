"""Traps: 2xx responses that mention errors, failures, declines or alerts but that any consumer
reads as a successful answer -- error objects stored as data (issue trackers, log search,
alerting, audit logs, charge lists, webhook deliveries), documentation about errors, null or empty
error members, zero counters and metrics, empty search results, validation and risk services whose
answer is a verdict, entities read in a failed state, health and status pages, success envelopes
with warnings, HTML/XML/CSV/plain-text content about errors."""

from tests.semantic_errors.shapes import Part

PART = Part("traps")


def trap(entry_id, body, note, *, holdout=False, **kw):
    PART.add(entry_id, 200, body, None, note, trap=True, holdout=holdout, **kw)


# --- error objects as data ----------------------------------------------------------------------

trap(
    "sentry-issues-list",
    [
        {
            "id": "4509182734",
            "shortId": "WEB-APP-3K",
            "title": "TypeError: Cannot read properties of undefined (reading 'map')",
            "culprit": "src/components/CartList.tsx in CartList",
            "level": "error",
            "status": "unresolved",
            "count": "182",
            "userCount": 57,
            "firstSeen": "2024-05-10T14:02:11Z",
            "lastSeen": "2024-05-13T07:58:40Z",
            "project": {"slug": "web-app"},
        },
        {
            "id": "4509177002",
            "shortId": "WEB-APP-3H",
            "title": "ChunkLoadError: Loading chunk 812 failed.",
            "level": "error",
            "status": "unresolved",
            "count": "41",
            "userCount": 30,
        },
    ],
    "Sentry issue list: error events are the entities asked for",
    request={"method": "GET", "path": "/api/0/projects/acme/web-app/issues/?query=is:unresolved"},
)
trap(
    "es-log-search-hits",
    {
        "took": 14,
        "timed_out": False,
        "_shards": {"total": 3, "successful": 3, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "max_score": None,
            "hits": [
                {
                    "_index": "logs-2024.05.13",
                    "_id": "kQ1",
                    "_source": {
                        "@timestamp": "2024-05-13T08:00:01Z",
                        "log.level": "ERROR",
                        "message": "Connection refused: db-primary:5432",
                    },
                },
                {
                    "_index": "logs-2024.05.13",
                    "_id": "kQ2",
                    "_source": {
                        "@timestamp": "2024-05-13T08:00:04Z",
                        "log.level": "ERROR",
                        "message": "Failed to acquire lock after 3 attempts",
                    },
                },
            ],
        },
    },
    "Elasticsearch search over logs: shards all successful, hits are ERROR log lines",
    holdout=True,
)
trap(
    "alertmanager-firing-alerts",
    [
        {
            "labels": {"alertname": "HighErrorRate", "service": "api-gateway", "severity": "critical"},
            "annotations": {"summary": "5xx error rate above 5% for 10m"},
            "startsAt": "2024-05-13T07:41:00Z",
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
            "fingerprint": "8a1f0c2d77b3e491",
        },
        {
            "labels": {"alertname": "KafkaConsumerErrors", "service": "orders-worker", "severity": "warning"},
            "annotations": {"summary": "consumer errors > 0 for 5m"},
            "startsAt": "2024-05-13T07:55:30Z",
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
            "fingerprint": "19cde5a0b2f8e377",
        },
    ],
    "Alertmanager /api/v2/alerts: firing alerts named after errors are the data",
    request={"method": "GET", "path": "/api/v2/alerts?active=true"},
)
trap(
    "grafana-oncall-alert-groups-firing",
    {
        "count": 1,
        "next": None,
        "results": [
            {
                "id": "I68T24C13IFW1",
                "title": "Payment service error budget burn",
                "state": "firing",
                "alerts_count": 3,
                "created_at": "2024-05-13T06:12:00Z",
                "resolved_at": None,
            }
        ],
    },
    "paginated list of alert groups, one firing about errors: a successful read",
)
trap(
    "audit-log-login-failed",
    {
        "entries": [
            {
                "id": "ev_01",
                "actor": "jdoe@acme.io",
                "action": "login_failed",
                "ip": "203.0.113.7",
                "reason": "bad_password",
                "at": "2024-05-12T22:14:03Z",
            },
            {
                "id": "ev_02",
                "actor": "jdoe@acme.io",
                "action": "login_succeeded",
                "ip": "203.0.113.7",
                "at": "2024-05-12T22:14:30Z",
            },
            {
                "id": "ev_03",
                "actor": "admin@acme.io",
                "action": "api_key.revoked",
                "target": "key_88",
                "at": "2024-05-12T23:01:55Z",
            },
        ],
        "cursor": "eyJvZmZzZXQiOjN9",
    },
    "audit log page listing a login_failed event among others",
)
trap(
    "stripe-charges-list-with-failed",
    {
        "object": "list",
        "url": "/v1/charges",
        "has_more": False,
        "data": [
            {
                "id": "ch_3PA1",
                "object": "charge",
                "amount": 2500,
                "currency": "usd",
                "status": "failed",
                "failure_code": "card_declined",
                "failure_message": "Your card was declined.",
                "paid": False,
            },
            {
                "id": "ch_3PA0",
                "object": "charge",
                "amount": 2500,
                "currency": "usd",
                "status": "succeeded",
                "failure_code": None,
                "failure_message": None,
                "paid": True,
            },
        ],
    },
    "Stripe charge list: a declined charge in the list is history, the list call succeeded",
    request={"method": "GET", "path": "/v1/charges?customer=cus_Q1"},
    holdout=True,
)
trap(
    "github-hook-deliveries-500",
    [
        {
            "id": 93117008,
            "guid": "0b989ba4-242f-11e5-81e1-c7b6966d2516",
            "delivered_at": "2024-05-13T07:00:11Z",
            "redelivery": False,
            "duration": 0.27,
            "status": "Invalid HTTP Response: 500",
            "status_code": 500,
            "event": "push",
            "action": None,
        },
        {
            "id": 93117002,
            "guid": "88cbd1a0-242f-11e5-8a7b-b6ec4a0c39b2",
            "delivered_at": "2024-05-13T06:58:02Z",
            "redelivery": False,
            "duration": 0.11,
            "status": "OK",
            "status_code": 200,
            "event": "push",
            "action": None,
        },
    ],
    "GitHub webhook deliveries: one delivery's receiver answered 500, recorded as data",
    request={"method": "GET", "path": "/repos/acme/web/hooks/12/deliveries"},
)
trap(
    "csv-log-export",
    "timestamp,level,service,message\n"
    "2024-05-13T08:00:01Z,ERROR,db-proxy,Connection refused\n"
    "2024-05-13T08:00:02Z,WARN,db-proxy,Retrying in 500ms\n"
    "2024-05-13T08:00:03Z,INFO,db-proxy,Connected to db-primary:5432\n",
    "CSV export of log lines, including an ERROR row",
    holdout=True,
    content_type="text/csv; charset=utf-8",
    request={"method": "GET", "path": "/exports/logs.csv?from=2024-05-13T08:00:00Z"},
)

# --- documentation about errors -----------------------------------------------------------------

trap(
    "docs-error-codes",
    {
        "version": "2024-04-01",
        "error_codes": [
            {
                "code": "invalid_request",
                "http_status": 400,
                "message": "The request was malformed or missing a parameter.",
            },
            {"code": "unauthorized", "http_status": 401, "message": "The API key is missing or invalid."},
            {
                "code": "rate_limited",
                "http_status": 429,
                "message": "Too many requests. Retry after the time in Retry-After.",
            },
        ],
    },
    "a docs endpoint listing the API's error codes and messages",
    request={"method": "GET", "path": "/docs/errors.json"},
)
trap(
    "openapi-error-schema",
    {
        "openapi": "3.0.3",
        "info": {"title": "Orders API", "version": "1.4.0"},
        "paths": {
            "/orders/{id}": {
                "get": {
                    "responses": {
                        "200": {"$ref": "#/components/responses/Order"},
                        "404": {
                            "description": "Order not found",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
                }
            }
        },
    },
    "OpenAPI document with an Error schema and a 404 description",
    request={"method": "GET", "path": "/openapi.json"},
    holdout=True,
)
trap(
    "i18n-bundle-error-messages",
    {
        "locale": "en-GB",
        "messages": {
            "errors.not_found": "We couldn't find that page.",
            "errors.unauthorized": "Please sign in to continue.",
            "errors.payment_declined": "Your card was declined.",
            "cart.empty": "Your basket is empty.",
        },
    },
    "a locale message bundle whose strings are error messages",
    request={"method": "GET", "path": "/i18n/en-GB.json"},
)

# --- null/empty error members, zero counters, metrics -------------------------------------------

trap(
    "error-null-data",
    {"error": None, "data": {"invoice": {"number": "F-2024-0192", "amount_due": 0, "status": "paid"}}},
    "error member is null, data present",
)
trap(
    "cloudflare-errors-empty",
    {
        "success": True,
        "errors": [],
        "messages": [],
        "result": {
            "id": "372e67954025e0ba6aaa6d586b9e0b59",
            "type": "A",
            "name": "api.example.com",
            "content": "198.51.100.4",
            "proxied": True,
            "ttl": 1,
        },
    },
    "Cloudflare v4 envelope: success true, errors empty",
)
trap(
    "failed-login-attempts-zero",
    {
        "user": {
            "id": 5521,
            "username": "mkato",
            "locked": False,
            "failed_login_attempts": 0,
            "last_login": "2024-05-12T19:04:00Z",
        }
    },
    "user record with failed_login_attempts 0",
)
trap(
    "error-rate-metrics",
    {
        "service": "checkout",
        "window": "1h",
        "requests": 184220,
        "error_rate": 0.02,
        "p99_latency_ms": 412,
        "errors_by_status": {"500": 2911, "503": 773},
    },
    "service metrics including error_rate and error counts by status",
    holdout=True,
)
trap(
    "graphql-webhook-last-error-null",
    {
        "data": {
            "webhookSubscription": {
                "id": "gid://shop/WebhookSubscription/9",
                "topic": "ORDERS_CREATE",
                "lastDeliveryError": None,
                "failureCount": 0,
            }
        }
    },
    "GraphQL data with lastDeliveryError null and failureCount 0, no errors member",
)
trap(
    "github-rate-limit-status",
    {
        "resources": {
            "core": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1715590000},
            "search": {"limit": 30, "used": 0, "remaining": 30, "reset": 1715586460},
        },
        "rate": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1715590000},
    },
    "GitHub GET /rate_limit: reading the rate-limit status is not being rate limited",
    request={"method": "GET", "path": "/rate_limit"},
)

# --- empty search results -----------------------------------------------------------------------

trap(
    "search-hits-empty",
    {"hits": [], "total": 0, "query": "bluetooth kettle", "page": 1, "took_ms": 3},
    "search with no hits: an empty result is an answer",
)
trap(
    "search-no-results-message",
    {"status": "ok", "results": [], "message": 'No results found for "zzqx"', "suggestions": ["zzq", "quiz"]},
    "status ok, empty results, 'No results found' message",
    holdout=True,
)

# --- services whose answer is a verdict ---------------------------------------------------------

trap(
    "email-verification-invalid",
    {
        "email": "x@y.io",
        "valid": False,
        "reason": "mailbox_not_found",
        "disposable": False,
        "mx_found": True,
        "score": 0.05,
    },
    "email verifier answering 'is this address valid?': valid=false is the result",
    request={"method": "GET", "path": "/v1/verify?email=x@y.io"},
)
trap(
    "spellcheck-errors-found",
    {
        "text": "I recieve teh package yesterday.",
        "errors": [
            {"offset": 2, "length": 7, "word": "recieve", "suggestions": ["receive"], "type": "spelling"},
            {"offset": 10, "length": 3, "word": "teh", "suggestions": ["the"], "type": "spelling"},
            {"offset": 2, "length": 7, "message": "Verb tense: consider 'received'", "type": "grammar"},
        ],
    },
    "spell/grammar checker returning the errors it found in the text",
    request={"method": "POST", "path": "/v2/check"},
    holdout=True,
)
trap(
    "fraud-check-high-risk",
    {
        "transaction_id": "txn_77f1",
        "risk": "high",
        "score": 87,
        "decision": "review",
        "reasons": ["ip_country_mismatch", "velocity"],
    },
    "fraud-scoring API verdict: high risk / review is its answer",
    request={"method": "POST", "path": "/v1/assessments"},
)
trap(
    "oauth-introspection-inactive",
    {"active": False},
    "RFC 7662 introspection: active=false is a successful answer about the token, not an auth failure of the call (subtle)",
    request={"method": "POST", "path": "/oauth2/introspect"},
    holdout=True,
)
trap(
    "domain-availability-taken",
    {"domain": "acme-shop.io", "available": False, "reason": "already registered", "expires": "2026-02-11"},
    "domain availability check: 'already registered' is the answer, not a conflict",
    request={"method": "GET", "path": "/v1/domains/availability?domain=acme-shop.io"},
)
trap(
    "uptime-check-site-down",
    {
        "monitor_id": 7781,
        "url": "https://shop.example.com/",
        "up": False,
        "status_code": 500,
        "response_time_ms": 842,
        "checked_at": "2024-05-13T08:05:00Z",
        "error_detail": "HTTP 500 Internal Server Error",
    },
    "uptime monitor reporting the watched site's last check (a 500) as data",
    request={"method": "GET", "path": "/api/monitors/7781/last-check"},
    holdout=True,
)

# --- entities read in a failed state -------------------------------------------------------------

trap(
    "gitlab-pipeline-failed",
    {
        "id": 123,
        "iid": 48,
        "project_id": 17,
        "status": "failed",
        "source": "push",
        "ref": "main",
        "sha": "a91957a858320c0e17f3a0eca7cfacbff50ea29a",
        "web_url": "https://gitlab.example.com/acme/web/-/pipelines/123",
        "created_at": "2024-05-13T07:30:02.112Z",
        "finished_at": "2024-05-13T07:41:19.004Z",
        "duration": 677,
    },
    "GET /pipelines/123: reading a failed pipeline is a successful read",
    request={"method": "GET", "path": "/api/v4/projects/17/pipelines/123"},
)
trap(
    "twilio-message-undelivered",
    {
        "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
        "to": "+15558675310",
        "from": "+15017122661",
        "status": "undelivered",
        "error_code": 30003,
        "error_message": "Unreachable destination handset",
        "date_sent": "Mon, 13 May 2024 07:12:00 +0000",
        "uri": "/2010-04-01/Accounts/AC123/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json",
    },
    "fetching a message resource whose delivery failed: the fetch succeeded (subtle)",
    request={"method": "GET", "path": "/2010-04-01/Accounts/AC123/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json"},
)
trap(
    "k8s-pod-crashloop",
    {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "web-6d4cf56db6-x2k9p", "namespace": "default"},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "web",
                    "ready": False,
                    "restartCount": 14,
                    "state": {
                        "waiting": {
                            "reason": "CrashLoopBackOff",
                            "message": "back-off 5m0s restarting failed container=web",
                        }
                    },
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}},
                }
            ],
        },
    },
    "Kubernetes Pod read: the container's CrashLoopBackOff state is data",
    holdout=True,
    request={"method": "GET", "path": "/api/v1/namespaces/default/pods/web-6d4cf56db6-x2k9p"},
)
trap(
    "test-run-results-failures",
    {
        "run_id": 9182,
        "suite": "checkout-e2e",
        "summary": {"total": 48, "passed": 45, "failed": 2, "skipped": 1},
        "failures": [
            {"test": "applies discount code", "error": "AssertionError: expected 90 to equal 81"},
            {"test": "pays with saved card", "error": "TimeoutError: locator('#pay') not visible after 5000ms"},
        ],
    },
    "test-results API: failing tests are the results asked for",
    request={"method": "GET", "path": "/api/runs/9182/results"},
)

# --- health, status pages, flags, weather -------------------------------------------------------

trap(
    "spring-actuator-health-up",
    {
        "status": "UP",
        "components": {
            "db": {"status": "UP", "details": {"database": "PostgreSQL"}},
            "diskSpace": {"status": "UP"},
            "ping": {"status": "UP"},
        },
    },
    "Spring actuator health: everything UP",
    content_type="application/vnd.spring-boot.actuator.v3+json",
)
trap(
    "statuspage-resolved-incident",
    {
        "page": {"id": "kctbh9vrtdwd", "name": "Acme", "updated_at": "2024-05-13T08:00:00Z"},
        "status": {"indicator": "none", "description": "All Systems Operational"},
        "incidents": [
            {
                "id": "p31zjtct2jer",
                "name": "Elevated API error rates",
                "status": "resolved",
                "impact": "minor",
                "resolved_at": "2024-05-12T18:40:00Z",
                "incident_updates": [
                    {"status": "resolved", "body": "The issue causing failed requests has been fixed."}
                ],
            }
        ],
    },
    "Statuspage summary: all operational, a resolved incident about errors",
    holdout=True,
)
trap(
    "feature-flags-show-error-banner",
    {
        "flags": {"show_error_banner": True, "new_checkout": False, "fail_open_payments": False},
        "environment": "production",
        "version": 311,
    },
    "feature flags; a flag named show_error_banner is on",
)
trap(
    "weather-alerts",
    {
        "location": {"name": "Oklahoma City", "lat": 35.47, "lon": -97.52},
        "current": {"temp_c": 29.4, "condition": "Thunderstorm"},
        "alerts": [
            {
                "event": "Severe Thunderstorm Warning",
                "severity": "Severe",
                "expires": "2024-05-13T22:00:00-05:00",
                "description": "Damaging winds and large hail expected.",
            }
        ],
    },
    "weather API with a warning in its alerts list",
)

# --- messages and text that mention failures -----------------------------------------------------

trap(
    "chat-messages-payment-failed-text",
    {
        "channel": "support-4411",
        "messages": [
            {"id": "m1", "from": "customer", "text": "payment failed, please retry", "ts": 1715586000},
            {"id": "m2", "from": "agent", "text": "Sorry about that! Could you try another card?", "ts": 1715586060},
        ],
        "has_more": False,
    },
    "message list whose text mentions a failed payment",
)
trap(
    "deepl-translation-contains-error",
    {"translations": [{"detected_source_language": "DE", "text": "Error: the file could not be found."}]},
    "translation result whose translated text contains the word Error",
    holdout=True,
    request={"method": "POST", "path": "/v2/translate"},
)

# --- success envelopes with warnings and counts -------------------------------------------------

trap(
    "success-true-warnings",
    {
        "success": True,
        "warnings": ["parameter 'per_page' is deprecated, use 'limit'"],
        "data": [{"id": 1, "sku": "TS-RED-M"}],
    },
    "success true with a deprecation warning",
)
trap(
    "import-ok-error-count",
    {
        "ok": True,
        "import_id": "imp_2210",
        "rows_total": 100,
        "rows_imported": 97,
        "error_count": 3,
        "errors_url": "https://app.example.com/imports/imp_2210/errors.csv",
    },
    "upload accepted: error_count describes 3 bad rows of the uploaded data",
    request={"method": "POST", "path": "/api/contacts/import"},
    holdout=True,
)

# --- HTML, XML and plain text --------------------------------------------------------------------

trap(
    "html-docs-troubleshooting-500",
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>Troubleshooting 500 Internal Server Error | Acme Docs</title></head>\n'
    "<body>\n<nav>Docs / Guides</nav>\n<article>\n<h1>Troubleshooting 500 Internal Server Error</h1>\n"
    "<p>If your application returns <code>500 Internal Server Error</code>, check the logs first.</p>\n"
    "<h2>Common causes</h2>\n<ul><li>Unhandled exceptions</li><li>Database connection failures</li></ul>\n</article>\n</body>\n</html>\n",
    "a documentation page about 500 errors, requested as a page",
    content_type="text/html; charset=utf-8",
    request={"method": "GET", "path": "/docs/guides/troubleshooting-500", "headers": {"Accept": "text/html"}},
)
trap(
    "html-dashboard-zero-errors",
    "<html><head><title>Build #1822 - Jenkins</title></head><body>"
    '<div id="main-panel"><h1>Build #1822 (13 May 2024, 08:12:40)</h1>'
    '<p class="status"><img src="/static/blue.png" alt="Success"> Success</p>'
    "<p>Test Result (0 failures / 0 errors, 312 tests)</p><p>Console Output: Finished: SUCCESS</p></div></body></html>",
    "HTML build page: success, 0 failures / 0 errors",
    content_type="text/html;charset=utf-8",
    request={"method": "GET", "path": "/job/web/1822/"},
    holdout=True,
)
trap(
    "xml-empty-errors",
    '<?xml version="1.0" encoding="UTF-8"?>\n<SubmitFeedResponse>\n  <Status>Accepted</Status>\n'
    "  <FeedSubmissionId>50041018213</FeedSubmissionId>\n  <Errors/>\n</SubmitFeedResponse>\n",
    "XML success with an empty <Errors/> element",
    content_type="text/xml",
)
trap(
    "ebay-ack-warning",
    '<?xml version="1.0" encoding="UTF-8"?>\n<AddItemResponse xmlns="urn:ebay:apis:eBLBaseComponents">\n'
    "  <Timestamp>2024-05-13T08:14:22.512Z</Timestamp>\n  <Ack>Warning</Ack>\n  <Errors>\n"
    "    <ShortMessage>Item specifics recommended.</ShortMessage>\n"
    "    <LongMessage>Adding the Brand item specific may help buyers find your item.</LongMessage>\n"
    "    <ErrorCode>21919303</ErrorCode>\n    <SeverityCode>Warning</SeverityCode>\n  </Errors>\n"
    '  <ItemID>110551234567</ItemID>\n  <Fees><Fee><Name>InsertionFee</Name><Fee currencyID="USD">0.0</Fee></Fee></Fees>\n'
    "</AddItemResponse>\n",
    "eBay Ack=Warning with a Warning-severity entry and an ItemID: the item was listed (subtle)",
    content_type="text/xml;charset=utf-8",
    request={"method": "POST", "path": "/ws/api.dll", "headers": {"X-EBAY-API-CALL-NAME": "AddItem"}},
)
trap(
    "plaintext-ok-zero-errors",
    "OK - 0 errors, 0 warnings | errors=0;1;5 warnings=0\n",
    "Nagios-style check output: OK - 0 errors",
    content_type="text/plain",
)
