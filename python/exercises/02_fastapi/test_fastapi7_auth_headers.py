import dataclasses
import re

import pytest
from fastapi.testclient import TestClient

from fastapi7_auth_headers import TokenRecord, create_app


class Secret(str):
    """A token that refuses `==`: comparing secrets with == leaks, through timing, how many
    leading characters matched (use hmac.compare_digest)."""

    def __eq__(self, other):
        raise AssertionError("a secret token was compared with == (or looked up in a dict/set)")

    def __ne__(self, other):
        raise AssertionError("a secret token was compared with !=")

    __hash__ = str.__hash__


READER = Secret("r3ad-T0ken.abc~")
WRITER = Secret("wr1te/T0ken+xyz==")


@pytest.fixture
def client():
    return TestClient(
        create_app(
            [
                TokenRecord(READER, "ada", frozenset({"reports:read"})),
                TokenRecord(WRITER, "grace", frozenset({"reports:read", "reports:write"})),
            ]
        )
    )


def bearer(token, scheme="Bearer"):
    return {"Authorization": f"{scheme} {token}"}


def challenge(response):
    """('bearer', {param: value}) from a WWW-Authenticate header (RFC 9110 §11.6.1)."""
    header = response.headers.get("www-authenticate")
    assert header, f"a {response.status_code} of a bearer-protected resource carries WWW-Authenticate"
    scheme, _, rest = header.partition(" ")
    params = dict(re.findall(r'([A-Za-z_]+)="([^"]*)"', rest))
    return scheme.lower(), params


def test_health_needs_no_token(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_no_credentials_is_401_with_a_plain_challenge(client):
    r = client.get("/me")
    assert r.status_code == 401, "no credentials: 401 Unauthorized, not 403 (RFC 9110 §15.5.2)"
    assert challenge(r) == ("bearer", {"realm": "api"}), (
        "without credentials the challenge carries no error code (RFC 6750 §3.1)"
    )
    assert r.json() == {"detail": "authentication required"}


def test_another_scheme_is_treated_as_no_bearer_credentials(client):
    r = client.get("/me", headers={"Authorization": "Basic YWRhOnNlY3JldA=="})
    assert r.status_code == 401
    assert challenge(r) == ("bearer", {"realm": "api"})
    assert r.json() == {"detail": "use the Bearer scheme"}


@pytest.mark.parametrize("header", [f"Bearerx {READER}", f"Bearer:{READER}", f"Bearer\t{READER}"])
def test_the_scheme_is_the_whole_first_word(client, header):
    r = client.get("/me", headers={"Authorization": header})
    assert r.status_code == 401, f"{header.split()[0]!r} is not the Bearer scheme: no bearer credentials"
    assert challenge(r) == ("bearer", {"realm": "api"}), "another scheme gets the plain challenge"


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_scheme_is_case_insensitive(client, scheme):
    r = client.get("/me", headers=bearer(READER, scheme))
    assert r.status_code == 200, "auth-scheme names are case-insensitive (RFC 9110 §11.1)"
    assert r.json() == {"subject": "ada", "scopes": ["reports:read"]}


@pytest.mark.parametrize("header", [f"Bearer  {READER}", f"Bearer {READER}  "], ids=["two-spaces", "trailing-spaces"])
def test_spaces_around_the_token_are_not_part_of_it(client, header):
    r = client.get("/me", headers={"Authorization": header})
    assert r.status_code == 200, f"{header!r}: spaces separate the token, they are not part of it"


@pytest.mark.parametrize("token", ["nope", "r3ad-T0ken.ab", "r3ad-T0ken.abc~x", "R3AD-T0KEN.ABC~"])
def test_a_wrong_token_is_401_invalid_token(client, token):
    r = client.get("/me", headers=bearer(token))
    assert r.status_code == 401, "a prefix, an extension or another case of a token is no match"
    assert challenge(r) == ("bearer", {"realm": "api", "error": "invalid_token"})
    assert r.json() == {"detail": "invalid token"}


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer two words", "Bearer t\u00f6ken"])
def test_a_malformed_header_is_400_invalid_request(client, header):
    r = client.get("/me", headers={"Authorization": header.encode("utf-8")})
    assert r.status_code == 400, "not a b64token at all (RFC 6750 §2.1): invalid_request is 400"
    assert challenge(r) == ("bearer", {"realm": "api", "error": "invalid_request"})
    assert r.json() == {"detail": "malformed bearer token"}


@pytest.mark.parametrize("header", [f"Bearer \t{READER}", f"Bearer {READER}\t", f"Bearer \n{READER}"])
def test_whitespace_other_than_spaces_is_not_stripped(client, header):
    r = client.get("/me", headers={"Authorization": header})
    assert r.status_code == 400, f"{header!r}: a tab or newline is not part of a b64token, and not a separator"
    assert challenge(r) == ("bearer", {"realm": "api", "error": "invalid_request"})


def test_a_missing_scope_is_403_insufficient_scope(client):
    listed = client.get("/reports", headers=bearer(READER))
    assert listed.status_code == 200
    assert listed.json() == [{"id": 1, "owner": "ada"}]
    r = client.post("/reports", headers=bearer(READER))
    assert r.status_code == 403, "known identity, not allowed: 403 Forbidden (RFC 9110 §15.5.4)"
    assert challenge(r) == (
        "bearer",
        {"realm": "api", "error": "insufficient_scope", "scope": "reports:write"},
    )
    assert r.json() == {"detail": "needs scope reports:write"}


def test_the_right_scope_is_allowed(client):
    r = client.post("/reports", headers=bearer(WRITER))
    assert r.status_code == 201
    assert r.json() == {"id": 2, "owner": "grace"}


def test_no_scopes_means_no_access():
    client = TestClient(create_app([TokenRecord(Secret("bare"), "bob", frozenset())]))
    assert client.get("/me", headers=bearer("bare")).status_code == 200
    assert client.get("/reports", headers=bearer("bare")).status_code == 403


def test_a_token_record_is_immutable():
    record = TokenRecord(Secret("t"), "ada", frozenset({"reports:read"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.scopes = frozenset({"reports:write"})  # nobody widens a token's scopes in place


def test_only_spaces_are_trimmed_never_the_token_s_own_characters():
    token = Secret("X0-edge~0X")
    client = TestClient(create_app([TokenRecord(token, "eve", frozenset())]))
    r = client.get("/me", headers={"Authorization": f"Bearer  {token} "})
    assert r.status_code == 200 and r.json()["subject"] == "eve"
