"""Markup, second round: other SOAP stacks and their failure vocabularies (Axis2 faults and
``<ns:return><success>false``, WCF FaultException details, SAP BAPI ``RETURN`` type E,
Salesforce ``<success>false</success>``), shipping and travel XML (UPS ``ResponseStatusCode``,
FedEx ``HighestSeverity``, OpenTravel ``<Errors>``), vendor XML error documents (Namecheap
``ApiResponse Status="ERROR"``, Flickr ``<rsp stat="fail">``, Facebook REST ``<error_response>``),
HTML failures of other kinds (maintenance, "Too Many Requests" and session-expired pages served
with 200, a bot challenge, Tomcat / ASP.NET / Spring Whitelabel error pages, pages in French,
Spanish, Chinese, Japanese and Russian), terse plain-text replies (MySQL-style errors, ``FAILED:``,
bare error constants, ``result: fail``, ``KO -``, Chinese and Japanese lines) and name-value
payment replies (Sage Pay ``Status=``, Payflow ``RESULT=``, ``errorCode=``).  The traps are
successes carrying warnings or "not matched" checks, a maintenance announcement, a search
results page and a health check that reports zero failures.
"""

from tests.semantic_errors.shapes import Part

PART = Part("markup")

XML = "text/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
JSON_CALL = {"Accept": "application/json"}

# --------------------------------------------------------------------------------------------
# SOAP stacks
# --------------------------------------------------------------------------------------------

PART.add(
    "b-axis2-fault-unexpected-subelement",
    200,
    "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>"
    "<faultstring>Unexpected subelement {http://inventory.ws.example.org/xsd}quantitty</faultstring>"
    "<detail /></soapenv:Fault></soapenv:Body></soapenv:Envelope>",
    "validation",
    "Axis2 ADB fault: the request contained an element the schema does not allow (misspelt field)",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/axis2/services/InventoryService.InventoryServiceHttpSoap11Endpoint/"},
)

PART.add(
    "b-wcf-soap11-authorization-faultdetail",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    "<faultcode>s:Client</faultcode>"
    "<faultstring xml:lang=\"en-US\">The user 'CONTOSO\\svc_reporting' is not authorized to call GetPayrollSummary.</faultstring>"
    '<detail><AuthorizationFault xmlns="http://schemas.datacontract.org/2004/07/Contoso.Payroll.Contracts" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Operation>GetPayrollSummary</Operation>'
    "<Reason>MissingRole</Reason><RequiredRole>PayrollReader</RequiredRole></AuthorizationFault></detail>"
    "</s:Fault></s:Body></s:Envelope>",
    "auth_failure",
    "WCF basicHttpBinding FaultException<AuthorizationFault>: caller lacks the required role",
    content_type=XML,
    headers={"Server": "Microsoft-IIS/10.0", "X-Powered-By": "ASP.NET"},
    request={
        "method": "POST",
        "path": "/PayrollService.svc",
        "headers": {"SOAPAction": '"http://contoso.com/payroll/IPayroll/GetPayrollSummary"'},
    },
    holdout=True,
)

PART.add(
    "b-sap-bapi-return-type-e-customer",
    200,
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/><soap-env:Body>'
    '<n0:BAPI_CUSTOMER_GETDETAIL2Response xmlns:n0="urn:sap-com:document:sap:rfc:functions">'
    "<CUSTOMERADDRESS><CUSTOMER/><NAME/><CITY/><POSTL_COD1/><STREET/><COUNTRY/></CUSTOMERADDRESS>"
    "<CUSTOMERGENERALDETAIL><CUSTOMER/><CREATED_BY/></CUSTOMERGENERALDETAIL>"
    "<RETURN><TYPE>E</TYPE><ID>FN</ID><NUMBER>019</NUMBER><MESSAGE>Customer 0000104711 does not exist</MESSAGE>"
    "<LOG_NO/><LOG_MSG_NO>000000</LOG_MSG_NO><MESSAGE_V1>0000104711</MESSAGE_V1><MESSAGE_V2/><MESSAGE_V3/>"
    "<MESSAGE_V4/><PARAMETER/><ROW>0</ROW><FIELD/><SYSTEM>PRDCLNT100</SYSTEM></RETURN>"
    "</n0:BAPI_CUSTOMER_GETDETAIL2Response></soap-env:Body></soap-env:Envelope>",
    "not_found",
    "SAP BAPI over SOAP: empty result structures and RETURN TYPE E 'Customer ... does not exist'",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/sap/bc/srt/rfc/sap/zws_customer/100/zws_customer/zws_customer"},
)

