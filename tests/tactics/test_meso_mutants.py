"""MESO behaviours pinned down by mutants of ``accord.tactics.meso`` that survived the mutation run (see
docs/testing.md): the default level's search order, a counterpart with no stakes at all, the seed of the
mixture hypotheses, the belief source after an update, belief files (round trip, error places) and the
documented JSON fields.

Expected values are worked out by hand in comments (or are documented field names, where the name is the
contract), never read back from the implementation.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.errors import RequestError
from accord.model import Case
from accord.tactics.meso import Belief, default_belief, default_shapes, meso_set, update_belief


# -- the default level: nearest 0.8 first --------------------------------------------------------------------
def _level_case(high: int, low: int, served_high: int = 3, served_low: int = 3) -> tuple[Case, Belief]:
    """One issue ``deal``; A's points: 100 (best, so with BATNA 0 g = points / 100), ``served_high`` options
    worth ``high``, one worth 80, ``served_low`` options worth ``low``, and 0; B's points are 100 − A's (no
    option is lose-lose). Hypothesis h likes only the h-th option at ``high`` and the h-th at ``low`` (value 1),
    so the band around g = high/100 serves ``served_high`` hypotheses with distinct packages, the band around
    low/100 serves ``served_low``, and the band around 0.8 (one package) serves one."""
    opts = ["top", *[f"hi{j}" for j in range(served_high)], "mid", *[f"lo{j}" for j in range(served_low)], "zero"]
    pa = [100, *[high] * served_high, 80, *[low] * served_low, 0]
    case = Case.from_tables("levels", {"deal": opts}, {"A": {"deal": pa}, "B": {"deal": [100 - x for x in pa]}})
    table = np.zeros((3, len(opts)))
    for h in range(3):
        if h < served_high:
            table[h, opts.index(f"hi{h}")] = 1.0
        if h < served_low:
            table[h, opts.index(f"lo{h}")] = 1.0
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues], [table],
                                ["h0", "h1", "h2"])
    return case, belief


@pytest.mark.parametrize(("high", "low", "expected"), [
    (85, 70, 0.85),  # 0.85 is 0.05 from 0.8, 0.70 is 0.10 away: the higher level is nearer
    (90, 72, 0.72),  # 0.72 is 0.08 away, 0.90 is 0.10 away: the lower level is nearer
])
def test_default_level_is_the_nearest_that_serves_every_hypothesis(high: int, low: int, expected: float) -> None:
    """With no level given, levels are tried nearest 0.8 first (docstring of ``_default_level``): of two
    levels that each serve all three hypotheses, the nearer one is used, whichever side of 0.8 it lies on."""
    case, belief = _level_case(high, low)
    s = meso_set(case, "A", belief=belief)
    assert s.level == pytest.approx(expected)
    served = {o.package["deal"] for o in s.offers}
    prefix = "hi" if expected * 100 == high else "lo"
    assert served == {f"{prefix}{h}" for h in range(3)}
    assert any(f"used g = {expected:.3g}" in n for n in s.notes)


def test_default_level_ties_in_service_go_to_the_nearest() -> None:
    """No level serves all three hypotheses: the one serving the most is used, nearest 0.8 on ties. Here 0.85
    and 0.70 each serve two (and 0.8 one), so 0.85 (0.05 away, not 0.10) is used."""
    case, belief = _level_case(85, 70, served_high=2, served_low=2)
    s = meso_set(case, "A", belief=belief)
    assert s.level == pytest.approx(0.85)
    assert {o.package["deal"] for o in s.offers} == {"hi0", "hi1"}


# -- a counterpart with no stakes ------------------------------------------------------------------------------
def test_counterpart_without_stakes_gets_equal_importance_and_a_meso_set() -> None:
    """B scores every option 0: its stakes r_k are all 0, so the importance shares r_k / Σ r_l are undefined;
    every issue then counts equally (1/2 each for two issues), every value shape is flat, and a MESO set is
    still made (a valid case must not end in a traceback)."""
    case = Case.from_tables("flat", {"x": ["0", "1"], "y": ["0", "1", "2"]},
                            {"A": {"x": [0, 1], "y": [0, 1, 2]}, "B": {"x": [0, 0], "y": [0, 0, 0]}})
    shapes, weights, _ = default_shapes(case, "A", "B")
    assert weights is not None and weights.tolist() == [0.5, 0.5]
    assert [s.tolist() for s in shapes] == [[0.0, 0.0], [0.0, 0.0, 0.0]]
    s = meso_set(case, "A")
    # every hypothesis is indifferent, so nothing is expected to be learned
    assert s.information_gain == pytest.approx(0.0, abs=1e-12)
    assert len(s.offers) >= 1


# -- the seed of the mixture hypotheses ----------------------------------------------------------------------
def _mixture_case() -> tuple[Case, Belief]:
    """Two issues of five options, A's points 0..4 on each, two hypotheses, three offers asked for: the two
    hypotheses give two candidates, so seeded random mixtures of them supply the third (docstring of
    ``meso_set``), and its ``serves`` names the mixture's weights."""
    opts = [str(i) for i in range(5)]
    case = Case.from_tables("mix", {"x": opts, "y": opts},
                            {"A": {"x": [0, 1, 2, 3, 4], "y": [0, 1, 2, 3, 4]},
                             "B": {"x": [4, 3, 2, 1, 0], "y": [4, 3, 2, 1, 0]}})
    tx = np.array([[4, 3.5, 2, 1, 0], [0, 1, 2, 2.5, 4]])
    ty = np.array([[0, 1, 1.5, 3, 4], [4, 2, 1.8, 1, 0]])
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues], [tx, ty],
                                ["x first", "y first"])
    return case, belief


