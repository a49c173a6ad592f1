"""Course code (read it, do not edit it): real boto3 clients that never reach the network.

The tests give your code a real `boto3` client, the one production code uses, with its request
validation, its response parsing and its modeled exceptions (`client.exceptions.X`). Two things
keep it offline:

- botocore's `Stubber` (https://botocore.amazonaws.com/v1/documentation/api/latest/reference/stubber.html)
  answers each call from a queue of responses the test wrote, after checking the parameters
  your code sent against the ones the test expected. A call nobody expected fails the test.
- the endpoint is `http://127.0.0.1:9` (the discard port, where nothing listens) and botocore's
  own retries are off: a call that slipped past the stubber fails at once with
  `EndpointConnectionError` instead of reaching AWS.

Credentials are dummies, the region is fixed, and no file under ~/.aws is read.

`FakeClock` stands in for time: your code gets `clock` (seconds, like `time.time`) and `sleep`,
and every sleep is recorded and advances the clock instead of waiting.
"""

import os

import boto3
import botocore.session
from botocore.config import Config

NOWHERE = "http://127.0.0.1:9"
REGION = "eu-west-1"
# What the tests' clients use unless an exercise builds its own `Config`: no retries by botocore
# (the code under test owns retrying) and short timeouts.
OFFLINE = Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=1)


_SESSIONS = []


def session():
    """One boto3 session for the whole run (it caches the service models it loaded)."""
    if not _SESSIONS:
        core = botocore.session.Session()
        core.set_config_variable("config_file", os.devnull)
        core.set_config_variable("credentials_file", os.devnull)
        _SESSIONS.append(
            boto3.session.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name=REGION,
                botocore_session=core,
            )
        )
    return _SESSIONS[0]


def client(service, config=None):
    """A new real boto3 client for `service` that cannot leave this machine."""
    return session().client(service, endpoint_url=NOWHERE, config=config or OFFLINE)


class FakeClock:
    """`clock()` reads the time; `sleep(s)` records `s` and moves the time on."""

    def __init__(self, start=1_700_000_000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, f"sleep({seconds}): a negative sleep"
        self.sleeps.append(seconds)
        self.now += seconds
