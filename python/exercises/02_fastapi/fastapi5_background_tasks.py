"""Background tasks: answer first, do the slow part after the response is sent.

Sending a welcome mail or building a report takes seconds; the client should not wait for it.
FastAPI's `BackgroundTasks` (https://fastapi.tiangolo.com/tutorial/background-tasks/) runs
functions *after* the response has been sent, in the same process:

    @app.post("/x")
    def endpoint(background: BackgroundTasks):
        background.add_task(fn, arg1, arg2)   # not fn(arg1, arg2): that would run it now
        return {...}

Tasks are attached to the response the endpoint returns: if the endpoint raises (409, 422), no
task runs. So schedule the mail only once the signup has succeeded.

For work the client wants to follow, answer 202 Accepted (RFC 9110 §15.3.3): "accepted for
processing, not yet done". Point the client at a status monitor with `Location: /reports/{id}`;
the monitor says "pending" (from the moment the 202 is sent: store that record before you
answer), then "done" with the result, or "failed" with the error.

Nobody awaits a background task, so nobody sees its exception: a task that can fail must record
its own outcome (catch the *expected* error, `ReportError`, and store "failed"), or the report
stays "pending" forever. Any other exception is a bug in our code, not a report that failed: let
it propagate (the server logs it with its traceback); `except Exception` would file it as
"failed" and hide it. (In production, work that must survive a restart belongs in a real
queue: Celery, RQ, arq. BackgroundTasks is for small, best-effort follow-ups.)
"""

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from fastapi import BackgroundTasks, FastAPI, HTTPException
from pydantic import BaseModel, Field


class Mailer(Protocol):
    def send_welcome(self, email: str) -> None: ...


class ReportError(Exception):
    """The report could not be built (bad data upstream, a quota...)."""


class SignupIn(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class ReportIn(BaseModel):
    kind: str = Field(min_length=1)


def create_app(mailer: Mailer, build_report: Callable[[str], Any]) -> FastAPI:
    app = FastAPI()
    users: set[str] = set()
    reports: dict[str, dict] = {}

    @app.post("/signup", status_code=201)
    def signup(data: SignupIn, background: BackgroundTasks) -> dict:
        email = data.email.lower()
        # TODO: the client waits for the mail, and a duplicate still gets one. Check first,
        # then schedule the mail as a background task.
        mailer.send_welcome(email)
        if email in users:
            raise HTTPException(409, detail="this email is registered")
        users.add(email)
        return {"email": email}

    # TODO: 202 Accepted, a Location header to /reports/{id}, the body {"id", "status": "pending"},
    # and the report built in a background task that records "done" + result or "failed" + error.
    @app.post("/reports")
    def start_report(data: ReportIn) -> dict:
        report_id = uuid.uuid4().hex
        result = build_report(data.kind)
        reports[report_id] = {"id": report_id, "status": "done", "result": result}
        return reports[report_id]

    @app.get("/reports/{report_id}")
    def get_report(report_id: str) -> dict:
        if report_id not in reports:
            raise HTTPException(404, detail="no such report")
        return reports[report_id]

    return app
