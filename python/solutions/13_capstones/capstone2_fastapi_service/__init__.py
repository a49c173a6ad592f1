"""Capstone 2: an async webhook-processing microservice with FastAPI (see the README).

The tests import what they need from here: keep these names importable."""

from .app import create_app  # noqa: F401
from .dedupe import Deliveries  # noqa: F401
from .jobs import Job, JobQueue, QueueFull  # noqa: F401
from .settings import Settings  # noqa: F401
from .signing import InvalidSignature, MalformedWebhook, secret_key, verify  # noqa: F401
