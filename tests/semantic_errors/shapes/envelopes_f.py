"""Sixth round of vendor envelopes (development round "f"): numeric, string and exception-name
codes from API families the earlier rounds did not use -- European, Turkish, Russian and Latin
American payments (iyzico ``status``/``errorCode``/``errorGroup``, Nuvei/SafeCharge ``status`` with
``errCode`` beside ``transactionStatus``/``gwErrorCode``, CloudPayments ``Success``/``Model.ReasonCode``,
Transbank Webpay Plus ``response_code``, Trustly JSON-RPC ``error.code`` 637, PayU REST
``status.statusCode``), software licensing (Paddle Classic ``success``/``error.code``), SMS, e-mail and
push providers (Zenvia ``sendSmsResponse.statusCode``/``detailCode``, SMSC.ru ``error_code``,
Unisender ``code``, Elastic Email v2, Postmark ``ErrorCode``, OneSignal ``errors``), maps and
geocoding (Nominatim ``error``, 2GIS ``meta.code``/``meta.error.type``), weather and finance data
from the apilayer family (weatherstack and Fixer ``success: false`` with ``error.code``/``type``),
streaming and media (Deezer ``error.type`` exception names, Last.fm ``error``, OMDb ``Response``,
TMDB ``status_code``), link shortening (Bitly v3 ``status_code``/``status_txt`` inside a 200), ERP
(Odoo JSON-RPC ``error.data.name`` exception classes, Frappe/ERPNext ``exc_type``), airline NDC
JSON (``IATA_OrderViewRS.Error`` with PADIS code 911), an AI gateway stream (OpenRouter error
chunk) and developer platforms (Cloudflare ``errors[].code``, OpenWeatherMap ``cod``).  Traps are
answers whose code means success in the vendor's own terms (Postmark ``ErrorCode: 0``, TMDB
``status_code`` 13, Nuvei ``errCode: 0``, Transbank ``response_code: 0``, Bitly ``status_code: 200``,
Last.fm ``ignoredMessage.code`` "0", PayU ``WARNING_CONTINUE_3DS``), a OneSignal notification sent
with some invalid player ids, and an Odoo read of e-mails in the ``exception`` state; one plain
success and three 4xx complete it.
"""

from tests.semantic_errors.shapes import Part

PART = Part("envelopes")

# --------------------------------------------------------------------------------------------
# payment
# --------------------------------------------------------------------------------------------

PART.add(
    "f-iyzico-auth-not-sufficient-funds",
    200,
    {
        "status": "failure",
        "errorCode": "10051",
        "errorMessage": "Kart limiti yetersiz, yetersiz bakiye",
        "errorGroup": "NOT_SUFFICIENT_FUNDS",
        "locale": "tr",
        "systemTime": 1718093412734,
        "conversationId": "sip-20240611-0042",
    },
    "payment",
    "iyzico payment/auth: status failure, errorGroup NOT_SUFFICIENT_FUNDS (card limit insufficient)",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/payment/auth"},
)

PART.add(
    "f-nuvei-payment-status-success-transaction-declined",
    200,
    {
        "orderId": "418820397",
        "userTokenId": "cust-88213",
        "paymentOption": {
            "userPaymentOptionId": "",
            "card": {
                "ccCardNumber": "4****1390",
                "bin": "401200",
                "last4Digits": "1390",
                "ccExpMonth": "09",
                "ccExpYear": "27",
                "acquirerId": "19",
                "cvv2Reply": "",
                "avsCode": "",
                "cardType": "Debit",
                "cardBrand": "VISA",
                "threeD": {},
            },
        },
        "transactionStatus": "DECLINED",
        "gwErrorCode": -1,
        "gwErrorReason": "Decline",
        "gwExtendedErrorCode": 0,
        "issuerDeclineCode": "51",
        "issuerDeclineReason": "Insufficient funds",
        "transactionType": "Sale",
        "transactionId": "7110000000019284613",
        "externalTransactionId": "",
        "authCode": "",
        "customData": "",
        "sessionToken": "6b1f7a52-3f0c-4f0e-9d1b-0c6d2f2b1e44",
        "clientUniqueId": "checkout-55120",
        "internalRequestId": 918273645,
        "status": "SUCCESS",
        "errCode": 0,
        "reason": "",
        "merchantId": "4297826315318400",
        "merchantSiteId": "208071",
        "version": "1.0",
        "clientRequestId": "20240611094512",
    },
    "payment",
    "Nuvei /payment: the API call itself is SUCCESS/errCode 0, but transactionStatus DECLINED, issuer 51 insufficient funds -- the charge failed (subtle)",
    request={"method": "POST", "path": "/ppp/api/v1/payment.do"},
)

