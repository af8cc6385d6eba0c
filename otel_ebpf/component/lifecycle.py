"""The one lifecycle every component has: start, shutdown, force_flush.

The rules are the Collector's (``docs/coding-guidelines.md``) and the SDK's:

* ``start(host)`` acquires resources (binds, opens, attaches).  Raising says the component
  cannot run: the service marks it and its pipelines permanently failed and runs on without them.
* ``shutdown(timeout_s)`` is safe without ``start``, idempotent, flushes what it holds and
  returns within the deadline; what it cannot deliver by then it drops and counts.
* ``force_flush(timeout_s)`` delivers what is buffered; False when the deadline came first.

Hot-path methods (``consume``, ``export_*``) never block on the network and never raise into
the caller for bad input: they count and drop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from otel_ebpf.component.host import Host


class Component:
    """Base of every receiver, processor, exporter and extension (the defaults do nothing)."""

    def start(self, host: Host) -> None:
        """Acquires resources; raises when the component cannot run (the message says why)."""

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Releases resources within ``timeout_s``; safe without :meth:`start` and idempotent."""

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        """Delivers what is buffered; False when ``timeout_s`` passed first."""
        return True
