import random
import re
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from oauth_provider import Provider, s256
from security4_oauth_pkce import (
    LOGIN_TTL,
    OAuthClient,
    OAuthConfig,
    OAuthError,
    TokenSet,
    code_challenge,
)

ISSUER = "https://auth.example"
REDIRECT = "https://shop.example/oauth/callback"
CONFIG = OAuthConfig(
    client_id="shop-web",
    issuer=ISSUER,
    authorize_url=ISSUER + "/authorize",
    token_url=ISSUER + "/token",
    redirect_uri=REDIRECT,
    scope="openid orders:read",
)


class FakeClock:
    def __init__(self):
        self.now = 5000.0

    def __call__(self):
        return self.now


@pytest.fixture
def provider():
    return Provider(CONFIG.client_id, REDIRECT, ISSUER)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def client(provider, clock):
    return OAuthClient(CONFIG, TestClient(provider.app, base_url=ISSUER), clock)


@pytest.fixture
def browser(provider):
    return TestClient(provider.app, base_url=ISSUER, follow_redirects=False)


def authorize(browser, url):
    """What the browser does: follow the login URL, come back with the provider's redirect."""
    r = browser.get(url)
    assert r.status_code == 302, f"the provider refused the authorize request: {r.text}"
    location = r.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return location


def query(url):
    return {k: v for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def with_params(callback, **changes):
    params = {k: v[0] for k, v in query(callback).items()}
    params.update(changes)
    params = {k: v for k, v in params.items() if v is not None}
    return REDIRECT + "?" + urlencode(params)


# PKCE ---------------------------------------------------------------------------------------


def test_the_rfc_7636_example_challenge():
    # RFC 7636, Appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize("verifier", ["a" * 43, "~._-" * 20 + "Z" * 48, "0" * 128])
def test_the_challenge_is_base64url_without_padding(verifier):
    challenge = code_challenge(verifier)
    assert challenge == s256(verifier)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge)


# The authorize step -------------------------------------------------------------------------


def test_the_authorize_url_carries_everything_but_the_verifier(client, provider, browser):
    url = client.start_login()
    assert url.startswith(CONFIG.authorize_url + "?")
    params = query(url)
    assert {k: v for k, v in params.items() if k not in ("state", "code_challenge")} == {
        "response_type": ["code"],
        "client_id": ["shop-web"],
        "redirect_uri": [REDIRECT],
        "scope": ["openid orders:read"],
        "code_challenge_method": ["S256"],
    }
    assert len(params["state"][0]) >= 32
    assert "code_verifier" not in params
    callback = authorize(browser, url)
    client.finish_login(callback)
    verifier = provider.log[-1][1]["code_verifier"]
    assert verifier not in url, "the verifier never travels through the browser"
    assert params["code_challenge"] == [s256(verifier)]
    assert params["state"][0] != verifier


def test_the_authorize_url_is_encoded_so_every_value_comes_back_whole():
    # The values are URL-encoded (urlencode), not pasted: a redirect_uri with its own query, a
    # scope with a "+" (a space in a query) and a space, a client_id with "&" survive the trip.
    config = replace(
        CONFIG,
        client_id="shop web&x=1",
        redirect_uri="https://shop.example/oauth/callback?tenant=a&x=1",
        scope="a+b c",
    )
    url = OAuthClient(config, FakeHttp(200, {}), FakeClock()).start_login()
    params = query(url)
    assert {k: v for k, v in params.items() if k not in ("state", "code_challenge")} == {
        "response_type": ["code"],
        "client_id": ["shop web&x=1"],
        "redirect_uri": ["https://shop.example/oauth/callback?tenant=a&x=1"],
        "scope": ["a+b c"],
        "code_challenge_method": ["S256"],
    }


def test_a_scope_with_special_characters_completes_the_flow(provider, browser, clock):
    oauth = OAuthClient(replace(CONFIG, scope="a+b c"), TestClient(provider.app, base_url=ISSUER), clock)
    tokens = oauth.finish_login(authorize(browser, oauth.start_login()))
    assert tokens.scope == "a+b c", "the provider read the scope the client meant to send"


