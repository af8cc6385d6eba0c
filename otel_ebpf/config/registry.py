"""What validation needs to know of component types, without knowing the components.

The agent's factories (``otel_ebpf.component.Factory``) satisfy :class:`ComponentSpec`; the
caller of :func:`~otel_ebpf.config.loader.load_config` passes them in a :class:`Registry`
(``otel_ebpf.components.registry()``).  This package imports no component module: a test
fails if it does.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from otel_ebpf.config.checks import listen_port

KINDS = ("receivers", "processors", "exporters", "extensions")
SIGNALS = ("traces", "metrics", "logs")

# type[/name]: the type is an identifier; the name is anything non-empty after the first "/".
_ID = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?:/(\S+))?\Z")


def split_id(component_id: str) -> tuple[str, str | None] | None:
    """``"otlp/backend"`` -> ``("otlp", "backend")``; None when the id is malformed."""
    match = _ID.match(component_id) if isinstance(component_id, str) else None
    return (match.group(1), match.group(2)) if match else None


@dataclass(frozen=True)
class Claim:
    """A resource a component instance holds.

    Attributes:
        resource: What is held, as the user would name it: ``TCP port 13133``,
            ``path /health on 127.0.0.1:13134``, ``file /var/lib/otel-ebpf/slo.json``.
        value: None: held exclusively (two instances claiming it are a configuration error).
            Otherwise the resource is shared by the instances whose values are equal (a port
            shared by the status endpoints, the kernel program shared by the ``ebpf``
            receivers); a mapping value is compared key by key in the error message.
    """

    resource: str
    value: Any = None


def port_claim(endpoint: str, shared_by: str | None = None) -> list[Claim]:
    """The claim of a listener on ``host:port``: the port (none when off or port 0, any free one).

    Args:
        shared_by: A value for listeners that may share the port (the status endpoint's paths).
    """
    port = listen_port(endpoint)
    return [Claim(f"TCP port {port}", shared_by)] if port else []


class ComponentSpec(Protocol):
    """A component type as validation sees it."""

    kind: str
    type: str
    aliases: tuple[str, ...]
    signals: tuple[str, ...]
    description: str
    env_protocols: tuple[str, ...]
    needs_bpf: bool

    def default_config(self) -> dict: ...

    def resolve(self, raw: Any, path: str) -> tuple[dict, list[str]]: ...

    def redact(self, config: dict) -> dict: ...

    def claims(self, config: dict) -> list[Claim]: ...


class Registry:
    """Component types by kind and type name (aliases included).

    Args:
        specs: The types; a later spec with the same kind and name (or alias) does not replace
            an earlier one: built-ins come first and win over plugins.
    """

    def __init__(self, specs: Iterable[ComponentSpec] = ()) -> None:
        self._by_name: dict[str, dict[str, ComponentSpec]] = {kind: {} for kind in KINDS}
        self._canonical: dict[str, dict[str, ComponentSpec]] = {kind: {} for kind in KINDS}
        self.shadowed: list[ComponentSpec] = []  # specs not added: their name was taken
        self.problems: list[str] = []  # plugins that could not be loaded, for the caller to report
        for spec in specs:
            self.add(spec)

    def add(self, spec: ComponentSpec) -> bool:
        """Adds a type; False (and kept in ``shadowed``) when its name is already taken."""
        names = self._by_name[spec.kind]
        if any(n in names for n in (spec.type, *spec.aliases)):
            self.shadowed.append(spec)
            return False
        for name in (spec.type, *spec.aliases):
            names[name] = spec
        self._canonical[spec.kind][spec.type] = spec
        return True

    def get(self, kind: str, type_name: str) -> ComponentSpec | None:
        """The type named ``type_name`` (or an alias of it), or None."""
        return self._by_name.get(kind, {}).get(type_name)

    def of_id(self, kind: str, component_id: str) -> ComponentSpec | None:
        """The type of an id (``otlphttp/rotel`` -> the ``otlp_http`` type), or None."""
        split = split_id(component_id)
        return self.get(kind, split[0]) if split else None

    def types(self, kind: str) -> list[ComponentSpec]:
        """Every type of a kind, by canonical name."""
        return [self._canonical[kind][name] for name in sorted(self._canonical.get(kind, {}))]

    def known_names(self, kind: str) -> list[str]:
        """Sorted type names and aliases of a kind (for "did you mean" messages)."""
        return sorted(self._by_name.get(kind, {}))

    def exporter_for_protocol(self, protocol: str) -> ComponentSpec | None:
        """The exporter type serving an ``OTEL_EXPORTER_OTLP_PROTOCOL`` value, or None."""
        for spec in self.types("exporters"):
            if protocol in spec.env_protocols:
                return spec
        return None


def deep_merge(base: Any, override: Any) -> Any:
    """Merges ``override`` into a copy of ``base`` like the Collector merges config files.

    Mappings merge key by key, recursively; anything else (lists included) is replaced.
    """
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = {k: copy.deepcopy(v) for k, v in base.items()}
        for key, value in override.items():
            merged[key] = deep_merge(merged[key], value) if key in merged else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)
