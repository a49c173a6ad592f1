"""The HTTP side: the webhook receiver, job status, service status, and the lifespan."""

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .dedupe import Deliveries
from .jobs import JobQueue, Processor, QueueFull
from .settings import Settings
from .signing import InvalidSignature, MalformedWebhook, secret_key, verify


class TooLarge(Exception):
    """The body is larger than the service accepts."""


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, read no further than `limit` bytes: `TooLarge` past it."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge()
    return bytes(body)


def create_app(settings: Settings, processor: Processor, clock: Callable[[], float] = time.time) -> FastAPI:
    key = secret_key(settings.secret)
    deliveries = Deliveries(settings.remember)
    queue = JobQueue(processor, settings.queue_size, settings.workers, settings.keep_finished)
    state = {"accepting": False}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        state["accepting"] = True
        try:
            yield
        finally:
            state["accepting"] = False
            await queue.stop(settings.shutdown_timeout)

    app = FastAPI(lifespan=lifespan)

    def unavailable(detail: str) -> JSONResponse:
        return JSONResponse(
            {"detail": detail}, status_code=503, headers={"Retry-After": str(settings.retry_after)}
        )

    @app.post("/webhooks")
    async def receive(request: Request) -> JSONResponse:
        if not state["accepting"]:
            return unavailable("shutting down")
        try:
            body = await read_body(request, settings.max_body)
        except TooLarge:
            return JSONResponse({"detail": "body too large"}, status_code=413)
        try:
            delivery = verify(key, request.headers, body, int(clock()), settings.tolerance)
        except MalformedWebhook as err:
            return JSONResponse({"detail": str(err)}, status_code=400)
        except InvalidSignature:
            return JSONResponse({"detail": "invalid signature"}, status_code=401)
        seen = deliveries.job_of(delivery)
        if seen is not None:
            return JSONResponse({"job": seen, "status": "duplicate"}, status_code=200)
        try:
            event: Any = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return JSONResponse(
                {"detail": "the event must be a JSON object with a string type"}, status_code=422
            )
        try:
            job = queue.submit(delivery, event)
        except QueueFull:
            return unavailable("queue full")
        deliveries.remember(delivery, job.id)
        return JSONResponse(
            {"job": job.id, "status": "queued"},
            status_code=202,
            headers={"Location": f"/jobs/{job.id}"},
        )

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
