"""Schema changes for importers and duplicate detection (issue 3); empty until that work needs one.

Revision ID: 0002_formats
Revises: 0001_initial
"""

revision = "0002_formats"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
