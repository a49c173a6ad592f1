"""The Python track's rule book: what a learner's file may not do, read from its syntax tree.

The runner runs this file with the track's interpreter in isolated mode (`python -I -B`) before
any learner code runs; it parses the learner's files with `ast` and never imports them. Input:
one JSON object as the only argument, `{"files": [{"path": P, "shown": S, "shipped": Q or null}],
"own_modules": [...], "own_module_paths": {...}, "own_packages": [...]}` (`shown`: the path as
messages name it; `shipped`: the course's version of the file, whose dunder methods the learner
may keep; `own_modules`: the course's support modules the exercise may import, and
`own_module_paths` where each is; `own_packages`: the learner's own package of a folder
exercise, whose modules import each other by its name). Output: one JSON object on stdout,
`{"problems": [{"file", "line", "message"}], "syntax": null or {"file", "line", "message"}}`.

The rules keep learner code from forging a verdict in-process: the course's tests and the
results plugin share the interpreter with it. They are deliberately narrow about *reach*
(imports, private and dunder attributes, frames, monkeypatching what was imported, dynamic
evaluation, files) and say nothing about style: any correct solution of an exercise passes them.
"""

import ast
import importlib.util
import json
import os
import re
import sys

# Modules a learner may import (the top-level name). Everything else is refused: the standard
# library's reach into the interpreter (sys, gc, inspect, ctypes, importlib, builtins, signal,
# atexit, types), processes (os beyond the names below, subprocess, multiprocessing, pty) and
# files (io beyond in-memory buffers, pathlib beyond pure paths, shutil, tempfile, urllib.request)
# is what a forged verdict needs.
ALLOWED_MODULES = {
    "__future__", "abc", "annotated_types", "array", "asyncio", "base64", "binascii", "bisect",
    "botocore", "collections", "concurrent", "contextlib", "contextvars", "copy", "csv",
    "dataclasses", "datetime", "decimal", "django", "email", "enum", "fastapi", "flask",
    "fractions", "functools",
    "hashlib", "heapq", "hmac", "html", "http", "httpx", "httpx2", "io", "ipaddress",
    "itertools", "itsdangerous", "json", "jwt", "logging", "math", "numbers", "psycopg", "redis",
    "operator", "os", "pathlib", "pprint", "pydantic", "pytest", "queue", "random", "re",
    "rest_framework",
    "secrets", "sqlite3", "starlette", "statistics", "string", "struct", "textwrap",
    "threading", "time", "tomllib", "typing", "typing_extensions", "unicodedata", "urllib",
    "uuid", "warnings", "werkzeug", "zoneinfo",
    # The rest of the roadmap's packages (their dangerous parts are refused below).
    "alembic", "sqlalchemy",
    # 11_observability: metrics on a registry the app owns (its file, network and process
    # parts are refused below).
    "prometheus_client",
    # 09_celery: only the names in RESTRICTED below, with CELERY_NAMES refused.
    "celery", "kombu",
}

# Submodules refused although their package is allowed.
# `psycopg.pq` is libpq's raw interface (connection objects outside psycopg's checks, protocol
# traces written to any file descriptor); `redis.ocsp`/`redis.sentinel` reach other servers
# and files the exercise never needs.
REFUSED_SUBMODULES = {
    "psycopg.pq", "redis.ocsp", "redis.sentinel",
    # Red team round 10: pydantic's v1 API (`PyObject` imports by name; graded code uses v2),
    # werkzeug's debugger (a console that runs text as code), Django's syndication views
    # (re-export `inspect.getattr_static`).
    "pydantic.v1", "werkzeug.debug", "django.contrib.syndication",
    "asyncio.subprocess", "concurrent.futures.process", "email.generator", "http.client",
    "http.server", "logging.config", "logging.handlers", "urllib.request", "urllib.response",
    "urllib.robotparser",
    # PyJWT: the JWKS client fetches keys over the network (urllib.request, any URL scheme its
    # opener supports); `jwt.help` reports the interpreter and platform.
    "jwt.jwks_client", "jwt.help",
    # SQLAlchemy: `util` holds PluginLoader (registers and loads any `module:attribute` by name)
    # and the code generator that `exec`s text; `testing` is a pytest plugin that reads config
    # files and provisions databases; `clsregistry` evaluates strings as Python; the mypy plugin
    # loads code. Graded code needs none of them.
    "sqlalchemy.util", "sqlalchemy.testing", "sqlalchemy.orm.clsregistry", "sqlalchemy.ext.mypy",
    # Alembic: only `alembic.op`, `alembic.operations` and `alembic.runtime.migration` are for
    # graded code. `config` and `command` read ini/toml files and run commands, `script` loads
    # migration files from a directory (code loaded by path), `util` has `load_python_file`,
    # `context` and `runtime.environment` run env.py, `autogenerate` writes revision files.
    "alembic.config", "alembic.command", "alembic.script", "alembic.util", "alembic.testing",
    "alembic.context", "alembic.runtime.environment", "alembic.autogenerate",
    # Django (its top-level names are limited in RESTRICTED below: no `django.conf`, whose
    # `settings` the course configures; no `django.test`, the machinery that runs and observes
    # the tests; no `django.apps`, the registry of models; no `django.template`, templates from
    # text; no `django.setup`). Management commands run anything (`flush`, `loaddata` from
    # files, `shell`); files and mail reach outside the process; `wsgi`/`asgi` re-run
    # `django.setup()`; `module_loading` loads code by name; `autoreload` restarts processes;
    # `log` configures logging from settings; `archive` extracts files; migrations import
    # modules by name; the database backends and `db.utils` are the raw connections whose
    # query log the tests read (the ORM is the lesson).
    "django.core.management", "django.core.files", "django.core.mail", "django.core.wsgi",
    "django.core.asgi", "django.core.servers", "django.contrib.staticfiles",
    "django.contrib.admindocs", "django.contrib.gis", "django.views.static",
    "django.utils.module_loading", "django.utils.autoreload", "django.utils.log",
    "django.utils.archive", "django.db.migrations", "django.db.backends", "django.db.utils",
    # Django REST framework: its settings object (read at run time, and reloadable), its test
    # client and `force_authenticate` (the course's test machinery), its management commands.
    "rest_framework.settings", "rest_framework.test", "rest_framework.management",
    "rest_framework.authtoken.management",
    # prometheus_client: multiprocess mode reads and writes mmap files in a directory
    # (`multiprocess`, `mmap_dict`, `values` switches every metric of the process to it);
    # the collectors read /proc and the interpreter (`process_collector`, `gc_collector`,
    # `platform_collector`); the bridges open sockets; `decorator` builds functions from source
    # text with `exec`; `exposition` also holds the HTTP servers, the textfile writer and the
    # Pushgateway client (its safe names, `generate_latest` and `CONTENT_TYPE_LATEST`, are
    # imported from `prometheus_client` itself).
    "prometheus_client.multiprocess", "prometheus_client.mmap_dict", "prometheus_client.values",
    "prometheus_client.process_collector", "prometheus_client.gc_collector",
    "prometheus_client.platform_collector", "prometheus_client.bridge",
    "prometheus_client.twisted", "prometheus_client.decorator", "prometheus_client.exposition",
    "prometheus_client.aiohttp", "prometheus_client.django",
}

