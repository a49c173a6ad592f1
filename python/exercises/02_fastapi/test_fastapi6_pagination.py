import random
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from fastapi6_pagination import create_app

ARTICLES = [
    {"id": i, "title": f"article {i}", "tag": "python" if i % 3 == 0 else "go"} for i in range(1, 46)
]


@pytest.fixture
def client():
    shuffled = list(ARTICLES)
    random.Random(7).shuffle(shuffled)
    return TestClient(create_app(shuffled))


def links(response):
    """{rel: {query parameter: value}} from an RFC 8288 Link header."""
    found = {}
    header = response.headers.get("link")
    if not header:
        return found
    for part in header.split(","):
        target, _, params = part.strip().partition(";")
        assert target.startswith("<") and target.endswith(">"), f"a link target is <URI>: {part!r}"
        rel = params.strip()
        assert rel.startswith("rel="), f"each link has rel=: {part!r}"
        query = parse_qs(urlsplit(target[1:-1]).query)
        found[rel[4:].strip('"')] = {k: v[0] for k, v in query.items()}
    return found


def ids(response):
    return [a["id"] for a in response.json()["items"]]


def test_defaults_are_limit_20_offset_0(client):
    r = client.get("/articles")
    assert r.status_code == 200
    assert ids(r) == list(range(1, 21)), "sorted by id, the first 20"
    assert r.json()["total"] == 45
    assert (r.json()["limit"], r.json()["offset"]) == (20, 0)
    assert links(r) == {"next": {"limit": "20", "offset": "20"}}, "no prev link on the first page"


def test_a_middle_page_links_both_ways(client):
    r = client.get("/articles", params={"limit": 10, "offset": 10})
    assert ids(r) == list(range(11, 21))
    assert links(r) == {
        "next": {"limit": "10", "offset": "20"},
        "prev": {"limit": "10", "offset": "0"},
    }


def test_a_last_page_that_ends_exactly_has_no_next(client):
    r = client.get("/articles", params={"limit": 15, "offset": 30})
    assert ids(r) == list(range(31, 46))
    assert "next" not in links(r), "offset + limit == total: there is no next page"


def test_a_short_last_page(client):
    r = client.get("/articles", params={"limit": 20, "offset": 40})
    assert ids(r) == [41, 42, 43, 44, 45]
    assert links(r) == {"prev": {"limit": "20", "offset": "20"}}


def test_offset_1_has_a_prev_link_to_the_start(client):
    r = client.get("/articles", params={"limit": 10, "offset": 1})
    assert links(r)["prev"] == {"limit": "10", "offset": "0"}


def test_the_links_carry_the_default_limit_too(client):
    r = client.get("/articles", params={"offset": 20})
    assert links(r) == {"next": {"limit": "20", "offset": "40"}, "prev": {"limit": "20", "offset": "0"}}


def test_prev_is_clamped_at_zero(client):
    r = client.get("/articles", params={"limit": 10, "offset": 5})
    assert ids(r) == list(range(6, 16))
    assert links(r)["prev"]["offset"] == "0", "never a negative offset"


def test_past_the_end_is_an_empty_page(client):
    r = client.get("/articles", params={"offset": 100})
    assert r.status_code == 200
    assert r.json()["items"] == [] and r.json()["total"] == 45
    assert "next" not in links(r)


def test_the_filter_is_counted_and_kept_in_the_links(client):
    r = client.get("/articles", params={"tag": "python", "limit": 5, "offset": 5})
    assert ids(r) == [18, 21, 24, 27, 30]
    assert r.json()["total"] == 15, "total counts the filtered collection"
    assert links(r) == {
        "next": {"tag": "python", "limit": "5", "offset": "10"},
        "prev": {"tag": "python", "limit": "5", "offset": "0"},
    }, "the links keep the filter, or page 2 is a page of something else"


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_inclusive(client, limit):
    r = client.get("/articles", params={"limit": limit})
    assert r.status_code == 200
    assert len(ids(r)) == min(limit, 45)


