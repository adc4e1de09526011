"""Tables of the importers and duplicate detection: pairs the user said are not the same person, and the
rows already imported (so re-importing an unchanged row costs a set lookup)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from keepwarm.store.models.base import Base


class NotDuplicate(Base):
    __tablename__ = "not_duplicates"

    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    person_a: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    person_b: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class ImportRow(Base):
    """A source row (by a hash of its text, the source format and the import options) already imported
    into a person. Removing the person removes the row, so importing the file again brings them back."""

    __tablename__ = "import_rows"
    __table_args__ = (Index("ix_import_rows_person", "person_id"),)

    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_hash: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
