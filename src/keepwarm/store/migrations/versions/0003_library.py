"""Schema changes for the library, drafts and digest (issue 5); empty until that work needs one.

Revision ID: 0003_library
Revises: 0002_formats
"""

revision = "0003_library"
down_revision = "0002_formats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
