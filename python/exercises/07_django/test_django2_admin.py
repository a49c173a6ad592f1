import pytest

import djangosite

djangosite.setup(urls="django2_admin", admin=True)

from django.contrib.auth.models import Permission, User  # noqa: E402
from django.test import Client  # noqa: E402
from djangosite import Queries, db  # noqa: E402,F401 - `db` is a fixture

from django2_admin import Author, Book, Review  # noqa: E402

LIST = "/admin/lessons/book/"


def staff(username, *codenames):
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


EDITOR = ("view_book", "add_book", "change_book", "delete_book")


@pytest.fixture
def people(db):
    root = User.objects.create_superuser("root", password="correct horse battery")
    ed = staff("ed", *EDITOR)
    pat = staff("pat", *EDITOR, "publish_book")
    return root, ed, pat


@pytest.fixture
def shelf(people):
    root, ed, pat = people
    leckie = Author.objects.create(name="Ann Leckie")
    chiang = Author.objects.create(name="Ted Chiang")
    books = {
        "Ancillary Justice": Book.objects.create(
            title="Ancillary Justice", author=leckie, published=True, created_by=ed
        ),
        "Provenance": Book.objects.create(title="Provenance", author=leckie, created_by=pat),
        "Exhalation": Book.objects.create(title="Exhalation", author=chiang, created_by=ed),
    }
    for title, count in (("Ancillary Justice", 1), ("Provenance", 3), ("Exhalation", 2)):
        for _ in range(count):
            Review.objects.create(book=books[title], stars=4)
    return books


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def titles(response):
    assert response.status_code == 200, response.status_code
    return [book.title for book in response.context["cl"].result_list]


def test_the_changelist_shows_the_columns_in_order(people, shelf):
    response = client_for(people[0]).get(LIST)
    assert response.status_code == 200
    assert list(response.context["cl"].list_display) == [
        "action_checkbox", "title", "author_name", "published", "review_count", "created_by",
    ]
    html = response.content.decode()
    assert '<td class="field-author_name">Ann Leckie</td>' in html, "the author's name"
    assert '<td class="field-review_count">3</td>' in html, "Provenance has 3 reviews"
    assert 'column-review_count' in html and "Reviews" in html, "the column is titled Reviews"


def test_the_changelist_is_ordered_by_title(people, shelf):
    assert titles(client_for(people[0]).get(LIST)) == [
        "Ancillary Justice", "Exhalation", "Provenance",
    ]


def test_the_author_column_sorts_by_name(people, shelf):
    client = client_for(people[0])
    assert titles(client.get(LIST, {"o": "-2"}))[0] == "Exhalation", "Ted Chiang last, reversed"
    assert titles(client.get(LIST, {"o": "2"}))[-1] == "Exhalation"


def test_the_review_count_column_sorts_in_the_database(people, shelf):
    # `o=4`: sort by the 4th column of list_display (0 is the checkbox); `-4` descending.
    client = client_for(people[0])
    assert titles(client.get(LIST, {"o": "4"})) == ["Ancillary Justice", "Exhalation", "Provenance"]
    assert titles(client.get(LIST, {"o": "-4"})) == ["Provenance", "Exhalation", "Ancillary Justice"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("exhal", ["Exhalation"]),
        ("JUSTICE", ["Ancillary Justice"]),
        ("LECKIE", ["Ancillary Justice", "Provenance"]),
        ("ted", ["Exhalation"]),
        ("nobody", []),
    ],
)
def test_search_covers_titles_and_author_names(people, shelf, query, expected):
    assert titles(client_for(people[0]).get(LIST, {"q": query})) == expected


def test_the_published_filter(people, shelf):
    client = client_for(people[0])
    specs = client.get(LIST).context["cl"].filter_specs
    assert [spec.title for spec in specs] == ["published"], "a filter in the sidebar"
    assert titles(client.get(LIST, {"published__exact": "1"})) == ["Ancillary Justice"]
    assert titles(client.get(LIST, {"published__exact": "0"})) == ["Exhalation", "Provenance"]


def test_the_changelist_runs_the_same_queries_for_3_or_30_books(people, shelf):
    client = client_for(people[0])
    client.get(LIST)
    with Queries() as few:
        client.get(LIST)
    author = Author.objects.create(name="Becky Chambers")
    for n in range(27):
        book = Book.objects.create(
            title=f"Wayfarers {n:02d}", author=author, created_by=people[n % 3]
        )
        Review.objects.create(book=book, stars=5)
    with Queries() as many:
        response = client.get(LIST)
    assert len(response.context["cl"].result_list) == 30
    assert many.count == few.count, (
        f"{few.count} queries for 3 books, {many.count} for 30: a column runs a query per row "
        f"(count the reviews in get_queryset with annotate):\n{many.report()}"
    )


