"""CORS by hand: an exact allow-list, credentials never with `*`, `Vary: Origin`, preflights.

The browser's same-origin policy keeps a script on https://evil.example from READING responses of
https://api.example.com. CORS (the Fetch standard, https://fetch.spec.whatwg.org/#http-cors-protocol)
is how a server relaxes that for origins it trusts. It is not access control on the server: a
request from a refused origin may still arrive and run (so state-changing endpoints still need
authentication and CSRF defences); CORS only decides whether the browser lets the page see the
answer, and whether it sends non-simple requests at all.

The rules this middleware implements (MDN: https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS):

- An **origin** is `scheme://host[:port]`, serialized by the browser in the `Origin` header. Allow
  it by EXACT string comparison against `ALLOWED_ORIGINS`. No `endswith("app.example.com")` (it
  matches `https://evil-app.example.com`), no `startswith` (`https://app.example.com.evil.net`),
  no regular expression without anchors, no reflecting whatever arrives, and never the literal
  origin `null` (sandboxed iframes and `file:` pages send it: anyone can produce it). The scheme
  and the port are part of the origin: `http://app.example.com` is another origin.
- `/api/...` is CREDENTIALED (cookies): for an allowed origin, answer
  `Access-Control-Allow-Origin: <that exact origin>` and `Access-Control-Allow-Credentials: true`.
  The wildcard `*` is forbidden with credentials (browsers refuse it, and reflecting any origin
  with credentials hands every site your users' data).
- `/public/...` is public, uncredentialed data: `Access-Control-Allow-Origin: *`, and no
  `Access-Control-Allow-Credentials`.
- **`Vary: Origin`** on EVERY `/api/` response, allowed origin or not, Origin header or not: the
  answer depends on the Origin header, and a shared cache that ignores that serves one origin's
  CORS headers to another (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches). Add
  `Origin` to a `Vary` the endpoint already set (`Accept-Encoding, Origin`); do not replace it,
  and do not add it again when it already lists `Origin` (in any case).
- Actual responses for an allowed origin also expose `X-Request-Id` to the page:
  `Access-Control-Expose-Headers: X-Request-Id`.
- A **preflight** is an `OPTIONS` request carrying `Origin` AND `Access-Control-Request-Method`
  (an OPTIONS without the latter is an ordinary request for the app). The middleware answers it
  itself; it never reaches an endpoint. It succeeds (204) only for an `/api/` path, when the
  origin is allowed, the requested method is in `ALLOWED_METHODS` (methods are case-sensitive:
  `patch` is not `PATCH`), and every name in `Access-Control-Request-Headers` (a comma-separated
  list; header names are case-insensitive, so compare lowercased, ignoring spaces and empty
  items) is in `ALLOWED_HEADERS`. A successful preflight answers `Access-Control-Allow-Origin` (the origin),
  `Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Methods` and
  `Access-Control-Allow-Headers` (the allowed lists, comma-separated, never `*`: with credentials
  `*` is taken literally) and `Access-Control-Max-Age: 600`. A refused preflight answers 403
  with NO `Access-Control-Allow-*` header at all. Both carry `Vary: Origin`.

Framework equivalents: Starlette/FastAPI `CORSMiddleware(allow_origins=[...],
allow_credentials=True, ...)`, Flask-CORS, django-cors-headers (`CORS_ALLOWED_ORIGINS`). Know
what they do before you configure them: `allow_origins=["*"]` with `allow_credentials=True`
makes Starlette reflect any origin. OWASP: HTML5 Security Cheat Sheet, "Cross Origin Resource
Sharing".
"""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

ALLOWED_ORIGINS = frozenset({"https://app.example.com", "https://admin.example.com"})
ALLOWED_METHODS = ("GET", "POST", "PUT", "DELETE")
ALLOWED_HEADERS = ("authorization", "content-type", "x-request-id")
MAX_AGE = "600"


def add_vary_origin(response: Response) -> None:
    # TODO: add "Origin" to the response's Vary header, keeping what is there.
    pass


def requested_headers(value: str) -> list[str]:
    # TODO: header names are case-insensitive; ignore spaces and empty items.
    return value.split(",")


def preflight(request: Request) -> Response:
    # TODO: 204 with the allow headers only for an /api/ path, an allowed origin, an allowed
    # method and allowed headers; 403 without any Access-Control-Allow-* header otherwise.
    response = Response(status_code=204)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "*"
    response.headers["Access-Control-Allow-Headers"] = "*"
    return response


def create_app() -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def cors(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        origin = request.headers.get("origin")
        # TODO: only an OPTIONS request with Access-Control-Request-Method is a preflight.
        if request.method == "OPTIONS":
            return preflight(request)
        response = await call_next(request)
        # TODO: /public/ gets "*" without credentials; /api/ gets Vary: Origin always, and the
        # exact origin with credentials (and the exposed header) only for an allowed origin.
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    # The endpoints (already written). `calls` records what ran, for the tests.
    app.state.calls = []

    @app.get("/api/orders")
    def list_orders(request: Request, response: Response) -> list[dict]:
        request.app.state.calls.append("GET /api/orders")
        response.headers["X-Request-Id"] = "req-1"
        response.headers["Vary"] = "Accept-Encoding"
        return [{"id": 1, "total": "12.50"}]

    @app.delete("/api/orders/{order_id}", status_code=204)
    def delete_order(order_id: int, request: Request) -> None:
        request.app.state.calls.append(f"DELETE /api/orders/{order_id}")

    @app.options("/api/orders")
    def orders_options(request: Request) -> Response:
        request.app.state.calls.append("OPTIONS /api/orders")
        return Response(status_code=200, headers={"Allow": "GET, OPTIONS"})

    @app.get("/public/status")
    def status(request: Request) -> dict:
        request.app.state.calls.append("GET /public/status")
        return {"status": "ok"}

    return app
