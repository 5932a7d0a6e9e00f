"""The HTML pages: the mediator's set-up and dashboard, and each party's private pages.

Private links carry the token in the path (``/m/TOKEN`` for the mediator, ``/p/TOKEN`` for a party); pages
send ``Referrer-Policy: no-referrer`` so the link never leaks to another site, and every form repeats the CSRF
cookie (double submit). Pages render what :class:`~accord.web.service.Service` returns for that token, so a
page can show no more than the JSON API would.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from accord.web import deps
from accord.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrf_ok
from accord.web.service import Principal, ServiceError, check_decision

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


class PageError(Exception):
    """An error shown as an HTML page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _csrf(request: Request) -> tuple[str, bool]:
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token, False
    return secrets.token_urlsafe(24), True


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template with the CSRF token (setting the cookie when new)."""
    csrf, new = _csrf(request)
    response = templates.TemplateResponse(request, name, {**context, "csrf": csrf}, status_code=status)
    if new:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


async def checked_form(request: Request) -> FormData:
    """The posted form, after the double-submit CSRF check (403 page when it fails)."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not isinstance(submitted, str) or not csrf_ok(request.cookies.get(CSRF_COOKIE), submitted):
        raise PageError(403, "the form's security token is missing or stale; reload the page and try again")
    return form


def _who(request: Request, token: str, role: str) -> Principal:
    try:
        who = deps.resolve(request, token, None, bearer=False)
    except HTTPException as err:
        message = "this link is not valid" if err.status_code == 401 else str(err.detail)
        raise PageError(err.status_code, message) from None
    if who.role != role:
        raise PageError(403, f"this link is not a {role} link")
    return who


def form_text(form: FormData, key: str, limit: int = 5000) -> str:
    """A text field of ``form``, stripped; "" when absent; 422 page past ``limit`` characters."""
    v = form.get(key)
    if v is None or isinstance(v, UploadFile):
        return ""
    if len(v) > limit:
        raise PageError(422, f"{key}: at most {limit} characters")
    return v.strip()


def _number(form: FormData, key: str, default: float | None = None) -> float:
    raw = form_text(form, key, 50)
    if not raw:
        if default is None:
            raise PageError(422, f"{key}: give a number")
        return default
    try:
        x = float(raw)
    except ValueError:
        raise PageError(422, f"{key}: {raw!r} is not a number") from None
    if x != x or abs(x) > 1e6:
        raise PageError(422, f"{key}: give a finite number of at most 1e6 in magnitude")
    return x


# -- set-up ---------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", {"title": "New mediated negotiation"})


def _parse_issues(text: str) -> list[tuple[str, list[str]]]:
    issues = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if ":" not in line:
            raise PageError(422, f"issues, line {n}: write 'issue: option, option, ...'")
        name, _, rest = line.partition(":")
        issues.append((name.strip(), [o.strip() for o in rest.split(",") if o.strip()]))
    return issues


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request) -> HTMLResponse:
    form = await checked_form(request)
    upload = form.get("case_file")
    name = form_text(form, "name", 200)
    if isinstance(upload, UploadFile) and upload.filename:
        from accord.errors import AccordError
        from accord.io.casefile import parse_case

        raw = await upload.read(200_001)
        if len(raw) > 200_000:
            raise PageError(413, "case_file: at most 200 kB")
        try:
            case = parse_case(raw.decode("utf-8", "replace"), file=upload.filename[:100],
                              json_format=upload.filename.lower().endswith(".json"))
        except AccordError as err:
            raise PageError(422, f"case file: {err}") from None
        issues = [(i.name, list(i.options)) for i in case.issues]
        parties = list(case.party_names)
        name = name or case.name
    else:
        issues = _parse_issues(form_text(form, "issues"))
        parties = [p.strip() for p in form_text(form, "parties").splitlines() if p.strip()]
    created = deps.service(request).create(name, issues, parties)
    base = str(request.base_url).rstrip("/")
    return render(request, "created.html", {
        "title": "Negotiation created", "name": name, "mediator_link": f"{base}/m/{created['mediator_token']}",
        "invitations": {p: f"{base}/p/{t}" for p, t in created["invitations"].items()}}, status=201)


