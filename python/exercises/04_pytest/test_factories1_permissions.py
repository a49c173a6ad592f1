"""The course's grading of factories1_permissions: YOUR factories and tests are run against the
real rules and against planted bugs (see suite_runner.py)."""

import pytest

from suite_runner import assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "factories1_permissions", "permissions", "permissions"
MINIMUM_TESTS = 10


class FactoryProbe:
    """In each test that uses the factories, checks what they build (before the test runs)."""

    def __init__(self):
        self.problems = []
        self.tests_using = 0

    def problem(self, item, text):
        self.problems.append(f"{item.nodeid}: {text}")

    def pytest_runtest_call(self, item):
        funcargs = getattr(item, "funcargs", {})
        module = funcargs.get(FIXTURE)
        make_user, make_document = funcargs.get("make_user"), funcargs.get("make_document")
        if module is None or make_user is None or make_document is None:
            return
        self.tests_using += 1
        try:
            first, second = make_user(), make_user()
            if not (isinstance(first, module.User) and isinstance(second, module.User)):
                return self.problem(item, "make_user() must return permissions.User")
            if first is second or first.id == second.id or first.email == second.email:
                return self.problem(item, "two make_user() calls must give distinct ids and emails")
            if first.id == first.org_id:
                return self.problem(item, "a default user's id equals its org_id: defaults must not coincide")
            if not (first.active and first.role == "member"):
                return self.problem(item, "the default user is an active member")
            admin = make_user(role="admin", org_id=first.org_id + 1)
            if (admin.role, admin.org_id) != ("admin", first.org_id + 1):
                return self.problem(item, "make_user must apply its overrides")
            doc = make_document(owner=admin)
            other = make_document()
            if not (isinstance(doc, module.Document) and isinstance(other, module.Document)):
                return self.problem(item, "make_document() must return permissions.Document")
            if (doc.owner_id, doc.org_id) != (admin.id, admin.org_id):
                return self.problem(item, "make_document(owner=u) belongs to u, in u's organization")
            if doc.id == other.id or other.owner_id in (admin.id,):
                return self.problem(item, "make_document() gives distinct ids and, without an owner, a new owner")
            if (doc.visibility, doc.locked) != ("private", False):
                return self.problem(item, "a default document is private and unlocked")
            if make_document(owner=admin, visibility="org").visibility != "org":
                return self.problem(item, "make_document must apply its overrides")
        except Exception as error:  # the learner's factory crashed: report it, do not hide it
            self.problem(item, f"the factories raised {error!r}")


def run(pytestconfig, edits=(), plugins=()):
    return run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits, plugins)


def test_your_suite_passes_against_the_real_rules(pytestconfig):
    assert_suite_passes(run(pytestconfig), MINIMUM_TESTS)


def test_your_factories_build_distinct_objects_with_overrides(pytestconfig):
    probe = FactoryProbe()
    result = run(pytestconfig, plugins=[probe])
    assert_suite_passes(result, MINIMUM_TESTS)
    assert not probe.problems, "\n".join(probe.problems[:3])
    assert probe.tests_using >= MINIMUM_TESTS, (
        f"only {probe.tests_using} tests use both make_user and make_document; at least {MINIMUM_TESTS}"
    )


PLANTED_BUGS = [
    ("ownership compared with the organization id",
     [("    if doc.owner_id == user.id:\n        return True\n    if _admin_of",
       "    if doc.owner_id == user.org_id:\n        return True\n    if _admin_of")]),
    ("an admin of any organization sees everything",
     [('    return user.role == "admin" and user.org_id == doc.org_id', '    return user.role == "admin"')]),
    ("suspended users keep their rights",
     [("    return user is not None and user.active", "    return user is not None")]),
    ("org documents visible across tenants",
     [('    return doc.visibility == "org" and user.org_id == doc.org_id', '    return doc.visibility == "org"')]),
    ("a private document visible inside the organization",
     [('    return doc.visibility == "org" and user.org_id == doc.org_id', '    return user.org_id == doc.org_id')]),
    ("the owner can edit a locked document",
     [("    if doc.locked:\n        return _admin_of(user, doc)\n", "")]),
    ("visibility grants editing",
     [("    return doc.owner_id == user.id or _admin_of(user, doc)", "    return can_view(user, doc)")]),
    ("anonymous requests see org documents",
     [("    if not _signed_in(user):\n        return False\n    if doc.owner_id", "    if user is None:\n        return doc.visibility == \"org\"\n    if doc.owner_id")]),
    ("colleagues can edit org documents",
     [("    return doc.owner_id == user.id or _admin_of(user, doc)", "    return doc.owner_id == user.id or doc.org_id == user.org_id and user.role == \"admin\" or _admin_of(user, doc) or doc.visibility == \"org\" and user.org_id == doc.org_id")]),
    ("an admin of another organization edits a locked document",
     [("    if doc.locked:\n        return _admin_of(user, doc)\n", "    if doc.locked:\n        return user.role == \"admin\"\n")]),
    ("the owner sees their document before the signed-in check (a suspended owner keeps it)",
     [("    if not _signed_in(user):\n        return False\n    if doc.owner_id == user.id:\n        return True\n",
       "    if user is not None and doc.owner_id == user.id:\n        return True\n    if not _signed_in(user):\n        return False\n")]),
    ("a suspended admin is still signed in",
     [("    return user is not None and user.active", "    return user is not None and (user.active or user.role == \"admin\")")]),
    ("an admin of any organization edits unlocked documents",
     [("    return doc.owner_id == user.id or _admin_of(user, doc)", "    return doc.owner_id == user.id or _admin_of(user, doc) or user.role == \"admin\"")]),
    ("suspended users can still edit (only anonymous is refused)",
     [("    if not _signed_in(user):\n        return False\n    if doc.locked:", "    if user is None:\n        return False\n    if doc.locked:")]),
]


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run(pytestconfig, edits), label)
