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
    return conn.execute(
        """
        SELECT o.id, c.name, o.total_cents
        FROM orders o
        JOIN customers c ON c.id = o.customer_id
        WHERE o.status = 'paid'
        ORDER BY o.id
        """
    ).fetchall()


def customer_report(conn: sqlite3.Connection) -> list[tuple]:
    """(customer id, name, paid orders, paid revenue in cents, items in paid orders) for EVERY
    customer, zeros when they have none, ordered by name then id."""
    return conn.execute(
        """
        SELECT c.id, c.name, COUNT(o.id), COALESCE(SUM(o.total_cents), 0),
               COALESCE(SUM(i.items), 0)
        FROM customers c
        LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'
        LEFT JOIN (
            SELECT order_id, SUM(quantity) AS items FROM order_items GROUP BY order_id
        ) i ON i.order_id = o.id
        GROUP BY c.id, c.name
        ORDER BY c.name, c.id
        """
    ).fetchall()


def big_spenders(conn: sqlite3.Connection, min_cents: int) -> list[tuple]:
    """(name, paid revenue in cents) of the customers whose paid revenue is at least
    `min_cents` (> 0), highest first, then by name."""
    return conn.execute(
        """
        SELECT c.name, SUM(o.total_cents) AS revenue
        FROM customers c
        JOIN orders o ON o.customer_id = c.id
        WHERE o.status = 'paid'
        GROUP BY c.id, c.name
        HAVING SUM(o.total_cents) >= ?
        ORDER BY revenue DESC, c.name
        """,
        (min_cents,),
    ).fetchall()


def customers_without_paid_orders(conn: sqlite3.Connection) -> list[int]:
    """Ids of the customers who never paid an order, by id."""
    rows = conn.execute(
        """
        SELECT c.id FROM customers c
        WHERE NOT EXISTS (
            SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'paid'
        )
        ORDER BY c.id
        """
    ).fetchall()
    return [row[0] for row in rows]


def revenue_by_country(conn: sqlite3.Connection) -> list[tuple]:
    """(country, number of customers, paid revenue in cents) for every country that has
    customers, by country."""
    return conn.execute(
        """
        SELECT c.country, COUNT(DISTINCT c.id), COALESCE(SUM(o.total_cents), 0)
        FROM customers c
        LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'
        GROUP BY c.country
        ORDER BY c.country
        """
    ).fetchall()
