import io
import threading

import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from fastapi.testclient import TestClient

import aws_stubs
from ai1_gateway import (
    CLASSIFY_MICROS,
    MAX_BODY_BYTES,
    RATE_LIMIT,
    TRANSCRIPTION_MICROS,
    IdempotencyConflict,
    ModelFailed,
    ModelTimeout,
    TranscriptionFailed,
    Unavailable,
    create_app,
)
from ai_backends import AwsBackends

KEYS = {"key-ada": "ada", "key-bob": "bob"}
ADA = {"X-API-Key": "key-ada"}
BOB = {"X-API-Key": "key-bob"}
SCORES = {"Positive": 0.9, "Negative": 0.02, "Neutral": 0.07, "Mixed": 0.01}
MEDIA = "s3://calls-eu/2026/call-7.wav"
# FakeClock starts at 1,700,000,000 s: 80,000 s into a UTC day, 6,400 s before midnight.
TO_MIDNIGHT = 6400


class FakeBackends:
    """The three services as the gateway sees them; records every call."""

    def __init__(self):
        self.calls = []
        self.fail_sentiment = None
        self.fail_start = None
        self.fail_wait = None
        self.fail_classify = None

    def sentiment(self, texts, language):
        self.calls.append(("sentiment", list(texts), language))
        if self.fail_sentiment:
            raise self.fail_sentiment
        return [
            {"error": "TextSizeLimitExceededException"} if "!" in t else {"Sentiment": "POSITIVE", "SentimentScore": SCORES}
            for t in texts
        ]

    def start_transcription(self, key, media_uri, language):
        self.calls.append(("start", key, media_uri, language))
        if self.fail_start:
            raise self.fail_start
        return "tx-" + key.replace(":", "-")

    def wait_transcription(self, job_id):
        self.calls.append(("wait", job_id))
        if self.fail_wait:
            raise self.fail_wait
        return f"s3://transcripts/{job_id}.json"

    def classify(self, text):
        self.calls.append(("classify", text))
        if self.fail_classify:
            raise self.fail_classify
        return {"label": "SPAM", "score": 0.87}

    def named(self, kind):
        return [c for c in self.calls if c[0] == kind]


@pytest.fixture
def world():
    backends, clock = FakeBackends(), aws_stubs.FakeClock()

    def make(**options):
        return TestClient(create_app(backends, KEYS, clock=clock, **options), raise_server_exceptions=False)

    return backends, clock, make


@pytest.fixture
def http(world):
    return world[2]()


def sentiment(http, texts, headers=ADA, **extra):
    return http.post("/v1/sentiment", json={"texts": texts, **extra}, headers=headers)


def transcribe(http, key="k-1", headers=ADA, media=MEDIA, **extra):
    return http.post(
        "/v1/transcriptions", json={"media_uri": media, **extra}, headers={**headers, "Idempotency-Key": key}
    )


# The contract -----------------------------------------------------------------------------


def test_sentiment_answers_the_documented_shape(world, http):
    backends, _, _ = world
    r = sentiment(http, ["Great service", "Broken!"], language="de")
    assert r.status_code == 200
    assert r.json() == {
        "results": [
            {"sentiment": "POSITIVE", "scores": {"positive": 0.9, "negative": 0.02, "neutral": 0.07, "mixed": 0.01}},
            {"error": "TextSizeLimitExceededException"},
        ]
    }, "the response model, with the fields that are None left out"
    assert backends.calls == [("sentiment", ["Great service", "Broken!"], "de")]


@pytest.mark.parametrize(
    "body",
    [
        {"texts": []},
        {"texts": ["x"] * 26},
        {"texts": ["x" * 5001]},
        {"texts": [""]},
        {"texts": ["ok"], "language": "xx"},
        {"texts": "one text"},
    ],
    ids=["no-texts", "26-texts", "long-text", "empty-text", "language", "not-a-list"],
)
def test_what_comprehend_would_refuse_is_a_422_and_costs_nothing(world, http, body):
    backends, _, _ = world
    assert http.post("/v1/sentiment", json=body, headers=ADA).status_code == 422
    assert backends.calls == []


