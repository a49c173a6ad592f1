import json
import threading
import time

from redis_support import connect, r  # noqa: F401 - fixtures

from redis2_reliable_queue import ReliableQueue


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


class Spy:
    """A client that passes every command to the real one, except the ones given as hooks:
    `hook(real_method, *args, **kwargs)` runs instead. Scripts registered through it run on
    the real client."""

    def __init__(self, real, **hooks):
        self.real = real
        self.hooks = hooks

    def __getattr__(self, name):
        method = getattr(self.real, name)
        hook = self.hooks.get(name)
        if hook is None:
            return method
        return lambda *args, **kwargs: hook(method, *args, **kwargs)


def bodies(jobs):
    return [job.body if job else None for job in jobs]


def test_jobs_come_out_in_the_order_they_went_in(r):
    q = ReliableQueue(r, "q")
    for body in ({"n": 1}, {"n": 2}, {"n": 3}):
        q.push(body)
    assert bodies([q.claim(), q.claim(), q.claim(), q.claim()]) == [
        {"n": 1}, {"n": 2}, {"n": 3}, None,
    ]


def test_a_claimed_job_waits_in_the_processing_list(r):
    clock = Clock(1234.5)
    q = ReliableQueue(r, "q", clock=clock)
    job_id = q.push("resize:42")
    q.push("resize:43")
    job = q.claim()
    assert job.id == job_id and job.body == "resize:42" and job.deliveries == 1
    assert json.loads(job.payload) == {"id": job_id, "body": "resize:42"}
    assert r.lrange("q:processing", 0, -1) == [job.payload]
    assert r.llen("q") == 1
    assert float(r.hget("q:claimed", job.payload)) == 1234.5


def test_ack_removes_exactly_that_job_once(r):
    q = ReliableQueue(r, "q")
    q.push("a")
    q.push("b")
    first, second = q.claim(), q.claim()
    assert q.ack(second) is True
    assert r.lrange("q:processing", 0, -1) == [first.payload]
    assert q.ack(second) is False
    assert q.ack(first) is True
    assert r.llen("q:processing") == 0


def test_ack_leaves_no_bookkeeping_behind(r):
    q = ReliableQueue(r, "q")
    for n in range(5):
        q.push(n)
    for _ in range(5):
        q.ack(q.claim())
    assert r.hlen("q:claimed") == 0
    assert r.hlen("q:deliveries") == 0
    assert r.keys("*") == []


def test_equal_bodies_are_distinct_jobs(r):
    q = ReliableQueue(r, "q")
    q.push({"email": "ada@example.com"})
    q.push({"email": "ada@example.com"})
    first, second = q.claim(), q.claim()
    assert first.id != second.id
    assert q.ack(first) is True
    assert r.lrange("q:processing", 0, -1) == [second.payload]


def test_a_crashed_workers_job_is_redelivered_first(r):
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=30, clock=clock)
    for body in ("j1", "j2", "j3"):
        q.push(body)
    crashed = q.claim()
    q.ack(q.claim())
    clock.now += 30
    assert q.requeue_expired() == 1
    again = q.claim()
    assert again.body == "j1" and again.id == crashed.id
    assert again.deliveries == 2
    assert q.claim().body == "j3"


def test_the_visibility_timeout_boundary(r):
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=30, clock=clock)
    q.push("j")
    job = q.claim()
    clock.now += 29.999
    assert q.requeue_expired() == 0
    assert r.lrange("q:processing", 0, -1) == [job.payload]
    clock.now += 0.001
    assert q.requeue_expired() == 1
    assert r.llen("q:processing") == 0
    assert r.lrange("q", 0, -1) == [job.payload]


def test_a_late_ack_after_redelivery_does_not_remove_the_requeued_job(r):
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=10, clock=clock)
    q.push("slow")
    job = q.claim()
    clock.now += 10
    q.requeue_expired()
    assert q.ack(job) is False
    assert r.lrange("q", 0, -1) == [job.payload]


def test_a_poison_job_goes_to_the_dead_letters(r):
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=10, max_deliveries=2, clock=clock)
    q.push("poison")
    assert q.claim().deliveries == 1
    clock.now += 10
    assert q.requeue_expired() == 1
    job = q.claim()
    assert job.deliveries == 2
    clock.now += 10
    assert q.requeue_expired() == 0
    assert r.lrange("q:dead", 0, -1) == [job.payload]
    assert r.llen("q") == 0 and r.llen("q:processing") == 0
    assert r.hlen("q:claimed") == 0 and r.hlen("q:deliveries") == 0


