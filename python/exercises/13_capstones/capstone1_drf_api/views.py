"""The endpoints: registration, token login and logout, the tickets, users' roles.

- **Tokens** (https://www.django-rest-framework.org/api-guide/authentication/#tokenauthentication):
  `POST /api/auth/token/` `{"username", "password"}` answers `{"token": key}`, the user's one
  token (created at the first login: `Token.objects.get_or_create`), so every device of the user
  shares it. Validate with DRF's `AuthTokenSerializer`: a wrong password, an unknown user and
  an inactive user all get the same 400 `{"non_field_errors": ["Unable to log in with provided
  credentials."]}` (a different answer per reason tells an attacker which usernames exist).
  `POST /api/auth/logout/` deletes the token the request came with (`request.auth`): 204, and
  that token is dead (a login makes a new one).
- **Authentication** is by token only, declared on each view (`authentication_classes`): no
  session (no CSRF to think about), no Basic (no password on every request). A request
  without a valid token is a 401 with `WWW-Authenticate: Token`; DRF takes the header from the
  FIRST authentication class.
- **Registration** `POST /api/auth/register/` (anyone: `authentication_classes = []`,
  `AllowAny`): 201 and the new user.
- **Tickets** `/api/tickets/` (a `ModelViewSet` and its router):
  - the queryset: staff see every ticket, a customer only their own (the list AND every detail
    route: the 404 of the permissions' docstring comes from here), with the owner and the
    assignee joined in (`select_related`): the list takes the same number of queries however
    many tickets it shows;
  - `?status=` filters by status; an unknown status is a 400 `{"status": ['"<value>" is not a
    valid choice.']}` (raise DRF's `ValidationError` from `get_queryset`);
  - `?search=` looks in the title and the body, case-insensitively, and `?ordering=` sorts by
    "created" or "id" only (DRF's `SearchFilter` and `OrderingFilter` with `search_fields` and
    `ordering_fields`, https://www.django-rest-framework.org/api-guide/filtering/; a field that
    is not listed is ignored: never let a client sort by a column it may not read, such as
    `owner__password`); newest first by default (`ordering = ["-created", "-id"]`);
  - pages of 5 (`PageNumberPagination`, https://www.django-rest-framework.org/api-guide/pagination/):
    `{"count", "next", "previous", "results"}`, `?page_size=` up to 20;
  - the serializer per role (`get_serializer_class`), the owner from the token
    (`perform_create`: `serializer.save(owner=self.request.user)`), never from the body;
  - `POST /api/tickets/{id}/close/`: through `self.get_object()` (the queryset and the object
    permission apply); 409 `{"detail": "The ticket is already closed."}` when it is.
- **Roles** `POST /api/users/{id}/role/` `{"role"}`: admins only; 404 for an unknown user.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from rest_framework import generics, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer  # noqa: F401
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError  # noqa: F401
from rest_framework.filters import OrderingFilter, SearchFilter  # noqa: F401
from rest_framework.pagination import PageNumberPagination  # noqa: F401
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Profile, Ticket
from .permissions import IsAdminRole, TicketPermission, role_of  # noqa: F401
from .serializers import (  # noqa: F401
    AdminTicketSerializer,
    AgentTicketSerializer,
    MeSerializer,
    RegisterSerializer,
    RoleSerializer,
    TicketSerializer,
)


class RegisterView(generics.CreateAPIView):
    serializer_class = RegisterSerializer
    authentication_classes = []
    permission_classes = [AllowAny]


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        # TODO: one answer for every failure, the user's one token.
        user = authenticate(request, username=request.data.get("username"), password=request.data.get("password"))
        if user is None:
            return Response({"detail": "wrong username or password"}, status=status.HTTP_401_UNAUTHORIZED)
        token = Token.objects.create(user=user)
        return Response({"token": token.key})


class LogoutView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        # TODO: the token must stop working.
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class RoleView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated, IsAdminRole]

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        Profile.objects.update_or_create(user=user, defaults={"role": serializer.validated_data["role"]})
        return Response({"id": user.pk, "username": user.username, "role": serializer.validated_data["role"]})


class TicketViewSet(viewsets.ModelViewSet):
    # TODO: token authentication, pagination, search and ordering.
    permission_classes = [TicketPermission]

    def get_queryset(self):
        # TODO: scoped to the customer, joined, filtered by ?status=.
        return Ticket.objects.order_by("-created", "-id")

    def get_serializer_class(self):
        # TODO: per role.
        return TicketSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        # TODO: through get_object(); 409 when already closed.
        ticket = Ticket.objects.get(pk=pk)
        ticket.status = "closed"
        ticket.save(update_fields=["status"])
        return Response(self.get_serializer(ticket).data)
