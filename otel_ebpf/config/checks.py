"""Value checks shared by component schemas: each returns an error message or None."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

_HOST_PORT = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]*):(\d{1,5})\Z")
_URL = re.compile(r"(https?)://(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+)(?::(\d{1,5}))?(/\S*)?\Z")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


def _port_ok(port: str | None) -> bool:
    return port is None or 1 <= int(port) <= 65535


def check_host_port(value: str) -> str | None:
    """An address to listen on, ``host:port`` (host may be empty or a bracketed IPv6; port 0: any free port)."""
    match = _HOST_PORT.match(value)
    if not match or int(match.group(1)) > 65535:
        return f"{value!r} is not host:port (e.g. 127.0.0.1:4317)"
    return None


def check_listen_endpoint(value: str) -> str | None:
    """Like :func:`check_host_port`, where an empty string turns the endpoint off."""
    if value and check_host_port(value):
        return f"{value!r} is not host:port (e.g. 127.0.0.1:13134), nor empty"
    return None


def check_endpoint(value: str) -> str | None:
    """An OTLP/gRPC target: ``host:port`` or ``http(s)://host[:port]``."""
    if "://" in value:
        match = _URL.match(value)
        if not match or not _port_ok(match.group(2)) or (match.group(3) or "/") != "/":
            return f"{value!r} is not an endpoint (expected host:port or http(s)://host[:port])"
        return None
    match = _HOST_PORT.match(value)
    if not match or not _port_ok(match.group(1)):
        return f"{value!r} is not an endpoint (expected host:port or http(s)://host[:port])"
    return None


def check_url(value: str) -> str | None:
    """An ``http(s)://host[:port][/path]`` URL."""
    match = _URL.match(value)
    if not match or not _port_ok(match.group(2)):
        return f"{value!r} is not a URL (expected http(s)://host[:port][/path])"
    return None


def check_header_name(value: str) -> str | None:
    return None if _HEADER_NAME.match(value) else f"{value!r} is not an HTTP header name"


def check_header_value(value: str) -> str | None:
    # A line break would let a value (often from the environment) inject headers of its own.
    return "the value has a line break or NUL" if any(c in value for c in "\r\n\0") else None


def check_not_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def listen_port(endpoint: str) -> int | None:
    """The port of ``host:port``, or None (empty endpoint: off)."""
    if not endpoint:
        return None
    try:
        return int(endpoint.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


# --- what `validate` checks beyond the schema: the files a config names, as this user sees them ---


@dataclass(frozen=True)
class HostProblem:
    """A setting that the machine or the environment makes unusable (``fatal``) or weaker."""

    key: str
    message: str
    fatal: bool = True


def readable_file_problem(path: str) -> str | None:
    """Why a file the agent will read (a TLS certificate, a key) cannot be, or None."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return f"cannot read {path!r}: {exc.strerror or exc}"


def _kind(path: Path) -> str:
    """``dir``, ``file``, ``absent`` or ``denied`` (Path.is_dir raises on EACCES before Python 3.12)."""
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return "denied"
    except OSError:
        return "absent"
    return "dir" if stat.S_ISDIR(mode) else "file"


def output_file_problems(key: str, path: str, *, creates_directories: bool, consequence: str) -> list[HostProblem]:
    """The problem of setting ``key`` when the file at ``path`` that the agent will write cannot be
    written (none when it can); ``consequence`` says what a problem short of fatal costs.

    With ``creates_directories`` missing directories are made at run time, so only the nearest
    existing one matters.  Unwritable is judged as the user running ``validate``: not fatal
    when the agent copes, since ``run`` may have more rights.
    """
    problem = _output_file_problem(path, creates_directories)
    if problem is None:
        return []
    fatal, message = problem
    return [HostProblem(key, message if fatal else f"{message}: {consequence}", fatal)]


def _output_file_problem(path: str, creates_directories: bool) -> tuple[bool, str] | None:
    """``(fatal, why)`` when the file at ``path`` cannot be written, or None."""
    target = Path(path)
    kind = _kind(target)
    if kind == "dir":
        return True, f"{path!r} is a directory"
    if kind == "file":
        return None if os.access(target, os.W_OK) else (False, f"{path!r} is not writable by this user")
    directory = target.parent
    if kind == "absent" and not creates_directories and _kind(directory) == "absent":
        return True, f"directory {str(directory)!r} does not exist"
    while _kind(directory) == "absent" and directory != directory.parent:
        directory = directory.parent
    kind = _kind(directory)
    if kind == "file":
        return True, f"{str(directory)!r} is not a directory"
    if kind == "denied":
        return False, f"{str(directory)!r}: permission denied to this user"
    if not os.access(directory, os.W_OK | os.X_OK):
        return False, f"directory {str(directory)!r} is not writable by this user"
    return None
