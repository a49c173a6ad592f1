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
    return Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"total_max_attempts": 1},
    )


def error(status: int, detail: str, retry_after: str | None = None) -> JSONResponse:
    headers = {"Retry-After": retry_after} if retry_after else None
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def prediction(answer: dict) -> ScoreOut:
    """The first prediction of the model's JSON answer: [{"label": ..., "score": ...}, ...]."""
    media_type = answer.get("ContentType", "").split(";")[0].strip().lower()
    if media_type != JSON:
        raise BadAnswer(f"the model answered {media_type or 'no content type'}")
    try:
        data = json.loads(answer["Body"].read())
        first = data[0]
        return ScoreOut(label=first["label"], score=first["score"])
    except (ValueError, LookupError, TypeError) as err:
        raise BadAnswer("the model's answer is not a prediction") from err


def create_app(runtime) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/sentiment", response_model=ScoreOut)
    def score(data: ScoreIn):
        try:
            answer = runtime.invoke_endpoint(
                EndpointName=ENDPOINT,
                ContentType=JSON,
                Accept=JSON,
                Body=json.dumps({"inputs": data.text}).encode("utf-8"),
            )
            return prediction(answer)
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code in UNAVAILABLE:
                return error(503, "the model is busy, try again later", RETRY_AFTER)
            if code in MODEL_FAILED:
                return error(502, "the model failed")
            return error(500, "the model could not be called")
        except (ReadTimeoutError, ConnectTimeoutError):
            return error(504, "the model did not answer in time")
        except BotoCoreError:
            return error(502, "the model could not be reached")
        except BadAnswer:
            return error(502, "the model gave an invalid answer")

    return app
