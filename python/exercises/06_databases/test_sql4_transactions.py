import sqlite3

import pytest

import sql4_transactions as tx

SCHEMA = """
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY, owner TEXT NOT NULL,
    balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0)
);
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
    delta_cents INTEGER NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0)
);
CREATE TABLE stock (
    product_id INTEGER NOT NULL UNIQUE REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity >= 0)
);
INSERT INTO accounts VALUES (1, 'alice', 10000), (2, 'bob', 500), (3, 'carol', 0);
INSERT INTO products (sku, name, price_cents) VALUES ('OLD-1', 'Old stock', 100);
INSERT INTO stock VALUES (1, 3);
"""


class TracedConnection(sqlite3.Connection):
    """A connection that keeps the text of every statement SQLite runs."""

    statements: list


class InterruptedConnection(TracedConnection):
    """Raises KeyboardInterrupt (Ctrl-C, or a worker's SystemExit: not an Exception) instead of
    running the `nth` statement that starts with `prefix`; runs every other one."""

    prefix = ""
    nth = 0

    def execute(self, sql, *args):
        if self.prefix and " ".join(sql.split()).upper().startswith(self.prefix):
            self.nth -= 1
            if self.nth == 0:
                raise KeyboardInterrupt
        return super().execute(sql, *args)


@pytest.fixture
def interrupted():
    conn = sqlite3.connect(":memory:", isolation_level=None, factory=InterruptedConnection)
    conn.executescript(SCHEMA)
    conn.statements = []
    conn.set_trace_callback(conn.statements.append)
    yield conn
    conn.close()


@pytest.fixture
def conn():
    conn = sqlite3.connect(":memory:", isolation_level=None, factory=TracedConnection)
    conn.executescript(SCHEMA)
    conn.statements = []
    conn.set_trace_callback(conn.statements.append)
    yield conn
    conn.close()


def balances(conn):
    return dict(conn.execute("SELECT id, balance_cents FROM accounts"))


def ledger(conn):
    return conn.execute("SELECT account_id, delta_cents FROM ledger ORDER BY id").fetchall()


def keywords(conn):
    """The transaction-control statements run, in order (BEGIN, COMMIT, SAVEPOINT, ...)."""
    found = []
    for sql in conn.statements:
        words = sql.strip().upper().split()
        if words and words[0] in ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            found.append(" ".join(words[:2]) if words[:2] == ["ROLLBACK", "TO"] else words[0])
    return found


# transfer ----------------------------------------------------------------------------------


def test_a_transfer_moves_the_money_and_writes_the_ledger(conn):
    tx.transfer(conn, 1, 2, 2500)
    assert balances(conn) == {1: 7500, 2: 3000, 3: 0}
    assert ledger(conn) == [(1, -2500), (2, 2500)]
    assert not conn.in_transaction, "committed, not left open"


def test_a_transfer_is_one_transaction(conn):
    tx.transfer(conn, 1, 3, 100)
    assert keywords(conn) == ["BEGIN", "COMMIT"], "BEGIN ... COMMIT around all of it, once"


def test_the_whole_balance_can_move(conn):
    tx.transfer(conn, 2, 3, 500)
    assert balances(conn) == {1: 10000, 2: 0, 3: 500}


def test_insufficient_funds_changes_nothing(conn):
    with pytest.raises(tx.InsufficientFunds):
        tx.transfer(conn, 2, 1, 501)
    assert balances(conn) == {1: 10000, 2: 500, 3: 0}
    assert ledger(conn) == []
    assert not conn.in_transaction, "rolled back, not left open"


def test_unknown_source(conn):
    with pytest.raises(tx.UnknownAccount):
        tx.transfer(conn, 99, 1, 100)
    assert balances(conn) == {1: 10000, 2: 500, 3: 0} and not conn.in_transaction


def test_unknown_target_rolls_back_the_debit(conn):
    with pytest.raises(tx.UnknownAccount):
        tx.transfer(conn, 1, 99, 100)
    assert balances(conn) == {1: 10000, 2: 500, 3: 0}, "the debit must be rolled back"
    assert ledger(conn) == [] and not conn.in_transaction
    assert keywords(conn) == ["BEGIN", "ROLLBACK"]


