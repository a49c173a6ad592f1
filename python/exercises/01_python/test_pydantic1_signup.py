import pytest
from pydantic import ValidationError

from pydantic1_signup import SignupRequest, UserOut, UserRecord, signup

PASSWORD = "correct horse battery"


def fake_hasher(calls):
    def hasher(password):
        calls.append(password)
        return f"hashed({len(password)})"

    return hasher


def body(**overrides):
    data = {
        "username": "alice_01",
        "email": "Alice.Smith@Example.COM",
        "password": PASSWORD,
        "displayName": "Alice",
        "age": 30,
        "acceptTerms": True,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not ...}


def test_valid_signup_answers_201_with_the_public_fields_in_camel_case():
    store, calls = [], []
    status, out = signup(body(username="  Alice_01 "), store, fake_hasher(calls))
    assert status == 201
    assert out == {"id": 1, "username": "alice_01", "email": "Alice.Smith@example.com", "displayName": "Alice"}
    assert calls == [PASSWORD]
    assert store == [UserRecord(1, "alice_01", "Alice.Smith@example.com", "Alice", "hashed(21)")]


def test_python_names_are_accepted_too_and_display_name_is_optional():
    data = body(displayName=..., acceptTerms=...)
    data["accept_terms"] = True
    status, out = signup(data, [], fake_hasher([]))
    assert (status, out["displayName"]) == (201, None)


@pytest.mark.parametrize(
    "overrides, loc, error_type",
    [
        ({"username": "ab"}, "username", "string_too_short"),
        ({"username": "a" * 21}, "username", "string_too_long"),
        ({"username": "al ice"}, "username", "string_pattern_mismatch"),
        ({"username": "alice-01"}, "username", "string_pattern_mismatch"),
        ({"username": ...}, "username", "missing"),
        ({"email": "alice.example.com"}, "email", "value_error"),
        ({"email": "@example.com"}, "email", "value_error"),
        ({"email": "alice@localhost"}, "email", "value_error"),
        ({"email": "alice@example.com."}, "email", "value_error"),
        ({"email": "a@.com"}, "email", "value_error"),
        ({"email": "a" * 243 + "@example.com"}, "email", "string_too_long"),
        ({"password": "x" * 11}, "password", "too_short"),
        ({"password": "x" * 129}, "password", "too_long"),
        ({"displayName": "d" * 51}, "displayName", "string_too_long"),
        ({"age": 12}, "age", "greater_than_equal"),
        ({"age": "twelve"}, "age", "int_parsing"),
        ({"acceptTerms": False}, "acceptTerms", "value_error"),
        ({"acceptTerms": "yes"}, "acceptTerms", "bool_type"),
        ({"acceptTerms": "true"}, "acceptTerms", "bool_type"),
        ({"acceptTerms": 1}, "acceptTerms", "bool_type"),
        ({"isAdmin": True}, "isAdmin", "extra_forbidden"),
        ({"password": "my alice_01 password"}, "", "value_error"),
        ({"password": "my ALICE_01 password"}, "", "value_error"),
    ],
)
def test_invalid_bodies_answer_422_problem_details(overrides, loc, error_type):
    store, calls = [], []
    status, out = signup(body(**overrides), store, fake_hasher(calls))
    assert status == 422
    assert out["type"] == "about:blank" and out["title"] == "Unprocessable Content" and out["status"] == 422
    assert [(e["loc"], e["type"]) for e in out["errors"]] == [(loc, error_type)]
    assert set(out["errors"][0]) == {"loc", "type", "msg"}
    assert store == [] and calls == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"username": "abc"},
        {"username": "a" * 20},
        {"email": "a" * 242 + "@example.com"},
        {"password": "x" * 12},
        {"password": "x" * 128},
        {"displayName": "d" * 50},
        {"age": 13},
    ],
    ids=["username-3", "username-20", "email-254", "password-12", "password-128", "display-name-50", "age-13"],
)
def test_every_limit_is_inclusive(overrides):
    status, out = signup(body(**overrides), [], fake_hasher([]))
    assert status == 201, out


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"email": "alice.example.com"}, "Value error, not an email address"),
        ({"acceptTerms": False}, "Value error, the terms must be accepted"),
        ({"password": "my alice_01 password"}, "Value error, the password must not contain the username"),
    ],
)
def test_the_validators_say_what_is_wrong(overrides, message):
    status, out = signup(body(**overrides), [], fake_hasher([]))
    assert [e["msg"] for e in out["errors"]] == [message]


def test_accepted_terms_stay_true_in_the_model():
    assert SignupRequest.model_validate(body()).accept_terms is True


def test_every_error_is_reported_at_once():
    status, out = signup(body(username="x", age=5, isAdmin=True), [], fake_hasher([]))
    assert status == 422
    assert sorted(e["loc"] for e in out["errors"]) == ["age", "isAdmin", "username"]


def test_the_password_is_not_stripped():
    store = []
    calls = []
    assert signup(body(password="  " + PASSWORD + "  "), store, fake_hasher(calls))[0] == 201
    assert calls == ["  " + PASSWORD + "  "]


def test_the_password_never_leaks():
    secret = "s3cret-but-short"[:11]
    with pytest.raises(ValidationError) as info:
        SignupRequest.model_validate(body(password=secret))
    assert secret not in str(info.value)
    model = SignupRequest.model_validate(body())
    assert PASSWORD not in repr(model) and PASSWORD not in str(model.model_dump())
    assert model.password.get_secret_value() == PASSWORD
    status, out = signup(body(password=secret), [], fake_hasher([]))
    assert secret not in repr(out)


def test_the_response_model_never_carries_the_hash():
    record = UserRecord(7, "bob", "bob@example.com", None, "argon2$...")
    assert UserOut.model_validate(record).model_dump(by_alias=True) == {
        "id": 7, "username": "bob", "email": "bob@example.com", "displayName": None
    }


def test_a_taken_username_is_409_and_changes_nothing():
    store, calls = [], []
    assert signup(body(), store, fake_hasher(calls))[0] == 201
    status, out = signup(body(username="ALICE_01", email="other@example.com"), store, fake_hasher(calls))
    assert status == 409 and out["status"] == 409
    assert out == {"type": "about:blank", "title": "Conflict", "status": 409, "detail": "username already taken"}
    assert len(store) == 1 and len(calls) == 1
    assert signup(body(username="bob_02"), store, fake_hasher(calls)) == (
        201, {"id": 2, "username": "bob_02", "email": "Alice.Smith@example.com", "displayName": "Alice"}
    )
