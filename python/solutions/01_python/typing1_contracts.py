"""Type hints as contracts between the layers of a backend (reference solution)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NotRequired, Protocol, TypedDict, TypeVar, runtime_checkable

Role = Literal["reader", "editor", "admin"]


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    email: str | None = None


class UserPayload(TypedDict):
    id: int
    name: str
    role: Role
    email: NotRequired[str]


@runtime_checkable
class UserRepository(Protocol):
    def get(self, user_id: int) -> User | None: ...

    def all(self) -> Sequence[User]: ...


class InMemoryUsers:
    def __init__(self, users: Iterable[User] = ()) -> None:
        self._users: dict[int, User] = {user.id: user for user in users}

    def get(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def all(self) -> Sequence[User]:
        return sorted(self._users.values(), key=lambda user: user.id)

    def add(self, user: User) -> None:
        self._users[user.id] = user


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int


MAX_PAGE_SIZE = 100


def paginate(items: Sequence[T], page: int, size: int) -> Page[T]:
    if page < 1:
        raise ValueError("page starts at 1")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"size must be between 1 and {MAX_PAGE_SIZE}")
    start = (page - 1) * size
    return Page(items=list(items[start:start + size]), page=page, size=size, total=len(items))


def to_payload(user: User) -> UserPayload:
    payload: UserPayload = {"id": user.id, "name": user.name, "role": user.role}
    if user.email is not None:
        payload["email"] = user.email
    return payload


def display_name(repo: UserRepository, user_id: int) -> str:
    user = repo.get(user_id)
    if user is None:
        return "unknown user"
    return user.name


# A static check that InMemoryUsers satisfies the protocol: `ty` reports this line if it does not.
_repository_check: UserRepository = InMemoryUsers()
