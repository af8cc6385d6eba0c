"""Sixth round of localised responses (development round "f"), from regional APIs not named in the
earlier rounds and in sixteen languages.  Spanish: ePayco (a charge ``estado`` "Rechazada" with
"Fondos Insuficientes"), Finkok CFDI stamping (SOAP ``Incidencia`` 307 "timbre previo"), the SAT
ConsultaCFDI service; Portuguese: ifthenpay MB WAY (``Status`` 999), SEFAZ NFeDistribuicaoDFe
(``cStat`` 656 "Consumo Indevido"), Asaas ``invalid_creditCard``; French: Paybox/Verifone PPPS
name-value replies (``CODEREPONSE``/``COMMENTAIRE`` in Latin-1), Lemonway DirectKit ``E.Msg``;
German: Tankerkönig ``ok: false`` messages, a Shopware 6 order search; Italian: Aruba Fatturazione
Elettronica ``errorCode``/``errorDescription``, Fabrick ``status: KO``; Japanese: au PAY Market
(Wowma) XML ``status`` 1, a kintone record; simplified Chinese: Baidu Map ``status`` 302, Tencent
LBS ``status`` 112, Tianyancha ``error_code``/``reason``; traditional Chinese: ezPay e-invoice
``Status``/``Message`` (LIB10003, INV20006), TWSE ``stat``; Russian: CloudPayments ``Model``/
``Success`` with ``CardHolderMessage``, Robokassa OpStateExt XML, Unisender; Korean: KIS Developers
``rt_cd``/``msg1``, SweetTracker, the NTS business-status check; Dutch: Buckaroo ``RequestErrors``,
Twinfield ``result="0"`` with ``msg``; Polish: GUS BIR1 ``ErrorMessagePl`` inside MTOM, the MF VAT
white list; Turkish: iyzico ``status: failure`` (10051, 1001), Sipay ``status_code``; Vietnamese:
payOS ``code``/``desc``; Indonesian: Digiflazz ``status`` "Gagal" with ``rc``, BPJS VClaim
``metaData``.  Traps: a CFDI status query whose cancellation request was rejected, searches and
lists full of failed payments and rejected invoices, a kintone record about a failed payment, a
company's abnormal-operation history, a business-registration verdict, a VAT-register entry of a
removed taxpayer and a read of a cancelled payment link; one plain success and two 4xx complete it.
"""

from tests.semantic_errors.shapes import Part, chunked, dumps, gz, response  # noqa: F401

PART = Part("languages")

# --------------------------------------------------------------------------- Spanish

PART.add(
    "f-epayco-charge-estado-rechazada-fondos",
    200,
    {
        "status": True,
        "success": True,
        "type": "Create payment",
        "data": {
            "ref_payco": 84517320,
            "factura": "OR-1042",
            "descripcion": "Suscripción plan anual",
            "valor": "119900",
            "iva": "0",
            "baseiva": "0",
            "moneda": "COP",
            "banco": "BANCO DE PRUEBAS",
            "estado": "Rechazada",
            "respuesta": "Fondos Insuficientes",
            "autorizacion": "000000",
            "recibo": "84517320",
            "fecha": "2024-05-13 10:22:41",
            "franquicia": "VS",
            "cod_respuesta": 2,
            "ip": "190.85.44.12",
            "enpruebas": 1,
            "tipo_doc": "CC",
            "documento": "1035851980",
            "nombres": "Laura",
            "apellidos": "Gómez",
            "email": "laura.gomez@example.co",
        },
        "object": "payment",
    },
    "payment",
    "POST charge answered with the transaction estado Rechazada, respuesta Fondos Insuficientes; the envelope's success only means the API answered",
    request={"method": "POST", "path": "/payment/v1/charge/create"},
)

PART.add(
    "f-finkok-stamp-incidencia-307-timbre-previo",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<senv:Envelope xmlns:senv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://facturacion.finkok.com/stamp" xmlns:s0="apps.services.soap.core.views">'
    "<senv:Body><tns:stampResponse><tns:stampResult>"
    "<s0:Incidencias><s0:Incidencia>"
    "<s0:IdIncidencia>a9c1e0f2b7d84c4e</s0:IdIncidencia>"
    "<s0:Uuid>6F2C1A8E-3B4D-4E5F-9A0B-1C2D3E4F5A6B</s0:Uuid>"
    "<s0:CodigoError>307</s0:CodigoError>"
    "<s0:WorkProcessId>b1e2c3d4-0000-4a4a-9b9b-0123456789ab</s0:WorkProcessId>"
    "<s0:MensajeIncidencia>El CFDI contiene un timbre previo</s0:MensajeIncidencia>"
    "<s0:RfcEmisor>EKU9003173C9</s0:RfcEmisor>"
    "<s0:NoCertificadoPac>20001000000300022323</s0:NoCertificadoPac>"
    "<s0:ExtraInfo/>"
    "<s0:FechaRegistro>2024-05-13T10:22:41</s0:FechaRegistro>"
    "</s0:Incidencia></s0:Incidencias>"
    "</tns:stampResult></tns:stampResponse></senv:Body></senv:Envelope>",
    "conflict",
    "Finkok stamp answered with Incidencia 307: the CFDI already carries a stamp (timbre previo), nothing new was stamped",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/servicios/soap/stamp"},
)

