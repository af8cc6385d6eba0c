"""Second round of localised responses (Spanish, Portuguese, French, German, Italian, Japanese,
Chinese, Russian), written with wordings, field names and structures the first round did not use:
"operación fallida", "transação negada", "opération refusée", "Vorgang abgebrochen", "operazione
non riuscita", "操作失败", "операция не выполнена", insufficient credit/balance/cover ("crédit
insuffisant", "Konto nicht gedeckt", "限度額を超えています", "发卡行拒绝交易"), limits ("Limit
überschritten", "limite superato", "превышен лимит"), expired sessions ("sesión caducada",
"登录已过期", "сессия истекла"), missing or malformed fields ("champ obligatoire manquant",
"Pflichtfeld fehlt", "必須項目が未入力です", "格式不正确", "поле обязательно"), duplicates
("usuário já cadastrado", SEFAZ "Duplicidade de NF-e"), field names in the language (codigo,
mensaje, mensagem, code_erreur, fehlercode, messaggio, 错误码, 消息, エラーコード, ошибка/код),
flags written as strings ("no", "nein", "false"), full-width "Ｅｒｒｏｒ", mixed-language
envelopes, a few 4xx whose localised body names a more specific type, and traps: successful
answers whose localised data mentions failures (help-centre articles, book titles, e-invoice
rejection notices listed as data, zero failure counters, "concluído", "erfolgreich
abgeschlossen", "成功しました", "ошибок не обнаружено")."""

from tests.semantic_errors.shapes import Part

PART = Part("languages")
U8 = "application/json; charset=utf-8"
U8J = "application/json;charset=UTF-8"

# ---------------------------------------------------------------- Spanish
PART.add(
    "b-es-resultado-operacion-fallida",
    200,
    '{"resultado":{"codigo":"99","mensaje":"Operación fallida: no fue posible procesar la solicitud"},'
    '"fechaHora":"2024-10-03T11:42:09-05:00","idTransaccion":null}',
    "generic_business_error",
    "resultado.codigo=99 with 'operación fallida, could not process the request'; no transaction id, no specific cause",
    content_type=U8J,
)
PART.add(
    "b-es-recurso-no-encontrado",
    200,
    {"Codigo": "404", "Mensaje": "Recurso no encontrado", "Datos": None},
    "not_found",
    "GET of one customer answers Mensaje 'recurso no encontrado' with Datos null",
    request={"method": "GET", "path": "/api/clientes/88231"},
)
PART.add(
    "b-es-pos-denegada-sin-fondos",
    200,
    {
        "respuesta": {"aprobada": False, "codigoRespuesta": "51", "descripcion": "DENEGADA - TARJETA SIN FONDOS"},
        "monto": "35000.00",
        "moneda": "CLP",
        "codigoAutorizacion": "",
    },
    "payment",
    "card authorisation: aprobada=false, 'DENEGADA - tarjeta sin fondos' (declined, no funds)",
    request={"method": "POST", "path": "/pos/v1/autorizaciones"},
)
PART.add(
    "b-es-sesion-caducada",
    200,
    {
        "ok": False,
        "error": {"tipo": "SesionExpirada", "descripcion": "Su sesión ha caducado. Vuelva a iniciar sesión."},
    },
    "auth_failure",
    "ok=false, error tipo SesionExpirada: the session has expired, log in again",
    holdout=True,
)
PART.add(
    "b-es-trap-articulo-pago-rechazado",
    200,
    {
        "articulo": {
            "id": 3312,
            "titulo": "¿Por qué mi pago fue rechazado?",
            "cuerpo": "Si ves el mensaje «Transacción rechazada» o «Fondos insuficientes», comunícate con tu banco "
            "o prueba con otro medio de pago. Los errores de tipo «Sesión expirada» se resuelven iniciando sesión de nuevo.",
            "estado": "publicado",
            "votosUtiles": 128,
        },
        "relacionados": [3310, 3318],
    },
    None,
    "help-centre article (estado=publicado) whose text quotes decline and error messages: the read worked",
    trap=True,
    request={"method": "GET", "path": "/ayuda/api/articulos/3312"},
)

