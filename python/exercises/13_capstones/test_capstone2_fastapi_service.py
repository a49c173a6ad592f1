"""The course's tests of capstone 2 (the specification: read them).

Every HTTP test runs the app in one event loop, in-process: the lifespan is entered by hand
(`app.router.lifespan_context`), requests go through `httpx2.AsyncClient(transport=
ASGITransport(app))`, and the fake processor below is held at a gate the test opens. Waiting for
the workers means yielding turns of the event loop, never sleeping.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import secrets as secrets_module

import httpx2
import pytest

import capstone2_fastapi_service as svc
from capstone2_fastapi_service import Deliveries, InvalidSignature, MalformedWebhook, Settings, create_app

KEY = bytes(range(1, 25))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
NOW = 1_700_000_000
GUARD = 3.0  # seconds: a scenario that hangs (a blocking put, a worker that swallows its
#              cancellation) fails instead of stopping the whole run


def signature(msg_id, timestamp, body, key=KEY):
    """The reference: base64 of HMAC-SHA256(key, "{id}.{timestamp}." + raw body)."""
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def signed_headers(msg_id, body, timestamp=NOW, key=KEY):
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + signature(msg_id, str(timestamp), body, key),
    }


def event(kind="invoice.paid", **extra):
    return json.dumps({"type": kind, **extra}).encode()


class Processor:
    """A fake processor: records calls, holds at a gate while `hold` is set, fails events that
    say `"fail": true`, and notes a cancellation."""

    def __init__(self, hold=False):
        self.hold = hold
        self.gate = asyncio.Event()
        self.started = []
        self.done = []
        self.cancelled = []
        self.running = 0
        self.most_running = 0

    async def __call__(self, delivery, payload):
        self.started.append(delivery)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if self.hold:
                await self.gate.wait()
            if payload.get("fail"):
                raise RuntimeError("upstream said no")
            self.done.append((delivery, payload))
        except asyncio.CancelledError:
            self.cancelled.append(delivery)
            raise
        finally:
            self.running -= 1


async def turns(condition, limit=2000):
    """Yields turns of the event loop until `condition()` holds (no sleeping)."""
    for _ in range(limit):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the workers never got there")


def run(coroutine):
    """Runs `coroutine` in a fresh event loop, `GUARD` seconds at most. Unlike `asyncio.run`,
    it does not wait for tasks left behind: a worker that swallows its cancellation fails the
    test instead of hanging it."""
    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(coroutine)
        loop.run_until_complete(asyncio.wait([task], timeout=GUARD))
        if not task.done():
            raise AssertionError(f"the scenario did not end within {GUARD} s (a hang at shutdown?)")
        return task.result()
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


def scenario(test, processor=None, clock=lambda: NOW + 0.9, **settings):
    """Runs `test(app, client, processor)` inside the app's lifespan, in a fresh event loop."""

    async def main():
        proc = processor or Processor()
        app = create_app(Settings(secret=SECRET, **settings), proc, clock=clock)
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://service") as client:
            async with app.router.lifespan_context(app):
                result = await test(app, client, proc)
            return result, proc, client

    return run(main())


async def post(client, msg_id, body, **kwargs):
    headers = signed_headers(msg_id, body, **kwargs)
    return await client.post("/webhooks", content=body, headers=headers)


# ---- the signature scheme -------------------------------------------------------------------


def test_the_secret_is_whsec_and_base64():
    assert svc.secret_key(SECRET) == KEY
    for bad in ["c2VjcmV0", "whsec_not base64!", "WHSEC_" + SECRET[6:]]:
        with pytest.raises(ValueError):
            svc.secret_key(bad)


def test_a_delivery_signed_over_id_timestamp_and_raw_body_verifies():
    body = b'{"type":  "invoice.paid",\n "data": {"z": 1, "a": 2}}'
    assert svc.verify(KEY, signed_headers("msg_1", body), body, NOW, 300) == "msg_1"


