//! The Python track through the real binary: a small `toolchain = "python"` course in a
//! temporary folder, checked by `run`, `verify`, `dev check` and `grade`. The environment is
//! built once from the repository's own lock (with uv where it is installed) into a data
//! folder shared by these tests (`target/test-python-data`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, process_running, python_here, text};

const GREET_TESTS: &str = r#"from greet import greet


def test_greets_by_name():
    assert greet("Ada") == "Hello, Ada!"


def test_strips_the_name():
    assert greet("  Bo ") == "Hello, Bo!"
"#;

const GREET_SOLVED: &str = "def greet(name: str) -> str:\n    return f\"Hello, {name.strip()}!\"\n";
const GREET_UNSOLVED: &str = "def greet(name: str) -> str:\n    return \"TODO\"\n";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python-data")
}

/// A Python course in a temporary folder: section `01_basics`, exercise `greet` unsolved, its
/// solution and two mutants (one the tests kill).
struct PyCourse {
    dir: tempfile::TempDir,
}

impl PyCourse {
    fn new(extra_entries: &str) -> PyCourse {
        let course = PyCourse {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/requirements.lock");
        fs::copy(lock, course.path("requirements.lock")).expect("the track's lock");
        course.write(
            "info.toml",
            &format!(
                "format_version = 1\ntoolchain = \"python\"\n\n[[sections]]\ndir = \"01_basics\"\ntitle = \"Basics\"\n\n[[exercises]]\nname = \"greet\"\ndir = \"01_basics\"\ntests = 2\nhint = \"Strip the name, then greet.\"\n{extra_entries}"
            ),
        );
        course.write("exercises/01_basics/README.md", "# Basics\n");
        course.write("exercises/01_basics/greet.py", GREET_UNSOLVED);
        course.write("exercises/01_basics/test_greet.py", GREET_TESTS);
        course.write("solutions/01_basics/greet.py", GREET_SOLVED);
        course.write(
            "solutions/01_basics/greet.mutants.toml",
            "[[mutant]]\nlabel = \"no strip\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name'''\n\n[[mutant]]\nlabel = \"lstrip only\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name.lstrip()'''\n",
        );
        course
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, content: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        run_in(self.root(), args)
    }
}

/// Grades `cohort` on the course at `root` with two learners at once, `tmp` as its `TMPDIR`;
/// returns what the grader said and its JSON report.
fn grade_two_at_once(root: &Path, cohort: &Path, tmp: &Path) -> (String, serde_json::Value) {
    let out = Command::new(BIN)
        .args(["grade", "--jobs", "2", "--course"])
        .arg(root)
        .arg("--cohort")
        .arg(cohort)
        .arg("--json")
        .arg(cohort.join("grades.json"))
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .env("TMPDIR", tmp)
        .output()
        .unwrap();
    let said = text(&out);
    let report = fs::read_to_string(cohort.join("grades.json")).expect(&said);
    (said, serde_json::from_str(&report).unwrap())
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .output()
        .expect("run backendlings")
}

#[test]
fn an_exercise_is_judged_by_the_course_tests_in_cold_and_warm_runs() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("tests failed"), "{said}");
    assert!(said.contains("test_greets_by_name"), "{said}");

    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let out = course.run(&["run", "greet"]);
    assert!(out.status.success(), "{}", text(&out));
    // `verify` forks its runs from a warm worker: the same verdict.
    let out = course.run(&["verify", "--no-cache"]);
    assert!(out.status.success(), "{}", text(&out));

    // A learner's conftest.py and pytest.ini are not the course's: never loaded.
    course.write(
        "exercises/01_basics/conftest.py",
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
    );
    course.write(
        "exercises/01_basics/pytest.ini",
        "[pytest]\naddopts = -p no:python\n",
    );
    course.write("exercises/01_basics/greet.py", GREET_UNSOLVED);
    let out = course.run(&["run", "greet"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("test_strips_the_name"),
        "{}",
        text(&out)
    );
}

#[test]
fn syntax_errors_are_compile_errors_and_the_count_must_match() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    course.write(
        "exercises/01_basics/greet.py",
        "def greet(name: str) -> str:\n    return f\"Hello, {name.strip()}!\"\n\ndef broken(:\n",
    );
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(said.contains("compile error"), "{said}");
    assert!(said.contains("greet.py:4"), "{said}");

    // The course says 2 tests: a solution that passes fewer does not pass.
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write("info.toml", &info.replace("tests = 2", "tests = 3"));
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("reported 2 passed, but the exercise has 3"),
        "{said}"
    );
}

#[test]
fn an_endless_loop_times_out_and_leaves_nothing_running() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write(
        "info.toml",
        &info.replace("tests = 2\n", "tests = 2\ntimeout_secs = 2\n"),
    );
    course.write(
        "exercises/01_basics/greet.py",
        "import time\n\nMARKER = 'py-endless-loop-marker'\n\ndef greet(name):\n    while True:\n        time.sleep(0.01)\n",
    );
    for args in [&["run", "greet"][..], &["verify", "--no-cache"][..]] {
        let out = course.run(args);
        let said = text(&out);
        assert!(!out.status.success(), "{said}");
        assert!(
            said.contains("timed out") || said.contains("ran longer than"),
            "{args:?}: {said}"
        );
    }
    assert!(!process_running("py-endless-loop-marker"));
}

