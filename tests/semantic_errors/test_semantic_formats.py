"""Issue 12: bodies read as what they are (markup, text, forms, streams, charsets), the rule ids,
entity reads, batches and `disabled_rules` — what the corpus figures do not pin down one by one."""

from __future__ import annotations

import gzip
import json

import pytest

from otel_ebpf.processors.semantic_errors.classifier import NONE, Classifier, expects_data, is_error_title
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor
from otel_ebpf.processors.semantic_errors.readers import read_body, sniff_charset
from otel_ebpf.processors.semantic_errors.rules import RULE_IDS, RuleSet, default_config, validate_config
from tests.semantic_errors.test_semantic_processor import exchange

JSON = {"content-type": "application/json"}
DEFAULT = Classifier(RuleSet(default_config()))


def judge(body: bytes | str, content_type: str | None = "application/json", **kwargs):
    data = body.encode() if isinstance(body, str) else body
    headers = {} if content_type is None else {"content-type": content_type}
    headers.update(kwargs.pop("headers", {}))
    v = DEFAULT.classify(200, headers, data, kwargs.pop("truncated", False), **kwargs)
    return v.type, v.rule


# -- JSON however it is delivered ------------------------------------------------------------------

FAILURE = '{"success": false, "error": {"code": "rate_limited", "message": "Too many requests"}}'


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (FAILURE, "text/plain"),
        (FAILURE, "text/html; charset=utf-8"),
        (FAILURE, None),
        (FAILURE, "application/octet-stream"),
        (")]}'\n" + FAILURE, "application/json"),
        ("while(1);" + FAILURE, "application/json"),
        ("for (;;);" + FAILURE, "text/javascript"),
        ("&&&START&&&" + FAILURE + "&&&END&&&", "application/json"),
        ("\ufeff" + FAILURE, "application/json"),
        ("\n\n  " + FAILURE, "application/json"),
        ("callback(" + FAILURE + ");", "application/javascript"),
        ("/**/ typeof cb === 'function' && cb(" + FAILURE + ");", "text/javascript"),
    ],
)
def test_json_is_read_behind_prefixes_and_content_type_lies(body, content_type):
    assert judge(body, content_type) == ("rate_limit", "json.success_flag")


def test_utf16_with_a_bom_and_charsets_declared_or_sniffed():
    assert judge(FAILURE.encode("utf-16"), "application/json")[0] == "rate_limit"
    doc = {"结果": "失败", "消息": "余额不足"}
    for charset in ("gbk", "gb18030"):
        data = json.dumps(doc, ensure_ascii=False).encode(charset)
        assert judge(data, f"application/json; charset={charset}") == ("payment", "json.status_word")
        assert judge(data, "application/json") == ("payment", "json.status_word")  # sniffed
        assert judge(gzip.compress(data), "application/json", headers={"content-encoding": "gzip"})[0] == "payment"
    sjis = json.dumps({"結果": "エラー", "メッセージ": "残高不足です"}, ensure_ascii=False).encode("shift_jis")
    assert judge(sjis, "application/json") == ("payment", "json.status_word")
    latin = '{"estado": "error", "mensaje": "El parámetro fecha no es válido"}'.encode("latin-1")
    assert judge(latin, "application/json") == ("validation", "json.status_word")


def test_sniffing_keeps_utf8_and_a_utf8_character_cut_by_the_capture():
    assert sniff_charset("échec".encode()) is None
    assert sniff_charset("失败".encode()[:-1]) is None
    assert sniff_charset("échec".encode("latin-1")) == "cp1252"


# -- markup ------------------------------------------------------------------------------------------

SOAP11 = """<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Invalid API key</faultstring>
</soap:Fault></soap:Body></soap:Envelope>"""
SOAP12 = """<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">Quota exceeded
</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"""
XMLRPC = """<?xml version="1.0"?><methodResponse><fault><value><struct>
<member><name>faultCode</name><value><int>403</int></value></member>
<member><name>faultString</name><value><string>Incorrect username or password.</string></value></member>
</struct></value></fault></methodResponse>"""


