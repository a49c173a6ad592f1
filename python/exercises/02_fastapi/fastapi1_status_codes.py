"""Status codes: a notes resource that answers with the right code, headers and body.

A status code is a promise to the client (RFC 9110 §15). Clients, caches and proxies act on it
without reading the body, so "200 with an error message inside" is a lie they cannot detect.

- 200 OK: the body is the representation of the resource (GET; a PUT that replaced it).
- 201 Created (§15.3.2): a new resource was created. Its URI goes in the `Location` header
  (§10.2.2), here a path such as `/notes/7`.
- 204 No Content (§15.3.5): success and *no body at all* (a DELETE that worked). Not even `null`.
- 404 Not Found (§15.5.5): no resource at this URI. A PUT to a missing note must not create one
  here (our server picks the ids).
- 409 Conflict (§15.5.10): the request conflicts with the current state: a second note with the
  same title. Renaming a note to *its own* title is no conflict.
- 422 Unprocessable Content (§15.5.21): syntactically fine JSON with invalid content. FastAPI
  answers it by itself when a body does not validate against the Pydantic model.

In FastAPI:
- `@app.post(..., status_code=201)` sets the success code of a route.
- `raise HTTPException(status_code=404, detail="...")` answers `{"detail": "..."}` with that code.
- A parameter `response: Response` lets the route set headers: `response.headers["Location"] = ...`.
- For 204 return `Response(status_code=204)` (an empty response) rather than a dict.

Two more rules the tests check:
- State lives inside the app that `create_app()` builds, never at module level: every test (and
  every worker process) gets its own app and must not see another app's notes. The id counter
  is state too: the first note of every app is 1.
- Ids are never reused. `len(notes) + 1` hands out an id that is still in use after a delete,
  and `max(ids) + 1` hands out the id of the newest note again once it is deleted.
"""

from fastapi import FastAPI
from pydantic import BaseModel

# TODO: state at module level is shared by every app this module builds. Move it into create_app.
NOTES: dict[int, dict] = {}


class NoteIn(BaseModel):
    # TODO: a title is 1 to 100 characters (pydantic's `Field(min_length=..., max_length=...)`).
    title: str
    body: str = ""


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/notes")
    def list_notes():
        return list(NOTES.values())

    # TODO: 201, a Location header, 409 for a title that is taken.
    @app.post("/notes")
    def create_note(data: NoteIn):
        note_id = len(NOTES) + 1  # TODO: ids are never reused
        note = {"id": note_id, **data.model_dump()}
        NOTES[note_id] = note
        return note

    # TODO: 404 with a detail when the note does not exist.
    @app.get("/notes/{note_id}")
    def get_note(note_id: int):
        return NOTES.get(note_id)

    # TODO: 404 when missing (do not create), 409 when the title belongs to *another* note.
    @app.put("/notes/{note_id}")
    def replace_note(note_id: int, data: NoteIn):
        NOTES[note_id] = {"id": note_id, **data.model_dump()}
        return NOTES[note_id]

    # TODO: 204 and an empty body; 404 when missing.
    @app.delete("/notes/{note_id}")
    def delete_note(note_id: int):
        NOTES.pop(note_id, None)
        return {"deleted": True}

    return app
