"""Sessions: a signed cookie, set safely, renewed at login, cleared at logout."""

from datetime import timedelta

from flask import Flask, current_app, request, session
from werkzeug.security import check_password_hash

# Checked when the user is unknown, so an unknown user costs the same time as a wrong password.
DUMMY_HASH = "pbkdf2:sha256:1000$dummysalt$" + "0" * 64


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        USERS={},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    app.config.from_mapping(config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set")

    @app.post("/login")
    def login():
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
        user, password = data.get("user"), data.get("password")
        users = current_app.config["USERS"]
        if not isinstance(user, str) or not isinstance(password, str):
            return {"error": "wrong user or password"}, 401
        stored = users.get(user, DUMMY_HASH)
        if not check_password_hash(stored, password) or user not in users:
            return {"error": "wrong user or password"}, 401
        cart = list(session.get("cart", []))
        session.clear()  # a new session at login: nothing planted before it survives
        session.update(cart=cart)
        session.update(user=user)
        setattr(session, "permanent", True)
        return "", 204

    @app.get("/me")
    def me():
        if "user" not in session:
            return {"error": "not logged in"}, 401
        return {"user": session["user"]}

    @app.post("/cart")
    def add_to_cart():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("item"), str):
            return {"error": "send JSON with an item"}, 400
        # A new list, not an append to the stored one: a change *inside* a value is invisible
        # to the session, which then sends no new cookie.
        session.update(cart=[*session.get("cart", []), data["item"]])
        return {"items": session["cart"]}, 201

    @app.get("/cart")
    def cart():
        return {"items": session.get("cart", [])}

    @app.post("/logout")
    def logout():
        session.clear()
        return "", 204

    return app
