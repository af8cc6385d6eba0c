"""The service: the pipeline graph built from a configuration, run until a signal (docs/components.md).

:class:`Service` builds and runs the components; :func:`run` is ``otel-ebpf run``.
"""

from otel_ebpf.service.run import run
from otel_ebpf.service.service import Pipeline, Service

__all__ = ["Pipeline", "Service", "run"]
