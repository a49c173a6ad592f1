import time
from collections import Counter
from datetime import date, datetime, timezone

import pytest
import redis
from celery.schedules import crontab
from celery.signals import before_task_publish, task_postrun
from celery_support import WAIT, celery_url, check_configuration, redis_url, running_worker

import celery4_canvas as sales

# Celery 5 warns that errbacks on a chord may one day also be attached to its header tasks
# (`task_allow_error_cb_on_chord_header`); the lesson uses today's default, and says so.
pytestmark = pytest.mark.filterwarnings("ignore::celery.exceptions.CPendingDeprecationWarning")

UTC = timezone.utc
DAY = "2026-01-09"


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT}s for {what}"
        time.sleep(0.005)


class Sales:
    """Sales totals per region; a region listed in `failing` raises."""

    def __init__(self):
        self.failing = set()
        self.calls = []

    def __call__(self, region, day):
        self.calls.append((region, day))
        if region in self.failing:
            raise ConnectionError(f"{region} warehouse unreachable")
        return {"emea": 1200.5, "amer": 800.25, "apac": 99.0, "latam": 10.0}[region]


class Publisher:
    def __init__(self):
        self.published = []
        self.fail = False

    def publish(self, day, summary):
        if self.fail:
            raise PermissionError("bucket is read-only")
        self.published.append((day, summary))
        return f"https://reports.example/{day}"


class Alerts:
    def __init__(self):
        self.sent = []

    def send(self, text):
        self.sent.append(text)


@pytest.fixture(scope="module")
def checked():
    """The app as the learner's module configured it, checked before the tests change it."""
    check_configuration(sales.app)
    return sales.app


@pytest.fixture(scope="module")
def worker(checked):
    url = celery_url()
    r = redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=10)
    r.flushdb()
    sales.app.conf.broker_url = url
    sales.app.conf.result_backend = url
    # Every message published, and every task run to its end (its callbacks and errbacks
    # included): the pipeline is over when the two counts meet.
    counts = {"published": Counter(), "finished": Counter()}

    def on_publish(sender=None, **kwargs):
        counts["published"][sender] += 1

    def on_postrun(sender=None, **kwargs):
        counts["finished"][sender.name] += 1

    before_task_publish.connect(on_publish, weak=False)
    task_postrun.connect(on_postrun, weak=False)
    try:
        with running_worker(sales.app, ["celery"]):
            yield counts
    finally:
        before_task_publish.disconnect(on_publish)
        task_postrun.disconnect(on_postrun)
        r.close()


@pytest.fixture
def run(worker, monkeypatch):
    """Runs one day's pipeline on the worker; returns what happened once every task of it ran."""
    counts = worker
    world = {"sales": Sales(), "publisher": Publisher(), "alerts": Alerts()}
    monkeypatch.setattr(sales, "sales_total", world["sales"])
    monkeypatch.setattr(sales, "publisher", world["publisher"])
    monkeypatch.setattr(sales, "alerts", world["alerts"])

    def go(regions=sales.REGIONS, failing=(), publish_fails=False):
        world["sales"].failing = set(failing)
        world["publisher"].fail = publish_fails
        counts["published"].clear()
        counts["finished"].clear()
        result = sales.report_pipeline(DAY, list(regions)).apply_async()
        wait_until(
            lambda: sum(counts["published"].values()) == sum(counts["finished"].values()),
            "the pipeline's tasks to run",
        )
        try:
            world["result"] = result.get(timeout=WAIT)
        except Exception as exc:  # what the pipeline raised, read by the tests
            world["error"] = exc
        world["published"] = dict(counts["published"])
        return world

    return go


def test_the_report_of_the_day_is_published(run):
    world = run()
    assert world["result"] == f"https://reports.example/{DAY}"
    assert world["publisher"].published == [
        (DAY, {"day": DAY, "regions": ["emea", "amer", "apac"], "total": 2099.75}),
    ]
    assert world["alerts"].sent == []


def test_each_region_is_fetched_once_in_its_own_task(run):
    world = run(regions=["emea", "amer", "apac", "latam"])
    assert sorted(world["sales"].calls) == sorted(
        (region, DAY) for region in ["emea", "amer", "apac", "latam"]
    )
    assert world["published"].get("sales.fetch") == 4, "one message per region (the fan-out)"


