"""Classroom mode end to end in a real browser (Debian's chromium driven by Playwright).

An instructor uploads the job-offer case and creates a 3-group exercise; six students, each in its own
browser context, open their private links, check their own sheet and calculator, and report: group 1 an
agreement, group 2 first a mismatch that it then resolves, group 3 an impasse. The instructor's debrief
must show the hand-computed figures (tests/web/classroomflow.py); after the reveal a student sees the
anonymised debrief. Screenshots go to test-artifacts/classroom/. The test fails if a page requests anything
outside the server or logs a console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import ARGS, ARTIFACTS, CHROMIUM, Watch, artifacts, live_server, require_chromium, screenshot
from classroomflow import EXPECTED_TEXT, G1, G2, JOB

SHOTS = ARTIFACTS / "classroom"
NAMES = ["Zelda Quist", "Yorick Pell", "Xanthe Moor", "Wendel Ash", "Vera Lomax", "Ulrik Dahl"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with live_server(tmp_path / "classroom.sqlite3") as url:
        yield url


def _shot(page: Any, name: str) -> None:
    screenshot(page, SHOTS, name)


def _choose(page: Any, prefix: str, package: dict[str, str]) -> None:
    for issue, option in package.items():
        page.select_option(f"select[name='{prefix}:{issue}']", option)


def _report(page: Any, package: dict[str, str] | None) -> None:
    if package is None:
        page.click("#submit-impasse")
    else:
        _choose(page, "a", package)
        page.click("#submit-agreement")
    page.wait_for_selector("#group-state")


def test_classroom_exercise_in_a_real_browser(server: str) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    artifacts("classroom")
    watch = Watch(server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            teacher = browser.new_context(viewport={"width": 1200, "height": 900})
            watch.attach(teacher)
            t = teacher.new_page()
            t.goto(server + "/classroom")
            t.set_input_files("#case-file", str(JOB))
            t.fill("#groups", "3")
            t.fill("#names", "\n".join(NAMES))
            _shot(t, "01-instructor-new-exercise")
            t.click("#create")
            t.wait_for_selector("#instructor-link")
            _shot(t, "02-instructor-links")
            instructor = str(t.get_attribute("#instructor-link", "href"))
            links = {(int(a.get_attribute("data-group")), a.get_attribute("data-role")): a.get_attribute("href")
                     for a in t.locator("a.student-link").all()}
            assert len(links) == 6
            t.goto(instructor)
            t.fill("textarea[name='i:candidate']", "**Remote days matter most to you.** Ask early.")
            t.click("#save-instructions")
            t.wait_for_selector("#not-submitted")
            assert "not submitted" in t.inner_text("#status") and "Zelda Quist" in t.inner_text("#status")

            pages = {}
            for seat, link in links.items():
                ctx = browser.new_context(viewport={"width": 1100, "height": 900})
                watch.attach(ctx)
                pages[seat] = ctx.new_page()
                pages[seat].goto(str(link))
            c1 = pages[(1, "candidate")]
            assert "Remote days matter most to you." in c1.inner_text("#instructions")
            assert "4,200" in c1.inner_text("#batna") and "3,600" not in c1.inner_text("body")
            assert "Remote days" not in pages[(1, "employer")].inner_text("#instructions")
            _choose(c1, "v", G1)
            c1.click("#calculate")
            c1.wait_for_selector("#calc-result")
            assert "6,600.00" in c1.inner_text("#calc-result")
            _shot(c1, "03-student-sheet-and-calculator")

            _report(c1, G1)
            _report(pages[(1, "employer")], G1)
            _report(pages[(2, "candidate")], G1)  # a mistake: group 2 agreed on G2
            _report(pages[(2, "employer")], G2)
            e2 = pages[(2, "employer")]
            assert "different results" in e2.inner_text("#group-state")
            _shot(e2, "04-student-group-mismatch")
            t.reload()
            assert "mismatch" in t.inner_text("#status")
            pages[(2, "candidate")].reload()
            _report(pages[(2, "candidate")], G2)
            assert "agreement is recorded" in pages[(2, "candidate")].inner_text("#group-state")
            _report(pages[(3, "candidate")], None)
            t.reload()
            assert "group 3 employer (Ulrik Dahl)" in t.inner_text("#not-submitted")
            _report(pages[(3, "employer")], None)
            assert "impasse" in pages[(3, "employer")].inner_text("#group-state")

            t.reload()
            t.wait_for_selector("[data-chart='frontier'] .main-svg")
            assert "Everyone has submitted." in t.inner_text("#not-submitted")
            figures = {row.locator("th").inner_text(): row.locator("td").inner_text()
                       for row in t.locator("#figures tr").all()}
            for label, value in EXPECTED_TEXT.items():
                assert figures.get(label) == value, (label, figures.get(label))
            _shot(t, "05-instructor-debrief")
            # The table sorts by a column when its header is clicked (joint value, descending on a 2nd click).
            header = t.locator("#groups-table th", has_text="joint value")
            header.click()
            header.click()
            first = t.locator("#groups-table tbody tr").first.inner_text()
            assert first.startswith("group 1"), first
            t.click("#reveal")
            t.wait_for_selector("#reveal")
            s = pages[(2, "employer")]
            s.reload()
            s.wait_for_selector("#class-debrief [data-chart='frontier'] .main-svg")
            text = s.inner_text("#class-debrief")
            assert "11,125" in text and "93.5%" in text
            assert not any(n in s.inner_text("body") for n in NAMES) and "group 1" not in text.lower()
            _shot(s, "06-student-revealed-debrief")
        finally:
            browser.close()
    assert not watch.problems, "\n".join(watch.problems)
