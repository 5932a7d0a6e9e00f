"""Helpers of the classroom tests: the job-offer exercise and a hand-computed set of group results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOB = EXAMPLES / "job-offer.yaml"


def case_json(path: Path = JOB) -> dict[str, Any]:
    """A case file's JSON form (what ``POST /api/exercises`` takes as ``case``)."""
    data: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return data


#: Group 1: candidate 2,000+1,200+0+2,400+600+400 = 6,600; employer 2,000+0+2,400+0+500+400 = 5,300;
#: joint 11,900, the largest possible: level 3 (Pareto-optimal).
G1 = {"salary": "84k", "signing_bonus": "10k", "start_date": "1 March", "remote_days": "3",
      "training_budget": "3k", "vacation_days": "27"}
#: Group 2: candidate 1,000+600+200+1,800+300+400 = 4,300; employer 3,000+250+1,600+400+400+400 = 6,050;
#: joint 10,350; both above their BATNAs (4,200 and 3,600) but not Pareto-optimal and not dominating the
#: compromise package: level 1. Training 1.5k where 3k is best for both: lose-lose.
G2 = {"salary": "81k", "signing_bonus": "5k", "start_date": "1 April", "remote_days": "2",
      "training_budget": "1.5k", "vacation_days": "27"}
#: Group 3 reports an impasse.

#: Surplus shares: G1 candidate 2,400 / (2,400 + 1,700), G2 candidate 100 / (100 + 2,450); their means.
_C1, _C2 = 2400 / 4100, 100 / 2550
EXPECTED = {
    "groups": 3, "submitted": 3, "agreements": 2, "impasses": 1,
    "levels": {"0": 0, "1": 1, "2": 0, "3": 1},
    "mean_joint_value": (11900 + 10350) / 2, "max_joint_value": 11900.0,
    "lose_lose": {"training_budget": 0.5},
    "roles": {"candidate": {"mean_points": (6600 + 4300) / 2, "mean_surplus_share": (_C1 + _C2) / 2},
              "employer": {"mean_points": (5300 + 6050) / 2, "mean_surplus_share": 1 - (_C1 + _C2) / 2}},
    # G1 gives the candidate 10k and 3 remote days and the employer 1 March; G2 does neither.
    "logrolls": {("signing_bonus", "start_date"): 0.5, ("start_date", "remote_days"): 0.5,
                 ("start_date", "vacation_days"): 0.0, ("signing_bonus", "vacation_days"): 0.0},
}
#: How the pages print those figures (accord.report.debrief_html.summary_rows).
EXPECTED_TEXT = {"mean joint value (points)": "11,125", "largest joint value (points)": "11,900",
                 "mean / largest": "93.5%", "lose-lose on training_budget": "50.0%",
                 "level 3: Pareto-optimal": "1 (50.0%)", "level 1: mutual settlement": "1 (50.0%)",
                 "candidate: mean points": "5,450", "employer: mean points": "5,675",
                 "candidate: mean surplus share": "31.2%", "employer: mean surplus share": "68.8%",
                 "traded signing_bonus × start_date the right way": "50.0%"}


def check_debrief(d: dict[str, Any]) -> None:
    """Assert that a debrief (``Debrief.to_dict()``) holds the hand-computed figures."""
    import pytest

    for key in ("groups", "submitted", "agreements", "impasses", "levels", "max_joint_value"):
        assert d[key] == EXPECTED[key], key
    assert d["mean_joint_value"] == pytest.approx(EXPECTED["mean_joint_value"])
    assert d["lose_lose"] == pytest.approx(EXPECTED["lose_lose"])
    for role, figures in EXPECTED["roles"].items():
        assert d["roles"][role] == pytest.approx(figures), role
    assert {tuple(lr["issues"]): lr["share"] for lr in d["logrolls"]} == pytest.approx(EXPECTED["logrolls"])


class Exercise:
    """An exercise created over the API, with each seat's token."""

    def __init__(self, client: Any, groups: int = 3, **extra: Any) -> None:
        self.c = client
        r = client.post("/api/exercises", json={"case": case_json(), "groups": groups, **extra})
        assert r.status_code == 201, r.text
        made = r.json()
        self.id: str = made["id"]
        self.instructor: str = made["instructor_token"]
        self.students: dict[tuple[int, str], str] = {(s["group"], s["role"]): s["token"] for s in made["students"]}

    @staticmethod
    def h(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def url(self, tail: str = "") -> str:
        return f"/api/exercises/{self.id}{tail}"

    def report(self, group: int, role: str, agreement: dict[str, str] | None) -> Any:
        return self.c.post(self.url("/result"), headers=self.h(self.students[(group, role)]),
                           json={"agreement": agreement})

    def play_hand_computed_set(self) -> None:
        for role in ("candidate", "employer"):
            assert self.report(1, role, G1).status_code == 200
            assert self.report(2, role, G2).status_code == 200
            assert self.report(3, role, None).status_code == 200
