"""``accord improve``: strict improvements first; when only weak ones exist, the output says who gains nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app

LEASE = """\
name: Lease
shared_scales: true
parties:
  tenant: {batna: 0}
  landlord: {batna: 0}
issues:
  pets: ["no", cat]
  lease: [1y, 3y]
preferences:
  tenant:   {pets: {"no": 0, cat: 500}, lease: {1y: 0, 3y: 0}}
  landlord: {pets: {"no": 100, cat: 0}, lease: {1y: 0, 3y: 500}}
"""


def test_weak_improvement_is_said_plainly(tmp_path: Path) -> None:
    case = tmp_path / "lease.yaml"
    case.write_text(LEASE, encoding="utf-8")
    words = CliRunner().invoke(app, ["improve", str(case), "--agreement", "pets=cat,lease=1y"],
                               env={"COLUMNS": "200"})
    assert words.exit_code == 0, words.output
    assert "none is better for every party: the best one leaves tenant exactly where the agreement does" in \
        words.output
    assert "tenant gain(s) nothing from it" in words.output and "not tenant" in words.output
    mine = CliRunner().invoke(app, ["improve", str(case), "--agreement", "pets=cat,lease=1y", "--for", "tenant"],
                              env={"COLUMNS": "200"})
    assert "you gain nothing from it" in mine.output
    data = json.loads(CliRunner().invoke(app, ["improve", str(case), "--agreement", "pets=cat,lease=1y",
                                               "--json"]).output)
    assert data["strict_improvement_count"] == 0 and data["proposal"]["no_gain"] == ["tenant"]
    assert data["proposal"]["every_party_gains"] is False


def test_strict_improvement_says_every_party_gains(tmp_path: Path) -> None:
    case = tmp_path / "lease.yaml"
    case.write_text(LEASE, encoding="utf-8")
    words = CliRunner().invoke(app, ["improve", str(case), "--agreement", "pets=no,lease=1y"],
                               env={"COLUMNS": "200"})
    assert words.exit_code == 0, words.output
    assert "every party gains: tenant +500, landlord +400" in words.output
    assert "every party" in words.output.split("who gains")[1]
