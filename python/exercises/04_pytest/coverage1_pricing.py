"""Coverage: make your tests reach every branch, and then remember what coverage does NOT prove.

`pricing.py` (the course hands it to your tests as the fixture `pricing`) computes a checkout's
quote; its docstring is the specification. The course measures your suite with coverage.py's API
in BRANCH mode (https://coverage.readthedocs.io/en/latest/branch.html): every line of pricing.py
must run, and every `if` must go both ways (an `if` that was only ever true is a "partial
branch": `12->14` in the report's missing column means the jump from line 12 to 14 never
happened). The grading shows you the report until it is 100%.

    coverage run --branch -m pytest && coverage report -m     # the same on your machine

But coverage only says a line RAN, not that anything checked what it did: a test that calls
`pricing.quote(...)` and asserts nothing covers lines just as well. So the course also runs your
suite against planted bugs (off-by-one thresholds, rounding, stacking discounts...), and each
must fail one of your tests. Assert exact results, at the boundaries.
https://coverage.readthedocs.io/en/latest/api.html
"""

import pytest


def test_a_plain_german_order_below_free_shipping(pricing):
    assert pricing.quote([(1999, 2)]) == {"subtotal": 3998, "discount": 0, "shipping": 490, "total": 4488}


def test_welcome10(pricing):
    result = pricing.quote([(1000, 1)], coupon="WELCOME10")
    assert result  # TODO: assert what it is


# TODO: every branch: coupons, members, countries, invalid carts, the thresholds
