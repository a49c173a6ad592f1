import pytest

import djangosite

djangosite.setup(urls="django1_orm_n_plus_one")

from djangosite import Queries, db  # noqa: E402,F401 - `db` is a fixture

from django1_orm_n_plus_one import (  # noqa: E402
    Author,
    Book,
    Review,
    Tag,
    author_stats,
    book_list,
    top_reviews,
)


def library(books_per_author):
    """Three authors (one without books), `books_per_author` books each for two of them, tags
    and reviews on most books."""
    ann = Author.objects.create(name="Ann Leckie")
    ted = Author.objects.create(name="Ted Chiang")
    Author.objects.create(name="Zed Nobody")
    scifi, award, short = (Tag.objects.create(name=n) for n in ("sci-fi", "award", "short"))
    for author in (ann, ted):
        for n in range(books_per_author):
            book = Book.objects.create(title=f"{author.name.split()[0]} {n:02d}", author=author)
            book.tags.add(*([scifi, award] if n % 2 == 0 else [short]))
            for stars in (5, 2, 4)[: n % 4]:
                Review.objects.create(book=book, stars=stars, text=f"{book.title}: {stars}")


def test_book_list_has_the_authors_and_sorted_tags(db):
    library(3)
    assert book_list() == [
        {"title": "Ann 00", "author": "Ann Leckie", "tags": ["award", "sci-fi"]},
        {"title": "Ann 01", "author": "Ann Leckie", "tags": ["short"]},
        {"title": "Ann 02", "author": "Ann Leckie", "tags": ["award", "sci-fi"]},
        {"title": "Ted 00", "author": "Ted Chiang", "tags": ["award", "sci-fi"]},
        {"title": "Ted 01", "author": "Ted Chiang", "tags": ["short"]},
        {"title": "Ted 02", "author": "Ted Chiang", "tags": ["award", "sci-fi"]},
    ]


@pytest.mark.parametrize("books_per_author", [2, 12])
def test_book_list_runs_two_queries_whatever_the_number_of_books(db, books_per_author):
    library(books_per_author)
    with Queries() as q:
        rows = book_list()
    assert len(rows) == 2 * books_per_author
    assert q.count == 2, (
        "one query for the books joined to their authors (select_related), one for all their "
        f"tags (prefetch_related); ran {q.count}:\n{q.report()}"
    )


def test_book_list_joins_the_author_instead_of_prefetching_it(db):
    library(2)
    with Queries() as q:
        book_list()
    assert "JOIN" in q.sql[0].upper() and "lessons_author" in q.sql[0], (
        "a foreign key followed forward is a JOIN in the same query (select_related), "
        f"not a second query:\n{q.report()}"
    )


def test_tags_are_sorted_by_name_not_by_insertion(db):
    author = Author.objects.create(name="Ann Leckie")
    book = Book.objects.create(title="Ancillary Justice", author=author)
    book.tags.add(*(Tag.objects.create(name=n) for n in ("space", "ai", "hugo", "Ai2")))
    with Queries() as q:
        rows = book_list()
    assert rows[0]["tags"] == ["Ai2", "ai", "hugo", "space"], "ordered by name (code points: upper case first)"
    assert q.count == 2, q.report()


def test_book_list_breaks_title_ties_by_id(db):
    # Two books with one title: the second author's book is created first, so an order by the
    # title alone would leave their order to the database (SQLite happens to scan by id).
    zed = Author.objects.create(name="Zed")
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="Same", author=zed)
    Book.objects.create(title="Same", author=ann)
    Book.objects.create(title="Other", author=ann)
    with Queries() as q:
        rows = book_list()
    assert [(row["title"], row["author"]) for row in rows] == [
        ("Other", "Ann"), ("Same", "Zed"), ("Same", "Ann"),
    ], "equal titles keep the order they were created in (by id)"
    order_by = q.sql[0].upper().rpartition("ORDER BY")[2]
    assert '"LESSONS_BOOK"."TITLE"' in order_by and '"LESSONS_BOOK"."ID"' in order_by, (
        "the query orders by the title, then by the id (order_by(\"title\", \"id\")): without the "
        f"id, equal titles come back in whatever order the database finds them:\n{q.report()}"
    )
    assert order_by.index('"LESSONS_BOOK"."TITLE"') < order_by.index('"LESSONS_BOOK"."ID"')


