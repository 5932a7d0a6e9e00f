"""GENIUS XML import and export.

The oracle below re-reads every file with ElementTree and evaluates bids with the formulas of
``../shared/data/genius/README.md`` written out directly; the importer must agree with it on sampled bids of
every well-formed scenario of the shared data.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import FormatError, RequestError
from accord.io import load_case, parse_case
from accord.io._xml import FormatWarning
from accord.io.genius import (
    default_profiles,
    discover,
    export_genius,
    genius_maps,
    load_scenario,
    read_domain,
    read_map,
    read_profile,
)
from accord.model import Case, Interaction, Issue, Party, Preferences
from shared_data import shared_data

DEFECTIVE = {
    "anac/y2011/Car/adg_deal.xml": ("line 46", "not well-formed"),
    "anac/y2011/IS_BT_Acquisition/IS_BT_Acquisition_IS_20.xml": ("line 58", "discount_factor", "'s'"),
}


# ---------------------------------------------------------------------------------------------------------
# an independent reading of the README's formulas
# ---------------------------------------------------------------------------------------------------------
def _root(path: Path) -> ET.Element:
    text = path.read_text(encoding="utf-8")
    start = text.find("<?xml")
    if start > 0:  # a comment before the declaration (the 2014 profiles): skip to the declaration
        text = text[start:]
    return ET.fromstring(text.encode("utf-8"))


def _space(root: ET.Element) -> ET.Element:
    return root if root.tag == "utility_space" else next(root.iter("utility_space"))


def _type(issue: ET.Element) -> str:
    for attr in ("type", "vtype", "etype"):
        if issue.get(attr) in ("discrete", "integer", "real"):
            return str(issue.get(attr))
    raise AssertionError(issue.attrib)


class Oracle:
    """Evaluate bids {issue name: value} of one profile as the README states GENIUS does."""

    def __init__(self, domain_file: Path, profile_file: Path) -> None:
        dom = _space(_root(domain_file))
        self.index_of = {i.get("name"): i.get("index") for i in dom.iter("issue")}
        self.kind = {i.get("index"): _type(i) for i in dom.iter("issue")}
        space = _space(_root(profile_file))
        self.nonlinear = space.get("type") == "nonlinear"
        res = space.find(".//reservation")
        self.reservation = float(res.get("value", "0")) if res is not None else 0.0
        disc = space.find(".//discount_factor")
        d = float(disc.get("value", "1")) if disc is not None else None
        self.discount = None if d is None else (d if 0 < d <= 1 else 1.0)
        self.issues = {i.get("index"): i for i in space.iter("issue")}
        self.weights = {w.get("index"): float(w.get("value", "nan")) for w in space.iter("weight")}
        self.space = space

    def evaluation(self, index: str, value: Any) -> float:
        issue = self.issues[index]
        kind = self.kind[index]
        if kind == "discrete":
            evals = {item.get("value"): float(item.get("evaluation", "nan")) for item in issue.findall("item")}
            top = max(evals.values())
            return 0.0 if top < 1e-5 else evals[value] / top
        ev = issue.find("evaluator")
        assert ev is not None
        if kind == "integer":
            lb = float(issue.get("lowerbound", "nan"))
            e = float(ev.get("offset", "nan")) + float(ev.get("slope", "nan")) * (value - lb)
            return min(1.0, max(0.0, e))
        p = [float(ev.get(f"parameter{i}", "nan")) for i in range(3)]
        if ev.get("ftype") == "linear":
            return min(1.0, max(0.0, p[0] + p[1] * value))
        if ev.get("ftype") == "constant":
            return p[0]
        lower, upper, top = p
        if value == top:
            return 1.0
        if lower < value < top:
            return (value - lower) / (top - lower)
        if top < value < upper:
            return (upper - value) / (upper - top)
        return 0.0

    def utility(self, bid: dict[str, Any]) -> float:
        by_index = {self.index_of[name]: v for name, v in bid.items()}
        if not self.nonlinear:
            return min(1.0, sum(self.weights[k] * self.evaluation(k, by_index[k]) for k in by_index))
        utility = next(self.space.iter("utility"))
        m = float(utility.get("maxutility", "nan"))

        def ufun_sum(ufun: ET.Element, outer: float) -> float:
            # a nested ufun's weight multiplies its parent's (our reading; the shared data never nests)
            w = outer * float(ufun.get("weight", "1"))
            total = 0.0
            for rect in ufun.findall("hyperRectangle"):
                inside = all(float(b.get("min")) <= by_index[b.get("index")] <= float(b.get("max"))
                             for b in rect.findall("INCLUDES"))
                inside &= not any(float(b.get("min")) <= by_index[b.get("index")] <= float(b.get("max"))
                                  for b in rect.findall("EXCLUDES"))
                if inside:
                    total += float(rect.get("utility")) * w / m
            return total + sum(ufun_sum(inner, w) for inner in ufun.findall("ufun"))

        return min(1.0, sum(ufun_sum(u, 1.0) for u in utility.findall("ufun")))


# ---------------------------------------------------------------------------------------------------------
# pairing the shared data's domains with their profiles (written independently of accord.io.genius.discover)
# ---------------------------------------------------------------------------------------------------------
def _xml_files(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.glob("*.xml")):
        if p.name != "domainrepository.xml" and p.read_bytes().lstrip().startswith(b"<"):
            out.append(p)
    return out


def _is_profile_text(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return "evaluation=" in text or "<weight" in text or "hyperRectangle" in text


def _issue_names(path: Path) -> set[tuple[str, str]]:
    return {(str(i.get("index")), str(i.get("name"))) for i in _space(_root(path)).iter("issue")}


def scenarios(genius_root: Path) -> list[tuple[Path, list[Path]]]:
    """Every (domain, well-formed profiles) pair of the shared data."""
    out = []
    for folder in sorted({p.parent for p in genius_root.rglob("*.xml")}):
        files = _xml_files(folder)
        domains = [p for p in files if not _is_profile_text(p)]
        for d in domains:
            sig = _issue_names(d)
            twins = [x for x in domains if _issue_names(x) == sig]
            prefix = re.sub(r"[-_]?domain$", "", d.stem)
            profiles = []
            for p in files:
                if p in domains or str(p.relative_to(genius_root)) in DEFECTIVE:
                    continue
                if _issue_names(p) != sig or (len(twins) > 1 and not p.stem.startswith(prefix)):
                    continue
                profiles.append(p)
            out.append((d, profiles))
    return out


def _bid(case: Case, package: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for issue, o in zip(case.issues, package, strict=True):
        if issue.type in ("integer", "real"):
            assert issue.values is not None
            out[issue.name] = issue.values[int(o)]
        else:
            out[issue.name] = issue.options[int(o)]
    return out


def _sample(case: Case, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, s, n) for s in case.sizes], axis=1)


@pytest.fixture
def genius_root() -> Path:
    return shared_data("genius/genius-xml")


# ---------------------------------------------------------------------------------------------------------
# the shared data
# ---------------------------------------------------------------------------------------------------------
def test_every_well_formed_scenario_matches_the_readme_formulas(genius_root: Path) -> None:
    found = scenarios(genius_root)
    assert len(found) == 22  # every domain file of the shared data
    checked = 0
    for domain, profiles in found:
        assert len(profiles) >= 2, domain
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FormatWarning)
            case = load_scenario(domain, profiles)
        assert case.party_names == tuple(p.stem for p in profiles)
        assert "genius:" in case.source and str(domain) in case.source
        for issue in case.issues:
            if issue.type == "real":  # the grid: 11 evenly spaced points, ends included
                assert issue.values == pytest.approx(np.linspace(issue.low, issue.high, 11).tolist(), abs=1e-12)
        packages = _sample(case, 60)
        got = case.utilities(packages)
        for i, profile in enumerate(profiles):
            oracle = Oracle(domain, profile)
            want = [oracle.utility(_bid(case, pkg)) for pkg in packages]
            np.testing.assert_allclose(got[:, i], want, rtol=0, atol=1e-12, err_msg=str(profile))
            assert case.batnas[i] == pytest.approx(oracle.reservation, abs=0)
            assert case.parties[i].discount_factor == oracle.discount
            assert case.preferences[i].cap == 1.0
            checked += 1
    assert checked == 98  # every well-formed profile file of the shared data, once


def test_discover_pairs_like_the_test_does(genius_root: Path) -> None:
    ours = {(d, tuple(p)) for d, p in scenarios(genius_root)}
    theirs = set()
    defective = set()
    for folder in sorted({p.parent for p in genius_root.rglob("*.xml")}):
        for s in discover(folder):
            theirs.add((s.domain, s.profiles))
            defective.update(str(path.relative_to(genius_root)) for path, _ in s.defective)
    assert ours == theirs
    assert defective == set(DEFECTIVE)


def test_repository_pairs_are_the_default(genius_root: Path) -> None:
    laptop = genius_root / "anac/y2011/Laptop/laptop_domain.xml"
    pair = default_profiles(laptop)
    assert pair is not None and [p.name for p in pair] == ["laptop_buyer_utility.xml", "laptop_seller_utility.xml"]
    with pytest.warns(FormatWarning, match="domainrepository.xml"):
        case = load_scenario(laptop, [])
    assert case.party_names == ("laptop_buyer_utility", "laptop_seller_utility")
    assert default_profiles(genius_root / "SON/son_domain.xml") is None
    assert default_profiles(genius_root / "6issues/6issues.xml") is None


def test_a_folder_of_many_profiles_needs_named_profiles(genius_root: Path) -> None:
    with pytest.raises(RequestError) as err:
        load_scenario(genius_root / "SON/son_domain.xml", [])
    msg = str(err.value)
    assert "\n" not in msg and "name the profiles" in msg and "26 profiles" in msg and "son_buyer.xml" in msg
    # a folder that holds one domain stands for it
    son = genius_root / "SON"
    case = load_scenario(son, [son / "son_buyer.xml", son / "son_seller.xml"])
    assert case.party_names == ("son_buyer", "son_seller")
    with pytest.raises(RequestError, match="3 domains"):
        load_scenario(genius_root / "anac/y2012/Barter", [])


def test_known_values(genius_root: Path) -> None:
    laptop = genius_root / "anac/y2011/Laptop"
    case = load_scenario(laptop / "laptop_domain.xml",
                         [laptop / "laptop_buyer_utility.xml", laptop / "laptop_seller_utility.xml"])
    # Laptop's weights sum to 1.0000518: GENIUS does not renormalise, the best bid reaches the cap of 1
    assert sum(case.preferences[0].max_additive() for _ in [0]) == pytest.approx(1.0000518, abs=1e-7)
    best = case.package({"Laptop": "HP", "Harddisk": "60 Gb", "External Monitor": "19'' LCD"})
    assert case.utilities([best])[0, 0] == 1.0
    assert case.parties[0].discount_factor == pytest.approx(0.42441038)
    # SON's issue indices start at 2; its profiles have no reservation: BATNA 0
    son = genius_root / "SON"
    d = read_domain(son / "son_domain.xml")
    assert d.keys == ("2", "3", "4", "5") and [i.type for i in d.issues] == ["real"] * 4
    case = load_scenario(son / "son_domain.xml", [son / "son_buyer.xml", son / "son_center_11.xml"], grid=5)
    assert case.issues[1].options == ("0", "0.25", "0.5", "0.75", "1")
    assert case.batnas.tolist() == [0.0, 0.6]
    # center_11: Quality is triangular (lower 0, upper 1, top 0.5), weight 0.25
    assert case.scores[1][1].tolist() == pytest.approx([0.0, 0.125, 0.25, 0.125, 0.0])
    # KillerRobot: integer issue Guns, 1..10, offset 0.1 + slope 0.1 · (v − 1), weight 0.134...
    kr = genius_root / "ANAC2015/group9-killer_robot"
    case = load_scenario(kr / "KillerRobot.xml", [kr / "KillerRobot_util3.xml", kr / "KillerRobot_util1.xml"])
    guns = case.scores[case.issue_index("Guns")][0]
    assert guns.tolist() == pytest.approx([0.13418712777366715 * 0.1 * v for v in range(1, 11)])


def test_the_2014_nonlinear_scenario(genius_root: Path) -> None:
    folder = genius_root / "anac/y2014/10issues"
    with pytest.warns(FormatWarning, match=r"profile-[12].xml: line 3: an XML comment comes before the XML decl"):
        case = load_scenario(folder / "10issues-domain.xml", [folder / "profile-1.xml", folder / "profile-2.xml"])
    assert case.space_size == 10**10
    assert all(p.cap == 1.0 for p in case.preferences)
    # 20 rectangles each; those bounded on one issue are additive and go to the point tables
    assert [len(p.interactions) for p in case.preferences] == [15, 12]
    assert all(len(t.conditions) >= 2 for p in case.preferences for t in p.interactions)
    # the best frontier point for profile-2 in pareto.xml has utility 1.0 for it: 885/885
    assert case.preferences[1].max_additive() + sum(t.points for t in case.preferences[1].interactions) >= 1.0


# ---------------------------------------------------------------------------------------------------------
# defective files
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rel", sorted(DEFECTIVE))
def test_defective_files_give_one_clear_line(genius_root: Path, rel: str) -> None:
    path = genius_root / rel
    domain = next(p for p in path.parent.glob("*.xml") if not _is_profile_text(p))
    other = next(p for p in sorted(path.parent.glob("*.xml")) if _is_profile_text(p) and p != path)
    with pytest.raises(FormatError) as err:
        load_scenario(domain, [path, other])
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(path))
    for part in DEFECTIVE[rel]:
        assert part in msg


def test_not_well_formed_message_explains_the_defect(genius_root: Path) -> None:
    with pytest.raises(FormatError) as err:
        read_domain(genius_root / "anac/y2011/Car/adg_deal.xml")
    assert "line 46, column 58" in str(err.value)
    assert "two attributes with no space between them" in str(err.value)


# ---------------------------------------------------------------------------------------------------------
# hand-made files: every rule of the README
# ---------------------------------------------------------------------------------------------------------
DOMAIN = """<negotiation_template><utility_space number_of_issues="4">
<objective index="0" name="Shop" type="objective">
  <issue index="7" name="colour" etype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
  <issue index="8" name="count" vtype="integer" lowerbound="0" upperbound="4"/>
  <issue index="9" name="price" type="real"><range lowerbound="0" upperbound="10"/></issue>
  <issue index="10" name="speed" type="real"><range lowerbound="0" upperbound="1"/></issue>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="Shop" type="objective">
  <weight index="7" value="{w1}"/><weight index="8" value="0.5"/><weight index="9" value="0.25"/>
  <weight index="10" value="0.25"/>
  <issue index="7" name="colour" type="discrete">
    <item index="1" value="red" evaluation="{red}" cost="3"/><item index="2" value="blue" evaluation="{blue}"/>
    <similarity_function><criteria_function><item value="unspecified" evaluation="9"/></criteria_function>
    </similarity_function>
  </issue>
  <issue index="8" name="count" type="integer" lowerbound="{lb}" upperbound="4">
    <evaluator ftype="linear" offset="0.2" slope="0.5"/></issue>
  <issue index="9" name="price" type="real"><evaluator ftype="linear" parameter0="1.5" parameter1="-0.25"/></issue>
  <issue index="10" name="speed" type="real"><evaluator ftype="{ftype}" parameter0="0.2" parameter1="0.8"
    parameter2="0.4"/></issue>
