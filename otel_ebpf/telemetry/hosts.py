"""Host / address parsing for HTTP headers (Host, Forwarded, X-Forwarded-For).

Shared by spans (``server.address``, ``client.address``, ``url.full``) and metrics
(``server.address`` of client requests).
"""

from __future__ import annotations

__all__ = ["authority_from_peer", "forwarded_client", "parse_host"]

_HOST_MEMO_MAX = 4096
_host_memo: dict[str, tuple[str, int, str]] = {}


def parse_host(value: str) -> tuple[str, int, str]:
    """Split a Host header into ``(host, port or 0, authority)`` (memoised).

    Any ``userinfo@`` is dropped (credentials never reach ``url.full``), IPv6 brackets are
    removed from ``host`` but kept in ``authority``, ``:80`` is dropped from ``authority``.
    """
    cached = _host_memo.get(value)
    if cached is not None:
        return cached
    hv = value.strip()
    if "@" in hv:
        hv = hv.rpartition("@")[2]
    port_text = ""
    if hv.startswith("["):
        end = hv.find("]")
        host = hv[1:end] if end > 0 else hv[1:]
        rest = hv[end + 1 :] if end > 0 else ""
        if rest.startswith(":"):
            port_text = rest[1:]
        bracketed = f"[{host}]"
    elif hv.count(":") == 1:
        host, _, port_text = hv.partition(":")
        bracketed = host
    else:  # plain name, or a bare IPv6 address (no port can be told apart)
        host = hv
        bracketed = f"[{host}]" if ":" in host else host
    host = host.lower()
    bracketed = bracketed.lower()
    port = int(port_text) if port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536 else 0
    authority = bracketed if port in (0, 80) else f"{bracketed}:{port}"
    result = (host, port, authority)
    if len(_host_memo) >= _HOST_MEMO_MAX:
        _host_memo.clear()
    _host_memo[value] = result
    return result


def _strip_port(addr: str) -> str:
    addr = addr.strip().strip('"')
    if addr.startswith("["):
        end = addr.find("]")
        return addr[1:end] if end > 0 else addr[1:]
    if addr.count(":") == 1:
        return addr.partition(":")[0]
    return addr


def forwarded_client(headers: dict[str, str]) -> str | None:
    """First client address from ``Forwarded: for=...`` or ``X-Forwarded-For``, if any."""
    fwd = headers.get("forwarded")
    if fwd:
        for param in fwd.split(",", 1)[0].split(";"):
            name, _, value = param.strip().partition("=")
            if name.lower() == "for" and value:
                return _strip_port(value) or None
    xff = headers.get("x-forwarded-for")
    if xff:
        return _strip_port(xff.split(",", 1)[0]) or None
    return None


def authority_from_peer(address: str, port: int) -> str:
    """``host[:port]`` for a URL from a socket address (IPv6 bracketed, port 80 omitted)."""
    host = f"[{address}]" if ":" in address else address
    return host if port in (0, 80) else f"{host}:{port}"
