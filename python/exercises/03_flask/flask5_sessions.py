"""Sessions: a signed cookie, set safely, renewed at login, cleared at logout.

Flask's `session` (https://flask.palletsprojects.com/en/stable/api/#sessions) is a dict stored
*in a cookie*, signed with SECRET_KEY (itsdangerous): the client can read it (base64) but not
change it; a cookie signed with another key is ignored, the visitor is anonymous. So never put a
secret in it (no password, no hash), only what identifies the visitor: here the keys `user`
and `cart` (and Flask's own `_permanent`), nothing else.

The cookie's attributes (RFC 6265 §4.1.2, set through the config):
- `SESSION_COOKIE_HTTPONLY=True`: scripts on the page cannot read it (XSS cannot steal it).
- `SESSION_COOKIE_SECURE=True`: only sent over https.
- `SESSION_COOKIE_SAMESITE="Lax"`: not sent along with cross-site POSTs (a CSRF defence).
- `session.permanent = True` with `PERMANENT_SESSION_LIFETIME=timedelta(hours=8)`: the cookie
  gets an Expires 8 hours ahead instead of dying with the browser (Flask's default lifetime is
  31 days: too long for a shop login).

Login:
- One answer for every failure, `401 {"error": "wrong user or password"}`: telling "unknown
  user" apart from "wrong password" lets anyone test which accounts exist. That includes a
  body that is not JSON, and a user or password that is not a string (`{"password": 123}` is
  the same 401, not a 500).
- The time tells too: a wrong password costs one (slow, by design) hash check, so an unknown
  user must cost one as well. Check the password against a dummy hash when the user does not
  exist (the tests count the calls of `check_password_hash`: exactly one per login).
- Session fixation: whatever was in the session *before* login (something an attacker planted)
  must not survive into the logged-in session. `session.clear()`, then store what you keep on
  purpose (the cart) and the user.
- Passwords are checked with `werkzeug.security.check_password_hash` (constant-time).

The cart: `session["cart"].append(item)` changes a list *inside* the session; the session
object does not notice, and the cookie is not sent again. Store a new value instead
(`session.update(cart=[*old, item])`); Flask's docs also show `session.modified = True`.

Logout: `session.clear()`; Flask then deletes the cookie (an Expires in the past).

A note on the course's rule book: it refuses assignments through a name you imported
(`session["user"] = user`, `session.permanent = True`), because the same syntax would patch a
module. Write them with the methods instead: `session.update(user=user)`, `session.clear()`,
`setattr(session, "permanent", True)`.
"""

from flask import Flask, current_app, request, session
from werkzeug.security import check_password_hash


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # TODO: harden the cookie (Secure, SameSite=Lax, HttpOnly) and give sessions 8 hours.
    app.config.from_mapping(USERS={})
    app.config.from_mapping(config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set")

    # TODO: one error for every failure; clear the session (keep the cart); make it permanent.
    @app.post("/login")
    def login():
        data = request.get_json(silent=True) or {}
        user, password = data.get("user"), data.get("password")
        users = current_app.config["USERS"]
        if user not in users:
            return {"error": "unknown user"}, 401
        if not check_password_hash(users[user], password or ""):
            return {"error": "wrong password"}, 401
        session.update(user=user)
        return "", 204

    @app.get("/me")
    def me():
        if "user" not in session:
            return {"error": "not logged in"}, 401
        return {"user": session["user"]}

    # TODO: the second item gets lost.
    @app.post("/cart")
    def add_to_cart():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("item"), str):
            return {"error": "send JSON with an item"}, 400
        session.setdefault("cart", []).append(data["item"])
        return {"items": session["cart"]}, 201

    @app.get("/cart")
    def cart():
        return {"items": session.get("cart", [])}

    # TODO: a logout ends the whole session.
    @app.post("/logout")
    def logout():
        session.pop("user", None)
        return "", 204

    return app
