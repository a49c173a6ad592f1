"""Test doubles for an exchange-rate client: fakes that record, a fake clock, no real waiting
(reference solution)."""

from decimal import Decimal

import pytest

KEY = "rk_test_123"


class FakeClient:
    """Answers from a script (a Response, or an exception to raise) and records every call."""

    def __init__(self, rates):
        self.rates = rates
        self.script = []
        self.calls = []

    def then(self, *outcomes):
        self.script.extend(outcomes)
        return self

    def get(self, url, params=None, headers=None):
        self.calls.append({"url": url, "params": params, "headers": headers})
        outcome = self.script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def time(self):
        return self.now


@pytest.fixture
def client(rates):
    return FakeClient(rates)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def service(rates, client, clock, sleeps):
    return rates.RateService(client, clock.time, sleeps.append, environ={"RATES_API_KEY": KEY})


def ok(rates, value=1.0842, currency="USD"):
    return rates.Response(200, {"rates": {currency: value}})


def test_fetches_with_the_key_in_a_header(rates, client, service, sleeps):
    client.then(ok(rates))
    assert service.rate("USD") == Decimal("1.0842")
    assert client.calls == [{
        "url": rates.URL,
        "params": {"base": "EUR", "symbols": "USD"},
        "headers": {"Authorization": f"Bearer {KEY}"},
    }]
    assert KEY not in client.calls[0]["url"]
    assert sleeps == []


def test_fresh_cache_makes_no_request(rates, client, clock, service):
    client.then(ok(rates), ok(rates, 1.1))
    service.rate("USD")
    clock.now += 59.9
    assert service.rate("USD") == Decimal("1.0842")
    assert len(client.calls) == 1


def test_refetches_at_exactly_sixty_seconds(rates, client, clock, service):
    client.then(ok(rates), ok(rates, 1.1))
    service.rate("USD")
    clock.now += 60
    assert service.rate("USD") == Decimal("1.1")
    assert len(client.calls) == 2


def test_the_cache_is_per_currency(rates, client, service):
    client.then(ok(rates), ok(rates, 0.85, "GBP"))
    assert service.rate("USD") == Decimal("1.0842")
    assert service.rate("GBP") == Decimal("0.85")
    assert [c["params"]["symbols"] for c in client.calls] == ["USD", "GBP"]


@pytest.mark.parametrize("environ", [{}, {"RATES_API_KEY": ""}])
def test_no_key_no_request(rates, client, clock, sleeps, environ):
    service = rates.RateService(client, clock.time, sleeps.append, environ=environ)
    with pytest.raises(rates.RateUnavailable):
        service.rate("USD")
    assert client.calls == []


def test_reads_the_key_from_the_process_environment_at_call_time(rates, client, clock, sleeps, monkeypatch):
    service = rates.RateService(client, clock.time, sleeps.append)
    monkeypatch.setenv("RATES_API_KEY", "rk_from_env")
    client.then(ok(rates))
    service.rate("USD")
    assert client.calls[0]["headers"] == {"Authorization": "Bearer rk_from_env"}


@pytest.mark.parametrize("failure", ["timeout", 500, 502, 503, 429])
def test_transient_failures_are_retried_with_backoff(rates, client, service, sleeps, failure):
    bad = TimeoutError() if failure == "timeout" else rates.Response(failure)
    client.then(bad, bad, ok(rates))
    assert service.rate("USD") == Decimal("1.0842")
    assert len(client.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_three_attempts_then_unavailable_and_no_sleep_after_the_last(rates, client, service, sleeps):
    client.then(rates.Response(500), TimeoutError(), rates.Response(502), ok(rates))
    with pytest.raises(rates.RateUnavailable):
        service.rate("USD")
    assert len(client.calls) == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(rates, client, service, sleeps, status):
    client.then(rates.Response(status), ok(rates))
    with pytest.raises(rates.RateUnavailable):
        service.rate("USD")
    assert len(client.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_replaces_the_backoff(rates, client, service, sleeps, status):
    client.then(rates.Response(status, headers={"Retry-After": "3"}), rates.Response(500), ok(rates))
    assert service.rate("USD") == Decimal("1.0842")
    assert sleeps == [3, 1.0]


def test_retry_after_at_the_limit_is_waited(rates, client, service, sleeps):
    client.then(rates.Response(429, headers={"Retry-After": "5"}), ok(rates))
    service.rate("USD")
    assert sleeps == [5]


def test_retry_after_too_long_stops_retrying(rates, client, service, sleeps):
    client.then(rates.Response(503, headers={"Retry-After": "6"}), ok(rates))
    with pytest.raises(rates.RateUnavailable):
        service.rate("USD")
    assert len(client.calls) == 1 and sleeps == []


def test_retry_after_as_a_date_falls_back_to_backoff(rates, client, service, sleeps):
    client.then(rates.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), ok(rates))
    service.rate("USD")
    assert sleeps == [0.5]


def test_a_stale_rate_is_served_when_the_api_is_down(rates, client, clock, service):
    client.then(ok(rates), rates.Response(503), rates.Response(503), rates.Response(503))
    service.rate("USD")
    clock.now += 3599
    assert service.rate("USD") == Decimal("1.0842")
    assert len(client.calls) == 4


def test_a_rate_older_than_an_hour_is_not_served(rates, client, clock, service):
    client.then(ok(rates), rates.Response(503), rates.Response(503), rates.Response(503))
    service.rate("USD")
    clock.now += 3600
    with pytest.raises(rates.RateUnavailable):
        service.rate("USD")


def test_a_stale_rate_is_served_after_a_client_error_too(rates, client, clock, service):
    client.then(ok(rates), rates.Response(404))
    service.rate("USD")
    clock.now += 120
    assert service.rate("USD") == Decimal("1.0842")
    assert len(client.calls) == 2