PART.add(
    "f-sat-consultacfdi-cancelacion-rechazada",
    200,
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<ConsultaResponse xmlns="http://tempuri.org/">'
    '<ConsultaResult xmlns:a="http://schemas.datacontract.org/2004/07/Sat.Cfdi.Negocio.ConsultaCfdi.Servicio" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    "<a:CodigoEstatus>S - Comprobante obtenido satisfactoriamente.</a:CodigoEstatus>"
    "<a:EsCancelable>Cancelable con aceptación</a:EsCancelable>"
    "<a:Estado>Vigente</a:Estado>"
    "<a:EstatusCancelacion>Solicitud rechazada</a:EstatusCancelacion>"
    "<a:ValidacionEFOS>200</a:ValidacionEFOS>"
    "</ConsultaResult></ConsultaResponse></s:Body></s:Envelope>",
    None,
    "status query succeeded (CodigoEstatus S - obtenido satisfactoriamente); 'Solicitud rechazada' reports that the receiver refused an earlier cancellation, as data",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/ConsultaCFDIService.svc"},
    trap=True,
)

# --------------------------------------------------------------------------- Portuguese

PART.add(
    "f-ifthenpay-mbway-status-999",
    200,
    {
        "Amount": "24.90",
        "Message": "Erro ao inicializar o pedido. Pode tentar novamente.",
        "OrderId": "PED-10427",
        "RequestId": "i2szPgbVtWfYb1RCPDZn",
        "Status": "999",
    },
    "generic_business_error",
    "MB WAY payment request not started: Status 999, 'erro ao inicializar o pedido', no more specific cause",
    request={"method": "POST", "path": "/spg/payment/mbway"},
)

PART.add(
    "f-sefaz-distdfe-cstat-656-consumo-indevido",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    '<soap:Body><nfeDistDFeInteresseResponse xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeDistribuicaoDFe">'
    "<nfeDistDFeInteresseResult>"
    '<retDistDFeInt versao="1.01" xmlns="http://www.portalfiscal.inf.br/nfe">'
    "<tpAmb>1</tpAmb><verAplic>1.7.6</verAplic><cStat>656</cStat>"
    "<xMotivo>Rejeicao: Consumo Indevido (Deve ser utilizado o ultNSU nas solicitacoes subsequentes. Tente apos 1 hora)</xMotivo>"
    "<dhResp>2024-05-13T10:22:41-03:00</dhResp><ultNSU>000000000000000</ultNSU><maxNSU>000000000000000</maxNSU>"
    "</retDistDFeInt></nfeDistDFeInteresseResult></nfeDistDFeInteresseResponse></soap:Body></soap:Envelope>",
    "rate_limit",
    "SEFAZ rejected the query for excessive use (cStat 656 Consumo Indevido, try again after 1 hour)",
    content_type="application/soap+xml; charset=utf-8",
)

PART.add(
    "f-asaas-400-invalid-creditcard-nao-autorizada",
    400,
    {
        "errors": [
            {
                "code": "invalid_creditCard",
                "description": "Transação não autorizada. Verifique os dados do cartão de crédito e tente novamente.",
            }
        ]
    },
    "payment",
    "400 whose body says the card transaction was not authorised (declined): more specific than the status's validation",
    request={"method": "POST", "path": "/v3/payments"},
)

# --------------------------------------------------------------------------- French

PART.add(
    "f-paybox-ppps-00017-abonne-inexistant",
    200,
    "NUMTRANS=0000000000&NUMAPPEL=0000000000&NUMQUESTION=0001715590&SITE=1999888&RANG=32&AUTORISATION="
    "&CODEREPONSE=00017&COMMENTAIRE=PAYBOX : Abonné inexistant&REFABONNE=CLIENT-4471&PORTEUR=".encode("latin-1"),
    "not_found",
    "Paybox Direct Plus answered CODEREPONSE 00017 'Abonné inexistant': the subscriber referenced does not exist",
    content_type="text/plain; charset=ISO-8859-1",
    request={"method": "POST", "path": "/PPPS.php"},
)

PART.add(
    "f-paybox-ppps-00000-demande-traitee",
    200,
    "NUMTRANS=0005329117&NUMAPPEL=0010244812&NUMQUESTION=0001715591&SITE=1999888&RANG=32&AUTORISATION=XXXXXX"
    "&CODEREPONSE=00000&COMMENTAIRE=Demande traitée avec succès&REFABONNE=&PORTEUR=".encode("latin-1"),
    None,
    "CODEREPONSE 00000, 'Demande traitée avec succès': the authorisation went through",
    content_type="text/plain; charset=ISO-8859-1",
    request={"method": "POST", "path": "/PPPS.php"},
)

