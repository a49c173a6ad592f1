"""The Django admin: a ModelAdmin for the editors of a bookshop.

The admin (https://docs.djangoproject.com/en/5.2/ref/contrib/admin/) builds list, search,
filter, add, change and delete pages from a `ModelAdmin` registered for a model. It is an
internal tool for trusted staff, but "trusted" is not "all-powerful": who may see, change,
delete or publish what is the `ModelAdmin`'s job, and every page runs queries you write.

Make `BookAdmin` the editors' tool (the tests drive it through Django's test `Client`, logged in
as a superuser or as staff with the `lessons.*_book` permissions):

1. The list (`list_display`): title, author, published, the number of reviews, created_by, in
   that order, ordered by title (`ordering`). The review count is a method column
   (`@admin.display(description="Reviews", ordering=...)`). Calling `obj.reviews.count()` in it
   runs one query per row: count in `get_queryset` with `.annotate(...)` instead, so the column
   reads a value already fetched, and its `ordering` sorts in SQL. (Foreign keys in
   `list_display` are joined by the admin itself: see `list_select_related`.)
2. Search (`search_fields`) over the title and the author's name (a lookup across the foreign
   key: `"author__name"`), and a filter on `published` (`list_filter`).
3. `created_by` is set by the server, never by a form: show it read-only (`readonly_fields`),
   and set it to `request.user` when the book is *created* (`save_model(self, request, obj,
   form, change)`, `change` is False for a new object), never on an edit.
4. Staff who are not superusers see only the books they created (`get_queryset(request)`);
   for them another editor's book does not exist (list, change page, actions).
5. A published book may not be deleted by anyone: `has_delete_permission(request, obj=None)`
   (`obj` is None when the admin asks about deleting in general).
6. An action "Publish the selected books" (`@admin.action(description=...,
   permissions=["publish"])`) that publishes the selected drafts in one `UPDATE`
   (`queryset.update(...)`) and reports "N book(s) published." (`self.message_user`), N being
   the drafts it changed. `permissions=["publish"]` makes the admin call
   `has_publish_permission(request)`: true only for users with `lessons.publish_book`.
"""

from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Count  # noqa: F401 - you will need it
from django.urls import path


class Author(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "lessons"

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="books")
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        app_label = "lessons"
        permissions = [("publish_book", "Can publish books")]

    def __str__(self):
        return self.title


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    stars = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "lessons"


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    # TODO: the columns, ordering, search, filter, read-only creator, per-user queryset,
    # the delete rule and the publish action (see the module's docstring).
    list_display = ("title", "author")

    def review_count(self, obj):
        return obj.reviews.count()


urlpatterns = [path("admin/", admin.site.urls)]
