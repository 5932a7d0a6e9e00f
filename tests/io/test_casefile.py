"""Case files: every mistake a person can make gives one line naming the file, the place and what is expected.

Each bad-input case below is a small edit of one valid file, so the line numbers in the expected messages can be
read off :data:`BASE`. A representative subset also runs through the real ``accord validate`` command to check
the exit code (2), that stderr is exactly one line, and that no traceback is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from accord.errors import CaseError
from accord.io import case_from_data, load_case, parse_case, save_case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Line numbers matter: the expected messages below refer to them.
BASE = """\
name: Test case
parties:
  employer: {batna: 100}
  candidate: {batna: 50}
issues:
  salary: [low, high]
  days: {type: integer, min: 0, max: 2}
preferences:
  employer:
    salary: {low: 200, high: 0}
    days: {linear: {at_min: 90, at_max: 0}}
  candidate:
    salary: {low: 0, high: 150}
    days: {0: 0, 1: 40, 2: 80}
"""

EVENT = """\
events:
  sales:
    outcomes: [low, high]
    beliefs:
      employer: {low: 0.5, high: 0.5}
      candidate: {low: 0.2, high: 0.8}
    money: {unit: kEUR, payer: employer, payee: candidate}
    controlled_by: []
"""

ESTIMATE = """\
estimates:
  candidate:
    employer:
      salary: {low: 150, high: 0}
      days: {0: 90, 1: 45, 2: 0}
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with ``old`` replaced by ``new`` (exactly once, so a typo in a test cannot go unnoticed)."""
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(CaseError) as info:
        load_case(path)
    return str(info.value)


# (id, file name, text, expected message after "FILE: ")
BAD_INPUTS: list[tuple[str, str, str, str]] = [
    ("bad-yaml", "case.yaml", edit("  salary: [low, high]\n", "  salary: [low, high\n"),
     "line 7, column 7: bad YAML: expected ',' or ']', but got ':'; check indentation, colons and quotes"),
    ("bad-yaml-indent", "case.yaml", edit("    salary: {low: 0, high: 150}", "   salary: {low: 0, high: 150}"),
     "line 14, column 5: bad YAML: this line is indented differently from the block that starts on line 13; "
     "indent keys of the same level by the same number of spaces"),
    ("bad-yaml-tab", "case.yaml", edit("    salary: {low: 0, high: 150}", "\tsalary: {low: 0, high: 150}"),
     "line 13, column 1: bad YAML: a tab character; indent with spaces, not tabs"),
    ("bad-json", "case.json", '{"name": "t",\n "parties": {"a": 1,}}',
     "line 2, column 21: bad JSON: Expecting property name enclosed in double quotes"),
    ("unknown-party-in-preferences", "case.yaml", edit("  candidate:\n    salary", "  candidat:\n    salary"),
     "line 12 (preferences.candidat): unknown party 'candidat'; the case has: employer, candidate"),
    ("unknown-issue-in-preferences", "case.yaml", edit("    days: {0: 0, 1: 40", "    dayz: {0: 0, 1: 40"),
     "line 14 (preferences.candidate.dayz): unknown issue 'dayz'; the case has: salary, days"),
    ("unknown-option-in-preferences", "case.yaml", edit("{low: 200, high: 0}", "{low: 200, hihg: 0}"),
     "line 10 (preferences.employer.salary.hihg): issue 'salary' has no option 'hihg'; expected one of: "
     "low, high"),
    ("unknown-number-option", "case.yaml", edit("{0: 0, 1: 40, 2: 80}", "{0: 0, 1: 40, 3: 80}"),
     "line 14 (preferences.candidate.days.3): issue 'days' has no option '3'; expected one of: 0, 1, 2"),
    ("unknown-party-in-estimates", "case.yaml", BASE + edit("    employer:\n", "    employr:\n", ESTIMATE),
     "line 17 (estimates.candidate.employr): unknown party 'employr'; the case has: employer, candidate"),
    ("unknown-holder-in-estimates", "case.yaml", BASE + edit("  candidate:\n", "  recruiter:\n", ESTIMATE),
     "line 16 (estimates.recruiter): unknown party 'recruiter'; the case has: employer, candidate"),
    ("unknown-issue-in-estimates", "case.yaml", BASE + edit("      days:", "      vacation:", ESTIMATE),
     "line 19 (estimates.candidate.employer.vacation): unknown issue 'vacation'; the case has: salary, days"),
    ("unknown-option-in-estimates", "case.yaml", BASE + edit("{low: 150, high: 0}", "{low: 150, top: 0}",
                                                              ESTIMATE),
     "line 18 (estimates.candidate.employer.salary.top): issue 'salary' has no option 'top'; expected one "
     "of: low, high"),
    ("unknown-issue-in-interaction", "case.yaml",
     edit("    days: {linear: {at_min: 90, at_max: 0}}\n",
          "    days: {linear: {at_min: 90, at_max: 0}}\n    interactions:\n"
          "      - {when: {salary: [low], bonus: [yes]}, points: 30}\n"),
     "line 13 (preferences.employer.interactions.0.when.bonus): unknown issue 'bonus'; the case has: "
     "salary, days"),
    ("unknown-option-in-interaction", "case.yaml",
     edit("    days: {linear: {at_min: 90, at_max: 0}}\n",
          "    days: {linear: {at_min: 90, at_max: 0}}\n    interactions:\n"
          "      - when:\n          salary: [low, medium]\n          days: {min: 1}\n        points: 30\n"),
     "line 14 (preferences.employer.interactions.0.when.salary.1): issue 'salary' has no option 'medium'; "
     "expected one of: low, high"),
    ("range-on-categorical-in-interaction", "case.yaml",
     edit("    days: {linear: {at_min: 90, at_max: 0}}\n",
          "    days: {linear: {at_min: 90, at_max: 0}}\n    interactions:\n"
          "      - {when: {salary: {min: 1}, days: [0]}, points: 30}\n"),
     "line 13 (preferences.employer.interactions.0.when.salary): a range needs an ordered issue; 'salary' is "
     "categorical (list the options)"),
    ("unknown-party-in-event-beliefs", "case.yaml",
     BASE + edit("      candidate: {low: 0.2", "      candidat: {low: 0.2", EVENT),
     "line 20 (events.sales.beliefs.candidat): unknown party 'candidat'; the case has: employer, candidate"),
    ("unknown-outcome-in-event", "case.yaml", BASE + edit("{low: 0.2, high: 0.8}", "{low: 0.2, hi: 0.8}", EVENT),
     "line 20 (events.sales.beliefs.candidate.hi): unknown outcome 'hi'; the event has: low, high"),
    ("unknown-payer-in-event", "case.yaml", BASE + edit("payer: employer", "payer: bank", EVENT),
     "line 21 (events.sales.money.payer): unknown party 'bank'; the case has: employer, candidate"),
    ("unknown-controller-in-event", "case.yaml", BASE + edit("controlled_by: []", "controlled_by: [board]", EVENT),
     "line 22 (events.sales.controlled_by.0): unknown party 'board'; the case has: employer, candidate"),
    ("probabilities-not-summing-to-1", "case.yaml", BASE + edit("{low: 0.2, high: 0.8}", "{low: 0.2, high: 0.7}",
                                                                EVENT),
     "line 20 (events.sales.beliefs.candidate): candidate's probabilities sum to 0.9; they must sum to 1"),
    ("negative-probability", "case.yaml", BASE + edit("{low: 0.2, high: 0.8}", "{low: -0.2, high: 1.2}", EVENT),
     "line 20 (events.sales.beliefs.candidate.low): the probability of 'low' is negative; probabilities are "
     "between 0 and 1"),
    ("option-without-points", "case.yaml", edit("{low: 0, high: 150}", "{high: 150}"),
     "line 13 (preferences.candidate.salary): no points for option 'low' of issue 'salary'; give points for "
     "every option"),
    ("issue-without-points", "case.yaml", edit("    days: {0: 0, 1: 40, 2: 80}\n", ""),
     "line 12 (preferences.candidate): no points for issue 'days'; give points for each of its options"),
    ("nan-points", "case.yaml", edit("{low: 200, high: 0}", "{low: .nan, high: 0}"),
     "line 10 (preferences.employer.salary.low): must be a finite number (not NaN or infinite)"),
    ("infinite-points", "case.yaml", edit("{0: 0, 1: 40, 2: 80}", "{0: 0, 1: .inf, 2: 80}"),
     "line 14 (preferences.candidate.days.1): must be a finite number (not NaN or infinite)"),
    ("infinite-batna", "case.yaml", edit("{batna: 50}", "{batna: -.inf}"),
     "line 4 (parties.candidate.batna): must be a finite number (not NaN or infinite)"),
    ("nan-interaction-points", "case.yaml",
     edit("    days: {linear: {at_min: 90, at_max: 0}}\n",
          "    days: {linear: {at_min: 90, at_max: 0}}\n    interactions:\n"
          "      - when: {salary: [low], days: [0]}\n        points: .nan\n"),
     "line 14 (preferences.employer.interactions.0.points): must be a finite number (not NaN or infinite)"),
    ("duplicate-party", "case.yaml", edit("  candidate: {batna: 50}\n", "  candidate: {batna: 50}\n  employer: {}\n"),
     "line 5 (parties.employer): 'employer' is defined twice (first at line 3); names must be unique"),
    ("duplicate-issue", "case.yaml", edit("  days: {type: integer, min: 0, max: 2}\n",
                                          "  days: {type: integer, min: 0, max: 2}\n  salary: [a, b]\n"),
     "line 8 (issues.salary): 'salary' is defined twice (first at line 6); names must be unique"),
    ("duplicate-option", "case.yaml", edit("[low, high]", "[low, high, low]"),
     "line 6 (issues.salary.options): option 'low' is listed twice; option names must be unique"),
    ("duplicate-key-same-line", "case.yaml", edit("{low: 0, high: 150}", "{low: 0, high: 150, low: 10}"),
     "line 13 (preferences.candidate.salary.low): 'low' is defined twice (first at column 14 of the same "
     "line); names must be unique"),
    ("duplicate-key-json", "case.json", '{"name": "t",\n "parties": {"a": {},\n  "a": {}}}',
     "line 3 (parties.a): 'a' is defined twice (first at line 2); names must be unique"),
    ("batna-package-missing-option", "case.yaml",
     edit("{batna: 50}", "{batna: {package: {salary: medium, days: 1}}}"),
     "line 4 (parties.candidate.batna.package.salary): issue 'salary' has no option 'medium'; expected one "
     "of: low, high"),
    ("batna-package-unknown-issue", "case.yaml",
     edit("{batna: 50}", "{batna: {package: {salary: high, days: 1, bonus: 5k}}}"),
     "line 4 (parties.candidate.batna.package.bonus): the BATNA package names unknown issue 'bonus'; the "
     "case has: salary, days"),
    ("batna-package-missing-issue", "case.yaml", edit("{batna: 50}", "{batna: {package: {salary: high}}}"),
     "line 4 (parties.candidate.batna.package): the BATNA package gives no option for days; every issue "
     "needs one"),
    ("missing-preferences-for-party", "case.yaml",
     edit("  candidate:\n    salary: {low: 0, high: 150}\n    days: {0: 0, 1: 40, 2: 80}\n", ""),
     "line 8 (preferences): no preferences for party 'candidate'; add preferences.candidate"),
    ("wrong-type-batna", "case.yaml", edit("{batna: 50}", "{batna: fifty}"),
     "line 4 (parties.candidate.batna): must be a number of points or {package: {issue: option, ...}}"),
    ("wrong-type-points", "case.yaml", edit("{low: 0, high: 150}", "{low: 0, high: lots}"),
     "line 13 (preferences.candidate.salary.high): must be a number"),
    ("wrong-type-issue", "case.yaml", edit("  salary: [low, high]", "  salary: 5"),
     "line 6 (issues.salary): must be a list of options or a mapping such as {options: [...]}, {type: "
     "integer, min: 0, max: 10} or {type: real, min: 0, max: 1, grid: 11}"),
    ("wrong-type-preference", "case.yaml", edit("    salary: {low: 0, high: 150}", "    salary: high"),
     "line 13 (preferences.candidate.salary): must be points per option {option: points}, {linear: "
     "{at_min: .., at_max: ..}} or {triangular: {low: .., peak: .., high: ..}}"),
    ("wrong-type-flag", "case.yaml", edit("name: Test case\n", "name: Test case\nshared_scales: maybe\n"),
     "line 2 (shared_scales): must be true or false"),
    ("wrong-type-name", "case.yaml", edit("name: Test case", "name: [Test case]"),
     "line 1 (name): must be text"),
    ("missing-name", "case.yaml", edit("name: Test case\n", ""),
     "line 1: 'name' is required here"),
    ("unknown-field-party", "case.yaml", edit("{batna: 50}", "{batna: 50, bantna: 60}"),
     "line 4 (parties.candidate.bantna): unknown field 'bantna'; check its spelling"),
    ("unknown-field-top", "case.yaml", edit("name: Test case\n", "name: Test case\nshared_scale: true\n"),
     "line 2 (shared_scale): unknown field 'shared_scale'; check its spelling"),
    ("unknown-field-issue", "case.yaml", edit("[low, high]", "{options: [low, high], orderd: true}"),
     "line 6 (issues.salary.orderd): unknown field 'orderd'; check its spelling"),
    ("linear-on-categorical", "case.yaml", edit("{low: 0, high: 150}", "{linear: {at_min: 0, at_max: 150}}"),
     "line 13 (preferences.candidate.salary): a linear value needs an ordered issue; 'salary' is categorical "
     "(list points per option, or declare it ordered)"),
    ("triangular-on-categorical", "case.yaml",
     edit("{low: 0, high: 150}", "{triangular: {low: 0, peak: 1, high: 2}}"),
     "line 13 (preferences.candidate.salary): a triangular value needs a numeric issue; 'salary' is "
     "categorical"),
    ("triangular-out-of-order", "case.yaml",
     edit("{0: 0, 1: 40, 2: 80}", "{triangular: {low: 2, peak: 1, high: 3}}"),
     "line 14 (preferences.candidate.days): triangular needs low <= peak <= high"),
    ("missing-weight", "case.yaml",
     edit("  employer:\n    salary:", "  employer:\n    weights: {salary: 0.5}\n    salary:"),
     "line 10 (preferences.employer.weights): no weight for issue 'days'; give a weight for every issue"),
    ("one-party", "case.yaml", edit("  candidate: {batna: 50}\n", ""),
     "line 2 (parties): a case needs at least two parties"),
    ("empty-file", "case.yaml", "",
     "line 1: found nothing (the file is empty); a case file is a mapping with name, parties, issues and "
     "preferences"),
    ("comments-only-file", "case.yaml", "# nothing here yet\n",
     "line 1: found nothing (the file is empty); a case file is a mapping with name, parties, issues and "
     "preferences"),
    ("non-mapping-file", "case.yaml", "- employer\n- candidate\n",
     "line 1: found a list; a case file is a mapping with name, parties, issues and preferences"),
    ("non-mapping-json", "case.json", '"just text"',
     "line 1: found text; a case file is a mapping with name, parties, issues and preferences"),
]


@pytest.mark.parametrize(("name", "text", "expected"), [(n, t, e) for _, n, t, e in BAD_INPUTS],
                         ids=[i for i, *_ in BAD_INPUTS])
def test_bad_input_gives_one_exact_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = write(tmp_path, text, name)
    message = error_of(path)
    assert message == f"{path}: {expected}"
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert error_of(path) == f"{path}: no such file; check the path"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert error_of(tmp_path) == f"{tmp_path}: is a folder, not a case file"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Test case", "Café").encode("latin-1"))
    assert error_of(path) == f"{path}: is not UTF-8 text; save it as UTF-8"


# --- through the real command: exit code 2, exactly one line on stderr, no traceback ------------------------
CLI_SUBSET = ["bad-yaml", "bad-json", "unknown-option-in-preferences", "unknown-party-in-estimates",
              "unknown-issue-in-interaction", "nan-points", "duplicate-party", "batna-package-missing-option",
              "wrong-type-batna", "probabilities-not-summing-to-1", "empty-file"]


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", "validate", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)


@pytest.mark.parametrize("case_id", CLI_SUBSET)
def test_cli_validate_bad_input(tmp_path: Path, case_id: str) -> None:
    name, text, expected = next((n, t, e) for i, n, t, e in BAD_INPUTS if i == case_id)
    path = write(tmp_path, text, name)
    run = _validate(path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"accord: error: {path}: {expected}"]
    assert run.stdout == ""


def test_cli_validate_missing_file(tmp_path: Path) -> None:
    run = _validate(tmp_path / "nowhere.yaml")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"accord: error: {tmp_path / 'nowhere.yaml'}: no such file; check the path"]


def test_cli_validate_good_file(tmp_path: Path) -> None:
    run = _validate(write(tmp_path, BASE))
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout and "2 parties, 2 issues, 6 packages" in run.stdout


# --- valid inputs -----------------------------------------------------------------------------------------
def test_base_case_loads_with_every_value_form(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, BASE + ESTIMATE + EVENT))
    assert case.party_names == ("employer", "candidate")
    assert case.issue_names == ("salary", "days")
    assert case.scores[0].tolist() == [[200.0, 0.0], [0.0, 150.0]]
    assert case.scores[1].tolist() == [[90.0, 45.0, 0.0], [0.0, 40.0, 80.0]]  # linear, and numeric keys
    assert case.batnas.tolist() == [100.0, 50.0]
    assert case.estimate("candidate", "employer") is not None
    assert case.event("sales").probabilities("candidate") == (0.2, 0.8)


def test_empty_bargaining_zone_is_not_an_error(tmp_path: Path) -> None:
    # both BATNAs are above anything an agreement can give: a result to report, not a mistake in the file
    text = edit("{batna: 100}", "{batna: 1000}", edit("{batna: 50}", "{batna: 900}"))
    path = write(tmp_path, text)
    case = load_case(path)
    grid = np.array([[s, d] for s in range(2) for d in range(3)])
    utilities = case.utilities(grid)
    assert not (utilities >= case.batnas).all(axis=1).any()
    run = _validate(path)
    assert run.returncode == 0, run.stderr


def test_batna_as_package(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, edit("{batna: 50}", "{batna: {package: {salary: high, days: 1}}}")))
    assert case.batna("candidate") == 150 + 40


def test_yes_and_no_stay_text(tmp_path: Path) -> None:
    # YAML 1.1 would read yes/no as booleans; case files use YAML 1.2 booleans (true/false only)
    text = edit("  salary: [low, high]", "  salary: [low, high]\n  escrow: [no, yes]")
    text = edit("    days: {linear: {at_min: 90, at_max: 0}}\n",
                "    days: {linear: {at_min: 90, at_max: 0}}\n    escrow: {no: 0, yes: -10}\n", text)
    text = edit("    days: {0: 0, 1: 40, 2: 80}\n", "    days: {0: 0, 1: 40, 2: 80}\n    escrow: {no: 0, yes: 60}\n",
                text)
    case = load_case(write(tmp_path, text))
    assert case.issues[1].options == ("no", "yes")
    assert case.scores[1].tolist() == [[0.0, -10.0], [0.0, 60.0]]


def test_weights_scale_and_interactions(tmp_path: Path) -> None:
    text = edit("  employer:\n    salary: {low: 200, high: 0}\n",
                "  employer:\n    scale: 100\n    weights: {salary: 0.75, days: 0.25}\n"
                "    interactions:\n      - {when: {salary: [low], days: {from: 1, to: 2}}, points: 0.1}\n"
                "    salary: {low: 1, high: 0}\n")
    text = edit("{linear: {at_min: 90, at_max: 0}}", "{triangular: {low: 0, peak: 1, high: 2}}", text)
    case = load_case(write(tmp_path, text))
    assert case.scores[0][0].tolist() == [75.0, 0.0]
    assert case.scores[1][0].tolist() == [0.0, 25.0, 0.0]
    assert case.utility({"salary": "low", "days": 1})[0] == pytest.approx(75 + 25 + 10)
    assert case.utility({"salary": "low", "days": 0})[0] == pytest.approx(75)


# --- round trips ------------------------------------------------------------------------------------------
def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_round_trips_through_to_dict(path: Path) -> None:
    case = load_case(path)
    assert case_from_data(case.to_dict()) == case


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_round_trips_through_saved_files(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    for suffix in (".yaml", ".json"):
        out = tmp_path / f"copy{suffix}"
        save_case(case, out)
        assert load_case(out) == case


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_json_case_file_loads_the_same_as_yaml(path: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    json_path = tmp_path / f"{path.stem}.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    assert load_case(json_path) == load_case(path)
    assert parse_case(json.dumps(data), json_format=True) == load_case(path)


@pytest.mark.parametrize("doc", ["README.md", "docs/case-files.md"])
def test_complete_cases_in_the_docs_load(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    complete = [b for b in blocks if b.startswith("name:") and "preferences:" in b]
    assert complete, f"{doc} shows a complete case"
    for block in complete:
        case = parse_case(block, file=doc)
        assert case.n_parties >= 2


def test_saved_files_get_ordinary_permissions(tmp_path: Path) -> None:
    # written atomically through a temporary file, yet readable like any file the user writes
    case = load_case(write(tmp_path, BASE))
    out = tmp_path / "saved.yaml"
    umask = os.umask(0o022)
    try:
        save_case(case, out)
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o600)
    save_case(case, out)  # overwriting keeps the file's own mode
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
