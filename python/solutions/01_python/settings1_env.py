"""Settings from the environment, twelve-factor style (reference solution)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PREFIX = "APP_"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
DATABASE_SCHEMES = {"postgresql", "postgresql+psycopg", "sqlite"}
MIN_SECRET_LENGTH = 32


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid settings: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    database_url: str = field(repr=False)
    secret_key: str = field(repr=False)
    port: int = 8000
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("localhost",)
    log_level: str = "INFO"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(PREFIX + name)
        if value is None or not value.strip():
            return None
        return value.strip()

    database_url = get("DATABASE_URL")
    if database_url is None:
        problems.append("APP_DATABASE_URL: required")
    elif urlsplit(database_url).scheme not in DATABASE_SCHEMES:
        problems.append("APP_DATABASE_URL: the scheme must be one of " + ", ".join(sorted(DATABASE_SCHEMES)))

    secret_key = get("SECRET_KEY")
    if secret_key is None:
        problems.append("APP_SECRET_KEY: required")
    elif len(secret_key) < MIN_SECRET_LENGTH:
        problems.append(f"APP_SECRET_KEY: must be at least {MIN_SECRET_LENGTH} characters")

    port = 8000
    raw_port = get("PORT")
    if raw_port is not None:
        if raw_port.isascii() and raw_port.isdigit() and 1 <= int(raw_port) <= 65535:
            port = int(raw_port)
        else:
            problems.append("APP_PORT: must be an integer between 1 and 65535")

    debug = False
    raw_debug = get("DEBUG")
    if raw_debug is not None:
        if raw_debug.lower() in TRUE_WORDS:
            debug = True
        elif raw_debug.lower() not in FALSE_WORDS:
            problems.append("APP_DEBUG: must be one of 1/0, true/false, yes/no, on/off")

    allowed_hosts: tuple[str, ...] = ("localhost",)
    raw_hosts = get("ALLOWED_HOSTS")
    if raw_hosts is not None:
        allowed_hosts = tuple(host.strip().lower() for host in raw_hosts.split(",") if host.strip())
        if not allowed_hosts:
            problems.append("APP_ALLOWED_HOSTS: no host given")
        elif "*" in allowed_hosts and not debug:
            problems.append("APP_ALLOWED_HOSTS: '*' is only allowed with APP_DEBUG on")

    log_level = "INFO"
    raw_level = get("LOG_LEVEL")
    if raw_level is not None:
        if raw_level.upper() in LOG_LEVELS:
            log_level = raw_level.upper()
        else:
            problems.append("APP_LOG_LEVEL: must be one of " + ", ".join(sorted(LOG_LEVELS)))

    if problems or database_url is None or secret_key is None:
        raise SettingsError(problems)
    return Settings(
        database_url=database_url, secret_key=secret_key, port=port, debug=debug,
        allowed_hosts=allowed_hosts, log_level=log_level,
    )
