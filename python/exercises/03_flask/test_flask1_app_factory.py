import pytest

import flask1_app_factory
from flask1_app_factory import create_app

KEY = {"SECRET_KEY": "test-key"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith("NOTES_"):
            monkeypatch.delenv(name)


def test_each_call_builds_a_new_app():
    one, two = create_app(KEY), create_app(KEY)
    assert one is not two
    assert one.config is not two.config
    assert not hasattr(flask1_app_factory, "app"), "no app at import time: the factory builds it"


def test_defaults():
    app = create_app(KEY)
    assert app.config["MAX_NOTES"] == 50
    assert app.test_client().get("/").get_json() == {"greeting": "hello"}


def test_the_mapping_overrides_the_defaults():
    app = create_app({**KEY, "GREETING": "hey", "TESTING": True})
    assert app.testing is True
    assert app.test_client().get("/").get_json() == {"greeting": "hey"}


def test_the_environment_overrides_the_defaults_and_the_mapping_overrides_both(monkeypatch):
    monkeypatch.setenv("NOTES_GREETING", "moin")
    monkeypatch.setenv("NOTES_SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env", "the environment is read when the app is built"
    assert app.test_client().get("/").get_json() == {"greeting": "moin"}
    app = create_app({"GREETING": "servus"})
    assert app.test_client().get("/").get_json() == {"greeting": "servus"}


def test_environment_values_are_parsed(monkeypatch):
    monkeypatch.setenv("NOTES_MAX_NOTES", "2")
    app = create_app(KEY)
    assert app.config["MAX_NOTES"] == 2, "NOTES_MAX_NOTES=2 is the int 2 (from_prefixed_env)"
    client = app.test_client()
    assert client.post("/notes", json={"text": "a"}).status_code == 201
    assert client.post("/notes", json={"text": "b"}).status_code == 201
    r = client.post("/notes", json={"text": "c"})
    assert r.status_code == 409
    assert r.get_json() == {"error": "too many notes"}


def test_other_prefixes_are_not_read(monkeypatch):
    monkeypatch.setenv("FLASK_GREETING", "wrong")
    monkeypatch.setenv("GREETING", "wrong")
    assert create_app(KEY).test_client().get("/").get_json() == {"greeting": "hello"}


@pytest.mark.parametrize("config", [{}, {"SECRET_KEY": ""}, {"SECRET_KEY": None}])
def test_no_secret_key_refuses_to_start(config):
    with pytest.raises(RuntimeError, match=r"^SECRET_KEY is not set \(NOTES_SECRET_KEY in the environment\)$"):
        create_app(config)


def test_apps_do_not_share_state():
    one, two = create_app(KEY).test_client(), create_app(KEY).test_client()
    r = one.post("/notes", json={"text": "only in one"})
    assert r.status_code == 201
    assert r.headers["Location"] == "/notes/1"
    assert one.get("/notes/1").get_json() == {"id": 1, "text": "only in one"}
    assert two.get("/notes").get_json() == [], "state belongs to the app (app.extensions)"
    assert two.get("/notes/1").status_code == 404
    assert two.get("/notes/1").get_json() == {"error": "no such note"}


def test_note_ids_start_at_1_and_each_id_finds_its_own_note():
    client = create_app(KEY).test_client()
    for text in ("first", "second", "third"):
        client.post("/notes", json={"text": text})
    assert client.get("/notes/1").get_json() == {"id": 1, "text": "first"}
    assert client.get("/notes/2").get_json() == {"id": 2, "text": "second"}
    assert client.get("/notes/3").get_json() == {"id": 3, "text": "third"}
    assert client.get("/notes/0").status_code == 404, "ids start at 1: 0 is no note (not the last one)"
    assert client.get("/notes/4").status_code == 404


@pytest.mark.parametrize("body", [None, {"txt": "x"}, {"text": ""}, {"text": 5}])
def test_bad_bodies_are_400(body):
    client = create_app(KEY).test_client()
    r = client.post("/notes", json=body) if body is not None else client.post("/notes", data="text=x")
    assert r.status_code == 400
    assert r.get_json() == {"error": "send JSON with a non-empty text"}
    assert client.get("/notes").get_json() == []


@pytest.mark.parametrize("body", [None, {"txt": "x"}, {"text": ""}])
def test_at_the_limit_a_bad_body_is_still_400(body):
    client = create_app({**KEY, "MAX_NOTES": 1}).test_client()
    assert client.post("/notes", json={"text": "a"}).status_code == 201
    r = client.post("/notes", json=body) if body is not None else client.post("/notes", data="text=x")
    assert r.status_code == 400, "the body is checked first: a request that is not a note cannot conflict"
    assert client.post("/notes", json={"text": "b"}).status_code == 409
    assert client.get("/notes").get_json() == [{"id": 1, "text": "a"}]
