"""Readers' accounts: names compared as they look (users.name_key), deleted accounts, the decision e-mail preference.

Revision ID: i13r
Revises: 0001_initial_schema
"""
from alembic import op
import sqlalchemy as sa

from moderation.lookalike import name_key

revision = "i13r"
down_revision = "0001_initial_schema"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("notify_decisions", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_users_name_key", ["name_key"])
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("display_name", sa.String),
                     sa.column("name_key", sa.String))
    connection = op.get_bind()
    for user_id, display_name in connection.execute(sa.select(users.c.id, users.c.display_name)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(name_key=name_key(display_name)))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_name_key")
        batch.drop_column("notify_decisions")
        batch.drop_column("deleted_at")
        batch.drop_column("name_key")
