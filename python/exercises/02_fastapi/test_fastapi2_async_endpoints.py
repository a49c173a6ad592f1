import asyncio
import inspect

import pytest
from fastapi.testclient import TestClient

from fastapi2_async_endpoints import UpstreamError, create_app


SLOW = 0.5


class Upstreams:
    """Fakes of the three upstream services; they record what happened, in order."""

    def __init__(self):
        self.log = []
        self.geocode_on_loop = None
        self.weather_fails = None  # an exception to raise, or "hang"
        self.traffic_fails = None
        # Turns of the event loop a fetch waits (an upstream waiting on the network). The tests
        # with a tiny timeout use 0 for the fetch that must succeed: a fetch that completes
        # without suspending cannot lose a race against the timer on a loaded machine.
        self.turns = {"weather": 3, "traffic": 3}

    def geocode(self, address):
        try:
            asyncio.get_running_loop()
            self.geocode_on_loop = True
        except RuntimeError:
            self.geocode_on_loop = False
        self.log.append(("geocode", address))
        return {"lat": 52.52, "lon": 13.405}

    async def _fetch(self, name, city, fails, result):
        self.log.append((name + " start", city))
        if fails == "hang":
            await asyncio.Event().wait()
        if fails == "slow":
            # Answers, but only after SLOW seconds. The timer of a timeout smaller than SLOW is
            # set before this one, so it always fires first, however loaded the machine is.
            await asyncio.sleep(SLOW)
            fails = None
        if fails is not None:
            raise fails
        for _ in range(self.turns[name]):
            await asyncio.sleep(0)
        self.log.append((name + " end", city))
        return result

    async def weather(self, city):
        return await self._fetch("weather", city, self.weather_fails, {"temp_c": 21})

    async def traffic(self, city):
        return await self._fetch("traffic", city, self.traffic_fails, {"jams": 2})


@pytest.fixture
def up():
    return Upstreams()


def client_for(up, timeout=2.0):
    app = create_app(up.geocode, up.weather, up.traffic, upstream_timeout=timeout)
    return TestClient(app, raise_server_exceptions=False)


def test_geocode_runs_the_blocking_call_off_the_event_loop(up):
    r = client_for(up).get("/geocode", params={"address": "Unter den Linden 1"})
    assert r.status_code == 200
    assert r.json() == {"address": "Unter den Linden 1", "lat": 52.52, "lon": 13.405}
    assert up.geocode_on_loop is False, (
        "the blocking geocoder ran on the event loop's thread: every other request waits for it"
    )


def test_dashboard_combines_both_upstreams(up):
    r = client_for(up).get("/dashboard/berlin")
    assert r.status_code == 200
    assert r.json() == {"city": "berlin", "weather": {"temp_c": 21}, "traffic": {"jams": 2}}
    assert sorted(e for e in up.log if e[0].endswith("start")) == [
        ("traffic start", "berlin"), ("weather start", "berlin")
    ], "each upstream is called exactly once"


def test_dashboard_awaits_both_upstreams_concurrently(up):
    client_for(up).get("/dashboard/berlin")
    kinds = [entry[0].split()[1] for entry in up.log]
    assert kinds == ["start", "start", "end", "end"], (
        f"the calls ran one after the other ({up.log}): start both, then await both "
        "(asyncio.gather)"
    )


def test_weather_upstream_error_is_502(up):
    up.weather_fails = UpstreamError("weather: 503 from upstream")
    r = client_for(up).get("/dashboard/berlin")
    assert r.status_code == 502, "an upstream that failed is 502 Bad Gateway (RFC 9110 §15.6.3)"
    assert r.json() == {"detail": "the weather service failed"}


def test_weather_timeout_is_504(up):
    up.weather_fails = "hang"
    r = client_for(up, timeout=0.05).get("/dashboard/berlin")
    assert r.status_code == 504, "an upstream that did not answer in time is 504 (RFC 9110 §15.6.5)"
    assert r.json() == {"detail": "the weather service did not answer in time"}


def test_the_timeout_is_upstream_timeout(up):
    up.weather_fails = "slow"
    r = client_for(up, timeout=SLOW / 10).get("/dashboard/berlin")
    assert r.status_code == 504, (
        f"weather answers after {SLOW} s, create_app's upstream_timeout is {SLOW / 10} s: bound "
        "each call by upstream_timeout, not by a number of your own"
    )
    assert ("weather end", "berlin") not in up.log, "the late call is cancelled, not awaited to its end"


def test_a_slow_traffic_is_cut_off_at_upstream_timeout(up):
    up.traffic_fails = "slow"
    up.turns["weather"] = 0
    r = client_for(up, timeout=SLOW / 10).get("/dashboard/hamburg")
    assert r.status_code == 200
    assert r.json()["traffic"] is None, f"traffic took {SLOW} s, longer than upstream_timeout"


@pytest.mark.parametrize("failure", [UpstreamError("traffic down"), "hang"], ids=["error", "timeout"])
def test_traffic_is_optional(up, failure):
    up.traffic_fails = failure
    up.turns["weather"] = 0
    r = client_for(up, timeout=0.05).get("/dashboard/hamburg")
    assert r.status_code == 200, "without traffic data the dashboard still answers"
    assert r.json() == {"city": "hamburg", "weather": {"temp_c": 21}, "traffic": None}


@pytest.mark.parametrize(
    "which,bug", [("weather", ValueError("bug")), ("traffic", KeyError("bug"))], ids=["weather", "traffic"]
)
def test_bugs_are_not_swallowed(up, which, bug):
    setattr(up, which + "_fails", bug)
    r = client_for(up).get("/dashboard/berlin")
    assert r.status_code == 500, (
        "only UpstreamError and timeouts are expected failures; a bug in our code must not "
        "turn into 502 or a silently empty field"
    )
    with pytest.raises(type(bug)) as raised:
        TestClient(create_app(up.geocode, up.weather, up.traffic)).get("/dashboard/berlin")
    assert raised.value is bug, "the bug itself propagates, not another error made from it"


def test_upstream_timeout_defaults_to_two_seconds():
    default = inspect.signature(create_app).parameters["upstream_timeout"].default
    assert default == 2.0, "each upstream call gets 2 s unless the app is told otherwise"
