"""Error handlers: every error as RFC 9457 problem details, with the headers it needs."""

from flask import Flask, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

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


def problem(status, title, detail, type_="about:blank", headers=(), **extra):
    response = jsonify({"type": type_, "title": title, "status": status, "detail": detail, **extra})
    response.status_code = status
    response.content_type = PROBLEM
    for name, value in headers:
        response.headers[name] = value
    return response


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

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Keep the headers the exception carries: Allow on a 405, WWW-Authenticate on a 401.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return problem(error.code or 500, error.name, error.description or "", headers=headers)

    @app.errorhandler(OutOfStock)
    def out_of_stock(error: OutOfStock):
        return problem(
            409, "Out of stock", f"{error.sku} is sold out", TYPES + "out-of-stock", sku=error.sku
        )

    @app.errorhandler(RateLimited)
    def rate_limited(error: RateLimited):
        return problem(
            429,
            "Too many reservations",
            f"try again in {error.retry_after} seconds",
            TYPES + "rate-limited",
            headers=[("Retry-After", str(error.retry_after))],
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        # Flask picks the most specific handler, so HTTPExceptions and the domain errors never
        # get here. Log the details for us; tell the client nothing about them.
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Internal Server Error", "an unexpected error occurred")

    return app