# For these modules only the names listed may be used (`os.environ`, `from os import getenv`).
RESTRICTED = {
    "os": {"environ", "getenv", "path", "sep", "linesep", "urandom", "cpu_count", "name",
           "PathLike", "fspath", "curdir", "pardir"},
    "io": {"StringIO", "BytesIO"},
    "pathlib": {"PurePath", "PurePosixPath", "PureWindowsPath"},
    "pytest": {"fixture", "mark", "raises", "approx", "param", "warns", "MonkeyPatch",
               "FixtureRequest", "LogCaptureFixture", "CaptureFixture"},
    "urllib": {"parse"},
    # AWS clients are built by the course and passed in: a learner needs only the exception
    # classes and `Config` (timeouts, retries). The rest of botocore loads service models and
    # config files from disk (`loaders`, `session`, `configprovider`, `credentials` reading
    # ~/.aws), patches clients (`stub`, `hooks`) or talks HTTP (`httpsession`, `endpoint`).
    "botocore": {"exceptions", "config"},
    # Django's packages a lesson uses; not `conf` (settings), `test`, `apps`, `template(tags)`,
    # `setup` (see REFUSED_SUBMODULES).
    "django": {"db", "contrib", "core", "http", "urls", "utils", "views", "shortcuts",
               "dispatch", "forms", "middleware", "VERSION", "get_version"},
    # Celery: the app, tasks, the canvas, results, states, schedules and exceptions. Not
    # `celery.bin`/`celery.apps` (the command line and the worker/beat programs: processes,
    # pid and log files), `celery.concurrency` (the prefork pool forks processes; eventlet and
    # gevent patch the interpreter), `celery.contrib` (`rdb` opens a debugger on a socket,
    # `testing` starts workers: the course's tests do that), `celery.loaders`/`celery.fixups`
    # (configuration and modules loaded by name), `celery.utils` (`imports.symbol_by_name` and
    # `instantiate` load code by name, `functional.head_from_fun` builds code with `exec`),
    # `celery.beat` (writes its schedule to a shelve file), `celery.worker`/`celery.bootsteps`
    # (the worker the tests run; its state db is a file), `celery.platforms` (daemons, pid
    # files, signals), `celery.security` (key files), `celery.backends` (result backends by
    # URL: the course gives the app its backend), `celery.signals` (hooks into the course's
    # own task runs), `celery.app` (its `backends`, `log`, `utils` and `control` load classes
    # by name, configure logging to files and broadcast commands to the course's worker).
    "celery": {"Celery", "Task", "shared_task", "Signature", "chain", "chord", "chunks",
               "group", "signature", "maybe_signature", "xmap", "xstarmap", "current_app",
               "current_task", "uuid", "states", "schedules", "exceptions", "result", "canvas"},
    # kombu: declaring queues and exchanges for routing, and its exceptions. Not
    # `kombu.serialization` (registers pickle/yaml decoders: a message would run code when
    # read), `kombu.utils.imports` (`symbol_by_name`), `kombu.transport` (transports by name,
    # the filesystem transport writes files), `kombu.pidbox` (remote control of workers).
    "kombu": {"Queue", "Exchange", "exceptions"},
    "logging": {"getLogger", "Logger", "LoggerAdapter", "Formatter", "Filter", "Handler",
                "StreamHandler", "LogRecord", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL",
                "NOTSET", "debug", "info", "warning", "error", "critical",
                "exception", "log", "getLevelName", "NullHandler"},
}

# `pytest.mark.X`: only parametrize (skip, xfail and usefixtures change what a run reports).
PYTEST_MARKS = {"parametrize"}

# Builtins that evaluate text as code, reach the interpreter's namespaces or open files.
REFUSED_BUILTINS = {
    "__import__", "eval", "exec", "compile", "globals", "locals", "vars", "breakpoint", "open",
    "exit", "quit", "help", "input", "memoryview", "__build_class__", "__builtins__",
    "__loader__", "__spec__",
}

# Attribute names refused on any object: frames, code and closures, and pytest's machinery as
# fixtures expose it (`request.node.session`, `pytestconfig.pluginmanager`).
REFUSED_ATTRIBUTES = {
    "tb_frame", "tb_next", "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace",
    "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "cell_contents",
    "co_code", "co_consts", "pluginmanager", "hook", "session", "node", "stash", "config",
    "getfixturevalue", "applymarker", "load_extension", "enable_load_extension",
    "FileHandler", "FileResponse", "StaticFiles", "FileSystemLoader", "send_file",
    "send_from_directory", "open_resource", "open_instance_resource", "from_pyfile",
    "from_file", "from_envvar", "mro", "with_traceback", "attrgetter",
    "methodcaller", "format_map", "create_subprocess_exec",
    "create_subprocess_shell", "settrace", "setprofile", "settrace_all_threads",
    "setprofile_all_threads", "excepthook", "get_type_hints", "showwarning", "load_module",
    "exec_module", "skip", "skipif", "xfail", "importorskip", "usefixtures", "filterwarnings",
    # Redis commands that reach beyond the check's keys (files, native modules, the server's
    # configuration; the check's server refuses them too), and raw commands that would bypass
    # this list. psycopg's raw libpq connection.
    "config_set", "config_rewrite", "module_load", "module_loadex", "execute_command", "pgconn",
    # Code written as text or classes built at run time.
    "render_template_string", "stream_template_string", "from_string", "Template",
    "make_dataclass", "create_model", "ABCMeta", "EnumMeta", "EnumType", "new_class",
    "FunctionType", "CodeType", "LambdaType", "MethodType", "codecs",
    # Modules reach other modules through what they imported (`os.path.os`, `x.sys`).
    "sys", "os", "subprocess", "importlib", "builtins", "inspect", "ctypes", "gc", "signal",
    "types", "traceback", "pickle", "marshal", "shutil", "tempfile", "posix", "nt", "_io",
    # What `botocore.exceptions` imported: an HTTP library that is not the client's.
    "urllib3",
    # Gadgets of allowed libraries (red team round 8): code or modules loaded by name
    # (werkzeug's `import_string`, pydantic's `ImportString`), expressions evaluated from text
    # (Jinja's `compile_expression`), processes started by the event loop, and the decorator
    # that switches the type checker off like `# type: ignore` does.
    "import_string", "ImportString", "compile_expression", "subprocess_exec", "subprocess_shell",
    "no_type_check", "no_type_check_decorator", "jinja_env", "jinja_loader",
    # Red team round 10: `inspect.getattr_static` (and `unwrap`) as re-exported by Django's
    # syndication views read any attribute by a computed name (a module's `os`, then `sys`);
    # pydantic v1's `PyObject` imports any dotted name given as text; werkzeug's debugger
    # console (`Console().eval(text)`) runs text as code.
    # (`.eval` itself stays: redis-py's `eval` runs a Lua script on the server.)
    "getattr_static", "unwrap", "PyObject", "pyobject_validator", "Console",
    # PyJWT: the JWKS client reaches the network; (un)registering an algorithm changes the
    # process-wide default decoder the course's tests share with graded code.
    "PyJWKClient", "register_algorithm", "unregister_algorithm",
    # SQLAlchemy: engines are made from URLs, which open database files and load dialects and
    # `plugins=` by name: graded code gets its engine, connection or session from the tests.
    "create_engine", "engine_from_config", "create_async_engine", "async_engine_from_config",
    "create_pool_from_url", "create_mock_engine", "get_dialect", "PluginLoader",
    # The PluginLoaders themselves (`sqlalchemy.dialects.registry.register(name, "module",
    # "Class")` loads code by name): refused by their names, since `register` is how Django's
    # admin and DRF's routers are used.
    "registry", "plugins",
    # `relationship("X", order_by="...")` and `backref` evaluate their strings with `eval`;
    # graded code uses the course's mapped classes instead of declaring relationships.
    "relationship", "backref",
    # `engine.dispatch` holds the event listeners the tests installed (statement counters).
    "dispatch",
    # Django and DRF (with DJANGO_ATTRIBUTES below): DRF's settings object, reachable as an
    # attribute of any module that imported it: changing settings at run time changes how the
    # course's tests run. Loading code by its dotted name (`import_string`, `get_callable`,
    # `autodiscover`), and management commands (`call_command`), wherever they were imported.
    "api_settings", "import_string", "import_module", "get_callable", "autodiscover",
    "autodiscover_modules", "call_command", "load_backend",
    # The database connection under the ORM, through any path: its query log and debug cursor
    # are what the tests count queries with; `execute_wrapper` and the `connection_created`
    # signal can hide queries, `reset_queries` empties the log under a count.
    "get_connection", "get_compiler", "queries_log", "force_debug_cursor", "execute_wrapper",
    "connection_created", "reset_queries",
    # prometheus_client's servers, files and network clients, and its collectors of the
    # process (as re-exported by the package itself): graded code serves its registry through
    # the app's own `/metrics` endpoint.
    "start_http_server", "start_wsgi_server", "write_to_textfile", "push_to_gateway",
    "pushadd_to_gateway", "delete_from_gateway", "instance_ip_grouping_key",
    "MultiProcessCollector", "ProcessCollector", "GCCollector", "PlatformCollector",
    "PROCESS_COLLECTOR", "GC_COLLECTOR", "PLATFORM_COLLECTOR",
    # Red team round 9: DRF's `fields.get_attribute(obj, [names])` reads any attribute by
    # computed names; Pydantic's AliasGenerator computes aliases (see NAMED_BY_TEXT_CALLS).
    "get_attribute", "AliasGenerator",
    # `functools.update_wrapper(obj, box)` copies `box.__dict__` (any attributes, `operate`
    # among them) onto any object, and sets the attributes `assigned=` names; `wraps` only as
    # a decorator of the learner's own function (see `visit_FunctionDef`).
    "update_wrapper",
}
# Refused in a file that imports Django or DRF, as attributes of anything and as imported
# names, and only there (FastAPI code reads `app.state.settings`, SQLAlchemy code calls
# `session.connection()`): Django's settings object, reachable from any module that imported
# it (`django.db.models.base.settings`) and from every DRF view (`self.settings`); the app
# registry (`apps.register_model`, `apps.clear_cache`); the database connections under the
# ORM, whose query log the tests count queries with.
DJANGO_ATTRIBUTES = {"settings", "apps", "connection", "connections"}
DJANGO_TOPS = {"django", "rest_framework"}

