"""Factory of the ``slo`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

import os

from otel_ebpf.component import METRICS, PROCESSORS, Claim, Factory
from otel_ebpf.config.checks import HostProblem, output_file_problems
from otel_ebpf.processors.slo.config import SLO_SCHEMA, STATUS_PATH
from otel_ebpf.processors.status_claims import status_claims


def _claims(config: dict) -> list[Claim]:
    claims = status_claims(config["endpoint"], STATUS_PATH)
    if config["state_file"]:  # two writers would overwrite each other's budgets
        claims.append(Claim(f"file {os.path.abspath(config['state_file'])}"))
    return claims


def _check_host(config: dict, signals, environ) -> list[HostProblem]:
    # Written only when there are objectives; missing directories are created then.
    if not config["state_file"] or not config["objectives"]:
        return []
    return output_file_problems(
        "state_file",
        config["state_file"],
        creates_directories=True,
        consequence="budgets would restart full at every start",
    )


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.slo.processor import SloProcessor

    processor = SloProcessor(config, next_consumer=next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS,
    "slo",
    (METRICS,),
    "SLO error budgets, burn rates, alerts and exemplars",
    _create,
    schema=SLO_SCHEMA,
    claims=_claims,
    check_host=_check_host,
)