PART.add(
    "f-cloudpayments-charge-insufficient-funds",
    200,
    {
        "Model": {
            "ReasonCode": 5051,
            "PublicId": "pk_b9d1c4a0e3f5a7c2d8e6b1f0a9c3d5e7",
            "TerminalUrl": "https://shop.example.ru",
            "TransactionId": 2190357184,
            "Amount": 2490.00,
            "Currency": "RUB",
            "CurrencyCode": 0,
            "PaymentAmount": 2490.00,
            "PaymentCurrency": "RUB",
            "InvoiceId": "ORD-77120",
            "AccountId": "user_5512",
            "Email": None,
            "Description": "Оплата заказа ORD-77120",
            "JsonData": None,
            "CreatedDate": "/Date(1718093701442)/",
            "CreatedDateIso": "2024-06-11T08:15:01",
            "TestMode": False,
            "IpAddress": "95.24.13.7",
            "IpCountry": "RU",
            "CardFirstSix": "220220",
            "CardLastFour": "4821",
            "CardExpDate": "11/26",
            "CardType": "MIR",
            "CardTypeCode": 7,
            "Issuer": "Sberbank of Russia",
            "IssuerBankCountry": "RU",
            "Status": "Declined",
            "StatusCode": 5,
            "Reason": "InsufficientFunds",
            "CardHolderMessage": "Недостаточно средств на карте",
            "Name": "IVAN PETROV",
        },
        "Success": False,
        "Message": None,
    },
    "payment",
    "CloudPayments charge: Success false, Model.Status Declined, Reason InsufficientFunds (ReasonCode 5051)",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/payments/cards/charge"},
)

PART.add(
    "f-transbank-webpay-commit-failed",
    200,
    '{"vci":"TSY","amount":34990,"status":"FAILED","buy_order":"OC-2024-118834","session_id":"sess-6f2a91",'
    '"card_detail":{"card_number":"6623"},"accounting_date":"0611","transaction_date":"2024-06-11T14:02:37.112Z",'
    '"authorization_code":"000000","payment_type_code":"VD","response_code":-1,"installments_number":0}',
    "payment",
    "Transbank Webpay Plus commit (PUT) answered with status FAILED and response_code -1: the issuer rejected the payment",
    request={"method": "PUT", "path": "/rswebpaytransaction/api/webpay/v1.2/transactions/01ab9c2f7e5d4c3b"},
)

PART.add(
    "f-smsc-send-no-money",
    200,
    '{"error": "no money", "error_code": 3}',
    "payment",
    "SMSC.ru send with fmt=3: error_code 3 'no money' -- not enough balance on the account to send",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/sys/send.php?login=shop&phones=79161234567&mes=Code+4412&fmt=3"},
)

# --------------------------------------------------------------------------------------------
# rate_limit
# --------------------------------------------------------------------------------------------

PART.add(
    "f-weatherstack-usage-limit-reached",
    200,
    {
        "success": False,
        "error": {
            "code": 104,
            "type": "usage_limit_reached",
            "info": "Your monthly usage limit has been reached. Please upgrade your Subscription Plan.",
        },
    },
    "rate_limit",
    "weatherstack: success false, error 104 usage_limit_reached (monthly request quota used up)",
    request={"method": "GET", "path": "/current?access_key=2f8c1e&query=Lisbon"},
)

