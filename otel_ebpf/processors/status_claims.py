"""What a processor serving a status path holds (checked by validation, see ``Claim``)."""

from __future__ import annotations

from otel_ebpf.config.registry import Claim, port_claim


def status_claims(endpoint: str, path: str) -> list[Claim]:
    """The port, shared by the processors serving on the same ``endpoint``, and the path, held alone.

    The path is claimed even on port 0 (any free port): the processors that name the same
    endpoint share one server, so two of them cannot serve one path there either.
    """
    if not endpoint:
        return []  # off
    port = port_claim(endpoint, shared_by=f"the status endpoint {endpoint}")
    return [*port, Claim(f"path {path} on {endpoint}")]