def test_soap_and_xml_rpc_faults():
    assert judge(SOAP11, "text/xml; charset=utf-8") == ("auth_failure", "xml.fault")
    assert judge(SOAP12, "application/soap+xml") == ("rate_limit", "xml.fault")
    assert judge(XMLRPC, "text/xml") == ("auth_failure", "xml.fault")
    # Every Value (the code and its subcode) and every Text (each language) is read.
    subcode = SOAP12.replace(
        "<env:Value>env:Sender</env:Value>",
        "<env:Value>env:Sender</env:Value><env:Subcode><env:Value>crm:CustomerNotFound</env:Value></env:Subcode>",
    ).replace("Quota exceeded", "Nope")
    assert judge(subcode + "", "application/soap+xml") == ("not_found", "xml.fault")


def test_xml_error_documents_and_their_successes():
    s3 = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>X</RequestId></Error>"
    assert judge(s3, "application/xml") == ("auth_failure", "xml.error_member")
    ebay = "<AddItemResponse><Ack>Failure</Ack><Errors><ShortMessage>Duplicate listing</ShortMessage></Errors>"
    assert judge(ebay + "</AddItemResponse>", "text/xml") == ("conflict", "xml.status_word")
    warning = "<AddItemResponse><Ack>Warning</Ack><Errors><SeverityCode>Warning</SeverityCode></Errors>"
    assert judge(warning + "<ItemID>1</ItemID></AddItemResponse>", "text/xml") == (None, "")
    assert judge("<r><ErrorCount>0</ErrorCount><Errors/></r>", "text/xml") == (None, "")
    # Cut by the capture: what parsed before the cut is read.
    assert judge("<response><status>error</status><message>Invalid sign", "text/xml", truncated=True)[1] == (
        "xml.status_word"
    )


LOGIN = """<!doctype html><html><head><title>Sign in</title></head><body><form method="post">
<input name="user"><input type="password" name="pw"></form></body></html>"""


def test_a_login_page_fails_a_call_that_asked_for_data_not_a_browser():
    assert judge(LOGIN, "text/html", expects_data=True) == ("auth_failure", "html.login_page")
    assert judge(LOGIN, "text/html", expects_data=False) == (None, "")
    assert expects_data({"accept": "application/json"}, "/login")
    assert not expects_data({"accept": "text/html,application/xhtml+xml"}, "/api/login")
    assert expects_data({}, "/api/v2/orders") and expects_data({}, "/v1/charges")
    assert not expects_data({"accept": "*/*"}, "/login")


@pytest.mark.parametrize(
    ("title", "error_page"),
    [
        ("500 Internal Server Error", True),
        ("Error 404 (Not Found)!!1", True),
        ("Oops! Something went wrong | Acme", True),
        ("Access Denied", True),
        ("Seite nicht gefunden", True),
        ("系统错误", True),
        ("Error codes reference", False),
        ("How we handle errors", False),
        ("Errors | Stripe API Reference", False),
        ("Sign in", False),
        ("Pricing | Acme", False),
    ],
)
def test_an_error_page_title_is_not_a_page_about_errors(title, error_page):
    assert is_error_title(title) is error_page


def test_html_pages():
    page = "<html><head><title>{}</title></head><body><h1>{}</h1></body></html>"
    assert judge(page.format("429 Too Many Requests", "Slow down"), "text/html") == ("rate_limit", "html.error_page")
    assert judge(page.format("Widgets", "Widgets"), "text/html") == (None, "")
    php = "<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] in /var/www/db.php:31"
    assert judge(php, "text/html") == ("generic_business_error", "html.error_page")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ERROR: invalid api key", ("auth_failure", "text.error_line")),
        ("FAIL", ("generic_business_error", "text.error_line")),
        ("-ERR invalid password", ("auth_failure", "text.error_line")),
        ("NG", ("generic_business_error", "text.error_line")),
        ("该手机号已注册，请直接登录", ("conflict", "text.error_line")),  # a short message naming a failure
        ("OK", (None, "")),
        ("OK - 0 errors", (None, "")),
        ("2024-06-01 12:00:01 ERROR worker crashed\n2024-06-01 12:00:02 INFO restarted\n", (None, "")),
        ("id,status\n1,failed\n", (None, "")),
    ],
)
def test_plain_text(body, expected):
    assert judge(body, "text/plain") == expected