PART.add(
    "f-deezer-quota-exception",
    200,
    {"error": {"type": "Exception", "message": "Quota limit exceeded", "code": 4}},
    "rate_limit",
    "Deezer API always answers 200; error code 4 'Quota limit exceeded' is its throttling error",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/track/3135556"},
)

PART.add(
    "f-bitly-v3-rate-limit-exceeded",
    200,
    '{ "status_code": 403, "status_txt": "RATE_LIMIT_EXCEEDED", "data" : null }',
    "rate_limit",
    "Bitly v3 wraps the real status in the body; status_txt RATE_LIMIT_EXCEEDED (rate limit beats the 403 auth reading)",
    content_type="application/json; charset=utf-8",
    request={
        "method": "GET",
        "path": "/v3/shorten?access_token=R_4c1d&longUrl=https%3A%2F%2Fexample.org%2Fspring-sale",
    },
)

PART.add(
    "f-unisender-api-call-limit-ip",
    200,
    {
        "error": "API call limit per time unit has been exceeded for your IP address, try again later",
        "code": "api_call_limit_exceeded_for_ip",
    },
    "rate_limit",
    "Unisender answers 200 with error/code; code api_call_limit_exceeded_for_ip is its per-minute call limit",
    request={"method": "POST", "path": "/en/api/importContacts?format=json"},
)

# --------------------------------------------------------------------------------------------
# auth_failure
# --------------------------------------------------------------------------------------------

PART.add(
    "f-deezer-oauthexception-invalid-token",
    200,
    {"error": {"type": "OAuthException", "message": "Invalid OAuth access token.", "code": 300}},
    "auth_failure",
    "Deezer: OAuthException code 300 (TOKEN_INVALID) -- the access token is invalid or expired",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/user/me/playlists?access_token=frQ9x&title=Roadtrip"},
)

PART.add(
    "f-odoo-jsonrpc-session-expired",
    200,
    {
        "jsonrpc": "2.0",
        "id": 417,
        "error": {
            "code": 100,
            "message": "Odoo Session Expired",
            "data": {
                "name": "odoo.http.SessionExpiredException",
                "debug": 'Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", line 1589, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n  ...\nodoo.http.SessionExpiredException: Session expired\n',
                "message": "Session expired",
                "arguments": ["Session expired"],
                "context": {},
            },
        },
    },
    "auth_failure",
    "Odoo JSON-RPC answers 200 with an error member: code 100, odoo.http.SessionExpiredException",
    request={"method": "POST", "path": "/web/dataset/call_kw/res.partner/search_read"},
)

PART.add(
    "f-nuvei-errcode-1001-invalid-checksum",
    200,
    {
        "sessionToken": "",
        "internalRequestId": 918277001,
        "status": "ERROR",
        "errCode": 1001,
        "reason": "Invalid checksum",
        "merchantId": "4297826315318400",
        "merchantSiteId": "208071",
        "version": "1.0",
        "clientRequestId": "20240611101503",
    },
    "auth_failure",
    "Nuvei getSessionToken: status ERROR, errCode 1001 'Invalid checksum' -- the request signature was rejected",
    request={"method": "POST", "path": "/ppp/api/v1/getSessionToken.do"},
)

PART.add(
    "f-elasticemail-v2-incorrect-apikey",
    200,
    '{"success":false,"error":"Incorrect apikey"}',
    "auth_failure",
    "Elastic Email v2 answers 200 with success false; the error says the API key is wrong",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/v2/email/send"},
)

PART.add(
    "f-paddle-classic-107-no-permission",
    200,
    {"success": False, "error": {"code": 107, "message": "You don't have permission to access this resource"}},
    "auth_failure",
    "Paddle Classic vendor API: success false, error 107 permission denied",
    request={"method": "POST", "path": "/api/2.0/subscription/users"},
)