def test_claim_with_a_timeout_waits_for_a_job(r, connect):
    q = ReliableQueue(connect(), "q")
    got = []
    worker = threading.Thread(target=lambda: got.append(q.claim(timeout=5)))
    worker.start()
    # Push only once the worker is blocked in Redis waiting for the list.
    deadline = time.monotonic() + 5
    while not any(c.get("cmd") == "blmove" for c in r.client_list()):
        assert time.monotonic() < deadline, "the worker never blocked on BLMOVE"
        time.sleep(0.005)
    ReliableQueue(r, "q").push("late")
    worker.join(timeout=10)
    assert bodies(got) == ["late"]
    assert r.llen("q:processing") == 1


def test_claim_with_a_timeout_gives_up(r):
    q = ReliableQueue(r, "q")
    started = time.monotonic()
    assert q.claim(timeout=0.1) is None
    assert time.monotonic() - started >= 0.09


def test_concurrent_workers_get_each_job_exactly_once(r, connect):
    producer = ReliableQueue(r, "q")
    pushed = {producer.push(n) for n in range(60)}
    claimed = []
    lock = threading.Lock()

    def work():
        q = ReliableQueue(connect(), "q")
        while (job := q.claim()) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(claimed) == sorted(pushed)
    assert r.llen("q:processing") == 60


def test_a_late_ack_keeps_the_delivery_count_of_the_requeued_job(r):
    """The late ack finds nothing to remove: it must not touch the requeued job's bookkeeping
    (or a poison job that times out every time is never dead-lettered)."""
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=10, clock=clock)
    q.push("slow")
    job = q.claim()
    clock.now += 10
    assert q.requeue_expired() == 1
    assert q.ack(job) is False
    assert q.claim().deliveries == 2


def test_a_reaper_crash_never_loses_a_job(r):
    """Giving a job back is one atomic move (a script or LMOVE): a reaper that dies between
    removing it from the processing list and pushing it back would lose it."""
    clock = Clock()
    crashing = {"on": False}

    def push(real_push, *args, **kwargs):
        if crashing["on"]:
            raise ConnectionError("the reaper died here")
        return real_push(*args, **kwargs)

    spy = Spy(r, lpush=push, rpush=push)
    q = ReliableQueue(spy, "q", visibility_timeout=10, max_deliveries=2, clock=clock)
    q.push("j1")
    q.push("j2")
    first = q.claim()
    clock.now += 10
    crashing["on"] = True
    try:
        q.requeue_expired()
    except ConnectionError:
        pass
    waiting = r.lrange("q", 0, -1) + r.lrange("q:processing", 0, -1)
    assert first.payload in waiting
    crashing["on"] = False
    # And a job whose last delivery failed: dead-lettering it is atomic too.
    again = q.claim()
    assert again.payload == first.payload and again.deliveries == 2
    clock.now += 10
    crashing["on"] = True
    try:
        q.requeue_expired()
    except ConnectionError:
        pass
    kept = r.lrange("q", 0, -1) + r.lrange("q:processing", 0, -1) + r.lrange("q:dead", 0, -1)
    assert again.payload in kept


def test_a_late_ack_never_removes_the_next_workers_claim(r):
    """The same payload, delivered twice: the first worker's ack comes after the second worker
    claimed it. It must answer False and leave the second claim in the processing list (or a
    crash of the second worker would lose the job)."""
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=10, clock=clock)
    q.push("slow")
    first = q.claim()
    clock.now += 10
    assert q.requeue_expired() == 1
    second = q.claim()
    assert second.payload == first.payload and second.deliveries == 2
    assert q.ack(first) is False
    assert r.lrange("q:processing", 0, -1) == [second.payload]
    assert r.hget("q:deliveries", second.payload) == "2"
    assert q.ack(second) is True
    assert r.llen("q:processing") == 0
    assert r.hlen("q:claimed") == 0 and r.hlen("q:deliveries") == 0


def test_a_late_ack_while_the_job_is_being_claimed_again(r):
    """The first worker's ack may land between any two commands of the second worker's claim."""
    clock = Clock()
    q = ReliableQueue(r, "q", visibility_timeout=10, clock=clock)
    q.push("slow")
    first = q.claim()
    clock.now += 10
    assert q.requeue_expired() == 1
    late_acks = []

    def ack_first_then(real_method, *args, **kwargs):
        late_acks.append(q.ack(first))
        return real_method(*args, **kwargs)

    spy = Spy(r, hset=ack_first_then, hincrby=ack_first_then, hsetnx=ack_first_then)
    second = ReliableQueue(spy, "q", visibility_timeout=10, clock=clock).claim()
    assert second.payload == first.payload and second.deliveries == 2
    assert True not in late_acks
    assert r.lrange("q:processing", 0, -1) == [second.payload]
    assert q.ack(second) is True
