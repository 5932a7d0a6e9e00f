"""``accord import`` / ``accord export`` and GENIUS/GeniusWeb files as the CASE of other commands."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.cli import app, main
from accord.io import load_case
from accord.io.genius import load_scenario, read_map
from shared_data import shared_data


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``accord`` through its entry point :func:`accord.cli.main` (one-line errors, exit codes), in this
    process to keep the tests fast; :func:`test_exit_code_through_a_real_process` checks the same path in a
    real ``python -m accord`` process."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["accord", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = argv
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def test_exit_code_through_a_real_process(genius: Path) -> None:
    folder = genius / "anac/y2011/IS_BT_Acquisition"
    proc = subprocess.run([sys.executable, "-m", "accord", "import", "genius", str(folder / "IS_BT_Acquisition.xml"),
                           str(folder / "IS_BT_Acquisition_IS_20.xml"), str(folder / "IS_BT_Acquisition_BT_prof.xml")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == (f"accord: error: {folder / 'IS_BT_Acquisition_IS_20.xml'}: line 58: "
                           "<discount_factor value=\"s\">: 's' is not a number; write a number in (0, 1] "
                           "(1 = no discount)\n")


@pytest.fixture
def genius() -> Path:
    return shared_data("genius/genius-xml")


@pytest.fixture
def web() -> Path:
    return shared_data("genius/geniusweb-json")


def test_import_genius_writes_a_case_file(genius: Path, tmp_path: Path) -> None:
    laptop = genius / "anac/y2011/Laptop"
    files = [str(laptop / f) for f in ("laptop_domain.xml", "laptop_buyer_utility.xml", "laptop_seller_utility.xml")]
    out = tmp_path / "laptop.yaml"
    result = CliRunner().invoke(app, ["import", "genius", *files, "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["parties"]["laptop_buyer_utility"] == {"batna": 0.0, "discount_factor": 0.42441038}
    assert summary["packages"] == "27"
    case = load_case(out)
    direct = load_scenario(files[0], files[1:])
    everything = np.array(np.meshgrid(*[range(s) for s in direct.sizes], indexing="ij")).reshape(3, -1).T
    np.testing.assert_array_equal(case.utilities(everything), direct.utilities(everything))
    # the same content again is fine; other content is refused unless --force
    assert CliRunner().invoke(app, ["import", "genius", *files, "-o", str(out)]).exit_code == 0
    other = [files[0], files[1], str(laptop / "laptop_seller_utility10.xml")]
    before = out.read_text()
    proc = run("import", "genius", *other, "-o", str(out))
    assert proc.returncode == 2 and out.read_text() == before
    assert proc.stderr.strip() == f"accord: error: {out}: exists with other content; not overwritten (use --force " \
                                  "to replace it)"
    assert run("import", "genius", *other, "-o", str(out), "--force").returncode == 0
    assert out.read_text() != before


def test_import_without_output_prints_the_case(genius: Path) -> None:
    folder = genius / "anac/y2012/FiftyFifty"
    files = [str(folder / f) for f in ("FiftyFifty-A-domain.xml", "FiftyFifty-A-prof1.xml", "FiftyFifty-A-prof2.xml")]
    result = CliRunner().invoke(app, ["import", "genius", *files, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data["parties"]) == ["FiftyFifty-A-prof1", "FiftyFifty-A-prof2"]
    assert data["parties"]["FiftyFifty-A-prof1"] == {"batna": 0.5, "discount_factor": 0.5,
                                                     "description": "GENIUS additive profile FiftyFifty-A-prof1.xml"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (("anac/y2011/Car/adg.xml", "anac/y2011/Car/adg_deal.xml", "anac/y2011/Car/adg_deal2.xml"),
         "adg_deal.xml: line 46, column 58: not well-formed XML (invalid token)"),
        (("anac/y2011/IS_BT_Acquisition/IS_BT_Acquisition.xml",
          "anac/y2011/IS_BT_Acquisition/IS_BT_Acquisition_IS_20.xml",
          "anac/y2011/IS_BT_Acquisition/IS_BT_Acquisition_BT_prof.xml"),
         "IS_BT_Acquisition_IS_20.xml: line 58: <discount_factor value=\"s\">: 's' is not a number"),
        (("SON/son_domain.xml",), "son_domain.xml: name the profiles"),
    ],
)
def test_defective_input_exits_2_with_one_line(genius: Path, tmp_path: Path, files: tuple[str, ...],
                                               expected: str) -> None:
    out = tmp_path / "case.yaml"
    proc = run("import", "genius", *(str(genius / f) for f in files), "-o", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error: ") and expected in lines[0], proc.stderr
    assert not out.exists()


def test_comment_before_declaration_is_a_warning(genius: Path, tmp_path: Path) -> None:
    out = tmp_path / "ten.yaml"
    proc = run("import", "genius", str(genius / "anac/y2014/10issues/10issues-domain.xml"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    warnings = proc.stderr.strip().splitlines()
    assert warnings[0].startswith("accord: warning: ") and "domainrepository.xml" in warnings[0]
    assert len(warnings) == 3 and all("an XML comment comes before the XML declaration" in w for w in warnings[1:])
    assert "10,000,000,000 packages, 27 interaction terms" in " ".join(proc.stdout.split())
    assert load_case(out).party_names == ("profile-1", "profile-2")


def test_scenarios_are_a_case_argument(genius: Path, web: Path) -> None:
    son = genius / "SON"
    proc = run("validate", str(son / "son_domain.xml"), "--profile", str(son / "son_buyer.xml"),
               "--profile", str(son / "son_seller.xml"), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["packages"] == str(11**4)
    flight = web / "FlightBooking"
    proc = run("validate", str(flight / "flightbooking.json"), "--profile", str(flight / "flightbooking1.json"),
               "--profile", str(flight / "flightbooking2.json"), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["parties"] == ["flightbooking1", "flightbooking2"]
    proc = run("validate", str(flight / "flightbooking.json"))
    assert proc.returncode == 2 and "at least two profiles" in proc.stderr


def test_analyze_takes_a_genius_scenario(genius: Path) -> None:
    result = CliRunner().invoke(app, ["--help"])
    if " analyze " not in result.stdout:
        pytest.skip("accord analyze is not registered yet")
    laptop = genius / "anac/y2011/Laptop"
    proc = run("analyze", str(laptop / "laptop_domain.xml"), "--profile", str(laptop / "laptop_buyer_utility.xml"),
               "--profile", str(laptop / "laptop_seller_utility.xml"))
    assert proc.returncode == 0, proc.stderr
    assert "LaptopDomain" in proc.stdout and "laptop_seller_utility" in proc.stdout


def test_import_geniusweb(web: Path, tmp_path: Path) -> None:
    party = web / "Party"
    out = tmp_path / "party.json"
    result = CliRunner().invoke(app, ["import", "geniusweb", str(party / "party1.json"), str(party / "party2.json"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    case = load_case(out)
    assert case.name == "party" and case.party_names == ("party1", "party2")
    assert case.batnas.tolist() == pytest.approx([0.50636, 0.36638])


def test_export_genius_and_geniusweb(genius: Path, web: Path, tmp_path: Path) -> None:
    case_file = tmp_path / "job.yaml"
    case_file.write_text("""
