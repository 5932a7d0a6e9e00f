"""GENIUS integer evaluators against the formula, with the clip at both ends pinned.

GENIUS evaluates an integer issue as e(v) = clip(offset + slope · (v − lowerbound), 0, 1) with the *profile's*
lowerbound; the importer must give weight · e(v) for every integer of the domain's range. The formula is
written out here with plain floats; the ``@example``s sit exactly on the clip: values whose line is below 0,
exactly 0, exactly 1 and above 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.io.genius import load_scenario

DOMAIN = """<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="Deal" type="objective">
  <issue index="1" name="count" vtype="integer" lowerbound="{lo}" upperbound="{hi}"/>
  <issue index="2" name="colour" etype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="Deal" type="objective">
  <weight index="1" value="{w}"/><weight index="2" value="{w2}"/>
  <issue index="1" name="count" type="integer" lowerbound="{lb}" upperbound="{hi}">
    <evaluator ftype="linear" offset="{offset}" slope="{slope}"/></issue>
  <issue index="2" name="colour" type="discrete">
    <item index="1" value="red" evaluation="1"/><item index="2" value="blue" evaluation="2"/></issue>
</objective>
</utility_space>
"""


def genius_integer(offset: float, slope: float, lb: int, v: int) -> float:
    """GENIUS's integer evaluation, literally."""
    e = offset + slope * (v - lb)
    return min(1.0, max(0.0, e))


@given(lo=st.integers(-3, 3), width=st.integers(0, 5), shift=st.integers(-2, 2),
       offset=st.sampled_from([-0.5, -0.25, 0.0, 0.2, 0.5, 1.0, 1.25]),
       slope=st.sampled_from([-0.5, -0.25, 0.0, 0.25, 0.5]), w=st.sampled_from([0.25, 0.5, 1.0]))
# line −0.5 + 0.5 (v − 0) on 0..4: −0.5 (clipped up), 0 (exactly the lower end), 0.5, 1 (exactly the upper end),
# 1.5 (clipped down)
@example(lo=0, width=4, shift=0, offset=-0.5, slope=0.5, w=1.0)
# falling line 1.25 − 0.25 (v + 1) on −1..5: 1.25 and 1 at the top, 0 and −0.25 at the bottom
@example(lo=-1, width=6, shift=0, offset=1.25, slope=-0.25, w=0.5)
# the profile's lowerbound 2 above the domain's 0: values below it extrapolate (and clip) from the profile's origin
@example(lo=0, width=4, shift=2, offset=0.2, slope=0.5, w=0.5)
@settings(max_examples=40)
def test_integer_evaluation_is_the_clipped_line(tmp_path_factory: pytest.TempPathFactory, lo: int, width: int,
                                                 shift: int, offset: float, slope: float, w: float) -> None:
    hi = lo + width
    lb = lo + shift
    d: Path = tmp_path_factory.mktemp("genius")
    (d / "domain.xml").write_text(DOMAIN.format(lo=lo, hi=hi), encoding="utf-8")
    (d / "a.xml").write_text(PROFILE.format(w=w, w2=1 - w, lb=lb, hi=hi, offset=offset, slope=slope),
                             encoding="utf-8")
    (d / "b.xml").write_text(PROFILE.format(w=0.5, w2=0.5, lb=lo, hi=hi, offset=0.0, slope=0.1), encoding="utf-8")
    case = load_scenario(d / "domain.xml", [d / "a.xml", d / "b.xml"])
    k = case.issue_names.index("count")
    assert case.issues[k].size == width + 1
    want = [w * genius_integer(offset, slope, lb, v) for v in range(lo, hi + 1)]
    assert case.preferences[0].table(k).tolist() == pytest.approx(want, abs=1e-12)
