"""Fifth round of vendor envelopes (scoring round "e"): numeric, string and vendor codes from API
families not used before -- crypto exchanges (Huobi/HTX ``status``/``err-code``, OKX ``code`` with
per-order ``sCode``/``sMsg``, Bybit ``retCode``/``retMsg``, Kraken ``error[]``, Bithumb ``status``
"5600"/"5900", KuCoin "200000"), Korean, Vietnamese, Indian and African payments and super-apps
(PortOne/iamport ``code``/``message``/``response``, NICEPAY ``resultCode``/``resultMsg``, Toss
Payments, MoMo ``resultCode``, ZaloPay ``return_code``/``sub_return_code``, VNPAY IPN ``RspCode``,
Cashfree Payouts ``status``/``subCode``, Airtel Money ``status.result_code``, Hubtel
``ResponseCode``, MTN MoMo, HyperPay/OPPWA result codes), SMS and telecom (Africa's Talking
``SMSMessageData.Recipients``, Vonage SMS ``messages[].status``, Textlocal, MSG91 ``type``, 2Factor
``Status``/``Details``), ad and social platforms (VK ``error.error_code``, Yandex Direct
``error.error_code``, TikTok Business ``code``/``message``), games (Steam Web API
``response.error``), IoT clouds (Tuya ``success``/``code``/``msg``, EZVIZ string ``code``, eWeLink
``error``), HR and CRM (Zoho People ``response.status``, Zoho CRM ``data[].status`` with a 202) and
shipping (Delhivery ``packages[].status``, 17TRACK ``code: 0`` with every number rejected,
AfterShip ``meta``).  Traps are answers whose code means success or pending in the vendor's own
terms ("0", "200000", ``error: 0``, "0001" pending, OPPWA test-mode success), a GET of a failed
request-to-pay and a partly failed SMS batch; two plain successes and two 4xx complete it.
"""

from tests.semantic_errors.shapes import Part, chunked, dumps, gz, response  # noqa: F401

PART = Part("envelopes")


# --------------------------------------------------------------------------- payment
PART.add(
    "e-huobi-order-place-balance-insufficient",
    200,
    '{"status":"error","err-code":"account-frozen-balance-insufficient-error",'
    '"err-msg":"trade account balance is not enough, left: `0.0005`","data":null}',
    "payment",
    "Huobi/HTX status error, err-code account-frozen-balance-insufficient-error: not enough balance for the order",
    content_type="application/json;charset=utf-8",
    request={"method": "POST", "path": "/v1/order/orders/place"},
    holdout=True,
)
PART.add(
    "e-africastalking-sms-insufficient-balance",
    201,
    {
        "SMSMessageData": {
            "Message": "Sent to 0/1 Total Cost: 0",
            "Recipients": [
                {
                    "cost": "0",
                    "messageId": "None",
                    "number": "+254711082903",
                    "status": "InsufficientBalance",
                    "statusCode": 405,
                }
            ],
        }
    },
    "payment",
    "Africa's Talking send: the only recipient got statusCode 405 InsufficientBalance, Sent to 0/1",
    request={"method": "POST", "path": "/version1/messaging"},
    holdout=True,
)
PART.add(
    "e-okx-order-scode-51008",
    200,
    {
        "code": "1",
        "data": [
            {
                "clOrdId": "b15",
                "ordId": "",
                "sCode": "51008",
                "sMsg": "Order failed. Insufficient USDT balance in account.",
                "tag": "",
                "ts": "1695190491421",
            }
        ],
        "inTime": "1695190491421339",
        "msg": "",
        "outTime": "1695190491423240",
    },
    "payment",
    "OKX code '1' with empty msg; the single order's sMsg says insufficient USDT balance",
    request={"method": "POST", "path": "/api/v5/trade/order"},
    holdout=True,
)
PART.add(
    "e-textlocal-send-insufficient-credits",
    200,
    '{"errors":[{"code":7,"message":"Insufficient credits"}],"status":"failure"}',
    "payment",
    "Textlocal send answered status failure, error 7 Insufficient credits (prepaid balance exhausted)",
    request={"method": "POST", "path": "/send/"},
    holdout=True,
)
PART.add(
    "e-momo-pos-1001-insufficient-funds",
    200,
    {
        "partnerCode": "MOMOIQA420180417",
        "orderId": "POS-20240611-88412",
        "requestId": "POS-20240611-88412",
        "amount": 185000,
        "transId": 3163204577,
        "resultCode": 1001,
        "message": "Transaction failed due to insufficient funds.",
        "responseTime": 1718095512338,
        "paymentOption": "momo",
    },
    "payment",
    "MoMo POS payment: resultCode 1001 (0 is success), the wallet had insufficient funds",
    request={"method": "POST", "path": "/v2/gateway/api/pos"},
    holdout=True,
)

