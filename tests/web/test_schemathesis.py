"""Property-based API testing from the OpenAPI spec (schemathesis): no input makes the server answer 5xx.

Generated requests go to a negotiation whose parties have submitted, with a real party or mediator token,
so validation and the service are exercised beyond the 401 wall; the number of examples is bounded.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from webflow import BATNA, ISSUES, POINTS

from accord.web.app import create_app

_DIR = Path(tempfile.mkdtemp(prefix="accord-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, True)
APP = create_app(f"sqlite:///{_DIR / 'st.sqlite3'}", max_failures=10**6)
_client = TestClient(APP)
_created = _client.post("/api/negotiations", json={"name": "st", "issues": ISSUES, "parties": ["Ana", "Ben"]}).json()
NID = _created["id"]
TOKENS = {"mediator": _created["mediator_token"], **_created["invitations"]}
for _who in ("Ana", "Ben"):
    _client.put(f"/api/negotiations/{NID}/preferences", headers={"Authorization": f"Bearer {TOKENS[_who]}"},
                json={"preferences": POINTS[_who], "batna": BATNA[_who]})

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_5xx(case: Any) -> None:
    if "nid" in (case.path_parameters or {}):
        case.path_parameters["nid"] = NID
    who = "mediator" if case.path.endswith("/audit") or case.method == "GET" else "Ana"
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKENS[who]}"}, checks=[not_a_server_error])
