"""Markup and other non-JSON bodies: SOAP 1.1/1.2 faults (soap:, SOAP-ENV:, env:, s: prefixes)
and SOAP replies that report a failure in their own vocabulary (CyberSource decision, NetSuite
status), XML-RPC faults, XML error documents (S3 ``<Error>`` served with 200, AWS
``<ErrorResponse>``, eBay ``<Ack>``, WeChat Pay ``result_code``, ``<result code>``,
``<errors><error>``), HTML error, WAF and login pages (also in German and Japanese), plain-text
replies (``ERROR:``, ``FAIL``, ``NG``, ``-ERR``, ``status=error``, ``OK``), form-encoded OAuth
token replies and name-value payment replies (PayPal NVP, Authorize.net AIM).  The traps are
documents that talk about errors (docs, blog, feeds, status pages, log and CSV downloads) and
successes that carry empty error containers or warnings.
"""

from tests.semantic_errors.shapes import Part, chunked, response

PART = Part("markup")

XML = "text/xml; charset=utf-8"
SOAP12 = "application/soap+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
JSON_CALL = {"Accept": "application/json"}

# --------------------------------------------------------------------------------------------
# SOAP 1.1 / 1.2
# --------------------------------------------------------------------------------------------

PART.add(
    "soap11-fault-session-expired",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
    "  <soap:Body>\n"
    "    <soap:Fault>\n"
    "      <faultcode>soap:Client</faultcode>\n"
    "      <faultstring>Session token has expired. Call Login to obtain a new token.</faultstring>\n"
    "      <detail><ErrorNumber>4011</ErrorNumber></detail>\n"
    "    </soap:Fault>\n"
    "  </soap:Body>\n"
    "</soap:Envelope>",
    "auth_failure",
    "SOAP 1.1 Fault with 200; faultstring says the session token expired",
    content_type=XML,
    headers={"SOAPAction": '"http://tempuri.org/GetInvoices"'},
    request={"method": "POST", "path": "/Services/Billing.asmx"},
)

PART.add(
    "soap11-fault-client-schema-detail",
    200,
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
    "<SOAP-ENV:Header/><SOAP-ENV:Body><SOAP-ENV:Fault>"
    "<faultcode>SOAP-ENV:Client</faultcode>"
    "<faultstring xml:lang=\"en\">Validation error: cvc-datatype-valid.1.2.1: '12,5' is not a valid value for 'decimal'.</faultstring>"
    '<detail><ns2:ValidationFault xmlns:ns2="http://shipping.example.com/ws/v3">'
    "<ns2:errorCode>WS-1102</ns2:errorCode><ns2:field>Parcel/Weight</ns2:field>"
    "</ns2:ValidationFault></detail>"
    "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "validation",
    "SOAP-ENV: prefix Client fault; schema validation of a field failed, vendor code in detail",
    content_type="text/xml;charset=UTF-8",
    holdout=True,
)

PART.add(
    "soap12-fault-sender-not-found",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:crm="urn:example:crm:2019">\n'
    " <env:Body>\n"
    "  <env:Fault>\n"
    "   <env:Code>\n"
    "     <env:Value>env:Sender</env:Value>\n"
    "     <env:Subcode><env:Value>crm:CustomerNotFound</env:Value></env:Subcode>\n"
    "   </env:Code>\n"
    "   <env:Reason>\n"
    '     <env:Text xml:lang="en">No customer exists with id 88231</env:Text>\n'
    '     <env:Text xml:lang="de">Kein Kunde mit der ID 88231 vorhanden</env:Text>\n'
    "   </env:Reason>\n"
    "   <env:Detail><crm:ErrorCode>CRM-404-01</crm:ErrorCode></env:Detail>\n"
    "  </env:Fault>\n"
    " </env:Body>\n"
    "</env:Envelope>\n",
    "not_found",
    "SOAP 1.2 Fault (Code/Value Sender, Reason/Text): the customer does not exist",
    content_type=SOAP12,
)

PART.add(
    "soap12-wcf-internal-service-fault",
    200,
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">'
    '<s:Header><a:Action s:mustUnderstand="1">http://www.w3.org/2005/08/addressing/soap/fault</a:Action>'
    "<a:RelatesTo>urn:uuid:3f1c2a9e-5b77-4d0e-9c1a-2b8f0e7d6a11</a:RelatesTo></s:Header>"
    "<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode>"
    '<s:Value xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">a:InternalServiceFault</s:Value>'
    '</s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The server was unable to process the request due to an internal error.  '
    "For more information about the error, either turn on IncludeExceptionDetailInFaults (either from ServiceBehaviorAttribute "
    "or from the &lt;serviceDebug&gt; configuration behavior) on the server in order to send the exception information back to the client."
    "</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>",
    "generic_business_error",
    "WCF SOAP 1.2 Receiver/InternalServiceFault delivered with 200: the call failed, no more specific type",
    content_type=SOAP12,
    holdout=True,
)

