"""DRF viewsets and routers: one class for a resource's endpoints, URLs from a router.

(Reference solution.)
"""

from django.contrib.auth.models import User
from django.db import models
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.authentication import BasicAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter


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
    serializer_class = NoteSerializer
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        notes = Note.objects.filter(owner=self.request.user).select_related("owner")
        if self.action == "list":
            notes = notes.filter(archived=self.request.query_params.get("archived") == "true")
        return notes.order_by("id")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        note = self.get_object()
        note.archived = True
        note.save(update_fields=["archived"])
        return Response(self.get_serializer(note).data)

    @action(detail=False, methods=["get"])
    def stats(self, request):
        mine = Note.objects.filter(owner=request.user)
        return Response({"total": mine.count(), "archived": mine.filter(archived=True).count()})


router = DefaultRouter()
router.register("notes", NoteViewSet, basename="note")

urlpatterns = [path("api/", include(router.urls))]
