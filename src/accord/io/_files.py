"""Reading a user's file with one-line errors: every reader (case files, GENIUS, GeniusWeb, agreements CSV,
corpora) reports a missing file, a folder, non-UTF-8 text or an unreadable file the same way."""

from __future__ import annotations

import os
from pathlib import Path

from accord.errors import AccordError, FormatError


def read_bytes(path: str | os.PathLike[str], *, what: str, error: type[AccordError] = FormatError) -> bytes:
    """The bytes of ``path``; ``what`` names the expected kind of file ("a case file", "an XML file")."""
    file = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error("no such file; check the path", file=file) from None
    except IsADirectoryError:
        raise error(f"is a folder, not {what}", file=file) from None
    except OSError as err:
        raise error(f"cannot be read ({err.strerror})", file=file) from None


def read_text(path: str | os.PathLike[str], *, what: str, error: type[AccordError] = FormatError,
              encoding: str = "utf-8") -> str:
    """The text of ``path`` (UTF-8; ``utf-8-sig`` drops a byte-order mark), with the same one-line errors."""
    data = read_bytes(path, what=what, error=error)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise error("is not UTF-8 text; save it as UTF-8", file=str(path)) from None
