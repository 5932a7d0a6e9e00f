"""Hostile input, one class at a time: every limit of docs/case-files.md ("Limits") is checked before the work
it bounds, and refused with a one-line :class:`~accord.errors.AccordError` that names the limit.

The files come from ``tests/hostile/`` (written by ``scripts/hostile.py --write``); the last test reads every
one of them and requires a case or a one-line error, never another exception.
"""

from __future__ import annotations

import io
import math
import os
import time
from pathlib import Path

import pytest

from accord.errors import AccordError, CaseError, FormatError
from accord.io import load_case, parse_case
from accord.io._files import MAX_DEPTH, MAX_FILE_BYTES, check_nesting, read_bytes, read_text
from accord.io.agreements import CsvWriter, csv_safe
from accord.io.casefile import MAX_NODES, MAX_TOTAL, check_points, points_problem
from accord.model import Case, Issue
from accord.model.issue import MAX_OPTIONS

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"

BASE = """name: t
parties: {A: {batna: 0}, B: {batna: 0}}
issues:
  x: [a, b, c]
  y: %s
preferences:
  A: {x: {a: 0, b: 5, c: %s}, y: {linear: {at_min: 0, at_max: %s}}}
  B: {x: {a: 10, b: 5, c: 0}, y: {linear: {at_min: 4, at_max: 0}}}
"""


def case_text(y: str = "{type: integer, min: 0, max: 4}", c: str = "10", top: str = "8") -> str:
    return BASE % (y, c, top)


def one_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text
    return text


# ---------------------------------------------------------------------------------------------------------
# file size
# ---------------------------------------------------------------------------------------------------------
def test_a_file_over_the_limit_is_refused_after_limit_plus_one_bytes(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"#" * 1001)
    with pytest.raises(FormatError, match="larger than 1,000 bytes"):
        read_bytes(p, what="a case file", limit=1000)
    assert read_bytes(p, what="a case file", limit=1001) == b"#" * 1001


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_without_reading_it_all() -> None:
    start = time.process_time()
    with pytest.raises(CaseError, match="larger than 4 MiB") as err:
        load_case("/dev/zero")
    one_line(err.value)
    # bounded work: a few MiB, not the 16 GB it ate before (CPU time, generous for a loaded machine)
    assert time.process_time() - start < 30


def test_the_file_limits_are_documented_values() -> None:
    assert MAX_FILE_BYTES == 4 * 1024 * 1024
    text = (Path(__file__).resolve().parents[2] / "docs" / "case-files.md").read_text(encoding="utf-8")
    for figure in ("4 MiB", "64 MiB", f"{MAX_DEPTH}", f"{MAX_NODES:,}", f"{MAX_OPTIONS:,}", "1e12", "1e15"):
        assert figure in text, figure


def test_read_text_reports_non_utf8_and_folders(tmp_path: Path) -> None:
    p = tmp_path / "latin.yaml"
    p.write_bytes("café".encode("latin-1"))
    with pytest.raises(FormatError, match="not UTF-8"):
        read_text(p, what="a case file")
    with pytest.raises(FormatError, match="is a folder"):
        read_text(tmp_path, what="a case file")


# ---------------------------------------------------------------------------------------------------------
# YAML aliases and nesting
# ---------------------------------------------------------------------------------------------------------
def test_billion_laughs_is_refused_before_it_expands() -> None:
    start = time.process_time()
    with pytest.raises(CaseError, match=f"more than {MAX_NODES:,} values once its aliases") as err:
        load_case(HOSTILE / "laughs.yaml")
    one_line(err.value)
    assert time.process_time() - start < 30  # it took minutes and 6 GB before


def test_a_few_aliases_are_still_fine() -> None:
    text = case_text().replace("B: {x: {a: 10, b: 5, c: 0}", "B: {x: &bx {a: 10, b: 5, c: 0}")
    text += "estimates: {A: {B: {x: *bx, y: {linear: {at_min: 4, at_max: 0}}}}}\n"
    assert parse_case(text).estimates[0].about == "B"


