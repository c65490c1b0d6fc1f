"""seminar panels

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "seminar_panel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=40), nullable=False),
        sa.Column(
            "member_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("fixed_by", sa.Integer(), nullable=True),
        sa.Column("fixed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fixed_by"], ["staff_user.id"], name=op.f("fk_seminar_panel_fixed_by_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seminar_panel")),
    )
    with op.batch_alter_table("seminar_panel", schema=None) as batch_op:
        batch_op.create_index("ix_seminar_panel_fixed_at", ["fixed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("seminar_panel", schema=None) as batch_op:
        batch_op.drop_index("ix_seminar_panel_fixed_at")

    op.drop_table("seminar_panel")
