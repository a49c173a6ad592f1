"""The course's grading of coverage1_pricing: the branch coverage YOUR tests reach in pricing.py,
and the planted bugs they catch (see suite_runner.py)."""

import io

import coverage
import pytest

from suite_runner import HERE, assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "coverage1_pricing", "pricing", "pricing"
MINIMUM_TESTS = 10


def run(pytestconfig, edits=(), plugins=()):
    return run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits, plugins)


def test_your_suite_passes_against_the_real_quote(pytestconfig):
    assert_suite_passes(run(pytestconfig), MINIMUM_TESTS)


def test_your_suite_reaches_every_line_and_branch_of_pricing(pytestconfig):
    target = str(HERE / f"{SUBJECT}.py")
    cov = coverage.Coverage(data_file=None, branch=True, include=[target], config_file=False)
    cov.start()
    try:
        result = run(pytestconfig)
    finally:
        cov.stop()
    assert_suite_passes(result, MINIMUM_TESTS)
    report = io.StringIO()
    percent = cov.report(morfs=[target], file=report, show_missing=True)
    assert percent == 100.0, "branch coverage of pricing.py is below 100%:\n" + report.getvalue()


PLANTED_BUGS = [
    ("free shipping from 50.01 instead of 50.00",
     [("shipping = 0 if net >= FREE_SHIPPING_DE else 490", "shipping = 0 if net > FREE_SHIPPING_DE else 490")]),
    ("free shipping judged before the discount",
     [("shipping = 0 if net >= FREE_SHIPPING_DE else 490", "shipping = 0 if subtotal >= FREE_SHIPPING_DE else 490")]),
    ("WELCOME10 rounds to nearest instead of down",
     [("discount = subtotal // 10", "discount = round(subtotal / 10)")]),
    ("FLAT500 allowed from 19.99",
     [("if subtotal < 2000:", "if subtotal < 1999:")]),
    ("member discount stacks with coupons",
     [("if member and discount == 0:\n        discount = subtotal * 5 // 100",
       "if member:\n        discount += subtotal * 5 // 100")]),
    ("an unknown coupon silently gives nothing",
     [('            raise ValueError(f"unknown coupon {coupon!r}")', "            discount = 0")]),
    ("coupon codes case-insensitive",
     [('        if coupon == "WELCOME10":', '        coupon = coupon.upper()\n        if coupon == "WELCOME10":')]),
    ("a quantity of zero accepted",
     [("if quantity < 1 or unit_price < 0:", "if quantity < 0 or unit_price < 0:")]),
    ("EU shipping charged like the rest of the world for some countries",
     [('EU_COUNTRIES = {"AT", "BE", "FR", "IT", "NL", "PL", "ES"}', 'EU_COUNTRIES = {"BE", "FR", "IT", "NL", "ES"}')]),
    ("the member discount rounds up",
     [("discount = subtotal * 5 // 100", "discount = -(-subtotal * 5 // 100)")]),
    ("the total forgets shipping",
     [('"total": net + shipping}', '"total": net}')]),
    ("a negative unit price accepted",
     [("if quantity < 1 or unit_price < 0:", "if quantity < 1:")]),
    ("a free item (price 0) refused",
     [("if quantity < 1 or unit_price < 0:", "if quantity < 1 or unit_price <= 0:")]),
    ("the total forgets the discount",
     [('"total": net + shipping}', '"total": subtotal + shipping}')]),
]


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run(pytestconfig, edits), label)