def test_25_texts_of_5000_characters_are_accepted(world, http):
    r = sentiment(http, ["x" * 5000] + ["y"] * 24)
    assert r.status_code == 200 and len(r.json()["results"]) == 25


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "nope"}, {"X-API-Key": ""}])
def test_a_missing_or_unknown_key_is_a_401(world, http, headers):
    backends, _, _ = world
    assert sentiment(http, ["hi"], headers=headers).status_code == 401
    assert transcribe(http, headers=headers).status_code == 401
    assert http.get("/v1/transcriptions/tx-1", headers=headers).status_code == 401
    assert backends.calls == []


# Size limits ------------------------------------------------------------------------------


def padded(size):
    body = b'{"texts": ["fits"]}'
    return body + b" " * (size - len(body))


def test_a_body_of_exactly_the_limit_is_accepted(world, http):
    r = http.post("/v1/sentiment", content=padded(MAX_BODY_BYTES), headers={**ADA, "Content-Type": "application/json"})
    assert r.status_code == 200


def test_a_body_over_the_limit_is_a_413_before_anything_else(world, http):
    backends, _, _ = world
    for headers in (ADA, {}):
        r = http.post("/v1/sentiment", content=padded(MAX_BODY_BYTES + 1), headers={**headers, "Content-Type": "application/json"})
        assert r.status_code == 413
    assert backends.calls == []
    assert sentiment(http, ["hi"]).status_code == 200, "a refused body is not counted by the rate limit"


def test_a_post_without_content_length_is_a_411(world, http):
    backends, _, _ = world
    r = http.post(
        "/v1/sentiment", content=iter([b'{"texts": ', b'["hi"]}']), headers={**ADA, "Content-Type": "application/json"}
    )
    assert r.status_code == 411
    assert backends.calls == []


@pytest.mark.parametrize("length", ["abc", "-1", "+19", "1e3"])
def test_a_content_length_that_is_not_a_number_is_a_400(world, http, length):
    backends, _, _ = world
    r = http.post(
        "/v1/sentiment",
        content=b'{"texts": ["hi"]}',
        headers={**ADA, "Content-Type": "application/json", "Content-Length": length},
    )
    assert r.status_code == 400, "Content-Length is 1*DIGIT (RFC 9110): anything else is a bad request"
    assert backends.calls == []


# Rate limits ------------------------------------------------------------------------------


def test_the_rate_limit_is_a_sliding_window_with_retry_after(world, http):
    backends, clock, _ = world
    start = clock.now
    for t in range(RATE_LIMIT):  # at 0, 10, 20, 30, 40 s
        clock.now = start + 10 * t
        assert sentiment(http, ["hi"]).status_code == 200
    clock.now = start + 45
    r = sentiment(http, ["hi"])
    assert r.status_code == 429
    assert r.headers["retry-after"] == "15", "the request at 0 s leaves the window at 60 s"
    clock.now = start + 44.2
    assert sentiment(http, ["hi"]).headers.get("retry-after") == "16", "15.8 s: rounded up"
    clock.now = start + 59.5
    assert sentiment(http, ["hi"]).headers.get("retry-after") == "1", "whole seconds, rounded up"
    clock.now = start + 60
    assert sentiment(http, ["hi"]).status_code == 200, "the window is (now - 60, now]"
    clock.now = start + 61
    r = sentiment(http, ["hi"])
    assert (r.status_code, r.headers.get("retry-after")) == (429, "9")
    assert len(backends.named("sentiment")) == RATE_LIMIT + 1


def test_rate_limits_are_per_client(world, http):
    for _ in range(RATE_LIMIT):
        assert sentiment(http, ["hi"]).status_code == 200
    assert sentiment(http, ["hi"]).status_code == 429
    assert sentiment(http, ["hi"], headers=BOB).status_code == 200


def test_the_rate_limit_is_per_client_not_per_key(world):
    backends, clock, _ = world
    http = TestClient(create_app(backends, {"k1": "acme", "k2": "acme"}, clock=clock), raise_server_exceptions=False)
    for _ in range(RATE_LIMIT):
        assert sentiment(http, ["hi"], headers={"X-API-Key": "k1"}).status_code == 200
    r = sentiment(http, ["hi"], headers={"X-API-Key": "k2"})
    assert r.status_code == 429, "two keys of one client share the client's limit"


