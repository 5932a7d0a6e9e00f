"""Community data some tests read, and a clear skip when it is missing (a plain module, like ``oracles``).

Accord ships no third-party data: the GENIUS/ANAC scenarios, the Deal or No Deal dialogues and the CaSiNo
corpus sit beside the work tree in ``../shared/data/`` (CI lays a copy there). A fresh clone has none of it;
a test that needs a file then skips and names the file and where the data comes from, never fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

#: Where each top-level folder of the shared data comes from.
SOURCES = {
    "genius": "GENIUS/ANAC negotiation scenarios (https://ii.tudelft.nl/genius/ and GeniusWeb)",
    "dealornodeal": "Deal or No Deal dialogues, Lewis et al. 2017 (github.com/facebookresearch/end-to-end-negotiator)",
    "casino": "CaSiNo campsite negotiations, Chawla et al. 2021 (github.com/kushalchawla/CaSiNo)",
}


def shared_data(relative: str) -> Path:
    """``../shared/data/<relative>``, or skip the calling test with a message naming what is missing.

    Examples
    --------
    >>> shared_data.__name__
    'shared_data'
    """
    path = DATA / relative
    if not path.exists():
        top = relative.split("/", 1)[0]
        pytest.skip(f"needs ../shared/data/{relative}, which is not present "
                    f"({SOURCES.get(top, 'community data')}; see docs/formats.md)")
    return path