PART.add(
    "f-lemonway-registerwallet-152-deja-existant",
    200,
    {
        "d": {
            "__type": "WonderLib.RegisterWalletResult",
            "WALLET": None,
            "E": {"Error": "", "Code": "152", "Msg": "Wallet déjà existant", "Prio": "2"},
        }
    },
    "conflict",
    "RegisterWallet came back with E.Code 152 'Wallet déjà existant' and no WALLET: the wallet id is already taken",
    content_type="application/json; charset=utf-8",
    request={"method": "POST", "path": "/mb/demo/dev/directkitjson2/Service.asmx/RegisterWallet"},
)

# --------------------------------------------------------------------------- German

PART.add(
    "f-tankerkoenig-ok-false-apikey",
    200,
    {"ok": False, "status": "error", "message": "apikey nicht angegeben, falsch, oder im falschen Format"},
    "auth_failure",
    "ok false; the API key is missing, wrong or malformed",
    content_type="application/json; charset=utf-8",
    request={
        "method": "GET",
        "path": "/json/list.php?lat=52.521&lng=13.438&rad=5&sort=dist&type=all&apikey=00000000-0000-0000-0000-000000000002",
    },
)

PART.add(
    "f-tankerkoenig-ok-false-rad-ausserhalb",
    200,
    {"status": "error", "ok": False, "message": "rad nicht angegeben, oder ausserhalb des gültigen Bereichs"},
    "validation",
    "ok false; the radius parameter is missing or outside the allowed range",
    content_type="application/json; charset=utf-8",
    request={
        "method": "GET",
        "path": "/json/list.php?lat=48.137&lng=11.575&rad=80&sort=price&type=diesel&apikey=0f3c5d7e-2a9b-4c1d-8e6f-7a8b9c0d1e2f",
    },
)

PART.add(
    "f-shopware6-order-search-fehlgeschlagen",
    200,
    {
        "total": 2,
        "data": [
            {
                "orderNumber": "10042",
                "amountTotal": 59.9,
                "orderDateTime": "2024-05-12T18:04:11.000+00:00",
                "stateMachineState": {"technicalName": "cancelled", "name": "Storniert"},
                "transactions": [
                    {
                        "paymentMethod": {"name": "Kreditkarte"},
                        "stateMachineState": {"technicalName": "failed", "name": "Fehlgeschlagen"},
                    }
                ],
                "customerComment": "Zahlung fehlgeschlagen, bitte erneut versuchen?",
            },
            {
                "orderNumber": "10043",
                "amountTotal": 24.5,
                "orderDateTime": "2024-05-13T07:40:52.000+00:00",
                "stateMachineState": {"technicalName": "open", "name": "Offen"},
                "transactions": [
                    {
                        "paymentMethod": {"name": "PayPal"},
                        "stateMachineState": {"technicalName": "paid", "name": "Bezahlt"},
                    }
                ],
                "customerComment": None,
            },
        ],
        "aggregations": [],
    },
    None,
    "an order search returning orders, one of them storniert with a fehlgeschlagen payment: data",
    request={"method": "POST", "path": "/api/search/order"},
    trap=True,
)

# --------------------------------------------------------------------------- Italian

PART.add(
    "f-aruba-fe-upload-nome-file-duplicato",
    200,
    {"errorCode": "0094", "errorDescription": "Nome file duplicato", "uploadFileName": None},
    "conflict",
    "invoice upload refused: a file with the same name was already sent (no uploadFileName returned)",
    request={"method": "POST", "path": "/services/invoice/upload"},
)

PART.add(
    "f-fabrick-400-ko-data-ordine",
    400,
    {
        "status": "KO",
        "errors": [
            {
                "code": "SCT008",
                "description": "La data ordine non puo' essere successiva alla data corrente",
                "params": "",
            }
        ],
        "payload": {},
    },
    "validation",
    "400 status KO: the transfer's order date may not be later than today",
    request={"method": "POST", "path": "/api/gbs/banking/v4.0/accounts/14537780/payments/money-transfers"},
)

