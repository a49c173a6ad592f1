import pytest
from fastapi import Request, Response
from fastapi.testclient import TestClient

from security2_cors import create_app

APP = "https://app.example.com"
ADMIN = "https://admin.example.com"
ALLOW_HEADERS = {
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
}


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
def client(app):
    return TestClient(app)


def cors_headers(response):
    return {k: v for k, v in response.headers.items() if k.lower() in ALLOW_HEADERS}


def vary(response):
    return [item.strip().lower() for item in response.headers.get("vary", "").split(",")]


def preflight(client, method="DELETE", headers=None, origin=APP, path="/api/orders"):
    h = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        h["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=h)


# Actual requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("origin", [APP, ADMIN])
def test_an_allowed_origin_is_echoed_exactly_with_credentials(client, origin):
    r = client.get("/api/orders", headers={"Origin": origin})
    assert r.status_code == 200
    assert cors_headers(r) == {
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "X-Request-Id",
    }


def test_vary_origin_is_added_to_the_endpoint_s_vary(client):
    r = client.get("/api/orders", headers={"Origin": APP})
    assert r.headers["vary"] == "Accept-Encoding, Origin", "append Origin, keep Accept-Encoding"


@pytest.mark.parametrize("endpoint_vary", ["Origin", "origin, Accept-Encoding", "Accept-Encoding , ORIGIN"])
@pytest.mark.parametrize("origin", [APP, "https://evil.example", None])
def test_vary_origin_is_never_listed_twice(app, client, endpoint_vary, origin):
    @app.get("/api/cached")
    def cached(response: Response) -> dict:
        response.headers["Vary"] = endpoint_vary
        return {}

    r = client.get("/api/cached", headers={} if origin is None else {"Origin": origin})
    assert r.status_code == 200
    assert r.headers["vary"] == endpoint_vary, (
        "the endpoint's Vary already names Origin (in any case): keep it as it is, do not add it again"
    )


@pytest.mark.parametrize("endpoint_vary", ["X-Origin-Token", "Accept-Encoding, Origin-Agent-Cluster", "Originator"])
def test_vary_items_are_compared_whole_not_as_substrings(app, client, endpoint_vary):
    # "X-Origin-Token" contains the text "origin" but is another header: Origin must be added.
    @app.get("/api/cached")
    def cached(response: Response) -> dict:
        response.headers["Vary"] = endpoint_vary
        return {}

    r = client.get("/api/cached", headers={"Origin": APP})
    assert r.status_code == 200
    assert r.headers["vary"] == endpoint_vary + ", Origin"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil-app.example.com",  # endswith("app.example.com")
        "https://app.example.com.evil.net",  # startswith
        "https://sub.app.example.com",  # a subdomain is another origin
        "http://app.example.com",  # the scheme is part of the origin
        "https://app.example.com:8443",  # and so is the port
        "https://app.example.com/",  # an origin has no path
        "HTTPS://APP.EXAMPLE.COM",  # browsers serialize origins lowercased: compare exactly
        "https://APP.example.com",
        "https://example.com",
        "null",  # sandboxed iframes, file: pages
        "",
    ],
)
def test_any_other_origin_gets_no_cors_headers_but_still_vary(app, client, origin):
    r = client.get("/api/orders", headers={"Origin": origin})
    assert r.status_code == 200, "CORS does not block the request: it decides what the page reads"
    assert cors_headers(r) == {}
    assert "origin" in vary(r), "the response depends on Origin: caches must know"
    assert app.state.calls == ["GET /api/orders"]


def test_no_origin_no_cors_headers_but_vary(client):
    r = client.delete("/api/orders/3")
    assert r.status_code == 204
    assert cors_headers(r) == {}
    assert r.headers.get("vary") == "Origin"


def test_a_credentialed_response_never_uses_the_wildcard(client):
    for origin in (APP, "https://evil.example"):
        r = client.get("/api/orders", headers={"Origin": origin, "Cookie": "session=abc"})
        assert r.headers.get("access-control-allow-origin") != "*"


def test_public_data_is_open_to_every_origin_without_credentials(client):
    r = client.get("/public/status", headers={"Origin": "https://anyone.example"})
    assert r.status_code == 200
    assert r.headers.get("access-control-allow-origin") == "*"
    assert "access-control-allow-credentials" not in r.headers


# Preflights ---------------------------------------------------------------------------------


