"""Dependency injection: one database session per request, committed or rolled back, always closed.

`Depends(fn)` asks FastAPI to call `fn` for each request and pass its result in. Dependencies
can depend on other dependencies; FastAPI solves the graph per request, and **caches** each
dependency within one request: if `get_repo` and `get_audit` both depend on `get_session`, both
receive the *same* session (unless you ask for `Depends(get_session, use_cache=False)`, which
here would split one request into two transactions).

A dependency written as a generator (`yield`) gets a setup and a teardown around the request
(https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-with-yield/):

    def get_thing():
        thing = acquire()
        try:
            yield thing          # the endpoint runs here
            ...                  # success
        except Exception:
            ...                  # the endpoint (or a later dependency) raised: it arrives here
            raise                # re-raise it, or FastAPI cannot answer the error
        finally:
            release(thing)       # always

That is the unit-of-work pattern: commit when the request succeeded, roll back when anything
raised (an `HTTPException(409)` as much as a crash), and close the session in every case.

Why dependencies instead of calling `get_settings()` or using a global inside the endpoint?
Because a test (or another deployment) can replace them: `app.dependency_overrides[get_settings]
= lambda: Settings(max_items=1)`. A module-level `SETTINGS` object cannot be overridden per app.
The database itself comes from `app.state.db`, set by `create_app(db)`, read through
`request.app.state.db`.

The fake database (`fakedb.py`, read it) logs every open, commit, rollback and close.
"""

from typing import Any, Protocol

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field


# The course's fake database (fakedb.py) has this shape. Graded code may not import course
# modules, so the endpoint code names the shape it needs instead (structural typing).
class Session(Protocol):
    def get(self, key: Any) -> Any: ...
    def keys(self) -> list: ...
    def put(self, key: Any, value: Any) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


class Database(Protocol):
    def open_session(self) -> Session: ...


class Settings(BaseModel):
    max_items: int = 100


def get_settings() -> Settings:
    return Settings()


# TODO: the endpoint reads this global. Take the settings from the `get_settings` dependency.
SETTINGS = get_settings()


def get_database(request: Request) -> Database:
    return request.app.state.db


def get_session(db: Database = Depends(get_database)) -> Session:
    # TODO: a generator dependency: yield the session; commit after a success, roll back (and
    # re-raise) after an exception, close it always.
    return db.open_session()


class ItemRepo:
    def __init__(self, session: Session) -> None:
        self.db_session = session

    def get(self, name: str) -> dict | None:
        return self.db_session.get(("item", name))

    def add(self, name: str, quantity: int) -> dict:
        item = {"name": name, "quantity": quantity}
        self.db_session.put(("item", name), item)
        return item

    def count(self) -> int:
        return sum(1 for key in self.db_session.keys() if key[0] == "item")


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.db_session = session

    def record(self, event: str) -> None:
        number = sum(1 for key in self.db_session.keys() if key[0] == "audit")
        self.db_session.put(("audit", number + 1), event)


# TODO: one session per request, shared by the repository and the audit log.
def get_repo(session: Session = Depends(get_session, use_cache=False)) -> ItemRepo:
    return ItemRepo(session)


def get_audit(session: Session = Depends(get_session, use_cache=False)) -> AuditLog:
    return AuditLog(session)


class ItemIn(BaseModel):
    name: str = Field(min_length=1)
    quantity: int = Field(ge=0)


def create_app(db: Database) -> FastAPI:
    app = FastAPI()
    app.state.db = db

    @app.post("/items", status_code=201)
    def create_item(
        data: ItemIn, repo: ItemRepo = Depends(get_repo), audit: AuditLog = Depends(get_audit)
    ) -> dict:
        if repo.get(data.name) is not None:
            raise HTTPException(409, detail=f"item {data.name!r} exists")
        if repo.count() >= SETTINGS.max_items:
            raise HTTPException(409, detail="the inventory is full")
        item = repo.add(data.name, data.quantity)
        audit.record(f"created {data.name}")
        repo.db_session.commit()
        audit.db_session.commit()
        return item

    @app.get("/items/{name}")
    def get_item(name: str, repo: ItemRepo = Depends(get_repo)) -> dict:
        item = repo.get(name)
        if item is None:
            raise HTTPException(404, detail=f"no item {name!r}")
        return item

    return app