def test_each_login_gets_its_own_state_and_verifier(client, provider, browser):
    first, second = client.start_login(), client.start_login()
    assert query(first)["state"] != query(second)["state"]
    assert query(first)["code_challenge"] != query(second)["code_challenge"]
    # Two tabs: both logins finish, in either order.
    cb1, cb2 = authorize(browser, first), authorize(browser, second)
    assert isinstance(client.finish_login(cb2), TokenSet)
    assert isinstance(client.finish_login(cb1), TokenSet)
    verifiers = [params["code_verifier"] for path, params in provider.log if path == "/token"]
    assert len(set(verifiers)) == 2
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", v) for v in verifiers)


def test_state_and_verifier_come_from_the_os_not_a_seeded_generator(client, provider, browser):
    # `random` is a Mersenne Twister: seeded (or observed) once, every later "secret" is known.
    random.seed(2026)
    first = client.start_login()
    random.seed(2026)
    second = client.start_login()
    assert query(first)["state"] != query(second)["state"], "use secrets.token_urlsafe, not random"
    assert query(first)["code_challenge"] != query(second)["code_challenge"], (
        "use secrets.token_urlsafe for the verifier, not random"
    )


# The callback -------------------------------------------------------------------------------


def test_the_whole_flow(client, provider, browser):
    callback = authorize(browser, client.start_login())
    tokens = client.finish_login(callback)
    assert tokens.access_token == provider.issued[0]
    assert tokens.token_type == "Bearer"
    assert tokens.expires_in == 3600
    assert tokens.refresh_token.startswith("rt-")
    assert tokens.scope == "openid orders:read"
    assert provider.paths() == ["/authorize", "/token"]
    sent = provider.log[-1][1]
    assert sent["grant_type"] == "authorization_code"
    assert sent["redirect_uri"] == REDIRECT, "the same redirect_uri string as in the authorize step"
    assert sent["client_id"] == "shop-web"
    assert sent["code"] == query(callback)["code"][0]
    assert client.pending == {}, "a finished login is forgotten"


def test_tokens_stay_out_of_reprs(client, browser):
    tokens = client.finish_login(authorize(browser, client.start_login()))
    assert tokens.access_token not in repr(tokens)
    assert tokens.refresh_token not in repr(tokens)


def test_a_replayed_callback_is_refused_without_a_second_exchange(client, provider, browser):
    callback = authorize(browser, client.start_login())
    client.finish_login(callback)
    with pytest.raises(OAuthError) as caught:
        client.finish_login(callback)
    assert caught.value.error == "invalid_state"
    assert provider.paths() == ["/authorize", "/token"], "a code is exchanged once"


@pytest.mark.parametrize("state", [None, "", "forged-state-value-0123456789abcdef"])
def test_a_missing_or_forged_state_is_refused_before_any_exchange(client, provider, browser, state):
    callback = authorize(browser, client.start_login())
    with pytest.raises(OAuthError) as caught:
        client.finish_login(with_params(callback, state=state))
    assert caught.value.error == "invalid_state"
    assert provider.paths() == ["/authorize"]
    assert isinstance(client.finish_login(callback), TokenSet), "a forged state consumes nothing"


def test_a_state_from_another_login_cannot_be_spent_twice(client, provider, browser):
    cb1 = authorize(browser, client.start_login())
    cb2 = authorize(browser, client.start_login())
    # The attacker's code with the victim's state: the exchange fails at the provider (PKCE)...
    with pytest.raises(OAuthError) as caught:
        client.finish_login(with_params(cb2, code=query(cb1)["code"][0]))
    assert caught.value.error == "invalid_grant"
    # ...and the state is spent all the same.
    with pytest.raises(OAuthError):
        client.finish_login(cb2)


