"""Fourth round of nested failures (development round), from APIs not used in the earlier
rounds: payment providers answering a POST with the entity in a failed state (Paystack,
PagBank, Xendit, dLocal, Mollie, Unzer, Flutterwave, BigCommerce refunds), cloud control
planes (Compute Engine and google.longrunning operations with ``done``/``error``, Azure Resource
Manager ``$batch`` and resources in state ``Failed``, Hetzner actions, IBM Cloud
``last_operation``), SaaS batches and payloads (Asana batch, Trello batch, QuickBooks
``BatchItemResponse``, Xero ``summarizeErrors=false``, Monday and commercetools GraphQL,
WooCommerce batch, NetSuite RESTlet results), logistics (ShipStation, Sendcloud, DHL, Colissimo,
SF Express with its inner JSON string) and Asian/regional platforms (Shopee, Lazada, Kakao,
Tokopedia, Meituan, Youzan, Rakuten, NextEngine, Ozon, Bling, Nexi), where the failure sits
below the top level, in every item of a batch, or in the state of the entity returned, and its
type must be read from the words.  About a third of the messages are in Spanish, Portuguese,
French, German, Italian, Japanese, Chinese or Russian.  Traps: GETs of entities in failed
states, operations still running, partial batches, empty failure lists, lists and counters."""

from tests.semantic_errors.shapes import Part, dumps

PART = Part("nesting")


# --------------------------------------------------------------------------------------------
# payment
# --------------------------------------------------------------------------------------------