# --------------------------------------------------------------------------------------------
# not_found
# --------------------------------------------------------------------------------------------

PART.add(
    "f-nominatim-reverse-unable-to-geocode",
    200,
    '{"error":"Unable to geocode"}',
    "not_found",
    "Nominatim reverse geocoding answers 200 with only an error member: no address exists at that point",
    content_type="application/json; charset=utf-8",
    headers={"Access-Control-Allow-Origin": "*"},
    request={"method": "GET", "path": "/reverse?format=jsonv2&lat=-48.876667&lon=-123.393333"},
)

PART.add(
    "f-2gis-catalog-meta-item-not-found",
    200,
    {
        "meta": {
            "api_version": "3.0.448950",
            "code": 404,
            "issue_date": "20240611",
            "error": {"type": "itemNotFound", "message": "Results not found"},
        }
    },
    "not_found",
    "2GIS Catalog API puts the status in meta.code; 404 with error.type itemNotFound",
    request={"method": "GET", "path": "/3.0/items/byid?id=70000001999999999&key=rurbbn3446"},
)

PART.add(
    "f-omdb-movie-not-found",
    200,
    {"Response": "False", "Error": "Movie not found!"},
    "not_found",
    "OMDb: Response 'False' (a string), Error 'Movie not found!'",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/?apikey=8c1f2e&t=Teh+Godfathr"},
)

PART.add(
    "f-lastfm-track-getinfo-not-found",
    200,
    {"message": "Track not found", "error": 6, "links": []},
    "not_found",
    "Last.fm returns some errors with 200; error 6 is a generic parameter error, the message says the track does not exist",
    request={"method": "GET", "path": "/2.0/?method=track.getInfo&artist=Cher&track=Belive&api_key=b25b95&format=json"},
)

PART.add(
    "f-deezer-dataexception-no-data",
    200,
    {"error": {"type": "DataException", "message": "no data", "code": 800}},
    "not_found",
    "Deezer DataException code 800 (DATA_NOT_FOUND): no album with that id",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/album/98765432101"},
)

# --------------------------------------------------------------------------------------------
# conflict
# --------------------------------------------------------------------------------------------

PART.add(
    "f-zenvia-multi-same-id-already-sent",
    200,
    {
        "sendSmsMultiResponse": {
            "sendSmsResponseList": [
                {
                    "statusCode": "10",
                    "statusDescription": "Error",
                    "detailCode": "080",
                    "detailDescription": "Message with same ID already sent",
                },
                {
                    "statusCode": "10",
                    "statusDescription": "Error",
                    "detailCode": "080",
                    "detailDescription": "Message with same ID already sent",
                },
            ]
        }
    },
    "conflict",
    "Zenvia send-sms-multiple: every message came back statusCode 10, detail 080 'Message with same ID already sent'",
    request={"method": "POST", "path": "/services/send-sms-multiple"},
)

PART.add(
    "f-trustly-jsonrpc-duplicate-message-id",
    200,
    {
        "version": "1.1",
        "error": {
            "name": "JSONRPCError",
            "code": 637,
            "message": "ERROR_DUPLICATE_MESSAGE_ID",
            "error": {
                "signature": "R9+hjuMqbsH0Ku8Tq3kR0Y2cZ0oQh7nVb6mNq0sYjtQ5v3o1pQ==",
                "uuid": "258a2184-2842-b485-25ca-293525152425",
                "method": "Deposit",
                "data": {"code": 637, "message": "ERROR_DUPLICATE_MESSAGE_ID"},
            },
        },
    },
    "conflict",
    "Trustly JSON-RPC (always 200): error 637 ERROR_DUPLICATE_MESSAGE_ID -- the MessageID was used before",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/1"},
)

PART.add(
    "f-paddle-classic-132-coupon-code-used",
    200,
    '{"success":false,"error":{"code":132,"message":"The given coupon code has already been used for the product."}}',
    "conflict",
    "Paddle Classic create_coupon: error 132, that coupon code already exists for the product",
    request={"method": "POST", "path": "/api/2.1/product/create_coupon"},
)