@pytest.mark.parametrize("name", ["recursive-alias.yaml", "recursive-map.yaml"])
def test_an_alias_inside_itself_is_refused(name: str) -> None:
    with pytest.raises(CaseError, match="refers to the mapping or list it is inside"):
        load_case(HOSTILE / name)


@pytest.mark.parametrize("name", ["deep-flow.yaml", "deep-map-flow.yaml", "deep-block.yaml", "deep.json",
                                  "deep-obj.json"])
def test_deep_nesting_is_refused_with_the_limit(name: str) -> None:
    with pytest.raises(CaseError, match=f"nested more than {MAX_DEPTH} levels") as err:
        load_case(HOSTILE / name)
    one_line(err.value)


def test_check_nesting_ignores_brackets_in_strings() -> None:
    check_nesting('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"[["}', file="f", limit=2)
    with pytest.raises(FormatError, match="line 2"):
        check_nesting('{"a":\n [[1]]}', file="f", limit=2)


def test_deep_xml_is_refused() -> None:
    from accord.io._xml import parse_xml

    with pytest.raises(FormatError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_xml(HOSTILE / "xml-deep.xml")


@pytest.mark.parametrize("name", ["xml-laughs.xml", "xml-xxe.xml"])
def test_xml_entities_are_not_expanded_or_fetched(name: str) -> None:
    from accord.io._xml import parse_xml

    with pytest.raises(FormatError, match="not well-formed XML"):
        parse_xml(HOSTILE / name)


# ---------------------------------------------------------------------------------------------------------
# ranges and grids: sizes checked before options are built
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["{type: integer, min: 0, max: 1000000000000}",
                                  "{min: -1000000000000, max: 1000000000000}",
                                  "{type: real, min: 0, max: 1, grid: 1000000000}",
                                  "{type: real, min: 0, max: 1, grid: 100000000000000000000000000000}"])
def test_huge_ranges_and_grids_are_refused_at_once(spec: str) -> None:
    start = time.process_time()
    with pytest.raises(CaseError, match=f"limit of {MAX_OPTIONS:,}"):
        parse_case(case_text(y=spec))
    assert time.process_time() - start < 10  # nothing of size 10**12 was built


def test_the_range_limit_is_inclusive() -> None:
    assert Issue.integer_range("y", 1, MAX_OPTIONS).size == MAX_OPTIONS
    with pytest.raises(CaseError, match="limit"):
        Issue.integer_range("y", 0, MAX_OPTIONS)
    with pytest.raises(CaseError, match="limit"):
        Issue.real_interval("y", 0.0, 1.0, grid=MAX_OPTIONS + 1)


