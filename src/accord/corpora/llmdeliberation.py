"""LLM-Deliberation games (Abdelnabi et al. 2024): a multi-party scoring game read as an ordinary case.

A game directory holds

- ``config.txt``: one line per party, ``display name, file name, role, incentive, model``; role ``p1`` is
  the proposer and ``p2`` the other party whose agreement is required, ``player`` the others;
- ``scores_files/<file name>.txt``: one comma-separated line per issue with the party's points for each
  option, in the issue's order; the last line is the party's minimum threshold;
- ``global_instructions.txt``: the issues (``Issue A: "Infrastructure Mix"``) and their options (``A1 ...``,
  ``A2 ...``) in prose.

The case has one issue per scores line (named from the instructions, options labelled with their code and
their short name, e.g. ``A1 water-based``), one party per config line with its threshold as its BATNA, and
the game's agreement rule: a deal passes when at least n − 1 parties reach their threshold and the roles
``p1`` and ``p2`` are among them (see docs/concepts.md, "Agreement rules"). Every party's points run from 0
to 100 in the published games and the paper adds them up, so the case declares shared scales.

References
----------
Abdelnabi, S., Gomaa, A., Sivaprasad, S., Schönherr, L., Fritz, M. (2024). Cooperation, Competition, and
Maliciousness: LLM-Stakeholders Interactive Negotiation. *NeurIPS 2024 Datasets and Benchmarks*. Games: the
``games_descriptions`` folder of S-Abdelnabi/LLM-Deliberation (MIT).
"""

from __future__ import annotations

import re
from pathlib import Path

from accord.errors import AccordError, FormatError
from accord.io._files import read_text
from accord.model import AgreementRule, Case, Issue, Party, Preferences

#: At most this many parties, issues and options per issue are read (the published games have 6, 5 and 5).
MAX_PARTIES = 50
MAX_ISSUES = 50
MAX_OPTIONS = 100

_ISSUE = re.compile(r'^\s*Issue\s+([A-Z])\s*:\s*"?([^"\n]*?)"?\s*$', re.MULTILINE)
_OPTION = re.compile(r"^\s*([A-Z])(\d+)\s*:?\s*(.*?)\s*$")
_NAMED = re.compile(r'^"([^"]+)"\s*:')


def _option_label(code: str, rest: str) -> str:
    """``A1 water-based`` from ``A1 "water-based": new buildings ...``; otherwise the code and the sentence,
    quotes removed and cut to 60 characters (``D1 $3 billion``)."""
    named = _NAMED.match(rest)
    text = named.group(1) if named else rest.replace('"', "").strip().rstrip(".").strip()
    if len(text) > 60:
        text = text[:57].rstrip() + "..."
    return f"{code} {text}".strip()


def _issue_texts(text: str) -> dict[str, tuple[str, dict[int, str]]]:
    """Issue letter → (issue name, {option number: label}) as far as the instructions name them."""
    out: dict[str, tuple[str, dict[int, str]]] = {}
    heads = list(_ISSUE.finditer(text))
    for j, head in enumerate(heads):
        letter = head.group(1)
        end = heads[j + 1].start() if j + 1 < len(heads) else len(text)
        options: dict[int, str] = {}
        for line in text[head.end():end].splitlines():
            m = _OPTION.match(line)
            if m and m.group(1) == letter:
                options.setdefault(int(m.group(2)), _option_label(f"{letter}{m.group(2)}", m.group(3)))
        out[letter] = (head.group(2).strip() or f"Issue {letter}", options)
    return out


def _numbers(line: str, file: str, n: int) -> list[float]:
    parts = [p.strip() for p in line.split(",")]
    try:
        return [float(p) for p in parts]
    except ValueError:
        raise FormatError(f"expected comma-separated numbers, not {line.strip()!r}", file=file,
                          place=f"line {n}") from None