#[test]
fn the_rule_book_refuses_what_could_forge_a_verdict() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let attacks = [
        ("import os\ndef greet(name):\n    os._exit(0)\n", "os._exit"),
        (
            "import sys\nsys.exit(0)\ndef greet(name):\n    pass\n",
            "imports `sys`",
        ),
        (
            "import _pytest.runner\ndef greet(name):\n    pass\n",
            "imports `_pytest.runner`",
        ),
        (
            "def greet(name):\n    return __import__('os')\n",
            "__import__",
        ),
        (
            "import json\njson.dumps = str\ndef greet(name):\n    pass\n",
            "changes `json`",
        ),
        (
            "class Yes(str):\n    def __eq__(self, other):\n        return True\n    __hash__ = str.__hash__\ndef greet(name):\n    return Yes()\n",
            "Yes.__eq__",
        ),
        (
            "import os\ndef greet(name):\n    return getattr(os, '_' + 'exit')\n",
            "getattr",
        ),
        (
            "def greet(name):\n    return '{0.__class__}'.format(name)\n",
            "special attribute",
        ),
        (
            "def greet(name):\n    try:\n        raise ValueError\n    except ValueError as e:\n        return e.__traceback__.tb_frame\n",
            "tb_frame",
        ),
        (
            "def greet(name):\n    open('.results.json', 'w').write('{}')\n",
            "uses `open`",
        ),
        // The servers' clients: raw libpq, raw Redis commands, server configuration.
        (
            "from psycopg import pq\ndef greet(name):\n    pass\n",
            "psycopg.pq",
        ),
        (
            "def greet(r):\n    return r.execute_command('CONFIG', 'SET', 'dir', '/')\n",
            "execute_command",
        ),
        (
            "def greet(r):\n    return r.config_set('dir', '/')\n",
            "config_set",
        ),
        (
            "def greet(conn):\n    return conn.pgconn.trace(1)\n",
            "pgconn",
        ),
        // Red team round 6: aliases, computed names and classes built at run time.
        (
            "import pytest\nP = pytest\nR = P.TestReport\ndef greet(name):\n    pass\n",
            "other than as `pytest.name`",
        ),
        (
            "g = getattr\ndef greet(name):\n    return g(name, 'upper')()\n",
            "other than by calling it",
        ),
        (
            "def greet(name):\n    return type('A', (), {'_' * 2 + 'eq' + '_' * 2: lambda s, o: True})()\n",
            "three arguments",
        ),
        (
            "def greet(name):\n    return ('{0._' + '_class_' + '_}').format(name)\n",
            "`.format`",
        ),
        (
            "from os import path\ndef greet(name):\n    return path.os.getcwd()\n",
            "`.os`",
        ),
        (
            "import operator\ndef greet(name):\n    return operator.attrgetter('upper')(name)()\n",
            "attrgetter",
        ),
        // Red team round 7: from-imports of what the rules refuse as attributes, modules other
        // modules imported, template engines, pytest's objects through a fixture, special
        // methods defined under a block, silenced type checks.
        (
            "from operator import attrgetter\ndef greet(name):\n    return attrgetter('upper')(name)()\n",
            "operator.attrgetter",
        ),
        (
            "from typing import sys\ndef greet(name):\n    pass\n",
            "typing.sys",
        ),
        (
            "import json\ndef greet(name):\n    return json.codecs\n",
            "codecs",
        ),
        (
            "import pytest\n@pytest.fixture(autouse=True)\ndef greet(request):\n    handle = request\n    return handle\n",
            "autouse",
        ),
        (
            "class Yes(str):\n    if True:\n        def __eq__(self, other):\n            return True\ndef greet(name):\n    return Yes()\n",
            "Yes.__eq__",
        ),
        (
            "import os\ndef greet(name, self=os):\n    return self._exit\n",
            "private attribute",
        ),
        (
            "def greet(name):  # type: ignore\n    return name\n",
            "silences the type checker",
        ),
        (
            "def greet(name):\n    fmt = str.format\n    return fmt\n",
            "`.format`",
        ),
        // botocore: its exceptions and Config only; the rest reads files (~/.aws, service
        // models), loads code or patches clients.
        (
            "import botocore.session\ndef greet(name):\n    pass\n",
            "botocore.session",
        ),
        (
            "from botocore import loaders\ndef greet(name):\n    pass\n",
            "botocore.loaders",
        ),
        (
            "from botocore.stub import Stubber\ndef greet(name):\n    pass\n",
            "botocore.stub",
        ),
        ("import boto3\ndef greet(name):\n    pass\n", "boto3"),
        (
            "import botocore.exceptions\ndef greet(name):\n    return botocore.exceptions.urllib3\n",
            "urllib3",
        ),
        // PyJWT is allowed for the security section; its network and process-wide parts are not.
        (
            "import jwt\ndef greet(name):\n    return jwt.PyJWKClient(name)\n",
            "PyJWKClient",
        ),
        (
            "from jwt.jwks_client import PyJWKClient\ndef greet(name):\n    pass\n",
            "jwt.jwks_client",
        ),
        (
            "import jwt\ndef greet(name):\n    return jwt.jwks_client\n",
            "jwt.jwks_client",
        ),
        (
            "import jwt\ndef greet(name):\n    jwt.unregister_algorithm('HS256')\n",
            "unregister_algorithm",
        ),
        // 06_databases: string annotations are evaluated (Pydantic, SQLAlchemy's mapping);
        // SQLAlchemy and Alembic's file, plugin and code-loading parts.
        (
            "import os\nclass M:\n    x: \"os.system('id')\"\ndef greet(name):\n    pass\n",
            "os.system",
        ),
        (
            "from sqlalchemy import create_engine\ndef greet(name):\n    pass\n",
            "sqlalchemy.create_engine",
        ),
        (
            "from sqlalchemy import orm\ndef greet(name):\n    return orm.relationships.util.PluginLoader\n",
            "PluginLoader",
        ),
        (
            "from sqlalchemy import dialects\ndef greet(name):\n    dialects.registry.register('x', 'os', 'system')\n",
            "registry",
        ),
        (
            "from sqlalchemy.dialects import plugins\ndef greet(name):\n    pass\n",
            "plugins",
        ),
        // Red team round 8: a module from-imported out of another module, patched.
        (
            "from starlette.responses import json\njson.dump = print\ndef greet(name):\n    pass\n",
            "changes `json`",
        ),
        // Modules and code loaded by name through allowed libraries, and patching through
        // what a call returns.
        (
            "from werkzeug.utils import import_string\ndef greet(name):\n    pass\n",
            "import_string",
        ),
        (
            "import werkzeug\ndef greet(name):\n    werkzeug.utils.import_string('json').dump = print\n",
            "import_string",
        ),
        (
            "def greet(name):\n    name.lower().x = 1\n",
            "what a call returns",
        ),
        (
            "from pydantic import ImportString\ndef greet(name):\n    pass\n",
            "ImportString",
        ),
        (
            "import pytest\nimport json\ndef greet(name):\n    pytest.MonkeyPatch().setattr(json, 'dump', print)\n",
            "on an object",
        ),
        (
            "import asyncio\ndef greet(name):\n    return asyncio.new_event_loop().subprocess_exec\n",
            "subprocess_exec",
        ),
        (
            "import typing\n@typing.no_type_check\ndef greet(name):\n    pass\n",
            "no_type_check",
        ),
        (
            "from flask import Flask\ndef greet(name):\n    return Flask('x').jinja_env.compile_expression(name)()\n",
            "jinja_env",
        ),
        (
            "from alembic.config import Config\ndef greet(name):\n    pass\n",
            "alembic.config",
        ),
        (
            "from sqlalchemy.orm import relationship\ndef greet(name):\n    pass\n",
            "sqlalchemy.orm.relationship",
        ),
        (
            "def greet(engine):\n    return engine.dispatch\n",
            "dispatch",
        ),
        // 11_observability: `logging.Formatter` is allowed with its %-style only (the
        // `{`-style reads attributes by text), from `logging` only; `type(x)` is read or
        // compared, never called; `getattr(s, "format")` is `.format`.
        (
            "import logging\ndef greet(name):\n    return logging.Formatter('{name.upper}', style='{')\n",
            "`style`",
        ),
        (
            "from logging import Formatter\nclass J(Formatter):\n    def __init__(self):\n        super().__init__('{exc_info}', None, '{')\ndef greet(name):\n    return J()\n",
            "a formatter takes",
        ),
        (
            "import logging\nclass J(logging.Formatter):\n    pass\ndef greet(name):\n    return J(**{'style': '{'})\n",
            "a formatter takes",
        ),
        (
            "import functools, logging\ndef greet(name):\n    return functools.partial(logging.Formatter, style=name)\n",
            "`style`",
        ),
        (
            "import logging\nclass J(logging.Formatter):\n    pass\ndef greet(name):\n    return [J][0]('{x.y}', None, '{')\n",
            "formatter class `J`",
        ),
        (
            "def greet(f):\n    return type(f)('{exc_info}', None, '{')\n",
            "`type(x)`",
        ),
        (
            "import string\ndef greet(name):\n    return string.Formatter().get_field('0.upper', [name], {})\n",
            "Formatter",
        ),
        (
            "def greet(name):\n    return getattr('{0.upper}', 'format')(name)\n",
            "getattr",
        ),
        // Text naming a special attribute, built around a name that is let through.
        (
            "def greet(name):\n    return getattr(name, '__cl__main__ass__'.replace('__main__', ''))\n",
            "special attribute",
        ),
        // prometheus_client: the registry and metrics, not its servers, files or push client.
        (
            "from prometheus_client import start_http_server\ndef greet(name):\n    pass\n",
            "start_http_server",
        ),
        (
            "import prometheus_client\ndef greet(r):\n    prometheus_client.write_to_textfile('/tmp/x', r)\n",
            "write_to_textfile",
        ),
        (
            "from prometheus_client.multiprocess import MultiProcessCollector\ndef greet(name):\n    pass\n",
            "prometheus_client.multiprocess",
        ),
        (
            "from prometheus_client import decorator\ndef greet(name):\n    pass\n",
            "prometheus_client.decorator",
        ),
        // 09_celery: Celery and kombu load code, configuration and serializers by name, run
        // the command line and the worker in-process, and reach files.
        (
            "from celery.utils.imports import symbol_by_name\ndef greet(name):\n    pass\n",
            "celery.utils",
        ),
        (
            "from kombu.utils.imports import symbol_by_name\ndef greet(name):\n    pass\n",
            "kombu.utils",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    Celery('x').config_from_object('os')\n",
            "config_from_object",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    Celery('x').autodiscover_tasks(['os'])\n",
            "autodiscover_tasks",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    return Celery('x', loader='os:system')\n",
            "passes `loader`",
        ),
        (
            "import celery.bin.worker\ndef greet(name):\n    pass\n",
            "celery.bin",
        ),
        (
            "from celery.apps import worker\ndef greet(name):\n    pass\n",
            "celery.apps",
        ),
        (
            "from celery.concurrency import prefork\ndef greet(name):\n    pass\n",
            "celery.concurrency",
        ),
        (
            "from celery.contrib import rdb\ndef greet(name):\n    pass\n",
            "celery.contrib",
        ),
        (
            "from kombu.serialization import register_pickle\ndef greet(name):\n    pass\n",
            "kombu.serialization",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    Celery('x').conf.update({'CELERY_IMPORTS': ['os']})\n",
            "CELERY_IMPORTS",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    Celery('x').conf.update(accept_content=['json', 'pickle'])\n",
            "accept_content",
        ),
        (
            "from celery import Task\nclass T(Task):\n    Request = 'os:system'\ndef greet(name):\n    pass\n",
            "T.Request",
        ),
        (
            "from celery import Celery\nclass C(Celery):\n    amqp_cls = 'os:system'\ndef greet(name):\n    pass\n",
            "C.amqp_cls",
        ),
        (
            "from celery import Celery\ndef greet(name):\n    Celery('x').start(['celery', 'purge'])\n",
            "`.start`",
        ),
        (
            "from celery import current_app\ndef greet(name):\n    return current_app.control\n",
            "`.control`",
        ),
        // Red team round 9. W1: MonkeyPatch's methods bound, passed or read by name escape
        // the checks made at their calls (a dotted target imports and patches pytest).
        (
            "from pytest import MonkeyPatch\npatch = MonkeyPatch().setattr\npatch('_pytest.python.Function.runtest', lambda self: None)\ndef greet(name):\n    pass\n",
            "`.setattr` other than by calling it",
        ),
        (
            "import functools\nfrom pytest import MonkeyPatch\nfunctools.partial(MonkeyPatch().setattr, 'a.b')(1)\ndef greet(name):\n    pass\n",
            "`.setattr` other than by calling it",
        ),
        (
            "from pytest import MonkeyPatch\n[MonkeyPatch().delattr][0]('a.b')\ndef greet(name):\n    pass\n",
            "`.delattr` other than by calling it",
        ),
        (
            "from pytest import MonkeyPatch\ngetattr(MonkeyPatch(), 'setattr')('a.b', 1)\ndef greet(name):\n    pass\n",
            "`getattr` needs an attribute name",
        ),
        (
            "from pytest import MonkeyPatch\nMonkeyPatch().setattr(target='a.b', value=1)\ndef greet(name):\n    pass\n",
            "arguments not written out",
        ),
        (
            "f = '{0.x}'.format\ndef greet(name):\n    return f(name)\n",
            "`.format` other than by calling it",
        ),
        // W2: operators inherited from a library class that routes them to an ordinary
        // method (`ColumnOperators.__eq__` calls `self.operate`): always equal.
        (
            "from sqlalchemy.sql.operators import ColumnOperators\nclass Yes(ColumnOperators):\n    def operate(self, op, *other, **kw):\n        return True\ndef greet(name):\n    return Yes()\n",
            "subclasses `sqlalchemy.sql.operators.ColumnOperators`",
        ),
        (
            "from sqlalchemy import sql\nclass Yes(sql.elements.ColumnElement):\n    pass\ndef greet(name):\n    return Yes()\n",
            "subclasses `sqlalchemy.sql.elements.ColumnElement`",
        ),
        (
            "from sqlalchemy.sql.operators import ColumnOperators\nBase = ColumnOperators\nclass Yes(Base):\n    pass\ndef greet(name):\n    return Yes()\n",
            "a base class must be",
        ),
        (
            "from sqlalchemy import column\ndef greet(name):\n    c = column('x')\n    c.operate = lambda *a, **k: True\n    return c\n",
            "sets `.operate`",
        ),
        // W4: attributes read by computed names through Pydantic's aliases and DRF.
        (
            "from typing import Any\nfrom pydantic import AliasPath, BaseModel, Field\nU = '_' * 2\nclass Peek(BaseModel):\n    g: Any = Field(validation_alias=AliasPath('fn', U + 'globals' + U))\ndef greet(name):\n    pass\n",
            "`AliasPath` needs names written out",
        ),
        (
            "from typing import Any\nfrom pydantic import BaseModel, Field\nU = '_' * 2\nclass Peek(BaseModel):\n    g: Any = Field(alias=U + 'globals' + U)\ndef greet(name):\n    pass\n",
            "`alias=` needs a name written out",
        ),
        (
            "from pydantic import BaseModel, ConfigDict\nclass Peek(BaseModel):\n    model_config = ConfigDict(alias_generator=lambda n: n)\ndef greet(name):\n    pass\n",
            "`alias_generator` may be only",
        ),
        (
            "from rest_framework.fields import get_attribute\ndef greet(name):\n    return get_attribute(name, ['x'])\n",
            "get_attribute",
        ),
        (
            "from typing import Any\nfrom pydantic import BaseModel, Field\nopts = dict(default=None)\nclass Peek(BaseModel):\n    g: Any = Field(**opts)\ndef greet(name):\n    pass\n",
            "`Field(**...)` needs its options written out",
        ),
        // `functools.wraps`/`update_wrapper` copy any object's attributes (`operate`) onto
        // another: `wraps` only decorates a function of the file.
        (
            "import functools\nfrom sqlalchemy import column\ndef greet(name):\n    return functools.wraps(name)(column('x'))\n",
            "`wraps` only as",
        ),
        (
            "from functools import update_wrapper\ndef greet(name):\n    pass\n",
            "update_wrapper",
        ),
        // A class built at run time escapes the base-class rule: `type` only called with one
        // argument, and not the metaclass it returns.
        (
            "from sqlalchemy.sql.operators import ColumnOperators\nt = type\nYes = t('Yes', (ColumnOperators,), {})\ndef greet(name):\n    return Yes()\n",
            "uses `type` other than by calling it",
        ),
        (
            "from sqlalchemy.sql.operators import ColumnOperators\nYes = type(int)('Yes', (ColumnOperators,), {})\ndef greet(name):\n    return Yes()\n",
            "`type(x)(...)` with three arguments",
        ),
        // Red team round 10: gadgets of allowed libraries that read attributes by a computed
        // name, import by text, or run text as code.
        (
            "import email.utils\nfrom django.contrib.syndication.views import getattr_static\nOS = getattr_static(email.utils, 'o' + 's')\ndef greet(name):\n    pass\n",
            "django.contrib.syndication",
        ),
        (
            "import inspect\ndef greet(name):\n    return name\n",
            "imports `inspect`",
        ),
        (
            "from pydantic.v1 import BaseModel, PyObject\nclass T(BaseModel):\n    where: PyObject\ndef greet(name):\n    pass\n",
            "pydantic.v1",
        ),
        (
            "import pydantic\ndef greet(name):\n    return pydantic.v1\n",
            "pydantic.v1",
        ),
        (
            "from werkzeug.debug.console import Console\ndef greet(name):\n    Console().eval('1')\n",
            "werkzeug.debug",
        ),
        // A nested class of the file's class is a fine base (DRF's `class Meta(Parent.Meta)`),
        // unless it was rebound to anything else.
        (
            "from sqlalchemy.sql.operators import ColumnOperators\nclass A:\n    class M:\n        pass\nA.M = ColumnOperators\nclass Yes(A.M):\n    pass\ndef greet(name):\n    return Yes()\n",
            "a base class must be",
        ),
    ];
    for (source, says) in attacks {
        course.write("exercises/01_basics/greet.py", source);
        let out = course.run(&["run", "greet"]);
        let said = text(&out);
        assert!(!out.status.success(), "{source}\n{said}");
        assert!(said.contains("rejected"), "{source}\n{said}");
        assert!(said.contains(says), "{source}: wanted {says:?}\n{said}");
    }
    // What the Celery lessons need passes: an app configured in code, bound tasks with
    // retries, the canvas, schedules, kombu's queues.
    let fine = [
        "from celery import Celery, chain, chord, group\nfrom celery.schedules import crontab\nfrom kombu import Queue\napp = Celery('x', set_as_current=False)\napp.conf.update(task_acks_late=True, task_queues=[Queue('q')], task_routes={'a.b': {'queue': 'q'}}, beat_schedule={'n': {'task': 'a.b', 'schedule': crontab(minute=30, hour=2)}})\n@app.task(bind=True, name='a.b', max_retries=3)\ndef b(self, x):\n    raise self.retry(countdown=1, exc=ValueError())\ndef greet(name):\n    return chain(chord(group(b.s(1)), b.s()), b.s())\n",
    ];
    for source in fine {
        course.write("exercises/01_basics/greet.py", source);
        let out = course.run(&["run", "greet"]);
        let said = text(&out);
        assert!(!said.contains("rejected"), "{source}\n{said}");
    }
}

