"""Policy rescans as runs of id-range chunks (issue 15: bulk work on a job queue).

Revision ID: i15
Revises: 0001_initial_schema
"""
from alembic import op
import sqlalchemy as sa


revision = "i15"
down_revision = "i14"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rescan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("policy_file", sa.String(length=1000), nullable=True),
        sa.Column("policy_name", sa.String(length=100), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescan_runs")),
    )
    op.create_table(
        "rescan_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scanned", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["rescan_runs.id"], name=op.f("fk_rescan_chunks_run_id_rescan_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescan_chunks")),
        sa.UniqueConstraint("run_id", "first_id", name="uq_rescan_chunks_run_first"),
    )


def downgrade():
    op.drop_table("rescan_chunks")
    op.drop_table("rescan_runs")
