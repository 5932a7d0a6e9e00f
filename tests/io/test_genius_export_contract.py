"""What ``export_genius`` tells the user, checked in-process (the CLI tests of ``accord export`` run in a
subprocess, out of the mutation run's reach): the one-line warning when the case's agreement rule cannot be
written, none for unanimity, and the domain's note naming exactly the real issues and their grids."""

from __future__ import annotations

import warnings
from pathlib import Path

from accord.io._xml import FormatWarning
from accord.io.genius import export_genius
from accord.model import AgreementRule, Case, Issue, Party, Preferences


def _case(rule: AgreementRule | None = None) -> Case:
    issues = (Issue.categorical("colour", ["red", "blue"]), Issue.real_interval("price", 0.0, 1.0, grid=5))
    prefs = tuple(Preferences(((0.0, 1.0), tuple(float(x) for x in row))) for row in
                  ((0.0, 0.25, 0.5, 0.75, 1.0), (1.0, 0.75, 0.5, 0.25, 0.0), (0.5, 0.5, 0.5, 0.5, 0.5)))
    parties = (Party("A"), Party("B"), Party("C"))
    if rule is None:
        return Case("deal", issues, parties, prefs)
    return Case("deal", issues, parties, prefs, agreement=rule)


def _export(case: Case, out: Path) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        export_genius(case, out)
    return [w for w in seen if issubclass(w.category, FormatWarning)]


def test_unanimity_exports_without_a_warning(tmp_path: Path) -> None:
    assert _export(_case(), tmp_path) == []


def test_a_quorum_rule_is_said_to_be_lost(tmp_path: Path) -> None:
    """docs/concepts.md, "Agreement rules": GENIUS has none, so readers of the files assume unanimity."""
    seen = _export(_case(AgreementRule(quorum=2)), tmp_path)
    assert len(seen) == 1
    text = str(seen[0].message)
    assert text.startswith("GENIUS files cannot hold an agreement rule")
    assert "at least 2 of 3" in text and "assume unanimity" in text and "\n" not in text


def test_the_domain_note_names_the_real_issues_only(tmp_path: Path) -> None:
    """The domain file's first comment says which issues are real and on how many points they were analysed."""
    domain = export_genius(_case(), tmp_path)[0]
    comment = domain.read_text(encoding="utf-8").splitlines()[1]
    assert comment == "<!-- Accord export of case 'deal'; real issues were analysed on price: 5 points -->"
