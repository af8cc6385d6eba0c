"""Environment variable references in config values, with the Collector's syntax.

* ``${env:VAR}`` and ``${VAR}``: the variable's value (unset: empty, with a warning).
* ``${env:VAR:-default}``: the default when the variable is unset (set but empty stays empty,
  as in the Collector).
* ``$$``: a literal ``$`` (so ``$${env:X}`` stays as the text ``${env:X}``).
* A ``$`` followed by anything else is kept as is.

Expansion happens after YAML parsing and only in values (never in keys), so a variable
cannot inject YAML structure; a substituted value stays a string and typed fields
convert it (``capture_bytes: ${env:CB}`` with ``CB=2048`` -> 2048).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REFERENCE = re.compile(r"\$(?:\$|\{([^{}]*)\})")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PROVIDER = re.compile(r"([A-Za-z][A-Za-z0-9_]*):(?!-)")


def expand(value: Any, environ: Mapping[str, str], path: str, errors: list[str], warnings: list[str]) -> Any:
    """A copy of ``value`` with every reference in its strings substituted.

    Args:
        value: Parsed YAML (mappings, lists, scalars).
        environ: The variables (``os.environ`` in production).
        path: Dotted path of ``value``, for messages.
        errors: Receives malformed references (unsupported provider, bad variable name).
        warnings: Receives references to unset variables without a default.
    """
    if isinstance(value, str):
        return expand_string(value, environ, path, errors, warnings) if "$" in value else value
    if isinstance(value, Mapping):
        return {k: expand(v, environ, f"{path}.{k}" if path else str(k), errors, warnings) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v, environ, f"{path}[{i}]", errors, warnings) for i, v in enumerate(value)]
    return value


def expand_string(text: str, environ: Mapping[str, str], path: str, errors: list[str], warnings: list[str]) -> str:
    """Substitutes the references in one string (see the module docstring for the syntax)."""

    def substitute(match: re.Match) -> str:
        body = match.group(1)
        if body is None:  # "$$"
            return "$"
        if body.startswith("env:"):
            body = body[4:]
        else:
            provider = _PROVIDER.match(body)
            if provider:
                errors.append(
                    f"{path}: unsupported reference {match.group(0)!r}: only environment variables can be "
                    "referenced (${env:VAR}, ${env:VAR:-default}, ${VAR}; $$ for a literal $)"
                )
                return match.group(0)
        name, has_default, default = body.partition(":-")
        if not _VARIABLE.match(name):
            errors.append(f"{path}: {match.group(0)!r} does not name an environment variable")
            return match.group(0)
        value = environ.get(name)
        if has_default and value is None:
            return default
        if value is None:
            warnings.append(f"{path}: environment variable {name} is not set (using an empty value)")
            return ""
        return value

    return _REFERENCE.sub(substitute, text)


def literal(value: Any) -> Any:
    """A copy of ``value`` whose strings expand back to themselves (every ``$`` written ``$$``)."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, Mapping):
        return {k: literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [literal(v) for v in value]
    return value
