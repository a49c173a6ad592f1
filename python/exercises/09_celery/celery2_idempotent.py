"""An idempotent Celery task: the receipt e-mail goes out at most once, however often the task
is delivered.

Celery's delivery is *at least once*. With `acks_late=True` (the message is acknowledged after
the task ran, https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.acks_late) a worker
that dies mid-task leaves the message unacknowledged, and the broker hands it to another worker:
the task runs again. With Redis as the broker, a message not acknowledged within the visibility
timeout is redelivered even when its first worker is merely slow, so two workers may run it *at
the same time*. And the producer may enqueue the same job twice (a double click, a retried HTTP
request). The task must be idempotent
(https://docs.celeryq.dev/en/stable/userguide/tasks.html#idempotence): its side effect, here an
e-mail that cannot be unsent, happens at most once per order.

The pattern: an idempotency key per *business* operation (`receipt:<order_id>`, not the task id:
two enqueued copies have different task ids), claimed atomically in Redis before the side
effect:

- claim: `SET receipt:<order_id> <token> NX EX CLAIM_TTL` (https://redis.io/docs/latest/commands/set/):
  one command that sets the key only if it does not exist, with an expiry, so a worker that dies
  holding the claim does not block the order forever. `token` is random (`secrets.token_hex`), so
  a worker can tell its own claim from another's. A GET followed by a SET lets two workers both
  see "free"; SETNX followed by EXPIRE leaves a claim that never expires when the worker dies in
  between.
- not claimed (the key exists: sent already, or another worker is sending it now): return
  `"duplicate"` without doing anything. It is not an error: the message is acknowledged.
- side effect done: `SET receipt:<order_id> done EX DONE_TTL`, remembered longer than any
  redelivery can come (a deleted key would let a redelivery send again); return `"sent"`.
- side effect failed: release the claim so that a retry can run, but only if it is still ours
  (compare-and-delete in one Lua script, RELEASE below: our claim may have expired and another
  worker may hold the key now), then let the exception propagate. Celery retries the task on
  `ConnectionError` (`autoretry_for`).

The tests run the app eagerly (`delay`/`apply` run the task in the test's process, retries
included) against a real Redis.
"""

from typing import Protocol

import redis
from celery import Celery

app = Celery("receipts", set_as_current=False)
app.conf.update(task_always_eager=True, task_eager_propagates=False)

CLAIM_TTL = 300  # seconds: longer than the task may run (its time limit)
DONE_TTL = 7 * 24 * 3600  # seconds: longer than any redelivery or duplicate can come

# Deletes KEYS[1] only if it still holds ARGV[1] (our token); returns 1 when it did.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


r: redis.Redis | None = None  # set when the app starts (the tests set a client)
mailer: Mailer | None = None  # set when the app starts (the tests set a fake)


def claim_key(order_id: str) -> str:
    return f"receipt:{order_id}"


@app.task(
    bind=True,
    name="receipts.send",
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
)
def send_receipt(self, order_id: str, email: str) -> str:
    """Sends the receipt of an order once; "sent" or "duplicate"."""
    assert r is not None and mailer is not None, "the app is not configured"
    key = claim_key(order_id)
    # TODO: claim the key atomically with a random token and an expiry (`r.set(key, token,
    # nx=True, ex=CLAIM_TTL)`, token from `secrets.token_hex(16)`); on failure of the side
    # effect, release the claim if it is still ours (`r.eval(RELEASE, 1, key, token)`) and
    # re-raise; on success, remember it (`"done"`, DONE_TTL). And the task must be acknowledged
    # late (`acks_late=True` in the decorator).
    if r.get(key) is not None:
        return "duplicate"
    mailer.send(
        to=email,
        subject=f"Your receipt for order {order_id}",
        body=f"Thank you for order {order_id}.",
    )
    r.set(key, "done")
    return "sent"
