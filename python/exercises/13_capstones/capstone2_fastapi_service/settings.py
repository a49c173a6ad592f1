"""The service's settings: one frozen object, built once at startup and passed in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # The endpoint's signing secret as the sender shows it: `whsec_` then the key in base64.
    secret: str
    # How far (in seconds) a delivery's timestamp may be from our clock, either way.
    tolerance: int = 300
    # The largest request body accepted, in bytes (413 above it).
    max_body: int = 64 * 1024
    # How many accepted jobs may wait for a worker (503 when that many are waiting).
    queue_size: int = 100
    # How many worker tasks process the queue concurrently.
    workers: int = 2
    # What `Retry-After` says when the service cannot take a delivery now (seconds).
    retry_after: int = 30
    # How many delivery ids are remembered for deduplication (the oldest are forgotten first).
    remember: int = 10_000
    # How many finished (done, failed or cancelled) jobs stay visible at /jobs/{id}.
    keep_finished: int = 1_000
    # How long shutdown waits for the queue to drain before it cancels the workers (seconds).
    shutdown_timeout: float = 10.0
