"""Run ~200 hostile inputs through the ``accord`` command line and tabulate what happens to each.

Each input (a malformed, huge, deeply nested, markup-laden or absurd case file, belief file, agreements CSV,
GENIUS file or corpus, or an absurd command-line option) runs as ``python -m accord ...`` in its own
subprocess with a memory limit (``resource.setrlimit(RLIMIT_AS)``) and a timeout. Outcomes:

``ok``       exit code 0
``refused``  exit code 2 and exactly one line ``accord: error: ...`` on stderr (what a user error must give)
``messy``    exit code 2 but more than one line on stderr, or no ``accord: error:`` prefix
``crash``    a traceback or any other exit code
``hang``     still running at the timeout (killed)

The small inputs live in ``tests/hostile/`` (written by ``--write``; the regular tests read them); large
ones (a 5 MB file, ``/dev/zero``) are made in a temporary folder at run time. Usage::

    uv run python scripts/hostile.py              # run everything, print the table and the summary
    uv run python scripts/hostile.py --write      # (re)write tests/hostile/ from the generators below
    uv run python scripts/hostile.py -k laughs    # only inputs whose name contains "laughs"

Exit code 1 if any input crashed, hung or gave a messy error.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "hostile"
JOB = ROOT / "examples" / "job-offer.yaml"
JOB_DEAL = "salary=84k,signing_bonus=none,start_date=1 May,remote_days=2,training_budget=none,vacation_days=25"
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space per run
TIMEOUT = 60.0  # seconds per run

Case = dict[str, Any]


# ---------------------------------------------------------------------------------------------------------
# the inputs
# ---------------------------------------------------------------------------------------------------------
def small_case() -> Case:
    """A two-party, two-issue case every mutation starts from."""
    return {
        "name": "hostile",
        "parties": {"A": {"batna": 0}, "B": {"batna": 0}},
        "issues": {"x": ["a", "b", "c"], "y": {"type": "integer", "min": 0, "max": 4}},
        "preferences": {
            "A": {"x": {"a": 0, "b": 5, "c": 10}, "y": {"linear": {"at_min": 0, "at_max": 8}}},
            "B": {"x": {"a": 10, "b": 5, "c": 0}, "y": {"linear": {"at_min": 4, "at_max": 0}}},
        },
    }


def _dump(case: Any) -> bytes:
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True).encode()


def _with(path: tuple[Any, ...], value: Any, base: Case | None = None) -> bytes:
    """``small_case()`` (or ``base``) with the value at ``path`` replaced (``...`` deletes it)."""
    case = copy.deepcopy(base if base is not None else small_case())
    node = case
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return _dump(case)


def _renamed(old: str, new: str) -> bytes:
    """``small_case()`` with party, issue or option ``old`` renamed to ``new`` everywhere."""
    text = json.dumps(small_case())
    return _dump(json.loads(text.replace(f'"{old}"', json.dumps(new))))


LAUGHS = b"".join(
    [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
)

XML_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'.encode()
                         for i in range(1, 10))
              + b']>\n<negotiation_template><utility_space><objective name="&lol9;"/></utility_space>'
                b"</negotiation_template>\n")

XML_XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           b'<negotiation_template><utility_space><objective index="0" name="&x;">'
           b'<issue index="1" name="i" type="discrete"><item index="1" value="a"/></issue>'
           b"</objective></utility_space></negotiation_template>\n")


def file_inputs() -> dict[str, bytes]:
    """Files that attack the reader and the parsers (case files unless the suffix says otherwise)."""
    out: dict[str, bytes] = {
        "empty.yaml": b"",
        "blank.yaml": b"   \n\n\t\n",
        "comment-only.yaml": b"# nothing here\n",
        "null.yaml": b"null\n",
        "scalar.yaml": b"42\n",
        "list.yaml": b"- a\n- b\n",
        "string.yaml": b"just some text\n",
        "latin1.yaml": "name: café\n".encode("latin-1"),
        "utf16.yaml": "name: x\n".encode("utf-16"),
        "binary.yaml": bytes(range(256)) * 4,
        "nul-bytes.yaml": b"name: x\x00\x00\nparties: {}\n",
        "bom.yaml": b"\xef\xbb\xbf" + _dump(small_case()),
        "tabs.yaml": b"name: x\nparties:\n\tA: {}\n",
        "bad-indent.yaml": b"name: x\nparties:\n  A: {}\n B: {}\n",
        "unclosed-flow.yaml": b"name: x\nparties: {A: {}, B: {}\n",
        "unclosed-quote.yaml": b'name: "x\nparties: {}\n',
        "laughs.yaml": LAUGHS,
        "recursive-alias.yaml": b"a: &a [*a]\n",
        "recursive-map.yaml": b"a: &a {b: *a}\n",
        "undefined-alias.yaml": b"a: *nope\n",
        "deep-flow.yaml": b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "deep-map-flow.yaml": b"x: " + b"{a: " * 3000 + b"1" + b"}" * 3000 + b"\n",
        "deep-block.yaml": b"name: x\nissues:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 300)),
        "deep.json": b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "deep-obj.json": b'{"a": ' * 3000 + b"1" + b"}" * 3000,
        "python-tag.yaml": b"name: !!python/object/apply:os.system ['echo hi']\n",
        "binary-tag.yaml": b"name: !!binary aGVsbG8=\n",
        "set-tag.yaml": b"name: !!set {a, b}\n",
        "timestamp-key.yaml": b"name: x\nparties: {2024-01-01: {}, B: {}}\n",
        "multi-doc.yaml": _dump(small_case()) + b"---\n" + _dump(small_case()),
        "merge-key.yaml": b"base: &b {batna: 0}\n" + _dump(small_case()).replace(b"A:\n    batna: 0", b"A: {<<: *b}"),
        "dup-key.yaml": _dump(small_case()).replace(b"  B:\n    batna: 0\n", b"  A:\n    batna: 1\n"),
        "dup-key.json": b'{"name": "x", "name": "y"}',
        "json-nan.json": json.dumps(small_case()).replace('"batna": 0', '"batna": NaN', 1).encode(),
        "json-inf.json": json.dumps(small_case()).replace('"batna": 0', '"batna": Infinity', 1).encode(),
        "json-1e400.json": json.dumps(small_case()).replace('"batna": 0', '"batna": 1e400', 1).encode(),
        "json-bigint.json": json.dumps(small_case()).replace('"batna": 0', '"batna": ' + "9" * 5000, 1).encode(),
        "json-trailing.json": json.dumps(small_case()).encode() + b" garbage",
        "json-as-yaml.yaml": json.dumps(small_case()).encode(),
        "long-line.yaml": b"name: " + b"x" * 100_000 + b"\n",
        "many-keys.yaml": b"name: x\n" + b"".join(f"k{i}: 1\n".encode() for i in range(20000)),
        "xml-laughs.xml": XML_LAUGHS,
        "xml-xxe.xml": XML_XXE,
        "xml-deep.xml": b"<a>" * 5000 + b"</a>" * 5000,
        "xml-garbage.xml": b"<negotiation_template><<<>>>",
        "xml-empty.xml": b"",
        "xml-not-genius.xml": b"<?xml version='1.0'?><html><body>hi</body></html>",
        "geniusweb-deep.json": b'{"LinearAdditiveUtilitySpace": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        "geniusweb-garbage.json": b'{"LinearAdditiveUtilitySpace": {"issueUtilities": 5}}',
        "corpus-garbage.txt": b"<input> 1 2 3 </input> nonsense\n",
        "corpus-empty.txt": b"",
        "corpus-numbers.txt": b"<input> 99999999999999999999 1e308 -1 0 0 0 </input> <dialogue> THEM: hi <eos> "
                              b"</dialogue> <output> item0=1 item1=1 item2=1 item0=0 item1=0 item2=0 </output> "
                              b"<partner_input> 1 2 3 4 5 6 </partner_input>\n",
        "belief-deep.json": b"[" * 5000 + b"]" * 5000,
        "belief-garbage.json": b'{"hypotheses": "lots", "count": 1000000}',
        "belief-count.json": b'{"hypotheses": [], "request": {"count": 100000000}}',
        "belief-list.json": b"[1, 2, 3]",
        "agreements-formula.csv": b"id,x,y\n=HYPERLINK(\"http://evil\"),a,0\n@SUM(1),b,1\n+1+2,c,2\n-3,a,3\n",
        "agreements-empty.csv": b"",
        "agreements-header-only.csv": b"id,x,y\n",
        "agreements-wide.csv": b"id," + b",".join(f"c{i}".encode() for i in range(5000)) + b"\n",
        "agreements-quotes.csv": b'id,x,y\n"unterminated,a,0\n',
        "agreements-nul.csv": b"id,x,y\n\x00,a,0\n",
    }
    return out


def case_inputs() -> dict[str, bytes]:
    """Case files that parse but attack the schema, the model, the sizes and the magnitudes."""
    c = small_case
    out: dict[str, bytes] = {}
    # structure: every required key missing, every value of the wrong kind
    for key in ("name", "parties", "issues", "preferences"):
        out[f"no-{key}.yaml"] = _with((key,), ...)
        out[f"{key}-is-list.yaml"] = _with((key,), [1, 2])
        out[f"{key}-is-number.yaml"] = _with((key,), 7)
        out[f"{key}-is-null.yaml"] = _with((key,), None)
    out["one-party.yaml"] = _dump({**c(), "parties": {"A": {}}, "preferences": {"A": c()["preferences"]["A"]}})
    out["no-issues.yaml"] = _with(("issues",), {})
    out["party-unknown-pref.yaml"] = _with(("preferences", "C"), {"x": {"a": 1, "b": 1, "c": 1}, "y": {}})
    out["party-no-pref.yaml"] = _with(("preferences", "B"), ...)
    out["batna-text.yaml"] = _with(("parties", "A", "batna"), "lots")
    out["batna-list.yaml"] = _with(("parties", "A", "batna"), [1, 2])
    out["batna-package-unknown.yaml"] = _with(("parties", "A", "batna"), {"package": {"x": "zzz", "y": 1}})
    out["batna-package-partial.yaml"] = _with(("parties", "A", "batna"), {"package": {"x": "a"}})
    out["batna-huge.yaml"] = _with(("parties", "A", "batna"), 1e300)
    out["points-text.yaml"] = _with(("preferences", "A", "x", "a"), "ten")
    out["points-null.yaml"] = _with(("preferences", "A", "x", "a"), None)
    out["points-list.yaml"] = _with(("preferences", "A", "x"), [0, 5, 10])
    out["points-bool.yaml"] = _with(("preferences", "A", "x", "a"), True)
    out["points-missing-option.yaml"] = _with(("preferences", "A", "x", "a"), ...)
    out["points-unknown-option.yaml"] = _with(("preferences", "A", "x", "zzz"), 3)
    out["points-unknown-issue.yaml"] = _with(("preferences", "A", "zzz"), {"a": 1})
    out["options-empty.yaml"] = _with(("issues", "x"), [])
    out["options-dup.yaml"] = _with(("issues", "x"), ["a", "a", "b", "c"])
    out["options-null.yaml"] = _with(("issues", "x"), ["a", None, "c"])
    out["options-nested.yaml"] = _with(("issues", "x"), [["a"], {"b": 1}, "c"])
    out["options-10k.yaml"] = _with(("issues", "x"), [f"o{i}" for i in range(10000)])
    out["issue-string.yaml"] = _with(("issues", "x"), "a, b, c")
    out["issue-type-bogus.yaml"] = _with(("issues", "y", "type"), "complex")
    out["linear-categorical.yaml"] = _with(("preferences", "A", "x"), {"linear": {"at_min": 0, "at_max": 1}})
    out["triangular-bad.yaml"] = _with(("preferences", "A", "y"), {"triangular": {"low": 5, "peak": 1, "high": 0}})
    out["weights-unknown.yaml"] = _with(("preferences", "A", "weights"), {"zzz": 1})
    out["weights-negative.yaml"] = _with(("preferences", "A", "weights"), {"x": -1, "y": 1})
    out["weights-huge.yaml"] = _with(("preferences", "A", "weights"), {"x": 1e12, "y": 1e12})
    out["scale-zero.yaml"] = _with(("preferences", "A", "scale"), 0)
    out["scale-huge.yaml"] = _with(("preferences", "A", "scale"), 1e12)
    out["cap-huge.yaml"] = _with(("preferences", "A", "cap"), 1e12)
    out["cap-negative.yaml"] = _with(("preferences", "A", "cap"), -5)
    out["interaction-empty.yaml"] = _with(("preferences", "A", "interactions"), [{"when": {}, "points": 1}])
    out["interaction-unknown.yaml"] = _with(("preferences", "A", "interactions"),
                                            [{"when": {"zzz": ["a"]}, "points": 1}])
    out["interaction-huge.yaml"] = _with(("preferences", "A", "interactions"),
                                         [{"when": {"x": ["a"], "y": {"min": 0, "max": 2}}, "points": 1e12}])
    out["interaction-many.yaml"] = _with(("preferences", "A", "interactions"),
                                         [{"when": {"x": ["a"], "y": [i % 5]}, "points": i} for i in range(2000)])
    out["estimates-unknown.yaml"] = _with(("estimates",), {"A": {"Z": {"x": {"a": 1}}}})
    out["events-bad-probs.yaml"] = _with(("events",), {"e": {"outcomes": ["u", "d"],
                                                           "beliefs": {"A": {"u": 2, "d": -1}}}})
    out["events-huge-money.yaml"] = _with(("events",), {"e": {"outcomes": ["u", "d"], "beliefs": {
        "A": {"u": 0.5, "d": 0.5}, "B": {"u": 0.9, "d": 0.1}}, "money": {"points_per_unit": {"A": 1e12, "B": 1e12},
                                                                        "exposure": {"A": {"u": 1e12, "d": -1e12}}}}})
    out["unknown-top-key.yaml"] = _with(("colour",), "red")
    out["shared-scales-text.yaml"] = _with(("shared_scales",), "maybe")
    # sizes: ranges and grids are checked before options are built
    out["range-1e12.yaml"] = _with(("issues", "y"), {"type": "integer", "min": 0, "max": 10**12})
    out["range-neg-1e12.yaml"] = _with(("issues", "y"), {"min": -(10**12), "max": 10**12})
    out["range-2e6.yaml"] = _with(("issues", "y"), {"min": 0, "max": 2_000_000})
    out["range-reversed.yaml"] = _with(("issues", "y"), {"min": 10, "max": 0})
    out["range-single.yaml"] = _with(("issues", "y"), {"min": 3, "max": 3})
    out["range-half.yaml"] = _with(("issues", "y"), {"type": "integer", "min": 0.5, "max": 3})
    out["step-zero.yaml"] = _with(("issues", "y"), {"min": 0, "max": 4, "step": 0})
    out["step-negative.yaml"] = _with(("issues", "y"), {"min": 0, "max": 4, "step": -1})
    out["step-huge.yaml"] = _with(("issues", "y"), {"min": 0, "max": 4, "step": 10**30})
    out["step-float.yaml"] = _with(("issues", "y"), {"min": 0, "max": 4, "step": 0.5})
    for g in (0, 1, -3, 10**9, 10**30, 2.5):
        out[f"grid-{g}.yaml"] = _with(("issues", "y"), {"type": "real", "min": 0, "max": 1, "grid": g})
    out["real-huge-bounds.yaml"] = _with(("issues", "y"), {"type": "real", "min": -1e300, "max": 1e300})
    out["real-min-max.yaml"] = _with(("issues", "y"), {"type": "real", "min": -1.7e308, "max": 1.7e308})
    out["real-equal.yaml"] = _with(("issues", "y"), {"type": "real", "min": 1, "max": 1})
    out["range-and-options.yaml"] = _with(("issues", "y"), {"type": "integer", "options": [1, 2], "min": 0, "max": 4})
    # magnitudes
    for name, value in (("1.7e308", 1.7e308), ("1e300", 1e300), ("1e13", 1e13), ("neg-1e13", -1e13),
                        ("1e-300", 1e-300), ("nan", float("nan")), ("inf", float("inf")), ("neg-inf", float("-inf"))):
        out[f"points-{name}.yaml"] = _with(("preferences", "A", "x", "c"), value)
    out["points-1e300-beside-3000.yaml"] = _dump({**c(), "preferences": {
        "A": {"x": {"a": 0, "b": 1e300, "c": 1e300}, "y": {"linear": {"at_min": 0, "at_max": 3000}}},
        "B": c()["preferences"]["B"]}})
    out["points-1e12-beside-half.yaml"] = _dump({**c(), "preferences": {
        "A": {"x": {"a": 0, "b": 1e12, "c": 1e12}, "y": {"linear": {"at_min": 0, "at_max": 0.5}}},
        "B": c()["preferences"]["B"]}})
    out["points-all-zero.yaml"] = _dump({**c(), "preferences": {
        "A": {"x": {"a": 0, "b": 0, "c": 0}, "y": {"linear": {"at_min": 0, "at_max": 0}}},
        "B": {"x": {"a": 0, "b": 0, "c": 0}, "y": {"linear": {"at_min": 0, "at_max": 0}}}}})
    out["points-negative.yaml"] = _dump({**c(), "preferences": {
        "A": {"x": {"a": -10, "b": -5, "c": 0}, "y": {"linear": {"at_min": -8, "at_max": 0}}},
        "B": c()["preferences"]["B"]}})
    out["points-tiny.yaml"] = _dump({**c(), "preferences": {
        "A": {"x": {"a": 0, "b": 1e-12, "c": 2e-12}, "y": {"linear": {"at_min": 0, "at_max": 1e-12}}},
        "B": c()["preferences"]["B"]}})
    out["batna-above-all.yaml"] = _with(("parties", "A", "batna"), 1000)
    # names: printed literally, never read as markup or breaking option syntax
    for tag, name in (("slash", "[/]"), ("red", "[red]"), ("bold", "[bold]x[/bold]"), ("backslash", "x\\"),
                      ("emoji-code", ":smile:"), ("emoji", "🤝"), ("rtl", "\u202eevil"), ("zwsp", "a\u200bb"),
                      ("newline", "two\nlines"), ("equals", "a=b"), ("comma", "a,b"), ("long", "n" * 5000),
                      ("spaces", "   "), ("percent", "%s%d{0}"), ("html", "<script>alert(1)</script>"),
                      ("ansi", "\x1b[31mred\x1b[0m")):
        out[f"name-party-{tag}.yaml"] = _renamed("A", name)
        out[f"name-issue-{tag}.yaml"] = _renamed("x", name)
        out[f"name-option-{tag}.yaml"] = _renamed("b", name)
    out["name-case-markup.yaml"] = _with(("name",), "[red]case[/]")
    out["name-empty-party.yaml"] = _renamed("A", "")
    out["name-reserved-issue.yaml"] = _renamed("x", "weights")
    out["name-yes-no.yaml"] = _with(("issues", "x"), ["yes", "no", "on"], base=json.loads(
        json.dumps(small_case()).replace('"a"', '"yes"').replace('"b"', '"no"').replace('"c"', '"on"')))
    # many parties, issues, packages: bounded, not hung
    many = small_case()
    many["issues"] = {f"i{k}": [f"o{j}" for j in range(10)] for k in range(40)}
    many["preferences"] = {p: {f"i{k}": {f"o{j}": (j * (k + 1) if p == "A" else (9 - j) * (k + 2)) for j in range(10)}
                               for k in range(40)} for p in ("A", "B")}
    out["packages-1e40.yaml"] = _dump(many)
    crowd = small_case()
    crowd["parties"] = {f"P{i}": {"batna": 0} for i in range(30)}
    crowd["preferences"] = {f"P{i}": {"x": {"a": i % 3, "b": (i + 1) % 3, "c": (i + 2) % 3},
                                      "y": {"linear": {"at_min": i % 2, "at_max": (i + 1) % 2}}} for i in range(30)}
    out["parties-30.yaml"] = _dump(crowd)
    out["option-1e6.yaml"] = _with(("issues", "y"), {"min": 0, "max": 999_999})
    crowd["parties"] = {f"P{i}": {"batna": 0} for i in range(400)}
    crowd["preferences"] = {f"P{i}": {"x": {"a": i % 3, "b": (i + 1) % 3, "c": (i + 2) % 3},
                                      "y": {"linear": {"at_min": i % 2, "at_max": (i + 1) % 2}}} for i in range(400)}
    out["parties-400.yaml"] = _dump(crowd)
    wide = {"name": "wide", "parties": {"A": {}, "B": {}},
            "issues": {f"i{k}": {"type": "integer", "min": 0, "max": 9} for k in range(100)},
            "preferences": {p: {f"i{k}": {"linear": {"at_min": k if p == "A" else 0,
                                                     "at_max": 0 if p == "A" else k + 1}}
                                for k in range(100)} for p in "AB"}}
    out["issues-100-opposed.yaml"] = _dump(wide)
    wide["issues"] = {f"i{k}": ["a", "b"] for k in range(400)}
    wide["preferences"] = {p: {f"i{k}": {"a": k if p == "A" else 0, "b": 0 if p == "A" else k + 1} for k in range(400)}
                           for p in "AB"}
    out["issues-400.yaml"] = _dump(wide)
    return out


def inputs(tmp: Path) -> Iterator[tuple[str, list[str]]]:
    """Every hostile run: (name, accord arguments). Files are looked up in ``tests/hostile``; the big ones
    are written to ``tmp``."""
    h = CORPUS

    def f(name: str) -> str:
        return str(h / name)

    big = tmp / "big.yaml"
    big.write_bytes(b"# padding\n" * 600_000)  # 6 MB: over the 4 MiB cap
    yield "file: /dev/zero", ["validate", "/dev/zero"]
    yield "file: /dev/null", ["validate", "/dev/null"]
    yield "file: /dev/urandom", ["validate", "/dev/urandom"]
    yield "file: 6 MB of comments", ["validate", str(big)]
    yield "file: a folder", ["validate", str(h)]
    yield "file: missing", ["validate", str(tmp / "missing.yaml")]
    yield "file: /proc/self/mem", ["validate", "/proc/self/mem"]
    for name in file_inputs():
        if name.startswith("xml-"):
            yield f"genius: {name}", ["validate", f(name)]
            yield f"import genius: {name}", ["import", "genius", f(name), f(name)]
        elif name.startswith("geniusweb-"):
            yield f"import geniusweb: {name}", ["import", "geniusweb", f(name)]
        elif name.startswith("corpus-"):
            yield f"corpus: {name}", ["corpus", "dealornodeal", f(name)]
        elif name.startswith("belief-"):
            yield f"meso --belief {name}", ["meso", str(JOB), "--party", "candidate", "--belief", f(name)]
        elif name.startswith("agreements-"):
            yield f"evaluate --agreements {name}", ["evaluate", f("base.yaml"), "--agreements", f(name),
                                                    "--skip-bad", "--per-row", str(tmp / "rows.csv")]
        else:
            yield f"validate {name}", ["validate", f(name)]
    yield "corpus: /dev/zero", ["corpus", "dealornodeal", "/dev/zero"]
    yield "evaluate --agreements /dev/zero", ["evaluate", str(JOB), "--agreements", "/dev/zero"]
    yield "meso --belief /dev/zero", ["meso", str(JOB), "--party", "candidate", "--belief", "/dev/zero"]
    for name in case_inputs():  # analyze reads and validates the case, then runs every analysis on it
        yield f"analyze --json {name}", ["analyze", "--json", f(name)]
    for name in ("packages-1e40.yaml", "parties-30.yaml", "option-1e6.yaml", "issues-100-opposed.yaml",
                 "name-party-slash.yaml",
                 "name-option-red.yaml", "name-issue-backslash.yaml"):
        yield f"analyze {name}", ["analyze", f(name)]
        yield f"frontier {name}", ["frontier", f(name)]
    # the commands' numeric options
    job = str(JOB)
    for opts in (["--count", "1000000"], ["--count", "0"], ["--count", "-5"], ["--tolerance", "1e308"],
                 ["--tolerance", "nan"], ["--level", "nan"], ["--level", "1e308"], ["--target", "inf"],
                 ["--target", "-1e308"], ["--rationality", "1e308"], ["--rationality", "0"], ["--seed", "-1"],
                 ["--seed", "99999999999999999999999"], ["--chosen", "5"]):
        yield f"meso {' '.join(opts)}", ["meso", job, "--party", "candidate", *opts]
    for cmd, opts in (("frontier", ["--cap", "10000000000000"]), ("frontier", ["--cap", "-1"]),
                      ("frontier", ["--limit", "100000000000000"]), ("frontier", ["--limit", "0"]),
                      ("frontier", ["--grid", "1000000000"]), ("frontier", ["--grid", "0"]),
                      ("frontier", ["--at-least", "candidate=1e308"]), ("frontier", ["--at-least", "candidate=nan"]),
                      ("frontier", ["--fix", "=,=,="]), ("frontier", ["--preferred-to", ","]),
                      ("logroll", ["--limit", "100000000000"]), ("logroll", ["--limit", "-1"]),
                      ("analyze", ["--tau", "nan"]), ("analyze", ["--tau", "1e308"]), ("analyze", ["--tau", "-0"]),
                      ("presettle", ["--fix", "salary=84k", "--show", "10000000000"]),
                      ("presettle", ["--fix", "salary=84k", "--show", "-1"]),
                      ("improve", ["--agreement", JOB_DEAL, "--cap", "100000000000"]),
                      ("improve", ["--agreement", JOB_DEAL, "--cap", "-3"]),
                      ("evaluate", ["--agreement", JOB_DEAL, "--cap", "100000000000"]),
                      ("evaluate", ["--agreement", "salary=84k,salary=84k"]),
                      ("evaluate", ["--agreement", "=" * 10000]),
                      ("evaluate", ["--agreement", "[red]=[/]"])):
        yield f"{cmd} {' '.join(opts)[:50]}", [cmd, job, *opts]
    neg = ["-n", "boulware,conceder"]
    for cmd, opts in (("simulate", ["--rounds", "1000000000000"]), ("simulate", ["--meso", "1000000000"]),
                      ("simulate", ["--meso", "0"]), ("simulate", ["--seed", "-1"]),
                      ("tournament", ["-o", str(tmp / "t.csv"), "--repetitions", "1000000000"]),
                      ("tournament", ["-o", str(tmp / "t.csv"), "--workers", "1000000"]),
                      ("tournament", ["-o", str(tmp / "t.csv"), "--rounds", "-5"])):
        yield f"{cmd} {' '.join(opts[-2:])}", [cmd, job, *neg, *opts]
    yield "import genius --grid 1e11", ["import", "genius", f("xml-garbage.xml"), "--grid", "100000000000"]
    yield "import genius --grid 0", ["import", "genius", f("xml-garbage.xml"), "--grid", "0"]


# ---------------------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------------------
def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_one(argv: list[str], timeout: float) -> tuple[str, int | None, str, float]:
    """Run ``python -m accord argv``: (outcome, exit code, first stderr line, seconds)."""
    start = time.perf_counter()
    env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    try:
        proc = subprocess.run([sys.executable, "-m", "accord", *argv], capture_output=True, timeout=timeout,
                              preexec_fn=_limit_memory, env=env, cwd=ROOT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "hang", None, f"killed after {timeout:g} s", time.perf_counter() - start
    seconds = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace")
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("accord: warning:")]
    first = lines[0] if lines else ""
    if "Traceback" in err or "MemoryError" in err or proc.returncode not in (0, 2):
        crash = next((ln for ln in reversed(lines) if ln.strip()), first)
        return "crash", proc.returncode, crash, seconds
    if proc.returncode == 0:
        return "ok", 0, first, seconds
    if len(lines) == 1 and first.startswith("accord: error: "):
        return "refused", 2, first, seconds
    return "messy", 2, first, seconds


def write_corpus(folder: Path = CORPUS) -> int:
    """Write every small input to ``folder``; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**file_inputs(), **case_inputs(), "base.yaml": _dump(small_case())}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return len(files)


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="(re)write tests/hostile/ and exit")
    parser.add_argument("-k", default="", help="only inputs whose name contains this text")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per run (default %(default)s)")
    opts = parser.parse_args(args)
    if opts.write:
        print(f"wrote {write_corpus()} files to {CORPUS}")
        return 0
    if not (CORPUS / "base.yaml").exists():
        write_corpus()
    counts: Counter[str] = Counter()
    bad: list[str] = []
    show: Callable[[str], None] = print
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(n, a) for n, a in inputs(Path(tmp)) if opts.k in n]
        show(f"{'outcome':8} {'code':>4} {'s':>6}  input :: first line of stderr")
        for name, argv in runs:
            outcome, code, first, seconds = run_one(argv, opts.timeout)
            counts[outcome] += 1
            line = f"{outcome:8} {'' if code is None else code:>4} {seconds:6.2f}  {name} :: {first[:160]}"
            show(line)
            if outcome in ("crash", "hang", "messy"):
                bad.append(line)
    show("")
    show(f"{sum(counts.values())} hostile runs: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for line in bad:
        show("  PROBLEM " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
