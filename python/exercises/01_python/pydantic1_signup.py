"""A signup endpoint's models with Pydantic v2.

A request body is untrusted input. Pydantic turns a dict into a typed model or a
`ValidationError` that lists EVERY problem (type, location, message). FastAPI does exactly this
with your models and answers 422 Unprocessable Content (RFC 9110 section 15.5.21).
Docs: https://docs.pydantic.dev/latest/concepts/models/ , .../concepts/fields/ ,
.../concepts/validators/ , .../concepts/config/ , .../concepts/alias/

`SignupRequest`, the JSON body (camelCase keys on the wire: `alias_generator=to_camel`; the Python
names also accepted: `populate_by_name=True`):
- `extra="forbid"`: unknown keys are an error (`extra_forbidden`). Otherwise a client could send
  `"isAdmin": true` today and you would silently ignore it, until someone adds that field
  (mass assignment, OWASP API3).
- `username`: stripped, 3..20 characters of ASCII letters, digits and "_", stored lowercased
  (`StringConstraints`; it checks the pattern before it lowercases).
- `email`: at most 254 characters; a field validator strips it and checks there is a non-empty
  local part, an "@", and a domain with a dot that neither starts nor ends with ".". Lowercase the
  DOMAIN only: domains are case-insensitive, the local part is not (RFC 5321 section 2.4).
- `password`: a `SecretStr` (its repr is '**********'), 12..128 characters, NOT stripped.
- `display_name`: optional (None), at most 50 characters. `age`: an int >= 13.
- `accept_terms`: a STRICT bool (`Field(strict=True)`: "yes", "true" and 1 are errors) that must
  be True (a field validator; False is a `value_error`).
- a model validator (mode="after") refuses a password that contains the username (any case).
- `hide_input_in_errors=True`: the text of a ValidationError must not echo what was sent
  (passwords end up in logs through error messages).

`UserOut`, the response: from the stored record (`from_attributes=True`), camelCase out, and
only id, username, email, displayName: no password, no hash. Answering with the record would leak.

`problem_details(exc)`: a 422 body in the shape of RFC 9457 (problem details): type "about:blank",
title "Unprocessable Content", status 422, and "errors": one {"loc", "type", "msg"} per error, loc
joined with "." (an error of the whole model has loc ""). Never the "input" (it may be a password).

`signup(body, store, hasher)` -> (status, body): 422 + problem details when invalid; 409 when the
username is taken (store unchanged); else store a UserRecord (id = len(store) + 1, the password
hashed by `hasher`) and answer 201 with the UserOut dumped by alias.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import (
    BaseModel, ConfigDict, Field, SecretStr, StringConstraints, ValidationError, field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

# TODO: strip, 3..20 of [A-Za-z0-9_], lowercase
Username = Annotated[str, StringConstraints()]


class SignupRequest(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel)  # TODO

    username: Username
    email: str
    password: str  # TODO
    display_name: str | None = None
    age: int
    accept_terms: bool

    # TODO: validators


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # TODO

    id: int
    username: str
    email: str
    display_name: str | None
    password_hash: str  # TODO


@dataclass
class UserRecord:
    id: int
    username: str
    email: str
    display_name: str | None
    password_hash: str


def problem_details(exc: ValidationError) -> dict:
    return {"status": 422, "errors": exc.errors()}  # TODO


def signup(body: dict, store: list[UserRecord], hasher: Callable[[str], str]) -> tuple[int, dict]:
    try:
        request = SignupRequest.model_validate(body)
    except ValidationError as exc:
        return 400, problem_details(exc)  # TODO
    record = UserRecord(
        id=len(store) + 1,
        username=request.username,
        email=request.email,
        display_name=request.display_name,
        password_hash=hasher(str(request.password)),
    )
    store.append(record)
    return 200, UserOut.model_validate(record).model_dump()
