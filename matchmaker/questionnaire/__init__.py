"""The public questionnaire: forms, validation, drafts, private links, file import and export."""
from flask import Blueprint

bp = Blueprint("questionnaire", __name__)

from matchmaker.questionnaire import staff_views, views  # noqa: E402,F401  (register the routes)
