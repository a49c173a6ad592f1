"""A sliding-window rate limiter that stays correct when many clients hit it at once.

The limit: at most `limit` requests per key in any window of `window_ms` milliseconds (a
*sliding* window: no burst of 2 x limit across a fixed window's edge). The log of a key's
accepted requests is a sorted set scored by time (https://redis.io/docs/latest/develop/data-types/sorted-sets/):
drop the entries older than the window (`ZREMRANGEBYSCORE`), count the rest (`ZCARD`), and if
there is room add this request (`ZADD`) and keep the key from living forever (`PEXPIRE`).

Done as separate commands from Python, two clients can both count 99 of 100 and both add: a
check-then-act race. The check and the act must be one atomic step in Redis: a Lua script
(https://redis.io/docs/latest/develop/interact/programmability/eval-intro/, scripts run with
nothing else in between) or a MULTI/EXEC transaction with WATCH
(https://redis.io/docs/latest/develop/interact/transactions/).

Denied requests are not logged (or a client that keeps retrying never gets back in), every
accepted request is its own member even within one millisecond (a unique id, not the time), and
a denial says when to retry: when the oldest logged request leaves the window (the value of an
HTTP `Retry-After`, RFC 9110 section 10.2.3, in milliseconds here).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

# TODO: the whole decision as one Lua script, run with `self.script(keys=[...], args=[...])`.
# KEYS[1] = the key's log, KEYS[2] = a counter for unique members.
# ARGV[1] = now (ms), ARGV[2] = window (ms), ARGV[3] = limit.
# Returns {allowed (1/0), remaining, retry_after_ms}.
SLIDING_WINDOW = """
return {1, 0, 0}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after_ms: int


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class RateLimiter:
    def __init__(
        self,
        r: redis.Redis,
        limit: int,
        window_ms: int,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.r = r
        self.limit = limit
        self.window_ms = window_ms
        self.clock = clock
        self.script = r.register_script(SLIDING_WINDOW)

    def hit(self, key: str) -> Decision:
        """Logs and allows one request of `key` if the window has room; denies it otherwise.

        TODO: this version checks, then acts, in separate round trips: two clients both see
        room and both add. It also logs each request under its time (two in one millisecond
        are one member), never expires the key, and never says when to retry.
        """
        log = f"ratelimit:{key}"
        now = self.clock()
        self.r.zremrangebyscore(log, "-inf", now - self.window_ms)
        count = self.r.zcard(log)
        if count < self.limit:
            self.r.zadd(log, {str(now): now})
            return Decision(True, self.limit - count - 1, 0)
        return Decision(False, 0, 0)
