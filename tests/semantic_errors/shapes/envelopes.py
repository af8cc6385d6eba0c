"""Numeric-code and vendor-specific JSON envelopes: a body whose own status field (``code``/``msg``,
``errcode``/``errmsg``, ``errno``, ``ret``, ``retcode``, ``rc``, ``resultCode``, ``error_code``,
``status``/``info``, ``ok``/``success`` given as numbers, strings or Y/N) says the call failed while
HTTP says 200, and the envelopes of named vendors: WeChat Pay ``return_code``/``result_code``,
Alipay ``*_response.code``/``sub_code``, AWS JSON-protocol ``__type`` and Query-style ``Error``,
Tencent Cloud ``Response.Error``, PayPal ``name``/``details[].issue``, Shopify ``userErrors``,
Salesforce error arrays, Twilio, Slack, Telegram, Facebook Graph, Google, Microsoft Graph, Stripe,
Adyen, Braintree, Mercado Pago, Razorpay and M-Pesa.  The traps are envelopes whose code means
success (``code: 0``, ``code: 200``, ``"SUCCESS"``, ``errcode: 0``, ``error_code: 0``, ``ret: 0``,
Alipay ``10000``, empty ``userErrors``, Slack warnings) and data whose fields merely look like error
codes (a discount code, a status checker's ``status_code``, a product named after an error)."""

from tests.semantic_errors.shapes import Part

PART = Part("envelopes")

# --- generic numeric / string code envelopes --------------------------------------------------

PART.add(
    "code-40003-invalid-openid",
    200,
    {"code": 40003, "msg": "invalid openid", "data": None, "request_id": "f3c1a9e07b2d4c55"},
    "validation",
    "code/msg envelope, nonzero code 40003 'invalid openid': the openid parameter was rejected",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/wx/member/bind"},
)
PART.add(
    "wechat-errcode-40001-access-token",
    200,
    '{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r rid: 6667d1a2-4b1c6e2f-7d0c9a11"}',
    "auth_failure",
    "WeChat errcode 40001: access_token invalid or not latest",
    content_type="application/json; encoding=utf-8",
    request={"method": "POST", "path": "/cgi-bin/message/template/send"},
    holdout=True,
)
PART.add(
    "errno-1001-missing-param",
    200,
    {"errno": 1001, "errmsg": "missing required parameter: city_id", "data": [], "trace_id": "0a1f2b3c665f1e2a8c4d"},
    "validation",
    "errno envelope, nonzero errno with 'missing required parameter'",
)
PART.add(
    "ret-neg1-duplicate-order",
    200,
    {"ret": -1, "msg": "duplicate request: out_order_no 20240611000123 already submitted", "data": {}},
    "conflict",
    "ret -1 and the message says the order number was already submitted (duplicate)",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/open/v2/order/create"},
    holdout=True,
)
PART.add(
    "baidu-error-code-110",
    200,
    {"error_code": 110, "error_msg": "Access token invalid or no longer valid", "log_id": 3847562910283746512},
    "auth_failure",
    "Baidu AI envelope error_code 110: access token invalid",
    request={"method": "POST", "path": "/rest/2.0/ocr/v1/general_basic"},
)
PART.add(
    "thinkphp-status-0-captcha",
    200,
    '{"status":0,"info":"Captcha is incorrect, please try again","url":""}',
    "validation",
    "ThinkPHP ajaxReturn convention: status 0 = failure (1 = success), info says the captcha input is wrong",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/index.php/Home/User/login", "headers": {"X-Requested-With": "XMLHttpRequest"}},
)
PART.add(
    "rc-5-session-expired",
    200,
    {"rc": 5, "message": "Session expired, please log in again.", "data": None, "ts": 1718090412},
    "auth_failure",
    "rc envelope nonzero with a message saying the session expired",
)
PART.add(
    "retcode-1004-order-not-found",
    200,
    {"retcode": 1004, "retmsg": "order not found: 7781203", "data": None},
    "not_found",
    "retcode/retmsg envelope, nonzero retcode, message says the order does not exist",
    request={"method": "GET", "path": "/api/order/detail?order_id=7781203"},
)
PART.add(
    "resultcode-9999-system-error",
    200,
    {
        "resultCode": "9999",
        "resultMsg": "System error, please try again later",
        "data": None,
        "timestamp": "2024-06-11 14:02:33",
    },
    "generic_business_error",
    "resultCode '9999' (catch-all failure code) with 'System error' in a 200 body",
    content_type="application/json;charset=UTF-8",
)

