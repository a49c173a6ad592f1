import math

import pytest

from obs3_alert_hysteresis import AlertEvaluator, Notification, Rule, State


class Clock:
    def __init__(self):
        self.now = 0.0
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return self.now


def run(rule, steps):
    """steps: (time, value) pairs; returns (the states, the notifications, the clock)."""
    sent = []
    clock = Clock()
    evaluator = AlertEvaluator(rule, sent.append, clock)
    states = []
    for at, value in steps:
        clock.now = at
        states.append(evaluator.evaluate(value))
    return states, sent, clock


RULE = Rule("HighErrorRate", fire_above=0.05, resolve_below=0.03, for_seconds=60)
I, P, F = State.INACTIVE, State.PENDING, State.FIRING


def test_pending_then_firing_after_the_for_duration():
    states, sent, clock = run(RULE, [(0, 0.01), (10, 0.2), (40, 0.2), (69, 0.2), (70, 0.2), (100, 0.3)])
    assert states == [I, P, P, P, F, F]
    assert sent == [Notification("HighErrorRate", "firing", 70, 10, 0.2)]
    assert clock.reads == 6, "one clock reading per evaluation"


def test_the_for_duration_is_inclusive():
    states, sent, _ = run(RULE, [(5, 0.06), (65, 0.06)])
    assert states == [P, F]
    assert sent[0].since == 5 and sent[0].at == 65


def test_sparse_evaluations_fire_when_they_see_the_duration_has_passed():
    states, sent, _ = run(RULE, [(0, 0.9), (500, 0.9)])
    assert states == [P, F]
    assert len(sent) == 1


def test_a_blip_shorter_than_for_never_notifies_and_restarts_the_period():
    states, sent, _ = run(
        RULE, [(0, 0.2), (50, 0.04), (60, 0.2), (110, 0.2), (119, 0.2), (120, 0.2)]
    )
    assert states == [P, I, P, P, P, F], "a pending alert resets silently; the next breach starts anew"
    assert [(n.status, n.since, n.at) for n in sent] == [("firing", 60, 120)]


def test_breaching_is_strictly_above_the_threshold():
    states, sent, _ = run(RULE, [(0, 0.05), (100, 0.05), (200, 0.05)])
    assert states == [I, I, I]
    assert sent == []


def test_for_zero_fires_at_the_first_breach():
    rule = Rule("Down", fire_above=0.5, resolve_below=0.5, for_seconds=0)
    states, sent, _ = run(rule, [(3, 1.0)])
    assert states == [F]
    assert sent == [Notification("Down", "firing", 3, 3, 1.0)]


def test_hysteresis_a_value_oscillating_around_the_limit_does_not_flap():
    steps = [(0, 0.2), (60, 0.2)] + [(60 + 10 * i, v) for i, v in enumerate([0.049, 0.051] * 10, 1)]
    states, sent, _ = run(RULE, steps)
    assert states[1:] == [F] * 21
    assert [n.status for n in sent] == ["firing"], "one page, no flapping"


def test_resolves_strictly_below_the_lower_threshold_once():
    states, sent, _ = run(
        RULE, [(0, 0.2), (60, 0.2), (70, 0.04), (80, 0.03), (90, 0.029), (100, 0.01), (110, 0.02)]
    )
    assert states == [P, F, F, F, I, I, I]
    assert [(n.status, n.at, n.since, n.value) for n in sent] == [
        ("firing", 60, 0, 0.2),
        ("resolved", 90, 0, 0.029),
    ]


def test_after_resolving_a_new_breach_waits_for_the_whole_duration_again():
    states, sent, _ = run(RULE, [(0, 0.2), (60, 0.2), (70, 0.0), (80, 0.2), (100, 0.2), (140, 0.2)])
    assert states == [P, F, I, P, P, F]
    assert [(n.status, n.at, n.since) for n in sent] == [
        ("firing", 60, 0),
        ("resolved", 70, 0),
        ("firing", 140, 80),
    ]


@pytest.mark.parametrize("missing", [None, math.nan])
def test_no_data_resets_a_pending_alert(missing):
    states, sent, _ = run(RULE, [(0, 0.2), (30, missing), (60, 0.2), (90, 0.2)])
    assert states == [P, I, P, P]
    assert sent == []


@pytest.mark.parametrize("missing", [None, math.nan])
def test_no_data_keeps_a_firing_alert_firing(missing):
    states, sent, _ = run(RULE, [(0, 0.2), (60, 0.2), (70, missing), (80, missing), (90, 0.01)])
    assert states == [P, F, F, F, I]
    assert [n.status for n in sent] == ["firing", "resolved"]


@pytest.mark.parametrize(
    "fire_above, resolve_below, for_seconds",
    [(0.05, 0.06, 60), (0.05, 0.03, -1)],
)
def test_a_rule_that_cannot_work_is_refused(fire_above, resolve_below, for_seconds):
    with pytest.raises(ValueError):
        Rule("Bad", fire_above=fire_above, resolve_below=resolve_below, for_seconds=for_seconds)


def test_equal_thresholds_are_a_valid_rule():
    Rule("Edge", fire_above=0.05, resolve_below=0.05, for_seconds=0)
