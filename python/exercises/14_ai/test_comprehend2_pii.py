import logging

import pytest
from botocore.stub import ANY, Stubber

import aws_stubs
from comprehend2_pii import MAX_PII_BYTES, PiiUnavailable, redact, store_message

TEXT = "Hi, I am Ada Lovelace, mail ada@example.org or call 020 7946 0958."
NAME = {"Type": "NAME", "Score": 0.99, "BeginOffset": 9, "EndOffset": 21}
EMAIL = {"Type": "EMAIL", "Score": 0.99, "BeginOffset": 28, "EndOffset": 43}
PHONE = {"Type": "PHONE", "Score": 0.97, "BeginOffset": 52, "EndOffset": 65}
CLEAN = "Hi, I am [NAME], mail [EMAIL] or call [PHONE]."
SECRETS = ["Ada", "Lovelace", "ada@example.org", "7946"]


def entity(kind, begin, end, score=0.9):
    return {"Type": kind, "Score": score, "BeginOffset": begin, "EndOffset": end}


class FakeStore:
    def __init__(self):
        self.saved = []

    def save(self, text):
        self.saved.append(text)
        return len(self.saved)


@pytest.fixture
def comprehend():
    client = aws_stubs.client("comprehend")
    calls = []
    with Stubber(client) as stub:
        # It sees every call, also one the stubber did not expect.
        client.meta.events.register_first(
            "provide-client-params.comprehend.DetectPiiEntities",  # runs before the stubber's checks
            lambda params, **kwargs: calls.append(dict(params)),
        )
        yield client, stub, calls
        stub.assert_no_pending_responses()


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def leaked(caplog, *secrets):
    # botocore's and urllib3's own DEBUG lines carry whole request bodies: a production service
    # keeps those loggers at INFO or above. Here only the application's lines are read.
    # Each line is read as a handler writes it: the message, and the traceback and stack that
    # `logger.exception` or `exc_info=True` print under it.
    ours = [r for r in caplog.records if not r.name.startswith(("botocore", "urllib3"))]
    text = "\n".join(r.getMessage() + "\n" + logging.Formatter().format(r) for r in ours)
    return [s for s in secrets if s in text]


def test_the_spans_are_replaced_by_their_type():
    assert TEXT[9:21] == "Ada Lovelace" and TEXT[28:43] == "ada@example.org"
    assert redact(TEXT, [NAME, EMAIL, PHONE]) == CLEAN


def test_the_entities_come_in_any_order():
    assert redact(TEXT, [PHONE, NAME, EMAIL]) == CLEAN


def test_no_entities_leaves_the_text_as_it_is():
    assert redact(TEXT, []) == TEXT


def test_spans_at_both_ends_of_the_text():
    assert redact("Ada wrote to Bob", [entity("NAME", 13, 16), entity("NAME", 0, 3)]) == (
        "[NAME] wrote to [NAME]"
    )


def test_offsets_are_characters_not_bytes():
    text = "🙂 café, mail ada@example.org!"
    begin = text.index("ada")
    assert redact(text, [entity("EMAIL", begin, begin + 15)]) == "🙂 café, mail [EMAIL]!"


def test_only_the_span_is_masked_not_every_copy_of_its_text():
    text = "Order 42 for Ada, age 42, item 42"
    age = text.index("42", 20)
    assert redact(text, [entity("AGE", age, age + 2)]) == "Order 42 for Ada, age [AGE], item 42"


def test_low_scores_are_masked_too():
    assert redact(TEXT, [dict(NAME, Score=0.31)]) == "Hi, I am [NAME], mail ada@example.org or call 020 7946 0958."


def test_a_span_inside_another_is_masked_once_with_the_outer_type():
    text = "Ship to Ada Lovelace, 12 St James's Square, London."
    address = entity("ADDRESS", 8, text.rindex("."))
    name = entity("NAME", 8, 20)
    assert redact(text, [name, address]) == "Ship to [ADDRESS]."
    assert redact(text, [address, name]) == "Ship to [ADDRESS]."


def test_partly_overlapping_spans_become_one_mask_of_the_first_type():
    text = "0123456789abcdefghij"
    assert redact(text, [entity("PHONE", 6, 14), entity("NAME", 2, 8)]) == "01[NAME]efghij"