/// A support module of the course is trusted, not a way around the rules: what it imported is
/// checked as if the learner imported it from where it comes from, and a learner method read
/// through its class (which would take a course object as `self` and read its privates) is
/// refused. Found by the author of the Git section, round 9.
#[test]
fn a_support_module_is_no_way_around_the_rule_book() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("support = [\"helper.py\"]\n");
    course.write(
        "exercises/01_basics/helper.py",
        "import os\nimport pytest\nfrom os import path as where\n\nclass Lab:\n    def __init__(self):\n        self._secret = 'nonce'\n\ndef polite(text):\n    return text.strip()\n",
    );
    let attacks = [
        (
            "from helper import os\ndef greet(name):\n    os.system('true')\n",
            "os.system",
        ),
        (
            "from helper import pytest as P\ndef greet(name):\n    P.exit('forged')\n",
            "pytest.exit",
        ),
        (
            "import helper\ndef greet(name):\n    return helper.os.getcwd()\n",
            "which the support module imported",
        ),
        (
            "from helper import where\ndef greet(name):\n    return where\n",
            "posixpath",
        ),
        (
            "from helper import Lab\nclass Peek:\n    def read(self):\n        return self._secret\ndef greet(name):\n    return Peek.read(Lab())\n",
            "through its class",
        ),
        (
            "from helper import Lab\nclass Peek:\n    def read(self):\n        return self._secret\ndef greet(name):\n    return getattr(Peek, 'read')(Lab())\n",
            "getattr",
        ),
    ];
    for (source, says) in attacks {
        course.write("exercises/01_basics/greet.py", source);
        let out = course.run(&["run", "greet"]);
        let said = text(&out);
        assert!(!out.status.success(), "{source}\n{said}");
        assert!(said.contains("rejected"), "{source}\n{said}");
        assert!(said.contains(says), "{source}: wanted {says:?}\n{said}");
    }
    // What the support module defines is the learner's to use, and methods on instances too.
    course.write(
        "exercises/01_basics/greet.py",
        "from helper import polite\n\nclass Greeter:\n    def hello(self, name):\n        return f\"Hello, {polite(name)}!\"\n\ndef greet(name):\n    return Greeter().hello(name)\n",
    );
    let out = course.run(&["run", "greet"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn dev_check_proves_solutions_pass_and_mutants_fail() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let out = course.run(&[
        "dev",
        "check",
        "--require-solutions",
        "--require-mutants",
        "2",
    ]);
    let said = text(&out);
    // Both mutants fail a test (`lstrip only` keeps the trailing space): the course is fine.
    assert!(out.status.success(), "{said}");
    assert!(said.contains("greet  2 of 2"), "{said}");
    // A mutant the tests cannot tell apart survives: an error.
    course.write(
        "solutions/01_basics/greet.mutants.toml",
        "[[mutant]]\nlabel = \"strip twice (same behaviour)\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name.strip().strip()'''\n\n[[mutant]]\nlabel = \"no strip\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name'''\n",
    );
    let out = course.run(&[
        "dev",
        "check",
        "--require-solutions",
        "--require-mutants",
        "2",
    ]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("strip twice"), "{said}");
    // Checking one exercise or section by name still finds it; an unknown name is an error.
    let said = text(&course.run(&["dev", "check", "01_basics"]));
    assert!(said.contains("strip twice"), "{said}");
    let out = course.run(&["dev", "check", "nope"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("no exercise or section named `nope`"),
        "{said}"
    );
}

/// `grade` on a Python cohort: honest controls keep their marks, hostile learners earn nothing,
/// in the bubblewrap sandbox (required under CI).
#[test]
fn grade_grades_a_python_cohort_and_hostile_learners_earn_nothing() {
    if !python_here() {
        return;
    }
    if !cfg!(target_os = "linux") {
        return;
    }
    let course = PyCourse::new("");
    let cohort = tempfile::tempdir().unwrap();
    let learner = |name: &str, files: &[(&str, &str)]| {
        let dir = cohort.path().join(name);
        for (rel, content) in files {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
    };
    let module = "exercises/01_basics/greet.py";
    learner("solved", &[(module, GREET_SOLVED)]);
    learner("untouched", &[(module, GREET_UNSOLVED)]);
    // Rewrites the tests it is given: the course's are used.
    learner(
        "edits_tests",
        &[
            (module, GREET_UNSOLVED),
            (
                "exercises/01_basics/test_greet.py",
                "def test_greets_by_name():\n    pass\n\ndef test_strips_the_name():\n    pass\n",
            ),
        ],
    );
    // A conftest.py that turns every report into a pass: never loaded.
    learner(
        "conftest",
        &[
            (module, GREET_UNSOLVED),
            (
                "exercises/01_basics/conftest.py",
                "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
            ),
        ],
    );
    // Ends the process at import, before the tests: no results, no pass.
    learner(
        "system_exit",
        &[(
            module,
            "raise SystemExit(0)\n\ndef greet(name):\n    pass\n",
        )],
    );
    // Answers every comparison with yes.
    learner(
        "always_equal",
        &[(
            module,
            "class Yes(str):\n    def __eq__(self, other):\n        return True\n\ndef greet(name):\n    return Yes()\n",
        )],
    );
    // Reads a host secret and the grader's environment: refused, and not there in the jail.
    learner(
        "reader",
        &[(
            module,
            "import os\n\ndef greet(name):\n    return os.environ.get('HOME', '') + os.getenv('GRADER_SECRET', '')\n",
        )],
    );
    // Red team round 9. W1: MonkeyPatch's `setattr` bound to a name, with a dotted target
    // (`_pytest.python.Function.runtest`): every test body would be skipped. The rule book
    // refuses it.
    learner(
        "monkeypatch_alias",
        &[(
            module,
            "from pytest import MonkeyPatch\n\npatch = MonkeyPatch().setattr\npatch('_pytest.python.Function.runtest', lambda self: None)\n\ndef greet(name):\n    return 'TODO'\n",
        )],
    );
    // W2: an always-equal value inherited from SQLAlchemy's ColumnOperators.
    learner(
        "operators",
        &[(
            module,
            "from sqlalchemy.sql.operators import ColumnOperators\n\nclass Yes(ColumnOperators):\n    def operate(self, op, *other, **kw):\n        return True\n\ndef greet(name):\n    return Yes()\n",
        )],
    );
    // W4: pydantic reads `__globals__` by a computed alias, then patches pytest.
    learner(
        "alias_path",
        &[(
            module,
            "from typing import Any\nfrom pydantic import AliasPath, BaseModel, ConfigDict, Field\nfrom pytest import MonkeyPatch\n\nU = '_' * 2\n\nclass Box:\n    def __init__(self) -> None:\n        self.fn = MonkeyPatch.undo\n\nclass Peek(BaseModel):\n    model_config = ConfigDict(from_attributes=True, arbitrary_types_allowed=True)\n    g: Any = Field(validation_alias=AliasPath('fn', U + 'globals' + U))\n\nspace = Peek.model_validate(Box(), from_attributes=True).g\nspace['sys'].modules['_pytest.python'].Function.runtest = lambda self: None\n\ndef greet(name):\n    return 'TODO'\n",
        )],
    );
    // W5: the section folder is a link to a classmate's, or to the course's solutions: the
    // grader (outside the jail) must not follow it.
    #[cfg(unix)]
    {
        let linked = |name: &str, to: &Path| {
            let dir = cohort.path().join(name).join("exercises");
            fs::create_dir_all(&dir).unwrap();
            std::os::unix::fs::symlink(to, dir.join("01_basics")).unwrap();
        };
        linked(
            "link_classmate",
            Path::new("../../solved/exercises/01_basics"),
        );
        linked("link_solutions", &course.root().join("solutions/01_basics"));
        // The file itself through a link that stays inside the tree is still refused (no
        // component may be a link).
        let dir = cohort.path().join("link_inside/exercises/01_basics");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("real.py"), GREET_SOLVED).unwrap();
        std::os::unix::fs::symlink("real.py", dir.join("greet.py")).unwrap();
    }
    let out = Command::new(BIN)
        .args(["grade", "--course"])
        .arg(course.root())
        .arg("--cohort")
        .arg(cohort.path())
        .arg("--json")
        .arg(cohort.path().join("grades.json"))
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .env("GRADER_SECRET", "s3cr3t-of-the-grader")
        .output()
        .unwrap();
    let said = text(&out);
    let report = fs::read_to_string(cohort.path().join("grades.json")).expect(&said);
    assert!(!report.contains("s3cr3t-of-the-grader"), "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let jailed = report["isolation"].as_str().unwrap_or_default() == "bubblewrap"
        || report.to_string().contains("\"bubblewrap\"");
    if std::env::var_os("CI").is_some() {
        assert!(jailed, "under CI the sandbox is required: {said}");
    }
    for learner in report["learners"].as_array().unwrap() {
        let name = learner["name"].as_str().unwrap();
        let exercise = &learner["exercises"][0];
        let status = exercise["status"].as_str().unwrap();
        let expected_pass = name == "solved";
        assert_eq!(
            status == "passed",
            expected_pass,
            "{name}: {status} {}",
            exercise["output"]
        );
    }
    let status_of = |name: &str| {
        report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .map(|l| l["exercises"][0]["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status_of("always_equal"), "rejected");
    // Which defence held: the rule book (W1, W2, W4), the grader's reader (W5).
    for name in ["monkeypatch_alias", "operators", "alias_path"] {
        assert_eq!(status_of(name), "rejected", "{name}");
    }
    #[cfg(unix)]
    {
        let output_of = |name: &str| {
            report["learners"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["name"] == name)
                .map(|l| l["exercises"][0].to_string())
                .unwrap()
        };
        for name in ["link_classmate", "link_solutions", "link_inside"] {
            let exercise = output_of(name);
            assert!(exercise.contains("is a link"), "{name}: {exercise}");
        }
    }
    assert_eq!(status_of("edits_tests"), "tests_failed");
    assert_eq!(status_of("conftest"), "tests_failed");
}

/// `init --track python`: the Python track built into the binary, anywhere; after a pass its
/// solution appears, and `reset` restores the shipped exercise.
#[test]
fn init_makes_a_python_workspace_with_reset_and_solutions() {
    if !python_here() {
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let out = run_in(parent.path(), &["init", "--track", "python", "ws"]);
    assert!(out.status.success(), "{}", text(&out));
    let root = parent.path().join("ws");
    let info = fs::read_to_string(root.join("info.toml")).unwrap();
    assert!(info.contains("toolchain = \"python\""), "{info}");
    assert!(root.join("requirements.lock").is_file());
    assert!(
        !root.join("solutions").exists(),
        "solutions come after a pass"
    );
    // The first exercise, solved with the repository's solution.
    let name = info
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    let dir = info
        .split("[[exercises]]")
        .nth(1)
        .and_then(|e| e.lines().find_map(|l| l.strip_prefix("dir = \"")))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    let exercise = root.join(format!("exercises/{dir}/{name}.py"));
    let shipped = fs::read(&exercise).unwrap();
    let solution =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("python/solutions/{dir}/{name}.py"));
    fs::copy(&solution, &exercise).unwrap();
    let out = run_in(&root, &["run", name]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(root.join(format!("solutions/{dir}/{name}.py")).is_file());
    let out = run_in(&root, &["reset", name]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fs::read(&exercise).unwrap(), shipped);
}

/// Whether `redis-server` and PostgreSQL (`postgres` and `initdb`) are installed where the
/// runner looks for them; under CI they must be (`.ci/run` installs them): never a skip there.
fn services_here() -> bool {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
            .unwrap_or(false)
    };
    let debian_pg = fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.flatten()
                .any(|d| d.path().join("bin/postgres").is_file())
        })
        .unwrap_or(false);
    let found = on_path("redis-server") && (debian_pg || on_path("postgres"));
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "the services tests need redis-server and PostgreSQL under CI (.ci/run installs them)"
        );
        eprintln!("skipped: redis-server or PostgreSQL is not installed");
    }
    found
}

const REDIS_TESTS: &str = r#"import os

import redis

import hits


def test_counts_hits():
    r = redis.Redis.from_url(os.environ["BACKENDLINGS_REDIS_URL"], decode_responses=True)
    assert os.environ["BACKENDLINGS_REDIS_URL"].startswith("unix://")
    assert hits.hit(r, "home") == 1
    assert hits.hit(r, "home") == 2
    assert r.get("hits:home") == "2"
"#;
const REDIS_SOLVED: &str = "def hit(r, page):\n    return r.incr(f\"hits:{page}\")\n";
const REDIS_UNSOLVED: &str = "def hit(r, page):\n    return 1\n";

const PG_TESTS: &str = r#"import os

import psycopg

import rows


def test_counts_rows():
    with psycopg.connect(os.environ["BACKENDLINGS_POSTGRES_DSN"], autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1), (2), (3)")
        assert rows.count(conn) == 3
"#;
const PG_SOLVED: &str =
    "def count(conn):\n    return conn.execute(\"SELECT count(*) FROM t\").fetchone()[0]\n";
const PG_UNSOLVED: &str = "def count(conn):\n    return 0\n";

/// Generous time limits: these tests run beside each other on a loaded 2-core machine.
const SERVICE_ENTRIES: &str = "\n[[exercises]]\nname = \"hits\"\ndir = \"01_basics\"\ntests = 1\nservices = [\"redis\"]\nhint = \"INCR.\"\n\n[[exercises]]\nname = \"rows\"\ndir = \"01_basics\"\ntests = 1\nservices = [\"postgres\"]\ntimeout_secs = 60\nhint = \"count(*).\"\n";

/// A course with `greet`, a Redis exercise `hits` and a PostgreSQL exercise `rows`, unsolved.
fn services_course() -> PyCourse {
    let course = PyCourse::new(SERVICE_ENTRIES);
    course.write("exercises/01_basics/hits.py", REDIS_UNSOLVED);
    course.write("exercises/01_basics/test_hits.py", REDIS_TESTS);
    course.write("solutions/01_basics/hits.py", REDIS_SOLVED);
    course.write("exercises/01_basics/rows.py", PG_UNSOLVED);
    course.write("exercises/01_basics/test_rows.py", PG_TESTS);
    course.write("solutions/01_basics/rows.py", PG_SOLVED);
    course
}

/// The runner with a temporary folder of its own (where PostgreSQL's session folder goes), so
/// that what it leaves behind can be looked for.
fn run_with_tmp(course: &PyCourse, tmp: &Path, args: &[&str], extra: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(course.root())
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .env("TMPDIR", tmp);
    for (key, value) in extra {
        cmd.env(key, value);
    }
    cmd.output().expect("run backendlings")
}

fn session_folders(tmp: &Path) -> Vec<String> {
    fs::read_dir(tmp)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("backendlings-pg-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn redis_and_postgres_exercises_fail_unsolved_and_pass_solved_against_real_servers() {
    if !python_here() || !services_here() {
        return;
    }
    let course = services_course();
    let tmp = tempfile::tempdir().unwrap();
    // `dev check`: the solutions pass and the exercises as shipped fail, against the servers.
    let out = run_with_tmp(&course, tmp.path(), &["dev", "check", "hits", "rows"], &[]);
    assert!(text(&out).contains("the course is fine"), "{}", text(&out));
    for name in ["hits", "rows"] {
        let out = run_with_tmp(&course, tmp.path(), &["run", name], &[]);
        let said = text(&out);
        assert!(!out.status.success(), "{name}: {said}");
        assert!(said.contains("tests failed"), "{name}: {said}");
    }
    course.write("exercises/01_basics/hits.py", REDIS_SOLVED);
    course.write("exercises/01_basics/rows.py", PG_SOLVED);
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    for name in ["hits", "rows"] {
        let started = std::time::Instant::now();
        let out = run_with_tmp(&course, tmp.path(), &["run", name], &[]);
        assert!(out.status.success(), "{name}: {}", text(&out));
        eprintln!(
            "run {name}: {:?} (a fresh runner process)",
            started.elapsed()
        );
    }
    // Warm workers (`verify`): the same verdicts, and the addresses reach the forked children.
    let out = run_with_tmp(&course, tmp.path(), &["verify", "--no-cache"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    // Every server is gone with the runner, and so is PostgreSQL's session folder.
    let root = course.root().to_string_lossy().into_owned();
    assert!(
        !process_running(&root),
        "a server of {root} is still running"
    );
    let tmp_text = tmp.path().to_string_lossy().into_owned();
    assert!(
        !process_running(&tmp_text),
        "PostgreSQL of {tmp_text} is still running"
    );
    assert_eq!(session_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_check_that_times_out_leaves_no_server_behind() {
    if !python_here() || !services_here() {
        return;
    }
    let course = services_course();
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write(
        "info.toml",
        &info.replace(
            "services = [\"redis\"]\n",
            "services = [\"redis\", \"postgres\"]\ntimeout_secs = 2\n",
        ),
    );
    course.write(
        "exercises/01_basics/hits.py",
        "import time\n\nMARKER = 'py-service-loop-marker'\n\ndef hit(r, page):\n    while True:\n        time.sleep(0.01)\n",
    );
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let tmp = tempfile::tempdir().unwrap();
    for args in [&["run", "hits"][..], &["verify", "--no-cache"][..]] {
        let out = run_with_tmp(&course, tmp.path(), args, &[]);
        let said = text(&out);
        assert!(!out.status.success(), "{said}");
        // Whichever limit ends it first: the run's (`timed out`) or the test's own alarm (a
        // failed test, which `verify` summarises as `tests failed`).
        assert!(
            said.contains("timed out")
                || said.contains("ran longer than")
                || (args[0] == "verify" && said.contains("hits.py): tests failed")),
            "{args:?}: {said}"
        );
    }
    assert!(!process_running("py-service-loop-marker"));
    let root = course.root().to_string_lossy().into_owned();
    assert!(
        !process_running(&root),
        "redis-server of {root} is still running"
    );
    let tmp_text = tmp.path().to_string_lossy().into_owned();
    assert!(!process_running(&tmp_text), "PostgreSQL is still running");
    assert_eq!(session_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_missing_server_says_what_to_install_and_grading_does_not_start() {
    if !python_here() {
        return;
    }
    let course = services_course();
    let tmp = tempfile::tempdir().unwrap();
    let nowhere = tempfile::tempdir().unwrap();
    let nowhere = nowhere.path().to_str().unwrap();
    let hide = [("BACKENDLINGS_SERVICE_PATH", nowhere)];
    let out = run_with_tmp(&course, tmp.path(), &["run", "hits"], &hide);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("sudo apt install redis-server"), "{said}");
    assert!(said.contains("brew install redis"), "{said}");
    assert!(said.contains("not a problem with your code"), "{said}");
    assert!(!said.contains("tests failed"), "{said}");
    let out = run_with_tmp(&course, tmp.path(), &["run", "rows"], &hide);
    let said = text(&out);
    assert!(said.contains("sudo apt install postgresql"), "{said}");
    assert!(said.contains("brew install postgresql@16"), "{said}");
    assert!(
        said.contains("winget install PostgreSQL.PostgreSQL"),
        "{said}"
    );
    // Grading: an environment problem before any learner, never a zero.
    let cohort = tempfile::tempdir().unwrap();
    let learner = cohort.path().join("ada/exercises/01_basics");
    fs::create_dir_all(&learner).unwrap();
    fs::write(learner.join("hits.py"), REDIS_SOLVED).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["grade", "--course"])
        .arg(course.root())
        .arg("--cohort")
        .arg(cohort.path())
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .env("BACKENDLINGS_SERVICE_PATH", nowhere);
    let out = cmd.output().unwrap();
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("nobody was graded"), "{said}");
    assert!(said.contains("apt install"), "{said}");
}

/// Both learners' code tries to reach another check's database, the administrator and the
/// server's own databases while the other learner's check is running: nothing answers. Each
/// learner has a server of its own while grading (red team round 9), so the other learner's
/// database is not even listed.
const PROBE: &str = r#"import time
from urllib.parse import urlsplit, parse_qs

import psycopg


def attempt(conninfo, **kwargs):
    try:
        with psycopg.connect(conninfo, connect_timeout=3, **kwargs) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def probe(dsn):
    parts = urlsplit(dsn)
    mine = parts.path.lstrip("/")
    host = parse_qs(parts.query)["host"][0]
    password = parts.password
    reached = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        others = []
        deadline = time.monotonic() + 4
        while not others and time.monotonic() < deadline:
            others = [r[0] for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'check%%' AND datname <> %s",
                (mine,),
            )]
            time.sleep(0.05)
        roles = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles")]
        superusers = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolsuper")]
        for target in others + ["postgres", "template1", "template0"]:
            for user in [mine] + others:
                if attempt(f"host={host} dbname={target} user={user} password={password}"):
                    reached.append((target, user))
        for admin in superusers + ["postgres", "root", "nobody"]:
            for db in [mine, "postgres"]:
                for secret in [password, "", "postgres"]:
                    if attempt(f"host={host} dbname={db} user={admin} password={secret}"):
                        reached.append((db, admin))
        try:
            conn.execute("CREATE ROLE intruder LOGIN SUPERUSER")
            reached.append(("create role", "intruder"))
        except psycopg.Error:
            pass
        try:
            conn.execute("COPY (SELECT 1) TO PROGRAM 'true'")
            reached.append(("copy to program", mine))
        except psycopg.Error:
            pass
        # Stay a little, so that the other learner's probe sees this database too.
        time.sleep(1.5)
    return others, superusers, roles, reached
"#;

const PROBE_TESTS: &str = r#"import os

import rows


def test_counts_rows():
    others, superusers, roles, reached = rows.probe(os.environ["BACKENDLINGS_POSTGRES_DSN"])
    assert others == [], f"another learner's database is on this learner's server: {others}"
    assert superusers, "no superuser was named"
    assert reached == []
"#;

#[test]
fn grading_jails_postgres_checks_and_a_learner_reaches_no_other_database() {
    if !python_here() || !services_here() || !cfg!(target_os = "linux") {
        return;
    }
    let course = services_course();
    course.write("exercises/01_basics/test_rows.py", PROBE_TESTS);
    // The probe waits for the other learner's check and tries some forty connections.
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write(
        "info.toml",
        &info.replace("timeout_secs = 60\n", "timeout_secs = 90\n"),
    );
    let cohort = tempfile::tempdir().unwrap();
    for (name, hits) in [("ada", REDIS_SOLVED), ("bo", REDIS_UNSOLVED)] {
        let dir = cohort.path().join(name).join("exercises/01_basics");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("rows.py"), PROBE).unwrap();
        fs::write(dir.join("hits.py"), hits).unwrap();
        fs::write(dir.join("greet.py"), GREET_SOLVED).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let (said, report) = grade_two_at_once(course.root(), cohort.path(), tmp.path());
    let jailed = report["isolation"].as_str().unwrap_or_default() == "bubblewrap";
    if std::env::var_os("CI").is_some() {
        assert!(jailed, "under CI the sandbox is required: {said}");
    }
    let status = |learner: &str, exercise: &str| {
        let learner = (report["learners"].as_array().unwrap().iter())
            .find(|l| l["name"] == learner)
            .unwrap();
        let found = (learner["exercises"].as_array().unwrap().iter())
            .find(|e| e["name"] == exercise)
            .unwrap();
        (
            found["status"].as_str().unwrap().to_string(),
            found["output"].to_string(),
        )
    };
    for learner in ["ada", "bo"] {
        let (rows, output) = status(learner, "rows");
        assert_eq!(rows, "passed", "{learner}: {output}");
    }
    assert_eq!(status("ada", "hits").0, "passed");
    assert_eq!(status("bo", "hits").0, "tests_failed");
    assert_eq!(session_folders(tmp.path()), Vec::<String>::new());
}

/// Red team round 9 (W3): a learner's module fills its PostgreSQL server's lock table with
/// session advisory locks and holds them; an honest learner graded at the same time keeps its
/// mark (its DDL needs the lock table), because each learner has a server of its own. A server
/// setting no check can change bounds temporary files.
const HOG: &str = r#"import os
import time

import psycopg

hog = psycopg.connect(os.environ.get("BACKENDLINGS_POSTGRES_DSN", ""), autocommit=True)
try:
    hog.execute("SELECT count(pg_advisory_lock(i)) FROM generate_series(1, 1000000) i")
except psycopg.Error as err:
    print("hog:", err)
try:
    hog.execute("SET temp_file_limit = -1")
    print("hog: temp_file_limit changed")
except psycopg.Error as err:
    print("hog:", err)
time.sleep(15)


def count(conn):
    return 0
"#;

/// The honest learner: waits (up to 10 s) until some server's lock table holds the hog's
/// advisory locks, which on a shared server it would see, then counts.
const WAITS_FOR_HOG: &str = r#"import os
import time

import psycopg

with psycopg.connect(os.environ.get("BACKENDLINGS_POSTGRES_DSN", ""), autocommit=True) as c:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        held = c.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()
        if held[0] > 1000:
            print("honest: the hog's locks are on this server")
            time.sleep(1)
            break
        time.sleep(0.1)


def count(conn):
    return conn.execute("SELECT count(*) FROM t").fetchone()[0]
"#;

#[test]
fn grading_gives_each_learner_a_postgres_server_a_hog_fills_only_its_own() {
    if !python_here() || !services_here() || !cfg!(target_os = "linux") {
        return;
    }
    let course = services_course();
    let cohort = tempfile::tempdir().unwrap();
    for (name, rows) in [("honest", WAITS_FOR_HOG), ("hog", HOG)] {
        let dir = cohort.path().join(name).join("exercises/01_basics");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("rows.py"), rows).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, report) = grade_two_at_once(course.root(), cohort.path(), tmp.path());
    let rows_of = |learner: &str| {
        let learner = (report["learners"].as_array().unwrap().iter())
            .find(|l| l["name"] == learner)
            .unwrap();
        (learner["exercises"].as_array().unwrap().iter())
            .find(|e| e["name"] == "rows")
            .unwrap()
            .clone()
    };
    let honest = rows_of("honest");
    assert_eq!(honest["status"], "passed", "{honest}");
    assert!(!honest.to_string().contains("hog's locks"), "{honest}");
    let hog = rows_of("hog");
    assert_eq!(hog["status"], "tests_failed", "{hog}");
    let output = hog["output"].to_string();
    assert!(output.contains("out of shared memory"), "{output}");
    assert!(!output.contains("temp_file_limit changed"), "{output}");
    // Every learner's server stopped, its folder removed.
    assert_eq!(session_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn an_unknown_service_is_an_error_of_info_toml_with_its_line() {
    let course = services_course();
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    let info = info.replace(
        "services = [\"redis\"]",
        "services = [\"redis\", \"mysql\"]",
    );
    let line = 1 + info.lines().position(|l| l.contains("\"mysql\"")).unwrap();
    course.write("info.toml", &info);
    let out = course.run(&["list"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(&format!("info.toml:{line}:")) && said.contains("unknown service `mysql`"),
        "{said}"
    );
    assert!(said.contains("postgres, redis"), "{said}");
}

const CLAMP_TESTS: &str = r#"from clamp import clamp


def test_small_values_pass_through():
    assert clamp(5) == 5


def test_large_values_are_capped():
    assert clamp(150) == 100
    assert clamp(101) == 100
"#;

const CLAMP_SOLVED: &str =
    "def clamp(n: int) -> int:\n    if n > 100:\n        return 100\n    return n\n";

/// `dev check --mutate` on a Python course: mutants generated from the solution's syntax tree,
/// run through the engine; a survivor is an error that names it by a stable id until it is
/// listed as `[[equivalent]]` with a reason; an equivalent that no mutant has is an error too.
#[test]
fn dev_check_mutate_generates_python_mutants_and_honours_equivalents() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new(
        "\n[[exercises]]\nname = \"clamp\"\ndir = \"01_basics\"\ntests = 2\nhint = \"Cap at 100.\"\n",
    );
    course.write(
        "exercises/01_basics/clamp.py",
        "def clamp(n: int) -> int:\n    return n\n",
    );
    course.write("exercises/01_basics/test_clamp.py", CLAMP_TESTS);
    course.write("solutions/01_basics/clamp.py", CLAMP_SOLVED);
    // `n >= 100` and `n > 99` cap 100 at 100 too: no test can tell them from the solution.
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    let survivors = [
        "clamp: replace > with >= in `n > 100`",
        "clamp: replace 100 with 99",
    ];
    for id in survivors {
        assert!(
            said.contains(&format!("generated mutant \"{id}\" of `clamp` survives")),
            "{id}\n{said}"
        );
    }
    assert_eq!(said.matches("survives").count(), 2, "{said}");
    assert!(said.contains("cost: "), "{said}");
    assert!(
        said.contains("generated mutants killed (2 survived, 0 equivalent, 0 unviable)"),
        "{said}"
    );

    let equivalents = survivors
        .iter()
        .map(|id| {
            format!(
                "[[equivalent]]\nmutant = \"{id}\"\nreason = \"100 is capped at 100 either way\"\n"
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    course.write("solutions/01_basics/clamp.mutants.toml", &equivalents);
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("0 survived, 2 equivalent"), "{said}");

    course.write(
        "solutions/01_basics/clamp.mutants.toml",
        &format!("{equivalents}\n[[equivalent]]\nmutant = \"clamp: gone\"\nreason = \"stale\"\n"),
    );
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("no generated mutant of `clamp` has the id \"clamp: gone\""),
        "{said}"
    );
}

/// `dev new --toolchain python`: a Python course with one example exercise, its tests, solution
/// and mutants, which passes the strictest `dev check` as it is and fails as shipped.
#[test]
fn dev_new_python_makes_a_course_that_passes_dev_check_mutate() {
    if !python_here() {
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let out = run_in(
        parent.path(),
        &["dev", "new", "--toolchain", "python", "course"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let root = parent.path().join("course");
    let info = fs::read_to_string(root.join("info.toml")).unwrap();
    assert!(info.contains("toolchain = \"python\""), "{info}");
    for file in [
        "requirements.lock",
        "exercises/00_intro/intro1.py",
        "exercises/00_intro/test_intro1.py",
        "solutions/00_intro/intro1.py",
        "solutions/00_intro/intro1.mutants.toml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let out = run_in(
        &root,
        &[
            "dev",
            "check",
            "--require-solutions",
            "--require-mutants",
            "2",
            "--mutate",
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("the course is fine"), "{said}");
    assert!(
        said.contains("0 survived, 0 equivalent, 0 unviable"),
        "{said}"
    );
    // As shipped, the exercise fails.
    let out = run_in(&root, &["run", "intro1"]);
    assert!(!out.status.success(), "{}", text(&out));
    // A folder that exists is not overwritten.
    let out = run_in(
        parent.path(),
        &["dev", "new", "--toolchain", "python", "course"],
    );
    assert!(!out.status.success(), "{}", text(&out));
}

/// A Django exercise of the course's own kind (`07_django/djangosite.py` as its support module):
/// its models, views and URLs in the learner's module, Django configured by the tests.
fn django_exercise(app: &str) -> (String, String) {
    let tests = format!(
        "import djangosite\n\ndjangosite.setup(urls=\"{app}\")\n\nfrom django.test import Client  # noqa: E402\nfrom djangosite import Queries, db  # noqa: E402,F401\n\nfrom {app} import Thing  # noqa: E402\n\n\ndef test_the_view_is_this_exercise_s(db):\n    assert Client().get(\"/ping\").json() == {{\"app\": \"{app}\"}}\n\n\ndef test_the_orm_counts_queries(db):\n    Thing.objects.create(name=\"a\")\n    with Queries() as q:\n        assert [t.name for t in Thing.objects.filter(name__startswith=\"a\")] == [\"a\"]\n    assert q.count == 1\n"
    );
    let module = format!(
        "from django.db import models\nfrom django.http import JsonResponse\nfrom django.urls import path\n\n\nclass Thing(models.Model):\n    name = models.CharField(max_length=10)\n\n    class Meta:\n        app_label = \"lessons\"\n\n\ndef ping(request):\n    return JsonResponse({{\"app\": \"{app}\"}})\n\n\nurlpatterns = [path(\"ping\", ping)]\n"
    );
    (tests, module)
}

#[test]
fn django_is_configured_per_check_and_its_reach_is_refused() {
    if !python_here() {
        return;
    }
    let support =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("python/exercises/07_django/djangosite.py");
    let course = PyCourse::new(
        "\n[[exercises]]\nname = \"dja\"\ndir = \"01_basics\"\ntests = 2\nhint = \"none\"\nsupport = [\"djangosite.py\"]\n\n[[exercises]]\nname = \"djb\"\ndir = \"01_basics\"\ntests = 2\nhint = \"none\"\nsupport = [\"djangosite.py\"]\n",
    );
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    course.write(
        "exercises/01_basics/djangosite.py",
        &fs::read_to_string(support).unwrap(),
    );
    for app in ["dja", "djb"] {
        let (tests, module) = django_exercise(app);
        course.write(&format!("exercises/01_basics/test_{app}.py"), &tests);
        course.write(&format!("exercises/01_basics/{app}.py"), &module);
    }
    // Cold, then through one warm worker: each child configures Django with its own URLconf, so
    // the worker's parent was never configured by the first.
    let out = course.run(&["run", "dja"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = course.run(&["verify", "--no-cache"]);
    assert!(out.status.success(), "{}", text(&out));

    let attacks = [
        ("from django.conf import settings\n", "django.conf"),
        ("import django\ndjango.setup()\n", "django.setup"),
        ("from django.db import connection\n", "django.db.connection"),
        (
            "import django.db\nx = django.db.connections\n",
            "`.connections`",
        ),
        (
            "from django.db import transaction\nx = transaction.get_connection()\n",
            "get_connection",
        ),
        (
            "from django.db.models import base\nx = base.settings\n",
            "`.settings`",
        ),
        (
            "from django.test.utils import override_settings\n",
            "django.test",
        ),
        (
            "from rest_framework.settings import api_settings\n",
            "rest_framework.settings",
        ),
        (
            "from rest_framework.test import APIClient\n",
            "rest_framework.test",
        ),
        (
            "from rest_framework.views import APIView\nx = APIView.settings\n",
            "`.settings`",
        ),
        (
            "from django.core.management import call_command\n",
            "django.core.management",
        ),
        (
            "from django.contrib.auth.hashers import import_string\n",
            "hashers.import_string",
        ),
        ("from django.apps import apps\n", "django.apps"),
        ("from django.template import engines\n", "django.template"),
        (
            "from django.db.models import sql\nx = sql.Query.get_compiler\n",
            "get_compiler",
        ),
        (
            "x = 'name__startswith'\ny = '__class__'\n",
            "special attribute",
        ),
        ("from django.db import reset_queries\n", "reset_queries"),
    ];
    for (source, says) in attacks {
        let (_, module) = django_exercise("dja");
        course.write("exercises/01_basics/dja.py", &format!("{source}{module}"));
        let out = course.run(&["run", "dja"]);
        let said = text(&out);
        assert!(!out.status.success(), "{source}\n{said}");
        assert!(said.contains("rejected"), "{source}\n{said}");
        assert!(said.contains(says), "{source}: wanted {says:?}\n{said}");
    }
    // What a lesson needs passes: lookups with double underscores, `fields = "__all__"`.
    let (_, module) = django_exercise("dja");
    course.write(
        "exercises/01_basics/dja.py",
        &format!("from rest_framework import serializers\n{module}\n\nclass ThingSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Thing\n        fields = \"__all__\"\n\n\nLOOKUP = \"name__startswith\"\n"),
    );
    let out = course.run(&["run", "dja"]);
    assert!(out.status.success(), "{}", text(&out));
}

// ---- folder exercises: a package of the learner's modules ----

const SHOP_ENTRY: &str = "\n[[exercises]]\nname = \"shop\"\ndir = \"01_basics\"\ntests = 3\nsupport = [\"prices.py\"]\nhint = \"Sum the lines in cents.\"\n";
const SHOP_TESTS: &str = r#"from shop import total
from shop.money import cents


def test_cents_of_a_price():
    assert cents("0.29") == 29


def test_total_of_lines():
    assert total([("0.29", 2), ("0.10", 3)]) == 88


def test_empty_cart():
    assert total([]) == 0
"#;
const SHOP_INIT_SOLVED: &str = "from .money import cents\n\n\ndef total(lines: list[tuple[str, int]]) -> int:\n    return sum(cents(price) * qty for price, qty in lines)\n";
const SHOP_INIT_UNSOLVED: &str =
    "from .money import cents\n\n\ndef total(lines: list[tuple[str, int]]) -> int:\n    return 0\n";
const SHOP_MONEY_SOLVED: &str = "from decimal import Decimal\n\n\ndef cents(price: str) -> int:\n    return int(Decimal(price) * 100)\n";
const SHOP_MONEY_UNSOLVED: &str = "def cents(price: str) -> int:\n    return 0\n";

/// The course of [`PyCourse::new`] with a folder exercise `shop`: a package of two modules.
fn folder_course() -> PyCourse {
    let course = PyCourse::new(SHOP_ENTRY);
    course.write("exercises/01_basics/shop/__init__.py", SHOP_INIT_UNSOLVED);
    course.write("exercises/01_basics/shop/money.py", SHOP_MONEY_UNSOLVED);
    course.write("exercises/01_basics/test_shop.py", SHOP_TESTS);
    // A support module of the course, beside the tests: what it imported is not the learner's.
    course.write(
        "exercises/01_basics/prices.py",
        "from pathlib import Path\n\nCENTS = 100\n",
    );
    course.write("solutions/01_basics/shop/__init__.py", SHOP_INIT_SOLVED);
    course.write("solutions/01_basics/shop/money.py", SHOP_MONEY_SOLVED);
    course.write(
        "solutions/01_basics/shop.mutants.toml",
        "[[mutant]]\nlabel = \"float arithmetic\"\n[[mutant.edit]]\nfile = \"money.py\"\nfind = '''int(Decimal(price) * 100)'''\nreplace = '''int(float(price) * 100)'''\n\n[[mutant]]\nlabel = \"quantity ignored\"\n[[mutant.edit]]\nfile = \"__init__.py\"\nfind = '''cents(price) * qty'''\nreplace = '''cents(price)'''\n",
    );
    course
}

#[test]
fn a_folder_exercise_is_a_package_checked_module_by_module() {
    if !python_here() {
        return;
    }
    let course = folder_course();
    // The shipped course, committed: where `reset` finds the originals.
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "x",
        ],
    ] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(course.root())
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let out = course.run(&["run", "shop"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("tests failed"), "{said}");
    assert!(said.contains("test_total_of_lines"), "{said}");

    course.write("exercises/01_basics/shop/__init__.py", SHOP_INIT_SOLVED);
    course.write("exercises/01_basics/shop/money.py", SHOP_MONEY_SOLVED);
    let out = course.run(&["run", "shop"]);
    assert!(out.status.success(), "{}", text(&out));
    // The warm worker of `verify`: the same verdict.
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let out = course.run(&["verify", "--no-cache"]);
    assert!(out.status.success(), "{}", text(&out));

    // A refused import in the second module is named with that module and its line; modules
    // import each other relatively or by the package's name.
    course.write(
        "exercises/01_basics/shop/money.py",
        &format!("from shop import total as _t2\nimport subprocess\n{SHOP_MONEY_SOLVED}"),
    );
    let out = course.run(&["run", "shop"]);
    let said = text(&out);
    assert!(said.contains("rejected"), "{said}");
    assert!(
        said.contains("exercises/01_basics/shop/money.py:2: imports `subprocess`"),
        "{said}"
    );
    // What the course's support module imported is refused through it, also when the package
    // holds a module of the same name (the tests import the course's).
    course.write("exercises/01_basics/shop/prices.py", "CENTS = 100\n");
    course.write(
        "exercises/01_basics/shop/money.py",
        &format!("from prices import CENTS, Path\n{SHOP_MONEY_SOLVED}"),
    );
    let said = text(&course.run(&["run", "shop"]));
    assert!(said.contains("rejected"), "{said}");
    assert!(
        said.contains("exercises/01_basics/shop/money.py:1: uses `pathlib.Path`"),
        "{said}"
    );
    fs::remove_file(course.path("exercises/01_basics/shop/prices.py")).unwrap();
    course.write(
        "exercises/01_basics/shop/money.py",
        &format!("from shop import __init__ as t3\n{SHOP_MONEY_SOLVED}"),
    );
    let said = text(&course.run(&["run", "shop"]));
    assert!(
        said.contains("exercises/01_basics/shop/money.py:1:"),
        "{said}"
    );
    course.write(
        "exercises/01_basics/shop/extra.py",
        "from shop.money import cents\nfrom . import money\n\n\ndef broken(:\n",
    );
    course.write("exercises/01_basics/shop/money.py", SHOP_MONEY_SOLVED);
    let out = course.run(&["run", "shop"]);
    let said = text(&out);
    assert!(said.contains("compile error"), "{said}");
    assert!(
        said.contains("exercises/01_basics/shop/extra.py:5: SyntaxError"),
        "{said}"
    );

    // The type checker checks every module when the exercise asks for it.
    course.write(
        "exercises/01_basics/shop/extra.py",
        "from .money import cents\n\n\ndef twice(price: str) -> int:\n    return cents(price) + \"0\"\n",
    );
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write(
        "info.toml",
        &info.replace("tests = 3\n", "tests = 3\ntypecheck = true\n"),
    );
    let said = text(&course.run(&["run", "shop"]));
    assert!(said.contains("compile error"), "{said}");
    assert!(said.contains("extra.py"), "{said}");
    course.write("info.toml", &info);

    // `reset` restores the shipped modules (from git, this course has no lock) and takes away
    // the one the learner added.
    let out = course.run(&["reset", "shop"]);
    assert!(out.status.success(), "{}", text(&out));
    course.write("exercises/01_basics/greet.py", GREET_UNSOLVED);
    let package = course.path("exercises/01_basics/shop");
    assert_eq!(
        fs::read_to_string(package.join("__init__.py")).unwrap(),
        SHOP_INIT_UNSOLVED
    );
    assert!(!package.join("extra.py").exists());

    // `dev check`: the solution passes, the shipped package fails, each curated mutant (an edit
    // of one named module) is killed; `--mutate` mutates every module.
    let out = course.run(&[
        "dev",
        "check",
        "--require-solutions",
        "--require-mutants",
        "2",
    ]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("the course is fine"), "{said}");
    // `0.29 * 101` is still 29 cents once truncated: a survivor, named by its module.
    let out = course.run(&["dev", "check", "--mutate", "shop"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("solutions/01_basics/shop/money.py:5: generated mutant \"money.py: cents: replace 100 with 101\""),
        "{said}"
    );
    assert!(said.contains("10 generated"), "{said}");
    course.write(
        "solutions/01_basics/shop.mutants.toml",
        "[[mutant]]\nlabel = \"no file\"\n[[mutant.edit]]\nfind = '''cents(price) * qty'''\nreplace = '''cents(price)'''\n",
    );
    let said = text(&course.run(&["dev", "check", "shop"]));
    assert!(said.contains("the edit needs a `file`"), "{said}");
}

#[test]
fn grade_copies_a_learners_package_and_follows_no_link() {
    if !python_here() || !cfg!(unix) {
        return;
    }
    let course = folder_course();
    let cohort = tempfile::tempdir().unwrap();
    let package = "exercises/01_basics/shop";
    let learner = |name: &str, files: &[(&str, &str)]| {
        let dir = cohort.path().join(name);
        for (rel, content) in files {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        dir
    };
    let init = format!("{package}/__init__.py");
    let money = format!("{package}/money.py");
    learner(
        "solved",
        &[(&init, SHOP_INIT_SOLVED), (&money, SHOP_MONEY_SOLVED)],
    );
    learner(
        "untouched",
        &[(&init, SHOP_INIT_UNSOLVED), (&money, SHOP_MONEY_UNSOLVED)],
    );
    // Its own tests and a conftest.py inside the package: neither is the course's.
    learner(
        "own_tests",
        &[
            (&init, SHOP_INIT_UNSOLVED),
            (&money, SHOP_MONEY_UNSOLVED),
            (
                "exercises/01_basics/test_shop.py",
                "def test_a():\n    pass\n\ndef test_b():\n    pass\n\ndef test_c():\n    pass\n",
            ),
            (&format!("{package}/conftest.py"), "import subprocess\n"),
        ],
    );
    // Its second module is a link to a solved one outside its tree: never followed.
    let linked = learner("linked", &[(&init, SHOP_INIT_SOLVED)]);
    let outside = cohort.path().join("money_solved.py");
    fs::write(&outside, SHOP_MONEY_SOLVED).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, linked.join(&money)).unwrap();
    #[cfg(not(unix))]
    let _ = (linked, &money);
    // The package itself a link to a solved one.
    let whole = learner("linked_package", &[]);
    let elsewhere = cohort.path().join("elsewhere_pkg");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("__init__.py"), SHOP_INIT_SOLVED).unwrap();
    fs::write(elsewhere.join("money.py"), SHOP_MONEY_SOLVED).unwrap();
    fs::create_dir_all(whole.join("exercises/01_basics")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, whole.join(package)).unwrap();
    let out = Command::new(BIN)
        .args(["grade", "--course"])
        .arg(course.root())
        .arg("--cohort")
        .arg(cohort.path())
        .arg("--json")
        .arg(cohort.path().join("grades.json"))
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .output()
        .unwrap();
    let said = text(&out);
    let report = fs::read_to_string(cohort.path().join("grades.json")).expect(&said);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let shop_of = |name: &str| {
        let learner = (report["learners"].as_array().unwrap().iter())
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in the report: {report}"));
        (learner["exercises"].as_array().unwrap().iter())
            .find(|e| e["name"] == "shop")
            .cloned()
            .unwrap()
    };
    assert_eq!(
        shop_of("solved")["status"],
        "passed",
        "{}",
        shop_of("solved")
    );
    for name in ["untouched", "own_tests", "linked", "linked_package"] {
        let shop = shop_of(name);
        assert_ne!(shop["status"], "passed", "{name}: {shop}");
    }
    // The conftest.py in the package is one of its modules: refused by the rule book, named.
    let own = shop_of("own_tests");
    assert_eq!(own["status"], "rejected", "{own}");
    assert!(own.to_string().contains("shop/conftest.py"), "{own}");
}
