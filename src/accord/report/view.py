"""The analysis as tables of text: one layout shared by the terminal, the HTML page and the Markdown file.

Each function turns part of an :class:`~accord.analysis.report.Analysis` into a :class:`Table` of strings
(cells may hold several lines, separated by ``\\n``), so every rendering shows the same numbers in the
same words. Nothing is computed here beyond formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.issues import IssueKind, fmt, pct
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


#: Pairs of parties named in a one-line kind summary before the rest are counted ("+ 12 more pairs").
MAX_PAIRS_NAMED = 4


def kind_summary(issue: IssueKind) -> str:
    """An issue's kind in ONE line, for any number of parties: who shares a best option, who opposes whom.

    Parties with the same best option(s) are grouped; the pairwise labels are summarised by naming the pairs
    of every label except the most common one ("otherwise"). The pairwise evidence stays in ``--json``
    (see docs/concepts.md#kinds-of-issue).

    Examples
    --------
    >>> from accord.analysis.issues import classify_issues
    >>> from accord.model import Case
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [1, 0]}, "B": {"a": [0, 1], "b": [0, 3]},
    ...      "C": {"a": [1, 0], "b": [0, 1]}})
    >>> kind_summary(classify_issues(case)["a"])
    'a is mixed: A & B want y, C wants x; compatible for A–B, integrative for A–C, distributive for B–C'
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for party, best in issue.best_options.items():
        groups.setdefault(tuple(best), []).append(party)
    wants = []
    for best, members in groups.items():
        verb = "want" if len(members) > 1 else "wants"
        what = "any option" if len(best) == len(issue.options) else " / ".join(best)
        wants.append(f"{' & '.join(members)} {verb} {what}")
    head = f"{issue.name} is {issue.kind}: {', '.join(wants)}"
    if len(issue.pairs) <= 1:
        return head
    by_kind: dict[str, list[str]] = {}
    for p in issue.pairs:
        by_kind.setdefault(p.kind, []).append(f"{p.parties[0]}–{p.parties[1]}")
    for pairs in by_kind.values():
        # Which pairs are named when some are counted must not depend on the order of the parties in the file.
        pairs.sort(key=lambda text: sorted(text.split("–")))
    if len(by_kind) == 1:
        return f"{head}; {issue.kind} for every pair"
    # The most common label goes last as "otherwise"; ties keep a fixed kind order, never party order.
    order = sorted(by_kind, key=lambda k: (len(by_kind[k]), ("compatible", "integrative", "distributive").index(k)
                                           if k in ("compatible", "integrative", "distributive") else 3))
    otherwise = len(by_kind[order[-1]]) > 1
    parts = []
    for kind in order[:-1] if otherwise else order:
        pairs = by_kind[kind]
        named = ", ".join(pairs[:MAX_PAIRS_NAMED])
        more = f" + {len(pairs) - MAX_PAIRS_NAMED} more pairs" if len(pairs) > MAX_PAIRS_NAMED else ""
        parts.append(f"{kind} for {named}{more}")
    if otherwise:
        parts.append(f"{order[-1]} otherwise")
    return f"{head}; {', '.join(parts)}"


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
        # With more than two parties the pairwise reasons are in --json; the table says who shares what.
        cells.append(issue.why if len(issue.pairs) <= 1 else kind_summary(issue))
        rows.append(tuple(cells))
    joint = "Σ points" if a.case.shared_scales else "Σ g"
    return Table(
        "Issues", ("Issue", "Kind", *(f"{p}: best\nstake (share)" for p in names), f"Joint value ({joint})", "Why"),
        tuple(rows), tuple(i.kind for i in a.issues),
        f"Stake = max − min points on the issue; share = stake / the party's total stakes; τ = {a.tau:g}. "
        + ("Equal importance compares raw stakes (shared scales)." if a.case.shared_scales
           else "Equal importance compares shares; the joint value is what each option adds to the sum of normalised "
                "gains g = (u − BATNA) / (best − BATNA), each party's points on its own scale, so the best option "
                "of every issue is the one of the max-joint package."),
    )


