"""Course code (read it, do not edit it): an exchange-rate client, the subject of doubles1.

`RateService(client, clock, sleep, environ=None).rate(currency)` returns the EUR -> currency rate
as a Decimal. Its collaborators are injected, so a test replaces each with a double:

- `client.get(url, params=..., headers=...)` returns a Response (status, json, headers) or raises
  TimeoutError. Production passes an HTTP client; a test passes a fake that answers from a script
  and RECORDS the calls.
- `clock()` returns seconds; `sleep(seconds)` waits (production: time.monotonic, time.sleep).
- `environ`: where the API key is read, at call time (None means os.environ).

The rules:
1. Cache: a rate fetched less than 60 s ago (FRESH_FOR) is answered from the cache WITHOUT any
   request. At exactly 60 s it is refetched.
2. The API key: `RATES_API_KEY`. Missing or empty: raise RateUnavailable without any request.
   It is sent as `Authorization: Bearer <key>`, never in the URL or the query (URLs end up in
   access logs and proxies).
3. The request: GET URL with params {"base": "EUR", "symbols": currency}.
4. At most 3 attempts (ATTEMPTS). Retried: a timeout, 5xx, and 429 Too Many Requests. NOT retried:
   the other 4xx (a client error does not get better by repeating it).
5. Between attempts (never after the last one) it sleeps 0.5 s, then 1.0 s (BACKOFF). But a 429
   or 503 with `Retry-After: <seconds>` (RFC 9110 section 10.2.3, delta-seconds form) waits that
   long instead; more than 5 s (MAX_RETRY_AFTER) is too long for a request in flight: it stops
   retrying at once. A Retry-After that is not digits (the HTTP-date form) falls back to BACKOFF.
6. When every attempt failed: a cached rate younger than one hour (STALE_FOR) is served stale;
   otherwise RateUnavailable.
"""

import os
from decimal import Decimal

URL = "https://rates.example/v1/latest"
FRESH_FOR = 60
STALE_FOR = 3600
ATTEMPTS = 3
BACKOFF = (0.5, 1.0)
MAX_RETRY_AFTER = 5


class RateUnavailable(Exception):
    pass


class Response:
    def __init__(self, status, json=None, headers=None):
        self.status = status
        self.json = json
        self.headers = headers or {}


class RateService:
    def __init__(self, client, clock, sleep, environ=None):
        self.client = client
        self.clock = clock
        self.sleep = sleep
        self.environ = environ
        self._cache = {}

    def rate(self, currency):
        cached = self._cache.get(currency)
        if cached is not None and self.clock() - cached[1] < FRESH_FOR:
            return cached[0]
        environ = os.environ if self.environ is None else self.environ
        key = environ.get("RATES_API_KEY")
        if not key:
            raise RateUnavailable("RATES_API_KEY is not configured")
        for attempt in range(ATTEMPTS):
            try:
                response = self.client.get(
                    URL, params={"base": "EUR", "symbols": currency},
                    headers={"Authorization": f"Bearer {key}"},
                )
            except TimeoutError:
                response = None
            if response is not None:
                if response.status == 200:
                    value = Decimal(str(response.json["rates"][currency]))
                    self._cache[currency] = (value, self.clock())
                    return value
                if 400 <= response.status < 500 and response.status != 429:
                    break
            if attempt == ATTEMPTS - 1:
                break
            delay = BACKOFF[attempt]
            if response is not None and response.status in (429, 503):
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isascii() and retry_after.isdigit():
                    if int(retry_after) > MAX_RETRY_AFTER:
                        break
                    delay = int(retry_after)
            self.sleep(delay)
        if cached is not None and self.clock() - cached[1] < STALE_FOR:
            return cached[0]
        raise RateUnavailable(currency)
