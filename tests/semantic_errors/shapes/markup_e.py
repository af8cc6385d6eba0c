"""Markup and other non-JSON bodies, fifth round (scoring set "e", every entry held out), from
stacks the earlier rounds did not use: card and travel distribution (Chase Orbital ``NewOrderResp``
with ``ApprovalStatus``, Datatrans XML ``trxStatus="error"``, Heartland Portico ``PosResponse``
whose gateway said Success but the issuer declined, Expedia EAN ``EanWsError`` categories),
banking protocols (OFX/SGML ``STATUS`` codes, EBICS ``ReturnCode``/``ReportText``, Temenos T24 OFS
text), e-government (Estonian X-Road faults, Argentine AFIP WSFEv1 ``Resultado`` R with
``Observaciones``, Spanish AEAT VeriFactu and SII ``EstadoEnvio``), insurance (ACORD P&C
``MsgStatus``, ACORD Life TXLife ``ResultCode``), ERPs (Odoo XML-RPC faults, Dynamics NAV SOAP
faults in German, Infor M3 ``ServerReturnedNOK``, Sage X3 ``CAdxResultXml`` in French), hosting and
CMSs (Plesk XML API ``errcode``, Gandi XML-RPC ``CAUSE_BADPARAMETER``, MediaWiki API XML errors in
Japanese and warnings, Moodle ``<EXCEPTION>``, TYPO3 and Magento 2 error pages, Bugzilla XML-RPC),
telecom (BroadWorks OCI-P ``ErrorResponse``, Cisco AXL ``axlError``, Asterisk AMI over HTTP,
BulkSMS pipe replies, a UPnP IGD fault), devices (Hikvision ISAPI ``ResponseStatus``, Epson ePOS
``<response success="false">``, HP LEDM alert tables), framework answers to XHR/JSON calls (a JSF
``partial-response`` redirect to the login page, a raw PHP fatal error, a Perl CGI::Carp
"Software error" page, Rack::Attack's "Retry later"), rate limits in XML (GeoNames ``status``
19, Yandex XML error 55 in Russian), and name-value replies (Payone ``status=ERROR``, OAuth 1.0
``oauth_problem``).  The traps are successful answers that talk about failure: an SII submission
that is only partly rejected, a TXLife "Success with Information", a MediaWiki edit with warnings,
an OFX statement full of NSF fees, a Sage X3 save with a credit warning, a Bugzilla search for
bugs about errors, a camera's storage list with a failed disk and a printer status with an
error-level alert.
"""

from tests.semantic_errors.shapes import Part

PART = Part("markup")

JSON_CALL = {"Accept": "application/json"}

# ---------------------------------------------------------------------------------------------
# payment
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-orbital-neworder-do-not-honor",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><Response><NewOrderResp><IndustryType>EC</IndustryType>'
    "<MessageType>AC</MessageType><MerchantID>041756</MerchantID><TerminalID>001</TerminalID>"
    "<CardBrand>MC</CardBrand><AccountNum>XXXXXXXXXXXX5454</AccountNum><OrderID>WEB-2291847</OrderID>"
    "<TxRefNum>67D3A1F0C2B84E19A5F7E2C3D4B6A8F01E2D3C4B</TxRefNum><TxRefIdx>0</TxRefIdx>"
    "<ProcStatus>0</ProcStatus><ApprovalStatus>0</ApprovalStatus><RespCode>05</RespCode>"
    "<AVSRespCode>H </AVSRespCode><CVV2RespCode>M</CVV2RespCode><AuthCode></AuthCode>"
    "<StatusMsg>Do Not Honor</StatusMsg><RespMsg>AUTH DECLINED                   12001</RespMsg>"
    "<HostRespCode>05</HostRespCode><HostAVSRespCode>Y</HostAVSRespCode><HostCVV2RespCode>M</HostCVV2RespCode>"
    "<RespTime>101512</RespTime></NewOrderResp></Response>",
    "payment",
    "Chase Orbital: ProcStatus 0 only means processed; ApprovalStatus 0 with RespCode 05 'Do Not Honor' / AUTH DECLINED",
    content_type="application/xml",
    request={"method": "POST", "path": "/authorize"},
    holdout=True,
)

PART.add(
    "e-datatrans-xml-1403-declined",
    200,
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<authorizationService version='3'>\n"
    "  <body merchantId='1100004624' status='accepted'>\n"
    "    <transaction refno='BK-558213' trxStatus='error'>\n"
    "      <request>\n"
    "        <amount>48900</amount>\n"
    "        <currency>CHF</currency>\n"
    "        <aliasCC>70119122433810042</aliasCC>\n"
    "        <expm>06</expm>\n"
    "        <expy>27</expy>\n"
    "        <reqtype>CAA</reqtype>\n"
    "      </request>\n"
    "      <error>\n"
    "        <errorCode>1403</errorCode>\n"
    "        <errorMessage>declined</errorMessage>\n"
    "        <errorDetail>Declined</errorDetail>\n"
    "        <uppTransactionId>250314101533481927</uppTransactionId>\n"
    "        <acqErrorCode>51</acqErrorCode>\n"
    "      </error>\n"
    "    </transaction>\n"
    "  </body>\n"
    "</authorizationService>\n",
    "payment",
    "Datatrans XML authorisation: body accepted but transaction trxStatus error, errorCode 1403 'declined'",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/upp/jsp/XML_authorize.jsp"},
    holdout=True,
)