def test_a_database_error_after_both_updates_rolls_back_everything(conn):
    conn.execute("CREATE TRIGGER ledger_down BEFORE INSERT ON ledger "
                 "BEGIN SELECT RAISE(ABORT, 'ledger is read-only'); END")
    with pytest.raises(sqlite3.IntegrityError, match="ledger is read-only"):
        tx.transfer(conn, 1, 2, 100)
    assert balances(conn) == {1: 10000, 2: 500, 3: 0}, "both updates must be undone"
    assert not conn.in_transaction


@pytest.mark.parametrize("source, target, amount", [
    (1, 2, 0), (1, 2, -100), (1, 1, 100),
])
def test_bad_requests_touch_nothing(conn, source, target, amount):
    with pytest.raises(ValueError):
        tx.transfer(conn, source, target, amount)
    assert conn.statements == [], "validate before the first statement"


def test_the_balance_check_is_in_the_update(conn):
    tx.transfer(conn, 1, 2, 100)
    debit = [s for s in conn.statements if s.lstrip().upper().startswith("UPDATE")][0]
    assert "balance_cents - " in debit.replace("balance_cents-", "balance_cents - "), (
        "the debit is relative (balance_cents = balance_cents - ?), never a value computed in "
        "Python from an earlier SELECT"
    )


def test_an_interrupt_between_the_updates_rolls_back_too(interrupted):
    interrupted.prefix, interrupted.nth = "UPDATE ACCOUNTS", 2   # the credit
    with pytest.raises(KeyboardInterrupt):
        tx.transfer(interrupted, 1, 2, 100)
    assert not interrupted.in_transaction, (
        "KeyboardInterrupt and SystemExit are not Exceptions: `except BaseException` (or a "
        "`with conn:`-like try/finally) must roll back on them too"
    )
    assert balances(interrupted) == {1: 10000, 2: 500, 3: 0} and ledger(interrupted) == []


def test_after_a_failure_the_connection_works(conn):
    with pytest.raises(tx.InsufficientFunds):
        tx.transfer(conn, 3, 1, 1)
    tx.transfer(conn, 1, 3, 1)
    assert balances(conn) == {1: 9999, 2: 500, 3: 1}


# import_products -----------------------------------------------------------------------------


def products(conn):
    return conn.execute(
        "SELECT p.sku, p.price_cents, s.quantity FROM products p "
        "LEFT JOIN stock s ON s.product_id = p.id ORDER BY p.id").fetchall()


GOOD = [
    {"sku": "A-1", "name": "Anvil", "price_cents": 9900, "stock": 5},
    {"sku": "B-2", "name": "Bolt", "price_cents": 10, "stock": 0},
]


def test_a_clean_import_is_one_transaction(conn):
    assert tx.import_products(conn, GOOD) == (["A-1", "B-2"], {})
    assert products(conn) == [("OLD-1", 100, 3), ("A-1", 9900, 5), ("B-2", 10, 0)]
    kinds = keywords(conn)
    assert kinds[0] == "BEGIN" and kinds[-1] == "COMMIT" and kinds.count("COMMIT") == 1
    assert kinds.count("SAVEPOINT") == 2 and kinds.count("RELEASE") == 2
    assert not conn.in_transaction


def test_a_row_rejected_by_its_second_insert_leaves_nothing_behind(conn):
    rows = [GOOD[0], {"sku": "N-1", "name": "Negative", "price_cents": 100, "stock": -1}, GOOD[1]]
    imported, rejected = tx.import_products(conn, rows)
    assert imported == ["A-1", "B-2"]
    assert list(rejected) == ["N-1"] and "CHECK constraint failed" in rejected["N-1"]
    assert products(conn) == [("OLD-1", 100, 3), ("A-1", 9900, 5), ("B-2", 10, 0)], (
        "the product of the rejected row was inserted before its stock failed: the savepoint "
        "must undo it"
    )
    assert keywords(conn).count("ROLLBACK TO") == 1
    assert "ROLLBACK" not in keywords(conn), "a rejected row never rolls back the whole batch"
    assert keywords(conn).count("COMMIT") == 1 and not conn.in_transaction


