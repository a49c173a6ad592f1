from types import SimpleNamespace

import pytest

import djangosite

djangosite.setup(urls="drf3_object_permissions")

from django.contrib.auth.models import AnonymousUser, User  # noqa: E402
from djangosite import Queries, db  # noqa: E402,F401 - `db` is a fixture
from rest_framework.test import APIClient  # noqa: E402

from drf3_object_permissions import Document, DocumentPermission  # noqa: E402

URL = "/api/documents/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world(db):
    alice, bob, carol, dave = (User.objects.create_user(n) for n in ("alice", "bob", "carol", "dave"))
    d = {
        "alice-private": Document.objects.create(owner=alice, title="diary"),
        "bob-private": Document.objects.create(owner=bob, title="bob's diary"),
        "bob-public": Document.objects.create(owner=bob, title="bob's blog", visibility="public"),
        "carol-shared": Document.objects.create(owner=carol, title="carol's plan", visibility="shared"),
        "carol-public": Document.objects.create(owner=carol, title="carol's blog", visibility="public"),
        "dave-stale": Document.objects.create(owner=dave, title="was shared", visibility="private"),
    }
    d["carol-shared"].shared_with.add(alice, bob)
    d["carol-public"].shared_with.add(alice, bob, dave)
    # Shared with alice once, then made private: the list of names stays, the sharing stops.
    d["dave-stale"].shared_with.add(alice)
    # Checked before every test: with duplicates in the queryset, every request for one of those
    # documents fails in get_object() (MultipleObjectsReturned) with a long traceback.
    duplicated(client_for(alice))
    return SimpleNamespace(alice=alice, bob=bob, carol=carol, dave=dave, docs=d)


def duplicated(client):
    response = client.get(URL)
    listed = response.json() if response.status_code == 200 else []
    listed = [doc.get("id") for doc in listed if isinstance(doc, dict)] if isinstance(listed, list) else []
    twice = sorted({pk for pk in listed if listed.count(pk) > 1})
    assert not twice, (
        f"documents {twice} are listed more than once: each row of the joined sharing list that "
        "matches is a row of the result; add .distinct() to get_queryset() (otherwise get_object() "
        "raises MultipleObjectsReturned for them)"
    )


def ids(response):
    assert response.status_code == 200, response.status_code
    return [doc["id"] for doc in response.json()]


def pks(world, *names):
    return [world.docs[n].pk for n in names]


def test_the_list_has_what_the_user_may_read_once_each(world):
    for user in (world.alice, world.bob, world.carol, world.dave):
        duplicated(client_for(user))
    assert ids(client_for(world.alice).get(URL)) == pks(
        world, "alice-private", "bob-public", "carol-shared", "carol-public"
    )
    assert ids(client_for(world.dave).get(URL)) == pks(world, "bob-public", "carol-public", "dave-stale")


def test_anonymous_users_see_public_documents_only(world):
    assert ids(client_for().get(URL)) == pks(world, "bob-public", "carol-public")
    private = world.docs["bob-private"]
    assert client_for().get(f"{URL}{private.pk}/").status_code == 404


