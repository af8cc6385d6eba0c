"""The ``otel-ebpf`` command line: run the agent, check its config and its machine.

Exit codes: 0 success; 1 the agent cannot run (missing privileges, failed preflight,
runtime failure); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from otel_ebpf import __version__

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}

MAIN_EPILOG = """\
examples:
  otel-ebpf check                          # can the agent run here? (privileges, kernel, bcc)
  sudo otel-ebpf run                       # capture HTTP on this host, print spans and metrics
  OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 sudo -E otel-ebpf run
                                           # ... and send them to a Collector over OTLP/HTTP
  otel-ebpf validate --config agent.yaml   # check a config file without running
  otel-ebpf print-config --config agent.yaml
                                           # the config with every default filled in
  otel-ebpf breaker --backend http://127.0.0.1:8000 --service shop
                                           # shed load from endpoints the health score calls degraded
  otel-ebpf <command> -h                   # help and examples for one command
"""

RUN_EPILOG = """\
examples:
  sudo otel-ebpf run                                   # the embedded default: every process, debug output
  sudo otel-ebpf run --config agent.yaml               # your configuration
  sudo otel-ebpf run --config base.yaml --config prod.yaml
                                                       # merged: later files win, lists are replaced
  sudo OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 otel-ebpf run
                                                       # default config plus an otlp_http exporter
  sudo OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 otel-ebpf run
                                                       # ... or the otlp (gRPC) exporter

environment (see otel_ebpf/config/env.py):
  OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS, _CERTIFICATE, ...   OTLP exporter settings
  OTEL_METRIC_EXPORT_INTERVAL   milliseconds between metric exports (default 60000)
  OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_SDK_DISABLED        the agent's own telemetry

needs root, or the ambient capabilities CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH (+ CAP_SYS_PTRACE):
`otel-ebpf check` tells what is missing; docs/reference.md §5.3 has a systemd unit and a capsh line.
"""

VALIDATE_EPILOG = """\
examples:
  otel-ebpf validate --config agent.yaml               # "config OK: ..." and exit 0, or every error and exit 2
  otel-ebpf validate --config base.yaml --config prod.yaml
  otel-ebpf validate                                   # the embedded default
  TOKEN=x otel-ebpf validate --config agent.yaml       # with the variables it references set
"""

PRINT_CONFIG_EPILOG = """\
examples:
  otel-ebpf print-config                               # the embedded default, resolved
  otel-ebpf print-config --config agent.yaml > full.yaml
  otel-ebpf print-config --config agent.yaml --unredacted
                                                       # show secrets (exporter headers) too

Durations are shown in seconds (200ms -> 0.2); the output is a valid config file.
"""

COMPONENTS_EPILOG = """\
examples:
  otel-ebpf components                                 # every receiver, processor, exporter type
"""

CHECK_EPILOG = """\
examples:
  sudo otel-ebpf check                                 # exit 0 when the agent can run, 1 otherwise
  capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c 'otel-ebpf check'
                                                       # what an unprivileged container would see
  sudo capsh --caps="cap_setpcap,cap_setuid,cap_setgid+ep cap_bpf,cap_perfmon,cap_dac_read_search+eip" \
    --keep=1 --user=nobody --addamb=cap_bpf,cap_perfmon,cap_dac_read_search -- -c 'otel-ebpf check'
                                                       # a user with just the capabilities it needs

