import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from security1_secrets import (
    REDACTED,
    ConfigError,
    PaymentError,
    RedactSecrets,
    Settings,
    create_app,
    load_settings,
)

DB_URL = "postgresql://shop:Pa55-w0rd-db@db.internal:5432/shop"
API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
ENV = {"APP_DATABASE_URL": DB_URL, "APP_PAYMENT_API_KEY": API_KEY}


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []
        self.lines = []

    def emit(self, record):
        self.records.append(record)
        self.lines.append(self.format(record))


def fresh_logger(name):
    logger = logging.getLogger(f"test.security1.{name}")
    logger.filters.clear()
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = ListHandler()
    logger.addHandler(handler)
    return logger, handler


class FakePayments:
    def __init__(self, error=None):
        self.calls = []
        self.error = error

    def charge(self, api_key, amount_cents):
        self.calls.append((api_key, amount_cents))
        if self.error is not None:
            raise self.error
        return "ch_1"


def settings(**overrides):
    return load_settings({**ENV, **overrides})


# load_settings ------------------------------------------------------------------------------


def test_the_secrets_are_read_and_kept_as_secret_str():
    s = settings()
    assert isinstance(s.database_url, SecretStr)
    assert isinstance(s.payment_api_key, SecretStr)
    assert s.database_url.get_secret_value() == DB_URL
    assert s.payment_api_key.get_secret_value() == API_KEY
    assert (s.environment, s.debug) == ("dev", False)


def test_values_are_stripped():
    s = load_settings({"APP_DATABASE_URL": f"  {DB_URL}\n", "APP_PAYMENT_API_KEY": f"{API_KEY} "})
    assert s.database_url.get_secret_value() == DB_URL
    assert s.payment_api_key.get_secret_value() == API_KEY


def test_every_missing_secret_is_named_at_once_in_order():
    with pytest.raises(ConfigError) as caught:
        load_settings({})
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "APP_DATABASE_URL",
        "APP_PAYMENT_API_KEY",
    ], "no default in code: a service without its secrets refuses to start, naming them all"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_an_empty_secret_is_missing(blank):
    with pytest.raises(ConfigError) as caught:
        load_settings({**ENV, "APP_PAYMENT_API_KEY": blank})
    assert [p.split(":")[0] for p in caught.value.problems] == ["APP_PAYMENT_API_KEY"]


def test_reads_the_process_environment_at_call_time(monkeypatch):
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("APP_DEBUG", raising=False)
    monkeypatch.setenv("APP_PAYMENT_API_KEY", API_KEY)
    with pytest.raises(ConfigError):
        load_settings()
    monkeypatch.setenv("APP_DATABASE_URL", DB_URL)
    assert load_settings().payment_api_key.get_secret_value() == API_KEY


def test_an_explicit_mapping_is_the_only_source(monkeypatch):
    # An empty mapping is still the caller's environment: it never falls back to os.environ.
    monkeypatch.setenv("APP_DATABASE_URL", DB_URL)
    monkeypatch.setenv("APP_PAYMENT_API_KEY", API_KEY)
    with pytest.raises(ConfigError) as caught:
        load_settings({})
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "APP_DATABASE_URL",
        "APP_PAYMENT_API_KEY",
    ], "load_settings(environ) reads environ only: `environ or os.environ` treats {} as None"


@pytest.mark.parametrize("blank", ["", "  ", "\n"])
def test_a_blank_optional_variable_takes_its_default(blank):
    s = settings(APP_ENV=blank, APP_DEBUG=blank)
    assert (s.environment, s.debug) == ("dev", False), (
        "empty or whitespace-only counts as missing for every variable, not only the secrets"
    )


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"APP_ENV": "prod"}, ("prod", False)),
        ({"APP_ENV": "staging", "APP_DEBUG": "TRUE"}, ("staging", True)),
        ({"APP_DEBUG": "False"}, ("dev", False)),
        ({"APP_DEBUG": "true"}, ("dev", True)),
    ],
)
def test_environment_and_debug(variables, expected):
    s = settings(**variables)
    assert (s.environment, s.debug) == expected


@pytest.mark.parametrize(
    "variables, name",
    [
        ({"APP_ENV": "PROD"}, "APP_ENV"),
        ({"APP_ENV": "production"}, "APP_ENV"),
        ({"APP_DEBUG": "yes"}, "APP_DEBUG"),
        ({"APP_DEBUG": "1"}, "APP_DEBUG"),
        ({"APP_DEBUG": "off"}, "APP_DEBUG"),
    ],
)
def test_words_outside_the_table_are_problems(variables, name):
    with pytest.raises(ConfigError) as caught:
        settings(**variables)
    assert [p.split(":")[0] for p in caught.value.problems] == [name]


@pytest.mark.parametrize("spelling", ["true", "TRUE", "True", " tRuE "])
def test_debug_is_refused_in_prod(spelling):
    # The refusal judges the parsed value, not the text: every spelling of true is debug.
    with pytest.raises(ConfigError) as caught:
        settings(APP_ENV="prod", APP_DEBUG=spelling)
    assert [p.split(":")[0] for p in caught.value.problems] == ["APP_DEBUG"]


