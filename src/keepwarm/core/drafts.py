"""Message drafts: short personal notes rendered from what keepwarm knows, with Jinja2 templates.

The templates ship in ``keepwarm/templates``; a file of the same name under the user's config dir
(``<config dir>/templates/drafts/birthday.txt.j2``) overrides the shipped one. Rendering is pure: the
caller gathers the facts into a DraftContext.

A draft goes to the person it names, so the context holds no private text at all: no note of a touch,
an event or the person, no age. The one exception is the note of a planned ask (``ask``), which the user
wrote to be said, and which only the ``ask`` draft receives.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from keepwarm.core import wording
from keepwarm.core.agenda import Agenda
from keepwarm.errors import ConfigError, InvalidInputError

KINDS = ("birthday", "thanks", "share", "coffee", "video", "call", "checkin", "comment", "congrats", "gift",
         "intro", "ask", "deposit", "move", "sympathy", "news")
ALIASES = {"meetup": "coffee", "message": "checkin", "recommend": "share"}  # older or action names
PICK_RESOURCE = "[pick an article for them]"
PLACEHOLDERS = {"pick_resource": PICK_RESOURCE, "pick_ask": "[what you want to ask]",
                "pick_intro": "[who you want to introduce]", "pick_gift": "[the gift]"}

_EVENT_KINDS = {"moving": "move", "loss": "sympathy", "new-job": "congrats", "promotion": "congrats",
                "retirement": "congrats", "graduation": "congrats", "new-baby": "congrats",
                "wedding": "congrats"}
# The draft that talks about each built-in action; a user's own action drafts by its kind (see kind_for).
ACTION_KINDS = {"call": "call", "video": "video", "coffee": "coffee", "message": "checkin",
                "congrats": "congrats", "birthday": "birthday", "thanks": "thanks", "recommend": "share",
                "repost": "share", "gift": "gift", "intro": "intro", "ask": "ask", "like": "comment",
                "comment": "comment", "share": "comment"}


@dataclass
class TouchInfo:
    """A past touch: what and when (its note is private and never reaches a draft)."""

    action: str
    on: date


@dataclass
class ResourceInfo:
    """A resource to share: what it is, where, and your words about it."""

    kind: str
    title: str
    url: str | None = None
    author: str | None = None
    review: str | None = None
    summary: list[str] = field(default_factory=list)
    because: str | None = None  # why it suits the person ("interested in …"), never their notes


@dataclass
class EventInfo:
    """A life event of the person; for a new job, the new employer and title (never the old ones)."""

    kind: str
    on: date
    company: str | None = None
    title: str | None = None


@dataclass
class NewsInfo:
    """Where the person was in the news: the source and whether it is good news. Never the article's
    text: the draft says in the user's words that they read about them."""

    title: str
    source: str | None = None
    link: str | None = None
    good_news: bool = False


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
    last_touch: TouchInfo | None = None  # the latest real conversation (coffee, call, video…)
    favour: TouchInfo | None = None  # the favour a thank-you is owed for
    event: EventInfo | None = None
    resource: ResourceInfo | None = None
    news: NewsInfo | None = None  # the mention a news draft is about
    action: str | None = None  # the suggested action the draft is for
    ask: str | None = None  # the note of a planned ask: only the ask draft sees it
    me: str | None = None  # your name, for the sign-off

    def as_dict(self) -> dict[str, Any]:
        """The template variables."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def check_kind(kind: str) -> str:
    """A draft kind (``meetup`` is still understood as ``coffee``), or an error that lists them."""
    k = kind.strip().lower()
    k = ALIASES.get(k, k)
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


def kind_for(trigger: str, action: str, event_kind: str | None = None, is_ask: bool = False) -> str:
    """The draft that suits an agenda suggestion: the occasion first, then the action it suggests.

    A ``reciprocity`` item is either the planned ask itself (``is_ask``: the action withdraws) or the
    deposit the agenda wants before it."""
    if trigger in ("birthday", "thanks"):
        return trigger
    if trigger == "life_event" and event_kind in _EVENT_KINDS:
        return _EVENT_KINDS[event_kind]
    if trigger == "reciprocity":
        return "ask" if is_ask else "deposit"
    if trigger == "library":
        return "share"
    if trigger == "news":
        return "news"
    if is_ask:
        return "ask"
    return ACTION_KINDS.get(action, "checkin")


def environment(template_dirs: list[Path]):  # type: ignore[no-untyped-def]
    """A Jinja2 environment: the user's templates first, then the shipped ones.

    Reused while the set of the user's template files is the same, so that templates are compiled once
    (Jinja reloads a changed file by its mtime; a newly added override changes the key)."""
    key = tuple((str(d), tuple(sorted(str(p.relative_to(d)) for p in d.rglob("*.j2"))) if d.is_dir() else ())
                for d in template_dirs)
    return _environment(key)


def _today_of(ctx: Any) -> date:
    today = ctx.get("today")
    return today if isinstance(today, date) else date.today()


@lru_cache(maxsize=16)
def _environment(key: tuple[tuple[str, tuple[str, ...]], ...]):  # type: ignore[no-untyped-def]
    import jinja2

    template_dirs = [Path(d) for d, _ in key]

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in template_dirs])]
    loaders.append(jinja2.PackageLoader("keepwarm", "templates"))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             autoescape=lambda name: (name or "").endswith(".html.j2"),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""  # the digest, which is for you alone
    # dates as people write them: "15 December", "on 15 December 2027", "tomorrow"
    env.filters["day"] = jinja2.pass_context(lambda ctx, d: wording.day(d, _today_of(ctx)))
    env.filters["on_day"] = jinja2.pass_context(lambda ctx, d: wording.on_day(d, _today_of(ctx)))
    env.filters["event_words"] = wording.event_words
    env.filters["last_talk"] = wording.last_talk
    env.globals.update(PLACEHOLDERS)
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
    """A draft message of ``kind`` for the person in ``ctx``.

    The ask's note is dropped for every other kind, so that no template, shipped or the user's, can
    carry it into a message it was not written for."""
    kind = check_kind(kind)
    if kind != "ask" and ctx.ask is not None:
        ctx = dataclasses.replace(ctx, ask=None)
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
