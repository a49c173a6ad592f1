"""Who may do what: roles, and one permission class per resource.

DRF asks a permission class twice (https://www.django-rest-framework.org/api-guide/permissions/):
`has_permission(request, view)` before the view runs, for every request, and
`has_object_permission(request, view, obj)` when the view fetches one object with
`self.get_object()` (retrieve, update, partial_update, destroy, and detail actions like `close`).
`view.action` names the action (https://www.django-rest-framework.org/api-guide/viewsets/#introspecting-viewset-actions).

The rules of the help desk:

- **Logged in.** Every ticket request needs a logged-in user: `has_permission` is False for an
  anonymous one, and DRF answers 401 with the first authentication class's challenge
  (`WWW-Authenticate: Token`) because the request was not authenticated at all.
- **404 before 403.** A customer's queryset holds their own tickets only (see `views.py`), so
  another customer's ticket is a 404 for every method, DELETE included: do not refuse an
  action in `has_permission` when the refusal depends on the object, or a customer learns that
  ticket #7 exists (403) where #8 does not (404).
- **Per object** (`has_object_permission`, right on its own, also for an object the queryset
  did not filter: the tests call it directly):
  - destroy: admins only (an agent or the owner gets 403);
  - agents and admins: everything else, on every ticket;
  - a customer: only their own tickets (`obj.owner_id == request.user.id`); reading them
    (`SAFE_METHODS`) and closing them always, changing them (PUT, PATCH) only while the ticket
    is not "closed".
- `IsAdminRole`: the user's role is "admin" (not `is_staff`, which is Django admin's flag).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission  # noqa: F401

from .models import Profile

STAFF = ("agent", "admin")


def role_of(user) -> str:
    """The user's role: "anonymous" when not logged in, "customer" without a profile."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return "customer"


class TicketPermission(BasePermission):
    """Logged-in users only. Per object: destroy is the admin's; everything else needs the
    object's owner (a customer) or staff; an owner changes only a ticket that is not closed."""

    # TODO: both methods (see the module's docstring).
    def has_permission(self, request, view):
        return True

    def has_object_permission(self, request, view, obj):
        return True


class IsAdminRole(BasePermission):
    """Only users whose role is admin."""

    def has_permission(self, request, view):
        # TODO: the role, not Django's staff flag.
        return bool(request.user and request.user.is_staff)
