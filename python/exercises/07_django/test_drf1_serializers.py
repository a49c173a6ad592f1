from decimal import Decimal

import pytest

import djangosite

djangosite.setup(urls="drf1_serializers")

from django.contrib.auth.models import User  # noqa: E402
from djangosite import Queries, db  # noqa: E402,F401 - `db` is a fixture

from drf1_serializers import (  # noqa: E402
    Order,
    OrderItem,
    OrderSerializer,
    Product,
    orders_for,
)


@pytest.fixture
def alice(db):
    Product.objects.create(sku="PEN", name="Pen", price=Decimal("1.15"))
    Product.objects.create(sku="INK", name="Ink", price=Decimal("4.00"))
    Product.objects.create(sku="OLD", name="Discontinued", price=Decimal("9.99"), active=False)
    return User.objects.create_user("alice")


def create(user, data):
    serializer = OrderSerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    order = serializer.save(owner=user)
    return order, serializer.data


def errors(data, instance=None, partial=False):
    serializer = OrderSerializer(instance, data=data, partial=partial)
    assert not serializer.is_valid(), "this data must be refused"
    return serializer.errors


def test_a_nested_create_and_its_representation(alice):
    order, data = create(
        alice, {"note": "gift", "items": [{"sku": "PEN", "quantity": 3}, {"sku": "INK", "quantity": 1}]}
    )
    assert data == {
        "id": order.pk,
        "owner": "alice",
        "status": "draft",
        "note": "gift",
        "coupon": "",
        "items": [
            {"sku": "PEN", "quantity": 3, "unit_price": "1.15", "line_total": "3.45"},
            {"sku": "INK", "quantity": 1, "unit_price": "4.00", "line_total": "4.00"},
        ],
        "total": "7.45",
    }
    assert OrderItem.objects.filter(order=order).count() == 2


def test_read_only_fields_in_the_input_are_ignored(alice):
    mallory = User.objects.create_user("mallory")
    order, data = create(
        alice,
        {
            "id": 999, "owner": "mallory", "owner_id": mallory.pk, "status": "placed",
            "total": "0.01", "note": "",
            "items": [{"sku": "INK", "quantity": 2, "unit_price": "0.01", "line_total": "0.02"}],
        },
    )
    assert order.owner == alice and order.status == "draft" and order.pk != 999
    assert data["items"] == [
        {"sku": "INK", "quantity": 2, "unit_price": "4.00", "line_total": "8.00"}
    ], "the price comes from the product, never from the client"
    assert data["total"] == "8.00"


def test_the_price_is_a_snapshot_of_the_product_s_price(alice):
    order, _ = create(alice, {"items": [{"sku": "PEN", "quantity": 2}]})
    Product.objects.filter(sku="PEN").update(price=Decimal("9.00"))
    assert OrderSerializer(Order.objects.get(pk=order.pk)).data["total"] == "2.30"


@pytest.mark.parametrize("sku", ["NOPE", "OLD", "pen"])
def test_an_unknown_or_inactive_product_is_an_error_on_its_item(alice, sku):
    found = errors({"items": [{"sku": "PEN", "quantity": 1}, {"sku": sku, "quantity": 1}]})
    # DRF reports a nested list's errors by the index of each item that failed.
    assert set(found) == {"items"} and set(found["items"]) == {1}
    assert set(found["items"][1]) == {"sku"}
    assert Order.objects.count() == 0


@pytest.mark.parametrize("quantity", [0, -1, 101, "two", None])
def test_quantity_must_be_1_to_100(alice, quantity):
    found = errors({"items": [{"sku": "PEN", "quantity": quantity}]})
    assert set(found) == {"items"} and set(found["items"]) == {0}
    assert set(found["items"][0]) == {"quantity"}


@pytest.mark.parametrize("quantity", [1, 100])
def test_quantity_bounds_are_inclusive(alice, quantity):
    _, data = create(alice, {"items": [{"sku": "PEN", "quantity": quantity}]})
    assert data["items"][0]["quantity"] == quantity


@pytest.mark.parametrize("items", [[], None, "PEN"])
def test_an_order_needs_a_list_of_items(alice, items):
    data = {"note": "x"} if items is None else {"items": items}
    assert set(errors(data)) == {"items"}


def test_a_product_may_appear_once(alice):
    found = errors({"items": [{"sku": "PEN", "quantity": 1}, {"sku": "PEN", "quantity": 2}]})
    assert found == {"items": ["each product may appear once"]}


