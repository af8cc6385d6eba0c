"""Responses whose failure (or success) is spelled in a language other than English: status
words and values ("estado": "error", "statut": "échec", "Status": "Fehler", "esito": "KO",
"结果": "失败", "ステータス": "エラー", "result": "NG", "статус": "ошибка"), success flags
named in the language (éxito, sucesso, succès, erfolg, successo, 成功, 成功フラグ, успешно)
set to false or true, English envelopes whose message alone names the failure type in
Spanish, Brazilian Portuguese, French, German, Italian, Japanese, Chinese (simplified and
traditional) or Russian (insufficient funds, too many requests, unauthorised, not found,
already exists, invalid parameter), a few 4xx whose localised body names a more specific
type, and traps: successful responses whose data merely contains those words."""

from tests.semantic_errors.shapes import Part

PART = Part("languages")
U8 = "application/json; charset=utf-8"

# ---------------------------------------------------------------- Spanish
PART.add(
    "es-estado-error-mensaje",
    200,
    {"estado": "error", "mensaje": "No se pudo generar el reporte de ventas. Intente nuevamente.", "codigo": "REP-017"},
    "generic_business_error",
    "estado=error with a Spanish message that the report could not be generated; no more specific cause",
    holdout=True,
)
PART.add(
    "es-exito-false-fondos-insuficientes",
    200,
    {
        "exito": False,
        "mensaje": "Fondos insuficientes para completar la transferencia",
        "referencia": "TRF-2024-88123",
        "saldoDisponible": 120.5,
    },
    "payment",
    "exito=false and the message says insufficient funds for the transfer",
    content_type=U8,
    holdout=True,
)
PART.add(
    "es-pac-cfdi-campo-obligatorio",
    200,
    '{\n  "éxito": false,\n  "errores": [\n    {"campo": "receptor.rfc", "mensaje": "Campo obligatorio"},\n    {"campo": "receptor.usoCFDI", "mensaje": "Formato inválido"}\n  ]\n}',
    "validation",
    "Mexican invoicing (CFDI) style: éxito=false with field errors 'campo obligatorio' / 'formato inválido'",
    content_type=U8,
)
PART.add(
    "es-respuesta-autorizacion-sin-acento",
    200,
    {
        "respuesta": {"estado": "fallido", "descripcion": "Error de autorizacion: token invalido o expirado"},
        "version": "2.1",
    },
    "auth_failure",
    "estado=fallido, description (accents missing) says authorisation failed, token invalid or expired",
)
PART.add(
    "es-exito-true",
    200,
    {
        "éxito": True,
        "mensaje": "Operación realizada con éxito",
        "datos": {"idPedido": 58213, "total": "1.249,00", "moneda": "MXN"},
    },
    None,
    "éxito=true and a success message: the order was created",
)
PART.add(
    "es-trap-producto-error-fatal",
    200,
    {
        "producto": {
            "sku": "DVD-00931",
            "nombre": "Error Fatal (Edición Especial, DVD)",
            "categoria": "Películas",
            "precio": 199.0,
            "disponible": True,
        },
        "estado": "ok",
    },
    None,
    "a product whose title is the film 'Error Fatal'; estado=ok, the lookup worked",
    trap=True,
)
PART.add(
    "es-trap-estado-activo-errores-vacio",
    200,
    {
        "id": "suscr_7Hk2",
        "estado": "activo",
        "plan": "anual",
        "errores": [],
        "advertencias": [],
        "proximoCobro": "2024-11-01",
    },
    None,
    "subscription estado=activo with empty errores list: nothing failed",
    trap=True,
    holdout=True,
)
PART.add(
    "es-401-token-invalido",
    401,
    {"error": "no_autorizado", "mensaje": "Token inválido"},
    "auth_failure",
    "401 with a Spanish 'invalid token' body",
)