# -- mediator -------------------------------------------------------------------------------------------
@router.get("/m/{token}", response_class=HTMLResponse)
def mediator(request: Request, token: str) -> HTMLResponse:
    who = _who(request, token, "mediator")
    view = deps.service(request).overview(who)
    chart = None
    if view.get("frontier") and view["frontier"]["gains"]:
        chart = json.dumps({"kind": "frontier", **view["frontier"],
                            "proposals": [p["package"] for p in view["proposals"] if p["open"]]})
    imps = deps.service(request).improvements(who) if view["agreement"] else None
    return render(request, "mediator.html", {"title": view["name"], "v": view, "token": token, "chart": chart,
                                             "imps": imps})


@router.get("/m/{token}/audit.json")
def audit_export(request: Request, token: str) -> Response:
    who = _who(request, token, "mediator")
    data = deps.service(request).audit(who)
    return Response(json.dumps(data, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="accord-audit-{who.negotiation_id}.json"'})


# -- party ----------------------------------------------------------------------------------------------
def _offer_chart(offers: list[dict[str, Any]]) -> str | None:
    """Each offer's value to oneself over time: one series for offers made, one for offers received."""
    series: dict[str, dict[str, list[Any]]] = {"made": {"x": [], "y": [], "text": []},
                                                "received": {"x": [], "y": [], "text": []}}
    for o in offers:
        if o.get("your_points") is None:
            continue
        key = "made" if o["yours"] else "received"
        for n, (pkg, pts) in enumerate(zip(o["packages"], o["your_points"], strict=True)):
            series[key]["x"].append(o["created_at"])
            series[key]["y"].append(pts)
            label = f"offer {o['id']}" + (f" #{n + 1}" if len(o["packages"]) > 1 else "")
            series[key]["text"].append(label + ": " + ", ".join(f"{k}={v}" for k, v in pkg.items()))
    if not series["made"]["x"] and not series["received"]["x"]:
        return None
    return json.dumps({"kind": "offers", **series})


@router.get("/p/{token}", response_class=HTMLResponse)
def party(request: Request, token: str) -> HTMLResponse:
    who = _who(request, token, "party")
    view = deps.service(request).party_page(who)
    return render(request, "party.html", {"title": f"{view['name']} — {who.party_name}", "v": view, "token": token,
                                          "chart": _offer_chart(view["offers"])})


def _holistic(issues: dict[str, list[str]], form: dict[str, Any]) -> list[dict[str, Any]]:
    """Three packages and the points the party's weights and ratings give them (see docs/web.md)."""
    w, r = form["weights"], form["ratings"]
    best = {i: max(opts, key=lambda o: r[i][o]) for i, opts in issues.items()}
    worst = {i: min(opts, key=lambda o: r[i][o]) for i, opts in issues.items()}
    order = sorted(issues, key=lambda i: (-w[i], i))
    top = set(order[: max(1, len(order) // 2)])

    def pts(pkg: dict[str, str]) -> float:
        return round(float(sum(w[i] * r[i][pkg[i]] / 100.0 for i in issues)), 2)

    a = {i: best[i] if i in top else worst[i] for i in issues}
    b = {i: worst[i] if i in top else best[i] for i in issues}
    return [{"label": "Your best package", "package": best, "points": pts(best)},
            {"label": "Best on your most important issues, worst on the rest", "package": a, "points": pts(a)},
            {"label": "The reverse", "package": b, "points": pts(b)}]


@router.get("/p/{token}/preferences", response_class=HTMLResponse)
def preferences_form(request: Request, token: str) -> HTMLResponse:
    who = _who(request, token, "party")
    view = deps.service(request).party_page(who)
    mine = view["mine"]
    form = mine["form"] if mine and mine.get("form") else None
    check = _holistic(view["issues"], form) if form else None
    return render(request, "preferences.html", {"title": f"Your preferences — {who.party_name}", "v": view,
                                                "token": token, "form": form, "check": check})


@router.post("/p/{token}/preferences")
async def preferences_save(request: Request, token: str) -> Response:
    who = _who(request, token, "party")
    form = await checked_form(request)
    svc = deps.service(request)
    issues = svc.overview(who)["issues"]
    weights = {i: _number(form, f"w:{i}") for i in issues}
    if any(x < 0 for x in weights.values()) or abs(sum(weights.values()) - 100) > 0.5:
        raise PageError(422, f"weights: divide exactly 100 points across the issues (they add up to "
                             f"{sum(weights.values()):g})")
    ratings = {i: {o: _number(form, f"r:{i}:{o}") for o in opts} for i, opts in issues.items()}
    if any(not 0 <= x <= 100 for t in ratings.values() for x in t.values()):
        raise PageError(422, "ratings: rate every option from 0 (worst) to 100 (best)")
    points = {i: {o: weights[i] * ratings[i][o] / 100.0 for o in opts} for i, opts in issues.items()}
    batna_package = None
    batna: float | None = None
    if form_text(form, "batna_kind", 10) == "package":
        batna_package = {i: form_text(form, f"b:{i}", 100) for i in issues}
    else:
        batna = _number(form, "batna", 0.0)
    sharing = form_text(form, "allow_sharing", 10) == "yes"
    svc.set_preferences(who, points, batna, batna_package, sharing, {"weights": weights, "ratings": ratings})
    return RedirectResponse(f"/p/{token}/preferences#check", status_code=303)


@router.post("/p/{token}/value", response_class=HTMLResponse)
async def value_fragment(request: Request, token: str) -> HTMLResponse:
    who = _who(request, token, "party")
    form = await checked_form(request)
    svc = deps.service(request)
    issues = svc.overview(who)["issues"]
    pkg = {i: form_text(form, f"v:{i}", 100) for i in issues}
    try:
        result = svc.value(who, pkg)
        return HTMLResponse(f"<strong>{result['points']:.2f}</strong> points to you")
    except ServiceError as err:
        return HTMLResponse(f"<span class=\"warn\">{_escape(err.message)}</span>")


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@router.post("/p/{token}/proposals/{pid}/{decision}")
async def proposal_decision(request: Request, token: str, pid: int, decision: str) -> Response:
    who = _who(request, token, "party")
    await checked_form(request)
    deps.service(request).decide_proposal(who, pid, check_decision(decision))
    return RedirectResponse(f"/p/{token}#proposals", status_code=303)


@router.post("/p/{token}/offers")
async def offer_make(request: Request, token: str) -> Response:
    who = _who(request, token, "party")
    form = await checked_form(request)
    svc = deps.service(request)
    issues = svc.overview(who)["issues"]
    packages = []
    for k in range(3):
        if k == 0 or form_text(form, f"use:{k}", 5) == "yes":
            packages.append({i: form_text(form, f"o{k}:{i}", 100) for i in issues})
    svc.make_offer(who, packages)
    return RedirectResponse(f"/p/{token}#offers", status_code=303)


@router.post("/p/{token}/offers/{oid}/accept/{index}")
async def offer_accept(request: Request, token: str, oid: int, index: int) -> Response:
    who = _who(request, token, "party")
    await checked_form(request)
    deps.service(request).accept_offer(who, oid, index)
    return RedirectResponse(f"/p/{token}#agreement", status_code=303)


@router.post("/p/{token}/improvements/{iid}/{decision}")
async def improvement_decision(request: Request, token: str, iid: int, decision: str) -> Response:
    who = _who(request, token, "party")
    await checked_form(request)
    if decision not in ("accept", "decline"):
        raise PageError(404, "no such action")
    deps.service(request).decide_improvement(who, iid, decision)
    return RedirectResponse(f"/p/{token}#agreement", status_code=303)
