"""Tests of the price quote that reach every branch and assert every result (reference solution)."""

import pytest


def test_a_plain_german_order_below_free_shipping(pricing):
    assert pricing.quote([(1999, 2)]) == {"subtotal": 3998, "discount": 0, "shipping": 490, "total": 4488}


@pytest.mark.parametrize("items, shipping", [([(5000, 1)], 0), ([(4999, 1)], 490), ([(2500, 2)], 0)])
def test_free_shipping_in_germany_from_50(pricing, items, shipping):
    assert pricing.quote(items)["shipping"] == shipping


def test_free_shipping_is_judged_after_the_discount(pricing):
    assert pricing.quote([(5000, 1)], coupon="WELCOME10") == {"subtotal": 5000, "discount": 500, "shipping": 490, "total": 4990}


@pytest.mark.parametrize("country, shipping", [("FR", 990), ("PL", 990), ("AT", 990), ("CH", 2490), ("US", 2490)])
def test_shipping_outside_germany(pricing, country, shipping):
    assert pricing.quote([(9000, 1)], country=country) == {"subtotal": 9000, "discount": 0, "shipping": shipping, "total": 9000 + shipping}


@pytest.mark.parametrize("subtotal, discount", [(1000, 100), (1009, 100), (999, 99), (5, 0)])
def test_welcome10_rounds_down(pricing, subtotal, discount):
    assert pricing.quote([(subtotal, 1)], coupon="WELCOME10")["discount"] == discount


def test_flat500_from_20(pricing):
    assert pricing.quote([(2000, 1)], coupon="FLAT500") == {"subtotal": 2000, "discount": 500, "shipping": 490, "total": 1990}
    with pytest.raises(ValueError):
        pricing.quote([(1999, 1)], coupon="FLAT500")


@pytest.mark.parametrize("coupon", ["welcome10", "BOGUS", ""])
def test_unknown_coupons_are_errors(pricing, coupon):
    with pytest.raises(ValueError):
        pricing.quote([(1000, 1)], coupon=coupon)


@pytest.mark.parametrize("subtotal, discount", [(1000, 50), (1019, 50), (1020, 51)])
def test_members_get_five_percent_rounded_down(pricing, subtotal, discount):
    assert pricing.quote([(subtotal, 1)], member=True)["discount"] == discount


def test_member_discount_does_not_stack_with_a_coupon(pricing):
    assert pricing.quote([(3000, 1)], coupon="FLAT500", member=True)["discount"] == 500
    assert pricing.quote([(3000, 1)], coupon="WELCOME10", member=True)["discount"] == 300


@pytest.mark.parametrize("items", [[], [(1000, 0)], [(1000, -1)], [(-1, 1)], [(1000, 1), (500, 0)]])
def test_invalid_carts(pricing, items):
    with pytest.raises(ValueError):
        pricing.quote(items)


def test_free_items_are_fine(pricing):
    assert pricing.quote([(0, 3), (100, 1)])["subtotal"] == 100
