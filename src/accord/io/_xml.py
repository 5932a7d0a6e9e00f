"""A small XML reader that remembers the line of every element, for one-line errors about other tools' files.

GENIUS files are real third-party files: some are not well-formed, some put a comment before the XML
declaration, some hold words where numbers belong. ElementTree forgets line numbers, so this module builds its
own light tree on top of expat (the same parser ElementTree uses) and keeps the line of every start tag. Every
problem becomes a :class:`~accord.errors.FormatError` whose message names the file, the line and what is wrong.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from accord.errors import FormatError
from accord.io._files import MAX_DEPTH, read_bytes


class FormatWarning(UserWarning):
    """A file in another tool's format has a defect that Accord repairs (the message says how)."""


@dataclass
class Node:
    """One XML element: its tag, attributes, children and the line of its start tag."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This element and all its descendants (document order), optionally only those named ``tag``."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def findall(self, tag: str) -> list[Node]:
        """Direct children named ``tag``."""
        return [c for c in self.children if c.tag == tag]

    def find(self, tag: str) -> Node | None:
        """First direct child named ``tag``."""
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)


_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_LEADING = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)+(?=<\?xml)", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _repair_leading_comment(data: bytes, file: str) -> tuple[bytes, str | None]:
    """Accept a file whose XML declaration comes after a comment (or blank lines).

    XML allows nothing before the declaration; the GENIUS 2014 non-linear profiles start with a comment. The
    declaration only restates defaults (version 1.0, UTF-8), so we blank it out with spaces of the same length
    (line and column numbers stay true), and the comment is then an ordinary comment that the parser drops.
    Returns the repaired bytes and the declared encoding (None when the file needs no repair).
    """
    m = _LEADING.match(data)
    if m is None:
        return data, None
    decl = _DECLARATION.match(data, m.end())
    if decl is None:  # pragma: no cover - the lookahead guarantees a declaration start
        return data, None
    enc = _ENCODING.search(decl.group(0))
    line = _line_of(data, decl.start())
    what = ("an XML comment comes before the XML declaration" if b"<!--" in m.group(0)
            else "blank space comes before the XML declaration")
    warnings.warn(FormatWarning(f"{file}: line {line}: {what} (XML allows nothing before it); "
                                "the comment is dropped and the file read anyway"), stacklevel=4)
    blank = bytes(b if b in b"\r\n" else 0x20 for b in decl.group(0))
    return data[: decl.start()] + blank + data[decl.end():], enc.group(1).decode("ascii") if enc else "utf-8"


def _hint(data: bytes, line: int, column: int) -> str:
    """A short explanation of a well-formedness error at (line, column), with the text around it."""
    lines = data.split(b"\n")
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].decode("utf-8", "replace").rstrip("\r")
    near = text[max(0, column - 25): column + 15].strip()
    hint = ""
    if 0 < column < len(text) and text[column - 1] == '"' and (text[column].isalpha() or text[column] == "_"):
        hint = "two attributes with no space between them; put a space before the second one"
    out = f" near {near!r}" if near else ""
    return f"{out}{'; ' + hint if hint else ''}"


def parse_xml(path: str | Path) -> Node:
    """Parse an XML file into a :class:`Node` tree with line numbers.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Node
        The root element.

    Raises
    ------
    FormatError
        The file is missing, unreadable or not well-formed XML (the message names the line and column).

    Warns
    -----
    FormatWarning
        When a comment before the XML declaration is dropped.
    """
    file = str(path)
    p = Path(path)
    data = read_bytes(p, what="an XML file")
    data, encoding = _repair_leading_comment(data, file)
    parser = expat.ParserCreate(encoding)
    root: list[Node] = []
    stack: list[Node] = []

    def start(tag: str, attrib: dict[str, str]) -> None:
        node = Node(tag, dict(attrib), parser.CurrentLineNumber)
        if len(stack) >= MAX_DEPTH:  # walks over the tree recurse once per level: refuse before building it
            raise FormatError(f"elements are nested more than {MAX_DEPTH} levels deep; GENIUS files need far "
                              "fewer, so check the file", file=file, place=f"line {node.line}")
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        what = expat.ErrorString(err.code) or "cannot parse"
        what = (f"not well-formed XML{what[len('not well-formed'):]}" if what.startswith("not well-formed")
                else f"not well-formed XML: {what}")
        raise FormatError(f"{what}{_hint(data, err.lineno, err.offset)}", file=file,
                          place=f"line {err.lineno}, column {err.offset + 1}") from None
    except (LookupError, ValueError) as err:  # an encoding Python does not know
        raise FormatError(f"cannot be decoded ({err}); save it as UTF-8", file=file) from None
    if not root:  # pragma: no cover - expat reports "no element found" first
        raise FormatError("holds no XML element", file=file)
    return root[0]


def number(node: Node, name: str, file: str, *, default: float | None = None, what: str = "a number") -> float:
    """The attribute ``name`` of ``node`` as a finite float, or a one-line error naming the line."""
    raw = node.get(name)
    if raw is None:
        if default is not None:
            return default
        raise FormatError(f"<{node.tag}> has no {name}=\"...\"; give {what}", file=file, place=f"line {node.line}")
    try:
        x = float(raw.strip())
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise FormatError(f"<{node.tag} {name}=\"{raw}\">: {raw!r} is not a number; write {what}", file=file,
                          place=f"line {node.line}")
    return x
