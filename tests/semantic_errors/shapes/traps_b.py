"""Second round of traps: 2xx responses full of failure words whose call nonetheless did what was
asked -- CI/CD and monitoring reads (check runs concluded "failure", failed workflows, triggered
incidents, down monitors), payment providers' failed or declined objects read with GET or listed
(Stripe, Checkout.com, Square, Razorpay), log/trace searches (Loki, Jaeger, CloudWatch Logs,
Datadog), error-tracking data (Rollbar, Bugsnag), error catalogues and schemas (GraphQL
introspection, YAML), a gettext catalogue of error strings, validators whose verdict is the
answer (JSON Schema, W3C Nu, form pre-validation), risk scoring (Sift, minFraud), a dry run
listing would-be errors, a JUnit report, mail and chat content about failures, feature-flag
names, zero failure counters and empty error arrays (Elasticsearch _bulk, FCM, Kinesis, SQS,
Shopify userErrors), success statuses with error-looking siblings, and RSS/HTML/Markdown text."""

from tests.semantic_errors.shapes import Part

PART = Part("traps")


def trap(entry_id, body, note, *, holdout=False, **kw):
    PART.add(entry_id, 200, body, None, note, trap=True, holdout=holdout, **kw)


# --- CI/CD and monitoring -----------------------------------------------------------------------

trap(
    "b-github-check-runs-conclusion-failure",
    {
        "total_count": 2,
        "check_runs": [
            {
                "id": 20993118723,
                "head_sha": "9f2c41d0b7a8e6c3f5d1a2b4c6e8f0a1b3c5d7e9",
                "name": "build (ubuntu-latest, 3.12)",
                "status": "completed",
                "conclusion": "failure",
                "started_at": "2024-10-03T08:11:02Z",
                "completed_at": "2024-10-03T08:14:47Z",
                "output": {
                    "title": "Process completed with exit code 1.",
                    "summary": "2 errors, 1 warning",
                    "annotations_count": 3,
                },
                "app": {"slug": "github-actions"},
            },
            {
                "id": 20993118690,
                "head_sha": "9f2c41d0b7a8e6c3f5d1a2b4c6e8f0a1b3c5d7e9",
                "name": "lint",
                "status": "completed",
                "conclusion": "failure",
                "output": {"title": "ruff found 4 errors", "summary": None, "annotations_count": 4},
                "app": {"slug": "github-actions"},
            },
        ],
    },
    "GitHub check runs for a commit: every run concluded 'failure', but listing them is a successful read",
    request={"method": "GET", "path": "/repos/acme/api/commits/9f2c41d/check-runs"},
    holdout=True,
)
trap(
    "b-circleci-workflows-failed-error",
    {
        "next_page_token": None,
        "items": [
            {
                "pipeline_id": "5034460f-c7c4-4c43-9457-de07e2029e7b",
                "id": "fda08377-fe7e-46b1-8992-3a7aaecac9c3",
                "name": "build-and-test",
                "project_slug": "gh/acme/api",
                "status": "failed",
                "pipeline_number": 1432,
                "created_at": "2024-10-03T07:58:12Z",
                "stopped_at": "2024-10-03T08:06:40Z",
            },
            {
                "pipeline_id": "5034460f-c7c4-4c43-9457-de07e2029e7b",
                "id": "2c1a0e8b-7f6d-4e3c-9b8a-1d2e3f4a5b6c",
                "name": "deploy",
                "project_slug": "gh/acme/api",
                "status": "error",
                "pipeline_number": 1432,
                "created_at": "2024-10-03T07:58:12Z",
                "stopped_at": "2024-10-03T07:58:15Z",
            },
        ],
    },
    "CircleCI pipeline workflows with status failed/error: the workflows are the data",
    request={"method": "GET", "path": "/api/v2/pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b/workflow"},
)
trap(
    "b-pagerduty-incidents-triggered",
    {
        "incidents": [
            {
                "id": "PT4KHLK",
                "type": "incident",
                "incident_number": 1234,
                "title": "CRITICAL: payments-api 5xx error rate > 10%",
                "summary": "[#1234] CRITICAL: payments-api 5xx error rate > 10%",
                "status": "triggered",
                "urgency": "high",
                "service": {"id": "PIJ90N7", "type": "service_reference", "summary": "payments-api"},
                "created_at": "2024-10-03T08:02:11Z",
            }
        ],
        "limit": 25,
        "offset": 0,
        "total": None,
        "more": False,
    },
    "PagerDuty incident list: a triggered incident about 5xx errors is the answer to the query",
    request={"method": "GET", "path": "/incidents?statuses[]=triggered"},
)
trap(
    "b-uptimerobot-getmonitors-down",
    {
        "stat": "ok",
        "pagination": {"offset": 0, "limit": 50, "total": 2},
        "monitors": [
            {
                "id": 777749809,
                "friendly_name": "Checkout API",
                "url": "https://api.example.com/health",
                "type": 1,
                "interval": 300,
                "status": 9,
                "logs": [
                    {
                        "type": 1,
                        "datetime": 1727942400,
                        "duration": 420,
                        "reason": {"code": "503", "detail": "Service Unavailable"},
                    }
                ],
            },
            {
                "id": 777749810,
                "friendly_name": "Marketing site",
                "url": "https://www.example.com/",
                "type": 1,
                "interval": 300,
                "status": 2,
            },
        ],
    },
    "UptimeRobot getMonitors (a POST read): stat=ok; one watched site is down (status 9) with a 503 in its log",
    request={"method": "POST", "path": "/v2/getMonitors"},
    holdout=True,
)

