"""Failures that are not at the top level of the body: a status or error one or two members
down (``result``, ``data``, ``response.header``, ``meta``, ``payload``, ``body``, ASP.NET ``d``,
wrappers named after the method), entity states that are the answer to the call (payment
intents, charges, transfers, KYC checks, orders, withdrawals, and their success or in-progress
counterparts), batch and bulk responses (JSON-RPC batches, Elasticsearch ``_bulk``, Salesforce
collections, Firestore ``batchWrite``, Kinesis ``PutRecords``, Mandrill sends: every item failed
is a failure, some items failed is not), and GraphQL payloads (top-level ``errors``, mutation
payload errors, ``userErrors``, union error types, partial data).  Traps: lists of entities
some of which failed, zero error counters, empty error lists, ``error: null`` members, allowed
step failures inside a successful deployment, and empty search results.
"""

from tests.semantic_errors.shapes import Part

PART = Part("nesting")

# --------------------------------------------------------------------------------------------
# Failures one or two levels down
# --------------------------------------------------------------------------------------------

PART.add(
    "result-status-failed",
    200,
    {
        "requestId": "b7e0c1d2-5a44-4f3e-9c1e-0f1b2a7d9e11",
        "result": {
            "status": "FAILED",
            "reason": "Shipment cannot be booked: requested pickup date 2024-12-25 is a carrier holiday",
            "shipmentId": None,
        },
    },
    "generic_business_error",
    "result.status FAILED with a business reason; no shipment id",
    request={"method": "POST", "path": "/api/v2/shipments"},
)

PART.add(
    "data-success-false-error-object",
    200,
    '{"data":{"success":false,"error":{"code":"INVALID_PHONE_NUMBER","message":"to must be an E.164 number, got \'0612 345 678\'","param":"to"}},"meta":{"version":"3.2"}}',
    "validation",
    "data.success false, data.error names an invalid parameter",
    request={"method": "POST", "path": "/v3/sms/send"},
    holdout=True,
)

PART.add(
    "kr-datagokr-resultcode-99",
    200,
    {"response": {"header": {"resultCode": "99", "resultMsg": "UNKNOWN_ERROR"}, "body": None}},
    "generic_business_error",
    "Korean public data portal: response.header.resultCode 99 UNKNOWN_ERROR, body null",
    content_type="application/json;charset=UTF-8",
    request={
        "method": "GET",
        "path": "/1360000/VilageFcstInfoService_2.0/getVilageFcst?dataType=JSON&base_date=20240612",
    },
)

PART.add(
    "kr-datagokr-normal-service",
    200,
    {
        "response": {
            "header": {"resultCode": "00", "resultMsg": "NORMAL_SERVICE"},
            "body": {
                "dataType": "JSON",
                "items": {
                    "item": [
                        {
                            "baseDate": "20240612",
                            "baseTime": "0500",
                            "category": "TMP",
                            "fcstDate": "20240612",
                            "fcstTime": "0600",
                            "fcstValue": "19",
                            "nx": 60,
                            "ny": 127,
                        },
                        {
                            "baseDate": "20240612",
                            "baseTime": "0500",
                            "category": "UUU",
                            "fcstDate": "20240612",
                            "fcstTime": "0600",
                            "fcstValue": "-0.7",
                            "nx": 60,
                            "ny": 127,
                        },
                        {
                            "baseDate": "20240612",
                            "baseTime": "0500",
                            "category": "POP",
                            "fcstDate": "20240612",
                            "fcstTime": "0600",
                            "fcstValue": "20",
                            "nx": 60,
                            "ny": 127,
                        },
                    ]
                },
                "pageNo": 1,
                "numOfRows": 3,
                "totalCount": 809,
            },
        }
    },
    None,
    "resultCode 00 NORMAL_SERVICE with forecast items: success",
    content_type="application/json;charset=UTF-8",
    request={"method": "GET", "path": "/1360000/VilageFcstInfoService_2.0/getVilageFcst?dataType=JSON&numOfRows=3"},
)

PART.add(
    "foursquare-meta-param-error",
    200,
    {
        "meta": {
            "code": 400,
            "errorType": "param_error",
            "errorDetail": "Value 91.5,-200.1 is invalid for ll: latitude must be between -90 and 90",
            "requestId": "665f0a8e4b2c3d1a7e9f0b12",
        },
        "response": {},
    },
    "validation",
    "Foursquare v2 envelope: meta.code 400 param_error, empty response",
    request={"method": "GET", "path": "/v2/venues/search?ll=91.5,-200.1&v=20231010"},
)

