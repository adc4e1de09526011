"""Changing the action catalog, circles and settings (with what each change must keep true)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from keepwarm.core import strength
from keepwarm.core.actions import Action, make_action
from keepwarm.core.dates import format_days
from keepwarm.errors import ConflictError, InvalidInputError
from keepwarm.store import owners
from keepwarm.store.models import ActionRow, CircleRow, PersonRow
from keepwarm.store.reads import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from keepwarm.store import Store


def add_action(store: Store, name: str, label: str | None, weight: float, minutes: int, kind: str,
               personal: bool = False, duration: int | None = None) -> Action:
    """Add a user-defined micro-action (``minutes`` of effort today, ``duration`` the touch lasts)."""
    action = make_action(name, label, weight, minutes, kind, personal, duration)
    if action.name in owners.catalog(store.session, store.owner_id):
        raise ConflictError(f"there is already an action named {action.name!r}")
    store.session.add(ActionRow(owner_id=store.owner_id, name=action.name, label=action.label,
                                weight=action.weight, minutes=action.minutes, kind=action.kind,
                                personal=action.personal, builtin=False, duration=action.duration))
    store.session.flush()
    owners.forget_catalog(store.session, store.owner_id)
    return action


def circle_summaries(store: Store) -> list[dict[str, Any]]:
    """Circles with their rhythm and how many people are in each."""
    counts = dict(store.session.execute(
        select(PersonRow.circle_id, func.count()).where(PersonRow.owner_id == store.owner_id)
        .group_by(PersonRow.circle_id)).all())
    return [{"name": c.name, "every_days": c.every_days, "every": format_days(c.every_days),
             "description": c.description, "people": counts.get(c.id, 0)}
            for c in store.people.circles()]


def set_circle(store: Store, name: str, every_days: int) -> None:
    """Change a circle's rhythm, or create the circle."""
    from keepwarm.core.people import clean_label

    name = clean_label(name, "circle").lower()
    exists = store.session.scalar(select(CircleRow.id).where(CircleRow.owner_id == store.owner_id,
                                                             CircleRow.name == name))
    if exists is None:
        store.session.add(CircleRow(owner_id=store.owner_id, name=name, every_days=every_days,
                                    description="", position=100))
        store.session.flush()
    else:
        store.touches.set_circle_every(name, every_days)


_INT_SETTINGS = {"half_life": (strength.MIN_HALF_LIFE, 3650), "weekly_goal": (0, 500),
                 "intros_per_day": (0, 50), "deposit_lead": (0, 90), "capture_max_people": (1, 500)}
_BOOL_SETTINGS = ("capture_subjects",)
_ON, _OFF = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


def change_setting(store: Store, key: str, value: str) -> None:
    """Set a setting, checking its value; a new half-life rebuilds every strength base."""
    if key in _INT_SETTINGS:
        lo, hi = _INT_SETTINGS[key]
        if not (value.isascii() and value.isdigit()) or not lo <= int(value) <= hi:
            raise InvalidInputError(f"{key} is a whole number from {lo} to {hi}, not {value!r}")
        owners.set_setting(store.session, store.owner_id, key, int(value))
        if key == "half_life":
            store.touches._half_life = None
            ids = list(store.session.scalars(select(PersonRow.id).where(
                PersonRow.owner_id == store.owner_id, PersonRow.last_touch.is_not(None))))
            store.touches.recompute(ids)
    elif key == "region":
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise InvalidInputError(f"unknown phone region {value!r} (use a code such as US, GB, DE)")
        owners.set_setting(store.session, store.owner_id, key, value.upper())
    elif key in _BOOL_SETTINGS:
        if value.lower() not in (*_ON, *_OFF):
            raise InvalidInputError(f"{key} is on or off, not {value!r}")
        owners.set_setting(store.session, store.owner_id, key, value.lower() in _ON)
    else:
        known = ", ".join([*_INT_SETTINGS, "region", *_BOOL_SETTINGS])
        raise InvalidInputError(f"unknown setting {key!r}; known settings: {known}")


def list_settings(store: Store) -> dict[str, Any]:
    """Every setting with its current value."""
    return {k: owners.get_setting(store.session, store.owner_id, k) for k in DEFAULT_SETTINGS}
