"""DRF serializers: field and object validation, read-only fields, nested writes.

A serializer (https://www.django-rest-framework.org/api-guide/serializers/) is both directions
of an API's contract: `OrderSerializer(order).data` turns a model into JSON-ready data, and
`OrderSerializer(data=request_json)` validates input (`.is_valid()`, `.errors`,
`.validated_data`) and writes it (`.save(owner=request.user)` calls `create` or `update`).

Validation runs in layers (https://www.django-rest-framework.org/api-guide/serializers/#validation):
1. each field's own checks (type, `min_value`/`max_value`, a `SlugRelatedField`'s queryset:
   only the objects of that queryset can be chosen);
2. `validate_<field>(self, value)`: one field, may return a normalized value;
3. `validate(self, attrs)`: rules across fields; raise `ValidationError({"field": "msg"})` to
   put the error on a field. On an update, `self.instance` is the object being changed, and
   with `partial=True` attrs holds only what was sent.

**Read-only fields** are output only: whatever the client sends for them is ignored
(`read_only_fields`, `ReadOnlyField`, `SerializerMethodField`). That is how a client cannot
choose an order's owner, status, total or *unit prices*: the price is copied from the product
when the order is created, and keeps that value if the product's price changes later.

**Nested writes**: `items = OrderItemSerializer(many=True)` validates a list of items, but DRF
refuses to guess how to save them: write `create(self, validated_data)` yourself (pop the
items, create the order, then its items, all in one `transaction.atomic()` so a failure leaves
no half order). `allow_empty=False` refuses `[]`.
(https://www.django-rest-framework.org/api-guide/serializers/#writable-nested-representations)

The rules of the shop:
- items: a non-empty list, each product at most once ("each product may appear once"); a
  product by its `sku` (exact case), active products only; quantity an integer from 1 to 100;
- `coupon`: optional, stripped and upper-cased; unknown codes: "unknown coupon"; BULK5 needs at
  least 10 units in the whole order, on create and on update ("BULK5 needs at least 10 units",
  on the `coupon` field);
- `total`: the sum of quantity x unit price, minus the coupon's percent, rounded half up to the
  cent (`Decimal.quantize(CENT, rounding=ROUND_HALF_UP)`), as a string; `line_total` likewise;
- an update may change the note and the coupon, never the items (an error on `items`);
- `orders_for(user)`: the user's orders with everything the serializer reads fetched in three
  queries, however many orders (`select_related`, `prefetch_related("items__product")`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import models, transaction  # noqa: F401 - atomic
from rest_framework import serializers


class Product(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    active = models.BooleanField(default=True)

    class Meta:
        app_label = "lessons"


class Order(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=10, default="draft")
    note = models.CharField(max_length=200, blank=True)
    coupon = models.CharField(max_length=20, blank=True)

    class Meta:
        app_label = "lessons"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        app_label = "lessons"
        ordering = ["id"]


# Coupon code -> percent off the order's total.
COUPONS = {"WELCOME10": 10, "BULK5": 5}
# BULK5 needs at least this many units in the order.
BULK_MINIMUM = 10
CENT = Decimal("0.01")


def order_total(order):
    total = sum((item.quantity * item.unit_price for item in order.items.all()), Decimal(0))
    percent = COUPONS.get(order.coupon, 0)
    return (total * (100 - percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class OrderItemSerializer(serializers.ModelSerializer):
    # TODO: only active products; quantity from 1 to 100; unit_price read-only.
    sku = serializers.SlugRelatedField(
        source="product", slug_field="sku", queryset=Product.objects.all()
    )
    line_total = serializers.SerializerMethodField()

    class Meta:
        model = OrderItem
        fields = ["sku", "quantity", "unit_price", "line_total"]

    def get_line_total(self, item):
        return str((item.quantity * item.unit_price).quantize(CENT))


class OrderSerializer(serializers.ModelSerializer):
    # TODO: the owner's username, read-only; a non-empty list of items; status read-only;
    # validate_coupon, validate_items, validate, create (see the module's docstring).
    owner = serializers.CharField(source="owner.username")
    items = OrderItemSerializer(many=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "owner", "status", "note", "coupon", "items", "total"]

    def get_total(self, order):
        return str(order_total(order))


def orders_for(user):
    """The user's orders, oldest first, with what OrderSerializer reads already fetched."""
    # TODO: one query per order, per item and per product as it stands.
    return Order.objects.filter(owner=user).order_by("id")
