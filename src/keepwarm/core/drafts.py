"""Message drafts: short personal notes rendered from what keepwarm knows, with Jinja2 templates.

The templates ship in ``keepwarm/templates``; a file of the same name under the user's config dir
(``<config dir>/templates/drafts/birthday.txt.j2``) overrides the shipped one. Rendering is pure: the
caller gathers the facts into a DraftContext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from keepwarm.core.agenda import Agenda
from keepwarm.core.dates import format_day
from keepwarm.errors import ConfigError, InvalidInputError

KINDS = ("birthday", "thanks", "share", "meetup", "checkin", "congrats", "move", "sympathy")
_EVENT_KINDS = {"moving": "move", "loss": "sympathy", "new-job": "congrats", "new_job": "congrats",
                "promotion": "congrats", "retirement": "congrats", "graduation": "congrats",
                "new-baby": "congrats", "new_baby": "congrats", "wedding": "congrats"}
_MEET_ACTIONS = ("coffee", "video", "call", "gift")


@dataclass
class TouchInfo:
    """A past touch: what, when, and the note you left."""

    action: str
    on: date
    note: str | None = None


@dataclass
class ResourceInfo:
    """A resource to share: what it is, where, and your words about it."""

    kind: str
    title: str
    url: str | None = None
    author: str | None = None
    review: str | None = None
    summary: list[str] = field(default_factory=list)
    because: str | None = None  # why it suits the person


@dataclass
class EventInfo:
    """A life event of the person."""

    kind: str
    on: date
    note: str | None = None


@dataclass
class DraftContext:
    """Everything a draft may use about one person."""

    name: str
    first_name: str
    today: date
    how_met: str | None = None
    met_on: date | None = None
    company: str | None = None
    title: str | None = None
    interests: list[str] = field(default_factory=list)
    birthday_on: date | None = None
    age: int | None = None
    last_touch: TouchInfo | None = None  # the latest touch with a note: what you last talked about
    favour: TouchInfo | None = None  # the favour a thank-you is owed for
    event: EventInfo | None = None
    resource: ResourceInfo | None = None
    me: str | None = None  # your name, for the sign-off

    def as_dict(self) -> dict[str, Any]:
        """The template variables."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def check_kind(kind: str) -> str:
    """A draft kind, or an error that lists them."""
    k = kind.strip().lower()
    if k not in KINDS:
        raise InvalidInputError(f"a draft is one of {', '.join(KINDS)}, not {kind!r}")
    return k


def infer_kind(ctx: DraftContext) -> str:
    """The most fitting draft for someone when none is asked for."""
    if ctx.birthday_on is not None and 0 <= (ctx.birthday_on - ctx.today).days <= 7:
        return "birthday"
    if ctx.favour is not None:
        return "thanks"
    if ctx.event is not None:
        return _EVENT_KINDS.get(ctx.event.kind, "checkin")
    if ctx.resource is not None:
        return "share"
    return "checkin"


def kind_for(trigger: str, action: str, event_kind: str | None = None) -> str:
    """The draft that suits an agenda suggestion."""
    if trigger == "birthday":
        return "birthday"
    if trigger == "thanks":
        return "thanks"
    if trigger == "library" or action in ("recommend", "share", "repost"):
        return "share"
    if trigger == "life_event" and event_kind:
        return _EVENT_KINDS.get(event_kind, "checkin")
    if action == "congrats":
        return "congrats"
    if action in _MEET_ACTIONS:
        return "meetup"
    return "checkin"


def environment(template_dirs: list[Path]):  # type: ignore[no-untyped-def]
    """A Jinja2 environment: the user's templates first, then the shipped ones.

    Reused while the set of the user's template files is the same, so that templates are compiled once
    (Jinja reloads a changed file by its mtime; a newly added override changes the key)."""
    key = tuple((str(d), tuple(sorted(str(p.relative_to(d)) for p in d.rglob("*.j2"))) if d.is_dir() else ())
                for d in template_dirs)
    return _environment(key)


@lru_cache(maxsize=16)
def _environment(key: tuple[tuple[str, tuple[str, ...]], ...]):  # type: ignore[no-untyped-def]
    import jinja2

    template_dirs = [Path(d) for d, _ in key]

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in template_dirs])]
    loaders.append(jinja2.PackageLoader("keepwarm", "templates"))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             autoescape=lambda name: (name or "").endswith(".html.j2"),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""  # kept for templates users wrote
    env.filters["day"] = lambda d: format_day(d) if d else ""  # "25 November": what the digest shows
    return env


def render_template(name: str, data: dict[str, Any], template_dirs: list[Path]) -> str:
    """Render one template; a broken user template is a one-line error naming it."""
    import jinja2

    try:
        out = environment(template_dirs).get_template(name).render(**data)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template {exc.filename or name}: line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"template {name}: {exc}") from None
    return _tidy(out)


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces."""
    lines = [ln.rstrip() for ln in text.strip().splitlines()]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out) + "\n"


def render(kind: str, ctx: DraftContext, template_dirs: list[Path]) -> str:
    """A draft message of ``kind`` for the person in ``ctx``."""
    kind = check_kind(kind)
    if kind == "share" and ctx.resource is None:
        raise InvalidInputError(f"nothing to share with {ctx.name}: give --resource, or add to your library "
                                "something that matches their interests")
    return render_template(f"drafts/{kind}.txt.j2", ctx.as_dict(), template_dirs)


def render_post(resource: ResourceInfo, template_dirs: list[Path], me: str | None = None) -> str:
    """A post for your network that shares a resource with your summary."""
    return render_template("drafts/post.txt.j2", {"resource": resource, "me": me}, template_dirs)


def digest_data(agenda: Agenda, labels: dict[str, str], drafts: list[str] | None) -> dict[str, Any]:
    """The variables of the digest templates."""
    items = [{"name": s.person.name, "label": labels.get(s.action, s.action), "minutes": s.minutes,
              "reasons": s.reasons, "trigger": s.trigger, "draft": drafts[i] if drafts else None}
             for i, s in enumerate(agenda.items)]
    return {"today": agenda.today, "items": items, "week_touches": agenda.week_touches,
            "weekly_goal": agenda.weekly_goal, "streak_weeks": agenda.streak_weeks}
