"""Markup and other non-JSON bodies, third round: payment-gateway XML (Authorize.net XML API,
Worldpay, Ogone DirectLink, Realex), Amazon Product Advertising and MWS reports, GData errors,
travel GDS SOAP (Sabre, Travelport), government services (USPS Web Tools, Brazilian NF-e SEFAZ,
EU VIES), SMS and airtime gateways, Atom feeds, SOAP stacks (JAX-WS, CXF WS-Security, NuSOAP,
ASMX, SAP RFC exceptions, Oracle EBS SOA gateway) with faults or with result/status elements in
the body (``IsSuccessful``, ``success``, ``ResultCode``, ``X_RETURN_STATUS``, ``result="error"``,
``<Status>Failed</Status>``); HTML served to API calls by frameworks and servers (Rails,
Laravel/Whoops, Express, Werkzeug, Django, Next.js, HAProxy, Akamai, Heroku, Envoy), SSO
pages (Okta, Azure AD, CAS, SAML auto-post) answering XHR/JSON calls, session-expired and
maintenance pages in several languages, hosted payment error pages; plain-text errors in many
conventions (``Error 403:``, ``ERR_*``, ``[ERROR]``, Java/Python/Go crashes, ``NG:``,
``code=1&msg=``, Chinese/Japanese/Russian, single words) and plain successes; NVP replies of NMI,
Payflow, Converge, PayU India, Clickatell and others.  The traps are ordinary content (docs,
browser pages, a browser's login page, feeds, reports, CI logs, CSV exports, a VAT check whose
answer is "not valid", a feed processing report where one message of many failed).
"""

from tests.semantic_errors.shapes import Part

PART = Part("markup")