def test_forms_and_name_value_pairs():
    oauth = "error=invalid_grant&error_description=Refresh+token+expired"
    assert judge(oauth, "application/x-www-form-urlencoded") == ("auth_failure", "form.error_member")
    assert judge("access_token=abc&token_type=bearer&expires_in=3600", "application/x-www-form-urlencoded")[0] is None
    nvp = "ACK=Failure&L_ERRORCODE0=10417&L_SHORTMESSAGE0=Transaction+cannot+complete&L_LONGMESSAGE0=Declined"
    assert judge(nvp, "text/plain") == ("payment", "form.status_word")
    assert judge("ACK=SuccessWithWarning&L_ERRORCODE0=11607", "text/plain") == (None, "")
    assert judge("result: fail\nreason: unknown recipient\n", "text/plain") == ("not_found", "form.status_word")


# -- streams -----------------------------------------------------------------------------------------


def test_sse_and_ndjson_streams_end_in_failure_when_their_last_word_is_one():
    sse = 'data: {"delta": "Hel"}\n\nevent: error\ndata: Rate limit reached for requests\n\n'
    assert judge(sse, "text/event-stream") == ("rate_limit", "stream.error_member")
    openai = 'data: {"error": {"message": "Rate limit reached", "type": "requests"}}\n\n'
    assert judge(openai, "text/event-stream") == ("rate_limit", "stream.error_member")
    ollama = '{"status": "pulling manifest"}\n{"error": "pull model manifest: file does not exist"}\n'
    assert judge(ollama, "application/x-ndjson") == ("not_found", "stream.error_member")
    ordinary = '{"id": 1, "success": false}\n{"id": 2, "success": true}\n'  # a record's own outcome: data
    assert judge(ordinary, "application/x-ndjson") == (None, "")
    logs = '{"level": "error", "msg": "disk full"}\n{"level": "info", "msg": "ok"}\n'
    assert judge(logs, "application/x-ndjson") == (None, "")


# -- nesting, entities, batches ----------------------------------------------------------------------


def test_failures_below_the_top_and_in_wrappers():
    assert judge('{"result": {"status": "FAILED", "reason": "Insufficient balance"}}')[0] == "payment"
    tencent = '{"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "expired"}, "RequestId": "x"}}'
    assert judge(tencent) == ("auth_failure", "json.error_member")
    assert judge('{"Response": {"RequestId": "x", "TotalCount": 3, "InstanceSet": []}}') == (None, "")
    alipay = '{"alipay_trade_pay_response": {"code": "40004", "msg": "Business Failed", "sub_msg": "余额不足"}}'
    assert judge(alipay) == ("payment", "json.error_code")
    assert judge('{"alipay_trade_pay_response": {"code": "10000", "msg": "Success"}}') == (None, "")
    gql = '{"data": {"createUser": {"user": null, "userErrors": [{"message": "Email has already been taken"}]}}}'
    assert judge(gql) == ("conflict", "json.error_member")
    asmx = json.dumps({"d": json.dumps({"status": "error", "message": "invalid date"})})
    assert judge(asmx)[1] == "json.status_word"


def test_an_entity_read_in_a_failed_state_is_data_an_action_answered_with_one_is_not():
    charge = '{"id": "ch_1", "object": "charge", "status": "failed", "failure_code": "card_declined"}'
    assert judge(charge, reads=True) == (None, "")
    assert judge(charge, reads=False) == ("payment", "json.status_word")
    intent = '{"id": "pi_1", "status": "requires_payment_method", "last_payment_error": {"code": "card_declined"}}'
    assert judge(intent, reads=False) == ("payment", "json.entity_state")


