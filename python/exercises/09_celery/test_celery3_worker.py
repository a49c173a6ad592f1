import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
from celery import Celery
from celery.signals import before_task_publish, task_prerun
from celery_support import WAIT, celery_url, check_configuration, redis_url, running_worker

import celery3_worker as reports


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT}s for {what}"
        time.sleep(0.005)


class Renderer:
    """The report renderer the task calls: answers at once, or holds until released, or fails."""

    def __init__(self):
        self.started = threading.Event()
        self.gate = threading.Event()
        self.gate.set()
        self.failures = []
        self.calls = []

    def __call__(self, report_id):
        self.calls.append(report_id)
        self.started.set()
        self.gate.wait(WAIT)
        if self.failures:
            raise self.failures.pop(0)
        return {"report": report_id, "rows": report_id * 10}

    @contextmanager
    def held(self):
        self.started.clear()
        self.gate.clear()
        try:
            yield
        finally:
            self.gate.set()

    def wait_started(self):
        assert self.started.wait(WAIT), "the worker never ran the report"


@dataclass
class Env:
    app: Celery
    worker: Any
    r: redis.Redis
    renderer: Renderer
    build: Any
    email: Any
    published: dict = field(default_factory=dict)
    timelimits: dict = field(default_factory=dict)

    def routed(self, result):
        return self.published[result.id]["routing_key"]


@pytest.fixture(scope="module")
def env():
    url = celery_url()
    r = redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=10)
    r.flushdb()
    app = Celery("reports", broker=url, backend=url, set_as_current=False)
    reports.configure(app)
    check_configuration(app, broker=url, backend=url)
    build, email = reports.register_tasks(app)
    renderer = Renderer()
    saved = reports.render
    reports.render = renderer
    env = Env(app, None, r, renderer, build, email)

    def on_publish(sender=None, headers=None, routing_key=None, **kwargs):
        env.published[headers["id"]] = {"routing_key": routing_key, "headers": headers}

    def on_prerun(sender=None, task_id=None, task=None, **kwargs):
        env.timelimits[task_id] = task.request.timelimit

    before_task_publish.connect(on_publish, weak=False)
    task_prerun.connect(on_prerun, weak=False)
    try:
        with running_worker(app, [reports.REPORTS_QUEUE]) as worker:
            env.worker = worker
            yield env
            renderer.gate.set()
    finally:
        before_task_publish.disconnect(on_publish)
        task_prerun.disconnect(on_prerun)
        reports.render = saved
        r.close()


def test_a_report_is_routed_to_the_reports_queue_and_its_result_comes_back(env):
    result = env.build.delay(1)
    assert env.routed(result) == "reports"
    assert result.get(timeout=WAIT) == {"report": 1, "rows": 10}
    assert result.state == "SUCCESS"


def test_report_emails_wait_on_the_mail_queue_for_the_mail_workers(env):
    result = env.email.delay(1, "ada@example.com")
    assert env.routed(result) == "mail"
    waiting = [json.loads(m) for m in env.r.lrange("mail", 0, -1)]
    assert [m["headers"]["id"] for m in waiting] == [result.id]
    assert env.r.llen("celery") == 0
    env.r.delete("mail")


def test_a_running_report_is_acknowledged_only_after_it_ran(env):
    with env.renderer.held():
        result = env.build.delay(2)
        assert env.routed(result) == "reports"
        env.renderer.wait_started()
        assert env.r.hlen("unacked") == 1, "the message was acknowledged before the task ran"
    assert result.get(timeout=WAIT) == {"report": 2, "rows": 20}
    wait_until(lambda: env.r.hlen("unacked") == 0, "the acknowledgement")


def test_a_running_report_shows_as_started(env):
    with env.renderer.held():
        result = env.build.delay(3)
        assert env.routed(result) == "reports"
        env.renderer.wait_started()
        assert result.state == "STARTED"
    result.get(timeout=WAIT)


def test_the_worker_reserves_one_message_at_a_time(env):
    assert env.worker.consumer.qos.value == 1


def test_while_a_report_runs_the_next_ones_wait_in_the_queue(env):
    with env.renderer.held():
        first = env.build.delay(4)
        assert env.routed(first) == "reports"
        env.renderer.wait_started()
        later = [env.build.delay(n) for n in (5, 6)]
        assert env.r.llen("reports") == 2
        assert env.r.hlen("unacked") == 1
    assert [r.get(timeout=WAIT)["report"] for r in [first, *later]] == [4, 5, 6]


def test_the_time_limits_travel_with_the_message(env):
    result = env.build.delay(7)
    assert env.routed(result) == "reports"
    result.get(timeout=WAIT)
    hard, soft = reports.REPORT_TIME_LIMIT, reports.REPORT_SOFT_TIME_LIMIT
    assert (hard, soft) == (7200, 7140)
    assert list(env.published[result.id]["headers"]["timelimit"]) == [hard, soft]
    assert list(env.timelimits[result.id]) == [hard, soft]


def test_results_expire_after_an_hour(env):
    result = env.build.delay(8)
    assert env.routed(result) == "reports"
    result.get(timeout=WAIT)
    ttl = env.r.ttl(f"celery-task-meta-{result.id}")
    assert reports.RESULT_TTL - 60 < ttl <= reports.RESULT_TTL == 3600


def test_a_lost_worker_leaves_the_task_to_be_delivered_again(env):
    assert env.build.acks_late is True
    assert env.build.reject_on_worker_lost is True


def test_the_visibility_timeout_outlasts_the_longest_report(env):
    channel = env.worker.consumer.connection.default_channel
    assert channel.visibility_timeout == reports.VISIBILITY_TIMEOUT
    assert reports.VISIBILITY_TIMEOUT > reports.REPORT_TIME_LIMIT


def test_a_failed_report_is_stored_as_failed_and_not_delivered_again(env):
    env.renderer.failures.append(LookupError("no such report"))
    result = env.build.delay(9)
    assert env.routed(result) == "reports"
    with pytest.raises(LookupError):
        result.get(timeout=WAIT)
    assert result.state == "FAILURE"
    wait_until(lambda: env.r.hlen("unacked") == 0, "the failed task's acknowledgement")
    assert env.r.llen("reports") == 0
    assert env.renderer.calls.count(9) == 1
