"""Course code (read it, do not edit it): the permission rules of a multi-tenant document service.

Every user and document belongs to an organization (a tenant). The rules, in order:

can_view(user, doc)
- `user` is None for an anonymous request. Anonymous, and SUSPENDED users (`active=False`,
  treated exactly like anonymous), see public documents only.
- everyone signed in sees public documents;
- the owner sees their document;
- an admin sees every document of THEIR OWN organization (never another tenant's);
- a member sees "org" documents of their own organization;
- nothing else: a "private" document of someone else is invisible, even inside the organization.

can_edit(user, doc)
- anonymous and suspended users: never;
- a LOCKED document: only an admin of its organization (not even the owner);
- otherwise the owner, or an admin of its organization;
- nobody else (visibility does not grant editing).
"""

from dataclasses import dataclass


@dataclass
class User:
    id: int
    email: str
    org_id: int
    role: str = "member"  # "member" or "admin"
    active: bool = True


@dataclass
class Document:
    id: int
    owner_id: int
    org_id: int
    visibility: str = "private"  # "private", "org" or "public"
    locked: bool = False


def _signed_in(user):
    return user is not None and user.active


def _admin_of(user, doc):
    return user.role == "admin" and user.org_id == doc.org_id


def can_view(user, doc):
    if doc.visibility == "public":
        return True
    if not _signed_in(user):
        return False
    if doc.owner_id == user.id:
        return True
    if _admin_of(user, doc):
        return True
    return doc.visibility == "org" and user.org_id == doc.org_id


def can_edit(user, doc):
    if not _signed_in(user):
        return False
    if doc.locked:
        return _admin_of(user, doc)
    return doc.owner_id == user.id or _admin_of(user, doc)