</objective>
{tail}
</utility_space>
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _pair(tmp_path: Path, **kw: Any) -> Case:
    fields = {"w1": "0.25", "red": "30", "blue": "10", "lb": "0", "ftype": "triangular", "tail": ""} | kw
    d = _write(tmp_path, "shop.xml", DOMAIN)
    a = _write(tmp_path, "a.xml", PROFILE.format(**fields))
    b = _write(tmp_path, "b.xml", PROFILE.format(**(fields | {"red": "1", "blue": "2"})))
    return load_scenario(d, [a, b], grid=6)


def test_hand_made_profile_follows_every_rule(tmp_path: Path) -> None:
    case = _pair(tmp_path, lb="2", tail='<reservation value="0.3"/><discount_factor value="1.7"/>')
    assert case.issue_names == ("colour", "count", "price", "speed")
    a = case.preferences[0]
    # discrete: evaluation / max
    assert a.table(0).tolist() == pytest.approx([0.25, 0.25 / 3])
    # integer: clip(0.2 + 0.5 (v − 2), 0, 1) with the PROFILE's lowerbound 2, weight 0.5
    assert a.table(1).tolist() == pytest.approx([0.0, 0.0, 0.1, 0.35, 0.5])
    # real linear: clip(1.5 − 0.25 x, 0, 1) on 0, 2, ..., 10, weight 0.25
    assert a.table(2).tolist() == pytest.approx([0.25, 0.25, 0.125, 0.0, 0.0, 0.0])
    # real triangular: lower 0.2, upper 0.8, top 0.4, on 0, 0.2, ..., 1
    assert a.table(3).tolist() == pytest.approx([0.0, 0.0, 0.25, 0.125, 0.0, 0.0])
    assert case.batnas.tolist() == [0.3, 0.3]
    assert case.parties[0].discount_factor == 1.0  # > 1 means 1