name: Job
parties: {candidate: {batna: 100}, employer: {}}
issues: {salary: [low, high], start: [June, July]}
preferences:
  candidate: {salary: {low: 0, high: 2000}, start: {June: -100, July: 600}}
  employer: {salary: {low: 2000, high: 0}, start: {June: 600, July: 0}}
""")
    result = CliRunner().invoke(app, ["export", "genius", str(case_file), "-o", str(tmp_path / "g"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [Path(f).name for f in data["files"]] == ["Job_domain.xml", "candidate.xml", "employer.xml"]
    cand = data["maps"]["candidate"]
    assert cand["a"] == pytest.approx(1 / 2700) and cand["b"] == pytest.approx(100 / 2700)
    assert cand["reasons"] == ["negative points", "points reach 2,600, above GENIUS's 1"]
    recorded = read_map(tmp_path / "g" / "candidate.xml")
    assert recorded is not None and recorded.a == cand["a"]
    result = CliRunner().invoke(app, ["export", "geniusweb", str(case_file), "-o", str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    assert "identity" not in result.stdout.split("candidate")[1].split("\n")[0]
    assert (tmp_path / "w" / "accord-maps.json").exists()
    # a GENIUS scenario given as the CASE
    laptop = genius / "anac/y2011/Laptop"
    result = CliRunner().invoke(app, ["export", "genius", str(laptop / "laptop_domain.xml"), "--profile",
                                      str(laptop / "laptop_buyer_utility.xml"), "--profile",
                                      str(laptop / "laptop_seller_utility.xml"), "-o", str(tmp_path / "l")])
    assert result.exit_code == 0, result.output
    assert "identity: the points fit" in result.stdout
    # Laptop's weights exceed 1 and GENIUS caps: GeniusWeb cannot hold that
    proc = run("export", "geniusweb", str(laptop / "laptop_domain.xml"), "--profile",
               str(laptop / "laptop_buyer_utility.xml"), "--profile", str(laptop / "laptop_seller_utility.xml"),
               "-o", str(tmp_path / "lw"))
    assert proc.returncode == 2 and "the cap binds" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    # refusing to overwrite, before writing anything
    (tmp_path / "g" / "employer.xml").write_text("mine")
    proc = run("export", "genius", str(case_file), "-o", str(tmp_path / "g"))
    assert proc.returncode == 2 and "use --force" in proc.stderr
    assert (tmp_path / "g" / "employer.xml").read_text() == "mine"
    assert run("export", "genius", str(case_file), "-o", str(tmp_path / "g"), "--force").returncode == 0


def test_help_lists_the_sub_commands() -> None:
    result = CliRunner().invoke(app, ["import", "--help"])
    assert result.exit_code == 0 and "genius" in result.stdout and "geniusweb" in result.stdout
    result = CliRunner().invoke(app, ["export", "--help"])
    assert result.exit_code == 0 and "genius" in result.stdout and "geniusweb" in result.stdout
