"""Drafts over a generated network: whatever people, notes, events, favours, plans and resources there are,
no draft leaks private text, reads like a database or names the employer someone left, and every draft
talks about the action it is for.

Each world is built from a seed with real repositories on a real database; every private text carries a
made-up word (a marker) found nowhere else, so a leak of any part of it shows.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from keepwarm.core import drafts as core
from keepwarm.core.agenda import PersonRef, Suggestion
from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person
from keepwarm.store import drafts
from keepwarm.store.library import LibraryRepo

TODAY = date(2026, 11, 25)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
TOPICS = ("product management", "machine learning", "hiring", "leadership", "running", "design")
SECRETS = ("he told me about his divorce", "her mother is in hospital", "quit after a fight with the CEO",
           "is worried about layoffs", "private: salary talk")
FIRST = ("Hank", "Maya", "Ravi", "Priya", "Lena", "Omar", "Jonas", "Ada", "Sam", "Eve", "Noor", "Ivo")


@dataclass
class World:
    """What was generated, to check the drafts against."""

    private: set[str] = field(default_factory=set)  # markers that must never show
    asks: dict[int, str] = field(default_factory=dict)  # person → the marker of their ask's note
    ask_notes: dict[int, str] = field(default_factory=dict)
    left: dict[int, str] = field(default_factory=dict)  # person → the marker of the employer they left
    ages: dict[int, set[int]] = field(default_factory=dict)
    events: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    plans: dict[int, int] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    resources: list[int] = field(default_factory=list)


def _word(rng: random.Random, used: set[str]) -> str:
    while True:
        w = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)).capitalize()
        if w not in used:
            used.add(w)
            return w


def _build(store, rng: random.Random, n: int) -> World:  # type: ignore[no-untyped-def]
    world, used = World(), set()
    lib = LibraryRepo(store.session, store.owner_id, store.today)
    for i in range(3):
        title = f"The {_word(rng, used)} Handbook"
        world.titles.append(title)
        world.resources.append(lib.add(kind=rng.choice(["article", "book"]), title=title,
                                       review=f"My favourite read on {TOPICS[i]}.", topics=[TOPICS[i]]).id)
    for i in range(n):
        secret, old, met = _word(rng, used), _word(rng, used), _word(rng, used)
        world.private |= {secret, met}
        born = TODAY.year - rng.randint(33, 79)
        on = TODAY + timedelta(days=rng.randint(0, 10) if i % 2 else rng.randint(11, 300))
        bday = Birthday(on.month, on.day, born)
        person = store.people.add(Person(
            f"{FIRST[i % len(FIRST)]} {_word(rng, used)}", company=f"{old} Labs", title="Analyst",
            how_met=f"LinkedIn {met}", birthday=bday, interests=rng.sample(TOPICS, 2),
            notes=f"{rng.choice(SECRETS)} {secret}; into {rng.choice(TOPICS)}"))
        pid = person.id
        world.ages[pid] = {bday.age_on(bday.next_on_or_after(TODAY)), bday.age_on(TODAY)}
        for _ in range(rng.randint(0, 3)):
            m = _word(rng, used)
            world.private.add(m)
            store.touches.log(rng.choice(["coffee", "call", "message", "video", "received"]), [pid],
                              TODAY - timedelta(days=rng.randint(1, 400)), f"{rng.choice(SECRETS)} {m}")
        world.events[pid] = []
        kinds = rng.sample(["moving", "loss", "wedding", "promotion", "new-baby", "custom"],
                           rng.randint(0, 2))
        for kind in kinds + (["new-job"] if i % 3 == 0 else []):
            m = _word(rng, used)
            world.private.add(m)
            extra = {}
            if kind == "new-job":
                extra = {"company": f"{_word(rng, used)} Works", "title": "Staff Engineer"}
                world.left[pid] = old
            ev = store.touches.add_event(pid, kind, TODAY + timedelta(days=rng.randint(-15, 20)),
                                         f"{rng.choice(SECRETS)} {m}", **extra)
            world.events[pid].append((ev.id, kind))
        if i % 2 or rng.random() < 0.3:
            m = _word(rng, used)
            note = f"Could you introduce me to your head of design, {m}?"
            world.asks[pid], world.ask_notes[pid] = m, note
            world.plans[pid] = store.touches.add_plan(pid, "ask", TODAY + timedelta(days=10), note).id
        if rng.random() < 0.5:
            m = _word(rng, used)
            world.private.add(m)
            store.touches.add_plan(pid, "coffee", TODAY + timedelta(days=3), f"talk about {m}")
    return world


def _suggestions(pid: int, name: str, world: World) -> list[tuple[Suggestion, str]]:
    """Suggestions of every trigger and action for one person, each with what its draft must say."""
    ref = PersonRef(pid, name)
    out = [(Suggestion(ref, a, "cadence", [], 50, 5), must) for a, must in
           (("call", "call"), ("coffee", "coffee"), ("video", "video"), ("message", "how you are doing"),
            ("gift", "gift"), ("intro", "introduc"), ("congrats", "Congratulations"),
            ("comment", "post"), ("recommend", ""))]
    out += [(Suggestion(ref, "birthday", "birthday", [], 90, 5), "birthday"),
            (Suggestion(ref, "thanks", "thanks", [], 90, 5), "thank"),
            (Suggestion(ref, "coffee", "reciprocity", [], 82, 2, extra={"plan_id": world.plans.get(pid)}),
             "coffee"),
            (Suggestion(ref, "recommend", "reciprocity", [], 82, 2), "")]
    out += [(Suggestion(ref, "recommend", "library", [], 60, 10, extra={"resource_id": rid}), title)
            for rid, title in zip(world.resources, world.titles, strict=True)]
    if pid in world.plans:
        out.append((Suggestion(ref, "ask", "reciprocity", [], 70, 10, extra={"plan_id": world.plans[pid]}),
                    world.ask_notes[pid]))
    words = {"moving": "mov", "loss": "sorry", "new-job": "new job", "wedding": "wedding",
             "promotion": "promotion", "new-baby": "baby", "custom": "how you are doing"}
    for event_id, kind in world.events[pid]:
        action = {"moving": "coffee", "loss": "message", "new-baby": "gift", "custom": "message"}.get(
            kind, "congrats")
        out.append((Suggestion(ref, action, "life_event", [], 80, 5, extra={"event_id": event_id}),
                    words[kind]))
    return out


def _check(text: str, pid: int, world: World, *, ask_allowed: bool, where: str) -> None:
    leaked = [m for m in world.private if m in text]
    assert not leaked, f"{where}: private text {leaked} in\n{text}"
    for other, marker in world.asks.items():
        if not (ask_allowed and other == pid):
            assert marker not in text, f"{where}: an ask's note outside its ask draft\n{text}"
    assert not ISO.search(text), f"{where}: an ISO date in\n{text}"
    for age in world.ages[pid]:
        assert not re.search(rf"(?<!\d){age}(?!\d)", text), f"{where}: the age {age} in\n{text}"
    assert "(" not in text and ")" not in text, f"{where}: a value pasted in parentheses in\n{text}"
    if pid in world.left:
        assert world.left[pid] not in text, f"{where}: the employer they left in\n{text}"


@pytest.mark.parametrize("seed", [7, 2026])
def test_no_draft_leaks_and_every_draft_talks_about_its_action(make_store, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    with make_store() as store:
        world = _build(store, rng, 14)
    dirs = [tmp_path / "no-overrides"]
    checked = 0
    with make_store() as store:
        people = {pid: store.people.row(pid).name for pid in world.ages}
        for pid, name in people.items():
            for kind in core.KINDS:  # `keepwarm draft PERSON KIND`
                ctx = drafts.context(store.session, store.owner_id, TODAY, pid)
                if kind == "ask":
                    ctx.ask = drafts.ask_note(store.session, store.owner_id, pid)
                text = core.render(kind, ctx, dirs)
                _check(text, pid, world, ask_allowed=kind == "ask", where=f"{name}, draft {kind}")
                checked += 1
            pairs = _suggestions(pid, name, world)
            texts = drafts.for_agenda(store.session, store.owner_id, TODAY, [s for s, _ in pairs], dirs)
            for (item, must), text in zip(pairs, texts, strict=True):
                where = f"{name}, {item.trigger}/{item.action}"
                _check(text, pid, world, ask_allowed=item.action == "ask", where=where)
                if item.action == "recommend" and not must:
                    assert core.PICK_RESOURCE in text or any(t in text for t in world.titles), where
                else:
                    assert must.lower() in text.lower(), f"{where}: does not say {must!r}\n{text}"
                checked += 1
        agenda = store.agenda.build(days=7, limit=200)
        texts = drafts.for_agenda(store.session, store.owner_id, TODAY, agenda.items, dirs)
        for item, text in zip(agenda.items, texts, strict=True):
            _check(text, item.person.id, world, ask_allowed=item.action == "ask",
                   where=f"{item.person.name}, today's {item.trigger}/{item.action}")
    assert checked > 14 * 30 and agenda.items  # the world was not empty
