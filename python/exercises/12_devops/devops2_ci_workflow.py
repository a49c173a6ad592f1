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

# TODO: this workflow runs, but on every push of every branch, with a default (possibly write)
# token, one Python, no cache, actions on movable tags, no database and no timeout.
WORKFLOW = """
name: CI

on: [push]

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: 3.12
      - run: pip install -r requirements.lock
      - run: pytest -q
"""
