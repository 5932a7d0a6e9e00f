"""Fuzzing the command line in-process: whatever case file a user writes, ``accord`` answers with exit code 0,
or exit code 2 and one line ``accord: error: ...`` — never a traceback, never a crash of rich on a name.

Two sources of case files: cases generated from scratch (names with markup and odd unicode, integer ranges and
real grids of any size, points of any magnitude including NaN and infinities), and mutations of the shipped
examples (a key deleted, a value of the wrong kind, a huge number, a markup name, deep nesting). Each is run
through :func:`accord.cli.main` (what the ``accord`` script calls) with ``sys.argv`` patched, for several
commands. Examples are bounded (``max_examples``) so the whole module takes well under a minute.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def run(argv: list[str]) -> tuple[int, str, str]:
    """``accord argv`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    old = sys.argv
    sys.argv = ["accord", *argv]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


def check(argv: list[str]) -> tuple[int, str, str]:
    """Run ``argv`` and assert the contract: 0, or 2 with one ``accord: error:`` line; no traceback."""
    try:
        code, out, err = run(argv)
    except Exception as exc:  # anything escaping main() is a crash
        pytest.fail(f"accord {' '.join(argv)[:200]} raised {type(exc).__name__}: {exc}")
    assert "Traceback" not in err and "Traceback" not in out, err[-2000:]
    assert code in (0, 2), f"exit code {code} for {argv}: {err[-500:]}"
    if code == 2:
        lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("accord: warning:")]
        assert len(lines) == 1 and lines[0].startswith("accord: error: "), err
    return code, out, err


# ---------------------------------------------------------------------------------------------------------
# generated cases
# ---------------------------------------------------------------------------------------------------------
NASTY = ["[/]", "[red]", "[bold]x[/bold]", "x\\", ":smile:", "🤝", "\u202eevil", "a\u200bb", "a=b", "a,b",
         "%s{0}", "<b>", "yes", "no", "null", "1", "1.0", "-", "=1+1"]
names = st.one_of(st.sampled_from(NASTY), st.text(st.characters(blacklist_categories=["Cs", "Cc"]),
                                                  min_size=1, max_size=8))
magnitudes = st.one_of(  # mostly ordinary points, so that some generated cases get past validation
    *[st.integers(-20, 20)] * 6,
    st.sampled_from([0.5, 1e-300, 1e-12, 1e12, 1e13, 1e300, 1.7e308, -1e300, float("nan"), float("inf"),
                     float("-inf"), 2**53 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def issues(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["list", "ordered", "integer", "real"]))
    if kind == "list":
        return draw(st.lists(names, min_size=0, max_size=4))
    if kind == "ordered":
        return {"options": draw(st.lists(names, min_size=1, max_size=4)), "ordered": True}
    low = draw(st.sampled_from([0, 0, 0, -5, 1, 10**12, -(10**12), 1e300]))
    span = draw(st.sampled_from([1, 3, 3, 4, 0, -2, 10**6, 10**9, 10**12]))
    spec: dict[str, Any] = {"type": kind, "min": low, "max": low + span}
    if kind == "integer" and draw(st.booleans()):
        spec["step"] = draw(st.sampled_from([0, -1, 1, 2, 10**20]))
    if kind == "real":
        spec["grid"] = draw(st.sampled_from([2, 5, 5, 11, 0, 1, 10**9, -3]))
    return spec


def _points(draw: st.DrawFn, spec: Any) -> Any:
    if isinstance(spec, dict) and spec.get("type") in ("integer", "real"):
        return {"linear": {"at_min": draw(magnitudes), "at_max": draw(magnitudes)}}
    options = spec["options"] if isinstance(spec, dict) else spec
    return {str(o): draw(magnitudes) for o in options}


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    parties = draw(st.lists(names, min_size=2, max_size=3, unique=True))
    issue_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    specs = {i: draw(issues()) for i in issue_names}
    return {
        "name": draw(names),
        "parties": {p: {"batna": draw(st.one_of(st.just(0), magnitudes))} for p in parties},
        "issues": specs,
        "preferences": {p: {i: _points(draw, s) for i, s in specs.items()} for p in parties},
    }


def _write(tmp: Path, data: Any, as_json: bool) -> Path:
    path = tmp / ("case.json" if as_json else "case.yaml")
    if as_json:
        path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    else:
        try:
            text = yaml.safe_dump(data, allow_unicode=True)
        except RecursionError:  # PyYAML's writer recurses per level; JSON is YAML too
            text = json.dumps(data, allow_nan=True)
        path.write_text(text, encoding="utf-8")
    return path


def _commands(path: Path, data: Any) -> list[list[str]]:
    """The commands a case is run through (the agreement and party come from the case when it has them)."""
    p = str(path)
    cmds = [["validate", p], ["analyze", "--json", p], ["frontier", p], ["logroll", p]]
    try:
        party = str(next(iter(data["parties"])))
        deal = ",".join(f"{i}={(s['options'] if isinstance(s, dict) and 'options' in s else s)[0]}"
                        if not (isinstance(s, dict) and "min" in s) else f"{i}={s['min']}"
                        for i, s in data["issues"].items())
    except Exception:  # a mutated case without parties or issues: the commands still get something to refuse
        party, deal = "A", "x=a"
    cmds += [["meso", p, "--party", party], ["evaluate", p, "--agreement", deal]]
    return cmds


@FUZZ
@given(data=cases(), as_json=st.booleans(), command=st.integers(0, 5))
def test_generated_cases_never_crash(tmp_path: Path, data: dict[str, Any], as_json: bool, command: int) -> None:
    path = _write(tmp_path, data, as_json)
    check(_commands(path, data)[command])


# ---------------------------------------------------------------------------------------------------------
# mutations of the examples
# ---------------------------------------------------------------------------------------------------------
def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


REPLACEMENTS = [None, "", "[/]", "[red]", [], {}, [1, [2, [3]]], 0, -1, 1e300, 1.7e308, float("nan"),
                10**12 + 1, True, "🤝" * 50, {"linear": {"at_min": 0, "at_max": 1e300}}]


def _deep(depth: int) -> Any:
    node: Any = 1
    for _ in range(depth):
        node = [node]
    return node


@st.composite
def mutations(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    example = draw(st.sampled_from(EXAMPLES))
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    mutated = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(mutated)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = mutated
        for key in path[:-1]:
            parent = parent[key]
        how = draw(st.sampled_from(["delete", "replace", "deep", "rename"]))
        key = path[-1]
        if how == "delete":
            del parent[key]
        elif how == "replace":
            parent[key] = draw(st.sampled_from(REPLACEMENTS))
        elif how == "deep":
            parent[key] = _deep(draw(st.sampled_from([5, 40, 400])))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(NASTY))] = parent.pop(key)
    return mutated, example.name


@FUZZ
@given(mutation=mutations(), as_json=st.booleans(), command=st.integers(0, 5))
def test_mutated_examples_never_crash(tmp_path: Path, mutation: tuple[dict[str, Any], str], as_json: bool,
                                      command: int) -> None:
    data, _ = mutation
    path = _write(tmp_path, data, as_json)
    check(_commands(path, data)[command])


# ---------------------------------------------------------------------------------------------------------
# names are printed literally
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["[/]", "[red]", "[bold]x[/bold]", ":smile:"])
@pytest.mark.parametrize("command", ["validate", "frontier", "logroll", "analyze"])
def test_markup_names_print_literally(tmp_path: Path, name: str, command: str) -> None:
    case = {"name": name, "parties": {name: {"batna": 0}, "B": {"batna": 0}},
            "issues": {name: [name, "plain"]},
            "preferences": {name: {name: {name: 0, "plain": 1}}, "B": {name: {name: 1, "plain": 0}}}}
    path = _write(tmp_path, case, as_json=False)
    code, out, _ = check([command, str(path)])
    assert code == 0
    assert name in out  # neither eaten as markup nor turned into an emoji


# ---------------------------------------------------------------------------------------------------------
# valid cases with odd names are accepted (the limits refuse what they must, not more)
# ---------------------------------------------------------------------------------------------------------
clean_names = names.filter(lambda s: s == s.strip() and s not in ("weights", "scale", "cap", "interactions"))


@st.composite
def valid_cases(draw: st.DrawFn) -> dict[str, Any]:
    parties = draw(st.lists(clean_names, min_size=2, max_size=3, unique=True))
    issue_names = draw(st.lists(clean_names, min_size=1, max_size=3, unique=True))
    options = {i: draw(st.lists(clean_names, min_size=1, max_size=4, unique=True)) for i in issue_names}
    points = st.integers(-1000, 1000)
    return {
        "name": draw(clean_names),
        "parties": {p: {"batna": draw(points)} for p in parties},
        "issues": options,
        "preferences": {p: {i: {o: draw(points) for o in opts} for i, opts in options.items()} for p in parties},
    }


@FUZZ
@given(data=valid_cases(), as_json=st.booleans())
def test_valid_cases_with_odd_names_are_accepted(tmp_path: Path, data: dict[str, Any], as_json: bool) -> None:
    path = _write(tmp_path, data, as_json)
    for argv in (["validate", str(path)], ["frontier", str(path)]):
        code, _, err = check(argv)
        assert code == 0, err
