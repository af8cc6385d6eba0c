"""Sixth round of nested failures (development round "f"), from stacks the earlier rounds did not
use: POS and payments answering the action with a failed entity (SumUp checkout processing, the
Adyen Terminal API ``SaleToPOIResponse.PaymentResponse.Response`` with ``ErrorCondition`` Refusal,
Wise balance funding ``REJECTED``, Moyasar payments ``source.message``, Pagar.me v5 orders whose
``charges[].last_transaction`` was not authorised, the Authorize.net JSON API behind a BOM), IoT
fleet and connected cars (MyGeotab JSON-RPC ``OverLimitException``, Smartcar batch sub-responses,
Azure IoT Hub bulk registry), observability and security (Zabbix JSON-RPC ``error.data``, New Relic
NerdGraph payload ``errors``, Honeycomb batch events, ClickHouse exceptions appended mid-stream,
OpenSearch ``_msearch``, CrowdStrike, VirusTotal), CI/CD and cloud long-running operations (LUCI
Buildbucket pRPC batch behind ``)]}'``, Cloud Run ``operations:wait``, Apps Script ``scripts.run``),
healthcare (Stedi X12 271 ``aaaErrors``, FHIR ``batch-response``), education (Canvas GraphQL), real
estate (Zillow ``message.code``, RETS ``ReplyCode``), travel and maps (TomTom batch search), ad
platforms (Meta Graph batch items, LinkedIn Rest.li BATCH_CREATE, Amazon Ads SP v3 207
multi-status, Ocean Engine batch status in gzip GBK), shipping and marketplaces (Royal Mail Click &
Drop ``failedOrders``, Coupang invoice upload ``responseList`` in gzip EUC-KR), CRM (SuiteCRM v4_1
JSON sent as text/html) and LLM streams (OpenRouter SSE mid-stream error, Cohere ``stream-end`` with
``finish_reason`` ERROR).  Traps: eligibility and address verdicts, a partial Honeycomb batch, a
VirusTotal report with engine failures, empty CrowdStrike ``errors``, a Zabbix problem list, a
ClickHouse query over ``system.query_log`` exceptions and an IoT Hub bulk result with warnings;
plus a plain 202, a Clover 402, Canvas's 403 throttle text and a freee 400 in gzip Shift_JIS."""

from tests.semantic_errors.shapes import Part, chunked, dumps, gz, response

PART = Part("nesting")


# --------------------------------------------------------------------------------------------
# payment: the entity answering the POST/PUT is in a failed state
# --------------------------------------------------------------------------------------------

PART.add(
    "f-sumup-process-checkout-failed",
    200,
    {
        "checkout_reference": "ORD-2024-118733",
        "amount": 42.5,
        "currency": "EUR",
        "merchant_code": "MH4H92C7",
        "description": "Order #118733",
        "id": "4e425463-3e1b-431d-83fa-1e51c2925e99",
        "status": "FAILED",
        "date": "2024-05-13T09:41:27.000+00:00",
        "transaction_code": "TEENSK4W2K",
        "transaction_id": "410fc44a-5956-44e1-b5cc-19c6f8d727a4",
        "transactions": [
            {
                "id": "410fc44a-5956-44e1-b5cc-19c6f8d727a4",
                "transaction_code": "TEENSK4W2K",
                "amount": 42.5,
                "currency": "EUR",
                "timestamp": "2024-05-13T09:41:29.118Z",
                "status": "FAILED",
                "payment_type": "ECOM",
                "installments_count": 1,
                "merchant_code": "MH4H92C7",
                "vat_amount": 0,
                "tip_amount": 0,
                "entry_mode": "CUSTOMER_ENTRY",
                "internal_id": 2581734,
            }
        ],
    },
    "payment",
    "processing the checkout with the card answered the checkout FAILED and its only transaction FAILED: the card payment did not go through",
    request={"method": "PUT", "path": "/v0.1/checkouts/4e425463-3e1b-431d-83fa-1e51c2925e99"},
)

PART.add(
    "f-adyen-terminal-api-refusal-balance",
    200,
    {
        "SaleToPOIResponse": {
            "MessageHeader": {
                "MessageCategory": "Payment",
                "MessageClass": "Service",
                "MessageType": "Response",
                "POIID": "V400m-346403161",
                "ProtocolVersion": "3.0",
                "SaleID": "POS-LANE-07",
                "ServiceID": "0513094112",
            },
            "PaymentResponse": {
                "POIData": {
                    "POIReconciliationID": "1000",
                    "POITransactionID": {
                        "TimeStamp": "2024-05-13T09:41:55.000Z",
                        "TransactionID": "4r7i001715593315021.ST3QFTHZ2J4R6B65",
                    },
                },
                "SaleData": {"SaleTransactionID": {"TimeStamp": "2024-05-13T09:41:12.000Z", "TransactionID": "27908"}},
                "Response": {
                    "Result": "Failure",
                    "ErrorCondition": "Refusal",
                    "AdditionalResponse": "tid=47069832&transactionType=GOODS_SERVICES&posAuthAmountCurrency=EUR&posAuthAmountValue=12450&paymentMethod=mc&cardSummary=4444&refusalReason=Not%20enough%20balance&pspReference=ST3QFTHZ2J4R6B65",
                },
            },
        }
    },
    "payment",
    "Terminal API payment response three levels down: Result Failure, ErrorCondition Refusal, refusalReason 'Not enough balance'",
    request={"method": "POST", "path": "/sync"},
)

PART.add(
    "f-wise-fund-transfer-balance-rejected",
    201,
    {"type": "BALANCE", "status": "REJECTED", "errorCode": "transfer.insufficient_funds"},
    "payment",
    "funding the payout from the balance was answered with status REJECTED and errorCode transfer.insufficient_funds",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/v3/profiles/16582302/transfers/50819474/payments"},
)

