import dataclasses

import pytest

from settings1_env import Settings, SettingsError, load_settings

SECRET = "k" * 31 + "Z"
DB = "postgresql://orders:hunter2@db.internal:5432/orders"


def env(**overrides):
    base = {"APP_DATABASE_URL": DB, "APP_SECRET_KEY": SECRET}
    base.update({f"APP_{key}": value for key, value in overrides.items()})
    return {key: value for key, value in base.items() if value is not None}


def problems_of(environ):
    with pytest.raises(SettingsError) as info:
        load_settings(environ)
    return info.value


def test_defaults():
    settings = load_settings(env())
    assert settings == Settings(database_url=DB, secret_key=SECRET, port=8000, debug=False,
                                allowed_hosts=("localhost",), log_level="INFO")


def test_the_settings_class_has_the_same_defaults():
    assert Settings(database_url=DB, secret_key=SECRET) == load_settings(env())


@pytest.mark.parametrize("level", ["DEBUG", "info", "Warning", "ERROR", "critical"])
def test_every_log_level_is_accepted_in_any_case(level):
    assert load_settings(env(LOG_LEVEL=level)).log_level == level.upper()


def test_a_full_configuration():
    settings = load_settings(env(PORT=" 8080 ", DEBUG="On", ALLOWED_HOSTS=" API.Shop.example, ,admin.shop.example,",
                                 LOG_LEVEL="warning", DATABASE_URL="sqlite:///./orders.db"))
    assert settings.port == 8080 and settings.debug is True
    assert settings.allowed_hosts == ("api.shop.example", "admin.shop.example")
    assert settings.log_level == "WARNING" and settings.database_url == "sqlite:///./orders.db"


def test_settings_are_frozen_and_keep_secrets_out_of_reprs():
    settings = load_settings(env())
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1
    assert SECRET not in repr(settings) and "hunter2" not in repr(settings)


@pytest.mark.parametrize("word, expected", [
    ("1", True), ("true", True), ("TRUE", True), ("yes", True), ("on", True),
    ("0", False), ("false", False), ("False", False), ("no", False), ("OFF", False), ("", False), ("  ", False),
])
def test_debug_words(word, expected):
    assert load_settings(env(DEBUG=word)).debug is expected


@pytest.mark.parametrize("word", ["ture", "2", "enabled", "y"])
def test_unknown_debug_words_are_errors(word):
    assert [p.split(":")[0] for p in problems_of(env(DEBUG=word)).problems] == ["APP_DEBUG"]


@pytest.mark.parametrize("port, expected", [("1", 1), ("65535", 65535), ("", 8000), ("0080", 80)])
def test_valid_ports(port, expected):
    assert load_settings(env(PORT=port)).port == expected


@pytest.mark.parametrize("port", ["0", "65536", "-1", "+80", "8_000", "80.0", "eighty", "\u0668\u0660"])
def test_invalid_ports(port):
    assert [p.split(":")[0] for p in problems_of(env(PORT=port)).problems] == ["APP_PORT"]


@pytest.mark.parametrize("hosts", [",", " , ,"])
def test_allowed_hosts_without_a_host(hosts):
    assert [p.split(":")[0] for p in problems_of(env(ALLOWED_HOSTS=hosts)).problems] == ["APP_ALLOWED_HOSTS"]


def test_wildcard_host_only_in_debug():
    assert [p.split(":")[0] for p in problems_of(env(ALLOWED_HOSTS="*")).problems] == ["APP_ALLOWED_HOSTS"]
    assert load_settings(env(ALLOWED_HOSTS="*", DEBUG="1")).allowed_hosts == ("*",)


@pytest.mark.parametrize("url", [
    "mysql://u:hunter2@db/orders", "db.internal:5432", "postgres://u:hunter2@db/x",
    # the scheme is compared whole: a known prefix is not a known scheme
    "postgresql+asyncpg://u:hunter2@db/x", "sqlite3:///orders.db", "postgresqlx://u:hunter2@db/x",
])
def test_database_url_scheme(url):
    error = problems_of(env(DATABASE_URL=url))
    assert error.problems == [
        "APP_DATABASE_URL: the scheme must be one of postgresql, postgresql+psycopg, sqlite"
    ]
    assert "hunter2" not in str(error)


@pytest.mark.parametrize("url", ["postgresql+psycopg://u:pw@db/orders", "sqlite:///orders.db", DB])
def test_every_listed_database_scheme_is_accepted(url):
    assert load_settings(env(DATABASE_URL=url)).database_url == url


def test_short_secret_key_is_refused_without_echoing_it():
    error = problems_of(env(SECRET_KEY="short-but-secret-value"))
    assert [p.split(":")[0] for p in error.problems] == ["APP_SECRET_KEY"]
    assert "short-but-secret-value" not in str(error)
    assert load_settings(env(SECRET_KEY="s" * 32)).secret_key == "s" * 32
    assert problems_of(env(SECRET_KEY="s" * 31)).problems == ["APP_SECRET_KEY: must be at least 32 characters"]


def test_every_problem_is_reported_at_once():
    error = problems_of({"APP_SECRET_KEY": "  ", "APP_PORT": "http", "APP_DEBUG": "maybe", "APP_LOG_LEVEL": "verbose"})
    assert sorted(p.split(":")[0] for p in error.problems) == [
        "APP_DATABASE_URL", "APP_DEBUG", "APP_LOG_LEVEL", "APP_PORT", "APP_SECRET_KEY",
    ]
    for problem in error.problems:
        assert problem in str(error)
    assert "APP_LOG_LEVEL: must be one of CRITICAL, DEBUG, ERROR, INFO, WARNING" in error.problems
    assert str(error) == "invalid settings: " + "; ".join(error.problems)


def test_only_prefixed_variables_count():
    error = problems_of({"DATABASE_URL": DB, "SECRET_KEY": SECRET})
    assert sorted(p.split(":")[0] for p in error.problems) == ["APP_DATABASE_URL", "APP_SECRET_KEY"]


def test_reads_the_process_environment_at_call_time(monkeypatch):
    monkeypatch.setenv("APP_DATABASE_URL", "sqlite:///late.db")
    monkeypatch.setenv("APP_SECRET_KEY", SECRET)
    monkeypatch.setenv("APP_PORT", "9000")
    settings = load_settings()
    assert (settings.database_url, settings.port) == ("sqlite:///late.db", 9000)
    monkeypatch.setenv("APP_PORT", "9001")
    assert load_settings().port == 9001