PART.add(
    "f-aruba-fe-findbyusername-scartata",
    200,
    {
        "content": [
            {
                "id": "6f0c9b32-8a1d-4f3e-9c77-51d0c4a2e8b1",
                "sender": {"description": "Rossi Forniture S.r.l.", "vatCode": "01234567890"},
                "receiver": {"description": "Comune di Pesaro", "vatCode": "00272430414"},
                "invoiceType": "FPA12",
                "docType": "out",
                "filename": "IT01234567890_a1b2C.xml.p7m",
                "idSdi": "9821744031",
                "invoices": [
                    {
                        "number": "2024/118",
                        "invoiceDate": "2024-05-02",
                        "status": "Scartata",
                        "statusDescription": "00404 - Fattura duplicata",
                    }
                ],
            },
            {
                "id": "0b7e1c44-2d3f-4a8b-8f61-9e5a3c2d1b00",
                "sender": {"description": "Rossi Forniture S.r.l.", "vatCode": "01234567890"},
                "receiver": {"description": "Bianchi SpA", "vatCode": "09876543210"},
                "invoiceType": "FPR12",
                "docType": "out",
                "filename": "IT01234567890_a1b2D.xml.p7m",
                "idSdi": "9821744107",
                "invoices": [
                    {
                        "number": "2024/119",
                        "invoiceDate": "2024-05-02",
                        "status": "Non consegnata",
                        "statusDescription": "Recapito non riuscito: la fattura è a disposizione nell'area riservata",
                    }
                ],
            },
        ],
        "totalElements": 2,
        "totalPages": 1,
        "size": 20,
        "number": 0,
    },
    None,
    "a list of sent invoices whose SdI states (Scartata, Non consegnata) are data, not a failure of the listing",
    request={"method": "GET", "path": "/services/invoice/out/findByUsername?username=rossiforniture&page=1&size=20"},
    trap=True,
)

# --------------------------------------------------------------------------- Japanese

PART.add(
    "f-wowma-xml-status-1-ninsho",
    200,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<response><result><status>1</status>"
    "<error><code>PME0106</code><message>認証に失敗しました。APIキーを確認してください。</message></error>"
    "</result></response>",
    "auth_failure",
    "au PAY Market API answered status 1 with 認証に失敗しました (authentication failed, check the API key)",
    content_type="application/xml; charset=UTF-8",
    request={"method": "GET", "path": "/wmshopapi/searchTradeInfoListProc?shopId=12345678&totalCount=100"},
)

PART.add(
    "f-kintone-record-kessai-shippai",
    200,
    {
        "record": {
            "$id": {"type": "__ID__", "value": "1187"},
            "$revision": {"type": "__REVISION__", "value": "3"},
            "注文番号": {"type": "SINGLE_LINE_TEXT", "value": "ORD-20240513-0042"},
            "決済ステータス": {"type": "DROP_DOWN", "value": "決済失敗"},
            "エラー内容": {
                "type": "MULTI_LINE_TEXT",
                "value": "カード会社から取引を拒否されました（与信枠超過）。\n顧客へ別のお支払い方法を案内してください。",
            },
            "ステータス": {"type": "STATUS", "value": "要対応"},
            "作業者": {"type": "STATUS_ASSIGNEE", "value": [{"code": "sato", "name": "佐藤 花子"}]},
            "更新日時": {"type": "UPDATED_TIME", "value": "2024-05-13T01:22:00Z"},
        }
    },
    None,
    "a kintone record read: its fields describe a failed payment (決済失敗, 拒否), the read itself succeeded",
    request={"method": "GET", "path": "/k/v1/record.json?app=42&id=1187"},
    trap=True,
)

# --------------------------------------------------------------------------- Chinese (simplified)

PART.add(
    "f-baidu-map-status-302-tian-peie",
    200,
    {"status": 302, "message": "天配额超限，限制访问"},
    "rate_limit",
    "Baidu Map web service: status 302, the key's daily quota is exhausted and access is limited",
    request={"method": "GET", "path": "/reverse_geocoding/v3/?ak=Xk9d&output=json&location=31.2304,121.4737"},
)

PART.add(
    "f-tencent-lbs-status-112-ip-weishouquan",
    200,
    {"status": 112, "message": "IP未被授权", "request_id": "9f1a6c2be4d34b0aa1c7f0e27d5e8b31"},
    "auth_failure",
    "Tencent LBS: status 112, the caller's IP is not authorised for this key",
    content_type="application/json; charset=UTF-8",
    request={
        "method": "GET",
        "path": "/ws/geocoder/v1/?address=北京市海淀区彩和坊路&key=OB4BZ-D4W3U-B7VVO-4PJWW-6TKDJ-WPB77",
    },
)

PART.add(
    "f-tianyancha-300006-yue-buzu",
    200,
    {"result": None, "reason": "余额不足", "error_code": 300006},
    "payment",
    "error_code 300006 '余额不足': the account's prepaid balance cannot pay for the query",
    request={"method": "GET", "path": "/services/open/ic/baseinfo/normal?keyword=北京百度网讯科技有限公司"},
)

