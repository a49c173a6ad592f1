import dataclasses
from collections.abc import Sequence
from typing import Literal, Optional, get_args, get_origin, get_type_hints

import pytest

from typing1_contracts import (
    MAX_PAGE_SIZE, InMemoryUsers, Page, Role, User, UserPayload, UserRepository, display_name,
    paginate, to_payload,
)

ALICE = User(id=1, name="alice", role="admin", email="alice@example.com")
BOB = User(id=2, name="bob", role="reader")


def test_role_is_a_literal_of_exactly_the_three_roles():
    assert get_origin(Role) is Literal
    assert set(get_args(Role)) == {"reader", "editor", "admin"}
    hints = get_type_hints(User)
    assert hints["role"] == Role
    assert hints["email"] == Optional[str]
    assert User(id=3, name="carol", role="editor").email is None


def test_user_payload_is_a_typed_dict_with_a_not_required_email():
    assert get_type_hints(UserPayload) == {"id": int, "name": str, "role": Role, "email": str}
    assert UserPayload.__required_keys__ == frozenset({"id", "name", "role"})
    assert UserPayload.__optional_keys__ == frozenset({"email"})


def test_to_payload_has_no_email_key_when_there_is_no_email():
    assert to_payload(BOB) == {"id": 2, "name": "bob", "role": "reader"}
    assert to_payload(ALICE) == {"id": 1, "name": "alice", "role": "admin", "email": "alice@example.com"}
    assert get_type_hints(to_payload)["return"] is UserPayload


def test_to_payload_keeps_an_empty_email_only_none_is_missing():
    # `if user.email:` drops "" too: only None means "no email".
    empty = User(id=4, name="dave", role="editor", email="")
    assert to_payload(empty) == {"id": 4, "name": "dave", "role": "editor", "email": ""}


def test_repository_is_a_runtime_checkable_protocol():
    assert getattr(UserRepository, "_is_protocol", False), "UserRepository must be a typing.Protocol"
    assert isinstance(InMemoryUsers(), UserRepository)

    class Anything:
        pass

    assert not isinstance(Anything(), UserRepository)

    class Structural:  # no inheritance: a protocol is structural
        def get(self, user_id):
            return None

        def all(self):
            return []

    assert isinstance(Structural(), UserRepository)


def test_a_lookup_that_can_miss_says_so_in_its_type():
    assert get_type_hints(UserRepository.get) == {"user_id": int, "return": Optional[User]}
    assert get_type_hints(UserRepository.all)["return"] == Sequence[User]
    assert get_type_hints(InMemoryUsers.get) == {"user_id": int, "return": Optional[User]}


def test_in_memory_users_lists_by_id_and_adds():
    repo = InMemoryUsers([BOB, ALICE])
    assert repo.all() == [ALICE, BOB], "all() lists the users by id"
    carol = User(id=3, name="carol", role="editor")
    repo.add(carol)
    assert repo.get(3) is carol
    assert repo.all() == [ALICE, BOB, carol]


def test_users_and_pages_are_immutable_values():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ALICE.role = "reader"  # a User is a value passed between layers: nobody edits it in place
    assert len({ALICE, User(id=1, name="alice", role="admin", email="alice@example.com")}) == 1
    page = paginate([1, 2, 3], 1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.total = 0


def test_display_name_handles_a_missing_user():
    repo = InMemoryUsers([ALICE, BOB])
    assert display_name(repo, 1) == "alice"
    assert display_name(repo, 99) == "unknown user"


def test_page_is_generic_and_paginate_returns_page_of_t():
    assert len(Page.__parameters__) == 1
    hints = get_type_hints(paginate)
    (t,) = Page.__parameters__
    assert get_origin(hints["return"]) is Page
    assert get_args(hints["return"]) == (hints["items"].__args__[0],)
    assert hints["page"] is int and hints["size"] is int
    assert get_origin(hints["items"]) is Sequence


@pytest.mark.parametrize(
    "page, size, expected",
    [(1, 3, [0, 1, 2]), (2, 3, [3, 4, 5]), (4, 3, [9]), (5, 3, []), (1, 10, list(range(10))),
     (1, MAX_PAGE_SIZE, list(range(10))), (10, 1, [9])],
)
def test_paginate_slices_one_based_pages(page, size, expected):
    result = paginate(list(range(10)), page, size)
    assert result == Page(items=expected, page=page, size=size, total=10)
    assert isinstance(result.items, list)


@pytest.mark.parametrize("page, size", [(0, 10), (-1, 10), (1, 0), (1, MAX_PAGE_SIZE + 1), (1, -5)])
def test_paginate_rejects_out_of_range_parameters(page, size):
    message = "^page starts at 1$" if page < 1 else "^size must be between 1 and 100$"
    with pytest.raises(ValueError, match=message):
        paginate(list(range(10)), page, size)


def test_the_largest_page_size_is_100():
    assert MAX_PAGE_SIZE == 100
    assert paginate(list(range(150)), 1, 100).items == list(range(100))
    with pytest.raises(ValueError):
        paginate(list(range(150)), 1, 101)


def test_paginate_accepts_any_sequence_and_returns_a_list():
    result = paginate(("a", "b", "c"), 1, 2)
    assert result.items == ["a", "b"] and result.total == 3