@pytest.mark.parametrize(
    "why, headers",
    [
        ("signed with the whsec_ text instead of the key", signed_headers("msg_1", b"{}", key=SECRET.encode())),
        ("another id", {**signed_headers("msg_1", b"{}"), "webhook-id": "msg_2"}),
        ("another timestamp", {**signed_headers("msg_1", b"{}"), "webhook-timestamp": str(NOW + 1)}),
        ("the hex digest", {**signed_headers("msg_1", b"{}"), "webhook-signature": "v1," + hmac.new(KEY, f"msg_1.{NOW}.{{}}".encode(), hashlib.sha256).hexdigest()}),
    ],
)
def test_what_the_signature_covers(why, headers):
    with pytest.raises(InvalidSignature):
        svc.verify(KEY, headers, b"{}", NOW, 300)


def test_the_body_is_part_of_the_signature():
    headers = signed_headers("msg_1", b'{"type": "a"}')
    with pytest.raises(InvalidSignature):
        svc.verify(KEY, headers, b'{"type":"a"}', NOW, 300)


def test_the_replay_window_holds_both_ways_and_includes_its_edge():
    for offset, ok in [(-300, True), (300, True), (-301, False), (301, False)]:
        headers = signed_headers("msg_1", b"{}", timestamp=NOW + offset)
        if ok:
            assert svc.verify(KEY, headers, b"{}", NOW, 300) == "msg_1", offset
        else:
            with pytest.raises(InvalidSignature):
                svc.verify(KEY, headers, b"{}", NOW, 300)


def test_a_timestamp_is_ascii_digits_only():
    arabic = "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660"
    for timestamp in ["+1700000000", "1_700_000_000", arabic, "1700000000.0", "", "-5", "1e9"]:
        headers = signed_headers("msg_1", b"{}")
        headers["webhook-timestamp"] = timestamp
        headers["webhook-signature"] = "v1," + signature("msg_1", timestamp, b"{}")
        with pytest.raises(MalformedWebhook):
            svc.verify(KEY, headers, b"{}", NOW, 10**12)
            pytest.fail(f"accepted the timestamp {timestamp!r}")


def test_every_header_is_required():
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"]:
        headers = signed_headers("msg_1", b"{}")
        del headers[missing]
        with pytest.raises(MalformedWebhook):
            svc.verify(KEY, headers, b"{}", NOW, 300)
            pytest.fail(f"accepted a delivery without {missing}")


def test_an_id_longer_than_200_characters_is_malformed():
    long_id = "m" * 201
    with pytest.raises(MalformedWebhook):
        svc.verify(KEY, signed_headers(long_id, b"{}"), b"{}", NOW, 300)
    assert svc.verify(KEY, signed_headers("m" * 200, b"{}"), b"{}", NOW, 300) == "m" * 200


def test_any_v1_signature_of_the_list_may_match_the_others_are_skipped():
    good = signature("msg_1", str(NOW), b"{}")
    other = signature("msg_1", str(NOW), b"{}", key=b"the previous key")
    headers = signed_headers("msg_1", b"{}")
    for listed in [f"v1,{other} v1,{good}", f"v1,!!notbase64 v1a,{good} v1,{good}", f"nocomma v1,{good}"]:
        headers["webhook-signature"] = listed
        assert svc.verify(KEY, headers, b"{}", NOW, 300) == "msg_1", listed
    for listed in [f"v1a,{good}", f"v2,{good}", f"v1,{other}", f"v1{good}", f"v1,{good[:-4]}"]:
        headers["webhook-signature"] = listed
        with pytest.raises(InvalidSignature):
            svc.verify(KEY, headers, b"{}", NOW, 300)


