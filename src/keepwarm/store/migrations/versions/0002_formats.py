"""Schema changes for importers and duplicate detection (issue 3): the rows already imported.

Revision ID: 0002_formats
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_formats"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_rows",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("row_hash", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_import_rows_owner_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_import_rows_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "source", "row_hash", name=op.f("pk_import_rows")),
    )
    op.create_index("ix_import_rows_person", "import_rows", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_import_rows_person", table_name="import_rows")
    op.drop_table("import_rows")
