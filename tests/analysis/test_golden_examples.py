"""Golden tests: the numbers behind every label of the bundled examples, worked out by hand.

Each expected number below was computed by hand from the point tables in ``examples/*.yaml`` (the working is in
the comments), following docs/concepts.md (kinds of issue to solution points): stakes r = max − min points, shares π =
r / Σ r, the complementarity
spread of s_i + s_j (shared scales) or e_i + e_j, and the compromise package of docs/concepts.md#the-pyramid. If an
example file
changes, these tests say exactly which number moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis.report import Analysis, analyze
from accord.io import load_case

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def run(name: str) -> Analysis:
    path = EXAMPLES / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not there yet")
    return analyze(load_case(path))


def test_job_offer() -> None:
    a = run("job-offer")
    kinds = a.issues
    assert kinds.kinds == {"salary": "distributive", "signing_bonus": "integrative", "start_date": "integrative",
                           "remote_days": "integrative", "training_budget": "compatible",
                           "vacation_days": "distributive"}
    # Stakes (max − min points). Candidate: 4000 + 1200 + 600 + 2400 + 600 + 800 = 9600 in all;
    # employer: 4000 + 500 + 2400 + 800 + 500 + 800 = 9000.
    stakes = {i.name: (i.stakes["candidate"], i.stakes["employer"]) for i in kinds}
    assert stakes == {"salary": (4000, 4000), "signing_bonus": (1200, 500), "start_date": (600, 2400),
                      "remote_days": (2400, 800), "training_budget": (600, 500), "vacation_days": (800, 800)}
    assert kinds["remote_days"].shares == pytest.approx({"candidate": 2400 / 9600, "employer": 800 / 9000})
    # Salary: equal stakes (gap 0 ≤ 0.1·4000) and s_c + s_e = 4000 on every option (spread 0 ≤ 400).
    salary = kinds["salary"].pairs[0]
    assert (salary.importance_gap, salary.importance_limit, salary.spread) == (0, 400, 0)
    assert kinds["salary"].joint_values == (4000,) * 5
    # Signing bonus: gap |1200 − 500| = 700 > 120; joint values none 0+500, 5k 600+250, 10k 1200+0.
    bonus = kinds["signing_bonus"]
    assert bonus.pairs[0].importance_gap == 700 and bonus.pairs[0].importance_limit == pytest.approx(120)
    assert bonus.joint_values == (500, 850, 1200) and bonus.joint_spread == 700
    # Start date: 600 vs 2400 (gap 1800 > 240); joint values March..June 2400, 1800, 1200, 600.
    assert kinds["start_date"].joint_values == (2400, 1800, 1200, 600)
    assert "employer cares more" in kinds["start_date"].why
    # Remote days: 0..3 days → 0+800, 1000+650, 1800+400, 2400+0.
    assert kinds["remote_days"].joint_values == (800, 1650, 2200, 2400)
    # Training: both do best with 3k; joint values 0, 300+400, 600+500.
    training = kinds["training_budget"]
    assert training.pairs[0].common_best == ("3k",) and training.joint_values == (0, 700, 1100)
    # Vacation: 800 vs 800, joint value 800 on every option.
    assert kinds["vacation_days"].joint_values == (800, 800, 800)
    # Logrolling: of the C(5, 2) = 10 pairs of opposed issues only salary/vacation has equal ratios (5 = 5).
    assert kinds.logrolling_count == 9
    # Compromise: 84k, 5k, 1 April (tie with 1 May at min e = 1/3, earlier wins), 2 days (min e 0.5),
    # 3k, 27 days → candidate 2000+600+200+1800+600+400 = 5600, employer 2000+250+1600+400+500+400 = 5150.
    assert kinds.reference == {"salary": "84k", "signing_bonus": "5k", "start_date": "1 April", "remote_days": "2",
                               "training_budget": "3k", "vacation_days": "27"}
    assert a.potential.even_split_utilities == {"candidate": 5600, "employer": 5150}
    assert a.potential.even_split_value == 10750
    # Best trade: bonus 5k → 10k (candidate +600, employer −250), start 1 April → 1 March (−200, +800).
    best = kinds.logrolling[0]
    assert best.issues == ("signing_bonus", "start_date")
    assert best.changes == {"candidate": 400, "employer": 550} and best.joint_gain == 950 and best.both_gain
    # The pie: 4000 + 1200 + 2400 + 2400 + 1100 + 800 = 11900.
    assert a.potential.max_joint_value == 11900
    # Nash: 84k, 10k, 1 March, 3 days, 3k, 25 days → candidate 6200, employer 5700; surplus 2000 and 2100.
    nash = a.bargaining.solutions["nash"]
    assert nash.utilities.tolist() == [6200, 5700]
    assert nash.shares.tolist() == pytest.approx([2000 / 4100, 2100 / 4100])
    # Perception: Maya believes the employer prefers no training budget (500 points for none).
    flags = [(f.issue, f.flag, f.believed_best, f.true_best) for f in a.perception.flags]
    assert flags == [("training_budget", "illusory_conflict", ("none",), ("3k",))]


def test_apartment_lease() -> None:
    a = run("apartment-lease")
    kinds = a.issues
    assert kinds.kinds == {"rent": "distributive", "lease_length": "compatible", "deposit": "integrative",
                           "pets": "integrative", "move_in": "integrative"}
    # Tenant's BATNA is a package: 1450 (600) + 12 months (0) + 3 months (0) + cat (900) + 1 April (400).
    assert a.bargaining.batnas.tolist() == [1900, 1000]
    # Rent: 1200 vs 1200, joint 1200 everywhere.
    assert kinds["rent"].joint_values == (1200,) * 5
    # Deposit: 600 vs 900 (gap 300 > 90); joint 600+0, 300+500, 0+900.
    deposit = kinds["deposit"].pairs[0]
    assert (deposit.stakes, deposit.importance_gap) == ((600, 900), 300)
    assert kinds["deposit"].joint_values == (600, 800, 900)
    # Pets: 900 vs 100; joint 0+100, 900+0.
    assert kinds["pets"].joint_values == (100, 900)
    # Move-in: 400 vs 300 (gap 100 > 40); joint 300, 350, 400.
    assert kinds["move_in"].joint_values == (300, 350, 400)
    # Both prefer 36 months; joint 0, 700, 1300.
    assert kinds["lease_length"].joint_values == (0, 700, 1300)
    # Pie: 1200 + 1300 + 900 + 900 + 400 = 4700. Compromise: 1450, 36 months, 2 months, no pets, 15 March →
    # tenant 600+500+300+0+200 = 1600, landlord 600+800+500+100+150 = 2150.
    assert a.potential.max_joint_value == 4700
    assert a.potential.even_split_utilities == {"tenant": 1600, "landlord": 2150}
    # The tenant believes the landlord wants a 12-month lease (illusory conflict) and weighs the deposit
    # like the tenant does (600 vs 600) when it weighs it 900 (fixed pie).
    flags = {(f.issue, f.flag): (f.holder_importance, f.believed_importance, f.true_importance)
             for f in a.perception.flags}
    assert flags == {("lease_length", "illusory_conflict"): (500, 800, 800),
                     ("deposit", "fixed_pie"): (600, 600, 900)}


def test_item_split() -> None:
    a = run("item-split")
    kinds = a.issues
    assert kinds.kinds == {"books": "integrative", "hats": "integrative", "balls": "compatible"}
    # Alice: 2 per book, 4 per hat, 0 per ball; Bob: 1, 1, 3. Stakes: books 6 vs 3, hats 4 vs 1, balls 0 vs 6.
    assert {i.name: (i.stakes["alice"], i.stakes["bob"]) for i in kinds} == {
        "books": (6, 3), "hats": (4, 1), "balls": (0, 6)}
    # Joint values by books Alice receives 0..3: 0+3, 2+2, 4+1, 6+0.
    assert kinds["books"].joint_values == (3, 4, 5, 6)
    assert "alice is indifferent (stake 0)" in kinds["balls"].why
    # One logrolling pair: Bob weighs books 3/1 = 3× hats, Alice only 6/4 = 1.5×. From the compromise (1 book,
    # no hat, no ball for Alice) Bob's books option (0 for Alice: Alice −2, Bob +1) with the hat for Alice
    # (+4, −1) gives Alice +2 and Bob 0 — Bob gains nothing, so it is no trade (it used to be listed as one,
    # joint +2). No other move of books and hats pays both, and no package deal does either.
    assert kinds.logrolling_count == 1
    trade = kinds.logrolling[0]
    assert trade.ratios == pytest.approx((1.5, 3.0))
    assert trade.gets == {"books": ("bob", "0"), "hats": ("alice", "1")}
    assert not trade.both_gain and trade.changes == {"alice": 0, "bob": 0} and trade.joint_gain == 0
    assert a.trades.trades == () and a.trades.package_deal is None
    assert "no two-issue trade leaves alice and bob strictly better off" in a.trades.message
    # Pie 6 + 4 + 6 = 16; the compromise gives Alice 2, Bob 2 + 1 + 6 = 9.
    assert (a.potential.max_joint_value, a.potential.even_split_value) == (16, 11)


def test_software_licence() -> None:
    a = run("software-licence")
    kinds = a.issues
    assert kinds.kinds == {"upfront_fee": "distributive", "term_years": "compatible", "exclusivity": "integrative",
                           "support": "integrative", "source_escrow": "integrative"}
    # Own scales: shares. Vendor stakes 400 + 90 + 200 + 90 + 10 = 790; licensee 400 + 60 + 150 + 100 + 70 = 780.
    fee = kinds["upfront_fee"].pairs[0]
    assert fee.shares == pytest.approx((400 / 790, 400 / 780))
    assert fee.importance_gap == pytest.approx(400 / 780 - 400 / 790)
    assert fee.importance_limit == pytest.approx(0.1 * 400 / 780) and fee.spread == pytest.approx(0)
    # Escrow: e sums are 1 on both options (perfectly opposed), but 10/790 vs 70/780 of the stakes.
    escrow = kinds["source_escrow"].pairs[0]
    assert escrow.spread == pytest.approx(0) and escrow.shares == pytest.approx((10 / 790, 70 / 780))
    assert not escrow.equal_importance
    # Support: vendor points (90, 70, 0), licensee (0, 60, 100); separate scales, so the joint value is what each
    # option adds to Σ g, g = (u − b) / (u_max − b): vendor 590 − 150 = 440, licensee 780 − 180 = 600.
    assert (a.bargaining.ideal.tolist(), a.bargaining.batnas.tolist()) == ([590, 780], [150, 180])
    assert kinds["support"].joint_values == pytest.approx((90 / 440, 70 / 440 + 60 / 600, 100 / 600))
    assert kinds["support"].joint_scale == "normalised gains"
    assert a.frontier.grid == "real issues analysed on a grid: upfront_fee on 9 points"


def test_supplier_contract() -> None:
    a = run("supplier-contract")
    kinds = a.issues
    assert kinds.kinds == {"unit_price": "distributive", "committed_volume": "integrative",
                           "lead_time": "integrative", "payment_terms": "integrative", "warranty": "integrative"}
    # Weights × value functions × scale 100. Buyer: price 40, volume 15·(1 − 0.2) = 12 (triangular peak 6 on
    # 2..10 gives 0.2..1), lead time 15, payment 10, warranty 20 → 97. Supplier: 40, 30, 10, 15,
    # 5·(1 − 0.6) = 2 → 97.
    expected = {"unit_price": (40, 40), "committed_volume": (12, 30), "lead_time": (15, 10),
                "payment_terms": (10, 15), "warranty": (20, 2)}
    for name, (buyer, supplier) in expected.items():
        assert (kinds[name].stakes["buyer"], kinds[name].stakes["supplier"]) == pytest.approx((buyer, supplier))
    assert kinds["unit_price"].shares == pytest.approx({"buyer": 40 / 97, "supplier": 40 / 97})
    # Payment terms: e buyer (0, 0.6, 1), supplier (1, 0.5, 0) → sums 1, 1.1, 1: spread 0.1, exactly τ
    # (complementary), but shares 10/97 vs 15/97 differ by more than τ·max → integrative.
    pay = kinds["payment_terms"].pairs[0]
    assert pay.spread == pytest.approx(0.1) and pay.complementary and not pay.equal_importance
    # Warranty: buyer points (0, 14, 20), supplier (2, 1.25, 0); joint value on the Σ g scale, with spans
    # buyer 105 − 45 = 60 and supplier 108 − 35 = 73.
    assert (a.bargaining.ideal.tolist(), a.bargaining.batnas.tolist()) == ([105, 108], [45, 35])
    assert kinds["warranty"].joint_values == pytest.approx((2 / 73, 14 / 60 + 1.25 / 73, 20 / 60))
    assert any("interaction" in n for n in a.notes)


def test_three_party_joint_venture() -> None:
    a = run("joint-venture")
    kinds = a.issues
    # Stakes: developer 25 + 15 + 15 + 6 + 15 = 76, cooperative 35 + 15 + 5 + 25 + 10 = 90,
    # port 15 + 20 + 25 + 20 + 20 = 100.
    assert kinds["equity_split"].stakes == {"developer": 25, "cooperative": 35, "port": 15}
    assert kinds["equity_split"].shares == pytest.approx({"developer": 25 / 76, "cooperative": 35 / 90,
                                                          "port": 15 / 100})
    assert kinds["equity_split"].kind == "integrative"
    # Operator: developer vs port have equal shares (15/76 = 0.197 vs 0.2, gap 0.0026 ≤ 0.02) and
    # e sums 1 + 0, 0 + 1, 1/3 + 0.6 → spread 0.067 ≤ 0.1: distributive for that pair; integrative otherwise.
    op = kinds["operator"]
    assert op.kind == "mixed"
    assert {pk.parties: pk.kind for pk in op.pairs} == {("developer", "cooperative"): "integrative",
                                                       ("developer", "port"): "distributive",
                                                       ("cooperative", "port"): "integrative"}
    dp = op.pair("port", "developer")
    assert dp.importance_gap == pytest.approx(0.2 - 15 / 76) and dp.spread == pytest.approx(1 - (1 / 3 + 0.6))
    # Land lease: developer and cooperative both want 2 EUR/m² → compatible for that pair.
    assert kinds["land_lease"].pair("developer", "cooperative").common_best == ("2 EUR/m²",)
    assert a.case.n_parties == 3 and not a.case.shared_scales
    assert a.bargaining.batnas.tolist() == [45, 20, 30]
