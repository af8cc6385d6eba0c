"""Markup and other non-JSON bodies, fourth round: bank and payment XML (ISO 20022 pain.002 and
pacs.002 status reports with ``RJCT`` and reason codes, Elavon Converge XML, Moneris
eSELECTplus receipts, a biller payment API, CyberSource Simple Order name-value replies),
e-commerce and logistics (DHL XML-PI, Royal Mail Shipping API, PostNL CIF, Canada Post
``<messages>``, Magento 1 SOAP faults, PrestaShop webservice ``<prestashop><errors>``), SMS and
telecom (Twilio XML ``RestException``, Nexmo XML, Infobip XML, a Brazilian SMS gateway), health
and public sector (HL7 v2 ACKs ``MSA|AE``/``MSA|AR`` as ER7 text, FHIR ``OperationOutcome`` in
XML, HMRC GovTalk ``<GovTalkErrors>``, Mexican CFDI stamping, the Italian SdI), enterprise
suites (Workday, SuccessFactors OData upsert, Dynamics AX AIF faults, Siebel EAI), legacy CGI
text answers (pipes, ``RESULT=FAILED``, ``STATUS: KO``, ``ESITO=KO``, in legacy charsets) and
HTML answered to XHR/JSON calls (an ASP.NET "Object moved" login redirect body, WordPress
"critical error", a Shopify verification challenge, Google's unusual-traffic page, a CloudFront
block page, Cloudflare 1020, session/login/forbidden pages in German, Russian, Chinese and
Japanese).  The traps are successful answers that mention errors as data: an HL7 ``MSA|AA``
with a warning, a FHIR outcome of severity information, a partially rejected pain.002, a
status page, a camt.053 statement download, a help page, an incident RSS feed, a blog post,
a PrestaShop order state named "Payment error", a DHL tracking event, an Infobip delivery
report with ``NO_ERROR`` and a Royal Mail shipment created with warnings.
"""

from tests.semantic_errors.shapes import Part

PART = Part("markup")

XML = "text/xml; charset=utf-8"
APPXML = "application/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HL7 = "x-application/hl7-v2+er7; charset=utf-8"
FHIRXML = "application/fhir+xml; charset=utf-8"

XML_CALL = {"Content-Type": "application/xml", "Accept": "application/xml"}
SOAP_CALL = {"Content-Type": "text/xml; charset=utf-8", "Accept": "text/xml"}
FORM_CALL = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}
JSON_CALL = {"Accept": "application/json"}
XHR_CALL = {"Accept": "application/json, text/javascript, */*; q=0.01", "X-Requested-With": "XMLHttpRequest"}
FETCH_CALL = {"Accept": "application/json", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
HL7_CALL = {"Content-Type": "x-application/hl7-v2+er7", "Accept": "x-application/hl7-v2+er7"}
FHIR_CALL = {"Content-Type": "application/fhir+xml", "Accept": "application/fhir+xml"}
BROWSER = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
}


def _soap(action: str) -> dict:
    return {**SOAP_CALL, "SOAPAction": f'"{action}"'}


# --------------------------------------------------------------------------------------------
# Banks and payment processors
# --------------------------------------------------------------------------------------------

PART.add(
    "d-iso20022-pain002-grpsts-rjct-am04",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    "  <CstmrPmtStsRpt>\n"
    "    <GrpHdr>\n"
    "      <MsgId>STS-20240604-000187</MsgId>\n"
    "      <CreDtTm>2024-06-04T09:12:44</CreDtTm>\n"
    "      <InitgPty><Id><OrgId><BICOrBEI>NWBKGB2L</BICOrBEI></OrgId></Id></InitgPty>\n"
    "    </GrpHdr>\n"
    "    <OrgnlGrpInfAndSts>\n"
    "      <OrgnlMsgId>ACME-PAY-20240604-01</OrgnlMsgId>\n"
    "      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>\n"
    "      <OrgnlNbOfTxs>1</OrgnlNbOfTxs>\n"
    "      <OrgnlCtrlSum>18250.00</OrgnlCtrlSum>\n"
    "      <GrpSts>RJCT</GrpSts>\n"
    "      <StsRsnInf>\n"
    "        <Rsn><Cd>AM04</Cd></Rsn>\n"
    "        <AddtlInf>Insufficient funds on debtor account GB29NWBK60161331926819</AddtlInf>\n"
    "      </StsRsnInf>\n"
    "    </OrgnlGrpInfAndSts>\n"
    "  </CstmrPmtStsRpt>\n"
    "</Document>\n",
    "payment",
    "ISO 20022 pain.002 answering the submitted pain.001: GrpSts RJCT, reason AM04 insufficient funds",
    content_type=APPXML,
    request={"method": "POST", "path": "/h2h/v1/payments/pain.001", "headers": XML_CALL},
)

PART.add(
    "d-iso20022-pain002-ff01-invalid-file-format",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:pain.002.001.09">'
    "<ns2:CstmrPmtStsRpt><ns2:GrpHdr><ns2:MsgId>PSR0604113322871</ns2:MsgId><ns2:CreDtTm>2024-06-04T11:33:22.871+02:00"
    "</ns2:CreDtTm></ns2:GrpHdr><ns2:OrgnlGrpInfAndSts><ns2:OrgnlMsgId>SALARIES-JUNE-2024</ns2:OrgnlMsgId>"
    "<ns2:OrgnlMsgNmId>pain.001.001.09</ns2:OrgnlMsgNmId><ns2:GrpSts>RJCT</ns2:GrpSts><ns2:StsRsnInf>"
    "<ns2:Rsn><ns2:Cd>FF01</ns2:Cd></ns2:Rsn>"
    "<ns2:AddtlInf>Schema validation failed, line 57: value 'DE89 3704 0044 0532 0130 00' of element </ns2:AddtlInf>"
    "<ns2:AddtlInf>'IBAN' is not facet-valid with respect to pattern '[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}'</ns2:AddtlInf>"
    "</ns2:StsRsnInf></ns2:OrgnlGrpInfAndSts></ns2:CstmrPmtStsRpt></ns2:Document>",
    "validation",
    "pain.002 GrpSts RJCT with FF01 (invalid file format): the IBAN in the file failed schema validation",
    content_type="application/xml",
    request={"method": "POST", "path": "/ebics-gw/api/upload/pain001", "headers": XML_CALL},
)

PART.add(
    "d-iso20022-pacs002-du01-it-messaggio-duplicato",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">\n'
    "\t<FIToFIPmtStsRpt>\n"
    "\t\t<GrpHdr>\n"
    "\t\t\t<MsgId>CBI-ESITO-0604-00912</MsgId>\n"
    "\t\t\t<CreDtTm>2024-06-04T10:02:51+02:00</CreDtTm>\n"
    "\t\t\t<InstgAgt><FinInstnId><BICFI>BCITITMMXXX</BICFI></FinInstnId></InstgAgt>\n"
    "\t\t</GrpHdr>\n"
    "\t\t<OrgnlGrpInfAndSts>\n"
    "\t\t\t<OrgnlMsgId>BONIFICI-20240604-A7</OrgnlMsgId>\n"
    "\t\t\t<OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>\n"
    "\t\t\t<GrpSts>RJCT</GrpSts>\n"
    "\t\t\t<StsRsnInf>\n"
    "\t\t\t\t<Rsn><Cd>DU01</Cd></Rsn>\n"
    "\t\t\t\t<AddtlInf>Messaggio duplicato: MsgId BONIFICI-20240604-A7 già ricevuto il 04/06/2024 alle 09:58</AddtlInf>\n"
    "\t\t\t</StsRsnInf>\n"
    "\t\t</OrgnlGrpInfAndSts>\n"
    "\t</FIToFIPmtStsRpt>\n"
    "</Document>\n",
    "conflict",
    "Italian bank pacs.002: GrpSts RJCT, DU01 'messaggio duplicato' (same MsgId already received)",
    content_type=APPXML,
    request={"method": "POST", "path": "/api/sct/pacs008", "headers": XML_CALL},
)

