"""Which endpoint a request belongs to: its ``http.route``, resolved as the agent resolves it.

The agent names an endpoint by the route it gave the request: one of the user's patterns
(``receivers.ebpf.http.routes.patterns``), else the heuristic (``/items/42`` ->
``/items/{id}``).  A breaker in front of the backend must find the same name, so it resolves
a path in the same order:

1. the patterns it was given (``route_patterns``: the agent's, copied);
2. the heuristic, when the route it gives is one the health data names;
3. the routes the health data names, read as patterns: a route the agent built from a pattern
   the breaker was not told about (``/api/*/items/{item}``) still matches its paths;
4. otherwise the heuristic's route: an endpoint the health data does not know (yet).

Results are cached per path (bounded); the cache is replaced when the known routes change.
Thread-safe: the agent answers checks on several threads, and learns routes on another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from otel_ebpf.telemetry.routes import RouteResolver, compile_patterns, heuristic_route

_CACHE_SIZE = 10000


def _path_of(target: str) -> str:
    """The path of a request-target, without query or fragment, trailing slashes dropped."""
    for sep in ("?", "#"):
        cut = target.find(sep)
        if cut >= 0:
            target = target[:cut]
    if target.startswith(("http://", "https://")):  # absolute form (a proxy request)
        slash = target.find("/", target.find("//") + 2)
        target = target[slash:] if slash >= 0 else "/"
    if len(target) > 1 and target.endswith("/"):
        target = target.rstrip("/")
    return target or "/"


class RouteMatcher:
    """``path -> http.route`` for one backend (or for every service, on the agent's side).

    Args:
        patterns: The agent's route patterns, first match wins.
    """

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self._user = RouteResolver(patterns, heuristic=False) if tuple(patterns) else None
        # (routes the health data names, their regex, the route of each of its groups): one object
        self._known: tuple[frozenset[str], object, tuple[str, ...]] = (frozenset(), None, ())
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()  # uncontended in the proxy (one thread): ~0.1 µs

    def learn(self, routes: Iterable[str]) -> None:
        """Sets the routes the health data names (called on every refresh; cheap when unchanged)."""
        known = frozenset(r for r in routes if r.startswith("/"))
        if known == self._known[0]:
            return
        # Literal routes before templated ones, longer before shorter: /items/new wins over /items/{id}.
        ordered = sorted(known, key=lambda r: ("{" in r or "*" in r, -len(r), r))
        try:
            regex, routes = compile_patterns(ordered)
        except ValueError:  # a route that is no valid pattern ({id}x): match the valid ones
            valid = []
            for route in ordered:
                try:
                    compile_patterns([route])
                except ValueError:
                    continue
                valid.append(route)
            regex, routes = compile_patterns(valid)
        with self._lock:
            self._known = (known, regex, routes)
            self._cache = OrderedDict()

    def route(self, target: str) -> str:
        """The route of a request-target (path and query, as sent)."""
        path = _path_of(target)
        with self._lock:
            cache = self._cache
            route = cache.get(path)
            if route is not None:
                cache.move_to_end(path)
                return route
            route = self._resolve(path, self._known)
            cache[path] = route
            if len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
            return route

    def _resolve(self, path: str, known_state) -> str:
        if self._user is not None:
            route = self._user.resolve("", path)
            if route is not None:
                return route
        guess = heuristic_route(path)
        known, regex, routes = known_state
        if regex is None or guess in known:
            return guess
        match = regex.fullmatch(path)
        if match is not None:
            return routes[match.lastindex - 1]
        return guess