PART.add(
    "b-salesforce-create-success-false-required-field",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns="urn:enterprise.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<soapenv:Header><LimitInfoHeader><limitInfo><current>1423</current><limit>5000000</limit>"
    "<type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>"
    "<soapenv:Body><createResponse><result><errors><fields>LastName</fields>"
    "<message>Required fields are missing: [LastName]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode>"
    '</errors><id xsi:nil="true"/><success>false</success></result></createResponse></soapenv:Body></soapenv:Envelope>',
    "validation",
    "Salesforce SOAP create of one Contact: result success=false, REQUIRED_FIELD_MISSING (the API-usage header is not an error)",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/services/Soap/c/59.0/00D5e000000XyZa"},
    holdout=True,
)

PART.add(
    "b-axis2-return-success-false-account-exists",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\n'
    "  <soapenv:Body>\n"
    '    <ns:createAccountResponse xmlns:ns="http://service.accounts.example.org" xmlns:ax23="http://model.accounts.example.org/xsd">\n'
    '      <ns:return xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ax23:OperationResult">\n'
    '        <ax23:accountId xsi:nil="true" />\n'
    "        <ax23:errorCode>ACCOUNT_EXISTS</ax23:errorCode>\n"
    "        <ax23:message>An account with login 'mrossi' already exists</ax23:message>\n"
    "        <ax23:success>false</ax23:success>\n"
    "      </ns:return>\n"
    "    </ns:createAccountResponse>\n"
    "  </soapenv:Body>\n"
    "</soapenv:Envelope>\n",
    "conflict",
    "Axis2 operation result <ns:return> with success=false and ACCOUNT_EXISTS: the login is taken",
    content_type="text/xml; charset=UTF-8",
)

# --------------------------------------------------------------------------------------------
# Shipping and travel XML
# --------------------------------------------------------------------------------------------

PART.add(
    "b-ups-xml-responsestatuscode-0-license",
    200,
    '<?xml version="1.0"?>\n<TrackResponse><Response><TransactionReference><CustomerContext>order 5521</CustomerContext>'
    "<XpciVersion>1.0</XpciVersion></TransactionReference><ResponseStatusCode>0</ResponseStatusCode>"
    "<ResponseStatusDescription>Failure</ResponseStatusDescription><Error><ErrorSeverity>Hard</ErrorSeverity>"
    "<ErrorCode>250003</ErrorCode><ErrorDescription>Invalid Access License number</ErrorDescription></Error>"
    "</Response></TrackResponse>",
    "auth_failure",
    "UPS XML: ResponseStatusCode 0 / Failure, hard error 'Invalid Access License number' (bad credentials)",
    content_type="application/xml",
    request={"method": "POST", "path": "/ups.app/xml/Track"},
)

PART.add(
    "b-fedex-rate-highestseverity-error",
    200,
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body>'
    '<RateReply xmlns="http://fedex.com/ws/rate/v28"><HighestSeverity>ERROR</HighestSeverity>'
    "<Notifications><Severity>ERROR</Severity><Source>crs</Source><Code>521</Code>"
    "<Message>Destination postal code missing or invalid.</Message>"
    "<LocalizedMessage>Destination postal code missing or invalid.</LocalizedMessage></Notifications>"
    "<TransactionDetail><CustomerTransactionId>rate-5521</CustomerTransactionId></TransactionDetail>"
    "<Version><ServiceId>crs</ServiceId><Major>28</Major><Intermediate>0</Intermediate><Minor>0</Minor></Version>"
    "</RateReply></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "validation",
    "FedEx RateReply HighestSeverity ERROR: destination postal code missing or invalid, no rates",
    content_type="text/xml;charset=UTF-8",
    holdout=True,
)

