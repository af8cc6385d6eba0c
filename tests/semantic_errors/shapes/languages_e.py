"""Fifth round of localised responses (scoring set, all holdout), from regional APIs not named in
the earlier rounds.  Spanish: PayU Latam (a ``code: SUCCESS`` envelope around a ``DECLINED``
transaction), AFIP WSFEv1 (``Resultado`` R with ``Observaciones``), Nubefact, Chilexpress, AEAT SII;
Portuguese: Tiny ERP ``retorno``/``codigo_erro``, ReceitaWS, Cielo API 3.0, Correios CalcPrecoPrazo,
Efí Pix ``devolucoes``, Omie; French: Chorus Pro ``codeRetour``/``libelle``, Sogecommerce (Lyra REST
V4), Sellsy, Chronopost; German: GiroCheckout ``rc``/``msg``, Afterbuy ``CallStatus``, Billbee
``ErrorMessage``, DPD Cloud ``Ack``/``ErrorDataList``; Italian: Gestpay/Axerve ``TransactionResult``
KO, pagoPA nodo ``outcome`` KO, Fatture in Cloud, BRT tracking; Japanese: e-Stat ``RESULT.STATUS``,
zipcloud, Hot Pepper ``results.error``, BASE ``hour_api_limit``; Chinese: 聚合数据 ``error_code``,
快递100 ``returnCode``, 通联支付 ``trxstatus``, 诺诺发票 ``describe``, 云片; traditional Chinese:
藍新 NewebPay ``Status``/``Message`` (TRA10021, TRA10071, logistics 1103); Russian: SMS.ru
``status_code``, Сбербанк ``errorCode``, Т-Банк ``ErrorCode``, VK ``error_code``.  Traps: a partly
correct SII batch, a Pix whose refund was not made, Chorus Pro and Billbee lists of rejected
invoices and failed payments, BRT and 快递100 tracking with failed delivery attempts, e-Stat's
"normal end, no matching data", a NewebPay query of a failed trade and an SMS.ru delivery report.
"""

from tests.semantic_errors.shapes import Part

PART = Part("languages")

_XML = "text/xml; charset=utf-8"

# ---------------------------------------------------------------------------------------------
# Spanish (Latin America, Spain)
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-payu-latam-declined-fondos-insuficientes",
    200,
    {
        "code": "SUCCESS",
        "error": None,
        "transactionResponse": {
            "orderId": 1400462981,
            "transactionId": "5b6e0c7a-3f41-4a8e-9d1c-2f0a8c3e7b55",
            "state": "DECLINED",
            "paymentNetworkResponseCode": "51",
            "paymentNetworkResponseErrorMessage": "Fondos insuficientes",
            "trazabilityCode": None,
            "authorizationCode": None,
            "pendingReason": None,
            "responseCode": "INSUFFICIENT_FUNDS",
            "errorCode": None,
            "responseMessage": None,
            "transactionDate": None,
            "transactionTime": None,
            "operationDate": 1715697012480,
            "extraParameters": {"BANK_REFERENCED_CODE": "CREDIT"},
            "additionalInfo": None,
        },
    },
    "payment",
    "PayU Latam: envelope code SUCCESS only means the request was processed; the charge itself is "
    "DECLINED with INSUFFICIENT_FUNDS / 'Fondos insuficientes'",
    request={"method": "POST", "path": "/payments-api/4.0/service.cgi"},
    holdout=True,
)

PART.add(
    "e-afip-wsfe-resultado-rechazado",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><FECAESolicitarResponse xmlns="http://ar.gov.afip.dif.FEV1/"><FECAESolicitarResult>'
    "<FeCabResp><Cuit>20284445552</Cuit><PtoVta>4</PtoVta><CbteTipo>6</CbteTipo>"
    "<FchProceso>20240514103211</FchProceso><CantReg>1</CantReg><Resultado>R</Resultado>"
    "<Reproceso>N</Reproceso></FeCabResp><FeDetResp><FECAEDetResponse><Concepto>1</Concepto>"
    "<DocTipo>96</DocTipo><DocNro>28444555</DocNro><CbteDesde>1523</CbteDesde><CbteHasta>1523</CbteHasta>"
    "<CbteFch>20240514</CbteFch><Resultado>R</Resultado><Observaciones><Obs><Code>10048</Code>"
    "<Msg>El campo  'Importe Total' ImpTotal, debe ser igual  a la  suma de ImpTotConc + ImpNeto + "
    "ImpOpEx + ImpTrib + ImpIVA.</Msg></Obs></Observaciones><CAE></CAE><CAEFchVto></CAEFchVto>"
    "</FECAEDetResponse></FeDetResp></FECAESolicitarResult></FECAESolicitarResponse></soap:Body></soap:Envelope>",
    "validation",
    "AFIP factura electrónica: the only voucher comes back Resultado R (rechazado), no CAE, the "
    "observation says ImpTotal must equal the sum of the amounts - an invalid input value",
    content_type=_XML,
    request={
        "method": "POST",
        "path": "/wsfev1/service.asmx",
        "headers": {"SOAPAction": "http://ar.gov.afip.dif.FEV1/FECAESolicitar"},
    },
    holdout=True,
)

