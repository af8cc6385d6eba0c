"""Where and how OTLP goes, per signal: the config file beats the environment beats the defaults.

Both OTLP exporters (``otlp`` over gRPC, ``otlp_http``) resolve their connection here, from
their resolved config (None means "not set in the file") and the ``OTEL_EXPORTER_OTLP_*``
variables, a ``_TRACES_``/``_METRICS_`` variant beating the generic one (the specification's
"OTLP Exporter Configuration").  Each signal resolves on its own, so traces and metrics may
go to different places.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from otel_ebpf import __version__
from otel_ebpf.component import ExportDestinations
from otel_ebpf.config.env import otlp_setting, otlp_source, otlp_var
from otel_ebpf.exporters.helper.checks import DEFAULT_GRPC_PORT, DEFAULT_HTTP_ENDPOINT, TLS_VARIABLES
from otel_ebpf.exporters.helper.queued import SIGNAL_NAMES

# What every request of both OTLP exporters says it comes from.
USER_AGENT = f"otel-ebpf/{__version__}"

URL_PATHS = ("/v1/traces", "/v1/metrics")
_SCHEME_PORTS = {"http": 80, "https": 443}
COMPRESSIONS = ("gzip", "none")


@dataclass(frozen=True)
class SignalSettings:
    """One signal's connection.

    Attributes:
        endpoint: gRPC: the target ``host:port`` (no scheme, no path); HTTP: the full URL.
        insecure: gRPC: plaintext (no TLS); HTTP: the URL's scheme is ``http``.
        ca_file, cert_file, key_file: TLS files (PEM): the CA to verify with, the client pair.
        insecure_skip_verify: TLS without verifying the server (OTLP/HTTP only).
        headers: Sent with every request (may hold credentials: kept out of ``repr``).
        compression: ``gzip`` or ``none``.
        timeout: Seconds one export may take.
        warnings: Environment values that were ignored, and why.
    """

    endpoint: str
    insecure: bool
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure_skip_verify: bool = False
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    compression: str = "gzip"
    timeout: float = 10.0
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def target(self) -> str:
        """The gRPC target (same as ``endpoint``)."""
        return self.endpoint

    @property
    def port(self) -> int | None:
        """The TCP port it connects to (None: a unix socket, or a target that names no port)."""
        text = self.endpoint
        try:
            parts = urlsplit(text if "://" in text else f"//{text}")
            return parts.port or _SCHEME_PORTS.get(parts.scheme)
        except ValueError:
            return None


class OtlpDestinations(ExportDestinations):
    """What the ``otlp`` and ``otlp_http`` exporters share about where they send: their resolved
    (traces, metrics) settings, and the ports an ``ebpf`` receiver must leave alone."""

    _settings: tuple[SignalSettings, SignalSettings]

    def destination_ports(self) -> set[int]:
        """The ports of its endpoints: an ``ebpf`` receiver leaves the traffic to them alone."""
        return {s.port for s in self._settings if s.port}

    @property
    def signal_settings(self) -> tuple[SignalSettings, SignalSettings]:
        """The resolved (traces, metrics) settings."""
        return self._settings


def env_value(environ: Mapping[str, str], signal: int, suffix: str) -> str | None:
    """``OTEL_EXPORTER_OTLP_<SIGNAL>_<suffix>`` if set and not empty, else ``OTEL_EXPORTER_OTLP_<suffix>``."""
    return otlp_setting(environ, suffix, SIGNAL_NAMES[signal])


def parse_headers(text: str) -> dict[str, str]:
    """Parses ``OTEL_EXPORTER_OTLP_HEADERS``: ``k=v,k2=v2``, URL-encoded; bad entries are skipped."""
    headers: dict[str, str] = {}
    for entry in text.split(","):
        key, sep, value = entry.partition("=")
        key = unquote(key).strip().lower()
        if not sep or not key:
            continue
        headers[key] = unquote(value).strip()
    return headers


def grpc_target(endpoint: str) -> tuple[str, bool | None]:
    """Splits an OTLP/gRPC endpoint into a gRPC target and what its scheme says about TLS.

    ``http://host:port`` means plaintext, ``https://host:port`` TLS, a bare ``host:port``
    says nothing (None).  A path is ignored (gRPC has none).  A missing port is the scheme's
    (``https://host`` -> ``host:443``, as in the Collector) or, without a scheme, 4317.
    ``unix:``/``dns:`` targets pass through.
    """
    text = endpoint.strip()
    lower = text.lower()
    insecure: bool | None = None
    port = DEFAULT_GRPC_PORT
    if lower.startswith("http://"):
        text, insecure, port = text[7:], True, _SCHEME_PORTS["http"]
    elif lower.startswith("https://"):
        text, insecure, port = text[8:], False, _SCHEME_PORTS["https"]
    elif lower.startswith(("unix:", "unix-abstract:", "dns:", "ipv4:", "ipv6:", "vsock:")):
        return text, None
    host = text.split("/", 1)[0]
    if not host:
        raise ValueError(f"endpoint: no host in {endpoint!r}")
    has_port = ("]:" in host) if host.startswith("[") else (":" in host)
    if not has_port:
        host = f"{host}:{port}"
    return host, insecure


def signal_url(config: Mapping[str, Any], signal: int, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The OTLP/HTTP URL of one signal, and the variable it came from (None: the config or the default).

    ``traces_endpoint``/``metrics_endpoint`` are used as they are; ``endpoint`` is a base URL
    that gets ``/v1/traces`` or ``/v1/metrics`` appended; then the same from the environment
    (``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` as is, ``OTEL_EXPORTER_OTLP_ENDPOINT`` as a base);
    default ``http://localhost:4318``.
    """
    name = SIGNAL_NAMES[signal]
    exact = config.get(f"{name}_endpoint")
    if exact:
        return exact, None
    if config.get("endpoint"):
        return _join(config["endpoint"], URL_PATHS[signal]), None
    found = otlp_source(environ, "ENDPOINT", name)
    if found is None:
        return _join(DEFAULT_HTTP_ENDPOINT, URL_PATHS[signal]), None
    variable, value = found
    if variable == otlp_var("ENDPOINT", name):
        return value, variable  # the signal's own URL, used as it is
    return _join(value, URL_PATHS[signal]), variable


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + path


def resolve_grpc(config: Mapping[str, Any], signal: int, environ: Mapping[str, str] | None = None) -> SignalSettings:
    """The ``otlp`` (gRPC) exporter's settings for one signal.

    Without a scheme in the endpoint, ``tls.insecure`` (else ``OTEL_EXPORTER_OTLP_INSECURE``)
    says whether to use TLS; a scheme wins, as in the Collector.

    Raises:
        ValueError: A file or value of the config cannot be used (bad environment values are
            warned about and ignored).
    """
    environ = os.environ if environ is None else environ
    endpoint = config.get("endpoint") or env_value(environ, signal, "ENDPOINT") or f"localhost:{DEFAULT_GRPC_PORT}"
    target, scheme_insecure = grpc_target(str(endpoint))
    tls = config.get("tls") or {}
    if scheme_insecure is not None:
        insecure = scheme_insecure
    elif tls.get("insecure") is not None:
        insecure = bool(tls["insecure"])
    else:
        insecure = (env_value(environ, signal, "INSECURE") or "").lower() == "true"
    return _common(config, signal, environ, target, insecure, default_timeout=5.0)


def resolve_http(config: Mapping[str, Any], signal: int, environ: Mapping[str, str] | None = None) -> SignalSettings:
    """The ``otlp_http`` exporter's settings for one signal (the URL's scheme decides TLS)."""
    environ = os.environ if environ is None else environ
    url, variable = signal_url(config, signal, environ)
    warning = None
    if urlsplit(url).scheme.lower() not in _SCHEME_PORTS:
        if variable is None:  # the schema checks the config's URLs: only a programming error gets here
            raise ValueError(f"{SIGNAL_NAMES[signal]} endpoint {url!r} is not an http:// or https:// URL")
        warning = f"{variable}={environ[variable].strip()!r} is not an http:// or https:// URL; using the default"
        url = _join(DEFAULT_HTTP_ENDPOINT, URL_PATHS[signal])
    settings = _common(config, signal, environ, url, urlsplit(url).scheme.lower() == "http", default_timeout=30.0)
    if warning is not None:
        settings = replace(settings, warnings=(*settings.warnings, warning))
    return settings


def _common(
    config: Mapping[str, Any],
    signal: int,
    environ: Mapping[str, str],
    endpoint: str,
    insecure: bool,
    default_timeout: float,
) -> SignalSettings:
    warnings: list[str] = []
    tls = config.get("tls") or {}
    files = {key: tls.get(key) or env_value(environ, signal, var) for key, var in TLS_VARIABLES.items()}
    ca_file, cert_file, key_file = files["ca_file"], files["cert_file"], files["key_file"]
    if bool(cert_file) != bool(key_file):
        raise ValueError("tls: cert_file and key_file must be given together")

    headers: dict[str, str] = {}
    if (env_headers := env_value(environ, signal, "HEADERS")) is not None:
        headers.update(parse_headers(env_headers))
    for key, value in (config.get("headers") or {}).items():
        headers[str(key).strip().lower()] = str(value)

    name = SIGNAL_NAMES[signal]
    if config.get("compression") is not None:
        compression = str(config["compression"]).lower()
    elif (env_compression := otlp_source(environ, "COMPRESSION", name)) is not None:
        variable, compression = env_compression[0], env_compression[1].lower()
        if compression not in COMPRESSIONS:
            warnings.append(f"{variable}={compression!r} is not gzip or none; using gzip")
            compression = "gzip"
    else:
        compression = "gzip"

    if config.get("timeout") is not None:
        timeout = float(config["timeout"])
    elif (env_timeout := otlp_source(environ, "TIMEOUT", name)) is not None:
        variable, text = env_timeout
        try:
            timeout = float(text) / 1000.0  # milliseconds, per the specification
            if not timeout > 0:
                raise ValueError(text)
        except ValueError:
            warnings.append(f"{variable}={text!r} is not milliseconds; using the default")
            timeout = default_timeout
    else:
        timeout = default_timeout

    return SignalSettings(
        endpoint=endpoint,
        insecure=insecure,
        ca_file=ca_file,
        cert_file=cert_file,
        key_file=key_file,
        insecure_skip_verify=bool(tls.get("insecure_skip_verify")),
        headers=tuple(sorted(headers.items())),
        compression=compression,
        timeout=timeout,
        warnings=tuple(warnings),
    )


def read_pem(path: str | None, what: str) -> bytes | None:
    """The bytes of a TLS file, or None; ValueError naming the setting when it cannot be read."""
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise ValueError(f"tls.{what}: cannot read {path!r}: {exc.strerror}") from None