PART.add(
    "f-moyasar-payment-source-insufficient",
    201,
    {
        "id": "a3d0e2b5-6f1c-4c2e-9d49-1c0a7e5f2b10",
        "status": "failed",
        "amount": 34900,
        "fee": 0,
        "currency": "SAR",
        "refunded": 0,
        "refunded_at": None,
        "captured": 0,
        "captured_at": None,
        "voided_at": None,
        "description": "Booking #HT-88214, 2 nights",
        "amount_format": "349.00 SAR",
        "fee_format": "0.00 SAR",
        "invoice_id": None,
        "ip": "91.74.12.8",
        "callback_url": "https://book.example.sa/payments/return",
        "created_at": "2024-05-13T09:41:57.000Z",
        "metadata": {"booking": "HT-88214"},
        "source": {
            "type": "creditcard",
            "company": "mada",
            "name": "Fahad Alqahtani",
            "number": "4201-32XX-XXXX-7373",
            "gateway_id": "moyasar_cc_Xw3qB2uTeZ7m",
            "reference_number": "413409871233",
            "token": None,
            "message": "Insufficient Funds",
            "transaction_url": None,
        },
    },
    "payment",
    "the payment created by the POST is in status failed and its source message says Insufficient Funds",
    request={"method": "POST", "path": "/v1/payments"},
)

PART.add(
    "f-authorizenet-json-bom-declined",
    200,
    "\ufeff"
    + dumps(
        {
            "transactionResponse": {
                "responseCode": "2",
                "authCode": "000000",
                "avsResultCode": "Y",
                "cvvResultCode": "N",
                "cavvResultCode": "",
                "transId": "60213371834",
                "refTransID": "",
                "transHash": "",
                "testRequest": "0",
                "accountNumber": "XXXX0027",
                "accountType": "Visa",
                "errors": [{"errorCode": "2", "errorText": "This transaction has been declined."}],
                "transHashSha2": "",
                "SupplementalDataQualificationIndicator": 0,
            },
            "refId": "INV-30311",
            "messages": {
                "resultCode": "Error",
                "message": [{"code": "E00027", "text": "The transaction was unsuccessful."}],
            },
        }
    ),
    "payment",
    "createTransactionRequest answered (behind the API's UTF-8 BOM) with transactionResponse.responseCode 2 'This transaction has been declined.'",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/xml/v1/request.api"},
)

_PAGARME = {
    "id": "or_56GXnk6T0eU88qMm",
    "code": "PED-77140",
    "amount": 18990,
    "currency": "BRL",
    "closed": True,
    "items": [
        {
            "id": "oi_d7K9mNqRxT3bV4yZ",
            "description": "Caneca Café Coração",
            "amount": 18990,
            "quantity": 1,
            "status": "active",
        }
    ],
    "customer": {"id": "cus_Gz8YQAbc12", "name": "João Conceição", "email": "joao.conceicao@example.com.br"},
    "status": "failed",
    "created_at": "2024-05-13T12:41:57Z",
    "charges": [
        {
            "id": "ch_Vx2Jq4wLm9aB7cDe",
            "code": "PED-77140",
            "amount": 18990,
            "status": "failed",
            "currency": "BRL",
            "payment_method": "credit_card",
            "last_transaction": {
                "id": "tran_9pQr4StUv6WxYz0A",
                "transaction_type": "credit_card",
                "amount": 18990,
                "status": "not_authorized",
                "success": False,
                "installments": 1,
                "acquirer_name": "stone",
                "acquirer_return_code": "1016",
                "acquirer_message": "Transação não autorizada: saldo/limite insuficiente",
                "operation_type": "auth_and_capture",
                "gateway_response": {"code": "200", "errors": []},
            },
        }
    ],
}
PART.add(
    "f-pagarme-order-failed-gzip-cp1252",
    200,
    gz(dumps(_PAGARME).encode("cp1252")),
    "payment",
    "gzip body in Windows-1252: the order created is status failed, its charge's last_transaction not_authorized with 'saldo/limite insuficiente'",
    content_type="application/json; charset=windows-1252",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/core/v5/orders"},
)


# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "f-geotab-jsonrpc-overlimit",
    200,
    {
        "error": {
            "message": "API calls quota exceeded. Maximum admitted 10 per 1m.",
            "code": -32000,
            "data": {"id": "b83dc64f-3976-4b35-8e32-c55b3a4adc2f", "type": "OverLimitException", "requestIndex": 0},
            "name": "JSONRPCError",
            "errors": [
                {"message": "API calls quota exceeded. Maximum admitted 10 per 1m.", "name": "OverLimitException"}
            ],
        },
        "jsonrpc": "2.0",
        "requestIndex": 0,
    },
    "rate_limit",
    "MyGeotab answers 200 with a JSON-RPC error whose data.type is OverLimitException: call quota exceeded",
    headers={"Retry-After": "56"},
    request={"method": "POST", "path": "/apiv1"},
)

_META_THROTTLE = dumps(
    {
        "error": {
            "message": "(#80004) There have been too many calls to this ad-account. Wait a bit and try again.",
            "type": "OAuthException",
            "is_transient": True,
            "code": 80004,
            "error_subcode": 2446079,
            "fbtrace_id": "AqZ3kV0yX1Hc7mQ9rLw2Tbe",
        }
    }
)
PART.add(
    "f-meta-graph-batch-adaccount-throttled",
    200,
    [
        {
            "code": 400,
            "headers": [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}],
            "body": _META_THROTTLE,
        },
        {
            "code": 400,
            "headers": [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}],
            "body": _META_THROTTLE.replace("AqZ3kV0yX1Hc7mQ9rLw2Tbe", "B7nS2xQpL0vWc4YtRk9Jd1M"),
        },
    ],
    "rate_limit",
    "Graph batch: both sub-responses are 400 with error code 80004 'too many calls to this ad-account'",
    request={"method": "POST", "path": "/v19.0/"},
)

