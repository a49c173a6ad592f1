"""Runs one Python exercise's tests for the backendlings runner, and reports what pytest decided.

    python -I -B harness.py run DIR TEST_FILE RESULTS [PER_TEST_TIMEOUT [fail-fast]]
    python -I -B harness.py serve

`run` runs pytest once in DIR (the exercise's run folder: the learner's module, the course's test
file, support files) with the course's configuration only: `-c` names the runner's own ini file,
conftest files are never loaded, plugin autoload and the cache provider are off, no bytecode is
written. The verdict is not read from pytest's human output: the plugin below writes one JSON
document to RESULTS at the end of the session, with the per-test outcomes and a short message
for each failure, signed with the run's nonce, which the runner leaves in DIR/.nonce and this
script reads and deletes before any learner code is imported. The exit code is pytest's.
`fail-fast` stops at the first failing test (pytest's `-x`): `dev check` runs its mutants so,
since the first failure decides their verdict.

`serve` is the warm worker of watch mode (it also answers the rule book's requests, `{"rules":
...}`, in the parent: parsing runs no learner code): it imports pytest and the frameworks once, freezes
them out of the garbage collector's way (`gc.freeze()`) and, for each request read from stdin
(one JSON object per line), forks a child that runs exactly as `run` does. Replies on stdout, one
JSON object per line: `{"pid": N}` when the child started (the runner kills its process group at
the deadline), then `{"code": C}` or `{"signal": S}` when it ended. Learner code is imported only
in the children, so each check starts from the same clean parent.
"""

import json
import os
import signal
import sys

os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
os.environ.pop("PYTEST_ADDOPTS", None)
os.environ.pop("PYTEST_PLUGINS", None)

# Taken before any learner code is imported: the results are written with these, whatever the
# learner's module later does to the `json` module or to builtins.
_dumps = json.dumps
_open = open

HERE = os.path.dirname(os.path.abspath(__file__))
INI = os.path.join(HERE, "pytest.ini")
# One cleaned message per failure, and no more of it than a screen shows.
MESSAGE_CAP = 4000
# Windows has no interval timer: there only the whole run's time limit holds.
CAN_ALARM = hasattr(signal, "setitimer")


class TestTimedOut(Exception):
    """Raised in a test that ran past its own time limit."""


class Results:
    """The plugin: collects per-test outcomes and writes them once, at the end."""

    def __init__(self, nonce, path, per_test_timeout):
        self.nonce = nonce
        self.path = path
        self.per_test_timeout = per_test_timeout
        self.tests = {}
        self.order = []
        self.errors = []

    def outcome(self, nodeid, outcome, message):
        if nodeid not in self.tests:
            self.order.append(nodeid)
            self.tests[nodeid] = {"id": nodeid, "outcome": outcome, "message": message}
        elif self.tests[nodeid]["outcome"] == "passed" and outcome != "passed":
            # A teardown that fails turns a passed call into a failure.
            self.tests[nodeid].update(outcome=outcome, message=message)

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append({"id": report.nodeid, "message": short(report)})

    def pytest_runtest_logreport(self, report):
        if report.when == "call":
            outcome = report.outcome
            if hasattr(report, "wasxfail"):
                outcome = "skipped"
            self.outcome(report.nodeid, outcome, short(report) if report.failed else "")
        elif report.failed:
            self.outcome(report.nodeid, "error", short(report))
        elif report.skipped:
            self.outcome(report.nodeid, "skipped", "")

    def pytest_runtest_call(self, item):
        # Not a wrapper: arming the alarm here and disarming it in `pytest_runtest_teardown`
        # covers exactly the test's own body.
        if self.per_test_timeout and CAN_ALARM:

            def expired(signum, frame):
                raise TestTimedOut(f"the test ran longer than {self.per_test_timeout} s")

            signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, self.per_test_timeout)

    def pytest_runtest_teardown(self, item):
        if self.per_test_timeout and CAN_ALARM:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def pytest_sessionfinish(self, session, exitstatus):
        document = {
            "nonce": self.nonce,
            "tests": [self.tests[nodeid] for nodeid in self.order],
            "errors": self.errors,
            "exit": int(exitstatus),
        }
        with _open(self.path, "w", encoding="utf-8") as f:
            f.write(_dumps(document))


