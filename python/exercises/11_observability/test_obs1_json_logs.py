import io
import json
import logging
import os
import re
import time
import uuid

import pytest
from fastapi.testclient import TestClient

import obs1_json_logs as m


@pytest.fixture
def stream():
    buffer = io.StringIO()
    handler = m.configure_logging(buffer)
    yield buffer
    m.logger.removeHandler(handler)


@pytest.fixture
def client():
    return TestClient(m.create_app(), raise_server_exceptions=False)


def lines(stream):
    text = stream.getvalue()
    assert text.endswith("\n"), "every record ends its line"
    return [json.loads(line) for line in text.splitlines()]


def record(message, *args, created=1_700_000_000.25, fields=None, exc_info=None, level=logging.INFO):
    rec = logging.LogRecord("shop", level, "shop.py", 1, message, args, exc_info)
    rec.created = created
    if fields is not None:
        rec.fields = fields
    return rec


def render(rec):
    text = m.JsonFormatter().format(rec)
    assert "\n" not in text, "one record, one line"
    return json.loads(text)


@pytest.fixture
def far_timezone():
    if not hasattr(time, "tzset"):  # Windows: the local zone stays what it is
        yield
        return
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_the_core_keys_of_a_line(far_timezone):
    line = render(record("stock of %s is %d", "boots", 3, created=0.5))
    assert line == {
        "timestamp": "1970-01-01T00:00:00.500Z",
        "level": "INFO",
        "logger": "shop",
        "message": "stock of boots is 3",
        "request_id": None,
    }, "UTC (not the server's zone), milliseconds, a Z; the message with its arguments applied"


def test_timestamps_keep_their_milliseconds():
    assert render(record("x", created=1_700_000_000.0))["timestamp"] == "2023-11-14T22:13:20.000Z"
    assert render(record("x", created=1_700_000_000.999))["timestamp"] == "2023-11-14T22:13:20.999Z"


def test_fields_are_merged_but_never_replace_the_core_keys():
    line = render(
        record("order viewed", fields={"order_id": 42, "level": "DEBUG", "message": "forged", "tags": ["a"]}, level=logging.WARNING)
    )
    assert line["order_id"] == 42
    assert line["tags"] == ["a"]
    assert line["level"] == "WARNING"
    assert line["message"] == "order viewed"


def test_values_json_cannot_encode_are_written_as_text():
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    line = render(record("x", fields={"key": key, "ids": {3}}))
    assert line["key"] == "12345678-1234-5678-1234-567812345678"
    assert line["ids"] == "{3}"


def test_secret_fields_are_redacted_at_any_depth_and_in_any_case():
    fields = {
        "user": "ann",
        "Password": "hunter2",
        "new_password": "hunter3",
        "headers": {"Authorization": "Bearer abc", "Accept": "*/*", "inner": {"X-Api_Key": "k"}},
        "refresh_token": "r",
        "session_cookie": "c",
        "client_secret": "s",
    }
    line = render(record("login", fields=fields))
    assert line["user"] == "ann"
    assert line["Password"] == line["new_password"] == "[REDACTED]"
    assert line["headers"] == {
        "Authorization": "[REDACTED]",
        "Accept": "*/*",
        "inner": {"X-Api_Key": "[REDACTED]"},
    }
    assert line["refresh_token"] == line["session_cookie"] == line["client_secret"] == "[REDACTED]"
    assert fields["Password"] == "hunter2", "redaction copies: the caller's dict is not changed"


def test_an_exception_is_one_json_value():
    try:
        raise KeyError("sku-9")
    except KeyError:
        import sys

        info = sys.exc_info()
    line = render(record("lookup failed", exc_info=info, level=logging.ERROR))
    assert line["exception"]["type"] == "KeyError"
    assert line["exception"]["message"] == "'sku-9'"
    assert line["exception"]["stack"].startswith("Traceback (most recent call last):")
    assert "KeyError: 'sku-9'" in line["exception"]["stack"]
    assert "exception" not in render(record("fine")), "no exception key without an exception"