# --- payment providers: failed/declined objects read or listed ----------------------------------

trap(
    "b-stripe-get-payment-intent-last-error",
    {
        "id": "pi_3Q7xYz2eZvKYlo2C0k1ReM9d",
        "object": "payment_intent",
        "amount": 4200,
        "currency": "eur",
        "status": "requires_payment_method",
        "last_payment_error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
            "payment_method": {"id": "pm_1Q7xZ02eZvKYlo2CvYq8c1tF", "type": "card"},
        },
        "latest_charge": "ch_3Q7xYz2eZvKYlo2C0Fh3kLpA",
        "livemode": False,
        "metadata": {"order_id": "7731"},
    },
    "GET of a PaymentIntent whose earlier attempt was declined: reading its state succeeded (subtle)",
    request={"method": "GET", "path": "/v1/payment_intents/pi_3Q7xYz2eZvKYlo2C0k1ReM9d"},
    holdout=True,
)
trap(
    "b-checkout-com-get-payment-declined",
    {
        "id": "pay_mbabizu24mvu3mela5njyhpit4",
        "requested_on": "2024-10-03T09:12:44.5108021Z",
        "source": {"type": "card", "scheme": "Visa", "last4": "4242", "expiry_month": 6, "expiry_year": 2027},
        "amount": 6540,
        "currency": "GBP",
        "payment_type": "Regular",
        "reference": "ORD-5023-4E89",
        "approved": False,
        "status": "Declined",
        "actions": [
            {
                "id": "act_y3oqhf46pyzuxjbcn2giaqnb44",
                "type": "Authorization",
                "response_code": "20051",
                "response_summary": "Insufficient Funds",
            }
        ],
        "_links": {"self": {"href": "https://api.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4"}},
    },
    "Checkout.com payment details fetched with GET: status Declined is the stored outcome, the fetch worked (subtle)",
    request={"method": "GET", "path": "/payments/pay_mbabizu24mvu3mela5njyhpit4"},
)
trap(
    "b-square-list-payments-failed",
    {
        "payments": [
            {
                "id": "bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY",
                "created_at": "2024-10-03T07:40:18.412Z",
                "amount_money": {"amount": 1500, "currency": "USD"},
                "status": "FAILED",
                "source_type": "CARD",
                "card_details": {
                    "status": "FAILED",
                    "card": {"card_brand": "VISA", "last_4": "1111"},
                    "entry_method": "KEYED",
                    "errors": [
                        {
                            "code": "GENERIC_DECLINE",
                            "detail": "Authorization error: 'GENERIC_DECLINE'",
                            "category": "PAYMENT_METHOD_ERROR",
                        }
                    ],
                },
                "location_id": "L88917AVBK2S5",
            },
            {
                "id": "dZ7eLr1Zq8oNZrFYvZbp2Qk6JmGZY",
                "created_at": "2024-10-03T07:41:02.090Z",
                "amount_money": {"amount": 1500, "currency": "USD"},
                "status": "COMPLETED",
                "source_type": "CARD",
                "card_details": {
                    "status": "CAPTURED",
                    "card": {"card_brand": "VISA", "last_4": "4242"},
                    "entry_method": "KEYED",
                },
                "location_id": "L88917AVBK2S5",
            },
        ],
        "cursor": "d1d6e4c2-bf51-4b51-9a0c-5e1f2a7c3b9d",
    },
    "Square ListPayments: a FAILED payment carries Square's error-shaped array inside card_details; the list call worked",
    request={"method": "GET", "path": "/v2/payments?begin_time=2024-10-03T00:00:00Z"},
    holdout=True,
)
trap(
    "b-razorpay-payments-collection-error-fields",
    {
        "entity": "collection",
        "count": 2,
        "items": [
            {
                "id": "pay_PBd9cX3pL0pT7w",
                "entity": "payment",
                "amount": 50000,
                "currency": "INR",
                "status": "failed",
                "method": "card",
                "captured": False,
                "error_code": "BAD_REQUEST_ERROR",
                "error_description": "Payment failed because the card was declined by the bank.",
                "error_source": "bank",
                "error_step": "payment_authorization",
                "error_reason": "payment_declined",
                "created_at": 1727943010,
            },
            {
                "id": "pay_PBd7Yq1rKx9mZa",
                "entity": "payment",
                "amount": 50000,
                "currency": "INR",
                "status": "captured",
                "method": "upi",
                "captured": True,
                "error_code": None,
                "error_description": None,
                "created_at": 1727942871,
            },
        ],
    },
    "Razorpay payment collection: payment entities have error_code/error_description fields, one filled; the list is data",
    request={"method": "GET", "path": "/v1/payments?count=2"},
)

