"""The project stands on its own (issue 8 §3): definitions in docs/concepts.md, README examples that run from a
fresh clone with the files the repository ships, clear skips when community data is missing, one number format,
and a demo that tells the user how to run Accord in their own shell."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

import shared_data
from accord.cli import app
from accord.errors import AccordError

ROOT = Path(__file__).resolve().parent.parent
TEXT_FILES = [*ROOT.glob("src/accord/**/*.py"), *ROOT.glob("src/accord/**/*.j2"), *ROOT.glob("docs/*.md"),
              ROOT / "README.md", *ROOT.glob("tests/**/*.py"), *ROOT.glob("examples/**/*.md")]


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_no_pointer_to_a_file_users_cannot_open() -> None:
    me = Path(__file__).resolve()
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in TEXT_FILES if p.resolve() != me
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"DOMAIN(\.md| §)", line)]
    assert not offenders, f"point to docs/concepts.md instead: {offenders[:10]}"


def test_every_concepts_anchor_exists() -> None:
    concepts = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    anchors = {_slug(h) for h in re.findall(r"^#{1,4} (.+)$", concepts, re.M)}
    for needed in ("kinds-of-issue", "scales-and-normalised-gains", "frontier-and-ties", "bargaining-zone",
                   "agreement-rules", "solution-points", "the-pyramid", "mesos", "contingency-contracts",
                   "post-settlement-settlement", "negotiation-protocols-and-negotiators"):
        assert needed in anchors
    missing = []
    for p in TEXT_FILES:
        text = p.read_text(encoding="utf-8")
        for ref in re.findall(r"concepts\.md(#[\w\-]+(?:, #[\w\-]+)*)", text):
            missing += [f"{p.relative_to(ROOT)}: {a}" for a in re.findall(r"#([\w\-]+)", ref) if a not in anchors]
    assert not missing, missing
    assert "better than compromise" in concepts  # one name for pyramid level 2


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, re.S)
    commands = []
    for block in blocks:
        lines = block.splitlines()
        for n, line in enumerate(lines):
            if line.startswith("$ uv run accord "):
                cmd = line[len("$ uv run accord "):]
                while cmd.endswith("\\") and n + 1 < len(lines):  # a command continued on the next line
                    n += 1
                    cmd = cmd[:-1] + " " + lines[n].strip()
                commands.append(cmd)
    return commands


#: Files the README uses that are community data, downloaded by the user as the README says.
COMMUNITY = {"val.txt"}
#: Commands that serve or simulate at length: their files are checked above, they are not run here.
LONG_RUNNING = {"serve", "tournament", "experiment"}
#: Options whose value is a file the command writes.
OUTPUTS = {"-o", "--output", "--report", "--per-row", "--per-line", "--plotly-js", "--save-belief"}


def test_readme_examples_use_only_files_a_fresh_clone_has() -> None:
    commands = _readme_commands()
    assert len(commands) >= 10
    written: set[str] = set()
    missing = []
    for cmd in commands:
        words = shlex.split(cmd.split(" | ")[0].split(" > ")[0], comments=True)
        for before, word in zip(["", *words], words, strict=False):
            if before in OUTPUTS:
                written.add(word.rstrip("/"))
                continue
            is_file = re.search(r"\.(ya?ml|xml|json|csv|txt)$", word) and not word.startswith("-")
            exists = any(ROOT.glob(word)) if "*" in word else (ROOT / word).exists()
            if is_file and word not in COMMUNITY and word not in written and not exists:
                missing.append(f"{word} (in: accord {cmd[:60]}...)")
        if " > " in cmd:
            written.add(cmd.split(" > ")[1].split()[0])
    assert not missing, missing


def test_readme_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every README command that needs no community data exits as the README says (0, or 2 for the typo)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    ran = 0
    for cmd in _readme_commands():
        words = shlex.split(cmd.split(" | ")[0].split(" > ")[0], comments=True)
        if COMMUNITY & set(words) or "class-results.csv" in words or words[0] in LONG_RUNNING:
            continue
        words = [w for word in words for w in (sorted(str(p) for p in Path().glob(word)) if "*" in word else [word])]
        result = runner.invoke(app, words, env={"COLUMNS": "100"})
        if "typo" in cmd:  # the README's deliberate mistake: a user error (exit code 2 from accord's main)
            assert isinstance(result.exception, AccordError), f"accord {cmd}\n{result.output[-600:]}"
        else:
            assert result.exit_code == 0, f"accord {cmd}\n{result.output[-600:]}\n{result.exception!r}"
        ran += 1
    assert ran >= 10


def test_missing_community_data_skips_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared_data, "DATA", tmp_path / "nowhere")
    with pytest.raises(pytest.skip.Exception) as skipped:
        shared_data.shared_data("dealornodeal/val.txt")
    message = str(skipped.value)
    assert "../shared/data/dealornodeal/val.txt" in message and "end-to-end-negotiator" in message
    (tmp_path / "here" / "genius").mkdir(parents=True)
    monkeypatch.setattr(shared_data, "DATA", tmp_path / "here")
    assert shared_data.shared_data("genius") == tmp_path / "here" / "genius"


def test_tests_reach_shared_data_only_through_the_skipping_helpers() -> None:
    """A test that opens ../shared/data directly would fail, not skip, in a fresh clone."""
    allowed = {"shared_data.py", "conftest.py", "test_standalone.py"}
    offenders = []
    for p in ROOT.glob("tests/**/*.py"):
        if p.name in allowed:
            continue
        text = p.read_text(encoding="utf-8")
        if re.search(r'"shared"\s*/\s*"data"|["\']\.\./shared/data', text) and "pytest.skip" not in text:
            offenders.append(str(p.relative_to(ROOT)))
    assert not offenders, offenders


def test_bundled_genius_scenarios_import() -> None:
    runner = CliRunner()
    for name, parties in (("job-offer", ("candidate", "employer")), ("apartment-lease", ("tenant", "landlord"))):
        folder = ROOT / "examples" / "genius" / name
        domain = folder / f"{name}_domain.xml"
        args = ["validate", str(domain), *[x for p in parties for x in ("--profile", str(folder / f"{p}.xml"))]]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output


def test_numbers_are_written_alike() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["frontier", str(ROOT / "examples" / "job-offer.yaml")], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "9,600" in result.output and "9600" not in result.output
    assert not re.search(r"(?<![\w.])-0(?![\d.,])", result.output)


def test_demo_tells_how_to_run_accord_in_your_own_shell() -> None:
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert 'export PATH="\\$HOME/.local/bin:\\$PATH"' in demo and "uv run accord" in demo.split("HOW")[1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'export PATH="$HOME/.local/bin:$PATH"' in readme


def test_bundled_genius_files_are_what_the_exporter_writes_today(tmp_path: Path) -> None:
    """examples/genius/ is generated: re-exporting the YAML examples gives the same files (else re-export)."""
    runner = CliRunner()
    for name in ("job-offer", "apartment-lease"):
        result = runner.invoke(app, ["export", "genius", str(ROOT / "examples" / f"{name}.yaml"), "-o",
                                     str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        fresh = {("domain" if p.name.endswith("_domain.xml") else p.name): p.read_text(encoding="utf-8")
                 for p in (tmp_path / name).glob("*.xml")}
        shipped = {("domain" if p.name.endswith("_domain.xml") else p.name): p.read_text(encoding="utf-8")
                   for p in (ROOT / "examples" / "genius" / name).glob("*.xml")}
        assert fresh == shipped, f"re-export examples/{name}.yaml into examples/genius/{name}/"


def _numbers(obj: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(obj, dict):
        return [x for k, v in obj.items() for x in _numbers(v, f"{path}.{k}")]
    if isinstance(obj, list):
        return [x for n, v in enumerate(obj) for x in _numbers(v, f"{path}[{n}]")]
    return [(path, obj)] if isinstance(obj, int | float) and not isinstance(obj, bool) else []


@pytest.mark.parametrize("args", [
    ["analyze", "examples/joint-venture.yaml"],
    ["analyze", "examples/job-offer.yaml"],
    ["frontier", "examples/supplier-contract.yaml"],
    ["evaluate", "examples/job-offer.yaml", "--agreement",
     "salary=84k,signing_bonus=none,start_date=1 April,remote_days=2,training_budget=1.5k,vacation_days=27"],
])
def test_counts_are_integers_in_json_and_no_minus_zero(args: list[str]) -> None:
    import json

    result = CliRunner().invoke(app, [args[0], str(ROOT / args[1]), *args[2:], "--json"])
    assert result.exit_code == 0, result.output
    values = _numbers(json.loads(result.stdout))
    assert values
    counts = [(p, v) for p, v in values if re.search(r"(count|size|tied_points|tied_packages)$", p.rsplit(".", 1)[-1])]
    assert counts and all(isinstance(v, int) for _, v in counts), [c for c in counts if not isinstance(c[1], int)]
    text = CliRunner().invoke(app, [args[0], str(ROOT / args[1]), *args[2:]], env={"COLUMNS": "120"}).output
    assert not re.search(r"(?<![\w.\-])-0(?![\d.,])", text), "a -0 in the text output"
