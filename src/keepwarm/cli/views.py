"""Rich renderings of agendas, people and profiles. All user text is escaped before it meets markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from keepwarm.cli.env import Env
    from keepwarm.core.agenda import Agenda


def agenda(env: Env, ag: Agenda, labels: dict[str, str], drafts: list[str] | None = None) -> None:
    """Today's suggestions as a numbered list with reasons (and a message draft under each, if given)."""
    head = f"[bold]Today, {ag.today.isoformat()}[/]"
    if ag.budget_minutes is not None:
        head += f" — {ag.minutes} of {ag.budget_minutes} minutes"
    env.print(head)
    if not ag.items:
        env.print("Nothing due. Your network is warm. ☕")
    for n, item in enumerate(ag.items, 1):
        label = labels.get(item.action, item.action)
        env.print(f"{n:>2}. [bold]{escape(item.person.name)}[/] — {escape(label)} "
                  f"[dim]({item.minutes} min, {item.trigger}, priority {item.priority})[/]")
        for reason in item.reasons:
            env.print(f"      [dim]·[/] {escape(reason)}")
        if drafts:
            env.print("")
            for line in drafts[n - 1].splitlines():
                env.print(f"        {escape(line)}" if line else "")
            env.print("")
    mark = "✓" if ag.week_touches >= ag.weekly_goal else " "
    env.print(f"\nThis week: {ag.week_touches}/{ag.weekly_goal} touches {mark}  ·  "
              f"streak: {ag.streak_weeks} week{'s' if ag.streak_weeks != 1 else ''}")


def people_table(env: Env, rows: list[dict[str, Any]]) -> None:
    """People, one line each."""
    if not rows:
        env.print("No one matches.")
        return
    table = Table(box=None, pad_edge=False)
    for col in ("#", "name", "company", "circle", "strength", "last touch", "due"):
        table.add_column(col, justify="right" if col in ("#", "strength") else "left")
    for r in rows:
        table.add_row(str(r["id"]), escape(r["name"]), escape(r["company"] or ""), escape(r["circle"] or ""),
                      f"{r['strength']:.0f}", r["last_touch"] or "never", r["due_on"] or "")
    env.print(table)


def profile(env: Env, p: dict[str, Any]) -> None:
    """A person's profile and timeline."""
    env.print(f"[bold]{escape(p['name'])}[/] (#{p['id']})")
    line = " · ".join(escape(x) for x in (p.get("title"), p.get("company"), p.get("location")) if x)
    if line:
        env.print(line)
    fields = [("emails", ", ".join(p["emails"])), ("phones", ", ".join(p["phones"])),
              ("links", ", ".join(k["url"] for k in p["links"])), ("birthday", p["birthday"]),
              ("met", " ".join(x for x in (p["how_met"], p["met_on"]) if x)),
              ("circle", f"{p['circle'] or '—'} (every {p['cadence_days']} days)"),  # escaped below
              ("tags", ", ".join(p["tags"])), ("interests", ", ".join(p["interests"])),
              ("notes", p["notes"]), ("snoozed until", p["snoozed_until"]),
              ("thank-you owed since", p["thanks_owed_since"])]
    for label, value in fields:
        if value:
            env.print(f"  [dim]{label}:[/] {escape(str(value))}")
    env.print(f"  [dim]strength:[/] {p['strength']:.0f}/100 ({p['strength_trend']:+.0f} in 30 days)  "
              f"[dim]balance:[/] {p['balance']:+.1f}  [dim]last touch:[/] {p['last_touch'] or 'never'}"
              f"  [dim]due:[/] {p['due_on'] or 'now'}")
    for e in p["events"]:
        env.print(f"  [dim]event:[/] {e['date']} {e['kind']} {escape(e['note'] or '')}")
    for plan in p["plans"]:
        env.print(f"  [dim]plan:[/] {plan['date']} {plan['action']} {escape(plan['note'] or '')}")
    if p["touches"]:
        env.print("  [dim]touches:[/]")
    for t in p["touches"][:20]:
        note = f" — {escape(t['note'])}" if t["note"] else ""
        env.print(f"    {t['date']}  {t['action']}{note}")


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
