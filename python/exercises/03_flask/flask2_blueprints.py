"""Blueprints: one app, two parts with their own prefix, hooks and error format.

A Blueprint (https://flask.palletsprojects.com/en/stable/blueprints/) is a set of routes,
hooks and error handlers recorded now and registered on an app later
(`app.register_blueprint(bp)`), so one module can serve many apps built by a factory.

- `Blueprint("api", <import name>, url_prefix="/api/v1")`: every route of the blueprint lives under
  the prefix, and its endpoints are named `"api.<function>"`. Build URLs with
  `url_for("api.get_book", book_id=7)`, never by hand: the prefix can change.
- `@admin.before_request` runs before the views *of that blueprint only*.
  `@app.before_request` (or `@bp.before_app_request`) would guard the whole site.
- `@api.errorhandler(404)` formats the errors raised *inside the API's views* (`abort(404)`).
  A URL that matches no route at all (`/api/v1/nothing-here`) never reaches a blueprint: only
  an app-level handler (`@app.errorhandler(404)`, registered in the factory) sees it, and it
  can tell API paths by their prefix. Everything else keeps Flask's default HTML 404 (an
  error handler may `return error` to fall back to it).

The admin part is guarded by the header `X-Admin-Token`, compared with `hmac.compare_digest`
against `ADMIN_TOKEN` from the config (the tests' token refuses `==` and `!=`). Fail closed: with
no token configured, nobody is admin.
Refusals are 403 (this is no HTTP authentication scheme, so no 401 challenge).

API errors are JSON: `{"error": "not found"}`.
"""

from flask import Blueprint, Flask, abort, current_app, jsonify, request

# TODO: the API lives under /api/v1, the admin part under /admin.
api = Blueprint("api", __name__)
admin = Blueprint("admin", __name__)


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
    # TODO: build the Location with url_for.
    return books()[book_id], 201, {"Location": f"/books/{book_id}"}


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
    app.config.from_mapping(ADMIN_TOKEN="change-me")  # TODO: no default token
    app.config.from_mapping(config or {})
    app.extensions["books"] = {1: {"id": 1, "title": "Dune"}}
    app.register_blueprint(api)
    app.register_blueprint(admin)

    # TODO: this guards every URL of the site. Guard the admin blueprint only (and compare
    # with hmac.compare_digest).
    @app.before_request
    def require_admin_token():
        if request.headers.get("X-Admin-Token") != app.config["ADMIN_TOKEN"]:
            abort(403)

    @app.get("/")
    def home():
        return "<h1>Bookshop</h1>"

    # TODO: JSON 404s for the API: inside its views, and for API paths that match no route.

    return app