PART.add(
    "d-iso20022-pacs002-es-tx-rjct-saldo-insuficiente",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03"><FIToFIPmtStsRpt>'
    "<GrpHdr><MsgId>ES20240604RSP000452</MsgId><CreDtTm>2024-06-04T12:40:03</CreDtTm></GrpHdr>"
    "<OrgnlGrpInfAndSts><OrgnlMsgId>TRF-ES-99812</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
    "<TxInfAndSts><StsId>RJ0001</StsId><OrgnlEndToEndId>FACTURA-2024-0412</OrgnlEndToEndId>"
    "<OrgnlTxId>TX20240604-7731</OrgnlTxId><TxSts>RJCT</TxSts>"
    "<StsRsnInf><Orgtr><Nm>BANCO EJEMPLO SA</Nm></Orgtr><Rsn><Cd>AM04</Cd></Rsn>"
    "<AddtlInf>Saldo insuficiente en la cuenta del ordenante</AddtlInf></StsRsnInf>"
    '<OrgnlTxRef><IntrBkSttlmAmt Ccy="EUR">3120.50</IntrBkSttlmAmt><IntrBkSttlmDt>2024-06-04</IntrBkSttlmDt></OrgnlTxRef>'
    "</TxInfAndSts></FIToFIPmtStsRpt></Document>",
    "payment",
    "Spanish bank pacs.002 for a single transfer: TxSts RJCT, AM04 'saldo insuficiente'",
    content_type="application/xml",
    request={"method": "POST", "path": "/psd2/v1/transferencias", "headers": XML_CALL},
)

PART.add(
    "d-elavon-converge-xml-ssl-result-declined",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<txn><ssl_issuer_response>51</ssl_issuer_response><ssl_last_name>Brennan</ssl_last_name><ssl_company></ssl_company>"
    "<ssl_card_number>41**********9990</ssl_card_number><ssl_oar_data></ssl_oar_data><ssl_result>1</ssl_result>"
    "<ssl_txn_id>040624A15-2F1C7A3E-66B0-4D2D-9E8A-0C3B1F7D2A91</ssl_txn_id><ssl_avs_response>Y</ssl_avs_response>"
    "<ssl_approval_code></ssl_approval_code><ssl_amount>212.40</ssl_amount><ssl_txn_time>06/04/2024 10:41:07 AM</ssl_txn_time>"
    "<ssl_result_message>DECLINED</ssl_result_message><ssl_cvv2_response>M</ssl_cvv2_response>"
    "<ssl_transaction_type>SALE</ssl_transaction_type><ssl_card_type>CREDITCARD</ssl_card_type></txn>",
    "payment",
    "Elavon Converge XML reply: ssl_result 1, ssl_result_message DECLINED (issuer response 51), no approval code",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/VirtualMerchant/processxml.do", "headers": FORM_CALL},
)

PART.add(
    "d-moneris-receipt-responsecode-481-declined",
    200,
    '<?xml version="1.0" standalone="yes"?><response><receipt><ReceiptId>ord-060424-7731</ReceiptId>'
    "<ReferenceNum>660109300015480010</ReferenceNum><ResponseCode>481</ResponseCode><ISO>05</ISO>"
    "<AuthCode>000000</AuthCode><TransTime>10:52:31</TransTime><TransDate>2024-06-04</TransDate>"
    "<TransType>00</TransType><Complete>true</Complete>"
    "<Message>DECLINED           *                    =</Message><TransAmount>89.99</TransAmount>"
    "<CardType>V</CardType><TransID>74213-0_11</TransID><TimedOut>false</TimedOut><BankTotals>null</BankTotals>"
    "<Ticket>null</Ticket><IsVisaDebit>false</IsVisaDebit></receipt></response>",
    "payment",
    "Moneris receipt: Complete=true only means processed; ResponseCode 481 (>= 50) and Message DECLINED",
    content_type="text/xml",
    request={"method": "POST", "path": "/gateway2/servlet/MpgRequest", "headers": {"Content-Type": "text/xml"}},
)

PART.add(
    "d-biller-payment-xml-account-not-found",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<payment-response xmlns="http://www.paymentus.com/xotp">\n'
    "    <request-id>8841-2ab7-0c19</request-id>\n"
    "    <response-code>ERROR</response-code>\n"
    "    <errors>\n"
    '        <error code="ACCOUNT_NOT_FOUND" field="account-number">No account 0047719320 was found for biller CITYWATER-TX</error>\n'
    "    </errors>\n"
    "    <reference-number/>\n"
    "    <payment-status/>\n"
    "</payment-response>\n",
    "not_found",
    "biller payment API (Paymentus XOTP style): response-code ERROR, ACCOUNT_NOT_FOUND for the billed account",
    content_type="application/xml",
    request={"method": "POST", "path": "/xotp/pmt/v1/payments", "headers": XML_CALL},
)

PART.add(
    "d-cybersource-simple-order-nvp-reason-102",
    200,
    "merchantReferenceCode=INV-88213\n"
    "requestID=7174985103326581804951\n"
    "decision=REJECT\n"
    "reasonCode=102\n"
    "invalidField_0=c:billTo_postalCode\n"
    "invalidField_1=c:card_expirationYear\n"
    "requestToken=Axj//wSTfL0aWkqb8zrVABEBAxzxHq3W+mb5zL6wT0Rx\n"
    "purchaseTotals_currency=USD\n",
    "validation",
    "CyberSource Simple Order API name-value reply: decision REJECT, reasonCode 102 with invalidField list",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/commerce/1.x/transactionProcessor", "headers": FORM_CALL},
)

# --------------------------------------------------------------------------------------------
# E-commerce and logistics
# --------------------------------------------------------------------------------------------

PART.add(
    "d-dhl-xmlpi-tracking-no-shipments-found",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<req:TrackingResponse xmlns:req="http://www.dhl.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.dhl.com TrackingResponse.xsd">\n'
    "    <Response>\n"
    "        <ServiceHeader>\n"
    "            <MessageTime>2024-06-04T11:02:17+01:00</MessageTime>\n"
    "            <MessageReference>9b1f0e6a3c2d4e8fa7b6c5d4e3f2a1b0</MessageReference>\n"
    "            <SiteID>acmeshop</SiteID>\n"
    "        </ServiceHeader>\n"
    "    </Response>\n"
    "    <AWBInfo>\n"
    "        <AWBNumber>4455667788</AWBNumber>\n"
    "        <Status>\n"
    "            <ActionStatus>No Shipments Found</ActionStatus>\n"
    "            <Condition>\n"
    "                <ConditionCode>209</ConditionCode>\n"
    "                <ConditionData>No Shipments Found for AWBNumber 4455667788</ConditionData>\n"
    "            </Condition>\n"
    "        </Status>\n"
    "    </AWBInfo>\n"
    "    <LanguageCode>en</LanguageCode>\n"
    "</req:TrackingResponse>\n",
    "not_found",
    "DHL XML-PI tracking of one AWB: ActionStatus 'No Shipments Found'",
    content_type="text/xml",
    request={"method": "POST", "path": "/XMLShippingServlet", "headers": XML_CALL},
)

PART.add(
    "d-postnl-cif-nl-ongeldige-postcode",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    '<faultcode>s:Client</faultcode><faultstring xml:lang="nl-NL">Check failed</faultstring><detail>'
    '<CifException xmlns="http://postnl.nl/cif/services/common/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    "<Errors><ExceptionData>"
    "<Description>Receiver.Address.Zipcode: ongeldige postcode '1234 XYZ'. Verwacht formaat: 9999XX</Description>"
    "<ErrorMsg>Ongeldige postcode</ErrorMsg><ErrorNumber>3</ErrorNumber>"
    "</ExceptionData></Errors></CifException></detail></s:Fault></s:Body></s:Envelope>",
    "validation",
    "PostNL CIF SOAP fault with 200: 'Check failed', CifException 'ongeldige postcode' (Dutch: invalid postcode)",
    content_type=XML,
    request={
        "method": "POST",
        "path": "/shipment/v2_2/label",
        "headers": _soap("http://postnl.nl/cif/services/LabellingWebService/ILabellingWebService/GenerateLabel"),
    },
)

PART.add(
    "d-canadapost-messages-fr-code-postal-invalide",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<messages xmlns="http://www.canadapost.ca/ws/messages">\n'
    "  <message>\n"
    "    <code>1623</code>\n"
    "    <description>Le code postal de destination est invalide ou ne correspond pas à la province indiquée.</description>\n"
    "  </message>\n"
    "</messages>\n",
    "validation",
    "Canada Post <messages> error document (French, Accept-language fr-CA) instead of a price quote: invalid postal code",
    content_type="application/vnd.cpc.ship.rate-v4+xml",
    request={
        "method": "POST",
        "path": "/rs/ship/price",
        "headers": {
            "Content-Type": "application/vnd.cpc.ship.rate-v4+xml",
            "Accept": "application/vnd.cpc.ship.rate-v4+xml",
            "Accept-language": "fr-CA",
        },
    },
)

