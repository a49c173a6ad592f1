"""Status codes: a notes resource that answers with the right code, headers and body.

RFC 9110 §15 defines what each status code promises the client:
- 200 OK: the body is the representation of the target resource (GET, PUT that replaced it).
- 201 Created (§15.3.2): a new resource was created; its URI goes in the `Location` header.
- 204 No Content (§15.3.5): success and *no body at all* (a DELETE that worked).
- 404 Not Found (§15.5.5): no resource at this URI.
- 409 Conflict (§15.5.10): the request conflicts with the resource's current state (a duplicate).
- 422 Unprocessable Content (§15.5.21): well-formed but invalid content (FastAPI's validation).
"""

import itertools

from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel, Field


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str = ""


class Note(NoteIn):
    id: int


def create_app() -> FastAPI:
    app = FastAPI()
    # State lives inside the app: two apps (two test cases, two workers) never share notes.
    notes: dict[int, Note] = {}
    # Ids are never reused, even after a delete: a client holding /notes/1 must never see
    # another note there later.
    ids = itertools.count(1)

    def find(note_id: int) -> Note:
        note = notes.get(note_id)
        if note is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"note {note_id} not found")
        return note

    def check_title_free(title: str, own_id: int | None) -> None:
        for note in notes.values():
            if note.title == title and note.id != own_id:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, detail=f"a note titled {title!r} already exists"
                )

    @app.get("/notes")
    def list_notes() -> list[Note]:
        return list(notes.values())

    @app.post("/notes", status_code=status.HTTP_201_CREATED)
    def create_note(data: NoteIn, response: Response) -> Note:
        check_title_free(data.title, None)
        note = Note(id=next(ids), **data.model_dump())
        notes[note.id] = note
        response.headers["Location"] = f"/notes/{note.id}"
        return note

    @app.get("/notes/{note_id}")
    def get_note(note_id: int) -> Note:
        return find(note_id)

    @app.put("/notes/{note_id}")
    def replace_note(note_id: int, data: NoteIn) -> Note:
        find(note_id)
        check_title_free(data.title, note_id)
        note = Note(id=note_id, **data.model_dump())
        notes[note_id] = note
        return note

    @app.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_note(note_id: int) -> Response:
        find(note_id)
        del notes[note_id]
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return app
