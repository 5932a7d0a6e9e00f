"""The analysis as tables of text: one layout shared by the terminal, the HTML page and the Markdown file.

Each function turns part of an :class:`~accord.analysis.report.Analysis` into a :class:`Table` of strings
(cells may hold several lines, separated by ``\\n``), so every rendering shows the same numbers in the
same words. Nothing is computed here beyond formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.issues import fmt, pct
from accord.analysis.report import Analysis
from accord.report.plots import SOLUTION_LABELS

#: Logrolling trades listed in reports (the count is always given).
MAX_TRADES = 10


@dataclass(frozen=True)
class Table:
    """A titled table of text cells.

    Attributes
    ----------
    title : str
    headers : tuple of str
    rows : tuple of tuple of str
        Cells may contain ``\\n`` for several lines.
    styles : tuple of str
        Per row, a style key (the issue kind, ``"yes"``/``"no"``, or ``""``).
    caption : str
        A sentence under the table.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    styles: tuple[str, ...] = field(default=())
    caption: str = ""


def _value(a: Analysis, x: float, signed: bool = False) -> str:
    if a.bargaining.scale == "points":
        text = fmt(x)
        return ("+" + text) if signed and x > 0 else text
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def _joint(a: Analysis, x: float) -> str:
    return fmt(x) if a.case.shared_scales else f"{x:.2f}"


def headline(a: Analysis) -> str:
    """One line: parties, issues, packages, scale, τ."""
    case = a.case
    scale = "points on one shared scale" if case.shared_scales else "each party's own points (joint values in Σ g)"
    return (f"{case.n_parties} parties ({', '.join(case.party_names)}) · {case.n_issues} issues · "
            f"{case.space_size:,} packages · {scale} · τ = {a.tau:g}")


def issues_table(a: Analysis) -> Table:
    """Issues with their kind, each party's best option and stake, the joint value range and the why."""
    names = a.case.party_names
    rows = []
    for issue in a.issues:
        cells = [issue.name, issue.kind]
        for p in names:
            best = " / ".join(issue.best_options[p]) if len(issue.best_options[p]) < len(issue.options) else "any"
            cells.append(f"{best}\n{fmt(issue.stakes[p])} ({pct(issue.shares[p])})")
        lo, hi = min(issue.joint_values), max(issue.joint_values)
        top = issue.options[issue.joint_values.index(hi)]
        cells.append(f"{_joint(a, lo)}–{_joint(a, hi)}\nbest: {top}" if hi > lo else _joint(a, hi))
        cells.append(issue.why)
        rows.append(tuple(cells))
    joint = "Σ points" if a.case.shared_scales else "Σ e"
    return Table(
        "Issues", ("Issue", "Kind", *(f"{p}: best\nstake (share)" for p in names), f"Joint value ({joint})", "Why"),
        tuple(rows), tuple(i.kind for i in a.issues),
        f"Stake = max − min points on the issue; share = stake / the party's total stakes; τ = {a.tau:g}. "
        + ("Equal importance compares raw stakes (shared scales)." if a.case.shared_scales
           else "Equal importance compares shares; the joint value sums e = normalised points (0 worst, 1 best)."),
    )


def trades_table(a: Analysis, limit: int = MAX_TRADES) -> Table:
    """The logrolling pairs, best joint gain first."""
    rows, styles = [], []
    for p in a.issues.logrolling[:limit]:
        if all(p.reference[issue] == opt for issue, (_, opt) in p.gets.items()):
            # The compromise package already gives each party its preferred option here: nothing left to trade.
            trade = "already in the compromise package:\n" + "\n".join(
                f"{who}: {issue} = {opt}" for issue, (who, opt) in p.gets.items())
        else:
            trade = "\n".join(f"{who}: {issue} {p.reference[issue]} → {opt}" for issue, (who, opt) in p.gets.items())
        changes = "\n".join(f"{q} {'+' if v >= 0 else ''}{fmt(v)}" for q, v in p.changes.items())
        rows.append((f"{p.issues[0]} ×\n{p.issues[1]}", trade, changes, _value(a, p.joint_gain, True),
                     "yes" if p.both_gain else "no"))
        styles.append("yes" if p.both_gain else "no")
    shown = min(limit, len(a.issues.logrolling))
    caption = (f"{a.issues.logrolling_count} pair(s) of opposed issues have different priorities "
               f"(|π_ik/π_il − π_jk/π_jl| > τ·max); {shown} shown, best joint gain first. Each party gets its "
               f"preferred option on the issue it weighs relatively more; changes are in each party's points, "
               f"measured from the compromise package "
               f"({', '.join(f'{k}={v}' for k, v in a.issues.reference.items())}).")
    return Table("Trades (logrolling)", ("Issues", "Trade (who gets what)", "Change (points)",
                                         f"Joint gain ({a.bargaining.scale})", "Both gain"),
                 tuple(rows), tuple(styles), caption)


