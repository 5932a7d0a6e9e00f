"""The HTML pages without a browser: set-up, the preference form and its holistic check, links and errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from webflow import ISSUES

WEIGHTS = {"salary": 50, "start": 30, "training": 20}
RATINGS = {"salary": {"90k": 0, "95k": 60, "100k": 100}, "start": {"June": 0, "August": 100},
           "training": {"no": 100, "yes": 0}}


@pytest.fixture
def links(client: Any) -> dict[str, str]:
    client.get("/")
    r = client.post("/new", data={"name": "Job offer", "csrf_token": client.cookies.get("accord_csrf"),
                                  "issues": "\n".join(f"{i}: {', '.join(o)}" for i, o in ISSUES.items()),
                                  "parties": "Ana\nBen"})
    assert r.status_code == 201
    out = {"mediator": re.search(r'id="mediator-link" href="[^"]*(/m/[^"]+)"', r.text).group(1)}  # type: ignore[union-attr]
    for who in ("Ana", "Ben"):
        out[who] = re.search(rf'data-party="{who}" href="[^"]*(/p/[^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    return out


def _form(client: Any, weights: dict[str, float], ratings: dict[str, dict[str, float]],
          **extra: str) -> dict[str, str]:
    data = {"csrf_token": client.cookies.get("accord_csrf"), "batna_kind": "points", "batna": "10", **extra}
    data.update({f"w:{i}": str(w) for i, w in weights.items()})
    data.update({f"r:{i}:{o}": str(x) for i, t in ratings.items() for o, x in t.items()})
    return data


def test_preference_form_stores_points_and_shows_the_holistic_check(client: Any, links: dict[str, str]) -> None:
    r = client.post(links["Ana"] + "/preferences", data=_form(client, WEIGHTS, RATINGS), follow_redirects=False)
    assert r.status_code == 303
    page = client.get(links["Ana"] + "/preferences").text
    assert 'id="check"' in page
    # Best package: 50 + 30 + 20 = 100; best on salary (the top half) and worst elsewhere: 50; the reverse: 50.
    values = re.findall(r"<td><strong>([\d.]+)</strong></td>", page)
    assert values == ["100.0", "50.0", "50.0"]
    # The stored points are weight × rating / 100, and the API returns them to Ana only.
    token = links["Ana"].rsplit("/", 1)[1]
    nid = client.app.state.service.principal(token).negotiation_id
    mine = client.get(f"/api/negotiations/{nid}/preferences", headers={"Authorization": f"Bearer {token}"}).json()
    assert mine["preferences"]["salary"] == {"90k": 0.0, "95k": 30.0, "100k": 50.0}
    assert mine["form"] == {"weights": WEIGHTS, "ratings": RATINGS} and mine["batna"] == 10.0


@pytest.mark.parametrize(("change", "message"), [
    ({"w:salary": "60"}, "divide exactly 100 points"),
    ({"r:start:June": "120"}, "rate every option from 0"),
    ({"w:start": "lots"}, "is not a number"),
])
def test_preference_form_errors_are_pages_naming_the_problem(client: Any, links: dict[str, str],
                                                              change: dict[str, str], message: str) -> None:
    data = {**_form(client, WEIGHTS, RATINGS), **change}
    r = client.post(links["Ana"] + "/preferences", data=data)
    assert r.status_code == 422 and message in r.text and "<html" in r.text


def test_links_are_role_bound_and_unknown_links_fail_cleanly(client: Any, links: dict[str, str]) -> None:
    ana_token = links["Ana"].rsplit("/", 1)[1]
    assert client.get(f"/m/{ana_token}").status_code == 403
    assert client.get(links["mediator"].replace("/m/", "/p/")).status_code == 403
    r = client.get("/p/" + "x" * 43)
    assert r.status_code == 401 and "not valid" in r.text
    audit = client.get(links["mediator"] + "/audit.json")
    assert audit.status_code == 200 and "attachment" in audit.headers["content-disposition"]
    assert [e["action"] for e in audit.json()["entries"]] == ["created"]


def test_value_box_and_offer_form(client: Any, links: dict[str, str]) -> None:
    client.post(links["Ana"] + "/preferences", data=_form(client, WEIGHTS, RATINGS))
    csrf = client.cookies.get("accord_csrf")
    r = client.post(links["Ana"] + "/value", data={"v:salary": "100k", "v:start": "June", "v:training": "no"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and "70.00" in r.text
    r = client.post(links["Ana"] + "/offers", follow_redirects=False,
                    data={"csrf_token": csrf, "o0:salary": "100k", "o0:start": "June", "o0:training": "no",
                          "use:1": "yes", "o1:salary": "95k", "o1:start": "August", "o1:training": "no"})
    assert r.status_code == 303
    page = client.get(links["Ana"]).text
    assert page.count("offers/") == 0  # one's own offer has no accept button
    assert 'id="chart-data"' in page and "offers you made" not in page  # the label is drawn by accord.js
