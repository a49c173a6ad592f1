"""DRF throttling: rates per user, per address, per scope and per account.

A throttle (https://www.django-rest-framework.org/api-guide/throttling/) decides, before the
view runs, whether a client has made too many requests; refused requests get
`429 Too Many Requests` (RFC 6585 section 4) with `Retry-After: <seconds>` (RFC 9110 section
10.2.3), which DRF computes from the throttle's `wait()`, rounded up.

`SimpleRateThrottle` keeps, in the cache, the times of a client's recent requests under a key
from `get_cache_key(request, view)`, and allows a request while fewer than N happened in the
last period ("3/min": a sliding window of 60 s). The rate comes from the project's
`DEFAULT_THROTTLE_RATES` by the throttle's `scope` (the test file holds this project's rates).
A refused request is not recorded. The time is read through `self.timer()` (the tests replace
it with a fake clock: do not override `timer`).

- `UserRateThrottle` keys authenticated users by their id and anonymous ones by address;
  `AnonRateThrottle` only limits anonymous clients. Subclass them with another `scope` to
  have several rates at once: a view with `throttle_classes = [A, B, C]` must pass all of them.
- `ScopedRateThrottle` reads the scope from the *view* (`throttle_scope = "uploads"`): views
  with the same scope share one bucket per client.
- **Who is the client?** DRF's `get_ident(request)` trusts `X-Forwarded-For` unless the
  project sets `NUM_PROXIES`; that header is written by the client itself unless a proxy you
  run overwrites it, so anyone can send a new one with each request and never be throttled.
  This service has no proxy in front of it: override `get_ident` in every throttle to return
  `request.META["REMOTE_ADDR"]` (a mixin class listed first is one way).
- **Login throttling** keyed by address alone lets an attacker spread guesses of one account's
  password over many addresses. Key it by the *account*: the submitted username, stripped and
  case-folded (`str.casefold`), so "ALICE" and " alice" count as alice; a request without a
  usable username (missing, empty, blank, not a string) is keyed by address. Keep the two kinds
  of key apart (`"user:" + ...` and `"addr:" + ...`): an account named "127.0.0.1" must not share
  the bucket of the address 127.0.0.1. Build the key as
  `self.cache_format % {"scope": self.scope, "ident": ...}`; `request.data` is the parsed body.

The rates: reports 3/min ("burst") and 5/hour ("sustained") per user, 2/min per address for
anonymous clients ("anon"); uploads and the avatar share "uploads"; search has "search"; login
has "login".
"""

from django.contrib.auth import authenticate
from django.urls import path
from rest_framework.authentication import BasicAuthentication
from rest_framework.response import Response
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,  # noqa: F401
    UserRateThrottle,
)
from rest_framework.views import APIView


# TODO: the throttles: who the client is, the burst and sustained user rates, the login
# throttle keyed by account (see the module's docstring).
class LoginRateThrottle(AnonRateThrottle):
    scope = "login"


class ReportView(APIView):
    authentication_classes = [BasicAuthentication]
    # TODO: 3/min and 5/hour per user, 2/min per address for anonymous clients.
    throttle_classes = [UserRateThrottle]

    def get(self, request):
        return Response({"report": "ready"})


class UploadView(APIView):
    authentication_classes = [BasicAuthentication]
    # TODO: the "uploads" scope, shared with the avatar.
    throttle_classes = []

    def post(self, request):
        return Response({"stored": "file"}, status=201)


class AvatarView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = []

    def put(self, request):
        return Response({"stored": "avatar"})


class SearchView(APIView):
    authentication_classes = [BasicAuthentication]
    throttle_classes = [ScopedRateThrottle]
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