PART.add(
    "d-paystack-charge-data-status-failed",
    200,
    {
        "status": True,
        "message": "Charge attempted",
        "data": {
            "amount": 250000,
            "currency": "NGN",
            "transaction_date": "2024-06-11T09:14:52.000Z",
            "status": "failed",
            "reference": "7PVGX8MEk85tgeEpVDtD",
            "domain": "live",
            "metadata": "",
            "gateway_response": "Insufficient Funds",
            "message": None,
            "channel": "card",
            "ip_address": "102.89.34.12",
            "fees": None,
            "authorization": {
                "authorization_code": "AUTH_8dfhjjdt",
                "bin": "408408",
                "last4": "4081",
                "exp_month": "12",
                "exp_year": "2027",
                "channel": "card",
                "card_type": "visa ",
                "bank": "Zenith Bank",
                "country_code": "NG",
                "brand": "visa",
                "reusable": True,
            },
            "customer": {"id": 14571, "email": "ada@example.ng", "customer_code": "CUS_xnxdt6s1zg1f4nx"},
        },
    },
    "payment",
    "Paystack: top-level status true only means the charge was attempted; data.status failed, gateway_response Insufficient Funds",
    request={"method": "POST", "path": "/charge"},
)
PART.add(
    "d-pt-pagbank-order-charge-declined-saldo",
    201,
    {
        "id": "ORDE_3A9C7B1E-5D2F-4E11-9C2B-7F0A6D1E8B44",
        "reference_id": "pedido-10482",
        "created_at": "2024-06-11T10:02:11.512-03:00",
        "customer": {"name": "José da Silva", "email": "jose@example.com.br", "tax_id": "12345678909"},
        "items": [{"reference_id": "SKU-7781", "name": "Fone de ouvido sem fio", "quantity": 1, "unit_amount": 18990}],
        "charges": [
            {
                "id": "CHAR_8E1D4A2B-0C3F-4B7A-A1D2-5E6F7A8B9C0D",
                "reference_id": "pedido-10482",
                "status": "DECLINED",
                "created_at": "2024-06-11T10:02:12.004-03:00",
                "description": "Pedido 10482",
                "amount": {"value": 18990, "currency": "BRL", "summary": {"total": 18990, "paid": 0, "refunded": 0}},
                "payment_response": {
                    "code": "20051",
                    "message": "SALDO/LIMITE INSUFICIENTE",
                    "reference": "032416400102",
                },
                "payment_method": {
                    "type": "CREDIT_CARD",
                    "installments": 1,
                    "capture": True,
                    "card": {
                        "brand": "visa",
                        "first_digits": "411111",
                        "last_digits": "1111",
                        "exp_month": "12",
                        "exp_year": "2026",
                    },
                },
            }
        ],
        "links": [
            {
                "rel": "SELF",
                "href": "https://api.pagseguro.com/orders/ORDE_3A9C7B1E-5D2F-4E11-9C2B-7F0A6D1E8B44",
                "media": "application/json",
                "type": "GET",
            }
        ],
    },
    "payment",
    "Portuguese: PagBank order created but its only charge is DECLINED, 'SALDO/LIMITE INSUFICIENTE' (balance/limit insufficient)",
    request={"method": "POST", "path": "/orders"},
)
PART.add(
    "d-xendit-cc-charge-failed-insufficient-balance",
    200,
    {
        "created": "2024-06-11T03:12:44.120Z",
        "status": "FAILED",
        "business_id": "5f27a14a9bf05c73dd040bc8",
        "authorized_amount": 150000,
        "external_id": "inv-20240611-0042",
        "merchant_id": "xendit_ctv_agg",
        "merchant_reference_code": "6667c1f4a2b3c40017d1e2f3",
        "card_type": "DEBIT",
        "masked_card_number": "520000XXXXXX0056",
        "charge_type": "SINGLE_USE_TOKEN",
        "card_brand": "MASTERCARD",
        "bank_reconciliation_id": "7181003644126553703955",
        "capture_amount": 0,
        "currency": "IDR",
        "failure_reason": "INSUFFICIENT_BALANCE",
        "id": "6667c1f4c2d1e20016a9b8c7",
    },
    "payment",
    "Xendit card charge answered with status FAILED, failure_reason INSUFFICIENT_BALANCE",
    request={"method": "POST", "path": "/credit_card_charges"},
)
PART.add(
    "d-dlocal-payment-rejected-insufficient-funds",
    200,
    {
        "id": "D-4-be4f1cc7-3b5e-4a2e-9c1d-2a7e8f9b0c13",
        "amount": 120.0,
        "currency": "USD",
        "payment_method_id": "CARD",
        "payment_method_type": "CARD",
        "payment_method_flow": "DIRECT",
        "country": "AR",
        "card": {
            "holder_name": "Lucía Fernández",
            "expiration_month": 10,
            "expiration_year": 2027,
            "brand": "VI",
            "last4": "1111",
        },
        "created_date": "2024-06-11T14:22:05.000+0000",
        "approved_date": None,
        "status": "REJECTED",
        "status_code": "302",
        "status_detail": "The payment was rejected: insufficient funds.",
        "order_id": "ord-88123",
        "notification_url": "https://merchant.example.com/hooks/dlocal",
    },
    "payment",
    "dLocal: payment created with status REJECTED, status_detail says insufficient funds",
    request={"method": "POST", "path": "/payments"},
)
PART.add(
    "d-es-culqi-402-fondos-insuficientes",
    402,
    {
        "object": "error",
        "type": "card_error",
        "charge_id": "chr_live_R8nq2Ye0Jm1fWkZb",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "merchant_message": "La tarjeta no tiene fondos suficientes para realizar la compra.",
        "user_message": "Su tarjeta no tiene fondos suficientes. Verifique sus fondos disponibles con el banco emisor o inténtelo nuevamente con otra tarjeta.",
    },
    "payment",
    "Spanish: Culqi 402 card_error, 'la tarjeta no tiene fondos suficientes'",
    request={"method": "POST", "path": "/v2/charges"},
)
PART.add(
    "d-fr-mollie-payment-failed-solde",
    201,
    {
        "resource": "payment",
        "id": "tr_WDqYK6vllg",
        "mode": "live",
        "createdAt": "2024-06-11T08:41:19+00:00",
        "amount": {"value": "89.90", "currency": "EUR"},
        "description": "Commande #4512",
        "method": "creditcard",
        "metadata": {"order_id": "4512"},
        "status": "failed",
        "failedAt": "2024-06-11T08:41:21+00:00",
        "profileId": "pfl_QkEhN94Ba",
        "locale": "fr_FR",
        "sequenceType": "oneoff",
        "redirectUrl": "https://boutique.example.fr/commande/4512/retour",
        "details": {
            "cardNumber": "6787",
            "cardHolder": "C. Martin",
            "cardAudience": "consumer",
            "cardLabel": "Visa",
            "cardCountryCode": "FR",
            "cardSecurity": "normal",
            "feeRegion": "intra-eu",
            "failureReason": "insufficient_funds",
            "failureMessage": "Le solde de la carte est insuffisant pour effectuer ce paiement.",
        },
        "_links": {
            "self": {"href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg", "type": "application/hal+json"}
        },
    },
    "payment",
    "French: Mollie payment created in status failed, failureMessage 'le solde de la carte est insuffisant'",
    content_type="application/hal+json",
    request={"method": "POST", "path": "/v2/payments"},
)
PART.add(
    "d-de-unzer-charge-iserror-kreditrahmen",
    200,
    {
        "id": "s-chg-1",
        "isSuccess": False,
        "isPending": False,
        "isResumed": False,
        "isError": True,
        "card3ds": False,
        "redirectUrl": "",
        "message": {
            "code": "COR.800.100.155",
            "merchant": "Transaktion abgelehnt: Betrag übersteigt den Kreditrahmen",
            "customer": "Die Zahlung wurde abgelehnt: Der Kreditrahmen Ihrer Karte reicht nicht aus.",
        },
        "amount": "249.0000",
        "currency": "EUR",
        "returnUrl": "https://shop.example.de/checkout/return",
        "date": "2024-06-11 11:05:43",
        "resources": {
            "customerId": "s-cst-5b1c9e2a7f30",
            "paymentId": "s-pay-81734",
            "typeId": "s-crd-0fq2l1dm9k4x",
            "traceId": "9b2e6c1f0d8a4e37",
        },
        "paymentReference": "",
        "processing": {
            "uniqueId": "31HA07BC8142C5A171745D00AD63D182",
            "shortId": "4591.0763.2910",
            "traceId": "9b2e6c1f0d8a4e37",
        },
    },
    "payment",
    "German: Unzer charge isSuccess false / isError true, message says the card's credit limit is not sufficient",
    request={"method": "POST", "path": "/v1/payments/charges"},
)
PART.add(
    "d-flutterwave-momo-charge-failed-wallet-balance",
    200,
    {
        "status": "success",
        "message": "Charge initiated",
        "data": {
            "id": 4971221,
            "tx_ref": "MC-1718100312",
            "flw_ref": "FLWGHMM1718100315211",
            "device_fingerprint": "N/A",
            "amount": 150,
            "charged_amount": 150,
            "app_fee": 1.5,
            "merchant_fee": 0,
            "processor_response": "Transaction failed: subscriber wallet balance is insufficient",
            "auth_model": "MOBILEMONEY",
            "currency": "GHS",
            "ip": "154.160.2.77",
            "narration": "Acme Ghana",
            "status": "failed",
            "payment_type": "mobilemoneygh",
            "fraud_status": "ok",
            "charge_type": "normal",
            "created_at": "2024-06-11T10:05:15.000Z",
            "customer": {
                "id": 2290117,
                "phone_number": "0551234987",
                "name": "Kwame Mensah",
                "email": "kwame@example.com",
            },
        },
    },
    "payment",
    "Flutterwave: outer status success ('charge initiated'), but data.status failed: mobile-money wallet balance insufficient",
    request={"method": "POST", "path": "/v3/charges?type=mobile_money_ghana"},
)
PART.add(
    "d-bigcommerce-refund-payment-is-declined",
    201,
    {
        "data": {
            "id": 37,
            "order_id": 212,
            "user_id": 0,
            "created": "2024-06-11T12:44:08+00:00",
            "reason": "Customer returned item",
            "total_amount": 59.5,
            "total_tax": 0,
            "uses_merchant_override_values": False,
            "items": [{"item_type": "PRODUCT", "item_id": 301, "quantity": 1, "requested_amount": None, "reason": ""}],
            "payments": [
                {
                    "id": 40,
                    "provider_id": "stripev3",
                    "amount": 59.5,
                    "offline": False,
                    "is_declined": True,
                    "declined_message": "Refund declined by the payment provider: insufficient available balance on the merchant account",
                }
            ],
        },
        "meta": {},
    },
    "payment",
    "BigCommerce refund: its only refund payment is_declined true, declined for insufficient balance (subtle: the merchant's balance)",
    request={"method": "POST", "path": "/stores/x7k2m9/v3/orders/212/payment_actions/refunds"},
)

# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "d-gce-operation-wait-quota-exceeded",
    200,
    {
        "kind": "compute#operation",
        "id": "8274619023746512873",
        "name": "operation-1718101234567-61a8f2e0c7b3a-4d0c0a1b-9e2f6c11",
        "zone": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b",
        "operationType": "insert",
        "targetLink": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/instances/batch-worker-17",
        "targetId": "3312870459182276655",
        "status": "DONE",
        "user": "deployer@acme-prod.iam.gserviceaccount.com",
        "progress": 100,
        "insertTime": "2024-06-11T02:13:54.567-07:00",
        "startTime": "2024-06-11T02:13:54.601-07:00",
        "endTime": "2024-06-11T02:13:55.902-07:00",
        "error": {
            "errors": [
                {
                    "code": "QUOTA_EXCEEDED",
                    "message": "Quota 'N2_CPUS' exceeded.  Limit: 24.0 in region europe-west1.",
                    "errorDetails": [
                        {
                            "quotaInfo": {
                                "metricName": "compute.googleapis.com/n2_cpus",
                                "limitName": "N2-CPUS-per-project-region",
                                "dimensions": {"region": "europe-west1"},
                                "limit": 24,
                            }
                        }
                    ],
                }
            ]
        },
        "httpErrorStatusCode": 403,
        "httpErrorMessage": "FORBIDDEN",
        "selfLink": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/operations/operation-1718101234567-61a8f2e0c7b3a-4d0c0a1b-9e2f6c11",
    },
    "rate_limit",
    "Compute Engine operation DONE with error QUOTA_EXCEEDED (quota beats the 403 FORBIDDEN it carries)",
    request={
        "method": "POST",
        "path": "/compute/v1/projects/acme-prod/zones/europe-west1-b/operations/operation-1718101234567-61a8f2e0c7b3a-4d0c0a1b-9e2f6c11/wait",
    },
)
PART.add(
    "d-vonage-sms-json-all-parts-throttled",
    200,
    {
        "message-count": "2",
        "messages": [
            {"to": "447700900123", "status": "1", "error-text": "Throttled", "client-ref": "otp-55812"},
            {"to": "447700900123", "status": "1", "error-text": "Throttled", "client-ref": "otp-55812"},
        ],
    },
    "rate_limit",
    "Vonage SMS API: both message parts have status 1, error-text Throttled",
    request={"method": "POST", "path": "/sms/json"},
)
PART.add(
    "d-lazada-apicalllimit-ban",
    200,
    {
        "type": "ISP",
        "code": "ApiCallLimit",
        "message": "This ban will last 2 more seconds",
        "request_id": "2101587017181032489176347",
    },
    "rate_limit",
    "Lazada Open Platform answers 200 with code ApiCallLimit and a temporary ban",
    content_type="application/json;charset=UTF-8",
    request={"method": "GET", "path": "/rest/orders/get?created_after=2024-06-01T00:00:00%2B08:00&limit=100"},
)
PART.add(
    "d-kakao-friends-message-failure-info-daily-limit",
    200,
    {
        "successful_receiver_uuids": [],
        "failure_info": [
            {
                "code": -532,
                "msg": "daily message limit per sender has been exceeded.",
                "receiver_uuids": ["MTgxMDQ2NDk5NjQ0Mzg2NDQ", "MTgxMDQ2NDkyNzk0NTMyOTg", "MTgxMDQ2NDk0NjE5MzQ2MzM"],
            }
        ],
    },
    "rate_limit",
    "Kakao talk friends message: no successful receiver, every uuid in failure_info with the daily message limit exceeded",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/v1/api/talk/friends/message/default/send"},
)
PART.add(
    "d-ja-azure-arm-batch-all-too-many-requests",
    200,
    {
        "responses": [
            {
                "name": "3f1c2a7e-6b0d-4b8e-9a51-0c2d4e6f8a10",
                "httpStatusCode": 429,
                "headers": {
                    "Retry-After": "17",
                    "x-ms-failure-cause": "gateway",
                    "x-ms-ratelimit-remaining-subscription-reads": "0",
                },
                "content": {
                    "error": {
                        "code": "TooManyRequests",
                        "message": "このサブスクリプションに対する要求が多すぎます。17 秒後に再試行してください。",
                        "details": [],
                    }
                },
                "contentLength": 178,
            },
            {
                "name": "a9d8e7f6-5c4b-4a3e-8d2c-1b0a9f8e7d6c",
                "httpStatusCode": 429,
                "headers": {
                    "Retry-After": "17",
                    "x-ms-failure-cause": "gateway",
                    "x-ms-ratelimit-remaining-subscription-reads": "0",
                },
                "content": {
                    "error": {
                        "code": "TooManyRequests",
                        "message": "このサブスクリプションに対する要求が多すぎます。17 秒後に再試行してください。",
                        "details": [],
                    }
                },
                "contentLength": 178,
            },
        ]
    },
    "rate_limit",
    "Japanese: Azure Resource Manager $batch, every inner response 429 TooManyRequests ('要求が多すぎます')",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/batch?api-version=2020-06-01"},
)

# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