# --------------------------------------------------------------------------- rate_limit
PART.add(
    "e-bybit-retcode-10006",
    200,
    {"retCode": 10006, "retMsg": "Too many visits!", "result": {}, "retExtInfo": {}, "time": 1718096012744},
    "rate_limit",
    "Bybit V5 retCode 10006 'Too many visits!': the per-UID API rate limit was hit",
    headers={
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": "1718096013000",
    },
    request={"method": "POST", "path": "/v5/order/create"},
    holdout=True,
)
PART.add(
    "e-vonage-sms-status-1-throttled",
    200,
    '{\n    "message-count": "1",\n    "messages": [{\n        "to": "447700900000",\n'
    '        "status": "1",\n        "error-text": "Throttled"\n    }]\n}',
    "rate_limit",
    "Vonage SMS: the single message has status '1' / error-text Throttled (sent faster than the account limit)",
    request={"method": "POST", "path": "/sms/json"},
    holdout=True,
)
PART.add(
    "e-vk-error-6-too-many-rps",
    200,
    {
        "error": {
            "error_code": 6,
            "error_msg": "Too many requests per second",
            "request_params": [
                {"key": "method", "value": "users.get"},
                {"key": "oauth", "value": "1"},
                {"key": "v", "value": "5.199"},
                {"key": "user_ids", "value": "durov"},
            ],
        }
    },
    "rate_limit",
    "VK API error object, error_code 6 Too many requests per second, no response member",
    request={"method": "POST", "path": "/method/users.get"},
    holdout=True,
)
PART.add(
    "e-kraken-eapi-rate-limit",
    200,
    '{"error":["EAPI:Rate limit exceeded"]}',
    "rate_limit",
    "Kraken error array holds EAPI:Rate limit exceeded and there is no result",
    request={"method": "POST", "path": "/0/private/AddOrder"},
    holdout=True,
)
PART.add(
    "e-ezviz-10029-too-frequent",
    200,
    {"msg": "接口调用太频繁", "code": "10029"},
    "rate_limit",
    "EZVIZ open platform code '10029' (success is '200'): the API is being called too frequently",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/lapp/device/capture"},
    holdout=True,
)

# --------------------------------------------------------------------------- auth_failure
PART.add(
    "e-tuya-1011-token-invalid",
    200,
    {
        "code": 1011,
        "msg": "token invalid",
        "success": False,
        "t": 1718096331519,
        "tid": "9d1c4e8227e811efa0d4a6b1f0e4a3c2",
    },
    "auth_failure",
    "Tuya OpenAPI success false, code 1011 token invalid",
    request={"method": "GET", "path": "/v1.0/devices/bf3a21c0f7e9d8a6b5xkqz/status"},
    holdout=True,
)
PART.add(
    "e-yandex-direct-53-authorization-error",
    200,
    {
        "error": {
            "request_id": "7153282956716587423",
            "error_code": 53,
            "error_string": "Authorization error",
            "error_detail": "Invalid OAuth token",
        }
    },
    "auth_failure",
    "Yandex Direct API v5 returns its error object with 200: 53 Authorization error, invalid OAuth token",
    content_type="application/json; charset=utf-8",
    headers={"RequestId": "7153282956716587423"},
    request={"method": "POST", "path": "/json/v5/campaigns"},
    holdout=True,
)
PART.add(
    "e-cashfree-payouts-token-not-valid",
    200,
    {"status": "ERROR", "subCode": "403", "message": "Token is not valid"},
    "auth_failure",
    "Cashfree Payouts v1: status ERROR, subCode 403, the bearer token is not valid",
    request={"method": "POST", "path": "/payout/v1/requestTransfer"},
    holdout=True,
)
PART.add(
    "e-steam-authenticateuserticket-invalid",
    200,
    '{"response":{"error":{"errorcode":101,"errordesc":"Invalid ticket"}}}',
    "auth_failure",
    "Steam Web API AuthenticateUserTicket: response.error 101 Invalid ticket, the player is not authenticated",
    request={"method": "GET", "path": "/ISteamUserAuth/AuthenticateUserTicket/v1/?appid=480&ticket=140000006a"},
    holdout=True,
)
PART.add(
    "e-tiktok-business-40105",
    200,
    {
        "code": 40105,
        "message": "Access token is incorrect or has been revoked.",
        "request_id": "202406110812345F1A2B3C4D5E6F708192",
        "data": {},
    },
    "auth_failure",
    "TikTok Business API answers 200 with code 40105 (0 is OK): access token incorrect or revoked",
    request={"method": "GET", "path": "/open_api/v1.3/campaign/get/?advertiser_id=7012345678901234567"},
    holdout=True,
)