def test_coupons_are_normalized_and_checked(alice):
    _, data = create(alice, {"coupon": "  welcome10 ", "items": [{"sku": "PEN", "quantity": 3}]})
    assert data["coupon"] == "WELCOME10"
    assert data["total"] == "3.11", "3.45 - 10% = 3.105, rounded half up to the cent"
    assert errors({"coupon": "FREE", "items": [{"sku": "PEN", "quantity": 1}]}) == {
        "coupon": ["unknown coupon"]
    }


def test_an_empty_coupon_is_no_coupon(alice):
    _, data = create(alice, {"coupon": "  ", "items": [{"sku": "INK", "quantity": 1}]})
    assert data["coupon"] == "" and data["total"] == "4.00"


def test_bulk5_needs_ten_units_in_the_whole_order(alice):
    nine = [{"sku": "PEN", "quantity": 5}, {"sku": "INK", "quantity": 4}]
    assert errors({"coupon": "bulk5", "items": nine}) == {
        "coupon": ["BULK5 needs at least 10 units"]
    }
    ten = [{"sku": "PEN", "quantity": 5}, {"sku": "INK", "quantity": 5}]
    _, data = create(alice, {"coupon": "bulk5", "items": ten})
    assert data["total"] == "24.46", "(5.75 + 20.00) - 5% = 24.4625"


def test_a_failure_while_writing_the_items_leaves_no_order(alice, monkeypatch):
    # The database refuses the items (a constraint, a lost connection...): the order written
    # just before them must go too, in one transaction.atomic().
    from django.db import IntegrityError
    from django.db.models.query import QuerySet

    def refuse(*args, **kwargs):
        raise IntegrityError("simulated: the items cannot be written")

    bulk_create = QuerySet.bulk_create

    def refuse_items(queryset, *args, **kwargs):
        if queryset.model is OrderItem:
            refuse()
        return bulk_create(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", refuse_items)
    monkeypatch.setattr(OrderItem, "save", refuse)
    serializer = OrderSerializer(data={"note": "half", "items": [{"sku": "PEN", "quantity": 1}]})
    assert serializer.is_valid(), serializer.errors
    with pytest.raises(IntegrityError):
        serializer.save(owner=alice)
    assert Order.objects.count() == 0, (
        "the order was written but its items were not: write both in one transaction.atomic()"
    )


def test_a_partial_update_changes_only_writable_fields(alice):
    order, _ = create(alice, {"note": "a", "items": [{"sku": "PEN", "quantity": 1}]})
    serializer = OrderSerializer(
        order, data={"note": "b", "status": "placed", "owner": "bob"}, partial=True
    )
    assert serializer.is_valid(), serializer.errors
    serializer.save()
    order.refresh_from_db()
    assert (order.note, order.status, order.owner) == ("b", "draft", alice)


def test_the_items_cannot_be_changed_by_an_update(alice):
    order, _ = create(alice, {"items": [{"sku": "PEN", "quantity": 1}]})
    found = errors({"items": [{"sku": "INK", "quantity": 9}]}, instance=order, partial=True)
    assert set(found) == {"items"}
    assert list(order.items.values_list("product__sku", "quantity")) == [("PEN", 1)]


def test_bulk5_on_update_counts_the_order_s_units(alice):
    order, _ = create(alice, {"items": [{"sku": "PEN", "quantity": 4}]})
    assert errors({"coupon": "BULK5"}, instance=order, partial=True) == {
        "coupon": ["BULK5 needs at least 10 units"]
    }


@pytest.mark.parametrize("count", [2, 6])
def test_serializing_a_user_s_orders_takes_a_fixed_number_of_queries(alice, count):
    bob = User.objects.create_user("bob")
    create(bob, {"items": [{"sku": "PEN", "quantity": 1}]})
    for n in range(count):
        create(alice, {"note": str(n), "items": [{"sku": "PEN", "quantity": 1}, {"sku": "INK", "quantity": 2}]})
    with Queries() as q:
        data = OrderSerializer(orders_for(alice), many=True).data
    assert [order["note"] for order in data] == [str(n) for n in range(count)]
    assert all(order["owner"] == "alice" for order in data)
    assert q.count == 3, (
        "orders (joined to their owner), their items, the items' products: "
        f"ran {q.count}:\n{q.report()}"
    )
