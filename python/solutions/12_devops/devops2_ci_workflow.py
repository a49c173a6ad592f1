'''A GitHub Actions workflow that tests every change, fast, with the least privilege.

Edit `WORKFLOW` (the text of `.github/workflows/ci.yml`); the tests parse it with PyYAML, validate
it against the published JSON Schema of workflows (SchemaStore's, vendored in
`github_workflow_schema.py`) and then check what a reviewer checks
(https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions):

- **Triggers** (`on:`): every `pull_request`, and `push` to `main` only (`branches: [main]`;
  pushes to feature branches are already tested by their pull requests). Never
  `pull_request_target`: it runs with the base repository's secrets and a write token, and
  checking out the pull request's code there runs a stranger's code with them
  (https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/).
  (YAML 1.1, which PyYAML reads, turns a bare `on` key into `True`: the tests put it back.)
- **Least privilege** (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token):
  a top-level `permissions:` mapping with `contents: read` (a test job needs nothing more); no
  `write` anywhere, no `read-all`/`write-all`. Without it, the token gets the repository's
  default, often read-write to everything.
- **A Python version matrix**: the `test` job's `strategy.matrix.python-version` lists at least
  two versions AS STRINGS (`"3.11"`, `"3.12"`, `"3.13"`): a bare `3.10` is the float 3.1;
  `actions/setup-python` gets `python-version: ${{ matrix.python-version }}`.
- **Dependency caching**: `actions/setup-python`'s `cache: pip` (with `cache-dependency-path`
  pointing at the lock), or an `actions/cache` step whose `key` includes `hashFiles(...)`.
- **Pinned actions**: every `uses:` is `owner/repo@<the full 40-hex commit SHA>` (a tag such as
  `@v4` can be moved to malicious code by whoever controls the action's repository: the
  tj-actions/changed-files incident of March 2025). Keep the version in a comment (`# v4.2.2`).
- **A PostgreSQL service container** (https://docs.github.com/en/actions/use-cases-and-examples/using-containerized-services/creating-postgresql-service-containers):
  `services.postgres` with an exact image version (`postgres:16.4`), `POSTGRES_PASSWORD` in its
  `env`, `ports: ["5432:5432"]`, and health `options` (`--health-cmd pg_isready ...`) so the
  steps start only once it accepts connections. The test step gets `DATABASE_URL` pointing at
  `localhost:5432` and runs `pytest`.
- **A `timeout-minutes`** on every job (the default is 360: a hung test burns six hours).
'''

WORKFLOW = """
name: CI

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true

jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    strategy:
      fail-fast: false
      matrix:
        python-version: ["3.11", "3.12", "3.13"]
    services:
      postgres:
        image: postgres:16.4
        env:
          POSTGRES_USER: app
          POSTGRES_PASSWORD: app
          POSTGRES_DB: app_test
        ports:
          - "5432:5432"
        options: >-
          --health-cmd pg_isready
          --health-interval 5s
          --health-timeout 5s
          --health-retries 10
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
      - uses: actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b  # v5.3.0
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
          cache-dependency-path: requirements.lock
      - name: Install
        run: pip install --require-hashes -r requirements.lock
      - name: Test
        env:
          DATABASE_URL: postgresql://app:app@localhost:5432/app_test
        run: pytest -q
"""