@pytest.mark.parametrize(("spec", "message"), [
    ("{type: real, min: 0, max: 1, grid: 0}", "grid must be at least 2 points, not 0"),
    ("{type: real, min: 0, max: 1, grid: 1}", "grid must be at least 2 points, not 1"),
    ("{min: 0, max: 4, step: 0}", "step must be a positive integer, not 0"),
    ("{min: 0, max: 4, step: -2}", "step must be a positive integer, not -2"),
])
def test_zero_grid_and_step_are_errors_not_defaults(spec: str, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        parse_case(case_text(y=spec))


def test_a_one_point_real_interval_has_one_option() -> None:
    case = parse_case(case_text(y="{type: real, min: 1, max: 1}", top="0"))
    assert case.issues[1].options == ("1",)


def test_the_cli_grid_limit_is_the_model_limit() -> None:
    from accord.cli._common import MAX_GRID

    assert MAX_GRID == MAX_OPTIONS


# ---------------------------------------------------------------------------------------------------------
# magnitudes
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1.7e308", "1e300", "1e13", "-1e13"])
def test_numbers_beyond_1e12_are_refused(value: str) -> None:
    with pytest.raises(CaseError, match="between -1e12 and 1e12") as err:
        parse_case(case_text(c=value))
    assert "preferences.A.x.c" in one_line(err.value)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_are_refused(value: str) -> None:
    with pytest.raises(CaseError, match="finite number"):
        parse_case(case_text(c=value))


@pytest.mark.parametrize("value", ["true", '"10"'])
def test_points_must_be_numbers_not_booleans_or_text(value: str) -> None:
    with pytest.raises(CaseError, match="must be a number"):
        parse_case(case_text(c=value))


def test_a_stake_the_grid_cannot_hold_beside_a_huge_one_is_refused() -> None:
    # 1e12 beside 0.5: the grid's quantum for A is about 1e3 points, so the 0.5 would round to nothing
    with pytest.raises(CaseError, match="less than one millionth") as err:
        parse_case(case_text(c="1000000000000", top="0.5"))
    assert "preferences.A.y" in one_line(err.value)


def test_integer_points_of_any_range_are_exact_and_accepted() -> None:
    case = parse_case(case_text(c="1000000000000", top="4"))  # linear 0..4 over 0..4: whole numbers
    assert case.preferences[0].table(0)[2] == 1e12


def test_a_party_total_above_the_limit_is_refused() -> None:
    text = case_text(c="10000").replace("A: {x:", "A: {scale: 1000000000000, x:")
    with pytest.raises(CaseError, match=f"limit of {MAX_TOTAL:.0e}".replace("e+", "e")):
        parse_case(text)


def test_a_cap_far_above_the_points_is_refused() -> None:
    text = case_text(top="0.5").replace("A: {x:", "A: {cap: 1000000000000, x:")
    with pytest.raises(CaseError, match="one millionth of the cap"):
        parse_case(text)


def test_imported_cases_are_checked_too() -> None:
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["c", "d"]},
                            {"A": {"x": [0, 1e300], "y": [0, 3000.5]}, "B": {"x": [1, 0], "y": [1, 0]}})
    assert points_problem(case.preferences[0], case.issue_names) is not None
    with pytest.raises(CaseError, match="party 'A'"):
        check_points(case, file="domain.xml")


def test_the_stake_limit_follows_the_engines_grid() -> None:
    """The documented reason for the limit: at the smallest accepted stake the grid's rounding moves it by at
    most 0.05 %."""
    from accord.analysis._compile import utility_grid
    from accord.io.casefile import MIN_STAKE_RATIO

    total = 1e12
    stake = 1.5 * MIN_STAKE_RATIO * total
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["c", "d"]},
                            {"A": {"x": [0, total], "y": [0, stake]}, "B": {"x": [1, 0], "y": [0.5, 0]}})
    assert points_problem(case.preferences[0], case.issue_names) is None
    grid = utility_grid(case)
    rounded = grid.quantum[0] * round(stake / grid.quantum[0])
    assert math.isclose(rounded, stake, rel_tol=5e-4)


# ---------------------------------------------------------------------------------------------------------
# console output and CSV output
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["[/]", "[red]", "[bold]x[/bold]", "x\\"])
def test_esc_and_literal_tables_print_names_literally(name: str) -> None:
    from rich.console import Console

    from accord.report._console import esc, literal_table

    buf = io.StringIO()
    out = Console(file=buf, width=200, emoji=False, highlight=False)
    out.print(f"[bold]{esc(name)}[/bold] wins")
    table = literal_table(title=name)
    table.add_column(name)
    table.add_row(name)
    out.print(table)
    text = buf.getvalue()
    assert f"{name} wins" in text
    assert text.count(name) == 4  # the line, the title, the header and the cell


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("-3.5", "-3.5"), ("+4", "+4"), ("-inf", "'-inf"), ("Ana & Ben", "Ana & Ben"), ("", ""),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell: str, written: str) -> None:
    assert csv_safe(cell) == written
    buf = io.StringIO()
    CsvWriter(buf).writerow([cell, 1.5])
    assert buf.getvalue().splitlines()[0].split(",")[-1] == "1.5"


