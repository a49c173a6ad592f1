import pytest
import redis
from celery_support import check_configuration, redis_url

import celery2_idempotent as receipts

KEY = "receipt:A-1"


class Mailer:
    """Records what was sent; `fail` is a list of exceptions to raise, one per attempt, before
    sending; `during` runs during each attempt (while the claim is held)."""

    def __init__(self, r, fail=(), during=None):
        self.r = r
        self.fail = list(fail)
        self.during = during
        self.sent = []
        self.attempts = 0
        self.claims_seen = []

    def send(self, to, subject, body):
        self.attempts += 1
        self.claims_seen.append((self.r.get(KEY), self.r.ttl(KEY)))
        if self.during is not None:
            self.during()
        if self.fail:
            raise self.fail.pop(0)
        self.sent.append((to, subject))


class OtherWorkerSneaksIn:
    """A client through which any read that finds the claim free is followed, at once, by another
    worker claiming it: what happens when two deliveries run at the same time and one looks
    before it sets."""

    READS = {"get", "exists", "ttl", "pttl", "type", "strlen", "mget", "keys", "scan_iter",
             "getrange", "object", "dump", "expiretime", "pexpiretime"}

    def __init__(self, client):
        self.client = client
        self.sneaked = False

    def __getattr__(self, name):
        attr = getattr(self.client, name)
        if name not in self.READS:
            return attr

        def read(*args, **kwargs):
            answer = attr(*args, **kwargs)
            if not self.sneaked and not self.client.exists(KEY):
                self.sneaked = True
                self.client.set(KEY, "other-worker", ex=receipts.CLAIM_TTL)
            return answer

        return read


class ExpiresWhileReleasing:
    """A client through which a read of our own claim is the last moment it is ours: right after
    it, the claim expires and another worker takes it (a compare then a delete is two steps)."""

    def __init__(self, client):
        self.client = client
        self.sneaked = False

    def get(self, key):
        value = self.client.get(key)
        if key == KEY and value not in (None, "done", "other-worker") and not self.sneaked:
            self.sneaked = True
            self.client.set(KEY, "other-worker", ex=receipts.CLAIM_TTL)
        return value

    def __getattr__(self, name):
        return getattr(self.client, name)


class WorkerDies(BaseException):
    """The worker process is killed (OOM killer, a deploy): nothing after this point runs."""


class DiesAfterClaiming:
    """A client whose worker dies right after the first command that writes the claim."""

    WRITES = {"set", "setnx", "setex", "psetex", "getset", "msetnx", "eval", "evalsha", "expire",
              "pexpire", "expireat", "pexpireat"}

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        attr = getattr(self.client, name)
        if name not in self.WRITES:
            return attr

        def write(*args, **kwargs):
            answer = attr(*args, **kwargs)
            raise WorkerDies(name)

        return write


@pytest.fixture
def r(monkeypatch):
    check_configuration(receipts.app)
    assert receipts.app.conf.task_always_eager, "the tests run the app eagerly"
    client = redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=10)
    client.flushdb()
    monkeypatch.setattr(receipts, "r", client)
    yield client
    client.close()


@pytest.fixture
def mail(r, monkeypatch):
    def install(**kwargs):
        mailer = Mailer(r, **kwargs)
        monkeypatch.setattr(receipts, "mailer", mailer)
        return mailer

    return install


def deliver(order_id="A-1", task_id=None):
    return receipts.send_receipt.apply(args=(order_id, "ada@example.com"), task_id=task_id)


def test_the_first_delivery_sends_once_and_remembers_it(r, mail):
    mailer = mail()
    result = deliver()
    assert result.state == "SUCCESS" and result.result == "sent"
    assert mailer.sent == [("ada@example.com", "Your receipt for order A-1")]
    assert r.get(KEY) == "done"
    assert receipts.CLAIM_TTL < r.ttl(KEY) <= receipts.DONE_TTL


def test_a_redelivery_of_the_same_message_does_nothing(r, mail):
    mailer = mail()
    deliver(task_id="task-1")
    again = deliver(task_id="task-1")
    assert again.state == "SUCCESS" and again.result == "duplicate"
    assert len(mailer.sent) == 1 and mailer.attempts == 1


def test_the_same_job_enqueued_twice_sends_once(r, mail):
    mailer = mail()
    assert deliver(task_id="task-1").result == "sent"
    assert deliver(task_id="task-2").result == "duplicate"
    assert len(mailer.sent) == 1


