import dataclasses
import heapq
from decimal import Decimal

import pytest

from dataclasses1_orders import DEFAULT_TAGS, Job, Money, Order, OrderLine, to_json


def eur(amount):
    return Money(Decimal(amount), "EUR")


def test_money_is_an_immutable_hashable_value():
    price = eur("9.99")
    with pytest.raises(dataclasses.FrozenInstanceError):
        price.amount = Decimal("0")
    assert price == eur("9.99") and price != Money(Decimal("9.99"), "USD")
    assert eur("1.10") == eur("1.1")  # Decimal compares by value
    assert {price: "ok"}[eur("9.99")] == "ok"
    assert len({eur("1"), eur("1"), eur("2")}) == 2


@pytest.mark.parametrize("amount", [9.99, 10, "10.00"])
def test_money_takes_a_decimal_only(amount):
    with pytest.raises(TypeError, match="^amount must be a Decimal$"):
        Money(amount, "EUR")


@pytest.mark.parametrize("currency", ["eur", "EURO", "EU", "", "E1R", " EUR"])
def test_money_needs_an_iso_4217_code(currency):
    with pytest.raises(ValueError):
        Money(Decimal("1"), currency)


def test_money_add_same_currency_only():
    total = eur("0.10").add(eur("0.20"))
    assert total == eur("0.30") and total.amount == Decimal("0.30")
    with pytest.raises(ValueError):
        eur("1").add(Money(Decimal("1"), "USD"))


@pytest.mark.parametrize("quantity", [0, -1])
def test_order_line_quantity_is_at_least_one(quantity):
    with pytest.raises(ValueError, match="^quantity must be at least 1$"):
        OrderLine("SKU-1", quantity, eur("1"))


def test_order_totals():
    order = Order(id="o-1", currency="EUR")
    assert order.total() == eur("0")
    order.add_line(OrderLine("SKU-1", 3, eur("2.50")))
    order.add_line(OrderLine("SKU-2", 1, eur("0.99")))
    assert order.lines[0].total == eur("7.50")
    assert order.total() == eur("8.49")
    with pytest.raises(ValueError, match="^line currency differs from the order's$"):
        order.add_line(OrderLine("SKU-3", 1, Money(Decimal("1"), "USD")))
    assert len(order.lines) == 2
    line = order.lines[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.quantity = 30  # a line is a value: changing it would change a placed order's total
    assert len({line, OrderLine("SKU-1", 3, eur("2.50"))}) == 1


def test_every_order_gets_its_own_lines_and_tags():
    first, second = Order(id="o-1", currency="EUR"), Order(id="o-2", currency="EUR")
    first.tags.add("vip")
    first.add_line(OrderLine("SKU-1", 1, eur("1")))
    assert second.tags == {"web"} and second.lines == []
    assert DEFAULT_TAGS == {"web"}
    assert first.tags == {"web", "vip"}


def test_the_payment_token_never_shows_in_a_repr_and_is_not_compared():
    order = Order(id="o-1", currency="EUR", payment_token="tok_live_SECRET")
    assert "tok_live_SECRET" not in repr(order)
    assert "o-1" in repr(order)
    assert order == Order(id="o-1", currency="EUR", payment_token="tok_other")
    assert order != Order(id="o-2", currency="EUR", payment_token="tok_live_SECRET")
    assert Order(id="o-3", currency="EUR").payment_token == "", "no token until one is given"


def test_to_json():
    order = Order(id="o-1", currency="EUR", tags={"web", "b2b", "gift"}, payment_token="tok_SECRET")
    order.add_line(OrderLine("SKU-1", 2, eur("1.10")))
    assert to_json(order) == {
        "id": "o-1",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 2, "unit_price": {"amount": "1.10", "currency": "EUR"}}],
        "tags": ["b2b", "gift", "web"],
        "total": "2.20",
    }
    assert order.lines[0].unit_price.amount == Decimal("1.10")  # to_json does not change the order


class BackwardsSet(set):
    """A set that iterates in reverse alphabetical order, whatever the hash seed: list(tags) is
    then never sorted by chance."""

    def __iter__(self):
        return iter(sorted(set(super().__iter__()), reverse=True))


def test_to_json_sorts_the_tags_whatever_order_the_set_iterates_in():
    tags = BackwardsSet(["web", "b2b", "gift", "api", "vip", "eu", "mobile", "zeta"])
    assert list(tags)[:3] == ["zeta", "web", "vip"]
    order = Order(id="o-2", currency="EUR", tags=tags)
    assert to_json(order)["tags"] == ["api", "b2b", "eu", "gift", "mobile", "vip", "web", "zeta"]


def test_jobs_sort_by_priority_then_sequence_and_ignore_the_payload():
    jobs = [Job(2, 1, {"a": 1}), Job(1, 2, {"b": 2}), Job(1, 1, {"c": 3}), Job(1, 1, {"d": 4})]
    heap = []
    for job in jobs:
        heapq.heappush(heap, job)
    order = [heapq.heappop(heap) for _ in range(len(jobs))]
    assert [(j.priority, j.sequence) for j in order] == [(1, 1), (1, 1), (1, 2), (2, 1)]
    assert Job(1, 1, {"x": 1}) == Job(1, 1, {"y": 2})
    assert Job(1, 1) < Job(1, 2) < Job(2, 0)
    assert Job(1, 1).payload is not Job(1, 1).payload
