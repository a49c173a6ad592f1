"""The work queue: accepted events wait here, worker tasks process them."""

import asyncio
import uuid
from collections import OrderedDict
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
        self._queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=size)
        self._workers = workers
        self._keep_finished = keep_finished
        self._tasks: list[asyncio.Task[None]] = []
        self._finished: OrderedDict[str, None] = OrderedDict()
        self.jobs: dict[str, Job] = {}

    @property
    def capacity(self) -> int:
        return self._queue.maxsize

    def waiting(self) -> int:
        return self._queue.qsize()

    def submit(self, delivery: str, event: dict[str, Any]) -> Job:
        """Queues a job without waiting: `QueueFull` when there is no room."""
        job = Job(id=uuid.uuid4().hex, delivery=delivery, event=event)
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            raise QueueFull() from None
        self.jobs[job.id] = job
        return job

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self._workers)]

    def alive(self) -> int:
        return sum(1 for task in self._tasks if not task.done())

    def _finish(self, job: Job, status: str) -> None:
        job.status = status
        self._finished[job.id] = None
        while len(self._finished) > self._keep_finished:
            oldest, _ = self._finished.popitem(last=False)
            self.jobs.pop(oldest, None)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            job.status = "running"
            try:
                await self._processor(job.delivery, job.event)
            except asyncio.CancelledError:
                self._finish(job, "cancelled")
                raise
            except Exception as exc:
                job.error = f"{type(exc).__name__}: {exc}"
                self._finish(job, "failed")
            else:
                self._finish(job, "done")
            finally:
                self._queue.task_done()

    async def stop(self, timeout: float) -> None:
        """Waits up to `timeout` seconds for every queued job, then cancels the workers."""
        try:
            await asyncio.wait_for(self._queue.join(), timeout)
        except TimeoutError:
            pass
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for job in list(self.jobs.values()):
            if job.status == "queued":
                self._finish(job, "cancelled")

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in ("queued", "running", *FINISHED)}
        for job in self.jobs.values():
            counts[job.status] += 1
        return counts