PART.add(
    "f-odoo-jsonrpc-duplicate-login",
    200,
    {
        "jsonrpc": "2.0",
        "id": 88,
        "error": {
            "code": 200,
            "message": "Odoo Server Error",
            "data": {
                "name": "odoo.exceptions.ValidationError",
                "debug": 'Traceback (most recent call last):\n  ...\npsycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "res_users_login_key"\nDETAIL:  Key (login)=(m.rossi@example.it) already exists.\n',
                "message": "The operation cannot be completed: You can not have two users with the same login !",
                "arguments": ["The operation cannot be completed: You can not have two users with the same login !"],
                "context": {},
            },
        },
    },
    "conflict",
    "Odoo create res.users: the exception class is ValidationError but the message is a unique-login violation, so duplicate/conflict (subtle)",
    request={"method": "POST", "path": "/web/dataset/call_kw/res.users/create"},
)

# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

PART.add(
    "f-fixer-invalid-currency-codes",
    200,
    {
        "success": False,
        "error": {
            "code": 202,
            "type": "invalid_currency_codes",
            "info": "You have provided one or more invalid Currency Codes. [Required format: currencies=EUR,USD,GBP,...]",
        },
    },
    "validation",
    "Fixer (apilayer): success false, error 202 invalid_currency_codes",
    request={"method": "GET", "path": "/api/latest?access_key=91ce02&symbols=USD,EURO,GPB"},
)

PART.add(
    "f-bitly-v3-invalid-uri",
    200,
    '{"status_code": 500, "status_txt": "INVALID_URI", "data": []}',
    "validation",
    "Bitly v3: HTTP 200 but the body's status_txt INVALID_URI -- the longUrl is malformed (the in-body 500 is Bitly's own code)",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/v3/shorten?access_token=R_4c1d&longUrl=htp%3A%2Fexample"},
)

PART.add(
    "f-postmark-batch-all-invalid-to",
    200,
    [
        {"ErrorCode": 300, "Message": "Invalid 'To' address: 'jane.doe@example'."},
        {"ErrorCode": 300, "Message": "Invalid 'To' address: 'ops@@example.com'."},
    ],
    "validation",
    "Postmark /email/batch: both messages came back with ErrorCode 300 invalid 'To' address; nothing was sent",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/email/batch"},
)

PART.add(
    "f-zenvia-single-incorrect-to-number",
    200,
    {
        "sendSmsResponse": {
            "statusCode": "10",
            "statusDescription": "Error",
            "detailCode": "013",
            "detailDescription": "Incorrect or incomplete ‘to’ mobile number",
        }
    },
    "validation",
    "Zenvia send-sms: statusCode 10 Error, detail 013 the destination number is malformed",
    request={"method": "POST", "path": "/services/send-sms"},
)

# --------------------------------------------------------------------------------------------
# generic_business_error
# --------------------------------------------------------------------------------------------

PART.add(
    "f-weatherstack-request-failed-615",
    200,
    {
        "success": False,
        "error": {
            "code": 615,
            "type": "request_failed",
            "info": "Your API request failed. Please try again or contact support.",
        },
    },
    "generic_business_error",
    "weatherstack: success false, error 615 request_failed with no more specific reason",
    request={"method": "GET", "path": "/forecast?access_key=2f8c1e&query=Xq%20Lm"},
)

PART.add(
    "f-onesignal-no-subscribed-players",
    200,
    {"id": "", "recipients": 0, "errors": ["All included players are not subscribed"]},
    "generic_business_error",
    "OneSignal create notification: empty id, 0 recipients, errors says no targeted player is subscribed -- nothing was sent (no more specific type)",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/v1/notifications"},
)

