"""Factories for testing permission rules (reference solution)."""

import itertools

import pytest

ORG = 7


@pytest.fixture
def make_user(permissions):
    ids = itertools.count(1001)

    def make(**overrides):
        user_id = next(ids)
        fields = {"id": user_id, "email": f"user{user_id}@example.com", "org_id": ORG, "role": "member", "active": True}
        fields.update(overrides)
        return permissions.User(**fields)

    return make


@pytest.fixture
def make_document(permissions, make_user):
    ids = itertools.count(5001)

    def make(owner=None, **overrides):
        if owner is None:
            owner = make_user()
        fields = {"id": next(ids), "owner_id": owner.id, "org_id": owner.org_id, "visibility": "private", "locked": False}
        fields.update(overrides)
        return permissions.Document(**fields)

    return make


@pytest.mark.parametrize("visibility", ["private", "org", "public"])
def test_the_owner_sees_and_edits_their_document(permissions, make_user, make_document, visibility):
    owner = make_user()
    doc = make_document(owner=owner, visibility=visibility)
    assert permissions.can_view(owner, doc) and permissions.can_edit(owner, doc)


@pytest.mark.parametrize("visibility, visible", [("private", False), ("org", True), ("public", True)])
def test_a_colleague_sees_org_and_public_documents_but_never_edits(permissions, make_user, make_document, visibility, visible):
    doc = make_document(visibility=visibility)
    colleague = make_user()
    assert permissions.can_view(colleague, doc) is visible
    assert permissions.can_edit(colleague, doc) is False


@pytest.mark.parametrize("visibility, visible", [("private", False), ("org", False), ("public", True)])
def test_another_tenant_sees_only_public_documents(permissions, make_user, make_document, visibility, visible):
    doc = make_document(visibility=visibility)
    outsider = make_user(org_id=ORG + 1)
    assert permissions.can_view(outsider, doc) is visible
    assert permissions.can_edit(outsider, doc) is False


@pytest.mark.parametrize("visibility, visible", [("private", False), ("org", False), ("public", True)])
def test_anonymous_and_suspended_users_see_public_documents_only(permissions, make_user, make_document, visibility, visible):
    owner = make_user()
    doc = make_document(owner=owner, visibility=visibility)
    suspended_owner = make_user(id=owner.id, active=False)
    for user in (None, make_user(active=False), suspended_owner, make_user(role="admin", active=False)):
        assert permissions.can_view(user, doc) is visible
        assert permissions.can_edit(user, doc) is False


def test_an_admin_sees_and_edits_everything_in_their_organization(permissions, make_user, make_document):
    admin = make_user(role="admin")
    for visibility in ("private", "org"):
        doc = make_document(visibility=visibility)
        assert permissions.can_view(admin, doc) and permissions.can_edit(admin, doc)


def test_an_admin_of_another_organization_has_no_power(permissions, make_user, make_document):
    admin = make_user(role="admin", org_id=ORG + 1)
    doc = make_document(visibility="private")
    assert not permissions.can_view(admin, doc)
    assert not permissions.can_edit(admin, doc)
    assert not permissions.can_edit(admin, make_document(visibility="public"))


def test_a_locked_document_only_an_admin_of_its_organization_edits(permissions, make_user, make_document):
    owner = make_user()
    doc = make_document(owner=owner, locked=True)
    assert permissions.can_view(owner, doc)
    assert not permissions.can_edit(owner, doc)
    assert permissions.can_edit(make_user(role="admin"), doc)
    assert not permissions.can_edit(make_user(role="admin", org_id=ORG + 1), doc)


def test_ownership_is_by_user_id(permissions, make_user, make_document):
    owner = make_user()
    doc = make_document(owner=owner)
    namesake = make_user(email=owner.email)
    assert not permissions.can_view(namesake, doc) and not permissions.can_edit(namesake, doc)
