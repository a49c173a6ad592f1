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

# KEYS[1] = the key's log, KEYS[2] = a counter for unique members.
# ARGV[1] = now (ms), ARGV[2] = window (ms), ARGV[3] = limit.
# Returns {allowed (1/0), remaining, retry_after_ms}.
SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
    local id = redis.call('INCR', KEYS[2])
    redis.call('ZADD', KEYS[1], now, now .. '-' .. id)
    redis.call('PEXPIRE', KEYS[1], window)
    redis.call('PEXPIRE', KEYS[2], window)
    return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
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
        log = f"ratelimit:{key}"
        allowed, remaining, retry = self.script(
            keys=[log, f"{log}:seq"], args=[self.clock(), self.window_ms, self.limit]
        )
        return Decision(bool(allowed), int(remaining), int(retry))
