"""Schema changes for the library: precomputed resource-to-person matches for the agenda.

Revision ID: 0003_library
Revises: 0002_formats
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_library"
down_revision = "0002_formats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resource_matches",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("because", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_resource_matches_owner_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_resource_matches_person_id_people"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"],
                                name=op.f("fk_resource_matches_resource_id_resources"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("resource_id", "person_id", name=op.f("pk_resource_matches")),
    )
    with op.batch_alter_table("resource_matches", schema=None) as batch_op:
        batch_op.create_index("ix_resource_matches_owner_score", ["owner_id", "score"], unique=False)
        batch_op.create_index("ix_resource_matches_person", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("resource_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_resource_matches_person")
        batch_op.drop_index("ix_resource_matches_owner_score")
    op.drop_table("resource_matches")
