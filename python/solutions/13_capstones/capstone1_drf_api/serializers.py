"""What goes in and out: registration with Django's password validators, tickets per role."""

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers

from .models import Profile, Ticket
from .permissions import STAFF, role_of


class RegisterSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "password", "role"]
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}

    def get_role(self, user) -> str:
        return role_of(user)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("A user with that username already exists.")
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as err:
            raise serializers.ValidationError({"password": list(err.messages)}) from err
        return attrs

    def create(self, validated_data):
        with transaction.atomic():
            user = User.objects.create_user(
                username=validated_data["username"],
                email=validated_data["email"],
                password=validated_data["password"],
            )
            Profile.objects.create(user=user, role="customer")
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
        read_only_fields = ["status", "priority", "created"]


class AgentTicketSerializer(TicketSerializer):
    """An agent's view: status, priority and assignee; the customer's words stay theirs."""

    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), allow_null=True, required=False
    )

    class Meta(TicketSerializer.Meta):
        read_only_fields = ["title", "body", "created"]

    def validate_assignee(self, user):
        if user is not None and role_of(user) not in STAFF:
            raise serializers.ValidationError("Tickets are assigned to agents.")
        return user


class AdminTicketSerializer(AgentTicketSerializer):
    class Meta(TicketSerializer.Meta):
        read_only_fields = ["created"]
