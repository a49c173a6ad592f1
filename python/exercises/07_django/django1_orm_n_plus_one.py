"""The ORM and the N+1 problem: a constant number of queries, however many rows.

A Django queryset is lazy: `Book.objects.all()` runs no SQL until you iterate it, and then one
`SELECT`. Following a relation on each row afterwards (`book.author.name`, `book.tags.all()`)
runs one more query *per row*: 1 query for the list + N for the relations, the "N+1" problem.
With 20 books it is 21 round trips; with 2,000 it is an outage. It never shows in a test with
two rows, so the tests here count queries (`djangosite.Queries`, Django's
`CaptureQueriesContext`) with 2 and with 12 books per author: the count must not change.

The tools (https://docs.djangoproject.com/en/5.2/ref/models/querysets/):

- `select_related("author")`: a forward foreign key (or one-to-one) becomes a SQL `JOIN` in the
  *same* query; `book.author` is then already there.
- `prefetch_related("tags")`: a many-to-many or reverse foreign key is loaded in *one* extra
  query for all the rows (`... WHERE book_id IN (1, 2, 3, ...)`) and joined in Python.
- A prefetched relation is only reused by `.all()`. `book.tags.order_by("name")` or
  `book.reviews.filter(...)` is a new queryset: a new query per book again. To filter or order
  what is prefetched, give the prefetch its queryset:
  `Prefetch("reviews", queryset=Review.objects.filter(...).order_by(...), to_attr="good")`,
  then read `book.good` (a list).
- Aggregates belong in the database: `Author.objects.annotate(n=Count("books"),
  avg=Avg("books__reviews__stars"))` is one `GROUP BY` query
  (https://docs.djangoproject.com/en/5.2/topics/db/aggregation/). Beware of combining
  aggregates over two joins: joining books *and* their reviews repeats each book once per
  review, so `Count("books")` counts review rows; `Count("books", distinct=True)` counts books.

The data must stay exactly what the slow version returns: same rows, same order, same values.
"""

from django.db import models
from django.db.models import Avg, Count, Prefetch  # noqa: F401 - you will need them


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
    # TODO: 1 + 2N queries. Two queries in all: select_related for the author, a prefetch for
    # the tags (ordered by name without a query per book).
    return [
        {
            "title": book.title,
            "author": book.author.name,
            "tags": [tag.name for tag in book.tags.order_by("name")],
        }
        for book in Book.objects.order_by("title", "id")
    ]


def author_stats():
    """Every author by name: {"name", "books": how many, "average_stars": over all their
    books' reviews, rounded to 2 places, or None without reviews}."""
    # TODO: 1 + 2N queries and a Python loop over every review. One query: annotate().
    result = []
    for author in Author.objects.order_by("name"):
        books = list(author.books.all())
        stars = [review.stars for book in books for review in book.reviews.all()]
        result.append(
            {
                "name": author.name,
                "books": len(books),
                "average_stars": round(sum(stars) / len(stars), 2) if stars else None,
            }
        )
    return result


def top_reviews(min_stars=4):
    """{book title: texts of its reviews with at least `min_stars` stars, best first (then
    oldest first)} for every book, also the books without such reviews."""
    # TODO: 1 + N queries. Two: a Prefetch with its own filtered and ordered queryset.
    return {
        book.title: [
            review.text
            for review in book.reviews.filter(stars__gte=min_stars).order_by("-stars", "id")
        ]
        for book in Book.objects.order_by("title", "id")
    }
