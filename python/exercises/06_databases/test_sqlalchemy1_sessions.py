import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import sqlalchemy1_sessions as s
from catalog import Author, Book, StatementLog, make_engine, tracked_sessionmaker

LIBRARY = {
    "Ursula K. Le Guin": [("The Dispossessed", 1200), ("A Wizard of Earthsea", 900)],
    "Ted Chiang": [("Exhalation", 1500), ("Stories of Your Life", 1100)],
    "Octavia E. Butler": [("Kindred", 900)],
    "N. K. Jemisin": [],
}


def seed(engine, library):
    with Session(engine) as session, session.begin():
        for name, books in library.items():
            author = Author(name=name)
            author.books = [Book(title=t, price_cents=p) for t, p in books]
            session.add(author)


@pytest.fixture
def engine():
    engine = make_engine()
    seed(engine, LIBRARY)
    yield engine
    engine.dispose()


@pytest.fixture
def sql(engine):
    return StatementLog(engine)


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def log():
    return []


@pytest.fixture
def factory(engine, log):
    return tracked_sessionmaker(engine, log)


def book_ids(engine):
    with Session(engine) as session:
        return {title: i for i, title in session.execute(select(Book.id, Book.title)).all()}


def prices(engine):
    with Session(engine) as session:
        return dict(session.execute(select(Book.title, Book.price_cents)).all())


# Reading ---------------------------------------------------------------------------------


def test_author_by_name_is_one_filtered_select(session, sql):
    author = s.author_by_name(session, "Ted Chiang")
    assert isinstance(author, Author) and author.name == "Ted Chiang"
    [(statement, params)] = sql.statements
    assert "WHERE" in statement.upper() and "Ted Chiang" in params and "Ted Chiang" not in statement, (
        "the database filters, with the name as a bound parameter"
    )


def test_author_by_name_misses(session, sql):
    assert s.author_by_name(session, "Ted chiang") is None
    assert s.author_by_name(session, "Ted") is None
    assert len(sql.statements) == 2


def test_author_by_name_is_exact_about_spaces(session):
    assert s.author_by_name(session, " Ted Chiang ") is None, (
        "exactly this name: never strip (or otherwise clean) what the caller asked for"
    )
    assert s.author_by_name(session, "Ted Chiang ") is None


def test_catalogue(session):
    assert s.catalogue(session) == [
        ("N. K. Jemisin", []),
        ("Octavia E. Butler", ["Kindred"]),
        ("Ted Chiang", ["Exhalation", "Stories of Your Life"]),
        ("Ursula K. Le Guin", ["A Wizard of Earthsea", "The Dispossessed"]),
    ]


def test_catalogue_is_in_the_databases_order_of_names(engine):
    seed(engine, {"bell hooks": [("All About Love", 1000)], "Zadie Smith": []})
    with Session(engine) as session:
        names = [name for name, _ in s.catalogue(session)]
    assert names == [
        "N. K. Jemisin", "Octavia E. Butler", "Ted Chiang", "Ursula K. Le Guin", "Zadie Smith",
        "bell hooks",
    ], "ORDER BY name: the database compares the names as they are ('Z' < 'b'), no lower()"


@pytest.mark.parametrize("more_authors", [0, 6])
def test_catalogue_runs_a_constant_number_of_queries(engine, sql, more_authors):
    seed(engine, {f"Author {i:02}": [(f"Book {i}", 100 + i)] for i in range(more_authors)})
    sql.clear()
    with Session(engine) as session:
        rows = s.catalogue(session)
    assert len(rows) == 4 + more_authors
    assert 1 <= len(sql.selects()) <= 2, (
        f"{len(sql.selects())} SELECTs for {len(rows)} authors: N+1. Use selectinload/joinedload"
    )


def test_books_under_is_one_join(session, sql):
    assert s.books_under(session, 1100) == [
        ("A Wizard of Earthsea", "Ursula K. Le Guin", 900),
        ("Kindred", "Octavia E. Butler", 900),
        ("Stories of Your Life", "Ted Chiang", 1100),
    ]
    [(statement, params)] = sql.statements
    assert "JOIN" in statement.upper() and 1100 in params


def test_books_at_the_same_price_come_by_title(engine, session):
    with Session(engine) as writer, writer.begin():
        author = Author(name="Z. Writer")
        writer.add(author)
        writer.flush()
        for title in ("Zeta", "Mu", "Alpha"):  # stored in this order: ids do not follow titles
            writer.add(Book(title=title, price_cents=500, author_id=author.id))
            writer.flush()
    assert [row[0] for row in s.books_under(session, 500)] == ["Alpha", "Mu", "Zeta"], (
        "cheapest first, then by title: order_by(Book.price_cents, Book.title)"
    )