PART.add(
    "e-heartland-portico-gateway-success-issuer-decline",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    '<PosResponse rootUrl="https://api2.heartlandportico.com/Hps.Exchange.PosGateway" xmlns="http://Hps.Exchange.PosGateway">'
    "<Ver1.0><Header><LicenseId>137846</LicenseId><SiteId>137907</SiteId><DeviceId>6378375</DeviceId>"
    "<GatewayTxnId>1402331877</GatewayTxnId><GatewayRspCode>0</GatewayRspCode><GatewayRspMsg>Success</GatewayRspMsg>"
    "<RspDT>2025-03-14T10:16:02.4471126</RspDT></Header><Transaction><CreditSale><RspCode>05</RspCode>"
    "<RspText>DECLINE</RspText><AuthCode></AuthCode><AVSRsltCode>0</AVSRsltCode><RefNbr>507310884612</RefNbr>"
    "<CardType>Visa</CardType><AVSRsltText>AVS Not Requested.</AVSRsltText></CreditSale></Transaction>"
    "</Ver1.0></PosResponse></soap:Body></soap:Envelope>",
    "payment",
    "Heartland Portico: GatewayRspMsg Success only means the gateway answered; the CreditSale itself is RspCode 05 DECLINE (subtle)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/Hps.Exchange.PosGateway/PosGatewayService.asmx"},
    holdout=True,
)

PART.add(
    "e-ean-hotel-reservation-creditcard",
    200,
    '<ns2:HotelRoomReservationResponse xmlns:ns2="http://v3.hotel.wsapi.ean.com/">'
    "<EanWsError><itineraryId>-1</itineraryId><handling>RECOVERABLE</handling><category>CREDITCARD</category>"
    "<exceptionConditionId>-1</exceptionConditionId>"
    "<presentationMessage>Your credit card has been declined. Please use a different card or contact your card issuer.</presentationMessage>"
    "<verboseMessage>Credit card authorization failed: issuer response 51 - insufficient funds</verboseMessage>"
    '<ServerInfo serverTime="10:17:45.218-0500" timestamp="1741965465" instance="52"/></EanWsError>'
    "<customerSessionId>0ABAAA87-5C1E-8A91-9412-7F3B0C2D91E0</customerSessionId></ns2:HotelRoomReservationResponse>",
    "payment",
    "Expedia EAN hotel booking: EanWsError category CREDITCARD, the card was declined (insufficient funds), no itinerary",
    content_type="application/xml;charset=UTF-8",
    request={"method": "POST", "path": "/ean-services/rs/hotel/v3/res"},
    holdout=True,
)

