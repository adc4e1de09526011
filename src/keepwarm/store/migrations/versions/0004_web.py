"""Schema changes for the web app and API (issue 4); empty until that work needs one.

Revision ID: 0004_web
Revises: 0003_library
"""

revision = "0004_web"
down_revision = "0003_library"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