@pytest.mark.parametrize("key", ["nope", "ada"], ids=["unknown-key", "a-clients-name"])
def test_an_unknown_key_cannot_burn_a_clients_quota(world, http, key):
    # The key is checked before the limiter: who is not a client has no quota to spend, and
    # a client's name is not its key.
    backends, _, _ = world
    for _ in range(RATE_LIMIT + 1):
        assert sentiment(http, ["hi"], headers={"X-API-Key": key}).status_code == 401
    assert sentiment(http, ["hi"]).status_code == 200, "ada's quota is whole"
    assert len(backends.named("sentiment")) == 1


def test_every_endpoint_counts(world, http):
    for _ in range(RATE_LIMIT - 1):
        assert http.get("/v1/transcriptions/tx-none", headers=ADA).status_code == 404
    assert transcribe(http).status_code == 202
    assert sentiment(http, ["hi"]).status_code == 429


# The daily budget -------------------------------------------------------------------------


def test_a_request_over_the_budget_is_a_503_until_midnight(world):
    backends, clock, make = world
    http = make(daily_budget_micros=1100)
    assert sentiment(http, ["a" * 301]).status_code == 200  # 4 units: 400
    assert sentiment(http, ["a" * 301]).status_code == 200  # 800
    r = sentiment(http, ["a" * 301])  # 400 more would be 1200
    assert r.status_code == 503
    assert r.headers["retry-after"] == str(TO_MIDNIGHT)
    assert len(backends.named("sentiment")) == 2, "over the budget, the service is not called"
    assert sentiment(http, ["a"]).status_code == 200, "3 units (300) fit: exactly 1100"
    assert sentiment(http, ["a"]).status_code == 503
    clock.now += TO_MIDNIGHT - 0.5
    assert sentiment(http, ["a"]).headers.get("retry-after") == "1"
    clock.now += 0.5
    assert sentiment(http, ["a"]).status_code == 200, "a new UTC day, a new budget"


def test_units_are_100_characters_rounded_up_with_3_per_text_at_least(world):
    _, _, make = world
    http = make(daily_budget_micros=1200)
    assert sentiment(http, ["a" * 300, "b"]).status_code == 200  # 3 + 3 units
    assert sentiment(http, ["a" * 601]).status_code == 503  # 7 units: 1300
    assert sentiment(http, ["a" * 600]).status_code == 200  # 6 units: 1200


def test_units_count_characters_not_utf8_bytes(world):
    backends, _, make = world
    http = make(daily_budget_micros=300)
    assert sentiment(http, ["é" * 300]).status_code == 200, "300 characters (600 bytes): 3 units"
    assert sentiment(http, ["a"]).status_code == 503, "the 300 are spent"
    assert len(backends.named("sentiment")) == 1


def test_a_refused_call_is_not_charged(world):
    backends, _, make = world
    http = make(daily_budget_micros=600)
    backends.fail_sentiment = Unavailable(retry_after=7)
    r = sentiment(http, ["a"])
    assert (r.status_code, r.headers.get("retry-after")) == (503, "7")
    backends.fail_sentiment = None
    assert sentiment(http, ["a"]).status_code == 200
    assert sentiment(http, ["a"]).status_code == 200, "the refused call's 300 were given back"


def test_a_transcription_is_charged_once_per_job(world):
    backends, _, make = world
    http = make(daily_budget_micros=2 * TRANSCRIPTION_MICROS)
    assert transcribe(http, "k-1").status_code == 202
    assert transcribe(http, "k-1").status_code == 202, "a retry of the same job costs nothing"
    assert transcribe(http, "k-2").status_code == 202
    r = transcribe(http, "k-3")
    assert (r.status_code, r.headers.get("retry-after")) == (503, str(TO_MIDNIGHT))
    assert len(backends.named("start")) == 2


# Transcription jobs -----------------------------------------------------------------------


