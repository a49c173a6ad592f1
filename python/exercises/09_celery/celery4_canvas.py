"""The nightly sales report: a Celery canvas (fan-out, fan-in, an error callback) started by a
beat schedule.

The pipeline (https://docs.celeryq.dev/en/stable/userguide/canvas.html), for one day:

    fetch_sales(region, day) for each region, in parallel     (a group: the fan-out)
        -> summarize(parts, day), once all of them are done    (a chord: the fan-in)
        -> publish(summary)                                    (a chain: the next step)
    and report_failed(request, exc, traceback) if any of it fails (an error callback)

- `group(sig, ...)` sends one message per region: the workers fetch them in parallel.
- `chord(header, body)` runs `body` once with the list of the header's results, in the header's
  order, when the last of them is done; it needs a result backend (the parts are counted
  there). Never wait for subtasks inside a task (`result.get()` in a task blocks a worker slot
  until its subtasks run, and with every slot waiting nothing runs: Celery refuses it).
- `chain(a, b)` (or `a | b`) passes each result to the next signature as its first argument:
  `summarize.s(day)` is called as `summarize(parts, day)`, `publish.s()` as `publish(summary)`.
- `sig.on_error(errback)` (`link_error`) on the chain attaches the errback to every step. An
  errback with the parameters `(request, exc, traceback)` is called by the worker with the failed
  task's request. When a region fails the chord fails once (a `ChordError` naming it), after all
  the regions ran: one alert per failed night, not one per region (an errback on each fetch would
  alert once per failed region). Celery 5 announces that a later version may attach a chord's
  errbacks to its header tasks too (`task_allow_error_cb_on_chord_header`): this lesson relies on
  today's default.

The schedule (https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html): `beat_schedule`
maps an entry's name to its task, its schedule and the options it is sent with. `crontab`'s fields
default to `*`: `crontab(hour=2)` runs every minute from 02:00 to 02:59; the nightly job needs
`minute=30, hour=2`. Its times are in the app's `timezone` (by default UTC): the job runs at 02:30
in Berlin, winter (01:30 UTC) and summer (00:30 UTC) alike. A nightly run that did not start
within an hour (beat was down, the queue was backed up) is not worth starting late: the entry's
`options` give its message `expires` (seconds).
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, Protocol

from celery import Celery, Signature, group
from celery.schedules import crontab

REGIONS = ("emea", "amer", "apac")
NIGHTLY_EXPIRES = 3600  # seconds: a nightly run not started by then is dropped


class Publisher(Protocol):
    def publish(self, day: str, summary: dict[str, Any]) -> str: ...


class Alerts(Protocol):
    def send(self, text: str) -> None: ...


sales_total: Callable[[str, str], float] | None = None  # (region, day) -> total (tests: a fake)
publisher: Publisher | None = None  # where reports go (tests: a fake)
alerts: Alerts | None = None  # who is told when a night's report failed (tests: a fake)
today: Callable[[], date] = date.today  # in the app's timezone (tests: a fixed day)

app = Celery("sales", set_as_current=False)  # the course gives it its broker and result backend
# TODO: the nightly run at 02:30 in Berlin (the app's `timezone`), its message expiring after
# NIGHTLY_EXPIRES seconds (the entry's "options").
app.conf.update(
    beat_schedule={
        "nightly-sales-report": {
            "task": "sales.nightly",
            "schedule": crontab(hour=2),
        },
    },
)


@app.task(name="sales.fetch")
def fetch_sales(region: str, day: str) -> dict[str, Any]:
    assert sales_total is not None, "no sales source configured"
    return {"region": region, "total": sales_total(region, day)}


@app.task(name="sales.summarize")
def summarize(parts: list[dict[str, Any]], day: str) -> dict[str, Any]:
    return {
        "day": day,
        "regions": [part["region"] for part in parts],
        "total": round(sum(part["total"] for part in parts), 2),
    }


@app.task(name="sales.publish")
def publish(summary: dict[str, Any]) -> str:
    assert publisher is not None, "no publisher configured"
    return publisher.publish(summary["day"], summary)


@app.task(name="sales.report_failed")
def report_failed(request: Any, exc: BaseException, traceback: str) -> None:
    """The error callback: the worker calls it with the failed task's request."""
    assert alerts is not None, "no alerts configured"
    alerts.send(f"nightly sales report failed in {request.task}: {exc!r}")


def report_pipeline(day: str, regions: Iterable[str] = REGIONS) -> Signature:
    """The canvas of one day's report (not sent: the caller applies it).

    TODO: the fetches in parallel, then `summarize` with all their results, then `publish`,
    and `report_failed` as the error callback of the whole: `chain`, `chord`, `.on_error`.
    """
    return group(fetch_sales.s(region, day) for region in regions)


@app.task(name="sales.nightly")
def nightly() -> str:
    """Started by beat: sends the pipeline for yesterday; returns its id."""
    day = (today() - timedelta(days=1)).isoformat()
    return report_pipeline(day).apply_async().id
