"""Fifth round of nested failures (scoring round "e", every entry held out), from stacks the
earlier rounds did not use: CI/CD and infrastructure APIs (AWS ECS ``RunTask``/``DescribeServices``
``failures``, EventBridge ``PutEvents`` entries, Step Functions ``StartSyncExecution`` and Lambda
``Invoke`` answered with a 200, the Docker Engine's JSON progress streams for push and build,
Ollama's NDJSON pull stream, Gerrit behind its ``)]}'`` prefix, Kubernetes access reviews),
data platforms with long-running jobs (Databricks statements, BigQuery jobs, Replicate
predictions), telephony (Africa's Talking recipients, Vonage SMS ``messages[].status``),
e-signature (DocuSign ``recipientUpdateResults``, Dropbox Sign warnings), HR (Finch batch items,
SCIM ``BulkResponse``), logistics (ShipEngine ``rate_response``, Delhivery ``packages`` sent as
text/html, Kuaidi100 in gzip GBK, Shippo address validation, AfterShip tracking), marketplaces
(Amazon SP-API listings ``INVALID``, eBay ``bulkPublishOffer``, Tiny ERP ``retorno`` in gzip
Windows-1252), banking-as-a-service (Unit book payments, Dwolla ``_embedded.errors``), commerce
GraphQL (Braintree ``statusHistory``, Vendure ``ErrorResult`` unions, GitLab payload ``errors``),
Microsoft Graph ``$batch`` sub-responses, MCP tool calls (JSON-RPC error over SSE, ``isError``
results) and game backends (PlayFab CloudScript ``Error`` with the API error in its logs,
brainCloud message bundles).  Traps: partial batches, a denied access review, a verdict from an
address validator, warnings beside a created signature request, empty payload ``errors``, a
query whose rows are failure counts, a build log mentioning errors that ends in success and a
tracking read in the ``Exception`` state.
"""

from tests.semantic_errors.shapes import Part, dumps, gz

PART = Part("nesting")


def _ndjson(*records) -> str:
    """Docker-style JSON message stream: one JSON object per line, CRLF-terminated."""
    return "".join(dumps(r) + "\r\n" for r in records)


# --------------------------------------------------------------------------------------------
# payment
# --------------------------------------------------------------------------------------------

PART.add(
    "e-africastalking-sms-all-insufficientbalance",
    201,
    {
        "SMSMessageData": {
            "Message": "Sent to 0/3 Total Cost: KES 0.0000",
            "Recipients": [
                {
                    "cost": "0",
                    "messageId": "None",
                    "number": "+254711082315",
                    "status": "InsufficientBalance",
                    "statusCode": 405,
                },
                {
                    "cost": "0",
                    "messageId": "None",
                    "number": "+254722604871",
                    "status": "InsufficientBalance",
                    "statusCode": 405,
                },
                {
                    "cost": "0",
                    "messageId": "None",
                    "number": "+254733190442",
                    "status": "InsufficientBalance",
                    "statusCode": 405,
                },
            ],
        }
    },
    "payment",
    "bulk SMS: every recipient has status InsufficientBalance (405), 0/3 sent; the account balance cannot pay",
    request={"method": "POST", "path": "/version1/messaging", "headers": {"Accept": "application/json"}},
    holdout=True,
)

PART.add(
    "e-braintree-graphql-charge-processor-declined",
    200,
    {
        "data": {
            "chargeCreditCard": {
                "transaction": {
                    "id": "dHJhbnNhY3Rpb25fa2Q3cjJwMXM",
                    "legacyId": "kd7r2p1s",
                    "status": "PROCESSOR_DECLINED",
                    "amount": {"value": "1840.00", "currencyCode": "USD"},
                    "orderId": "INV-20931",
                    "statusHistory": [
                        {
                            "status": "PROCESSOR_DECLINED",
                            "timestamp": "2024-06-03T14:12:09.000000Z",
                            "declineType": "SOFT",
                            "processorResponse": {"legacyCode": "2001", "message": "Insufficient Funds"},
                        }
                    ],
                }
            }
        },
        "extensions": {"requestId": "6f0b1c52-3e1a-4c55-9d0e-2b8e1f7a4c90"},
    },
    "payment",
    "GraphQL charge mutation returns the transaction PROCESSOR_DECLINED, processor response 2001 Insufficient Funds",
    request={"method": "POST", "path": "/graphql"},
    holdout=True,
)

PART.add(
    "e-unit-book-payment-rejected-insufficientfunds",
    200,
    {
        "data": {
            "type": "bookPayment",
            "id": "1337",
            "attributes": {
                "createdAt": "2024-05-21T09:14:52.118Z",
                "amount": 250000,
                "direction": "Credit",
                "description": "Payroll funding May",
                "status": "Rejected",
                "reason": "InsufficientFunds",
                "tags": {"payrollRun": "2024-05-B"},
            },
            "relationships": {
                "account": {"data": {"type": "depositAccount", "id": "10002"}},
                "customer": {"data": {"type": "businessCustomer", "id": "8"}},
                "counterpartyAccount": {"data": {"type": "depositAccount", "id": "10417"}},
            },
        }
    },
    "payment",
    "banking-as-a-service: the created book payment comes back Rejected with reason InsufficientFunds",
    content_type="application/vnd.api+json",
    request={"method": "POST", "path": "/payments"},
    holdout=True,
)

