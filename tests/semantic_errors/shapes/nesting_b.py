"""Second round of nested failures: a failure two or three levels down in gateway wrappers
(``header``/``body.result``, a JSON-ised SOAP envelope), framework envelopes (Java/Spring
``resultCode``/``resultMessage``, a Spring default error body, ASP.NET ``d`` holding a JSON string,
FluentResults ``Result.IsSuccess``, ABP ``success``/``error``, OData ``error.innererror``), entity
states answering the action (a failed refund or payout, a verify check with a wrong code, an order
that was rejected or cancelled on creation), batches where every item failed (Google Ads
``partialFailureError``, FCM multicast, Expo push, DynamoDB ``UnprocessedItems``, S3
``DeleteObjects`` errors), and GraphQL (Hasura, Apollo ``extensions.code``, GitHub
``RATE_LIMITED``, Contentful, Graphene ``ok: false`` payloads, Saleor and Magento errors).  Traps:
GETs of entities in failed states, partially failed batches, errors stored as data, a nested
``error: null`` and a GraphQL query listing failed jobs."""

from tests.semantic_errors.shapes import Part

PART = Part("nesting")

# --------------------------------------------------------------------------------------------
# Wrappers and framework envelopes
# --------------------------------------------------------------------------------------------

PART.add(
    "b-gateway-header-ok-body-result-fail",
    200,
    {
        "header": {"code": "0000", "message": "success", "traceId": "7f3a9e1c2b4d5a6e", "timestamp": 1718092211000},
        "body": {
            "result": {
                "success": False,
                "errorCode": "STOCK_NOT_ENOUGH",
                "errorMsg": "insufficient stock for sku 100234567 (requested 3, available 1)",
                "data": None,
            }
        },
    },
    "generic_business_error",
    "gateway header says the call was routed fine, body.result.success false: stock insufficient, order not placed",
    request={"method": "POST", "path": "/gw/trade/order/submit"},
)
PART.add(
    "b-jsonised-soap-body-status-e401",
    200,
    {
        "soap:Envelope": {
            "soap:Header": {"TransactionId": "TX-20240611-004512"},
            "soap:Body": {
                "GetAccountBalanceResponse": {
                    "GetAccountBalanceResult": {
                        "Status": {"Code": "E401", "Description": "Authentication token expired"},
                        "Balance": None,
                    }
                }
            },
        }
    },
    "auth_failure",
    "SOAP service converted to JSON; three levels down the Status says the authentication token expired",
    request={"method": "POST", "path": "/bridge/AccountService/GetAccountBalance"},
    holdout=True,
)
PART.add(
    "b-spring-resultcode-member-not-found",
    200,
    {
        "resultCode": "E1002",
        "resultMessage": "Member not found (memberNo=100234)",
        "data": None,
        "timestamp": "2024-06-11T08:41:22.114+09:00",
    },
    "not_found",
    "Spring-style resultCode/resultMessage envelope, data null: the member does not exist",
    content_type="application/json;charset=UTF-8",
    request={"method": "GET", "path": "/api/v1/members/100234"},
)
PART.add(
    "b-spring-default-error-body-in-200",
    200,
    '{"timestamp":"2024-06-11T08:44:02.117+00:00","status":500,"error":"Internal Server Error","path":"/api/orders/submit"}',
    "generic_business_error",
    "Spring Boot's default error attributes (status 500, Internal Server Error) delivered with 200",
    request={"method": "POST", "path": "/api/orders/submit"},
)
PART.add(
    "b-asmx-d-json-string-invalid-date",
    200,
    {"d": '{"status":"error","message":"String was not recognized as a valid DateTime: \'31/02/2024\'"}'},
    "validation",
    "ASP.NET ASMX 'd' holds a JSON string; inside it status error: the date parameter is invalid",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/Services/BookingService.asmx/CheckAvailability"},
)
PART.add(
    "b-fluentresults-isfailed",
    200,
    {
        "Result": {
            "IsSuccess": False,
            "IsFailed": True,
            "Errors": [
                {
                    "Message": "Insufficient stock for SKU 4411-BLK",
                    "Metadata": {"Sku": "4411-BLK", "Requested": 5, "Available": 2},
                    "Reasons": [],
                }
            ],
            "Successes": [],
        },
        "Value": None,
    },
    "generic_business_error",
    "FluentResults-style Result.IsSuccess false with an error (stock), Value null",
    request={"method": "POST", "path": "/api/reservations"},
    holdout=True,
)
PART.add(
    "b-dynamics-odata-duplicate-record",
    200,
    {
        "error": {
            "code": "0x80040237",
            "message": "A record with matching key values already exists.",
            "innererror": {
                "message": "A record with matching key values already exists.",
                "type": "System.ServiceModel.FaultException`1[[Microsoft.Xrm.Sdk.OrganizationServiceFault, Microsoft.Xrm.Sdk]]",
                "stacktrace": "   at Microsoft.Crm.Extensibility.OrganizationSdkServiceInternal.Create(Entity entity)",
            },
        }
    },
    "conflict",
    "OData v4 error with innererror (Dynamics 365) relayed with 200: record with matching key already exists",
    content_type="application/json; odata.metadata=minimal",
    headers={"OData-Version": "4.0"},
    request={"method": "POST", "path": "/api/data/v9.2/accounts"},
)
PART.add(
    "b-abp-success-false-validation",
    200,
    {
        "result": None,
        "targetUrl": None,
        "success": False,
        "error": {
            "code": 0,
            "message": "Your request is not valid!",
            "details": "The following errors were detected during validation.\r\n - The field EmailAddress must be a valid e-mail address.\r\n",
            "validationErrors": [
                {"message": "The field EmailAddress must be a valid e-mail address.", "members": ["emailAddress"]}
            ],
        },
        "unAuthorizedRequest": False,
        "__abp": True,
    },
    "validation",
    "ABP framework wrapper success false, error.validationErrors on emailAddress",
    request={"method": "POST", "path": "/api/services/app/User/Create"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# Entity states answering the action
# --------------------------------------------------------------------------------------------

PART.add(
    "b-refund-create-failed-insufficient-funds",
    200,
    {
        "id": "re_3PRxA1LkdIwHu7ix0mQ4bZ2c",
        "object": "refund",
        "amount": 12900,
        "charge": "ch_3PRx91LkdIwHu7ix0f8Kd2Lp",
        "currency": "eur",
        "reason": "requested_by_customer",
        "status": "failed",
        "failure_reason": "insufficient_funds",
        "failure_balance_transaction": "txn_3PRxA1LkdIwHu7ix0u7Yb1Qe",
        "created": 1718093012,
    },
    "payment",
    "POST /refunds answered with the refund in status failed, failure_reason insufficient_funds (balance too low)",
    request={"method": "POST", "path": "/v1/refunds"},
    holdout=True,
)
PART.add(
    "b-payout-create-failed-invalid-account",
    200,
    {
        "id": "po_1PRxC2LkdIwHu7ixq3Zr9Tnm",
        "object": "payout",
        "amount": 250000,
        "currency": "gbp",
        "method": "standard",
        "destination": "ba_1PRx0ELkdIwHu7ixYc3kLm0P",
        "status": "failed",
        "failure_code": "invalid_account_number",
        "failure_message": "The bank account number appears to be invalid. Please check the account number format.",
        "arrival_date": 1718236800,
    },
    "validation",
    "POST /payouts answered failed with failure_code invalid_account_number: the destination details are invalid",
    request={"method": "POST", "path": "/v1/payouts"},
)
PART.add(
    "b-vonage-verify-check-wrong-code",
    200,
    {
        "request_id": "abcdef0123456789abcdef0123456789",
        "status": "16",
        "error_text": "The code provided does not match the expected value",
    },
    "auth_failure",
    "Vonage Verify check: status '16' (0 is success), the one-time code did not match, user not verified",
    request={"method": "POST", "path": "/verify/check/json"},
)
PART.add(
    "b-coinbase-order-insufficient-fund",
    200,
    {
        "success": False,
        "failure_reason": "UNKNOWN_FAILURE_REASON",
        "order_id": "",
        "error_response": {
            "error": "INSUFFICIENT_FUND",
            "message": "Insufficient balance in source account",
            "error_details": "",
            "preview_failure_reason": "PREVIEW_INSUFFICIENT_FUND",
            "new_order_failure_reason": "INSUFFICIENT_FUND",
        },
        "order_configuration": {"market_market_ioc": {"quote_size": "250.00"}},
    },
    "payment",
    "Coinbase create order: success false, error_response INSUFFICIENT_FUND",
    request={"method": "POST", "path": "/api/v3/brokerage/orders"},
    holdout=True,
)
PART.add(
    "b-oanda-order-cancelled-market-halted",
    201,
    {
        "orderCreateTransaction": {
            "type": "MARKET_ORDER",
            "instrument": "EUR_USD",
            "units": "10000",
            "timeInForce": "FOK",
            "positionFill": "DEFAULT",
            "reason": "CLIENT_ORDER",
            "id": "6372",
            "accountID": "101-004-1234567-001",
            "batchID": "6372",
            "time": "2024-06-08T21:05:11.000000000Z",
        },
        "orderCancelTransaction": {
            "type": "ORDER_CANCEL",
            "orderID": "6372",
            "reason": "MARKET_HALTED",
            "id": "6373",
            "accountID": "101-004-1234567-001",
            "batchID": "6372",
            "time": "2024-06-08T21:05:11.000000000Z",
        },
        "relatedTransactionIDs": ["6372", "6373"],
        "lastTransactionID": "6373",
    },
    "generic_business_error",
    "201, but the market order was cancelled at once (orderCancelTransaction reason MARKET_HALTED): nothing was filled",
    request={"method": "POST", "path": "/v3/accounts/101-004-1234567-001/orders"},
)

# --------------------------------------------------------------------------------------------
# Batches: every item failed
# --------------------------------------------------------------------------------------------

PART.add(
    "b-google-ads-partial-failure-all",
    200,
    {
        "results": [{}, {}],
        "partialFailureError": {
            "code": 3,
            "message": "Multiple errors in 'details'. First error: The keyword text contains invalid characters., at operations[0].create.keyword.text",
            "details": [
                {
                    "@type": "type.googleapis.com/google.ads.googleads.v16.errors.GoogleAdsFailure",
                    "errors": [
                        {
                            "errorCode": {"criterionError": "KEYWORD_HAS_INVALID_CHARS"},
                            "message": "The keyword text contains invalid characters.",
                            "trigger": {"stringValue": "cheap!!! shoes@@"},
                            "location": {
                                "fieldPathElements": [
                                    {"fieldName": "operations", "index": 0},
                                    {"fieldName": "create"},
                                    {"fieldName": "keyword"},
                                    {"fieldName": "text"},
                                ]
                            },
                        },
                        {
                            "errorCode": {"criterionError": "KEYWORD_HAS_INVALID_CHARS"},
                            "message": "The keyword text contains invalid characters.",
                            "trigger": {"stringValue": "shoes<>sale"},
                            "location": {
                                "fieldPathElements": [
                                    {"fieldName": "operations", "index": 1},
                                    {"fieldName": "create"},
                                    {"fieldName": "keyword"},
                                    {"fieldName": "text"},
                                ]
                            },
                        },
                    ],
                }
            ],
        },
    },
    "validation",
    "Google Ads mutate with partialFailure: both results empty and both operations failed on invalid keyword text",
    request={"method": "POST", "path": "/v16/customers/1234567890/adGroupCriteria:mutate"},
)
PART.add(
    "b-fcm-legacy-multicast-all-failed",
    200,
    {
        "multicast_id": 5364185630185563470,
        "success": 0,
        "failure": 3,
        "canonical_ids": 0,
        "results": [
            {"error": "InvalidRegistration"},
            {"error": "InvalidRegistration"},
            {"error": "InvalidRegistration"},
        ],
    },
    "validation",
    "FCM multicast success 0, failure 3: every registration token is malformed (InvalidRegistration)",
    request={"method": "POST", "path": "/fcm/send"},
    holdout=True,
)
PART.add(
    "b-expo-push-all-rate-exceeded",
    200,
    {
        "data": [
            {
                "status": "error",
                "message": "Too many messages were sent to this device within a short time.",
                "details": {
                    "error": "MessageRateExceeded",
                    "expoPushToken": "ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]",
                },
            },
            {
                "status": "error",
                "message": "Too many messages were sent to this device within a short time.",
                "details": {
                    "error": "MessageRateExceeded",
                    "expoPushToken": "ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]",
                },
            },
        ]
    },
    "rate_limit",
    "Expo push tickets: every ticket status error, MessageRateExceeded",
    request={"method": "POST", "path": "/--/api/v2/push/send"},
)
PART.add(
    "b-dynamodb-batchwrite-all-unprocessed",
    200,
    {
        "UnprocessedItems": {
            "Orders": [
                {"PutRequest": {"Item": {"pk": {"S": "ORDER#1001"}, "sk": {"S": "META"}, "total": {"N": "59.90"}}}},
                {"PutRequest": {"Item": {"pk": {"S": "ORDER#1002"}, "sk": {"S": "META"}, "total": {"N": "12.00"}}}},
                {"PutRequest": {"Item": {"pk": {"S": "ORDER#1003"}, "sk": {"S": "META"}, "total": {"N": "230.45"}}}},
            ]
        },
        "ConsumedCapacity": [{"TableName": "Orders", "CapacityUnits": 0.0}],
    },
    "generic_business_error",
    "BatchWriteItem: every item came back in UnprocessedItems and 0 capacity was consumed, nothing written; the body names no cause (subtle)",
    content_type="application/x-amz-json-1.0",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "DynamoDB_20120810.BatchWriteItem"}},
)
PART.add(
    "b-s3-deleteobjects-all-access-denied",
    200,
    {
        "Deleted": [],
        "Errors": [
            {"Key": "reports/2024/q1.csv", "Code": "AccessDenied", "Message": "Access Denied"},
            {"Key": "reports/2024/q2.csv", "Code": "AccessDenied", "Message": "Access Denied"},
        ],
    },
    "auth_failure",
    "DeleteObjects turned into JSON: Deleted empty, every key AccessDenied",
    request={"method": "POST", "path": "/api/storage/reports/delete-batch"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# GraphQL
# --------------------------------------------------------------------------------------------

PART.add(
    "b-hasura-constraint-violation",
    200,
    {
        "errors": [
            {
                "message": 'Uniqueness violation. duplicate key value violates unique constraint "users_email_key"',
                "extensions": {
                    "path": "$.selectionSet.insert_users_one.args.object[0]",
                    "code": "constraint-violation",
                },
            }
        ]
    },
    "conflict",
    "Hasura constraint-violation: the unique email already exists",
    request={"method": "POST", "path": "/v1/graphql"},
)
PART.add(
    "b-hasura-invalid-jwt-expired",
    200,
    '{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTExpired"}]}',
    "auth_failure",
    "Hasura invalid-jwt: the JWT expired",
    request={"method": "POST", "path": "/v1/graphql"},
    holdout=True,
)
PART.add(
    "b-apollo-federation-unauthenticated",
    200,
    {
        "errors": [
            {
                "message": "You must be signed in to view your orders.",
                "locations": [{"line": 2, "column": 3}],
                "path": ["myOrders"],
                "extensions": {"code": "UNAUTHENTICATED", "serviceName": "orders"},
            }
        ],
        "data": {"myOrders": None},
    },
    "auth_failure",
    "Apollo extensions.code UNAUTHENTICATED, the only root field null",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "b-github-graphql-rate-limited",
    200,
    {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 9919381."}]},
    "rate_limit",
    "GitHub GraphQL answers 200 with errors[].type RATE_LIMITED",
    headers={"x-ratelimit-remaining": "0", "x-ratelimit-resource": "graphql"},
    request={"method": "POST", "path": "/graphql"},
    holdout=True,
)
PART.add(
    "b-contentful-unknown-locale",
    200,
    {
        "data": {"blogPostCollection": None},
        "errors": [
            {
                "message": "Query execution error. Requested locale 'de-AT' does not exist in the space",
                "locations": [{"line": 1, "column": 9}],
                "path": ["blogPostCollection"],
                "extensions": {
                    "contentful": {"code": "UNKNOWN_LOCALE", "requestId": "d6a7c8b9-0e1f-4a2b-9c3d-4e5f6a7b8c9d"}
                },
            }
        ],
    },
    "validation",
    "Contentful GraphQL: root field null, extensions.contentful.code UNKNOWN_LOCALE (bad locale argument)",
    request={"method": "POST", "path": "/content/v1/spaces/yadj1kx9rmg0/environments/master"},
)
PART.add(
    "b-graphene-mutation-ok-false",
    200,
    {
        "data": {
            "transferFunds": {
                "ok": False,
                "transfer": None,
                "errors": [
                    {"field": "amount", "messages": ["Insufficient balance: available 12.40 EUR, requested 80.00 EUR"]}
                ],
            }
        }
    },
    "payment",
    "mutation payload ok false, transfer null, error says insufficient balance",
    request={"method": "POST", "path": "/graphql/"},
)
PART.add(
    "b-saleor-checkout-complete-insufficient-stock",
    200,
    {
        "data": {
            "checkoutComplete": {
                "order": None,
                "confirmationNeeded": False,
                "confirmationData": None,
                "errors": [
                    {
                        "field": "lines",
                        "message": "Insufficient stock for Monospace Tee (M)",
                        "code": "INSUFFICIENT_STOCK",
                        "variants": ["UHJvZHVjdFZhcmlhbnQ6Mjk3"],
                    }
                ],
            }
        }
    },
    "generic_business_error",
    "Saleor checkoutComplete: order null, errors code INSUFFICIENT_STOCK",
    request={"method": "POST", "path": "/graphql/"},
    holdout=True,
)
PART.add(
    "b-magento-no-such-entity",
    200,
    {
        "errors": [
            {
                "message": 'Could not find a product with SKU "24-MB01X"',
                "extensions": {"category": "graphql-no-such-entity"},
                "locations": [{"line": 2, "column": 3}],
                "path": ["addProductsToWishlist"],
            }
        ],
        "data": {"addProductsToWishlist": None},
    },
    "not_found",
    "Magento GraphQL category graphql-no-such-entity, the mutation result null",
    request={"method": "POST", "path": "/graphql"},
)

# --------------------------------------------------------------------------------------------
# Non-2xx
# --------------------------------------------------------------------------------------------

PART.add(
    "b-sap-odata-404-innererror",
    404,
    {
        "error": {
            "code": "/IWBEP/CM_MGW_RT/020",
            "message": {"lang": "en", "value": "Resource not found for segment 'A_SalesOrderType'"},
            "innererror": {
                "application": {
                    "component_id": "SD-SLS-API",
                    "service_namespace": "/SAP/",
                    "service_id": "API_SALES_ORDER_SRV",
                    "service_version": "0001",
                },
                "transactionid": "7C3A1E9B0D2F4A61B8E5C0D9F1A2B3C4",
                "timestamp": "20240611084502.1234560",
                "errordetails": [],
            },
        }
    },
    "not_found",
    "SAP OData v2 404, message.value nested in error: resource not found",
    request={"method": "GET", "path": "/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder('4711')"},
)
PART.add(
    "b-gateway-502-header-upstream",
    502,
    {
        "header": {"code": "GW-502", "message": "upstream service order-svc unavailable", "traceId": "a9c1e3f5b7d9"},
        "body": None,
    },
    "server_error",
    "502 from the gateway, header names the unavailable upstream",
    request={"method": "POST", "path": "/gw/trade/order/submit"},
)

# --------------------------------------------------------------------------------------------
# Traps
# --------------------------------------------------------------------------------------------

PART.add(
    "b-trap-get-refund-failed",
    200,
    {
        "id": "re_3PRxA1LkdIwHu7ix0mQ4bZ2c",
        "object": "refund",
        "amount": 12900,
        "charge": "ch_3PRx91LkdIwHu7ix0f8Kd2Lp",
        "currency": "eur",
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
        "created": 1718093012,
    },
    None,
    "GET of a refund that failed earlier: the read succeeded, the state is data",
    request={"method": "GET", "path": "/v1/refunds/re_3PRxA1LkdIwHu7ix0mQ4bZ2c"},
    trap=True,
)
PART.add(
    "b-trap-get-square-payment-declined",
    200,
    {
        "payment": {
            "id": "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY",
            "created_at": "2024-06-11T10:02:44.123Z",
            "amount_money": {"amount": 4200, "currency": "USD"},
            "status": "FAILED",
            "source_type": "CARD",
            "card_details": {
                "status": "FAILED",
                "card": {"card_brand": "VISA", "last_4": "0002", "exp_month": 11, "exp_year": 2026},
                "errors": [
                    {
                        "code": "GENERIC_DECLINE",
                        "detail": "Authorization error: 'GENERIC_DECLINE'",
                        "category": "PAYMENT_METHOD_ERROR",
                    }
                ],
            },
            "location_id": "L88917AVBK2S5",
            "order_id": "pRsBZ2bOvUr5xZkfsiCvJ9Pl5vKZY",
        }
    },
    None,
    "GET of a payment that was declined in the past: the errors live inside the payment entity",
    request={"method": "GET", "path": "/v2/payments/R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-rollbar-items-err-0",
    200,
    {
        "err": 0,
        "result": {
            "items": [
                {
                    "id": 1290044871,
                    "counter": 412,
                    "title": "TypeError: Cannot read properties of undefined (reading 'total')",
                    "level": "error",
                    "status": "active",
                    "environment": "production",
                    "total_occurrences": 1873,
                },
                {
                    "id": 1290044790,
                    "counter": 409,
                    "title": "PaymentDeclinedError: card_declined",
                    "level": "warning",
                    "status": "active",
                    "environment": "production",
                    "total_occurrences": 96,
                },
            ],
            "page": 1,
        },
    },
    None,
    "error-tracking API: err 0 (Rollbar's success) and a list of error items as data",
    request={"method": "GET", "path": "/api/1/items?status=active&level=error"},
    trap=True,
)
PART.add(
    "b-trap-gateway-error-null",
    200,
    {
        "header": {"code": "0000", "message": "success", "traceId": "5b2e8d1f0a7c3e9b"},
        "body": {
            "result": {"orderNo": "SO202406110001734", "state": "CREATED", "payDeadline": "2024-06-11T11:30:00+08:00"},
            "error": None,
        },
    },
    None,
    "gateway wrapper with header 0000 and body.error null: the order was created",
    request={"method": "POST", "path": "/gw/trade/order/submit"},
    trap=True,
)
PART.add(
    "b-trap-google-ads-partial-failure-some",
    200,
    {
        "results": [{"resourceName": "customers/1234567890/adGroupCriteria/55512345~7788990011"}, {}],
        "partialFailureError": {
            "code": 3,
            "message": "The keyword text contains invalid characters., at operations[1].create.keyword.text",
            "details": [
                {
                    "@type": "type.googleapis.com/google.ads.googleads.v16.errors.GoogleAdsFailure",
                    "errors": [
                        {
                            "errorCode": {"criterionError": "KEYWORD_HAS_INVALID_CHARS"},
                            "message": "The keyword text contains invalid characters.",
                            "trigger": {"stringValue": "shoes<>sale"},
                            "location": {"fieldPathElements": [{"fieldName": "operations", "index": 1}]},
                        }
                    ],
                }
            ],
        },
    },
    None,
    "partial failure: one of two criteria created, one failed; not a call failure",
    request={"method": "POST", "path": "/v16/customers/1234567890/adGroupCriteria:mutate"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-fcm-multicast-some-failed",
    200,
    {
        "multicast_id": 7312290148821734112,
        "success": 2,
        "failure": 1,
        "canonical_ids": 0,
        "results": [
            {"message_id": "0:1718093301871123%31bd1c9631bd1c96"},
            {"error": "NotRegistered"},
            {"message_id": "0:1718093301871124%31bd1c9631bd1c96"},
        ],
    },
    None,
    "FCM multicast success 2, failure 1: some devices got the message",
    request={"method": "POST", "path": "/fcm/send"},
    trap=True,
)
PART.add(
    "b-trap-dynamodb-batchwrite-some-unprocessed",
    200,
    {
        "UnprocessedItems": {
            "Orders": [
                {"PutRequest": {"Item": {"pk": {"S": "ORDER#2003"}, "sk": {"S": "META"}, "total": {"N": "18.75"}}}}
            ]
        },
        "ConsumedCapacity": [{"TableName": "Orders", "CapacityUnits": 2.0}],
    },
    None,
    "BatchWriteItem: two of three items written, one left to retry; the call itself succeeded",
    content_type="application/x-amz-json-1.0",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "DynamoDB_20120810.BatchWriteItem"}},
    trap=True,
)
PART.add(
    "b-trap-spring-success-failed-logins-data",
    200,
    {
        "resultCode": "SUCCESS",
        "resultMessage": "OK",
        "data": {
            "userId": 88123,
            "failedLoginAttempts": 3,
            "lastFailure": {"at": "2024-06-10T22:14:09+09:00", "reason": "INVALID_PASSWORD", "ip": "203.0.113.7"},
            "locked": False,
        },
    },
    None,
    "resultCode SUCCESS; the failed logins are the security summary that was asked for",
    content_type="application/json;charset=UTF-8",
    request={"method": "GET", "path": "/api/v1/account/security-summary"},
    trap=True,
)
PART.add(
    "b-trap-hasura-failed-jobs-query",
    200,
    {
        "data": {
            "failed_jobs": [
                {
                    "id": 5521,
                    "uuid": "2f9c1e7a-3b4d-4e6f-8a1b-9c0d2e3f4a5b",
                    "queue": "emails",
                    "exception": 'Symfony\\Component\\Mailer\\Exception\\TransportException: Connection could not be established with host "smtp.example.com:587"',
                    "failed_at": "2024-06-11T03:12:44+00:00",
                },
                {
                    "id": 5522,
                    "uuid": "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
                    "queue": "billing",
                    "exception": "App\\Exceptions\\PaymentDeclined: card_declined (insufficient_funds)",
                    "failed_at": "2024-06-11T03:15:02+00:00",
                },
            ]
        }
    },
    None,
    "GraphQL query over a failed_jobs table: the failures are the rows that were asked for",
    request={"method": "POST", "path": "/v1/graphql"},
    trap=True,
    holdout=True,
)
