"""The Store: one owner's network inside one transaction, over SQLAlchemy 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy.orm import Session

from keepwarm.store.agenda import AgendaQueries
from keepwarm.store.db import Database
from keepwarm.store.owners import find_owner, get_setting
from keepwarm.store.people import PeopleRepo
from keepwarm.store.sql import SessionRunner
from keepwarm.store.touches import TouchRepo


@dataclass
class Store:
    """One owner's network inside one transaction."""

    session: Session
    owner_id: int
    today: date

    @cached_property
    def people(self) -> PeopleRepo:
        region = str(get_setting(self.session, self.owner_id, "region"))
        return PeopleRepo(self.session, self.owner_id, self.today, region)

    @cached_property
    def touches(self) -> TouchRepo:
        return TouchRepo(self.session, self.owner_id, self.today)

    @cached_property
    def agenda(self) -> AgendaQueries:
        return AgendaQueries(SessionRunner(self.session), self.owner_id, self.today)


@contextmanager
def open_store(db: Database, today: date, user_email: str | None = None) -> Iterator[Store]:
    """A Store for the given (or the local) owner, committed when the block ends without error.

    A block that changed anything moves the owner's data version on, so web servers on the same
    database show the change on their next request instead of serving a cached agenda.
    """
    from keepwarm.store.accounts import bump_data_version
    from keepwarm.store.db import wrote

    with db.session() as session:
        owner = find_owner(session, user_email)
        yield Store(session, owner, today)
        session.flush()
        if wrote(session):
            bump_data_version(session, owner)