PART.add(
    "f-rets-search-too-many-outstanding",
    200,
    '<RETS ReplyCode="20210" ReplyText="Too many outstanding queries">\r\n</RETS>\r\n',
    "rate_limit",
    "RETS Search reply with ReplyCode 20210 'Too many outstanding queries' instead of the listing rows",
    content_type="text/xml",
    headers={"RETS-Version": "RETS/1.7.2", "Cache-Control": "private"},
    request={
        "method": "GET",
        "path": "/rets/search?SearchType=Property&Class=RE_1&QueryType=DMQL2&Query=(ListPrice=350000%2B)&Format=COMPACT-DECODED&Limit=500",
    },
)

PART.add(
    "f-smartcar-batch-vehicle-rate-limit",
    200,
    {
        "responses": [
            {
                "path": "/odometer",
                "code": 429,
                "headers": {"retry-after": 2147},
                "body": {
                    "type": "RATE_LIMIT",
                    "code": "VEHICLE",
                    "description": "You have reached the throttling rate limit for this vehicle. Please see the retry-after header for when to retry the request.",
                    "statusCode": 429,
                    "resolution": {"type": "RETRY_LATER"},
                    "requestId": "5dea93a1-3f79-4246-90c1-6c4f6e3c0a2e",
                },
            },
            {
                "path": "/battery",
                "code": 429,
                "headers": {"retry-after": 2147},
                "body": {
                    "type": "RATE_LIMIT",
                    "code": "VEHICLE",
                    "statusCode": 429,
                    "resolution": {"type": "RETRY_LATER"},
                    "requestId": "5dea93a1-3f79-4246-90c1-6c4f6e3c0a2e",
                },
            },
        ]
    },
    "rate_limit",
    "batch of vehicle reads where every sub-response is 429 RATE_LIMIT/VEHICLE",
    request={"method": "POST", "path": "/v2.0/vehicles/36ab27d0-fd9d-4455-823a-ce30af709ffc/batch"},
)


# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

_BB_DENIED = '"user:ci-sync@chops-proj.iam.gserviceaccount.com" does not have permission "buildbucket.builds.add" in bucket "chromium/try"'
PART.add_raw(
    "f-buildbucket-prpc-batch-xssi-denied",
    response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("X-Prpc-Grpc-Code", "0"),
            ("X-Content-Type-Options", "nosniff"),
            ("Date", "Mon, 13 May 2024 09:42:03 GMT"),
        ],
        (
            ")]}'\n"
            + dumps(
                {
                    "responses": [
                        {"error": {"code": 7, "message": _BB_DENIED}},
                        {"error": {"code": 7, "message": _BB_DENIED}},
                    ]
                }
            )
        ).encode(),
    ),
    "auth_failure",
    "pRPC Batch behind the )]}' prefix: both ScheduleBuild sub-responses are google.rpc.Status code 7 PERMISSION_DENIED",
    request={"method": "POST", "path": "/prpc/buildbucket.v2.Builds/Batch", "headers": {"Accept": "application/json"}},
)

PART.add(
    "f-zillow-getsearchresults-zwsid",
    200,
    '<?xml version="1.0" encoding="utf-8"?><SearchResults:searchresults '
    'xsi:schemaLocation="http://www.zillow.com/static/xsd/SearchResults.xsd https://www.zillowstatic.com/vstatic/b3a4b2b/static/xsd/SearchResults.xsd" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SearchResults="http://www.zillow.com/static/xsd/SearchResults.xsd">'
    "<request><address>2114 Bigelow Ave</address><citystatezip>Seattle, WA</citystatezip></request>"
    "<message><text>Error: invalid or missing ZWSID parameter</text><code>2</code></message>"
    "</SearchResults:searchresults><!-- H:003  T:1ms  S:150  R:Mon May 13 02:42:05 PDT 2024  B:5.0.62588-master.b9f1b6f~hotfix_pre.0a3b7a5 -->",
    "auth_failure",
    "GetSearchResults answered with message code 2 'invalid or missing ZWSID parameter': the API key was rejected",
    content_type="text/xml;charset=utf-8",
    request={
        "method": "GET",
        "path": "/webservice/GetSearchResults.htm?zws-id=X1-ZWz1example&address=2114+Bigelow+Ave&citystatezip=Seattle%2C+WA",
    },
)

PART.add(
    "f-cloudrun-operation-wait-actas-denied",
    200,
    {
        "name": "projects/acme-prod/locations/europe-west1/operations/3c9f2a1e-7b44-4d0e-a1c9-5f0e8b2d6a17",
        "metadata": {
            "@type": "type.googleapis.com/google.cloud.run.v2.Service",
            "name": "projects/acme-prod/locations/europe-west1/services/checkout-api",
            "generation": "14",
            "template": {"serviceAccount": "deployer-runtime@acme-prod.iam.gserviceaccount.com"},
        },
        "done": True,
        "error": {
            "code": 7,
            "message": "Permission 'iam.serviceaccounts.actAs' denied on service account deployer-runtime@acme-prod.iam.gserviceaccount.com (or it may not exist).",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "IAM_PERMISSION_DENIED",
                    "domain": "iam.googleapis.com",
                    "metadata": {"permission": "iam.serviceaccounts.actAs"},
                }
            ],
        },
    },
    "auth_failure",
    "operations:wait returned the deployment's long-running operation done with error code 7: actAs permission denied",
    content_type="application/json; charset=UTF-8",
    request={
        "method": "POST",
        "path": "/v2/projects/acme-prod/locations/europe-west1/operations/3c9f2a1e-7b44-4d0e-a1c9-5f0e8b2d6a17:wait",
    },
)

