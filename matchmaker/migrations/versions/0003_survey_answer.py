"""surveys 1, 3 and 6 months after mutual interest; the one profile-completeness reminder

Revision ID: 0003_survey_answer
Revises: 0002_first_call
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_survey_answer"
down_revision = "0002_first_call"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=2), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("stop_reason", sa.String(length=24), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("side IN ('FR', 'KR')", name=op.f("ck_survey_answer_side")),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('no_contact', 'met', 'letter_of_intent', 'agreement', 'stopped')",
            name=op.f("ck_survey_answer_answer"),
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_survey_answer_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["staff_user.id"],
            name=op.f("fk_survey_answer_confirmed_by_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
        sa.UniqueConstraint("suggestion_id", "side", "wave", name=op.f("uq_survey_answer_suggestion_id_side_wave")),
    )
    op.create_table(
        "profile_reminder",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_profile_reminder_response_id_response"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_profile_reminder")),
    )


def downgrade():
    op.drop_table("profile_reminder")
    op.drop_table("survey_answer")
