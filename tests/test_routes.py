"""Route patterns, the id heuristic, the per-service cap and the cache (otel_ebpf.telemetry.routes)."""

from __future__ import annotations

import random
import string
import time
import uuid

import pytest

from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.telemetry.routes import RouteResolver, heuristic_route


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/users/5", "/users/{id}"),
        ("/users/5/", "/users/{id}"),
        ("/users/5?x=1", "/users/{id}"),
        ("/api/v1/items/99", "/api/*/items/{item_id}"),
        ("/api/v2/items/abc", "/api/*/items/{item_id}"),
        ("/static", "/static/**"),
        ("/static/css/site.css", "/static/**"),
        ("/", "/"),
    ],
)
def test_user_patterns_match(path, route):
    resolver = RouteResolver(["/users/{id}", "/api/*/items/{item_id}", "/static/**", "/"], heuristic=False)
    assert resolver.resolve("svc", path) == route


def test_first_matching_pattern_wins_and_no_match_without_heuristic_is_none():
    resolver = RouteResolver(["/users/me", "/users/{id}", "/users/**"], heuristic=False)
    assert resolver.resolve("s", "/users/me") == "/users/me"
    assert resolver.resolve("s", "/users/7") == "/users/{id}"
    assert resolver.resolve("s", "/users/7/orders") == "/users/**"
    assert resolver.resolve("s", "/orders/7") is None
    # a pattern segment matches one segment exactly
    assert RouteResolver(["/a/*"], heuristic=False).resolve("s", "/a/b/c") is None


def test_patterns_are_literal_text_not_regex():
    resolver = RouteResolver(["/v1.0/files/{name}"], heuristic=False)
    assert resolver.resolve("s", "/v1.0/files/x") == "/v1.0/files/{name}"
    assert resolver.resolve("s", "/v1x0/files/x") is None


@pytest.mark.parametrize("bad", ["users/{id}", "/a/**/b", "/a/{id", "/a/x*"])
def test_bad_patterns_fail_at_construction(bad):
    with pytest.raises(ValueError):
        RouteResolver([bad])


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/", "/"),
        ("/users/123/orders/456", "/users/{id}/orders/{id}"),
        (f"/u/{uuid.UUID(int=7)}", "/u/{id}"),
        ("/u/0B8F1A7E-3C2D-4E5F-9A8B-7C6D5E4F3A2B/x", "/u/{id}/x"),
        ("/blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "/blobs/{id}"),
        ("/commits/cafe1234", "/commits/{id}"),
        ("/words/deadbeef", "/words/deadbeef"),  # hex-looking word without a digit stays
        ("/t/aZ3kQ9xT2mLp7vN1", "/t/{id}"),
        ("/api-v2-configuration/x", "/api-v2-configuration/x"),  # a readable name with a version
        ("/mail/bob.smith@example.com/inbox", "/mail/{id}/inbox"),
        ("/reports/2024-01-31", "/reports/{id}"),
        ("/reports/2024-01-31T10:00:00Z/pdf", "/reports/{id}/pdf"),
        ("/v1/users", "/v1/users"),
        ("/static/app.min.js", "/static/app.min.js"),
    ],
)
def test_heuristic(path, route):
    assert heuristic_route(path) == route
    assert RouteResolver().resolve("s", path) == route


def test_ten_thousand_uuid_paths_make_one_route():
    resolver = RouteResolver()
    routes = {resolver.resolve("svc", f"/u/{uuid.uuid4()}") for _ in range(10_000)}
    assert routes == {"/u/{id}"}
    assert resolver.routes_overflow == 0


def test_random_words_are_capped_per_service_and_counted():
    rng = random.Random(7)
    resolver = RouteResolver(max_routes_per_service=100)
    words = {"".join(rng.choices(string.ascii_lowercase, k=10)) for _ in range(10_000)}
    routes = [resolver.resolve("svc", f"/w/{w}") for w in words]
    assigned = {r for r in routes if r is not None}
    assert len(assigned) == 100
    assert routes.count(None) == len(words) - 100
    assert resolver.routes_overflow == resolver.overflow == len(words) - 100
    # A refused path is still refused (and counted) on a cache hit; known routes still resolve.
    refused = next(f"/w/{w}" for w, r in zip(words, routes, strict=True) if r is None)
    assert resolver.resolve("svc", refused) is None
    assert resolver.routes_overflow == len(words) - 99
    assert resolver.resolve("svc", "/w/" + next(iter(words))) == routes[0]
    # the cap is per service
    assert resolver.resolve("other", "/w/fresh") == "/w/fresh"


def test_user_patterns_do_not_count_toward_the_cap():
    resolver = RouteResolver(["/users/{id}"], max_routes_per_service=1)
    assert resolver.resolve("s", "/a") == "/a"
    assert resolver.resolve("s", "/b") is None
    assert resolver.resolve("s", "/users/1") == "/users/{id}"


def test_cache_is_bounded():
    resolver = RouteResolver(cache_size=50)
    for i in range(500):
        resolver.resolve("s", f"/n/{i}")
    assert len(resolver._services["s"].cache) == 50


def test_cache_hit_costs_under_two_microseconds():
    resolver = RouteResolver(["/users/{id}"])
    paths = [f"/orders/{i}/items" for i in range(1000)]
    for p in paths:
        resolver.resolve("svc", p)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for p in paths:
            resolver.resolve("svc", p)
        best = min(best, (time.perf_counter() - t) / len(paths))
    assert best < 2e-6, f"{best * 1e6:.2f} µs per cache hit"


def test_annotate_sets_routes_on_server_exchanges_only():
    proc = ProcessInfo(1, "shop", "python3", {"service.name": "shop"})
    server, client, routed = HttpExchange(), HttpExchange(), HttpExchange()
    for ex in (server, client, routed):
        ex.process, ex.path = proc, "/items/77"
    server.role, client.role, routed.role = Role.SERVER, Role.CLIENT, Role.SERVER
    routed.route = "/custom"
    RouteResolver().annotate([server, client, routed])
    assert server.route == "/items/{id}"
    assert client.route is None
    assert routed.route == "/custom"