PART.add(
    "f-tianyancha-abnormal-list-ok",
    200,
    {
        "result": {
            "total": 2,
            "items": [
                {
                    "putDate": "2019-07-02 00:00:00",
                    "putReason": "通过登记的住所或者经营场所无法联系的",
                    "putDepartment": "上海市浦东新区市场监督管理局",
                    "removeDate": "2020-03-16 00:00:00",
                    "removeReason": "依法补报了未报年份的年度报告并公示，申请移出",
                    "removeDepartment": "上海市浦东新区市场监督管理局",
                },
                {
                    "putDate": "2022-06-21 00:00:00",
                    "putReason": "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的",
                    "putDepartment": "上海市浦东新区市场监督管理局",
                    "removeDate": None,
                    "removeReason": None,
                    "removeDepartment": None,
                },
            ],
        },
        "reason": "ok",
        "error_code": 0,
    },
    None,
    "error_code 0 / reason ok: the company's abnormal-operation (经营异常) records are the data asked for",
    request={"method": "GET", "path": "/services/open/mr/abnormal/2.0?keyword=上海某某贸易有限公司"},
    trap=True,
)

# --------------------------------------------------------------------------- Chinese (traditional)

PART.add(
    "f-ezpay-invoice-issue-lib10003-chongfu",
    200,
    {"Status": "LIB10003", "Message": "商店自訂編號重覆", "Result": ""},
    "conflict",
    "e-invoice issue refused: the merchant order number was already used (商店自訂編號重覆)",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/Api/invoice_issue"},
)

PART.add(
    "f-ezpay-invoice-search-inv20006-chawu",
    200,
    {"Status": "INV20006", "Message": "查無發票資料", "Result": ""},
    "not_found",
    "invoice search for a given number: 查無發票資料 (no such invoice)",
    content_type="text/html; charset=UTF-8",
    request={"method": "POST", "path": "/Api/invoice_search"},
)

PART.add(
    "f-twse-stock-day-stat-riqi-xiaoyu",
    200,
    {"stat": "查詢日期小於99年1月4日，請重新查詢!", "total": 0},
    "validation",
    "stat is not OK: the requested date is before the earliest date the service accepts, query again",
    content_type="application/json;charset=UTF-8",
    request={"method": "GET", "path": "/rwd/zh/afterTrading/STOCK_DAY?date=20091201&stockNo=2330&response=json"},
)

# --------------------------------------------------------------------------- Russian

PART.add(
    "f-cloudpayments-charge-declined-nedostatochno",
    200,
    {
        "Model": {
            "TransactionId": 891510,
            "Amount": 1290.0,
            "Currency": "RUB",
            "CurrencyCode": 0,
            "InvoiceId": "A-77120",
            "AccountId": "user_1881",
            "Email": None,
            "Description": "Оплата заказа A-77120",
            "JsonData": None,
            "CreatedDate": "/Date(1715590961000)/",
            "CreatedDateIso": "2024-05-13T09:02:41",
            "TestMode": False,
            "IpAddress": "95.161.22.14",
            "IpCountry": "RU",
            "CardFirstSix": "220220",
            "CardLastFour": "4431",
            "CardExpDate": "08/27",
            "CardType": "MIR",
            "Issuer": "Sberbank of Russia",
            "IssuerBankCountry": "RU",
            "Status": "Declined",
            "StatusCode": 5,
            "Reason": "InsufficientFunds",
            "ReasonCode": 5051,
            "CardHolderMessage": "Недостаточно средств на карте",
            "Name": "IVAN PETROV",
        },
        "Success": False,
        "Message": None,
    },
    "payment",
    "Success false; the charge was declined, CardHolderMessage 'Недостаточно средств на карте' (insufficient funds)",
    request={"method": "POST", "path": "/payments/cards/charge"},
)

PART.add(
    "f-cloudpayments-payments-list-success-true",
    200,
    {
        "Model": [
            {
                "TransactionId": 891509,
                "Amount": 450.0,
                "Currency": "RUB",
                "InvoiceId": "A-77119",
                "CreatedDateIso": "2024-05-13T08:55:10",
                "Status": "Completed",
                "StatusCode": 3,
                "Reason": "Approved",
                "ReasonCode": 0,
                "CardHolderMessage": "Оплата успешно проведена",
            },
            {
                "TransactionId": 891510,
                "Amount": 1290.0,
                "Currency": "RUB",
                "InvoiceId": "A-77120",
                "CreatedDateIso": "2024-05-13T09:02:41",
                "Status": "Declined",
                "StatusCode": 5,
                "Reason": "InsufficientFunds",
                "ReasonCode": 5051,
                "CardHolderMessage": "Недостаточно средств на карте",
            },
            {
                "TransactionId": 891514,
                "Amount": 3100.0,
                "Currency": "RUB",
                "InvoiceId": "A-77124",
                "CreatedDateIso": "2024-05-13T09:40:03",
                "Status": "Declined",
                "StatusCode": 5,
                "Reason": "SystemError",
                "ReasonCode": 5096,
                "CardHolderMessage": "Повторите попытку позже",
            },
        ],
        "Success": True,
        "Message": None,
    },
    None,
    "Success true; a day's transaction list in which some payments are Declined is data",
    request={"method": "POST", "path": "/payments/list"},
    trap=True,
)