def test_a_transcription_is_202_pending_then_done(world, http):
    backends, _, _ = world
    r = transcribe(http, "k-1", language="de-DE")
    assert r.status_code == 202
    assert r.json() == {"id": "tx-ada-k-1", "status": "pending"}
    assert r.headers["location"] == "/v1/transcriptions/tx-ada-k-1"
    assert backends.calls == [("start", "ada:k-1", MEDIA, "de-DE"), ("wait", "tx-ada-k-1")], (
        "started with the client's key, waited for in the background"
    )
    s = http.get(r.headers["location"], headers=ADA)
    assert s.json() == {"id": "tx-ada-k-1", "status": "done", "transcript_uri": "s3://transcripts/tx-ada-k-1.json"}


def test_a_failed_transcription_is_recorded(world, http):
    backends, _, _ = world
    backends.fail_wait = TranscriptionFailed("Unsupported audio format")
    r = transcribe(http)
    s = http.get(r.headers["location"], headers=ADA).json()
    assert s == {"id": "tx-ada-k-1", "status": "failed", "error": "Unsupported audio format"}


def test_the_same_key_and_request_is_the_same_job(world, http):
    backends, _, _ = world
    first = transcribe(http, "k-1")
    again = transcribe(http, "k-1")
    assert again.status_code == 202
    assert again.json() == {"id": "tx-ada-k-1", "status": "done", "transcript_uri": "s3://transcripts/tx-ada-k-1.json"}
    assert again.headers["location"] == first.headers["location"]
    assert backends.calls == [("start", "ada:k-1", MEDIA, "en-US"), ("wait", "tx-ada-k-1")], (
        "nothing is started, charged or scheduled again"
    )


@pytest.mark.parametrize("change", [{"media": "s3://calls-eu/other.wav"}, {"language": "fr-FR"}])
def test_the_same_key_for_another_request_is_a_409(world, http, change):
    backends, _, _ = world
    transcribe(http, "k-1")
    assert transcribe(http, "k-1", **change).status_code == 409
    assert len(backends.named("start")) == 1


def test_keys_belong_to_their_client(world, http):
    backends, _, _ = world
    a = transcribe(http, "k-1")
    b = transcribe(http, "k-1", headers=BOB, media="s3://calls-eu/bob.wav")
    assert (a.status_code, b.status_code) == (202, 202)
    assert a.json()["id"] != b.json()["id"]
    assert [c[1] for c in backends.named("start")] == ["ada:k-1", "bob:k-1"]
    assert http.get(a.headers["location"], headers=BOB).status_code == 404, "not yours: 404, like missing"
    assert http.get("/v1/transcriptions/tx-nope", headers=BOB).status_code == 404


def test_a_conflict_reported_by_the_service_is_a_409_and_not_charged(world):
    backends, _, make = world
    http = make(daily_budget_micros=TRANSCRIPTION_MICROS)
    backends.fail_start = IdempotencyConflict("used")
    assert transcribe(http, "k-1").status_code == 409
    backends.fail_start = None
    assert transcribe(http, "k-2").status_code == 202


def test_a_busy_transcription_service_is_a_503_with_its_retry_after(world):
    backends, _, make = world
    http = make(daily_budget_micros=TRANSCRIPTION_MICROS)
    backends.fail_start = Unavailable(retry_after=30)
    r = transcribe(http)
    assert (r.status_code, r.headers.get("retry-after")) == (503, "30")
    assert backends.named("wait") == []
    backends.fail_start = None
    assert transcribe(http).status_code == 202, "the refused start was not charged"


@pytest.mark.parametrize(
    "media, key",
    [
        ("https://example.org/a.wav", "k"),
        ("s3://calls-eu/", "k"),
        (MEDIA, ""),
        (MEDIA, "k" * 256),
        ("https://evil.example/x?s3://calls-eu/key", "k"),
        ("s3://calls-eu/a b", "k"),
        (MEDIA + " ", "k"),
    ],
    ids=["not-s3", "no-object", "empty-key", "long-key", "s3-inside-another-url", "space-in-key", "trailing-space"],
)
def test_a_bad_transcription_request_is_a_422(world, http, media, key):
    # A Pydantic pattern is searched, not matched: only ^...$ makes it the whole value.
    backends, _, _ = world
    assert transcribe(http, key, media=media).status_code == 422
    assert backends.calls == []


