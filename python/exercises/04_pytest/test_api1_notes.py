"""The course's grading of api1_notes: YOUR tests are run against the real notes API and against
planted bugs (see suite_runner.py)."""

import pytest

from suite_runner import assert_bug_caught, assert_suite_passes, run_suite

LEARNER, SUBJECT, FIXTURE = "api1_notes", "notes_api", "notes_api"
MINIMUM_TESTS = 20


def run(pytestconfig, edits=()):
    return run_suite(pytestconfig, LEARNER, SUBJECT, FIXTURE, edits)


def test_your_suite_passes_against_the_real_api(pytestconfig):
    assert_suite_passes(run(pytestconfig), MINIMUM_TESTS)


PLANTED_BUGS = [
    ("POST answers 200 instead of 201",
     [('@app.post("/notes", status_code=201)', '@app.post("/notes")')]),
    ("no Location header",
     [('        response.headers["Location"] = f"/notes/{note_id}"\n', "")]),
    ("Location points at the collection",
     [('response.headers["Location"] = f"/notes/{note_id}"', 'response.headers["Location"] = "/notes"')]),
    ("someone else's note is 403 (its existence leaks)",
     [('        if note is None or note["owner"] != user:\n            raise HTTPException(404, "no such note")',
       '        if note is None:\n            raise HTTPException(404, "no such note")\n        if note["owner"] != user:\n            raise HTTPException(403, "not yours")')]),
    ("anyone can read any note",
     [('    @app.get("/notes/{note_id}")\n    def read_note(note_id: int, user: User):\n        return owned(note_id, user)',
       '    @app.get("/notes/{note_id}")\n    def read_note(note_id: int, user: User):\n        if note_id not in notes:\n            raise HTTPException(404, "no such note")\n        return notes[note_id]')]),
    ("anyone can delete any note",
     [('        owned(note_id, user)\n        del notes[note_id]', '        if note_id not in notes:\n            raise HTTPException(404, "no such note")\n        del notes[note_id]')]),
    ("the listing shows everybody's notes",
     [('mine = [note for note in notes.values() if note["owner"] == user]', 'mine = list(notes.values())')]),
    ("offset treated as a page number",
     [("return mine[offset:offset + limit]", "return mine[offset * limit:(offset + 1) * limit]")]),
    ("pagination skips one note after the first page",
     [("return mine[offset:offset + limit]", "return mine[offset + 1 if offset else 0:(offset + 1 if offset else 0) + limit]")]),
    ("X-Total-Count counts the page",
     [('        response.headers["X-Total-Count"] = str(len(mine))\n        return mine[offset:offset + limit]',
       '        page = mine[offset:offset + limit]\n        response.headers["X-Total-Count"] = str(len(page))\n        return page')]),
    ("no upper bound on limit",
     [("Query(ge=1, le=50)] = 20", "Query(ge=1)] = 20")]),
    ("default limit of 10",
     [("Query(ge=1, le=50)] = 20", "Query(ge=1, le=50)] = 10")]),
    ("DELETE answers 200 with a body",
     [('    @app.delete("/notes/{note_id}", status_code=204)', '    @app.delete("/notes/{note_id}")'),
      ("        return Response(status_code=204)", '        return {"deleted": note_id}')]),
    ("401 without a WWW-Authenticate challenge",
     [('raise HTTPException(401, "authentication required", headers={"WWW-Authenticate": "Bearer"})',
       'raise HTTPException(401, "authentication required")')]),
    ("an unknown token is 403",
     [("""raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})""",
       'raise HTTPException(403, "invalid token")')]),
    ("the owner taken from the body (mass assignment)",
     [('    model_config = ConfigDict(extra="forbid")', '    model_config = ConfigDict(extra="allow")'),
      ('note = {"id": note_id, "title": payload.title, "body": payload.body, "owner": user}',
       'note = {"id": note_id, "title": payload.title, "body": payload.body, "owner": getattr(payload, "owner", user)}')]),
    ("a title of 100 characters refused",
     [("title: str = Field(min_length=1, max_length=100)", "title: str = Field(min_length=1, max_length=99)")]),
    ("an empty title accepted",
     [("title: str = Field(min_length=1, max_length=100)", "title: str = Field(max_length=100)")]),
    ("the store shared by every app",
     [("    notes = {}\n    ids = itertools.count(1)\n", ""),
      ("def create_app(tokens):", "notes = {}\nids = itertools.count(1)\n\n\ndef create_app(tokens):")]),
    ("the Bearer scheme is case-sensitive",
     [('if scheme.lower() != "bearer" or not token:', 'if scheme != "Bearer" or not token:')]),
    ("someone else's note is a 404 with its own message (its existence leaks)",
     [('        if note is None or note["owner"] != user:\n            raise HTTPException(404, "no such note")',
       '        if note is None:\n            raise HTTPException(404, "no such note")\n        if note["owner"] != user:\n            raise HTTPException(404, "not your note")')]),
    ("limit 51 accepted",
     [("Query(ge=1, le=50)] = 20", "Query(ge=1, le=51)] = 20")]),
    ("limit 50 refused",
     [("Query(ge=1, le=50)] = 20", "Query(ge=1, lt=50)] = 20")]),
    ("DELETE answers 204 with a body",
     [("        owned(note_id, user)\n        del notes[note_id]\n        return Response(status_code=204)",
       '        note = owned(note_id, user)\n        del notes[note_id]\n        return Response(status_code=204, content=note["title"])')]),
    ("an unknown token gets the plain challenge, without error=\"invalid_token\"",
     [("""raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})""",
       'raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})')]),
    ("DELETE removes the note before checking whose it is",
     [("        owned(note_id, user)\n        del notes[note_id]",
       '        note = notes.pop(note_id, None)\n        if note is None or note["owner"] != user:\n            raise HTTPException(404, "no such note")')]),
    ("\"Bearer \" with an empty token is taken for an unknown token",
     [('if scheme.lower() != "bearer" or not token:', 'if scheme.lower() != "bearer":')]),
]


@pytest.mark.parametrize("label, edits", PLANTED_BUGS, ids=[label for label, _ in PLANTED_BUGS])
def test_your_suite_catches_the_planted_bug(pytestconfig, label, edits):
    assert_bug_caught(run(pytestconfig, edits), label)