def load_game(directory: str | Path) -> Case:
    """Read an LLM-Deliberation game directory as a :class:`~accord.model.Case` with the game's rule.

    Parameters
    ----------
    directory : str or Path
        The game folder (with ``config.txt``, ``scores_files/`` and ``global_instructions.txt``).

    Returns
    -------
    Case
        Issues named from the instructions (``Issue A``, options ``A1``, ... when the text does not name
        them), each party's threshold as its BATNA, shared scales, and the rule "at least n − 1 parties,
        including the p1 and p2 roles".

    Raises
    ------
    FormatError
        A missing file, a malformed config or scores line, parties whose scores disagree on the number of
        issues or options, a config without exactly one ``p1`` and one ``p2``, or sizes beyond
        :data:`MAX_PARTIES` / :data:`MAX_ISSUES` / :data:`MAX_OPTIONS`. The message names the file and line.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "config.txt").write_text("Boss,boss,p1,greedy,m\\nUnion,union,p2,greedy,m\\nCity,city,player,x,m\\n")
    >>> _ = (d / "global_instructions.txt").write_text('Issue A: "Wage"\\nA1 "low": little.\\nA2 "high": a lot.\\n')
    >>> (d / "scores_files").mkdir()
    >>> for f, s in (("boss", "60, 0\\n30"), ("union", "0, 60\\n30"), ("city", "10, 20\\n15")):
    ...     _ = (d / "scores_files" / f"{f}.txt").write_text(s)
    >>> case = load_game(d)
    >>> case.issues[0].name, case.issues[0].options, case.agreement.describe(3)
    ('Wage', ('A1 low', 'A2 high'), 'at least 2 of 3 parties accept, including Boss and Union')
    """
    root = Path(directory)
    if not root.is_dir():
        raise FormatError("not a folder: give the game's folder (with config.txt and scores_files/)",
                          file=str(root))
    config_file = root / "config.txt"
    config = read_text(config_file, what="LLM-Deliberation config")
    names: list[str] = []
    files: list[str] = []
    roles: list[str] = []
    for n, line in enumerate(config.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 3 or not parts[0] or not parts[1]:
            raise FormatError("a config line reads 'display name, file name, role, incentive, model'",
                              file=str(config_file), place=f"line {n}")
        if parts[0] in names:
            raise FormatError(f"party {parts[0]!r} is listed twice", file=str(config_file), place=f"line {n}")
        names.append(parts[0])
        files.append(parts[1])
        roles.append(parts[2])
        if len(names) > MAX_PARTIES:
            raise FormatError(f"more than {MAX_PARTIES} parties", file=str(config_file), place=f"line {n}")
    veto: list[str] = []
    for role in ("p1", "p2"):
        holders = [nm for nm, r in zip(names, roles, strict=True) if r == role]
        if len(holders) != 1:
            raise FormatError(f"the config needs exactly one party with role {role}, found {len(holders)}",
                              file=str(config_file))
        veto.append(holders[0])
    if len(names) < 3:
        raise FormatError(f"a game needs at least three parties, found {len(names)}", file=str(config_file))

    tables: list[list[list[float]]] = []
    batnas: list[float] = []
    for name, fname in zip(names, files, strict=True):
        path = root / "scores_files" / f"{fname}.txt"
        text = read_text(path, what="LLM-Deliberation scores file")
        lines = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
        if len(lines) < 2:
            raise FormatError("a scores file needs one line per issue and the threshold last", file=str(path))
        if len(lines) - 1 > MAX_ISSUES:
            raise FormatError(f"more than {MAX_ISSUES} issues", file=str(path))
        rows = [_numbers(ln, str(path), n) for n, ln in lines[:-1]]
        threshold = _numbers(lines[-1][1], str(path), lines[-1][0])
        if len(threshold) != 1:
            raise FormatError("the last line must be the party's minimum threshold (one number)", file=str(path),
                              place=f"line {lines[-1][0]}")
        for (n, _), row in zip(lines, rows, strict=False):
            if len(row) > MAX_OPTIONS:
                raise FormatError(f"more than {MAX_OPTIONS} options", file=str(path), place=f"line {n}")
        if tables and [len(r) for r in rows] != [len(r) for r in tables[0]]:
            raise FormatError(f"{name}'s scores have {[len(r) for r in rows]} options per issue, but "
                              f"{names[0]}'s have {[len(r) for r in tables[0]]}", file=str(path))
        tables.append(rows)
        batnas.append(threshold[0])

    instructions = root / "global_instructions.txt"
    texts = _issue_texts(read_text(instructions, what="LLM-Deliberation instructions")) if instructions.exists() else {}
    issues = []
    for k, row in enumerate(tables[0]):
        letter = chr(ord("A") + k) if k < 26 else f"I{k + 1}"
        title, labels = texts.get(letter, (f"Issue {letter}", {}))
        options = [labels.get(o + 1, f"{letter}{o + 1}") for o in range(len(row))]
        if len(set(options)) != len(options):
            options = [f"{letter}{o + 1}" for o in range(len(row))]
        issues.append(Issue.categorical(title, options))
    if len({i.name for i in issues}) != len(issues):
        issues = [Issue.categorical(f"Issue {chr(ord('A') + k)}", list(i.options)) for k, i in enumerate(issues)]
    parties = tuple(Party(nm, batna=b) for nm, b in zip(names, batnas, strict=True))
    prefs = tuple(Preferences(tuple(tuple(r) for r in t)) for t in tables)
    try:
        return Case(root.name, tuple(issues), parties, prefs, shared_scales=True,
                    description=f"LLM-Deliberation game {root.name!r}: {len(names)} parties, a deal passes when at "
                                f"least {len(names) - 1} reach their threshold, including {veto[0]} (p1) and "
                                f"{veto[1]} (p2).",
                    source=str(root), agreement=AgreementRule(quorum=len(names) - 1, veto=tuple(veto)))
    except AccordError as err:
        raise FormatError(err.message, file=str(root)) from None