def test_each_order_has_its_own_key(r, mail):
    mailer = mail()
    assert [deliver(order).result for order in ("A-1", "A-2", "A-1", "B-7")] == [
        "sent", "sent", "duplicate", "sent",
    ]
    assert len(mailer.sent) == 3
    assert sorted(r.keys("*")) == ["receipt:A-1", "receipt:A-2", "receipt:B-7"]


def test_while_the_claim_is_held_it_expires_and_is_not_done(r, mail):
    mailer = mail()
    deliver()
    [(value, ttl)] = mailer.claims_seen
    assert value is not None and value != "done"
    assert 0 < ttl <= receipts.CLAIM_TTL


def test_a_delivery_running_alongside_sees_the_claim_and_skips(r, mail):
    second = []
    mailer = mail(during=lambda: second.append(deliver(task_id="task-1")))
    first = deliver(task_id="task-1")
    assert first.result == "sent"
    assert [s.result for s in second] == ["duplicate"] and second[0].state == "SUCCESS"
    assert mailer.attempts == 1 and len(mailer.sent) == 1


def test_a_claim_held_by_another_worker_is_left_alone(r, mail):
    mailer = mail()
    r.set(KEY, "other-worker", ex=100)
    assert deliver().result == "duplicate"
    assert mailer.attempts == 0
    assert r.get(KEY) == "other-worker" and 0 < r.ttl(KEY) <= 100


def test_checking_then_setting_is_a_race_the_claim_must_be_atomic(r, mail, monkeypatch):
    mailer = mail()
    proxy = OtherWorkerSneaksIn(r)
    monkeypatch.setattr(receipts, "r", proxy)
    result = deliver()
    if proxy.sneaked:
        # The task looked before it claimed, and another worker claimed in between.
        assert result.result == "duplicate", "both workers sent the receipt"
        assert mailer.attempts == 0 and r.get(KEY) == "other-worker"
    else:
        assert result.result == "sent" and len(mailer.sent) == 1


def test_a_worker_that_dies_after_claiming_leaves_a_claim_that_expires(r, mail, monkeypatch):
    mailer = mail()
    monkeypatch.setattr(receipts, "r", DiesAfterClaiming(r))
    with pytest.raises(WorkerDies):
        deliver()
    assert mailer.attempts == 0
    assert r.exists(KEY) and 0 < r.ttl(KEY) <= receipts.CLAIM_TTL


def test_a_failed_send_releases_the_claim_and_fails_the_task(r, mail):
    mailer = mail(fail=[ValueError("mailbox does not exist")])
    result = deliver()
    assert result.state == "FAILURE" and isinstance(result.result, ValueError)
    assert mailer.sent == [] and not r.exists(KEY)
    assert deliver().result == "sent" and len(mailer.sent) == 1


def test_a_connection_error_is_retried_and_the_retry_can_claim(r, mail):
    mailer = mail(fail=[ConnectionError("smtp down"), ConnectionError("smtp down")])
    result = deliver()
    assert result.state == "SUCCESS" and result.result == "sent"
    assert mailer.attempts == 3 and len(mailer.sent) == 1
    assert r.get(KEY) == "done"


def test_every_claim_is_a_fresh_random_token(r, mail):
    mailer = mail(fail=[ConnectionError("smtp down")])
    deliver()
    (first, _), (second, _) = mailer.claims_seen
    assert first != second
    assert len(first) >= 16 and len(second) >= 16


def test_a_failure_after_the_claim_expired_does_not_release_another_workers_claim(r, mail):
    def expire_and_reclaim():
        r.set(KEY, "other-worker", ex=receipts.CLAIM_TTL)

    mailer = mail(fail=[ValueError("bounced")], during=expire_and_reclaim)
    result = deliver()
    assert result.state == "FAILURE"
    assert mailer.sent == [] and r.get(KEY) == "other-worker"


def test_the_release_compares_and_deletes_in_one_step(r, mail, monkeypatch):
    mail(fail=[ValueError("bounced")])
    proxy = ExpiresWhileReleasing(r)
    monkeypatch.setattr(receipts, "r", proxy)
    assert deliver().state == "FAILURE"
    if proxy.sneaked:
        assert r.get(KEY) == "other-worker", "the release deleted another worker's claim"
    else:
        assert not r.exists(KEY)


def test_the_task_is_acknowledged_late(r):
    assert receipts.send_receipt.acks_late is True
