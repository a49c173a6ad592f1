"""Virtual environments: detect one, read its pyvenv.cfg, resolve its paths (reference solution)."""

from collections.abc import Callable, Mapping
from pathlib import PurePath, PurePosixPath, PureWindowsPath


def in_virtualenv(prefix: str, base_prefix: str) -> bool:
    return prefix != base_prefix


def activated_but_not_used(environ: Mapping[str, str], prefix: str) -> bool:
    active = environ.get("VIRTUAL_ENV")
    return bool(active) and active != prefix


def parse_pyvenv_cfg(text: str) -> dict[str, str]:
    config = {}
    for line in text.splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            config[key.strip().lower()] = value.strip()
    return config


def _path(os_name: str, *parts: str) -> PurePath:
    if os_name == "nt":
        return PureWindowsPath(*parts)
    return PurePosixPath(*parts)


def venv_layout(venv: str, os_name: str, version: tuple[int, int]) -> dict[str, str]:
    if os_name == "nt":
        scripts = _path(os_name, venv, "Scripts")
        python = scripts / "python.exe"
        site = _path(os_name, venv, "Lib", "site-packages")
    else:
        scripts = _path(os_name, venv, "bin")
        python = scripts / "python"
        site = _path(os_name, venv, "lib", f"python{version[0]}.{version[1]}", "site-packages")
    return {"scripts": str(scripts), "python": str(python), "site_packages": str(site)}


def site_dirs(cfg: Mapping[str, str], venv_site: str, system_site: str) -> list[str]:
    dirs = [venv_site]
    if cfg.get("include-system-site-packages", "false").lower() == "true":
        dirs.append(system_site)
    return dirs


def path_separator(os_name: str) -> str:
    return ";" if os_name == "nt" else ":"


def activate(environ: Mapping[str, str], venv: str, os_name: str, version: tuple[int, int]) -> dict[str, str]:
    sep = path_separator(os_name)
    env = dict(environ)
    entries = [entry for entry in env.get("PATH", "").split(sep) if entry]
    old = env.get("VIRTUAL_ENV")
    if old:
        old_scripts = venv_layout(old, os_name, version)["scripts"]
        entries = [entry for entry in entries if entry != old_scripts]
    scripts = venv_layout(venv, os_name, version)["scripts"]
    env["PATH"] = sep.join([scripts, *entries])
    env["VIRTUAL_ENV"] = venv
    env.pop("PYTHONHOME", None)
    return env


def which_python(path_value: str, os_name: str, is_executable: Callable[[str], bool]) -> str | None:
    name = "python.exe" if os_name == "nt" else "python"
    for entry in path_value.split(path_separator(os_name)):
        if not entry:
            continue
        candidate = str(_path(os_name, entry, name))
        if is_executable(candidate):
            return candidate
    return None
