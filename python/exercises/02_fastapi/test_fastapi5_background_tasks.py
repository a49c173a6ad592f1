import pytest
from fastapi.testclient import TestClient

from fastapi5_background_tasks import ReportError, create_app


class SentRecorder:
    """ASGI middleware of the test: notes when the response's last body chunk went out."""

    def __init__(self, app):
        self.app = app
        self.response_sent = False

    async def __call__(self, scope, receive, send):
        self.response_sent = False

        async def recording_send(message):
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.response_sent = True

        await self.app(scope, receive, recording_send)


class FakeMailer:
    def __init__(self):
        self.sent = []
        self.recorder = None

    def send_welcome(self, email):
        self.sent.append((email, self.recorder.response_sent))


class FakeReports:
    def __init__(self):
        self.calls = []
        self.fail_with = None

    def __call__(self, kind):
        self.calls.append((kind, recorder_state[0].response_sent))
        if self.fail_with is not None:
            raise self.fail_with
        return {"kind": kind, "rows": 3}


recorder_state = []


@pytest.fixture
def world():
    mailer, reports = FakeMailer(), FakeReports()
    recorder = SentRecorder(create_app(mailer, reports))
    mailer.recorder = recorder
    recorder_state[:] = [recorder]
    return mailer, reports, TestClient(recorder)


def test_signup_is_201_and_mails_after_the_response(world):
    mailer, _, client = world
    r = client.post("/signup", json={"email": "Ada@Example.org"})
    assert r.status_code == 201
    assert r.json() == {"email": "ada@example.org"}
    assert mailer.sent == [("ada@example.org", True)], (
        "the mail goes out exactly once, *after* the response was sent (BackgroundTasks), "
        "not while the client waits"
    )


def test_a_duplicate_signup_sends_no_mail(world):
    mailer, _, client = world
    client.post("/signup", json={"email": "ada@example.org"})
    r = client.post("/signup", json={"email": "ADA@example.org"})
    assert r.status_code == 409
    assert r.json() == {"detail": "this email is registered"}
    assert len(mailer.sent) == 1, "a failed request schedules nothing"


def test_an_invalid_signup_sends_no_mail(world):
    mailer, _, client = world
    assert client.post("/signup", json={"email": "not-an-email"}).status_code == 422
    assert mailer.sent == []


def test_a_report_needs_a_kind(world):
    _, reports, client = world
    r = client.post("/reports", json={"kind": ""})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "kind"]
    assert reports.calls == [], "an invalid request schedules nothing"


def test_a_report_is_202_accepted_with_a_status_location(world):
    _, reports, client = world
    r = client.post("/reports", json={"kind": "sales"})
    assert r.status_code == 202, "the work is accepted, not done: 202 (RFC 9110 §15.3.3)"
    body = r.json()
    assert body == {"id": body["id"], "status": "pending"}, "at response time the report is pending"
    assert r.headers.get("location") == f"/reports/{body['id']}", "Location points at a status monitor"
    assert reports.calls == [("sales", True)], "the report is built after the response, once"


def test_the_status_monitor_shows_the_result(world):
    _, _, client = world
    location = client.post("/reports", json={"kind": "sales"}).headers["location"]
    r = client.get(location)
    assert r.status_code == 200
    assert r.json() == {"id": location.rsplit("/", 1)[1], "status": "done", "result": {"kind": "sales", "rows": 3}}
    missing = client.get("/reports/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no such report"}


def test_a_failed_report_is_recorded_not_lost(world):
    _, reports, client = world
    reports.fail_with = ReportError("quota exceeded")
    r = client.post("/reports", json={"kind": "sales"})
    assert r.status_code == 202
    status = client.get(r.headers["location"]).json()
    assert status["status"] == "failed", "a task that failed must not stay 'pending' forever"
    assert status == {"id": r.json()["id"], "status": "failed", "error": "quota exceeded"}


def test_a_bug_in_the_report_task_is_not_filed_as_a_failed_report(world):
    _, reports, client = world
    reports.fail_with = RuntimeError("bug in our code")
    with pytest.raises(RuntimeError, match="bug in our code"):
        client.post("/reports", json={"kind": "sales"})
    assert reports.calls == [("sales", True)]


def test_the_monitor_says_pending_until_the_task_recorded_an_outcome(world):
    _, reports, client = world
    reports.fail_with = RuntimeError("bug in our code")
    quiet = TestClient(client.app, raise_server_exceptions=False)
    r = quiet.post("/reports", json={"kind": "sales"})
    assert r.status_code == 202
    status = quiet.get(r.headers["location"])
    assert status.status_code == 200, "the pending record is stored before the task is scheduled"
    assert status.json() == {"id": r.json()["id"], "status": "pending"}, (
        "the task crashed on a bug: only ReportError is recorded as 'failed'"
    )


def test_reports_are_independent(world):
    _, _, client = world
    one = client.post("/reports", json={"kind": "a"}).json()["id"]
    two = client.post("/reports", json={"kind": "b"}).json()["id"]
    assert one != two
    assert client.get(f"/reports/{one}").json()["result"]["kind"] == "a"
    assert client.get(f"/reports/{two}").json()["result"]["kind"] == "b"