def test_books_under_nothing(session):
    assert s.books_under(session, 899) == []


# Units of work ---------------------------------------------------------------------------


def test_add_author_commits_once_and_closes(factory, log, engine):
    author_id = s.add_author(factory, "Iain M. Banks", [("Excession", 1300), ("Look to Windward", 1250)])
    assert log == ["commit", "close"], "one commit for the author and the books, then close"
    with Session(engine) as session:
        author = session.get(Author, author_id)
        assert author is not None and author.name == "Iain M. Banks"
        assert [b.title for b in author.books] == ["Excession", "Look to Windward"]


def test_a_duplicate_author_writes_nothing(factory, log, engine):
    with pytest.raises(s.DuplicateAuthor):
        s.add_author(factory, "Ted Chiang", [("Not a real book", 100)])
    assert "commit" not in log and log[-1:] == ["close"], f"rolled back and closed: {log}"
    assert "Not a real book" not in prices(engine)


def test_the_database_detects_the_duplicate(factory, sql):
    with pytest.raises(s.DuplicateAuthor):
        s.add_author(factory, "Ted Chiang", [("Not a real book", 100)])
    statements = [" ".join(statement.split()).upper() for statement, _ in sql.statements]
    inserts = [i for i, st in enumerate(statements) if st.startswith("INSERT INTO AUTHORS")]
    assert inserts, "the INSERT is what finds the duplicate: the UNIQUE constraint says so"
    assert not any(st.startswith("SELECT") for st in statements[:inserts[0]]), (
        "a SELECT before the INSERT is check-then-act: a concurrent request inserts the same name "
        "between the two. Insert, and turn the IntegrityError into DuplicateAuthor"
    )


def test_a_bad_book_rolls_back_its_author(factory, log, engine):
    with pytest.raises(Exception) as raised:
        s.add_author(factory, "Someone New", [("Fine", 100), ("Negative", -1)])
    assert not isinstance(raised.value, s.DuplicateAuthor), "only a duplicate name is a DuplicateAuthor"
    assert "commit" not in log and log[-1:] == ["close"], f"rolled back and closed: {log}"
    with Session(engine) as session:
        assert session.scalars(select(Author).where(Author.name == "Someone New")).first() is None, (
            "the author was committed without its books"
        )
    assert "Fine" not in prices(engine)


def test_another_unique_constraint_is_not_a_duplicate_author(factory, log, engine):
    # a second UNIQUE constraint, on books.title: violating it is an IntegrityError, but the
    # author's name is new, so it is no DuplicateAuthor. Look at which constraint failed.
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE UNIQUE INDEX books_title_unique ON books (title)")
    with pytest.raises(IntegrityError) as raised:
        s.add_author(factory, "Someone New", [("Kindred", 100)])
    assert not isinstance(raised.value, s.DuplicateAuthor), (
        "UNIQUE on books.title failed, not the one on authors.name: re-raise the IntegrityError"
    )
    assert "commit" not in log and log[-1:] == ["close"], f"rolled back and closed: {log}"
    with Session(engine) as session:
        assert session.scalars(select(Author).where(Author.name == "Someone New")).first() is None
    with pytest.raises(s.DuplicateAuthor):  # and the real duplicate is still recognised
        s.add_author(factory, "Ted Chiang", [("Brand new title", 100)])


def test_reprice_is_all_or_nothing(factory, log, engine):
    ids = book_ids(engine)
    with pytest.raises(LookupError):
        s.reprice(factory, {ids["Kindred"]: 1000, 999: 500, ids["Exhalation"]: 1600})
    assert prices(engine)["Kindred"] == 900, "the first change was kept although the batch failed"
    assert "commit" not in log and log[-1:] == ["close"], f"rolled back and closed: {log}"


def test_reprice_refuses_negative_prices(factory, log, engine):
    ids = book_ids(engine)
    with pytest.raises(ValueError):
        s.reprice(factory, {ids["Kindred"]: 1000, ids["Exhalation"]: -5})
    assert prices(engine)["Kindred"] == 900
    assert "commit" not in log and (not log or log[-1] == "close"), f"nothing committed: {log}"


def test_reprice_commits_once(factory, log, engine):
    ids = book_ids(engine)
    s.reprice(factory, {ids["Kindred"]: 1000, ids["Exhalation"]: 1600})
    assert prices(engine)["Kindred"] == 1000 and prices(engine)["Exhalation"] == 1600
    assert log == ["commit", "close"]


def test_a_book_may_be_free(factory, log, engine):
    ids = book_ids(engine)
    s.reprice(factory, {ids["Kindred"]: 0})
    assert prices(engine)["Kindred"] == 0, "0 is a price (the CHECK allows it): only < 0 is refused"
    assert log == ["commit", "close"]
