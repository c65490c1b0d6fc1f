"""The public questionnaire: forms, validation, drafts, private links, file import and export."""
from flask import Blueprint

bp = Blueprint("questionnaire", __name__)