@pytest.mark.parametrize("language", ["xen-USx", "en-US; DROP", "en-us", "en"])
def test_a_bad_transcription_language_is_a_422(world, http, language):
    backends, _, _ = world
    assert transcribe(http, language=language).status_code == 422
    assert backends.calls == []


def test_the_idempotency_key_is_required(world, http):
    r = http.post("/v1/transcriptions", json={"media_uri": MEDIA}, headers=ADA)
    assert r.status_code == 422


# The custom model ----------------------------------------------------------------------------


def test_classify_answers_the_models_label(world, http):
    backends, _, _ = world
    r = http.post("/v1/classify", json={"text": "WIN A FREE CRUISE"}, headers=ADA)
    assert (r.status_code, r.json()) == (200, {"label": "SPAM", "score": 0.87})
    assert backends.calls == [("classify", "WIN A FREE CRUISE")]


@pytest.mark.parametrize(
    "error, status, retry_after",
    [(Unavailable(retry_after=12), 503, "12"), (ModelFailed("ModelError"), 502, None), (ModelTimeout("slow"), 504, None)],
    ids=["busy", "failed", "slow"],
)
def test_the_models_errors_are_honest_statuses(world, http, error, status, retry_after):
    backends, _, _ = world
    backends.fail_classify = error
    r = http.post("/v1/classify", json={"text": "hello"}, headers=ADA)
    assert (r.status_code, r.headers.get("retry-after")) == (status, retry_after)
    assert "ModelError" not in r.text


def test_a_model_call_is_charged_unless_it_was_refused(world):
    backends, _, make = world
    http = make(daily_budget_micros=2 * CLASSIFY_MICROS)
    backends.fail_classify = Unavailable(retry_after=1)
    assert http.post("/v1/classify", json={"text": "a"}, headers=ADA).status_code == 503
    backends.fail_classify = ModelTimeout("slow")
    assert http.post("/v1/classify", json={"text": "a"}, headers=ADA).status_code == 504
    backends.fail_classify = None
    assert http.post("/v1/classify", json={"text": "a"}, headers=ADA).status_code == 200
    r = http.post("/v1/classify", json={"text": "a"}, headers=ADA)
    assert r.status_code == 503, "the slow call ran on the endpoint: it was billed"
    assert len(backends.named("classify")) == 3


def test_a_failed_model_call_is_charged_too(world):
    backends, _, make = world
    http = make(daily_budget_micros=CLASSIFY_MICROS)
    backends.fail_classify = ModelFailed("ModelError")
    assert http.post("/v1/classify", json={"text": "a"}, headers=ADA).status_code == 502
    backends.fail_classify = None
    r = http.post("/v1/classify", json={"text": "a"}, headers=ADA)
    assert r.status_code == 503, "the model ran and failed: the endpoint was billed for it"
    assert len(backends.named("classify")) == 1


def test_the_cost_is_reserved_before_the_call_not_after_it(world):
    # Two requests that each fit the budget, but not both: the second one arrives while the
    # first one's call is still running. Checking the budget first and charging once the
    # service answered lets both through; the first one must hold its cost during its call.
    backends, _, make = world
    http = make(daily_budget_micros=500)  # one text of 3 units (300) fits, two do not
    inside, release = threading.Event(), threading.Event()
    answer = backends.sentiment

    def slow_sentiment(texts, language):
        if not inside.is_set():
            inside.set()
            release.wait(timeout=10)
        return answer(texts, language)

    backends.sentiment = slow_sentiment
    first = []
    worker = threading.Thread(target=lambda: first.append(sentiment(http, ["a"])))
    worker.start()
    try:
        assert inside.wait(timeout=10), "the first request never reached the service"
        second = sentiment(http, ["b"])
    finally:
        release.set()
        worker.join(timeout=30)
    assert second.status_code == 503, "the first call's 300 were reserved: 300 more would be 600"
    assert [r.status_code for r in first] == [200]
    assert len(backends.named("sentiment")) == 1