PART.add(
    "f-ndc-ordercreate-padis-911",
    200,
    {
        "IATA_OrderViewRS": {
            "PayloadAttributes": {
                "CorrelationID": "c41f0e7a-61b2-4d3e-9a5c-2b7d8e1f0a93",
                "Timestamp": "2024-06-11T08:15:02.118Z",
                "VersionNumber": "21.3",
            },
            "Error": [
                {
                    "Code": "911",
                    "DescText": "UNABLE TO PROCESS - SYSTEM ERROR",
                    "LangCode": "EN",
                    "OwnerName": "LX",
                    "TypeCode": "PADIS",
                }
            ],
        }
    },
    "generic_business_error",
    "NDC 21.3 OrderCreate answered with only an Error (PADIS 911 unable to process), no Response: no order was created",
    request={"method": "POST", "path": "/ndc/v21.3/OrderCreate"},
)

PART.add(
    "f-openrouter-stream-error-chunk",
    200,
    ": OPENROUTER PROCESSING\n\n"
    'data: {"id":"gen-1718093812-Qm7wZ2","object":"chat.completion.chunk","created":1718093812,"model":"anthropic/claude-3.5-sonnet","provider":"Anthropic","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n'
    'data: {"id":"gen-1718093812-Qm7wZ2","object":"chat.completion.chunk","created":1718093812,"model":"anthropic/claude-3.5-sonnet","provider":"Anthropic","error":{"code":502,"message":"Provider returned error"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\n\n'
    "data: [DONE]\n\n",
    "generic_business_error",
    "OpenRouter streams 200, then an error chunk with finish_reason 'error' and no content: the completion failed",
    content_type="text/event-stream",
    request={"method": "POST", "path": "/api/v1/chat/completions", "headers": {"Accept": "text/event-stream"}},
)

PART.add(
    "f-odoo-jsonrpc-usererror-no-sales-journal",
    200,
    {
        "jsonrpc": "2.0",
        "id": 231,
        "error": {
            "code": 200,
            "message": "Odoo Server Error",
            "data": {
                "name": "odoo.exceptions.UserError",
                "debug": "Traceback (most recent call last):\n  ...\nodoo.exceptions.UserError: Please define an accounting sales journal for the company Rossi Ricambi S.r.l. (1).\n",
                "message": "Please define an accounting sales journal for the company Rossi Ricambi S.r.l. (1).",
                "arguments": ["Please define an accounting sales journal for the company Rossi Ricambi S.r.l. (1)."],
                "context": {},
            },
        },
    },
    "generic_business_error",
    "Odoo create_invoices: UserError, the company has no sales journal configured -- business failure with no more specific type",
    request={"method": "POST", "path": "/web/dataset/call_kw/sale.advance.payment.inv/create_invoices"},
)

# --------------------------------------------------------------------------------------------
# traps: success in the vendor's own terms
# --------------------------------------------------------------------------------------------

PART.add(
    "f-postmark-email-errorcode-zero-ok",
    200,
    {
        "To": "anna.schmidt@example.de",
        "SubmittedAt": "2024-06-11T04:21:07.4401742-04:00",
        "MessageID": "0a129aee-e1cd-480d-b08d-4f48548ff48d",
        "ErrorCode": 0,
        "Message": "OK",
    },
    None,
    "Postmark single send: ErrorCode 0 / Message OK means accepted",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/email"},
    trap=True,
)

PART.add(
    "f-tmdb-delete-rating-status-13",
    200,
    {"success": True, "status_code": 13, "status_message": "The item/record was deleted successfully."},
    None,
    "TMDB status_code 13 is its 'deleted successfully' code, success true",
    content_type="application/json;charset=utf-8",
    request={"method": "DELETE", "path": "/3/movie/550/rating"},
    trap=True,
)