PART.add(
    "f-robokassa-opstateext-code-3-ne-naidena",
    200,
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<OperationStateResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://merchant.roboxchange.com/WebService/">'
    "<Result><Code>3</Code><Description>Информация об операции с таким InvoiceID не найдена</Description></Result>"
    "</OperationStateResponse>",
    "not_found",
    "OpStateExt Result Code 3: no operation with this InvoiceID was found",
    content_type="text/xml; charset=utf-8",
    request={
        "method": "GET",
        "path": "/Merchant/WebService/Service.asmx/OpStateExt?MerchantLogin=shop_1&InvoiceID=7712&Signature=9a0b",
    },
)

PART.add(
    "f-unisender-error-invalid-api-key",
    200,
    {"error": "Указан неверный ключ доступа к API", "code": "invalid_api_key"},
    "auth_failure",
    "an error member instead of a result: the API access key is wrong (invalid_api_key)",
    request={"method": "POST", "path": "/ru/api/sendEmail?format=json"},
)

# --------------------------------------------------------------------------- Korean

PART.add(
    "f-kis-egw00201-chodang-georaegeonsu",
    200,
    {"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."},
    "rate_limit",
    "rt_cd 1: the per-second request count was exceeded",
    content_type="application/json;charset=UTF-8",
    request={
        "method": "GET",
        "path": "/uapi/domestic-stock/v1/quotations/inquire-price?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930",
    },
)

PART.add(
    "f-kis-order-maemaebulga-jongmok",
    200,
    {"rt_cd": "1", "msg_cd": "40070000", "msg1": "매매불가 종목입니다", "output": {}},
    "generic_business_error",
    "order rejected (rt_cd 1): the stock cannot be traded; a business refusal with no more specific type",
    content_type="application/json;charset=UTF-8",
    request={"method": "POST", "path": "/uapi/domestic-stock/v1/trading/order-cash"},
)

PART.add(
    "f-sweettracker-101-api-key",
    200,
    {"status": False, "msg": "유효하지 않은 API KEY 입니다.", "code": "101"},
    "auth_failure",
    "status false, code 101: the API key is not valid",
    request={"method": "GET", "path": "/api/v1/trackingInfo?t_key=abc123&t_code=04&t_invoice=651234567890"},
)

PART.add(
    "f-nts-businessman-status-unregistered-closed",
    200,
    {
        "request_cnt": 2,
        "status_code": "OK",
        "data": [
            {
                "b_no": "1234567891",
                "b_stt": "",
                "b_stt_cd": "",
                "tax_type": "국세청에 등록되지 않은 사업자등록번호입니다.",
                "tax_type_cd": "",
                "end_dt": "",
                "utcc_yn": "",
                "tax_type_change_dt": "",
                "invoice_apply_dt": "",
                "rbf_tax_type": "",
                "rbf_tax_type_cd": "",
            },
            {
                "b_no": "2208162517",
                "b_stt": "폐업자",
                "b_stt_cd": "03",
                "tax_type": "부가가치세 일반과세자",
                "tax_type_cd": "01",
                "end_dt": "20231130",
                "utcc_yn": "N",
                "tax_type_change_dt": "",
                "invoice_apply_dt": "",
                "rbf_tax_type": "99",
                "rbf_tax_type_cd": "",
            },
        ],
    },
    None,
    "status_code OK; the business-status check's verdicts (not registered, closed business) are the answer",
    request={"method": "POST", "path": "/api/nts-businessman/v1/status?serviceKey=XXXX"},
    trap=True,
)

# --------------------------------------------------------------------------- Dutch

PART.add(
    "f-buckaroo-491-parametererrors-ongeldig",
    200,
    {
        "Key": "F1C2B7E4A9D04C2E8B3A5D6F7E8C9B0A",
        "Status": {
            "Code": {"Code": 491, "Description": "Validation failure"},
            "SubCode": None,
            "DateTime": "2024-05-13T10:22:41",
        },
        "RequiredAction": None,
        "Services": None,
        "CustomParameters": None,
        "AdditionalParameters": None,
        "RequestErrors": {
            "ChannelErrors": [],
            "ServiceErrors": [],
            "ActionErrors": [],
            "ParameterErrors": [
                {
                    "Service": "ideal",
                    "Action": "Pay",
                    "Name": "issuer",
                    "Error": "ParameterInvalid",
                    "ErrorMessage": 'Parameter "issuer" heeft een ongeldige waarde',
                }
            ],
            "CustomParameterErrors": [],
        },
        "Invoice": "INV-2024-0042",
        "ServiceCode": "ideal",
        "IsTest": True,
        "Currency": "EUR",
        "AmountDebit": 24.95,
        "TransactionType": "C021",
        "MutationType": 1,
        "ConsumerMessage": None,
    },
    "validation",
    "transaction refused with status 491 and a ParameterError: the issuer parameter has an invalid value (ongeldige waarde)",
    request={"method": "POST", "path": "/json/Transaction"},
)

