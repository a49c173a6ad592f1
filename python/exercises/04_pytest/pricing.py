"""Course code (read it, do not edit it): the checkout's price quote, the subject of coverage1.

quote(items, coupon=None, country="DE", member=False) -> dict of integer cents:
- `items`: a non-empty list of (unit_price_cents, quantity); a quantity below 1 or a negative
  price is a ValueError, and so is an empty cart.
- coupons: "WELCOME10" takes 10% off the subtotal (rounded DOWN to the cent); "FLAT500" takes 5.00
  off but needs a subtotal of at least 20.00 (below that: ValueError); any other coupon is a
  ValueError (an unknown coupon must not silently give nothing: the client shows an error).
- members get 5% off (rounded down) when no coupon gave a discount: discounts do not stack.
- shipping on the discounted amount: Germany ("DE") is free from 50.00 on, else 4.90; the other
  EU countries in EU_COUNTRIES pay 9.90; the rest of the world 24.90.
- the answer: {"subtotal", "discount", "shipping", "total"}, total = subtotal - discount + shipping.
"""

EU_COUNTRIES = {"AT", "BE", "FR", "IT", "NL", "PL", "ES"}
FREE_SHIPPING_DE = 5000


def quote(items, coupon=None, country="DE", member=False):
    if not items:
        raise ValueError("the cart is empty")
    subtotal = 0
    for unit_price, quantity in items:
        if quantity < 1 or unit_price < 0:
            raise ValueError("invalid item")
        subtotal += unit_price * quantity

    discount = 0
    if coupon is not None:
        if coupon == "WELCOME10":
            discount = subtotal // 10
        elif coupon == "FLAT500":
            if subtotal < 2000:
                raise ValueError("FLAT500 needs a subtotal of at least 20.00")
            discount = 500
        else:
            raise ValueError(f"unknown coupon {coupon!r}")
    if member and discount == 0:
        discount = subtotal * 5 // 100

    net = subtotal - discount
    if country == "DE":
        shipping = 0 if net >= FREE_SHIPPING_DE else 490
    elif country in EU_COUNTRIES:
        shipping = 990
    else:
        shipping = 2490
    return {"subtotal": subtotal, "discount": discount, "shipping": shipping, "total": net + shipping}