# --- log, trace and event search ---------------------------------------------------------------

trap(
    "b-loki-query-range-error-lines",
    {
        "status": "success",
        "data": {
            "resultType": "streams",
            "result": [
                {
                    "stream": {"app": "checkout", "level": "error", "namespace": "prod"},
                    "values": [
                        ["1727942401000000000", 'level=error msg="payment declined" order=7731 err="card_declined"'],
                        [
                            "1727942403000000000",
                            'level=error msg="upstream request failed" upstream=fraud-svc err="context deadline exceeded"',
                        ],
                    ],
                }
            ],
            "stats": {"summary": {"totalEntriesReturned": 2}},
        },
    },
    "Loki query_range: status success, the streams are error log lines that were searched for",
    request={"method": "GET", "path": '/loki/api/v1/query_range?query={app="checkout",level="error"}'},
)
trap(
    "b-jaeger-traces-error-tags",
    {
        "data": [
            {
                "traceID": "5b8aa5a2d2c872e8321cf37308d69df2",
                "spans": [
                    {
                        "traceID": "5b8aa5a2d2c872e8321cf37308d69df2",
                        "spanID": "051581bf3cb55c13",
                        "operationName": "POST /charge",
                        "startTime": 1727942401000000,
                        "duration": 812345,
                        "tags": [
                            {"key": "error", "type": "bool", "value": True},
                            {"key": "http.status_code", "type": "int64", "value": 502},
                            {"key": "otel.status_code", "type": "string", "value": "ERROR"},
                        ],
                        "logs": [
                            {
                                "timestamp": 1727942401812000,
                                "fields": [
                                    {"key": "exception.message", "type": "string", "value": "connection reset by peer"}
                                ],
                            }
                        ],
                        "processID": "p1",
                    }
                ],
                "processes": {"p1": {"serviceName": "checkout", "tags": []}},
                "warnings": None,
            }
        ],
        "total": 0,
        "limit": 0,
        "offset": 0,
        "errors": None,
    },
    "Jaeger trace search for error=true: spans tagged error/502 are the results; the API's own errors member is null",
    request={"method": "GET", "path": '/api/traces?service=checkout&tags={"error":"true"}'},
    holdout=True,
)
trap(
    "b-cloudwatch-filter-log-events",
    {
        "events": [
            {
                "logStreamName": "2024/10/03/[$LATEST]4f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "timestamp": 1727946721221,
                "message": "[ERROR]\t2024-10-03T09:12:01.221Z\t8d0f0b7e-1c2a-4e0b-9f1a-2b3c4d5e6f70\tTask timed out after 30.03 seconds\n",
                "ingestionTime": 1727946722001,
                "eventId": "38522316146358236573542145618113281283838219174123962368",
            },
            {
                "logStreamName": "2024/10/03/[$LATEST]4f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "timestamp": 1727946802004,
                "message": "[ERROR] AccessDeniedException: User is not authorized to perform: dynamodb:PutItem\n",
                "ingestionTime": 1727946802950,
                "eventId": "38522317952157114221398016373618327363521098273123123200",
            },
        ],
        "searchedLogStreams": [],
        "nextToken": "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXLrcUjSjjPJNDTIY7bqT3Ym4j2yaZr9oCPiTb6q4tFJpXqKQ",
    },
    "CloudWatch Logs FilterLogEvents: the matched events are ERROR lines (timeout, access denied); the search worked",
    content_type="application/x-amz-json-1.1",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "Logs_20140328.FilterLogEvents"}},
)
trap(
    "b-datadog-logs-search-status-error",
    {
        "data": [
            {
                "id": "AQAAAZJSd2B1gL0dHgAAAABBWkpTZDJCMUFBQkxuX2lPSmZnQUFBQUE",
                "type": "log",
                "attributes": {
                    "status": "error",
                    "service": "auth-api",
                    "message": "401 Unauthorized: token expired for user 5521",
                    "timestamp": "2024-10-03T09:20:11.512Z",
                    "tags": ["env:prod", "version:3.8.1"],
                },
            }
        ],
        "meta": {
            "page": {"after": "eyJhZnRlciI6IkFRQUFBWkpTZDJCMSJ9"},
            "elapsed": 142,
            "request_id": "pddv1ChZkR3VuX3pUaWQ",
            "status": "done",
        },
        "links": {
            "next": "https://api.datadoghq.com/api/v2/logs/events/search?page[cursor]=eyJhZnRlciI6IkFRQUFBWkpTZDJCMSJ9"
        },
    },
    "Datadog logs search (a POST read): a log with status error about an expired token is the hit; meta.status done",
    request={"method": "POST", "path": "/api/v2/logs/events/search"},
)

