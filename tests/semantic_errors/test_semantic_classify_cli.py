"""`otel-ebpf classify`: JSON lines in, one verdict per line out, in order."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

from otel_ebpf.classify_cli import classify_main, to_exchange
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor
from tests.semantic_errors.test_semantic_corpus import CORPUS, load_corpus

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "otel_ebpf.classify_cli", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_corpus_file_through_the_command():
    proc = run_cli(str(CORPUS))
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    entries = load_corpus()
    assert [o["id"] for o in out] == [e["id"] for e in entries]
    for o in out:
        assert set(o) >= {"business_error", "kind", "error_type", "severity"}
        assert o["business_error"] == (o["kind"] == "business")
    # The command says what the processor says, line for line (the corpus's figures are
    # test_semantic_corpus's), rule included.
    processor = SemanticErrorsProcessor({})
    for o, e in zip(out, entries, strict=True):
        v = processor.classify(to_exchange(e))
        assert (o["kind"], o["error_type"], o["severity"], o.get("rule")) == (
            v.kind,
            v.type,
            v.severity,
            v.rule or None,
        )


def test_stdin_mixed_good_and_bad_lines_keep_their_order():
    raw = base64.b64encode(b"HTTP/1.1 402 Payment Required\r\nContent-Length: 0\r\n\r\n").decode()
    lines = [
        json.dumps({"status": 200, "headers": {"Content-Type": "application/json"}, "body": '{"ok": false}'}),
        "this is not json",
        "",
        json.dumps({"raw": raw}),
        json.dumps({"raw": "%%%"}),
        json.dumps({"status": "200"}),
        json.dumps({"status": None, "error_type": "timeout"}),
        json.dumps({"raw": base64.b64encode(b"SSH-2.0-OpenSSH\r\n").decode()}),
    ]
    proc = run_cli(stdin="\n".join(lines) + "\n")
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 7  # the blank line is not an input
    assert out[0] == {"business_error": True, "kind": "business", "error_type": "generic_business_error",
                      "severity": "medium", "detail": "ok", "rule": "json.success_flag"}  # fmt: skip
    assert out[1]["error"].startswith("not JSON") and out[1]["business_error"] is False
    assert (out[2]["kind"], out[2]["error_type"], out[2]["severity"]) == ("business", "payment", "critical")
    assert out[3]["error"] == "raw: not valid base64"
    assert out[4]["error"].startswith("status:")
    assert (out[5]["kind"], out[5]["error_type"], out[5]["business_error"]) == ("system", "timeout", False)
    assert out[6]["error"].startswith("raw: not an HTTP/1.x response")


def test_config_rules_apply(tmp_path):
    config = tmp_path / "agent.yaml"
    config.write_text(
        "processors:\n"
        "  batch: {}\n"
        "  semantic_errors/shop:\n"
        "    keywords: {inventory: [out of stock]}\n"
        "    routes:\n"
        "      - {match: '/jobs/*', ignore_fields: [status]}\n"
    )
    lines = [
        {"status": 200, "body": '{"success": false, "message": "Out of stock"}'},
        {"status": 200, "body": '{"status": "failed"}', "route": "/jobs/{id}"},
        {"status": 200, "body": '{"status": "failed"}', "path": "/orders/1"},
    ]
    out = io.StringIO()
    code = classify_main(["--config", str(config)], io.StringIO("\n".join(map(json.dumps, lines))), out)
    assert code == 0
    verdicts = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [v["error_type"] for v in verdicts] == ["inventory", None, "generic_business_error"]


def test_invalid_config_and_missing_file_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("semantic_errors_typo: 1\n")
    proc = run_cli("--config", str(bad), stdin="")
    assert proc.returncode == 2 and "semantic_errors_typo: unknown key" in proc.stderr
    proc = run_cli(str(tmp_path / "nope.jsonl"))
    assert proc.returncode == 2 and "No such file" in proc.stderr
