"""Reading and writing cases: Accord's own case files and other tools' formats.

Every reader loads on first use through a module-level ``__getattr__`` (case files, GENIUS XML, GeniusWeb
JSON, CSV of agreements), so reading a case file does not pay for the XML importer, nor reading a corpus for
the case-file schema::

    from accord.io import load_case, load_scenario, read_agreements
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Case files load on first use too: building the pydantic schema costs a fifth of a second, which the corpus
# readers (they need only accord.io._files) and ``accord corpus`` would otherwise pay for nothing.
_LAZY = {
    "case_from_data": "accord.io.casefile",
    "load_case": "accord.io.casefile",
    "parse_case": "accord.io.casefile",
    "save_case": "accord.io.casefile",
    "write_text_atomic": "accord.io.casefile",
    "json_schema": "accord.io.schema",
    "load_scenario": "accord.io.genius",
    "export_genius": "accord.io.genius",
    "load_geniusweb": "accord.io.geniusweb",
    "export_geniusweb": "accord.io.geniusweb",
    "read_agreements": "accord.io.agreements",
    "parse_agreements": "accord.io.agreements",
    "AgreementTable": "accord.io.agreements",
}

if TYPE_CHECKING:
    from accord.io.agreements import AgreementTable, parse_agreements, read_agreements
    from accord.io.casefile import case_from_data, load_case, parse_case, save_case, write_text_atomic
    from accord.io.genius import export_genius, load_scenario
    from accord.io.geniusweb import export_geniusweb, load_geniusweb
    from accord.io.schema import json_schema


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'accord.io' has no attribute {name!r}")


__all__ = [
    "AgreementTable",
    "case_from_data",
    "export_genius",
    "export_geniusweb",
    "json_schema",
    "load_case",
    "load_geniusweb",
    "load_scenario",
    "parse_agreements",
    "parse_case",
    "read_agreements",
    "save_case",
    "write_text_atomic",
]
