"""Errors a user can cause.

Every error a person can trigger (a bad case file, an unknown option, an impossible request) is an
:class:`AccordError`. Its ``str()`` is one line that names the file, the place in it and what is expected,
so the CLI can print it and exit with code 2 instead of showing a traceback.
"""

from __future__ import annotations


class AccordError(Exception):
    """A mistake in the user's input, reported as one line.

    Parameters
    ----------
    message : str
        What is wrong and what is expected instead.
    file : str, optional
        The file the mistake is in.
    place : str, optional
        Where in the file: ``"line 12"`` or a dotted path such as ``"preferences.employer.salary"``.
    """

    def __init__(self, message: str, *, file: str | None = None, place: str | None = None) -> None:
        self.message = message
        self.file = file
        self.place = place
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.file, self.place) if p)
        text = f"{where}: {self.message}" if where else self.message
        return " ".join(text.split())  # always one line

    def located(self, *, file: str | None = None, place: str | None = None) -> AccordError:
        """Return a copy of this error with the file and/or place filled in where missing."""
        err = type(self).__new__(type(self))
        AccordError.__init__(
            err, self.message, file=self.file or file, place=self.place or place
        )
        return err


class CaseError(AccordError):
    """A case (file or object) is malformed or inconsistent."""


class RequestError(AccordError):
    """A request cannot be answered as asked (unknown option, impossible target, ...)."""


class FormatError(AccordError):
    """A file in another tool's format (GENIUS, GeniusWeb, a corpus) is malformed."""


class TooLargeError(AccordError):
    """No exact method fits in the memory and time available for this request."""
