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
