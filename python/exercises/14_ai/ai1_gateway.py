"""One clean, documented API in front of paid, slow, rate-limited AI services.

The previous exercises called Comprehend, a SageMaker endpoint and Transcribe correctly. This
one puts a FastAPI service in front of them, so that clients never see AWS: they see one
documented HTTP API (https://fastapi.tiangolo.com/tutorial/metadata/, the OpenAPI document at
`/openapi.json`) with limits that protect the service and its bill.

- Pydantic models are the contract: `SentimentRequest` refuses what Comprehend would refuse
  (1 to 25 texts of 1 to 5,000 characters, a supported language) with a 422 *before* anything
  is paid for; the response models are documented, and `None` fields are left out. A `pattern`
  is searched in the value, not matched against all of it: anchor it (`^...$`).
- `/v1/classify` calls the custom model on its SageMaker endpoint (as in `sagemaker1_invoke`,
  whose errors arrive here as `Unavailable`, `ModelFailed` and `ModelTimeout`): 503 with
  `Retry-After`, 502, 504. Each call costs `CLASSIFY_MICROS`; the model ran (and was billed)
  even when it failed or was slow, so only `Unavailable` gives the cost back.
- Every `/v1` call names its client with an `X-API-Key` header (`APIKeyHeader`, so that the
  OpenAPI document shows the scheme): a missing or unknown key is a 401, before the rate limit
  (a caller who is not a client has no quota, and cannot spend a client's). A 401 names the
  scheme to use in a `WWW-Authenticate` header (RFC 9110 §15.5.2); API keys have no registered
  scheme, so it is `APIKey`, as FastAPI's own 401 says.
- Request size: a body over `MAX_BODY_BYTES` is refused with 413 Content Too Large (RFC 9110
  §15.5.14) from its `Content-Length`, before it is read; a POST without `Content-Length`
  (chunked) is refused with 411 Length Required (§15.5.12), and one whose `Content-Length` is
  not a number (only ASCII digits: §8.6) with 400. This runs before anything else.
- Per-client rate limit: at most `RATE_LIMIT` requests in any `RATE_WINDOW` seconds (a sliding
  log: a request at `now` counts the client's accepted requests after `now - RATE_WINDOW`).
  Over it: 429 Too Many Requests (RFC 6585 §4) with `Retry-After` (whole seconds, rounded up)
  until the oldest counted request leaves the window. Refused requests are not counted.
- A daily cost budget, in micro-dollars (integers: money is never a float): a sentiment
  request costs `UNIT_MICROS` per unit of 100 characters of each text, at least 3 units per
  text (Comprehend's pricing, https://aws.amazon.com/comprehend/pricing/); a transcription
  `TRANSCRIPTION_MICROS`. A request that would take the day's spending over the budget is
  refused with 503 and `Retry-After` = the seconds until the next UTC midnight, when the budget
  resets; the service is not called. The cost is reserved before the call (two requests cannot
  both squeeze under the budget) and released when the service refused the call
  (`Unavailable`: AWS does not bill a throttled call), which is a 503 with its `retry_after`.
- Transcriptions are jobs: POST answers 202 Accepted with `Location: /v1/transcriptions/{id}`
  and runs the wait in a background task; GET shows "pending", "done" (with the transcript's
  URI) or "failed" (with the error). A client's `Idempotency-Key` header is required: the same
  key with the same request returns the same job (202, its current status) without calling,
  charging or scheduling anything again; with another request it is a 409. Keys belong to a
  client: two clients' "key-1" are two jobs. Another client's job is a 404, like a missing one.
"""

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated, Literal, Protocol

from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

MAX_BODY_BYTES = 16 * 1024
RATE_LIMIT = 5
RATE_WINDOW = 60
UNIT_MICROS = 100
TRANSCRIPTION_MICROS = 720_000
CLASSIFY_MICROS = 2_000
DAY = 86_400


class Unavailable(Exception):
    """The AI service refused the call (throttled, overloaded): nothing was done or billed."""

    def __init__(self, retry_after: int):
        super().__init__(f"unavailable, retry after {retry_after} s")
        self.retry_after = retry_after


