"""The Deal or No Deal corpus (Lewis et al. 2017): each line, one side's view of a human–human item split.

A line reads ``<input> c0 v0 c1 v1 c2 v2 </input> <dialogue> ... </dialogue> <output> ... </output>
<partner_input> c0 w0 c1 w1 c2 w2 </partner_input>``: ``c_i`` items of type i (book, hat, ball) are on the
table, this side values each at ``v_i`` points and the partner at ``w_i``. Each line becomes an ordinary
two-party, three-issue case:

- parties ``you`` (this side) and ``them`` (the partner), BATNA 0 points each (no deal is worth nothing);
- issues ``book``, ``hat``, ``ball``: how many items of that type *you* receive, an integer 0..c_i (the
  partner receives the rest);
- preferences additive: you get Σ v_i · x_i, they get Σ w_i · (c_i − x_i); ``shared_scales`` is true (both
  tables are worth 10 points in the corpus).

``<output>`` is either ``item0=a item1=b item2=c item0=d item1=e item2=f`` — an agreement: you get a, b, c,
they get d, e, f (a + d = c_0, ...) — or six copies of ``<disagree>``, ``<no_agreement>`` or
``<disconnect>``: no agreement.

References
----------
Lewis, M., Yarats, D., Dauphin, Y., Parikh, D., Batra, D. (2017). Deal or No Deal? End-to-End Learning for
Negotiation Dialogues. *EMNLP 2017*. Data: facebookresearch/end-to-end-negotiator (CC BY-NC 4.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from accord.corpora import CorpusRecord, register
from accord.errors import FormatError
from accord.io._files import MAX_DATA_BYTES, read_text
from accord.model import Case, Issue, Party, Preferences

ITEMS = ("book", "hat", "ball")
PARTIES = ("you", "them")
NO_AGREEMENT = ("<disagree>", "<no_agreement>", "<disconnect>")
LINE_FORM = ("<input> c0 v0 c1 v1 c2 v2 </input> <dialogue> ... </dialogue> <output> ... </output> "
             "<partner_input> c0 w0 c1 w1 c2 w2 </partner_input>")

_TAGS = ("input", "dialogue", "output", "partner_input")
_PATTERNS = {tag: re.compile(rf"<{tag}>(.*?)</{tag}>", re.DOTALL) for tag in _TAGS}
_ITEM = re.compile(r"item([0-2])=(-?\d+)$")
_ISSUES: dict[tuple[str, int], Issue] = {}
_PARTY_OBJECTS = (Party(PARTIES[0], batna=0.0), Party(PARTIES[1], batna=0.0))


def _issue(name: str, count: int) -> Issue:
    """Issue "how many items of this type you receive" (shared between lines: issues are immutable)."""
    key = (name, count)
    if key not in _ISSUES:
        _ISSUES[key] = Issue.integer_range(name, 0, count, description=f"{name}s you receive of {count}")
    return _ISSUES[key]


def split_case(counts: tuple[int, ...], values: tuple[int, ...], partner_values: tuple[int, ...], *,
               name: str = "Deal or No Deal", source: str = "") -> Case:
    """The two-party, three-issue case of one Deal or No Deal line.

    Parameters
    ----------
    counts : tuple of int
        Items of each type on the table (book, hat, ball).
    values, partner_values : tuple of int
        Points per item for you and for them.

    Returns
    -------
    Case

    Examples
    --------
    >>> case = split_case((1, 3, 2), (6, 0, 2), (2, 2, 1))
    >>> case.utility({"book": 1, "hat": 0, "ball": 2}).tolist()
    [10.0, 6.0]
    """
    issues = tuple(_issue(n, c) for n, c in zip(ITEMS, counts, strict=True))
    return Case(name, issues, _PARTY_OBJECTS,
                (_preferences(tuple(counts), tuple(values), False), _preferences(tuple(counts), tuple(partner_values),
                                                                                 True)),
                shared_scales=True, source=source)


@lru_cache(maxsize=4096)
def _preferences(counts: tuple[int, ...], values: tuple[int, ...], partner: bool) -> Preferences:
    """Points of one side: v·x for you, w·(c − x) for them (x = items you receive). Cached: lines repeat games."""
    return Preferences(tuple(tuple(float(v * ((c - x) if partner else x)) for x in range(c + 1))
                             for v, c in zip(values, counts, strict=True)))


def _ints(text: str, what: str, file: str, line: int) -> tuple[int, ...]:
    parts = text.split()
    if len(parts) != 6 or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise FormatError(f"<{what}> must hold six whole numbers c0 v0 c1 v1 c2 v2 (counts and points per "
                          f"item), not {text.strip()!r}", file=file, place=f"line {line}")
    return tuple(int(p) for p in parts)


def parse_line(text: str, *, file: str = "<dealornodeal>", line: int = 1) -> CorpusRecord:
    """Read one line of a Deal or No Deal file.

    Raises
    ------
    FormatError
        A missing part, a bad number, counts that differ between the two sides, an unknown output marker,
        or an agreement whose two halves do not add up to the items on the table.

    Examples
    --------
    >>> rec = parse_line("<input> 1 6 3 0 2 2 </input> <dialogue> YOU: deal <eos> THEM: <selection> "
    ...                  "</dialogue> <output> item0=1 item1=0 item2=2 item0=0 item1=3 item2=0 </output> "
    ...                  "<partner_input> 1 2 3 2 2 1 </partner_input>")
    >>> rec.agreement, rec.case.utility(rec.agreement).tolist()
    ((1, 0, 2), [10.0, 6.0])
    """
    parts: dict[str, str] = {}
    for tag in _TAGS:
        found = _PATTERNS[tag].findall(text)
        if len(found) != 1:
            problem = "no" if not found else "more than one"
            raise FormatError(f"{problem} <{tag}> ... </{tag}> part; each line must read {LINE_FORM}",
                              file=file, place=f"line {line}")
        parts[tag] = found[0]
    mine = _ints(parts["input"], "input", file, line)
    theirs = _ints(parts["partner_input"], "partner_input", file, line)
    counts = mine[0::2]
    if theirs[0::2] != counts:
        raise FormatError(f"the item counts differ between <input> {list(counts)} and <partner_input> "
                          f"{list(theirs[0::2])}; both sides see the same table", file=file, place=f"line {line}")
    tokens = parts["output"].split()
    agreement: tuple[int, ...] | None = None
    if len(tokens) == 6 and all(t == tokens[0] for t in tokens) and tokens[0] in NO_AGREEMENT:
        outcome = tokens[0]
    else:
        got = [_ITEM.match(t) for t in tokens]
        order_ok = len(tokens) == 6 and all(m is not None and int(m.group(1)) == i % 3 for i, m in enumerate(got))
        if not order_ok:
            raise FormatError(
                f"<output> must be 'item0=a item1=b item2=c item0=d item1=e item2=f' or six copies of one of "
                f"{', '.join(NO_AGREEMENT)}; found {parts['output'].strip()!r}", file=file, place=f"line {line}")
        n = [int(m.group(2)) for m in got if m is not None]
        you, them = tuple(n[:3]), tuple(n[3:])
        if any(x < 0 or x + y != c for x, y, c in zip(you, them, counts, strict=True)):
            raise FormatError(f"the agreement gives you {list(you)} and them {list(them)}, which does not split "
                              f"the {list(counts)} items on the table", file=file, place=f"line {line}")
        agreement = you
        outcome = "agreement"
    turns = parts["dialogue"].count("<eos>") + 1
    meta = {
        **{f"count_{item}": c for item, c in zip(ITEMS, counts, strict=True)},
        **{f"value_you_{item}": v for item, v in zip(ITEMS, mine[1::2], strict=True)},
        **{f"value_them_{item}": w for item, w in zip(ITEMS, theirs[1::2], strict=True)},
        "turns": turns,
    }
    case = split_case(counts, mine[1::2], theirs[1::2], name=f"Deal or No Deal, line {line}",
                      source=f"{file}:{line}")
    return CorpusRecord(line, case, agreement, outcome, meta)


class DealOrNoDeal:
    """Corpus adapter for Deal or No Deal files (``train.txt``, ``val.txt``, ``test.txt``)."""

    name = "dealornodeal"
    description = "Deal or No Deal (Lewis et al. 2017): one side's view of a three-item split per line"

    def records(self, path: str) -> Iterator[CorpusRecord]:
        """One record per non-blank line; blank lines are skipped (line numbers stay the file's)."""
        for n, text in enumerate(read_text(path, what="a corpus file", limit=MAX_DATA_BYTES).splitlines(), start=1):
            if text.strip():
                yield parse_line(text, file=path, line=n)


ADAPTER = register(DealOrNoDeal())