PART.add(
    "d-magento1-soap-v2-fault-101-product-not-exists",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>'
    "<SOAP-ENV:Fault><faultcode>101</faultcode><faultstring>Product not exists.</faultstring></SOAP-ENV:Fault>"
    "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n",
    "not_found",
    "Magento 1 SOAP v2 fault 101 'Product not exists.' for catalogProductInfo",
    content_type=XML,
    request={
        "method": "POST",
        "path": "/index.php/api/v2_soap/index/",
        "headers": _soap("urn:Mage_Api_Model_Server_V2_HandlerAction"),
    },
)

PART.add(
    "d-magento1-soap-fault-103-cannot-invoice",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">\n'
    "  <SOAP-ENV:Body>\n"
    "    <SOAP-ENV:Fault>\n"
    "      <faultcode>103</faultcode>\n"
    "      <faultstring>Cannot do invoice for order.</faultstring>\n"
    "    </SOAP-ENV:Fault>\n"
    "  </SOAP-ENV:Body>\n"
    "</SOAP-ENV:Envelope>\n",
    "generic_business_error",
    "Magento 1 SOAP fault 103 from salesOrderInvoiceCreate: the invoice was not created (no more specific cause given)",
    content_type="text/xml; charset=UTF-8",
    request={
        "method": "POST",
        "path": "/api/v2_soap/",
        "headers": _soap("urn:Mage_Api_Model_Server_V2_HandlerAction"),
    },
)

PART.add(
    "d-prestashop-ws-errors-property-empty",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
    "<errors>\n"
    "<error>\n"
    "<code><![CDATA[85]]></code>\n"
    '<message><![CDATA[Validation error: "Property Product->link_rewrite is empty."]]></message>\n'
    "</error>\n"
    "</errors>\n"
    "</prestashop>\n",
    "validation",
    "PrestaShop webservice <prestashop><errors>: 'Validation error: Property Product->link_rewrite is empty'",
    content_type="text/xml;charset=utf-8",
    headers={"PSWS-Version": "1.7.8.11", "Execution-Time": "0.021"},
    request={
        "method": "POST",
        "path": "/api/products",
        "headers": {"Content-Type": "text/xml", "Output-Format": "XML"},
    },
)

# --------------------------------------------------------------------------------------------
# Telecom and SMS
# --------------------------------------------------------------------------------------------

PART.add(
    "d-twilio-xml-restexception-21211",
    200,
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<TwilioResponse><RestException><Code>21211</Code>"
    "<Message>The 'To' number +1555010 is not a valid phone number.</Message>"
    "<MoreInfo>https://www.twilio.com/docs/errors/21211</MoreInfo><Status>400</Status>"
    "</RestException></TwilioResponse>",
    "validation",
    "Twilio XML (.xml resource) RestException 21211: the 'To' number is not valid; body Status 400 under an HTTP 200",
    content_type="application/xml",
    request={
        "method": "POST",
        "path": "/2010-04-01/Accounts/AC3f9b0c7d2e1a4b5c6d7e8f9a0b1c2d3e/Messages.xml",
        "headers": FORM_CALL,
    },
)

PART.add(
    "d-nexmo-xml-status-1-throttled",
    200,
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    "<mt-submission-response>\n"
    '    <messages count="1">\n'
    "        <message>\n"
    "            <to>447700900123</to>\n"
    "            <status>1</status>\n"
    "            <errorText>Throughput Rate Exceeded - please wait [ 1000 ] and retry</errorText>\n"
    "        </message>\n"
    "    </messages>\n"
    "</mt-submission-response>\n",
    "rate_limit",
    "Nexmo SMS XML: the only message has status 1, 'Throughput Rate Exceeded - please wait and retry'",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/sms/xml", "headers": FORM_CALL},
)

PART.add(
    "d-infobip-xml-rejected-not-enough-credits",
    200,
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    "<smsResponse>\n"
    "  <bulkId>2034072219640523072</bulkId>\n"
    "  <messages>\n"
    "    <message>\n"
    "      <to>41793026727</to>\n"
    "      <status>\n"
    "        <groupId>5</groupId>\n"
    "        <groupName>REJECTED</groupName>\n"
    "        <id>12</id>\n"
    "        <name>REJECTED_NOT_ENOUGH_CREDITS</name>\n"
    "        <description>Not enough credits</description>\n"
    "      </status>\n"
    "      <messageId>2250be2d4219-3af1-78856-aabe-1362af1edfd2</messageId>\n"
    "    </message>\n"
    "  </messages>\n"
    "</smsResponse>\n",
    "payment",
    "Infobip SMS XML: the single message REJECTED_NOT_ENOUGH_CREDITS (account balance exhausted)",
    content_type="application/xml;charset=UTF-8",
    request={
        "method": "POST",
        "path": "/sms/2/text/advanced",
        "headers": {"Content-Type": "application/xml", "Accept": "application/xml"},
    },
)

PART.add(
    "d-sms-br-xml-erro-saldo-insuficiente-latin1",
    200,
    (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        "<retorno><envio><status>ERRO</status><codigo>012</codigo>"
        "<mensagem>Não foi possível enviar: saldo insuficiente de créditos</mensagem>"
        "<celular>5511987654321</celular><id_envio></id_envio></envio></retorno>\n"
    ).encode("iso-8859-1"),
    "payment",
    "Brazilian SMS gateway XML in ISO-8859-1: status ERRO, 'saldo insuficiente de créditos'",
    content_type="text/xml; charset=ISO-8859-1",
    request={"method": "POST", "path": "/api/v1/envio.xml", "headers": FORM_CALL},
)

# --------------------------------------------------------------------------------------------
# Health and public sector
# --------------------------------------------------------------------------------------------

PART.add(
    "d-hl7v2-ack-msa-ae-pid3-required",
    200,
    "MSH|^~\\&|LABSYS|CENTRAL_LAB|ACME_EHR|ACME_CLINIC|20240604103215+0200||ACK^R01^ACK|LAB20240604103215771|P|2.5.1\r"
    "MSA|AE|ORU20240604-0042|Required field missing: PID-3 Patient Identifier List\r"
    "ERR||PID^1^3^1|101^Required field missing^HL70357|E||||PID-3 is empty; cannot match patient\r",
    "validation",
    "HL7 v2 ACK over HTTP: MSA|AE (application error), ERR 101 required field PID-3 missing",
    content_type=HL7,
    request={"method": "POST", "path": "/hl7/v2/oru", "headers": HL7_CALL},
)

PART.add(
    "d-hl7v2-ack-msa-ar-internal-error",
    200,
    "MSH|^~\\&|RIS|RADIOLOGY|HIS|STMARYS|20240604141000||ACK^O23|ACK-58823|P|2.4\r"
    "MSA|AR|OMI-000981|Application internal error - message not stored, resend later|||207\r"
    "ERR|^^^207&Application internal error&HL70357\r",
    "generic_business_error",
    "HL7 v2.4 ACK MSA|AR (application reject), error 207 application internal error: the order message was not stored",
    content_type="application/hl7-v2",
    request={"method": "POST", "path": "/interfaces/ris/omi", "headers": {"Content-Type": "application/hl7-v2"}},
)

PART.add(
    "d-hl7v2-ack-de-patient-nicht-gefunden",
    200,
    "MSH|^~\\&|KIS|KLINIKUM_NORD|PDMS|ITS|20240604083012||ACK^A08^ACK|K-20240604-000311|P|2.5\r"
    "MSA|AE|ADT-A08-99120|Patientenstammdaten für PID 004711 nicht gefunden - Aktualisierung abgelehnt\r"
    "ERR||PID^1^3|204^Unknown key identifier^HL70357|E\r",
    "not_found",
    "HL7 ACK to an A08 update: MSA|AE, ERR 204 unknown key, German text 'Patient ... nicht gefunden'",
    content_type=HL7,
    request={"method": "POST", "path": "/hl7/adt", "headers": HL7_CALL},
)

PART.add(
    "d-fhir-oo-xml-duplicate-identifier",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OperationOutcome xmlns="http://hl7.org/fhir">\n'
    '  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Duplicate resource</p></div></text>\n'
    "  <issue>\n"
    '    <severity value="error"/>\n'
    '    <code value="duplicate"/>\n'
    '    <details><text value="A Patient with identifier http://hospital.example.org/mrn|MRN-448812 already exists (Patient/9f3c21)"/></details>\n'
    '    <expression value="Patient.identifier[0]"/>\n'
    "  </issue>\n"
    "</OperationOutcome>\n",
    "conflict",
    "FHIR OperationOutcome (XML) answering a Patient create: severity error, code duplicate",
    content_type=FHIRXML,
    request={"method": "POST", "path": "/fhir/r4/Patient", "headers": FHIR_CALL},
)

