import json
import threading
import time

import pytest
from redis_support import connect, r  # noqa: F401 - fixtures

from redis1_cache_aside import Cache


class Spy:
    """A client that passes every command to the real one, except the ones given as hooks:
    `hook(real_method, *args, **kwargs)` runs instead (to record a call, or to let another
    client act between two commands, as a real concurrent one may). Scripts registered
    through it run on the real client."""

    def __init__(self, real, **hooks):
        self.real = real
        self.hooks = hooks

    def __getattr__(self, name):
        method = getattr(self.real, name)
        hook = self.hooks.get(name)
        if hook is None:
            return method
        return lambda *args, **kwargs: hook(method, *args, **kwargs)


class Database:
    """The slow source of truth: records every load."""

    def __init__(self, rows=None):
        self.rows = dict(rows or {})
        self.loads = []
        self.lock = threading.Lock()

    def __call__(self, name):
        with self.lock:
            self.loads.append(name)
        return self.rows.get(name)


def test_a_miss_loads_and_caches_with_the_ttl(r):
    db = Database({"user:1": {"name": "Ada", "plan": "pro"}})
    cache = Cache(r, db, ttl=300)
    assert cache.get("user:1") == {"name": "Ada", "plan": "pro"}
    assert db.loads == ["user:1"]
    assert json.loads(r.get("cache:user:1")) == {"name": "Ada", "plan": "pro"}
    assert 299 <= r.ttl("cache:user:1") <= 300


def test_a_hit_never_reaches_the_database(r):
    db = Database({"user:1": {"name": "Ada"}})
    r.set("cache:user:1", json.dumps({"name": "cached"}), ex=100)
    cache = Cache(r, db)
    assert cache.get("user:1") == {"name": "cached"}
    assert cache.get("user:1") == {"name": "cached"}
    assert db.loads == []


def test_a_missing_row_is_cached_for_the_negative_ttl(r):
    db = Database()
    cache = Cache(r, db, ttl=300, negative_ttl=30)
    assert cache.get("user:404") is None
    assert cache.get("user:404") is None
    assert db.loads == ["user:404"]
    assert r.get("cache:user:404") == "null"
    assert 29 <= r.ttl("cache:user:404") <= 30


def test_falsy_values_are_hits_too(r):
    db = Database({"count": 0, "tags": []})
    cache = Cache(r, db)
    assert cache.get("count") == 0
    assert cache.get("tags") == []
    assert cache.get("count") == 0
    assert cache.get("tags") == []
    assert db.loads == ["count", "tags"]


def test_the_lock_is_released_after_the_load(r):
    cache = Cache(r, Database({"a": 1}))
    cache.get("a")
    assert r.exists("lock:cache:a") == 0


def test_the_lock_has_an_expiry_while_loading(r):
    seen = {}

    def loader(name):
        seen["value"] = r.get("lock:cache:a")
        seen["pttl"] = r.pttl("lock:cache:a")
        return 1

    Cache(r, loader, lock_ms=4000).get("a")
    assert seen["value"]
    assert 0 < seen["pttl"] <= 4000


def test_a_failing_load_releases_the_lock_and_caches_nothing(r):
    def loader(name):
        raise ConnectionError("database down")

    cache = Cache(r, loader)
    with pytest.raises(ConnectionError):
        cache.get("a")
    assert r.exists("lock:cache:a") == 0
    assert r.exists("cache:a") == 0


def test_only_the_owner_releases_the_lock(r):
    def loader(name):
        # The lock expired during a long load and another process took it.
        r.set("lock:cache:a", "someone-else", px=60000)
        return 1

    Cache(r, loader).get("a")
    assert r.get("lock:cache:a") == "someone-else"


def test_tokens_differ_between_callers(r):
    tokens = []

    def loader(name):
        tokens.append(r.get("lock:cache:" + name))
        return 1

    cache = Cache(r, loader)
    cache.get("a")
    cache.get("b")
    assert len(set(tokens)) == 2 and None not in tokens


def test_a_waiter_reads_what_the_owner_wrote(r):
    r.set("lock:cache:a", "owner", px=60000)
    db = Database({"a": "from-db"})
    polls = []

    def sleep(seconds):
        polls.append(seconds)
        if len(polls) == 3:
            r.set("cache:a", json.dumps("from-owner"), ex=100)

    cache = Cache(r, db, poll=0.05, max_polls=10, sleep=sleep)
    assert cache.get("a") == "from-owner"
    assert polls == [0.05, 0.05, 0.05]
    assert db.loads == []