PART.add(
    "f-suitecrm-v41-invalid-session-texthtml",
    200,
    '{"name":"Invalid Session ID","number":11,"description":"The session ID is invalid"}',
    "auth_failure",
    "legacy REST v4_1 set_entry answered with its error object (Invalid Session ID, number 11) as text/html",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/service/v4_1/rest.php"},
)

PART.add(
    "f-canvas-graphql-payload-insufficient-permissions",
    200,
    {
        "data": {
            "createDiscussionEntry": {
                "discussionEntry": None,
                "errors": [{"attribute": "message", "message": "Insufficient Permissions"}],
            }
        }
    },
    "auth_failure",
    "mutation payload: no entry created and its errors say Insufficient Permissions",
    request={"method": "POST", "path": "/api/graphql"},
)


# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "f-stedi-eligibility-aaa-75-subscriber",
    200,
    {
        "meta": {"applicationMode": "production", "traceId": "1-66419c1d-0c5a41e21d3b2a7f4e6c8b90"},
        "controlNumber": "123456789",
        "reassociationKey": "123456789",
        "tradingPartnerServiceId": "60054",
        "provider": {
            "providerName": "RIVERBEND FAMILY CLINIC",
            "entityIdentifier": "Provider",
            "entityType": "Non-Person Entity",
            "npi": "1999999984",
        },
        "subscriber": {
            "memberId": "W418880392",
            "firstName": "ANNA",
            "lastName": "KOWALSKI",
            "dateOfBirth": "19840723",
            "aaaErrors": [
                {
                    "field": "AAA",
                    "code": "75",
                    "description": "Subscriber/Insured Not Found",
                    "followupAction": "Please Correct and Resubmit",
                    "location": "Loop 2100C",
                    "possibleResolutions": "Check the member ID, name and date of birth.",
                }
            ],
        },
        "payer": {
            "entityIdentifier": "Payer",
            "entityType": "Non-Person Entity",
            "name": "AETNA",
            "payorIdentification": "60054",
        },
        "errors": [
            {
                "field": "AAA",
                "code": "75",
                "description": "Subscriber/Insured Not Found",
                "followupAction": "Please Correct and Resubmit",
                "location": "Loop 2100C",
            }
        ],
    },
    "not_found",
    "the payer rejected the 270 inquiry: subscriber.aaaErrors AAA 75 'Subscriber/Insured Not Found', no benefits returned",
    request={"method": "POST", "path": "/2024-04-01/change/medicalnetwork/eligibility/v3"},
)

PART.add(
    "f-canvas-graphql-create-comment-not-found",
    200,
    {
        "data": {"createSubmissionComment": None},
        "errors": [
            {"message": "not found", "locations": [{"line": 2, "column": 3}], "path": ["createSubmissionComment"]}
        ],
    },
    "not_found",
    "the mutation's field is null and errors[].message is 'not found' for its path",
    request={"method": "POST", "path": "/api/graphql"},
)

_OCEAN = {
    "code": 0,
    "message": "OK",
    "request_id": "2024051317415701020806304713CA4F21",
    "data": {
        "ad_ids": [],
        "errors": [
            {"ad_id": 1798301245862951, "error_message": "广告计划不存在"},
            {"ad_id": 1798301245863107, "error_message": "广告计划不存在"},
            {"ad_id": 1798301245863388, "error_message": "广告计划不存在"},
        ],
    },
}
PART.add(
    "f-oceanengine-ad-status-batch-gzip-gbk",
    200,
    gz(dumps(_OCEAN).encode("gbk")),
    "not_found",
    "gzip GBK body: code 0 outside, but no ad was updated and every item's error_message says the ad plan does not exist (广告计划不存在)",
    content_type="application/json;charset=GBK",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/open_api/2/ad/update/status/"},
)

_FHIR_404 = lambda rid: {  # noqa: E731
    "response": {
        "status": "404 Not Found",
        "outcome": {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "not-found",
                    "diagnostics": f"HAPI-2001: Resource Patient/{rid} is not known",
                }
            ],
        },
    }
}
PART.add(
    "f-fhir-batch-response-all-not-found",
    200,
    {
        "resourceType": "Bundle",
        "id": "b4f6c2d1-0d3e-4a57-9b6c-71e0f2a8c3d5",
        "type": "batch-response",
        "link": [{"relation": "self", "url": "https://fhir.example-hospital.org/r4"}],
        "entry": [_FHIR_404("8f2c1e7a"), _FHIR_404("8f2c1e7b"), _FHIR_404("8f2c1e7c")],
    },
    "not_found",
    "batch-response where every entry's response.status is 404 Not Found with an OperationOutcome 'is not known'",
    content_type="application/fhir+json;charset=utf-8",
    request={"method": "POST", "path": "/r4", "headers": {"Accept": "application/fhir+json"}},
)

_OS_MISSING = lambda idx: {  # noqa: E731
    "error": {
        "root_cause": [
            {
                "type": "index_not_found_exception",
                "reason": f"no such index [{idx}]",
                "index": idx,
                "resource.type": "index_or_alias",
                "resource.id": idx,
                "index_uuid": "_na_",
            }
        ],
        "type": "index_not_found_exception",
        "reason": f"no such index [{idx}]",
        "index": idx,
        "resource.type": "index_or_alias",
        "resource.id": idx,
        "index_uuid": "_na_",
    },
    "status": 404,
}
PART.add(
    "f-opensearch-msearch-all-index-missing",
    200,
    {"took": 2, "responses": [_OS_MISSING("logs-checkout-0513"), _OS_MISSING("logs-payment-0513")]},
    "not_found",
    "_msearch: every search in the multi-search failed with index_not_found_exception, status 404",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/_msearch"},
)


# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "f-zabbix-host-create-already-exists",
    200,
    {
        "jsonrpc": "2.0",
        "error": {
            "code": -32602,
            "message": "Invalid params.",
            "data": 'Host with the same name "web-01.fra" already exists.',
        },
        "id": 3,
    },
    "conflict",
    "host.create JSON-RPC error: message is the generic 'Invalid params.' but data says the host already exists (most specific: conflict)",
    request={"method": "POST", "path": "/api_jsonrpc.php"},
)

_AMZ_DUP = lambda i, name: {  # noqa: E731
    "index": i,
    "errors": [
        {
            "errorType": "duplicateValueError",
            "errorValue": {
                "duplicateValueError": {
                    "reason": "DUPLICATE_VALUE",
                    "cause": {"location": f"$[{i}].name", "trigger": name},
                    "message": f"Campaign with name={name} already exists!",
                }
            },
        }
    ],
}
PART.add(
    "f-amazon-ads-sp-campaigns-207-duplicates",
    207,
    {"campaigns": {"success": [], "error": [_AMZ_DUP(0, "SP-Auto-Kettles-EU"), _AMZ_DUP(1, "SP-Exact-Kettles-EU")]}},
    "conflict",
    "207 multi-status with an empty success list: every campaign failed with duplicateValueError 'already exists'",
    content_type="application/vnd.spCampaign.v3+json",
    request={"method": "POST", "path": "/sp/campaigns"},
)

_COUPANG = {
    "code": 200,
    "message": "OK",
    "data": {
        "responseCode": 99,
        "responseMessage": "FAILED",
        "responseList": [
            {
                "shipmentBoxId": 642538970006401429,
                "succeed": False,
                "resultCode": "DUPLICATE_INVOICE_NUMBER",
                "retryRequired": True,
                "resultMessage": "이미 저장된 송장번호가 있습니다.",
            },
            {
                "shipmentBoxId": 642538970006401430,
                "succeed": False,
                "resultCode": "DUPLICATE_INVOICE_NUMBER",
                "retryRequired": True,
                "resultMessage": "이미 저장된 송장번호가 있습니다.",
            },
        ],
    },
}
PART.add(
    "f-coupang-invoice-upload-gzip-euckr",
    200,
    gz(dumps(_COUPANG).encode("euc-kr")),
    "conflict",
    "gzip EUC-KR body: code 200 outside, data.responseCode 99 FAILED and every shipment box DUPLICATE_INVOICE_NUMBER (송장번호가 이미 저장됨)",
    content_type="application/json;charset=EUC-KR",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices"},
)

PART.add(
    "f-azure-iothub-bulk-registry-exists",
    200,
    {
        "isSuccessful": False,
        "errors": [
            {
                "deviceId": "pump-0417",
                "errorCode": "DeviceAlreadyExists",
                "errorStatus": "A device with ID 'pump-0417' is already registered.",
                "operation": "create",
            },
            {
                "deviceId": "pump-0418",
                "errorCode": "DeviceAlreadyExists",
                "errorStatus": "A device with ID 'pump-0418' is already registered.",
                "operation": "create",
            },
        ],
        "warnings": [],
    },
    "conflict",
    "bulk registry create: isSuccessful false and every device DeviceAlreadyExists",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/devices?api-version=2021-04-12"},
)


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "f-linkedin-batch-create-campaigns",
    200,
    {
        "elements": [
            {
                "status": 400,
                "error": {
                    "message": "ERROR :: /dailyBudget/amount :: Daily budget 5.00 is below the minimum of 10.00 USD",
                    "status": 400,
                },
            },
            {
                "status": 400,
                "error": {
                    "message": "ERROR :: /runSchedule/start :: Start date must not be in the past",
                    "status": 400,
                },
            },
        ]
    },
    "validation",
    "Rest.li BATCH_CREATE answered 200 but every element has status 400 with a field validation message",
    request={"method": "POST", "path": "/rest/adCampaigns", "headers": {"X-RestLi-Method": "BATCH_CREATE"}},
)

PART.add(
    "f-nerdgraph-synthetics-create-bad-request",
    200,
    {
        "data": {
            "syntheticsCreateSimpleMonitor": {
                "errors": [
                    {
                        "description": "Invalid uri 'status.example.com/health': the uri must be absolute (http or https)",
                        "type": "BAD_REQUEST",
                    }
                ],
                "monitor": None,
            }
        }
    },
    "validation",
    "GraphQL mutation payload: monitor null, errors[].type BAD_REQUEST about an invalid uri",
    request={"method": "POST", "path": "/graphql"},
)

_TOMTOM_BAD = lambda text: {  # noqa: E731
    "statusCode": 400,
    "response": {"errorText": text, "detailedError": {"code": "BadRequest", "message": text}, "httpStatusCode": 400},
}
PART.add(
    "f-tomtom-batch-search-all-400",
    200,
    {
        "formatVersion": "0.0.12",
        "batchItems": [
            _TOMTOM_BAD("Error parsing 'lat': Invalid value '48,8566', a number is expected"),
            _TOMTOM_BAD("Error parsing 'radius': Invalid value '-500', must be a positive integer"),
        ],
        "summary": {"successfulRequests": 0, "totalRequests": 2},
    },
    "validation",
    "synchronous batch: summary 0 of 2 successful, every item 400 'Error parsing' a parameter",
    request={"method": "POST", "path": "/search/2/batch/sync.json"},
)

PART.add(
    "f-royalmail-clickdrop-failed-orders",
    200,
    {
        "successCount": 0,
        "errorsCount": 2,
        "createdOrders": [],
        "failedOrders": [
            {
                "order": {
                    "orderReference": "WEB-55102",
                    "recipient": {"address": {"fullName": "Ada Byrne", "postcode": "SW1A 1ZZZ", "countryCode": "GB"}},
                },
                "errors": [
                    {
                        "errorCode": 39,
                        "errorMessage": "The postcode is not valid",
                        "fields": [{"fieldName": "recipient.address.postcode", "value": "SW1A 1ZZZ"}],
                    }
                ],
            },
            {
                "order": {
                    "orderReference": "WEB-55103",
                    "recipient": {"address": {"fullName": "Tom Hale", "postcode": "", "countryCode": "GB"}},
                },
                "errors": [
                    {
                        "errorCode": 12,
                        "errorMessage": "Postcode is required",
                        "fields": [{"fieldName": "recipient.address.postcode", "value": ""}],
                    }
                ],
            },
        ],
    },
    "validation",
    "create-orders answer with successCount 0: both orders in failedOrders with postcode invalid/required",
    request={"method": "POST", "path": "/api/v1/orders"},
)


