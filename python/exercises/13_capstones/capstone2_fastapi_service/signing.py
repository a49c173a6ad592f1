"""Verifying a webhook delivery: the Standard Webhooks signature scheme.

Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
(the scheme Svix, and many providers like it, use; Stripe's and GitHub's differ in the header
names, not in the ideas). A sender signs every delivery attempt; three headers carry it:

    webhook-id:        msg_2Lh9...          the delivery's id: the SAME for every retry of it
    webhook-timestamp: 1700000000           the attempt's time, integer seconds since the epoch
    webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,<another>

The rules, each a test:

- **The key.** The endpoint's secret is shown as `whsec_` followed by the key in base64: the
  HMAC key is the *decoded* bytes, not the text. Anything else is a `ValueError` at startup
  (`base64.b64decode(..., validate=True)` refuses what is not base64).
- **What is signed.** `HMAC-SHA256(key, f"{id}.{timestamp}.".encode() + body)` over the RAW
  body bytes as received. Never re-serialise the JSON before checking: `json.dumps(json.loads(
  body))` changes spaces and key order, and the signature no longer matches (and a parser that
  accepts what another rejects is how signature bypasses happen). The signature is the base64
  of the 32-byte digest (https://docs.python.org/3/library/hmac.html).
- **The list.** The header is a space-separated list of `version,signature` entries (a sender
  rotating its secret signs with both keys). Accept the delivery if ANY `v1` entry matches.
  Skip entries of other versions (`v1a` is an Ed25519 signature, not an HMAC), entries without
  a comma and entries that are not base64: none of them is an error on its own.
- **Constant time.** Compare each candidate with `hmac.compare_digest(candidate, expected)`
  (call it so, through the module), never with `==`: `==` stops at the first differing byte,
  and how long a refusal takes then tells an attacker how much of a forged signature was right.
- **The replay window.** A captured delivery can be replayed as it is, signature and all: the
  timestamp is what stops that. Refuse (`InvalidSignature`) a timestamp more than `tolerance`
  seconds from `now`, in the past or in the future; exactly `tolerance` away is still fine.
- **Grammar.** The timestamp is ASCII digits only (at most 12 of them): `int()` also accepts
  `"+5"`, `" 5"`, `"1_000"` and Arabic-Indic digits, `str.isdigit()` accepts `"²"`; check with
  `re.fullmatch(r"[0-9]{1,12}", ...)` (in a `str` pattern `\\d` matches every Unicode digit).
  A missing or empty header, a malformed timestamp or an id longer than `MAX_ID` characters
  (we keep ids in memory) is a `MalformedWebhook` (400); a signature that does not verify or a
  timestamp outside the window is an `InvalidSignature` (401).
"""

import base64  # noqa: F401
import binascii  # noqa: F401 - binascii.Error is what b64decode raises
import hashlib
import hmac
import re  # noqa: F401
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
MAX_ID = 200


class MalformedWebhook(Exception):
    """A delivery without the headers the scheme needs, or with one that breaks its grammar."""


class InvalidSignature(Exception):
    """A delivery whose signature does not verify, or whose timestamp is outside the window."""


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret."""
    # TODO: check the prefix and decode the rest (ValueError for anything else).
    return secret.encode()


def verify(key: bytes, headers: Mapping[str, str], body: bytes, now: int, tolerance: int) -> str:
    """The delivery's id, once its signature and timestamp verify."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if msg_id is None or timestamp is None or signatures is None:
        raise MalformedWebhook("missing webhook headers")
    # TODO: the id's length, the timestamp's grammar and window, the signed content, every v1
    # entry of the list, and a constant-time comparison.
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    if signatures.removeprefix("v1,") == expected:
        return msg_id
    raise InvalidSignature()
