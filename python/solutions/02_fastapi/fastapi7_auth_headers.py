"""Auth headers: Bearer tokens (RFC 6750) with the right 400/401/403 and WWW-Authenticate."""

import hmac
import re
from dataclasses import dataclass

from fastapi import Depends, FastAPI, HTTPException, Request

REALM = "api"
# RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


@dataclass(frozen=True)
class TokenRecord:
    token: str
    subject: str
    scopes: frozenset[str]


def challenge(**params: str) -> dict[str, str]:
    parts = [f'realm="{REALM}"'] + [f'{key}="{value}"' for key, value in params.items()]
    return {"WWW-Authenticate": "Bearer " + ", ".join(parts)}


def create_app(tokens: list[TokenRecord]) -> FastAPI:
    app = FastAPI()
    records = list(tokens)

    def authenticate(request: Request) -> TokenRecord:
        header = request.headers.get("authorization")
        if header is None:
            raise HTTPException(401, detail="authentication required", headers=challenge())
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer":
            raise HTTPException(401, detail="use the Bearer scheme", headers=challenge())
        credentials = credentials.strip(" ")
        if not B64TOKEN.fullmatch(credentials):
            raise HTTPException(
                400, detail="malformed bearer token", headers=challenge(error="invalid_request")
            )
        found = None
        for record in records:
            if hmac.compare_digest(record.token.encode(), credentials.encode()):
                found = record
        if found is None:
            raise HTTPException(
                401, detail="invalid token", headers=challenge(error="invalid_token")
            )
        return found

    def require(scope: str):
        def check(record: TokenRecord = Depends(authenticate)) -> TokenRecord:
            if scope not in record.scopes:
                raise HTTPException(
                    403,
                    detail=f"needs scope {scope}",
                    headers=challenge(error="insufficient_scope", scope=scope),
                )
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
