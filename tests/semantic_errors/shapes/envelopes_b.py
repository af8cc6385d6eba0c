"""Second round of vendor envelopes: the error envelopes of Chinese and Asian cloud, commerce and
payment APIs (Alibaba Cloud ``Code``/``Message``/``RequestId``, Huawei Cloud and Baidu
``error_code``/``error_msg``, DingTalk ``errcode``, Feishu ``code``/``msg``, JD and Pinduoduo
``error_response``, Douyin ``extra.error_code`` and ``err_no``, LINE Pay ``returnCode``, Paytm
``resultInfo.resultStatus``, GMO ``ErrCode``/``ErrInfo``, Midtrans ``status_code``) and of Western
APIs whose error bodies reached the client with a 200 (X/Twitter ``errors[]``, Instagram
``meta.error_type``, Mailchimp problem documents, SendGrid, Zendesk, HubSpot ``category``, Jira
``errorMessages``/``errors``, Okta ``errorCode``/``errorCauses``, Auth0, Firebase ``error.status``,
Plaid, Square ``errors[].category``, Klarna), plus a few 4xx.  The traps are envelopes
whose code means success in the vendor's own way (``"OK"``, ``"0000"``, ``"S"``, ``"ok"``, a
Moneris ``027``) and data whose members are named status/error without
meaning failure (a DNS answer's ``NOERROR``, a synthetic-check result, an SLO error budget, a
measuring tool's ``error_margin``, a translation of an error message)."""

from tests.semantic_errors.shapes import Part

PART = Part("envelopes")

# --------------------------------------------------------------------------------------------
# Alibaba Cloud / Huawei Cloud / Baidu
# --------------------------------------------------------------------------------------------

PART.add(
    "b-aliyun-ecs-throttling-user",
    200,
    {
        "RequestId": "6EF60BEC-0242-43AF-BB20-270359FB54A7",
        "HostId": "ecs.cn-hangzhou.aliyuncs.com",
        "Code": "Throttling.User",
        "Message": "Request was denied due to user flow control.",
        "Recommend": "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Ecs&requestId=6EF60BEC-0242-43AF-BB20-270359FB54A7",
    },
    "rate_limit",
    "Alibaba Cloud error envelope relayed with 200: Code Throttling.User, denied by user flow control",
    content_type="application/json;charset=utf-8",
    request={"method": "POST", "path": "/?Action=DescribeInstances&RegionId=cn-hangzhou&Version=2014-05-26"},
)
PART.add(
    "b-aliyun-sms-mobile-illegal",
    200,
    '{"Message":"手机号码格式错误","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","Code":"isv.MOBILE_NUMBER_ILLEGAL"}',
    "validation",
    "Alibaba Cloud SendSms answers 200; Code isv.MOBILE_NUMBER_ILLEGAL (Code 'OK' is success): phone number malformed",
    request={"method": "POST", "path": "/?Action=SendSms&PhoneNumbers=1380013&SignName=Acme"},
    holdout=True,
)
PART.add(
    "b-aliyun-internal-error",
    200,
    {
        "Code": "InternalError",
        "Message": "The request processing has failed due to some unknown error, exception or failure.",
        "RequestId": "0C2B8F1D-7A9E-5D3C-9E11-4F2A6B8C0D17",
        "HostId": "oss-admin.aliyuncs.com",
    },
    "generic_business_error",
    "Alibaba Cloud Code InternalError in a 200 body: the call failed, no more specific cause",
    request={"method": "POST", "path": "/?Action=CreateBucketReplication"},
)
PART.add(
    "b-huaweicloud-apigw-0301-aksk",
    200,
    {
        "error_msg": "Incorrect IAM authentication information: verify aksk signature fail, error_msg: signature not match",
        "error_code": "APIGW.0301",
        "request_id": "5d9f1c0a8e7b4c2d9a6f3e1b0c7d8e9f",
    },
    "auth_failure",
    "Huawei Cloud API gateway error_code APIGW.0301: AK/SK signature verification failed",
    request={"method": "GET", "path": "/v1/0a1b2c3d4e5f/cloudservers/detail?limit=50"},
)
PART.add(
    "b-baidu-ai-error-code-18-qps",
    200,
    {"log_id": 1780123456789012345, "error_msg": "Open api qps request limit reached", "error_code": 18},
    "rate_limit",
    "Baidu AI Open Platform error_code 18: QPS limit reached",
    request={"method": "POST", "path": "/rest/2.0/image-classify/v2/advanced_general"},
    holdout=True,
)
PART.add(
    "b-baidu-fanyi-54001-invalid-sign",
    200,
    '{"error_code":"54001","error_msg":"Invalid Sign"}',
    "auth_failure",
    "Baidu Translate error_code given as the string '54001' Invalid Sign: the request signature (appid+q+salt+key) was rejected",
    content_type="application/json",
    request={
        "method": "GET",
        "path": "/api/trans/vip/translate?q=apple&from=en&to=zh&appid=20240611001&salt=1435660288&sign=f89f9594663708c1605f3d736d01d2d4",
    },
)