def test_an_allowed_preflight_is_answered_by_the_middleware(app, client):
    r = preflight(client, "DELETE", "authorization", path="/api/orders/7")
    assert r.status_code == 204
    assert cors_headers(r) == {
        "access-control-allow-origin": APP,
        "access-control-allow-credentials": "true",
        "access-control-allow-methods": "GET, POST, PUT, DELETE",
        "access-control-allow-headers": "authorization, content-type, x-request-id",
        "access-control-max-age": "600",
    }
    assert "origin" in vary(r)
    assert app.state.calls == [], "a preflight never reaches an endpoint"


@pytest.mark.parametrize(
    "requested",
    [
        None,
        "content-type",
        "Content-Type, X-Request-ID",
        "authorization,content-type,x-request-id",
        "content-type,,authorization",
        "  AUTHORIZATION  ",
    ],
)
def test_requested_headers_are_compared_case_insensitively(app, client, requested):
    r = preflight(client, "PUT", requested, origin=ADMIN)
    assert r.status_code == 204, requested
    assert r.headers["access-control-allow-origin"] == ADMIN
    assert app.state.calls == []


@pytest.mark.parametrize(
    "origin, method, requested",
    [
        ("https://evil.example", "GET", None),
        ("https://evil-app.example.com", "DELETE", None),
        ("null", "DELETE", None),
        ("HTTPS://APP.EXAMPLE.COM", "DELETE", None),
        ("https://Admin.Example.com", "GET", None),
        (APP, "PATCH", None),
        (APP, "TRACE", None),
        (APP, "delete", None),
        (ADMIN, "get", None),
        (APP, "DELETE", "x-admin"),
        (APP, "DELETE", "content-type, x-admin"),
        (APP, "DELETE", "*"),
    ],
)
def test_a_refused_preflight_is_403_without_any_allow_header(app, client, origin, method, requested):
    r = preflight(client, method, requested, origin=origin)
    assert r.status_code == 403
    assert cors_headers(r) == {}
    assert "origin" in vary(r)
    assert app.state.calls == []


def test_a_preflight_outside_the_api_is_refused(app, client):
    r = preflight(client, "GET", None, path="/public/status")
    assert r.status_code == 403
    assert cors_headers(r) == {}


@pytest.fixture
def app_with_api_lookalikes(app):
    # Paths that start with the text "/api" but are not under /api/.
    @app.get("/apidocs")
    def apidocs(request: Request) -> dict:
        request.app.state.calls.append("GET /apidocs")
        return {}

    @app.get("/api-internal/{name}")
    def internal(name: str, request: Request) -> dict:
        request.app.state.calls.append(f"GET /api-internal/{name}")
        return {}

    return app


@pytest.mark.parametrize("path", ["/apidocs", "/api-internal/x", "/api"])
def test_a_preflight_to_a_path_that_only_starts_with_api_is_refused(app_with_api_lookalikes, client, path):
    r = preflight(client, "GET", None, path=path)
    assert r.status_code == 403, "the credentialed area is /api/ (with the slash), not every /api* path"
    assert cors_headers(r) == {}
    assert app_with_api_lookalikes.state.calls == []


@pytest.mark.parametrize("path", ["/apidocs", "/api-internal/x"])
def test_a_path_that_only_starts_with_api_gets_no_credentialed_cors(app_with_api_lookalikes, client, path):
    r = client.get(path, headers={"Origin": APP, "Cookie": "session=abc"})
    assert r.status_code == 200
    assert cors_headers(r) == {}, "only /api/... is credentialed"
    assert app_with_api_lookalikes.state.calls == [f"GET {path}"]


def test_an_options_request_without_a_requested_method_is_not_a_preflight(app, client):
    r = client.options("/api/orders", headers={"Origin": APP})
    assert r.status_code == 200
    assert r.headers["allow"] == "GET, OPTIONS"
    assert app.state.calls == ["OPTIONS /api/orders"]


def test_an_options_request_without_an_origin_is_not_a_preflight(app, client):
    # Not from a browser's CORS machinery (no Origin): an ordinary OPTIONS for the app.
    r = client.options("/api/orders", headers={"Access-Control-Request-Method": "GET"})
    assert r.status_code == 200
    assert r.headers["allow"] == "GET, OPTIONS"
    assert cors_headers(r) == {}
    assert app.state.calls == ["OPTIONS /api/orders"], "a preflight needs Origin AND the method"
