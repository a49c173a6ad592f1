import uuid

import pytest
from fastapi.testclient import TestClient

from fastapi3_validation import create_app

ADDRESS = {"street": "Hauptstr. 5", "city": "Köln", "postcode": "50667", "country": "DE"}
PICKUP = {"sku": "MUG-0001", "quantity": 2, "delivery": "pickup"}
SHIP = {"sku": "TEE-0042", "quantity": 1, "delivery": "ship", "address": ADDRESS}


@pytest.fixture
def client():
    return TestClient(create_app())


def with_(base, **changes):
    body = dict(base)
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


def test_a_valid_order_is_201_with_the_public_fields_only(client):
    r = client.post("/orders", json=SHIP)
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "sku", "quantity", "delivery", "address", "note", "total_cents"}, (
        "the response model filters what leaves the server: no cost, no internal fields"
    )
    assert body["total_cents"] == 2400
    assert body["address"] == ADDRESS
    assert body["note"] is None, "a note that was not sent is null, not an empty string"
    uuid.UUID(body["id"])
    again = client.get(f"/orders/{body['id']}")
    assert again.status_code == 200
    assert again.json() == body


@pytest.mark.parametrize("quantity", [1, 100])
def test_quantity_bounds_are_inclusive(client, quantity):
    r = client.post("/orders", json=with_(PICKUP, quantity=quantity))
    assert r.status_code == 201
    assert r.json()["total_cents"] == 1250 * quantity


@pytest.mark.parametrize("sku,price", [("MUG-0001", 1250), ("TEE-0042", 2400), ("CAP-0100", 1800)])
def test_every_sku_is_priced_from_the_catalog(client, sku, price):
    r = client.post("/orders", json=with_(PICKUP, sku=sku, quantity=3))
    assert r.status_code == 201
    assert r.json()["total_cents"] == 3 * price


LIMITS = [
    ("street of 1", with_(SHIP, address=with_(ADDRESS, street="x"))),
    ("street of 100", with_(SHIP, address=with_(ADDRESS, street="x" * 100))),
    ("city of 1", with_(SHIP, address=with_(ADDRESS, city="x"))),
    ("city of 60", with_(SHIP, address=with_(ADDRESS, city="x" * 60))),
    ("note of 200", with_(PICKUP, note="x" * 200)),
]


@pytest.mark.parametrize("body", [case[1] for case in LIMITS], ids=[case[0] for case in LIMITS])
def test_lengths_at_their_limits_are_accepted(client, body):
    r = client.post("/orders", json=body)
    assert r.status_code == 201, r.json()
    sent = body.get("address") or {}
    assert r.json()["address"] == (sent or None)
    assert r.json()["note"] == body.get("note")


INVALID = [
    ("quantity zero", with_(PICKUP, quantity=0), ["body", "quantity"]),
    ("quantity 101", with_(PICKUP, quantity=101), ["body", "quantity"]),
    ("quantity true", with_(PICKUP, quantity=True), ["body", "quantity"]),
    ("quantity as text", with_(PICKUP, quantity="3"), ["body", "quantity"]),
    ("quantity 2.5", with_(PICKUP, quantity=2.5), ["body", "quantity"]),
    ("quantity missing", with_(PICKUP, quantity=...), ["body", "quantity"]),
    # The sku's format is checked by the model (its error type says so), before the catalog.
    ("sku lowercase", with_(PICKUP, sku="mug-0001"), ["body", "sku", "string_pattern_mismatch"]),
    ("sku with extra digits", with_(PICKUP, sku="MUG-00011"), ["body", "sku", "string_pattern_mismatch"]),
    ("sku with a prefix", with_(PICKUP, sku="XMUG-0001"), ["body", "sku", "string_pattern_mismatch"]),
    ("sku with Arabic-Indic digits", with_(PICKUP, sku="MUG-٠٠٠١"), ["body", "sku", "string_pattern_mismatch"]),
    ("unknown delivery", with_(PICKUP, delivery="drone"), ["body", "delivery"]),
    ("client sets its price", with_(PICKUP, total_cents=1), ["body", "total_cents"]),
    ("note too long", with_(PICKUP, note="x" * 201), ["body", "note"]),
    ("bad postcode", with_(SHIP, address=with_(ADDRESS, postcode="5066")), ["body", "address", "postcode"]),
    # \d matches any Unicode digit: a postcode is five ASCII digits.
    ("postcode in Arabic-Indic digits", with_(SHIP, address=with_(ADDRESS, postcode="٥٠٦٦٧")), ["body", "address", "postcode"]),
    ("empty street", with_(SHIP, address=with_(ADDRESS, street="")), ["body", "address", "street"]),
    ("street of 101", with_(SHIP, address=with_(ADDRESS, street="x" * 101)), ["body", "address", "street"]),
    ("city of 61", with_(SHIP, address=with_(ADDRESS, city="x" * 61)), ["body", "address", "city"]),
    ("empty city", with_(SHIP, address=with_(ADDRESS, city="")), ["body", "address", "city"]),
    ("country lowercase", with_(SHIP, address=with_(ADDRESS, country="de")), ["body", "address", "country"]),
    ("unknown address field", with_(SHIP, address=with_(ADDRESS, floor=3)), ["body", "address", "floor"]),
]


@pytest.mark.parametrize("body,loc", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_fields_are_422_pointing_at_the_field(client, body, loc):
    r = client.post("/orders", json=body)
    assert r.status_code == 422, "invalid content is 422 Unprocessable Content, not 400 or 201"
    expected_type = None
    if loc[-1].endswith("_mismatch"):
        loc, expected_type = loc[:-1], loc[-1]
    errors = r.json()["detail"]
    locs = [error["loc"] for error in errors]
    assert loc in locs, f"the error names the field that is wrong: {loc} not in {locs}"
    if expected_type:
        types = [error.get("type") for error in errors if error["loc"] == loc]
        assert expected_type in types, f"expected a {expected_type} error for {loc}, got {types}"


@pytest.mark.parametrize(
    "body,message",
    [
        (with_(SHIP, address=...), "an order to ship needs an address"),
        (with_(PICKUP, address=ADDRESS), "an order for pickup takes no address"),
    ],
    ids=["ship without address", "pickup with address"],
)
def test_address_must_match_the_delivery(client, body, message):
    r = client.post("/orders", json=body)
    assert r.status_code == 422
    error = r.json()["detail"][0]
    assert error["loc"][0] == "body"
    assert error["msg"] == f"Value error, {message}", "the validator's own message reaches the client"


def test_unknown_sku_is_422(client):
    r = client.post("/orders", json=with_(PICKUP, sku="ZZZ-9999"))
    assert r.status_code == 422, "well-formed but unprocessable: not 404 (the URI exists), not 500"
    detail = r.json()["detail"]
    assert isinstance(detail, list), "the same shape as the model's errors: a list of errors"
    assert [error["loc"] for error in detail] == [["body", "sku"]], "the error points at the sku"
    assert detail == [{"loc": ["body", "sku"], "msg": "unknown sku", "type": "value_error"}]


def test_order_id_must_be_a_uuid(client):
    assert client.get("/orders/42").status_code == 422
    missing = client.get(f"/orders/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no such order"}


def test_not_json_is_422(client):
    r = client.post("/orders", content=b"sku=MUG-0001", headers={"content-type": "application/json"})
    assert r.status_code == 422
