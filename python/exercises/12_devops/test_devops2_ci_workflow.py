import re

import jsonschema
import pytest
import yaml

import devops2_ci_workflow as m
from github_workflow_schema import SCHEMA

PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


def load(text):
    doc = yaml.safe_load(text)
    assert isinstance(doc, dict), "a workflow is a YAML mapping"
    if True in doc:  # YAML 1.1 reads a bare `on` as the boolean true
        doc["on"] = doc.pop(True)
    return doc


@pytest.fixture(scope="module")
def workflow():
    return load(m.WORKFLOW)


@pytest.fixture(scope="module")
def test_job(workflow):
    jobs = workflow["jobs"]
    assert "test" in jobs, "a job called `test`"
    return jobs["test"]


def steps_using(job, action):
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).split("@")[0] == action]


def test_the_workflow_is_valid_against_the_published_schema(workflow):
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(workflow), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_it_runs_on_pull_requests_and_pushes_to_main_only(workflow):
    on = workflow["on"]
    assert isinstance(on, dict), "`on:` as a mapping of events"
    assert "pull_request" in on
    assert "pull_request_target" not in on, "pull_request_target runs fork code with secrets"
    push = on.get("push")
    assert isinstance(push, dict) and push.get("branches") == ["main"], "push: branches: [main]"
    assert "branches-ignore" not in push


def test_permissions_are_read_only_at_the_top(workflow):
    permissions = workflow.get("permissions")
    assert isinstance(permissions, dict), "a top-level permissions mapping (not read-all)"
    assert permissions.get("contents") == "read"
    assert all(level in ("read", "none") for level in permissions.values())


def test_no_job_asks_for_more(workflow):
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{name}: no read-all/write-all"
        assert all(level in ("read", "none") for level in permissions.values()), name


def test_every_job_has_a_timeout(workflow):
    for name, job in workflow["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{name}: timeout-minutes"


def test_a_matrix_of_python_versions_written_as_strings(test_job):
    versions = test_job["strategy"]["matrix"]["python-version"]
    assert isinstance(versions, list) and len(versions) >= 2
    for version in versions:
        assert isinstance(version, str), f"{version!r}: unquoted, 3.10 is read as the float 3.1"
        assert re.fullmatch(r"3\.\d{1,2}", version)
    assert len(set(versions)) == len(versions)
    (setup,) = steps_using(test_job, "actions/setup-python")
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"


def test_dependencies_are_cached(test_job):
    (setup,) = steps_using(test_job, "actions/setup-python")
    cached_by_setup = setup.get("with", {}).get("cache") in ("pip", "pipenv", "poetry")
    cache_steps = steps_using(test_job, "actions/cache")
    cached_by_step = any("hashFiles(" in str(s.get("with", {}).get("key", "")) for s in cache_steps)
    assert cached_by_setup or cached_by_step


def test_every_action_is_pinned_to_a_commit(workflow):
    for name, job in workflow["jobs"].items():
        uses = [s["uses"] for s in job.get("steps", []) if "uses" in s]
        if "uses" in job:
            uses.append(job["uses"])
        for ref in uses:
            if ref.startswith("./"):
                continue
            assert PINNED.match(ref), f"{name}: {ref} is not pinned to a full commit SHA"


def test_checkout_comes_first(test_job):
    assert str(test_job["steps"][0].get("uses", "")).startswith("actions/checkout@")


def test_a_postgres_service_container_that_is_healthy_before_the_steps(test_job):
    services = test_job.get("services", {})
    postgres = [s for s in services.values() if str(s.get("image", "")).startswith("postgres:")]
    assert len(postgres) == 1, "one PostgreSQL service container"
    (service,) = postgres
    tag = service["image"].split(":", 1)[1]
    assert re.fullmatch(r"\d+(\.\d+)?(-[a-z0-9]+)?", tag), f"{service['image']}: an exact version"
    assert service.get("env", {}).get("POSTGRES_PASSWORD"), "the image refuses to start without one"
    assert "5432:5432" in [str(p) for p in service.get("ports", [])]
    options = service.get("options", "")
    assert "--health-cmd" in options and "pg_isready" in options


def test_the_tests_run_against_the_service(test_job):
    runs = [s for s in test_job["steps"] if "pytest" in str(s.get("run", ""))]
    assert runs, "a step runs pytest"
    env = {**test_job.get("env", {}), **runs[-1].get("env", {})}
    url = env.get("DATABASE_URL", "")
    assert url.startswith("postgresql") and "localhost:5432" in url


def test_the_schema_catches_a_broken_workflow():
    broken = load("on: push\njobs:\n  test:\n    steps:\n      - run: pytest\n")
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken)), "runs-on is required"