# --------------------------------------------------------------------------------------------
# generic_business_error: long-running operations and streams ending in an error
# --------------------------------------------------------------------------------------------

_CH_ROWS = "".join(
    dumps({"merchant_id": m, "day": "2024-05-12", "orders": o, "revenue": r}) + "\n"
    for m, o, r in [(10031, 412, 18233.5), (10032, 87, 2310.0), (10035, 1290, 60412.75)]
)
_CH_EXC = (
    "Code: 241. DB::Exception: Memory limit (for query) exceeded: would use 9.32 GiB (attempt to allocate chunk of "
    "4194304 bytes), maximum: 9.31 GiB.: While executing AggregatingTransform. (MEMORY_LIMIT_EXCEEDED) "
    "(version 23.8.2.7 (official build))\n"
)
PART.add_raw(
    "f-clickhouse-jsoneachrow-midstream-exception",
    response(
        "200 OK",
        [
            ("Date", "Mon, 13 May 2024 09:42:11 GMT"),
            ("Connection", "Keep-Alive"),
            ("Content-Type", "application/x-ndjson; charset=UTF-8"),
            ("X-ClickHouse-Server-Display-Name", "ch-analytics-02"),
            ("Transfer-Encoding", "chunked"),
            ("X-ClickHouse-Query-Id", "7a1c0e2f-43b5-4f6e-9d81-0e5b2c7f3a94"),
            ("X-ClickHouse-Format", "JSONEachRow"),
            ("X-ClickHouse-Timezone", "UTC"),
            ("Keep-Alive", "timeout=10"),
        ],
        chunked((_CH_ROWS + _CH_EXC).encode(), [len(_CH_ROWS.encode())]),
    ),
    "generic_business_error",
    "the server had already sent 200 and some rows, then appended a DB::Exception (MEMORY_LIMIT_EXCEEDED) as the last chunk: the query result is incomplete (a server memory limit, not a request-rate limit)",
    request={"method": "POST", "path": "/?default_format=JSONEachRow", "headers": {"Accept": "*/*"}},
)

PART.add(
    "f-openrouter-sse-midstream-error",
    200,
    ": OPENROUTER PROCESSING\n\n"
    + "data: "
    + dumps(
        {
            "id": "gen-1715593331-kX8rQ2vN",
            "provider": "Together",
            "model": "meta-llama/llama-3-70b-instruct",
            "object": "chat.completion.chunk",
            "created": 1715593331,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": "The quarterly figures show"},
                    "finish_reason": None,
                }
            ],
        }
    )
    + "\n\n"
    + "data: "
    + dumps(
        {
            "id": "gen-1715593331-kX8rQ2vN",
            "object": "chat.completion.chunk",
            "created": 1715593331,
            "model": "meta-llama/llama-3-70b-instruct",
            "provider": "Together",
            "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
            "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
        }
    )
    + "\n\n",
    "generic_business_error",
    "SSE chat stream whose last event carries error server_error 'Provider disconnected unexpectedly' and finish_reason error: the completion was cut",
    content_type="text/event-stream",
    headers={"Cache-Control": "no-cache", "X-Generation-Id": "gen-1715593331-kX8rQ2vN"},
    request={"method": "POST", "path": "/api/v1/chat/completions"},
)

PART.add(
    "f-apps-script-run-script-error",
    200,
    {
        "done": True,
        "error": {
            "code": 3,
            "message": "ScriptError",
            "details": [
                {
                    "@type": "type.googleapis.com/google.apps.script.v1.ExecutionError",
                    "errorMessage": "TypeError: Cannot read properties of null (reading 'getRange')",
                    "errorType": "ScriptError",
                    "scriptStackTraceElements": [
                        {"function": "appendInvoiceRow", "lineNumber": 42},
                        {"function": "syncInvoices", "lineNumber": 8},
                    ],
                }
            ],
        },
    },
    "generic_business_error",
    "scripts.run operation done with an error whose ExecutionError is a TypeError thrown by the script: the function failed",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/v1/scripts/AKfycbx7Qm3rN0pL9eTzW2vYc:run"},
)

PART.add(
    "f-cohere-chat-stream-end-error",
    200,
    "\n".join(
        dumps(e)
        for e in [
            {
                "is_finished": False,
                "event_type": "stream-start",
                "generation_id": "8f1d2c3b-4a5e-4f60-9b7a-1c2d3e4f5a6b",
            },
            {"is_finished": False, "event_type": "text-generation", "text": "Here is"},
            {"is_finished": False, "event_type": "text-generation", "text": " a summary of the"},
            {
                "is_finished": True,
                "event_type": "stream-end",
                "finish_reason": "ERROR",
                "response": {
                    "response_id": "c1e5b7a2-9d3f-4e18-a6b0-2f4c8d1e7a93",
                    "text": "Here is a summary of the",
                    "generation_id": "8f1d2c3b-4a5e-4f60-9b7a-1c2d3e4f5a6b",
                    "finish_reason": "ERROR",
                    "meta": {
                        "api_version": {"version": "1"},
                        "billed_units": {"input_tokens": 1184, "output_tokens": 6},
                    },
                },
            },
        ]
    )
    + "\n",
    "generic_business_error",
    "NDJSON chat stream whose final stream-end event has finish_reason ERROR after a truncated text",
    content_type="application/stream+json",
    request={"method": "POST", "path": "/v1/chat"},
)


