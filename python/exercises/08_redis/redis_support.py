"""The course's Redis fixtures (read it, do not edit it).

The runner starts a throwaway `redis-server` for each check, on a unix socket in the check's own
folder, with no TCP port and nothing written to disk, and passes its address to the tests as
`BACKENDLINGS_REDIS_URL` (`unix:///path/redis.sock`, what `redis.Redis.from_url` takes). The
server dies with the check: every test here starts from an empty database (`FLUSHDB`).
"""

import os

import pytest
import redis

URL_VARIABLE = "BACKENDLINGS_REDIS_URL"


def redis_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        pytest.fail(
            f"{URL_VARIABLE} is not set: run this exercise with backendlings, which starts Redis"
        )
    return url


def new_client() -> redis.Redis:
    """A new connection to the check's Redis, answering `str` (not `bytes`)."""
    return redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=10)


@pytest.fixture
def r():
    """A client on an empty database."""
    client = new_client()
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def connect():
    """Opens more connections (concurrent clients each need their own); closed after the test."""
    opened = []

    def make() -> redis.Redis:
        client = new_client()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()
