"""A signup endpoint's models with Pydantic v2 (reference solution)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import (
    BaseModel, ConfigDict, Field, SecretStr, StringConstraints, ValidationError, field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=20,
                      pattern=r"^[A-Za-z0-9_]+$"),
]


class SignupRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, hide_input_in_errors=True
    )

    username: Username
    email: str = Field(max_length=254)
    password: SecretStr = Field(min_length=12, max_length=128)
    display_name: str | None = Field(default=None, max_length=50)
    age: int = Field(ge=13)
    accept_terms: bool = Field(strict=True)

    @field_validator("email")
    @classmethod
    def normalize_email(cls, value: str) -> str:
        local, at, domain = value.strip().rpartition("@")
        if not at or not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
            raise ValueError("not an email address")
        return f"{local}@{domain.lower()}"

    @field_validator("accept_terms")
    @classmethod
    def terms_accepted(cls, value: bool) -> bool:
        if not value:
            raise ValueError("the terms must be accepted")
        return value

    @model_validator(mode="after")
    def password_is_not_the_username(self) -> "SignupRequest":
        if self.username in self.password.get_secret_value().lower():
            raise ValueError("the password must not contain the username")
        return self


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, alias_generator=to_camel, populate_by_name=True)

    id: int
    username: str
    email: str
    display_name: str | None


@dataclass
class UserRecord:
    id: int
    username: str
    email: str
    display_name: str | None
    password_hash: str


def problem_details(exc: ValidationError) -> dict:
    return {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "errors": [
            {"loc": ".".join(str(part) for part in error["loc"]), "type": error["type"],
             "msg": error["msg"]}
            for error in exc.errors(include_url=False)
        ],
    }


def signup(body: dict, store: list[UserRecord], hasher: Callable[[str], str]) -> tuple[int, dict]:
    try:
        request = SignupRequest.model_validate(body)
    except ValidationError as exc:
        return 422, problem_details(exc)
    if any(record.username == request.username for record in store):
        return 409, {"type": "about:blank", "title": "Conflict", "status": 409,
                     "detail": "username already taken"}
    record = UserRecord(
        id=len(store) + 1,
        username=request.username,
        email=request.email,
        display_name=request.display_name,
        password_hash=hasher(request.password.get_secret_value()),
    )
    store.append(record)
    return 201, UserOut.model_validate(record).model_dump(by_alias=True)