PART.add(
    "f-twinfield-read-dimension-result-0",
    200,
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    '<soap:Body><ProcessXmlDocumentResponse xmlns="http://www.twinfield.com/"><ProcessXmlDocumentResult>'
    '<dimension result="0"><office>NLA001234</office><type>DEB</type>'
    '<code msgtype="error" msg="Relatie 10042 bestaat niet." result="0">10042</code>'
    "</dimension></ProcessXmlDocumentResult></ProcessXmlDocumentResponse></soap:Body></soap:Envelope>",
    "not_found",
    "read of customer 10042 answered result=\"0\" with msg 'bestaat niet' (does not exist)",
    content_type="text/xml; charset=utf-8",
    request={"method": "POST", "path": "/webservices/processxml.asmx"},
)

# --------------------------------------------------------------------------- Polish

_BIR_SOAP = (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">'
    '<s:Header><a:Action s:mustUnderstand="1">http://CIS/BIR/PUBL/2014/07/IUslugaBIRzewnPubl/DaneSzukajPodmiotyResponse</a:Action>'
    "</s:Header>"
    '<s:Body><DaneSzukajPodmiotyResponse xmlns="http://CIS/BIR/PUBL/2014/07"><DaneSzukajPodmiotyResult>'
    "&lt;root&gt;\r\n  &lt;dane&gt;\r\n    &lt;ErrorCode&gt;4&lt;/ErrorCode&gt;\r\n"
    "    &lt;ErrorMessagePl&gt;Nie znaleziono podmiotów.&lt;/ErrorMessagePl&gt;\r\n"
    "    &lt;ErrorMessageEn&gt;No data found for the specified search criteria.&lt;/ErrorMessageEn&gt;\r\n"
    "    &lt;Nip&gt;5261040828&lt;/Nip&gt;\r\n  &lt;/dane&gt;\r\n&lt;/root&gt;"
    "</DaneSzukajPodmiotyResult></DaneSzukajPodmiotyResponse></s:Body></s:Envelope>"
)
_BIR_BOUNDARY = "uuid:6c0d4b8e-5a3f-4f0e-a2d1-7e9c3b5a1f40+id=12"
PART.add(
    "f-gus-bir1-danesszukaj-errorcode-4-mtom",
    200,
    (
        f"--{_BIR_BOUNDARY}\r\n"
        "Content-ID: <http://tempuri.org/0>\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        'Content-Type: application/xop+xml;charset=utf-8;type="application/soap+xml"\r\n\r\n'
        f"{_BIR_SOAP}\r\n"
        f"--{_BIR_BOUNDARY}--\r\n"
    ).encode(),
    "not_found",
    "REGON lookup by NIP: ErrorCode 4 'Nie znaleziono podmiotów' inside the SOAP result, no entity with this NIP",
    content_type=(
        f'multipart/related; type="application/xop+xml"; start="<http://tempuri.org/0>"; '
        f'boundary="{_BIR_BOUNDARY}"; start-info="application/soap+xml"'
    ),
    request={"method": "POST", "path": "/wsBIR/UslugaBIRzewnPubl.svc"},
)

PART.add(
    "f-mf-wl-search-nip-niezarejestrowany",
    200,
    {
        "result": {
            "subject": {
                "name": "PRZEDSIĘBIORSTWO HANDLOWE KOWALSKI SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
                "nip": "7792433421",
                "statusVat": "Niezarejestrowany",
                "regon": "302601475",
                "pesel": None,
                "krs": "0000511236",
                "residenceAddress": None,
                "workingAddress": "UL. GÓRNA 12, 61-001 POZNAŃ",
                "representatives": [],
                "authorizedClerks": [],
                "partners": [],
                "registrationLegalDate": "2014-06-02",
                "registrationDenialBasis": None,
                "registrationDenialDate": None,
                "restorationBasis": None,
                "restorationDate": None,
                "removalBasis": "Art. 96 ust. 9 ustawy o VAT",
                "removalDate": "2023-11-20",
                "accountNumbers": [],
                "hasVirtualAccounts": False,
            },
            "requestId": "aBcD1-8k2ms3p",
            "requestDateTime": "13-05-2024 10:22:41",
        }
    },
    None,
    "a VAT white-list lookup that found the taxpayer: statusVat Niezarejestrowany and a removal date are the verdict, not a failed call",
    request={"method": "GET", "path": "/api/search/nip/7792433421?date=2024-05-13"},
    trap=True,
)

# --------------------------------------------------------------------------- Turkish