# `logging.Formatter` (11_observability: a JSON formatter subclasses it), from `logging` only,
# and with its %-style only: `style="{"` formats a record with `str.format`, which reads
# attributes by text (`"{exc_info[2].tb_frame}"`), what the `.format` rule refuses.
# `string.Formatter` (whose `get_field` reads attributes by text) stays refused. So a call of
# a formatter class (`Formatter`, a class of the file deriving from it, `type(x)`, or
# `super().__init__` in such a class) may pass at most `fmt` and `datefmt` positionally, no
# `*`/`**`, and a `style` keyword (anywhere) must be "%" or "$" written out; the class itself
# is only called, derived from or named in an annotation (never passed to `partial`).
# `record.exc_info` (once refused as `exc_info`) is what a formatter serialises: the frames
# of its traceback stay behind the `tb_frame`/`tb_next` refusals.
FORMATTER_STYLES = {"%", "$"}

# Refused in a file that imports Celery or kombu, as attributes, imported names, keyword
# arguments, names assigned in a class body, and strings (configuration keys): Celery loads
# much of itself by name, and its configuration is where names go. `Celery(loader=, amqp=,
# events=, log=, control=, fixups=, config_source=, include=)`, the `*_cls` class attributes
# (`amqp_cls`, `task_cls`, `registry_cls`), a task class's `Request` and `Strategy`, the
# `imports`/`include` settings, `task_annotations` and the bootsteps are dotted names passed to
# `symbol_by_name`/`instantiate` (any module imported, any callable called); the broker and
# result backend URLs choose transports and backends by name, the filesystem ones write files
# (the course gives the app its broker and backend); `worker_state_db`, `worker_log_file`,
# `beat_schedule_filename` and the security keys are files; `start`/`worker_main` run the
# command line in-process, `Worker`/`WorkController`/`Beat` start programs, `control`
# broadcasts to the course's worker (`pool_restart` reimports modules by name), `log` sets up
# logging to files; the `config_from_*` and `autodiscover_tasks` family import modules by
# name; (un)registering serializers turns pickle or yaml decoding back on.
CELERY_NAMES = {
    "loader", "config_source", "include", "imports", "fixups", "builtin_fixups", "amqp",
    "events", "log", "control", "steps", "user_options", "Request", "Strategy",
    "task_annotations", "annotations", "broker", "backend", "broker_url", "broker_read_url",
    "broker_write_url", "result_backend", "transport", "broker_transport", "database_url",
    "worker_pool", "pool", "worker_consumer", "worker_timer", "worker_autoscaler",
    "worker_state_db", "statedb", "worker_log_file", "logfile", "beat_scheduler", "scheduler",
    "beat_schedule_filename", "schedule_filename", "security_key", "security_certificate",
    "security_cert_store", "security_key_password", "setup_security", "start", "worker_main",
    "Worker", "WorkController", "Beat", "subclass_with_self", "symbol_by_name", "instantiate",
    "config_from_object", "config_from_envvar", "config_from_cmdline", "autodiscover_tasks",
    "import_default_modules", "import_task_module", "import_from_cwd", "find_module",
    "read_configuration", "load_extension_commands", "maybe_patch_concurrency",
    "enable_insecure_serializers", "disable_insecure_serializers", "register_pickle",
    "register_yaml", "register_msgpack", "task_serializer", "result_serializer",
    "accept_content", "result_accept_content", "event_serializer", "serializer",
}
CELERY_TOPS = {"celery", "kombu"}
# Serializers that run code when a message is read (pickle) or build objects by tag (yaml),
# refused in strings of a file that imports Celery or kombu: JSON is the only format there.
CELERY_SERIALIZERS = re.compile(r"pickle|yaml|python-serialize", re.IGNORECASE)


def is_celery_name(name):
    return name in CELERY_NAMES or name.endswith("_cls")


# Configuration keys written as strings (`conf.update({"imports": ...})`, `conf["BROKER_URL"]`):
# the names above that are settings, also in Celery's old upper-case spelling
# (`CELERY_IMPORTS`, `CELERYD_STATE_DB`, `CELERYBEAT_SCHEDULER`), which Celery still reads.
CELERY_WORDS = {"include", "imports", "broker", "backend", "loader", "annotations"}


def is_celery_setting(text):
    if not text.isidentifier():
        return False
    name = text.lower()
    for old, new in (("celeryd_", "worker_"), ("celerybeat_", "beat_"), ("celery_", "")):
        if name.startswith(old):
            name = new + name[len(old):]
            break
    return ("_" in name or name in CELERY_WORDS) and (
        is_celery_name(name) or is_celery_name("task_" + name) or is_celery_name(text)
    )


def imports_django(tree, tops=DJANGO_TOPS):
    """Whether a module imports Django or DRF (or any of `tops`) anywhere."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] in tops for name in names):
            return True
    return False
# `.config`, `.session` and `.node` are refused only on these names (pytest's fixtures and
# objects): `app.config` is how Flask is configured, `db.session` how SQLAlchemy is used.
PYTEST_OBJECTS = {"request", "pytestconfig", "pytester", "testdir", "item", "session", "config"}
PYTEST_ONLY = {"config"}
# Refused as attributes (`request.session`), not as names a framework exports (`flask.session`).
ATTRIBUTE_ONLY = {"config", "session", "node"}

# Dunder attributes a learner may read: a class's name, and calling an overridden constructor.
ALLOWED_DUNDER_ATTRIBUTES = {"__init__", "__name__", "__qualname__", "__post_init__"}

# Special methods that answer the course's tests on the learner's behalf (an `__eq__` that is
# always true) or run code at times the tests do not choose: a learner class may define them
# only where the shipped file's class of the same name does.
GUARDED_METHODS = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__",
    "__len__", "__contains__", "__instancecheck__", "__subclasscheck__", "__getattr__",
    "__getattribute__", "__setattr__", "__delattr__", "__del__", "__init_subclass__",
    "__class_getitem__", "__set_name__", "__new__", "__get__", "__set__", "__delete__",
    "__index__", "__int__", "__float__", "__str__", "__format__", "__iter__", "__getitem__",
}


def class_functions(node):
    """The functions a class body defines, also under `if`, `try`, `with` or loops."""
    found = []
    pending = list(node.body)
    while pending:
        item = pending.pop()
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(item)
        elif not isinstance(item, ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(item, field, []) or [])
            if isinstance(item, ast.Match):
                for case in item.cases:
                    pending.extend(case.body)
    return found


def decorator_named(decorator, name):
    """Whether a decorator is `name`, `x.name`, or a call of either."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return decorator.attr == name
    return isinstance(decorator, ast.Name) and decorator.id == name


