"""Dependency injection: one database session per request, committed or rolled back, always closed."""

from collections.abc import Iterator
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


def get_database(request: Request) -> Database:
    return request.app.state.db


def get_session(db: Database = Depends(get_database)) -> Iterator[Session]:
    session = db.open_session()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


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


def get_repo(session: Session = Depends(get_session)) -> ItemRepo:
    return ItemRepo(session)


def get_audit(session: Session = Depends(get_session)) -> AuditLog:
    return AuditLog(session)


class ItemIn(BaseModel):
    name: str = Field(min_length=1)
    quantity: int = Field(ge=0)


def create_app(db: Database) -> FastAPI:
    app = FastAPI()
    app.state.db = db

    @app.post("/items", status_code=201)
    def create_item(
        data: ItemIn,
        repo: ItemRepo = Depends(get_repo),
        audit: AuditLog = Depends(get_audit),
        settings: Settings = Depends(get_settings),
    ) -> dict:
        if repo.get(data.name) is not None:
            raise HTTPException(409, detail=f"item {data.name!r} exists")
        if repo.count() >= settings.max_items:
            raise HTTPException(409, detail="the inventory is full")
        item = repo.add(data.name, data.quantity)
        audit.record(f"created {data.name}")
        return item

    @app.get("/items/{name}")
    def get_item(name: str, repo: ItemRepo = Depends(get_repo)) -> dict:
        item = repo.get(name)
        if item is None:
            raise HTTPException(404, detail=f"no item {name!r}")
        return item

    return app
