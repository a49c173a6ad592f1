"""Comprehend in batches: 25 documents a call, partial failures, throttling with jittered backoff.

Amazon Comprehend's batch operations (`batch_detect_sentiment`, `batch_detect_entities`, ...)
analyse up to 25 documents in one call, each at most 5,000 bytes of UTF-8
(https://docs.aws.amazon.com/comprehend/latest/dg/guidelines-and-limits.html). A batch can
succeed *partly*: the answer has a `ResultList` and an `ErrorList`, and each item carries the
`Index` of its document *in that batch* (0-24), not in your whole list.

    {"ResultList": [{"Index": 0, "Sentiment": "POSITIVE", "SentimentScore": {...}}],
     "ErrorList":  [{"Index": 1, "ErrorCode": "InternalServerException", "ErrorMessage": "..."}]}

The service is paid, shared and rate-limited, so the client must be polite:
- never send a batch of more than 25 documents, nor a document the service will refuse anyway
  (over 5,000 bytes: count `len(text.encode("utf-8"))`, not characters); the documents left are
  sent in as few calls as possible (full batches of 25, in order: set the refused ones aside
  first, so that they leave no gap in a batch);
- a whole call refused with `ThrottlingException` or `TooManyRequestsException` (a
  `botocore.exceptions.ClientError`; its code is `err.response["Error"]["Code"]`) is retried
  after a pause that grows and is *jittered* ("full jitter": a random fraction of
  min(cap, base * 2 ** (failures - 1)), https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/),
  so that many clients throttled together do not come back together;
- any other error of the call (a bad language code, bad credentials) is not retried: raise it;
- documents that failed with a transient item error (`TRANSIENT_ITEM_ERRORS`) are sent again,
  alone and in their order, after the same kind of pause; the documents that succeeded are
  never sent twice;
- attempts are bounded (`max_attempts` per batch, the first call included): when they run
  out, a throttled call's error is raised, and a transient item error becomes that item's error.

Time and randomness are injected (`sleep`, `rand`) so that the tests can record the pauses.
"""

import random
import time
from collections.abc import Callable

from botocore.exceptions import ClientError

MAX_BATCH = 25
MAX_DOC_BYTES = 5000
THROTTLING = {"ThrottlingException", "TooManyRequestsException"}
TRANSIENT_ITEM_ERRORS = {"InternalServerException"}


def backoff(failures: int, rand: Callable[[], float], base: float, cap: float) -> float:
    """Full jitter: a random fraction of the capped exponential pause after `failures` failures."""
    return rand() * min(cap, base * 2 ** (failures - 1))


def run_batches(
    call: Callable[..., dict],
    texts: list[str],
    *,
    language: str = "en",
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
    max_attempts: int = 4,
    base: float = 0.5,
    cap: float = 8.0,
) -> list[dict]:
    """One result per text, in order: the service's item (without `Index`) or {"error": code}."""
    results: list[dict] = [{} for _ in texts]
    sendable = []
    for i, text in enumerate(texts):
        if len(text.encode("utf-8")) > MAX_DOC_BYTES:
            results[i] = {"error": "TextSizeLimitExceededException"}
        else:
            sendable.append(i)
    for start in range(0, len(sendable), MAX_BATCH):
        todo = sendable[start : start + MAX_BATCH]
        failures = 0
        while todo:
            try:
                answer = call(TextList=[texts[i] for i in todo], LanguageCode=language)
            except ClientError as err:
                if err.response["Error"]["Code"] not in THROTTLING:
                    raise
                failures += 1
                if failures >= max_attempts:
                    raise
                sleep(backoff(failures, rand, base, cap))
                continue
            for item in answer["ResultList"]:
                item = dict(item)
                results[todo[item.pop("Index")]] = item
            again = []
            for item in answer["ErrorList"]:
                i = todo[item["Index"]]
                results[i] = {"error": item["ErrorCode"]}
                if item["ErrorCode"] in TRANSIENT_ITEM_ERRORS:
                    again.append(i)
            todo = []
            if again:
                failures += 1
                if failures < max_attempts:
                    sleep(backoff(failures, rand, base, cap))
                    todo = sorted(again)
    return results


def sentiment(client, texts: list[str], **options) -> list[dict]:
    """Sentiment of each text: {"Sentiment": "POSITIVE", "SentimentScore": {...}} or an error."""
    return run_batches(client.batch_detect_sentiment, texts, **options)


def entities(client, texts: list[str], **options) -> list[dict]:
    """Entities of each text: {"Entities": [{"Type", "Text", "Score", ...}]} or an error."""
    return run_batches(client.batch_detect_entities, texts, **options)
