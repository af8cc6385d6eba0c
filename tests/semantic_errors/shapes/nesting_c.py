"""Third round of nested failures, where the failure sits below the top level or in an awkward
delivery and its type has to be read from the words of a message rather than from a code:
wrappers (``data.result``, ``response``, ``payload``, ``return``, ASP.NET ``d``,
``{method}Response``, ``header``/``body`` pairs), GraphQL mutation payloads and top-level
``errors`` whose ``extensions`` carry no type, batches where every item failed for the same
reason (JSON-RPC, bulk inserts, push batches, Salesforce composite, Mailchimp batch subscribe,
Typesense import), entity states answering a POST action (payments, direct debits, payouts,
refunds, orders, verifications, KYC sessions, bookings, shipments), SOAP results (not faults)
with status elements, form/NVP replies, SSE and NDJSON streams ending in an error, JSON sent
as text/plain or text/html, and gzip bodies; about a third of the messages are in Spanish,
Portuguese, French, German, Italian, Japanese, Chinese or Russian.  Traps: GETs of entities in
failed states, a GraphQL query listing declined orders, a partly throttled JSON-RPC batch, a
SOAP result reporting no errors, a stream whose text talks about a declined card, empty error
fields, a cancel action answered with a cancelled order and zero failure counters."""

from tests.semantic_errors.shapes import Part, dumps, gz

PART = Part("nesting")

GZIP = {"Content-Encoding": "gzip"}
XML = "text/xml; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


