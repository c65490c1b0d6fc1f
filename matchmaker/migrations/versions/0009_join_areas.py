"""join the areas' branches of the schema into one head

The follow-up, the sentence encoder and the outreach areas each added their tables after 0001 on their own
branch of revisions; this revision only joins them, so `matchmaker db upgrade` has one head to reach.

Revision ID: 0009_join_areas
Revises: 0002_response_embedding, 0003_survey_answer, 0004
Create Date: 2026-12-04
"""

revision = "0009_join_areas"
down_revision = ("0002_response_embedding", "0003_survey_answer", "0004")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
