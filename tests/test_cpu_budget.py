"""`max_cpu` steers the kernel's span rate from what the agent really used (receivers/ebpf/cpu_budget.py)."""

from __future__ import annotations

import pytest

from otel_ebpf.receivers.ebpf.cpu_budget import MIN_RATE, PERIOD_S, CpuBudget


def _period(budget: CpuBudget, t: float, cpu: float, shed: int, used_cores: float, newly_shed: int):
    """One period later, with `used_cores` spent and `newly_shed` exchanges shed for the rate."""
    t += PERIOD_S
    cpu += used_cores * PERIOD_S
    shed += newly_shed
    return budget.adjust(t, cpu, shed), t, cpu, shed


def _started(budget: CpuBudget) -> tuple[float, float, int]:
    assert budget.adjust(100.0, 5.0, 0) is None  # the first look only starts a period
    return 100.0, 5.0, 0


def test_over_budget_the_rate_goes_down_in_proportion_at_most_halved():
    budget = CpuBudget(0.1, rate=4000, ceiling=10000)
    t, cpu, shed = _started(budget)
    rate, t, cpu, shed = _period(budget, t, cpu, shed, 0.125, 0)
    assert rate == budget.rate == 3200  # 4000 x 0.1 / 0.125
    rate, t, cpu, shed = _period(budget, t, cpu, shed, 0.5, 0)
    assert rate == 1600  # halved, not 3200 x 0.2


def test_under_budget_while_shedding_the_rate_goes_up_at_most_doubled_never_above_the_ceiling():
    budget = CpuBudget(0.1, rate=3000, ceiling=5000)
    t, cpu, shed = _started(budget)
    rate, t, cpu, shed = _period(budget, t, cpu, shed, 0.08, 500)
    assert rate == 3750  # 3000 x 0.1 / 0.08
    rate, t, cpu, shed = _period(budget, t, cpu, shed, 0.01, 500)
    assert rate == 5000  # doubled would be 7500: max_spans_per_second is the ceiling


@pytest.mark.parametrize(
    ("used", "newly_shed"),
    [
        (0.05, 0),  # under budget but nothing shed: the load is below the rate, nothing to give back
        (0.095, 800),  # within the dead band
        (0.104, 0),
    ],
)
def test_the_rate_is_left_alone(used, newly_shed):
    budget = CpuBudget(0.1, rate=3000)
    t, cpu, shed = _started(budget)
    rate, *_ = _period(budget, t, cpu, shed, used, newly_shed)
    assert rate is None and budget.rate == 3000 and budget.changes == 0


def test_a_budget_below_the_idle_cost_keeps_a_minimum_rate():
    budget = CpuBudget(0.001, rate=40)
    t, cpu, shed = _started(budget)
    for _ in range(10):
        _, t, cpu, shed = _period(budget, t, cpu, shed, 0.01, 0)
    assert budget.rate == MIN_RATE


def test_it_looks_once_a_period():
    budget = CpuBudget(0.1, rate=3000)
    assert budget.due(100.0)
    _started(budget)
    assert not budget.due(100.0 + PERIOD_S / 2)
    assert budget.due(100.0 + PERIOD_S)


def test_an_agent_at_saturation_settles_within_its_budget_and_stays():
    """A model of the agent: an idle cost, and a cost per exchange it receives (the kernel lets
    min(load, rate) through); started from a wrong estimate of that cost."""
    idle, per_exchange, load = 0.008, 27e-6, 80_000
    budget = CpuBudget(0.1, rate=int(0.1 / 21.4e-6), ceiling=10_000)
    t, cpu, shed = _started(budget)
    used_history = []
    for _ in range(12):
        through = min(load, budget.rate)
        used = idle + per_exchange * through
        used_history.append(used)
        _, t, cpu, shed = _period(budget, t, cpu, shed, used, load - through)
    assert used_history[0] > 0.12  # the estimate was off
    assert all(0.09 <= u <= 0.105 for u in used_history[3:]), used_history
    assert budget.changes <= 4  # it settles, it does not hunt