# --------------------------------------------------------------------------- not_found
PART.add(
    "e-airtel-enquiry-esb000045",
    200,
    {
        "data": {},
        "status": {
            "code": "200",
            "message": "No Transaction Found With Provided Transaction Id.",
            "result_code": "ESB000045",
            "success": False,
        },
    },
    "not_found",
    "Airtel Money enquiry: status.success false, ESB000045, no transaction with that id (inner code 200 is not success)",
    request={"method": "GET", "path": "/standard/v1/payments/TXN-5523-1907"},
    holdout=True,
)
PART.add(
    "e-vnpay-ipn-rspcode-01",
    200,
    '{"RspCode":"01","Message":"Order not found"}',
    "not_found",
    "Merchant's answer to a VNPAY IPN call: RspCode 01 Order not found (00 means confirmed)",
    request={
        "method": "GET",
        "path": "/payment/vnpay_ipn?vnp_Amount=10000000&vnp_ResponseCode=00&vnp_TxnRef=23554&vnp_SecureHash=3b1f",
    },
    holdout=True,
)
PART.add(
    "e-17track-gettrackinfo-not-registered",
    200,
    {
        "code": 0,
        "data": {
            "accepted": [],
            "rejected": [
                {
                    "number": "RB123456789DE",
                    "error": {
                        "code": -18019902,
                        "message": "The tracking number 'RB123456789DE' does not register, please register first.",
                    },
                }
            ],
        },
    },
    "not_found",
    "17TRACK code 0 but the only number asked for was rejected: not registered, nothing to return",
    request={"method": "POST", "path": "/track/v2.2/gettrackinfo"},
    holdout=True,
)
PART.add(
    "e-ezviz-20002-device-not-exist",
    200,
    {"msg": "设备不存在", "code": "20002"},
    "not_found",
    "EZVIZ code '20002' 设备不存在: the device serial asked for does not exist",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/api/lapp/device/info"},
    holdout=True,
)

