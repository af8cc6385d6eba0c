"""Compile and attach BPF programs in a short-lived child, and take its file descriptors over.

bcc (and the LLVM inside it, ~130 MB for as long as a process lives) never enters the
long-running agent.  The parent starts ``python -m <module> SOCKET_FD ARGUMENT``; the child
builds the kernel objects and sends back one JSON message with the fds (SCM_RIGHTS), or
``{"error": text}``, then leaves with ``os._exit`` so that bcc's atexit clean-up does not
detach what the agent now holds.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

__all__ = ["run_child", "serve"]

_NO_ANSWER = '{"error": "the compile process ended without an answer"}'


def run_child(
    module: str, argument: str, *, cwd: Path, timeout_s: float, max_fds: int, what: str, error: type[Exception]
) -> tuple[dict, list[int]]:
    """Runs ``module`` as the child; returns its reply and the fds it sent.

    Raises:
        error: With the child's message when it failed, or "<what> did not finish" on a timeout.
    """
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, str(child.fileno()), argument],
            pass_fds=[child.fileno()],
            stdout=subprocess.DEVNULL,
            cwd=str(cwd),
        )
    finally:
        child.close()
    try:
        parent.settimeout(timeout_s)
        message, fds, _flags, _addr = socket.recv_fds(parent, 1 << 16, max_fds)
    except (OSError, TimeoutError) as exc:
        proc.kill()
        raise error(f"{what} did not finish: {exc}") from exc
    finally:
        parent.close()
        proc.wait()
    reply = json.loads(message.decode() or _NO_ANSWER)
    if "error" in reply:
        for fd in fds:
            os.close(fd)
        raise error(reply["error"])
    return reply, fds


def serve(sock_fd: int, build: Callable[[], tuple[dict, list[int]]], is_plain: Callable[[BaseException], bool]) -> None:
    """The child's side: sends ``build()``'s reply and fds, or the error, then exits the process.

    Args:
        sock_fd: The socket inherited from :func:`run_child`.
        build: Makes the kernel objects; returns (reply, fds).
        is_plain: True for an exception whose message is enough (else a short traceback is sent).
    """
    sock = socket.socket(fileno=sock_fd)
    try:
        reply, fds = build()
        socket.send_fds(sock, [json.dumps(reply).encode()], fds)
    except BaseException as exc:  # everything goes back to the agent as text
        text = str(exc) if is_plain(exc) else traceback.format_exc(limit=3)
        sock.sendall(json.dumps({"error": text}).encode())
    finally:
        sock.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
