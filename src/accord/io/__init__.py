"""Reading and writing cases: Accord's own case files and other tools' formats."""

from accord.io.casefile import case_from_data, load_case, parse_case, save_case, write_text_atomic
from accord.io.schema import json_schema

__all__ = ["case_from_data", "json_schema", "load_case", "parse_case", "save_case", "write_text_atomic"]
