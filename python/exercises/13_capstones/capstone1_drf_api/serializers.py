"""What goes in and out: registration with Django's password validators, tickets per role.

Errors in DRF's format (https://www.django-rest-framework.org/api-guide/exceptions/): a 400 whose
body maps each field to a list of messages (`{"username": ["..."]}`), `non_field_errors` for
what belongs to no field. Raise `serializers.ValidationError` from `validate_<field>` (it lands
under that field) or from `validate` with a dict (`{"password": [...]}`) to name the field.

- **Registration** (`RegisterSerializer`): `username`, `email` (required, not blank: the
  `extra_kwargs` of `Meta`), `password` (write only, never in a response; not trimmed). The
  response is `{"id", "username", "email", "role"}` and the role is always "customer": a field
  the client sends that the serializer does not declare writable (`role`, `is_staff`) is
  ignored, which is what stops mass assignment.
  - Usernames are unique whatever their case (`username__iexact`): "ADA" is "ada" to a human.
  - The password goes through Django's validators, `validate_password(password, user=...)`
    (https://docs.djangoproject.com/en/5.2/topics/auth/passwords/#django.contrib.auth.password_validation.validate_password):
    with an unsaved `User(username=..., email=...)` as `user`, so the similarity validator can
    compare; its `django.core.exceptions.ValidationError` becomes DRF's, under "password",
    with every message (`err.messages`).
  - `create`: `User.objects.create_user(...)` (it hashes the password; `create` would store it
    as sent) and the customer's `Profile`, both or neither (`transaction.atomic()`).
- **Tickets, per role** (the view picks one with `get_serializer_class`): the owner and the
  assignee are shown by username. A customer writes the title and the body; status and
  priority are theirs to read only (`read_only_fields`: silently ignored when sent). An agent
  triages: status, priority and the assignee are writable, the title and body read only (the
  customer's words stay theirs). An admin writes all of them. The assignee is given by username
  (`SlugRelatedField(slug_field="username", queryset=User.objects.all(), allow_null=True)`) and
  must be staff: "Tickets are assigned to agents." otherwise (`validate_assignee`).
"""

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password  # noqa: F401
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: F401
from django.db import transaction  # noqa: F401
from rest_framework import serializers

from .models import Profile, Ticket
from .permissions import STAFF, role_of  # noqa: F401


class RegisterSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "password", "role"]
        # TODO: the email is required.

    def get_role(self, user) -> str:
        return role_of(user)

    # TODO: usernames unique whatever their case; Django's password validators.

    def create(self, validated_data):
        user = User.objects.create_user(
            username=validated_data["username"],
            email=validated_data.get("email", ""),
            password=validated_data["password"],
        )
        Profile.objects.create(user=user, role=self.initial_data.get("role", "customer"))
        return user


class MeSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "role"]

    def get_role(self, user) -> str:
        return role_of(user)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Profile.ROLES)


class TicketSerializer(serializers.ModelSerializer):
    """A customer's view: they write the title and body; staff triage the rest."""

    owner = serializers.ReadOnlyField(source="owner.username")
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "owner", "assignee", "title", "body", "status", "priority", "created"]
        # TODO: what a customer may not write.
        read_only_fields = ["created"]


# TODO: an agent's view (status, priority, assignee) and an admin's (everything).
class AgentTicketSerializer(TicketSerializer):
    """An agent's view: status, priority and the assignee; the customer's words stay theirs."""


class AdminTicketSerializer(TicketSerializer):
    """An admin's view: every field but the creation time."""