# --------------------------------------------------------------------------- conflict
PART.add(
    "e-delhivery-cmu-duplicate-order",
    200,
    {
        "cash_pickups_count": 0,
        "package_count": 1,
        "upload_wbn": "UPL8412635108726348901",
        "replacement_count": 0,
        "rmk": "",
        "pickups_count": 0,
        "packages": [
            {
                "status": "Fail",
                "client": "ACMESURFACE-B2C",
                "sort_code": None,
                "remarks": ["Duplicate order id"],
                "waybill": "",
                "cod_amount": 0.0,
                "payment": "Pre-paid",
                "serviceable": True,
                "refnum": "ORD-100872",
            }
        ],
        "cash_pickups": 0.0,
        "cod_count": 0,
        "success": False,
        "cod_amount": 0.0,
    },
    "conflict",
    "Delhivery manifest: success false, the only package failed with remark Duplicate order id",
    request={"method": "POST", "path": "/api/cmu/create.json"},
    holdout=True,
)
PART.add(
    "e-iamport-cancel-already-cancelled",
    200,
    {"code": 1, "message": "이미 전액취소된 주문입니다.", "response": None},
    "conflict",
    "PortOne/iamport code 1 (0 is success), null response: the order was already fully cancelled",
    request={"method": "POST", "path": "/payments/cancel"},
    holdout=True,
)
PART.add(
    "e-cashfree-payouts-bene-exists",
    200,
    '{"status": "ERROR", "subCode": "409", "message": "Beneficiary Id already exists"}',
    "conflict",
    "Cashfree Payouts addBeneficiary: status ERROR, subCode 409, the beneficiary id already exists",
    request={"method": "POST", "path": "/payout/v1/addBeneficiary"},
    holdout=True,
)
PART.add(
    "e-msg91-otp-already-verified",
    200,
    {"message": "Mobile no. already verified", "type": "error"},
    "conflict",
    "MSG91 OTP verify: type error, this mobile number was already verified (nothing left to verify)",
    request={"method": "GET", "path": "/api/v5/otp/verify?mobile=919812345678&otp=4821"},
    holdout=True,
)
PART.add(
    "e-momo-create-41-duplicated-orderid",
    200,
    {
        "partnerCode": "MOMOIQA420180417",
        "orderId": "ORD-20240611-00031",
        "requestId": "REQ-20240611-90233",
        "amount": 350000,
        "responseTime": 1718097120551,
        "message": "Duplicated orderId.",
        "resultCode": 41,
    },
    "conflict",
    "MoMo create payment: resultCode 41 Duplicated orderId, no payUrl returned",
    request={"method": "POST", "path": "/v2/gateway/api/create"},
    holdout=True,
)

# --------------------------------------------------------------------------- validation
PART.add(
    "e-zohocrm-insert-202-mandatory-not-found",
    202,
    {
        "data": [
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {"api_name": "Last_Name", "json_path": "$.data[0].Last_Name"},
                "message": "required field not found",
                "status": "error",
            }
        ]
    },
    "validation",
    "Zoho CRM insert answered 202 but its only record has status error MANDATORY_NOT_FOUND (Last_Name)",
    request={"method": "POST", "path": "/crm/v2/Leads"},
    holdout=True,
)
PART.add(
    "e-bithumb-5600-min-quantity",
    200,
    {"status": "5600", "message": "최소 구매수량은 0.1ETC 입니다."},
    "validation",
    "Bithumb status 5600 (0000 is success); the message says the minimum purchase quantity is 0.1 ETC",
    request={"method": "POST", "path": "/trade/place"},
    holdout=True,
)
PART.add(
    "e-2factor-invalid-phone-length",
    200,
    {"Status": "Error", "Details": "Invalid Phone Number - Length Mismatch(Expected: 10)"},
    "validation",
    "2Factor.in Status Error: the phone number has the wrong length",
    request={"method": "GET", "path": "/API/V1/6f1a0c2e-xxxx/SMS/98765432/AUTOGEN"},
    holdout=True,
)
PART.add(
    "e-zalopay-create-401-invalid-data",
    200,
    {
        "return_code": 2,
        "return_message": "Giao dịch thất bại",
        "sub_return_code": -401,
        "sub_return_message": "Dữ liệu yêu cầu không hợp lệ",
    },
    "validation",
    "ZaloPay return_code 2 (1 is success), sub_return_code -401: the request data is invalid",
    request={"method": "POST", "path": "/v2/create"},
    holdout=True,
)
PART.add(
    "e-vk-error-100-param-invalid",
    200,
    {
        "error": {
            "error_code": 100,
            "error_msg": "One of the parameters specified was missing or invalid: owner_id not integer",
            "request_params": [
                {"key": "method", "value": "wall.get"},
                {"key": "oauth", "value": "1"},
                {"key": "v", "value": "5.199"},
                {"key": "owner_id", "value": "club_acme"},
            ],
        }
    },
    "validation",
    "VK error_code 100: a parameter is missing or invalid (owner_id not integer)",
    request={"method": "POST", "path": "/method/wall.get"},
    holdout=True,
)