def zone_table(a: Analysis) -> Table:
    """BATNAs, best possible and best inside the bargaining zone, and the compromise package's points."""
    b = a.bargaining
    rows = []
    for q, p in enumerate(a.case.party_names):
        zone_best = fmt(float(b.zone_ideal[q])) if b.zone_ideal is not None else "—"
        rows.append((p, fmt(float(b.batnas[q])), fmt(float(b.ideal[q])), zone_best,
                     fmt(a.potential.even_split_utilities[p])))
    if b.zopa_empty:
        caption = "The bargaining zone is EMPTY: no package gives every party at least its BATNA."
    else:
        caption = (f"The bargaining zone is not empty: {b.zone_frontier_size} of the {b.frontier_size} frontier "
                   f"point(s) give every party at least its BATNA.")
    return Table("BATNAs and bargaining zone", ("Party", "BATNA", "Best possible", "Best in zone",
                                                "Compromise package"), tuple(rows),
                 ("empty" if b.zopa_empty else "",) * len(rows), caption)


def solutions_table(a: Analysis) -> Table:
    """Solution points with each party's points and share of the surplus (identical points share one row)."""
    names = a.case.party_names
    b = a.bargaining
    groups: dict[tuple[tuple[float, ...], tuple[tuple[str, str], ...]], list[str]] = {}
    order = [k for k in SOLUTION_LABELS if k in b.solutions] + [k for k in b.solutions if k not in SOLUTION_LABELS]
    for key in order:
        sol = b.solutions[key]
        sig = (tuple(round(float(x), 9) for x in sol.utilities), tuple(sol.package.items()))
        groups.setdefault(sig, []).append(key)
    rows = []
    for keys in groups.values():
        sol = b.solutions[keys[0]]
        cells = ["\n".join(SOLUTION_LABELS.get(k, k) for k in keys)]
        below = [float(u) < float(x) - 1e-9 * max(1.0, abs(float(x))) for u, x in zip(sol.utilities, b.batnas,
                                                                                        strict=True)]
        for q, _ in enumerate(names):
            note = ("below BATNA" if below[q] else "outside the zone" if any(below)
                    else f"{pct(float(sol.shares[q]))} of surplus")
            cells.append(f"{fmt(float(sol.utilities[q]))}\n{note}")
        cells.append(_value(a, sol.joint_value))
        cells.append("\n".join(f"{k}={v}" for k, v in sol.package.items())
                     + (f"\n({sol.package_count:,} packages reach it)" if sol.package_count > 1 else ""))
        rows.append(tuple(cells))
    share_def = ("raw surplus u_i − b_i over the total" if a.case.shared_scales
                 else "g_i / Σ g_j, g = normalised gain over the BATNA")
    caption = (f"Points per party; share of the surplus = {share_def}. Nash = max Π(u_i − b_i); "
               "Kalai–Smorodinsky = max min g_i with the ideal point over the zone (GENIUS instead takes the "
               "frontier point with the smallest |u_A − u_B|)"
               + ("; egalitarian and utilitarian use raw points (shared scales)" if a.case.shared_scales else
                  "; egalitarian and utilitarian need shared scales and are not shown")
               + "; max joint value is taken over all packages, inside the zone or not"
               + (". No solution points: the zone is empty." if a.zopa_empty else "."))
    return Table("Solution points (claiming value)", ("Solution", *names, f"Joint value ({b.scale})",
                                                      "Package"), tuple(rows), (), caption)


def signs_table(a: Analysis) -> Table:
    """Thompson's telltale signs of win-win potential, answered."""
    rows = tuple((s.question, "yes" if s.present else "no", s.text) for s in a.potential.signs)
    return Table("Win-win potential (telltale signs)", ("Question", "Answer", "Evidence"), rows,
                 tuple(r[1] for r in rows),
                 f"{a.potential.score} of {len(a.potential.signs)} signs of win-win potential present.")


def perception_table(a: Analysis) -> Table:
    """Mistaken beliefs found in the case's estimates."""
    rows = []
    for f in a.perception.flags:
        def imp(x: float, basis: str = f.basis) -> str:
            return fmt(x) + " pts" if basis == "raw stakes" else pct(x)

        rows.append((f"{f.holder} → {f.about}", f.issue, f.flag.replace("_", " "),
                     f"best {' / '.join(f.believed_best)}\nweight {imp(f.believed_importance)}",
                     f"best {' / '.join(f.true_best)}\nweight {imp(f.true_importance)}",
                     f"best {' / '.join(f.holder_best)}\nweight {imp(f.holder_importance)}"))
    checks = a.perception.checks
    caption = ("; ".join(c.summary for c in checks) + "." if checks
               else "The case carries no estimate of another party's preferences.")
    return Table("Perception (estimates vs truth)", ("Holder → about", "Issue", "Flag", "Believed (other side)",
                                                     "True (other side)", "Holder's own"), tuple(rows),
                 tuple(r[2].replace(" ", "_") for r in rows), caption)


def frontier_line(a: Analysis) -> str:
    """One sentence about the frontier: size, method, exactness, grid."""
    f = a.frontier
    spread = ", ".join(f"{p} {fmt(float(f.utilities[:, q].min()))}–{fmt(float(f.utilities[:, q].max()))}"
                       for q, p in enumerate(f.parties))
    text = (f"{len(f):,} Pareto-optimal point(s) ({'exact' if f.exact else 'approximate'}, {f.method or 'exact'}); "
            f"each party's points along it: {spread}")
    return text + (f"; {f.grid}" if f.grid else "") + "."
