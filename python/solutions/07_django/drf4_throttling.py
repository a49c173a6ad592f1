"""DRF throttling: rates per user, per address, per scope and per account.

(Reference solution.)
"""

from django.contrib.auth import authenticate
from django.urls import path
from rest_framework.authentication import BasicAuthentication
from rest_framework.response import Response
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)
from rest_framework.views import APIView


class ClientAddress:
    """This service has no proxy in front of it: the client is the connection's peer."""

    def get_ident(self, request):
        return request.META.get("REMOTE_ADDR", "")


class AddressRateThrottle(ClientAddress, AnonRateThrottle):
    scope = "anon"


class BurstRateThrottle(ClientAddress, UserRateThrottle):
    scope = "burst"


class SustainedRateThrottle(ClientAddress, UserRateThrottle):
    scope = "sustained"


class ScopeRateThrottle(ClientAddress, ScopedRateThrottle):
    pass


class LoginRateThrottle(ClientAddress, SimpleRateThrottle):
    scope = "login"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if isinstance(username, str) and username.strip():
            ident = "user:" + username.strip().casefold()
        else:
            ident = "addr:" + self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReportView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = [AddressRateThrottle, BurstRateThrottle, SustainedRateThrottle]

    def get(self, request):
        return Response({"report": "ready"})


class UploadView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = [ScopeRateThrottle]
    throttle_scope = "uploads"

    def post(self, request):
        return Response({"stored": "file"}, status=201)


class AvatarView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = [ScopeRateThrottle]
    throttle_scope = "uploads"

    def put(self, request):
        return Response({"stored": "avatar"})


class SearchView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = [ScopeRateThrottle]
    throttle_scope = "search"

    def get(self, request):
        return Response({"results": []})


class LoginView(APIView):
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]

    def post(self, request):
        username = request.data.get("username")
        password = request.data.get("password")
        user = None
        if isinstance(username, str) and isinstance(password, str):
            user = authenticate(request, username=username, password=password)
        if user is None:
            # RFC 6749 section 5.2 answers a failed grant with 400, as here.
            return Response({"detail": "invalid username or password"}, status=400)
        return Response({"username": user.username})


urlpatterns = [
    path("reports", ReportView.as_view()),
    path("uploads", UploadView.as_view()),
    path("avatar", AvatarView.as_view()),
    path("search", SearchView.as_view()),
    path("login", LoginView.as_view()),
]
