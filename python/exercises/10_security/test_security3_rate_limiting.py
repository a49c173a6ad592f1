import threading

import pytest

from security3_rate_limiting import (
    BadForwardedFor,
    RateLimiter,
    TokenBucket,
    client_key,
    create_app,
)

PROXY = "10.0.0.1"
EDGE = "10.0.0.2"
INTERNAL = "10.0.0.3"
TRUSTED = {PROXY, EDGE, INTERNAL}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


def limiter(clock, capacity=3, rate=0.5, max_clients=100):
    return RateLimiter(capacity=capacity, rate=rate, clock=clock, max_clients=max_clients)


# The bucket ---------------------------------------------------------------------------------


def test_a_burst_of_capacity_then_the_wait_for_one_token(clock):
    rl = limiter(clock)
    assert [rl.check("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert rl.check("a") == pytest.approx(2.0), "one token every 2 s at 0.5 tokens per second"


def test_tokens_refill_continuously_since_the_last_update(clock):
    rl = limiter(clock, capacity=2)
    rl.check("a"), rl.check("a")
    clock.now += 1.0
    assert rl.check("a") == pytest.approx(1.0), "half a token after 1 s: 1 s more to wait"
    clock.now += 1.0
    assert rl.check("a") == 0.0
    assert rl.check("a") == pytest.approx(2.0), "that token is spent: nothing left"
    clock.now += 2.0
    assert rl.check("a") == 0.0
    assert rl.check("a") > 0, "only the time since the last update refills"


def test_a_refused_request_takes_nothing(clock):
    rl = limiter(clock, capacity=1)
    start = clock.now
    assert rl.check("a") == 0.0
    for n in range(1, 20):
        clock.now = start + n / 10
        assert rl.check("a") > 0
    clock.now = start + 2.0
    assert rl.check("a") == 0.0, "hammering while limited must not push recovery further away"


def test_an_idle_client_gets_at_most_capacity(clock):
    rl = limiter(clock, capacity=3)
    rl.check("a")
    clock.now += 86400
    assert [rl.check("a") == 0.0 for _ in range(4)] == [True, True, True, False]


def test_a_fast_rate(clock):
    rl = limiter(clock, capacity=1, rate=4)
    assert rl.check("a") == 0.0
    assert rl.check("a") == pytest.approx(0.25)
    clock.now += 0.25
    assert rl.check("a") == 0.0


def test_clients_have_their_own_buckets(clock):
    rl = limiter(clock, capacity=1)
    assert rl.check("a") == 0.0
    assert rl.check("a") > 0
    assert rl.check("b") == 0.0, "one client's traffic must not limit another"


def test_the_map_of_buckets_is_bounded_and_drops_the_least_recently_seen(clock):
    rl = limiter(clock, capacity=1, max_clients=2)
    assert rl.check("a") == 0.0
    assert rl.check("b") == 0.0
    assert rl.check("a") > 0  # a is seen again: b is now the least recently seen
    assert rl.check("c") == 0.0
    assert len(rl.buckets) == 2
    assert rl.check("a") > 0, "a was seen after b: b's bucket goes, a keeps its empty one"
    assert rl.check("b") == 0.0, "b was dropped, so it starts again full"
    assert len(rl.buckets) == 2


class LockWatchingClock(FakeClock):
    """Records, at each reading, whether the limiter's lock is held."""

    def __init__(self):
        super().__init__()
        self.limiter = None
        self.held = []

    def __call__(self):
        self.held.append(self.limiter.lock.locked())
        return self.now


def test_the_check_runs_under_the_limiter_s_lock():
    clock = LockWatchingClock()
    rl = clock.limiter = limiter(clock)
    rl.check("a")
    rl.check("a")
    rl.check("b")
    assert clock.held == [True, True, True], (
        "Flask serves requests on several threads: check() holds self.lock around the whole check"
    )


def test_the_token_is_taken_under_the_limiter_s_lock(clock, monkeypatch):
    # Finding the bucket under the lock is not enough: two threads that both found it could
    # then spend the same last token. The take itself must run while the lock is held.
    rl = limiter(clock, capacity=1)
    held = []
    real_take = TokenBucket.take

    def watched_take(bucket, now):
        held.append(rl.lock.locked())
        return real_take(bucket, now)

    monkeypatch.setattr(TokenBucket, "take", watched_take)
    rl.check("a")
    rl.check("a")
    rl.check("b")
    assert held == [True, True, True], "hold self.lock around bucket.take too, not only the map"


class OverlapClock(FakeClock):
    """The first reading waits for a second caller to come in too; counts callers inside at once."""

    def __init__(self):
        super().__init__()
        self.guard = threading.Lock()
        self.inside = 0
        self.most_inside = 0
        self.readings = 0
        self.first_in = threading.Event()
        self.second_in = threading.Event()

    def __call__(self):
        with self.guard:
            self.inside += 1
            self.readings += 1
            self.most_inside = max(self.most_inside, self.inside)
            first = self.readings == 1
        try:
            if first:
                self.first_in.set()
                # Under the lock no second caller can get in: this wait runs out (no timing is
                # asserted). Without the lock the second caller gets in and ends it at once.
                self.second_in.wait(timeout=1.0)
            else:
                self.second_in.set()
            return self.now
        finally:
            with self.guard:
                self.inside -= 1


def test_two_threads_never_check_at_the_same_time():
    clock = OverlapClock()
    rl = limiter(clock)
    results = []
    first = threading.Thread(target=lambda: results.append(rl.check("a")))
    second = threading.Thread(target=lambda: results.append(rl.check("a")))
    first.start()
    assert clock.first_in.wait(timeout=30)
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    assert results == [0.0, 0.0]
    assert clock.most_inside == 1, "two requests were inside the limiter at once: hold self.lock"


def test_a_thousand_clients_never_hold_more_than_max_clients(clock):
    rl = limiter(clock, max_clients=50)
    for n in range(1000):
        rl.check(f"2001:db8::{n:x}")
        assert len(rl.buckets) <= 50


# Who the client is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "peer, header, expected",
    [
        ("198.51.100.7", None, "198.51.100.7"),
        ("198.51.100.7", "1.1.1.1", "198.51.100.7"),  # not a trusted proxy: ignore the header
        ("198.51.100.7", "garbage", "198.51.100.7"),
        (PROXY, "203.0.113.5", "203.0.113.5"),
        (PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left part is the client's own text
        (EDGE, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),  # two trusted hops
        (EDGE, "203.0.113.5,10.0.0.1", "203.0.113.5"),
        (EDGE, "10.0.0.3, 10.0.0.1", "10.0.0.3"),  # every hop trusted: the leftmost
        (PROXY, None, PROXY),
        (PROXY, "  ", PROXY),
        (PROXY, "2001:DB8::1", "2001:db8::1"),
        (PROXY, "2001:db8:0::1", "2001:db8::1"),
    ],
)
def test_client_key(peer, header, expected):
    assert client_key(peer, header, TRUSTED) == expected


@pytest.mark.parametrize(
    "header", ["203.0.113.5, unknown", "203.0.113.5, ", "1.2.3.4.5", "203.0.113.5:443"]
)
def test_a_client_entry_that_is_not_an_address_is_refused(header):
    with pytest.raises(BadForwardedFor):
        client_key(PROXY, header, TRUSTED)


# The app ------------------------------------------------------------------------------------


def get(client, peer, header=None, path="/api/quotes"):
    headers = {} if header is None else {"X-Forwarded-For": header}
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": peer})


@pytest.fixture
def app_client(clock):
    app = create_app(limiter(clock, capacity=2, rate=0.5), TRUSTED)
    return app.test_client()


def test_429_with_retry_after_rounded_up(app_client, clock):
    assert get(app_client, "198.51.100.7").status_code == 200
    assert get(app_client, "198.51.100.7").status_code == 200
    # 0.6 s after the burst the next token is 1.4 s away: round() says 1, the client needs 2.
    expected = {0.0: "2", 0.5: "2", 0.6: "2", 1.2: "1", 1.5: "1", 1.99: "1"}
    start = clock.now
    for offset, retry_after in expected.items():
        clock.now = start + offset
        r = get(app_client, "198.51.100.7")
        assert r.status_code == 429
        assert r.get_json() == {"error": "rate_limited"}
        assert r.headers.get("Retry-After") == retry_after, f"{offset} s after the burst"
    clock.now = start + 2.0
    assert get(app_client, "198.51.100.7").status_code == 200


def test_an_allowed_request_reaches_the_endpoint(app_client):
    r = get(app_client, "198.51.100.7")
    assert r.status_code == 200
    assert r.get_json()["quotes"]
    assert "Retry-After" not in r.headers


def test_the_health_check_is_never_limited(app_client):
    for _ in range(10):
        assert get(app_client, "198.51.100.7", path="/healthz").status_code == 200
    assert get(app_client, "198.51.100.7").status_code == 200, "health checks take no tokens"


def test_a_forged_header_from_a_direct_client_does_not_escape_the_limit(app_client):
    codes = [get(app_client, "198.51.100.7", f"1.1.1.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 429, 429]


def test_a_forged_left_part_behind_the_proxy_does_not_escape_the_limit(app_client):
    codes = [get(app_client, PROXY, f"6.6.6.{n}, 203.0.113.5").status_code for n in range(4)]
    assert codes == [200, 200, 429, 429]


def test_clients_behind_the_proxy_are_limited_apart(app_client):
    assert [get(app_client, PROXY, "203.0.113.5").status_code for _ in range(3)] == [200, 200, 429]
    assert get(app_client, PROXY, "203.0.113.6").status_code == 200
    assert get(app_client, EDGE, "203.0.113.6, 10.0.0.1").status_code == 200
    assert get(app_client, EDGE, "203.0.113.6, 10.0.0.1").status_code == 429


def test_a_bad_forwarded_header_from_the_proxy_is_400_and_takes_nothing(app_client):
    r = get(app_client, PROXY, "203.0.113.5, unknown")
    assert r.status_code == 400
    assert r.get_json() == {"error": "bad_forwarded_for"}
    assert get(app_client, PROXY, "unknown").status_code == 400
    assert [get(app_client, PROXY).status_code for _ in range(3)] == [200, 200, 429], (
        "the proxy's own bucket was not touched by the refused requests"
    )