PART.add(
    "d-fhir-oo-xml-pt-token-expirado",
    200,
    '<OperationOutcome xmlns="http://hl7.org/fhir"><issue><severity value="error"/><code value="expired"/>'
    '<details><coding><system value="http://terminology.hl7.org/CodeSystem/operation-outcome"/>'
    '<code value="MSG_AUTH_REQUIRED"/></coding><text value="Token de acesso expirado. Faça login novamente."/></details>'
    '<diagnostics value="JWT exp=1717498800 anterior ao horário atual"/></issue></OperationOutcome>',
    "auth_failure",
    "FHIR OperationOutcome instead of the search Bundle: severity error, code expired, 'Token de acesso expirado' (pt)",
    content_type="application/fhir+xml",
    request={
        "method": "GET",
        "path": "/fhir/r4/Observation?patient=Patient/7731&category=laboratory",
        "headers": {"Accept": "application/fhir+xml"},
    },
)

PART.add(
    "d-fhir-oo-xml-fr-date-invalide",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OperationOutcome xmlns="http://hl7.org/fhir">\n'
    "\t<issue>\n"
    '\t\t<severity value="error"/>\n'
    '\t\t<code value="value"/>\n'
    '\t\t<diagnostics value="La valeur « 31/02/1985 » de Patient.birthDate n\'est pas une date valide (format attendu AAAA-MM-JJ)"/>\n'
    '\t\t<location value="Patient.birthDate"/>\n'
    "\t</issue>\n"
    "\t<issue>\n"
    '\t\t<severity value="warning"/>\n'
    '\t\t<code value="informational"/>\n'
    '\t\t<diagnostics value="Le champ Patient.telecom est vide"/>\n'
    "\t</issue>\n"
    "</OperationOutcome>\n",
    "validation",
    "FHIR OperationOutcome answering a Patient update: an error issue 'n'est pas une date valide' (fr) plus a warning",
    content_type=FHIRXML,
    request={"method": "PUT", "path": "/fhir/Patient/PAT-20931", "headers": FHIR_CALL},
)

PART.add(
    "d-govtalk-hmrc-1046-authentication-failure",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<GovTalkMessage xmlns="http://www.govtalk.gov.uk/CM/envelope">\n'
    "  <EnvelopeVersion>2.0</EnvelopeVersion>\n"
    "  <Header>\n"
    "    <MessageDetails>\n"
    "      <Class>HMRC-CT-CT600</Class>\n"
    "      <Qualifier>error</Qualifier>\n"
    "      <Function>submit</Function>\n"
    "      <TransactionID>20240604113045</TransactionID>\n"
    "      <CorrelationID>0D4C0B4A8F1B4C7E9A2E6B3F5D7C9E11</CorrelationID>\n"
    "      <GatewayTimestamp>2024-06-04T11:30:46.112</GatewayTimestamp>\n"
    "    </MessageDetails>\n"
    "    <SenderDetails/>\n"
    "  </Header>\n"
    "  <GovTalkDetails>\n"
    "    <Keys/>\n"
    "    <GovTalkErrors>\n"
    "      <Error>\n"
    "        <RaisedBy>Department</RaisedBy>\n"
    "        <Number>1046</Number>\n"
    "        <Type>fatal</Type>\n"
    "        <Text>Authentication Failure. The supplied user credentials failed validation for the requested service.</Text>\n"
    "        <Location/>\n"
    "      </Error>\n"
    "    </GovTalkErrors>\n"
    "  </GovTalkDetails>\n"
    "  <Body/>\n"
    "</GovTalkMessage>\n",
    "auth_failure",
    "HMRC GovTalk reply: Qualifier error, GovTalkErrors 1046 'Authentication Failure'",
    content_type="text/xml",
    request={"method": "POST", "path": "/submission", "headers": {"Content-Type": "text/xml"}},
)

PART.add(
    "d-cfdi-pac-incidencia-307-timbre-previo",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:ns0="apps.services.soap.core.views" xmlns:s0="http://facturacion.finkok.com/stamp">'
    "<SOAP-ENV:Body><ns0:stampResponse><ns0:stampResult>"
    "<s0:UUID></s0:UUID><s0:Fecha></s0:Fecha><s0:CodEstatus></s0:CodEstatus>"
    "<s0:Incidencias><s0:Incidencia><s0:IdIncidencia>1</s0:IdIncidencia>"
    "<s0:CodigoError>307</s0:CodigoError>"
    "<s0:MensajeIncidencia>El CFDI contiene un timbre previo</s0:MensajeIncidencia>"
    "<s0:RfcEmisor>EKU9003173C9</s0:RfcEmisor><s0:NoCertificadoPac>20001000000300022323</s0:NoCertificadoPac>"
    "<s0:FechaRegistro>2024-06-04T10:15:33</s0:FechaRegistro></s0:Incidencia></s0:Incidencias>"
    "</ns0:stampResult></ns0:stampResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "conflict",
    "Mexican CFDI stamping (PAC) reply: empty UUID, Incidencia 307 'El CFDI contiene un timbre previo' (already stamped)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/servicios/soap/stamp", "headers": _soap("stamp")},
)

PART.add(
    "d-sdi-risposta-ricevi-file-errore-ei02",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    '<ns2:rispostaSdIRiceviFile xmlns:ns2="http://www.fatturapa.gov.it/sdi/ws/trasmissione/v1.0/types">'
    "<IdentificativoSdI>0</IdentificativoSdI>"
    "<DataOraRicezione>2024-06-04T15:22:08.000+02:00</DataOraRicezione>"
    "<Errore>EI02</Errore>"
    "</ns2:rispostaSdIRiceviFile></soapenv:Body></soapenv:Envelope>",
    "generic_business_error",
    "Italian SdI RiceviFile reply: IdentificativoSdI 0 and an Errore element EI02 (service unavailable): invoice not accepted",
    content_type="text/xml;charset=UTF-8",
    request={
        "method": "POST",
        "path": "/SdIRiceviFile",
        "headers": _soap("http://www.fatturapa.it/SdIRiceviFile/RiceviFile"),
    },
)

# --------------------------------------------------------------------------------------------
# Enterprise suites
# --------------------------------------------------------------------------------------------

PART.add(
    "d-workday-soap-validation-fault-required-element",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>'
    '<SOAP-ENV:Fault xmlns:wd="urn:com.workday/bsvc"><faultcode>SOAP-ENV:Client.validationError</faultcode>'
    "<faultstring>Validation error occurred. Element Content 'Hire_Date' is required, on the Hire_Employee_Event_Data element</faultstring>"
    "<detail><wd:Validation_Fault><wd:Validation_Error>"
    "<wd:Message>Element Content 'Hire_Date' is required, on the Hire_Employee_Event_Data element</wd:Message>"
    "<wd:Xpath>/ns0:Hire_Employee_Request[1]/ns0:Hire_Employee_Data[1]/ns0:Hire_Employee_Event_Data[1]</wd:Xpath>"
    "</wd:Validation_Error></wd:Validation_Fault></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "validation",
    "Workday SOAP Validation_Fault: 'Validation error occurred', required element Hire_Date missing",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/ccx/service/acme/Staffing/v42.0", "headers": SOAP_CALL},
)

PART.add(
    "d-successfactors-upsert-status-error",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
    'xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xml:base="https://api4.successfactors.com:443/odata/v2/">\n'
    '<title type="text">UpsertResults</title>\n'
    "<updated>2024-06-04T09:44:12Z</updated>\n"
    "<entry>\n"
    '<content type="application/xml">\n'
    "<m:properties>\n"
    '<d:key m:null="true"></d:key>\n'
    "<d:status>ERROR</d:status>\n"
    '<d:editStatus m:null="true"></d:editStatus>\n'
    "<d:message>Position 50081234 is not valid or inactive for the effective date 2024-07-01. with the index 0</d:message>\n"
    '<d:index m:type="Edm.Int32">0</d:index>\n'
    '<d:httpCode m:type="Edm.Int32">400</d:httpCode>\n'
    '<d:inlineResults m:null="true"></d:inlineResults>\n'
    "</m:properties>\n"
    "</content>\n"
    "</entry>\n"
    "</feed>\n",
    "validation",
    "SuccessFactors OData $upsert of one EmpJob record answered 200: its only result has status ERROR, httpCode 400, invalid position",
    content_type="application/atom+xml;charset=utf-8",
    request={
        "method": "POST",
        "path": "/odata/v2/upsert",
        "headers": {"Content-Type": "application/atom+xml", "Accept": "application/atom+xml"},
    },
)

