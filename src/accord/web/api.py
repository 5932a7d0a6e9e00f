"""The JSON API (``/api/...``; OpenAPI at ``/openapi.json``): everything the pages do, for programs.

Authentication is ``Authorization: Bearer TOKEN`` (the mediator's token or a party's invitation token).
Bodies are validated strictly (unknown fields, wrong types, NaN and infinities are refused) and every 422
names the field. See docs/web.md for curl examples.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from accord.web import deps
from accord.web.service import ServiceError

router = APIRouter(prefix="/api")
_bearer = HTTPBearer(auto_error=False, description="The mediator token or a party's invitation token.")
Auth = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
NegotiationId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ShortName = Annotated[str, Field(min_length=1, max_length=60)]
Points = Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CreateNegotiation(_Strict):
    name: Name
    issues: Annotated[dict[ShortName, Annotated[list[ShortName], Field(min_length=2, max_length=8)]],
                      Field(min_length=1, max_length=8)]
    parties: Annotated[list[ShortName], Field(min_length=2, max_length=6)]


class CreateFromCaseFile(_Strict):
    case_file: Annotated[str, Field(min_length=1, max_length=100_000, description="A case file's text.")]
    format: Annotated[str, Field(pattern="^(yaml|json)$")] = "yaml"
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None


class Created(BaseModel):
    id: str
    mediator_token: str
    invitations: dict[str, str]


class PreferencesIn(_Strict):
    preferences: Annotated[dict[ShortName, Annotated[dict[ShortName, Points], Field(max_length=8)]],
                           Field(max_length=8)]
    batna: Points | None = None
    batna_package: Annotated[dict[ShortName, ShortName], Field(max_length=8)] | None = None
    allow_sharing: bool | None = None


class PackageIn(_Strict):
    package: Annotated[dict[ShortName, ShortName], Field(max_length=8)]


class OfferIn(_Strict):
    packages: Annotated[list[Annotated[dict[ShortName, ShortName], Field(max_length=8)]],
                        Field(min_length=1, max_length=3)]


class OfferAcceptIn(_Strict):
    index: Annotated[int, Field(ge=0, le=2)] = 0


@router.post("/negotiations", status_code=201, response_model=Created, tags=["mediator"])
def create_negotiation(body: CreateNegotiation, request: Request) -> dict[str, Any]:
    """Create a negotiation from issues (with their options) and party names.

    Returns the mediator token and one invitation token per party; they are shown only once.
    """
    return deps.service(request).create(body.name, list(body.issues.items()), body.parties)


@router.post("/negotiations/from-case-file", status_code=201, response_model=Created, tags=["mediator"])
def create_from_case_file(body: CreateFromCaseFile, request: Request) -> dict[str, Any]:
    """Create a negotiation from a case file's issues and parties (its points are ignored: each party
    enters its own privately)."""
    from accord.errors import AccordError
    from accord.io.casefile import parse_case

    try:
        case = parse_case(body.case_file, file="case_file", json_format=body.format == "json")
    except AccordError as err:
        raise ServiceError(422, f"case_file: {err}", "case_file") from None
    issues = [(i.name, list(i.options)) for i in case.issues]
    return deps.service(request).create(body.name or case.name, issues, list(case.party_names))


@router.get("/negotiations/{nid}", tags=["any token"])
def get_negotiation(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """What the token may see: a party its own status; the mediator every party's status, the frontier (in
    normalised gains), proposals, offers and the pyramid level of the current best package."""
    return deps.service(request).overview(deps.anyone_of(request, nid))


@router.put("/negotiations/{nid}/preferences", tags=["party"])
def put_preferences(nid: NegotiationId, body: PreferencesIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """Submit (or replace) the caller's points per option and BATNA (points or a walk-away package)."""
    who = deps.party_of(request, nid)
    return deps.service(request).set_preferences(who, body.preferences, body.batna, body.batna_package,
                                                 body.allow_sharing)


@router.get("/negotiations/{nid}/preferences", tags=["party"])
def get_preferences(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The caller's own preferences (404 before the first submission)."""
    return deps.service(request).get_preferences(deps.party_of(request, nid))


@router.post("/negotiations/{nid}/value", tags=["party"])
def value(nid: NegotiationId, body: PackageIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """What a package is worth to the caller, in its own points."""
    return deps.service(request).value(deps.party_of(request, nid), body.package)


@router.get("/negotiations/{nid}/proposals", tags=["any token"])
def get_proposals(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Proposals; a party sees each in its own points and only its own decision."""
    return deps.service(request).proposals(deps.anyone_of(request, nid))


@router.post("/negotiations/{nid}/proposals/{pid}/accept", tags=["party"])
def accept_proposal(nid: NegotiationId, pid: ItemId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Accept a proposal; the agreement is made when every party has accepted the same package."""
    return deps.service(request).decide_proposal(deps.party_of(request, nid), pid, "accept")


@router.post("/negotiations/{nid}/proposals/{pid}/reject", tags=["party"])
def reject_proposal(nid: NegotiationId, pid: ItemId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Reject a proposal (the other parties are not told who)."""
    return deps.service(request).decide_proposal(deps.party_of(request, nid), pid, "reject")


@router.get("/negotiations/{nid}/offers", tags=["any token"])
def get_offers(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Every offer; a party sees each package's value to itself."""
    return deps.service(request).offers(deps.anyone_of(request, nid))


@router.post("/negotiations/{nid}/offers", status_code=201, tags=["party"])
def post_offer(nid: NegotiationId, body: OfferIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """Offer one package, or a MESO set of up to three, to the other parties."""
    return deps.service(request).make_offer(deps.party_of(request, nid), body.packages)


@router.post("/negotiations/{nid}/offers/{oid}/accept", tags=["party"])
def accept_offer(nid: NegotiationId, oid: ItemId, body: OfferAcceptIn, request: Request,
                 _auth: Auth) -> dict[str, Any]:
    """Accept package ``index`` of another party's offer."""
    return deps.service(request).accept_offer(deps.party_of(request, nid), oid, body.index)


@router.get("/negotiations/{nid}/agreement", tags=["any token"])
def get_agreement(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The current agreement (``null`` before one)."""
    return deps.service(request).agreement(deps.anyone_of(request, nid))


@router.get("/negotiations/{nid}/improvements", tags=["any token"])
def get_improvements(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Post-settlement improvements of the agreement (409 before an agreement)."""
    return deps.service(request).improvements(deps.anyone_of(request, nid))


@router.post("/negotiations/{nid}/improvements/{iid}/accept", tags=["party"])
def accept_improvement(nid: NegotiationId, iid: ItemId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Accept an improvement; it replaces the agreement once every party has accepted it."""
    return deps.service(request).decide_improvement(deps.party_of(request, nid), iid, "accept")


@router.post("/negotiations/{nid}/improvements/{iid}/decline", tags=["party"])
def decline_improvement(nid: NegotiationId, iid: ItemId, request: Request, _auth: Auth) -> dict[str, Any]:
    """Decline an improvement (the agreement stands)."""
    return deps.service(request).decide_improvement(deps.party_of(request, nid), iid, "decline")


@router.get("/negotiations/{nid}/audit", tags=["mediator"])
def get_audit(nid: NegotiationId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The audit log of every change (mediator only), for export."""
    return deps.service(request).audit(deps.mediator_of(request, nid))
