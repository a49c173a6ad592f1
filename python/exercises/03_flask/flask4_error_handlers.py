"""Error handlers: every error as RFC 9457 problem details, with the headers it needs.

An API's errors are part of its contract. RFC 9457 ("Problem Details for HTTP APIs") gives
them one shape, sent as `Content-Type: application/problem+json`:

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no item 'lamp'"}

- `type`: a URI naming the kind of problem; "about:blank" when the status code says it all
  (§4.2.1), your own URI for domain errors (`https://shop.example/problems/out-of-stock`).
- `title`: short and the same for every occurrence; `status`: the response's status code;
  `detail`: this occurrence. Extra members carry specifics (`"sku": "tee"`, §3.2).

Flask (https://flask.palletsprojects.com/en/stable/errorhandling/):
- `@app.errorhandler(HTTPException)` receives every HTTP error: your `abort(404)`, the router's
  404 and 405, the 400 that `request.get_json()` raises for a broken body. `error.code`,
  `error.name`, `error.description`. Some carry headers a client needs: a 405 has `Allow`
  (RFC 9110 §15.5.6), a 401 has `WWW-Authenticate`. `error.get_headers()` lists them (with a
  Content-Type you replace); a handler that builds a fresh response must copy them.
- `@app.errorhandler(OutOfStock)`: a domain exception becomes a 409 problem.
  `RateLimited` becomes 429 with `Retry-After: <seconds>` (RFC 6585 §4, RFC 9110 §10.2.3).
- `@app.errorhandler(Exception)` is the last resort for bugs: 500, a generic detail, and
  `app.logger.exception(...)` so *we* get the traceback. The client gets nothing of it: an
  exception message can hold a connection string with a password.
  Flask picks the most specific handler by the exception's class hierarchy, so with a handler
  for HTTPException registered, a 404 does not land in the Exception handler. Without one it
  does, and every 404 and 405 becomes a 500: the classic mistake below.

(The tests build the app without TESTING: with TESTING=True, Flask re-raises unhandled
exceptions into the test instead of answering 500.)
"""

from flask import Flask, abort, current_app, request

PROBLEM = "application/problem+json"
TYPES = "https://shop.example/problems/"


class OutOfStock(Exception):
    def __init__(self, sku: str) -> None:
        super().__init__(sku)
        self.sku = sku


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(RESERVATIONS_PER_CLIENT=2)
    app.config.from_mapping(config or {})
    app.extensions["stock"] = {"mug": 5, "tee": 0}
    app.extensions["reservations"] = {}

    @app.get("/items/<sku>")
    def get_item(sku: str):
        stock = current_app.extensions["stock"]
        if sku not in stock:
            abort(404, description=f"no item {sku!r}")
        return {"sku": sku, "stock": stock[sku]}

    @app.post("/items/<sku>/reserve")
    def reserve(sku: str):
        data = request.get_json()  # a body that is not JSON raises BadRequest (400)
        client = str(data.get("client", "anonymous")) if isinstance(data, dict) else "anonymous"
        stock = current_app.extensions["stock"]
        if sku not in stock:
            abort(404, description=f"no item {sku!r}")
        counts = current_app.extensions["reservations"]
        if counts.get(client, 0) >= current_app.config["RESERVATIONS_PER_CLIENT"]:
            raise RateLimited(retry_after=60)
        if stock[sku] == 0:
            raise OutOfStock(sku)
        stock[sku] -= 1
        counts[client] = counts.get(client, 0) + 1
        return {"sku": sku, "stock": stock[sku]}, 201

    # TODO: problem+json handlers for HTTPException (keeping its headers), OutOfStock (409),
    # RateLimited (429 + Retry-After), and a last-resort Exception handler that logs and leaks
    # nothing. This one turns every error, 404s included, into a 500 that leaks the message.
    @app.errorhandler(Exception)
    def any_error(error: Exception):
        return {"error": str(error)}, 500

    return app
