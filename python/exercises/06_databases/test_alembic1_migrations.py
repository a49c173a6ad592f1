import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

import alembic1_migrations as migration

# Revision 0001, as the database has it before this migration.
REVISION_0001 = """
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    full_name VARCHAR(200) NOT NULL,
    email VARCHAR(200) NOT NULL
)
"""

PEOPLE = [
    (1, "Ada Lovelace", "ada@example.com"),
    (2, "Plato", "plato@example.com"),
    (3, "Jean Claude Van Damme", "jcvd@example.com"),
    (4, "  Grace   Hopper ", "grace@example.com"),
    (5, "Mary\tShelley", "mary@example.com"),
    (7, "Björk Guðmundsdóttir", "bjork@example.com"),
]
SPLIT = {
    1: ("Ada", "Lovelace"),
    2: ("Plato", ""),
    3: ("Jean", "Claude Van Damme"),
    4: ("Grace", "Hopper"),
    5: ("Mary", "Shelley"),
    7: ("Björk", "Guðmundsdóttir"),
}
JOINED = {
    1: "Ada Lovelace", 2: "Plato", 3: "Jean Claude Van Damme", 4: "Grace Hopper",
    5: "Mary Shelley", 7: "Björk Guðmundsdóttir",
}


@pytest.fixture
def conn():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.exec_driver_sql(REVISION_0001)
        conn.execute(sa.text("INSERT INTO users VALUES (:id, :name, :email)"),
                     [{"id": i, "name": n, "email": e} for i, n, e in PEOPLE])
        conn.commit()
        yield conn
    engine.dispose()


def run(conn, step):
    """Runs `step` (upgrade or downgrade) as `alembic upgrade/downgrade` would: with `op` bound
    to a migration context on this connection, in one transaction."""
    context = MigrationContext.configure(conn)
    with Operations.context(context):
        step()
    conn.commit()


def columns(conn):
    return {c["name"]: c for c in sa.inspect(conn).get_columns("users")}


def rows(conn, *names):
    return conn.execute(sa.text(f"SELECT id, {', '.join(names)} FROM users ORDER BY id")).all()


def test_the_revision_follows_0001():
    assert migration.down_revision == "0001_create_users"
    assert migration.revision == "0002_split_full_name"


def test_upgrade_changes_the_columns(conn):
    run(conn, migration.upgrade)
    cols = columns(conn)
    assert set(cols) == {"id", "first_name", "last_name", "email"}, "full_name is dropped"
    assert cols["first_name"]["nullable"] is False and cols["last_name"]["nullable"] is False
    assert cols["email"]["nullable"] is False
    assert isinstance(cols["first_name"]["type"], sa.String) and cols["first_name"]["type"].length == 100
    assert cols["last_name"]["type"].length == 100


def test_upgrade_keeps_every_user_and_splits_their_names(conn):
    run(conn, migration.upgrade)
    assert rows(conn, "first_name", "last_name", "email") == [
        (i, *SPLIT[i], email) for i, _, email in PEOPLE
    ]


def test_upgrade_keeps_users_without_a_name(conn):
    conn.execute(sa.text("INSERT INTO users VALUES (20, '', 'nameless@x'), (21, '   ', 'blank@x')"))
    conn.commit()
    run(conn, migration.upgrade)
    assert rows(conn, "first_name", "last_name")[-2:] == [(20, "", ""), (21, "", "")], (
        "an empty or blank full name splits into two empty names: no user may be lost"
    )


def test_upgrade_keeps_the_spacing_inside_the_last_name(conn):
    conn.execute(sa.text("INSERT INTO users VALUES (20, ' Jean  Claude\tVan Damme ', 'jc@x')"))
    conn.commit()
    run(conn, migration.upgrade)
    assert rows(conn, "first_name", "last_name")[-1] == (20, "Jean", "Claude\tVan Damme"), (
        "split once at the first run of whitespace and keep the rest as it is: split() then "
        "' '.join() rewrites the last name"
    )


def test_the_data_migration_is_not_row_by_row(conn):
    updates = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)

    sa.event.listen(conn, "before_cursor_execute", record)
    run(conn, migration.upgrade)
    assert 1 <= len(updates) <= 2, (
        f"{len(updates)} UPDATE statements for {len(PEOPLE)} users: one executemany (or one "
        "UPDATE in SQL) moves the data, not one statement per row"
    )


def test_a_new_user_may_have_one_name(conn):
    run(conn, migration.upgrade)
    conn.execute(sa.text("INSERT INTO users (id, first_name, email) VALUES (8, 'Zeno', 'z@x')"))
    assert rows(conn, "first_name", "last_name")[-1] == (8, "Zeno", ""), (
        "last_name has a server default of ''"
    )
    with pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("INSERT INTO users (id, last_name, email) VALUES (9, 'X', 'x@x')"))


def test_upgrade_adds_a_unique_email_index(conn):
    run(conn, migration.upgrade)
    indexes = {ix["name"]: ix for ix in sa.inspect(conn).get_indexes("users")}
    assert set(indexes) == {"ix_users_email"}
    assert indexes["ix_users_email"]["column_names"] == ["email"]
    assert indexes["ix_users_email"]["unique"]
    with pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text(
            "INSERT INTO users (id, first_name, last_name, email) VALUES (9, 'A', 'B', 'ada@example.com')"))


def test_upgrade_of_an_empty_table(conn):
    conn.execute(sa.text("DELETE FROM users"))
    conn.commit()
    run(conn, migration.upgrade)
    assert set(columns(conn)) == {"id", "first_name", "last_name", "email"}
    assert rows(conn, "first_name") == []


def test_downgrade_restores_the_previous_schema(conn):
    run(conn, migration.upgrade)
    run(conn, migration.downgrade)
    cols = columns(conn)
    assert set(cols) == {"id", "full_name", "email"}
    assert cols["full_name"]["nullable"] is False and cols["full_name"]["type"].length == 200
    assert sa.inspect(conn).get_indexes("users") == [], "the index goes with its revision"


def test_downgrade_brings_back_full_name_without_a_default(conn):
    run(conn, migration.upgrade)
    run(conn, migration.downgrade)
    assert columns(conn)["full_name"]["default"] is None, (
        "revision 0001 had no default on full_name: the downgrade restores that schema exactly"
    )
    with pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("INSERT INTO users (id, email) VALUES (30, 'no-name@x')"))


def test_downgrade_rebuilds_every_full_name(conn):
    run(conn, migration.upgrade)
    run(conn, migration.downgrade)
    assert rows(conn, "full_name", "email") == [(i, JOINED[i], email) for i, _, email in PEOPLE], (
        "first and last name joined by one space; a single name without a trailing space"
    )


def test_downgrade_keeps_users_added_after_the_upgrade(conn):
    run(conn, migration.upgrade)
    conn.execute(sa.text("INSERT INTO users (id, first_name, last_name, email) VALUES "
                         "(10, 'Alan', 'Turing', 'alan@x'), (11, 'Cher', '', 'cher@x')"))
    conn.commit()
    run(conn, migration.downgrade)
    assert rows(conn, "full_name")[-2:] == [(10, "Alan Turing"), (11, "Cher")]


def test_upgrade_downgrade_upgrade(conn):
    run(conn, migration.upgrade)
    run(conn, migration.downgrade)
    run(conn, migration.upgrade)
    assert rows(conn, "first_name", "last_name") == [(i, *SPLIT[i]) for i, _, _ in PEOPLE]
    assert [ix["name"] for ix in sa.inspect(conn).get_indexes("users")] == ["ix_users_email"]
