"""Auth headers: Bearer tokens (RFC 6750) with the right 400/401/403 and WWW-Authenticate.

A client sends `Authorization: Bearer <token>` (RFC 6750 §2.1). The server's answers:
- No credentials, or credentials of another scheme (`Basic ...`): **401** Unauthorized with a
  challenge, `WWW-Authenticate: Bearer realm="api"`. RFC 9110 §15.5.2: a 401 *must* carry
  WWW-Authenticate; without it the client cannot know how to authenticate. No `error` here
  (RFC 6750 §3.1: a request that had no auth information gets no error code).
- The auth-scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `Bearer` and `BEARER` are the
  same scheme, and it is the whole word before the first space: `Bearerx tok` and `Bearer:tok`
  are other schemes (401 as above), not Bearer. The token itself is compared exactly.
- Credentials that are not a b64token at all (empty, two words, non-ASCII, a tab or a newline
  around it): **400** with `error="invalid_request"`. Spaces between the scheme and the token
  are separators; any other whitespace is part of the credentials, so `.strip()` (which drops
  tabs and newlines too) would turn a malformed header into a valid one.
- A well-formed token that matches no record: **401** with `error="invalid_token"`.
- A valid token without the scope the route needs: **403** Forbidden (§15.5.4: known, not
  allowed) with `error="insufficient_scope", scope="reports:write"`.
  Every challenge carries `realm="api"`: `Bearer realm="api", error="invalid_token"`.
- A record without scopes opens no scoped route (fail closed).

Compare secrets with `hmac.compare_digest(a, b)`, never `==`: `==` stops at the first differing
character, so the response time tells an attacker how much of a guess was right. Dict and set
lookups keyed by the token compare with `==` too. (The tests' tokens refuse `==`.)

FastAPI: `raise HTTPException(401, detail=..., headers={"WWW-Authenticate": ...})`; a
dependency that raises protects every route that depends on it; a dependency factory
(`def require(scope): def check(...): ...; return check`) makes one per scope.
"""

from dataclasses import dataclass

from fastapi import Depends, FastAPI, HTTPException, Request

REALM = "api"


@dataclass(frozen=True)
class TokenRecord:
    token: str
    subject: str
    scopes: frozenset[str]


def create_app(tokens: list[TokenRecord]) -> FastAPI:
    app = FastAPI()
    records = list(tokens)

    # TODO: 401/400/401 with the right WWW-Authenticate challenges; case-insensitive scheme;
    # compare with hmac.compare_digest.
    def authenticate(request: Request) -> TokenRecord:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            raise HTTPException(403, detail="forbidden")
        token = header[len("Bearer ") :]
        for record in records:
            if record.token == token:
                return record
        raise HTTPException(403, detail="forbidden")

    # TODO: 403 with an insufficient_scope challenge naming the scope.
    def require(scope: str):
        def check(record: TokenRecord = Depends(authenticate)) -> TokenRecord:
            if record.scopes and scope not in record.scopes:
                raise HTTPException(403, detail="forbidden")
            return record

        return check

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/me")
    def me(record: TokenRecord = Depends(authenticate)) -> dict:
        return {"subject": record.subject, "scopes": sorted(record.scopes)}

    @app.get("/reports")
    def list_reports(record: TokenRecord = Depends(require("reports:read"))) -> list:
        return [{"id": 1, "owner": record.subject}]

    @app.post("/reports", status_code=201)
    def create_report(record: TokenRecord = Depends(require("reports:write"))) -> dict:
        return {"id": 2, "owner": record.subject}

    return app
