import jsonschema
import pytest
from fastapi.testclient import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import obs5_openapi as m

# The part of the OpenAPI 3.1 document's shape this API relies on
# (https://spec.openapis.org/oas/v3.1.0#openapi-object), as a JSON Schema.
OPERATION = {
    "type": "object",
    "required": ["operationId", "tags", "responses"],
    "properties": {
        "operationId": {"type": "string", "pattern": "^[a-z][a-zA-Z0-9]*$"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "responses": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[1-5][0-9][0-9]$"},
            "additionalProperties": {
                "type": "object",
                "required": ["description"],
                "properties": {
                    "description": {"type": "string", "minLength": 1},
                    "content": {
                        "type": "object",
                        "properties": {
                            "application/json": {"type": "object", "required": ["schema"]}
                        },
                    },
                },
            },
        },
    },
}
OPENAPI_31 = {
    "type": "object",
    "required": ["openapi", "info", "paths", "components"],
    "properties": {
        "openapi": {"type": "string", "pattern": r"^3\.1\.\d+$"},
        "info": {"type": "object", "required": ["title", "version"]},
        "paths": {
            "type": "object",
            "propertyNames": {"pattern": "^/"},
            "additionalProperties": {
                "type": "object",
                "properties": {
                    method: OPERATION for method in ("get", "put", "post", "delete", "patch")
                },
            },
        },
        "components": {
            "type": "object",
            "required": ["schemas"],
            "properties": {"schemas": {"type": "object"}},
        },
    },
}

