import threading

import redis
from redis_support import connect, r, redis_url  # noqa: F401 - fixtures

from redis3_rate_limiter import Decision, RateLimiter


class Clock:
    def __init__(self, now=1_000_000):
        self.now = now

    def __call__(self):
        return self.now


def test_the_limit_counts_down_then_denies(r):
    clock = Clock()
    limiter = RateLimiter(r, limit=3, window_ms=1000, clock=clock)
    assert [limiter.hit("ip:1") for _ in range(3)] == [
        Decision(True, 2, 0), Decision(True, 1, 0), Decision(True, 0, 0),
    ]
    assert limiter.hit("ip:1") == Decision(False, 0, 1000)


def test_the_window_boundary(r):
    clock = Clock(0)
    limiter = RateLimiter(r, limit=2, window_ms=1000, clock=clock)
    limiter.hit("k")
    limiter.hit("k")
    clock.now = 999
    assert limiter.hit("k") == Decision(False, 0, 1)
    clock.now = 1000
    assert limiter.hit("k") == Decision(True, 1, 0)


def test_the_window_slides_and_does_not_reset_on_a_fixed_edge(r):
    clock = Clock(900)
    limiter = RateLimiter(r, limit=2, window_ms=1000, clock=clock)
    limiter.hit("k")
    limiter.hit("k")
    clock.now = 1100
    assert limiter.hit("k") == Decision(False, 0, 800)


def test_retry_after_follows_the_oldest_request(r):
    clock = Clock(0)
    limiter = RateLimiter(r, limit=2, window_ms=1000, clock=clock)
    limiter.hit("k")
    clock.now = 300
    limiter.hit("k")
    clock.now = 500
    assert limiter.hit("k").retry_after_ms == 500
    clock.now = 1000
    assert limiter.hit("k") == Decision(True, 0, 0)
    assert limiter.hit("k").retry_after_ms == 300


def test_denied_requests_are_not_logged(r):
    clock = Clock(0)
    limiter = RateLimiter(r, limit=1, window_ms=1000, clock=clock)
    assert limiter.hit("k").allowed
    for t in (100, 500, 999):
        clock.now = t
        assert not limiter.hit("k").allowed
    clock.now = 1000
    assert limiter.hit("k").allowed
    assert r.zcard("ratelimit:k") == 1


def test_requests_in_the_same_millisecond_all_count(r):
    limiter = RateLimiter(r, limit=5, window_ms=1000, clock=Clock())
    assert [limiter.hit("k").allowed for _ in range(6)] == [True] * 5 + [False]
    assert r.zcard("ratelimit:k") == 5


def test_keys_are_limited_separately(r):
    limiter = RateLimiter(r, limit=1, window_ms=1000, clock=Clock())
    assert limiter.hit("user:1").allowed
    assert limiter.hit("user:2").allowed
    assert not limiter.hit("user:1").allowed


def test_every_key_expires(r):
    limiter = RateLimiter(r, limit=5, window_ms=2000, clock=Clock())
    limiter.hit("k")
    keys = r.keys("*")
    assert "ratelimit:k" in keys
    for key in keys:
        assert 0 < r.pttl(key) <= 2000, key


def test_every_accepted_hit_renews_the_expiry(r):
    """The key lives as long as its newest entry needs it: each accepted request sets the TTL
    to the whole window again (not only the first one, or the log vanishes under live entries
    and the limit resets early)."""
    clock = Clock()
    limiter = RateLimiter(r, limit=5, window_ms=60_000, clock=clock)
    limiter.hit("k")
    for key in r.keys("*"):
        r.pexpire(key, 20_000)  # as if two thirds of the window had passed since
    clock.now += 40_000
    assert limiter.hit("k").allowed
    keys = r.keys("*")
    assert "ratelimit:k" in keys
    for key in keys:
        assert 30_000 < r.pttl(key) <= 60_000, key


class Lockstep(redis.Redis):
    """A client whose every command waits for the other threads' command of the same step:
    separate commands from several clients interleave the worst way, every time."""

    barrier: threading.Barrier

    def execute_command(self, *args, **options):
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return super().execute_command(*args, **options)


def test_check_and_add_are_one_atomic_step(r):
    clients = 4
    clock = Clock()
    # Loads the script (if there is one) so that every client runs the same commands.
    RateLimiter(r, limit=1, window_ms=1000, clock=clock).hit("warm-up")
    barrier = threading.Barrier(clients, timeout=2)
    decisions = []

    def hit():
        client = Lockstep.from_url(redis_url(), decode_responses=True)
        client.barrier = barrier
        try:
            decisions.append(RateLimiter(client, limit=1, window_ms=1000, clock=clock).hit("k"))
        finally:
            client.close()

    threads = [threading.Thread(target=hit) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(d.allowed for d in decisions) == [False, False, False, True]


def test_concurrent_clients_never_exceed_the_limit(connect):
    clock = Clock()
    allowed = []
    lock = threading.Lock()

    def hammer():
        limiter = RateLimiter(connect(), limit=100, window_ms=60_000, clock=clock)
        mine = sum(limiter.hit("api").allowed for _ in range(25))
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(allowed) == 16
    assert sum(allowed) == 100
