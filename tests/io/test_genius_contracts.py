"""GENIUS import and export contracts the round-trip properties do not look at: one-line errors that name the
place and the fix, where an imported case says it came from, the domain's dictionary, and the exact XML GENIUS
expects for a non-linear profile.

Written to kill mutants that survived scripts/mutation.sh (see docs/testing.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from accord.errors import FormatError
from accord.io.genius import export_genius, load_scenario, read_domain, read_profile
from accord.model import Case, Interaction, Issue, Party, Preferences

DOMAIN = """<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="Deal" type="objective">
{issues}
</objective></utility_space></negotiation_template>
"""
TWO = """  <issue index="1" name="colour" etype="discrete">
    <item index="1" value="red"/><item index="2" value="blue"/></issue>
  <issue index="2" name="speed" type="real"><range lowerbound="0" upperbound="1"/></issue>"""

PROFILE = """<utility_space>
<objective index="0" name="Deal" type="objective">
  <weight index="1" value="0.5"/><weight index="2" value="0.5"/>
  <issue index="1" name="colour" type="discrete">
    <item index="1" value="red" evaluation="1"/><item index="2" value="blue" evaluation="2"/></issue>
{speed}
</objective>
</utility_space>
"""
SPEED = """  <issue index="2" name="speed" type="real">
    <evaluator ftype="linear" parameter0="0" parameter1="1"/></issue>"""


def _files(tmp_path: Path, issues: str = TWO, speed: str = SPEED) -> tuple[Path, Path]:
    d = tmp_path / "domain.xml"
    d.write_text(DOMAIN.format(issues=issues), encoding="utf-8")
    p = tmp_path / "p.xml"
    p.write_text(PROFILE.format(speed=speed), encoding="utf-8")
    return d, p


def test_case_says_where_it_came_from_and_on_which_grid(tmp_path: Path) -> None:
    d, p = _files(tmp_path)
    case = load_scenario(d, [p, p], grid=5)
    assert case.source.startswith("genius:")
    assert str(d) in case.source and str(p) in case.source
    assert "Real issues (speed) are analysed on 5 points each." in case.description


def test_domain_dict_lists_each_issue_with_its_kind(tmp_path: Path) -> None:
    d, _ = _files(tmp_path)
    data = read_domain(d).to_dict()
    text = repr(data)
    assert "discrete" in text and "real" in text and "colour" in text and "speed" in text


def test_a_profile_without_an_evaluation_names_the_issue(tmp_path: Path) -> None:
    d, p = _files(tmp_path, speed="")
    with pytest.raises(FormatError) as err:
        read_profile(p, read_domain(d))
    assert "no evaluation for issue 'speed'" in str(err.value)


def test_a_domain_without_issues_names_the_line(tmp_path: Path) -> None:
    d, _ = _files(tmp_path, issues="")
    with pytest.raises(FormatError) as err:
        read_domain(d)
    assert "lists no <issue>" in str(err.value) and "line 2" in str(err.value)


def test_an_integer_range_too_long_to_list_is_refused_even_around_zero(tmp_path: Path) -> None:
    """The count of integers is hi − lo + 1: −600,000..600,000 is 1,200,001 values, over the limit."""
    issue = '  <issue index="1" name="n" vtype="integer" lowerbound="-600000" upperbound="600000"/>'
    d, _ = _files(tmp_path, issues=issue)
    with pytest.raises(FormatError, match=r"too many to list|more than Accord's limit"):
        read_domain(d)


def test_a_rectangle_bound_that_is_not_a_number_says_what_to_write(tmp_path: Path) -> None:
    d = tmp_path / "d.xml"
    d.write_text(DOMAIN.format(issues='  <issue index="1" name="x" vtype="integer" lowerbound="0" upperbound="4"/>\n'
                               '  <issue index="2" name="y" vtype="integer" lowerbound="0" upperbound="4"/>'),
                 encoding="utf-8")
    p = tmp_path / "p.xml"
    p.write_text("""<utility_space type="nonlinear">
<objective index="0" name="Deal" type="objective">
  <issue index="1" name="x" vtype="integer" lowerbound="0" upperbound="4"/>
  <issue index="2" name="y" vtype="integer" lowerbound="0" upperbound="4"/>
</objective>
<utility maxutility="10">
  <ufun type="PlainUfun" weight="1" aggregation="sum">
    <hyperRectangle utility_function="1" utility="5"><INCLUDES index="1" min="one" max="3"/></hyperRectangle>
  </ufun>
</utility>
</utility_space>
""", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        read_profile(p, read_domain(d))
    assert "the lowest value inside the rectangle" in str(err.value)


def test_exported_nonlinear_profiles_are_what_genius_reads(tmp_path: Path) -> None:
    issues = (Issue.categorical("a", ["x", "y"]), Issue.categorical("b", ["p", "q"]))
    bonus = Interaction(((0, frozenset({1})), (1, frozenset({1}))), 4.0)
    case = Case("t", issues, (Party("A"), Party("B")),
                (Preferences(((0.0, 1.0), (0.0, 2.0)), (bonus,)), Preferences(((1.0, 0.0), (2.0, 0.0)))))
    files = export_genius(case, tmp_path)
    profiles = [f for f in files if f.suffix == ".xml" and "domain" not in f.name]
    nonlinear = [ET.parse(f).getroot() for f in profiles if 'type="nonlinear"' in f.read_text(encoding="utf-8")]
    assert nonlinear, [f.name for f in files]
    for root in nonlinear:
        ufuns = list(root.iter("ufun"))
        assert ufuns and all(u.get("type") == "PlainUfun" for u in ufuns)
        # nothing but elements and whitespace: GENIUS's reader sees no stray text
        for node in root.iter():
            assert not (node.text or "").strip() and not (node.tail or "").strip(), node.tag