# --- payment envelopes: WeChat Pay, Alipay --------------------------------------------------

PART.add(
    "wechatpay-result-code-fail-notenough",
    200,
    {
        "return_code": "SUCCESS",
        "return_msg": "OK",
        "appid": "wx2421b1c4370ec43b",
        "mch_id": "10000100",
        "nonce_str": "IITRi8Iabbblz1Jc",
        "sign": "E515C9EBDCB0D1F2A83B7E4A3F8A2D1C",
        "result_code": "FAIL",
        "err_code": "NOTENOUGH",
        "err_code_des": "余额不足",
    },
    "payment",
    "WeChat Pay micropay: communication OK (return_code SUCCESS) but result_code FAIL, err_code NOTENOUGH (insufficient balance)",
    request={"method": "POST", "path": "/pay/micropay"},
    holdout=True,
)
PART.add(
    "wechatpay-return-code-fail-xml",
    200,
    {"return_code": "FAIL", "return_msg": "XML格式错误"},
    "validation",
    "WeChat Pay return_code FAIL: the request was rejected before processing, return_msg says malformed XML",
    request={"method": "POST", "path": "/pay/unifiedorder"},
)
PART.add(
    "alipay-trade-has-success",
    200,
    '{"alipay_trade_pay_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已被支付","out_trade_no":"20240611102233001","buyer_logon_id":"","trade_no":""},"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE"}',
    "conflict",
    "Alipay code 40004 Business Failed, sub_code TRADE_HAS_SUCCESS: this trade was already paid, the pay call is a duplicate (not a decline)",
    content_type="text/html;charset=utf-8",
    request={"method": "POST", "path": "/gateway.do?method=alipay.trade.pay"},
    holdout=True,
)
PART.add(
    "alipay-buyer-balance-not-enough",
    200,
    '{"alipay_trade_pay_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH","sub_msg":"买家余额不足","out_trade_no":"T88271634001","buyer_logon_id":"159****5620","total_amount":"188.00"},"sign":"jEkBBDYcPU0f8XXwrkgxlPeO/3Xp2p0pTqvGAP1J"}',
    "payment",
    "Alipay code 40004, sub_code BUYER_BALANCE_NOT_ENOUGH: buyer's balance insufficient",
    content_type="text/html;charset=utf-8",
)
PART.add(
    "alipay-invalid-auth-token",
    200,
    {
        "alipay_user_info_share_response": {
            "code": "20001",
            "msg": "Insufficient Token Permissions",
            "sub_code": "aop.invalid-auth-token",
            "sub_msg": "无效的访问令牌",
        },
        "sign": "TfN3Jwpu3e1wyQ8u8VGuBxGpd1xVnrBWyNLyI0Mq",
    },
    "auth_failure",
    "Alipay code 20001, sub_code aop.invalid-auth-token: invalid access token",
    content_type="text/html;charset=utf-8",
    holdout=True,
)
PART.add(
    "alipay-trade-not-exist",
    200,
    '{"alipay_trade_query_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在","buyer_pay_amount":"0.00","invoice_amount":"0.00","out_trade_no":"ORD-2024-0611-7719","point_amount":"0.00","receipt_amount":"0.00"},"sign":"Qz9a1+Gf2kLmN0pRsTuVwXyZ"}',
    "not_found",
    "Alipay trade query, code 40004, sub_code TRADE_NOT_EXIST",
    content_type="text/html;charset=utf-8",
)
PART.add(
    "alipay-20000-unknown-error",
    200,
    {
        "alipay_trade_refund_response": {
            "code": "20000",
            "msg": "Service Currently Unavailable",
            "sub_code": "isp.unknow-error",
            "sub_msg": "系统繁忙",
        },
        "sign": "bW9jay1zaWduYXR1cmU=",
    },
    "generic_business_error",
    "Alipay code 20000 Service Currently Unavailable (isp.unknow-error) in a 200: the refund was not done",
    content_type="text/html;charset=utf-8",
)

