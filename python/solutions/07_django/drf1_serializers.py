"""DRF serializers: field and object validation, read-only fields, nested writes.

(Reference solution.)
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import models, transaction
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
    sku = serializers.SlugRelatedField(
        source="product", slug_field="sku", queryset=Product.objects.filter(active=True)
    )
    quantity = serializers.IntegerField(min_value=1, max_value=100)
    line_total = serializers.SerializerMethodField()

    class Meta:
        model = OrderItem
        fields = ["sku", "quantity", "unit_price", "line_total"]
        read_only_fields = ["unit_price"]

    def get_line_total(self, item):
        return str((item.quantity * item.unit_price).quantize(CENT))


class OrderSerializer(serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.username")
    items = OrderItemSerializer(many=True, allow_empty=False)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "owner", "status", "note", "coupon", "items", "total"]
        read_only_fields = ["status"]

    def get_total(self, order):
        return str(order_total(order))

    def validate_coupon(self, value):
        code = value.strip().upper()
        if code and code not in COUPONS:
            raise serializers.ValidationError("unknown coupon")
        return code

    def validate_items(self, items):
        skus = [item["product"].sku for item in items]
        if len(skus) != len(set(skus)):
            raise serializers.ValidationError("each product may appear once")
        return items

    def validate(self, attrs):
        if self.instance is not None and "items" in attrs:
            raise serializers.ValidationError({"items": "the items of an order cannot change"})
        if attrs.get("coupon") == "BULK5":
            items = attrs.get("items")
            if items is None and self.instance is not None:
                units = sum(item.quantity for item in self.instance.items.all())
            else:
                units = sum(item["quantity"] for item in items or [])
            if units < BULK_MINIMUM:
                raise serializers.ValidationError(
                    {"coupon": f"BULK5 needs at least {BULK_MINIMUM} units"}
                )
        return attrs

    def create(self, validated_data):
        items = validated_data.pop("items")
        with transaction.atomic():
            order = Order.objects.create(**validated_data)
            OrderItem.objects.bulk_create(
                OrderItem(
                    order=order,
                    product=item["product"],
                    quantity=item["quantity"],
                    unit_price=item["product"].price,
                )
                for item in items
            )
        return order


def orders_for(user):
    """The user's orders, oldest first, with what OrderSerializer reads already fetched."""
    return (
        Order.objects.filter(owner=user)
        .select_related("owner")
        .prefetch_related("items__product")
        .order_by("id")
    )
