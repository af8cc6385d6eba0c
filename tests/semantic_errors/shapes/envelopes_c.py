"""Third round of envelopes: JSON API failures whose TYPE is only in the words.  For each business
type (payment, rate_limit, auth_failure, not_found, conflict, validation, generic) about nine
wordings real APIs use (a card expired, do not honor, insufficient credit, issuer unavailable, a CVV
mismatch; slow down, request quota, try again in 30 seconds, concurrency limit, QPS, daily limit;
not signed in, bad credentials, account locked, MFA required, a revoked API key, a signature
mismatch, an IP not whitelisted, insufficient permissions; no such user, unknown order, does not
exist, could not locate, no matching record, resource missing, has been deleted; already exists,
duplicate, version mismatch, concurrent modification, already processed, already cancelled, locked
by another request, an idempotency key reused; must be a valid email, is required, out of range,
invalid format, too long, unsupported value, malformed JSON, a missing parameter; could not
process, internal error, operation failed, unknown error, temporarily unable, try again later),
each in a different envelope: top-level flags, ``data``/``result``/``response``/``error`` objects,
arrays of errors, GraphQL ``errors[].extensions.code``, gRPC-JSON ``code``/``message``/``details``,
problem+json relayed with a 200, ``code``/``msg`` envelopes with vendor string codes, and about
fifteen in Spanish, Portuguese, French, German, Italian, Japanese, Chinese and Russian.  Two 4xx
whose body names a more specific type than the status.  Traps: successful answers whose data
holds those words (a support ticket titled "card declined", an FAQ, ``status: ok`` beside an empty
``errors`` list, counters, a log search, a message catalog, a rate-limit status document, an
availability check, an events list, an audit log, an error-code reference, a DELETE confirmation).
"""

from tests.semantic_errors.shapes import Part

PART = Part("envelopes")

# --------------------------------------------------------------------------------------------
# payment
# --------------------------------------------------------------------------------------------

PART.add(
    "c-pay-code-msg-card-expired",
    200,
    {
        "code": "CARD_EXPIRED",
        "msg": "The card has expired. Please use a different card.",
        "data": None,
        "traceId": "7b1e0c2f9a4d4e3b",
    },
    "payment",
    "code/msg envelope with vendor code CARD_EXPIRED: the charge was refused because the card expired",
    request={"method": "POST", "path": "/api/v2/checkout/pay"},
)
PART.add(
    "c-pay-data-transaction-do-not-honor",
    200,
    {
        "data": {
            "transaction": {
                "id": "txn_01HZX8K2R7",
                "amount": 4999,
                "currency": "USD",
                "approved": False,
                "result": {"code": "05", "description": "Do not honor"},
                "card": {"brand": "visa", "last4": "0002"},
            }
        },
        "meta": {"api_version": "2024-04-01"},
    },
    "payment",
    "the sale just created answers approved false with ISO result 05 'Do not honor': the issuer declined it",
    request={"method": "POST", "path": "/v1/transactions"},
)
PART.add(
    "c-pay-jsonapi-errors-insufficient-credit",
    200,
    {
        "errors": [
            {
                "id": "b3f1d6c0-5a0e-4c1d-9a55-3e4f0a2b7c11",
                "code": "insufficient_credit",
                "title": "Insufficient credit",
                "detail": "The customer's available credit line (EUR 120.00) does not cover the order total (EUR 349.90).",
                "source": {"pointer": "/data/attributes/amount"},
            }
        ],
        "jsonapi": {"version": "1.0"},
    },
    "payment",
    "JSON:API errors array only: the buy-now-pay-later purchase was refused for insufficient credit",
    content_type="application/vnd.api+json",
    request={"method": "POST", "path": "/installments/purchases"},
)
PART.add(
    "c-pay-grpc-json-transaction-not-permitted",
    200,
    {
        "code": 9,
        "message": "transaction not permitted to cardholder",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "TRANSACTION_NOT_PERMITTED",
                "domain": "payments.acquirer.example.com",
                "metadata": {"decline_code": "57", "network": "mastercard"},
            }
        ],
    },
    "payment",
    "gRPC-gateway status body (code 9 FAILED_PRECONDITION) relayed with 200: issuer code 57, transaction not permitted",
    request={"method": "POST", "path": "/v1/authorizations:create"},
)
PART.add(
    "c-pay-graphql-issuer-unavailable",
    200,
    {
        "errors": [
            {
                "message": "Issuer unavailable: the card could not be authorized",
                "locations": [{"line": 2, "column": 3}],
                "path": ["authorizeCard"],
                "extensions": {"code": "ISSUER_UNAVAILABLE", "declineCode": "91", "retryable": True},
            }
        ],
        "data": {"authorizeCard": None},
    },
    "payment",
    "GraphQL mutation null with extensions.code ISSUER_UNAVAILABLE (decline 91): the card was not authorized",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-pay-problem-json-200-method-declined",
    200,
    {
        "type": "https://api.shoply.example/problems/payment-method-declined",
        "title": "Payment method declined",
        "status": 402,
        "detail": "The payment method pm_9Kd2 was declined by the processor.",
        "instance": "/orders/ord_55812/payments",
    },
    "payment",
    "problem+json document (inner status 402) relayed by a gateway with HTTP 200: payment method declined",
    content_type="application/problem+json",
    request={"method": "POST", "path": "/orders/ord_55812/payments"},
)
PART.add(
    "c-pay-response-limit-exceeded-on-card",
    200,
    {
        "requestId": "a0c7e4d2-11f3-4c42-8e9a-5b6d0e9f7a21",
        "response": {
            "status": "DECLINED",
            "reasonCode": "61",
            "reasonText": "Limit exceeded on card",
            "authCode": None,
        },
        "merchantRef": "INV-2024-00981",
    },
    "payment",
    "response.status DECLINED, reason 61 'Limit exceeded on card': the card's spending limit stopped the charge",
    request={"method": "POST", "path": "/api/payments/sale"},
)
PART.add(
    "c-pay-error-object-cvv-mismatch",
    200,
    {
        "success": False,
        "error": {
            "type": "card_error",
            "code": "cvv_mismatch",
            "message": "Card declined: the CVV provided does not match the card.",
        },
        "charge": None,
    },
    "payment",
    "success false, card_error cvv_mismatch: the issuer declined the card for a wrong security code",
    request={"method": "POST", "path": "/charges"},
)
PART.add(
    "c-pay-es-tarjeta-vencida",
    200,
    {
        "estado": "rechazado",
        "codigo": "TARJETA_VENCIDA",
        "mensaje": "La tarjeta está vencida. Utilice otro medio de pago.",
        "idOperacion": "OP-884120",
    },
    "payment",
    "Spanish: estado rechazado, the card is expired (tarjeta vencida)",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/cobros"},
)
PART.add(
    "c-pay-it-massimale-superato",
    200,
    {
        "esito": "NEGATO",
        "transazione": {
            "codiceTransazione": "TRX20240611-7781",
            "importo": "1250.00",
            "messaggio": "Transazione negata: massimale della carta superato",
        },
    },
    "payment",
    "Italian: esito NEGATO, transaction refused because the card's spending limit was exceeded",
    request={"method": "POST", "path": "/ecomm/api/paga"},
)

# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "c-rl-github-device-flow-slow-down",
    200,
    {
        "error": "slow_down",
        "error_description": "Too many requests have been made in the same timeframe.",
        "error_uri": "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow",
        "interval": 10,
    },
    "rate_limit",
    "GitHub device-flow token poll answers 200 with error slow_down: polled too fast, interval raised",
    request={"method": "POST", "path": "/login/oauth/access_token", "headers": {"Accept": "application/json"}},
)
PART.add(
    "c-rl-code-msg-quota-exceeded",
    200,
    {
        "code": "QUOTA_EXCEEDED",
        "msg": "Monthly request quota of 10000 calls exhausted for this API key",
        "data": {},
        "quota": {"limit": 10000, "used": 10000, "resets_at": "2024-07-01T00:00:00Z"},
    },
    "rate_limit",
    "code/msg envelope, vendor code QUOTA_EXCEEDED: the key's monthly request quota is used up",
    request={"method": "GET", "path": "/v1/geo/ip/198.51.100.7"},
)
PART.add(
    "c-rl-data-otp-try-again-in-30-seconds",
    200,
    {
        "data": {
            "sent": False,
            "reason": "Too many codes requested for this number. Try again in 30 seconds.",
            "retry_after": 30,
        }
    },
    "rate_limit",
    "data.sent false: too many OTP requests for the number, retry in 30 seconds",
    request={"method": "POST", "path": "/auth/otp/send"},
)
PART.add(
    "c-rl-grpc-json-concurrency-limit",
    200,
    {
        "code": 8,
        "message": "concurrency limit reached: at most 5 in-flight requests per project",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{"subject": "project:acme-prod", "description": "concurrent requests"}],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"},
        ],
    },
    "rate_limit",
    "gRPC-JSON status code 8 RESOURCE_EXHAUSTED in a 200: per-project concurrency limit",
    request={"method": "POST", "path": "/v1/projects/acme-prod/jobs:run"},
)
PART.add(
    "c-rl-jsonapi-errors-throttled",
    200,
    {
        "errors": [
            {
                "status": "429",
                "code": "throttled",
                "title": "Throttled",
                "detail": "This account is throttled; no more than 60 writes per minute are accepted.",
            }
        ]
    },
    "rate_limit",
    "errors array with a single 'throttled' error (its own status 429) in an HTTP 200",
    content_type="application/vnd.api+json",
    request={"method": "PATCH", "path": "/api/contacts/88213"},
)
PART.add(
    "c-rl-result-qps-exceeded",
    200,
    {
        "result": {
            "success": False,
            "errorCode": "QPS_EXCEEDED",
            "errorMessage": "QPS exceeded: limit is 20 requests per second for appKey 24881203",
        },
        "traceId": "0bb3a9f117181234567891234e",
    },
    "rate_limit",
    "result.success false, errorCode QPS_EXCEEDED: over the per-second call limit",
    request={"method": "POST", "path": "/router/rest?method=logistics.trace.get"},
)
PART.add(
    "c-rl-status-error-daily-limit",
    200,
    {
        "status": "error",
        "error": {
            "code": "DAILY_LIMIT_REACHED",
            "message": "Daily limit of 2,500 geocoding requests reached for this key. The counter resets at 00:00 UTC.",
        },
        "results": [],
    },
    "rate_limit",
    "status error: the key's daily request limit is reached",
    request={"method": "GET", "path": "/geocode/v1/json?q=Berlin"},
)
PART.add(
    "c-rl-zh-request-too-frequent",
    200,
    {"success": False, "code": "429001", "message": "请求过于频繁，请稍后再试", "data": None},
    "rate_limit",
    "Chinese: 'requests too frequent, try later', success false: rate limited (not a bare 'try again later')",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/sms/verify-code"},
)
PART.add(
    "c-rl-ja-call-count-over-limit",
    200,
    {
        "success": False,
        "errorCode": "E1029",
        "errorMessage": "APIの呼び出し回数が上限を超えました。1分後に再度お試しください。",
    },
    "rate_limit",
    "Japanese: the API call count exceeded its limit, retry in a minute",
    request={"method": "GET", "path": "/api/v1/inventory?sku=A-1001"},
)
PART.add(
    "c-rl-ru-too-many-requests",
    200,
    {
        "response": None,
        "error": {"error_code": "TOO_MANY", "error_msg": "Слишком много запросов в секунду. Повторите позже."},
    },
    "rate_limit",
    "Russian: 'too many requests per second', response null",
    request={"method": "GET", "path": "/method/users.get?user_ids=1"},
)

# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

PART.add(
    "c-auth-not-signed-in-redirect",
    200,
    {
        "success": False,
        "message": "You are not signed in. Please sign in to continue.",
        "redirect": "/signin?next=%2Fapi%2Fcart",
    },
    "auth_failure",
    "success false: not signed in, with a redirect to the sign-in page",
    request={"method": "GET", "path": "/api/cart"},
)
PART.add(
    "c-auth-data-bad-credentials",
    200,
    {"data": {"token": None, "user": None, "error": "Bad credentials"}},
    "auth_failure",
    "login answers data.token null with error 'Bad credentials'",
    request={"method": "POST", "path": "/api/session"},
)
PART.add(
    "c-auth-code-account-locked",
    200,
    {
        "code": "ACCOUNT_LOCKED",
        "msg": "Account locked after 5 failed sign-in attempts. Reset your password to unlock it.",
        "data": None,
    },
    "auth_failure",
    "code/msg envelope, vendor code ACCOUNT_LOCKED: the account cannot sign in",
    request={"method": "POST", "path": "/user/login"},
)
PART.add(
    "c-auth-graphql-mfa-required",
    200,
    {
        "data": {"changeEmail": None},
        "errors": [
            {
                "message": "MFA required: confirm your identity with a second factor to perform this action",
                "path": ["changeEmail"],
                "extensions": {"code": "MFA_REQUIRED", "factors": ["totp", "webauthn"]},
            }
        ],
    },
    "auth_failure",
    "GraphQL mutation null, extensions.code MFA_REQUIRED: the change was not made without a second factor",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-auth-grpc-json-api-key-revoked",
    200,
    {
        "code": 16,
        "message": "API key revoked",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_REVOKED",
                "domain": "apikeys.example.dev",
                "metadata": {"key_id": "ak_3c91", "revoked_at": "2024-05-30T08:12:44Z"},
            }
        ],
    },
    "auth_failure",
    "gRPC-JSON status code 16 UNAUTHENTICATED relayed with 200: the API key was revoked",
    request={"method": "GET", "path": "/v1/datasets"},
)
PART.add(
    "c-auth-response-signature-mismatch",
    200,
    {
        "response": {
            "header": {"resultCode": "FAIL", "timestamp": 1718092201},
            "error": {
                "code": "SIGNATURE_MISMATCH",
                "message": "The request signature we calculated does not match the signature you provided.",
            },
        }
    },
    "auth_failure",
    "response.header FAIL with error SIGNATURE_MISMATCH: the request's signature was rejected",
    request={"method": "POST", "path": "/openapi/v1/orders/query"},
)
PART.add(
    "c-auth-errors-ip-not-whitelisted",
    200,
    {
        "result": None,
        "errors": [
            {
                "code": "IP_NOT_WHITELISTED",
                "message": "Requests from 203.0.113.45 are not allowed: IP not whitelisted for this API key",
            }
        ],
    },
    "auth_failure",
    "errors array: the caller's IP address is not on the key's allow list",
    request={"method": "GET", "path": "/api/v3/account/balance"},
)
PART.add(
    "c-auth-error-insufficient-permissions",
    200,
    {
        "result": "error",
        "error": {
            "type": "permission_error",
            "message": "Insufficient permissions: role 'viewer' cannot delete projects (requires admin:write)",
        },
    },
    "auth_failure",
    "result error, permission_error: the caller's role lacks the permission",
    request={"method": "DELETE", "path": "/api/projects/prj_7781"},
)
PART.add(
    "c-auth-de-sitzung-abgelaufen",
    200,
    {
        "erfolg": False,
        "fehler": {
            "code": "NICHT_ANGEMELDET",
            "meldung": "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        },
    },
    "auth_failure",
    "German: erfolg false, not logged in, the session expired and a new login is needed",
    request={"method": "GET", "path": "/api/konto/uebersicht"},
)
PART.add(
    "c-auth-ru-wrong-login-password",
    200,
    {"status": "error", "message": "Неверный логин или пароль", "token": None},
    "auth_failure",
    "Russian: status error, wrong login or password",
    request={"method": "POST", "path": "/api/auth/login"},
)
PART.add(
    "c-auth-400-invalid-client",
    400,
    {"error": "invalid_client", "error_description": "Client authentication failed: bad client secret"},
    "auth_failure",
    "OAuth token endpoint 400 with error invalid_client: the body names an authentication failure, more specific than 400",
    request={"method": "POST", "path": "/oauth2/token"},
)

# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "c-nf-status-fail-no-such-user",
    200,
    {"status": "fail", "reason": "No such user: 'jdoe42'"},
    "not_found",
    "status fail: no such user",
    request={"method": "GET", "path": "/api/users/jdoe42/profile"},
)
PART.add(
    "c-nf-code-order-not-found",
    200,
    {
        "code": "ORDER_NOT_FOUND",
        "msg": "Unknown order 'SO-2024-118833'",
        "data": None,
        "timestamp": 1718093320511,
    },
    "not_found",
    "code/msg envelope, vendor code ORDER_NOT_FOUND: unknown order",
    request={"method": "GET", "path": "/open/api/order/detail?orderNo=SO-2024-118833"},
)
PART.add(
    "c-nf-grpc-json-does-not-exist",
    200,
    {
        "code": 5,
        "message": "instance projects/acme/locations/eu-west1/instances/db-7 does not exist",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ResourceInfo",
                "resourceType": "sql.instance",
                "resourceName": "projects/acme/locations/eu-west1/instances/db-7",
                "description": "the instance was not found",
            }
        ],
    },
    "not_found",
    "gRPC-JSON status code 5 NOT_FOUND in a 200: the instance does not exist",
    request={"method": "GET", "path": "/v1/projects/acme/locations/eu-west1/instances/db-7"},
)
PART.add(
    "c-nf-graphql-could-not-locate",
    200,
    {
        "data": {"shipment": None},
        "errors": [
            {
                "message": "Could not locate shipment with tracking number 1Z999AA10123456784",
                "locations": [{"line": 1, "column": 9}],
                "path": ["shipment"],
                "extensions": {"code": "NOT_FOUND"},
            }
        ],
    },
    "not_found",
    "GraphQL query field null with 'could not locate' and extensions.code NOT_FOUND",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-nf-result-no-matching-record",
    200,
    {
        "result": {"status": "ERROR", "message": "No matching record for customer_ref=CU-99812"},
        "meta": {"took_ms": 4, "source": "crm-eu"},
    },
    "not_found",
    "lookup by reference answers result.status ERROR: no matching record (not a search with zero hits)",
    request={"method": "GET", "path": "/api/customers/lookup?customer_ref=CU-99812"},
)
PART.add(
    "c-nf-errors-resource-missing",
    200,
    {
        "errors": [
            {
                "code": "resource_missing",
                "message": "No such price: 'price_1NxQ2bLkdIwHu7ix'",
                "param": "line_items[0][price]",
            }
        ],
        "object": None,
    },
    "not_found",
    "errors array with code resource_missing: the referenced price does not exist",
    request={"method": "POST", "path": "/v1/checkout/sessions"},
)
PART.add(
    "c-nf-error-has-been-deleted",
    200,
    {
        "success": False,
        "data": None,
        "error": {"code": "GONE", "message": "This document has been deleted and is no longer available."},
    },
    "not_found",
    "success false, error GONE: the document was deleted (410-like)",
    request={"method": "GET", "path": "/api/docs/d_88a1c2"},
)
PART.add(
    "c-nf-fr-client-introuvable",
    200,
    {
        "statut": "erreur",
        "message": "Client introuvable : aucun client ne correspond à l'identifiant 48213",
        "donnees": None,
    },
    "not_found",
    "French: statut erreur, customer not found (introuvable)",
    request={"method": "GET", "path": "/api/clients/48213"},
)
PART.add(
    "c-nf-it-pratica-non-esiste",
    200,
    {"esito": "errore", "dettaglio": "La pratica richiesta non esiste", "codice": "PRATICA_ASSENTE"},
    "not_found",
    "Italian: esito errore, the requested case file does not exist",
    request={"method": "GET", "path": "/servizi/pratiche/2024-001882"},
)

# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "c-cf-code-email-taken",
    200,
    {"code": "EMAIL_TAKEN", "msg": "An account with this email already exists", "data": None},
    "conflict",
    "code/msg envelope, vendor code EMAIL_TAKEN: sign-up refused, the email already exists",
    request={"method": "POST", "path": "/api/register"},
)
PART.add(
    "c-cf-es-registro-duplicado",
    200,
    {
        "resultado": "ERROR",
        "errores": [{"campo": "folio", "detalle": "Registro duplicado: ya existe una factura con el folio A-1029"}],
    },
    "conflict",
    "Spanish: resultado ERROR, duplicate record, an invoice with that folio already exists",
    request={"method": "POST", "path": "/api/facturas"},
)
PART.add(
    "c-cf-error-version-mismatch",
    200,
    {
        "result": None,
        "error": {
            "code": "VERSION_MISMATCH",
            "message": "Version mismatch: expected version 7 but the document is at version 9",
            "currentVersion": 9,
        },
    },
    "conflict",
    "error VERSION_MISMATCH: optimistic-lock conflict, the update was not applied",
    request={"method": "PUT", "path": "/api/documents/doc_31/content"},
)
PART.add(
    "c-cf-grpc-json-concurrent-modification",
    200,
    {
        "code": 10,
        "message": "concurrent modification: the policy was changed by another request; re-read it and retry",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "ETAG_MISMATCH",
                "domain": "iam.example.dev",
                "metadata": {"expected_etag": "BwX8w1", "current_etag": "BwX9aQ"},
            }
        ],
    },
    "conflict",
    "gRPC-JSON status code 10 ABORTED in a 200: concurrent modification of the policy",
    request={"method": "POST", "path": "/v1/projects/acme:setIamPolicy"},
)
PART.add(
    "c-cf-data-already-processed",
    200,
    {
        "data": {
            "batchId": "imp_20240611_03",
            "committed": False,
            "reason": "Batch already processed on 2024-06-10T22:14:03Z",
        }
    },
    "conflict",
    "commit answers committed false: the import batch was already processed",
    request={"method": "POST", "path": "/api/imports/imp_20240611_03/commit"},
)
PART.add(
    "c-cf-response-already-cancelled",
    200,
    {
        "response": {
            "code": "ORDER_ALREADY_CANCELLED",
            "message": "Cannot cancel order 7781: the order is already cancelled",
        },
        "requestId": "r-55c1f0",
    },
    "conflict",
    "cancel refused: the order's state already is cancelled (a state conflict)",
    request={"method": "POST", "path": "/api/orders/7781/cancel"},
)
PART.add(
    "c-cf-graphql-resource-locked",
    200,
    {
        "errors": [
            {
                "message": "Resource locked by another request; retry when the lock is released",
                "path": ["adjustInventory"],
                "extensions": {"code": "RESOURCE_LOCKED", "lockedBy": "req_9f2c71", "lockTtlSeconds": 12},
            }
        ],
        "data": {"adjustInventory": None},
    },
    "conflict",
    "GraphQL mutation null, extensions.code RESOURCE_LOCKED: another request holds the lock",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-cf-error-idempotency-key-reused",
    200,
    {
        "success": False,
        "error": {
            "code": "IDEMPOTENCY_KEY_REUSED",
            "message": "Idempotency key 'ik-7d2e' was reused with a different request body",
        },
    },
    "conflict",
    "success false, IDEMPOTENCY_KEY_REUSED: the key was first used for another request",
    request={"method": "POST", "path": "/v1/transfers", "headers": {"Idempotency-Key": "ik-7d2e"}},
)
PART.add(
    "c-cf-pt-cpf-ja-cadastrado",
    200,
    {"sucesso": False, "mensagem": "Já existe um cadastro com este CPF", "dados": None},
    "conflict",
    "Portuguese: sucesso false, a registration with this CPF already exists",
    request={"method": "POST", "path": "/api/clientes"},
)
PART.add(
    "c-cf-422-idempotency-key-in-use",
    422,
    {
        "error": {
            "type": "idempotency_error",
            "code": "idempotency_key_reused",
            "message": "This idempotency key was already used with different parameters.",
        }
    },
    "conflict",
    "422 whose body names an idempotency-key conflict: conflict is more specific than 422's validation",
    request={"method": "POST", "path": "/v1/refunds"},
)

# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "c-val-laravel-errors-valid-email",
    200,
    {
        "message": "The given data was invalid.",
        "errors": {
            "email": ["The email must be a valid email address."],
            "phone": ["The phone field is required."],
        },
    },
    "validation",
    "Laravel validation body (usually 422) in a 200: invalid email, required field missing",
    request={"method": "POST", "path": "/api/leads"},
)
PART.add(
    "c-val-code-invalid-phone",
    200,
    {"code": "INVALID_PHONE", "msg": "Phone number '+44 20 7946 09' has an invalid format", "data": None},
    "validation",
    "code/msg envelope, vendor code INVALID_PHONE: the phone number's format is invalid",
    request={"method": "POST", "path": "/api/v1/contacts"},
)
PART.add(
    "c-val-grpc-json-out-of-range",
    200,
    {
        "code": 3,
        "message": "page_size out of range: must be between 1 and 1000",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": "page_size", "description": "out of range"}],
            }
        ],
    },
    "validation",
    "gRPC-JSON status code 3 INVALID_ARGUMENT with a field violation: page_size out of range",
    request={"method": "GET", "path": "/v1/logs?page_size=5000"},
)
PART.add(
    "c-val-graphql-too-long",
    200,
    {
        "errors": [
            {
                "message": "Field 'displayName' is too long (maximum is 64 characters)",
                "extensions": {"code": "BAD_USER_INPUT", "field": "displayName", "maxLength": 64},
            }
        ],
        "data": None,
    },
    "validation",
    "GraphQL errors, extensions.code BAD_USER_INPUT: a field value is too long",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-val-problem-json-200-invalid-params",
    200,
    {
        "type": "https://example.net/validation-error",
        "title": "Your request parameters didn't validate.",
        "invalid-params": [
            {"name": "age", "reason": "must be a positive integer"},
            {"name": "language", "reason": "unsupported value 'klingon'"},
        ],
    },
    "validation",
    "RFC 7807 validation problem relayed with 200: invalid parameters (unsupported value)",
    content_type="application/problem+json",
    request={"method": "POST", "path": "/profiles"},
)
PART.add(
    "c-val-status-error-malformed-json",
    200,
    {"status": "error", "message": "Malformed JSON in request body: unexpected token '}' at position 84"},
    "validation",
    "status error: the request body was malformed JSON",
    request={"method": "POST", "path": "/hooks/ingest"},
)
PART.add(
    "c-val-response-missing-parameter",
    200,
    {
        "response": {
            "status": "FAILURE",
            "errorCode": "MISSING_PARAMETER",
            "errorDescription": "Missing parameter: merchantReference",
        }
    },
    "validation",
    "response.status FAILURE, MISSING_PARAMETER: a required parameter was not sent",
    request={"method": "POST", "path": "/api/v1/shipments"},
)
PART.add(
    "c-val-de-ungueltiges-format",
    200,
    {
        "status": "FEHLER",
        "fehlermeldungen": [{"feld": "plz", "text": "Ungültiges Format der Postleitzahl"}],
    },
    "validation",
    "German: status FEHLER, the postal code has an invalid format",
    request={"method": "POST", "path": "/api/adressen"},
)
PART.add(
    "c-val-ja-hissu-koumoku",
    200,
    {"result": False, "errors": [{"field": "birthday", "message": "生年月日は必須項目です"}]},
    "validation",
    "Japanese: result false, date of birth is a required field",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/members"},
)

