"""The test client: write the tests of the bookshop API (bookshop.py) yourself.

This time the code under test is finished and the tests are yours. The course runs the tests in
this file twice over: against the real bookshop (they must all pass) and against bookshops that
each hide one bug (for every bug, at least one of your tests must fail). The bugs are the
classic ones: a wrong status code, a missing or wrong header, a check that is missing, a body
where there should be none, a filter that is subtly off. Read bookshop.py's docstring: it is
the specification.

Flask's test client (https://flask.palletsprojects.com/en/stable/testing/) sends requests to
the app in-process, without a server or a network:

    client = app.test_client()
    r = client.post("/books", json={...})        # json= sets the body and the Content-Type
    r.status_code, r.headers["Location"], r.get_json(), r.data
    client.get("/books?author=austen")            # or client.get("/books", query_string={...})

The client keeps cookies between requests, like a browser: log in once and the session cookie
goes along with every later request of that client. To look inside the session:

    with client.session_transaction() as session:
        assert "user" not in session

The fixture `app` is provided for you (a fresh bookshop per test, like a conftest.py would).
Build your own fixtures on top of it: `client`, `logged_in`. Use `@pytest.mark.parametrize`
for the many bad inputs of one rule.

Assert the status code AND what a client relies on: headers, the exact body, and that a
refused request changed nothing. Think of what each rule's wrong implementations would do.
Write at least 8 tests.
"""

import pytest


@pytest.fixture
def client(app):
    return app.test_client()


def test_list_books(client):
    r = client.get("/books")
    assert r.status_code == 200


# TODO: logging in (and what a wrong user, a wrong password, a missing password must not grant),
# filtering by author, one book and a missing one, creating a book (status, body, Location),
# the bad bodies, the writes that need a login, deleting (status, body, what happens next).