PART.add(
    "d-dynamics-ax-aif-fault-customer-not-exist",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    '<faultcode xmlns:a="http://schemas.microsoft.com/dynamics/2008/01/documents/Fault">a:Fault</faultcode>'
    '<faultstring xml:lang="en-US">Request Failed. See the Exception Log for details.</faultstring><detail>'
    '<AifFault xmlns="http://schemas.microsoft.com/dynamics/2008/01/documents/Fault" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    '<CustomDetailXml i:nil="true"/><FaultMessageListArray><ArrayOfFaultMessageList><FaultMessageList>'
    '<Document i:nil="true"/><DocumentOperationName i:nil="true"/><Field i:nil="true"/><FaultMessageArray>'
    '<FaultMessage><Code i:nil="true"/><Message>Customer account US-0099 does not exist.</Message></FaultMessage>'
    '</FaultMessageArray><Service i:nil="true"/><ServiceOperation i:nil="true"/><ServiceOperationParameter i:nil="true"/>'
    '<XPath i:nil="true"/><XmlLine i:nil="true"/><XmlPosition i:nil="true"/></FaultMessageList></ArrayOfFaultMessageList>'
    "</FaultMessageListArray><InfologMessageList><InfologMessage><InfologMessageType>Error</InfologMessageType>"
    "<Message>Customer account US-0099 does not exist.</Message></InfologMessage></InfologMessageList></AifFault>"
    "</detail></s:Fault></s:Body></s:Envelope>",
    "not_found",
    "Dynamics AX 2012 AIF fault for CustomerService.read: 'Request Failed', FaultMessage 'Customer account US-0099 does not exist.'",
    content_type=XML,
    request={
        "method": "POST",
        "path": "/MicrosoftDynamicsAXAif60/CustomerService/xppservice.svc",
        "headers": _soap("http://schemas.microsoft.com/dynamics/2008/01/services/CustomerService/read"),
    },
)

PART.add(
    "d-siebel-eai-fault-sbl-dat-00382-duplicate",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Body>'
    "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode>"
    "<faultstring>Error invoking service 'Siebel Account', method 'Insert' at step 'Insert Account'.(SBL-BPR-00162)</faultstring>"
    '<detail><siebelf:siebdetail xmlns:siebelf="http://www.siebel.com/ws/fault">'
    "<siebelf:logfilename>EAIObjMgr_enu_0023_24117249.log</siebelf:logfilename><siebelf:errorstack><siebelf:error>"
    "<siebelf:errorcode>SBL-DAT-00382</siebelf:errorcode><siebelf:errorsymbol>IDS_ERR_DATAMGR_DUP_RECORD_EXISTS</siebelf:errorsymbol>"
    "<siebelf:errormsg>The same values for 'Name' and 'Location' already exist. If you would like to enter a new record, "
    "please ensure that the field values are unique.(SBL-DAT-00382)</siebelf:errormsg>"
    "</siebelf:error></siebelf:errorstack></siebelf:siebdetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
    "conflict",
    "Siebel EAI SOAP fault: Account Insert failed with SBL-DAT-00382, the same Name/Location already exist",
    content_type="text/xml; charset=UTF-8",
    request={
        "method": "POST",
        "path": "/eai_enu/start.swe?SWEExtSource=WebService&SWEExtCmd=Execute",
        "headers": _soap("document/http://siebel.com/CustomUI:AccountInsert"),
    },
)

# --------------------------------------------------------------------------------------------
# Legacy CGI text answers
# --------------------------------------------------------------------------------------------

PART.add(
    "d-cgi-pipe-error-e123-invalid-merchant-ref",
    200,
    "ERROR|E123|Invalid merchant reference: field MREF must be 1-20 alphanumeric characters\n",
    "validation",
    "pipe-delimited CGI reply ERROR|E123|Invalid merchant reference",
    content_type="text/plain",
    request={"method": "POST", "path": "/cgi-bin/txn.cgi", "headers": FORM_CALL},
)

PART.add(
    "d-cgi-result-failed-account-locked",
    200,
    "RESULT=FAILED\r\nCODE=AUTH_LOCKED\r\nREASON=User account locked after 5 invalid password attempts\r\nSESSION=\r\n",
    "auth_failure",
    "CGI key=value reply RESULT=FAILED to a login: account locked, no session issued",
    content_type="text/plain; charset=us-ascii",
    request={"method": "POST", "path": "/cgi-bin/auth/login.pl", "headers": FORM_CALL},
)

PART.add(
    "d-cgi-status-ko-fr-solde-insuffisant-latin1",
    200,
    "STATUS: KO\nCODE: 51\nMOTIF: Solde insuffisant pour effectuer le prélèvement\nREF: PRL-2024-06-0091\n".encode(
        "iso-8859-1"
    ),
    "payment",
    "French CGI text 'STATUS: KO', MOTIF 'Solde insuffisant' (ISO-8859-1)",
    content_type="text/plain; charset=ISO-8859-1",
    request={"method": "POST", "path": "/cgi-bin/prelevement.cgi", "headers": FORM_CALL},
)

PART.add(
    "d-cgi-esito-ko-it-importo-non-valido",
    200,
    "ESITO=KO\nCODICE_ERRORE=PA14\nDESCRIZIONE=Importo non valido: il campo IMPORTO deve essere espresso in centesimi senza separatori\n",
    "validation",
    "Italian CGI reply ESITO=KO, 'Importo non valido' (amount in a wrong format)",
    content_type="text/plain; charset=utf-8",
    request={"method": "POST", "path": "/servlet/pagamento", "headers": FORM_CALL},
)

PART.add(
    "d-cgi-ru-limit-zaprosov-cp1251",
    200,
    "ERROR: Превышен лимит запросов (60 в минуту). Повторите попытку через 42 сек.\n".encode("cp1251"),
    "rate_limit",
    "Russian text reply in windows-1251: 'Превышен лимит запросов' (request limit exceeded), retry in 42 s",
    content_type="text/plain; charset=windows-1251",
    request={"method": "GET", "path": "/cgi-bin/api.cgi?action=balance&login=shop77", "headers": {"Accept": "*/*"}},
)

PART.add(
    "d-cgi-zh-gbk-order-duplicate",
    200,
    "FAIL\n错误码:ORDER_DUPLICATE\n错误信息:商户订单号重复，请勿重复提交\n".encode("gbk"),
    "conflict",
    "Chinese text reply in GBK: FAIL, ORDER_DUPLICATE '商户订单号重复' (merchant order number already used)",
    content_type="text/plain; charset=GBK",
    request={"method": "POST", "path": "/gateway/pay.do", "headers": FORM_CALL},
)

PART.add(
    "d-cgi-ja-sjis-result-ng-auth",
    200,
    "RESULT=NG\r\nERR_CODE=E0101\r\nERR_MSG=認証に失敗しました。ショップIDまたはパスワードが正しくありません。\r\n".encode(
        "shift_jis"
    ),
    "auth_failure",
    "Japanese key=value reply in Shift_JIS: RESULT=NG, '認証に失敗しました' (authentication failed, wrong shop ID or password)",
    content_type="text/plain; charset=Shift_JIS",
    request={"method": "POST", "path": "/payment/EntryTran.idPass", "headers": FORM_CALL},
)

# --------------------------------------------------------------------------------------------
# HTML answered to XHR / JSON calls
# --------------------------------------------------------------------------------------------

PART.add(
    "d-aspnet-object-moved-login-redirect-body-200",
    200,
    "<html><head><title>Object moved</title></head><body>\r\n"
    '<h2>Object moved to <a href="/Account/Login?ReturnUrl=%2fapi%2fcustomers%2f4471%2finvoices">here</a>.</h2>\r\n'
    "</body></html>\r\n",
    "auth_failure",
    "ASP.NET forms-auth redirect body ('Object moved to here', ReturnUrl = the API path) served with 200 to an XHR",
    content_type=HTML,
    headers={"X-AspNet-Version": "4.0.30319", "X-Powered-By": "ASP.NET", "Server": "Microsoft-IIS/10.0"},
    request={"method": "GET", "path": "/api/customers/4471/invoices", "headers": XHR_CALL},
)