# ---------------------------------------------------------------- Portuguese (Brazil)
PART.add(
    "pt-muitas-requisicoes",
    200,
    {
        "status": "erro",
        "erro": {"codigo": "LIMITE_EXCEDIDO", "descricao": "Muitas requisições. Aguarde 1 minuto e tente novamente."},
    },
    "rate_limit",
    "status=erro, 'muitas requisições, aguarde 1 minuto': rate limited",
    holdout=True,
)
PART.add(
    "pt-nao-autorizado-sem-acento",
    200,
    {"success": False, "message": "nao autorizado: chave de API invalida"},
    "auth_failure",
    "success=false, message (accents missing) 'not authorised: invalid API key'",
)
PART.add(
    "pt-cliente-ja-existe",
    200,
    {"status": "falha", "mensagem": "Já existe um cliente cadastrado com este CPF", "campo": "cpfCnpj"},
    "conflict",
    "status=falha, 'a customer with this CPF already exists': duplicate",
)
PART.add(
    "pt-cep-nao-encontrado",
    200,
    {"erro": True, "mensagem": "CEP não encontrado", "cep": "01001-999"},
    "not_found",
    "erro=true and the message says the postcode (CEP) was not found",
    request={"method": "GET", "path": "/ws/01001999/json/"},
    holdout=True,
)
PART.add(
    "pt-trap-noticias-falha",
    200,
    {
        "total": 2,
        "resultados": [
            {
                "titulo": "Falha em sistema de energia deixa bairros de SP sem luz",
                "fonte": "Folha",
                "publicadoEm": "2024-09-03T08:12:00-03:00",
            },
            {
                "titulo": "Banco Central investiga falha no PIX durante a madrugada",
                "fonte": "G1",
                "publicadoEm": "2024-09-02T22:40:00-03:00",
            },
        ],
    },
    None,
    "a news search whose result headlines mention 'falha'; the search worked",
    trap=True,
)
PART.add(
    "pt-400-saldo-insuficiente",
    400,
    {"codigo": "SALDO_INSUFICIENTE", "mensagem": "Saldo insuficiente na conta de origem"},
    "payment",
    "400 whose body says insufficient balance: payment is more specific than validation",
    holdout=True,
)

# ---------------------------------------------------------------- French
PART.add(
    "fr-statut-echec",
    200,
    {
        "statut": "échec",
        "message": "L'export comptable n'a pas pu être généré",
        "horodatage": "2024-09-12T14:03:22+02:00",
    },
    "generic_business_error",
    "statut=échec: the export could not be generated, no specific cause",
)
PART.add(
    "fr-resultat-erreur-solde-insuffisant",
    200,
    {"resultat": "erreur", "code_retour": "51", "libelle": "Solde insuffisant", "montant": 4990, "devise": "EUR"},
    "payment",
    "resultat=erreur with the label 'solde insuffisant' on a payment",
)
PART.add(
    "fr-trop-de-requetes-majuscules",
    200,
    {"reussi": False, "etat": "ECHEC", "message": "TROP DE REQUETES - VEUILLEZ REESSAYER PLUS TARD"},
    "rate_limit",
    "reussi=false, etat=ECHEC (no accent), uppercase 'too many requests, retry later'",
)
PART.add(
    "fr-succes-false-parametre-invalide",
    200,
    {
        "succès": False,
        "erreurs": [{"champ": "date_debut", "message": "Paramètre invalide : la date doit être au format AAAA-MM-JJ"}],
    },
    "validation",
    "succès=false with a field error 'paramètre invalide' on the date",
    content_type=U8,
)
PART.add(
    "fr-succes-true",
    200,
    {
        "succès": True,
        "message": "Colis enregistré",
        "numeroSuivi": "6A12345678901",
        "etiquette": "https://example.fr/etiquettes/6A12345678901.pdf",
    },
    None,
    "succès=true: the parcel was registered and a tracking number returned",
    holdout=True,
)
PART.add(
    "fr-trap-dictionnaire-echec",
    200,
    {
        "mot": "échec",
        "categorie": "nom masculin",
        "definitions": ["Résultat négatif d'une entreprise, insuccès.", "Pièce du jeu des échecs (au pluriel)."],
        "synonymes": ["revers", "défaite", "fiasco"],
        "erreur": None,
    },
    None,
    "a dictionary entry for the word 'échec'; erreur is null, the lookup worked",
    trap=True,
)
PART.add(
    "fr-422-existe-deja",
    422,
    {"statut": "echec", "message": "Un compte avec cette adresse e-mail existe déjà"},
    "conflict",
    "422 whose body says the account already exists: conflict is more specific than validation",
)

