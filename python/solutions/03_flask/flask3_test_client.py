"""Tests of the bookshop API with Flask's test client (a reference suite)."""

import pytest


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def logged_in(client):
    r = client.post("/login", json={"user": "ada", "password": "lovelace"})
    assert r.status_code == 204
    return client


def titles(response):
    return [book["title"] for book in response.get_json()]


def test_list_books(client):
    r = client.get("/books")
    assert r.status_code == 200
    assert titles(r) == ["Dune", "Emma", "Persuasion"]


def test_filter_by_author_ignores_case(client):
    assert titles(client.get("/books?author=AUSTEN")) == ["Emma", "Persuasion"]
    assert titles(client.get("/books?author=tolkien")) == []


def test_get_one_book_and_a_missing_one(client):
    r = client.get("/books/1")
    assert r.status_code == 200
    assert r.get_json() == {"id": 1, "title": "Dune", "author": "Frank Herbert"}
    assert client.get("/books/99").status_code == 404


@pytest.mark.parametrize(
    "credentials",
    [{"user": "ada", "password": "wrong"}, {"user": "bob", "password": "lovelace"}, {"user": "ada"}],
)
def test_bad_logins_are_401_and_grant_nothing(client, credentials):
    assert client.post("/login", json=credentials).status_code == 401
    with client.session_transaction() as session:
        assert "user" not in session
    assert client.post("/books", json={"title": "T", "author": "A"}).status_code == 401


def test_writes_need_a_login(client):
    assert client.post("/books", json={"title": "T", "author": "A"}).status_code == 401
    assert client.delete("/books/1").status_code == 401
    assert len(client.get("/books").get_json()) == 3


def test_create_a_book(logged_in):
    r = logged_in.post("/books", json={"title": "Ubik", "author": "Philip K. Dick"})
    assert r.status_code == 201
    assert r.get_json() == {"id": 4, "title": "Ubik", "author": "Philip K. Dick"}
    assert r.headers["Location"] == "/books/4"
    assert logged_in.get(r.headers["Location"]).get_json() == r.get_json()


@pytest.mark.parametrize(
    "body",
    [{"author": "A"}, {"title": "", "author": "A"}, {"title": "  ", "author": "A"}, {"title": "T"}, ["T", "A"]],
)
def test_a_bad_body_is_400_and_stores_nothing(logged_in, body):
    assert logged_in.post("/books", json=body).status_code == 400
    assert len(logged_in.get("/books").get_json()) == 3


def test_delete_a_book(logged_in):
    r = logged_in.delete("/books/2")
    assert r.status_code == 204
    assert r.data == b""
    assert logged_in.get("/books/2").status_code == 404
    assert logged_in.delete("/books/2").status_code == 404
    assert titles(logged_in.get("/books")) == ["Dune", "Persuasion"]