def test_the_summary_gets_every_part_in_the_regions_order(run):
    world = run(regions=["apac", "emea", "latam"])
    [(_, summary)] = world["publisher"].published
    assert summary == {"day": DAY, "regions": ["apac", "emea", "latam"], "total": 1309.5}


def test_summarize_and_publish_run_once_each(run):
    world = run()
    assert world["published"].get("sales.summarize") == 1
    assert world["published"].get("sales.publish") == 1
    assert len(world["publisher"].published) == 1


def test_a_failed_region_alerts_once_and_publishes_nothing(run):
    world = run(failing={"amer"})
    assert "error" in world
    assert world["publisher"].published == []
    [alert] = world["alerts"].sent
    assert "amer warehouse unreachable" in alert


def test_several_failed_regions_still_alert_once(run):
    world = run(failing={"emea", "apac"})
    assert len(world["alerts"].sent) == 1
    assert world["publisher"].published == []
    assert len(world["sales"].calls) == 3


def test_a_failed_publish_alerts_too(run):
    world = run(publish_fails=True)
    [alert] = world["alerts"].sent
    assert "bucket is read-only" in alert


# The schedule ------------------------------------------------------------------------------


@pytest.fixture
def entry(checked):
    entries = sales.app.conf.beat_schedule
    assert list(entries) == ["nightly-sales-report"]
    return entries["nightly-sales-report"]


def due(entry, now, last_run):
    """What beat asks the entry's schedule: (is it due now?, seconds until it is next checked)."""
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    schedule = crontab(
        minute=schedule._orig_minute,
        hour=schedule._orig_hour,
        day_of_week=schedule._orig_day_of_week,
        day_of_month=schedule._orig_day_of_month,
        month_of_year=schedule._orig_month_of_year,
        app=sales.app,
        nowfun=lambda: now,
    )
    answer = schedule.is_due(last_run)
    return answer.is_due, answer.next


def at(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_entry_runs_the_nightly_task(entry):
    assert entry["task"] == "sales.nightly"
    assert entry["task"] in sales.app.tasks


def test_it_is_due_at_half_past_two_in_berlin_in_winter(entry):
    # 02:30 in Berlin is 01:30 UTC in January (CET, UTC+1).
    assert due(entry, at(2026, 1, 10, 1, 30), last_run=at(2026, 1, 9, 1, 30)) == (True, 86400)


def test_it_is_not_due_a_second_early(entry):
    assert due(entry, at(2026, 1, 10, 1, 29, 59), last_run=at(2026, 1, 9, 1, 30)) == (False, 1)


def test_it_runs_once_a_night_not_every_minute_of_the_hour(entry):
    assert due(entry, at(2026, 1, 10, 1, 31), last_run=at(2026, 1, 10, 1, 30)) == (
        False, 86400 - 60,
    )


def test_it_follows_berlin_into_summer_time(entry):
    # 02:30 in Berlin is 00:30 UTC in July (CEST, UTC+2).
    assert due(entry, at(2026, 7, 10, 0, 30), last_run=at(2026, 7, 9, 0, 30)) == (True, 86400)
    assert due(entry, at(2026, 7, 10, 1, 30), last_run=at(2026, 7, 10, 0, 30))[0] is False


def test_it_runs_on_weekends_too(entry):
    # 2026-01-10 is a Saturday, 2026-01-11 a Sunday.
    assert due(entry, at(2026, 1, 11, 1, 30), last_run=at(2026, 1, 10, 1, 30)) == (True, 86400)


def test_a_late_nightly_run_expires_after_an_hour(entry):
    assert entry.get("options", {}).get("expires") == sales.NIGHTLY_EXPIRES == 3600


def test_the_nightly_task_reports_on_yesterday(monkeypatch):
    monkeypatch.setattr(sales, "today", lambda: date(2026, 1, 10))
    sent = []
    monkeypatch.setattr(
        sales, "report_pipeline", lambda day, regions=sales.REGIONS: Recorder(day, sent)
    )
    assert sales.nightly.apply().get() == "pipeline-2026-01-09"
    assert sent == ["2026-01-09"]


class Recorder:
    def __init__(self, day, sent):
        self.day = day
        self.sent = sent

    def apply_async(self):
        self.sent.append(self.day)
        return type("Result", (), {"id": f"pipeline-{self.day}"})()
