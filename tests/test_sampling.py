"""OTEL_TRACES_SAMPLER handling (otel_ebpf.telemetry.sampling), checked against the Python SDK."""

from __future__ import annotations

import random

import pytest
from opentelemetry.sdk.trace.sampling import Decision, TraceIdRatioBased

from otel_ebpf.model import HttpExchange
from otel_ebpf.telemetry.sampling import Sampler

# The id of exchanges whose test does not name one: the samplers given it ignore the id.
ANY_TRACE_ID = bytes.fromhex("4bf92f3577b34da6a3ce929d0e0e4736")


def exchange(trace_id: bytes = ANY_TRACE_ID, parent: bytes = b"", sampled: bool = True) -> HttpExchange:
    ex = HttpExchange()
    ex.trace_id = trace_id
    ex.parent_span_id = parent
    ex.sampled = sampled
    return ex


def test_default_is_the_specifications_parentbased_always_on():
    sampler = Sampler.from_env({})
    assert sampler.name == "parentbased_always_on"
    assert sampler.should_sample(exchange())  # a root: sampled
    assert sampler.should_sample(exchange(parent=b"\x01" * 8, sampled=True))
    assert not sampler.should_sample(exchange(parent=b"\x01" * 8, sampled=False))  # the caller said no


@pytest.mark.parametrize(
    ("env", "name", "ratio"),
    [
        ({"OTEL_TRACES_SAMPLER": "always_off"}, "always_off", 1.0),
        ({"OTEL_TRACES_SAMPLER": " TraceIdRatio ", "OTEL_TRACES_SAMPLER_ARG": "0.25"}, "traceidratio", 0.25),
        (
            {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"},
            "parentbased_traceidratio",
            0.0,
        ),
        ({"OTEL_TRACES_SAMPLER": "traceidratio"}, "traceidratio", 1.0),  # missing arg
        ({"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "half"}, "traceidratio", 1.0),
        ({"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5"}, "traceidratio", 1.0),
        ({"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "nan"}, "traceidratio", 1.0),
        ({"OTEL_TRACES_SAMPLER": "xray"}, "parentbased_always_on", 1.0),  # unknown: the SDK's fallback
        ({"OTEL_TRACES_SAMPLER": "always_on", "OTEL_TRACES_SAMPLER_ARG": "0.1"}, "always_on", 1.0),
    ],
)
def test_from_env(env, name, ratio):
    sampler = Sampler.from_env(env)
    assert (sampler.name, sampler.ratio) == (name, ratio)


def test_constructor_rejects_bad_values():
    with pytest.raises(ValueError):
        Sampler("sometimes")
    with pytest.raises(ValueError):
        Sampler("traceidratio", 2.0)


@pytest.mark.parametrize("ratio", [0.0, 0.001, 0.25, 0.5, 0.999, 1.0])
def test_traceidratio_decides_exactly_like_the_sdk(ratio):
    ours = Sampler("traceidratio", ratio)
    sdk = TraceIdRatioBased(ratio)
    rng = random.Random(ratio)
    ids = [rng.randbytes(16) for _ in range(5000)]
    # boundary ids around the bound itself
    bound = ours.bound
    for low in (bound - 1, bound, bound + 1):
        if 0 <= low < 2**64:
            ids.append(b"\xff" * 8 + low.to_bytes(8, "big"))
    for tid in ids:
        expected = sdk.should_sample(None, int.from_bytes(tid, "big"), "x").decision == Decision.RECORD_AND_SAMPLE
        assert ours.should_sample(exchange(tid)) == expected


def test_traceidratio_keeps_about_the_ratio():
    sampler = Sampler("traceidratio", 0.25)
    rng = random.Random(1)
    kept = sampler.sample(exchange(rng.randbytes(16)) for _ in range(20_000))
    assert 4500 < len(kept) < 5500
    assert sampler.sampled_out == 20_000 - len(kept)


@pytest.mark.parametrize(
    ("name", "parent_sampled", "expected_with_parent", "expected_root"),
    [
        ("parentbased_always_on", True, True, True),
        ("parentbased_always_on", False, False, True),
        ("parentbased_always_off", True, True, False),
        ("parentbased_always_off", False, False, False),
    ],
)
def test_parent_based(name, parent_sampled, expected_with_parent, expected_root):
    sampler = Sampler(name)
    assert sampler.should_sample(exchange(parent=b"\x01" * 8, sampled=parent_sampled)) is expected_with_parent
    assert sampler.should_sample(exchange(parent=b"", sampled=parent_sampled)) is expected_root


def test_parentbased_traceidratio_uses_the_ratio_only_for_roots():
    sampler = Sampler("parentbased_traceidratio", 0.0)
    tid = b"\x00" * 16
    assert sampler.should_sample(exchange(tid, parent=b"\x02" * 8, sampled=True))
    assert not sampler.should_sample(exchange(tid, parent=b"", sampled=True))
    assert not sampler.should_sample(exchange(tid, parent=b"\x02" * 8, sampled=False))


def test_always_off_and_missing_trace_ids():
    assert Sampler("always_off").sample([exchange(), exchange()]) == []
    assert Sampler("traceidratio", 1.0).should_sample(exchange(b""))
    assert not Sampler("traceidratio", 0.0).should_sample(exchange(b""))
