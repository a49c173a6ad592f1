import hashlib
import hmac
import json
import re

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.stub import Stubber

import aws_stubs
import transcribe1_jobs
from transcribe1_jobs import (
    TOLERANCE,
    IdempotencyConflict,
    InvalidSignature,
    TranscriptionFailed,
    TranscriptionTimeout,
    Transcriber,
    verify_webhook,
)

MEDIA = "s3://calls-eu/2026/12/call-0042.wav"
URI = "https://s3.eu-west-1.amazonaws.com/transcripts/call-0042.json"
NAME_RULE = re.compile(r"[0-9a-zA-Z._-]{1,200}")


@pytest.fixture
def world():
    client = aws_stubs.client("transcribe")
    clock = aws_stubs.FakeClock()
    with Stubber(client) as stub:
        yield Transcriber(client, clock=clock, sleep=clock.sleep), stub, clock
        stub.assert_no_pending_responses()


def job(name, status, media=MEDIA, language="en-US", **extra):
    return {
        "TranscriptionJob": {
            "TranscriptionJobName": name,
            "TranscriptionJobStatus": status,
            "LanguageCode": language,
            "Media": {"MediaFileUri": media},
            **extra,
        }
    }


def poll(stub, name, status, **extra):
    stub.add_response("get_transcription_job", job(name, status, **extra), {"TranscriptionJobName": name})


def poll_refused(stub, name, code):
    stub.add_client_error(
        "get_transcription_job",
        service_error_code=code,
        service_message="no",
        http_status_code=400,
        expected_params={"TranscriptionJobName": name},
    )


def start(stub, name, media=MEDIA, language="en-US", error=None):
    params = {"TranscriptionJobName": name, "Media": {"MediaFileUri": media}, "LanguageCode": language}
    if error:
        stub.add_client_error(
            "start_transcription_job", service_error_code=error, service_message="no",
            http_status_code=400, expected_params=params,
        )
    else:
        stub.add_response("start_transcription_job", job(name, "QUEUED", media, language), params)


# Starting a job, once -------------------------------------------------------------------------


def test_the_clients_cannot_reach_the_network():
    client = aws_stubs.client("transcribe")  # not stubbed: nothing listens on its endpoint
    clock = aws_stubs.FakeClock()
    with pytest.raises(EndpointConnectionError):
        Transcriber(client, clock=clock, sleep=clock.sleep).submit("k", MEDIA)
    assert clock.sleeps == []


@pytest.mark.parametrize("key", ["order-42", "ünïcode key/with spaces?", "k" * 1000, "a"])
def test_a_job_name_is_valid_and_derived_from_the_key(world, key):
    transcriber, _, _ = world
    name = transcriber.job_name(key)
    assert NAME_RULE.fullmatch(name), "Transcribe accepts ^[0-9a-zA-Z._-]+, at most 200 characters"
    assert transcriber.job_name(key) == name, "the same key gives the same name"


@pytest.mark.parametrize(
    "key, digest",
    [
        ("order-42", "3bf8b157c4238eefe5ae4a66eca81c6b887d4dcedb58dd674271859f4dc2edfd"),
        ("ünïcode key/with spaces?", "d0258e89209111303d8abe8aa8966be8b29a359ff1f549d5be51b92c9ac3b1af"),
    ],
)
def test_a_job_name_is_the_same_in_every_process(world, key, digest):
    # A retry after a restart must find the job: no per-process salt (hash()), no randomness.
    transcriber, _, _ = world
    assert transcriber.job_name(key) == "tx-" + digest, "tx- and the hex SHA-256 of the key's UTF-8"


def test_different_keys_give_different_names(world):
    transcriber, _, _ = world
    names = {transcriber.job_name(k) for k in ["a", "b", "A", "a ", "k" * 300, "k" * 301]}
    assert len(names) == 6


def test_submit_starts_the_job_under_the_keys_name(world):
    transcriber, stub, _ = world
    name = transcriber.job_name("order-42")
    start(stub, name, language="de-DE")
    assert transcriber.submit("order-42", MEDIA, "de-DE") == name


def test_a_resubmission_finds_the_job_it_started(world):
    transcriber, stub, _ = world
    name = transcriber.job_name("order-42")
    start(stub, name)
    start(stub, name, error="ConflictException")
    poll(stub, name, "IN_PROGRESS")
    assert transcriber.submit("order-42", MEDIA) == name
    assert transcriber.submit("order-42", MEDIA) == name, "a retry is not a second job"


@pytest.mark.parametrize("media, language", [("s3://calls-eu/other.wav", "en-US"), (MEDIA, "fr-FR")])
def test_a_key_reused_for_another_request_is_a_conflict(world, media, language):
    transcriber, stub, _ = world
    name = transcriber.job_name("order-42")
    start(stub, name, media, language, error="ConflictException")
    poll(stub, name, "COMPLETED", Transcript={"TranscriptFileUri": URI})
    with pytest.raises(IdempotencyConflict):
        transcriber.submit("order-42", media, language)


