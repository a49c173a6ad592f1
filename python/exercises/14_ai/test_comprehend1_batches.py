import random

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.stub import ANY, Stubber

import aws_stubs
from comprehend1_batches import entities, run_batches, sentiment

SCORE = {"Positive": 0.9, "Negative": 0.05, "Neutral": 0.04, "Mixed": 0.01}


def ok(index, sentiment="POSITIVE"):
    return {"Index": index, "Sentiment": sentiment, "SentimentScore": SCORE}


def result(sentiment="POSITIVE"):
    return {"Sentiment": sentiment, "SentimentScore": SCORE}


class Rand:
    """The injected `rand`: returns the scripted fractions in turn (the last one repeats)."""

    def __init__(self, *values):
        self.values = list(values)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


@pytest.fixture
def comprehend():
    client = aws_stubs.client("comprehend")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def expect(stub, texts, results=(), errors=(), language="en", op="batch_detect_sentiment"):
    stub.add_response(
        op,
        {"ResultList": list(results), "ErrorList": list(errors)},
        {"TextList": list(texts), "LanguageCode": language},
    )


def refuse(stub, texts, code, language="en"):
    stub.add_client_error(
        "batch_detect_sentiment",
        service_error_code=code,
        service_message="slow down" if "Many" in code or "Throttl" in code else "no",
        http_status_code=400,
        expected_params={"TextList": list(texts), "LanguageCode": language},
    )


def test_the_clients_cannot_reach_the_network():
    client = aws_stubs.client("comprehend")
    with pytest.raises(EndpointConnectionError):
        client.batch_detect_sentiment(TextList=["hello"], LanguageCode="en")


def test_nothing_to_analyse_makes_no_call(comprehend):
    client, _ = comprehend
    sleeps = []
    assert sentiment(client, [], sleep=sleeps.append, rand=Rand(0.5)) == []
    assert sleeps == []


def test_sixty_texts_go_as_batches_of_25_25_10_in_order(comprehend):
    client, stub = comprehend
    texts = [f"review {i}" for i in range(60)]
    for chunk in (texts[:25], texts[25:50], texts[50:]):
        expect(stub, chunk, [ok(i) for i in range(len(chunk))])
    sleeps = []
    got = sentiment(client, texts, sleep=sleeps.append, rand=Rand(0.5))
    assert got == [result()] * 60
    assert sleeps == [], "no pause between batches that succeeded"


def test_exactly_25_texts_are_one_batch(comprehend):
    client, stub = comprehend
    texts = [f"t{i}" for i in range(25)]
    expect(stub, texts, [ok(i) for i in range(25)])
    assert len(sentiment(client, texts, sleep=[].append, rand=Rand(0.5))) == 25


def test_an_items_index_is_its_place_in_its_own_batch(comprehend):
    client, stub = comprehend
    texts = [f"t{i}" for i in range(28)]
    expect(stub, texts[:25], [ok(i, "NEUTRAL") for i in reversed(range(25))])
    # The second batch answers out of order; index 0 there is texts[25].
    expect(stub, texts[25:], [ok(2, "MIXED"), ok(0, "NEGATIVE"), ok(1, "POSITIVE")])
    got = sentiment(client, texts, sleep=[].append, rand=Rand(0.5))
    assert got[:25] == [result("NEUTRAL")] * 25
    assert got[25:] == [result("NEGATIVE"), result("POSITIVE"), result("MIXED")]


def test_documents_over_5000_utf8_bytes_are_not_sent(comprehend):
    client, stub = comprehend
    sent = []
    client.meta.events.register_first(
        "provide-client-params.comprehend.BatchDetectSentiment",
        lambda params, **kwargs: sent.append(params["TextList"]),
    )
    fits = ["a" * 5000, "é" * 2500]  # 5000 bytes each
    too_big = ["a" * 5001, "é" * 2501]  # 5001 and 5002 bytes (2501 characters)
    texts = [too_big[0], fits[0], too_big[1], fits[1]]
    stub.add_response(
        "batch_detect_sentiment",
        {"ResultList": [ok(0), ok(1)], "ErrorList": []},
        {"TextList": ANY, "LanguageCode": "en"},
    )
    got = sentiment(client, texts, sleep=[].append, rand=Rand(0.5))
    assert [[len(t.encode()) for t in batch] for batch in sent] == [[5000, 5000]], (
        "the UTF-8 sizes of the documents sent"
    )
    assert sent == [fits]
    assert got == [
        {"error": "TextSizeLimitExceededException"},
        result(),
        {"error": "TextSizeLimitExceededException"},
        result(),
    ]