# --- error-tracking data ------------------------------------------------------------------------

trap(
    "b-rollbar-items-err-0",
    {
        "err": 0,
        "result": {
            "page": 1,
            "total_count": 2,
            "items": [
                {
                    "id": 1298374650,
                    "counter": 412,
                    "title": 'PG::UniqueViolation: ERROR: duplicate key value violates unique constraint "index_users_on_email"',
                    "level": "error",
                    "status": "active",
                    "environment": "production",
                    "total_occurrences": 93,
                },
                {
                    "id": 1298370011,
                    "counter": 409,
                    "title": "Net::ReadTimeout",
                    "level": "critical",
                    "status": "active",
                    "environment": "production",
                    "total_occurrences": 17,
                },
            ],
        },
    },
    "Rollbar item list: err=0 is the success envelope; titles about duplicate keys and timeouts are tracked errors",
    request={"method": "GET", "path": "/api/1/items?status=active&level=error"},
    holdout=True,
)
trap(
    "b-bugsnag-errors-list",
    [
        {
            "id": "5f1a2b3c4d5e6f7081920a1b",
            "error_class": "ActiveRecord::RecordNotFound",
            "message": "Couldn't find User with 'id'=991",
            "context": "UsersController#show",
            "severity": "error",
            "status": "open",
            "events": 311,
            "users": 120,
            "first_seen": "2024-09-28T11:02:00.000Z",
            "last_seen": "2024-10-03T09:01:44.000Z",
        },
        {
            "id": "5f1a2b3c4d5e6f7081920a2c",
            "error_class": "Stripe::CardError",
            "message": "Your card was declined.",
            "context": "CheckoutsController#create",
            "severity": "warning",
            "status": "snoozed",
            "events": 58,
            "users": 51,
        },
    ],
    "Bugsnag project errors: not-found and card-declined exceptions are the entities listed",
    request={"method": "GET", "path": "/projects/5f0a1b2c3d4e5f6071829304/errors?sort=last_seen"},
)

# --- documentation, schemas and message catalogues about errors ---------------------------------

trap(
    "b-graphql-introspection-error-enum",
    {
        "data": {
            "__type": {
                "name": "PaymentErrorCode",
                "kind": "ENUM",
                "description": "Possible error codes returned by payment mutations.",
                "enumValues": [
                    {"name": "CARD_DECLINED", "description": "The card was declined by the issuer."},
                    {"name": "INSUFFICIENT_FUNDS", "description": "The account does not have enough funds."},
                    {"name": "NOT_FOUND", "description": "The payment does not exist."},
                    {"name": "RATE_LIMITED", "description": "Too many payment attempts."},
                ],
            }
        }
    },
    "GraphQL introspection of an error-code enum: the schema description is the answer, no errors member",
    request={"method": "POST", "path": "/graphql"},
    holdout=True,
)
trap(
    "b-yaml-error-catalogue",
    "# Error catalogue for the Billing API (v3)\n"
    "errors:\n"
    "  - code: BILLING_402_CARD_DECLINED\n"
    "    http: 402\n"
    "    title: Card declined\n"
    "    detail: The issuing bank declined the charge.\n"
    "  - code: BILLING_409_DUPLICATE_INVOICE\n"
    "    http: 409\n"
    "    title: Invoice already exists\n"
    "  - code: BILLING_429_THROTTLED\n"
    "    http: 429\n"
    "    title: Too many requests\n"
    "    detail: Slow down; see the Retry-After header.\n",
    "YAML document describing the API's error codes, downloaded as documentation",
    content_type="application/yaml",
    request={"method": "GET", "path": "/docs/billing/errors.yaml"},
)
trap(
    "b-gettext-po-error-strings",
    'msgid ""\n'
    'msgstr ""\n'
    '"Language: pt_BR\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    "\n"
    'msgid "Payment failed"\n'
    'msgstr "Falha no pagamento"\n'
    "\n"
    'msgid "Your session has expired. Please sign in again."\n'
    'msgstr "Sua sessão expirou. Faça login novamente."\n'
    "\n"
    'msgid "Too many attempts. Try again in %d minutes."\n'
    'msgstr "Muitas tentativas. Tente novamente em %d minutos."\n',
    "gettext catalogue whose msgids/msgstrs are error messages, fetched as a file",
    content_type="text/x-gettext-translation; charset=utf-8",
    request={"method": "GET", "path": "/locales/pt_BR/LC_MESSAGES/checkout.po"},
    holdout=True,
)

