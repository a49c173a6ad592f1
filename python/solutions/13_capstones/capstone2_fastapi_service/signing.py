"""Verifying a webhook delivery: the Standard Webhooks signature scheme.

https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
"""

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
MAX_ID = 200
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class MalformedWebhook(Exception):
    """A delivery without the headers the scheme needs, or with one that breaks its grammar."""


class InvalidSignature(Exception):
    """A delivery whose signature does not verify, or whose timestamp is outside the window."""


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a signing secret starts with whsec_")
    try:
        return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as err:
        raise ValueError("the signing secret is not base64") from err


def verify(key: bytes, headers: Mapping[str, str], body: bytes, now: int, tolerance: int) -> str:
    """The delivery's id, once its signature and timestamp verify."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or timestamp is None or not signatures:
        raise MalformedWebhook("missing webhook headers")
    if len(msg_id) > MAX_ID:
        raise MalformedWebhook("the webhook id is too long")
    if not TIMESTAMP.fullmatch(timestamp):
        raise MalformedWebhook("malformed webhook timestamp")
    if abs(now - int(timestamp)) > tolerance:
        raise InvalidSignature()
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for entry in signatures.split(" "):
        version, comma, value = entry.partition(",")
        if version != "v1" or not comma:
            continue
        try:
            candidate = base64.b64decode(value, validate=True)
        except binascii.Error:
            continue
        if hmac.compare_digest(candidate, expected):
            return msg_id
    raise InvalidSignature()
