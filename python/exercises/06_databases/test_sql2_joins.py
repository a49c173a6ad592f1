import re
import sqlite3

import pytest

import sql2_joins as j

SCHEMA = """
CREATE TABLE customers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),
    status      TEXT NOT NULL CHECK (status IN ('paid', 'pending', 'refunded')),
    total_cents INTEGER NOT NULL
);
CREATE TABLE order_items (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    sku      TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
"""

CUSTOMERS = [
    (1, "Ada", "GB"),
    (2, "Bob", "US"),
    (3, "Cy", "US"),     # no orders at all
    (4, "Dee", "FR"),    # only a refunded and a pending order
    (5, "Eve", "US"),    # a paid order without items
    (6, "Ann", "GB"),
]
ORDERS = [
    (10, 1, "paid", 5000),
    (11, 1, "paid", 2500),
    (12, 2, "paid", 12000),
    (13, 4, "refunded", 9000),
    (14, 4, "pending", 100),
    (15, None, "paid", 700),   # a guest checkout
    (16, 5, "paid", 7500),
    (17, 6, "paid", 7500),
    (18, 2, "refunded", 300),
    (19, 6, "paid", 7500),     # the same total as Ann's other order
]
ITEMS = [
    (100, 10, "bolt", 2), (101, 10, "nut", 1),
    (102, 11, "gear", 4),
    (103, 12, "motor", 1),
    (104, 13, "belt", 5),
    (105, 15, "fuse", 1),
    (106, 17, "nut", 2), (107, 17, "bolt", 2),
    (108, 18, "cap", 9),
]


class RecordingConnection:
    def __init__(self, conn):
        self.conn = conn
        self.statements = []

    def execute(self, sql, parameters=()):
        self.statements.append(sql)
        return self.conn.execute(sql, parameters)


@pytest.fixture
def raw():
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", CUSTOMERS)
    conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ORDERS)
    conn.executemany("INSERT INTO order_items VALUES (?, ?, ?, ?)", ITEMS)
    yield conn
    conn.close()


@pytest.fixture
def conn(raw):
    return RecordingConnection(raw)


def test_paid_orders_with_customer_is_one_inner_join(conn):
    assert j.paid_orders_with_customer(conn) == [
        (10, "Ada", 5000), (11, "Ada", 2500), (12, "Bob", 12000), (16, "Eve", 7500),
        (17, "Ann", 7500), (19, "Ann", 7500),
    ]
    assert len(conn.statements) == 1, "one query with a JOIN, not one more query per order"


def test_report_lists_every_customer(conn):
    report = j.customer_report(conn)
    assert [row[1] for row in report] == ["Ada", "Ann", "Bob", "Cy", "Dee", "Eve"], (
        "every customer appears, ordered by name"
    )
    assert len(conn.statements) == 1


def test_report_counts_and_sums_only_paid_orders(conn):
    by_name = {row[1]: row for row in j.customer_report(conn)}
    assert by_name["Bob"] == (2, "Bob", 1, 12000, 1), "the refunded order does not count"
    assert by_name["Eve"] == (5, "Eve", 1, 7500, 0), "a paid order without items: 0 items"


def test_report_gives_zeros_not_nulls_nor_ones(conn):
    by_name = {row[1]: row for row in j.customer_report(conn)}
    assert by_name["Cy"] == (3, "Cy", 0, 0, 0), "no orders: COUNT(o.id) is 0, COALESCE the SUMs"
    assert by_name["Dee"] == (4, "Dee", 0, 0, 0), "only unpaid orders: the filter is in ON"


def test_report_does_not_fan_out(conn):
    by_name = {row[1]: row for row in j.customer_report(conn)}
    assert by_name["Ada"] == (1, "Ada", 2, 7500, 7), (
        "order 10 has two items: joining the items must not count its total twice"
    )
    assert by_name["Ann"] == (6, "Ann", 2, 15000, 4), (
        "two paid orders with the same total are two orders: SUM(DISTINCT ...) is not a fix"
    )


def test_report_orders_equal_names_by_id(raw, conn):
    raw.execute("INSERT INTO customers VALUES (0, 'Bob', 'CA')")
    report = j.customer_report(conn)
    assert [row[0] for row in report if row[1] == "Bob"] == [0, 2]
    assert (0, "Bob", 0, 0, 0) in report