def test_batches_fail_when_every_item_failed_and_count_partial_failures():
    rpc = [{"jsonrpc": "2.0", "id": i, "error": {"code": -32602, "message": "Invalid params"}} for i in range(3)]
    assert judge(json.dumps(rpc)) == ("validation", "json.batch")
    bulk = {"took": 3, "errors": True, "items": [{"index": {"status": 409, "error": {"type": "version_conflict"}}}]}
    assert judge(json.dumps(bulk)) == ("conflict", "json.batch")
    rpc[1] = {"jsonrpc": "2.0", "id": 1, "result": 7}
    v = DEFAULT.classify(200, JSON, json.dumps(rpc).encode())
    assert (v.kind, v.rule, v.failed_items, v.items) == ("none", "json.batch", 2, 3)
    x = exchange(200, json.dumps(rpc).encode())
    SemanticErrorsProcessor({}).process([x])
    assert x.attributes == {"otel_ebpf.error.failed_items": 2, "otel_ebpf.error.items": 3}
    assert x.status_override is None
    # A list a GET reads is entities, whatever their state.
    charges = [{"id": f"ch_{i}", "status": "failed"} for i in range(3)]
    assert judge(json.dumps(charges), reads=True) == (None, "")


def test_validators_and_dry_runs_answer_with_errors_as_data():
    assert judge('{"valid": false, "errors": [{"path": "/email", "message": "is required"}]}') == (None, "")
    assert judge('{"dry_run": true, "errors": ["row 3: unknown sku"]}') == (None, "")


# -- rule ids and disabled_rules ---------------------------------------------------------------------


def test_every_rule_id_is_documented_and_disabled_rules_are_checked():
    from otel_ebpf.processors import semantic_errors

    for rule in RULE_IDS:
        signal = rule.split(".", 1)[1]
        assert f"``{signal}``" in semantic_errors.__doc__ or f"``{rule}``" in semantic_errors.__doc__, rule
    config = default_config()
    config["disabled_rules"] = ["html.*", "json.entity_state"]
    assert validate_config(config) == []
    config["disabled_rules"] = ["json.no_such_rule"]
    assert validate_config(config) == [
        f"disabled_rules: 'json.no_such_rule' names no rule (rules: {', '.join(RULE_IDS)})"
    ]


def test_disabled_rules_globally_and_per_route():
    config = default_config()
    config["disabled_rules"] = ["text.*"]
    c = Classifier(RuleSet(config))
    assert c.classify(200, {"content-type": "text/plain"}, b"ERROR: invalid api key") is NONE
    p = SemanticErrorsProcessor({"routes": [{"match": "/payments/*", "disabled_rules": ["json.entity_state"]}]})
    declined = b'{"id": "py_1", "status": "declined"}'
    on_route, elsewhere = exchange(200, declined, route="/payments/{id}"), exchange(200, declined, route="/orders")
    p.process([on_route, elsewhere])
    assert "otel_ebpf.error.type" not in on_route.attributes
    assert elsewhere.attributes["otel_ebpf.error.rule"] == "json.entity_state"


def test_the_json_pre_check_never_hides_a_signal_the_full_reading_finds():
    # Bodies without a word of the rules skip the parse; with one (as a name or a value), or with
    # escapes and other bytes, they are read in full.
    assert judge('{"id": 7, "name": "widget", "price": 9.99}') == (None, "")
    assert judge('{"id": 7, "state": "FAILED"}')[1] == "json.status_word"
    assert judge('{"result": "\\u5931\\u8d25"}')[1] == "json.status_word"  # 失败, escaped
    assert judge('{"__type": "com.amazonaws#ThrottlingException", "message": "Rate exceeded"}') == (
        "rate_limit",
        "json.vendor_error",
    )
    config = default_config()
    config["status_fields"] = ["etat_commande"]
    config["status_words"] = ["bounced"]
    c = Classifier(RuleSet(config))
    assert c.classify(200, JSON, b'{"etatCommande": "BOUNCED"}').rule == "json.status_word"


