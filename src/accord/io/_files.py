"""Reading a user's file with one-line errors: every reader (case files, GENIUS, GeniusWeb, agreements CSV,
corpora, belief files) reports a missing file, a folder, a file too large, non-UTF-8 text or an unreadable
file the same way.

Work is bounded before it is done: a file is read through at most ``limit + 1`` bytes, so ``/dev/zero`` or a
runaway log file is refused after a few megabytes instead of filling the memory, and :func:`check_nesting`
refuses JSON nested deeper than any Accord file needs before a parser recurses into it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from accord.errors import AccordError, FormatError

#: Largest case file, GENIUS/GeniusWeb file or belief file read (bytes). A case with a million-option issue is
#: written as ``{min, max}``; 4 MiB of YAML already takes seconds to parse.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Largest corpus or agreements CSV read (bytes): these hold one record per line, thousands of lines.
MAX_DATA_BYTES = 64 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted in a case, profile or belief file (a case file needs 6).
MAX_DEPTH = 32

#: A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def read_bytes(path: str | os.PathLike[str], *, what: str, error: type[AccordError] = FormatError,
               limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; ``what`` names the expected kind of file ("a case file", "an XML file").

    At most ``limit + 1`` bytes are read: a larger file (or an endless one such as ``/dev/zero``) raises
    ``error`` naming the limit instead of being read whole.
    """
    file = str(path)
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise error("no such file; check the path", file=file) from None
    except IsADirectoryError:
        raise error(f"is a folder, not {what}", file=file) from None
    except OSError as err:
        raise error(f"cannot be read ({err.strerror or type(err).__name__})", file=file) from None
    if len(data) > limit:
        raise error(f"is larger than {_size(limit)}, Accord's limit for {what}; check that this is the right "
                    "file", file=file)
    return data


def read_text(path: str | os.PathLike[str], *, what: str, error: type[AccordError] = FormatError,
              encoding: str = "utf-8", limit: int = MAX_FILE_BYTES) -> str:
    """The text of ``path`` (UTF-8; ``utf-8-sig`` drops a byte-order mark), with the same one-line errors and
    the same size ``limit``."""
    data = read_bytes(path, what=what, error=error, limit=limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise error("is not UTF-8 text; save it as UTF-8", file=str(path)) from None


def check_nesting(text: str, *, file: str, error: type[AccordError] = FormatError,
                  limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before it is parsed.

    Python's parsers recurse once per level and fail with a ``RecursionError`` near a thousand levels; no
    Accord file needs more than a handful. Brackets inside quoted strings do not count.

    Raises
    ------
    AccordError
        ``error``, naming the line where the nesting passes the limit.
    """
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, m.start()) + 1
                raise error(f"lists and mappings are nested more than {limit} levels deep; Accord's files need "
                            "far fewer, so check the file", file=file, place=f"line {line}")
        elif ch in "]}":
            depth = max(0, depth - 1)
