"""The SLO state file: counts survive an agent restart, so the budget does not reset to full.

One JSON document, written atomically (temporary file + rename) every evaluation interval
when something changed and at shutdown.  An objective's stored counts are used again only
if its fingerprint (SLI, threshold, selectors) is unchanged; a changed target reuses them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from otel_ebpf.processors.slo.objective import Objective

log = logging.getLogger("otel_ebpf.slo")
VERSION = 1


def save(path: str, objectives: list[Objective]) -> None:
    """Writes every objective's counts; raises OSError on failure."""
    document = {
        "version": VERSION,
        "saved_unix": time.time(),
        "objectives": {
            o.name: {
                "fingerprint": o.fingerprint,
                "created": o.created,
                "good_total": o.good_total,
                "bad_total": o.bad_total,
                "fine": o.fine.to_json(),
                "coarse": o.coarse.to_json(),
                "coarse_width": o.coarse.width,
            }
            for o in objectives
        },
    }
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(tmp, "w") as f:
        json.dump(document, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def load(path: str, objectives: list[Objective], now: float) -> int:
    """Restores the counts of matching objectives; returns how many were restored.

    A missing file is a first start; a corrupt one is logged and ignored (the budget starts full).
    """
    try:
        with open(path) as f:
            document = json.load(f)
    except FileNotFoundError:
        return 0
    except (OSError, ValueError) as exc:
        log.error("slo: cannot read state file %s (%s); budgets start full", path, exc)
        return 0
    if not isinstance(document, dict) or document.get("version") != VERSION:
        log.error("slo: state file %s has an unknown format; budgets start full", path)
        return 0
    stored = document.get("objectives") or {}
    restored = 0
    for objective in objectives:
        entry = stored.get(objective.name)
        if not isinstance(entry, dict):
            continue
        if entry.get("fingerprint") != objective.fingerprint:
            log.warning("slo: %s changed its definition; its stored counts are not reused", objective.name)
            continue
        try:
            objective.created = float(entry["created"])
            objective.good_total = int(entry["good_total"])
            objective.bad_total = int(entry["bad_total"])
            objective.fine.load(entry["fine"], now)
            if float(entry.get("coarse_width", objective.coarse.width)) == objective.coarse.width:
                objective.coarse.load(entry["coarse"], now)
            else:  # the window changed: rebuild the coarse buckets from the fine ones (what is left)
                for start, good, total in objective.fine.buckets:
                    objective.coarse.add(start, good, total)
        except (KeyError, TypeError, ValueError) as exc:
            log.error("slo: stored state of %s is damaged (%s); its budget starts full", objective.name, exc)
            continue
        restored += 1
    return restored
