"""Course code (read it, do not edit it): how the course grades a test suite you write.

The course runs YOUR test module with pytest, in the same interpreter, several times:

1. against the real implementation (the support module next to it): every test you wrote must
   pass, and there must be enough of them;
2. against "planted bugs": copies of the support module with one realistic mistake edited in.
   For each one, at least one of your tests must fail. A bug that your suite lets through is a
   bug your suite would let through to production.

A planted bug is made exactly like a curated wrong solution: a find/replace edit of the source.

Your module does not import the implementation (graded code may only import an allow-list of
modules): the course hands it to your tests as a FIXTURE named in the exercise (for example
`ranges`), the module object itself. A test asks for it by naming it as a parameter:

    def test_first_bytes(ranges):
        assert ranges.parse_range("bytes=0-9", 100) == (0, 9)

Your own fixtures can depend on it the same way. During a planted-bug run, that fixture is the
buggy copy.
"""

import dataclasses
import pathlib
import sys
import types

import pytest

HERE = pathlib.Path(__file__).resolve().parent


@dataclasses.dataclass
class SuiteResult:
    exit_code: int
    passed: list
    failed: list
    collection_errors: list
    module: types.ModuleType

    @property
    def total(self):
        return len(self.passed) + len(self.failed)

    def summary(self):
        lines = [f"{len(self.passed)} passed, {len(self.failed)} failed (pytest exit {self.exit_code})"]
        lines += [f"  FAILED {nodeid}: {message}" for nodeid, message in self.failed[:8]]
        lines += [f"  COLLECTION ERROR {nodeid}: {message}" for nodeid, message in self.collection_errors[:3]]
        return "\n".join(lines)


class _Recorder:
    def __init__(self):
        self.outcomes = {}
        self.order = []
        self.collection_errors = []

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append((report.nodeid, _short(report)))

    def pytest_runtest_logreport(self, report):
        nodeid = report.nodeid
        if nodeid not in self.outcomes:
            self.order.append(nodeid)
            self.outcomes[nodeid] = ("passed", "")
        if report.failed or (report.when == "call" and not report.passed):
            if self.outcomes[nodeid][0] == "passed":
                # A fixture that does not exist is a broken test, not a caught bug.
                broken = type(report.longrepr).__name__ == "FixtureLookupErrorRepr"
                outcome = "broken" if broken or report.skipped else "failed"
                self.outcomes[nodeid] = (outcome, f"{report.when}: {_short(report)}")


def _short(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("E ", "fixture '")):
            return line[:300]
    return lines[0][:300] if lines else ""


def load_subject(subject, edits=()):
    """A fresh module object built from `<subject>.py`, with find/replace `edits` applied."""
    path = HERE / f"{subject}.py"
    source = path.read_text(encoding="utf-8")
    for find, replace in edits:
        count = source.count(find)
        assert count == 1, f"course bug: planted edit {find!r} occurs {count} times in {subject}.py"
        source = source.replace(find, replace)
    module = types.ModuleType(subject)
    module.__file__ = str(path)
    code = compile(source, str(path) if not edits else f"<planted bug in {subject}.py>", "exec")
    sys.modules[subject] = module
    exec(code, module.__dict__)
    return module


def subject_plugin(fixture_name, module):
    """A plugin that provides `module` to the learner's tests as the fixture `fixture_name`."""

    @pytest.fixture(name=fixture_name)
    def subject_fixture():
        return module

    plugin = types.ModuleType(f"course_fixture_{fixture_name}")
    plugin.subject_fixture = subject_fixture
    return plugin


def run_suite(pytestconfig, learner, subject, fixture_name, edits=(), plugins=(), stop_at_first_failure=None):
    """Runs the tests of `<learner>.py` with the fixture `fixture_name` bound to the real
    `subject` module or to a planted bug. Returns the SuiteResult and the module used."""
    names = (learner, subject)
    saved = {name: sys.modules.get(name) for name in names}
    recorder = _Recorder()
    try:
        sys.modules.pop(learner, None)
        module = load_subject(subject, edits)
        # The course's own configuration (the runner's ini file), never one found by searching.
        config = ["-c", str(pytestconfig.inipath)] if pytestconfig.inipath else []
        args = [
            *config, "--rootdir", str(HERE), "--noconftest",
            "-p", "no:cacheprovider", "-p", "no:stepwise", "-q", "--color=no",
            str(HERE / f"{learner}.py"),
        ]
        # Against a planted bug one failing test is the answer: stop there (it keeps runs short).
        if stop_at_first_failure if stop_at_first_failure is not None else bool(edits):
            args.insert(0, "-x")
        code = pytest.main(args, plugins=[recorder, subject_plugin(fixture_name, module), *plugins])
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
    outcomes = recorder.outcomes
    passed = [n for n in recorder.order if outcomes[n][0] == "passed"]
    failed = [(n, outcomes[n][1]) for n in recorder.order if outcomes[n][0] == "failed"]
    broken = [(n, outcomes[n][1]) for n in recorder.order if outcomes[n][0] == "broken"]
    return SuiteResult(int(code), passed, failed, recorder.collection_errors + broken, module)


def assert_ran(result):
    assert result.exit_code in (0, 1, 5), f"pytest could not run your module (exit {result.exit_code})"


def assert_suite_passes(result, minimum):
    assert_ran(result)
    assert not result.collection_errors, "your test module does not import/collect:\n" + result.summary()
    assert not result.failed, "against the CORRECT implementation, your tests must all pass:\n" + result.summary()
    assert result.total >= minimum, (
        f"your module has {result.total} tests; this exercise asks for at least {minimum}"
    )


def assert_bug_caught(result, label):
    assert_ran(result)
    assert not result.collection_errors, "your test module does not import/collect:\n" + result.summary()
    assert result.total > 0, "your module has no tests"
    assert result.failed, f"planted bug NOT caught: {label}\nall {result.total} of your tests passed against it"
