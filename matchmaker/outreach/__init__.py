"""Outreach: invitation campaigns to the collectivités of the reference lists, with reminders and follow-up."""
from flask import Blueprint

bp = Blueprint("outreach", __name__)

from matchmaker.outreach import views  # noqa: E402,F401  (register the routes)