PART.add(
    "d-gcp-longrunning-wait-permission-denied",
    200,
    {
        "name": "projects/acme-prod/locations/us-central1/operations/7b3c90d2-51aa-4e0f-b1f6-2f44c8a9e0d1",
        "metadata": {
            "@type": "type.googleapis.com/google.cloud.run.v2.Service",
            "name": "projects/acme-prod/locations/us-central1/services/orders-api",
            "generation": "4",
            "reconciling": False,
        },
        "done": True,
        "error": {
            "code": 7,
            "message": "Permission 'iam.serviceaccounts.actAs' denied on service account run-sa@acme-prod.iam.gserviceaccount.com (or it may not exist).",
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
    "google.longrunning Operation returned by :wait is done with error 7: permission denied on the service account",
    request={
        "method": "POST",
        "path": "/v2/projects/acme-prod/locations/us-central1/operations/7b3c90d2-51aa-4e0f-b1f6-2f44c8a9e0d1:wait",
    },
)
PART.add(
    "d-monday-graphql-user-unauthorized-create-item",
    200,
    {
        "errors": [
            {
                "message": "User unauthorized to perform action",
                "locations": [{"line": 2, "column": 3}],
                "path": ["create_item"],
                "extensions": {"code": "USER_UNAUTHORIZED", "status_code": 403, "error_data": {}},
            }
        ],
        "data": {"create_item": None},
        "account_id": 9813344,
    },
    "auth_failure",
    "monday.com GraphQL mutation: create_item null, error 'User unauthorized to perform action'",
    request={"method": "POST", "path": "/v2"},
)
PART.add(
    "d-tokopedia-header-reason-shop-not-authorized",
    200,
    {
        "header": {
            "process_time": 0.00312,
            "messages": "Your request has been processed, but no data was returned",
            "reason": "Shop 4782113 has not authorized this app: access to the shop's orders is not permitted",
            "error_code": "AUTH_SHOP_403",
        },
        "data": None,
    },
    "auth_failure",
    "Tokopedia header/data envelope: data null, header.reason says the shop has not authorized the app",
    request={"method": "POST", "path": "/v1/order/18231/fs/4782113/ack"},
)
PART.add(
    "d-zh-meituan-data-ng-signature",
    200,
    {"data": "ng", "error": {"code": 703, "msg": "签名验证错误，请检查 app_id 对应的 app_secret 及签名算法"}},
    "auth_failure",
    "Chinese: Meituan waimai open API, data 'ng' and error.msg '签名验证错误' (signature verification failed)",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/v1/order/confirm"},
)
PART.add(
    "d-it-nexi-xpay-esito-ko-autenticazione",
    200,
    {
        "esito": "KO",
        "idOperazione": "0000000012345",
        "timeStamp": 1718101234567,
        "errore": {"codice": 3, "messaggio": "Autenticazione fallita: MAC non valido"},
        "mac": "8c3f0a1e9d2b47c6a5e8f1d0b3c2a4e6f7d8c9b0",
    },
    "auth_failure",
    "Italian: Nexi XPay esito KO, errore.messaggio 'Autenticazione fallita' (authentication failed, invalid MAC)",
    request={"method": "POST", "path": "/ecomm/api/recurring/pagamentoRicorrente"},
)
PART.add(
    "d-ru-woocommerce-batch-all-not-allowed",
    200,
    {
        "create": [
            {
                "id": 0,
                "error": {
                    "code": "woocommerce_rest_cannot_create",
                    "message": "Извините, вам не разрешено создавать ресурсы.",
                    "data": {"status": 401},
                },
            },
            {
                "id": 0,
                "error": {
                    "code": "woocommerce_rest_cannot_create",
                    "message": "Извините, вам не разрешено создавать ресурсы.",
                    "data": {"status": 401},
                },
            },
        ],
        "update": [
            {
                "id": 118,
                "error": {
                    "code": "woocommerce_rest_cannot_edit",
                    "message": "Извините, вам не разрешено редактировать этот ресурс.",
                    "data": {"status": 401},
                },
            }
        ],
    },
    "auth_failure",
    "Russian: WooCommerce products/batch, every create and update item refused ('вам не разрешено', status 401)",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/wp-json/wc/v3/products/batch"},
)
PART.add(
    "d-zoom-400-token-missing-scopes",
    400,
    {
        "code": 4711,
        "message": "Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin].",
    },
    "auth_failure",
    "Zoom answers 400, but the body says the access token lacks the scopes: auth is more specific than the status",
    request={"method": "POST", "path": "/v2/users/me/meetings"},
)

# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "d-ja-rakuten-rms-getorder-message-error",
    200,
    {
        "MessageModelList": [
            {
                "messageType": "ERROR",
                "messageCode": "ORDER_EXT_API_GET_ORDER_ERROR_004",
                "message": "注文番号 325000-20240611-0001234567 の受注情報が存在しません。",
                "orderNumber": "325000-20240611-0001234567",
            }
        ],
        "OrderModelList": [],
        "version": 7,
    },
    "not_found",
    "Japanese: Rakuten RMS getOrder, messageType ERROR '受注情報が存在しません' (the order does not exist), empty order list",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/es/2.0/order/getOrder/"},
)
PART.add(
    "d-asana-batch-all-404-unknown-object",
    200,
    {
        "data": [
            {
                "status_code": 404,
                "headers": {},
                "body": {
                    "errors": [
                        {
                            "message": "task: Unknown object: 1207345112098541",
                            "help": "For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors",
                        }
                    ]
                },
            },
            {
                "status_code": 404,
                "headers": {},
                "body": {
                    "errors": [
                        {
                            "message": "task: Unknown object: 1207345112098577",
                            "help": "For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors",
                        }
                    ]
                },
            },
        ]
    },
    "not_found",
    "Asana batch: every action answered 404 'Unknown object'",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/api/1.0/batch"},
)
PART.add(
    "d-trello-batch-all-resource-not-found",
    200,
    [
        {"404": "The requested resource was not found."},
        {"404": "The requested resource was not found."},
        {"404": "The requested resource was not found."},
    ],
    "not_found",
    "Trello batch: each of the three URLs answered under key 404 'requested resource was not found'",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/1/batch?urls=/cards/65f0a1,/cards/65f0a2,/cards/65f0a3"},
)
PART.add(
    "d-ru-ozon-import-prices-all-not-found",
    200,
    {
        "result": [
            {
                "product_id": 0,
                "offer_id": "SKU-7781",
                "updated": False,
                "errors": [{"code": "NOT_FOUND", "message": "Товар с таким артикулом не найден"}],
            },
            {
                "product_id": 0,
                "offer_id": "SKU-7782",
                "updated": False,
                "errors": [{"code": "NOT_FOUND", "message": "Товар с таким артикулом не найден"}],
            },
        ]
    },
    "not_found",
    "Russian: Ozon Seller import prices, every item updated false with 'товар ... не найден' (product not found)",
    request={"method": "POST", "path": "/v1/product/import/prices"},
)
PART.add(
    "d-commercetools-graphql-update-product-not-found",
    200,
    {
        "data": {"updateProduct": None},
        "errors": [
            {
                "message": "The Product with ID '8f2c1f6e-7d3b-4a90-b1c5-2e6d0a9f4b71' was not found.",
                "locations": [{"line": 2, "column": 3}],
                "path": ["updateProduct"],
                "extensions": {"code": "ResourceNotFound"},
            }
        ],
    },
    "not_found",
    "commercetools GraphQL mutation: updateProduct null, error 'Product ... was not found'",
    request={"method": "POST", "path": "/acme-shop/graphql"},
)

# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "d-quickbooks-batch-all-duplicate-name",
    200,
    {
        "BatchItemResponse": [
            {
                "Fault": {
                    "Error": [
                        {
                            "Message": "Duplicate Name Exists Error",
                            "Detail": "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
                            "code": "6240",
                            "element": "",
                        }
                    ],
                    "type": "ValidationFault",
                },
                "bId": "bid1",
            },
            {
                "Fault": {
                    "Error": [
                        {
                            "Message": "Duplicate Name Exists Error",
                            "Detail": "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
                            "code": "6240",
                            "element": "",
                        }
                    ],
                    "type": "ValidationFault",
                },
                "bId": "bid2",
            },
        ],
        "time": "2024-06-11T03:21:04.332-07:00",
    },
    "conflict",
    "QuickBooks Online batch: every BatchItemResponse is a Fault 'Duplicate Name Exists' (conflict, though typed ValidationFault)",
    request={"method": "POST", "path": "/v3/company/9130357992222222/batch?minorversion=70"},
)
PART.add(
    "d-xero-contacts-summarize-false-name-taken",
    200,
    {
        "Id": "b2f0c9a1-7e63-4c12-9d5e-3a8b1f0e6c24",
        "Status": "OK",
        "ProviderName": "Acme CRM Sync",
        "DateTimeUTC": "/Date(1718101234567)/",
        "Contacts": [
            {
                "ContactID": "00000000-0000-0000-0000-000000000000",
                "ContactStatus": "ACTIVE",
                "Name": "Blue Harbor Ltd",
                "Addresses": [],
                "Phones": [],
                "HasValidationErrors": True,
                "StatusAttributeString": "ERROR",
                "ValidationErrors": [
                    {
                        "Message": "The contact name Blue Harbor Ltd is already assigned to another contact. The contact name must be unique across all active contacts."
                    }
                ],
            },
            {
                "ContactID": "00000000-0000-0000-0000-000000000000",
                "ContactStatus": "ACTIVE",
                "Name": "Kiwi Freight",
                "Addresses": [],
                "Phones": [],
                "HasValidationErrors": True,
                "StatusAttributeString": "ERROR",
                "ValidationErrors": [
                    {
                        "Message": "The contact name Kiwi Freight is already assigned to another contact. The contact name must be unique across all active contacts."
                    }
                ],
            },
        ],
    },
    "conflict",
    "Xero summarizeErrors=false: top Status OK, but every contact has StatusAttributeString ERROR, name already assigned",
    request={"method": "POST", "path": "/api.xro/2.0/Contacts?summarizeErrors=false"},
)
PART.add(
    "d-operation-wrapper-done-already-exists",
    200,
    {
        "operation": {
            "name": "operations/prov.b7c31d2e-0f4a-4d61-8e2b-93a5c7d1f0aa",
            "metadata": {
                "@type": "type.googleapis.com/google.cloud.storage.control.v2.CreateFolderMetadata",
                "createTime": "2024-06-11T09:00:03.114Z",
            },
            "done": True,
            "error": {
                "code": 6,
                "message": "Requested entity already exists: folder 'exports/2024-06/'",
                "details": [],
            },
        },
        "requestId": "req-5c1e2f94",
    },
    "conflict",
    "platform API relaying a google.longrunning Operation under 'operation': done with error 6 'entity already exists'",
    request={"method": "POST", "path": "/api/v1/storage/folders"},
)
PART.add(
    "d-es-cfdi-timbrar-data-errors-timbre-previo",
    200,
    {
        "data": None,
        "errors": [
            {
                "code": "CFDI40307",
                "message": "El comprobante contiene un timbre previo: ya fue timbrado con el UUID 5FB2822E-396D-4725-8521-CDC4BDD20CCF.",
                "field": None,
            }
        ],
        "meta": {"ambiente": "produccion", "version": "4.0"},
    },
    "conflict",
    "Spanish: CFDI stamping API, data null and error 'ya fue timbrado' (invoice already stamped)",
    request={"method": "POST", "path": "/api/v4/cfdi/timbrar"},
)
PART.add(
    "d-de-shopware-sync-product-number-vergeben",
    200,
    {
        "success": False,
        "data": {
            "write-product": {
                "result": [
                    {
                        "entities": [],
                        "errors": [
                            {
                                "status": "400",
                                "code": "CONTENT__DUPLICATE_PRODUCT_NUMBER",
                                "title": "Bad Request",
                                "detail": "Die Produktnummer „SW-10001“ ist bereits vergeben.",
                                "meta": {"parameters": {"number": "SW-10001"}},
                            }
                        ],
                    }
                ],
                "extensions": [],
            }
        },
        "notFound": [],
        "deleted": [],
    },
    "conflict",
    "German: Shopware sync success false, the only write result has 'Produktnummer ... ist bereits vergeben' (already taken)",
    request={"method": "POST", "path": "/api/_action/sync"},
)
PART.add(
    "d-ja-nextengine-result-error-shukka-kakutei",
    200,
    {
        "result": "error",
        "code": "020007",
        "message": "この受注伝票は既に出荷確定済みのため、更新できません。",
        "request_id": "e3a1c9b2-77d4-4f0e-9a36-5b2c8d1e0f47",
    },
    "conflict",
    "Japanese: NextEngine result error, '既に出荷確定済みのため更新できません' (already shipped, cannot update)",
    request={"method": "POST", "path": "/api_v1_receiveorder_base/update"},
)
PART.add(
    "d-zh-sf-express-apiresultdata-string-chongfu",
    200,
    {
        "apiErrorMsg": "",
        "apiResponseID": "000190A1B2C3D4E5F6A7B8C9D0E1F2A3",
        "apiResultCode": "A1000",
        "apiResultData": dumps(
            {"success": False, "errorCode": "8016", "errorMsg": "重复下单，该客户订单号已存在", "msgData": None}
        ),
    },
    "conflict",
    "Chinese: SF Express outer A1000 ok, inner apiResultData JSON string success false '重复下单' (duplicate order)",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/std/service"},
)

# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "d-sendcloud-parcels-all-failed-parcels",
    200,
    {
        "parcels": [],
        "failed_parcels": [
            {
                "parcel": {
                    "name": "Jan Jansen",
                    "address": "Stationsstraat",
                    "house_number": "",
                    "city": "Amsterdam",
                    "postal_code": "1012AB",
                    "country": "NL",
                    "order_number": "SO-1001",
                    "request_label": True,
                    "shipment": {"id": 8},
                },
                "errors": {"house_number": ["This field is required when the country is NL."]},
            },
            {
                "parcel": {
                    "name": "Eva de Vries",
                    "address": "Marktplein 4",
                    "city": "Utrecht",
                    "postal_code": "3511LX",
                    "country": "NL",
                    "order_number": "SO-1002",
                    "weight": "48.000",
                    "request_label": True,
                    "shipment": {"id": 8},
                },
                "errors": {"weight": ["Ensure this value is less than or equal to 31.5."]},
            },
        ],
    },
    "validation",
    "Sendcloud bulk parcel create: parcels empty, every parcel in failed_parcels with field errors",
    request={"method": "POST", "path": "/api/v2/parcels?errors=verbose-carrier"},
)
PART.add(
    "d-shopee-update-stock-failure-list-all",
    200,
    {
        "error": "",
        "message": "",
        "warning": "",
        "request_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "response": {
            "failure_list": [
                {"model_id": 20001, "failed_reason": "Stock value must be between 0 and 999999."},
                {"model_id": 20002, "failed_reason": "Stock value must be between 0 and 999999."},
            ],
            "success_list": [],
        },
    },
    "validation",
    "Shopee v2 update_stock: error empty, but success_list empty and every model in failure_list with an out-of-range stock",
    request={
        "method": "POST",
        "path": "/api/v2/product/update_stock?partner_id=2001887&shop_id=601234&timestamp=1718101234",
    },
)
PART.add(
    "d-shipstation-createorders-haserrors-all",
    200,
    {
        "hasErrors": True,
        "results": [
            {
                "orderId": 0,
                "orderNumber": "WEB-5541",
                "orderKey": "b2c9e1f0a7d84e3c",
                "success": False,
                "errorMessage": "The value 'pending_payment' is not valid for orderStatus. Valid values are: awaiting_payment, awaiting_shipment, shipped, on_hold, cancelled.",
            },
            {
                "orderId": 0,
                "orderNumber": "WEB-5542",
                "orderKey": "f41d0c2b9a6e7358",
                "success": False,
                "errorMessage": "The value 'pending_payment' is not valid for orderStatus. Valid values are: awaiting_payment, awaiting_shipment, shipped, on_hold, cancelled.",
            },
        ],
    },
    "validation",
    "ShipStation createorders: hasErrors true, every result success false with an invalid orderStatus value",
    request={"method": "POST", "path": "/orders/createorders"},
)
PART.add(
    "d-pt-bling-retorno-erros-cpf-cnpj",
    200,
    {
        "retorno": {
            "erros": [
                {"erro": {"cod": 3, "msg": 'O campo "cpf_cnpj" do contato é inválido: informe 11 ou 14 dígitos.'}}
            ]
        }
    },
    "validation",
    "Portuguese: Bling v2 retorno.erros, 'o campo cpf_cnpj ... é inválido'",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/Api/v2/pedido/json/"},
)
PART.add(
    "d-it-fattura-invio-stato-scartata",
    200,
    {
        "fattura": {
            "id": "FE-2024-000318",
            "numero": "318/2024",
            "data": "2024-06-11",
            "stato": "SCARTATA",
            "esito": {
                "codice": "00305",
                "descrizione": "IdFiscaleIVA del CessionarioCommittente non valido: la partita IVA indicata non è corretta",
            },
            "idSdi": None,
        }
    },
    "validation",
    "Italian: e-invoice sent but returned in stato SCARTATA, esito 'partita IVA ... non valido' (invalid VAT number)",
    request={"method": "POST", "path": "/api/v1/fatture/invia"},
)
PART.add(
    "d-zh-youzan-gw-err-resp-mobile-format",
    200,
    {
        "gw_err_resp": {"err_msg": "参数 mobile 格式不正确：请输入 11 位手机号", "err_code": 4003},
        "trace_id": "yz7-0a0b1c2d-1718101234-8f3e2d",
    },
    "validation",
    "Chinese: Youzan gateway gw_err_resp '参数 mobile 格式不正确' (parameter format incorrect)",
    request={"method": "POST", "path": "/api/youzan.scrm.customer.create/3.0.0"},
)
PART.add(
    "d-de-dhl-parcel-items-sstatus-postleitzahl",
    200,
    {
        "status": {
            "title": "Bad Request",
            "statusCode": 400,
            "instance": "/parcel/de/shipping/v2/orders",
            "detail": "Die Sendung konnte nicht angelegt werden.",
        },
        "items": [
            {
                "sstatus": {"title": "Bad Request", "statusCode": 400},
                "validationMessages": [
                    {
                        "property": "consignee.postalCode",
                        "validationMessage": "Die Postleitzahl ist ungültig.",
                        "validationState": "Error",
                    }
                ],
            }
        ],
    },
    "validation",
    "German: DHL Parcel DE shipping, HTTP 200 but status and item sstatus 400 with 'Postleitzahl ist ungültig'",
    request={"method": "POST", "path": "/parcel/de/shipping/v2/orders?validate=false"},
)
PART.add(
    "d-fr-colissimo-generatelabel-messages-error",
    200,
    {
        "messages": [
            {
                "id": "30220",
                "type": "ERROR",
                "messageContent": "Le code postal du destinataire n'est pas valide pour le pays indiqué",
                "replacementValues": [],
            }
        ],
        "labelV2Response": None,
    },
    "validation",
    "French: Colissimo generateLabel, no label and a message of type ERROR 'code postal ... n'est pas valide'",
    request={"method": "POST", "path": "/sls-ws/SlsServiceWSRest/2.0/generateLabel"},
)