statuses: ok, warn (works, with a caveat), FAIL (the agent cannot run), info (nothing to do).
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``otel-ebpf`` and its subcommands."""
    verbose = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a subcommand's unset -v from overwriting one given before the subcommand.
    verbose.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log at DEBUG level")

    parser = argparse.ArgumentParser(
        prog="otel-ebpf",
        description="Zero-code observability: HTTP captured with eBPF, exported as OpenTelemetry.",
        epilog=MAIN_EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"otel-ebpf {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", default=False, help="log at DEBUG level")
    commands = parser.add_subparsers(dest="command", metavar="<command>")
    commands.required = True

    def command(name: str, help_text: str, epilog: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help_text, description=help_text, epilog=epilog, parents=[verbose], formatter_class=_formatter
        )

    def config_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--config",
            action="append",
            metavar="FILE",
            default=[],
            help="configuration file (repeatable: merged in order); default: the embedded default",
        )

    run = command("run", "run the agent", RUN_EPILOG)
    config_option(run)
    validate = command("validate", "check a configuration and exit", VALIDATE_EPILOG)
    config_option(validate)
    print_config = command("print-config", "print the resolved configuration as YAML", PRINT_CONFIG_EPILOG)
    config_option(print_config)
    print_config.add_argument("--unredacted", action="store_true", help="show secrets such as exporter headers")
    command("components", "list the known component types", COMPONENTS_EPILOG)
    command("check", "check that this machine can run the agent", CHECK_EPILOG)
    # The classifier parses its own arguments (-h included): this parser only names the command.
    classify = commands.add_parser(
        "classify",
        help="classify sample HTTP responses with the semantic_errors rules",
        add_help=False,
        formatter_class=_formatter,
    )
    classify.add_argument("file", nargs="?", metavar="FILE", help="JSON lines to read (default: stdin)")
    # The breaker proxy parses its own arguments too.
    commands.add_parser(
        "breaker",
        help="a circuit-breaking reverse proxy driven by the agent's health score (no privileges)",
        add_help=False,
        formatter_class=_formatter,
    )
    return parser


def _load(paths: list[str]):
    """The config, or None after printing its errors (the caller exits with EXIT_USAGE)."""
    from otel_ebpf import components  # noqa: PLC0415 - keeps --help fast
    from otel_ebpf.config import ConfigError  # noqa: PLC0415

    registry = components.registry()
    for problem in registry.problems:
        print(f"otel-ebpf: warning: {problem}", file=sys.stderr)
    try:
        config = components.load_config(paths or None, registry_=registry)
    except ConfigError as exc:
        where = ", ".join(paths) if paths else "the embedded default"
        print(f"otel-ebpf: invalid configuration ({where}):", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        for warning in exc.warnings:
            print(f"otel-ebpf: warning: {warning}", file=sys.stderr)
        return None
    for warning in config.warnings:
        print(f"otel-ebpf: warning: {warning}", file=sys.stderr)
    return config


def _setup_logging(level: int) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)


def cmd_run(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_USAGE
    _setup_logging(logging.DEBUG if args.verbose else _LEVELS.get(config.log_level, logging.INFO))
    if _uses_ebpf(config):
        from otel_ebpf import preflight  # noqa: PLC0415

        blockers = preflight.capture_blockers()
        # Fail fast with the reason rather than with a bcc/perf_event_open EPERM later.
        for blocker in blockers:
            print(f"otel-ebpf: cannot capture: {blocker.name}: {blocker.detail}", file=sys.stderr)
            print(f"  fix: {blocker.fix}", file=sys.stderr)
        if blockers:
            return EXIT_FAILURE
    # Imported here: validate, check and classify need none of the agent's imports.
    service = importlib.import_module("otel_ebpf.service")
    try:
        return int(service.run(config) or 0)
    except KeyboardInterrupt:
        return 130


def _uses_ebpf(config) -> bool:
    return any(config.registry.of_id("receivers", r).needs_bpf for p in config.pipelines.values() for r in p.receivers)


def cmd_validate(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_USAGE
    count = len(config.pipelines)
    print(f"config OK: {count} pipeline{'s' if count != 1 else ''} ({config.source})")
    for line in config.summary().splitlines():
        print(f"  {line}")
    return EXIT_OK


def cmd_print_config(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_USAGE
    note = "secrets shown" if args.unredacted else "secrets redacted"
    sys.stdout.write(f"# otel-ebpf resolved configuration from {config.source} ({note})\n")
    sys.stdout.write(config.to_yaml(redact=not args.unredacted))
    return EXIT_OK


def render_components(stream: TextIO) -> None:
    """Writes the registered component types, per kind, with their signals and aliases."""
    from otel_ebpf import components  # noqa: PLC0415
    from otel_ebpf.config import KINDS  # noqa: PLC0415

    registry = components.registry()
    for kind in KINDS:
        stream.write(f"{kind}:\n")
        types = registry.types(kind)
        if not types:
            stream.write("  (none)\n")
        for ctype in types:
            aliases = f" (also: {', '.join(ctype.aliases)})" if ctype.aliases else ""
            stream.write(f"  {ctype.type:<22} {', '.join(ctype.signals):<22} {ctype.description}{aliases}\n")
    for problem in registry.problems:
        stream.write(f"not loaded: {problem}\n")


def cmd_components(args: argparse.Namespace) -> int:
    render_components(sys.stdout)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from otel_ebpf import preflight  # noqa: PLC0415

    return preflight.main()


def cmd_classify(args: argparse.Namespace, rest: list[str]) -> int:
    classify_cli = importlib.import_module("otel_ebpf.classify_cli")
    return int(classify_cli.classify_main(rest, sys.stdin, sys.stdout) or 0)


def _own_argv(argv: list[str], command: str) -> list[str]:
    """Everything after ``command``, verbatim: classify and breaker parse their own options."""
    return argv[argv.index(command) + 1 :]


def cmd_breaker(args: argparse.Namespace, rest: list[str]) -> int:
    breaker_cli = importlib.import_module("otel_ebpf.breaker_cli")
    return int(breaker_cli.breaker_main(rest) or 0)


COMMANDS = {
    "run": cmd_run,
    "validate": cmd_validate,
    "print-config": cmd_print_config,
    "components": cmd_components,
    "check": cmd_check,
}


OWN_ARGUMENTS = {"classify": cmd_classify, "breaker": cmd_breaker}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``otel-ebpf`` (and ``python -m otel_ebpf``); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command not in OWN_ARGUMENTS and unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.verbose:
        _setup_logging(logging.DEBUG)
    try:
        if args.command in OWN_ARGUMENTS:
            return OWN_ARGUMENTS[args.command](args, _own_argv(argv, args.command))
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        # `otel-ebpf print-config | head`: the reader left, not an error worth a traceback.  Point
        # stdout at /dev/null so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # The last resort: the known failures have messages of their own; this one still gets a
        # sentence and an exit code, and the traceback is for developers (-v).
        if args.verbose:
            traceback.print_exc()
        print(f"otel-ebpf: {args.command} failed: {_describe(exc)}", file=sys.stderr)
        if not args.verbose:
            print("  (otel-ebpf -v shows the traceback)", file=sys.stderr)
        return EXIT_FAILURE


def _describe(exc: BaseException) -> str:
    """``PermissionError: /path: permission denied``-style text: what an OSError names, else the message."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return f"{type(exc).__name__}: {where}{exc.strerror}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
