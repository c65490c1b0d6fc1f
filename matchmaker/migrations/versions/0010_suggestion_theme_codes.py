"""a pair's common themes as a list on its suggestion row (suggestion.theme_codes) instead of suggestion_theme rows

The nightly recompute wrote one suggestion_theme row per common theme of every new or re-explained pair, each
through two indexes and a foreign key, and every deleted pair cascaded into that table: about a third of the
first night's write. The codes now live on the pair's own row, a JSON list (JSONB with a GIN index on
PostgreSQL, which serves the review list's theme filter; SQLite's plain index is not used by it).

Revision ID: 0010_suggestion_theme_codes
Revises: 0009_join_areas
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_suggestion_theme_codes"
down_revision = "0009_join_areas"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme_codes", JSON, server_default=sa.text("'[]'"), nullable=False))
    if postgres:
        op.execute(
            "UPDATE suggestion AS s SET theme_codes = t.codes FROM ("
            "SELECT suggestion_id, jsonb_agg(theme_code ORDER BY theme_code) AS codes FROM suggestion_theme "
            "GROUP BY suggestion_id) AS t WHERE s.id = t.suggestion_id"
        )
    else:
        op.execute(
            "UPDATE suggestion SET theme_codes = (SELECT json_group_array(theme_code) FROM ("
            "SELECT theme_code FROM suggestion_theme WHERE suggestion_id = suggestion.id ORDER BY theme_code)) "
            "WHERE id IN (SELECT suggestion_id FROM suggestion_theme)"
        )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(
            "ix_suggestion_theme_codes",
            ["theme_codes"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"theme_codes": "jsonb_path_ops"},
        )
    with op.batch_alter_table("suggestion_theme", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_theme_theme_code")
    op.drop_table("suggestion_theme")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
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
    elements = "jsonb_array_elements_text(s.theme_codes)" if postgres else "json_each(s.theme_codes)"
    op.execute(
        f"INSERT INTO suggestion_theme (suggestion_id, theme_code) SELECT DISTINCT s.id, e.value "
        f"FROM suggestion AS s, {elements} AS e"
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_suggestion_theme_codes", postgresql_using="gin", postgresql_ops={"theme_codes": "jsonb_path_ops"}
        )
        batch_op.drop_column("theme_codes")
