"""Every GENIUS and GeniusWeb scenario of the shared data: issues, |Ω|, frontier size, Nash point.

Run it with ``uv run python benchmarks/genius_scenarios.py`` (``--data DIR`` for another copy of the shared
data, ``--grid N`` for real issues, ``--no-verify`` to skip the brute-force check of the 2014 scenario).

For each domain the scenario is the pair ``domainrepository.xml`` lists (its first two profiles); a domain it
does not list (6issues, SON) takes the first two well-formed profiles of its folder — for SON the buyer and
the seller. When the listed pair holds a defective file (Car's ``adg_deal.xml``) the row says so and the first
two well-formed profiles stand in. For ``anac/y2014/10issues`` the frontier is compared with the
``pareto.xml`` GENIUS wrote beside it (a plain list of ``u1, u2`` lines) and, unless ``--no-verify``, with an
independent brute force over the 25 million classes of equivalent bids. The frontier engine raises
:class:`~accord.errors.TooLargeError` when a scenario does not fit; the row then says so and the script goes on.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.frontier import Frontier, pareto_frontier
from accord.errors import AccordError, TooLargeError
from accord.io._xml import FormatWarning
from accord.io.genius import discover, load_scenario
from accord.io.geniusweb import load_geniusweb
from accord.model import Case

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "genius"
#: Folders the repository does not list, where the first two profiles by name are not a natural pair.
PAIRS = {"son_domain.xml": ("son_buyer.xml", "son_seller.xml")}


def nash(case: Case, frontier: Frontier) -> tuple[np.ndarray, dict[str, str]] | None:
    """The Nash point: ``accord.analysis.bargaining.nash_point`` when it exists, else max Π(u_i − b_i) over the
    rational frontier points."""
    try:
        from accord.analysis.bargaining import nash_point
    except ImportError:  # pragma: no cover - before the bargaining module lands
        u = frontier.utilities
        surplus = u - case.batnas[None, :]
        ok = np.all(surplus >= -1e-12, axis=1)
        if not ok.any():
            return None
        i = int(np.flatnonzero(ok)[np.argmax(np.prod(surplus[ok], axis=1))])
        return u[i], frontier.labels(frontier.packages[i][0])
    point = nash_point(case, frontier)
    return None if point is None else (point.utilities, point.package)


def row(label: str, pair: str, case: Case | None, note: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"scenario": label, "profiles": pair, "note": note}
    if case is None:
        return out
    out["issues"] = f"{case.n_issues} ({'x'.join(str(s) for s in case.sizes)})"
    out["packages"] = case.space_size
    t = time.perf_counter()
    try:
        frontier = pareto_frontier(case, cap=1)
    except TooLargeError as err:
        out["note"] = (note + "; " if note else "") + f"frontier skipped: {err}"
        return out
    out["seconds"] = time.perf_counter() - t
    out["frontier"] = len(frontier)
    out["frontier_obj"] = frontier
    n = nash(case, frontier)
    out["nash"] = "zone empty" if n is None else "(" + ", ".join(f"{x:.4f}" for x in n[0]) + ")"
    out["nash_package"] = "" if n is None else ", ".join(f"{k}={v}" for k, v in n[1].items())
    return out


def genius_rows(base: Path, grid: int) -> list[dict[str, Any]]:
    rows = []
    for folder in sorted({p.parent for p in base.rglob("*.xml")}):
        for scen in discover(folder):
            label = str(scen.domain.relative_to(base))
            wanted = PAIRS.get(scen.domain.name)
            pair = [folder / f for f in wanted] if wanted else list(scen.default_pair or scen.profiles[:2])
            note = ""
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FormatWarning)
                    case = load_scenario(scen.domain, pair, grid=grid)
            except AccordError as err:
                note = f"listed pair fails: {err.message} ({Path(err.file or '').name}); first two well-formed used"
                pair = list(scen.profiles[:2])
                case = load_scenario(scen.domain, pair, grid=grid)
            names = " + ".join(p.name for p in pair)
            if not scen.default_pair and not note:
                note = "not in domainrepository.xml: " + ("buyer and seller" if wanted else "first two profiles")
            rows.append(row(label, names, case, note))
    return rows


def geniusweb_rows(base: Path, grid: int) -> list[dict[str, Any]]:
    rows = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.json"))
        domain = next(f for f in files if not f.stem[-1].isdigit())
        profiles = [f for f in files if f != domain][:2]
        case = load_geniusweb(domain, profiles, grid=grid)
        rows.append(row(f"geniusweb/{folder.name}", " + ".join(p.name for p in profiles), case))
    return rows


# ---------------------------------------------------------------------------------------------------------
# the 2014 non-linear scenario: pareto.xml and an independent brute force
# ---------------------------------------------------------------------------------------------------------
def read_pareto(path: Path) -> np.ndarray:
    pts = [[float(x) for x in line.split(",")] for line in path.read_text().splitlines() if line.strip()]
    return np.asarray(pts)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Largest distance from a point of either set to the nearest point of the other (Hausdorff, max norm)."""
    d = np.max(np.abs(a[:, None, :] - b[None, :, :]), axis=2)
    return float(max(d.min(axis=1).max(), d.min(axis=0).max()))


