"""The Deal or No Deal adapter: the README's reference figures for val.txt, per-line agreement with
``accord.evaluate``, malformed lines, and the corpus plug-in point."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import accord
from accord.corpora import CorpusEvaluation, CorpusRecord, corpus_names, evaluate_corpus, get_adapter, register
from accord.corpora.dealornodeal import parse_line, split_case
from accord.errors import FormatError, RequestError
from accord.model import Case


@pytest.fixture(scope="module")
def val_file() -> Path:
    # the shared data sits beside the work tree (as in tests/conftest.py)
    path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dealornodeal" / "val.txt"
    if not path.exists():
        pytest.skip("../shared/data/dealornodeal/val.txt is not present")
    return path


@pytest.fixture(scope="module")
def val_result(val_file: Path) -> CorpusEvaluation:
    return evaluate_corpus("dealornodeal", str(val_file))


def test_reference_figures_of_val(val_result: CorpusEvaluation) -> None:
    """Every figure of the README's reference table, to the precision it is printed."""
    agg = val_result.aggregates
    assert agg["lines"] == 1087
    assert agg["agreements"] == 844
    assert round(100 * agg["agreement_rate"], 2) == 77.64
    assert agg["outcomes"] == {"agreement": 844, "<disagree>": 129, "<no_agreement>": 108, "<disconnect>": 6}
    assert round(agg["mean_points"], 2) == 7.49
    assert round(agg["mean_joint_points"], 2) == 14.97
    assert round(agg["mean_max_joint_points"], 2) == 15.67
    assert agg["pareto_optimal_count"] == 686
    assert round(100 * agg["pareto_optimal_rate"], 2) == 81.28
    assert round(100 * agg["max_joint_rate"], 2) == 61.61
    assert round(100 * agg["nash_rate"], 2) == 56.87
    assert agg["scale"] == "points"
    assert set(val_result.to_dict()) >= {"lines", "agreements", "agreement_rate", "mean_points", "mean_joint_points",
                                         "mean_max_joint_points", "pareto_optimal_rate", "max_joint_rate", "nash_rate"}


def _independent_case(line: str) -> tuple[Case, tuple[int, ...] | None]:
    """Build the line's case straight from the text, without the adapter."""
    def part(tag: str) -> list[str]:
        return line.split(f"<{tag}>")[1].split(f"</{tag}>")[0].split()

    mine = [int(x) for x in part("input")]
    theirs = [int(x) for x in part("partner_input")]
    counts, v, w = mine[0::2], mine[1::2], theirs[1::2]
    items = ["book", "hat", "ball"]
    case = Case.from_tables(
        "line", {it: [str(x) for x in range(c + 1)] for it, c in zip(items, counts, strict=True)},
        {"you": {it: [vi * x for x in range(c + 1)] for it, vi, c in zip(items, v, counts, strict=True)},
         "them": {it: [wi * (c - x) for x in range(c + 1)] for it, wi, c in zip(items, w, counts, strict=True)}},
        batnas={"you": 0, "them": 0}, shared_scales=True)
    out = part("output")
    agreement = tuple(int(t.split("=")[1]) for t in out[:3]) if out[0].startswith("item") else None
    return case, agreement