PART.add(
    "f-payu-order-warning-continue-3ds",
    200,
    {
        "status": {"statusCode": "WARNING_CONTINUE_3DS", "severity": "WARNING"},
        "redirectUri": "https://secure.payu.com/front/threeds/5c1c1f0a-7f9a-4b9e-8d1a-2f4b7c9e0d31",
        "iframeAllowed": True,
        "threeDsProtocolVersion": "3DS2",
        "orderId": "WZHF5FFDRJ140731GUEST000P01",
        "extOrderId": "SHOP-2024-06-11-0917",
    },
    None,
    "PayU order create: WARNING_CONTINUE_3DS is the normal next step (redirect the buyer to 3-D Secure); the order exists (subtle)",
    request={"method": "POST", "path": "/api/v2_1/orders"},
    trap=True,
)

PART.add(
    "f-onesignal-sent-with-invalid-player-ids",
    200,
    {
        "id": "b98881cc-1e94-4366-bbd9-db8f3429292b",
        "recipients": 3,
        "external_id": None,
        "errors": {"invalid_player_ids": ["5fdc92b2-3b2a-11e5-ac13-8fdccfe4d986"]},
    },
    None,
    "OneSignal: the notification was created and sent to 3 recipients; one player id was invalid (partial, not a failed call)",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/v1/notifications"},
    trap=True,
)

PART.add(
    "f-nuvei-payment-approved-errcode-zero",
    200,
    {
        "orderId": "418820455",
        "transactionStatus": "APPROVED",
        "gwErrorCode": 0,
        "gwErrorReason": "",
        "gwExtendedErrorCode": 0,
        "issuerDeclineCode": "",
        "issuerDeclineReason": "",
        "transactionType": "Sale",
        "transactionId": "7110000000019284702",
        "authCode": "111872",
        "status": "SUCCESS",
        "errCode": 0,
        "reason": "",
        "merchantId": "4297826315318400",
        "merchantSiteId": "208071",
        "version": "1.0",
        "clientRequestId": "20240611094733",
    },
    None,
    "Nuvei /payment: status SUCCESS, transactionStatus APPROVED, every error code 0 and reasons empty",
    request={"method": "POST", "path": "/ppp/api/v1/payment.do"},
    trap=True,
)

PART.add(
    "f-transbank-webpay-commit-authorized",
    200,
    {
        "vci": "TSY",
        "amount": 15990,
        "status": "AUTHORIZED",
        "buy_order": "OC-2024-118835",
        "session_id": "sess-71c0d4",
        "card_detail": {"card_number": "6623"},
        "accounting_date": "0611",
        "transaction_date": "2024-06-11T14:05:12.907Z",
        "authorization_code": "1213",
        "payment_type_code": "VN",
        "response_code": 0,
        "installments_number": 0,
    },
    None,
    "Transbank Webpay Plus commit: response_code 0 and status AUTHORIZED is an approved payment",
    request={"method": "PUT", "path": "/rswebpaytransaction/api/webpay/v1.2/transactions/01ab9c2f7e5d4c3c"},
    trap=True,
)

PART.add(
    "f-bitly-v3-status-200-existing-link",
    200,
    '{ "status_code": 200, "status_txt": "OK", "data": { "long_url": "https://example.org/spring-sale", '
    '"url": "http://bit.ly/2Ke5EXy", "hash": "2Ke5EXy", "global_hash": "2KfjK5n", "new_hash": 0 } }',
    None,
    "Bitly v3 shorten: status_code 200 OK; new_hash 0 only means an existing short link was reused",
    content_type="application/json; charset=utf-8",
    request={
        "method": "GET",
        "path": "/v3/shorten?access_token=R_4c1d&longUrl=https%3A%2F%2Fexample.org%2Fspring-sale",
    },
    trap=True,
)

PART.add(
    "f-lastfm-scrobble-ignoredmessage-code-zero",
    200,
    {
        "scrobbles": {
            "scrobble": {
                "artist": {"corrected": "0", "#text": "Radiohead"},
                "album": {"corrected": "0", "#text": "OK Computer"},
                "track": {"corrected": "0", "#text": "Karma Police"},
                "ignoredMessage": {"code": "0", "#text": ""},
                "albumArtist": {"corrected": "0", "#text": ""},
                "timestamp": "1718093500",
            },
            "@attr": {"ignored": 0, "accepted": 1},
        }
    },
    None,
    "Last.fm track.scrobble: accepted 1, ignored 0, ignoredMessage code '0' means nothing was ignored",
    request={"method": "POST", "path": "/2.0/"},
    trap=True,
)

