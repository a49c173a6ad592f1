"""The OAuth 2.0 authorization code flow with PKCE, the client's side ("Log in with ...").

The flow (RFC 6749 section 4.1, RFC 7636, and the OAuth 2.0 Security BCP, RFC 9700):

1. `start_login()`: make a fresh `state` (CSRF protection for the callback) and a fresh PKCE
   `code_verifier` (a high-entropy secret), remember both for this login, and send the browser
   to the provider's authorize URL with `response_type=code`, `client_id`, `redirect_uri`,
   `scope`, `state`, `code_challenge` and `code_challenge_method=S256`. The challenge is
   `BASE64URL(SHA256(ASCII(code_verifier)))`: URL-safe alphabet (`-` and `_`), NO `=` padding
   (RFC 7636 section 4.2, Appendix A). The VERIFIER NEVER appears in this URL: the URL passes
   through the browser, its history, proxies and the provider's logs; only the hash does. `plain`
   (challenge = verifier) defeats the point and is not used. `secrets.token_urlsafe(32)` makes a
   43-character verifier of unreserved characters (RFC 7636 4.1 wants 43 to 128) and a good state.
   Never the `random` module: a Mersenne Twister, predictable once seeded or observed.
2. The provider redirects the browser back to `redirect_uri?code=...&state=...&iss=...` (or
   `?error=access_denied&state=...`). `finish_login(callback_url)`:
   - parse the query (`urllib.parse.parse_qs(..., keep_blank_values=True)`); a parameter given
     more than once is `invalid_request` (RFC 6749 3.1: parameters MUST NOT repeat);
   - look up the login by `state` and REMOVE it first, whatever happens next: a state is
     single-use, so a replayed callback (or a second use of the same code) finds nothing. No such
     login (a missing, unknown or forged state) is `invalid_state`; so is one older than
     `LOGIN_TTL` seconds (measured with the injected `clock`; exactly `LOGIN_TTL` is still fine).
     These state checks come first: an unknown or expired login is `invalid_state` whatever
     else its callback says (a wrong `iss`, an `error`);
   - an `iss` parameter, when present, must equal the configured issuer (`invalid_issuer`,
     RFC 9207: the mix-up attack, where a malicious provider's code is sent to an honest one);
     it is checked BEFORE anything else in the callback is believed, an `error` included;
   - an `error` parameter raises `OAuthError` with that error code (`access_denied`, ...);
   - a missing or empty `code` is `invalid_request`;
   - in every one of those cases NO request reaches the provider;
   - otherwise exchange the code, ONCE: `POST token_url` FORM-ENCODED (`data=`, not `json=`,
     RFC 6749 4.1.3) with `grant_type=authorization_code`, `code`, the SAME `redirect_uri` string
     as in step 1, `client_id` and `code_verifier`;
   - a non-200 answer raises `OAuthError` with the body's `error` when that is a non-empty string
     (else `server_error`: not JSON, not an object, no `error`, or `42`); a 200 must carry a string `access_token` (else
     `server_error`) and say `token_type` "Bearer" in ANY case (RFC 6749 5.1: case-insensitive;
     many providers send "bearer"), else `unsupported_token_type`.
3. The tokens are secrets: `TokenSet` keeps them out of its repr.

`start_login` also forgets logins older than `LOGIN_TTL` (abandoned logins must not pile up),
with the same rule as `finish_login`: a login exactly `LOGIN_TTL` old is still pending.
Each pending login is keyed by its state, so two logins in two tabs both work.

Frameworks: Authlib's integrations for Flask, Django and Starlette/FastAPI do this (and keep the
pending login in the user's session); django-allauth, social-auth. FastAPI's `OAuth2AuthorizationCodeBearer`
only documents the flow for OpenAPI, it does not run it. OWASP: OAuth 2.0 Cheat Sheet.
"""

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

LOGIN_TTL = 600.0


class OAuthError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class OAuthConfig:
    client_id: str
    issuer: str
    authorize_url: str
    token_url: str
    redirect_uri: str
    scope: str = "openid orders:read"


@dataclass(frozen=True)
class TokenSet:
    # TODO: the tokens are secrets: keep them out of the repr.
    access_token: str
    token_type: str
    expires_in: int | None
    refresh_token: str | None
    scope: str | None


@dataclass
class PendingLogin:
    verifier: str
    started: float


class HttpClient(Protocol):
    def post(self, url: str, **kwargs: Any) -> Any: ...


def code_challenge(verifier: str) -> str:
    # TODO: BASE64URL(SHA256(ASCII(verifier))) without "=" padding.
    return hashlib.sha256(verifier.encode("ascii")).hexdigest()


class OAuthClient:
    def __init__(self, config: OAuthConfig, http: HttpClient, clock: Callable[[], float]) -> None:
        self.config = config
        self.http = http
        self.clock = clock
        self.pending: dict[str, PendingLogin] = {}

    def start_login(self) -> str:
        # TODO: forget logins older than LOGIN_TTL; S256, and the verifier stays here.
        now = self.clock()
        state = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(32)
        self.pending[state] = PendingLogin(verifier, now)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": self.config.scope,
                "state": state,
                "code_challenge": verifier,
                "code_challenge_method": "plain",
                "code_verifier": verifier,
            }
        )
        return f"{self.config.authorize_url}?{query}"

    def finish_login(self, callback_url: str) -> TokenSet:
        # TODO: every check of the list above, in that order, before any request; the state is
        # spent whatever happens; the token request is form-encoded.
        params = dict(parse_qs(urlsplit(callback_url).query))
        code = params["code"][0]
        login = list(self.pending.values())[-1]
        response = self.http.post(
            self.config.token_url,
            json={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.config.client_id,
                "code_verifier": login.verifier,
            },
            headers={"Accept": "application/json"},
        )
        body = response.json()
        return TokenSet(
            access_token=body["access_token"],
            token_type=body["token_type"],
            expires_in=body.get("expires_in"),
            refresh_token=body.get("refresh_token"),
            scope=body.get("scope"),
        )