# --------------------------------------------------------------------------- generic_business_error
PART.add(
    "e-tuya-2001-device-offline",
    200,
    {
        "code": 2001,
        "msg": "device is offline",
        "success": False,
        "t": 1718097402215,
        "tid": "4b7e09a327ea11ef9c2d2e1f3a5b6c7d",
    },
    "generic_business_error",
    "Tuya command not delivered: success false, code 2001 device is offline",
    request={"method": "POST", "path": "/v1.0/iot-03/devices/bf3a21c0f7e9d8a6b5xkqz/commands"},
    holdout=True,
)
PART.add(
    "e-zohopeople-insert-7400",
    200,
    {
        "response": {
            "message": "Error occurred",
            "uri": "/api/forms/json/employee/insertRecord",
            "errors": {"code": 7400, "message": "Internal Server Error Occured"},
            "status": 1,
        }
    },
    "generic_business_error",
    "Zoho People response.status 1 (0 is success), Error occurred / Internal Server Error Occured, sent with 200",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/people/api/forms/json/employee/insertRecord"},
    holdout=True,
)
PART.add(
    "e-kraken-egeneral-internal-error",
    200,
    {"error": ["EGeneral:Internal error"]},
    "generic_business_error",
    "Kraken error array EGeneral:Internal error with no result: the balance query did not run",
    request={"method": "POST", "path": "/0/private/Balance"},
    holdout=True,
)
PART.add(
    "e-bithumb-5900-unknown-error",
    200,
    '{"status":"5900","message":"Unknown Error"}',
    "generic_business_error",
    "Bithumb status 5900 Unknown Error (0000 is success)",
    request={"method": "POST", "path": "/trade/market_buy"},
    holdout=True,
)