PART.add(
    "b-fedex-rate-highestseverity-warning-rates",
    200,
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body>'
    '<RateReply xmlns="http://fedex.com/ws/rate/v28"><HighestSeverity>WARNING</HighestSeverity>'
    "<Notifications><Severity>WARNING</Severity><Source>crs</Source><Code>819</Code>"
    "<Message>The origin state/province code has been changed.</Message></Notifications>"
    "<Version><ServiceId>crs</ServiceId><Major>28</Major><Intermediate>0</Intermediate><Minor>0</Minor></Version>"
    "<RateReplyDetails><ServiceType>FEDEX_GROUND</ServiceType><PackagingType>YOUR_PACKAGING</PackagingType>"
    "<RatedShipmentDetails><ShipmentRateDetail><RateType>PAYOR_ACCOUNT_PACKAGE</RateType>"
    "<TotalNetCharge><Currency>USD</Currency><Amount>14.87</Amount></TotalNetCharge>"
    "</ShipmentRateDetail></RatedShipmentDetails></RateReplyDetails></RateReply></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    None,
    "FedEx HighestSeverity WARNING: a corrected state code is noted and the rate is returned",
    content_type="text/xml;charset=UTF-8",
    trap=True,
)

PART.add(
    "b-ota-hotelres-errors-no-availability",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OTA_HotelResRS xmlns="http://www.opentravel.org/OTA/2003/05" EchoToken="a8f3c1" '
    'TimeStamp="2024-06-03T10:14:22+02:00" Version="2.001" Target="Production">\n'
    "  <Errors>\n"
    '    <Error Type="3" Code="322" ShortText="No availability" Status="NotProcessed">'
    "Room type DZ is not available from 2024-08-14 to 2024-08-17</Error>\n"
    "  </Errors>\n"
    "</OTA_HotelResRS>\n",
    "generic_business_error",
    "OpenTravel reservation reply with <Errors> only (no <Success/>): not booked, no availability",
    content_type="application/xml",
    request={"method": "POST", "path": "/ota/2003/05/HotelRes"},
)

