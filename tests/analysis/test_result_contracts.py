"""The contracts around the analysis results that property tests do not look at: dictionary keys (what `--json`
and the web API print), error messages that name the fix, and the guard on a reused pyramid reference.

Written to kill mutants that survived scripts/mutation.sh (see docs/testing.md): each assertion is part of the
documented contract, not a copy of the current output.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.analysis.batch import evaluate_batch
from accord.analysis.issues import classify_issues
from accord.analysis.perception import perception
from accord.analysis.pyramid import evaluate, reference_for, zone_size
from accord.analysis.report import analyze
from accord.errors import RequestError
from accord.io import load_case
from accord.model import Case
from oracles import all_packages, purchase_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_NAME = re.compile(r"[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?")


def field_keys(value: Any, names: set[str], where: str = "") -> None:
    """Every key of every nested dict is a lower-case field name — or a name from the case (party, issue,
    option), which the dicts use as keys for per-party and per-issue values."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str), where
            assert k in names or _NAME.fullmatch(k), f"{where}: key {k!r}"
            field_keys(v, names, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            field_keys(v, names, f"{where}[{i}]")


def case_names(case: Case) -> set[str]:
    return {*case.party_names, *case.issue_names, *(o for i in case.issues for o in i.options)}


@pytest.mark.parametrize("example", ["job-offer.yaml", "apartment-lease.yaml"])
def test_result_dicts_use_field_names_as_keys(example: str) -> None:
    case = load_case(EXAMPLES / example)
    names = case_names(case)
    result = analyze(case)
    d = result.to_dict()
    field_keys(d, names, "analysis")
    for key in ("potential", "issues"):
        assert key in d
    kinds = classify_issues(case, tau=0.25)
    for pair in kinds.logrolling:
        pd = pair.to_dict()
        field_keys(pd, names, "logrolling")
        assert pd["why"] == pair.why
    for flag in perception(case).flags:
        fd = flag.to_dict()
        field_keys(fd, names, "perception")
        assert fd["basis"] == flag.basis
    batch = evaluate_batch(case, all_packages(case)[:20])
    rows = batch.to_dict()["rows"] if "rows" in batch.to_dict() else [batch.row(r) for r in range(20)]
    for r, row in enumerate(rows):
        field_keys(row, names, f"batch[{r}]")
        assert row["dominates_compromise"] == bool(batch.row(r)["dominates_compromise"])


def test_batch_rejects_an_option_out_of_range_naming_every_range() -> None:
    case = purchase_case()  # 3 × 2 × 2 options: each issue k takes 0..2, 0..1, 0..1
    with pytest.raises(RequestError) as err:
        evaluate_batch(case, [[0, 0, 0], [3, 0, 0]])
    message = err.value.message
    assert "row 2" in message
    # each issue's highest index, in issue order ("0..2, 0..1, 0..1")
    tops = [int(x) for x in re.findall(r"(?:0\.\.)?(\d+)", message.rsplit(";", 1)[1])]
    assert tops == [2, 1, 1], message


def test_a_reference_for_another_case_is_refused_and_an_equal_one_accepted() -> None:
    case = purchase_case()
    ref = reference_for(case)
    twin = purchase_case()  # a distinct object describing the same game
    assert evaluate(twin, (1, 1, 1), reference=ref).level == evaluate(case, (1, 1, 1)).level
    other = Case(case.name, case.issues, case.parties, (case.preferences[1], case.preferences[0]),
                 shared_scales=case.shared_scales)
    with pytest.raises(RequestError, match="another case"):
        evaluate(other, (1, 1, 1), reference=ref)


def test_zone_counts_packages_exactly_at_the_batna() -> None:
    """The bargaining zone is u_i ≥ b_i: a package worth exactly the BATNA is in it."""
    case = purchase_case()  # both BATNAs 20
    u = case.utilities(all_packages(case))
    b = np.asarray(case.batnas)
    assert np.any(np.all(u >= b, axis=1) & np.any(u == b, axis=1)), "the case must have a package at a BATNA"
    assert zone_size(case) == int(np.all(u >= b, axis=1).sum())


@pytest.mark.parametrize("example", ["job-offer.yaml", "supplier-contract.yaml"])
def test_distance_by_nearest_neighbours_equals_the_direct_scan(example: str) -> None:
    """Distances to the frontier are found with a k-d tree (k nearest points, scanned in order) when the direct
    scan would be large; forcing the tree on a small case must give the direct scan's distances exactly."""
    import accord.analysis.pyramid as pm

    case = load_case(EXAMPLES / example)
    packages = all_packages(case)
    ref = reference_for(case)
    direct = [float(x) for x in pm.assess(ref, case.utilities(packages)).distance]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pm, "_CHUNK_CELLS", 1)
        tree = [float(x) for x in pm.assess(ref, case.utilities(packages)).distance]
    assert tree == pytest.approx(direct, abs=1e-12)
    assert any(d and d > 0 for d in direct)


def test_an_agreement_may_be_a_numpy_row() -> None:
    case = purchase_case()
    assert evaluate(case, np.array([1, 1, 1])).level == evaluate(case, (1, 1, 1)).level


def test_asking_for_an_unknown_sign_names_it() -> None:
    from accord.analysis.potential import win_win_potential

    with pytest.raises(KeyError, match="no_such_sign"):
        win_win_potential(purchase_case()).sign("no_such_sign")


def test_compatible_issue_with_one_indifferent_party_says_who() -> None:
    """y is compatible: A cares (stake 5), B does not (stake 0) — the reason names B as the indifferent one."""
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["a", "b"]},
                            {"A": {"x": [0, 10], "y": [0, 5]}, "B": {"x": [10, 0], "y": [0, 0]}})
    y = classify_issues(case).issues[1]
    assert y.kind == "compatible"
    assert "B is indifferent (stake 0)" in y.pairs[0].reason
    assert "neither" not in y.pairs[0].reason
