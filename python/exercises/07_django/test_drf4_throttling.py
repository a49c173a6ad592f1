import pytest

import djangosite

djangosite.setup(
    urls="drf4_throttling",
    rest_framework={
        # The project's rates (settings.py in a real project): requests per period.
        "DEFAULT_THROTTLE_RATES": {
            "anon": "2/min",
            "user": "1000/day",
            "burst": "3/min",
            "sustained": "5/hour",
            "uploads": "2/min",
            "search": "4/min",
            "login": "3/hour",
        },
    },
)

from django.contrib.auth.models import User  # noqa: E402
from djangosite import db  # noqa: E402,F401 - `db` is a fixture
from rest_framework.test import APIClient  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402


class FakeClock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(db, monkeypatch):
    """Every throttle reads the time through `SimpleRateThrottle.timer`: this one."""
    fake = FakeClock()
    monkeypatch.setattr(SimpleRateThrottle, "timer", fake)
    return fake


@pytest.fixture
def users(db):
    return {n: User.objects.create_user(n, password="correct horse battery") for n in ("alice", "bob")}


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def statuses(client, method, url, times, **extra):
    return [getattr(client, method)(url, **extra).status_code for _ in range(times)]


def test_a_user_gets_three_reports_a_minute(clock, users):
    client = as_user(users["alice"])
    assert statuses(client, "get", "/reports", 3) == [200, 200, 200]
    clock.advance(10)
    response = client.get("/reports")
    assert response.status_code == 429
    # The oldest of the 3 requests in the window was 10 s ago: free again in 50 s.
    assert response["Retry-After"] == "50"
    assert response.json() == {"detail": "Request was throttled. Expected available in 50 seconds."}


def test_the_window_slides_to_the_second(clock, users):
    client = as_user(users["alice"])
    statuses(client, "get", "/reports", 3)
    clock.advance(59.5)
    response = client.get("/reports")
    assert response.status_code == 429 and response["Retry-After"] == "1", "0.5 s, rounded up"
    clock.advance(0.5)
    assert client.get("/reports").status_code == 200, "60 s after the first request"


def test_each_user_has_their_own_bucket(clock, users):
    assert statuses(as_user(users["alice"]), "get", "/reports", 4) == [200, 200, 200, 429]
    assert statuses(as_user(users["bob"]), "get", "/reports", 3) == [200, 200, 200], (
        "authenticated users are counted by their id, not by their (shared) address"
    )


def test_the_sustained_rate_holds_across_minutes(clock, users):
    client = as_user(users["alice"])
    got = []
    for _ in range(3):
        got += statuses(client, "get", "/reports", 2)
        clock.advance(61)
    assert got == [200, 200, 200, 200, 200, 429], "5 an hour, however they are spread"
    response = client.get("/reports")
    assert response.status_code == 429
    # The first of the 5 requests was 183 s ago: the hour ends in 3417 s.
    assert response["Retry-After"] == "3417"


def test_anonymous_clients_are_limited_by_address(clock, users):
    client = APIClient()
    assert statuses(client, "get", "/reports", 3, REMOTE_ADDR="203.0.113.7") == [200, 200, 429]
    assert statuses(client, "get", "/reports", 2, REMOTE_ADDR="203.0.113.8") == [200, 200]


def test_a_forwarded_for_header_does_not_make_a_new_client(clock, users):
    client = APIClient()
    statuses(as_user(users["alice"]), "get", "/reports", 1)
    got = [
        client.get("/reports", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert got == [200, 200, 429], (
        "X-Forwarded-For is written by the client unless a trusted proxy sets it"
    )
    anonymous = APIClient()
    for n in range(2):
        anonymous.post("/uploads", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = anonymous.post("/uploads", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429, "every throttle keys anonymous clients by their address"


def test_uploads_share_one_scope_across_views(clock, users):
    client = as_user(users["alice"])
    assert client.post("/uploads").status_code == 201
    assert client.put("/avatar").status_code == 200
    response = client.post("/uploads")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert client.put("/avatar").status_code == 429
    assert as_user(users["bob"]).put("/avatar").status_code == 200


def test_scopes_are_separate_buckets(clock, users):
    client = as_user(users["alice"])
    statuses(client, "post", "/uploads", 2)
    assert statuses(client, "get", "/search", 5) == [200, 200, 200, 200, 429]
    assert statuses(client, "get", "/reports", 3) == [200, 200, 200]


def test_a_throttled_request_is_not_counted(clock, users):
    client = as_user(users["alice"])
    statuses(client, "post", "/uploads", 2)
    clock.advance(30)
    assert statuses(client, "post", "/uploads", 5) == [429] * 5
    clock.advance(30)
    assert statuses(client, "post", "/uploads", 3) == [201, 201, 429]


def login(client, username, password="wrong horse battery", **extra):
    return client.post("/login", {"username": username, "password": password}, format="json", **extra)


def test_logins_are_limited_per_account_not_per_address(clock, users):
    got = [login(APIClient(), "alice", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)]
    assert got == [400, 400, 400, 429], "guessing one account's password from many addresses"
    assert login(APIClient(), "bob").status_code == 400, "another account is another bucket"


@pytest.mark.parametrize("variant", ["ALICE", " Alice ", "alice\t"])
def test_username_variants_share_the_account_s_bucket(clock, users, variant):
    client = APIClient()
    for _ in range(3):
        login(client, "alice")
    assert login(client, variant).status_code == 429


def test_usernames_are_case_folded_not_lower_cased(clock, users):
    # "ß".lower() is "ß", "ß".casefold() is "ss": Straße and STRASSE are one account's bucket.
    client = APIClient()
    for _ in range(3):
        login(client, "Straße")
    assert login(client, "STRASSE").status_code == 429, "str.casefold(), not str.lower()"


def test_a_username_like_an_address_has_its_own_bucket(clock, users):
    # Usernames and addresses are two kinds of key: keep them apart ("user:..." and "addr:...").
    client = APIClient()
    assert [login(client, "127.0.0.1").status_code for _ in range(4)] == [400, 400, 400, 429]
    response = client.post("/login", {"username": ""}, format="json", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 400, (
        "a login without a username is keyed by the address 127.0.0.1, not by the account named "
        "127.0.0.1: prefix the two kinds of key differently"
    )


def test_the_login_limit_includes_the_right_password(clock, users):
    client = APIClient()
    assert [login(client, "alice").status_code for _ in range(3)] == [400, 400, 400]
    assert login(client, "alice", "correct horse battery").status_code == 429
    clock.advance(3600)
    response = login(client, "alice", "correct horse battery")
    assert response.status_code == 200 and response.json() == {"username": "alice"}


@pytest.mark.parametrize("body", [{}, {"username": ""}, {"username": ["alice"]}, {"username": "   "}])
def test_a_login_without_a_username_is_limited_by_address(clock, users, body):
    client = APIClient()
    got = [
        client.post(
            "/login", body, format="json", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(4)
    ]
    assert got == [400, 400, 400, 429]
    assert client.post("/login", body, format="json", REMOTE_ADDR="203.0.113.10").status_code == 400