# --------------------------------------------------------------------------------------------
# DingTalk / Feishu / JD / Pinduoduo / Douyin
# --------------------------------------------------------------------------------------------

PART.add(
    "b-dingtalk-errcode-60121-user-not-found",
    200,
    {"errcode": 60121, "errmsg": "找不到该用户", "request_id": "16jbnc8a2gx6a"},
    "not_found",
    "DingTalk errcode 60121: the user cannot be found",
    request={"method": "POST", "path": "/topapi/v2/user/get?access_token=3f9a..."},
)
PART.add(
    "b-feishu-99991400-frequency-limit",
    200,
    {
        "code": 99991400,
        "msg": "request trigger frequency limit",
        "error": {"log_id": "20240611102134A1B2C3D4E5F60718293A"},
    },
    "rate_limit",
    "Feishu code 99991400 (0 is success): request frequency limit",
    headers={"x-tt-logid": "20240611102134A1B2C3D4E5F60718293A"},
    request={"method": "POST", "path": "/open-apis/im/v1/messages?receive_id_type=chat_id"},
)
PART.add(
    "b-jd-jos-error-response-19",
    200,
    '{"error_response":{"code":"19","zh_desc":"无效的access_token","en_desc":"Invalid access_token"}}',
    "auth_failure",
    "JD open platform error_response code 19: invalid access_token",
    content_type="application/json;charset=utf-8",
    request={"method": "POST", "path": "/routerjson?method=jingdong.pop.order.search&v=2.0"},
    holdout=True,
)
PART.add(
    "b-pdd-error-response-10000-param",
    200,
    {
        "error_response": {
            "error_msg": "参数错误",
            "sub_msg": "page_size 超出范围，最大值为100",
            "sub_code": "10000",
            "error_code": 10000,
            "request_id": "17181234567890123",
        }
    },
    "validation",
    "Pinduoduo error_response error_code 10000 parameter error: page_size out of range",
    request={"method": "POST", "path": "/api/router?type=pdd.order.list.get"},
)
PART.add(
    "b-douyin-extra-2190008-token-expired",
    200,
    {
        "data": {"description": "access_token过期,请刷新或重新授权", "error_code": 2190008},
        "extra": {
            "error_code": 2190008,
            "description": "access_token过期,请刷新或重新授权",
            "sub_error_code": 0,
            "sub_description": "",
            "logid": "2024061114235801021020416310A2B3C",
            "now": 1718087038,
        },
    },
    "auth_failure",
    "Douyin open platform extra.error_code 2190008: access_token expired, refresh or re-authorise",
    request={"method": "GET", "path": "/video/list/?open_id=_000QadFMhmU1jNCI3JdPnyVDL6XavC70dFy&cursor=0&count=10"},
)
PART.add(
    "b-douyin-shop-err-no-order-not-found",
    200,
    {
        "code": 50002,
        "data": {},
        "log_id": "202406111431220102121830571B6F2A9C",
        "msg": "业务处理失败",
        "sub_code": "isv.business-failed:2100001",
        "sub_msg": "订单不存在",
        "err_no": 50002,
        "message": "业务处理失败",
    },
    "not_found",
    "Douyin shop open API err_no/code 50002 business failure, sub_msg says the order does not exist",
    request={"method": "POST", "path": "/order/orderDetail?app_key=7012345678901234567&method=order.orderDetail"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# Asian payment APIs: LINE Pay, Paytm, GMO, Midtrans
# --------------------------------------------------------------------------------------------

PART.add(
    "b-linepay-1172-existing-order-id",
    200,
    {"returnCode": "1172", "returnMessage": "Existing same orderId."},
    "conflict",
    "LINE Pay returnCode 1172 (0000 is success): a transaction with this orderId already exists",
    request={"method": "POST", "path": "/v3/payments/request"},
    holdout=True,
)
PART.add(
    "b-linepay-1142-insufficient-balance",
    200,
    '{"returnCode":"1142","returnMessage":"Insufficient balance remains.","info":null}',
    "payment",
    "LINE Pay automatic payment returnCode 1142: insufficient balance",
    request={"method": "POST", "path": "/v3/payments/preapprovedPay/RK9A1B2C3D4E5F6/payment"},
)
PART.add(
    "b-paytm-process-txn-declined",
    200,
    {
        "head": {"responseTimestamp": "1718090412345", "version": "v1"},
        "body": {
            "resultInfo": {
                "resultStatus": "F",
                "resultCode": "227",
                "resultMsg": "Your payment has been declined by your bank. Please contact your bank for any queries.",
            },
            "txnInfo": {
                "ORDERID": "ORDER_77813",
                "TXNAMOUNT": "499.00",
                "STATUS": "TXN_FAILURE",
                "RESPCODE": "227",
                "BANKNAME": "HDFC Bank",
            },
        },
    },
    "payment",
    "Paytm processTransaction resultInfo.resultStatus F, resultCode 227: declined by the bank",
    request={"method": "POST", "path": "/theia/api/v1/processTransaction?mid=ACME00112233&orderId=ORDER_77813"},
    holdout=True,
)
PART.add(
    "b-gmo-42g020000-balance",
    200,
    "ErrCode=42G&ErrInfo=42G020000",
    "payment",
    "GMO Payment Gateway form-encoded ErrCode 42G (card company refusal), ErrInfo 42G020000: card balance insufficient",
    content_type="text/plain;charset=Shift_JIS",
    request={"method": "POST", "path": "/payment/ExecTran.idPass"},
)
PART.add(
    "b-gmo-e01040010-orderid-duplicate",
    200,
    "ErrCode=E01&ErrInfo=E01040010",
    "conflict",
    "GMO EntryTran ErrInfo E01040010: this OrderID has already been used",
    content_type="text/plain;charset=Shift_JIS",
    request={"method": "POST", "path": "/payment/EntryTran.idPass"},
    holdout=True,
)
PART.add(
    "b-midtrans-status-code-202-deny",
    200,
    {
        "status_code": "202",
        "status_message": "Deny by Bank [MANDIRI] with code [05] and message [Do not honour]",
        "bank": "mandiri",
        "transaction_id": "b5e1f6c2-7a3d-4d9e-8f10-2c3b4a5d6e7f",
        "order_id": "INV-2024-06-0417",
        "gross_amount": "150000.00",
        "currency": "IDR",
        "payment_type": "credit_card",
        "transaction_time": "2024-06-11 17:41:02",
        "transaction_status": "deny",
        "fraud_status": "accept",
        "masked_card": "48111111-1114",
        "channel_response_code": "05",
        "channel_response_message": "Do not honour",
        "card_type": "credit",
    },
    "payment",
    "Midtrans charge: the body's status_code is '202' but transaction_status deny, the bank refused (Do not honour)",
    request={"method": "POST", "path": "/v2/charge"},
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# Western APIs relayed with 200
# --------------------------------------------------------------------------------------------

PART.add(
    "b-x-v2-errors-only-not-found",
    200,
    {
        "errors": [
            {
                "value": "1460323737035677698",
                "detail": "Could not find tweet with ids: [1460323737035677698].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": "1460323737035677698",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    },
    "not_found",
    "X API v2 answers 200 with only errors[] (no data): the one requested tweet was not found",
    headers={"x-rate-limit-remaining": "899"},
    request={"method": "GET", "path": "/2/tweets?ids=1460323737035677698&tweet.fields=created_at"},
)
PART.add(
    "b-twitter-v11-187-duplicate",
    200,
    '{"errors":[{"code":187,"message":"Status is a duplicate."}]}',
    "conflict",
    "Twitter v1.1 errors[] code 187 relayed with 200: the status is a duplicate",
    content_type="application/json;charset=utf-8",
    request={"method": "POST", "path": "/1.1/statuses/update.json"},
    holdout=True,
)
PART.add(
    "b-instagram-meta-oauth-exception",
    200,
    {
        "meta": {
            "error_type": "OAuthAccessTokenException",
            "code": 400,
            "error_message": "The access_token provided is invalid.",
        }
    },
    "auth_failure",
    "Instagram legacy meta envelope: error_type OAuthAccessTokenException, access token invalid",
    request={"method": "GET", "path": "/v1/users/self/media/recent/?count=12"},
)
PART.add(
    "b-mailchimp-member-exists",
    200,
    {
        "type": "https://mailchimp.com/developer/marketing/docs/errors/",
        "title": "Member Exists",
        "status": 400,
        "detail": "ana.lima@example.org is already a list member. Use PUT to insert or update list members.",
        "instance": "5b1fc3e4-9a2d-3f11-b6c1-0e8a7f4d2c90",
    },
    "conflict",
    "Mailchimp problem document relayed with 200: Member Exists (more specific than its status 400)",
    content_type="application/problem+json; charset=utf-8",
    request={"method": "POST", "path": "/3.0/lists/a1b2c3d4e5/members"},
)
PART.add(
    "b-sendgrid-errors-invalid-address",
    200,
    {
        "errors": [
            {
                "message": "Does not contain a valid address.",
                "field": "personalizations.0.to.0.email",
                "help": "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to",
            }
        ]
    },
    "validation",
    "SendGrid errors[] with field personalizations.0.to.0.email: not a valid address, mail not sent",
    request={"method": "POST", "path": "/v3/mail/send"},
    holdout=True,
)
PART.add(
    "b-zendesk-record-invalid",
    200,
    {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {
            "email": [{"description": "Email:  jo@example is not properly formatted", "error": "InvalidValue"}]
        },
    },
    "validation",
    "Zendesk error RecordInvalid with details per field: the user was not created",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/api/v2/users"},
)
PART.add(
    "b-hubspot-missing-scopes",
    200,
    {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        "correlationId": "8c6d0f1e-4b7a-4c2e-9d3f-1a2b3c4d5e6f",
        "errors": [
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": ["crm.objects.deals.read"]},
            }
        ],
        "links": {"scopes": "https://developers.hubspot.com/scopes"},
        "category": "MISSING_SCOPES",
    },
    "auth_failure",
    "HubSpot status 'error', category MISSING_SCOPES: the app lacks permission",
    request={"method": "GET", "path": "/crm/v3/objects/deals?limit=100"},
    holdout=True,
)
PART.add(
    "b-jira-errors-field-map",
    200,
    {
        "errorMessages": [],
        "errors": {"summary": "You must specify a summary of the issue.", "issuetype": "Specify an issue type"},
    },
    "validation",
    "Jira errorMessages empty but errors{} maps fields to messages: required fields missing, no issue created",
    request={"method": "POST", "path": "/rest/api/3/issue"},
)
PART.add(
    "b-okta-e0000001-login-exists",
    200,
    {
        "errorCode": "E0000001",
        "errorSummary": "Api validation failed: login",
        "errorLink": "E0000001",
        "errorId": "oaeXc4xPq2cR-Km1b7nYtS0Ag",
        "errorCauses": [
            {"errorSummary": "login: An object with this field already exists in the current organization"}
        ],
    },
    "conflict",
    "Okta E0000001 is a validation envelope, but errorCauses says the login already exists: conflict is more specific",
    request={"method": "POST", "path": "/api/v1/users?activate=true"},
    holdout=True,
)
PART.add(
    "b-auth0-invalid-grant",
    200,
    '{"error":"invalid_grant","error_description":"Wrong email or password."}',
    "auth_failure",
    "Auth0 token endpoint error invalid_grant: wrong credentials, no token issued",
    request={"method": "POST", "path": "/oauth/token"},
)
PART.add(
    "b-firebase-fcm-unregistered",
    200,
    {
        "error": {
            "code": 404,
            "message": "Requested entity was not found.",
            "status": "NOT_FOUND",
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}],
        }
    },
    "not_found",
    "FCM v1 error.status NOT_FOUND, errorCode UNREGISTERED: the registration token no longer exists",
    content_type="application/json; charset=UTF-8",
    request={"method": "POST", "path": "/v1/projects/acme-shop/messages:send"},
    holdout=True,
)
PART.add(
    "b-plaid-item-login-required",
    200,
    {
        "display_message": None,
        "documentation_url": "https://plaid.com/docs/errors/item/#item_login_required",
        "error_code": "ITEM_LOGIN_REQUIRED",
        "error_code_reason": None,
        "error_message": "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
        "error_type": "ITEM_ERROR",
        "request_id": "HNTDNrA8F1shFEW",
        "suggested_action": None,
    },
    "auth_failure",
    "Plaid error_type ITEM_ERROR, error_code ITEM_LOGIN_REQUIRED: user login required",
    request={"method": "POST", "path": "/transactions/sync"},
)
PART.add(
    "b-square-errors-generic-decline",
    200,
    {
        "errors": [
            {
                "code": "GENERIC_DECLINE",
                "detail": "Authorization error: 'GENERIC_DECLINE'",
                "category": "PAYMENT_METHOD_ERROR",
            }
        ],
        "payment": {
            "id": "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY",
            "amount_money": {"amount": 4200, "currency": "USD"},
            "status": "FAILED",
            "source_type": "CARD",
            "card_details": {"status": "FAILED", "card": {"card_brand": "VISA", "last_4": "0002"}},
        },
    },
    "payment",
    "Square errors[].category PAYMENT_METHOD_ERROR, GENERIC_DECLINE: the card was declined",
    request={"method": "POST", "path": "/v2/payments"},
)
PART.add(
    "b-klarna-bad-value",
    200,
    {
        "error_code": "BAD_VALUE",
        "error_messages": ["Bad value: order_lines[0].total_amount"],
        "correlation_id": "a8f1b2c3-4d5e-6f70-8192-a3b4c5d6e7f8",
    },
    "validation",
    "Klarna error_code BAD_VALUE with error_messages naming the field",
    request={"method": "POST", "path": "/payments/v1/sessions"},
)

# --------------------------------------------------------------------------------------------
# Non-2xx
# --------------------------------------------------------------------------------------------

PART.add(
    "b-payjp-402-card-declined",
    402,
    {"error": {"code": "card_declined", "message": "Card declined", "status": 402, "type": "card_error"}},
    "payment",
    "PAY.JP 402 card_error card_declined",
    request={"method": "POST", "path": "/v1/charges"},
)
PART.add(
    "b-hubspot-429-secondly-limit",
    429,
    {
        "status": "error",
        "message": "You have reached your secondly limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
        "policyName": "SECONDLY",
        "groupName": "publicapi:private-app:1234567",
    },
    "rate_limit",
    "HubSpot 429 errorType RATE_LIMIT",
    headers={"X-HubSpot-RateLimit-Secondly-Remaining": "0"},
    request={"method": "POST", "path": "/crm/v3/objects/contacts/batch/read"},
    holdout=True,
)
PART.add(
    "b-mollie-422-amount-too-low",
    422,
    {
        "status": 422,
        "title": "Unprocessable Entity",
        "detail": "The amount is lower than the minimum",
        "field": "amount",
        "_links": {"documentation": {"href": "https://docs.mollie.com/overview/handling-errors", "type": "text/html"}},
    },
    "validation",
    "Mollie 422 problem document naming the amount field",
    content_type="application/hal+json",
    request={"method": "POST", "path": "/v2/payments"},
)

# --------------------------------------------------------------------------------------------
# Traps: success codes in the vendor's own way, and data named status/error
# --------------------------------------------------------------------------------------------

PART.add(
    "b-trap-aliyun-sms-code-ok",
    200,
    '{"Message":"OK","RequestId":"2184201F-BFB3-446B-B1F2-C746B7BF0657","Code":"OK","BizId":"197703245997295588^0"}',
    None,
    "Alibaba Cloud SendSms Code 'OK' with a BizId: the SMS was accepted",
    request={"method": "POST", "path": "/?Action=SendSms&PhoneNumbers=13800138000&SignName=Acme"},
    trap=True,
)
PART.add(
    "b-trap-linepay-0000-success",
    200,
    {
        "returnCode": "0000",
        "returnMessage": "Success.",
        "info": {
            "transactionId": 2024061100000012345,
            "paymentAccessToken": "187568751124",
            "paymentUrl": {
                "web": "https://sandbox-web-pay.line.me/web/payment/wait?transactionReserveId=WWw1b2c3",
                "app": "line://pay/payment/WWw1b2c3",
            },
        },
    },
    None,
    "LINE Pay returnCode '0000' is success; a payment URL was issued",
    request={"method": "POST", "path": "/v3/payments/request"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-paytm-resultstatus-s",
    200,
    {
        "head": {
            "responseTimestamp": "1718090000123",
            "version": "v1",
            "signature": "BImTiWx3c0Q0zTeExY8H6xT+TQF/8WxDf4R3vDcMUtw=",
        },
        "body": {
            "resultInfo": {"resultStatus": "S", "resultCode": "0000", "resultMsg": "Success"},
            "txnToken": "fe795335ed3049c78a57271075f2199e1526969112097",
            "isPromoCodeValid": False,
            "authenticated": False,
        },
    },
    None,
    "Paytm initiateTransaction resultStatus S, resultCode 0000: a transaction token was issued",
    request={"method": "POST", "path": "/theia/api/v1/initiateTransaction?mid=ACME00112233&orderId=ORDER_77814"},
    trap=True,
)
PART.add(
    "b-trap-tiktok-v2-error-code-ok",
    200,
    {
        "data": {
            "user": {
                "open_id": "723f24d7-e717-40f8-a2b6-cb8464cd23b4",
                "union_id": "c9c60f44-a68e-4f5d-84dd-ce22faeb0ba1",
                "avatar_url": "https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg",
                "display_name": "Tik Toker",
            }
        },
        "error": {"code": "ok", "message": "", "log_id": "20240611084211A1B2C3D4E5F6A7B8C9D0"},
    },
    None,
    "TikTok API v2 always sends an error object; code 'ok' means success and the user is returned",
    request={"method": "GET", "path": "/v2/user/info/?fields=open_id,union_id,avatar_url,display_name"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-moneris-response-code-027",
    200,
    {
        "response": {
            "success": "true",
            "receipt": {
                "result": "a",
                "cc": {
                    "order_no": "mhp24163-0098",
                    "transaction_no": "660112233-0_11",
                    "transaction_code": "00",
                    "amount": "24.99",
                    "response_code": "027",
                    "iso_response_code": "01",
                    "approval_code": "T63845",
                    "message": "APPROVED           *                    =",
                    "card_type": "V",
                    "first6last4": "4242424242",
                },
            },
        }
    },
    None,
    "Moneris response_code 027 (below 50 = approved) and message APPROVED: nonzero codes meaning success",
    request={"method": "POST", "path": "/chktv2/request/request.php"},
    trap=True,
)
PART.add(
    "b-trap-dns-lookup-noerror",
    200,
    {
        "status": "NOERROR",
        "flags": {"qr": True, "aa": False, "tc": False, "rd": True, "ra": True, "ad": False},
        "question": {"name": "api.example.com.", "type": "A"},
        "answers": [
            {"name": "api.example.com.", "type": "CNAME", "ttl": 300, "data": "edge-lb-7.example.net."},
            {"name": "edge-lb-7.example.net.", "type": "A", "ttl": 60, "data": "93.184.215.14"},
        ],
        "resolver": "1.1.1.1",
        "rtt_ms": 12,
    },
    None,
    "DNS lookup API: status NOERROR is the DNS rcode for a successful answer",
    request={"method": "GET", "path": "/v1/dns/query?name=api.example.com&type=A"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-checkly-check-result-503",
    200,
    {
        "id": "7b1a8e2c-5f0d-4e3a-9c61-2d4b8f0a1e37",
        "name": "Checkout API health",
        "checkId": "d2f4a6b8-1c3e-4a5b-8d7f-0e1a2b3c4d5e",
        "hasFailures": True,
        "hasErrors": False,
        "isDegraded": False,
        "runLocation": "eu-west-1",
        "responseTime": 842,
        "apiCheckResult": {
            "assertions": [
                {"source": "STATUS_CODE", "comparison": "EQUALS", "target": "200", "actual": "503", "passed": False}
            ],
            "response": {
                "status": 503,
                "statusText": "Service Unavailable",
                "body": "upstream connect error or disconnect/reset before headers",
            },
        },
        "startedAt": "2024-06-11T09:10:00.112Z",
        "stoppedAt": "2024-06-11T09:10:00.954Z",
    },
    None,
    "synthetic-monitoring API returning a stored check result: the monitored endpoint's 503 is data",
    request={
        "method": "GET",
        "path": "/v1/check-results/d2f4a6b8-1c3e-4a5b-8d7f-0e1a2b3c4d5e/7b1a8e2c-5f0d-4e3a-9c61-2d4b8f0a1e37",
    },
    trap=True,
)
PART.add(
    "b-trap-datadog-slo-error-budget",
    200,
    {
        "data": {
            "from_ts": 1715500800,
            "to_ts": 1718092800,
            "type": "metric",
            "type_id": 1,
            "overall": {
                "name": "Checkout availability",
                "sli_value": 99.93,
                "span_precision": 2,
                "error_budget_remaining": {"30d": 30.0},
                "errors": None,
            },
            "thresholds": {"30d": {"target": 99.9, "target_display": "99.9", "timeframe": "30d"}},
            "series": {"numerator": {"sum": 2897970.0}, "denominator": {"sum": 2900000.0}},
        },
        "errors": None,
    },
    None,
    "SLO history: error_budget_remaining and errors null are measurements, the query succeeded",
    request={"method": "GET", "path": "/api/v1/slo/b1d3f5a7c9e1/history?from_ts=1715500800&to_ts=1718092800"},
    trap=True,
)
PART.add(
    "b-trap-product-error-margin",
    200,
    {
        "sku": "CAL-150",
        "name": "Digital Caliper 150 mm",
        "price": {"amount": "39.90", "currency": "EUR"},
        "specs": {"range_mm": 150, "resolution_mm": 0.01, "error_margin": "±0.02 mm", "battery": "SR44"},
        "status": "active",
        "stock": 48,
    },
    None,
    "product whose spec has an error_margin: a measurement tolerance, not an error",
    request={"method": "GET", "path": "/api/products/CAL-150"},
    trap=True,
    holdout=True,
)
PART.add(
    "b-trap-deepl-translated-error-text",
    200,
    {
        "translations": [
            {"detected_source_language": "EN", "text": "Fehler 402: Zahlung abgelehnt. Ihre Karte wurde abgelehnt."}
        ]
    },
    None,
    "translation API: the translated text is an error message, the translation succeeded",
    request={"method": "POST", "path": "/v2/translate"},
    trap=True,
)