PART.add(
    "d-wordpress-critical-error-admin-ajax-200",
    200,
    "<!DOCTYPE html>\n"
    '<html lang="en-US">\n'
    "<head>\n"
    '\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
    '\t<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
    "\t<meta name='robots' content='max-image-preview:large, noindex, follow' />\n"
    "\t<title>WordPress &rsaquo; Error</title>\n"
    '\t<style type="text/css">\n'
    "\t\thtml { background: #f1f1f1; }\n"
    "\t\tbody { background: #fff; border: 1px solid #ccd0d4; color: #444; margin: 2em auto; padding: 1em 2em; max-width: 700px; }\n"
    "\t</style>\n"
    "</head>\n"
    '<body id="error-page">\n'
    '\t<div class="wp-die-message"><p>There has been a critical error on this website.</p>'
    '<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div></body>\n'
    "</html>\n",
    "generic_business_error",
    "WordPress wp_die page 'There has been a critical error on this website.' with 200 to an admin-ajax XHR",
    content_type=HTML,
    request={"method": "POST", "path": "/wp-admin/admin-ajax.php?action=wc_add_to_cart", "headers": XHR_CALL},
)

PART.add(
    "d-shopify-connection-needs-verification-json",
    200,
    "<!DOCTYPE html>\n"
    '<html lang="en">\n'
    "<head>\n"
    '  <meta charset="utf-8">\n'
    '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "  <title>Your connection needs to be verified</title>\n"
    '  <meta name="robots" content="noindex, nofollow">\n'
    "</head>\n"
    '<body class="challenge">\n'
    '  <main class="page">\n'
    "    <h1>Your connection needs to be verified</h1>\n"
    "    <p>Please complete the security check to continue to the store.</p>\n"
    '    <form id="challenge-form" method="POST" action="/challenge">\n'
    '      <div class="h-captcha" data-sitekey="f5a6c3e0-2b1d-4c9e-8f7a-6b5c4d3e2f10"></div>\n'
    '      <input type="hidden" name="return_to" value="/products/linen-shirt.json">\n'
    '      <button type="submit">Submit</button>\n'
    "    </form>\n"
    "  </main>\n"
    "</body>\n"
    "</html>\n",
    "auth_failure",
    "Shopify bot-protection challenge page 'Your connection needs to be verified' instead of the product JSON",
    content_type=HTML,
    headers={"Server": "cloudflare", "X-Shopid": "55871920"},
    request={"method": "GET", "path": "/products/linen-shirt.json", "headers": JSON_CALL},
)

PART.add(
    "d-google-sorry-unusual-traffic-429",
    429,
    "<html>\n"
    '<head><meta http-equiv="content-type" content="text/html; charset=utf-8"><meta name="viewport" content="initial-scale=1">'
    "<title>https://www.google.com/search?q=acme+bulk+lookup&amp;num=100</title></head>\n"
    '<body style="font-family: arial, sans-serif; background-color: #fff; color: #000; padding:20px; font-size:18px;">\n'
    '<div style="max-width:400px;">\n'
    '<hr noshade size="1" style="color:#ccc; background-color:#ccc;"><br>\n'
    '<form id="captcha-form" action="index" method="post">\n'
    '<div id="recaptcha" class="g-recaptcha" data-sitekey="6LfwuyUTAAAAAOAmoS0fdqijC2PbbdH4kjq62Y1b"></div>\n'
    "<input type='hidden' name='q' value='EhAgAUgQ'><input type=\"hidden\" name=\"continue\" value=\"https://www.google.com/search?q=acme\">\n"
    "</form>\n"
    '<hr noshade size="1" style="color:#ccc; background-color:#ccc;">\n'
    '<div style="font-size:13px;">\n'
    "<b>About this page</b><br><br>\n"
    "Our systems have detected unusual traffic from your computer network.  This page checks to see if it&#39;s really you "
    "sending the requests, and not a robot.<br><br>\n"
    "IP address: 203.0.113.47<br>Time: 2024-06-04T10:12:44Z<br>URL: https://www.google.com/search?q=acme+bulk+lookup<br>\n"
    "</div>\n</div>\n</body>\n</html>\n",
    "rate_limit",
    "Google /sorry/ page (429): 'Our systems have detected unusual traffic from your computer network'",
    content_type="text/html",
    request={
        "method": "GET",
        "path": "/search?q=acme+bulk+lookup&num=100",
        "headers": {"Accept": "*/*", "User-Agent": "python-requests/2.31.0"},
    },
)

PART.add(
    "d-cloudfront-waf-request-blocked-200",
    200,
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n'
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n'
    "<TITLE>ERROR: The request could not be satisfied</TITLE>\n"
    "</HEAD><BODY>\n"
    "<H1>403 ERROR</H1>\n"
    "<H2>The request could not be satisfied.</H2>\n"
    '<HR noshade size="1px">\n'
    "Request blocked.\n"
    "We can't connect to the server for this app or website at this time. There might be too much traffic or a configuration error. "
    "Try again later, or contact the app or website owner.\n"
    '<BR clear="all">\n'
    "If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error "
    "by reviewing the CloudFront documentation.\n"
    '<BR clear="all">\n'
    '<HR noshade size="1px">\n'
    "<PRE>\n"
    "Generated by cloudfront (CloudFront)\n"
    "Request ID: q3Xv8mG1Lw2kP0c9T_hYbR5sN7aJdE4uFzOiKlM6Ve==\n"
    "</PRE>\n"
    "<ADDRESS>\n"
    "</ADDRESS>\n"
    "</BODY></HTML>",
    "auth_failure",
    "CloudFront/AWS WAF block page ('403 ERROR', 'Request blocked.') served with 200 to a fetch() call",
    content_type="text/html",
    headers={"Server": "CloudFront", "X-Cache": "Error from cloudfront", "X-Amz-Cf-Pop": "FRA56-P3"},
    request={"method": "POST", "path": "/api/v2/quotes", "headers": FETCH_CALL},
)

PART.add(
    "d-cloudflare-1020-access-denied-403",
    403,
    "<!DOCTYPE html>\n"
    '<html class="no-js" lang="en-US">\n'
    "<head>\n"
    "<title>Access denied | api.example-shop.com used Cloudflare to restrict access</title>\n"
    '<meta charset="UTF-8" />\n'
    '<meta name="robots" content="noindex, nofollow" />\n'
    "</head>\n"
    "<body>\n"
    '  <div id="cf-wrapper">\n'
    '    <div id="cf-error-details" class="p-0">\n'
    '      <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">\n'
    '        <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">\n'
    '          <span class="inline-block">Access denied</span>\n'
    '          <span class="code-label">Error code 1020</span>\n'
    "        </h1>\n"
    "        <div>You do not have access to api.example-shop.com.</div><p>The site owner may have set restrictions that prevent you from accessing the site.</p>\n"
    "      </header>\n"
    "      <ul><li>Ray ID: 88e1f0b2c9a47d31</li><li>Timestamp: 2024-06-04 10:21:07 UTC</li></ul>\n"
    "    </div>\n"
    "  </div>\n"
    "</body>\n"
    "</html>\n",
    "auth_failure",
    "Cloudflare firewall-rule block (403): 'Access denied', error code 1020",
    content_type="text/html; charset=UTF-8",
    headers={"Server": "cloudflare", "CF-RAY": "88e1f0b2c9a47d31-FRA"},
    request={"method": "GET", "path": "/v1/catalog/items?page=3", "headers": JSON_CALL},
)

PART.add(
    "d-html-de-sitzung-abgelaufen-xhr",
    200,
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Sitzung abgelaufen – Kundenportal</title>'
    '<link rel="stylesheet" href="/static/portal.css"></head><body class="login"><div class="box">'
    "<h1>Ihre Sitzung ist abgelaufen</h1>"
    "<p>Aus Sicherheitsgründen wurden Sie nach 20 Minuten Inaktivität automatisch abgemeldet. Bitte melden Sie sich erneut an.</p>"
    '<form method="post" action="/anmelden"><label for="u">Benutzername</label><input id="u" name="benutzername">'
    '<label for="p">Passwort</label><input id="p" type="password" name="passwort">'
    '<button type="submit">Anmelden</button></form></div></body></html>',
    "auth_failure",
    "German 'Ihre Sitzung ist abgelaufen' login page with 200 to an XHR for contract data",
    content_type=HTML,
    request={"method": "GET", "path": "/portal/api/vertraege?seite=2", "headers": XHR_CALL},
)

PART.add(
    "d-html-ru-dostup-zapreshchen-xhr",
    200,
    '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="UTF-8">\n<title>Доступ запрещён</title>\n</head>\n'
    '<body>\n<div class="error-page">\n<h1>Доступ запрещён</h1>\n'
    "<p>У вас недостаточно прав для выполнения этого действия. Обратитесь к администратору портала.</p>\n"
    '<a href="/">Вернуться на главную</a>\n</div>\n</body>\n</html>\n',
    "auth_failure",
    "Russian 'Доступ запрещён' (access denied, not enough rights) HTML page with 200 to an XHR delete",
    content_type=HTML,
    request={"method": "POST", "path": "/local/ajax/order.php?action=delete&id=5521", "headers": XHR_CALL},
)