# ---------------------------------------------------------------- German
PART.add(
    "de-sms-ergebnis-fehlgeschlagen-guthaben",
    200,
    {"ergebnis": "fehlgeschlagen", "grund": "Guthaben reicht nicht aus", "empfaenger": "+4915112345678", "kosten": 0},
    "payment",
    "SMS gateway: ergebnis=fehlgeschlagen because the prepaid credit is insufficient",
)
PART.add(
    "de-erfolg-false-zu-viele-anfragen",
    200,
    {"erfolg": False, "fehler": "Zu viele Anfragen. Bitte warten Sie 30 Sekunden.", "retryAfter": 30},
    "rate_limit",
    "erfolg=false, 'zu viele Anfragen, wait 30 s': rate limited",
)
PART.add(
    "de-existiert-bereits",
    200,
    {
        "Status": "Fehler",
        "Fehlermeldung": "Ein Kontakt mit dieser E-Mail-Adresse existiert bereits.",
        "kontaktId": None,
    },
    "conflict",
    "Status=Fehler, the contact already exists (existiert bereits)",
    content_type=U8,
    holdout=True,
)
PART.add(
    "de-ungueltiger-parameter-ohne-umlaut",
    200,
    {
        "erfolgreich": False,
        "fehler": [{"feld": "plz", "meldung": "Ungueltiger Parameter: Postleitzahl muss 5 Ziffern haben"}],
    },
    "validation",
    "erfolgreich=false with a field error (umlaut spelled ue): invalid postcode parameter",
    holdout=True,
)
PART.add(
    "de-trap-fehler-behoben",
    200,
    {
        "erfolg": True,
        "meldung": "Fehler behoben",
        "ticket": {"id": 4711, "titel": "Fehler beim Login", "status": "geschlossen"},
    },
    None,
    "erfolg=true; the ticket about a bug was closed ('Fehler behoben' = bug fixed)",
    trap=True,
)
PART.add(
    "de-404-nicht-gefunden",
    404,
    {"Fehler": "Artikel nicht gefunden", "ArtikelNr": "SKU-99812"},
    "not_found",
    "404 with a German 'article not found' body",
)

# ---------------------------------------------------------------- Italian
PART.add(
    "it-stato-errore",
    200,
    {"stato": "errore", "messaggio": "Impossibile completare l'operazione richiesta", "idRichiesta": "b9f1c2"},
    "generic_business_error",
    "stato=errore: the operation could not be completed, no specific cause",
)
PART.add(
    "it-esito-ko-saldo-insufficiente",
    200,
    {"esito": "KO", "codiceErrore": "PAG-051", "descrizione": "Saldo insufficiente sulla carta", "importo": "89,90"},
    "payment",
    "esito=KO with 'saldo insufficiente' on the card",
)
PART.add(
    "it-successo-false-accesso-negato",
    200,
    {"successo": False, "errore": "Accesso negato: permessi insufficienti per questa risorsa"},
    "auth_failure",
    "successo=false, 'access denied, insufficient permissions'",
)
PART.add(
    "it-esiste-gia",
    200,
    {"success": False, "message": "La partita IVA esiste già in anagrafica"},
    "conflict",
    "success=false; Italian message: the VAT number already exists",
    holdout=True,
)
PART.add(
    "it-troppe-richieste",
    200,
    {"esito": "KO", "errore": {"codice": 429, "messaggio": "Troppe richieste, riprovare tra qualche istante"}},
    "rate_limit",
    "esito=KO with 'troppe richieste' (code 429 in the body)",
)
PART.add(
    "it-successo-true",
    200,
    {"esito": "OK", "successo": True, "messaggio": "Prenotazione confermata", "codicePrenotazione": "PRN-55120"},
    None,
    "esito=OK, successo=true: the booking was confirmed",
)
PART.add(
    "it-trap-faq-pagamento-rifiutato",
    200,
    {
        "esito": "OK",
        "risultati": [
            {
                "domanda": "Perché il mio pagamento è stato rifiutato?",
                "risposta": "Verifica che il saldo sia sufficiente e che la carta non sia scaduta.",
            },
            {
                "domanda": "Cosa significa 'errore 500'?",
                "risposta": "Un errore temporaneo del server: riprova più tardi.",
            },
        ],
    },
    None,
    "esito=OK; FAQ search results whose texts talk about refused payments and errors",
    trap=True,
    holdout=True,
)
PART.add(
    "it-400-token-non-valido",
    400,
    {"esito": "KO", "messaggio": "Token non valido o scaduto"},
    "auth_failure",
    "400 whose body says the token is invalid or expired: auth is more specific than validation",
)