PART.add(
    "payload-outcome-error-not-found",
    200,
    {
        "meta": {"apiVersion": "2.4", "correlationId": "c-19f2aa"},
        "payload": {
            "outcome": "error",
            "errorCode": "CONSIGNMENT_NOT_FOUND",
            "message": "No consignment matches tracking number JD014600006281234567",
        },
    },
    "not_found",
    "payload.outcome error, code CONSIGNMENT_NOT_FOUND",
    request={"method": "GET", "path": "/tracking/v2/consignments/JD014600006281234567"},
    holdout=True,
)

PART.add(
    "body-error-token-expired",
    200,
    """{
  "header": {
    "messageId": "7d1c9e0a-3f55-4d8b-b0a6-5c2f11e0c9aa",
    "timestamp": "2024-06-12T08:14:03.512Z"
  },
  "body": {
    "error": {
      "code": "TOKEN_EXPIRED",
      "description": "The access token expired at 2024-06-12T08:00:00Z; request a new one"
    }
  }
}""",
    "auth_failure",
    "header/body envelope; body.error TOKEN_EXPIRED",
    request={"method": "POST", "path": "/openapi/v1/accounts/balance"},
)

PART.add(
    "aspnet-d-wrapper-duplicate",
    200,
    {
        "d": {
            "__type": "Contoso.Web.Services.OperationResult",
            "Success": False,
            "error": "A customer with the e-mail address m.keller@example.de already exists.",
            "Data": None,
        }
    },
    "conflict",
    "ASP.NET AJAX 'd' wrapper: Success false, error says the customer already exists",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/Services/CustomerService.asmx/RegisterCustomer"},
    holdout=True,
)

PART.add(
    "method-wrapper-createorderresponse-error",
    200,
    {
        "createOrderResponse": {
            "status": "ERROR",
            "orderId": None,
            "errors": [
                {"code": "E1021", "field": "lines[1].quantity", "message": "Quantity must be a positive integer"},
            ],
        }
    },
    "validation",
    "wrapper named after the method, status ERROR with a field error",
    request={"method": "POST", "path": "/orderservice/createOrder"},
)

PART.add(
    "outer-ok-inner-rate-limited",
    200,
    {
        "status": "ok",
        "response": {
            "success": False,
            "error": {
                "code": 429,
                "message": "Too many requests: 120 calls per minute allowed for this app",
                "retryAfter": 37,
            },
        },
    },
    "rate_limit",
    "outer status ok is the gateway's; response.error says too many requests",
    request={"method": "GET", "path": "/api/v1/quotes?symbols=AAPL,MSFT"},
)

# --------------------------------------------------------------------------------------------
# Entity states that are the answer to the call
# --------------------------------------------------------------------------------------------

PART.add(
    "stripe-pi-confirm-requires-payment-method",
    200,
    {
        "id": "pi_3PQx2vLkdIwHu7ix0cQ4aB1Z",
        "object": "payment_intent",
        "amount": 4900,
        "currency": "eur",
        "status": "requires_payment_method",
        "last_payment_error": {
            "charge": "ch_3PQx2vLkdIwHu7ix0Ab9ZzQ1",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card has insufficient funds.",
            "type": "card_error",
        },
        "payment_method": None,
        "livemode": False,
    },
    "payment",
    "confirm sent the intent back to requires_payment_method with a card_declined last_payment_error",
    request={"method": "POST", "path": "/v1/payment_intents/pi_3PQx2vLkdIwHu7ix0cQ4aB1Z/confirm"},
)

PART.add(
    "omise-charge-failed-insufficient-fund",
    200,
    {
        "object": "charge",
        "id": "chrg_test_5yzdq2oj3a4gnh0q1ki",
        "location": "/charges/chrg_test_5yzdq2oj3a4gnh0q1ki",
        "amount": 125000,
        "currency": "THB",
        "authorized": False,
        "paid": False,
        "status": "failed",
        "failure_code": "insufficient_fund",
        "failure_message": "insufficient funds in the account or the card has reached the credit limit",
        "transaction": None,
    },
    "payment",
    "the created charge is failed with failure_code insufficient_fund",
    request={"method": "POST", "path": "/charges"},
    holdout=True,
)