class IdempotencyConflict(Exception):
    """The service already has this key for another request."""


class TranscriptionFailed(Exception):
    """The transcription job failed or timed out; the message says why."""


class ModelFailed(Exception):
    """The model endpoint failed or answered nonsense (the upstream's fault)."""


class ModelTimeout(Exception):
    """The model endpoint did not answer in time."""


class Backends(Protocol):
    def sentiment(self, texts: list[str], language: str) -> list[dict]: ...
    def start_transcription(self, key: str, media_uri: str, language: str) -> str: ...
    def wait_transcription(self, job_id: str) -> str: ...
    def classify(self, text: str) -> dict: ...


class Problem(BaseModel):
    detail: str


# TODO: the models are the contract: refuse what Comprehend and Transcribe would refuse (see
# the docstring and the tests) with constraints (`Field(...)`, `Annotated[str, Field(...)]`,
# `Literal[...]`), so that FastAPI answers 422 and documents the limits.
class SentimentRequest(BaseModel):
    texts: list[str]
    language: str = "en"


class SentimentResult(BaseModel):
    sentiment: str | None = None
    scores: dict[str, float] | None = None
    error: str | None = None


class SentimentResponse(BaseModel):
    results: list[SentimentResult]


class ClassifyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


class ClassifyResponse(BaseModel):
    label: str
    score: float


class TranscriptionRequest(BaseModel):
    media_uri: str  # s3://bucket/key: r"^s3://[a-z0-9.-]{3,63}/\S+$"
    language: str = Field("en-US", pattern=r"^[a-z]{2}-[A-Z]{2}$")


class TranscriptionStatus(BaseModel):
    id: str
    status: Literal["pending", "done", "failed"]
    transcript_uri: str | None = None
    error: str | None = None


def text_cost(texts: list[str]) -> int:
    """Micro-dollars for analysing `texts`: 100-character units, at least 3 per text."""
    # TODO: units of 100 characters, rounded up, at least 3 per text.
    return len(texts) * UNIT_MICROS


class RateLimiter:
    """At most `limit` accepted requests per client in any `window` seconds."""

    def __init__(self, clock: Callable[[], float], limit: int = RATE_LIMIT, window: int = RATE_WINDOW):
        self.clock = clock
        self.limit = limit
        self.window = window
        self.hits: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> int | None:
        """None (and the request is counted) if `client` may go on, else seconds to wait."""
        # TODO: forget the client's hits that left the window, refuse (with the seconds until
        # the oldest one leaves, rounded up) when `limit` remain, else record this one.
        return None


class Budget:
    """The day's spending (UTC days), reserved before each paid call."""

    def __init__(self, clock: Callable[[], float], daily_micros: int):
        self.clock = clock
        self.daily = daily_micros
        self.day = -1
        self.spent = 0

    def reserve(self, micros: int) -> int | None:
        """None (and `micros` is spent) if the budget allows it, else seconds until midnight."""
        # TODO: a new UTC day (clock() // DAY) starts from 0; refuse what would go over
        # `daily` with the seconds until the next midnight, else spend it.
        self.spent += micros
        return None

    def release(self, micros: int) -> None:
        self.spent -= micros


def refuse(status: int, detail: str, retry_after: int | None = None) -> HTTPException:
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = "APIKey"  # a 401 names its scheme (RFC 9110 §15.5.2)
    return HTTPException(status, detail=detail, headers=headers or None)


ERRORS = {
    401: {"model": Problem, "description": "No or unknown X-API-Key"},
    413: {"model": Problem, "description": "The body is over MAX_BODY_BYTES"},
    429: {"model": Problem, "description": "Rate limit: see Retry-After"},
    503: {"model": Problem, "description": "Service busy or daily budget spent: see Retry-After"},
}


