"""Pagination: bounded pages, exact boundaries, Link headers, and keyset cursors for feeds."""

import base64
import binascii

from fastapi import FastAPI, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field


class ArticleIn(BaseModel):
    title: str = Field(min_length=1)
    tag: str = Field(min_length=1)


def encode_cursor(article_id: int) -> str:
    return base64.urlsafe_b64encode(str(article_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return int(raw.decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise HTTPException(400, detail="invalid cursor") from None


def create_app(articles: list[dict]) -> FastAPI:
    app = FastAPI()
    store = sorted((dict(a) for a in articles), key=lambda a: a["id"])

    @app.get("/articles")
    def list_articles(
        request: Request,
        response: Response,
        limit: int = Query(20, ge=1, le=100),
        offset: int = Query(0, ge=0),
        tag: str | None = None,
    ) -> dict:
        matching = [a for a in store if tag is None or a["tag"] == tag]
        total = len(matching)
        page = matching[offset : offset + limit]
        links = []
        if offset + limit < total:
            url = request.url.include_query_params(limit=limit, offset=offset + limit)
            links.append(f'<{url}>; rel="next"')
        if offset > 0:
            url = request.url.include_query_params(limit=limit, offset=max(offset - limit, 0))
            links.append(f'<{url}>; rel="prev"')
        if links:
            response.headers["Link"] = ", ".join(links)
        return {"items": page, "total": total, "limit": limit, "offset": offset}

    @app.post("/articles", status_code=201)
    def add_article(data: ArticleIn) -> dict:
        article = {"id": store[-1]["id"] + 1 if store else 1, **data.model_dump()}
        store.append(article)
        return article

    @app.get("/feed")
    def feed(limit: int = Query(10, ge=1, le=100), after: str | None = None) -> dict:
        newest_first = sorted(store, key=lambda a: a["id"], reverse=True)
        if after is not None:
            last_seen = decode_cursor(after)
            newest_first = [a for a in newest_first if a["id"] < last_seen]
        page = newest_first[: limit + 1]
        more = len(page) > limit
        page = page[:limit]
        next_cursor = encode_cursor(page[-1]["id"]) if more else None
        return {"items": page, "next_cursor": next_cursor}

    return app
