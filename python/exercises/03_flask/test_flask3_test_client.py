"""The course's tests of YOUR tests: they run the tests in flask3_test_client.py against the
real bookshop (they must pass) and against bookshops with one planted bug each (at least one
of your tests must fail for each)."""

import os
import sys

import pytest
from flask import abort, current_app, jsonify, request, session

import bookshop

LEARNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flask3_test_client.py")


class AppFixture:
    """Provides the fixture `app` to the learner's tests, built by the given factory."""

    def __init__(self, factory):
        self.factory = factory

    @pytest.fixture
    def app(self):
        return self.factory()


class Tally:
    def __init__(self):
        self.passed, self.failed = [], []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.append(report.nodeid)
        elif report.passed and report.when == "call":
            self.passed.append(report.nodeid)


def run_learner_tests(factory, tmp_path):
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\nfilterwarnings =\n    ignore::DeprecationWarning\n")
    sys.modules.pop("flask3_test_client", None)
    tally = Tally()
    code = pytest.main(
        ["-c", str(ini), "--rootdir", os.path.dirname(LEARNER), "-p", "no:cacheprovider",
         "--noconftest", "-q", "--color=no", LEARNER],
        plugins=[AppFixture(factory), tally],
    )
    sys.modules.pop("flask3_test_client", None)
    return int(code), tally


# Planted bugs: each factory builds the real bookshop and breaks one thing.

def post_books(app):
    return request.method == "POST" and request.path == "/books"


def bug_create_answers_200():
    app = bookshop.create_app()

    @app.after_request
    def downgrade(response):
        if post_books(app) and response.status_code == 201:
            response.status_code = 200
        return response

    return app


def bug_no_location():
    app = bookshop.create_app()

    @app.after_request
    def drop(response):
        response.headers.pop("Location", None)
        return response

    return app


def bug_location_without_id():
    app = bookshop.create_app()

    @app.after_request
    def wrong(response):
        if "Location" in response.headers:
            response.headers["Location"] = "/books"
        return response

    return app


def bug_writes_without_login():
    app = bookshop.create_app()

    @app.before_request
    def everyone_is_ada():
        if request.method in ("POST", "DELETE") and request.path.startswith("/books"):
            session["user"] = "ada"

    return app


def bug_delete_without_login():
    app = bookshop.create_app()

    @app.before_request
    def everyone_may_delete():
        if request.method == "DELETE":
            session["user"] = "ada"

    return app


def bug_any_password():
    app = bookshop.create_app()

    def login():
        data = request.get_json(silent=True) or {}
        if data.get("user") not in bookshop.USERS:
            return {"error": "wrong user or password"}, 401
        session["user"] = data["user"]
        return "", 204

    app.view_functions["login"] = login
    return app


def bug_unknown_user_logged_in():
    app = bookshop.create_app()

    def login():
        data = request.get_json(silent=True) or {}
        if data.get("password") != "lovelace":
            return {"error": "wrong user or password"}, 401
        session["user"] = data.get("user")
        return "", 204

    app.view_functions["login"] = login
    return app


def bug_failed_login_keeps_session():
    app = bookshop.create_app()
    real = app.view_functions["login"]

    def login():
        session["user"] = (request.get_json(silent=True) or {}).get("user")
        return real()

    app.view_functions["login"] = login
    return app


def bug_blank_title_accepted():
    app = bookshop.create_app()
    real = app.view_functions["create_book"]

    def create_book():
        data = request.get_json(silent=True)
        if isinstance(data, dict) and isinstance(data.get("title"), str) and data.get("author"):
            bookshop.require_login()
            book_id = max(bookshop.books(), default=0) + 1
            book = {"id": book_id, "title": data["title"], "author": data["author"]}
            bookshop.books()[book_id] = book
            return book, 201, {"Location": f"/books/{book_id}"}
        return real()

    app.view_functions["create_book"] = create_book
    return app


def bug_blank_title_not_stripped():
    app = bookshop.create_app()
    real = app.view_functions["create_book"]

    def create_book():
        data = request.get_json(silent=True)
        # valid_text without .strip(): "" is refused, "  " is a title.
        if isinstance(data, dict) and isinstance(data.get("title"), str) and data["title"] != "":
            if isinstance(data.get("author"), str) and data["author"] != "":
                bookshop.require_login()
                book_id = max(bookshop.books(), default=0) + 1
                book = {"id": book_id, "title": data["title"], "author": data["author"]}
                bookshop.books()[book_id] = book
                return book, 201, {"Location": f"/books/{book_id}"}
        return real()

    app.view_functions["create_book"] = create_book
    return app