def test_signatures_are_compared_in_constant_time(monkeypatch):
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    monkeypatch.setattr(secrets_module, "compare_digest", spy)
    other = signature("msg_1", str(NOW), b"{}", key=b"the previous key")
    headers = signed_headers("msg_1", b"{}")
    headers["webhook-signature"] = f"v1,{other} " + headers["webhook-signature"]
    assert svc.verify(KEY, headers, b"{}", NOW, 300) == "msg_1"
    assert len(compared) == 2, "compare each v1 candidate with hmac.compare_digest, never with =="


def test_deliveries_are_bounded_and_forget_the_oldest_accepted_first():
    seen = Deliveries(2)
    seen.remember("a", "job-a")
    seen.remember("b", "job-b")
    assert seen.job_of("a") == "job-a"  # a lookup does not make "a" younger
    seen.remember("c", "job-c")
    assert (seen.job_of("a"), seen.job_of("b"), seen.job_of("c")) == (None, "job-b", "job-c")
    assert seen.size() == 2


# ---- the receiver ---------------------------------------------------------------------------


def test_an_accepted_delivery_is_202_with_its_job_and_is_processed_once():
    body = b'{"type":  "invoice.paid",\n "data": {"z": 1, "a": 2}}'

    async def test(app, client, proc):
        response = await post(client, "msg_1", body)
        assert response.status_code == 202, response.text
        job = response.json()["job"]
        assert response.json() == {"job": job, "status": "queued"}
        assert response.headers["location"] == f"/jobs/{job}"
        await turns(lambda: proc.done)
        status = await client.get(f"/jobs/{job}")
        assert status.json() == {
            "job": job, "delivery": "msg_1", "type": "invoice.paid", "status": "done", "error": None,
        }
        return job

    job, proc, _ = scenario(test)
    assert proc.done == [("msg_1", {"type": "invoice.paid", "data": {"z": 1, "a": 2}})]


def test_a_redelivery_is_200_with_the_same_job_and_is_not_queued_again():
    async def test(app, client, proc):
        first = await post(client, "msg_1", event())
        again = await post(client, "msg_1", event(), timestamp=NOW + 60)
        assert again.status_code == 200
        assert again.json() == {"job": first.json()["job"], "status": "duplicate"}
        await turns(lambda: proc.done)

    _, proc, _ = scenario(test)
    assert proc.started == ["msg_1"]


