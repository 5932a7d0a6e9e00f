"""A negotiation with two parties whose numbers are distinctive (the leak tests search for them), and a
small driver of the JSON API. Loaded by conftest.py as the module ``webflow``."""

from __future__ import annotations

from typing import Any

ISSUES = {"salary": ["90k", "95k", "100k"], "start": ["June", "August"], "training": ["no", "yes"]}
POINTS = {
    "Ana": {"salary": {"90k": 0.0, "95k": 13.579, "100k": 37.123}, "start": {"June": 0.0, "August": 24.681},
            "training": {"no": 0.0, "yes": 8.642}},
    "Ben": {"salary": {"90k": 91.457, "95k": 45.713, "100k": 0.0}, "start": {"June": 52.919, "August": 0.0},
            "training": {"no": 17.377, "yes": 0.0}},
}
BATNA = {"Ana": 11.317, "Ben": 19.753}


def _forms(x: float) -> list[str]:
    return [repr(x), f"{x:.2f}", f"{x:.1f}"]


def _own_numbers(party: str) -> set[str]:
    """Every way ``party``'s own legitimate numbers (raw points, package values, gains) may be printed."""
    import itertools

    tables = list(POINTS[party].values())
    values = {x for t in tables for x in t.values()} | {BATNA[party]}
    sums = [sum(combo) for combo in itertools.product(*(t.values() for t in tables))]
    values |= set(sums) | {a - b for a in sums for b in sums}
    return {f for x in values for f in _forms(round(x, 9))}


def distinctive(party: str, viewer: str | None = None) -> list[str]:
    """The numbers only ``party`` knows, as they would be printed (JSON, HTML), leaving out any that could be
    part of one of ``viewer``'s own numbers (so a legitimate value never looks like a leak)."""
    out = set(_forms(BATNA[party]))
    for table in POINTS[party].values():
        out |= {f for x in table.values() if x for f in _forms(x)}
    if viewer is not None:
        own = _own_numbers(viewer)
        out = {s for s in out if not any(s in o for o in own)}
    return sorted(out)


class Flow:
    """Drives a negotiation through the JSON API of a TestClient."""

    def __init__(self, client: Any) -> None:
        self.c = client
        r = client.post("/api/negotiations", json={"name": "Job offer", "issues": ISSUES, "parties": ["Ana", "Ben"]})
        assert r.status_code == 201, r.text
        d = r.json()
        self.nid: str = d["id"]
        self.tokens: dict[str, str] = {"mediator": d["mediator_token"], **d["invitations"]}

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def url(self, tail: str = "") -> str:
        return f"/api/negotiations/{self.nid}{tail}"

    def submit(self, who: str, **extra: Any) -> Any:
        r = self.c.put(self.url("/preferences"), headers=self.h(who),
                       json={"preferences": POINTS[who], "batna": BATNA[who], **extra})
        assert r.status_code == 200, r.text
        return r.json()

    def proposals(self, who: str) -> list[dict[str, Any]]:
        r = self.c.get(self.url("/proposals"), headers=self.h(who))
        assert r.status_code == 200, r.text
        return list(r.json()["proposals"])

    def agree_on_offer(self, package: dict[str, str]) -> None:
        """Ana offers ``package`` and Ben accepts it: the agreement."""
        r = self.c.post(self.url("/offers"), headers=self.h("Ana"), json={"packages": [package]})
        assert r.status_code == 201, r.text
        r = self.c.post(self.url(f"/offers/{r.json()['id']}/accept"), headers=self.h("Ben"), json={"index": 0})
        assert r.status_code == 200 and r.json()["agreement"] is not None, r.text


#: A package both parties can improve on (both gain from 90k, August, no; see test_api).
INEFFICIENT = {"salary": "95k", "start": "June", "training": "yes"}


