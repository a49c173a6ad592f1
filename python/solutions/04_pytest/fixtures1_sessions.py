"""Fixtures for testing a session store (reference solution)."""

import pytest

IDLE = 1800
LIFETIME = 8 * 3600


class FakeClock:
    def __init__(self, start=1000.0):
        self.now = start

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store(sessions, clock):
    store = sessions.SessionStore(clock=clock.time, idle=IDLE, lifetime=LIFETIME)
    yield store
    store.close()


@pytest.fixture
def alice_token(store):
    return store.create("alice")


def test_a_new_session_resolves_to_its_user(store, alice_token):
    assert store.get(alice_token) == "alice"


def test_unknown_token(store):
    assert store.get("no-such-token") is None


def test_idle_timeout_boundary(store, clock, alice_token):
    clock.advance(IDLE - 1)
    assert store.get(alice_token) == "alice"
    clock.advance(IDLE)
    assert store.get(alice_token) is None


def test_expires_exactly_at_the_idle_timeout(store, clock, alice_token):
    clock.advance(IDLE)
    assert store.get(alice_token) is None


def test_use_slides_the_idle_window(store, clock, alice_token):
    for _ in range(5):
        clock.advance(IDLE - 1)
        assert store.get(alice_token) == "alice"


def test_absolute_lifetime(store, clock, alice_token):
    elapsed = 0
    while elapsed + IDLE - 1 < LIFETIME:
        clock.advance(IDLE - 1)
        elapsed += IDLE - 1
        assert store.get(alice_token) == "alice"
    clock.advance(LIFETIME - elapsed)
    assert store.get(alice_token) is None


def test_an_expired_session_is_deleted(store, clock, alice_token):
    assert store.active_count() == 1
    clock.advance(IDLE)
    store.get(alice_token)
    assert store.active_count() == 0


def test_two_sessions_at_the_same_instant_are_distinct(store):
    first, second = store.create("alice"), store.create("alice")
    assert first != second
    assert store.active_count() == 2
    assert store.revoke(first) is True
    assert store.get(second) == "alice"


def test_revoke(store, alice_token):
    assert store.revoke(alice_token) is True
    assert store.get(alice_token) is None
    assert store.revoke(alice_token) is False
    assert store.revoke("never-existed") is False


def test_revoke_all_only_touches_that_user(store, alice_token):
    store.create("alice")
    bob = store.create("bob")
    assert store.revoke_all("alice") == 2
    assert store.get(alice_token) is None
    assert store.get(bob) == "bob"
    assert store.revoke_all("alice") == 0


def test_a_closed_store_refuses_work(sessions, clock):
    store = sessions.SessionStore(clock=clock.time)
    store.close()
    with pytest.raises(sessions.StoreClosed):
        store.create("alice")
