"""Classroom mode over the JSON API: creating an exercise, reporting results, mismatches, the debrief of a
hand-computed result set, exports, the reveal, token rules and validation — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from classroomflow import EXAMPLES, G1, G2, Exercise, case_json, check_debrief


def test_create_returns_one_token_per_student(client: Any) -> None:
    ex = Exercise(client, groups=3)
    assert sorted(ex.students) == [(g, r) for g in (1, 2, 3) for r in ("candidate", "employer")]
    tokens = [ex.instructor, *ex.students.values()]
    assert len(set(tokens)) == 7 and all(len(t) >= 43 for t in tokens)


def test_the_hand_computed_debrief(client: Any) -> None:
    ex = Exercise(client)
    ex.play_hand_computed_set()
    r = client.get(ex.url("/debrief"), headers=ex.h(ex.instructor))
    assert r.status_code == 200, r.text
    d = r.json()
    check_debrief(d)
    assert set(d) >= {"groups", "submitted", "agreements", "levels", "mean_joint_value", "max_joint_value",
                      "lose_lose", "roles"}
    assert [row.get("id") for row in d["rows"]] == ["group 1", "group 2", "group 3"]
    assert [row["level"] for row in d["rows"]] == [3, 1, None]


def test_a_mismatch_is_shown_to_the_group_until_resolved(client: Any) -> None:
    ex = Exercise(client)
    assert ex.report(1, "candidate", G1).json()["state"] == "waiting"
    r = ex.report(1, "employer", G2)
    assert r.json()["state"] == "mismatch"
    own = client.get(ex.url(), headers=ex.h(ex.students[(1, "candidate")])).json()["group_status"]
    assert own["state"] == "mismatch" and [m["agreement"] for m in own["members"]] == [G1, G2]
    d = client.get(ex.url("/debrief"), headers=ex.h(ex.instructor)).json()
    assert d["submitted"] == 0 and d["agreements"] == 0 and d["mean_joint_value"] is None
    assert ex.report(1, "employer", G1).json()["state"] == "agreed"
    d = client.get(ex.url("/debrief"), headers=ex.h(ex.instructor)).json()
    assert d["submitted"] == 1 and d["levels"]["3"] == 1


def test_instructor_sees_who_has_not_submitted(client: Any) -> None:
    ex = Exercise(client, groups=2, names=["Ana", "Ben", "Cleo", "Dev"])
    ex.report(1, "candidate", G1)
    ex.report(2, "employer", None)
    ov = client.get(ex.url(), headers=ex.h(ex.instructor)).json()
    assert ov["not_submitted"] == [{"group": 1, "role": "employer", "name": "Ben"},
                                   {"group": 2, "role": "candidate", "name": "Cleo"}]
    assert [g["state"] for g in ov["status"]] == ["waiting", "waiting"]


def test_a_student_sees_only_its_own_role_sheet(client: Any) -> None:
    ex = Exercise(client, instructions={"candidate": "**Ask for remote days.**", "employer": "Start soon."})
    me = client.get(ex.url(), headers=ex.h(ex.students[(2, "employer")])).json()
    assert me["role"] == "employer" and me["group"] == 2 and me["batna"] == 3600
    assert me["points"]["start_date"] == {"1 March": 2400, "1 April": 1600, "1 May": 800, "1 June": 0}
    assert me["instructions"] == "Start soon."
    assert "candidate" not in json.dumps(me["points"]) and "4200" not in json.dumps(me)
    value = client.post(ex.url("/value"), headers=ex.h(ex.students[(2, "employer")]), json={"package": G1})
    assert value.json()["points"] == 5300


def test_exports_csv_and_html(client: Any) -> None:
    ex = Exercise(client)
    ex.play_hand_computed_set()
    h = ex.h(ex.instructor)
    rows = list(csv.reader(io.StringIO(client.get(ex.url("/results.csv"), headers=h).text)))
    assert rows[0][0] == "id" and rows[1][0] == "group 1" and rows[3] == ["group 3"] + ["impasse"] * 6
    links = list(csv.DictReader(io.StringIO(client.get(ex.url("/links.csv"), headers=h).text)))
    assert {row["link"].rsplit("/", 1)[1] for row in links} == set(ex.students.values())
    live = client.get(f"/c/i/{ex.instructor}/live")
    assert live.status_code == 200 and "Results: 3 of 3 group(s)" in live.text and "11,125" in live.text
    student_page = client.get(f"/c/s/{ex.students[(2, 'candidate')]}").text
    assert '<option selected>81k</option>' in student_page  # the form shows what the student reported
    page = client.get(ex.url("/debrief.html"), headers=h)
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    assert "11,125" in page.text and "Plotly" in page.text and "cdn.plot.ly" not in page.text


def test_reveal_switch(client: Any) -> None:
    ex = Exercise(client)
    ex.play_hand_computed_set()
    student = ex.h(ex.students[(1, "candidate")])
    assert client.get(ex.url("/class-debrief"), headers=student).status_code == 403
    assert client.put(ex.url("/reveal"), headers=student, json={"revealed": True}).status_code == 403
    assert client.put(ex.url("/reveal"), headers=ex.h(ex.instructor), json={"revealed": True}).json() == {
        "revealed": True}
    d = client.get(ex.url("/class-debrief"), headers=student).json()
    check_debrief(d)
    assert all("id" not in row for row in d["rows"])


def test_token_rules(client: Any) -> None:
    ex = Exercise(client)
    other = Exercise(client, groups=1)
    student = ex.h(ex.students[(1, "candidate")])
    assert client.get(ex.url("/debrief")).status_code == 401
    assert client.get(ex.url("/debrief"), headers=ex.h("nonsense-token")).status_code == 401
    assert client.get(ex.url("/debrief"), headers=student).status_code == 403
    assert client.get(ex.url("/debrief"), headers=ex.h(other.instructor)).status_code == 403
    assert client.get(ex.url(), headers=ex.h(other.students[(1, "employer")])).status_code == 403
    assert client.post(ex.url("/result"), headers=ex.h(ex.instructor), json={"agreement": None}).status_code == 403
    neg = client.post("/api/negotiations", json={"name": "n", "issues": {"a": ["x", "y"]},
                                                 "parties": ["P", "Q"]}).json()
    assert client.get(ex.url(), headers=ex.h(neg["mediator_token"])).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"groups": 3}, "case"),
    ({"case": "x", "groups": 3}, "case"),
    ({"case": {"name": "broken"}, "groups": 3}, "case"),
    ({"case": None, "groups": 0}, "case"),
    ({"groups": 0, "case": {}}, "groups"),
    ({"groups": 100000, "case": {}}, "groups"),
])
def test_malformed_create_names_the_field(client: Any, body: dict[str, Any], field: str) -> None:
    r = client.post("/api/exercises", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(field), r.text


def test_malformed_result_names_the_field(client: Any) -> None:
    ex = Exercise(client)
    h = ex.h(ex.students[(1, "candidate")])
    assert client.post(ex.url("/result"), headers=h, json={}).json()["detail"].startswith("agreement")
    r = client.post(ex.url("/result"), headers=h, json={"agreement": {**G1, "salary": "1M"}})
    assert r.status_code == 422 and r.json()["field"] == "agreement.salary"
    r = client.post(ex.url("/result"), headers=h, json={"agreement": {"salary": "84k"}})
    assert r.status_code == 422 and r.json()["field"].startswith("agreement.")
    r = client.put(ex.url("/instructions"), headers=ex.h(ex.instructor), json={"instructions": {"nobody": "x"}})
    assert r.status_code == 422 and r.json()["field"] == "instructions.nobody"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_bundled_example_makes_an_exercise(client: Any, example: str, db_url: str) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("the examples run once, on SQLite")
    r = client.post("/api/exercises", json={"case": case_json(Path(EXAMPLES / example)), "groups": 2})
    assert r.status_code == 201, r.text
    made = r.json()
    roles = {s["role"] for s in made["students"]}
    assert len(roles) >= 2 and len(made["students"]) == 2 * len(roles)
    h = {"Authorization": f"Bearer {made['instructor_token']}"}
    d = client.get(f"/api/exercises/{made['id']}/debrief", headers=h)
    assert d.status_code == 200 and d.json()["groups"] == 2 and set(d.json()["roles"]) == roles


def test_sizes_are_bounded_before_any_work(client: Any) -> None:
    issues = {f"i{k}": {"options": [f"o{o}" for o in range(10)]} for k in range(10)}
    prefs = {p: {f"i{k}": {f"o{o}": o if p == "A" else 9 - o for o in range(10)} for k in range(10)}
             for p in ("A", "B")}
    case = {"name": "huge", "parties": {"A": {"batna": 0}, "B": {"batna": 0}}, "issues": issues,
            "preferences": prefs}
    r = client.post("/api/exercises", json={"case": case, "groups": 2})
    assert r.status_code == 422 and "10,000,000,000 packages" in r.json()["detail"], r.text
    r = client.post("/api/exercises", json={"case": case_json(), "groups": 201})
    assert r.status_code == 422 and r.json()["detail"].startswith("groups"), r.text