PART.add(
    "d-html-zh-ip-blocked-xhr",
    200,
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问被拒绝</title></head><body>'
    '<div class="wrap"><h2>抱歉，您的访问被拦截</h2>'
    "<p>由于您的请求存在安全风险，或您的IP已被列入黑名单，本次访问已被网站防火墙拦截。</p>"
    "<p>如您认为这是误拦截，请联系网站管理员，并提供以下事件ID：<b>7f2c9a61d3e84b05</b></p>"
    "</div></body></html>",
    "auth_failure",
    "Chinese firewall block page '访问被拒绝 / 您的访问被拦截' (request blocked) with 200 to a JSON call",
    content_type=HTML,
    request={"method": "GET", "path": "/api/goods/list?cat=12&page=1", "headers": JSON_CALL},
)

PART.add(
    "d-html-ja-login-required-xhr",
    200,
    "<!DOCTYPE html>\n"
    '<html lang="ja">\n'
    "<head>\n"
    '<meta charset="UTF-8">\n'
    "<title>ログイン | 会員サイト</title>\n"
    "</head>\n"
    "<body>\n"
    '<div id="login">\n'
    "<h1>ログイン</h1>\n"
    '<p class="notice">このページをご利用いただくにはログインが必要です。</p>\n'
    '<form action="/member/login" method="post">\n'
    '<label>メールアドレス<input type="email" name="mail"></label>\n'
    '<label>パスワード<input type="password" name="pass"></label>\n'
    '<input type="submit" value="ログイン">\n'
    "</form>\n"
    "</div>\n"
    "</body>\n"
    "</html>\n",
    "auth_failure",
    "Japanese login page 'ログインが必要です' (login required) with 200 to a JSON call for favourites",
    content_type=HTML,
    request={"method": "GET", "path": "/member/api/favorites.json", "headers": XHR_CALL},
)

# --------------------------------------------------------------------------------------------
# Traps: successful answers that mention errors as data
# --------------------------------------------------------------------------------------------

PART.add(
    "d-hl7v2-ack-msa-aa-with-warning",
    200,
    "MSH|^~\\&|LAB|CENTRAL_LAB|EHR|CLINIC|20240604104501||ACK^O21^ACK|ACK-772190|P|2.5.1\r"
    "MSA|AA|ORM-20240604-7781|Message accepted\r"
    "ERR||OBR^1^4|103^Table value not found^HL70357|W|||Local test code XGLU mapped to LOINC 2345-7\r",
    None,
    "HL7 ACK MSA|AA (accepted); the ERR segment has severity W, a warning about a code mapping",
    content_type=HL7,
    request={"method": "POST", "path": "/hl7/v2/orm", "headers": HL7_CALL},
    trap=True,
)

PART.add(
    "d-fhir-oo-xml-validate-information-only",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OperationOutcome xmlns="http://hl7.org/fhir">\n'
    '  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml">Validation: 0 errors, 0 warnings</div></text>\n'
    "  <issue>\n"
    '    <severity value="information"/>\n'
    '    <code value="informational"/>\n'
    '    <diagnostics value="No issues detected during validation"/>\n'
    "  </issue>\n"
    "</OperationOutcome>\n",
    None,
    "FHIR $validate result: an OperationOutcome whose only issue is severity information, 0 errors",
    content_type=FHIRXML,
    request={"method": "POST", "path": "/fhir/r4/Patient/$validate", "headers": FHIR_CALL},
    trap=True,
)

PART.add(
    "d-iso20022-pain002-part-one-of-three-rejected",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">\n'
    "<CstmrPmtStsRpt>\n"
    "<GrpHdr><MsgId>STS-0604-0931</MsgId><CreDtTm>2024-06-04T09:31:07</CreDtTm></GrpHdr>\n"
    "<OrgnlGrpInfAndSts><OrgnlMsgId>SUPPLIERS-W23</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>"
    "<OrgnlNbOfTxs>3</OrgnlNbOfTxs><GrpSts>PART</GrpSts>"
    "<NbOfTxsPerSts><DtldNbOfTxs>2</DtldNbOfTxs><DtldSts>ACCP</DtldSts></NbOfTxsPerSts>"
    "<NbOfTxsPerSts><DtldNbOfTxs>1</DtldNbOfTxs><DtldSts>RJCT</DtldSts></NbOfTxsPerSts></OrgnlGrpInfAndSts>\n"
    "<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMTINF-1</OrgnlPmtInfId>"
    "<TxInfAndSts><OrgnlEndToEndId>SUP-0093</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
    "<StsRsnInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>Incorrect account number</AddtlInf></StsRsnInf></TxInfAndSts>"
    "</OrgnlPmtInfAndSts>\n"
    "</CstmrPmtStsRpt>\n"
    "</Document>\n",
    None,
    "pain.002 GrpSts PART: 2 of 3 transfers accepted, 1 rejected (AC01); a partial batch is not a failed call",
    content_type=APPXML,
    request={"method": "POST", "path": "/h2h/v1/payments/pain.001", "headers": XML_CALL},
    trap=True,
)

PART.add(
    "d-html-ja-status-page-past-incidents",
    200,
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>サービス稼働状況 | Acme Pay</title></head><body>'
    '<header><h1>サービス稼働状況</h1></header><section class="current"><p class="ok">現在、すべてのサービスは正常に稼働しています。</p>'
    "<ul><li>決済API：正常</li><li>管理画面：正常</li><li>Webhook配信：正常</li></ul></section>"
    '<section class="history"><h2>過去の障害情報</h2><ul>'
    "<li>2024/05/28 14:02〜14:37 決済APIでエラー率が上昇（解決済み）</li>"
    "<li>2024/05/11 03:10〜03:55 Webhook配信の遅延およびタイムアウト（解決済み）</li>"
    "</ul></section></body></html>",
    None,
    "Japanese status page for a browser: all services normal now; the history lists resolved incidents (error rates, timeouts)",
    content_type=HTML,
    request={"method": "GET", "path": "/status", "headers": BROWSER},
    trap=True,
)

PART.add(
    "d-camt053-statement-download-with-return",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
    "<GrpHdr><MsgId>STMT20240603-0001</MsgId><CreDtTm>2024-06-04T06:00:00</CreDtTm></GrpHdr>"
    "<Stmt><Id>STMT-2024-06-03</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>"
    '<Ntry><Amt Ccy="EUR">45.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-06-03</Dt></BookgDt>'
    "<NtryDtls><TxDtls><RtrInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>Returned direct debit: insufficient funds</AddtlInf></RtrInf>"
    "</TxDtls></NtryDtls><AddtlNtryInf>RUECKLASTSCHRIFT MANDAT M-7731</AddtlNtryInf></Ntry>"
    '<Ntry><Amt Ccy="EUR">1290.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-06-03</Dt></BookgDt>'
    "<AddtlNtryInf>SEPA TRANSFER RENT JUNE</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>\n",
    None,
    "camt.053 statement download (attachment): one entry is a returned debit with reason AM04, which is statement data",
    content_type="application/xml",
    headers={"Content-Disposition": 'attachment; filename="camt053_2024-06-03.xml"'},
    request={
        "method": "GET",
        "path": "/api/accounts/DE89370400440532013000/statements/2024-06-03/camt053",
        "headers": {"Accept": "application/xml"},
    },
    trap=True,
)

PART.add(
    "d-html-es-help-tarjeta-rechazada",
    200,
    '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>¿Por qué se rechazó mi tarjeta? – Centro de ayuda</title></head>'
    '<body><nav class="breadcrumb">Ayuda › Pagos › Errores frecuentes</nav><article><h1>¿Por qué se rechazó mi tarjeta?</h1>'
    "<p>Si ves el mensaje <strong>«Pago rechazado»</strong>, tu banco no autorizó el cargo. Los motivos más habituales son:</p>"
    "<ul><li><b>Error 51</b> – fondos insuficientes.</li><li><b>Error 54</b> – tarjeta caducada.</li>"
    "<li><b>Error 05</b> – operación denegada por el emisor.</li></ul>"
    "<p>Revisa los datos e inténtalo de nuevo, o contacta con tu banco.</p></article></body></html>",
    None,
    "Spanish help-centre article opened in a browser, listing card decline errors as content",
    content_type=HTML,
    request={"method": "GET", "path": "/ayuda/pagos/tarjeta-rechazada", "headers": BROWSER},
    trap=True,
)

