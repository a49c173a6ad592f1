# Dataclasses for a shop's domain objects.
#
# `@dataclass` writes `__init__`, `__repr__` and `__eq__` from the annotated fields
# (https://docs.python.org/3/library/dataclasses.html). Its options are design decisions:
#
# - `frozen=True`: a VALUE OBJECT (Money) cannot change after it is made; assigning a field raises
#   `dataclasses.FrozenInstanceError`, and a frozen dataclass with `eq` gets a `__hash__`, so it
#   can be a dict key or in a set. (A plain `eq=True` dataclass sets `__hash__ = None`.)
# - `__post_init__` runs after the generated `__init__`: the place to VALIDATE. Money takes a
#   `Decimal` only (TypeError for anything else: 0.1 + 0.2 != 0.3 in floats) and an ISO 4217 code
#   (three uppercase letters, else ValueError). OrderLine needs quantity >= 1 (ValueError).
# - MUTABLE DEFAULTS: `lines: list = []` is refused by dataclasses, but the same bug sneaks back as
#   `default_factory=lambda: SOME_GLOBAL` (every order shares one object). A default factory must
#   build a NEW object each time: every order starts with its own copy of DEFAULT_TAGS.
# - `field(repr=False)`: the payment token must never show up in a repr (reprs end up in logs and
#   error reports). `field(compare=False)`: two orders that differ only by token are equal.
# - `order=True` generates `<`: a Job sorts by (priority, sequence). Its payload is a dict, and
#   dicts cannot be compared, so the payload must be left out of comparisons (`compare=False`),
#   or `heapq` crashes on two jobs with equal priority and sequence.
#
# Also:
# - `Money.add`: only the same currency (ValueError otherwise); returns a new Money.
# - `OrderLine.total` is unit price times quantity; `Order.total()` sums the lines (an empty order
#   totals 0 in its currency); `Order.add_line` refuses a line in another currency (ValueError).
# - `to_json(order)`: `dataclasses.asdict` plus what JSON needs: amounts as strings (exact), the
#   tags as a sorted list, no payment_token, and a "total" (string).


import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

CURRENCY = re.compile(r"[A-Z]{3}")
DEFAULT_TAGS = {"web"}


@dataclass  # TODO: a value object
class Money:
    amount: Decimal
    currency: str

    # TODO: __post_init__ validation

    def add(self, other: "Money") -> "Money":
        # TODO: refuse another currency
        return Money(self.amount + other.amount, self.currency)


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Money

    # TODO: quantity >= 1

    @property
    def total(self) -> Money:
        return self.unit_price  # TODO


@dataclass
class Order:
    id: str
    currency: str
    lines: list[OrderLine] = field(default_factory=list)
    tags: set[str] = field(default_factory=lambda: DEFAULT_TAGS)  # TODO: shared!
    payment_token: str = ""  # TODO: never in a repr, not compared

    def add_line(self, line: OrderLine) -> None:
        self.lines.append(line)

    def total(self) -> Money:
        return Money(Decimal("0"), self.currency)  # TODO


def to_json(order: Order) -> dict:
    return asdict(order)  # TODO


@dataclass(order=True)
class Job:
    priority: int
    sequence: int
    payload: dict = field(default_factory=dict)  # TODO
