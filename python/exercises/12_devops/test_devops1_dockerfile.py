import re

import pytest

import devops1_dockerfile as m
from dockerfile_tools import from_image, image_ref, ignored, key_values, parse, patterns

SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL", re.I)
EXACT_VERSION = re.compile(r"^v?\d+\.\d+\.\d+([-.][A-Za-z0-9.-]+)?$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


@pytest.fixture(scope="module")
def dockerfile():
    return parse(m.DOCKERFILE)


@pytest.fixture(scope="module")
def final(dockerfile):
    return dockerfile.stages[-1]


def earlier_stage_names(dockerfile, stage):
    names = set()
    for s in dockerfile.stages[: stage.index]:
        names.add(str(s.index))
        if s.name:
            names.add(s.name)
    return names


def test_it_is_a_multi_stage_build_with_a_named_builder(dockerfile):
    assert len(dockerfile.stages) >= 2, "a builder stage and a runtime stage"
    assert all(stage.name for stage in dockerfile.stages[:-1]), "earlier stages are named (AS ...)"


def test_every_base_image_is_pinned(dockerfile):
    for stage in dockerfile.stages:
        if stage.image.lower() in earlier_stage_names(dockerfile, stage):
            continue
        ref = image_ref(from_image(dockerfile, stage))
        assert ref.tag, f"{stage.image}: no tag is `latest`"
        assert ref.tag != "latest", f"{stage.image}: latest moves"
        if ref.digest is not None:
            assert DIGEST.match(ref.digest), f"{stage.image}: a digest is sha256 and 64 hex digits"
        else:
            assert EXACT_VERSION.match(ref.tag), (
                f"{stage.image}: without a digest the tag must be an exact version (3.12.8-slim)"
            )


def test_the_runtime_stage_starts_from_a_slim_image(dockerfile, final):
    ref = image_ref(from_image(dockerfile, final))
    assert final.image.lower() not in earlier_stage_names(dockerfile, final), (
        "the runtime starts from a fresh base, not from the builder"
    )
    assert "slim" in (ref.tag or "") or "alpine" in (ref.tag or "") or "distroless" in ref.name


def test_the_runtime_copies_built_artifacts_from_an_earlier_stage(dockerfile, final):
    copies = final.all("COPY") + final.all("ADD")
    from_stage = [c for c in copies if "from" in c.flags]
    assert from_stage, "COPY --from=builder ..."
    for copy in from_stage:
        assert copy.flags["from"].lower() in earlier_stage_names(dockerfile, final), (
            f"line {copy.line}: --from names an earlier stage of this Dockerfile"
        )


def test_the_runtime_never_copies_the_whole_context(final):
    for copy in final.all("COPY") + final.all("ADD"):
        if "from" in copy.flags:
            continue
        sources = (copy.exec_form or copy.args.split())[:-1]
        for source in sources:
            assert source.rstrip("/") not in (".", "./", "*", ""), (
                f"line {copy.line}: the whole build context (tests, .git, local files) in the image"
            )


def test_the_runtime_installs_nothing(final):
    for run in final.all("RUN"):
        text = run.args.lower()
        assert not re.search(r"\bpip3?\s+install|\bapt(-get)?\s+install|\bapk\s+add|\buv\s+(pip|sync)", text), (
            f"line {run.line}: dependencies are built in the builder and copied"
        )


def test_the_final_user_is_not_root(final):
    users = final.all("USER")
    assert users, "a USER in the final stage (the builder's does not carry over)"
    user = users[-1].args.split(":")[0].strip()
    assert user and user.lower() not in ("root", "0"), f"USER {users[-1].args}"


def test_no_secrets_in_env_or_arg(dockerfile):
    for instruction in dockerfile.global_args + [
        i for stage in dockerfile.stages for i in stage.instructions if i.keyword in ("ENV", "ARG")
    ]:
        for name, value in key_values(instruction):
            assert not SECRET_NAME.search(name), (
                f"line {instruction.line}: {name} would be stored in the image's history"
            )
            assert not CREDENTIALS_IN_URL.search(value or ""), (
                f"line {instruction.line}: {name} holds a URL with a password"
            )


def test_global_args_are_substituted_in_from():
    parsed = parse("ARG PY=3.12.8\nFROM python:${PY}-slim AS builder\nFROM python:$PY-slim\n")
    assert [from_image(parsed, s) for s in parsed.stages] == ["python:3.12.8-slim"] * 2


def test_cmd_is_the_exec_form_and_runs_the_app_on_all_interfaces(final):
    cmds = final.all("CMD")
    assert cmds, "the final stage says what to run"
    argv = cmds[-1].exec_form
    assert argv is not None, "the shell form runs /bin/sh as PID 1, which does not forward SIGTERM"
    assert argv[0] not in ("sh", "/bin/sh", "bash", "/bin/bash"), "no shell wrapper either"
    assert "uvicorn" in argv[0] or "gunicorn" in argv[0] or argv[:3] == ["python", "-m", "uvicorn"]
    assert "app.main:app" in argv
    assert "0.0.0.0" in argv, "listen on all interfaces inside the container"
    for entrypoint in final.all("ENTRYPOINT"):
        assert entrypoint.exec_form is not None


def test_a_healthcheck_with_an_interval_and_a_timeout(final):
    checks = final.all("HEALTHCHECK")
    assert checks, "HEALTHCHECK in the final stage"
    check = checks[-1]
    assert not check.args.upper().startswith("NONE")
    assert check.args.upper().startswith("CMD")
    assert "interval" in check.flags and "timeout" in check.flags
    assert "/health" in check.args and "8000" in check.args


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".git/objects/ab/cdef",
        ".env",
        ".env.production",
        ".venv/bin/python",
        "venv/lib/python3.12/site-packages/x.py",
        "app/__pycache__/main.cpython-312.pyc",
        "__pycache__/conftest.cpython-312.pyc",
        "app/api/routes.pyc",
        ".pytest_cache/v/cache/nodeids",
        "tests/.pytest_cache/README.md",
        ".mypy_cache/3.12/app.json",
    ],
)
def test_dockerignore_keeps_out(path):
    assert ignored(patterns(m.DOCKERIGNORE), path), f"{path} is sent to the build"


@pytest.mark.parametrize(
    "path",
    [
        "app/main.py",
        "app/environment.py",
        "app/venv_tools.py",
        "requirements.lock",
        "pyproject.toml",
        ".env.example",
        "app/git_info.py",
    ],
)
def test_dockerignore_keeps_what_the_build_needs(path):
    assert not ignored(patterns(m.DOCKERIGNORE), path), f"{path} is left out of the build"
