import logging

import pytest
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from flask4_error_handlers import OutOfStock, create_app

PROBLEM = "application/problem+json"


@pytest.fixture
def app():
    app = create_app()

    def crash():
        raise RuntimeError("connection to db://admin:hunter2@db failed")

    def key_error():
        return {"x": {}["missing"]}

    def needs_auth():
        raise Unauthorized(www_authenticate=WWWAuthenticate("bearer", {"realm": "shop"}))

    app.add_url_rule("/crash", view_func=crash)
    app.add_url_rule("/key-error", view_func=key_error)
    app.add_url_rule("/private", view_func=needs_auth)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def problem_of(r, status):
    assert r.status_code == status
    assert r.mimetype == PROBLEM, f"errors are {PROBLEM} (RFC 9457 §3), got {r.mimetype}"
    body = r.get_json(force=True)
    assert body["status"] == status, "the body's status repeats the response's status code"
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body.get("detail"), str)
    return body


def test_an_abort_404_is_a_problem(client):
    body = problem_of(client.get("/items/lamp"), 404)
    assert body["type"] == "about:blank", "an HTTP error without more semantics is about:blank"
    assert body["title"] == "Not Found"
    assert "lamp" in body["detail"]
    assert body["detail"] == "no item 'lamp'"


def test_an_item_is_its_sku_and_stock(client):
    assert client.get("/items/mug").get_json() == {"sku": "mug", "stock": 5}


def test_reserving_an_unknown_item_is_a_404_problem(client):
    body = problem_of(client.post("/items/lamp/reserve", json={"client": "ada"}), 404)
    assert body == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no item 'lamp'"}


def test_an_unknown_url_is_a_problem(client):
    problem_of(client.get("/no/such/page"), 404)


def test_a_405_keeps_its_allow_header(client):
    r = client.delete("/items/mug")
    problem_of(r, 405)
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
    assert "GET" in allow, "a 405 must list the allowed methods in Allow (RFC 9110 §15.5.6)"


def test_a_401_keeps_its_challenge(client):
    r = client.get("/private")
    problem_of(r, 401)
    assert r.headers.get("WWW-Authenticate") == "Bearer realm=shop", "a 401 keeps its challenge"


def test_invalid_json_is_a_400_problem(client):
    r = client.post("/items/mug/reserve", data="{not json", content_type="application/json")
    problem_of(r, 400)


def test_a_reservation_works(client):
    r = client.post("/items/mug/reserve", json={"client": "ada"})
    assert r.status_code == 201
    assert r.get_json() == {"sku": "mug", "stock": 4}


def test_out_of_stock_is_a_typed_409(client):
    body = problem_of(client.post("/items/tee/reserve", json={"client": "ada"}), 409)
    assert body["type"] == "https://shop.example/problems/out-of-stock"
    assert body["title"] == "Out of stock"
    assert body["sku"] == "tee", "extension members carry the specifics (RFC 9457 §3.2)"


def test_too_many_reservations_is_429_with_retry_after(client):
    for _ in range(2):
        assert client.post("/items/mug/reserve", json={"client": "bob"}).status_code == 201
    r = client.post("/items/mug/reserve", json={"client": "bob"})
    body = problem_of(r, 429)
    assert body["type"] == "https://shop.example/problems/rate-limited"
    assert body["title"] == "Too many reservations"
    assert r.headers.get("Retry-After") == "60", "a 429 says when to come back (RFC 6585 §4)"
    assert client.get("/items/mug").get_json()["stock"] == 3
    assert client.post("/items/mug/reserve", json={"client": "eve"}).status_code == 201


@pytest.mark.parametrize("path", ["/crash", "/key-error"])
def test_a_bug_is_a_500_that_reveals_nothing(client, path, caplog):
    with caplog.at_level(logging.ERROR):
        r = client.get(path)
    body = problem_of(r, 500)
    text = r.get_data(as_text=True)
    for secret in ("hunter2", "RuntimeError", "KeyError", "missing", "Traceback"):
        assert secret not in text, f"the 500 response leaks {secret!r}"
    logged = [rec for rec in caplog.records if rec.levelno >= logging.ERROR and rec.exc_info]
    assert logged, "the exception is logged with its traceback (logger.exception) for us"
    assert logged[0].getMessage() == f"unhandled error on GET {path}"
    assert body == {
        "type": "about:blank", "title": "Internal Server Error", "status": 500,
        "detail": "an unexpected error occurred",
    }


def test_domain_errors_are_not_swallowed_as_500(app):
    def sold_out():
        raise OutOfStock("cap")

    app.add_url_rule("/sold-out", view_func=sold_out)
    body = problem_of(app.test_client().get("/sold-out"), 409)
    assert body["sku"] == "cap"


def test_the_config_sets_the_reservations_per_client():
    client = create_app({"RESERVATIONS_PER_CLIENT": 1}).test_client()
    assert client.post("/items/mug/reserve", json={"client": "bob"}).status_code == 201
    assert client.post("/items/mug/reserve", json={"client": "bob"}).status_code == 429
    none_allowed = create_app({"RESERVATIONS_PER_CLIENT": 0}).test_client()
    assert none_allowed.post("/items/mug/reserve", json={"client": "bob"}).status_code == 429


def test_requests_without_a_client_share_the_anonymous_allowance():
    client = create_app({"RESERVATIONS_PER_CLIENT": 1}).test_client()
    assert client.post("/items/mug/reserve", json={}).status_code == 201
    assert client.post("/items/mug/reserve", json=["not", "an", "object"]).status_code == 429
    assert client.post("/items/mug/reserve", json={"client": "anonymous"}).status_code == 429
    other = create_app({"RESERVATIONS_PER_CLIENT": 1}).test_client()
    assert other.post("/items/mug/reserve", json=["not", "an", "object"]).status_code == 201
    assert other.post("/items/mug/reserve", json={}).status_code == 429