# ---------------------------------------------------------------- Japanese
PART.add(
    "ja-status-error",
    200,
    {"ステータス": "エラー", "メッセージ": "処理に失敗しました。時間をおいて再度お試しください。"},
    "generic_business_error",
    "ステータス=エラー, 'processing failed, try again later': no specific cause",
    content_type=U8,
)
PART.add(
    "ja-result-ng-zandaka-fusoku",
    200,
    {"result": "NG", "errorCode": "E21010", "message": "残高不足です", "orderId": "ORD20240912-0042"},
    "payment",
    "result=NG, message 'insufficient balance'",
)
PART.add(
    "ja-kekka-shippai-ninshou",
    200,
    {"結果": "失敗", "エラー": {"コード": "AUTH001", "内容": "認証に失敗しました"}},
    "auth_failure",
    "結果=失敗 with error 'authentication failed'",
    holdout=True,
)
PART.add(
    "ja-seikou-flag-false-sudeni-sonzai",
    200,
    {"成功フラグ": False, "メッセージ": "このメールアドレスは既に存在します"},
    "conflict",
    "成功フラグ=false: the e-mail address already exists",
)
PART.add(
    "ja-sjis-status-ng-mitsukarimasen",
    200,
    '{"status":"NG","errorMessage":"指定された会員が見つかりません"}'.encode("shift_jis"),
    "not_found",
    "Shift_JIS body: status=NG, 'the specified member was not found'",
    content_type="application/json; charset=Shift_JIS",
)
PART.add(
    "ja-seikou-flag-true",
    200,
    {"成功フラグ": True, "メッセージ": "登録が完了しました", "会員番号": "M00012873"},
    None,
    "成功フラグ=true, 'registration completed'",
    holdout=True,
)
PART.add(
    "ja-trap-kekka-seikou",
    200,
    {"結果": "成功", "データ": {"注文番号": "A-10023", "状態": "発送済み"}, "エラー件数": 0, "エラー": None},
    None,
    "結果=成功 (success), zero errors: the order lookup worked",
    trap=True,
)
PART.add(
    "ja-400-mitsukarimasen",
    400,
    {"result": "NG", "message": "指定された注文が見つかりません"},
    "not_found",
    "400 whose body says the order was not found: not_found is more specific than validation",
)

# ---------------------------------------------------------------- Chinese (simplified)
PART.add(
    "zh-success-false-yue-buzu",
    200,
    {"success": False, "message": "余额不足", "data": None},
    "payment",
    "success=false, message 'insufficient balance'",
)
PART.add(
    "zh-qingqiu-guoyu-pinfan",
    200,
    {"结果": "失败", "msg": "请求过于频繁，请稍后再试", "data": {}},
    "rate_limit",
    "结果=失败, 'requests too frequent, try later'",
    holdout=True,
)
PART.add(
    "zh-zhuangtai-shibai-weishouquan",
    200,
    {"状态": "失败", "信息": "未授权：access_token 无效或已过期"},
    "auth_failure",
    "状态=失败, 'unauthorised: access_token invalid or expired'",
    content_type=U8,
    holdout=True,
)
PART.add(
    "zh-canshu-cuowu",
    200,
    {"result": "error", "message": "参数错误：缺少必填参数 appid"},
    "validation",
    "result=error, 'parameter error: required parameter appid missing'",
    holdout=True,
)
PART.add(
    "zh-chenggong-true",
    200,
    {"成功": True, "消息": "操作成功", "数据": {"id": 10086, "名称": "测试商品", "库存": 42}},
    None,
    "成功=true, '操作成功': the operation succeeded",
)
PART.add(
    "zh-trap-fanyi-shibai",
    200,
    {"from": "en", "to": "zh", "trans_result": [{"src": "failure", "dst": "失败"}, {"src": "error", "dst": "错误"}]},
    None,
    "a translation API translated 'failure' and 'error': the words are the translated text",
    trap=True,
    request={"method": "POST", "path": "/api/trans/vip/translate"},
)
PART.add(
    "zh-400-qingqiu-guoyu-pinfan",
    400,
    {"errcode": 45009, "errmsg": "请求过于频繁，接口调用已超过每日限额"},
    "rate_limit",
    "400 whose body says requests too frequent / daily quota exceeded: rate_limit is more specific",
    holdout=True,
)