PART.add(
    "adwords-soap-rate-exceeded",
    200,
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
    '<soap:Header><ResponseHeader xmlns="https://adwords.google.com/api/adwords/cm/v201809">'
    "<requestId>0005a1b2c3d4e5f60a1b2c3d4e5f6a7b</requestId><serviceName>CampaignService</serviceName>"
    "<methodName>mutate</methodName><operations>0</operations><responseTime>211</responseTime>"
    "</ResponseHeader></soap:Header>\n"
    "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
    "<faultstring>[RateExceededError &lt;rateName=RATE_LIMIT, rateKey=null, rateScope=ACCOUNT, retryAfterSeconds=30&gt;]</faultstring>"
    '<detail><ApiExceptionFault xmlns="https://adwords.google.com/api/adwords/cm/v201809">'
    "<message>[RateExceededError &lt;rateName=RATE_LIMIT, rateKey=null, rateScope=ACCOUNT, retryAfterSeconds=30&gt;]</message>"
    "<ApplicationException.Type>ApiException</ApplicationException.Type>"
    '<errors xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="RateExceededError">'
    "<fieldPath/><trigger/><errorString>RateExceededError.RATE_LIMIT</errorString>"
    "<ApiError.Type>RateExceededError</ApiError.Type><reason>RATE_LIMIT</reason>"
    "<rateName>RATE_LIMIT</rateName><rateScope>ACCOUNT</rateScope><retryAfterSeconds>30</retryAfterSeconds>"
    "</errors></ApiExceptionFault></detail></soap:Fault></soap:Body>\n</soap:Envelope>",
    "rate_limit",
    "SOAP fault whose detail is a RateExceededError with retryAfterSeconds",
    content_type=XML,
)

PART.add(
    "netsuite-soap-status-dup-entity",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    '<soapenv:Header><platformMsgs:documentInfo xmlns:platformMsgs="urn:messages_2019_2.platform.webservices.netsuite.com">'
    "<platformMsgs:nsId>WEBSERVICES_4711_0312202413051234567890_a1b2c3</platformMsgs:nsId>"
    "</platformMsgs:documentInfo></soapenv:Header>\n"
    '<soapenv:Body><addResponse xmlns="urn:messages_2019_2.platform.webservices.netsuite.com">'
    '<writeResponse><platformCore:status xmlns:platformCore="urn:core_2019_2.platform.webservices.netsuite.com" isSuccess="false">'
    '<platformCore:statusDetail type="ERROR"><platformCore:code>DUP_ENTITY</platformCore:code>'
    "<platformCore:message>This entity already exists.</platformCore:message></platformCore:statusDetail>"
    "</platformCore:status></writeResponse></addResponse></soapenv:Body></soapenv:Envelope>",
    "conflict",
    "NetSuite add: status isSuccess=false, DUP_ENTITY 'This entity already exists.' (no Fault element)",
    content_type=XML,
)

PART.add(
    "cybersource-soap-decision-reject",
    200,
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
    '<wsu:Timestamp xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="Timestamp-1938">'
    "<wsu:Created>2024-05-02T14:22:09.311Z</wsu:Created></wsu:Timestamp></wsse:Security></soap:Header>"
    '<soap:Body><c:replyMessage xmlns:c="urn:schemas-cybersource-com:transaction-data-1.211">'
    "<c:merchantReferenceCode>ORD-20931</c:merchantReferenceCode>"
    "<c:requestID>7146598293516784903011</c:requestID>"
    "<c:decision>REJECT</c:decision><c:reasonCode>204</c:reasonCode>"
    "<c:requestToken>Axj/7wSTaZ1x2Kp3pTqkMBQoVqRn</c:requestToken>"
    "<c:purchaseTotals><c:currency>USD</c:currency></c:purchaseTotals>"
    "<c:ccAuthReply><c:reasonCode>204</c:reasonCode><c:amount>149.00</c:amount>"
    "<c:processorResponse>51</c:processorResponse></c:ccAuthReply>"
    "</c:replyMessage></soap:Body></soap:Envelope>",
    "payment",
    "CyberSource ccAuth reply: decision REJECT, reasonCode 204 (insufficient funds), processor 51",
    content_type=XML,
)

PART.add(
    "soap11-fault-http500-null-reference",
    500,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
    "<faultstring>Server was unable to process request. ---&gt; Object reference not set to an instance of an object.</faultstring>"
    "<detail /></soap:Fault></soap:Body></soap:Envelope>",
    "server_error",
    "classic ASMX Server fault with HTTP 500",
    content_type=XML,
)

