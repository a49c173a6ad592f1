"""Django's auth: password hashing, login sessions, permissions and groups.

`django.contrib.auth` (https://docs.djangoproject.com/en/5.2/topics/auth/default/) gives you
users, password hashing, sessions that remember who logged in, and permissions. This file does
all of it by hand, and wrongly. Use the framework:

- **Passwords are hashed, salted, slow.** `User.objects.create_user(username, email, password)`
  (or `user.set_password(...)`) stores `algorithm$salt$hash` using the first of the project's
  `PASSWORD_HASHERS` (PBKDF2 by default; the course's tests use MD5 only to stay fast); never
  the password. `User.objects.create(password=...)` stores it as given.
  https://docs.djangoproject.com/en/5.2/topics/auth/passwords/
- **Password validation** is a project setting (`AUTH_PASSWORD_VALIDATORS`; here: at least 10
  characters, not entirely numeric, not too similar to the username or e-mail).
  `validate_password(password, user=...)` raises `ValidationError` with every reason; pass an
  unsaved `User(username=..., email=...)` so the similarity check can compare.
- Usernames are unique as Django stores them (case-sensitive); refuse "Alice" when "alice"
  exists (`username__iexact`), or two accounts look the same to people.
- **Logging in**: `authenticate(request, username=..., password=...)` returns the user or
  None (wrong password, unknown user, inactive user: the default `ModelBackend` refuses
  `is_active=False`, and it hashes even for an unknown name, so the time does not tell). Answer
  every failure with the same 401: telling "no such user" apart lets anyone enumerate accounts.
  `login(request, user)` stores the user's id in the session *and changes the session key*
  (`cycle_key()`): a session id planted before login (session fixation) is worthless after it.
  `logout(request)` flushes the session: its data and its key.
- **Permissions** are `app_label.codename` strings: Django creates `add_`, `change_`, `delete_`,
  `view_<model>` for each model, plus what `Meta.permissions` lists. Give them to `Group`s and
  put users in groups; check with `user.has_perm("lessons.publish_article")` (true for active
  superusers; `is_staff` only means "may use the admin"). `group.permissions.set([...])` makes
  the group's permissions exactly that list (`.add` only adds).

The views answer JSON (this is an API): 400 for a malformed body, 401 when not logged in (with
a `WWW-Authenticate` challenge, RFC 9110 section 11.6.1 requires one), 403 without the
permission, 405 for a method the view does not take (`@require_POST` answers it with `Allow`).
"""

import json

from django.contrib.auth import authenticate, login, logout  # noqa: F401 - use them
from django.contrib.auth.models import Group, Permission, User  # noqa: F401
from django.contrib.auth.password_validation import validate_password  # noqa: F401
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_POST


class Article(models.Model):
    title = models.CharField(max_length=200)
    published = models.BooleanField(default=False)

    class Meta:
        app_label = "lessons"
        permissions = [("publish_article", "Can publish articles")]


# The roles: group name -> the codenames of its permissions (all on lessons.Article).
ROLES = {
    "editors": ["view_article", "add_article", "change_article"],
    "publishers": ["view_article", "change_article", "publish_article"],
}


def register(username, email, password):
    """A new active user; ValidationError when the username is taken (in any case) or the
    password is refused by the project's validators."""
    # TODO: the password is stored as typed, and nothing is validated.
    if User.objects.filter(username=username).exists():
        raise ValidationError("this username is taken")
    return User.objects.create(username=username, email=email, password=password)


def setup_roles():
    """The groups of ROLES with exactly their permissions; safe to run again."""
    # TODO: the groups get no permissions.
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def problem(status, detail):
    return JsonResponse({"detail": detail}, status=status)


@require_POST
def login_view(request):
    # TODO: parse the body defensively (400 "username and password are required" for what is
    # not a JSON object with two strings), authenticate, one 401 for every failure
    # ("invalid username or password"), login(); answer {"username": ...}.
    body = json.loads(request.body)
    try:
        user = User.objects.get(username=body["username"])
    except User.DoesNotExist:
        return problem(404, "no such user")
    if user.password != body["password"]:
        return problem(401, "wrong password")
    return JsonResponse({"username": user.username})


@require_POST
def logout_view(request):
    # TODO: forget everything the session held, answer 204 No Content.
    return HttpResponse(status=204)


@require_POST
def publish_view(request, pk):
    # TODO: 401 {"detail": "log in first"} with `WWW-Authenticate: Session realm="api"` for
    # anonymous users; 403 {"detail": "you may not publish articles"} without the
    # `lessons.publish_article` permission; then 404 for a missing article.
    if not request.user.is_staff:
        return problem(403, "you may not publish articles")
    article = get_object_or_404(Article, pk=pk)
    article.published = True
    article.save(update_fields=["published"])
    return JsonResponse({"id": article.pk, "published": True})


urlpatterns = [
    path("login", login_view),
    path("logout", logout_view),
    path("articles/<int:pk>/publish", publish_view),
]