# ---------------------------------------------------------------- Chinese (traditional)
PART.add(
    "zh-tw-zhuangtai-shibai-yue-buzu",
    200,
    {"狀態": "失敗", "訊息": "餘額不足，請先儲值", "交易編號": "TW20240912A0091"},
    "payment",
    "traditional Chinese: 狀態=失敗, 'insufficient balance, please top up'",
)
PART.add(
    "zh-tw-chenggong-false-zhaobudao",
    200,
    {"成功": False, "錯誤": "找不到指定的資料", "代碼": "NOT_FOUND"},
    "not_found",
    "traditional Chinese: 成功=false, 'the specified record cannot be found'",
    holdout=True,
)
PART.add(
    "zh-tw-trap-dingdan-liebiao",
    200,
    {
        "總數": 3,
        "訂單": [
            {"編號": "A001", "狀態": "已完成"},
            {"編號": "A002", "狀態": "付款失敗"},
            {"編號": "A003", "狀態": "已取消"},
        ],
    },
    None,
    "a list of orders, one with state 'payment failed': entities listed as data, the query worked",
    trap=True,
)

# ---------------------------------------------------------------- Russian
PART.add(
    "ru-status-oshibka",
    200,
    {"статус": "ошибка", "сообщение": "Не удалось выполнить операцию", "код": "ERR_INTERNAL"},
    "generic_business_error",
    "статус=ошибка: the operation could not be performed, no specific cause",
    holdout=True,
)
PART.add(
    "ru-smsru-nedostatochno-sredstv",
    200,
    {"status": "ERROR", "status_code": 201, "status_text": "Не хватает средств на лицевом счету"},
    "payment",
    "SMS.ru style: status=ERROR, 'not enough funds on the account'",
    holdout=True,
)
PART.add(
    "ru-vk-slishkom-mnogo-zaprosov",
    200,
    {
        "error": {
            "error_code": 6,
            "error_msg": "Слишком много запросов в секунду",
            "request_params": [{"key": "method", "value": "users.get"}, {"key": "v", "value": "5.199"}],
        }
    },
    "rate_limit",
    "VK API (Russian locale) answers 200 with an error object: too many requests per second",
)
PART.add(
    "ru-rezultat-neudacha",
    200,
    {"результат": "неудача", "причина": "доступ запрещен: недостаточно прав", "пользователь": "ivanov"},
    "auth_failure",
    "результат=неудача, reason 'access denied (ё written е): insufficient rights'",
)
PART.add(
    "ru-uspeshno-false-ne-najden",
    200,
    {"успешно": False, "сообщение": "Заказ № 48211 не найден"},
    "not_found",
    "успешно=false, 'order not found'",
)
PART.add(
    "ru-cp1251-neverny-parametr",
    200,
    '{"успех":false,"ошибка":"Неверный параметр: phone"}'.encode("cp1251"),
    "validation",
    "windows-1251 body: успех=false, 'invalid parameter: phone'",
    content_type="application/json; charset=windows-1251",
)
PART.add(
    "ru-uspeshno-true",
    200,
    {"успешно": True, "сообщение": "Платёж проведён", "данные": {"id": "pay_31337", "сумма": 1500, "валюта": "RUB"}},
    None,
    "успешно=true, 'payment processed'",
)
PART.add(
    "ru-trap-oshibki-nol",
    200,
    {"статус": "завершено", "обработано": 120, "ошибки": 0, "предупреждения": 2},
    None,
    "import job статус=завершено with ошибки=0: completed without errors",
    trap=True,
    holdout=True,
)
PART.add(
    "ru-403-nedostatochno-sredstv",
    403,
    {"error": "Недостаточно средств на балансе для отправки"},
    "payment",
    "403 whose body says insufficient funds on the balance: payment is more specific than auth",
)
