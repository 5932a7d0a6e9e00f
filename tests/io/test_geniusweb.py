"""GeniusWeb JSON import and export, checked against a direct reading of the JSON with the stated formulas."""

from __future__ import annotations

import copy
import itertools
import json
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.errors import FormatError, RequestError
from accord.io._xml import FormatWarning
from accord.io.geniusweb import MAPS_FILE, export_geniusweb, geniusweb_maps, load_geniusweb, read_maps
from accord.model import Case, Interaction, Preferences
from shared_data import shared_data

SCENARIOS = {
    "Fitness": ("fitness.json", "fitness1.json", "fitness2.json"),
    "FlightBooking": ("flightbooking.json", "flightbooking1.json", "flightbooking2.json"),
    "JapnTrip": ("japantrip.json", "japantrip1.json", "japantrip2.json"),
    "Party": ("party.json", "party1.json", "party2.json"),
}


def oracle(profile: dict[str, Any], bid: dict[str, Any]) -> float:
    """U(bid) = Σ w_i · u_i(bid_i), as GeniusWeb computes a linear additive utility (missing issue: 0)."""
    space = profile["LinearAdditiveUtilitySpace"]
    total = 0.0
    for issue, w in space["issueWeights"].items():
        if issue not in bid:
            continue
        spec = space["issueUtilities"][issue]
        if "discreteutils" in spec:
            u = spec["discreteutils"]["valueUtilities"][bid[issue]]
        else:
            n = spec["numberutils"]
            x = float(bid[issue])
            if x < n["lowValue"] or x > n["highValue"]:
                u = 0.0
            else:
                u = n["lowUtility"] + (n["highUtility"] - n["lowUtility"]) * (x - n["lowValue"]) / (
                    n["highValue"] - n["lowValue"])
        total += float(w) * u
    return total


def _bid(case: Case, package: Any) -> dict[str, Any]:
    return {i.name: (i.values[int(o)] if i.type == "real" and i.values else i.options[int(o)])
            for i, o in zip(case.issues, package, strict=True)}


@pytest.fixture
def web_root() -> Path:
    return shared_data("genius/geniusweb-json")


@pytest.mark.parametrize("folder", sorted(SCENARIOS))
def test_shared_scenarios_match_the_formulas(web_root: Path, folder: str) -> None:
    domain, *profiles = (web_root / folder / f for f in SCENARIOS[folder])
    case = load_geniusweb(domain, profiles)
    same = load_geniusweb(None, profiles)  # the domain embedded in the profiles
    everything = np.array(list(itertools.product(*[range(s) for s in case.sizes])))
    np.testing.assert_array_equal(same.utilities(everything), case.utilities(everything))
    assert case.name == json.loads(domain.read_text())["name"]
    assert case.party_names == tuple(p.stem for p in profiles)
    got = case.utilities(everything)
    for i, p in enumerate(profiles):
        data = json.loads(p.read_text())
        want = [oracle(data, _bid(case, pkg)) for pkg in everything]
        np.testing.assert_allclose(got[:, i], want, rtol=0, atol=1e-12)
        reservation = data["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"]
        assert case.batnas[i] == pytest.approx(oracle(data, reservation), abs=1e-12)
        assert case.parties[i].batna_package == tuple(reservation.items())
        assert case.preferences[i].cap is None  # GeniusWeb has no cap
        assert case.parties[i].discount_factor is None


NUMBER_DOMAIN = {"name": "rent", "issuesValues": {
    "price": {"range": {"low": 0, "high": 100, "step": 1}},
    "pets": {"values": ["no", "yes"]},
}}


