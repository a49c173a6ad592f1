'''A production image for a FastAPI service: multi-stage, pinned, slim, non-root, healthy.

Edit the two texts below; the tests read them with the course's parser (`dockerfile_tools.py`),
nothing is built. What a reviewer of a Dockerfile checks
(https://docs.docker.com/build/building/best-practices/):

- **Pinned base images.** `python:latest` or `python:3.12` change under you: a rebuild next month
  runs another Python and another Debian. Pin an exact version tag (`python:3.12.8-slim-bookworm`:
  major.minor.patch) or, better, a tag AND its digest (`python:3.12.8-slim-bookworm@sha256:<64
  hex>`, from `docker buildx imagetools inspect`): the digest is immutable. Every `FROM` that is
  not an earlier stage is pinned this way.
- **Multi-stage build** (https://docs.docker.com/build/building/multi-stage/): a `builder` stage
  (named with `AS`) installs the dependencies into a virtual environment (compilers, pip and its
  cache stay there); the final **runtime** stage starts again from a slim image (`-slim`, alpine
  or distroless) and copies only the built artifacts with `COPY --from=<an earlier stage>`. The
  runtime stage never copies the whole context (`COPY . .`: tests, `.git`, local files) and never
  installs anything with pip or apt.
- **A non-root user** (https://docs.docker.com/build/building/best-practices/#user): create one
  and switch to it with `USER` in the final stage (a `USER` in the builder does not carry over);
  the last `USER` of the image is neither `root` nor `0`. A process that escapes the app as root
  owns the container.
- **No secrets in the image**: `ENV` values and `ARG`s are stored in the image's history and
  config (`docker history`, `docker inspect`); nothing named like a password, secret, token or
  key goes in either, nor a URL with a password in it (`postgresql://app:pw@db/app`); pass
  them at run time, or use `RUN --mount=type=secret`. This includes an `ARG` without a value:
  its build-time value lands in the history too. (Global `ARG`s with defaults may be used in
  `FROM`, e.g. `FROM python:${PYTHON_VERSION}-slim`: the tests substitute them like Docker.)
- **Exec form `CMD`** (`CMD ["uvicorn", "app.main:app", ...]`): the shell form runs `/bin/sh -c`
  as PID 1, which does not forward SIGTERM, so `docker stop` waits 10 s and kills the app
  mid-request. Not `["sh", "-c", ...]` either. uvicorn must listen on `0.0.0.0` (not localhost,
  which is unreachable from outside the container).
- **A `HEALTHCHECK`** in the final stage with explicit `--interval` and `--timeout`, so the
  orchestrator knows when the app (not just the process) is up. A slim image has no curl: use
  Python, e.g. `CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]`.
- **`.dockerignore`** (https://docs.docker.com/build/concepts/context/#dockerignore-files):
  keeps `.git`, `.env` files (secrets; `.env.example`, a template, stays), virtual environments
  (`.venv`, `venv`) and caches (`__pycache__`, `*.pyc`, `.pytest_cache`, `.mypy_cache`, at any
  depth: a pattern without `**/` matches at the root only) out of the build context. Never
  exclude what the build needs (`app/`, `pyproject.toml`, `requirements.lock`).

The project: the app is `app/main.py` (`app.main:app`), its locked dependencies
`requirements.lock`, and it answers `GET /health` on port 8000.
'''

DOCKERFILE = r"""
# syntax=docker/dockerfile:1

FROM python:3.12.8-slim-bookworm@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8 AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock
COPY app/ ./app/

FROM python:3.12.8-slim-bookworm@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8 AS runtime
RUN groupadd --system app \
    && useradd --system --gid app --no-create-home app
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder --chown=app:app /build/app ./app
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
"""

DOCKERIGNORE = """
# Version control and local secrets
.git
.gitignore
.env
.env.*
!.env.example
# Virtual environments
.venv
venv
# Caches, at any depth
**/__pycache__
**/*.pyc
**/.pytest_cache
**/.mypy_cache
# Local tooling
Dockerfile
.dockerignore
"""
