"""The course's traced shop database for obs4_slow_endpoint (read it, do not edit it).

`TracedDB` wraps an in-memory SQLite database the way an APM agent or
`sqlite3.Connection.set_trace_callback` would: every statement is recorded (`queries`), and every
field read from a result row is counted (`reads`). The tests judge the report by these counts,
never by wall time (which depends on the machine and its load).
"""

import sqlite3
from typing import Any

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total_cents INTEGER NOT NULL
);
CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id),
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX items_order ON order_items (order_id);
"""


class Row:
    """A result row: `row["name"]` (or `row[0]`), `row.keys()`. Each field read is counted."""

    def __init__(self, db: "TracedDB", names: list[str], values: tuple) -> None:
        self._db = db
        self._names = names
        self._values = values

    def __getitem__(self, key: str | int) -> Any:
        self._db._reads += 1
        if isinstance(key, int):
            return self._values[key]
        return self._values[self._names.index(key)]

    def keys(self) -> list[str]:
        return list(self._names)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values))!r})"


class TracedDB:
    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.executescript(SCHEMA)
        self._queries: list[tuple[str, tuple]] = []
        self._reads = 0

    def execute(self, sql: str, params: tuple | list = ()) -> list[Row]:
        """Runs one statement and returns all its rows."""
        self._queries.append((" ".join(sql.split()), tuple(params)))
        cursor = self._conn.execute(sql, tuple(params))
        names = [column[0] for column in cursor.description or ()]
        return [Row(self, names, values) for values in cursor.fetchall()]

    @property
    def queries(self) -> tuple[tuple[str, tuple], ...]:
        return tuple(self._queries)

    @property
    def reads(self) -> int:
        return self._reads

    def reset_counts(self) -> None:
        self._queries.clear()
        self._reads = 0

    def seed(self, customers: list[tuple], orders: list[tuple], items: list[tuple]) -> None:
        self._conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", customers)
        self._conn.executemany("INSERT INTO orders VALUES (?, ?, ?)", orders)
        self._conn.executemany("INSERT INTO order_items VALUES (?, ?, ?)", items)
        self._conn.commit()


def shop(customers_per_country: int, countries: tuple[str, ...] = ("FR", "DE")) -> TracedDB:
    """A deterministic shop: customer i has i % 4 orders of 1 to 3 items each."""
    db = TracedDB()
    customers, orders, items = [], [], []
    order_id = 0
    for country in countries:
        for n in range(customers_per_country):
            cid = len(customers) + 1
            customers.append((cid, f"{country}-customer-{n:04d}", country))
            for k in range(n % 4):
                order_id += 1
                orders.append((order_id, cid, 1000 + 37 * ((cid * 7 + k) % 50)))
                for j in range(1 + (order_id % 3)):
                    items.append((order_id, f"SKU-{(cid + j * 3 + k) % 9}", 1 + (order_id + j) % 4))
    db.seed(customers, orders, items)
    return db
