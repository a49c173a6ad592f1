"""The HTTP side: the webhook receiver, job status, service status, and the lifespan.

`POST /webhooks`, in this order (each step a test):

1. Not accepting (before startup, during shutdown): 503 `{"detail": "shutting down"}`.
2. The raw body, at most `max_body` bytes: a `Content-Length` over the limit is 413 before any of
   the body is read; otherwise read `request.stream()` chunk by chunk and stop with 413 as soon
   as the total passes the limit (`await request.body()` would first read all of it, however
   large: https://www.starlette.io/requests/#body). 413 Content Too Large, RFC 9110 §15.5.14.
3. `verify(...)` with `int(clock())` as now: `MalformedWebhook` is 400 with its message as the
   detail, `InvalidSignature` is 401 `{"detail": "invalid signature"}` (one body for every
   reason: no oracle). Verification comes BEFORE anything else looks at the id or the body: an
   unsigned request must not learn whether an id is known, and unauthenticated JSON is not
   parsed.
4. A known delivery id: 200 `{"job": <its job>, "status": "duplicate"}`, nothing queued.
5. The event: a JSON object whose "type" is a string, else 422 `{"detail": "the event must be a
   JSON object with a string type"}`.
6. Queue it (`submit`, never waiting): `QueueFull` is 503 `{"detail": "queue full"}`. Every 503
   carries `Retry-After: <settings.retry_after>` (RFC 9110 §10.2.3), so the sender backs off.
7. Only now remember the id: a delivery refused at any step above (401, 422, 503) was not
   accepted, and its retry must be. Answer 202 Accepted `{"job": id, "status": "queued"}` with
   `Location: /jobs/{id}` (RFC 9110 §15.3.3: accepted for processing, follow it there).

`GET /jobs/{id}`: `{"job", "delivery", "type", "status", "error"}`, or 404 `{"detail": "no such
job"}`. `GET /status`: `{"accepting", "workers" (alive), "queue": {"waiting", "capacity"},
"jobs": counts by status}`.

The lifespan (https://fastapi.tiangolo.com/advanced/events/): start the workers, then accept;
at shutdown stop accepting FIRST, then `await queue.stop(settings.shutdown_timeout)` so what
was accepted is processed (a deploy must not lose accepted work).
"""

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .dedupe import Deliveries
from .jobs import JobQueue, Processor, QueueFull  # noqa: F401
from .settings import Settings
from .signing import InvalidSignature, MalformedWebhook, secret_key, verify


class TooLarge(Exception):
    """The body is larger than the service accepts."""


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, read no further than `limit` bytes: `TooLarge` past it."""
    # TODO: the declared length first, then the stream chunk by chunk.
    return await request.body()


def create_app(settings: Settings, processor: Processor, clock: Callable[[], float] = time.time) -> FastAPI:
    key = secret_key(settings.secret)
    deliveries = Deliveries(settings.remember)
    queue = JobQueue(processor, settings.queue_size, settings.workers, settings.keep_finished)
    state = {"accepting": False}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        state["accepting"] = True
        yield
        # TODO: stop accepting, then stop the queue gracefully (also when the app fails).
        await queue.stop(settings.shutdown_timeout)

    app = FastAPI(lifespan=lifespan)

    def unavailable(detail: str) -> JSONResponse:
        return JSONResponse({"detail": detail}, status_code=503)

    @app.post("/webhooks")
    async def receive(request: Request) -> JSONResponse:
        if not state["accepting"]:
            return unavailable("shutting down")
        try:
            body = await read_body(request, settings.max_body)
        except TooLarge:
            return JSONResponse({"detail": "body too large"}, status_code=413)
        # TODO: the order of the steps (see the module's docstring).
        event: Any = json.loads(body)
        delivery = request.headers.get("webhook-id", "")
        seen = deliveries.job_of(delivery)
        if seen is not None:
            return JSONResponse({"job": seen, "status": "duplicate"}, status_code=200)
        try:
            delivery = verify(key, request.headers, body, int(clock()), settings.tolerance)
        except MalformedWebhook as err:
            return JSONResponse({"detail": str(err)}, status_code=400)
        except InvalidSignature:
            return JSONResponse({"detail": "invalid signature"}, status_code=401)
        deliveries.remember(delivery, "")
        job = queue.submit(delivery, event)
        return JSONResponse({"job": job.id, "status": "queued"}, status_code=202)

    @app.get("/jobs/{job_id}")
    async def job_status(job_id: str) -> JSONResponse:
        job = queue.jobs.get(job_id)
        if job is None:
            return JSONResponse({"detail": "no such job"}, status_code=404)
        return JSONResponse(
            {
                "job": job.id,
                "delivery": job.delivery,
                "type": job.event["type"],
                "status": job.status,
                "error": job.error,
            }
        )

    @app.get("/status")
    async def status() -> dict[str, Any]:
        return {
            "accepting": state["accepting"],
            "workers": queue.alive(),
            "queue": {"waiting": queue.waiting(), "capacity": queue.capacity},
            "jobs": queue.counts(),
        }

    return app
