"""A tiny fake database for the dependency-injection exercise. Read it; do not edit it.

`Database.open_session()` opens a unit of work. Writes (`put`) stay pending until `commit()`;
`rollback()` drops them; `close()` ends the session (any later use raises). Every step is
logged in `Database.log` as `(event, session_number)`, so the tests can see exactly what
happened, in what order.
"""


class SessionClosed(RuntimeError):
    pass


class Session:
    def __init__(self, db: "Database", number: int) -> None:
        self.db = db
        self.number = number
        self.pending: dict = {}
        self.closed = False

    def check_open(self) -> None:
        if self.closed:
            raise SessionClosed(f"session {self.number} is closed")

    def get(self, key):
        self.check_open()
        if key in self.pending:
            return self.pending[key]
        return self.db.rows.get(key)

    def keys(self) -> list:
        self.check_open()
        return sorted(set(self.db.rows) | set(self.pending), key=repr)

    def put(self, key, value) -> None:
        self.check_open()
        self.pending[key] = value

    def commit(self) -> None:
        self.check_open()
        self.db.rows.update(self.pending)
        self.pending = {}
        self.db.log.append(("commit", self.number))

    def rollback(self) -> None:
        self.check_open()
        self.pending = {}
        self.db.log.append(("rollback", self.number))

    def close(self) -> None:
        self.closed = True
        self.db.log.append(("close", self.number))


class Database:
    def __init__(self) -> None:
        self.rows: dict = {}
        self.log: list[tuple[str, int]] = []
        self.opened = 0

    def open_session(self) -> Session:
        self.opened += 1
        self.log.append(("open", self.opened))
        return Session(self, self.opened)
