"""first call of mutual pairs (proposed slots) and outbox attachments

Revision ID: 0002_first_call
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_first_call"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "first_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("meeting_link", sa.String(length=500), nullable=True),
        sa.Column("interpreter_note", sa.Text(), nullable=True),
        sa.Column("fr_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kr_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('proposed', 'confirmed')", name=op.f("ck_first_call_state")),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_first_call_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_call")),
        sa.UniqueConstraint("suggestion_id", name=op.f("uq_first_call_suggestion_id")),
    )
    op.create_table(
        "call_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by", sa.String(length=6), nullable=False),
        sa.Column("fr_accepts", sa.Boolean(), nullable=True),
        sa.Column("kr_accepts", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("proposed_by IN ('system', 'FR', 'KR')", name=op.f("ck_call_slot_proposed_by")),
        sa.ForeignKeyConstraint(
            ["call_id"], ["first_call.id"], name=op.f("fk_call_slot_call_id_first_call"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_slot")),
        sa.UniqueConstraint("call_id", "starts_at", name=op.f("uq_call_slot_call_id_starts_at")),
    )
    with op.batch_alter_table("call_slot", schema=None) as batch_op:
        batch_op.create_index("ix_call_slot_starts_at", ["starts_at"], unique=False)
    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_message.id"],
            name=op.f("fk_outbox_attachment_message_id_outbox_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attachment")),
    )
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_attachment_message_id", ["message_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_attachment_message_id")
    op.drop_table("outbox_attachment")
    with op.batch_alter_table("call_slot", schema=None) as batch_op:
        batch_op.drop_index("ix_call_slot_starts_at")
    op.drop_table("call_slot")
    op.drop_table("first_call")