def soap(inner: str) -> str:
    """A SOAP 1.1 envelope around a (non-fault) response element."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
        f"  <soap:Body>\n    {inner}\n  </soap:Body>\n</soap:Envelope>\n"
    )


# --------------------------------------------------------------------------------------------
# payment
# --------------------------------------------------------------------------------------------

PART.add(
    "c-data-payment-result-declined-by-issuer",
    200,
    {
        "data": {
            "payment": {
                "id": "pay_7Qm2xNf0",
                "amount": 4999,
                "currency": "EUR",
                "capture": True,
                "result": {
                    "state": "failed",
                    "message": "The card was declined by the issuer. Ask the customer to use a different card.",
                },
            }
        },
        "meta": {"requestId": "req_81f2c0a9", "apiVersion": "2024-05-01"},
    },
    "payment",
    "two levels down the payment just created failed: card declined by the issuer",
    request={"method": "POST", "path": "/api/v2/checkout/payments"},
)
PART.add(
    "c-graphql-chargecreate-payload-nsf",
    200,
    {
        "data": {
            "chargeCreate": {
                "charge": None,
                "errors": [
                    {
                        "field": ["input", "sourceId"],
                        "message": "NSF: not sufficient funds in the linked bank account",
                    }
                ],
            }
        }
    },
    "payment",
    "mutation payload has no charge and an error saying NSF / not sufficient funds",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-soap-processpaymentresult-method-expired",
    200,
    soap(
        '<ProcessPaymentResponse xmlns="http://gateway.example.com/services/v3">'
        "<ProcessPaymentResult><TransactionId>0</TransactionId><Status>Error</Status>"
        "<StatusMessage>The stored payment method has expired (exp. 03/24). Update the card on file.</StatusMessage>"
        "<AuthCode/></ProcessPaymentResult></ProcessPaymentResponse>"
    ),
    "payment",
    "SOAP result (not a fault) with Status Error: the payment method on file has expired",
    content_type=XML,
    request={"method": "POST", "path": "/PaymentService.asmx"},
)
PART.add(
    "c-nvp-3ds-authentication-failed",
    200,
    "result=FAILED&txn_id=A70E0C2F3D41&resp_msg=3-D+Secure+authentication+failed+for+this+card"
    "&auth_code=&eci=07&avs=X&cvv=M",
    "payment",
    "name-value reply: result FAILED, 3-D Secure authentication of the card failed so no authorization",
    content_type=FORM,
    request={"method": "POST", "path": "/cgi-bin/gateway/process"},
)
PART.add(
    "c-gz-pt-resposta-saldo-carteira",
    200,
    gz(
        dumps(
            {
                "resposta": {
                    "sucesso": False,
                    "mensagem": "Saldo da carteira insuficiente para concluir a transferência",
                    "saldoDisponivel": "12,40",
                },
                "protocolo": "20240612093311",
            }
        ).encode()
    ),
    "payment",
    "gzip body; resposta.sucesso false, wallet balance too low for the transfer (Portuguese)",
    headers=GZIP,
    request={"method": "POST", "path": "/api/carteira/transferencias"},
)
PART.add(
    "c-ja-header-ng-body-riyou-kanougaku",
    200,
    {
        "header": {"status": "NG", "processDate": "20240612", "requestId": "3a9f5c10-77d2"},
        "body": {
            "orderId": "ORD-0612-0045",
            "message": "ご利用可能額を超えているため、カード決済が承認されませんでした。",
        },
    },
    "payment",
    "header NG, body says the card payment was not approved because the amount exceeds the available limit (Japanese)",
    request={"method": "POST", "path": "/v1/payments/card/authorize"},
)
PART.add(
    "c-direct-debit-state-bank-rejected",
    201,
    {
        "id": "dd_01J0C8ZK2R",
        "object": "direct_debit",
        "amount": 8990,
        "currency": "EUR",
        "mandate": "MD-2024-11873",
        "status": "rejected",
        "failure": {"message": "The payer's bank rejected the debit"},
        "created": 1718186400,
    },
    "payment",
    "201 for the created debit, but its state is rejected by the payer's bank: the money was not collected",
    request={"method": "POST", "path": "/v1/direct_debits"},
)
PART.add(
    "c-sse-checkout-amount-exceeds-card-limit",
    200,
    "event: status\n"
    'data: {"step":"risk_check","ok":true}\n\n'
    "event: status\n"
    'data: {"step":"authorization","ok":false}\n\n'
    "event: error\n"
    'data: {"message":"Amount exceeds card limit","retryable":false}\n\n',
    "payment",
    "checkout progress stream ends with an error event: the amount exceeds the card limit",
    content_type="text/event-stream",
    request={"method": "POST", "path": "/v1/checkout/sessions/cs_55/stream"},
)
PART.add(
    "c-de-auszahlungen-alle-saldo",
    200,
    {
        "auftrag": "SA-2024-0612-7",
        "ergebnis": {"angenommen": 0, "abgelehnt": 3},
        "auszahlungen": [
            {
                "ref": "AZ-1",
                "betrag": "250,00",
                "status": "fehlgeschlagen",
                "hinweis": "Verfügbarer Saldo reicht für diese Auszahlung nicht aus",
            },
            {
                "ref": "AZ-2",
                "betrag": "80,00",
                "status": "fehlgeschlagen",
                "hinweis": "Verfügbarer Saldo reicht für diese Auszahlung nicht aus",
            },
            {
                "ref": "AZ-3",
                "betrag": "1.200,00",
                "status": "fehlgeschlagen",
                "hinweis": "Verfügbarer Saldo reicht für diese Auszahlung nicht aus",
            },
        ],
    },
    "payment",
    "payout batch in which every payout failed because the available balance is too low (German)",
    request={"method": "POST", "path": "/api/v1/auszahlungen/sammelauftrag"},
)

# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "c-response-wrapper-daily-request-limit",
    200,
    {
        "response": {
            "status": "error",
            "detail": "Daily request limit reached for this API key (5000/5000). Resets at 00:00 UTC.",
            "results": [],
        }
    },
    "rate_limit",
    "response.status error: the key's daily request limit is reached, so no geocoding results",
    request={"method": "GET", "path": "/v1/geocode?address=10+Downing+St%2C+London"},
)
PART.add(
    "c-jsonrpc-batch-all-too-frequent",
    200,
    [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "error": {"code": -32005, "message": "requests too frequent, back off and retry in 2s"},
        },
        {
            "jsonrpc": "2.0",
            "id": 2,
            "error": {"code": -32005, "message": "requests too frequent, back off and retry in 2s"},
        },
        {
            "jsonrpc": "2.0",
            "id": 3,
            "error": {"code": -32005, "message": "requests too frequent, back off and retry in 2s"},
        },
    ],
    "rate_limit",
    "JSON-RPC batch where every call got the same error: requests too frequent, back off",
    request={"method": "POST", "path": "/rpc"},
)
PART.add(
    "c-graphql-errors-throttling-cost-budget",
    200,
    {
        "data": {"productBulkUpdate": None},
        "errors": [
            {
                "message": "Throttling: this query costs 1200 points but only 350 remain in the bucket; retry in 17s",
                "locations": [{"line": 2, "column": 3}],
                "path": ["productBulkUpdate"],
                "extensions": {"cost": {"requested": 1200, "available": 350, "restoreRate": 50}},
            }
        ],
    },
    "rate_limit",
    "mutation result null; the error message says the call is throttled (query cost budget exhausted)",
    request={"method": "POST", "path": "/admin/api/graphql"},
)
PART.add(
    "c-push-batch-all-usage-cap",
    200,
    {
        "batch_id": "b_9k2Lq",
        "sent": 0,
        "results": [
            {"token": "eX1c0aF9...k2", "status": "rejected", "reason": "monthly usage cap reached for this project"},
            {"token": "dQ88mZr1...p0", "status": "rejected", "reason": "monthly usage cap reached for this project"},
            {"token": "fT3wY0uB...s7", "status": "rejected", "reason": "monthly usage cap reached for this project"},
        ],
    },
    "rate_limit",
    "push batch: nothing sent, every token rejected because the project's usage cap is reached",
    request={"method": "POST", "path": "/v1/push/batch"},
)
PART.add(
    "c-ru-d-wrapper-slishkom-chastye",
    200,
    {
        "d": {
            "__type": "Sms.Api.Result",
            "Success": False,
            "Message": "Слишком частые запросы. Повторите попытку через 60 секунд.",
            "Data": None,
        }
    },
    "rate_limit",
    "ASP.NET d wrapper, Success false: requests too frequent, retry in 60 s (Russian)",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/Services/Api.svc/SendSms"},
)
PART.add(
    "c-zh-ndjson-sync-stream-pinlv",
    200,
    '{"event":"start","task":"t_0612_88"}\n'
    '{"event":"progress","done":120,"total":5000}\n'
    '{"event":"error","msg":"调用频率超出限制，请降低请求速度后重试"}\n',
    "rate_limit",
    "NDJSON sync stream ends with an error line: call frequency over the limit, slow down (Chinese)",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/api/v1/sync/stream"},
)
PART.add(
    "c-fr-texthtml-plafond-appels",
    200,
    '{"resultat":{"etat":"refus","motif":"Plafond journalier d\'appels atteint pour cette clé, réessayez demain"}}',
    "rate_limit",
    "JSON served as text/html; resultat refused because the daily call ceiling is reached (French)",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/v1/entreprises/552100554"},
)
PART.add(
    "c-gz-soap-submitbatchresult-throttling",
    200,
    gz(
        soap(
            '<SubmitBatchResponse xmlns="urn:example:batch:2019">'
            "<SubmitBatchResult><BatchId/><ResultCode>Failed</ResultCode>"
            "<ResultText>Throttling in effect: back off before submitting more requests</ResultText>"
            "</SubmitBatchResult></SubmitBatchResponse>"
        ).encode()
    ),
    "rate_limit",
    "gzip SOAP result with ResultCode Failed: throttling in effect, back off",
    content_type=XML,
    headers=GZIP,
    request={"method": "POST", "path": "/ws/BatchService"},
)
PART.add(
    "c-it-form-volume-chiamate-superato",
    200,
    "esito=KO&codice=E117&messaggio=Volume+di+chiamate+superato+per+l%27intervallo+corrente%2C+riprovare+pi%C3%B9+tardi",
    "rate_limit",
    "form reply esito KO: call volume exceeded for the current window, retry later (Italian)",
    content_type=FORM,
    request={"method": "POST", "path": "/servizi/sms/invio"},
)

# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

PART.add(
    "c-payload-request-unauthenticated",
    200,
    {
        "version": "2.3.1",
        "payload": {"accepted": False, "reason": "request is unauthenticated: no session cookie or API key supplied"},
    },
    "auth_failure",
    "payload.accepted false because the request is unauthenticated",
    request={"method": "POST", "path": "/api/notes"},
)
PART.add(
    "c-graphql-extensions-invalid-bearer-token",
    200,
    {
        "errors": [
            {
                "message": "Invalid bearer token",
                "locations": [{"line": 1, "column": 12}],
                "path": ["updateProfile"],
                "extensions": {"classification": "ExecutionError"},
            }
        ],
        "data": {"updateProfile": None},
    },
    "auth_failure",
    "mutation returned null with an error whose message (not its classification) says the bearer token is invalid",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-soap-getratesresult-access-key-disabled",
    200,
    soap(
        '<GetRatesResponse xmlns="http://tempuri.org/">'
        "<GetRatesResult><Status>FAILED</Status><Text>Access key AK7731 is disabled</Text><Rates/>"
        "</GetRatesResult></GetRatesResponse>"
    ),
    "auth_failure",
    "SOAP result Status FAILED: the access key used is disabled",
    content_type=XML,
    request={"method": "POST", "path": "/RateService.svc"},
)
PART.add(
    "c-verification-check-2fa-code-incorrect",
    200,
    {
        "verification": {
            "id": "ver_3c1e9a",
            "channel": "sms",
            "to": "+44******0921",
            "state": "rejected",
            "attempts_left": 2,
            "message": "The two-factor code you entered is incorrect",
        }
    },
    "auth_failure",
    "checking the 2FA code answered with the verification rejected: the code is incorrect",
    request={"method": "POST", "path": "/v1/verifications/ver_3c1e9a/check"},
)
PART.add(
    "c-de-header-body-sitzung-abgelaufen",
    200,
    {
        "Header": {"Ergebnis": "FEHLER", "Zeitstempel": "2024-06-12T11:04:55+02:00"},
        "Body": {"Meldung": "Sitzung nicht gefunden oder abgelaufen. Bitte melden Sie sich erneut an."},
    },
    "auth_failure",
    "Header.Ergebnis FEHLER, Body says the session was not found or expired, log in again (German)",
    request={"method": "GET", "path": "/portal/api/kontoauszug"},
)
PART.add(
    "c-es-textplain-credenciales-rechazadas",
    200,
    '{"respuesta":{"codigo":"E07","descripcion":"Credenciales rechazadas: usuario o clave incorrectos"}}',
    "auth_failure",
    "JSON sent as text/plain; respuesta says the credentials were rejected (Spanish)",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/ws/consulta/saldo"},
)
PART.add(
    "c-ja-gz-role-not-permitted",
    200,
    gz(
        dumps(
            {
                "result": {"status": "ERROR", "message": "このロールではこの操作は許可されていません（role=viewer）"},
                "data": None,
            }
        ).encode()
    ),
    "auth_failure",
    "gzip body; result ERROR: this operation is not permitted for the viewer role (Japanese)",
    headers=GZIP,
    request={"method": "DELETE", "path": "/api/v1/projects/88/members/12"},
)
PART.add(
    "c-sse-notifications-login-required",
    200,
    ": connected\n\nretry: 10000\n\nevent: error\ndata: login required - your session has ended\n\n",
    "auth_failure",
    "event stream whose only event is an error: login required",
    content_type="text/event-stream; charset=utf-8",
    request={"method": "GET", "path": "/api/notifications/stream", "headers": {"Accept": "text/event-stream"}},
)
PART.add(
    "c-zh-batch-all-wuquan-dianpu",
    200,
    {
        "code": 0,
        "message": "ok",
        "data": {
            "successCount": 0,
            "failCount": 3,
            "details": [
                {"skuId": "100187", "success": False, "reason": "无权限操作该店铺"},
                {"skuId": "100188", "success": False, "reason": "无权限操作该店铺"},
                {"skuId": "100192", "success": False, "reason": "无权限操作该店铺"},
            ],
        },
    },
    "auth_failure",
    "envelope code 0 but every price update failed: no permission to operate this shop (Chinese)",
    request={"method": "POST", "path": "/open/api/goods/price/batchUpdate"},
)

# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "c-return-wrapper-unknown-id",
    200,
    {"return": {"success": False, "message": "Unknown id 'cus_88213'", "value": None}},
    "not_found",
    "JAX-WS style return wrapper, success false: the customer id is unknown",
    request={"method": "GET", "path": "/rest/customers/cus_88213"},
)
PART.add(
    "c-graphql-archiveproject-no-entity-matches",
    200,
    {
        "data": {
            "archiveProject": {
                "success": False,
                "project": None,
                "message": "No entity matches the given identifier",
            }
        }
    },
    "not_found",
    "mutation payload success false: no entity matches the identifier given",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-pt-soap-consultarcadastro-registro",
    200,
    soap(
        '<ConsultarCadastroResponse xmlns="http://servicos.exemplo.com.br/cadastro">'
        "<ConsultarCadastroResult><Status>ERRO</Status>"
        '<Mensagem>Registro não encontrado para o CPF informado</Mensagem><Cliente xsi:nil="true"/>'
        "</ConsultarCadastroResult></ConsultarCadastroResponse>"
    ),
    "not_found",
    "SOAP result Status ERRO: record not found for the given CPF (Portuguese)",
    content_type=XML,
    request={"method": "POST", "path": "/ws/CadastroService"},
)
PART.add(
    "c-typesense-import-update-all-missing",
    200,
    '{"code":404,"document":"{\\"id\\":\\"124\\",\\"price\\":9.5}","error":"Could not find a document with id: 124","success":false}\n'
    '{"code":404,"document":"{\\"id\\":\\"125\\",\\"price\\":12}","error":"Could not find a document with id: 125","success":false}\n'
    '{"code":404,"document":"{\\"id\\":\\"131\\",\\"price\\":3.2}","error":"Could not find a document with id: 131","success":false}',
    "not_found",
    "Typesense import with action=update: one JSON line per document, every one failed because the document does not exist",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/collections/products/documents/import?action=update"},
)
PART.add(
    "c-it-d-wrapper-non-esiste-piu",
    200,
    {"d": {"Esito": "KO", "Descrizione": "Il documento richiesto non esiste più", "Documento": None}},
    "not_found",
    "ASP.NET d wrapper, Esito KO: the requested document does not exist anymore (Italian)",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/Servizi.svc/Documento?id=FT-2023-0441"},
)
PART.add(
    "c-fr-gz-aucune-ressource",
    200,
    gz(
        dumps(
            {"reponse": {"statut": "erreur", "message": "Aucune ressource ne correspond à l'identifiant 7781"}}
        ).encode()
    ),
    "not_found",
    "gzip body; reponse.statut erreur, no resource matches identifier 7781 (French)",
    headers=GZIP,
    request={"method": "GET", "path": "/api/v2/contrats/7781"},
)
PART.add(
    "c-form-no-such-subscription",
    200,
    "status=ERROR&code=3014&message=No+such+subscription%3A+sub_449021&request_id=9c1d0e",
    "not_found",
    "form reply status ERROR: no such subscription to cancel",
    content_type=FORM,
    request={"method": "POST", "path": "/billing/cancel_subscription"},
)
PART.add(
    "c-ru-getshipmentresponse-ne-najdeno",
    200,
    {
        "GetShipmentResponse": {
            "Result": {"Status": "Failed", "Message": "Отправление с указанным номером не найдено"},
            "Shipment": None,
        }
    },
    "not_found",
    "method-named wrapper, Result Failed: no shipment with that number was found (Russian)",
    request={"method": "GET", "path": "/api/GetShipment?track=RA123456785RU"},
)
PART.add(
    "c-texthtml-missing-object",
    200,
    '{"ok":false,"result":{"error":"missing object: bucket \\"reports\\" has no key \\"2024/05/summary.pdf\\""}}',
    "not_found",
    "JSON served as text/html, ok false: the object is missing from the bucket",
    content_type="text/html",
    request={"method": "GET", "path": "/storage/v1/object/info/reports/2024/05/summary.pdf"},
)

# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "c-es-salesforce-composite-valor-duplicado",
    200,
    {
        "compositeResponse": [
            {
                "body": [
                    {
                        "errorCode": "PROCESSING_HALTED",
                        "message": "La transacción se revirtió porque falló otra operación de la misma transacción.",
                    }
                ],
                "httpHeaders": {},
                "httpStatusCode": 400,
                "referenceId": "refAccount",
            },
            {
                "body": [
                    {
                        "message": "valor duplicado encontrado: External_Id__c duplica el valor del registro con Id: 0035g00000XyZ1AAAV",
                        "errorCode": "DUPLICATE_VALUE",
                        "fields": [],
                    }
                ],
                "httpHeaders": {},
                "httpStatusCode": 400,
                "referenceId": "refContact",
            },
        ]
    },
    "conflict",
    "all-or-none composite: nothing was saved; the cause is a duplicate value (Spanish user locale), the other subrequest was rolled back",
    request={"method": "POST", "path": "/services/data/v60.0/composite"},
)
PART.add(
    "c-graphql-extensions-version-conflict",
    200,
    {
        "errors": [
            {
                "message": "Version conflict: the page was modified by someone else (expected revision 7, current 8)",
                "path": ["updatePage"],
                "extensions": {"expectedRevision": 7, "currentRevision": 8},
            }
        ],
        "data": {"updatePage": None},
    },
    "conflict",
    "mutation null; error message says version conflict (stale revision)",
    request={"method": "POST", "path": "/api/graphql"},
)
PART.add(
    "c-booking-state-overlapping",
    201,
    {
        "booking": {
            "id": "bk_5521",
            "room": "Orion 3",
            "start": "2024-06-14T14:00:00+02:00",
            "end": "2024-06-14T15:00:00+02:00",
            "state": "rejected",
            "rejection_reason": "Overlapping booking: the room is already reserved 14:00-15:00 by another team",
        }
    },
    "conflict",
    "the booking created by the POST came back rejected for overlapping an existing one",
    request={"method": "POST", "path": "/v1/bookings"},
)
PART.add(
    "c-soap-submitclaimresult-already-submitted",
    200,
    soap(
        '<SubmitClaimResponse xmlns="http://claims.example.org/2016/09">'
        "<SubmitClaimResult><ClaimNumber/><ResultStatus>Rejected</ResultStatus>"
        "<Reason>This claim has already been submitted (original claim CLM-2024-00812)</Reason>"
        "</SubmitClaimResult></SubmitClaimResponse>"
    ),
    "conflict",
    "SOAP result Rejected: the claim has already been submitted",
    content_type=XML,
    request={"method": "POST", "path": "/ClaimsService.svc"},
)
PART.add(
    "c-de-texthtml-bereits-vorhanden",
    200,
    '{"antwort":{"status":"fehler","text":"Ein Eintrag mit dieser E-Mail-Adresse ist bereits vorhanden."}}',
    "conflict",
    "JSON as text/html; antwort.status fehler: an entry with this e-mail already exists (German)",
    content_type="text/html; charset=utf-8",
    request={"method": "POST", "path": "/newsletter/anmelden"},
)
PART.add(
    "c-ja-data-jikanwaku-umatte",
    200,
    {
        "data": {
            "reservation": None,
            "error": {"message": "ご指定の時間枠は既に他の予約で埋まっています"},
        }
    },
    "conflict",
    "data.reservation null, data.error: the requested slot is already taken by another reservation (Japanese)",
    request={"method": "POST", "path": "/api/reservations"},
)
PART.add(
    "c-bulk-insert-all-duplicate-key",
    200,
    {
        "inserted": 0,
        "failed": 3,
        "errors": [
            {"row": 1, "message": 'duplicate key value violates unique constraint "users_email_key"'},
            {"row": 2, "message": 'duplicate key value violates unique constraint "users_email_key"'},
            {"row": 3, "message": 'duplicate key value violates unique constraint "users_email_key"'},
        ],
    },
    "conflict",
    "bulk insert of three users: none inserted, each hit a duplicate key",
    request={"method": "POST", "path": "/api/admin/users/bulk"},
)
PART.add(
    "c-zh-gz-zhuangtai-chongtu",
    200,
    gz(dumps({"resp": {"ret": -1, "msg": "状态冲突：订单已发货，不能修改收货地址"}}).encode()),
    "conflict",
    "gzip body; resp.ret -1, state conflict: the order has shipped so the address cannot change (Chinese)",
    headers=GZIP,
    request={"method": "PUT", "path": "/api/order/20240612001/address"},
)
PART.add(
    "c-kyc-session-document-already-submitted",
    201,
    {
        "session": {
            "id": "kyc_8812",
            "applicant": "app_44f1",
            "document_type": "passport",
            "status": "failed",
            "failure_reason": "This identity document has already been submitted by another account",
        }
    },
    "conflict",
    "the KYC session created by the POST failed because the document was already submitted by another account (a duplicate, not a decision on the person)",
    request={"method": "POST", "path": "/v1/kyc/sessions"},
)

# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "c-result-field-postal-code-required",
    200,
    {"result": {"ok": False, "message": "field 'postal_code' is required", "order": None}, "took_ms": 14},
    "validation",
    "result.ok false: a required field is missing",
    request={"method": "POST", "path": "/api/orders"},
)
PART.add(
    "c-graphql-inventoryadjust-must-be-positive",
    200,
    {
        "data": {
            "inventoryAdjust": {
                "inventoryLevel": None,
                "problems": [{"field": ["input", "delta"], "text": "must be positive"}],
            }
        }
    },
    "validation",
    "mutation payload has no inventory level and a problem on input.delta: must be positive",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-mailchimp-batch-subscribe-all-invalid-email",
    200,
    {
        "new_members": [],
        "updated_members": [],
        "errors": [
            {
                "email_address": "jane@exmaple",
                "error": "Please provide a valid email address.",
                "error_code": "ERROR_GENERIC",
                "field": "email_address",
                "field_message": "Invalid email address format",
            },
            {
                "email_address": "bob.smith@@corp.io",
                "error": "Please provide a valid email address.",
                "error_code": "ERROR_GENERIC",
                "field": "email_address",
                "field_message": "Invalid email address format",
            },
        ],
        "total_created": 0,
        "total_updated": 0,
        "error_count": 2,
    },
    "validation",
    "batch subscribe: nobody created or updated, both members rejected for an invalid e-mail format",
    request={"method": "POST", "path": "/3.0/lists/a1b2c3d4e5"},
)
PART.add(
    "c-soap-dispatchnote-schema-violation",
    200,
    soap(
        '<SendDispatchNoteResponse xmlns="urn:edi:dispatch:v2">'
        "<Result><Status>REJECTED</Status>"
        "<Detail>Schema violation: element 'DeliveryDate' value '2024-13-01' is not a valid xs:date</Detail>"
        "</Result></SendDispatchNoteResponse>"
    ),
    "validation",
    "SOAP result REJECTED for a schema violation in the submitted document",
    content_type=XML,
    request={"method": "POST", "path": "/edi/DispatchService"},
)
PART.add(
    "c-shippo-transaction-status-error-weight",
    201,
    {
        "object_state": "VALID",
        "status": "ERROR",
        "object_id": "d1b8a54c27e34b3ab6b1e1e4a0a2c09b",
        "rate": "e3a5c9f1b0a24d1c9b3e7f0a1c2d3e4f",
        "tracking_number": "",
        "label_url": "",
        "messages": [{"source": "UPS", "code": "", "text": "Package weight must be greater than zero."}],
    },
    "validation",
    "label purchase answered with the transaction status ERROR (object_state VALID only means the request parsed): weight must be > 0",
    request={"method": "POST", "path": "/transactions/"},
)
PART.add(
    "c-pt-texthtml-fora-do-intervalo",
    200,
    '{"retorno":{"status":"erro","mensagem":"Valor fora do intervalo permitido para o campo parcelas (1 a 12)"}}',
    "validation",
    "JSON as text/html; retorno.status erro: value out of the allowed range for installments (Portuguese)",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/api/v1/cobrancas"},
)
PART.add(
    "c-ru-gz-slishkom-mnogo-simvolov",
    200,
    gz(
        dumps(
            {
                "result": {
                    "status": "error",
                    "description": "Поле «Комментарий» содержит слишком много символов (максимум 255)",
                }
            }
        ).encode()
    ),
    "validation",
    "gzip body; result.status error: the comment field has too many characters (Russian)",
    headers=GZIP,
    request={"method": "POST", "path": "/api/v1/tickets"},
)
PART.add(
    "c-fr-form-format-date-invalide",
    200,
    "CODEREPONSE=ERREUR&LIBELLE=Format+de+date+invalide+%28attendu+AAAA-MM-JJ%29&REFERENCE=RDV-5512",
    "validation",
    "form reply CODEREPONSE ERREUR: invalid date format (French)",
    content_type=FORM,
    request={"method": "POST", "path": "/api/rdv/creer"},
)
PART.add(
    "c-sse-import-unknown-enum-value",
    200,
    "event: progress\n"
    'data: {"parsed":0,"total":240}\n\n'
    "event: error\n"
    'data: {"message":"row 1: unknown enum value \'URGENTISH\' for field priority (expected LOW, NORMAL, HIGH)","imported":0}\n\n',
    "validation",
    "import stream ends with an error event, nothing imported: unknown enum value",
    content_type="text/event-stream",
    request={"method": "POST", "path": "/v1/imports/tickets/stream"},
)
PART.add(
    "c-refund-state-exceeds-refundable",
    200,
    {
        "refund": {
            "id": "re_2291",
            "payment": "pay_77a0",
            "amount": "40.00",
            "status": "failed",
            "failure_reason": "amount 40.00 exceeds the remaining refundable amount of 12.50",
        }
    },
    "validation",
    "the refund created by the POST failed: requested amount is out of range (more than what is refundable); not a declined card",
    request={"method": "POST", "path": "/v1/refunds"},
)

# --------------------------------------------------------------------------------------------
# generic_business_error
# --------------------------------------------------------------------------------------------

PART.add(
    "c-data-result-outcome-not-completed",
    200,
    {"data": {"result": {"outcome": {"success": False, "text": "The operation could not be completed."}}}},
    "generic_business_error",
    "three levels down the outcome says the operation could not be completed, no specific reason",
    request={"method": "POST", "path": "/api/v3/contracts/ctr_19/sign"},
)
PART.add(
    "c-graphql-errors-unexpected-condition",
    200,
    {
        "errors": [
            {
                "message": "An unexpected condition prevented the mutation from completing",
                "path": ["publishRelease"],
                "extensions": {"requestId": "b3f1c2d4"},
            }
        ],
        "data": None,
    },
    "generic_business_error",
    "data null, the only error is an unexpected condition: the mutation failed for no specific reason",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "c-order-state-backend-unavailable",
    201,
    {
        "order": {
            "id": "o_99812",
            "items": 3,
            "total": "74.20",
            "state": "failed",
            "state_reason": "Fulfilment backend unavailable; the order was not placed. Try again later.",
        }
    },
    "generic_business_error",
    "the order created by the POST is in state failed: a backend was unavailable, try again later",
    request={"method": "POST", "path": "/v1/orders"},
)
PART.add(
    "c-ja-soap-result-yokishinai",
    200,
    soap(
        '<RegisterOrderResponse xmlns="http://order.example.co.jp/ws">'
        "<RegisterOrderResult><ResultCode>9</ResultCode>"
        "<ResultMessage>処理中に予期しないエラーが発生しました。しばらくしてから再度お試しください。</ResultMessage>"
        "</RegisterOrderResult></RegisterOrderResponse>"
    ),
    "generic_business_error",
    "SOAP result (not a fault) whose message says an unexpected error occurred during processing, try later (Japanese)",
    content_type=XML,
    request={"method": "POST", "path": "/ws/OrderService"},
)
PART.add(
    "c-zh-texthtml-xitong-fanmang",
    200,
    '{"data":{"flag":false,"tip":"系统繁忙，请稍后再试"}}',
    "generic_business_error",
    "JSON as text/html; data.flag false, system busy, try later (Chinese); busy is not a per-client limit, so generic",
    content_type="text/html;charset=UTF-8",
    request={"method": "POST", "path": "/ajax/submitApply.do"},
)
PART.add(
    "c-ndjson-export-internal-failure",
    200,
    '{"status":"running","exported":1000}\n'
    '{"status":"running","exported":2000}\n'
    '{"status":"error","error":"internal failure while exporting: worker lost"}\n',
    "generic_business_error",
    "export stream progresses then ends with an error line: internal failure, the export did not finish",
    content_type="application/x-ndjson",
    request={"method": "POST", "path": "/v1/exports/stream"},
)
PART.add(
    "c-de-gz-unerwarteter-zustand",
    200,
    gz(
        dumps(
            {
                "ergebnis": {
                    "erfolgreich": False,
                    "meldung": "Unerwarteter Zustand – der Vorgang konnte nicht abgeschlossen werden.",
                }
            }
        ).encode()
    ),
    "generic_business_error",
    "gzip body; ergebnis.erfolgreich false: unexpected condition, operation not completed (German)",
    headers=GZIP,
    request={"method": "POST", "path": "/api/v1/antraege"},
)
PART.add(
    "c-es-cabecera-cuerpo-error-procesamiento",
    200,
    {
        "cabecera": {"idMensaje": "MSG-20240612-000931", "fecha": "2024-06-12T10:15:02-05:00"},
        "cuerpo": {"estado": "ERROR", "detalle": "Error de procesamiento en el sistema central"},
    },
    "generic_business_error",
    "header/body pair; cuerpo.estado ERROR: processing error in the core system (Spanish)",
    request={"method": "POST", "path": "/api/solicitudes"},
)
PART.add(
    "c-firebase-sendeach-all-internal",
    200,
    {
        "responses": [
            {
                "success": False,
                "error": {
                    "code": "messaging/internal-error",
                    "message": "An internal error has occurred. Please retry the request.",
                },
            },
            {
                "success": False,
                "error": {
                    "code": "messaging/internal-error",
                    "message": "An internal error has occurred. Please retry the request.",
                },
            },
        ],
        "successCount": 0,
        "failureCount": 2,
    },
    "generic_business_error",
    "a notification service's sendEach batch relayed as JSON: both messages failed with an internal error",
    request={"method": "POST", "path": "/internal/notify/batch"},
)

# --------------------------------------------------------------------------------------------
# Traps: look like failures, are not
# --------------------------------------------------------------------------------------------

PART.add(
    "c-trap-pt-get-repasse-falhou",
    200,
    {
        "repasse": {
            "id": "rp_8812",
            "valor": "1.250,00",
            "status": "falhou",
            "motivo": "Saldo insuficiente na conta de origem",
            "criadoEm": "2024-06-10T14:22:05-03:00",
        }
    },
    None,
    "GET of a payout that failed days ago: reading its state is data, the call succeeded (Portuguese)",
    request={"method": "GET", "path": "/api/repasses/rp_8812"},
    trap=True,
)
PART.add(
    "c-trap-graphql-query-orders-declined",
    200,
    {
        "data": {
            "orders": {
                "nodes": [
                    {"id": "gid://shop/Order/5512", "paymentStatus": "DECLINED", "declineReason": "insufficient funds"},
                    {"id": "gid://shop/Order/5513", "paymentStatus": "PAID", "declineReason": None},
                    {
                        "id": "gid://shop/Order/5519",
                        "paymentStatus": "DECLINED",
                        "declineReason": "card declined by the issuer",
                    },
                ],
                "pageInfo": {"hasNextPage": False},
            }
        }
    },
    None,
    "a GraphQL query (sent by POST) listing orders, some with declined payments: data, no errors member",
    request={"method": "POST", "path": "/graphql"},
    trap=True,
)
PART.add(
    "c-trap-jsonrpc-batch-one-throttled",
    200,
    [
        {"jsonrpc": "2.0", "id": 1, "result": "0x10d4f"},
        {"jsonrpc": "2.0", "id": 2, "result": {"number": "0x12a05f2", "hash": "0x5c1e...9ab3"}},
        {
            "jsonrpc": "2.0",
            "id": 3,
            "error": {"code": -32005, "message": "requests too frequent, back off and retry in 2s"},
        },
    ],
    None,
    "JSON-RPC batch where only one of three calls was throttled: partial, not a failed call",
    request={"method": "POST", "path": "/rpc"},
    trap=True,
)
PART.add(
    "c-trap-soap-validateresult-no-errors",
    200,
    soap(
        '<ValidateInvoiceResponse xmlns="urn:einvoice:2021">'
        "<ValidateInvoiceResult><Status>OK</Status><ErrorCount>0</ErrorCount><Errors/>"
        "<Message>No errors found</Message></ValidateInvoiceResult></ValidateInvoiceResponse>"
    ),
    None,
    "SOAP result Status OK with zero errors and the message 'No errors found'",
    content_type=XML,
    request={"method": "POST", "path": "/einvoice/ValidationService"},
    trap=True,
)
PART.add(
    "c-trap-sse-chat-content-card-declined",
    200,
    'data: {"id":"chatcmpl-9x1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n'
    'data: {"id":"chatcmpl-9x1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"If your card was declined for insufficient funds, "}}]}\n\n'
    'data: {"id":"chatcmpl-9x1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"contact your bank or try another payment method."}}]}\n\n'
    'data: {"id":"chatcmpl-9x1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    "data: [DONE]\n\n",
    None,
    "completion stream that finished normally; the generated text merely talks about a declined card",
    content_type="text/event-stream",
    request={"method": "POST", "path": "/v1/chat/completions"},
    trap=True,
)
PART.add(
    "c-trap-form-result-ok-empty-error",
    200,
    "result=OK&txn_id=7KD20418MX&error=&error_code=0&auth_code=831204&amount=19.90",
    None,
    "name-value reply result OK with an empty error field and error_code 0",
    content_type=FORM,
    request={"method": "POST", "path": "/cgi-bin/gateway/process"},
    trap=True,
)
PART.add(
    "c-trap-ja-gz-kessai-rireki",
    200,
    gz(
        dumps(
            {
                "result": "OK",
                "items": [
                    {"決済ID": "P-0611-01", "状態": "失敗", "理由": "残高不足"},
                    {"決済ID": "P-0611-02", "状態": "成功", "理由": None},
                    {"決済ID": "P-0612-01", "状態": "失敗", "理由": "カード有効期限切れ"},
                ],
            }
        ).encode()
    ),
    None,
    "gzip body; result OK listing payment history, some entries failed: data (Japanese)",
    headers=GZIP,
    request={"method": "GET", "path": "/api/v1/payments/history?month=2024-06"},
    trap=True,
)
PART.add(
    "c-trap-post-cancel-order-cancelled",
    200,
    {
        "order": {
            "id": "o_40021",
            "state": "cancelled",
            "cancellation_reason": "requested_by_customer",
            "refund": {"status": "pending", "amount": "31.00"},
        }
    },
    None,
    "the action was cancel and the order is now cancelled: exactly what was asked",
    request={"method": "POST", "path": "/v1/orders/o_40021/cancel"},
    trap=True,
)
PART.add(
    "c-trap-zh-textplain-failcount-zero",
    200,
    '{"code":0,"msg":"成功","data":{"successCount":5,"failCount":0,"failList":[]}}',
    None,
    "JSON as text/plain; batch succeeded, the failure counter is zero and the failure list empty (Chinese)",
    content_type="text/plain;charset=UTF-8",
    request={"method": "POST", "path": "/open/api/goods/stock/batchUpdate"},
    trap=True,
)
PART.add(
    "c-trap-graphql-retry-failed-jobs",
    200,
    {
        "data": {
            "retryFailedJobs": {
                "retriedCount": 2,
                "jobs": [
                    {"id": "job_771", "status": "QUEUED", "lastError": "timeout contacting smtp relay"},
                    {"id": "job_775", "status": "QUEUED", "lastError": "internal failure"},
                ],
                "errors": [],
            }
        }
    },
    None,
    "mutation that re-queued failed jobs succeeded (errors empty); lastError is the jobs' history",
    request={"method": "POST", "path": "/graphql"},
    trap=True,
)
