"""Rich renderings of agendas, people and profiles. All user text is escaped before it meets markup."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from keepwarm.core.birthdays import Birthday
from keepwarm.core.cadence import due_text
from keepwarm.core.dates import format_day, format_days

if TYPE_CHECKING:
    from keepwarm.cli.env import Env
    from keepwarm.core.agenda import Agenda

# what an empty network says instead of "your network is warm": the three ways to start
START_HINTS = (
    "Your network is empty. Three ways to start:",
    "  keepwarm demo          try it on a sample network",
    "  keepwarm import FILE   bring in your contacts (LinkedIn, Google, Outlook, vCard, CSV)",
    "  keepwarm add NAME      add one person",
)


def day(iso: str | None, today: date, never: str = "never") -> str:
    """An ISO day from a read model as people read it (``15 December``), or ``never``."""
    return format_day(date.fromisoformat(iso), today) if iso else never


def due(p: dict[str, Any], today: date) -> str:
    """When a person (a summary or profile) is due, in words."""
    return due_text(date.fromisoformat(p["due_on"]), today, p["last_touch"] is None)


def birthday(iso: str | None) -> str:
    """``3 December`` or ``3 December 1980`` from the stored ``--12-03`` or ``1980-12-03``."""
    return Birthday.parse(iso).spoken() if iso else ""


def agenda(env: Env, ag: Agenda, labels: dict[str, str], drafts: list[str] | None = None,
           anyone: bool = True) -> None:
    """Today's suggestions as a numbered list with reasons (and a message draft under each, if given).

    ``anyone`` False (nobody in the network) shows the ways to start instead: an empty network is not warm.
    """
    head = f"[bold]Today, {format_day(ag.today)}[/]"
    if ag.budget_minutes is not None:
        head += f" — {ag.minutes} of {ag.budget_minutes} minutes"
    env.print(head)
    if not anyone:
        for line in START_HINTS:
            env.say(line)
        return
    if not ag.items:
        env.print("Nothing due. Your network is warm. ☕")
    for n, item in enumerate(ag.items, 1):
        label = labels.get(item.action, item.action)
        lasts = f", then {item.duration} min together" if item.duration > item.minutes else ""
        env.print(f"{n:>2}. [bold]{escape(item.person.name)}[/] — {escape(label)} "
                  f"[dim]({item.minutes} min today{lasts}, {item.trigger}, priority {item.priority})[/]")
        for reason in item.reasons:
            env.print(f"      [dim]·[/] {escape(reason)}")
        if drafts:
            env.print("")
            for line in drafts[n - 1].splitlines():
                env.print(f"        {escape(line)}" if line else "")
            env.print("")
    if ag.left_out:
        more = ", ".join(f"{i.person.name} ({labels.get(i.action, i.action).lower()}, {i.minutes} min)"
                         for i in ag.left_out[:5])
        rest = f" and {len(ag.left_out) - 5} others" if len(ag.left_out) > 5 else ""
        env.print(f"\n[dim]+{len(ag.left_out)} more that did not fit:[/] {escape(more)}{rest}")
    mark = "✓" if ag.week_touches >= ag.weekly_goal else " "
    env.print(f"\nThis week: {ag.week_touches}/{ag.weekly_goal} touches {mark}  ·  "
              f"streak: {ag.streak_weeks} week{'s' if ag.streak_weeks != 1 else ''}")


def _job_change(e: dict[str, Any]) -> str:
    """`` Staff Engineer at Indeed, from Analyst at TalentBridge``: a new job and what it replaced."""
    from keepwarm.core.wording import job

    now, before = job(e.get("title"), e.get("company")), job(e.get("prev_title"), e.get("prev_company"))
    return (f" {now}" if now else "") + (f", from {before}" if now and before else "")


def people_table(env: Env, rows: list[dict[str, Any]]) -> None:
    """People, one line each (days in words; ``--json`` keeps ISO dates)."""
    today = env.settings.today
    if not rows:
        env.print("No one matches.")
        return
    table = Table(box=None, pad_edge=False)
    for col in ("#", "name", "company", "circle", "strength", "last touch", "due"):
        table.add_column(col, justify="right" if col in ("#", "strength") else "left")
    for r in rows:
        table.add_row(str(r["id"]), escape(r["name"]), escape(r["company"] or ""), escape(r["circle"] or ""),
                      str(round(r["strength"])), day(r["last_touch"], today), due(r, today))
    env.print(table)


def profile(env: Env, p: dict[str, Any]) -> None:
    """A person's profile and timeline."""
    today = env.settings.today
    env.print(f"[bold]{escape(p['name'])}[/] (#{p['id']})")
    line = " · ".join(escape(x) for x in (p.get("title"), p.get("company"), p.get("location")) if x)
    if line:
        env.print(line)
    fields = [("emails", ", ".join(p["emails"])), ("phones", ", ".join(p["phones"])),
              ("links", ", ".join(k["url"] for k in p["links"])), ("birthday", birthday(p["birthday"])),
              ("met", ", ".join(x for x in (p["how_met"], day(p["met_on"], today, "")) if x)),
              ("circle", f"{p['circle'] or '—'} (every {format_days(p['cadence_days'])})"),  # escaped below
              ("tags", ", ".join(p["tags"])), ("interests", ", ".join(p["interests"])),
              ("notes", p["notes"]), ("snoozed until", day(p["snoozed_until"], today, "")),
              ("thank-you owed since", day(p["thanks_owed_since"], today, ""))]
    for label, value in fields:
        if value:
            env.print(f"  [dim]{label}:[/] {escape(str(value))}")
    env.print(f"  [dim]strength:[/] {round(p['strength'])}/100 ({p['strength_trend']:+.0f} in 30 days)  "
              f"[dim]balance:[/] {p['balance']:+.1f}  [dim]last touch:[/] {day(p['last_touch'], today)}"
              f"  [dim]due:[/] {due(p, today)}")
    for e in p["events"]:
        line = f"{e['kind']}{_job_change(e)} {e['note'] or ''}"
        env.print(f"  [dim]event #{e['id']}:[/] {day(e['date'], today)} {escape(line)}")
    for plan in p["plans"]:
        env.print(f"  [dim]plan #{plan['id']}:[/] {day(plan['date'], today)} {plan['action']} "
                  f"{escape(plan['note'] or '')}")
    if p["touches"]:
        env.print("  [dim]touches:[/]")
    for t in p["touches"][:20]:
        note = f" — {escape(t['note'])}" if t["note"] else ""
        env.print(f"    #{t['id']:<5} {day(t['date'], today)}  {t['action']}{note}")


def capped_table(env: Env, title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]],
                 cap: int) -> None:
    """A titled table of at most ``cap`` rows, then "+N more" (nothing at all when there are no rows): a
    30,000-row dry run should fit on a screen; --json has every row."""
    if not rows:
        return
    table = Table(*columns, box=None, pad_edge=False, title=f"{title} ({len(rows)})", title_justify="left",
                  title_style="bold")
    for row in rows[:cap]:
        table.add_row(*(escape(v) for v in row))
    env.print(table)
    if len(rows) > cap:
        env.print(f"  +{len(rows) - cap} more (--json lists them all)")
