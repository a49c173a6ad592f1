"""Transactions: all or nothing, rollback on any error, and savepoints for a partial batch.

The tests give you a `sqlite3.Connection` opened with `isolation_level=None`: the driver starts
no transaction on its own, every statement outside an explicit `BEGIN` commits by itself
(autocommit). You write the transaction boundaries:

    BEGIN                       -- open the transaction
    ... statements ...
    COMMIT                      -- make all of it durable and visible at once
    ROLLBACK                    -- or undo all of it

1. **Atomicity.** A transfer is two UPDATEs and two ledger rows. Without a transaction, an
   error between them leaves money debited and never credited. Every path out of the function
   either COMMITs or ROLLBACKs: an error from the database (a CHECK or UNIQUE violation, a
   trigger) and an error from your own code (an unknown account you detect) alike. Re-raise the
   error after the rollback: the caller must know. A connection left inside an open transaction
   (given back to a pool, say) holds its locks and hands the half-done work to the next user.
2. **Check in the statement, not in Python.** `UPDATE accounts SET balance_cents = balance_cents
   - ? WHERE id = ? AND balance_cents >= ?` then `cursor.rowcount`: the check and the write are
   one step. Reading the balance, comparing in Python and writing it back is a race between two
   requests (see the PostgreSQL exercises for how databases lock rows); here it is also more
   statements than needed.
3. **Savepoints** (https://www.sqlite.org/lang_savepoint.html) are transactions inside a
   transaction: `SAVEPOINT name`, then `RELEASE name` (keep the work) or `ROLLBACK TO name`
   followed by `RELEASE name` (undo the work since the savepoint, and leave it). An import can
   reject a bad row, including what that row had already written, and keep the good rows, all in
   ONE transaction committed at the end. A fatal error (not a bad row) rolls back the whole
   batch.

Python's sqlite3 module and transactions:
https://docs.python.org/3/library/sqlite3.html#sqlite3-controlling-transactions. Django:
`transaction.atomic()` is BEGIN/COMMIT/ROLLBACK, and a nested `atomic()` is a savepoint.
SQLAlchemy: `with session.begin():` and `session.begin_nested()`.

    accounts  (id, owner, balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0))
    ledger    (id, account_id, delta_cents)
    products  (id, sku TEXT NOT NULL UNIQUE, name, price_cents CHECK (price_cents > 0))
    stock     (product_id UNIQUE REFERENCES products, quantity CHECK (quantity >= 0))
"""

import sqlite3


class InsufficientFunds(Exception):
    pass


class UnknownAccount(Exception):
    pass


def transfer(conn: sqlite3.Connection, source: int, target: int, amount_cents: int) -> None:
    """Moves `amount_cents` (> 0) from account `source` to another account `target` and writes
    one ledger row per account (-amount, +amount), atomically. Raises ValueError for a bad
    amount or source == target (before touching the database), UnknownAccount for a missing
    account, InsufficientFunds when the source's balance is too low."""
    if amount_cents <= 0 or source == target:
        raise ValueError("a transfer moves a positive amount between two accounts")
    conn.execute("BEGIN")
    try:
        debit = conn.execute(
            "UPDATE accounts SET balance_cents = balance_cents - ? "
            "WHERE id = ? AND balance_cents >= ?",
            (amount_cents, source, amount_cents),
        )
        if debit.rowcount != 1:
            found = conn.execute("SELECT 1 FROM accounts WHERE id = ?", (source,)).fetchone()
            raise UnknownAccount(source) if found is None else InsufficientFunds(source)
        credit = conn.execute(
            "UPDATE accounts SET balance_cents = balance_cents + ? WHERE id = ?",
            (amount_cents, target),
        )
        if credit.rowcount != 1:
            raise UnknownAccount(target)
        conn.execute(
            "INSERT INTO ledger (account_id, delta_cents) VALUES (?, ?), (?, ?)",
            (source, -amount_cents, target, amount_cents),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def import_products(conn: sqlite3.Connection, rows: list[dict]) -> tuple[list[str], dict[str, str]]:
    """Imports rows {"sku", "name", "price_cents", "stock"}: a `products` row, then its `stock`
    row, in ONE transaction. A row the database rejects (sqlite3.IntegrityError) is undone
    completely and reported; the others are kept. Returns (imported skus in order, {rejected
    sku: the error's message}). Any other error rolls back the whole batch and is re-raised."""
    imported: list[str] = []
    rejected: dict[str, str] = {}
    conn.execute("BEGIN")
    try:
        for row in rows:
            conn.execute("SAVEPOINT import_row")
            try:
                cursor = conn.execute(
                    "INSERT INTO products (sku, name, price_cents) VALUES (?, ?, ?)",
                    (row["sku"], row["name"], row["price_cents"]),
                )
                conn.execute(
                    "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
                    (cursor.lastrowid, row["stock"]),
                )
            except sqlite3.IntegrityError as error:
                conn.execute("ROLLBACK TO import_row")
                conn.execute("RELEASE import_row")
                rejected[row["sku"]] = str(error)
            else:
                conn.execute("RELEASE import_row")
                imported.append(row["sku"])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return imported, rejected