# --- validators, risk scoring, dry runs ---------------------------------------------------------

trap(
    "b-json-schema-validate-false",
    {
        "schema": "order.v2",
        "valid": False,
        "errors": [
            {
                "instancePath": "/customer/email",
                "schemaPath": "#/properties/customer/properties/email/format",
                "keyword": "format",
                "params": {"format": "email"},
                "message": 'must match format "email"',
            },
            {
                "instancePath": "",
                "schemaPath": "#/required",
                "keyword": "required",
                "params": {"missingProperty": "currency"},
                "message": "must have required property 'currency'",
            },
        ],
    },
    "schema-validation service: its job is to validate the submitted document, valid=false with errors is its verdict",
    request={"method": "POST", "path": "/v1/schemas/order.v2/validate"},
)
trap(
    "b-w3c-nu-validator-messages",
    {
        "messages": [
            {
                "type": "error",
                "lastLine": 12,
                "firstColumn": 5,
                "lastColumn": 9,
                "message": "Element \u201cdiv\u201d not allowed as child of element \u201cul\u201d in this context.",
                "extract": "<ul>\n    <div class",
                "hiliteStart": 9,
                "hiliteLength": 5,
            },
            {
                "type": "info",
                "subType": "warning",
                "message": "Consider adding a \u201clang\u201d attribute to the \u201chtml\u201d start tag.",
            },
        ],
        "language": "en",
    },
    "W3C Nu HTML checker JSON output: the errors are findings about the checked document",
    request={"method": "POST", "path": "/?out=json", "headers": {"Content-Type": "text/html; charset=utf-8"}},
    holdout=True,
)
trap(
    "b-signup-form-prevalidate",
    {
        "valid": False,
        "errors": [
            {"field": "username", "code": "taken", "message": "This username is already taken"},
            {"field": "password", "code": "too_short", "message": "Password must be at least 12 characters"},
        ],
    },
    "as-you-type form pre-validation endpoint: it was asked whether the input is valid and answered no (subtle: nothing was submitted)",
    request={"method": "POST", "path": "/api/forms/signup/validate"},
)
trap(
    "b-sift-score-error-message-ok",
    {
        "status": 0,
        "error_message": "OK",
        "user_id": "billy_jones_301",
        "scores": {
            "payment_abuse": {
                "score": 0.898391231245,
                "reasons": [{"name": "UsersPerDevice", "value": "4", "details": {"users": "a, b, c, d"}}],
            }
        },
        "latest_decisions": {
            "payment_abuse": {
                "id": "user_looks_bad_payment_abuse",
                "category": "block",
                "source": "AUTOMATED_RULE",
                "time": 1727942400000,
            }
        },
        "latest_labels": {"payment_abuse": {"is_fraud": True, "time": 1727940000000}},
    },
    "Sift score: status 0 with error_message 'OK' is its success envelope; a block decision is the risk verdict",
    request={"method": "GET", "path": "/v205/users/billy_jones_301/score"},
    holdout=True,
)
trap(
    "b-minfraud-insights-warnings",
    {
        "id": "5bc5d6c2-b2c8-40af-87f4-6d61af86b6ae",
        "risk_score": 87.54,
        "funds_remaining": 24.16,
        "queries_remaining": 2418,
        "ip_address": {"risk": 91.0, "country": {"iso_code": "RO"}},
        "credit_card": {"issuer": {"name": "Bank of No Hope"}, "is_prepaid": True, "country": "US"},
        "warnings": [
            {
                "code": "BILLING_CITY_NOT_FOUND",
                "warning": "The billing city could not be found in our database. This may impact our ability to provide accurate distance information.",
                "input_pointer": "/billing/city",
            }
        ],
    },
    "MaxMind minFraud: high risk_score and a 'not found' warning about one input; funds_remaining is account credit left",
    request={"method": "POST", "path": "/minfraud/v2.0/insights"},
)
trap(
    "b-bulk-update-dry-run-would-fail",
    {
        "dry_run": True,
        "applied": False,
        "summary": {"total": 20, "would_update": 18, "would_fail": 2},
        "errors": [
            {"row": 4, "sku": "TS-BLK-XL", "error": "SKU not found"},
            {"row": 11, "sku": "MUG-01", "error": "price must be a positive number"},
        ],
    },
    "dry run of a bulk update: it was asked to report what would happen; would-be errors are its report",
    request={"method": "POST", "path": "/api/v1/products/bulk_update?dry_run=true"},
)

