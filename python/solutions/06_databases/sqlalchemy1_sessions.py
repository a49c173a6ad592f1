"""SQLAlchemy 2: `select()`, one session per unit of work, and the N+1 query problem.

The models are in `catalog.py` (read it): `Author` has many `Book`s. The tests give you a
`Session` (to read with) or a `sessionmaker` (to open your own unit of work with), on an
in-memory SQLite database, and count the SQL statements you send.

1. **2.0 style queries** (https://docs.sqlalchemy.org/en/20/orm/queryguide/select.html): build a
   statement with `select(Author).where(Author.name == name)` and run it with
   `session.scalars(stmt)` (ORM objects) or `session.execute(stmt)` (rows of columns);
   `.one_or_none()`, `.all()`, `.first()`. Filtering happens in SQL, with bound parameters, not
   by loading a whole table into Python. `session.query(...)` is the legacy 1.x API.
2. **A session per unit of work** (https://docs.sqlalchemy.org/en/20/orm/session_basics.html):
   open it, do the work, commit (or roll back on any error), close it. With a `sessionmaker`
   (`session_factory = sessionmaker(bind=engine)`):

       with session_factory.begin() as session:   # commits at the end, rolls back on an exception,
           ...                            # closes the session in both cases

   A session kept open across requests, or never closed, holds a connection (and, on
   PostgreSQL, locks); one committed half-way leaves half the work behind. `session.flush()`
   sends the pending INSERTs inside the transaction (primary keys are known after it) without
   committing. A database error raised at flush/commit is `sqlalchemy.exc.IntegrityError`.
3. **N+1.** Loading N authors, then reading `author.books` for each, runs 1 + N queries: the
   relationship is lazy. Ask for the related rows up front with a loader option
   (https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html):
   `select(Author).options(selectinload(Author.books))` runs 2 queries whatever N is (the second
   one is `... WHERE books.author_id IN (...)`); `joinedload(Author.books)` runs 1 with a LEFT
   OUTER JOIN (then call `.unique()` on the result: the join repeats each author per book).
   For columns from two tables, select the columns and join: `select(Book.title,
   Author.name).join(Book.author)`.

Django: `Author.objects.get(name=...)`, `prefetch_related("books")` is selectinload,
`select_related("author")` is joinedload for a foreign key, and `transaction.atomic()` is the
unit of work (Django opens and closes connections per request on its own).
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from catalog import Author, Book


class DuplicateAuthor(Exception):
    pass


def author_by_name(session: Session, name: str) -> Author | None:
    """The author with this exact name, or None, in one SELECT filtered by the database."""
    return session.scalars(select(Author).where(Author.name == name)).one_or_none()


def catalogue(session: Session) -> list[tuple[str, list[str]]]:
    """(author name, [their book titles by title]) for every author, by name as the database
    orders it (`ORDER BY name`: the text as it is, so "Zadie" comes before "bell"), in a constant
    number of queries, however many authors there are."""
    authors = session.scalars(
        select(Author).options(selectinload(Author.books)).order_by(Author.name)
    ).all()
    return [(author.name, [book.title for book in author.books]) for author in authors]


def books_under(session: Session, max_cents: int) -> list[tuple[str, str, int]]:
    """(title, author name, price_cents) of the books costing at most `max_cents`, cheapest
    first, then by title: one query."""
    rows = session.execute(
        select(Book.title, Author.name, Book.price_cents)
        .join(Book.author)
        .where(Book.price_cents <= max_cents)
        .order_by(Book.price_cents, Book.title)
    ).all()
    return [tuple(row) for row in rows]


def add_author(session_factory: sessionmaker, name: str, books: list[tuple[str, int]]) -> int:
    """Adds an author and their books [(title, price_cents)] in one unit of work and returns the
    author's id. A duplicate name raises DuplicateAuthor and writes nothing; so does any other
    error (re-raised as it is). The session is closed in every case."""
    try:
        with session_factory.begin() as session:
            author = Author(name=name)
            author.books = [Book(title=title, price_cents=price) for title, price in books]
            session.add(author)
            session.flush()
            return author.id
    except IntegrityError as error:
        if "authors.name" in str(error.orig):
            raise DuplicateAuthor(name) from error
        raise


def reprice(session_factory: sessionmaker, prices: dict[int, int]) -> None:
    """Sets the price of each book {book id: price_cents}, all or nothing: an unknown id raises
    LookupError, a negative price ValueError, and then no price changes."""
    with session_factory.begin() as session:
        for book_id, price in prices.items():
            if price < 0:
                raise ValueError(f"negative price for book {book_id}")
            book = session.get(Book, book_id)
            if book is None:
                raise LookupError(book_id)
            book.price_cents = price