XML = "text/xml; charset=utf-8"
SOAP12 = "application/soap+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON_CALL = {"Accept": "application/json"}
XHR_CALL = {"Accept": "application/json, text/plain, */*", "X-Requested-With": "XMLHttpRequest"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

# --------------------------------------------------------------------------------------------
# XML APIs and SOAP
# --------------------------------------------------------------------------------------------

PART.add(
    "c-authnet-xml-e00007-auth",
    200,
    '\ufeff<?xml version="1.0" encoding="utf-8"?><ErrorResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<messages><resultCode>Error</resultCode><message><code>E00007</code>"
    "<text>User authentication failed due to invalid authentication values.</text></message></messages></ErrorResponse>",
    "auth_failure",
    "Authorize.net XML API (leading BOM as it sends): resultCode Error, E00007 invalid authentication values (bad API login/transaction key)",
    content_type="application/xml; charset=utf-8",
    request={"method": "POST", "path": "/xml/v1/request.api"},
)

PART.add(
    "c-worldpay-xml-lastevent-refused",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE paymentService PUBLIC "-//WorldPay//DTD WorldPay PaymentService v1//EN"\n'
    '                                "http://dtd.worldpay.com/paymentService_v1.dtd">\n'
    '<paymentService version="1.4" merchantCode="ACMESHOPGBP">\n'
    "  <reply>\n"
    '    <orderStatus orderCode="ORD-2024-06-00412">\n'
    "      <payment>\n"
    "        <paymentMethod>ECMC_DEBIT-SSL</paymentMethod>\n"
    '        <amount value="4599" currencyCode="GBP" exponent="2" debitCreditIndicator="credit"/>\n'
    "        <lastEvent>REFUSED</lastEvent>\n"
    '        <ISO8583ReturnCode code="51" description="LIMIT EXCEEDED"/>\n'
    '        <CVCResultCode description="C"/>\n'
    '        <AVSResultCode description="E"/>\n'
    '        <riskScore value="0"/>\n'
    "      </payment>\n"
    "    </orderStatus>\n"
    "  </reply>\n"
    "</paymentService>\n",
    "payment",
    "Worldpay XML order status: lastEvent REFUSED with ISO 8583 code 51 (limit exceeded)",
    content_type="text/xml",
    request={"method": "POST", "path": "/jsp/merchant/xml/paymentService.jsp"},
)

PART.add(
    "c-ogone-directlink-ncerror-data-validation",
    200,
    '<?xml version="1.0"?><ncresponse\norderID="A-99812"\nPAYID="0"\nNCSTATUS="5"\nNCERROR="50001111"\n'
    'ACCEPTANCE=""\nSTATUS="0"\nIPCTY=""\nCCCTY=""\namount=""\ncurrency="EUR"\nPM=""\nBRAND=""\n'
    'NCERRORPLUS="Data validation error: ED - expiry date has an invalid format (expected MMYY)">\n</ncresponse>',
    "validation",
    "Ogone/Ingenico DirectLink ncresponse: STATUS 0 (invalid or incomplete), NCERROR 50001111 data validation, bad expiry format",
    content_type="text/xml",
    request={"method": "POST", "path": "/ncol/prod/orderdirect.asp"},
)

PART.add(
    "c-realex-result-501-already-processed",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\r\n<response timestamp="20240604113015">\r\n'
    "<merchantid>acmeretail</merchantid>\r\n<account>internet</account>\r\n<orderid>N6qsk4kYRZihmPrTXWYS6g</orderid>\r\n"
    "<result>501</result>\r\n"
    "<message>This transaction (N6qsk4kYRZihmPrTXWYS6g) has already been processed! "
    "If you feel this is incorrect please contact the merchant!</message>\r\n"
    "</response>\r\n",
    "conflict",
    "Realex auth reply result 501: this order id was already processed (duplicate), nothing new was charged",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/epage-remote.cgi"},
)

PART.add(
    "c-paapi-itemlookup-invalid-itemid",
    200,
    '<?xml version="1.0" ?><ItemLookupResponse xmlns="http://webservices.amazon.com/AWSECommerceService/2011-08-01">'
    "<OperationRequest><RequestId>6b0f3c1a-2e7d-4f58-9a12-83c4d5e6f701</RequestId>"
    '<Arguments><Argument Name="Operation" Value="ItemLookup"></Argument><Argument Name="Service" Value="AWSECommerceService"></Argument>'
    '<Argument Name="ItemId" Value="B00ZZZZ123"></Argument><Argument Name="IdType" Value="ASIN"></Argument></Arguments>'
    "<RequestProcessingTime>0.0042130000000000</RequestProcessingTime></OperationRequest>"
    "<Items><Request><IsValid>True</IsValid><ItemLookupRequest><IdType>ASIN</IdType><ItemId>B00ZZZZ123</ItemId>"
    "<ResponseGroup>Large</ResponseGroup><VariationPage>All</VariationPage></ItemLookupRequest>"
    "<Errors><Error><Code>AWS.InvalidParameterValue</Code>"
    "<Message>B00ZZZZ123 is not a valid value for ItemId. Please change this value and retry your request.</Message>"
    "</Error></Errors></Request></Items></ItemLookupResponse>",
    "validation",
    "Product Advertising API ItemLookup: IsValid True (request syntax) but Errors AWS.InvalidParameterValue for ItemId, no item",
    content_type="text/xml;charset=UTF-8",
    request={"method": "GET", "path": "/onca/xml?Service=AWSECommerceService&Operation=ItemLookup&ItemId=B00ZZZZ123"},
)

PART.add(
    "c-mws-feed-processing-report-one-of-25",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n'
    "\t<Header>\n\t\t<DocumentVersion>1.02</DocumentVersion>\n\t\t<MerchantIdentifier>A1B2C3D4E5F6G7</MerchantIdentifier>\n\t</Header>\n"
    "\t<MessageType>ProcessingReport</MessageType>\n\t<Message>\n\t\t<MessageID>1</MessageID>\n\t\t<ProcessingReport>\n"
    "\t\t\t<DocumentTransactionID>50123018012</DocumentTransactionID>\n\t\t\t<StatusCode>Complete</StatusCode>\n"
    "\t\t\t<ProcessingSummary>\n\t\t\t\t<MessagesProcessed>25</MessagesProcessed>\n\t\t\t\t<MessagesSuccessful>24</MessagesSuccessful>\n"
    "\t\t\t\t<MessagesWithError>1</MessagesWithError>\n\t\t\t\t<MessagesWithWarning>0</MessagesWithWarning>\n\t\t\t</ProcessingSummary>\n"
    "\t\t\t<Result>\n\t\t\t\t<MessageID>17</MessageID>\n\t\t\t\t<ResultCode>Error</ResultCode>\n"
    "\t\t\t\t<ResultMessageCode>8560</ResultMessageCode>\n"
    "\t\t\t\t<ResultDescription>SKU HB-2231, Missing Attributes product_type. SKU HB-2231 does not match any ASIN.</ResultDescription>\n"
    "\t\t\t\t<AdditionalInfo><SKU>HB-2231</SKU></AdditionalInfo>\n\t\t\t</Result>\n"
    "\t\t</ProcessingReport>\n\t</Message>\n</AmazonEnvelope>\n",
    None,
    "MWS GetFeedSubmissionResult: the report was fetched; the feed completed with 24 of 25 messages successful (one item error is data)",
    content_type="text/xml",
    request={"method": "POST", "path": "/Feeds/2009-01-01?Action=GetFeedSubmissionResult"},
    trap=True,
)

PART.add(
    "c-youtube-gdata-quota-too-many-recent-calls-403",
    403,
    "<?xml version='1.0' encoding='UTF-8'?><errors><error><domain>yt:quota</domain>"
    "<code>too_many_recent_calls</code></error></errors>",
    "rate_limit",
    "YouTube GData v2 error document yt:quota too_many_recent_calls with 403: throttling, more specific than forbidden",
    content_type="application/vnd.google.gdata.error+xml",
    request={"method": "GET", "path": "/feeds/api/users/default/uploads?v=2"},
)

PART.add(
    "c-sabre-soap-invalid-security-token",
    200,
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header>'
    '<eb:MessageHeader xmlns:eb="http://www.ebxml.org/namespaces/messageHeader" eb:version="1.0" soap-env:mustUnderstand="1">'
    '<eb:From><eb:PartyId eb:type="URI">webservices.sabre.com</eb:PartyId></eb:From>'
    '<eb:To><eb:PartyId eb:type="URI">agency</eb:PartyId></eb:To><eb:CPAId>AB12</eb:CPAId>'
    "<eb:ConversationId>conv-20240604-7781</eb:ConversationId>"
    '<eb:Service eb:type="sabreXML">BargainFinderMaxRQ</eb:Service><eb:Action>ErrorRS</eb:Action>'
    "<eb:MessageData><eb:MessageId>2841079320158331580</eb:MessageId><eb:Timestamp>2024-06-04T09:41:12</eb:Timestamp>"
    "<eb:RefToMessageId>mid-11823</eb:RefToMessageId></eb:MessageData></eb:MessageHeader></soap-env:Header>"
    "<soap-env:Body><soap-env:Fault><faultcode>soap-env:Client.InvalidSecurityToken</faultcode>"
    "<faultstring>Invalid or Expired binary security token: Shared/IDL:IceSess\\/SessMgr:1\\.0.IDL/Common/!ICESMS\\/RESF!ICESMSLB\\/RES.LB!-3177016070087638144!1231244!0</faultstring>"
    "<detail><StackTrace>com.sabre.universalservices.base.security.AuthenticationException: "
    "errors.session.USG_INVALID_SECURITY_TOKEN</StackTrace></detail></soap-env:Fault></soap-env:Body></soap-env:Envelope>",
    "auth_failure",
    "Sabre SOAP fault Client.InvalidSecurityToken: session token invalid or expired",
    content_type="text/xml;charset=utf-8",
    request={"method": "POST", "path": "/websvc"},
)

PART.add(
    "c-travelport-soap-unable-to-sell",
    200,
    '<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/"><SOAP:Body><SOAP:Fault>'
    "<faultcode>Server.Business</faultcode>"
    "<faultstring>Unable to sell segment(s). UNABLE TO SELL - CLASS NOT AVAILABLE LH 401 Y 12JUL FRAJFK</faultstring>"
    '<detail><common_v52_0:ErrorInfo xmlns:common_v52_0="http://www.travelport.com/schema/common_v52_0">'
    "<common_v52_0:Code>4971</common_v52_0:Code><common_v52_0:Service>AIRSVC</common_v52_0:Service>"
    "<common_v52_0:Type>Business</common_v52_0:Type>"
    "<common_v52_0:Description>Unable to sell segment(s).</common_v52_0:Description>"
    "<common_v52_0:TransactionId>7A3F0C5E0A07643A1B9E2C4D5F6A7B8C</common_v52_0:TransactionId>"
    "<common_v52_0:TraceId>trace-88120</common_v52_0:TraceId></common_v52_0:ErrorInfo></detail>"
    "</SOAP:Fault></SOAP:Body></SOAP:Envelope>",
    "generic_business_error",
    "Travelport uAPI AirCreateReservation fault Server.Business: segment could not be sold (class not available), nothing booked",
    content_type="text/xml",
    request={"method": "POST", "path": "/B2BGateway/connect/uAPI/AirService"},
)

PART.add(
    "c-usps-ratev4-invalid-zip",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<RateV4Response><Package ID="1ST"><Error>'
    "<Number>-2147219497</Number><Source>DomesticRatesV4;clsRateV4.ValidateOriginZip;RateEngineV4.ProcessRequest</Source>"
    "<Description>Please enter a valid ZIP Code for the sender.  </Description><HelpFile/><HelpContext/>"
    "</Error></Package></RateV4Response>",
    "validation",
    "USPS Web Tools RateV4: the only package carries an Error, the sender ZIP code is invalid, no rate returned",
    content_type="text/xml",
    request={"method": "GET", "path": "/ShippingAPI.dll?API=RateV4&XML=%3CRateV4Request..."},
)

PART.add(
    "c-sefaz-nfe-cstat-204-duplicidade",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    '<nfeResultMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeAutorizacao4">'
    '<retEnviNFe versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe"><tpAmb>1</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic>'
    "<cStat>104</cStat><xMotivo>Lote processado</xMotivo><cUF>35</cUF><dhRecbto>2024-06-04T10:22:31-03:00</dhRecbto>"
    '<protNFe versao="4.00"><infProt><tpAmb>1</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic>'
    "<chNFe>35240612345678000190550010000123451000123456</chNFe><dhRecbto>2024-06-04T10:22:31-03:00</dhRecbto>"
    "<digVal>x3Yk8mP0aQv2bZ1nR7sT9uW4cE=</digVal><cStat>204</cStat>"
    "<xMotivo>Rejeição: Duplicidade de NF-e [nRec:351000123456789]</xMotivo></infProt></protNFe>"
    "</retEnviNFe></nfeResultMsg></soap:Body></soap:Envelope>",
    "conflict",
    "SEFAZ NF-e authorisation: batch cStat 104 'processed' but its only invoice is rejected, cStat 204 duplicate NF-e (subtle: outer status is fine)",
    content_type="application/soap+xml; charset=utf-8",
    request={"method": "POST", "path": "/ws/nfeautorizacao4.asmx"},
)

PART.add(
    "c-vies-checkvat-valid-false",
    200,
    '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>'
    '<ns2:checkVatResponse xmlns:ns2="urn:ec.europa.eu:taxud:vies:services:checkVat:types">'
    "<ns2:countryCode>DE</ns2:countryCode><ns2:vatNumber>123456788</ns2:vatNumber>"
    "<ns2:requestDate>2024-06-04+02:00</ns2:requestDate><ns2:valid>false</ns2:valid>"
    "<ns2:name>---</ns2:name><ns2:address>---</ns2:address></ns2:checkVatResponse></env:Body></env:Envelope>",
    None,
    "EU VIES checkVat answered: the VAT number is not valid. The check succeeded; 'valid=false' is its answer (data)",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/taxation_customs/vies/services/checkVatService"},
    trap=True,
)

PART.add(
    "c-sms-xml-issuccessful-false-daily-limit",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\r\n'
    '<SendSmsResponse xmlns="http://api.smsgateway.example/v2">\r\n'
    "  <IsSuccessful>false</IsSuccessful>\r\n"
    "  <ErrorCode>ERR_DAILY_LIMIT_REACHED</ErrorCode>\r\n"
    "  <ErrorDescription>Daily sending limit of 10000 messages reached for sender ACMEBANK. Resets at 00:00 UTC.</ErrorDescription>\r\n"
    "  <MessageId />\r\n"
    "  <Credits>48211</Credits>\r\n"
    "</SendSmsResponse>",
    "rate_limit",
    "SMS gateway XML: IsSuccessful false, daily sending limit reached (credits remain, so not a balance problem)",
    content_type="application/xml; charset=utf-8",
    request={"method": "POST", "path": "/v2/sms/send"},
)

PART.add(
    "c-airtime-topup-status-failed-float",
    200,
    '<?xml version="1.0"?>\n<TopupResponse>\n  <TransactionRef>TP-7781220</TransactionRef>\n'
    "  <Msisdn>2348031234567</Msisdn>\n  <Operator>MTN-NG</Operator>\n"
    '  <Amount currency="NGN">1000</Amount>\n  <Status>Failed</Status>\n  <StatusCode>102</StatusCode>\n'
    "  <StatusText>Insufficient float balance on reseller wallet</StatusText>\n"
    "  <Timestamp>2024-06-04T11:02:44+01:00</Timestamp>\n</TopupResponse>\n",
    "payment",
    "airtime top-up: Status Failed, the reseller wallet balance is insufficient",
    content_type="application/xml",
    request={"method": "POST", "path": "/api/topup"},
)

PART.add(
    "c-atom-private-feed-key-invalid",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>tag:tracker.example.com,2024:/projects/mobile/activity</id>\n"
    "  <title>Error</title>\n  <updated>2024-06-04T08:00:00Z</updated>\n"
    '  <link rel="self" href="https://tracker.example.com/projects/mobile/activity.atom?key=3f9c0d"/>\n'
    "  <entry>\n    <id>tag:tracker.example.com,2024:error/401</id>\n"
    "    <title>Authentication required</title>\n    <updated>2024-06-04T08:00:00Z</updated>\n"
    '    <content type="text">The feed key in this URL is invalid or has been reset. '
    "Copy the new private feed URL from your account settings.</content>\n  </entry>\n</feed>\n",
    "auth_failure",
    "Atom feed whose title is 'Error' and single entry says the private feed key is invalid: no activity was returned",
    content_type="application/atom+xml; charset=utf-8",
    request={"method": "GET", "path": "/projects/mobile/activity.atom?key=3f9c0d"},
)

PART.add(
    "c-atom-security-advisories-feed",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
    "<title>Acme Linux security advisories</title>\n<id>https://security.acme-linux.org/feed.atom</id>\n"
    "<updated>2024-06-03T19:12:00Z</updated>\n"
    "<entry><title>ASA-2024-0412: openssh - authentication bypass</title>\n"
    "<id>https://security.acme-linux.org/ASA-2024-0412</id><updated>2024-06-03T19:12:00Z</updated>\n"
    "<summary>A flaw in the handling of keyboard-interactive authentication may allow a remote attacker to bypass "
    "authentication. Denial of service is also possible. Upgrade to 9.7p1-2.</summary></entry>\n"
    "<entry><title>ASA-2024-0409: curl - invalid certificate accepted</title>\n"
    "<id>https://security.acme-linux.org/ASA-2024-0409</id><updated>2024-05-29T08:40:00Z</updated>\n"
    "<summary>An error in certificate verification could lead to an expired certificate being accepted.</summary></entry>\n"
    "</feed>\n",
    None,
    "Atom feed of security advisories: 'authentication bypass', 'denial of service', 'error' are the entries' subject",
    content_type="application/atom+xml",
    request={"method": "GET", "path": "/feed.atom"},
    trap=True,
)

PART.add(
    "c-jaxws-fault-insufficient-funds",
    200,
    "<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>"
    '<S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope"><faultcode>S:Server</faultcode>'
    "<faultstring>Insufficient funds on account 4410-22: available 212.40 EUR, requested 500.00 EUR</faultstring>"
    '<detail><ns2:InsufficientFundsFault xmlns:ns2="http://transfer.bank.example.com/ws/">'
    "<accountId>4410-22</accountId><available>212.40</available><requested>500.00</requested>"
    "<message>Insufficient funds on account 4410-22</message></ns2:InsufficientFundsFault></detail>"
    "</S:Fault></S:Body></S:Envelope>",
    "payment",
    "JAX-WS (Metro) fault with an InsufficientFundsFault detail: the transfer was not made",
    content_type="text/xml;charset=utf-8",
    request={"method": "POST", "path": "/transfer-ws/TransferService"},
)

PART.add(
    "c-cxf-wss-failed-authentication",
    200,
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
    '<faultcode xmlns:ns1="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">ns1:FailedAuthentication</faultcode>'
    "<faultstring>The security token could not be authenticated or authorized</faultstring>"
    "</soap:Fault></soap:Body></soap:Envelope>",
    "auth_failure",
    "Apache CXF WS-Security fault wsse:FailedAuthentication (UsernameToken rejected)",
    content_type="text/xml;charset=UTF-8",
    headers={"Server": "Apache-Coyote/1.1"},
    request={"method": "POST", "path": "/services/CustomerService"},
)

PART.add(
    "c-nusoap-return-success-0-product",
    200,
    '<?xml version="1.0" encoding="ISO-8859-1"?><SOAP-ENV:Envelope SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" '
    'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" '
    'xmlns:tns="urn:stockservice"><SOAP-ENV:Body><ns1:getStockResponse xmlns:ns1="urn:stockservice">'
    '<return xsi:type="tns:StockResult"><success xsi:type="xsd:int">0</success>'
    '<message xsi:type="xsd:string">Product code TR-4471 not found</message>'
    '<quantity xsi:type="xsd:int">0</quantity></return></ns1:getStockResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    "not_found",
    "PHP NuSOAP reply: <success>0</success> with 'Product code ... not found'",
    content_type="text/xml; charset=ISO-8859-1",
    headers={"X-SOAP-Server": "NuSOAP/0.9.5 (1.123)", "X-Powered-By": "PHP/5.6.40"},
    request={"method": "POST", "path": "/ws/stock.php"},
)

PART.add(
    "c-asmx-issuccessful-false-credit-hold",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    '<ReleaseOrderResponse xmlns="http://erp.example.com/webservices/"><ReleaseOrderResult>'
    "<OrderNumber>SO-118204</OrderNumber><IsSuccessful>false</IsSuccessful><ErrorNumber>3107</ErrorNumber>"
    "<ErrorMessage>Order SO-118204 cannot be released: customer C-20331 is on credit hold.</ErrorMessage>"
    "<OrderStatus>Held</OrderStatus></ReleaseOrderResult></ReleaseOrderResponse></soap:Body></soap:Envelope>",
    "generic_business_error",
    "ASMX result IsSuccessful false: the order could not be released (customer on credit hold, a business rule, not a card decline)",
    content_type=XML,
    headers={"Server": "Microsoft-IIS/10.0", "X-AspNet-Version": "4.0.30319"},
    request={"method": "POST", "path": "/ErpService/Orders.asmx"},
)

PART.add(
    "c-sap-rfc-exception-material-not-found",
    200,
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/><soap-env:Body>'
    "<soap-env:Fault><faultcode>soap-env:Client</faultcode>"
    '<faultstring xml:lang="en">MATERIAL_NOT_FOUND</faultstring><detail>'
    '<n0:Z_MM_GET_STOCK.Exception xmlns:n0="urn:sap-com:document:sap:rfc:functions">'
    "<Name>MATERIAL_NOT_FOUND</Name><Text>Material 4711-AX does not exist</Text>"
    "<Message><ID>M3</ID><Number>305</Number></Message></n0:Z_MM_GET_STOCK.Exception>"
    "</detail></soap-env:Fault></soap-env:Body></soap-env:Envelope>",
    "not_found",
    "SAP SOAP runtime maps an RFC exception to a fault: MATERIAL_NOT_FOUND, material does not exist",
    content_type="text/xml; charset=utf-8",
    headers={"Server": "SAP NetWeaver Application Server 7.50 / AS ABAP 750"},
    request={"method": "POST", "path": "/sap/bc/srt/rfc/sap/z_mm_get_stock/100/z_mm_get_stock/binding"},
)

PART.add(
    "c-oracle-ebs-isg-x-return-status-e",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><env:Header/><env:Body>'
    '<OutputParameters xmlns="http://xmlns.oracle.com/apps/ar/soaprovider/plsql/hz_cust_account_v2pub/create_cust_account/">'
    '<X_CUST_ACCOUNT_ID xsi:nil="true"/><X_ACCOUNT_NUMBER xsi:nil="true"/><X_PARTY_ID xsi:nil="true"/>'
    '<X_PARTY_NUMBER xsi:nil="true"/><X_PROFILE_ID xsi:nil="true"/>'
    "<X_RETURN_STATUS>E</X_RETURN_STATUS><X_MSG_COUNT>1</X_MSG_COUNT>"
    "<X_MSG_DATA>The account number 10422 already exists. Please enter a unique account number.</X_MSG_DATA>"
    "</OutputParameters></env:Body></env:Envelope>",
    "conflict",
    "Oracle EBS SOA gateway: X_RETURN_STATUS E (error), all ids nil, account number already exists",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/webservices/SOAProvider/plsql/hz_cust_account_v2pub/"},
)

PART.add(
    "c-xml-response-attr-result-error-e101",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<api version="2.3">\n'
    '  <response method="campaign.send" result="error" code="E101" message="Missing required parameter: list_id"/>\n'
    "</api>\n",
    "validation",
    'result carried in attributes: result="error" code="E101", a required parameter is missing',
    content_type="application/xml",
    request={"method": "POST", "path": "/api/xml/campaign.send"},
)

PART.add(
    "c-wcf-resultcode-1-tr-login-wrong",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<SendInvoiceResponse xmlns="http://tempuri.org/"><SendInvoiceResult '
    'xmlns:a="http://schemas.datacontract.org/2004/07/EFatura.Entities" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    '<a:InvoiceUUID i:nil="true"/><a:ResultCode>1</a:ResultCode>'
    "<a:ResultMessage>Kullanıcı adı veya şifre hatalı.</a:ResultMessage>"
    "</SendInvoiceResult></SendInvoiceResponse></s:Body></s:Envelope>",
    "auth_failure",
    "Turkish e-invoice integrator (WCF DataContract): ResultCode 1, 'user name or password is wrong', no invoice UUID",
    content_type=XML,
    request={"method": "POST", "path": "/EFaturaService.svc"},
)

# --------------------------------------------------------------------------------------------
# HTML answering API calls
# --------------------------------------------------------------------------------------------

PART.add(
    "c-rails-public-500-were-sorry-200",
    200,
    "<!DOCTYPE html>\n<html>\n<head>\n  <title>We're sorry, but something went wrong (500)</title>\n"
    '  <meta name="viewport" content="width=device-width,initial-scale=1">\n  <style>\n'
    "  .rails-default-error-page {\n    background-color: #EFEFEF;\n    color: #2E2F30;\n    text-align: center;\n"
    "    font-family: arial, sans-serif;\n    margin: 0;\n  }\n  </style>\n</head>\n\n"
    '<body class="rails-default-error-page">\n  <!-- This file lives in public/500.html -->\n  <div class="dialog">\n'
    "    <div>\n      <h1>We're sorry, but something went wrong.</h1>\n    </div>\n"
    "    <p>If you are the application owner check the logs for more information.</p>\n  </div>\n</body>\n</html>\n",
    "generic_business_error",
    "Rails public/500.html ('We're sorry, but something went wrong') served with 200 by a CDN error fallback to a JSON call",
    content_type="text/html",
    request={"method": "POST", "path": "/api/v1/subscriptions", "headers": JSON_CALL},
)

PART.add(
    "c-laravel-whoops-query-exception-200",
    200,
    "<!DOCTYPE html><!--\n\nIlluminate\\Database\\QueryException: SQLSTATE[HY000] [2002] Connection refused "
    "(SQL: select * from `invoices` where `customer_id` = 912) in file /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php on line 712\n-->\n"
    '<html>\n  <head>\n    <meta charset="utf-8">\n    <meta name="robots" content="noindex,nofollow"/>\n'
    "    <title>Whoops! There was an error.</title>\n  </head>\n  <body>\n"
    '    <div class="Whoops container"><div class="stack-container"><div class="left-panel cf">'
    '<header><div class="exception"><div class="exc-title">'
    '<span class="exc-title-primary">Illuminate\\Database\\QueryException</span></div>'
    '<div class="exception-message">SQLSTATE[HY000] [2002] Connection refused</div>',
    "generic_business_error",
    "Laravel Whoops error page (QueryException, DB connection refused) returned with 200 to the invoices API",
    content_type="text/html; charset=UTF-8",
    headers={"X-Powered-By": "PHP/7.4.33"},
    request={"method": "GET", "path": "/api/customers/912/invoices", "headers": XHR_CALL},
)

PART.add(
    "c-express-cannot-post-404",
    404,
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n'
    "<pre>Cannot POST /api/v2/orders/8812/cancel</pre>\n</body>\n</html>\n",
    "not_found",
    "Express default 404 'Cannot POST <path>': no such route",
    content_type="text/html; charset=utf-8",
    headers={
        "X-Powered-By": "Express",
        "Content-Security-Policy": "default-src 'none'",
        "X-Content-Type-Options": "nosniff",
    },
    request={"method": "POST", "path": "/api/v2/orders/8812/cancel", "headers": JSON_CALL},
)

PART.add(
    "c-werkzeug-debugger-500",
    500,
    "<!doctype html>\n<html lang=en>\n  <head>\n    <title>sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) "
    'connection to server at "db" (10.0.3.7), port 5432 failed: Connection refused\n // Werkzeug Debugger</title>\n'
    '    <link rel="stylesheet" href="?__debugger__=yes&amp;cmd=resource&amp;f=style.css">\n'
    '    <script src="?__debugger__=yes&amp;cmd=resource&amp;f=debugger.js"></script>\n'
    "    <script>\n      var CONSOLE_MODE = false,\n          EVALEX = true,\n          EVALEX_TRUSTED = false,\n"
    '          SECRET = "kQ2b7xYcT0pLm3vN9aRz";\n    </script>\n  </head>\n  <body style="background-color: #fff">\n'
    '    <div class="debugger">\n<h1>OperationalError</h1>\n<div class="detail">\n'
    '  <p class="errormsg">sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed</p>\n</div>\n',
    "server_error",
    "Flask/Werkzeug interactive debugger page with 500",
    content_type="text/html; charset=utf-8",
    headers={"Server": "Werkzeug/3.0.3 Python/3.12.3"},
    request={"method": "GET", "path": "/api/reports/daily", "headers": JSON_CALL},
)

PART.add(
    "c-django-server-error-500-body-200",
    200,
    '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n'
    "  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n",
    "generic_business_error",
    "Django production 'Server Error (500)' body passed through with 200 by a BFF to the JSON client",
    content_type="text/html",
    request={"method": "PATCH", "path": "/api/profile/", "headers": JSON_CALL},
)

PART.add(
    "c-nextjs-404-static-host-200",
    200,
    '<!DOCTYPE html><html><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width"/>'
    "<title>404: This page could not be found</title>"
    '<meta name="next-head-count" content="3"/><noscript data-n-css=""></noscript>'
    '<script defer="" nomodule="" src="/_next/static/chunks/polyfills-c67a75d1b6f99dc8.js"></script></head>'
    '<body><div id="__next"><div style="font-family:system-ui,&quot;Segoe UI&quot;,Roboto,Helvetica,Arial,sans-serif;height:100vh;text-align:center;display:flex;flex-direction:column;align-items:center;justify-content:center">'
    '<div><h1 class="next-error-h1" style="display:inline-block;margin:0 20px 0 0;padding-right:23px;font-size:24px;font-weight:500;vertical-align:top;line-height:49px">404</h1>'
    '<div style="display:inline-block"><h2 style="font-size:14px;font-weight:400;line-height:49px;margin:0">This page could not be found.</h2></div></div></div></div>'
    '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"statusCode":404}},"page":"/_error","query":{},"buildId":"Xq3v0P9","nextExport":true,"isFallback":false,"gip":true,"scriptLoader":[]}</script></body></html>',
    "not_found",
    "Next.js exported 404 page ('This page could not be found', statusCode 404) served with 200 by the static host to an API GET",
    content_type="text/html",
    headers={"Server": "AmazonS3", "X-Cache": "Error from cloudfront"},
    request={"method": "GET", "path": "/api/products/sku-221", "headers": JSON_CALL},
)

PART.add(
    "c-haproxy-429-too-many-requests",
    429,
    "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n",
    "rate_limit",
    "HAProxy 429 page",
    content_type="text/html",
    headers={"Cache-Control": "no-cache", "Connection": "close"},
)

PART.add(
    "c-akamai-access-denied-reference-403",
    403,
    "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n"
    'You don\'t have permission to access "http&#58;&#47;&#47;api&#46;shop&#46;example&#46;com&#47;v1&#47;cart" on this server.<P>\n'
    "Reference&#32;&#35;18&#46;6a2d3e17&#46;1717495123&#46;2b8f4c1\n</BODY>\n</HTML>\n",
    "auth_failure",
    "Akamai edge 'Access Denied' with reference number and 403",
    content_type="text/html",
    headers={"Server": "AkamaiGHost", "Mime-Version": "1.0"},
    request={"method": "POST", "path": "/v1/cart", "headers": JSON_CALL},
)

PART.add(
    "c-heroku-application-error-503",
    503,
    '<!DOCTYPE html>\n\t<html>\n\t  <head>\n\t\t<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '\t\t<meta charset="utf-8">\n\t\t<title>Application Error</title>\n\t\t<style media="screen">\n'
    "\t\t  html,body,iframe {\n\t\t\tmargin: 0;\n\t\t\tpadding: 0;\n\t\t  }\n\t\t  html,body {\n\t\t\theight: 100%;\n"
    "\t\t\toverflow: hidden;\n\t\t  }\n\t\t  iframe {\n\t\t\twidth: 100%;\n\t\t\theight: 100%;\n\t\t\tborder: 0;\n\t\t  }\n"
    "\t\t</style>\n\t  </head>\n\t  <body>\n"
    '\t\t<iframe src="//www.herokucdn.com/error-pages/application-error.html"></iframe>\n\t  </body>\n\t</html>',
    "server_error",
    "Heroku router 'Application Error' page (H10 app crashed) with 503",
    content_type="text/html; charset=utf-8",
    headers={"Server": "Cowboy", "Via": "1.1 vegur"},
    request={"method": "GET", "path": "/api/status", "headers": JSON_CALL},
)

PART.add(
    "c-okta-signin-page-for-xhr",
    200,
    '<!DOCTYPE html>\n<!--[if IE 7]><html lang="en" class="lt-ie9 lt-ie8"><![endif]-->\n<html lang="en">\n<head>\n'
    '    <meta http-equiv="X-UA-Compatible" content="IE=edge" />\n    <meta name="robots" content="noindex,nofollow" />\n'
    "    <title>Acme Corp - Sign In</title>\n"
    '    <link href="https://ok12static.oktacdn.com/assets/loginpage/css/loginpage-theme.e0d37a504604ef8c6c6bcd8c06a5d15a.css" rel="stylesheet" type="text/css"/>\n'
    '    <script src="https://ok12static.oktacdn.com/assets/js/sdk/okta-signin-widget/7.18.0/js/okta-sign-in.min.js" type="text/javascript"></script>\n'
    '</head>\n<body class="auth okta-container">\n'
    '<div id="okta-sign-in" class="auth-container main-container"></div>\n'
    '<script type="text/javascript">\nvar okta = { locale: "en", deviceFingerprintingUrl: "/auth/services/devicefingerprint" };\n'
    "var signInWidgetConfig = { baseUrl: 'https://acme.okta.com', fromUri: '/app/acme_portal_1/exk1a2b3c4d5/sso/saml', "
    "stateToken: '02aB3cD4eF5gH6iJ7kL8mN9o' };\n</script>\n",
    "auth_failure",
    "Okta sign-in widget page answering the portal's XHR for JSON: the SSO session is gone",
    content_type=HTML,
    headers={"Server": "nginx", "X-Okta-Request-Id": "ZmQ3Y2I1YjA4N2E1"},
    request={"method": "GET", "path": "/api/dashboard/widgets", "headers": XHR_CALL},
)

PART.add(
    "c-azuread-signin-page-for-fetch",
    200,
    '\r\n\r\n<!-- Copyright (C) Microsoft Corporation. All rights reserved. -->\r\n<!DOCTYPE html>\r\n<html dir="ltr" class="" lang="en">\r\n'
    "<head>\r\n    <title>Sign in to your account</title>\r\n"
    '    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\r\n'
    '    <meta http-equiv="X-UA-Compatible" content="IE=edge">\r\n'
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=2.0, user-scalable=yes">\r\n'
    '    <meta http-equiv="Pragma" content="no-cache">\r\n    <meta http-equiv="Expires" content="-1">\r\n'
    '    <link rel="preconnect" href="https://aadcdn.msftauth.net" crossorigin>\r\n'
    '    <meta name="PageID" content="ConvergedSignIn" />\r\n    <meta name="SiteID" content="" />\r\n'
    "    <script type=\"text/javascript\" nonce='q0Xb3Jz9KkYwR2mA1sV8'>//<![CDATA[\r\n"
    '$Config={"fShowPersistentCookiesWarning":false,"urlMsaSignUp":"https://login.live.com/oauth20_authorize.srf",'
    '"sTenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47","sPOST_Username":"","sFTName":"flowToken","sFT":"AQABAAEAAAAmoFfGtYxvRrNriQdPKIZ-',
    "auth_failure",
    "Azure AD 'Sign in to your account' page (login.microsoftonline.com) returned to a fetch() for report JSON",
    content_type="text/html; charset=utf-8",
    headers={"x-ms-request-id": "4c2d7a1e-0b3f-4e6a-9d12-8f7e6a5b4c00"},
    request={
        "method": "GET",
        "path": "/api/reports/q2",
        "headers": {"Accept": "application/json", "Sec-Fetch-Mode": "cors"},
    },
)

PART.add(
    "c-cas-login-page-for-xhr",
    200,
    '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>'
    "<title>CAS - Central Authentication Service</title>"
    '<link rel="stylesheet" type="text/css" href="/cas/css/cas.css"/></head><body class="login mdc-typography">'
    '<main role="main" class="container mt-3 mb-3"><div id="loginForm" class="login-section">'
    '<form method="post" id="fm1" action="/cas/login?service=https%3A%2F%2Fregistrar.example.edu%2Fapi%2Fcourses">'
    "<h3>Enter Username &amp; Password</h3>"
    '<input class="mdc-text-field__input" id="username" size="25" type="text" accesskey="u" name="username" value="" autocomplete="off"/>'
    '<input class="mdc-text-field__input pwd" type="password" id="password" size="25" accesskey="p" name="password" value="" autocomplete="off"/>'
    '<input type="hidden" name="execution" value="e1s1_5f3b2c"/><input type="hidden" name="_eventId" value="submit"/>'
    '<button class="mdc-button mdc-button--raised" name="submit" accesskey="l" type="submit" value="LOGIN">LOGIN</button>'
    "</form></div></main></body></html>",
    "auth_failure",
    "Apereo CAS login form (service= the API URL) answering an XHR: not authenticated",
    content_type="text/html;charset=UTF-8",
    request={"method": "GET", "path": "/api/courses?term=2024FA", "headers": XHR_CALL},
)

PART.add(
    "c-shibboleth-saml-autopost-for-xhr",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">\n    <body onload="document.forms[0].submit()">\n'
    "        <noscript>\n            <p>\n                <strong>Note:</strong> Since your browser does not support JavaScript,\n"
    "                you must press the Continue button once to proceed.\n            </p>\n        </noscript>\n\n"
    '        <form action="https://idp.example.edu/idp/profile/SAML2/POST/SSO" method="post">\n            <div>\n'
    '                <input type="hidden" name="RelayState" value="ss:mem:8e4b1d62f0c3a7e95b2d"/>\n'
    '                <input type="hidden" name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdCB4bWxuczpzYW1scD0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOnByb3RvY29sIiBJRD0iXzNmNGE"/>\n'
    "            </div>\n            <noscript>\n                <div>\n"
    '                    <input type="submit" value="Continue"/>\n                </div>\n            </noscript>\n'
    "        </form>\n    </body>\n</html>",
    "auth_failure",
    "Shibboleth SP SAML auto-post form to the IdP answering an XHR for grades: the caller has no session (subtle: no 'login' word)",
    content_type="text/html;charset=utf-8",
    request={"method": "GET", "path": "/api/grades/current", "headers": XHR_CALL},
)

PART.add(
    "c-html-pt-sessao-expirou-xhr",
    200,
    '<!DOCTYPE html>\n<html lang="pt-BR">\n<head>\n<meta charset="utf-8">\n<title>Sessão expirada</title>\n</head>\n<body>\n'
    '<div class="aviso">\n<h2>Sua sessão expirou</h2>\n'
    "<p>Por motivos de segurança, sua sessão foi encerrada após 20 minutos de inatividade. "
    "Faça login novamente para continuar.</p>\n"
    '<a class="btn" href="/login?redirect=%2Fpedidos">Entrar novamente</a>\n</div>\n</body>\n</html>\n',
    "auth_failure",
    "Portuguese 'Sua sessão expirou' page answering an XHR POST to the orders API",
    content_type=HTML,
    request={"method": "POST", "path": "/api/pedidos", "headers": XHR_CALL},
)

PART.add(
    "c-html-it-sito-in-manutenzione-200",
    200,
    '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n<title>Sito in manutenzione</title>\n'
    '<meta name="robots" content="noindex">\n</head>\n<body>\n<div class="box">\n'
    "<h1>Sito in manutenzione</h1>\n<p>Stiamo effettuando interventi di manutenzione programmata. "
    "Il servizio tornerà disponibile alle ore 06:00.</p>\n<p>Ci scusiamo per il disagio.</p>\n</div>\n</body>\n</html>\n",
    "generic_business_error",
    "Italian maintenance page served with 200 to an API POST: the order was not processed",
    content_type=HTML,
    request={"method": "POST", "path": "/api/ordini", "headers": JSON_CALL},
)

PART.add(
    "c-payu-pl-hosted-platnosc-odrzucona",
    200,
    '<!DOCTYPE html>\n<html lang="pl">\n<head>\n<meta charset="UTF-8">\n<title>Płatność odrzucona - PayU</title>\n</head>\n'
    '<body class="payu">\n<div class="status status--error">\n<h1>Płatność nie została zrealizowana</h1>\n'
    "<p>Bank odrzucił transakcję kartą. Spróbuj ponownie lub wybierz inną metodę płatności.</p>\n"
    '<p class="ref">Numer zamówienia: WZ2406041188</p>\n</div>\n</body>\n</html>\n',
    "payment",
    "PayU hosted card form result in Polish: payment not completed, the bank refused the card transaction",
    content_type=HTML,
    request={"method": "POST", "path": "/pl/standard/co/card/submit"},
)

PART.add(
    "c-mdn-docs-500-internal-server-error",
    200,
    '<!doctype html><html lang="en-US" prefix="og: https://ogp.me/ns#"><head><meta charset="utf-8"/>'
    '<meta name="viewport" content="width=device-width,initial-scale=1"/>'
    "<title>500 Internal Server Error - HTTP | MDN</title>"
    '<meta name="description" content="The HTTP 500 Internal Server Error server error response code indicates that the server '
    'encountered an unexpected condition that prevented it from fulfilling the request."/></head>'
    '<body><main id="content"><article class="main-page-content" lang="en-US"><header><h1>500 Internal Server Error</h1></header>'
    '<div class="section-content"><p>The HyperText Transfer Protocol (HTTP) <strong><code>500 Internal Server Error</code></strong> '
    "server error response code indicates that the server encountered an unexpected condition that prevented it from fulfilling the request.</p>",
    None,
    "MDN reference page titled '500 Internal Server Error', opened by a browser: documentation",
    content_type=HTML,
    request={"method": "GET", "path": "/en-US/docs/Web/HTTP/Status/500", "headers": BROWSER},
    trap=True,
)

PART.add(
    "c-okta-signin-page-browser-get",
    200,
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta name="robots" content="noindex,nofollow" />\n'
    "    <title>Acme Corp - Sign In</title>\n"
    '    <script src="https://ok12static.oktacdn.com/assets/js/sdk/okta-signin-widget/7.18.0/js/okta-sign-in.min.js" type="text/javascript"></script>\n'
    '</head>\n<body class="auth okta-container">\n'
    '<div id="okta-sign-in" class="auth-container main-container"></div>\n'
    "<script type=\"text/javascript\">var signInWidgetConfig = { baseUrl: 'https://acme.okta.com' };</script>\n</body>\n</html>\n",
    None,
    "the Okta sign-in page answering the browser's own navigation to /login/login.htm: the page asked for",
    content_type=HTML,
    request={"method": "GET", "path": "/login/login.htm?fromURI=%2Fapp%2FUserHome", "headers": BROWSER},
    trap=True,
)

PART.add(
    "c-html-github-issue-payment-declined",
    200,
    '<!DOCTYPE html>\n<html lang="en" data-color-mode="auto">\n<head>\n<meta charset="utf-8">\n'
    '<title>Checkout fails with "Payment declined" for 3DS cards · Issue #4412 · acme/shop · GitHub</title>\n'
    '<meta name="description" content="Steps to reproduce: add item, pay with a 3DS test card. Expected: success. '
    'Actual: &quot;Payment declined: authentication failed&quot; and a 500 in the console.">\n</head>\n<body>\n'
    '<div class="gh-header"><h1 class="gh-header-title">Checkout fails with "Payment declined" for 3DS cards <span>#4412</span></h1>'
    '<span class="State State--open">Open</span></div>\n',
    None,
    "a GitHub issue page about a payment-declined bug, opened in a browser: the page loaded fine",
    content_type=HTML,
    request={"method": "GET", "path": "/acme/shop/issues/4412", "headers": BROWSER},
    trap=True,
)

PART.add(
    "c-html-product-404-not-found-tshirt",
    200,
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>"404 Not Found" Unisex T-Shirt – Geek Threads</title>'
    '<meta property="og:type" content="product"></head><body><main class="product">'
    '<h1 class="product__title">"404 Not Found" Unisex T-Shirt</h1><p class="price">$22.00</p>'
    "<p>Can't find your shirt? Now you can. Soft cotton tee printed with the web's most famous error.</p>"
    '<form action="/cart/add" method="post"><select name="size"><option>S</option><option>M</option><option>L</option></select>'
    '<button type="submit">Add to cart</button></form></main></body></html>',
    None,
    "a shop's product page for a '404 Not Found' T-shirt, fetched by a browser: ordinary content",
    content_type=HTML,
    request={"method": "GET", "path": "/products/404-not-found-tee", "headers": BROWSER},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------

PART.add(
    "c-text-error-403-forbidden",
    200,
    "Error 403: Forbidden\r\n",
    "auth_failure",
    "'Error 403: Forbidden' line as the body of a 200",
    content_type="text/plain",
    request={"method": "GET", "path": "/api/v1/exports/monthly"},
)

PART.add(
    "c-text-err-invalid-token",
    200,
    "ERR_INVALID_TOKEN",
    "auth_failure",
    "bare error constant ERR_INVALID_TOKEN",
    content_type=TEXT,
    request={"method": "POST", "path": "/device/checkin"},
)

PART.add(
    "c-text-bracket-error-queue-missing",
    200,
    "[ERROR] 2024-06-04T10:11:02Z enqueue: queue 'reports-eu' does not exist\n",
    "not_found",
    "'[ERROR]' log-style line answering an enqueue call: the target queue does not exist",
    content_type="text/plain",
    request={"method": "POST", "path": "/jobs/enqueue?queue=reports-eu"},
)

PART.add(
    "c-text-java-exception-in-thread",
    200,
    'Exception in thread "http-nio-8080-exec-7" java.lang.IllegalStateException: Connection pool shut down\n'
    "\tat org.apache.http.util.Asserts.check(Asserts.java:34)\n"
    "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.requestConnection(PoolingHttpClientConnectionManager.java:269)\n"
    "\tat org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:176)\n"
    "\tat com.acme.pricing.QuoteClient.fetch(QuoteClient.java:88)\n"
    "\tat com.acme.pricing.QuoteController.quote(QuoteController.java:41)\n",
    "generic_business_error",
    "Java 'Exception in thread' stack trace printed as the 200 body of a quote call",
    content_type="text/plain;charset=ISO-8859-1",
    request={"method": "POST", "path": "/pricing/quote"},
)

PART.add(
    "c-text-python-traceback",
    200,
    "Traceback (most recent call last):\n"
    '  File "/srv/app/handlers/report.py", line 88, in post\n'
    '    ratio = totals["paid"] / totals["issued"]\n'
    "ZeroDivisionError: division by zero\n",
    "generic_business_error",
    "Python traceback (ZeroDivisionError) returned as the body of a 200",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/reports/collection-rate"},
)

PART.add(
    "c-text-go-panic-nil-pointer",
    200,
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b1f2a]\n\n"
    "goroutine 87 [running]:\nmain.(*Server).handleTransfer(0xc0001a2000, {0x8d2e40, 0xc0003b61c0}, 0xc000412300)\n"
    "\t/app/server.go:214 +0x8a\nnet/http.HandlerFunc.ServeHTTP(0x0?, {0x8d2e40?, 0xc0003b61c0?}, 0x0?)\n"
    "\t/usr/local/go/src/net/http/server.go:2166 +0x29\n",
    "generic_business_error",
    "Go 'panic: runtime error' with goroutine dump in a 200 body",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/transfer"},
)

PART.add(
    "c-text-ng-colon-order-not-found",
    200,
    "NG:ORDER_NOT_FOUND:受注番号 A20240604-0012 は存在しません",
    "not_found",
    "Japanese-style 'NG:' reply with code ORDER_NOT_FOUND: the order number does not exist",
    content_type="text/plain; charset=UTF-8",
    request={"method": "GET", "path": "/order/status?no=A20240604-0012"},
)

PART.add(
    "c-text-code-1-msg-zh-phone-format",
    200,
    "code=1&msg=手机号格式不正确",
    "validation",
    "'code=1&msg=' reply: Chinese message says the phone number format is wrong",
    content_type="text/plain;charset=UTF-8",
    request={"method": "GET", "path": "/sms/send.do?mobile=138001380&content=..."},
)

PART.add(
    "c-text-ru-order-exists",
    200,
    "ОШИБКА: заказ с номером 55120 уже существует",
    "conflict",
    "Russian text: an order with this number already exists",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/1c/exchange/orders"},
)

PART.add(
    "c-text-denied-card-charge",
    200,
    "DENIED",
    "payment",
    "single word DENIED answering a card charge: the charge was refused",
    content_type="text/plain",
    request={"method": "POST", "path": "/gateway/charge"},
)

PART.add(
    "c-text-invalid-coupon",
    200,
    "INVALID\n",
    "validation",
    "single word INVALID answering 'apply coupon': the code was not accepted",
    content_type="text/plain",
    request={"method": "POST", "path": "/cart/coupon"},
)

PART.add(
    "c-text-expired-session-refresh",
    200,
    "EXPIRED",
    "auth_failure",
    "single word EXPIRED answering a session refresh: the session can no longer be renewed",
    content_type="text/plain; charset=us-ascii",
    request={"method": "POST", "path": "/session/refresh"},
)

PART.add(
    "c-text-blocked-login",
    200,
    "BLOCKED",
    "auth_failure",
    "single word BLOCKED answering a login: the account or client is blocked",
    content_type="text/plain",
    request={"method": "POST", "path": "/auth/login"},
)

PART.add(
    "c-text-envoy-upstream-connect-error-503",
    503,
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
    "transport failure reason: delayed connect error: 111",
    "server_error",
    "Envoy plain-text upstream connect error with 503",
    content_type="text/plain",
    headers={"Server": "envoy"},
)

PART.add(
    "c-text-kannel-0-accepted",
    202,
    "0: Accepted for delivery",
    None,
    "Kannel sendsms '0: Accepted for delivery' (202): success",
    content_type="text/html",
    request={"method": "GET", "path": "/cgi-bin/sendsms?username=tester&to=4915112345678&text=hi"},
)

PART.add(
    "c-text-1-row-updated",
    200,
    "1 row updated.\n",
    None,
    "'1 row updated.' from a SQL-over-HTTP endpoint: success",
    content_type="text/plain",
    request={"method": "POST", "path": "/sql/exec"},
)

PART.add(
    "c-text-queued",
    200,
    "queued",
    None,
    "bare 'queued': the job was accepted",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/hooks/rebuild"},
)

PART.add(
    "c-text-jenkins-console-build-failed",
    200,
    "Started by user deploy-bot\nRunning as SYSTEM\nBuilding in workspace /var/jenkins_home/workspace/shop-api\n"
    "[shop-api] $ /bin/sh -xe /tmp/jenkins8812.sh\n+ ./gradlew test\n> Task :test FAILED\n\n"
    "FAILURE: Build failed with an exception.\n\n* What went wrong:\nExecution failed for task ':test'.\n"
    "> There were failing tests. See the report at: file:///var/jenkins_home/workspace/shop-api/build/reports/tests/test/index.html\n\n"
    "BUILD FAILED in 1m 12s\nBuild step 'Execute shell' marked build as failure\nFinished: FAILURE\n",
    None,
    "Jenkins consoleText of a failed build, downloaded: the log is content, the download succeeded",
    content_type="text/plain;charset=utf-8",
    headers={"X-Jenkins": "2.440.3"},
    request={"method": "GET", "path": "/job/shop-api/412/consoleText"},
    trap=True,
)

PART.add(
    "c-csv-declined-payments-report",
    200,
    "payment_id,created,amount,currency,status,decline_code,message\n"
    "py_8812,2024-06-03T09:12:44Z,49.00,EUR,failed,insufficient_funds,Your card has insufficient funds.\n"
    "py_8817,2024-06-03T10:02:10Z,12.50,EUR,failed,expired_card,Your card has expired.\n"
    "py_8830,2024-06-03T11:47:31Z,220.00,EUR,failed,do_not_honor,The card was declined.\n",
    None,
    "CSV export of declined payments: every row is a decline, but they are the exported records",
    content_type="text/csv; charset=utf-8",
    headers={"Content-Disposition": 'attachment; filename="declines-2024-06-03.csv"'},
    request={"method": "GET", "path": "/reports/declines.csv?date=2024-06-03"},
    trap=True,
)

PART.add(
    "c-text-reconciliation-report-failures",
    200,
    "RECONCILIATION REPORT 2024-06-03\n================================\n"
    "Settlement files processed:  4\nTransactions matched:        18,204\n"
    "Unmatched:                   3\nFailed transactions:         27 (card declined: 21, timeout: 6)\n"
    "Errors during import:        0\n\nStatus: COMPLETED\n",
    None,
    "text reconciliation report: counts of failed transactions are reported data; the report itself completed",
    content_type="text/plain; charset=utf-8",
    request={"method": "GET", "path": "/reports/reconciliation/2024-06-03.txt"},
    trap=True,
)

# --------------------------------------------------------------------------------------------
# Form-encoded / name-value replies
# --------------------------------------------------------------------------------------------

PART.add(
    "c-nmi-response-2-decline",
    200,
    "response=2&responsetext=DECLINE&authcode=&transactionid=9410276531&avsresponse=N&cvvresponse=M"
    "&orderid=ORD-55102&type=sale&response_code=200",
    "payment",
    "NMI Direct Post response=2 responsetext=DECLINE (response_code 200 is NMI's 'declined' code, not HTTP)",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/api/transact.php"},
)

PART.add(
    "c-nmi-response-3-duplicate",
    200,
    "response=3&responsetext=Duplicate transaction REFID:3512096477&authcode=&transactionid=&avsresponse=&cvvresponse="
    "&orderid=ORD-55102&type=sale&response_code=300",
    "conflict",
    "NMI response=3 'Duplicate transaction': rejected by duplicate detection, not by the issuer",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/api/transact.php"},
)

PART.add(
    "c-payflow-result-4-invalid-amount",
    200,
    "RESULT=4&PNREF=A70E2B1C3D4F&RESPMSG=Invalid amount",
    "validation",
    "Payflow Pro RESULT=4 RESPMSG=Invalid amount",
    content_type="text/namevalue",
    request={"method": "POST", "path": "/transaction"},
)

PART.add(
    "c-converge-errorcode-4025-credentials",
    200,
    "errorCode=4025\nerrorName=Invalid Credentials\n"
    "errorMessage=The credentials supplied in the authorization request are invalid.\n",
    "auth_failure",
    "Elavon Converge newline-separated errorCode 4025 Invalid Credentials",
    content_type="text/plain;charset=UTF-8",
    request={"method": "POST", "path": "/VirtualMerchant/process.do"},
)

PART.add(
    "c-payu-india-status-failure",
    200,
    "mihpayid=403993715531077182&mode=CC&status=failure&unmappedstatus=failed&key=gtKFFx&txnid=TXN20240604118"
    "&amount=1499.00&productinfo=Annual+plan&firstname=Asha&email=asha%40example.in&bank_ref_num=&bankcode=CC"
    "&error=E308&error_Message=Transaction+declined+by+issuing+bank&PG_TYPE=HDFCPG",
    "payment",
    "PayU India response: status=failure, error E308 'Transaction declined by issuing bank'",
    content_type="application/x-www-form-urlencoded",
    request={"method": "POST", "path": "/merchant/postservice?form=2"},
)

PART.add(
    "c-responsecode-96-system-malfunction",
    200,
    "ResponseCode=96&ResponseText=SYSTEM+MALFUNCTION&TxnRef=20240604-000871&AuthCode=&Amount=2500&Currency=NZD",
    "generic_business_error",
    "gateway ResponseCode=96 system malfunction: the transaction was not processed (not a card decline)",
    content_type="application/x-www-form-urlencoded",
    request={"method": "POST", "path": "/api/purchase"},
)

PART.add(
    "c-error-unsupported-currency",
    200,
    "error=unsupported_currency&error_description=Currency+XOF+is+not+supported+for+merchant+M-20931&request_id=rq_5d81",
    "validation",
    "form reply error=unsupported_currency: the currency parameter is not accepted",
    content_type="application/x-www-form-urlencoded; charset=utf-8",
    request={"method": "POST", "path": "/v1/payment_links"},
)

PART.add(
    "c-clickatell-err-105-destination",
    200,
    "ERR: 105, Invalid Destination Address",
    "validation",
    "Clickatell HTTP API 'ERR: 105': invalid destination number",
    content_type="text/html",
    request={"method": "GET", "path": "/http/sendmsg?api_id=3412345&to=49151&text=hello"},
)

PART.add(
    "c-sms-nvp-result-0-empty-errormsg",
    200,
    "result=0&errorcode=0&errormsg=&msgid=7f3a91c2-0b44-4e1d-8a55-2c9d6e1f0a73&credits_left=1822",
    None,
    "SMS reply with result=0, errorcode=0 and an empty errormsg: sent, the error fields are empty",
    content_type="application/x-www-form-urlencoded",
    request={"method": "POST", "path": "/api/send"},
    trap=True,
)
