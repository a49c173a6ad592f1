import sys
from collections import Counter

import pytest
from fastapi.testclient import TestClient

import obs4_slow_endpoint as m
from shopdb import shop


def expected(db, country):
    """The report computed the obvious way, straight from SQLite (not traced)."""
    conn = db._conn
    rows = []
    for cid, name in conn.execute("SELECT id, name FROM customers WHERE country = ?", (country,)):
        orders = conn.execute("SELECT id, total_cents FROM orders WHERE customer_id = ?", (cid,)).fetchall()
        skus = Counter()
        for oid, _ in orders:
            for sku, qty in conn.execute("SELECT sku, qty FROM order_items WHERE order_id = ?", (oid,)):
                skus[sku] += qty
        top = min(skus, key=lambda s: (-skus[s], s)) if skus else None
        rows.append({"customer": name, "orders": len(orders), "revenue_cents": sum(t for _, t in orders), "top_sku": top})
    return sorted(rows, key=lambda r: (-r["revenue_cents"], r["customer"]))


def traced_lines(function, *args):
    """Runs function(*args), counting the Python lines executed in the exercise's module."""
    filename = m.__file__
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != filename:
            return None
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(*args)
    finally:
        sys.settrace(previous)
    return result, count


@pytest.mark.parametrize("size", [5, 20, 80])
def test_the_report_is_right(size):
    db = shop(size)
    assert m.build_report(db, "FR") == expected(db, "FR")
    assert m.build_report(db, "DE") == expected(db, "DE")


def test_customers_without_orders_are_listed_with_zeros():
    db = shop(4)
    report = m.build_report(db, "FR")
    assert {"customer": "FR-customer-0000", "orders": 0, "revenue_cents": 0, "top_sku": None} in report
    assert len(report) == 4


def test_revenue_is_not_multiplied_by_the_items_of_an_order():
    db = shop(0)
    db.seed(
        [(1, "ann", "FR"), (2, "bob", "FR")],
        [(1, 1, 500), (2, 2, 700)],
        [(1, "A", 1), (1, "B", 1), (1, "C", 1), (2, "A", 2), (2, "B", 2)],
    )
    assert m.build_report(db, "FR") == [
        {"customer": "bob", "orders": 1, "revenue_cents": 700, "top_sku": "A"},
        {"customer": "ann", "orders": 1, "revenue_cents": 500, "top_sku": "A"},
    ]


def test_ties_sort_by_name_and_pick_the_smallest_sku():
    db = shop(0)
    db.seed(
        [(1, "zoe", "FR"), (2, "amy", "FR"), (3, "max", "DE")],
        [(1, 1, 100), (2, 2, 150), (3, 1, 50), (4, 3, 900)],
        [(1, "Z", 2), (1, "M", 1), (3, "M", 1), (2, "B", 1), (2, "A", 1), (4, "A", 9)],
    )
    assert m.build_report(db, "FR") == [
        {"customer": "amy", "orders": 1, "revenue_cents": 150, "top_sku": "A"},
        {"customer": "zoe", "orders": 2, "revenue_cents": 150, "top_sku": "M"},
    ]


def test_a_fixed_number_of_queries_whatever_the_number_of_customers():
    small, large = shop(20), shop(80)
    m.build_report(small, "FR")
    m.build_report(large, "FR")
    assert len(small.queries) == len(large.queries), "the number of queries grows with the data: N+1"
    assert len(large.queries) <= 3, f"{len(large.queries)} queries for one report"


def test_parameters_are_bound():
    db = shop(3)
    m.build_report(db, "FR")
    for sql, params in db.queries:
        assert "'FR'" not in sql and '"FR"' not in sql, sql
    assert any("FR" in params for _, params in db.queries), "the country is a bound parameter"


def test_each_row_field_is_read_a_bounded_number_of_times():
    small, large = shop(20), shop(80)
    m.build_report(small, "FR")
    m.build_report(large, "FR")
    assert large.reads <= 5 * small.reads, "reads grow faster than the data"
    assert large.reads <= 1200, f"{large.reads} field reads for 80 customers"


def test_the_python_work_grows_linearly():
    _, small = traced_lines(m.build_report, shop(20), "FR")
    _, large = traced_lines(m.build_report, shop(80), "FR")
    assert large <= 5 * small, f"{small} lines for 20 customers, {large} for 80: quadratic"


def test_the_endpoint_answers_the_report():
    db = shop(6)
    client = TestClient(m.create_app(db))
    r = client.get("/countries/DE/report")
    assert r.status_code == 200
    assert r.json() == expected(db, "DE")
    assert client.get("/countries/XX/report").json() == []
