"""Joins and aggregates: a report where the rows without children must appear.

The tests give you a `sqlite3.Connection` to a shop:

    customers   (id, name, country)
    orders      (id, customer_id NULL for a guest checkout, status 'paid' | 'pending' |
                 'refunded', total_cents)
    order_items (id, order_id, sku, quantity)

Each function is ONE query (the tests count them): the database joins and aggregates, Python
does not loop over rows issuing more queries.

1. **INNER JOIN keeps only the rows that match on both sides; LEFT JOIN keeps every row of the
   left table**, with NULLs for a missing right side. A report "for every customer" is a LEFT
   JOIN from customers. https://www.sqlite.org/lang_select.html#the_from_clause
2. **Where the condition goes matters.** With a LEFT JOIN, a condition on the right table in
   `WHERE` (`WHERE o.status = 'paid'`) throws away the NULL-extended rows: the join is an inner
   join again. Put it in the `ON` clause: `LEFT JOIN orders o ON o.customer_id = c.id AND
   o.status = 'paid'`.
3. **Aggregates skip NULLs.** `COUNT(*)` counts the NULL-extended row of a customer without
   orders as 1; `COUNT(o.id)` counts 0. `SUM` over no values is NULL, not 0: `COALESCE(SUM(x), 0)`.
4. **GROUP BY / HAVING.** `WHERE` filters rows before grouping, `HAVING` filters groups after
   (it can use aggregates). https://www.sqlite.org/lang_select.html#resultset
5. **Fan-out.** Joining two child tables (orders, then their items) repeats each order once per
   item: `SUM(o.total_cents)` then counts an order's total once per item. Aggregate the items per
   order first (a subquery in the FROM clause), or count with `COUNT(DISTINCT ...)`.
6. **NOT IN and NULL.** `c.id NOT IN (SELECT customer_id FROM orders)` is never true once the
   subquery holds a NULL (a guest order): `x NOT IN (1, NULL)` is NULL. Write the anti-join with
   `NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id ...)` or a LEFT JOIN ... IS NULL.

Django's ORM writes these for you (`Customer.objects.annotate(n=Count("orders",
filter=Q(orders__status="paid")))` is a LEFT OUTER JOIN with the filter in the aggregate), and
it falls into fan-out as well: two `Count`/`Sum` annotations over different relations multiply
each other (https://docs.djangoproject.com/en/5.2/topics/db/aggregation/#combining-multiple-aggregations).
"""

import sqlite3


def paid_orders_with_customer(conn: sqlite3.Connection) -> list[tuple]:
    """(order id, customer name, total_cents) of every paid order of a known customer, by order
    id (guest orders have no customer and are left out)."""
    # TODO: a join, not one extra query per order.
    result = []
    for order_id, customer_id, total in conn.execute(
        "SELECT id, customer_id, total_cents FROM orders WHERE status = 'paid' ORDER BY id"
    ).fetchall():
        row = conn.execute("SELECT name FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is not None:
            result.append((order_id, row[0], total))
    return result


def customer_report(conn: sqlite3.Connection) -> list[tuple]:
    """(customer id, name, paid orders, paid revenue in cents, items in paid orders) for EVERY
    customer, zeros when they have none, ordered by name then id."""
    # TODO: customers without paid orders are missing, and the items multiply the revenue.
    return conn.execute(
        """
        SELECT c.id, c.name, COUNT(*), SUM(o.total_cents), SUM(i.quantity)
        FROM customers c
        JOIN orders o ON o.customer_id = c.id
        LEFT JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'paid'
        GROUP BY c.id, c.name
        ORDER BY c.name, c.id
        """
    ).fetchall()


def big_spenders(conn: sqlite3.Connection, min_cents: int) -> list[tuple]:
    """(name, paid revenue in cents) of the customers whose paid revenue is at least
    `min_cents` (> 0), highest first, then by name."""
    # TODO: filter the groups (HAVING), not the orders.
    return conn.execute(
        """
        SELECT c.name, SUM(o.total_cents) AS revenue
        FROM customers c
        JOIN orders o ON o.customer_id = c.id
        WHERE o.status = 'paid' AND o.total_cents >= ?
        GROUP BY c.id, c.name
        ORDER BY revenue DESC, c.name
        """,
        (min_cents,),
    ).fetchall()


def customers_without_paid_orders(conn: sqlite3.Connection) -> list[int]:
    """Ids of the customers who never paid an order, by id."""
    # TODO: NOT IN meets a NULL.
    rows = conn.execute(
        """
        SELECT c.id FROM customers c
        WHERE c.id NOT IN (SELECT customer_id FROM orders WHERE status = 'paid')
        ORDER BY c.id
        """
    ).fetchall()
    return [row[0] for row in rows]


def revenue_by_country(conn: sqlite3.Connection) -> list[tuple]:
    """(country, number of customers, paid revenue in cents) for every country that has
    customers, by country."""
    # TODO: every country, and each customer counted once.
    return conn.execute(
        """
        SELECT c.country, COUNT(c.id), SUM(o.total_cents)
        FROM customers c
        JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'
        GROUP BY c.country
        ORDER BY c.country
        """
    ).fetchall()
