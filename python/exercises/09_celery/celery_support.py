"""The course's Celery helpers (read it, do not edit it).

The runner starts a throwaway `redis-server` for each check that needs one, on a unix socket in
the check's own folder, with no TCP port and nothing written to disk, and passes its address to
the tests as `BACKENDLINGS_REDIS_URL` (`unix:///path/redis.sock`). A redis-py client takes that
URL as it is; Celery's broker and result backend (kombu's and Celery's Redis transports) spell
the same socket `redis+socket:///path/redis.sock`.

`check_configuration(app)` runs before any of the exercise's tasks do: Celery loads much of
itself by name (a result backend, a router, a loader, the modules in `imports`) and reads
message bodies with the serializer the message names, so an app whose configuration names code,
files or pickle is refused before it sends or runs anything. The exercises never need any of
those settings.
"""

import os
from collections.abc import Mapping
from contextlib import contextmanager

import pytest
from kombu import serialization

URL_VARIABLE = "BACKENDLINGS_REDIS_URL"

# Nothing in this course reads pickle or yaml: without their decoders, a message that claims to
# be pickled is handed over as bytes, never unpickled.
for _name in ("pickle", "yaml"):
    try:
        serialization.registry.unregister(_name)
    except Exception:
        pass


def redis_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        pytest.fail(
            f"{URL_VARIABLE} is not set: run this exercise with backendlings, which starts Redis"
        )
    return url


def celery_url() -> str:
    """The check's Redis as a Celery broker or result backend URL."""
    url = redis_url()
    if url.startswith("unix://"):
        return "redis+socket://" + url[len("unix://"):]
    return url


# Settings that name code, files or serializers, and the only values this course accepts.
FIXED = {
    "imports": (None, (), []),
    "include": (None, (), []),
    "task_annotations": (None,),
    "task_serializer": ("json",),
    "result_serializer": ("json",),
    "accept_content": (["json"], ("json",), {"json"}),
    "result_accept_content": (None, ["json"], ("json",), {"json"}),
    "event_serializer": ("json",),
    "worker_state_db": (None,),
    "worker_log_file": (None,),
    "worker_pool": ("prefork",),
    "worker_consumer": ("celery.worker.consumer:Consumer",),
    "worker_timer": (None,),
    "worker_autoscaler": ("celery.worker.autoscale:Autoscaler",),
    "beat_scheduler": ("celery.beat:PersistentScheduler",),
    "beat_schedule_filename": ("celerybeat-schedule",),
    "security_key": (None,),
    "security_certificate": (None,),
    "security_cert_store": (None,),
    "broker_transport": (None,),
}


def check_configuration(app, broker=None, backend=None) -> None:
    """Fails the test when `app` is configured to load code by name, touch files or accept
    anything but JSON; `broker`/`backend`: the URLs the course gave the app (None: none)."""
    conf = app.conf
    for key, allowed in FIXED.items():
        if conf.get(key) not in allowed:
            pytest.fail(f"the app sets `{key}`, which this course does not allow", pytrace=False)
    for key, expected in (("broker_url", broker), ("result_backend", backend)):
        value = conf.get(key)
        if value is not None and value != expected:
            pytest.fail(f"the app sets `{key}`: the course gives the app its own", pytrace=False)
    routes = conf.get("task_routes")
    entries = routes if isinstance(routes, (list, tuple)) else [routes]
    for entry in entries:
        if entry is None:
            continue
        if not isinstance(entry, Mapping) or not all(
            isinstance(route, Mapping) for route in entry.values()
        ):
            pytest.fail(
                "`task_routes` must map task names to options such as {'queue': ...}: a router "
                "named by a string is loaded by name",
                pytrace=False,
            )
    if type(app.loader).__module__ != "celery.loaders.app":
        pytest.fail("the app has a loader of its own", pytrace=False)


WAIT = 10.0  # seconds: how long a test waits for the worker before it fails (never reached)


@contextmanager
def running_worker(app, queues):
    """A real worker for `app` (already configured, its tasks registered), in a thread of the
    test process: the threads pool with one thread, consuming `queues` only. Stopped on exit."""
    from celery.contrib.testing.worker import start_worker

    # The course's own settings for a fast check: the worker polls the queue every 50 ms (so it
    # also stops within that), fails at once if the broker is unreachable, and leaves logging
    # alone.
    options = dict(app.conf.broker_transport_options or {})
    options["polling_interval"] = 0.05
    app.conf.broker_transport_options = options
    app.conf.broker_connection_retry_on_startup = False
    app.conf.worker_hijack_root_logger = False
    with start_worker(
        app,
        pool="threads",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=WAIT,
        queues=list(queues),
    ) as worker:
        yield worker
