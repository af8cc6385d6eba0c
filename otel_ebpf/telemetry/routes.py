"""``http.route`` for server exchanges: user patterns first, then a heuristic, both capped.

Patterns (compiled once into a single alternation, so the first listed pattern that matches
wins)::

    /users/{id}          {name} matches exactly one segment
    /api/*/items/{item}  * matches exactly one segment
    /static/**           ** matches any rest of the path, including nothing

When no pattern matches, the heuristic replaces segments that look like identifiers with
``{id}``: decimal numbers, UUIDs, hex hashes (>= 8 hex chars with a digit), long mixed
letter/digit tokens (>= 16 chars, base64url alphabet, switching between letters and digits at
least 3 times, so ``api-v2-configuration`` stays a name), e-mail addresses and dates.
``/users/42/orders/7f3a9c2e1b`` -> ``/users/{id}/orders/{id}``.

Each service may hold at most ``max_routes_per_service`` distinct heuristic routes; beyond
that ``resolve`` returns ``None`` (the span keeps ``{method}`` as its name and has no
``http.route``) and :attr:`RouteResolver.routes_overflow` counts it.  Results are cached per
service in a bounded LRU, so a repeated path costs one dict lookup.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable, Iterable

from otel_ebpf.model import HttpExchange, Role

__all__ = ["ID", "RouteResolver", "compile_patterns", "heuristic_route"]

ID = "{id}"
_OVERFLOW = object()  # cached marker: this path's route was refused by the cap

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]{8,}")
_TOKEN = re.compile(r"[A-Za-z0-9_\-=~.]{16,}")
_EMAIL = re.compile(r"[^@/\s]+@[^@/\s]+\.[^@/\s]+")
# 2024-01-31, 2024_01_31, 2024-01-31T10:00:00Z and friends.
_DATE = re.compile(
    r"\d{4}[-_]\d{2}[-_]\d{2}(?:[T _]\d{2}[:\-]?\d{2}(?:[:\-]?\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DIGITS = frozenset("0123456789")


def _letter_digit_switches(segment: str) -> int:
    """How often adjacent characters switch between letter and digit.

    Random tokens switch often (``aZ3kQ9xT2mLp7vN1``: 8); readable names with a version
    number rarely do (``api-v2-configuration``: 1), so they keep their name.
    """
    switches = 0
    prev = 0  # 1 letter, 2 digit, 0 other
    for ch in segment:
        kind = 2 if "0" <= ch <= "9" else 1 if ch.isalpha() else 0
        if kind and prev and kind != prev:
            switches += 1
        prev = kind
    return switches


def _is_identifier(segment: str) -> bool:
    """True when a path segment looks like a value (id, hash, token, e-mail, date), not a name."""
    if segment.isascii() and segment.isdigit():
        return True
    n = len(segment)
    if n >= 8:
        if not _DIGITS.isdisjoint(segment):
            if n == 36 and _UUID.fullmatch(segment):
                return True
            if _HEX.fullmatch(segment):
                return True
            if _DATE.fullmatch(segment):
                return True
            if n >= 16 and _TOKEN.fullmatch(segment) and _letter_digit_switches(segment) >= 3:
                return True
        if "@" in segment and _EMAIL.fullmatch(segment):
            return True
    elif "@" in segment and _EMAIL.fullmatch(segment):
        return True
    return False


def heuristic_route(path: str) -> str:
    """Collapse identifier-looking segments of a normalised path into ``{id}``."""
    segments = path.split("/")
    changed = False
    for i, segment in enumerate(segments):
        # _is_identifier's first answers without its call: a number is one; a short segment
        # without "@" is not (most segments: names).  /api/v1/items/1234: 0.8 µs against 1.0 µs
        # (development VM, timeit).
        if segment.isdigit():
            if segment.isascii():
                segments[i] = ID
                changed = True
                continue
        elif len(segment) < 8 and "@" not in segment:
            continue
        if segment and _is_identifier(segment):
            segments[i] = ID
            changed = True
    return "/".join(segments) if changed else path


def _pattern_regex(pattern: str) -> str:
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/': {pattern!r}")
    segments = _normalise(pattern).split("/")[1:]
    out = []
    for i, seg in enumerate(segments):
        if seg == "**":
            if i != len(segments) - 1:
                raise ValueError(f"'**' must be the last segment of a route pattern: {pattern!r}")
            out.append(r"(?:/.*)?")
        elif seg == "*" or (seg.startswith("{") and seg.endswith("}") and len(seg) > 2):
            out.append(r"/[^/]+")
        elif "{" in seg or "}" in seg or "*" in seg:
            raise ValueError(f"a route pattern segment is a literal, '*', '**' or '{{name}}': {pattern!r}")
        else:
            out.append("/" + re.escape(seg))
    return "".join(out) or "/"


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """Compile user patterns into one regex; group *i* + 1 matching means ``patterns[i]`` won."""
    pats = tuple(patterns)
    if not pats:
        return None, ()
    body = "|".join(f"({_pattern_regex(p)})" for p in pats)
    return re.compile(f"(?:{body})"), tuple(_normalise(p) for p in pats)


def _normalise(path: str) -> str:
    """Drop query/fragment and trailing slashes; empty becomes ``/``."""
    q = path.find("?")
    if q >= 0:
        path = path[:q]
    h = path.find("#")
    if h >= 0:
        path = path[:h]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return path or "/"


class _ServiceRoutes:
    __slots__ = ("cache", "routes")

    def __init__(self) -> None:
        self.cache: OrderedDict[str, object] = OrderedDict()
        self.routes: set[str] = set()


class RouteResolver:
    """Map ``(service, path)`` to a low-cardinality ``http.route``.

    Args:
        patterns: User route patterns, first match wins (see module docstring).
        heuristic: Derive a route from the path when no pattern matches.
        max_routes_per_service: Distinct heuristic routes per service before refusing.
        cache_size: Paths remembered per service (LRU).

    Not thread-safe: call it from the pipeline thread that processes the batch.
    """

    def __init__(
        self,
        patterns: Iterable[str] = (),
        heuristic: bool = True,
        max_routes_per_service: int = 1000,
        cache_size: int = 10000,
    ) -> None:
        self._regex, self.patterns = compile_patterns(patterns)
        self.heuristic = heuristic
        self.max_routes_per_service = max_routes_per_service
        self.cache_size = cache_size
        self._services: dict[Hashable, _ServiceRoutes] = {}
        self.routes_overflow = 0

    @property
    def overflow(self) -> int:
        """Alias of :attr:`routes_overflow` (resolutions refused by the per-service cap)."""
        return self.routes_overflow

    def resolve(self, service_key: Hashable, path: str) -> str | None:
        """The route for ``path`` as served by ``service_key``, or ``None`` (no match / cap reached)."""
        svc = self._services.get(service_key)
        if svc is None:
            svc = self._services[service_key] = _ServiceRoutes()
        cache = svc.cache
        route = cache.get(path, None)
        if route is not None:
            cache.move_to_end(path)
            if route is _OVERFLOW:
                self.routes_overflow += 1
                return None
            return route  # type: ignore[return-value]
        if path in cache:  # cached "no route"
            cache.move_to_end(path)
            return None
        route = self._compute(svc, path)
        cache[path] = route
        if len(cache) > self.cache_size:
            cache.popitem(last=False)
        if route is _OVERFLOW:
            self.routes_overflow += 1
            return None
        return route  # type: ignore[return-value]

    def _compute(self, svc: _ServiceRoutes, path: str) -> object:
        norm = _normalise(path)
        if self._regex is not None:
            m = self._regex.fullmatch(norm)
            if m is not None:
                return self.patterns[m.lastindex - 1]  # type: ignore[operator]
        if not self.heuristic:
            return None
        route = heuristic_route(norm)
        if route not in svc.routes:
            if len(svc.routes) >= self.max_routes_per_service:
                return _OVERFLOW
            svc.routes.add(route)
        return route

    def annotate(self, exchanges: Iterable[HttpExchange]) -> None:
        """Set ``exchange.route`` on SERVER exchanges that have none, keyed by service name."""
        server = Role.SERVER
        services = self._services
        last_key: object = None
        cache: OrderedDict[str, object] | None = None  # last_key's, None until resolve() makes it
        for ex in exchanges:
            if ex.route is None and ex.role == server and ex.path:
                process = ex.process
                key = process.service_name if process is not None else ""
                path = ex.path
                if cache is None or key != last_key:
                    svc = services.get(key)
                    cache = svc.cache if svc is not None else None
                    last_key = key
                # resolve()'s hit, without the call (the exchanges of a batch mostly share a
                # service): 0.20 µs against 0.27 µs an exchange (development VM).
                route = cache.get(path) if cache is not None else None
                if route is not None and route is not _OVERFLOW:
                    cache.move_to_end(path)  # type: ignore[union-attr]
                    ex.route = route  # type: ignore[assignment]
                else:
                    ex.route = self.resolve(key, path)

    def forget(self, service_key: Hashable) -> None:
        """Drop a service's cache and route set."""
        self._services.pop(service_key, None)
