"""Settings from the environment, twelve-factor style.

"Store config in the environment" (https://12factor.net/config): the same build runs in dev, CI
and production; only environment variables differ. Every framework has its version: Django's
settings.py reading os.environ, Flask's `app.config.from_prefixed_env()`, FastAPI's docs use
pydantic-settings' `BaseSettings`. Here you write the core of it by hand.

`load_settings(environ=None)` reads the variables below (all with the prefix `APP_`) from
`environ`, or from `os.environ` AT CALL TIME when no mapping is given (a default evaluated at
import time would miss what the deployment sets later, and tests that use monkeypatch.setenv).
Values are stripped; a variable that is empty or only whitespace counts as UNSET
(docker-compose's `APP_PORT=` sets it to "").

| variable              | rule                                                         | default        |
|-----------------------|--------------------------------------------------------------|----------------|
| APP_DATABASE_URL      | required; URL scheme postgresql, postgresql+psycopg or sqlite | -              |
| APP_SECRET_KEY        | required; at least 32 characters                             | -              |
| APP_PORT              | ASCII digits only, 1..65535 ("+80", "8_000", "80.0" are errors) | 8000        |
| APP_DEBUG             | 1/0, true/false, yes/no, on/off in any case; anything else is an ERROR (`bool("false")` is True!) | False |
| APP_ALLOWED_HOSTS     | comma-separated, each stripped and lowercased, empty items dropped; none left is an error; "*" only when debug is on | ("localhost",) |
| APP_LOG_LEVEL         | DEBUG, INFO, WARNING, ERROR, CRITICAL in any case, stored uppercase | "INFO"  |

FAIL CLOSED, and all at once: collect every problem and raise ONE `SettingsError(problems)`, a
list of messages that each start with the variable's name and a colon ("APP_PORT: ..."), so an
operator fixes the deployment in one go. A message never contains the value: database URLs and
keys hold credentials, and error messages end up in logs. For the same reason the database URL
and the secret key are `repr=False` in the frozen `Settings`.
"""

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
    database_url: str  # TODO: keep out of reprs
    secret_key: str
    port: int = 8000
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("localhost",)
    log_level: str = "INFO"


def load_settings(environ: Mapping[str, str] = dict(os.environ)) -> Settings:  # TODO: at call time
    # TODO: every rule of the table, collecting problems
    return Settings(
        database_url=environ["APP_DATABASE_URL"],
        secret_key=environ["APP_SECRET_KEY"],
        port=int(environ.get("APP_PORT", 8000)),
        debug=bool(environ.get("APP_DEBUG", False)),
        allowed_hosts=tuple(environ.get("APP_ALLOWED_HOSTS", "localhost").split(",")),
        log_level=environ.get("APP_LOG_LEVEL", "INFO"),
    )
