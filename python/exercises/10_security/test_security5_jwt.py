import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from security5_jwt import TokenRejected, TokenVerifier, VerificationKey

ISSUER = "https://idp.example"
AUDIENCE = "orders-api"

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
ATTACKER_EC_KEY = ec.generate_private_key(ec.SECP256R1())
HMAC_SECRET = b"internal-service-secret-0123456789abcdef"


def public_pem(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


RSA_PUBLIC_PEM = public_pem(RSA_KEY)
KEYS = {
    "idp-2026": VerificationKey("RS256", RSA_PUBLIC_PEM.decode("ascii")),
    "idp-2025": VerificationKey("ES256", public_pem(EC_KEY).decode("ascii")),
    "internal": VerificationKey("HS256", HMAC_SECRET),
}
SIGNING = {"idp-2026": ("RS256", RSA_KEY), "idp-2025": ("ES256", EC_KEY), "internal": ("HS256", HMAC_SECRET)}


@pytest.fixture
def verifier():
    return TokenVerifier(KEYS, issuer=ISSUER, audience=AUDIENCE, leeway=30)


def claims(**changes):
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-42",
        "iat": now - 5,
        "exp": now + 300,
        "scope": "orders:read",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def token(kid="idp-2026", typ="at+jwt", signer=None, **changes):
    algorithm, key = SIGNING.get(kid, SIGNING["idp-2026"]) if signer is None else signer
    headers = {"typ": typ}
    if kid is not None:
        headers["kid"] = kid
    return jwt.encode(claims(**changes), key, algorithm=algorithm, headers=headers)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def handmade(header, payload, sign=lambda signing_input: b""):
    signing_input = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode()))
    return signing_input + "." + b64(sign(signing_input.encode()))


def rejected(verifier, tok):
    with pytest.raises(TokenRejected) as caught:
        verifier.verify(tok)
    return caught.value.reason


# Accepted -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kid", ["idp-2026", "idp-2025", "internal"])
def test_a_good_token_from_each_key(verifier, kid):
    got = verifier.verify(token(kid))
    assert got["sub"] == "user-42"
    assert got["scope"] == "orders:read"


@pytest.mark.parametrize("typ", ["at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+JWT"])
def test_the_access_token_type_in_any_case(verifier, typ):
    assert verifier.verify(token(typ=typ))["sub"] == "user-42"


def test_an_audience_list_that_contains_this_api(verifier):
    assert verifier.verify(token(aud=["billing-api", AUDIENCE]))["sub"] == "user-42"


def test_a_small_clock_skew_is_tolerated(verifier):
    now = int(time.time())
    assert verifier.verify(token(exp=now - 10))["sub"] == "user-42", "expired 10 s ago: leeway 30 s"
    assert verifier.verify(token(nbf=now + 10))["sub"] == "user-42"
    assert verifier.verify(token(iat=now + 10))["sub"] == "user-42"


# The header ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage", ["", "abc", "a.b.c", "a.b", "WzFd.e30.", "\u00e9.\u00e9.\u00e9"]  # WzFd is [1]
)
def test_garbage_is_malformed(verifier, garbage):
    assert rejected(verifier, garbage) == "malformed"


def test_alg_none_is_refused(verifier):
    tok = handmade({"alg": "none", "typ": "at+jwt", "kid": "idp-2026"}, claims())
    assert rejected(verifier, tok) == "algorithm"


def test_hs256_signed_with_the_rsa_public_key_is_refused(verifier):
    # Algorithm confusion: the public key (which anyone has) used as an HMAC secret.
    tok = handmade(
        {"alg": "HS256", "typ": "at+jwt", "kid": "idp-2026"},
        claims(),
        lambda signing_input: hmac.new(RSA_PUBLIC_PEM, signing_input, hashlib.sha256).digest(),
    )
    assert rejected(verifier, tok) == "algorithm"


def test_the_algorithm_belongs_to_the_key(verifier):
    # An RS256 header on the HMAC key, an ES256 header on the RSA key.
    assert rejected(verifier, token("internal", signer=("RS256", RSA_KEY))) == "algorithm"
    assert rejected(verifier, token("idp-2026", signer=("ES256", EC_KEY))) == "algorithm"
    assert rejected(verifier, token("idp-2025", signer=("HS256", HMAC_SECRET))) == "algorithm"