# --------------------------------------------------------------------------------------------
# generic_business_error
# --------------------------------------------------------------------------------------------

PART.add(
    "c-gen-could-not-process",
    200,
    {"success": False, "message": "We could not process your request at this time."},
    "generic_business_error",
    "success false with 'could not process' and no more specific cause",
    request={"method": "POST", "path": "/api/reports/generate"},
)
PART.add(
    "c-gen-code-internal-error",
    200,
    {"code": "INTERNAL_ERROR", "msg": "internal error", "data": None, "requestId": "e1f2a3b4c5d6"},
    "generic_business_error",
    "code/msg envelope, INTERNAL_ERROR in a 200: failed, no more specific type",
    request={"method": "POST", "path": "/openapi/device/bind"},
)
PART.add(
    "c-gen-grpc-json-internal-operation-failed",
    200,
    {"code": 13, "message": "operation failed: could not write snapshot to storage", "details": []},
    "generic_business_error",
    "gRPC-JSON status code 13 INTERNAL relayed with 200: operation failed (2xx, so generic)",
    request={"method": "POST", "path": "/v1/volumes/vol-12:snapshot"},
)
PART.add(
    "c-gen-graphql-unknown-error",
    200,
    {
        "errors": [
            {"message": "Unknown error", "path": ["publishPost"], "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ],
        "data": {"publishPost": None},
    },
    "generic_business_error",
    "GraphQL mutation null with 'Unknown error' (INTERNAL_SERVER_ERROR): failed, no specific type",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-gen-result-temporarily-unable",
    200,
    {
        "result": {
            "code": "SERVICE_UNAVAILABLE",
            "message": "The service is temporarily unable to handle your request. Please try again later.",
        }
    },
    "generic_business_error",
    "result SERVICE_UNAVAILABLE in a 200 body: temporarily unable, try later (no quota or throttling named)",
    request={"method": "GET", "path": "/api/quotes/fx?pair=EURUSD"},
)
PART.add(
    "c-gen-try-again-later",
    200,
    {"status": "error", "message": "Something went wrong. Please try again later."},
    "generic_business_error",
    "status error, 'try again later' alone: a generic failure, not a rate limit",
    request={"method": "POST", "path": "/api/newsletter/subscribe"},
)
PART.add(
    "c-gen-zh-system-busy",
    200,
    {"code": 500, "msg": "系统繁忙，请稍后再试", "data": None},
    "generic_business_error",
    "Chinese: body code 500, 'system busy, try later': generic failure (no frequency limit named)",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/order/submit"},
)
PART.add(
    "c-gen-ru-unknown-error",
    200,
    {"success": False, "error": {"message": "Не удалось выполнить операцию. Неизвестная ошибка."}},
    "generic_business_error",
    "Russian: success false, the operation could not be performed, unknown error",
    request={"method": "POST", "path": "/api/v1/documents/sign"},
)
PART.add(
    "c-gen-fr-erreur-interne",
    200,
    {
        "statut": "KO",
        "message": "Une erreur interne est survenue, veuillez réessayer plus tard.",
        "reference": "ERR-7731",
    },
    "generic_business_error",
    "French: statut KO, an internal error occurred, try again later",
    request={"method": "POST", "path": "/api/rendez-vous"},
)

# --------------------------------------------------------------------------------------------
# Traps: successful answers whose data holds those words
# --------------------------------------------------------------------------------------------

PART.add(
    "c-trap-support-ticket-card-declined",
    201,
    {
        "ticket": {
            "id": 48812,
            "subject": "Card declined at checkout",
            "description": "Customer says the card expired message appeared, then 'do not honor'. Insufficient funds? Please check.",
            "status": "new",
            "priority": "high",
            "tags": ["payment", "declined"],
            "created_at": "2024-06-11T09:14:22Z",
        }
    },
    None,
    "a helpdesk ticket was created; its subject and description talk about a declined card",
    request={"method": "POST", "path": "/api/v2/tickets"},
    trap=True,
)
PART.add(
    "c-trap-faq-error-wordings",
    200,
    {
        "items": [
            {
                "q": "Why was my card declined with 'do not honor'?",
                "a": "The issuer refused the charge; contact your bank.",
            },
            {"q": "What does 'rate limit exceeded' mean?", "a": "You sent too many requests; wait before retrying."},
            {"q": "I get 'account locked'. What now?", "a": "Reset your password to unlock your account."},
            {"q": "Why does it say 'already exists'?", "a": "An account with that email is already registered."},
        ],
        "total": 4,
        "page": 1,
    },
    None,
    "an FAQ listing: questions quoting error messages are content",
    request={"method": "GET", "path": "/api/help/faq?topic=errors"},
    trap=True,
)
PART.add(
    "c-trap-status-ok-empty-errors",
    200,
    {
        "status": "ok",
        "errors": [],
        "warnings": [],
        "data": {"orderId": "SO-2024-118834", "state": "confirmed", "total": "89.90"},
    },
    None,
    "status ok with an empty errors list and the created order",
    request={"method": "POST", "path": "/api/orders"},
    trap=True,
)
PART.add(
    "c-trap-dashboard-decline-counters",
    200,
    {
        "period": "2024-06-10",
        "payments": {"approved": 18211, "declined": 412, "insufficient_funds": 97, "expired_card": 31},
        "api": {"throttled": 0, "unauthorized": 14, "not_found": 220, "internal_errors": 3},
    },
    None,
    "daily metrics: counters named after failure types are data",
    request={"method": "GET", "path": "/api/stats/daily?date=2024-06-10"},
    trap=True,
)
PART.add(
    "c-trap-log-search-internal-error-lines",
    200,
    {
        "took": 38,
        "hits": [
            {"ts": "2024-06-11T08:01:12Z", "level": "ERROR", "msg": "internal error: could not process job 8812"},
            {"ts": "2024-06-11T08:01:13Z", "level": "WARN", "msg": "throttled by upstream, try again in 30 seconds"},
            {"ts": "2024-06-11T08:02:40Z", "level": "ERROR", "msg": "signature mismatch for webhook wh_221"},
        ],
        "total": 3,
    },
    None,
    "a log search answering with matching lines: the error messages are the results",
    request={"method": "GET", "path": "/api/logs/search?q=level:ERROR%20OR%20level:WARN"},
    trap=True,
)
PART.add(
    "c-trap-i18n-message-catalog",
    200,
    {
        "locale": "es-MX",
        "messages": {
            "errors.card_expired": "La tarjeta está vencida",
            "errors.insufficient_funds": "Fondos insuficientes",
            "errors.too_many_requests": "Demasiadas solicitudes, intente más tarde",
            "errors.not_found": "No encontrado",
            "errors.required": "Este campo es obligatorio",
        },
    },
    None,
    "a translation catalog: error strings are the content asked for",
    request={"method": "GET", "path": "/api/i18n/es-MX/errors"},
    trap=True,
)
PART.add(
    "c-trap-github-rate-limit-status",
    200,
    {
        "resources": {
            "core": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1718096400},
            "search": {"limit": 30, "used": 0, "remaining": 30, "reset": 1718092860},
            "graphql": {"limit": 5000, "used": 7, "remaining": 4993, "reset": 1718095020},
        },
        "rate": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1718096400},
    },
    None,
    "GitHub GET /rate_limit: the quota status asked for, plenty remaining",
    request={"method": "GET", "path": "/rate_limit"},
    trap=True,
)
PART.add(
    "c-trap-username-availability-taken",
    200,
    {
        "username": "maria",
        "available": False,
        "message": "Username already exists",
        "suggestions": ["maria_92", "maria.dev"],
    },
    None,
    "an availability check answered the question (not available); nothing was being created",
    request={"method": "GET", "path": "/api/users/availability?username=maria"},
    trap=True,
)
PART.add(
    "c-trap-events-list-charge-failed",
    200,
    {
        "object": "list",
        "data": [
            {
                "id": "evt_1",
                "type": "charge.failed",
                "data": {"failure_code": "card_declined", "failure_message": "Your card was declined."},
            },
            {"id": "evt_2", "type": "charge.succeeded", "data": {"failure_code": None}},
        ],
        "has_more": False,
        "url": "/v1/events",
    },
    None,
    "a list of webhook events: a charge.failed event is data",
    request={"method": "GET", "path": "/v1/events?limit=2"},
    trap=True,
)
PART.add(
    "c-trap-audit-log-account-locked",
    200,
    {
        "entries": [
            {"at": "2024-06-11T07:55:02Z", "actor": "u_88", "action": "login", "outcome": "bad credentials"},
            {"at": "2024-06-11T07:55:40Z", "actor": "u_88", "action": "login", "outcome": "account locked"},
            {"at": "2024-06-11T08:10:11Z", "actor": "admin_1", "action": "unlock", "outcome": "success"},
        ],
        "next_cursor": None,
    },
    None,
    "an audit log: failed logins recorded as entries are data",
    request={"method": "GET", "path": "/api/audit?actor=u_88"},
    trap=True,
)
PART.add(
    "c-trap-error-code-reference",
    200,
    [
        {"code": "QUOTA_EXCEEDED", "http": 429, "description": "The monthly request quota is used up."},
        {"code": "ACCOUNT_LOCKED", "http": 403, "description": "Too many failed sign-in attempts."},
        {"code": "ORDER_NOT_FOUND", "http": 404, "description": "No order with that number."},
        {"code": "EMAIL_TAKEN", "http": 409, "description": "An account with this email already exists."},
    ],
    None,
    "an API's error-code reference listed on request: codes as data",
    request={"method": "GET", "path": "/api/meta/error-codes"},
    trap=True,
)
PART.add(
    "c-trap-delete-has-been-deleted",
    200,
    {"success": True, "deleted": True, "id": "d_88a1c2", "message": "The document has been deleted."},
    None,
    "a DELETE confirmed: 'has been deleted' is what was asked",
    request={"method": "DELETE", "path": "/api/docs/d_88a1c2"},
    trap=True,
)