PART.add(
    "e-vendure-addpayment-declined-union",
    200,
    {
        "data": {
            "addPaymentToOrder": {
                "__typename": "PaymentDeclinedError",
                "errorCode": "PAYMENT_DECLINED_ERROR",
                "message": "The payment was declined",
                "paymentErrorMessage": "card_declined: Your card was declined.",
            }
        }
    },
    "payment",
    "Vendure shop API mutation result is the PaymentDeclinedError member of the ErrorResult union",
    request={"method": "POST", "path": "/shop-api"},
    holdout=True,
)

PART.add(
    "e-playfab-cloudscript-api-error-insufficient-funds",
    200,
    {
        "code": 200,
        "status": "OK",
        "data": {
            "FunctionName": "purchaseBattlePass",
            "Revision": 42,
            "Error": {
                "Error": "CloudScriptAPIRequestError",
                "Message": "The script called a PlayFab API, which returned an error. See the Error logs for details.",
                "StackTrace": "Error\n    at handlers.purchaseBattlePass (Script Document:88:19)",
            },
            "Logs": [
                {
                    "Level": "Error",
                    "Message": "PlayFab API request error",
                    "Data": {
                        "api": "/Server/SubtractUserVirtualCurrency",
                        "request": {"PlayFabId": "8F2C1D0A9B7E6F54", "VirtualCurrency": "GM", "Amount": 950},
                        "result": None,
                        "apiError": {
                            "code": 400,
                            "status": "BadRequest",
                            "error": "InsufficientFunds",
                            "errorCode": 1059,
                            "errorMessage": "Insufficient funds",
                        },
                    },
                }
            ],
            "ExecutionTimeSeconds": 0.1834,
            "APIRequestsIssued": 2,
            "HttpRequestsIssued": 0,
        },
    },
    "payment",
    "outer code 200/OK, but data.Error says the script failed and the logged API error is InsufficientFunds (virtual currency)",
    request={"method": "POST", "path": "/Client/ExecuteCloudScript"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "e-eventbridge-putevents-all-throttled",
    200,
    {
        "Entries": [
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "Rate exceeded"},
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "Rate exceeded"},
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "Rate exceeded"},
        ],
        "FailedEntryCount": 3,
    },
    "rate_limit",
    "PutEvents: FailedEntryCount equals the number of entries and every entry is a ThrottlingException",
    content_type="application/x-amz-json-1.1",
    headers={"x-amzn-RequestId": "3f2b9a61-8d0c-4e7a-b5c1-92e4d7f0a8b3"},
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "AWSEvents.PutEvents"}},
    holdout=True,
)

PART.add(
    "e-vonage-sms-message-status-throttled",
    200,
    {
        "message-count": "1",
        "messages": [
            {
                "to": "447700900123",
                "status": "1",
                "error-text": "Throughput Rate Exceeded - please wait [ 10 ] and retry",
            }
        ],
    },
    "rate_limit",
    "the only message has a non-zero status 1 (Throttled) and the error-text asks to wait and retry",
    request={"method": "POST", "path": "/sms/json"},
    holdout=True,
)

PART.add(
    "e-msgraph-batch-all-subrequests-429",
    200,
    {
        "responses": [
            {
                "id": "1",
                "status": 429,
                "headers": {"Retry-After": "9", "Content-Type": "application/json"},
                "body": {
                    "error": {
                        "code": "ApplicationThrottled",
                        "message": "Application is over its MailboxConcurrency limit.",
                        "innerError": {
                            "date": "2024-06-03T10:41:07",
                            "request-id": "b0a4c7e2-5d13-4f0e-9a6b-1e7d3c2f8a90",
                        },
                    }
                },
            },
            {
                "id": "2",
                "status": 429,
                "headers": {"Retry-After": "9", "Content-Type": "application/json"},
                "body": {
                    "error": {
                        "code": "ApplicationThrottled",
                        "message": "Application is over its MailboxConcurrency limit.",
                        "innerError": {
                            "date": "2024-06-03T10:41:07",
                            "request-id": "0e9f2d41-7c6b-4a58-8e13-4b2a9d6c5f17",
                        },
                    }
                },
            },
        ]
    },
    "rate_limit",
    "$batch answered 200 but both sub-responses are 429 ApplicationThrottled with Retry-After",
    request={"method": "POST", "path": "/v1.0/$batch"},
    holdout=True,
)

