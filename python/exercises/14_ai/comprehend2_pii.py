"""Personal data redacted before it is stored, logged or sent on: Comprehend's PII detection.

Support tickets, call transcripts and reviews carry names, e-mail addresses, phone and card
numbers. Under the GDPR (data minimisation, art. 5(1)(c)) a backend keeps what it needs: here
the text with the personal data masked. Amazon Comprehend's `detect_pii_entities`
(https://docs.aws.amazon.com/comprehend/latest/dg/how-pii.html) finds them:

    client.detect_pii_entities(Text=text, LanguageCode="en")
    -> {"Entities": [{"Type": "EMAIL", "Score": 0.99, "BeginOffset": 11, "EndOffset": 28}, ...]}

Offsets count *characters* of the text (Python's `str` indexes), end exclusive: the entity is
`text[BeginOffset:EndOffset]`. Not bytes: an emoji before an address must not shift the mask.
Entities come in no promised order, and they can overlap (a NAME inside an ADDRESS): the
overlapping spans are masked as one, labelled with the type of the span that starts first
(the longer one when two start together). Every entity found is masked, whatever its score:
for personal data a false positive costs a word, a false negative a leak.

The rule that matters most is *fail closed*: the raw text is never stored, logged, put in an
exception message or sent to another service. If it is too long for the API
(`MAX_PII_BYTES` of UTF-8), if detection fails (throttled, down, denied), or if its answer has
no `Entities` (an answer without them is not "no personal data"), `store_message` raises
`PiiUnavailable` (a message without the text) and nothing is stored or logged, not even in a
traceback (`logger.exception` prints the upstream error, which can quote the text); the caller
answers 503 and the client retries later. Storing the raw text "for now" is the leak.
"""

import logging
from typing import Protocol

from botocore.exceptions import BotoCoreError, ClientError

MAX_PII_BYTES = 100_000
logger = logging.getLogger("tickets")


class Store(Protocol):
    def save(self, text: str) -> int: ...


class PiiUnavailable(Exception):
    """PII detection could not run: nothing was stored."""


def redact(text: str, entities: list[dict]) -> str:
    """`text` with every entity's span replaced by `[TYPE]`; overlapping spans masked once."""
    # TODO: each replacement shifts the offsets of the spans after it, entities come in any
    # order and may overlap. Sort the spans, merge the overlapping ones, then build the result
    # from the pieces between them.
    for e in entities:
        text = text[: e["BeginOffset"]] + "[" + e["Type"] + "]" + text[e["EndOffset"] :]
    return text


def store_message(client, store: Store, text: str, language: str = "en") -> int:
    """Redact `text` with Comprehend, store and log the redacted text only; return its id."""
    # TODO: fail closed. Refuse a text over MAX_PII_BYTES (UTF-8) before calling; turn any
    # failure of the call (`ClientError`, `BotoCoreError`) and an answer without `Entities`
    # into `PiiUnavailable` with a message that does not contain the text; never store or log
    # the raw text.
    try:
        answer = client.detect_pii_entities(Text=text, LanguageCode=language)
        clean = redact(text, answer["Entities"])
    except ClientError:
        clean = text  # store it now, redact later
    message_id = store.save(clean)
    logger.info("stored message %s: %s", message_id, clean)
    return message_id
