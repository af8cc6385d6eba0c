"""Layers only point down (docs/components.md): checked on the imports the code really has.

``cli -> service, components -> receivers/processors/exporters/extensions -> component, telemetry,
kernel, protocols -> config, model``.  A component type's package imports no other component
type's package (they meet through declared interfaces), and validating a configuration loads no
component implementation.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "otel_ebpf"

# What each top-level part may import from otel_ebpf (itself always).
ALLOWED = {
    "model": {"kernel"},  # the TCP flow records' numbers
    "config": set(),
    "kernel": set(),
    "protocols": {"model"},
    "telemetry": {"model", "protocols"},
    "component": {"model", "config"},
    "receivers": {"component", "config", "model", "telemetry", "kernel", "protocols"},
    "breaker": {"component", "config", "model", "telemetry"},
    "processors": {"component", "config", "model", "telemetry", "breaker"},
    "exporters": {"component", "config", "model", "telemetry"},
    "extensions": {"component", "config", "model", "telemetry"},
    "service": {"component", "config", "model", "telemetry"},
}
COMPONENT_KINDS = ("receivers", "processors", "exporters", "extensions")


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "otel_ebpf" else None


def _imports(path: Path) -> list[str]:
    """Every otel_ebpf module a file imports (relative imports resolved), at any depth of the file."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return [m for m in found if m == "otel_ebpf" or m.startswith("otel_ebpf.")]


def _source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_part_imports_only_the_layers_below_it():
    wrong = []
    for path in _source_files():
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) == 1:
            continue  # cli, components, preflight, ...: the top, they may use anything below them
        part = rel.parts[0]
        allowed = ALLOWED[part] | {part}
        for module in _imports(path):
            target = _part(module)
            if target is None or target in allowed:
                continue
            # The package root's constants (version, BPF_DIR, CONFIG_DIR) are for everyone.
            if module in ("otel_ebpf", "otel_ebpf.__version__", "otel_ebpf.BPF_DIR", "otel_ebpf.CONFIG_DIR"):
                continue
            wrong.append(f"{rel}: imports {module}")
    assert not wrong, "\n".join(wrong)


def test_no_component_type_imports_another_one():
    wrong = []
    for path in _source_files():
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) < 3 or rel.parts[0] not in COMPONENT_KINDS:
            continue
        own = tuple(rel.parts[:2])
        for module in _imports(path):
            parts = module.split(".")
            if len(parts) < 3 or parts[1] not in COMPONENT_KINDS:
                continue
            target = tuple(parts[1:3])
            shared = target[1].endswith(".py") or (PACKAGE / target[0] / f"{target[1]}.py").exists()
            if target != own and not shared and target[1] != "helper":
                wrong.append(f"{rel}: imports {module}")
    assert not wrong, "\n".join(wrong)


def test_config_imports_no_component_module():
    wrong = [
        f"{path.relative_to(PACKAGE)}: imports {module}"
        for path in sorted((PACKAGE / "config").glob("*.py"))
        for module in _imports(path)
        if _part(module) not in (None, "config") and module != "otel_ebpf.CONFIG_DIR" and module != "otel_ebpf"
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("config", ["", "config/examples/otlp.yaml"])
def test_validating_loads_no_implementation(config):
    """What `otel-ebpf validate` imports: the factories and the config machinery, no runtime."""
    args = ["--config", str(ROOT / config)] if config else []
    code = (
        "import sys, json\n"
        "from otel_ebpf import cli\n"
        f"rc = cli.main(['validate', *{args!r}])\n"
        "print(json.dumps({'rc': rc, 'modules': sorted(sys.modules)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0, out
    modules = result["modules"]
    heavy = [m for m in modules if m.split(".")[0] in ("grpc", "google", "opentelemetry", "bcc", "urllib3")]
    assert not heavy, heavy
    ours = [m for m in modules if m.startswith("otel_ebpf.")]
    kinds = [m for m in ours if _part(m) in COMPONENT_KINDS]
    implementation = [
        m for m in kinds if not m.endswith((".factory", ".schema", ".config", ".checks")) and m.count(".") > 2
    ]
    allowed = {
        "otel_ebpf.processors.status_claims",
        "otel_ebpf.processors.semantic_errors.rules",
        "otel_ebpf.processors.semantic_errors.lexicon",  # the rules' words: data, no code
        "otel_ebpf.processors.semantic_errors.phrases",  # more of them, in more languages
    }
    assert not [m for m in implementation if m not in allowed], implementation
    assert not [m for m in ours if _part(m) in ("service", "kernel", "protocols")], ours