PART.add(
    "soap-submit-success-errorcount-zero",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">\n'
    "  <S:Body>\n"
    '    <ns2:SubmitOrdersResponse xmlns:ns2="http://orders.example.net/ws/2021">\n'
    "      <BatchId>B-2024-05-0117</BatchId>\n"
    "      <AcceptedCount>12</AcceptedCount>\n"
    "      <ErrorCount>0</ErrorCount>\n"
    "      <WarningCount>0</WarningCount>\n"
    "      <Errors/>\n"
    "      <Status>Processed</Status>\n"
    "    </ns2:SubmitOrdersResponse>\n"
    "  </S:Body>\n"
    "</S:Envelope>\n",
    None,
    "SOAP success: ErrorCount 0 and an empty <Errors/> element mean no error",
    content_type=XML,
    trap=True,
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# XML-RPC
# --------------------------------------------------------------------------------------------

PART.add(
    "xmlrpc-wordpress-incorrect-login",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<methodResponse>\n"
    "  <fault>\n"
    "    <value>\n"
    "      <struct>\n"
    "        <member>\n"
    "          <name>faultCode</name>\n"
    "          <value><int>403</int></value>\n"
    "        </member>\n"
    "        <member>\n"
    "          <name>faultString</name>\n"
    "          <value><string>Incorrect username or password.</string></value>\n"
    "        </member>\n"
    "      </struct>\n"
    "    </value>\n"
    "  </fault>\n"
    "</methodResponse>\n",
    "auth_failure",
    "XML-RPC fault 403 from wp.getPosts: wrong credentials",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/xmlrpc.php"},
)

PART.add(
    "xmlrpc-invalid-method-params",
    200,
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n"
    "<member>\n<name>faultCode</name>\n<value><int>-32602</int></value>\n</member>\n"
    "<member>\n<name>faultString</name>\n<value><string>server error. invalid method parameters: "
    "create_ticket() missing 1 required positional argument: 'summary'</string></value>\n</member>\n"
    "</struct></value>\n</fault>\n</methodResponse>\n",
    "validation",
    "XML-RPC spec fault -32602 invalid method parameters (missing argument)",
    content_type="text/xml",
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# XML error documents
# --------------------------------------------------------------------------------------------

PART.add(
    "s3-complete-multipart-200-internal-error",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>"
    "<RequestId>8XQ4V2T1NQ9A7K3M</RequestId>"
    "<HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>",
    "generic_business_error",
    "S3 CompleteMultipartUpload answers 200 then an <Error> body: the upload was not completed",
    content_type="application/xml",
    headers={"x-amz-request-id": "8XQ4V2T1NQ9A7K3M", "Server": "AmazonS3"},
    request={
        "method": "POST",
        "path": "/backups/db-2024-05-02.tar.gz?uploadId=VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
    },
)

PART.add(
    "s3-access-denied-403",
    403,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
    "<RequestId>Q1V9KXH2D3B7E0FA</RequestId><HostId>mT0b4fRq3Jc7xK1eA9s6yZ2uV8pL5nW4=</HostId></Error>",
    "auth_failure",
    "S3 AccessDenied with 403",
    content_type="application/xml",
)

PART.add(
    "aws-query-errorresponse-throttling-400",
    400,
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n'
    "  <Error>\n    <Type>Sender</Type>\n    <Code>Throttling</Code>\n    <Message>Rate exceeded</Message>\n  </Error>\n"
    "  <RequestId>6f2a1b0c-33de-4c71-9b8e-0d5e4a7f2c19</RequestId>\n</ErrorResponse>\n",
    "rate_limit",
    "AWS Query API ErrorResponse, 400 but the code is Throttling (more specific than validation)",
    content_type="text/xml",
    holdout=True,
)

PART.add(
    "response-status-error-date-range",
    200,
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<response>\n\t<status>error</status>\n'
    "\t<code>E_PARAM</code>\n\t<message>Invalid date range: 'from' (2024-06-30) must be before 'to' (2024-06-01)</message>\n"
    "\t<data/>\n</response>\n",
    "validation",
    "generic <response><status>error</status>: invalid parameter values",
    content_type="application/xml",
)

PART.add(
    "result-code-1-sms-no-credit",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<result code="1"><message>Message not sent: insufficient credit on account (balance 0.04 EUR)</message>'
    "<recipients>+34600111222</recipients></result>",
    "payment",
    'SMS gateway <result code="1">: not sent for lack of account balance',
    content_type="application/xml",
    request={"method": "POST", "path": "/api/sms/send"},
    holdout=True,
)

PART.add(
    "result-code-0-sms-sent",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<result code="0"><message>OK</message><messageId>a81f0c72-44e1</messageId>'
    '<parts>1</parts><cost currency="EUR">0.065</cost></result>',
    None,
    'same gateway, <result code="0"> with a message id: sent',
    content_type="application/xml",
    request={"method": "POST", "path": "/api/sms/send"},
)

PART.add(
    "recurly-errors-taken-422",
    422,
    '<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n'
    '  <error field="account.account_code" symbol="taken" lang="en-US">has already been taken</error>\n'
    "</errors>\n",
    "conflict",
    "Recurly v2 <errors><error symbol=taken>: account code already exists (more specific than 422)",
    content_type="application/xml; charset=utf-8",
)

PART.add(
    "ebay-trading-ack-failure-invalid-token",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<GetMyeBaySellingResponse xmlns="urn:ebay:apis:eBLBaseComponents">'
    "<Timestamp>2024-03-12T09:41:07.512Z</Timestamp><Ack>Failure</Ack>"
    "<Errors><ShortMessage>Auth token is invalid.</ShortMessage>"
    "<LongMessage>Validation of the authentication token in API request failed.</LongMessage>"
    "<ErrorCode>931</ErrorCode><SeverityCode>Error</SeverityCode>"
    "<ErrorClassification>RequestError</ErrorClassification></Errors>"
    "<Version>1271</Version><Build>E1271_CORE_API_6851878_R1</Build></GetMyeBaySellingResponse>",
    "auth_failure",
    "eBay Trading <Ack>Failure</Ack>, error 931 auth token invalid",
    content_type="text/xml;charset=utf-8",
)

PART.add(
    "ebay-trading-ack-failure-duplicate-listing",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<AddFixedPriceItemResponse xmlns="urn:ebay:apis:eBLBaseComponents">\n'
    "  <Timestamp>2024-04-18T17:03:55.201Z</Timestamp>\n"
    "  <Ack>Failure</Ack>\n"
    "  <Errors>\n"
    "    <ShortMessage>Listing violates the Duplicate Listing policy.</ShortMessage>\n"
    "    <LongMessage>It looks like this listing is for an item you already have on eBay. "
    "We don&apos;t allow sellers to have identical items listed at the same time.</LongMessage>\n"
    "    <ErrorCode>21919067</ErrorCode>\n"
    "    <SeverityCode>Error</SeverityCode>\n"
    '    <ErrorParameters ParamID="1"><Value>266123456789</Value></ErrorParameters>\n'
    "    <ErrorClassification>RequestError</ErrorClassification>\n"
    "  </Errors>\n"
    "  <Version>1331</Version>\n"
    "</AddFixedPriceItemResponse>\n",
    "conflict",
    "eBay Ack Failure: duplicate of an item already listed",
    content_type="text/xml",
    holdout=True,
)

PART.add(
    "ebay-trading-ack-warning-revised",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ReviseFixedPriceItemResponse xmlns="urn:ebay:apis:eBLBaseComponents">'
    "<Timestamp>2024-04-18T17:10:02.877Z</Timestamp><Ack>Warning</Ack>"
    "<Errors><ShortMessage>Item specifics recommended.</ShortMessage>"
    "<LongMessage>Adding the recommended item specifics (Brand, MPN) may help buyers find your item.</LongMessage>"
    "<ErrorCode>21919303</ErrorCode><SeverityCode>Warning</SeverityCode>"
    "<ErrorClassification>RequestError</ErrorClassification></Errors>"
    "<Version>1331</Version><ItemID>266123456789</ItemID>"
    "<StartTime>2024-04-11T08:00:00.000Z</StartTime><EndTime>2024-05-11T08:00:00.000Z</EndTime>"
    '<Fees><Fee><Name>InsertionFee</Name><Fee currencyID="USD">0.0</Fee></Fee></Fees>'
    "</ReviseFixedPriceItemResponse>",
    None,
    "eBay <Ack>Warning</Ack>: item revised, the <Errors> entry is only a Warning",
    content_type="text/xml",
    trap=True,
)

PART.add(
    "wechatpay-v2-result-code-fail-notenough",
    200,
    "<xml><return_code><![CDATA[SUCCESS]]></return_code>\n"
    "<return_msg><![CDATA[OK]]></return_msg>\n"
    "<appid><![CDATA[wx2421b1c4370ec43b]]></appid>\n"
    "<mch_id><![CDATA[10000100]]></mch_id>\n"
    "<nonce_str><![CDATA[IITRi8Iabbblz1Jc]]></nonce_str>\n"
    "<sign><![CDATA[7921E432F65EB8ED0CE9755F0E86D72F]]></sign>\n"
    "<result_code><![CDATA[FAIL]]></result_code>\n"
    "<err_code><![CDATA[NOTENOUGH]]></err_code>\n"
    "<err_code_des><![CDATA[余额不足]]></err_code_des>\n"
    "</xml>",
    "payment",
    "WeChat Pay v2 micropay: return_code SUCCESS (transport) but result_code FAIL NOTENOUGH (balance)",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/pay/micropay"},
    holdout=True,
)

PART.add(
    "rss-feed-build-items-failed",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
    "  <title>ci.example.dev: nightly builds</title>\n  <link>https://ci.example.dev/nightly</link>\n"
    "  <description>Build results of the nightly pipeline</description>\n"
    "  <item><title>Build #4812 failed (tests: 3 errors)</title><link>https://ci.example.dev/b/4812</link>"
    "<pubDate>Thu, 02 May 2024 03:12:44 GMT</pubDate><guid>b-4812</guid></item>\n"
    "  <item><title>Build #4811 passed</title><link>https://ci.example.dev/b/4811</link>"
    "<pubDate>Wed, 01 May 2024 03:10:02 GMT</pubDate><guid>b-4811</guid></item>\n"
    "  <item><title>Build #4810 failed: deploy error, timeout</title><link>https://ci.example.dev/b/4810</link>"
    "<pubDate>Tue, 30 Apr 2024 03:15:31 GMT</pubDate><guid>b-4810</guid></item>\n"
    "</channel>\n</rss>\n",
    None,
    "an RSS feed whose items report failed builds: the feed was served, the failures are data",
    content_type="application/rss+xml; charset=utf-8",
    request={"method": "GET", "path": "/nightly/feed.xml"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# HTML pages served instead of an API answer
# --------------------------------------------------------------------------------------------

PART.add(
    "html-500-internal-server-error-200",
    200,
    "<!DOCTYPE html>\n<html>\n<head><title>500 Internal Server Error</title></head>\n"
    "<body>\n<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n",
    "generic_business_error",
    "an HTML 500 page served with status 200 to an API call",
    content_type="text/html",
    request={"method": "POST", "path": "/api/v1/orders", "headers": JSON_CALL},
)

PART.add(
    "html-something-went-wrong-200",
    200,
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
    '<title>Something went wrong | Acme Portal</title><link rel="stylesheet" href="/static/css/main.4b1e9c.css"></head>'
    '<body class="error-page"><main><img src="/static/img/broken-robot.svg" alt="">'
    "<h1>Something went wrong</h1><p>We're sorry, an unexpected error occurred while processing your request. "
    'Our team has been notified.</p><p class="ref">Error reference: 9c2e-77a1-f03b</p>'
    '<a class="btn" href="/">Back to home</a></main></body></html>',
    "generic_business_error",
    "HTML 'Something went wrong' page with an error reference instead of the API's JSON",
    content_type=HTML,
    request={"method": "GET", "path": "/api/reports/monthly?year=2024", "headers": JSON_CALL},
    holdout=True,
)

_svc = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>503 Service Unavailable</title>\n</head><body>\n'
    b"<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\n"
    b"problems. Please try again later.</p>\n<hr>\n<address>Apache/2.4.57 (Debian) Server at api.example.com Port 443</address>\n</body></html>\n"
)
PART.add_raw(
    "apache-service-unavailable-503-chunked",
    response(
        "503 Service Unavailable",
        [("Content-Type", "text/html; charset=iso-8859-1"), ("Transfer-Encoding", "chunked")],
        chunked(_svc, [64, 100]),
    ),
    "server_error",
    "Apache 503 page, chunked framing",
)

PART.add(
    "html-access-denied-200",
    200,
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Access denied</title>\n</head>\n<body>\n'
    '<div class="container">\n<h1>Access denied</h1>\n'
    "<p>You do not have permission to access this resource. If you believe this is a mistake, contact your administrator.</p>\n"
    "</div>\n</body>\n</html>\n",
    "auth_failure",
    "HTML 'Access denied' page with 200 for an API call",
    content_type=HTML,
    request={"method": "DELETE", "path": "/api/projects/318/members/77", "headers": JSON_CALL},
)

PART.add(
    "html-soft-404-page-not-found",
    200,
    '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Page not found - ShopCo</title>'
    '<meta name="robots" content="noindex"></head><body><header><a href="/">ShopCo</a></header>'
    '<section class="notfound"><h1>Oops! Page not found</h1>'
    "<p>The page you are looking for might have been removed, had its name changed or is temporarily unavailable.</p>"
    "</section></body></html>",
    "not_found",
    "soft 404: 'Page not found' HTML with 200 answering a JSON API request for a product",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/v2/products/48213", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "php-fatal-error-200",
    200,
    "<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in "
    "/var/www/html/app/Db.php:31\nStack trace:\n#0 /var/www/html/app/Db.php(31): PDO-&gt;__construct('mysql:host=db;d...', 'app', Object(SensitiveParameterValue))\n"
    "#1 /var/www/html/api/orders.php(12): Db::connect()\n#2 {main}\n  thrown in <b>/var/www/html/app/Db.php</b> on line <b>31</b><br />\n",
    "generic_business_error",
    "PHP 'Fatal error: Uncaught PDOException' printed into a 200 response",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/orders.php?id=5521", "headers": JSON_CALL},
)

PART.add(
    "django-debug-page-500",
    500,
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n'
    '  <meta name="robots" content="NONE,NOARCHIVE">\n  <title>OperationalError\n          at /api/invoices/\n</title>\n'
    '  <style type="text/css">\n    html * { padding:0; margin:0; }\n  </style>\n</head>\n<body>\n'
    '<div id="summary">\n  <h1>OperationalError\n       at /api/invoices/</h1>\n'
    '  <pre class="exception_value">could not connect to server: Connection refused</pre>\n',
    "server_error",
    "Django DEBUG technical 500 page",
    content_type="text/html; charset=utf-8",
)

PART.add(
    "incapsula-request-blocked-200",
    200,
    '<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW">'
    '<meta name="format-detection" content="telephone=no"><meta name="viewport" content="initial-scale=1.0">'
    '<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1"></head><body style="margin:0px;height:100%">'
    '<iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=27&xinfo=9-73718340-0%200NNN%20RT%281714650000000%20121%29&incident_id=245000850119483101-318592031845679561&edet=12&cinfo=04000000&rpinfo=0&mth=POST" '
    'frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">'
    "Request unsuccessful. Incapsula incident ID: 245000850119483101-318592031845679561</iframe></body></html>",
    "auth_failure",
    "Imperva/Incapsula WAF block page ('Request unsuccessful', incident ID) with 200: the request was refused",
    content_type="text/html",
    request={"method": "POST", "path": "/api/checkout/confirm", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "cloudflare-attention-required-403",
    403,
    '<!DOCTYPE html>\n<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->\n'
    '<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->\n<head>\n'
    '<title>Attention Required! | Cloudflare</title>\n<meta charset="UTF-8" />\n'
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
    '<meta name="robots" content="noindex, nofollow" />\n</head>\n<body>\n'
    '<div id="cf-wrapper">\n<div id="cf-error-details" class="cf-error-details-wrapper">\n'
    '<h1 data-translate="block_headline">Sorry, you have been blocked</h1>\n'
    '<h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> api.example.com</h2>\n',
    "auth_failure",
    "Cloudflare WAF block page with 403",
    content_type="text/html; charset=UTF-8",
    headers={"Server": "cloudflare", "CF-RAY": "87d9b1c2e3f40a1b-FRA"},
)

PART.add(
    "cloudflare-1015-rate-limited-429",
    429,
    '<!DOCTYPE html>\n<html class="no-js" lang="en-US">\n<head>\n'
    "<title>Access denied | api.example.com used Cloudflare to restrict access</title>\n"
    '<meta charset="UTF-8" />\n</head>\n<body>\n<div id="cf-wrapper">\n'
    '<h1><span class="cf-error-type" data-translate="error">Error</span><span class="cf-error-code">1015</span></h1>\n'
    '<h2 class="cf-subheadline" data-translate="error_desc">You are being rate limited</h2>\n',
    "rate_limit",
    "Cloudflare error 1015 'You are being rate limited' with 429",
    content_type="text/html; charset=UTF-8",
    headers={"Server": "cloudflare", "Retry-After": "60"},
)

PART.add(
    "html-de-interner-serverfehler-200",
    200,
    '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>Interner Serverfehler</title>\n</head>\n'
    "<body>\n<h1>Es ist ein Fehler aufgetreten</h1>\n"
    "<p>Ihre Anfrage konnte leider nicht verarbeitet werden. Bitte versuchen Sie es später erneut.</p>\n"
    "<p><small>Fehler-ID: 20240502-1733-4F2A</small></p>\n</body>\n</html>\n",
    "generic_business_error",
    "German 'Interner Serverfehler' page with 200 for an API call",
    content_type=HTML,
    request={"method": "POST", "path": "/api/bestellungen", "headers": JSON_CALL},
)

PART.add(
    "html-ja-page-not-found-200",
    200,
    '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="UTF-8">\n'
    "<title>ページが見つかりません | サンプル商店</title>\n</head>\n<body>\n"
    "<h1>お探しのページは見つかりませんでした</h1>\n"
    "<p>申し訳ございません。お探しのページは削除されたか、URLが変更された可能性があります。</p>\n"
    '<a href="/">トップページへ戻る</a>\n</body>\n</html>\n',
    "not_found",
    "Japanese 'page not found' HTML with 200 answering an API GET",
    content_type=HTML,
    request={"method": "GET", "path": "/api/items/SKU-99812", "headers": JSON_CALL},
    holdout=True,
)

_login = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Sign in · Acme Cloud</title>\n'
    '<link rel="stylesheet" href="/assets/app-8c1d.css">\n</head>\n<body class="auth">\n'
    '<form class="login" action="/session" method="post">\n'
    '  <input type="hidden" name="authenticity_token" value="q4nRz1mW0b7Kc2pXy9+LdA==">\n'
    "  <h1>Sign in to Acme Cloud</h1>\n"
    '  <label for="login_field">Email address</label>\n'
    '  <input type="email" name="login" id="login_field" autocomplete="username" autofocus>\n'
    '  <label for="password">Password</label>\n'
    '  <input type="password" name="password" id="password" autocomplete="current-password">\n'
    '  <input type="submit" name="commit" value="Sign in">\n'
    '  <a href="/password_reset">Forgot password?</a>\n</form>\n</body>\n</html>\n'
)

PART.add(
    "login-page-for-json-api-call",
    200,
    _login,
    "auth_failure",
    "the API call (Accept JSON, /api/ path) got the HTML sign-in form: the session is missing/expired",
    content_type=HTML,
    request={
        "method": "GET",
        "path": "/api/v1/projects",
        "headers": {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"},
    },
)

PART.add(
    "login-page-for-browser-get-login",
    200,
    _login,
    None,
    "the same sign-in page answering a browser's GET /login: that is the page asked for",
    content_type=HTML,
    request={
        "method": "GET",
        "path": "/login",
        "headers": {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    },
    trap=True,
)

_kc = (
    b'<!DOCTYPE html>\n<html class="login-pf">\n<head>\n    <meta charset="utf-8">\n'
    b"    <title>Sign in to corp</title>\n"
    b'    <link href="/resources/x7k2q/login/keycloak/css/login.css" rel="stylesheet" />\n</head>\n'
    b'<body class="">\n<div class="login-pf-page">\n  <div id="kc-header" class="login-pf-page-header">\n'
    b'    <div id="kc-header-wrapper">corp</div>\n  </div>\n'
    b'  <form id="kc-form-login" '
    b'action="https://sso.example.com/realms/corp/login-actions/authenticate?session_code=Qm9vZ2x5&amp;execution=5e1f&amp;client_id=orders-api&amp;tab_id=pX3k" method="post">\n'
    b'    <label for="username" class="pf-c-form__label pf-c-form__label-text">Username or email</label>\n'
    b'    <input tabindex="1" id="username" class="pf-c-form-control" name="username" value="" type="text" autofocus autocomplete="off" />\n'
    b'    <label for="password" class="pf-c-form__label pf-c-form__label-text">Password</label>\n'
    b'    <input tabindex="2" id="password" class="pf-c-form-control" name="password" type="password" autocomplete="off" />\n'
    + b"    <!-- "
    + b"x" * 400
    + b" -->\n"
    b'    <input tabindex="4" class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In"/>\n'
    b"  </form>\n</div>\n</body>\n</html>\n"
)
PART.add_raw(
    "keycloak-login-page-for-api-call-cut",
    response(
        "200 OK",
        [
            ("Content-Type", "text/html;charset=utf-8"),
            ("Transfer-Encoding", "chunked"),
            ("Cache-Control", "no-store, must-revalidate, max-age=0"),
        ],
        chunked(_kc, [512, 300]),
    ),
    "auth_failure",
    "a proxy answered the JSON API call with the Keycloak sign-in form (chunked, body cut at 1 KiB after the password input)",
    request={
        "method": "POST",
        "path": "/api/orders",
        "headers": {"Accept": "application/json", "Content-Type": "application/json"},
    },
    holdout=True,
)

PART.add(
    "html-docs-error-codes-reference",
    200,
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error codes reference — Payments API docs</title></head>'
    "<body><nav>Docs / API reference / Errors</nav><article><h1>Error codes reference</h1>"
    "<p>When a request fails, the API returns one of the following error codes.</p>"
    "<table><thead><tr><th>Code</th><th>HTTP</th><th>Meaning</th></tr></thead><tbody>"
    "<tr><td><code>card_declined</code></td><td>402</td><td>The card was declined.</td></tr>"
    "<tr><td><code>invalid_api_key</code></td><td>401</td><td>Authentication failed: the API key is invalid.</td></tr>"
    "<tr><td><code>rate_limited</code></td><td>429</td><td>Too many requests.</td></tr>"
    "<tr><td><code>internal_error</code></td><td>500</td><td>Internal server error.</td></tr>"
    "</tbody></table></article></body></html>",
    None,
    "a documentation page listing error codes, fetched as a page: it is content about errors",
    content_type=HTML,
    request={"method": "GET", "path": "/docs/api/errors", "headers": {"Accept": "text/html"}},
    trap=True,
)

PART.add(
    "html-blog-how-we-handle-errors",
    200,
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>How we handle errors at scale | Engineering Blog</title>\n"
    '<meta property="og:type" content="article">\n</head>\n<body>\n<article>\n'
    '<h1>How we handle errors at scale</h1>\n<p class="byline">By Priya N. · 8 min read</p>\n'
    "<p>Last year a single <code>500 Internal Server Error</code> in our billing service caused a cascade of failed jobs. "
    "This post explains how we now classify errors, why we stopped retrying on <code>403 Forbidden</code>, "
    'and how we deal with "Access denied" and "Something went wrong" pages returned by third parties.</p>\n'
    "<h2>Retry only what is retryable</h2>\n<p>Timeouts and rate limit errors are retried with backoff...</p>\n",
    None,
    "a blog article about error handling: error words are its subject, the page was served fine",
    content_type=HTML,
    request={"method": "GET", "path": "/blog/how-we-handle-errors"},
    trap=True,
    holdout=True,
)

PART.add(
    "statuspage-all-systems-operational",
    200,
    "<!DOCTYPE html><html><head><title>Acme Status</title></head><body>"
    '<div class="page-status status-none"><span class="status font-large">All Systems Operational</span></div>'
    '<div class="components-container"><div class="component">API <span>Operational</span></div>'
    '<div class="component">Dashboard <span>Operational</span></div></div>'
    '<h2>Past Incidents</h2><div class="status-day"><h3>May 1, 2024</h3>'
    '<div class="incident-title impact-major">Elevated API error rates</div>'
    "<p><strong>Resolved</strong> - Requests to the API failed with 503 Service Unavailable between 14:02 and 14:31 UTC. "
    "The issue has been resolved.</p></div></body></html>",
    None,
    "status page reporting 'All Systems Operational'; the outage is a resolved past incident",
    content_type=HTML,
    request={"method": "GET", "path": "/"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------

PART.add(
    "text-error-missing-parameter",
    200,
    "ERROR: missing required parameter 'to'\n",
    "validation",
    "plain 'ERROR:' line naming a missing parameter",
    content_type=TEXT,
    request={"method": "POST", "path": "/sendsms.php"},
)

PART.add(
    "text-error-invalid-api-key",
    200,
    "Error: invalid api key",
    "auth_failure",
    "plain text 'Error: invalid api key'",
    content_type="text/plain",
    request={"method": "GET", "path": "/api/rates?base=EUR&apikey=abc123"},
)

PART.add(
    "text-fail-bare",
    200,
    "FAIL",
    "generic_business_error",
    "bare 'FAIL' answering a POST command; no reason given",
    content_type="text/plain",
    request={"method": "POST", "path": "/cgi-bin/relay.cgi?cmd=open&ch=2"},
)

PART.add(
    "text-ng-bare",
    200,
    "NG\r\n",
    "generic_business_error",
    "Japanese-style 'NG' (no good) result of a registration call (OK/NG protocol)",
    content_type="text/plain; charset=Shift_JIS",
    request={"method": "POST", "path": "/api/regist.cgi"},
    holdout=True,
)

PART.add(
    "text-minus-err-auth",
    200,
    "-ERR invalid password\r\n",
    "auth_failure",
    "Redis/POP3-style '-ERR' line from an HTTP gateway: wrong password",
    content_type="text/plain",
    request={"method": "GET", "path": "/AUTH/wrongpass"},
)

PART.add(
    "text-failure-insufficient-balance",
    200,
    "failure: insufficient balance (required 3.20, available 0.75)",
    "payment",
    "'failure:' line, account balance too low",
    content_type="text/plain; charset=us-ascii",
    request={"method": "POST", "path": "/http/send-message"},
    holdout=True,
)

PART.add(
    "text-kv-status-error-quota",
    200,
    "status=error\nmessage=Daily quota of 1000 requests exceeded\nreset=2024-05-03T00:00:00Z\n",
    "rate_limit",
    "key=value lines: status=error, daily quota exceeded",
    content_type="text/plain",
)

PART.add(
    "text-ok",
    200,
    "OK",
    None,
    "plain 'OK'",
    content_type="text/plain",
    request={"method": "POST", "path": "/api/ping"},
)

PART.add(
    "text-success-with-id",
    200,
    "SUCCESS\nmsgid=20240502173301-4471\n",
    None,
    "'SUCCESS' with a message id",
    content_type="text/plain;charset=UTF-8",
)

PART.add(
    "text-accepted-202",
    202,
    "ACCEPTED",
    None,
    "202 'ACCEPTED': queued",
    content_type="text/plain",
    request={"method": "POST", "path": "/webhooks/inbound"},
)

PART.add(
    "text-validator-zero-errors",
    200,
    "Validation complete: 0 errors, 2 warnings\nline 14: warning: attribute 'border' is obsolete\n"
    "line 52: warning: empty heading\n",
    None,
    "validator report: 0 errors, only warnings; the validation call succeeded",
    content_type="text/plain",
    request={"method": "POST", "path": "/check?out=text"},
    trap=True,
)

PART.add(
    "text-log-download",
    200,
    "2024-05-02T17:30:01.112Z INFO  [main] Starting order-service v3.8.1\n"
    "2024-05-02T17:30:04.870Z INFO  [main] Connected to postgres://db:5432/orders\n"
    "2024-05-02T17:41:13.009Z ERROR [http-nio-8080-exec-7] Payment declined for order 5521: insufficient_funds\n"
    "2024-05-02T17:41:13.010Z WARN  [http-nio-8080-exec-7] Retry 1/3 scheduled\n"
    "2024-05-02T17:52:40.551Z ERROR [scheduler-1] Failed to sync inventory: Connection refused\n"
    "2024-05-02T17:52:45.003Z INFO  [scheduler-1] Inventory sync succeeded\n",
    None,
    "GET of a log file: the ERROR lines are the file's content, the download succeeded",
    content_type="text/plain; charset=utf-8",
    headers={"Content-Disposition": 'attachment; filename="app.log"'},
    request={"method": "GET", "path": "/logs/app.log"},
    trap=True,
    holdout=True,
)

PART.add(
    "csv-export-error-column",
    200,
    "id,created_at,recipient,status,error\r\n"
    "1041,2024-05-01 09:12:00,+4915112345678,delivered,\r\n"
    "1042,2024-05-01 09:12:01,+4915187654321,failed,Unknown subscriber\r\n"
    "1043,2024-05-01 09:12:01,+4917611122233,delivered,\r\n"
    "1044,2024-05-01 09:12:02,+4916099988877,failed,Invalid number format\r\n",
    None,
    "CSV export of message records with an 'error' column: exported data",
    content_type="text/csv; charset=utf-8",
    headers={"Content-Disposition": 'attachment; filename="messages-2024-05-01.csv"'},
    request={"method": "GET", "path": "/api/exports/messages.csv?date=2024-05-01"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# Form-encoded (OAuth token endpoints)
# --------------------------------------------------------------------------------------------

PART.add(
    "oauth-form-invalid-grant",
    200,
    "error=invalid_grant&error_description=Refresh+token+has+been+revoked",
    "auth_failure",
    "form-encoded OAuth invalid_grant: refresh token revoked",
    content_type=FORM,
    request={"method": "POST", "path": "/oauth/token"},
    holdout=True,
)

PART.add(
    "oauth-form-access-denied-400",
    400,
    "error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=xyzABC123",
    "auth_failure",
    "OAuth access_denied with 400: body more specific than validation",
    content_type=FORM,
)

PART.add(
    "oauth-form-token-success",
    200,
    "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer",
    None,
    "form-encoded access token: success",
    content_type=FORM,
    request={"method": "POST", "path": "/login/oauth/access_token"},
)

# --------------------------------------------------------------------------------------------
# Name-value pairs (payment gateways)
# --------------------------------------------------------------------------------------------

PART.add(
    "paypal-nvp-ack-failure-security",
    200,
    "TIMESTAMP=2024%2d05%2d02T17%3a44%3a09Z&CORRELATIONID=8a4f1c0d2b7e3&ACK=Failure&VERSION=204%2e0&BUILD=57171234"
    "&L_ERRORCODE0=10002&L_SHORTMESSAGE0=Security%20error&L_LONGMESSAGE0=Security%20header%20is%20not%20valid"
    "&L_SEVERITYCODE0=Error",
    "auth_failure",
    "PayPal NVP ACK=Failure, 10002 Security header is not valid (bad API credentials)",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/nvp"},
)

PART.add(
    "paypal-nvp-ack-failure-10417",
    200,
    "ACK=Failure&L_ERRORCODE0=10417&L_SHORTMESSAGE0=Transaction+cannot+complete."
    "&L_LONGMESSAGE0=The+transaction+cannot+complete+successfully.++Instruct+the+customer+to+use+an+alternative+payment+method."
    "&L_SEVERITYCODE0=Error&TIMESTAMP=2024-05-02T17:45:51Z&CORRELATIONID=c3e0b9a71f2d4&VERSION=204.0&BUILD=57171234",
    "payment",
    "PayPal DoExpressCheckoutPayment 10417: funding refused, use another payment method",
    content_type="text/plain; charset=utf-8",
)

PART.add(
    "paypal-nvp-ack-success-with-warning",
    200,
    "TOKEN=EC%2d5YJ748178G052312W&SUCCESSPAGEREDIRECTREQUESTED=false&TIMESTAMP=2024%2d05%2d02T17%3a47%3a12Z"
    "&CORRELATIONID=77d1f0b3a9c2e&ACK=SuccessWithWarning&VERSION=204%2e0&BUILD=57171234"
    "&L_ERRORCODE0=11607&L_SHORTMESSAGE0=Duplicate%20Request"
    "&L_LONGMESSAGE0=A%20successful%20transaction%20has%20already%20been%20completed%20for%20this%20token%2e"
    "&L_SEVERITYCODE0=Warning&PAYMENTINFO_0_TRANSACTIONID=9AB12345CD678901E&PAYMENTINFO_0_PAYMENTSTATUS=Completed"
    "&PAYMENTINFO_0_ACK=Success",
    None,
    "PayPal ACK=SuccessWithWarning: the payment is Completed, the L_ error is a Warning",
    content_type="text/plain; charset=utf-8",
    trap=True,
    holdout=True,
)

PART.add(
    "paypal-nvp-ack-failure-with-warning",
    200,
    "ACK=FailureWithWarning&CORRELATIONID=5b0e2c9d1a3f7&TIMESTAMP=2024-05-02T17:50:03Z&VERSION=204.0"
    "&L_ERRORCODE0=10004&L_SHORTMESSAGE0=Invalid+argument"
    "&L_LONGMESSAGE0=The+transaction+id+is+not+valid&L_SEVERITYCODE0=Error"
    "&L_ERRORCODE1=10009&L_SHORTMESSAGE1=Transaction+refused"
    "&L_LONGMESSAGE1=You+can+not+refund+this+type+of+transaction&L_SEVERITYCODE1=Warning",
    "validation",
    "PayPal ACK=FailureWithWarning: the call failed, first error 10004 Invalid argument",
    content_type="text/plain; charset=utf-8",
)

PART.add(
    "paypal-nvp-ack-success",
    200,
    "TOKEN=EC%2d0PH56792TK8476013&TIMESTAMP=2024%2d05%2d02T17%3a52%3a30Z&CORRELATIONID=1d9e8f7a6b5c4&ACK=Success"
    "&VERSION=204%2e0&BUILD=57171234",
    None,
    "PayPal SetExpressCheckout ACK=Success with a token",
    content_type="text/plain; charset=utf-8",
)

PART.add(
    "authorizenet-aim-declined",
    200,
    "2|1|2|This transaction has been declined.|000000|N|60201843917|ORD-7731||49.95|CC|auth_capture|C-1188|"
    "Jane|Doe||12 Main St|Bellevue|WA|98004|US|||jane@example.com|",
    "payment",
    "Authorize.net AIM delimited reply: response code 2, 'This transaction has been declined.'",
    content_type="text/plain",
    request={"method": "POST", "path": "/gateway/transact.dll"},
    holdout=True,
)
