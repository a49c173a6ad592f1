"""A Celery task that charges a card through a flaky payment gateway, and retries it right.

A task that calls another service will meet its bad days: timeouts, dropped connections, a
`503 Service Unavailable` during a deploy, a `429 Too Many Requests` when we go too fast. Those
are *transient*: the same request may well succeed later, so the task asks Celery to run it
again later (`self.retry`, https://docs.celeryq.dev/en/stable/userguide/tasks.html#retrying).
Everything else is *permanent*: a `402` card declined, a `422` bad amount, a `404` unknown
customer, a bug in our code. Retrying those only repeats the failure (and a `4xx` is the
gateway telling us the request itself is wrong, RFC 9110 section 15.5), so they fail at once.

How long to wait: exponential backoff with *full jitter*
(https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/): after the n-th
failure (n = `self.request.retries`, 0 for the first), the ceiling is
`min(MAX_DELAY, BASE_DELAY * 2 ** n)` (capped *before* the draw) and the countdown is a uniform
draw in `[0, ceiling]` (`rng.uniform(0, ceiling)`), so that a thousand tasks that failed together
do not come back together. When the gateway says when to come back (`Retry-After`, RFC 9110
section 10.2.3, on a 429 or a 503), the task waits at least that long:
`countdown = max(retry_after, backoff)`. A server that asks for more than `MAX_DELAY` is not
waited for: the task fails now with `GatewayUnavailable` (holding a job for an hour helps no one).

After `MAX_RETRIES` retries the task gives up, and its failure is the gateway's own error (the
`exc=` given to `self.retry`), not Celery's `MaxRetriesExceededError`: whoever reads the result
learns what went wrong.

The tests run the app eagerly (`task_always_eager`): `delay()` runs the task in the test's
process, and each retry runs at once, its countdown recorded rather than waited for.
"""

import random
import time
from typing import Any, Protocol

import httpx2
from celery import Celery

app = Celery("billing", set_as_current=False)
app.conf.update(task_always_eager=True, task_eager_propagates=False)

BASE_DELAY = 1.0  # seconds: the first retry's ceiling
MAX_DELAY = 60.0  # seconds: no countdown is longer
MAX_RETRIES = 7

# Answers worth retrying (RFC 9110 section 15): 408 Request Timeout, 429 Too Many Requests, and
# the gateway's own temporary failures. Every other 4xx and 5xx is permanent.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Transport errors worth retrying: no answer in time, or the connection failed. Not
# `UnsupportedProtocol` or `ProtocolError`: a wrong URL or a broken peer stays broken.
TRANSIENT_ERRORS = (httpx2.TimeoutException, httpx2.NetworkError)


class Gateway(Protocol):
    def post(
        self, url: str, *, json: Any, headers: dict[str, str], timeout: float
    ) -> httpx2.Response: ...


class GatewayUnavailable(Exception):
    """The gateway answered with a transient status too often (or asked us to wait too long)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"payment gateway unavailable: HTTP {status}")
        self.status = status


class PaymentRejected(Exception):
    """The gateway refused the charge: retrying will not change its mind."""

    def __init__(self, status: int) -> None:
        super().__init__(f"payment rejected: HTTP {status}")
        self.status = status


gateway: Gateway | None = None  # set when the app starts (the tests set a fake)
rng = random.Random()  # where the jitter comes from (the tests set a fake)
clock = time.time  # seconds since the epoch (the tests set a fixed clock)


def backoff(retries: int) -> float:
    """The countdown after the `retries`-th failure (0-based): full jitter under a capped
    exponential ceiling.

    TODO: `ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** retries)`, then a uniform draw in
    `[0, ceiling]` from `rng` (not from `random` directly: the tests control `rng`).
    """
    return BASE_DELAY


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait according to a `Retry-After` value (RFC 9110 section 10.2.3:
    `HTTP-date / delay-seconds`, delay-seconds being `1*DIGIT`); 0 for a date in the past;
    None when there is no header or it is not valid (then it is ignored).

    TODO: digits only (ASCII: `str.isdigit` also says yes to other scripts' digits) are
    seconds; otherwise try `email.utils.parsedate_to_datetime` (an IMF-fixdate such as
    `Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`; anything else is None.
    """
    return None


@app.task(bind=True, name="billing.charge")
def charge(self, order_id: str, amount_cents: int) -> str:
    """Charges an order; returns the gateway's charge id."""
    assert gateway is not None, "no payment gateway configured"
    # TODO: retry only what is transient (TRANSIENT_ERRORS, TRANSIENT_STATUSES), with
    # `raise self.retry(exc=..., countdown=...)`: the countdown from `backoff`, at least the
    # `Retry-After` of a 429 or 503 (and no retry at all when it asks for more than MAX_DELAY);
    # a permanent status raises PaymentRejected at once; give up after MAX_RETRIES retries.
    try:
        response = gateway.post(
            "https://gateway.example/v1/charges",
            json={"order": order_id, "amount": amount_cents, "currency": "EUR"},
            # The same key on every attempt: a charge that went through before the timeout is
            # not made twice (the gateway answers the stored result).
            headers={"Idempotency-Key": f"charge-{order_id}"},
            timeout=10.0,
        )
    except Exception as exc:
        raise self.retry(exc=exc, countdown=BASE_DELAY)
    if response.status_code >= 400:
        raise self.retry(exc=GatewayUnavailable(response.status_code), countdown=BASE_DELAY)
    return response.json()["id"]
