"""known partnerships

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "known_partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fr_level", sa.String(length=32), nullable=False),
        sa.Column("fr_code", sa.String(length=16), nullable=False),
        sa.Column("fr_name", sa.String(length=200), nullable=False),
        sa.Column("kr_level", sa.String(length=32), nullable=False),
        sa.Column("kr_code", sa.String(length=16), nullable=False),
        sa.Column("kr_name", sa.String(length=200), nullable=False),
        sa.Column("kr_name_local", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column(
            "themes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("origin IN ('declared', 'import')", name=op.f("ck_known_partnership_origin")),
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1950 AND 2100", name=op.f("ck_known_partnership_year")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_known_partnership_response_id_response"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_partnership")),
        sa.UniqueConstraint(
            "fr_level",
            "fr_code",
            "kr_level",
            "kr_code",
            name=op.f("uq_known_partnership_fr_level_fr_code_kr_level_kr_code"),
        ),
    )


def downgrade():
    op.drop_table("known_partnership")