def test_a_body_read_as_each_format_never_raises():
    for content_type in ("text/xml", "text/html", "text/plain", "text/event-stream", "application/x-ndjson", None):
        for body in (b"<", b"<a><b", b"<!doctype html><title>", b"data:", b"event: error\n", b"{", b"\xff\xfe\x00",
                     b"=&=&", b"a: b\n:", b"<?xml version='1.0' encoding='bogus'?><a/>"):  # fmt: skip
            read_body(content_type, body, False)
            DEFAULT.classify(200, {} if content_type is None else {"content-type": content_type}, body)


def test_a_failure_whose_body_names_no_type_takes_the_type_the_path_names():
    p = SemanticErrorsProcessor({})
    charge = exchange(200, b"DENIED", headers={"content-type": "text/plain"}, route="/v1/charges")
    login = exchange(200, b"BLOCKED", headers={"content-type": "text/plain"}, route="/auth/login")
    other = exchange(200, b"FAIL", headers={"content-type": "text/plain"}, route="/v1/reports")
    page = exchange(200, b"<title>500 Internal Server Error</title>", headers={"content-type": "text/html"},
                    route="/v1/payments")  # fmt: skip
    p.process([charge, login, other, page])
    assert charge.attributes["otel_ebpf.error.type"] == "payment"
    assert login.attributes["otel_ebpf.error.type"] == "auth_failure"
    assert other.attributes["otel_ebpf.error.type"] == "generic_business_error"
    # An error page says the service failed, not what was refused: the path does not type it.
    assert page.attributes["otel_ebpf.error.type"] == "generic_business_error"


def test_standards_that_answer_errors_their_own_way():
    # HL7 v2: the acknowledgement's MSA segment, AA accepted, AE/AR an error or a reject.
    ack = "MSH|^~\\&|LAB|C|EHR|C|20240604||ACK^R01|1|P|2.5.1\rMSA|{}|ORU1|Required field missing: PID-3\r"
    assert judge(ack.format("AE"), "x-application/hl7-v2+er7") == ("validation", "text.error_line")
    assert judge(ack.format("AA"), "x-application/hl7-v2+er7") == (None, "")
    # FHIR: an OperationOutcome with an issue of severity error (JSON, or XML's value attributes).
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "duplicate",
                                                              "diagnostics": "Patient already exists"}]}  # fmt: skip
    assert judge(json.dumps(outcome), "application/fhir+json") == ("conflict", "json.vendor_error")
    outcome["issue"][0]["severity"] = "information"
    assert judge(json.dumps(outcome), "application/fhir+json") == (None, "")
    xml = ('<OperationOutcome xmlns="http://hl7.org/fhir"><issue><severity value="error"/><code value="expired"/>'
           '<diagnostics value="Token expired"/></issue></OperationOutcome>')  # fmt: skip
    assert judge(xml, "application/fhir+xml") == ("auth_failure", "xml.vendor_error")
    # ISO 20022: a payment status report rejecting the group.
    pain = ("<Document><CstmrPmtStsRpt><GrpHdr><MsgId>1</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>A</OrgnlMsgId>"
            "<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>"
            "</CstmrPmtStsRpt></Document>")  # fmt: skip
    assert judge(pain, "application/xml", reads=False) == ("payment", "xml.status_word")


def test_batch_items_with_an_http_status_of_their_own_and_flags_that_say_failure_when_true():
    arm = {"responses": [{"httpStatusCode": 429, "content": {"error": {"message": "Too many requests"}}}] * 2}
    assert judge(json.dumps(arm), reads=False) == ("rate_limit", "json.batch")
    arm["responses"][1] = {"httpStatusCode": 200, "content": {"id": "x"}}
    assert judge(json.dumps(arm), reads=False) == (None, "json.batch")  # one of two: a partial success
    assert judge('{"refund": {"id": 7, "is_declined": true, "reason": "insufficient balance"}}', reads=False)[0] == (
        "payment"
    )
    assert judge('{"id": 7, "is_declined": true}', reads=True) == (None, "")  # a GET reads its state
