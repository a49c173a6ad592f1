"""The Django admin: a ModelAdmin for the editors of a bookshop.

The admin (https://docs.djangoproject.com/en/5.2/ref/contrib/admin/) builds list, search,
filter, add, change and delete pages from a `ModelAdmin` registered for a model. It is an
internal tool for trusted staff, but "trusted" is not "all-powerful": who may see, change,
delete or publish what is the `ModelAdmin`'s job, and every page runs queries you write.

Make `BookAdmin` the editors' tool (the tests drive it through Django's test `Client`, logged in
as a superuser or as staff with the `lessons.*_book` permissions):

1. The list (`list_display`): title, the author's name, published, the number of reviews,
   created_by, in that order, ordered by title (`ordering`). The author's name and the review
   count are method columns (`@admin.display(description="Author", ordering="author__name")`,
   `description="Reviews"`), and every column must be sortable in SQL. A method column runs
   whatever it reads for *each row*: `obj.author.name` is a query per row unless the list joins
   it (`list_select_related`; left unset, with a foreign key among the columns, the admin calls
   `select_related()` without arguments, which follows only the foreign keys that cannot be
   null: `created_by` can); `obj.reviews.count()` is a query per row: count in
   `get_queryset` with `.annotate(...)` instead, so the column reads a value already fetched
   and its `ordering` sorts by it.
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


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    stars = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "lessons"


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    # TODO: the columns, ordering, search, filter, read-only creator, per-user queryset,
    # the delete rule and the publish action (see the module's docstring).
    list_display = ("title", "author_name")

    def author_name(self, obj):
        return obj.author.name

    def review_count(self, obj):
        return obj.reviews.count()


urlpatterns = [path("admin/", admin.site.urls)]
