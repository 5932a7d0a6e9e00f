"""CaSiNo (Chawla et al. 2021): campsite negotiations over Food, Water and Firewood, each dialogue with its
own preferences.

Two campers split three packages each of Food, Water and Firewood. Each participant ranks the items
(``participant_info[agent]["value2issue"]`` maps ``High``/``Medium``/``Low`` to an item): every package of
the High item is worth 5 points to them, Medium 4, Low 3; walking away gives each 5 points. Each dialogue
becomes an ordinary two-party, three-issue case:

- parties ``mturk_agent_1`` and ``mturk_agent_2``, BATNA 5 points each;
- issues ``Food``, ``Water``, ``Firewood``: how many packages agent 1 receives (0..3; agent 2 gets the rest);
- additive points on one shared scale (both tables are the corpus's 5/4/3 points per package).

The outcome is read from ``chat_logs`` in order: ``Walk-Away`` ends the dialogue without agreement;
``Submit-Deal`` carries ``task_data.issue2youget`` / ``issue2theyget`` from the submitter's point of view,
and a later ``Accept-Deal`` by the other participant makes the last submitted deal the agreement.

Every dialogue is one of only 36 preference pairings, and up to the order of the items one of 6 (agent 2's
points for agent 1's High, Medium and Low items): the records carry that pairing as their game, so the corpus
costs six small frontiers. Each record is labelled with its preference alignment — ``identical order``,
``same top item`` or ``different top item`` — and the figures are broken down by it.

References
----------
Chawla, K., Ramirez, J., Clever, R., Lucas, G., May, J., Gratch, J. (2021). CaSiNo: A Corpus of Campsite
Negotiation Dialogues for Automatic Negotiation Systems. *NAACL 2021*. Data: kushalchawla/CaSiNo (CC BY 4.0).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from accord.corpora import CorpusRecord, register
from accord.errors import FormatError
from accord.io._files import MAX_DATA_BYTES, check_nesting, read_text
from accord.model import Case, Issue, Party, Preferences

ITEMS = ("Food", "Water", "Firewood")
AGENTS = ("mturk_agent_1", "mturk_agent_2")
#: Points per package of the High, Medium and Low item.
PRIORITY_POINTS = {"High": 5, "Medium": 4, "Low": 3}
PACKAGES = 3
WALK_AWAY_POINTS = 5.0
ALIGNMENTS = ("identical order", "same top item", "different top item")

_ISSUES = tuple(Issue.integer_range(item, 0, PACKAGES, description=f"packages of {item} agent 1 receives "
                                    f"(agent 2 gets the rest of {PACKAGES})") for item in ITEMS)
_PARTIES = tuple(Party(a, batna=WALK_AWAY_POINTS) for a in AGENTS)


@lru_cache(maxsize=64)
def dialogue_case(values_1: tuple[int, ...], values_2: tuple[int, ...]) -> Case:
    """The case of a dialogue whose participants value a package of (Food, Water, Firewood) at ``values_1``
    and ``values_2`` points (cached: there are only 36 pairings).

    Examples
    --------
    >>> case = dialogue_case((4, 3, 5), (5, 4, 3))
    >>> case.utility({"Food": 0, "Water": 0, "Firewood": 3}).tolist()  # 1 takes all firewood, 2 the rest
    [15.0, 27.0]
    """
    prefs = (
        Preferences(tuple(tuple(float(v * x) for x in range(PACKAGES + 1)) for v in values_1)),
        Preferences(tuple(tuple(float(v * (PACKAGES - x)) for x in range(PACKAGES + 1)) for v in values_2)),
    )
    return Case("CaSiNo dialogue", _ISSUES, _PARTIES, prefs, shared_scales=True,
                description="Two campers split three packages each of Food, Water and Firewood.")


def alignment(values_1: tuple[int, ...], values_2: tuple[int, ...]) -> str:
    """``identical order``, ``same top item`` or ``different top item`` for two priority orders."""
    if values_1 == values_2:
        return ALIGNMENTS[0]
    return ALIGNMENTS[1] if values_1.index(5) == values_2.index(5) else ALIGNMENTS[2]


def _game(values_1: tuple[int, ...], values_2: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """The pairing up to the order of the items: agent 2's points for agent 1's High, Medium, Low item."""
    order = sorted(range(len(ITEMS)), key=lambda k: -values_1[k])
    return ("casino", tuple(values_2[k] for k in order))


def _values(info: Any, agent: str, where: str, file: str) -> tuple[int, ...]:
    try:
        v2i = info[agent]["value2issue"]
        by_item = {item: level for level, item in v2i.items()}
        if sorted(v2i) != sorted(PRIORITY_POINTS) or sorted(by_item) != sorted(ITEMS):
            raise ValueError
        return tuple(PRIORITY_POINTS[by_item[item]] for item in ITEMS)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise FormatError(f"participant_info.{agent}.value2issue must map High, Medium and Low to Food, Water "
                          f"and Firewood (each once)", file=file, place=where) from None


def _counts(task: Any, key: str, where: str, file: str) -> tuple[int, ...]:
    try:
        table = task[key]
        out = tuple(int(str(table[item])) for item in ITEMS)
    except (KeyError, TypeError, ValueError):
        raise FormatError(f"a Submit-Deal's task_data.{key} must give a whole number of packages for Food, "
                          f"Water and Firewood", file=file, place=where) from None
    if any(not 0 <= x <= PACKAGES for x in out):
        raise FormatError(f"task_data.{key} gives {list(out)} packages; each item has 0..{PACKAGES}", file=file,
                          place=where)
    return out


def parse_dialogue(d: Any, *, number: int = 1, file: str = "<casino>") -> CorpusRecord:
    """Read one CaSiNo dialogue (a dict of the corpus's JSON list) as a :class:`CorpusRecord`.

    Raises
    ------
    FormatError
        Missing or malformed priorities, a submitted deal that does not split 3 packages of each item, or an
        ``Accept-Deal`` with no deal submitted by the other participant. The place names the dialogue's
        position and id.

    Examples
    --------
    >>> d = {"dialogue_id": 7, "participant_info": {
    ...     "mturk_agent_1": {"value2issue": {"High": "Food", "Medium": "Water", "Low": "Firewood"}},
    ...     "mturk_agent_2": {"value2issue": {"High": "Water", "Medium": "Food", "Low": "Firewood"}}},
    ...     "chat_logs": [{"id": "mturk_agent_2", "text": "Submit-Deal", "task_data": {
    ...         "issue2youget": {"Food": "0", "Water": "3", "Firewood": "1"},
    ...         "issue2theyget": {"Food": "3", "Water": "0", "Firewood": "2"}}},
    ...         {"id": "mturk_agent_1", "text": "Accept-Deal", "task_data": {}}]}
    >>> rec = parse_dialogue(d)
    >>> rec.agreement, rec.case.utility(rec.agreement).tolist(), rec.group
    ((3, 0, 2), [21.0, 18.0], 'different top item')
    """
    dialogue_id = d.get("dialogue_id") if isinstance(d, dict) else None
    where = f"dialogue {number}" + (f" (dialogue_id {dialogue_id})" if dialogue_id is not None else "")
    if not isinstance(d, dict):
        raise FormatError("each dialogue must be a JSON object", file=file, place=where)
    info = d.get("participant_info")
    v1 = _values(info, AGENTS[0], where, file)
    v2 = _values(info, AGENTS[1], where, file)
    logs = d.get("chat_logs")
    if not isinstance(logs, list):
        raise FormatError("chat_logs must be a list of turns", file=file, place=where)
    submitted: tuple[str, tuple[int, ...]] | None = None
    agreement: tuple[int, ...] | None = None
    outcome = "no agreement"
    for t, turn in enumerate(logs, start=1):
        if not isinstance(turn, dict):
            raise FormatError(f"turn {t} of chat_logs must be an object", file=file, place=where)
        text, who = turn.get("text"), turn.get("id")
        if text == "Walk-Away":
            outcome = "walk-away"
            break
        if text == "Submit-Deal":
            task = turn.get("task_data")
            you = _counts(task, "issue2youget", f"{where}, turn {t}", file)
            they = _counts(task, "issue2theyget", f"{where}, turn {t}", file)
            if any(a + b != PACKAGES for a, b in zip(you, they, strict=True)):
                raise FormatError(f"the deal gives {list(you)} and {list(they)} packages of Food, Water and "
                                  f"Firewood, which does not split {PACKAGES} of each", file=file,
                                  place=f"{where}, turn {t}")
            if who not in AGENTS:
                raise FormatError(f"turn {t} is by {who!r}, not {' or '.join(AGENTS)}", file=file, place=where)
            submitted = (str(who), you if who == AGENTS[0] else they)
        elif text == "Accept-Deal":
            if submitted is None or submitted[0] == who:
                raise FormatError(f"turn {t} accepts a deal, but the other participant submitted none", file=file,
                                  place=where)
            agreement = submitted[1]
            outcome = "agreement"
            break
    order = {a: ">".join(ITEMS[k] for k in sorted(range(len(ITEMS)), key=lambda k: -v[k]))
             for a, v in ((AGENTS[0], v1), (AGENTS[1], v2))}
    meta: dict[str, Any] = {"dialogue_id": dialogue_id, **{f"priorities_{a}": o for a, o in order.items()}}
    if isinstance(info, dict):
        for a in AGENTS:
            scored = ((info.get(a) or {}).get("outcomes") or {}).get("points_scored")
            if isinstance(scored, int | float):
                meta[f"recorded_points_{a}"] = scored
    return CorpusRecord(number, dialogue_case(v1, v2), agreement, outcome, meta, game=_game(v1, v2),
                        group=alignment(v1, v2))


class CaSiNo:
    """Corpus adapter for CaSiNo JSON files (``casino_train.json``, ``casino.json``, ...)."""

    name = "casino"
    description = "CaSiNo (Chawla et al. 2021): campsite negotiations over Food, Water and Firewood"
    unit = "dialogues"
    groups = ALIGNMENTS

    def records(self, path: str) -> Iterator[CorpusRecord]:
        """One record per dialogue of the file's JSON list (numbered from 1)."""
        text = read_text(path, what="a corpus file", limit=MAX_DATA_BYTES)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FormatError(f"not valid JSON ({err.msg})", file=path, place=f"line {err.lineno}") from None
        except RecursionError:
            # json.loads recurses once per level and stops itself near a thousand; scanning every file for
            # its depth first would cost more than parsing it, so only a failed parse is scanned, for the line
            check_nesting(text, file=path)
            raise FormatError("lists and objects are nested too deeply; check the file", file=path) from None
        except ValueError:  # Python refuses integers of more than 4,300 digits
            raise FormatError("a number has thousands of digits; check the file", file=path) from None
        if not isinstance(data, list):
            raise FormatError("a CaSiNo file is a JSON list of dialogues", file=path)
        for n, d in enumerate(data, start=1):
            yield parse_dialogue(d, number=n, file=path)


ADAPTER = register(CaSiNo())
