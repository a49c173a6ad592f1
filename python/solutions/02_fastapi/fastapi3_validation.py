"""Validation with Pydantic: the model is the contract, and FastAPI answers 422 for what breaks it."""

import uuid
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

# sku -> (price in cents, our cost in cents). The cost is internal: it never leaves the server.
CATALOG: dict[str, tuple[int, int]] = {
    "MUG-0001": (1250, 400),
    "TEE-0042": (2400, 900),
    "CAP-0100": (1800, 650),
}


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    street: str = Field(min_length=1, max_length=100)
    city: str = Field(min_length=1, max_length=60)
    postcode: str = Field(pattern=r"^[0-9]{5}$")
    country: str = Field(pattern=r"^[A-Z]{2}$")


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(pattern=r"^[A-Z]{3}-[0-9]{4}$")
    quantity: Annotated[int, Field(strict=True, ge=1, le=100)]
    delivery: Literal["pickup", "ship"]
    address: Address | None = None
    note: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def address_matches_delivery(self) -> "OrderIn":
        if self.delivery == "ship" and self.address is None:
            raise ValueError("an order to ship needs an address")
        if self.delivery == "pickup" and self.address is not None:
            raise ValueError("an order for pickup takes no address")
        return self


class OrderOut(BaseModel):
    id: uuid.UUID
    sku: str
    quantity: int
    delivery: Literal["pickup", "ship"]
    address: Address | None
    note: str | None
    total_cents: int


def create_app() -> FastAPI:
    app = FastAPI()
    orders: dict[uuid.UUID, dict] = {}

    @app.post("/orders", status_code=201, response_model=OrderOut)
    def create_order(order: OrderIn) -> dict:
        if order.sku not in CATALOG:
            raise HTTPException(
                422,
                detail=[{"loc": ["body", "sku"], "msg": "unknown sku", "type": "value_error"}],
            )
        price, cost = CATALOG[order.sku]
        record = {
            "id": uuid.uuid4(),
            **order.model_dump(),
            "total_cents": price * order.quantity,
            "cost_cents": cost * order.quantity,
        }
        orders[record["id"]] = record
        return record

    @app.get("/orders/{order_id}", response_model=OrderOut)
    def get_order(order_id: uuid.UUID) -> dict:
        if order_id not in orders:
            raise HTTPException(404, detail="no such order")
        return orders[order_id]

    return app
