"""The endpoints: registration, token login and logout, the tickets, users' roles."""

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from rest_framework import generics, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Profile, Ticket
from .permissions import IsAdminRole, TicketPermission, role_of
from .serializers import (
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
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class LogoutView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        request.auth.delete()
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


class TicketPagination(PageNumberPagination):
    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 20


class TicketViewSet(viewsets.ModelViewSet):
    authentication_classes = [TokenAuthentication]
    permission_classes = [TicketPermission]
    pagination_class = TicketPagination
    filter_backends = [SearchFilter, OrderingFilter]
    search_fields = ["title", "body"]
    ordering_fields = ["created", "id"]
    ordering = ["-created", "-id"]

    def get_queryset(self):
        tickets = Ticket.objects.select_related("owner", "assignee")
        if role_of(self.request.user) not in ("agent", "admin"):
            tickets = tickets.filter(owner=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted is not None:
            if wanted not in dict(Ticket.STATUSES):
                raise ValidationError({"status": [f'"{wanted}" is not a valid choice.']})
            tickets = tickets.filter(status=wanted)
        return tickets

    def get_serializer_class(self):
        role = role_of(self.request.user)
        if role == "admin":
            return AdminTicketSerializer
        if role == "agent":
            return AgentTicketSerializer
        return TicketSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        ticket = self.get_object()
        if ticket.status == "closed":
            return Response({"detail": "The ticket is already closed."}, status=status.HTTP_409_CONFLICT)
        ticket.status = "closed"
        ticket.save(update_fields=["status"])
        return Response(self.get_serializer(ticket).data)
