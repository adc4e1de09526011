"""Today by keyboard, in real Chromium: the skip link, focus after Done and Snooze, the live region, Copy,
the mail link, and the Settings table that scrolls inside its own box on a phone."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def _log_in(page, server) -> None:
    page.goto(server.url + "/login")
    page.fill("input[name=email]", server.email)
    page.fill("input[name=password]", server.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def _announced(page, text: str) -> None:
    page.wait_for_function("t => document.getElementById('announce').textContent.trim() === t", arg=text)


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_suggestions(server, page):
    _log_in(page, server)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.is_visible() and skip.inner_text() == "Skip to the suggestions"
    page.keyboard.press("Enter")
    assert _focused_id(page) == "agenda"
    page.keyboard.press("Tab")  # the next tab stop is inside the list: the first suggestion's name
    assert page.evaluate("document.activeElement.closest('ol.agenda') !== null")


def test_after_done_and_snooze_focus_moves_to_the_next_suggestion_and_the_result_is_announced(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _log_in(page, server)
    items = page.locator("ol.agenda > li")
    ids = [items.nth(k).get_attribute("id") for k in range(items.count())]
    assert len(ids) > 3
    first, second, third = (page.locator(f"#{i}") for i in ids[:3])
    name1 = first.locator("a.who").inner_text()
    action1 = first.locator("input[name=action]").get_attribute("value")
    first.get_by_role("button", name=re.compile("^Mark done")).focus()
    page.keyboard.press("Enter")
    page.locator(f"#{ids[0]}.done").wait_for()
    page.wait_for_function("id => document.activeElement.id === id", arg=ids[1])
    _announced(page, f"Done: {action1} with {name1}, logged on 25 November.")

    name2 = second.locator("a.who").inner_text()
    second.get_by_role("button", name=f"Snooze {name2}").focus()
    page.keyboard.press("Enter")
    page.locator(f"#{ids[1]}.done").wait_for()
    page.wait_for_function("id => document.activeElement.id === id", arg=ids[2])
    _announced(page, f"{name2} is snoozed until 9 December.")
    assert third.is_visible()

    # the last open suggestion done: focus goes back to the nearest open one before it
    last = page.locator(f"#{ids[-1]}")
    last.get_by_role("button", name=re.compile("^Mark done")).click()
    page.locator(f"#{ids[-1]}.done").wait_for()
    page.wait_for_function("id => document.activeElement.id === id", arg=ids[-2])
    assert errors == [], errors


def test_an_opened_draft_copies_to_the_clipboard_and_offers_the_mail_app(server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    _log_in(page, server)
    jonas = page.locator("ol.agenda > li", has_text="Jonas Weber").first
    jonas.get_by_text("Draft message").click()
    draft = jonas.locator("details.draft textarea")
    draft.wait_for()
    jonas.get_by_role("button", name="Copy the draft to Jonas Weber").click()
    jonas.locator(".copied").get_by_text("Copied").wait_for()
    assert jonas.locator(".copied").get_attribute("role") == "status"
    assert page.evaluate("navigator.clipboard.readText()") == draft.input_value()
    mail = jonas.get_by_role("link", name="Email Jonas Weber")
    href = mail.get_attribute("href")
    assert href.startswith("mailto:jonas@example.org?subject=Happy%20birthday%21&body=Happy%20birthday")


def test_the_settings_actions_table_scrolls_by_keyboard_on_a_phone(server, page):
    _log_in(page, server)
    page.goto(server.url + "/settings")
    region = page.get_by_role("region", name="Micro-actions")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to scroll"
    assert region.evaluate("el => el.scrollLeft") == 0
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Micro-actions"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
