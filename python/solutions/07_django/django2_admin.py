"""The Django admin: a ModelAdmin for the editors of a bookshop.

(Reference solution.)
"""

from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Count
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
    list_display = ("title", "author_name", "published", "review_count", "created_by")
    list_select_related = ("author", "created_by")
    list_filter = ("published",)
    search_fields = ("title", "author__name")
    ordering = ("title",)
    readonly_fields = ("created_by",)
    actions = ["publish"]

    def get_queryset(self, request):
        books = super().get_queryset(request).annotate(
            reviews_total=Count("reviews", distinct=True)
        )
        if request.user.is_superuser:
            return books
        return books.filter(created_by=request.user)

    @admin.display(description="Author", ordering="author__name")
    def author_name(self, obj):
        return obj.author.name

    @admin.display(description="Reviews", ordering="reviews_total")
    def review_count(self, obj):
        return obj.reviews_total

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.published:
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("lessons.publish_book")

    @admin.action(description="Publish the selected books", permissions=["publish"])
    def publish(self, request, queryset):
        count = queryset.filter(published=False).update(published=True)
        self.message_user(request, f"{count} book(s) published.")


urlpatterns = [path("admin/", admin.site.urls)]