@pytest.mark.parametrize("code", ["BadRequestException", "LimitExceededException"])
def test_other_start_errors_are_raised(world, code):
    transcriber, stub, _ = world
    start(stub, transcriber.job_name("k"), error=code)
    with pytest.raises(ClientError) as caught:
        transcriber.submit("k", MEDIA)
    assert caught.value.response["Error"]["Code"] == code


# Polling ---------------------------------------------------------------------------------


def test_wait_polls_with_doubling_pauses_until_completed(world):
    transcriber, stub, clock = world
    for status in ["QUEUED", "IN_PROGRESS", "IN_PROGRESS"]:
        poll(stub, "job-1", status)
    poll(stub, "job-1", "COMPLETED", Transcript={"TranscriptFileUri": URI})
    assert transcriber.wait("job-1") == URI
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_a_completed_job_needs_no_pause(world):
    transcriber, stub, clock = world
    poll(stub, "job-1", "COMPLETED", Transcript={"TranscriptFileUri": URI})
    assert transcriber.wait("job-1") == URI
    assert clock.sleeps == []


def test_the_pause_is_capped(world):
    transcriber, stub, clock = world
    transcriber.max_delay = 5.0
    for _ in range(5):
        poll(stub, "job-1", "IN_PROGRESS")
    poll(stub, "job-1", "COMPLETED", Transcript={"TranscriptFileUri": URI})
    transcriber.wait("job-1")
    assert clock.sleeps == [2.0, 4.0, 5.0, 5.0, 5.0]


def test_a_failed_job_raises_its_reason_at_once(world):
    transcriber, stub, clock = world
    poll(stub, "job-1", "IN_PROGRESS")
    poll(stub, "job-1", "FAILED", FailureReason="Unsupported audio format: audio/x-ms-wma")
    with pytest.raises(TranscriptionFailed, match="Unsupported audio format"):
        transcriber.wait("job-1")
    assert clock.sleeps == [2.0]


def test_a_throttled_poll_backs_off_and_polls_again(world):
    transcriber, stub, clock = world
    poll(stub, "job-1", "IN_PROGRESS")
    poll_refused(stub, "job-1", "LimitExceededException")
    poll_refused(stub, "job-1", "LimitExceededException")
    poll(stub, "job-1", "COMPLETED", Transcript={"TranscriptFileUri": URI})
    assert transcriber.wait("job-1") == URI
    assert clock.sleeps == [2.0, 4.0, 8.0], "a refused poll is one more round of backoff"


@pytest.mark.parametrize("code", ["BadRequestException", "NotFoundException"])
def test_other_poll_errors_are_raised(world, code):
    transcriber, stub, clock = world
    poll_refused(stub, "job-1", code)
    with pytest.raises(ClientError):
        transcriber.wait("job-1")
    assert clock.sleeps == []


def test_the_deadline_is_never_overslept(world):
    transcriber, stub, clock = world
    transcriber.timeout = 20.0
    started = clock.now = clock.now + 1234.0  # the deadline counts from the call of wait
    for _ in range(5):
        poll(stub, "job-1", "IN_PROGRESS")
    with pytest.raises(TranscriptionTimeout):
        transcriber.wait("job-1")
    assert clock.sleeps == [2.0, 4.0, 8.0, 6.0], "polls at 0, 2, 6, 14 and 20 s, the last at the deadline"
    assert clock.now == started + 20.0


def test_the_time_of_the_first_poll_counts_toward_the_deadline(world):
    transcriber, stub, clock = world
    transcriber.timeout = 60.0
    started = clock.now
    slow = []

    def first_poll_takes_30_s(params, **kwargs):
        if not slow:
            slow.append(params)
            clock.now += 30.0  # the service answered the first poll after 30 s

    transcriber.client.meta.events.register_first(
        "provide-client-params.transcribe.GetTranscriptionJob", first_poll_takes_30_s
    )
    for _ in range(5):
        poll(stub, "job-1", "IN_PROGRESS")
    with pytest.raises(TranscriptionTimeout):
        transcriber.wait("job-1")
    assert clock.now == started + 60.0, "the deadline is timeout seconds after wait was called"
    assert clock.sleeps == [2.0, 4.0, 8.0, 16.0], "30 s went in the first poll: 30 s of pauses remain"


def test_a_job_done_at_the_deadline_is_done(world):
    transcriber, stub, clock = world
    transcriber.timeout = 6.0
    poll(stub, "job-1", "QUEUED")
    poll(stub, "job-1", "IN_PROGRESS")
    poll(stub, "job-1", "COMPLETED", Transcript={"TranscriptFileUri": URI})
    assert transcriber.wait("job-1") == URI
    assert clock.sleeps == [2.0, 4.0]


# The completion webhook ------------------------------------------------------------------