def test_touching_spans_are_two_masks():
    assert redact("AdaLovelace!", [entity("NAME", 3, 11), entity("NAME", 0, 3)]) == "[NAME][NAME]!"


def test_the_redacted_text_is_stored_and_logged_never_the_raw_text(comprehend, logs):
    client, stub, _ = comprehend
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [EMAIL, PHONE, NAME]},
        {"Text": TEXT, "LanguageCode": "en"},
    )
    store = FakeStore()
    assert store_message(client, store, TEXT) == 1
    assert store.saved == [CLEAN]
    assert any(CLEAN in r.getMessage() for r in logs.records), "log the stored (redacted) text"
    assert leaked(logs, *SECRETS) == [], "no log line, at any level, carries the raw text"


def test_the_language_is_passed_on(comprehend, logs):
    client, stub, _ = comprehend
    text = "Ich bin Ada."
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [entity("NAME", 8, 11)]},
        {"Text": text, "LanguageCode": "de"},
    )
    store = FakeStore()
    store_message(client, store, text, language="de")
    assert store.saved == ["Ich bin [NAME]."]


@pytest.mark.parametrize(
    "code, status",
    [
        ("ThrottlingException", 400),
        ("TooManyRequestsException", 400),
        ("InternalServerException", 500),
        ("AccessDeniedException", 400),
    ],
)
def test_when_detection_fails_nothing_is_stored_or_logged(comprehend, logs, code, status):
    client, stub, _ = comprehend
    stub.add_client_error(
        "detect_pii_entities",
        service_error_code=code,
        service_message="unavailable",
        http_status_code=status,
    )
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, TEXT)
    assert store.saved == [], "fail closed: no detection, no storage"
    assert leaked(logs, *SECRETS) == []
    assert not any(s in str(caught.value) for s in SECRETS), "error messages end up in logs too"


def test_a_connection_failure_fails_closed_as_well(logs):
    client = aws_stubs.client("comprehend")  # not stubbed: the call cannot connect
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, TEXT)
    assert store.saved == []
    assert leaked(logs, *SECRETS) == []
    assert not any(s in str(caught.value) for s in SECRETS)


def test_a_text_over_the_limit_is_refused_without_a_call(comprehend, logs):
    client, _, calls = comprehend
    text = "é" * (MAX_PII_BYTES // 2) + "Ada"  # 50,003 characters, 100,003 bytes
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, text)
    assert calls == [], "the service would refuse it: do not pay for the call"
    assert store.saved == []
    assert "Ada" not in str(caught.value) and leaked(logs, "Ada") == []


def test_a_text_of_exactly_the_limit_is_sent(comprehend, logs):
    client, stub, calls = comprehend
    text = "a" * (MAX_PII_BYTES - 3) + "Ada"
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [entity("NAME", MAX_PII_BYTES - 3, MAX_PII_BYTES)]},
        {"Text": ANY, "LanguageCode": "en"},
    )
    store = FakeStore()
    store_message(client, store, text)
    assert len(calls) == 1
    assert calls[0]["Text"] == text
    assert store.saved == ["a" * (MAX_PII_BYTES - 3) + "[NAME]"]


def test_low_scores_are_masked_when_stored_too(comprehend, logs):
    client, stub, _ = comprehend
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [dict(EMAIL, Score=0.3), NAME]},
        {"Text": TEXT, "LanguageCode": "en"},
    )
    store = FakeStore()
    store_message(client, store, TEXT)
    assert store.saved == ["Hi, I am [NAME], mail [EMAIL] or call 020 7946 0958."], (
        "a score is the model's confidence, not permission to keep the address: mask it anyway"
    )
    assert leaked(logs, "ada@example.org") == []


def test_the_upstream_message_is_not_passed_on(comprehend, logs):
    # Validation errors quote the request: "Value '<your text>' at 'text' failed to satisfy ...".
    client, stub, _ = comprehend
    upstream = f"1 validation error detected: Value '{TEXT}' at 'text' failed to satisfy constraint"
    stub.add_client_error(
        "detect_pii_entities",
        service_error_code="ValidationException",
        service_message=upstream,
        http_status_code=400,
    )
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, TEXT)
    assert store.saved == []
    message = str(caught.value)
    assert not any(s in message for s in SECRETS), "the upstream message echoes the raw text"
    assert "validation error detected" not in message, "say what failed, not what upstream said"
    assert leaked(logs, *SECRETS) == []