def test_an_error_callback_raises_its_error_and_spends_the_state(client, provider, browser):
    provider.deny_next = True
    callback = authorize(browser, client.start_login())
    assert query(callback)["error"] == ["access_denied"]
    with pytest.raises(OAuthError) as caught:
        client.finish_login(callback)
    assert caught.value.error == "access_denied"
    with pytest.raises(OAuthError) as again:
        client.finish_login(callback)
    assert again.value.error == "invalid_state"
    assert provider.paths() == ["/authorize"]


def test_an_error_from_another_issuer_is_invalid_issuer(client, provider, browser):
    # RFC 9207: iss is checked before anything in the response is believed, its error included.
    provider.deny_next = True
    provider.send_iss = "https://evil.example"
    callback = authorize(browser, client.start_login())
    assert query(callback)["error"] == ["access_denied"]
    with pytest.raises(OAuthError) as caught:
        client.finish_login(callback)
    assert caught.value.error == "invalid_issuer"
    assert provider.paths() == ["/authorize"]


@pytest.mark.parametrize("iss", ["https://evil.example", "https://auth.example/", ""])
def test_a_callback_from_another_issuer_is_refused(client, provider, browser, iss):
    callback = authorize(browser, client.start_login())
    with pytest.raises(OAuthError) as caught:
        client.finish_login(with_params(callback, iss=iss))
    assert caught.value.error == "invalid_issuer"
    assert provider.paths() == ["/authorize"]
    with pytest.raises(OAuthError):
        client.finish_login(callback)
    assert provider.paths() == ["/authorize"]


def test_a_provider_without_iss_is_accepted(client, provider, browser):
    provider.send_iss = None
    callback = authorize(browser, client.start_login())
    assert "iss" not in query(callback)
    assert isinstance(client.finish_login(callback), TokenSet)


@pytest.mark.parametrize("code", [None, ""])
def test_a_missing_code_is_refused_before_any_exchange(client, provider, browser, code):
    callback = authorize(browser, client.start_login())
    with pytest.raises(OAuthError) as caught:
        client.finish_login(with_params(callback, code=code))
    assert caught.value.error == "invalid_request"
    assert provider.paths() == ["/authorize"]
    with pytest.raises(OAuthError) as again:
        client.finish_login(callback)
    assert again.value.error == "invalid_state", "the state was spent by the first callback"


@pytest.mark.parametrize("repeated", ["code", "state"])
def test_a_repeated_parameter_is_refused(client, provider, browser, repeated):
    callback = authorize(browser, client.start_login())
    value = query(callback)[repeated][0]
    with pytest.raises(OAuthError) as caught:
        client.finish_login(f"{callback}&{repeated}={value}x")
    assert caught.value.error == "invalid_request"
    assert provider.paths() == ["/authorize"]


def test_a_login_expires_after_the_ttl(client, provider, browser, clock):
    first = authorize(browser, client.start_login())
    second = authorize(browser, client.start_login())
    clock.now += LOGIN_TTL
    assert isinstance(client.finish_login(first), TokenSet), "exactly the TTL is still fine"
    clock.now += 0.001
    with pytest.raises(OAuthError) as caught:
        client.finish_login(second)
    assert caught.value.error == "invalid_state"
    assert provider.paths().count("/token") == 1


def test_a_login_exactly_ttl_old_survives_another_start(client, provider, browser, clock):
    # start_login forgets with the same rule as finish_login: exactly LOGIN_TTL is still fine.
    first = authorize(browser, client.start_login())
    clock.now += LOGIN_TTL
    client.start_login()
    assert isinstance(client.finish_login(first), TokenSet)


@pytest.mark.parametrize(
    "changes", [{"iss": "https://evil.example"}, {"error": "access_denied", "code": None}]
)
def test_an_expired_login_is_invalid_state_whatever_its_callback_says(
    client, provider, browser, clock, changes
):
    # The state checks (unknown, expired) come before the iss and error checks.
    callback = authorize(browser, client.start_login())
    clock.now += LOGIN_TTL + 1
    with pytest.raises(OAuthError) as caught:
        client.finish_login(with_params(callback, **changes))
    assert caught.value.error == "invalid_state"
    assert provider.paths() == ["/authorize"]


