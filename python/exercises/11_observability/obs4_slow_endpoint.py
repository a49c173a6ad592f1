"""Profile it, then fix it: an endpoint slow by N+1 queries and a quadratic loop.

`GET /countries/{country}/report` lists the customers of a country with their number of orders,
their revenue and their most bought SKU. It gives the right answer, and it was fast on the
developer's laptop with 20 customers. In production, with 5,000, it times out. A profiler
(`python -m cProfile`, `py-spy top`, or an APM trace: https://docs.python.org/3/library/profile.html)
shows where the time goes, and it is the two classic causes:

1. **N+1 queries**: one query for the customers, then one per customer for its orders, then
   one per order for its items: 1 + N + M round trips, each with its own latency (~0.5 ms to a
   local database, more across a network). The fix is to let the database do the joining and
   the aggregating: a fixed number of queries whatever the number of customers
   (`JOIN`, `GROUP BY`, `LEFT JOIN` so customers without orders stay, `COUNT`, `SUM`,
   `COALESCE`; https://www.sqlite.org/lang_select.html). Beware of the **fan-out**: joining
   orders to their items repeats each order once per item, so `SUM(orders.total_cents)` over that
   join counts a total several times; aggregate orders and items in separate queries (or
   subqueries).
2. **A quadratic loop**: finding each SKU's running total by scanning a list of the totals so far
   is O(items x distinct SKUs); looking up rows of one list by scanning another for every element
   is O(n x m). A `dict` keyed by the id (or `collections.Counter`) makes each lookup O(1).

The tests never time anything (too flaky on a loaded machine): they count the statements the
database ran and the fields read from result rows (`shopdb.TracedDB`, the course's stand-in for
a tracing agent), and the Python lines your `build_report` executes, for a shop of 20 and of 80
customers: the counts must not grow faster than the data. The answer must stay the same:

- one entry per customer of the country, also those without orders (`orders` 0,
  `revenue_cents` 0, `top_sku` None);
- `top_sku`: the SKU with the largest total quantity over all the customer's orders, the
  smallest SKU name on a tie;
- sorted by `revenue_cents` descending, then `customer` (the name) ascending;
- parameters are bound (`?`), never formatted into the SQL.
"""

from typing import Any, Protocol

from fastapi import FastAPI, Request


class Database(Protocol):
    def execute(self, sql: str, params: tuple | list = ()) -> list[Any]: ...


def build_report(db: Database, country: str) -> list[dict]:
    # TODO: right answers, but 1 + customers + orders queries and a quadratic sort. Fix both.
    customers = db.execute("SELECT id, name FROM customers WHERE country = ?", (country,))
    report = []
    for customer in customers:
        orders = db.execute(
            "SELECT id, total_cents FROM orders WHERE customer_id = ?", (customer["id"],)
        )
        revenue = 0
        sku_totals: list[list] = []
        for order in orders:
            revenue += order["total_cents"]
            items = db.execute("SELECT sku, qty FROM order_items WHERE order_id = ?", (order["id"],))
            for item in items:
                for entry in sku_totals:
                    if entry[0] == item["sku"]:
                        entry[1] += item["qty"]
                        break
                else:
                    sku_totals.append([item["sku"], item["qty"]])
        top_sku = None
        top_qty = 0
        for sku, qty in sku_totals:
            if qty > top_qty or (qty == top_qty and top_sku is not None and sku < top_sku):
                top_sku, top_qty = sku, qty
        report.append(
            {
                "customer": customer["name"],
                "orders": len(orders),
                "revenue_cents": revenue,
                "top_sku": top_sku,
            }
        )
    # Keep the result sorted as it grows: each entry goes before the first one it sorts before.
    ordered: list[dict] = []
    for entry in report:
        position = 0
        while position < len(ordered) and (
            -ordered[position]["revenue_cents"], ordered[position]["customer"]
        ) <= (-entry["revenue_cents"], entry["customer"]):
            position += 1
        ordered.insert(position, entry)
    return ordered


def create_app(db: Database) -> FastAPI:
    app = FastAPI()
    app.state.db = db

    @app.get("/countries/{country}/report")
    def report(country: str, request: Request) -> list[dict]:
        return build_report(request.app.state.db, country)

    return app