def _number_profile(name: str, low: float, high: float, reservation: dict[str, Any] | None) -> dict[str, Any]:
    space: dict[str, Any] = {
        "name": name,
        "issueUtilities": {
            "price": {"numberutils": {"lowValue": low, "lowUtility": 0.2, "highValue": high, "highUtility": 1.0}},
            "pets": {"discreteutils": {"valueUtilities": {"no": 0.0, "yes": 1.0}}},
        },
        "issueWeights": {"price": 0.75, "pets": 0.25},
        "domain": copy.deepcopy(NUMBER_DOMAIN),
    }
    if reservation is not None:
        space["reservationBid"] = {"issuevalues": reservation}
    return {"LinearAdditiveUtilitySpace": space}


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def test_hand_made_numberutils(tmp_path: Path) -> None:
    d = _write(tmp_path / "rent.json", NUMBER_DOMAIN)
    a = _write(tmp_path / "tenant.json", _number_profile("tenant", 10, 90, {"price": 25, "pets": "yes"}))
    b = _write(tmp_path / "owner.json", _number_profile("owner", 0, 100, {"price": 50, "pets": "no"}))
    case = load_geniusweb(d, [a, b])
    price = case.issues[0]
    assert price.type == "real" and price.grid == 11 and price.values == tuple(float(x) for x in range(0, 101, 10))
    assert "step 1" in price.description
    # tenant: 0.2 at 10 rising to 1 at 90, 0 outside [10, 90]; weight 0.75
    want = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.0]
    assert case.scores[0][0].tolist() == pytest.approx([0.75 * u for u in want])
    # 25 is not on the grid: the BATNA is the bid's utility in points, not a package
    assert case.parties[0].batna_package is None
    assert case.batnas[0] == pytest.approx(0.75 * (0.2 + 0.8 * 15 / 80) + 0.25)
    # 50 is on the grid: a package BATNA
    assert case.parties[1].batna_package == (("price", "50"), ("pets", "no"))
    assert case.batnas[1] == pytest.approx(0.75 * 0.6)
    everything = np.array(list(itertools.product(*[range(s) for s in case.sizes])))
    for i, p in enumerate((a, b)):
        data = json.loads(p.read_text())
        np.testing.assert_allclose(case.utilities(everything)[:, i],
                                   [oracle(data, _bid(case, pkg)) for pkg in everything], atol=1e-12)
    # the grid is the user's: 101 points give every value the range's step allows
    fine = load_geniusweb(d, [a, b], grid=101)
    assert fine.issues[0].size == 101 and fine.issues[0].values[25] == 25.0
    assert fine.parties[0].batna_package == (("price", "25"), ("pets", "yes"))
    assert fine.batnas[0] == pytest.approx(case.batnas[0])


def test_profiles_without_a_reservation_bid_have_batna_zero(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _number_profile("a", 0, 100, None))
    b = _write(tmp_path / "b.json", _number_profile("b", 0, 100, {"pets": "yes"}))  # a partial bid
    case = load_geniusweb(None, [a, b])
    assert case.batnas.tolist() == [0.0, 0.25]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s["issueWeights"].pop("pets"), "no weight for issue 'pets'"),
        (lambda s: s["issueUtilities"]["pets"]["discreteutils"]["valueUtilities"].pop("yes"),
         "no utility for value 'yes'"),
        (lambda s: s["issueUtilities"]["pets"]["discreteutils"]["valueUtilities"].update(maybe=0.5),
         "has no value 'maybe'"),
        (lambda s: s["issueUtilities"].update(price={"discreteutils": {"valueUtilities": {}}}),
         "discreteutils on number issue 'price'"),
        (lambda s: s["issueUtilities"]["price"]["numberutils"].update(lowValue="cheap"), "'cheap' is not a number"),
        (lambda s: s["reservationBid"]["issuevalues"].update(pets="cats"), "has no value 'cats'"),
        (lambda s: s["domain"]["issuesValues"]["pets"].update(values=["no", "yes", "fish"]),
         "other values for issue 'pets'"),
    ],
)
def test_bad_profiles(tmp_path: Path, change: Any, expected: str) -> None:
    d = _write(tmp_path / "rent.json", NUMBER_DOMAIN)
    good = _write(tmp_path / "good.json", _number_profile("g", 0, 100, None))
    data = _number_profile("bad", 0, 100, {"price": 50, "pets": "no"})
    change(data["LinearAdditiveUtilitySpace"])
    bad = _write(tmp_path / "bad.json", data)
    with pytest.raises(FormatError) as err:
        load_geniusweb(d, [good, bad])
    msg = str(err.value)
    assert expected in msg and "\n" not in msg and msg.startswith(str(bad)) and ": line " in msg


def test_malformed_json_and_warnings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "name": "x",\n  "issuesValues": {,}\n}\n')
    with pytest.raises(FormatError, match=r"bad.json: line 3, column 20: not valid JSON"):
        load_geniusweb(bad, [])
    data = _number_profile("a", 0, 100, None)
    data["LinearAdditiveUtilitySpace"]["issueWeights"]["pets"] = 0.5
    a = _write(tmp_path / "a.json", data)
    with pytest.warns(FormatWarning, match="sum to 1.25, not 1"):
        case = load_geniusweb(None, [a, a])
    assert case.party_names == ("a", "a_2")
    with pytest.raises(RequestError, match="at least two profiles"):
        load_geniusweb(None, [a])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)
        with pytest.raises(FormatError, match="no such file"):
            load_geniusweb(None, [a, tmp_path / "missing.json"])


