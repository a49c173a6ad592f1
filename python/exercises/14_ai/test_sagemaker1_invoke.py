import io
import json
import threading

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from fastapi.testclient import TestClient

import aws_stubs
from sagemaker1_invoke import CONNECT_TIMEOUT, ENDPOINT, READ_TIMEOUT, client_config, create_app

EXPECTED = {"EndpointName": ENDPOINT, "ContentType": "application/json", "Accept": "application/json", "Body": ANY}
UPSTREAM_SECRET = "Traceback: /opt/ml/model/code/inference.py line 42"


def http_for(client):
    """A test client of the app: an exception that escapes the app is a 500, as in production."""
    return TestClient(create_app(client), raise_server_exceptions=False)


def count_calls(client):
    """Every call of invoke_endpoint, also one the stubber did not expect."""
    calls = []
    client.meta.events.register_first(
        "provide-client-params.sagemaker-runtime.InvokeEndpoint",  # runs before the stubber's checks
        lambda params, **kwargs: calls.append(dict(params)),
    )
    return calls


def runtime_client():
    """A real sagemaker-runtime client built with the exercise's `Config`."""
    return aws_stubs.client("sagemaker-runtime", config=client_config())


@pytest.fixture
def stubbed():
    client = runtime_client()
    with Stubber(client) as stub:
        calls = count_calls(client)
        yield http_for(client), stub, calls
        stub.assert_no_pending_responses()


def answer(body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    if content_type is None:
        return {"Body": StreamingBody(io.BytesIO(data), len(data))}
    return {"Body": StreamingBody(io.BytesIO(data), len(data)), "ContentType": content_type}


def model_error(stub, code, status):
    stub.add_client_error(
        "invoke_endpoint",
        service_error_code=code,
        service_message=UPSTREAM_SECRET,
        http_status_code=status,
        expected_params=EXPECTED,
    )


def test_the_client_has_its_timeouts():
    config = client_config()
    assert config.connect_timeout == CONNECT_TIMEOUT
    assert config.read_timeout == READ_TIMEOUT, "botocore waits 60 s by default"


def test_a_prediction_is_a_200_with_the_first_label(stubbed):
    http, stub, calls = stubbed
    stub.add_response(
        "invoke_endpoint",
        answer([{"label": "POSITIVE", "score": 0.98}, {"label": "NEGATIVE", "score": 0.02}]),
        EXPECTED,
    )
    r = http.post("/v1/sentiment", json={"text": "Loved it, café crème included"})
    assert r.status_code == 200
    assert r.json() == {"label": "POSITIVE", "score": 0.98}
    assert len(calls) == 1
    assert json.loads(calls[0]["Body"]) == {"inputs": "Loved it, café crème included"}


@pytest.mark.parametrize(
    "content_type",
    [
        "Application/JSON; charset=utf-8",
        "application/json ; charset=utf-8",  # optional whitespace around ";" (RFC 9110 5.6.6)
        "application/json;charset=UTF-8",
    ],
)
def test_a_charset_parameter_is_still_json(stubbed, content_type):
    http, stub, _ = stubbed
    stub.add_response("invoke_endpoint", answer([{"label": "NEUTRAL", "score": 0.5}], content_type), EXPECTED)
    r = http.post("/v1/sentiment", json={"text": "ok"})
    assert (r.status_code, r.json()) == (200, {"label": "NEUTRAL", "score": 0.5})


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"<html>502 from the proxy</html>", "text/html"),
        (b"POSITIVE,0.9", "text/csv"),
        (b"{not json", "application/json"),
        ({"error": "no labels"}, "application/json"),
        ([], "application/json"),
        ([{"label": "POSITIVE"}], "application/json"),
        ([{"label": "POSITIVE", "score": 0.9}], "application/jsonlines"),
        ([{"label": "POSITIVE", "score": 0.9}], None),
        (b'"POSITIVE"', "application/json"),
        (b'["POSITIVE"]', "application/json"),
        (b"0.9", "application/json"),
    ],
    ids=[
        "html", "csv", "broken-json", "object", "empty-list", "no-score", "jsonlines", "no-type",
        "string", "list-of-strings", "number",
    ],
)
def test_an_answer_that_is_not_a_prediction_is_a_502(stubbed, body, content_type):
    http, stub, _ = stubbed
    stub.add_response("invoke_endpoint", answer(body, content_type), EXPECTED)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 502, "the upstream answered nonsense: Bad Gateway, not 200 or 500"
    assert "label" not in r.json()


@pytest.mark.parametrize(
    "body, content_type",
    [
        (f"<html><pre>{UPSTREAM_SECRET}</pre></html>".encode(), "application/json"),
        (json.dumps({"error": UPSTREAM_SECRET}).encode(), "application/json"),
        (json.dumps([{"label": UPSTREAM_SECRET}]).encode(), "application/json"),
    ],
    ids=["html-page", "error-object", "no-score"],
)
def test_a_nonsense_answer_is_not_echoed_in_the_502(stubbed, body, content_type):
    http, stub, _ = stubbed
    stub.add_response("invoke_endpoint", answer(body, content_type), EXPECTED)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 502
    assert "Traceback" not in r.text and "inference.py" not in r.text, (
        "the upstream's body is its internals: say that it was invalid, not what it said"
    )