def guarded_methods_of(tree):
    """{class name: {guarded method names}} of a module."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            methods = {item.name for item in class_functions(node) if item.name in GUARDED_METHODS}
            found.setdefault(node.name, set()).update(methods)
    return found


# A special attribute's name in text.
# Only where a name starts (`"__class__"`, `"x.__class__"`): Django's lookups join names with
# double underscores (`"books__reviews__stars"`), which names no special attribute. `"__all__"`
# (Django's and DRF's `fields = "__all__"`) and `"__main__"` are let through where it is used;
# so is `"__pycache__"` (a folder, no attribute: 12_devops's `.dockerignore` names it).
DUNDER = re.compile(r"(?<!\w)__\w*__|\{[^}]*__")
# Whole matches let through (never a fragment removed first: `"__cl__main__ass__"` is one
# match, `__cl__main__ass__`, and refused).
DUNDER_TEXT = {"__main__", "__all__", "__pycache__"}

# pytest's own objects, which fixtures and tests get by naming them as parameters.
PYTEST_PARAMETERS = {
    "request", "pytestconfig", "pytester", "testdir", "record_property",
    "record_testsuite_property", "record_xml_attribute", "cache", "doctest_namespace",
}

# Builtins that take an attribute's name as text: only ever called, with the name written out.
NAMED_ACCESS = {"getattr", "setattr", "delattr", "hasattr"}

# Methods the rules check only where they are called (red team round 9): pytest's MonkeyPatch
# (`mp.setattr("pkg.mod.name", value)` imports and patches anything) and `str.format` (fields
# read attributes). They may appear only as the function of a call the rules then check, with
# positional arguments written out: bound to a name (`patch = mp.setattr`), passed on
# (`functools.partial(mp.setattr, ...)`), put in a list, or read with `getattr(mp, "setattr")`,
# the call would escape its check.
CALL_ONLY_METHODS = {
    "setattr", "delattr", "setitem", "delitem", "syspath_prepend", "chdir", "setenv", "delenv",
    "format", "format_map",
}
# (`mp.context()` only returns another MonkeyPatch, whose methods are these; `self.context` is
# how DRF serializers read the request, so it is not among them.)
# MonkeyPatch's methods among them, whose every call is checked (not `.format`).
MONKEYPATCH_METHODS = CALL_ONLY_METHODS - {"setenv", "delenv", "format", "format_map"}

# Library hooks that Python operators reach through an ordinary method (red team round 9):
# SQLAlchemy's `Operators.__eq__` (and every other operator) calls `self.operate(op, other)`,
# `ColumnCollection.__eq__` calls `self.compare(other)`, `Row.__eq__` calls `self._op(...)`. An
# object whose hook answers True equals anything. Graded code may not set these attributes
# on any object (`column("x").operate = ...`), nor name them in `setattr`.
OPERATOR_HOOKS = {"operate", "reverse_operate", "compare"}

# Library classes whose operators route to such a hook: graded code may not subclass them, nor
# any class derived from them (`ColumnElement`, `Comparator`, `PropComparator`, `Row`...). Found
# by reading every `__eq__`/`__lt__` the allowed packages define in Python for one that calls an
# overridable method with the other operand. (module, class name).
OPERATOR_ROUTING_BASES = [
    ("sqlalchemy.sql.operators", "Operators"),
    ("sqlalchemy.engine.row", "BaseRow"),
    ("sqlalchemy.sql.base", "ColumnCollection"),
    ("sqlalchemy.sql.base", "ColumnSet"),
    ("sqlalchemy.sql.annotation", "Annotated"),
    ("sqlalchemy.orm.strategy_options", "_LoadElement"),
    ("sqlalchemy.sql.cache_key", "CacheKey"),
]
# The allowed packages whose classes can derive from those (the others never import SQLAlchemy):
# only their bases are imported to read their MRO, which keeps the rule book fast.
OPERATOR_ROUTING_PACKAGES = {"sqlalchemy", "alembic"}

# Library APIs that read (or set) attributes named by text (red team round 9): Pydantic reads
# each step of an alias path with `getattr` under `from_attributes=True`; DRF's `source=` and
# Django's `to_attr=` name attributes. Their names must be written out and pass the rules for
# attributes (no private or special names, none of REFUSED_ATTRIBUTES); a computed name would
# reach `__globals__`.
NAMED_BY_TEXT_CALLS = {"AliasPath", "AliasChoices"}
NAMED_BY_TEXT_KEYWORDS = {
    "alias", "validation_alias", "serialization_alias", "source", "to_attr", "method_name",
    "slug_field", "lookup_field", "lookup_url_kwarg",
}
# Alias generators are functions from a field's name to any text: only Pydantic's own.
ALIAS_GENERATORS = {"to_camel", "to_pascal", "to_snake"}


class Checker(ast.NodeVisitor):
    def __init__(self, shown, shipped_methods):
        self.shown = shown
        self.shipped_methods = shipped_methods
        self.problems = []
        # Local names bound by imports: name -> the module (or module.name) it stands for.
        self.imported = {}
        # Names bound to modules by `import` statements: used only as `module.name`.
        self.modules = set()
        # Name nodes that are the value of an attribute (`module.name`) or a call's function.
        self.allowed_names = set()
        # Attribute nodes that are a call's function (see CALL_ONLY_METHODS).
        self.callees = set()
        # `wraps` nodes that decorate a function the file defines (`@functools.wraps(f)`).
        self.decorating_wraps = set()
        # `type` names where a class is only named, not made (annotations, `type[X]`,
        # `isinstance(x, type)`); elsewhere `type` is only called with one argument.
        self.type_names_ok = set()
        # Names bound by `class` statements in this file, and names imported from the learner's
        # own package (relative imports): bases the rules have read or that are the course's.
        self.own_classes = set()
        # (outer, inner): a class written in the body of a class of the file, never reassigned
        # (`class Meta(TicketSerializer.Meta)` in DRF and Django code).
        self.own_nested_classes = set()
        self.relative_names = set()
        # String nodes that are docstrings.
        self.docstrings = set()
        # Names from-imported (`from flask import session`): name -> `module.name`.
        self.from_imported = {}
        # Modules of the learner's own exercise (the course's support modules) it may import.
        self.own_modules = set()
        # The learner's own package (a folder exercise): it and its modules may be imported.
        self.own_packages = set()
        # What each support module binds by importing, and the learner's classes and methods.
        self.own_bindings = {}
        self.learner_classes = set()
        self.learner_methods = set()
        # Whether the module imports Django or DRF (see DJANGO_ATTRIBUTES).
        self.django = False
        # Whether the module imports Celery or kombu (see CELERY_NAMES).
        self.celery = False
        # The functions (with whether each is a method) and classes being read.
        self.functions = []
        self.classes = []
        # Names of `logging.Formatter` and of the file's classes deriving from it, and the
        # nodes where naming a formatter class is allowed (called, derived from, annotated).
        self.formatter_names = set()
        self.formatter_places = set()
        # `type(x)` calls read as `type(x).name` or compared (see visit_Call).
        self.type_places = set()

    # logging.Formatter ---------------------------------------------------------------------

    def find_formatters(self, tree):
        """The names that stand for `logging.Formatter` or a class of the file derived from it."""
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "logging" and not node.level:
                for alias in node.names:
                    if alias.name == "Formatter":
                        self.formatter_names.add(alias.asname or alias.name)
        classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        changed = True
        while changed:
            changed = False
            for node in classes:
                if node.name not in self.formatter_names and any(
                    self.names_formatter(base) for base in node.bases
                ):
                    self.formatter_names.add(node.name)
                    changed = True

    def names_formatter(self, node):
        return (isinstance(node, ast.Name) and node.id in self.formatter_names) or (
            isinstance(node, ast.Attribute) and node.attr == "Formatter"
        )

    def makes_formatter(self, func):
        """Whether a call of `func` builds a formatter (or runs a formatter's `__init__`)."""
        if self.names_formatter(func):
            return True
        if (
            isinstance(func, ast.Call)
            and isinstance(func.func, ast.Name)
            and func.func.id == "type"
        ):
            return True  # `type(self)(...)`, `type(some_formatter)(...)`
        if isinstance(func, ast.Attribute) and func.attr == "__init__":
            if self.names_formatter(func.value):
                return True
            return bool(self.classes) and self.classes[-1].name in self.formatter_names
        return False

    def check_formatter_call(self, node):
        func = node.func
        if isinstance(func, (ast.Name, ast.Attribute)):
            self.formatter_places.add(id(func))
        if self.makes_formatter(func):
            super_call = (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name)
                and func.value.func.id == "super"
            )
            limit = 3 if isinstance(func, ast.Attribute) and func.attr == "__init__" and not (
                super_call
            ) else 2
            if (
                len(node.args) > limit
                or any(isinstance(arg, ast.Starred) for arg in node.args)
                or any(keyword.arg is None for keyword in node.keywords)
            ):
                self.refuse(
                    node,
                    "a formatter takes `fmt` and `datefmt` positionally, and its other "
                    "arguments as keywords written out (its style must be `%`)",
                )
        for keyword in node.keywords:
            if keyword.arg == "style" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value in FORMATTER_STYLES
            ):
                self.refuse(
                    node, "a `style` other than \"%\" or \"$\" formats text with attribute access"
                )

    def mark_annotation(self, annotation):
        if annotation is not None:
            for inner in ast.walk(annotation):
                self.formatter_places.add(id(inner))

    def refuse(self, node, message):
        self.problems.append(
            {"file": self.shown, "line": getattr(node, "lineno", 1), "message": message}
        )

    # Imports -----------------------------------------------------------------------------

    def check_module(self, node, module):
        top = module.split(".")[0]
        if module in self.own_modules or top in self.own_packages:
            return True
        if top not in ALLOWED_MODULES:
            self.refuse(node, f"imports `{module}`, which graded code may not use")
            return False
        for refused in REFUSED_SUBMODULES:
            if module == refused or module.startswith(refused + "."):
                self.refuse(node, f"imports `{module}`, which graded code may not use")
                return False
        parts = module.split(".")
        if len(parts) > 1 and parts[0] in RESTRICTED and parts[1] not in RESTRICTED[parts[0]]:
            self.refuse(node, f"uses `{module}`, which graded code may not use")
            return False
        return True

    def visit_Import(self, node):
        for alias in node.names:
            if self.check_module(node, alias.name):
                if alias.asname:
                    self.imported[alias.asname] = alias.name
                    self.modules.add(alias.asname)
                else:
                    self.imported[alias.name.split(".")[0]] = alias.name.split(".")[0]
                    self.modules.add(alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        if node.level:
            # A relative import stays inside the learner's own package.
            for alias in node.names:
                if alias.name == "*":
                    self.refuse(node, "`import *` is not allowed in graded code")
                else:
                    self.relative_names.add(alias.asname or alias.name)
            return
        module = node.module or ""
        if not self.check_module(node, module):
            return
        if module.split(".")[0] in self.own_packages:
            # The learner's own package: never imported here (nor anywhere before the tests).
            for alias in node.names:
                if alias.name == "*":
                    self.refuse(node, "`import *` is not allowed in graded code")
                elif alias.name.startswith("_"):
                    self.refuse(node, f"uses `{module}.{alias.name}`, which graded code may not use")
                else:
                    self.imported[alias.asname or alias.name] = f"{module}.{alias.name}"
            return
        for alias in node.names:
            if alias.name == "*":
                self.refuse(node, "`import *` is not allowed in graded code")
                continue
            # A name a support module imported (`from djangosite import os`) is checked as
            # imported from where it comes from: the support module is trusted, not a way around
            # the rules.
            origin = self.own_bindings.get(module, {}).get(alias.name)
            if origin is not None:
                bound = alias.asname or alias.name
                if origin[0] == "module":
                    via = ast.Import(names=[ast.alias(name=origin[1], asname=bound)])
                else:
                    via = ast.ImportFrom(
                        module=origin[1], names=[ast.alias(name=origin[2], asname=bound)], level=0
                    )
                ast.copy_location(via, node)
                self.visit(via)
                continue
            if module in RESTRICTED and alias.name not in RESTRICTED[module]:
                self.refuse(node, f"uses `{module}.{alias.name}`, which graded code may not use")
                continue
            full = f"{module}.{alias.name}"
            if alias.name == "Formatter" and module != "logging":
                self.refuse(node, f"uses `{full}`, which graded code may not use")
                continue
            if alias.name in DJANGO_ATTRIBUTES and self.django:
                self.refuse(node, f"uses `{full}`, which graded code may not use")
                continue
            if self.celery and is_celery_name(alias.name):
                self.refuse(node, f"uses `{full}`, which graded code may not use with Celery")
                continue
            if (
                full in REFUSED_SUBMODULES
                or alias.name.startswith("_")
                or (alias.name in REFUSED_ATTRIBUTES and alias.name not in ATTRIBUTE_ONLY)
            ):
                self.refuse(node, f"uses `{full}`, which graded code may not use")
                continue
            # A module another module imported (`from typing import sys`) is that module.
            found = module_named(module, alias.name)
            if found is not None and not self.check_module(node, found):
                continue
            self.imported[alias.asname or alias.name] = full
            self.from_imported[alias.asname or alias.name] = full
            if found is not None:
                # Patching it patches that module for everyone (`from starlette.responses
                # import json` then `json.dump = ...`).
                self.modules.add(alias.asname or alias.name)

    # Names and attributes ----------------------------------------------------------------

    def visit_Name(self, node):
        # A module, or an attribute-by-name builtin, given another name or passed around
        # escapes every check that reads `module.name` and `getattr(x, "name")`.
        if id(node) not in self.allowed_names:
            if node.id in self.modules:
                self.refuse(
                    node, f"uses the module `{node.id}` other than as `{node.id}.name`"
                )
            elif node.id in NAMED_ACCESS:
                self.refuse(node, f"uses `{node.id}` other than by calling it")
        if node.id in self.formatter_names and id(node) not in self.formatter_places:
            self.refuse(
                node, f"uses the formatter class `{node.id}` other than by calling or deriving it"
            )
        if (
            node.id == "type"
            and isinstance(node.ctx, ast.Load)
            and id(node) not in self.allowed_names
            and id(node) not in self.type_names_ok
        ):
            # `t = type; t("Yes", (Base,), {...})` escapes the three-argument check.
            self.refuse(node, "uses `type` other than by calling it with one argument")
        if node.id == "wraps" and id(node) not in self.decorating_wraps:
            self.refuse(node, "`wraps` only as `@wraps(function)` on a function of the file")
        if node.id in REFUSED_BUILTINS:
            self.refuse(node, f"uses `{node.id}`, which graded code may not use")
        elif node.id.startswith("__") and node.id != "__name__":
            self.refuse(node, f"uses `{node.id}`, which graded code may not use")

    def visit_Subscript(self, node):
        self.type_places.add(id(node.slice))
        self.generic_visit(node)

    def visit_Compare(self, node):
        for operand in [node.left, *node.comparators]:
            self.type_places.add(id(operand))
        self.generic_visit(node)

    def visit_Attribute(self, node):
        attr = node.attr
        root = node.value
        self.type_places.add(id(root))
        if isinstance(root, ast.Name):
            self.allowed_names.add(id(root))
        if attr == "wraps" and id(node) not in self.decorating_wraps:
            self.refuse(node, "`wraps` only as `@wraps(function)` on a function of the file")
        if attr in CALL_ONLY_METHODS and id(node) not in self.callees:
            self.refuse(
                node,
                f"uses `.{attr}` other than by calling it (its calls are checked: a reference "
                "would escape the check)",
            )
        if attr in OPERATOR_HOOKS and not isinstance(node.ctx, ast.Load):
            self.refuse(
                node,
                f"sets `.{attr}`, a hook library operators call (`==` on it would answer "
                "what it says): graded code may not set it",
            )
        if attr.startswith("__") and attr.endswith("__"):
            if attr not in ALLOWED_DUNDER_ATTRIBUTES:
                self.refuse(node, f"reads `.{attr}`, which graded code may not use")
        elif attr.startswith("_") and not (
            isinstance(root, ast.Name) and root.id in self.own_parameters()
        ):
            self.refuse(node, f"reads the private attribute `.{attr}` of another object")
        elif attr in ("format", "format_map") and not (
            isinstance(root, ast.Constant) and isinstance(root.value, str)
        ):
            self.refuse(node, f"`.{attr}` is allowed on a string written out only")
        elif attr in REFUSED_ATTRIBUTES and (
            attr not in PYTEST_ONLY
            or (isinstance(root, ast.Name) and root.id in PYTEST_OBJECTS)
        ):
            self.refuse(node, f"uses `.{attr}`, which graded code may not use")
        if attr in DJANGO_ATTRIBUTES and self.django:
            self.refuse(node, f"uses `.{attr}`, which graded code may not use")
        if attr == "Formatter":
            if not (isinstance(root, ast.Name) and self.imported.get(root.id) == "logging"):
                self.refuse(
                    node, "uses `.Formatter`, which graded code may use from `logging` only"
                )
            elif id(node) not in self.formatter_places:
                self.refuse(
                    node, "uses `logging.Formatter` other than by calling or deriving it"
                )
        # `djangosite.os`: what a support module imported is imported the same way.
        if (
            isinstance(root, ast.Name)
            and self.imported.get(root.id) in self.own_bindings
            and attr in self.own_bindings[self.imported[root.id]]
        ):
            self.refuse(
                node,
                f"uses `{root.id}.{attr}`, which the support module imported: import it yourself",
            )
        # `Mine.peek(obj)`: a method read through its class takes any object as `self`.
        if (
            isinstance(root, ast.Name)
            and root.id in self.learner_classes
            and attr in self.learner_methods
        ):
            self.refuse(
                node,
                f"reads the method `{root.id}.{attr}` through its class: call methods on "
                "instances (or use super())",
            )
        if self.celery and is_celery_name(attr):
            self.refuse(node, f"uses `.{attr}`, which graded code may not use with Celery")
        # `os.system`, `pytest.exit`: names of restricted modules.
        if isinstance(root, ast.Name) and root.id in self.imported:
            module = self.imported[root.id]
            if module in RESTRICTED and attr not in RESTRICTED[module]:
                self.refuse(node, f"uses `{module}.{attr}`, which graded code may not use")
            elif root.id in self.modules and not attr.startswith("_"):
                # `json.codecs`: a module reached through another is checked as imported.
                found = module_named(module, attr)
                if found is not None:
                    self.check_module(node, found)
        if (
            isinstance(root, ast.Attribute)
            and root.attr == "mark"
            and isinstance(root.value, ast.Name)
            and self.imported.get(root.value.id) == "pytest"
            and attr not in PYTEST_MARKS
        ):
            self.refuse(node, f"uses `pytest.mark.{attr}`, which graded code may not use")
        if (
            isinstance(root, ast.Name)
            and self.imported.get(root.id) == "pytest.mark"
            and attr not in PYTEST_MARKS
        ):
            self.refuse(node, f"uses `pytest.mark.{attr}`, which graded code may not use")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        self.check_formatter_call(node)
        if isinstance(func, ast.Name):
            self.allowed_names.add(id(func))
        if isinstance(func, ast.Attribute):
            self.callees.add(id(func))
        self.check_named_by_text(node)
        if isinstance(func, ast.Name) and func.id == "type" and len(node.args) > 1:
            self.refuse(node, "`type` with three arguments builds a class: write the class")
        # `type(x)` is a class that can be called or passed on (`type(formatter)(fmt, None,
        # "{")`, `partial(type(x), ...)`): only its name is read, or it is compared, used as a
        # key (`handlers[type(x)]`) or given to `isinstance`/`issubclass`.
        if isinstance(func, ast.Name) and func.id in ("isinstance", "issubclass"):
            for arg in node.args:
                self.type_places.add(id(arg))
        if (
            isinstance(func, ast.Name)
            and func.id == "type"
            and len(node.args) == 1
            and id(node) not in self.type_places
        ):
            self.refuse(
                node, "`type(x)` may only be read (`type(x).__name__`), compared, or used as a key"
            )
        if isinstance(func, ast.Name) and func.id == "type" and node.keywords:
            self.refuse(node, "`type` with keywords builds a class: write the class")
        # `type(int)` is `type` itself: `type(x)(name, bases, namespace)` builds a class.
        if (
            isinstance(func, ast.Call)
            and isinstance(func.func, ast.Name)
            and func.func.id == "type"
            and (len(node.args) > 2 or any(isinstance(a, ast.Starred) for a in node.args))
        ):
            self.refuse(node, "`type(x)(...)` with three arguments builds a class: write the class")
        if isinstance(func, ast.Name) and func.id in ("isinstance", "issubclass"):
            for arg in node.args[1:]:
                for inner in ast.walk(arg):
                    if isinstance(inner, ast.Name) and inner.id == "type":
                        self.type_names_ok.add(id(inner))
        # `"{0.attr}".format(x)` reads attributes through text: only literal formats without
        # attribute or item access.
        if isinstance(func, ast.Attribute) and func.attr == "format":
            literal = isinstance(func.value, ast.Constant) and isinstance(func.value.value, str)
            if not literal or reaches_through(func.value.value):
                self.refuse(node, "`.format` with attribute or item access in its fields")
        if isinstance(func, ast.Name) and func.id in NAMED_ACCESS:
            name = node.args[1] if len(node.args) > 1 else None
            through_class = (
                node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in self.learner_classes
                and isinstance(name, ast.Constant)
                and name.value in self.learner_methods
            )
            if through_class or not (
                isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and not name.value.startswith("_")
                and name.value not in REFUSED_ATTRIBUTES
                and name.value not in ("format", "format_map", "Formatter")
                and name.value not in CALL_ONLY_METHODS
                and (func.id in ("getattr", "hasattr") or name.value not in OPERATOR_HOOKS)
            ):
                self.refuse(
                    node, f"`{func.id}` needs an attribute name written out (not private)"
                )
        # MonkeyPatch's methods: positional arguments written out, so the checks below see
        # them (`mp.setattr(target=json, name="dump", value=print)`, `mp.setattr(*args)`).
        if isinstance(func, ast.Attribute) and func.attr in MONKEYPATCH_METHODS and (
            any(isinstance(a, ast.Starred) for a in node.args)
            or any(k.arg not in ("raising", "prepend") for k in node.keywords)
        ):
            self.refuse(
                node, f"`.{func.attr}` with arguments not written out in place is not allowed"
            )
        # `monkeypatch.setattr(module, "name", value)` patches like an assignment does.
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("setattr", "delattr")
            and len(node.args) >= 2
            and not (isinstance(node.args[0], ast.Constant))
        ):
            self.refuse(node, f"`.{func.attr}` on an object is not allowed in graded code")
        # `monkeypatch.setattr("package.module.name", value)` imports what the string names.
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("setattr", "delattr", "setitem", "syspath_prepend", "chdir")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self.refuse(node, f"`.{func.attr}` with a dotted name is not allowed in graded code")
        self.generic_visit(node)

    def attribute_name_ok(self, value):
        """Whether a string written out may name an attribute (DRF's `source="owner.username"`
        names a path)."""
        if not isinstance(value, str):
            return False
        if value == "*":  # DRF: the whole object
            return True
        return all(
            part and not part.startswith("_") and part not in REFUSED_ATTRIBUTES
            for part in value.split(".")
        )

    def check_named_by_text(self, node):
        """AliasPath/AliasChoices and `alias=`/`source=`/...: names written out (see
        NAMED_BY_TEXT_CALLS)."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in NAMED_BY_TEXT_CALLS:
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, int) and not isinstance(
                    arg.value, bool
                ):
                    continue  # a list index in a path
                if name == "AliasChoices" and self.is_alias_call(arg):
                    continue  # checked as a call of its own
                if not (isinstance(arg, ast.Constant) and self.attribute_name_ok(arg.value)):
                    self.refuse(
                        node,
                        f"`{name}` needs names written out (not private or special)",
                    )
            if node.keywords:
                self.refuse(node, f"`{name}` takes its names as positional text only")
        for keyword in node.keywords:
            if keyword.arg is None:
                # `Field(**options)`: options could carry `alias=` with a computed name (a
                # dict literal's keys are checked by `visit_Dict`).
                if takes_names_by_text(name) and not (
                    isinstance(keyword.value, ast.Dict)
                    and all(
                        isinstance(k, ast.Constant) and isinstance(k.value, str)
                        for k in keyword.value.keys
                    )
                ):
                    self.refuse(
                        node,
                        f"`{name}(**...)` needs its options written out (an alias names an "
                        "attribute read by text)",
                    )
            elif keyword.arg in NAMED_BY_TEXT_KEYWORDS:
                self.check_named_value(node, keyword.arg, keyword.value)
            elif keyword.arg == "alias_generator":
                value = keyword.value
                last = value.attr if isinstance(value, ast.Attribute) else getattr(
                    value, "id", None
                )
                if last not in ALIAS_GENERATORS or last in self.own_classes:
                    self.refuse(
                        node,
                        "`alias_generator` may be only Pydantic's `to_camel`, `to_pascal` or "
                        "`to_snake` (an alias names an attribute read by text)",
                    )

    def visit_Dict(self, node):
        # `{"alias": ...}` passed on with `**`, or a dict `model_config`: checked as keywords.
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value in NAMED_BY_TEXT_KEYWORDS:
                self.check_named_value(node, key.value, value)
            elif isinstance(key, ast.Constant) and key.value == "alias_generator":
                self.refuse(node, "`alias_generator` in a dict is not allowed: use ConfigDict")
        self.generic_visit(node)

    def is_alias_call(self, value):
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in NAMED_BY_TEXT_CALLS

    def check_named_value(self, node, keyword, value):
        if isinstance(value, ast.Constant) and (
            value.value is None or self.attribute_name_ok(value.value)
        ):
            return
        if keyword in ("validation_alias", "alias") and self.is_alias_call(value):
            return  # checked as a call of its own
        self.refuse(
            node,
            f"`{keyword}=` needs a name written out (not private or special): it names an "
            "attribute read by text",
        )

    def check_bases(self, node):
        """A class's bases: classes written in this file, builtins, the learner's own package's,
        or imported library classes that do not route Python operators to an ordinary method
        (OPERATOR_ROUTING_BASES). What the rules cannot name (`class X(f())`, `Base = ...`) is
        refused: it could be any class."""
        import builtins

        for base in node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            parts = []
            while isinstance(expr, ast.Attribute):
                parts.insert(0, expr.attr)
                expr = expr.value
            if isinstance(expr, ast.Starred) or not isinstance(expr, ast.Name):
                self.refuse(node, f"`{node.name}`: a base class must be a class named by name")
                continue
            root = expr.id
            if root in self.own_classes and not parts:
                continue
            if root in self.own_classes and len(parts) == 1 and (root, parts[0]) in self.own_nested_classes:
                continue
            if root in self.relative_names:
                continue
            if root in self.imported:
                dotted = ".".join([self.imported[root]] + parts)
                if dotted.split(".")[0] in self.own_modules or self.imported[root] in self.own_modules:
                    continue
                if dotted.split(".")[0] not in OPERATOR_ROUTING_PACKAGES:
                    continue
                found = library_class(dotted)
                if found is not None and routes_operators(found):
                    self.refuse(
                        node,
                        f"`{node.name}` subclasses `{dotted}`, whose operators (`==`, `<`, ...) "
                        "call an ordinary method a subclass could answer for: graded code may "
                        "not subclass it",
                    )
                continue
            if not parts and isinstance(getattr(builtins, root, None), type):
                continue
            self.refuse(
                node,
                f"`{node.name}`: a base class must be a class of this file, a builtin or an "
                f"imported name (not `{root}`)",
            )

    def visit_Constant(self, node):
        # Text that names a special attribute reaches it through `getattr`-like paths and
        # format fields (`"{0.__class__}"`); docstrings are never read (`.__doc__` is refused).
        if (
            isinstance(node.value, str)
            and id(node) not in self.docstrings
            and any(m.group(0) not in DUNDER_TEXT for m in DUNDER.finditer(node.value))
        ):
            self.refuse(node, "a string naming a special attribute (`__x__`) is not allowed")
        if self.celery and isinstance(node.value, str) and id(node) not in self.docstrings:
            if is_celery_setting(node.value.strip()):
                self.refuse(
                    node, f"the setting {node.value!r} is not for graded code with Celery"
                )
            elif CELERY_SERIALIZERS.search(node.value):
                self.refuse(node, "only JSON is allowed as a message format with Celery")

    # Monkeypatching ------------------------------------------------------------------------

    def root_name(self, target):
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
        return target.id if isinstance(target, ast.Name) else None

    def is_module_or_class(self, name):
        """Whether an imported name stands for a module or a class (what patching changes for
        everyone), rather than an object such as Flask's `session` or `g`."""
        if name in self.modules or name not in self.from_imported:
            return True
        if name[:1].isupper():
            return True
        try:
            return importlib.util.find_spec(self.from_imported[name]) is not None
        except (ImportError, ValueError, AttributeError):
            return False

    def check_target(self, target):
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.check_target(element)
        elif isinstance(target, ast.Starred):
            self.check_target(target.value)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            root = self.root_name(target)
            if root is None and isinstance(target, ast.Attribute):
                # `f().x = ...`: what a call returns may be a module (`import_string("json")`);
                # graded code sets attributes on names it holds.
                self.refuse(target, "graded code may not set an attribute of what a call returns")
            elif root in self.imported and self.is_module_or_class(root):
                self.refuse(
                    target,
                    f"changes `{root}`, which was imported: graded code may not patch "
                    "modules or their classes",
                )

    def visit_Assign(self, node):
        for target in node.targets:
            self.check_target(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self.check_target(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self.mark_annotation(node.annotation)
        self.check_target(node.target)
        self.check_annotation(node.annotation)
        self.generic_visit(node)

    def visit_arg(self, node):
        self.mark_annotation(node.annotation)
        self.check_annotation(node.annotation)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        # `type[Model]`: names a class.
        if isinstance(node.value, ast.Name) and node.value.id == "type":
            self.type_names_ok.add(id(node.value))
        self.generic_visit(node)

    def check_annotation(self, annotation):
        """A string in an annotation is code: Pydantic and SQLAlchemy's declarative mapping
        resolve forward references (`x: "Other"`, `Mapped["Book"]`) with `eval` in the module's
        namespace. Each one that parses as an expression is checked as if written out."""
        if annotation is None:
            return
        for inner in ast.walk(annotation):
            if isinstance(inner, ast.Name) and inner.id == "type":
                self.type_names_ok.add(id(inner))
        pending = [annotation]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Subscript):
                name = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(
                    node.value, "id", None
                )
                if name == "Literal":
                    continue  # values, not types: never evaluated
                if name == "Annotated" and isinstance(node.slice, ast.Tuple) and node.slice.elts:
                    pending.append(node.slice.elts[0])  # the rest is metadata
                    continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                try:
                    parsed = ast.parse(node.value.strip(), mode="eval")
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    continue
                for inner in ast.walk(parsed):
                    if hasattr(inner, "lineno"):
                        inner.lineno = node.lineno
                self.visit(parsed)
                continue
            pending.extend(ast.iter_child_nodes(node))

    def visit_Delete(self, node):
        for target in node.targets:
            self.check_target(target)
        self.generic_visit(node)

    # Classes -------------------------------------------------------------------------------

    def own_parameters(self):
        """`self`/`cls` where they are what they say: the first parameter of the method being
        read, never rebound in it (`self = os` would make any object's privates readable)."""
        if not self.functions:
            return set()
        function, method = self.functions[-1]
        if not method or not function.args.args:
            return set()
        first = function.args.args[0].arg
        if first not in ("self", "cls") or function.args.defaults and len(
            function.args.defaults
        ) >= len(function.args.args):
            return set()
        rebound = any(
            isinstance(n, ast.Name) and n.id == first and not isinstance(n.ctx, ast.Load)
            for n in ast.walk(function)
        )
        return set() if rebound else {first}

    def visit_FunctionDef(self, node):
        self.mark_annotation(node.returns)
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and len(decorator.args) == 1
                and not decorator.keywords
                and decorator_named(decorator, "wraps")
            ):
                self.decorating_wraps.add(id(decorator.func))
        self.check_function(node)
        self.check_annotation(node.returns)
        method = bool(self.classes) and node in self.classes[-1].body
        self.functions.append((node, method))
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def check_function(self, node):
        fixture = any(decorator_named(d, "fixture") for d in node.decorator_list)
        if fixture or node.name.startswith("test"):
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.arg in PYTEST_PARAMETERS:
                    self.refuse(
                        node, f"takes pytest's `{arg.arg}`, which graded code may not use"
                    )

    def visit_keyword(self, node):
        if node.arg == "autouse":
            self.refuse(node, "`autouse` fixtures are not allowed in graded code")
        elif node.arg is not None and node.arg.startswith("__"):
            self.refuse(node, f"passes `{node.arg}`, which graded code may not use")
        elif node.arg is not None and self.celery and (
            is_celery_name(node.arg) or is_celery_setting(node.arg)
        ):
            self.refuse(node, f"passes `{node.arg}`, which graded code may not set with Celery")
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        for base in node.bases:
            self.formatter_places.add(id(base))
        self.check_bases(node)
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                self.refuse(node, "a metaclass is not allowed in graded code")
        allowed = self.shipped_methods.get(node.name, set())
        for item in class_functions(node):
            if item.name in GUARDED_METHODS and item.name not in allowed:
                self.refuse(
                    item,
                    f"`{node.name}.{item.name}` is not in the exercise as shipped: graded code "
                    "may not define it (it could answer the tests' comparisons)",
                )
        if self.celery:
            for item in node.body:
                targets = item.targets if isinstance(item, ast.Assign) else [
                    getattr(item, "target", None)
                ]
                for target in targets:
                    if isinstance(target, ast.Name) and is_celery_name(target.id):
                        self.refuse(
                            item,
                            f"sets `{node.name}.{target.id}`, which graded code may not set "
                            "with Celery",
                        )
        self.classes.append(node)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Global(self, node):
        for name in node.names:
            if name.startswith("__"):
                self.refuse(node, f"uses `{name}`, which graded code may not use")


