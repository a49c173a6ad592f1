"""Background tasks: answer first, do the slow part after the response is sent."""

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from fastapi import BackgroundTasks, FastAPI, HTTPException, Response
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
        if email in users:
            raise HTTPException(409, detail="this email is registered")
        users.add(email)
        background.add_task(mailer.send_welcome, email)
        return {"email": email}

    def run_report(report_id: str, kind: str) -> None:
        # A background task has no client to answer: it records its own outcome.
        try:
            result = build_report(kind)
        except ReportError as exc:
            reports[report_id] = {"id": report_id, "status": "failed", "error": str(exc)}
        else:
            reports[report_id] = {"id": report_id, "status": "done", "result": result}

    @app.post("/reports", status_code=202)
    def start_report(data: ReportIn, background: BackgroundTasks, response: Response) -> dict:
        report_id = uuid.uuid4().hex
        reports[report_id] = {"id": report_id, "status": "pending"}
        background.add_task(run_report, report_id, data.kind)
        response.headers["Location"] = f"/reports/{report_id}"
        return dict(reports[report_id])

    @app.get("/reports/{report_id}")
    def get_report(report_id: str) -> dict:
        if report_id not in reports:
            raise HTTPException(404, detail="no such report")
        return reports[report_id]

    return app
