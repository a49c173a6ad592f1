"""Secrets from the environment: never in code, never in logs, reprs or error pages.

A secret (a database password, an API key, a signing key) has three ways to leak that have
nothing to do with an attacker breaking in:

1. **In code.** A default `api_key = "sk_live_..."` lands in git, in every clone and fork, in CI
   logs and in the container image. Secrets come from the deployment (environment variables, or
   files a secret manager mounts), and a service that lacks one REFUSES TO START with a message
   naming what is missing (https://12factor.net/config). A default that "works in dev" is how
   the dev key ends up in production.
2. **In logs and reprs.** `logger.info("settings: %s", settings)` or an error message that quotes
   a URL with its `?key=...`. Pydantic's `SecretStr` keeps the value out of `repr()`, `str()`,
   `model_dump()` and `model_dump_json()` (they show `**********`); only
   `.get_secret_value()` returns it, and you call that at the one place that needs it
   (https://docs.pydantic.dev/latest/api/types/#pydantic.types.SecretStr). Logs still receive
   text you did not write (a library's exception message): a `logging.Filter` on the logger can
   redact known secret values from every record before any handler formats it. A filter sees the
   record BEFORE formatting: the secret may be in `record.msg` or in `record.args` (the `%s`
   arguments), so render the message with `record.getMessage()`, redact that, and store it back
   (`record.msg = text`, `record.args = ()`). Return True: a filter that returns False DROPS the
   record, and a security filter that silently eats error logs hides the incident.
   (https://docs.python.org/3/library/logging.html#filter-objects)
3. **In error pages.** A debug traceback page shows local variables and settings; an error body
   that echoes `str(exc)` sends the upstream's message (with your key in its URL) to the client.
   Answer errors with a fixed, generic body, and never run with `debug` in production. Log
   the exception's message (`logger.error("...: %s", exc)`), not its traceback:
   `logger.exception` adds the traceback text after the filter has run, unredacted.

OWASP: Secrets Management Cheat Sheet, Logging Cheat Sheet ("data to exclude"), Error Handling
Cheat Sheet.

What to write (the table is the contract):

| variable                 | field              | rule                                              |
|--------------------------|--------------------|---------------------------------------------------|
| APP_DATABASE_URL         | database_url       | required, a secret (it holds the password)        |
| APP_PAYMENT_API_KEY      | payment_api_key    | required, a secret                                 |
| APP_ENV                  | environment        | "dev", "staging" or "prod"; default "dev"         |
| APP_DEBUG                | debug              | "true" or "false" (any case); default false; true is refused when APP_ENV is prod |

- `load_settings(environ=None)`: read `environ`, or `os.environ` AT CALL TIME when None (only
  then: an empty mapping is an environment without any variable). A value
  that is empty or only whitespace counts as missing; values are stripped. Every problem is
  collected and ONE `ConfigError(problems)` is raised: each problem starts with the variable's
  name and a colon, missing ones in the table's order, and NO problem ever contains a value (an
  invalid APP_ENV may be a secret pasted into the wrong variable).
- `RedactSecrets(secrets)`: a `logging.Filter` that replaces every one of the given secret
  values in the rendered message with `[REDACTED]` and keeps the record. A secret is literal
  text, not a pattern: `+`, `?`, `.` or `(` in it are characters like any other.
- `create_app(settings, payments, logger)`: installs `RedactSecrets` on `logger` for the two
  secrets, and serves `POST /charges` (already written) and `GET /settings` (the settings as
  JSON, secrets masked). A `PaymentError` from the provider answers 502 with the fixed body
  `{"detail": "payment provider unavailable"}` and is logged at ERROR with its message (the
  filter redacts it). Any other exception answers 500 `{"detail": "internal server error"}`.
"""

import logging
import os
from collections.abc import Mapping
from typing import Literal, Protocol

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, SecretStr

REDACTED = "[REDACTED]"


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration: " + "; ".join(problems))
        self.problems = problems


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # TODO: both are secrets (SecretStr), and no secret has a default in code.
    database_url: str
    payment_api_key: str = "sk_test_dev_only_key"
    environment: Literal["dev", "staging", "prod"] = "dev"
    debug: bool = False


def load_settings(environ: Mapping[str, str] = dict(os.environ)) -> Settings:
    # TODO: os.environ at call time; blank counts as missing; strip; collect every problem (in
    # the table's order) into ONE ConfigError, never quoting a value; debug refused in prod.
    database_url = environ.get("APP_DATABASE_URL")
    if database_url is None:
        raise ConfigError(["APP_DATABASE_URL: missing"])
    environment = environ.get("APP_ENV", "dev")
    if environment not in ("dev", "staging", "prod"):
        raise ConfigError([f"APP_ENV: {environment!r} is not dev, staging or prod"])
    return Settings(
        database_url=database_url,
        payment_api_key=environ.get("APP_PAYMENT_API_KEY", "sk_test_dev_only_key"),
        environment=environment,
        debug=environ.get("APP_DEBUG", "false").lower() == "true",
    )


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        # TODO: render the message (msg % args), replace every secret with REDACTED, store the
        # result back so handlers format the redacted text; keep the record.
        return True


class PaymentError(Exception):
    """What the payment provider's client raises; its message may quote the request URL."""


class Payments(Protocol):
    def charge(self, api_key: str, amount_cents: int) -> str: ...


class ChargeIn(BaseModel):
    amount_cents: int = Field(gt=0)


def create_app(settings: Settings, payments: Payments, logger: logging.Logger) -> FastAPI:
    # TODO: install RedactSecrets on `logger` for both secrets.
    app = FastAPI(debug=settings.debug)

    @app.exception_handler(PaymentError)
    async def payment_failed(request: Request, exc: PaymentError) -> JSONResponse:
        # TODO: log the error (the filter redacts it); answer a fixed body.
        return JSONResponse({"detail": f"payment provider unavailable: {exc}"}, status_code=502)

    # TODO: any other exception: 500 with a fixed body (its message may hold a secret).

    @app.post("/charges", status_code=201)
    def charge(data: ChargeIn) -> dict:
        logger.info("charging %s cents", data.amount_cents)
        charge_id = payments.charge(str(settings.payment_api_key), data.amount_cents)
        return {"id": charge_id, "amount_cents": data.amount_cents}

    @app.get("/settings")
    def show_settings() -> dict:
        return settings.model_dump(mode="json")

    return app