# --- test reports, mail and chat content, feature flags -----------------------------------------

trap(
    "b-junit-xml-report-artifact",
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<testsuites name="jest tests" tests="52" failures="2" errors="1" time="14.203">\n'
    '  <testsuite name="cart.test.ts" tests="12" failures="2" errors="0" skipped="0" time="1.118">\n'
    '    <testcase classname="cart" name="applies coupon" time="0.012">\n'
    '      <failure message="expect(received).toBe(expected)" type="AssertionError">Expected: 81\nReceived: 90</failure>\n'
    "    </testcase>\n"
    '    <testcase classname="cart" name="rejects expired coupon" time="0.004"/>\n'
    "  </testsuite>\n"
    '  <testsuite name="payment.test.ts" tests="9" failures="0" errors="1" time="5.402">\n'
    '    <testcase classname="payment" name="declined card shows error" time="5.001">\n'
    '      <error message="Exceeded timeout of 5000 ms for a test." type="Error"/>\n'
    "    </testcase>\n"
    "  </testsuite>\n"
    "</testsuites>\n",
    "JUnit XML report downloaded as a CI artifact: failures and errors are test results",
    content_type="application/xml",
    request={"method": "GET", "path": "/api/v4/projects/17/jobs/8812/artifacts/report.xml"},
)
trap(
    "b-mailgun-events-failed",
    {
        "items": [
            {
                "event": "failed",
                "severity": "permanent",
                "reason": "bounce",
                "recipient": "old.address@example.org",
                "timestamp": 1727951234.512,
                "id": "czsjqFATSlC3QtAK-C80nw",
                "delivery-status": {
                    "code": 550,
                    "message": "5.1.1 The email account that you tried to reach does not exist.",
                    "attempt-no": 1,
                },
                "message": {
                    "headers": {
                        "subject": "Your invoice #2024-118",
                        "message-id": "20241003101234.1.ABCD@mg.example.com",
                    }
                },
            }
        ],
        "paging": {
            "next": "https://api.mailgun.net/v3/mg.example.com/events/W3siYSI6IGZhbHNlfQ==",
            "previous": "https://api.mailgun.net/v3/mg.example.com/events/W3siYiI6IHRydWV9",
        },
    },
    "Mailgun events filtered on event=failed: a permanent bounce is the event asked for",
    request={"method": "GET", "path": "/v3/mg.example.com/events?event=failed"},
)
trap(
    "b-slack-history-deploy-failed",
    {
        "ok": True,
        "messages": [
            {
                "type": "message",
                "user": "U024BE7LH",
                "ts": "1727951301.000200",
                "text": ":x: Deploy of `payments-api` to production *failed*: migration 0042 raised `IntegrityError: duplicate key`",
            },
            {
                "type": "message",
                "subtype": "bot_message",
                "bot_id": "B0AB1CD2E",
                "ts": "1727951488.000300",
                "text": "Rollback completed. Error rate back to 0.1%, access denied alerts cleared.",
            },
        ],
        "has_more": False,
        "pin_count": 0,
        "response_metadata": {"next_cursor": ""},
    },
    "Slack conversations.history: ok=true; the message texts talk about a failed deploy",
    request={"method": "GET", "path": "/api/conversations.history?channel=C0DEPLOYS"},
    holdout=True,
)
trap(
    "b-unleash-features-error-names",
    {
        "version": 2,
        "features": [
            {
                "name": "checkout.show-payment-error-details",
                "type": "release",
                "enabled": True,
                "stale": False,
                "strategies": [{"name": "default"}],
            },
            {
                "name": "auth.fail-closed-on-idp-timeout",
                "type": "operational",
                "enabled": False,
                "stale": False,
                "strategies": [{"name": "default"}],
            },
            {
                "name": "kill-switch.retry-declined-cards",
                "type": "kill-switch",
                "enabled": True,
                "stale": False,
                "strategies": [{"name": "default"}],
            },
        ],
        "query": {"environment": "production"},
    },
    "Unleash client features: flag names mention errors, failing closed and declined cards",
    request={"method": "GET", "path": "/api/client/features"},
)

