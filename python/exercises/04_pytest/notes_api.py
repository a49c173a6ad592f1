"""Course code (read it, do not edit it): a small notes API (FastAPI), the subject of api1.

`create_app(tokens)` builds a new app with its own empty store; `tokens` maps bearer tokens to
user names. Every endpoint needs `Authorization: Bearer <token>`.

- No or malformed Authorization header: 401 with `WWW-Authenticate: Bearer` (RFC 6750 section 3;
  RFC 9110 section 11.6.1 requires the challenge on every 401). An unknown token: 401 with
  `WWW-Authenticate: Bearer error="invalid_token"`.
- POST /notes {"title": 1..100 chars, "body": up to 10000 chars (default "")}: 201 Created with a
  `Location: /notes/<id>` header (RFC 9110 section 15.3.2) and the note {"id", "title", "body",
  "owner"}. Ids start at 1. Unknown fields (e.g. "owner") are a 422: the owner is whoever is
  authenticated, never what the body says. Invalid bodies: 422.
- GET /notes/<id>: 200 and the note, for its owner. Someone else's note answers 404, exactly like a
  note that does not exist: a 403 would confirm that the id exists (OWASP API1, BOLA).
- GET /notes?limit=&offset=: the caller's own notes in id order; limit 1..50 (default 20), offset
  >= 0 (default 0), else 422. The `X-Total-Count` header holds the number of ALL the caller's notes.
- DELETE /notes/<id>: 204 No Content with an EMPTY body; someone else's or a missing note: 404.
"""

import itertools
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=100)
    body: str = Field(default="", max_length=10000)


def create_app(tokens):
    app = FastAPI()
    notes = {}
    ids = itertools.count(1)

    def current_user(authorization: Annotated[str | None, Header()] = None):
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "authentication required", headers={"WWW-Authenticate": "Bearer"})
        user = tokens.get(token)
        if user is None:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return user

    User = Annotated[str, Depends(current_user)]

    def owned(note_id, user):
        note = notes.get(note_id)
        if note is None or note["owner"] != user:
            raise HTTPException(404, "no such note")
        return note

    @app.post("/notes", status_code=201)
    def create_note(payload: NoteIn, user: User, response: Response):
        note_id = next(ids)
        note = {"id": note_id, "title": payload.title, "body": payload.body, "owner": user}
        notes[note_id] = note
        response.headers["Location"] = f"/notes/{note_id}"
        return note

    @app.get("/notes/{note_id}")
    def read_note(note_id: int, user: User):
        return owned(note_id, user)

    @app.get("/notes")
    def list_notes(
        user: User,
        response: Response,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        mine = [note for note in notes.values() if note["owner"] == user]
        response.headers["X-Total-Count"] = str(len(mine))
        return mine[offset:offset + limit]

    @app.delete("/notes/{note_id}", status_code=204)
    def delete_note(note_id: int, user: User):
        owned(note_id, user)
        del notes[note_id]
        return Response(status_code=204)

    return app