def test_a_permanent_item_error_is_reported_and_not_retried(comprehend):
    client, stub = comprehend
    texts = ["good", "bad", "fine"]
    error = {"Index": 1, "ErrorCode": "UnsupportedLanguageException", "ErrorMessage": "no"}
    expect(stub, texts, [ok(0), ok(2)], [error])
    sleeps = []
    got = sentiment(client, texts, sleep=sleeps.append, rand=Rand(0.5))
    assert got == [result(), {"error": "UnsupportedLanguageException"}, result()]
    assert sleeps == []


def test_only_the_transiently_failed_documents_are_sent_again(comprehend):
    client, stub = comprehend
    texts = ["a", "b", "c", "d"]
    expect(
        stub,
        texts,
        [ok(0), ok(2)],
        [
            {"Index": 3, "ErrorCode": "InternalServerException", "ErrorMessage": "oops"},
            {"Index": 1, "ErrorCode": "InternalServerException", "ErrorMessage": "oops"},
        ],
    )
    expect(stub, ["b", "d"], [ok(1, "NEGATIVE"), ok(0, "MIXED")])
    sleeps = []
    got = sentiment(client, texts, sleep=sleeps.append, rand=Rand(0.5))
    assert got == [result(), result("MIXED"), result(), result("NEGATIVE")]
    assert sleeps == [0.25], "one jittered pause (0.5 * base 0.5) before sending them again"


def test_a_transient_item_error_that_persists_becomes_that_items_error(comprehend):
    client, stub = comprehend
    error = {"Index": 0, "ErrorCode": "InternalServerException", "ErrorMessage": "oops"}
    expect(stub, ["a", "b"], [ok(1)], [error])
    for _ in range(3):
        expect(stub, ["a"], [], [error])
    sleeps = []
    got = sentiment(client, ["a", "b"], sleep=sleeps.append, rand=Rand(1.0))
    assert got == [{"error": "InternalServerException"}, result()]
    assert sleeps == [0.5, 1.0, 2.0], "4 attempts in all: 3 pauses, none after the last"


@pytest.mark.parametrize("code", ["ThrottlingException", "TooManyRequestsException"])
def test_a_throttled_batch_is_retried_with_full_jitter(comprehend, code):
    client, stub = comprehend
    texts = ["a", "b"]
    for _ in range(3):
        refuse(stub, texts, code)
    expect(stub, texts, [ok(0), ok(1)])
    rand = Rand(0.5, 0.25, 1.0)
    sleeps = []
    got = sentiment(client, texts, sleep=sleeps.append, rand=rand)
    assert got == [result(), result()]
    assert sleeps == [0.25, 0.25, 2.0], (
        "pause n is rand() * min(cap, base * 2 ** (n - 1)): 0.5*0.5, 0.25*1.0, 1.0*2.0"
    )
    assert rand.calls == 3, "one random draw per pause"


def test_the_pause_is_capped(comprehend):
    client, stub = comprehend
    for _ in range(6):
        refuse(stub, ["a"], "ThrottlingException")
    expect(stub, ["a"], [ok(0)])
    sleeps = []
    sentiment(client, ["a"], sleep=sleeps.append, rand=Rand(1.0), max_attempts=7, base=1.0, cap=4.0)
    assert sleeps == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize("seed", range(5))
def test_the_cap_bounds_the_range_before_the_random_fraction_is_drawn(comprehend, seed):
    # Full jitter is rand() * min(cap, base * 2 ** (n - 1)): once the exponential passes the cap,
    # the pause is a fraction of the cap, never the cap itself (min(cap, rand() * ...) is not it).
    client, stub = comprehend
    gen = random.Random(seed)
    fractions = [gen.uniform(0.3, 0.7) for _ in range(6)]
    for _ in range(6):
        refuse(stub, ["a"], "ThrottlingException")
    expect(stub, ["a"], [ok(0)])
    sleeps = []
    sentiment(
        client, ["a"], sleep=sleeps.append, rand=Rand(*fractions), max_attempts=7, base=4.0, cap=8.0
    )
    expected = [f * min(8.0, 4.0 * 2 ** n) for n, f in enumerate(fractions)]
    assert sleeps == pytest.approx(expected), "pause n = rand() * min(cap, base * 2 ** (n - 1))"
    assert all(pause < 8.0 * 0.75 for pause in sleeps[1:]), "a fraction of the cap, not the cap"