# --------------------------------------------------------------------------------------------
# traps: verdicts, partial batches, errors as data, empty error lists
# --------------------------------------------------------------------------------------------

PART.add(
    "f-stedi-eligibility-coverage-inactive",
    200,
    {
        "meta": {
            "senderId": "030240928",
            "submitterId": "030240928",
            "applicationMode": "production",
            "traceId": "1-66419d02-3b7e5c1a9f0d2e4b6a8c0e12",
        },
        "controlNumber": "123456790",
        "tradingPartnerServiceId": "60054",
        "subscriber": {
            "memberId": "W418880392",
            "firstName": "ANNA",
            "lastName": "KOWALSKI",
            "dateOfBirth": "19840723",
            "gender": "F",
        },
        "payer": {"name": "AETNA", "payorIdentification": "60054"},
        "planInformation": {"groupNumber": "081234501", "groupDescription": "NORTHWIND LOGISTICS"},
        "planDateInformation": {"planBegin": "20220101", "planEnd": "20231231"},
        "planStatus": [
            {
                "statusCode": "6",
                "status": "Inactive",
                "planDetails": "OPEN ACCESS MANAGED CHOICE",
                "serviceTypeCodes": ["30"],
            }
        ],
        "benefitsInformation": [
            {
                "code": "6",
                "name": "Inactive",
                "serviceTypeCodes": ["30"],
                "serviceTypes": ["Health Benefit Plan Coverage"],
                "planCoverage": "OPEN ACCESS MANAGED CHOICE",
            }
        ],
        "errors": [],
    },
    None,
    "eligibility answered normally (no AAA errors, empty errors): coverage Inactive is the verdict the check was asked for",
    request={"method": "POST", "path": "/2024-04-01/change/medicalnetwork/eligibility/v3"},
    trap=True,
)

PART.add(
    "f-easypost-address-verify-delivery-false",
    201,
    {
        "id": "adr_7c1f3e9a10a411efb0f3ac1f6bc53342",
        "object": "Address",
        "created_at": "2024-05-13T09:42:20+00:00",
        "updated_at": "2024-05-13T09:42:20+00:00",
        "name": "Dr. Steve Brule",
        "company": None,
        "street1": "000 unknown street",
        "street2": None,
        "city": "Not A City",
        "state": "ZZ",
        "zip": "00001",
        "country": "US",
        "phone": None,
        "email": None,
        "mode": "production",
        "carrier_facility": None,
        "residential": None,
        "federal_tax_id": None,
        "state_tax_id": None,
        "verifications": {
            "delivery": {
                "success": False,
                "errors": [
                    {
                        "code": "E.ADDRESS.NOT_FOUND",
                        "field": "address",
                        "message": "Address not found",
                        "suggestion": None,
                    }
                ],
                "details": None,
            }
        },
    },
    None,
    "the address object was created (201) and the delivery verification's 'Address not found' is the verdict asked for, not a failed call",
    request={"method": "POST", "path": "/v2/addresses"},
    trap=True,
)

PART.add(
    "f-honeycomb-batch-partial-too-many-columns",
    200,
    [
        {"status": 202},
        {"status": 202},
        {"status": 400, "error": "Event has too many columns"},
        {"status": 202},
        {"status": 202},
    ],
    None,
    "batch events: four of five queued (202), one rejected; a partly failed batch is not a failed call",
    request={"method": "POST", "path": "/1/batch/prod-api"},
    trap=True,
)

PART.add(
    "f-virustotal-file-report-engine-failures",
    200,
    {
        "data": {
            "id": "9f3b4f0a2c7d1e5b8a6c4d2e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a",
            "type": "file",
            "attributes": {
                "meaningful_name": "error_report_tool.exe",
                "type_description": "Win32 EXE",
                "size": 482304,
                "last_analysis_date": 1715592140,
                "last_analysis_stats": {
                    "malicious": 0,
                    "suspicious": 0,
                    "undetected": 61,
                    "harmless": 0,
                    "timeout": 2,
                    "confirmed-timeout": 0,
                    "failure": 1,
                    "type-unsupported": 12,
                },
                "last_analysis_results": {
                    "Jiangmin": {
                        "category": "failure",
                        "engine_name": "Jiangmin",
                        "engine_version": "16.0.100",
                        "result": None,
                        "method": "blacklist",
                        "engine_update": "20240512",
                    },
                    "Zoner": {
                        "category": "timeout",
                        "engine_name": "Zoner",
                        "engine_version": "2.2.2.0",
                        "result": None,
                        "method": "blacklist",
                        "engine_update": "20240512",
                    },
                    "Bkav": {
                        "category": "undetected",
                        "engine_name": "Bkav",
                        "engine_version": "2.0.0.1",
                        "result": None,
                        "method": "blacklist",
                        "engine_update": "20240512",
                    },
                },
            },
        }
    },
    None,
    "a file report: engine categories failure/timeout and the file name are data about the scan, the GET succeeded",
    request={"method": "GET", "path": "/api/v3/files/9f3b4f0a2c7d1e5b8a6c4d2e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a"},
    trap=True,
)

PART.add(
    "f-crowdstrike-contain-host-errors-empty",
    202,
    {
        "meta": {
            "query_time": 0.409631,
            "powered_by": "device-api",
            "trace_id": "5f1c2a7e-0b9d-4e63-8a14-2d7c9e0f3b58",
        },
        "resources": [{"id": "c2a9e7d4f01b4c6d8e3a5b7c9d1e2f30", "path": ""}],
        "errors": [],
    },
    None,
    "contain action accepted (202) with the host in resources and an empty errors array",
    request={"method": "POST", "path": "/devices/entities/devices-actions/v2?action_name=contain"},
    trap=True,
)

