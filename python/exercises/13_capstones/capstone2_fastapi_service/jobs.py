"""The work queue: accepted events wait here, worker tasks process them.

The receiver answers as soon as an event is *queued*; worker tasks started in the app's lifespan
do the work (https://docs.python.org/3/library/asyncio-queue.html#examples):

- **Bounded.** `asyncio.Queue(maxsize=size)`. `submit` must never wait for room: the request
  handler would hang while the sender times out and retries. `put_nowait` raises
  `asyncio.QueueFull` at once; turn it into our `QueueFull` (the receiver answers 503).
- **Workers** (`workers` of them, `asyncio.create_task`) loop forever: `await queue.get()`, mark
  the job "running", `await processor(job.delivery, job.event)`, then "done"; an exception of
  the processor marks it "failed" with `error = f"{type(exc).__name__}: {exc}"` and the worker
  goes on with the next job (one bad event must not stop the service). `asyncio.CancelledError`
  is not a failure of the job: it is a `BaseException`, so `except Exception` does not catch
  it; mark the job "cancelled" and re-raise it, or the worker cannot be stopped. Call
  `queue.task_done()` for every job taken, whatever happened (`queue.join()` counts on it).
- **Graceful stop** (`stop`, from the lifespan's shutdown): wait up to `timeout` seconds for the
  queue to drain (`asyncio.wait_for(queue.join(), timeout)`: every queued job processed), then
  cancel the workers and wait for them (`asyncio.gather(*tasks, return_exceptions=True)`); a job
  that never started is then "cancelled" too.
- **Bounded history.** Finished jobs (done, failed, cancelled) stay in `jobs` for the status
  endpoint, at most `keep_finished` of them: when one more finishes, forget the one that
  finished first.
"""

import asyncio
import uuid
from collections import OrderedDict  # noqa: F401
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Processor = Callable[[str, dict[str, Any]], Awaitable[None]]
FINISHED = ("done", "failed", "cancelled")


class QueueFull(Exception):
    """No room for another job right now."""


@dataclass
class Job:
    id: str
    delivery: str
    event: dict[str, Any]
    status: str = "queued"  # queued, running, done, failed, cancelled
    error: str | None = None


class JobQueue:
    def __init__(self, processor: Processor, size: int, workers: int, keep_finished: int) -> None:
        self._processor = processor
        # TODO: bounded.
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._workers = workers
        self._keep_finished = keep_finished
        self._tasks: list[asyncio.Task[None]] = []
        self.jobs: dict[str, Job] = {}

    @property
    def capacity(self) -> int:
        return self._queue.maxsize

    def waiting(self) -> int:
        return self._queue.qsize()

    def submit(self, delivery: str, event: dict[str, Any]) -> Job:
        """Queues a job without waiting: `QueueFull` when there is no room."""
        job = Job(id=uuid.uuid4().hex, delivery=delivery, event=event)
        self._queue.put_nowait(job)
        self.jobs[job.id] = job
        return job

    def start(self) -> None:
        # TODO: `self._workers` tasks.
        self._tasks = [asyncio.create_task(self._work())]

    def alive(self) -> int:
        return sum(1 for task in self._tasks if not task.done())

    async def _work(self) -> None:
        # TODO: running, done, failed (and carry on), cancelled (and re-raise), task_done, and
        # the bounded history of finished jobs.
        while True:
            job = await self._queue.get()
            await self._processor(job.delivery, job.event)
            job.status = "done"

    async def stop(self, timeout: float) -> None:
        """Waits up to `timeout` seconds for every queued job, then cancels the workers."""
        # TODO: drain first, then cancel and wait; what never started is cancelled.
        for task in self._tasks:
            task.cancel()

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in ("queued", "running", *FINISHED)}
        for job in self.jobs.values():
            counts[job.status] += 1
        return counts
