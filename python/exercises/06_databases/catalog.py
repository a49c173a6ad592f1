"""The course's bookshop models (SQLAlchemy 2 declarative mapping) and test helpers.

Read it, do not edit it: the tests use the course's copy.

    authors (id, name UNIQUE)
    books   (id, title, price_cents CHECK >= 0, author_id -> authors.id)

`Author.books` is a one-to-many relationship ordered by title, `Book.author` its other side.
Both are LAZY by default: reading `author.books` on an author whose books are not loaded yet
runs one more SELECT right there (https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html).
"""

from sqlalchemy import CheckConstraint, ForeignKey, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    books: Mapped[list["Book"]] = relationship(back_populates="author", order_by="Book.title")

    def __repr__(self) -> str:
        return f"Author(id={self.id!r}, name={self.name!r})"


class Book(Base):
    __tablename__ = "books"
    __table_args__ = (CheckConstraint("price_cents >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship(back_populates="books")

    def __repr__(self) -> str:
        return f"Book(id={self.id!r}, title={self.title!r})"


def make_engine() -> Engine:
    """A fresh in-memory SQLite database with the tables created. StaticPool: one connection
    shared by every session, so the in-memory database lives as long as the engine."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    Base.metadata.create_all(engine)
    return engine


class StatementLog:
    """Records every SQL statement the engine sends to the database (an event listener on
    `before_cursor_execute`): the way to see an N+1 in a test.
    https://docs.sqlalchemy.org/en/20/core/events.html#sqlalchemy.events.ConnectionEvents.before_cursor_execute
    """

    def __init__(self, engine: Engine) -> None:
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self.record)

    def record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append((statement, parameters))

    def clear(self) -> None:
        self.statements.clear()

    def selects(self) -> list[str]:
        return [s for s, _ in self.statements if s.lstrip().upper().startswith("SELECT")]


class TrackedSession(Session):
    """A Session that logs into `log` (set per sessionmaker by the tests): "commit" and
    "rollback" when a transaction ends at the database (session events), "close" when the
    session is closed."""

    log: list[str] = []

    def close(self) -> None:
        self.log.append("close")
        super().close()


@event.listens_for(TrackedSession, "after_commit")
def _log_commit(session: Session) -> None:
    session.log.append("commit")


@event.listens_for(TrackedSession, "after_rollback")
def _log_rollback(session: Session) -> None:
    session.log.append("rollback")


def tracked_sessionmaker(engine: Engine, log: list[str]) -> sessionmaker:
    """A sessionmaker whose sessions log "commit", "rollback" and "close" into `log`."""
    session_class = type("LoggedSession", (TrackedSession,), {"log": log})
    return sessionmaker(bind=engine, class_=session_class)
