"""The language of each comment: the main one its verdict was judged in (ISO 639-1), for the queue's filter.

Revision ID: i12
Revises: i15
Create Date: 2026-11-30 08:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = "i12"
down_revision = "i15"
branch_labels = None
depends_on = None


def upgrade():
    # Comments stored before this revision keep no language (NULL): their verdicts were judged in English alone.
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("language", sa.String(length=35), nullable=True))
        batch.create_index("ix_comments_language_queue", ["language", "status", "created_at"])


def downgrade():
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_language_queue")
        batch.drop_column("language")
