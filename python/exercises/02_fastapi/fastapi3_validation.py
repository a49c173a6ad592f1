"""Validation with Pydantic: the model is the contract, and FastAPI answers 422 for what breaks it.

FastAPI validates a request body against the Pydantic model of the parameter *before* your code
runs. What does not fit is answered with 422 Unprocessable Content (RFC 9110 §15.5.21: the
syntax is fine, the content is not) and a body that points at each broken field:
`{"detail": [{"loc": ["body", "quantity"], "msg": "...", "type": "..."}, ...]}`. So put the rules
in the model, not in `if` statements that `raise HTTPException(400)`: the client then learns
*which* field is wrong, and the OpenAPI schema documents the rule.

Pydantic tools (https://docs.pydantic.dev/latest/concepts/fields/):
- `Field(ge=1, le=100)`, `Field(min_length=..., max_length=...)`, `Field(pattern=r"^...$")`.
  A pattern is *searched*, not matched as a whole: without `^` and `$`, "XMUG-00011" contains a
  valid sku and passes. And `\d` is any Unicode digit (Pydantic's regex engine is Unicode-aware):
  "١٢٣٤٥" (Arabic-Indic) is five `\d`. Digits here are ASCII: write `[0-9]`.
- Lax mode converts: `"3"` becomes 3 and `true` becomes 1. For a JSON number field that is a bug
  (a quantity of `true`?). `Field(strict=True)` (or `StrictInt`) refuses anything but an int.
- `Literal["pickup", "ship"]` accepts exactly those strings.
- `model_config = ConfigDict(extra="forbid")`: unknown fields are errors. Otherwise a client
  that sends `"total_cents": 1` is silently ignored today and trusted by tomorrow's refactor
  (mass assignment).
- `@model_validator(mode="after")`: rules across fields. Raise `ValueError` in it and Pydantic
  turns it into a validation error (422).

What leaves the server is a contract too: `response_model=OrderOut` (or the return annotation)
filters the returned dict down to the model's fields, so the internal `cost_cents` stays inside.

A sku that is well-formed but not in the catalog is unprocessable content as well: 422 (the URI
/orders exists, so not 404), with a body of the same shape as the model's errors, so a client
finds the field: `detail` a list whose error has `"loc": ["body", "sku"]`.
"""

import uuid

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

# sku -> (price in cents, our cost in cents). The cost is internal: it never leaves the server.
CATALOG: dict[str, tuple[int, int]] = {
    "MUG-0001": (1250, 400),
    "TEE-0042": (2400, 900),
    "CAP-0100": (1800, 650),
}


class Address(BaseModel):
    # TODO: no unknown fields; street 1..100 chars, city 1..60 chars, postcode five digits 0-9,
    # country two uppercase letters (ISO 3166-1 alpha-2).
    street: str
    city: str
    postcode: str
    country: str


class OrderIn(BaseModel):
    # TODO: no unknown fields; sku is three uppercase letters, "-", four digits 0-9; quantity a
    # strict int from 1 to 100; delivery "pickup" or "ship"; note at most 200 characters.
    # TODO: "ship" needs an address, "pickup" takes none (a model validator).
    sku: str
    quantity: int
    delivery: str
    address: Address | None = None
    note: str | None = None


class OrderOut(BaseModel):
    id: uuid.UUID
    sku: str
    quantity: int
    delivery: str
    address: Address | None
    note: str | None
    total_cents: int


def create_app() -> FastAPI:
    app = FastAPI()
    orders: dict[uuid.UUID, dict] = {}

    # TODO: 201, and only OrderOut's fields in the response.
    @app.post("/orders")
    def create_order(order: OrderIn) -> dict:
        # TODO: an unknown sku is 422 (a KeyError here is a 500).
        price, cost = CATALOG[order.sku]
        record = {
            "id": uuid.uuid4(),
            **order.model_dump(),
            "total_cents": price * order.quantity,
            "cost_cents": cost * order.quantity,
        }
        orders[record["id"]] = record
        return record

    # TODO: the id is a UUID (a path that is not one is 422); an unknown id is 404.
    @app.get("/orders/{order_id}")
    def get_order(order_id: str) -> dict:
        for key, record in orders.items():
            if str(key) == order_id:
                return record
        return {}

    return app
