"""DRF viewsets and routers: one class for a resource's endpoints, URLs from a router.

A `ModelViewSet` (https://www.django-rest-framework.org/api-guide/viewsets/) bundles the five
actions of a resource: `list` and `create` on `/notes/`, `retrieve`, `update`,
`partial_update` and `destroy` on `/notes/{pk}/`. A router
(https://www.django-rest-framework.org/api-guide/routers/) makes the URL patterns and names
them `<basename>-list` and `<basename>-detail`; `DefaultRouter` also serves an API root at the
prefix (`GET /api/` lists the resources), which `SimpleRouter` does not. Extra endpoints are
`@action`s: `detail=True` -> `/notes/{pk}/<name>/` named `<basename>-<name>`, `detail=False` ->
`/notes/<name>/`; `methods=[...]` says which HTTP methods they take (others: 405 with `Allow`).

**Per-user querysets.** Every action that reads an object gets it through
`self.get_object()`, which filters `self.get_queryset()` by the pk (404 when it is not there).
So the one place to say "a user sees only their own notes" is `get_queryset()`, built from
`self.request.user` for each request (a class attribute `queryset = Note.objects.all()` is
evaluated for everyone). Another user's note then is a 404, exactly like a note that does not
exist: an API should not confirm that an id exists to someone who may not see it. (A queryset
built only in `list()` would leave `retrieve`, `update`, `destroy` and the actions open.)
`self.action` tells which action runs ("list", "retrieve", "archive", ...).

**The owner comes from the request**, not from the body: `perform_create(self, serializer)`
calls `serializer.save(owner=self.request.user)`, and the serializer's `owner` is read-only.

**Authentication**: HTTP Basic (`BasicAuthentication`, RFC 7617), and `IsAuthenticated`.
Without credentials the answer is 401 with `WWW-Authenticate: Basic realm="api"`; DRF takes the
challenge from the *first* of the view's `authentication_classes`, and answers 403 instead when
that class has no challenge (`SessionAuthentication`, DRF's default first class).

What to build (the tests are the spec):
- `/api/notes/`: the user's notes by id; archived notes are left out unless `?archived=true`
  (then only those); a single archived note can still be read, changed and deleted;
- `POST /api/notes/{pk}/archive/` archives a note and answers it (only POST);
- `GET /api/notes/stats/`: `{"total": all the user's notes, "archived": how many are}`;
- the list takes two queries whatever its length (the user, the notes joined to the owner).
"""

from django.contrib.auth.models import User
from django.db import models
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.authentication import BasicAuthentication  # noqa: F401
from rest_framework.decorators import action  # noqa: F401
from rest_framework.permissions import IsAuthenticated  # noqa: F401
from rest_framework.response import Response  # noqa: F401
from rest_framework.routers import DefaultRouter, SimpleRouter  # noqa: F401


class Note(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        app_label = "lessons"


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.username")

    class Meta:
        model = Note
        fields = ["id", "owner", "title", "body", "archived"]
        read_only_fields = ["archived"]


class NoteViewSet(viewsets.ModelViewSet):
    # TODO: Basic authentication and IsAuthenticated; a per-user get_queryset (and the
    # archived filter of the list); the owner from the request; the archive and stats actions.
    queryset = Note.objects.all()
    serializer_class = NoteSerializer


router = SimpleRouter()
router.register("notes", NoteViewSet)

urlpatterns = [path("api/", include(router.urls))]
