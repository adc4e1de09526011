"""A small demo network, dated relative to today, that shows every kind of agenda trigger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person


@dataclass
class DemoTouch:
    names: tuple[str, ...]
    action: str
    days_ago: int
    note: str | None = None


@dataclass
class DemoEvent:
    name: str
    kind: str
    in_days: int
    note: str | None = None


@dataclass
class DemoPlan:
    name: str
    action: str
    in_days: int
    note: str | None = None


@dataclass
class DemoNetwork:
    people: list[Person]
    touches: list[DemoTouch]
    events: list[DemoEvent]
    plans: list[DemoPlan]


def network(today: date) -> DemoNetwork:
    """The demo: an overdue friend, a birthday this week, a colleague moving away soon, a thank-you owed,
    a planned ask with a low balance, and fresh connections never touched."""
    soon = today + timedelta(days=3)
    people = [
        Person("Maya Chen", emails=["maya.chen@example.com"], phones=["+1 415 555 0101"],
               company="Northwind", title="Engineering Manager", circle="inner",
               how_met="former teammate", met_on=date(2017, 5, 2), interests=["leadership", "running"],
               notes="Training for the Berlin marathon."),
        Person("Jonas Weber", emails=["jonas@example.org"], company="Fabrikam", title="Product Lead",
               circle="close", birthday=Birthday(soon.month, min(soon.day, 28), 1984),
               interests=["product management", "books"], tags=["mentor"]),
        Person("Priya Raman", emails=["priya.raman@example.com"], company="Contoso", title="Data Scientist",
               circle="active", location="Boston", interests=["machine learning", "hiking"]),
        Person("Sam Okafor", emails=["sam.okafor@example.net"], company="Okafor Talent", title="Recruiter",
               circle="warm", how_met="career fair", interests=["career change", "hiring"]),
        Person("Lucía Fernández", emails=["lucia@example.es"], company="Tailspin", title="UX Researcher",
               circle="active", interests=["user research", "design"]),
        Person("Ravi Patel", emails=["ravi.patel@example.com"], company="Acme", title="Platform Engineer",
               circle="warm", interests=["product management", "career change"],
               notes="Switching into product management."),
        Person("Dawn Graham", company="University Career Center", title="Director", circle="occasional",
               links=[Link("https://www.linkedin.com/in/dawn-graham-phd", "linkedin")],
               how_met="LinkedIn", interests=["career coaching"]),
        Person("Bob McIntosh", company="Career Coaching Partners", title="Career Strategist",
               links=[Link("https://www.linkedin.com/in/bob-mcintosh-career", "linkedin")],
               how_met="LinkedIn", met_on=today - timedelta(days=20)),
        Person("Claire Peters", emails=["claire.peters@example.net"], title="HR Business Partner",
               how_met="LinkedIn", met_on=today - timedelta(days=40)),
    ]
    touches = [
        DemoTouch(("Maya Chen",), "coffee", 70, "talked about her team reorg"),
        DemoTouch(("Maya Chen",), "comment", 45),
        DemoTouch(("Jonas Weber",), "video", 20, "roadmap chat"),
        DemoTouch(("Priya Raman",), "call", 30, "her move to Seattle"),
        DemoTouch(("Sam Okafor",), "received", 4, "introduced me to a hiring manager"),
        DemoTouch(("Sam Okafor",), "message", 60),
        DemoTouch(("Lucía Fernández",), "recommend", 15, "sent her 'Just Enough Research'"),
        DemoTouch(("Ravi Patel",), "like", 300),
        DemoTouch(("Dawn Graham",), "comment", 500),
        DemoTouch(("Lucía Fernández", "Priya Raman"), "coffee", 100, "meetup at the design conference"),
    ]
    events = [DemoEvent("Priya Raman", "moving", 18, "moving to Seattle")]
    plans = [DemoPlan("Dawn Graham", "ask", 10, "ask for an intro to the alumni office")]
    return DemoNetwork(people, touches, events, plans)
