"""Reading a CSV of agreements: the id column, separators, header errors and bad rows (with row numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import FormatError
from accord.io.agreements import parse_agreements, read_agreements
from accord.model import Case
from oracles import purchase_case

CSV = """pair,price,delivery,warranty
A,mid,fast,long
B,high,fast,long
"""


def test_reads_a_file(tmp_path: Path) -> None:
    p = tmp_path / "class.csv"
    p.write_text("\ufeff" + CSV, encoding="utf-8")  # a byte-order mark, as spreadsheets write
    t = read_agreements(str(p), purchase_case())
    assert t.ids == ("A", "B") and t.packages.tolist() == [[1, 1, 1], [2, 1, 1]] and t.id_column == "pair"
    with pytest.raises(FormatError, match="no such file"):
        read_agreements(str(tmp_path / "missing.csv"), purchase_case())


def test_numeric_cells_for_numeric_issues() -> None:
    from accord.model import Issue, Party, Preferences

    case = Case("t", (Issue.integer_range("days", 0, 3),), (Party("A"), Party("B")),
                (Preferences(((0.0, 1.0, 2.0, 3.0),)), Preferences(((3.0, 2.0, 1.0, 0.0),))))
    t = parse_agreements("id,days\nx,2.0\ny,3\n", case)
    assert t.packages.tolist() == [[2], [3]]


def test_csv_forms() -> None:
    case = purchase_case()
    # semicolons, an id column named "id" that is not first, numbered rows when no id column
    t = parse_agreements("price;ID;delivery;warranty\nmid;x1;fast;long\n", case)
    assert t.ids == ("x1",) and t.id_column == "ID"
    t = parse_agreements("price,delivery,warranty\n\nmid,fast,long\n", case)
    assert t.ids == ("row 3",) and t.id_column is None


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        ("pair,price,delivery,colour\nA,mid,fast,red\n", "row 1 (header)", "unknown issue column 'colour'"),
        ("pair,price,delivery\nA,mid,fast\n", "row 1 (header)", "no column for issue(s) warranty"),
        ("pair,price,price,delivery,warranty\n", "row 1 (header)", "column 'price' appears twice"),
        ("pair,price,delivery,warranty\nA,cheap,fast,long\n", "row 2",
         "issue 'price' has no option 'cheap'; expected one of: low, mid, high"),
        ("pair,price,delivery,warranty\nA,mid,,long\n", "row 2", "empty cell for issue 'delivery'"),
        ("pair,price,delivery,warranty\nA,mid,fast\n", "row 2", "is missing cells: 3 cells for 4 columns"),
        ("", None, "is empty"),
    ],
)
def test_bad_tables(text: str, place: str | None, message: str) -> None:
    with pytest.raises(FormatError) as err:
        parse_agreements(text, purchase_case(), file="class.csv")
    text_err = str(err.value)
    assert "\n" not in text_err and message in text_err and text_err.startswith("class.csv")
    if place:
        assert err.value.place == place


def test_bad_rows_are_counted_and_skippable() -> None:
    text = CSV + "I,mid,fast,forever\nJ,,fast,long\n"
    with pytest.raises(FormatError) as err:
        parse_agreements(text, purchase_case(), file="class.csv")
    assert err.value.place == "row 4"
    assert "1 more bad row(s): 5" in str(err.value) and "--skip-bad" in str(err.value)
    t = parse_agreements(text, purchase_case(), file="class.csv", skip_bad=True)
    assert len(t.ids) == 2 and [b.row for b in t.bad] == [4, 5]
    with pytest.raises(FormatError, match="every row is bad"):
        parse_agreements("pair,price,delivery,warranty\nI,mid,fast,forever\n", purchase_case(), skip_bad=True)


