"""The bookshop API your tests in flask3_test_client.py exercise. Read it; do not edit it.

The course hands your tests a fresh app per test through the fixture `app` (like a conftest.py
would). Endpoints:

- `POST /login`, JSON `{"user": ..., "password": ...}`: 204 and a session cookie; a wrong user
  or password is 401 (and no session).
- `GET /books`: 200, a JSON list sorted by id. `GET /books?author=austen` keeps the books whose
  author matches, case-insensitively.
- `GET /books/<id>`: 200 with the book, 404 when there is none.
- `POST /books` (logged in), JSON `{"title": ..., "author": ...}` (both strings with at least one
  character that is not whitespace): 201, the book as JSON with its new id (one more than the
  highest id in the shop: 4 after the seed), `Location: /books/<id>`. Not logged in: 401. A bad
  body: 400, and nothing is stored.
- `DELETE /books/<id>` (logged in): 204 with an empty body; 404 when there is none; 401 when
  not logged in.

Seed data: 1 "Dune" by Frank Herbert, 2 "Emma" by Jane Austen, 3 "Persuasion" by Jane Austen.
User: "ada" with password "lovelace".
"""

from flask import Flask, abort, current_app, jsonify, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

USERS = {"ada": generate_password_hash("lovelace", method="pbkdf2:sha256:1000")}
# Checked when the user does not exist, so both failures take the same time.
DUMMY_HASH = generate_password_hash("dummy", method="pbkdf2:sha256:1000")


def seed() -> dict[int, dict]:
    return {
        1: {"id": 1, "title": "Dune", "author": "Frank Herbert"},
        2: {"id": 2, "title": "Emma", "author": "Jane Austen"},
        3: {"id": 3, "title": "Persuasion", "author": "Jane Austen"},
    }


def books() -> dict[int, dict]:
    return current_app.extensions["books"]


def require_login() -> None:
    if "user" not in session:
        abort(401)


def login():
    data = request.get_json(silent=True) or {}
    user, password = data.get("user"), data.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        return {"error": "user and password required"}, 401
    stored = USERS.get(user, DUMMY_HASH)
    if not check_password_hash(stored, password) or user not in USERS:
        return {"error": "wrong user or password"}, 401
    session.clear()
    session["user"] = user
    return "", 204


def list_books():
    author = request.args.get("author")
    found = [b for _, b in sorted(books().items())]
    if author is not None:
        found = [b for b in found if author.casefold() in b["author"].casefold()]
    return jsonify(found)


def get_book(book_id: int):
    if book_id not in books():
        return {"error": "no such book"}, 404
    return books()[book_id]


def valid_text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def create_book():
    require_login()
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not valid_text(data.get("title")) or not valid_text(data.get("author")):
        return {"error": "title and author are required"}, 400
    book_id = max(books(), default=0) + 1
    book = {"id": book_id, "title": data["title"], "author": data["author"]}
    books()[book_id] = book
    return book, 201, {"Location": url_for("get_book", book_id=book_id)}


def delete_book(book_id: int):
    require_login()
    if books().pop(book_id, None) is None:
        return {"error": "no such book"}, 404
    return "", 204


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="bookshop-tests", TESTING=True)
    app.extensions["books"] = seed()
    app.add_url_rule("/login", view_func=login, methods=["POST"])
    app.add_url_rule("/books", view_func=list_books, methods=["GET"])
    app.add_url_rule("/books", view_func=create_book, methods=["POST"])
    app.add_url_rule("/books/<int:book_id>", view_func=get_book, methods=["GET"])
    app.add_url_rule("/books/<int:book_id>", view_func=delete_book, methods=["DELETE"])
    return app
