"""A Celery app configured for a real worker: reports are built on their own queue, never lost
when a worker dies, and their results come back through Redis.

The tests give `configure` and `register_tasks` an app whose broker and result backend are the
check's Redis, start a real worker on it (in a thread of the test process, consuming only the
`reports` queue), send real messages and read real results.

What a production configuration of this kind of task needs
(https://docs.celeryq.dev/en/stable/userguide/configuration.html):

- Routing (https://docs.celeryq.dev/en/stable/userguide/routing.html): `task_routes` maps task
  names to queues: `reports.build` to `reports` (a worker pool sized for slow reports),
  `reports.email` to `mail` (another pool; this worker never sees those messages). A task with no
  route goes to the default queue, `celery`, which nobody here consumes.
- Late acknowledgement (`task_acks_late`): the message is acknowledged after the task ran, not
  when the worker received it; a worker killed mid-task leaves it unacknowledged, and the broker
  delivers it again. With `task_reject_on_worker_lost` a task whose worker *process* died (OOM,
  SIGKILL) is requeued instead of being marked failed. (The task must then be idempotent: see
  celery2_idempotent.)
- Prefetch (`worker_prefetch_multiplier`): by default each worker process reserves 4 messages
  ahead. For long tasks that means 3 reports waiting behind a slow one while other workers sit
  idle; with 1, a worker holds only what it runs
  (https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits).
- Time limits (`time_limit`, `soft_time_limit` on the task, or `task_time_limit`): a report may
  run up to REPORT_TIME_LIMIT seconds, then the worker kills it; SoftTimeLimitExceeded is raised
  in the task REPORT_TIME_LIMIT - REPORT_SOFT_TIME_LIMIT seconds earlier to let it clean up. They
  travel in the message (its `timelimit` header). The prefork pool enforces them; the threads
  pool the tests use does not.
- The visibility timeout (`broker_transport_options={"visibility_timeout": seconds}`,
  https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout):
  with Redis as the broker, a message not acknowledged within it is delivered again, even if its
  worker is alive and still running it. It must be longer than the longest a task may run (the
  default, one hour, is shorter than our reports' time limit).
- Results (`task_track_started`, `result_expires`): the STARTED state is stored when the task
  starts (a UI can show "building..."), and results expire from Redis after RESULT_TTL seconds
  instead of the default day.
"""

from collections.abc import Callable
from typing import Any

from celery import Celery

REPORTS_QUEUE = "reports"
MAIL_QUEUE = "mail"
REPORT_TIME_LIMIT = 2 * 3600  # seconds: a report that runs longer is killed
REPORT_SOFT_TIME_LIMIT = REPORT_TIME_LIMIT - 60  # seconds: SoftTimeLimitExceeded is raised
RESULT_TTL = 3600  # seconds a result stays in Redis
VISIBILITY_TIMEOUT = 3 * 3600  # seconds before an unacknowledged message is delivered again

render: Callable[[int], dict[str, Any]] | None = None  # set when the app starts (tests: a fake)


def configure(app: Celery) -> None:
    """The app's settings (its broker and result backend are already set).

    TODO: route `reports.build` to REPORTS_QUEUE too; acknowledge late, requeue the tasks of a
    lost worker, prefetch one message per process, store the STARTED state, expire results
    after RESULT_TTL, and make the broker's visibility timeout VISIBILITY_TIMEOUT
    (`broker_transport_options`).
    """
    app.conf.update(
        task_routes={
            "reports.email": {"queue": MAIL_QUEUE},
        },
    )


def register_tasks(app: Celery):
    """Registers the report tasks on `app`; returns (build_report, email_report).

    TODO: `reports.build` gets its time limits (`time_limit=`, `soft_time_limit=`).
    """

    @app.task(name="reports.build")
    def build_report(report_id: int) -> dict[str, Any]:
        assert render is not None, "no renderer configured"
        return render(report_id)

    @app.task(name="reports.email")
    def email_report(report_id: int, to: str) -> None:
        """Sent by the mail workers (not started in the tests)."""

    return build_report, email_report
