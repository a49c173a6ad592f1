"""Dataclasses for a shop's domain objects (reference solution)."""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

CURRENCY = re.compile(r"[A-Z]{3}")
DEFAULT_TAGS = {"web"}


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("amount must be a Decimal")
        if not CURRENCY.fullmatch(self.currency):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    def add(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Money

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("quantity must be at least 1")

    @property
    def total(self) -> Money:
        return Money(self.unit_price.amount * self.quantity, self.unit_price.currency)


@dataclass
class Order:
    id: str
    currency: str
    lines: list[OrderLine] = field(default_factory=list)
    tags: set[str] = field(default_factory=lambda: set(DEFAULT_TAGS))
    payment_token: str = field(default="", repr=False, compare=False)

    def add_line(self, line: OrderLine) -> None:
        if line.unit_price.currency != self.currency:
            raise ValueError("line currency differs from the order's")
        self.lines.append(line)

    def total(self) -> Money:
        total = Money(Decimal("0"), self.currency)
        for line in self.lines:
            total = total.add(line.total)
        return total


def to_json(order: Order) -> dict:
    data = asdict(order)
    del data["payment_token"]
    data["tags"] = sorted(order.tags)
    for line in data["lines"]:
        line["unit_price"]["amount"] = str(line["unit_price"]["amount"])
    data["total"] = str(order.total().amount)
    return data


@dataclass(order=True)
class Job:
    priority: int
    sequence: int
    payload: dict = field(default_factory=dict, compare=False)
