"""Schema changes for the web app and API (issue 4): a per-account data version.

``users.data_version`` goes up with every change the web app or API makes to an account's network, in the
same transaction; web processes cache the expensive Today agenda per account and rebuild it when the
version (or the day) changes. Changes made outside the web app (the CLI) show after a short time-to-live.

Revision ID: 0004_web
Revises: 0003_library
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_web"
down_revision = "0003_library"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("data_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("data_version")