def test_weights_are_not_renormalised_and_the_total_is_capped(tmp_path: Path) -> None:
    case = _pair(tmp_path, w1="0.75", ftype="constant")
    a = case.preferences[0]
    assert a.cap == 1.0 and a.max_additive() > 1.0
    assert a.table(3).tolist() == pytest.approx([0.05] * 6)  # constant parameter0 × weight
    best = case.package({"colour": "red", "count": "4", "price": "0", "speed": "0"})
    assert case.utilities([best])[0, 0] == 1.0


def test_tiny_discrete_maximum_gives_zero_and_defaults(tmp_path: Path) -> None:
    case = _pair(tmp_path, red="0.000001", blue="0.000002", tail='<discount_factor value="0"/>')
    assert case.preferences[0].table(0).tolist() == [0.0, 0.0]
    assert case.batnas.tolist() == [0.0, 0.0]  # no reservation: 0
    assert case.parties[0].discount_factor == 1.0  # ≤ 0 means 1
    case = _pair(tmp_path)
    assert case.parties[0].discount_factor is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace('<weight index="8" value="0.5"/>', ""), "no <weight> for issue 'count'"),
        (lambda t: t.replace('value="blue" evaluation', 'value="green" evaluation'), "no value 'green'"),
        (lambda t: t.replace('ftype="triangular"', 'ftype="wavy"'), "ftype='wavy'"),
        (lambda t: t.replace('evaluation="30"', 'evaluation="lots"'), "'lots' is not a number"),
        (lambda t: t.replace('index="9" name="price"', 'index="19" name="price"'), "index 19) is not in the domain"),
        (lambda t: t.replace("<weight index=\"10\"", "<weight index=\"10\" value=\"1\"/><weight index=\"10\""),
         "two weights"),
        (lambda t: t.replace("</objective>", ""), "not well-formed XML"),
    ],
)
def test_bad_profiles(tmp_path: Path, change: Any, expected: str) -> None:
    d = _write(tmp_path, "shop.xml", DOMAIN)
    text = PROFILE.format(w1="0.25", red="30", blue="10", lb="0", ftype="triangular", tail="")
    bad = _write(tmp_path, "bad.xml", change(text))
    with pytest.raises(FormatError) as err:
        read_profile(bad, read_domain(d))
    msg = str(err.value)
    assert expected in msg and "\n" not in msg and msg.startswith(str(bad)) and re.search(r": line \d+", msg)


