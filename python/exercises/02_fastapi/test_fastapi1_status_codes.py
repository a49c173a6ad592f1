import pytest
from fastapi.testclient import TestClient

from fastapi1_status_codes import create_app


@pytest.fixture
def client():
    return TestClient(create_app())


def make(client, title, body=""):
    return client.post("/notes", json={"title": title, "body": body})


def test_create_answers_201_with_location_of_the_new_note(client):
    r = make(client, "groceries", "milk")
    assert r.status_code == 201, "a POST that created a resource answers 201 Created"
    note = r.json()
    assert note == {"id": note["id"], "title": "groceries", "body": "milk"}
    assert r.headers.get("location") == f"/notes/{note['id']}", "201 names the new resource in Location"
    again = client.get(r.headers["location"])
    assert again.status_code == 200
    assert again.json() == note


def test_ids_are_never_reused_after_a_delete(client):
    first = make(client, "a").json()["id"]
    second = make(client, "b").json()["id"]
    assert client.delete(f"/notes/{first}").status_code == 204
    third = make(client, "c")
    assert third.status_code == 201
    assert third.json()["id"] not in (first, second)
    assert client.get(f"/notes/{second}").json()["title"] == "b", "the second note is untouched"


def test_deleting_the_newest_note_does_not_free_its_id(client):
    ids = [make(client, title).json()["id"] for title in ("a", "b")]
    assert client.delete(f"/notes/{ids[1]}").status_code == 204
    r = make(client, "c")
    assert r.json()["id"] not in ids, "a client holding the deleted note's URI must never see another note there"
    assert r.json()["id"] > max(ids), "ids only grow: max(ids) + 1 hands out the id of a deleted note again"
    assert client.delete(f"/notes/{r.json()['id']}").status_code == 204
    assert make(client, "d").json()["id"] > r.json()["id"]


def test_missing_note_is_404_with_a_detail(client):
    r = client.get("/notes/41")
    assert r.status_code == 404
    assert r.json() == {"detail": "note 41 not found"}, "an error body says what went wrong"
    assert client.put("/notes/41", json={"title": "x"}).status_code == 404, "PUT here does not create"
    assert client.delete("/notes/41").status_code == 404
    assert client.get("/notes").json() == [], "nothing was created by the failed PUT"


def test_delete_answers_204_with_no_body(client):
    note_id = make(client, "tmp").json()["id"]
    r = client.delete(f"/notes/{note_id}")
    assert r.status_code == 204
    assert r.content == b"", "204 No Content has no body (RFC 9110 §15.3.5)"
    assert client.get(f"/notes/{note_id}").status_code == 404
    assert client.delete(f"/notes/{note_id}").status_code == 404, "a second DELETE finds nothing"
    documented = client.get("/openapi.json").json()["paths"]["/notes/{note_id}"]["delete"]["responses"]
    assert "204" in documented and "200" not in documented, "the OpenAPI document promises 204"


def test_put_to_a_missing_note_is_404_even_with_a_taken_title(client):
    make(client, "taken")
    r = client.put("/notes/99", json={"title": "taken"})
    assert r.status_code == 404, "there is no note 99 to conflict with: look the note up first"
    assert [n["title"] for n in client.get("/notes").json()] == ["taken"]


def test_put_replaces_and_answers_200(client):
    note_id = make(client, "draft", "v1").json()["id"]
    r = client.put(f"/notes/{note_id}", json={"title": "draft", "body": "v2"})
    assert r.status_code == 200, "keeping its own title is no conflict"
    assert r.json() == {"id": note_id, "title": "draft", "body": "v2"}
    r = client.put(f"/notes/{note_id}", json={"title": "final"})
    assert r.json() == {"id": note_id, "title": "final", "body": ""}, "PUT replaces the whole note"
    assert client.get(f"/notes/{note_id}").json() == r.json(), "and the replacement is stored"


def test_duplicate_title_is_409_conflict(client):
    make(client, "todo")
    other = make(client, "other").json()["id"]
    r = make(client, "todo")
    assert r.status_code == 409
    assert r.json() == {"detail": "a note titled 'todo' already exists"}, "the body says what conflicts"
    assert "location" not in r.headers
    assert len(client.get("/notes").json()) == 2, "the conflicting note was not stored"
    r = client.put(f"/notes/{other}", json={"title": "todo"})
    assert r.status_code == 409
    assert client.get(f"/notes/{other}").json()["title"] == "other"


@pytest.mark.parametrize("payload", [{}, {"title": ""}, {"title": "x" * 101}, {"title": 5}, {"body": "no title"}])
def test_invalid_body_is_422(client, payload):
    r = client.post("/notes", json=payload)
    assert r.status_code == 422, "FastAPI answers invalid content with 422 (RFC 9110 §15.5.21)"
    assert client.get("/notes").json() == []


@pytest.mark.parametrize("length, code", [(100, 201), (101, 422)])
def test_a_title_is_at_most_100_characters(client, length, code):
    r = make(client, "x" * length)
    assert r.status_code == code, f"a {length}-character title: the limit is 100, inclusive"


def test_each_app_has_its_own_notes():
    one, two = TestClient(create_app()), TestClient(create_app())
    make(one, "only in one")
    assert two.get("/notes").json() == [], "state is per app, not per module"
    assert make(two, "only in one").status_code == 201


def test_each_app_counts_its_own_ids():
    one, two = TestClient(create_app()), TestClient(create_app())
    for title in ("a", "b", "c"):
        make(one, title)
    r = make(two, "first of two")
    assert r.json()["id"] == 1, "the id counter is state too: every app's first note is 1"
    assert r.headers["location"] == "/notes/1"
    assert make(one, "d").json()["id"] == 4