PART.add(
    "transfer-status-rejected",
    200,
    {
        "id": "tr_01HZX4K8Q2M7",
        "object": "transfer",
        "amount": "2500.00",
        "currency": "GBP",
        "status": "rejected",
        "rejection_reason": "beneficiary_account_closed",
        "rejection_message": "The receiving bank reports that account 12345678 / 40-47-84 is closed",
        "created_at": "2024-06-12T09:31:00Z",
    },
    "generic_business_error",
    "the submitted transfer came back rejected (beneficiary account closed)",
    request={"method": "POST", "path": "/v1/transfers"},
)

PART.add(
    "kyc-decision-declined",
    200,
    {
        "status": "success",
        "verification": {
            "id": "f04bdb47-d3be-4b28-b028-a652feb060b5",
            "status": "declined",
            "decision": "declined",
            "code": 9102,
            "reason": "Physical document not used",
            "reasonCode": 102,
            "decisionTime": "2024-06-12T10:02:11.000Z",
        },
    },
    "generic_business_error",
    "synchronous identity check answered decision declined; the top status is the transport's",
    request={"method": "POST", "path": "/v1/verifications/check"},
    holdout=True,
)

PART.add(
    "adyen-resultcode-refused",
    200,
    {
        "additionalData": {"cardSummary": "0002", "paymentMethod": "visa"},
        "pspReference": "NC6HT9CRT65ZGN82",
        "refusalReason": "Not enough balance",
        "resultCode": "Refused",
        "refusalReasonCode": "12",
        "merchantReference": "order-10293",
        "amount": {"currency": "EUR", "value": 1000},
    },
    "payment",
    "Adyen /payments resultCode Refused, refusalReason Not enough balance",
    request={"method": "POST", "path": "/v71/payments"},
)

PART.add(
    "broker-order-state-rejected",
    200,
    {
        "order": {
            "clientOrderId": "strat7-20240612-000183",
            "orderId": "8842190375",
            "symbol": "VOD.L",
            "side": "BUY",
            "qty": 5000,
            "state": "REJECTED",
            "rejectReason": "MARKET_CLOSED",
            "text": "Order rejected: instrument is not in a trading session",
        }
    },
    "generic_business_error",
    "the placed order came back state REJECTED (market closed)",
    request={"method": "POST", "path": "/api/v2/orders"},
    holdout=True,
)

PART.add(
    "withdrawal-status-denied",
    200,
    {
        "withdrawal": {
            "id": "wd_7c1e0b55",
            "asset": "USDT",
            "network": "TRC20",
            "amount": "1500.00",
            "address": "TQ5NcZ4dK2mX9w8pR3yVb1aH7sJfL6uE0g",
            "status": "DENIED",
            "denialReason": "Destination address failed risk screening",
        }
    },
    "generic_business_error",
    "the requested withdrawal is DENIED with a reason",
    request={"method": "POST", "path": "/api/v3/withdrawals"},
)

PART.add(
    "checkout-201-declined-insufficient",
    201,
    {
        "id": "pay_mbabizu24mvu3mela5njyhpit4",
        "action_id": "act_mbabizu24mvu3mela5njyhpit4",
        "amount": 6540,
        "currency": "USD",
        "approved": False,
        "status": "Declined",
        "auth_code": None,
        "response_code": "20051",
        "response_summary": "Insufficient Funds",
        "reference": "ORD-5023-4E89",
        "_links": {"self": {"href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4"}},
    },
    "payment",
    "201 Created for the payment, but approved false, status Declined, Insufficient Funds",
    request={"method": "POST", "path": "/payments"},
)

PART.add(
    "adyen-resultcode-authorised",
    200,
    {
        "additionalData": {"authCode": "036315", "cardSummary": "1111"},
        "pspReference": "QFQTPCQ8HXSKGK82",
        "resultCode": "Authorised",
        "amount": {"currency": "EUR", "value": 2599},
        "merchantReference": "order-10294",
    },
    None,
    "resultCode Authorised: the payment went through",
    request={"method": "POST", "path": "/v71/payments"},
)

