"""Classroom privacy over every route: a student never receives another role's point table or BATNA,
never another group's result before the reveal, and never a name — before or after it. Every classroom
route of the OpenAPI spec and every classroom page is called with every student's token, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import re
from typing import Any

from classroomflow import G1, G2, Exercise

NAMES = ["Zelda Quist", "Yorick Pell", "Xanthe Moor", "Wendel Ash", "Vera Lomax", "Ulrik Dahl"]
#: Numbers of one role's point table and BATNA that the other role's table does not contain.
OWN_ONLY = {"candidate": ["1200", "1800", "4200"], "employer": ["1600", "650", "250", "3600"]}
OTHER = {"candidate": "employer", "employer": "candidate"}
#: Each group's result in the forms a response could carry it (JSON with or without spaces, page text).
RESULTS = {1: G1, 2: G2}
#: A package no group agreed on, for the calculator routes.
PROBE = {**G1, "salary": "87k"}


def _number(text: str, n: str) -> bool:
    """Whether ``n`` occurs as a number (``1600``, ``1,600``, ``1600.0``), not inside a token or a longer number."""
    pattern = n[:-3] + ",?" + n[-3:] if len(n) > 3 else n
    return re.search(rf"(?<![\w.,-]){pattern}(\.0+)?(?![\w,]|\.\d*[1-9])", text) is not None


def _carries(text: str, pkg: dict[str, str]) -> bool:
    compact = text.replace(" ", "")
    return (f'"salary":"{pkg["salary"]}"' in compact or f"salary={pkg['salary']}" in text
            or f"salary={pkg['salary']}" in compact)


def _operations(client: Any) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return [(m.upper(), p) for p, item in spec["paths"].items() for m in item
            if p.startswith("/api/exercises") and m in ("get", "put", "post")]


def _body(path: str) -> dict[str, Any] | None:
    if path.endswith("/result"):
        return {"agreement": None}
    if path.endswith("/value"):
        return {"package": PROBE}
    if path.endswith("/reveal"):
        return {"revealed": True}
    if path.endswith("/instructions"):
        return {"instructions": {"candidate": "x"}}
    if path == "/api/exercises":
        return {"case": {}, "groups": 1}
    return None


def _calls(ex: Exercise, token: str) -> list[tuple[str, str, Any]]:
    """(what, text, status) of every classroom route and page called with ``token``."""
    c = ex.c
    out = []
    for method, path in _operations(c):
        if method != "GET" and not path.endswith(("/value", "/reveal", "/instructions")) and path != "/api/exercises":
            continue  # reporting a result changes the state under test; it is called below
        url = path.replace("{eid}", ex.id)
        r = c.request(method, url, headers=ex.h(token), json=_body(path))
        assert r.status_code < 500, f"{method} {path}: {r.status_code}"
        out.append((f"{method} {path}", r.text, r.status_code))
    pages = [f"/c/s/{token}", f"/c/s/{token}?calc=1&" + "&".join(f"v:{k}={v}" for k, v in PROBE.items()),
             f"/c/i/{token}", f"/c/i/{token}/live", f"/c/i/{token}/links.csv", f"/c/i/{token}/results.csv",
             f"/c/i/{token}/debrief.html", "/classroom"]
    for page in pages:
        r = c.get(page)
        assert r.status_code < 500, page
        out.append((f"GET {page.replace(token, 'TOKEN')}", r.text, r.status_code))
    for page in (f"/c/i/{token}/reveal", f"/c/i/{token}/instructions", f"/c/s/{token}/result"):
        r = c.post(page, data={"revealed": "1"})  # no CSRF token: refused, and must not leak either
        assert r.status_code == 403, page
        out.append((f"POST {page.replace(token, 'TOKEN')}", r.text, r.status_code))
    return out


def _check(ex: Exercise, group: int, role: str, *, revealed: bool) -> set[str]:
    token = ex.students[(group, role)]
    seen = set()
    for what, text, status in _calls(ex, token):
        for name in NAMES:
            assert name not in text, f"group {group} {role} received the name {name!r} from {what}"
        for g in range(1, 4):
            if g != group:
                assert f"group {g}" not in text.lower(), f"{what} named group {g} to a student of group {group}"
        if not revealed:
            for n in OWN_ONLY[OTHER[role]]:
                assert not _number(text, n), f"{role} received the {OTHER[role]}'s number {n} from {what}"
            for g, pkg in RESULTS.items():
                if g != group:
                    assert not _carries(text, pkg), f"{what} showed group {g}'s result to group {group}"
        if status == 200:
            seen.add(what)
    return seen


def test_no_classroom_route_leaks_to_a_student(client: Any) -> None:
    ex = Exercise(client, names=NAMES)
    for (g, role), pkg in [((1, "candidate"), G1), ((1, "employer"), G1), ((2, "candidate"), G2),
                           ((2, "employer"), G2), ((3, "candidate"), None)]:
        assert ex.report(g, role, pkg).status_code == 200
    seen: set[str] = set()
    for group in (1, 2, 3):
        for role in ("candidate", "employer"):
            seen |= _check(ex, group, role, revealed=False)
    # Routes a student may use answer 200; the instructor's refuse it.
    assert {"GET /api/exercises/{eid}", "POST /api/exercises/{eid}/value", "GET /c/s/TOKEN"} <= seen
    # The detectors detect: the instructor's debrief carries both results, a sheet its own numbers.
    debrief = client.get(ex.url("/debrief"), headers=ex.h(ex.instructor)).text
    assert _carries(debrief, G1) and _carries(debrief, G2)
    assert _carries(client.get(f"/c/s/{ex.students[(1, 'employer')]}").text, G1)
    sheet = client.get(ex.url(), headers=ex.h(ex.students[(1, "employer")])).text
    assert all(_number(sheet, n) for n in OWN_ONLY["employer"])
    assert all(_number(client.get(f"/c/s/{ex.students[(1, 'candidate')]}").text, n) for n in OWN_ONLY["candidate"])
    for route in ("/debrief", "/results.csv", "/links.csv", "/debrief.html", "/class-debrief"):
        r = client.get(ex.url(route), headers=ex.h(ex.students[(1, "candidate")]))
        assert r.status_code == 403, route
    # After the reveal: the anonymised debrief, still no names and no group ids.
    client.put(ex.url("/reveal"), headers=ex.h(ex.instructor), json={"revealed": True})
    for group in (1, 2, 3):
        for role in ("candidate", "employer"):
            _check(ex, group, role, revealed=True)
    d = client.get(ex.url("/class-debrief"), headers=ex.h(ex.students[(2, "employer")])).json()
    assert d["agreements"] == 2 and all("id" not in row for row in d["rows"])
    page = client.get(f"/c/s/{ex.students[(2, 'employer')]}").text
    assert "Debrief" in page and "11,125" in page


def test_the_instructor_sees_names_and_every_group(client: Any) -> None:
    ex = Exercise(client, names=NAMES)
    ex.report(1, "candidate", G1)
    text = client.get(f"/c/i/{ex.instructor}").text
    assert all(n in text for n in NAMES) and "not submitted" in text
    ov = client.get(ex.url(), headers=ex.h(ex.instructor)).json()
    assert len(ov["not_submitted"]) == 5
    assert "Zelda Quist" not in json.dumps(client.get(ex.url("/debrief"), headers=ex.h(ex.instructor)).json())
