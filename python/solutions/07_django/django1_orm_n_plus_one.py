"""The ORM and the N+1 problem: a constant number of queries, however many rows.

(Reference solution.)
"""

from django.db import models
from django.db.models import Avg, Count, Prefetch


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        app_label = "lessons"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "lessons"


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, related_name="books", blank=True)

    class Meta:
        app_label = "lessons"


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        app_label = "lessons"


def book_list():
    """Every book by title: {"title", "author", "tags": tag names in alphabetical order}."""
    books = (
        Book.objects.select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("title", "id")
    )
    return [
        {
            "title": book.title,
            "author": book.author.name,
            "tags": [tag.name for tag in book.tags.all()],
        }
        for book in books
    ]


def author_stats():
    """Every author by name: {"name", "books": how many, "average_stars": over all their
    books' reviews, rounded to 2 places, or None without reviews}."""
    authors = Author.objects.annotate(
        book_count=Count("books", distinct=True),
        average=Avg("books__reviews__stars"),
    ).order_by("name")
    return [
        {
            "name": author.name,
            "books": author.book_count,
            "average_stars": None if author.average is None else round(author.average, 2),
        }
        for author in authors
    ]


def top_reviews(min_stars=4):
    """{book title: texts of its reviews with at least `min_stars` stars, best first (then
    oldest first)} for every book, also the books without such reviews."""
    good = Review.objects.filter(stars__gte=min_stars).order_by("-stars", "id")
    books = Book.objects.prefetch_related(
        Prefetch("reviews", queryset=good, to_attr="good_reviews")
    ).order_by("title", "id")
    return {book.title: [review.text for review in book.good_reviews] for book in books}
