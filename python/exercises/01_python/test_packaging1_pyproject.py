import re
import tomllib

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from packaging1_pyproject import PYPROJECT

PEP_621_KEYS = {
    "name", "version", "description", "readme", "requires-python", "license", "license-files",
    "authors", "maintainers", "keywords", "classifiers", "urls", "scripts", "gui-scripts",
    "entry-points", "dependencies", "optional-dependencies", "dynamic", "import-names",
    "import-namespaces",
}


@pytest.fixture
def doc():
    return tomllib.loads(PYPROJECT)


@pytest.fixture
def project(doc):
    assert "project" in doc, "no [project] table (PEP 621)"
    return doc["project"]


def requirements(strings):
    return {canonicalize_name(r.name): r for r in map(Requirement, strings)}


def test_build_system_pep_517_518(doc):
    build = doc["build-system"]
    reqs = requirements(build["requires"])
    assert set(reqs) == {"hatchling"}
    assert reqs["hatchling"].specifier.contains("1.26.0") and not reqs["hatchling"].specifier.contains("1.25.9")
    assert build["build-backend"] == "hatchling.build"


def test_project_has_only_pep_621_keys_and_nothing_dynamic(doc, project):
    assert set(project) <= PEP_621_KEYS, f"not PEP 621 keys: {set(project) - PEP_621_KEYS}"
    assert project.get("dynamic", []) == []
    assert "poetry" not in doc.get("tool", {}), "the [tool.poetry] tables must go"
    assert doc["tool"]["pytest"]["ini_options"] == {"testpaths": ["tests"]}


def test_name_and_metadata(project):
    assert project["name"] == "orders-api"
    assert project["description"] and project["readme"] == "README.md"
    assert project["license"] == "MIT", "an SPDX expression string (PEP 639), not a table"
    assert project["authors"] == [{"name": "Shop Backend Team", "email": "backend@shop.example"}]


def test_version_is_canonical_pep_440_release_candidate(project):
    raw = project["version"]
    version = Version(raw)
    assert str(version) == raw, f"write the canonical form {version} instead of {raw}"
    assert version.release == (1, 4, 0) and version.pre == ("rc", 1)
    assert Version("1.3.9") < version < Version("1.4.0")
    assert version.is_prerelease


@pytest.mark.parametrize("python, ok", [("3.10.14", False), ("3.11.0", True), ("3.12.7", True), ("3.14.0", True), ("4.0", True)])
def test_requires_python(project, python, ok):
    spec = SpecifierSet(project["requires-python"])
    assert spec.contains(python) == ok


def test_runtime_dependencies_are_pep_508_strings_without_test_tools(project):
    deps = project["dependencies"]
    assert isinstance(deps, list) and all(isinstance(d, str) for d in deps)
    assert set(requirements(deps)) == {"fastapi", "pydantic", "uvicorn", "uvloop"}


@pytest.mark.parametrize(
    "name, version, ok",
    [
        ("fastapi", "0.114.2", False), ("fastapi", "0.115.0", True), ("fastapi", "0.120.3", True),
        ("fastapi", "0.999", True), ("fastapi", "1.0.0", False),
        ("pydantic", "1.10.17", False), ("pydantic", "2.6.4", False), ("pydantic", "2.7.0", True),
        ("pydantic", "2.14.4", True), ("pydantic", "3.0.0", False),
        ("uvicorn", "0.29.0", False), ("uvicorn", "0.30.0", True), ("uvicorn", "0.40.1", True),
        ("uvloop", "0.18.0", False), ("uvloop", "0.19.0", True),
    ],
)
def test_dependency_version_ranges(project, name, version, ok):
    req = requirements(project["dependencies"])[name]
    assert req.specifier.contains(version) == ok, f"{req} and {version}"


def test_extras_and_markers(project):
    reqs = requirements(project["dependencies"])
    assert reqs["uvicorn"].extras == {"standard"}
    assert reqs["uvicorn"].marker is None and reqs["fastapi"].marker is None
    marker = reqs["uvloop"].marker
    assert marker is not None
    for platform, expected in [("linux", True), ("darwin", True), ("win32", False), ("cygwin", True)]:
        env = dict(default_environment(), sys_platform=platform)
        assert marker.evaluate(env) == expected, f"uvloop on {platform}"


def test_dev_extra(project):
    extras = project["optional-dependencies"]
    assert set(extras) == {"dev"}
    dev = requirements(extras["dev"])
    assert set(dev) == {"pytest", "coverage"}
    assert dev["pytest"].specifier.contains("8.0.0") and not dev["pytest"].specifier.contains("7.4.4")
    assert dev["coverage"].extras == {"toml"}
    assert dev["coverage"].specifier.contains("7.5.0") and not dev["coverage"].specifier.contains("7.4.0")


def test_console_script_is_an_entry_point_reference(project):
    assert project["scripts"] == {"orders-api": "orders_api.cli:main"}
    target = project["scripts"]["orders-api"]
    assert re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", target)