PART.add(
    "e-nubefact-documento-ya-existe",
    200,
    '{"errors": "Este documento ya existe en NubeFacT", "codigo": 23}',
    "conflict",
    "Nubefact (Peruvian OSE) answers the generar_comprobante call with its errors/codigo pair: "
    "the document already exists",
    request={"method": "POST", "path": "/api/v1/8f2c1e0a-5d4b-4b7e-a2c3-1d9e6f0b7a21"},
    holdout=True,
)

PART.add(
    "e-chilexpress-tracking-sin-informacion",
    200,
    {
        "data": None,
        "statusCode": -1,
        "statusDescription": "No se encontró información para la orden de transporte 99612345678",
        "errors": ["Orden de transporte no encontrada"],
    },
    "not_found",
    "Chilexpress tracking API: statusCode -1 and the description says no information was found "
    "for the requested transport order",
    request={"method": "POST", "path": "/tracking/api/v1.0/tracking"},
    holdout=True,
)

PART.add(
    "e-aeat-sii-parcialmente-correcto",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
    '<env:Body><siiR:RespuestaLRFacturasEmitidas xmlns:siiR="https://www2.agenciatributaria.gob.es/static_files/'
    'common/internet/dep/aplicaciones/es/aeat/ssii/fact/ws/RespuestaSuministro.xsd">'
    "<siiR:CSV>HJ7KQW2ZL3PXC9A4</siiR:CSV><siiR:EstadoEnvio>ParcialmenteCorrecto</siiR:EstadoEnvio>"
    "<siiR:RespuestaLinea><siiR:IDFactura><NumSerieFacturaEmisor>A-2024-0310</NumSerieFacturaEmisor></siiR:IDFactura>"
    "<siiR:EstadoRegistro>Correcto</siiR:EstadoRegistro></siiR:RespuestaLinea>"
    "<siiR:RespuestaLinea><siiR:IDFactura><NumSerieFacturaEmisor>A-2024-0311</NumSerieFacturaEmisor></siiR:IDFactura>"
    "<siiR:EstadoRegistro>Incorrecto</siiR:EstadoRegistro><siiR:CodigoErrorRegistro>3000</siiR:CodigoErrorRegistro>"
    "<siiR:DescripcionErrorRegistro>Registro de factura duplicado.</siiR:DescripcionErrorRegistro></siiR:RespuestaLinea>"
    "</siiR:RespuestaLRFacturasEmitidas></env:Body></env:Envelope>",
    None,
    "AEAT SII batch of two invoices: EstadoEnvio ParcialmenteCorrecto, one registered, one "
    "'Incorrecto' duplicate - a partial batch, the submission itself was accepted with a CSV",
    content_type=_XML,
    request={"method": "POST", "path": "/wlpl/SSII-FACT/ws/fe/SiiFactFEV1SOAP"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Portuguese (Brazil)
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-tiny-api-bloqueada-excedido",
    200,
    {
        "retorno": {
            "status_processamento": 1,
            "status": "Erro",
            "codigo_erro": 6,
            "erros": [
                {"erro": "API Bloqueada - Excedido o número de acessos a API, aguarde alguns minutos e tente novamente"}
            ],
        }
    },
    "rate_limit",
    "Tiny ERP (Olist) signals its quota inside a 200: status Erro, codigo_erro 6, API blocked for "
    "exceeding the number of accesses",
    request={"method": "POST", "path": "/api2/produtos.pesquisa.php"},
    holdout=True,
)

PART.add(
    "e-receitaws-cnpj-invalido",
    200,
    '{\n  "status": "ERROR",\n  "message": "CNPJ inválido"\n}',
    "validation",
    "ReceitaWS CNPJ lookup: status ERROR, the CNPJ given is malformed/invalid",
    request={"method": "GET", "path": "/v1/cnpj/12345678000100"},
    holdout=True,
)

PART.add(
    "e-cielo-saldo-limite-insuficiente",
    201,
    {
        "MerchantOrderId": "PED-2024051401",
        "Customer": {"Name": "Comprador Teste"},
        "Payment": {
            "ServiceTaxAmount": 0,
            "Installments": 1,
            "Interest": 0,
            "Capture": True,
            "Authenticate": False,
            "CreditCard": {
                "CardNumber": "455187******0183",
                "Holder": "Teste Holder",
                "ExpirationDate": "12/2027",
                "SaveCard": False,
                "Brand": "Visa",
            },
            "Tid": "0514103407458",
            "ProofOfSale": "103407458",
            "Provider": "Cielo",
            "Amount": 15700,
            "ReceivedDate": "2024-05-14 10:34:07",
            "Status": 3,
            "ReturnCode": "51",
            "ReturnMessage": "Saldo/Limite insuficiente",
            "PaymentId": "8a0c1b9e-2f6d-4c3a-b7e1-5d9f0a2c4e68",
            "Type": "CreditCard",
            "Currency": "BRL",
            "Country": "BRA",
        },
    },
    "payment",
    "Cielo API 3.0 creates the sale (201) but Payment.Status 3 is Denied, ReturnCode 51 "
    "'Saldo/Limite insuficiente' - the card charge failed",
    request={"method": "POST", "path": "/1/sales/"},
    holdout=True,
)

PART.add(
    "e-correios-calcprecoprazo-sem-precificacao",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\r\n<cResultado xmlns="http://tempuri.org/"><Servicos><cServico>'
    "<Codigo>04014</Codigo><Valor>0,00</Valor><PrazoEntrega>0</PrazoEntrega><ValorMaoPropria>0,00</ValorMaoPropria>"
    "<ValorAvisoRecebimento>0,00</ValorAvisoRecebimento><ValorValorDeclarado>0,00</ValorValorDeclarado>"
    "<EntregaDomiciliar></EntregaDomiciliar><EntregaSabado></EntregaSabado><Erro>-888</Erro>"
    "<MsgErro>Não foi encontrada precificação. ERP-007: CEP de origem nao pode postar para o CEP de destino informado(-1).</MsgErro>"
    "<ValorSemAdicionais>0,00</ValorSemAdicionais><obsFim></obsFim></cServico></Servicos></cResultado>",
    "generic_business_error",
    "Correios CalcPrecoPrazo: Erro -888, no price could be computed because the origin CEP cannot post "
    "to that destination - a business refusal with no more specific type",
    content_type="text/xml; charset=utf-8",
    request={"method": "GET", "path": "/calculador/CalcPrecoPrazo.asmx/CalcPrecoPrazo"},
    holdout=True,
)

PART.add(
    "e-efi-pix-devolucao-nao-realizada",
    200,
    {
        "endToEndId": "E18236120202405141032s0c7d9e1a2b",
        "txid": "7978c0c97ea847e78e8849634473c1f1",
        "valor": "110.00",
        "chave": "contato@lojaexemplo.com.br",
        "horario": "2024-05-14T10:32:07.000Z",
        "infoPagador": "Pedido 8812",
        "devolucoes": [
            {
                "id": "DEV8812A",
                "rtrId": "D18236120202405141500a1b2c3d4e5f",
                "valor": "110.00",
                "natureza": "ORIGINAL",
                "horario": {"solicitacao": "2024-05-14T15:00:11.000Z"},
                "status": "NAO_REALIZADO",
                "motivo": "Saldo insuficiente na conta do recebedor",
            }
        ],
    },
    None,
    "Efí (Pix API, GET /v2/pix/{e2eId}): the Pix is returned as asked; a refund inside it was "
    "NAO_REALIZADO for lack of balance - that is data about an earlier operation",
    request={"method": "GET", "path": "/v2/pix/E18236120202405141032s0c7d9e1a2b"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-omie-faultstring-500",
    500,
    {"faultstring": "SOAP-ERROR: Broken response from Application Server (5)", "faultcode": "SOAP-ENV:Server"},
    "server_error",
    "Omie ERP JSON fault with HTTP 500: a server-side error",
    request={"method": "POST", "path": "/api/v1/geral/clientes/"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# French
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-chorus-pro-facture-introuvable",
    200,
    {"codeRetour": 20005, "libelle": "GCU_MSG_05_004 Aucune facture ne correspond à l'identifiant 48213377"},
    "not_found",
    "Chorus Pro: non-zero codeRetour, the libellé says no invoice matches the identifier",
    request={"method": "POST", "path": "/cpro/factures/v1/consulter/fournisseur"},
    holdout=True,
)

PART.add(
    "e-sogecommerce-provision-insuffisante",
    200,
    {
        "webService": "Charge/CreatePayment",
        "version": "V4",
        "status": "SUCCESS",
        "answer": {
            "shopId": "69876357",
            "orderCycle": "CLOSED",
            "orderStatus": "UNPAID",
            "serverDate": "2024-05-14T08:41:12+00:00",
            "orderDetails": {"orderTotalAmount": 4990, "orderCurrency": "EUR", "orderId": "CMD-20240514-0042"},
            "transactions": [
                {
                    "uuid": "b3f1e2c4a5d64e7f8a9b0c1d2e3f4a5b",
                    "amount": 4990,
                    "currency": "EUR",
                    "paymentMethodType": "CARD",
                    "status": "UNPAID",
                    "detailedStatus": "REFUSED",
                    "detailedErrorCode": "51",
                    "detailedErrorMessage": "Provision insuffisante ou crédit dépassé",
                    "transactionDetails": {"cardDetails": {"authorizationResponse": {"authorizationResult": "51"}}},
                }
            ],
        },
        "applicationProvider": "SOGECOM",
        "mode": "PRODUCTION",
        "_type": "V4/WebService/Response",
    },
    "payment",
    "Sogecommerce (Lyra REST V4): the web-service status is SUCCESS but the order is UNPAID, the "
    "transaction REFUSED with bank code 51 'Provision insuffisante ou crédit dépassé'",
    request={"method": "POST", "path": "/api-payment/V4/Charge/CreatePayment"},
    holdout=True,
)

PART.add(
    "e-sellsy-jeton-rejete",
    200,
    {
        "response": None,
        "error": {
            "code": "E_OAUTH_INVALID_TOKEN",
            "message": "Jeton d'accès invalide ou expiré, veuillez vous reconnecter",
            "more": "oauth_problem=token_rejected",
        },
        "status": "error",
    },
    "auth_failure",
    "Sellsy API v1 envelope: status error, the OAuth access token was rejected as invalid or expired",
    request={"method": "POST", "path": "/0/"},
    holdout=True,
)

PART.add(
    "e-chronopost-code-postal-invalide",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><ns1:shippingMultiParcelV5Response xmlns:ns1="http://cxf.shipping.soap.chronopost.fr/">'
    "<return><errorCode>3</errorCode><errorMessage>Code postal destinataire invalide pour le pays FR : 7500</errorMessage>"
    "<resultMultiParcelValue/></return></ns1:shippingMultiParcelV5Response></soap:Body></soap:Envelope>",
    "validation",
    "Chronopost shipping web service: a normal SOAP response whose errorCode is non-zero and whose "
    "message says the recipient postcode is invalid; no parcel number was returned",
    content_type=_XML,
    request={"method": "POST", "path": "/shipping-cxf/ShippingServiceWS"},
    holdout=True,
)

PART.add(
    "e-chorus-pro-recherche-factures-rejetees",
    200,
    {
        "codeRetour": 0,
        "libelle": "TRA_MSG_00.000",
        "listeFactures": [
            {
                "idFacture": 48213301,
                "numeroFacture": "F2024-0117",
                "dateFacture": "2024-04-02",
                "statut": "REJETEE",
                "libelleStatut": "Rejetée",
                "motifRejet": "Coordonnées bancaires erronées",
                "montantTTC": 1840.0,
            },
            {
                "idFacture": 48213340,
                "numeroFacture": "F2024-0121",
                "dateFacture": "2024-04-09",
                "statut": "SUSPENDUE",
                "libelleStatut": "Suspendue",
                "motifRejet": "Bon de commande absent ou erroné",
                "montantTTC": 920.5,
            },
            {
                "idFacture": 48213377,
                "numeroFacture": "F2024-0125",
                "dateFacture": "2024-04-15",
                "statut": "MISE_A_DISPOSITION",
                "libelleStatut": "Mise à disposition",
                "motifRejet": None,
                "montantTTC": 310.0,
            },
        ],
        "parametresRetour": {"pageCourante": 1, "pages": 1, "nbResultatsParPage": 10, "total": 3},
    },
    None,
    "Chorus Pro search: codeRetour 0 and a page of invoices, some rejected or suspended with their "
    "motive - the list is the answer",
    request={"method": "POST", "path": "/cpro/factures/v1/rechercher/fournisseur"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# German
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-girocheckout-authentifizierung-fehlgeschlagen",
    200,
    '{"reference":null,"redirect":null,"rc":5000,"msg":"Authentifizierung fehlgeschlagen"}',
    "auth_failure",
    "GiroCheckout transaction/start: result code rc 5000, message 'authentication failed' (merchant/"
    "project credentials or hash), no reference or redirect",
    request={"method": "POST", "path": "/girocheckout/api/v2/transaction/start"},
    holdout=True,
)

PART.add(
    "e-afterbuy-produkt-nicht-gefunden",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n<Afterbuy>\n  <CallStatus>Error</CallStatus>\n'
    "  <CallName>GetShopProducts</CallName>\n  <VersionID>16</VersionID>\n  <Result>\n    <ErrorList>\n"
    "      <Error>\n        <ErrorCode>22</ErrorCode>\n        <ErrorDescription>Produkt nicht gefunden.</ErrorDescription>\n"
    "        <ErrorLongDescription>Zu der angegebenen ProductID 118034 wurde kein Produkt gefunden.</ErrorLongDescription>\n"
    "      </Error>\n    </ErrorList>\n  </Result>\n</Afterbuy>\n",
    "not_found",
    "Afterbuy XML API: CallStatus Error, the error says no product exists for the given ProductID",
    content_type="text/xml",
    request={"method": "POST", "path": "/afterbuy/ABInterface.aspx"},
    holdout=True,
)

PART.add(
    "e-billbee-bestellung-existiert-bereits",
    200,
    {
        "Paging": None,
        "ErrorMessage": "Eine Bestellung mit der Bestellnummer 302-4471120-8837 existiert bereits.",
        "ErrorCode": 3,
        "ErrorDescription": "Die Bestellung wurde nicht angelegt.",
        "Data": None,
    },
    "conflict",
    "Billbee API envelope: ErrorMessage says an order with that number already exists and the order "
    "was not created; Data is null",
    request={"method": "POST", "path": "/api/v1/orders"},
    holdout=True,
)

PART.add(
    "e-dpd-cloud-plz-ungueltig",
    200,
    {
        "Version": 100,
        "Language": "de_DE",
        "Ack": False,
        "TimeStamp": "2024-05-14T10:48:33.517+02:00",
        "ErrorDataList": [
            {
                "ErrorID": 1,
                "ErrorCode": "CLOUD_ADDRESS_ZIP",
                "ErrorMsgShort": "Postleitzahl ungültig",
                "ErrorMsgLong": "Die Postleitzahl 1011 ist für das Empfängerland DE ungültig.",
            }
        ],
        "LabelResponse": None,
    },
    "validation",
    "DPD Cloud Webservice setOrder: Ack false, the error list says the recipient postcode is invalid; no label",
    request={"method": "POST", "path": "/api/v1/setOrder"},
    holdout=True,
)

PART.add(
    "e-billbee-bestellungen-zahlung-fehlgeschlagen",
    200,
    {
        "Paging": {"Page": 1, "TotalPages": 1, "TotalRows": 2, "PageSize": 50},
        "ErrorMessage": None,
        "ErrorCode": 0,
        "ErrorDescription": None,
        "Data": [
            {
                "BillBeeOrderId": 186200431,
                "OrderNumber": "302-4471120-8837",
                "State": 8,
                "StateText": "Storniert",
                "PaymentMethodText": "Lastschrift",
                "Comments": [
                    {"Text": "Zahlung fehlgeschlagen: Rücklastschrift, Konto erloschen", "FromCustomer": False}
                ],
                "TotalCost": 54.9,
            },
            {
                "BillBeeOrderId": 186200457,
                "OrderNumber": "302-4471188-1204",
                "State": 3,
                "StateText": "Bezahlt",
                "PaymentMethodText": "PayPal",
                "Comments": [],
                "TotalCost": 19.99,
            },
        ],
    },
    None,
    "Billbee order list: ErrorCode 0, ErrorMessage null, two orders returned - one cancelled after "
    "a failed direct debit, which is order data",
    request={"method": "GET", "path": "/api/v1/orders?minOrderDate=2024-05-01"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Italian
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-gestpay-ip-non-valido",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><EncryptResponse xmlns="https://ecomms2s.sella.it/"><EncryptResult>'
    '<GestPayCryptDecrypt xmlns=""><TransactionType>ENCRYPT</TransactionType><TransactionResult>KO</TransactionResult>'
    "<CryptDecryptString /><ErrorCode>1142</ErrorCode><ErrorDescription>Chiamata non accettata: indirizzo IP non valido"
    "</ErrorDescription></GestPayCryptDecrypt></EncryptResult></EncryptResponse></soap:Body></soap:Envelope>",
    "auth_failure",
    "Gestpay/Axerve WSCryptDecrypt: TransactionResult KO, error 1142 - the call is refused because "
    "the caller's IP is not authorised",
    content_type=_XML,
    request={"method": "POST", "path": "/gestpay/gestpayws/WSCryptDecrypt.asmx"},
    holdout=True,
)

PART.add(
    "e-gestpay-errore-di-sistema",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n<GestPayCryptDecrypt xmlns="https://ecomms2s.sella.it/">'
    "<TransactionType>DECRYPT</TransactionType><TransactionResult>KO</TransactionResult><ShopTransactionID />"
    "<BankTransactionID /><AuthorizationCode /><Currency /><Amount /><ErrorCode>9999</ErrorCode>"
    "<ErrorDescription>Errore di Sistema</ErrorDescription></GestPayCryptDecrypt>",
    "generic_business_error",
    "Gestpay Decrypt over HTTP GET: TransactionResult KO with 9999 'Errore di Sistema' - a failure "
    "without a more specific type",
    content_type=_XML,
    request={"method": "GET", "path": "/gestpay/gestpayws/WSCryptDecrypt.asmx/Decrypt"},
    holdout=True,
)

PART.add(
    "e-pagopa-nodo-pagamento-duplicato",
    200,
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:nfp="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd"><soapenv:Header/><soapenv:Body>'
    "<nfp:sendPaymentOutcomeRes><outcome>KO</outcome><fault><faultCode>PPT_PAGAMENTO_DUPLICATO</faultCode>"
    "<faultString>Pagamento duplicato</faultString><id>NodoDeiPagamentiSPC</id>"
    "<description>L'avviso di pagamento 302000100000009424 risulta già pagato</description></fault>"
    "</nfp:sendPaymentOutcomeRes></soapenv:Body></soapenv:Envelope>",
    "conflict",
    "pagoPA nodo dei pagamenti: sendPaymentOutcome answered outcome KO with PPT_PAGAMENTO_DUPLICATO, "
    "the notice was already paid",
    content_type=_XML,
    request={"method": "POST", "path": "/nodo/nodo-per-psp/v1", "headers": {"SOAPAction": "sendPaymentOutcome"}},
    holdout=True,
)

PART.add(
    "e-fattureincloud-troppe-richieste",
    200,
    {
        "success": False,
        "error": "Hai superato il numero massimo di richieste consentite in un minuto. Riprova più tardi.",
        "error_code": 2002,
    },
    "rate_limit",
    "Fatture in Cloud API v1 answers with success false and an error saying the maximum number of "
    "requests per minute was exceeded",
    request={"method": "POST", "path": "/v1/fatture/lista"},
    holdout=True,
)

PART.add(
    "e-brt-tracking-mancata-consegna",
    200,
    {
        "ttParcelIdResponse": {
            "executionMessage": {"code": 0, "severity": "INFO", "codeDesc": "OK", "message": ""},
            "spedizione_id": "167040300123456",
            "bolla": {
                "dati_spedizione": {"stato_sped_parte1": "IN GIACENZA", "stato_sped_parte2": "DESTINATARIO ASSENTE"}
            },
            "lista_eventi": [
                {
                    "evento": {
                        "data": "14.05.2024",
                        "ora": "11.52",
                        "filiale": "MILANO",
                        "descrizione": "MANCATA CONSEGNA - DESTINATARIO ASSENTE",
                    }
                },
                {"evento": {"data": "14.05.2024", "ora": "07.40", "filiale": "MILANO", "descrizione": "IN CONSEGNA"}},
                {"evento": {"data": "13.05.2024", "ora": "21.15", "filiale": "BOLOGNA", "descrizione": "PARTITA"}},
            ],
        }
    },
    None,
    "BRT tracking: executionMessage code 0 / INFO, the parcel's history includes a failed delivery "
    "attempt - tracking data, the lookup succeeded",
    request={"method": "GET", "path": "/rest/v1/tracking/parcelID/167040300123456"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Japanese
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-estat-ninsho-shippai",
    200,
    {
        "GET_STATS_DATA": {
            "RESULT": {
                "STATUS": 100,
                "ERROR_MSG": "認証に失敗しました。アプリケーションIDを確認して下さい。",
                "DATE": "2024-05-14T10:21:07.412+09:00",
            },
            "PARAMETER": {
                "LANG": "J",
                "STATS_DATA_ID": "0003448237",
                "DATA_FORMAT": "J",
                "START_POSITION": 1,
                "METAGET_FLG": "Y",
            },
        }
    },
    "auth_failure",
    "e-Stat API: HTTP 200 but RESULT.STATUS 100 'authentication failed, check the application ID'",
    request={"method": "GET", "path": "/rest/3.0/app/json/getStatsData?appId=xxxx&statsDataId=0003448237"},
    holdout=True,
)

PART.add(
    "e-estat-gaitou-data-nashi",
    200,
    {
        "GET_STATS_LIST": {
            "RESULT": {
                "STATUS": 1,
                "ERROR_MSG": "正常に終了しましたが、該当データはありませんでした。",
                "DATE": "2024-05-14T10:25:44.087+09:00",
            },
            "PARAMETER": {"LANG": "J", "SEARCH_WORD": "ぴよぴよ", "DATA_FORMAT": "J", "LIMIT": 100},
            "DATALIST_INF": {"NUMBER": 0, "RESULT_INF": {"FROM_NUMBER": 0, "TO_NUMBER": 0}},
        }
    },
    None,
    "e-Stat STATUS 1 is documented as a normal end with no matching data (ERROR_MSG says so): an "
    "empty search result, not a failure",
    request={"method": "GET", "path": "/rest/3.0/app/json/getStatsList?searchWord=ぴよぴよ"},
    trap=True,
    holdout=True,
)

PART.add(
    "e-zipcloud-keta-fusei",
    200,
    '{\n\t"message": "パラメータ「郵便番号」の桁数が不正です。",\n\t"results": null,\n\t"status": 400\n}',
    "validation",
    "zipcloud postcode search: HTTP 200 with status 400 in the body, the postcode parameter has the "
    "wrong number of digits",
    request={"method": "GET", "path": "/api/search?zipcode=10000"},
    holdout=True,
)

PART.add(
    "e-hotpepper-server-shougai",
    200,
    {
        "results": {
            "api_version": "1.30",
            "error": [
                {"message": "サーバ障害エラーが発生しました。しばらくしてから再度お試しください。", "code": 1000}
            ],
        }
    },
    "generic_business_error",
    "Recruit Hot Pepper gourmet API: results.error code 1000 (server failure) inside a 200 - the "
    "search failed, no more specific type",
    request={"method": "GET", "path": "/hotpepper/gourmet/v1/?key=xxxx&large_area=Z011&format=json"},
    holdout=True,
)

PART.add(
    "e-base-hour-api-limit-400",
    400,
    {
        "error": "hour_api_limit",
        "error_description": "1時間のAPIの利用上限を超えました。時間が変わってからもう一度アクセスしてください。",
    },
    "rate_limit",
    "BASE API reports its hourly quota with HTTP 400; the body names the rate limit, more specific "
    "than 400's validation",
    request={"method": "GET", "path": "/1/items?limit=100&offset=400"},
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Chinese (simplified)
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-juhe-qingqiu-chaoguo-cishu",
    200,
    '{"resultcode":"112","reason":"请求超过次数限制","result":null,"error_code":10012}',
    "rate_limit",
    "聚合数据 (Juhe): error_code 10012, reason 'requests exceeded the allowed count'",
    request={"method": "GET", "path": "/mobile/get?phone=13800138000&key=xxxx"},
    holdout=True,
)

PART.add(
    "e-kuaidi100-chaxun-wu-jieguo",
    200,
    '{"result":false,"returnCode":"500","message":"查询无结果，请隔段时间再查"}',
    "not_found",
    "快递100 real-time query: result false, returnCode 500, no result for this tracking number",
    request={"method": "POST", "path": "/poll/query.do"},
    holdout=True,
)

PART.add(
    "e-allinpay-trxstatus-yue-buzu",
    200,
    {
        "retcode": "SUCCESS",
        "retmsg": "处理成功",
        "cusid": "990440148166000",
        "appid": "00000003",
        "trxid": "240514113752318400",
        "chnltrxid": "",
        "reqsn": "SO20240514113750",
        "randomstr": "834201",
        "trxstatus": "3008",
        "fintime": "20240514113752",
        "errmsg": "余额不足,请更换卡支付",
        "sign": "B06C5E7C2C6F4D2E9A1B3F58E0D7C412",
    },
    "payment",
    "通联支付 (Allinpay) unitorder/pay: retcode SUCCESS is only the communication layer; trxstatus "
    "3008 with errmsg 'insufficient balance, use another card' means the payment failed",
    request={"method": "POST", "path": "/apiweb/unitorder/pay"},
    holdout=True,
)

PART.add(
    "e-nuonuo-dingdan-bianhao-chongfu",
    200,
    '{"code":"E9106","describe":"订单编号已存在，请勿重复提交","result":null}',
    "conflict",
    "诺诺发票 open API requestBillingNew: code is not E0000 and describe says the order number already exists",
    request={
        "method": "POST",
        "path": "/open/v1/services",
        "headers": {"X-Nuonuo-Sign": "Qk1Ydm5wZ2ZhM2hWb0JzZ2VkQT09", "method": "nuonuo.OpeMplatform.requestBillingNew"},
    },
    holdout=True,
)

PART.add(
    "e-yunpian-fasong-cishu-400",
    400,
    {
        "http_status_code": 400,
        "code": 22,
        "msg": "验证码类短信1小时内同一手机号发送次数不能超过3次",
        "detail": "验证码类短信1小时内同一手机号发送次数不能超过3次",
    },
    "rate_limit",
    "云片 single_send with HTTP 400: code 22, the same number may not receive more than 3 "
    "verification SMS per hour - a frequency limit, more specific than 400",
    request={"method": "POST", "path": "/v2/sms/single_send.json"},
    holdout=True,
)

PART.add(
    "e-kuaidi100-paijian-bu-chenggong",
    200,
    {
        "message": "ok",
        "nu": "78451236985214",
        "ischeck": "0",
        "condition": "00",
        "com": "zhongtong",
        "status": "200",
        "state": "2",
        "data": [
            {
                "time": "2024-05-14 16:02:11",
                "ftime": "2024-05-14 16:02:11",
                "context": "【深圳市】快件派送不成功(因电话无人接听/关机/无信号，暂无法联系到收件人)，待再次派送",
            },
            {
                "time": "2024-05-14 08:15:40",
                "ftime": "2024-05-14 08:15:40",
                "context": "【深圳市】【南山科技园】的派件员正在为您派件",
            },
            {
                "time": "2024-05-13 22:47:03",
                "ftime": "2024-05-13 22:47:03",
                "context": "【深圳市】快件已经到达【深圳转运中心】",
            },
        ],
    },
    None,
    "快递100 query answered (message ok, status 200); state 2 (疑难) and a failed delivery attempt are "
    "the parcel's tracking data",
    request={"method": "POST", "path": "/poll/query.do"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Chinese (traditional, Taiwan)
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-newebpay-tra10021-cha-wu-jiaoyi",
    200,
    '{"Status":"TRA10021","Message":"查無交易資料","Result":[]}',
    "not_found",
    "藍新 NewebPay QueryTradeInfo: Status is an error code, not SUCCESS; the message says no such transaction exists",
    request={"method": "POST", "path": "/API/QueryTradeInfo"},
    holdout=True,
)

PART.add(
    "e-newebpay-tra10071-chaxun-suoding",
    200,
    '{"Status":"TRA10071","Message":"查詢次數過於頻繁，查詢功能已暫停使用，請於4小時後再試","Result":[]}',
    "rate_limit",
    "NewebPay QueryTradeInfo locked after too many queries in an hour: try again in 4 hours",
    request={"method": "POST", "path": "/API/QueryTradeInfo"},
    holdout=True,
)

PART.add(
    "e-newebpay-logistics-1103-bianhao-chongfu",
    200,
    {
        "Status": "1103",
        "Message": "商店訂單編號重複",
        "Result": {"MerchantID": "MS350766224", "MerchantOrderNo": "SO20240514007"},
    },
    "conflict",
    "NewebPay logistics createShipment: Status 1103, the merchant order number was already used for a shipment",
    request={"method": "POST", "path": "/API/Logistic/createShipment"},
    holdout=True,
)

PART.add(
    "e-newebpay-query-fukuan-shibai",
    200,
    {
        "Status": "SUCCESS",
        "Message": "查詢成功",
        "Result": {
            "MerchantID": "MS350766224",
            "Amt": 1200,
            "TradeNo": "24051411374512345",
            "MerchantOrderNo": "SO20240514003",
            "TradeStatus": "2",
            "PaymentType": "CREDIT",
            "CreateTime": "2024-05-14 11:37:45",
            "PayTime": "2024-05-14 11:38:02",
            "RespondCode": "05",
            "RespondMsg": "授權失敗，請洽發卡銀行",
            "CheckCode": "6A1E2B3C4D5F60718293A4B5C6D7E8F9",
        },
    },
    None,
    "NewebPay QueryTradeInfo succeeded (查詢成功); the trade it returns had failed (TradeStatus 2, "
    "authorisation refused) - reading a failed trade is not a failed call",
    request={"method": "POST", "path": "/API/QueryTradeInfo"},
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------------------------------------
# Russian
# ---------------------------------------------------------------------------------------------

PART.add(
    "e-smsru-201-net-sredstv",
    200,
    '{"status":"ERROR","status_code":201,"status_text":"Не хватает средств на лицевом счету"}',
    "payment",
    "SMS.ru sms/send: status ERROR, code 201 - not enough money on the account balance",
    request={"method": "POST", "path": "/sms/send"},
    holdout=True,
)

PART.add(
    "e-sberbank-register-uzhe-obrabotan",
    200,
    '{"errorCode":"1","errorMessage":"Заказ с таким номером уже обработан"}',
    "conflict",
    "Сбербанк эквайринг register.do: errorCode 1, an order with this number was already processed; no orderId/formUrl",
    request={"method": "POST", "path": "/payment/rest/register.do"},
    holdout=True,
)

PART.add(
    "e-sberbank-deposit-sistemnaya-oshibka",
    200,
    {"errorCode": "7", "errorMessage": "Системная ошибка"},
    "generic_business_error",
    "Сбербанк deposit.do: errorCode 7 'system error' - the completion failed, no more specific type",
    request={"method": "POST", "path": "/payment/rest/deposit.do"},
    holdout=True,
)

PART.add(
    "e-tbank-init-neverny-token",
    200,
    {
        "Success": False,
        "ErrorCode": "204",
        "Message": "Неверные параметры.",
        "Details": "Неверный токен. Проверьте пару TerminalKey/SecretKey.",
    },
    "auth_failure",
    "Т-Банк (Tinkoff) Init: Success false, the details say the request token is wrong - check the "
    "TerminalKey/SecretKey pair (a signature/credential failure, not a field error)",
    request={"method": "POST", "path": "/v2/Init"},
    holdout=True,
)

PART.add(
    "e-vk-error-6-slishkom-mnogo",
    200,
    {
        "error": {
            "error_code": 6,
            "error_msg": "Слишком много запросов в секунду.",
            "request_params": [
                {"key": "method", "value": "wall.get"},
                {"key": "oauth", "value": "1"},
                {"key": "v", "value": "5.199"},
                {"key": "lang", "value": "ru"},
            ],
        }
    },
    "rate_limit",
    "VK API (lang=ru) always answers 200; error_code 6 'too many requests per second'",
    request={"method": "POST", "path": "/method/wall.get"},
    holdout=True,
)

PART.add(
    "e-smsru-status-ne-dostavleno",
    200,
    {
        "status": "OK",
        "status_code": 100,
        "sms": {
            "202405-1000007": {
                "status": "OK",
                "status_code": 106,
                "status_text": "Не может быть доставлено: сбой в телефоне",
                "cost": "0.00",
                "sms": 1,
            }
        },
        "balance": 4122.56,
    },
    None,
    "SMS.ru sms/status: the status lookup succeeded (OK / 100); the message it describes was not "
    "delivered, which is the answer to the question",
    request={"method": "POST", "path": "/sms/status"},
    trap=True,
    holdout=True,
)