def test_mixture_offers_are_reproducible_from_the_seed() -> None:
    """``seed`` seeds the mixture hypotheses: the same seed gives the same set, offer names included, and the
    seed does matter (the mixtures' weights, named in ``serves``, differ between seeds)."""
    case, belief = _mixture_case()
    names = set()
    for seed in range(4):
        first = meso_set(case, "A", belief=belief, level=0.5, count=3, seed=seed)
        again = meso_set(case, "A", belief=belief, level=0.5, count=3, seed=seed)
        assert [o.to_dict() for o in first.offers] == [o.to_dict() for o in again.offers]
        mixtures = tuple(o.serves for o in first.offers if o.serves.startswith("mixture "))
        assert mixtures  # two hypotheses give two candidates: a third offer can only come from a mixture
        names.add(mixtures)
    assert len(names) > 1


# -- the belief source after an update -----------------------------------------------------------------------
def test_updated_belief_source_keeps_what_it_was_built_from() -> None:
    """Every result says which belief it used: after a Bayes update the source still names what the belief
    was built from, and adds the number of answers."""
    case, belief = _mixture_case()
    belief = Belief.from_tables(belief.about, belief.issues, belief.options, list(belief.tables), belief.names,
                                source="the notes from Monday's call")
    s = meso_set(case, "A", belief=belief, level=0.5, count=2)
    assert s.belief_source == "the notes from Monday's call"
    after = meso_set(case, "A", belief=update_belief(s.belief, 0), level=0.5, count=2)
    assert after.belief_source.startswith("the notes from Monday's call")
    assert "1 answer" in after.belief_source and "Bayes" in after.belief_source
    default = meso_set(case, "A", level=0.5, count=2)
    after = meso_set(case, "A", belief=update_belief(default.belief, 1), level=0.5, count=2)
    assert after.belief_source.startswith(default.belief_source) and "1 answer" in after.belief_source
    assert "B" in after.belief_source  # the default belief's source names the counterpart


# -- belief files ------------------------------------------------------------------------------------------------
def test_belief_file_round_trip_keeps_source_rationality_and_history() -> None:
    """``Belief.from_dict(b.to_dict())`` gives back the same belief (docs/tactics.md, "Belief files"): its
    source, rationality λ, proposer, pending offers and history of rounds."""
    case, _ = _mixture_case()
    b = default_belief(case, "A", "B", rationality=3.5)
    b = update_belief(b, 1, [(0, 4), (4, 0)])
    b = meso_set(case, "A", belief=b, level=0.5, count=2).belief
    data = json.loads(json.dumps(b.to_dict()))
    back = Belief.from_dict(data, case)
    assert back.source == b.source and "B" in back.source
    assert back.rationality == 3.5
    assert back.proposer == "A"
    assert back.history == ((((0, 4), (4, 0)), 1),) and back.offers == b.offers
    assert back.probabilities == pytest.approx(b.probabilities)


def test_documented_json_fields() -> None:
    """The JSON field names are the contract here (docs/tactics.md: belief files are marked
    ``format: "accord-belief"``; ``--json`` carries ``choice_model`` with the λ used)."""
    case, belief = _mixture_case()
    s = meso_set(case, "A", belief=belief, level=0.5, count=2, rationality=4.0)
    assert s.belief.to_dict()["format"] == "accord-belief"
    model = s.to_dict()["choice_model"]
    assert model["rule"] == "logit" and model["rationality"] == 4.0
    assert s.belief.to_dict()["choice_model"]["rationality"] == 4.0


@pytest.mark.parametrize(("data", "place", "message"), [
    ({"about": "B", "proposer": 7, "hypotheses": [{"scores": {}}]}, "proposer", "party name"),
    ({"about": "B", "hypotheses": [{"scores": {"x": 5}}]}, "hypotheses[0].scores.x", r"\{option: value\}"),
    ({"about": "B", "hypotheses": [{"scores": {}}],
      "history": [{"offers": [{"x": "0", "y": "4"}, {"x": "9", "y": "0"}], "chosen": 0}]},
     "history[0].offers[1]", "'9'"),
])
def test_belief_file_errors_name_their_place(data: dict[str, object], place: str, message: str) -> None:
    """A mistake in a belief file is a RequestError naming the key path where it is (``Belief.from_dict``
    docstring) — the path of the bad value in the data, as the user wrote it."""
    case, _ = _mixture_case()
    with pytest.raises(RequestError, match=message) as err:
        Belief.from_dict(data, case)
    assert err.value.place == place
    assert str(err.value).startswith(place + ":")
