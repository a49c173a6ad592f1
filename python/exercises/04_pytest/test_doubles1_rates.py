"""The course's grading of doubles1_rates: YOUR tests are run against the real rate client and
against planted bugs (see suite_runner.py)."""

import pytest

from suite_runner import assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "doubles1_rates", "rates", "rates"
MINIMUM_TESTS = 15


def run(pytestconfig, edits=()):
    return run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits)


def test_your_suite_passes_against_the_real_client(pytestconfig):
    assert_suite_passes(run(pytestconfig), MINIMUM_TESTS)


PLANTED_BUGS = [
    ("the cache is never used",
     [("if cached is not None and self.clock() - cached[1] < FRESH_FOR:", "if False:")]),
    ("a rate exactly 60 s old still counts as fresh",
     [("self.clock() - cached[1] < FRESH_FOR:", "self.clock() - cached[1] <= FRESH_FOR:")]),
    ("one cache entry for every currency",
     [("cached = self._cache.get(currency)", 'cached = self._cache.get("any")'),
      ("self._cache[currency] = (value, self.clock())", 'self._cache["any"] = (value, self.clock())')]),
    ("the API key in the query string",
     [('params={"base": "EUR", "symbols": currency},\n                    headers={"Authorization": f"Bearer {key}"},',
       'params={"base": "EUR", "symbols": currency, "api_key": key},\n                    headers={},')]),
    ("a missing key still sends a request",
     [('        if not key:\n            raise RateUnavailable("RATES_API_KEY is not configured")\n', "")]),
    ("the key read once, when the service is built",
     [("        environ = os.environ if self.environ is None else self.environ\n        key = environ.get(\"RATES_API_KEY\")",
       "        key = self.key"),
      ("        self._cache = {}", "        self._cache = {}\n        self.key = (os.environ if environ is None else environ).get(\"RATES_API_KEY\")")]),
    ("client errors are retried",
     [("if 400 <= response.status < 500 and response.status != 429:", "if False:")]),
    ("429 is treated as a client error",
     [("if 400 <= response.status < 500 and response.status != 429:", "if 400 <= response.status < 500:")]),
    ("a timeout escapes instead of being retried",
     [("            except TimeoutError:\n                response = None", "            except KeyError:\n                response = None")]),
    ("four attempts",
     [("ATTEMPTS = 3", "ATTEMPTS = 4"), ("BACKOFF = (0.5, 1.0)", "BACKOFF = (0.5, 1.0, 2.0)")]),
    ("it sleeps after the last attempt too",
     [("            if attempt == ATTEMPTS - 1:\n                break\n", ""), ("BACKOFF = (0.5, 1.0)", "BACKOFF = (0.5, 1.0, 2.0)")]),
    ("constant backoff",
     [("            delay = BACKOFF[attempt]", "            delay = BACKOFF[0]")]),
    ("Retry-After ignored",
     [('                retry_after = response.headers.get("Retry-After", "")', '                retry_after = ""')]),
    ("a long Retry-After is waited anyway",
     [("                    if int(retry_after) > MAX_RETRY_AFTER:\n                        break\n", "")]),
    ("a Retry-After of exactly the limit gives up",
     [("if int(retry_after) > MAX_RETRY_AFTER:", "if int(retry_after) >= MAX_RETRY_AFTER:")]),
    ("stale rates served forever",
     [("if cached is not None and self.clock() - cached[1] < STALE_FOR:", "if cached is not None:")]),
    ("no stale fallback",
     [("        if cached is not None and self.clock() - cached[1] < STALE_FOR:\n            return cached[0]\n", "")]),
    ("an HTTP-date Retry-After is read as seconds (and crashes)",
     [("if retry_after.isascii() and retry_after.isdigit():", "if retry_after:")]),
    ("the API key in the query string as well as the header",
     [('params={"base": "EUR", "symbols": currency},', 'params={"base": "EUR", "symbols": currency, "api_key": key},')]),
    ("only 400, 401, 403 and 404 are client errors: a 422 is retried",
     [("if 400 <= response.status < 500 and response.status != 429:", "if response.status in (400, 401, 403, 404):")]),
    ("a client error raises at once: no stale fallback after a 4xx",
     [("if 400 <= response.status < 500 and response.status != 429:\n                    break",
       "if 400 <= response.status < 500 and response.status != 429:\n                    raise RateUnavailable(currency)")]),
    ("a rate exactly one hour old is still served stale",
     [("self.clock() - cached[1] < STALE_FOR:", "self.clock() - cached[1] <= STALE_FOR:")]),
]


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run(pytestconfig, edits), label)