def test_report_sql_breaks_name_ties_by_id(conn):
    # SQLite happens to hand equal names over in id order (it groups by id), so the data alone
    # cannot show a missing tie-break: read the ORDER BY of the statement.
    j.customer_report(conn)
    [sql] = conn.statements
    clause = re.split(r"(?i)\border\s+by\b", sql)[-1]
    terms = [re.sub(r"(?i)\s+(asc|collate\s+binary)\b", "", t).strip().split(".")[-1].lower()
             for t in clause.strip().rstrip(";").split(",")]
    assert len(terms) >= 2 and terms[0] in ("name", "2") and terms[1] in ("id", "1"), (
        f"ORDER BY {clause.strip()}: equal names need the id as a tie-break (ORDER BY c.name, c.id)"
    )


def test_report_of_an_empty_shop(raw, conn):
    raw.executescript("DELETE FROM order_items; DELETE FROM orders; DELETE FROM customers;")
    assert j.customer_report(conn) == []


@pytest.mark.parametrize("min_cents, expected", [
    pytest.param(7500, [("Ann", 15000), ("Bob", 12000), ("Ada", 7500), ("Eve", 7500)],
                 id="boundary-is-inclusive-ties-by-name"),
    pytest.param(7501, [("Ann", 15000), ("Bob", 12000)], id="just-above"),
    pytest.param(6000, [("Ann", 15000), ("Bob", 12000), ("Ada", 7500), ("Eve", 7500)],
                 id="sum-of-small-orders-counts"),
    pytest.param(15001, [], id="nobody"),
])
def test_big_spenders(conn, min_cents, expected):
    assert j.big_spenders(conn, min_cents) == expected
    assert len(conn.statements) == 1


def test_big_spenders_tied_on_revenue_come_by_name_not_id(raw, conn):
    raw.executescript("""
        DELETE FROM order_items; DELETE FROM orders; DELETE FROM customers;
        INSERT INTO customers VALUES (1, 'Zed', 'US'), (2, 'Amy', 'US'), (3, 'Max', 'GB');
        INSERT INTO orders VALUES (1, 1, 'paid', 500), (2, 2, 'paid', 500), (3, 3, 'paid', 900);
    """)
    assert j.big_spenders(conn, 100) == [("Max", 900), ("Amy", 500), ("Zed", 500)], (
        "revenue, highest first, then the name: ORDER BY revenue DESC, c.name"
    )


def test_big_spenders_ignore_unpaid_orders(raw, conn):
    raw.execute("INSERT INTO orders VALUES (21, 3, 'pending', 99999)")
    raw.execute("INSERT INTO orders VALUES (20, 5, 'refunded', 99999)")
    assert j.big_spenders(conn, 10000) == [("Ann", 15000), ("Bob", 12000)]


def test_big_spenders_bind_the_threshold(conn):
    j.big_spenders(conn, 7777)
    assert "7777" not in conn.statements[0]


def test_customers_without_paid_orders_despite_guest_orders(conn):
    assert j.customers_without_paid_orders(conn) == [3, 4], (
        "a guest order has customer_id NULL: NOT IN (..., NULL) is never true"
    )
    assert len(conn.statements) == 1


def test_customers_without_paid_orders_with_no_guests(raw, conn):
    raw.execute("DELETE FROM order_items WHERE order_id = 15")
    raw.execute("DELETE FROM orders WHERE id = 15")
    assert j.customers_without_paid_orders(conn) == [3, 4]


def test_revenue_by_country(conn):
    assert j.revenue_by_country(conn) == [("FR", 1, 0), ("GB", 2, 22500), ("US", 3, 19500)], (
        "every country, each customer counted once however many orders, 0 without revenue"
    )
    assert len(conn.statements) == 1


def test_revenue_by_country_counts_customers_not_names(raw, conn):
    raw.execute("INSERT INTO customers VALUES (7, 'Bob', 'US')")  # a second Bob, another person
    raw.execute("INSERT INTO orders VALUES (20, 7, 'paid', 1000)")
    assert j.revenue_by_country(conn) == [("FR", 1, 0), ("GB", 2, 22500), ("US", 4, 20500)], (
        "two customers with the same name are two customers: count their ids"
    )


@pytest.mark.parametrize("report", ["customer_report", "revenue_by_country"])
def test_counts_and_cents_are_integers(conn, report):
    rows = getattr(j, report)(conn)
    assert rows
    numbers = [value for row in rows for value in row if not isinstance(value, str)]
    assert all(type(value) is int for value in numbers), (
        f"money in cents is an int, never a float (SQLite's TOTAL() returns a float): {rows}"
    )
