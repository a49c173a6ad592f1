"""An Alembic migration: schema change, data migration, and the downgrade that undoes both.

This file is a migration script, as `alembic revision -m "split full name"` would create in
`migrations/versions/`: identifiers that chain it to the previous revision, and `upgrade()` /
`downgrade()` functions that change the schema through `op`, Alembic's operations object
(https://alembic.sqlalchemy.org/en/latest/ops.html). The tests run it the way `alembic upgrade`
does, inside a migration context on a real connection, then inspect the schema and the rows.

Revision 0001 (already applied) created:

    users (id INTEGER PRIMARY KEY, full_name VARCHAR(200) NOT NULL, email VARCHAR(200) NOT NULL)

This revision, 0002, replaces `full_name` with `first_name` VARCHAR(100) NOT NULL and
`last_name` VARCHAR(100) NOT NULL with a server default of '' (people with one name exist), and
adds a unique index `ix_users_email` on `email`. No user may be lost, and `downgrade()` must
bring back the previous schema with every user's full name.

1. **Expand, migrate, contract.** A NOT NULL column cannot be added to a table that has rows
   (what would they hold?). Add the new columns nullable, fill them from the old data, then make
   them NOT NULL and drop the old column.
2. **Data migrations use their own table description**, `sa.table("users", sa.column("id"),
   ...)`, never the application's models: the models describe the schema of the latest
   revision, not the one this migration runs against. Read through `op.get_bind()` (the
   migration's connection) and write the updates in one executemany, not one commit per row.
3. **Batch mode for SQLite** (https://alembic.sqlalchemy.org/en/latest/batch.html): SQLite's
   ALTER TABLE cannot change a column's nullability, so `with op.batch_alter_table("users") as
   batch:` records the changes and applies them by creating the new table, copying the rows and
   renaming it ("move and copy"). On PostgreSQL the same calls run plain ALTERs.
4. **A downgrade is the upgrade in reverse order**, data included: drop the index, add
   `full_name` back (nullable), fill it, make it NOT NULL, drop the new columns.

Splitting: strip the name, then split it at its first run of whitespace: "Jean Claude Van
Damme" -> ("Jean", "Claude Van Damme"), "Plato" -> ("Plato", ""). The last name is the rest as it
is, inner spacing kept: "Jean  Claude\tVan" -> ("Jean", "Claude\tVan"). Joining: first and last
name with one space, or the first name alone when the last is empty.

Django: `makemigrations` writes the schema operations (`AddField`, `RemoveField`, `AlterField`,
`AddIndex`); a data migration is a `migrations.RunPython(forward, backward)` that uses
`apps.get_model("app", "User")`, the historical model, never the imported one (the same rule as
2.). Without a `backward` function, Django refuses to migrate back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_split_full_name"
down_revision = "0001_create_users"


def split_name(full_name: str) -> tuple[str, str]:
    # TODO: strip, then split at the first run of whitespace (tabs and double spaces too).
    first, _, last = full_name.partition(" ")
    return first, last


def join_name(first_name: str, last_name: str) -> str:
    # TODO: no trailing space for a single name.
    return f"{first_name} {last_name}"


def upgrade() -> None:
    # TODO: this adds the new columns filled with '' and drops full_name: every name is lost.
    # Expand (nullable columns), migrate (fill them from full_name with one executemany
    # through op.get_bind()), contract (NOT NULL, last_name's server default, drop full_name),
    # and the unique index on email.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("first_name", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_name", sa.String(100), nullable=False, server_default=""))
        batch.drop_column("full_name")


def downgrade() -> None:
    # TODO: the reverse, in reverse order, and full_name rebuilt from the two names.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("full_name", sa.String(200), nullable=False, server_default=""))
        batch.drop_column("first_name")
        batch.drop_column("last_name")
