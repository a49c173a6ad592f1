"""The pyproject.toml of the orders-api service.

`pyproject.toml` is where a Python project declares how it is built and what it needs:
- `[build-system]` (PEP 518 / PEP 517): the build backend's requirements and its entry point
  (`build-backend`, a module path such as "hatchling.build"). pip and uv read it to build a wheel.
- `[project]` (PEP 621, https://packaging.python.org/en/latest/specifications/pyproject-toml/):
  the metadata. Only the keys of the specification are allowed there; tool settings live in
  `[tool.<name>]`. Everything is static unless listed in `dynamic`.
- versions follow PEP 440 (https://packaging.python.org/en/latest/specifications/version-specifiers/):
  a release candidate is `1.4.0rc1`, not the semver `1.4.0-rc.1` (that one only parses after
  normalization; write the canonical form).
- each dependency is a PEP 508 string (https://packaging.python.org/en/latest/specifications/dependency-specifiers/):
  `name[extra1,extra2] specifiers ; marker`. Specifiers: `>=`, `<`, `==`, `!=`, `~=` ("compatible
  release": `~=2.7` means >=2.7,<3 but `~=2.7.0` means >=2.7.0,<2.8!). No Poetry `^` and no tables.
- `license` is an SPDX expression string (PEP 639), e.g. "MIT" (the old table form is deprecated).
- `[project.scripts]`: console commands, `name = "package.module:function"`.

This project was managed by Poetry; the team is moving to the standard. Rewrite PYPROJECT so it:
1. builds with hatchling 1.26 or later (`hatchling.build`);
2. is named "orders-api", version: release candidate 1 of 1.4.0, with a description, the
   README.md readme, the MIT license, one author table {name, email};
3. runs on Python 3.11 and every later version (no upper cap);
4. depends on: fastapi 0.115 or later but before 1.0; pydantic 2.7 or any later 2.x (never 3);
   uvicorn 0.30 or later with its "standard" extra; uvloop 0.19 or later, but not on Windows
   (a marker on `sys_platform`);
5. keeps the test tools OUT of the runtime dependencies: an optional "dev" extra with
   pytest 8 or later and coverage 7.5 or later with coverage's "toml" extra;
6. installs an `orders-api` command that runs `main` in the module `orders_api.cli`;
7. keeps pytest's settings under `[tool.pytest.ini_options]` (testpaths = ["tests"]).
The tests parse it with `tomllib` and check it with the `packaging` library, as pip would.
"""

PYPROJECT = """
[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"

[tool.poetry]
name = "orders-api"
version = "1.4.0-rc.1"
description = "The orders service of the shop."
authors = ["Shop Backend Team <backend@shop.example>"]
license = "MIT"
readme = "README.md"

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.115"
pydantic = "~2.7"
uvicorn = { version = ">=0.30", extras = ["standard"] }
uvloop = { version = ">=0.19", markers = "sys_platform != 'win32'" }
pytest = "^8"
coverage = { version = ">=7.5", extras = ["toml"] }

[tool.poetry.scripts]
orders-api = "orders_api.cli:main"

[tool.pytest.ini_options]
testpaths = ["tests"]
"""