_MODULES = {}
_ROUTING = None


def takes_names_by_text(name):
    """Whether a call of `name` takes options that name attributes by text (Pydantic's `Field`,
    `ConfigDict`, `FieldInfo`, `computed_field`; DRF's fields and serializers; `Prefetch`)."""
    return bool(name) and (
        name in ("Field", "ConfigDict", "computed_field", "Prefetch", "AliasPath", "AliasChoices")
        or name.endswith(("Field", "Info", "Serializer", "Relation"))
    )


def library_class(dotted):
    """The class `dotted` names (`sqlalchemy.sql.operators.ColumnOperators`), importing only
    allowed, trusted modules; `None` when it is not one."""
    parts = dotted.split(".")
    if parts[0] not in ALLOWED_MODULES:
        return None
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except Exception:
            continue
        try:
            for attr in parts[cut:]:
                value = getattr(value, attr)
        except Exception:
            return None
        return value if isinstance(value, type) else None
    return None


def routes_operators(cls):
    """Whether `cls` derives from one of OPERATOR_ROUTING_BASES."""
    global _ROUTING
    if _ROUTING is None:
        _ROUTING = []
        for module, name in OPERATOR_ROUTING_BASES:
            try:
                _ROUTING.append(getattr(importlib.import_module(module), name))
            except Exception:
                pass
    try:
        mro = cls.__mro__
    except Exception:
        return True
    return any(base in mro for base in _ROUTING)