def test_bad_domains(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        read_domain(tmp_path / "missing.xml")
    bad = _write(tmp_path, "d.xml", DOMAIN.replace('upperbound="4"', 'upperbound="four"'))
    with pytest.raises(FormatError, match=r"line 4: <issue upperbound=\"four\">: 'four' is not a number"):
        read_domain(bad)
    twice = _write(tmp_path, "t.xml", DOMAIN.replace('value="blue"', 'value="red"'))
    with pytest.raises(FormatError, match="lists the value 'red' twice"):
        read_domain(twice)
    with pytest.raises(RequestError, match="at least two profiles"):
        load_scenario(_write(tmp_path, "shop.xml", DOMAIN), [tmp_path / "x.xml"])


NONLINEAR = """<!-- a comment first, as in 2014 -->
<?xml version="1.0" encoding="utf-8" ?>
<utility_space type="nonlinear"><objective index="0" name="root">
  <issue index="1" name="x" type="integer" lowerbound="0" upperbound="4"/>
  <issue index="2" name="y" type="integer" lowerbound="0" upperbound="4"/>
  <utility maxutility="10"><ufun aggregation="sum" weight="0.5">
    <hyperRectangle utility="8"><INCLUDES index="1" min="1" max="3"/><INCLUDES index="2" min="2" max="4"/>
      <EXCLUDES index="1" min="2" max="2"/></hyperRectangle>
    <hyperRectangle utility="4"><INCLUDES index="2" min="0" max="1"/></hyperRectangle>
    <hyperRectangle utility="6"/>
    <hyperRectangle utility="5"><INCLUDES index="1" min="7" max="9"/><INCLUDES index="2" min="0" max="4"/>
    </hyperRectangle>
    <ufun aggregation="sum" weight="4"><hyperRectangle utility="1"><INCLUDES index="1" min="0" max="0"/>
      <INCLUDES index="2" min="0" max="0"/></hyperRectangle></ufun>
  </ufun></utility>
</objective></utility_space>
"""


def test_hand_made_nonlinear_profile(tmp_path: Path) -> None:
    d = _write(tmp_path, "d.xml", NONLINEAR.split("\n", 2)[2].replace('type="nonlinear"', ""))
    p = _write(tmp_path, "p.xml", NONLINEAR)
    with pytest.warns(FormatWarning, match="line 2: an XML comment comes before the XML declaration"):
        case = load_scenario(d, [p, p])
    assert case.party_names == ("p", "p_2")
    oracle = Oracle(d, p)
    packages = np.array(list(itertools.product(range(5), range(5))))
    want = [oracle.utility({"x": int(a), "y": int(b)}) for a, b in packages]
    np.testing.assert_allclose(case.utilities(packages)[:, 0], want, atol=1e-12)
    prefs = case.preferences[0]
    # x in {1, 3} (2 excluded) and y in {2, 3, 4}: 8 · 0.5 / 10; the nested ufun multiplies weights
    assert {(t.conditions, round(t.points, 12)) for t in prefs.interactions} == {
        (((0, frozenset({1, 3})), (1, frozenset({2, 3, 4}))), 0.4),
        (((0, frozenset({0})), (1, frozenset({0}))), 0.2),
    }
    # the single-issue rectangle and the unbounded one are additive: 0.2 on y ≤ 1, 0.3 everywhere (on x);
    # the rectangle on x in 7..9 holds no bid and is dropped
    assert prefs.table(1).tolist() == pytest.approx([0.2, 0.2, 0.0, 0.0, 0.0])
    assert prefs.table(0).tolist() == pytest.approx([0.3] * 5)


def test_nonlinear_profile_errors(tmp_path: Path) -> None:
    d = _write(tmp_path, "d.xml", NONLINEAR.split("\n", 2)[2].replace('type="nonlinear"', ""))
    for old, new, expected in [
        ('aggregation="sum" weight="0.5"', 'aggregation="max"', "aggregation=\"max\"> is not supported"),
        ('maxutility="10"', 'maxutility="0"', "maxutility must be positive"),
        ('<INCLUDES index="1" min="1"', '<INCLUDES index="5" min="1"', "names no issue"),
    ]:
        p = _write(tmp_path, "p.xml", NONLINEAR.split("\n", 1)[1].replace(old, new, 1))
        with pytest.raises(FormatError, match=re.escape(expected)):
            read_profile(p, read_domain(d))


# ---------------------------------------------------------------------------------------------------------
# export → import
# ---------------------------------------------------------------------------------------------------------
def _round_trip(case: Case, folder: Path, grid: int = 11) -> tuple[Case, list[Any]]:
    paths = export_genius(case, folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FormatWarning)  # our own files need no repair
        back = load_scenario(paths[0], paths[1:], grid=grid)
    maps = [read_map(p) for p in paths[1:]]
    assert all(m is not None for m in maps)
    assert [m.a for m in maps if m] == [m.a for m in genius_maps(case).values()]
    return back, maps


def _assert_mapped(case: Case, back: Case, maps: list[Any], packages: np.ndarray) -> None:
    u, v = case.utilities(packages), back.utilities(packages)
    a = np.array([m.a for m in maps])
    b = np.array([m.b for m in maps])
    assert np.all(a > 0)
    scale = np.maximum(1.0, np.abs(a * u + b))
    assert np.max(np.abs(v - (a * u + b)) / scale) < 1e-9
    assert np.max(np.abs(back.batnas - (a * case.batnas + b))) < 1e-9
    assert back.party_names == case.party_names


def test_round_trip_of_every_shared_scenario(genius_root: Path, tmp_path: Path) -> None:
    for n, (domain, profiles) in enumerate(scenarios(genius_root)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FormatWarning)
            case = load_scenario(domain, profiles)
        back, maps = _round_trip(case, tmp_path / str(n))
        assert all(m.a == 1.0 and m.b == 0.0 for m in maps), domain  # GENIUS points always fit GENIUS
        assert [p.discount_factor for p in back.parties] == [p.discount_factor for p in case.parties]
        _assert_mapped(case, back, maps, _sample(case, 300, seed=n))


def test_round_trip_maps_points_genius_cannot_hold(tmp_path: Path) -> None:
    case = parse_case("""
name: Job offer
parties:
  candidate: {batna: 1200, discount_factor: 0.9}
  employer: {batna: {package: {salary: 90k, start: June, days: 2, price: 0.5}}}
issues:
  salary: [90k, 100k]
  start: [June, August]
  days: {min: 0, max: 3}
  price: {min: 0, max: 1, grid: 5}
preferences:
  candidate:
    salary: {90k: 0, 100k: 2000}
    start: {June: -400, August: 600}
    days: {linear: {at_min: 0, at_max: 300}}
    price: {linear: {at_min: 0, at_max: 100}}
  employer:
    salary: {90k: 2000, 100k: 0}
    start: {June: 1600, August: 0}
    days: {linear: {at_min: 10, at_max: -20}}
    price: {linear: {at_min: 50, at_max: 0}}
""")
    back, maps = _round_trip(case, tmp_path / "additive", grid=5)
    # linear points keep integer and real issues (with GENIUS's linear evaluators)
    assert [back.issues[k].type for k in range(4)] == ["categorical", "categorical", "integer", "real"]
    assert maps[0] is not None and maps[0].a == pytest.approx(1 / 3400) and maps[0].b == pytest.approx(400 / 3400)
    assert genius_maps(case)["candidate"].reasons == ("negative points", "points reach 3,000, above GENIUS's 1")
    assert back.parties[0].discount_factor == 0.9
    everything = np.array(list(itertools.product(*[range(s) for s in case.sizes])))
    _assert_mapped(case, back, maps, everything)
    # with an interaction term every profile becomes a non-linear hyper-rectangle profile
    prefs = case.preferences[1]
    term = Interaction(((0, frozenset({1})), (3, frozenset({0, 1, 4}))), -300.0)
    nl = case.replace_preferences("employer", Preferences(prefs.scores, (term,), 3000.0))
    back, maps = _round_trip(nl, tmp_path / "nonlinear", grid=5)
    text = (tmp_path / "nonlinear" / "employer.xml").read_text()
    assert 'type="nonlinear"' in text and "accord-map" in text
    _assert_mapped(nl, back, maps, everything)
    # a point table that is not linear makes the issue discrete
    tri = case.replace_preferences("employer", Preferences((*prefs.scores[:3], (0.0, 0.5, 1.0, 0.5, 0.0)), (), None))
    back, maps = _round_trip(tri, tmp_path / "triangle", grid=5)
    assert back.issues[3].type == "categorical" and back.issues[3].options == case.issues[3].options
    _assert_mapped(tri, back, maps, everything)


def test_export_refuses_to_overwrite(tmp_path: Path) -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    export_genius(case, tmp_path)
    export_genius(case, tmp_path)  # the same content: nothing to refuse
    other = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 0.5]}, "B": {"a": [1, 0]}})
    before = (tmp_path / "A.xml").read_text()
    with pytest.raises(RequestError, match="use --force"):
        export_genius(other, tmp_path)
    assert (tmp_path / "A.xml").read_text() == before
    export_genius(other, tmp_path, force=True)
    assert (tmp_path / "A.xml").read_text() != before