SECRET = b"whsec_7f3a9c"
NOW = 1_700_000_000
BODY = b'{"job": "tx-1",  "status": "COMPLETED", "transcript": "s3://out/tx-1.json"}'

FULLWIDTH_NOW = "".join(chr(0xFF10 + int(d)) for d in str(NOW))  # int() reads it as NOW


def sign(body=BODY, t=NOW, secret=SECRET):
    return hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def test_a_signed_webhook_is_accepted():
    event = verify_webhook(SECRET, f"t={NOW},v1={sign()}", BODY, NOW)
    assert event == {"job": "tx-1", "status": "COMPLETED", "transcript": "s3://out/tx-1.json"}


def test_the_signature_covers_the_raw_bytes():
    # The body has two spaces after a comma: a signature over re-serialised JSON differs.
    assert json.dumps(json.loads(BODY)).encode() != BODY
    assert verify_webhook(SECRET, f"t={NOW},v1={sign()}", BODY, NOW)["job"] == "tx-1"


@pytest.mark.parametrize(
    "header, body, now",
    [
        (f"t={NOW},v1={sign()}", BODY.replace(b"COMPLETED", b"COMPLETEd"), NOW),
        (f"t={NOW},v1={sign(secret=b'whsec_other')}", BODY, NOW),
        (f"t={NOW + 1},v1={sign()}", BODY, NOW),
        (f"t={NOW - TOLERANCE - 1},v1={sign(t=NOW - TOLERANCE - 1)}", BODY, NOW),
        (f"t={NOW + TOLERANCE + 1},v1={sign(t=NOW + TOLERANCE + 1)}", BODY, NOW),
        (f"t={NOW},v0={sign()}", BODY, NOW),
        (f"v1={sign()}", BODY, NOW),
        (f"t={NOW},t={NOW + 1},v1={sign()}", BODY, NOW),
        (f"t={NOW - 1000},t={NOW},v1={sign()}", BODY, NOW),
        (f"t=1.7e9,v1={sign(t='1.7e9')}", BODY, NOW),
        ("t=" + "".join(chr(0x0660 + int(d)) for d in str(NOW)) + f",v1={sign()}", BODY, NOW),
        (f"t={NOW},v1", BODY, NOW),
        (f"t={NOW},v1=", BODY, NOW),
        (f"t={NOW},v1=é{sign()[1:]}", BODY, NOW),
        ("", BODY, NOW),
        (None, BODY, NOW),
        # Correctly signed over their own `t`, which int() would read as NOW: still not digits.
        (f"t=+{NOW},v1={sign(t=f'+{NOW}')}", BODY, NOW),
        (f"t=1_700_000_000,v1={sign(t='1_700_000_000')}", BODY, NOW),
        (f"t={FULLWIDTH_NOW},v1={sign(t=FULLWIDTH_NOW)}", BODY, NOW),
        (f"t= {NOW},v1={sign(t=f' {NOW}')}", BODY, NOW),
        (f"t={NOW},v1={sign()},garbage", BODY, NOW),
        (f"garbage,t={NOW},v1={sign()}", BODY, NOW),
    ],
    ids=[
        "body-changed", "other-secret", "other-timestamp", "too-old", "too-new", "scheme-v0",
        "no-timestamp", "two-timestamps", "two-timestamps-last-fits", "not-digits", "arabic-indic-digits", "no-equals",
        "empty-v1", "non-ascii", "empty", "missing", "plus-sign-signed", "underscores-signed",
        "fullwidth-digits-signed", "space-in-t-signed", "valid-then-a-part-without-equals",
        "a-part-without-equals-then-valid",
    ],
)
def test_a_webhook_that_is_not_proven_is_refused(header, body, now):
    with pytest.raises(InvalidSignature):
        verify_webhook(SECRET, header, body, now)


@pytest.mark.parametrize("t", [NOW - TOLERANCE, NOW + TOLERANCE])
def test_the_tolerance_is_inclusive(t):
    assert verify_webhook(SECRET, f"t={t},v1={sign(t=t)}", BODY, NOW)["job"] == "tx-1"


def test_whitespace_around_the_parts_is_allowed():
    header = f" t={NOW} ,  v1={sign()}  "
    assert verify_webhook(SECRET, header, BODY, NOW)["job"] == "tx-1", "a list in HTTP may have spaces"


def test_any_v1_may_match_during_a_key_rotation():
    header = f"t={NOW},v1={sign(secret=b'whsec_old')},v1={sign()}"
    assert verify_webhook(SECRET, header, BODY, NOW)["status"] == "COMPLETED"


def test_signatures_are_compared_in_constant_time(monkeypatch):
    compared = []
    original = hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    monkeypatch.setattr(transcribe1_jobs, "compare_digest", recording, raising=False)
    verify_webhook(SECRET, f"t={NOW},v1={sign()}", BODY, NOW)
    assert compared, "== stops at the first differing byte: its timing leaks the signature"