# The three services through real boto3 clients ----------------------------------------------


@pytest.fixture
def aws(world):
    _, clock, _ = world
    clients = [aws_stubs.client(s) for s in ("comprehend", "sagemaker-runtime", "transcribe")]
    stubs = [Stubber(c) for c in clients]
    for stub in stubs:
        stub.activate()
    app = create_app(AwsBackends(*clients), KEYS, clock=clock)
    yield TestClient(app, raise_server_exceptions=False), *stubs
    for stub in stubs:
        stub.assert_no_pending_responses()
        stub.deactivate()


def test_one_api_in_front_of_the_three_services(aws):
    http, comprehend, runtime, transcription = aws
    comprehend.add_response(
        "batch_detect_sentiment",
        {"ResultList": [{"Index": 0, "Sentiment": "NEGATIVE", "SentimentScore": SCORES}], "ErrorList": []},
        {"TextList": ["Late again"], "LanguageCode": "en"},
    )
    r = sentiment(http, ["Late again"])
    assert (r.status_code, r.json()["results"][0]["sentiment"]) == (200, "NEGATIVE")

    data = b'[{"label": "SPAM", "score": 0.91}]'
    runtime.add_response(
        "invoke_endpoint",
        {"Body": StreamingBody(io.BytesIO(data), len(data)), "ContentType": "application/json"},
        {"EndpointName": ANY, "ContentType": "application/json", "Accept": "application/json", "Body": ANY},
    )
    r = http.post("/v1/classify", json={"text": "FREE CRUISE"}, headers=ADA)
    assert (r.status_code, r.json()) == (200, {"label": "SPAM", "score": 0.91})

    transcription.add_response("start_transcription_job", {}, {"TranscriptionJobName": ANY, "Media": {"MediaFileUri": MEDIA}, "LanguageCode": "en-US"})
    transcription.add_response(
        "get_transcription_job",
        {"TranscriptionJob": {"TranscriptionJobStatus": "COMPLETED", "Transcript": {"TranscriptFileUri": "s3://out/t.json"}}},
        {"TranscriptionJobName": ANY},
    )
    r = transcribe(http)
    assert r.status_code == 202
    assert http.get(r.headers["location"], headers=ADA).json()["transcript_uri"] == "s3://out/t.json"


def test_aws_throttling_reaches_the_client_as_a_503(aws):
    http, comprehend, runtime, _ = aws
    comprehend.add_client_error("batch_detect_sentiment", service_error_code="ThrottlingException", http_status_code=400)
    runtime.add_client_error("invoke_endpoint", service_error_code="ModelError", http_status_code=424)
    r = sentiment(http, ["hi"])
    assert (r.status_code, r.headers.get("retry-after")) == (503, "5")
    assert http.post("/v1/classify", json={"text": "hi"}, headers=ADA).status_code == 502


# The documented API -------------------------------------------------------------------------


@pytest.fixture
def openapi(http):
    return http.get("/openapi.json").json()


