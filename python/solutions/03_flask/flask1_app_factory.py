"""The application factory: a fresh, fully configured app per call."""

from flask import Flask, current_app, jsonify, request, url_for

DEFAULTS = {"SECRET_KEY": None, "GREETING": "hello", "MAX_NOTES": 50}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # Precedence, lowest first: defaults, the environment (NOTES_*), the caller's mapping.
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("NOTES")
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        raise RuntimeError("SECRET_KEY is not set (NOTES_SECRET_KEY in the environment)")
    app.extensions["notes"] = []

    @app.get("/")
    def index():
        return {"greeting": current_app.config["GREETING"]}

    @app.get("/notes")
    def list_notes():
        return jsonify(current_app.extensions["notes"])

    @app.post("/notes")
    def add_note():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not data["text"]:
            return {"error": "send JSON with a non-empty text"}, 400
        notes = current_app.extensions["notes"]
        if len(notes) >= current_app.config["MAX_NOTES"]:
            return {"error": "too many notes"}, 409
        note = {"id": len(notes) + 1, "text": data["text"]}
        notes.append(note)
        return note, 201, {"Location": url_for("get_note", note_id=note["id"])}

    @app.get("/notes/<int:note_id>")
    def get_note(note_id: int):
        notes = current_app.extensions["notes"]
        if not 1 <= note_id <= len(notes):
            return {"error": "no such note"}, 404
        return notes[note_id - 1]

    return app