PART.add(
    "b-ota-hotelavail-success-with-warnings",
    200,
    '<OTA_HotelAvailRS xmlns="http://www.opentravel.org/OTA/2003/05" Version="4.000" EchoToken="7d21">'
    "<Success/>"
    '<Warnings><Warning Type="3" Code="397" RPH="1">Rate plan BAR is closed to arrival on 2024-08-14</Warning></Warnings>'
    '<RoomStays><RoomStay><RoomTypes><RoomType RoomTypeCode="DZ"/></RoomTypes>'
    '<RatePlans><RatePlan RatePlanCode="FLEX"/></RatePlans>'
    '<RoomRates><RoomRate RoomTypeCode="DZ" RatePlanCode="FLEX"><Rates><Rate><Base AmountAfterTax="389.00" CurrencyCode="EUR"/>'
    "</Rate></Rates></RoomRate></RoomRates></RoomStay></RoomStays></OTA_HotelAvailRS>",
    None,
    "OTA availability reply with <Success/>, one rate plan closed is a warning, other rooms returned",
    content_type="application/xml",
    trap=True,
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# Vendor XML error documents
# --------------------------------------------------------------------------------------------

PART.add(
    "b-namecheap-apiresponse-status-error-funds",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\r\n'
    '<ApiResponse Status="ERROR" xmlns="http://api.namecheap.com/xml.response">\r\n'
    "  <Errors>\r\n"
    '    <Error Number="2528166">Insufficient funds in your account balance to complete this order</Error>\r\n'
    "  </Errors>\r\n"
    "  <Warnings />\r\n"
    "  <RequestedCommand>namecheap.domains.create</RequestedCommand>\r\n"
    "  <CommandResponse />\r\n"
    "  <Server>PHX01APIEXT02</Server>\r\n"
    "  <GMTTimeDifference>--5:00</GMTTimeDifference>\r\n"
    "  <ExecutionTime>0.213</ExecutionTime>\r\n"
    "</ApiResponse>",
    "payment",
    "Namecheap-style ApiResponse Status=ERROR on domains.create: not enough account balance",
    content_type="text/xml; charset=utf-8",
)

PART.add(
    "b-flickr-rsp-stat-fail-photo-not-found",
    200,
    '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n'
    '\t<err code="1" msg="Photo &quot;53712004471&quot; not found (invalid ID)" />\n</rsp>\n',
    "not_found",
    'Flickr REST <rsp stat="fail"><err code=1>: photo not found',
    content_type="text/xml; charset=utf-8",
    request={"method": "GET", "path": "/services/rest/?method=flickr.photos.getInfo&photo_id=53712004471"},
    holdout=True,
)

PART.add(
    "b-flickr-rsp-stat-ok-photo-titled-fail",
    200,
    '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n'
    '<photo id="53712009120" secret="a1b2c3d4e5" server="65535" farm="66" dateuploaded="1717400000" license="4" media="photo">\n'
    '\t<owner nsid="12345678@N07" username="skaterjo" location="Lisbon, Portugal" />\n'
    "\t<title>Epic fail: error 404 on the half-pipe</title>\n"
    "\t<description>Tried the kickflip, failed, tried again.</description>\n"
    '\t<visibility ispublic="1" isfriend="0" isfamily="0" />\n'
    '\t<tags><tag id="1" raw="fail">fail</tag><tag id="2" raw="error">error</tag></tags>\n'
    "</photo>\n</rsp>\n",
    None,
    "Flickr <rsp stat=\"ok\"> with a photo whose title and tags are 'fail'/'error': data",
    content_type="text/xml; charset=utf-8",
    request={"method": "GET", "path": "/services/rest/?method=flickr.photos.getInfo&photo_id=53712009120"},
    trap=True,
)

PART.add(
    "b-facebook-rest-error-response-limit",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<error_response xmlns="http://api.facebook.com/1.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://api.facebook.com/1.0/ http://api.facebook.com/1.0/facebook.xsd">\n'
    "  <error_code>4</error_code>\n"
    "  <error_msg>Application request limit reached</error_msg>\n"
    '  <request_args list="true">\n'
    "    <arg><key>method</key><value>users.getInfo</value></arg>\n"
    "    <arg><key>format</key><value>XML</value></arg>\n"
    "  </request_args>\n"
    "</error_response>\n",
    "rate_limit",
    "old Facebook REST <error_response>, error_code 4 'Application request limit reached'",
    content_type="text/xml; charset=utf-8",
)

# --------------------------------------------------------------------------------------------
# HTML failures
# --------------------------------------------------------------------------------------------

PART.add(
    "b-html-maintenance-back-soon-200",
    200,
    "<!doctype html>\n<title>Site Maintenance</title>\n<style>\n  body { text-align: center; padding: 150px; }\n"
    "  h1 { font-size: 50px; }\n  body { font: 20px Helvetica, sans-serif; color: #333; }\n</style>\n\n<article>\n"
    "    <h1>We&rsquo;ll be back soon!</h1>\n    <div>\n"
    "        <p>Sorry for the inconvenience but we&rsquo;re performing some maintenance at the moment. "
    "We&rsquo;ll be back online shortly!</p>\n        <p>&mdash; The Team</p>\n    </div>\n</article>\n",
    "generic_business_error",
    "maintenance page served with 200 to an API POST: nothing was processed (2xx, so not server_error)",
    content_type="text/html",
    request={"method": "POST", "path": "/api/v2/shipments", "headers": JSON_CALL},
)

PART.add(
    "b-html-too-many-requests-200",
    200,
    "<html>\n<head>\n<title>Too Many Requests</title>\n</head>\n<body>\n<h1>Too Many Requests</h1>\n"
    "<p>You have sent too many requests in a given amount of time. Please wait a few minutes before trying again.</p>\n"
    "</body>\n</html>\n",
    "rate_limit",
    "'Too Many Requests' HTML page with status 200 answering an API GET",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/search?q=router&page=7", "headers": JSON_CALL},
)

PART.add(
    "b-html-session-expired-jsp",
    200,
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
    '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">\n<title>Session Expired</title>\n'
    '<link rel="stylesheet" type="text/css" href="/portal/css/portal.css">\n</head>\n<body>\n'
    '<table class="msgbox"><tr><td class="warn">\n<b>Your session has expired.</b><br>\n'
    "For your security, sessions end after 20 minutes of inactivity. Please "
    '<a href="/portal/login.jsp?returnUrl=%2Fportal%2Fapi%2Fstatements">log in again</a> to continue.\n'
    "</td></tr></table>\n</body>\n</html>\n",
    "auth_failure",
    "JSP 'Your session has expired, log in again' page answering an XHR to the portal's API",
    content_type="text/html;charset=ISO-8859-1",
    request={
        "method": "GET",
        "path": "/portal/api/statements?month=2024-05",
        "headers": {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"},
    },
)

PART.add(
    "b-perimeterx-press-and-hold-challenge",
    200,
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>Access to this page has been denied.</title>\n"
    '<link href="https://fonts.googleapis.com/css?family=Open+Sans:300" rel="stylesheet">\n</head>\n<body>\n'
    '<section class="center-wrapper"><div class="page-title-wrapper"><div class="page-title">'
    "<h1>Please verify you are a human</h1></div></div>\n"
    '<div class="content-wrapper"><p>Press &amp; Hold to confirm you are<br>a human (and not a bot).</p>\n'
    '<div id="px-captcha"></div></div>\n'
    '<div class="page-footer-wrapper"><p>Reference ID 3e8a21c4-1b7f-11ef-9c2a-4d6f5a7b8c9d</p></div></section>\n'
    "<script>window._pxAppId = 'PXa1b2c3d4';window._pxJsClientSrc = '/a1b2c3d4/init.js';</script>\n"
    "</body>\n</html>\n",
    "auth_failure",
    "bot-protection challenge ('Access to this page has been denied', verify you are human) instead of the API answer",
    content_type="text/html",
    request={"method": "GET", "path": "/api/v1/listings?city=denver", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "b-tomcat-status-500-page-served-200",
    200,
    '<!doctype html><html lang="en"><head><title>HTTP Status 500 – Internal Server Error</title>'
    '<style type="text/css">body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b {color:white;background-color:#525D76;}</style>'
    '</head><body><h1>HTTP Status 500 – Internal Server Error</h1><hr class="line" />'
    "<p><b>Type</b> Exception Report</p><p><b>Message</b> Request processing failed; nested exception is "
    "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection</p>"
    "<p><b>Description</b> The server encountered an unexpected condition that prevented it from fulfilling the request.</p>"
    "<p><b>Exception</b></p><pre>org.springframework.web.util.NestedServletException: Request processing failed</pre>"
    '<hr class="line" /><h3>Apache Tomcat/9.0.85</h3></body></html>',
    "generic_business_error",
    "Tomcat 'HTTP Status 500' exception report delivered with status 200 (an error filter swallowed the status)",
    content_type="text/html;charset=utf-8",
    request={"method": "POST", "path": "/billing/api/invoices", "headers": JSON_CALL},
)

PART.add(
    "b-aspnet-ysod-resource-not-found-200",
    200,
    "<!DOCTYPE html>\r\n<html>\r\n    <head>\r\n        <title>The resource cannot be found.</title>\r\n"
    '        <meta name="viewport" content="width=device-width" />\r\n    </head>\r\n\r\n'
    "    <body bgcolor=\"white\">\r\n\r\n            <span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>\r\n\r\n"
    "            <h2> <i>The resource cannot be found.</i> </h2></span>\r\n\r\n"
    '            <font face="Arial, Helvetica, Geneva, SunSans-Regular, sans-serif ">\r\n\r\n'
    "            <b> Description: </b>HTTP 404. The resource you are looking for (or one of its dependencies) could have been removed, "
    "had its name changed, or is temporarily unavailable. &nbsp;Please review the following URL and make sure that it is spelled correctly.\r\n"
    "            <br><br>\r\n\r\n            <b> Requested URL: </b>/api/customers/77120/orders<br><br>\r\n",
    "not_found",
    "ASP.NET yellow screen 'The resource cannot be found' (HTTP 404 in the text) served with 200",
    content_type="text/html; charset=utf-8",
    headers={"Server": "Microsoft-IIS/8.5", "X-AspNet-Version": "4.0.30319"},
    request={"method": "GET", "path": "/api/customers/77120/orders", "headers": JSON_CALL},
)

PART.add(
    "b-spring-whitelabel-bad-request-200",
    200,
    "<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, "
    "so you are seeing this as a fallback.</p><div id='created'>Tue Jun 04 09:12:44 UTC 2024</div>"
    "<div>There was an unexpected error (type=Bad Request, status=400).</div>"
    "<div>Required request parameter &#39;accountId&#39; for method parameter type Long is not present</div></body></html>",
    "validation",
    "Spring Boot Whitelabel Error Page (type=Bad Request, a required parameter missing) behind a proxy that answered 200",
    content_type="text/html;charset=UTF-8",
    request={"method": "GET", "path": "/api/statements?from=2024-05-01", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "b-html-fr-acces-refuse-200",
    200,
    '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>Accès refusé</title>\n</head>\n<body>\n'
    '<main class="erreur">\n<h1>Accès refusé</h1>\n'
    "<p>Vous n’avez pas les droits nécessaires pour consulter cette ressource. "
    "Contactez l’administrateur de votre espace si vous pensez qu’il s’agit d’une erreur.</p>\n"
    '<p><a href="/">Retour à l’accueil</a></p>\n</main>\n</body>\n</html>\n',
    "auth_failure",
    "French 'Accès refusé' page (no rights for this resource) with 200 for an API call",
    content_type=HTML,
    request={"method": "GET", "path": "/api/factures/2024-118", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "b-html-es-error-inesperado-200",
    200,
    '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="UTF-8">\n<title>Error - Tienda Online</title>\n</head>\n'
    '<body>\n<div class="contenedor-error">\n<h2>¡Ups! Se ha producido un error inesperado</h2>\n'
    "<p>No hemos podido procesar tu solicitud en este momento. Por favor, inténtalo de nuevo más tarde.</p>\n"
    "<p>Código de referencia: ES-5F2C91</p>\n</div>\n</body>\n</html>\n",
    "generic_business_error",
    "Spanish 'se ha producido un error inesperado' page answering the checkout API with 200",
    content_type=HTML,
    request={"method": "POST", "path": "/api/carrito/pagar", "headers": JSON_CALL},
)

PART.add(
    "b-html-zh-too-frequent-200",
    200,
    '<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
    '<title>访问受限</title>\n</head>\n<body>\n<div class="tip">\n<h3>您的访问过于频繁，请稍后再试</h3>\n'
    "<p>系统检测到您的IP在短时间内发起了大量请求，已被临时限制访问，请于5分钟后重试。</p>\n</div>\n</body>\n</html>\n",
    "rate_limit",
    "Chinese page: visits too frequent, IP temporarily limited, retry in 5 minutes",
    content_type="text/html",
    request={"method": "GET", "path": "/api/goods/list?page=42", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "b-html-ja-maintenance-503",
    503,
    '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="UTF-8">\n<title>メンテナンス中</title>\n</head>\n<body>\n'
    "<h1>ただいまメンテナンス中です</h1>\n"
    "<p>システムメンテナンスのため、サービスを一時停止しております。</p>\n"
    "<p>終了予定：6月5日（水）6:00</p>\n</body>\n</html>\n",
    "server_error",
    "Japanese maintenance page with 503",
    content_type=HTML,
    headers={"Retry-After": "7200"},
)

PART.add(
    "b-html-ru-page-not-found-200",
    200,
    '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n<title>Страница не найдена</title>\n</head>\n'
    '<body>\n<div class="error-404">\n<h1>Ошибка 404</h1>\n<p>Запрашиваемая страница не найдена. '
    "Возможно, она была удалена или вы ошиблись в адресе.</p>\n"
    '<a href="/">Вернуться на главную</a>\n</div>\n</body>\n</html>\n',
    "not_found",
    "Russian 'Ошибка 404, страница не найдена' page with 200 for an API GET of one order",
    content_type=HTML,
    request={"method": "GET", "path": "/api/zakazy/55120", "headers": JSON_CALL},
)

PART.add(
    "b-iis-401-2-unauthorized",
    401,
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n'
    '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n'
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n'
    "<title>401 - Unauthorized: Access is denied due to invalid credentials.</title>\r\n</head>\r\n<body>\r\n"
    '<div id="header"><h1>Server Error</h1></div>\r\n<div id="content">\r\n <div class="content-container"><fieldset>\r\n'
    "  <h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2>\r\n"
    "  <h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3>\r\n"
    " </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n",
    "auth_failure",
    "IIS 401 page, invalid credentials",
    content_type="text/html",
    headers={"Server": "Microsoft-IIS/10.0", "WWW-Authenticate": "Negotiate"},
)

PART.add(
    "b-html-scheduled-maintenance-announcement",
    200,
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Scheduled maintenance on June 9 | Acme Community</title></head>'
    '<body><article class="post"><h1>Scheduled maintenance on June 9</h1><p class="meta">Posted by Acme Ops · 2 days ago</p>'
    "<p>On Sunday, June 9, from 02:00 to 04:00 UTC, the API will be unavailable while we upgrade our database cluster. "
    "During this window requests will fail with <code>503 Service Unavailable</code>; clients should retry after the window.</p>"
    "<p>No action is required. Sorry for the inconvenience.</p></article></body></html>",
    None,
    "a forum post announcing future maintenance and 503s, fetched by a browser: ordinary content",
    content_type=HTML,
    request={"method": "GET", "path": "/t/scheduled-maintenance-on-june-9/4471", "headers": {"Accept": "text/html"}},
    trap=True,
)

PART.add(
    "b-html-search-results-for-access-denied",
    200,
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search results for "access denied" – Help Center</title></head>'
    '<body><form action="/search"><input name="q" value="access denied"></form>'
    '<p class="count">3 results for <b>access denied</b></p><ol class="results">'
    '<li><a href="/articles/101">Fixing "Access denied" when connecting the mobile app</a></li>'
    '<li><a href="/articles/214">Why does my API key return 403 Forbidden?</a></li>'
    '<li><a href="/articles/377">Session expired errors after changing your password</a></li></ol></body></html>',
    None,
    "help-centre search results page whose query and article titles are error phrases",
    content_type=HTML,
    request={"method": "GET", "path": "/search?q=access+denied", "headers": {"Accept": "text/html"}},
    trap=True,
    holdout=True,
)

# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------

PART.add(
    "b-text-mysql-1045-access-denied",
    200,
    "Error 1045: Access denied for user 'report_ro'@'10.12.4.7' (using password: YES)",
    "auth_failure",
    "DB-console API asked to connect with the caller's credentials: MySQL 1045 access denied",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/api/sql/connect", "headers": {"Accept": "text/plain"}},
)

PART.add(
    "b-text-failed-quota-exceeded",
    200,
    "FAILED: quota exceeded (5000/5000 lookups this month)\n",
    "rate_limit",
    "'FAILED:' line, monthly lookup quota used up",
    content_type="text/plain",
    request={"method": "GET", "path": "/lookup?ip=203.0.113.9&key=k_29af"},
)

PART.add(
    "b-text-bare-e-invalid-param",
    200,
    "E_INVALID_PARAM",
    "validation",
    "bare error constant E_INVALID_PARAM as the whole reply",
    content_type="text/plain",
    request={"method": "GET", "path": "/cgi-bin/api.cgi?cmd=setTimer&duration=-5"},
    holdout=True,
)

PART.add(
    "b-text-result-fail-unknown-recipient",
    200,
    "result: fail\nreason: recipient 'ops-oncall@example.org' not found\nid: -\n",
    "not_found",
    "'result: fail' with a reason: the recipient does not exist",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/notify"},
)

PART.add(
    "b-text-ko-paiement-refuse",
    200,
    "KO - Paiement refusé par la banque émettrice (code 05)",
    "payment",
    "French 'KO -' reply: the issuing bank refused the payment",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/paiement/autorisation"},
    holdout=True,
)

PART.add(
    "b-text-zh-phone-already-registered",
    200,
    "错误：该手机号已注册，请直接登录或更换手机号",
    "conflict",
    "Chinese text: this phone number is already registered",
    content_type="text/plain;charset=UTF-8",
    request={"method": "POST", "path": "/api/user/register"},
)

PART.add(
    "b-text-ja-out-of-stock",
    200,
    "エラー：在庫が不足しているため注文を確定できませんでした（商品コード：A-1022）\r\n",
    "generic_business_error",
    "Japanese text: the order could not be confirmed because stock is insufficient",
    content_type="text/plain; charset=UTF-8",
    request={"method": "POST", "path": "/api/order/commit"},
)

PART.add(
    "b-text-healthcheck-zero-failures",
    200,
    "status: ok\nchecks: 7 passed, 0 failed\nlast_error: none\ndb: ok\ncache: ok\nqueue_backlog: 0\n",
    None,
    "plain-text health check: 0 failed, last_error none",
    content_type="text/plain",
    request={"method": "GET", "path": "/healthz?verbose=1"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# Name-value pairs
# --------------------------------------------------------------------------------------------

PART.add(
    "b-sagepay-status-rejected",
    200,
    "VPSProtocol=3.00\r\nStatus=REJECTED\r\n"
    "StatusDetail=2001 : The Transaction was rejected because of the AVS/CV2 rules.\r\n"
    "VPSTxId={6E1C8B0A-4F2D-9A73-1B5C-3D8E7F901A2B}\r\nSecurityKey=\r\n"
    "AVSCV2=NO DATA MATCHES\r\nAddressResult=NOTMATCHED\r\nPostCodeResult=NOTMATCHED\r\nCV2Result=NOTMATCHED\r\n",
    "payment",
    "Sage Pay Direct Status=REJECTED: the card transaction was refused by the AVS/CV2 rules",
    content_type="text/plain",
    request={"method": "POST", "path": "/gateway/service/vspdirect-register.vsp"},
)

PART.add(
    "b-sagepay-status-ok-avs-notmatched",
    200,
    "VPSProtocol=3.00\r\nStatus=OK\r\nStatusDetail=0000 : The Authorisation was Successful.\r\n"
    "VPSTxId={2B9F4C71-0D3E-48A6-95B1-7C2E0F1D6A34}\r\nSecurityKey=KQ4WZ0X8TM\r\nTxAuthNo=8123497\r\n"
    "AVSCV2=SECURITY CODE MATCH ONLY\r\nAddressResult=NOTMATCHED\r\nPostCodeResult=NOTMATCHED\r\n"
    "CV2Result=MATCHED\r\n3DSecureStatus=NOTCHECKED\r\n",
    None,
    "Sage Pay Status=OK, authorisation successful; the NOTMATCHED address checks are informational",
    content_type="text/plain",
    trap=True,
    holdout=True,
)

PART.add(
    "b-payflow-result-12-declined",
    200,
    "RESULT=12&PNREF=V19A2E3CB0D4&RESPMSG=Declined&AVSADDR=Y&AVSZIP=Y&CVV2MATCH=Y&HOSTCODE=05&PROCAVS=Y&PROCCVV2=M",
    "payment",
    "PayPal Payflow Pro RESULT=12 RESPMSG=Declined",
    content_type="text/namevalue",
    request={"method": "POST", "path": "/transaction"},
    holdout=True,
)

PART.add(
    "b-nvp-errorcode-errormessage-400",
    400,
    "status=FAILED&errorCode=PARAM_AMOUNT_INVALID&errorMessage=amount+must+be+a+positive+integer+in+minor+units&requestId=r-8f12a0",
    "validation",
    "form-encoded errorCode/errorMessage with 400: invalid amount parameter",
    content_type="application/x-www-form-urlencoded; charset=UTF-8",
)
