import pytest
from flask import url_for

from flask2_blueprints import create_app

TOKEN = {"X-Admin-Token": "s3cret"}


class Secret(str):
    """A token that refuses `==` and `!=`: they stop at the first differing character, so the
    response time tells an attacker how much of a guess was right (use hmac.compare_digest)."""

    def __eq__(self, other):
        raise AssertionError("the admin token was compared with == (or looked up in a dict/set)")

    def __ne__(self, other):
        raise AssertionError("the admin token was compared with !=")

    __hash__ = str.__hash__


@pytest.fixture
def app():
    return create_app({"ADMIN_TOKEN": "s3cret"})


@pytest.fixture
def client(app):
    return app.test_client()


def test_the_api_lives_under_its_prefix(client):
    r = client.get("/api/v1/books")
    assert r.status_code == 200
    assert r.get_json() == [{"id": 1, "title": "Dune"}]
    assert client.get("/books").status_code == 404, "the blueprint's routes exist only under /api/v1"


def test_endpoints_are_named_after_their_blueprint(app):
    with app.test_request_context():
        assert url_for("api.list_books") == "/api/v1/books"
        assert url_for("api.get_book", book_id=7) == "/api/v1/books/7"
        assert url_for("admin.stats") == "/admin/stats"


def test_a_new_book_is_201_with_its_location(client):
    r = client.post("/api/v1/books", json={"title": "Emma"})
    assert r.status_code == 201
    assert r.headers["Location"] == "/api/v1/books/2", "built with url_for('api.get_book', ...)"
    assert client.get(r.headers["Location"]).get_json() == {"id": 2, "title": "Emma"}


def test_the_admin_guard_covers_the_admin_blueprint_only(client):
    assert client.get("/admin/stats").status_code == 403
    assert client.get("/admin/stats", headers={"X-Admin-Token": "wrong"}).status_code == 403
    assert client.get("/admin/stats", headers={"X-Admin-Token": ""}).status_code == 403
    assert client.get("/admin/stats", headers=TOKEN).get_json() == {"books": 1}
    assert client.get("/api/v1/books").status_code == 200, "the API needs no admin token"
    home = client.get("/")
    assert home.status_code == 200, "neither does the home page"
    assert home.get_data(as_text=True) == "<h1>Bookshop</h1>"


def test_the_guard_runs_before_the_view(client):
    assert client.delete("/admin/books/1").status_code == 403
    assert client.get("/api/v1/books/1").status_code == 200, "a refused request changed nothing"
    assert client.delete("/admin/books/1", headers=TOKEN).status_code == 204
    assert client.get("/api/v1/books/1").status_code == 404
    assert client.delete("/admin/books/1", headers=TOKEN).status_code == 404, "no book 1 any more"
    r = client.post("/api/v1/books", json={"title": "Emma"})
    assert r.get_json() == {"id": 1, "title": "Emma"}, "an empty shop numbers its first book 1"


@pytest.mark.parametrize(
    "kwargs",
    [{"json": {"title": ""}}, {"json": {"title": 5}}, {"json": {"name": "Emma"}}, {"json": ["Emma"]},
     {"data": "title=Emma"}],
    ids=["empty-title", "title-not-a-string", "no-title", "not-an-object", "not-json"],
)
def test_a_new_book_needs_json_with_a_title(client, kwargs):
    r = client.post("/api/v1/books", **kwargs)
    assert r.status_code == 400
    assert r.get_json() == {"error": "send JSON with a title"}
    assert client.get("/api/v1/books").get_json() == [{"id": 1, "title": "Dune"}]


def test_a_wrong_method_on_the_api_stays_405(client):
    assert client.delete("/api/v1/books").status_code == 405, "only 404s become the API's JSON 404"


@pytest.mark.parametrize("path", ["/api/v1/books/99", "/api/v1/nothing-here", "/api/v1"])
def test_api_404s_are_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.is_json, f"{path}: API clients get JSON errors"
    assert r.get_json() == {"error": "not found"}


@pytest.mark.parametrize("path", ["/nothing-here", "/api/v10/books", "/admin/nothing"])
def test_other_404s_stay_html(client, path):
    r = client.get(path, headers=TOKEN)
    assert r.status_code == 404
    assert not r.is_json, f"{path} is not part of the API: the default HTML page"


def test_apps_share_blueprints_not_state():
    one, two = create_app({"ADMIN_TOKEN": "a"}).test_client(), create_app().test_client()
    one.post("/api/v1/books", json={"title": "Emma"})
    assert len(two.get("/api/v1/books").get_json()) == 1


@pytest.mark.parametrize("token", ["", "None", "change-me"])
def test_no_configured_token_means_no_admin(token):
    client = create_app().test_client()
    assert client.get("/admin/stats", headers={"X-Admin-Token": token}).status_code == 403


@pytest.mark.parametrize("sent, code", [("s3cret", 200), ("s3creT", 403), ("s3", 403), ("", 403)])
def test_the_admin_token_is_compared_in_constant_time(sent, code):
    app = create_app({"ADMIN_TOKEN": Secret("s3cret"), "TESTING": True})
    r = app.test_client().get("/admin/stats", headers={"X-Admin-Token": sent})
    assert r.status_code == code
