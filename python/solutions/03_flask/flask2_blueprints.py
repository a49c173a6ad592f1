"""Blueprints: one app, two parts with their own prefix, hooks and error format."""

import hmac

from flask import Blueprint, Flask, abort, current_app, jsonify, request, url_for

api = Blueprint("api", __name__, url_prefix="/api/v1")
admin = Blueprint("admin", __name__, url_prefix="/admin")


def books() -> dict[int, dict]:
    return current_app.extensions["books"]


@api.get("/books")
def list_books():
    return jsonify(list(books().values()))


@api.get("/books/<int:book_id>")
def get_book(book_id: int):
    if book_id not in books():
        abort(404)
    return books()[book_id]


@api.post("/books")
def add_book():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not data["title"]:
        return {"error": "send JSON with a title"}, 400
    book_id = max(books(), default=0) + 1
    books()[book_id] = {"id": book_id, "title": data["title"]}
    return books()[book_id], 201, {"Location": url_for("api.get_book", book_id=book_id)}


@api.errorhandler(404)
def api_not_found(error):
    return {"error": "not found"}, 404


@admin.before_request
def require_admin_token():
    expected = current_app.config.get("ADMIN_TOKEN")
    sent = request.headers.get("X-Admin-Token", "")
    # Fail closed: without a configured token nobody is an admin.
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403)


@admin.get("/stats")
def stats():
    return {"books": len(books())}


@admin.delete("/books/<int:book_id>")
def delete_book(book_id: int):
    if books().pop(book_id, None) is None:
        abort(404)
    return "", 204


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(ADMIN_TOKEN=None)
    app.config.from_mapping(config or {})
    app.extensions["books"] = {1: {"id": 1, "title": "Dune"}}
    app.register_blueprint(api)
    app.register_blueprint(admin)

    @app.get("/")
    def home():
        return "<h1>Bookshop</h1>"

    # A URL that matches no route never reaches a blueprint: the app decides its 404.
    @app.errorhandler(404)
    def not_found(error):
        if request.path == api.url_prefix or request.path.startswith(f"{api.url_prefix}/"):
            return {"error": "not found"}, 404
        return error

    return app