def test_item_retries_and_throttling_share_one_count_of_attempts(comprehend):
    client, stub = comprehend
    refuse(stub, ["a"], "ThrottlingException")
    expect(stub, ["a"], [], [{"Index": 0, "ErrorCode": "InternalServerException", "ErrorMessage": "x"}])
    sleeps = []
    got = sentiment(client, ["a"], sleep=sleeps.append, rand=Rand(1.0), max_attempts=2)
    assert got == [{"error": "InternalServerException"}], (
        "max_attempts counts every call of the batch: a throttled call and a call with a "
        "transient item error are 2 attempts, so there is no third call"
    )
    assert sleeps == [0.5], "one pause (after the throttled call), none after the last attempt"


def test_throttling_that_persists_is_raised_after_max_attempts(comprehend):
    client, stub = comprehend
    for _ in range(4):
        refuse(stub, ["a"], "ThrottlingException")
    sleeps = []
    with pytest.raises(ClientError) as caught:
        sentiment(client, ["a"], sleep=sleeps.append, rand=Rand(1.0))
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert sleeps == [0.5, 1.0, 2.0], "4 calls, 3 pauses, no pause after the last one"


@pytest.mark.parametrize(
    "code", ["InvalidRequestException", "UnsupportedLanguageException", "AccessDeniedException"]
)
def test_other_errors_of_the_call_are_raised_at_once(comprehend, code):
    client, stub = comprehend
    refuse(stub, ["a"], code)
    sleeps = []
    with pytest.raises(ClientError) as caught:
        sentiment(client, ["a"], sleep=sleeps.append, rand=Rand(1.0))
    assert caught.value.response["Error"]["Code"] == code
    assert sleeps == [], "an error that will not go away is not retried"


def test_throttling_of_a_later_batch_does_not_resend_the_earlier_one(comprehend):
    client, stub = comprehend
    texts = [f"t{i}" for i in range(30)]
    refuse(stub, texts[:25], "ThrottlingException")
    expect(stub, texts[:25], [ok(i) for i in range(25)])
    refuse(stub, texts[25:], "TooManyRequestsException")
    expect(stub, texts[25:], [ok(i, "NEGATIVE") for i in range(5)])
    sleeps = []
    got = sentiment(client, texts, sleep=sleeps.append, rand=Rand(1.0))
    assert got == [result()] * 25 + [result("NEGATIVE")] * 5
    assert sleeps == [0.5, 0.5], "the second batch starts its own count of failures"


def test_entities_use_their_own_batch_operation_and_the_language(comprehend):
    client, stub = comprehend
    found = [{"Score": 0.99, "Type": "ORGANIZATION", "Text": "ACME", "BeginOffset": 0, "EndOffset": 4}]
    expect(
        stub,
        ["ACME liefert", "nichts"],
        [{"Index": 1, "Entities": []}, {"Index": 0, "Entities": found}],
        language="de",
        op="batch_detect_entities",
    )
    got = entities(client, ["ACME liefert", "nichts"], language="de", sleep=[].append, rand=Rand(1.0))
    assert got == [{"Entities": found}, {"Entities": []}]


def test_every_call_and_every_retry_carries_the_callers_language():
    """A recording fake: the item retry and the throttled retry are sent in German too."""
    calls = []
    answers = [
        {"ResultList": [{"Index": 1, "Sentiment": "NEUTRAL"}],
         "ErrorList": [{"Index": 0, "ErrorCode": "InternalServerException", "ErrorMessage": "x"}]},
        ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}}, "BatchDetectSentiment"),
        {"ResultList": [{"Index": 0, "Sentiment": "POSITIVE"}], "ErrorList": []},
    ]

    def call(**params):
        calls.append(params)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    got = run_batches(call, ["gut", "naja"], language="de", sleep=[].append, rand=Rand(1.0))
    assert got == [{"Sentiment": "POSITIVE"}, {"Sentiment": "NEUTRAL"}]
    assert calls == [
        {"TextList": ["gut", "naja"], "LanguageCode": "de"},
        {"TextList": ["gut"], "LanguageCode": "de"},
        {"TextList": ["gut"], "LanguageCode": "de"},
    ], "each call, the retries included, names the caller's language"


def test_oversize_documents_are_set_aside_before_the_batches_are_cut(comprehend):
    # 26 texts, the first too big: the other 25 fill exactly one call (not 24 and then 1).
    client, stub = comprehend
    texts = ["a" * 5001] + [f"review {i}" for i in range(25)]
    expect(stub, texts[1:], [ok(i) for i in range(25)])
    got = sentiment(client, texts, sleep=[].append, rand=Rand(0.5))
    assert got == [{"error": "TextSizeLimitExceededException"}] + [result()] * 25