def test_a_waiter_gives_up_after_max_polls_and_leaves_the_cache_alone(r):
    r.set("lock:cache:a", "owner", px=60000)
    db = Database({"a": "from-db"})
    polls = []
    cache = Cache(r, db, poll=0.02, max_polls=4, sleep=polls.append)
    assert cache.get("a") == "from-db"
    assert polls == [0.02] * 4
    assert db.loads == ["a"]
    assert r.exists("cache:a") == 0
    assert r.get("lock:cache:a") == "owner"


def test_invalidate_deletes_the_entry(r):
    db = Database({"a": 1})
    cache = Cache(r, db)
    cache.get("a")
    db.rows["a"] = 2
    cache.invalidate("a")
    assert r.exists("cache:a") == 0
    assert cache.get("a") == 2


def test_a_stampede_loads_once(connect):
    """Eight clients miss the same hot key at once: one loads, the others wait for it."""
    callers = 8
    waiting = threading.Semaphore(0)
    release = threading.Event()
    loads = []

    def loader(name):
        loads.append(name)
        # Hold the load until every other caller is waiting on the lock.
        for _ in range(callers - 1):
            if not waiting.acquire(timeout=2):
                break
        release.set()
        return {"hot": True}

    def sleep(seconds):
        waiting.release()
        release.wait(timeout=5)
        time.sleep(0.001)

    results = [None] * callers
    errors = []

    def call(i):
        try:
            results[i] = Cache(connect(), loader, sleep=sleep, max_polls=500).get("hot")
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert errors == []
    assert loads == ["hot"]
    assert results == [{"hot": True}] * callers


def test_the_owner_check_and_the_delete_are_one_step(r):
    """Read the lock, then delete it, and the lock may expire and be taken by another process
    in between: comparing the token and deleting must be one atomic step (the script)."""
    retaken = []

    def get(real_get, key):
        value = real_get(key)
        if key == "lock:cache:a":
            # Right after this read, the lock expires and someone else takes it.
            r.set("lock:cache:a", "someone-else", px=60000)
            retaken.append(value)
        return value

    assert Cache(Spy(r, get=get), Database({"a": 1})).get("a") == 1
    if retaken:
        assert r.get("lock:cache:a") == "someone-else"


def test_the_value_and_its_ttl_are_written_by_one_command(r):
    """A crash between a SET and a separate EXPIRE would leave an entry that never expires."""

    def crash(real_method, *args, **kwargs):
        raise ConnectionError("the process died here")

    spy = Spy(r, expire=crash, pexpire=crash, expireat=crash, pexpireat=crash, persist=crash)
    try:
        Cache(spy, Database({"a": 1}), ttl=300, negative_ttl=30).get("a")
        Cache(spy, Database({"b": None}), ttl=300, negative_ttl=30).get("b")
    except ConnectionError:
        pass
    assert r.ttl("cache:a") != -1  # either no entry or one with a TTL
    assert r.ttl("cache:b") != -1


def test_an_entry_expiring_between_two_reads_is_a_miss_not_a_crash(r):
    """The hit test and the read are one GET: with EXISTS then GET, the entry may expire in
    between."""
    r.set("cache:a", json.dumps("old"), ex=100)

    def exists(real_exists, *keys):
        found = real_exists(*keys)
        r.delete(*keys)  # expired right after the check
        return found

    def ttl(real_ttl, key):
        found = real_ttl(key)
        r.delete(key)
        return found

    db = Database({"a": "fresh"})
    assert Cache(Spy(r, exists=exists, ttl=ttl, pttl=ttl), db).get("a") in ("old", "fresh")


def test_a_waiter_sleeps_before_each_re_read(r):
    """A caller that did not get the lock sleeps, then re-reads, `max_polls` times; then loads."""
    r.set("lock:cache:a", "owner", px=60000)
    events = []

    def get(real_get, key):
        if key == "cache:a":
            events.append("read")
        return real_get(key)

    def loader(name):
        events.append("load")
        return "from-db"

    def sleep(seconds):
        events.append("sleep")

    cache = Cache(Spy(r, get=get), loader, poll=0.01, max_polls=3, sleep=sleep)
    assert cache.get("a") == "from-db"
    assert events == ["read", "sleep", "read", "sleep", "read", "sleep", "read", "load"]