def _assert_mapped(case: Case, back: Case, maps: dict[str, Any]) -> None:
    everything = np.array(list(itertools.product(*[range(s) for s in case.sizes])))
    a = np.array([maps[p].a for p in case.party_names])
    b = np.array([maps[p].b for p in case.party_names])
    np.testing.assert_allclose(back.utilities(everything), a * case.utilities(everything) + b, rtol=0, atol=1e-12)


def test_round_trip_of_shared_scenarios(web_root: Path, tmp_path: Path) -> None:
    for folder, (domain, *profiles) in SCENARIOS.items():
        case = load_geniusweb(web_root / folder / domain, [web_root / folder / p for p in profiles])
        out = tmp_path / folder
        paths = export_geniusweb(case, out)
        back = load_geniusweb(paths[0], paths[1:-1])
        maps = read_maps(out)
        assert all(m.a == 1.0 and m.b == 0.0 for m in maps.values())  # GeniusWeb points fit GeniusWeb
        _assert_mapped(case, back, maps)
        assert [p.batna_package for p in back.parties] == [p.batna_package for p in case.parties]
        for p in paths[1:-1]:  # weights sum to exactly 1 as decimals, value utilities in [0, 1]
            text = p.read_text()
            space = json.loads(text, parse_float=Decimal)["LinearAdditiveUtilitySpace"]
            assert sum(space["issueWeights"].values()) == Decimal(1)
            for spec in space["issueUtilities"].values():
                assert all(0 <= u <= 1 for u in spec["discreteutils"]["valueUtilities"].values())


def test_round_trip_maps_points_and_keeps_number_issues(tmp_path: Path) -> None:
    from accord.io import parse_case

    case = parse_case("""
name: Rent
parties:
  tenant: {batna: {package: {price: 40, pets: yes}}}
  owner: {batna: 100}
issues:
  price: {min: 0, max: 80, grid: 5}
  pets: [no, yes]
preferences:
  tenant:
    price: {linear: {at_min: 1000, at_max: 0}}
    pets: {no: -200, yes: 300}
  owner:
    price: {0: 0, 20: 100, 40: 150, 60: 180, 80: 200}
    pets: {no: 50, yes: 0}
""")
    maps = geniusweb_maps(case)
    assert maps["tenant"].a == pytest.approx(1 / 1500) and maps["tenant"].b == pytest.approx(200 / 1500)
    with pytest.warns(FormatWarning, match="BATNA of 100 points is not written"):
        paths = export_geniusweb(case, tmp_path)
    domain = json.loads(paths[0].read_text())
    # the owner's price points are not linear: price is written as discrete values
    assert domain["issuesValues"]["price"] == {"values": ["0", "20", "40", "60", "80"]}
    back = load_geniusweb(paths[0], paths[1:3], grid=5)
    _assert_mapped(case, back, read_maps(tmp_path))
    assert back.parties[0].batna_package == (("price", "40"), ("pets", "yes"))
    # both linear: a number range with numberutils, read back on the same grid
    linear = case.replace_preferences("owner", Preferences(((0.0, 50.0, 100.0, 150.0, 200.0), (50.0, 0.0))))
    out = tmp_path / "linear"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)
        paths = export_geniusweb(linear, out)
    domain = json.loads(paths[0].read_text())
    assert domain["issuesValues"]["price"] == {"range": {"low": 0.0, "high": 80.0, "step": 20.0}}
    assert "numberutils" in paths[1].read_text()
    back = load_geniusweb(paths[0], paths[1:3], grid=5)
    assert back.issues[0].type == "real"
    _assert_mapped(linear, back, read_maps(out))
    assert json.loads((out / MAPS_FILE).read_text())["tenant"]["a"] == pytest.approx(1 / 1500)


def test_export_refuses_what_geniusweb_cannot_hold(tmp_path: Path) -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["u", "v"]},
                            {"A": {"a": [0, 0.7], "b": [0, 0.7]}, "B": {"a": [1, 0], "b": [0, 0]}})
    capped = case.replace_preferences("A", Preferences(case.preferences[0].scores, (), 1.0))
    with pytest.raises(RequestError, match="the cap binds"):
        export_geniusweb(capped, tmp_path)
    term = Interaction(((0, frozenset({1})), (1, frozenset({1}))), 0.1)
    inter = case.replace_preferences("B", Preferences(case.preferences[1].scores, (term,)))
    with pytest.raises(RequestError, match="interaction terms"):
        export_geniusweb(inter, tmp_path)
    assert not any(tmp_path.iterdir())  # nothing half-written
    export_geniusweb(case, tmp_path)
    with pytest.raises(RequestError, match="use --force"):
        export_geniusweb(case.replace_preferences("B", case.preferences[0]), tmp_path)
