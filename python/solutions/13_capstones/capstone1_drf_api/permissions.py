"""Who may do what: roles, and one permission class per resource."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

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
    """Logged-in users only. Per action: destroy is the admin's; everything else needs the
    object's owner (a customer) or staff; an owner changes only an open ticket."""

    def has_permission(self, request, view):
        # Whether the user may delete THIS ticket is decided once it is found: a ticket the
        # user cannot see is a 404 for every method, delete included.
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        role = role_of(request.user)
        if role == "anonymous":
            return False
        if view.action == "destroy":
            return role == "admin"
        if role in STAFF:
            return True
        if obj.owner_id != request.user.id:
            return False
        if request.method in SAFE_METHODS or view.action == "close":
            return True
        return obj.status != "closed"


class IsAdminRole(BasePermission):
    """Only users whose role is admin."""

    def has_permission(self, request, view):
        return role_of(request.user) == "admin"