# ---------------------------------------------------------------- Portuguese (Brazil)
PART.add(
    "b-pt-pix-rejeitado-saldo",
    200,
    {
        "endToEndId": "E18236120202410031522s0123456789",
        "valor": "250.00",
        "situacao": "REJEITADO",
        "motivoRejeicao": "saldo insuficiente na conta pagadora",
        "horario": "2024-10-03T15:22:41.118Z",
    },
    "payment",
    "PIX payment: situacao=REJEITADO because the paying account's balance is insufficient",
    request={"method": "POST", "path": "/pix/v2/pagamentos"},
    holdout=True,
)
PART.add(
    "b-pt-usuario-ja-cadastrado",
    200,
    {"tipo": "ERRO", "mensagem": "Usuário já cadastrado", "campo": "email", "id": None},
    "conflict",
    "tipo=ERRO, 'usuário já cadastrado' (user already registered): duplicate",
    request={"method": "POST", "path": "/api/usuarios"},
)
PART.add(
    "b-pt-nfse-campo-obrigatorio",
    200,
    {
        "nota": None,
        "mensagens": [{"tipo": "ERRO", "codigo": "E0012", "texto": "O campo 'cpfCnpj' do tomador é obrigatório"}],
    },
    "validation",
    "service-invoice emission: no nota, one ERRO message saying a required field is missing",
    holdout=True,
)
PART.add(
    "b-pt-sefaz-rejeicao-duplicidade",
    200,
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
    '<soap:Body><nfeResultMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeAutorizacao4">'
    '<retEnviNFe versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe"><tpAmb>1</tpAmb>'
    "<verAplic>SP_NFE_PL009_V4</verAplic><cStat>104</cStat><xMotivo>Lote processado</xMotivo><cUF>35</cUF>"
    '<dhRecbto>2024-10-03T10:15:02-03:00</dhRecbto><protNFe versao="4.00"><infProt><tpAmb>1</tpAmb>'
    "<verAplic>SP_NFE_PL009_V4</verAplic><chNFe>35241012345678000190550010000012341000012345</chNFe>"
    "<dhRecbto>2024-10-03T10:15:02-03:00</dhRecbto><cStat>204</cStat>"
    "<xMotivo>Rejeição: Duplicidade de NF-e [nRec:351000987654321]</xMotivo></infProt></protNFe>"
    "</retEnviNFe></nfeResultMsg></soap:Body></soap:Envelope>",
    "conflict",
    "SEFAZ NF-e authorisation: the batch was processed (104) but its only invoice was rejected, cStat 204 "
    "'Duplicidade de NF-e' (subtle: outer status is fine, the one item failed as a duplicate)",
    content_type="application/soap+xml; charset=utf-8",
    request={"method": "POST", "path": "/ws/NFeAutorizacao4.asmx"},
)
PART.add(
    "b-pt-trap-remessa-concluido",
    200,
    {
        "status": "concluído",
        "lote": "REM-2024-10-03-001",
        "quantidadeTitulos": 42,
        "quantidadeFalhas": 0,
        "falhas": [],
        "mensagem": "Remessa processada sem erros",
    },
    None,
    "bank remittance batch status=concluído, zero falhas, 'processed without errors'",
    trap=True,
)

