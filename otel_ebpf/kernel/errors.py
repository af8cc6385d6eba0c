"""The one error every BPF receiver raises when its kernel program cannot be had.

Shared so that the agent (and the compile children, which send it back as text) can tell a
program that could not be compiled, attached or reopened from a bug: its message says why, and
what to do.
"""

from __future__ import annotations

__all__ = ["LoadError"]


class LoadError(RuntimeError):
    """The BPF program could not be compiled or attached; the message says why and what to do."""
