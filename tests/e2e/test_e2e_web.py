"""The web app end to end: a real server, real headless Chromium at phone width."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def _log_in(page, server, shot=False):
    """Log in through the form; returns the list that collects the page's script errors."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.url + "/")
    assert "/login" in page.url
    if shot:
        server.shot(page, "login")
    page.fill("input[name=email]", server.email)
    page.fill("input[name=password]", server.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")
    return errors


def test_a_user_logs_in_marks_a_suggestion_done_and_adds_a_person(server, page):
    errors = _log_in(page, server, shot=True)
    assert page.locator("ol.agenda > li").count() > 3
    assert page.get_by_text("birthday in 3 days").is_visible()
    server.shot(page, "today")

    # each suggestion's message draft is fetched when it is opened
    jonas = page.locator("ol.agenda > li", has_text="Jonas Weber").first
    draft = jonas.locator("details.draft textarea")
    assert page.locator("details.draft textarea").count() == 0
    jonas.get_by_text("Draft message").click()
    draft.wait_for()
    assert draft.is_visible() and draft.input_value().startswith("Happy birthday, Jonas!")
    server.shot(page, "today-draft")

    # one click marks a suggestion done, swapped in by htmx without reloading the page
    page.evaluate("window.__noReload = true")
    item = page.locator("ol.agenda > li", has_text="Jonas Weber").first
    item_id = item.get_attribute("id")
    item.get_by_role("button", name=re.compile("Mark done")).click()
    done = page.locator(f"#{item_id}")
    done.get_by_text("Done:").wait_for()
    assert page.evaluate("window.__noReload === true")
    assert "logged on 25 November" in done.inner_text()
    server.shot(page, "today-done")

    # the touch is on that person's timeline
    done.get_by_role("link", name="Jonas Weber").click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    timeline = page.locator("#timeline")
    assert "25 November" in timeline.inner_text() and "birthday note" in timeline.inner_text()
    assert page.locator("svg.chart").count() == 1
    server.shot(page, "person")

    # add a person
    page.goto(server.url + "/people")
    server.shot(page, "people")
    page.get_by_role("link", name="Add a person").click()
    page.fill("input[name=name]", "Grace Hopper")
    page.fill("input[name=company]", "US Navy")
    page.fill("input[name=birthday]", "1906-12-09")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    assert page.locator("h1").inner_text().startswith("Grace Hopper")
    # the search narrows the list as you type (htmx, no reload)
    page.goto(server.url + "/people")
    page.evaluate("window.__noReload = true")
    page.fill("input[name=q]", "hopp")
    page.locator("#people-results").get_by_text("1 person").wait_for()
    assert page.get_by_role("link", name="Grace Hopper").is_visible()
    assert page.evaluate("window.__noReload === true")

    # the quick log completes names as you type and logs the touch
    page.goto(server.url + "/")
    page.fill("input[name=person]", "Grac")
    page.locator("#people-options option").first.wait_for(state="attached")  # (CSP forbids eval)
    value = page.locator("#people-options option").first.get_attribute("value")
    assert value.startswith("Grace Hopper (#")
    page.fill("input[name=person]", value)
    page.select_option("select[name=action]", "coffee")
    page.get_by_role("button", name="Log touch").click()
    page.locator("#log-result").get_by_text("Logged coffee with").wait_for()

    for name in ("insights", "settings", "library"):
        page.goto(f"{server.url}/{name}")
        server.shot(page, name)

    assert errors == [], errors


def test_a_user_imports_the_linkedin_export_through_the_upload_page(server, page, fixtures_dir):
    errors = _log_in(page, server)
    page.goto(server.url + "/import")
    server.shot(page, "import")
    page.set_input_files("input[name=file]", str(fixtures_dir / "linkedin" / "Connections.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.locator("#report").wait_for()
    assert "Dry run" in page.locator("#report").inner_text()
    server.shot(page, "import-dry-run")
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("Imported Connections.csv").wait_for()
    server.shot(page, "import-done")
    page.goto(server.url + "/people?q=mcintosh")
    assert page.get_by_role("link", name=re.compile("McIntosh")).count() >= 1
    assert errors == [], errors