PART.add(
    "f-odoo-search-read-mail-exceptions",
    200,
    {
        "jsonrpc": "2.0",
        "id": 512,
        "result": [
            {
                "id": 8812,
                "subject": "Fattura INV/2024/00042",
                "email_to": "amministrazione@example.it",
                "state": "exception",
                "failure_type": "mail_smtp",
                "failure_reason": "Mail delivery failed via SMTP server 'smtp.example.it'.\nSMTPRecipientsRefused: 550 5.1.1 User unknown",
            },
            {
                "id": 8815,
                "subject": "Sollecito di pagamento",
                "email_to": "info@example.com",
                "state": "exception",
                "failure_type": "mail_email_invalid",
                "failure_reason": "Error: invalid email address",
            },
        ],
    },
    None,
    "Odoo search_read on mail.mail filtered on state=exception: a list of failed e-mails is the data asked for",
    request={"method": "POST", "path": "/web/dataset/call_kw/mail.mail/search_read"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# plain success and 4xx
# --------------------------------------------------------------------------------------------

PART.add(
    "f-iyzico-payment-success",
    200,
    {
        "status": "success",
        "locale": "tr",
        "systemTime": 1718094020517,
        "conversationId": "sip-20240611-0043",
        "price": 349.9,
        "paidPrice": 349.9,
        "installment": 1,
        "paymentId": "21784460",
        "fraudStatus": 1,
        "merchantCommissionRate": 0.0,
        "merchantCommissionRateAmount": 0.0,
        "iyziCommissionRateAmount": 9.7622,
        "iyziCommissionFee": 0.25,
        "cardType": "CREDIT_CARD",
        "cardAssociation": "MASTER_CARD",
        "cardFamily": "Bonus",
        "binNumber": "554960",
        "lastFourDigits": "0008",
        "basketId": "B-77120",
        "currency": "TRY",
        "authCode": "834112",
        "phase": "AUTH",
        "hostReference": "mock00008iyzihostrfn",
    },
    None,
    "iyzico payment/auth: status success with a paymentId and authCode",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/payment/auth"},
)

PART.add(
    "f-cloudflare-400-record-already-exists",
    400,
    {
        "result": None,
        "success": False,
        "errors": [{"code": 81057, "message": "Record already exists."}],
        "messages": [],
    },
    "conflict",
    "Cloudflare DNS create: 400 whose error 81057 says the record already exists -- more specific than the 400",
    request={"method": "POST", "path": "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records"},
)

PART.add(
    "f-openweathermap-401-invalid-key",
    401,
    {"cod": 401, "message": "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info."},
    "auth_failure",
    "OpenWeatherMap 401 with cod 401: invalid API key",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/data/2.5/weather?q=Porto&appid=0000"},
)

PART.add(
    "f-frappe-417-mandatory-error",
    417,
    {
        "exception": "frappe.exceptions.MandatoryError: [Customer, new-customer-ebqkmrxzcx]: customer_name",
        "exc_type": "MandatoryError",
        "exc": '["Traceback (most recent call last):\\n  File \\"apps/frappe/frappe/app.py\\", line 114, in application\\n    response = frappe.api.handle(request)\\n  ...\\nfrappe.exceptions.MandatoryError: [Customer, new-customer-ebqkmrxzcx]: customer_name\\n"]',
        "_server_messages": '["{\\"message\\": \\"Error: Value missing for Customer: Customer Name\\", \\"title\\": \\"Message\\", \\"indicator\\": \\"red\\", \\"raise_exception\\": 1}"]',
    },
    "validation",
    "Frappe/ERPNext 417 (its ValidationError status); exc_type MandatoryError, a required field is missing",
    request={"method": "POST", "path": "/api/resource/Customer"},
)
