"""Config schema pieces every queued exporter shares, with the Collector's names and defaults."""

from __future__ import annotations

from otel_ebpf.config.checks import check_header_name, check_header_value
from otel_ebpf.config.schema import Bool, Duration, Int, Map, Number, Section, Str


def _check_tls(config: dict) -> list[tuple[str, str]]:
    if bool(config["cert_file"]) != bool(config["key_file"]):
        missing = "key_file" if config["cert_file"] else "cert_file"
        return [(missing, "cert_file and key_file go together (client certificate for mTLS)")]
    return []


def _check_retry(config: dict) -> list[tuple[str, str]]:
    if config["initial_interval"] > config["max_interval"]:
        return [("initial_interval", "must not exceed max_interval")]
    return []


# Requests waiting to be sent; beyond queue_size requests, or queue_size_mib of them (their
# serialized size, waiting or being sent), new ones are dropped and counted by reason.  The
# Collector bounds a queue in one unit (sizer: requests|items|bytes); the agent keeps the
# Collector's queue_size in requests and adds a byte bound, so that a few large requests (a
# sidecar's, 3 MiB each) cannot hold gigabytes while the backend is down.  0 = no byte bound.
# 16 MiB: the OTLP exporters queue serialized bytes, so this is their memory; with the backend down
# and 10,000 exchanges/s for a minute the agent peaked at ~85 MB RSS with 16 (101 MB with 32;
# bench/bench_pipeline.py --rate 10000 --seconds 60 --backend-down): 3 s of such traffic.
SENDING_QUEUE = Section(
    {
        "enabled": Bool(True),
        "queue_size": Int(1000, min=1),
        "queue_size_mib": Number(16, min=0, max=65536),
        "num_consumers": Int(1, min=1, max=64),
    }
)

# Exponential backoff with jitter (the Collector's retry_on_failure).
RETRY_ON_FAILURE = Section(
    {
        "enabled": Bool(True),
        "initial_interval": Duration("5s", min=0.001),
        "max_interval": Duration("30s", min=0.001),
        # 0 retries forever, as in the Collector.
        "max_elapsed_time": Duration("300s"),
        "multiplier": Number(1.5, min=1),
        "randomization_factor": Number(0.5, min=0, max=1),
    },
    check=_check_retry,
)

# None here: not set in the file, so the OTEL_EXPORTER_OTLP_* variable or the default applies.
TLS = Section(
    {
        "insecure": Bool(None),
        "ca_file": Str(None),
        "cert_file": Str(None),
        "key_file": Str(None),
        "insecure_skip_verify": Bool(False),
    },
    check=_check_tls,
)


# Often carries credentials (authorization, api keys): redacted by print-config.
HEADERS = Map(Str(check=check_header_value, allow_empty=True), secret=True, key_check=check_header_name)

COMPRESSION = Str(None, choices=("gzip", "none"))


class Endpoint(Str):
    """Where an OTLP exporter sends.  Absent or null: the ``OTEL_EXPORTER_OTLP_*ENDPOINT`` variable
    (``validate`` requires one of the two); empty, often an unset or empty ``${env:...}``: an
    error, where a plain ``Str`` would fall back to the default and send to localhost unnoticed."""

    def convert(self, value, path, errors):
        if isinstance(value, str) and not value.strip():
            errors.append(
                f"{path}: is empty (an unset or empty ${{env:...}}?): give an address, or remove the key"
                " to take it from OTEL_EXPORTER_OTLP_ENDPOINT"
            )
            return self.default_value()
        return super().convert(value, path, errors)
