"""Tokens, CSRF, the failed-token rate limit and the request size limit (shared by every web app part).

- **Tokens** are ``secrets.token_urlsafe(32)`` (256 bits); only their SHA-256 hex digest is stored, and a
  presented token's digest is compared with the stored one by :func:`hmac.compare_digest`.
- **CSRF** uses the double-submit pattern: a random value in a ``SameSite=Strict`` cookie that every form
  (and every htmx request, as the ``X-CSRF-Token`` header) must repeat.
- **Rate limit**: a client (IP address) that presents more than ``max_failures`` unknown tokens within
  ``window`` seconds is refused with 429 until the window has passed; in memory, per process.
- **Size limit**: request bodies above ``max_bytes`` are refused with 413 before they are read whole.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "accord_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def new_token() -> str:
    """A fresh bearer token: 32 random bytes, URL-safe (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex digest of a token (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison of two digests."""
    return hmac.compare_digest(a.encode(), b.encode())


def csrf_ok(cookie: str | None, submitted: str | None) -> bool:
    """Whether a form or htmx request repeats the CSRF cookie (double submit)."""
    if not cookie or not submitted or len(cookie) > 100 or len(submitted) > 100:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())


class FailureLimiter:
    """Counts failed token attempts per client and says when a client must wait.

    Parameters
    ----------
    max_failures : int
        Failures allowed within ``window`` seconds.
    window : float
        Seconds a failure is remembered.
    """

    def __init__(self, max_failures: int = 20, window: float = 60.0) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        q = self._failures.setdefault(client, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, client: str) -> float:
        """Seconds ``client`` must still wait (0 when it may try)."""
        now = time.monotonic()
        with self._lock:
            q = self._recent(client, now)
            if len(q) < self.max_failures:
                if not q:
                    self._failures.pop(client, None)
                return 0.0
            return max(0.0, q[0] + self.window - now)

    def fail(self, client: str) -> None:
        """Record one failed attempt by ``client``."""
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 100_000:  # bound memory under a flood of distinct clients
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window}


class BodySizeLimit:
    """ASGI middleware: answer 413 to request bodies larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await _too_large(send, self.max_bytes)
                    return
        seen = 0
        refused = False

        async def limited() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_bytes)
        except Exception:
            if refused and not started:
                await _too_large(send, self.max_bytes)
            else:
                raise


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = (f'{{"detail": "request body too large: at most {limit} bytes are accepted"}}').encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
