import pytest

from venv1_interpreter import (
    activate, activated_but_not_used, in_virtualenv, parse_pyvenv_cfg, site_dirs, venv_layout,
    which_python,
)

PY = (3, 11)


def test_in_virtualenv_compares_the_prefixes():
    assert in_virtualenv("/srv/app/.venv", "/usr")
    assert not in_virtualenv("/usr", "/usr")


@pytest.mark.parametrize(
    "environ, prefix, expected",
    [
        ({"VIRTUAL_ENV": "/srv/app/.venv"}, "/usr", True),
        ({"VIRTUAL_ENV": "/srv/app/.venv"}, "/srv/app/.venv", False),
        ({"VIRTUAL_ENV": "/srv/app/.venv"}, "/srv/other/.venv", True),
        ({}, "/usr", False),
        ({"VIRTUAL_ENV": ""}, "/usr", False),
        ({}, "/srv/app/.venv", False),
    ],
)
def test_activated_but_not_used(environ, prefix, expected):
    assert activated_but_not_used(environ, prefix) is expected


def test_parse_pyvenv_cfg_like_site_does():
    text = (
        "home = /usr/local/bin\n"
        "Include-System-Site-Packages = TRUE\n"
        "version=3.11.7\n"
        "\n"
        "a line without an equals sign\n"
        "command = /usr/local/bin/python3 -m venv --prompt=api /srv/app/.venv\n"
        "  executable   =   /usr/local/bin/python3.11  \n"
    )
    assert parse_pyvenv_cfg(text) == {
        "home": "/usr/local/bin",
        "include-system-site-packages": "TRUE",
        "version": "3.11.7",
        "command": "/usr/local/bin/python3 -m venv --prompt=api /srv/app/.venv",
        "executable": "/usr/local/bin/python3.11",
    }
    assert parse_pyvenv_cfg("") == {}


def test_posix_layout():
    assert venv_layout("/srv/app/.venv", "posix", PY) == {
        "scripts": "/srv/app/.venv/bin",
        "python": "/srv/app/.venv/bin/python",
        "site_packages": "/srv/app/.venv/lib/python3.11/site-packages",
    }
    assert venv_layout("/srv/app/.venv/", "posix", (3, 13))["site_packages"] == "/srv/app/.venv/lib/python3.13/site-packages"


def test_windows_layout():
    assert venv_layout("C:\\app\\.venv", "nt", PY) == {
        "scripts": "C:\\app\\.venv\\Scripts",
        "python": "C:\\app\\.venv\\Scripts\\python.exe",
        "site_packages": "C:\\app\\.venv\\Lib\\site-packages",
    }


@pytest.mark.parametrize(
    "cfg, expected",
    [
        ({}, ["VENV"]),
        ({"include-system-site-packages": "false"}, ["VENV"]),
        ({"include-system-site-packages": "true"}, ["VENV", "SYSTEM"]),
        ({"include-system-site-packages": "True"}, ["VENV", "SYSTEM"]),
        ({"include-system-site-packages": "yes"}, ["VENV"]),
    ],
)
def test_site_dirs(cfg, expected):
    assert site_dirs(cfg, "VENV", "SYSTEM") == expected


def test_activate_prepends_the_scripts_dir_and_returns_a_new_mapping():
    environ = {"PATH": "/usr/local/bin:/usr/bin", "HOME": "/home/ada", "PYTHONHOME": "/opt/py"}
    before = dict(environ)
    env = activate(environ, "/srv/app/.venv", "posix", PY)
    assert env == {"PATH": "/srv/app/.venv/bin:/usr/local/bin:/usr/bin", "HOME": "/home/ada", "VIRTUAL_ENV": "/srv/app/.venv"}
    assert environ == before


def test_activate_without_a_path():
    assert activate({}, "/v", "posix", PY) == {"PATH": "/v/bin", "VIRTUAL_ENV": "/v"}
    assert activate({"PATH": ""}, "/v", "posix", PY)["PATH"] == "/v/bin"


def test_activate_on_windows():
    env = activate({"PATH": "C:\\Windows;C:\\Tools"}, "C:\\app\\.venv", "nt", PY)
    assert env["PATH"] == "C:\\app\\.venv\\Scripts;C:\\Windows;C:\\Tools"


def test_activating_another_venv_deactivates_the_first():
    first = activate({"PATH": "/usr/bin"}, "/srv/a/.venv", "posix", PY)
    second = activate(first, "/srv/b/.venv", "posix", PY)
    assert second["PATH"] == "/srv/b/.venv/bin:/usr/bin"
    assert second["VIRTUAL_ENV"] == "/srv/b/.venv"
    assert first["PATH"] == "/srv/a/.venv/bin:/usr/bin"


def test_deactivating_removes_exactly_the_old_scripts_dir():
    # Only the old venv's scripts folder goes: not every entry that starts with its path.
    environ = {"VIRTUAL_ENV": "/srv/a/.venv", "PATH": "/srv/a/.venv/bin:/srv/a/.venv-tools/bin:/usr/bin"}
    env = activate(environ, "/srv/b/.venv", "posix", PY)
    assert env["PATH"] == "/srv/b/.venv/bin:/srv/a/.venv-tools/bin:/usr/bin"


def test_activating_another_venv_on_windows_deactivates_the_first():
    # The old scripts folder is the old venv's layout on THIS system: Scripts, not bin.
    environ = {"VIRTUAL_ENV": "C:\\a\\.venv", "PATH": "C:\\a\\.venv\\Scripts;C:\\Windows"}
    env = activate(environ, "C:\\b\\.venv", "nt", PY)
    assert env["PATH"] == "C:\\b\\.venv\\Scripts;C:\\Windows"
    assert env["VIRTUAL_ENV"] == "C:\\b\\.venv"


class FakeFilesystem:
    def __init__(self, executables):
        self.executables = set(executables)
        self.asked = []

    def __call__(self, path):
        self.asked.append(path)
        return path in self.executables


def test_which_python_takes_the_first_hit_in_path_order_and_stops():
    fs = FakeFilesystem({"/usr/bin/python", "/srv/app/.venv/bin/python", "/opt/bin/python"})
    found = which_python("/home/ada/bin:/srv/app/.venv/bin:/usr/bin:/opt/bin", "posix", fs)
    assert found == "/srv/app/.venv/bin/python"
    assert fs.asked == ["/home/ada/bin/python", "/srv/app/.venv/bin/python"]


def test_which_python_skips_empty_entries():
    fs = FakeFilesystem({"python", "/usr/bin/python"})
    assert which_python(":/usr/bin:", "posix", fs) == "/usr/bin/python"
    assert fs.asked == ["/usr/bin/python"]


def test_which_python_on_windows_and_not_found():
    fs = FakeFilesystem({"C:\\Python311\\python.exe"})
    assert which_python("C:\\Windows;C:\\Python311", "nt", fs) == "C:\\Python311\\python.exe"
    assert fs.asked == ["C:\\Windows\\python.exe", "C:\\Python311\\python.exe"]
    assert which_python("/bin:/usr/bin", "posix", FakeFilesystem(set())) is None
