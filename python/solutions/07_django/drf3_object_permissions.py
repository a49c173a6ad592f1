"""DRF object permissions: who may read, change, delete or share each document.

(Reference solution.)
"""

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.authentication import BasicAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
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


def is_collaborator(user, document):
    return (
        document.visibility == "shared"
        and document.shared_with.filter(pk=user.pk).exists()
    )


def can_read(user, document):
    if document.visibility == "public":
        return True
    if not user.is_authenticated:
        return False
    return document.owner_id == user.pk or is_collaborator(user, document)


class DocumentPermission(BasePermission):
    """Anyone may read what they can see; writing needs a logged-in user. On one document:
    read it if public, yours, or shared with you; change it if yours or shared with you;
    delete or share it only if yours."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        user = request.user
        if request.method in SAFE_METHODS:
            return can_read(user, obj)
        if not user.is_authenticated:
            return False
        if obj.owner_id == user.pk:
            return True
        if request.method in ("PUT", "PATCH") and view.action in ("update", "partial_update"):
            return is_collaborator(user, obj)
        return False


class DocumentViewSet(viewsets.ModelViewSet):
    serializer_class = DocumentSerializer
    authentication_classes = [BasicAuthentication]
    permission_classes = [DocumentPermission]

    def get_queryset(self):
        user = self.request.user
        visible = Q(visibility="public")
        if user.is_authenticated:
            visible |= Q(owner=user) | Q(visibility="shared", shared_with=user)
        return Document.objects.filter(visible).distinct().select_related("owner").order_by("id")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        document = self.get_object()
        username = request.data.get("username")
        user = User.objects.filter(username=username).first() if isinstance(username, str) else None
        if user is None:
            raise ValidationError({"username": "no such user"})
        document.shared_with.add(user)
        return Response({"shared_with": sorted(document.shared_with.values_list("username", flat=True))})


router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = [path("api/", include(router.urls))]