OPERATIONS = {
    ("post", "/books"): ("createBook", {"201", "409", "422"}),
    ("get", "/books"): ("listBooks", {"200", "422"}),
    ("get", "/books/{isbn}"): ("getBook", {"200", "404", "422"}),
    ("delete", "/books/{isbn}"): ("deleteBook", {"204", "404", "422"}),
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
BOOK = {"isbn": "9780134685991", "title": "Effective Java", "price_cents": 4500}


@pytest.fixture
def app():
    return m.create_app()


@pytest.fixture
def client(app):
    return TestClient(app)


@pytest.fixture
def doc(app):
    return app.openapi()


def resolve(doc, schema):
    """Validates against a schema of the document, with its $refs resolved inside it."""
    registry = Registry().with_resource("urn:openapi", Resource(contents=doc, specification=DRAFT202012))

    def rewrite(node):
        if isinstance(node, dict):
            return {
                k: ("urn:openapi" + v if k == "$ref" and v.startswith("#") else rewrite(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    return jsonschema.Draft202012Validator(rewrite(schema), registry=registry)


def check_against_doc(doc, method, template, response):
    """The real response is documented: its status is listed, its body matches the schema."""
    operation = doc["paths"][template][method]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {template} answered {status}, which its document does not list"
    )
    documented = operation["responses"][status]
    if response.status_code == 204:
        assert "content" not in documented
        assert response.content == b""
        return
    schema = documented["content"]["application/json"]["schema"]
    resolve(doc, schema).validate(response.json())


def test_the_document_has_the_openapi_31_shape(doc):
    jsonschema.Draft202012Validator.check_schema(OPENAPI_31)
    jsonschema.validate(doc, OPENAPI_31)
    assert doc["info"]["title"] == "Bookshop"


@pytest.mark.parametrize("key", list(OPERATIONS), ids=lambda k: f"{k[0]} {k[1]}")
def test_each_operation_is_named_tagged_and_lists_its_status_codes(doc, key):
    method, path = key
    operation_id, statuses = OPERATIONS[key]
    operation = doc["paths"][path][method]
    assert operation["operationId"] == operation_id
    assert operation["tags"] == ["books"]
    assert set(operation["responses"]) == statuses


def test_operation_ids_are_unique_and_no_other_operation_exists(doc):
    found = [(method, path) for path, item in doc["paths"].items() for method in item]
    assert sorted(found) == sorted(OPERATIONS)


def test_every_error_is_documented_with_the_error_model(doc):
    for (method, path), (_, statuses) in OPERATIONS.items():
        for status in statuses - {"200", "201", "204"}:
            content = doc["paths"][path][method]["responses"][status]["content"]
            assert content["application/json"]["schema"] == ERROR_REF, (method, path, status)
    assert "HTTPValidationError" not in doc["components"]["schemas"], (
        "the 422 is documented with the API's Error model, not FastAPI's default"
    )


def test_success_bodies_reference_the_book_model(doc):
    responses = lambda method, path: doc["paths"][path][method]["responses"]
    assert responses("post", "/books")["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Book"
    }
    assert responses("get", "/books/{isbn}")["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Book"
    }
    listing = responses("get", "/books")["200"]["content"]["application/json"]["schema"]
    assert listing["type"] == "array" and listing["items"] == {"$ref": "#/components/schemas/Book"}
    assert "content" not in responses("delete", "/books/{isbn}")["204"]


def test_the_book_schema_has_no_internal_fields(doc):
    book = doc["components"]["schemas"]["Book"]
    assert set(book["properties"]) == {"isbn", "title", "price_cents"}
    assert set(book["required"]) == {"isbn", "title", "price_cents"}


@pytest.mark.parametrize("name", ["Book", "BookIn", "Error"])
def test_each_model_has_valid_examples(doc, name):
    schema = doc["components"]["schemas"][name]
    assert schema.get("examples"), f"{name} has no examples"
    for example in schema["examples"]:
        resolve(doc, schema).validate(example)


def test_the_path_parameter_documents_its_pattern(doc):
    for method in ("get", "delete"):
        (param,) = doc["paths"]["/books/{isbn}"][method]["parameters"]
        assert param["in"] == "path" and param["required"] is True
        assert param["schema"]["pattern"] == r"^\d{13}$"


def test_real_responses_match_the_document(client, doc):
    scenario = [
        ("post", "/books", "/books", {"json": BOOK}, 201),
        ("post", "/books", "/books", {"json": BOOK}, 409),
        ("post", "/books", "/books", {"json": {**BOOK, "isbn": "12"}}, 422),
        ("post", "/books", "/books", {"json": {"title": ""}}, 422),
        ("get", "/books", "/books", {}, 200),
        ("get", "/books", "/books?limit=0", {}, 422),
        ("get", "/books/{isbn}", "/books/9780134685991", {}, 200),
        ("get", "/books/{isbn}", "/books/9780000000000", {}, 404),
        ("get", "/books/{isbn}", "/books/abc", {}, 422),
        ("delete", "/books/{isbn}", "/books/9780134685991", {}, 204),
        ("delete", "/books/{isbn}", "/books/9780134685991", {}, 404),
        ("delete", "/books/{isbn}", "/books/97801346859910", {}, 422),
    ]
    for method, template, url, kwargs, status in scenario:
        response = client.request(method.upper(), url, **kwargs)
        assert response.status_code == status, (method, url, response.text)
        check_against_doc(doc, method, template, response)


def test_errors_have_their_codes(client):
    client.post("/books", json=BOOK)
    conflict = client.post("/books", json=BOOK)
    assert conflict.json()["code"] == "conflict"
    missing = client.get("/books/9780000000000")
    assert missing.json() == {"code": "not_found", "message": "no book 9780000000000"}
    invalid = client.get("/books/abc")
    assert invalid.json()["code"] == "validation_error"
    assert set(invalid.json()) == {"code", "message"}


def test_responses_never_carry_internal_fields(client):
    created = client.post("/books", json=BOOK).json()
    assert created == BOOK
    assert client.get("/books/9780134685991").json() == BOOK
    assert client.get("/books").json() == [BOOK]


def test_the_listing_is_sorted_and_limited(client):
    for n in (3, 1, 2):
        client.post("/books", json={**BOOK, "isbn": f"978000000000{n}"})
    assert [b["isbn"] for b in client.get("/books?limit=2").json()] == [
        "9780000000001",
        "9780000000002",
    ]
    assert client.get("/books?limit=101").status_code == 422
    assert len(client.get("/books?limit=100").json()) == 3
