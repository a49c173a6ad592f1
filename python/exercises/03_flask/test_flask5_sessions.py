from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
import werkzeug.security
from werkzeug.security import generate_password_hash

import flask5_sessions
from flask5_sessions import create_app

USERS = {"ada": generate_password_hash("lovelace", method="pbkdf2:sha256:1000")}
CONFIG = {"SECRET_KEY": "test-secret", "USERS": USERS}


@pytest.fixture
def client():
    return create_app(CONFIG).test_client()


def login(client, user="ada", password="lovelace"):
    return client.post("/login", json={"user": user, "password": password})


def session_cookie(response):
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert headers, "the response sets the session cookie"
    name_value, *attributes = [part.strip() for part in headers[-1].split(";")]
    attrs = {}
    for attribute in attributes:
        key, _, value = attribute.partition("=")
        attrs[key.lower()] = value
    return name_value, attrs


def test_login_sets_a_hardened_cookie(client):
    r = login(client)
    assert r.status_code == 204
    assert r.data == b"", "204 No Content has no body"
    _, attrs = session_cookie(r)
    assert "httponly" in attrs, "HttpOnly: page scripts cannot read the session"
    assert "secure" in attrs, "Secure: never sent over plain http"
    assert attrs.get("samesite") == "Lax", "SameSite=Lax: not sent on cross-site POSTs (CSRF)"
    assert attrs.get("path") == "/"


def test_the_session_lasts_eight_hours(client):
    _, attrs = session_cookie(login(client))
    assert "expires" in attrs, "a permanent session: the cookie outlives the browser window"
    expires = parsedate_to_datetime(attrs["expires"])
    expected = datetime.now(timezone.utc) + timedelta(hours=8)
    assert abs(expires - expected) < timedelta(minutes=5), f"expires {expires}, not in 8 hours"


def test_me_needs_a_login(client):
    anonymous = client.get("/me")
    assert anonymous.status_code == 401
    assert anonymous.get_json() == {"error": "not logged in"}
    login(client)
    r = client.get("/me")
    assert r.status_code == 200
    assert r.get_json() == {"user": "ada"}


@pytest.mark.parametrize(
    "user,password", [("ada", "wrong"), ("bob", "lovelace"), ("ada", ""), ("", "")]
)
def test_a_failed_login_grants_nothing_and_tells_nothing(client, user, password):
    r = login(client, user, password)
    assert r.status_code == 401
    assert r.get_json() == {"error": "wrong user or password"}, (
        "the same answer for an unknown user and a wrong password: no user enumeration"
    )
    assert client.get("/me").status_code == 401


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts the calls of check_password_hash, however the module imported it."""
    real = werkzeug.security.check_password_hash
    calls = []

    def counting(pwhash, password):
        calls.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(werkzeug.security, "check_password_hash", counting)
    monkeypatch.setattr(flask5_sessions, "check_password_hash", counting, raising=False)
    return calls


@pytest.mark.parametrize(
    "user,password,code", [("ada", "lovelace", 204), ("ada", "wrong", 401), ("bob", "lovelace", 401)]
)
def test_every_login_costs_one_hash_check(client, hash_checks, user, password, code):
    assert login(client, user, password).status_code == code
    assert hash_checks == [password], (
        "an unknown user is checked against a dummy hash: otherwise it answers faster than a "
        "wrong password, and the time tells which accounts exist"
    )


@pytest.mark.parametrize(
    "body",
    [{"user": "ada", "password": 123}, {"user": "ada", "password": None}, {"user": "ada", "password": ["lovelace"]},
     {"user": 7, "password": "lovelace"}, ["ada", "lovelace"], "ada:lovelace"],
)
def test_a_login_body_of_the_wrong_types_is_the_usual_401(client, body):
    r = client.post("/login", json=body)
    assert r.status_code == 401, "not a 500: a password that is no string is a failed login"
    assert r.get_json() == {"error": "wrong user or password"}
    assert client.get("/me").status_code == 401


def test_the_session_holds_no_secret(client):
    client.post("/cart", json={"item": "mug"})
    login(client)
    with client.session_transaction() as session:
        assert set(session) <= {"user", "cart", "_permanent"}, (
            f"the session cookie is signed, not encrypted: anyone can read {sorted(session)}"
        )
        assert USERS["ada"] not in str(dict(session)), "not even the password's hash"


def test_login_starts_a_new_session_but_keeps_the_cart(client):
    client.post("/cart", json={"item": "mug"})
    with client.session_transaction() as session:
        session["is_admin"] = True  # planted before login (session fixation)
    login(client)
    with client.session_transaction() as session:
        assert "is_admin" not in session, "login clears what was in the session before"
        assert session["user"] == "ada"
        assert "password" not in session and "lovelace" not in str(dict(session))
    assert client.get("/cart").get_json() == {"items": ["mug"]}, "the cart is carried over"


def test_the_cart_remembers_every_item(client):
    assert client.post("/cart", json={"item": "mug"}).status_code == 201
    r = client.post("/cart", json={"item": "tee"})
    assert r.get_json() == {"items": ["mug", "tee"]}
    assert client.get("/cart").get_json() == {"items": ["mug", "tee"]}, (
        "appending to a list inside the session is a change Flask does not see: mark it modified"
    )


def test_a_login_that_is_not_json_is_the_usual_401(client):
    r = client.post("/login", data="user=ada&password=lovelace")
    assert r.status_code == 401, "a form body is no JSON login: 401, not 400 or 415"
    assert r.get_json() == {"error": "wrong user or password"}


def test_without_users_configured_nobody_logs_in():
    client = create_app({"SECRET_KEY": "test-secret"}).test_client()
    r = login(client)
    assert r.status_code == 401, "no USERS: nobody can log in (not a 500)"


def test_the_app_refuses_to_start_without_a_secret_key():
    for config in (None, {}, {"SECRET_KEY": ""}):
        with pytest.raises(RuntimeError, match="^SECRET_KEY is not set$"):
            create_app(config)


@pytest.mark.parametrize(
    "kwargs",
    [{"json": {"item": 5}}, {"json": {"name": "mug"}}, {"json": ["mug"]}, {"data": "item=mug"}],
    ids=["item-not-a-string", "no-item", "not-an-object", "not-json"],
)
def test_a_cart_item_must_be_json_with_an_item(client, kwargs):
    client.post("/cart", json={"item": "mug"})
    r = client.post("/cart", **kwargs)
    assert r.status_code == 400
    assert r.get_json() == {"error": "send JSON with an item"}
    assert client.get("/cart").get_json() == {"items": ["mug"]}


def test_a_cookie_signed_with_another_key_is_ignored():
    other = create_app({**CONFIG, "SECRET_KEY": "someone-else"}).test_client()
    name_value, _ = session_cookie(login(other))
    client = create_app(CONFIG).test_client()
    client.set_cookie("session", name_value.partition("=")[2])
    assert client.get("/me").status_code == 401, "the signature does not verify: anonymous"


def test_logout_clears_the_session(client):
    client.post("/cart", json={"item": "mug"})
    login(client)
    r = client.post("/logout")
    assert r.status_code == 204
    assert r.data == b""
    _, attrs = session_cookie(r)
    assert parsedate_to_datetime(attrs["expires"]) < datetime.now(timezone.utc), "the cookie is deleted"
    assert client.get("/me").status_code == 401
    assert client.get("/cart").get_json() == {"items": []}
