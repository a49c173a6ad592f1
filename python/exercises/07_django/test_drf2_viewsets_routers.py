import base64

import pytest

import djangosite

djangosite.setup(urls="drf2_viewsets_routers")

from django.contrib.auth.models import User  # noqa: E402
from django.urls import reverse  # noqa: E402
from djangosite import Queries, db  # noqa: E402,F401 - `db` is a fixture
from rest_framework.test import APIClient  # noqa: E402

from drf2_viewsets_routers import Note  # noqa: E402

PASSWORD = "correct horse battery"


def client_for(username, password=PASSWORD):
    client = APIClient()
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


@pytest.fixture
def notes(db):
    alice = User.objects.create_user("alice", password=PASSWORD)
    bob = User.objects.create_user("bob", password=PASSWORD)
    return {
        "a1": Note.objects.create(owner=alice, title="groceries"),
        "b1": Note.objects.create(owner=bob, title="bob's secret"),
        "a2": Note.objects.create(owner=alice, title="old plan", archived=True),
        "a3": Note.objects.create(owner=alice, title="ideas", body="many"),
    }


def as_json(note, **changes):
    data = {"id": note.pk, "owner": note.owner.username, "title": note.title,
            "body": note.body, "archived": note.archived}
    data.update(changes)
    return data


def test_the_router_names_the_routes():
    assert reverse("note-list") == "/api/notes/"
    assert reverse("note-detail", args=[7]) == "/api/notes/7/"
    assert reverse("note-archive", args=[7]) == "/api/notes/7/archive/"
    assert reverse("note-stats") == "/api/notes/stats/"


def test_the_api_root_lists_the_resources(notes):
    response = client_for("alice").get("/api/")
    assert response.status_code == 200
    assert response.json() == {"notes": "http://testserver/api/notes/"}


def test_the_list_has_only_the_user_s_current_notes(notes):
    response = client_for("alice").get("/api/notes/")
    assert response.status_code == 200
    assert response.json() == [as_json(notes["a1"]), as_json(notes["a3"])]
    assert client_for("bob").get("/api/notes/").json() == [as_json(notes["b1"])]


def test_archived_notes_are_listed_on_request(notes):
    assert client_for("alice").get("/api/notes/", {"archived": "true"}).json() == [
        as_json(notes["a2"])
    ]


@pytest.mark.parametrize("value", ["false", "0", "no", ""])
def test_only_archived_true_lists_the_archived_notes(notes, value):
    client = client_for("alice")
    assert client.get("/api/notes/", {"archived": value}).json() == client.get("/api/notes/").json(), (
        f"?archived={value} is not ?archived=true: the current notes, as without the parameter"
    )


def test_an_archived_note_can_still_be_read(notes):
    response = client_for("alice").get(f"/api/notes/{notes['a2'].pk}/")
    assert response.status_code == 200 and response.json() == as_json(notes["a2"])


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_user_s_note_does_not_exist(notes, method):
    other = notes["b1"]
    client = client_for("alice")
    response = getattr(client, method)(f"/api/notes/{other.pk}/", {"title": "mine now"}, format="json")
    missing = getattr(client, method)("/api/notes/999/", {"title": "x"}, format="json")
    assert response.status_code == 404 and missing.status_code == 404
    assert response.json() == missing.json(), "someone else's note looks exactly like no note"
    other.refresh_from_db()
    assert other.title == "bob's secret"


def test_create_sets_the_owner_from_the_request(notes):
    response = client_for("bob").post(
        "/api/notes/", {"title": "todo", "owner": "alice", "archived": True}, format="json"
    )
    assert response.status_code == 201
    note = Note.objects.get(title="todo")
    assert response.json() == as_json(note)
    assert note.owner.username == "bob" and not note.archived


def test_update_and_partial_update(notes):
    client = client_for("alice")
    note = notes["a3"]
    response = client.put(f"/api/notes/{note.pk}/", {"title": "plans"}, format="json")
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.title, note.body) == ("plans", "many")
    response = client.patch(f"/api/notes/{note.pk}/", {"body": "fewer", "owner": "bob"}, format="json")
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.title, note.body, note.owner.username) == ("plans", "fewer", "alice")
    assert client.delete(f"/api/notes/{note.pk}/").status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


def test_the_archive_action(notes):
    client = client_for("alice")
    note = notes["a1"]
    response = client.post(f"/api/notes/{note.pk}/archive/")
    assert response.status_code == 200
    assert response.json() == as_json(note, archived=True)
    note.refresh_from_db()
    assert note.archived
    assert [n["id"] for n in client.get("/api/notes/").json()] == [notes["a3"].pk]


def test_the_archive_action_is_post_only_and_per_user(notes):
    client = client_for("alice")
    response = client.get(f"/api/notes/{notes['a1'].pk}/archive/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert client.post(f"/api/notes/{notes['b1'].pk}/archive/").status_code == 404
    notes["b1"].refresh_from_db()
    assert not notes["b1"].archived


def test_the_stats_action_counts_the_user_s_notes(notes):
    response = client_for("alice").get("/api/notes/stats/")
    assert response.status_code == 200
    assert response.json() == {"total": 3, "archived": 1}
    assert client_for("bob").get("/api/notes/stats/").json() == {"total": 1, "archived": 0}


@pytest.mark.parametrize("url", ["/api/notes/", "/api/notes/stats/", "/api/notes/1/"])
def test_anonymous_requests_are_challenged(notes, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_a_wrong_password_is_401(notes):
    response = client_for("alice", "wrong horse battery").get("/api/notes/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_takes_a_fixed_number_of_queries(notes, count):
    alice = User.objects.get(username="alice")
    Note.objects.bulk_create(Note(owner=alice, title=f"n{n}") for n in range(count))
    client = client_for("alice")
    with Queries() as q:
        response = client.get("/api/notes/")
    assert len(response.json()) == count + 2
    assert q.count == 2, f"the user, then the notes joined to their owner:\n{q.report()}"
