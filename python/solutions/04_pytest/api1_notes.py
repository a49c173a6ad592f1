"""API tests with FastAPI's TestClient: status codes, headers and bodies (reference solution)."""

import pytest
from fastapi.testclient import TestClient

TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
ALICE = {"Authorization": "Bearer tok-alice"}
BOB = {"Authorization": "Bearer tok-bob"}


@pytest.fixture
def client(notes_api):
    with TestClient(notes_api.create_app(TOKENS)) as client:
        yield client


def create(client, title="groceries", body="milk", headers=ALICE):
    response = client.post("/notes", json={"title": title, "body": body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_answers_201_with_location_and_the_note(client):
    response = client.post("/notes", json={"title": "groceries", "body": "milk"}, headers=ALICE)
    assert response.status_code == 201
    assert response.headers["location"] == "/notes/1"
    assert response.json() == {"id": 1, "title": "groceries", "body": "milk", "owner": "alice"}
    assert client.get(response.headers["location"], headers=ALICE).json() == response.json()


def test_body_defaults_to_empty(client):
    response = client.post("/notes", json={"title": "t"}, headers=ALICE)
    assert response.status_code == 201 and response.json()["body"] == ""


@pytest.mark.parametrize(
    "payload",
    [{}, {"title": ""}, {"title": "x" * 101}, {"title": "t", "body": "b" * 10001},
     {"title": "t", "owner": "bob"}, {"title": 5}],
)
def test_invalid_bodies_are_422_and_create_nothing(client, payload):
    response = client.post("/notes", json=payload, headers=ALICE)
    assert response.status_code == 422
    listing = client.get("/notes", headers=ALICE)
    assert listing.json() == [] and listing.headers["x-total-count"] == "0"


def test_title_limits_are_inclusive(client):
    assert client.post("/notes", json={"title": "x" * 100, "body": "b" * 10000}, headers=ALICE).status_code == 201
    assert client.post("/notes", json={"title": "x"}, headers=ALICE).status_code == 201


def test_someone_elses_note_is_404_like_a_missing_one(client):
    note = create(client)
    other = client.get(f"/notes/{note['id']}", headers=BOB)
    missing = client.get("/notes/999", headers=BOB)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert client.get(f"/notes/{note['id']}", headers=ALICE).status_code == 200


def test_listing_shows_only_my_notes_with_the_total(client):
    create(client, "a1")
    create(client, "b1", headers=BOB)
    create(client, "a2")
    response = client.get("/notes", headers=ALICE)
    assert response.status_code == 200
    assert [n["title"] for n in response.json()] == ["a1", "a2"]
    assert response.headers["x-total-count"] == "2"


def test_pagination(client):
    for i in range(1, 8):
        create(client, f"n{i}")
    page = client.get("/notes", params={"limit": 3, "offset": 3}, headers=ALICE)
    assert [n["title"] for n in page.json()] == ["n4", "n5", "n6"]
    assert page.headers["x-total-count"] == "7"
    last = client.get("/notes", params={"limit": 3, "offset": 6}, headers=ALICE)
    assert [n["title"] for n in last.json()] == ["n7"]
    assert client.get("/notes", params={"offset": 7}, headers=ALICE).json() == []
    assert len(client.get("/notes", headers=ALICE).json()) == 7


def test_default_limit_is_20(client):
    for i in range(21):
        create(client, f"n{i}")
    response = client.get("/notes", headers=ALICE)
    assert len(response.json()) == 20 and response.headers["x-total-count"] == "21"


@pytest.mark.parametrize("params, status", [
    ({"limit": 0}, 422), ({"limit": 51}, 422), ({"offset": -1}, 422), ({"limit": "ten"}, 422),
    ({"limit": 1}, 200), ({"limit": 50}, 200), ({"offset": 0}, 200),
])
def test_pagination_parameters_are_validated(client, params, status):
    assert client.get("/notes", params=params, headers=ALICE).status_code == status


def test_delete_is_204_with_an_empty_body_then_404(client):
    note = create(client)
    response = client.delete(f"/notes/{note['id']}", headers=ALICE)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/notes/{note['id']}", headers=ALICE).status_code == 404
    assert client.delete(f"/notes/{note['id']}", headers=ALICE).status_code == 404


def test_nobody_deletes_someone_elses_note(client):
    note = create(client)
    assert client.delete(f"/notes/{note['id']}", headers=BOB).status_code == 404
    assert client.get(f"/notes/{note['id']}", headers=ALICE).status_code == 200


@pytest.mark.parametrize("method, path", [("get", "/notes"), ("post", "/notes"), ("get", "/notes/1"), ("delete", "/notes/1")])
def test_no_credentials_is_401_with_a_bearer_challenge(client, method, path):
    for headers in [{}, {"Authorization": "tok-alice"}, {"Authorization": "Basic dG9rLWFsaWNl"}, {"Authorization": "Bearer "}]:
        response = client.request(method, path, headers=headers, json={"title": "t"})
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_token_is_401_invalid_token(client):
    response = client.get("/notes", headers={"Authorization": "Bearer tok-mallory"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_the_scheme_is_case_insensitive(client):
    assert client.get("/notes", headers={"Authorization": "bearer tok-alice"}).status_code == 200


def test_every_app_starts_empty(notes_api):
    first = TestClient(notes_api.create_app(TOKENS))
    create(first)
    second = TestClient(notes_api.create_app(TOKENS))
    assert second.get("/notes", headers=ALICE).json() == []
    assert create(second)["id"] == 1