# --- zero counters and empty error arrays -------------------------------------------------------

trap(
    "b-es-bulk-errors-false",
    {
        "took": 30,
        "errors": False,
        "items": [
            {
                "index": {
                    "_index": "orders",
                    "_id": "1",
                    "_version": 1,
                    "result": "created",
                    "_shards": {"total": 2, "successful": 2, "failed": 0},
                    "_seq_no": 0,
                    "_primary_term": 1,
                    "status": 201,
                }
            },
            {
                "index": {
                    "_index": "orders",
                    "_id": "2",
                    "_version": 1,
                    "result": "created",
                    "_shards": {"total": 2, "successful": 2, "failed": 0},
                    "_seq_no": 1,
                    "_primary_term": 1,
                    "status": 201,
                }
            },
        ],
    },
    "Elasticsearch _bulk: errors=false, every item created, shards failed 0",
    request={"method": "POST", "path": "/_bulk"},
    holdout=True,
)
trap(
    "b-fcm-legacy-failure-0",
    {
        "multicast_id": 2163473290745631234,
        "success": 3,
        "failure": 0,
        "canonical_ids": 0,
        "results": [
            {"message_id": "0:1727951301%31bd1c9631bd1c96"},
            {"message_id": "0:1727951301%31bd1c9731bd1c97"},
            {"message_id": "0:1727951301%31bd1c9831bd1c98"},
        ],
    },
    "FCM legacy send: success=3, failure=0, every result has a message_id",
    request={"method": "POST", "path": "/fcm/send"},
)
trap(
    "b-kinesis-put-records-failed-0",
    {
        "FailedRecordCount": 0,
        "Records": [
            {
                "SequenceNumber": "49543463076548007577105092703039560359975228518395019266",
                "ShardId": "shardId-000000000000",
            },
            {
                "SequenceNumber": "49543463076570308322303623326179887152428262250726293522",
                "ShardId": "shardId-000000000001",
            },
        ],
        "EncryptionType": "NONE",
    },
    "Kinesis PutRecords: FailedRecordCount 0, every record has a sequence number",
    content_type="application/x-amz-json-1.1",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "Kinesis_20131202.PutRecords"}},
)
trap(
    "b-sqs-send-message-batch-failed-empty",
    {
        "Successful": [
            {
                "Id": "m1",
                "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274",
                "MD5OfMessageBody": "fafb00f5732ab283681e124bf8747ed1",
            },
            {
                "Id": "m2",
                "MessageId": "2b8e1f4c-6a3d-4e0f-9c5b-7d1a2e3f4b5c",
                "MD5OfMessageBody": "0cc175b9c0f1b6a831c399e269772661",
            },
        ],
        "Failed": [],
    },
    "SQS SendMessageBatch (JSON protocol): Failed is an empty list",
    content_type="application/x-amz-json-1.0",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "AmazonSQS.SendMessageBatch"}},
)
trap(
    "b-shopify-user-errors-empty",
    {
        "data": {
            "productCreate": {
                "product": {
                    "id": "gid://shopify/Product/1072481062",
                    "title": "Error 404 T-Shirt",
                    "handle": "error-404-t-shirt",
                    "status": "DRAFT",
                },
                "userErrors": [],
            }
        },
        "extensions": {
            "cost": {
                "requestedQueryCost": 10,
                "actualQueryCost": 10,
                "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1990, "restoreRate": 100.0},
            }
        },
    },
    "Shopify productCreate: userErrors empty, product created (its title happens to be 'Error 404 T-Shirt'); throttleStatus is just cost info",
    request={"method": "POST", "path": "/admin/api/2024-10/graphql.json"},
)

# --- success statuses with error-looking siblings -----------------------------------------------

