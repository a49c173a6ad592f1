"""Transcription as an asynchronous job: start it once, poll with backoff, stop at a deadline.

Transcribing an hour of audio takes minutes, so speech-to-text is served as a *job*: Amazon
Transcribe's job API (https://docs.aws.amazon.com/transcribe/latest/dg/batch-med-transcription.html)
and a Whisper model behind a queue work the same way. You start the job, then learn its outcome
either by polling or by a completion webhook.

    client.start_transcription_job(
        TranscriptionJobName=name, Media={"MediaFileUri": "s3://bucket/call.wav"},
        LanguageCode="en-US")
    client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    -> {"TranscriptionJobStatus": "QUEUED" | "IN_PROGRESS" | "COMPLETED" | "FAILED",
        "Transcript": {"TranscriptFileUri": ...}, "FailureReason": ..., "Media": ..., ...}

Starting is not idempotent by itself: a client that timed out and retries would start (and pay
for) a second job. Job names are unique per account, so derive the name from the caller's
idempotency key. The name must be the same for the same key in every process, after a restart
or a redeploy too (Python's built-in `hash()` of a str is salted per process: PYTHONHASHSEED),
and it must match `^[0-9a-zA-Z._-]+`, at most 200 characters, so `job_name(key)` is `"tx-"`
followed by the hex SHA-256 of the key's UTF-8 bytes. A second start with that name fails with
`ConflictException`: that is the retry of a job we already started, so look the job up and
return its name, unless it was started for *other* media or another language: then the key is
being reused for a different request (`IdempotencyConflict`, a 409 for our API; compare
Stripe's idempotency keys and the IETF draft "The Idempotency-Key HTTP Header Field").

Polling costs requests (and `get_transcription_job` is rate-limited): wait `first_delay`,
then double the wait up to `max_delay`. A poll refused with `LimitExceededException` is not
an answer: back off and poll again. Any other error is raised. Stop at a deadline
(`timeout` seconds after `wait` was called): never sleep past it (sleep what remains), poll
once at the deadline, and raise `TranscriptionTimeout` if the job is still not done; a
`FAILED` job raises `TranscriptionFailed` with its `FailureReason`.

The other way to learn the outcome is a webhook: the transcription worker POSTs the result to
us. Anyone can POST, so the worker signs it (the scheme Stripe and Standard Webhooks use):

    Webhook-Signature: t=1700000000,v1=5257a869e7...[,v1=... during a key rotation]

where v1 is the hex HMAC-SHA256 (RFC 2104), with our shared secret, of `t`, a dot and the raw
body bytes (not the parsed JSON: re-serialising changes bytes). `verify_webhook` accepts the
body only if some v1 matches, compared with `hmac.compare_digest` (constant time), and if `t`
(ASCII decimal digits only: no sign, no `_`, no spaces, no other script's digits, all of which
`int()` would take) is at most `TOLERANCE` seconds from now either way, so that a captured
request cannot be replayed later. The header is a comma-separated list of `key=value` parts;
whitespace around a part is allowed (`t=1700000000, v1=...`, as in HTTP lists, RFC 9110
5.6.1) and parts of other keys are ignored. Anything malformed (no `t`, two of them, `t=abc`,
a part without `=` anywhere in the list, a signature that is not ASCII: `compare_digest`
raises TypeError on non-ASCII text, so compare bytes) is refused the same way:
`InvalidSignature`, never a crash.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Callable

from botocore.exceptions import ClientError

TOLERANCE = 300


class TranscriptionFailed(Exception):
    """The job ended FAILED; the message is its FailureReason."""


class TranscriptionTimeout(Exception):
    """The job was not done by the deadline (it may still finish: it is not cancelled)."""


class IdempotencyConflict(Exception):
    """The idempotency key was already used for a different request."""


class InvalidSignature(Exception):
    """The webhook is not signed by the worker, or too old, or malformed."""


def code_of(err: ClientError) -> str:
    return err.response["Error"]["Code"]


class Transcriber:
    def __init__(
        self,
        client,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        first_delay: float = 2.0,
        max_delay: float = 30.0,
        timeout: float = 600.0,
    ):
        self.client = client
        self.clock = clock
        self.sleep = sleep
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.timeout = timeout

    def job_name(self, key: str) -> str:
        """The job's name for an idempotency key: always the same for the same key."""
        return "tx-" + hashlib.sha256(key.encode("utf-8")).hexdigest()

    def submit(self, key: str, media_uri: str, language: str = "en-US") -> str:
        """Start the job for `key` (once), return its name."""
        name = self.job_name(key)
        try:
            self.client.start_transcription_job(
                TranscriptionJobName=name,
                Media={"MediaFileUri": media_uri},
                LanguageCode=language,
            )
        except ClientError as err:
            if code_of(err) != "ConflictException":
                raise
            job = self.client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
            if job["Media"]["MediaFileUri"] != media_uri or job.get("LanguageCode") != language:
                raise IdempotencyConflict(f"the key of job {name} was used for another request")
        return name

    def wait(self, name: str) -> str:
        """Poll until the job is done; return the transcript's URI."""
        deadline = self.clock() + self.timeout
        delay = self.first_delay
        while True:
            try:
                job = self.client.get_transcription_job(TranscriptionJobName=name)[
                    "TranscriptionJob"
                ]
            except ClientError as err:
                if code_of(err) != "LimitExceededException":
                    raise
            else:
                status = job["TranscriptionJobStatus"]
                if status == "COMPLETED":
                    return job["Transcript"]["TranscriptFileUri"]
                if status == "FAILED":
                    raise TranscriptionFailed(job.get("FailureReason", "unknown"))
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise TranscriptionTimeout(f"job {name} is not done after {self.timeout} s")
            self.sleep(min(delay, remaining))
            delay = min(delay * 2, self.max_delay)


def verify_webhook(secret: bytes, signature: str | None, body: bytes, now: float) -> dict:
    """The webhook's JSON body if `signature` (the Webhook-Signature header) proves it."""
    if not signature:
        raise InvalidSignature("no signature")
    stamps = []
    candidates = []
    for part in signature.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise InvalidSignature("malformed signature")
        if key == "t":
            stamps.append(value)
        elif key == "v1":
            candidates.append(value)
    if len(stamps) != 1 or not (stamps[0].isascii() and stamps[0].isdigit()):
        raise InvalidSignature("malformed timestamp")
    stamp = stamps[0]
    if abs(now - int(stamp)) > TOLERANCE:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = hmac.new(secret, stamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    if not any(
        hmac.compare_digest(expected.encode("ascii"), candidate.encode("utf-8"))
        for candidate in candidates
    ):
        raise InvalidSignature("no signature matches")
    return json.loads(body)