def test_a_long_text_is_refused_without_quoting_it(comprehend, logs):
    client, _, calls = comprehend
    text = TEXT + " " + "x" * MAX_PII_BYTES  # personal data at the start, where a preview looks
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, text)
    assert calls == [] and store.saved == []
    assert not any(s in str(caught.value) for s in SECRETS), "no preview of the text in the error"
    assert leaked(logs, *SECRETS) == []


def test_an_answer_without_entities_fails_closed(comprehend, logs):
    # An answer without `Entities` is not "no personal data": nobody looked.
    client, stub, _ = comprehend
    stub.add_response("detect_pii_entities", {}, {"Text": TEXT, "LanguageCode": "en"})
    store = FakeStore()
    with pytest.raises(PiiUnavailable) as caught:
        store_message(client, store, TEXT)
    assert store.saved == [], "fail closed: nothing stored"
    assert leaked(logs, *SECRETS) == []
    assert not any(s in str(caught.value) for s in SECRETS)


def test_a_failure_is_not_logged_with_its_traceback(comprehend, caplog):
    # The formatted log, as a handler writes it, with the traceback of the upstream error.
    caplog.set_level(logging.DEBUG, logger="tickets")
    client, stub, _ = comprehend
    stub.add_client_error(
        "detect_pii_entities",
        service_error_code="ValidationException",
        service_message=f"1 validation error detected: Value '{TEXT}' at 'text'",
        http_status_code=400,
    )
    with pytest.raises(PiiUnavailable):
        store_message(client, FakeStore(), TEXT)
    ours = [r for r in caplog.records if r.name == "tickets"]
    assert all(r.exc_info is None and r.stack_info is None for r in ours), (
        "a traceback of the upstream error quotes the raw text"
    )
    assert not any(s in caplog.text for s in SECRETS)


def test_an_outer_span_holding_two_inner_spans_is_one_mask():
    # The second inner span starts after the first one's end but inside the outer span: the
    # overlap is with the mask so far (0-44), not with the entity just before it (5-8).
    text = "Jane Doe lives at 12 Main Street, Springfield"
    spans = [entity("ADDRESS", 0, 44), entity("NAME", 0, 4), entity("NAME", 5, 8)]
    assert redact(text, spans) == "[ADDRESS]d"
    assert redact(text, spans[::-1]) == "[ADDRESS]d"


def masks_by_components(text, entities):
    """The oracle: spans that overlap (directly or through others) form one mask."""
    spans = [(e["BeginOffset"], e["EndOffset"], e["Type"]) for e in entities]
    groups = []
    for span in spans:
        joined = [g for g in groups if any(span[0] < o[1] and o[0] < span[1] for o in g)]
        groups = [g for g in groups if g not in joined]
        groups.append([span] + [s for g in joined for s in g])
    out, cursor = [], 0
    for group in sorted(groups, key=lambda g: min(s[0] for s in g)):
        begin = min(s[0] for s in group)
        end = max(s[1] for s in group)
        kind = min(group, key=lambda s: (s[0], -s[1]))[2]
        out.append(text[cursor:begin] + f"[{kind}]")
        cursor = end
    return "".join(out) + text[cursor:]


@pytest.mark.parametrize("seed", range(30))
def test_random_nested_and_overlapping_spans_match_the_union_of_overlaps(seed):
    import random

    rng = random.Random(seed)
    text = "".join(rng.choice("abcdefghij ") for _ in range(40))
    pairs, count = set(), rng.randint(1, 7)
    while len(pairs) < count:
        begin = rng.randrange(0, 39)
        pairs.add((begin, rng.randint(begin + 1, min(40, begin + 15))))
    kinds = ["NAME", "ADDRESS", "EMAIL", "PHONE", "SSN", "URL", "AGE"]
    entities = [entity(kinds[i], b, e) for i, (b, e) in enumerate(sorted(pairs, key=lambda p: rng.random()))]
    assert redact(text, entities) == masks_by_components(text, entities), entities