def test_rejections_by_the_first_insert(conn):
    rows = [
        {"sku": "OLD-1", "name": "Duplicate", "price_cents": 100, "stock": 1},
        {"sku": "F-0", "name": "Free", "price_cents": 0, "stock": 1},
        GOOD[1],
        {"sku": "B-2", "name": "Duplicate in the batch", "price_cents": 5, "stock": 1},
    ]
    imported, rejected = tx.import_products(conn, rows)
    assert imported == ["B-2"]
    assert sorted(rejected) == ["B-2", "F-0", "OLD-1"]
    assert "UNIQUE" in rejected["OLD-1"] and "CHECK" in rejected["F-0"] and "UNIQUE" in rejected["B-2"]
    assert products(conn) == [("OLD-1", 100, 3), ("B-2", 10, 0)]


def test_a_fatal_error_rolls_back_the_whole_batch(conn):
    rows = [GOOD[0], GOOD[1], {"sku": "X-9", "name": "No price"}]
    with pytest.raises(KeyError):
        tx.import_products(conn, rows)
    assert products(conn) == [("OLD-1", 100, 3)], "nothing of a failed batch is kept"
    assert not conn.in_transaction
    assert keywords(conn)[-1] == "ROLLBACK"


@pytest.mark.parametrize("fatal", ["unbindable value", "missing table"])
def test_a_database_error_that_is_no_rejection_rolls_back_the_whole_batch(conn, fatal):
    rows = [GOOD[0], {"sku": "L-1", "name": "List price", "price_cents": 100, "stock": 1}, GOOD[1]]
    if fatal == "unbindable value":
        rows[1]["price_cents"] = [100]
    else:
        conn.execute("DROP TABLE stock")
    with pytest.raises(sqlite3.Error) as raised:
        tx.import_products(conn, rows)
    assert not isinstance(raised.value, sqlite3.IntegrityError)
    assert conn.execute("SELECT sku FROM products ORDER BY id").fetchall() == [("OLD-1",)], (
        "only an IntegrityError rejects a row: any other sqlite3.Error is fatal, nothing is kept"
    )
    assert not conn.in_transaction and keywords(conn)[-1] == "ROLLBACK"


def test_an_interrupt_mid_import_rolls_back_the_whole_batch(interrupted):
    interrupted.prefix, interrupted.nth = "INSERT INTO STOCK", 2   # the second row's stock
    with pytest.raises(KeyboardInterrupt):
        tx.import_products(interrupted, GOOD)
    assert not interrupted.in_transaction, "`except Exception` misses KeyboardInterrupt"
    assert products(interrupted) == [("OLD-1", 100, 3)]


def test_every_savepoint_is_released(conn):
    rows = [
        {"sku": "OLD-1", "name": "Duplicate", "price_cents": 100, "stock": 1},
        GOOD[0],
        {"sku": "N-1", "name": "Negative", "price_cents": 100, "stock": -1},
        GOOD[1],
    ]
    tx.import_products(conn, rows)
    kinds = keywords(conn)
    assert kinds.count("SAVEPOINT") == kinds.count("RELEASE") == 4, (
        f"ROLLBACK TO undoes the work but keeps the savepoint open: RELEASE it too: {kinds}"
    )
    for i, kind in enumerate(kinds):
        if kind == "ROLLBACK TO":
            assert kinds[i + 1] == "RELEASE", kinds


def test_an_empty_import(conn):
    assert tx.import_products(conn, []) == ([], {})
    assert not conn.in_transaction


def test_the_connection_is_usable_after_a_rejection(conn):
    tx.import_products(conn, [{"sku": "OLD-1", "name": "Dup", "price_cents": 1, "stock": 1}])
    assert tx.import_products(conn, [GOOD[0]]) == (["A-1"], {})
