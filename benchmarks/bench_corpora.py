"""Speed of corpus evaluation: CaSiNo end to end, and a generated JSONL corpus of 10^5 records over 100 cases.

Run it with ``uv run python benchmarks/bench_corpora.py`` (``--data DIR`` for another copy of the shared data,
``--records N`` / ``--cases N`` for another JSONL size). Targets (issue 10): ``accord corpus casino`` on the
train split (900 dialogues) in ≤ 1 s including start-up; 10^5 JSONL records over 100 cases in ≤ 10 s. Each
timing is printed with baselines measured in the same run:

- start-up: ``accord --help`` as a subprocess (what any command pays before it starts working);
- CaSiNo: the same dialogues evaluated one call at a time with :func:`accord.evaluate` and a fresh frontier
  per dialogue (what a script calling the library naively does), in process;
- JSONL: 1,000 of the records evaluated one call at a time with :func:`accord.evaluate` (cases loaded once,
  references reused), extrapolated to all records.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def _clock() -> float:
    return time.perf_counter()


#: CPU seconds (user + system) of the last subprocess: on a shared, loaded machine the wall clock measures the
#: neighbours too, the CPU time only this command.
_LAST_CPU = [0.0]


def _run(*args: str) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = _clock()
    r = subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)
    elapsed = _clock() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        raise SystemExit(f"accord {' '.join(args)} failed: {r.stderr.strip()}")
    return elapsed, r.stdout


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def bench_startup() -> float:
    _run("--help")
    runs = []
    for _ in range(3):
        t, _ = _run("--help")
        runs.append((t, _LAST_CPU[0]))
    best = min(runs)
    print(f"start-up  accord --help: best of 3 {best[0]:.3f} s wall, {best[1]:.3f} s CPU ({_load()})")
    return best[0]


def bench_casino(path: Path, startup: float) -> None:
    from accord.analysis.pyramid import evaluate
    from accord.corpora import get_adapter

    _run("corpus", "casino", str(path), "--json")  # warm the file cache
    runs = []
    cpu = []
    for _ in range(3):
        runs.append(_run("corpus", "casino", str(path), "--json"))
        cpu.append(_LAST_CPU[0])
    best = min(t for t, _ in runs)
    d = json.loads(runs[0][1])
    t0 = _clock()
    n = 0
    for rec in get_adapter("casino").records(str(path)):
        if rec.agreement is not None:
            evaluate(rec.case, rec.agreement)
            n += 1
    naive = _clock() - t0
    print(f"casino    {path.name}: {d['dialogues']} dialogues, {d['agreements']} agreements, "
          f"{d['pareto_optimal_count']} Pareto-optimal ({100 * d['pareto_optimal_rate']:.2f} %), "
          f"{d['distinct_games']} distinct games")
    print(f"          accord corpus casino end to end: best of 3 {best:.3f} s (runs "
          f"{', '.join(f'{t:.3f}' for t, _ in runs)}); CPU {min(cpu):.3f} s; target ≤ 1 s "
          f"{'OK' if best <= 1 else 'MISSED'} ({_load()})")
    print(f"          of which start-up ≈ {startup:.3f} s ({startup / best:.0%}); evaluation ≈ {best - startup:.3f} s")
    print(f"          baseline: {n} dialogues one accord.evaluate call each, in process: {naive:.3f} s → "
          f"{naive / max(best - startup, 1e-3):.1f}× the evaluation part")


def _case_text(rng: random.Random, k: int) -> str:
    """A two-party case of 3–5 issues with 2–6 options each, integer points, BATNAs below the middle."""
    n_issues = rng.randint(3, 5)
    sizes = [rng.randint(2, 6) for _ in range(n_issues)]
    issues = {f"issue{j}": [f"o{o}" for o in range(s)] for j, s in enumerate(sizes)}
    prefs = {p: {f"issue{j}": {f"o{o}": rng.randint(0, 20) for o in range(s)} for j, s in enumerate(sizes)}
             for p in ("buyer", "seller")}
    batna = {p: sum(max(t.values()) for t in prefs[p].values()) // 3 for p in prefs}
    return json.dumps({"name": f"case {k}", "shared_scales": True,
                       "parties": {p: {"batna": batna[p]} for p in prefs}, "issues": issues,
                       "preferences": prefs})


def make_jsonl(folder: Path, records: int, cases: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    options = []
    for k in range(cases):
        text = _case_text(rng, k)
        (folder / "cases" / f"case{k}.json").write_text(text, encoding="utf-8")
        options.append(json.loads(text)["issues"])
    lines = []
    for r in range(records):
        k = rng.randrange(cases)
        if rng.random() < 0.1:
            lines.append(json.dumps({"id": r, "case": f"cases/case{k}.json", "agreement": None}))
            continue
        deal = {i: rng.choice(opts) for i, opts in options[k].items()}
        lines.append(json.dumps({"id": r, "case": f"cases/case{k}.json", "agreement": deal,
                                 "group": "A" if r % 2 else "B", "meta": {"minutes": rng.randint(5, 60)}}))
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bench_jsonl(records: int, cases: int, startup: float) -> None:
    from accord.analysis.pyramid import evaluate, reference_for
    from accord.corpora import evaluate_corpus
    from accord.io.casefile import load_case

    with tempfile.TemporaryDirectory() as tmp:
        path = make_jsonl(Path(tmp), records, cases)
        size = path.stat().st_size
        t0 = _clock()
        result = evaluate_corpus("jsonl", str(path))
        inproc = _clock() - t0
        end_to_end, out = _run("corpus", "jsonl", str(path), "--json")
        cpu = _LAST_CPU[0]
        agg = json.loads(out)
        # baseline: one evaluate call per record (cases and references reused), on the first 1,000 records
        loaded = {}
        refs = {}
        sample = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:1000]]
        t0 = _clock()
        for rec in sample:
            if rec["agreement"] is None:
                continue
            name = rec["case"]
            if name not in loaded:
                loaded[name] = load_case(Path(tmp) / name)
                refs[name] = reference_for(loaded[name])
            evaluate(loaded[name], rec["agreement"], reference=refs[name])
        naive = (_clock() - t0) * records / len(sample)
    print(f"jsonl     {records:,} records over {cases} cases ({size / 1e6:.1f} MB): {agg['agreements']:,} "
          f"agreements, {agg['distinct_games']} distinct games, {100 * agg['pareto_optimal_rate']:.2f} % "
          f"Pareto-optimal")
    print(f"          accord corpus jsonl end to end: {end_to_end:.3f} s, CPU {cpu:.3f} s; target ≤ 10 s "
          f"{'OK' if end_to_end <= 10 else 'MISSED'} (in process {inproc:.3f} s, start-up ≈ {startup:.3f} s; "
          f"{_load()})")
    print(f"          baseline: one accord.evaluate call per record (references reused), extrapolated from "
          f"1,000: {naive:.3f} s → {naive / inproc:.1f}× slower than the grouped engine")
    assert result.aggregates["records"] == records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args()
    startup = bench_startup()
    casino = args.data / "casino" / "casino_train.json"
    if casino.exists():
        bench_casino(casino, startup)
    else:
        print(f"casino    skipped: {casino} is not present")
    bench_jsonl(args.records, args.cases, startup)


if __name__ == "__main__":
    main()
