"""Type hints as contracts between the layers of a backend.

Python does not check type hints when the code runs. They are checked by a type checker (this
exercise is also graded by `ty`, like mypy or pyright would do it in CI) and read at run time by
frameworks: FastAPI and Pydantic build validation and OpenAPI schemas from them. So a hint is
a contract: write the one the code really keeps.

What to write (the tests read the hints with `typing.get_type_hints`):

1. `Role`: the only three roles, "reader", "editor", "admin", as a `Literal[...]` type.
   https://docs.python.org/3/library/typing.html#typing.Literal
2. `User.role: Role`, and `User.email` may be missing: `str | None`, default None.
3. `UserPayload`: the JSON shape of a user, a `TypedDict` (PEP 589). `email` is NOT REQUIRED
   (`NotRequired[str]`, PEP 655): a user without an email (None) has no "email" key at all; `null`
   is a different contract. An empty string is a value, not a missing one: it is kept.
   https://docs.python.org/3/library/typing.html#typing.TypedDict
4. `UserRepository`: a `Protocol` (PEP 544, structural typing: any class with these methods is
   one, no inheritance needed), `@runtime_checkable` so `isinstance` works on it. `get` returns
   `User | None` (a lookup that can miss says so in its type), `all` returns `Sequence[User]`.
5. `InMemoryUsers` satisfies it; its parameters and return types must match the protocol's.
6. `Page` is generic over the item type (`Generic[T]` with `T = TypeVar("T")`), and
   `paginate(items: Sequence[T], page: int, size: int) -> Page[T]`: a 1-based page number
   (page < 1 is a ValueError), a size between 1 and MAX_PAGE_SIZE (else ValueError), `total` is
   the number of all items. A page past the end has no items.
7. `display_name`: the repository may return None. Narrow it (`if user is None: ...`) and
   return "unknown user": the type checker refuses `user.name` on `User | None`.
8. The last line of the module asks `ty` whether InMemoryUsers really is a UserRepository.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NotRequired, Protocol, TypedDict, TypeVar, runtime_checkable

# TODO: the three roles as a Literal type.
Role = str


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str  # TODO: Role
    email: str = ""  # TODO: may be missing (None)


# TODO: a TypedDict with id, name, role, and a NotRequired email.
UserPayload = dict


# TODO: make it a runtime-checkable Protocol with `get` and `all`.
class UserRepository:
    def get(self, user_id):
        ...


class InMemoryUsers:
    def __init__(self, users: Iterable[User] = ()) -> None:
        self._users: dict[int, User] = {user.id: user for user in users}

    def get(self, user_id):  # TODO: annotate like the protocol
        return self._users.get(user_id)

    def all(self) -> list[User]:
        return sorted(self._users.values(), key=lambda user: user.id)

    def add(self, user: User) -> None:
        self._users[user.id] = user


T = TypeVar("T")


@dataclass(frozen=True)
class Page:  # TODO: generic over T
    items: list
    page: int
    size: int
    total: int


MAX_PAGE_SIZE = 100


def paginate(items, page, size):  # TODO: annotate, validate, slice
    return Page(items=list(items), page=page, size=size, total=len(items))


def to_payload(user: User) -> dict:  # TODO: return UserPayload, no "email" key when there is none
    return {"id": user.id, "name": user.name, "role": user.role, "email": user.email}


def display_name(repo: UserRepository, user_id: int) -> str:
    user = repo.get(user_id)
    return user.name  # TODO: the user may be None


# A static check that InMemoryUsers satisfies the protocol: `ty` reports this line if it does not.
_repository_check: UserRepository = InMemoryUsers()
