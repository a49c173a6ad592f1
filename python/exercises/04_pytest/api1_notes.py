"""Testing an HTTP API: status codes AND headers AND bodies, through FastAPI's TestClient.

`notes_api.py` (the course hands it to your tests as the fixture `notes_api`) builds a small notes
API; its docstring is the specification. `TestClient` (https://fastapi.tiangolo.com/tutorial/testing/)
sends requests to the app in-process: no server, no network, no ports.

    @pytest.fixture
    def client(notes_api):
        with TestClient(notes_api.create_app(TOKENS)) as client:   # a NEW app per test
            yield client

    def test_create(client):
        response = client.post("/notes", json={"title": "t"}, headers=ALICE)
        assert response.status_code == 201
        assert response.headers["location"] == "/notes/1"
        assert response.json() == {...}

An API's contract is more than its JSON: a 200 where the spec says 201, a missing `Location`,
a 403 that leaks that an id exists, a 401 without `WWW-Authenticate`, a 204 with a body, a page
that is off by one, an `X-Total-Count` that counts the page: each is a bug a client will hit,
and each is a planted bug your suite must catch. Check the status code, the headers that matter
and the exact body, and check what must NOT have happened (nothing created after a 422, the note
still there after someone else's DELETE).

Header names are case-insensitive (RFC 9110 section 5.1): `response.headers["location"]` works.
The course runs your suite against the real API (at least 20 tests) and against planted bugs.
"""

import pytest
from fastapi.testclient import TestClient

TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
ALICE = {"Authorization": "Bearer tok-alice"}
BOB = {"Authorization": "Bearer tok-bob"}


@pytest.fixture
def client(notes_api):
    with TestClient(notes_api.create_app(TOKENS)) as client:
        yield client


def test_create(client):
    response = client.post("/notes", json={"title": "groceries"}, headers=ALICE)
    assert response.status_code < 300  # TODO: exactly; the Location header; the body


# TODO: 422s, 404 for other users' notes, listing and pagination, DELETE, 401 and its challenge.
