"""An OpenAPI document that tells the truth: every response, every error, named and tagged.

FastAPI writes the OpenAPI 3.1 document (`app.openapi()`, served at `/openapi.json`, rendered
at `/docs`) from your code. Clients are generated from it (openapi-generator, orval), gateways
validate against it, and contract tests compare it with what the server really answers
(https://spec.openapis.org/oas/v3.1.0). It is only as true as what you declare:

- **Response models** (`response_model=` or the return annotation): the documented schema of the
  success body, and a filter: fields not in the model (here the internal `cost_cents`) are never
  sent (https://fastapi.tiangolo.com/tutorial/response-model/).
- **Every status code the operation can answer**, with its body's model: `responses={404:
  {"model": Error, "description": "..."}}` (https://fastapi.tiangolo.com/advanced/additional-responses/).
  Undocumented, a 404 or 409 surprises every generated client. The errors of this API have ONE
  shape, `Error` (`code`, `message`): the exception handlers turn `HTTPException` and
  `RequestValidationError` into it (https://fastapi.tiangolo.com/tutorial/handling-errors/), so
  the 422 is documented with `Error` too (declaring 422 in `responses` replaces FastAPI's
  default `HTTPValidationError` in the document).
- **operationId**: the name of the generated client's method. FastAPI's default
  (`get_book_books__isbn__get`) is unstable and ugly: set `operation_id="getBook"` (camelCase,
  unique).
- **tags** group operations in the docs and in generated clients: `tags=["books"]`.
- **examples**: `model_config = ConfigDict(json_schema_extra={"examples": [...]})` puts JSON
  Schema `examples` in the component schema (https://fastapi.tiangolo.com/tutorial/schema-extra-example/);
  each example must itself be valid.

The operations (all tagged `books`):

| operation | operationId | answers |
|---|---|---|
| `POST /books` | `createBook` | 201 `Book`; 409 `Error` (`code` "conflict") when the ISBN exists; 422 `Error` (`code` "validation_error") |
| `GET /books` | `listBooks` | 200 a list of `Book`, sorted by ISBN, at most `limit` (1 to 100, default 20); 422 `Error` |
| `GET /books/{isbn}` | `getBook` | 200 `Book`; 404 `Error` (`code` "not_found"); 422 `Error` when the ISBN is not 13 digits |
| `DELETE /books/{isbn}` | `deleteBook` | 204 with no body; 404 `Error`; 422 `Error` |
"""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

Isbn = Annotated[str, Path(pattern=r"^\d{13}$")]


# TODO: examples on BookIn, Book and Error (model_config = ConfigDict(json_schema_extra=...)).
class BookIn(BaseModel):
    isbn: str = Field(pattern=r"^\d{13}$")
    title: str = Field(min_length=1, max_length=200)
    price_cents: int = Field(ge=0)


class Book(BaseModel):
    isbn: str
    title: str
    price_cents: int


class Error(BaseModel):
    code: str
    message: str


ERROR_CODES = {404: "not_found", 409: "conflict"}
NOT_FOUND = {404: {"model": Error, "description": "No book has this ISBN."}}
INVALID = {422: {"model": Error, "description": "The request is not valid."}}
CONFLICT = {409: {"model": Error, "description": "A book with this ISBN exists."}}


def create_app() -> FastAPI:
    app = FastAPI(title="Bookshop", version="1.0.0")
    # The store keeps internal fields that clients must never see.
    books: dict[str, dict] = {}

    # TODO: exception handlers for HTTPException and RequestValidationError that answer the
    # Error model ({"code": ..., "message": ...}) with the same status code.

    # TODO: each operation's response model, operation_id, tags and documented errors.
    @app.post("/books", status_code=201)
    def create_book(data: BookIn) -> dict:
        if data.isbn in books:
            raise HTTPException(409, detail=f"book {data.isbn} exists")
        books[data.isbn] = {**data.model_dump(), "cost_cents": data.price_cents // 2}
        return books[data.isbn]

    @app.get("/books")
    def list_books(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict]:
        return [books[isbn] for isbn in sorted(books)][:limit]

    @app.get("/books/{isbn}")
    def get_book(isbn: Isbn) -> dict:
        if isbn not in books:
            raise HTTPException(404, detail=f"no book {isbn}")
        return books[isbn]

    @app.delete("/books/{isbn}", status_code=204, response_class=Response)
    def delete_book(isbn: Isbn) -> Response:
        if books.pop(isbn, None) is None:
            raise HTTPException(404, detail=f"no book {isbn}")
        return Response(status_code=204)

    return app
