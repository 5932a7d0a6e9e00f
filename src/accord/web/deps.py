"""Request-scoped helpers every router uses: the service, the client's address, and bearer authentication.

Status codes follow the issue's contract: no token → 401, an unknown token → 401 (and counts as a failed
attempt for the client's rate limit; too many → 429), a token of another negotiation or of the wrong role →
403. A later part of the app (the classroom) plugs its own router in and reuses these.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException, Request

from accord.web.security import FailureLimiter
from accord.web.service import Principal, Service

T = TypeVar("T")


def service(request: Request) -> Service:
    """The app's :class:`Service`."""
    svc: Service = request.app.state.service
    return svc


def limiter(request: Request) -> FailureLimiter:
    lim: FailureLimiter = request.app.state.limiter
    return lim


def client_id(request: Request) -> str:
    """The client's address (what the failed-token rate limit counts by)."""
    return request.client.host if request.client else "unknown"


def authenticate(request: Request, token: str | None, lookup: Callable[[str], T | None], *, bearer: bool = True,
                 foreign: Callable[[str], str | None] | None = None) -> T:
    """The holder of ``token`` by ``lookup``, or 401/403/429: the one gate every router's tokens pass.

    A client with too many failed attempts gets 429; no token 401; a token ``lookup`` does not know counts as a
    failed attempt and gets 401, unless ``foreign`` names where it belongs (another part of the app): then 403,
    uncounted.
    """
    lim = limiter(request)
    who = client_id(request)
    headers: dict[str, Any] = {"WWW-Authenticate": "Bearer"} if bearer else {}
    wait = lim.blocked(who)
    if wait > 0:
        raise HTTPException(429, f"too many failed token attempts; try again in {math.ceil(wait)} s",
                            headers={"Retry-After": str(math.ceil(wait))})
    if not token:
        raise HTTPException(401, "missing token: send 'Authorization: Bearer TOKEN'", headers=headers)
    holder = lookup(token)
    if holder is None:
        elsewhere = foreign(token) if foreign is not None else None
        if elsewhere is not None:
            raise HTTPException(403, elsewhere)
        lim.fail(who)
        raise HTTPException(401, "unknown token", headers=headers)
    return holder


def resolve(request: Request, token: str | None, negotiation_id: str | None, *, bearer: bool = True) -> Principal:
    """Turn a presented token into a :class:`Principal` for ``negotiation_id`` or raise 401/403/429."""
    principal = authenticate(request, token, service(request).principal, bearer=bearer)
    if negotiation_id is not None and principal.negotiation_id != negotiation_id:
        raise HTTPException(403, "this token belongs to another negotiation")
    return principal


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, or None."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def party_of(request: Request, negotiation_id: str) -> Principal:
    """The calling party (403 for the mediator token)."""
    p = resolve(request, bearer_token(request), negotiation_id)
    if p.role != "party":
        raise HTTPException(403, "this route is for a party's own token, not the mediator's")
    return p


def mediator_of(request: Request, negotiation_id: str) -> Principal:
    """The mediator (403 for a party token)."""
    p = resolve(request, bearer_token(request), negotiation_id)
    if p.role != "mediator":
        raise HTTPException(403, "this route is for the mediator's token")
    return p


def anyone_of(request: Request, negotiation_id: str) -> Principal:
    """The mediator or a party of this negotiation."""
    return resolve(request, bearer_token(request), negotiation_id)
