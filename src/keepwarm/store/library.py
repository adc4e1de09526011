"""The library's part of the agenda: resources that match someone's interests.

Matching resources to people arrives with the library (issue 5); until then the library suggests nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from keepwarm.core.agenda import Occasion


def occasions(session: Session, owner_id: int, today: date, limit: int) -> list[Occasion]:
    """Agenda occasions from the library: none until the library exists."""
    return []
