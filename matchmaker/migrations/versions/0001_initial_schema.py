"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "collectivite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_local", sa.String(length=200), nullable=True),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("country IN ('FR', 'KR')", name=op.f("ck_collectivite_country")),
        sa.CheckConstraint("population IS NULL OR population > 0", name=op.f("ck_collectivite_population_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collectivite")),
    )
    with op.batch_alter_table("collectivite", schema=None) as batch_op:
        batch_op.create_index("ix_collectivite_country_level", ["country", "level"], unique=False)
        batch_op.create_index("ix_collectivite_country_name_key", ["country", "name_key"], unique=False)
        batch_op.create_index(
            "uq_collectivite_country_level_code",
            ["country", "level", "code"],
            unique=True,
            sqlite_where=sa.text("code IS NOT NULL"),
            postgresql_where=sa.text("code IS NOT NULL"),
        )

    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        sa.UniqueConstraint("job", "period_key", name=op.f("uq_job_run_job_period_key")),
    )
    op.create_table(
        "match_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "params", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "counts", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_run")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=998), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column(
            "headers", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sending_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous')", name=op.f("ck_outbox_message_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message_recipient", ["recipient"], unique=False)
        batch_op.create_index("ix_outbox_message_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("org", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("language IN ('fr', 'ko', 'en')", name=op.f("ck_staff_user_language")),
        sa.CheckConstraint("org IN ('CUF', 'GAROK')", name=op.f("ck_staff_user_org")),
        sa.CheckConstraint("role IN ('reviewer', 'admin')", name=op.f("ck_staff_user_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_user_email")),
    )
    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collectivite_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_role", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column(
            "sectors", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "partner_levels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "cooperation_kinds",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "working_languages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "existing_partners",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("consent_contact", sa.Boolean(), nullable=False),
        sa.Column("consent_share", sa.Boolean(), nullable=False),
        sa.Column("digest_frequency", sa.String(length=8), nullable=False),
        sa.Column(
            "draft", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("draft_saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "digest_frequency IN ('weekly', 'monthly', 'never')", name=op.f("ck_response_digest_frequency")
        ),
        sa.CheckConstraint("language IN ('fr', 'ko', 'en')", name=op.f("ck_response_language")),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f("ck_response_status")),
        sa.ForeignKeyConstraint(
            ["collectivite_id"],
            ["collectivite.id"],
            name=op.f("fk_response_collectivite_id_collectivite"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
        sa.UniqueConstraint("collectivite_id", name=op.f("uq_response_collectivite_id")),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_contact_email", ["contact_email"], unique=False)
        batch_op.create_index("ix_response_status", ["status"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff_user.id"], name=op.f("fk_setting_updated_by_id_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fr_id", sa.Integer(), nullable=False),
        sa.Column("kr_id", sa.Integer(), nullable=False),
        sa.Column("score_total", sa.Float(), nullable=False),
        sa.Column("score_themes", sa.Float(), nullable=False),
        sa.Column("score_complementarity", sa.Float(), nullable=False),
        sa.Column("score_sectors", sa.Float(), nullable=False),
        sa.Column("score_size", sa.Float(), nullable=False),
        sa.Column("score_text", sa.Float(), nullable=False),
        sa.Column("rank_fr", sa.Integer(), nullable=True),
        sa.Column("rank_kr", sa.Integer(), nullable=True),
        sa.Column(
            "reasons", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("cuf_decision", sa.String(length=8), nullable=True),
        sa.Column("garok_decision", sa.String(length=8), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cuf_decision IS NULL OR cuf_decision IN ('approve', 'reject')", name=op.f("ck_suggestion_cuf_decision")
        ),
        sa.CheckConstraint(
            "garok_decision IS NULL OR garok_decision IN ('approve', 'reject')",
            name=op.f("ck_suggestion_garok_decision"),
        ),
        sa.CheckConstraint(
            "state IN ('suggested', 'approved', 'rejected', 'introduced', 'mutual', 'declined')",
            name=op.f("ck_suggestion_state"),
        ),
        sa.ForeignKeyConstraint(
            ["fr_id"], ["collectivite.id"], name=op.f("fk_suggestion_fr_id_collectivite"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["kr_id"], ["collectivite.id"], name=op.f("fk_suggestion_kr_id_collectivite"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["match_run.id"], name=op.f("fk_suggestion_run_id_match_run"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sa.UniqueConstraint("fr_id", "kr_id", name=op.f("uq_suggestion_fr_id_kr_id")),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index("ix_suggestion_kr_id", ["kr_id"], unique=False)
        batch_op.create_index("ix_suggestion_score_complementarity", ["score_complementarity", "id"], unique=False)
        batch_op.create_index("ix_suggestion_score_sectors", ["score_sectors", "id"], unique=False)
        batch_op.create_index("ix_suggestion_score_size", ["score_size", "id"], unique=False)
        batch_op.create_index("ix_suggestion_score_text", ["score_text", "id"], unique=False)
        batch_op.create_index("ix_suggestion_score_themes", ["score_themes", "id"], unique=False)
        batch_op.create_index("ix_suggestion_updated_at", ["updated_at", "id"], unique=False)
        batch_op.create_index("ix_suggestion_score_total", ["score_total"], unique=False)
        batch_op.create_index("ix_suggestion_state_score", ["state", "score_total"], unique=False)

    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_access_token_response_id_response"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_access_token_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_token_token_hash")),
    )
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.create_index("ix_access_token_response_id", ["response_id"], unique=False)
        batch_op.create_index("ix_access_token_suggestion_id", ["suggestion_id"], unique=False)

    op.create_table(
        "digest_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=40), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_digest_recipient_response_id_response"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_digest_recipient_staff_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_recipient")),
        sa.UniqueConstraint("email", name=op.f("uq_digest_recipient_email")),
    )
    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fr_answer", sa.String(length=16), nullable=True),
        sa.Column("fr_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kr_answer", sa.String(length=16), nullable=True),
        sa.Column("kr_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "fr_answer IS NULL OR fr_answer IN ('interested', 'not_interested')", name=op.f("ck_introduction_fr_answer")
        ),
        sa.CheckConstraint(
            "kr_answer IS NULL OR kr_answer IN ('interested', 'not_interested')", name=op.f("ck_introduction_kr_answer")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_introduction_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
        sa.UniqueConstraint("suggestion_id", name=op.f("uq_introduction_suggestion_id")),
    )
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('meeting', 'letter_of_intent', 'agreement', 'no_follow_up')", name=op.f("ck_outcome_kind")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"], ["suggestion.id"], name=op.f("fk_outcome_suggestion_id_suggestion"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_outcome_user_id_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_suggestion_id", ["suggestion_id"], unique=False)

    op.create_table(
        "pair_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"], ["suggestion.id"], name=op.f("fk_pair_note_suggestion_id_suggestion"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_pair_note_user_id_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_note")),
    )
    with op.batch_alter_table("pair_note", schema=None) as batch_op:
        batch_op.create_index("ix_pair_note_suggestion_id", ["suggestion_id"], unique=False)

    op.create_table(
        "response_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "answers", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_response_version_response_id_response"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_version")),
        sa.UniqueConstraint("response_id", "number", name=op.f("uq_response_version_response_id_number")),
    )
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=8), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision IN ('approve', 'reject')", name=op.f("ck_review_decision_decision")),
        sa.CheckConstraint("org IN ('CUF', 'GAROK')", name=op.f("ck_review_decision_org")),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_review_decision_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_review_decision_user_id_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.create_index("ix_review_decision_suggestion_id", ["suggestion_id"], unique=False)

    op.create_table(
        "suggestion_theme",
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_suggestion_theme_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("suggestion_id", "theme_code", name=op.f("pk_suggestion_theme")),
    )
    with op.batch_alter_table("suggestion_theme", schema=None) as batch_op:
        batch_op.create_index("ix_suggestion_theme_theme_code", ["theme_code", "suggestion_id"], unique=False)

    op.create_table(
        "theme_interest",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=8), nullable=False),
        sa.CheckConstraint("stance IN ('offer', 'seek', 'both')", name=op.f("ck_theme_interest_stance")),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name=op.f("ck_theme_interest_priority")),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_theme_interest_response_id_response"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("response_id", "theme_code", name=op.f("pk_theme_interest")),
    )
    with op.batch_alter_table("theme_interest", schema=None) as batch_op:
        batch_op.create_index("ix_theme_interest_theme_code", ["theme_code"], unique=False)

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('weekly', 'monthly', 'yearly', 'never')", name=op.f("ck_subscription_frequency")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["digest_recipient.id"],
            name=op.f("fk_subscription_recipient_id_digest_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription")),
        sa.UniqueConstraint("recipient_id", "kind", name=op.f("uq_subscription_recipient_id_kind")),
    )


def downgrade():
    op.drop_table("subscription")
    with op.batch_alter_table("theme_interest", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_interest_theme_code")

    op.drop_table("theme_interest")
    with op.batch_alter_table("suggestion_theme", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_theme_theme_code")

    op.drop_table("suggestion_theme")
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_review_decision_suggestion_id")

    op.drop_table("review_decision")
    op.drop_table("response_version")
    with op.batch_alter_table("pair_note", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_note_suggestion_id")

    op.drop_table("pair_note")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_suggestion_id")

    op.drop_table("outcome")
    op.drop_table("introduction")
    op.drop_table("digest_recipient")
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.drop_index("ix_access_token_suggestion_id")
        batch_op.drop_index("ix_access_token_response_id")

    op.drop_table("access_token")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_state_score")
        batch_op.drop_index("ix_suggestion_score_total")
        batch_op.drop_index("ix_suggestion_updated_at")
        batch_op.drop_index("ix_suggestion_score_themes")
        batch_op.drop_index("ix_suggestion_score_text")
        batch_op.drop_index("ix_suggestion_score_size")
        batch_op.drop_index("ix_suggestion_score_sectors")
        batch_op.drop_index("ix_suggestion_score_complementarity")
        batch_op.drop_index("ix_suggestion_kr_id")

    op.drop_table("suggestion")
    op.drop_table("setting")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_status")
        batch_op.drop_index("ix_response_contact_email")

    op.drop_table("response")
    op.drop_table("staff_user")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status_next_attempt_at")
        batch_op.drop_index("ix_outbox_message_recipient")

    op.drop_table("outbox_message")
    op.drop_table("match_run")
    op.drop_table("job_run")
    with op.batch_alter_table("collectivite", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_collectivite_country_level_code",
            sqlite_where=sa.text("code IS NOT NULL"),
            postgresql_where=sa.text("code IS NOT NULL"),
        )
        batch_op.drop_index("ix_collectivite_country_name_key")
        batch_op.drop_index("ix_collectivite_country_level")

    op.drop_table("collectivite")