PART.add(
    "f-zabbix-problem-get-disk-errors",
    200,
    {
        "jsonrpc": "2.0",
        "result": [
            {
                "eventid": "2947611",
                "source": "0",
                "object": "0",
                "objectid": "22741",
                "clock": "1715590712",
                "ns": "416282033",
                "r_eventid": "0",
                "r_clock": "0",
                "r_ns": "0",
                "correlationid": "0",
                "userid": "0",
                "name": "Disk I/O errors on /dev/sdb (more than 10 in 5m)",
                "acknowledged": "0",
                "severity": "4",
                "opdata": "",
                "suppressed": "0",
                "urls": [],
            },
            {
                "eventid": "2947655",
                "source": "0",
                "object": "0",
                "objectid": "19302",
                "clock": "1715591188",
                "ns": "90311742",
                "r_eventid": "0",
                "r_clock": "0",
                "r_ns": "0",
                "correlationid": "0",
                "userid": "0",
                "name": "Zabbix agent is not available (for 3m)",
                "acknowledged": "1",
                "severity": "3",
                "opdata": "",
                "suppressed": "0",
                "urls": [],
            },
        ],
        "id": 7,
    },
    None,
    "problem.get returned a result list of open problems: error-sounding names are the data asked for",
    request={"method": "POST", "path": "/api_jsonrpc.php"},
    trap=True,
)

PART.add(
    "f-clickhouse-ndjson-query-log-exceptions",
    200,
    "".join(
        dumps(r) + "\n"
        for r in [
            {
                "event_time": "2024-05-13 09:42:11",
                "query_id": "7a1c0e2f-43b5-4f6e-9d81-0e5b2c7f3a94",
                "type": "ExceptionWhileProcessing",
                "exception_code": 241,
                "exception": "Code: 241. DB::Exception: Memory limit (for query) exceeded: would use 9.32 GiB, maximum: 9.31 GiB. (MEMORY_LIMIT_EXCEEDED)",
            },
            {
                "event_time": "2024-05-13 09:37:40",
                "query_id": "0c4d8e1a-2f3b-4a5c-8d6e-9f0a1b2c3d4e",
                "type": "ExceptionBeforeStart",
                "exception_code": 60,
                "exception": "Code: 60. DB::Exception: Table analytics.orders_v3 does not exist. (UNKNOWN_TABLE)",
            },
        ]
    ),
    None,
    "a complete JSONEachRow answer to a query over system.query_log: the exception texts are column values, every line is a row",
    content_type="application/x-ndjson; charset=UTF-8",
    headers={
        "X-ClickHouse-Format": "JSONEachRow",
        "X-ClickHouse-Summary": '{"read_rows":"18342","read_bytes":"9217733","written_rows":"0","written_bytes":"0","total_rows_to_read":"18342","result_rows":"2","result_bytes":"1056"}',
    },
    request={
        "method": "POST",
        "path": "/?default_format=JSONEachRow&query=SELECT+event_time,query_id,type,exception_code,exception+FROM+system.query_log+WHERE+exception_code+!=+0+ORDER+BY+event_time+DESC+LIMIT+2",
    },
    trap=True,
)

PART.add(
    "f-azure-iothub-bulk-registry-warnings",
    200,
    {
        "isSuccessful": True,
        "errors": [],
        "warnings": [
            {
                "deviceId": "valve-2201",
                "warningCode": "DeviceRegisteredWithoutTwin",
                "warningStatus": "Device was registered but the twin could not be created; it will be created on first connection.",
            }
        ],
    },
    None,
    "bulk registry create succeeded (isSuccessful true, no errors); a warning about the twin does not undo it",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/devices?api-version=2021-04-12"},
    trap=True,
)


# --------------------------------------------------------------------------------------------
# plain success and 4xx
# --------------------------------------------------------------------------------------------

PART.add(
    "f-pagerduty-events-v2-accepted",
    202,
    {"status": "success", "message": "Event processed", "dedup_key": "srv01/HTTP"},
    None,
    "Events API v2 enqueue accepted",
    request={"method": "POST", "path": "/v2/enqueue"},
)

PART.add(
    "f-clover-ecommerce-pay-402-declined",
    402,
    {
        "message": "402 Payment Required",
        "error": {
            "type": "card_error",
            "code": "card_declined",
            "message": "Card was declined.",
            "charge": "Q0V2DYHXE1YMJ",
            "declineCode": "issuer_declined",
        },
    },
    "payment",
    "paying the order was refused with 402, error card_declined",
    request={"method": "POST", "path": "/v1/orders/8R8W2CZVKRTPJ/pay"},
)

PART.add(
    "f-canvas-403-rate-limit-exceeded-text",
    403,
    "403 Forbidden (Rate Limit Exceeded)\n",
    "rate_limit",
    "Canvas throttles with a 403 whose plain-text body names the rate limit (more specific than 403's auth_failure)",
    content_type="text/plain; charset=utf-8",
    headers={"X-Rate-Limit-Remaining": "0.0", "X-Request-Cost": "8.7346"},
    request={"method": "GET", "path": "/api/v1/courses/4410/enrollments?per_page=100"},
)

_FREEE = {
    "status_code": 400,
    "errors": [
        {"type": "status", "messages": ["不正なリクエストです。"]},
        {"type": "validation", "messages": ["取引先名 は既に使用されています。"]},
    ],
}
PART.add(
    "f-freee-partner-400-duplicate-gzip-sjis",
    400,
    gz(dumps(_FREEE).encode("shift_jis")),
    "conflict",
    "gzip Shift_JIS 400 whose validation message says the partner name is already in use (既に使用されています): more specific than 400's validation",
    content_type="application/json; charset=Shift_JIS",
    headers={"Content-Encoding": "gzip"},
    request={"method": "POST", "path": "/api/1/partners"},
)