def test_imported_case_survives_the_case_file(genius_root: Path, tmp_path: Path) -> None:
    import yaml

    folder = genius_root / "anac/y2014/10issues"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)
        case = load_scenario(folder / "10issues-domain.xml", [folder / "profile-1.xml", folder / "profile-2.xml"])
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case.to_dict(), sort_keys=False, allow_unicode=True))
    back = load_case(path)
    packages = _sample(case, 500)
    np.testing.assert_array_equal(back.utilities(packages), case.utilities(packages))


# ---------------------------------------------------------------------------------------------------------
# property: random cases round-trip through GENIUS files
# ---------------------------------------------------------------------------------------------------------
@st.composite
def small_cases(draw: st.DrawFn) -> Case:
    n_issues = draw(st.integers(1, 3))
    issues = []
    for k in range(n_issues):
        kind = draw(st.sampled_from(["categorical", "integer", "real"]))
        if kind == "categorical":
            issues.append(Issue.categorical(f"i{k}", [f"o{j}" for j in range(draw(st.integers(1, 4)))]))
        elif kind == "integer":
            lo = draw(st.integers(-3, 3))
            issues.append(Issue.integer_range(f"i{k}", lo, lo + draw(st.integers(0, 3))))
        else:
            issues.append(Issue.real_interval(f"i{k}", 0.0, draw(st.sampled_from([1.0, 5.0])), grid=4))
    points = st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 3))
    prefs, parties = [], []
    for p in range(draw(st.integers(2, 3))):
        scores = []
        for issue in issues:
            if issue.values is not None and draw(st.booleans()):  # a linear value function
                s0, s1 = draw(points), draw(points)
                span = (issue.values[-1] - issue.values[0]) or 1.0
                scores.append(tuple(s0 + (s1 - s0) * (v - issue.values[0]) / span for v in issue.values))
            else:
                scores.append(tuple(draw(points) for _ in issue.options))
        terms = ()
        if n_issues >= 2 and draw(st.booleans()):
            conds = tuple((k, frozenset(draw(st.sets(st.integers(0, issues[k].size - 1), min_size=1))))
                          for k in range(2))
            terms = (Interaction(conds, draw(points)),)
        cap = draw(st.one_of(st.none(), points.map(abs)))
        prefs.append(Preferences(tuple(scores), terms, cap))
        parties.append(Party(f"P{p}", batna=draw(points), discount_factor=draw(st.sampled_from([None, 0.5]))))
    return Case("random", tuple(issues), tuple(parties), tuple(prefs))


@given(small_cases())
def test_random_cases_round_trip(case: Case) -> None:
    import tempfile

    try:
        maps = genius_maps(case)
    except RequestError as err:  # a cap at or below every package's points: nothing to write
        assert "remove or raise the cap" in str(err)
        return
    assert all(m.a > 0 and math.isfinite(m.b) for m in maps.values())
    with tempfile.TemporaryDirectory() as d:
        back, got = _round_trip(case, Path(d), grid=4)
    everything = np.array(list(itertools.product(*[range(s) for s in case.sizes])))
    _assert_mapped(case, back, got, everything)
    assert all(p.cap == 1.0 for p in back.preferences)  # GENIUS always caps at 1