@pytest.mark.parametrize(
    "code, status", [("ModelError", 424), ("InternalFailure", 500), ("InternalDependencyException", 530)]
)
def test_a_failed_model_is_a_502_without_its_internals(stubbed, code, status):
    http, stub, calls = stubbed
    model_error(stub, code, status)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 502
    assert "retry-after" not in r.headers, "a broken model is not fixed by waiting"
    assert "Traceback" not in r.text and "inference.py" not in r.text
    assert len(calls) == 1


@pytest.mark.parametrize(
    "code, status",
    [("ThrottlingException", 400), ("ServiceUnavailable", 503), ("ModelNotReadyException", 429)],
)
def test_an_overloaded_endpoint_is_a_503_with_retry_after_and_no_retry(stubbed, code, status):
    http, stub, calls = stubbed
    model_error(stub, code, status)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 503
    assert r.headers.get("retry-after") == "10"
    assert "Traceback" not in r.text
    assert len(calls) == 1, "an inference is not idempotent: the client retries, after Retry-After"


@pytest.mark.parametrize("code", ["ValidationError", "AccessDeniedException"])
def test_a_request_the_service_refuses_is_our_fault_500(stubbed, code):
    http, stub, _ = stubbed
    model_error(stub, code, 400)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 500
    assert "retry-after" not in r.headers
    assert "Traceback" not in r.text


@pytest.mark.parametrize("text", ["", "x" * 5001])
def test_an_invalid_request_never_reaches_the_model(stubbed, text):
    http, _, calls = stubbed
    assert http.post("/v1/sentiment", json={"text": text}).status_code == 422
    assert calls == []


def unstubbed(on_send):
    """A client whose HTTP sends are answered (or failed) by `on_send`; counts them."""
    client = runtime_client()
    sends = []

    def handler(request, **kwargs):
        sends.append(request.url)
        if len(sends) > 1:
            raise RuntimeError("botocore retried the inference")
        return on_send(request)

    client.meta.events.register("before-send.sagemaker-runtime.InvokeEndpoint", handler)
    return http_for(client), sends


@pytest.mark.parametrize("timeout", [ReadTimeoutError, ConnectTimeoutError])
def test_a_timeout_is_a_504_and_is_not_retried(timeout):
    def time_out(request):
        raise timeout(endpoint_url=request.url)

    http, sends = unstubbed(time_out)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 504
    assert len(sends) == 1, "botocore retries timeouts unless its Config says not to"


class Raw:
    def __init__(self, data):
        self.data = data

    def stream(self, **kwargs):
        yield self.data


def test_botocore_does_not_retry_a_throttled_inference():
    def throttled(request):
        headers = {"x-amzn-ErrorType": "ThrottlingException", "Content-Type": "application/json"}
        return AWSResponse(request.url, 400, headers, Raw(b'{"message": "Rate exceeded"}'))

    http, sends = unstubbed(throttled)
    r = http.post("/v1/sentiment", json={"text": "hello"})
    assert (r.status_code, r.headers.get("retry-after")) == (503, "10")
    assert len(sends) == 1, "retries={'total_max_attempts': 1}: botocore retries throttling by default"


def test_an_unreachable_endpoint_is_a_502_and_no_request_leaves():
    # The course's offline client (no retries, whatever the exercise's Config says): its
    # endpoint is http://127.0.0.1:9, where nothing listens.
    client = aws_stubs.client("sagemaker-runtime")
    r = http_for(client).post("/v1/sentiment", json={"text": "hello"})
    assert r.status_code == 502


def test_the_blocking_client_does_not_block_the_server():
    # boto3 blocks its thread until the model answers (up to READ_TIMEOUT). A sync `def` endpoint
    # runs in FastAPI's thread pool; an `async def` one that calls it blocks the event loop, and
    # every other request of the process waits. While one inference hangs in its HTTP send,
    # another request must be answered.
    client = runtime_client()
    inside, served, seen = threading.Event(), threading.Event(), []

    def hanging_send(request, **kwargs):
        inside.set()
        seen.append(served.wait(timeout=10))
        headers = {"x-amzn-ErrorType": "ThrottlingException", "Content-Type": "application/json"}
        return AWSResponse(request.url, 400, headers, Raw(b'{"message": "Rate exceeded"}'))

    client.meta.events.register("before-send.sagemaker-runtime.InvokeEndpoint", hanging_send)
    with TestClient(create_app(client), raise_server_exceptions=False) as http:  # one event loop
        slow = []
        first = threading.Thread(target=lambda: slow.append(http.post("/v1/sentiment", json={"text": "hi"})))
        first.start()
        try:
            assert inside.wait(timeout=10), "the first request never reached the model"
            other = http.post("/v1/sentiment", json={"text": ""})  # answered by the app alone
            served.set()
        finally:
            served.set()
            first.join(timeout=30)
    assert other.status_code == 422
    assert seen == [True], "the second request waited for the first one's model call: the event loop was blocked"
    assert [r.status_code for r in slow] == [503]


def test_the_models_first_prediction_is_returned_even_with_a_lower_score(stubbed):
    # The model orders its own predictions: return the first one, do not re-rank them.
    http, stub, _ = stubbed
    stub.add_response(
        "invoke_endpoint",
        answer([{"label": "NEGATIVE", "score": 0.2}, {"label": "POSITIVE", "score": 0.9}]),
        EXPECTED,
    )
    r = http.post("/v1/sentiment", json={"text": "hmm"})
    assert (r.status_code, r.json()) == (200, {"label": "NEGATIVE", "score": 0.2})
