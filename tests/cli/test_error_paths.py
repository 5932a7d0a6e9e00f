"""Every command's error paths: a missing case file, a malformed one, and unknown parties, issues, options or
values in the command's own options each give exactly one line ``accord: error: ...`` on stderr, exit code 2
and no traceback.

All cases run through :func:`accord.cli.main` (what ``python -m accord`` and the ``accord`` script call) in ONE
subprocess, one after the other, so the sweep costs one interpreter start-up rather than one per case; a couple
of cases are also run as separate ``python -m accord`` processes to check the real entry point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
JOB = str(EXAMPLES / "job-offer.yaml")
LICENCE = str(EXAMPLES / "software-licence.yaml")
JOB_DEAL = "salary=84k,signing_bonus=none,start_date=1 May,remote_days=2,training_budget=none,vacation_days=25"

#: Placeholders filled by the fixture: {missing} (no such file), {bad} (malformed YAML), {invalid} (valid YAML,
#: not a valid case), {xml} (malformed XML), {json} (malformed JSON), {corpus} (malformed corpus), {file} (a
#: plain file, used where a folder is expected), {csv} (agreements with an unknown column).
CASE_COMMANDS: dict[str, list[str]] = {
    "analyze": ["analyze", "{case}"],
    "frontier": ["frontier", "{case}"],
    "validate": ["validate", "{case}"],
    "evaluate": ["evaluate", "{case}", "--agreement", "a=b"],
    "logroll": ["logroll", "{case}"],
    "meso": ["meso", "{case}", "--party", "a"],
    "improve": ["improve", "{case}", "--agreement", "a=b"],
    "presettle": ["presettle", "{case}", "--fix", "a=b"],
    "contingency": ["contingency", "{case}"],
    "plan": ["plan", "{case}", "--party", "a", "--json"],
    "export-genius": ["export", "genius", "{case}", "-o", "{out}"],
    "export-geniusweb": ["export", "geniusweb", "{case}", "-o", "{out}"],
}

SWEEP: dict[str, tuple[list[str], str]] = {}
for _name, _argv in CASE_COMMANDS.items():
    SWEEP[f"{_name}: missing case file"] = (
        [a.replace("{case}", "{missing}") for a in _argv], "missing.yaml: no such file; check the path")
    SWEEP[f"{_name}: malformed YAML"] = ([a.replace("{case}", "{bad}") for a in _argv], "bad.yaml: line 3")
    SWEEP[f"{_name}: not a valid case"] = ([a.replace("{case}", "{invalid}") for a in _argv],
                                          "'parties' is required here")
SWEEP.update({
    "import genius: missing domain": (["import", "genius", "{missing_xml}", "{missing_xml}"], "no such file"),
    "import genius: malformed XML": (["import", "genius", "{xml}", "{xml}"], "not well-formed XML"),
    "import geniusweb: missing": (["import", "geniusweb", "{missing_json}"], "no such file"),
    "import geniusweb: malformed JSON": (["import", "geniusweb", "{json}"], "not valid JSON"),
    "corpus: missing file": (["corpus", "dealornodeal", "{missing}"], "no such file"),
    "corpus: malformed line": (["corpus", "dealornodeal", "{corpus}"], "line 1: no <input> ... </input> part"),
    "corpus: unknown corpus": (["corpus", "nonsense", "{corpus}"], "unknown corpus 'nonsense'"),
    # the commands' own options
    "analyze --tau": (["analyze", JOB, "--tau", "2"], "tau must be at least 0 and below 1"),
    "analyze --report suffix": (["analyze", JOB, "--report", "{out}.pdf"], "--report must end in .html or .md"),
    "frontier --fix issue": (["frontier", JOB, "--fix", "colour=red"], "unknown issue 'colour'; the case has:"),
    "frontier --fix option": (["frontier", JOB, "--fix", "salary=1M"], "issue 'salary' has no option '1M'"),
    "frontier --at-least party": (["frontier", JOB, "--at-least", "nobody=3"], "unknown party 'nobody'"),
    "frontier --at-least value": (["frontier", JOB, "--at-least", "candidate=lots"], "is not a number of points"),
    "frontier --preferred-to": (["frontier", JOB, "--preferred-to", "salary=1M"], "has no option '1M'"),
    "frontier --limit": (["frontier", JOB, "--limit", "0"], "--limit must be at least 1"),
    "frontier -o under a file": (["frontier", JOB, "-o", "{file}/f.json"], "is a file, not a folder"),
    "frontier unknown option": (["frontier", JOB, "--nope"], "No such option: --nope; see 'accord frontier --help'"),
    "evaluate --agreement issue": (["evaluate", JOB, "--agreement", "colour=red"], "unknown issue 'colour'"),
    "evaluate --agreement option": (["evaluate", JOB, "--agreement", "salary=1M"], "has no option '1M'"),
    "evaluate --agreement incomplete": (["evaluate", JOB, "--agreement", "salary=84k"], "gives no option for"),
    "evaluate --agreements missing": (["evaluate", JOB, "--agreements", "{missing}"], "no such file"),
    "evaluate --agreements column": (["evaluate", JOB, "--agreements", "{csv}"], "unknown issue column 'colour'"),
    "logroll --between": (["logroll", JOB, "--between", "candidate", "nobody"], "unknown party 'nobody'"),
    "logroll --from": (["logroll", JOB, "--from", "salary=1M"], "has no option '1M'"),
    "logroll --estimate-of": (["logroll", JOB, "--estimate-of", "nobody"], "unknown party 'nobody'"),
    "meso --party": (["meso", JOB, "--party", "nobody"], "unknown party 'nobody'"),
    "meso --counterpart": (["meso", JOB, "--party", "candidate", "--counterpart", "nobody"],
                           "unknown party 'nobody'"),
    "meso --level": (["meso", JOB, "--party", "candidate", "--level", "3"], "level must be between 0"),
    "meso --target not a number": (["meso", JOB, "--party", "candidate", "--target", "abc"],
                                   "Invalid value for '--target'"),
    "meso --belief malformed": (["meso", JOB, "--party", "candidate", "--belief", "{json}"], "not valid JSON"),
    "improve --agreement": (["improve", JOB, "--agreement", "salary=1M"], "has no option '1M'"),
    "improve --for": (["improve", JOB, "--agreement", JOB_DEAL, "--for", "nobody"], "unknown party 'nobody'"),
    "presettle --fix issue": (["presettle", JOB, "--fix", "colour=red"], "unknown issue 'colour'"),
    "presettle --fix option": (["presettle", JOB, "--fix", "salary=1M"], "has no option '1M'"),
    "presettle --show": (["presettle", JOB, "--fix", "salary=84k", "--show", "-1"], "--show must be 0 or more"),
    "contingency --event": (["contingency", LICENCE, "--event", "nothing"], "unknown event 'nothing'"),
    "contingency --base": (["contingency", LICENCE, "--base", "colour=red"], "unknown issue 'colour'"),
    "contingency without events": (["contingency", JOB], "has no events"),
    "plan --party": (["plan", JOB, "--party", "nobody", "--json"], "unknown party 'nobody'"),
    "plan --counterpart": (["plan", JOB, "--party", "candidate", "--counterpart", "nobody", "--json"],
                           "unknown party 'nobody'"),
    "plan -o suffix": (["plan", JOB, "--party", "candidate", "-o", "{out}.pdf"], "written as .html or .md"),
    "validate --profile on a case file": (["validate", JOB, "--profile", "{missing_xml}"], "drop --profile"),
    "export -o under a file": (["export", "genius", JOB, "-o", "{file}/out"], "is a file, not a folder"),
    "schema extra argument": (["schema", "extra"], "unexpected extra argument"),
    # numeric options are bounded before any work is sized by them (docs/case-files.md, "Limits")
    "meso --count huge": (["meso", JOB, "--party", "candidate", "--count", "1000000"],
                          "Invalid value for '--count': Input should be less than or equal to 20"),
    "meso --seed negative": (["meso", JOB, "--party", "candidate", "--seed", "-1"],
                             "Input should be greater than or equal to 0"),
    "frontier --cap huge": (["frontier", JOB, "--cap", "10000000000000"], "less than or equal to 10000"),
    "frontier --limit huge": (["frontier", JOB, "--limit", "100000000000000"], "less than or equal to 20000000"),
    "frontier --grid huge": (["frontier", JOB, "--grid", "1000000000"], "less than or equal to 100000"),
    "evaluate --cap huge": (["evaluate", JOB, "--agreement", JOB_DEAL, "--cap", "100000000000"],
                            "less than or equal to 10000"),
    "improve --cap huge": (["improve", JOB, "--agreement", JOB_DEAL, "--cap", "100000000000"],
                           "less than or equal to 10000"),
    "logroll --limit huge": (["logroll", JOB, "--limit", "100000000000"], "less than or equal to 10000"),
    "presettle --show huge": (["presettle", JOB, "--fix", "salary=84k", "--show", "10000000000"],
                              "less than or equal to 10000"),
    "import genius --grid huge": (["import", "genius", "{xml}", "--grid", "100000000000"],
                                  "less than or equal to 100000"),
    # hostile files: size, aliases, nesting
    "validate /dev/zero": (["validate", "/dev/zero"], "is larger than 4 MiB"),
    "meso --belief /dev/zero": (["meso", JOB, "--party", "candidate", "--belief", "/dev/zero"], "larger than 4 MiB"),
    "evaluate --agreements /dev/zero": (["evaluate", JOB, "--agreements", "/dev/zero"], "larger than 64 MiB"),
    "corpus /dev/zero": (["corpus", "dealornodeal", "/dev/zero"], "larger than 64 MiB"),
})

DRIVER = r"""
import contextlib, io, json, sys, traceback
from accord.cli import main
results = {}
for name, argv in json.loads(sys.argv[1]).items():
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["accord", *argv]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc(file=err)
            code = -1
    results[name] = {"code": code, "stderr": err.getvalue()}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("errors")
    files = {
        "missing": tmp / "missing.yaml",
        "missing_xml": tmp / "missing.xml",
        "missing_json": tmp / "missing.json",
        "bad": tmp / "bad.yaml",
        "invalid": tmp / "invalid.yaml",
        "xml": tmp / "bad.xml",
        "json": tmp / "bad.json",
        "corpus": tmp / "corpus.txt",
        "file": tmp / "plain.txt",
        "csv": tmp / "agreements.csv",
        "out": tmp / "out",
    }
    files["bad"].write_text("name: x\nparties: [a\n", encoding="utf-8")
    files["invalid"].write_text("name: x\nissues:\n  a: [x, y]\n", encoding="utf-8")
    files["xml"].write_text("<domain><bad", encoding="utf-8")
    files["json"].write_text('{"x": ', encoding="utf-8")
    files["corpus"].write_text("hello\n", encoding="utf-8")
    files["file"].write_text("not a folder\n", encoding="utf-8")
    files["csv"].write_text("id,colour\nA,red\n", encoding="utf-8")
    names = {k: str(v) for k, v in files.items()}
    argvs = {name: [a.format(**names) for a in argv] for name, (argv, _) in SWEEP.items()}
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(argvs)], capture_output=True, text=True,
                          check=False, cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    results: dict[str, dict[str, object]] = json.loads(proc.stdout)
    assert not files["out"].exists() and not files["file"].with_suffix(".pdf").exists()
    return results


@pytest.mark.parametrize("name", sorted(SWEEP))
def test_one_line_error_and_exit_code_2(swept: dict[str, dict[str, object]], name: str) -> None:
    result = swept[name]
    stderr = str(result["stderr"])
    assert "Traceback" not in stderr, stderr
    assert result["code"] == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error: "), stderr
    assert SWEEP[name][1] in lines[0], lines[0]


@pytest.mark.parametrize("argv", [["frontier", "{missing}"], ["meso", JOB, "--party", "candidate", "--count", "x"]])
def test_the_real_entry_point(tmp_path: Path, argv: list[str]) -> None:
    args = [a.format(missing=tmp_path / "missing.yaml") for a in argv]
    proc = subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("accord: error: ") and "Traceback" not in proc.stderr


def test_no_arguments_still_shows_the_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "accord"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "Usage" in proc.stdout + proc.stderr and "accord: error" not in proc.stderr