# --------------------------------------------------------------------------- traps (2xx, not failures)
PART.add(
    "e-bybit-retcode-0-order-created",
    200,
    {
        "retCode": 0,
        "retMsg": "OK",
        "result": {"orderId": "1321003749386327552", "orderLinkId": "spot-test-postonly"},
        "retExtInfo": {},
        "time": 1672211918471,
    },
    None,
    "Bybit retCode 0 / retMsg OK with an orderId: the order was created",
    request={"method": "POST", "path": "/v5/order/create"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-vonage-sms-status-0",
    200,
    {
        "message-count": "1",
        "messages": [
            {
                "to": "447700900000",
                "message-id": "0C000000217B7F02",
                "status": "0",
                "remaining-balance": "15.53590000",
                "message-price": "0.03330000",
                "network": "23410",
            }
        ],
    },
    None,
    "Vonage SMS status '0' means accepted for delivery; a message-id and the remaining balance are given",
    request={"method": "POST", "path": "/sms/json"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-kucoin-code-200000",
    200,
    '{"code":"200000","data":{"orderId":"5bd6e9286d99522a52e458de"}}',
    None,
    "KuCoin success code is '200000' (not an error number); the order id is returned",
    request={"method": "POST", "path": "/api/v1/orders"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-ewelink-v2-error-0",
    200,
    {"error": 0, "msg": "", "data": {}},
    None,
    "eWeLink v2 envelope: a member named error equal to 0 with an empty msg is the success answer to a switch command",
    request={"method": "POST", "path": "/v2/device/thing/status"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-hubtel-0001-pending",
    200,
    {
        "Message": "Transaction pending. Expect callback request for final state",
        "ResponseCode": "0001",
        "Data": {
            "TransactionId": "09f84e20a283942e807128e8c21d08d6",
            "Description": "Union Dues",
            "ClientReference": "3jL2KlUy3vt21",
            "Amount": 0.8,
            "Charges": 0.05,
            "AmountAfterCharges": 0.8,
            "AmountCharged": 0.85,
            "DeliveryFee": 0.0,
        },
    },
    None,
    "Hubtel Receive Money: ResponseCode 0001 is the documented accepted/pending answer, final state by callback",
    request={"method": "POST", "path": "/merchantaccount/merchants/2017865/receive/mobilemoney"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-mtn-momo-get-requesttopay-failed",
    200,
    {
        "financialTransactionId": "",
        "externalId": "947354",
        "amount": "100",
        "currency": "EUR",
        "payer": {"partyIdType": "MSISDN", "partyId": "46733123450"},
        "payerMessage": "Payment for order 947354",
        "payeeNote": "Thanks",
        "status": "FAILED",
        "reason": "PAYER_NOT_FOUND",
    },
    None,
    "GET of an MTN MoMo request-to-pay status: the read succeeded, it reports an earlier payment that FAILED (subtle)",
    request={"method": "GET", "path": "/collection/v1_0/requesttopay/3f1c2b0e-8a2d-4c55-9e0e-7d6b1c2a9f10"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-hyperpay-000-100-110-test-mode",
    200,
    {
        "id": "8ac7a4a1903b5f2f01903d8b6b1a3c55",
        "paymentType": "DB",
        "paymentBrand": "VISA",
        "amount": "92.00",
        "currency": "SAR",
        "descriptor": "4287.5432.1234 OPP_Channel",
        "result": {
            "code": "000.100.110",
            "description": "Request successfully processed in 'Merchant in Integrator Test Mode'",
        },
        "card": {
            "bin": "420000",
            "last4Digits": "0000",
            "holder": "Jane Jones",
            "expiryMonth": "05",
            "expiryYear": "2034",
        },
        "buildNumber": "b4c6e2b4a7d1e3f2@2024-06-10 08:14:03 +0000",
        "timestamp": "2024-06-11 09:31:22+0000",
        "ndc": "8a8294174b7ecb28014b9699220015ca_5d3d8c7e1c3e4e2b",
    },
    None,
    "HyperPay/OPPWA result 000.100.110 is a success code (processed in test mode), not a decline",
    request={"method": "POST", "path": "/v1/payments"},
    trap=True,
    holdout=True,
)
PART.add(
    "e-africastalking-sms-partial",
    201,
    {
        "SMSMessageData": {
            "Message": "Sent to 1/2 Total Cost: KES 0.8000",
            "Recipients": [
                {
                    "cost": "KES 0.8000",
                    "messageId": "ATXid_3f0b9c1e8d4a7b2c6e5f",
                    "number": "+254711082903",
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
    "Africa's Talking batch sent to 1/2: one recipient rejected, one sent; a partial batch is not a call failure",
    request={"method": "POST", "path": "/version1/messaging"},
    trap=True,
    holdout=True,
)

# --------------------------------------------------------------------------- plain successes
PART.add(
    "e-vnpay-ipn-rspcode-00",
    200,
    '{"RspCode":"00","Message":"Confirm Success"}',
    None,
    "Merchant's answer to a VNPAY IPN: RspCode 00 Confirm Success",
    request={
        "method": "GET",
        "path": "/payment/vnpay_ipn?vnp_Amount=10000000&vnp_ResponseCode=00&vnp_TxnRef=23555&vnp_SecureHash=9ac2",
    },
    holdout=True,
)
PART.add(
    "e-nicepay-approve-0000",
    200,
    {
        "resultCode": "0000",
        "resultMsg": "정상 처리되었습니다.",
        "tid": "UT0000113m01012406111012345678",
        "orderId": "ORD-2024-061142",
        "ediDate": "2024-06-11T10:12:33.000+0900",
        "status": "paid",
        "paidAt": "2024-06-11T10:12:33.000+0900",
        "amount": 1004,
        "balanceAmt": 1004,
        "goodsName": "나이스페이-상품",
        "payMethod": "card",
        "currency": "KRW",
        "card": {
            "cardCode": "04",
            "cardName": "삼성",
            "cardNum": "536112******1234",
            "cardQuota": 0,
            "acquCardName": "삼성",
        },
    },
    None,
    "NICEPAY approval: resultCode 0000 정상 처리되었습니다, status paid",
    request={"method": "POST", "path": "/v1/payments/UT0000113m01012406111012345678"},
    holdout=True,
)

# --------------------------------------------------------------------------- 4xx
PART.add(
    "e-toss-403-reject-card-payment",
    403,
    {"code": "REJECT_CARD_PAYMENT", "message": "한도초과 혹은 잔액부족으로 결제에 실패했습니다."},
    "payment",
    "Toss Payments confirm answered 403, but the body says the card was rejected for limit/insufficient balance",
    request={"method": "POST", "path": "/v1/payments/confirm"},
    holdout=True,
)
PART.add(
    "e-aftership-400-tracking-exists",
    400,
    {
        "meta": {"code": 4003, "message": "Tracking already exists.", "type": "BadRequest"},
        "data": {"tracking": {"slug": "dhl", "tracking_number": "1234567890"}},
    },
    "conflict",
    "AfterShip 400 whose meta 4003 says the tracking already exists: a conflict, more specific than 400",
    request={"method": "POST", "path": "/v4/trackings"},
    holdout=True,
)
