"""The JSON API's contract: routes, status codes, validation messages, and the whole mediated flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from webflow import BATNA, INEFFICIENT, ISSUES, POINTS, Flow

from accord.model import Case
from accord.tactics.settlement import improve


def test_create_returns_unguessable_tokens_stored_only_as_hashes(flow: Flow) -> None:
    from sqlalchemy import select

    from accord.store.models import Token
    from accord.web.security import token_hash

    assert set(flow.tokens) == {"mediator", "Ana", "Ben"}
    assert all(len(t) >= 43 for t in flow.tokens.values())  # 32 random bytes, URL-safe
    db = flow.c.app.state.db
    with db.read() as s:
        stored = {row.hash for row in s.scalars(select(Token).where(Token.negotiation_id == flow.nid))}
    assert stored == {token_hash(t) for t in flow.tokens.values()}
    assert not stored & set(flow.tokens.values())


def test_status_codes_for_missing_foreign_and_wrong_role_tokens(flow: Flow) -> None:
    c = flow.c
    assert c.get(flow.url()).status_code == 401
    assert c.get(flow.url(), headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.get(flow.url(), headers={"Authorization": "Basic abc"}).status_code == 401
    other = Flow(c)
    assert c.get(flow.url(), headers=other.h("Ana")).status_code == 403
    assert c.get(flow.url(), headers=other.h("mediator")).status_code == 403
    # A party token on a mediator route, the mediator token on a party route.
    assert c.get(flow.url("/audit"), headers=flow.h("Ana")).status_code == 403
    r = c.put(flow.url("/preferences"), headers=flow.h("mediator"),
              json={"preferences": POINTS["Ana"], "batna": 1.0})
    assert r.status_code == 403
    assert c.get(flow.url("/audit"), headers=flow.h("mediator")).status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"preferences": {"salary": {"90k": "high"}}}, "preferences.salary.90k"),
    ({"preferences": POINTS["Ana"], "batna": "ten"}, "batna"),
    ({"preferences": POINTS["Ana"], "colour": "red"}, "colour"),
    ({"preferences": {**POINTS["Ana"], "bonus": {"a": 1.0}}}, "preferences"),
    ({"preferences": {k: v for k, v in POINTS["Ana"].items() if k != "start"}}, "preferences.start"),
    ({"preferences": {**POINTS["Ana"], "start": {"June": 1.0}}}, "preferences.start.August"),
    ({"preferences": POINTS["Ana"], "batna": 1e300}, "batna"),
    ({"preferences": POINTS["Ana"], "batna_package": {"salary": "90k"}}, "batna_package.start"),
])
def test_malformed_input_is_422_naming_the_field(flow: Flow, body: dict[str, Any], field: str) -> None:
    r = flow.c.put(flow.url("/preferences"), headers=flow.h("Ana"), json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["detail"], r.json()


def test_create_validation_and_bounds(client: Any) -> None:
    r = client.post("/api/negotiations", json={"name": "x", "issues": {"a": ["only"]}, "parties": ["A", "B"]})
    assert r.status_code == 422 and "issues.a" in r.json()["detail"]
    r = client.post("/api/negotiations", json={"name": "x", "issues": {"a": ["p", "q"]}, "parties": ["A", "A"]})
    assert r.status_code == 422 and "parties" in r.json()["detail"]
    many = {f"i{k}": ["p", "q"] for k in range(9)}
    r = client.post("/api/negotiations", json={"name": "x", "issues": many, "parties": ["A", "B"]})
    assert r.status_code == 422 and "issues" in r.json()["detail"]


def test_case_file_upload_takes_issues_and_parties(client: Any) -> None:
    text = (Path(__file__).parents[2] / "examples" / "job-offer.yaml").read_text(encoding="utf-8")
    r = client.post("/api/negotiations/from-case-file", json={"case_file": text})
    assert r.status_code == 201, r.text
    assert set(r.json()["invitations"]) == {"candidate", "employer"}
    view = client.get(f"/api/negotiations/{r.json()['id']}",
                      headers={"Authorization": f"Bearer {r.json()['mediator_token']}"}).json()
    assert len(view["issues"]) == 6 and view["shared_preferences"] == {}  # the file's points are not used
    r = client.post("/api/negotiations/from-case-file", json={"case_file": "issues: [1"})
    assert r.status_code == 422 and r.json()["field"] == "case_file"


def test_get_preferences_returns_only_the_callers_own(flow: Flow) -> None:
    assert flow.c.get(flow.url("/preferences"), headers=flow.h("Ana")).status_code == 404
    flow.submit("Ana")
    mine = flow.c.get(flow.url("/preferences"), headers=flow.h("Ana")).json()
    assert mine["preferences"] == POINTS["Ana"] and mine["batna"] == BATNA["Ana"]
    assert flow.c.get(flow.url("/preferences"), headers=flow.h("Ben")).status_code == 404


def test_proposals_are_pareto_efficient_near_nash_and_valued_in_own_points(flow: Flow) -> None:
    flow.submit("Ana")
    assert flow.proposals("Ana") == []
    flow.submit("Ben")
    case = Case.from_tables("t", ISSUES, {p: {i: list(t.values()) for i, t in POINTS[p].items()} for p in POINTS},
                            batnas=BATNA)
    from accord.analysis.bargaining import nash_point
    from accord.analysis.optimize import is_pareto_optimal

    ana, ben = flow.proposals("Ana"), flow.proposals("Ben")
    assert 1 <= len(ana) <= 3 and [p["package"] for p in ana] == [p["package"] for p in ben]
    nash = nash_point(case)
    assert nash is not None and ana[0]["package"] == nash.package
    for p, q in zip(ana, ben, strict=True):
        u = case.utility(p["package"])
        assert p["your_points"] == pytest.approx(u[0]) and q["your_points"] == pytest.approx(u[1])
        assert is_pareto_optimal(case, p["package"])
        assert u[0] >= BATNA["Ana"] and u[1] >= BATNA["Ben"]


def test_single_text_mediation_until_every_party_accepts(flow: Flow) -> None:
    """A veto makes the mediator propose another package; the agreement is the one every party accepts."""
    flow.submit("Ana")
    flow.submit("Ben")
    c = flow.c
    first = flow.proposals("Ana")[0]
    assert c.get(flow.url("/agreement"), headers=flow.h("Ana")).json() == {"agreement": None}
    assert c.get(flow.url("/improvements"), headers=flow.h("Ana")).status_code == 409
    assert c.post(flow.url(f"/proposals/{first['id']}/accept"), headers=flow.h("Ana")).json()["agreement"] is None
    assert c.post(flow.url(f"/proposals/{first['id']}/reject"), headers=flow.h("Ana")).status_code == 409  # once
    # Ben vetoes: the first proposal closes and the mediator puts another package on the table.
    assert c.post(flow.url(f"/proposals/{first['id']}/reject"), headers=flow.h("Ben")).json()["agreement"] is None
    open_now = [p for p in flow.proposals("Ben") if p["open"]]
    assert len(open_now) == 1 and open_now[0]["package"] != first["package"]
    second = open_now[0]
    assert c.post(flow.url(f"/proposals/{first['id']}/accept"), headers=flow.h("Ben")).status_code == 409
    ben_first = next(p for p in flow.proposals("Ben") if p["id"] == first["id"])
    assert ben_first["your_points"] < second["your_points"]  # Ben's veto asked for more, and got it
    assert c.post(flow.url(f"/proposals/{second['id']}/accept"), headers=flow.h("Ana")).json()["agreement"] is None
    r = c.post(flow.url(f"/proposals/{second['id']}/accept"), headers=flow.h("Ben")).json()
    assert r["agreement"]["package"] == second["package"]
    ag = c.get(flow.url("/agreement"), headers=flow.h("Ben")).json()
    assert ag["agreement"]["package"] == second["package"] and ag["agreement"]["version"] == 1
    # A Pareto-efficient agreement has no improvement, and preferences are frozen.
    imps = c.get(flow.url("/improvements"), headers=flow.h("Ana")).json()
    assert imps["improvements"] == [] and "Pareto-optimal" in imps["note"]
    assert c.put(flow.url("/preferences"), headers=flow.h("Ana"),
                 json={"preferences": POINTS["Ana"], "batna": 1.0}).status_code == 409


def test_post_settlement_improvement_replaces_the_agreement_only_if_all_accept(flow: Flow) -> None:
    flow.submit("Ana")
    flow.submit("Ben")
    flow.agree_on_offer(INEFFICIENT)
    case = Case.from_tables("t", ISSUES, {p: {i: list(t.values()) for i, t in POINTS[p].items()} for p in POINTS},
                            batnas=BATNA)
    expected = improve(case, INEFFICIENT)
    c = flow.c
    ana = c.get(flow.url("/improvements"), headers=flow.h("Ana")).json()["improvements"]
    assert [i["package"] for i in ana] == [dict(x.package) for x in expected.improvements]
    top = ana[0]
    assert top["your_gain"] == pytest.approx(expected.improvements[0].gains["Ana"])
    assert top["your_gain"] >= 0
    # Ana accepts, Ben declines: the agreement stands and the improvement closes.
    assert c.post(flow.url(f"/improvements/{top['id']}/accept"), headers=flow.h("Ana")).json()["agreement"] is None
    assert c.post(flow.url(f"/improvements/{top['id']}/decline"), headers=flow.h("Ben")).json()["agreement"] is None
    assert c.get(flow.url("/agreement"), headers=flow.h("Ana")).json()["agreement"]["version"] == 1
    assert c.post(flow.url(f"/improvements/{top['id']}/accept"), headers=flow.h("Ben")).status_code == 409


def test_accepted_improvement_becomes_the_new_agreement(flow: Flow) -> None:
    flow.submit("Ana")
    flow.submit("Ben")
    flow.agree_on_offer(INEFFICIENT)
    c = flow.c
    top = c.get(flow.url("/improvements"), headers=flow.h("Ana")).json()["improvements"][0]
    c.post(flow.url(f"/improvements/{top['id']}/accept"), headers=flow.h("Ana"))
    r = c.post(flow.url(f"/improvements/{top['id']}/accept"), headers=flow.h("Ben")).json()
    assert r["agreement"] == {"version": 2, "package": top["package"]}
    ag = c.get(flow.url("/agreement"), headers=flow.h("Ana")).json()["agreement"]
    assert ag["version"] == 2 and ag["package"] == top["package"] and ag["source"] == "improvement"
    audit = c.get(flow.url("/audit"), headers=flow.h("mediator")).json()["entries"]
    actions = [e["action"] for e in audit]
    assert "agreement reached" in actions and "agreement improved" in actions
    assert all("37.123" not in str(e) and "91.457" not in str(e) for e in audit)


def test_offers_and_meso(flow: Flow) -> None:
    flow.submit("Ana")
    c = flow.c
    meso = [INEFFICIENT, {"salary": "100k", "start": "June", "training": "no"}]
    r = c.post(flow.url("/offers"), headers=flow.h("Ana"), json={"packages": meso})
    assert r.status_code == 201
    r = c.post(flow.url("/offers"), headers=flow.h("Ana"), json={"packages": [INEFFICIENT] * 4})
    assert r.status_code == 422
    r = c.post(flow.url("/offers"), headers=flow.h("Ana"), json={"packages": [{"salary": "90k"}]})
    assert r.status_code == 422 and "packages.0.start" in r.json()["detail"]
    ben = c.get(flow.url("/offers"), headers=flow.h("Ben")).json()["offers"]
    assert ben[0]["from"] == "Ana" and ben[0]["your_points"] is None and not ben[0]["yours"]
    flow.submit("Ben")
    ben = c.get(flow.url("/offers"), headers=flow.h("Ben")).json()["offers"]
    assert ben[0]["your_points"] == pytest.approx([98.632, 70.296])
    assert c.post(flow.url(f"/offers/{ben[0]['id']}/accept"), headers=flow.h("Ana"),
                  json={"index": 0}).status_code == 409  # one's own offer


def test_rate_limit_on_failed_tokens(db_url: str) -> None:
    from fastapi.testclient import TestClient

    from accord.web.app import create_app

    app = create_app(db_url, max_failures=3, failure_window=60)
    with TestClient(app) as c:
        created = c.post("/api/negotiations", json={"name": "x", "issues": {"a": ["p", "q"]}, "parties": ["A", "B"]})
        nid = created.json()["id"]
        good = {"Authorization": f"Bearer {created.json()['mediator_token']}"}
        for _ in range(3):
            assert c.get(f"/api/negotiations/{nid}", headers={"Authorization": "Bearer guess"}).status_code == 401
        r = c.get(f"/api/negotiations/{nid}", headers={"Authorization": "Bearer guess"})
        assert r.status_code == 429 and "Retry-After" in r.headers
        assert c.get(f"/api/negotiations/{nid}", headers=good).status_code == 429  # even a good token waits
        assert c.get("/p/not-a-token").status_code == 429
    app.state.db.dispose()


def test_request_size_limit(client: Any) -> None:
    big = {"name": "x" * 300_000, "issues": {"a": ["p", "q"]}, "parties": ["A", "B"]}
    r = client.post("/api/negotiations", json=big)
    assert r.status_code == 413


def test_healthz_and_security_headers(client: Any) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/docs").status_code == 404  # FastAPI's /docs would load Swagger UI from a CDN
    assert client.get("/static/vendor/plotly.min.js").status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"


def test_forms_require_the_csrf_token(client: Any) -> None:
    client.get("/")  # sets the CSRF cookie
    r = client.post("/new", data={"name": "x", "issues": "a: p, q", "parties": "A\nB"})
    assert r.status_code == 403 and "security token" in r.text
    csrf = client.cookies.get("accord_csrf")
    r = client.post("/new", data={"name": "x", "issues": "a: p, q", "parties": "A\nB", "csrf_token": "forged" * 4})
    assert r.status_code == 403
    r = client.post("/new", data={"name": "x", "issues": "a: p, q", "parties": "A\nB", "csrf_token": csrf})
    assert r.status_code == 201 and "/m/" in r.text
