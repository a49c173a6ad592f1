"""Structured logs: one JSON object per line, with the request's id in every line.

A log line written for people (`ERROR shop: payment failed for 42`) is hard to search for a
machine: where does the message end, which request was it, what was the order id? A log
aggregator (Loki, Elasticsearch, CloudWatch Logs Insights, Datadog) wants **one JSON object per
line** (https://jsonlines.org/) with stable keys:

    {"timestamp": "2026-01-05T09:30:00.250Z", "level": "INFO", "logger": "shop",
     "message": "order viewed", "request_id": "4bf92f35...", "order_id": 42}

(on one line). The standard `logging` module does this with a **formatter**: a subclass of
`logging.Formatter` whose `format(record)` returns the line for one `LogRecord`
(https://docs.python.org/3/library/logging.html#formatter-objects). What to put in it:

- `timestamp`: `record.created` (seconds since the epoch) as ISO 8601 / RFC 3339 in **UTC**, with
  milliseconds and a `Z`: `1970-01-01T00:00:00.500Z`. Never the server's local time: logs from
  servers in three time zones must sort together.
- `level` (`record.levelname`), `logger` (`record.name`), `message`: `record.getMessage()`, the
  message with its `%` arguments applied (`record.msg` is the template).
- `request_id`: the value of the `request_id_var` context variable (`None` outside a request).
- `exception`, only when the record carries one (`record.exc_info`, set by `logger.exception`):
  `{"type": "ValueError", "message": str(exc), "stack": self.formatException(record.exc_info)}`.
- The record's extra fields: this app passes them as one dict, `logger.info("order viewed",
  extra={"fields": {"order_id": 42}})`, read with `getattr(record, "fields", {})`; they are merged
  into the object, but never replace the keys above (a field called `level` cannot forge the
  level). Values JSON cannot encode (a UUID, a datetime) are written with `str`.
- Secrets never reach the log: a field (at any depth of nested dicts) whose name contains, in any
  case, one of `SECRET_WORDS` is written as `"[REDACTED]"`.

`json.dumps` escapes a newline inside a string as `\\n`, so user input such as
`"shoes\\n{\\"level\\": \\"CRITICAL\\"}"` can never start a forged log line (log injection, OWASP
https://owasp.org/www-community/attacks/Log_Injection); never build the line with f-strings and
never use `indent`.

**The request id** ties together every line of one request (and, passed on in `X-Request-ID`,
the lines of the services it calls). A `contextvars.ContextVar` holds it: each request (each
asyncio task, each thread the endpoint runs in) sees its own value
(https://docs.python.org/3/library/contextvars.html). `request_context(incoming)` binds it for a
`with` block: the incoming `X-Request-ID` when it is a valid token (1 to 64 characters among
letters, digits, `-`, `_` and `.`: the whole value, `fullmatch`, since `$` also matches before a
final newline), else a new `uuid.uuid4().hex`; on the way out, `request_id_var.reset(token)`
restores the previous value (even after an exception, and inside nested blocks).

The middleware (https://fastapi.tiangolo.com/tutorial/middleware/) binds it around
`call_next`, logs one access line `request finished` (fields `method`, `path`, `status`) while
the id is still bound, and echoes the id in the response's `X-Request-ID` header.
"""

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any, TextIO

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

logger = logging.getLogger("shop")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECRET_WORDS = ("password", "secret", "token", "authorization", "cookie", "api_key")
REDACTED = "[REDACTED]"
CORE_KEYS = ("timestamp", "level", "logger", "message", "request_id", "exception")


def redact(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if any(word in str(key).lower() for word in SECRET_WORDS):
            clean[key] = REDACTED
        elif isinstance(value, dict):
            clean[key] = redact(value)
        else:
            clean[key] = value
    return clean


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, tz=timezone.utc)
        line: dict[str, Any] = {
            "timestamp": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        if record.exc_info:
            error = record.exc_info[1]
            line["exception"] = {
                "type": type(error).__name__,
                "message": str(error),
                "stack": self.formatException(record.exc_info),
            }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in redact(fields).items():
                if key not in CORE_KEYS:
                    line[key] = value
        return json.dumps(line, default=str)


def configure_logging(stream: TextIO) -> logging.Handler:
    """Sends the `shop` logger's records, as JSON lines, to `stream`; returns the handler."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


@contextmanager
def request_context(incoming: str | None) -> Iterator[str]:
    if incoming is not None and VALID_REQUEST_ID.fullmatch(incoming):
        request_id = incoming
    else:
        request_id = uuid.uuid4().hex
    token = request_id_var.set(request_id)
    try:
        yield request_id
    finally:
        request_id_var.reset(token)


class Login(BaseModel):
    user: str
    password: str


def create_app() -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def request_id_middleware(request: Request, call_next):
        with request_context(request.headers.get(REQUEST_ID_HEADER)) as request_id:
            response = await call_next(request)
            logger.info(
                "request finished",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.url.path,
                        "status": response.status_code,
                    }
                },
            )
        response.headers[REQUEST_ID_HEADER] = request_id
        return response

    @app.get("/orders/{order_id}")
    def get_order(order_id: int) -> dict:
        if order_id > 1000:
            raise HTTPException(404, detail="no such order")
        logger.info("order viewed", extra={"fields": {"order_id": order_id}})
        return {"id": order_id}

    @app.post("/login")
    def login(data: Login) -> dict:
        logger.info(
            "login attempt",
            extra={"fields": {"user": data.user, "password": data.password}},
        )
        return {"user": data.user}

    @app.get("/search")
    def search(q: str) -> dict:
        logger.info("search for %s", q)
        return {"results": []}

    @app.get("/pay")
    def pay() -> JSONResponse:
        try:
            raise ValueError("card declined")
        except ValueError:
            logger.exception("payment failed", extra={"fields": {"amount": 12}})
        return JSONResponse({"detail": "payment failed"}, status_code=502)

    return app
