"""Which deliveries were already accepted, and as which job.

Senders deliver *at least once*: a delivery whose 2xx got lost on the way back is sent again,
with the same `webhook-id`. The receiver makes that harmless by remembering which ids it has
accepted (and as which job), and answering a redelivery with that job instead of doing the work
twice: an idempotent receiver (https://www.standardwebhooks.com/, "Idempotency").

Remembering every id forever is a memory leak an attacker can drive (each verified delivery
adds one), so the memory is bounded: at most `capacity` ids, the oldest *accepted* forgotten
first (first in, first out). Looking an id up does not make it younger: a redelivery does not
extend how long we remember it. An `OrderedDict` (https://docs.python.org/3/library/
collections.html#collections.OrderedDict) keeps insertion order and pops its oldest item with
`popitem(last=False)`.
"""


class Deliveries:
    """At most `capacity` delivery ids, each with its job's id; the oldest accepted is forgotten
    first, and looking one up does not make it younger."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._jobs: dict[str, str] = {}

    def job_of(self, delivery: str) -> str | None:
        return self._jobs.get(delivery)

    def remember(self, delivery: str, job: str) -> None:
        # TODO: bounded, first in first out.
        self._jobs[delivery] = job

    def size(self) -> int:
        return len(self._jobs)