PART.add(
    "f-iyzico-payment-10051-limit-yetersiz",
    200,
    {
        "status": "failure",
        "errorCode": "10051",
        "errorMessage": "Kart limiti yetersiz, yetersiz bakiye",
        "errorGroup": "NOT_SUFFICIENT_FUNDS",
        "locale": "tr",
        "systemTime": 1715590961123,
        "conversationId": "123456789",
    },
    "payment",
    "status failure, 10051: card limit insufficient, insufficient balance",
    request={"method": "POST", "path": "/payment/auth"},
)

PART.add(
    "f-iyzico-1001-api-bilgileri-bulunamadi",
    200,
    {
        "status": "failure",
        "errorCode": "1001",
        "errorMessage": "api bilgileri bulunamadı",
        "locale": "tr",
        "systemTime": 1715591002417,
        "conversationId": "SIP-20240513-88",
    },
    "auth_failure",
    "status failure, 1001: the API credentials were not found (wrong key or environment)",
    request={"method": "POST", "path": "/payment/iyzipos/checkoutform/initialize/auth/ecom"},
)

PART.add(
    "f-sipay-status-30-gunluk-islem-adedi",
    200,
    {"status_code": 30, "status_description": "Üye işyeri günlük işlem adedi aşıldı", "data": None},
    "rate_limit",
    "status_code 30: the merchant's daily transaction count was exceeded",
    request={"method": "POST", "path": "/ccpayment/api/paySmart2D"},
)

# --------------------------------------------------------------------------- Vietnamese

PART.add(
    "f-payos-code-20-thong-tin-khong-dung",
    200,
    {"code": "20", "desc": "Thông tin truyền lên không đúng.", "data": None},
    "validation",
    "code 20 with no data: the submitted payment-request fields are not correct",
    request={"method": "POST", "path": "/v2/payment-requests"},
)

PART.add(
    "f-payos-code-231-don-da-ton-tai",
    200,
    {"code": "231", "desc": "Đơn thanh toán đã tồn tại", "data": None},
    "conflict",
    "code 231: a payment request with this orderCode already exists",
    request={"method": "POST", "path": "/v2/payment-requests"},
)

PART.add(
    "f-payos-get-payment-cancelled",
    200,
    {
        "code": "00",
        "desc": "success",
        "data": {
            "id": "2f9c6f1b0b4e4a8f9a1d7c3e5b2a6d40",
            "orderCode": 1715590961,
            "amount": 150000,
            "amountPaid": 0,
            "amountRemaining": 150000,
            "status": "CANCELLED",
            "createdAt": "2024-05-13T17:02:41+07:00",
            "transactions": [],
            "canceledAt": "2024-05-13T17:09:12+07:00",
            "cancellationReason": "Khách hàng hủy thanh toán",
        },
        "signature": "d1f4e0c2a7b95e3f61c8a2d0b4e7f9a3c5d8e1b2f4a6c9d0e3f5a7b9c1d2e4f6",
    },
    None,
    "code 00 success: reading a payment link that the customer cancelled (hủy) is data",
    request={"method": "GET", "path": "/v2/payment-requests/1715590961"},
    trap=True,
)

# --------------------------------------------------------------------------- Indonesian

PART.add(
    "f-digiflazz-rc-44-saldo-tidak-cukup",
    200,
    {
        "data": {
            "ref_id": "INV-20240513-0042",
            "customer_no": "081234567890",
            "buyer_sku_code": "xld10",
            "message": "Saldo tidak cukup",
            "status": "Gagal",
            "rc": "44",
            "buyer_last_saldo": 3500,
            "sn": "",
            "price": 10850,
            "tele": "",
            "wa": "",
        }
    },
    "payment",
    "top-up status Gagal, rc 44: the buyer's deposit balance is insufficient (saldo tidak cukup)",
    request={"method": "POST", "path": "/v1/transaction"},
)

PART.add(
    "f-digiflazz-rc-02-transaksi-gagal",
    200,
    {
        "data": {
            "ref_id": "INV-20240513-0051",
            "customer_no": "085712345678",
            "buyer_sku_code": "tsel25",
            "message": "Transaksi Gagal",
            "status": "Gagal",
            "rc": "02",
            "buyer_last_saldo": 512400,
            "sn": "",
            "price": 25120,
            "tele": "@digiflazz_support",
            "wa": "",
        }
    },
    "generic_business_error",
    "status Gagal, rc 02 'Transaksi Gagal': the top-up failed with no more specific reason",
    request={"method": "POST", "path": "/v1/transaction"},
)

PART.add(
    "f-bpjs-vclaim-201-peserta-tidak-ditemukan",
    200,
    {"metaData": {"code": "201", "message": "Peserta Tidak Ditemukan"}, "response": None},
    "not_found",
    "metaData code 201 with a null response: no participant for this NIK (tidak ditemukan); 201 here is BPJS's failure code, not HTTP Created",
    content_type="application/json; charset=utf-8",
    request={"method": "GET", "path": "/vclaim-rest/Peserta/nik/3201015707950003/tglSEP/2024-05-13"},
)