PART.add(
    "e-tiny-erp-gzip-cp1252-api-bloqueada",
    200,
    gz(
        dumps(
            {
                "retorno": {
                    "status_processamento": "1",
                    "status": "Erro",
                    "codigo_erro": "6",
                    "erros": [{"erro": "API bloqueada momentaneamente - muitos acessos no último minuto"}],
                }
            }
        ).encode("cp1252")
    ),
    "rate_limit",
    "gzip body in Windows-1252 (no charset declared); retorno.status Erro, codigo_erro 6: API blocked for too many calls in the last minute",
    content_type="application/json",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/api2/pedido.incluir.php"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

PART.add(
    "e-docker-push-stream-unauthorized",
    200,
    _ndjson(
        {"status": "The push refers to repository [registry.acme.io/payments/ledger-api]"},
        {"status": "Preparing", "progressDetail": {}, "id": "5f70bf18a086"},
        {"status": "Preparing", "progressDetail": {}, "id": "c3a1e9d47b20"},
        {"status": "Preparing", "progressDetail": {}, "id": "8d2f64b1e0a7"},
        {"status": "Waiting", "progressDetail": {}, "id": "5f70bf18a086"},
        {
            "errorDetail": {"message": "unauthorized: authentication required"},
            "error": "unauthorized: authentication required",
        },
    ),
    "auth_failure",
    "Docker Engine push stream (200 once streaming started) ends with errorDetail unauthorized: authentication required",
    request={"method": "POST", "path": "/v1.43/images/registry.acme.io/payments/ledger-api/push?tag=2.7.1"},
    holdout=True,
)

PART.add(
    "e-vendure-login-invalid-credentials-union",
    200,
    {
        "data": {
            "login": {
                "__typename": "InvalidCredentialsError",
                "errorCode": "INVALID_CREDENTIALS_ERROR",
                "message": "The provided credentials are invalid",
                "authenticationError": "",
            }
        }
    },
    "auth_failure",
    "login mutation resolves to the InvalidCredentialsError member of the result union",
    request={"method": "POST", "path": "/shop-api"},
    holdout=True,
)

PART.add(
    "e-braincloud-bundle-session-expired",
    200,
    {
        "packetId": 27,
        "responses": [
            {"status": 403, "reason_code": 40303, "status_message": "Player session expired", "severity": "ERROR"},
            {"status": 403, "reason_code": 40303, "status_message": "Player session expired", "severity": "ERROR"},
        ],
    },
    "auth_failure",
    "game backend message bundle: the HTTP packet is 200 but every message inside is status 403, reason 40303 (PLAYER_SESSION_EXPIRED)",
    request={"method": "POST", "path": "/dispatcherv2"},
    holdout=True,
)

PART.add(
    "e-mcp-tools-call-iserror-bad-credentials",
    200,
    {
        "jsonrpc": "2.0",
        "id": 3,
        "result": {
            "content": [
                {
                    "type": "text",
                    "text": "failed to get user: GET https://api.github.com/user: 401 Bad credentials []",
                }
            ],
            "isError": True,
        },
    },
    "auth_failure",
    "MCP tools/call result with isError true; the tool's upstream call got 401 Bad credentials",
    headers={"Mcp-Session-Id": "1b6c2e0f9a8d4c37"},
    request={"method": "POST", "path": "/mcp", "headers": {"Accept": "application/json, text/event-stream"}},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "e-ecs-describeservices-missing",
    200,
    {
        "services": [],
        "failures": [
            {"arn": "arn:aws:ecs:us-east-1:123456789012:service/checkout-prod/checkout-web", "reason": "MISSING"}
        ],
    },
    "not_found",
    "the one requested service is not in services[]; failures[] says MISSING (ECS: service not found)",
    content_type="application/x-amz-json-1.1",
    request={
        "method": "POST",
        "path": "/",
        "headers": {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.DescribeServices"},
    },
    holdout=True,
)

PART.add(
    "e-ebay-bulkpublishoffer-207-offers-unavailable",
    207,
    {
        "responses": [
            {
                "statusCode": 404,
                "offerId": "5005317010",
                "errors": [
                    {
                        "errorId": 25713,
                        "domain": "API_INVENTORY",
                        "subdomain": "Selling",
                        "category": "REQUEST",
                        "message": "This Offer is not available.",
                        "parameters": [{"name": "offerId", "value": "5005317010"}],
                    }
                ],
            },
            {
                "statusCode": 404,
                "offerId": "5005317011",
                "errors": [
                    {
                        "errorId": 25713,
                        "domain": "API_INVENTORY",
                        "subdomain": "Selling",
                        "category": "REQUEST",
                        "message": "This Offer is not available.",
                        "parameters": [{"name": "offerId", "value": "5005317011"}],
                    }
                ],
            },
        ]
    },
    "not_found",
    "207 Multi-Status where every offer has statusCode 404 and error 25713 'This Offer is not available.'",
    request={"method": "POST", "path": "/sell/inventory/v1/bulk_publish_offer"},
    holdout=True,
)

PART.add(
    "e-finch-batch-individuals-not-found",
    200,
    {
        "responses": [
            {
                "individual_id": "f3ddb1f4-dfa4-4e1d-bfed-bdfd0645b613",
                "code": 404,
                "body": {
                    "code": 404,
                    "name": "not_found_error",
                    "finch_code": "individual_not_found",
                    "message": "The requested individual could not be found.",
                },
            },
            {
                "individual_id": "84364585-c2ce-40aa-bcc0-666ac9577315",
                "code": 404,
                "body": {
                    "code": 404,
                    "name": "not_found_error",
                    "finch_code": "individual_not_found",
                    "message": "The requested individual could not be found.",
                },
            },
        ]
    },
    "not_found",
    "HR batch endpoint: every item carries code 404 / individual_not_found",
    request={"method": "POST", "path": "/employer/individual"},
    holdout=True,
)

PART.add(
    "e-databricks-statement-failed-table-not-found",
    200,
    {
        "statement_id": "01ef2c7a-5d3b-1e88-9f41-6a0c2b7d9e13",
        "status": {
            "state": "FAILED",
            "error": {
                "error_code": "BAD_REQUEST",
                "message": "[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`finance`.`invoices_2024` cannot be found. "
                "Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with "
                "a schema, verify the current_schema() output, or qualify the name with the correct schema and "
                "catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. "
                "SQLSTATE: 42P01; line 1 pos 21",
            },
        },
    },
    "not_found",
    "statement executed synchronously ends in state FAILED: TABLE_OR_VIEW_NOT_FOUND",
    request={"method": "POST", "path": "/api/2.0/sql/statements"},
    holdout=True,
)

PART.add(
    "e-gerrit-xssi-add-reviewer-unknown-account",
    200,
    ")]}'\n"
    + dumps(
        {
            "input": "jdoe@example.org",
            "error": "Account 'jdoe@example.org' not found\njdoe@example.org does not identify a registered user or group",
        }
    ),
    "not_found",
    "anti-XSSI )]}' prefix; Gerrit (before 3.9) answered 200 with an AddReviewerResult whose error says the account was not found",
    content_type="application/json; charset=UTF-8",
    headers={"Content-Disposition": "attachment"},
    request={"method": "POST", "path": "/a/changes/platform~main~I8473b95934b5732ac55d26311a706c9c2bde9940/reviewers"},
    holdout=True,
)

PART.add(
    "e-ollama-pull-ndjson-manifest-missing",
    200,
    dumps({"status": "pulling manifest"}) + "\n" + dumps({"error": "pull model manifest: file does not exist"}) + "\n",
    "not_found",
    "NDJSON pull stream: the final record is an error, the model manifest does not exist",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/pull"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "e-scim-bulk-provisioning-uniqueness",
    200,
    {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
        "Operations": [
            {
                "method": "POST",
                "bulkId": "hire-4471",
                "status": "409",
                "response": {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "scimType": "uniqueness",
                    "detail": "userName 'm.okafor@acme.example' is already in use",
                    "status": "409",
                },
            },
            {
                "method": "POST",
                "bulkId": "hire-4472",
                "status": "409",
                "response": {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "scimType": "uniqueness",
                    "detail": "userName 'l.santos@acme.example' is already in use",
                    "status": "409",
                },
            },
        ],
    },
    "conflict",
    "SCIM BulkResponse: both provisioning operations are 409 scimType uniqueness (user already exists)",
    content_type="application/scim+json",
    request={"method": "POST", "path": "/scim/v2/Bulk"},
    holdout=True,
)

PART.add(
    "e-gitlab-graphql-labelcreate-taken",
    200,
    {"data": {"labelCreate": {"label": None, "errors": ["Title has already been taken"]}}},
    "conflict",
    "mutation payload: label null and errors[] says the title has already been taken",
    request={"method": "POST", "path": "/api/graphql"},
    holdout=True,
)

PART.add(
    "e-delhivery-create-texthtml-duplicate-order",
    200,
    '{"cash_pickups_count": 0, "package_count": 1, "upload_wbn": "UPL20871563429147528", '
    '"replacement_count": 0, "rmk": "", "pickups_count": 0, "packages": [{"status": "Fail", '
    '"client": "ACMEKART SURFACE", "sort_code": null, "remarks": ["Duplicate order id"], '
    '"waybill": "", "cod_amount": 0.0, "payment": "Prepaid", "serviceable": true, "refnum": "AK-20931"}], '
    '"cash_pickups": 0.0, "cod_count": 0, "success": false, "prepaid_count": 0, "cod_amount": 0.0}',
    "conflict",
    "JSON served as text/html; the only package has status Fail with remark 'Duplicate order id', success false",
    content_type="text/html; charset=utf-8",
    request={"method": "POST", "path": "/api/cmu/create.json", "headers": {"Accept": "application/json"}},
    holdout=True,
)

PART.add(
    "e-kuaidi100-gzip-gbk-repeat-subscription",
    200,
    gz(dumps({"result": False, "returnCode": "501", "message": "POLL:重复订阅"}).encode("gbk")),
    "conflict",
    "gzip body in GBK: tracking subscription refused, returnCode 501 'repeat subscription' (already subscribed)",
    content_type="application/json;charset=GBK",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/poll"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "e-amazon-sp-listings-put-invalid",
    200,
    {
        "sku": "MUG-CER-350-BLU",
        "status": "INVALID",
        "submissionId": "f1dc2914-75dd-11ea-bc55-0242ac130003",
        "issues": [
            {
                "code": "90220",
                "message": "'item_name' is required but not supplied.",
                "severity": "ERROR",
                "attributeNames": ["item_name"],
                "categories": ["MISSING_ATTRIBUTE"],
            },
            {
                "code": "90220",
                "message": "'list_price' is required but not supplied.",
                "severity": "ERROR",
                "attributeNames": ["list_price"],
                "categories": ["MISSING_ATTRIBUTE"],
            },
        ],
    },
    "validation",
    "listing submission status INVALID (not accepted) with ERROR issues for missing required attributes",
    request={"method": "PUT", "path": "/listings/2021-08-01/items/A3EXAMPLE/MUG-CER-350-BLU"},
    holdout=True,
)

PART.add(
    "e-docusign-recipients-update-invalid-email",
    200,
    {
        "recipientUpdateResults": [
            {
                "recipientId": "1",
                "recipientIdGuid": "d8f2a6b1-3c4e-4f70-9a1b-5e6c7d8e9f01",
                "errorDetails": {
                    "errorCode": "INVALID_EMAIL_ADDRESS_FOR_RECIPIENT",
                    "message": "The email address for the recipient is invalid. The recipient Id follows.",
                },
            }
        ]
    },
    "validation",
    "e-signature: the single recipient update came back with errorDetails INVALID_EMAIL_ADDRESS_FOR_RECIPIENT",
    request={"method": "PUT", "path": "/restapi/v2.1/accounts/4f1c9b2e/envelopes/93be49e3/recipients"},
    holdout=True,
)

PART.add(
    "e-shipengine-rates-invalid-address",
    200,
    {
        "shipment_id": "se-28529731",
        "carrier_id": "se-123890",
        "ship_date": "2024-06-04T00:00:00Z",
        "rate_response": {
            "rates": [],
            "invalid_rates": [],
            "rate_request_id": "se-85117731",
            "shipment_id": "se-28529731",
            "created_at": "2024-06-03T16:22:41.507Z",
            "status": "error",
            "errors": [
                {
                    "error_source": "carrier",
                    "error_type": "validation",
                    "error_code": "invalid_address",
                    "message": "UPS: The Ship To postal code 9021 is invalid for state CA.",
                    "carrier_id": "se-123890",
                    "carrier_code": "ups",
                }
            ],
        },
    },
    "validation",
    "no rates; rate_response.status error with an error of type validation / invalid_address",
    request={"method": "POST", "path": "/v1/rates"},
    holdout=True,
)

PART.add(
    "e-mcp-sse-jsonrpc-invalid-params",
    200,
    "event: message\n"
    "id: 1b6c2e0f9a8d4c37_7\n"
    "data: "
    + dumps(
        {
            "jsonrpc": "2.0",
            "id": 7,
            "error": {
                "code": -32602,
                "message": 'MCP error -32602: Invalid arguments for tool create_issue: [\n  {\n    "code": "invalid_type",\n'
                '    "expected": "string",\n    "received": "undefined",\n    "path": [\n      "title"\n    ],\n'
                '    "message": "Required"\n  }\n]',
            },
        }
    )
    + "\n\n",
    "validation",
    "SSE stream whose only event is a JSON-RPC error -32602 Invalid params: required 'title' missing",
    content_type="text/event-stream",
    headers={"Cache-Control": "no-cache", "Mcp-Session-Id": "1b6c2e0f9a8d4c37"},
    request={"method": "POST", "path": "/mcp", "headers": {"Accept": "application/json, text/event-stream"}},
    holdout=True,
)

PART.add(
    "e-bigquery-jobs-insert-done-invalidquery",
    200,
    {
        "kind": "bigquery#job",
        "etag": "Qm9vZ2xlLUpvYi1ldGFn",
        "id": "acme-analytics:US.job_Vq3kP0d9sRr2mA7xYt1LwZ",
        "selfLink": "https://bigquery.googleapis.com/bigquery/v2/projects/acme-analytics/jobs/job_Vq3kP0d9sRr2mA7xYt1LwZ?location=US",
        "user_email": "etl@acme-analytics.iam.gserviceaccount.com",
        "configuration": {
            "query": {"query": "SELEC order_id, SUM(amount) FROM sales.orders GROUP BY 1", "useLegacySql": False},
            "jobType": "QUERY",
        },
        "jobReference": {"projectId": "acme-analytics", "jobId": "job_Vq3kP0d9sRr2mA7xYt1LwZ", "location": "US"},
        "statistics": {"creationTime": "1717431761203", "startTime": "1717431761312", "endTime": "1717431761312"},
        "status": {
            "errorResult": {
                "reason": "invalidQuery",
                "location": "query",
                "message": 'Syntax error: Expected end of input but got identifier "SELEC" at [1:1]',
            },
            "errors": [
                {
                    "reason": "invalidQuery",
                    "location": "query",
                    "message": 'Syntax error: Expected end of input but got identifier "SELEC" at [1:1]',
                }
            ],
            "state": "DONE",
        },
    },
    "validation",
    "the inserted query job is already DONE with status.errorResult invalidQuery (syntax error)",
    request={"method": "POST", "path": "/bigquery/v2/projects/acme-analytics/jobs"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# generic_business_error
# --------------------------------------------------------------------------------------------

PART.add(
    "e-ecs-runtask-no-task-resource-memory",
    200,
    {
        "tasks": [],
        "failures": [
            {
                "arn": "arn:aws:ecs:eu-west-1:123456789012:container-instance/batch-prod/4c1e8f0a2b3d4e5f9a8b7c6d5e4f3a2b",
                "reason": "RESOURCE:MEMORY",
            },
            {
                "arn": "arn:aws:ecs:eu-west-1:123456789012:container-instance/batch-prod/9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a",
                "reason": "RESOURCE:MEMORY",
            },
        ],
    },
    "generic_business_error",
    "RunTask placed no task: tasks[] empty, every failure is RESOURCE:MEMORY (no capacity)",
    content_type="application/x-amz-json-1.1",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.RunTask"}},
    holdout=True,
)

PART.add(
    "e-stepfunctions-startsync-failed-task",
    200,
    {
        "executionArn": "arn:aws:states:eu-central-1:123456789012:express:invoice-pipeline:5b1e7c2a:9f3d0a6e-4c1b-47e2-8d5f-2a7b6c9e1f04",
        "stateMachineArn": "arn:aws:states:eu-central-1:123456789012:stateMachine:invoice-pipeline",
        "name": "5b1e7c2a",
        "startDate": 1717420112.418,
        "stopDate": 1717420114.902,
        "status": "FAILED",
        "error": "Error",
        "cause": '{"errorType":"Error","errorMessage":"Failed to generate invoice PDF: wkhtmltopdf exited with code 1",'
        '"trace":["Error: Failed to generate invoice PDF: wkhtmltopdf exited with code 1","    at render (/var/task/pdf.js:41:11)"]}',
        "inputDetails": {"included": True},
        "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 2500},
    },
    "generic_business_error",
    "synchronous Express execution answered 200 with status FAILED and a task error as cause",
    content_type="application/x-amz-json-1.0",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "AWSStepFunctions.StartSyncExecution"}},
    holdout=True,
)

PART.add(
    "e-lambda-invoke-function-error-import",
    200,
    {
        "errorMessage": "Unable to import module 'handler': No module named 'psycopg2._psycopg'",
        "errorType": "Runtime.ImportModuleError",
        "requestId": "7c2e41d9-0b6f-4a3e-8d12-5f9a0c7b3e61",
        "stackTrace": [],
    },
    "generic_business_error",
    "Invoke returns 200 with X-Amz-Function-Error: Unhandled; the payload is the function's crash",
    headers={"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"},
    request={"method": "POST", "path": "/2015-03-31/functions/order-sync/invocations"},
    holdout=True,
)

PART.add(
    "e-docker-build-stream-nonzero-code",
    200,
    _ndjson(
        {"stream": "Step 1/6 : FROM node:20-alpine"},
        {"stream": "\n"},
        {"stream": " ---> 1a2b3c4d5e6f\n"},
        {"stream": "Step 4/6 : RUN npm ci --omit=dev"},
        {"stream": "\n"},
        {"stream": " ---> Running in 7f8e9d0c1b2a\n"},
        {"stream": "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE could not resolve\n"},
        {
            "errorDetail": {
                "code": 1,
                "message": "The command '/bin/sh -c npm ci --omit=dev' returned a non-zero code: 1",
            },
            "error": "The command '/bin/sh -c npm ci --omit=dev' returned a non-zero code: 1",
        },
    ),
    "generic_business_error",
    "image build stream (200) whose final message is errorDetail: a RUN step returned a non-zero code",
    request={"method": "POST", "path": "/v1.43/build?t=ledger-api:2.7.1"},
    holdout=True,
)

PART.add(
    "e-replicate-prediction-sync-failed",
    201,
    {
        "id": "q9x2m7d1k5rg80cj3vtb6wz4ya",
        "model": "acme/upscaler",
        "version": "a4c1f0e2d3b5",
        "input": {"image": "https://cdn.acme.io/u/8812.png", "scale": 8},
        "logs": "Loading weights...\nRunning upscale x8\n",
        "output": None,
        "data_removed": False,
        "error": "CUDA out of memory. Tried to allocate 9.00 GiB (GPU 0; 39.39 GiB total capacity; 31.02 GiB already allocated)",
        "status": "failed",
        "created_at": "2024-06-03T12:01:44.125Z",
        "started_at": "2024-06-03T12:01:45.003Z",
        "completed_at": "2024-06-03T12:01:58.771Z",
        "urls": {"get": "https://api.replicate.com/v1/predictions/q9x2m7d1k5rg80cj3vtb6wz4ya"},
    },
    "generic_business_error",
    "prediction created with Prefer: wait comes back already finished with status failed and an error",
    request={"method": "POST", "path": "/v1/predictions", "headers": {"Prefer": "wait"}},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# traps (label None)
# --------------------------------------------------------------------------------------------

PART.add(
    "e-ecs-runtask-partial-capacity",
    200,
    {
        "tasks": [
            {
                "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/batch-prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "lastStatus": "PROVISIONING",
                "desiredStatus": "RUNNING",
                "launchType": "EC2",
                "group": "family:report-render",
            },
            {
                "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/batch-prod/1f2e3d4c5b6a79880796a5b4c3d2e1f0",
                "lastStatus": "PROVISIONING",
                "desiredStatus": "RUNNING",
                "launchType": "EC2",
                "group": "family:report-render",
            },
        ],
        "failures": [
            {
                "arn": "arn:aws:ecs:eu-west-1:123456789012:container-instance/batch-prod/4c1e8f0a2b3d4e5f9a8b7c6d5e4f3a2b",
                "reason": "RESOURCE:CPU",
            }
        ],
    },
    None,
    "two of three tasks were placed; one placement failure in a partly successful RunTask is not a call failure",
    content_type="application/x-amz-json-1.1",
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.RunTask"}},
    trap=True,
    holdout=True,
)

PART.add(
    "e-africastalking-sms-partial-invalid-number",
    201,
    {
        "SMSMessageData": {
            "Message": "Sent to 1/2 Total Cost: KES 0.8000",
            "Recipients": [
                {
                    "cost": "KES 0.8000",
                    "messageId": "ATXid_4c9e1f0b7a2d",
                    "number": "+254711082315",
                    "status": "Success",
                    "statusCode": 101,
                },
                {
                    "cost": "0",
                    "messageId": "None",
                    "number": "+25471108",
                    "status": "InvalidPhoneNumber",
                    "statusCode": 403,
                },
            ],
        }
    },
    None,
    "one recipient Success (101), one InvalidPhoneNumber: partial batch, the send itself worked",
    request={"method": "POST", "path": "/version1/messaging", "headers": {"Accept": "application/json"}},
    trap=True,
    holdout=True,
)

PART.add(
    "e-k8s-selfsubjectaccessreview-not-allowed",
    201,
    {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": {
            "resourceAttributes": {
                "namespace": "payments",
                "verb": "delete",
                "group": "apps",
                "resource": "deployments",
            }
        },
        "status": {"allowed": False},
    },
    None,
    "the review is the question 'may I delete deployments?'; allowed false is its answer, the call succeeded",
    request={"method": "POST", "path": "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-dropboxsign-request-sent-with-warnings",
    200,
    {
        "signature_request": {
            "signature_request_id": "fa5c8a0b0f492d768749333ad6fcc214c111e967",
            "title": "Offer letter - M. Okafor",
            "is_complete": False,
            "is_declined": False,
            "has_error": False,
            "signing_url": None,
            "signatures": [
                {
                    "signature_id": "78caf2a1d01cd39cea2bc1cbb340dac3",
                    "signer_email_address": "m.okafor@example.com",
                    "status_code": "awaiting_signature",
                    "error": None,
                }
            ],
        },
        "warnings": [
            {
                "warning_msg": 'Parameter "form_fields_per_document" is deprecated; use "form_field_groups" instead',
                "warning_name": "deprecated_parameter",
            }
        ],
    },
    None,
    "signature request created and awaiting signature (has_error false); a deprecation warning is not a failure",
    request={"method": "POST", "path": "/v3/signature_request/send"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-shippo-address-validate-not-valid",
    201,
    {
        "is_complete": True,
        "validation_results": {
            "is_valid": False,
            "messages": [
                {"source": "USPS", "code": "Default Match", "type": "address_warning", "text": "Address not found"}
            ],
        },
        "object_id": "0f2a7c3e9b8d4e51a6c7d8e9f0a1b2c3",
        "street1": "1092 Indian Summer Ct",
        "city": "San Jose",
        "state": "CA",
        "zip": "95122",
        "country": "US",
        "is_residential": None,
        "test": False,
    },
    None,
    "address validation ran and its verdict is is_valid false; the address object was created, the call succeeded",
    request={"method": "POST", "path": "/addresses/"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-gitlab-graphql-createissue-empty-errors",
    200,
    {
        "data": {
            "createIssue": {
                "issue": {
                    "iid": "128",
                    "title": "Card declined errors spike on checkout",
                    "webUrl": "https://gitlab.acme.io/payments/checkout/-/issues/128",
                },
                "errors": [],
            }
        }
    },
    None,
    "mutation created the issue; payload errors[] is empty (the title merely talks about errors)",
    request={"method": "POST", "path": "/api/graphql"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-databricks-statement-succeeded-failure-counts",
    200,
    {
        "statement_id": "01ef2c7b-0a9e-1b77-8c30-4f1d2e3a5b6c",
        "status": {"state": "SUCCEEDED"},
        "manifest": {
            "format": "JSON_ARRAY",
            "schema": {
                "column_count": 2,
                "columns": [
                    {"name": "error_code", "type_text": "STRING", "type_name": "STRING", "position": 0},
                    {"name": "failures", "type_text": "BIGINT", "type_name": "LONG", "position": 1},
                ],
            },
            "total_chunk_count": 1,
            "chunks": [{"chunk_index": 0, "row_offset": 0, "row_count": 3}],
            "total_row_count": 3,
            "truncated": False,
        },
        "result": {
            "chunk_index": 0,
            "row_offset": 0,
            "row_count": 3,
            "data_array": [["card_declined", "412"], ["insufficient_funds", "187"], ["rate_limited", "33"]],
        },
    },
    None,
    "statement SUCCEEDED; the rows are failure counts from a table (data, not an error)",
    request={"method": "POST", "path": "/api/2.0/sql/statements"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-docker-build-stream-success-with-error-logs",
    200,
    _ndjson(
        {"stream": "Step 5/7 : RUN npm test"},
        {"stream": "\n"},
        {"stream": " ---> Running in 3c4d5e6f7a8b\n"},
        {"stream": "npm WARN deprecated request@2.88.2: request has been deprecated\n"},
        {"stream": "  ✓ returns 402 when the card is declined\n  ✓ maps ETIMEDOUT to a retryable error\n"},
        {"stream": "Removing intermediate container 3c4d5e6f7a8b\n"},
        {"stream": " ---> 9e8d7c6b5a4f\n"},
        {"aux": {"ID": "sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b"}},
        {"stream": "Successfully built 9e8d7c6b5a4f\n"},
        {"stream": "Successfully tagged ledger-api:2.7.1\n"},
    ),
    None,
    "build stream mentions errors and a deprecation in test/log output but ends with Successfully built/tagged",
    request={"method": "POST", "path": "/v1.43/build?t=ledger-api:2.7.1"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-aftership-get-tracking-exception-tag",
    200,
    {
        "meta": {"code": 200},
        "data": {
            "tracking": {
                "id": "5b74f4958776db0e00b6f5ed",
                "slug": "dhl",
                "tracking_number": "1234567890",
                "tag": "Exception",
                "subtag": "Exception_011",
                "subtag_message": "Returned to sender",
                "checkpoints": [
                    {
                        "checkpoint_time": "2024-05-30T09:12:00+02:00",
                        "message": "Shipment returned to shipper - consignee refused",
                        "tag": "Exception",
                        "location": "Leipzig, DE",
                    }
                ],
            }
        },
    },
    None,
    "GET of a tracking whose shipment is in the Exception state: meta.code 200, the read succeeded",
    request={"method": "GET", "path": "/v4/trackings/dhl/1234567890"},
    trap=True,
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# plain success and non-2xx
# --------------------------------------------------------------------------------------------

PART.add(
    "e-unit-book-payment-sent",
    200,
    {
        "data": {
            "type": "bookPayment",
            "id": "1338",
            "attributes": {
                "createdAt": "2024-05-21T09:16:03.442Z",
                "amount": 12500,
                "direction": "Credit",
                "description": "Refund for order 4471",
                "status": "Sent",
                "tags": {},
            },
            "relationships": {
                "account": {"data": {"type": "depositAccount", "id": "10002"}},
                "counterpartyAccount": {"data": {"type": "depositAccount", "id": "10417"}},
                "transaction": {"data": {"type": "transaction", "id": "4003"}},
            },
        }
    },
    None,
    "book payment created with status Sent and a transaction: plain success",
    content_type="application/vnd.api+json",
    request={"method": "POST", "path": "/payments"},
    holdout=True,
)

PART.add(
    "e-dwolla-400-embedded-duplicate-customer",
    400,
    {
        "code": "ValidationError",
        "message": "Validation error(s) present. See embedded errors list for more details.",
        "_embedded": {
            "errors": [
                {
                    "code": "Duplicate",
                    "message": "A customer with the specified email already exists.",
                    "path": "/email",
                    "_links": {
                        "about": {
                            "href": "https://api-sandbox.dwolla.com/customers/a4a1b2c3-d4e5-46f7-8a9b-0c1d2e3f4a5b"
                        }
                    },
                }
            ]
        },
    },
    "conflict",
    "400 whose embedded error is Duplicate (customer already exists): the more specific type wins over 400's validation",
    content_type="application/vnd.dwolla.v1.hal+json",
    request={"method": "POST", "path": "/customers"},
    holdout=True,
)

PART.add(
    "e-finch-500-batch-level-server-error",
    500,
    {"code": 500, "name": "server_error", "message": "Internal server error"},
    "server_error",
    "batch endpoint failing at the HTTP status level with a 500",
    request={"method": "POST", "path": "/employer/pay-statement"},
    holdout=True,
)