trap(
    "b-replicate-succeeded-logs-mention-error",
    {
        "id": "gm3qorzdhgbfurvjtvhg6dckhu",
        "model": "stability-ai/sdxl",
        "version": "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
        "input": {"prompt": "a lighthouse at dusk", "num_inference_steps": 50},
        "logs": "Using seed: 4242\nWARNING: xformers not available, falling back\nerror fetching weights from mirror 1, retrying (1/3)... ok\n100%|##########| 50/50",
        "output": ["https://replicate.delivery/pbxt/abc123/out-0.png"],
        "error": None,
        "status": "succeeded",
        "metrics": {"predict_time": 7.1},
    },
    "Replicate prediction: status succeeded, error null, output present; the logs mention a retried error",
    request={"method": "GET", "path": "/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu"},
)
trap(
    "b-openai-batch-completed-some-failed",
    {
        "id": "batch_abc123",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "errors": None,
        "input_file_id": "file-abc123",
        "completion_window": "24h",
        "status": "completed",
        "output_file_id": "file-cvaTdG",
        "error_file_id": "file-HOWS94",
        "created_at": 1727900000,
        "completed_at": 1727903600,
        "failed_at": None,
        "expired_at": None,
        "request_counts": {"total": 100, "completed": 97, "failed": 3},
        "metadata": None,
    },
    "OpenAI batch read: status completed, errors null; 3 of 100 requests failed inside the batch (partial, data)",
    request={"method": "GET", "path": "/v1/batches/batch_abc123"},
    holdout=True,
)
trap(
    "b-status-success-empty-error-fields",
    {
        "status": "success",
        "error": "",
        "error_code": 0,
        "error_description": "",
        "data": {"export_id": "exp_55812", "rows": 1200, "url": "https://files.example.com/exp_55812.csv"},
    },
    "status success with empty error string, error_code 0, and the export's data",
)

# --- RSS, HTML and Markdown text ----------------------------------------------------------------

trap(
    "b-rss-incident-history-feed",
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
    "<title>Acme Status - Incident History</title>\n<link>https://status.acme.io</link>\n"
    "<description>Statuspage</description>\n"
    "<item>\n<title>Increased error rates on card payments</title>\n"
    "<description>&lt;p&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Card authorisations were failing for about 4% of requests. "
    "Declined-payment errors have returned to normal levels.&lt;/p&gt;</description>\n"
    "<pubDate>Thu, 03 Oct 2024 08:40:00 +0000</pubDate>\n<link>https://status.acme.io/incidents/p31zjtct2jer</link>\n</item>\n"
    "<item>\n<title>Login failures for SSO users</title>\n"
    "<description>&lt;p&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Some SAML logins failed with 401 Unauthorized.&lt;/p&gt;</description>\n"
    "<pubDate>Tue, 01 Oct 2024 14:05:00 +0000</pubDate>\n</item>\n"
    "</channel>\n</rss>\n",
    "status-page RSS feed whose items are past incidents about errors and failures",
    content_type="application/rss+xml; charset=utf-8",
    request={"method": "GET", "path": "/history.rss"},
)
trap(
    "b-html-email-template-payment-failed",
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Payment failed</title></head>\n'
    '<body style="font-family:Arial,sans-serif">\n<table role="presentation" width="100%"><tr><td>\n'
    "<h1>We couldn't process your payment</h1>\n"
    "<p>Hi {{first_name}}, your card ending in {{last4}} was declined. Please update your payment method "
    "to avoid interruption of your subscription.</p>\n"
    '<a href="{{update_url}}" style="background:#635bff;color:#fff;padding:12px 20px">Update payment method</a>\n'
    "</td></tr></table>\n</body></html>\n",
    "preview of the 'payment failed' e-mail template, requested as HTML: the page is the template (subtle)",
    content_type="text/html; charset=utf-8",
    request={
        "method": "GET",
        "path": "/api/email-templates/payment-failed/preview",
        "headers": {"Accept": "text/html"},
    },
)
trap(
    "b-markdown-changelog-fixed-errors",
    "# Changelog\n\n"
    "## 4.2.1 - 2024-10-01\n\n"
    "### Fixed\n"
    "- `Error: invalid token` is no longer raised when the session cookie is refreshed.\n"
    "- Declined cards no longer leave orders stuck in `payment_failed`.\n"
    "- `404 Not Found` on `/v2/orders/{id}/refunds` for orders without refunds: now an empty list.\n\n"
    "### Changed\n"
    "- Rate limit raised to 600 requests per minute; `429 Too Many Requests` responses now include `Retry-After`.\n",
    "CHANGELOG.md fetched as text: it describes fixed errors",
    content_type="text/markdown; charset=utf-8",
    request={"method": "GET", "path": "/acme/sdk/raw/main/CHANGELOG.md"},
)