def imports_of(path):
    """The names a course's support module binds by importing (`import os` binds `os` to the
    module `os`; `from m import n as k` binds `k` to `n` of `m`): what learner code would get
    through it without the rules seeing the real origin."""
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = ("module", alias.name)
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = ("module", top)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound[alias.asname or alias.name] = ("name", node.module, alias.name)
    return bound


def plain_methods(tree):
    """The classes the learner's module defines, and the names of their plain methods (not
    static or class methods, not properties): a method read through its class can be called
    with any object as `self`, and `self._x` is the one private read the rules allow."""
    classes, methods = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            classes.add(node.name)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and not any(
                    decorator_named(d, "staticmethod") or decorator_named(d, "classmethod")
                    for d in item.decorator_list
                ):
                    methods.add(item.name)
    return classes, methods


def module_named(module, name):
    """The real name of `module.name` when it is a module (a submodule, or a module the package
    imported); `None` when it is anything else. Only allowed, trusted modules are imported."""
    import types

    key = (module, name)
    if key not in _MODULES:
        try:
            parent = importlib.import_module(module)
            value = getattr(parent, name, None)
            if value is None and importlib.util.find_spec(f"{module}.{name}") is not None:
                _MODULES[key] = f"{module}.{name}"
            else:
                _MODULES[key] = value.__name__ if isinstance(value, types.ModuleType) else None
        except Exception:
            _MODULES[key] = None
    return _MODULES[key]


