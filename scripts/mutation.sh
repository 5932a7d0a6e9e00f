#!/usr/bin/env bash
# Mutation testing (not in CI: tens of minutes). Runs mutmut 3 on a seeded sample of the mutants of
# src/accord/analysis/, src/accord/tactics/ and src/accord/io/genius.py, each mutant against the tests that
# reach the mutated function (mutmut records which tests call which function), on ONE core.
#
# The work happens in a copy of the tree (default /tmp/accord-mutation): mutmut writes its mutants/ folder and
# a setup.cfg there, never in this tree. See docs/testing.md for how to read the figures.
#
#   scripts/mutation.sh                      # 240 mutants, seed 0, from this work tree
#   scripts/mutation.sh --sample 400 --seed 3
#   scripts/mutation.sh --source /tmp/head   # another checkout (e.g. `git archive HEAD | tar -x -C /tmp/head`)
#   scripts/mutation.sh --names FILE         # exactly these mutants (one name a line), e.g. last run's survivors
#   scripts/mutation.sh --keep               # reuse --work's generated mutants (same source), only re-run tests
#   scripts/mutation.sh --tests "tests/analysis/test_boundaries.py ..."   # other tests than the default (the tests that import these modules in-process: not tests/cli, whose commands run in a subprocess)
#   scripts/mutation.sh --report --work DIR  # only the figures of a run in DIR (e.g. one stopped early)
#   MUTATION_PYTEST_ARGS="--deselect=tests/x.py::test_y" scripts/mutation.sh ...   # extra pytest arguments
#
# Output: <work>/summary.txt (kill rate, per-module figures, every survivor with its diff) and
# <work>/survivors.txt (names, for --names).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SOURCE=$ROOT
WORK=/tmp/accord-mutation
SAMPLE=240
SEED=0
NAMES=""
KEEP=0
REPORT=0
TESTS="tests/analysis tests/tactics tests/io tests/report tests/model"
CORE=${MUTATION_CORE:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE=$(cd "$2" && pwd); shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --names) NAMES=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    --report) REPORT=1; shift ;;
    --tests) TESTS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "mutation.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$WORK" in
  "$ROOT"|"$ROOT"/*) echo "mutation.sh: --work must be outside the work tree ($ROOT)" >&2; exit 2 ;;
esac

source scripts/bootstrap.sh
PY="$ROOT/.venv/bin/python"
PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c "$CORE"); fi

if [ "$REPORT" = 0 ]; then
# -- 1. a private copy of the tree (mutmut 3 only writes under mutants/, but its setup.cfg must not land here) --
if [ "$KEEP" = 0 ] || [ ! -d "$WORK/repo/mutants" ]; then
  rm -rf "$WORK/repo"
  mkdir -p "$WORK/repo"
  (cd "$SOURCE" && tar --exclude=./.venv --exclude=./.git --exclude=./mutants --exclude='__pycache__' \
      --exclude=./.hypothesis --exclude=./.mypy_cache --exclude=./.ruff_cache -cf - .) | tar -xf - -C "$WORK/repo"
fi
# tests that need ../shared/data find it beside the copy as they would beside the clone
if [ -d "$SOURCE/../shared" ] && [ ! -e "$WORK/shared" ]; then ln -s "$(cd "$SOURCE/../shared" && pwd)" "$WORK/shared"; fi
cd "$WORK/repo"
cat > setup.cfg <<'EOF'
[mutmut]
source_paths =
    src/accord
only_mutate =
    src/accord/analysis/*
    src/accord/tactics/*
    src/accord/io/genius.py
also_copy =
    tests
    examples
    docs
    README.md
    pyproject.toml
pytest_add_cli_args_test_selection =
@TESTS@
pytest_add_cli_args =
    -p
    no:cacheprovider
    -p
    no:randomly
EOF
"$PY" - "$TESTS" <<'EOF'
import sys
from pathlib import Path
cfg = Path("setup.cfg")
cfg.write_text(cfg.read_text().replace("@TESTS@", "\n".join("    " + t for t in sys.argv[1].split())))
EOF
# extra pytest arguments, one a word (e.g. --deselect=tests/x.py::test_y), appended to pytest_add_cli_args
for arg in ${MUTATION_PYTEST_ARGS:-}; do printf '    %s\n' "$arg" >> setup.cfg; done

# Hypothesis draws the same examples for a test every time (derandomised), so a mutant's verdict is repeatable.
export HYPOTHESIS_PROFILE=mutation
unset CI || true

# -- 2. generate every mutant once, then draw the seeded sample ---------------------------------------------
"${PIN[@]}" "$PY" - "$SAMPLE" "$SEED" "$NAMES" <<'EOF'
import json, random, sys
from pathlib import Path

from mutmut.__main__ import create_mutants, set_mutant_under_test
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths

sample, seed, names_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
set_mutant_under_test("mutant_generation")
Path("mutants").mkdir(exist_ok=True)
copy_src_dir()
copy_also_copy_files()
setup_source_paths()
create_mutants(1)
every = sorted(name for meta in Path("mutants").rglob("*.meta")
               for name in json.loads(meta.read_text())["exit_code_by_key"])
if names_file:
    wanted = [n.strip() for n in Path(names_file).read_text().splitlines() if n.strip()]
    missing = [n for n in wanted if n not in set(every)]
    if missing:  # the function changed since the names were taken: its mutants are numbered anew
        print(f"mutation.sh: {len(missing)} named mutants do not exist in this tree (skipped): {missing}")
    chosen = [n for n in wanted if n in set(every)]
else:
    chosen = sorted(random.Random(seed).sample(every, min(sample, len(every))))
Path("../sample.txt").write_text("\n".join(chosen) + "\n")
print(f"mutation.sh: {len(every)} mutants generated; {len(chosen)} chosen"
      + ("" if names_file else f" (seed {seed})"))
EOF

# -- 3. run the chosen mutants, one at a time on one core ----------------------------------------------------
mapfile -t CHOSEN < ../sample.txt
"${PIN[@]}" "$ROOT/.venv/bin/mutmut" run --max-children 1 "${CHOSEN[@]}" > ../run.log 2>&1 || {
  echo "mutation.sh: mutmut failed; see $WORK/run.log" >&2; tail -20 ../run.log >&2; exit 1; }

fi
cd "$WORK/repo"

# -- 4. the figures ------------------------------------------------------------------------------------------
"$PY" - <<'EOF'
import json, subprocess, sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

chosen = [n for n in Path("../sample.txt").read_text().splitlines() if n]
codes = {}
for meta in Path("mutants").rglob("*.meta"):
    codes.update(json.loads(meta.read_text())["exit_code_by_key"])
status = {n: status_by_exit_code[codes.get(n)] for n in chosen}
counts = Counter(status.values())
killed = counts["killed"] + counts["timeout"] + counts["segfault"] + counts["caught by type check"]
rate = 100.0 * killed / len(chosen)
by_module = defaultdict(Counter)
for n, s in status.items():
    by_module[n.split(".x")[0]][s] += 1
lines = [f"mutants: {len(chosen)}   killed: {killed} ({rate:.1f} %)   " + ", ".join(
    f"{k}: {v}" for k, v in sorted(counts.items()))]
lines += ["", "per module (killed/total):"]
for mod, c in sorted(by_module.items()):
    k = c["killed"] + c["timeout"] + c["segfault"] + c["caught by type check"]
    lines.append(f"  {mod:36s} {k:4d}/{sum(c.values()):<4d}")
alive = sorted(n for n, s in status.items() if s not in ("killed", "timeout", "segfault", "caught by type check"))
lines += ["", f"not killed ({len(alive)}):"]
for n in alive:
    diff = subprocess.run([sys.executable, "-m", "mutmut", "show", n], capture_output=True, text=True).stdout.strip()
    lines += [f"--- {n} [{status[n]}]", diff, ""]
Path("../summary.txt").write_text("\n".join(lines) + "\n")
Path("../survivors.txt").write_text("".join(n + "\n" for n in alive))
print("\n".join(lines[: 3 + len(by_module) + 2]))
EOF
echo "mutation.sh: details in $WORK/summary.txt; survivors' names in $WORK/survivors.txt"
