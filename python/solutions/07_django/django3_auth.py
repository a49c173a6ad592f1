"""Django's auth: password hashing, login sessions, permissions and groups.

(Reference solution.)
"""

import json

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
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


ROLES = {
    "editors": ["view_article", "add_article", "change_article"],
    "publishers": ["view_article", "change_article", "publish_article"],
}


def register(username, email, password):
    """A new active user; ValidationError when the username is taken (in any case) or the
    password is refused by the project's validators."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("this username is taken")
    validate_password(password, user=User(username=username, email=email))
    return User.objects.create_user(username=username, email=email, password=password)


def setup_roles():
    """The groups of ROLES with exactly their permissions; safe to run again."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="lessons", codename__in=codenames)
        )


def problem(status, detail):
    return JsonResponse({"detail": detail}, status=status)


@require_POST
def login_view(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return problem(400, "the body must be JSON")
    if not isinstance(body, dict):
        return problem(400, "the body must be a JSON object")
    username = body.get("username")
    password = body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        return problem(400, "username and password are required")
    user = authenticate(request, username=username, password=password)
    if user is None:
        return problem(401, "invalid username or password")
    login(request, user)
    return JsonResponse({"username": user.username})


@require_POST
def logout_view(request):
    logout(request)
    return HttpResponse(status=204)


@require_POST
def publish_view(request, pk):
    if not request.user.is_authenticated:
        response = problem(401, "log in first")
        response["WWW-Authenticate"] = 'Session realm="api"'
        return response
    if not request.user.has_perm("lessons.publish_article"):
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