PART.add(
    "stripe-pi-processing-sepa",
    200,
    {
        "id": "pi_3PQyA1LkdIwHu7ix1hV0m2Xc",
        "object": "payment_intent",
        "amount": 12000,
        "currency": "eur",
        "payment_method_types": ["sepa_debit"],
        "status": "processing",
        "last_payment_error": None,
        "next_action": None,
    },
    None,
    "SEPA debit intent is processing: in progress, not failed",
    request={"method": "POST", "path": "/v1/payment_intents/pi_3PQyA1LkdIwHu7ix1hV0m2Xc/confirm"},
    holdout=True,
)

PART.add(
    "square-payment-approved-authorized",
    200,
    {
        "payment": {
            "id": "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY",
            "amount_money": {"amount": 1500, "currency": "USD"},
            "status": "APPROVED",
            "delay_action": "CANCEL",
            "source_type": "CARD",
            "card_details": {
                "status": "AUTHORIZED",
                "card": {"card_brand": "VISA", "last_4": "1111", "exp_month": 11, "exp_year": 2026},
                "cvv_status": "CVV_ACCEPTED",
                "avs_status": "AVS_ACCEPTED",
            },
            "location_id": "L88917AVBK2S5",
            "order_id": "pRsjRTgFWATl7so6DxdKBJa7ssbZY",
        }
    },
    None,
    "Square CreatePayment with autocomplete false: APPROVED / card AUTHORIZED is success",
    request={"method": "POST", "path": "/v2/payments"},
)

# --------------------------------------------------------------------------------------------
# Batches and bulk APIs
# --------------------------------------------------------------------------------------------

PART.add(
    "jsonrpc-batch-all-invalid-params",
    200,
    '[{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid argument 0: hex string without 0x prefix"}},'
    '{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"invalid argument 0: hex string has length 39, want 40 for common.Address"}}]',
    "validation",
    "JSON-RPC 2.0 batch where every element is a -32602 invalid params error",
    request={"method": "POST", "path": "/"},
)

PART.add(
    "jsonrpc-batch-some-errors",
    200,
    [
        {"jsonrpc": "2.0", "id": 1, "result": "0x13c1f2a"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "error": {"code": -32601, "message": "the method eth_getBlockReceipt does not exist/is not available"},
        },
        {"jsonrpc": "2.0", "id": 3, "result": "0x2386f26fc10000"},
    ],
    None,
    "batch with one failed element among successes: not a failed call",
    request={"method": "POST", "path": "/v3/9aa3d95b3bc440fa88ea12eaa4456161"},
    holdout=True,
)

PART.add(
    "es-bulk-all-version-conflict",
    200,
    {
        "took": 3,
        "errors": True,
        "items": [
            {
                "create": {
                    "_index": "orders-2024.06",
                    "_id": "1001",
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": "[1001]: version conflict, document already exists (current version [1])",
                        "index_uuid": "aAsFqTI0Tc2W0LCWgPNrOA",
                        "shard": "0",
                        "index": "orders-2024.06",
                    },
                }
            },
            {
                "create": {
                    "_index": "orders-2024.06",
                    "_id": "1002",
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": "[1002]: version conflict, document already exists (current version [3])",
                        "index_uuid": "aAsFqTI0Tc2W0LCWgPNrOA",
                        "shard": "1",
                        "index": "orders-2024.06",
                    },
                }
            },
        ],
    },
    "conflict",
    "_bulk: every create item 409 version_conflict (document already exists)",
    request={"method": "POST", "path": "/_bulk"},
)

PART.add(
    "es-bulk-some-failed",
    200,
    {
        "took": 30,
        "errors": True,
        "items": [
            {
                "index": {
                    "_index": "logs",
                    "_id": "a1",
                    "_version": 1,
                    "result": "created",
                    "status": 201,
                    "_seq_no": 55,
                    "_primary_term": 1,
                }
            },
            {
                "index": {
                    "_index": "logs",
                    "_id": "a2",
                    "status": 400,
                    "error": {
                        "type": "document_parsing_exception",
                        "reason": "[1:42] failed to parse field [bytes] of type [long] in document with id 'a2'",
                    },
                }
            },
            {
                "index": {
                    "_index": "logs",
                    "_id": "a3",
                    "_version": 1,
                    "result": "created",
                    "status": 201,
                    "_seq_no": 56,
                    "_primary_term": 1,
                }
            },
        ],
    },
    None,
    "_bulk errors true but only one of three items failed: partial, not a call failure",
    request={"method": "POST", "path": "/logs/_bulk"},
    holdout=True,
)

