"""Pagination: bounded pages, exact boundaries, Link headers, and keyset cursors for feeds.

A collection endpoint never returns "everything": one request could read the whole table.

Offset pagination, `GET /articles?limit=10&offset=20&tag=python`:
- `limit` has a default (20) and a hard maximum (100), `offset` is >= 0. Out of range is 422:
  `limit: int = Query(20, ge=1, le=100)`.
- Sort by a unique key (`id`) first, or pages overlap and skip rows between requests.
- The body: `{"items": [...], "total": N, "limit": L, "offset": O}`, with `total` counting the
  *filtered* collection.
- Navigation goes in the `Link` header (RFC 8288 §3): `<URI>; rel="next", <URI>; rel="prev"`.
  There is a next page only when `offset + limit < total` (at `==` the page ended exactly). The
  previous page starts at `max(offset - limit, 0)`. The link URIs keep every other query
  parameter (`tag`!): `request.url.include_query_params(limit=..., offset=...)` does that.

Keyset (cursor) pagination, `GET /feed?limit=10&after=<cursor>`, newest first:
- An offset counts rows *now*: when a new article arrives between page 1 and page 2, every row
  shifts by one and page 2 repeats the last item of page 1. A keyset cursor says "continue
  after id 43" instead, so new rows do not disturb it.
- The feed's `limit` is bounded like the table's: default 10, from 1 to 100, else 422.
- The cursor is opaque to clients (base64url of the last id here), so you may change it later.
  A cursor that does not decode is the client's error: 400. An empty one (`?after=`) is such a
  cursor, not "no cursor": test `after is None`, not `if after`.
- `next_cursor` is null on the last page. Fetch `limit + 1` rows to know whether more exist;
  otherwise a feed of 6 in pages of 2 ends with an extra empty page.
"""

import base64

from fastapi import FastAPI, HTTPException, Request, Response
from pydantic import BaseModel, Field


class ArticleIn(BaseModel):
    title: str = Field(min_length=1)
    tag: str = Field(min_length=1)


def encode_cursor(article_id: int) -> str:
    return base64.urlsafe_b64encode(str(article_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    # TODO: a cursor that is not base64 or not a number is a 400, not a 500.
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return int(raw.decode("ascii"))


def create_app(articles: list[dict]) -> FastAPI:
    app = FastAPI()
    store = [dict(a) for a in articles]  # TODO: sorted by id

    # TODO: bound limit and offset; filter, then count; Link header with next and prev.
    @app.get("/articles")
    def list_articles(
        request: Request, response: Response, limit: int = 20, offset: int = 0, tag: str | None = None
    ) -> dict:
        page = store[offset : offset + limit]
        if tag is not None:
            page = [a for a in page if a["tag"] == tag]
        if offset + limit <= len(store):
            response.headers["Link"] = f'</articles?limit={limit}&offset={offset + limit}>; rel="next"'
        return {"items": page, "total": len(store), "limit": limit, "offset": offset}

    @app.post("/articles", status_code=201)
    def add_article(data: ArticleIn) -> dict:
        article = {"id": max(a["id"] for a in store) + 1 if store else 1, **data.model_dump()}
        store.append(article)
        return article

    # TODO: limit 1..100; newest first; `after` is a keyset cursor (continue below that id),
    # next_cursor is null on the last page.
    @app.get("/feed")
    def feed(limit: int = 10, after: str | None = None) -> dict:
        newest_first = sorted(store, key=lambda a: a["id"], reverse=True)
        offset = decode_cursor(after) if after else 0
        page = newest_first[offset : offset + limit]
        return {"items": page, "next_cursor": encode_cursor(offset + limit)}

    return app
