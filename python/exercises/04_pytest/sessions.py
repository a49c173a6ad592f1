"""Course code (read it, do not edit it): a server-side session store, the subject of fixtures1.

A login creates a session: a random token (the cookie's value) mapped to the user. The OWASP
Session Management Cheat Sheet asks for two timeouts, and this store has both:

- IDLE timeout (`idle`, seconds): a session not used for `idle` seconds is expired. Every
  successful `get` slides the window (it records the use). Expired means: `now - last_seen >= idle`.
- ABSOLUTE timeout (`lifetime`, seconds): however active, a session expires `lifetime` seconds
  after its creation: `now - created >= lifetime`.

An expired session is deleted on the `get` that finds it (and `get` answers None).

Time comes from the `clock` you pass in: a callable that returns the current time in seconds
(production passes `time.monotonic`; a test passes a fake it can move forward).

A store holds resources, so it must be closed (`close()`); it then refuses to work.
`OPEN_STORES` lists the stores not closed yet (the course reads it to check your fixtures).
"""

import itertools
import secrets

OPEN_STORES = []
_serials = itertools.count(1)


class StoreClosed(RuntimeError):
    pass


class SessionStore:
    def __init__(self, clock, idle=1800, lifetime=8 * 3600):
        self.clock = clock
        self.idle = idle
        self.lifetime = lifetime
        self.serial = next(_serials)
        self._sessions = {}
        self._closed = False
        OPEN_STORES.append(self)

    def _check_open(self):
        if self._closed:
            raise StoreClosed("the store is closed")

    def create(self, user_id):
        """Creates a session for `user_id` and returns its token."""
        self._check_open()
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self._sessions[token] = {"user_id": user_id, "created": now, "last_seen": now}
        return token

    def get(self, token):
        """The user id of a live session (and the use is recorded), or None."""
        self._check_open()
        session = self._sessions.get(token)
        if session is None:
            return None
        now = self.clock()
        if now - session["last_seen"] >= self.idle or now - session["created"] >= self.lifetime:
            del self._sessions[token]
            return None
        session["last_seen"] = now
        return session["user_id"]

    def revoke(self, token):
        """Logs one session out. True if there was such a session."""
        self._check_open()
        return self._sessions.pop(token, None) is not None

    def revoke_all(self, user_id):
        """Logs a user out everywhere (after a password change). Returns how many sessions."""
        self._check_open()
        tokens = [t for t, s in self._sessions.items() if s["user_id"] == user_id]
        for token in tokens:
            del self._sessions[token]
        return len(tokens)

    def active_count(self):
        """How many sessions the store holds (expired ones count until a get finds them)."""
        self._check_open()
        return len(self._sessions)

    def close(self):
        if not self._closed:
            self._closed = True
            self._sessions.clear()
            OPEN_STORES.remove(self)