def test_abandoned_logins_are_forgotten(client, clock):
    for _ in range(5):
        client.start_login()
    clock.now += LOGIN_TTL + 1
    client.start_login()
    assert len(client.pending) == 1


# The token response -------------------------------------------------------------------------


def test_a_lowercase_bearer_is_bearer(client, provider, browser):
    provider.token_type = "bearer"
    tokens = client.finish_login(authorize(browser, client.start_login()))
    assert tokens.token_type == "Bearer"


def test_another_token_type_is_refused(client, provider, browser):
    provider.token_type = "mac"
    with pytest.raises(OAuthError) as caught:
        client.finish_login(authorize(browser, client.start_login()))
    assert caught.value.error == "unsupported_token_type"


@pytest.mark.parametrize("token_type", [42, True, ["Bearer"], {"type": "Bearer"}, None, ""])
def test_a_token_type_that_is_not_a_string_is_unsupported(token_type):
    body = {"access_token": "at-1", "token_type": token_type, "expires_in": 60}
    assert exchange_with(200, body) == "unsupported_token_type"


def test_a_token_error_is_raised_with_its_code(client, provider, browser):
    callback = authorize(browser, client.start_login())
    provider.codes.clear()  # the provider forgot the code (it expired)
    with pytest.raises(OAuthError) as caught:
        client.finish_login(callback)
    assert caught.value.error == "invalid_grant"


def test_a_server_error_without_json_is_server_error(client, provider, browser):
    provider.fail_token_with = 503
    with pytest.raises(OAuthError) as caught:
        client.finish_login(authorize(browser, client.start_login()))
    assert caught.value.error == "server_error"


class FakeResponse:
    def __init__(self, status_code, body):
        self.status_code = status_code
        self.body = body

    def json(self):
        if isinstance(self.body, str):
            raise ValueError("not JSON")
        return self.body


class FakeHttp:
    """A token endpoint that answers what the test says, and records each POST."""

    def __init__(self, status_code, body):
        self.answer = FakeResponse(status_code, body)
        self.posts = []

    def post(self, url, **kwargs):
        self.posts.append((url, kwargs))
        return self.answer


def exchange_with(status_code, body):
    http = FakeHttp(status_code, body)
    oauth = OAuthClient(CONFIG, http, FakeClock())
    state = query(oauth.start_login())["state"][0]
    with pytest.raises(OAuthError) as caught:
        oauth.finish_login(f"{REDIRECT}?code=c-1&state={state}&iss={ISSUER}")
    assert [url for url, _ in http.posts] == [CONFIG.token_url]
    return caught.value.error


@pytest.mark.parametrize(
    "body",
    [
        {"access_token": 12345, "token_type": "Bearer"},
        {"access_token": ["at-1"], "token_type": "Bearer"},
        {"access_token": {"value": "at-1"}, "token_type": "Bearer"},
        {"access_token": None, "token_type": "Bearer"},
        ["at-1"],
    ],
)
def test_a_200_without_a_string_access_token_is_server_error(body):
    assert exchange_with(200, body) == "server_error"


@pytest.mark.parametrize(
    "status_code, body",
    [
        (400, {"error": 42}),
        (400, {"error": ""}),
        (400, {"error": None}),
        (400, {"error": ["invalid_grant"]}),
        (400, {"detail": "no error field"}),
        (400, ["invalid_grant"]),
        (502, "<html>bad gateway</html>"),
    ],
)
def test_a_refusal_without_a_string_error_code_is_server_error(status_code, body):
    assert exchange_with(status_code, body) == "server_error", (
        "only a non-empty string `error` is the provider's code; anything else is server_error"
    )


def test_a_refusal_with_an_error_code_raises_it():
    assert exchange_with(400, {"error": "invalid_grant", "error_description": "expired"}) == (
        "invalid_grant"
    )
