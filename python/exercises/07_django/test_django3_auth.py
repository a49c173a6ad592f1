import json

import pytest

import djangosite

djangosite.setup(urls="django3_auth", permissions=True)

from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.test import Client  # noqa: E402
from djangosite import db  # noqa: E402,F401 - `db` is a fixture

from django3_auth import Article, register, setup_roles  # noqa: E402

PASSWORD = "correct horse battery"


def post(client, url, body=None, raw=None):
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def alice(db):
    return register("alice", "alice@example.com", PASSWORD)


def test_register_stores_a_hash_not_the_password(alice):
    stored = User.objects.get(username="alice")
    assert PASSWORD not in stored.password
    algorithm, salt, digest = stored.password.split("$")
    assert algorithm == "md5", "hashed with the project's hasher (PASSWORD_HASHERS)"
    assert salt and digest
    assert stored.check_password(PASSWORD) and not stored.check_password("correct horse")
    assert stored.is_active and not stored.is_staff and stored.email == "alice@example.com"


def test_two_users_with_one_password_get_different_hashes(alice):
    bob = register("bob", "bob@example.com", PASSWORD)
    assert bob.password != User.objects.get(username="alice").password, "a random salt per user"


@pytest.mark.parametrize(
    "username, password",
    [
        ("carol", "short1234"),  # 9 characters: the minimum is 10
        ("carol", "2718281828459045"),  # entirely numeric
        ("carolinesmith", "carolinesmith1"),  # too similar to the username
    ],
)
def test_register_refuses_weak_passwords(db, username, password):
    with pytest.raises(ValidationError):
        register(username, f"{username}@example.com", password)
    assert not User.objects.filter(username=username).exists()


def test_register_compares_the_password_with_the_e_mail_too(db):
    # The similarity validator reads the user's attributes: the unsaved user needs the e-mail.
    with pytest.raises(ValidationError):
        register("bob", "carolinesmith@example.com", "carolinesmith")
    assert not User.objects.filter(username="bob").exists()


def test_register_refuses_a_taken_username_in_any_case(alice):
    with pytest.raises(ValidationError):
        register("Alice", "other@example.com", PASSWORD)
    assert User.objects.count() == 1


def test_login_starts_a_session_under_a_new_key(alice):
    client = Client()
    session = client.session
    session["cart"] = [42]
    session.save()
    before = client.cookies["sessionid"].value
    response = post(client, "/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"username": "alice"}
    after = client.cookies["sessionid"].value
    assert after != before, "login() changes the session key: no session fixation"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.session["cart"] == [42], "login() keeps the anonymous session's data"


@pytest.mark.parametrize(
    "username, password",
    [("alice", "wrong horse battery"), ("nobody", PASSWORD), ("ALICE", PASSWORD), ("alice", "")],
)
def test_a_failed_login_says_the_same_whatever_failed(alice, username, password):
    client = Client()
    response = post(client, "/login", {"username": username, "password": password})
    assert response.status_code == 401
    assert response.json() == {"detail": "invalid username or password"}
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_log_in(alice):
    alice.is_active = False
    alice.save()
    response = post(Client(), "/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json() == {"detail": "invalid username or password"}


@pytest.mark.parametrize(
    "raw",
    ['{"username": "alice"}', '{"password": "x"}', "not json", '["alice"]',
     '{"username": 1, "password": 2}'],
)
def test_a_malformed_login_is_a_bad_request(alice, raw):
    response = post(Client(), "/login", raw=raw)
    assert response.status_code == 400
    assert "detail" in response.json()


def test_login_is_post_only(alice):
    response = Client().get("/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_logout_flushes_the_session(alice):
    client = Client()
    post(client, "/login", {"username": "alice", "password": PASSWORD})
    session = client.session
    session["cart"] = [42]
    session.save()
    key = client.cookies["sessionid"].value
    response = post(client, "/logout")
    assert response.status_code == 204 and response.content == b""
    assert "_auth_user_id" not in client.session
    assert "cart" not in client.session, "logout() flushes all the session's data"
    assert client.cookies["sessionid"].value != key


def test_logout_is_post_only(alice):
    # A GET that logs out can be triggered by any page (`<img src="/logout">`).
    client = Client()
    client.force_login(alice)
    response = client.get("/logout")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert client.session["_auth_user_id"] == str(alice.pk)


def perms(group):
    return sorted(group.permissions.values_list("codename", flat=True))


def test_setup_roles_creates_the_groups_with_exactly_their_permissions(db):
    setup_roles()
    assert perms(Group.objects.get(name="editors")) == [
        "add_article", "change_article", "view_article",
    ]
    assert perms(Group.objects.get(name="publishers")) == [
        "change_article", "publish_article", "view_article",
    ]


def test_setup_roles_can_run_again_and_repairs_the_groups(db):
    setup_roles()
    Group.objects.get(name="editors").permissions.clear()
    Group.objects.get(name="publishers").permissions.add(
        Permission.objects.get(codename="delete_article")
    )
    setup_roles()
    assert Group.objects.count() == 2
    assert perms(Group.objects.get(name="editors")) == [
        "add_article", "change_article", "view_article",
    ]
    assert perms(Group.objects.get(name="publishers")) == [
        "change_article", "publish_article", "view_article",
    ]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_publishing_needs_the_permission_through_a_group(alice):
    setup_roles()
    article = Article.objects.create(title="Draft")
    alice.groups.add(Group.objects.get(name="editors"))
    response = post(logged_in(alice), f"/articles/{article.pk}/publish")
    assert response.status_code == 403
    assert response.json() == {"detail": "you may not publish articles"}
    article.refresh_from_db()
    assert not article.published
    alice.groups.add(Group.objects.get(name="publishers"))
    response = post(logged_in(alice), f"/articles/{article.pk}/publish")
    assert response.status_code == 200
    assert response.json() == {"id": article.pk, "published": True}
    article.refresh_from_db()
    assert article.published


def test_a_superuser_may_publish_and_a_missing_article_is_404(db):
    root = User.objects.create_superuser("root", password=PASSWORD)
    article = Article.objects.create(title="Draft")
    client = logged_in(root)
    assert post(client, f"/articles/{article.pk}/publish").status_code == 200
    assert post(client, f"/articles/{article.pk + 100}/publish").status_code == 404


def test_publishing_anonymously_is_401_with_a_challenge(db):
    article = Article.objects.create(title="Draft")
    response = post(Client(), f"/articles/{article.pk}/publish")
    assert response.status_code == 401, "an API answers 401, not a redirect to a login page"
    assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert response.json() == {"detail": "log in first"}
    article.refresh_from_db()
    assert not article.published


def test_the_user_permission_is_checked_not_the_staff_flag(alice):
    alice.is_staff = True
    alice.save()
    article = Article.objects.create(title="Draft")
    assert post(logged_in(alice), f"/articles/{article.pk}/publish").status_code == 403



def test_the_login_and_permission_checks_come_before_the_lookup(alice):
    # Otherwise a missing id answers 404 and an existing one 401/403: ids can be probed.
    missing = "/articles/999/publish"
    response = post(Client(), missing)
    assert response.status_code == 401, "anonymous: the challenge, whether the article exists or not"
    assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert response.json() == {"detail": "log in first"}
    response = post(logged_in(alice), missing)
    assert response.status_code == 403, "without the permission: 403, whether the article exists or not"
    assert response.json() == {"detail": "you may not publish articles"}
