"""The agreement rule in the analysis report: terminal, Markdown and HTML name a non-unanimity rule and give the
zone size beside the zone frontier size, and the advice words "in the zone" by the rule (see docs/concepts.md,
"Agreement rules")."""

from __future__ import annotations

import io
from pathlib import Path

from accord.analysis.report import Analysis, analyze
from accord.corpora.llmdeliberation import load_game
from accord.model import AgreementRule, Case
from accord.report import view
from accord.report.analysis_html import analysis_html
from accord.report.analysis_md import analysis_md

MINI = Path(__file__).resolve().parents[1] / "data" / "llm-deliberation-mini"


def _terminal(a: Analysis) -> str:
    from rich.console import Console

    from accord.report.terminal import print_analysis

    buf = io.StringIO()
    print_analysis(a, Console(file=buf, width=200, force_terminal=False, color_system=None, highlight=False))
    return buf.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_quorum_rule_and_zone_size_in_every_face() -> None:
    # 4 parties, 12 packages; at least 3 of 4 accept, including Harbour Board and City Council
    case = load_game(MINI)
    a = analyze(case)
    b = a.bargaining
    assert (b.zone_size, b.zone_frontier_size, b.frontier_size) == (4, 3, 5)
    rule = "at least 3 of 4 parties accept, including Harbour Board and City Council"
    want = ("3 of the 5 frontier point(s) pass the agreement rule; zone size: 4 package(s) pass. Agreement rule: "
            + rule)
    assert want in view.zone_table(a).caption
    for text in (_terminal(a), analysis_md(a)):
        assert want in _flat(text)
    assert want in _flat(analysis_html(a, plotly_src="plotly.min.js"))


def test_unanimity_keeps_the_batna_wording_and_adds_the_size() -> None:
    case = load_game(MINI)
    plain = Case(case.name, case.issues, case.parties, case.preferences)  # unanimity
    a = analyze(plain)
    cap = view.zone_table(a).caption
    assert "Agreement rule" not in cap
    if not a.zopa_empty:
        assert f"give every party at least its BATNA; zone size: {a.bargaining.zone_size:,} package(s)" in cap


def _fork(rule: AgreementRule | None) -> Case:
    # x makes A rich and nobody else; y gives everyone a little. Max joint value is x, which only A accepts.
    base = Case.from_tables("fork", {"a": ["x", "y"]}, {"A": {"a": [30, 5]}, "B": {"a": [0, 5]}, "C": {"a": [0, 5]}},
                            batnas={"A": 1, "B": 1, "C": 1}, shared_scales=True)
    return base if rule is None else Case(base.name, base.issues, base.parties, base.preferences, agreement=rule,
                                          shared_scales=True)


def test_advice_words_the_zone_by_the_rule() -> None:
    quorum = analyze(_fork(AgreementRule(quorum=2)))
    line = next(t for t in quorum.advice if "the best packages give" in t)
    assert "no package with that value passes the agreement rule (at least 2 of 3 parties accept)" in line
    assert "gives every party its BATNA" not in line
    unanimous = analyze(_fork(None))
    line = next(t for t in unanimous.advice if "the best packages give" in t)
    assert "no package with that value gives every party its BATNA" in line


def test_empty_zone_under_a_quorum_names_the_rule() -> None:
    # y only pleases A; x pleases B alone: with a quorum of 2 nothing passes, though each party reaches its BATNA
    base = Case.from_tables("split", {"a": ["x", "y"]}, {"A": {"a": [0, 5]}, "B": {"a": [5, 0]}, "C": {"a": [0, 0]}},
                            batnas={"A": 1, "B": 1, "C": 1})
    a = analyze(Case(base.name, base.issues, base.parties, base.preferences, agreement=AgreementRule(quorum=2)))
    assert a.zopa_empty
    said = "no package passes the agreement rule (at least 2 of 3 parties accept"
    assert said in view.zone_table(a).caption
    assert said in _flat(analysis_md(a)).lower()
    assert said in _flat(analysis_html(a, plotly_src="plotly.min.js")).lower()
    assert any(said in t for t in a.advice)
