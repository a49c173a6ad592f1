from email.utils import formatdate

import httpx2
import pytest
from celery.signals import task_retry
from celery_support import check_configuration

import celery1_retries as billing

NOW = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC


class FakeRandom:
    """Draws at a fixed fraction of the range: 0 is the shortest wait, 1 the longest."""

    def __init__(self, fraction):
        self.fraction = fraction
        self.ranges = []

    def uniform(self, a, b):
        self.ranges.append((a, b))
        return a + (b - a) * self.fraction

    def random(self):
        self.ranges.append((0.0, 1.0))
        return self.fraction


class FakeGateway:
    """Answers from a script, one entry per call: a status (with headers) or an exception."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls = []

    def post(self, url, *, json, headers, timeout):
        self.calls.append({"url": url, "json": json, "headers": dict(headers), "timeout": timeout})
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step.with_traceback(None)
        status, response_headers = step if isinstance(step, tuple) else (step, {})
        body = {"id": "ch_42"} if status < 400 else {"error": "nope"}
        return httpx2.Response(status, headers=response_headers, json=body)


@pytest.fixture
def run(monkeypatch):
    """Charges order A-1 against a scripted gateway; returns the result, the countdowns the task
    asked for, and the gateway."""
    check_configuration(billing.app)
    assert billing.app.conf.task_always_eager, "the tests run the app eagerly"
    countdowns = []

    def on_retry(sender=None, reason=None, **kwargs):
        countdowns.append(reason.when)

    task_retry.connect(on_retry, sender=billing.charge, weak=False)
    monkeypatch.setattr(billing, "clock", lambda: NOW)

    def go(*script, fraction=1.0):
        gateway = FakeGateway(*script)
        monkeypatch.setattr(billing, "gateway", gateway)
        monkeypatch.setattr(billing, "rng", FakeRandom(fraction))
        result = billing.charge.delay("A-1", 1999)
        return result, countdowns, gateway

    yield go
    task_retry.disconnect(on_retry, sender=billing.charge)


def failure(result):
    assert result.state == "FAILURE", f"the task ended {result.state}: {result.result!r}"
    return result.result


def timeout():
    return httpx2.ReadTimeout("no answer in 10s")


def test_a_success_charges_once_and_returns_the_charge_id(run):
    result, countdowns, gateway = run(201)
    assert result.state == "SUCCESS" and result.result == "ch_42"
    assert countdowns == [] and len(gateway.calls) == 1


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 422, 501])
def test_a_permanent_answer_fails_at_once_without_retrying(run, status):
    result, countdowns, gateway = run(status)
    error = failure(result)
    assert isinstance(error, billing.PaymentRejected) and error.status == status
    assert countdowns == [] and len(gateway.calls) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_a_transient_answer_is_retried_until_it_succeeds(run, status):
    result, countdowns, gateway = run(status, status, 200)
    assert result.state == "SUCCESS" and result.result == "ch_42"
    assert len(gateway.calls) == 3 and len(countdowns) == 2


@pytest.mark.parametrize(
    "error",
    [httpx2.ReadTimeout("slow"), httpx2.ConnectTimeout("slow"), httpx2.ConnectError("refused"),
     httpx2.ReadError("reset")],
    ids=["read-timeout", "connect-timeout", "connect-error", "read-error"],
)
def test_timeouts_and_network_errors_are_retried(run, error):
    result, countdowns, gateway = run(error, 200)
    assert result.state == "SUCCESS" and len(gateway.calls) == 2 and len(countdowns) == 1


@pytest.mark.parametrize(
    "error",
    [httpx2.UnsupportedProtocol("ftp://"), ValueError("bug in our code"), KeyError("id")],
    ids=["unsupported-protocol", "value-error", "key-error"],
)
def test_other_errors_are_not_retried(run, error):
    result, countdowns, gateway = run(error)
    assert failure(result) is error
    assert countdowns == [] and len(gateway.calls) == 1


def test_every_attempt_sends_the_same_idempotency_key(run):
    _, _, gateway = run(503, timeout(), 200)
    keys = {call["headers"]["Idempotency-Key"] for call in gateway.calls}
    assert keys == {"charge-A-1"} and len(gateway.calls) == 3


def test_the_ceiling_doubles_from_the_base_and_is_capped(run):
    result, countdowns, gateway = run(timeout(), fraction=1.0)
    assert countdowns == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
    assert len(gateway.calls) == billing.MAX_RETRIES + 1 == 8


def test_full_jitter_draws_from_zero_up_to_the_capped_ceiling(run):
    _, countdowns, _ = run(timeout(), fraction=0.5)
    # Capped before the draw: half of min(60, 64) is 30, not min(60, 32).
    assert countdowns == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    _, countdowns, _ = run(timeout(), fraction=0.0)
    assert countdowns[7:] == [0.0] * 7


def test_the_jitter_comes_from_the_injected_random_source(run, monkeypatch):
    result, countdowns, gateway = run(503, 503, 200, fraction=0.25)
    assert billing.rng.ranges, "the countdown was not drawn from `rng`"
    assert countdowns == [0.25, 0.5]


def test_after_the_last_retry_the_failure_is_the_gateways_own_error(run):
    result, _, gateway = run(timeout())
    error = failure(result)
    assert isinstance(error, httpx2.ReadTimeout), f"{error!r}"
    assert len(gateway.calls) == 8


def test_a_status_that_stays_transient_fails_with_gateway_unavailable(run):
    result, countdowns, _ = run(503)
    error = failure(result)
    assert isinstance(error, billing.GatewayUnavailable) and error.status == 503
    assert len(countdowns) == billing.MAX_RETRIES


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_honoured(run, status):
    _, countdowns, _ = run((status, {"Retry-After": "17"}), 200, fraction=0.0)
    assert countdowns == [17.0]


def test_retry_after_is_a_minimum_not_a_replacement_for_backoff(run):
    _, countdowns, _ = run(503, 503, 503, 503, (503, {"Retry-After": "3"}), 200, fraction=1.0)
    assert countdowns == [1.0, 2.0, 4.0, 8.0, 16.0]
    _, countdowns, _ = run(503, (503, {"Retry-After": "3"}), 200, fraction=1.0)
    assert countdowns[-1] == 3.0


def test_the_header_name_is_case_insensitive(run):
    _, countdowns, _ = run((429, {"retry-after": "9"}), 200, fraction=0.0)
    assert countdowns == [9.0]


def test_retry_after_as_an_http_date(run):
    future = formatdate(NOW + 42, usegmt=True)
    _, countdowns, _ = run((503, {"Retry-After": future}), 200, fraction=0.0)
    assert countdowns == [42.0]


def test_a_retry_after_date_in_the_past_means_now(run):
    past = formatdate(NOW - 3600, usegmt=True)
    _, countdowns, _ = run((503, {"Retry-After": past}), 200, fraction=0.0)
    assert countdowns == [0.0]


@pytest.mark.parametrize(
    "value", ["soon", "-5", "+5", "1.5", "1e3", "", b"\xb2", "3 seconds"],
    ids=["word", "negative", "plus", "fraction", "exponent", "empty", "superscript-two", "unit"],
)
def test_an_invalid_retry_after_is_ignored(run, value):
    _, countdowns, _ = run((503, {"Retry-After": value}), 200, fraction=1.0)
    assert countdowns == [1.0]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, None), ("0", 0.0), (" 120 ", 120.0), ("soon", None), ("-1", None),
     (formatdate(NOW + 5, usegmt=True), 5.0), (formatdate(NOW - 5, usegmt=True), 0.0),
     ("Wed, 31 Dec 2025 25:00:00 GMT", None)],
    ids=["absent", "zero", "spaces", "word", "negative", "date", "past-date", "bad-date"],
)
def test_retry_after_seconds_reads_both_forms(value, seconds):
    assert billing.retry_after_seconds(value, NOW) == seconds


def test_retry_after_on_other_statuses_is_not_read(run):
    _, countdowns, _ = run((502, {"Retry-After": "30"}), 200, fraction=0.0)
    assert countdowns == [0.0]


def test_retry_after_up_to_the_cap_is_waited_for(run):
    _, countdowns, _ = run((429, {"Retry-After": "60"}), 200, fraction=0.0)
    assert countdowns == [60.0]


def test_retry_after_beyond_the_cap_fails_now(run):
    result, countdowns, gateway = run((429, {"Retry-After": "61"}), 200)
    error = failure(result)
    assert isinstance(error, billing.GatewayUnavailable) and error.status == 429
    assert countdowns == [] and len(gateway.calls) == 1
    late = formatdate(NOW + 3600, usegmt=True)
    result, countdowns, _ = run((503, {"Retry-After": late}), 200)
    assert isinstance(failure(result), billing.GatewayUnavailable) and countdowns == []
