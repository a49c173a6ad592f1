"""The course's OAuth 2.0 authorization server (trusted course code: read it, do not edit it).

A small but strict provider for the authorization code grant with PKCE (RFC 6749 section 4.1,
RFC 7636), served to your client through a test client (no network). It records every request in
`provider.log` as `(path, params)` so the tests can check what your client sent.

- `GET /authorize`: checks `client_id` and that `redirect_uri` is EXACTLY the registered one
  (RFC 6749 section 3.1.2.3; on a mismatch it answers 400 itself and never redirects: an open
  redirector would hand the code to anyone). Then it requires `response_type=code`, a
  `code_challenge` and `code_challenge_method=S256` (RFC 7636 4.3; `plain` is refused), and
  redirects (302) to the redirect URI with `code`, `state` (as received) and `iss` (RFC 9207).
  With `deny_next` set, it redirects with `error=access_denied` instead.
- `POST /token` (form-encoded, RFC 6749 4.1.3): `grant_type=authorization_code`, `code`,
  `redirect_uri` (identical to the one in the authorize request), `client_id`, `code_verifier`
  (43 to 128 unreserved characters, RFC 7636 4.1; `BASE64URL(SHA256(verifier))` must equal the
  challenge). A code is single-use: the second exchange is `invalid_grant`. Errors are 400 with
  `{"error": ...}`; success is 200 with `access_token`, `token_type`, `expires_in`,
  `refresh_token` and `scope`, and `Cache-Control: no-store`.
"""

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Provider:
    def __init__(self, client_id: str, redirect_uri: str, issuer: str) -> None:
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.issuer = issuer
        self.log: list[tuple[str, dict[str, str]]] = []
        self.codes: dict[str, dict[str, str]] = {}
        self.issued: list[str] = []
        # Knobs the tests turn.
        self.deny_next = False
        self.send_iss: str | None = issuer
        self.token_type = "Bearer"
        self.fail_token_with: int | None = None
        self.app = self.build()

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]

    def build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/authorize")
        def authorize(request: Request) -> Response:
            raw = parse_qs(request.url.query, keep_blank_values=True)
            params = {k: v[-1] for k, v in raw.items()}
            self.log.append(("/authorize", params))
            if params.get("client_id") != self.client_id:
                return PlainTextResponse("unknown client", status_code=400)
            if params.get("redirect_uri") != self.redirect_uri:
                return PlainTextResponse("redirect_uri is not registered", status_code=400)
            back = {"state": params["state"]} if "state" in params else {}
            if self.send_iss is not None:
                back["iss"] = self.send_iss
            if (
                params.get("response_type") != "code"
                or not params.get("code_challenge")
                or params.get("code_challenge_method") != "S256"
            ):
                back["error"] = "invalid_request"
            elif self.deny_next:
                self.deny_next = False
                back["error"] = "access_denied"
            else:
                code = secrets.token_urlsafe(16)
                self.codes[code] = {
                    "challenge": params["code_challenge"],
                    "redirect_uri": params["redirect_uri"],
                    "client_id": params["client_id"],
                    "scope": params.get("scope", ""),
                }
                back = {"code": code, **back}
            return RedirectResponse(self.redirect_uri + "?" + urlencode(back), status_code=302)

        @app.post("/token")
        async def token(request: Request) -> Response:
            body = (await request.body()).decode("utf-8", "replace")
            raw = parse_qs(body, keep_blank_values=True)
            params = {k: v[-1] for k, v in raw.items()}
            self.log.append(("/token", params))
            if self.fail_token_with is not None:
                return PlainTextResponse("upstream trouble", status_code=self.fail_token_with)
            content_type = request.headers.get("content-type", "")
            if not content_type.startswith("application/x-www-form-urlencoded"):
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            if params.get("grant_type") != "authorization_code":
                return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
            grant = self.codes.pop(params.get("code", ""), None)
            verifier = params.get("code_verifier", "")
            if (
                grant is None
                or params.get("client_id") != grant["client_id"]
                or params.get("redirect_uri") != grant["redirect_uri"]
                or not VERIFIER.fullmatch(verifier)
                or s256(verifier) != grant["challenge"]
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            access = "at-" + secrets.token_urlsafe(16)
            self.issued.append(access)
            answer = {
                "access_token": access,
                "token_type": self.token_type,
                "expires_in": 3600,
                "refresh_token": "rt-" + secrets.token_urlsafe(16),
                "scope": grant["scope"],
            }
            return Response(
                json.dumps(answer),
                media_type="application/json",
                headers={"Cache-Control": "no-store"},
            )

        return app
