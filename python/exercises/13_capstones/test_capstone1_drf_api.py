"""The course's tests of capstone 1 (the specification: read them)."""

import datetime as dt

import pytest

import capsite

capsite.setup(urls="capstone1_drf_api.urls")

from django.contrib.auth.models import User  # noqa: E402
from capsite import Queries, db  # noqa: E402,F401 - `db` is a fixture
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from capstone1_drf_api.models import Profile, Ticket  # noqa: E402

PASSWORD = "correct horse battery staple"
TICKETS = "/api/tickets/"
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def make_user(name, role="customer", active=True):
    user = User.objects.create_user(name, f"{name}@example.com", PASSWORD, is_active=active)
    Profile.objects.create(user=user, role=role)
    return user


def client_for(user=None):
    """A client that sends the user's token, as a real client would."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ticket(owner, title="printer on fire", minutes=0, **fields):
    return Ticket.objects.create(owner=owner, title=title, created=T0 + dt.timedelta(minutes=minutes), **fields)


@pytest.fixture
def people(db):
    return {
        "ada": make_user("ada"),
        "bob": make_user("bob"),
        "eve": make_user("eve", "agent"),
        "root": make_user("root", "admin"),
    }


def results(response):
    assert response.status_code == 200, (response.status_code, response.content)
    return [t["id"] for t in response.json()["results"]]


# ---- registration ---------------------------------------------------------------------------


def test_registration_creates_a_customer_and_never_echoes_the_password(db):
    response = APIClient().post(
        "/api/auth/register/",
        {"username": "carol", "email": "carol@example.com", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(username="carol")
    assert response.json() == {"id": user.pk, "username": "carol", "email": "carol@example.com", "role": "customer"}
    assert user.password != PASSWORD and user.check_password(PASSWORD)
    assert user.profile.role == "customer"


def test_registration_cannot_choose_a_role(db):
    response = APIClient().post(
        "/api/auth/register/",
        {"username": "mallory", "email": "m@example.com", "password": PASSWORD, "role": "admin", "is_staff": True},
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(username="mallory")
    assert user.profile.role == "customer" and not user.is_staff
    assert response.json()["role"] == "customer"


def test_registration_errors_are_drf_field_errors(db):
    response = APIClient().post("/api/auth/register/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "username": ["This field is required."],
        "email": ["This field is required."],
        "password": ["This field is required."],
    }
    response = APIClient().post(
        "/api/auth/register/", {"username": "x", "email": "not an address", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email"}


@pytest.mark.parametrize(
    "password, why",
    [("short1", "too short"), ("password123", "too common"), ("4815162342108", "entirely numeric"), ("carolcarol1", "too similar")],
)
def test_registration_runs_djangos_password_validators(db, password, why):
    response = APIClient().post(
        "/api/auth/register/", {"username": "carolcarol1", "email": "c@example.com", "password": password}, format="json"
    )
    assert response.status_code == 400, why
    body = response.json()
    assert set(body) == {"password"}, body
    assert isinstance(body["password"], list) and body["password"], body
    assert not User.objects.filter(username="carolcarol1").exists()


def test_usernames_are_unique_whatever_their_case(people):
    response = APIClient().post(
        "/api/auth/register/", {"username": "ADA", "email": "a2@example.com", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"username"}
    assert User.objects.filter(username__iexact="ada").count() == 1


# ---- tokens ---------------------------------------------------------------------------------


def test_login_returns_the_users_token_and_the_same_one_again(people):
    first = APIClient().post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json")
    assert first.status_code == 200
    key = first.json()["token"]
    assert first.json() == {"token": key}
    assert Token.objects.get(key=key).user == people["ada"]
    again = APIClient().post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json")
    assert again.json() == {"token": key}
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert me.get("/api/users/me/").json() == {"id": people["ada"].pk, "username": "ada", "email": "ada@example.com", "role": "customer"}


def test_a_failed_login_says_the_same_whatever_the_reason(people):
    make_user("gone", active=False)
    expected = {"non_field_errors": ["Unable to log in with provided credentials."]}
    for username, password in [("ada", "wrong password!"), ("nobody", PASSWORD), ("gone", PASSWORD)]:
        response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
        assert response.status_code == 400, username
        assert response.json() == expected, username
    assert not Token.objects.exists()


def test_logout_deletes_the_token_and_a_new_login_gets_a_new_one(people):
    client = client_for(people["ada"])
    old = Token.objects.get(user=people["ada"]).key
    assert client.post("/api/auth/logout/").status_code == 204
    assert not Token.objects.filter(key=old).exists()
    response = client.get(TICKETS)
    assert response.status_code == 401
    login = APIClient().post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json")
    assert login.json()["token"] != old


def test_requests_without_a_valid_token_are_401_with_the_token_challenge(people):
    response = APIClient().get(TICKETS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert APIClient().post("/api/auth/logout/").status_code == 401
    basic = APIClient()  # valid Basic credentials: not how this API authenticates
    basic.credentials(HTTP_AUTHORIZATION="Basic YWRhOmNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU=")
    assert basic.get(TICKETS).status_code == 401
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert forged.get(TICKETS).status_code == 401


def test_a_deactivated_users_token_stops_working(people):
    client = client_for(people["ada"])
    assert client.get(TICKETS).status_code == 200
    people["ada"].is_active = False
    people["ada"].save()
    assert client.get(TICKETS).status_code == 401


# ---- tickets: ownership and roles -----------------------------------------------------------


def test_creating_a_ticket_takes_the_owner_from_the_token(people):
    response = client_for(people["ada"]).post(
        TICKETS,
        {"title": "vpn down", "body": "since 9am", "owner": people["bob"].pk, "status": "closed", "priority": "high"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    created = Ticket.objects.get()
    assert body == {
        "id": created.pk, "owner": "ada", "assignee": None, "title": "vpn down", "body": "since 9am",
        "status": "open", "priority": "normal", "created": body["created"],
    }
    assert created.owner == people["ada"] and created.status == "open"


def test_ticket_validation_errors_are_drf_field_errors(people):
    client = client_for(people["ada"])
    response = client.post(TICKETS, {"body": "no title"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"title": ["This field is required."]}
    response = client.post(TICKETS, {"title": "x" * 121}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title"}
    assert not Ticket.objects.exists()


def test_a_customer_lists_only_their_own_tickets(people):
    mine = [ticket(people["ada"], minutes=n).pk for n in range(3)]
    ticket(people["bob"], minutes=10)
    assert results(client_for(people["ada"]).get(TICKETS)) == mine[::-1]


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_staff_list_every_ticket(people, role):
    ids = [ticket(people[name], minutes=n).pk for n, name in enumerate(["ada", "bob", "ada"])]
    user = people["eve"] if role == "agent" else people["root"]
    assert results(client_for(user).get(TICKETS)) == ids[::-1]


@pytest.mark.parametrize("method, suffix", [("get", ""), ("patch", ""), ("put", ""), ("delete", ""), ("post", "close/")])
def test_another_customers_ticket_does_not_exist_for_you(people, method, suffix):
    theirs = ticket(people["bob"], title="bob's")
    response = getattr(client_for(people["ada"]), method)(f"{TICKETS}{theirs.pk}/{suffix}", {"title": "mine"}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("bob's", "open")


def test_the_owner_edits_the_words_of_an_open_ticket_not_its_triage(people):
    own = ticket(people["ada"])
    client = client_for(people["ada"])
    response = client.patch(f"{TICKETS}{own.pk}/", {"title": "printer still on fire", "status": "closed", "priority": "high"}, format="json")
    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.title, own.status, own.priority) == ("printer still on fire", "open", "normal")
    own.status = "pending"
    own.save()
    response = client.put(f"{TICKETS}{own.pk}/", {"title": "waiting on you", "body": "any news?"}, format="json")
    assert response.status_code == 200, "a pending ticket is not closed"
    own.status = "closed"
    own.save()
    response = client.patch(f"{TICKETS}{own.pk}/", {"title": "reopen?"}, format="json")
    assert response.status_code == 403
    assert client.get(f"{TICKETS}{own.pk}/").status_code == 200


def test_an_agent_triages_but_does_not_rewrite_the_customers_words(people):
    own = ticket(people["ada"])
    client = client_for(people["eve"])
    response = client.patch(
        f"{TICKETS}{own.pk}/", {"title": "spam", "status": "pending", "priority": "high", "assignee": "eve"}, format="json"
    )
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert (own.title, own.status, own.priority, own.assignee) == ("printer on fire", "pending", "high", people["eve"])
    assert response.json()["assignee"] == "eve"


def test_tickets_are_assigned_to_staff_only(people):
    own = ticket(people["ada"])
    response = client_for(people["eve"]).patch(f"{TICKETS}{own.pk}/", {"assignee": "bob"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"assignee": ["Tickets are assigned to agents."]}
    response = client_for(people["eve"]).patch(f"{TICKETS}{own.pk}/", {"assignee": "nobody"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"assignee"}
    own.refresh_from_db()
    assert own.assignee is None


def test_an_admin_may_change_everything(people):
    own = ticket(people["ada"])
    response = client_for(people["root"]).patch(f"{TICKETS}{own.pk}/", {"title": "fixed title", "status": "closed"}, format="json")
    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.title, own.status) == ("fixed title", "closed")


@pytest.mark.parametrize("who, status", [("ada", 403), ("eve", 403), ("root", 204)])
def test_only_an_admin_deletes(people, who, status):
    own = ticket(people["ada"])
    assert client_for(people[who]).delete(f"{TICKETS}{own.pk}/").status_code == status
    assert Ticket.objects.filter(pk=own.pk).exists() == (status != 204)


def test_closing_is_for_the_owner_or_staff_and_happens_once(people):
    own = ticket(people["ada"])
    other = ticket(people["bob"])
    response = client_for(people["ada"]).post(f"{TICKETS}{own.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    again = client_for(people["ada"]).post(f"{TICKETS}{own.pk}/close/")
    assert again.status_code == 409
    assert again.json() == {"detail": "The ticket is already closed."}
    assert client_for(people["eve"]).post(f"{TICKETS}{other.pk}/close/").status_code == 200
    other.refresh_from_db()
    assert other.status == "closed"


# ---- the list: pagination, filters, queries -------------------------------------------------


def test_the_list_is_paginated_five_a_page_newest_first(people):
    ids = [ticket(people["ada"], minutes=n).pk for n in range(7)]
    client = client_for(people["ada"])
    page = client.get(TICKETS).json()
    assert page["count"] == 7
    assert [t["id"] for t in page["results"]] == ids[::-1][:5]
    assert page["previous"] is None and page["next"].endswith("/api/tickets/?page=2")
    second = client.get(TICKETS, {"page": 2}).json()
    assert [t["id"] for t in second["results"]] == ids[::-1][5:]
    assert second["next"] is None
    assert client.get(TICKETS, {"page": 3}).status_code == 404


def test_the_client_chooses_the_page_size_up_to_twenty(people):
    for n in range(25):
        ticket(people["ada"], minutes=n)
    client = client_for(people["ada"])
    assert len(client.get(TICKETS, {"page_size": 2}).json()["results"]) == 2
    assert len(client.get(TICKETS, {"page_size": 1000}).json()["results"]) == 20


def test_the_list_filters_by_status_and_refuses_an_unknown_one(people):
    open_one = ticket(people["ada"], minutes=1)
    closed = ticket(people["ada"], minutes=2, status="closed")
    client = client_for(people["ada"])
    assert results(client.get(TICKETS, {"status": "closed"})) == [closed.pk]
    assert results(client.get(TICKETS, {"status": "open"})) == [open_one.pk]
    response = client.get(TICKETS, {"status": "burning"})
    assert response.status_code == 400
    assert response.json() == {"status": ['"burning" is not a valid choice.']}


def test_search_and_ordering_are_the_ones_allowed(people):
    a = ticket(people["ada"], title="Printer jam", minutes=1)
    b = ticket(people["ada"], title="VPN down", body="the printer too", minutes=2)
    ticket(people["ada"], title="Mouse", minutes=3)
    ticket(people["bob"], title="printer (bob)", minutes=4)
    client = client_for(people["ada"])
    assert results(client.get(TICKETS, {"search": "PRINTER"})) == [b.pk, a.pk]
    assert results(client.get(TICKETS, {"search": "printer", "ordering": "created"})) == [a.pk, b.pk]
    # Ordering by a field that is not listed in `ordering_fields` is ignored (not an error).
    assert results(client.get(TICKETS, {"search": "printer", "ordering": "title"})) == [b.pk, a.pk]


def test_the_list_takes_the_same_queries_however_many_tickets(people):
    client = client_for(people["eve"])
    ticket(people["ada"], assignee=people["eve"])
    with Queries() as few:
        client.get(TICKETS)
    for n in range(6):
        ticket(people["bob" if n % 2 else "ada"], minutes=n, assignee=people["eve"])
    with Queries() as many:
        assert len(results(client.get(TICKETS))) == 5
    assert many.count == few.count, many.report()


# ---- users' roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ada", "eve"])
def test_only_an_admin_changes_roles(people, who):
    response = client_for(people[who]).post(f"/api/users/{people['bob'].pk}/role/", {"role": "admin"}, format="json")
    assert response.status_code == 403
    assert Profile.objects.get(user=people["bob"]).role == "customer"


def test_an_admin_promotes_a_customer_who_then_sees_every_ticket(people):
    ticket(people["ada"])
    client = client_for(people["root"])
    response = client.post(f"/api/users/{people['bob'].pk}/role/", {"role": "agent"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": people["bob"].pk, "username": "bob", "role": "agent"}
    assert len(results(client_for(people["bob"]).get(TICKETS))) == 1
    response = client.post(f"/api/users/{people['bob'].pk}/role/", {"role": "boss"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"role": ['"boss" is not a valid choice.']}
    assert client.post("/api/users/99999/role/", {"role": "agent"}, format="json").status_code == 404


# ---- defence in depth -----------------------------------------------------------------------


def test_the_object_permission_is_right_on_its_own(people):
    """`has_object_permission` decides alone, also for a ticket the queryset did not filter."""
    from types import SimpleNamespace

    from capstone1_drf_api.permissions import TicketPermission

    check = TicketPermission()
    theirs = ticket(people["bob"])
    closed = ticket(people["ada"], status="closed")

    def may(user, method, action, obj):
        return check.has_object_permission(SimpleNamespace(user=user, method=method), SimpleNamespace(action=action), obj)

    assert not may(people["ada"], "GET", "retrieve", theirs)
    assert not may(people["ada"], "PATCH", "partial_update", theirs)
    assert not may(people["ada"], "PATCH", "partial_update", closed)
    assert may(people["ada"], "GET", "retrieve", closed)
    assert not may(people["ada"], "DELETE", "destroy", closed)
    assert may(people["eve"], "PATCH", "partial_update", theirs)
    assert not may(people["eve"], "DELETE", "destroy", theirs)
    assert may(people["root"], "DELETE", "destroy", theirs)
