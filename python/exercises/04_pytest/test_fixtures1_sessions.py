"""The course's grading of fixtures1_sessions: YOUR fixtures and tests are run against the real
session store and against planted bugs (see suite_runner.py)."""

import types

import pytest

from suite_runner import assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "fixtures1_sessions", "sessions", "sessions"
MINIMUM_TESTS = 8


class StoreWatcher:
    """Looks at the subject's OPEN_STORES when each test starts and ends, and at the clock each
    open store reads."""

    def __init__(self):
        self.module = None
        self.per_test = {}
        self.leaks = []
        self.too_many = []
        self.clocks = {}  # id -> (the clock object, kept alive so no id is reused, [nodeids])

    def pytest_runtest_call(self, item):
        module = item.funcargs.get(FIXTURE) if hasattr(item, "funcargs") else None
        if module is None:
            return
        self.module = module
        open_now = [store.serial for store in module.OPEN_STORES]
        if len(open_now) > 1:
            self.too_many.append(item.nodeid)
        self.per_test[item.nodeid] = set(open_now)
        for store in module.OPEN_STORES:
            # clock=clock.time: the bound method's instance is the clock object itself.
            owner = getattr(store.clock, "__self__", store.clock)
            if isinstance(owner, types.ModuleType):  # time.monotonic: a real clock, not a fake one
                continue
            _, tests = self.clocks.setdefault(id(owner), (owner, []))
            if item.nodeid not in tests:
                tests.append(item.nodeid)


class Reverse:
    def pytest_collection_modifyitems(self, items):
        items.reverse()


def run(pytestconfig, edits=(), plugins=()):
    return run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits, plugins)


def test_your_suite_passes_against_the_real_store(pytestconfig):
    result = run(pytestconfig)
    assert_suite_passes(result, MINIMUM_TESTS)


def test_your_suite_passes_in_reverse_order_too(pytestconfig):
    result = run(pytestconfig, plugins=[Reverse()])
    assert_suite_passes(result, MINIMUM_TESTS)


def test_every_test_gets_a_fresh_store_and_every_store_is_closed(pytestconfig):
    watcher = StoreWatcher()
    result = run(pytestconfig, plugins=[watcher])
    assert_suite_passes(result, MINIMUM_TESTS)
    assert not watcher.too_many, f"more than one store open during: {watcher.too_many[:3]} (a store was not closed)"
    users = {}
    for nodeid, serials in watcher.per_test.items():
        for serial in serials:
            users.setdefault(serial, []).append(nodeid)
    shared = {serial: tests for serial, tests in users.items() if len(tests) > 1}
    assert not shared, f"one store used by several tests: {list(shared.values())[0][:3]} (use function scope)"
    shared_clocks = [tests for _, tests in watcher.clocks.values() if len(tests) > 1]
    assert not shared_clocks, (
        f"one clock used by several tests: {shared_clocks[0][:3]} (a new FakeClock per test: a "
        "function-scoped fixture, no module-level instance, or time moved by one test leaks into the next)"
    )
    used = sum(1 for serials in watcher.per_test.values() if serials)
    assert used >= MINIMUM_TESTS, f"only {used} tests use a store; write at least {MINIMUM_TESTS}"
    assert result.module.OPEN_STORES == [], (
        f"{len(result.module.OPEN_STORES)} store(s) left open after the run: close them in the fixture's teardown"
    )


PLANTED_BUGS = [
    ("a session is still valid exactly at the idle timeout",
     [('if now - session["last_seen"] >= self.idle', 'if now - session["last_seen"] > self.idle')]),
    ("use does not slide the idle window",
     [('        session["last_seen"] = now\n', '')]),
    ("no absolute lifetime",
     [(' or now - session["created"] >= self.lifetime:', ':')]),
    ("an expired session is not deleted",
     [('            del self._sessions[token]\n            return None', '            return None')]),
    ("tokens derived from the user and the time",
     [('token = secrets.token_urlsafe(32)', 'token = f"{user_id}-{self.clock()}"')]),
    ("revoke_all logs everybody out",
     [('tokens = [t for t, s in self._sessions.items() if s["user_id"] == user_id]',
       'tokens = list(self._sessions)')]),
    ("revoke_all revokes only the first session",
     [('tokens = [t for t, s in self._sessions.items() if s["user_id"] == user_id]',
       'tokens = [t for t, s in self._sessions.items() if s["user_id"] == user_id][:1]')]),
    ("revoke answers True for an unknown token",
     [('return self._sessions.pop(token, None) is not None', 'self._sessions.pop(token, None)\n        return True')]),
    ("the idle timeout is measured from the creation",
     [('if now - session["last_seen"] >= self.idle', 'if now - session["created"] >= self.idle')]),
]


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run(pytestconfig, edits), label)