def test_evaluate_per_row_csv_neutralises_formula_ids(tmp_path: Path) -> None:
    import csv

    from typer.testing import CliRunner

    from accord.cli import app

    out = tmp_path / "rows.csv"
    r = CliRunner().invoke(app, ["evaluate", str(HOSTILE / "base.yaml"), "--agreements",
                                 str(HOSTILE / "agreements-formula.csv"), "--skip-bad", "--per-row", str(out)])
    assert r.exit_code == 0, r.output
    ids = [row[1] for row in csv.reader(out.read_text(encoding="utf-8").splitlines())][1:]
    assert ids == ["'=HYPERLINK(\"http://evil\")", "'@SUM(1)", "'+1+2", "-3"]


def test_an_empty_corpus_prints_no_nan(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = CliRunner().invoke(app, ["corpus", "dealornodeal", str(empty)])
    assert r.exit_code == 0, r.output
    assert "nan" not in r.output.lower() and "None" not in r.output


# ---------------------------------------------------------------------------------------------------------
# the whole corpus of hostile files
# ---------------------------------------------------------------------------------------------------------
CASE_FILES = sorted(p.name for p in HOSTILE.glob("*") if p.suffix in (".yaml", ".json")
                    and not p.name.startswith(("belief-", "geniusweb-")))


@pytest.mark.parametrize("name", CASE_FILES)
def test_every_hostile_case_file_loads_or_gives_one_line(name: str) -> None:
    try:
        load_case(HOSTILE / name)
    except AccordError as err:
        one_line(err)


def test_the_hostile_corpus_is_there() -> None:
    assert len(CASE_FILES) > 150, "run: uv run python scripts/hostile.py --write"


# ---------------------------------------------------------------------------------------------------------
# parties, issues and the frontier engine's total work
# ---------------------------------------------------------------------------------------------------------
def test_too_many_parties_or_issues_are_refused_before_analysis() -> None:
    from accord.io.casefile import MAX_ISSUES, MAX_PARTIES

    with pytest.raises(CaseError, match=f"more than Accord's limit of {MAX_PARTIES} per case"):
        load_case(HOSTILE / "parties-400.yaml")
    with pytest.raises(CaseError, match=f"more than Accord's limit of {MAX_ISSUES} per case"):
        load_case(HOSTILE / "issues-400.yaml")
    assert load_case(HOSTILE / "parties-30.yaml").n_parties == 30


def test_the_frontier_engine_stops_at_its_total_work_budget() -> None:
    """Each step stays under the per-step bound, but their sum is what costs time and memory."""
    from accord.analysis.frontier import pareto_frontier
    from accord.errors import TooLargeError

    case = Case.from_tables("t", {f"i{k}": [str(j) for j in range(10)] for k in range(30)},
                            {"A": {f"i{k}": [j * (k + 1) / 9 for j in range(10)] for k in range(30)},
                             "B": {f"i{k}": [(9 - j) * (k + 2) / 7 for j in range(10)] for k in range(30)}})
    with pytest.raises(TooLargeError, match=r"candidate partial packages after .* in all"):
        pareto_frontier(case, limit=1000)


def test_yaml_exponents_are_numbers_so_their_size_is_checked() -> None:
    """YAML 1.1 reads ``1e13`` and ``1.5e3`` as text; case files read them as numbers (YAML 1.2), so a huge
    exponent meets the magnitude limit instead of a puzzling "must be a number"."""
    case = parse_case(case_text(c="1e3", top="1.6e1"))
    assert case.preferences[0].table(0)[2] == 1000.0
    with pytest.raises(CaseError, match="between -1e12 and 1e12"):
        parse_case(case_text(c="1e13"))


def test_a_huge_batna_names_the_limit_not_the_forms() -> None:
    with pytest.raises(CaseError, match=r"parties\.A\.batna\): must be between -1e12 and 1e12"):
        load_case(HOSTILE / "batna-huge.yaml")
