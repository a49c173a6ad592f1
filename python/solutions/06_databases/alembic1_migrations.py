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
    parts = full_name.split(None, 1)
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], parts[1].strip()


def join_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}" if last_name else first_name


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("first_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("last_name", sa.String(100), nullable=True))

    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.full_name)).all()
    updates = []
    for user_id, full_name in rows:
        first, last = split_name(full_name)
        updates.append({"user_id": user_id, "first": first, "last": last})
    if updates:
        bind.execute(
            users.update()
            .where(users.c.id == sa.bindparam("user_id"))
            .values(first_name=sa.bindparam("first"), last_name=sa.bindparam("last")),
            updates,
        )

    with op.batch_alter_table("users") as batch:
        batch.alter_column("first_name", existing_type=sa.String(100), nullable=False)
        batch.alter_column(
            "last_name", existing_type=sa.String(100), nullable=False, server_default=""
        )
        batch.drop_column("full_name")
        batch.create_index("ix_users_email", ["email"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_email")
        batch.add_column(sa.Column("full_name", sa.String(200), nullable=True))

    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.first_name, users.c.last_name)).all()
    updates = [
        {"user_id": user_id, "full": join_name(first, last)} for user_id, first, last in rows
    ]
    if updates:
        bind.execute(
            users.update()
            .where(users.c.id == sa.bindparam("user_id"))
            .values(full_name=sa.bindparam("full")),
            updates,
        )

    with op.batch_alter_table("users") as batch:
        batch.alter_column("full_name", existing_type=sa.String(200), nullable=False)
        batch.drop_column("first_name")
        batch.drop_column("last_name")