def test_per_line_csv_equals_accord_evaluate_on_sampled_lines(val_file: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    out = tmp_path / "lines.csv"
    result = CliRunner().invoke(app, ["corpus", "dealornodeal", str(val_file), "--per-line", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = {int(r["line"]): r for r in csv.DictReader(fh)}
    assert len(rows) == 1087
    text = val_file.read_text(encoding="utf-8").splitlines()
    agreed = [n for n, r in rows.items() if r["agreed"] == "true"]
    assert len(agreed) == 844
    for n in random.Random(7).sample(agreed, 40):
        case, agreement = _independent_case(text[n - 1])
        assert agreement is not None
        ev = accord.evaluate(case, agreement)
        row = rows[n]
        assert float(row["points_you"]) == ev.utilities["you"]
        assert float(row["points_them"]) == ev.utilities["them"]
        assert float(row["joint_value"]) == ev.joint_value
        assert float(row["max_joint_value"]) == ev.max_joint_value
        assert int(row["level"]) == ev.level
        assert row["pareto_optimal"] == str(ev.pareto_optimal).lower()
        assert row["at_max_joint"] == str(ev.at_max_joint).lower()
        assert row["nash_optimal"] == str(ev.nash_optimal).lower()
        assert float(row["value_left_you"]) == ev.value_left["you"]
        assert float(row["value_left_them"]) == ev.value_left["them"]
        assert int(row["improvement_count"]) == ev.improvement_count
    for n in [n for n, r in rows.items() if r["agreed"] == "false"][:5]:
        assert rows[n]["level"] == "" and rows[n]["outcome"].startswith("<")


def test_line_to_case() -> None:
    case = split_case((1, 3, 2), (6, 0, 2), (2, 2, 1))
    assert case.party_names == ("you", "them") and case.issue_names == ("book", "hat", "ball")
    assert case.shared_scales and case.batnas.tolist() == [0.0, 0.0]
    assert case.sizes == (2, 4, 3)
    # you get the book and both balls (6 + 4); they get three hats (6)
    assert case.utility({"book": "1", "hat": "0", "ball": "2"}).tolist() == [10.0, 6.0]


GOOD = ("<input> 1 6 3 0 2 2 </input> <dialogue> YOU: hi <eos> THEM: <selection> </dialogue> "
        "<output> item0=1 item1=0 item2=2 item0=0 item1=3 item2=0 </output> "
        "<partner_input> 1 2 3 2 2 1 </partner_input>")


def test_good_line_and_markers() -> None:
    rec = parse_line(GOOD, line=4)
    assert rec.agreement == (1, 0, 2) and rec.outcome == "agreement" and rec.line == 4
    assert rec.meta["count_hat"] == 3 and rec.meta["value_them_book"] == 2 and rec.meta["turns"] == 2
    for marker in ("<disagree>", "<no_agreement>", "<disconnect>"):
        line = GOOD.split("<output>")[0] + f"<output> {' '.join([marker] * 6)} </output>" + GOOD.split("</output>")[1]
        rec = parse_line(line)
        assert rec.agreement is None and rec.outcome == marker


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (GOOD.replace("<partner_input> 1 2 3 2 2 1 </partner_input>", ""), "no <partner_input> ... </partner_input>"),
        (GOOD.replace("<input> 1 6 3 0 2 2 </input>", "<input> 1 6 3 x 2 2 </input>"),
         "<input> must hold six whole numbers"),
        (GOOD.replace("<input> 1 6 3 0 2 2 </input>", "<input> 1 6 3 0 2 </input>"), "six whole numbers"),
        (GOOD.replace("1 2 3 2 2 1", "2 2 3 2 2 1"), "the item counts differ"),
        (GOOD.replace("item0=0 item1=3", "item0=1 item1=3"), "does not split the [1, 3, 2] items"),
        (GOOD.replace("item2=2 item0=0", "item2=2 item1=0"), "<output> must be"),
        (GOOD.split("<output>")[0] + "<output> <maybe> <maybe> <maybe> <maybe> <maybe> <maybe> </output>"
         + GOOD.split("</output>")[1], "<output> must be"),
        (GOOD + " " + GOOD, "more than one <input>"),
    ],
)
def test_malformed_lines(line: str, message: str) -> None:
    with pytest.raises(FormatError) as err:
        parse_line(line, file="val.txt", line=12)
    text = str(err.value)
    assert text.startswith("val.txt: line 12: ") and message in text and "\n" not in text


def test_bad_line_in_a_file_names_its_line(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text(GOOD + "\n\n" + GOOD.replace("item0=0 item1=3", "item0=1 item1=3") + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"c\.txt: line 3: "):
        evaluate_corpus("dealornodeal", str(p))
    with pytest.raises(FormatError, match="no such file"):
        evaluate_corpus("dealornodeal", str(tmp_path / "missing.txt"))


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text("\n" + GOOD + "\n\n", encoding="utf-8")
    res = evaluate_corpus("dealornodeal", str(p))
    assert res.aggregates["lines"] == 1 and res.rows[0]["line"] == 2


class ToyCorpus:
    """A toy corpus: each line 'a' or 'b' is the agreement of a one-issue case ('-': none)."""

    name = "toy-test"
    description = "toy corpus for the test"

    def records(self, path: str) -> Iterator[CorpusRecord]:
        case = Case.from_tables("toy", {"x": ["a", "b"]}, {"P": {"x": [1, 0]}, "Q": {"x": [0, 1]}},
                                shared_scales=True)
        for n, text in enumerate(Path(path).read_text().split(), start=1):
            yield CorpusRecord(n, case, None if text == "-" else case.package({"x": text}),
                               "agreement" if text != "-" else "none", {})


def test_registry_and_a_plug_in(tmp_path: Path) -> None:
    assert "dealornodeal" in corpus_names()
    with pytest.raises(RequestError, match=r"unknown corpus 'nope'; known corpora: .*dealornodeal"):
        get_adapter("nope")
    with pytest.raises(TypeError):
        register(object())  # type: ignore[arg-type]
    register(ToyCorpus())
    assert "toy-test" in corpus_names()
    p = tmp_path / "toy.txt"
    p.write_text("a\nb\n-\n", encoding="utf-8")
    res = evaluate_corpus("toy-test", str(p))
    assert res.aggregates["lines"] == 3 and res.aggregates["agreements"] == 2
    assert res.aggregates["outcomes"] == {"agreement": 2, "none": 1}
    assert res.aggregates["pareto_optimal_rate"] == 1.0 and res.aggregates["mean_joint_points"] == 1.0
