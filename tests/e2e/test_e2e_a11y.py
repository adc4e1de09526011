"""Every page passes axe-core's WCAG 2.1 AA rules at desktop and phone width (real server, real Chromium)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _audit(page, name: str) -> list[str]:
    """axe's WCAG 2.1 AA violations on the page as it is now, one line per failing element."""
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", TAGS)
    return [f"{name}: {v['id']} ({v['impact']}): {v['help']} at {n['target']}: {n['html'][:160]}"
            for v in result["violations"] for n in v["nodes"]]


def _log_in(page, server) -> None:
    page.fill("input[name=email]", server.email)
    page.fill("input[name=password]", server.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")


def _visit_every_page(page, server, fixtures_dir) -> list[str]:
    """Walk through every page (and the states htmx swaps in), auditing each; the list of violations."""
    found: list[str] = []
    page.goto(server.url + "/login")
    found += _audit(page, "login")
    page.fill("input[name=email]", server.email)
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    page.locator("[role=alert]").wait_for()
    found += _audit(page, "login with an error")
    _log_in(page, server)
    found += _audit(page, "today")

    first = page.locator("ol.agenda > li").first
    first.locator("details.draft summary").click()
    first.locator("details.draft textarea").wait_for()
    found += _audit(page, "today with a draft open")
    first.get_by_role("button", name=re.compile("^Mark done")).click()
    page.locator("ol.agenda > li.done").first.wait_for()
    second = page.locator("ol.agenda > li:not(.done)").first
    second.get_by_role("button", name=re.compile("^Snooze")).click()
    page.locator("ol.agenda > li.done").nth(1).wait_for()
    found += _audit(page, "today after done and snooze")

    draft_page = page.locator("ol.agenda > li:not(.done) details.draft").first.get_attribute("hx-get")
    for path in (draft_page, "/people", "/people/new", "/insights", "/library", "/settings", "/import",
                 "/capture/review", "/feeds",
                 "/people/99999999"):
        page.goto(server.url + path)
        found += _audit(page, path)
    page.goto(server.url + "/people?q=maya")
    page.get_by_role("link", name="Maya Chen").click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    found += _audit(page, "a person")
    page.locator("details.card summary").click()
    found += _audit(page, "a person, editing")

    page.goto(server.url + "/import")
    page.set_input_files("input[name=file]", str(fixtures_dir / "linkedin" / "Connections.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.locator("#report").wait_for()
    found += _audit(page, "import dry run")
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("Imported Connections.csv").wait_for()
    found += _audit(page, "import done")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_has_no_wcag_21_aa_violations(server, page, axe_js, fixtures_dir, width):
    page.set_viewport_size({"width": WIDTHS[width][0], "height": WIDTHS[width][1]})
    # an init script runs before the page's own and is not subject to its Content-Security-Policy
    page.context.add_init_script(path=str(axe_js))
    found = _visit_every_page(page, server, fixtures_dir)
    assert not found, f"{len(found)} accessibility violations at {width} width:\n" + "\n".join(found)