def option_classes(case: Case) -> list[list[np.ndarray]]:
    """Per issue, groups of options no party can tell apart (same points, same side of every interaction)."""
    out = []
    for k, issue in enumerate(case.issues):
        keys: dict[tuple[Any, ...], list[int]] = {}
        for o in range(issue.size):
            key: list[Any] = [float(s) for s in case.scores[k][:, o]]
            for prefs in case.preferences:
                key.extend(o in allowed for t in prefs.interactions for kk, allowed in t.conditions if kk == k)
            keys.setdefault(tuple(key), []).append(o)
        out.append([np.asarray(v) for v in keys.values()])
    return out


def brute_frontier(case: Case, chunk: int = 1 << 21) -> tuple[np.ndarray, int]:
    """Two-party frontier by enumerating one bid per class of equivalent bids (chunked, vectorised)."""
    classes = option_classes(case)
    reps = [np.asarray([c[0] for c in cl]) for cl in classes]
    sizes = [len(r) for r in reps]
    total = int(np.prod(sizes))
    best = np.empty((0, 2))
    for start in range(0, total, chunk):
        idx = np.unravel_index(np.arange(start, min(total, start + chunk)), sizes)
        packages = np.stack([reps[k][i] for k, i in enumerate(idx)], axis=1)
        u = np.concatenate([case.utilities(packages), best])
        order = np.lexsort((-u[:, 1], -u[:, 0]))
        u = u[order]
        keep = u[:, 1] > np.maximum.accumulate(np.concatenate([[-np.inf], u[:-1, 1]]))
        best = u[keep]
    return best, total


def ten_issues(base: Path, frontier: Frontier | None, verify: bool) -> list[str]:
    folder = base / "anac/y2014/10issues"
    pareto = read_pareto(folder / "pareto.xml")
    lines = [f"anac/y2014/10issues: pareto.xml lists {len(pareto)} points"]
    if frontier is not None:
        ours = frontier.utilities
        lines.append(f"  Accord's frontier: {len(ours)} points; max distance to pareto.xml (either way, max norm) "
                     f"= {distance(ours, pareto):.2e}")
        same = len(ours) == len(pareto) and distance(ours, pareto) < 1e-6
        lines.append("  the same points" if same else "  NOT the same points")
    else:
        lines.append("  Accord's frontier: not computed (see the table)")
    if verify:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FormatWarning)
            case = load_scenario(folder / "10issues-domain.xml", [folder / "profile-1.xml", folder / "profile-2.xml"])
        t = time.perf_counter()
        brute, n = brute_frontier(case)
        lines.append(f"  brute force over {n:,} classes of equivalent bids ({time.perf_counter() - t:.1f} s): "
                     f"{len(brute)} points; max distance to pareto.xml = {distance(brute, pareto):.2e}"
                     + (f", to Accord's = {distance(brute, frontier.utilities):.2e}" if frontier is not None else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data's genius folder")
    parser.add_argument("--grid", type=int, default=11, help="points per real issue")
    parser.add_argument("--no-verify", action="store_true", help="skip the brute force of the 2014 scenario")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no shared data at {args.data}; pass --data", file=sys.stderr)
        return 2
    rows = genius_rows(args.data / "genius-xml", args.grid) + geniusweb_rows(args.data / "geniusweb-json", args.grid)
    cols = ("scenario", "profiles", "issues", "packages", "frontier", "nash", "seconds")
    table = [[str(r.get(c, "")) if c != "seconds" or c not in r else f"{r[c]:.3f}" for c in cols] for r in rows]
    for t, r in zip(table, rows, strict=True):
        t[3] = f"{r['packages']:,}" if "packages" in r else ""
    widths = [max(len(c), *(len(t[i]) for t in table)) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for t, r in zip(table, rows, strict=True):
        print("  ".join(x.ljust(w) for x, w in zip(t, widths, strict=True)))
        if r.get("nash_package"):
            print(" " * (widths[0] + 2) + "Nash package: " + r["nash_package"])
        if r.get("note"):
            print(" " * (widths[0] + 2) + "note: " + r["note"])
    print()
    ten = next((r for r in rows if r["scenario"].startswith("anac/y2014/10issues")), None)
    for line in ten_issues(args.data / "genius-xml", ten.get("frontier_obj") if ten else None, not args.no_verify):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
