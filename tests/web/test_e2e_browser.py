"""End to end in a real browser (Debian's chromium driven by Playwright).

A mediator creates a negotiation; two parties, each in its own browser context, enter their preferences and
pass the holistic check; one accepts a mediator proposal, the other makes an offer that is accepted (the
agreement), then both accept the post-settlement improvement Accord finds. Every view is saved as a
screenshot under test-artifacts/web/. The test fails if a page requests anything outside the server or
logs a console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import ARGS, ARTIFACTS, CHROMIUM, Watch, artifacts, live_server, require_chromium, screenshot

SHOTS = ARTIFACTS / "web"

#: Weights (100 points across issues) and ratings (0–100) each party types in.
FORMS = {
    "Ana": ({"salary": 40, "start": 35, "training": 25},
            {"salary": {"90k": 0, "95k": 40, "100k": 100}, "start": {"June": 0, "August": 100},
             "training": {"no": 0, "yes": 100}}, 10),
    "Ben": ({"salary": 50, "start": 35, "training": 15},
            {"salary": {"90k": 100, "95k": 50, "100k": 0}, "start": {"June": 100, "August": 0},
             "training": {"no": 100, "yes": 0}}, 10),
}
#: Ana's offer (worth 51 to her, 40 to Ben): both gain from 90k, August, yes (+9 and +10: 60 and 50).
OFFER = {"salary": "95k", "start": "August", "training": "no"}
IMPROVED = {"salary": "90k", "start": "August", "training": "yes"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with live_server(tmp_path / "e2e.sqlite3") as url:
        yield url


def _shot(page: Any, name: str) -> None:
    screenshot(page, SHOTS, name)


def _enter_preferences(page: Any, who: str) -> None:
    weights, ratings, batna = FORMS[who]
    page.click("#enter-preferences")
    for issue, w in weights.items():
        page.fill(f"input[name='w:{issue}']", str(w))
        for option, r in ratings[issue].items():
            page.fill(f"input[name='r:{issue}:{option}']", str(r))
    page.fill("input[name='batna']", str(batna))
    _shot(page, f"03-{who.lower()}-preferences-form")
    page.click("#save-preferences")
    page.wait_for_selector("#check")
    _shot(page, f"04-{who.lower()}-holistic-check")
    page.click("#looks-right")


def test_mediated_negotiation_in_a_real_browser(server: str) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    artifacts("web")
    watch = Watch(server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            contexts = {}
            for who in ("mediator", "Ana", "Ben"):
                contexts[who] = browser.new_context(viewport={"width": 1200, "height": 900})
                watch.attach(contexts[who])
            med = contexts["mediator"].new_page()
            med.goto(server + "/")
            med.fill("#name", "Job offer")
            med.fill("#issues", "salary: 90k, 95k, 100k\nstart: June, August\ntraining: no, yes")
            med.fill("#parties", "Ana\nBen")
            _shot(med, "01-mediator-setup")
            med.click("#create")
            med.wait_for_selector("#mediator-link")
            _shot(med, "02-mediator-links")
            mediator_link = med.get_attribute("#mediator-link", "href")
            invite = {who: med.get_attribute(f"a.invite[data-party='{who}']", "href") for who in ("Ana", "Ben")}
            assert mediator_link and all(invite.values())

            pages = {who: contexts[who].new_page() for who in ("Ana", "Ben")}
            for who, page in pages.items():
                page.goto(str(invite[who]))
                _enter_preferences(page, who)
            ana, ben = pages["Ana"], pages["Ben"]
            ana.reload()
            assert ana.locator("#proposals .accept-proposal").count() >= 1
            _shot(ana, "05-ana-proposals")

            # Ana checks a package's worth to her with the htmx calculator.
            ana.select_option("select[name='v:salary']", "100k")
            ana.click("#value-form button")
            ana.wait_for_selector("#value-result strong")
            assert "40.00" in ana.inner_text("#value-result")

            # Ben accepts the mediator's first proposal (Ana does not, so no agreement yet).
            ben.reload()
            ben.locator("#proposals .accept-proposal").first.click()
            ben.wait_for_selector("#proposals")
            assert "accept" in ben.inner_text("#proposals")
            _shot(ben, "06-ben-accepted-proposal")

            # Ana offers a package; Ben accepts it: the agreement.
            for issue, option in OFFER.items():
                ana.select_option(f"select[name='o0:{issue}']", option)
            ana.click("#send-offer")
            ana.wait_for_selector("#offers .chart .main-svg")
            _shot(ana, "07-ana-offer-chart")
            ben.reload()
            ben.locator("#offers .accept-offer").first.click()
            ben.wait_for_selector("#agreement .agreed")
            assert "40.0" in ben.inner_text("#agreement .agreed")
            _shot(ben, "08-ben-agreement-and-improvement")

            med.goto(str(mediator_link))
            med.wait_for_selector("#frontier .chart .main-svg")
            _shot(med, "09-mediator-dashboard")

            # Both accept the post-settlement improvement: it becomes the agreement.
            for who in ("Ana", "Ben"):
                page = pages[who]
                page.reload()
                page.locator("#agreement .accept-improvement").first.click()
                page.wait_for_selector("#agreement .agreed")
            for page in (ana, ben):
                page.reload()
                text = page.inner_text("#agreement .agreed")
                assert "version 2" in text and all(o in text for o in IMPROVED.values()), text
            assert "60.0" in ana.inner_text("#agreement .agreed") and "50.0" in ben.inner_text("#agreement .agreed")
            _shot(ana, "10-ana-improved-agreement")
            med.reload()
            assert "Version 2" in med.inner_text("#agreement")
            _shot(med, "11-mediator-final")
        finally:
            browser.close()
    assert not watch.problems, "\n".join(watch.problems)