def test_offset_0_is_allowed_explicitly(client):
    assert ids(client.get("/articles", params={"offset": 0, "limit": 2})) == [1, 2]


def test_a_new_article_gets_the_next_id_and_is_listed(client):
    r = client.post("/articles", json={"title": "t", "tag": "x"})
    assert r.status_code == 201, "a title and a tag of one character are fine"
    assert r.json() == {"id": 46, "title": "t", "tag": "x"}
    assert client.post("/articles", json={"title": "u", "tag": "rust"}).json()["id"] == 47
    assert client.get("/articles", params={"offset": 44}).json()["items"] == [
        {"id": 45, "title": "article 45", "tag": "python" if 45 % 3 == 0 else "go"},
        {"id": 46, "title": "t", "tag": "x"},
        {"id": 47, "title": "u", "tag": "rust"},
    ]
    empty = TestClient(create_app([]))
    assert empty.post("/articles", json={"title": "first", "tag": "go"}).json()["id"] == 1


@pytest.mark.parametrize(
    "body", [{"title": "", "tag": "go"}, {"title": "t", "tag": ""}, {"tag": "go"}, {"title": "t"}],
    ids=["empty-title", "empty-tag", "no-title", "no-tag"],
)
def test_an_article_needs_a_title_and_a_tag(client, body):
    assert client.post("/articles", json=body).status_code == 422
    assert client.get("/articles").json()["total"] == 45


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": -1}, {"offset": -1}, {"limit": "ten"}]
)
def test_out_of_range_parameters_are_422(client, params):
    assert client.get("/articles", params=params).status_code == 422, (
        "an unbounded limit lets one request read the whole table"
    )


def walk_feed(client, limit):
    pages, cursor = [], None
    for _ in range(20):
        params = {"limit": limit} if cursor is None else {"limit": limit, "after": cursor}
        r = client.get("/feed", params=params)
        assert r.status_code == 200
        pages.append(ids(r))
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("the feed never ends")


def test_the_feed_is_newest_first_and_ends_without_an_empty_page():
    client = TestClient(create_app(ARTICLES[:6]))
    assert walk_feed(client, 2) == [[6, 5], [4, 3], [2, 1]], (
        "6 items in pages of 2 are 3 pages: the last has next_cursor null, not a 4th empty page"
    )
    assert walk_feed(client, 4) == [[6, 5, 4, 3], [2, 1]]


def test_the_feed_cursor_survives_new_articles(client):
    first = client.get("/feed", params={"limit": 3})
    assert ids(first) == [45, 44, 43]
    assert client.post("/articles", json={"title": "breaking", "tag": "go"}).status_code == 201
    second = client.get("/feed", params={"limit": 3, "after": first.json()["next_cursor"]})
    assert ids(second) == [42, 41, 40], (
        "a keyset cursor continues after the last item seen; an offset would repeat article 43"
    )


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_the_feed_limit_is_bounded_too(client, limit):
    r = client.get("/feed", params={"limit": limit})
    assert r.status_code == 422, "the feed's limit is 1 to 100, like the table's"


def test_the_feed_pages_by_10_by_default(client):
    r = client.get("/feed")
    assert ids(r) == list(range(45, 35, -1))
    assert "=" not in r.json()["next_cursor"], "a cursor travels in a URL: no base64 padding"


def test_the_feed_limit_bounds_are_inclusive(client):
    assert len(ids(client.get("/feed", params={"limit": 1}))) == 1
    assert len(ids(client.get("/feed", params={"limit": 100}))) == 45


@pytest.mark.parametrize("cursor", ["!!!", "bm9wZQ", ""], ids=["not base64", "not a number", "empty"])
def test_a_garbage_cursor_is_400(client, cursor):
    r = client.get("/feed", params={"after": cursor})
    assert r.status_code == 400
    assert r.json() == {"detail": "invalid cursor"}