@pytest.mark.parametrize(
    "incoming", ["abc-123", "A.b_C", "x" * 64, "4bf92f3577b34da6a3ce929d0e0e4736"]
)
def test_a_valid_incoming_id_is_kept(incoming):
    with m.request_context(incoming) as bound:
        assert bound == incoming
        assert m.request_id_var.get() == incoming
    assert m.request_id_var.get() is None


@pytest.mark.parametrize(
    "incoming", [None, "", "x" * 65, "abc\n", "abc def", "abc;def", "<script>", "é"]
)
def test_an_invalid_incoming_id_is_replaced_by_a_new_one(incoming):
    with m.request_context(incoming) as bound:
        assert re.fullmatch(r"[0-9a-f]{32}", bound), "a new uuid4().hex"
        assert m.request_id_var.get() == bound


def test_each_generated_id_is_new():
    with m.request_context(None) as first:
        pass
    with m.request_context(None) as second:
        pass
    assert first != second


def test_the_binding_is_undone_after_an_error_and_restores_the_outer_one():
    with m.request_context("outer") as outer:
        with pytest.raises(RuntimeError):
            with m.request_context("inner"):
                assert m.request_id_var.get() == "inner"
                raise RuntimeError("boom")
        assert m.request_id_var.get() == outer == "outer"
    assert m.request_id_var.get() is None


def test_every_line_of_a_request_carries_its_id_and_the_response_echoes_it(client, stream):
    r = client.get("/orders/7", headers={"X-Request-ID": "req-7"})
    assert r.status_code == 200
    assert r.headers["x-request-id"] == "req-7"
    found = lines(stream)
    assert [line["message"] for line in found] == ["order viewed", "request finished"]
    assert all(line["request_id"] == "req-7" for line in found)
    assert found[0]["order_id"] == 7
    assert {k: found[1][k] for k in ("method", "path", "status")} == {
        "method": "GET",
        "path": "/orders/7",
        "status": 200,
    }


def test_a_request_without_an_id_gets_a_new_one_in_its_lines_and_header(client, stream):
    r1 = client.get("/orders/1")
    r2 = client.get("/orders/2", headers={"X-Request-ID": "bad id"})
    ids = [r1.headers.get("x-request-id"), r2.headers.get("x-request-id")]
    assert all(i and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert ids[0] != ids[1]
    found = lines(stream)
    assert [line["request_id"] for line in found] == [ids[0], ids[0], ids[1], ids[1]]


def test_an_error_response_is_logged_and_echoed_too(client, stream):
    r = client.get("/orders/5000", headers={"X-Request-ID": "missing-1"})
    assert r.status_code == 404
    assert r.headers["x-request-id"] == "missing-1"
    (line,) = lines(stream)
    assert line["message"] == "request finished"
    assert line["status"] == 404
    assert line["request_id"] == "missing-1"


def test_a_logged_exception_carries_the_request_id(client, stream):
    r = client.get("/pay", headers={"X-Request-ID": "pay-1"})
    assert r.status_code == 502
    failed = lines(stream)[0]
    assert failed["level"] == "ERROR"
    assert failed["request_id"] == "pay-1"
    assert failed["amount"] == 12
    assert failed["exception"]["type"] == "ValueError"
    assert failed["exception"]["message"] == "card declined"


def test_a_password_never_reaches_the_log(client, stream):
    r = client.post("/login", json={"user": "ann", "password": "hunter2"})
    assert r.status_code == 200
    assert "hunter2" not in stream.getvalue()
    assert lines(stream)[0]["password"] == "[REDACTED]"


def test_user_input_with_newlines_cannot_forge_a_line(client, stream):
    attack = 'shoes\n{"level": "CRITICAL", "message": "admin logged in"}'
    client.get("/search", params={"q": attack})
    found = lines(stream)
    assert len(found) == 2, "one line per record, whatever the input"
    assert found[0]["message"] == "search for " + attack
    assert all(line["level"] == "INFO" for line in found)


def test_outside_a_request_the_id_is_null(stream):
    m.logger.warning("startup")
    (line,) = lines(stream)
    assert line["request_id"] is None
    assert line["level"] == "WARNING"