@pytest.mark.parametrize(
    "change, status, detail",
    [
        ({"webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}, 401, "invalid signature"),
        (signed_headers("msg_1", event(), timestamp=NOW - 301), 401, "invalid signature"),
        (signed_headers("msg_1", event(), timestamp=NOW + 301), 401, "invalid signature"),
        ({"webhook-timestamp": "17e8"}, 400, None),
        ({"webhook-id": ""}, 400, None),
    ],
)
def test_a_delivery_that_fails_verification_is_refused_queued_nowhere_and_not_remembered(change, status, detail):
    async def test(app, client, proc):
        headers = {**signed_headers("msg_1", event()), **change}
        response = await client.post("/webhooks", content=event(), headers=headers)
        assert response.status_code == status
        if detail:
            assert response.json() == {"detail": detail}
        # The real delivery of that id still goes through: a forged one must not burn its id.
        retry = await post(client, "msg_1", event())
        assert retry.status_code == 202
        await turns(lambda: proc.done)

    _, proc, _ = scenario(test)
    assert proc.started == ["msg_1"]


def test_the_signature_is_checked_before_the_id_is_looked_up():
    async def test(app, client, proc):
        assert (await post(client, "msg_1", event())).status_code == 202
        forged = signed_headers("msg_1", event(), key=b"not the key")
        response = await client.post("/webhooks", content=event(), headers=forged)
        assert response.status_code == 401, "an unsigned request learns nothing about known ids"
        assert "job" not in response.text
        garbage = signed_headers("msg_2", b"not json", key=b"not the key")
        response = await client.post("/webhooks", content=b"not json", headers=garbage)
        assert response.status_code == 401, "unauthenticated bodies are not parsed"

    scenario(test)


def test_a_verified_event_that_is_not_an_object_with_a_type_is_422():
    async def test(app, client, proc):
        for n, body in enumerate([b"[1, 2]", b'{"type": 7}', b"not json", b'{"data": {}}']):
            response = await post(client, f"msg_{n}", body)
            assert response.status_code == 422, body
            ok = await post(client, f"msg_{n}", event())
            assert ok.status_code == 202, "a refused event does not burn its id"

    scenario(test)


def test_a_full_queue_is_503_with_retry_after_and_the_retry_is_accepted_later():
    async def test(app, client, proc):
        assert (await post(client, "msg_1", event())).status_code == 202
        await turns(lambda: proc.started)  # the one worker holds msg_1
        assert (await post(client, "msg_2", event())).status_code == 202
        assert (await post(client, "msg_3", event())).status_code == 202
        full = await post(client, "msg_4", event())
        assert full.status_code == 503
        assert full.headers["retry-after"] == "17"
        assert full.json() == {"detail": "queue full"}
        status = (await client.get("/status")).json()
        assert status["queue"] == {"waiting": 2, "capacity": 2}
        proc.gate.set()
        await turns(lambda: len(proc.done) == 3)
        assert (await post(client, "msg_4", event())).status_code == 202, "msg_4 was never accepted"
        await turns(lambda: len(proc.done) == 4)

    _, proc, _ = scenario(test, processor=Processor(hold=True), queue_size=2, workers=1, retry_after=17)
    assert [d for d, _ in proc.done] == ["msg_1", "msg_2", "msg_3", "msg_4"]


def test_a_body_over_the_limit_is_413_and_the_limit_itself_is_fine():
    async def test(app, client, proc):
        exact = event(pad="x" * (100 - len(event(pad=""))))
        assert len(exact) == 100
        assert (await post(client, "msg_1", exact)).status_code == 202
        over = event(pad="x" * (101 - len(event(pad=""))))
        response = await post(client, "msg_2", over)
        assert response.status_code == 413
        await turns(lambda: proc.done)

    _, proc, _ = scenario(test, max_body=100)
    assert proc.started == ["msg_1"]


def test_a_streamed_body_is_read_no_further_than_the_limit():
    pulled = []

    async def chunks():
        for n in range(200):
            pulled.append(n)
            yield b" " * 1024

    async def test(app, client, proc):
        headers = signed_headers("msg_1", b"")
        response = await client.post("/webhooks", content=chunks(), headers=headers)
        assert response.status_code == 413
        assert len(pulled) <= 6, f"read {len(pulled)} KiB of a body limited to 4 KiB"

    scenario(test, max_body=4096)


def test_a_declared_length_over_the_limit_is_refused_before_reading():
    pulled = []

    async def chunks():
        pulled.append(1)
        yield b"{}"

    async def test(app, client, proc):
        headers = {**signed_headers("msg_1", b"{}"), "content-length": "1000000"}
        response = await client.post("/webhooks", content=chunks(), headers=headers)
        assert response.status_code == 413
        assert pulled == []

    scenario(test, max_body=4096)


# ---- the workers ----------------------------------------------------------------------------


def test_workers_process_jobs_concurrently():
    async def test(app, client, proc):
        for n in range(3):
            assert (await post(client, f"msg_{n}", event())).status_code == 202
        await turns(lambda: len(proc.started) == 2)
        status = (await client.get("/status")).json()
        assert status["jobs"]["running"] == 2 and status["jobs"]["queued"] == 1
        assert status["workers"] == 2 and status["accepting"] is True
        proc.gate.set()
        await turns(lambda: len(proc.done) == 3)

    _, proc, _ = scenario(test, processor=Processor(hold=True), workers=2)
    assert proc.most_running == 2


def test_a_failing_job_is_recorded_and_its_worker_carries_on():
    async def test(app, client, proc):
        bad = (await post(client, "msg_bad", event(fail=True))).json()["job"]
        good = (await post(client, "msg_good", event())).json()["job"]
        await turns(lambda: proc.done)
        failed = (await client.get(f"/jobs/{bad}")).json()
        assert failed["status"] == "failed"
        assert failed["error"] == "RuntimeError: upstream said no"
        assert (await client.get(f"/jobs/{good}")).json()["status"] == "done"
        status = (await client.get("/status")).json()
        assert status["workers"] == 1
        assert status["jobs"] == {"queued": 0, "running": 0, "done": 1, "failed": 1, "cancelled": 0}

    scenario(test, workers=1)


def test_an_unknown_job_is_404():
    async def test(app, client, proc):
        response = await client.get("/jobs/nope")
        assert response.status_code == 404
        assert response.json() == {"detail": "no such job"}

    scenario(test)


def test_only_the_latest_finished_jobs_are_kept():
    async def test(app, client, proc):
        jobs = []
        for n in range(3):
            jobs.append((await post(client, f"msg_{n}", event())).json()["job"])
            await turns(lambda: len(proc.done) == n + 1)
        codes = [(await client.get(f"/jobs/{job}")).status_code for job in jobs]
        assert codes == [404, 200, 200]
        # The delivery itself is still known: a redelivery is a duplicate, not new work.
        assert (await post(client, "msg_0", event())).status_code == 200

    scenario(test, keep_finished=2, workers=1)


def test_deliveries_remembered_are_bounded():
    async def test(app, client, proc):
        for n in range(3):
            assert (await post(client, f"msg_{n}", event())).status_code == 202
        await turns(lambda: len(proc.done) == 3)
        assert (await post(client, "msg_2", event())).status_code == 200
        assert (await post(client, "msg_0", event())).status_code == 202, "the oldest id is forgotten"

    scenario(test, remember=2)


# ---- the lifespan ---------------------------------------------------------------------------


def test_nothing_is_accepted_outside_the_lifespan():
    async def main():
        app = create_app(Settings(secret=SECRET), Processor(), clock=lambda: NOW)
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://s") as client:
            response = await post(client, "msg_1", event())
            assert response.status_code == 503
            assert response.headers["retry-after"] == "30"

    run(main())


def test_shutdown_drains_the_queue_and_refuses_new_deliveries():
    late = {}

    async def test(app, client, proc):
        for n in range(3):
            assert (await post(client, f"msg_{n}", event())).status_code == 202
        await turns(lambda: proc.started)

        async def during_shutdown():
            late["response"] = await post(client, "msg_late", event())
            late["status"] = (await client.get("/status")).json()
            proc.gate.set()

        # Runs once the shutdown waits for the queue, with every job still held.
        asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(during_shutdown()))

    _, proc, _ = scenario(test, processor=Processor(hold=True), workers=1)
    assert [d for d, _ in proc.done] == ["msg_0", "msg_1", "msg_2"]
    assert proc.cancelled == []
    assert late["response"].status_code == 503
    assert late["response"].json() == {"detail": "shutting down"}
    assert late["response"].headers["retry-after"] == "30"
    assert late["status"]["accepting"] is False


def test_shutdown_gives_up_after_its_timeout_and_cancels_what_is_left():
    jobs = []

    async def test(app, client, proc):
        for n in range(2):
            jobs.append((await post(client, f"msg_{n}", event())).json()["job"])
        await turns(lambda: proc.started)
        return app

    async def main():
        proc = Processor(hold=True)
        app = create_app(Settings(secret=SECRET, workers=1, shutdown_timeout=0.05), proc, clock=lambda: NOW)
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://s") as client:
            async with app.router.lifespan_context(app):
                await test(app, client, proc)
            # The gate never opened: the running job was cancelled, the queued one never ran.
            assert proc.cancelled == ["msg_0"]
            assert proc.started == ["msg_0"]
            states = [(await client.get(f"/jobs/{job}")).json()["status"] for job in jobs]
            assert states == ["cancelled", "cancelled"]
            status = (await client.get("/status")).json()
            assert status["workers"] == 0

    run(main())
