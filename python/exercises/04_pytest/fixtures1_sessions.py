"""Fixtures: set up what a test needs, tear it down after, give every test a fresh one.

YOU write the tests of `sessions.py` (read its docstring: it is the specification), and above all
the FIXTURES they stand on. https://docs.pytest.org/en/stable/how-to/fixtures.html

    @pytest.fixture
    def store(sessions, clock):          # a fixture can ask for other fixtures
        store = sessions.SessionStore(clock=clock.time, idle=IDLE, lifetime=LIFETIME)
        yield store                      # the test runs here
        store.close()                    # teardown: runs even when the test failed

The course gives your tests one fixture: `sessions`, the module under test (graded code cannot
import it; and in a planted-bug run it is a buggy copy). Write:

1. `clock`: a FAKE clock. Tests never sleep: time is a dependency you control. A small class
   with `now`, a method `time()` that returns it (the store takes the bound method `clock.time`
   where production passes `time.monotonic`) and `advance(seconds)`.
   Some planted bugs live exactly AT a timeout; a real clock can never land on that instant.
2. `store`: a fresh SessionStore per test, made with your clock, closed after the test (`yield`).
   Function scope (the default) is the point: a store shared between tests makes one test's
   sessions leak into the next, and tests pass or fail depending on their order.
3. anything else you like (a logged-in user's token...), built on these.

Then the tests: the idle timeout (one second before it, exactly at it), the sliding window, the
absolute lifetime, deletion of expired sessions, distinct tokens, revoke and revoke_all.

What the course checks: your tests pass against the real store, in file order AND in reverse
order; during every test at most one store is open and no store, and no clock, is used by two
tests; none is left open at the end; at least 8 tests use a store; and each planted bug fails one
of your tests.
"""

import time

import pytest

IDLE = 1800
LIFETIME = 8 * 3600

STORE = None


@pytest.fixture
def store(sessions):
    # TODO: a fresh store per test, with a fake clock, closed after the test.
    global STORE
    if STORE is None:
        STORE = sessions.SessionStore(clock=time.monotonic, idle=IDLE, lifetime=LIFETIME)
    return STORE


def test_a_new_session_resolves_to_its_user(store):
    token = store.create("alice")
    assert store.get(token) == "alice"


# TODO: the timeouts (with a fake clock), revoke, revoke_all, ...
