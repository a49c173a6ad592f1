"""A model behind an HTTP API: SageMaker's `invoke_endpoint`, timeouts, honest error statuses.

A model deployed on a SageMaker real-time endpoint is called through the `sagemaker-runtime`
client (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html):

    answer = runtime.invoke_endpoint(
        EndpointName=ENDPOINT, ContentType="application/json", Accept="application/json",
        Body=json.dumps({"inputs": text}).encode("utf-8"),
    )
    answer["ContentType"]      # what the model container actually sent back
    answer["Body"].read()      # a stream (botocore's StreamingBody): read it once

`ContentType` says what *we* send, `Accept` what we can read. The container may still answer
something else (an HTML error page from a proxy, CSV from an old model version): check the
answer's content type (`application/json`, in any case, with parameters such as
`; charset=utf-8` and optional whitespace before the `;`, RFC 9110 §5.6.6) and its shape before
trusting it. The API returns the model's *first* prediction as it is (the model orders its
predictions itself: do not re-rank them by score). A broken answer is the upstream's fault: 502, without its body (an HTML error page
or a stack trace is the upstream's internals).

Our API is a gateway in front of the model, so its errors say whose fault it is (RFC 9110
§15.6): the model failed, answered nonsense or could not be reached: 502 Bad Gateway; the
endpoint is overloaded or not ready (throttled, `ServiceUnavailable`, `ModelNotReadyException`):
503 Service Unavailable with a `Retry-After` header (§10.2.3) telling the client when to come
back; the model did not answer in time (a read or connect timeout): 504 Gateway Timeout;
anything else the service refused (a validation error, a denied permission) is a mistake of
ours: 500. Never a 200 with an error inside, never the upstream's message (it can carry
internals) in our body.

Timeouts belong to the client: botocore waits 60 s by default for a connection and for each
read. Build the client's `botocore.config.Config` with `CONNECT_TIMEOUT` and `READ_TIMEOUT`
(https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html). And no
retries: an inference is not idempotent (it is billed, it may write to a feature store, the
model may be slow *because* it is overloaded, and a retry doubles its load). botocore retries
throttling and timeouts on its own unless told not to (`retries={"total_max_attempts": 1}`);
the client of our API decides, after `Retry-After`.
"""

import json

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

ENDPOINT = "reviews-sentiment-v3"
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 8
RETRY_AFTER = "10"
JSON = "application/json"
MODEL_FAILED = {"ModelError", "InternalFailure", "InternalDependencyException"}
UNAVAILABLE = {"ThrottlingException", "ServiceUnavailable", "ModelNotReadyException"}


class ScoreIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


class ScoreOut(BaseModel):
    label: str
    score: float


class BadAnswer(Exception):
    """The model answered something that is not a prediction."""


def client_config() -> Config:
    """The `Config` of the `sagemaker-runtime` client: timeouts, and no retries."""
    # TODO: botocore's defaults wait 60 s and retry throttling and timeouts on their own.
    return Config()


def error(status: int, detail: str, retry_after: str | None = None) -> JSONResponse:
    headers = {"Retry-After": retry_after} if retry_after else None
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def prediction(answer: dict) -> ScoreOut:
    """The first prediction of the model's JSON answer: [{"label": ..., "score": ...}, ...]."""
    # TODO: check the answer's content type (JSON, maybe with a charset) and its shape; raise
    # BadAnswer when it is not a prediction.
    first = json.loads(answer["Body"].read())[0]
    return ScoreOut(label=first["label"], score=first["score"])


def create_app(runtime) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/sentiment", response_model=ScoreOut)
    def score(data: ScoreIn):
        # TODO: send JSON and say so (ContentType, Accept); map each failure to an honest
        # status: 502, 503 with Retry-After, 504, 500 (see the docstring). Catch
        # `ClientError` (read `err.response["Error"]["Code"]`), the timeouts, `BotoCoreError`
        # and `BadAnswer`, and answer with `error(...)`.
        answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=data.text)
        return prediction(answer)

    return app