def test_adding_a_book_records_who_created_it(people, shelf):
    root, ed, pat = people
    author = Author.objects.get(name="Ted Chiang")
    response = client_for(ed).post(
        "/admin/lessons/book/add/",
        {"title": "Stories of Your Life", "author": author.pk, "created_by": root.pk},
    )
    assert response.status_code == 302, "the add form was accepted"
    book = Book.objects.get(title="Stories of Your Life")
    assert book.created_by == ed, "created_by is the request's user, never a posted value"
    assert not book.published


def test_editing_a_book_keeps_its_creator(people, shelf):
    root, ed, pat = people
    book = shelf["Exhalation"]
    response = client_for(root).post(
        f"/admin/lessons/book/{book.pk}/change/",
        {"title": "Exhalation: Stories", "author": book.author.pk, "published": "on"},
    )
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.title == "Exhalation: Stories" and book.published
    assert book.created_by == ed, "an edit does not change who created the book"


def test_created_by_is_shown_read_only(people, shelf):
    book = shelf["Exhalation"]
    response = client_for(people[0]).get(f"/admin/lessons/book/{book.pk}/change/")
    assert response.status_code == 200
    assert "created_by" not in response.context["adminform"].form.fields
    assert '<div class="readonly"><a href="/admin/auth/user/%d/change/">ed</a></div>' % (
        book.created_by.pk
    ) in response.content.decode(), "shown, as a link to the user, but not editable"


def test_staff_see_only_their_own_books(people, shelf):
    root, ed, pat = people
    assert titles(client_for(ed).get(LIST)) == ["Ancillary Justice", "Exhalation"]
    assert titles(client_for(pat).get(LIST)) == ["Provenance"]
    other = shelf["Provenance"]
    response = client_for(ed).get(f"/admin/lessons/book/{other.pk}/change/")
    assert response.status_code == 302 and response["Location"] == "/admin/", (
        "another editor's book does not exist for ed: the admin redirects to its index"
    )


def test_a_published_book_cannot_be_deleted(people, shelf):
    root = people[0]
    client = client_for(root)
    published = shelf["Ancillary Justice"]
    assert client.get(f"/admin/lessons/book/{published.pk}/delete/").status_code == 403
    draft = shelf["Exhalation"]
    assert client.get(f"/admin/lessons/book/{draft.pk}/delete/").status_code == 200


def test_a_draft_can_be_deleted_only_with_the_delete_permission(people, shelf):
    # Published books are never deletable; for a draft, the user's own delete_book decides.
    vic = staff("vic", "view_book", "add_book", "change_book")
    draft = Book.objects.create(title="Vic's draft", author=shelf["Exhalation"].author, created_by=vic)
    client = client_for(vic)
    assert client.get(f"/admin/lessons/book/{draft.pk}/change/").status_code == 200, "vic may edit it"
    assert client.get(f"/admin/lessons/book/{draft.pk}/delete/").status_code == 403, (
        "without delete_book, even an unpublished book of one's own cannot be deleted: "
        "defer to super().has_delete_permission() for drafts"
    )
    client.post(f"/admin/lessons/book/{draft.pk}/delete/", {"post": "yes"})
    form = client.get(LIST).context["action_form"]  # None when no action is offered at all
    choices = {} if form is None else dict(form.fields["action"].choices)
    assert "delete_selected" not in choices, "the bulk delete is not offered without delete_book"
    client.post(LIST, {"action": "delete_selected", "_selected_action": [str(draft.pk)], "post": "yes"})
    assert Book.objects.filter(pk=draft.pk).exists()


def test_bulk_delete_cannot_delete_a_published_book(people, shelf):
    client = client_for(people[0])
    ids = [str(book.pk) for book in shelf.values()]
    response = client.post(
        LIST, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code in (200, 403)
    assert Book.objects.count() == 3, "the delete action checks each object's permission"


def test_the_publish_action(people, shelf):
    pat = people[2]
    Book.objects.update(created_by=pat)
    ids = [str(book.pk) for book in shelf.values()]
    response = client_for(pat).post(LIST, {"action": "publish", "_selected_action": ids})
    assert response.status_code == 302
    assert Book.objects.filter(published=False).count() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 book(s) published."], "only the drafts count"


def test_the_publish_action_needs_its_permission(people, shelf):
    ed = people[1]
    client = client_for(ed)
    choices = dict(client.get(LIST).context["action_form"].fields["action"].choices)
    assert "publish" not in choices, "ed may not publish: the action is not offered"
    pat_choices = dict(client_for(people[2]).get(LIST).context["action_form"].fields["action"].choices)
    assert pat_choices.get("publish") == "Publish the selected books"
    draft = shelf["Exhalation"]
    client.post(LIST, {"action": "publish", "_selected_action": [str(draft.pk)]})
    draft.refresh_from_db()
    assert not draft.published, "posting the action anyway does nothing"


def test_the_admin_is_for_staff_only(people, shelf):
    joe = User.objects.create_user("joe", password="correct horse battery")
    for client in (Client(), client_for(joe)):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
