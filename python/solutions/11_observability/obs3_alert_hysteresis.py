"""An alert rule that neither flaps nor fires on a blip: `for` and hysteresis.

A Prometheus alerting rule (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/)

    - alert: HighErrorRate
      expr: error_rate > 0.05
      for: 5m

is evaluated every few seconds. Its alert has three states:

- **inactive**: the condition does not hold;
- **pending**: the condition holds, but not yet for the whole `for` duration (a one-evaluation
  spike never pages anyone). The moment it started is remembered;
- **firing**: the condition has held at every evaluation for at least `for` (`now - since >=
  for_seconds`, so with `for_seconds == 0` it fires at the first breaching evaluation).

A pending alert whose condition stops holding goes back to inactive **silently**; the next breach
starts a new `for` period. Notifications (what Alertmanager would page with) are sent on the two
transitions only: `firing` when the alert starts firing, `resolved` when it stops. Never one per
evaluation while firing.

**Hysteresis** (the lesson Prometheus leaves to you, and thermostats learnt long ago): with a
single threshold, a value oscillating around it (0.049, 0.051, 0.049...) fires and resolves again
and again: flapping, the surest way to teach on-call to ignore a page. So a firing alert resolves
only when the value drops strictly **below a lower threshold** `resolve_below`; a value between
the two thresholds keeps it firing. Breaching is strictly above `fire_above`.

**No data** (`None`, or a NaN from a division by zero): a pending alert goes back to inactive
(the breach was not seen continuously); a firing alert stays firing (a dead exporter does not
mean the outage is over).

A `Rule` with `resolve_below > fire_above` or a negative `for_seconds` is a configuration error:
`ValueError` when it is made. Time comes from the injected `clock` (seconds, monotonic), read
once per evaluation.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class State(Enum):
    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"


@dataclass(frozen=True)
class Rule:
    name: str
    fire_above: float
    resolve_below: float
    for_seconds: float

    def __post_init__(self) -> None:
        if self.resolve_below > self.fire_above:
            raise ValueError("resolve_below must not be above fire_above")
        if self.for_seconds < 0:
            raise ValueError("for_seconds must not be negative")


@dataclass(frozen=True)
class Notification:
    rule: str
    status: str  # "firing" or "resolved"
    at: float  # the evaluation's time
    since: float  # when the breach that fired began (the pending start)
    value: float | None


class AlertEvaluator:
    def __init__(
        self, rule: Rule, notify: Callable[[Notification], None], clock: Callable[[], float]
    ) -> None:
        self.rule = rule
        self.notify = notify
        self.clock = clock
        self.state = State.INACTIVE
        self.since: float | None = None

    def evaluate(self, value: float | None) -> State:
        now = self.clock()
        missing = value is None or math.isnan(value)
        if self.state is State.FIRING:
            if not missing and value is not None and value < self.rule.resolve_below:
                since = self.since if self.since is not None else now
                self.state = State.INACTIVE
                self.since = None
                self.notify(Notification(self.rule.name, "resolved", now, since, value))
            return self.state
        breaching = not missing and value is not None and value > self.rule.fire_above
        if not breaching:
            self.state = State.INACTIVE
            self.since = None
            return self.state
        if self.state is State.INACTIVE or self.since is None:
            self.state = State.PENDING
            self.since = now
        if now - self.since >= self.rule.for_seconds:
            self.state = State.FIRING
            self.notify(Notification(self.rule.name, "firing", now, self.since, value))
        return self.state
