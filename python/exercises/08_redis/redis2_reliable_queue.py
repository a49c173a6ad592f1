"""A reliable work queue on Redis lists: a job is never lost when a worker crashes.

A plain `RPOP` hands the job to the worker and forgets it: if the worker dies before finishing,
the job is gone. The reliable-queue pattern
(https://redis.io/docs/latest/commands/lmove/#pattern-reliable-queue) moves the job, in one
atomic command, from the queue to a *processing* list: `LMOVE queue processing RIGHT LEFT`, or
`BLMOVE ... timeout` to wait for one (https://redis.io/docs/latest/commands/blmove/). A worker
that finishes *acknowledges* the job by removing it from the processing list (`LREM processing
1 payload`). A reaper returns the jobs whose worker has not acknowledged them within the
visibility timeout to the queue, at the end that is consumed next, so they are redelivered first.
A job redelivered `max_deliveries` times goes to a dead-letter list instead (a poison message must
not cycle forever).

A job given back and claimed again sits in the processing list under the same payload: the first
worker's late ack must not remove the second worker's claim (that job would then be lost if the
second worker crashed). Each delivery is told apart by its number (`Job.deliveries`, counted in
`q:deliveries`): the ack removes the payload only while that number is still the current one,
checked and removed in one script. So `claim` counts the delivery *before* it records the claim
time: until both are written, the reaper skips the claim and an old delivery's ack finds no claim.

Layout (for a queue named `q`):
- `q` (list): waiting payloads; producers `LPUSH`, consumers take from the RIGHT (FIFO);
- `q:processing` (list): payloads claimed and not yet acknowledged;
- `q:claimed` (hash): payload -> time it was claimed (by the injected clock);
- `q:deliveries` (hash): payload -> how many times it was handed out;
- `q:dead` (list): payloads given up on.
A payload is the JSON text `{"id": ..., "body": ...}`; ids are unique, so payloads are too.
"""

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

# Acknowledges one delivery: removes the payload from the processing list only if it is claimed
# and this delivery (ARGV[2]) is still its latest, then drops its bookkeeping. Returns 1 or 0.
# KEYS: processing, claimed, deliveries. ARGV: payload, its delivery number.
ACK = """
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0
    or redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
    return 0
end
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
    return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
"""

# Moves one payload out of the processing list, if it is still there (its worker may have
# acknowledged it meanwhile), back to the consuming end of the queue or to the dead letters.
# KEYS: processing, claimed, deliveries, queue, dead. ARGV: payload, "1" for a dead letter.
GIVE_BACK = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
    return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[2] == '1' then
    redis.call('HDEL', KEYS[3], ARGV[1])
    redis.call('LPUSH', KEYS[5], ARGV[1])
    return 2
end
redis.call('RPUSH', KEYS[4], ARGV[1])
return 1
"""


@dataclass(frozen=True)
class Job:
    id: str
    body: Any
    payload: str
    deliveries: int


class ReliableQueue:
    def __init__(
        self,
        r: redis.Redis,
        name: str,
        visibility_timeout: float = 30.0,
        max_deliveries: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.r = r
        self.name = name
        self.processing = f"{name}:processing"
        self.claimed = f"{name}:claimed"
        self.deliveries = f"{name}:deliveries"
        self.dead = f"{name}:dead"
        self.visibility_timeout = visibility_timeout
        self.max_deliveries = max_deliveries
        self.clock = clock
        self.acknowledge = r.register_script(ACK)
        self.give_back = r.register_script(GIVE_BACK)

    def push(self, body: Any) -> str:
        job_id = uuid.uuid4().hex
        self.r.lpush(self.name, json.dumps({"id": job_id, "body": body}))
        return job_id

    def claim(self, timeout: float = 0) -> Job | None:
        """The oldest waiting job, moved atomically to the processing list; with `timeout`,
        waits up to that many seconds for one (BLMOVE). None when there is none.

        TODO: `self.r.lmove(src, dst, "RIGHT", "LEFT")` (or `blmove(src, dst, timeout, "RIGHT",
        "LEFT")` when `timeout > 0`) instead of a pop that forgets the job; count the delivery
        (`hincrby`), THEN record the claim time (`hset(self.claimed, payload, repr(self.clock()))`).
        """
        payload = self.r.rpop(self.name)
        if payload is None:
            return None
        data = json.loads(payload)
        return Job(id=data["id"], body=data["body"], payload=payload, deliveries=1)

    def ack(self, job: Job) -> bool:
        """Done: the job leaves the processing list. False if it was not there (already
        acknowledged, given back to the queue by the reaper, or claimed again since).

        TODO: not a plain `LREM processing 1 payload` (a late ack would remove another worker's
        claim of the same payload): `self.acknowledge(keys=[...], args=[payload, deliveries])`,
        the ACK script above, which also drops the bookkeeping; True when it answered 1.
        """
        return True

    def requeue_expired(self) -> int:
        """Gives back every job claimed `visibility_timeout` seconds ago or more and never
        acknowledged; returns how many went back to the queue (dead letters not counted).

        TODO: for each payload of the processing list whose claim time is `visibility_timeout`
        or more before `self.clock()`, call `self.give_back(keys=[...], args=[payload, dead])`
        with `dead = "1"` once it was delivered `max_deliveries` times, else "0".
        """
        return 0
