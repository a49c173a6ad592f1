"""Which deliveries were already accepted, and as which job: a bounded memory."""

from collections import OrderedDict


class Deliveries:
    """At most `capacity` delivery ids, each with its job's id; the oldest accepted is forgotten
    first, and looking one up does not make it younger."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._jobs: OrderedDict[str, str] = OrderedDict()

    def job_of(self, delivery: str) -> str | None:
        return self._jobs.get(delivery)

    def remember(self, delivery: str, job: str) -> None:
        self._jobs[delivery] = job
        while len(self._jobs) > self.capacity:
            self._jobs.popitem(last=False)

    def size(self) -> int:
        return len(self._jobs)
