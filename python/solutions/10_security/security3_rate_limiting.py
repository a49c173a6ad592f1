"""Rate limiting: a token bucket per client, 429 + Retry-After, and who the client really is.

A **token bucket** holds at most `capacity` tokens and gains `rate` tokens per second,
continuously. A request takes one token; with none left it is refused. Bursts up to `capacity`
pass, and the long-run average is `rate` per second.

    tokens = min(capacity, tokens + (now - updated) * rate);  updated = now

Only the time since the LAST update refills (not since the bucket was created), the bucket never
holds more than `capacity` (a client idle for a day does not get a day's worth of burst), and a
REFUSED request takes nothing (a client hammering while limited does not push its own recovery
further away, and the count never goes negative). Time comes from an injected monotonic `clock`
(seconds as a float): wall-clock time jumps, and tests need a fake clock anyway.

A refused request is answered `429 Too Many Requests` (RFC 6585 section 4) with `Retry-After`
(RFC 9110 section 10.2.3): a whole number of seconds, rounded UP (`Retry-After: 0` after a
refusal invites an immediate retry that is refused again), from the time the next token arrives:
`(1 - tokens) / rate`. The body is `{"error": "rate_limited"}`.

**Per client.** One bucket per client key, created full on first sight. The buckets live in a
bounded map: at most `max_clients` of them; when a new client arrives and the map is full, the
least recently SEEN client's bucket is dropped (`collections.OrderedDict`, `move_to_end` on each
use, `popitem(last=False)`). An unbounded dict is a memory leak any attacker with many addresses
(IPv6 gives everyone 2^64) can drive.

**Which client?** `request.remote_addr` is the peer of the TCP connection. Behind a reverse proxy
(nginx, a load balancer) that is the proxy, and the real client is in `X-Forwarded-For`
(`client, proxy1, proxy2`: each hop APPENDS the address it received the request from). The header
is sent by the client, so anyone can write anything in it. Trust it only when the peer is one of
`trusted_proxies`, and then walk it FROM THE RIGHT: skip the entries that are trusted proxies; the
first one that is not is the client (everything left of it may be forged). (A request may carry
several X-Forwarded-For lines; RFC 9110 section 5.3 joins them with commas, in order, and WSGI
servers hand Flask that one joined string.) An entry that is not an IP address
(`ipaddress.ip_address`) where the client should be is answered 400
`{"error": "bad_forwarded_for"}`. The key is the NORMALIZED address, `str(ip_address(...))`:
`2001:DB8::1` and `2001:db8:0::1` are one client, not two buckets. When every entry is a trusted
proxy the client is the leftmost entry; an absent or blank header means the peer itself.

Only `/api/` is limited; `/healthz` (the load balancer's probe) never is.

The map lives in one process: with several workers, production limiters keep the buckets in a
shared store (Redis, updated atomically). Real limiters also key IPv6 clients by their /64.

Frameworks: Flask-Limiter, django-ratelimit and DRF's throttling (`NUM_PROXIES` says how many
X-Forwarded-For hops to trust), slowapi for FastAPI; Werkzeug's `ProxyFix(x_for=1)` ("trust
exactly one hop") and `uvicorn --forwarded-allow-ips` do the proxy part. OWASP: Denial of Service
Cheat Sheet; API Security Top 10, API4:2023 Unrestricted Resource Consumption.
"""

import ipaddress
import math
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, jsonify, request


class TokenBucket:
    def __init__(self, capacity: int, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = float(capacity)
        self.updated = now

    def take(self, now: float) -> float:
        """Take one token: 0.0 when allowed, else the seconds until the next token."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(
        self, capacity: int, rate: float, clock: Callable[[], float], max_clients: int = 10_000
    ) -> None:
        self.capacity = capacity
        self.rate = rate
        self.clock = clock
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        # Flask serves requests on several threads: one check at a time (already written).
        self.lock = threading.Lock()

    def check(self, key: str) -> float:
        """0.0 when the client may proceed, else the seconds it must wait."""
        with self.lock:
            return self.check_locked(key)

    def check_locked(self, key: str) -> float:
        """The check itself; the caller holds the lock."""
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(self.capacity, self.rate, now)
            self.buckets[key] = bucket
            if len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
        else:
            self.buckets.move_to_end(key)
        return bucket.take(now)


class BadForwardedFor(Exception):
    pass


def client_key(remote_addr: str, forwarded_for: str | None, trusted_proxies: set[str]) -> str:
    """The client's address, from the peer and the X-Forwarded-For header (None when absent)."""
    if remote_addr not in trusted_proxies:
        return remote_addr
    if forwarded_for is None or not forwarded_for.strip():
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        if hop in trusted_proxies:
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            raise BadForwardedFor(hop) from None
    return hops[0]


def create_app(limiter: RateLimiter, trusted_proxies: set[str]) -> Flask:
    app = Flask(__name__)

    @app.before_request
    def limit():
        if not request.path.startswith("/api/"):
            return None
        try:
            key = client_key(
                request.remote_addr or "",
                request.headers.get("X-Forwarded-For"),
                trusted_proxies,
            )
        except BadForwardedFor:
            return jsonify(error="bad_forwarded_for"), 400
        wait = limiter.check(key)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            return jsonify(error="rate_limited"), 429, {"Retry-After": str(retry_after)}
        return None

    @app.get("/api/quotes")
    def quotes():
        return jsonify(quotes=["Premature optimization is the root of all evil."])

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