def reaches_through(text):
    """Whether a format string's fields read attributes or items (`{0.x}`, `{0[k]}`)."""
    import string

    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f]
    except ValueError:
        return True
    return any("." in f or "[" in f for f in fields)


def check(path, shown, shipped, own_modules=None, own_packages=None, own_module_paths=None):
    with open(path, "rb") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=shown)
        # What only the compiler checks (`return` outside a function, `nonlocal` errors).
        compile(tree, shown, "exec", dont_inherit=True)
    except SyntaxError as err:
        return [], {"file": shown, "line": err.lineno or 1, "message": err.msg}
    except (ValueError, RecursionError, MemoryError) as err:  # null bytes, absurd nesting
        return [], {"file": shown, "line": 1, "message": f"cannot be parsed: {err}"}
    shipped_methods = {}
    if shipped:
        try:
            with open(shipped, "rb") as f:
                shipped_methods = guarded_methods_of(ast.parse(f.read()))
        except (OSError, SyntaxError, ValueError):
            shipped_methods = {}
    checker = Checker(shown, shipped_methods)
    checker.own_modules = set(own_modules or [])
    checker.own_packages = set(own_packages or [])
    # The support modules themselves: where the runner says they are (a package's modules sit
    # one folder below them, and a module of that name inside the package is not the one the
    # tests import), else beside the learner's file.
    folder = os.path.dirname(path)
    own_paths = own_module_paths or {}
    checker.own_bindings = {
        m: imports_of(own_paths.get(m) or os.path.join(folder, m + ".py")) for m in checker.own_modules
    }
    checker.learner_classes, checker.learner_methods = plain_methods(tree)
    checker.django = imports_django(tree)
    checker.find_formatters(tree)
    checker.celery = imports_django(tree, CELERY_TOPS)
    # Names bound only by `class` statements (a name also assigned could be any class).
    assigned = set()
    for owner in ast.walk(tree):
        if isinstance(owner, ast.ClassDef):
            checker.own_classes.add(owner.name)
        elif isinstance(owner, ast.Name) and not isinstance(owner.ctx, ast.Load):
            assigned.add(owner.id)
        elif isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom)):
            if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assigned.add(owner.name)
            else:
                assigned.update((a.asname or a.name).split(".")[0] for a in owner.names)
    checker.own_classes -= assigned
    # Nested classes of the file's classes, unless `Outer.Inner = ...` rebinds one somewhere.
    rebound = {
        (n.value.id, n.attr)
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and not isinstance(n.ctx, ast.Load)
    }
    for owner in ast.walk(tree):
        if isinstance(owner, ast.ClassDef) and owner.name in checker.own_classes:
            for item in owner.body:
                if isinstance(item, ast.ClassDef) and (owner.name, item.name) not in rebound:
                    checker.own_nested_classes.add((owner.name, item.name))
    for owner in ast.walk(tree):
        if isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = owner.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                checker.docstrings.add(id(body[0].value))
    checker.visit(tree)
    checker.problems.extend(silenced_checks(source, shown))
    return checker.problems, None


def silenced_checks(source, shown):
    """Comments that switch off the type checker (`# type: ignore`, `# ty: ignore`)."""
    import io
    import tokenize

    problems = []
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            text = token.string.replace(" ", "").lower()
            if token.type == tokenize.COMMENT and ("type:ignore" in text or "ty:ignore" in text):
                problems.append(
                    {
                        "file": shown,
                        "line": token.start[0],
                        "message": "a comment that silences the type checker is not allowed",
                    }
                )
    except (tokenize.TokenError, SyntaxError):
        pass
    return problems


def answer(request):
    """The report on every file of `request`."""
    problems = []
    syntax = None
    for entry in request["files"]:
        found, error = check(
            entry["path"],
            entry["shown"],
            entry.get("shipped"),
            request.get("own_modules"),
            request.get("own_packages"),
            request.get("own_module_paths"),
        )
        problems.extend(found)
        if error and syntax is None:
            syntax = error
    return {"problems": problems, "syntax": syntax}


def main():
    json.dump(answer(json.loads(sys.argv[1])), sys.stdout)


if __name__ == "__main__":
    main()