@pytest.mark.parametrize("alg", ["hs256", "Hs256", "hS256"])
def test_the_algorithm_is_compared_exactly(verifier, alg):
    # Validly signed with the HMAC key, but the header does not say the key's algorithm.
    tok = handmade(
        {"alg": alg, "typ": "at+jwt", "kid": "internal"},
        claims(),
        lambda signing_input: hmac.new(HMAC_SECRET, signing_input, hashlib.sha256).digest(),
    )
    assert rejected(verifier, tok) == "algorithm", "JWS alg values are case-sensitive (RFC 7515 4.1.1)"


@pytest.mark.parametrize("typ", [None, "JWT", "application/jwt"])
def test_the_algorithm_is_checked_before_the_type(verifier, typ):
    # The table's order: an algorithm-confusion token is reported as such, whatever its typ.
    assert rejected(verifier, token("internal", typ=typ, signer=("RS256", RSA_KEY))) == "algorithm"
    confused = {"alg": "HS256", "kid": "idp-2026"}
    if typ is not None:
        confused["typ"] = typ
    tok = handmade(
        confused,
        claims(),
        lambda signing_input: hmac.new(RSA_PUBLIC_PEM, signing_input, hashlib.sha256).digest(),
    )
    assert rejected(verifier, tok) == "algorithm"
    unsigned = dict(confused, alg="none")
    assert rejected(verifier, handmade(unsigned, claims())) == "algorithm"


@pytest.mark.parametrize("kid", [None, "nope", "IDP-2026", "idp-2026 "])
def test_an_unknown_kid_is_refused_without_trying_other_keys(verifier, kid):
    # Signed with a key the table has, under a kid it does not.
    assert rejected(verifier, token(kid, signer=("HS256", HMAC_SECRET))) == "unknown_kid"


def test_a_kid_that_is_not_a_string_is_refused(verifier):
    tok = handmade({"alg": "HS256", "typ": "at+jwt", "kid": ["internal"]}, claims())
    assert rejected(verifier, tok) in ("malformed", "unknown_kid")


def test_another_key_under_a_known_kid_fails_the_signature(verifier):
    assert rejected(verifier, token("idp-2025", signer=("ES256", ATTACKER_EC_KEY))) == "signature"


def test_a_tampered_payload_fails_the_signature(verifier):
    head, _, sig = token("internal").split(".")
    forged = b64(json.dumps(claims(sub="admin")).encode())
    assert rejected(verifier, f"{head}.{forged}.{sig}") == "signature"


@pytest.mark.parametrize(
    "typ",
    [
        None,
        "JWT",
        "jwt",
        "at+jwt2",
        "application/jwt",
        # Exactly the two names (RFC 9068), not any media type that ends the same way:
        "x/at+jwt",
        "flat+jwt",
        "text/at+jwt",
        "application/flat+jwt",
        " at+jwt",
    ],
)
def test_only_access_tokens_are_accepted(verifier, typ):
    assert rejected(verifier, token(typ=typ)) == "type"


# The claims ---------------------------------------------------------------------------------


@pytest.mark.parametrize("aud", ["billing-api", "orders-api-admin", "orders", ["billing-api"], "ORDERS-API"])
def test_another_audience_is_refused(verifier, aud):
    assert rejected(verifier, token(aud=aud)) == "audience"


@pytest.mark.parametrize("iss", ["https://evil.example", "https://idp.example/", "https://idp.example.evil"])
def test_another_issuer_is_refused(verifier, iss):
    assert rejected(verifier, token(iss=iss)) == "issuer"


def test_expiry_beyond_the_leeway_is_refused(verifier):
    now = int(time.time())
    assert rejected(verifier, token(exp=now - 60)) == "expired"
    assert rejected(verifier, token(exp=now - 3600)) == "expired"


def test_a_token_from_the_future_is_refused(verifier):
    now = int(time.time())
    assert rejected(verifier, token(nbf=now + 120)) == "not_yet_valid"
    assert rejected(verifier, token(iat=now + 120)) == "not_yet_valid"


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud", "sub"])
def test_every_required_claim(verifier, missing):
    assert rejected(verifier, token(**{missing: None})) == "missing_claim"


def test_a_non_string_subject_is_malformed(verifier):
    assert rejected(verifier, token(sub=42)) == "malformed"


def test_the_leeway_is_the_verifier_s():
    strict = TokenVerifier(KEYS, issuer=ISSUER, audience=AUDIENCE, leeway=0)
    assert rejected(strict, token(exp=int(time.time()) - 10)) == "expired"