def test_no_problem_ever_quotes_a_value():
    # The API key pasted into the wrong variables, and a broken database URL missing.
    with pytest.raises(ConfigError) as caught:
        load_settings({"APP_ENV": API_KEY, "APP_DEBUG": API_KEY, "APP_PAYMENT_API_KEY": "k"})
    names = [p.split(":")[0] for p in caught.value.problems]
    assert names == ["APP_DATABASE_URL", "APP_ENV", "APP_DEBUG"]
    assert API_KEY not in str(caught.value)
    assert all(API_KEY not in p for p in caught.value.problems)


def test_the_settings_never_show_a_secret():
    s = settings()
    for shown in (repr(s), str(s), str(s.model_dump()), s.model_dump_json()):
        assert API_KEY not in shown and DB_URL not in shown, shown


# RedactSecrets ------------------------------------------------------------------------------


def test_the_filter_redacts_the_message_and_its_arguments():
    logger, handler = fresh_logger("filter")
    logger.addFilter(RedactSecrets([API_KEY, DB_URL]))
    logger.warning("calling https://pay.example/v1?key=" + API_KEY)
    logger.warning("connect to %s failed (%s)", DB_URL, f"key {API_KEY} key {API_KEY}")
    assert handler.lines == [
        f"calling https://pay.example/v1?key={REDACTED}",
        f"connect to {REDACTED} failed (key {REDACTED} key {REDACTED})",
    ]


@pytest.mark.parametrize(
    "secret",
    [
        "postgresql+psycopg://u:p4ss@db/shop?ssl=1",  # + and ? are regex operators
        "k3y.with.dots|or|bars",
        "p(a)ss[wo]rd*",
        "sk_(unbalanced",
    ],
)
def test_the_filter_redacts_secrets_as_literal_text(secret):
    logger, handler = fresh_logger("literal")
    logger.addFilter(RedactSecrets([secret]))
    logger.warning("connect to %s failed", secret)
    assert handler.lines == [f"connect to {REDACTED} failed"], (
        "a secret is plain text, not a pattern: replace it literally (str.replace, or re.escape)"
    )


def test_the_filter_keeps_every_record():
    logger, handler = fresh_logger("keep")
    logger.addFilter(RedactSecrets([API_KEY]))
    logger.error("nothing secret: %d items", 3)
    logger.error("secret %s", API_KEY)
    assert handler.lines == ["nothing secret: 3 items", f"secret {REDACTED}"], (
        "a filter that returns False drops the record: a redaction filter keeps every log line"
    )


# The app ------------------------------------------------------------------------------------


def make(error=None, **overrides):
    logger, handler = fresh_logger("app")
    payments = FakePayments(error)
    app = create_app(settings(**overrides), payments, logger)
    return TestClient(app, raise_server_exceptions=False), payments, handler


def test_a_charge_uses_the_key():
    client, payments, handler = make()
    r = client.post("/charges", json={"amount_cents": 1250})
    assert r.status_code == 201
    assert r.json() == {"id": "ch_1", "amount_cents": 1250}
    assert payments.calls == [(API_KEY, 1250)], "the provider gets the real key, not a mask"


def test_the_settings_page_masks_the_secrets():
    client, _, _ = make()
    r = client.get("/settings")
    assert r.status_code == 200
    body = r.json()
    assert body["environment"] == "dev" and body["debug"] is False
    assert API_KEY not in r.text and DB_URL not in r.text
    assert body["payment_api_key"] == "**********"


def test_a_provider_error_is_logged_redacted_and_answered_generically():
    error = PaymentError(f"401 Unauthorized for https://pay.example/v1/charges?key={API_KEY}")
    client, payments, handler = make(error)
    r = client.post("/charges", json={"amount_cents": 500})
    assert r.status_code == 502
    assert r.json() == {"detail": "payment provider unavailable"}
    assert API_KEY not in r.text
    errors = [line for line, rec in zip(handler.lines, handler.records) if rec.levelno == logging.ERROR]
    assert errors, "the provider's failure is logged at ERROR"
    assert any(f"?key={REDACTED}" in line for line in errors), errors
    assert all(API_KEY not in line for line in handler.lines), handler.lines


def test_a_crash_answers_a_generic_500_without_its_message():
    client, payments, handler = make(RuntimeError(f"pool failed for {DB_URL}"))
    r = client.post("/charges", json={"amount_cents": 500})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error"}
    assert DB_URL not in r.text and "pool failed" not in r.text
    assert all(DB_URL not in line for line in handler.lines)


def test_the_app_redacts_both_secrets_in_its_logger():
    logger, handler = fresh_logger("both")
    create_app(settings(), FakePayments(), logger)
    logger.info("db=%s key=%s", DB_URL, API_KEY)
    assert handler.lines == [f"db={REDACTED} key={REDACTED}"]


def test_settings_are_frozen():
    s = settings()
    with pytest.raises(Exception):
        s.debug = True  # a running service does not change its configuration
    assert isinstance(s, Settings)