def bug_new_id_is_the_number_of_books():
    app = bookshop.create_app()
    real = app.view_functions["create_book"]

    def create_book():
        data = request.get_json(silent=True)
        if isinstance(data, dict) and bookshop.valid_text(data.get("title")) and bookshop.valid_text(data.get("author")):
            bookshop.require_login()
            # len(books()) is 3 with the seed: the new book takes id 3 and replaces Persuasion.
            book_id = len(bookshop.books())
            book = {"id": book_id, "title": data["title"], "author": data["author"]}
            bookshop.books()[book_id] = book
            return book, 201, {"Location": f"/books/{book_id}"}
        return real()

    app.view_functions["create_book"] = create_book
    return app


def bug_missing_author_accepted():
    app = bookshop.create_app()
    real = app.view_functions["create_book"]

    def create_book():
        data = request.get_json(silent=True)
        if isinstance(data, dict) and "author" not in data:
            data = {**data, "author": ""}
            bookshop.require_login()
            if not bookshop.valid_text(data.get("title")):
                return real()
            book_id = max(bookshop.books(), default=0) + 1
            book = {"id": book_id, "title": data["title"], "author": ""}
            bookshop.books()[book_id] = book
            return book, 201, {"Location": f"/books/{book_id}"}
        return real()

    app.view_functions["create_book"] = create_book
    return app


def bug_missing_book_is_200():
    app = bookshop.create_app()

    def get_book(book_id):
        return jsonify(current_app.extensions["books"].get(book_id))

    app.view_functions["get_book"] = get_book
    return app


def bug_filter_is_case_sensitive():
    app = bookshop.create_app()

    def list_books():
        author = request.args.get("author")
        found = [b for _, b in sorted(bookshop.books().items())]
        if author is not None:
            found = [b for b in found if author in b["author"]]
        return jsonify(found)

    app.view_functions["list_books"] = list_books
    return app


def bug_list_unsorted():
    app = bookshop.create_app()
    app.extensions["books"] = dict(reversed(list(app.extensions["books"].items())))

    def list_books():
        author = request.args.get("author")
        found = list(bookshop.books().values())
        if author is not None:
            found = [b for b in found if author.casefold() in b["author"].casefold()]
        return jsonify(found)

    app.view_functions["list_books"] = list_books
    return app


def bug_delete_answers_200_with_a_body():
    app = bookshop.create_app()

    @app.after_request
    def chatty(response):
        if request.method == "DELETE" and response.status_code == 204:
            response.status_code = 200
            response.set_data(b'{"deleted": true}')
            response.mimetype = "application/json"
        return response

    return app


def bug_delete_missing_is_204():
    app = bookshop.create_app()

    def delete_book(book_id):
        bookshop.require_login()
        bookshop.books().pop(book_id, None)
        return "", 204

    app.view_functions["delete_book"] = delete_book
    return app


def bug_delete_removes_the_wrong_book():
    app = bookshop.create_app()

    def delete_book(book_id):
        bookshop.require_login()
        if book_id not in bookshop.books():
            abort(404)
        bookshop.books().pop(max(bookshop.books()))
        return "", 204

    app.view_functions["delete_book"] = delete_book
    return app


BUGS = [
    bug_create_answers_200,
    bug_no_location,
    bug_location_without_id,
    bug_writes_without_login,
    bug_delete_without_login,
    bug_any_password,
    bug_unknown_user_logged_in,
    bug_failed_login_keeps_session,
    bug_blank_title_accepted,
    bug_blank_title_not_stripped,
    bug_new_id_is_the_number_of_books,
    bug_missing_author_accepted,
    bug_missing_book_is_200,
    bug_filter_is_case_sensitive,
    bug_list_unsorted,
    bug_delete_answers_200_with_a_body,
    bug_delete_missing_is_204,
    bug_delete_removes_the_wrong_book,
]


def test_your_tests_pass_against_the_real_bookshop(tmp_path):
    code, tally = run_learner_tests(bookshop.create_app, tmp_path)
    assert code == 0 and not tally.failed, f"your tests fail against a correct bookshop: {tally.failed}"
    assert len(tally.passed) >= 8, f"write at least 8 tests (found {len(tally.passed)} passing)"


@pytest.mark.parametrize("bug", BUGS, ids=[b.__name__[4:] for b in BUGS])
def test_your_tests_catch_the_planted_bug(tmp_path, bug):
    code, tally = run_learner_tests(bug, tmp_path)
    assert code == 1 and tally.failed, (
        f"every test of yours passes against a bookshop with this bug: {bug.__name__[4:]}"
    )
