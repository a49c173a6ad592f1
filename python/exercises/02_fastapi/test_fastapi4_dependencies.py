import pytest
from fastapi.testclient import TestClient

from fakedb import Database
from fastapi4_dependencies import Settings, create_app, get_audit, get_settings


@pytest.fixture
def db():
    return Database()


@pytest.fixture
def app(db):
    return create_app(db)


@pytest.fixture
def client(app):
    return TestClient(app, raise_server_exceptions=False)


def test_a_write_commits_then_closes_one_session(client, db):
    r = client.post("/items", json={"name": "bolt", "quantity": 10})
    assert r.status_code == 201
    assert r.json() == {"name": "bolt", "quantity": 10}
    assert db.log == [("open", 1), ("commit", 1), ("close", 1)]
    assert db.rows[("item", "bolt")] == {"name": "bolt", "quantity": 10}
    assert db.rows[("audit", 1)] == "created bolt", "the audit entry is in the same transaction"


def test_repo_and_audit_share_the_request_s_session(client, db):
    client.post("/items", json={"name": "nut", "quantity": 1})
    assert db.opened == 1, (
        "two dependencies that depend on get_session get the same session within a request "
        "(FastAPI caches a dependency per request); two sessions are two transactions"
    )


def test_each_request_gets_a_fresh_session(client, db):
    client.post("/items", json={"name": "a", "quantity": 1})
    assert client.get("/items/a").status_code == 200
    missing = client.get("/items/b")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no item 'b'"}
    assert db.opened == 3, "one session per request, never one shared by all requests"
    assert [e for e in db.log if e[0] == "close"] == [("close", 1), ("close", 2), ("close", 3)]


def test_an_http_error_rolls_back(client, db):
    client.post("/items", json={"name": "gear", "quantity": 1})
    db.log.clear()
    r = client.post("/items", json={"name": "gear", "quantity": 5})
    assert r.status_code == 409
    assert r.json() == {"detail": "item 'gear' exists"}
    assert db.log == [("open", 2), ("rollback", 2), ("close", 2)], "an error is never committed"
    assert db.rows[("item", "gear")]["quantity"] == 1


def test_a_crash_rolls_back_the_whole_unit_of_work(app, client, db):
    class BrokenAudit:
        def record(self, event):
            raise RuntimeError("audit store is down")

    app.dependency_overrides[get_audit] = BrokenAudit
    r = client.post("/items", json={"name": "spring", "quantity": 3})
    assert r.status_code == 500
    assert db.log == [("open", 1), ("rollback", 1), ("close", 1)]
    assert ("item", "spring") not in db.rows, "the item was written although the request failed"


def test_settings_come_from_a_dependency_tests_can_override(app, client, db):
    app.dependency_overrides[get_settings] = lambda: Settings(max_items=1)
    assert client.post("/items", json={"name": "one", "quantity": 1}).status_code == 201
    r = client.post("/items", json={"name": "two", "quantity": 1})
    assert r.status_code == 409, "the overridden settings allow one item"
    assert r.json() == {"detail": "the inventory is full"}
    assert ("item", "two") not in db.rows


def test_the_default_settings_allow_100_items():
    assert get_settings() == Settings(max_items=100)


def test_only_items_count_towards_the_limit(app, client, db):
    for number in (1, 2, 3):
        db.rows[("audit", number)] = f"older event {number}"
    app.dependency_overrides[get_settings] = lambda: Settings(max_items=2)
    assert client.post("/items", json={"name": "one", "quantity": 1}).status_code == 201
    assert client.post("/items", json={"name": "two", "quantity": 1}).status_code == 201
    assert client.post("/items", json={"name": "three", "quantity": 1}).status_code == 409


def test_every_write_gets_the_next_audit_number(client, db):
    for name in ("a", "b", "c"):
        client.post("/items", json={"name": name, "quantity": 1})
    audit = {key: value for key, value in db.rows.items() if key[0] == "audit"}
    assert audit == {("audit", 1): "created a", ("audit", 2): "created b", ("audit", 3): "created c"}


@pytest.mark.parametrize(
    "body", [{"name": "", "quantity": -1}, {"name": "", "quantity": 1}, {"name": "x", "quantity": -1}]
)
def test_an_invalid_body_commits_nothing(client, db, body):
    r = client.post("/items", json=body)
    assert r.status_code == 422
    assert all(event != "commit" for event, _ in db.log)


def test_a_quantity_of_zero_is_an_item_out_of_stock(client):
    r = client.post("/items", json={"name": "washer", "quantity": 0})
    assert r.status_code == 201
