"""DRF object permissions: who may read, change, delete or share each document.

DRF checks permissions twice (https://www.django-rest-framework.org/api-guide/permissions/):
`has_permission(request, view)` for every request, before the view runs, and
`has_object_permission(request, view, obj)` when the view fetches one object with
`self.get_object()` (retrieve, update, destroy, detail actions). Two consequences:

- **The list never calls `has_object_permission`.** What a user may list is decided by
  `get_queryset()` alone: filter it there, or the list leaks every row.
- **404 or 403.** A document the user may not even *read* should not exist for them: leave it
  out of `get_queryset()`, and `get_object()` answers 404 (as for a missing id). A document
  they may read but not change answers 403 (`has_object_permission` returns False): its
  existence is no secret. An action that fetches its object some other way
  (`Document.objects.get(pk=pk)`) skips both checks.

The rules:
- read: a public document (anyone, also anonymous users); your own; one whose visibility is
  "shared" and whose `shared_with` lists you (a document that is no longer "shared" shares
  nothing, whoever its list names; a public one's list gives no extra right);
- change (PUT, PATCH): the owner, or a collaborator (shared with you, visibility "shared");
- delete, and the `share` action (`POST /api/documents/{pk}/share/` with `{"username": ...}`,
  400 `{"username": ...}` for an unknown user or a username that is not a string): the owner;
- writing anything needs a logged-in user (401 with the Basic challenge before any object is
  looked at);
- `has_object_permission` is right on its own, also for objects the queryset did not filter
  (defence in depth: the tests call it directly), and for HEAD like GET (`SAFE_METHODS`).

Listing joins the documents to their sharing lists: a document shared with three people is
three rows of that join, unless you ask for `.distinct()`. The list takes the same number of
queries however many documents there are.
"""

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q  # noqa: F401
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.authentication import BasicAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError  # noqa: F401
from rest_framework.permissions import SAFE_METHODS, BasePermission  # noqa: F401
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter


class Document(models.Model):
    VISIBILITY = [("private", "private"), ("shared", "shared"), ("public", "public")]

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=100)
    visibility = models.CharField(max_length=10, choices=VISIBILITY, default="private")
    shared_with = models.ManyToManyField(User, related_name="shared_documents", blank=True)

    class Meta:
        app_label = "lessons"


class DocumentSerializer(serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.username")

    class Meta:
        model = Document
        fields = ["id", "owner", "title", "visibility"]


class DocumentPermission(BasePermission):
    """Anyone may read what they can see; writing needs a logged-in user. On one document:
    read it if public, yours, or shared with you; change it if yours or shared with you;
    delete or share it only if yours."""

    # TODO: has_permission and has_object_permission (see the module's docstring).
    def has_permission(self, request, view):
        return True

    def has_object_permission(self, request, view, obj):
        return True


class DocumentViewSet(viewsets.ModelViewSet):
    serializer_class = DocumentSerializer
    authentication_classes = [BasicAuthentication]
    permission_classes = [DocumentPermission]

    def get_queryset(self):
        # TODO: only what the user may read, each document once.
        return Document.objects.select_related("owner").order_by("id")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        # TODO: only the owner may share; refuse unknown usernames with 400.
        document = Document.objects.get(pk=pk)
        user = User.objects.get(username=request.data.get("username"))
        document.shared_with.add(user)
        return Response({"shared_with": sorted(document.shared_with.values_list("username", flat=True))})


router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = [path("api/", include(router.urls))]
