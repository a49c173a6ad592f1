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

    database_url: SecretStr
    payment_api_key: SecretStr
    environment: Literal["dev", "staging", "prod"] = "dev"
    debug: bool = False


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    if environ is None:
        environ = os.environ
    problems: list[str] = []

    def value(name: str) -> str | None:
        raw = environ.get(name)
        if raw is None or not raw.strip():
            return None
        return raw.strip()

    database_url = value("APP_DATABASE_URL")
    if database_url is None:
        problems.append("APP_DATABASE_URL: missing")
    api_key = value("APP_PAYMENT_API_KEY")
    if api_key is None:
        problems.append("APP_PAYMENT_API_KEY: missing")

    environment = value("APP_ENV") or "dev"
    if environment not in ("dev", "staging", "prod"):
        problems.append("APP_ENV: must be dev, staging or prod")
        environment = "dev"

    debug = False
    raw_debug = value("APP_DEBUG")
    if raw_debug is not None:
        if raw_debug.lower() == "true":
            debug = True
        elif raw_debug.lower() != "false":
            problems.append("APP_DEBUG: must be true or false")
    if debug and environment == "prod":
        problems.append("APP_DEBUG: debug is refused in prod")

    if problems or database_url is None or api_key is None:
        raise ConfigError(problems)
    return Settings(
        database_url=SecretStr(database_url),
        payment_api_key=SecretStr(api_key),
        environment=environment,
        debug=debug,
    )


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        record.msg = text
        record.args = ()
        return True


class PaymentError(Exception):
    """What the payment provider's client raises; its message may quote the request URL."""


class Payments(Protocol):
    def charge(self, api_key: str, amount_cents: int) -> str: ...


class ChargeIn(BaseModel):
    amount_cents: int = Field(gt=0)


def create_app(settings: Settings, payments: Payments, logger: logging.Logger) -> FastAPI:
    logger.addFilter(
        RedactSecrets(
            [settings.database_url.get_secret_value(), settings.payment_api_key.get_secret_value()]
        )
    )
    app = FastAPI(debug=settings.debug)

    @app.exception_handler(PaymentError)
    async def payment_failed(request: Request, exc: PaymentError) -> JSONResponse:
        logger.error("payment provider failed: %s", exc)
        return JSONResponse({"detail": "payment provider unavailable"}, status_code=502)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled error on %s", request.url.path)
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    @app.post("/charges", status_code=201)
    def charge(data: ChargeIn) -> dict:
        logger.info("charging %s cents", data.amount_cents)
        charge_id = payments.charge(settings.payment_api_key.get_secret_value(), data.amount_cents)
        return {"id": charge_id, "amount_cents": data.amount_cents}

    @app.get("/settings")
    def show_settings() -> dict:
        return settings.model_dump(mode="json")

    return app
