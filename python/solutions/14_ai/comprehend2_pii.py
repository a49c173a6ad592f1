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
    spans = sorted(
        ((e["BeginOffset"], e["EndOffset"], e["Type"]) for e in entities),
        key=lambda span: (span[0], -span[1]),
    )
    merged: list[list] = []
    for begin, end, kind in spans:
        if merged and begin < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end, kind])
    out = []
    cursor = 0
    for begin, end, kind in merged:
        out.append(text[cursor:begin])
        out.append(f"[{kind}]")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def store_message(client, store: Store, text: str, language: str = "en") -> int:
    """Redact `text` with Comprehend, store and log the redacted text only; return its id."""
    if len(text.encode("utf-8")) > MAX_PII_BYTES:
        raise PiiUnavailable(f"the text is longer than {MAX_PII_BYTES} bytes")
    try:
        answer = client.detect_pii_entities(Text=text, LanguageCode=language)
    except (ClientError, BotoCoreError) as err:
        raise PiiUnavailable("PII detection failed") from err
    if "Entities" not in answer:
        raise PiiUnavailable("PII detection answered without Entities")
    clean = redact(text, answer["Entities"])
    message_id = store.save(clean)
    logger.info("stored message %s: %s", message_id, clean)
    return message_id