PART.add(
    "salesforce-collection-all-or-none-failed",
    200,
    [
        {
            "success": False,
            "errors": [
                {
                    "statusCode": "REQUIRED_FIELD_MISSING",
                    "message": "Required fields are missing: [LastName]",
                    "fields": ["LastName"],
                }
            ],
        },
        {
            "success": False,
            "errors": [
                {
                    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                    "message": "Record rolled back because not all records were valid and the request was using AllOrNone header",
                    "fields": [],
                }
            ],
        },
    ],
    "validation",
    "sObject collection with allOrNone: every record failed, the cause is a missing required field",
    request={"method": "POST", "path": "/services/data/v60.0/composite/sobjects"},
    holdout=True,
)

PART.add(
    "salesforce-collection-some-failed",
    200,
    [
        {"id": "0035g00000ZkT1qAAF", "success": True, "errors": []},
        {
            "success": False,
            "errors": [{"statusCode": "DUPLICATES_DETECTED", "message": "Use one of these records?", "fields": []}],
        },
        {"id": "0035g00000ZkT1rAAF", "success": True, "errors": []},
    ],
    None,
    "collection where one record of three failed: partial success",
    request={"method": "POST", "path": "/services/data/v60.0/composite/sobjects"},
)

PART.add(
    "mandrill-send-all-rejected",
    200,
    [
        {
            "email": "old.address@example.org",
            "status": "rejected",
            "_id": "abc123abc123abc123abc123abc123",
            "reject_reason": "hard-bounce",
            "queued_reason": None,
        },
        {
            "email": "noreply-test@example.net",
            "status": "rejected",
            "_id": "def456def456def456def456def456",
            "reject_reason": "unsub",
            "queued_reason": None,
        },
    ],
    "generic_business_error",
    "messages/send: every recipient rejected, nothing was sent",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/1.0/messages/send"},
)

PART.add(
    "firestore-batchwrite-all-permission-denied",
    200,
    {
        "writeResults": [{}, {}, {}],
        "status": [
            {"code": 7, "message": "Missing or insufficient permissions."},
            {"code": 7, "message": "Missing or insufficient permissions."},
            {"code": 7, "message": "Missing or insufficient permissions."},
        ],
    },
    "auth_failure",
    "batchWrite: every write status is code 7 PERMISSION_DENIED",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/v1/projects/acme-prod/databases/(default)/documents:batchWrite"},
    holdout=True,
)

PART.add(
    "kinesis-putrecords-all-throttled",
    200,
    {
        "FailedRecordCount": 3,
        "Records": [
            {
                "ErrorCode": "ProvisionedThroughputExceededException",
                "ErrorMessage": "Rate exceeded for shard shardId-000000000001 in stream clickstream under account 111122223333.",
            },
            {
                "ErrorCode": "ProvisionedThroughputExceededException",
                "ErrorMessage": "Rate exceeded for shard shardId-000000000001 in stream clickstream under account 111122223333.",
            },
            {
                "ErrorCode": "ProvisionedThroughputExceededException",
                "ErrorMessage": "Rate exceeded for shard shardId-000000000002 in stream clickstream under account 111122223333.",
            },
        ],
        "EncryptionType": "KMS",
    },
    "rate_limit",
    "PutRecords: all 3 records failed with ProvisionedThroughputExceeded (throttled)",
    content_type="application/x-amz-json-1.1",
    headers={"x-amzn-RequestId": "f1a2b3c4-0d5e-4f60-8a7b-9c0d1e2f3a4b"},
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "Kinesis_20131202.PutRecords"}},
)

# --------------------------------------------------------------------------------------------
# GraphQL
# --------------------------------------------------------------------------------------------

PART.add(
    "graphql-mutation-payload-email-taken",
    200,
    {"data": {"createUser": {"user": None, "errors": [{"field": "email", "message": "has already been taken"}]}}},
    "conflict",
    "mutation payload: user null, errors say the email has already been taken",
    request={"method": "POST", "path": "/graphql"},
)

