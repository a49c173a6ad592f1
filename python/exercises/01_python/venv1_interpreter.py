"""Virtual environments: detect one, read its pyvenv.cfg, resolve its paths.

A virtual environment (PEP 405, https://docs.python.org/3/library/venv.html) is a directory with
its own `site-packages` and a `pyvenv.cfg`. The interpreter it runs is a copy of (or a link to)
a base interpreter; at startup `site` finds `pyvenv.cfg` next to it, and then `sys.prefix` is the
venv while `sys.base_prefix` stays the base installation. Graded code may not import `sys`, so
these functions take the values as arguments (a real caller passes `sys.prefix` etc.).

1. `in_virtualenv(prefix, base_prefix)`: the documented test (PEP 405 / venv docs): the two
   prefixes differ.
2. `activated_but_not_used(environ, prefix)`: the classic "I activated it but pip installed
   elsewhere": `VIRTUAL_ENV` (set by the activate script, not by the interpreter) names a venv
   but the RUNNING interpreter's prefix is not it. False when VIRTUAL_ENV is unset or empty.
   Note that VIRTUAL_ENV alone never proves which interpreter runs.
3. `parse_pyvenv_cfg(text)`: the way `site` reads it: for each line that contains "=", split at
   the FIRST "=", key stripped and lowercased, value stripped (it may itself contain "=").
   Lines without "=" are ignored.
4. `venv_layout(venv, os_name, version)`: {"scripts", "python", "site_packages"} as strings.
   POSIX ("posix"): bin, bin/python, lib/pythonX.Y/site-packages.
   Windows ("nt"): Scripts, Scripts\\python.exe, Lib\\site-packages.
   Use `PurePosixPath` / `PureWindowsPath` for the separators (pure paths: no file access).
5. `site_dirs(cfg, venv_site, system_site)`: the venv's site-packages always comes first; the
   system one follows only when `include-system-site-packages` is "true" (any case; missing
   means false).
6. `activate(environ, venv, os_name, version)`: what `source bin/activate` does to the
   environment, as a NEW dict (never change the caller's mapping): VIRTUAL_ENV = venv, the
   venv's scripts dir FIRST in PATH (separator ":" on POSIX, ";" on Windows; no empty entries),
   PYTHONHOME removed (it would send the interpreter to another installation). If another venv
   was active (VIRTUAL_ENV already set), its scripts dir (that exact entry, in its layout for
   `os_name`) leaves PATH first, as `deactivate` does.
7. `which_python(path_value, os_name, is_executable)`: which interpreter `python` starts: the
   first PATH entry whose `python` (`python.exe` on Windows) is executable, asked in PATH order
   through `is_executable(candidate_path)`, and not asked again once found. Skip empty entries (a
   POSIX shell reads them as the current directory: never resolve an interpreter from there).
   None when there is none.
"""

from collections.abc import Callable, Mapping
from pathlib import PurePath, PurePosixPath, PureWindowsPath


def in_virtualenv(prefix: str, base_prefix: str) -> bool:
    return False  # TODO


def activated_but_not_used(environ: Mapping[str, str], prefix: str) -> bool:
    return False  # TODO


def parse_pyvenv_cfg(text: str) -> dict[str, str]:
    config = {}
    for line in text.splitlines():
        key, value = line.split("=")  # TODO
        config[key] = value
    return config


def venv_layout(venv: str, os_name: str, version: tuple[int, int]) -> dict[str, str]:
    # TODO: Windows, and the versioned lib dir
    return {"scripts": venv + "/bin", "python": venv + "/bin/python", "site_packages": venv + "/lib/site-packages"}


def site_dirs(cfg: Mapping[str, str], venv_site: str, system_site: str) -> list[str]:
    return [system_site, venv_site]  # TODO


def activate(environ: Mapping[str, str], venv: str, os_name: str, version: tuple[int, int]) -> dict[str, str]:
    env = environ  # TODO: a new dict
    env["VIRTUAL_ENV"] = venv
    env["PATH"] = env.get("PATH", "") + ":" + venv + "/bin"
    return dict(env)


def which_python(path_value: str, os_name: str, is_executable: Callable[[str], bool]) -> str | None:
    return None  # TODO