# --------------------------------------------------------------------------------------------
# generic_business_error
# --------------------------------------------------------------------------------------------

PART.add(
    "d-hetzner-action-status-error",
    201,
    {
        "action": {
            "id": 13,
            "command": "create_image",
            "status": "error",
            "progress": 100,
            "started": "2024-06-11T09:12:00+00:00",
            "finished": "2024-06-11T09:12:04+00:00",
            "resources": [{"id": 42, "type": "server"}],
            "error": {"code": "action_failed", "message": "Action failed: the snapshot could not be created"},
        },
        "image": None,
    },
    "generic_business_error",
    "Hetzner Cloud: the action answering create_image is in status error, 'Action failed', image null",
    request={"method": "POST", "path": "/v1/servers/42/actions/create_image"},
)
PART.add(
    "d-ja-rakuten-pay-resulttype-failure-system",
    200,
    {
        "resultType": "failure",
        "errorCode": "system_error",
        "errorMessage": "システムエラーが発生しました。しばらく時間をおいてから再度お試しください。",
        "transaction": None,
    },
    "generic_business_error",
    "Japanese: Rakuten Pay authorize, resultType failure 'システムエラーが発生しました' (a system error occurred)",
    request={"method": "POST", "path": "/v2/payments/authorize"},
)
PART.add(
    "d-ibm-cloud-resource-instance-last-operation-failed",
    201,
    {
        "id": "crn:v1:bluemix:public:databases-for-postgresql:eu-de:a/0f1e2d3c4b5a69788796a5b4c3d2e1f0:5a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d::",
        "guid": "5a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "name": "orders-db",
        "region_id": "eu-de",
        "resource_plan_id": "databases-for-postgresql-standard",
        "type": "service_instance",
        "state": "failed",
        "last_operation": {
            "type": "create",
            "state": "failed",
            "async": True,
            "description": "Provisioning failed: the service broker reported an internal error. Retry later or contact support.",
            "updated_at": "2024-06-11T09:31:42.884Z",
        },
        "created_at": "2024-06-11T09:30:58.102Z",
    },
    "generic_business_error",
    "IBM Cloud resource controller: new instance state failed, last_operation create failed with a broker internal error",
    request={"method": "POST", "path": "/v2/resource_instances"},
)
PART.add(
    "d-netsuite-restlet-result-suitescript-error",
    200,
    {
        "result": {
            "success": False,
            "error": {
                "type": "error.SuiteScriptError",
                "name": "UNEXPECTED_ERROR",
                "message": "An unexpected SuiteScript error has occurred",
                "id": "",
                "stack": ["Error\n    at Object.createSalesOrder (/SuiteScripts/acme_so_restlet.js:88:19)"],
            },
        }
    },
    "generic_business_error",
    "NetSuite RESTlet returning result.success false with a SuiteScriptError UNEXPECTED_ERROR",
    request={"method": "POST", "path": "/app/site/hosting/restlet.nl?script=612&deploy=1"},
)
PART.add(
    "d-es-meta-status-failed-guia-no-generada",
    200,
    {
        "meta": {
            "status": "failed",
            "code": "GUIA_NO_GENERADA",
            "message": "No fue posible generar la guía por un error en el sistema de la paquetería.",
        },
        "data": None,
    },
    "generic_business_error",
    "Spanish: meta.status failed, data null, 'no fue posible generar la guía' (shipping label could not be generated)",
    request={"method": "POST", "path": "/api/v1/guias"},
)
PART.add(
    "d-fr-azure-aci-put-provisioning-failed",
    200,
    {
        "id": "/subscriptions/6d1f0c2e-8a4b-4c3d-9e7f-1a2b3c4d5e6f/resourceGroups/rg-reports/providers/Microsoft.ContainerInstance/containerGroups/ci-reports",
        "name": "ci-reports",
        "type": "Microsoft.ContainerInstance/containerGroups",
        "location": "francecentral",
        "properties": {
            "provisioningState": "Failed",
            "osType": "Linux",
            "restartPolicy": "Never",
            "containers": [
                {
                    "name": "reports",
                    "properties": {
                        "image": "acme.azurecr.io/reports:2.3",
                        "resources": {"requests": {"cpu": 1.0, "memoryInGB": 1.5}},
                    },
                }
            ],
            "instanceView": {
                "state": "Failed",
                "events": [
                    {
                        "count": 1,
                        "firstTimestamp": "2024-06-11T09:40:12Z",
                        "lastTimestamp": "2024-06-11T09:40:12Z",
                        "name": "Failed",
                        "message": "Échec de l'extraction de l'image « acme.azurecr.io/reports:2.3 » : erreur interne du registre.",
                        "type": "Warning",
                    }
                ],
            },
        },
    },
    "generic_business_error",
    "French: Azure container group answered to the PUT in provisioningState Failed, event 'échec de l'extraction de l'image'",
    content_type="application/json; charset=utf-8",
    request={
        "method": "PUT",
        "path": "/subscriptions/6d1f0c2e-8a4b-4c3d-9e7f-1a2b3c4d5e6f/resourceGroups/rg-reports/providers/Microsoft.ContainerInstance/containerGroups/ci-reports?api-version=2023-05-01",
    },
)

