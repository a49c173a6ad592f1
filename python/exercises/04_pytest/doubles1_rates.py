"""Test doubles: replace what is slow, flaky or far away, and check what was (NOT) called.

`rates.py` (the course hands it to your tests as the fixture `rates`) is an exchange-rate client
with a cache, retries with backoff, Retry-After and a stale fallback. Its docstring is the
specification. Its collaborators are injected, so your tests pass DOUBLES
(https://martinfowler.com/bliki/TestDouble.html):

- a FAKE HTTP client: `get(url, params=None, headers=None)` returns the next scripted outcome (a
  `rates.Response(...)`, or raises an exception you scripted, e.g. `TimeoutError()`) and RECORDS
  every call (url, params, headers) in a list. Most of the rules are about requests that must
  NOT be made: assert on the recorded calls, their number and their content.
- a fake clock (move time forward, never wait) and a SPY for sleep: `sleeps = []` and pass
  `sleeps.append`: the test then asserts the exact backoff that WOULD have been waited
  ([0.5, 1.0]), and the suite runs in milliseconds. A test that really sleeps is a slow test,
  and a flaky one.
- the environment: pass `environ={"RATES_API_KEY": ...}`, or test the default (os.environ at call
  time) with pytest's `monkeypatch.setenv` fixture, which restores it after the test
  (https://docs.pytest.org/en/stable/how-to/monkeypatch.html).

Prefer these hand-written fakes to `unittest.mock.Mock` here: a Mock accepts any call with any
arguments, so a typo'd method name or a wrong keyword passes silently (and graded code may not
import unittest anyway).

The course runs your suite against the real client (it must pass, at least 15 tests) and
against some twenty planted bugs (each must fail one of your tests).
"""

import pytest

KEY = "rk_test_123"


class FakeClient:
    def __init__(self, rates):
        self.rates = rates
        self.calls = []

    def get(self, url, params=None, headers=None):
        self.calls.append({"url": url, "params": params, "headers": headers})
        return self.rates.Response(200, {"rates": {"USD": 1.0842}})  # TODO: a script of outcomes


def test_fetches_a_rate(rates):
    client = FakeClient(rates)
    service = rates.RateService(client, lambda: 0.0, lambda seconds: None, environ={"RATES_API_KEY": KEY})
    assert service.rate("USD")  # TODO: the exact value, and what was sent


# TODO: the cache (and its boundary), the key, retries and backoff, Retry-After, stale answers.
