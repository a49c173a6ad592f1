"""Async endpoints: never block the event loop, await independent I/O concurrently, time it out."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, HTTPException
from starlette.concurrency import run_in_threadpool


class UpstreamError(Exception):
    """An upstream service answered with an error (its 5xx, a refused connection...)."""


Geocoder = Callable[[str], dict]
Fetcher = Callable[[str], Awaitable[dict]]


def create_app(
    geocode: Geocoder, weather: Fetcher, traffic: Fetcher, upstream_timeout: float = 2.0
) -> FastAPI:
    app = FastAPI()

    @app.get("/geocode")
    async def geocode_address(address: str) -> dict:
        # `geocode` blocks: on the event loop it would stall every other request.
        point = await run_in_threadpool(geocode, address)
        return {"address": address, **point}

    async def bounded(call: Awaitable[dict]) -> dict:
        return await asyncio.wait_for(call, timeout=upstream_timeout)

    @app.get("/dashboard/{city}")
    async def dashboard(city: str) -> dict:
        weather_result, traffic_result = await asyncio.gather(
            bounded(weather(city)), bounded(traffic(city)), return_exceptions=True
        )
        if isinstance(weather_result, UpstreamError):
            raise HTTPException(502, detail="the weather service failed")
        if isinstance(weather_result, TimeoutError):
            raise HTTPException(504, detail="the weather service did not answer in time")
        if isinstance(weather_result, BaseException):
            raise weather_result
        if isinstance(traffic_result, (UpstreamError, TimeoutError)):
            traffic_result = None
        elif isinstance(traffic_result, BaseException):
            raise traffic_result
        return {"city": city, "weather": weather_result, "traffic": traffic_result}

    return app
