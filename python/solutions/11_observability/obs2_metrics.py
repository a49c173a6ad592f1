"""Metrics: a request counter and a latency histogram, labelled so that they stay small.

Logs say what happened to one request; **metrics** say how the service behaves: how many
requests per second, how many fail, how slow the slowest 1% are. Prometheus scrapes
`GET /metrics` every few seconds and stores one time series per metric **and per combination of
label values** (https://prometheus.io/docs/concepts/data_model/). Labels are where metrics go
wrong: a label whose values are unbounded (a user id, a raw URL path with ids in it, an exact
status code sent by clients) creates a new series for every value, and the monitoring system
runs out of memory (https://prometheus.io/docs/practices/naming/#labels: "do not use labels to
store dimensions with high cardinality"). So label by:

- `route`: the route's TEMPLATE, `/orders/{order_id}`, never the path `/orders/42`. After
  `call_next`, FastAPI has put the matched route in `request.scope["route"]` (its `.path` is the
  template); a request that matched no route is labelled `UNMATCHED` (a scanner asking for a
  million random paths makes one series, not a million);
- `method`: one of `KNOWN_METHODS`, anything else `OTHER` (clients can send any token);
- `status`: the status CLASS, `2xx`, `4xx`, `5xx` (from the response's status code; an
  exception that escapes the endpoint is a `5xx`: count it, then re-raise it).

Two metrics (https://prometheus.io/docs/practices/instrumentation/), registered on the app's own
`CollectorRegistry` (never the global default `REGISTRY`: two apps in one process, or two
tests, would collide with "Duplicated timeseries"):

- `http_requests_total`, a `Counter` with labels `method`, `route`, `status`;
- `http_request_duration_seconds`, a `Histogram` with labels `method`, `route` and the buckets
  `LATENCY_BUCKETS` (the defaults stop at 10 s and are too coarse around typical API latencies;
  https://prometheus.io/docs/practices/histograms/). The duration is `clock()` after the
  response minus `clock()` before `call_next`: exactly two calls of the injected clock per
  request (`time.perf_counter` in production, a fake in the tests).

`GET /metrics` answers `generate_latest(registry)` with the content type `CONTENT_TYPE_LATEST`
(https://prometheus.io/docs/instrumenting/exposition_formats/), and is not itself counted:
scrapes every 15 s would otherwise dominate the request rate.

Docs: https://prometheus.github.io/client_python/ (instrumenting, labels, exporting).
"""

import time
from collections.abc import Callable

from fastapi import FastAPI, HTTPException, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNMATCHED = "UNMATCHED"
METRICS_PATH = "/metrics"


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by method, route template and status class.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )


def route_label(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else "OTHER"


def status_class(code: int) -> str:
    return f"{code // 100}xx"


def create_app(
    registry: CollectorRegistry | None = None, clock: Callable[[], float] = time.perf_counter
) -> FastAPI:
    app = FastAPI()
    registry = registry if registry is not None else CollectorRegistry()
    metrics = Metrics(registry)

    @app.middleware("http")
    async def measure(request: Request, call_next):
        if request.url.path == METRICS_PATH:
            return await call_next(request)
        start = clock()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
        finally:
            elapsed = clock() - start
            method = method_label(request.method)
            route = route_label(request)
            metrics.requests.labels(method=method, route=route, status=status_class(status)).inc()
            metrics.latency.labels(method=method, route=route).observe(elapsed)
        return response

    @app.get(METRICS_PATH)
    def metrics_endpoint() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/orders/{order_id}")
    def get_order(order_id: int) -> dict:
        if order_id > 100:
            raise HTTPException(404, detail="no such order")
        return {"id": order_id}

    @app.post("/orders")
    def create_order() -> dict:
        return {"id": 1}

    @app.get("/crash")
    def crash() -> dict:
        raise RuntimeError("the database went away")

    return app