def short(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return text[:MESSAGE_CAP]


def take_nonce(folder):
    path = os.path.join(folder, ".nonce")
    with open(path, encoding="utf-8") as f:
        nonce = f.read().strip()
    os.unlink(path)
    return nonce


# Unix sockets have a path of at most 107 bytes (104 on macOS): a longer run folder puts the
# check's Redis socket in a temporary folder instead.
SOCKET_PATH_MAX = 100
# Commands the check's Redis does not have (renamed to nothing).
REDIS_REFUSED = [
    "CONFIG", "MODULE", "DEBUG", "SAVE", "BGSAVE", "BGREWRITEAOF", "REPLICAOF", "SLAVEOF",
    "MIGRATE", "SYNC", "PSYNC", "FAILOVER", "ACL", "SHUTDOWN", "MONITOR",
]


class Redis:
    """The check's own `redis-server` (the runner passes its path in BACKENDLINGS_REDIS_SERVER):
    a unix socket in the run folder, no TCP port, no persistence. It is a child of this process in
    its process group, so a check killed at its deadline takes it along; a check that ends stops
    it here."""

    def __init__(self, server, folder):
        import socket
        import subprocess
        import tempfile
        import time

        self.tmp = None
        path = os.path.join(folder, ".redis.sock")
        if len(path.encode()) > SOCKET_PATH_MAX:
            self.tmp = tempfile.mkdtemp(prefix="bdl-redis-")
            path = os.path.join(self.tmp, "redis.sock")
        self.path = path
        args = [
            server, "--port", "0", "--unixsocket", path, "--unixsocketperm", "700",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", folder,
            "--loglevel", "warning", "--logfile", "", "--protected-mode", "no",
        ]
        # What reaches beyond the check's data: files (CONFIG SET dir + SAVE), native code
        # (MODULE LOAD), the server's own state (DEBUG), other servers (replication, MIGRATE).
        for command in REDIS_REFUSED:
            args += ["--rename-command", command, ""]
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                said = self.process.stderr.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server did not start: {said}")
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                    conn.settimeout(1)
                    conn.connect(path)
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("redis-server did not answer within 10 s")
            time.sleep(0.002)
        self.process.stderr.close()

    def url(self):
        return "unix://" + self.path

    def stop(self):
        try:
            self.process.kill()
            self.process.wait()
        except OSError:
            pass
        for leftover in (self.path,):
            try:
                os.unlink(leftover)
            except OSError:
                pass
        if self.tmp:
            try:
                os.rmdir(self.tmp)
            except OSError:
                pass


def run(folder, test_file, results, per_test_timeout, fail_fast=False):
    """Runs the tests; returns pytest's exit code."""
    nonce = take_nonce(folder)
    os.chdir(folder)
    server = os.environ.pop("BACKENDLINGS_REDIS_SERVER", None)
    redis = None
    if server:
        import time

        began = time.perf_counter()
        redis = Redis(server, folder)
        os.environ["BACKENDLINGS_REDIS_URL"] = redis.url()
        if os.environ.pop("BACKENDLINGS_SERVICE_TIMES", None):
            took = (time.perf_counter() - began) * 1000
            sys.stderr.write(f"services: redis-server answered in {took:.0f} ms\n")
    try:
        return run_tests(folder, test_file, results, per_test_timeout, nonce, fail_fast)
    finally:
        if redis is not None:
            redis.stop()


def run_tests(folder, test_file, results, per_test_timeout, nonce, fail_fast):
    sys.path.insert(0, folder)
    import pytest

    args = [
        "-c", INI, "--rootdir", folder, "--noconftest", "-p", "no:cacheprovider",
        "-p", "no:stepwise", "-p", "no:pastebin", "-q", "--color=yes", "-o",
        "console_output_style=classic", test_file,
    ]
    if fail_fast:
        args.insert(-1, "-x")
    return int(pytest.main(args, plugins=[Results(nonce, results, per_test_timeout)]))


PRELOAD = [
    "pytest", "_pytest.python", "_pytest.runner", "_pytest.assertion.rewrite", "_pytest.fixtures",
    "asyncio", "json", "pdb", "readline", "unittest", "faulthandler", "queue", "code", "cmd",
    "xml.etree.ElementTree", "pydantic", "pydantic.v1", "fastapi", "fastapi.testclient",
    "starlette.testclient", "flask", "werkzeug.test", "httpx2", "anyio", "anyio._backends._asyncio",
    # 06_databases: about half a second of imports per check otherwise.
    "sqlite3", "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.pool", "sqlalchemy.dialects.sqlite",
    "alembic.operations", "alembic.runtime.migration", "alembic.ddl.sqlite",
    "subprocess", "tempfile", "socket", "redis", "psycopg",
    # 09_celery: about a quarter of a second of imports per check otherwise (no threads start
    # at import; the tests start their worker in the child).
    "celery", "celery.app", "celery.app.task", "celery.app.trace", "celery.app.amqp",
    "celery.app.routes", "celery.app.control", "celery.app.log", "celery.app.events",
    "celery.canvas", "celery.schedules", "celery.result", "celery.events", "celery.loaders.app",
    "celery.backends.redis", "celery.contrib.testing.worker", "celery.worker.consumer",
    "celery.concurrency.solo", "celery.concurrency.thread", "kombu", "kombu.transport.redis",
    # Django and DRF: only modules that import without settings. Django is never configured in
    # the parent (`settings.configure()` and `django.setup()` happen in each child, in the
    # course's support module), so a child starts from an unconfigured Django with its code
    # already in memory; what needs settings to import (the contrib apps' models, DRF's views)
    # is imported by `django.setup()` in the child, in a few tens of milliseconds.
    "django", "django.db.models", "django.db.backends.sqlite3.base",
    "django.db.backends.sqlite3.schema", "django.db.backends.sqlite3.features",
    "django.db.backends.sqlite3.operations", "django.db.backends.sqlite3.introspection",
    "django.db.backends.sqlite3.creation", "django.test", "django.test.client",
    "django.test.utils", "django.contrib.admin", "django.contrib.admin.options",
    "django.contrib.admin.sites", "django.contrib.admin.helpers", "django.contrib.admin.views.main",
    "django.contrib.admin.templatetags.admin_list", "django.contrib.auth",
    "django.contrib.auth.hashers", "django.contrib.auth.password_validation",
    "django.contrib.sessions.middleware", "django.contrib.sessions.backends.db",
    "django.contrib.messages.middleware", "django.contrib.messages.storage.fallback",
    "django.middleware.common", "django.middleware.csrf", "django.urls", "django.http",
    "django.core.handlers.wsgi", "django.core.cache.backends.locmem",
    "django.template.backends.django", "django.template.loader_tags",
    "django.template.defaulttags", "django.forms", "rest_framework", "rest_framework.serializers",
    "rest_framework.permissions", "rest_framework.response", "rest_framework.negotiation",
    "rest_framework.authentication", "rest_framework.exceptions", "rest_framework.fields",
    "rest_framework.relations", "rest_framework.validators", "rest_framework.mixins",
    "rest_framework.metadata", "rest_framework.status", "rest_framework.request",
    # What `django.setup()`, the admin and DRF's views import beside the modules that need
    # settings (found by importing each in an unconfigured interpreter).
    "django.contrib.contenttypes", "django.contrib.contenttypes.checks",
    "django.db.migrations.utils", "django.contrib.contenttypes.management",
    "django.contrib.contenttypes.apps", "django.contrib.auth.management",
    "django.contrib.auth.checks", "django.contrib.auth.apps", "django.contrib.sessions.apps",
    "django.contrib.messages.apps", "django.contrib.admin.apps", "rest_framework.apps",
    "django.contrib.auth.validators", "django.utils.translation.reloader",
    "django.contrib.auth.tokens", "django.contrib.sites", "django.contrib.sites.requests",
    "django.contrib.sites.shortcuts", "rest_framework.checks", "rest_framework.utils.encoders",
    "rest_framework.utils.breadcrumbs", "django.contrib.admindocs",
    "django.contrib.admin.views.decorators", "django.contrib.admindocs.utils",
    "django.contrib.admindocs.views", "rest_framework.urlpatterns",
    "django.db.models.sql.compiler", "django.contrib.sessions.serializers",
    "django.core.cache.utils", "django.templatetags.cache", "django.templatetags.l10n",
    "django.templatetags.tz", "django.contrib.admin.templatetags.admin_modify",
    "django.contrib.admin.templatetags.log", "rest_framework.templatetags",
    "django.template.loaders", "django.template.loaders.base", "django.template.loaders.cached",
    "django.template.loaders.filesystem", "django.template.loaders.app_directories",
    "django.template.context_processors", "django.contrib.auth.context_processors",
    "django.contrib.messages.context_processors", "django.conf.locale.en",
    "django.conf.locale.en.formats", "django.views.defaults", "django.conf.urls",
    "django.middleware.http", "django.views.decorators.http",
]


def preload():
    """Imports what every run imports, so that forked children find it in memory: pytest with
    its built-in plugins, the frameworks and their test clients."""
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        names = list(PRELOAD)
        try:
            from _pytest.config import default_plugins

            names += [f"_pytest.{name}" for name in default_plugins]
        except ImportError:
            pass
        for name in names:
            try:
                importlib.import_module(name)
            except Exception:
                pass


def serve():
    import gc

    preload()
    gc.collect()
    gc.freeze()
    out = sys.stdout
    sys.path.insert(0, HERE)
    import rules

    for line in sys.stdin:
        request = json.loads(line)
        if "rules" in request:
            # Parsing runs no learner code: the parent answers without a fork.
            out.write(json.dumps(rules.answer(request["rules"])) + "\n")
            out.flush()
            continue
        out.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                os.setsid()
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                memory = request.get("memory")
                if memory:
                    import resource

                    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                log = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(log, 1)
                os.dup2(log, 2)
                os.close(null)
                os.close(log)
                sys.stdin = open(0, closefd=False)
                sys.stdout = open(1, "w", closefd=False, buffering=1)
                sys.stderr = open(2, "w", closefd=False, buffering=1)
                os.environ.update(request.get("env") or {})
                code = run(
                    request["dir"], request["test"], request["results"], request["timeout"],
                    request.get("fail_fast", False),
                )
            except BaseException as err:  # noqa: BLE001 - the child must always exit
                try:
                    sys.stderr.write(f"backendlings harness: {err!r}\n")
                    sys.stderr.flush()
                except BaseException:
                    pass
            finally:
                os._exit(code)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            reply = {"signal": os.WTERMSIG(status)}
        else:
            reply = {"code": os.WEXITSTATUS(status)}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "run" and len(sys.argv) in (5, 6, 7):
        timeout = float(sys.argv[5]) if len(sys.argv) >= 6 else 0
        fail_fast = len(sys.argv) == 7 and sys.argv[6] == "fail-fast"
        sys.exit(run(sys.argv[2], sys.argv[3], sys.argv[4], timeout, fail_fast))
    if command == "serve":
        serve()
        return
    sys.stderr.write(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
