"""Async endpoints: never block the event loop, await independent I/O concurrently, time it out.

An `async def` endpoint runs *on* the event loop: one thread serves every request that is
waiting on I/O. That is only fast if each endpoint gives the loop back while it waits.
- A blocking call (`time.sleep`, `requests.get`, a sync database driver, a slow geocoding
  library) inside `async def` freezes the whole server until it returns. Hand it to a worker
  thread: `await run_in_threadpool(fn, arg)` (starlette.concurrency, what FastAPI itself uses for
  plain `def` endpoints) or `await asyncio.to_thread(fn, arg)`.
- Two independent awaits written one after the other take the *sum* of their times. Start both
  and await them together: `await asyncio.gather(a(), b(), return_exceptions=True)`.
- An upstream that never answers must not hold the request forever: bound each call with
  `await asyncio.wait_for(coro, timeout=...)`, which raises `TimeoutError` when it is late.

The dashboard's contract (RFC 9110 §15.6 for the gateway codes):
- each upstream call is bounded by `create_app`'s `upstream_timeout` (seconds), never by a
  number of your own: the caller knows how long its upstreams may take.
- weather is required: an `UpstreamError` from it is 502 Bad Gateway (§15.6.3), a timeout is
  504 Gateway Timeout (§15.6.5).
- traffic is optional: an `UpstreamError` or a timeout gives `"traffic": null` and still 200.
- Any other exception is a bug in our code, not an upstream outage: let it propagate (500).
  `except Exception:` around the calls would hide it as a 502 or an empty field.
"""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI


class UpstreamError(Exception):
    """An upstream service answered with an error (its 5xx, a refused connection...)."""


Geocoder = Callable[[str], dict]
Fetcher = Callable[[str], Awaitable[dict]]


def create_app(
    geocode: Geocoder, weather: Fetcher, traffic: Fetcher, upstream_timeout: float = 2.0
) -> FastAPI:
    """`geocode` blocks (a sync library); `weather` and `traffic` are coroutine functions."""
    app = FastAPI()

    @app.get("/geocode")
    async def geocode_address(address: str) -> dict:
        # TODO: this blocks the event loop. Run it in a worker thread.
        point = geocode(address)
        return {"address": address, **point}

    @app.get("/dashboard/{city}")
    async def dashboard(city: str) -> dict:
        # TODO: these run one after the other and wait forever. Run them concurrently, each
        # bounded by `upstream_timeout`, and map the failures as the docstring says.
        try:
            weather_result = await weather(city)
            traffic_result = await traffic(city)
        except Exception:
            weather_result, traffic_result = None, None
        return {"city": city, "weather": weather_result, "traffic": traffic_result}

    return app