# --------------------------------------------------------------------------------------------
# traps
# --------------------------------------------------------------------------------------------

PART.add(
    "d-trap-paystack-verify-get-failed",
    200,
    {
        "status": True,
        "message": "Verification successful",
        "data": {
            "id": 3891204411,
            "domain": "live",
            "status": "failed",
            "reference": "7PVGX8MEk85tgeEpVDtD",
            "amount": 250000,
            "gateway_response": "Declined",
            "paid_at": None,
            "channel": "card",
            "currency": "NGN",
        },
    },
    None,
    "GET verify of an earlier transaction that failed: reading its state is a successful call",
    request={"method": "GET", "path": "/transaction/verify/7PVGX8MEk85tgeEpVDtD"},
    trap=True,
)
PART.add(
    "d-trap-gcp-longrunning-wait-done-false",
    200,
    {
        "name": "projects/acme-prod/locations/us-central1/operations/2c8e1f04-9d3b-47a6-8e15-c0d7a9b3f261",
        "metadata": {
            "@type": "type.googleapis.com/google.cloud.run.v2.Service",
            "name": "projects/acme-prod/locations/us-central1/services/billing-worker",
            "reconciling": True,
            "terminalCondition": {
                "type": "Ready",
                "state": "CONDITION_RECONCILING",
                "message": "Creating Revision. Waiting for health check to begin.",
            },
        },
        "done": False,
    },
    None,
    ":wait returned before the operation finished: done false, no error, still reconciling",
    request={
        "method": "POST",
        "path": "/v2/projects/acme-prod/locations/us-central1/operations/2c8e1f04-9d3b-47a6-8e15-c0d7a9b3f261:wait",
    },
    trap=True,
)
PART.add(
    "d-trap-gce-insert-running-with-warnings",
    200,
    {
        "kind": "compute#operation",
        "id": "5512038847732194411",
        "name": "operation-1718102345678-61a8f6b1d2c4e-0b9a8c7d-3e4f5a6b",
        "zone": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b",
        "operationType": "insert",
        "targetLink": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/disks/data-17",
        "status": "RUNNING",
        "progress": 0,
        "insertTime": "2024-06-11T02:32:25.678-07:00",
        "startTime": "2024-06-11T02:32:25.702-07:00",
        "warnings": [
            {
                "code": "DISK_SIZE_LARGER_THAN_IMAGE_SIZE",
                "message": "Disk size: '500 GB' is larger than image size: '10 GB'. You might need to resize the root repartition manually if the operating system does not support automatic resizing.",
            }
        ],
        "selfLink": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/operations/operation-1718102345678-61a8f6b1d2c4e-0b9a8c7d-3e4f5a6b",
    },
    None,
    "Compute Engine insert accepted: operation RUNNING with only a warning, no error",
    request={"method": "POST", "path": "/compute/v1/projects/acme-prod/zones/europe-west1-b/disks"},
    trap=True,
)
PART.add(
    "d-trap-azure-arm-batch-partial-404",
    200,
    {
        "responses": [
            {
                "name": "0b6e3c1a-2f4d-4e8a-9b7c-5d1e0f2a3b4c",
                "httpStatusCode": 200,
                "headers": {"x-ms-ratelimit-remaining-subscription-reads": "11987"},
                "content": {
                    "name": "vm-web-01",
                    "id": "/subscriptions/6d1f0c2e-8a4b-4c3d-9e7f-1a2b3c4d5e6f/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-web-01",
                    "location": "westeurope",
                    "properties": {"provisioningState": "Succeeded", "vmId": "8e0f1c2d-3b4a-4c5d-9e6f-7a8b9c0d1e2f"},
                },
                "contentLength": 412,
            },
            {
                "name": "7c9d1e2f-3a4b-4c5d-8e6f-9a0b1c2d3e4f",
                "httpStatusCode": 404,
                "headers": {"x-ms-failure-cause": "gateway"},
                "content": {
                    "error": {
                        "code": "ResourceNotFound",
                        "message": "The Resource 'Microsoft.Compute/virtualMachines/vm-old' under resource group 'rg-app' was not found.",
                    }
                },
                "contentLength": 196,
            },
        ]
    },
    None,
    "ARM $batch with one inner 200 and one inner 404: only part of the batch failed",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/batch?api-version=2020-06-01"},
    trap=True,
)
PART.add(
    "d-trap-shopee-update-stock-failure-list-empty",
    200,
    {
        "error": "",
        "message": "",
        "warning": "",
        "request_id": "0f9e8d7c6b5a49382716a5b4c3d2e1f0",
        "response": {
            "failure_list": [],
            "success_list": [{"model_id": 20001, "normal_stock": 35}, {"model_id": 20002, "normal_stock": 12}],
        },
    },
    None,
    "Shopee update_stock: empty error and failure_list, every model in success_list",
    request={
        "method": "POST",
        "path": "/api/v2/product/update_stock?partner_id=2001887&shop_id=601234&timestamp=1718102234",
    },
    trap=True,
)
PART.add(
    "d-trap-woocommerce-reports-orders-totals-failed",
    200,
    [
        {"slug": "pending", "name": "Pending payment", "total": 3},
        {"slug": "processing", "name": "Processing", "total": 41},
        {"slug": "on-hold", "name": "On hold", "total": 2},
        {"slug": "completed", "name": "Completed", "total": 1288},
        {"slug": "cancelled", "name": "Cancelled", "total": 17},
        {"slug": "refunded", "name": "Refunded", "total": 9},
        {"slug": "failed", "name": "Failed", "total": 12},
    ],
    None,
    "WooCommerce report: order counters per status, including Failed 12 — data, not a failure",
    content_type="application/json; charset=UTF-8",
    request={"method": "GET", "path": "/wp-json/wc/v3/reports/orders/totals"},
    trap=True,
)
PART.add(
    "d-trap-freshdesk-tickets-list-error-subjects",
    200,
    [
        {
            "id": 5120,
            "subject": "Payment declined: insufficient funds at checkout",
            "status": 2,
            "priority": 3,
            "type": "Problem",
            "requester_id": 80012337,
            "created_at": "2024-06-11T07:02:11Z",
            "updated_at": "2024-06-11T07:05:40Z",
        },
        {
            "id": 5119,
            "subject": "Login failed - session expired error after update",
            "status": 3,
            "priority": 2,
            "type": "Incident",
            "requester_id": 80012310,
            "created_at": "2024-06-11T06:48:03Z",
            "updated_at": "2024-06-11T06:59:21Z",
        },
        {
            "id": 5118,
            "subject": "Order not found in tracking page",
            "status": 4,
            "priority": 1,
            "type": "Question",
            "requester_id": 80011984,
            "created_at": "2024-06-11T06:12:55Z",
            "updated_at": "2024-06-11T06:30:02Z",
        },
    ],
    None,
    "Freshdesk ticket list whose subjects talk about declines and login errors: a list of entities",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/api/v2/tickets?updated_since=2024-06-11T00:00:00Z&order_by=created_at"},
    trap=True,
)
PART.add(
    "d-trap-kakao-friends-message-partial",
    200,
    {
        "successful_receiver_uuids": ["MTgxMDQ2NDk5NjQ0Mzg2NDQ", "MTgxMDQ2NDkyNzk0NTMyOTg"],
        "failure_info": [
            {
                "code": -536,
                "msg": "this user has disabled receiving messages from the app.",
                "receiver_uuids": ["MTgxMDQ2NDk0NjE5MzQ2MzM"],
            }
        ],
    },
    None,
    "Kakao friends message delivered to two receivers, one refused: partial failure, not a call failure",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/v1/api/talk/friends/message/default/send"},
    trap=True,
)
PART.add(
    "d-trap-ja-rakuten-rms-messagetype-info",
    200,
    {
        "MessageModelList": [
            {
                "messageType": "INFO",
                "messageCode": "ORDER_EXT_API_GET_ORDER_INFO_101",
                "message": "受注情報取得に成功しました。",
                "orderNumber": "325000-20240611-0007654321",
            }
        ],
        "OrderModelList": [
            {
                "orderNumber": "325000-20240611-0007654321",
                "orderProgress": 300,
                "orderDatetime": "2024-06-11T10:12:33+0900",
                "goodsPrice": 5980,
                "totalPrice": 6640,
                "cancelDueDate": None,
            }
        ],
        "version": 7,
    },
    None,
    "Japanese: Rakuten RMS getOrder, messageType INFO '取得に成功しました' (retrieved successfully) with the order",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/es/2.0/order/getOrder/"},
    trap=True,
)
PART.add(
    "d-trap-easypost-get-batch-purchase-failed",
    200,
    {
        "id": "batch_5c1e0f9d2a3b4c6e8f7a9b0c1d2e3f4a",
        "object": "Batch",
        "mode": "production",
        "state": "purchase_failed",
        "num_shipments": 2,
        "reference": "wave-2024-06-11-am",
        "created_at": "2024-06-11T08:00:04Z",
        "updated_at": "2024-06-11T08:00:39Z",
        "scan_form": None,
        "shipments": [
            {
                "batch_status": "postage_purchase_failed",
                "batch_message": "Rate not available for this service level",
                "id": "shp_0a1b2c3d",
                "tracking_code": None,
            },
            {
                "batch_status": "postage_purchased",
                "batch_message": None,
                "id": "shp_4e5f6a7b",
                "tracking_code": "9400100000000000000001",
            },
        ],
        "status": {
            "created": 2,
            "queued_for_purchase": 0,
            "creation_failed": 0,
            "postage_purchased": 1,
            "postage_purchase_failed": 1,
        },
        "label_url": None,
    },
    None,
    "GET of an EasyPost batch whose earlier purchase failed: reading the batch's state succeeded",
    request={"method": "GET", "path": "/v2/batches/batch_5c1e0f9d2a3b4c6e8f7a9b0c1d2e3f4a"},
    trap=True,
)
PART.add(
    "d-trap-pt-pagbank-get-order-declined",
    200,
    {
        "id": "ORDE_3A9C7B1E-5D2F-4E11-9C2B-7F0A6D1E8B44",
        "reference_id": "pedido-10482",
        "created_at": "2024-06-11T10:02:11.512-03:00",
        "charges": [
            {
                "id": "CHAR_8E1D4A2B-0C3F-4B7A-A1D2-5E6F7A8B9C0D",
                "status": "DECLINED",
                "amount": {"value": 18990, "currency": "BRL"},
                "payment_response": {
                    "code": "20051",
                    "message": "SALDO/LIMITE INSUFICIENTE",
                    "reference": "032416400102",
                },
            }
        ],
    },
    None,
    "Portuguese: GET of an order whose charge was declined ('SALDO/LIMITE INSUFICIENTE'): reading it is not a failure",
    request={"method": "GET", "path": "/orders/ORDE_3A9C7B1E-5D2F-4E11-9C2B-7F0A6D1E8B44"},
    trap=True,
)
PART.add(
    "d-trap-shipstation-createorders-haserrors-false",
    200,
    {
        "hasErrors": False,
        "results": [
            {
                "orderId": 184502331,
                "orderNumber": "WEB-5543",
                "orderKey": "c7e2a9d1f0b34e86",
                "success": True,
                "errorMessage": None,
            },
            {
                "orderId": 184502332,
                "orderNumber": "WEB-5544",
                "orderKey": "0d3f6b8a2c1e4975",
                "success": True,
                "errorMessage": None,
            },
        ],
    },
    None,
    "ShipStation createorders: hasErrors false, every result success true, errorMessage null",
    request={"method": "POST", "path": "/orders/createorders"},
    trap=True,
)
PART.add(
    "d-trap-monday-items-query-status-failed",
    200,
    {
        "data": {
            "boards": [
                {
                    "id": "5523118804",
                    "name": "Deploy tracker",
                    "items_page": {
                        "cursor": None,
                        "items": [
                            {
                                "id": "6619001",
                                "name": "Release 4.2 rollout",
                                "column_values": [{"id": "status", "text": "Failed"}],
                            },
                            {
                                "id": "6619002",
                                "name": "DB migration",
                                "column_values": [{"id": "status", "text": "Stuck"}],
                            },
                            {
                                "id": "6619003",
                                "name": "Hotfix 4.2.1",
                                "column_values": [{"id": "status", "text": "Done"}],
                            },
                        ],
                    },
                }
            ]
        },
        "account_id": 9813344,
    },
    None,
    "monday.com GraphQL query listing items whose status column says Failed / Stuck: data, no errors",
    request={"method": "POST", "path": "/v2"},
    trap=True,
)
