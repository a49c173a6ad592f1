import itertools

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

import obs2_metrics as m


class FakeClock:
    """Each request reads the clock twice: before and after. `durations` are what they span."""

    def __init__(self, durations=(0.0,)):
        self.durations = itertools.cycle(durations)
        self.now = 1000.0
        self.calls = 0
        self.start = None

    def __call__(self):
        self.calls += 1
        if self.start is None:
            self.start = self.now
            return self.now
        self.now = self.start + next(self.durations)
        self.start = None
        return self.now


def make(durations=(0.0,)):
    registry = CollectorRegistry()
    clock = FakeClock(durations)
    client = TestClient(m.create_app(registry, clock), raise_server_exceptions=False)
    return client, clock


def scrape(client):
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"] == CONTENT_TYPE_LATEST
    found = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_total(found):
    return {
        labels: value for (name, labels), value in found.items() if name == "http_requests_total"
    }


def series(method, route, status):
    return (("method", method), ("route", route), ("status", status))


def test_requests_are_counted_by_route_template_not_path():
    client, _ = make()
    for order in (1, 2, 3):
        assert client.get(f"/orders/{order}").status_code == 200
    assert requests_total(scrape(client)) == {series("GET", "/orders/{order_id}", "2xx"): 3.0}


def test_status_is_a_class_and_each_class_is_its_own_series():
    client, _ = make()
    client.get("/orders/5")
    client.get("/orders/500")
    client.get("/orders/abc")
    client.post("/orders")
    assert requests_total(scrape(client)) == {
        series("GET", "/orders/{order_id}", "2xx"): 1.0,
        series("GET", "/orders/{order_id}", "4xx"): 2.0,
        series("POST", "/orders", "2xx"): 1.0,
    }


def test_unmatched_paths_share_one_series():
    client, _ = make()
    for path in ("/wp-admin", "/.env", "/orders/1/extra", "/x/y/z"):
        assert client.get(path).status_code == 404
    assert requests_total(scrape(client)) == {series("GET", "UNMATCHED", "4xx"): 4.0}


def test_unknown_methods_are_other():
    client, _ = make()
    assert client.request("PURGE", "/orders/1").status_code == 405
    assert client.request("BREW", "/orders/2").status_code == 405
    assert client.request("DELETE", "/orders/3").status_code == 405
    assert requests_total(scrape(client)) == {
        series("OTHER", "/orders/{order_id}", "4xx"): 2.0,
        series("DELETE", "/orders/{order_id}", "4xx"): 1.0,
    }


def test_a_crash_is_counted_as_5xx_and_still_answers_500():
    client, clock = make([0.2])
    r = client.get("/crash")
    assert r.status_code == 500
    found = scrape(client)
    assert requests_total(found) == {series("GET", "/crash", "5xx"): 1.0}
    labels = (("method", "GET"), ("route", "/crash"))
    assert found[("http_request_duration_seconds_count", labels)] == 1.0
    assert found[("http_request_duration_seconds_sum", labels)] == pytest.approx(0.2)


def test_scrapes_are_not_counted():
    client, clock = make()
    scrape(client)
    scrape(client)
    assert requests_total(scrape(client)) == {}
    assert clock.calls == 0, "the clock is not read for /metrics"


def test_the_latency_histogram_uses_the_app_s_buckets():
    client, clock = make([0.003, 0.03, 0.3, 7.0])
    for order in (1, 2, 3, 4):
        client.get(f"/orders/{order}")
    assert clock.calls == 8, "two clock readings per request"
    found = scrape(client)
    labels = (("method", "GET"), ("route", "/orders/{order_id}"))
    buckets = {
        dict(key)["le"]: value
        for (name, key), value in found.items()
        if name == "http_request_duration_seconds_bucket"
        and dict(key)["route"] == "/orders/{order_id}"
    }
    assert buckets == {
        "0.005": 1.0, "0.01": 1.0, "0.025": 1.0, "0.05": 2.0, "0.1": 2.0, "0.25": 2.0,
        "0.5": 3.0, "1.0": 3.0, "2.5": 3.0, "5.0": 3.0, "+Inf": 4.0,
    }
    assert found[("http_request_duration_seconds_sum", labels)] == pytest.approx(7.333)
    assert found[("http_request_duration_seconds_count", labels)] == 4.0


def test_the_histogram_has_no_status_label():
    client, _ = make([0.1])
    client.get("/orders/1")
    client.get("/orders/999")
    found = scrape(client)
    label_sets = {
        key
        for (name, key), _ in found.items()
        if name == "http_request_duration_seconds_count"
    }
    assert label_sets == {(("method", "GET"), ("route", "/orders/{order_id}"))}


def test_each_app_has_its_own_registry():
    first, _ = make()
    second, _ = make()
    first.get("/orders/1")
    first.get("/orders/1")
    second.get("/orders/1")
    assert requests_total(scrape(first)) == {series("GET", "/orders/{order_id}", "2xx"): 2.0}
    assert requests_total(scrape(second)) == {series("GET", "/orders/{order_id}", "2xx"): 1.0}
    assert not any(
        family.name.startswith("http_request") for family in REGISTRY.collect()
    ), "nothing on the global default registry"


def test_the_exposition_declares_the_metric_types():
    client, _ = make()
    client.get("/orders/1")
    text = client.get("/metrics").text
    assert "# TYPE http_requests_total counter" in text
    assert "# TYPE http_request_duration_seconds histogram" in text
