"""Factories: build test data with sensible, DISTINCT defaults, and override only what matters.

`permissions.py` (next to this file; the course hands it to your tests as the fixture
`permissions`) holds the access rules of a multi-tenant document service. Its docstring is the
specification. YOU write the tests, and the factories they use.

A test should say only what matters to it: "a document of another organization's admin", not
eight constructor arguments. The "factory as fixture" pattern
(https://docs.pytest.org/en/stable/how-to/fixtures.html#factories-as-fixtures) gives each test a
function that builds objects:

    @pytest.fixture
    def make_user(permissions):
        ids = itertools.count(1001)
        def make(**overrides):
            ...build the defaults, apply the overrides...
            return permissions.User(**fields)
        return make

    def test_x(make_user):
        admin = make_user(role="admin")

The trap is in the DEFAULTS. If every user you make has id 1 and every organization is 1, a rule
that compares `doc.owner_id` with `user.org_id` (a real bug) passes all your tests. Defaults must
be distinct per call (ids, emails) and must not coincide across fields (user ids vs org ids).

Write:
1. `make_user(**overrides)` -> permissions.User: a new user per call, unique id and email, an
   active member of one default organization unless overridden.
2. `make_document(owner=None, **overrides)` -> permissions.Document: unique id; owned by `owner`
   (or a new user when none is given), in the OWNER'S organization by default; private, unlocked.
3. tests for every rule of can_view and can_edit, including the tenants boundary, suspended users,
   anonymous requests (None) and locked documents.

The course checks your factories in each test that uses them (two calls give distinct ids and
emails, overrides apply, a document belongs to its owner and the owner's organization), that at
least 10 tests use them, and runs your suite against planted bugs.
"""

import pytest

ORG = 1


@pytest.fixture
def make_user(permissions):
    def make(**overrides):
        # TODO: distinct defaults
        fields = {"id": 1, "email": "user@example.com", "org_id": ORG, "role": "member", "active": True}
        fields.update(overrides)
        return permissions.User(**fields)

    return make


@pytest.fixture
def make_document(permissions, make_user):
    def make(owner=None, **overrides):
        # TODO: a new owner when none is given; the owner's organization
        fields = {"id": 1, "owner_id": 1, "org_id": ORG}
        fields.update(overrides)
        return permissions.Document(**fields)

    return make


def test_the_owner_sees_their_private_document(permissions, make_user, make_document):
    owner = make_user()
    doc = make_document(owner=owner)
    assert permissions.can_view(owner, doc)


# TODO: every rule