PART.add(
    "e-bulksms-eapi-25-insufficient-credits",
    200,
    "25|You do not have sufficient credits|\n",
    "payment",
    "BulkSMS EAPI pipe reply: status 25 'You do not have sufficient credits', no batch id; the message was not sent",
    content_type="text/plain",
    request={"method": "POST", "path": "/eapi/submission/send_sms/2/2.0"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# rate_limit
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-mediawiki-ja-ratelimited-errors",
    200,
    '<?xml version="1.0"?><api servedby="mw-api-ext.eqiad.main-6c9f8b7d5-x2k4q"><errors>'
    '<error code="ratelimited" module="edit" xml:space="preserve">'
    "不正利用防止のため、短時間にこの操作を大量に行うことは制限されており、あなたはその制限を超えてしまいました。数分後にもう一度お試しください。"
    "</error></errors>"
    '<docref xml:space="preserve">API の使用法については https://ja.wikipedia.org/w/api.php を参照してください。</docref></api>',
    "rate_limit",
    "MediaWiki API (errorformat=plaintext, uselang=ja): error code ratelimited, 'too many times in a short time, try again in a few minutes'",
    content_type="text/xml; charset=utf-8",
    headers={"MediaWiki-API-Error": "ratelimited"},
    request={"method": "POST", "path": "/w/api.php"},
    holdout=True,
)

PART.add(
    "e-geonames-xml-hourly-limit-19",
    200,
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<geonames>\n'
    '<status message="the hourly limit of 1000 credits for acme_geo has been exceeded. Please throttle your requests or use the commercial service." value="19"/>\n'
    "</geonames>\n",
    "rate_limit",
    "GeoNames answers 200 with <status value=19>: the hourly credit limit has been exceeded, no search results",
    content_type="text/xml;charset=UTF-8",
    request={"method": "GET", "path": "/search?q=Lyon&maxRows=10&username=acme_geo&type=xml"},
    holdout=True,
)

PART.add(
    "e-yandex-xml-error-55-rps",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n<yandexsearch version="1.0"><request><query>купить велосипед</query>'
    '<page>0</page></request><response date="20250314T101842">'
    '<error code="55">Превышено допустимое количество запросов в секунду (RPS)</error></response></yandexsearch>',
    "rate_limit",
    "Yandex.XML: <error code=55> 'permitted number of requests per second (RPS) exceeded' (Russian), no results",
    content_type="text/xml; charset=utf-8",
    request={"method": "GET", "path": "/search/xml?folderid=b1g8k2&query=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# auth_failure
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-moodle-xml-invalidtoken",
    200,
    '<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="moodle_exception">\n'
    "<ERRORCODE>invalidtoken</ERRORCODE>\n<MESSAGE>Invalid token - token not found</MESSAGE>\n</EXCEPTION>\n",
    "auth_failure",
    "Moodle web service with moodlewsrestformat=xml: EXCEPTION invalidtoken, 'Invalid token - token not found'",
    content_type="application/xml; charset=utf-8",
    request={"method": "POST", "path": "/webservice/rest/server.php"},
    holdout=True,
)

PART.add(
    "e-xroad-serverproxy-accessdenied",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
    "<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>Server.ServerProxy.AccessDenied</faultcode>"
    "<faultstring>Request is not allowed: SERVICE:EE/GOV/70008440/rr/RR442/v1</faultstring>"
    '<faultactor></faultactor><detail><faultDetail xmlns="">3f6c0b1e-9a2d-4e57-8c41-d25e7a90b3f8</faultDetail></detail>'
    "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "auth_failure",
    "Estonian X-Road security server fault Server.ServerProxy.AccessDenied: this client is not allowed to call the population-register service",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/cgi-bin/consumer_proxy"},
    holdout=True,
)

PART.add(
    "e-t24-ofs-security-violation",
    200,
    "SECURITY VIOLATION DURING SIGN ON PROCESS",
    "auth_failure",
    "Temenos T24 OFS reply over an HTTP gateway: the OFS user/password sign-on was rejected",
    content_type="text/plain; charset=UTF-8",
    request={"method": "POST", "path": "/ofs/transact"},
    holdout=True,
)

PART.add(
    "e-asterisk-rawman-permission-denied",
    200,
    "Response: Error\r\nActionID: 88120\r\nMessage: Permission denied\r\n\r\n",
    "auth_failure",
    "Asterisk AMI over HTTP (rawman): Originate refused with 'Permission denied' (no valid manager session)",
    content_type="text/plain",
    request={
        "method": "GET",
        "path": "/asterisk/rawman?action=Originate&Channel=PJSIP/2001&Exten=4711&Context=internal&Priority=1&ActionID=88120",
    },
    holdout=True,
)

PART.add(
    "e-jsf-partial-response-redirect-login",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<partial-response id="j_id1"><redirect url="/portal/login.xhtml?reason=sessionExpired"></redirect></partial-response>',
    "auth_failure",
    "JSF Ajax save answered with a partial-response redirect to the login page (session expired) instead of the update",
    content_type="text/xml;charset=UTF-8",
    request={
        "method": "POST",
        "path": "/portal/claims/edit.xhtml",
        "headers": {"Faces-Request": "partial/ajax", "Accept": "application/xml, text/xml, */*; q=0.01"},
    },
    holdout=True,
)

PART.add(
    "e-ebics-h005-authentication-failed",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ebicsResponse xmlns="urn:org:ebics:H005" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Version="H005" Revision="1">'
    '<header authenticate="true"><static/><mutable><TransactionPhase>Initialisation</TransactionPhase>'
    "<ReturnCode>061001</ReturnCode><ReportText>[EBICS_AUTHENTICATION_FAILED] Authentication signature error</ReportText>"
    '</mutable></header><body><ReturnCode authenticate="true">000000</ReturnCode></body></ebicsResponse>',
    "auth_failure",
    "EBICS answers every error with 200: technical ReturnCode 061001 EBICS_AUTHENTICATION_FAILED, the order was not initialised",
    content_type="text/xml; charset=UTF-8",
    request={"method": "POST", "path": "/ebicsweb/ebicsweb"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# not_found
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-odoo-xmlrpc-missingerror",
    200,
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
    "<value><int>2</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
    "<value><string>Record does not exist or has been deleted.\n(Record: sale.order(48213,), User: 7)</string></value>\n"
    "</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    "not_found",
    "Odoo XML-RPC execute_kw write: fault 2 (MissingError) 'Record does not exist or has been deleted'",
    content_type="text/xml",
    request={"method": "POST", "path": "/xmlrpc/2/object"},
    holdout=True,
)

PART.add(
    "e-broadworks-ocip-4008-user-not-found",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
    '<processOCIMessageResponse xmlns=""><ns1:processOCIMessageReturn xmlns:ns1="urn:com:broadsoft:webservice">'
    "&lt;?xml version=&quot;1.0&quot; encoding=&quot;UTF-8&quot;?&gt;&lt;BroadsoftDocument protocol=&quot;OCI&quot; xmlns=&quot;C&quot; "
    "xmlns:xsi=&quot;http://www.w3.org/2001/XMLSchema-instance&quot;&gt;&lt;sessionId xmlns=&quot;&quot;&gt;prov-app-02,2025-03-14 10:21:07.118,4471902216&lt;/sessionId&gt;"
    "&lt;command type=&quot;Error&quot; echo=&quot;&quot; xsi:type=&quot;c:ErrorResponse&quot; xmlns:c=&quot;C&quot; xmlns=&quot;&quot;&gt;"
    "&lt;summary&gt;[Error 4008] User not found: 4930555017@voip.example.de&lt;/summary&gt;"
    "&lt;summaryEnglish&gt;[Error 4008] User not found: 4930555017@voip.example.de&lt;/summaryEnglish&gt;"
    "&lt;/command&gt;&lt;/BroadsoftDocument&gt;</ns1:processOCIMessageReturn></processOCIMessageResponse></soapenv:Body></soapenv:Envelope>",
    "not_found",
    "BroadWorks OCI-P over SOAP: the escaped OCI document is an ErrorResponse '[Error 4008] User not found'",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/webservice/services/ProvisioningService"},
    holdout=True,
)

PART.add(
    "e-dynamics-nav-recordnotfound-de",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    '<faultcode xmlns:a="urn:microsoft-dynamics-schemas/error">a:Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideRecordNotFoundException</faultcode>'
    "<faultstring xml:lang=\"de-DE\">Verkaufskopf existiert nicht. Identifikationsfelder und Werte: Belegart='Auftrag',Nr.='AU-104882'</faultstring>"
    '<detail><string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">Verkaufskopf existiert nicht. '
    "Identifikationsfelder und Werte: Belegart='Auftrag',Nr.='AU-104882'</string></detail></s:Fault></s:Body></s:Envelope>",
    "not_found",
    "Dynamics NAV page web service fault NavCSideRecordNotFoundException: the sales order AU-104882 does not exist (German)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/DynamicsNAV110/WS/CRONUS%20AG/Page/SalesOrder"},
    holdout=True,
)

PART.add(
    "e-infor-m3-crs610mi-does-not-exist",
    200,
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<ErrorMessage type="ServerReturnedNOK" code="WCU0203" field="CUNO">'
    "<Message>Customer number 10045      does not exist</Message></ErrorMessage>",
    "not_found",
    "Infor M3 m3api-rest: ServerReturnedNOK from CRS610MI/GetBasicData, 'Customer number 10045 does not exist'",
    content_type="application/xml",
    request={"method": "GET", "path": "/m3api-rest/execute/CRS610MI/GetBasicData?CONO=100&CUNO=10045"},
    holdout=True,
)

PART.add(
    "e-epson-epos-devicenotfound",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soapenv:Body><response success="false" code="DeviceNotFound" status="0" battery="0" '
    'xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></soapenv:Body></soapenv:Envelope>',
    "not_found",
    "Epson ePOS-Print: success=false code DeviceNotFound, no printer with the requested devid (kitchen_printer)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/cgi-bin/epos/service.cgi?devid=kitchen_printer&timeout=10000"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# conflict
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-ofx-intratrnrs-2019-duplicate",
    200,
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n"
    "COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
    "<OFX>\r\n<SIGNONMSGSRSV1>\r\n<SONRS>\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n"
    "<DTSERVER>20250314102455.000[-5:EST]\r\n<LANGUAGE>ENG\r\n</SONRS>\r\n</SIGNONMSGSRSV1>\r\n"
    "<BANKMSGSRSV1>\r\n<INTRATRNRS>\r\n<TRNUID>a41c9e3f-7b2d-4c11-9e0a-58d2f6b1c377\r\n<STATUS>\r\n<CODE>2019\r\n"
    "<SEVERITY>ERROR\r\n<MESSAGE>Duplicate request: this TRNUID has already been received and processed\r\n"
    "</STATUS>\r\n</INTRATRNRS>\r\n</BANKMSGSRSV1>\r\n</OFX>\r\n",
    "conflict",
    "OFX transfer: sign-on OK but the INTRATRNRS status is 2019 ERROR 'Duplicate request', the transfer was not made again",
    content_type="application/x-ofx",
    request={"method": "POST", "path": "/ofx/server"},
    holdout=True,
)

PART.add(
    "e-verifactu-3000-registro-duplicado",
    200,
    '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
    '<tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd" '
    'xmlns:tik="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd">'
    "<tikR:TiempoEsperaEnvio>60</tikR:TiempoEsperaEnvio><tikR:EstadoEnvio>Incorrecto</tikR:EstadoEnvio>"
    "<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>B12345674</tik:IDEmisorFactura>"
    "<tik:NumSerieFactura>FA2025/000187</tik:NumSerieFactura><tik:FechaExpedicionFactura>14-03-2025</tik:FechaExpedicionFactura>"
    "</tikR:IDFactura>"
    "<tikR:EstadoRegistro>Incorrecto</tikR:EstadoRegistro><tikR:CodigoErrorRegistro>3000</tikR:CodigoErrorRegistro>"
    "<tikR:DescripcionErrorRegistro>Registro de facturación duplicado.</tikR:DescripcionErrorRegistro>"
    "<tikR:RegistroDuplicado><tik:IdPeticionRegistroDuplicado>202503140911</tik:IdPeticionRegistroDuplicado>"
    "<tik:EstadoRegistroDuplicado>Correcta</tik:EstadoRegistroDuplicado></tikR:RegistroDuplicado></tikR:RespuestaLinea>"
    "</tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>",
    "conflict",
    "AEAT VeriFactu: EstadoEnvio Incorrecto, the only invoice record rejected with 3000 'Registro de facturación duplicado' (an earlier one exists)",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"},
    holdout=True,
)

PART.add(
    "e-cisco-axl-239-duplicate-line",
    200,
    "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>"
    "<faultstring>Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:).</faultstring>"
    "<detail><axlError><axlcode>-239</axlcode>"
    "<axlmessage>Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:).</axlmessage>"
    "<request>addLine</request></axlError></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>",
    "conflict",
    "Cisco CUCM AXL addLine fault -239: duplicate value in a unique index, the directory number already exists (fault relayed with 200)",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/axl/"},
    holdout=True,
)

PART.add(
    "e-sagex3-save-fiche-deja-existante",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
    '<wss:saveResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:wss="http://www.adonix.com/WSS">'
    '<saveReturn xsi:type="wss:CAdxResultXml"><messages soapenc:arrayType="wss:CAdxMessage[1]" xsi:type="soapenc:Array" '
    'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><messages xsi:type="wss:CAdxMessage">'
    '<message xsi:type="xsd:string">FR0042 : Fiche déjà existante</message><type xsi:type="xsd:string">3</type></messages></messages>'
    '<resultXml xsi:type="xsd:string" xsi:nil="true"/><status xsi:type="xsd:int">0</status>'
    "</saveReturn></wss:saveResponse></soapenv:Body></soapenv:Envelope>",
    "conflict",
    "Sage X3 save of customer FR0042: status 0 with an error message (type 3) 'Fiche déjà existante' (record already exists)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC"},
    holdout=True,
)

PART.add(
    "e-plesk-webspace-add-1007",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<packet version="1.6.9.1"><webspace><add><result><status>error</status>'
    "<errcode>1007</errcode><errtext>Unable to create the domain kanzlei-berger.de because a DNS record pointing to the host "
    "kanzlei-berger.de already exists.</errtext></result></add></webspace></packet>",
    "conflict",
    "Plesk XML API webspace add: status error, errcode 1007, the domain's DNS record already exists",
    content_type="text/xml",
    request={"method": "POST", "path": "/enterprise/control/agent.php"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-hikvision-isapi-badparameters",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n'
    "<requestURL>/ISAPI/System/Network/interfaces/1/ipAddress</requestURL>\n<statusCode>6</statusCode>\n"
    "<statusString>Invalid XML Content</statusString>\n<subStatusCode>badParameters</subStatusCode>\n"
    "<errorCode>1610612737</errorCode>\n<errorMsg>subnetMask</errorMsg>\n</ResponseStatus>\n",
    "validation",
    "Hikvision ISAPI PUT: ResponseStatus 6 'Invalid XML Content' / badParameters, the subnetMask value was rejected",
    content_type="application/xml; charset=UTF-8",
    request={"method": "PUT", "path": "/ISAPI/System/Network/interfaces/1/ipAddress"},
    holdout=True,
)

PART.add(
    "e-afip-wsfev1-resultado-r-10048",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    '<FECAESolicitarResponse xmlns="http://ar.gov.afip.dif.FEV1/"><FECAESolicitarResult><FeCabResp><Cuit>30714417785</Cuit>'
    "<PtoVta>4</PtoVta><CbteTipo>6</CbteTipo><FchProceso>20250314102911</FchProceso><CantReg>1</CantReg>"
    "<Resultado>R</Resultado><Reproceso>N</Reproceso></FeCabResp><FeDetResp><FECAEDetResponse><Concepto>1</Concepto>"
    "<DocTipo>96</DocTipo><DocNro>28417733</DocNro><CbteDesde>1542</CbteDesde><CbteHasta>1542</CbteHasta>"
    "<CbteFch>20250314</CbteFch><Resultado>R</Resultado><Observaciones><Obs><Code>10048</Code>"
    "<Msg>El campo 'Importe Total' ImpTotal, debe ser igual a la suma de ImpTotConc + ImpNeto + ImpOpEx + ImpTrib + ImpIVA.</Msg>"
    "</Obs></Observaciones><CAE></CAE><CAEFchVto></CAEFchVto></FECAEDetResponse></FeDetResp></FECAESolicitarResult>"
    "</FECAESolicitarResponse></soap:Body></soap:Envelope>",
    "validation",
    "AFIP WSFEv1: Resultado R (rechazado), no CAE; observation 10048 says ImpTotal must equal the sum of its parts",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/wsfev1/service.asmx"},
    holdout=True,
)

PART.add(
    "e-acord-pc-quote-rejected-datamissing",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ACORD>\n <SignonRs>\n  <Status><StatusCd>0</StatusCd><StatusDesc>Success</StatusDesc></Status>\n'
    "  <ServerDt>2025-03-14T10:31:20-05:00</ServerDt>\n  <Language>en-US</Language>\n </SignonRs>\n <InsuranceSvcRs>\n"
    "  <RqUID>5B0E7F4C-2A91-4D3B-9C6E-8F1A2B3C4D5E</RqUID>\n  <PersAutoPolicyQuoteInqRs>\n"
    "   <RqUID>C7D21A90-3E4F-4B5A-8C9D-0E1F2A3B4C5D</RqUID>\n   <TransactionResponseDt>2025-03-14T10:31:20-05:00</TransactionResponseDt>\n"
    "   <MsgStatus>\n    <MsgStatusCd>Rejected</MsgStatusCd>\n    <MsgErrorCd>DataError</MsgErrorCd>\n"
    "    <MsgStatusDesc>Quote request rejected: required data missing</MsgStatusDesc>\n"
    "    <ExtendedStatus>\n     <ExtendedStatusCd>DataMissing</ExtendedStatusCd>\n"
    "     <ExtendedStatusDesc>DriversLicenseNumber is required for PersDriver id=&quot;D2&quot;</ExtendedStatusDesc>\n"
    "    </ExtendedStatus>\n   </MsgStatus>\n  </PersAutoPolicyQuoteInqRs>\n </InsuranceSvcRs>\n</ACORD>\n",
    "validation",
    "ACORD P&C auto quote: sign-on Success but MsgStatusCd Rejected, DataMissing: DriversLicenseNumber is required",
    content_type="application/xml",
    request={"method": "POST", "path": "/acord/persauto/quote"},
    holdout=True,
)

PART.add(
    "e-payone-1095-parameter-faulty-de",
    200,
    "status=ERROR\nerrorcode=1095\nerrormessage=Parameter {wallettype} faulty or missing\n"
    "customermessage=Ungültiger Wallet-Anbieter. Bitte überprüfen Sie Ihre Angaben.\n",
    "validation",
    "PAYONE Server API key=value reply: status=ERROR 1095, parameter wallettype faulty or missing (customer text in German)",
    content_type="text/plain; charset=UTF-8",
    request={"method": "POST", "path": "/post-gateway/"},
    holdout=True,
)

PART.add(
    "e-gandi-xmlrpc-cause-badparameter",
    200,
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
    "<value><int>505237</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
    "<value><string>Error on object : OBJECT_FQDN (CAUSE_BADPARAMETER) [string 'boutique_lyon.fr' does not match "
    "'^(?:(?!-)[-a-zA-Z0-9]{1,63}(?&lt;!-)(\\.|$)){2,}$']</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    "validation",
    "Gandi XML-RPC domain.create fault: CAUSE_BADPARAMETER, the FQDN does not match the allowed pattern",
    content_type="text/xml",
    request={"method": "POST", "path": "/xmlrpc/"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# generic_business_error
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-php-fatal-memory-exhausted",
    200,
    "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in "
    "<b>/var/www/shop/vendor/doctrine/orm/lib/Doctrine/ORM/Internal/Hydration/ObjectHydrator.php</b> on line <b>363</b><br />\n",
    "generic_business_error",
    "A JSON list call got PHP's display_errors output: a fatal error (memory exhausted) printed with status 200, no data",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/v2/orders?limit=5000", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "e-perl-cgi-carp-software-error",
    200,
    "<h1>Software error:</h1>\n<pre>Can't call method &quot;fetchrow_hashref&quot; on an undefined value at "
    "/usr/local/lib/perl5/Claims/Repository.pm line 88.\n</pre>\n<p>\nFor help, please send mail to the webmaster "
    '(<a href="mailto:webmaster@claims.example.org">webmaster@claims.example.org</a>), giving this error message \n'
    "and the time and date of the error.\n\n</p>\n",
    "generic_business_error",
    "Perl CGI::Carp fatalsToBrowser page ('Software error:') answering a JSON claim-status call with 200",
    content_type="text/html; charset=ISO-8859-1",
    request={"method": "GET", "path": "/api/claims/status.cgi?claim=CL-2025-004417", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "e-typo3-oops-error-page",
    200,
    '<!DOCTYPE html>\n<html>\n<head>\n    <meta charset="utf-8">\n    <meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "    <title>Oops, an error occurred!</title>\n    <style>\n        body { margin: 0; font-family: Verdana, Arial, Helvetica, sans-serif; "
    "font-size: 13px; color: #212121; background-color: #f4f4f4; }\n        .exception-page { max-width: 960px; margin: 40px auto; }\n"
    '        .exception-title { font-size: 24px; color: #c83c3c; }\n    </style>\n</head>\n<body>\n<div class="exception-page">\n'
    '    <h1 class="exception-title">Oops, an error occurred!</h1>\n'
    '    <p class="exception-message">Code: 202503141035413f7c1d2e</p>\n</div>\n</body>\n</html>\n',
    "generic_business_error",
    "TYPO3 production exception page 'Oops, an error occurred!' served with 200 to a JSON news-feed call",
    content_type="text/html; charset=utf-8",
    request={"method": "GET", "path": "/api/news?type=1701&category=7", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "e-magento2-report-page",
    200,
    '<!doctype html>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
    "    <title>There has been an error processing your request</title>\n"
    '    <base href="https://shop.example.com/errors/default/" />\n'
    '    <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n    <meta name="robots" content="*"/>\n'
    '    <link rel="stylesheet" href="css/styles.css" type="text/css" />\n</head>\n<body>\n    <main class="page-main">\n\n'
    "<h1>There has been an error processing your request</h1>\n"
    "    <p><em>Exception printing is disabled by default for security reasons.</em></p>\n"
    "    <p>Error log record number: 8c1f0e7b2a41d6f3a8c5e2d17b0946c3f1e8a2d5b7c9e0f4a6b8d1c3e5f7a9b2</p>\n"
    "    </main>\n</body>\n</html>\n",
    "generic_business_error",
    "Magento 2 error report page ('There has been an error processing your request') instead of the REST JSON",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/rest/V1/products?searchCriteria[pageSize]=50", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "e-epson-epos-cover-open",
    200,
    '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<response success="false" code="EPTR_COVER_OPEN" status="252641302" battery="0" '
    'xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"></response></s:Body></s:Envelope>',
    "generic_business_error",
    "Epson ePOS-Print job: success=false, EPTR_COVER_OPEN, the receipt was not printed (no more specific type)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/cgi-bin/epos/service.cgi?devid=local_printer&timeout=60000"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# non-2xx and a plain success
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-upnp-igd-718-conflict-500",
    500,
    '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
    's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><s:Fault><faultcode>s:Client</faultcode>'
    '<faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0">'
    "<errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail>"
    "</s:Fault></s:Body></s:Envelope>\r\n",
    "server_error",
    "UPnP control faults are sent with 500 as the spec says; a 5xx is server_error whatever the body (here 718 ConflictInMappingEntry)",
    content_type='text/xml; charset="utf-8"',
    request={"method": "POST", "path": "/ctl/IPConn"},
    holdout=True,
)

PART.add(
    "e-rack-attack-retry-later-429",
    429,
    "Retry later\n",
    "rate_limit",
    "Rack::Attack's default throttled response: 429 with 'Retry later'",
    content_type="text/plain",
    request={"method": "POST", "path": "/api/v1/sessions", "headers": JSON_CALL},
    holdout=True,
)

PART.add(
    "e-oauth1-problem-token-expired-401",
    401,
    "oauth_problem=token_expired&oauth_problem_advice=The%20access%20token%20has%20expired",
    "auth_failure",
    "OAuth 1.0 problem reporting (Xero-style) with 401: oauth_problem=token_expired",
    content_type="application/x-www-form-urlencoded",
    headers={"WWW-Authenticate": 'OAuth Realm="api.xero.com"'},
    request={"method": "GET", "path": "/api.xro/2.0/Invoices"},
    holdout=True,
)

PART.add(
    "e-bulksms-eapi-0-in-progress",
    200,
    "0|IN_PROGRESS|1479842931\n",
    None,
    "BulkSMS EAPI: status 0 IN_PROGRESS with a batch id, the message was accepted",
    content_type="text/plain",
    request={"method": "POST", "path": "/eapi/submission/send_sms/2/2.0"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# traps
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-sii-parcialmente-correcto-trap",
    200,
    '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
    '<siiR:RespuestaLRFacturasEmitidas xmlns:siiR="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/ssii/fact/ws/RespuestaSuministro.xsd" '
    'xmlns:sii="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/ssii/fact/ws/SuministroInformacion.xsd">'
    "<siiR:CSV>A8KQ2LX9W1F7M3ZP</siiR:CSV><siiR:EstadoEnvio>ParcialmenteCorrecto</siiR:EstadoEnvio>"
    "<siiR:RespuestaLinea><siiR:IDFactura><sii:NumSerieFacturaEmisor>F-2025-0311</sii:NumSerieFacturaEmisor></siiR:IDFactura>"
    "<siiR:EstadoRegistro>Correcto</siiR:EstadoRegistro></siiR:RespuestaLinea>"
    "<siiR:RespuestaLinea><siiR:IDFactura><sii:NumSerieFacturaEmisor>F-2025-0312</sii:NumSerieFacturaEmisor></siiR:IDFactura>"
    "<siiR:EstadoRegistro>Incorrecto</siiR:EstadoRegistro><siiR:CodigoErrorRegistro>1104</siiR:CodigoErrorRegistro>"
    "<siiR:DescripcionErrorRegistro>Valor del campo FechaOperacion incorrecto</siiR:DescripcionErrorRegistro></siiR:RespuestaLinea>"
    "<siiR:RespuestaLinea><siiR:IDFactura><sii:NumSerieFacturaEmisor>F-2025-0313</sii:NumSerieFacturaEmisor></siiR:IDFactura>"
    "<siiR:EstadoRegistro>Correcto</siiR:EstadoRegistro></siiR:RespuestaLinea>"
    "</siiR:RespuestaLRFacturasEmitidas></env:Body></env:Envelope>",
    None,
    "SII batch of three invoices answered ParcialmenteCorrecto with a CSV: two accepted, one rejected; a partial batch is not a call failure",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/wlpl/SSII-FACT/ws/fe/SiiFactFEV1SOAP"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-txlife-success-with-information-trap",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<TXLife xmlns="http://ACORD.org/Standards/Life/2" Version="2.38.00">\n'
    " <TXLifeResponse>\n  <TransRefGUID>9d41b7e2-0c5a-4f63-a8e1-2b7c9d0f3e14</TransRefGUID>\n"
    '  <TransType tc="103">New Business Submission</TransType>\n  <TransExeDate>2025-03-14</TransExeDate>\n'
    "  <TransExeTime>10:42:05</TransExeTime>\n  <TransResult>\n"
    '   <ResultCode tc="2">Success With Information</ResultCode>\n   <ResultInfo>\n'
    "    <ResultInfoDesc>Requirement outstanding: Attending Physician Statement not received. Beneficiary percentages rounded to total 100.</ResultInfoDesc>\n"
    "   </ResultInfo>\n  </TransResult>\n"
    '  <OLifE><Holding id="Holding_1"><Policy><PolNumber>LF00918273</PolNumber><PolicyStatus tc="12">Proposed</PolicyStatus>'
    "</Policy></Holding></OLifE>\n </TXLifeResponse>\n</TXLife>\n",
    None,
    "ACORD TXLife 103: ResultCode 2 'Success With Information', the application was taken (policy number assigned); the info lists outstanding requirements",
    content_type="application/xml",
    request={"method": "POST", "path": "/txlife/newbusiness"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-mediawiki-edit-success-with-warnings-trap",
    200,
    '<?xml version="1.0"?><api><warnings><main xml:space="preserve">Unrecognized parameter: summery.</main></warnings>'
    '<edit result="Success" pageid="48213" title="Störungsmeldungen/Archiv 2024" contentmodel="wikitext" '
    'oldrevid="1180022" newrevid="1180097" newtimestamp="2025-03-14T09:12:44Z"/></api>',
    None,
    "MediaWiki edit result Success with a new revision; the warning about an unknown parameter and the 'incident reports' page title are not failures",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/w/api.php"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-ofx-statement-nsf-fees-trap",
    200,
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n"
    "COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
    "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250314104811.000[-5:EST]"
    "<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1001<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
    "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>071000013<ACCTID>9876543210<ACCTTYPE>CHECKING</BANKACCTFROM>"
    "<BANKTRANLIST><DTSTART>20250301<DTEND>20250314"
    "<STMTTRN><TRNTYPE>FEE<DTPOSTED>20250305<TRNAMT>-35.00<FITID>2025030501<NAME>NSF RETURNED ITEM FEE</STMTTRN>"
    "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250305<TRNAMT>-412.80<FITID>2025030502<NAME>RETURNED DEPOSIT ITEM<MEMO>INSUFFICIENT FUNDS</STMTTRN>"
    "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250307<TRNAMT>1850.00<FITID>2025030701<NAME>PAYROLL ACME CORP</STMTTRN>"
    "</BANKTRANLIST><LEDGERBAL><BALAMT>1210.44<DTASOF>20250314</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n",
    None,
    "OFX statement download: both STATUS codes 0 INFO; 'NSF', 'RETURNED' and 'INSUFFICIENT FUNDS' are transactions listed as data",
    content_type="application/x-ofx",
    request={"method": "POST", "path": "/ofx/server"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-sagex3-save-with-credit-warning-trap",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
    '<wss:saveResponse xmlns:wss="http://www.adonix.com/WSS"><saveReturn xsi:type="wss:CAdxResultXml">'
    '<messages><messages xsi:type="wss:CAdxMessage"><message xsi:type="xsd:string">Attention : encours client dépassé (autorisé 50 000,00 EUR)</message>'
    '<type xsi:type="xsd:string">2</type></messages></messages><resultXml xsi:type="xsd:string">&lt;RESULT&gt;&lt;GRP ID="SOH0_1"&gt;'
    '&lt;FLD NAME="SOHNUM" TYPE="Char"&gt;SONFR0250314-0047&lt;/FLD&gt;&lt;FLD NAME="BPCORD" TYPE="Char"&gt;FR0042&lt;/FLD&gt;'
    '&lt;/GRP&gt;&lt;/RESULT&gt;</resultXml><status xsi:type="xsd:int">1</status></saveReturn></wss:saveResponse>'
    "</soapenv:Body></soapenv:Envelope>",
    None,
    "Sage X3 sales order save: status 1 with the new order number; the message is a type-2 warning (credit limit exceeded), not an error",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-bugzilla-xmlrpc-search-error-bugs-trap",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><methodResponse><params><param><value><struct><member><name>bugs</name>'
    "<value><array><data>"
    "<value><struct><member><name>id</name><value><int>48211</int></value></member>"
    "<member><name>summary</name><value><string>Login fails with &quot;Invalid token&quot; after session timeout</string></value></member>"
    "<member><name>status</name><value><string>RESOLVED</string></value></member>"
    "<member><name>resolution</name><value><string>FIXED</string></value></member></struct></value>"
    "<value><struct><member><name>id</name><value><int>48377</int></value></member>"
    "<member><name>summary</name><value><string>Checkout returns 500 Internal Server Error when the card is declined</string></value></member>"
    "<member><name>status</name><value><string>NEW</string></value></member>"
    "<member><name>resolution</name><value><string></string></value></member></struct></value>"
    "</data></array></value></member></struct></value></param></params></methodResponse>",
    None,
    "Bugzilla XML-RPC Bug.search result (params, not fault): a list of bugs whose summaries talk about errors",
    content_type="text/xml",
    request={"method": "POST", "path": "/xmlrpc.cgi"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-hikvision-storage-hdd-error-trap",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n<storage version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n'
    '<hddList size="2">\n<hdd version="2.0">\n<id>1</id>\n<hddName>hdd1</hddName>\n<hddType>SATA</hddType>\n'
    "<status>ok</status>\n<capacity>3815447</capacity>\n<freeSpace>211968</freeSpace>\n<property>RW</property>\n</hdd>\n"
    '<hdd version="2.0">\n<id>2</id>\n<hddName>hdd2</hddName>\n<hddType>SATA</hddType>\n<status>error</status>\n'
    "<capacity>0</capacity>\n<freeSpace>0</freeSpace>\n<property>RW</property>\n</hdd>\n</hddList>\n"
    '<nasList size="8">\n</nasList>\n<workMode>group</workMode>\n</storage>\n',
    None,
    "GET of an NVR's storage list: the answer is the device state, one disk reports status error; the read itself succeeded",
    content_type="application/xml",
    request={"method": "GET", "path": "/ISAPI/ContentMgmt/Storage"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-hp-ledm-product-status-alert-trap",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!--THIS DATA SUBJECT TO DISCLAIMER(S) INCLUDED WITH THE PRODUCT OF ORIGIN.-->\n"
    '<psdyn:ProductStatusDyn xmlns:dd="http://www.hp.com/schemas/imaging/con/dictionaries/1.0/" '
    'xmlns:ad="http://www.hp.com/schemas/imaging/con/ledm/alertdetails/2007/10/31" '
    'xmlns:pscat="http://www.hp.com/schemas/imaging/con/ledm/productstatuscategories/2007/10/31" '
    'xmlns:locid="http://www.hp.com/schemas/imaging/con/ledm/localizationids/2007/10/31" '
    'xmlns:psdyn="http://www.hp.com/schemas/imaging/con/ledm/productstatusdyn/2007/10/31">'
    "<psdyn:Status><pscat:StatusCategory>trayEmptyOrOpen</pscat:StatusCategory><locid:StringId>65568</locid:StringId></psdyn:Status>"
    "<psdyn:AlertTable><psdyn:Alert><ad:ProductStatusAlertID>trayEmptyOrOpen</ad:ProductStatusAlertID>"
    "<locid:StringId>65568</locid:StringId><ad:Severity>Error</ad:Severity><ad:AlertPriority>10</ad:AlertPriority>"
    "<ad:AlertDetails><ad:AlertDetailsInputBin>Tray2</ad:AlertDetailsInputBin></ad:AlertDetails></psdyn:Alert>"
    "</psdyn:AlertTable></psdyn:ProductStatusDyn>\n",
    None,
    "HP LEDM ProductStatusDyn read: the printer's alert table (Severity Error, tray empty) is the data that was asked for",
    content_type="text/xml",
    request={"method": "GET", "path": "/DevMgmt/ProductStatusDyn.xml"},
    trap=True,
    holdout=True,
)
