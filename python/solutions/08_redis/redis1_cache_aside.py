"""Cache-aside with Redis: TTLs, negative caching and stampede protection with a lock.

Cache-aside (lazy loading): read the cache; on a miss, load from the database and write the
result back *with a TTL*, so a stale entry disappears on its own
(https://redis.io/docs/latest/develop/use/client-side-caching/ and
https://docs.aws.amazon.com/whitepapers/latest/database-caching-strategies-using-redis/caching-patterns.html).
On a write, update the database first, then DELETE the cache entry (never SET it: two writers
racing would leave the older value cached).

A stampede (thundering herd): a hot key expires and a hundred requests miss at once, and all of
them run the same expensive query. The fix is a short lock per key, taken with
`SET lock:<key> <token> NX PX <ms>` (https://redis.io/docs/latest/commands/set/): NX means
only one caller gets it, PX means a crashed owner cannot block the key forever. The owner loads
and fills the cache; the others wait a little (poll the cache) and read what the owner wrote.
The lock is released only by its owner: GET-and-DEL as one atomic Lua script comparing the
token (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/), because the lock
may have expired and been taken by someone else meanwhile.

A miss for a row that does not exist is cached too (negative caching, for `negative_ttl`
seconds): otherwise every request for a missing id goes to the database (cache penetration).
"""

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis

# Deletes the lock only when it still holds our token (KEYS[1] = lock, ARGV[1] = token).
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""



class Cache:
    def __init__(
        self,
        r: redis.Redis,
        loader: Callable[[str], Any],
        ttl: int = 300,
        negative_ttl: int = 30,
        lock_ms: int = 5000,
        poll: float = 0.01,
        max_polls: int = 50,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.r = r
        self.loader = loader
        self.ttl = ttl
        self.negative_ttl = negative_ttl
        self.lock_ms = lock_ms
        self.poll = poll
        self.max_polls = max_polls
        self.sleep = sleep
        self.release = r.register_script(RELEASE)

    @staticmethod
    def key(name: str) -> str:
        return f"cache:{name}"

    @staticmethod
    def lock_key(name: str) -> str:
        return f"lock:cache:{name}"

    def get(self, name: str) -> Any:
        cached = self.r.get(self.key(name))
        if cached is not None:
            return json.loads(cached)
        token = secrets.token_hex(16)
        if self.r.set(self.lock_key(name), token, nx=True, px=self.lock_ms):
            try:
                value = self.loader(name)
                ttl = self.ttl if value is not None else self.negative_ttl
                self.r.set(self.key(name), json.dumps(value), ex=ttl)
                return value
            finally:
                self.release(keys=[self.lock_key(name)], args=[token])
        # Someone else is loading: wait for their result, a bounded number of times.
        for _ in range(self.max_polls):
            self.sleep(self.poll)
            cached = self.r.get(self.key(name))
            if cached is not None:
                return json.loads(cached)
        # The owner is slow or gone: answer from the database, and leave the cache to the owner.
        return self.loader(name)

    def invalidate(self, name: str) -> None:
        """After the database was written: the next read loads the new value."""
        self.r.delete(self.key(name))