def create_app(
    backends: Backends,
    api_keys: dict[str, str],
    *,
    clock: Callable[[], float] = time.time,
    daily_budget_micros: int = 5_000_000,
) -> FastAPI:
    app = FastAPI(title="AI gateway", version="1.0.0")
    limiter = RateLimiter(clock)
    budget = Budget(clock, daily_budget_micros)
    jobs: dict[str, dict] = {}
    keys: dict[tuple[str, str], tuple[str, TranscriptionRequest]] = {}

    # TODO: an HTTP middleware (`@app.middleware("http")`) that refuses a POST body from its
    # Content-Length before it is read: 411 without one, 400 if it is not digits, 413 over
    # MAX_BODY_BYTES.

    # TODO: read the key with `APIKeyHeader(name="X-API-Key", auto_error=False)` as a
    # dependency (then OpenAPI documents the scheme), and apply the rate limit: 429 with
    # Retry-After (`refuse(...)`).
    def client_of(x_api_key: Annotated[str | None, Header()] = None) -> str:
        if x_api_key is None or x_api_key not in api_keys:
            raise refuse(401, "a valid X-API-Key is required")
        return api_keys[x_api_key]

    def charge(micros: int) -> None:
        wait = budget.reserve(micros)
        if wait is not None:
            raise refuse(503, "the daily budget is spent", wait)

    # TODO: document the errors (`responses=ERRORS`), charge the cost before calling, and
    # give it back when the service refused the call (Unavailable: 503 with its retry_after).
    @app.post("/v1/sentiment", response_model=SentimentResponse, response_model_exclude_none=True)
    def sentiment(data: SentimentRequest, client: Annotated[str, Depends(client_of)]):
        found = backends.sentiment(data.texts, data.language)
        results = []
        for item in found:
            if "error" in item:
                results.append(SentimentResult(error=item["error"]))
            else:
                scores = {k.lower(): v for k, v in item["SentimentScore"].items()}
                results.append(SentimentResult(sentiment=item["Sentiment"], scores=scores))
        return SentimentResponse(results=results)

    # TODO: charge CLASSIFY_MICROS, and map the model's errors: Unavailable (503 with its
    # retry_after, cost given back), ModelFailed (502), ModelTimeout (504); document them.
    @app.post("/v1/classify", response_model=ClassifyResponse)
    def classify(data: ClassifyRequest, client: Annotated[str, Depends(client_of)]):
        return ClassifyResponse(**backends.classify(data.text))

    def run(job_id: str) -> None:
        try:
            uri = backends.wait_transcription(job_id)
        except TranscriptionFailed as err:
            jobs[job_id].update(status="failed", error=str(err))
        else:
            jobs[job_id].update(status="done", transcript_uri=uri)

    def status_of(job_id: str) -> TranscriptionStatus:
        job = jobs[job_id]
        return TranscriptionStatus(
            id=job_id, status=job["status"], transcript_uri=job.get("transcript_uri"), error=job.get("error")
        )

    @app.post(
        "/v1/transcriptions",
        status_code=202,
        response_model=TranscriptionStatus,
        response_model_exclude_none=True,
    )
    def transcribe(
        data: TranscriptionRequest,
        response: Response,
        background: BackgroundTasks,
        client: Annotated[str, Depends(client_of)],
        idempotency_key: Annotated[str | None, Header()] = None,
    ):
        # TODO: a required Idempotency-Key (1 to 255 characters), scoped to the client: the
        # same key and request is the same job (nothing started, charged or scheduled again),
        # another request is a 409 (`keys` remembers them). Charge TRANSCRIPTION_MICROS for
        # a new job; map Unavailable (503) and IdempotencyConflict (409), giving the cost back.
        job_id = backends.start_transcription(f"{client}:{idempotency_key}", data.media_uri, data.language)
        jobs[job_id] = {"owner": client, "status": "pending"}
        background.add_task(run, job_id)
        response.headers["Location"] = f"/v1/transcriptions/{job_id}"
        return status_of(job_id)

    @app.get(
        "/v1/transcriptions/{job_id}",
        response_model=TranscriptionStatus,
        response_model_exclude_none=True,
    )
    def transcription(job_id: str, client: Annotated[str, Depends(client_of)]):
        # TODO: another client's job is none of this client's business (and document 404).
        if job_id not in jobs:
            raise refuse(404, "no such transcription")
        return status_of(job_id)

    return app