def test_the_list_takes_the_same_queries_for_more_documents(world):
    client = client_for(world.alice)
    with Queries() as few:
        client.get(URL)
    for n in range(10):
        Document.objects.create(owner=world.bob, title=f"post {n}", visibility="public")
    with Queries() as many:
        assert len(ids(client.get(URL))) == 14
    assert many.count == few.count, many.report()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_document_you_cannot_see_is_404(world, method):
    doc = world.docs["bob-private"]
    client = client_for(world.alice)
    response = getattr(client, method)(f"{URL}{doc.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 404, "do not confirm that someone's private document exists"
    stale = world.docs["dave-stale"]
    assert getattr(client, method)(f"{URL}{stale.pk}/", {"title": "x"}, format="json").status_code == 404
    doc.refresh_from_db()
    assert doc.title == "bob's diary" and Document.objects.filter(pk=stale.pk).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_document_you_can_read_but_not_change_is_403(world, method):
    doc = world.docs["bob-public"]
    response = getattr(client_for(world.alice), method)(
        f"{URL}{doc.pk}/", {"title": "mine", "visibility": "public"}, format="json"
    )
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.title == "bob's blog"


def test_a_collaborator_may_edit_a_shared_document_but_not_delete_it(world):
    doc = world.docs["carol-shared"]
    client = client_for(world.alice)
    response = client.patch(f"{URL}{doc.pk}/", {"title": "our plan"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": doc.pk, "owner": "carol", "title": "our plan", "visibility": "shared"}
    assert client.delete(f"{URL}{doc.pk}/").status_code == 403
    assert Document.objects.filter(pk=doc.pk).exists()


def test_sharing_a_public_document_does_not_make_its_readers_editors(world):
    doc = world.docs["carol-public"]
    response = client_for(world.dave).patch(f"{URL}{doc.pk}/", {"title": "defaced"}, format="json")
    assert response.status_code == 403


def test_the_owner_may_change_and_delete(world):
    doc = world.docs["bob-public"]
    client = client_for(world.bob)
    assert client.patch(f"{URL}{doc.pk}/", {"visibility": "private"}, format="json").status_code == 200
    assert client_for(world.alice).get(f"{URL}{doc.pk}/").status_code == 404
    assert client.delete(f"{URL}{doc.pk}/").status_code == 204


def test_only_the_owner_may_share(world):
    doc = world.docs["carol-shared"]
    response = client_for(world.carol).post(f"{URL}{doc.pk}/share/", {"username": "dave"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"shared_with": ["alice", "bob", "dave"]}
    assert world.docs["carol-shared"].pk in ids(client_for(world.dave).get(URL))
    response = client_for(world.alice).post(f"{URL}{doc.pk}/share/", {"username": "dave"}, format="json")
    assert response.status_code == 403, "a collaborator may edit, not share"
    other = world.docs["bob-public"]
    response = client_for(world.alice).post(f"{URL}{other.pk}/share/", {"username": "alice"}, format="json")
    assert response.status_code == 403
    assert not other.shared_with.exists()


def test_sharing_a_document_you_cannot_see_is_404(world):
    # The share action goes through get_object(): the queryset (404) and then the permission
    # (403), like every other action on one document.
    for name in ("bob-private", "dave-stale"):
        doc = world.docs[name]
        before = sorted(doc.shared_with.values_list("username", flat=True))
        response = client_for(world.alice).post(f"{URL}{doc.pk}/share/", {"username": "carol"}, format="json")
        assert response.status_code == 404, f"{name}: a 403 would confirm that it exists"
        assert sorted(doc.shared_with.values_list("username", flat=True)) == before
    assert client_for(world.alice).post(f"{URL}99999/share/", {"username": "alice"}, format="json").status_code == 404


def test_a_username_that_is_not_a_string_is_400_even_if_it_matches(world):
    User.objects.create_user("42")
    doc = world.docs["carol-shared"]
    response = client_for(world.carol).post(f"{URL}{doc.pk}/share/", {"username": 42}, format="json")
    assert response.status_code == 400, "42 is a number, not the username \"42\""
    assert set(response.json()) == {"username"}
    assert not doc.shared_with.filter(username="42").exists()


@pytest.mark.parametrize("username", ["nobody", None, ["dave"]])
def test_sharing_with_an_unknown_user_is_400(world, username):
    doc = world.docs["carol-shared"]
    response = client_for(world.carol).post(f"{URL}{doc.pk}/share/", {"username": username}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username"}


def test_anonymous_writes_are_challenged(world):
    response = client_for().post(URL, {"title": "spam"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    doc = world.docs["bob-public"]
    assert client_for().delete(f"{URL}{doc.pk}/").status_code == 401
    assert Document.objects.filter(pk=doc.pk).exists()


def test_create_belongs_to_the_author(world):
    response = client_for(world.dave).post(URL, {"title": "new", "owner": "alice"}, format="json")
    assert response.status_code == 201
    assert Document.objects.get(title="new").owner == world.dave


def request_for(user, method):
    return SimpleNamespace(user=user, method=method)


@pytest.mark.parametrize(
    "who, method, name, expected",
    [
        ("alice", "GET", "bob-private", False),
        ("alice", "HEAD", "bob-private", False),
        ("alice", "GET", "dave-stale", False),
        ("alice", "GET", "carol-shared", True),
        ("alice", "HEAD", "carol-shared", True),
        ("alice", "DELETE", "carol-shared", False),
        ("anonymous", "GET", "bob-public", True),
        ("anonymous", "HEAD", "bob-public", True),
        ("anonymous", "GET", "carol-shared", False),
        ("anonymous", "PATCH", "bob-public", False),
        ("bob", "DELETE", "bob-private", True),
    ],
)
def test_has_object_permission_decides_on_its_own(world, who, method, name, expected):
    # Defence in depth: the permission is right even on an object the queryset did not filter.
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    view = SimpleNamespace(action={"GET": "retrieve", "HEAD": "retrieve", "DELETE": "destroy",
                                   "PATCH": "partial_update"}[method])
    got = DocumentPermission().has_object_permission(request_for(user, method), view, world.docs[name])
    assert got is expected