# --- ok / success flags as numbers, strings, Y/N ----------------------------------------------

PART.add(
    "mongo-ok-0-unauthorized",
    200,
    {
        "ok": 0,
        "errmsg": 'not authorized on admin to execute command { listDatabases: 1, $db: "admin" }',
        "code": 13,
        "codeName": "Unauthorized",
    },
    "auth_failure",
    "MongoDB command reply relayed as JSON: ok 0, codeName Unauthorized",
    request={"method": "POST", "path": "/api/admin/runCommand"},
)
PART.add(
    "success-n-do-not-honor",
    200,
    {
        "success": "N",
        "responseCode": "05",
        "message": "Do Not Honor - card declined by issuer",
        "transactionId": "TX-0098127733",
        "amount": "49.99",
    },
    "payment",
    "success 'N' and the message says the card was declined by the issuer",
    request={"method": "POST", "path": "/gateway/v1/sale"},
)

# --- AWS ---------------------------------------------------------------------------------------

PART.add(
    "aws-dynamodb-resource-not-found",
    200,
    '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: orders-prod not found"}',
    "not_found",
    "DynamoDB JSON-protocol error (__type ResourceNotFoundException) passed through a proxy with 200",
    content_type="application/x-amz-json-1.0",
    headers={"x-amzn-RequestId": "R4V6N2K8S0P1T7Q3M5J9C2B4D6F8H0L1"},
    request={"method": "POST", "path": "/", "headers": {"X-Amz-Target": "DynamoDB_20120810.GetItem"}},
    holdout=True,
)
PART.add(
    "aws-ecs-throttling",
    200,
    '{"__type":"ThrottlingException","message":"Rate exceeded"}',
    "rate_limit",
    "AWS JSON-protocol __type ThrottlingException, 'Rate exceeded'",
    content_type="application/x-amz-json-1.1",
    headers={"x-amzn-RequestId": "9b3e1f2a-6c4d-4e8f-a1b2-3c4d5e6f7a8b"},
    request={
        "method": "POST",
        "path": "/",
        "headers": {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.DescribeServices"},
    },
)
PART.add(
    "aws-query-json-access-denied",
    200,
    {
        "Error": {
            "Code": "AccessDenied",
            "Message": "User: arn:aws:iam::123456789012:user/ci-deploy is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/",
            "Type": "Sender",
        },
        "RequestId": "4f7c2a1e-9d3b-4b6a-8e5f-1c2d3e4f5a6b",
    },
    "auth_failure",
    "AWS Query-protocol error rendered as JSON: Error.Code AccessDenied",
    request={"method": "POST", "path": "/", "headers": {"Accept": "application/json"}},
)
PART.add(
    "tencentcloud-signature-expire",
    200,
    {
        "Response": {
            "Error": {
                "Code": "AuthFailure.SignatureExpire",
                "Message": "The signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
            },
            "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
        }
    },
    "auth_failure",
    "Tencent Cloud API 3.0: Response.Error.Code AuthFailure.SignatureExpire (always HTTP 200)",
    request={"method": "POST", "path": "/", "headers": {"X-TC-Action": "DescribeInstances"}},
)
PART.add(
    "tencentcloud-instance-not-found",
    200,
    '{"Response": {"RequestId": "3c140219-cfe9-470e-b241-907877d6fb03", "Error": {"Message": "The instance `ins-9bxebleo` is not found.", "Code": "InvalidInstanceId.NotFound"}}}',
    "not_found",
    "Tencent Cloud Response.Error.Code InvalidInstanceId.NotFound",
    request={"method": "POST", "path": "/", "headers": {"X-TC-Action": "StopInstances"}},
)
PART.add(
    "tencentcloud-describe-ok",
    200,
    {
        "Response": {
            "TotalCount": 3,
            "InstanceSet": [
                {"InstanceId": "ins-1a2b3c4d", "InstanceState": "RUNNING", "Placement": {"Zone": "ap-guangzhou-3"}},
                {"InstanceId": "ins-5e6f7a8b", "InstanceState": "RUNNING", "Placement": {"Zone": "ap-guangzhou-3"}},
                {"InstanceId": "ins-9c0d1e2f", "InstanceState": "STOPPED", "Placement": {"Zone": "ap-guangzhou-4"}},
            ],
            "RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7",
        }
    },
    None,
    "Tencent Cloud Response without an Error member: a normal DescribeInstances result",
)

# --- PayPal ------------------------------------------------------------------------------------

PART.add(
    "paypal-422-instrument-declined",
    422,
    {
        "name": "UNPROCESSABLE_ENTITY",
        "details": [
            {
                "issue": "INSTRUMENT_DECLINED",
                "description": "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
            }
        ],
        "message": "The requested action could not be performed, semantically incorrect, or failed business validation.",
        "debug_id": "c9a75b43fc807",
        "links": [
            {
                "href": "https://developer.paypal.com/docs/api/orders/v2/#error-INSTRUMENT_DECLINED",
                "rel": "information_link",
                "method": "GET",
            },
            {"href": "https://www.paypal.com/checkoutnow?token=8AA831015G517922L", "rel": "redirect", "method": "GET"},
        ],
    },
    "payment",
    "PayPal 422 whose details issue is INSTRUMENT_DECLINED: a declined payment, more specific than validation",
    headers={"Paypal-Debug-Id": "c9a75b43fc807"},
    request={"method": "POST", "path": "/v2/checkout/orders/8AA831015G517922L/capture"},
)
PART.add(
    "paypal-duplicate-invoice",
    200,
    {
        "name": "UNPROCESSABLE_ENTITY",
        "details": [
            {
                "issue": "DUPLICATE_INVOICE_ID",
                "description": "Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.",
            }
        ],
        "message": "The requested action could not be performed, semantically incorrect, or failed business validation.",
        "debug_id": "f1d2a3b4c5e60",
        "links": [
            {
                "href": "https://developer.paypal.com/docs/api/orders/v2/#error-DUPLICATE_INVOICE_ID",
                "rel": "information_link",
                "method": "GET",
            }
        ],
    },
    "conflict",
    "PayPal error body relayed with 200 by a checkout backend; issue DUPLICATE_INVOICE_ID",
    request={"method": "POST", "path": "/api/checkout/paypal/capture"},
)
PART.add(
    "paypal-resource-not-found",
    200,
    '{"name":"RESOURCE_NOT_FOUND","details":[{"field":"order_id","value":"5O190127TN364715T","location":"path","issue":"INVALID_RESOURCE_ID","description":"Specified resource ID does not exist. Please check the resource ID and try again."}],"message":"The specified resource does not exist.","debug_id":"90957fca61718","links":[{"href":"https://developer.paypal.com/docs/api/orders/v2/#error-INVALID_RESOURCE_ID","rel":"information_link","method":"GET"}]}',
    "not_found",
    "PayPal error name RESOURCE_NOT_FOUND (INVALID_RESOURCE_ID) in a 200 from a proxy",
    request={"method": "GET", "path": "/api/paypal/orders/5O190127TN364715T"},
    holdout=True,
)
PART.add(
    "paypal-order-completed",
    200,
    {
        "id": "5O190127TN364715T",
        "status": "COMPLETED",
        "payment_source": {
            "paypal": {
                "name": {"given_name": "John", "surname": "Doe"},
                "email_address": "customer@example.com",
                "account_id": "QYR5Z8XDVJNXQ",
            }
        },
        "purchase_units": [
            {
                "reference_id": "d9f80740-38f0-11e8-b467-0ed5f89f718b",
                "payments": {
                    "captures": [
                        {
                            "id": "3C679366HH908993F",
                            "status": "COMPLETED",
                            "amount": {"currency_code": "USD", "value": "100.00"},
                        }
                    ]
                },
            }
        ],
        "links": [
            {"href": "https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T", "rel": "self", "method": "GET"}
        ],
    },
    None,
    "PayPal order capture: status COMPLETED, capture COMPLETED",
    headers={"Paypal-Debug-Id": "b1e2f3a4c5d67"},
    request={"method": "POST", "path": "/v2/checkout/orders/5O190127TN364715T/capture"},
)

# --- Shopify, Salesforce, Twilio, Slack, Telegram, Facebook, Google, Microsoft ------------

PART.add(
    "shopify-usererrors-title-blank",
    200,
    {
        "data": {
            "productCreate": {"product": None, "userErrors": [{"field": ["title"], "message": "Title can't be blank"}]}
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
    "Shopify GraphQL mutation: product null and userErrors says the title is blank",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
    holdout=True,
)
PART.add(
    "shopify-throttled",
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
                "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 312, "restoreRate": 50.0},
            }
        },
    },
    "rate_limit",
    "Shopify GraphQL top-level error THROTTLED (query cost above what is available)",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
)
PART.add(
    "salesforce-invalid-session-id",
    200,
    [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
    "auth_failure",
    "Salesforce-style top-level array of error objects, INVALID_SESSION_ID, relayed with 200",
    request={"method": "GET", "path": "/services/data/v60.0/sobjects/Account/001D000000IqhSLIAZ"},
    holdout=True,
)
PART.add(
    "twilio-21211-invalid-to",
    200,
    {
        "code": 21211,
        "message": "The 'To' number +1555012 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    },
    "validation",
    "Twilio error body (code 21211, inner status 400) forwarded with 200: invalid To number",
    request={"method": "POST", "path": "/2010-04-01/Accounts/AC1234567890abcdef1234567890abcd/Messages.json"},
    holdout=True,
)
PART.add(
    "slack-channel-not-found",
    200,
    '{"ok":false,"error":"channel_not_found"}',
    "not_found",
    "Slack Web API ok:false, error channel_not_found",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/chat.postMessage"},
)
PART.add(
    "telegram-429-retry-after",
    200,
    {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    },
    "rate_limit",
    "Telegram Bot API envelope ok:false, error_code 429 (behind a relay answering 200)",
    request={"method": "POST", "path": "/bot123456:ABC-DEF1234ghIkl/sendMessage"},
    holdout=True,
)
PART.add(
    "telegram-400-chat-not-found",
    400,
    {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    "not_found",
    "Telegram 400 whose description says the chat was not found: not_found is more specific than validation",
    request={"method": "POST", "path": "/bot123456:ABC-DEF1234ghIkl/sendMessage"},
)
PART.add(
    "facebook-oauth-190",
    200,
    {
        "error": {
            "message": "Error validating access token: Session has expired on Tuesday, 11-Jun-24 10:00:00 PDT. The current time is Tuesday, 11-Jun-24 10:14:52 PDT.",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "AqZbX2nT8v1Lw3kQ9yR4mPs",
        }
    },
    "auth_failure",
    "Facebook Graph error object, OAuthException code 190 subcode 463: access token expired",
    request={"method": "GET", "path": "/v19.0/me/accounts"},
)
PART.add(
    "google-permission-denied",
    200,
    {
        "error": {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "IAM_PERMISSION_DENIED",
                    "domain": "iam.googleapis.com",
                    "metadata": {"permission": "secretmanager.versions.access"},
                }
            ],
        }
    },
    "auth_failure",
    "Google API error envelope status PERMISSION_DENIED, served with 200 by a gateway",
    holdout=True,
)
PART.add(
    "msgraph-invalid-auth-token",
    200,
    {
        "error": {
            "code": "InvalidAuthenticationToken",
            "message": "Lifetime validation failed, the token is expired.",
            "innerError": {
                "date": "2024-06-11T09:31:07",
                "request-id": "b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d",
                "client-request-id": "b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d",
            },
        }
    },
    "auth_failure",
    "Microsoft Graph OData error code InvalidAuthenticationToken (token expired)",
    content_type="application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
    request={"method": "GET", "path": "/v1.0/me/messages?$top=10"},
)

# --- card processors and mobile money ---------------------------------------------------------

PART.add(
    "stripe-like-insufficient-funds",
    200,
    {
        "error": {
            "charge": "ch_3PQx1c2eZvKYlo2C0k1m2n3o",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card has insufficient funds.",
            "payment_intent": {"id": "pi_3PQx1c2eZvKYlo2C0a9b8c7d", "status": "requires_payment_method"},
            "type": "card_error",
        }
    },
    "payment",
    "Stripe-style error object (card_error, decline_code insufficient_funds) relayed with 200",
    request={"method": "POST", "path": "/api/checkout/charge"},
)
PART.add(
    "adyen-refused-balance",
    200,
    {
        "additionalData": {
            "cardSummary": "1111",
            "paymentMethod": "visa",
            "refusalReasonRaw": "51 : Insufficient funds/over credit limit",
        },
        "pspReference": "KHQC5N7G84BLNK43",
        "refusalReason": "Not enough balance",
        "resultCode": "Refused",
        "refusalReasonCode": "12",
        "merchantReference": "ORDER-2024-06-11-0042",
        "amount": {"currency": "EUR", "value": 4990},
    },
    "payment",
    "Adyen /payments resultCode Refused, refusalReason Not enough balance (Adyen answers 200)",
    request={"method": "POST", "path": "/v71/payments"},
    holdout=True,
)
PART.add(
    "braintree-graphql-invalid-token",
    200,
    {
        "errors": [
            {
                "message": "Unknown or expired payment_method_id.",
                "locations": [{"line": 2, "column": 3}],
                "path": ["chargePaymentMethod"],
                "extensions": {
                    "errorClass": "VALIDATION",
                    "legacyCode": "91565",
                    "inputPath": ["input", "paymentMethodId"],
                },
            }
        ],
        "data": {"chargePaymentMethod": None},
        "extensions": {"requestId": "f3d9e2c1-0a4b-4c8d-9e7f-1a2b3c4d5e6f"},
    },
    "validation",
    "Braintree GraphQL: mutation result null, error class VALIDATION on the paymentMethodId input",
    request={"method": "POST", "path": "/graphql"},
)
PART.add(
    "mercadopago-rejected-insufficient",
    201,
    {
        "id": 1318920754,
        "date_created": "2024-06-11T10:21:44.000-04:00",
        "status": "rejected",
        "status_detail": "cc_rejected_insufficient_amount",
        "payment_method_id": "master",
        "payment_type_id": "credit_card",
        "transaction_amount": 250.0,
        "currency_id": "BRL",
        "installments": 1,
        "external_reference": "pedido-88213",
    },
    "payment",
    "Mercado Pago POST /v1/payments created the payment record but status rejected, cc_rejected_insufficient_amount",
    request={"method": "POST", "path": "/v1/payments"},
    holdout=True,
)
PART.add(
    "razorpay-400-bank-declined",
    400,
    {
        "error": {
            "code": "BAD_REQUEST_ERROR",
            "description": "Your payment didn't go through as it was declined by the bank. Try another payment method or contact your bank.",
            "source": "bank",
            "step": "payment_authorization",
            "reason": "payment_failed",
            "metadata": {"payment_id": "pay_OJx8k1q2W3e4R5", "order_id": "order_OJx7a9b8C7d6E5"},
        }
    },
    "payment",
    "Razorpay 400 BAD_REQUEST_ERROR whose reason is payment_failed / declined by the bank: payment is more specific",
    request={"method": "POST", "path": "/v1/payments/create/json"},
    holdout=True,
)
PART.add(
    "mpesa-stk-resultcode-1",
    200,
    {
        "ResponseCode": "0",
        "ResponseDescription": "The service request has been accepted successsfully",
        "MerchantRequestID": "22205-34066-1",
        "CheckoutRequestID": "ws_CO_13012021093521236557",
        "ResultCode": "1",
        "ResultDesc": "The balance is insufficient for the transaction.",
    },
    "payment",
    "M-Pesa STK push query: the query was accepted (ResponseCode 0) but the transaction ResultCode 1, insufficient balance",
    request={"method": "POST", "path": "/mpesa/stkpushquery/v1/query"},
)
PART.add(
    "mpesa-404-invalid-access-token",
    404,
    {"requestId": "11728-2929992-1", "errorCode": "404.001.03", "errorMessage": "Invalid Access Token"},
    "auth_failure",
    "Safaricom Daraja answers a bad token with 404 errorCode 404.001.03 'Invalid Access Token': the body names an auth failure",
    request={"method": "POST", "path": "/mpesa/b2c/v1/paymentrequest"},
)
PART.add(
    "aws-500-internal-failure",
    500,
    '{"__type":"com.amazon.coral.service#InternalFailure","message":null}',
    "server_error",
    "AWS JSON-protocol InternalFailure with HTTP 500",
    content_type="application/x-amz-json-1.1",
    headers={"x-amzn-RequestId": "0c7d1e2f-3a4b-4c5d-8e9f-a0b1c2d3e4f5"},
)

# --- traps: success codes and code-like data ----------------------------------------------------

PART.add(
    "lark-code-0-ok",
    200,
    {"code": 0, "msg": "ok", "tenant_access_token": "t-g1044ghJRUIJJ5ELPPBZIMNL6PHCKG7KU4RSUYXK", "expire": 7200},
    None,
    "Feishu/Lark envelope code 0 'ok' means success; the token is returned",
    request={"method": "POST", "path": "/open-apis/auth/v3/tenant_access_token/internal"},
    trap=True,
)
PART.add(
    "code-200-message-success",
    200,
    {"code": 200, "message": "success", "data": {"orderId": "SO20240611000871", "status": "CREATED", "error": None}},
    None,
    "code 200 with message 'success' and the created order: success (error member null)",
    request={"method": "POST", "path": "/api/v1/orders"},
    trap=True,
    holdout=True,
)
PART.add(
    "code-string-success",
    200,
    {
        "code": "SUCCESS",
        "message": "refund accepted",
        "data": {
            "refund_id": "50000000382019052709732678859",
            "out_refund_no": "RF1217752501201407033233368018",
            "status": "PROCESSING",
        },
    },
    None,
    "code 'SUCCESS', refund accepted and processing: the request succeeded",
    trap=True,
)
PART.add(
    "wecom-errcode-0-ok",
    200,
    '{"errcode":0,"errmsg":"ok","invaliduser":"","invalidparty":"","invalidtag":"","unlicenseduser":"","msgid":"xxxx","response_code":"xyzxyz"}',
    None,
    "WeCom message/send errcode 0 'ok', no invalid users: delivered",
    request={"method": "POST", "path": "/cgi-bin/message/send"},
    trap=True,
)
PART.add(
    "error-code-0-empty-msg",
    200,
    {
        "error_code": 0,
        "error_msg": "",
        "data": {"waybill_no": "SF1402871662830", "route": [{"time": "2024-06-11 08:12", "desc": "已揽收"}]},
    },
    None,
    "error_code 0 with an empty error_msg and data: success",
    trap=True,
    holdout=True,
)
PART.add(
    "qq-ret-0-userinfo",
    200,
    {
        "ret": 0,
        "msg": "",
        "is_lost": 0,
        "nickname": "小明",
        "gender": "男",
        "province": "广东",
        "city": "深圳",
        "figureurl_qq_1": "http://thirdqq.qlogo.cn/g?b=oidb&k=abc&s=40",
    },
    None,
    "QQ Connect get_user_info ret 0 (msg empty): the user profile was returned",
    content_type="text/html; charset=utf-8",
    trap=True,
)
PART.add(
    "alipay-code-10000-success",
    200,
    '{"alipay_trade_query_response":{"code":"10000","msg":"Success","buyer_logon_id":"159****5620","buyer_pay_amount":"88.88","out_trade_no":"ORD-2024-0611-7720","trade_no":"2024061122001495621426041234","trade_status":"TRADE_SUCCESS","total_amount":"88.88"},"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE"}',
    None,
    "Alipay code 10000 is its success code; trade_status TRADE_SUCCESS",
    content_type="text/html;charset=utf-8",
    trap=True,
)
PART.add(
    "shopify-usererrors-empty",
    200,
    {
        "data": {
            "productCreate": {
                "product": {"id": "gid://shopify/Product/1072481062", "title": "Cool socks", "status": "DRAFT"},
                "userErrors": [],
            }
        },
        "extensions": {"cost": {"requestedQueryCost": 10, "actualQueryCost": 10}},
    },
    None,
    "Shopify mutation with an empty userErrors list and the created product",
    request={"method": "POST", "path": "/admin/api/2024-04/graphql.json"},
    trap=True,
    holdout=True,
)
PART.add(
    "slack-ok-true-warning",
    200,
    {
        "ok": True,
        "channel": "C024BE91L",
        "ts": "1718094512.000200",
        "message": {"type": "message", "text": "deploy finished", "bot_id": "B0123ABCD", "ts": "1718094512.000200"},
        "warning": "missing_charset",
        "response_metadata": {"warnings": ["missing_charset"]},
    },
    None,
    "Slack ok:true with only a missing_charset warning: the message was posted",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/chat.postMessage"},
    trap=True,
)
PART.add(
    "discount-code-err",
    200,
    {
        "code": "SUMMER-ERR10",
        "discount": 10,
        "type": "percent",
        "valid": True,
        "min_order": 50,
        "expires_at": "2024-08-31T23:59:59Z",
    },
    None,
    "'code' here is a coupon code (SUMMER-ERR10) being looked up; it is valid",
    request={"method": "GET", "path": "/api/coupons/SUMMER-ERR10"},
    trap=True,
)
PART.add(
    "status-checker-503-as-data",
    200,
    {
        "url": "https://shop.example.com/health",
        "status_code": 503,
        "reason": "Service Unavailable",
        "is_up": False,
        "response_time_ms": 212,
        "checked_at": "2024-06-11T10:31:02Z",
    },
    None,
    "an uptime-check API reporting that the checked site answered 503: the check itself succeeded",
    request={"method": "GET", "path": "/v1/check?url=https%3A%2F%2Fshop.example.com%2Fhealth"},
    trap=True,
)  # was held out; seen while developing (a test printed it), so no longer counted as held out
PART.add(
    "product-named-invalid-request",
    200,
    {
        "id": 88213,
        "name": "INVALID_REQUEST t-shirt",
        "description": "Soft cotton tee for API people. Front print: 400 INVALID_REQUEST.",
        "price": {"amount": "24.00", "currency": "USD"},
        "sizes": ["S", "M", "L", "XL"],
        "in_stock": True,
    },
    None,
    "a product whose name is INVALID_REQUEST t-shirt: catalogue data",
    request={"method": "GET", "path": "/api/products/88213"},
    trap=True,
)
