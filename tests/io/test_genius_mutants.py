"""GENIUS import/export behaviours that mutation testing found unchecked (see docs/testing.md, "Mutation testing").

Each test states the documented behaviour it checks: errors are one line naming the file AND the place (the
project's rule for every user-caused failure), ``domainrepository.xml`` addresses are matched by their path
below the repository's folder whatever comes before it, and a request without profiles gets a clear
:class:`RequestError` even when the named "domain" is not one the folder's scan recognises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import FormatError, RequestError
from accord.io.genius import default_profiles, export_genius, load_scenario, read_domain, read_profile
from accord.model import Case

DOMAIN = """<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="Deal" type="objective">
  <issue index="1" name="colour" etype="discrete">
    <item index="1" value="red"/><item index="2" value="blue"/></issue>
  <issue index="2" name="size" etype="discrete">
    <item index="1" value="small"/><item index="2" value="large"/></issue>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="Deal" type="objective">
  {weights}
  <issue index="1" name="colour" type="discrete">
    <item index="1" value="red" evaluation="1"/><item index="2" value="blue" evaluation="2"/></issue>
  <issue index="{second}" name="size" type="discrete">
    <item index="1" value="small" evaluation="2"/><item index="2" value="large" evaluation="1"/></issue>
</objective>
</utility_space>
"""
WEIGHTS = '<weight index="1" value="0.5"/><weight index="2" value="0.5"/>'


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle`` (worked out from the text itself)."""
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


# -- errors name the file and the place --------------------------------------------------------------------------
def test_two_profile_issues_with_one_index_name_file_and_line(tmp_path: Path) -> None:
    """Two ``<issue index="1">`` in a profile: the error names the profile file and the line of the second one."""
    d = _write(tmp_path, "deal.xml", DOMAIN)
    p = _write(tmp_path, "p.xml", PROFILE.format(weights=WEIGHTS, second="1"))
    line = _line_of(p, 'name="size"')  # the second issue carrying index 1
    with pytest.raises(FormatError) as err:
        read_profile(p, read_domain(d))
    assert err.value.file == str(p) and err.value.place == f"line {line}"
    text = str(err.value)
    assert text.startswith(f"{p}: line {line}: ") and "two issues have index 1" in text and "\n" not in text


def test_a_weight_without_an_index_names_file_and_line(tmp_path: Path) -> None:
    """A ``<weight>`` with no index attribute names no issue: one line naming the file and the weight's line."""
    d = _write(tmp_path, "deal.xml", DOMAIN)
    p = _write(tmp_path, "p.xml", PROFILE.format(weights='<weight index="1" value="0.5"/>\n  <weight value="0.5"/>',
                                                 second="2"))
    line = _line_of(p, '<weight value="0.5"/>')
    with pytest.raises(FormatError) as err:
        read_profile(p, read_domain(d))
    assert err.value.file == str(p) and err.value.place == f"line {line}"
    # the message says what is wrong in the user's words (no "index=None" from the code) and how to fix it
    assert "has no index attribute" in str(err.value) and "None" not in str(err.value)


def test_refusing_to_overwrite_names_the_file(tmp_path: Path) -> None:
    """export refuses to replace a file with other content, and the one-line error says WHICH file."""
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    export_genius(case, tmp_path)
    other = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 0.5]}, "B": {"a": [1, 0]}})
    with pytest.raises(RequestError) as err:
        export_genius(other, tmp_path)
    # Only A's profile differs (B's and the domain are byte-identical), so A's file is the one refused.
    assert err.value.file == str(tmp_path / "A.xml")
    assert str(err.value).startswith(f"{tmp_path / 'A.xml'}: ") and "--force" in str(err.value)


# -- domainrepository.xml addresses ------------------------------------------------------------------------------
REPO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<repository fileName="domainrepository.xml"><items>
  <domainRepItem url="{prefix}shop/deal.xml">
    <profile url="{prefix}shop/{first}"/>
    <profile url="{prefix}shop/second.xml"/>
  </domainRepItem>
</items></repository>
"""


@pytest.mark.parametrize(
    ("prefix", "first"),
    [
        ("file:C:/genius/etc/templates/", "first.xml"),  # an absolute Windows path: a second colon after the drive
        ("file:etc/templates/", "first:v2.xml"),  # a colon in the file's own name (legal on POSIX file systems)
    ],
)
def test_repository_urls_with_more_than_one_colon(tmp_path: Path, prefix: str, first: str) -> None:
    """Only the ``file:`` scheme is cut off; the rest of the address (colons and all) is matched below the
    repository's folder, so both profiles are found (docstring of ``default_profiles``)."""
    _write(tmp_path, "domainrepository.xml", REPO.format(prefix=prefix, first=first))
    d = _write(tmp_path / "shop", "deal.xml", DOMAIN)
    a = _write(tmp_path / "shop", first, PROFILE.format(weights=WEIGHTS, second="2"))
    b = _write(tmp_path / "shop", "second.xml", PROFILE.format(weights=WEIGHTS, second="2"))
    assert default_profiles(d) == (a, b)
    with pytest.warns(Warning, match="no profiles named"):
        case = load_scenario(d, [])
    assert case.party_names == (a.stem, "second")


# -- asking for profiles -----------------------------------------------------------------------------------------
def test_no_profiles_for_a_domain_the_folder_scan_does_not_list(tmp_path: Path) -> None:
    """A domain file not named ``*.xml`` is readable but not found by the folder scan that lists profiles for the
    hint: the user still gets the one-line RequestError (no hint, nothing to list), never a crash."""
    d = _write(tmp_path, "deal.genius", DOMAIN)
    with pytest.raises(RequestError) as err:
        load_scenario(d, [])
    assert err.value.file == str(d) and "name the profiles" in str(err.value)
    assert "profiles for it" not in str(err.value)
    p = _write(tmp_path, "only.xml", PROFILE.format(weights=WEIGHTS, second="2"))
    with pytest.raises(RequestError, match="at least two profiles"):
        load_scenario(d, [p])


def test_a_profile_given_as_the_domain_gets_a_clear_error(tmp_path: Path) -> None:
    """Naming a profile where the domain belongs (and no profiles): the folder scan files it as a profile, not a
    domain, so there is no list to offer — the answer is still the one-line RequestError."""
    p = _write(tmp_path, "p.xml", PROFILE.format(weights=WEIGHTS, second="2"))
    with pytest.raises(RequestError) as err:
        load_scenario(p, [])
    assert err.value.file == str(p) and "name the profiles" in str(err.value)


def test_the_hint_lists_the_folders_profiles(tmp_path: Path) -> None:
    """With a proper domain and its profiles beside it, the error lists them (the hint's positive case)."""
    d = _write(tmp_path, "deal.xml", DOMAIN)
    _write(tmp_path, "a.xml", PROFILE.format(weights=WEIGHTS, second="2"))
    _write(tmp_path, "b.xml", PROFILE.format(weights=WEIGHTS, second="2"))
    with pytest.raises(RequestError) as err:
        load_scenario(d, [])
    assert "this folder holds 2 profiles for it: a.xml, b.xml" in str(err.value)