def ref(content):
    return content["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_the_openapi_document_names_the_models(openapi):
    post = openapi["paths"]["/v1/sentiment"]["post"]
    assert ref(post["requestBody"]) == "SentimentRequest"
    assert ref(post["responses"]["200"]) == "SentimentResponse"
    tx = openapi["paths"]["/v1/transcriptions"]["post"]
    assert ref(tx["requestBody"]) == "TranscriptionRequest"
    assert ref(tx["responses"]["202"]) == "TranscriptionStatus"
    get = openapi["paths"]["/v1/transcriptions/{job_id}"]["get"]
    assert ref(get["responses"]["200"]) == "TranscriptionStatus"
    classify = openapi["paths"]["/v1/classify"]["post"]
    assert ref(classify["requestBody"]) == "ClassifyRequest"
    assert ref(classify["responses"]["200"]) == "ClassifyResponse"


def test_the_openapi_document_lists_the_errors_and_limits(openapi):
    post = openapi["paths"]["/v1/sentiment"]["post"]
    assert {"401", "413", "422", "429", "503"} <= set(post["responses"])
    tx = openapi["paths"]["/v1/transcriptions"]["post"]
    assert {"401", "409", "413", "422", "429", "503"} <= set(tx["responses"])
    assert {"401", "404", "429"} <= set(openapi["paths"]["/v1/transcriptions/{job_id}"]["get"]["responses"])
    assert {"401", "413", "422", "429", "502", "503", "504"} <= set(openapi["paths"]["/v1/classify"]["post"]["responses"])
    texts = openapi["components"]["schemas"]["SentimentRequest"]["properties"]["texts"]
    assert (texts["minItems"], texts["maxItems"], texts["items"]["maxLength"]) == (1, 25, 5000)
    header = [p for p in tx["parameters"] if p["in"] == "header"]
    assert [(p["name"].lower(), p["required"]) for p in header] == [("idempotency-key", True)]


def test_the_openapi_document_declares_the_api_key(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert [(s["type"], s["in"], s["name"]) for s in schemes.values()] == [("apiKey", "header", "X-API-Key")]
    for path, method in [
        ("/v1/sentiment", "post"),
        ("/v1/classify", "post"),
        ("/v1/transcriptions", "post"),
        ("/v1/transcriptions/{job_id}", "get"),
    ]:
        assert openapi["paths"][path][method].get("security"), f"{method} {path} shows its security"


# A third review -----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "nope"}])
def test_a_401_names_the_scheme_in_www_authenticate(world, http, headers):
    # RFC 9110 §15.5.2: a 401 carries a challenge; API keys have no registered scheme: APIKey.
    for r in (
        sentiment(http, ["hi"], headers=headers),
        transcribe(http, headers=headers),
        http.get("/v1/transcriptions/tx-1", headers=headers),
    ):
        assert r.status_code == 401
        assert r.headers.get("www-authenticate") == "APIKey"


def test_the_budget_retry_after_is_rounded_up(world):
    # 0.25 s into the second: 6,399.75 s to midnight is a Retry-After of 6,400, not 6,399.
    _, clock, make = world
    clock.now = 1_700_000_000.25
    http = make(daily_budget_micros=200)
    r = sentiment(http, ["a"])
    assert r.status_code == 503
    assert r.headers["retry-after"] == str(TO_MIDNIGHT)


def test_the_budget_day_is_the_utc_day_whatever_the_servers_time_zone(world, monkeypatch):
    # The server runs at UTC+12 (a POSIX TZ string, no tz database needed): the budget still
    # resets at UTC midnight. (Windows has no time.tzset: there the server's zone is left alone.)
    import time

    backends, clock, make = world
    tzset = getattr(time, "tzset", None)
    monkeypatch.setenv("TZ", "NZST-12")
    if tzset is not None:
        tzset()
    try:
        http = make(daily_budget_micros=300)
        assert sentiment(http, ["a"]).status_code == 200
        r = sentiment(http, ["a"])
        assert r.status_code == 503
        assert r.headers["retry-after"] == str(TO_MIDNIGHT), "the seconds until the next UTC midnight"
        clock.now += TO_MIDNIGHT - 1
        assert sentiment(http, ["a"]).status_code == 503, "still the same UTC day"
        clock.now += 1
        assert sentiment(http, ["a"]).status_code == 200, "a new UTC day, a new budget"
    finally:
        monkeypatch.undo()
        if tzset is not None:
            tzset()


def test_a_resubmission_while_the_job_is_pending_schedules_nothing(world, http, monkeypatch):
    # The test client runs background tasks before it returns; record them instead, so that
    # the job is still pending when the same key comes again.
    import fastapi
    import starlette.background

    backends, _, _ = world
    scheduled = []

    def record(self, func, *args, **kwargs):
        scheduled.append(args)

    monkeypatch.setattr(fastapi.BackgroundTasks, "add_task", record)
    monkeypatch.setattr(starlette.background.BackgroundTasks, "add_task", record)
    first = transcribe(http, "k-1")
    again = transcribe(http, "k-1")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == {"id": "tx-ada-k-1", "status": "pending"}
    assert len(scheduled) + len(backends.named("wait")) == 1, "one wait for one job"
    assert backends.named("start") == [("start", "ada:k-1", MEDIA, "en-US")]
