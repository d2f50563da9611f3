"""Embedded stories (canonical URL, CMS id), outside sign-in identities, and used SSO token ids.

Revision ID: i14
Revises: 0001_initial_schema
"""
from alembic import op
import sqlalchemy as sa

revision = "i14"
down_revision = "i13r"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("canonical_url", sa.String(length=2000), nullable=True))
        batch.add_column(sa.Column("cms_story_id", sa.String(length=200), nullable=True))
        batch.create_unique_constraint(op.f("uq_articles_canonical_url"), ["canonical_url"])
    op.create_table(
        "sign_in_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sign_in_identities_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_identities")),
        sa.UniqueConstraint("provider", "subject", name=op.f("uq_sign_in_identities_provider")),
    )
    op.create_index(op.f("ix_sign_in_identities_user_id"), "sign_in_identities", ["user_id"])
    op.create_table(
        "used_sso_tokens",
        sa.Column("jti", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_used_sso_tokens")),
    )
    op.create_index(op.f("ix_used_sso_tokens_expires_at"), "used_sso_tokens", ["expires_at"])


def downgrade():
    op.drop_index(op.f("ix_used_sso_tokens_expires_at"), table_name="used_sso_tokens")
    op.drop_table("used_sso_tokens")
    op.drop_index(op.f("ix_sign_in_identities_user_id"), table_name="sign_in_identities")
    op.drop_table("sign_in_identities")
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint(op.f("uq_articles_canonical_url"), type_="unique")
        batch.drop_column("cms_story_id")
        batch.drop_column("canonical_url")