def trades_table(a: Analysis, limit: int = MAX_TRADES) -> Table:
    """Two-issue trades that leave every party strictly better off than the compromise package, best first.

    The rows are :attr:`Analysis.trades` — the same trades, in the same order, as ``accord logroll`` lists.
    """
    lr = a.trades
    rows, styles = [], []
    who = "both" if len(lr.between) == 2 else f"all {len(lr.between)}"
    for t in lr.trades[:limit]:
        moves = "\n".join(f"{c.issue} {c.before} → {c.after}" for c in t.changes)
        changes = "\n".join(f"{q} {'+' if v >= 0 else ''}{fmt(v)}" for q, v in t.gains.items())
        rows.append((" ×\n".join(c.issue for c in t.changes), moves, changes, _value(a, t.joint_gain, True),
                     f"{who}, strictly"))
        styles.append("yes")
    ref = ", ".join(f"{k}={v}" for k, v in lr.reference.items())
    if lr.trades:
        caption = (f"{lr.count} two-issue trade(s) over {lr.pairs} issue pair(s) leave every party strictly better "
                   f"off than the compromise package ({ref}); the best of each issue pair is listed, "
                   f"{min(limit, len(lr.trades))} shown, best joint gain first (`accord logroll` lists the same). "
                   f"Changes are in each party's own points; the joint gain is in {lr.scale}.")
    else:
        caption = (f"No trade: {lr.message or 'no two-issue trade leaves every party strictly better off'} "
                   f"(from the compromise package: {ref}).")
    return Table("Trades (logrolling)", ("Issues", "Trade (from the compromise package)", "Change (points)",
                                         f"Joint gain ({lr.scale})", "Better off"),
                 tuple(rows), tuple(styles), caption)


def _pass_words(a: Analysis) -> str:
    """What it takes to be in the zone, in words: every party at its BATNA, or passing the case's rule."""
    return "give every party at least its BATNA" if a.case.unanimous else "pass the agreement rule"


def zone_empty_text(a: Analysis) -> str:
    """Why there is no bargaining zone, under the case's agreement rule (one sentence)."""
    if a.case.unanimous:
        return "no package gives every party at least its BATNA."
    return (f"no package passes the agreement rule ({a.case.agreement.describe(a.case.n_parties)}, each at "
            "least at its BATNA).")


def zone_table(a: Analysis) -> Table:
    """BATNAs, best possible and best inside the bargaining zone, and the compromise package's points."""
    b = a.bargaining
    rows = []
    for q, p in enumerate(a.case.party_names):
        zone_best = fmt(float(b.zone_ideal[q])) if b.zone_ideal is not None else "—"
        rows.append((p, fmt(float(b.batnas[q])), fmt(float(b.ideal[q])), zone_best,
                     fmt(a.potential.even_split_utilities[p])))
    if b.zopa_empty:
        caption = f"The bargaining zone is EMPTY: {zone_empty_text(a)}"
    else:
        size = ("not counted (too many packages)" if b.zone_size is None
                else f"{b.zone_size:,} package(s) pass")
        caption = (f"The bargaining zone is not empty: {b.zone_frontier_size} of the {b.frontier_size} frontier "
                   f"point(s) {_pass_words(a)}; zone size: {size}.")
    if not a.case.unanimous:
        caption += f" Agreement rule: {a.case.agreement.describe(a.case.n_parties)}."
    return Table("BATNAs and bargaining zone", ("Party", "BATNA", "Best possible", "Best in zone",
                                                "Compromise package"), tuple(rows),
                 ("empty" if b.zopa_empty else "",) * len(rows), caption)


def _ties_text(a: Analysis) -> str:
    """What the tie rule did: how many packages reach each solution's value, and where max joint lies."""
    b = a.bargaining
    mj = b.solutions["max_joint"]
    parts = [f"max joint value: {mj.tied_packages:,} package(s) reach it"
             + (", the one shown is inside the zone" if mj.in_zone and not a.zopa_empty else
                ", none inside the zone" if not a.zopa_empty else "")]
    for key, sol in b.solutions.items():
        if key != "max_joint" and sol.tied_points > 1:
            parts.append(f"{SOLUTION_LABELS.get(key, key)}: {sol.tied_points} points tie "
                         f"({sol.tied_packages:,} packages)")
    return ("; " + "; ".join(parts) + "; ties go to the most balanced point (normalised gains, worst-off first), "
            "then the first package in option order, never to the first-listed party")


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
        reach = (f"\n({sol.tied_packages:,} packages reach this value)" if sol.tied_packages > sol.package_count
                 else f"\n({sol.package_count:,} packages reach it)" if sol.package_count > 1 else "")
        cells.append("\n".join(f"{k}={v}" for k, v in sol.package.items()) + reach)
        rows.append(tuple(cells))
    share_def = ("raw surplus u_i − b_i over the total" if a.case.shared_scales
                 else "g_i / Σ g_j, g = normalised gain over the BATNA")
    caption = (f"Points per party; share of the surplus = {share_def}. Nash = max Π(u_i − b_i); "
               "Kalai–Smorodinsky = max min g_i with the ideal point over the zone (GENIUS instead takes the "
               "frontier point with the smallest |u_A − u_B|)"
               + ("; egalitarian and utilitarian use raw points (shared scales)" if a.case.shared_scales else
                  "; egalitarian and utilitarian need shared scales and are not shown")
               + _ties_text(a)
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