# ---------------------------------------------------------------- French
PART.add(
    "b-fr-code-erreur-operation-refusee",
    200,
    {
        "code_erreur": "OPE_REFUSEE",
        "libelle_erreur": "Opération refusée : le dossier ne peut pas être clôturé tant que des pièces sont en attente",
        "dossier": "DOS-2024-00817",
    },
    "generic_business_error",
    "code_erreur with 'opération refusée': closing the file was refused because of its state, no more specific type",
    request={"method": "POST", "path": "/api/dossiers/DOS-2024-00817/cloture"},
)
PART.add(
    "b-fr-lre-credit-insuffisant",
    200,
    {"statut": "ÉCHEC", "raison": "Crédit insuffisant : 3 crédits requis, 1 disponible", "envoi_id": None},
    "payment",
    "registered e-letter send: statut=ÉCHEC (uppercase, accented) because the prepaid credit is insufficient",
    request={"method": "POST", "path": "/v1/lettres-recommandees"},
    holdout=True,
)
PART.add(
    "b-fr-champ-obligatoire-manquant",
    200,
    {
        "etat": "rejete",
        "erreurs": {"siret": ["Champ obligatoire manquant"], "code_postal": ["Format incorrect (5 chiffres attendus)"]},
    },
    "validation",
    "etat=rejete (no accent) with per-field errors: required field missing, bad postcode format",
)
PART.add(
    "b-fr-erreur-jeton-expire",
    200,
    {"Erreur": {"Code": "AUTH-401", "Message": "Accès non autorisé : le jeton d'accès a expiré"}},
    "auth_failure",
    "capitalised Erreur object: unauthorised access, the access token has expired",
    content_type=U8,
)
PART.add(
    "b-fr-trap-livres-erreur-echec",
    200,
    {
        "statut": "succès",
        "total": 2,
        "resultats": [
            {
                "titre": "L'Erreur de Descartes",
                "auteur": "Antonio R. Damasio",
                "editeur": "Odile Jacob",
                "disponible": True,
            },
            {"titre": "Échec et mat", "auteur": "Ali Hazelwood", "editeur": "Hauteville", "disponible": False},
        ],
    },
    None,
    "bookshop search (statut=succès) whose results are titles containing 'Erreur' and 'Échec'",
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------- German
PART.add(
    "b-de-fehlercode-vorgang-abgebrochen",
    200,
    {
        "fehlercode": "VG-0815",
        "meldung": "Vorgang abgebrochen: Die Verarbeitung konnte nicht abgeschlossen werden.",
        "zeitstempel": "2024-10-03T09:31:57+02:00",
    },
    "generic_business_error",
    "fehlercode with 'Vorgang abgebrochen' (operation aborted, could not be completed): no specific cause",
)
PART.add(
    "b-de-ergebnis-nicht-ok-limit",
    200,
    {"Ergebnis": "NICHT OK", "Text": "API-Limit überschritten: maximal 1000 Abfragen pro Tag"},
    "rate_limit",
    "Ergebnis='NICHT OK', daily API limit exceeded",
    content_type=U8J,
    holdout=True,
)
PART.add(
    "b-de-erfolgreich-nein-pflichtfeld",
    200,
    {"erfolgreich": "nein", "fehlermeldungen": ["Pflichtfeld fehlt: Straße", "Pflichtfeld fehlt: Hausnummer"]},
    "validation",
    "flag written as the string 'nein', two 'Pflichtfeld fehlt' (required field missing) messages",
)
PART.add(
    "b-de-lastschrift-konto-nicht-gedeckt",
    200,
    {
        "zahlung": {"id": None, "status": "abgelehnt", "grund": "Konto nicht gedeckt"},
        "betrag": "49,99",
        "waehrung": "EUR",
    },
    "payment",
    "direct debit: zahlung.status=abgelehnt, reason 'account not covered' (insufficient funds)",
    request={"method": "POST", "path": "/api/zahlungen"},
    holdout=True,
)
PART.add(
    "b-de-trap-erfolgreich-abgeschlossen",
    200,
    {
        "auftrag": {"nr": "A-2024-5531", "status": "erfolgreich abgeschlossen"},
        "fehlerhafte_datensaetze": 0,
        "fehlerprotokoll": None,
        "hinweise": [],
    },
    None,
    "job status 'erfolgreich abgeschlossen', zero faulty records, no error log",
    trap=True,
)

# ---------------------------------------------------------------- Italian
PART.add(
    "b-it-esito-negativo-non-riuscita",
    200,
    {"Esito": "NEGATIVO", "Messaggio": "Operazione non riuscita", "IdOperazione": None},
    "generic_business_error",
    "Esito=NEGATIVO, 'operazione non riuscita' (operation did not succeed), no cause given",
)
PART.add(
    "b-it-limite-superato",
    200,
    {"esito": "errore", "dettaglio": "limite superato: massimo 100 richieste al minuto", "riprova_tra_secondi": 42},
    "rate_limit",
    "esito=errore, 'limite superato, max 100 requests per minute', retry in 42 s",
)
PART.add(
    "b-it-transazione-negata-carta-scaduta",
    200,
    {
        "transazione": {"stato": "NEGATA", "motivo": "Carta scaduta", "codiceAutorizzazione": None},
        "importo": 2490,
        "divisa": "EUR",
    },
    "payment",
    "card transaction stato=NEGATA because the card is expired: a declined card",
    request={"method": "POST", "path": "/pagamenti/v1/autorizza"},
)
PART.add(
    "b-it-pratica-inesistente",
    200,
    {"codice": "PRT-404", "messaggio": "Pratica n. 2024/1182 inesistente", "dati": None},
    "not_found",
    "GET of one case file: 'pratica inesistente' (does not exist), dati null",
    request={"method": "GET", "path": "/api/pratiche/2024-1182"},
    holdout=True,
)
PART.add(
    "b-it-trap-sdi-notifiche-scarto",
    200,
    {
        "notifiche": [
            {
                "idSdi": "8123456701",
                "fattura": "IT01234567890_0A1B2",
                "tipo": "NS",
                "descrizione": "Notifica di scarto",
                "errori": [{"codice": "00404", "descrizione": "Fattura duplicata"}],
                "dataRicezione": "2024-10-01T10:12:44",
            },
            {
                "idSdi": "8123456733",
                "fattura": "IT01234567890_0A1B3",
                "tipo": "RC",
                "descrizione": "Ricevuta di consegna",
                "errori": [],
                "dataRicezione": "2024-10-02T08:03:10",
            },
        ],
        "pagina": 1,
        "totale": 2,
    },
    None,
    "list of e-invoicing (SdI) notifications, one a rejection notice for a duplicate invoice: notices listed as data",
    trap=True,
    request={"method": "GET", "path": "/sdi/notifiche?dal=2024-10-01"},
    holdout=True,
)

# ---------------------------------------------------------------- Japanese
PART.add(
    "b-ja-fullwidth-error-touroku",
    200,
    {"status": "Ｅｒｒｏｒ", "エラーコード": "E9001", "エラーメッセージ": "登録処理中にエラーが発生しました"},
    "generic_business_error",
    "status written in full-width 'Ｅｒｒｏｒ', 'an error occurred during registration': no specific cause",
    content_type=U8,
)
PART.add(
    "b-ja-result-ng-kengen-nashi",
    200,
    {"result": "ng", "error": {"code": "403", "message": "アクセス権限がありません"}},
    "auth_failure",
    "lowercase result=ng, 'you do not have access permission'",
    holdout=True,
)
PART.add(
    "b-ja-hissu-mikomyu",
    200,
    {"結果コード": "1", "エラー": ["必須項目が未入力です（電話番号）", "郵便番号の形式が正しくありません"]},
    "validation",
    "結果コード=1 with errors: a required item (phone) is empty, postcode format wrong",
    content_type=U8,
)
PART.add(
    "b-ja-kessai-gendogaku-choka",
    200,
    {"決済結果": "失敗", "エラー内容": "カードのご利用限度額を超えています", "取引ID": "TX20241003-77120"},
    "payment",
    "決済結果=失敗: the card's credit limit is exceeded (a card decline, not a rate limit)",
    holdout=True,
)
PART.add(
    "b-ja-trap-soushin-seikou",
    200,
    {"メッセージ": "メール送信に成功しました", "送信件数": 250, "失敗件数": 0, "エラー一覧": []},
    None,
    "'mail sending succeeded' (成功しました), 250 sent, 失敗件数=0, empty error list",
    trap=True,
)

# ---------------------------------------------------------------- Chinese
PART.add(
    "b-zh-cuowuma-caozuo-shibai",
    200,
    {"错误码": 50001, "消息": "操作失败，请联系管理员", "数据": None},
    "generic_business_error",
    "Chinese keys 错误码/消息: 'operation failed, contact the administrator', no data",
)
PART.add(
    "b-zh-ruoyi-denglu-guoqi",
    200,
    '{"msg":"登录已过期，请重新登录","code":401,"data":null}',
    "auth_failure",
    "admin-framework style body code 401 under HTTP 200: 'login has expired, log in again'",
    content_type=U8J,
)
PART.add(
    "b-zh-shoujihao-geshi-buzhengque",
    200,
    {"status": "FAIL", "message": "手机号格式不正确", "requestId": "7f0c2a6e-1d3b-4c55-9a0e-0b7d2f1e9c44"},
    "validation",
    "status=FAIL, 'mobile number format is incorrect'",
    holdout=True,
)
PART.add(
    "b-zh-yonghuming-yi-zhuce",
    200,
    {"状态码": "E1002", "提示": "该用户名已被注册，请更换"},
    "conflict",
    "状态码 E1002, 'this username is already registered, choose another'",
    content_type=U8,
)
PART.add(
    "b-zh-fakahang-jujue",
    200,
    {"code": "PAY_FAIL", "msg": "支付失败：发卡行拒绝交易", "data": {"orderNo": "202410031123450081"}},
    "payment",
    "code=PAY_FAIL, 'payment failed: the issuing bank refused the transaction'",
)
PART.add(
    "b-zh-trap-piliang-quanbu-chenggong",
    200,
    {"code": 200, "msg": "操作成功", "data": {"总数": 12, "成功": 12, "失败": 0, "失败明细": []}},
    None,
    "batch result '操作成功': 12 of 12 succeeded, 失败=0, empty failure details",
    trap=True,
    holdout=True,
)

# ---------------------------------------------------------------- Russian
PART.add(
    "b-ru-oshibka-kod-ne-vypolnena",
    200,
    {"ошибка": {"код": 1001, "текст": "Операция не выполнена"}},
    "generic_business_error",
    "ошибка object with код/текст: 'the operation was not performed', no specific cause",
)
PART.add(
    "b-ru-sessiya-istekla",
    200,
    {"result": False, "message": "Сессия истекла. Пожалуйста, авторизуйтесь повторно."},
    "auth_failure",
    "result=false, 'session expired, please log in again'",
    holdout=True,
)
PART.add(
    "b-ru-prevyshen-limit",
    200,
    {"ok": False, "code": "TOO_MANY", "описание": "Превышен лимит запросов. Повторите через 60 секунд."},
    "rate_limit",
    "ok=false, 'request limit exceeded, retry in 60 s'",
)
PART.add(
    "b-ru-tinkoff-platezh-otklonen",
    200,
    {
        "Success": False,
        "ErrorCode": "1051",
        "TerminalKey": "1321054611234DEMO",
        "Status": "REJECTED",
        "PaymentId": "13660",
        "OrderId": "21050",
        "Message": "Платёж отклонён",
        "Details": "Недостаточно средств на карте",
    },
    "payment",
    "T-Bank (Tinkoff) acquiring: Success=false, Status=REJECTED, 'not enough funds on the card'",
    request={"method": "POST", "path": "/v2/FinishAuthorize"},
    holdout=True,
)
PART.add(
    "b-ru-uzhe-zaregistrirovan",
    200,
    {"статус": "отказ", "причина": "Пользователь с таким e-mail уже зарегистрирован"},
    "conflict",
    "статус=отказ (refusal): a user with this e-mail is already registered",
)
PART.add(
    "b-ru-trap-oshibok-ne-obnaruzheno",
    200,
    {
        "статус": "выполнено",
        "проверка": {"файл": "otchet_2024_q3.xml", "результат": "ошибок не обнаружено", "предупреждений": 0},
    },
    None,
    "report-file check: статус=выполнено, result 'no errors found'",
    trap=True,
    request={"method": "POST", "path": "/api/proverka-otchetnosti"},
)

# ---------------------------------------------------------------- mixed-language envelopes
PART.add(
    "b-mix-zh-en-order-not-found",
    200,
    {"success": False, "errorCode": "ORDER_NOT_EXIST", "errorMessage": "找不到该订单 / Order not found", "data": None},
    "not_found",
    "English envelope, bilingual message: the order cannot be found",
    request={"method": "GET", "path": "/open/api/order/detail?orderNo=SO24100300017"},
)
PART.add(
    "b-mix-pt-keys-invalid-grant",
    200,
    {"sucesso": False, "erro": "invalid_grant", "descricao": "Token expirado ou revogado"},
    "auth_failure",
    "Portuguese keys, OAuth error value: invalid_grant, token expired or revoked",
    holdout=True,
)

# ---------------------------------------------------------------- 4xx naming a more specific type
PART.add(
    "b-de-403-kontingent-erschoepft",
    403,
    {"fehler": "Kontingent erschöpft – zu viele Abrufe in diesem Monat", "kontingent": 5000, "verbraucht": 5000},
    "rate_limit",
    "403 whose body says the quota is used up, too many calls this month: rate_limit is more specific than auth",
    holdout=True,
)
PART.add(
    "b-zh-400-lingpai-shixiao",
    400,
    {"errCode": "TOKEN_INVALID", "errMsg": "令牌已失效，请重新获取"},
    "auth_failure",
    "400 whose body says the token is no longer valid: auth_failure is more specific than validation",
)
PART.add(
    "b-pt-422-cartao-recusado",
    422,
    {"erros": [{"codigo": "CARTAO_RECUSADO", "mensagem": "Cartão recusado pela operadora"}]},
    "payment",
    "422 whose body says the card was refused by the acquirer: payment is more specific than validation",
)
PART.add(
    "b-fr-400-client-introuvable",
    400,
    {"statut": "erreur", "message": "Client introuvable", "identifiant": "CLI-009812"},
    "not_found",
    "400 whose body says the customer cannot be found: not_found is more specific than validation",
    request={"method": "GET", "path": "/api/clients/CLI-009812"},
)