def test_author_stats_counts_books_not_review_rows(db):
    library(3)
    assert author_stats() == [
        # Ann 00: no review, Ann 01: 5, Ann 02: 5 and 2 -> 3 reviews, average 4.0
        {"name": "Ann Leckie", "books": 3, "average_stars": 4.0},
        {"name": "Ted Chiang", "books": 3, "average_stars": 4.0},
        {"name": "Zed Nobody", "books": 0, "average_stars": None},
    ]


def test_author_stats_averages_reviews_not_books(db):
    ann = Author.objects.create(name="Ann")
    one = Book.objects.create(title="One", author=ann)
    two = Book.objects.create(title="Two", author=ann)
    Review.objects.create(book=one, stars=1)
    for _ in range(3):
        Review.objects.create(book=two, stars=5)
    Review.objects.create(book=two, stars=4)
    # Reviews 1, 5, 5, 5, 4: the average of all reviews is 4.0; the average of the books'
    # averages would be 2.875.
    assert author_stats() == [{"name": "Ann", "books": 2, "average_stars": 4.0}]


def test_author_stats_rounds_to_two_places(db):
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(title="One", author=ann)
    for stars in (5, 5, 4):
        Review.objects.create(book=book, stars=stars)
    assert author_stats() == [{"name": "Ann", "books": 1, "average_stars": 4.67}]


def test_an_average_of_zero_stars_is_zero_not_none(db):
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(title="One", author=ann)
    for _ in range(2):
        Review.objects.create(book=book, stars=0)
    stats = author_stats()
    assert stats == [{"name": "Ann", "books": 1, "average_stars": 0}]
    assert stats[0]["average_stars"] is not None, (
        "None means no reviews; reviews of 0 stars average 0 (test `is None`, not truthiness)"
    )


@pytest.mark.parametrize("books_per_author", [2, 12])
def test_author_stats_is_one_aggregate_query(db, books_per_author):
    library(books_per_author)
    with Queries() as q:
        author_stats()
    assert q.count == 1, f"annotate() with Count and Avg: one query; ran {q.count}:\n{q.report()}"


def test_top_reviews_filters_and_orders_in_the_prefetch(db):
    library(4)
    assert top_reviews() == {
        "Ann 00": [],
        "Ann 01": ["Ann 01: 5"],
        "Ann 02": ["Ann 02: 5"],
        "Ann 03": ["Ann 03: 5", "Ann 03: 4"],
        "Ted 00": [],
        "Ted 01": ["Ted 01: 5"],
        "Ted 02": ["Ted 02: 5"],
        "Ted 03": ["Ted 03: 5", "Ted 03: 4"],
    }
    assert top_reviews(min_stars=5)["Ann 03"] == ["Ann 03: 5"]
    assert top_reviews(min_stars=2)["Ann 03"] == ["Ann 03: 5", "Ann 03: 4", "Ann 03: 2"]


def test_top_reviews_ties_keep_the_oldest_first(db):
    author = Author.objects.create(name="Ann")
    book = Book.objects.create(title="One", author=author)
    for text, stars in (("first", 4), ("second", 5), ("third", 4), ("fourth", 5)):
        Review.objects.create(book=book, stars=stars, text=text)
    assert top_reviews() == {"One": ["second", "fourth", "first", "third"]}


@pytest.mark.parametrize("books_per_author", [2, 12])
def test_top_reviews_runs_two_queries(db, books_per_author):
    library(books_per_author)
    with Queries() as q:
        top_reviews()
    assert q.count == 2, (
        "filtering or ordering a prefetched relation with .filter()/.order_by() runs a new query "
        "per book: put the queryset in a Prefetch(..., queryset=..., to_attr=...); "
        f"ran {q.count}:\n{q.report()}"
    )