PART.add(
    "graphql-top-level-errors-data-null",
    200,
    {
        "errors": [
            {
                "message": 'Variable "$first" got invalid value -5; Expected a non-negative integer.',
                "locations": [{"line": 1, "column": 16}],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
        "data": None,
    },
    "validation",
    "top-level errors with data null: the query did not run (bad variable)",
    request={"method": "POST", "path": "/graphql"},
)

PART.add(
    "github-graphql-repository-not-found",
    200,
    {
        "data": {"repository": None},
        "errors": [
            {
                "type": "NOT_FOUND",
                "path": ["repository"],
                "locations": [{"line": 2, "column": 3}],
                "message": "Could not resolve to a Repository with the name 'octo-org/does-not-exist'.",
            }
        ],
    },
    "not_found",
    "the only root field is null and the error is NOT_FOUND",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/graphql"},
    holdout=True,
)

PART.add(
    "graphql-partial-data",
    200,
    {
        "errors": [
            {
                "message": "Avatar service unavailable",
                "locations": [{"line": 5, "column": 7}],
                "path": ["viewer", "avatarUrl"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
        "data": {
            "viewer": {"id": "VXNlcjo0Mg==", "name": "Ana Souza", "avatarUrl": None},
            "notifications": {
                "totalCount": 3,
                "nodes": [{"id": "n1", "read": False}, {"id": "n2", "read": True}, {"id": "n3", "read": True}],
            },
        },
    },
    None,
    "partial data: one nullable leaf failed, the rest of the query answered",
    request={"method": "POST", "path": "/graphql"},
)

PART.add(
    "graphql-union-invalid-credentials",
    200,
    '{"data":{"login":{"__typename":"InvalidCredentials","message":"Email or password is incorrect.","remainingAttempts":4}}}',
    "auth_failure",
    "login mutation returned the InvalidCredentials member of its result union",
    request={"method": "POST", "path": "/api/graphql"},
    holdout=True,
)

PART.add(
    "shopify-usererrors-title-blank",
    200,
    {
        "data": {
            "productCreate": {
                "product": None,
                "userErrors": [{"field": ["input", "title"], "message": "Title can't be blank"}],
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
    "validation",
    "Shopify productCreate: product null, userErrors says title can't be blank",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
)

PART.add(
    "shopify-graphql-throttled",
    200,
    {
        "errors": [
            {
                "message": "Throttled",
                "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"},
            }
        ],
        "extensions": {
            "cost": {
                "requestedQueryCost": 752,
                "actualQueryCost": None,
                "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 12, "restoreRate": 50.0},
            }
        },
    },
    "rate_limit",
    "GraphQL errors with code THROTTLED, no data",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
)

# --------------------------------------------------------------------------------------------
# Traps: look like failures, are not
# --------------------------------------------------------------------------------------------

PART.add(
    "trap-stripe-charges-list-some-failed",
    200,
    {
        "object": "list",
        "data": [
            {
                "id": "ch_3PQz01LkdIwHu7ix0aaa0001",
                "object": "charge",
                "amount": 2000,
                "currency": "usd",
                "paid": True,
                "status": "succeeded",
                "failure_code": None,
                "failure_message": None,
            },
            {
                "id": "ch_3PQz01LkdIwHu7ix0aaa0002",
                "object": "charge",
                "amount": 4500,
                "currency": "usd",
                "paid": False,
                "status": "failed",
                "failure_code": "card_declined",
                "failure_message": "Your card was declined.",
                "outcome": {
                    "network_status": "declined_by_network",
                    "reason": "generic_decline",
                    "type": "issuer_declined",
                },
            },
            {
                "id": "ch_3PQz01LkdIwHu7ix0aaa0003",
                "object": "charge",
                "amount": 990,
                "currency": "usd",
                "paid": True,
                "status": "succeeded",
                "failure_code": None,
                "failure_message": None,
            },
        ],
        "has_more": True,
        "url": "/v1/charges",
    },
    None,
    "listing charges: a failed charge in the list is data, the GET succeeded",
    request={"method": "GET", "path": "/v1/charges?limit=3"},
    trap=True,
)

PART.add(
    "trap-gitlab-job-history-failed",
    200,
    [
        {
            "id": 7001233,
            "name": "rspec 3/4",
            "stage": "test",
            "status": "failed",
            "failure_reason": "script_failure",
            "allow_failure": False,
            "ref": "main",
            "duration": 412.7,
            "web_url": "https://gitlab.example.com/acme/shop/-/jobs/7001233",
        },
        {
            "id": 7001198,
            "name": "rubocop",
            "stage": "lint",
            "status": "failed",
            "failure_reason": "script_failure",
            "allow_failure": False,
            "ref": "feat/checkout",
            "duration": 61.2,
            "web_url": "https://gitlab.example.com/acme/shop/-/jobs/7001198",
        },
        {
            "id": 7000954,
            "name": "build-image",
            "stage": "build",
            "status": "failed",
            "failure_reason": "runner_system_failure",
            "allow_failure": False,
            "ref": "main",
            "duration": 5.0,
            "web_url": "https://gitlab.example.com/acme/shop/-/jobs/7000954",
        },
    ],
    None,
    "job history filtered on failed jobs: the list is the answer",
    headers={"X-Total": "3", "X-Page": "1"},
    request={"method": "GET", "path": "/api/v4/projects/42/jobs?scope[]=failed"},
    trap=True,
    holdout=True,
)

PART.add(
    "trap-data-errors-count-zero",
    200,
    {
        "data": {
            "importId": "imp_2024_06_12_0007",
            "state": "completed",
            "rows_processed": 1200,
            "errors_count": 0,
            "warnings_count": 2,
            "error_report_url": None,
        }
    },
    None,
    "import finished with errors_count 0",
    request={"method": "GET", "path": "/v1/imports/imp_2024_06_12_0007"},
    trap=True,
)

PART.add(
    "trap-result-errors-empty",
    200,
    {"result": {"valid": True, "errors": [], "warnings": [], "checked_rules": 48}},
    None,
    "validation endpoint: result.errors empty, valid true",
    request={"method": "POST", "path": "/v1/config/validate"},
    trap=True,
)

PART.add(
    "trap-graphql-data-error-field-null",
    200,
    {
        "data": {
            "importJob": {
                "id": "SW1wb3J0Sm9iOjk5MQ==",
                "state": "COMPLETED",
                "rowsImported": 5120,
                "error": None,
                "finishedAt": "2024-06-12T07:58:44Z",
            }
        }
    },
    None,
    "GraphQL query whose selected 'error' field is null; job completed",
    request={"method": "POST", "path": "/graphql"},
    trap=True,
    holdout=True,
)

PART.add(
    "trap-deployment-success-allowed-step-failure",
    200,
    {
        "deployment": {
            "id": 88123,
            "environment": "production",
            "status": "success",
            "steps": [
                {"name": "lint", "status": "failed", "allow_failure": True},
                {"name": "build", "status": "success", "allow_failure": False},
                {"name": "deploy", "status": "success", "allow_failure": False},
            ],
            "finished_at": "2024-06-12T11:20:05Z",
        }
    },
    None,
    "deployment status success; the failed step was allowed to fail",
    request={"method": "POST", "path": "/api/v1/deployments"},
    trap=True,
)

PART.add(
    "trap-search-empty-results",
    200,
    {
        "query": "xqzvv wirless headphnes",
        "results": [],
        "total": 0,
        "page": 1,
        "per_page": 20,
        "suggestions": ["wireless headphones"],
    },
    None,
    "a search with no hits is a valid answer, not not_found",
    request={"method": "GET", "path": "/api/search?q=xqzvv+wirless+headphnes"},
    trap=True,
    holdout=True,
)

PART.add(
    "trap-shopify-usererrors-empty",
    200,
    {
        "data": {
            "productUpdate": {
                "product": {"id": "gid://shopify/Product/8123456789", "title": "Merino Crew Sock", "status": "ACTIVE"},
                "userErrors": [],
            }
        },
        "extensions": {"cost": {"requestedQueryCost": 10, "actualQueryCost": 10}},
    },
    None,
    "productUpdate with empty userErrors and the product returned",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
    trap=True,
)

PART.add(
    "trap-razorpay-captured-error-null",
    200,
    {
        "id": "pay_OD8mQ2lY0v1XcR",
        "entity": "payment",
        "amount": 50000,
        "currency": "INR",
        "status": "captured",
        "method": "upi",
        "captured": True,
        "error_code": None,
        "error_description": None,
        "error_source": None,
        "error_step": None,
        "error_reason": None,
        "created_at": 1718181122,
    },
    None,
    "capture succeeded: status captured, error_* members all null",
    request={"method": "POST", "path": "/v1/payments/pay_OD8mQ2lY0v1XcR/capture"},
    trap=True,
)

PART.add(
    "trap-stripe-pi-succeeded-last-error-null",
    200,
    {
        "id": "pi_3PR0b2LkdIwHu7ix1Kd8sTq4",
        "object": "payment_intent",
        "amount": 2599,
        "amount_received": 2599,
        "currency": "usd",
        "status": "succeeded",
        "last_payment_error": None,
        "latest_charge": "ch_3PR0b2LkdIwHu7ix1Zr0aQ7e",
        "cancellation_reason": None,
    },
    None,
    "payment intent succeeded; last_payment_error is null",
    request={"method": "POST", "path": "/v1/payment_intents/pi_3PR0b2LkdIwHu7ix1Kd8sTq4/confirm"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# A few non-2xx with the error nested
# --------------------------------------------------------------------------------------------

PART.add(
    "foursquare-401-invalid-auth",
    401,
    {
        "meta": {
            "code": 401,
            "errorType": "invalid_auth",
            "errorDetail": "OAuth token invalid or revoked.",
            "requestId": "665f0b1c8a9d2e0012f4c3b7",
        },
        "response": {},
    },
    "auth_failure",
    "401 with meta.errorType invalid_auth",
    request={"method": "GET", "path": "/v2/users/self/checkins"},
)

PART.add(
    "stripe-402-card-error-nested",
    402,
    {
        "error": {
            "charge": "ch_3PR1c3LkdIwHu7ix0Qw3eR5t",
            "code": "card_declined",
            "decline_code": "do_not_honor",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card was declined.",
            "payment_intent": {
                "id": "pi_3PR1c3LkdIwHu7ix0Yb2nM8k",
                "object": "payment_intent",
                "status": "requires_payment_method",
            },
            "type": "card_error",
        }
    },
    "payment",
    "402 card_error with the payment intent nested inside the error",
    request={"method": "POST", "path": "/v1/payment_intents/pi_3PR1c3LkdIwHu7ix0Yb2nM8k/confirm"},
)

PART.add(
    "apollo-400-graphql-validation-failed",
    400,
    {
        "errors": [
            {
                "message": 'Cannot query field "emial" on type "User". Did you mean "email"?',
                "locations": [{"line": 3, "column": 5}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    },
    "validation",
    "400 GraphQL document failed validation",
    content_type="application/graphql-response+json; charset=utf-8",
    request={"method": "POST", "path": "/graphql"},
)

PART.add(
    "google-403-nested-reason-rate-limit",
    403,
    {
        "error": {
            "code": 403,
            "message": "User Rate Limit Exceeded",
            "errors": [
                {"message": "User Rate Limit Exceeded", "domain": "usageLimits", "reason": "userRateLimitExceeded"}
            ],
        }
    },
    "rate_limit",
    "403, but the nested errors[].reason is userRateLimitExceeded: rate limit is more specific",
    content_type="application/json; charset=UTF-8",
    request={"method": "GET", "path": "/drive/v3/files?pageSize=100"},
    holdout=True,
)

PART.add(
    "jsonrpc-500-internal-error",
    500,
    '{"jsonrpc": "2.0", "id": 17, "error": {"code": -32603, "message": "Internal error", "data": "database connection pool exhausted"}}',
    "server_error",
    "500 with a JSON-RPC internal error",
    request={"method": "POST", "path": "/rpc"},
)

PART.add(
    "es-404-index-not-found-nested",
    404,
    {
        "error": {
            "root_cause": [
                {
                    "type": "index_not_found_exception",
                    "reason": "no such index [metrics-2024.06.12]",
                    "resource.type": "index_or_alias",
                    "resource.id": "metrics-2024.06.12",
                    "index": "metrics-2024.06.12",
                }
            ],
            "type": "index_not_found_exception",
            "reason": "no such index [metrics-2024.06.12]",
            "index": "metrics-2024.06.12",
        },
        "status": 404,
    },
    "not_found",
    "404 index_not_found_exception in error.root_cause",
    request={"method": "GET", "path": "/metrics-2024.06.12/_search"},
    holdout=True,
)