PART.add(
    "d-rss-incident-history-feed",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
    "  <channel>\n"
    "    <title>Acme Cloud Status - Incident History</title>\n"
    "    <link>https://status.acme-cloud.example</link>\n"
    "    <description>Statuspage</description>\n"
    "    <item>\n"
    "      <title>Elevated error rates on the Payments API</title>\n"
    "      <description>&lt;p&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Requests to /v1/charges failed with 500 errors "
    "for some customers in eu-west. This incident has been resolved.&lt;/p&gt;</description>\n"
    "      <pubDate>Tue, 28 May 2024 14:41:00 +0000</pubDate>\n"
    "      <link>https://status.acme-cloud.example/incidents/x1c9kq7m2f</link>\n"
    "    </item>\n"
    "    <item>\n"
    "      <title>Authentication failures for SSO logins</title>\n"
    "      <description>&lt;p&gt;&lt;strong&gt;Postmortem&lt;/strong&gt; - Token validation errors ...&lt;/p&gt;</description>\n"
    "      <pubDate>Sat, 11 May 2024 04:02:00 +0000</pubDate>\n"
    "    </item>\n"
    "  </channel>\n"
    "</rss>\n",
    None,
    "status-page RSS feed of incidents: error rates and authentication failures are feed items",
    content_type="application/rss+xml; charset=utf-8",
    request={"method": "GET", "path": "/history.rss", "headers": {"Accept": "application/rss+xml, application/xml"}},
    trap=True,
)

PART.add(
    "d-html-blog-fix-wordpress-critical-error",
    200,
    '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
    "<title>How to Fix “There has been a critical error on this website” in WordPress – WP Rescue Blog</title>\n"
    '<link rel="canonical" href="https://wprescue.example/blog/fix-wordpress-critical-error/">\n</head>\n'
    '<body class="post-template-default single single-post">\n<article id="post-2214">\n'
    '<h1 class="entry-title">How to Fix “There has been a critical error on this website” in WordPress</h1>\n'
    '<div class="entry-content"><p>Seeing a white screen with a critical error message? Since WordPress 5.2 the fatal error '
    "handler replaces the white screen of death with this notice and emails the admin a recovery link.</p>\n"
    "<h2>1. Enable WP_DEBUG</h2><p>Add <code>define( 'WP_DEBUG', true );</code> to wp-config.php ...</p></div>\n"
    "</article>\n</body>\n</html>\n",
    None,
    "a browser navigating to a blog post about the WordPress critical error message: an ordinary article",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/blog/fix-wordpress-critical-error/", "headers": BROWSER},
    trap=True,
)

PART.add(
    "d-prestashop-order-state-payment-error",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
    "<order_state>\n"
    "\t<id><![CDATA[8]]></id>\n"
    "\t<unremovable><![CDATA[1]]></unremovable>\n"
    "\t<delivery><![CDATA[0]]></delivery>\n"
    "\t<hidden><![CDATA[0]]></hidden>\n"
    "\t<send_email><![CDATA[1]]></send_email>\n"
    "\t<module_name></module_name>\n"
    "\t<invoice><![CDATA[0]]></invoice>\n"
    "\t<color><![CDATA[#E74C3C]]></color>\n"
    "\t<logable><![CDATA[0]]></logable>\n"
    "\t<shipped><![CDATA[0]]></shipped>\n"
    "\t<paid><![CDATA[0]]></paid>\n"
    "\t<deleted><![CDATA[0]]></deleted>\n"
    "\t<name>\n"
    '\t\t<language id="1" xlink:href="https://shop.example.com/api/languages/1"><![CDATA[Payment error]]></language>\n'
    '\t\t<language id="2" xlink:href="https://shop.example.com/api/languages/2"><![CDATA[Erreur de paiement]]></language>\n'
    "\t</name>\n"
    "\t<template>\n"
    '\t\t<language id="1" xlink:href="https://shop.example.com/api/languages/1"><![CDATA[payment_error]]></language>\n'
    "\t</template>\n"
    "</order_state>\n"
    "</prestashop>\n",
    None,
    "PrestaShop webservice GET of order state 8, whose name is 'Payment error': reference data, no <errors>",
    content_type="text/xml;charset=utf-8",
    headers={"PSWS-Version": "1.7.8.11"},
    request={"method": "GET", "path": "/api/order_states/8", "headers": {"Output-Format": "XML"}},
    trap=True,
)

PART.add(
    "d-dhl-xmlpi-tracking-de-zustellung-nicht-moeglich",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<req:TrackingResponse xmlns:req="http://www.dhl.com"><Response><ServiceHeader>'
    "<MessageTime>2024-06-04T16:20:11+02:00</MessageTime><MessageReference>c0ffee00d15ea5e0b16b00b5decaf001</MessageReference>"
    "<SiteID>acmeshop</SiteID></ServiceHeader></Response>"
    "<AWBInfo><AWBNumber>1234567890</AWBNumber><Status><ActionStatus>success</ActionStatus></Status>"
    "<ShipmentInfo><OriginServiceArea><ServiceAreaCode>LEJ</ServiceAreaCode></OriginServiceArea>"
    "<ShipmentEvent><Date>2024-06-04</Date><Time>11:42:00</Time>"
    "<ServiceEvent><EventCode>NH</EventCode><Description>Zustellung nicht möglich – Empfänger nicht angetroffen</Description></ServiceEvent>"
    "<ServiceArea><ServiceAreaCode>MUC</ServiceAreaCode><Description>MUENCHEN - DE</Description></ServiceArea></ShipmentEvent>"
    "</ShipmentInfo></AWBInfo><LanguageCode>de</LanguageCode></req:TrackingResponse>",
    None,
    "DHL tracking ActionStatus success; the latest event (German) says delivery was not possible: shipment data",
    content_type="text/xml",
    request={"method": "POST", "path": "/XMLShippingServlet", "headers": XML_CALL},
    trap=True,
)

PART.add(
    "d-infobip-xml-delivery-report-no-error",
    200,
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    "<reportResponse><results><result><bulkId>BULK-ID-123-xyz</bulkId><messageId>MSG-ID-123-xyz</messageId>"
    "<to>41793026727</to><sentAt>2024-06-04T10:18:31.312+0000</sentAt><doneAt>2024-06-04T10:18:33.507+0000</doneAt>"
    "<smsCount>1</smsCount><price><pricePerMessage>0.01</pricePerMessage><currency>EUR</currency></price>"
    "<status><groupId>3</groupId><groupName>DELIVERED</groupName><id>5</id><name>DELIVERED_TO_HANDSET</name>"
    "<description>Message delivered to handset</description></status>"
    "<error><groupId>0</groupId><groupName>OK</groupName><id>0</id><name>NO_ERROR</name>"
    "<description>No Error</description><permanent>false</permanent></error>"
    "</result></results></reportResponse>",
    None,
    "Infobip delivery report: DELIVERED_TO_HANDSET, and the error block is NO_ERROR",
    content_type="application/xml;charset=UTF-8",
    request={
        "method": "GET",
        "path": "/sms/1/reports?messageId=MSG-ID-123-xyz",
        "headers": {"Accept": "application/xml"},
    },
    trap=True,
)

PART.add(
    "d-royalmail-create-shipment-with-warning",
    200,
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    '<v2:createShipmentResponse xmlns:v2="http://www.royalmailgroup.com/api/ship/V2" '
    'xmlns:v1="http://www.royalmailgroup.com/integration/core/V1">'
    "<v2:integrationHeader><v1:dateTime>2024-06-04T12:10:44</v1:dateTime>"
    "<v1:identification><v1:transactionId>ship-88213</v1:transactionId></v1:identification></v2:integrationHeader>"
    "<v2:completedShipmentInfo><v2:status><v2:status><v2:statusCode><code>Allocated</code></v2:statusCode></v2:status>"
    "</v2:status><v2:allCompletedShipments><v2:completedShipments><v2:shipments>"
    "<v2:shipmentNumber>TT123456785GB</v2:shipmentNumber></v2:shipments></v2:completedShipments></v2:allCompletedShipments>"
    "</v2:completedShipmentInfo>"
    "<v2:integrationFooter><v1:warnings><v1:warning><v1:warningCode>W0022</v1:warningCode>"
    "<v1:warningDescription>The Recipient Address Line 1 has been truncated to 35 characters</v1:warningDescription>"
    "</v1:warning></v1:warnings></v2:integrationFooter></v2:createShipmentResponse></soapenv:Body></soapenv:Envelope>",
    None,
    "Royal Mail createShipment: shipment TT123456785GB Allocated; the footer carries only a warning (address truncated)",
    content_type="text/xml;charset=UTF-8",
    request={"method": "POST", "path": "/shipping/v2", "headers": _soap("createShipment")},
    trap=True,
)
