"""The application factory: a fresh, fully configured app per call.

A Flask app built at import time (an `app = Flask(...)` at module level) is one global
object: every test shares its state, the configuration is frozen at import, and two
configurations (testing, production) cannot live in one process. The factory pattern
(https://flask.palletsprojects.com/en/stable/patterns/appfactories/) builds the app inside a
function instead:

    def create_app(test_config=None):
        app = Flask(...)  # the import name of this module
        app.config.from_mapping(...)        # defaults
        ...                                 # environment, then the caller's overrides
        register routes, blueprints, extensions
        return app

`flask --app flask1_app_factory run` finds `create_app` by itself: no module-level app needed.

Configuration, lowest precedence first:
1. defaults (`app.config.from_mapping(DEFAULTS)`);
2. the environment, read *when the app is built*: `app.config.from_prefixed_env("NOTES")` loads
   every `NOTES_*` variable without the prefix (`NOTES_MAX_NOTES=2` becomes `MAX_NOTES`, and its
   value is parsed as JSON when it can be: the int 2, not the string "2");
3. the mapping passed to `create_app` (tests use it).

Fail closed: without a SECRET_KEY (missing, None or empty) the app must refuse to start
(`raise RuntimeError`) rather than sign sessions with a guessable default like "dev".

Per-app state lives on the app: `app.extensions["notes"]`, read in views through
`current_app`. Routes: `GET /` (the greeting), `GET /notes`, `GET /notes/<id>` (404 when
missing), `POST /notes` with JSON `{"text": "..."}`: 201 with the note and a Location header
(`url_for("get_note", note_id=...)`), 400 for a body that is not such JSON, 409 when
`MAX_NOTES` notes exist. Check the body first: a request that is not a note is 400 whatever
the state (the client must fix the request itself; it cannot conflict with anything), and only
a valid note is refused with 409 at the limit.
"""

import os

from flask import Flask, jsonify, request

# TODO: read at import time, and shared by every app. Use the app's config and app.extensions.
GREETING = os.environ.get("NOTES_GREETING", "hello")
NOTES: list[dict] = []


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # TODO: no default secret; defaults, then NOTES_* from the environment, then test_config;
    # refuse to start without a SECRET_KEY.
    app.config.from_mapping(SECRET_KEY="dev", GREETING=GREETING, MAX_NOTES=50)
    if test_config:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return {"greeting": GREETING}

    @app.get("/notes")
    def list_notes():
        return jsonify(NOTES)

    # TODO: 400 for a bad body (checked first), 409 at MAX_NOTES, 201 with a Location header.
    @app.post("/notes")
    def add_note():
        data = request.get_json(silent=True) or {}
        note = {"id": len(NOTES) + 1, "text": data.get("text")}
        NOTES.append(note)
        return note

    @app.get("/notes/<int:note_id>")
    def get_note(note_id: int):
        if not 1 <= note_id <= len(NOTES):
            return {"error": "no such note"}, 404
        return NOTES[note_id - 1]

    return app


# TODO: an app built at import time: remove it (the factory is the entry point).
app = create_app()
